/*
 * payload.c - receipt payloads: record layout, signing, strict parsing
 * (see payload.h and docs/receipts.md).
 */
#include "receipts/payload.h"

#include <stdio.h>
#include <string.h>

#include "cases/office.h"
#include "receipts/base45.h"

/* Offsets of the fixed part of a record. */
enum {
  OFF_KIND = 0,
  OFF_SUBJECT = 1,
  OFF_KEYID = 2,
  OFF_SERIAL = 6,
  OFF_ISSUED = 10,
  OFF_ISSUER = 14, /* length byte, then the code */
};

static const char *const KIND_NAMES[] = {NULL, "registration", "grievance",
                                         "referral"};
/* What a number of each kind carries after the device code. */
static const char *const KIND_MARKS[] = {NULL, "", "-G", "-R"};

static int kind_ok(int kind)
{
  return kind >= RECEIPT_REGISTRATION && kind <= RECEIPT_REFERRAL;
}

const char *receipt_kind_name(int kind)
{
  return kind_ok(kind) ? KIND_NAMES[kind] : "?";
}

int receipt_kind_parse(const char *z)
{
  for (int k = RECEIPT_REGISTRATION; k <= RECEIPT_REFERRAL; k++)
    if (strcmp(z, KIND_NAMES[k]) == 0)
      return k;
  return 0;
}

void receipt_key_id(unsigned char out[RECEIPT_KEYID_BYTES],
                    const unsigned char pk[SWS_PK_BYTES])
{
  unsigned char h[SWS_SHA256_BYTES];
  sws_sha256(h, pk, SWS_PK_BYTES);
  memcpy(out, h, RECEIPT_KEYID_BYTES);
}

/* 1 if the n bytes at z are an office/device code exactly as stored
 * (upper case already). */
static int code_ok(const char *z, size_t n)
{
  char zCopy[RECEIPT_CODE_MAX + 1], zCanon[SWS_OFFICE_CODE_MAX];
  if (n < 2 || n > RECEIPT_CODE_MAX || memchr(z, '\0', n) != NULL)
    return 0;
  memcpy(zCopy, z, n);
  zCopy[n] = '\0';
  return cases_office_code_check(zCanon, zCopy, NULL) == 0 &&
         strcmp(zCanon, zCopy) == 0;
}

int receipt_record_set_number(struct receipt_record *r, const char *zNumber,
                              struct sws_err *err)
{
  struct sws_number num;
  if (!kind_ok(r->kind))
    return sws_err_set(err, SWS_EINVAL, "unknown receipt kind %d", r->kind);
  if (sws_number_parse(zNumber, &num) != SWS_NUMBER_OK)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a number with a right "
                       "check character", zNumber);
  const char *zMark = KIND_MARKS[r->kind];
  size_t nPrefix = strlen(num.zPrefix), nMark = strlen(zMark);
  if (nPrefix <= nMark ||
      strcmp(num.zPrefix + nPrefix - nMark, zMark) != 0 ||
      !code_ok(num.zPrefix, nPrefix - nMark))
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a %s number of the "
                       "usual shape", zNumber, KIND_NAMES[r->kind]);
  if (num.seq < 1 || num.seq > (int64_t)UINT32_MAX)
    return sws_err_set(err, SWS_EINVAL, "the sequence of '%s' is out of "
                       "the range a receipt carries", zNumber);
  r->seq = (uint32_t)num.seq;
  memcpy(r->zSubjectDevice, num.zPrefix, nPrefix - nMark);
  r->zSubjectDevice[nPrefix - nMark] = '\0';
  if (strcmp(r->zSubjectDevice, r->zIssuer) == 0) {
    r->subject = RECEIPT_SUBJECT_OWN;
    r->zSubjectDevice[0] = '\0';
  } else {
    r->subject = RECEIPT_SUBJECT_OTHER;
  }
  return SWS_OK;
}

int receipt_record_number(const struct receipt_record *r, char *out,
                          size_t n)
{
  char zPrefix[RECEIPT_CODE_MAX + 3];
  if (n > 0)
    out[0] = '\0';
  if (!kind_ok(r->kind) || r->subject == RECEIPT_SUBJECT_OPAQUE)
    return -1;
  snprintf(zPrefix, sizeof zPrefix, "%s%s",
           r->subject == RECEIPT_SUBJECT_OWN ? r->zIssuer : r->zSubjectDevice,
           KIND_MARKS[r->kind]);
  return sws_number_format(out, n, zPrefix, r->seq);
}

static void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

int receipt_record_encode(const struct receipt_record *r,
                          unsigned char out[RECEIPT_RECORD_MAX], size_t *pn,
                          struct sws_err *err)
{
  size_t nIssuer = strlen(r->zIssuer), k;
  *pn = 0;
  if (!kind_ok(r->kind) || r->subject < RECEIPT_SUBJECT_OPAQUE ||
      r->subject > RECEIPT_SUBJECT_OTHER || r->serial == 0)
    return sws_err_set(err, SWS_EINVAL, "receipt record out of range "
                       "(kind %d, subject %d, serial %u)", r->kind,
                       r->subject, (unsigned)r->serial);
  if (!code_ok(r->zIssuer, nIssuer))
    return sws_err_set(err, SWS_EINVAL, "'%s' is not an office code a "
                       "receipt can carry", r->zIssuer);
  out[OFF_KIND] = (unsigned char)r->kind;
  out[OFF_SUBJECT] = (unsigned char)r->subject;
  memcpy(out + OFF_KEYID, r->key_id, RECEIPT_KEYID_BYTES);
  put32(out + OFF_SERIAL, r->serial);
  put32(out + OFF_ISSUED, r->issued_s);
  out[OFF_ISSUER] = (unsigned char)nIssuer;
  memcpy(out + OFF_ISSUER + 1, r->zIssuer, nIssuer);
  k = OFF_ISSUER + 1 + nIssuer;
  if (r->subject == RECEIPT_SUBJECT_OTHER) {
    size_t nDev = strlen(r->zSubjectDevice);
    if (!code_ok(r->zSubjectDevice, nDev))
      return sws_err_set(err, SWS_EINVAL, "'%s' is not a device code a "
                         "receipt can carry", r->zSubjectDevice);
    out[k++] = (unsigned char)nDev;
    memcpy(out + k, r->zSubjectDevice, nDev);
    k += nDev;
  }
  if (r->subject != RECEIPT_SUBJECT_OPAQUE) {
    if (r->seq == 0)
      return sws_err_set(err, SWS_EINVAL, "receipt subject has sequence 0");
    put32(out + k, r->seq);
    k += 4;
  }
  *pn = k;
  return SWS_OK;
}

static int malformed(struct sws_err *err, const char *zWhat)
{
  return sws_err_set(err, SWS_EINVAL, "not a valid receipt code: %s; scan "
                     "it again, or type the number printed on the receipt",
                     zWhat);
}

int receipt_record_decode(struct receipt_record *r, const unsigned char *p,
                          size_t n, struct sws_err *err)
{
  size_t k;
  memset(r, 0, sizeof *r);
  if (n < RECEIPT_RECORD_MIN || n > RECEIPT_RECORD_MAX)
    return malformed(err, "wrong length");
  r->kind = p[OFF_KIND];
  r->subject = p[OFF_SUBJECT];
  if (!kind_ok(r->kind))
    return malformed(err, "unknown kind of receipt");
  if (r->subject > RECEIPT_SUBJECT_OTHER)
    return malformed(err, "unknown kind of subject");
  memcpy(r->key_id, p + OFF_KEYID, RECEIPT_KEYID_BYTES);
  r->serial = get32(p + OFF_SERIAL);
  r->issued_s = get32(p + OFF_ISSUED);
  if (r->serial == 0)
    return malformed(err, "receipt serial 0");
  size_t nIssuer = p[OFF_ISSUER];
  k = OFF_ISSUER + 1;
  if (nIssuer > n - k || !code_ok((const char *)p + k, nIssuer))
    return malformed(err, "bad office code");
  memcpy(r->zIssuer, p + k, nIssuer);
  r->zIssuer[nIssuer] = '\0';
  k += nIssuer;
  if (r->subject == RECEIPT_SUBJECT_OTHER) {
    size_t nDev = k < n ? p[k] : 0;
    k++;
    if (k > n || nDev > n - k || !code_ok((const char *)p + k, nDev))
      return malformed(err, "bad device code of the subject");
    memcpy(r->zSubjectDevice, p + k, nDev);
    r->zSubjectDevice[nDev] = '\0';
    k += nDev;
    if (strcmp(r->zSubjectDevice, r->zIssuer) == 0)
      return malformed(err, "subject device written out in full");
  }
  if (r->subject != RECEIPT_SUBJECT_OPAQUE) {
    if (n - k < 4)
      return malformed(err, "subject cut short");
    r->seq = get32(p + k);
    k += 4;
    if (r->seq == 0)
      return malformed(err, "subject sequence 0");
    /* 1 in 37 sequences is never issued (its check character would be
     * '*'): a record naming one cannot be genuine */
    char zPrefix[RECEIPT_CODE_MAX + 3];
    snprintf(zPrefix, sizeof zPrefix, "%s%s",
             r->subject == RECEIPT_SUBJECT_OWN ? r->zIssuer
                                               : r->zSubjectDevice,
             KIND_MARKS[r->kind]);
    if (!sws_number_issuable(zPrefix, r->seq))
      return malformed(err, "a number that is never issued");
  }
  if (k != n)
    return malformed(err, "bytes left over");
  return SWS_OK;
}

int receipt_payload_sign(char out[RECEIPT_PAYLOAD_MAX + 1],
                         const struct receipt_record *r,
                         const unsigned char sk[SWS_SK_BYTES],
                         struct sws_err *err)
{
  unsigned char msg[RECEIPT_PREFIX_LEN + RECEIPT_RECORD_MAX];
  unsigned char all[RECEIPT_RECORD_MAX + SWS_SIG_BYTES];
  size_t n;
  int rc;
  out[0] = '\0';
  memcpy(msg, RECEIPT_PREFIX, RECEIPT_PREFIX_LEN);
  if ((rc = receipt_record_encode(r, msg + RECEIPT_PREFIX_LEN, &n, err)) != 0)
    return rc;
  memcpy(all, msg + RECEIPT_PREFIX_LEN, n);
  sws_sign(all + n, msg, RECEIPT_PREFIX_LEN + n, sk);
  memcpy(out, RECEIPT_PREFIX, RECEIPT_PREFIX_LEN);
  if (receipt_base45_encode(out + RECEIPT_PREFIX_LEN,
                            RECEIPT_PAYLOAD_MAX + 1 - RECEIPT_PREFIX_LEN, all,
                            n + SWS_SIG_BYTES) < 0) {
    out[0] = '\0';
    return sws_err_set(err, SWS_EINVAL, "receipt payload too long");
  }
  return SWS_OK;
}

int receipt_payload_looks_like(const char *z)
{
  if ((z[0] != 'S' && z[0] != 's') || (z[1] != 'W' && z[1] != 'w'))
    return 0;
  size_t i = 2;
  while (z[i] >= '0' && z[i] <= '9')
    i++;
  return i > 2 && z[i] == ':';
}

int receipt_payload_parse(struct receipt_parsed *out, const char *z,
                          struct sws_err *err)
{
  unsigned char all[RECEIPT_RECORD_MAX + SWS_SIG_BYTES];
  size_t n = strlen(z);
  int rc;
  memset(out, 0, sizeof *out);
  if (strncmp(z, RECEIPT_PREFIX, RECEIPT_PREFIX_LEN) != 0) {
    if (strncmp(z, "sw", 2) == 0 || strncmp(z, "Sw", 2) == 0 ||
        strncmp(z, "sW", 2) == 0)
      return malformed(err, "typed in lower case (is Caps Lock on, or the "
                       "scanner set to lower case?)");
    if (receipt_payload_looks_like(z))
      return sws_err_set(err, SWS_EINVAL, "this receipt code is of a newer "
                         "format than this sws knows (%.*s); update sws",
                         (int)(strchr(z, ':') - z), z);
    return malformed(err, "it does not start with " RECEIPT_PREFIX);
  }
  z += RECEIPT_PREFIX_LEN;
  n -= RECEIPT_PREFIX_LEN;
  if (n > RECEIPT_PAYLOAD_MAX - RECEIPT_PREFIX_LEN)
    return malformed(err, "too long");
  int k = receipt_base45_decode(all, sizeof all, z, n);
  if (k < 0) {
    for (size_t i = 0; i < n; i++)
      if (z[i] >= 'a' && z[i] <= 'z')
        return malformed(err, "lower-case letters in it (is Caps Lock on, "
                         "or the scanner set to lower case?)");
    return malformed(err, "damaged characters");
  }
  if ((size_t)k < RECEIPT_RECORD_MIN + SWS_SIG_BYTES)
    return malformed(err, "too short");
  size_t nRec = (size_t)k - SWS_SIG_BYTES;
  if ((rc = receipt_record_decode(&out->rec, all, nRec, err)) != 0)
    return rc;
  memcpy(out->msg, RECEIPT_PREFIX, RECEIPT_PREFIX_LEN);
  memcpy(out->msg + RECEIPT_PREFIX_LEN, all, nRec);
  out->nMsg = RECEIPT_PREFIX_LEN + nRec;
  memcpy(out->sig, all + nRec, SWS_SIG_BYTES);
  return SWS_OK;
}

int receipt_payload_check(const struct receipt_parsed *p,
                          const unsigned char pk[SWS_PK_BYTES])
{
  return sws_sign_verify(p->sig, p->msg, p->nMsg, pk);
}
