/*
 * test_central_grievance.c - the registry's grievance queues
 * (sync/central_grievance.c): where a grievance waits (layer, district,
 * province), due first, the steps of the layers above the office and
 * their refusals, escalate-due, and the office applying what comes from
 * above. Offices sync with the registry in process; suite
 * central_grievance_pg runs the same on PostgreSQL.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/user.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "sync/central_grievance.h"
#include "sync/central_report.h"
#include "sync/engine.h"
#include "tests/support.h"

static struct central *g_c;
static struct sws_ctx *g_b; /* the second office, KH13 (t_ctx is KH12) */
static int g_pg;

/* ---- offices syncing with the registry in process ---- */

static int in_process(void *arg, const char *zMethod, const char *zPath,
                      const char *zBody, size_t nBody, int *pStatus,
                      struct buf *resp, int *pRetryAfter, struct sws_err *err)
{
  const char *zOffice = arg;
  struct sws_err e = SWS_ERR_INIT;
  int rc = 0;
  (void)err;
  *pRetryAfter = -1;
  *pStatus = 404;
  if (strcmp(zPath, "/v1/hello") == 0) {
    central_hello(g_c, resp);
    *pStatus = 200;
  } else if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/push") == 0) {
    rc = central_push(g_c, zOffice, zBody, nBody, pStatus, resp, &e);
  } else if (strncmp(zPath, "/v1/feed?", 9) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    rc = central_feed(g_c, zOffice, zCur ? zCur + 7 : "", 65536, pStatus, resp,
                      &e);
  }
  if (rc != 0) {
    buf_reset(resp);
    buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
  }
  return 0;
}

static void no_sleep(void *arg, int ms)
{
  (void)arg;
  (void)ms;
}

static void sync_now(struct sws_ctx *ctx, const char *zOffice)
{
  struct sync_transport t = {in_process, NULL, (void *)zOffice};
  struct sync_opts o = {.nBatchBytes = 65536,
                        .nPageBytes = 65536,
                        .nAttempts = 3,
                        .sleep_ms = no_sleep};
  struct sync_report rep;
  memset(&rep, 0, sizeof rep);
  T_OK(sync_run(ctx, &t, &o, &rep, &t_err));
  sync_report_release(&rep);
}

static void enrol(struct sws_ctx *ctx)
{
  struct office_info oi;
  char zPk[64];
  T_OK(cases_office_get(ctx, &oi, &t_err));
  sws_b64url(zPk, oi.pk, sizeof oi.pk);
  T_OK(central_office_add(g_c, oi.zCode, "office", zPk, NULL, 1, &t_err));
}

/* the offices' areas, another district of P1 and another province */
static const char zMoreAreas[] = "code,level,name,name_latin,parent_code\n"
                                 "D2,district,D2,District Two,P1\n"
                                 "C3,commune,C3,Commune Three,D2\n"
                                 "P2,province,P2,Province Two,\n"
                                 "D3,district,D3,District Three,P2\n";

static void setup(void)
{
  struct area_load_report rep;
  char zPath[700];
  /* a Monday: received 2026-03-02 at the commune, escalated the same day
   * to the district, due 10 business days later (2026-03-16) */
  setenv("SWS_NOW", "2026-03-02T09:00:00Z", 1);
  t_office_setup();
  g_b = t_office_new("KH13");
  if (g_pg)
    snprintf(zPath, sizeof zPath, "%s", t_pg_url());
  else
    snprintf(zPath, sizeof zPath, "%s/central.db", t_tmpdir());
  if (central_open(&g_c, zPath, 1, "Test registry", &t_err) != 0) {
    fprintf(stderr, "central: %s\n", t_err.msg);
    abort();
  }
  sws_strlcpy(g_c->zActor, "district-officer", sizeof g_c->zActor);
  memset(&rep, 0, sizeof rep);
  T_OK(central_area_load(g_c, t_areas_csv, strlen(t_areas_csv), &rep, &t_err));
  buf_release(&rep.errors);
  memset(&rep, 0, sizeof rep);
  T_OK(central_area_load(g_c, zMoreAreas, strlen(zMoreAreas), &rep, &t_err));
  buf_release(&rep.errors);
  enrol(t_ctx);
  enrol(g_b);
}

static void teardown(void)
{
  central_close(g_c);
  g_c = NULL;
  cases_close(g_b);
  g_b = NULL;
  t_office_teardown();
  unsetenv("SWS_NOW");
}

/* A grievance at office ctx (of household zRegno, NULL: anonymous),
 * escalated to the district (bEscalate) into zTicket. */
static void grievance(struct sws_ctx *ctx, const char *zRegno,
                      const char *zCategory, int bEscalate, char *zTicket)
{
  struct grievance_input in = {zRegno, zRegno == NULL, zCategory, "walk-in",
                               "the payment of March never came"};
  char zCode[GRIEVANCE_CODE_MAX];
  T_OK(cases_grievance_add(ctx, &in, zTicket, zCode, &t_err));
  if (bEscalate)
    T_OK(cases_grievance_step(ctx, zTicket, "escalate", "beyond the commune",
                              ROLE_SUPERVISOR, &t_err));
}

/* a household of office ctx in village V1 (of D1) */
static void household(struct sws_ctx *ctx, const char *zHead, char *zRegno)
{
  struct member_input m = {zHead, 'F', "1980", REL_HEAD, NULL, NULL, 0};
  struct household_input in = {"V1", NULL, NULL, NULL, &m, 1, "test"};
  T_OK(cases_household_create(ctx, &in, zRegno, NULL, &t_err));
}

/* ---- what a listing returned ---- */

#define ROWS_MAX 8
struct rows {
  int n;
  struct {
    char zTicket[48], zOffice[17], zDistrict[33], zDistrictName[64],
        zProvince[33], zStatus[16], zDue[11], zLayer[12];
    int sensitive, hasText, daysOverdue;
  } a[ROWS_MAX];
};

static int take_row(const struct central_grievance_row *r, void *arg)
{
  struct rows *k = arg;
  if (k->n == ROWS_MAX)
    return 1;
  sws_strlcpy(k->a[k->n].zTicket, r->zTicket, 48);
  sws_strlcpy(k->a[k->n].zOffice, r->zOffice, 17);
  sws_strlcpy(k->a[k->n].zDistrict, r->zDistrict, 33);
  sws_strlcpy(k->a[k->n].zDistrictName, r->zDistrictName, 64);
  sws_strlcpy(k->a[k->n].zProvince, r->zProvince, 33);
  sws_strlcpy(k->a[k->n].zStatus, r->zStatus, 16);
  sws_strlcpy(k->a[k->n].zDue, r->zDue, 11);
  sws_strlcpy(k->a[k->n].zLayer, r->zLayer, 12);
  k->a[k->n].sensitive = r->sensitive;
  k->a[k->n].hasText = r->zText != NULL;
  k->a[k->n].daysOverdue = r->daysOverdue;
  k->n++;
  return 0;
}

static struct rows list(const char *zLayer, const char *zArea, int bAll)
{
  struct rows k;
  memset(&k, 0, sizeof k);
  T_OK(central_grievance_list(g_c, zLayer, zArea, bAll, take_row, &k, &t_err));
  return k;
}

/* ---- tests ---- */

static void test_central_grievance__office_area_checked(void)
{
  CU_ASSERT_EQUAL(central_office_area_set(g_c, "KH12", "XX9", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no area 'XX9'"));
  CU_ASSERT_EQUAL(central_office_area_set(g_c, "KH12", "V1", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "district or a commune"));
  CU_ASSERT_EQUAL(central_office_area_set(g_c, "KH12", "P1", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(central_office_area_set(g_c, "KH99", "D1", &t_err),
                  SWS_ENOTFOUND);
  T_OK(central_office_area_set(g_c, "KH12", "C1", &t_err));
  T_OK(central_office_area_set(g_c, "KH13", "D2", &t_err));
}

/* KH12 has no area: its grievances go by the household's village (V1, of
 * D1); KH13 serves D2; a district's queue never shows another's. */
static void test_central_grievance__queue_by_layer_and_area(void)
{
  char zA[48], zB[48], zC[48], zAnon[48], zHh[48], zHb[48];
  household(t_ctx, "Sok Dara", zHh);
  household(g_b, "Chan Thy", zHb);
  grievance(t_ctx, zHh, "payment", 1, zA);
  grievance(t_ctx, zHh, "payment", 0, zC);     /* still at the commune */
  grievance(t_ctx, NULL, "payment", 1, zAnon); /* no household, no area */
  grievance(g_b, zHb, "payment", 1, zB);
  T_OK(central_office_area_set(g_c, "KH13", "D2", &t_err));
  sync_now(t_ctx, "KH12");
  sync_now(g_b, "KH13");

  struct rows k = list("district", NULL, 0);
  CU_ASSERT_EQUAL(k.n, 3);
  for (int i = 0; i < k.n; i++) {
    CU_ASSERT_STRING_NOT_EQUAL(k.a[i].zTicket, zC);
    CU_ASSERT_STRING_EQUAL(k.a[i].zStatus, "escalated");
  }
  k = list("district", "D1", 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.a[0].zTicket, zA);
  CU_ASSERT_STRING_EQUAL(k.a[0].zOffice, "KH12");
  CU_ASSERT_STRING_EQUAL(k.a[0].zDistrictName, "ស្រុក");
  CU_ASSERT_STRING_EQUAL(k.a[0].zProvince, "P1");
  k = list("district", "D2", 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.a[0].zTicket, zB); /* the office's area, not V1 */
  CU_ASSERT_EQUAL(list("district", "D3", 0).n, 0);
  CU_ASSERT_EQUAL(list("province", NULL, 0).n, 0);
  CU_ASSERT_EQUAL(list("province", "P1", 0).n, 0);
  CU_ASSERT_EQUAL(list("national", NULL, 0).n, 0);

  /* now KH12 serves C1 (of D1): the anonymous one has an area too */
  T_OK(central_office_area_set(g_c, "KH12", "C1", &t_err));
  CU_ASSERT_EQUAL(list("district", "D1", 0).n, 2);

  struct rows none;
  CU_ASSERT_EQUAL(
      central_grievance_list(g_c, "district", "P1", 0, take_row, &none, &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "give a district code"));
  CU_ASSERT_EQUAL(
      central_grievance_list(g_c, "province", "D1", 0, take_row, &none, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_grievance_list(g_c, "district", "ZZ", 0, take_row, &none, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_grievance_list(g_c, "national", "P1", 0, take_row, &none, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_grievance_list(g_c, "commune", NULL, 0, take_row, &none, &t_err),
      SWS_EINVAL);
}

static void test_central_grievance__due_first_and_overdue(void)
{
  char zLate[48], zEarly[48];
  /* escalated on Wednesday: due 2026-03-18 */
  setenv("SWS_NOW", "2026-03-04T09:00:00Z", 1);
  grievance(t_ctx, NULL, "payment", 1, zLate);
  /* escalated on Monday: due 2026-03-16 */
  setenv("SWS_NOW", "2026-03-02T10:00:00Z", 1);
  grievance(t_ctx, NULL, "other", 1, zEarly);
  sync_now(t_ctx, "KH12");
  setenv("SWS_NOW", "2026-03-17T09:00:00Z", 1);
  struct rows k = list("district", NULL, 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 2);
  CU_ASSERT_STRING_EQUAL(k.a[0].zTicket, zEarly);
  CU_ASSERT_STRING_EQUAL(k.a[0].zDue, "2026-03-16");
  CU_ASSERT_EQUAL(k.a[0].daysOverdue, 1);
  CU_ASSERT_STRING_EQUAL(k.a[1].zTicket, zLate);
  CU_ASSERT_STRING_EQUAL(k.a[1].zDue, "2026-03-18");
  CU_ASSERT_EQUAL(k.a[1].daysOverdue, 0);
  setenv("SWS_NOW", "2026-03-21T09:00:00Z", 1);
  k = list("district", NULL, 0);
  CU_ASSERT_EQUAL(k.a[0].daysOverdue, 5);
  CU_ASSERT_EQUAL(k.a[1].daysOverdue, 3);
}

static void test_central_grievance__sensitive_text_withheld(void)
{
  char zS[48], zP[48];
  grievance(t_ctx, NULL, "sensitive-abuse", 1, zS);
  grievance(t_ctx, NULL, "payment", 1, zP);
  sync_now(t_ctx, "KH12");
  struct rows k = list("district", NULL, 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 2);
  for (int i = 0; i < 2; i++) {
    int bS = strcmp(k.a[i].zTicket, zS) == 0;
    CU_ASSERT_EQUAL(k.a[i].sensitive, bS);
    CU_ASSERT_EQUAL(k.a[i].hasText, !bS);
  }
}

static void test_central_grievance__steps_refused_where_they_do_not_fit(void)
{
  char zA[48], zC[48];
  grievance(t_ctx, NULL, "payment", 1, zA);
  grievance(t_ctx, NULL, "payment", 0, zC);
  sync_now(t_ctx, "KH12");
  /* unknown ticket, a ticket still at the office's layer, wrong layer */
  CU_ASSERT_EQUAL(central_grievance_event(g_c, "KH99-G-000001-X",
                                          "acknowledged", "district", NULL,
                                          &t_err),
                  SWS_EINVAL);
  char zUnknown[48];
  sws_number_format(zUnknown, sizeof zUnknown, "KH12-G", 999);
  CU_ASSERT_EQUAL(central_grievance_event(g_c, zUnknown, "acknowledged",
                                          "district", NULL, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zC, "answered", "district", "no", &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "at the commune layer"));
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zA, "answered", "province", "yes", &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not waiting at the province"));
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zA, "escalated", "commune", NULL, &t_err),
      SWS_EINVAL);
  /* acknowledge once, not twice */
  T_OK(central_grievance_event(g_c, zA, "acknowledged", "district", NULL,
                               &t_err));
  CU_ASSERT_EQUAL(central_grievance_event(g_c, zA, "acknowledged", "district",
                                          NULL, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_STRING_EQUAL(list("district", NULL, 0).a[0].zStatus,
                         "acknowledged");
  /* up to the national layer, which cannot escalate */
  T_OK(central_grievance_event(g_c, zA, "escalated", "district", "too big",
                               &t_err));
  CU_ASSERT_EQUAL(list("district", NULL, 0).n, 0);
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zA, "escalated", "district", NULL, &t_err),
      SWS_ECONFLICT);
  T_OK(central_grievance_event(g_c, zA, "escalated", "province", NULL, &t_err));
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zA, "escalated", "national", NULL, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no layer above"));
  /* answered once: a second answer is refused */
  T_OK(central_grievance_event(g_c, zA, "answered", "national", "resumed",
                               &t_err));
  CU_ASSERT_EQUAL(
      central_grievance_event(g_c, zA, "answered", "national", "again", &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already answered"));
  CU_ASSERT_EQUAL(list("national", NULL, 0).n, 0);
  struct rows k = list("national", NULL, 1);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.a[0].zStatus, "answered");
}

/* What the layers above do reaches the office, whose state machine
 * takes each step where it falls: nothing flagged. */
static void test_central_grievance__steps_reach_the_office(void)
{
  char zA[48];
  struct grievance g;
  grievance(t_ctx, NULL, "payment", 1, zA);
  sync_now(t_ctx, "KH12");
  T_OK(central_grievance_event(g_c, zA, "acknowledged", "district", NULL,
                               &t_err));
  sync_now(t_ctx, "KH12");
  T_OK(cases_grievance_get(t_ctx, zA, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "acknowledged");
  CU_ASSERT_STRING_EQUAL(g.zLayer, "district");
  cases_grievance_release(&g);
  T_OK(central_grievance_event(g_c, zA, "escalated", "district",
                               "a provincial matter", &t_err));
  T_OK(central_grievance_event(g_c, zA, "answered", "province",
                               "paid on 2 April", &t_err));
  sync_now(t_ctx, "KH12");
  T_OK(cases_grievance_get(t_ctx, zA, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  CU_ASSERT_STRING_EQUAL(g.zLayer, "province");
  CU_ASSERT_STRING_EQUAL(g.zAnswerLayer, "province");
  CU_ASSERT_STRING_EQUAL(g.zAnswer, "paid on 2 April");
  CU_ASSERT_EQUAL(g.flagged, 0);
  for (int i = 0; i < g.nEvent; i++)
    CU_ASSERT_EQUAL(g.aEvent[i].valid, 1);
  cases_grievance_release(&g);
}

static int count_due(const struct central_grievance_due *d, void *arg)
{
  (void)d;
  (*(int *)arg)++;
  return 0;
}

static void test_central_grievance__escalate_due_once(void)
{
  char zA[48], zB[48];
  int nMoved, nStuck, nSeen = 0;
  grievance(t_ctx, NULL, "payment", 1, zA); /* due 2026-03-16 */
  grievance(t_ctx, NULL, "payment", 1, zB);
  sync_now(t_ctx, "KH12");
  T_OK(
      central_grievance_event(g_c, zB, "answered", "district", "done", &t_err));
  setenv("SWS_NOW", "2026-03-16T17:00:00Z", 1); /* the last day: not yet */
  T_OK(central_grievance_escalate_due(g_c, 0, NULL, NULL, &nMoved, &nStuck,
                                      &t_err));
  CU_ASSERT_EQUAL(nMoved, 0);
  setenv("SWS_NOW", "2026-03-20T09:00:00Z", 1);
  T_OK(central_grievance_escalate_due(g_c, 1, count_due, &nSeen, &nMoved,
                                      &nStuck, &t_err));
  CU_ASSERT_EQUAL(nMoved, 1);
  CU_ASSERT_EQUAL(nSeen, 1);
  CU_ASSERT_EQUAL(list("district", NULL, 0).n, 1); /* dry: still there */
  T_OK(central_grievance_escalate_due(g_c, 0, NULL, NULL, &nMoved, &nStuck,
                                      &t_err));
  CU_ASSERT_EQUAL(nMoved, 1);
  CU_ASSERT_EQUAL(nStuck, 0);
  T_OK(central_grievance_escalate_due(g_c, 0, NULL, NULL, &nMoved, &nStuck,
                                      &t_err));
  CU_ASSERT_EQUAL(nMoved, 0);
  struct rows k = list("province", "P1", 0);
  CU_ASSERT_EQUAL(k.n, 0); /* anonymous at KH12 without area: no province */
  k = list("province", NULL, 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.a[0].zTicket, zA);
  CU_ASSERT_STRING_EQUAL(k.a[0].zStatus, "escalated");
  /* 15 business days of the province from Friday 20 March */
  CU_ASSERT_STRING_EQUAL(k.a[0].zDue, "2026-04-10");
  CU_ASSERT_EQUAL(k.a[0].daysOverdue, 0);
  /* at the national layer, overdue: reported, nowhere to go */
  setenv("SWS_NOW", "2026-04-13T09:00:00Z", 1);
  T_OK(central_grievance_escalate_due(g_c, 0, NULL, NULL, &nMoved, &nStuck,
                                      &t_err));
  CU_ASSERT_EQUAL(nMoved, 1);
  setenv("SWS_NOW", "2026-06-30T09:00:00Z", 1);
  T_OK(central_grievance_escalate_due(g_c, 0, NULL, NULL, &nMoved, &nStuck,
                                      &t_err));
  CU_ASSERT_EQUAL(nMoved, 0);
  CU_ASSERT_EQUAL(nStuck, 1);
  k = list("national", NULL, 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_TRUE(k.a[0].daysOverdue > 0);
  /* the office takes both escalations as its own state machine would */
  sync_now(t_ctx, "KH12");
  struct grievance g;
  T_OK(cases_grievance_get(t_ctx, zA, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zLayer, "national");
  CU_ASSERT_EQUAL(g.flagged, 0);
  cases_grievance_release(&g);
}

static CU_TestInfo tests[] = {
    {"test_central_grievance__office_area_checked",
     test_central_grievance__office_area_checked},
    {"test_central_grievance__queue_by_layer_and_area",
     test_central_grievance__queue_by_layer_and_area},
    {"test_central_grievance__due_first_and_overdue",
     test_central_grievance__due_first_and_overdue},
    {"test_central_grievance__sensitive_text_withheld",
     test_central_grievance__sensitive_text_withheld},
    {"test_central_grievance__steps_refused_where_they_do_not_fit",
     test_central_grievance__steps_refused_where_they_do_not_fit},
    {"test_central_grievance__steps_reach_the_office",
     test_central_grievance__steps_reach_the_office},
    {"test_central_grievance__escalate_due_once",
     test_central_grievance__escalate_due_once},
    CU_TEST_INFO_NULL,
};

static void setup_sqlite(void)
{
  g_pg = 0;
  setup();
}

CU_SuiteInfo suite_central_grievance = {"central_grievance", NULL,     NULL,
                                        setup_sqlite,        teardown, tests};

/* The same with the registry on PostgreSQL. */
static void setup_pg(void)
{
  g_pg = 1;
  setup();
}

CU_SuiteInfo suite_central_grievance_pg = {
    "central_grievance_pg", NULL, NULL, setup_pg, teardown, tests};
