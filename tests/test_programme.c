/*
 * test_programme.c - the programme catalogue (loader errors, versions,
 * retiring), offline screening (yes / no / may be, with reasons and what
 * is missing) and enrolment (every transition, one live application).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/country.h"
#include "cases/household.h"
#include "cases/langtext.h"
#include "cases/programme.h"
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

/* The family of test_assessment.c on 2026-03-01: head 46, spouse 39, girl
 * 11, grandmother 70 (registered disability), baby 0; an open case; the
 * default instrument and catalogue. */
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
      cases_instrument_load_default(t_ctx, &t_err) != 0 ||
      cases_programme_load_default(t_ctx, &t_err) != 0) {
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

static int load(const char *zJson, struct programme_load_report *rep)
{
  struct programme_load_report r;
  return cases_programme_load(t_ctx, zJson, strlen(zJson), rep ? rep : &r,
                              &t_err);
}

/* A one-programme catalogue. */
static char *one(int version, const char *zCode, const char *zLevel,
                 const char *zIf)
{
  return sws_mprintf("{\"version\": %d, \"programmes\": [{\"code\": \"%s\", "
                     "\"name\": \"N\", \"agency\": \"A\", \"guarantee\": "
                     "\"health\", \"level\": \"%s\", \"rules\": [{\"if\": "
                     "\"%s\", \"explain\": \"E\"}]}]}",
                     version, zCode, zLevel, zIf);
}

static const struct screen_result *result(const struct screening *s,
                                          const char *zCode, int member)
{
  for (int i = 0; i < s->nProg; i++)
    if (strcmp(s->aProg[i].p.zCode, zCode) == 0)
      for (int r = 0; r < s->aProg[i].nRes; r++)
        if (s->aProg[i].aRes[r].member == member)
          return &s->aProg[i].aRes[r];
  return NULL;
}

static void test_programme__default_catalogue_loads_once(void)
{
  struct programme p;
  int seen[4] = {0, 0, 0, 0};
  static const char *const G[] = {"health", "children", "working-age",
                                  "older-persons"};
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM programme WHERE active"), 9);
  for (int g = 0; g < 4; g++) {
    sqlite3_stmt *q;
    T_OK(db_prepare(t_ctx->db, &q,
                    "SELECT count(*) FROM programme WHERE guarantee = :g",
                    &t_err));
    db_bind_text(q, ":g", G[g]);
    if (db_step(t_ctx->db, q, &t_err) == DB_ROW)
      seen[g] = (int)db_col_int64(q, 0);
    db_done(t_ctx->db, q);
    CU_ASSERT(seen[g] > 0);
  }
  int64_t audit0 = count("SELECT count(*) FROM audit_log");
  T_OK(cases_programme_load_default(t_ctx, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), audit0);
  T_OK(cases_programme_get(t_ctx, "social-pension", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zGuarantee, "older-persons");
  CU_ASSERT_EQUAL(p.bMember, 1);
  CU_ASSERT_EQUAL(p.nRule, 2);
  CU_ASSERT(p.nDoc >= 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(p.zName, "example"));
  cases_programme_clear(&p);
}

static void test_programme__loader_refuses_bad_catalogues(void)
{
  static const struct {
    const char *zJson, *zExpect;
  } BAD[] = {
      {"{\"version\": 2, \"programmes\": [", "not valid JSON"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"housing\", \"level\": "
       "\"household\", \"rules\": []}]}",
       "programme 'x': unknown guarantee 'housing'"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"family\", \"rules\": []}]}",
       "programme 'x': \"level\" is household"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": [{\"if\": \"member.age >\", \"explain\": "
       "\"E\"}]}]}",
       "programme 'x', rule 1: rule 'member.age >'"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": [{\"if\": \"incme < 5\", \"explain\": "
       "\"E\"}]}]}",
       "programme 'x', rule 1 reads 'incme'"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"household\", \"rules\": [{\"if\": \"member.age > 5\", "
       "\"explain\": \"E\"}]}]}",
       "no fact named 'member.age'"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": [{\"if\": \"member.sex > 5\", \"explain\": "
       "\"E\"}]}]}",
       "cannot compare a text with a number"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": [{\"if\": \"member.age > 5\"}]}]}",
       "programme 'x', rule 1: give {\"if\""},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": []}, {\"code\": \"x\", \"name\": \"N\", "
       "\"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
       "\"member\", \"rules\": []}]}",
       "programme 'x' is given twice"},
      {"{\"version\": 2, \"programmes\": [{\"code\": \"x\", \"agency\": "
       "\"A\", \"guarantee\": \"health\", \"level\": \"member\", \"rules\": "
       "[]}]}",
       "programme 'x': give its \"name\""},
      {"{\"version\": 0, \"programmes\": []}", "needs a \"version\""},
      {"{\"version\": 2, \"programmes\": []}", "list of 1 to"},
  };
  int64_t n0 = count("SELECT count(*) FROM programme WHERE active");
  int64_t audit0 = count("SELECT count(*) FROM audit_log");
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    sws_err_clear(&t_err);
    CU_ASSERT_EQUAL(load(BAD[i].zJson, NULL), SWS_EINVAL);
    if (strstr(t_err.msg, BAD[i].zExpect) == NULL)
      fprintf(stderr, "\n  case %zu: got '%s'\n", i, t_err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, BAD[i].zExpect));
  }
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM programme WHERE active"), n0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), audit0);
}

static void test_programme__new_catalogue_retires_missing(void)
{
  struct programme_load_report rep;
  struct programme p;
  /* the office has the built-in catalogue, version 2 */
  char *z2 = one(3, "hef", "household", "idpoor == \\\"level1\\\"");
  char *z2b = one(3, "hef", "household", "idpoor == \\\"level2\\\"");
  char *z1 = one(2, "hef", "household", "idpoor == \\\"level1\\\"");
  T_OK(load(z2, &rep));
  CU_ASSERT_EQUAL(rep.nNew, 0);
  CU_ASSERT_EQUAL(rep.nChanged, 1);
  CU_ASSERT_EQUAL(rep.nRetired, 8);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM programme WHERE active"), 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM programme"), 9);
  T_OK(cases_programme_get(t_ctx, "social-pension", &p, &t_err));
  CU_ASSERT_EQUAL(p.active, 0);
  cases_programme_clear(&p);
  /* the same again: nothing; other content under v2, or v1: refused */
  T_OK(load(z2, &rep));
  CU_ASSERT_EQUAL(rep.bUnchanged, 1);
  CU_ASSERT_EQUAL(load(z2b, NULL), SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "new \"version\" (4)"));
  CU_ASSERT_EQUAL(load(z1, NULL), SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "older"));
  /* a programme that comes back is active again */
  char *z3 = one(4, "social-pension", "member", "member.age >= 60");
  T_OK(load(z3, &rep));
  CU_ASSERT_EQUAL(rep.nChanged, 1);
  CU_ASSERT_EQUAL(rep.nRetired, 1);
  T_OK(cases_programme_get(t_ctx, "social-pension", &p, &t_err));
  CU_ASSERT_EQUAL(p.active, 1);
  CU_ASSERT_EQUAL(p.catalogue_version, 4);
  cases_programme_clear(&p);
  free(z1);
  free(z2);
  free(z2b);
  free(z3);
}

static void test_programme__screening_without_assessment(void)
{
  struct screening s;
  const struct screen_result *r;
  int64_t changes0 = count("SELECT total_changes()");
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  CU_ASSERT_EQUAL(s.assessment, 0);
  CU_ASSERT_STRING_EQUAL(s.zDate, "2026-03-01");
  /* grandmother, 70: old enough, poverty unknown -> may be */
  r = result(&s, "social-pension", 4);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(r->outcome, SCREEN_MAYBE);
  CU_ASSERT_STRING_EQUAL(r->zMemberName, "Keo Yim");
  CU_ASSERT_EQUAL(r->aRule[0].outcome, 1);
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zFacts, "member.age = 70");
  CU_ASSERT_EQUAL(r->aRule[1].outcome, -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r->aRule[1].zMissing,
                                "no assessment yet: answer idpoor"));
  /* the head, 46: not eligible, and why */
  r = result(&s, "social-pension", 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(r->outcome, SCREEN_NO);
  CU_ASSERT_EQUAL(r->aRule[0].outcome, 0);
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zFacts, "member.age = 46");
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zExplain, "aged 65 or over");
  /* a man is not a pregnant woman nor under 2, whatever is unknown */
  CU_ASSERT_EQUAL(result(&s, "cash-pregnant-child", 1)->outcome, SCREEN_NO);
  CU_ASSERT_EQUAL(result(&s, "cash-pregnant-child", 5)->outcome,
                  SCREEN_MAYBE);
  /* a household programme gives one result, member 0 */
  r = result(&s, "child-grant", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(r->aRule[0].outcome, 1);
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zFacts, "members matching = 1");
  CU_ASSERT_EQUAL(r->outcome, SCREEN_MAYBE);
  /* screening writes nothing */
  cases_screening_release(&s);
  CU_ASSERT_EQUAL(count("SELECT total_changes()"), changes0);
}

static void test_programme__screening_with_assessment(void)
{
  struct screening s;
  const struct screen_result *r;
  const char *az[] = {"income_monthly=400000", "idpoor=level1",
                      "school_attending@3=yes", "wants_training@2=yes",
                      "work_status@2=unemployed", "health_cover=none"};
  int64_t n;
  T_OK(cases_assessment_add(t_ctx, g_regno, NULL, az, 6, &n, &t_err));
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  CU_ASSERT_EQUAL(s.assessment, n);
  r = result(&s, "social-pension", 4);
  CU_ASSERT_EQUAL(r->outcome, SCREEN_YES);
  CU_ASSERT_STRING_EQUAL(r->aRule[1].zFacts, "idpoor = \"level1\"");
  CU_ASSERT_EQUAL(result(&s, "scholarship", 3)->outcome, SCREEN_YES);
  CU_ASSERT_EQUAL(result(&s, "scholarship", 1)->outcome, SCREEN_NO);
  CU_ASSERT_EQUAL(result(&s, "disability-allowance", 4)->outcome,
                  SCREEN_YES);
  CU_ASSERT_EQUAL(result(&s, "hef", 0)->outcome, SCREEN_YES);
  CU_ASSERT_EQUAL(result(&s, "child-grant", 0)->outcome, SCREEN_YES);
  CU_ASSERT_EQUAL(result(&s, "vocational-training", 2)->outcome,
                  SCREEN_YES);
  CU_ASSERT_EQUAL(result(&s, "public-works", 2)->outcome, SCREEN_MAYBE);
  /* a member question nobody answered: named with its member */
  r = result(&s, "cash-pregnant-child", 2);
  CU_ASSERT_EQUAL(r->outcome, SCREEN_MAYBE);
  CU_ASSERT_PTR_NOT_NULL(strstr(r->aRule[0].zMissing,
                                "not answered in assessment 1: "
                                "pregnant@2"));
  cases_screening_release(&s);
  /* a new assessment changes the answer */
  const char *az2[] = {"income_monthly=400000", "idpoor=level1",
                       "school_attending@3=no"};
  T_OK(cases_assessment_add(t_ctx, g_regno, NULL, az2, 3, &n, &t_err));
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  r = result(&s, "scholarship", 3);
  CU_ASSERT_EQUAL(r->outcome, SCREEN_NO);
  CU_ASSERT_STRING_EQUAL(r->aRule[1].zFacts, "school_attending = no");
  cases_screening_release(&s);
}

static void test_programme__household_facts(void)
{
  struct screening s;
  char *z = one(3, "all-facts", "household",
                "household.size == 5 and household.children == 2 and "
                "household.older == 1 and household.area == \\\"V1\\\" and "
                "has(household.areas, \\\"D1\\\") and "
                "members(member.sex == \\\"F\\\") == 4 and "
                "members(member.is_head) == 1 and "
                "members(member.relationship == \\\"parent\\\") == 1");
  T_OK(load(z, NULL));
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  CU_ASSERT_EQUAL(s.nProg, 1);
  CU_ASSERT_EQUAL(result(&s, "all-facts", 0)->outcome, SCREEN_YES);
  cases_screening_release(&s);
  free(z);
}

static void test_programme__enrolment_transitions(void)
{
  struct enrolment e;
  int64_t n1, n2, n3;
  T_OK(cases_enrol(t_ctx, g_regno, 4, "social-pension", &n1, &t_err));
  CU_ASSERT_EQUAL(n1, 1);
  T_OK(cases_enrolment_get(t_ctx, n1, &e, &t_err));
  CU_ASSERT_STRING_EQUAL(e.zStatus, "applied");
  CU_ASSERT_EQUAL(e.member, 4);
  CU_ASSERT_STRING_EQUAL(e.zMemberName, "Keo Yim");
  CU_ASSERT_STRING_EQUAL(e.zAppliedBy, "cm1");
  /* applied -> approved; then nothing more */
  T_OK(cases_enrolment_decide(t_ctx, n1, 1, NULL, &t_err));
  T_OK(cases_enrolment_get(t_ctx, n1, &e, &t_err));
  CU_ASSERT_STRING_EQUAL(e.zStatus, "approved");
  CU_ASSERT_STRING_EQUAL(e.zDecidedBy, "cm1");
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, n1, 1, NULL, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already approved"));
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, n1, 0, "no", &t_err),
                  SWS_ECONFLICT);
  /* applied -> rejected needs a reason */
  T_OK(cases_enrol(t_ctx, g_regno, 5, "cash-pregnant-child", &n2, &t_err));
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, n2, 0, "  ", &t_err),
                  SWS_EINVAL);
  T_OK(cases_enrolment_get(t_ctx, n2, &e, &t_err));
  CU_ASSERT_STRING_EQUAL(e.zStatus, "applied");
  T_OK(cases_enrolment_decide(t_ctx, n2, 0, "no IDPoor card", &t_err));
  T_OK(cases_enrolment_get(t_ctx, n2, &e, &t_err));
  CU_ASSERT_STRING_EQUAL(e.zStatus, "rejected");
  CU_ASSERT_STRING_EQUAL(e.zReason, "no IDPoor card");
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, n2, 1, NULL, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, n2, 0, "again", &t_err),
                  SWS_ECONFLICT);
  /* after a rejection, a new application */
  T_OK(cases_enrol(t_ctx, g_regno, 5, "cash-pregnant-child", &n3, &t_err));
  CU_ASSERT_EQUAL(n3, 3);
  /* an approval may carry a note */
  T_OK(cases_enrolment_decide(t_ctx, n3, 1, "card obtained", &t_err));
  T_OK(cases_enrolment_get(t_ctx, n3, &e, &t_err));
  CU_ASSERT_STRING_EQUAL(e.zReason, "card obtained");
  CU_ASSERT_EQUAL(cases_enrolment_decide(t_ctx, 99, 1, NULL, &t_err),
                  SWS_ENOTFOUND);
  /* every write is an audited operation with an outbox row */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE action LIKE "
                        "'enrolment.%'"),
                  6);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox WHERE entity = "
                        "'enrolment'"),
                  6);
}

static void test_programme__enrol_refusals(void)
{
  int64_t n;
  char zOther[SWS_NUMBER_MAX];
  int line;
  /* wrong level, either way */
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 1, "hef", &n, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "without --member"));
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 0, "social-pension", &n,
                              &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "--member N"));
  /* no such programme, no such member */
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 0, "lottery", &n, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 9, "social-pension", &n,
                              &t_err),
                  SWS_ENOTFOUND);
  /* a member who moved to another household is not member 3 here */
  snprintf(zOther, sizeof zOther, "%s",
           t_household("Sok Rith", 'M', "1990", "V1"));
  T_OK(cases_member_move(t_ctx, g_regno, 3, zOther, REL_SIBLING, &line,
                         &t_err));
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 3, "scholarship", &n, &t_err),
                  SWS_ENOTFOUND);
  T_OK(cases_enrol(t_ctx, zOther, line, "scholarship", &n, &t_err));
  /* one live application per person and programme */
  T_OK(cases_enrol(t_ctx, g_regno, 0, "hef", &n, &t_err));
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 0, "hef", &n, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already has a live "
                                "application to 'hef' (enrolment"));
  CU_ASSERT_EQUAL(n, 0);
  /* and the database holds to it even without the check */
  T_OK(cases_op_begin(t_ctx, "test", &t_err));
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db,
                              "INSERT INTO enrolment(id, number, "
                              "household_id, programme_code, applied_at, "
                              "applied_by, updated_at) SELECT "
                              "'00000000-0000-7000-8000-000000000099', 99, "
                              "household_id, programme_code, 'x', 'x', 'x' "
                              "FROM enrolment WHERE programme_code = 'hef'",
                              &t_err),
                      0);
  cases_op_end(t_ctx, SWS_EINVAL, NULL, NULL, NULL, &t_err);
  /* an inactive programme takes no new applications */
  char *z = one(3, "hef", "household", "idpoor == \\\"level1\\\"");
  T_OK(load(z, NULL));
  free(z);
  CU_ASSERT_EQUAL(cases_enrol(t_ctx, g_regno, 4, "social-pension", &n,
                              &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no longer offered"));
  /* refusals wrote nothing: the two applications made are all */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM enrolment"), 2);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE action = "
                        "'enrolment.apply'"),
                  2);
}

static int list_row(const struct enrolment *e, void *arg)
{
  int64_t *a = arg;
  a[++a[0]] = e->number;
  return 0;
}

static void test_programme__enrolment_list(void)
{
  int64_t n, got[5] = {0, 0, 0, 0, 0};
  T_OK(cases_enrol(t_ctx, g_regno, 0, "hef", &n, &t_err));
  T_OK(cases_enrol(t_ctx, g_regno, 4, "social-pension", &n, &t_err));
  T_OK(cases_enrolment_list(t_ctx, g_regno, list_row, got, &t_err));
  CU_ASSERT_EQUAL(got[0], 2);
  CU_ASSERT_EQUAL(got[1], 2); /* newest first */
  CU_ASSERT_EQUAL(got[2], 1);
  /* screening shows the live applications */
  struct screening s;
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  CU_ASSERT_EQUAL(result(&s, "hef", 0)->enrolment, 1);
  CU_ASSERT_STRING_EQUAL(result(&s, "social-pension", 4)->zEnrolStatus,
                         "applied");
  CU_ASSERT_EQUAL(result(&s, "social-pension", 1)->enrolment, 0);
  cases_screening_release(&s);
}

/* A rule's explanation in three languages reaches the screening, and
 * comes back from the stored catalogue; English only reads in English. */
static void test_programme__explanations_in_three_languages(void)
{
  static const char CAT[] =
      "{\"version\": 3, \"programmes\": [{\"code\": \"hef\", \"name\": "
      "\"N\", \"agency\": \"A\", \"guarantee\": \"health\", \"level\": "
      "\"household\", \"rules\": [{\"if\": \"household.size > 1\", "
      "\"explain\": {\"en\": \"a family\", \"km\": \"គ្រួសារ\", \"mn\": "
      "\"өрх\"}}, {\"if\": \"household.size < 99\", \"explain\": "
      "\"not too big\"}]}]}";
  struct screening s;
  struct programme p;
  T_OK(load(CAT, NULL));
  T_OK(cases_screen(t_ctx, g_regno, &s, &t_err));
  const struct screen_result *r = result(&s, "hef", 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(r->nRule, 2);
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zExplain, "a family");
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zExplainKm, "គ្រួសារ");
  CU_ASSERT_STRING_EQUAL(r->aRule[0].zExplainMn, "өрх");
  CU_ASSERT_STRING_EQUAL(cases_langtext_pick("mn", r->aRule[1].zExplain,
                                             r->aRule[1].zExplainKm,
                                             r->aRule[1].zExplainMn),
                         "not too big");
  cases_screening_release(&s);
  T_OK(cases_programme_get(t_ctx, "hef", &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.aRule[0].zExplainKm, "គ្រួសារ");
  cases_programme_clear(&p);
  /* an explanation without English, or not text, is refused */
  char *zBad = sws_mprintf("%.*s{\"km\": \"x\"}}]}]}",
                           (int)(strstr(CAT, "{\"en\"") - CAT), CAT);
  zBad[strlen("{\"version\": ")] = '4';
  CU_ASSERT_EQUAL(load(zBad, NULL), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "needs a text in English"));
  free(zBad);
}

/* The built-in catalogues explain every rule in their country's
 * language. */
static void test_programme__builtin_explanations_translated(void)
{
  static const char *const COUNTRY[][2] = {{"kh", "km"}, {"mn", "mn"}};
  for (size_t c = 0; c < 2; c++) {
    const struct country *k = cases_country_find(COUNTRY[c][0]);
    struct catalogue *cat = NULL;
    int km = strcmp(COUNTRY[c][1], "km") == 0, n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    T_OK(cases_catalogue_parse(k->zProgrammesJson, strlen(k->zProgrammesJson),
                               &cat, &t_err));
    for (int i = 0; i < cat->n; i++)
      for (int j = 0; j < cat->a[i].nRule; j++, n++) {
        const struct programme_rule *r = &cat->a[i].aRule[j];
        CU_ASSERT((km ? r->zExplainKm : r->zExplainMn)[0] != '\0');
      }
    CU_ASSERT(n > 5);
    cases_catalogue_free(cat);
  }
}

static CU_TestInfo tests[] = {
    {"test_programme__explanations_in_three_languages",
     test_programme__explanations_in_three_languages},
    {"test_programme__builtin_explanations_translated",
     test_programme__builtin_explanations_translated},
    {"test_programme__default_catalogue_loads_once",
     test_programme__default_catalogue_loads_once},
    {"test_programme__loader_refuses_bad_catalogues",
     test_programme__loader_refuses_bad_catalogues},
    {"test_programme__new_catalogue_retires_missing",
     test_programme__new_catalogue_retires_missing},
    {"test_programme__screening_without_assessment",
     test_programme__screening_without_assessment},
    {"test_programme__screening_with_assessment",
     test_programme__screening_with_assessment},
    {"test_programme__household_facts", test_programme__household_facts},
    {"test_programme__enrolment_transitions",
     test_programme__enrolment_transitions},
    {"test_programme__enrol_refusals", test_programme__enrol_refusals},
    {"test_programme__enrolment_list", test_programme__enrolment_list},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_programme = {"programme", NULL, NULL, setup, teardown,
                                tests};
