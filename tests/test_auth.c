/*
 * test_auth.c - sync/auth.c: signed requests (round trip, every changed
 * byte refused, wrong key, the time window and its messages) and feed
 * cursors (round trip, forged, another office's, garbage).
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "sync/auth.h"

#define NOW 1767225600 /* 2026-01-01T00:00:00Z */
#define WINDOW 900

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];
static const char BODY[] = "{\"batch\":\"b1\",\"mutations\":[1,2,3]}";
static const char PATH[] = "/v1/feed?cursor=abc_-DEF&max=65536";

static int setup(void)
{
  sws_sign_keypair(g_pk, g_sk);
  return 0;
}

static int verify(const struct sync_auth_headers *h, const char *zMethod,
                  const char *zPath, const char *zBody, int64_t now,
                  struct sws_err *err)
{
  return sync_auth_verify(zMethod, zPath, zBody, strlen(zBody), h->zOffice,
                          h->zTime, h->zNonce, h->zSig, g_pk, now, WINDOW,
                          err);
}

static void test_auth__sign_verify_round_trip(void)
{
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "POST", PATH, BODY,
                                       strlen(BODY), NOW, &err), 0);
  CU_ASSERT_STRING_EQUAL(h.zOffice, "KH12");
  CU_ASSERT_STRING_EQUAL(h.zTime, "1767225600");
  CU_ASSERT(strlen(h.zNonce) >= SYNC_NONCE_MIN);
  CU_ASSERT_EQUAL(strlen(h.zSig), 86);
  CU_ASSERT_EQUAL(verify(&h, "POST", PATH, BODY, NOW, &err), 0);
  /* an empty body (GET) signs the hash of nothing; NULL is allowed */
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12-M1", g_sk, "GET", "/v1/x",
                                       NULL, 0, NOW, &err), 0);
  CU_ASSERT_EQUAL(sync_auth_verify("GET", "/v1/x", NULL, 0, h.zOffice,
                                   h.zTime, h.zNonce, h.zSig, g_pk, NOW,
                                   WINDOW, &err), 0);
  /* two signatures of the same request differ by their nonce */
  struct sync_auth_headers h2;
  CU_ASSERT_EQUAL(sync_auth_sign(&h2, "KH12-M1", g_sk, "GET", "/v1/x", NULL,
                                 0, NOW, &err), 0);
  CU_ASSERT_STRING_NOT_EQUAL(h.zNonce, h2.zNonce);
}

/* A signature made for one office does not verify as another's, even
 * under the same key (a registry that once enrolled a key twice, or an
 * attacker who rewrites the office header): the code is signed. */
static void test_auth__office_code_is_signed(void)
{
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "POST", PATH, BODY,
                                       strlen(BODY), NOW, &err), 0);
  CU_ASSERT_EQUAL(sync_auth_verify("POST", PATH, BODY, strlen(BODY), "KH13",
                                   h.zTime, h.zNonce, h.zSig, g_pk, NOW,
                                   WINDOW, &err), SYNC_AUTH_BADSIG);
  CU_ASSERT_EQUAL(sync_auth_verify("POST", PATH, BODY, strlen(BODY),
                                   "KH12-M1", h.zTime, h.zNonce, h.zSig,
                                   g_pk, NOW, WINDOW, &err),
                  SYNC_AUTH_BADSIG);
  CU_ASSERT_EQUAL(verify(&h, "POST", PATH, BODY, NOW, &err), 0);
}

/* Every single-character change of every signed part is refused. */
static void test_auth__any_changed_byte_fails(void)
{
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "POST", PATH, BODY,
                                       strlen(BODY), NOW, &err), 0);
  int accepted = 0, tried = 0;
  char z[sizeof PATH > sizeof BODY ? sizeof PATH : sizeof BODY];

  /* path and body: flip each byte */
  for (size_t i = 0; i < strlen(PATH); i++) {
    memcpy(z, PATH, sizeof PATH);
    z[i] = z[i] == 'A' ? 'B' : 'A';
    tried++;
    accepted += verify(&h, "POST", z, BODY, NOW, &err) == 0;
  }
  for (size_t i = 0; i < strlen(BODY); i++) {
    memcpy(z, BODY, sizeof BODY);
    z[i] ^= 0x01;
    tried++;
    accepted += verify(&h, "POST", PATH, z, NOW, &err) == 0;
  }
  CU_ASSERT_NOT_EQUAL(verify(&h, "PUT", PATH, BODY, NOW, &err), 0);
  /* a truncated body, and one byte more */
  CU_ASSERT_NOT_EQUAL(sync_auth_verify("POST", PATH, BODY, strlen(BODY) - 1,
                                       h.zOffice, h.zTime, h.zNonce, h.zSig,
                                       g_pk, NOW, WINDOW, &err), 0);
  CU_ASSERT_NOT_EQUAL(sync_auth_verify("POST", PATH, BODY, strlen(BODY) + 1,
                                       h.zOffice, h.zTime, h.zNonce, h.zSig,
                                       g_pk, NOW, WINDOW, &err), 0);
  /* the header values: each character replaced by every other legal one */
  static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
                            "wxyz0123456789-_";
  char *fields[] = {h.zNonce, h.zSig, h.zTime};
  for (int f = 0; f < 3; f++) {
    char *p = fields[f];
    size_t n = strlen(p);
    for (size_t i = 0; i < n; i++) {
      char keep = p[i];
      const char *alphabet = f == 2 ? "0123456789" : B64;
      /* every letter at the ends (base64 padding bits), a few elsewhere */
      size_t step = f == 1 && i > 0 && i < n - 2 ? 13 : 1;
      for (size_t k = 0; k < strlen(alphabet); k += step) {
        if (alphabet[k] == keep)
          continue;
        p[i] = alphabet[k];
        tried++;
        /* a moved time within the window is still refused: it is signed */
        accepted += verify(&h, "POST", PATH, BODY, NOW, &err) == 0;
      }
      p[i] = keep;
    }
  }
  if (accepted)
    fprintf(stderr, "\n  %d of %d altered requests accepted\n", accepted,
            tried);
  CU_ASSERT_EQUAL(accepted, 0);
  CU_ASSERT(tried > 2000);
  CU_ASSERT_EQUAL(verify(&h, "POST", PATH, BODY, NOW, &err), 0);
}

static void test_auth__wrong_key_is_a_bad_signature(void)
{
  unsigned char pk2[SWS_PK_BYTES], sk2[SWS_SK_BYTES];
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  sws_sign_keypair(pk2, sk2);
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", sk2, "POST", PATH, BODY,
                                       strlen(BODY), NOW, &err), 0);
  CU_ASSERT_EQUAL(verify(&h, "POST", PATH, BODY, NOW, &err),
                  SYNC_AUTH_BADSIG);
  CU_ASSERT_EQUAL(err.code, SWS_ECRYPTO);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "KH12"));
  /* a bad signature far outside the window is a bad signature, not a
   * clock problem: an unsigned time must not produce clock advice */
  CU_ASSERT_EQUAL(verify(&h, "POST", PATH, BODY, NOW + 400 * 86400, &err),
                  SYNC_AUTH_BADSIG);
}

static void test_auth__time_window_edges_and_message(void)
{
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "GET", PATH, "", 0,
                                       NOW, &err), 0);
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW + WINDOW, &err), 0);
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW - WINDOW, &err), 0);
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW + WINDOW + 1, &err),
                  SYNC_AUTH_TIME);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "15 minutes behind"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "date and time"));
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW - WINDOW - 1, &err),
                  SYNC_AUTH_TIME);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "ahead"));
  /* an office a year behind that did not correct its clock */
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW + 365 * 86400, &err),
                  SYNC_AUTH_TIME);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "365 days behind"));
  CU_ASSERT_EQUAL(err.code, SWS_ECRYPTO);
}

/* An office whose clock is a year off still signs in the window once it
 * corrects by the offset learnt from the hello. */
static void test_auth__clock_offset_corrects_skew(void)
{
  int64_t local = NOW - 365 * 86400; /* the office's wrong clock */
  int64_t offset = sync_auth_offset(NOW + 1, local, local + 2);
  CU_ASSERT_EQUAL(offset, 365 * 86400);
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "GET", PATH, "", 0,
                                       sync_auth_clock(local + 5, offset),
                                       &err), 0);
  CU_ASSERT_EQUAL(verify(&h, "GET", PATH, "", NOW + 6, &err), 0);
  char z[64];
  sync_auth_skew_text(z, sizeof z, 0);
  CU_ASSERT_STRING_EQUAL(z, "in step");
  sync_auth_skew_text(z, sizeof z, 1);
  CU_ASSERT_STRING_EQUAL(z, "1 second ahead of");
  sync_auth_skew_text(z, sizeof z, -119);
  CU_ASSERT_STRING_EQUAL(z, "119 seconds behind");
  sync_auth_skew_text(z, sizeof z, 120);
  CU_ASSERT_STRING_EQUAL(z, "2 minutes ahead of");
  /* rounded to the nearest: an hour ahead, read a second later */
  sync_auth_skew_text(z, sizeof z, 3599);
  CU_ASSERT_STRING_EQUAL(z, "60 minutes ahead of");
  sync_auth_skew_text(z, sizeof z, -3 * 3600 + 1);
  CU_ASSERT_STRING_EQUAL(z, "3 hours behind");
  sync_auth_skew_text(z, sizeof z, -3 * 3600);
  CU_ASSERT_STRING_EQUAL(z, "3 hours behind");
  sync_auth_skew_text(z, sizeof z, -offset);
  CU_ASSERT_STRING_EQUAL(z, "365 days behind");
  sync_auth_skew_text(z, sizeof z, INT64_MIN);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "days behind"));
}

static void test_auth__malformed_headers(void)
{
  struct sync_auth_headers h;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(sync_auth_sign(&h, "KH12", g_sk, "GET", PATH, "", 0,
                                       NOW, &err), 0);
  const char *office[] = {"", "K", "kh12", "12KH", "KH 12", "KH12345678901234X",
                          "KH_12"};
  for (size_t i = 0; i < sizeof office / sizeof office[0]; i++)
    CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, office[i], h.zTime,
                                     h.zNonce, h.zSig, g_pk, NOW, WINDOW,
                                     &err), SYNC_AUTH_MALFORMED);
  const char *times[] = {"", "-1", "+1767225600", "01767225600",
                         "1767225600 ", "17672256OO", "9999999999999999",
                         "1.5"};
  for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
    CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, h.zOffice, times[i],
                                     h.zNonce, h.zSig, g_pk, NOW, WINDOW,
                                     &err), SYNC_AUTH_MALFORMED);
  const char *nonces[] = {"", "short", "AAAAAAAAAAAAAAAAAAAA+/",
                          "AAAAAAAAAAAAAAAAAAAAA=",
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  for (size_t i = 0; i < sizeof nonces / sizeof nonces[0]; i++)
    CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, h.zOffice, h.zTime,
                                     nonces[i], h.zSig, g_pk, NOW, WINDOW,
                                     &err), SYNC_AUTH_MALFORMED);
  char sig[100];
  snprintf(sig, sizeof sig, "%s", h.zSig);
  sig[85] = '\0';
  CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, h.zOffice, h.zTime,
                                   h.zNonce, sig, g_pk, NOW, WINDOW, &err),
                  SYNC_AUTH_MALFORMED);
  snprintf(sig, sizeof sig, "%s=", h.zSig);
  CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, h.zOffice, h.zTime,
                                   h.zNonce, sig, g_pk, NOW, WINDOW, &err),
                  SYNC_AUTH_MALFORMED);
  CU_ASSERT_EQUAL(sync_auth_verify("GET", PATH, "", 0, NULL, NULL, NULL,
                                   NULL, g_pk, NOW, WINDOW, &err),
                  SYNC_AUTH_MALFORMED);
  CU_ASSERT_EQUAL(err.code, SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not signed"));
  /* paths and methods that cannot be signed unambiguously */
  const char *paths[] = {"", "v1/x", "/v1/x\nGET", "/v1/a b", "/v1/\xc3\xa9",
                         "/v1/x#frag"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    CU_ASSERT_EQUAL(sync_auth_sign(&h, "KH12", g_sk, "GET", paths[i], "", 0,
                                   NOW, &err), SWS_EINVAL);
  }
  CU_ASSERT_EQUAL(sync_auth_sign(&h, "KH12", g_sk, "get", "/v1/x", "", 0, NOW,
                                 &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(sync_auth_sign(&h, "kh12", g_sk, "GET", "/v1/x", "", 0, NOW,
                                 &err), SWS_EINVAL);
}

static const unsigned char KEY[32] = "0123456789abcdef0123456789abcdef";

static void test_auth__cursor_round_trip(void)
{
  char z[SYNC_CURSOR_MAX + 1];
  struct sws_err err = SWS_ERR_INIT;
  int64_t e, s;
  CU_ASSERT_EQUAL_FATAL(sync_cursor_make(KEY, "KH12", 3, 123456, z, &err), 0);
  CU_ASSERT(strlen(z) <= SYNC_CURSOR_MAX);
  CU_ASSERT_EQUAL(strspn(z, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
                            "wxyz0123456789-_"), strlen(z));
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, z, "KH12", &e, &s, &err), 0);
  CU_ASSERT_EQUAL(e, 3);
  CU_ASSERT_EQUAL(s, 123456);
  CU_ASSERT_EQUAL_FATAL(sync_cursor_make(KEY, "KH12345678901234", INT64_MAX,
                                         0, z, &err), 0);
  CU_ASSERT(strlen(z) <= SYNC_CURSOR_MAX);
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, z, "KH12345678901234", &e, &s, &err),
                  0);
  CU_ASSERT_EQUAL(e, INT64_MAX);
  CU_ASSERT_EQUAL(s, 0);
  CU_ASSERT_EQUAL(sync_cursor_make(KEY, "bad code", 1, 1, z, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(sync_cursor_make(KEY, "KH12", -1, 1, z, &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(sync_cursor_make(KEY, "KH12", 1, -1, z, &err), SWS_EINVAL);
  /* two numbers (PostgreSQL's feed position), longest office code and
   * largest values: still within SYNC_CURSOR_MAX; a one-number reader
   * refuses it rather than drop the transaction */
  int64_t x;
  CU_ASSERT_EQUAL_FATAL(sync_cursor_make2(KEY, "KH12345678901234", INT64_MAX,
                                          INT64_MAX, INT64_MAX, z, &err),
                        0);
  CU_ASSERT(strlen(z) <= SYNC_CURSOR_MAX);
  CU_ASSERT_EQUAL(sync_cursor_open2(KEY, z, "KH12345678901234", &e, &x, &s,
                                    &err),
                  0);
  CU_ASSERT_EQUAL(x, INT64_MAX);
  CU_ASSERT_EQUAL(s, INT64_MAX);
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, z, "KH12345678901234", &e, &s,
                                   &err),
                  SYNC_CURSOR_MALFORMED);
  /* a one-number cursor reads as xid 0 */
  CU_ASSERT_EQUAL_FATAL(sync_cursor_make(KEY, "KH12", 3, 77, z, &err), 0);
  CU_ASSERT_EQUAL(sync_cursor_open2(KEY, z, "KH12", &e, &x, &s, &err), 0);
  CU_ASSERT_EQUAL(x, 0);
  CU_ASSERT_EQUAL(s, 77);
  CU_ASSERT_EQUAL(sync_cursor_make2(KEY, "KH12", 1, -1, 1, z, &err),
                  SWS_EINVAL);
}

static void test_auth__cursor_forged_or_of_another_office(void)
{
  char z[SYNC_CURSOR_MAX + 1];
  struct sws_err err = SWS_ERR_INIT;
  int64_t e, s;
  CU_ASSERT_EQUAL_FATAL(sync_cursor_make(KEY, "KH12", 1, 42, z, &err), 0);
  /* another office's genuine cursor */
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, z, "KH13", &e, &s, &err),
                  SYNC_CURSOR_OTHER_OFFICE);
  CU_ASSERT_EQUAL(err.code, SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "KH12"));
  CU_ASSERT_EQUAL(e, 0);
  CU_ASSERT_EQUAL(s, 0);
  /* made under another key */
  unsigned char key2[32];
  memcpy(key2, KEY, 32);
  key2[31] ^= 1;
  CU_ASSERT_EQUAL(sync_cursor_open(key2, z, "KH12", &e, &s, &err),
                  SYNC_CURSOR_FORGED);
  CU_ASSERT_EQUAL(err.code, SWS_ECRYPTO);
  /* every character changed: refused (forged, or not a cursor at all) */
  static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
                            "wxyz0123456789-_";
  int accepted = 0, forged = 0;
  size_t n = strlen(z);
  for (size_t i = 0; i < n; i++) {
    char keep = z[i];
    for (const char *a = B64; *a; a++) {
      if (*a == keep)
        continue;
      z[i] = *a;
      int rc = sync_cursor_open(KEY, z, "KH12", &e, &s, &err);
      accepted += rc == 0;
      forged += rc == SYNC_CURSOR_FORGED;
      CU_ASSERT(rc == SYNC_CURSOR_FORGED || rc == SYNC_CURSOR_MALFORMED);
    }
    z[i] = keep;
  }
  CU_ASSERT_EQUAL(accepted, 0);
  CU_ASSERT(forged > (int)n * 50);
  /* garbage */
  const char *bad[] = {"", "x", "!!!!", "AAAA",
                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CU_ASSERT_EQUAL(sync_cursor_open(KEY, bad[i], "KH12", &e, &s, &err),
                    SYNC_CURSOR_MALFORMED);
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, NULL, "KH12", &e, &s, &err),
                  SYNC_CURSOR_MALFORMED);
  /* a valid HMAC over something shorter than a cursor is still forged:
   * 33 zero bytes with a random tag */
  char zz[SYNC_CURSOR_MAX + 1];
  unsigned char raw[40] = {0};
  sws_b64url(zz, raw, sizeof raw);
  CU_ASSERT_EQUAL(sync_cursor_open(KEY, zz, "KH12", &e, &s, &err),
                  SYNC_CURSOR_FORGED);
}

static CU_TestInfo tests[] = {
    {"test_auth__sign_verify_round_trip", test_auth__sign_verify_round_trip},
    {"test_auth__any_changed_byte_fails", test_auth__any_changed_byte_fails},
    {"test_auth__office_code_is_signed", test_auth__office_code_is_signed},
    {"test_auth__wrong_key_is_a_bad_signature",
     test_auth__wrong_key_is_a_bad_signature},
    {"test_auth__time_window_edges_and_message",
     test_auth__time_window_edges_and_message},
    {"test_auth__clock_offset_corrects_skew",
     test_auth__clock_offset_corrects_skew},
    {"test_auth__malformed_headers", test_auth__malformed_headers},
    {"test_auth__cursor_round_trip", test_auth__cursor_round_trip},
    {"test_auth__cursor_forged_or_of_another_office",
     test_auth__cursor_forged_or_of_another_office},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_auth = {"auth", setup, NULL, NULL, NULL, tests};
