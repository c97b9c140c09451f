/*
 * test_receipt_base45.c - base45 (receipts/base45.c): the RFC 9285 test
 * vectors, strict decoding (only canonical text), and round trips.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "core/crypto.h"
#include "receipts/base45.h"

static void check_encode(const char *zIn, const char *zOut)
{
  char z[128];
  unsigned char b[128];
  int n = receipt_base45_encode(z, sizeof z, (const unsigned char *)zIn,
                                strlen(zIn));
  CU_ASSERT_EQUAL(n, (int)strlen(zOut));
  CU_ASSERT_STRING_EQUAL(z, zOut);
  CU_ASSERT_EQUAL(receipt_base45_len(strlen(zIn)), strlen(zOut));
  n = receipt_base45_decode(b, sizeof b, zOut, strlen(zOut));
  CU_ASSERT_EQUAL_FATAL(n, (int)strlen(zIn));
  CU_ASSERT_EQUAL(memcmp(b, zIn, (size_t)n), 0);
}

static void test_receipt_base45__rfc9285_vectors(void)
{
  check_encode("AB", "BB8");
  check_encode("Hello!!", "%69 VD92EX0");
  check_encode("base-45", "UJCLQE7W581");
  check_encode("ietf!", "QED8WEX0");
  check_encode("", "");
}

static int dec(const char *z)
{
  unsigned char b[64];
  return receipt_base45_decode(b, sizeof b, z, strlen(z));
}

static void test_receipt_base45__only_canonical_text_decodes(void)
{
  CU_ASSERT_EQUAL(dec("GGW"), -1);  /* 65536: one over two bytes */
  CU_ASSERT_EQUAL(dec("FGW"), 2);   /* 65535 */
  CU_ASSERT_EQUAL(dec("ZZ"), -1);   /* a last pair over 255 */
  CU_ASSERT_EQUAL(dec("U5"), 1);    /* 255 */
  CU_ASSERT_EQUAL(dec("BB8A"), -1); /* one character left over */
  CU_ASSERT_EQUAL(dec("bb8"), -1);  /* lower case is not base45 */
  CU_ASSERT_EQUAL(dec("BB["), -1);
  CU_ASSERT_EQUAL(dec("BB\xc3"), -1);
  CU_ASSERT_EQUAL(receipt_base45_decode(NULL, 0, "", 0), 0);
  unsigned char one[1];
  CU_ASSERT_EQUAL(receipt_base45_decode(one, 1, "BB8", 3), -1); /* cap */
  char small[4];
  CU_ASSERT_EQUAL(receipt_base45_encode(small, sizeof small,
                                        (const unsigned char *)"ABC", 3),
                  -1);
  CU_ASSERT_STRING_EQUAL(small, "");
}

static void test_receipt_base45__random_round_trips(void)
{
  unsigned char in[120], back[120];
  char z[200];
  for (int round = 0; round < 500; round++) {
    size_t n = (size_t)round % sizeof in;
    sws_random(in, n);
    int k = receipt_base45_encode(z, sizeof z, in, n);
    CU_ASSERT_EQUAL_FATAL(k, (int)receipt_base45_len(n));
    /* the last character of a group is never a space, so a text field
     * that trims white space cannot shorten a code */
    if (k > 0)
      CU_ASSERT_NOT_EQUAL(z[k - 1], ' ');
    CU_ASSERT_EQUAL_FATAL(receipt_base45_decode(back, sizeof back, z,
                                                (size_t)k),
                          (int)n);
    CU_ASSERT_EQUAL(memcmp(in, back, n), 0);
  }
}

static CU_TestInfo tests[] = {
    {"test_receipt_base45__rfc9285_vectors",
     test_receipt_base45__rfc9285_vectors},
    {"test_receipt_base45__only_canonical_text_decodes",
     test_receipt_base45__only_canonical_text_decodes},
    {"test_receipt_base45__random_round_trips",
     test_receipt_base45__random_round_trips},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_base45 = {"receipt_base45", NULL, NULL, NULL,
                                     NULL, tests};
