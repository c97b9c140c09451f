/*
 * central_scope.c - need-to-know by area at the registry's web UI
 * (central_scope.h). The scope of an area is read once per request: the
 * codes of the area and of every area under it (the `area` tree walked
 * down), and the offices holding a household in one of them; listings are
 * then filtered against both.
 */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "sync/central_grievance.h"
#include "sync/central_scope.h"

struct strings {
  char **a;
  int n, cap;
};

static int take_string(void *arg, int nCol, const char *const *az)
{
  struct strings *s = arg;
  if (nCol < 1 || az[0] == NULL)
    return 0;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    s->a = sws_realloc(s->a, (size_t)s->cap * sizeof *s->a);
  }
  s->a[s->n++] = sws_strdup(az[0]);
  return 0;
}

static int by_text(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has(char **a, int n, const char *z)
{
  return z && n > 0 && bsearch(&z, a, (size_t)n, sizeof *a, by_text) != NULL;
}

static void strings_free(char **a, int n)
{
  for (int i = 0; i < n; i++)
    free(a[i]);
  free(a);
}

/* the area given and every one under it (both stores read the same SQL) */
#define UNDER_CTE                                                              \
  "WITH RECURSIVE under(code) AS (SELECT CAST($1 AS TEXT) UNION "              \
  "SELECT a.code FROM area a JOIN under u ON a.parent_code = u.code) "

int central_scope_open(struct central *c, const char *zArea,
                       struct central_scope *out, struct sws_err *err)
{
  struct strings u = {NULL, 0, 0}, o = {NULL, 0, 0};
  struct strings lv = {NULL, 0, 0};
  memset(out, 0, sizeof *out);
  if (zArea == NULL || *zArea == '\0') {
    out->bAll = 1;
    sws_strlcpy(out->zLayer, "national", sizeof out->zLayer);
    return SWS_OK;
  }
  sws_strlcpy(out->zArea, zArea, sizeof out->zArea);
  const char *v[1] = {zArea};
  int rc = c->s->ops->read_rows(c->s, "SELECT level FROM area WHERE code = $1",
                                1, v, take_string, &lv, err);
  if (rc == 0 && lv.n == 1 &&
      (strcmp(lv.a[0], "province") == 0 || strcmp(lv.a[0], "district") == 0))
    sws_strlcpy(out->zLayer, lv.a[0], sizeof out->zLayer);
  strings_free(lv.a, lv.n);
  if (rc == 0)
    rc = c->s->ops->read_rows(c->s, UNDER_CTE "SELECT code FROM under", 1, v,
                              take_string, &u, err);
  if (rc == 0)
    rc = c->s->ops->read_rows(
        c->s,
        UNDER_CTE "SELECT o.code FROM office o WHERE o.area_code IN (SELECT "
                  "code FROM under) UNION SELECT coalesce(d.office_code, "
                  "d.code) FROM office d WHERE EXISTS (SELECT 1 FROM household "
                  "h WHERE h.r_owner = d.code AND h.area_code IN (SELECT code "
                  "FROM under))",
        1, v, take_string, &o, err);
  if (u.n > 1)
    qsort(u.a, (size_t)u.n, sizeof *u.a, by_text);
  if (o.n > 1)
    qsort(o.a, (size_t)o.n, sizeof *o.a, by_text);
  out->azUnder = u.a;
  out->nUnder = u.n;
  out->azOffice = o.a;
  out->nOffice = o.n;
  if (rc != 0)
    central_scope_release(out);
  return rc;
}

void central_scope_release(struct central_scope *sc)
{
  strings_free(sc->azUnder, sc->nUnder);
  strings_free(sc->azOffice, sc->nOffice);
  memset(sc, 0, sizeof *sc);
}

int central_scope_has_area(const struct central_scope *sc, const char *zCode)
{
  return sc->bAll || has(sc->azUnder, sc->nUnder, zCode);
}

int central_scope_has_office(struct central *c, const struct central_scope *sc,
                             const char *zCode)
{
  char zOffice[CENTRAL_CODE_MAX];
  if (sc->bAll)
    return 1;
  central_office_of(c, zCode, zOffice);
  return has(sc->azOffice, sc->nOffice, zOffice);
}

/* ---- duplicates ---- */

struct dup_filter {
  const struct central_scope *sc;
  int (*fn)(int64_t, const struct central_household *,
            const struct central_household *, double, const char *,
            const char *, void *);
  void *arg;
};

static int dup_in_scope(int64_t id, const struct central_household *a,
                        const struct central_household *b, double score,
                        const char *zReasons, const char *zStatus, void *arg)
{
  struct dup_filter *f = arg;
  if (!central_scope_has_area(f->sc, a->zArea) &&
      !central_scope_has_area(f->sc, b->zArea))
    return 0;
  return f->fn(id, a, b, score, zReasons, zStatus, f->arg);
}

int central_scope_duplicates(struct central *c, const struct central_scope *sc,
                             int bAll,
                             int (*fn)(int64_t,
                                       const struct central_household *,
                                       const struct central_household *, double,
                                       const char *, const char *, void *),
                             void *arg, struct sws_err *err)
{
  struct dup_filter f = {sc, fn, arg};
  return central_duplicates(c, bAll, dup_in_scope, &f, err);
}

int central_scope_pair(struct central *c, const struct central_scope *sc,
                       const char *zA, const char *zB, struct central_pair *out,
                       struct sws_err *err)
{
  int rc = central_pair_get(c, zA, zB, out, err);
  if (rc == SWS_ENOTFOUND || rc == SWS_EINVAL)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "there is no such pair of "
                       "households in your area");
  if (rc != 0)
    return rc;
  if (!out->bFound || (!central_scope_has_area(sc, out->s[0].h.zArea) &&
                       !central_scope_has_area(sc, out->s[1].h.zArea))) {
    central_pair_release(out);
    return sws_err_set(err, SWS_ENOTFOUND,
                       "there is no such pair of "
                       "households in your area");
  }
  return SWS_OK;
}

/* The pair's households' ids, once the scope has it. */
static int pair_ids(struct central *c, const struct central_scope *sc,
                    const char *zA, const char *zB, char *zIdA, char *zIdB,
                    char *zMergedA, char *zMergedB, struct sws_err *err)
{
  struct central_pair p;
  int rc = central_scope_pair(c, sc, zA, zB, &p, err);
  if (rc != 0)
    return rc;
  sws_strlcpy(zIdA, p.s[0].h.zId, CENTRAL_ID_MAX);
  sws_strlcpy(zIdB, p.s[1].h.zId, CENTRAL_ID_MAX);
  sws_strlcpy(zMergedA, p.s[0].h.zMergedInto, CENTRAL_ID_MAX);
  sws_strlcpy(zMergedB, p.s[1].h.zMergedInto, CENTRAL_ID_MAX);
  central_pair_release(&p);
  return SWS_OK;
}

int central_scope_merge(struct central *c, const struct central_scope *sc,
                        const char *zA, const char *zB, struct sws_err *err)
{
  char a[CENTRAL_ID_MAX], b[CENTRAL_ID_MAX], ma[CENTRAL_ID_MAX],
      mb[CENTRAL_ID_MAX];
  int rc = pair_ids(c, sc, zA, zB, a, b, ma, mb, err);
  return rc ? rc : central_merge(c, a, b, err);
}

int central_scope_unmerge(struct central *c, const struct central_scope *sc,
                          const char *zA, const char *zB, struct sws_err *err)
{
  char a[CENTRAL_ID_MAX], b[CENTRAL_ID_MAX], ma[CENTRAL_ID_MAX],
      mb[CENTRAL_ID_MAX];
  int rc = pair_ids(c, sc, zA, zB, a, b, ma, mb, err);
  if (rc != 0)
    return rc;
  if (strcmp(mb, a) == 0)
    return central_unmerge(c, b, err);
  if (strcmp(ma, b) == 0)
    return central_unmerge(c, a, err);
  return sws_err_set(err, SWS_ECONFLICT,
                     "these households are not merged "
                     "into each other: nothing to undo");
}

int central_scope_dismiss(struct central *c, const struct central_scope *sc,
                          const char *zA, const char *zB, const char *zReason,
                          struct sws_err *err)
{
  char a[CENTRAL_ID_MAX], b[CENTRAL_ID_MAX], ma[CENTRAL_ID_MAX],
      mb[CENTRAL_ID_MAX];
  int rc = pair_ids(c, sc, zA, zB, a, b, ma, mb, err);
  return rc ? rc : central_dismiss(c, a, b, zReason, err);
}

int central_scope_reopen(struct central *c, const struct central_scope *sc,
                         const char *zA, const char *zB, struct sws_err *err)
{
  char a[CENTRAL_ID_MAX], b[CENTRAL_ID_MAX], ma[CENTRAL_ID_MAX],
      mb[CENTRAL_ID_MAX];
  int rc = pair_ids(c, sc, zA, zB, a, b, ma, mb, err);
  return rc ? rc : central_reopen(c, a, b, err);
}

/* ---- offices ---- */

struct office_filter {
  struct central *c;
  const struct central_scope *sc;
  int (*fn)(const struct central_office *, void *);
  void *arg;
};

static int office_in_scope(const struct central_office *o, void *arg)
{
  struct office_filter *f = arg;
  if (!f->sc->bAll && !has(f->sc->azOffice, f->sc->nOffice, o->zOffice))
    return 0;
  return f->fn(o, f->arg);
}

int central_scope_offices(struct central *c, const struct central_scope *sc,
                          int (*fn)(const struct central_office *, void *),
                          void *arg, struct sws_err *err)
{
  struct office_filter f = {c, sc, fn, arg};
  return c->s->ops->office_list(c->s, office_in_scope, &f, err);
}

int central_scope_office(struct central *c, const struct central_scope *sc,
                         const char *zCode, struct central_office *out,
                         struct sws_err *err)
{
  int rc = c->s->ops->office_get(c->s, zCode, out, err);
  if (rc == SWS_ENOTFOUND ||
      (rc == 0 && !sc->bAll && !has(sc->azOffice, sc->nOffice, out->zOffice)))
    return sws_err_set(err, SWS_ENOTFOUND,
                       "there is no office '%s' in your "
                       "area",
                       zCode);
  return rc;
}

/* ---- conflicts ---- */

struct conflict_filter {
  struct central *c;
  const struct central_scope *sc;
  int (*fn)(const struct central_conflict *, const char *, void *);
  void *arg;
  int64_t id; /* looking for this one (0: listing) */
  int bFound;
};

static int conflict_in_scope(const struct central_conflict *k,
                             const char *zRegno, void *arg)
{
  struct conflict_filter *f = arg;
  if (!central_scope_has_office(f->c, f->sc, k->zOffice))
    return 0;
  if (f->id) {
    f->bFound = k->id == f->id;
    return f->bFound;
  }
  return f->fn(k, zRegno, f->arg);
}

int central_scope_conflicts(struct central *c, const struct central_scope *sc,
                            int bAll,
                            int (*fn)(const struct central_conflict *,
                                      const char *, void *),
                            void *arg, struct sws_err *err)
{
  struct conflict_filter f = {c, sc, fn, arg, 0, 0};
  return central_conflicts(c, bAll, conflict_in_scope, &f, err);
}

int central_scope_resolve(struct central *c, const struct central_scope *sc,
                          int64_t id, int bUseOffice, const char *zNote,
                          struct sws_err *err)
{
  struct conflict_filter f = {c, sc, NULL, NULL, id, 0};
  int rc = central_conflicts(c, 1, conflict_in_scope, &f, err);
  if (rc != 0)
    return rc;
  if (!f.bFound || id <= 0)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "there is no conflict #%lld in "
                       "your area",
                       (long long)id);
  return central_conflict_resolve(c, id, bUseOffice, zNote, err);
}

/* ---- grievances ---- */

int central_scope_grievances(struct central *c, const struct central_scope *sc,
                             int bAll,
                             int (*fn)(const struct central_grievance_row *,
                                       void *),
                             void *arg, struct sws_err *err)
{
  if (sc->zLayer[0] == '\0')
    return SWS_OK;
  return central_grievance_list(c, sc->zLayer, sc->bAll ? NULL : sc->zArea,
                                bAll, fn, arg, err);
}

struct ticket_find {
  const char *zTicket;
  int bFound;
};

static int ticket_in_queue(const struct central_grievance_row *g, void *arg)
{
  struct ticket_find *t = arg;
  t->bFound = strcmp(g->zTicket, t->zTicket) == 0;
  return t->bFound;
}

int central_scope_grievance_step(struct central *c,
                                 const struct central_scope *sc,
                                 const char *zTicket, const char *zEvent,
                                 const char *zText, struct sws_err *err)
{
  struct ticket_find t = {zTicket, 0};
  int rc = central_scope_grievances(c, sc, 0, ticket_in_queue, &t, err);
  if (rc != 0)
    return rc;
  if (!t.bFound)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "grievance %s is not waiting in "
                       "your queue",
                       zTicket);
  return central_grievance_event(c, zTicket, zEvent, sc->zLayer, zText, err);
}
