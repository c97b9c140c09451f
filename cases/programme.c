/*
 * programme.c - the programme catalogue, screening and enrolment (see
 * programme.h).
 *
 * Each programme is stored with its definition as canonical JSON (sorted
 * keys, compact): screening, listing and the catalogue comparison all read
 * that, so what was loaded is what is applied.
 */
#include "cases/programme.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/country.h"
#include "cases/facts.h"
#include "cases/household.h"
#include "cases/langtext.h"
#include "core/mem.h"
#include "core/text.h"

#define MAX_PROGRAMMES 200
#define MAX_PROG_RULES 30
#define MAX_DOCS 20
#define MAX_TEXT 500

static const char *const GUARANTEE[] = {"health", "children", "working-age",
                                        "older-persons"};

void cases_programme_clear(struct programme *p)
{
  free(p->zName);
  free(p->zAgency);
  for (int i = 0; i < p->nRule; i++) {
    rule_free(p->aRule[i].pIf);
    free(p->aRule[i].zExplain);
    free(p->aRule[i].zExplainKm);
    free(p->aRule[i].zExplainMn);
  }
  free(p->aRule);
  for (int i = 0; i < p->nDoc; i++)
    free(p->azDoc[i]);
  free(p->azDoc);
  free(p->zCanon);
  memset(p, 0, sizeof *p);
}

void cases_catalogue_free(struct catalogue *c)
{
  if (c == NULL)
    return;
  for (int i = 0; i < c->n; i++)
    cases_programme_clear(&c->a[i]);
  free(c->a);
  free(c);
}

static int code_ok(const char *z)
{
  size_t n = z ? strlen(z) : 0;
  if (n < 1 || n > PROGRAMME_CODE_MAX)
    return 0;
  for (; *z; z++)
    if (!((*z >= 'a' && *z <= 'z') || (*z >= '0' && *z <= '9') || *z == '-'))
      return 0;
  return 1;
}

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

/* ---- parsing ---- */

/* Names in rules: facts, or questions as the checker says. */
struct checker {
  struct sws_ctx *ctx; /* NULL: any bare name is a question */
  char **azKnown, **azUnknown;
  int nKnown, nUnknown;
  char zLastUnknown[64]; /* the last name that is not a question */
};

static void checker_clear(struct checker *k)
{
  for (int i = 0; i < k->nKnown; i++)
    free(k->azKnown[i]);
  for (int i = 0; i < k->nUnknown; i++)
    free(k->azUnknown[i]);
  free(k->azKnown);
  free(k->azUnknown);
}

static int in_list(char **az, int n, const char *z)
{
  for (int i = 0; i < n; i++)
    if (strcmp(az[i], z) == 0)
      return 1;
  return 0;
}

static void list_add(char ***paz, int *pn, const char *z)
{
  *paz = sws_realloc(*paz, sizeof **paz * (size_t)(*pn + 1));
  (*paz)[(*pn)++] = sws_strdup(z);
}

static int checker_name(void *arg, const char *zName,
                        struct rule_value *sample)
{
  struct checker *k = arg;
  (void)sample; /* its type depends on the instrument: unknown */
  if (k->ctx == NULL || in_list(k->azKnown, k->nKnown, zName))
    return FACT_EITHER;
  if (!in_list(k->azUnknown, k->nUnknown, zName)) {
    if (cases_instrument_asks(k->ctx, zName)) {
      list_add(&k->azKnown, &k->nKnown, zName);
      return FACT_EITHER;
    }
    list_add(&k->azUnknown, &k->nUnknown, zName);
  }
  sws_strlcpy(k->zLastUnknown, zName, sizeof k->zLastUnknown);
  return FACT_NONE;
}

/* Try a rule against both probes (see facts.h). */
static int probe_rule(struct checker *k, const struct rule *r, int bMember,
                      struct sws_err *err)
{
  int rc = 0, out3;
  for (int probe = FACTS_UNKNOWN; probe <= FACTS_SAMPLE && rc == 0; probe++) {
    struct facts f;
    cases_facts_probe(&f, probe);
    f.bAssessmentFacts = 1;
    f.question = checker_name;
    f.questionArg = k;
    cases_facts_at(&f, bMember ? 0 : -1);
    rc = cases_facts_eval(&f, r, &out3, NULL, err);
    cases_facts_release(&f);
  }
  return rc;
}

static int get_string(json_t *o, const char *zKey, size_t nMax,
                      const char **out)
{
  *out = json_string_value(json_object_get(o, zKey));
  return *out != NULL && !sws_blank(*out) &&
         sws_text_check(zKey, *out, nMax, 0, NULL) == 0;
}

/* Parse one programme object into p; with k, check its rules too. */
static int parse_programme(json_t *jp, size_t i, struct checker *k,
                           struct programme *p, struct sws_err *err)
{
  static const char *const KEYS[] = {"code", "name", "agency", "guarantee",
                                     "level", "rules", "documents",
                                     "description", NULL};
  static const char *const RKEYS[] = {"if", "explain", NULL};
  const char *zCode = json_string_value(json_object_get(jp, "code"));
  const char *zName, *zAgency, *zBad;
  const char *zG = json_string_value(json_object_get(jp, "guarantee"));
  const char *zLevel = json_string_value(json_object_get(jp, "level"));
  json_t *rules = json_object_get(jp, "rules");
  json_t *docs = json_object_get(jp, "documents"), *v;
  size_t j;
  if (!json_is_object(jp) || !code_ok(zCode))
    return sws_err_set(err, SWS_EINVAL, "programme %zu: give a \"code\" "
                       "(a-z, 0-9, '-'; at most %d)", i + 1,
                       PROGRAMME_CODE_MAX);
  sws_strlcpy(p->zCode, zCode, sizeof p->zCode);
  if ((zBad = unknown_key(jp, KEYS)) != NULL)
    return sws_err_set(err, SWS_EINVAL, "programme '%s': unknown field "
                       "'%.40s'", zCode, zBad);
  if (!get_string(jp, "name", 200, &zName))
    return sws_err_set(err, SWS_EINVAL, "programme '%s': give its \"name\" "
                       "(one line, at most 200 bytes)", zCode);
  if (!get_string(jp, "agency", 200, &zAgency))
    return sws_err_set(err, SWS_EINVAL, "programme '%s': give its "
                       "\"agency\" (one line, at most 200 bytes)", zCode);
  p->zName = sws_strdup(zName);
  p->zAgency = sws_strdup(zAgency);
  for (size_t g = 0; zG && g < sizeof GUARANTEE / sizeof GUARANTEE[0]; g++)
    if (strcmp(zG, GUARANTEE[g]) == 0)
      sws_strlcpy(p->zGuarantee, zG, sizeof p->zGuarantee);
  if (p->zGuarantee[0] == '\0')
    return sws_err_set(err, SWS_EINVAL, "programme '%s': unknown guarantee "
                       "'%.40s'; it is one of the four of ILO "
                       "Recommendation 202: " GUARANTEES, zCode,
                       zG ? zG : "(none)");
  if (zLevel && strcmp(zLevel, "member") == 0)
    p->bMember = 1;
  else if (zLevel == NULL || strcmp(zLevel, "household") != 0)
    return sws_err_set(err, SWS_EINVAL, "programme '%s': \"level\" is "
                       "household (the household applies) or member (each "
                       "person applies)", zCode);
  if (!json_is_array(rules) || json_array_size(rules) > MAX_PROG_RULES)
    return sws_err_set(err, SWS_EINVAL, "programme '%s': \"rules\" is a list "
                       "of at most %d {\"if\": condition, \"explain\": "
                       "text}", zCode, MAX_PROG_RULES);
  p->aRule = sws_calloc(json_array_size(rules) + 1, sizeof *p->aRule);
  json_array_foreach(rules, j, v)
  {
    const char *zIf = json_string_value(json_object_get(v, "if"));
    struct sws_err e2 = SWS_ERR_INIT;
    struct programme_rule *r = &p->aRule[p->nRule];
    if (!json_is_object(v) || zIf == NULL || sws_blank(zIf) ||
        json_object_get(v, "explain") == NULL || unknown_key(v, RKEYS) != NULL)
      return sws_err_set(err, SWS_EINVAL,
                         "programme '%s', rule %zu: give "
                         "{\"if\": condition, \"explain\": one line of "
                         "text, or {\"en\": ..., \"km\": ..., \"mn\": ...}}",
                         zCode, j + 1);
    p->nRule++; /* cleared with p from here on */
    if (cases_langtext_parse(json_object_get(v, "explain"), MAX_TEXT,
                             &r->zExplain, &r->zExplainKm, &r->zExplainMn,
                             "the explanation", &e2) != 0 ||
        rule_compile(&r->pIf, zIf, &e2) != 0)
      return sws_err_set(err, SWS_EINVAL, "programme '%s', rule %zu: %s", zCode,
                         j + 1, e2.msg);
    if (k && probe_rule(k, r->pIf, p->bMember, &e2) != 0) {
      if (k->zLastUnknown[0])
        return sws_err_set(err, SWS_EINVAL, "programme '%s', rule %zu reads "
                           "'%s', which is neither a fact (member.*, "
                           "household.*, assessment.*) nor a question of a "
                           "loaded instrument (sws assessment questions)",
                           zCode, j + 1, k->zLastUnknown);
      return sws_err_set(err, SWS_EINVAL, "programme '%s', rule %zu: %s",
                         zCode, j + 1, e2.msg);
    }
  }
  if (docs && (!json_is_array(docs) || json_array_size(docs) > MAX_DOCS))
    return sws_err_set(err, SWS_EINVAL, "programme '%s': \"documents\" is a "
                       "list of at most %d texts", zCode, MAX_DOCS);
  p->azDoc = sws_calloc(json_array_size(docs) + 1, sizeof *p->azDoc);
  json_array_foreach(docs, j, v)
  {
    const char *z = json_string_value(v);
    if (z == NULL || sws_blank(z) ||
        sws_text_check("a document", z, 200, 0, NULL) != 0)
      return sws_err_set(err, SWS_EINVAL, "programme '%s', document %zu: "
                         "give one line of text (at most 200 bytes)", zCode,
                         j + 1);
    p->azDoc[p->nDoc++] = sws_strdup(z);
  }
  if (json_object_get(jp, "description") &&
      !json_is_string(json_object_get(jp, "description")))
    return sws_err_set(err, SWS_EINVAL, "programme '%s': \"description\" is "
                       "a text", zCode);
  p->zCanon = json_dumps(jp, JSON_COMPACT | JSON_SORT_KEYS);
  if (p->zCanon == NULL)
    abort(); /* out of memory inside jansson */
  return SWS_OK;
}

static int parse_catalogue(const char *zJson, size_t n, struct checker *k,
                           struct catalogue **out, struct sws_err *err)
{
  static const char *const KEYS[] = {"version", "programmes", "note", NULL};
  json_error_t jerr;
  json_t *root, *progs, *ver, *v;
  struct catalogue *c;
  const char *zBad;
  size_t i;
  int rc = SWS_OK;
  *out = NULL;
  if (n > CATALOGUE_MAX_BYTES)
    return sws_err_set(err, SWS_ETOOBIG, "the catalogue is %zu bytes, more "
                       "than %d", n, CATALOGUE_MAX_BYTES);
  if ((root = json_loadb(zJson, n, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
    return sws_err_set(err, SWS_EINVAL, "the catalogue is not valid JSON "
                       "(line %d: %s)", jerr.line, jerr.text);
  c = sws_calloc(1, sizeof *c);
  ver = json_object_get(root, "version");
  progs = json_object_get(root, "programmes");
  if (!json_is_object(root) || (zBad = unknown_key(root, KEYS)) != NULL) {
    rc = sws_err_set(err, SWS_EINVAL, "the catalogue is a JSON object "
                     "{\"version\", \"programmes\", \"note\"}");
    goto done;
  }
  if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
      json_integer_value(ver) > 1000000) {
    rc = sws_err_set(err, SWS_EINVAL, "the catalogue needs a \"version\": a "
                     "whole number from 1, higher for each new catalogue");
    goto done;
  }
  c->version = (int)json_integer_value(ver);
  if (!json_is_array(progs) || json_array_size(progs) < 1 ||
      json_array_size(progs) > MAX_PROGRAMMES) {
    rc = sws_err_set(err, SWS_EINVAL, "the catalogue needs \"programmes\": a "
                     "list of 1 to %d", MAX_PROGRAMMES);
    goto done;
  }
  c->a = sws_calloc(json_array_size(progs), sizeof *c->a);
  json_array_foreach(progs, i, v)
  {
    struct programme *p = &c->a[c->n++];
    if ((rc = parse_programme(v, i, k, p, err)) != 0)
      goto done;
    for (int m = 0; m < c->n - 1; m++)
      if (strcmp(c->a[m].zCode, p->zCode) == 0) {
        rc = sws_err_set(err, SWS_EINVAL, "programme '%s' is given twice",
                         p->zCode);
        goto done;
      }
  }
done:
  json_decref(root);
  if (rc != 0) {
    cases_catalogue_free(c);
    return rc;
  }
  *out = c;
  return SWS_OK;
}

int cases_catalogue_parse(const char *zJson, size_t n, struct catalogue **out,
                          struct sws_err *err)
{
  struct checker k;
  memset(&k, 0, sizeof k);
  int rc = parse_catalogue(zJson, n, &k, out, err);
  checker_clear(&k);
  return rc;
}

/* ---- loading ---- */

/* The definition and active flag of a stored programme (*pzDef NULL when
 * there is none). */
static int stored(struct sws_ctx *ctx, const char *zCode, char **pzDef,
                  int *pActive, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT definition, active FROM programme WHERE "
                      "code = :c",
                      err);
  *pzDef = NULL;
  *pActive = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *pzDef = sws_strdup(db_col_str(q, 0));
    *pActive = (int)db_col_int64(q, 1);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* Is c exactly what is loaded and active (same programmes, same
 * definitions)? */
static int same_as_loaded(struct sws_ctx *ctx, const struct catalogue *c,
                          int *pSame, struct sws_err *err)
{
  int64_t nActive = 0;
  int rc;
  *pSame = 0;
  if ((rc = db_int64(ctx->db, &nActive, 0,
                     "SELECT count(*) FROM programme WHERE active = 1",
                     err)) != 0)
    return rc;
  if (nActive != c->n)
    return SWS_OK;
  for (int i = 0; i < c->n; i++) {
    char *zDef;
    int active, same;
    if ((rc = stored(ctx, c->a[i].zCode, &zDef, &active, err)) != 0)
      return rc;
    same = zDef && active && strcmp(zDef, c->a[i].zCanon) == 0;
    free(zDef);
    if (!same)
      return SWS_OK;
  }
  *pSame = 1;
  return SWS_OK;
}

static int upsert(struct sws_ctx *ctx, const struct programme *p,
                  int version, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO programme(code, name, agency, guarantee, "
                      "level, definition, catalogue_version, active, "
                      "loaded_at) VALUES (:c, :n, :a, :g, :l, :d, :v, 1, "
                      "sws_now()) ON CONFLICT(code) DO UPDATE SET name = "
                      "excluded.name, agency = excluded.agency, guarantee = "
                      "excluded.guarantee, level = excluded.level, "
                      "definition = excluded.definition, catalogue_version "
                      "= excluded.catalogue_version, active = 1, loaded_at "
                      "= excluded.loaded_at",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", p->zCode);
  db_bind_text(q, ":n", p->zName);
  db_bind_text(q, ":a", p->zAgency);
  db_bind_text(q, ":g", p->zGuarantee);
  db_bind_text(q, ":l", p->bMember ? "member" : "household");
  db_bind_text(q, ":d", p->zCanon);
  db_bind_int64(q, ":v", version);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_programme_load(struct sws_ctx *ctx, const char *zJson, size_t n,
                         struct programme_load_report *rep,
                         struct sws_err *err)
{
  struct checker k;
  struct catalogue *c = NULL;
  sqlite3_stmt *q;
  int64_t loaded = 0;
  char zDetail[160];
  int rc, same;
  memset(rep, 0, sizeof *rep);
  memset(&k, 0, sizeof k);
  k.ctx = ctx;
  rc = parse_catalogue(zJson, n, &k, &c, err);
  checker_clear(&k);
  if (rc != 0)
    return rc;
  rep->version = c->version;
  rep->nProgrammes = c->n;
  if ((rc = db_int64(ctx->db, &loaded, 0,
                     "SELECT coalesce(max(catalogue_version), 0) FROM "
                     "programme",
                     err)) != 0)
    goto out;
  if (c->version < loaded) {
    rc = sws_err_set(err, SWS_ECONFLICT, "catalogue version %d is older than "
                     "the loaded version %lld; nothing was changed",
                     c->version, (long long)loaded);
    goto out;
  }
  if (c->version == loaded) {
    if ((rc = same_as_loaded(ctx, c, &same, err)) != 0)
      goto out;
    if (same)
      rep->bUnchanged = 1;
    else
      rc = sws_err_set(err, SWS_ECONFLICT, "catalogue version %d is already "
                       "loaded with other content; give the changed "
                       "catalogue a new \"version\" (%lld)", c->version,
                       (long long)loaded + 1);
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "programme.load", err)) != 0)
    goto out;
  for (int i = 0; i < c->n && rc == 0; i++) {
    char *zDef;
    int active;
    if ((rc = stored(ctx, c->a[i].zCode, &zDef, &active, err)) != 0)
      break;
    if (zDef == NULL)
      rep->nNew++;
    else if (!active || strcmp(zDef, c->a[i].zCanon) != 0)
      rep->nChanged++;
    free(zDef);
    rc = upsert(ctx, &c->a[i], c->version, err);
  }
  if (rc == 0 &&
      (rc = db_prepare(ctx->db, &q,
                       "UPDATE programme SET active = 0 WHERE active = 1 AND "
                       "catalogue_version < :v RETURNING code",
                       err)) == 0) {
    db_bind_int64(q, ":v", c->version);
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
      rep->nRetired++;
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : 0;
  }
  snprintf(zDetail, sizeof zDetail, "catalogue version %d: %d programmes, %d "
           "new, %d changed, %d made inactive", c->version, c->n, rep->nNew,
           rep->nChanged, rep->nRetired);
  rc = cases_op_end(ctx, rc, "programme", "", zDetail, err);
out:
  cases_catalogue_free(c);
  return rc;
}

int cases_programme_load_default(struct sws_ctx *ctx, struct sws_err *err)
{
  struct programme_load_report rep;
  const char *z = cases_country_of(ctx)->zProgrammesJson;
  return cases_programme_load(ctx, z, strlen(z), &rep, err);
}

/* ---- reading ---- */

static int from_row(sqlite3_stmt *q, struct programme *p, struct sws_err *err)
{
  json_t *jp = json_loads(db_col_str(q, 0), 0, NULL);
  int rc;
  memset(p, 0, sizeof *p);
  struct sws_err e2 = SWS_ERR_INIT;
  rc = parse_programme(jp, 0, NULL, p, &e2);
  json_decref(jp);
  if (rc != 0) {
    cases_programme_clear(p);
    return sws_err_set(err, SWS_EDB, "programme '%s' is stored damaged "
                       "(%s); load the catalogue again", db_col_str(q, 3),
                       e2.msg);
  }
  p->active = (int)db_col_int64(q, 1);
  p->catalogue_version = (int)db_col_int64(q, 2);
  sws_strlcpy(p->zLoadedAt, db_col_str(q, 4), sizeof p->zLoadedAt);
  return SWS_OK;
}

struct prog_list {
  struct programme *a;
  int n;
};

static void prog_list_clear(struct prog_list *l)
{
  for (int i = 0; i < l->n; i++)
    cases_programme_clear(&l->a[i]);
  free(l->a);
  l->a = NULL;
  l->n = 0;
}

/* Every programme (active ones, or all) by code into *l. */
static int load_all(struct sws_ctx *ctx, int bAll, struct prog_list *l,
                    struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT definition, active, catalogue_version, code, "
                      "loaded_at FROM programme WHERE :all OR active = 1 "
                      "ORDER BY code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":all", bAll != 0);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    l->a = sws_realloc(l->a, sizeof *l->a * (size_t)(l->n + 1));
    if ((rc = from_row(q, &l->a[l->n], err)) != 0)
      break;
    l->n++;
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_programme_list(struct sws_ctx *ctx, int bAll,
                         int (*fn)(const struct programme *, void *),
                         void *arg, struct sws_err *err)
{
  struct prog_list l = {NULL, 0};
  int rc = load_all(ctx, bAll, &l, err);
  for (int i = 0; rc == 0 && i < l.n; i++)
    if (fn(&l.a[i], arg) != 0)
      break;
  prog_list_clear(&l);
  return rc;
}

int cases_programme_get(struct sws_ctx *ctx, const char *zCode,
                        struct programme *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT definition, active, catalogue_version, code, "
                      "loaded_at FROM programme WHERE code = :c",
                      err);
  memset(out, 0, sizeof *out);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    rc = from_row(q, out, err);
  else if (rc == DB_DONE)
    rc = sws_err_set(err, SWS_ENOTFOUND, "no programme '%.40s' in the "
                     "catalogue (see 'sws programme list')", zCode);
  db_done(ctx->db, q);
  return rc;
}

/* ---- screening ---- */

const char *cases_screen_outcome_name(int outcome)
{
  return outcome == SCREEN_YES  ? "eligible"
         : outcome == SCREEN_NO ? "not eligible"
                                : "may be eligible";
}

void cases_screening_release(struct screening *s)
{
  for (int i = 0; i < s->nProg; i++) {
    struct screen_programme *sp = &s->aProg[i];
    for (int r = 0; r < sp->nRes; r++) {
      for (int k = 0; k < sp->aRes[r].nRule; k++) {
        free(sp->aRes[r].aRule[k].zFacts);
        free(sp->aRes[r].aRule[k].zMissing);
      }
      free(sp->aRes[r].aRule);
    }
    free(sp->aRes);
    if (!s->bBorrowed)
      cases_programme_clear(&sp->p);
  }
  free(s->aProg);
  for (int i = 0; i < s->nName; i++)
    free(s->azName[i]);
  free(s->azName);
  memset(s, 0, sizeof *s);
}

struct screen_state {
  struct sws_ctx *ctx;
  struct screening *s;
  struct facts *f;
  struct assessment *a;    /* the latest, or NULL */
  struct instrument *ref;  /* to tell member from household questions */
  int bQuiet;              /* outcomes only: no facts or missing noted */
};

/* "a = 1; b = 2; " without the last separator; caller frees. */
static char *trimmed(const struct buf *b)
{
  char *z = sws_strdup(buf_str(b));
  size_t n = strlen(z);
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == ';'))
    z[--n] = '\0';
  return z;
}

/* Turn the unknown facts a rule read into what to do about them. */
static char *missing_text(struct screen_state *st, const char *zNames,
                          int member)
{
  struct buf out = BUF_INIT, ask = BUF_INIT;
  int bNeedAssessment = 0;
  char *zCopy = sws_strdup(zNames), *save = NULL;
  for (char *z = strtok_r(zCopy, "; ", &save); z;
       z = strtok_r(NULL, "; ", &save)) {
    if (strncmp(z, "assessment.", 11) == 0 ||
        strcmp(z, "member.flags") == 0) {
      bNeedAssessment = 1;
    } else if (strchr(z, '.') == NULL) {
      const struct instrument_question *q =
          st->ref ? cases_instrument_question(st->ref, z) : NULL;
      if (q && q->bMember && member)
        buf_appendf(&ask, "%s%s@%d", ask.n ? ", " : "", z, member);
      else
        buf_appendf(&ask, "%s%s", ask.n ? ", " : "", z);
    } else {
      buf_appendf(&out, "%s%s is not recorded", out.n ? "; " : "", z);
    }
  }
  free(zCopy);
  if (st->a == NULL && (ask.n || bNeedAssessment))
    buf_appendf(&out, "%sno assessment yet%s%s", out.n ? "; " : "",
                ask.n ? ": answer " : "", buf_str(&ask));
  else if (ask.n)
    buf_appendf(&out, "%snot answered in assessment %lld: %s",
                out.n ? "; " : "", (long long)st->a->number, buf_str(&ask));
  buf_release(&ask);
  char *z = sws_strdup(buf_str(&out));
  buf_release(&out);
  return z;
}

static int screen_one(struct screen_state *st, const struct programme *p,
                      int iMem, struct screen_result *res,
                      struct sws_err *err)
{
  struct buf used = BUF_INIT, missing = BUF_INIT;
  struct sws_err e2 = SWS_ERR_INIT;
  int rc = SWS_OK, nNo = 0, nUnknown = 0;
  res->member = iMem >= 0 ? st->f->aMem[iMem].m->line_no : 0;
  res->aRule = sws_calloc((size_t)p->nRule + 1, sizeof *res->aRule);
  cases_facts_at(st->f, iMem);
  st->f->pMissing = &missing;
  for (int i = 0; i < p->nRule; i++) {
    struct screen_rule *sr = &res->aRule[res->nRule++];
    buf_reset(&used);
    buf_reset(&missing);
    sr->zIf = rule_text(p->aRule[i].pIf);
    sr->zExplain = p->aRule[i].zExplain;
    sr->zExplainKm = p->aRule[i].zExplainKm;
    sr->zExplainMn = p->aRule[i].zExplainMn;
    if (cases_facts_eval(st->f, p->aRule[i].pIf, &sr->outcome,
                         st->bQuiet ? NULL : &used, &e2) != 0) {
      rc = sws_err_set(err, SWS_EINVAL, "programme '%s', rule %d: %s",
                       p->zCode, i + 1, e2.msg);
      sr->zFacts = sws_strdup("");
      sr->zMissing = sws_strdup("");
      break;
    }
    sr->zFacts = trimmed(&used);
    sr->zMissing = sr->outcome < 0 && !st->bQuiet
                       ? missing_text(st, buf_str(&missing), res->member)
                       : sws_strdup("");
    nNo += sr->outcome == 0;
    nUnknown += sr->outcome < 0;
  }
  st->f->pMissing = NULL;
  cases_facts_at(st->f, -1);
  res->outcome = nNo ? SCREEN_NO : nUnknown ? SCREEN_MAYBE : SCREEN_YES;
  buf_release(&used);
  buf_release(&missing);
  return rc;
}

/* The live applications of the household, onto each result. */
static int mark_live(struct screen_state *st, const char *zHh,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(st->ctx->db, &q,
                      "SELECT e.number, e.status, e.programme_code, "
                      "coalesce(m.line_no, 0) FROM enrolment e LEFT JOIN "
                      "member m ON m.id = e.member_id AND m.household_id = "
                      "e.household_id WHERE e.household_id = :hh AND "
                      "e.status IN ('applied', 'approved')",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":hh", zHh);
  while ((rc = db_step(st->ctx->db, q, err)) == DB_ROW) {
    for (int i = 0; i < st->s->nProg; i++) {
      struct screen_programme *sp = &st->s->aProg[i];
      if (strcmp(sp->p.zCode, db_col_str(q, 2)) != 0)
        continue;
      for (int r = 0; r < sp->nRes; r++)
        if (sp->aRes[r].member == (int)db_col_int64(q, 3)) {
          sp->aRes[r].enrolment = db_col_int64(q, 0);
          sws_strlcpy(sp->aRes[r].zEnrolStatus, db_col_str(q, 1),
                      sizeof sp->aRes[r].zEnrolStatus);
        }
    }
  }
  db_done(st->ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* The catalogue and the questionnaires screening reads, loaded once for
 * many households (a report's coverage gap) or for one. */
#define SCREENER_REFS 8
struct screener {
  struct sws_ctx *ctx;
  int bExplain; /* note the facts each rule read and what is missing */
  struct prog_list progs;
  struct {
    char zCode[48];
    int version;
    struct instrument *ref; /* NULL: none to be had */
  } aRef[SCREENER_REFS];
  int nRef;
};

int cases_screener_open(struct sws_ctx *ctx, int bExplain,
                        struct screener **out, struct sws_err *err)
{
  struct screener *s = sws_calloc(1, sizeof *s);
  int rc = load_all(ctx, 0, &s->progs, err);
  s->ctx = ctx;
  s->bExplain = bExplain;
  if (rc != 0) {
    cases_screener_close(s);
    s = NULL;
  }
  *out = s;
  return rc;
}

void cases_screener_close(struct screener *s)
{
  if (s == NULL)
    return;
  prog_list_clear(&s->progs);
  for (int i = 0; i < s->nRef; i++)
    cases_instrument_free(s->aRef[i].ref);
  free(s);
}

/* The questionnaire zCode version (NULL, 0: the current one), loaded once;
 * NULL when there is none. */
static struct instrument *screener_ref(struct screener *s, const char *zCode,
                                       int version)
{
  const char *zKey = zCode ? zCode : "";
  for (int i = 0; i < s->nRef; i++)
    if (s->aRef[i].version == version && strcmp(s->aRef[i].zCode, zKey) == 0)
      return s->aRef[i].ref;
  struct instrument *ref = NULL;
  cases_instrument_get(s->ctx, zCode, version, &ref, NULL);
  if (s->nRef == SCREENER_REFS) { /* rare: many versions in use */
    cases_instrument_free(s->aRef[0].ref);
    memmove(&s->aRef[0], &s->aRef[1],
            sizeof s->aRef[0] * (SCREENER_REFS - 1));
    s->nRef--;
  }
  sws_strlcpy(s->aRef[s->nRef].zCode, zKey, sizeof s->aRef[s->nRef].zCode);
  s->aRef[s->nRef].version = version;
  s->aRef[s->nRef++].ref = ref;
  return ref;
}

/* Screen with s; bSteal: the screening takes s's programmes (s is closed
 * right after), else it borrows them. */
static int screen_with(struct screener *s, const char *zRegno, int bSteal,
                       struct screening *out, struct sws_err *err)
{
  struct sws_ctx *ctx = s->ctx;
  struct facts f;
  struct assessment a;
  struct screen_state st = {ctx, out, &f, NULL, NULL, !s->bExplain};
  struct sws_err e2 = SWS_ERR_INIT;
  char zHh[SWS_UUID_LEN + 1];
  int rc;
  memset(out, 0, sizeof *out);
  memset(&a, 0, sizeof a);
  out->bBorrowed = !bSteal;
  if ((rc = cases_household_resolve(ctx, zRegno, 0, zHh, out->zRegno, NULL,
                                    err)) != 0)
    return rc;
  if ((rc = cases_facts_init(&f, ctx, zHh, err)) != 0)
    goto out;
  cases_today(out->zDate);
  out->azName = sws_calloc((size_t)f.nMem + 1, sizeof *out->azName);
  for (int i = 0; i < f.nMem; i++)
    out->azName[out->nName++] = sws_strdup(f.aMem[i].m->zName);
  /* the latest assessment, if any, and the questionnaire it used */
  rc = cases_assessment_latest(ctx, zHh, &a, &e2);
  if (rc == 0) {
    st.a = &a;
    out->assessment = a.number;
    out->score = a.score;
    sws_strlcpy(out->zBand, a.zBand, sizeof out->zBand);
    sws_strlcpy(out->zInstrument, a.zInstrument, sizeof out->zInstrument);
    out->version = a.version;
    f.bAssessed = 1;
    f.aAnswer = a.aAnswer;
    f.nAnswer = a.nAnswer;
    f.score = a.score;
    f.zBand = a.zBand;
    f.azFlag = (const char *const *)a.azFlag;
    f.nFlag = a.nFlag;
    for (int i = 0; i < a.nItem; i++)
      if (a.aItem[i].outcome == 1 && a.aItem[i].member && a.aItem[i].zFlag[0])
        cases_facts_member_flag(&f, a.aItem[i].member, a.aItem[i].zFlag);
    st.ref = screener_ref(s, a.zInstrument, a.version);
  } else if (rc == SWS_ENOTFOUND) {
    st.ref = screener_ref(s, NULL, 0);
  } else {
    if (err)
      *err = e2;
    goto out;
  }
  f.bAssessmentFacts = 1;
  rc = 0;
  out->aProg = sws_calloc((size_t)s->progs.n + 1, sizeof *out->aProg);
  for (int i = 0; i < s->progs.n; i++) {
    struct screen_programme *sp = &out->aProg[out->nProg++];
    sp->p = s->progs.a[i];
    if (bSteal)
      memset(&s->progs.a[i], 0, sizeof s->progs.a[i]);
    int nTimes = sp->p.bMember ? f.nMem : 1;
    sp->aRes = sws_calloc((size_t)nTimes + 1, sizeof *sp->aRes);
    for (int k = 0; k < nTimes && rc == 0; k++) {
      struct screen_result *res = &sp->aRes[sp->nRes++];
      rc = screen_one(&st, &sp->p, sp->p.bMember ? k : -1, res, err);
      res->zMemberName = sp->p.bMember ? out->azName[k] : "";
    }
    if (rc != 0)
      goto out;
  }
  rc = mark_live(&st, zHh, err);
out:
  cases_assessment_release(&a);
  cases_facts_release(&f);
  return rc;
}

int cases_screener_run(struct screener *s, const char *zRegno,
                       struct screening *out, struct sws_err *err)
{
  return screen_with(s, zRegno, 0, out, err);
}

int cases_screen(struct sws_ctx *ctx, const char *zRegno,
                 struct screening *out, struct sws_err *err)
{
  struct screener *s;
  int rc = cases_screener_open(ctx, 1, &s, err);
  if (rc != 0) {
    memset(out, 0, sizeof *out);
    return rc;
  }
  rc = screen_with(s, zRegno, 1, out, err);
  cases_screener_close(s);
  return rc;
}

/* ---- enrolment ---- */

static int enrolment_id(struct sws_ctx *ctx, int64_t number, char *zId,
                        char *zStatus, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT id, status FROM enrolment WHERE number = :n",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":n", number);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zId, db_col_str(q, 0), SWS_UUID_LEN + 1);
    sws_strlcpy(zStatus, db_col_str(q, 1), 12);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no enrolment %lld in this office "
                     "(see 'sws enrolment list REGNO')", (long long)number);
  }
  db_done(ctx->db, q);
  return rc;
}

/* The live application of (household, member id or NULL, programme). */
static int live_application(struct sws_ctx *ctx, const char *zHh,
                            const char *zMemberId, const char *zCode,
                            int64_t *pNumber, char *zStatus,
                            struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT number, status FROM enrolment WHERE "
                      "household_id = :hh AND coalesce(member_id, '') = "
                      "coalesce(:m, '') AND programme_code = :p AND status "
                      "IN ('applied', 'approved')",
                      err);
  *pNumber = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":hh", zHh);
  db_bind_text(q, ":m", zMemberId);
  db_bind_text(q, ":p", zCode);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *pNumber = db_col_int64(q, 0);
    sws_strlcpy(zStatus, db_col_str(q, 1), 12);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_enrol(struct sws_ctx *ctx, const char *zRegno, int member,
                const char *zCode, int64_t *pNumber, struct sws_err *err)
{
  struct household h;
  struct programme p;
  const struct member *m = NULL;
  char zHh[SWS_UUID_LEN + 1], zId[SWS_UUID_LEN + 1] = "", zStatus[12];
  char zDetail[200], zWho[32];
  sqlite3_stmt *q;
  int64_t live;
  int rc;
  *pNumber = 0;
  if ((rc = cases_household_resolve(ctx, zRegno, 1, zHh, NULL, NULL, err)))
    return rc;
  if ((rc = cases_programme_get(ctx, zCode ? zCode : "", &p, err)) != 0)
    return rc;
  if ((rc = cases_household_get(ctx, zHh, &h, err)) != 0) {
    cases_programme_clear(&p);
    return rc;
  }
  if (strcmp(h.zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s is deactivated; "
                     "reactivate it first", h.zRegno);
    goto out;
  }
  if (!p.active) {
    rc = sws_err_set(err, SWS_ECONFLICT, "programme '%s' is no longer "
                     "offered (it was last in catalogue version %d); see "
                     "'sws programme list'", p.zCode, p.catalogue_version);
    goto out;
  }
  if (p.bMember && member == 0) {
    rc = sws_err_set(err, SWS_EINVAL, "programme '%s' is for individual "
                     "members: say who applies with --member N", p.zCode);
    goto out;
  }
  if (!p.bMember && member != 0) {
    rc = sws_err_set(err, SWS_EINVAL, "programme '%s' is for whole "
                     "households: apply without --member", p.zCode);
    goto out;
  }
  if (member) {
    m = cases_household_member(&h, member);
    if (m == NULL) {
      rc = sws_err_set(err, SWS_ENOTFOUND, "household %s has no member %d "
                       "(see 'sws household show %s')", h.zRegno, member,
                       h.zRegno);
      goto out;
    }
    if (strcmp(m->zStatus, "active") != 0) {
      rc = sws_err_set(err, SWS_ECONFLICT, "member %d of %s is %s; only "
                       "active members apply", member, h.zRegno, m->zStatus);
      goto out;
    }
  }
  if (member)
    snprintf(zWho, sizeof zWho, "member %d of", member);
  else
    sws_strlcpy(zWho, "household", sizeof zWho);
  if ((rc = live_application(ctx, h.zId, m ? m->zId : NULL, p.zCode, &live,
                             zStatus, err)) != 0)
    goto out;
  if (live) {
    rc = sws_err_set(err, SWS_ECONFLICT, "%s %s already has a live "
                     "application to '%s' (enrolment %lld, %s)", zWho,
                     h.zRegno, p.zCode, (long long)live, zStatus);
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "enrolment.apply", err)) != 0)
    goto out;
  if ((rc = cases_counter_next(ctx, "enrolment", pNumber, err)) != 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO enrolment(id, number, household_id, "
                       "member_id, programme_code, applied_at, applied_by, "
                       "updated_at) VALUES (:id, :n, :hh, :m, :p, sws_now(), "
                       "sws_actor(), sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_int64(q, ":n", *pNumber);
  db_bind_text(q, ":hh", h.zId);
  db_bind_text(q, ":m", m ? m->zId : NULL);
  db_bind_text(q, ":p", p.zCode);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
done:
  snprintf(zDetail, sizeof zDetail, "enrolment %lld: %s %s applies to %s",
           (long long)*pNumber, zWho, h.zRegno, p.zCode);
  rc = cases_op_end(ctx, rc, "enrolment", zId, zDetail, err);
  if (rc != 0)
    *pNumber = 0;
out:
  cases_household_release(&h);
  cases_programme_clear(&p);
  return rc;
}

int cases_enrolment_decide(struct sws_ctx *ctx, int64_t number, int bApprove,
                           const char *zReason, struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1], zStatus[12], zDetail[120];
  const char *zTo = bApprove ? "approved" : "rejected";
  sqlite3_stmt *q;
  int rc;
  if (zReason && sws_blank(zReason))
    zReason = NULL;
  if (!bApprove && zReason == NULL)
    return sws_err_set(err, SWS_EINVAL, "say why the application is "
                       "rejected (--reason TEXT); the family is told");
  if (zReason && (rc = sws_text_check("the reason", zReason, 500, 1, err)))
    return rc;
  if ((rc = enrolment_id(ctx, number, zId, zStatus, err)) != 0)
    return rc;
  if (strcmp(zStatus, "applied") != 0)
    return sws_err_set(err, SWS_ECONFLICT, "enrolment %lld is already %s; "
                       "only an application still applied can be approved "
                       "or rejected", (long long)number, zStatus);
  if ((rc = cases_op_begin(ctx, "enrolment.decide", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE enrolment SET status = :s, reason = :r, "
                       "decided_at = sws_now(), decided_by = sws_actor(), "
                       "updated_at = sws_now() WHERE id = :id AND status = "
                       "'applied'",
                       err)) == 0) {
    db_bind_text(q, ":s", zTo);
    db_bind_text(q, ":r", zReason ? zReason : "");
    db_bind_text(q, ":id", zId);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  snprintf(zDetail, sizeof zDetail, "enrolment %lld %s", (long long)number,
           zTo);
  return cases_op_end(ctx, rc, "enrolment", zId, zDetail, err);
}

#define SELECT_ENROLMENT                                                       \
  "SELECT e.number, e.id, h.regno, coalesce(m.line_no, 0), "                   \
  "coalesce(m.name, ''), e.programme_code, coalesce(p.name, ''), e.status, "   \
  "e.reason, e.applied_at, e.applied_by, coalesce(e.decided_at, ''), "         \
  "coalesce(e.decided_by, '') FROM enrolment e JOIN household h ON h.id = "    \
  "e.household_id LEFT JOIN member m ON m.id = e.member_id LEFT JOIN "         \
  "programme p ON p.code = e.programme_code "

static void enrolment_fill(sqlite3_stmt *q, struct enrolment *e)
{
  memset(e, 0, sizeof *e);
  e->number = db_col_int64(q, 0);
  sws_strlcpy(e->zId, db_col_str(q, 1), sizeof e->zId);
  sws_strlcpy(e->zRegno, db_col_str(q, 2), sizeof e->zRegno);
  e->member = (int)db_col_int64(q, 3);
  sws_strlcpy(e->zMemberName, db_col_str(q, 4), sizeof e->zMemberName);
  sws_strlcpy(e->zProgramme, db_col_str(q, 5), sizeof e->zProgramme);
  sws_strlcpy(e->zProgrammeName, db_col_str(q, 6), sizeof e->zProgrammeName);
  sws_strlcpy(e->zStatus, db_col_str(q, 7), sizeof e->zStatus);
  sws_strlcpy(e->zReason, db_col_str(q, 8), sizeof e->zReason);
  sws_strlcpy(e->zAppliedAt, db_col_str(q, 9), sizeof e->zAppliedAt);
  sws_strlcpy(e->zAppliedBy, db_col_str(q, 10), sizeof e->zAppliedBy);
  sws_strlcpy(e->zDecidedAt, db_col_str(q, 11), sizeof e->zDecidedAt);
  sws_strlcpy(e->zDecidedBy, db_col_str(q, 12), sizeof e->zDecidedBy);
}

int cases_enrolment_get(struct sws_ctx *ctx, int64_t number,
                        struct enrolment *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, SELECT_ENROLMENT "WHERE e.number = :n",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":n", number);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    enrolment_fill(q, out);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no enrolment %lld in this office "
                     "(see 'sws enrolment list REGNO')", (long long)number);
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_enrolment_list(struct sws_ctx *ctx, const char *zRegno,
                         int (*fn)(const struct enrolment *, void *),
                         void *arg, struct sws_err *err)
{
  char zHh[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_household_resolve(ctx, zRegno, 0, zHh, NULL, NULL, err)))
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       SELECT_ENROLMENT "WHERE e.household_id = :hh ORDER "
                                        "BY e.rid DESC",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":hh", zHh);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct enrolment e;
    enrolment_fill(q, &e);
    if (fn(&e, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
