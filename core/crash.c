/*
 * crash.c - named crash points (see crash.h).
 */
#include "core/crash.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sws_crash_point(const char *zName)
{
  static int hits;
  const char *z = getenv("SWS_CRASH_AT");
  if (z == NULL || *z == '\0')
    return;
  size_t n = strlen(zName);
  if (strncmp(z, zName, n) != 0 || (z[n] != '\0' && z[n] != ':'))
    return;
  long want = z[n] == ':' ? strtol(z + n + 1, NULL, 10) : 1;
  if (++hits < want)
    return;
  kill(getpid(), SIGKILL);
  _exit(137); /* not reached */
}
