/*
 * test_referral.c - referrals: numbers, every valid and invalid step of the
 * state machine, feedback, and events arriving by sync in any order.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/fsm.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "tests/support.h"

static char g_regno[SWS_NUMBER_MAX];

static void setup(void)
{
  t_office_setup();
  snprintf(g_regno, sizeof g_regno, "%s",
           t_household("Sok Dara", 'M', "1979", "V1"));
}

static int add(char *zNumber)
{
  struct referral_input in = {g_regno, 2, "health", "Angkor Chum health "
                              "centre", "fever for a week", 1};
  return cases_referral_add(t_ctx, &in, zNumber, &t_err);
}

static void test_referral__add_and_read(void)
{
  char z[SWS_NUMBER_MAX];
  struct referral r;
  T_OK(add(z));
  CU_ASSERT_EQUAL(strncmp(z, "KH12-R-000001-", 14), 0);
  T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
  CU_ASSERT_STRING_EQUAL(r.zStatus, "pending");
  CU_ASSERT_EQUAL(r.member, 2);
  CU_ASSERT_STRING_EQUAL(r.zMemberName, "Child Of Them");
  CU_ASSERT_EQUAL(r.urgent, 1);
  cases_referral_release(&r);
  /* bad input changes nothing */
  struct referral_input bad = {g_regno, 9, "health", "x", "y", 0};
  CU_ASSERT_EQUAL(cases_referral_add(t_ctx, &bad, z, &t_err), SWS_ENOTFOUND);
  bad.member = 1;
  bad.zService = "magic";
  CU_ASSERT_EQUAL(cases_referral_add(t_ctx, &bad, z, &t_err), SWS_EINVAL);
  bad.zService = "education";
  bad.zReason = " ";
  CU_ASSERT_EQUAL(cases_referral_add(t_ctx, &bad, z, &t_err), SWS_EINVAL);
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM referral", &t_err));
  CU_ASSERT_EQUAL(n, 1);
}

/* Paths that reach each state from pending. */
static const struct {
  const char *zState;
  const char *azPath[3];
} PATHS[] = {
    {"pending", {NULL}},
    {"sent", {"send", NULL}},
    {"accepted", {"send", "accept", NULL}},
    {"declined", {"send", "decline", NULL}},
    {"completed", {"send", "accept", "complete"}},
    {"cancelled", {"cancel", NULL}},
};

static const char *const ACTIONS[] = {"send", "accept", "decline", "complete",
                                      "cancel"};
static const char *const EVENTS[] = {"sent", "accepted", "declined",
                                     "completed", "cancelled"};

static void test_referral__every_transition(void)
{
  int nValid = 0, nInvalid = 0;
  for (size_t s = 0; s < sizeof PATHS / sizeof PATHS[0]; s++) {
    for (size_t a = 0; a < 5; a++) {
      char z[SWS_NUMBER_MAX];
      struct referral r;
      T_OK(add(z));
      for (int k = 0; k < 3 && PATHS[s].azPath[k]; k++)
        T_OK(cases_referral_step(t_ctx, z, PATHS[s].azPath[k], NULL,
                                 &t_err));
      T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
      CU_ASSERT_STRING_EQUAL(r.zStatus, PATHS[s].zState);
      int nEvents = r.nEvent;
      cases_referral_release(&r);
      const char *zTo =
          fsm_next(cases_referral_fsm(), PATHS[s].zState, EVENTS[a]);
      int rc = cases_referral_step(t_ctx, z, ACTIONS[a], "feedback", &t_err);
      T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
      if (zTo) {
        nValid++;
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_STRING_EQUAL(r.zStatus, zTo);
        CU_ASSERT_EQUAL(r.nEvent, nEvents + 1);
      } else {
        nInvalid++;
        CU_ASSERT_EQUAL(rc, SWS_ECONFLICT);
        CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "cannot be"));
        CU_ASSERT_STRING_EQUAL(r.zStatus, PATHS[s].zState);
        CU_ASSERT_EQUAL(r.nEvent, nEvents); /* nothing written */
      }
      cases_referral_release(&r);
    }
  }
  /* the table in the issue: 5 valid steps, the other 25 refused */
  CU_ASSERT_EQUAL(nValid, 5);
  CU_ASSERT_EQUAL(nInvalid, 25);
}

static int count_rows(const struct referral_row *r, void *arg)
{
  if (r->zFeedback[0])
    CU_ASSERT_STRING_EQUAL(r->zFeedback, "seen by the nurse; treated");
  (*(int *)arg)++;
  return 0;
}

static void test_referral__feedback_shows(void)
{
  char z[SWS_NUMBER_MAX];
  T_OK(add(z));
  T_OK(cases_referral_step(t_ctx, z, "send", NULL, &t_err));
  T_OK(cases_referral_step(t_ctx, z, "accept", "seen by the nurse; treated",
                           &t_err));
  int n = 0;
  T_OK(cases_referral_list(t_ctx, ROLE_SUPERVISOR, g_regno, count_rows, &n,
                           &t_err));
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(cases_referral_step(t_ctx, z, "fly", NULL, &t_err),
                  SWS_EINVAL);
}

static void test_referral__remote_events_in_any_order(void)
{
  char z[SWS_NUMBER_MAX];
  struct referral r;
  T_OK(add(z));
  /* "accepted" arrives before "sent": kept, flagged */
  T_OK(cases_referral_apply_remote(t_ctx, z, "0190f0f0-0000-7000-8000-0000000"
                                   "00002", "accepted", "2026-03-02T10:00:00Z",
                                   "clinic", "ok", &t_err));
  T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
  CU_ASSERT_STRING_EQUAL(r.zStatus, "pending");
  CU_ASSERT_EQUAL(r.flagged, 1);
  CU_ASSERT_EQUAL(r.nEvent, 1);
  CU_ASSERT_EQUAL(r.aEvent[0].valid, 0);
  cases_referral_release(&r);
  /* then the earlier "sent" arrives: both fit now */
  T_OK(cases_referral_apply_remote(t_ctx, z, "0190f0f0-0000-7000-8000-0000000"
                                   "00001", "sent", "2026-03-01T10:00:00Z",
                                   "desk", "", &t_err));
  T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
  CU_ASSERT_STRING_EQUAL(r.zStatus, "accepted");
  CU_ASSERT_EQUAL(r.flagged, 0);
  CU_ASSERT_EQUAL(r.nEvent, 2);
  cases_referral_release(&r);
  /* the same event twice changes nothing */
  T_OK(cases_referral_apply_remote(t_ctx, z, "0190f0f0-0000-7000-8000-0000000"
                                   "00001", "sent", "2026-03-01T10:00:00Z",
                                   "desk", "", &t_err));
  T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
  CU_ASSERT_EQUAL(r.nEvent, 2);
  cases_referral_release(&r);
  /* an impossible one (cancel after accept) is kept and flagged */
  T_OK(cases_referral_apply_remote(t_ctx, z, "0190f0f0-0000-7000-8000-0000000"
                                   "00003", "cancelled",
                                   "2026-03-03T10:00:00Z", "desk", "", &t_err));
  T_OK(cases_referral_get(t_ctx, z, &r, &t_err));
  CU_ASSERT_STRING_EQUAL(r.zStatus, "accepted");
  CU_ASSERT_EQUAL(r.flagged, 1);
  CU_ASSERT_EQUAL(r.nEvent, 3);
  CU_ASSERT_PTR_NOT_NULL(strstr(r.aEvent[2].zNote, "cannot follow"));
  cases_referral_release(&r);
}

static CU_TestInfo tests[] = {
    {"test_referral__add_and_read", test_referral__add_and_read},
    {"test_referral__every_transition", test_referral__every_transition},
    {"test_referral__feedback_shows", test_referral__feedback_shows},
    {"test_referral__remote_events_in_any_order",
     test_referral__remote_events_in_any_order},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_referral = {"referral", NULL, NULL, setup,
                               t_office_teardown, tests};
