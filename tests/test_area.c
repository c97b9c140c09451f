/*
 * test_area.c - the administrative hierarchy: loading (all or nothing),
 * levels, ancestors and paths.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cases/area.h"
#include "tests/support.h"

static void test_area__load_updates_and_adds(void)
{
  const char csv[] = "V1,village,ភូមិថ្មី,New Name,C1\n"
                     "V4,village,ភូមិបួន,Village Four,C2\n";
  struct area_load_report rep;
  T_OK(cases_area_load_csv(t_ctx, csv, sizeof csv - 1, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nAdded, 1);
  CU_ASSERT_EQUAL(rep.nUpdated, 1);
  buf_release(&rep.errors);
  struct area a;
  T_OK(cases_area_get(t_ctx, "V1", &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zLatin, "New Name");
  CU_ASSERT_EQUAL(a.level, AREA_VILLAGE);
}

static void test_area__bad_lines_load_nothing_and_are_all_listed(void)
{
  const char csv[] = "code,level,name,name_latin,parent_code\n"
                     "V5,village,ភូមិ,Five,C1\n"
                     "V6,hamlet,x,y,C1\n"
                     "V7,village,x,y,NOPE\n"
                     "V8,village,x,y,D1\n"
                     "D9,district,x,y,\n"
                     "bad code!,village,x,y,C1\n"
                     "V5,village,dup,dup,C1\n";
  struct area_load_report rep;
  CU_ASSERT_EQUAL(cases_area_load_csv(t_ctx, csv, sizeof csv - 1, &rep,
                                      &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(rep.nErrors, 6);
  const char *z = buf_str(&rep.errors);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "line 3: the level"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "line 4: parent 'NOPE'"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "line 5: the parent of a village must be "
                                   "a commune"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "line 6: a district"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "line 8: this code appears twice"));
  buf_release(&rep.errors);
  struct area a;
  CU_ASSERT_EQUAL(cases_area_get(t_ctx, "V5", &a, &t_err), SWS_ENOTFOUND);
}

static void test_area__ancestor_and_path(void)
{
  struct area a;
  struct buf b = BUF_INIT;
  T_OK(cases_area_ancestor(t_ctx, "V3", AREA_COMMUNE, &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zCode, "C2");
  T_OK(cases_area_ancestor(t_ctx, "V3", AREA_PROVINCE, &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zCode, "P1");
  T_OK(cases_area_path(t_ctx, "V3", 1, &b, &t_err));
  CU_ASSERT_STRING_EQUAL(buf_str(&b),
                         "Village Three, Commune Two, District One, "
                         "Province One");
  buf_release(&b);
  CU_ASSERT_EQUAL(cases_area_ancestor(t_ctx, "C1", AREA_VILLAGE, &a, &t_err),
                  SWS_ENOTFOUND);
}

static void test_area__default_sample_loads(void)
{
  struct area_load_report rep;
  T_OK(cases_area_load_default(t_ctx, &rep, &t_err));
  CU_ASSERT(rep.nAdded > 30);
  buf_release(&rep.errors);
  struct area a;
  T_OK(cases_area_get(t_ctx, "17010101", &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zLatin, "Char Chhuk");
}

static CU_TestInfo tests[] = {
    {"test_area__load_updates_and_adds", test_area__load_updates_and_adds},
    {"test_area__bad_lines_load_nothing_and_are_all_listed",
     test_area__bad_lines_load_nothing_and_are_all_listed},
    {"test_area__ancestor_and_path", test_area__ancestor_and_path},
    {"test_area__default_sample_loads", test_area__default_sample_loads},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_area = {"area", NULL, NULL, t_office_setup,
                           t_office_teardown, tests};
