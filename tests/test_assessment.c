/*
 * test_assessment.c - needs assessments: the instrument loader and its
 * errors, versioning, answer checking (nothing saved on error), scores
 * explained item by item, member rules, ages.
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/country.h"
#include "cases/household.h"
#include "core/mem.h"
#include "tests/support.h"

static char g_regno[SWS_NUMBER_MAX];

static int64_t count(const char *zSql)
{
  int64_t n = -1;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(db_int64(t_ctx->db, &n, -1, zSql, &err), 0);
  return n;
}

/* A family of five on 2026-03-01: head 46, spouse 39, girl 11, grandmother
 * 70 (registered disability), baby 0; with an open case. */
static void setup(void)
{
  struct member_input m[] = {
      {"Sok Dara", 'M', "1979", REL_HEAD, NULL, NULL, 0},
      {"Chan Sreymom", 'F', "1986-05", REL_SPOUSE, NULL, NULL, 0},
      {"Sok Vichea", 'F', "2014-08-20", REL_CHILD, NULL, NULL, 0},
      {"Keo Yim", 'F', "1955", REL_PARENT, NULL, NULL, 1},
      {"Sok Nita", 'F', "2025-06-10", REL_CHILD, NULL, NULL, 0},
  };
  struct household_input in = {"V1", NULL, NULL, NULL, m, 5, "test family"};
  struct case_info c;
  setenv("SWS_NOW", "2026-03-01T09:00:00Z", 1);
  t_office_setup();
  if (cases_household_create(t_ctx, &in, g_regno, NULL, &t_err) != 0 ||
      cases_case_open(t_ctx, g_regno, &c, &t_err) != 0 ||
      cases_instrument_load_default(t_ctx, &t_err) != 0) {
    fprintf(stderr, "fixture: %s\n", t_err.msg);
    abort();
  }
  cases_set_actor(t_ctx, "cm1");
}

static void teardown(void)
{
  t_office_teardown();
  unsetenv("SWS_NOW");
}

/* Add an assessment with the default instrument from a NULL-terminated
 * list of answers. */
static int assess(const char *zCode, int64_t *pNumber, ...)
{
  const char *az[64];
  int n = 0;
  va_list ap;
  va_start(ap, pNumber);
  for (const char *z; (z = va_arg(ap, const char *)) != NULL && n < 64;)
    az[n++] = z;
  va_end(ap);
  int64_t number;
  return cases_assessment_add(t_ctx, g_regno, zCode, az, n,
                              pNumber ? pNumber : &number, &t_err);
}

static int load(const char *zJson)
{
  struct instrument_load_report rep;
  return cases_instrument_load(t_ctx, zJson, strlen(zJson), &rep, &t_err);
}

static const struct assessment_item *item(const struct assessment *a,
                                          const char *zRule, int member)
{
  for (int i = 0; i < a->nItem; i++)
    if (strcmp(a->aItem[i].zRule, zRule) == 0 && a->aItem[i].member == member)
      return &a->aItem[i];
  return NULL;
}

static int has_flag(const struct assessment *a, const char *zFlag)
{
  for (int i = 0; i < a->nFlag; i++)
    if (strcmp(a->azFlag[i], zFlag) == 0)
      return 1;
  return 0;
}

/* A small instrument: %d is its version, %s its one rule's condition,
 * the second %d its points. */
static char *mini(int version, const char *zIf, int points)
{
  return sws_mprintf(
      "{\"code\": \"mini\", \"version\": %d, \"title\": \"Mini\",\n"
      " \"questions\": [\n"
      "  {\"id\": \"income\", \"domain\": \"income\", \"type\": \"number\",\n"
      "   \"min\": 0, \"text\": {\"en\": \"Income\", \"km\": \"ចំណូល\"}},\n"
      "  {\"id\": \"sick\", \"domain\": \"health\", \"type\": \"yes-no\",\n"
      "   \"scope\": \"member\", \"text\": \"Sick?\"}],\n"
      " \"rules\": [{\"id\": \"poor\", \"if\": \"%s\", \"points\": %d,\n"
      "   \"flag\": \"vulnerability:income\", \"explain\": \"poor\"}],\n"
      " \"bands\": [{\"from\": 0, \"label\": \"low\"},\n"
      "   {\"from\": 5, \"label\": \"high\"}]}",
      version, zIf, points);
}

static void test_assessment__default_instrument_loads_once(void)
{
  struct instrument *in;
  const char *DOMAINS[] = {"income", "food", "health", "disability",
                           "education", "housing", "protection", "skills",
                           "work"};
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument"), 1);
  int64_t audit0 = count("SELECT count(*) FROM audit_log");
  /* the identical file again changes nothing */
  T_OK(cases_instrument_load_default(t_ctx, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument"), 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), audit0);
  T_OK(cases_instrument_get(t_ctx, NULL, 0, &in, &t_err));
  CU_ASSERT_STRING_EQUAL(in->zCode, "needs");
  CU_ASSERT(in->nQ >= 15 && in->nQ <= 25);
  for (int i = 0; i < in->nQ; i++)
    CU_ASSERT(in->aQ[i].zKm[0] != '\0'); /* every question in Khmer */
  for (size_t d = 0; d < sizeof DOMAINS / sizeof DOMAINS[0]; d++) {
    int found = 0;
    for (int i = 0; i < in->nQ; i++)
      found |= strcmp(in->aQ[i].zDomain, DOMAINS[d]) == 0;
    if (!found)
      fprintf(stderr, "\n  no question about %s\n", DOMAINS[d]);
    CU_ASSERT(found);
  }
  CU_ASSERT(in->nRule > 10);
  cases_instrument_free(in);
}

static void test_assessment__loader_refuses_bad_files(void)
{
  static const struct {
    const char *zJson;
    const char *zExpect; /* in the message */
  } BAD[] = {
      {"{\"code\": \"x\",", "not valid JSON"},
      {"[1, 2]", "JSON object"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"slider\", "
       "\"text\": \"Q\"}], \"bands\": [{\"from\": 0, \"label\": \"a\"}]}",
       "question 'q1': unknown type 'slider'"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"choice\", "
       "\"text\": \"Q\"}], \"bands\": [{\"from\": 0, \"label\": \"a\"}]}",
       "question 'q1': a choice question needs \"options\""},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}, {\"id\": \"q1\", \"domain\": \"d\", \"type\": "
       "\"number\", \"text\": \"Q\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "question 'q1' is given twice"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\", \"requird\": true}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "question 'q1': unknown field 'requird'"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"rules\": [{\"id\": \"r1\", \"if\": \"q1 <\", "
       "\"points\": 1, \"explain\": \"e\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "scoring rule 'r1': rule 'q1 <': the rule ends too early"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"rules\": [{\"id\": \"r1\", \"if\": \"q2 < 3\", "
       "\"points\": 1, \"explain\": \"e\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "scoring rule 'r1': rule 'q2 < 3': no fact named 'q2'"},
      /* a type error shows with sample answers */
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"yes-no\", "
       "\"text\": \"Q\"}], \"rules\": [{\"id\": \"r1\", \"if\": \"q1 > 3\", "
       "\"points\": 1, \"explain\": \"e\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "scoring rule 'r1': rule 'q1 > 3': cannot compare"},
      /* a member question read by a household rule outside members() */
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"yes-no\", "
       "\"scope\": \"member\", \"text\": \"Q\"}], \"rules\": [{\"id\": "
       "\"r1\", \"if\": \"q1\", \"points\": 1, \"explain\": \"e\"}], "
       "\"bands\": [{\"from\": 0, \"label\": \"a\"}]}",
       "scoring rule 'r1'"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"rules\": [{\"id\": \"r1\", \"if\": \"q1 + 1\", "
       "\"points\": 1, \"explain\": \"e\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "scoring rule 'r1': rule 'q1 + 1' gives a number"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"rules\": [{\"id\": \"r1\", \"if\": \"q1 > 1\", "
       "\"flag\": \"food\", \"explain\": \"e\"}], \"bands\": [{\"from\": 0, "
       "\"label\": \"a\"}]}",
       "scoring rule 'r1': a flag is KIND:NAME"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"q1\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"bands\": [{\"from\": 5, \"label\": \"a\"}, "
       "{\"from\": 1, \"label\": \"b\"}]}",
       "band 'b'"},
      {"{\"code\": \"x\", \"version\": 1, \"title\": \"t\", \"questions\": "
       "[{\"id\": \"and\", \"domain\": \"d\", \"type\": \"number\", "
       "\"text\": \"Q\"}], \"bands\": [{\"from\": 0, \"label\": \"a\"}]}",
       "question 1: give an \"id\""},
      {"{\"code\": \"X Y\", \"version\": 1}", "needs a \"code\""},
      {"{\"code\": \"x\", \"version\": 0}", "needs a \"version\""},
  };
  int64_t n0 = count("SELECT count(*) FROM instrument");
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    sws_err_clear(&t_err);
    int rc = load(BAD[i].zJson);
    CU_ASSERT_EQUAL(rc, SWS_EINVAL);
    if (strstr(t_err.msg, BAD[i].zExpect) == NULL)
      fprintf(stderr, "\n  case %zu: got '%s', expected '%s'\n", i,
              t_err.msg, BAD[i].zExpect);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i].zExpect));
  }
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument"), n0);
}

static void test_assessment__same_version_other_content_is_refused(void)
{
  char *z1 = mini(1, "income < 100", 5), *z2 = mini(1, "income < 200", 5);
  struct instrument_load_report rep;
  T_OK(load(z1));
  CU_ASSERT_EQUAL(load(z2), SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "new \"version\""));
  /* the same definition laid out differently is the same instrument */
  char *z3 = sws_mprintf("\n\n  %s  \n", z1);
  T_OK(cases_instrument_load(t_ctx, z3, strlen(z3), &rep, &t_err));
  CU_ASSERT_EQUAL(rep.bUnchanged, 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument WHERE code = "
                        "'mini'"),
                  1);
  /* and the database refuses to change a loaded version */
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db,
                              "UPDATE instrument SET title = 'x' WHERE "
                              "code = 'mini'",
                              &t_err),
                      0);
  free(z1);
  free(z2);
  free(z3);
}

static void test_assessment__new_version_never_changes_old_ones(void)
{
  char *z1 = mini(1, "income < 100", 5), *z2 = mini(2, "income < 100", 9);
  struct assessment a;
  int64_t n1, n2;
  T_OK(load(z1));
  T_OK(assess("mini", &n1, "income=50", NULL));
  T_OK(load(z2));
  T_OK(assess("mini", &n2, "income=50", NULL));
  T_OK(cases_assessment_get(t_ctx, n1, &a, &t_err));
  CU_ASSERT_EQUAL(a.version, 1);
  CU_ASSERT_DOUBLE_EQUAL(a.score, 5, 1e-9);
  CU_ASSERT_STRING_EQUAL(a.zBand, "high");
  CU_ASSERT_DOUBLE_EQUAL(item(&a, "poor", 0)->points, 5, 1e-9);
  cases_assessment_release(&a);
  T_OK(cases_assessment_get(t_ctx, n2, &a, &t_err));
  CU_ASSERT_EQUAL(a.version, 2);
  CU_ASSERT_DOUBLE_EQUAL(a.score, 9, 1e-9);
  cases_assessment_release(&a);
  /* both versions stay loaded */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument WHERE code = "
                        "'mini'"),
                  2);
  free(z1);
  free(z2);
}

static void test_assessment__needs_an_open_case(void)
{
  const char *zOther = t_household("Mao Sopheap", 'F', "1990", "V2");
  const char *az[] = {"income_monthly=100000", "idpoor=none"};
  int64_t n;
  CU_ASSERT_EQUAL(cases_assessment_add(t_ctx, zOther, NULL, az, 2, &n,
                                       &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws case open"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM assessment"), 0);
}

static void test_assessment__bad_answers_save_nothing(void)
{
  static const struct {
    const char *zAnswer, *zExpect;
  } BAD[] = {
      {"income_monthly=abc", "income_monthly is a number question"},
      {"income_monthly=250,000", "not 250,000"},
      {"income_monthly=-5", "income_monthly must be from 0"},
      {"food_days_short=31", "food_days_short must be from 0 to 30"},
      {"debt=some", "debt: 'some' is not one of its options (none, "},
      {"income_sources=wages,lottery", "'lottery' is not one of"},
      {"health_cost_barrier=maybe", "answer yes or no"},
      {"nonsense=1", "no question 'nonsense'"},
      {"chronic_illness=yes", "answer it as chronic_illness@N=VALUE"},
      {"debt@1=none", "about the household"},
      {"chronic_illness@9=yes", "has no member 9"},
      {"chronic_illness@x=yes", "QUESTION@N"},
      {"income_monthly", "KEY=VALUE"},
      {"debt=", "has no value"},
      {"notes=line\001two", "control character"},
  };
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    /* required answers are given, then the bad one */
    const char *zIncome = strncmp(BAD[i].zAnswer, "income_monthly", 14) == 0
                              ? "water_safe=yes"
                              : "income_monthly=100000";
    sws_err_clear(&t_err);
    int rc = assess(NULL, NULL, zIncome, "idpoor=none", BAD[i].zAnswer, NULL);
    CU_ASSERT_EQUAL(rc, SWS_EINVAL);
    if (strstr(t_err.msg, BAD[i].zExpect) == NULL)
      fprintf(stderr, "\n  '%s': got '%s'\n", BAD[i].zAnswer, t_err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i].zExpect));
  }
  /* required questions; the same answer twice */
  CU_ASSERT_EQUAL(assess(NULL, NULL, "idpoor=none", NULL), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'income_monthly' is required"));
  CU_ASSERT_EQUAL(assess(NULL, NULL, "idpoor=none", "income_monthly=1",
                         "income_monthly=2", NULL),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "answered twice"));
  /* a member who left is not assessed */
  struct member_edit e = {NULL, 0, NULL, 0, 0, NULL, NULL, -1, "left"};
  T_OK(cases_member_edit(t_ctx, g_regno, 2, &e, &t_err));
  CU_ASSERT_EQUAL(assess(NULL, NULL, "idpoor=none", "income_monthly=1",
                         "chronic_illness@2=yes", NULL),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "member 2 of"));
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "is left"));
  /* nothing was saved, no number was used */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM assessment"), 0);
  int64_t n;
  T_OK(assess(NULL, &n, "idpoor=none", "income_monthly=1", NULL));
  CU_ASSERT_EQUAL(n, 1);
}

static void test_assessment__score_is_explained_item_by_item(void)
{
  struct assessment a;
  int64_t n;
  double sum = 0;
  T_OK(assess(NULL, &n, "income_monthly=600000", "idpoor=LEVEL2",
              "food_days_short=៤", "chronic_illness@4=yes",
              "school_attending@3=no", "skills@2=tailoring, farming",
              "health_cover=hef", "notes= they lost the rice crop ", NULL));
  T_OK(cases_assessment_get(t_ctx, n, &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zInstrument, "needs");
  CU_ASSERT_EQUAL(a.version, 2);
  CU_ASSERT_STRING_EQUAL(a.zBy, "cm1");
  /* 4 income + 2 IDPoor + 2 food + 2 illness + 3 school + 3 disability
   * + 2 dependants */
  CU_ASSERT_DOUBLE_EQUAL(a.score, 18, 1e-9);
  CU_ASSERT_STRING_EQUAL(a.zBand, "high");
  const struct assessment_item *it = item(&a, "income_very_low", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_EQUAL(it->outcome, 1);
  CU_ASSERT_DOUBLE_EQUAL(it->points, 4, 1e-9);
  CU_ASSERT_STRING_EQUAL(it->zFlag, "vulnerability:income");
  CU_ASSERT_STRING_EQUAL(it->zBecause,
                         "income_monthly = 600000; household.size = 5");
  it = item(&a, "food_gap", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_STRING_EQUAL(it->zBecause, "food_days_short = 4");
  it = item(&a, "child_out_of_school", 3);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_DOUBLE_EQUAL(it->points, 3, 1e-9);
  CU_ASSERT_STRING_EQUAL(it->zBecause,
                         "member.age = 11; school_attending = no");
  it = item(&a, "disability", 4);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_STRING_EQUAL(it->zBecause, "member.disability = yes");
  it = item(&a, "dependants", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_STRING_EQUAL(it->zBecause,
                         "members matching = 3; household.size = 5");
  /* a skill: a flag, no points */
  it = item(&a, "skill_tailoring", 2);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_DOUBLE_EQUAL(it->points, 0, 1e-9);
  CU_ASSERT(has_flag(&a, "skill:tailoring"));
  CU_ASSERT(has_flag(&a, "skill:farming"));
  CU_ASSERT(has_flag(&a, "vulnerability:food"));
  CU_ASSERT(!has_flag(&a, "vulnerability:protection"));
  /* rules that could not be scored are listed, with no points */
  it = item(&a, "no_income_source", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(it);
  CU_ASSERT_EQUAL(it->outcome, -1);
  CU_ASSERT_DOUBLE_EQUAL(it->points, 0, 1e-9);
  /* rules that do not hold are not listed */
  CU_ASSERT_PTR_NULL(item(&a, "income_low", 0));
  CU_ASSERT_PTR_NULL(item(&a, "no_health_cover", 0));
  /* the items add up to the score */
  for (int i = 0; i < a.nItem; i++)
    sum += a.aItem[i].points;
  CU_ASSERT_DOUBLE_EQUAL(sum, a.score, 1e-9);
  /* answers are kept typed, in questionnaire order */
  CU_ASSERT_STRING_EQUAL(a.aAnswer[0].zKey, "income_monthly");
  CU_ASSERT_EQUAL(a.aAnswer[0].v.type, RV_NUMBER);
  int found = 0;
  for (int i = 0; i < a.nAnswer; i++)
    if (strcmp(a.aAnswer[i].zKey, "notes") == 0) {
      found++;
      CU_ASSERT_STRING_EQUAL(a.aAnswer[i].v.z, "they lost the rice crop");
    } else if (strcmp(a.aAnswer[i].zKey, "skills@2") == 0) {
      found++;
      CU_ASSERT_EQUAL(a.aAnswer[i].v.type, RV_LIST);
      CU_ASSERT_EQUAL(a.aAnswer[i].v.nList, 2);
    } else if (strcmp(a.aAnswer[i].zKey, "idpoor") == 0) {
      CU_ASSERT_STRING_EQUAL(a.aAnswer[i].v.z, "level2");
    }
  CU_ASSERT_EQUAL(found, 2);
  cases_assessment_release(&a);
}

static void test_assessment__member_rules_run_for_each_member(void)
{
  struct assessment a;
  int64_t n;
  T_OK(assess(NULL, &n, "income_monthly=5000000", "idpoor=none",
              "chronic_illness@1=yes", "chronic_illness@2=yes",
              "chronic_illness@3=no", "pregnant@2=yes", NULL));
  T_OK(cases_assessment_get(t_ctx, n, &a, &t_err));
  CU_ASSERT_PTR_NOT_NULL(item(&a, "chronic_illness", 1));
  CU_ASSERT_PTR_NOT_NULL(item(&a, "chronic_illness", 2));
  CU_ASSERT_PTR_NULL(item(&a, "chronic_illness", 3));
  /* not answered for members 4 and 5: unknown, no points */
  CU_ASSERT_EQUAL(item(&a, "chronic_illness", 4)->outcome, -1);
  CU_ASSERT_DOUBLE_EQUAL(item(&a, "chronic_illness", 1)->points, 2, 1e-9);
  CU_ASSERT_STRING_EQUAL(item(&a, "chronic_illness", 2)->zBecause,
                         "chronic_illness = yes");
  CU_ASSERT_PTR_NOT_NULL(item(&a, "pregnancy", 2));
  /* 2 + 2 illness, 1 pregnancy, 3 disability (member 4), 2 dependants */
  CU_ASSERT_DOUBLE_EQUAL(a.score, 10, 1e-9);
  CU_ASSERT_STRING_EQUAL(a.zBand, "moderate");
  cases_assessment_release(&a);
}

static int list_row(const struct assessment_row *r, void *arg)
{
  int64_t *a = arg;
  a[a[0] + 1] = r->number;
  a[0]++;
  return 0;
}

static void test_assessment__latest_and_list(void)
{
  struct assessment a;
  int64_t n1, n2, got[4] = {0, 0, 0, 0};
  CU_ASSERT_EQUAL(cases_assessment_latest(t_ctx, g_regno, &a, &t_err),
                  SWS_ENOTFOUND);
  T_OK(assess(NULL, &n1, "income_monthly=100", "idpoor=none", NULL));
  setenv("SWS_NOW", "2026-04-01T09:00:00Z", 1);
  T_OK(assess(NULL, &n2, "income_monthly=9000000", "idpoor=none", NULL));
  CU_ASSERT_EQUAL(n1, 1);
  CU_ASSERT_EQUAL(n2, 2);
  T_OK(cases_assessment_latest(t_ctx, g_regno, &a, &t_err));
  CU_ASSERT_EQUAL(a.number, 2);
  CU_ASSERT_STRING_EQUAL(a.zRegno, g_regno);
  cases_assessment_release(&a);
  T_OK(cases_assessment_list(t_ctx, g_regno, list_row, got, &t_err));
  CU_ASSERT_EQUAL(got[0], 2);
  CU_ASSERT_EQUAL(got[1], 2);
  CU_ASSERT_EQUAL(got[2], 1);
  CU_ASSERT_EQUAL(cases_assessment_get(t_ctx, 99, &a, &t_err),
                  SWS_ENOTFOUND);
}

static void test_assessment__writes_audit_and_outbox(void)
{
  int64_t audit0 = count("SELECT count(*) FROM audit_log");
  int64_t n;
  T_OK(assess(NULL, &n, "income_monthly=100", "idpoor=level1", NULL));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), audit0 + 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE action = "
                        "'assessment.add'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox WHERE entity = "
                        "'assessment'"),
                  1);
}

static void test_assessment__ages_count_birth_year_as_mid_year(void)
{
  CU_ASSERT_EQUAL(cases_member_age("1960", "2026-06-30"), 65);
  CU_ASSERT_EQUAL(cases_member_age("1960", "2026-07-01"), 66);
  CU_ASSERT_EQUAL(cases_member_age("1960-05", "2026-05-14"), 65);
  CU_ASSERT_EQUAL(cases_member_age("1960-05", "2026-05-15"), 66);
  CU_ASSERT_EQUAL(cases_member_age("2000-02-29", "2026-02-28"), 25);
  CU_ASSERT_EQUAL(cases_member_age("2000-02-29", "2026-03-01"), 26);
  CU_ASSERT_EQUAL(cases_member_age("2026-03-01", "2026-03-01"), 0);
  CU_ASSERT_EQUAL(cases_member_age("born", "2026-03-01"), -1);
}

static void test_assessment__questions_show_keys_and_types(void)
{
  struct instrument *in;
  T_OK(cases_instrument_get(t_ctx, "needs", 2, &in, &t_err));
  const struct instrument_question *q =
      cases_instrument_question(in, "skills");
  CU_ASSERT_PTR_NOT_NULL_FATAL(q);
  CU_ASSERT_EQUAL(q->type, QT_MULTI);
  CU_ASSERT_EQUAL(q->bMember, 1);
  CU_ASSERT(q->nOpt >= 3);
  CU_ASSERT_PTR_NULL(cases_instrument_question(in, "nothing"));
  cases_instrument_free(in);
  CU_ASSERT_EQUAL(cases_instrument_get(t_ctx, "needs", 7, &in, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(cases_instrument_get(t_ctx, "other", 0, &in, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws assessment load"));
}

/* An amount typed in Khmer digits is the number. */
static void test_assessment__khmer_digits_in_amounts(void)
{
  int64_t n;
  T_OK(assess(NULL, &n, "income_monthly=២៥០០០០", "idpoor=none", NULL));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM assessment WHERE "
                        "json_extract(answers, '$.income_monthly') = 250000"),
                  1);
}

/* A question is asked of the people it is about: no pregnancy question
 * for a man or a child, no school question for an adult. Its answer for
 * anyone else is refused; the form does not show it to them. */
static void test_assessment__questions_asked_by_sex_and_age(void)
{
  int64_t n;
  static const struct {
    const char *zAnswer, *zExpect;
  } BAD[] = {
      {"pregnant@1=no", "pregnant@1: question 'pregnant' is not asked of "
                        "this member (it is asked when member.sex == \"F\" "
                        "and member.age between 10 and 55)"},
      {"pregnant@5=no", "not asked of this member"}, /* a baby girl */
      {"pregnant@4=no", "not asked of this member"}, /* a woman of 71 */
      {"school_attending@1=no", "member.age between 6 and 17"},
      {"work_status@3=employed", "member.age >= 15"},
  };
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    CU_ASSERT_EQUAL(assess(NULL, &n, "income_monthly=100", "idpoor=none",
                           BAD[i].zAnswer, NULL),
                    SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i].zExpect));
  }
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM assessment"), 0);
  T_OK(assess(NULL, &n, "income_monthly=100", "idpoor=none", "pregnant@2=yes",
              "school_attending@3=yes", "work_status@1=employed", NULL));
  /* who the form asks */
  struct instrument *in;
  struct assessment_asked *a;
  T_OK(cases_instrument_get(t_ctx, NULL, 0, &in, &t_err));
  const struct instrument_question *qp =
      cases_instrument_question(in, "pregnant");
  const struct instrument_question *qi =
      cases_instrument_question(in, "income_monthly");
  T_OK(cases_assessment_asked_open(t_ctx, g_regno, &a, &t_err));
  CU_ASSERT_EQUAL(cases_assessment_asked(a, qp, 1), 0);
  CU_ASSERT_EQUAL(cases_assessment_asked(a, qp, 2), 1);
  CU_ASSERT_EQUAL(cases_assessment_asked(a, qp, 3), 1); /* a girl of 12 */
  CU_ASSERT_EQUAL(cases_assessment_asked(a, qp, 5), 0);
  CU_ASSERT_EQUAL(cases_assessment_asked(a, qi, 0), 1);
  cases_assessment_asked_close(a);
  cases_instrument_free(in);
}

/* ask_if reads who the person is, never what they answered, and must be
 * a condition. */
static void test_assessment__ask_if_checked_at_load(void)
{
  static const char *const BAD[][2] = {
      {"\"income_monthly > 5\"", "not answers"},
      {"\"member.age +\"", "ask_if"},
      {"3", "\"ask_if\" is a condition"},
      {"\"member.age\"", "ask_if"},
  };
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    char *z = sws_mprintf(
        "{\"code\": \"x\", \"version\": 1, \"title\": \"t\", "
        "\"questions\": [{\"id\": \"income_monthly\", \"domain\": "
        "\"income\", \"type\": \"number\", \"text\": {\"en\": \"?\"}}, "
        "{\"id\": \"q\", \"domain\": \"health\", \"type\": \"yes-no\", "
        "\"scope\": \"member\", \"ask_if\": %s, \"text\": {\"en\": \"?\"}}], "
        "\"rules\": [], \"bands\": [{\"from\": 0, \"label\": \"low\"}]}",
        BAD[i][0]);
    struct instrument_load_report rep;
    CU_ASSERT_EQUAL(cases_instrument_load(t_ctx, z, strlen(z), &rep, &t_err),
                    SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i][1]));
    if (strstr(t_err.msg, BAD[i][1]) == NULL)
      fprintf(stderr, "\n  %s: %s\n", BAD[i][0], t_err.msg);
    free(z);
  }
}

/* A version of "langs" whose rule "poor" explains itself in zExplain (a
 * JSON string or object) and whose band "low" is zLow. */
static char *langs(int version, const char *zExplain, const char *zLow)
{
  return sws_mprintf(
      "{\"code\": \"langs\", \"version\": %d, \"title\": \"L\",\n"
      " \"questions\": [{\"id\": \"income\", \"domain\": \"income\",\n"
      "   \"type\": \"number\", \"text\": \"Income\"}],\n"
      " \"rules\": [{\"id\": \"poor\", \"if\": \"income < 100\",\n"
      "   \"points\": 5, \"explain\": %s},\n"
      "  {\"id\": \"plain\", \"if\": \"income < 100\", \"points\": 1,\n"
      "   \"explain\": \"plain English\"}],\n"
      " \"bands\": [{\"from\": 0, \"label\": %s},\n"
      "   {\"from\": 5, \"label\": {\"en\": \"high\", \"mn\": \"өндөр\"}}]}",
      version, zExplain, zLow);
}

/* Explanations and bands in three languages: the assessment keeps the
 * English; the others come from the version it was made with, by rule id,
 * so a later version's texts never rewrite an old assessment. */
static void test_assessment__explanations_in_three_languages(void)
{
  char *z1 = langs(1,
                   "{\"en\": \"low income\", \"km\": \"ចំណូលទាប\", "
                   "\"mn\": \"орлого бага\"}",
                   "\"low\"");
  char *z2 = langs(2, "{\"en\": \"low income (v2)\", \"mn\": \"бага орлого\"}",
                   "{\"en\": \"low\", \"mn\": \"бага\"}");
  struct assessment a;
  struct instrument *in = NULL;
  int64_t n1, n2;
  T_OK(load(z1));
  T_OK(assess("langs", &n1, "income=50", NULL));
  T_OK(load(z2));
  T_OK(assess("langs", &n2, "income=150", NULL));
  /* the first: kept in English, shown in each language from version 1 */
  T_OK(cases_assessment_get(t_ctx, n1, &a, &t_err));
  T_OK(cases_instrument_get(t_ctx, a.zInstrument, a.version, &in, &t_err));
  const struct assessment_item *it = item(&a, "poor", 0);
  CU_ASSERT_STRING_EQUAL(it->zExplain, "low income");
  CU_ASSERT_STRING_EQUAL(cases_instrument_explain(in, it, "en"), "low income");
  CU_ASSERT_STRING_EQUAL(cases_instrument_explain(in, it, "km"), "ចំណូលទាប");
  CU_ASSERT_STRING_EQUAL(cases_instrument_explain(in, it, "mn"), "орлого бага");
  CU_ASSERT_STRING_EQUAL(cases_instrument_explain(in, it, NULL), "low income");
  /* a rule explained in English only reads in English everywhere */
  CU_ASSERT_STRING_EQUAL(
      cases_instrument_explain(in, item(&a, "plain", 0), "km"),
      "plain English");
  CU_ASSERT_STRING_EQUAL(a.zBand, "high");
  CU_ASSERT_STRING_EQUAL(cases_instrument_band_label(in, a.zBand, "mn"),
                         "өндөр");
  CU_ASSERT_STRING_EQUAL(cases_instrument_band_label(in, a.zBand, "km"),
                         "high");
  /* no instrument (or a rule it lacks): the kept English */
  CU_ASSERT_STRING_EQUAL(cases_instrument_explain(NULL, it, "mn"),
                         "low income");
  CU_ASSERT_STRING_EQUAL(cases_instrument_band_label(NULL, "high", "mn"),
                         "high");
  cases_instrument_free(in);
  in = NULL;
  cases_assessment_release(&a);
  /* the second, made with version 2: its texts, its band code kept */
  T_OK(cases_assessment_get(t_ctx, n2, &a, &t_err));
  T_OK(cases_instrument_get(t_ctx, a.zInstrument, a.version, &in, &t_err));
  CU_ASSERT_EQUAL(a.version, 2);
  CU_ASSERT_STRING_EQUAL(a.zBand, "low");
  CU_ASSERT_STRING_EQUAL(cases_instrument_band_label(in, a.zBand, "mn"),
                         "бага");
  CU_ASSERT_EQUAL(a.nItem, 0); /* no rule held */
  CU_ASSERT_STRING_EQUAL(cases_instrument_rule(in, "poor")->zExplainKm, "");
  CU_ASSERT_STRING_EQUAL(cases_instrument_rule(in, "poor")->zExplainMn,
                         "бага орлого");
  CU_ASSERT_PTR_NULL(cases_instrument_rule(in, "nosuch"));
  cases_instrument_free(in);
  cases_assessment_release(&a);
  free(z1);
  free(z2);
}

/* What a file may not give as an explanation or a band label. */
static void test_assessment__bad_language_texts_are_refused(void)
{
  static const char *const BAD[][3] = {
      {"{\"km\": \"ចំណូលទាប\"}", "\"low\"", "needs a text in English"},
      {"{\"en\": \"\", \"km\": \"x\"}", "\"low\"", "needs a text in English"},
      {"{\"en\": \"a\", \"km\": 5}", "\"low\"", "each language gives"},
      {"{\"en\": \"a\", \"KM!\": \"x\"}", "\"low\"", "each language gives"},
      {"{\"en\": \"a\", \"mn\": \"two\\nlines\"}", "\"low\"",
       "scoring rule 'poor'"},
      {"[\"a\"]", "\"low\"", "needs a text in English"},
      {"\"a\"", "{\"km\": \"ទាប\"}", "band 1"},
      {"\"a\"", "{\"en\": \"Low band\"}", "band 1"},
      {"\"a\"", "{\"en\": \"low\", \"mn\": [\"x\"]}", "band 'low'"},
  };
  int64_t n0 = count("SELECT count(*) FROM instrument");
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    char *z = langs(1, BAD[i][0], BAD[i][1]);
    CU_ASSERT_EQUAL(load(z), SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i][2]));
    if (strstr(t_err.msg, BAD[i][2]) == NULL)
      fprintf(stderr, "\n  case %zu: %s\n", i, t_err.msg);
    free(z);
  }
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM instrument"), n0);
}

/* The built-in questionnaires explain every rule and name every band in
 * their country's language. */
static void test_assessment__builtin_explanations_translated(void)
{
  static const char *const COUNTRY[][2] = {{"kh", "km"}, {"mn", "mn"}};
  for (size_t c = 0; c < 2; c++) {
    const struct country *k = cases_country_find(COUNTRY[c][0]);
    struct instrument *in = NULL;
    int km = strcmp(COUNTRY[c][1], "km") == 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    T_OK(cases_instrument_parse(k->zInstrumentJson, strlen(k->zInstrumentJson),
                                &in, &t_err));
    CU_ASSERT(in->nRule > 10);
    for (int i = 0; i < in->nRule; i++) {
      const char *z = km ? in->aRule[i].zExplainKm : in->aRule[i].zExplainMn;
      CU_ASSERT(z[0] != '\0');
      if (z[0] == '\0')
        fprintf(stderr, "\n  %s: rule '%s' not translated\n", COUNTRY[c][0],
                in->aRule[i].zId);
    }
    for (int i = 0; i < in->nBand; i++)
      CU_ASSERT((km ? in->aBand[i].zLabelKm : in->aBand[i].zLabelMn)[0]);
    cases_instrument_free(in);
  }
}

static CU_TestInfo tests[] = {
    {"test_assessment__explanations_in_three_languages",
     test_assessment__explanations_in_three_languages},
    {"test_assessment__bad_language_texts_are_refused",
     test_assessment__bad_language_texts_are_refused},
    {"test_assessment__builtin_explanations_translated",
     test_assessment__builtin_explanations_translated},
    {"test_assessment__default_instrument_loads_once",
     test_assessment__default_instrument_loads_once},
    {"test_assessment__loader_refuses_bad_files",
     test_assessment__loader_refuses_bad_files},
    {"test_assessment__same_version_other_content_is_refused",
     test_assessment__same_version_other_content_is_refused},
    {"test_assessment__new_version_never_changes_old_ones",
     test_assessment__new_version_never_changes_old_ones},
    {"test_assessment__needs_an_open_case",
     test_assessment__needs_an_open_case},
    {"test_assessment__bad_answers_save_nothing",
     test_assessment__bad_answers_save_nothing},
    {"test_assessment__score_is_explained_item_by_item",
     test_assessment__score_is_explained_item_by_item},
    {"test_assessment__member_rules_run_for_each_member",
     test_assessment__member_rules_run_for_each_member},
    {"test_assessment__latest_and_list", test_assessment__latest_and_list},
    {"test_assessment__writes_audit_and_outbox",
     test_assessment__writes_audit_and_outbox},
    {"test_assessment__ages_count_birth_year_as_mid_year",
     test_assessment__ages_count_birth_year_as_mid_year},
    {"test_assessment__questions_show_keys_and_types",
     test_assessment__questions_show_keys_and_types},
    {"test_assessment__khmer_digits_in_amounts",
     test_assessment__khmer_digits_in_amounts},
    {"test_assessment__questions_asked_by_sex_and_age",
     test_assessment__questions_asked_by_sex_and_age},
    {"test_assessment__ask_if_checked_at_load",
     test_assessment__ask_if_checked_at_load},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_assessment = {"assessment", NULL, NULL, setup, teardown,
                                 tests};
