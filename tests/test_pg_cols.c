/*
 * test_pg_cols.c - rows as binary text[] columns for PostgreSQL: the
 * bytes array_recv reads (header, lengths, NULLs), JSON values as
 * PostgreSQL's json functions would give them, and a column short of a
 * value refused. What PostgreSQL makes of them is tested end to end in
 * suite sync_pg (test_sync__awkward_text_is_stored_exactly).
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "support.h"
#include "sync/pg_cols.h"

static uint32_t get32(const char *z)
{
  const unsigned char *p = (const unsigned char *)z;
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

static void test_pg_cols__layout(void)
{
  struct pg_cols c;
  pg_cols_init(&c, 2);
  pg_cols_text(&c, 0, "ab");
  pg_cols_text(&c, 1, NULL);
  pg_cols_text(&c, 0, "");
  pg_cols_text(&c, 1, "{\"x\",\\}");
  T_OK(pg_cols_finish(&c, &t_err));
  CU_ASSERT_EQUAL(c.n, 2);
  CU_ASSERT_EQUAL(c.nRows, 2);
  const char *a = c.aVal[0];
  CU_ASSERT_EQUAL(c.aFmt[0], 1);
  CU_ASSERT_EQUAL(get32(a), 1);      /* one dimension */
  CU_ASSERT_EQUAL(get32(a + 4), 0);  /* no NULL */
  CU_ASSERT_EQUAL(get32(a + 8), 25); /* text */
  CU_ASSERT_EQUAL(get32(a + 12), 2); /* two values */
  CU_ASSERT_EQUAL(get32(a + 16), 1); /* from 1 */
  CU_ASSERT_EQUAL(get32(a + 20), 2);
  CU_ASSERT_EQUAL(memcmp(a + 24, "ab", 2), 0);
  CU_ASSERT_EQUAL(get32(a + 26), 0); /* the empty text, not NULL */
  CU_ASSERT_EQUAL(c.aLen[0], 30);
  const char *b = c.aVal[1];
  CU_ASSERT_EQUAL(get32(b + 4), 1); /* has a NULL */
  CU_ASSERT_EQUAL(get32(b + 20), UINT32_MAX);
  CU_ASSERT_EQUAL(get32(b + 24), 7); /* bytes as they are, no quoting */
  CU_ASSERT_EQUAL(memcmp(b + 28, "{\"x\",\\}", 7), 0);
  CU_ASSERT_EQUAL(c.aLen[1], 35);
  pg_cols_release(&c);
}

/* The value written for each kind of JSON value: bytes after the header
 * and the length of the single element. */
static void json_as(const char *zJson, const char *zWant)
{
  struct pg_cols c;
  json_t *j = json_loads(zJson, JSON_DECODE_ANY, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(j);
  pg_cols_init(&c, 1);
  pg_cols_json(&c, 0, j);
  T_OK(pg_cols_finish(&c, &t_err));
  if (zWant == NULL) {
    CU_ASSERT_EQUAL(get32(c.aVal[0] + 20), UINT32_MAX);
  } else {
    CU_ASSERT_EQUAL(get32(c.aVal[0] + 20), strlen(zWant));
    CU_ASSERT_EQUAL(memcmp(c.aVal[0] + 24, zWant, strlen(zWant)), 0);
  }
  pg_cols_release(&c);
  json_decref(j);
}

static void test_pg_cols__json_values(void)
{
  json_as("\"ភូមិ \\\"1\\\"\"", "ភូមិ \"1\"");
  json_as("-42", "-42");
  json_as("0.1", "0.10000000000000001"); /* read back as the same double */
  json_as("true", "true");
  json_as("null", NULL);
  json_as("{\"a\": [1, 2]}", "{\"a\":[1,2]}");
  /* no value at all (a field the row does not have) is NULL too */
  struct pg_cols c;
  pg_cols_init(&c, 1);
  pg_cols_json(&c, 0, NULL);
  T_OK(pg_cols_finish(&c, &t_err));
  CU_ASSERT_EQUAL(get32(c.aVal[0] + 20), UINT32_MAX);
  pg_cols_release(&c);
}

static void test_pg_cols__short_column_refused(void)
{
  struct pg_cols c;
  pg_cols_init(&c, 3);
  for (int i = 0; i < 3; i++) {
    pg_cols_text(&c, 0, "a");
    pg_cols_text(&c, 1, "b");
    if (i < 2)
      pg_cols_text(&c, 2, "c");
  }
  CU_ASSERT_NOT_EQUAL(pg_cols_finish(&c, &t_err), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "column 3 of 3 has 2 values"));
  pg_cols_release(&c);
  /* a column out of range is ignored, not written past the end */
  pg_cols_init(&c, 1);
  pg_cols_text(&c, 5, "x");
  pg_cols_text(&c, -1, "x");
  pg_cols_text(&c, 0, "y");
  T_OK(pg_cols_finish(&c, &t_err));
  CU_ASSERT_EQUAL(c.nRows, 1);
  pg_cols_release(&c);
}

static CU_TestInfo tests[] = {
    {"test_pg_cols__layout", test_pg_cols__layout},
    {"test_pg_cols__json_values", test_pg_cols__json_values},
    {"test_pg_cols__short_column_refused", test_pg_cols__short_column_refused},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_pg_cols = {"pg_cols", NULL, NULL, NULL, NULL, tests};
