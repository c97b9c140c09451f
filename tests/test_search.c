/*
 * test_search.c - the search box: numbers (with missing or wrong check
 * characters), national IDs, phones, names in three scripts.
 */
#include <CUnit/CUnit.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cases/household.h"
#include "cases/import.h"
#include "core/buf.h"
#include "cases/search.h"
#include "core/mem.h"
#include "tests/support.h"

static char g_regno[3][SWS_NUMBER_MAX];

static void add(int i, const char *zHead, char sex, const char *zBorn,
                const char *zNid, const char *zPhone, const char *zOther)
{
  struct member_input m[2] = {
      {zHead, sex, zBorn, REL_HEAD, zNid, zPhone, 0},
      {zOther, 'F', "2001", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {"V1", NULL, zPhone, NULL, m, zOther ? 2 : 1,
                               NULL};
  T_OK(cases_household_create(t_ctx, &in, g_regno[i], NULL, &t_err));
}

static void setup(void)
{
  t_office_setup();
  add(0, "សុខ ដារ៉ា", 'M', "1979", "N111222", "012345678", "សុខ ស្រីមុំ");
  add(1, "Энх Оюунчимэг", 'F', "1962", NULL, NULL, NULL);
  add(2, "Keo Samnang", 'M', "1990", NULL, "+855 97 111 2222", NULL);
}

static void test_search__by_number_with_and_without_check(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, g_regno[1], 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[1]);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_REGNO);
  CU_ASSERT_STRING_EQUAL(r.zNote, "");
  cases_search_release(&r);

  char z[SWS_NUMBER_MAX];
  sws_strlcpy(z, g_regno[1], strlen(g_regno[1]) - 1); /* drop "-C" */
  T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "no check character"));
  cases_search_release(&r);

  sws_strlcpy(z, g_regno[1], sizeof z);
  z[strlen(z) - 1] = z[strlen(z) - 1] == 'Q' ? 'R' : 'Q';
  T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "does not fit"));
  cases_search_release(&r);

  T_OK(cases_search(t_ctx, "KH12-999999", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "no household"));
  cases_search_release(&r);
}

/* z with each hyphen replaced by zSep ("" drops it), and lower-cased when
 * bLower, as someone copying the number off a receipt might write it. */
static void written_apart(char *out, size_t n, const char *z,
                          const char *zSep, int bLower)
{
  struct buf b = BUF_INIT;
  for (; *z; z++) {
    if (*z == '-')
      buf_puts(&b, zSep);
    else
      buf_putc(&b, bLower ? (char)tolower((unsigned char)*z) : *z);
  }
  sws_strlcpy(out, buf_str(&b), n);
  buf_release(&b);
}

static void test_search__number_written_apart(void)
{
  static const char *const SEPS[] = {" ", ".", "", " - ", "/"};
  struct search_result r;
  char z[SWS_NUMBER_MAX], zNoCheck[SWS_NUMBER_MAX];
  for (int i = 0; i < 3; i++) {
    for (size_t k = 0; k < sizeof SEPS / sizeof SEPS[0]; k++) {
      written_apart(z, sizeof z, g_regno[i], SEPS[k], (int)k % 2);
      T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
      CU_ASSERT_EQUAL_FATAL(r.n, 1);
      CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[i]);
      CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_REGNO);
      CU_ASSERT_STRING_EQUAL(r.zNote, "");
      cases_search_release(&r);
    }
    /* without the check character: found, and the note gives it */
    sws_strlcpy(zNoCheck, g_regno[i], strlen(g_regno[i]) - 1);
    written_apart(z, sizeof z, zNoCheck, "", 0);
    T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
    CU_ASSERT_EQUAL_FATAL(r.n, 1);
    CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[i]);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "no check character"));
    cases_search_release(&r);
    /* a wrong check character: found, and the note says it does not fit */
    written_apart(z, sizeof z, g_regno[i], " ", 0);
    z[strlen(z) - 1] = z[strlen(z) - 1] == 'Q' ? 'R' : 'Q';
    T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
    CU_ASSERT_EQUAL_FATAL(r.n, 1);
    CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[i]);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "does not fit"));
    cases_search_release(&r);
  }
  /* a name and a birth year is still a name */
  T_OK(cases_search(t_ctx, "Keo 1990", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_NAME);
  cases_search_release(&r);
  /* a number nobody has finds nothing, and nothing by another way */
  written_apart(z, sizeof z, g_regno[0], " ", 0);
  z[strlen(z) - 3] = z[strlen(z) - 3] == '9' ? '8' : '9';
  T_OK(cases_search(t_ctx, z, 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 0);
  cases_search_release(&r);
}

static void test_search__by_national_id_and_phone(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, "n111222", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[0]);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_NATIONAL_ID);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "012 345 678", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_PHONE);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "+85597111-2222", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[2]);
  cases_search_release(&r);
}

/* The same number written the national and the international way, or as a
 * spreadsheet keeps it (no leading zero), finds the household; a national
 * number one digit longer with the same end does not. */
static void test_search__phone_written_another_way(void)
{
  static const struct {
    const char *zQuery;
    int i; /* household expected, -1 none */
  } cases[] = {
      {"+855 12 345 678", 0},  /* stored 012345678 */
      {"00855 12 345 678", 0},
      {"855 12 345 678", 0},   /* too long to be national: 855 in front */
      {"12345678", 0},
      {"097 111 2222", 2},     /* stored +855971112222 */
      {"97 111 2222", 2},
      {"091 2345 678", -1},    /* another number ending alike */
      {"+1 212 12 345 678", -1}, /* 5 digits before: not a country code */
      {"2345678", -1},         /* the end alone is not the number */
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    struct search_result r;
    T_OK(cases_search(t_ctx, cases[k].zQuery, 20, &r, &t_err));
    int found = -1;
    for (int j = 0; j < r.n; j++)
      if (r.a[j].how == SEARCH_BY_PHONE)
        for (int i = 0; i < 3; i++)
          if (strcmp(r.a[j].zRegno, g_regno[i]) == 0)
            found = i;
    if (found != cases[k].i)
      fprintf(stderr, "phone '%s': household %d, expected %d\n",
              cases[k].zQuery, found, cases[k].i);
    CU_ASSERT_EQUAL(found, cases[k].i);
    cases_search_release(&r);
  }
}

static void test_search__names_in_three_scripts(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, "ដារ៉ា", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[0]);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "оюунчимэг", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[1]);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "SAMNANG keo", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[2]);
  cases_search_release(&r);
  /* a member who is not the head leads to the household */
  T_OK(cases_search(t_ctx, "ស្រីមុំ", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_EQUAL(r.a[0].line_no, 2);
  CU_ASSERT_STRING_EQUAL(r.a[0].zHead, "សុខ ដារ៉ា");
  cases_search_release(&r);
  /* a two-character Khmer word still searches */
  T_OK(cases_search(t_ctx, "សុខ", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  cases_search_release(&r);
}

static void test_search__latin_finds_other_scripts(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, "Dara", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "Enkh", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  cases_search_release(&r);
}

static void test_search__slip_of_the_keyboard(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, "Keo Samnag", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[2]);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "close to"));
  cases_search_release(&r);
}

static void test_search__bad_queries(void)
{
  struct search_result r;
  CU_ASSERT_EQUAL(cases_search(t_ctx, "   ", 20, &r, &t_err), SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_search(t_ctx, "a\xff", 20, &r, &t_err), SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_search(t_ctx, "...", 20, &r, &t_err), SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_search(t_ctx, "Sok", 0, &r, &t_err), SWS_EINVAL);
  T_OK(cases_search(t_ctx, "\"quoted\" AND OR NEAR(", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 0);
  cases_search_release(&r);
}

/* Search zQuery for at most nLimit: exactly nWant households, nothing
 * more counted, the last one shown zLast. */
static void expect_last(const char *zQuery, int nLimit, int nWant,
                        const char *zLast)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, zQuery, nLimit, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, nWant);
  CU_ASSERT_STRING_EQUAL(r.a[nWant - 1].zRegno, zLast);
  CU_ASSERT_EQUAL(r.nMore, 0);
  cases_search_release(&r);
}

/* Whole words before word beginnings before the middle of a word; the
 * looser ones are looked for only while the list is not full. */
static void test_search__whole_words_first(void)
{
  char az[3][SWS_NUMBER_MAX];
  const char *azName[3] = {"Sokchan Mao", "Chanthy Pich", "Chan Vuthy"};
  for (int i = 0; i < 3; i++) {
    struct member_input m[1] = {{azName[i], 'M', "1985", REL_HEAD, NULL,
                                 NULL, 0}};
    struct household_input in = {"V1", NULL, NULL, NULL, m, 1, NULL};
    T_OK(cases_household_create(t_ctx, &in, az[i], NULL, &t_err));
  }
  struct search_result r;
  T_OK(cases_search(t_ctx, "chan", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 3);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, az[2]); /* a whole word */
  CU_ASSERT_STRING_EQUAL(r.a[1].zRegno, az[1]); /* a word's beginning */
  CU_ASSERT_STRING_EQUAL(r.a[2].zRegno, az[0]); /* inside a word */
  CU_ASSERT(r.a[0].score > r.a[1].score && r.a[1].score > r.a[2].score);
  cases_search_release(&r);
  /* one asked for: the whole word is enough */
  expect_last("chan", 1, 1, az[2]);
  /* two asked for: beginnings are looked for, not the middle */
  expect_last("chan", 2, 2, az[1]);
  /* the middle of a word alone, and words cut at punctuation */
  expect_last("okcha", 20, 1, az[0]);
  expect_last("chan-vut", 20, 1, az[2]);
  /* more words than are looked for: the rest are left out, not glued to
   * the last one (found by fuzz_search) */
  T_OK(cases_search(t_ctx, "a b c d e f g h i j k l m n o p q r s t u v",
                    20, &r, &t_err));
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "hdnt$cHeh`h`h=A:(SSSSa(S(SSa(S(h=A:l/y%h=A:l/y%",
                    20, &r, &t_err));
  cases_search_release(&r);
  /* a one-letter Khmer beginning (the prefix index) */
  T_OK(cases_search(t_ctx, "ស", 20, &r, &t_err));
  CU_ASSERT(r.n >= 1);
  cases_search_release(&r);
}

/* Namesakes: one hit per household (its best member), the shown ones
 * complete, a deactivated household last among equals, the rest counted. */
static void test_search__namesakes_one_per_household_ranked(void)
{
  char az[6][SWS_NUMBER_MAX];
  for (int i = 0; i < 6; i++) {
    char zBorn[16];
    snprintf(zBorn, sizeof zBorn, "%d", 1980 + i);
    struct member_input m[2] = {
        {"Chan Vuthy", 'M', zBorn, REL_HEAD, NULL, NULL, 0},
        {"Chan Vuthy", 'M', "2010", REL_CHILD, NULL, NULL, 0}};
    struct household_input in = {"V1", NULL, NULL, NULL, m, i == 1 ? 2 : 1,
                                 "namesakes, different families"};
    T_OK(cases_household_create(t_ctx, &in, az[i], NULL, &t_err));
  }
  T_OK(cases_household_deactivate(t_ctx, az[0], "moved away", &t_err));

  struct search_result r;
  T_OK(cases_search(t_ctx, "Chan Vuthy", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 6);
  CU_ASSERT_EQUAL(r.nMore, 0);
  for (int i = 0; i < 5; i++) {
    /* equals in the order they were registered; the head, not the child */
    CU_ASSERT_STRING_EQUAL(r.a[i].zRegno, az[i + 1]);
    CU_ASSERT_EQUAL(r.a[i].line_no, 1);
    CU_ASSERT_STRING_EQUAL(r.a[i].zStatus, "active");
    CU_ASSERT_STRING_EQUAL(r.a[i].zArea, "V1");
    CU_ASSERT_STRING_EQUAL(r.a[i].zHead, "Chan Vuthy");
  }
  CU_ASSERT_STRING_EQUAL(r.a[5].zRegno, az[0]);
  CU_ASSERT_STRING_EQUAL(r.a[5].zStatus, "inactive");
  CU_ASSERT(r.a[5].score < r.a[4].score);
  cases_search_release(&r);

  /* three shown, three counted; the deactivated one is not shown */
  T_OK(cases_search(t_ctx, "chan vuthy", 3, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 3);
  CU_ASSERT_EQUAL(r.nMore, 3);
  for (int i = 0; i < 3; i++) {
    CU_ASSERT_STRING_EQUAL(r.a[i].zRegno, az[i + 1]);
    CU_ASSERT_STRING_EQUAL(r.a[i].zHead, "Chan Vuthy");
  }
  cases_search_release(&r);
}

/*
 * A name more people share than a search reads (SEARCH_NAME_CANDIDATES):
 * the list is full and the note asks for more of the name; the rare name
 * next to them is still found alone, with no note.
 */
/* Import n households headed by a Meas Vanna each, born 1940 to 1999 in
 * turn, in V1, and then the rows zMore (CSV lines, may be ""); returns
 * how many households were imported. */
static int64_t import_namesakes(int n, const char *zMore)
{
  struct buf csv = BUF_INIT;
  struct import_opts o = {0, "namesakes.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  buf_puts(&csv, "household_key,name,sex,born,relationship,area,"
           "national_id,phone\n");
  for (int i = 0; i < n; i++)
    buf_appendf(&csv, "N%d,Meas Vanna,F,%d,head,V1,,\n", i, 1940 + i % 60);
  buf_puts(&csv, zMore);
  T_OK(cases_import_csv(t_ctx, buf_str(&csv), csv.n, &o, &rep, &t_err));
  int64_t nImported = rep.nHouseholds;
  cases_import_report_release(&rep);
  buf_release(&csv);
  return nImported;
}

static void test_search__common_name_asks_for_more(void)
{
  CU_ASSERT_EQUAL(import_namesakes(SEARCH_NAME_CANDIDATES + 20, ""),
                  SEARCH_NAME_CANDIDATES + 20);

  char zWant[64];
  snprintf(zWant, sizeof zWant, "more than %d people match",
           SEARCH_NAME_CANDIDATES);
  const char *azQuery[] = {"Vanna", "meas vanna", "Mea Van"};
  for (int i = 0; i < 3; i++) {
    struct search_result r;
    T_OK(cases_search(t_ctx, azQuery[i], 20, &r, &t_err));
    CU_ASSERT_EQUAL(r.n, 20);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, zWant));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "type more of the name"));
    cases_search_release(&r);
  }
  struct search_result r;
  T_OK(cases_search(t_ctx, "Keo Samnang", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.zNote, "");
  cases_search_release(&r);
}

/* Search zQuery for 20 households; it must not fail. */
static void found(const char *zQuery, struct search_result *r)
{
  T_OK(cases_search(t_ctx, zQuery, 20, r, &t_err));
}

static void test_search__birth_date_tells_namesakes_apart(void)
{
  /* 240 namesakes born 1940 to 1999, four in each year; then one born on
   * a known day */
  CU_ASSERT_EQUAL(
      import_namesakes(240, "D1,Meas Vanna,F,1975-03-02,head,V2,,\n"), 241);

  struct search_result r;
  /* the year after the name, or before it: the five born in 1975 */
  const char *azQuery[] = {"meas vanna 1975", "1975 Meas Vanna",
                           "vanna, 1975"};
  for (int i = 0; i < 3; i++) {
    found(azQuery[i], &r);
    CU_ASSERT_EQUAL(r.n, 5);
    CU_ASSERT_STRING_EQUAL(r.zNote, "");
    for (int j = 0; j < r.n; j++)
      CU_ASSERT_EQUAL(strncmp(r.a[j].zBorn, "1975", 4), 0);
    cases_search_release(&r);
  }
  /* a full date: the one recorded with that day first, then those whose
   * record has the year only; not the ones of other days */
  found("meas vanna 1975-03-02", &r);
  CU_ASSERT_EQUAL(r.n, 5);
  CU_ASSERT_STRING_EQUAL(r.a[0].zBorn, "1975-03-02");
  cases_search_release(&r);
  /* typed as at the desk, year first with dots or slashes */
  const char *azTyped[] = {"meas vanna 1975.3.2", "1975/03/02 meas vanna"};
  for (int i = 0; i < 2; i++) {
    found(azTyped[i], &r);
    CU_ASSERT_EQUAL(r.n, 5);
    CU_ASSERT_STRING_EQUAL(r.a[0].zBorn, "1975-03-02");
    cases_search_release(&r);
  }
  found("meas vanna 1975-04", &r);
  CU_ASSERT_EQUAL(r.n, 4);
  for (int j = 0; j < r.n; j++)
    CU_ASSERT_STRING_EQUAL(r.a[j].zBorn, "1975");
  cases_search_release(&r);
  /* nobody of that name born then: the namesakes, and the note says so */
  found("meas vanna 2010", &r);
  CU_ASSERT_EQUAL(r.n, 20);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "no one named 'meas vanna' was "
                                         "born in 2010"));
  cases_search_release(&r);
  /* a slip in the name, and the year: close names born then */
  found("meas vana 1975", &r);
  CU_ASSERT(r.n >= 1);
  for (int j = 0; j < r.n; j++)
    CU_ASSERT_EQUAL(strncmp(r.a[j].zBorn, "1975", 4), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "no one born in 1975 has a name"));
  cases_search_release(&r);
  /* the name alone asks for the year */
  found("meas vanna", &r);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, "or the birth year after it"));
  cases_search_release(&r);

  /* dates that cannot be meant: an error that says which, nothing found */
  const char *azBad[] = {"meas vanna 1975 1976", "meas vanna 1975-13",
                         "meas vanna 1850", "meas vanna 2999",
                         "meas vanna 02/03/1975"};
  for (int i = 0; i < 5; i++) {
    CU_ASSERT_EQUAL(cases_search(t_ctx, azBad[i], 20, &r, &t_err),
                    SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "birth date"));
    cases_search_release(&r);
  }
  /* numbers alone are looked for as numbers, not as dates */
  const char *azNumber[] = {"1975", "2999", "1975 1976"};
  for (int i = 0; i < 3; i++) {
    found(azNumber[i], &r);
    CU_ASSERT_EQUAL(r.n, 0);
    cases_search_release(&r);
  }
}

/* More people of a name born then than a search reads: the best of the
 * first, and the note; more people of a name than it looks through for
 * the date: the note says so. */
static void test_search__birth_date_search_is_bounded(void)
{
  char zId[SWS_UUID_LEN + 1], zRegno[SWS_NUMBER_MAX];
  struct search_result r;
  int64_t n = 0;
  sqlite3_stmt *q;
  sws_strlcpy(zRegno, t_household("Tep Dara", 'M', "1975", "V1"),
              sizeof zRegno);
  T_OK(cases_household_resolve(t_ctx, zRegno, 1, zId, NULL, NULL, &t_err));
  /* the household gets SEARCH_BORN_SCAN namesakes more, written in one
   * operation (the importer would compare each with all the others) */
  T_OK(cases_op_begin(t_ctx, "test.bulk", &t_err));
  T_OK(db_prepare(t_ctx->db, &q,
                  "WITH RECURSIVE i(n) AS (SELECT 3 UNION ALL SELECT n + 1 "
                  "FROM i WHERE n < :last) "
                  "INSERT INTO member(id, household_id, line_no, name, sex, "
                  "born, relationship, created_at, updated_at) "
                  "SELECT '00000000-0000-7000-8000-' || "
                  "substr('000000000000' || n, -12), :hh, "
                  "n, 'Tep Dara', 'M', CASE WHEN n <= 250 THEN '1975' ELSE "
                  "'1960' END, 'child', sws_now(), sws_now() FROM i",
                  &t_err));
  db_bind_int64(q, ":last", SEARCH_BORN_SCAN + 2); /* after 2 */
  db_bind_text(q, ":hh", zId);
  int rcs = db_step(t_ctx->db, q, &t_err);
  if (rcs != DB_DONE)
    fprintf(stderr, "\n  bulk insert: %s\n", t_err.msg);
  CU_ASSERT_EQUAL(rcs, DB_DONE);
  db_done(t_ctx->db, q);
  T_OK(cases_op_end(t_ctx, 0, "household", zId, "test", &t_err));
  T_OK(db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM member WHERE name "
                "= 'Tep Dara'", &t_err));
  CU_ASSERT_EQUAL(n, SEARCH_BORN_SCAN + 1);
  /* one born then after all of them */
  t_household("Tep Dara", 'M', "1980", "V2");

  char zWant[96];
  found("tep dara 1975", &r);
  snprintf(zWant, sizeof zWant, "more than %d people born in 1975 match",
           SEARCH_NAME_CANDIDATES);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, zWant));
  CU_ASSERT_EQUAL(r.n, 1); /* one household */
  cases_search_release(&r);
  found("tep dara 1980", &r);
  snprintf(zWant, sizeof zWant, "only the first %d were looked at",
           SEARCH_BORN_SCAN);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.zNote, zWant));
  /* found all the same by the duplicate check's keys, which know the
   * birth year of each name */
  CU_ASSERT_EQUAL(r.n, 1);
  if (r.n == 1)
    CU_ASSERT_STRING_EQUAL(r.a[0].zBorn, "1980");
  cases_search_release(&r);
}

/* The desk types a phone or an ID in Khmer digits: the same people. */
static void test_search__khmer_digits(void)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, "០១២ ៣៤៥ ៦៧៨", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_PHONE);
  cases_search_release(&r);
  T_OK(cases_search(t_ctx, "n១១១២២២", 20, &r, &t_err));
  CU_ASSERT_EQUAL_FATAL(r.n, 1);
  CU_ASSERT_STRING_EQUAL(r.a[0].zRegno, g_regno[0]);
  CU_ASSERT_EQUAL(r.a[0].how, SEARCH_BY_NATIONAL_ID);
  cases_search_release(&r);
}

static CU_TestInfo tests[] = {
    {"test_search__birth_date_tells_namesakes_apart",
     test_search__birth_date_tells_namesakes_apart},
    {"test_search__birth_date_search_is_bounded",
     test_search__birth_date_search_is_bounded},
    {"test_search__common_name_asks_for_more",
     test_search__common_name_asks_for_more},
    {"test_search__by_number_with_and_without_check",
     test_search__by_number_with_and_without_check},
    {"test_search__number_written_apart", test_search__number_written_apart},
    {"test_search__by_national_id_and_phone",
     test_search__by_national_id_and_phone},
    {"test_search__phone_written_another_way",
     test_search__phone_written_another_way},
    {"test_search__names_in_three_scripts",
     test_search__names_in_three_scripts},
    {"test_search__latin_finds_other_scripts",
     test_search__latin_finds_other_scripts},
    {"test_search__slip_of_the_keyboard", test_search__slip_of_the_keyboard},
    {"test_search__bad_queries", test_search__bad_queries},
    {"test_search__whole_words_first", test_search__whole_words_first},
    {"test_search__namesakes_one_per_household_ranked",
     test_search__namesakes_one_per_household_ranked},
    {"test_search__khmer_digits", test_search__khmer_digits},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_search = {"search", NULL, NULL, setup, t_office_teardown,
                             tests};
