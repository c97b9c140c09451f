/*
 * fuzz_audit_head.c - libFuzzer target: the registry reading an office's
 * audit chain head (sync/audit_head.c) from arbitrary bodies. A refusal
 * has a message; a head accepted is written again and read back to the
 * same head, and no unsigned head verifies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "sync/audit_head.h"

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  sws_crypto_init(NULL);
  sws_sign_keypair(g_pk, g_sk);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  struct audit_head_msg h, h2;
  if (audit_head_decode(&h, (const char *)data, size, &err) != 0) {
    if (err.msg[0] == '\0')
      abort();
    return 0;
  }
  if (audit_head_verify(&h, g_pk))
    abort(); /* our key signed nothing the input could carry */
  char *z = audit_head_encode(&h);
  if (z == NULL || audit_head_decode(&h2, z, strlen(z), &err) != 0 ||
      memcmp(&h, &h2, sizeof h) != 0)
    abort();
  audit_head_sign(&h2, g_sk);
  if (!audit_head_verify(&h2, g_pk))
    abort();
  free(z);
  return 0;
}
