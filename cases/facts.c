/*
 * facts.c - the facts rules read about a household (see facts.h).
 */
#include "cases/facts.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/casefile.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

/* ---- answers ---- */

void cases_answer_clear(struct answer *a)
{
  free(a->zKey);
  free(a->zQuestion);
  for (int i = 0; i < a->nItem; i++)
    free(a->azItem[i]);
  free(a->azItem);
  memset(a, 0, sizeof *a);
}

void cases_answers_free(struct answer *a, int n)
{
  for (int i = 0; i < n; i++)
    cases_answer_clear(&a[i]);
  free(a);
}

void cases_answer_text(const struct answer *a, struct buf *out)
{
  const struct rule_value *v = &a->v;
  switch (v->type) {
  case RV_STRING: buf_puts(out, v->z); break;
  case RV_LIST:
    for (int i = 0; i < v->nList; i++)
      buf_appendf(out, "%s%s", i ? ", " : "", v->az[i]);
    if (v->nList == 0)
      buf_puts(out, "(none)");
    break;
  default: rule_value_format(v, out);
  }
}

/* Split "q@N" into the question and N (0 without '@'); -1 if malformed. */
static int split_key(const char *zKey, char **pzQ, int *pMember)
{
  const char *at = strchr(zKey, '@');
  int64_t n = 0;
  if (at == NULL) {
    *pzQ = sws_strdup(zKey);
    *pMember = 0;
    return 0;
  }
  if (at == zKey || sws_parse_int64("", at + 1, 1, 1000, &n, NULL) != 0)
    return -1;
  *pzQ = sws_strndup(zKey, (size_t)(at - zKey));
  *pMember = (int)n;
  return 0;
}

int cases_answers_parse(const char *zJson, struct answer **pa, int *pn,
                        struct sws_err *err)
{
  json_error_t jerr;
  json_t *root = json_loads(zJson, 0, &jerr), *v;
  const char *zKey;
  int rc = SWS_OK, n = 0;
  struct answer *a = NULL;
  *pa = NULL;
  *pn = 0;
  if (!json_is_object(root)) {
    json_decref(root);
    return sws_err_set(err, SWS_EINVAL, "stored answers are not a JSON "
                       "object; the database may be damaged");
  }
  a = sws_calloc(json_object_size(root) + 1, sizeof *a);
  json_object_foreach(root, zKey, v)
  {
    struct answer *x = &a[n];
    if (split_key(zKey, &x->zQuestion, &x->member) != 0) {
      rc = sws_err_set(err, SWS_EINVAL, "stored answer '%.60s' has a bad "
                       "key", zKey);
      break;
    }
    x->zKey = sws_strdup(zKey);
    n++;
    if (json_is_number(v)) {
      x->v.type = RV_NUMBER;
      x->v.n = json_number_value(v);
    } else if (json_is_boolean(v)) {
      x->v.type = RV_BOOL;
      x->v.b = json_is_true(v);
    } else if (json_is_string(v)) {
      x->azItem = sws_calloc(1, sizeof *x->azItem);
      x->azItem[0] = sws_strdup(json_string_value(v));
      x->nItem = 1;
      x->v.type = RV_STRING;
      x->v.z = x->azItem[0];
    } else if (json_is_array(v)) {
      size_t i;
      json_t *it;
      x->azItem = sws_calloc(json_array_size(v) + 1, sizeof *x->azItem);
      json_array_foreach(v, i, it)
      {
        if (!json_is_string(it)) {
          rc = sws_err_set(err, SWS_EINVAL, "stored answer '%.60s' is a "
                           "list of something other than texts", zKey);
          break;
        }
        x->azItem[x->nItem++] = sws_strdup(json_string_value(it));
      }
      x->v.type = RV_LIST;
      x->v.az = (const char *const *)x->azItem;
      x->v.nList = x->nItem;
    } else {
      rc = sws_err_set(err, SWS_EINVAL, "stored answer '%.60s' has no "
                       "value", zKey);
    }
    if (rc != 0)
      break;
  }
  json_decref(root);
  if (rc != 0) {
    cases_answers_free(a, n);
    return rc;
  }
  *pa = a;
  *pn = n;
  return SWS_OK;
}

/* ---- ages ---- */

int cases_member_age(const char *zBorn, const char *zToday)
{
  int by, bm = 7, bd = 1, ty, tm, td;
  size_t n = strlen(zBorn);
  if (n != 4 && n != 7 && n != 10)
    return -1;
  if (sscanf(zToday, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
    return -1;
  if (n == 4 && sscanf(zBorn, "%4d", &by) != 1)
    return -1;
  if (n == 7) {
    if (sscanf(zBorn, "%4d-%2d", &by, &bm) != 2)
      return -1;
    bd = 15;
  }
  if (n == 10 && sscanf(zBorn, "%4d-%2d-%2d", &by, &bm, &bd) != 3)
    return -1;
  int age = ty - by - (tm < bm || (tm == bm && td < bd));
  return age < 0 ? 0 : age;
}

static void day_format(int64_t day, char *zOut)
{
  int y, m, d;
  sws_civil_from_days(day, &y, &m, &d);
  snprintf(zOut, 11, "%04d-%02d-%02d", y, m, d);
}

/* The day after t0 (today: y-m-d) on which an age usually changes: the
 * first day on or after the birthday's month and day (1 July for a year
 * alone, the 15th for a year and month; 1 March for 29 February in a
 * common year), this year or next; -1 if zBorn has no month and day. */
static int64_t next_birthday(const char *zBorn, int64_t t0, int y)
{
  int by, bm = 7, bd = 1;
  size_t n = strlen(zBorn);
  if (n == 7 && sscanf(zBorn, "%4d-%2d", &by, &bm) == 2)
    bd = 15;
  else if (n == 10 && sscanf(zBorn, "%4d-%2d-%2d", &by, &bm, &bd) == 3)
    ;
  else if (n != 4)
    return -1;
  if (bm < 1 || bm > 12 || bd < 1 || bd > 31)
    return -1;
  for (int yy = y; yy <= y + 1; yy++) {
    int64_t day = sws_date_valid(yy, bm, bd)
                      ? sws_days_from_civil(yy, bm, bd)
                      : sws_days_from_civil(yy + bm / 12, bm % 12 + 1, 1);
    if (day > t0)
      return day;
  }
  return -1;
}

/* An age never goes down as the days pass (within a year the "birthday
 * not yet reached" term goes from 1 to 0 at most once; on 1 January the
 * year adds one and that term adds at most one). So a day on which it
 * differs, with the day before the same as today, is the first such day:
 * the next birthday, checked so, is the answer; when it is not (a birth
 * still to come, say), the horizon is halved, with cases_member_age
 * itself deciding each day. Either way the answer agrees with it. */
void cases_member_age_until(const char *zBorn, const char *zToday, char *zOut)
{
  int y, m, d;
  char zDay[11];
  if (sscanf(zToday, "%4d-%2d-%2d", &y, &m, &d) != 3) {
    snprintf(zOut, 11, "%s", zToday); /* no day known: valid for none */
    return;
  }
  int64_t t0 = sws_days_from_civil(y, m, d);
  int age = cases_member_age(zBorn, zToday);
  int64_t b = next_birthday(zBorn, t0, y);
  if (b > t0 && b - t0 <= FACTS_AGE_HORIZON) {
    day_format(b - 1, zDay);
    if (cases_member_age(zBorn, zDay) == age) {
      day_format(b, zOut);
      if (cases_member_age(zBorn, zOut) != age)
        return;
    }
  }
  int64_t lo = 0, hi = FACTS_AGE_HORIZON; /* same on t0 + lo */
  day_format(t0 + hi, zDay);
  if (cases_member_age(zBorn, zDay) != age) {
    while (hi - lo > 1) { /* differs on t0 + hi */
      int64_t mid = lo + (hi - lo) / 2;
      day_format(t0 + mid, zDay);
      if (cases_member_age(zBorn, zDay) != age)
        hi = mid;
      else
        lo = mid;
    }
  }
  day_format(t0 + hi, zOut);
}

/* ---- loading ---- */

static int load_areas(struct facts *f, struct sws_ctx *ctx, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "WITH RECURSIVE up(code, parent, depth) AS ("
                      "  SELECT code, parent_code, 0 FROM area WHERE code = :v"
                      "  UNION ALL SELECT a.code, a.parent_code, up.depth + 1 "
                      "  FROM area a JOIN up ON a.code = up.parent "
                      "  WHERE up.depth < 10) "
                      "SELECT code FROM up ORDER BY depth",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":v", f->h.zArea);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW && f->nArea < 10) {
    f->azArea = sws_realloc(f->azArea,
                            sizeof *f->azArea * (size_t)(f->nArea + 1));
    f->azArea[f->nArea++] = sws_strdup(db_col_str(q, 0));
  }
  db_done(ctx->db, q);
  if (f->nArea == 0) { /* an area not in the table: the code alone */
    f->azArea = sws_calloc(1, sizeof *f->azArea);
    f->azArea[f->nArea++] = sws_strdup(f->h.zArea);
  }
  return rc < 0 ? rc : SWS_OK;
}

int cases_facts_init(struct facts *f, struct sws_ctx *ctx,
                     const char *zHouseholdId, struct sws_err *err)
{
  char zToday[11];
  int rc;
  memset(f, 0, sizeof *f);
  f->iBase = f->iCur = -1;
  if ((rc = cases_household_get(ctx, zHouseholdId, &f->h, err)) != 0)
    return rc;
  cases_today(zToday);
  f->aMem = sws_calloc((size_t)f->h.nMember + 1, sizeof *f->aMem);
  for (int i = 0; i < f->h.nMember; i++) {
    const struct member *m = &f->h.aMember[i];
    if (strcmp(m->zStatus, "active") != 0)
      continue;
    struct fact_member *fm = &f->aMem[f->nMem++];
    fm->m = m;
    fm->age = cases_member_age(m->zBorn, zToday);
    f->nChildren += fm->age >= 0 && fm->age < FACTS_CHILD_AGE;
    f->nOlder += fm->age >= FACTS_OLDER_AGE;
  }
  return load_areas(f, ctx, err);
}

void cases_facts_probe(struct facts *f, int probe)
{
  memset(f, 0, sizeof *f);
  f->probe = probe;
  f->iBase = f->iCur = -1;
  /* one pretend member, so members() looks inside */
  f->aMem = sws_calloc(1, sizeof *f->aMem);
  f->nMem = 1;
  f->aMem[0].age = 30;
}

void cases_facts_release(struct facts *f)
{
  cases_household_release(&f->h);
  for (int i = 0; i < f->nMem; i++)
    free(f->aMem[i].azFlag);
  free(f->aMem);
  for (int i = 0; i < f->nArea; i++)
    free(f->azArea[i]);
  free(f->azArea);
  f->aMem = NULL;
  f->azArea = NULL;
  f->nMem = f->nArea = 0;
}

void cases_facts_member_flag(struct facts *f, int line_no, const char *zFlag)
{
  for (int i = 0; i < f->nMem; i++) {
    struct fact_member *fm = &f->aMem[i];
    if (fm->m == NULL || fm->m->line_no != line_no)
      continue;
    for (int k = 0; k < fm->nFlag; k++)
      if (strcmp(fm->azFlag[k], zFlag) == 0)
        return;
    fm->azFlag = sws_realloc(fm->azFlag,
                             sizeof *fm->azFlag * (size_t)(fm->nFlag + 1));
    fm->azFlag[fm->nFlag++] = zFlag;
  }
}

/* ---- lookup ---- */

static void set_num(struct rule_value *v, double n)
{
  v->type = RV_NUMBER;
  v->n = n;
}

static void set_str(struct rule_value *v, const char *z)
{
  v->type = RV_STRING;
  v->z = z;
}

static void set_bool(struct rule_value *v, int b)
{
  v->type = RV_BOOL;
  v->b = b != 0;
}

static void set_list(struct rule_value *v, const char *const *az, int n)
{
  v->type = RV_LIST;
  v->az = az;
  v->nList = n;
}

static const char *const SAMPLE_AREAS[] = {"V1", "C1", "D1", "P1"};
static const char *const SAMPLE_FLAGS[] = {"vulnerability:sample"};

static int member_fact(struct facts *f, const char *zName,
                       struct rule_value *out)
{
  const struct fact_member *fm = &f->aMem[f->iCur];
  const struct member *m = fm->m;
  int sample = f->probe == FACTS_SAMPLE, real = f->probe == FACTS_REAL;
  if (strcmp(zName, "age") == 0) {
    if (real && fm->age >= 0)
      set_num(out, fm->age);
    else if (sample)
      set_num(out, 30);
  } else if (strcmp(zName, "sex") == 0) {
    if (real)
      set_str(out, m->sex == 'F' ? "F" : "M");
    else if (sample)
      set_str(out, "F");
  } else if (strcmp(zName, "disability") == 0) {
    if (real || sample)
      set_bool(out, real && m->disability);
  } else if (strcmp(zName, "relationship") == 0) {
    if (real)
      set_str(out, cases_relationship_name(m->relationship));
    else if (sample)
      set_str(out, "head");
  } else if (strcmp(zName, "is_head") == 0) {
    if (real || sample)
      set_bool(out, !real || m->relationship == REL_HEAD);
  } else if (strcmp(zName, "flags") == 0 && f->bAssessmentFacts) {
    if (real && f->bAssessed)
      set_list(out, fm->azFlag, fm->nFlag);
    else if (sample)
      set_list(out, SAMPLE_FLAGS, 1);
  } else {
    return -1;
  }
  return 0;
}

static int household_fact(struct facts *f, const char *zName,
                          struct rule_value *out)
{
  int sample = f->probe == FACTS_SAMPLE, real = f->probe == FACTS_REAL;
  if (strcmp(zName, "size") == 0) {
    if (real || sample)
      set_num(out, real ? f->nMem : 3);
  } else if (strcmp(zName, "children") == 0) {
    if (real || sample)
      set_num(out, real ? f->nChildren : 1);
  } else if (strcmp(zName, "older") == 0) {
    if (real || sample)
      set_num(out, real ? f->nOlder : 1);
  } else if (strcmp(zName, "area") == 0) {
    if (real)
      set_str(out, f->h.zArea);
    else if (sample)
      set_str(out, SAMPLE_AREAS[0]);
  } else if (strcmp(zName, "areas") == 0) {
    if (real)
      set_list(out, (const char *const *)f->azArea, f->nArea);
    else if (sample)
      set_list(out, SAMPLE_AREAS, 4);
  } else {
    return -1;
  }
  return 0;
}

static int assessment_fact(struct facts *f, const char *zName,
                           struct rule_value *out)
{
  int sample = f->probe == FACTS_SAMPLE;
  int real = f->probe == FACTS_REAL && f->bAssessed;
  if (!f->bAssessmentFacts)
    return -1;
  if (strcmp(zName, "score") == 0) {
    if (real || sample)
      set_num(out, real ? f->score : 0);
  } else if (strcmp(zName, "band") == 0) {
    if (real || sample)
      set_str(out, real ? f->zBand : "low");
  } else if (strcmp(zName, "flags") == 0) {
    if (real)
      set_list(out, f->azFlag, f->nFlag);
    else if (sample)
      set_list(out, SAMPLE_FLAGS, 1);
  } else {
    return -1;
  }
  return 0;
}

static int answer_fact(struct facts *f, const char *zName,
                       struct rule_value *out)
{
  struct rule_value sample;
  memset(&sample, 0, sizeof sample);
  int scope = f->question ? f->question(f->questionArg, zName, &sample)
                          : FACT_EITHER;
  if (scope == FACT_NONE)
    return -1;
  /* a member's question outside a member rule or members(): no member */
  if (scope == FACT_MEMBER && f->iCur < 0)
    return -1;
  if (f->probe == FACTS_SAMPLE) {
    *out = sample;
    return 0;
  }
  if (f->probe != FACTS_REAL)
    return 0;
  int line = f->iCur >= 0 ? f->aMem[f->iCur].m->line_no : 0;
  for (int pass = 0; pass < 2; pass++) {
    int want = pass == 0 ? line : 0; /* the member's own, then the
                                        household's */
    if (pass == 0 && (line == 0 || scope == FACT_HOUSEHOLD))
      continue;
    if (pass == 1 && scope == FACT_MEMBER)
      break;
    for (int i = 0; i < f->nAnswer; i++)
      if (f->aAnswer[i].member == want &&
          strcmp(f->aAnswer[i].zQuestion, zName) == 0) {
        *out = f->aAnswer[i].v;
        return 0;
      }
  }
  return 0;
}

static void note_missing(struct facts *f, const char *zName)
{
  if (f->pMissing == NULL || f->bIn)
    return;
  /* the list is "a; b; ": look for the whole name between separators */
  size_t n = strlen(zName);
  for (const char *p = buf_str(f->pMissing); *p;) {
    const char *e = strstr(p, "; ");
    if (e == NULL)
      break;
    if ((size_t)(e - p) == n && strncmp(p, zName, n) == 0)
      return;
    p = e + 2;
  }
  buf_appendf(f->pMissing, "%s; ", zName);
}

static int lookup(void *arg, const char *zName, struct rule_value *out)
{
  struct facts *f = arg;
  int rc;
  memset(out, 0, sizeof *out);
  if (strncmp(zName, "member.", 7) == 0)
    rc = f->iCur < 0 ? -1 : member_fact(f, zName + 7, out);
  else if (strncmp(zName, "household.", 10) == 0)
    rc = household_fact(f, zName + 10, out);
  else if (strncmp(zName, "assessment.", 11) == 0)
    rc = assessment_fact(f, zName + 11, out);
  else if (strchr(zName, '.') != NULL)
    rc = -1;
  else
    rc = answer_fact(f, zName, out);
  if (rc == 0 && out->type == RV_UNKNOWN && f->probe == FACTS_REAL)
    note_missing(f, zName);
  return rc;
}

static int member_count(void *arg)
{
  return ((struct facts *)arg)->nMem;
}

static void member_select(void *arg, int i)
{
  struct facts *f = arg;
  f->bIn = i >= 0;
  f->iCur = i >= 0 && i < f->nMem ? i : f->iBase;
}

void cases_facts_env(struct facts *f, struct rule_env *env)
{
  env->lookup = lookup;
  env->member_count = member_count;
  env->member_select = member_select;
  env->arg = f;
}

void cases_facts_at(struct facts *f, int i)
{
  f->iBase = f->iCur = i >= 0 && i < f->nMem ? i : -1;
  f->bIn = 0;
}

int cases_facts_eval(struct facts *f, const struct rule *r, int *out3,
                     struct buf *used, struct sws_err *err)
{
  struct rule_env env;
  struct rule_value v;
  int rc;
  cases_facts_env(f, &env);
  rc = rule_eval(r, &env, &v, used, err);
  f->iCur = f->iBase;
  f->bIn = 0;
  if (rc != 0)
    return rc;
  if (v.type == RV_UNKNOWN) {
    *out3 = -1;
    return SWS_OK;
  }
  if (v.type != RV_BOOL)
    return sws_err_set(err, SWS_EINVAL, "rule '%.60s' gives %s, not yes or "
                       "no; write a condition such as 'x > 3'",
                       rule_text(r), v.type == RV_NUMBER ? "a number"
                       : v.type == RV_STRING ? "a text" : "a list");
  *out3 = v.b;
  return SWS_OK;
}
