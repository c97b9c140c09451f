/*
 * report.c - indicators counted over the office's records (see report.h).
 *
 * Each indicator names a fact: one SQL query below, one row per thing
 * counted (a household, a person, a case, an event), with the area it
 * belongs to, the person it is about (sex, birth date, disability), up to
 * three category values and a number (days, or who holds it). The engine
 * reads the rows once and adds each to its area's cells and the scope's;
 * cases/suppress.c then hides the small counts.
 */
#include "cases/report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/facts.h"
#include "cases/suppress.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"

extern const char cases_default_indicators_json[];

/* ---- facts ---- */

enum { NUM_NONE, NUM_DAYS, NUM_HOLDER };

/* What each fact gives (its rows come from a struct report_source). */
struct fact {
  const char *zName;
  const char *azCat[3]; /* the categories of its rows, or NULL */
  int num;              /* what its rows' number is */
};

static const struct fact FACTS[] = {
    {"household_registered", {NULL}, NUM_NONE},
    {"member_registered", {NULL}, NUM_NONE},
    {"case_opened", {NULL}, NUM_NONE},
    {"case_closed", {NULL}, NUM_NONE},
    {"case_open_at_end", {NULL}, NUM_HOLDER},
    {"plan_action_overdue", {NULL}, NUM_NONE},
    {"assessment_done", {"band"}, NUM_NONE},
    {"referral_made", {"service"}, NUM_NONE},
    {"referral_completed", {"service"}, NUM_DAYS},
    {"grievance_received", {NULL}, NUM_NONE},
    {"grievance_resolved", {"layer"}, NUM_DAYS},
    {"grievance_deadline_missed", {"layer"}, NUM_NONE},
    {"grievance_escalated", {"layer"}, NUM_NONE},
    {"grievance_appealed", {"layer"}, NUM_NONE},
    {"application", {"programme", "agency", "guarantee"}, NUM_NONE},
    {"enrolment", {"programme", "agency", "guarantee"}, NUM_NONE},
    {"eligible_not_enrolled", {"programme", "agency", "guarantee"},
     NUM_NONE},
    {"duplicate_open", {"source"}, NUM_NONE},
    {"office_not_synced", {"office"}, NUM_NONE},
};
#define N_FACTS ((int)(sizeof FACTS / sizeof FACTS[0]))

static int fact_find(const char *z)
{
  for (int i = 0; z && i < N_FACTS; i++)
    if (strcmp(FACTS[i].zName, z) == 0)
      return i;
  return -1;
}

/* ---- the indicator set ---- */

enum { M_COUNT, M_MEDIAN_DAYS, M_PER_HOLDER };

struct indicator {
  const char *zCode; /* in the set's JSON */
  int fact, measure;
  int bArea, bSex, bAge, bDis;
  int nCat; /* categories kept: the fact's first nCat */
};

struct report_set {
  json_t *root;
  int version;
  const char *zAges;
  int suppress;
  struct indicator *a;
  int n;
  char zDigest[2 * 16 + 1]; /* of its text: which set a kept report used */
};

static int parse_indicator(json_t *j, size_t i, struct indicator *x,
                           struct sws_err *err)
{
  const char *zCode = json_string_value(json_object_get(j, "code"));
  const char *zFact = json_string_value(json_object_get(j, "fact"));
  const char *zMeasure = json_string_value(json_object_get(j, "measure"));
  json_t *br = json_object_get(j, "breakdowns");
  json_t *cats = json_object_get(j, "categories");
  size_t k;
  json_t *v;
  memset(x, 0, sizeof *x);
  if (zCode == NULL || zCode[0] == '\0' || strlen(zCode) >= REPORT_CODE_MAX)
    return sws_err_set(err, SWS_EINVAL,
                       "indicator %zu: a code of 1 to %d "
                       "characters is needed",
                       i + 1, REPORT_CODE_MAX - 1);
  x->zCode = zCode;
  if ((x->fact = fact_find(zFact)) < 0)
    return sws_err_set(err, SWS_EINVAL,
                       "indicator %s: '%s' is not a fact "
                       "this version of sws can count",
                       zCode, zFact ? zFact : "");
  const struct fact *f = &FACTS[x->fact];
  if (zMeasure && strcmp(zMeasure, "count") == 0)
    x->measure = M_COUNT;
  else if (zMeasure && strcmp(zMeasure, "median_days") == 0 &&
           f->num == NUM_DAYS)
    x->measure = M_MEDIAN_DAYS;
  else if (zMeasure && strcmp(zMeasure, "per_holder") == 0 &&
           f->num == NUM_HOLDER)
    x->measure = M_PER_HOLDER;
  else
    return sws_err_set(err, SWS_EINVAL,
                       "indicator %s: measure '%s' does "
                       "not apply to fact %s (count, median_days or "
                       "per_holder)",
                       zCode, zMeasure ? zMeasure : "", f->zName);
  if (!json_is_array(br))
    return sws_err_set(err, SWS_EINVAL,
                       "indicator %s: breakdowns must be "
                       "a list",
                       zCode);
  json_array_foreach(br, k, v)
  {
    const char *z = json_string_value(v);
    int *pb = !z                             ? NULL
              : strcmp(z, "area") == 0       ? &x->bArea
              : strcmp(z, "sex") == 0        ? &x->bSex
              : strcmp(z, "age_group") == 0  ? &x->bAge
              : strcmp(z, "disability") == 0 ? &x->bDis
                                             : NULL;
    if (pb == NULL)
      return sws_err_set(err, SWS_EINVAL,
                         "indicator %s: '%s' is not a "
                         "breakdown (area, sex, age_group, disability)",
                         zCode, z ? z : "");
    *pb = 1;
  }
  if (x->measure == M_PER_HOLDER && (x->bSex || x->bAge || x->bDis))
    return sws_err_set(err, SWS_EINVAL,
                       "indicator %s: a mean per holder "
                       "is broken down by area only",
                       zCode);
  json_array_foreach(cats, k, v)
  {
    const char *z = json_string_value(v);
    if (k >= 3 || z == NULL || f->azCat[k] == NULL ||
        strcmp(f->azCat[k], z) != 0)
      return sws_err_set(err, SWS_EINVAL,
                         "indicator %s: category '%s' is "
                         "not the fact's %s one",
                         zCode, z ? z : "",
                         k < 3 && f->azCat[k] ? f->azCat[k] : "next");
    x->nCat = (int)k + 1;
  }
  return SWS_OK;
}

int report_set_parse(struct report_set **out, const char *zJson, size_t n,
                     struct sws_err *err)
{
  json_error_t je;
  struct report_set *s = sws_calloc(1, sizeof *s);
  int rc = SWS_OK;
  *out = NULL;
  s->root = json_loadb(zJson, n, JSON_REJECT_DUPLICATES, &je);
  if (s->root == NULL) {
    free(s);
    return sws_err_set(err, SWS_EINVAL,
                       "the indicator set is not valid "
                       "JSON (line %d: %s)",
                       je.line, je.text);
  }
  unsigned char h[SWS_SHA256_BYTES];
  sws_sha256(h, zJson, n);
  sws_hex(s->zDigest, h, 16);
  json_t *a = json_object_get(s->root, "indicators");
  json_t *jv = json_object_get(s->root, "version");
  s->version = json_is_integer(jv) ? (int)json_integer_value(jv) : 0;
  s->zAges = json_string_value(json_object_get(s->root, "age_groups"));
  if (s->zAges == NULL)
    s->zAges = "0-17,18-59,60+"; /* the life cycle of R202's guarantees */
  json_t *jk = json_object_get(s->root, "suppress_below");
  s->suppress = json_is_integer(jk) ? (int)json_integer_value(jk) : 5;
  if (s->version < 1)
    rc = sws_err_set(err, SWS_EINVAL,
                     "the indicator set needs a version "
                     "(1 or more)");
  else if (!json_is_array(a) || json_array_size(a) == 0)
    rc = sws_err_set(err, SWS_EINVAL,
                     "the indicator set lists no "
                     "indicators");
  if (rc == 0) {
    s->a = sws_calloc(json_array_size(a), sizeof *s->a);
    for (size_t i = 0; i < json_array_size(a) && rc == 0; i++) {
      rc = parse_indicator(json_array_get(a, i), i, &s->a[s->n], err);
      for (int k = 0; rc == 0 && k < s->n; k++)
        if (strcmp(s->a[k].zCode, s->a[s->n].zCode) == 0)
          rc = sws_err_set(err, SWS_EINVAL, "indicator %s is listed twice",
                           s->a[k].zCode);
      if (rc == 0)
        s->n++;
    }
  }
  if (rc != 0) {
    report_set_free(s);
    return rc;
  }
  *out = s;
  return SWS_OK;
}

int report_set_load_default(struct report_set **out, struct sws_err *err)
{
  return report_set_parse(out, cases_default_indicators_json,
                          strlen(cases_default_indicators_json), err);
}

void report_set_free(struct report_set *s)
{
  if (s == NULL)
    return;
  json_decref(s->root);
  free(s->a);
  free(s);
}

const char *report_set_ages(const struct report_set *s)
{
  return s->zAges;
}

const char *report_set_digest(const struct report_set *s)
{
  return s->zDigest;
}

int report_set_version(const struct report_set *s)
{
  return s->version;
}

int report_set_count(const struct report_set *s)
{
  return s->n;
}

const char *report_set_code(const struct report_set *s, int i)
{
  return i >= 0 && i < s->n ? s->a[i].zCode : NULL;
}

const char *report_set_label(const struct report_set *s, const char *zKey,
                             const char *zLang)
{
  json_t *names = json_object_get(json_object_get(s->root, "labels"), zKey);
  if (names == NULL) {
    json_t *a = json_object_get(s->root, "indicators");
    size_t i;
    json_t *j;
    json_array_foreach(a, i, j)
    {
      const char *z = json_string_value(json_object_get(j, "code"));
      if (z && zKey && strcmp(z, zKey) == 0) {
        names = json_object_get(j, "name");
        break;
      }
    }
  }
  const char *z =
      json_string_value(json_object_get(names, zLang ? zLang : "en"));
  return z ? z : json_string_value(json_object_get(names, "en"));
}

const char *report_set_text(const struct report_set *s, const char *zKey,
                            const char *zLang)
{
  const char *z = report_set_label(s, zKey, zLang);
  return z ? z : zKey;
}

const char *report_cell_heading(const struct report_set *s,
                                const struct report_cell *c,
                                const char *zLang)
{
  switch (c->dim) {
  case REPORT_TOTAL:
    return report_set_text(s, "total", zLang);
  case REPORT_SEX:
    return report_set_text(s, c->zSex, zLang);
  case REPORT_AGE:
    return strcmp(c->zAge, "unknown") == 0
               ? report_set_text(s, "unknown", zLang)
               : c->zAge;
  case REPORT_DISABILITY:
    return report_set_text(s, c->zDisability, zLang);
  default:
    return c->zCat;
  }
}

/* ---- periods ---- */

/* A real date YYYY-MM-DD into y, m, d. */
static int date_parse(const char *z, int *y, int *m, int *d)
{
  char c;
  if (strlen(z) != 10 || sscanf(z, "%4d-%2d-%2d%c", y, m, d, &c) != 3 ||
      z[4] != '-' || z[7] != '-' || *y < 1900 || *y > 2999 ||
      !sws_date_valid(*y, *m, *d))
    return -1;
  return 0;
}

/* The day k days after y-m-d (k may be negative), in place. */
static void add_days(int *y, int *m, int *d, int k)
{
  sws_civil_from_days(sws_days_from_civil(*y, *m, *d) + k, y, m, d);
}

/* YYYY-MM-DD into z (11 bytes); the values are in range by then. */
static void ymd(char *z, int y, int m, int d)
{
  snprintf(z, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
}

int report_period_parse(const char *z, struct report_period *out,
                        struct sws_err *err)
{
  int y, m, d, y2, m2, d2, q;
  char c;
  memset(out, 0, sizeof *out);
  if (z == NULL)
    z = "";
  const char *zDots = strstr(z, "..");
  if (zDots) {
    char zA[11], zB[11];
    if (zDots - z >= (long)sizeof zA || strlen(zDots + 2) >= sizeof zB)
      goto bad;
    memcpy(zA, z, (size_t)(zDots - z));
    zA[zDots - z] = '\0';
    memcpy(zB, zDots + 2, strlen(zDots + 2) + 1);
    if (date_parse(zA, &y, &m, &d) != 0 || date_parse(zB, &y2, &m2, &d2))
      goto bad;
    if (strcmp(zA, zB) > 0)
      return sws_err_set(err, SWS_EINVAL,
                         "the period %s ends before it "
                         "starts; give FROM..TO with FROM first",
                         z);
    memcpy(out->zFrom, zA, sizeof zA);
    add_days(&y2, &m2, &d2, 1);
    ymd(out->zTo, y2, m2, d2);
    memcpy(out->zLast, zB, sizeof zB);
    snprintf(out->zLabel, sizeof out->zLabel, "%s..%s", zA, zB);
    snprintf(out->zIso, sizeof out->zIso, "%s..%s", zA, zB);
    return SWS_OK;
  }
  if (strlen(z) == 7 && sscanf(z, "%4d-Q%1d%c", &y, &q, &c) == 2 &&
      z[5] == 'Q' && q >= 1 && q <= 4 && y >= 1900 && y <= 2999) {
    ymd(out->zFrom, y, 3 * q - 2, 1);
    ymd(out->zTo, q == 4 ? y + 1 : y, q == 4 ? 1 : 3 * q + 1, 1);
    snprintf(out->zIso, sizeof out->zIso, "%04uQ%u", (unsigned)y % 10000u,
             (unsigned)q % 10u);
  } else if (strlen(z) == 7 && sscanf(z, "%4d-%2d%c", &y, &m, &c) == 2 &&
             z[4] == '-' && m >= 1 && m <= 12 && y >= 1900 && y <= 2999) {
    ymd(out->zFrom, y, m, 1);
    ymd(out->zTo, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
    snprintf(out->zIso, sizeof out->zIso, "%04u%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u);
  } else if (strlen(z) == 4 && sscanf(z, "%4d%c", &y, &c) == 1 && y >= 1900 &&
             y <= 2999) {
    ymd(out->zFrom, y, 1, 1);
    ymd(out->zTo, y + 1, 1, 1);
    snprintf(out->zIso, sizeof out->zIso, "%04u", (unsigned)y % 10000u);
  } else {
    goto bad;
  }
  snprintf(out->zLabel, sizeof out->zLabel, "%s", z);
  /* the day before zTo */
  date_parse(out->zTo, &y, &m, &d);
  add_days(&y, &m, &d, -1);
  ymd(out->zLast, y, m, d);
  return SWS_OK;
bad:
  return sws_err_set(err, SWS_EINVAL,
                     "'%.40s' is not a period: give a "
                     "month (2026-11), a quarter (2026-Q4), a year (2026) "
                     "or two days FROM..TO (2026-01-01..2026-03-31)",
                     z);
}

void report_period_month(const char *zDay, struct report_period *out)
{
  char z[8];
  snprintf(z, sizeof z, "%.7s", zDay);
  if (report_period_parse(z, out, NULL) != 0)
    report_period_parse("2026-01", out, NULL);
}

/* ---- age groups ---- */

struct ages {
  int n;
  int aLo[REPORT_AGE_MAX], aHi[REPORT_AGE_MAX]; /* aHi -1: and over */
  char az[REPORT_AGE_MAX][24]; /* as long as the part read */
};

static int ages_parse(const char *z, struct ages *a, struct sws_err *err)
{
  int next = 0;
  memset(a, 0, sizeof *a);
  while (z && *z) {
    int lo, hi = -1, len = 0;
    char zPart[24];
    size_t n = strcspn(z, ",");
    if (n == 0 || n >= sizeof zPart || a->n == REPORT_AGE_MAX)
      goto bad;
    memcpy(zPart, z, n);
    zPart[n] = '\0';
    if (sscanf(zPart, "%d-%d%n", &lo, &hi, &len) == 2 &&
        len == (int)strlen(zPart) && hi >= lo) {
      /* a closed band */
    } else if (sscanf(zPart, "%d+%n", &lo, &len) == 1 &&
               len == (int)strlen(zPart)) {
      hi = -1;
    } else {
      goto bad;
    }
    if (lo != next || lo > 150 || hi > 150 ||
        (a->n > 0 && a->aHi[a->n - 1] < 0))
      goto bad;
    a->aLo[a->n] = lo;
    a->aHi[a->n] = hi;
    snprintf(a->az[a->n], sizeof a->az[a->n], "%s", zPart);
    a->n++;
    next = hi + 1;
    z += n;
    if (*z == ',')
      z++;
  }
  if (a->n == 0 || a->aHi[a->n - 1] >= 0)
    goto bad;
  return SWS_OK;
bad:
  return sws_err_set(err, SWS_EINVAL,
                     "'%s' are not age groups: give bands "
                     "from 0 up, each starting where the last ended, the "
                     "last open-ended, e.g. 0-17,18-59,60+",
                     z ? z : "");
}

/* The age group of someone born zBorn on day zDay, counted as the rest
 * of sws counts ages (cases_member_age); -1 when not known. */
static int age_group(const struct ages *a, const char *zBorn,
                     const char *zDay)
{
  int age = zBorn ? cases_member_age(zBorn, zDay) : -1;
  if (age < 0)
    return -1;
  for (int i = 0; i < a->n; i++)
    if (age >= a->aLo[i] && (a->aHi[i] < 0 || age <= a->aHi[i]))
      return i;
  return -1;
}

/* ---- areas ---- */

struct place {
  char zCode[SWS_AREA_CODE_MAX];
  char zParent[SWS_AREA_CODE_MAX];
  char *zName;
  int level;
  int row;    /* its row in the report at the layer asked for, or -1 */
  int bScope; /* the scope or under it */
};

struct places {
  struct place *a;
  int n, nAlloc;
};

static int place_cmp(const void *x, const void *y)
{
  return strcmp(((const struct place *)x)->zCode,
                ((const struct place *)y)->zCode);
}

static struct place *place_find(struct places *ps, const char *z)
{
  struct place key;
  if (z == NULL || ps->n == 0) /* bsearch is not given a NULL array */
    return NULL;
  snprintf(key.zCode, sizeof key.zCode, "%s", z);
  return bsearch(&key, ps->a, (size_t)ps->n, sizeof *ps->a, place_cmp);
}

static int place_add(void *arg, const char *zCode, const char *zParent,
                     const char *zName, int level)
{
  struct places *ps = arg;
  if (ps->n == ps->nAlloc) {
    ps->nAlloc = ps->nAlloc ? 2 * ps->nAlloc : 256;
    ps->a = sws_realloc(ps->a, sizeof *ps->a * (size_t)ps->nAlloc);
  }
  struct place *p = &ps->a[ps->n++];
  memset(p, 0, sizeof *p);
  snprintf(p->zCode, sizeof p->zCode, "%s", zCode);
  snprintf(p->zParent, sizeof p->zParent, "%s", zParent ? zParent : "");
  p->zName = sws_strdup(zName ? zName : "");
  p->level = level;
  p->row = -1;
  return 0;
}

/* The source's areas, sorted by code for place_find. */
static int places_load(const struct report_source *src, struct places *ps,
                       struct sws_err *err)
{
  memset(ps, 0, sizeof *ps);
  int rc = src->areas(src->src, place_add, ps, err);
  if (rc == 0 && ps->n > 1)
    qsort(ps->a, (size_t)ps->n, sizeof *ps->a, place_cmp);
  return rc;
}

static void places_free(struct places *ps)
{
  for (int i = 0; i < ps->n; i++)
    free(ps->a[i].zName);
  free(ps->a);
}

/* Whether p is zScope or under it (by its parents, at most 8 up). */
static int under(struct places *ps, struct place *p, const char *zScope)
{
  for (int k = 0; p && k < 8; k++) {
    if (strcmp(p->zCode, zScope) == 0)
      return 1;
    p = place_find(ps, p->zParent);
  }
  return 0;
}

/* p's ancestor (or p) at level, or NULL. */
static struct place *at_level(struct places *ps, struct place *p, int level)
{
  for (int k = 0; p && k < 8; k++) {
    if (p->level == level)
      return p;
    if (p->level < level)
      return NULL;
    p = place_find(ps, p->zParent);
  }
  return NULL;
}

/* ---- cells ---- */

/* One cell while counting: a count, the numbers (medians), the holders
 * (means per holder). */
struct acc {
  int64_t n;
  double *aNum;
  int nNum, nNumAlloc;
  char **azHolder; /* distinct, unsorted */
  int nHolder, nHolderAlloc;
};

/* The columns of one indicator: total, sexes, age groups, disability,
 * then each category's values as they come. */
struct slot {
  int dim;
  const char *zSex, *zAge, *zDis, *zCatType;
  char *zCat; /* owned, for categories */
};

struct tally {
  const struct indicator *x;
  struct slot *aSlot;
  int nSlot, nSlotAlloc;
  int iSex, iAge, iDis; /* first slot of each, or -1 */
  int nAgeSlot;
  struct acc **aRow; /* [row][slot]; rows: areas, elsewhere, scope */
  int *nRowSlot;
  int nRow;
};

static const char *const SEXES[] = {"F", "M", "unknown"};
static const char *const DISABILITY[] = {"yes", "no", "unknown"};

static int slot_add(struct tally *t, int dim, const char *zSex,
                    const char *zAge, const char *zDis, const char *zCatType,
                    const char *zCat)
{
  if (t->nSlot == t->nSlotAlloc) {
    t->nSlotAlloc = t->nSlotAlloc ? 2 * t->nSlotAlloc : 32;
    t->aSlot = sws_realloc(t->aSlot, sizeof *t->aSlot * (size_t)t->nSlotAlloc);
  }
  struct slot *s = &t->aSlot[t->nSlot];
  s->dim = dim;
  s->zSex = zSex;
  s->zAge = zAge;
  s->zDis = zDis;
  s->zCatType = zCatType;
  s->zCat = zCat ? sws_strdup(zCat) : NULL;
  return t->nSlot++;
}

static int cat_slot(struct tally *t, int k, const char *zCat)
{
  const char *zType = FACTS[t->x->fact].azCat[k];
  if (zCat == NULL || zCat[0] == '\0')
    zCat = "unknown";
  for (int i = 0; i < t->nSlot; i++)
    if (t->aSlot[i].dim == REPORT_CATEGORY && t->aSlot[i].zCatType == zType &&
        strcmp(t->aSlot[i].zCat, zCat) == 0)
      return i;
  return slot_add(t, REPORT_CATEGORY, "", "", "", zType, zCat);
}

static struct acc *cell(struct tally *t, int row, int s)
{
  if (s >= t->nRowSlot[row]) {
    int n = t->nSlotAlloc > s ? t->nSlotAlloc : s + 1;
    t->aRow[row] = sws_realloc(t->aRow[row], sizeof **t->aRow * (size_t)n);
    memset(t->aRow[row] + t->nRowSlot[row], 0,
           sizeof **t->aRow * (size_t)(n - t->nRowSlot[row]));
    t->nRowSlot[row] = n;
  }
  return &t->aRow[row][s];
}

static void acc_add(struct acc *a, double num, const char *zHolder)
{
  a->n++;
  if (a->nNum == a->nNumAlloc) {
    a->nNumAlloc = a->nNumAlloc ? 2 * a->nNumAlloc : 8;
    a->aNum = sws_realloc(a->aNum, sizeof *a->aNum * (size_t)a->nNumAlloc);
  }
  if (!isnan(num))
    a->aNum[a->nNum++] = num;
  if (zHolder == NULL)
    return;
  for (int i = 0; i < a->nHolder; i++)
    if (strcmp(a->azHolder[i], zHolder) == 0)
      return;
  if (a->nHolder == a->nHolderAlloc) {
    a->nHolderAlloc = a->nHolderAlloc ? 2 * a->nHolderAlloc : 4;
    a->azHolder =
        sws_realloc(a->azHolder, sizeof *a->azHolder * (size_t)a->nHolderAlloc);
  }
  a->azHolder[a->nHolder++] = sws_strdup(zHolder);
}

static void tally_free(struct tally *t)
{
  for (int r = 0; r < t->nRow; r++) {
    for (int s = 0; s < t->nRowSlot[r]; s++) {
      struct acc *a = &t->aRow[r][s];
      free(a->aNum);
      for (int i = 0; i < a->nHolder; i++)
        free(a->azHolder[i]);
      free(a->azHolder);
    }
    free(t->aRow[r]);
  }
  free(t->aRow);
  free(t->nRowSlot);
  for (int i = 0; i < t->nSlot; i++)
    free(t->aSlot[i].zCat);
  free(t->aSlot);
}

/* What counting one indicator needs besides its tally. */
struct run {
  const struct report_source *src;
  const struct report_opts *o;
  struct places ps;
  struct ages ages;
  const char *azAge[REPORT_AGE_MAX]; /* the groups' names, the report's */
  char zLastDay[11];                 /* the period's last day: ages are on it */
  struct place **aArea; /* the rows' areas (layer asked for, in scope) */
  int nArea;
  int rowElsewhere, rowScope;
};

/* Add one row of a fact to its area's cells and the scope's. */
static void record(struct run *u, struct tally *t, const struct report_row *r)
{
  const char *zArea = r->zArea, *zSex = r->zSex;
  int dis = r->disability;
  struct place *p = place_find(&u->ps, zArea);
  if (u->o->zArea && (p == NULL || !p->bScope))
    return; /* outside the scope asked for */
  int row = u->rowElsewhere;
  if (u->o->layer > 0) {
    struct place *a = at_level(&u->ps, p, u->o->layer);
    if (a && a->row >= 0)
      row = a->row;
  }
  int aSlot[8 + 3], n = 0;
  aSlot[n++] = 0;
  if (t->iSex >= 0)
    aSlot[n++] = t->iSex + (zSex && strcmp(zSex, "F") == 0   ? 0
                            : zSex && strcmp(zSex, "M") == 0 ? 1
                                                             : 2);
  if (t->iAge >= 0) {
    int g = age_group(&u->ages, r->zBorn, u->zLastDay);
    aSlot[n++] = t->iAge + (g < 0 ? u->ages.n : g);
  }
  if (t->iDis >= 0)
    aSlot[n++] = t->iDis + (dis == 1 ? 0 : dis == 0 ? 1 : 2);
  for (int k = 0; k < t->x->nCat; k++)
    aSlot[n++] = cat_slot(t, k, r->azCat[k]);
  for (int i = 0; i < n; i++) {
    if (u->o->layer > 0)
      acc_add(cell(t, row, aSlot[i]), r->num, r->zHolder);
    acc_add(cell(t, u->rowScope, aSlot[i]), r->num, r->zHolder);
  }
}

struct tally_run {
  struct run *u;
  struct tally *t;
};

static void on_row(void *arg, const struct report_row *r)
{
  struct tally_run *tr = arg;
  record(tr->u, tr->t, r);
}

/* ---- the report ---- */

/* A copy of z the report owns (cells point into it). */
const char *report_own(struct report *r, const char *z)
{
  if (r->nStr == r->nStrAlloc) {
    r->nStrAlloc = r->nStrAlloc ? 2 * r->nStrAlloc : 64;
    r->azStr = sws_realloc(r->azStr, sizeof *r->azStr * (size_t)r->nStrAlloc);
  }
  return r->azStr[r->nStr++] = sws_strdup(z ? z : "");
}

static int dbl_cmp(const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static double median(double *a, int n)
{
  if (n == 0)
    return NAN;
  qsort(a, (size_t)n, sizeof *a, dbl_cmp);
  double m = n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  return round(m * 10) / 10;
}

static struct report_cell *cell_new(struct report *r, int *pAlloc)
{
  if (r->nCell == *pAlloc) {
    *pAlloc = *pAlloc ? 2 * *pAlloc : 256;
    r->aCell = sws_realloc(r->aCell, sizeof *r->aCell * (size_t)*pAlloc);
  }
  struct report_cell *c = &r->aCell[r->nCell++];
  memset(c, 0, sizeof *c);
  return c;
}

/* The equations a count indicator's cells obey, for the suppression:
 * each row's total is the sum of each breakdown's cells; the scope's
 * cell is the sum of the rows'. aIdx[row][slot]: the table's cell. */
static int equations(struct suppress_table *st, const struct tally *t,
                     int **aIdx, const int *aRow, int nRowOut, int rowScope,
                     struct sws_err *err)
{
  int *aPart = sws_calloc((size_t)(t->nSlot + nRowOut + 1), sizeof *aPart);
  int rc = SWS_OK;
  for (int i = 0; i < nRowOut && rc == 0; i++) {
    int row = aRow[i];
    for (int dim = REPORT_SEX; dim <= REPORT_CATEGORY && rc == 0; dim++) {
      /* categories: one equation per category type */
      for (int k = 0; k < (dim == REPORT_CATEGORY ? 3 : 1) && rc == 0; k++) {
        const char *zType =
            dim == REPORT_CATEGORY ? FACTS[t->x->fact].azCat[k] : NULL;
        int n = 0;
        if (dim == REPORT_CATEGORY && (k >= t->x->nCat || zType == NULL))
          continue;
        for (int s = 1; s < t->nSlot; s++)
          if (t->aSlot[s].dim == dim &&
              (dim != REPORT_CATEGORY || t->aSlot[s].zCatType == zType))
            aPart[n++] = aIdx[row][s];
        if (n > 0)
          rc = suppress_sum(st, aIdx[row][0], aPart, n, err);
      }
    }
  }
  for (int s = 0; s < t->nSlot && rc == 0 && nRowOut > 1; s++) {
    int n = 0;
    for (int i = 0; i < nRowOut; i++)
      if (aRow[i] != rowScope)
        aPart[n++] = aIdx[aRow[i]][s];
    rc = suppress_sum(st, aIdx[rowScope][s], aPart, n, err);
  }
  free(aPart);
  return rc;
}

static int64_t acc_n(const struct tally *t, int row, int s)
{
  return s < t->nRowSlot[row] ? t->aRow[row][s].n : 0;
}

/* The cells of one counted indicator, onto the report. */
static int emit(struct report *r, struct run *u, struct tally *t,
                const char *zCode, int *pAlloc, struct sws_err *err)
{
  int nRow = u->nArea + 2;
  int *aRow = sws_calloc((size_t)nRow, sizeof *aRow), nOut = 0;
  int rc = SWS_OK;
  /* the rows shown: the layer's areas, records placed above the layer
   * (when there are any), the scope */
  for (int row = 0; row < nRow; row++) {
    int bAny = 0;
    for (int s = 0; s < t->nSlot && !bAny; s++)
      bAny = acc_n(t, row, s) > 0;
    if (row == u->rowScope || (row < u->nArea && u->o->layer > 0) ||
        (row == u->rowElsewhere && bAny))
      aRow[nOut++] = row;
  }
  /* every cell, in row then slot order */
  int **aIdx = sws_calloc((size_t)nRow, sizeof *aIdx);
  struct suppress_table *st = suppress_new();
  int first = r->nCell;
  for (int i = 0; i < nOut; i++) {
    int row = aRow[i];
    const char *zArea, *zName, *zLevel;
    if (row == u->rowScope) {
      zArea = r->zScope;
      zName = r->zScopeName;
      zLevel =
          u->o->zArea
              ? cases_area_level_name(place_find(&u->ps, u->o->zArea)->level)
              : u->src->zWholeLevel;
    } else if (row == u->rowElsewhere) {
      zArea = "";
      zName = "";
      zLevel = "elsewhere";
    } else {
      zArea = u->aArea[row]->zCode;
      zName = u->aArea[row]->zName;
      zLevel = cases_area_level_name(u->o->layer);
    }
    zArea = report_own(r, zArea);
    zName = report_own(r, zName);
    aIdx[row] = sws_calloc((size_t)t->nSlot, sizeof **aIdx);
    for (int s = 0; s < t->nSlot; s++) {
      struct report_cell *c = cell_new(r, pAlloc);
      const struct slot *sl = &t->aSlot[s];
      struct acc *a = s < t->nRowSlot[row] ? &t->aRow[row][s] : NULL;
      c->zIndicator = zCode;
      c->zArea = zArea;
      c->zAreaName = zName;
      c->zAreaLevel = zLevel;
      c->bScope = row == u->rowScope;
      c->dim = sl->dim;
      c->zSex = sl->zSex;
      c->zAge = sl->zAge;
      c->zDisability = sl->zDis;
      c->zCatType = sl->zCatType ? sl->zCatType : "";
      c->zCat = sl->zCat ? report_own(r, sl->zCat) : "";
      c->n = a ? a->n : 0;
      c->bCount = t->x->measure == M_COUNT;
      if (t->x->measure == M_COUNT) {
        c->value = (double)c->n;
        aIdx[row][s] = suppress_cell(st, c->n);
      } else if (t->x->measure == M_MEDIAN_DAYS) {
        c->n = a ? a->nNum : 0;
        c->value = a ? median(a->aNum, a->nNum) : NAN;
        c->bHidden = c->n > 0 && c->n < u->o->suppress;
      } else {
        c->value = a && a->nHolder
                       ? round(10.0 * (double)a->n / a->nHolder) / 10
                       : NAN;
        c->bHidden = c->n > 0 && c->n < u->o->suppress;
      }
    }
  }
  if (t->x->measure == M_COUNT && u->o->suppress > 1) {
    rc = equations(st, t, aIdx, aRow, nOut, u->rowScope, err);
    if (rc == 0)
      rc = suppress_apply(st, u->o->suppress, err);
    for (int i = first; rc == 0 && i < r->nCell; i++)
      r->aCell[i].bHidden = suppress_is_hidden(st, i - first);
  }
  suppress_free(st);
  for (int row = 0; row < nRow; row++)
    free(aIdx[row]);
  free(aIdx);
  free(aRow);
  return rc;
}

static void age_slots(struct tally *t, const struct run *u)
{
  t->iAge = t->nSlot;
  for (int i = 0; i < u->ages.n; i++)
    slot_add(t, REPORT_AGE, "", u->azAge[i], "", NULL, NULL);
  slot_add(t, REPORT_AGE, "", "unknown", "", NULL, NULL);
}

static int one_indicator(struct report *r, struct run *u,
                         const struct indicator *x, int *pAlloc,
                         struct sws_err *err)
{
  struct tally t;
  int rc;
  memset(&t, 0, sizeof t);
  t.x = x;
  t.iSex = t.iAge = t.iDis = -1;
  t.nRow = u->nArea + 2;
  t.aRow = sws_calloc((size_t)t.nRow, sizeof *t.aRow);
  t.nRowSlot = sws_calloc((size_t)t.nRow, sizeof *t.nRowSlot);
  slot_add(&t, REPORT_TOTAL, "", "", "", NULL, NULL);
  if (x->bSex) {
    t.iSex = t.nSlot;
    for (int i = 0; i < 3; i++)
      slot_add(&t, REPORT_SEX, SEXES[i], "", "", NULL, NULL);
  }
  if (x->bAge)
    age_slots(&t, u);
  if (x->bDis) {
    t.iDis = t.nSlot;
    for (int i = 0; i < 3; i++)
      slot_add(&t, REPORT_DISABILITY, "", "", DISABILITY[i], NULL, NULL);
  }
  struct tally_run tr = {u, &t};
  rc = u->src->facts(u->src->src, FACTS[x->fact].zName, &u->o->period,
                     on_row, &tr, err);
  if (rc == SWS_ENOTFOUND && !u->o->zOnly) {
    /* a fact this source does not hold: the indicator is left out */
    sws_err_clear(err);
    tally_free(&t);
    return SWS_OK;
  }
  if (rc == 0)
    rc = emit(r, u, &t, report_own(r, x->zCode), pAlloc, err);
  tally_free(&t);
  return rc;
}

static int scope_rows(struct report *r, struct run *u, struct sws_err *err)
{
  const struct report_opts *o = u->o;
  struct place *pScope = NULL;
  if (o->zArea) {
    if ((pScope = place_find(&u->ps, o->zArea)) == NULL)
      return sws_err_set(err, SWS_ENOTFOUND,
                         "there is no area %s; "
                         "'sws area list' shows the codes",
                         o->zArea);
    if (o->layer > 0 && o->layer < pScope->level)
      return sws_err_set(
          err, SWS_EINVAL,
          "%s is a %s: a report on it can "
          "be by %s or a layer below, not by %s",
          o->zArea, sws_err_translate(cases_area_level_name(pScope->level)),
          sws_err_translate(cases_area_level_name(pScope->level)),
          sws_err_translate(cases_area_level_name(o->layer)));
    snprintf(r->zScope, sizeof r->zScope, "%s", pScope->zCode);
    snprintf(r->zScopeName, sizeof r->zScopeName, "%s", pScope->zName);
  } else {
    int rc = u->src->whole(u->src->src, r->zScope, sizeof r->zScope,
                           r->zScopeName, sizeof r->zScopeName, err);
    if (rc != 0)
      return rc;
  }
  for (int i = 0; i < u->ps.n; i++) {
    struct place *p = &u->ps.a[i];
    p->bScope = o->zArea == NULL || under(&u->ps, p, o->zArea);
    if (o->layer > 0 && p->level == o->layer && p->bScope) {
      u->aArea =
          sws_realloc(u->aArea, sizeof *u->aArea * (size_t)(u->nArea + 1));
      p->row = u->nArea;
      u->aArea[u->nArea++] = p;
    }
  }
  u->rowElsewhere = u->nArea;
  u->rowScope = u->nArea + 1;
  return SWS_OK;
}

int report_run_from(const struct report_source *src,
                    const struct report_set *set,
                    const struct report_opts *o, struct report *out,
                    struct sws_err *err)
{
  struct run u;
  int rc, nAlloc = 0, nDone = 0, bOpen = 0;
  memset(out, 0, sizeof *out);
  memset(&u, 0, sizeof u);
  u.src = src;
  u.o = o;
  if (o->period.zFrom[0] == '\0' || o->period.zTo[0] == '\0' ||
      o->period.zLast[0] == '\0')
    return sws_err_set(err, SWS_EINVAL,
                       "a report needs a period "
                       "(report_period_parse)");
  if ((rc = ages_parse(o->zAges ? o->zAges : set->zAges, &u.ages, err)) != 0)
    return rc;
  for (int i = 0; i < u.ages.n; i++)
    u.azAge[i] = report_own(out, u.ages.az[i]);
  out->period = o->period;
  out->version = set->version;
  out->suppress = o->suppress > 1 ? o->suppress : 0;
  snprintf(out->zLayer, sizeof out->zLayer, "%s",
           o->layer > 0 ? cases_area_level_name(o->layer) : "");
  snprintf(out->zAges, sizeof out->zAges, "%s",
           o->zAges ? o->zAges : set->zAges);
  /* ages are on the period's last day */
  snprintf(u.zLastDay, sizeof u.zLastDay, "%s", o->period.zLast);
  if (src->begin && (rc = src->begin(src->src, &bOpen, err)) != 0) {
    report_release(out);
    return rc;
  }
  if ((rc = places_load(src, &u.ps, err)) != 0 ||
      (rc = scope_rows(out, &u, err)) != 0)
    goto done;
  for (int i = 0; i < set->n && rc == 0; i++) {
    if (o->zOnly && strcmp(o->zOnly, set->a[i].zCode) != 0)
      continue;
    rc = one_indicator(out, &u, &set->a[i], &nAlloc, err);
    nDone++;
  }
  if (rc == 0 && nDone == 0)
    rc = sws_err_set(err, SWS_ENOTFOUND,
                     "there is no indicator %s in "
                     "indicator set version %d",
                     o->zOnly ? o->zOnly : "", set->version);
done:
  if (src->end)
    src->end(src->src, bOpen);
  places_free(&u.ps);
  free(u.aArea);
  if (rc != 0)
    report_release(out);
  return rc;
}

void report_release(struct report *r)
{
  for (int i = 0; i < r->nStr; i++)
    free(r->azStr[i]);
  free(r->azStr);
  free(r->aCell);
  memset(r, 0, sizeof *r);
}
