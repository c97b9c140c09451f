/*
 * test_calendar.c - business-day arithmetic across weekends and holidays.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cases/calendar.h"

static void test_calendar__weekdays(void)
{
  CU_ASSERT_EQUAL(calendar_weekday("2026-03-02"), 0); /* Monday */
  CU_ASSERT_EQUAL(calendar_weekday("2026-03-07"), 5); /* Saturday */
  CU_ASSERT_EQUAL(calendar_weekday("2024-02-29"), 3); /* Thursday */
  CU_ASSERT_EQUAL(calendar_weekday("1970-01-01"), 3);
  CU_ASSERT_EQUAL(calendar_weekday("2026-02-30"), -1);
}

static void test_calendar__skips_weekends(void)
{
  struct calendar cal = {CAL_SATURDAY | CAL_SUNDAY, NULL, 0};
  char z[11];
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-03-06", 1, z, NULL),
                  0); /* Friday + 1 */
  CU_ASSERT_STRING_EQUAL(z, "2026-03-09");
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-03-06", 5, z, NULL),
                  0);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-13");
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-03-07", 1, z, NULL),
                  0); /* from a Saturday */
  CU_ASSERT_STRING_EQUAL(z, "2026-03-09");
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-03-02", 0, z, NULL),
                  0);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-02");
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-12-31", 1, z, NULL),
                  0); /* over the year end */
  CU_ASSERT_STRING_EQUAL(z, "2027-01-01");
}

static void test_calendar__skips_holidays(void)
{
  char hol[][11] = {"2026-04-14", "2026-04-15", "2026-04-16"};
  struct calendar cal = {CAL_SATURDAY | CAL_SUNDAY, hol, 3};
  char z[11];
  /* Friday 10 April + 3 business days: Mon 13, (14-16 Khmer New Year),
   * Fri 17, Mon 20 */
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-04-10", 3, z, NULL),
                  0);
  CU_ASSERT_STRING_EQUAL(z, "2026-04-20");
  CU_ASSERT_FALSE(calendar_is_business_day(&cal, "2026-04-15"));
  CU_ASSERT_TRUE(calendar_is_business_day(&cal, "2026-04-17"));
  /* a Friday-Saturday weekend (bits: Friday is bit 4) */
  struct calendar fs = {(1 << 4) | CAL_SATURDAY, NULL, 0};
  CU_ASSERT_EQUAL(calendar_add_business_days(&fs, "2026-03-05", 1, z, NULL),
                  0);
  CU_ASSERT_STRING_EQUAL(z, "2026-03-08");
}

static void test_calendar__bad_input(void)
{
  struct calendar cal = {CAL_SATURDAY | CAL_SUNDAY, NULL, 0};
  struct calendar never = {0x7f, NULL, 0};
  char z[11];
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "tomorrow", 1, z, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(calendar_add_business_days(&cal, "2026-01-01", -1, z, &err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(calendar_add_business_days(&never, "2026-01-01", 1, z,
                                             &err),
                  SWS_EINVAL);
  int w;
  CU_ASSERT_EQUAL(calendar_parse_weekend("fri, sat", &w, &err), 0);
  CU_ASSERT_EQUAL(w, (1 << 4) | (1 << 5));
  CU_ASSERT_EQUAL(calendar_parse_weekend("friday", &w, &err), SWS_EINVAL);
}

static CU_TestInfo tests[] = {
    {"test_calendar__weekdays", test_calendar__weekdays},
    {"test_calendar__skips_weekends", test_calendar__skips_weekends},
    {"test_calendar__skips_holidays", test_calendar__skips_holidays},
    {"test_calendar__bad_input", test_calendar__bad_input},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_calendar = {"calendar", NULL, NULL, NULL, NULL, tests};
