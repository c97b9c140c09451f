/*
 * main.c - the sws program: set up, then run the command line.
 */
#include <stdio.h>

#include "core/crypto.h"
#include "pos/cli.h"

int main(int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  if (sws_crypto_init(&err) != 0)
    return cli_fail(&err);
  return cli_main(argc, argv);
}
