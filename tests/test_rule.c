/*
 * test_rule.c - the rule language: parsing, errors with positions,
 * three-valued logic, members(), explanations.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cases/rule.h"

/* Facts of a made-up household of three. */
struct fam {
  int sel;
};
static const int AGES[] = {67, 35, 3};
static const char *const SEXES[] = {"M", "F", "F"};
static const char *const RISKS[] = {"violence", "eviction"};

static int lookup(void *arg, const char *z, struct rule_value *v)
{
  struct fam *f = arg;
  memset(v, 0, sizeof *v);
  if (strcmp(z, "income") == 0) {
    v->type = RV_NUMBER;
    v->n = 250000;
  } else if (strcmp(z, "unknown_income") == 0) {
    v->type = RV_UNKNOWN;
  } else if (strcmp(z, "risks") == 0) {
    v->type = RV_LIST;
    v->az = RISKS;
    v->nList = 2;
  } else if (strcmp(z, "member.age") == 0 && f->sel >= 0) {
    v->type = RV_NUMBER;
    v->n = AGES[f->sel];
  } else if (strcmp(z, "member.sex") == 0 && f->sel >= 0) {
    v->type = RV_STRING;
    v->z = SEXES[f->sel];
  } else if (strcmp(z, "member.disability") == 0 && f->sel >= 0) {
    v->type = RV_BOOL;
    v->b = f->sel == 0;
  } else {
    return -1;
  }
  return 0;
}

static int count(void *arg)
{
  (void)arg;
  return 3;
}

static void sel(void *arg, int i)
{
  ((struct fam *)arg)->sel = i;
}

/* Evaluate: 1 true, 0 false, -1 unknown, -2 error. */
static int run(const char *zRule, int member, struct buf *used)
{
  struct fam f = {member};
  struct rule_env env = {lookup, count, sel, &f};
  struct rule *r;
  struct rule_value v;
  struct sws_err err = SWS_ERR_INIT;
  if (rule_compile(&r, zRule, &err) != 0)
    return -3;
  int rc = rule_eval(r, &env, &v, used, &err);
  rule_free(r);
  if (rc != 0)
    return -2;
  if (v.type == RV_UNKNOWN)
    return -1;
  return v.type == RV_BOOL ? v.b : -4;
}

static void test_rule__comparisons_and_logic(void)
{
  CU_ASSERT_EQUAL(run("income < 400000", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("income >= 400000", -1, NULL), 0);
  CU_ASSERT_EQUAL(run("income / 5 == 50000", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("(income + 50000) * 2 > 500000", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("not (income < 1)", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("member.age >= 65 and member.disability", 0, NULL), 1);
  CU_ASSERT_EQUAL(run("member.age >= 65 and member.disability", 1, NULL), 0);
  CU_ASSERT_EQUAL(run("member.sex == \"F\" and member.age between 15 and 49",
                      1, NULL),
                  1);
  CU_ASSERT_EQUAL(run("member.sex in [\"F\", \"X\"]", 2, NULL), 1);
  CU_ASSERT_EQUAL(run("has(risks, \"violence\")", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("has(risks, \"flood\")", -1, NULL), 0);
  CU_ASSERT_EQUAL(run("has([\"a\", \"b\"], \"b\")", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("min(3, 5) == 3 and max(3, 5) == 5", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("-income < 0", -1, NULL), 1);
}

static void test_rule__unknown_is_three_valued(void)
{
  CU_ASSERT_EQUAL(run("unknown_income < 400000", -1, NULL), -1);
  CU_ASSERT_EQUAL(run("unknown_income < 400000 and income > 1e9", -1, NULL),
                  0);
  CU_ASSERT_EQUAL(run("unknown_income < 400000 or income > 1", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("unknown_income < 400000 or income > 1e9", -1, NULL),
                  -1);
  CU_ASSERT_EQUAL(run("not (unknown_income < 1)", -1, NULL), -1);
  CU_ASSERT_EQUAL(run("known(unknown_income)", -1, NULL), 0);
  CU_ASSERT_EQUAL(run("income / 0 > 1", -1, NULL), -1);
}

static void test_rule__members_counts(void)
{
  CU_ASSERT_EQUAL(run("members(member.age < 5) == 1", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("members(member.age >= 18) == 2", -1, NULL), 1);
  CU_ASSERT_EQUAL(run("members(member.sex == \"F\") > 2", -1, NULL), 0);
}

static void test_rule__explains_the_facts_used(void)
{
  struct buf used = BUF_INIT;
  CU_ASSERT_EQUAL(run("member.age >= 65 and member.disability", 0, &used),
                  1);
  CU_ASSERT_STRING_EQUAL(buf_str(&used),
                         "member.age = 67; member.disability = yes; ");
  buf_release(&used);
  buf_init(&used, 1000);
  CU_ASSERT_EQUAL(run("members(member.age < 5) > 0", -1, &used), 1);
  CU_ASSERT_STRING_EQUAL(buf_str(&used), "members matching = 1; ");
  buf_release(&used);
}

static void test_rule__errors_name_the_place(void)
{
  struct rule *r = NULL;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(rule_compile(&r, "income <", &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "ends too early"));
  CU_ASSERT_EQUAL(rule_compile(&r, "income < 5 5", &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unexpected text at character 12"));
  CU_ASSERT_EQUAL(rule_compile(&r, "frob(1)", &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(rule_compile(&r, "has(1)", &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(rule_compile(&r, "\"open", &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(rule_compile(&r, "a in b", &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(rule_compile(&r, "x between 1 or 2", &err), SWS_EINVAL);
  char deep[300];
  memset(deep, '(', 100);
  memcpy(deep + 100, "1", 2);
  CU_ASSERT_EQUAL(rule_compile(&r, deep, &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nested too deeply"));
  /* members() in members() would cost size^depth evaluations */
  CU_ASSERT_EQUAL(rule_compile(&r, "members(members(member.age > 1) > 0) "
                               "> 0", &err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot be inside members()"));
  CU_ASSERT_EQUAL(run("members(member.age > 1) > 0 and "
                      "members(member.age < 5) > 0", -1, NULL),
                  1);
  CU_ASSERT_PTR_NULL(r);
  /* type errors and unknown names come at evaluation */
  CU_ASSERT_EQUAL(run("income < \"many\"", -1, NULL), -2);
  CU_ASSERT_EQUAL(run("no_such_fact > 1", -1, NULL), -2);
  CU_ASSERT_EQUAL(run("income and true", -1, NULL), -2);
}

static CU_TestInfo tests[] = {
    {"test_rule__comparisons_and_logic", test_rule__comparisons_and_logic},
    {"test_rule__unknown_is_three_valued",
     test_rule__unknown_is_three_valued},
    {"test_rule__members_counts", test_rule__members_counts},
    {"test_rule__explains_the_facts_used",
     test_rule__explains_the_facts_used},
    {"test_rule__errors_name_the_place", test_rule__errors_name_the_place},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_rule = {"rule", NULL, NULL, NULL, NULL, tests};
