/*
 * test_plan.c - case plans: goals and actions, numbering, every status
 * transition, bad input.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/fsm.h"
#include "cases/plan.h"
#include "tests/support.h"

static char g_regno[SWS_NUMBER_MAX];

static void setup(void)
{
  struct case_info c;
  t_office_setup();
  snprintf(g_regno, sizeof g_regno, "%s",
           t_household("Sok Dara", 'M', "1979", "V1"));
  if (cases_case_open(t_ctx, g_regno, &c, &t_err) != 0)
    CU_FAIL("open case");
}

static int count(const struct plan_item *it, void *arg)
{
  int *n = arg;
  n[it->isGoal]++;
  return 0;
}

static void test_plan__goals_and_actions(void)
{
  int g, a, n[2] = {0, 0};
  T_OK(cases_plan_goal_add(t_ctx, g_regno, "a steady income", &g, &t_err));
  CU_ASSERT_EQUAL(g, 1);
  struct plan_action_input in = {1, "job-placement", "garment factory",
                                 "cm1", "2026-12-31"};
  T_OK(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err));
  CU_ASSERT_EQUAL(a, 1);
  in.goal = 0;
  in.zKind = "psychosocial";
  T_OK(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err));
  CU_ASSERT_EQUAL(a, 2);
  T_OK(cases_plan_list(t_ctx, g_regno, count, n, &t_err));
  CU_ASSERT_EQUAL(n[1], 1);
  CU_ASSERT_EQUAL(n[0], 2);
  /* bad input changes nothing */
  in.goal = 7;
  CU_ASSERT_EQUAL(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err),
                  SWS_ENOTFOUND);
  in.goal = 0;
  in.zKind = "magic";
  CU_ASSERT_EQUAL(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err),
                  SWS_EINVAL);
  in.zKind = "skills";
  in.zDue = "next week";
  CU_ASSERT_EQUAL(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err),
                  SWS_EINVAL);
  in.zDue = "2026-12-31";
  in.zOwner = "";
  CU_ASSERT_EQUAL(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err),
                  SWS_EINVAL);
  n[0] = n[1] = 0;
  T_OK(cases_plan_list(t_ctx, g_regno, count, n, &t_err));
  CU_ASSERT_EQUAL(n[0], 2);
}

static void test_plan__every_action_transition(void)
{
  static const char *const ST[] = {"in-progress", "done", "cancelled"};
  static const struct {
    const char *zState;
    const char *azPath[2];
  } PATHS[] = {{"planned", {NULL}},
               {"in-progress", {"in-progress", NULL}},
               {"done", {"done", NULL}},
               {"cancelled", {"cancelled", NULL}}};
  int ok = 0, refused = 0;
  for (size_t p = 0; p < 4; p++)
    for (size_t s = 0; s < 3; s++) {
      struct plan_action_input in = {0, "other", "x", "cm1", "2026-12-31"};
      int a;
      T_OK(cases_plan_action_add(t_ctx, g_regno, &in, &a, &t_err));
      for (int k = 0; k < 2 && PATHS[p].azPath[k]; k++)
        T_OK(cases_plan_action_set(t_ctx, g_regno, a, PATHS[p].azPath[k],
                                   &t_err));
      int rc = cases_plan_action_set(t_ctx, g_regno, a, ST[s], &t_err);
      int expect =
          fsm_next(cases_plan_action_fsm(), PATHS[p].zState, ST[s]) != NULL;
      CU_ASSERT_EQUAL(rc == 0, expect);
      if (expect)
        ok++;
      else
        refused++;
    }
  CU_ASSERT_EQUAL(ok, 5);
  CU_ASSERT_EQUAL(refused, 7);
  CU_ASSERT_EQUAL(cases_plan_action_set(t_ctx, g_regno, 99, "done", &t_err),
                  SWS_ENOTFOUND);
}

static CU_TestInfo tests[] = {
    {"test_plan__goals_and_actions", test_plan__goals_and_actions},
    {"test_plan__every_action_transition",
     test_plan__every_action_transition},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_plan = {"plan", NULL, NULL, setup, t_office_teardown,
                           tests};
