/*
 * test_permit.c - the one table of who may do what (cases/permit.h): the
 * web UI's rules kept, a front desk that cannot decide enrolments, and a
 * system user (the command line without an account) that runs jobs and
 * reads but takes no staff decision.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cases/permit.h"
#include "cases/user.h"
#include "tests/support.h"

static void test_permit__web_rules_kept(void)
{
  /* the rules route.c had in its own copy */
  CU_ASSERT(cases_permit_allows(ROLE_FRONT_DESK, CAP_DESK));
  CU_ASSERT(!cases_permit_allows(ROLE_ADMIN, CAP_DESK));
  CU_ASSERT(!cases_permit_allows(ROLE_FRONT_DESK, CAP_CASE));
  CU_ASSERT(cases_permit_allows(ROLE_CASE_MANAGER, CAP_CASE));
  CU_ASSERT(cases_permit_allows(ROLE_SUPERVISOR, CAP_SUPERVISE));
  CU_ASSERT(!cases_permit_allows(ROLE_CASE_MANAGER, CAP_SUPERVISE));
  CU_ASSERT(cases_permit_allows(ROLE_ADMIN, CAP_SYNC));
  CU_ASSERT(!cases_permit_allows(ROLE_CASE_MANAGER, CAP_SYNC));
  for (int role = ROLE_FRONT_DESK; role <= ROLE_ADMIN; role++)
    CU_ASSERT(cases_permit_allows(role, CAP_ANY));
  /* no account is no staff account */
  CU_ASSERT(!cases_permit_allows(ROLE_SYSTEM, CAP_ANY));
}

static void test_permit__only_a_supervisor_decides_enrolments(void)
{
  CU_ASSERT(cases_permit_allows(ROLE_SUPERVISOR, CAP_DECIDE));
  CU_ASSERT(!cases_permit_allows(ROLE_FRONT_DESK, CAP_DECIDE));
  CU_ASSERT(!cases_permit_allows(ROLE_CASE_MANAGER, CAP_DECIDE));
  CU_ASSERT(!cases_permit_allows(ROLE_ADMIN, CAP_DECIDE));
  CU_ASSERT(!cases_permit_allows(ROLE_SYSTEM, CAP_DECIDE));
  /* the refusal names the command, who asked and the role needed */
  CU_ASSERT_EQUAL(cases_permit_check(ROLE_FRONT_DESK, "desk",
                                     "enrolment decide", CAP_DECIDE, &t_err),
                  SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'enrolment decide'"));
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "needs the role supervisor"));
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'desk' is front-desk"));
  T_OK(cases_permit_check(ROLE_SUPERVISOR, "sup", "enrolment decide",
                          CAP_DECIDE, &t_err));
}

static void test_permit__system_user_runs_jobs_not_staff_work(void)
{
  static const int aStaff[] = {CAP_DESK,      CAP_CASE, CAP_DECIDE,
                               CAP_SUPERVISE, CAP_SYNC, CAP_ADMIN};
  for (size_t i = 0; i < sizeof aStaff / sizeof aStaff[0]; i++)
    CU_ASSERT(!cases_permit_allows(ROLE_SYSTEM, aStaff[i]));
  CU_ASSERT(cases_permit_allows(ROLE_SYSTEM, CAP_JOBS));
  CU_ASSERT(cases_permit_allows(ROLE_SYSTEM, CAP_READ));
  CU_ASSERT(cases_permit_allows(ROLE_SYSTEM, CAP_CASE_READ));
  CU_ASSERT(cases_permit_allows(ROLE_SYSTEM, CAP_PUBLIC));
  CU_ASSERT_EQUAL(cases_permit_check(ROLE_SYSTEM, "cli:root", "household add",
                                     CAP_DESK, &t_err),
                  SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws --as LOGIN household add"));
}

static void test_permit__nothing_unassigned_or_unknown(void)
{
  for (int role = ROLE_SYSTEM; role <= ROLE_ADMIN; role++) {
    CU_ASSERT(!cases_permit_allows(role, CAP_NONE));
    CU_ASSERT(!cases_permit_allows(role, CAP_COUNT));
    CU_ASSERT(!cases_permit_allows(role, -1));
  }
  CU_ASSERT(!cases_permit_allows(ROLE_ADMIN + 1, CAP_PUBLIC));
  CU_ASSERT(!cases_permit_allows(-1, CAP_PUBLIC));
  /* every capability says what it is and who holds it */
  for (int cap = CAP_NONE; cap < CAP_COUNT; cap++) {
    CU_ASSERT(strlen(cases_permit_what(cap)) > 5);
    CU_ASSERT(strlen(cases_permit_roles(cap)) > 3);
  }
}

static CU_TestInfo tests[] = {
    {"test_permit__web_rules_kept", test_permit__web_rules_kept},
    {"test_permit__only_a_supervisor_decides_enrolments",
     test_permit__only_a_supervisor_decides_enrolments},
    {"test_permit__system_user_runs_jobs_not_staff_work",
     test_permit__system_user_runs_jobs_not_staff_work},
    {"test_permit__nothing_unassigned_or_unknown",
     test_permit__nothing_unassigned_or_unknown},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_permit = {"permit",          NULL, NULL, t_office_setup,
                             t_office_teardown, tests};
