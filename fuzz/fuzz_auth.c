/*
 * fuzz_auth.c - libFuzzer target: the request verifier and the cursor
 * opener (sync/auth.c) on arbitrary header values. The input is split at
 * newlines into method, path, office, time, nonce, signature, cursor and
 * body. Nothing forged may pass, every refusal has a message and one of the
 * documented codes, and a request signed from the same parts, and a cursor
 * made for the same office, must pass.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "sync/auth.h"

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];
static const unsigned char KEY[SYNC_CURSOR_KEY_BYTES] = {1, 2, 3, 4, 5};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  sws_crypto_init(NULL);
  /* a fixed key pair from a fixed seed: reproducible runs */
  unsigned char seed[32] = {7};
  crypto_sign_seed_keypair(g_pk, g_sk, seed);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *copy = malloc(size + 1);
  char *part[8] = {"", "", "", "", "", "", "", ""};
  int np = 0;
  memcpy(copy, data, size);
  copy[size] = '\0';
  char *p = copy;
  while (np < 7) {
    part[np++] = p;
    char *nl = strchr(p, '\n');
    if (nl == NULL)
      break;
    *nl = '\0';
    p = nl + 1;
  }
  const char *body = np == 7 ? p : "";
  size_t nBody = strlen(body);
  const char *zMethod = part[0], *zPath = part[1], *zOffice = part[2],
             *zTime = part[3], *zNonce = part[4], *zSig = part[5],
             *zCursor = part[6];
  struct sws_err err = SWS_ERR_INIT;
  int64_t now = 1767225600;

  int rc = sync_auth_verify(zMethod, zPath, body, nBody, zOffice, zTime,
                            zNonce, zSig, g_pk, now, 900, &err);
  if (rc == 0)
    abort(); /* a forged signature passed */
  if ((rc != SYNC_AUTH_MALFORMED && rc != SYNC_AUTH_BADSIG &&
       rc != SYNC_AUTH_TIME) || err.msg[0] == '\0')
    abort();

  struct sync_auth_headers h;
  if (sync_auth_sign(&h, zOffice, g_sk, zMethod, zPath, body, nBody, now,
                     NULL) == 0 &&
      sync_auth_verify(zMethod, zPath, body, nBody, h.zOffice, h.zTime,
                       h.zNonce, h.zSig, g_pk, now, 900, NULL) != 0)
    abort();

  int64_t e = -1, s = -1;
  sws_err_clear(&err);
  rc = sync_cursor_open(KEY, zCursor, zOffice, &e, &s, &err);
  if (rc == 0)
    abort(); /* a forged cursor passed */
  if ((rc != SYNC_CURSOR_MALFORMED && rc != SYNC_CURSOR_FORGED) ||
      err.msg[0] == '\0' || e != 0 || s != 0)
    abort();

  char zc[SYNC_CURSOR_MAX + 1];
  int64_t epoch = (int64_t)(size * 7919u), seq = (int64_t)size;
  if (sync_cursor_make(KEY, zOffice, epoch, seq, zc, NULL) == 0) {
    if (sync_cursor_open(KEY, zc, zOffice, &e, &s, NULL) != 0 || e != epoch ||
        s != seq)
      abort();
    if (sync_cursor_open(KEY, zc, "ZZ99", &e, &s, NULL) !=
            (strcmp(zOffice, "ZZ99") ? SYNC_CURSOR_OTHER_OFFICE : 0))
      abort();
  }
  /* the two-number position of the PostgreSQL store: it round-trips, and
   * the one-number reader refuses it instead of dropping the xid */
  int64_t xid = (int64_t)(size * 104729u) + 1, x = -1;
  if (sync_cursor_make2(KEY, zOffice, epoch, xid, seq, zc, NULL) == 0) {
    if (sync_cursor_open2(KEY, zc, zOffice, &e, &x, &s, NULL) != 0 ||
        e != epoch || x != xid || s != seq)
      abort();
    if (sync_cursor_open(KEY, zc, zOffice, &e, &s, NULL) !=
        SYNC_CURSOR_MALFORMED)
      abort();
  }
  sws_err_clear(&err);
  rc = sync_cursor_open2(KEY, zCursor, zOffice, &e, &x, &s, &err);
  if (rc == 0 || err.msg[0] == '\0' || e != 0 || x != 0 || s != 0)
    abort(); /* a forged cursor passed, or a refusal said nothing */
  free(copy);
  return 0;
}
