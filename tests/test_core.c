/*
 * test_core.c - the plumbing in core/: buffers, check characters, clock,
 * text checks, CSV.
 */
#include <CUnit/CUnit.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/db.h"
#include "core/ids.h"
#include "core/memo.h"
#include "core/text.h"
#include "tests/support.h"

static void test_core__buf_caps_and_terminates(void)
{
  struct buf b;
  buf_init(&b, 8);
  CU_ASSERT_EQUAL(buf_puts(&b, "abc"), 0);
  CU_ASSERT_STRING_EQUAL(buf_str(&b), "abc");
  CU_ASSERT_EQUAL(buf_appendf(&b, "%d", 12345), 0);
  CU_ASSERT_EQUAL(b.n, 8);
  CU_ASSERT_EQUAL(buf_putc(&b, 'x'), SWS_ETOOBIG);
  CU_ASSERT(b.toobig);
  CU_ASSERT_STRING_EQUAL(buf_str(&b), "abc12345");
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(buf_check(&b, "the form", &err), SWS_ETOOBIG);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "the form"));
  buf_release(&b);
}

/* A message that quotes long text is cut, and never inside a character:
 * it goes to terminals, the web page and JSON, which need valid UTF-8. */
static void test_core__err_cut_keeps_utf8(void)
{
  for (int pad = 0; pad < 4; pad++) {
    char z[600];
    size_t n = 0;
    for (int i = 0; i < pad; i++)
      z[n++] = 'x';
    while (n + 4 < sizeof z) { /* Khmer (3 bytes) and a 4-byte character */
      memcpy(z + n, n % 2 ? "\xf0\x9f\x98\x80" : "\xe1\x9e\x80", n % 2 ? 4 : 3);
      n += n % 2 ? 4 : 3;
    }
    z[n] = '\0';
    struct sws_err err = SWS_ERR_INIT;
    CU_ASSERT_EQUAL(sws_err_set(&err, SWS_EINVAL, "name '%s' too long", z),
                    SWS_EINVAL);
    size_t k = strlen(err.msg);
    CU_ASSERT(k >= sizeof err.msg - 4 && k < sizeof err.msg);
    CU_ASSERT(sws_utf8_valid(err.msg, k));
    CU_ASSERT_EQUAL(strncmp(err.msg, "name '", 6), 0);
  }
  /* short messages are kept whole */
  struct sws_err err = SWS_ERR_INIT;
  sws_err_set(&err, SWS_EINVAL, "%s", "ស្រី");
  CU_ASSERT_STRING_EQUAL(err.msg, "ស្រី");
}

/* A translator for the tests: a few formats, some of them translated
 * wrongly on purpose (another argument order, a %n, another length). */
static const char *tr_test(void *arg, const char *zFmt)
{
  static const char *const A[][2] = {
      {"no household %s here", "គ្មានគ្រួសារ %s នៅទីនេះ"},
      {"%d line%s wrong", "%d мөр%.0s буруу"},
      {"%d of %s", "%s: %d"},                /* arguments swapped */
      {"take %s", "take %s%n"},              /* would write through an int* */
      {"count %lld", "тоо %d"},              /* another length */
      {"100%% of %s", "%s-ийн 100%%"},       /* %% is no argument */
      {"%s at the end", "%s, and a lone %"}, /* broken */
  };
  int *pCalls = arg;
  (*pCalls)++;
  for (size_t i = 0; i < sizeof A / sizeof A[0]; i++)
    if (strcmp(A[i][0], zFmt) == 0)
      return A[i][1];
  return zFmt;
}

static void test_core__err_translator(void)
{
  struct sws_err err = SWS_ERR_INIT;
  int calls = 0;
  void *pOld = &err;
  /* none set: English as written */
  sws_err_set(&err, SWS_EINVAL, "no household %s here", "KH12-1");
  CU_ASSERT_STRING_EQUAL(err.msg, "no household KH12-1 here");
  CU_ASSERT_PTR_NULL(sws_err_set_translator(tr_test, &calls, &pOld));
  CU_ASSERT_PTR_NULL(pOld);
  sws_err_set(&err, SWS_EINVAL, "no household %s here", "KH12-1");
  CU_ASSERT_STRING_EQUAL(err.msg, "គ្មានគ្រួសារ KH12-1 នៅទីនេះ");
  CU_ASSERT_EQUAL(calls, 1);
  /* "%.0s" takes the English plural's argument and shows nothing */
  sws_err_set(&err, SWS_EINVAL, "%d line%s wrong", 3, "s");
  CU_ASSERT_STRING_EQUAL(err.msg, "3 мөр буруу");
  sws_err_set(&err, SWS_EINVAL, "100%% of %s", "V1");
  CU_ASSERT_STRING_EQUAL(err.msg, "V1-ийн 100%");
  /* a translation taking other arguments is not used: English */
  sws_err_set(&err, SWS_EINVAL, "%d of %s", 2, "V1");
  CU_ASSERT_STRING_EQUAL(err.msg, "2 of V1");
  sws_err_set(&err, SWS_EINVAL, "take %s", "it");
  CU_ASSERT_STRING_EQUAL(err.msg, "take it");
  sws_err_set(&err, SWS_EINVAL, "count %lld", (long long)1 << 40);
  CU_ASSERT_STRING_EQUAL(err.msg, "count 1099511627776");
  sws_err_set(&err, SWS_EINVAL, "%s at the end", "x");
  CU_ASSERT_STRING_EQUAL(err.msg, "x at the end");
  /* a label translated on its own */
  CU_ASSERT_STRING_EQUAL(sws_err_translate("no household %s here"),
                         "គ្មានគ្រួសារ %s នៅទីនេះ");
  CU_ASSERT_STRING_EQUAL(sws_err_translate("not listed"), "not listed");
  /* taken away: English again, and the translator is given back */
  CU_ASSERT_PTR_EQUAL(sws_err_set_translator(NULL, NULL, &pOld), tr_test);
  CU_ASSERT_PTR_EQUAL(pOld, &calls);
  calls = 0;
  sws_err_set(&err, SWS_EINVAL, "no household %s here", "KH12-1");
  CU_ASSERT_STRING_EQUAL(err.msg, "no household KH12-1 here");
  CU_ASSERT_EQUAL(calls, 0);
}

static void *other_thread(void *arg)
{
  struct sws_err *err = arg;
  sws_err_set(err, SWS_EINVAL, "no household %s here", "KH12-2");
  return NULL;
}

/* The translator is the setting thread's: another thread (a registry
 * worker, the sync's push thread) never calls it. */
static void test_core__err_translator_is_per_thread(void)
{
  struct sws_err err = SWS_ERR_INIT;
  int calls = 0;
  pthread_t th;
  sws_err_set_translator(tr_test, &calls, NULL);
  CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, other_thread, &err), 0);
  pthread_join(th, NULL);
  sws_err_set_translator(NULL, NULL, NULL);
  CU_ASSERT_STRING_EQUAL(err.msg, "no household KH12-2 here");
  CU_ASSERT_EQUAL(calls, 0);
}

static const char ALNUM[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static void test_core__check_char_catches_every_single_error(void)
{
  char zNum[SWS_NUMBER_MAX];
  int missed = 0, tried = 0;
  const char *prefixes[] = {"KH12", "MN-UB3", "KH12-M1"};
  for (size_t p = 0; p < 3; p++) {
    for (int64_t seq = 1; seq < 3000; seq += 7) {
      if (!sws_number_issuable(prefixes[p], seq))
        continue;
      CU_ASSERT_EQUAL_FATAL(sws_number_format(zNum, sizeof zNum, prefixes[p],
                                              seq), 0);
      size_t n = strlen(zNum);
      /* every single substitution */
      for (size_t i = 0; i < n; i++) {
        if (zNum[i] == '-')
          continue;
        for (int k = 0; k < 36; k++) {
          if (ALNUM[k] == zNum[i])
            continue;
          char z[SWS_NUMBER_MAX];
          memcpy(z, zNum, n + 1);
          z[i] = ALNUM[k];
          struct sws_number num;
          tried++;
          if (sws_number_parse(z, &num) == SWS_NUMBER_OK)
            missed++;
        }
      }
      /* every swap of two neighbouring characters (across a hyphen too) */
      for (size_t i = 0; i + 1 < n; i++) {
        size_t j = i + 1;
        if (zNum[j] == '-')
          j++;
        if (j >= n || zNum[i] == '-' || zNum[i] == zNum[j])
          continue;
        char z[SWS_NUMBER_MAX];
        memcpy(z, zNum, n + 1);
        z[i] = zNum[j];
        z[j] = zNum[i];
        struct sws_number num;
        tried++;
        if (sws_number_parse(z, &num) == SWS_NUMBER_OK)
          missed++;
      }
    }
  }
  CU_ASSERT(tried > 100000);
  CU_ASSERT_EQUAL(missed, 0);
}

static void test_core__unissuable_numbers_are_rare(void)
{
  int skipped = 0;
  for (int64_t seq = 1; seq <= 3700; seq++)
    skipped += !sws_number_issuable("KH12", seq);
  /* one in 37 */
  CU_ASSERT(skipped >= 80 && skipped <= 120);
}

static void test_core__number_parse_shapes(void)
{
  struct sws_number n;
  char z[SWS_NUMBER_MAX];
  CU_ASSERT_EQUAL(sws_number_format(z, sizeof z, "KH12", 123), 0);
  CU_ASSERT_EQUAL(strncmp(z, "KH12-000123-", 12), 0);
  CU_ASSERT_EQUAL(sws_number_parse(z, &n), SWS_NUMBER_OK);
  CU_ASSERT_STRING_EQUAL(n.zPrefix, "KH12");
  CU_ASSERT_EQUAL(n.seq, 123);
  /* lower case and spaces are fine */
  char lower[SWS_NUMBER_MAX];
  snprintf(lower, sizeof lower, "  kh12-000123-%c ", (char)(z[12] | 0x20));
  CU_ASSERT_EQUAL(sws_number_parse(lower, &n), SWS_NUMBER_OK);
  CU_ASSERT_EQUAL(sws_number_parse("KH12-000123", &n), SWS_NUMBER_NO_CHECK);
  CU_ASSERT_STRING_EQUAL(n.zCanon, z);
  CU_ASSERT_EQUAL(sws_number_parse("KH12-M1-000042", &n),
                  SWS_NUMBER_NO_CHECK);
  CU_ASSERT_STRING_EQUAL(n.zPrefix, "KH12-M1");
  CU_ASSERT_EQUAL(sws_number_parse("Sok Dara", &n), SWS_NUMBER_MALFORMED);
  CU_ASSERT_EQUAL(sws_number_parse("012-345678", &n), SWS_NUMBER_MALFORMED);
  CU_ASSERT_EQUAL(sws_number_parse("", &n), SWS_NUMBER_MALFORMED);
  CU_ASSERT_EQUAL(sws_number_parse("KH12--1-X", &n), SWS_NUMBER_MALFORMED);
}

static void test_core__uuid7_is_ordered_and_unique(void)
{
  char a[SWS_UUID_LEN + 1], b[SWS_UUID_LEN + 1];
  sws_uuid7(a);
  for (int i = 0; i < 5000; i++) {
    sws_uuid7(b);
    CU_ASSERT_EQUAL(strlen(b), 36);
    CU_ASSERT_EQUAL(b[14], '7');
    CU_ASSERT(strcmp(a, b) < 0);
    CU_ASSERT(sws_uuid_ok(b, strlen(b)));
    memcpy(a, b, sizeof a);
  }
  /* what it writes, and nothing else */
  CU_ASSERT(!sws_uuid_ok("01900000-0000-7000-8000-00000000000A", 36));
  CU_ASSERT(!sws_uuid_ok("01900000-0000-7000-8000-00000000000", 35));
  CU_ASSERT(!sws_uuid_ok("0190000000000-7000-8000-000000000000", 36));
  CU_ASSERT(!sws_uuid_ok(NULL, 36));
}

static void test_core__clock_parses_and_obeys_sws_now(void)
{
  int64_t ms;
  char z[32];
  CU_ASSERT_EQUAL(sws_time_parse("2026-03-01T09:30:00Z", &ms, NULL), 0);
  sws_time_format(z, sizeof z, ms);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-01T09:30:00Z");
  CU_ASSERT_EQUAL(sws_time_parse("2026-03-01T16:30:00+07:00", &ms, NULL), 0);
  sws_time_format(z, sizeof z, ms);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-01T09:30:00Z");
  CU_ASSERT_EQUAL(sws_time_parse("2024-02-29", &ms, NULL), 0);
  CU_ASSERT_NOT_EQUAL(sws_time_parse("2025-02-29", &ms, NULL), 0);
  CU_ASSERT_NOT_EQUAL(sws_time_parse("2026-13-01", &ms, NULL), 0);
  CU_ASSERT_NOT_EQUAL(sws_time_parse("yesterday", &ms, NULL), 0);
  setenv("SWS_NOW", "2030-01-02T03:04:05Z", 1);
  sws_time_format(z, sizeof z, sws_now_ms());
  CU_ASSERT_STRING_EQUAL(z, "2030-01-02T03:04:05Z");
  setenv("SWS_NOW", "garbage", 1);
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(sws_clock_check_env(&err), SWS_EINVAL);
  unsetenv("SWS_NOW");
}

static void test_core__text_checks(void)
{
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(sws_text_check("name", "សុខ ដារ៉ា", 200, 0, &err), 0);
  CU_ASSERT_EQUAL(sws_text_check("name", "Энх", 200, 0, &err), 0);
  CU_ASSERT_EQUAL(sws_text_check("name", "bad\xff", 200, 0, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(sws_text_check("name", "\xc0\xaf", 200, 0, &err),
                  SWS_EINVAL); /* overlong */
  CU_ASSERT_EQUAL(sws_text_check("name", "\xed\xa0\x80", 200, 0, &err),
                  SWS_EINVAL); /* surrogate */
  CU_ASSERT_EQUAL(sws_text_check("name", "a\tb", 200, 0, &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(sws_text_check("note", "a\nb", 200, 1, &err), 0);
  CU_ASSERT_EQUAL(sws_text_check("name", "abcdef", 5, 0, &err), SWS_ETOOBIG);
  /* a name that reads as another's: right-to-left override, isolates,
   * C1 controls, a line separator; refused in one-line fields */
  static const char *const azShown[] = {
      "Sok \xe2\x80\xae"
      "anaD", /* U+202E */
      "Sok \xe2\x80\xaa"
      "Dara",                        /* U+202A */
      "\xe2\x81\xa6Sok\xe2\x81\xa9", /* U+2066, U+2069 */
      "Sok\xc2\x85"
      "Dara", /* U+0085, C1 */
      "Sok\xe2\x80\xa8"
      "Dara", /* U+2028 */
  };
  for (size_t i = 0; i < sizeof azShown / sizeof azShown[0]; i++) {
    CU_ASSERT_EQUAL(sws_text_check("the name", azShown[i], 200, 0, &err),
                    SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "U+"));
  }
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line separator"));
  CU_ASSERT_EQUAL(sws_text_check("the name", azShown[0], 200, 0, &err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "U+202E at character 5"));
  /* in a note (several lines), mixed scripts may need the isolates */
  CU_ASSERT_EQUAL(sws_text_check("the note", azShown[2], 200, 1, &err), 0);
  CU_ASSERT_EQUAL(sws_text_check("the note", azShown[3], 200, 1, &err),
                  SWS_EINVAL);
  int64_t v;
  CU_ASSERT_EQUAL(sws_parse_int64("--limit", "42", 1, 100, &v, &err), 0);
  CU_ASSERT_EQUAL(v, 42);
  CU_ASSERT_EQUAL(sws_parse_int64("--limit", "4x", 1, 100, &v, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(sws_parse_int64("--limit", "1000", 1, 100, &v, &err),
                  SWS_EINVAL);
  int y;
  int64_t now;
  sws_time_parse("2026-11-23", &now, NULL);
  CU_ASSERT_EQUAL(sws_born_check("--born", "1979", now, &y, &err), 0);
  CU_ASSERT_EQUAL(y, 1979);
  CU_ASSERT_EQUAL(sws_born_check("--born", "1979-02", now, &y, &err), 0);
  CU_ASSERT_EQUAL(sws_born_check("--born", "1979-02-30", now, &y, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(sws_born_check("--born", "2027", now, &y, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(sws_born_check("--born", "79", now, &y, &err), SWS_EINVAL);
}

/* Birth dates as people and spreadsheets write them become the stored
 * form; what cannot be read for sure is refused with what to do. */
static void test_core__born_norm_rewrites_and_refuses(void)
{
  static const struct {
    const char *zIn;
    enum sws_date_order order;
    const char *zOut; /* NULL: refused, with zWhy in the message */
    const char *zWhy;
  } cases[] = {
      {"1982", SWS_DATE_UNKNOWN, "1982", NULL},
      {"1982-03-05", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"1982/3/5", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"1982.03.05", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"1982-3", SWS_DATE_UNKNOWN, "1982-03", NULL},
      {"03/1982", SWS_DATE_UNKNOWN, "1982-03", NULL},
      {"1982-03-05 00:00:00", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"1982-03-05T00:00", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"1982-03-05 00:00:00.000", SWS_DATE_UNKNOWN, "1982-03-05", NULL},
      {"05/03/1982", SWS_DATE_DMY, "1982-03-05", NULL},
      {"05/03/1982", SWS_DATE_MDY, "1982-05-03", NULL},
      {"3/5/1982 0:00", SWS_DATE_MDY, "1982-03-05", NULL},
      {"15.03.1982", SWS_DATE_DMY, "1982-03-15", NULL},
      {"05/03/1982", SWS_DATE_UNKNOWN, NULL, "either way round"},
      {"15/03/82", SWS_DATE_DMY, NULL, "two-digit year"},
      {"30025", SWS_DATE_UNKNOWN, NULL, "day number"},
      {"1982/13/01", SWS_DATE_UNKNOWN, NULL, "no month 13"},
      {"15/03/1982", SWS_DATE_MDY, NULL, "no month 15"},
      {"31.02.1982", SWS_DATE_DMY, NULL, "month 2 of 1982 has no day 31"},
      /* anything else: not a date we can read */
      {"1982/03-05", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"1982-03-05 12:00", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"1982-03-05-01", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"19820305", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"12345678901234", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"born 1982", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"1982-", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
      {"03/05", SWS_DATE_DMY, NULL, "write YYYY, YYYY-MM"},
      {"", SWS_DATE_UNKNOWN, NULL, "write YYYY, YYYY-MM"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct sws_err err = SWS_ERR_INIT;
    char out[SWS_BORN_SIZE];
    int rc = sws_born_norm("born", cases[i].zIn, cases[i].order, NULL, out,
                           &err);
    if (cases[i].zOut) {
      CU_ASSERT_EQUAL(rc, 0);
      CU_ASSERT_STRING_EQUAL(out, cases[i].zOut);
    } else {
      CU_ASSERT_EQUAL(rc, SWS_EINVAL);
      CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].zWhy));
      CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].zIn));
    }
    if ((rc == 0) != (cases[i].zOut != NULL))
      fprintf(stderr, "born_norm case %zu '%s': rc %d %s\n", i,
              cases[i].zIn, rc, err.msg);
  }
  /* the caller's hint replaces the default one */
  struct sws_err err = SWS_ERR_INIT;
  char out[SWS_BORN_SIZE];
  CU_ASSERT_EQUAL(sws_born_norm("born", "05/03/1982", SWS_DATE_UNKNOWN,
                                "give --date-order", out, &err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "; give --date-order"));
}

static void test_core__csv_reads_rfc4180(void)
{
  const char data[] = "\xef\xbb\xbf"
                      "a,b,c\r\n"
                      "\"x, y\",\"say \"\"hi\"\"\",\n"
                      "\n"
                      "\"multi\nline\",2,3\n"
                      "last,row,no-newline";
  struct csv_reader r;
  struct csv_row row;
  struct sws_err err = SWS_ERR_INIT;
  csv_init(&r, data, sizeof data - 1);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_EQUAL(row.n, 3);
  CU_ASSERT_STRING_EQUAL(row.az[0], "a");
  CU_ASSERT_EQUAL(row.line, 1);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_EQUAL(row.n, 3);
  CU_ASSERT_STRING_EQUAL(row.az[0], "x, y");
  CU_ASSERT_STRING_EQUAL(row.az[1], "say \"hi\"");
  CU_ASSERT_STRING_EQUAL(row.az[2], "");
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_EQUAL(row.line, 4);
  CU_ASSERT_STRING_EQUAL(row.az[0], "multi\nline");
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_EQUAL(row.line, 6);
  CU_ASSERT_STRING_EQUAL(row.az[2], "no-newline");
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 0);
  csv_release(&r);
}

static void test_core__csv_reports_bad_lines_and_goes_on(void)
{
  const char data[] = "ok,1\n"
                      "bad\"quote,2\n"
                      "\"closed\"junk,3\n"
                      "fine,4\n"
                      "\"never closed,5\n";
  struct csv_reader r;
  struct csv_row row;
  struct sws_err err = SWS_ERR_INIT;
  csv_init(&r, data, sizeof data - 1);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT(csv_next(&r, &row, &err) < 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 2"));
  CU_ASSERT(csv_next(&r, &row, &err) < 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 3"));
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_STRING_EQUAL(row.az[0], "fine");
  CU_ASSERT(csv_next(&r, &row, &err) < 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 5: a quote opens a field"));
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 0);
  csv_release(&r);

  /* a quote never closed costs its own line only: the records after it
   * are read, with their own line numbers */
  static const char zOpen[] = "a,1\n\"b,2\nc,3\n\nd,\"4\"\n";
  csv_init(&r, zOpen, sizeof zOpen - 1);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT(csv_next(&r, &row, &err) < 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "line 2:"));
  CU_ASSERT_EQUAL(row.line, 2);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_STRING_EQUAL(row.az[0], "c");
  CU_ASSERT_EQUAL(row.line, 3);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 1);
  CU_ASSERT_STRING_EQUAL(row.az[1], "4");
  CU_ASSERT_EQUAL(row.line, 5);
  CU_ASSERT_EQUAL(csv_next(&r, &row, &err), 0);
  csv_release(&r);
}

/* Fields of the next record joined by '|', for short checks. */
static const char *next_joined(struct csv_reader *r, struct csv_row *row)
{
  static char z[256];
  struct sws_err err = SWS_ERR_INIT;
  z[0] = '\0';
  if (csv_next(r, row, &err) != 1)
    return "(none)";
  for (int i = 0; i < row->n; i++) {
    if (i)
      strncat(z, "|", sizeof z - strlen(z) - 1);
    strncat(z, row->az[i], sizeof z - strlen(z) - 1);
  }
  return z;
}

/* Spreadsheet exports under other local settings: ';' or tab between
 * fields, Excel's "sep=" line; commas win whenever the first line has one
 * outside quotes. */
static void test_core__csv_reads_other_separators(void)
{
  static const struct {
    const char *zData, *zFirst, *zSecond;
    char sep;
    size_t line2;
  } aCase[] = {
      {"a;b;c\n1;\"x;y\";3\n", "a|b|c", "1|x;y|3", ';', 2},
      {"a\tb\tc\r\n1\t\"x\ty\"\t3\r\n", "a|b|c", "1|x\ty|3", '\t', 2},
      {"sep=;\na;b,c\n1;2,3\n", "a|b,c", "1|2,3", ';', 3},
      {"\xef\xbb\xbfsep=,\r\na;b,c\n", "a;b|c", "(none)", ',', 0},
      {"sep=|\na|b\n", "a|b", "(none)", '|', 0},
      {"a,b;c\n1,2;3\n", "a|b;c", "1|2;3", ',', 2},
      {"\"a;b\",c\n", "a;b|c", "(none)", ',', 0},
      {"\"a,b\";c\n", "a,b|c", "(none)", ';', 0},
      {"\n\nname;born\nDara;1980\n", "name|born", "Dara|1980", ';', 4},
      {"one\n2\n", "one", "2", ',', 2},
      {"sep=\n", "sep=", "(none)", ',', 0},
  };
  for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
    struct csv_reader r;
    struct csv_row row;
    csv_init(&r, aCase[i].zData, strlen(aCase[i].zData));
    CU_ASSERT_EQUAL(r.sep, aCase[i].sep);
    const char *z1 = next_joined(&r, &row);
    if (strcmp(z1, aCase[i].zFirst) != 0)
      fprintf(stderr, "\ncase %zu: first '%s'\n", i, z1);
    CU_ASSERT_STRING_EQUAL(z1, aCase[i].zFirst);
    const char *z2 = next_joined(&r, &row);
    CU_ASSERT_STRING_EQUAL(z2, aCase[i].zSecond);
    if (aCase[i].line2)
      CU_ASSERT_EQUAL(row.line, aCase[i].line2);
    csv_release(&r);
  }
}

/* n UTF-16 code units as bytes, little- or big-endian, into out. */
static size_t utf16_bytes(const uint16_t *a, size_t n, int bBig, char *out)
{
  for (size_t i = 0; i < n; i++) {
    out[2 * i + (bBig ? 0 : 1)] = (char)(a[i] >> 8);
    out[2 * i + (bBig ? 1 : 0)] = (char)(a[i] & 0xff);
  }
  return 2 * n;
}

/* Excel's "Unicode Text": UTF-16 with a byte order mark, tabs between
 * fields, CRLF; read as UTF-8, Khmer and characters outside the BMP
 * whole, a broken character as a byte no UTF-8 text has. */
static void test_core__csv_reads_utf16(void)
{
  static const uint16_t aText[] = {
      0xfeff, 'k',    'e',    'y',    '\t', 'n', 'a', 'm', 'e', '\r',
      '\n',   'H',    '1',    '\t',   0x179f, 0x17bb, 0x1781, ' ',
      0xd83d, 0xde00, '\r',   '\n',   'H',  '2', '\t', 0xd800, 'x', '\n'};
  char data[2 * sizeof aText / sizeof aText[0] + 1];
  for (int bBig = 0; bBig <= 1; bBig++) {
    struct csv_reader r;
    struct csv_row row;
    size_t n = utf16_bytes(aText, sizeof aText / sizeof aText[0], bBig, data);
    csv_init(&r, data, n);
    CU_ASSERT(r.utf16);
    CU_ASSERT_EQUAL(r.sep, '\t');
    CU_ASSERT_STRING_EQUAL(next_joined(&r, &row), "key|name");
    CU_ASSERT_STRING_EQUAL(next_joined(&r, &row),
                           "H1|\xe1\x9e\x9f\xe1\x9e\xbb\xe1\x9e\x81 "
                           "\xf0\x9f\x98\x80");
    CU_ASSERT_EQUAL(row.line, 2);
    CU_ASSERT_STRING_EQUAL(next_joined(&r, &row), "H2|\xffx");
    CU_ASSERT_EQUAL(row.line, 3);
    CU_ASSERT_FALSE(sws_utf8_valid(row.az[1], strlen(row.az[1])));
    CU_ASSERT_STRING_EQUAL(next_joined(&r, &row), "(none)");
    csv_release(&r);
  }
  /* an odd last byte is a broken character too; a lone BOM is empty */
  static const char zOdd[] = "\xff\xfe" "a\0,\0b\0" "c";
  struct csv_reader r;
  struct csv_row row;
  csv_init(&r, zOdd, sizeof zOdd - 1);
  CU_ASSERT_STRING_EQUAL(next_joined(&r, &row), "a|b\xff");
  csv_release(&r);
  csv_init(&r, "\xfe\xff", 2);
  CU_ASSERT_STRING_EQUAL(next_joined(&r, &row), "(none)");
  csv_release(&r);
}

static void test_core__memo_remembers_grows_and_caps(void)
{
  struct memo m = MEMO_INIT;
  double v = -1;
  char z[32];
  CU_ASSERT(!memo_get(&m, "Sok Dara", &v));
  memo_put(&m, "Sok Dara", 0.5);
  memo_put(&m, "Sok Dara", 0.75); /* replaced, not added */
  CU_ASSERT(memo_get(&m, "Sok Dara", &v));
  CU_ASSERT_EQUAL(v, 0.75);
  CU_ASSERT_EQUAL(m.n, 1);
  /* grows past its first table, keeps every value, stops at MEMO_MAX */
  for (int i = 0; i < MEMO_MAX + 10; i++) {
    snprintf(z, sizeof z, "name %d", i);
    memo_put(&m, z, i);
  }
  CU_ASSERT_EQUAL(m.n, MEMO_MAX);
  CU_ASSERT(memo_get(&m, "name 1000", &v));
  CU_ASSERT_EQUAL(v, 1000);
  snprintf(z, sizeof z, "name %d", MEMO_MAX + 5);
  CU_ASSERT(!memo_get(&m, z, &v));
  CU_ASSERT(memo_get(&m, "Sok Dara", &v));
  memo_release(&m);
  CU_ASSERT(!memo_get(&m, "Sok Dara", &v));
  memo_put(&m, "", 1); /* usable again after release */
  CU_ASSERT(memo_get(&m, "", &v));
  memo_release(&m);
}

/* Writing a field: quoted only when needed, and with CSV_NEUTRALISE a
 * value a spreadsheet would run kept as text; read back, the same value
 * (after the neutralising quote). */
static void test_core__csv_put_quotes_and_neutralises(void)
{
  static const struct {
    const char *z;
    int flags;
    const char *zWant;
  } cases[] = {
      {"plain", 0, "plain"},
      {"a,b", 0, "\"a,b\""},
      {"say \"hi\"", 0, "\"say \"\"hi\"\"\""},
      {"two\nlines", 0, "\"two\nlines\""},
      {"=1+1", 0, "=1+1"},
      {"=1+1", CSV_NEUTRALISE, "\"'=1+1\""},
      {"+855", CSV_NEUTRALISE, "\"'+855\""},
      {"-2", CSV_NEUTRALISE, "\"'-2\""},
      {"@SUM(A1)", CSV_NEUTRALISE, "\"'@SUM(A1)\""},
      {"\tx", CSV_NEUTRALISE, "\"'\tx\""},
      {"ភូមិ", CSV_NEUTRALISE, "ភូមិ"},
      {"", CSV_NEUTRALISE, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct buf b = BUF_INIT;
    csv_put(&b, cases[i].z, cases[i].flags);
    CU_ASSERT_STRING_EQUAL(buf_str(&b), cases[i].zWant);
    buf_release(&b);
  }
}

static int mode_of(const char *zPath)
{
  struct stat st;
  return stat(zPath, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

/* A database and its -wal and -shm files are created readable by their
 * owner alone, whatever the umask (they hold people's records, password
 * hashes and the office's key). */
static void test_core__database_files_owner_only(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_db *db = NULL;
  char zPath[600], zWal[640], zShm[640];
  snprintf(zPath, sizeof zPath, "%s/modes.db", t_tmpdir());
  snprintf(zWal, sizeof zWal, "%s-wal", zPath);
  snprintf(zShm, sizeof zShm, "%s-shm", zPath);
  mode_t old = umask(002);
  int rc = db_open(&db, zPath, DB_CREATE, &err);
  umask(old);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(
      db_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", &err), 0);
  CU_ASSERT_EQUAL(mode_of(zPath), 0600);
  CU_ASSERT_EQUAL(mode_of(zWal), 0600);
  CU_ASSERT_EQUAL(mode_of(zShm), 0600);
  db_close(db);
}

/* An empty file given as a database is refused and left as it was. */
static void test_core__empty_file_is_not_a_database(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_db *db = NULL;
  char zPath[600];
  struct stat st;
  snprintf(zPath, sizeof zPath, "%s/empty.db", t_tmpdir());
  FILE *f = fopen(zPath, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fclose(f);
  CU_ASSERT_EQUAL(db_open(&db, zPath, 0, &err), SWS_ENOTFOUND);
  CU_ASSERT_PTR_NULL(db);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is empty"));
  CU_ASSERT_EQUAL(stat(zPath, &st), 0);
  CU_ASSERT_EQUAL(st.st_size, 0);
}

/* Khmer (and Mongolian script) digits are the digits stored, wherever a
 * number is typed; nothing else changes. */
static void test_core__local_digits_read_as_ascii(void)
{
  char *z = sws_digits_ascii("០១២ ៣៤៥ ៦៧៨៩ ᠐᠑᠙ ក១x");
  CU_ASSERT_STRING_EQUAL(z, "012 345 6789 019 ក1x");
  free(z);
  CU_ASSERT_PTR_NULL(sws_digits_ascii(NULL));
  /* a byte sequence cut short is copied as it is, never read past */
  z = sws_digits_ascii("\xE1\x9F");
  CU_ASSERT_STRING_EQUAL(z, "\xE1\x9F");
  free(z);
  int64_t v;
  T_OK(sws_parse_int64("--limit", "២៥", 1, 100, &v, &t_err));
  CU_ASSERT_EQUAL(v, 25);
  CU_ASSERT_EQUAL(sws_parse_int64("--limit", "២៥០", 1, 100, &v, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not '២៥០'"));
  char zBorn[SWS_BORN_SIZE];
  T_OK(sws_born_norm("--born", "១៩៩០", SWS_DATE_UNKNOWN, NULL, zBorn, &t_err));
  CU_ASSERT_STRING_EQUAL(zBorn, "1990");
  T_OK(sws_born_norm("--born", "១៩៨២-០៣-០៥", SWS_DATE_UNKNOWN, NULL, zBorn,
                     &t_err));
  CU_ASSERT_STRING_EQUAL(zBorn, "1982-03-05");
}

static CU_TestInfo tests[] = {
    {"test_core__database_files_owner_only",
     test_core__database_files_owner_only},
    {"test_core__empty_file_is_not_a_database",
     test_core__empty_file_is_not_a_database},
    {"test_core__buf_caps_and_terminates", test_core__buf_caps_and_terminates},
    {"test_core__err_cut_keeps_utf8", test_core__err_cut_keeps_utf8},
    {"test_core__err_translator", test_core__err_translator},
    {"test_core__err_translator_is_per_thread",
     test_core__err_translator_is_per_thread},
    {"test_core__check_char_catches_every_single_error",
     test_core__check_char_catches_every_single_error},
    {"test_core__unissuable_numbers_are_rare",
     test_core__unissuable_numbers_are_rare},
    {"test_core__number_parse_shapes", test_core__number_parse_shapes},
    {"test_core__uuid7_is_ordered_and_unique",
     test_core__uuid7_is_ordered_and_unique},
    {"test_core__clock_parses_and_obeys_sws_now",
     test_core__clock_parses_and_obeys_sws_now},
    {"test_core__text_checks", test_core__text_checks},
    {"test_core__born_norm_rewrites_and_refuses",
     test_core__born_norm_rewrites_and_refuses},
    {"test_core__csv_reads_rfc4180", test_core__csv_reads_rfc4180},
    {"test_core__csv_put_quotes_and_neutralises",
     test_core__csv_put_quotes_and_neutralises},
    {"test_core__csv_reports_bad_lines_and_goes_on",
     test_core__csv_reports_bad_lines_and_goes_on},
    {"test_core__csv_reads_other_separators",
     test_core__csv_reads_other_separators},
    {"test_core__csv_reads_utf16", test_core__csv_reads_utf16},
    {"test_core__memo_remembers_grows_and_caps",
     test_core__memo_remembers_grows_and_caps},
    {"test_core__local_digits_read_as_ascii",
     test_core__local_digits_read_as_ascii},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_core = {"core", NULL, NULL, NULL, NULL, tests};
