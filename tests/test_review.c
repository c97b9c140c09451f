/*
 * test_review.c - the supervisor's queue of possible duplicates at the
 * office (cases/review.h): deciding a pair different families (never
 * raised again) or the same family (a merge asked of the registry, its
 * answers), an already decided pair, pages and filters.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "cases/import.h"
#include "cases/review.h"
#include "cases/user.h"
#include "tests/support.h"

static int64_t count(const char *zSql)
{
  int64_t n = -1;
  CU_ASSERT_EQUAL(db_int64(t_ctx->db, &n, -1, zSql, &t_err), 0);
  return n;
}

/* Register a one-person household (despite possible duplicates) in
 * village zArea; its number into zRegno. */
static void reg(const char *zName, char sex, const char *zBorn,
                const char *zArea, char *zRegno)
{
  struct member_input m = {zName, sex, zBorn, REL_HEAD, NULL, NULL, 0};
  struct household_input in = {
      zArea, NULL, NULL, NULL, &m, 1, "registered anyway (test)"};
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
}

static void test_review__counter_pair_is_open_for_a_supervisor(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Sok Dara", 'M', "1979", "V1", zB);
  int64_t id = t_flag_id(t_ctx, zA, zB);
  CU_ASSERT(id > 0);
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(p.zSource, "counter");
  CU_ASSERT_STRING_EQUAL(p.zNote, "registered anyway (test)");
  /* people as people name them, never a UUID */
  char zWant[120];
  snprintf(zWant, sizeof zWant, "member 1 of %s (Sok Dara)", zA);
  CU_ASSERT(strcmp(p.a.zPerson, zWant) == 0 || strcmp(p.b.zPerson, zWant) == 0);
  struct review_counts n;
  T_OK(cases_review_counts(t_ctx, &n, &t_err));
  CU_ASSERT_EQUAL(n.nOpen, 1);
  CU_ASSERT_EQUAL(n.nCounter, 1);
  CU_ASSERT_EQUAL(n.nImport, 0);
}

static void test_review__different_needs_reason_never_raised_again(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zC[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Chan Vanna", 'F', "1985", "V1", zB);
  /* B's second member resembles A's head: a pair, raised at the counter */
  struct member_input m = {"Sok Dara", 'M', "1979", REL_SPOUSE, NULL, NULL, 0};
  T_OK(cases_member_add(t_ctx, zB, &m, "her husband, a namesake", NULL, NULL,
                        &t_err));
  int64_t id = t_flag_id(t_ctx, zA, zB);
  CU_ASSERT_FATAL(id > 0);
  /* the people who resemble each other, not the heads */
  struct review_pair p0;
  char zWant[120];
  T_OK(cases_review_get(t_ctx, id, &p0, &t_err));
  snprintf(zWant, sizeof zWant, "member 2 of %s (Sok Dara)", zB);
  CU_ASSERT_STRING_EQUAL(p0.a.zPerson, zWant);
  snprintf(zWant, sizeof zWant, "member 1 of %s (Sok Dara)", zA);
  CU_ASSERT_STRING_EQUAL(p0.b.zPerson, zWant);
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  cases_set_actor(t_ctx, "sup");
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 0, "  ", ROLE_SUPERVISOR, &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "--reason"));
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 0, NULL, ROLE_SUPERVISOR, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
  T_OK(cases_review_decide(t_ctx, id, 0, "other father, other village",
                           ROLE_SUPERVISOR, &t_err));
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "different");
  CU_ASSERT_STRING_EQUAL(p.zDecidedBy, "sup");
  CU_ASSERT_STRING_EQUAL(p.zReason, "other father, other village");
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE action = "
                        "'duplicate.decide' AND actor = 'sup' AND detail "
                        "LIKE '%different families: other father%'"),
                  1);
  /* another namesake added to B, and to A, resembling each other: the
   * pair decided is not raised again, in either order */
  cases_set_actor(t_ctx, "desk");
  struct member_input m2 = {"Sok Dara", 'M',  "1979", REL_OTHER_RELATIVE,
                            NULL,       NULL, 0};
  T_OK(cases_member_add(t_ctx, zB, &m2, "a cousin", NULL, NULL, &t_err));
  T_OK(cases_member_add(t_ctx, zA, &m2, "a cousin too", NULL, NULL, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag"), 1);
  /* a third household resembling both is raised with each */
  reg("Sok Dara", 'M', "1979", "V1", zC);
  CU_ASSERT(t_flag_id(t_ctx, zC, zA) > 0);
  CU_ASSERT(t_flag_id(t_ctx, zC, zB) > 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag WHERE status "
                        "= 'open'"),
                  2);
}

static int collect(const struct review_pair *p, void *arg);

/* A pair raised on import is listed by its source, with the file. */
static void test_review__import_pair_listed_by_source(void)
{
  char zA[SWS_NUMBER_MAX];
  reg("Keo Samnang", 'M', "1990", "V2", zA);
  const char csv[] = "household_key,name,sex,born,relationship,area,"
                     "national_id,phone\n"
                     "K1,Keo Samnang,M,1990,head,V2,,\n";
  struct import_opts o = {0, "list.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, csv, sizeof csv - 1, &o, &rep, &t_err));
  cases_import_report_release(&rep);
  struct review_filter f = REVIEW_FILTER_INIT;
  int64_t a[4] = {0}, n = 0;
  f.zSource = "import";
  T_OK(cases_review_list(t_ctx, &f, collect, a, &n, &t_err));
  CU_ASSERT_EQUAL(n, 1);
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, a[1], &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zSource, "import");
  CU_ASSERT_STRING_EQUAL(p.zNote, "list.csv");
  CU_ASSERT_STRING_EQUAL(p.b.zRegno, zA);
  struct review_counts c;
  T_OK(cases_review_counts(t_ctx, &c, &t_err));
  CU_ASSERT_EQUAL(c.nImport, 1);
  CU_ASSERT_EQUAL(c.nCounter, 0);
}

static int collect(const struct review_pair *p, void *arg)
{
  int64_t *a = arg;
  a[++a[0]] = p->id;
  return 0;
}

static void test_review__pages_and_filters(void)
{
  char z[SWS_NUMBER_MAX];
  /* 4 pairs in V1, 2 in V2 (each a household resembling the one before
   * it in its village, by a name no other household has) */
  const char *azName[] = {"Sok Dara", "Keo Vanna", "Lim Bora", "Chan Thy"};
  for (int i = 0; i < 4; i++) {
    reg(azName[i], 'M', "1970", "V1", z);
    reg(azName[i], 'M', "1970", "V1", z);
  }
  for (int i = 0; i < 2; i++) {
    reg(azName[i], 'F', "2001", "V2", z);
    reg(azName[i], 'F', "2001", "V2", z);
  }
  struct review_filter f = REVIEW_FILTER_INIT;
  int64_t a[16] = {0}, nTotal = 0;
  f.limit = 4;
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(nTotal, 6);
  CU_ASSERT_EQUAL(a[0], 4);
  int64_t last = a[4];
  memset(a, 0, sizeof a);
  f.offset = 4;
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(a[0], 2);
  CU_ASSERT(a[1] > last); /* oldest first: the second page follows */
  /* by village, by source */
  memset(a, 0, sizeof a);
  f.offset = 0;
  f.limit = 0;
  f.zVillage = "V2";
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(nTotal, 2);
  f.zVillage = NULL;
  f.zSource = "import";
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(nTotal, 0);
  /* decided pairs leave the default list, stay in --all */
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_review_decide(t_ctx, last, 0, "twins' fathers", ROLE_SUPERVISOR,
                           &t_err));
  f.zSource = "counter";
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(nTotal, 5);
  f.bAll = 1;
  T_OK(cases_review_list(t_ctx, &f, collect, a, &nTotal, &t_err));
  CU_ASSERT_EQUAL(nTotal, 6);
  /* what is wrong with a filter is said */
  f.zSource = "phone";
  CU_ASSERT_EQUAL(cases_review_list(t_ctx, &f, collect, a, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "counter or import"));
  f.zSource = NULL;
  f.zVillage = "NOWHERE";
  CU_ASSERT_EQUAL(cases_review_list(t_ctx, &f, collect, a, NULL, &t_err),
                  SWS_EINVAL);
  f.zVillage = NULL;
  f.limit = REVIEW_PAGE_MAX + 1;
  CU_ASSERT_EQUAL(cases_review_list(t_ctx, &f, collect, a, NULL, &t_err),
                  SWS_EINVAL);
}

static void test_review__same_asks_merge_of_later_into_earlier(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], z[200];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Sok Dara", 'M', "1979", "V1", zB);
  int64_t id = t_flag_id(t_ctx, zA, zB);
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_review_decide(t_ctx, id, 1, "same ID card", ROLE_SUPERVISOR,
                           &t_err));
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "same");
  CU_ASSERT_STRING_EQUAL(p.zMerge, "waiting");
  CU_ASSERT_STRING_EQUAL(p.zSurvivorRegno, zA);
  /* both stay visible, with a banner, until the registry answers */
  char zWant[200];
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, p.a.zId, z, sizeof z) +
                      cases_review_banner(t_ctx, p.b.zId, z, sizeof z),
                  2);
  snprintf(zWant, sizeof zWant,
           "proposed for merging into %s, waiting for "
           "the registry",
           zA);
  struct review_merge *am = NULL;
  int n = 0;
  T_OK(cases_review_merges_waiting(t_ctx, 10, &am, &n, &t_err));
  CU_ASSERT_EQUAL_FATAL(n, 1);
  CU_ASSERT_STRING_EQUAL(am[0].zSurvivorRegno, zA);
  CU_ASSERT_STRING_EQUAL(am[0].zMergedRegno, zB);
  CU_ASSERT_STRING_EQUAL(am[0].zBy, "sup");
  CU_ASSERT_STRING_EQUAL(am[0].zReason, "same ID card");
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, am[0].zMerged, z, sizeof z), 1);
  CU_ASSERT_STRING_EQUAL(z, zWant);
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, am[0].zSurvivor, z, sizeof z), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "proposed for merging into this"));
  char zReq[SWS_UUID_LEN + 1], zSurv[SWS_UUID_LEN + 1];
  char zMerged[SWS_UUID_LEN + 1];
  snprintf(zReq, sizeof zReq, "%s", am[0].zRequest);
  snprintf(zSurv, sizeof zSurv, "%s", am[0].zSurvivor);
  snprintf(zMerged, sizeof zMerged, "%s", am[0].zMerged);
  free(am);
  /* the registry refuses: the pair is open again, its reason beside it */
  T_OK(cases_review_merge_answer(t_ctx, zReq, 0,
                                 "KH12-000002-X is merged "
                                 "into another household",
                                 &t_err));
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(p.zMerge, "refused");
  CU_ASSERT_PTR_NOT_NULL(strstr(p.zAnswer, "merged into another"));
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, zMerged, z, sizeof z), 0);
  /* a second answer to the same request changes nothing */
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  T_OK(cases_review_merge_answer(t_ctx, zReq, 1, NULL, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
  /* decided again: a new request, accepted, then the merge comes back */
  T_OK(cases_review_decide(t_ctx, id, 1, NULL, ROLE_SUPERVISOR, &t_err));
  T_OK(cases_review_merges_waiting(t_ctx, 10, &am, &n, &t_err));
  CU_ASSERT_EQUAL_FATAL(n, 1);
  CU_ASSERT_STRING_NOT_EQUAL(am[0].zRequest, zReq);
  T_OK(cases_review_merge_answer(t_ctx, am[0].zRequest, 1, NULL, &t_err));
  free(am);
  T_OK(cases_review_merges_waiting(t_ctx, 10, &am, &n, &t_err));
  CU_ASSERT_EQUAL(n, 0);
  free(am);
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, zMerged, z, sizeof z), 1);
  T_OK(cases_op_begin(t_ctx, "sync.pull", &t_err));
  int rc = cases_review_merge_done(t_ctx, zSurv, zMerged, &t_err);
  T_OK(cases_op_end(t_ctx, rc, NULL, NULL, NULL, &t_err));
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "same");
  CU_ASSERT_STRING_EQUAL(p.zMerge, "merged");
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, zMerged, z, sizeof z), 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE action IN "
                        "('duplicate.decide', 'duplicate.merge_answer')"),
                  4);
}

/* The registry merged the pair the other way round before the request
 * went: the request is answered by the feed and never sent. */
static void test_review__registry_merged_first_closes_request(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Sok Dara", 'M', "1979", "V1", zB);
  int64_t id = t_flag_id(t_ctx, zA, zB);
  T_OK(cases_review_decide(t_ctx, id, 1, NULL, ROLE_SUPERVISOR, &t_err));
  struct review_merge *am = NULL;
  int n = 0;
  T_OK(cases_review_merges_waiting(t_ctx, 10, &am, &n, &t_err));
  CU_ASSERT_EQUAL_FATAL(n, 1);
  T_OK(cases_op_begin(t_ctx, "sync.pull", &t_err));
  int rc =
      cases_review_merge_done(t_ctx, am[0].zMerged, am[0].zSurvivor, &t_err);
  T_OK(cases_op_end(t_ctx, rc, NULL, NULL, NULL, &t_err));
  free(am);
  T_OK(cases_review_merges_waiting(t_ctx, 10, &am, &n, &t_err));
  CU_ASSERT_EQUAL(n, 0);
  free(am);
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zMerge, "merged");
  CU_ASSERT_STRING_EQUAL(p.zStatus, "same");
}

static void test_review__decided_pair_bad_id_inactive_household(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zC[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Sok Dara", 'M', "1979", "V1", zB);
  int64_t id = t_flag_id(t_ctx, zA, zB);
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_review_decide(t_ctx, id, 0, "two families", ROLE_SUPERVISOR,
                           &t_err));
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 1, NULL, ROLE_SUPERVISOR, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already decided"));
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 0, "again", ROLE_SUPERVISOR, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, 99999, 0, "x", ROLE_SUPERVISOR, &t_err),
      SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no possible duplicate 99999"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
  /* a household no longer active is not proposed for a merge */
  cases_set_actor(t_ctx, "desk");
  reg("Sok Dara", 'M', "1979", "V1", zC);
  T_OK(cases_household_deactivate(t_ctx, zC, "registered twice", &t_err));
  cases_set_actor(t_ctx, "sup");
  int64_t id2 = t_flag_id(t_ctx, zA, zC);
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id2, 1, NULL, ROLE_SUPERVISOR, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no longer active"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_merge"), 0);
  /* nor one already proposed for merging elsewhere */
  int64_t id3 = t_flag_id(t_ctx, zB, zC);
  CU_ASSERT(id3 > 0);
  T_OK(cases_household_reactivate(t_ctx, zC, "back", &t_err));
  T_OK(cases_review_decide(t_ctx, id2, 1, NULL, ROLE_SUPERVISOR, &t_err));
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id3, 1, NULL, ROLE_SUPERVISOR, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already proposed for merging"));
}

/* The front desk and case managers do not decide; the administrator and
 * a supervisor do. */
static void test_review__only_supervisor_or_admin_decides(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1979", "V1", zA);
  reg("Sok Dara", 'M', "1979", "V1", zB);
  int64_t id = t_flag_id(t_ctx, zA, zB);
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 0, "no", ROLE_FRONT_DESK, &t_err),
      SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "supervisor"));
  CU_ASSERT_EQUAL(
      cases_review_decide(t_ctx, id, 1, NULL, ROLE_CASE_MANAGER, &t_err),
      SWS_EPERM);
  CU_ASSERT_EQUAL(cases_review_decide(t_ctx, id, 0, "no", 0, &t_err),
                  SWS_EPERM);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag WHERE status "
                        "= 'open'"),
                  1);
  T_OK(cases_review_decide(t_ctx, id, 0, "checked the papers", ROLE_ADMIN,
                           &t_err));
}

static CU_TestInfo tests[] = {
    {"test_review__counter_pair_is_open_for_a_supervisor",
     test_review__counter_pair_is_open_for_a_supervisor},
    {"test_review__different_needs_reason_never_raised_again",
     test_review__different_needs_reason_never_raised_again},
    {"test_review__import_pair_listed_by_source",
     test_review__import_pair_listed_by_source},
    {"test_review__pages_and_filters", test_review__pages_and_filters},
    {"test_review__same_asks_merge_of_later_into_earlier",
     test_review__same_asks_merge_of_later_into_earlier},
    {"test_review__registry_merged_first_closes_request",
     test_review__registry_merged_first_closes_request},
    {"test_review__decided_pair_bad_id_inactive_household",
     test_review__decided_pair_bad_id_inactive_household},
    {"test_review__only_supervisor_or_admin_decides",
     test_review__only_supervisor_or_admin_decides},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_review = {"review",          NULL, NULL, t_office_setup,
                             t_office_teardown, tests};
