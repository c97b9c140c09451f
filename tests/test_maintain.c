/*
 * test_maintain.c - index upkeep (cases/maintain.c): the name indexes do
 * not merge inside a registration; the upkeep merges them, leaves them
 * whole, and says when nothing is left to do.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>

#include "cases/household.h"
#include "cases/maintain.h"
#include "cases/search.h"
#include "tests/support.h"

static void reg(const char *zName)
{
  char zRegno[SWS_NUMBER_MAX];
  struct member_input m[1] = {{zName, 'F', "1980", REL_HEAD, NULL, NULL, 0}};
  struct household_input in = {"V1", NULL, NULL, NULL, m, 1, "test"};
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
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
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_maintain = {"maintain", NULL, NULL, t_office_setup,
                               t_office_teardown, tests};
