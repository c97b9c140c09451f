/*
 * test_form.c - core/form.c: form bodies and query strings decoded, and
 * every malformed or oversized input refused.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/form.h"
#include "core/mem.h"

static int parse(struct form *f, const char *z, const struct form_limits *lim,
                 struct sws_err *err)
{
  return form_parse(f, z, strlen(z), lim, err);
}

static void test_form__decodes_pairs_plus_and_escapes(void)
{
  struct form f = FORM_INIT;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(parse(&f, "a=1&name=Sok+Dara&city=Phnom%20Penh"
                              "&e=%C3%A9t%C3%A9&plus=1%2B1&empty=&flag",
                              NULL, &err), 0);
  CU_ASSERT_EQUAL(f.n, 6 + 1);
  CU_ASSERT_STRING_EQUAL(form_get(&f, "a"), "1");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "name"), "Sok Dara");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "city"), "Phnom Penh");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "e"), "\xc3\xa9t\xc3\xa9");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "plus"), "1+1");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "empty"), "");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "flag"), "");
  CU_ASSERT_PTR_NULL(form_get(&f, "missing"));
  form_release(&f);
  CU_ASSERT_EQUAL(f.n, 0);
}

static void test_form__keeps_duplicates_skips_empty_pieces(void)
{
  struct form f = FORM_INIT;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL_FATAL(parse(&f, "&&x=1&&x=2&y=%E1%9E%80&", NULL, &err), 0);
  CU_ASSERT_EQUAL(f.n, 3);
  CU_ASSERT_EQUAL(form_count(&f, "x"), 2);
  CU_ASSERT_STRING_EQUAL(form_get(&f, "x"), "1");
  CU_ASSERT_STRING_EQUAL(f.a[1].zValue, "2");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "y"), "\xe1\x9e\x80"); /* Khmer KA */
  form_release(&f);
  /* ';' is data, '=' inside a value is data */
  CU_ASSERT_EQUAL_FATAL(parse(&f, "a=1;b=2&c=x=y", NULL, &err), 0);
  CU_ASSERT_STRING_EQUAL(form_get(&f, "a"), "1;b=2");
  CU_ASSERT_STRING_EQUAL(form_get(&f, "c"), "x=y");
  form_release(&f);
  CU_ASSERT_EQUAL_FATAL(parse(&f, "", NULL, &err), 0);
  CU_ASSERT_EQUAL(f.n, 0);
  form_release(&f);
}

static void test_form__refuses_bad_escapes_nul_and_bad_utf8(void)
{
  const char *bad[] = {"a=%", "a=%4", "a=%G1", "a=%4g", "%zz=1", "a=%00",
                       "a%00b=1", "a=%C3", "a=%C3%28", "a=%ED%A0%80",
                       "a=%C0%AF", "=1", "=", "a%0A=1", "a=%FF"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct form f = FORM_INIT;
    struct sws_err err = SWS_ERR_INIT;
    int rc = parse(&f, bad[i], NULL, &err);
    if (rc != SWS_EINVAL)
      fprintf(stderr, "\n  accepted '%s' (%d)\n", bad[i], rc);
    CU_ASSERT_EQUAL(rc, SWS_EINVAL);
    CU_ASSERT(err.msg[0] != '\0');
    CU_ASSERT_EQUAL(f.n, 0);
    CU_ASSERT_PTR_NULL(f.a);
    form_release(&f);
  }
  /* newlines in a value are fine (a textarea), in a name not */
  struct form f = FORM_INIT;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(parse(&f, "note=line1%0D%0Aline2", NULL, &err), 0);
  CU_ASSERT_STRING_EQUAL(form_get(&f, "note"), "line1\r\nline2");
  form_release(&f);
}

static void test_form__caps_fields_names_values_and_input(void)
{
  struct form_limits lim = {3, 4, 8, 64};
  struct form f = FORM_INIT;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(parse(&f, "a=1&b=2&c=3", &lim, &err), 0);
  form_release(&f);
  CU_ASSERT_EQUAL(parse(&f, "a=1&b=2&c=3&d=4", &lim, &err), SWS_ETOOBIG);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "3 fields"));
  CU_ASSERT_EQUAL(f.n, 0);
  CU_ASSERT_EQUAL(parse(&f, "abcd=1", &lim, &err), 0);
  form_release(&f);
  CU_ASSERT_EQUAL(parse(&f, "abcde=1", &lim, &err), SWS_ETOOBIG);
  /* the cap is on decoded bytes: 8 escapes make 8 bytes */
  CU_ASSERT_EQUAL(parse(&f, "v=%41%41%41%41%41%41%41%41", &lim, &err), 0);
  CU_ASSERT_STRING_EQUAL(form_get(&f, "v"), "AAAAAAAA");
  form_release(&f);
  CU_ASSERT_EQUAL(parse(&f, "v=123456789", &lim, &err), SWS_ETOOBIG);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "value of field 1"));
  char big[100];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  CU_ASSERT_EQUAL(parse(&f, big, &lim, &err), SWS_ETOOBIG);
  CU_ASSERT_EQUAL(f.n, 0);
  /* defaults: 256 fields */
  struct buf b;
  buf_init(&b, (size_t)1 << 20);
  for (int i = 0; i < 257; i++)
    buf_appendf(&b, "f%d=%d&", i, i);
  CU_ASSERT_EQUAL(form_parse(&f, b.z, b.n, NULL, &err), SWS_ETOOBIG);
  buf_release(&b);
}

static void test_form__unescape_for_paths(void)
{
  char out[16];
  CU_ASSERT_EQUAL(form_unescape(out, sizeof out, "/a%20b+c", 8, 0), 6);
  CU_ASSERT_STRING_EQUAL(out, "/a b+c");
  CU_ASSERT_EQUAL(form_unescape(out, sizeof out, "a+b", 3, 1), 3);
  CU_ASSERT_STRING_EQUAL(out, "a b");
  CU_ASSERT_EQUAL(form_unescape(out, sizeof out, "%2", 2, 0), -1);
  CU_ASSERT_EQUAL(form_unescape(out, sizeof out, "%00", 3, 0), -1);
  CU_ASSERT_EQUAL(form_unescape(out, 4, "abcd", 4, 0), -1);
  CU_ASSERT_EQUAL(form_unescape(out, 5, "abcd", 4, 0), 4);
  CU_ASSERT_EQUAL(form_unescape(out, 0, "", 0, 0), -1);
}

static CU_TestInfo tests[] = {
    {"test_form__decodes_pairs_plus_and_escapes",
     test_form__decodes_pairs_plus_and_escapes},
    {"test_form__keeps_duplicates_skips_empty_pieces",
     test_form__keeps_duplicates_skips_empty_pieces},
    {"test_form__refuses_bad_escapes_nul_and_bad_utf8",
     test_form__refuses_bad_escapes_nul_and_bad_utf8},
    {"test_form__caps_fields_names_values_and_input",
     test_form__caps_fields_names_values_and_input},
    {"test_form__unescape_for_paths", test_form__unescape_for_paths},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_form = {"form", NULL, NULL, NULL, NULL, tests};
