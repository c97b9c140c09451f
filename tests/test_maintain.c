/*
 * test_maintain.c - index upkeep (cases/maintain.c): the name indexes do
 * not merge inside a registration; the upkeep merges them, leaves them
 * whole, and says when nothing is left to do. Names enter the indexes at
 * the end of each operation (cases_index_pending), whatever happened to
 * them inside it.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>

#include "cases/household.h"
#include "cases/maintain.h"
#include "cases/search.h"
#include "tests/support.h"

static void reg_into(const char *zName, char zRegno[SWS_NUMBER_MAX])
{
  struct member_input m[1] = {{zName, 'F', "1980", REL_HEAD, NULL, NULL, 0}};
  struct household_input in = {"V1", NULL, NULL, NULL, m, 1, "test"};
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
}

static void reg(const char *zName)
{
  char zRegno[SWS_NUMBER_MAX];
  reg_into(zName, zRegno);
}

static void rename_head(const char *zRegno, const char *zName)
{
  struct member_edit e = {zName, 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zRegno, 1, &e, &t_err));
}

/* Households found by a name search. */
static int found(const char *zQuery)
{
  struct search_result r;
  T_OK(cases_search(t_ctx, zQuery, 20, &r, &t_err));
  int n = r.n;
  cases_search_release(&r);
  return n;
}

/* Rows in a table or matching an FTS5 query, by SQL. */
static int64_t count(const char *zSql)
{
  int64_t n = -1;
  T_OK(db_int64(t_ctx->db, &n, -1, zSql, &t_err));
  return n;
}

/* FTS5's own check of an index against its content table. */
static void integrity(const char *zSql)
{
  T_OK(db_exec(t_ctx->db, zSql, &t_err));
}

static void test_maintain__merges_then_says_done(void)
{
  /* one segment per registration (a transaction each), none merged */
  static const char *azName[] = {"Sok Dara", "សុខ ស្រីមុំ", "Энх Оюун",
                                 "Keo Samnang", "Chan Vuthy", "ជា ដាណាត",
                                 "Батбаатар Сэлэнгэ", "Lim Sophal"};
  for (int i = 0; i < 8; i++)
    reg(azName[i]);
  int bMore = 0;
  T_OK(cases_maintain_step(t_ctx->db, MAINTAIN_STEP_PAGES, &bMore, &t_err));
  CU_ASSERT_EQUAL(bMore, 1); /* there was work */
  T_OK(cases_maintain_all(t_ctx->db, &t_err));
  T_OK(cases_maintain_step(t_ctx->db, MAINTAIN_STEP_PAGES, &bMore, &t_err));
  CU_ASSERT_EQUAL(bMore, 0); /* and now there is none */
  integrity("INSERT INTO member_fts(member_fts) VALUES ('integrity-check')");
  integrity("INSERT INTO member_word(member_word) VALUES ('integrity-check')");
  /* every name is still found, by word and by the middle of a word */
  for (int i = 0; i < 8; i++) {
    struct search_result r;
    T_OK(cases_search(t_ctx, azName[i], 20, &r, &t_err));
    CU_ASSERT_EQUAL(r.n, 1);
    cases_search_release(&r);
  }
  struct search_result r;
  T_OK(cases_search(t_ctx, "amnan", 20, &r, &t_err));
  CU_ASSERT_EQUAL(r.n, 1);
  cases_search_release(&r);
}

/*
 * Inside an operation the new names wait; at its end both indexes take
 * them, including one registered and renamed in the same operation (the
 * index must then hold the last name only), and FTS5 finds both indexes
 * consistent with the member table.
 */
static void test_maintain__names_indexed_at_the_end_of_the_operation(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg_into("Sok Dara", zA); /* committed before */
  T_OK(cases_op_begin(t_ctx, "test.batch", &t_err));
  reg_into("Keo Samnang", zB);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_unindexed"), 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_word "
                        "WHERE member_word MATCH 'samnang'"), 0);
  rename_head(zB, "Keo Sambath"); /* still waiting: nothing to take out */
  rename_head(zA, "Sok Dalin");   /* indexed: taken out, waits again */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_unindexed"), 2);
  T_OK(cases_op_end(t_ctx, 0, "test", "", "", &t_err));

  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_unindexed"), 0);
  integrity("INSERT INTO member_fts(member_fts) VALUES ('integrity-check')");
  integrity("INSERT INTO member_word(member_word) VALUES ('integrity-check')");
  CU_ASSERT_EQUAL(found("Keo Sambath"), 1);
  CU_ASSERT_EQUAL(found("Sok Dalin"), 1);
  CU_ASSERT_EQUAL(found("ambat"), 1); /* the middle of a word: trigrams */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_word "
                        "WHERE member_word MATCH 'samnang OR dara'"), 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_fts "
                        "WHERE member_fts MATCH 'samnang OR dara'"), 0);
}

/* An operation that fails leaves nothing waiting and nothing indexed. */
static void test_maintain__failed_operation_indexes_nothing(void)
{
  char zA[SWS_NUMBER_MAX];
  T_OK(cases_op_begin(t_ctx, "test.batch", &t_err));
  reg_into("Chan Vuthy", zA);
  CU_ASSERT_EQUAL(cases_op_end(t_ctx, SWS_EINVAL, NULL, NULL, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_unindexed"), 0);
  CU_ASSERT_EQUAL(found("Chan Vuthy"), 0);
  integrity("INSERT INTO member_fts(member_fts) VALUES ('integrity-check')");
  integrity("INSERT INTO member_word(member_word) VALUES ('integrity-check')");
}

/* Nothing to do on a new office: no work, no error, any number of times. */
static void test_maintain__idle_office(void)
{
  int bMore = 1;
  for (int i = 0; i < 3; i++) {
    T_OK(cases_maintain_step(t_ctx->db, MAINTAIN_STEP_PAGES, &bMore,
                             &t_err));
    CU_ASSERT_EQUAL(bMore, 0);
  }
}

static CU_TestInfo tests[] = {
    {"test_maintain__merges_then_says_done",
     test_maintain__merges_then_says_done},
    {"test_maintain__idle_office", test_maintain__idle_office},
    {"test_maintain__names_indexed_at_the_end_of_the_operation",
     test_maintain__names_indexed_at_the_end_of_the_operation},
    {"test_maintain__failed_operation_indexes_nothing",
     test_maintain__failed_operation_indexes_nothing},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_maintain = {"maintain", NULL, NULL, t_office_setup,
                               t_office_teardown, tests};
