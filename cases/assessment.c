/*
 * assessment.c - instruments and needs assessments (see assessment.h).
 *
 * An instrument is checked whole before it is stored: JSON shape, every
 * question and option, every scoring rule compiled and evaluated against
 * probe facts (facts.h), every band. It is stored as canonical JSON
 * (sorted keys, compact) with its SHA-256, so loading the same file again
 * is recognised whatever its layout, and a changed file under the same
 * version is refused.
 */
#include "cases/assessment.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/country.h"
#include "cases/household.h"
#include "cases/langtext.h"
#include "cases/screening.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/text.h"

#define MAX_QUESTIONS 200
#define MAX_RULES 500
#define MAX_OPTIONS 100
#define MAX_BANDS 20
#define MAX_TEXT 500   /* question text, explanations, text answers */
#define MAX_POINTS 10000

static const char *const TYPES[] = {NULL, "number", "choice", "multi",
                                    "yes-no", "text"};

const char *cases_question_type_name(int type)
{
  return type >= QT_NUMBER && type <= QT_TEXT ? TYPES[type] : "?";
}

int cases_question_type_parse(const char *z)
{
  for (int i = QT_NUMBER; z && i <= QT_TEXT; i++)
    if (strcmp(z, TYPES[i]) == 0)
      return i;
  return 0;
}

/* ---- parsing an instrument ---- */

void cases_instrument_free(struct instrument *in)
{
  if (in == NULL)
    return;
  for (int i = 0; i < in->nQ; i++) {
    struct instrument_question *q = &in->aQ[i];
    free(q->zId);
    free(q->zDomain);
    free(q->zEn);
    free(q->zKm);
    free(q->zMn);
    for (int k = 0; k < q->nOpt; k++) {
      free(q->aOpt[k].zValue);
      free(q->aOpt[k].zEn);
      free(q->aOpt[k].zKm);
      free(q->aOpt[k].zMn);
    }
    free(q->aOpt);
    rule_free(q->pAskIf);
    free(q->zAskIf);
  }
  free(in->aQ);
  for (int i = 0; i < in->nRule; i++) {
    free(in->aRule[i].zId);
    rule_free(in->aRule[i].pIf);
    free(in->aRule[i].zFlag);
    free(in->aRule[i].zExplain);
    free(in->aRule[i].zExplainKm);
    free(in->aRule[i].zExplainMn);
  }
  free(in->aRule);
  for (int i = 0; i < in->nBand; i++) {
    free(in->aBand[i].zLabel);
    free(in->aBand[i].zLabelKm);
    free(in->aBand[i].zLabelMn);
  }
  free(in->aBand);
  free(in->zTitle);
  free(in->zCanon);
  free(in);
}

const struct instrument_question *
cases_instrument_question(const struct instrument *in, const char *zId)
{
  for (int i = 0; i < in->nQ; i++)
    if (strcmp(in->aQ[i].zId, zId) == 0)
      return &in->aQ[i];
  return NULL;
}

/* Lower-case letters, digits, '-' and '_' (bUnderscore), 1..nMax bytes. */
static int code_ok(const char *z, size_t nMax, int bUnderscore)
{
  size_t n = z ? strlen(z) : 0;
  if (n < 1 || n > nMax)
    return 0;
  for (; *z; z++)
    if (!((*z >= 'a' && *z <= 'z') || (*z >= '0' && *z <= '9') ||
          *z == '-' || (bUnderscore && *z == '_')))
      return 0;
  return 1;
}

/* A question id is a name rules can use: a letter, then letters, digits
 * and '_'; not a word of the rule language or a fact prefix. */
static int question_id_ok(const char *z)
{
  static const char *const RESERVED[] = {
      "and", "or", "not", "in", "between", "true", "false",
      "member", "household", "assessment"};
  if (z == NULL || !(*z >= 'a' && *z <= 'z') || strlen(z) > 40)
    return 0;
  for (const char *p = z; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return 0;
  for (size_t i = 0; i < sizeof RESERVED / sizeof RESERVED[0]; i++)
    if (strcmp(z, RESERVED[i]) == 0)
      return 0;
  return 1;
}

/* A flag is KIND:NAME, both lower-case codes. */
static int flag_ok(const char *z)
{
  const char *colon = z ? strchr(z, ':') : NULL;
  char zKind[41];
  if (colon == NULL || colon == z || (size_t)(colon - z) > 40)
    return 0;
  memcpy(zKind, z, (size_t)(colon - z));
  zKind[colon - z] = '\0';
  return code_ok(zKind, 40, 0) && code_ok(colon + 1, 60, 1);
}

/* The first key of obj not in azAllowed (NULL-terminated), or NULL. */
static const char *unknown_key(json_t *obj, const char *const *azAllowed)
{
  const char *zKey;
  json_t *v;
  json_object_foreach(obj, zKey, v)
  {
    int ok = 0;
    for (const char *const *p = azAllowed; *p && !ok; p++)
      ok = strcmp(*p, zKey) == 0;
    if (!ok)
      return zKey;
  }
  return NULL;
}

/* Text in several languages (langtext.h), of at most MAX_TEXT bytes. */
static int get_text(json_t *v, char **pzEn, char **pzKm, char **pzMn,
                    const char *zWhat, struct sws_err *err)
{
  return cases_langtext_parse(v, MAX_TEXT, pzEn, pzKm, pzMn, zWhat, err);
}

static int parse_options(json_t *jq, struct instrument_question *q,
                         struct sws_err *err)
{
  static const char *const KEYS[] = {"value", "text", NULL};
  json_t *opts = json_object_get(jq, "options"), *o;
  size_t i;
  int needs = q->type == QT_CHOICE || q->type == QT_MULTI;
  if (!needs) {
    if (opts != NULL)
      return sws_err_set(err, SWS_EINVAL, "question '%s': only choice and "
                         "multi questions have options", q->zId);
    return SWS_OK;
  }
  if (!json_is_array(opts) || json_array_size(opts) < 1 ||
      json_array_size(opts) > MAX_OPTIONS)
    return sws_err_set(err, SWS_EINVAL, "question '%s': a %s question needs "
                       "\"options\": a list of 1 to %d {\"value\": code, "
                       "\"text\": {\"en\": ..., \"km\": ...}}", q->zId,
                       cases_question_type_name(q->type), MAX_OPTIONS);
  q->aOpt = sws_calloc(json_array_size(opts), sizeof *q->aOpt);
  json_array_foreach(opts, i, o)
  {
    const char *zValue = json_string_value(json_object_get(o, "value"));
    const char *zBad;
    char zWhat[96];
    if (!json_is_object(o) || !code_ok(zValue, 40, 1))
      return sws_err_set(err, SWS_EINVAL, "question '%s', option %zu: give "
                         "{\"value\": a lower-case code (a-z, 0-9, '-', "
                         "'_'), \"text\": ...}", q->zId, i + 1);
    if ((zBad = unknown_key(o, KEYS)) != NULL)
      return sws_err_set(err, SWS_EINVAL, "question '%s', option '%s': "
                         "unknown field '%.40s'", q->zId, zValue, zBad);
    for (int k = 0; k < q->nOpt; k++)
      if (strcmp(q->aOpt[k].zValue, zValue) == 0)
        return sws_err_set(err, SWS_EINVAL, "question '%s': option '%s' is "
                           "given twice", q->zId, zValue);
    snprintf(zWhat, sizeof zWhat, "question '%s', option '%s'", q->zId,
             zValue);
    struct instrument_option *opt = &q->aOpt[q->nOpt];
    if (get_text(json_object_get(o, "text"), &opt->zEn, &opt->zKm, &opt->zMn,
                 zWhat, err) != 0)
      return err->code;
    opt->zValue = sws_strdup(zValue);
    q->nOpt++;
  }
  return SWS_OK;
}

/* No answer is a fact of "ask_if": who is asked cannot depend on what
 * they answer. */
static int no_question(void *arg, const char *zName, struct rule_value *sample)
{
  (void)arg, (void)zName, (void)sample;
  return FACT_NONE;
}

/* A question's "ask_if": a condition on the member and the household. */
static int parse_ask_if(json_t *jq, struct instrument_question *q,
                        struct sws_err *err)
{
  json_t *j = json_object_get(jq, "ask_if");
  struct sws_err e2 = SWS_ERR_INIT;
  int rc = 0, out3;
  if (j == NULL)
    return SWS_OK;
  if (!json_is_string(j) || sws_blank(json_string_value(j)))
    return sws_err_set(err, SWS_EINVAL,
                       "question '%s': \"ask_if\" is a "
                       "condition, such as \"member.age between 6 and "
                       "17\"",
                       q->zId);
  if (rule_compile(&q->pAskIf, json_string_value(j), &e2) != 0)
    return sws_err_set(err, SWS_EINVAL, "question '%s': ask_if: %s", q->zId,
                       e2.msg);
  q->zAskIf = sws_strdup(json_string_value(j));
  for (int probe = FACTS_UNKNOWN; probe <= FACTS_SAMPLE && rc == 0; probe++) {
    struct facts f;
    cases_facts_probe(&f, probe);
    f.question = no_question;
    cases_facts_at(&f, q->bMember ? 0 : -1);
    rc = cases_facts_eval(&f, q->pAskIf, &out3, NULL, &e2);
    cases_facts_release(&f);
  }
  if (rc != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "question '%s': ask_if may read "
                       "member.* and household.* facts, not answers: %s",
                       q->zId, e2.msg);
  return SWS_OK;
}

/* 1 unless q's ask_if is known not to hold for the member at index k of
 * f (or the household, -1). */
static int asked(const struct instrument_question *q, struct facts *f, int k)
{
  int out3 = -1;
  struct sws_err e = SWS_ERR_INIT;
  if (q->pAskIf == NULL)
    return 1;
  cases_facts_at(f, k);
  if (cases_facts_eval(f, q->pAskIf, &out3, NULL, &e) != 0)
    out3 = -1;
  cases_facts_at(f, -1);
  return out3 != 0;
}

/* The index in f->aMem of member line_no, or -1. */
static int member_index(const struct facts *f, int line_no)
{
  for (int k = 0; k < f->nMem; k++)
    if (f->aMem[k].m->line_no == line_no)
      return k;
  return -1;
}

struct assessment_asked {
  struct facts f;
};

int cases_assessment_asked_open(struct sws_ctx *ctx, const char *zHousehold,
                                struct assessment_asked **out,
                                struct sws_err *err)
{
  struct assessment_asked *a = sws_calloc(1, sizeof *a);
  int rc = cases_facts_init(&a->f, ctx, zHousehold, err);
  if (rc != 0) {
    cases_facts_release(&a->f);
    free(a);
    a = NULL;
  }
  *out = a;
  return rc;
}

int cases_assessment_asked(struct assessment_asked *a,
                           const struct instrument_question *q, int line_no)
{
  if (a == NULL)
    return 1;
  return asked(q, &a->f, line_no ? member_index(&a->f, line_no) : -1);
}

void cases_assessment_asked_close(struct assessment_asked *a)
{
  if (a == NULL)
    return;
  cases_facts_release(&a->f);
  free(a);
}

static int parse_question(json_t *jq, size_t i, struct instrument *in,
                          struct sws_err *err)
{
  static const char *const KEYS[] = {"id",      "domain", "text",     "type",
                                     "options", "scope",  "required", "min",
                                     "max",     "ask_if", NULL};
  const char *zId = json_string_value(json_object_get(jq, "id"));
  const char *zDomain = json_string_value(json_object_get(jq, "domain"));
  const char *zType = json_string_value(json_object_get(jq, "type"));
  const char *zScope = json_string_value(json_object_get(jq, "scope"));
  json_t *req = json_object_get(jq, "required");
  json_t *jmin = json_object_get(jq, "min"), *jmax = json_object_get(jq, "max");
  const char *zBad;
  int rc;
  char zWhat[64];
  if (!json_is_object(jq) || !question_id_ok(zId))
    return sws_err_set(err, SWS_EINVAL, "question %zu: give an \"id\" that "
                       "starts with a letter and has only a-z, 0-9 and '_' "
                       "(at most 40; not a word of the rule language)",
                       i + 1);
  if ((zBad = unknown_key(jq, KEYS)) != NULL)
    return sws_err_set(err, SWS_EINVAL, "question '%s': unknown field "
                       "'%.40s'", zId, zBad);
  if (cases_instrument_question(in, zId))
    return sws_err_set(err, SWS_EINVAL, "question '%s' is given twice", zId);
  struct instrument_question *q = &in->aQ[in->nQ++];
  q->zId = sws_strdup(zId);
  if (!code_ok(zDomain, 40, 1))
    return sws_err_set(err, SWS_EINVAL, "question '%s': give its \"domain\" "
                       "(income, food, health, ...: a lower-case code)", zId);
  q->zDomain = sws_strdup(zDomain);
  if ((q->type = cases_question_type_parse(zType)) == 0)
    return sws_err_set(err, SWS_EINVAL, "question '%s': unknown type "
                       "'%.40s'; use number, choice, multi, yes-no or text",
                       zId, zType ? zType : "(none)");
  if (zScope && strcmp(zScope, "member") == 0)
    q->bMember = 1;
  else if (zScope && strcmp(zScope, "household") != 0)
    return sws_err_set(err, SWS_EINVAL, "question '%s': scope is household "
                       "or member, not '%.40s'", zId, zScope);
  else if (!zScope && json_object_get(jq, "scope"))
    return sws_err_set(err, SWS_EINVAL, "question '%s': scope is household "
                       "or member", zId);
  if (req && !json_is_boolean(req))
    return sws_err_set(err, SWS_EINVAL, "question '%s': \"required\" is "
                       "true or false", zId);
  q->bRequired = json_is_true(req);
  if ((jmin || jmax) && q->type != QT_NUMBER)
    return sws_err_set(err, SWS_EINVAL, "question '%s': only number "
                       "questions have min and max", zId);
  if ((jmin && !json_is_number(jmin)) || (jmax && !json_is_number(jmax)))
    return sws_err_set(err, SWS_EINVAL, "question '%s': min and max are "
                       "numbers", zId);
  q->bMin = jmin != NULL;
  q->bMax = jmax != NULL;
  q->min = json_number_value(jmin);
  q->max = json_number_value(jmax);
  if (q->bMin && q->bMax && q->min > q->max)
    return sws_err_set(err, SWS_EINVAL, "question '%s': min is above max",
                       zId);
  snprintf(zWhat, sizeof zWhat, "question '%s'", zId);
  if (get_text(json_object_get(jq, "text"), &q->zEn, &q->zKm, &q->zMn, zWhat,
               err))
    return err->code;
  if ((rc = parse_ask_if(jq, q, err)) != 0)
    return rc;
  return parse_options(jq, q, err);
}

/* What a bare name is in a scoring rule of `in` (facts.h question()). */
static int instrument_name(void *arg, const char *zName,
                           struct rule_value *sample)
{
  const struct instrument *in = arg;
  const struct instrument_question *q = cases_instrument_question(in, zName);
  if (q == NULL)
    return FACT_NONE;
  switch (q->type) {
  case QT_NUMBER:
    sample->type = RV_NUMBER;
    sample->n = q->bMin ? q->min : q->bMax && q->max < 1 ? q->max : 1;
    break;
  case QT_CHOICE:
    sample->type = RV_STRING;
    sample->z = q->aOpt[0].zValue;
    break;
  case QT_MULTI:
    sample->type = RV_LIST;
    sample->az = (const char *const *)&q->aOpt[0].zValue;
    sample->nList = 1;
    break;
  case QT_YESNO:
    sample->type = RV_BOOL;
    break;
  default:
    sample->type = RV_STRING;
    sample->z = "";
  }
  return q->bMember ? FACT_MEMBER : FACT_HOUSEHOLD;
}

/* Try a rule against both probes: names that are not facts, type errors
 * and conditions that are not yes/no show up here, not at the counter. */
static int probe_rule(const struct instrument *in, const struct rule *r,
                      int bMember, struct sws_err *err)
{
  int rc = 0, out3;
  for (int probe = FACTS_UNKNOWN; probe <= FACTS_SAMPLE && rc == 0; probe++) {
    struct facts f;
    cases_facts_probe(&f, probe);
    f.question = instrument_name;
    f.questionArg = (void *)in;
    cases_facts_at(&f, bMember ? 0 : -1);
    rc = cases_facts_eval(&f, r, &out3, NULL, err);
    cases_facts_release(&f);
  }
  return rc;
}

static int parse_rule(json_t *jr, size_t i, struct instrument *in,
                      struct sws_err *err)
{
  static const char *const KEYS[] = {"id", "scope", "if", "points", "flag",
                                     "explain", NULL};
  const char *zId = json_string_value(json_object_get(jr, "id"));
  const char *zScope = json_string_value(json_object_get(jr, "scope"));
  const char *zIf = json_string_value(json_object_get(jr, "if"));
  const char *zFlag = json_string_value(json_object_get(jr, "flag"));
  json_t *pts = json_object_get(jr, "points");
  const char *zBad;
  struct sws_err e2 = SWS_ERR_INIT;
  if (!json_is_object(jr) || !code_ok(zId, 40, 1))
    return sws_err_set(err, SWS_EINVAL, "scoring rule %zu: give an \"id\" "
                       "(a lower-case code)", i + 1);
  if ((zBad = unknown_key(jr, KEYS)) != NULL)
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': unknown field "
                       "'%.40s'", zId, zBad);
  for (int k = 0; k < in->nRule; k++)
    if (strcmp(in->aRule[k].zId, zId) == 0)
      return sws_err_set(err, SWS_EINVAL, "scoring rule '%s' is given "
                         "twice", zId);
  struct instrument_rule *r = &in->aRule[in->nRule++];
  r->zId = sws_strdup(zId);
  r->zFlag = sws_strdup("");
  if (zScope && strcmp(zScope, "member") == 0)
    r->bMember = 1;
  else if ((zScope && strcmp(zScope, "household") != 0) ||
           (!zScope && json_object_get(jr, "scope")))
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': scope is "
                       "household or member", zId);
  if (zIf == NULL || sws_blank(zIf))
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': give its "
                       "condition (\"if\": \"income_monthly < 300000\")",
                       zId);
  if (rule_compile(&r->pIf, zIf, &e2) != 0 ||
      probe_rule(in, r->pIf, r->bMember, &e2) != 0)
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': %s", zId,
                       e2.msg);
  if (pts && (!json_is_number(pts) || !isfinite(json_number_value(pts)) ||
              fabs(json_number_value(pts)) > MAX_POINTS))
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': points is a "
                       "number from -%d to %d", zId, MAX_POINTS, MAX_POINTS);
  r->points = json_number_value(pts);
  if (json_object_get(jr, "flag")) {
    if (!flag_ok(zFlag))
      return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': a flag is "
                         "KIND:NAME in lower case, such as "
                         "\"vulnerability:food\" or \"skill:tailoring\"",
                         zId);
    free(r->zFlag);
    r->zFlag = sws_strdup(zFlag);
  }
  if (pts == NULL && r->zFlag[0] == '\0')
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s' gives neither "
                       "points nor a flag", zId);
  if (json_object_get(jr, "explain") == NULL)
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': give an "
                       "\"explain\" text saying what it means for the "
                       "family", zId);
  if (get_text(json_object_get(jr, "explain"), &r->zExplain, &r->zExplainKm,
               &r->zExplainMn, "the explanation", &e2) != 0)
    return sws_err_set(err, SWS_EINVAL, "scoring rule '%s': %s", zId, e2.msg);
  return SWS_OK;
}

static int parse_bands(json_t *bands, struct instrument *in,
                       struct sws_err *err)
{
  static const char *const KEYS[] = {"from", "label", NULL};
  size_t i;
  json_t *b;
  if (!json_is_array(bands) || json_array_size(bands) < 1 ||
      json_array_size(bands) > MAX_BANDS)
    return sws_err_set(err, SWS_EINVAL, "the instrument needs \"bands\": 1 "
                       "to %d {\"from\": score, \"label\": code}, lowest "
                       "first", MAX_BANDS);
  in->aBand = sws_calloc(json_array_size(bands), sizeof *in->aBand);
  json_array_foreach(bands, i, b)
  {
    /* "label": the code kept with an assessment, or {"en": code, "km":
     * "...", "mn": "..."}: the code and how it reads in each language */
    json_t *label = json_object_get(b, "label");
    const char *zLabel = json_is_object(label)
                             ? json_string_value(json_object_get(label, "en"))
                             : json_string_value(label);
    json_t *from = json_object_get(b, "from");
    if (!json_is_object(b) || !code_ok(zLabel, 40, 1) ||
        !json_is_number(from) || !isfinite(json_number_value(from)) ||
        unknown_key(b, KEYS) != NULL)
      return sws_err_set(err, SWS_EINVAL,
                         "band %zu: give {\"from\": score, "
                         "\"label\": a lower-case code, or {\"en\": code, "
                         "\"km\": \"...\", \"mn\": \"...\"}}",
                         i + 1);
    for (int k = 0; k < in->nBand; k++)
      if (strcmp(in->aBand[k].zLabel, zLabel) == 0)
        return sws_err_set(err, SWS_EINVAL, "band '%s' is given twice",
                           zLabel);
    if (in->nBand > 0 &&
        json_number_value(from) <= in->aBand[in->nBand - 1].from)
      return sws_err_set(err, SWS_EINVAL, "band '%s': bands go from the "
                         "lowest score up; its \"from\" must be above the "
                         "band before", zLabel);
    struct instrument_band *pb = &in->aBand[in->nBand];
    char *zEn = NULL;
    char zWhat[64];
    snprintf(zWhat, sizeof zWhat, "band '%s': label", zLabel);
    if (get_text(label, &zEn, &pb->zLabelKm, &pb->zLabelMn, zWhat, err) != 0)
      return err->code;
    free(zEn); /* the code itself */
    pb->from = json_number_value(from);
    pb->zLabel = sws_strdup(zLabel);
    in->nBand++;
  }
  return SWS_OK;
}

/* The scoring rule zId of in, or NULL. */
const struct instrument_rule *cases_instrument_rule(const struct instrument *in,
                                                    const char *zId)
{
  for (int i = 0; in && i < in->nRule; i++)
    if (strcmp(in->aRule[i].zId, zId) == 0)
      return &in->aRule[i];
  return NULL;
}

const char *cases_instrument_explain(const struct instrument *in,
                                     const struct assessment_item *it,
                                     const char *zLang)
{
  const struct instrument_rule *r = cases_instrument_rule(in, it->zRule);
  return r ? cases_langtext_pick(zLang, it->zExplain, r->zExplainKm,
                                 r->zExplainMn)
           : it->zExplain;
}

const char *cases_instrument_band_label(const struct instrument *in,
                                        const char *zBand, const char *zLang)
{
  for (int i = 0; in && i < in->nBand; i++)
    if (strcmp(in->aBand[i].zLabel, zBand) == 0)
      return cases_langtext_pick(zLang, zBand, in->aBand[i].zLabelKm,
                                 in->aBand[i].zLabelMn);
  return zBand;
}

int cases_instrument_parse(const char *zJson, size_t n,
                           struct instrument **out, struct sws_err *err)
{
  static const char *const KEYS[] = {"code",        "version",  "title",
                                     "questions",   "rules",    "bands",
                                     "description", "currency", NULL};
  json_error_t jerr;
  json_t *root, *v;
  struct instrument *in = NULL;
  const char *zBad;
  size_t i;
  int rc = SWS_OK;
  *out = NULL;
  if (n > INSTRUMENT_MAX_BYTES)
    return sws_err_set(err, SWS_ETOOBIG, "the instrument is %zu bytes, more "
                       "than %d", n, INSTRUMENT_MAX_BYTES);
  root = json_loadb(zJson, n, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    return sws_err_set(err, SWS_EINVAL, "the instrument is not valid JSON "
                       "(line %d: %s)", jerr.line, jerr.text);
  in = sws_calloc(1, sizeof *in);
  const char *zCode = json_string_value(json_object_get(root, "code"));
  json_t *ver = json_object_get(root, "version");
  json_t *qs = json_object_get(root, "questions");
  json_t *rules = json_object_get(root, "rules");
  if (!json_is_object(root)) {
    rc = sws_err_set(err, SWS_EINVAL, "the instrument is a JSON object "
                     "{\"code\", \"version\", \"title\", \"questions\", "
                     "\"rules\", \"bands\"}");
    goto done;
  }
  if ((zBad = unknown_key(root, KEYS)) != NULL) {
    rc = sws_err_set(err, SWS_EINVAL, "the instrument has an unknown field "
                     "'%.40s'", zBad);
    goto done;
  }
  if (!code_ok(zCode, INSTRUMENT_CODE_MAX, 0)) {
    rc = sws_err_set(err, SWS_EINVAL, "the instrument needs a \"code\" (a-z, "
                     "0-9, '-'; at most %d)", INSTRUMENT_CODE_MAX);
    goto done;
  }
  sws_strlcpy(in->zCode, zCode, sizeof in->zCode);
  if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
      json_integer_value(ver) > 1000000) {
    rc = sws_err_set(err, SWS_EINVAL, "instrument '%s' needs a \"version\": "
                     "a whole number from 1", zCode);
    goto done;
  }
  in->version = (int)json_integer_value(ver);
  if ((rc = get_text(json_object_get(root, "title"), &in->zTitle, NULL, NULL,
                     "the instrument's title", err)) != 0)
    goto done;
  if (!json_is_array(qs) || json_array_size(qs) < 1 ||
      json_array_size(qs) > MAX_QUESTIONS) {
    rc = sws_err_set(err, SWS_EINVAL, "instrument '%s' needs \"questions\": "
                     "a list of 1 to %d", zCode, MAX_QUESTIONS);
    goto done;
  }
  in->aQ = sws_calloc(json_array_size(qs), sizeof *in->aQ);
  json_array_foreach(qs, i, v)
    if ((rc = parse_question(v, i, in, err)) != 0)
      goto done;
  if (rules && (!json_is_array(rules) ||
                json_array_size(rules) > MAX_RULES)) {
    rc = sws_err_set(err, SWS_EINVAL, "instrument '%s': \"rules\" is a list "
                     "of at most %d scoring rules", zCode, MAX_RULES);
    goto done;
  }
  in->aRule = sws_calloc(json_array_size(rules) + 1, sizeof *in->aRule);
  json_array_foreach(rules, i, v)
    if ((rc = parse_rule(v, i, in, err)) != 0)
      goto done;
  if ((rc = parse_bands(json_object_get(root, "bands"), in, err)) != 0)
    goto done;
  if (json_object_get(root, "description") &&
      !json_is_string(json_object_get(root, "description"))) {
    rc = sws_err_set(err, SWS_EINVAL, "the instrument's description is a "
                     "text");
    goto done;
  }
  if ((v = json_object_get(root, "currency")) != NULL) {
    const char *z = json_string_value(v);
    if (z == NULL || strlen(z) != 3 || !isupper((unsigned char)z[0]) ||
        !isupper((unsigned char)z[1]) || !isupper((unsigned char)z[2])) {
      rc = sws_err_set(err, SWS_EINVAL,
                       "the instrument's currency is a "
                       "code of three capital letters (ISO 4217: KHR, MNT)");
      goto done;
    }
    memcpy(in->zCurrency, z, 4);
  }
  {
    unsigned char h[32];
    in->zCanon = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    if (in->zCanon == NULL)
      abort(); /* out of memory inside jansson */
    sws_sha256(h, in->zCanon, strlen(in->zCanon));
    sws_hex(in->zSha, h, sizeof h);
  }
done:
  json_decref(root);
  if (rc != 0) {
    cases_instrument_free(in);
    return rc;
  }
  *out = in;
  return SWS_OK;
}

/* ---- loading and reading instruments ---- */

int cases_instrument_load(struct sws_ctx *ctx, const char *zJson, size_t n,
                          struct instrument_load_report *rep,
                          struct sws_err *err)
{
  struct instrument *in = NULL;
  sqlite3_stmt *q;
  char zDetail[120];
  int rc;
  memset(rep, 0, sizeof *rep);
  if ((rc = cases_instrument_parse(zJson, n, &in, err)) != 0)
    return rc;
  sws_strlcpy(rep->zCode, in->zCode, sizeof rep->zCode);
  rep->version = in->version;
  rep->nQuestions = in->nQ;
  rep->nRules = in->nRule;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT sha256 FROM instrument WHERE code = :c AND "
                       "version = :v",
                       err)) != 0)
    goto out;
  db_bind_text(q, ":c", in->zCode);
  db_bind_int64(q, ":v", in->version);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    if (strcmp(db_col_str(q, 0), in->zSha) == 0) {
      rep->bUnchanged = 1;
      rc = SWS_OK;
    } else {
      rc = sws_err_set(err, SWS_ECONFLICT, "instrument '%s' version %d is "
                       "already loaded with other content; a loaded version "
                       "never changes (old assessments use it): give the "
                       "changed questionnaire a new \"version\"",
                       in->zCode, in->version);
    }
  }
  db_done(ctx->db, q);
  if (rc < 0 || rep->bUnchanged)
    goto out;
  if ((rc = cases_op_begin(ctx, "instrument.load", err)) != 0)
    goto out;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO instrument(code, version, title, "
                       "definition, sha256, loaded_at, loaded_by) VALUES "
                       "(:c, :v, :t, :d, :h, sws_now(), sws_actor())",
                       err)) == 0) {
    db_bind_text(q, ":c", in->zCode);
    db_bind_int64(q, ":v", in->version);
    db_bind_text(q, ":t", in->zTitle);
    db_bind_text(q, ":d", in->zCanon);
    db_bind_text(q, ":h", in->zSha);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  snprintf(zDetail, sizeof zDetail, "%s version %d: %d questions, %d rules",
           in->zCode, in->version, in->nQ, in->nRule);
  rc = cases_op_end(ctx, rc, "instrument", in->zCode, zDetail, err);
out:
  cases_instrument_free(in);
  return rc;
}

int cases_instrument_load_default(struct sws_ctx *ctx, struct sws_err *err)
{
  struct instrument_load_report rep;
  const char *z = cases_country_of(ctx)->zInstrumentJson;
  return cases_instrument_load(ctx, z, strlen(z), &rep, err);
}

int cases_instrument_get(struct sws_ctx *ctx, const char *zCode,
                         int version, struct instrument **out,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  char *zDef = NULL;
  int rc;
  *out = NULL;
  if (zCode == NULL)
    zCode = INSTRUMENT_DEFAULT;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT definition FROM instrument WHERE code = :c "
                       "AND (:v = 0 OR version = :v) ORDER BY version DESC "
                       "LIMIT 1",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  db_bind_int64(q, ":v", version);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    zDef = sws_strdup(db_col_str(q, 0));
  else if (rc == DB_DONE && version)
    rc = sws_err_set(err, SWS_ENOTFOUND, "instrument '%s' has no version %d "
                     "in this office", zCode, version);
  else if (rc == DB_DONE)
    rc = sws_err_set(err, SWS_ENOTFOUND, "no instrument '%s' is loaded; load "
                     "one with 'sws assessment load FILE'", zCode);
  db_done(ctx->db, q);
  if (zDef == NULL)
    return rc;
  rc = cases_instrument_parse(zDef, strlen(zDef), out, err);
  free(zDef);
  return rc;
}

int cases_instrument_asks(struct sws_ctx *ctx, const char *zId)
{
  struct sws_err err = SWS_ERR_INIT;
  sqlite3_stmt *q;
  int found = 0;
  json_t *root, *v;
  size_t i;
  if (db_prepare(ctx->db, &q,
                 "SELECT 1 FROM instrument, json_each(instrument.definition, "
                 "'$.questions') AS qs WHERE json_extract(qs.value, '$.id') "
                 "= :id LIMIT 1",
                 &err) == 0) {
    db_bind_text(q, ":id", zId);
    found = db_step(ctx->db, q, &err) == DB_ROW;
    db_done(ctx->db, q);
  }
  if (found)
    return 1;
  root = json_loads(cases_country_of(ctx)->zInstrumentJson, 0, NULL);
  json_array_foreach(json_object_get(root, "questions"), i, v)
    found |= json_is_string(json_object_get(v, "id")) &&
             strcmp(json_string_value(json_object_get(v, "id")), zId) == 0;
  json_decref(root);
  return found;
}

/* ---- answers ---- */

/* Copy z with Khmer digits (U+17E0..U+17E9) made ASCII and ASCII letters
 * lower-cased, without surrounding spaces; caller frees. */
static char *normalise(const char *z)
{
  char *t = sws_trim(z), *out = sws_malloc(strlen(t) + 1);
  size_t j = 0;
  for (const unsigned char *p = (const unsigned char *)t; *p;) {
    if (p[0] == 0xE1 && p[1] == 0x9F && p[2] >= 0xA0 && p[2] <= 0xA9) {
      out[j++] = (char)('0' + (p[2] - 0xA0));
      p += 3;
    } else {
      out[j++] = (char)tolower(*p++);
    }
  }
  out[j] = '\0';
  free(t);
  return out;
}

static int parse_number(const struct instrument_question *q, const char *zIn,
                        const char *zKey, double *out, struct sws_err *err)
{
  char *end, *z = sws_digits_ascii(zIn); /* ២៥០០០០ is 250000 */
  int ok = *z != '\0';
  for (const char *p = z; *p && ok; p++)
    ok = isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+';
  double v = ok ? strtod(z, &end) : 0;
  ok = ok && *end == '\0' && isfinite(v);
  free(z);
  if (!ok)
    return sws_err_set(err, SWS_EINVAL,
                       "%s is a number question; '%.40s' "
                       "is not a number (write 250000, not 250,000)",
                       zKey, zIn);
  if ((q->bMin && v < q->min) || (q->bMax && v > q->max)) {
    struct buf b = BUF_INIT;
    struct rule_value lo = {RV_NUMBER, 0, q->min, NULL, NULL, 0};
    struct rule_value hi = {RV_NUMBER, 0, q->max, NULL, NULL, 0};
    if (q->bMin && q->bMax) {
      buf_puts(&b, "from ");
      rule_value_format(&lo, &b);
      buf_puts(&b, " to ");
      rule_value_format(&hi, &b);
    } else {
      buf_puts(&b, q->bMin ? "at least " : "at most ");
      rule_value_format(q->bMin ? &lo : &hi, &b);
    }
    sws_err_set(err, SWS_EINVAL, "%s must be %s, not %.40s", zKey, buf_str(&b),
                zIn);
    buf_release(&b);
    return SWS_EINVAL;
  }
  *out = v;
  return SWS_OK;
}

static int option_index(const struct instrument_question *q, const char *z)
{
  for (int k = 0; k < q->nOpt; k++)
    if (strcmp(q->aOpt[k].zValue, z) == 0)
      return k;
  return -1;
}

static void options_list(const struct instrument_question *q, struct buf *b)
{
  for (int k = 0; k < q->nOpt && b->n < 160; k++)
    buf_appendf(b, "%s%s", k ? ", " : "", q->aOpt[k].zValue);
  if (b->n >= 160)
    buf_puts(b, ", ...");
}

static int bad_option(const struct instrument_question *q, const char *zKey,
                      const char *z, struct sws_err *err)
{
  struct buf b = BUF_INIT;
  options_list(q, &b);
  sws_err_set(err, SWS_EINVAL, "%s: '%.40s' is not one of its options (%s)",
              zKey, z, buf_str(&b));
  buf_release(&b);
  return SWS_EINVAL;
}

/* Check one value typed for question q and fill x (its value) and j (its
 * JSON for storage). */
static int parse_value(const struct instrument_question *q, const char *zKey,
                       const char *zRaw, struct answer *x, json_t **j,
                       struct sws_err *err)
{
  static const char *const YES[] = {"yes", "y", "true", "1", "បាទ", "ចាស",
                                    "тийм"};
  static const char *const NO[] = {"no", "n", "false", "0", "ទេ", "үгүй"};
  char *z = normalise(zRaw);
  int rc = SWS_OK;
  if (q->type != QT_TEXT && *z == '\0') {
    rc = sws_err_set(err, SWS_EINVAL, "%s has no value; give one or leave "
                     "the question out", zKey);
    goto out;
  }
  switch (q->type) {
  case QT_NUMBER:
    if ((rc = parse_number(q, z, zKey, &x->v.n, err)) == 0) {
      x->v.type = RV_NUMBER;
      *j = json_real(x->v.n);
      if (x->v.n == floor(x->v.n) && fabs(x->v.n) < 1e15) {
        json_decref(*j);
        *j = json_integer((json_int_t)x->v.n);
      }
    }
    break;
  case QT_YESNO:
    x->v.type = RV_BOOL;
    x->v.b = -1;
    for (size_t k = 0; k < sizeof YES / sizeof YES[0]; k++)
      if (strcmp(z, YES[k]) == 0)
        x->v.b = 1;
    for (size_t k = 0; k < sizeof NO / sizeof NO[0]; k++)
      if (strcmp(z, NO[k]) == 0)
        x->v.b = 0;
    if (x->v.b < 0) {
      rc = sws_err_set(err, SWS_EINVAL, "%s is a yes-no question; answer yes "
                       "or no, not '%.40s'", zKey, zRaw);
      break;
    }
    *j = json_boolean(x->v.b);
    break;
  case QT_CHOICE:
    if (option_index(q, z) < 0) {
      rc = bad_option(q, zKey, zRaw, err);
      break;
    }
    x->azItem = sws_calloc(1, sizeof *x->azItem);
    x->azItem[x->nItem++] = sws_strdup(z);
    x->v.type = RV_STRING;
    x->v.z = x->azItem[0];
    *j = json_string(z);
    break;
  case QT_MULTI: {
    char *save = NULL, *part;
    x->azItem = sws_calloc((size_t)q->nOpt, sizeof *x->azItem);
    *j = json_array();
    for (part = strtok_r(z, ",", &save); part;
         part = strtok_r(NULL, ",", &save)) {
      char *t = sws_trim(part);
      int k = option_index(q, t), dup = 0;
      if (k < 0) {
        rc = bad_option(q, zKey, t, err);
        free(t);
        break;
      }
      for (int m = 0; m < x->nItem; m++)
        dup |= strcmp(x->azItem[m], t) == 0;
      if (!dup && x->nItem < q->nOpt) {
        x->azItem[x->nItem++] = sws_strdup(t);
        json_array_append_new(*j, json_string(t));
      }
      free(t);
    }
    if (rc == 0 && x->nItem == 0)
      rc = sws_err_set(err, SWS_EINVAL, "%s: give one or more of its "
                       "options, separated by commas", zKey);
    x->v.type = RV_LIST;
    x->v.az = (const char *const *)x->azItem;
    x->v.nList = x->nItem;
    break;
  }
  default: {
    char *t = sws_trim(zRaw);
    if ((rc = sws_text_check(zKey, t, MAX_TEXT, 0, err)) == 0) {
      x->azItem = sws_calloc(1, sizeof *x->azItem);
      x->azItem[x->nItem++] = t;
      x->v.type = RV_STRING;
      x->v.z = t;
      *j = json_string(t);
    } else {
      free(t);
    }
  }
  }
out:
  free(z);
  return rc;
}

/* Questionnaire order: by question, then member. */
struct ordered {
  struct answer a;
  int iQ;
  json_t *j;
};

static int cmp_ordered(const void *pa, const void *pb)
{
  const struct ordered *a = pa, *b = pb;
  if (a->iQ != b->iQ)
    return a->iQ < b->iQ ? -1 : 1;
  return (a->a.member > b->a.member) - (a->a.member < b->a.member);
}

/* Check every "KEY=VALUE" against the instrument and household; fills
 * *pa (questionnaire order) and the JSON object to store. */
static int check_answers(const struct instrument *in, struct facts *f,
                         const char *const *azAnswer, int nAnswer,
                         struct answer **pa, int *pn, json_t **pJson,
                         struct sws_err *err)
{
  struct ordered *o;
  int n = 0, rc = SWS_OK;
  *pa = NULL;
  *pn = 0;
  *pJson = NULL;
  if (nAnswer > ASSESSMENT_MAX_ANSWERS)
    return sws_err_set(err, SWS_ETOOBIG, "%d answers are more than the "
                       "limit of %d", nAnswer, ASSESSMENT_MAX_ANSWERS);
  o = sws_calloc((size_t)nAnswer + 1, sizeof *o);
  for (int i = 0; i < nAnswer && rc == 0; i++) {
    const char *zEq = strchr(azAnswer[i], '=');
    char *zKey = zEq ? sws_strndup(azAnswer[i],
                                   (size_t)(zEq - azAnswer[i]))
                     : sws_strdup(azAnswer[i]);
    char *zTrim = sws_trim(zKey), *zQ = NULL;
    struct ordered *x = &o[n];
    const struct instrument_question *q = NULL;
    int member = 0;
    free(zKey);
    if (zEq == NULL || *zTrim == '\0') {
      rc = sws_err_set(err, SWS_EINVAL, "answers are KEY=VALUE, not "
                       "'%.60s'", azAnswer[i]);
    } else {
      const char *at = strchr(zTrim, '@');
      int64_t line = 0;
      zQ = at ? sws_strndup(zTrim, (size_t)(at - zTrim)) : sws_strdup(zTrim);
      if (at && sws_parse_int64("", at + 1, 1, 1000, &line, NULL) != 0)
        rc = sws_err_set(err, SWS_EINVAL, "'%.60s': a member's answer is "
                         "QUESTION@N with N the member number", zTrim);
      member = (int)line;
      if (rc == 0 && (q = cases_instrument_question(in, zQ)) == NULL)
        rc = sws_err_set(err, SWS_EINVAL, "instrument '%s' version %d has "
                         "no question '%.40s' (see 'sws assessment "
                         "questions')", in->zCode, in->version, zQ);
      if (rc == 0 && q->bMember && member == 0)
        rc = sws_err_set(err, SWS_EINVAL, "question '%s' is asked about "
                         "each member: answer it as %s@N=VALUE for member "
                         "N", q->zId, q->zId);
      if (rc == 0 && !q->bMember && member != 0)
        rc = sws_err_set(err, SWS_EINVAL, "question '%s' is about the "
                         "household: answer it as %s=VALUE, without @%d",
                         q->zId, q->zId, member);
      if (rc == 0 && member) {
        int found = 0;
        for (int k = 0; k < f->nMem; k++)
          found |= f->aMem[k].m->line_no == member;
        const struct member *m = cases_household_member(&f->h, member);
        if (!found && m)
          rc = sws_err_set(err, SWS_EINVAL, "%s: member %d of %s is %s; "
                           "only active members are assessed", zTrim,
                           member, f->h.zRegno, m->zStatus);
        else if (!found)
          rc = sws_err_set(err, SWS_EINVAL, "%s: household %s has no member "
                           "%d (see 'sws household show %s')", zTrim,
                           f->h.zRegno, member, f->h.zRegno);
      }
      if (rc == 0 && !asked(q, f, member ? member_index(f, member) : -1))
        rc = sws_err_set(err, SWS_EINVAL,
                         "%s: question '%s' is not asked "
                         "%s (it is asked when %s)",
                         zTrim, q->zId,
                         member ? "of this member" : "of this household",
                         q->zAskIf);
      for (int k = 0; rc == 0 && k < n; k++)
        if (o[k].a.member == member && strcmp(o[k].a.zQuestion, zQ) == 0)
          rc = sws_err_set(err, SWS_EINVAL, "%s is answered twice", zTrim);
    }
    if (rc == 0) {
      x->a.zQuestion = zQ;
      zQ = NULL;
      x->a.member = member;
      x->a.zKey = member ? sws_mprintf("%s@%d", q->zId, member)
                         : sws_strdup(q->zId);
      x->iQ = (int)(q - in->aQ);
      n++;
      rc = parse_value(q, zTrim, zEq + 1, &x->a, &x->j, err);
    }
    free(zQ);
    free(zTrim);
  }
  /* required questions: the household's, and each active member's */
  for (int i = 0; rc == 0 && i < in->nQ; i++) {
    const struct instrument_question *q = &in->aQ[i];
    if (!q->bRequired)
      continue;
    for (int k = 0; rc == 0 && k < (q->bMember ? f->nMem : 1); k++) {
      int line = q->bMember ? f->aMem[k].m->line_no : 0, found = 0;
      /* not asked of this one: nothing to require */
      found = !asked(q, f, q->bMember ? k : -1);
      for (int m = 0; m < n && !found; m++)
        found = o[m].iQ == i && o[m].a.member == line;
      if (!found && line)
        rc = sws_err_set(err, SWS_EINVAL, "question '%s' is required for "
                         "every member; give --answer %s@%d=VALUE", q->zId,
                         q->zId, line);
      else if (!found)
        rc = sws_err_set(err, SWS_EINVAL, "question '%s' is required; give "
                         "--answer %s=VALUE", q->zId, q->zId);
    }
  }
  if (rc == 0) {
    qsort(o, (size_t)n, sizeof *o, cmp_ordered);
    *pJson = json_object();
    *pa = sws_calloc((size_t)n + 1, sizeof **pa);
    for (int i = 0; i < n; i++) {
      json_object_set_new(*pJson, o[i].a.zKey, o[i].j);
      o[i].j = NULL;
      (*pa)[i] = o[i].a; /* moves: its strings stay where they are */
      memset(&o[i].a, 0, sizeof o[i].a);
    }
    *pn = n;
  }
  for (int i = 0; i < n; i++) {
    cases_answer_clear(&o[i].a);
    json_decref(o[i].j);
  }
  free(o);
  return rc;
}

/* ---- scoring ---- */

static void items_free(struct assessment_item *a, int n)
{
  for (int i = 0; i < n; i++) {
    free(a[i].zRule);
    free(a[i].zFlag);
    free(a[i].zExplain);
    free(a[i].zBecause);
  }
  free(a);
}

/* "a = 1; b = 2; " -> "a = 1; b = 2"; caller frees. */
static char *because_text(const struct buf *used)
{
  char *z = sws_strdup(buf_str(used));
  size_t n = strlen(z);
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == ';'))
    z[--n] = '\0';
  return z;
}

struct scoring {
  struct assessment_item *aItem;
  int nItem, nAlloc;
  double score;
};

static void add_item(struct scoring *s, const struct instrument_rule *r,
                     int member, int outcome, const struct buf *used)
{
  if (s->nItem == s->nAlloc) {
    s->nAlloc = s->nAlloc ? 2 * s->nAlloc : 16;
    s->aItem = sws_realloc(s->aItem, sizeof *s->aItem * (size_t)s->nAlloc);
  }
  struct assessment_item *it = &s->aItem[s->nItem++];
  it->zRule = sws_strdup(r->zId);
  it->member = member;
  it->outcome = outcome;
  it->points = outcome == 1 ? r->points : 0;
  it->zFlag = sws_strdup(outcome == 1 ? r->zFlag : "");
  it->zExplain = sws_strdup(r->zExplain);
  it->zBecause = because_text(used);
  s->score += it->points;
}

/* Apply every scoring rule; a rule that neither holds nor is unknown adds
 * nothing and is not listed. */
static int score_all(const struct instrument *in, struct facts *f,
                     struct scoring *s, struct sws_err *err)
{
  struct sws_err e2 = SWS_ERR_INIT;
  struct buf used = BUF_INIT;
  int rc = SWS_OK;
  for (int i = 0; i < in->nRule && rc == 0; i++) {
    const struct instrument_rule *r = &in->aRule[i];
    int nTimes = r->bMember ? f->nMem : 1;
    for (int k = 0; k < nTimes && rc == 0; k++) {
      int out3;
      buf_reset(&used);
      cases_facts_at(f, r->bMember ? k : -1);
      if (cases_facts_eval(f, r->pIf, &out3, &used, &e2) != 0) {
        rc = sws_err_set(err, SWS_EINVAL, "scoring rule '%s' of instrument "
                         "'%s' version %d failed: %s", r->zId, in->zCode,
                         in->version, e2.msg);
        break;
      }
      if (out3 != 0)
        add_item(s, r, r->bMember ? f->aMem[k].m->line_no : 0, out3, &used);
    }
  }
  cases_facts_at(f, -1);
  buf_release(&used);
  return rc;
}

static const char *band_of(const struct instrument *in, double score)
{
  const char *z = in->aBand[0].zLabel;
  for (int i = 0; i < in->nBand; i++)
    if (score >= in->aBand[i].from)
      z = in->aBand[i].zLabel;
  return z;
}

static json_t *items_json(const struct assessment_item *a, int n)
{
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(a[i].zRule));
    json_object_set_new(o, "member", json_integer(a[i].member));
    json_object_set_new(o, "outcome",
                        json_string(a[i].outcome == 1 ? "yes" : "unknown"));
    json_object_set_new(o, "points", json_real(a[i].points));
    json_object_set_new(o, "flag", json_string(a[i].zFlag));
    json_object_set_new(o, "explain", json_string(a[i].zExplain));
    json_object_set_new(o, "because", json_string(a[i].zBecause));
    json_array_append_new(arr, o);
  }
  return arr;
}

static char *dump(json_t *j)
{
  char *z = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (z == NULL)
    abort(); /* out of memory inside jansson */
  return z;
}

int cases_assessment_add(struct sws_ctx *ctx, const char *zRegno,
                         const char *zCode, const char *const *azAnswer,
                         int nAnswer, int64_t *pNumber, struct sws_err *err)
{
  struct instrument *in = NULL;
  struct case_info c;
  struct facts f;
  struct scoring s = {NULL, 0, 0, 0};
  struct answer *aAnswer = NULL;
  json_t *answers = NULL, *flags = json_array();
  char zHh[SWS_UUID_LEN + 1], zCanon[SWS_NUMBER_MAX];
  char zId[SWS_UUID_LEN + 1] = "", zDetail[200];
  char *zAnswers = NULL, *zFlags = NULL, *zExpl = NULL;
  sqlite3_stmt *q;
  int nA = 0, rc, bFacts = 0;
  const char *zBand;
  *pNumber = 0;
  if ((rc = cases_household_resolve(ctx, zRegno, 1, zHh, zCanon, NULL,
                                    err)) != 0 ||
      (rc = cases_case_get_open(ctx, zCanon, &c, err)) != 0)
    goto out;
  if ((rc = cases_instrument_get(ctx, zCode, 0, &in, err)) != 0)
    goto out;
  if ((rc = cases_facts_init(&f, ctx, zHh, err)) != 0) {
    cases_facts_release(&f);
    goto out;
  }
  bFacts = 1;
  if (strcmp(f.h.zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s is deactivated; "
                     "reactivate it first", f.h.zRegno);
    goto out;
  }
  if ((rc = check_answers(in, &f, azAnswer, nAnswer, &aAnswer, &nA, &answers,
                          err)) != 0)
    goto out;
  f.aAnswer = aAnswer;
  f.nAnswer = nA;
  f.question = instrument_name;
  f.questionArg = in;
  if ((rc = score_all(in, &f, &s, err)) != 0)
    goto out;
  zBand = band_of(in, s.score);
  for (int i = 0; i < s.nItem; i++) {
    const char *zFlag = s.aItem[i].zFlag;
    int dup = 0;
    size_t k;
    json_t *v;
    json_array_foreach(flags, k, v)
      dup |= strcmp(json_string_value(v), zFlag) == 0;
    if (*zFlag && !dup)
      json_array_append_new(flags, json_string(zFlag));
  }
  zAnswers = dump(answers);
  zFlags = dump(flags);
  {
    json_t *e = items_json(s.aItem, s.nItem);
    zExpl = dump(e);
    json_decref(e);
  }
  if ((rc = cases_op_begin(ctx, "assessment.add", err)) != 0)
    goto out;
  if ((rc = cases_counter_next(ctx, "assessment", pNumber, err)) != 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO assessment(id, number, case_id, "
                       "household_id, instrument_code, instrument_version, "
                       "answers, score, band, flags, explanation, "
                       "assessed_at, assessed_by) VALUES (:id, :n, :c, :hh, "
                       ":ic, :iv, :a, :s, :b, :f, :e, sws_now(), "
                       "sws_actor())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_int64(q, ":n", *pNumber);
  db_bind_text(q, ":c", c.zId);
  db_bind_text(q, ":hh", zHh);
  db_bind_text(q, ":ic", in->zCode);
  db_bind_int64(q, ":iv", in->version);
  db_bind_text(q, ":a", zAnswers);
  db_bind_double(q, ":s", s.score);
  db_bind_text(q, ":b", zBand);
  db_bind_text(q, ":f", zFlags);
  db_bind_text(q, ":e", zExpl);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
  /* the new assessment deleted the kept screening: keep the new one now,
   * so the next report need not screen the household */
  if (rc == 0)
    cases_screening_keep(ctx, zHh);
done:
  snprintf(zDetail, sizeof zDetail,
           "assessment %lld of %s: %s version %d, "
           "score %g (%s)",
           (long long)*pNumber, zCanon, in->zCode, in->version, s.score, zBand);
  rc = cases_op_end(ctx, rc, "assessment", zId, zDetail, err);
  if (rc != 0)
    *pNumber = 0;
out:
  if (bFacts)
    cases_facts_release(&f);
  cases_instrument_free(in);
  cases_answers_free(aAnswer, nA);
  items_free(s.aItem, s.nItem);
  json_decref(answers);
  json_decref(flags);
  free(zAnswers);
  free(zFlags);
  free(zExpl);
  return rc;
}

/* ---- reading ---- */

void cases_assessment_release(struct assessment *a)
{
  for (int i = 0; i < a->nFlag; i++)
    free(a->azFlag[i]);
  free(a->azFlag);
  cases_answers_free(a->aAnswer, a->nAnswer);
  items_free(a->aItem, a->nItem);
  memset(a, 0, sizeof *a);
}

static int parse_items(const char *zJson, struct assessment *a,
                       struct sws_err *err)
{
  json_t *root = json_loads(zJson, 0, NULL), *v;
  size_t i;
  if (!json_is_array(root)) {
    json_decref(root);
    return sws_err_set(err, SWS_EINVAL, "the explanation of assessment %lld "
                       "is damaged", (long long)a->number);
  }
  a->aItem = sws_calloc(json_array_size(root) + 1, sizeof *a->aItem);
  json_array_foreach(root, i, v)
  {
    struct assessment_item *it = &a->aItem[a->nItem++];
    const char *zOut = json_string_value(json_object_get(v, "outcome"));
    const char *z;
    it->zRule = sws_strdup((z = json_string_value(json_object_get(v, "rule")))
                               ? z : "");
    it->member = (int)json_integer_value(json_object_get(v, "member"));
    it->outcome = zOut && strcmp(zOut, "yes") == 0 ? 1 : -1;
    it->points = json_number_value(json_object_get(v, "points"));
    it->zFlag = sws_strdup((z = json_string_value(json_object_get(v, "flag")))
                               ? z : "");
    it->zExplain = sws_strdup(
        (z = json_string_value(json_object_get(v, "explain"))) ? z : "");
    it->zBecause = sws_strdup(
        (z = json_string_value(json_object_get(v, "because"))) ? z : "");
  }
  json_decref(root);
  return SWS_OK;
}

static int parse_flags(const char *zJson, struct assessment *a)
{
  json_t *root = json_loads(zJson, 0, NULL), *v;
  size_t i;
  a->azFlag = sws_calloc(json_array_size(root) + 1, sizeof *a->azFlag);
  json_array_foreach(root, i, v)
    if (json_is_string(v))
      a->azFlag[a->nFlag++] = sws_strdup(json_string_value(v));
  json_decref(root);
  return SWS_OK;
}

#define SELECT_ASSESSMENT                                                      \
  "SELECT a.number, a.id, a.case_id, a.household_id, h.regno, "                \
  "a.instrument_code, a.instrument_version, a.score, a.band, a.flags, "        \
  "a.answers, a.explanation, a.assessed_at, a.assessed_by FROM assessment "    \
  "a JOIN household h ON h.id = a.household_id "

static int fill(sqlite3_stmt *q, struct assessment *a, struct sws_err *err)
{
  int rc;
  a->number = db_col_int64(q, 0);
  sws_strlcpy(a->zId, db_col_str(q, 1), sizeof a->zId);
  sws_strlcpy(a->zCaseId, db_col_str(q, 2), sizeof a->zCaseId);
  sws_strlcpy(a->zHouseholdId, db_col_str(q, 3), sizeof a->zHouseholdId);
  sws_strlcpy(a->zRegno, db_col_str(q, 4), sizeof a->zRegno);
  sws_strlcpy(a->zInstrument, db_col_str(q, 5), sizeof a->zInstrument);
  a->version = (int)db_col_int64(q, 6);
  a->score = db_col_double(q, 7);
  sws_strlcpy(a->zBand, db_col_str(q, 8), sizeof a->zBand);
  parse_flags(db_col_str(q, 9), a);
  if ((rc = cases_answers_parse(db_col_str(q, 10), &a->aAnswer, &a->nAnswer,
                                err)) != 0 ||
      (rc = parse_items(db_col_str(q, 11), a, err)) != 0)
    return rc;
  sws_strlcpy(a->zAt, db_col_str(q, 12), sizeof a->zAt);
  sws_strlcpy(a->zBy, db_col_str(q, 13), sizeof a->zBy);
  return SWS_OK;
}

/* Run SELECT_ASSESSMENT + zWhere with :k bound to zKey or iKey. */
static int get_one(struct sws_ctx *ctx, const char *zSql, const char *zKey,
                   int64_t iKey, struct assessment *out, int *pFound,
                   struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  *pFound = 0;
  if ((rc = db_prepare(ctx->db, &q, zSql, err)) != 0)
    return rc;
  if (zKey)
    db_bind_text(q, ":k", zKey);
  else
    db_bind_int64(q, ":k", iKey);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *pFound = 1;
    rc = fill(q, out, err);
  }
  db_done(ctx->db, q);
  if (rc != 0)
    cases_assessment_release(out);
  return rc < 0 ? rc : SWS_OK;
}

int cases_assessment_get(struct sws_ctx *ctx, int64_t number,
                         struct assessment *out, struct sws_err *err)
{
  int found, rc;
  memset(out, 0, sizeof *out);
  if ((rc = get_one(ctx, SELECT_ASSESSMENT "WHERE a.number = :k", NULL,
                    number, out, &found, err)) != 0)
    return rc;
  if (!found)
    return sws_err_set(err, SWS_ENOTFOUND, "no assessment %lld in this "
                       "office (see 'sws assessment list REGNO')",
                       (long long)number);
  return SWS_OK;
}

int cases_assessment_latest(struct sws_ctx *ctx, const char *zHousehold,
                            struct assessment *out, struct sws_err *err)
{
  char zHh[SWS_UUID_LEN + 1];
  int found, rc;
  memset(out, 0, sizeof *out);
  if (strlen(zHousehold) == SWS_UUID_LEN)
    sws_strlcpy(zHh, zHousehold, sizeof zHh);
  else if ((rc = cases_household_resolve(ctx, zHousehold, 0, zHh, NULL, NULL,
                                         err)) != 0)
    return rc;
  if ((rc = get_one(ctx,
                    SELECT_ASSESSMENT "WHERE a.household_id = :k ORDER BY "
                                      "a.assessed_at DESC, a.rid DESC LIMIT 1",
                    zHh, 0, out, &found, err)) != 0)
    return rc;
  if (!found)
    return sws_err_set(err, SWS_ENOTFOUND, "household %s has not been "
                       "assessed yet (sws assessment add)", zHousehold);
  return SWS_OK;
}

int cases_assessment_list(struct sws_ctx *ctx, const char *zRegno,
                          int (*fn)(const struct assessment_row *, void *),
                          void *arg, struct sws_err *err)
{
  char zHh[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_household_resolve(ctx, zRegno, 0, zHh, NULL, NULL, err)))
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT number, instrument_code, instrument_version, "
                       "score, band, flags, assessed_at, assessed_by FROM "
                       "assessment WHERE household_id = :hh ORDER BY "
                       "assessed_at DESC, rid DESC",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":hh", zHh);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct assessment_row r = {
        db_col_int64(q, 0), db_col_str(q, 1), (int)db_col_int64(q, 2),
        db_col_double(q, 3), db_col_str(q, 4), db_col_str(q, 5),
        db_col_str(q, 6), db_col_str(q, 7)};
    if (fn(&r, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
