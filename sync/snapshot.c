/*
 * snapshot.c - the registry's snapshot key and signed snapshot pages (see
 * snapshot.h).
 */
#include "sync/snapshot.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#define SNAPSHOT_LABEL "sws-snapshot-v1"
#define SIG_CHARS 86 /* base64url of 64 bytes, no padding */

void sync_snapshot_keypair(const unsigned char cursorKey[32],
                           unsigned char pk[SWS_PK_BYTES],
                           unsigned char sk[SWS_SK_BYTES])
{
  static const char zLabel[] = "sws-registry-snapshot-key-v1";
  unsigned char seed[crypto_sign_SEEDBYTES];
  crypto_generichash(seed, sizeof seed, (const unsigned char *)zLabel,
                     sizeof zLabel - 1, cursorKey, 32);
  crypto_sign_seed_keypair(pk, sk, seed);
  sodium_memzero(seed, sizeof seed);
}

/* What the signature covers: the label, office, device and cursor, one a
 * line, and the hex SHA-256 of the page. */
static void message(struct buf *m, const char *zOffice, const char *zDevice,
                    const char *zFrom, const char *zPage, size_t nPage)
{
  unsigned char h[SWS_SHA256_BYTES];
  char zHex[2 * SWS_SHA256_BYTES + 1];
  sws_sha256(h, zPage, nPage);
  sws_hex(zHex, h, sizeof h);
  buf_appendf(m, SNAPSHOT_LABEL "\n%s\n%s\n%s\n%s", zOffice, zDevice, zFrom,
              zHex);
}

static void prefix(struct buf *out, const char *zSig, const char *zOffice,
                   const char *zDevice, const char *zFrom)
{
  buf_appendf(out,
              "{\"sig\":\"%s\",\"office\":\"%s\",\"device\":\"%s\","
              "\"from\":\"%s\",\"page\":",
              zSig, zOffice, zDevice, zFrom);
}

void sync_snapshot_wrap(struct buf *out, const unsigned char sk[SWS_SK_BYTES],
                        const char *zOffice, const char *zDevice,
                        const char *zFrom, const char *zPage, size_t nPage)
{
  struct buf m = BUF_INIT;
  unsigned char sig[SWS_SIG_BYTES];
  char zSig[SIG_CHARS + 4];
  message(&m, zOffice, zDevice, zFrom, zPage, nPage);
  sws_sign(sig, m.z, m.n, sk);
  buf_release(&m);
  sws_b64url(zSig, sig, sizeof sig);
  prefix(out, zSig, zOffice, zDevice, zFrom);
  buf_append(out, zPage, nPage);
  buf_append(out, "}", 1);
}

/* Only letters, digits, '-', '_' and '.': codes, cursors and signatures
 * are written as they are, so the page's bytes can be found again. */
static int plain(const char *z)
{
  for (; z && *z; z++)
    if (!((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z') ||
          (*z >= '0' && *z <= '9') || *z == '-' || *z == '_' || *z == '.'))
      return 0;
  return z != NULL;
}

int sync_snapshot_open(const unsigned char pk[SWS_PK_BYTES], const char *z,
                       size_t n, const char *zOffice, const char *zDevice,
                       const char *zFrom, const char **pzPage, size_t *pnPage,
                       struct sws_err *err)
{
  json_t *j = json_loadb(z, n, JSON_REJECT_DUPLICATES, NULL);
  const char *zSig = json_string_value(json_object_get(j, "sig"));
  const char *zO = json_string_value(json_object_get(j, "office"));
  const char *zD = json_string_value(json_object_get(j, "device"));
  const char *zF = json_string_value(json_object_get(j, "from"));
  unsigned char sig[SWS_SIG_BYTES];
  struct buf m = BUF_INIT;
  int rc = SYNC_SNAPSHOT_MALFORMED;
  *pzPage = NULL;
  *pnPage = 0;
  if (!json_is_object(j) || json_object_size(j) != 5 ||
      !json_is_object(json_object_get(j, "page")) || !plain(zSig) ||
      !plain(zO) || !plain(zD) || !plain(zF) || strlen(zSig) != SIG_CHARS ||
      sws_unb64url(sig, sizeof sig, zSig) != SWS_SIG_BYTES) {
    sws_err_set(err, SWS_ECRYPTO,
                "the registry's answer is not a snapshot "
                "page");
    goto out;
  }
  prefix(&m, zSig, zO, zD, zF);
  if (n < m.n + 3 || memcmp(z, m.z, m.n) != 0 || z[n - 1] != '}') {
    sws_err_set(err, SWS_ECRYPTO,
                "the registry's answer is not a snapshot "
                "page (not laid out as one)");
    goto out;
  }
  const char *zPage = z + m.n;
  size_t nPage = n - m.n - 1;
  buf_reset(&m);
  message(&m, zO, zD, zF, zPage, nPage);
  if (!sws_sign_verify(sig, m.z, m.n, pk)) {
    rc = SYNC_SNAPSHOT_BADSIG;
    sws_err_set(err, SWS_ECRYPTO,
                "a snapshot page does not carry the "
                "registry's signature (altered on the way, or signed by "
                "another registry); nothing of it was applied: check "
                "--registry-key with the registry's administrator");
    goto out;
  }
  if (strcmp(zO, zOffice) != 0) {
    rc = SYNC_SNAPSHOT_OTHER_OFFICE;
    sws_err_set(err, SWS_ECRYPTO,
                "a snapshot page of office %s came, this "
                "device belongs to office %s; nothing of it was applied",
                zO, zOffice);
    goto out;
  }
  if (strcmp(zD, zDevice) != 0) {
    rc = SYNC_SNAPSHOT_OTHER_DEVICE;
    sws_err_set(err, SWS_ECRYPTO,
                "a snapshot page for device %s came, this "
                "is device %s; nothing of it was applied",
                zD, zDevice);
    goto out;
  }
  if (strcmp(zF, zFrom) != 0) {
    rc = SYNC_SNAPSHOT_ORDER;
    sws_err_set(err, SWS_ECRYPTO,
                "a snapshot page came out of order (it "
                "follows another page than the last one applied here: "
                "replayed or reordered); nothing of it was applied");
    goto out;
  }
  *pzPage = zPage;
  *pnPage = nPage;
  rc = SWS_OK;
out:
  buf_release(&m);
  json_decref(j);
  return rc;
}
