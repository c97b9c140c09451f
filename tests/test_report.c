/*
 * test_report.c - the monitoring indicators: exact counts on a fixture
 * whose answers are known, at each layer and for each breakdown; every
 * breakdown adding up to its total; suppression of small counts; periods,
 * age groups and areas refused with a clear message; an empty office.
 */
#include <CUnit/CUnit.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/grievance.h"
#include "cases/programme.h"
#include "cases/referral.h"
#include "cases/report.h"
#include "cases/report_codec.h"
#include "cases/report_dhis2.h"
#include "cases/user.h"
#include "tests/support.h"

static struct report_set *g_set;

static void at(const char *zWhen)
{
  setenv("SWS_NOW", zWhen, 1);
}

static void setup(void)
{
  t_office_setup();
  T_OK(report_set_load_default(&g_set, &t_err));
}

static void teardown(void)
{
  unsetenv("SWS_NOW");
  report_set_free(g_set);
  g_set = NULL;
  t_office_teardown();
}

/*
 * March 2026 at the test office (villages V1, V2 in commune C1; V3 in C2):
 * - V1: 4 households headed by a woman born 1980 and 2 by a man born 1950,
 *   each with a girl born 2015; V2: 2 headed by a man born 2000 (one with
 *   a disability is not possible through t_household: none);
 * - before March: one household in V3 (February); after: one in V1 (April);
 * - cases opened for V1's households 1-3 (cm1, cm1, cm2), the third
 *   closed; a referral of household 1's head, completed after 10 days;
 * - a case opened for household 6 (not assigned) and an assessment there
 *   (IDPoor level 1) that makes its head eligible for the social pension;
 * - a grievance of household 4 answered after 3 days; an anonymous one
 *   never answered (its commune deadline passes in March);
 * - household 5 applies for the Health Equity Fund and is approved.
 */
static char g_hh[8][SWS_NUMBER_MAX];

static void fixture(void)
{
  at("2026-02-20T09:00:00Z");
  t_household("Before March", 'F', "1990", "V3");
  at("2026-03-05T09:00:00Z");
  for (int i = 0; i < 6; i++)
    snprintf(g_hh[i], sizeof g_hh[i], "%s",
             t_household(i < 4 ? "Srey Mom" : "Ta Chan", i < 4 ? 'F' : 'M',
                         i < 4 ? "1980" : "1950", "V1"));
  for (int i = 6; i < 8; i++)
    snprintf(g_hh[i], sizeof g_hh[i], "%s",
             t_household("Bong Tha", 'M', "2000", "V2"));
  at("2026-03-06T09:00:00Z");
  const char *azManager[3] = {"cm1", "cm1", "cm2"};
  for (int i = 0; i < 3; i++) {
    struct case_info ci;
    char zWho[33];
    T_OK(cases_case_open(t_ctx, g_hh[i], &ci, &t_err));
    T_OK(cases_case_assign(t_ctx, g_hh[i], azManager[i], zWho, &t_err));
  }
  at("2026-03-07T09:00:00Z");
  char zRef[SWS_NUMBER_MAX];
  struct referral_input ri = {g_hh[0],         1,         "health",
                              "health centre", "a cough", 0};
  T_OK(cases_referral_add(t_ctx, &ri, zRef, &t_err));
  T_OK(cases_referral_step(t_ctx, zRef, "send", NULL, &t_err));
  T_OK(cases_referral_step(t_ctx, zRef, "accept", NULL, &t_err));
  at("2026-03-17T09:00:00Z");
  T_OK(cases_referral_step(t_ctx, zRef, "complete", "treated", &t_err));
  at("2026-03-02T09:00:00Z");
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX];
  struct grievance_input gi = {g_hh[3], 0, NULL, "walk-in", "no answer"};
  sqlite3_stmt *q;
  T_OK(db_prepare(t_ctx->db, &q,
                  "SELECT code FROM grievance_category "
                  "WHERE sensitive = 0 ORDER BY code LIMIT 1",
                  &t_err));
  CU_ASSERT_EQUAL_FATAL(db_step(t_ctx->db, q, &t_err), DB_ROW);
  char zCat[41];
  snprintf(zCat, sizeof zCat, "%s", db_col_str(q, 0));
  db_done(t_ctx->db, q);
  gi.zCategory = zCat;
  T_OK(cases_grievance_add(t_ctx, &gi, zTicket, NULL, &t_err));
  at("2026-03-05T10:00:00Z");
  T_OK(cases_grievance_step(t_ctx, zTicket, "answer", "done", ROLE_SUPERVISOR,
                            &t_err));
  at("2026-03-03T09:00:00Z");
  struct grievance_input anon = {NULL, 1, zCat, "phone", "anonymous"};
  T_OK(cases_grievance_add(t_ctx, &anon, zTicket, zCode, &t_err));
  at("2026-03-08T09:00:00Z");
  int64_t number;
  T_OK(cases_enrol(t_ctx, g_hh[4], 0, "hef", &number, &t_err));
  at("2026-03-09T09:00:00Z");
  T_OK(cases_enrolment_decide(t_ctx, number, 1, NULL, &t_err));
  at("2026-03-20T09:00:00Z");
  T_OK(cases_case_close(t_ctx, g_hh[2], "better", &t_err));
  /* household 6 (a man born 1950, IDPoor level 1) is assessed: eligible
   * for the social pension, and has not applied */
  at("2026-03-21T09:00:00Z");
  struct case_info ci6;
  T_OK(cases_case_open(t_ctx, g_hh[5], &ci6, &t_err));
  const char *azAnswer[] = {"income_monthly=300000", "idpoor=level1",
                            "health_cover=none"};
  int64_t nAssessment;
  T_OK(cases_assessment_add(t_ctx, g_hh[5], NULL, azAnswer, 3, &nAssessment,
                            &t_err));
  at("2026-04-02T09:00:00Z");
  t_household("After March", 'F', "1990", "V1");
  int64_t nPension;
  T_OK(cases_enrol(t_ctx, g_hh[5], 1, "social-pension", &nPension, &t_err));
  at("2026-04-15T09:00:00Z"); /* when the report is made */
}

/* The cell of indicator zCode for area zArea ("" the scope's) and
 * breakdown: dim with value z ("" for the total). */
static const struct report_cell *find(const struct report *r, const char *zCode,
                                      const char *zArea, int dim, const char *z)
{
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    if (strcmp(c->zIndicator, zCode) != 0 || c->dim != dim)
      continue;
    if (zArea[0] ? strcmp(c->zArea, zArea) != 0 || c->bScope : !c->bScope)
      continue;
    const char *zV = dim == REPORT_SEX          ? c->zSex
                     : dim == REPORT_AGE        ? c->zAge
                     : dim == REPORT_DISABILITY ? c->zDisability
                     : dim == REPORT_CATEGORY   ? c->zCat
                                                : "";
    if (strcmp(zV, z) == 0)
      return c;
  }
  return NULL;
}

static double val(const struct report *r, const char *zCode, const char *zArea,
                  int dim, const char *z)
{
  const struct report_cell *c = find(r, zCode, zArea, dim, z);
  CU_ASSERT_PTR_NOT_NULL(c);
  if (c == NULL) {
    fprintf(stderr, "\n  no cell %s %s %d %s\n", zCode, zArea, dim, z);
    return -1;
  }
  return c->value;
}

static void run(const char *zPeriod, int layer, const char *zArea, int k,
                struct report *r)
{
  struct report_opts o = REPORT_OPTS_INIT;
  T_OK(report_period_parse(zPeriod, &o.period, &t_err));
  o.layer = layer;
  o.zArea = zArea;
  o.suppress = k;
  T_OK(report_run(t_ctx, g_set, &o, r, &t_err));
}

static void test_report__exact_counts_by_village(void)
{
  struct report r;
  fixture();
  run("2026-03", AREA_VILLAGE, NULL, 0, &r);
  CU_ASSERT_STRING_EQUAL(r.zScope, "KH12");
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", 0, ""), 8);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "V1", 0, ""), 6);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "V2", 0, ""), 2);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "V3", 0, ""), 0);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", REPORT_SEX, "F"), 4);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", REPORT_SEX, "M"), 4);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", REPORT_AGE, "18-59"), 6);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", REPORT_AGE, "60+"), 2);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", REPORT_DISABILITY, "no"),
                  8);
  CU_ASSERT_EQUAL(val(&r, "people_registered", "", 0, ""), 16);
  CU_ASSERT_EQUAL(val(&r, "people_registered", "V1", REPORT_SEX, "F"), 10);
  CU_ASSERT_EQUAL(val(&r, "people_registered", "", REPORT_AGE, "0-17"), 8);
  CU_ASSERT_EQUAL(val(&r, "cases_opened", "V1", 0, ""), 4);
  CU_ASSERT_EQUAL(val(&r, "cases_closed", "", 0, ""), 1);
  CU_ASSERT_EQUAL(val(&r, "caseload", "", 0, ""), 2.0); /* cm1: 2 */
  CU_ASSERT_EQUAL(val(&r, "referrals_made", "", REPORT_CATEGORY, "health"), 1);
  CU_ASSERT_EQUAL(val(&r, "referrals_completed", "V1", 0, ""), 1);
  CU_ASSERT_EQUAL(val(&r, "referral_days_to_complete", "", 0, ""), 10.0);
  CU_ASSERT_EQUAL(val(&r, "grievances_received", "", 0, ""), 2);
  CU_ASSERT_EQUAL(val(&r, "grievances_received", "V1", REPORT_SEX, "F"), 1);
  /* the anonymous one has no area: its own row, and sex not known */
  CU_ASSERT_EQUAL(val(&r, "grievances_received", "", REPORT_SEX, "unknown"), 1);
  CU_ASSERT_EQUAL(val(&r, "grievances_resolved", "", 0, ""), 1);
  CU_ASSERT_EQUAL(val(&r, "grievance_days_to_resolve", "", 0, ""), 3.0);
  CU_ASSERT_EQUAL(
      val(&r, "grievance_deadlines_missed", "", REPORT_CATEGORY, "commune"), 1);
  CU_ASSERT_EQUAL(val(&r, "applications", "", REPORT_CATEGORY, "hef"), 1);
  CU_ASSERT_EQUAL(val(&r, "enrolments", "", REPORT_CATEGORY, "health"), 1);
  CU_ASSERT_EQUAL(val(&r, "enrolments", "V2", 0, ""), 0);
  CU_ASSERT_EQUAL(
      val(&r, "eligible_not_enrolled", "V1", REPORT_CATEGORY, "social-pension"),
      1);
  CU_ASSERT_EQUAL(
      val(&r, "eligible_not_enrolled", "", REPORT_CATEGORY, "older-persons"),
      1);
  /* household 6 is eligible for the Health Equity Fund and its head for
   * the social pension; household 5's approved application is not a gap;
   * the social pension applied for in April is still a gap in March */
  CU_ASSERT_EQUAL(val(&r, "eligible_not_enrolled", "", 0, ""), 2);
  CU_ASSERT_EQUAL(val(&r, "eligible_not_enrolled", "", REPORT_CATEGORY, "hef"),
                  1);
  CU_ASSERT_EQUAL(
      val(&r, "eligible_not_enrolled", "V1", REPORT_CATEGORY, "older-persons"),
      1);
  CU_ASSERT_EQUAL(val(&r, "eligible_not_enrolled", "", REPORT_AGE, "60+"), 2);
  CU_ASSERT_EQUAL(val(&r, "eligible_not_enrolled", "", REPORT_SEX, "M"), 2);
  report_release(&r);
  run("2026-04", AREA_VILLAGE, NULL, 0, &r);
  /* (a category shows the values that occur) */
  CU_ASSERT_PTR_NULL(
      find(&r, "eligible_not_enrolled", "", REPORT_CATEGORY, "social-pension"));
  CU_ASSERT_EQUAL(val(&r, "eligible_not_enrolled", "", 0, ""), 1);
  report_release(&r);
  /* February: only the household in V3; April: the one after */
  run("2026-02", AREA_VILLAGE, NULL, 0, &r);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "V3", 0, ""), 1);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", 0, ""), 1);
  report_release(&r);
  run("2026-Q1", AREA_COMMUNE, NULL, 0, &r);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "C1", 0, ""), 8);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "C2", 0, ""), 1);
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", 0, ""), 9);
  report_release(&r);
}

/* Each layer adds up to the same total, and within each area every
 * breakdown adds up to the area's total (counts only). */
static void test_report__breakdowns_add_up(void)
{
  struct report r;
  fixture();
  for (int layer = 0; layer <= AREA_VILLAGE; layer++) {
    run("2026", layer, NULL, 0, &r);
    for (int i = 0; i < r.nCell; i++) {
      const struct report_cell *t = &r.aCell[i];
      if (!t->bCount || t->dim != REPORT_TOTAL)
        continue;
      /* sums by breakdown; categories by their type (a programme, its
       * agency and its guarantee each partition the total) */
      struct {
        int dim;
        const char *zType;
        double sum;
      } aSum[8];
      int nSum = 0;
      for (int j = i + 1; j < r.nCell && r.aCell[j].dim != REPORT_TOTAL; j++) {
        const struct report_cell *c = &r.aCell[j];
        int k;
        for (k = 0; k < nSum; k++)
          if (aSum[k].dim == c->dim && strcmp(aSum[k].zType, c->zCatType) == 0)
            break;
        if (k == nSum && nSum < 8) {
          aSum[nSum].dim = c->dim;
          aSum[nSum].zType = c->zCatType;
          aSum[nSum++].sum = 0;
        }
        if (k < 8)
          aSum[k].sum += c->value;
      }
      for (int k = 0; k < nSum; k++)
        if (aSum[k].sum != t->value) {
          CU_FAIL("a breakdown does not add up to its total");
          fprintf(stderr, "\n  %s %s dim %d %s: %g != %g\n", t->zIndicator,
                  t->zArea, aSum[k].dim, aSum[k].zType, aSum[k].sum, t->value);
        }
      /* the areas add up to the scope */
      if (layer > 0 && t->bScope) {
        double sum = 0;
        for (int j = 0; j < r.nCell; j++)
          if (!r.aCell[j].bScope && r.aCell[j].dim == REPORT_TOTAL &&
              strcmp(r.aCell[j].zIndicator, t->zIndicator) == 0)
            sum += r.aCell[j].value;
        if (sum != t->value) {
          CU_FAIL("the areas do not add up to the total");
          fprintf(stderr, "\n  %s layer %d: %g != %g\n", t->zIndicator, layer,
                  sum, t->value);
        }
      }
    }
    report_release(&r);
  }
}

static void test_report__small_counts_hidden(void)
{
  struct report r;
  int nHidden = 0;
  fixture();
  run("2026-03", AREA_VILLAGE, NULL, 5, &r);
  CU_ASSERT_EQUAL(r.suppress, 5);
  for (int i = 0; i < r.nCell; i++) {
    const struct report_cell *c = &r.aCell[i];
    nHidden += c->bHidden;
    if (c->bCount && !c->bHidden && c->value > 0 && c->value < 5) {
      CU_FAIL("a count below 5 is shown");
      fprintf(stderr, "\n  %s %s: %g\n", c->zIndicator, c->zArea, c->value);
    }
    /* a median over fewer than 5 is hidden too */
    if (!c->bCount && c->n > 0 && c->n < 5)
      CU_ASSERT_TRUE(c->bHidden);
  }
  CU_ASSERT(nHidden > 0);
  /* V2's 2 households are hidden; V3 has none (a zero is shown), so V1's
   * 6 or the total must be hidden too, or V2 = total - V1 - V3 */
  const struct report_cell *v1 = find(&r, "households_registered", "V1", 0, "");
  const struct report_cell *v2 = find(&r, "households_registered", "V2", 0, "");
  const struct report_cell *v3 = find(&r, "households_registered", "V3", 0, "");
  const struct report_cell *all = find(&r, "households_registered", "", 0, "");
  CU_ASSERT_FATAL(v1 && v2 && v3 && all);
  CU_ASSERT_TRUE(v2->bHidden);
  CU_ASSERT_FALSE(v3->bHidden);
  CU_ASSERT_TRUE(v1->bHidden || all->bHidden);
  report_release(&r);
}

static void test_report__scope_and_layers(void)
{
  struct report r;
  struct report_opts o = REPORT_OPTS_INIT;
  fixture();
  run("2026-03", AREA_VILLAGE, "C1", 0, &r);
  CU_ASSERT_STRING_EQUAL(r.zScope, "C1");
  CU_ASSERT_EQUAL(val(&r, "households_registered", "", 0, ""), 8);
  CU_ASSERT_PTR_NULL(find(&r, "households_registered", "V3", 0, ""));
  /* Khmer area names go through as they are */
  CU_ASSERT_STRING_EQUAL(
      find(&r, "households_registered", "V2", 0, "")->zAreaName, "ភូមិពីរ");
  report_release(&r);
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  o.zArea = "NOPE";
  CU_ASSERT_EQUAL(report_run(t_ctx, g_set, &o, &r, &t_err), SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws area list"));
  o.zArea = "V1";
  o.layer = AREA_COMMUNE;
  CU_ASSERT_EQUAL(report_run(t_ctx, g_set, &o, &r, &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "V1 is a village"));
  o.zArea = NULL;
  o.zOnly = "no_such_indicator";
  CU_ASSERT_EQUAL(report_run(t_ctx, g_set, &o, &r, &t_err), SWS_ENOTFOUND);
  o.zOnly = "cases_opened";
  o.zAges = "0-17,20-59,60+";
  CU_ASSERT_EQUAL(report_run(t_ctx, g_set, &o, &r, &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "age groups"));
  o.zAges = "0-14,15-64,65+";
  T_OK(report_run(t_ctx, g_set, &o, &r, &t_err));
  CU_ASSERT_PTR_NOT_NULL(find(&r, "cases_opened", "", REPORT_AGE, "15-64"));
  CU_ASSERT_EQUAL(val(&r, "cases_opened", "", REPORT_AGE, "15-64"), 3);
  report_release(&r);
}

/* An office with nothing recorded, and a period with nothing in it:
 * zeros, no error. */
static void test_report__empty_office(void)
{
  struct report r;
  run("2026-03", AREA_VILLAGE, NULL, 5, &r);
  CU_ASSERT(r.nCell > 0);
  for (int i = 0; i < r.nCell; i++) {
    CU_ASSERT_FALSE(r.aCell[i].bHidden);
    if (r.aCell[i].bCount) {
      CU_ASSERT_EQUAL(r.aCell[i].value, 0);
    } else {
      CU_ASSERT_TRUE(isnan(r.aCell[i].value));
    }
  }
  report_release(&r);
}

static void test_report__periods(void)
{
  struct report_period p;
  T_OK(report_period_parse("2026-11", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zFrom, "2026-11-01");
  CU_ASSERT_STRING_EQUAL(p.zTo, "2026-12-01");
  CU_ASSERT_STRING_EQUAL(p.zIso, "202611");
  T_OK(report_period_parse("2026-12", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zTo, "2027-01-01");
  T_OK(report_period_parse("2026-Q4", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zFrom, "2026-10-01");
  CU_ASSERT_STRING_EQUAL(p.zTo, "2027-01-01");
  CU_ASSERT_STRING_EQUAL(p.zIso, "2026Q4");
  T_OK(report_period_parse("2024", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zTo, "2025-01-01");
  T_OK(report_period_parse("2024-02-01..2024-02-29", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zTo, "2024-03-01");
  const char *azBad[] = {"",
                         "2026-13",
                         "2026-Q5",
                         "26",
                         "2026-02-30..2026-03-01",
                         "2026-03-01..2026-02-01",
                         "2026-03-01..",
                         "next month",
                         "2026-1"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    CU_ASSERT_EQUAL(report_period_parse(azBad[i], &p, &t_err), SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "period") ? t_err.msg : NULL);
  }
}

/* The indicator set is data: every required code is there with names in
 * the three languages; a set naming a fact this version cannot count, or
 * a measure that does not apply, is refused. */
static void test_report__indicator_set(void)
{
  static const char *const azCode[] = {"households_registered",
                                       "people_registered",
                                       "cases_opened",
                                       "cases_closed",
                                       "caseload",
                                       "plan_actions_overdue",
                                       "assessments_done",
                                       "referrals_made",
                                       "referrals_completed",
                                       "referral_days_to_complete",
                                       "grievances_received",
                                       "grievances_resolved",
                                       "grievance_days_to_resolve",
                                       "grievance_deadlines_missed",
                                       "grievances_escalated",
                                       "appeals",
                                       "applications",
                                       "enrolments",
                                       "duplicates_open",
                                       "eligible_not_enrolled"};
  for (size_t i = 0; i < sizeof azCode / sizeof azCode[0]; i++)
    for (int l = 0; l < 3; l++) {
      const char *zLang = l == 0 ? "en" : l == 1 ? "km" : "mn";
      const char *z = report_set_label(g_set, azCode[i], zLang);
      CU_ASSERT_PTR_NOT_NULL(z);
      if (z && l > 0)
        CU_ASSERT_STRING_NOT_EQUAL(z, report_set_label(g_set, azCode[i], "en"));
    }
  struct report_set *s = NULL;
  const char zBadFact[] = "{\"version\":1,\"indicators\":[{\"code\":\"x\","
                          "\"fact\":\"stars\",\"measure\":\"count\","
                          "\"breakdowns\":[]}]}";
  CU_ASSERT_EQUAL(report_set_parse(&s, zBadFact, strlen(zBadFact), &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'stars' is not a fact"));
  const char zBadMeasure[] =
      "{\"version\":1,\"indicators\":[{\"code\":\"x\",\"fact\":"
      "\"case_opened\",\"measure\":\"median_days\",\"breakdowns\":[]}]}";
  CU_ASSERT_EQUAL(
      report_set_parse(&s, zBadMeasure, strlen(zBadMeasure), &t_err),
      SWS_EINVAL);
  /* a set of one's own, without labels or age groups: the defaults */
  const char zMine[] =
      "{\"version\":3,\"indicators\":[{\"code\":\"mine\",\"fact\":"
      "\"member_registered\",\"measure\":\"count\",\"breakdowns\":"
      "[\"area\",\"age_group\"]}]}";
  T_OK(report_set_parse(&s, zMine, strlen(zMine), &t_err));
  struct report r;
  struct report_opts o = REPORT_OPTS_INIT;
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  T_OK(report_run(t_ctx, s, &o, &r, &t_err));
  CU_ASSERT_EQUAL(r.version, 3);
  CU_ASSERT_STRING_EQUAL(r.zAges, "0-17,18-59,60+");
  CU_ASSERT_PTR_NOT_NULL(find(&r, "mine", "", REPORT_AGE, "60+"));
  CU_ASSERT_PTR_NULL(report_set_label(s, "total", "km"));
  report_release(&r);
  report_set_free(s);
  s = NULL;
  const char zNoVersion[] = "{\"indicators\":[]}";
  CU_ASSERT_EQUAL(report_set_parse(&s, zNoVersion, strlen(zNoVersion), &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NULL(s);
}

/* DHIS2: each breakdown under its mapping key, the period as DHIS2 writes
 * it, hidden cells and unmapped ones left out and counted. */
static void test_report__dhis2(void)
{
  struct report r;
  struct buf out = BUF_INIT;
  struct dhis2_counts n;
  const char zMap[] =
      "{\"dataElements\": {\"households_registered\": \"DeHhReg0001\", "
      "\"enrolments\": \"DeEnrol0001\"}, \"orgUnits\": {\"KH12\": "
      "\"OuOffice001\", \"V1\": \"OuVillage01\", \"V2\": \"OuVillage02\"}, "
      "\"categoryOptionCombos\": {\"total\": \"HllvX50cXC0\", \"sex:F\": "
      "\"CocFemale01\", \"age_group:60+\": \"CocAge60pl1\", "
      "\"programme:hef\": \"CocProgHef1\"}}";
  fixture();
  run("2026-03", AREA_VILLAGE, NULL, 5, &r);
  T_OK(report_dhis2(&r, zMap, strlen(zMap), &out, &n, &t_err));
  json_t *j = json_loads(buf_str(&out), 0, NULL);
  json_t *a = json_object_get(j, "dataValues");
  CU_ASSERT(json_array_size(a) > 0);
  CU_ASSERT_EQUAL((size_t)n.nWritten, json_array_size(a));
  CU_ASSERT(n.nHidden > 0);
  CU_ASSERT(n.nUnmapped > 0);
  /* every value written is a shown cell of the report, as it is there */
  static const char *const OU[][2] = {
      {"OuOffice001", ""}, {"OuVillage01", "V1"}, {"OuVillage02", "V2"}};
  static const char *const DE[][2] = {{"DeHhReg0001", "households_registered"},
                                      {"DeEnrol0001", "enrolments"}};
  static const struct {
    const char *zUid;
    int dim;
    const char *z;
  } COC[] = {{"HllvX50cXC0", REPORT_TOTAL, ""},
             {"CocFemale01", REPORT_SEX, "F"},
             {"CocAge60pl1", REPORT_AGE, "60+"},
             {"CocProgHef1", REPORT_CATEGORY, "hef"}};
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v)
  {
    const char *zOu = json_string_value(json_object_get(v, "orgUnit"));
    const char *zDe = json_string_value(json_object_get(v, "dataElement"));
    const char *zCoc =
        json_string_value(json_object_get(v, "categoryOptionCombo"));
    const char *zArea = NULL, *zInd = NULL;
    const struct report_cell *c = NULL;
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(v, "period")),
                           "202603");
    for (int k = 0; k < 3; k++)
      if (strcmp(zOu, OU[k][0]) == 0)
        zArea = OU[k][1];
    for (int k = 0; k < 2; k++)
      if (strcmp(zDe, DE[k][0]) == 0)
        zInd = DE[k][1];
    for (int k = 0; k < 4 && zArea && zInd; k++)
      if (strcmp(zCoc, COC[k].zUid) == 0)
        c = find(&r, zInd, zArea, COC[k].dim, COC[k].z);
    CU_ASSERT_PTR_NOT_NULL(c);
    if (c) {
      char zWant[32];
      snprintf(zWant, sizeof zWant, "%.0f", c->value);
      CU_ASSERT_FALSE(c->bHidden);
      CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(v, "value")),
                             zWant);
    }
  }
  json_decref(j);
  buf_release(&out);
  report_release(&r);
  const char zBad[] = "{\"dataElements\": {\"x\": \"1abcdefghij\"}, "
                      "\"orgUnits\": {}, \"categoryOptionCombos\": {}}";
  CU_ASSERT_EQUAL(report_dhis2_check(zBad, strlen(zBad), &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'x'"));
}

/* A report written as text and read back is the same, cell for cell (a
 * median over nothing stays nothing); text that is not a kept report, or
 * a cell that points outside it, is refused with a reason, never read in
 * part. */
static void test_report__kept_text_reads_back(void)
{
  struct report r, b;
  fixture();
  run("2026-03", AREA_VILLAGE, NULL, 5, &r);
  char *z = report_encode(&r);
  CU_ASSERT_PTR_NOT_NULL_FATAL(z);
  T_OK(report_decode(z, strlen(z), &b, &t_err));
  CU_ASSERT_STRING_EQUAL(b.period.zLabel, r.period.zLabel);
  CU_ASSERT_STRING_EQUAL(b.zScope, r.zScope);
  CU_ASSERT_STRING_EQUAL(b.zLayer, r.zLayer);
  CU_ASSERT_STRING_EQUAL(b.zAges, r.zAges);
  CU_ASSERT_EQUAL(b.version, r.version);
  CU_ASSERT_EQUAL(b.suppress, 5);
  CU_ASSERT_EQUAL_FATAL(b.nCell, r.nCell);
  int nNan = 0;
  for (int i = 0; i < r.nCell; i++) {
    const struct report_cell *x = &r.aCell[i], *y = &b.aCell[i];
    CU_ASSERT_STRING_EQUAL(x->zIndicator, y->zIndicator);
    CU_ASSERT_STRING_EQUAL(x->zArea, y->zArea);
    CU_ASSERT_STRING_EQUAL(x->zAreaName, y->zAreaName);
    CU_ASSERT_STRING_EQUAL(x->zAreaLevel, y->zAreaLevel);
    CU_ASSERT_STRING_EQUAL(x->zCat, y->zCat);
    CU_ASSERT_STRING_EQUAL(x->zAge, y->zAge);
    CU_ASSERT_EQUAL(x->dim, y->dim);
    CU_ASSERT_EQUAL(x->n, y->n);
    CU_ASSERT_EQUAL(x->bHidden, y->bHidden);
    CU_ASSERT_EQUAL(x->bScope, y->bScope);
    if (isnan(x->value)) {
      CU_ASSERT(isnan(y->value));
      nNan++;
    } else {
      CU_ASSERT_DOUBLE_EQUAL(x->value, y->value, 1e-9);
    }
  }
  CU_ASSERT(nNan > 0); /* medians over nothing were written too */
  report_release(&b);
  /* refused whole: cut short, another codec, a cell pointing outside */
  const char *azBad[] = {
      "",
      "{",
      "[]",
      "{\"codec\": 2}",
      "{\"codec\": 1, \"period\": \"2026-03\", \"version\": 1, "
      "\"suppress\": 5, \"scope\": \"KH12\", \"scope_name\": \"x\", "
      "\"layer\": \"\", \"ages\": \"0-17\", \"strings\": [\"a\"], "
      "\"cells\": [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 1, 0]]}",
      "{\"codec\": 1, \"period\": \"2026-13\", \"version\": 1, "
      "\"suppress\": 5, \"scope\": \"KH12\", \"scope_name\": \"x\", "
      "\"layer\": \"\", \"ages\": \"0-17\", \"strings\": [], "
      "\"cells\": []}"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    CU_ASSERT_EQUAL(report_decode(azBad[i], strlen(azBad[i]), &b, &t_err),
                    SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "kept report"));
    CU_ASSERT_EQUAL(b.nCell, 0);
  }
  /* the text cut anywhere is refused, never read in part */
  size_t n = strlen(z);
  for (size_t cut = 0; cut < n; cut += n / 97 + 1) {
    CU_ASSERT_EQUAL(report_decode(z, cut, &b, &t_err), SWS_EINVAL);
  }
  free(z);
  report_release(&r);
}

static CU_TestInfo tests[] = {
    {"test_report__kept_text_reads_back", test_report__kept_text_reads_back},
    {"test_report__exact_counts_by_village",
     test_report__exact_counts_by_village},
    {"test_report__breakdowns_add_up", test_report__breakdowns_add_up},
    {"test_report__small_counts_hidden", test_report__small_counts_hidden},
    {"test_report__scope_and_layers", test_report__scope_and_layers},
    {"test_report__empty_office", test_report__empty_office},
    {"test_report__periods", test_report__periods},
    {"test_report__indicator_set", test_report__indicator_set},
    {"test_report__dhis2", test_report__dhis2},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_report = {"report", NULL, NULL, setup, teardown, tests};
