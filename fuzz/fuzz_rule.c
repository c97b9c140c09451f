/*
 * fuzz_rule.c - libFuzzer target: the rule language (cases/rule.c) and
 * the facts rules read (cases/facts.c). The input is a rule's text; it is
 * compiled and, when it compiles, evaluated against a fixed made-up
 * household (numbers, texts, a list, an unknown, three members for
 * members()) and against both probes the loaders use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/facts.h"
#include "cases/rule.h"

struct fam {
  int sel;
};

static const double AGES[] = {67, 35, 3};
static const char *const SEXES[] = {"M", "F", "F"};
static const char *const RISKS[] = {"violence", "eviction"};

static int lookup(void *arg, const char *z, struct rule_value *v)
{
  struct fam *f = arg;
  memset(v, 0, sizeof *v);
  if (strcmp(z, "income") == 0) {
    v->type = RV_NUMBER;
    v->n = 250000;
  } else if (strcmp(z, "zero") == 0) {
    v->type = RV_NUMBER;
  } else if (strcmp(z, "unknown") == 0) {
    v->type = RV_UNKNOWN;
  } else if (strcmp(z, "risks") == 0) {
    v->type = RV_LIST;
    v->az = RISKS;
    v->nList = 2;
  } else if (strcmp(z, "name") == 0) {
    v->type = RV_STRING;
    v->z = "Sok";
  } else if (strcmp(z, "flag") == 0) {
    v->type = RV_BOOL;
    v->b = 1;
  } else if (strcmp(z, "member.age") == 0 && f->sel >= 0) {
    v->type = RV_NUMBER;
    v->n = AGES[f->sel];
  } else if (strcmp(z, "member.sex") == 0 && f->sel >= 0) {
    v->type = RV_STRING;
    v->z = SEXES[f->sel];
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

/* Bare names starting with 'q' are questions (q_m... about members). */
static int question(void *arg, const char *z, struct rule_value *sample)
{
  (void)arg;
  if (z[0] != 'q')
    return FACT_NONE;
  sample->type = RV_NUMBER;
  sample->n = 1;
  return z[1] == '_' && z[2] == 'm' ? FACT_MEMBER : FACT_HOUSEHOLD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  struct rule *r;
  char *z = malloc(size + 1);
  memcpy(z, data, size);
  z[size] = '\0';
  if (rule_compile(&r, z, &err) == 0) {
    struct fam f = {-1};
    struct rule_env env = {lookup, count, sel, &f};
    struct rule_value v;
    struct buf used = BUF_INIT, text = BUF_INIT;
    for (int who = -1; who < 3; who++) {
      f.sel = who;
      buf_reset(&used);
      if (rule_eval(r, &env, &v, &used, &err) == 0)
        rule_value_format(&v, &text);
    }
    for (int probe = FACTS_UNKNOWN; probe <= FACTS_SAMPLE; probe++) {
      for (int at = -1; at <= 0; at++) {
        struct facts fx;
        int out3;
        cases_facts_probe(&fx, probe);
        fx.question = question;
        fx.bAssessmentFacts = at == 0;
        cases_facts_at(&fx, at);
        cases_facts_eval(&fx, r, &out3, &used, &err);
        cases_facts_release(&fx);
      }
    }
    buf_release(&used);
    buf_release(&text);
    rule_free(r);
  }
  free(z);
  return 0;
}
