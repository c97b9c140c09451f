/*
 * test_country.c - the office's country: register numbers, phones per
 * country, and what `sws init --country` loads.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/calendar.h"
#include "cases/country.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "core/clock.h"
#include "core/db.h"
#include "tests/support.h"

static const struct country *KH, *MN;

static int setup(void)
{
  KH = cases_country_find("kh");
  MN = cases_country_find("mn");
  return KH == NULL || MN == NULL;
}

/* A new office of country zCountry, loaded as `sws init` does. */
static struct sws_ctx *office_of(const char *zCountry, const char *zPath)
{
  struct sws_ctx *ctx = NULL;
  struct area_load_report rep;
  const struct country *c;
  memset(&rep, 0, sizeof rep);
  T_OK(cases_open(&ctx, zPath, CASES_CREATE | (zPath ? 0 : CASES_MEMORY),
                  &t_err));
  T_OK(cases_office_init(ctx, "MN01", "Test", &t_err));
  T_OK(cases_country_parse(&c, zCountry, &t_err));
  T_OK(cases_country_set(ctx, c, &t_err));
  T_OK(cases_area_load_default(ctx, &rep, &t_err));
  buf_release(&rep.errors);
  T_OK(cases_grievance_config_load_default(ctx, &t_err));
  T_OK(cases_instrument_load_default(ctx, &t_err));
  T_OK(cases_programme_load_default(ctx, &t_err));
  return ctx;
}

static void test_country__unknown_country_lists_the_known(void)
{
  const struct country *c;
  CU_ASSERT_EQUAL(cases_country_parse(&c, "xx", &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "kh (Cambodia), mn (Mongolia)"));
  CU_ASSERT_PTR_NULL(cases_country_find(""));
  CU_ASSERT_PTR_EQUAL(cases_country_find("MN"), MN);
}

static void test_country__register_number_date(void)
{
  static const struct {
    const char *zNid, *zBorn; /* NULL: not a register number */
  } cases[] = {
      {"УБ79040212", "1979-04-02"},
      {"ӨҮ00010199", "1900-01-01"},
      {"АБ05250315", "2005-05-03"}, /* month 25: May of 2005 */
      {"ТА01320212", "2001-12-02"}, /* month 32: December of 2001 */
      {"ЁЯ00222914", "2000-02-29"}, /* 2000 was a leap year */
      {"ЁЯ00022914", NULL},         /* 1900 was not a leap year */
      {"УБ79130212", NULL},         /* month 13 */
      {"УБ79200212", NULL},         /* month 20 */
      {"УБ79330212", NULL},         /* month 33 */
      {"УБ79023012", NULL},         /* 30 February */
      {"УБ79040012", NULL},         /* day 0 */
      {"UB79040212", NULL},         /* Latin letters */
      {"У79040212", NULL},          /* one letter */
      {"УБЯ9040212", NULL},         /* three letters */
      {"УБ7904021", NULL},          /* seven digits */
      {"УБ790402123", NULL},        /* nine digits */
      {"уб79040212", NULL},         /* stored upper-case only */
      {"ҮҮ7904021Ж", NULL},
      {"ÄБ79040212", NULL}, /* not the Mongolian alphabet */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char zBorn[SWS_BORN_SIZE] = "";
    int ok = cases_register_no_parse(cases[i].zNid, zBorn);
    if (ok != (cases[i].zBorn != NULL))
      fprintf(stderr, "\n  %s: %d\n", cases[i].zNid, ok);
    CU_ASSERT_EQUAL(ok, cases[i].zBorn != NULL);
    if (cases[i].zBorn && ok)
      CU_ASSERT_STRING_EQUAL(zBorn, cases[i].zBorn);
  }
}

static void test_country__register_number_typed(void)
{
  char z[SWS_NID_MAX + 1];
  T_OK(cases_national_id_norm("ID", "уб 7904-0212", z, &t_err));
  CU_ASSERT_STRING_EQUAL(z, "УБ79040212");
  T_OK(cases_national_id_norm("ID", "өү79040212", z, &t_err));
  CU_ASSERT_STRING_EQUAL(z, "ӨҮ79040212");
  T_OK(cases_national_id_norm("ID", "ёя ០០០១០១៩៩", z, &t_err)); /* Khmer */
  CU_ASSERT_STRING_EQUAL(z, "ЁЯ00010199");
  T_OK(cases_national_id_norm("ID", "n-0101 2345", z, &t_err));
  CU_ASSERT_STRING_EQUAL(z, "N01012345");
  CU_ASSERT_EQUAL(cases_national_id_norm("ID", "ÄБ79040212", z, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_national_id_norm("ID", "УБ79040212🙂", z, &t_err),
                  SWS_EINVAL);
  /* 11 Cyrillic letters take 22 bytes, 16 take 32: the limit is bytes */
  CU_ASSERT_EQUAL(cases_national_id_norm("ID", "ЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯЯ", z, &t_err),
                  SWS_ETOOBIG);
}

static void test_country__register_number_against_birth_date(void)
{
  const char *F = "the national ID of the head";
  T_OK(cases_country_nid_check(MN, F, "УБ79040212", "1979-04-02", &t_err));
  T_OK(cases_country_nid_check(MN, F, "УБ79040212", "1979-04", &t_err));
  T_OK(cases_country_nid_check(MN, F, "УБ79040212", "1979", &t_err));
  T_OK(cases_country_nid_check(MN, F, "УБ79040212", "", &t_err));
  T_OK(cases_country_nid_check(MN, F, "АБ05250315", "2005-05-03", &t_err));
  T_OK(cases_country_nid_check(MN, F, "N01012345", "1979", &t_err));
  T_OK(cases_country_nid_check(MN, F, "", "1979", &t_err));
  CU_ASSERT_EQUAL(
      cases_country_nid_check(MN, F, "УБ79040212", "1980-04-02", &t_err),
      SWS_EINVAL);
  CU_ASSERT_STRING_EQUAL(t_err.msg, "the register number УБ79040212 says "
                                    "born 1979-04-02; the birth date given "
                                    "is 1980-04-02");
  CU_ASSERT_EQUAL(
      cases_country_nid_check(MN, F, "УБ79040212", "1979-05", &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "says born 1979-04;"));
  CU_ASSERT_EQUAL(cases_country_nid_check(MN, F, "УБ79040212", "1978", &t_err),
                  SWS_EINVAL);
  /* without the month+20 rule this would be 1905 */
  CU_ASSERT_EQUAL(
      cases_country_nid_check(MN, F, "АБ05050315", "2005-05-03", &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "says born 1905-05-03"));
  CU_ASSERT_EQUAL(cases_country_nid_check(MN, F, "УБ79130212", "1979", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no birth date"));
  CU_ASSERT_EQUAL(cases_country_nid_check(MN, F, "УБ7904021", "1979", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not a register number"));
  /* a Cambodian office keeps its rule: no Cyrillic */
  CU_ASSERT_EQUAL(
      cases_country_nid_check(KH, F, "УБ79040212", "1979-04-02", &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "Cambodia"));
  T_OK(cases_country_nid_check(KH, F, "N01012345", "1979", &t_err));
}

/* Each pair both ways round: the answer must not depend on which number is
 * stored and which typed. */
static void test_country__phone_same(void)
{
  static const struct {
    const char *zCountry, *a, *b;
    int same;
  } pairs[] = {
      {"kh", "012345678", "012345678", 1},
      {"kh", "012345678", "12345678", 1},
      {"kh", "+85512345678", "012345678", 1},
      {"kh", "0085512345678", "12345678", 1},
      {"kh", "+855971112222", "0971112222", 1},
      /* without + or 00, too long to be a national number: a country code */
      {"kh", "85512345678", "012345678", 1},
      {"kh", "855971112222", "0971112222", 1},
      /* another country's code is another number */
      {"kh", "+97699112233", "99112233", 0},
      {"kh", "97699112233", "99112233", 0},
      /* without + or 00 and short enough: a national number */
      {"kh", "0912345678", "012345678", 0},
      {"kh", "8551234567", "01234567", 0},
      /* too short to stand for a whole number, or too much before it */
      {"kh", "+8551234567", "01234567", 0},
      {"kh", "+8551234512345678", "012345678", 0},
      {"kh", "012345678", "012345679", 0},
      {"kh", "", "", 0},
      {"kh", "000", "+0", 0},
      {"mn", "+97699112233", "99112233", 1},
      {"mn", "0097699112233", "99112233", 1},
      {"mn", "97699112233", "99112233", 1},
      {"mn", "99112233", "99112233", 1},
      {"mn", "+85512345678", "012345678", 0},
      {"mn", "+855971112222", "0971112222", 0},
      /* Mongolian numbers have 8 digits: 7 or 9 after +976 are not one */
      {"mn", "+9769911223", "9911223", 0},
      {"mn", "+976991122334", "991122334", 0},
      {"mn", "99112233", "99112234", 0},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    const struct country *c = cases_country_find(pairs[i].zCountry);
    int ab = cases_phone_same(c, pairs[i].a, pairs[i].b);
    int ba = cases_phone_same(c, pairs[i].b, pairs[i].a);
    if (ab != pairs[i].same || ba != pairs[i].same)
      fprintf(stderr, "%s phones '%s' '%s': %d %d, expected %d\n",
              pairs[i].zCountry, pairs[i].a, pairs[i].b, ab, ba, pairs[i].same);
    CU_ASSERT_EQUAL(ab, pairs[i].same);
    CU_ASSERT_EQUAL(ba, pairs[i].same);
  }
}

/* What init loads for Mongolia, and that the country outlives a reopen. */
static void test_country__init_mongolia(void)
{
  char zPath[512];
  struct sws_ctx *ctx;
  struct area a;
  struct instrument *in = NULL;
  struct programme p;
  struct calendar cal;
  char zDue[11];
  int64_t n = 0;
  snprintf(zPath, sizeof zPath, "%s/mn.db", t_tmpdir());
  ctx = office_of("mn", zPath);
  cases_close(ctx);
  T_OK(cases_open(&ctx, zPath, 0, &t_err));
  CU_ASSERT_PTR_EQUAL(cases_country_of(ctx), MN);
  T_OK(cases_area_get(ctx, "MN-TO-ZM-1", &a, &t_err)); /* a bag */
  CU_ASSERT_EQUAL(cases_area_get(ctx, "17", &a, &t_err), SWS_ENOTFOUND);
  T_OK(cases_instrument_get(ctx, NULL, 0, &in, &t_err));
  CU_ASSERT_STRING_EQUAL(in->zCurrency, "MNT");
  CU_ASSERT_STRING_EQUAL(cases_instrument_question(in, "income_monthly")->zMn,
                         "Өрхийн өнгөрсөн сарын нийт мөнгөн орлого, "
                         "төгрөгөөр (цалин, борлуулалт, тэтгэвэр, тэтгэмж)");
  cases_instrument_free(in);
  memset(&p, 0, sizeof p);
  T_OK(cases_programme_get(ctx, "child-money", &p, &t_err));
  cases_programme_clear(&p);
  T_OK(cases_programme_get(ctx, "employment-promotion", &p, &t_err));
  cases_programme_clear(&p);
  CU_ASSERT_EQUAL(cases_programme_get(ctx, "hef", &p, &t_err), SWS_ENOTFOUND);
  T_OK(db_int64(ctx->db, &n, 0,
                "SELECT count(*) FROM holiday WHERE date IN ('2026-07-11', "
                "'2026-12-29', '2026-11-26')",
                &t_err));
  CU_ASSERT_EQUAL(n, 3);
  /* five business days from Wednesday 23 December 2026: 24, 25, 28, 30,
   * 31; Independence Day (Tuesday 29) is skipped */
  T_OK(calendar_load(ctx, &cal, &t_err));
  T_OK(calendar_add_business_days(&cal, "2026-12-23", 5, zDue, &t_err));
  CU_ASSERT_STRING_EQUAL(zDue, "2026-12-31");
  calendar_release(&cal);
  cases_close(ctx);
}

static void test_country__init_cambodia_by_default(void)
{
  struct sws_ctx *ctx = office_of("kh", NULL);
  struct instrument *in = NULL;
  struct area a;
  CU_ASSERT_PTR_EQUAL(cases_country_of(ctx), KH);
  T_OK(cases_area_get(ctx, "17", &a, &t_err));
  T_OK(cases_instrument_get(ctx, NULL, 0, &in, &t_err));
  /* the Cambodian questionnaire predates the field (its texts say riel);
   * changing it would change its version 1 */
  CU_ASSERT_STRING_EQUAL(in->zCurrency, "");
  CU_ASSERT_STRING_EQUAL(KH->zCurrency, "KHR");
  cases_instrument_free(in);
  cases_close(ctx);
  /* an office made before the setting existed is Cambodian */
  T_OK(cases_open(&ctx, NULL, CASES_CREATE | CASES_MEMORY, &t_err));
  CU_ASSERT_PTR_EQUAL(cases_country_of(ctx), KH);
  cases_close(ctx);
}

/* A household registered in a Mongolian office: register numbers checked
 * against birth dates, nothing saved when one disagrees; phones found
 * with and without +976. */
static void test_country__register_household_in_mongolia(void)
{
  struct sws_ctx *ctx = office_of("mn", NULL);
  struct member_input m[2] = {
      {"Батбаяр Болд", 'M', "1979-04-02", REL_HEAD, "уб79040212",
       "+976 9911 2233", 0},
      {"Сараа Болд", 'F', "1982-06-15", REL_SPOUSE, "УБ82061528", NULL, 0},
  };
  struct household_input h = {"MN-TO-ZM-1-A", NULL, NULL, NULL, m, 2, NULL};
  char zRegno[SWS_NUMBER_MAX];
  int64_t n = -1;
  cases_set_actor(ctx, "admin");
  m[1].zBorn = "1983-06-15";
  CU_ASSERT_EQUAL(cases_household_create(ctx, &h, zRegno, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "УБ82061528 says born "
                                           "1982-06-15; the birth date "
                                           "given is 1983-06-15"));
  T_OK(db_int64(ctx->db, &n, -1, "SELECT count(*) FROM member", &t_err));
  CU_ASSERT_EQUAL(n, 0);
  m[1].zBorn = "1982-06-15";
  T_OK(cases_household_create(ctx, &h, zRegno, NULL, &t_err));
  T_OK(db_int64(ctx->db, &n, -1,
                "SELECT count(*) FROM member WHERE national_id = "
                "'УБ79040212' AND sws_phone_same(phone, '99112233')",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
  cases_close(ctx);
}

/* The same household in a Cambodian office: the Cyrillic ID is refused. */
static void test_country__cambodia_refuses_register_numbers(void)
{
  struct sws_ctx *ctx = office_of("kh", NULL);
  struct member_input m = {
      "Sok Dara", 'M', "1979-04-02", REL_HEAD, "УБ79040212", NULL, 0};
  struct household_input h = {"17010101", NULL, NULL, NULL, &m, 1, NULL};
  char zRegno[SWS_NUMBER_MAX];
  cases_set_actor(ctx, "admin");
  CU_ASSERT_EQUAL(cases_household_create(ctx, &h, zRegno, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "Cyrillic"));
  m.zNationalId = "N0101 2345";
  T_OK(cases_household_create(ctx, &h, zRegno, NULL, &t_err));
  cases_close(ctx);
}

/* Times are kept in UTC and shown in the office's zone: its country's,
 * or one the administrator chose; across the date line the day changes. */
static void test_country__times_shown_in_local_time(void)
{
  char zPath[512], z[40];
  struct sws_ctx *ctx;
  int64_t n = 0;
  snprintf(zPath, sizeof zPath, "%s/tz.db", t_tmpdir());
  ctx = office_of("mn", zPath);
  CU_ASSERT_STRING_EQUAL(cases_office_timezone(ctx), "Asia/Ulaanbaatar");
  sws_time_local(z, sizeof z, "2026-03-01T17:30:00Z");
  CU_ASSERT_STRING_EQUAL(z, "2026-03-02 01:30"); /* UTC+8: the next day */
  /* the administrator's choice: western Mongolia is an hour behind */
  T_OK(cases_office_timezone_set(ctx, "Asia/Hovd", &t_err));
  sws_time_local(z, sizeof z, "2026-03-01T17:30:00Z");
  CU_ASSERT_STRING_EQUAL(z, "2026-03-02 00:30");
  static const char *const BAD[] = {"Asia/Nowhere", "../../etc/passwd",
                                    "/etc/localtime", "Asia/Ulaan baatar", ""};
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    CU_ASSERT_EQUAL(cases_office_timezone_set(ctx, BAD[i], &t_err), SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "is not a time zone"));
  }
  CU_ASSERT_STRING_EQUAL(cases_office_timezone(ctx), "Asia/Hovd");
  T_OK(db_int64(ctx->db, &n, -1,
                "SELECT count(*) FROM audit_log WHERE action = "
                "'office.timezone'",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
  cases_close(ctx);
  /* kept: the next opening shows times in it */
  T_OK(cases_open(&ctx, zPath, 0, &t_err));
  sws_time_local(z, sizeof z, "2026-03-01T17:30:00Z");
  CU_ASSERT_STRING_EQUAL(z, "2026-03-02 00:30");
  T_OK(cases_office_timezone_set(ctx, NULL, &t_err)); /* the country's */
  CU_ASSERT_STRING_EQUAL(cases_office_timezone(ctx), "Asia/Ulaanbaatar");
  cases_close(ctx);
  /* a Cambodian office: UTC+7; what is not a time is shown as it is */
  ctx = office_of("kh", NULL);
  sws_time_local(z, sizeof z, "2026-12-31T20:15:09Z");
  CU_ASSERT_STRING_EQUAL(z, "2027-01-01 03:15");
  sws_time_local(z, sizeof z, "yesterday");
  CU_ASSERT_STRING_EQUAL(z, "yesterday");
  /* at 01:00 on 2 March in Phnom Penh (18:00 UTC on the 1st), today
   * began at 17:00 UTC on the 1st */
  sws_local_day_start(z, sizeof z, (int64_t)1772388000 * 1000);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-01T17:00:00Z");
  cases_close(ctx);
}

static CU_TestInfo tests[] = {
    {"test_country__unknown_country_lists_the_known",
     test_country__unknown_country_lists_the_known},
    {"test_country__register_number_date", test_country__register_number_date},
    {"test_country__register_number_typed",
     test_country__register_number_typed},
    {"test_country__register_number_against_birth_date",
     test_country__register_number_against_birth_date},
    {"test_country__phone_same", test_country__phone_same},
    {"test_country__init_mongolia", test_country__init_mongolia},
    {"test_country__init_cambodia_by_default",
     test_country__init_cambodia_by_default},
    {"test_country__register_household_in_mongolia",
     test_country__register_household_in_mongolia},
    {"test_country__cambodia_refuses_register_numbers",
     test_country__cambodia_refuses_register_numbers},
    {"test_country__times_shown_in_local_time",
     test_country__times_shown_in_local_time},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_country = {"country", setup, NULL, NULL, NULL, tests};
