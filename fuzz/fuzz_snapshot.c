/*
 * fuzz_snapshot.c - libFuzzer target: opening a new device's signed
 * snapshot page (sync/snapshot.c) on arbitrary answers. The input's
 * first line is the cursor the device stored, the rest the registry's
 * answer. Nothing unsigned may pass, every refusal has a message and one
 * of the documented codes; and the rest, wrapped and signed as the
 * registry does, must open to exactly its bytes when it is a JSON object
 * (and be refused as malformed when it is not).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "sync/snapshot.h"

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  unsigned char key[32] = {9, 8, 7};
  sws_crypto_init(NULL);
  sync_snapshot_keypair(key, g_pk, g_sk);
  return 0;
}

static int plain(const char *z)
{
  for (; *z; z++)
    if (!((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z') ||
          (*z >= '0' && *z <= '9') || *z == '-' || *z == '_' || *z == '.'))
      return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *copy = malloc(size + 1);
  memcpy(copy, data, size);
  copy[size] = '\0';
  char *nl = memchr(copy, '\n', size);
  const char *zFrom = nl ? copy : "";
  const char *z = nl ? nl + 1 : copy;
  size_t n = nl ? size - (size_t)(nl + 1 - copy) : size;
  if (nl)
    *nl = '\0';
  struct sws_err err = SWS_ERR_INIT;
  const char *zPage;
  size_t nPage;
  int rc = sync_snapshot_open(g_pk, z, n, "KH12", "KH12-2", zFrom, &zPage,
                              &nPage, &err);
  if (rc == 0)
    abort(); /* nothing signed it */
  if (rc < SYNC_SNAPSHOT_MALFORMED || rc > SYNC_SNAPSHOT_BADSIG ||
      err.msg[0] == '\0')
    abort();
  /* the same bytes as a page, signed */
  if (plain(zFrom) && strlen(zFrom) < 200) {
    struct buf w = BUF_INIT;
    w.max = (size_t)64 << 20;
    sync_snapshot_wrap(&w, g_sk, "KH12", "KH12-2", zFrom, z, n);
    sws_err_clear(&err);
    rc = sync_snapshot_open(g_pk, w.z, w.n, "KH12", "KH12-2", zFrom, &zPage,
                            &nPage, &err);
    json_t *j = json_loadb(w.z, w.n, JSON_REJECT_DUPLICATES, NULL);
    int bObject = j && json_is_object(json_object_get(j, "page")) &&
                  json_object_size(j) == 5;
    json_decref(j);
    if (rc == 0 && (nPage != n || memcmp(zPage, z, n) != 0))
      abort(); /* opened to other bytes than were signed */
    if ((rc == 0) != bObject)
      abort(); /* a signed object refused, or a non-object accepted */
    if (rc != 0 && rc != SYNC_SNAPSHOT_MALFORMED)
      abort();
    buf_release(&w);
  }
  free(copy);
  return 0;
}
