/*
 * test_grievance.c - grievances: tickets and follow-up codes, every step of
 * the state machine, deadlines in business days, escalation up the layers
 * (idempotent), answers and appeals, sensitive categories, late events.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/audit.h"
#include "cases/casefile.h"
#include "cases/fsm.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/user.h"
#include "tests/support.h"

static char g_regno[SWS_NUMBER_MAX];

static void setup(void)
{
  /* Monday 2 March 2026, 09:00 */
  setenv("SWS_NOW", "2026-03-02T09:00:00Z", 1);
  t_office_setup();
  snprintf(g_regno, sizeof g_regno, "%s",
           t_household("Sok Dara", 'M', "1979", "V1"));
}

static void teardown(void)
{
  t_office_teardown();
  unsetenv("SWS_NOW");
}

static int add(const char *zCategory, int anonymous, char *zTicket,
               char *zCode)
{
  struct grievance_input in = {anonymous ? NULL : g_regno, anonymous,
                               zCategory, "walk-in",
                               "our name is missing from the list"};
  return cases_grievance_add(t_ctx, &in, zTicket, zCode, &t_err);
}

static int count_rows(const struct grievance_row *r, void *arg)
{
  (void)r;
  (*(int *)arg)++;
  return 0;
}

static void test_grievance__ticket_and_deadline(void)
{
  char t[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
  struct grievance g;
  T_OK(add("exclusion-error", 0, t, code));
  CU_ASSERT_EQUAL(strncmp(t, "KH12-G-000001-", 14), 0);
  CU_ASSERT_STRING_EQUAL(code, "");
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "received");
  CU_ASSERT_STRING_EQUAL(g.zLayer, "commune");
  /* 5 business days after Monday 2 March: Monday 9 March */
  CU_ASSERT_STRING_EQUAL(g.zDue, "2026-03-09");
  CU_ASSERT_STRING_EQUAL(g.zRegno, g_regno);
  CU_ASSERT_EQUAL(g.nEvent, 1);
  CU_ASSERT_STRING_EQUAL(g.aEvent[0].zEvent, "received");
  cases_grievance_release(&g);
}

static void test_grievance__anonymous_follow_up_code(void)
{
  char t[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
  struct grievance g;
  T_OK(add("staff-conduct", 1, t, code));
  CU_ASSERT_EQUAL(strlen(code), 11);
  CU_ASSERT_EQUAL(code[5], '-');
  /* no identity and no code stored, only its hash */
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, -1,
                "SELECT count(*) FROM grievance WHERE household_id IS NULL "
                "AND anonymous = 1 AND length(followup_hash) = 64",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
  /* the code works typed in lower case without the hyphen */
  char typed[16];
  size_t k = 0;
  for (const char *p = code; *p; p++)
    if (*p != '-')
      typed[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
  typed[k] = '\0';
  T_OK(cases_grievance_get(t_ctx, typed, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zTicket, t);
  CU_ASSERT_EQUAL(g.anonymous, 1);
  CU_ASSERT_STRING_EQUAL(g.zRegno, "");
  cases_grievance_release(&g);
  CU_ASSERT_EQUAL(
      cases_grievance_get(t_ctx, "ZZZZZ-ZZZZZ", ROLE_SUPERVISOR, &g, &t_err),
      SWS_ENOTFOUND);
  /* both or neither is an error */
  struct grievance_input both = {g_regno, 1, "other", "phone", "x"};
  CU_ASSERT_EQUAL(cases_grievance_add(t_ctx, &both, t, code, &t_err),
                  SWS_EINVAL);
  struct grievance_input none = {NULL, 0, "other", "phone", "x"};
  CU_ASSERT_EQUAL(cases_grievance_add(t_ctx, &none, t, code, &t_err),
                  SWS_EINVAL);
  struct grievance_input badcat = {g_regno, 0, "nope", "phone", "x"};
  CU_ASSERT_EQUAL(cases_grievance_add(t_ctx, &badcat, t, code, &t_err),
                  SWS_EINVAL);
  struct grievance_input badch = {g_regno, 0, "other", "pigeon", "x"};
  CU_ASSERT_EQUAL(cases_grievance_add(t_ctx, &badch, t, code, &t_err),
                  SWS_EINVAL);
}

struct history_count {
  const char *zId; /* count the history rows about this entity */
  int n;
};

static int count_about(const struct audit_row *a, void *arg)
{
  struct history_count *c = arg;
  c->n += strcmp(a->zEntityId, c->zId) == 0;
  return 0;
}

/* Who sees what of a grievance (cases/access.h): the attacker is the
 * front desk or a case manager of another area. */
static void test_grievance__need_to_know(void)
{
  char t[SWS_NUMBER_MAX], o[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
  struct grievance g;
  int n;
  cases_set_actor(t_ctx, "sup"); /* taken by someone else than the desk */
  T_OK(add("sensitive-abuse", 0, t, code));
  T_OK(add("payment", 0, o, code));
  cases_set_actor(t_ctx, "desk");
  /* the front desk: a sensitive grievance does not exist for it */
  CU_ASSERT_EQUAL(cases_grievance_get(t_ctx, t, ROLE_FRONT_DESK, &g, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NULL(strstr(t_err.msg, "sensitive"));
  n = 0;
  T_OK(cases_grievance_list(t_ctx, 1, ROLE_FRONT_DESK, NULL, count_rows, &n,
                            &t_err));
  CU_ASSERT_EQUAL(n, 1); /* the ordinary one only */
  /* of an ordinary one: ticket, status, layer, due date; nothing else */
  T_OK(cases_grievance_get(t_ctx, o, ROLE_FRONT_DESK, &g, &t_err));
  CU_ASSERT_EQUAL(g.hidden, 1);
  CU_ASSERT_STRING_EQUAL(g.zStatus, "received");
  CU_ASSERT_STRING_EQUAL(g.zDue, "2026-03-09");
  CU_ASSERT_STRING_EQUAL(g.zText, "");
  CU_ASSERT_STRING_EQUAL(g.zCategory, "");
  CU_ASSERT_STRING_EQUAL(g.zRegno, "");
  CU_ASSERT_EQUAL(g.nEvent, 0);
  cases_grievance_release(&g);
  CU_ASSERT_EQUAL(cases_grievance_step(t_ctx, o, "acknowledge", NULL,
                                       ROLE_FRONT_DESK, &t_err),
                  SWS_EPERM);
  /* a case manager who does not cover the village: status only */
  cases_set_actor(t_ctx, "cm1");
  T_OK(cases_grievance_get(t_ctx, o, ROLE_CASE_MANAGER, &g, &t_err));
  CU_ASSERT_EQUAL(g.hidden, 1);
  cases_grievance_release(&g);
  CU_ASSERT_EQUAL(cases_grievance_get(t_ctx, t, ROLE_CASE_MANAGER, &g, &t_err),
                  SWS_ENOTFOUND);
  /* covering it: the ordinary one whole; the sensitive one still not */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_add(t_ctx, "cm1", "C1", &t_err));
  cases_set_actor(t_ctx, "cm1");
  T_OK(cases_grievance_get(t_ctx, o, ROLE_CASE_MANAGER, &g, &t_err));
  CU_ASSERT_EQUAL(g.hidden, 0);
  CU_ASSERT_STRING_EQUAL(g.zText, "our name is missing from the list");
  CU_ASSERT_STRING_EQUAL(g.zCategory, "payment");
  cases_grievance_release(&g);
  T_OK(cases_grievance_step(t_ctx, o, "acknowledge", NULL, ROLE_CASE_MANAGER,
                            &t_err));
  CU_ASSERT_EQUAL(cases_grievance_get(t_ctx, t, ROLE_CASE_MANAGER, &g, &t_err),
                  SWS_ENOTFOUND);
  /* the supervisor: everything */
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_EQUAL(g.hidden, 0);
  CU_ASSERT_EQUAL(g.sensitive, 1);
  CU_ASSERT_STRING_EQUAL(g.zText, "our name is missing from the list");
  /* the household's history: the sensitive one only for the supervisor */
  struct history_count hc = {g.zId, 0};
  char zHh[SWS_UUID_LEN + 1];
  T_OK(cases_household_resolve(t_ctx, g_regno, 0, zHh, NULL, NULL, &t_err));
  T_OK(cases_household_history(t_ctx, ROLE_SUPERVISOR, zHh, 100, count_about,
                               &hc, &t_err));
  CU_ASSERT_EQUAL(hc.n, 1);
  cases_set_actor(t_ctx, "desk");
  hc.n = 0;
  T_OK(cases_household_history(t_ctx, ROLE_FRONT_DESK, zHh, 100, count_about,
                               &hc, &t_err));
  CU_ASSERT_EQUAL(hc.n, 0);
  cases_set_actor(t_ctx, "sup");
  cases_grievance_release(&g);
  T_OK(cases_grievance_step(t_ctx, t, "acknowledge", NULL, ROLE_SUPERVISOR,
                            &t_err));
  /* the desk officer who took a sensitive one sees where it stands */
  cases_set_actor(t_ctx, "desk");
  T_OK(add("sensitive-abuse", 0, t, code));
  T_OK(cases_grievance_get(t_ctx, t, ROLE_FRONT_DESK, &g, &t_err));
  CU_ASSERT_EQUAL(g.hidden, 1);
  CU_ASSERT_EQUAL(g.sensitive, 0);
  CU_ASSERT_STRING_EQUAL(g.zText, "");
  cases_grievance_release(&g);
}

/* Paths from received to each state (layer: commune unless said). */
static const struct {
  const char *zState, *zLayer;
  const char *azPath[4];
} PATHS[] = {
    {"received", "commune", {NULL}},
    {"acknowledged", "commune", {"acknowledge", NULL}},
    {"under-review", "commune", {"review", NULL}},
    {"escalated", "district", {"escalate", NULL}},
    {"answered", "commune", {"answer", NULL}},
    {"closed", "commune", {"answer", "close", NULL}},
    {"escalated", "national", {"escalate", "escalate", "escalate", NULL}},
};

static const char *const ACTIONS[] = {"acknowledge", "review", "escalate",
                                      "answer",      "close",  "appeal"};
static const char *const EVENTS[] = {"acknowledged", "review", "escalated",
                                     "answered",     "closed", "appealed"};

static void test_grievance__every_transition(void)
{
  int nValid = 0, nInvalid = 0;
  for (size_t s = 0; s < sizeof PATHS / sizeof PATHS[0]; s++) {
    for (size_t a = 0; a < 6; a++) {
      char t[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
      struct grievance g;
      T_OK(add("payment", 0, t, code));
      for (int k = 0; k < 4 && PATHS[s].azPath[k]; k++)
        T_OK(cases_grievance_step(t_ctx, t, PATHS[s].azPath[k], "because",
                                  ROLE_SUPERVISOR, &t_err));
      T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
      CU_ASSERT_STRING_EQUAL(g.zStatus, PATHS[s].zState);
      CU_ASSERT_STRING_EQUAL(g.zLayer, PATHS[s].zLayer);
      int nEvents = g.nEvent;
      cases_grievance_release(&g);
      const char *zTo =
          fsm_next(cases_grievance_fsm(), PATHS[s].zState, EVENTS[a]);
      int atTop = strcmp(PATHS[s].zLayer, "national") == 0;
      int up = a == 2 || a == 5;
      int expectOk = zTo && !(up && atTop);
      int rc = cases_grievance_step(t_ctx, t, ACTIONS[a], "some text",
                                    ROLE_SUPERVISOR, &t_err);
      T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
      if (expectOk) {
        nValid++;
        CU_ASSERT_EQUAL(rc, 0);
        CU_ASSERT_STRING_EQUAL(g.zStatus, zTo);
        CU_ASSERT_EQUAL(g.nEvent, nEvents + 1);
      } else {
        nInvalid++;
        CU_ASSERT_EQUAL(rc, SWS_ECONFLICT);
        CU_ASSERT_STRING_EQUAL(g.zStatus, PATHS[s].zState);
        CU_ASSERT_EQUAL(g.nEvent, nEvents);
      }
      cases_grievance_release(&g);
    }
  }
  /* 7 starting points x 6 steps: 19 allowed, 23 refused (the state table
   * in docs/case-management.md) */
  CU_ASSERT_EQUAL(nValid, 19);
  CU_ASSERT_EQUAL(nInvalid, 23);
}

static void test_grievance__escalates_when_due_and_is_idempotent(void)
{
  char t[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
  struct grievance g;
  int nEsc, nStuck;
  T_OK(add("payment", 0, t, code)); /* due Monday 9 March at the commune */
  setenv("SWS_NOW", "2026-03-09T16:00:00Z", 1); /* the due day itself */
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 0);
  setenv("SWS_NOW", "2026-03-10T08:00:00Z", 1);
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 1);
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 0); /* again the same day: nothing */
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "escalated");
  CU_ASSERT_STRING_EQUAL(g.zLayer, "district");
  /* 10 business days after Tuesday 10 March: Tuesday 24 March */
  CU_ASSERT_STRING_EQUAL(g.zDue, "2026-03-24");
  CU_ASSERT_PTR_NOT_NULL(strstr(g.aEvent[1].zText, "2026-03-09"));
  cases_grievance_release(&g);
  /* district misses its deadline over Khmer New Year too */
  setenv("SWS_NOW", "2026-03-25T08:00:00Z", 1);
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 1);
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zLayer, "province");
  /* 15 business days from Wed 25 March, skipping 14-16 April: Monday 20 */
  CU_ASSERT_STRING_EQUAL(g.zDue, "2026-04-20");
  cases_grievance_release(&g);
  /* answered at the province: no more escalation, the answer keeps its
   * layer */
  T_OK(cases_grievance_step(t_ctx, t, "answer", "paid in full on 1 April",
                            ROLE_SUPERVISOR, &t_err));
  setenv("SWS_NOW", "2026-06-01T08:00:00Z", 1);
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 0);
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  CU_ASSERT_STRING_EQUAL(g.zAnswerLayer, "province");
  CU_ASSERT_STRING_EQUAL(g.zAnswer, "paid in full on 1 April");
  CU_ASSERT_STRING_EQUAL(g.zDue, "");
  cases_grievance_release(&g);
  /* an appeal reopens it one layer up */
  CU_ASSERT_EQUAL(
      cases_grievance_step(t_ctx, t, "appeal", NULL, ROLE_SUPERVISOR, &t_err),
      SWS_EINVAL); /* needs a reason */
  T_OK(cases_grievance_step(t_ctx, t, "appeal", "only half was paid",
                            ROLE_SUPERVISOR, &t_err));
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "escalated");
  CU_ASSERT_STRING_EQUAL(g.zLayer, "national");
  cases_grievance_release(&g);
  /* overdue at the top: nowhere to go, counted */
  setenv("SWS_NOW", "2026-12-01T08:00:00Z", 1);
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT_EQUAL(nEsc, 0);
  CU_ASSERT_EQUAL(nStuck, 1);
}

static void test_grievance__remote_events_kept_and_flagged(void)
{
  char t[SWS_NUMBER_MAX], code[GRIEVANCE_CODE_MAX];
  struct grievance g;
  T_OK(add("payment", 0, t, code));
  /* the district answered centrally, but the escalation is not here yet */
  T_OK(cases_grievance_apply_remote(t_ctx, t, "0190f0f0-0000-7000-8000-00000"
                                    "0000002", "answered", "district",
                                    "2026-03-20T10:00:00Z", "district-gro",
                                    "reinstated on the list", &t_err));
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  /* an answer is allowed from received: it counts, at the commune */
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  cases_grievance_release(&g);
  /* the escalation arrives: it comes first in time, and the answer now
   * belongs to the district */
  T_OK(cases_grievance_apply_remote(t_ctx, t, "0190f0f0-0000-7000-8000-00000"
                                    "0000001", "escalated", "district",
                                    "2026-03-10T08:00:00Z", "system", "",
                                    &t_err));
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  CU_ASSERT_STRING_EQUAL(g.zAnswerLayer, "district");
  CU_ASSERT_EQUAL(g.flagged, 0);
  cases_grievance_release(&g);
  /* an impossible event (close before... an appeal to the wrong layer) is
   * kept and flagged */
  T_OK(cases_grievance_apply_remote(t_ctx, t, "0190f0f0-0000-7000-8000-00000"
                                    "0000003", "appealed", "commune",
                                    "2026-03-21T10:00:00Z", "x", "why",
                                    &t_err));
  T_OK(cases_grievance_get(t_ctx, t, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_EQUAL(g.flagged, 1);
  CU_ASSERT_EQUAL(g.nEvent, 4);
  CU_ASSERT_EQUAL(g.aEvent[3].valid, 0);
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  cases_grievance_release(&g);
}

static void test_grievance__config_errors_load_nothing(void)
{
  const char *bad[] = {
      "not json",
      "{\"layers\": [], \"categories\": [{\"code\": \"a\", \"name\": \"A\"}]}",
      "{\"layers\": [{\"layer\": \"district\", \"days\": 5}, {\"layer\": "
      "\"commune\", \"days\": 5}], \"categories\": [{\"code\": \"a\", "
      "\"name\": \"A\"}]}",
      "{\"layers\": [{\"layer\": \"commune\", \"days\": 0}], \"categories\": "
      "[{\"code\": \"a\", \"name\": \"A\"}]}",
      "{\"layers\": [{\"layer\": \"commune\", \"days\": 5}], \"categories\": "
      "[{\"code\": \"Bad Code\", \"name\": \"A\"}]}",
      "{\"layers\": [{\"layer\": \"commune\", \"days\": 5}], \"categories\": "
      "[{\"code\": \"a\", \"name\": \"A\"}], \"holidays\": [{\"date\": "
      "\"2026-02-30\"}]}",
      "{\"layers\": [{\"layer\": \"commune\", \"days\": 5}], \"categories\": "
      "[{\"code\": \"a\", \"name\": \"A\"}], \"weekend\": "
      "\"mon,tue,wed,thu,fri,sat,sun\"}",
  };
  int64_t n0, n;
  T_OK(db_int64(t_ctx->db, &n0, 0, "SELECT count(*) FROM audit_log",
                &t_err));
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CU_ASSERT_EQUAL(cases_grievance_config_load(t_ctx, bad[i],
                                                strlen(bad[i]), &t_err),
                    SWS_EINVAL);
  T_OK(db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM audit_log", &t_err));
  CU_ASSERT_EQUAL(n, n0);
  T_OK(db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM grievance_layer",
                &t_err));
  CU_ASSERT_EQUAL(n, 4);
}

static CU_TestInfo tests[] = {
    {"test_grievance__ticket_and_deadline",
     test_grievance__ticket_and_deadline},
    {"test_grievance__anonymous_follow_up_code",
     test_grievance__anonymous_follow_up_code},
    {"test_grievance__need_to_know", test_grievance__need_to_know},
    {"test_grievance__every_transition", test_grievance__every_transition},
    {"test_grievance__escalates_when_due_and_is_idempotent",
     test_grievance__escalates_when_due_and_is_idempotent},
    {"test_grievance__remote_events_kept_and_flagged",
     test_grievance__remote_events_kept_and_flagged},
    {"test_grievance__config_errors_load_nothing",
     test_grievance__config_errors_load_nothing},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_grievance = {"grievance", NULL, NULL, setup, teardown,
                                tests};
