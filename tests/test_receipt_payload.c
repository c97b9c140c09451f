/*
 * test_receipt_payload.c - the signed receipt payload
 * (receipts/payload.c): byte layout, round trips for every kind of
 * subject, sizes and QR versions, strict parsing, and that no changed
 * character and no other key ever verifies.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "receipts/payload.h"
#include "receipts/qr.h"

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

static int setup(void)
{
  sws_sign_keypair(g_pk, g_sk);
  return 0;
}

static struct receipt_record rec(int kind, const char *zIssuer)
{
  struct receipt_record r;
  memset(&r, 0, sizeof r);
  r.kind = kind;
  r.serial = 42;
  r.issued_s = 1772440200; /* 2026-03-02T08:30:00Z */
  snprintf(r.zIssuer, sizeof r.zIssuer, "%s", zIssuer);
  receipt_key_id(r.key_id, g_pk);
  return r;
}

static void test_receipt_payload__byte_layout(void)
{
  struct receipt_record r = rec(RECEIPT_GRIEVANCE, "KH12");
  struct sws_err err = SWS_ERR_INIT;
  unsigned char b[RECEIPT_RECORD_MAX];
  size_t n;
  CU_ASSERT_EQUAL(receipt_record_set_number(&r, "KH12-G-000007-" "X", &err),
                  SWS_EINVAL); /* wrong check character */
  char zNum[SWS_NUMBER_MAX];
  sws_number_format(zNum, sizeof zNum, "KH12-G", 7);
  CU_ASSERT_EQUAL_FATAL(receipt_record_set_number(&r, zNum, &err), 0);
  CU_ASSERT_EQUAL(r.subject, RECEIPT_SUBJECT_OWN);
  CU_ASSERT_EQUAL(receipt_record_encode(&r, b, &n, &err), 0);
  CU_ASSERT_EQUAL_FATAL(n, 23);
  static const unsigned char want[] = {
      0x02, 0x01,                         /* grievance, own number */
      0, 0, 0, 0,                         /* key id (checked below) */
      0x00, 0x00, 0x00, 0x2a,             /* serial 42 */
      0x69, 0xa5, 0x4a, 0x88,             /* 1772440200 */
      0x04, 'K', 'H', '1', '2',           /* issuer */
      0x00, 0x00, 0x00, 0x07};            /* sequence 7 */
  CU_ASSERT_EQUAL(memcmp(b, want, 2), 0);
  CU_ASSERT_EQUAL(memcmp(b + 2, r.key_id, 4), 0);
  CU_ASSERT_EQUAL(memcmp(b + 6, want + 6, sizeof want - 6), 0);
  char zBack[SWS_NUMBER_MAX];
  CU_ASSERT_EQUAL(receipt_record_number(&r, zBack, sizeof zBack), 0);
  CU_ASSERT_STRING_EQUAL(zBack, zNum);
}

/* Sign r, parse it back, check everything survived and it verifies. */
static void round_trip(const struct receipt_record *r, const char *zNumber,
                       size_t *pLen, int *pVersion)
{
  struct sws_err err = SWS_ERR_INIT;
  char z[RECEIPT_PAYLOAD_MAX + 1], zBack[SWS_NUMBER_MAX];
  struct receipt_parsed p;
  struct receipt_qr qr = RECEIPT_QR_INIT;
  CU_ASSERT_EQUAL_FATAL(receipt_payload_sign(z, r, g_sk, &err), 0);
  CU_ASSERT_EQUAL(strncmp(z, "SW1:", 4), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_payload_parse(&p, z, &err), 0);
  CU_ASSERT_EQUAL(p.rec.kind, r->kind);
  CU_ASSERT_EQUAL(p.rec.subject, r->subject);
  CU_ASSERT_EQUAL(p.rec.serial, r->serial);
  CU_ASSERT_EQUAL(p.rec.issued_s, r->issued_s);
  CU_ASSERT_STRING_EQUAL(p.rec.zIssuer, r->zIssuer);
  CU_ASSERT_EQUAL(memcmp(p.rec.key_id, r->key_id, 4), 0);
  receipt_record_number(&p.rec, zBack, sizeof zBack);
  CU_ASSERT_STRING_EQUAL(zBack, zNumber ? zNumber : "");
  CU_ASSERT_EQUAL(receipt_payload_check(&p, g_pk), 1);
  /* deterministic: a reprint carries the same code */
  char z2[RECEIPT_PAYLOAD_MAX + 1];
  CU_ASSERT_EQUAL(receipt_payload_sign(z2, r, g_sk, &err), 0);
  CU_ASSERT_STRING_EQUAL(z, z2);
  CU_ASSERT_EQUAL_FATAL(receipt_qr_encode(&qr, z, 7, &err), 0);
  *pLen = strlen(z);
  *pVersion = qr.version;
  receipt_qr_release(&qr);
}

static void test_receipt_payload__sizes_fit_qr_version_7_at_m(void)
{
  struct sws_err err = SWS_ERR_INIT;
  char zNum[SWS_NUMBER_MAX];
  size_t n;
  int v;
  static const struct {
    int kind;
    const char *zIssuer, *zPrefix; /* NULL prefix: opaque */
    size_t len;
    int version;
  } cases[] = {
      {RECEIPT_REGISTRATION, "KH12", "KH12", 135, 6},
      {RECEIPT_GRIEVANCE, "KH12", "KH12-G", 135, 6},
      {RECEIPT_REFERRAL, "KH12", "KH12-R", 135, 6},
      {RECEIPT_GRIEVANCE, "KH12", NULL, 129, 6},       /* anonymous */
      {RECEIPT_REGISTRATION, "KH12", "KH12-M1", 147, 6}, /* other device */
      {RECEIPT_REGISTRATION, "MN-UB-SUKHBAATAR", "MN-UB-CHINGELTEI",
       178, 7}, /* the longest codes there are */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct receipt_record r = rec(cases[i].kind, cases[i].zIssuer);
    if (cases[i].zPrefix) {
      const char *zPrefix = cases[i].zPrefix;
      int64_t seq = 123;
      while (!sws_number_issuable(zPrefix, seq))
        seq++;
      sws_number_format(zNum, sizeof zNum, zPrefix, seq);
      CU_ASSERT_EQUAL_FATAL(receipt_record_set_number(&r, zNum, &err), 0);
    }
    round_trip(&r, cases[i].zPrefix ? zNum : NULL, &n, &v);
    if (n != cases[i].len || v != cases[i].version)
      fprintf(stderr, "\n  case %zu: %zu characters, version %d\n", i, n,
              v);
    CU_ASSERT_EQUAL(n, cases[i].len);
    CU_ASSERT_EQUAL(v, cases[i].version);
    CU_ASSERT(n <= RECEIPT_PAYLOAD_MAX);
  }
}

static void test_receipt_payload__numbers_it_cannot_carry(void)
{
  struct sws_err err = SWS_ERR_INIT;
  char zNum[SWS_NUMBER_MAX];
  struct receipt_record r = rec(RECEIPT_REFERRAL, "KH12");
  /* a registration number is not a referral number */
  sws_number_format(zNum, sizeof zNum, "KH12", 5);
  CU_ASSERT_EQUAL(receipt_record_set_number(&r, zNum, &err), SWS_EINVAL);
  /* over 2^32 - 1 */
  sws_number_format(zNum, sizeof zNum, "KH12-R", 5000000000LL);
  CU_ASSERT_EQUAL(receipt_record_set_number(&r, zNum, &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(receipt_record_set_number(&r, "Sok Dara", &err),
                  SWS_EINVAL);
  /* an issuer that is not an office code is refused when encoding */
  struct receipt_record bad = rec(RECEIPT_REGISTRATION, "kh12");
  char z[RECEIPT_PAYLOAD_MAX + 1];
  CU_ASSERT_EQUAL(receipt_payload_sign(z, &bad, g_sk, &err), SWS_EINVAL);
  bad = rec(RECEIPT_REGISTRATION, "KH12");
  bad.serial = 0;
  CU_ASSERT_EQUAL(receipt_payload_sign(z, &bad, g_sk, &err), SWS_EINVAL);
}

static void test_receipt_payload__no_changed_character_verifies(void)
{
  static const char ALPHA[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_record r = rec(RECEIPT_REGISTRATION, "KH12");
  char z[RECEIPT_PAYLOAD_MAX + 1], t[RECEIPT_PAYLOAD_MAX + 1], zNum[48];
  struct receipt_parsed p;
  int nTried = 0, nBadSig = 0;
  sws_number_format(zNum, sizeof zNum, "KH12", 1);
  CU_ASSERT_EQUAL_FATAL(receipt_record_set_number(&r, zNum, &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_payload_sign(z, &r, g_sk, &err), 0);
  size_t n = strlen(z);
  for (size_t i = 0; i < n; i++) {
    for (const char *a = ALPHA; *a; a++) {
      if (*a == z[i])
        continue;
      memcpy(t, z, n + 1);
      t[i] = *a;
      nTried++;
      if (receipt_payload_parse(&p, t, &err) != 0)
        continue; /* malformed */
      nBadSig++;
      CU_ASSERT_EQUAL(receipt_payload_check(&p, g_pk), 0);
    }
  }
  CU_ASSERT(nTried > 5000);
  CU_ASSERT(nBadSig > nTried / 2); /* most parse and fail the signature */
  /* one character of the signature: parses, fails the signature */
  memcpy(t, z, n + 1);
  t[n - 10] = t[n - 10] == 'A' ? 'B' : 'A';
  CU_ASSERT_EQUAL_FATAL(receipt_payload_parse(&p, t, &err), 0);
  CU_ASSERT_EQUAL(receipt_payload_check(&p, g_pk), 0);
}

static void test_receipt_payload__another_key_does_not_verify(void)
{
  unsigned char pk2[SWS_PK_BYTES], sk2[SWS_SK_BYTES];
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_record r = rec(RECEIPT_GRIEVANCE, "KH12");
  struct receipt_parsed p;
  char z[RECEIPT_PAYLOAD_MAX + 1];
  sws_sign_keypair(pk2, sk2);
  CU_ASSERT_EQUAL_FATAL(receipt_payload_sign(z, &r, sk2, &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_payload_parse(&p, z, &err), 0);
  CU_ASSERT_EQUAL(receipt_payload_check(&p, g_pk), 0);
  CU_ASSERT_EQUAL(receipt_payload_check(&p, pk2), 1);
}

static void test_receipt_payload__strict_parsing_with_clear_messages(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_record r = rec(RECEIPT_REFERRAL, "KH12");
  struct receipt_parsed p;
  char z[RECEIPT_PAYLOAD_MAX + 1], t[RECEIPT_PAYLOAD_MAX + 8];
  CU_ASSERT_EQUAL_FATAL(receipt_payload_sign(z, &r, g_sk, &err), 0);
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, "Sok Dara", &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a valid receipt code"));
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, "SW2:ABC", &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "newer format"));
  snprintf(t, sizeof t, "sw1:%s", z + 4);
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, t, &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Caps Lock"));
  snprintf(t, sizeof t, "%s ", z); /* trailing space: not the code */
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, t, &err), SWS_EINVAL);
  snprintf(t, sizeof t, "%.*s", (int)strlen(z) - 3, z); /* cut short */
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, t, &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(receipt_payload_parse(&p, "SW1:", &err), SWS_EINVAL);
  CU_ASSERT(receipt_payload_looks_like("SW1:xyz"));
  CU_ASSERT(receipt_payload_looks_like("sw12:"));
  CU_ASSERT(!receipt_payload_looks_like("SW:"));
  CU_ASSERT(!receipt_payload_looks_like("Swann"));
  CU_ASSERT(!receipt_payload_looks_like("KH12-000001-E"));
}

static void test_receipt_payload__record_decoder_refuses_odd_records(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_record r = rec(RECEIPT_REGISTRATION, "KH12"), back;
  unsigned char b[RECEIPT_RECORD_MAX + 4];
  size_t n;
  r.subject = RECEIPT_SUBJECT_OTHER;
  snprintf(r.zSubjectDevice, sizeof r.zSubjectDevice, "KH13");
  r.seq = 9;
  CU_ASSERT_EQUAL_FATAL(receipt_record_encode(&r, b, &n, &err), 0);
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n, &err), 0);
  CU_ASSERT_STRING_EQUAL(back.zSubjectDevice, "KH13");
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n - 1, &err), SWS_EINVAL);
  b[n] = 0;
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n + 1, &err), SWS_EINVAL);
  b[0] = 9; /* no such kind */
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n, &err), SWS_EINVAL);
  b[0] = 1;
  b[15] = 'k'; /* lower case in the office code */
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n, &err), SWS_EINVAL);
  /* the subject's device written out although it is the issuer */
  snprintf(r.zSubjectDevice, sizeof r.zSubjectDevice, "KH12");
  CU_ASSERT_EQUAL_FATAL(receipt_record_encode(&r, b, &n, &err), 0);
  CU_ASSERT_EQUAL(receipt_record_decode(&back, b, n, &err), SWS_EINVAL);
}

static CU_TestInfo tests[] = {
    {"test_receipt_payload__byte_layout", test_receipt_payload__byte_layout},
    {"test_receipt_payload__sizes_fit_qr_version_7_at_m",
     test_receipt_payload__sizes_fit_qr_version_7_at_m},
    {"test_receipt_payload__numbers_it_cannot_carry",
     test_receipt_payload__numbers_it_cannot_carry},
    {"test_receipt_payload__no_changed_character_verifies",
     test_receipt_payload__no_changed_character_verifies},
    {"test_receipt_payload__another_key_does_not_verify",
     test_receipt_payload__another_key_does_not_verify},
    {"test_receipt_payload__strict_parsing_with_clear_messages",
     test_receipt_payload__strict_parsing_with_clear_messages},
    {"test_receipt_payload__record_decoder_refuses_odd_records",
     test_receipt_payload__record_decoder_refuses_odd_records},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_payload = {"receipt_payload", setup, NULL, NULL,
                                      NULL, tests};
