/*
 * test_dedup.c - the candidate cache an import keeps between households
 * (cases/dedup.h): the same hits as reading every candidate, kept across
 * the importer's own writes, forgotten when another connection writes,
 * bounded.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/dedup.h"
#include "cases/household.h"
#include "cases/household_int.h"
#include "tests/support.h"

/* Register a one-person household, whatever it resembles; its number in
 * zRegno. */
static void reg(const char *zName, char sex, const char *zBorn,
                const char *zArea, char zRegno[SWS_NUMBER_MAX])
{
  struct member_input m = {zName, sex, zBorn, REL_HEAD, NULL, NULL, 0};
  struct household_input in = {zArea, NULL, NULL, NULL, &m, 1, "test"};
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
}

/* Sok Dara, man, born 1980 in V1: three namesakes close enough, two not. */
static const struct match_person SOK = {"Sok Dara", 'M', "1980", "V1", ""};

static void namesakes(void)
{
  char z[SWS_NUMBER_MAX];
  reg("Sok Dara", 'M', "1980", "V1", z);
  reg("Sok Dara", 'M', "1981", "V2", z);
  reg("Sok Daro", 'M', "1979-04-02", "V1", z);
  reg("Sok Dara", 'M', "1990", "V1", z); /* born too late */
  reg("Sok Dara", 'F', "1980", "V1", z); /* the other sex */
}

static void check_same_hits(const struct dedup_list *a,
                            const struct dedup_list *b)
{
  CU_ASSERT_EQUAL_FATAL(a->n, b->n);
  for (int i = 0; i < a->n; i++) {
    CU_ASSERT_STRING_EQUAL(a->a[i].zRegno, b->a[i].zRegno);
    CU_ASSERT_STRING_EQUAL(a->a[i].zName, b->a[i].zName);
    CU_ASSERT_STRING_EQUAL(a->a[i].zBorn, b->a[i].zBorn);
    CU_ASSERT_STRING_EQUAL(a->a[i].zReasons, b->a[i].zReasons);
    CU_ASSERT_DOUBLE_EQUAL(a->a[i].score, b->a[i].score, 1e-12);
    CU_ASSERT_EQUAL(a->a[i].inactive, b->a[i].inactive);
  }
}

static void test_dedup__cache_gives_the_same_hits(void)
{
  namesakes();
  struct dedup_list plain = DEDUP_LIST_INIT, first = DEDUP_LIST_INIT,
                    again = DEDUP_LIST_INIT;
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, NULL, &plain, &t_err));
  CU_ASSERT_EQUAL(plain.n, 3);

  struct dedup_cache *c = dedup_cache_new(DEDUP_CACHE_MAX);
  const struct dedup_cache_stats *st = dedup_cache_stats(c);
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &first, &t_err));
  CU_ASSERT_EQUAL(st->nMiss, 3);
  CU_ASSERT_EQUAL(st->nHit, 0);
  check_same_hits(&plain, &first);
  /* the next person with that name reads nobody again */
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &again, &t_err));
  CU_ASSERT_EQUAL(st->nMiss, 3);
  CU_ASSERT_EQUAL(st->nHit, 3);
  CU_ASSERT_EQUAL(st->nReset, 0);
  check_same_hits(&plain, &again);

  dedup_list_release(&plain);
  dedup_list_release(&first);
  dedup_list_release(&again);
  dedup_cache_free(c);
}

/* Past its bound the cache starts again, and the hits stay the same. */
static void test_dedup__full_cache_starts_again(void)
{
  namesakes();
  struct dedup_list plain = DEDUP_LIST_INIT, small = DEDUP_LIST_INIT;
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, NULL, &plain, &t_err));
  struct dedup_cache *c = dedup_cache_new(1);
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &small, &t_err));
  CU_ASSERT_EQUAL(dedup_cache_stats(c)->nReset, 2);
  check_same_hits(&plain, &small);
  dedup_list_release(&small);
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &small, &t_err));
  check_same_hits(&plain, &small);
  dedup_list_release(&plain);
  dedup_list_release(&small);
  dedup_cache_free(c);
}

static int64_t data_version(void)
{
  int64_t v = -1;
  T_OK(db_int64(t_ctx->db, &v, -1, "PRAGMA data_version", &t_err));
  return v;
}

/*
 * What the importer writes in its own operations keeps the cache (it only
 * adds people), and so do other connections' writes that change nobody
 * (the web UI merging its name indexes); a change by another connection
 * (a desk officer correcting a birth date while a list is imported)
 * empties it at the next check, so no check compares with a record as it
 * was.
 */
static void test_dedup__other_writers_empty_the_cache(void)
{
  char zPath[300], zFirst[SWS_NUMBER_MAX], z[SWS_NUMBER_MAX];
  char zId[SWS_UUID_LEN + 1];
  snprintf(zPath, sizeof zPath, "%s/office.db", t_tmpdir());
  cases_close(t_ctx);
  t_ctx = t_office_at("KH12", zPath);
  reg("Sok Dara", 'M', "1980", "V1", zFirst);

  struct dedup_cache *c = dedup_cache_new(DEDUP_CACHE_MAX);
  const struct dedup_cache_stats *st = dedup_cache_stats(c);
  struct dedup_list l = DEDUP_LIST_INIT;
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &l, &t_err));
  CU_ASSERT_EQUAL_FATAL(l.n, 1);
  CU_ASSERT_STRING_EQUAL(l.a[0].zBorn, "1980");
  dedup_list_release(&l);

  /* the importer's own operation, checked while in progress */
  struct member_input m = {"Keo Srey", 'F', "1970", REL_HEAD, NULL, NULL, 0};
  struct household_input in = {"V2", NULL, NULL, NULL, &m, 1, NULL};
  T_OK(cases_op_begin(t_ctx, "household.import", &t_err));
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  T_OK(household_insert(t_ctx, &in, zId, z, &t_err));
  T_OK(cases_op_end(t_ctx, 0, "import", "test", "one household", &t_err));
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  CU_ASSERT_EQUAL(st->nReset, 0);

  /* another connection merges the name indexes: a commit, nobody changed */
  struct sws_ctx *other;
  T_OK(cases_open(&other, zPath, 0, &t_err));
  cases_set_actor(other, "desk");
  int64_t v0 = data_version();
  T_OK(db_exec(other->db, "INSERT INTO member_word(member_word) "
               "VALUES ('optimize')", &t_err));
  CU_ASSERT_NOT_EQUAL(data_version(), v0);
  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  CU_ASSERT_EQUAL(st->nReset, 0);
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &l, &t_err));
  CU_ASSERT_EQUAL(st->nHit, 1);
  dedup_list_release(&l);

  /* and corrects a birth date */
  struct member_edit e = {NULL, 0, "1980-05-04", 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(other, zFirst, 1, &e, &t_err));
  cases_close(other);

  T_OK(dedup_cache_check(t_ctx, c, &t_err));
  CU_ASSERT_EQUAL(st->nReset, 1);
  T_OK(cases_dedup_person(t_ctx, &SOK, NULL, c, &l, &t_err));
  CU_ASSERT_EQUAL_FATAL(l.n, 1);
  CU_ASSERT_STRING_EQUAL(l.a[0].zBorn, "1980-05-04");
  CU_ASSERT_EQUAL(st->nHit, 1);
  CU_ASSERT_EQUAL(st->nMiss, 2);
  dedup_list_release(&l);
  dedup_cache_free(c);
}

static CU_TestInfo tests[] = {
    {"test_dedup__cache_gives_the_same_hits",
     test_dedup__cache_gives_the_same_hits},
    {"test_dedup__full_cache_starts_again",
     test_dedup__full_cache_starts_again},
    {"test_dedup__other_writers_empty_the_cache",
     test_dedup__other_writers_empty_the_cache},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_dedup = {"dedup", NULL, NULL, t_office_setup,
                            t_office_teardown, tests};
