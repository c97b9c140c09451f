/*
 * central_kept.c - reports of closed periods counted once and kept at the
 * registry (see central_report.h, "Kept reports"; the table report_kept).
 *
 * A report is kept under a key that holds every option it was counted
 * with (the period's days, the layer, the age groups, the suppression and
 * a digest of the indicator set), so that a kept report is only ever read
 * for the very report it is. A kept text that cannot be read or does not
 * match its key (edited behind the registry's back) is not used: the
 * report is counted afresh and the caller is told why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/report_codec.h"
#include "core/clock.h"
#include "core/mem.h"
#include "sync/central_report.h"

static const int KEPT_LAYERS[] = {0, AREA_PROVINCE, AREA_DISTRICT,
                                  AREA_COMMUNE};
#define N_KEPT_LAYERS ((int)(sizeof KEPT_LAYERS / sizeof KEPT_LAYERS[0]))

static const char *layer_name(int layer)
{
  return layer > 0 ? cases_area_level_name(layer) : "";
}

static void kept_key(char *z, size_t n, const struct report_set *set,
                     const struct report_period *p, int layer,
                     const char *zAges, int k)
{
  snprintf(z, n, "%s..%s|%s|%s|%d|%s", p->zFrom, p->zLast,
           layer > 0 ? layer_name(layer) : "total", zAges, k,
           report_set_digest(set));
}

/* Whether period p has ended (its last day is before today, UTC). */
static int closed(const struct report_period *p)
{
  char zToday[11];
  sws_date_format(zToday, sizeof zToday, sws_now_ms());
  return strcmp(p->zTo, zToday) <= 0;
}

struct found {
  char zBuiltAt[32];
  char *zBody;
};

static int take_kept(void *arg, int nCol, const char *const *az)
{
  struct found *f = arg;
  if (nCol >= 2 && az[0] && az[1]) {
    snprintf(f->zBuiltAt, sizeof f->zBuiltAt, "%s", az[0]);
    f->zBody = sws_strdup(az[1]);
  }
  return 1;
}

static int take_count(void *arg, int nCol, const char *const *az)
{
  *(int *)arg = nCol > 0 && az[0] ? (int)strtol(az[0], NULL, 10) : 0;
  return 1;
}

/* Only zOnly's cells of r (when one is asked for): 0, or 1 when r has
 * none of them. */
static int only(struct report *r, const char *zOnly)
{
  if (zOnly == NULL)
    return 0;
  int n = 0;
  for (int i = 0; i < r->nCell; i++)
    if (strcmp(r->aCell[i].zIndicator, zOnly) == 0)
      r->aCell[n++] = r->aCell[i];
  r->nCell = n;
  return n == 0;
}

/* The kept report for o into *out: 0; SWS_ENOTFOUND when none is kept
 * (or it cannot serve: how->zWhy says why). */
static int read_kept(struct central *c, const struct report_set *set,
                     const struct report_opts *o, struct report *out,
                     struct central_report_how *how, struct sws_err *err)
{
  char zKey[512];
  const char *zAges = o->zAges ? o->zAges : report_set_ages(set);
  kept_key(zKey, sizeof zKey, set, &o->period, o->layer, zAges, o->suppress);
  struct found f = {"", NULL};
  const char *v[1] = {zKey};
  int rc = c->s->ops->read_rows(c->s,
                                "SELECT built_at, body FROM report_kept "
                                "WHERE key = $1",
                                1, v, take_kept, &f, err);
  if (rc != 0 || f.zBody == NULL) {
    free(f.zBody);
    return rc ? rc : SWS_ENOTFOUND;
  }
  struct sws_err e2 = SWS_ERR_INIT;
  rc = report_decode(f.zBody, strlen(f.zBody), out, &e2);
  free(f.zBody);
  if (rc == 0 &&
      (out->version != report_set_version(set) ||
       strcmp(out->zAges, zAges) != 0 || out->suppress != o->suppress ||
       strcmp(out->zLayer, layer_name(o->layer)) != 0 ||
       strcmp(out->period.zFrom, o->period.zFrom) != 0 ||
       strcmp(out->period.zTo, o->period.zTo) != 0)) {
    report_release(out);
    rc = sws_err_set(&e2, SWS_EINVAL,
                     "the kept report is not the one its key names");
  }
  if (rc != 0) {
    snprintf(how->zWhy, sizeof how->zWhy, "%s", e2.msg);
    central_log(c, "kept report %s not used: %s", zKey, e2.msg);
    return SWS_ENOTFOUND;
  }
  if (only(out, o->zOnly)) {
    report_release(out);
    return SWS_ENOTFOUND;
  }
  out->period = o->period; /* as asked: 2026-06 or its days */
  how->bKept = 1;
  snprintf(how->zKeptAt, sizeof how->zKeptAt, "%s", f.zBuiltAt);
  const char *w[1] = {f.zBuiltAt};
  rc = c->s->ops->read_rows(c->s,
                            "SELECT count(*) FROM office WHERE "
                            "last_push_at > $1",
                            1, w, take_count, &how->nPushedSince, err);
  if (rc != 0)
    report_release(out);
  return rc;
}

int central_report_get(struct central *c, const struct report_set *set,
                       const struct report_opts *o, int bFresh,
                       struct report *out, struct central_report_how *how,
                       struct sws_err *err)
{
  struct central_report_how none;
  if (how == NULL)
    how = &none;
  memset(how, 0, sizeof *how);
  if (!bFresh && o->zArea == NULL && o->suppress > 1 && closed(&o->period)) {
    int rc = read_kept(c, set, o, out, how, err);
    if (rc != SWS_ENOTFOUND)
      return rc;
    sws_err_clear(err);
  }
  return central_report(c, set, o, out, err);
}

int central_report_keep(struct central *c, const struct report_set *set,
                        const struct report_period *p, int k,
                        void (*fn)(void *arg, const char *zLayer, int i, int n),
                        void *arg, int *pnKept, struct sws_err *err)
{
  *pnKept = 0;
  if (!closed(p))
    return sws_err_set(err, SWS_EINVAL,
                       "%s has not ended yet: only a closed period's "
                       "report is kept (its figures still change); keep "
                       "it once it has ended",
                       p->zLabel);
  if (k < 2)
    return sws_err_set(err, SWS_EINVAL,
                       "a kept report hides small counts (suppression "
                       "of 2 or more), as every report of the registry");
  for (int i = 0; i < N_KEPT_LAYERS; i++) {
    struct report_opts o = REPORT_OPTS_INIT;
    struct report r;
    char zKey[512], zNow[32];
    o.period = *p;
    o.layer = KEPT_LAYERS[i];
    o.suppress = k;
    if (fn)
      fn(arg, KEPT_LAYERS[i] ? layer_name(KEPT_LAYERS[i]) : "national", i + 1,
         N_KEPT_LAYERS);
    /* the time it shows: before counting, so a push during the count is
     * among those said to have come since */
    sws_time_format(zNow, sizeof zNow, sws_now_ms());
    int rc = central_report(c, set, &o, &r, err);
    if (rc != 0)
      return rc;
    char *zBody = report_encode(&r);
    report_release(&r);
    if (zBody == NULL)
      return sws_err_set(err, SWS_EINVAL,
                         "the report could not be written down to keep");
    kept_key(zKey, sizeof zKey, set, p, o.layer, report_set_ages(set), k);
    if ((rc = c->s->ops->begin(c->s, err)) == 0) {
      rc = c->s->ops->report_put(c->s, zKey, p->zLabel,
                                 o.layer ? layer_name(o.layer) : "national",
                                 zNow, zBody, err);
      if (rc == 0)
        rc = c->s->ops->commit(c->s, err);
      else
        c->s->ops->rollback(c->s);
    }
    free(zBody);
    if (rc != 0)
      return rc;
    ++*pnKept;
  }
  central_log(c, "reports of %s kept (%d layers)", p->zLabel, *pnKept);
  return SWS_OK;
}
