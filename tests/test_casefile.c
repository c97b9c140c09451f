/*
 * test_casefile.c - cases, case managers, automatic assignment by area and
 * caseload, notes, closing, and the caseload with overdue items first.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/casefile.h"
#include "cases/plan.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "tests/support.h"

static void setup(void)
{
  setenv("SWS_NOW", "2026-03-02T09:00:00Z", 1);
  t_office_setup();
}

static void teardown(void)
{
  t_office_teardown();
  unsetenv("SWS_NOW");
}

static void test_casefile__one_open_case_per_household(void)
{
  char zR[SWS_NUMBER_MAX];
  struct case_info c;
  snprintf(zR, sizeof zR, "%s", t_household("Sok Dara", 'M', "1979", "V1"));
  CU_ASSERT_EQUAL(cases_case_get_open(t_ctx, zR, &c, &t_err), SWS_ENOTFOUND);
  T_OK(cases_case_open(t_ctx, zR, &c, &t_err));
  CU_ASSERT_STRING_EQUAL(c.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(c.zManager, "");
  CU_ASSERT_EQUAL(cases_case_open(t_ctx, zR, &c, &t_err), SWS_ECONFLICT);
  CU_ASSERT_EQUAL(cases_case_close(t_ctx, zR, "  ", &t_err), SWS_EINVAL);
  T_OK(cases_case_close(t_ctx, zR, "enrolled in HEF", &t_err));
  CU_ASSERT_EQUAL(cases_case_note(t_ctx, zR, "late note", &t_err),
                  SWS_ENOTFOUND); /* closed */
  T_OK(cases_case_get_latest(t_ctx, zR, &c, &t_err));
  CU_ASSERT_STRING_EQUAL(c.zOutcome, "enrolled in HEF");
  /* a new case after the old one is closed */
  T_OK(cases_case_open(t_ctx, zR, &c, &t_err));
}

static void test_casefile__assign_only_to_case_managers(void)
{
  char zR[SWS_NUMBER_MAX], zWho[33];
  struct case_info c;
  snprintf(zR, sizeof zR, "%s", t_household("Sok Dara", 'M', "1979", "V1"));
  T_OK(cases_case_open(t_ctx, zR, &c, &t_err));
  CU_ASSERT_EQUAL(cases_case_assign(t_ctx, zR, "desk", zWho, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "front-desk"));
  CU_ASSERT_EQUAL(cases_case_assign(t_ctx, zR, "nobody", zWho, &t_err),
                  SWS_ENOTFOUND);
  T_OK(cases_case_assign(t_ctx, zR, "cm1", zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm1");
  CU_ASSERT_EQUAL(cases_case_assign(t_ctx, zR, "cm1", zWho, &t_err),
                  SWS_ECONFLICT);
  T_OK(cases_case_assign(t_ctx, zR, "cm2", zWho, &t_err));
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM case_assignment",
                &t_err));
  CU_ASSERT_EQUAL(n, 2); /* history kept */
}

static void test_casefile__auto_assign_lightest_caseload_in_area(void)
{
  char zR[4][SWS_NUMBER_MAX], zWho[33];
  struct case_info c;
  /* no one covers the area yet */
  snprintf(zR[0], sizeof zR[0], "%s",
           t_household("Sok Dara", 'M', "1979", "V1"));
  T_OK(cases_case_open(t_ctx, zR[0], &c, &t_err));
  CU_ASSERT_EQUAL(cases_case_assign(t_ctx, zR[0], NULL, zWho, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws user area add"));
  /* cm1 covers commune C1 (V1, V2); cm2 covers the whole district */
  CU_ASSERT_EQUAL(cases_user_area_add(t_ctx, "desk", "C1", &t_err),
                  SWS_EINVAL);
  T_OK(cases_user_area_add(t_ctx, "cm1", "C1", &t_err));
  T_OK(cases_user_area_add(t_ctx, "cm2", "D1", &t_err));
  T_OK(cases_case_assign(t_ctx, zR[0], NULL, zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm1"); /* tie: alphabetical */
  snprintf(zR[1], sizeof zR[1], "%s",
           t_household("Keo Samnang", 'M', "1990", "V2"));
  T_OK(cases_case_open(t_ctx, zR[1], &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zR[1], NULL, zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm2"); /* cm1 has one already */
  /* V3 is in C2: only cm2 covers it, whatever the load */
  snprintf(zR[2], sizeof zR[2], "%s",
           t_household("Ly Chanthy", 'F', "1970", "V3"));
  T_OK(cases_case_open(t_ctx, zR[2], &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zR[2], NULL, zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm2");
  snprintf(zR[3], sizeof zR[3], "%s",
           t_household("Tep Ratana", 'F', "1985", "V1"));
  T_OK(cases_case_open(t_ctx, zR[3], &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zR[3], NULL, zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm1"); /* 1 case against 2 */
}

struct rows {
  int n;
  char azRegno[8][SWS_NUMBER_MAX];
  int aOverdue[8];
};

static int collect(const struct caseload_row *r, void *arg)
{
  struct rows *rs = arg;
  if (rs->n < 8) {
    snprintf(rs->azRegno[rs->n], SWS_NUMBER_MAX, "%s", r->zRegno);
    rs->aOverdue[rs->n] = r->nOverdue;
    rs->n++;
  }
  return 0;
}

static void test_casefile__caseload_overdue_first(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zWho[33];
  struct case_info c;
  struct rows rs;
  int no;
  snprintf(zA, sizeof zA, "%s", t_household("Sok Dara", 'M', "1979", "V1"));
  snprintf(zB, sizeof zB, "%s", t_household("Keo Samnang", 'M', "1990", "V2"));
  T_OK(cases_case_open(t_ctx, zA, &c, &t_err));
  T_OK(cases_case_open(t_ctx, zB, &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zA, "cm1", zWho, &t_err));
  T_OK(cases_case_assign(t_ctx, zB, "cm1", zWho, &t_err));
  struct plan_action_input later = {0, "skills", "tailoring course", "cm1",
                                    "2026-03-20"};
  struct plan_action_input soon = {0, "income-support", "apply for cash",
                                   "the family", "2026-03-05"};
  T_OK(cases_plan_action_add(t_ctx, zA, &later, &no, &t_err));
  T_OK(cases_plan_action_add(t_ctx, zB, &soon, &no, &t_err));
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_SUPERVISOR, "cm1", collect, &rs, &t_err));
  CU_ASSERT_EQUAL(rs.n, 2);
  CU_ASSERT_STRING_EQUAL(rs.azRegno[0], zB); /* due first */
  CU_ASSERT_EQUAL(rs.aOverdue[0], 0);
  /* a week later B's action is overdue; A's is not yet */
  setenv("SWS_NOW", "2026-03-10T09:00:00Z", 1);
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_SUPERVISOR, "cm1", collect, &rs, &t_err));
  CU_ASSERT_STRING_EQUAL(rs.azRegno[0], zB);
  CU_ASSERT_EQUAL(rs.aOverdue[0], 1);
  /* done: no longer overdue, A comes first */
  T_OK(cases_plan_action_set(t_ctx, zB, no, "done", &t_err));
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_SUPERVISOR, "cm1", collect, &rs, &t_err));
  CU_ASSERT_STRING_EQUAL(rs.azRegno[0], zA);
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_SUPERVISOR, "cm2", collect, &rs, &t_err));
  CU_ASSERT_EQUAL(rs.n, 0);
}

/* Need-to-know (cases/access.h), tried as an attacker: case manager cm2
 * reads, notes and takes cm1's case of a village cm2 does not cover. */
static void test_casefile__need_to_know(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zWho[33];
  struct case_info c;
  struct rows rs;
  snprintf(zA, sizeof zA, "%s", t_household("Sok Dara", 'M', "1979", "V1"));
  snprintf(zB, sizeof zB, "%s", t_household("Keo Samnang", 'M', "1990", "V2"));
  T_OK(cases_case_open(t_ctx, zA, &c, &t_err));
  T_OK(cases_case_open(t_ctx, zB, &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zA, "cm1", zWho, &t_err));
  cases_set_actor(t_ctx, "cm2");
  CU_ASSERT_EQUAL(cases_case_check(t_ctx, ROLE_CASE_MANAGER, zA, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(
      cases_case_check(t_ctx, ROLE_CASE_MANAGER, "nonsense", &t_err),
      SWS_ENOTFOUND); /* the same answer as for no household */
  CU_ASSERT_EQUAL(
      cases_case_assign_check(t_ctx, ROLE_CASE_MANAGER, zA, "cm2", &t_err),
      SWS_ENOTFOUND);
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_CASE_MANAGER, NULL, collect, &rs, &t_err));
  CU_ASSERT_EQUAL(rs.n, 0);
  /* the front desk sees no case at all; the supervisor every case */
  cases_set_actor(t_ctx, "desk");
  CU_ASSERT_EQUAL(cases_case_check(t_ctx, ROLE_FRONT_DESK, zA, &t_err),
                  SWS_ENOTFOUND);
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_case_check(t_ctx, ROLE_SUPERVISOR, zA, &t_err));
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_SUPERVISOR, NULL, collect, &rs, &t_err));
  CU_ASSERT_EQUAL(rs.n, 2);
  /* cm1 sees its caseload (not the unassigned case of V2) */
  cases_set_actor(t_ctx, "cm1");
  T_OK(cases_case_check(t_ctx, ROLE_CASE_MANAGER, zA, &t_err));
  CU_ASSERT_EQUAL(cases_case_check(t_ctx, ROLE_CASE_MANAGER, zB, &t_err),
                  SWS_ENOTFOUND);
  /* cm2 covers the commune: reads and works both, takes the unassigned
   * one, but cannot take cm1's case nor give a case to someone else */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_add(t_ctx, "cm2", "C1", &t_err));
  cases_set_actor(t_ctx, "cm2");
  T_OK(cases_case_check(t_ctx, ROLE_CASE_MANAGER, zA, &t_err));
  memset(&rs, 0, sizeof rs);
  T_OK(cases_caseload(t_ctx, ROLE_CASE_MANAGER, NULL, collect, &rs, &t_err));
  CU_ASSERT_EQUAL(rs.n, 2);
  CU_ASSERT_EQUAL(
      cases_case_assign_check(t_ctx, ROLE_CASE_MANAGER, zA, "cm2", &t_err),
      SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "supervisor"));
  CU_ASSERT_EQUAL(
      cases_case_assign_check(t_ctx, ROLE_CASE_MANAGER, zB, "cm1", &t_err),
      SWS_EPERM);
  T_OK(cases_case_assign_check(t_ctx, ROLE_CASE_MANAGER, zB, "cm2", &t_err));
  T_OK(cases_case_assign_check(t_ctx, ROLE_CASE_MANAGER, zB, NULL, &t_err));
  /* the supervisor reassigns */
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_case_assign_check(t_ctx, ROLE_SUPERVISOR, zA, "cm2", &t_err));
  /* the commune taken away: cm2 sees none of it again */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_remove(t_ctx, "cm2", "C1", &t_err));
  CU_ASSERT_EQUAL(cases_user_area_remove(t_ctx, "cm2", "C1", &t_err),
                  SWS_ENOTFOUND);
  cases_set_actor(t_ctx, "cm2");
  CU_ASSERT_EQUAL(cases_case_check(t_ctx, ROLE_CASE_MANAGER, zB, &t_err),
                  SWS_ENOTFOUND);
}

static CU_TestInfo tests[] = {
    {"test_casefile__one_open_case_per_household",
     test_casefile__one_open_case_per_household},
    {"test_casefile__assign_only_to_case_managers",
     test_casefile__assign_only_to_case_managers},
    {"test_casefile__auto_assign_lightest_caseload_in_area",
     test_casefile__auto_assign_lightest_caseload_in_area},
    {"test_casefile__caseload_overdue_first",
     test_casefile__caseload_overdue_first},
    {"test_casefile__need_to_know", test_casefile__need_to_know},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_casefile = {"casefile", NULL, NULL, setup, teardown,
                               tests};
