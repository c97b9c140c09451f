/*
 * auth.c - signed requests and opaque feed cursors (see auth.h and
 * docs/transport.md).
 */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SIG_PREFIX "sws-req-v2\n"
#define CURSOR_PREFIX "sws-cursor-v1"
#define CURSOR_VERSION 1  /* one position: SQLite's feed seq */
#define CURSOR_VERSION2 2 /* two: PostgreSQL's (transaction, seq) */
#define METHOD_MAX 16
#define TIME_DIGITS_MAX 15
/* version, office length, office, epoch, position (1 or 2 numbers), tag */
#define CURSOR_RAW_MAX (2 + SYNC_OFFICE_MAX + 8 + 16 + crypto_auth_BYTES)
/* the message signed, at most */
#define SIGNED_MAX (sizeof SIG_PREFIX + SYNC_OFFICE_MAX + METHOD_MAX +    \
                    SYNC_PATH_MAX + 2 * SWS_SHA256_BYTES +              \
                    TIME_DIGITS_MAX + SYNC_NONCE_MAX + 8)

int sync_auth_office_ok(const char *z)
{
  size_t n = z ? strlen(z) : 0;
  if (n < 2 || n > SYNC_OFFICE_MAX || !(z[0] >= 'A' && z[0] <= 'Z'))
    return 0;
  for (size_t i = 1; i < n; i++) {
    char c = z[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
      return 0;
  }
  return 1;
}

static int method_ok(const char *z)
{
  size_t n = z ? strlen(z) : 0;
  if (n == 0 || n > METHOD_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (z[i] < 'A' || z[i] > 'Z')
      return 0;
  return 1;
}

/*
 * A request target: '/' then visible ASCII only (no space, no newline, so
 * the signed lines cannot be confused), and no '#' (a fragment is never
 * sent, so it could not be verified).
 */
static int path_ok(const char *z)
{
  size_t n = z ? strlen(z) : 0;
  if (n == 0 || n > SYNC_PATH_MAX || z[0] != '/')
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)z[i] <= 0x20 || (unsigned char)z[i] >= 0x7f ||
        z[i] == '#')
      return 0;
  return 1;
}

static int b64url_char(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int nonce_ok(const char *z)
{
  size_t n = z ? strlen(z) : 0;
  if (n < SYNC_NONCE_MIN || n > SYNC_NONCE_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!b64url_char(z[i]))
      return 0;
  return 1;
}

/* Decimal seconds: digits only, no sign, no leading zero. */
static int time_parse(const char *z, int64_t *out)
{
  size_t n = z ? strlen(z) : 0;
  if (n == 0 || n > TIME_DIGITS_MAX || (z[0] == '0' && n > 1))
    return 0;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9')
      return 0;
    v = v * 10 + (z[i] - '0');
  }
  *out = v;
  return 1;
}

/* The signed message into out (SIGNED_MAX bytes); its length. The office
 * code is part of it: a signature made for one office can never be
 * presented as another's, whatever keys the registry holds. */
static size_t signed_text(char *out, const char *zOffice, const char *zMethod,
                          const char *zPath, const void *body, size_t n,
                          const char *zTime, const char *zNonce)
{
  unsigned char h[SWS_SHA256_BYTES];
  char zHash[2 * SWS_SHA256_BYTES + 1];
  sws_sha256(h, body ? body : "", n);
  sws_hex(zHash, h, sizeof h);
  int k = snprintf(out, SIGNED_MAX, SIG_PREFIX "%s\n%s\n%s\n%s\n%s\n%s",
                   zOffice, zMethod, zPath, zHash, zTime, zNonce);
  return k < 0 ? 0 : (size_t)k;
}

int sync_auth_sign(struct sync_auth_headers *out, const char *zOffice,
                   const unsigned char sk[SWS_SK_BYTES], const char *zMethod,
                   const char *zPathAndQuery, const void *body, size_t n,
                   int64_t now, struct sws_err *err)
{
  char zMsg[SIGNED_MAX];
  unsigned char nonce[SYNC_NONCE_BYTES], sig[SWS_SIG_BYTES];

  memset(out, 0, sizeof *out);
  if (!sync_auth_office_ok(zOffice))
    return sws_err_set(err, SWS_EINVAL, "cannot sign for office code '%.20s':"
                       " it is not a valid office code", zOffice ? zOffice
                                                                 : "");
  if (!method_ok(zMethod) || !path_ok(zPathAndQuery))
    return sws_err_set(err, SWS_EINVAL, "cannot sign a request for '%.40s' "
                       "(method or path not plain ASCII)",
                       zPathAndQuery ? zPathAndQuery : "");
  if (now < 0)
    now = 0;
  memcpy(out->zOffice, zOffice, strlen(zOffice) + 1);
  snprintf(out->zTime, sizeof out->zTime, "%lld", (long long)now);
  sws_random(nonce, sizeof nonce);
  sws_b64url(out->zNonce, nonce, sizeof nonce);
  size_t k = signed_text(zMsg, zOffice, zMethod, zPathAndQuery, body, n,
                         out->zTime, out->zNonce);
  sws_sign(sig, zMsg, k, sk);
  sws_b64url(out->zSig, sig, sizeof sig);
  sodium_memzero(zMsg, sizeof zMsg);
  return SWS_OK;
}

void sync_auth_skew_text(char *out, size_t n, int64_t skew)
{
  const char *zDir = skew < 0 ? "behind" : "ahead of";
  /* skew is at most a few centuries in practice; avoid -INT64_MIN */
  uint64_t a = skew < 0 ? (uint64_t)0 - (uint64_t)skew : (uint64_t)skew;
  uint64_t v;
  const char *zUnit;
  if (a == 0) {
    snprintf(out, n, "in step");
    return;
  }
  if (a < 120) {
    v = a;
    zUnit = "second";
  } else if (a < 2 * 3600) {
    v = (a + 30) / 60; /* the nearest: a clock an hour off whose request
                          took a second says 60 minutes, not 59 */
    zUnit = "minute";
  } else if (a < 48 * 3600) {
    v = (a + 1800) / 3600;
    zUnit = "hour";
  } else {
    v = (a + 43200) / 86400;
    zUnit = "day";
  }
  snprintf(out, n, "%llu %s%s %s", (unsigned long long)v, zUnit,
           v == 1 ? "" : "s", zDir);
}

int sync_auth_verify(const char *zMethod, const char *zPathAndQuery,
                     const void *body, size_t n, const char *zOffice,
                     const char *zTime, const char *zNonce, const char *zSig,
                     const unsigned char pk[SWS_PK_BYTES], int64_t now,
                     int64_t window, struct sws_err *err)
{
  char zMsg[SIGNED_MAX];
  unsigned char sig[SWS_SIG_BYTES];
  int64_t t = 0;

  if (!zOffice || !zTime || !zNonce || !zSig) {
    sws_err_set(err, SWS_EINVAL, "the request is not signed (it needs the "
                "headers " SYNC_HDR_OFFICE ", " SYNC_HDR_TIME ", "
                SYNC_HDR_NONCE " and " SYNC_HDR_SIGNATURE ")");
    return SYNC_AUTH_MALFORMED;
  }
  if (!sync_auth_office_ok(zOffice)) {
    sws_err_set(err, SWS_EINVAL, "the header " SYNC_HDR_OFFICE " is not an "
                "office code");
    return SYNC_AUTH_MALFORMED;
  }
  if (!time_parse(zTime, &t)) {
    sws_err_set(err, SWS_EINVAL, "the header " SYNC_HDR_TIME " is not a time "
                "in seconds");
    return SYNC_AUTH_MALFORMED;
  }
  if (!nonce_ok(zNonce)) {
    sws_err_set(err, SWS_EINVAL, "the header " SYNC_HDR_NONCE " must be %d to "
                "%d base64url characters", SYNC_NONCE_MIN, SYNC_NONCE_MAX);
    return SYNC_AUTH_MALFORMED;
  }
  if (strlen(zSig) != 86 ||
      sws_unb64url(sig, sizeof sig, zSig) != (int)sizeof sig) {
    sws_err_set(err, SWS_EINVAL, "the header " SYNC_HDR_SIGNATURE " is not a "
                "base64url Ed25519 signature");
    return SYNC_AUTH_MALFORMED;
  }
  if (!method_ok(zMethod) || !path_ok(zPathAndQuery)) {
    sws_err_set(err, SWS_EINVAL, "the request's method or path has "
                "characters that cannot be signed");
    return SYNC_AUTH_MALFORMED;
  }
  size_t k = signed_text(zMsg, zOffice, zMethod, zPathAndQuery, body, n,
                         zTime, zNonce);
  if (!sws_sign_verify(sig, zMsg, k, pk)) {
    sws_err_set(err, SWS_ECRYPTO, "the signature of office %s does not "
                "match this request (wrong key, or the request was changed "
                "on the way); check that the office is enrolled with its "
                "current key", zOffice);
    return SYNC_AUTH_BADSIG;
  }
  int64_t skew = t - now;
  if (skew > window || skew < -window) {
    char zSkew[64];
    sync_auth_skew_text(zSkew, sizeof zSkew, skew);
    sws_err_set(err, SWS_ECRYPTO, "the office clock is %s the registry's "
                "(%lld seconds are allowed); set the office computer's date "
                "and time correctly, then sync again", zSkew,
                (long long)window);
    return SYNC_AUTH_TIME;
  }
  return SWS_OK;
}

int64_t sync_auth_clock(int64_t local, int64_t offset)
{
  return local + offset;
}

int64_t sync_auth_offset(int64_t registry, int64_t localBefore,
                         int64_t localAfter)
{
  /* the registry read its clock somewhere in the round trip: the middle */
  int64_t mid = localBefore + (localAfter - localBefore) / 2;
  return registry - mid;
}

static void put64(unsigned char *p, uint64_t v)
{
  for (int i = 7; i >= 0; i--) {
    p[i] = (unsigned char)(v & 0xff);
    v >>= 8;
  }
}

static uint64_t get64(const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

/* HMAC over the domain prefix and the payload. */
static void cursor_tag(unsigned char tag[crypto_auth_BYTES],
                       const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                       const unsigned char *p, size_t n)
{
  unsigned char msg[sizeof CURSOR_PREFIX + CURSOR_RAW_MAX];
  size_t np = sizeof CURSOR_PREFIX - 1;
  memcpy(msg, CURSOR_PREFIX, np);
  memcpy(msg + np, p, n);
  crypto_auth(tag, msg, np + n, key);
}

int sync_cursor_make2(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                      const char *zOffice, int64_t epoch, int64_t xid,
                      int64_t seq, char out[SYNC_CURSOR_MAX + 1],
                      struct sws_err *err)
{
  unsigned char raw[CURSOR_RAW_MAX];
  out[0] = '\0';
  if (!sync_auth_office_ok(zOffice) || epoch < 0 || seq < 0 || xid < 0)
    return sws_err_set(err, SWS_EINVAL, "cannot make a cursor for office "
                       "'%.20s' at %lld/%lld/%lld", zOffice ? zOffice : "",
                       (long long)epoch, (long long)xid, (long long)seq);
  size_t no = strlen(zOffice), k = 0;
  /* a position without a transaction keeps the first version's layout,
   * so the cursors offices hold from an SQLite registry stay the same */
  raw[k++] = xid ? CURSOR_VERSION2 : CURSOR_VERSION;
  raw[k++] = (unsigned char)no;
  memcpy(raw + k, zOffice, no);
  k += no;
  put64(raw + k, (uint64_t)epoch);
  k += 8;
  if (xid) {
    put64(raw + k, (uint64_t)xid);
    k += 8;
  }
  put64(raw + k, (uint64_t)seq);
  k += 8;
  cursor_tag(raw + k, key, raw, k);
  k += crypto_auth_BYTES;
  sws_b64url(out, raw, k);
  return SWS_OK;
}

int sync_cursor_make(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                     const char *zOffice, int64_t epoch, int64_t seq,
                     char out[SYNC_CURSOR_MAX + 1], struct sws_err *err)
{
  return sync_cursor_make2(key, zOffice, epoch, 0, seq, out, err);
}

int sync_cursor_open2(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                      const char *zCursor, const char *zOffice,
                      int64_t *pEpoch, int64_t *pXid, int64_t *pSeq,
                      struct sws_err *err)
{
  unsigned char raw[CURSOR_RAW_MAX + 3];
  char zIn[SYNC_OFFICE_MAX + 1];
  size_t nc = zCursor ? strlen(zCursor) : 0;
  int n;

  *pEpoch = *pXid = *pSeq = 0;
  if (nc == 0 || nc > SYNC_CURSOR_MAX ||
      (n = sws_unb64url(raw, sizeof raw, zCursor)) < 0 ||
      n <= (int)crypto_auth_BYTES) {
    sws_err_set(err, SWS_EINVAL, "the feed cursor is not one the registry "
                "made; the office must not change it");
    return SYNC_CURSOR_MALFORMED;
  }
  size_t np = (size_t)n - crypto_auth_BYTES;
  unsigned char msg[sizeof CURSOR_PREFIX + sizeof raw];
  memcpy(msg, CURSOR_PREFIX, sizeof CURSOR_PREFIX - 1);
  memcpy(msg + sizeof CURSOR_PREFIX - 1, raw, np);
  if (crypto_auth_verify(raw + np, msg, sizeof CURSOR_PREFIX - 1 + np, key) !=
      0) {
    sws_err_set(err, SWS_ECRYPTO, "the feed cursor was not made by this "
                "registry (altered, or from another registry); the office "
                "must be seeded again from this registry");
    return SYNC_CURSOR_FORGED;
  }
  /* genuine: only a cursor of another version could fail from here */
  size_t no = raw[1];
  size_t nPos = raw[0] == CURSOR_VERSION2 ? 16 : 8;
  if ((raw[0] != CURSOR_VERSION && raw[0] != CURSOR_VERSION2) ||
      no > SYNC_OFFICE_MAX || np != 2 + no + 8 + nPos) {
    sws_err_set(err, SWS_EINVAL, "the feed cursor is of an unknown version");
    return SYNC_CURSOR_MALFORMED;
  }
  memcpy(zIn, raw + 2, no);
  zIn[no] = '\0';
  uint64_t e = get64(raw + 2 + no), x = 0, s;
  if (nPos == 16)
    x = get64(raw + 2 + no + 8);
  s = get64(raw + 2 + no + nPos);
  if (!sync_auth_office_ok(zIn) || e > INT64_MAX || s > INT64_MAX ||
      x > INT64_MAX || (nPos == 16 && x == 0)) {
    sws_err_set(err, SWS_EINVAL, "the feed cursor is of an unknown version");
    return SYNC_CURSOR_MALFORMED;
  }
  if (zOffice == NULL || strcmp(zIn, zOffice) != 0) {
    sws_err_set(err, SWS_EPERM, "the feed cursor belongs to office %s, not "
                "to %s; each office reads only its own feed", zIn,
                zOffice ? zOffice : "?");
    return SYNC_CURSOR_OTHER_OFFICE;
  }
  *pEpoch = (int64_t)e;
  *pXid = (int64_t)x;
  *pSeq = (int64_t)s;
  return SWS_OK;
}

int sync_cursor_open(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                     const char *zCursor, const char *zOffice,
                     int64_t *pEpoch, int64_t *pSeq, struct sws_err *err)
{
  int64_t xid;
  int rc = sync_cursor_open2(key, zCursor, zOffice, pEpoch, &xid, pSeq, err);
  if (rc == 0 && xid != 0) {
    *pEpoch = *pSeq = 0;
    sws_err_set(err, SWS_EINVAL, "the feed cursor is of an unknown version");
    return SYNC_CURSOR_MALFORMED;
  }
  return rc;
}
