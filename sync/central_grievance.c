/*
 * central_grievance.c - the registry's grievance queues and what the
 * layers above the office do with them (see central_grievance.h).
 *
 * The grievance rows offices push hold the office's fold as it was when
 * pushed; the registry's own steps (answers, escalations from above) are
 * events only. So where a grievance is comes from replaying all its
 * events, the office's and the registry's, through the office's fold
 * (cases_grievance_fold) with the built-in rules, never from the row.
 * Queries go through the store's read_rows (both stores take the SQL).
 */
#include "sync/central_grievance.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/fsm.h"
#include "cases/grievance.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"

/* the layers above the office, which the registry serves */
static const char *const LAYERS[] = {"district", "province", "national"};

static int registry_layer(const char *z)
{
  for (size_t i = 0; i < sizeof LAYERS / sizeof LAYERS[0]; i++)
    if (z && strcmp(z, LAYERS[i]) == 0)
      return 1;
  return 0;
}

/* waiting at its layer: reached it and not answered there */
static int waiting(const char *zStatus)
{
  return strcmp(zStatus, "escalated") == 0 ||
         strcmp(zStatus, "acknowledged") == 0 ||
         strcmp(zStatus, "under-review") == 0;
}

/* ---- a grievance as its events make it ---- */

struct gv {
  char *zId, *zTicket, *zOwner, *zOffice, *zCategory, *zText, *zCreatedAt,
      *zArea;
  char zDistrict[SWS_AREA_CODE_MAX], zDistrictName[201];
  char zProvince[SWS_AREA_CODE_MAX], zProvinceName[201];
  struct grievance_fold f;
  int daysOverdue;
};

struct ev {
  char zGid[CENTRAL_ID_MAX], zId[CENTRAL_ID_MAX];
  struct grievance_event e;
};

struct load {
  struct gv *a;
  int n, nAlloc;
  struct ev *aEv;
  int nEv, nEvAlloc;
};

static char *dup0(const char *z)
{
  return sws_strdup(z ? z : "");
}

/* The grievance, its office (not device), category, text, received at,
 * the area it is placed by, and that area's chain upwards (level, code,
 * name, four times: a village reaches its province in three steps). */
#define GV_SELECT                                                              \
  "SELECT g.id, g.ticket, g.r_owner, coalesce(d.office_code, d.code, "         \
  "g.r_owner), g.category, g.text, g.created_at, "                             \
  "coalesce(o.area_code, h.area_code, ''), "                                   \
  "a0.level, a0.code, a0.name, a1.level, a1.code, a1.name, "                   \
  "a2.level, a2.code, a2.name, a3.level, a3.code, a3.name "                    \
  "FROM grievance g "                                                          \
  "LEFT JOIN office d ON d.code = g.r_owner "                                  \
  "LEFT JOIN office o ON o.code = coalesce(d.office_code, d.code) "            \
  "LEFT JOIN household h ON h.id = g.household_id "                            \
  "LEFT JOIN area a0 ON a0.code = coalesce(o.area_code, h.area_code) "         \
  "LEFT JOIN area a1 ON a1.code = a0.parent_code "                             \
  "LEFT JOIN area a2 ON a2.code = a1.parent_code "                             \
  "LEFT JOIN area a3 ON a3.code = a2.parent_code "
#define GV_EVENTS                                                              \
  "SELECT e.grievance_id, e.id, e.event, e.layer, e.at, e.by, e.text "         \
  "FROM grievance_event e "
/* only grievances that ever left the office's layer can wait above it */
#define GV_CLIMBED                                                             \
  "(SELECT x.grievance_id FROM grievance_event x WHERE x.event IN "            \
  "('escalated', 'appealed'))"

static int take_gv(void *arg, int nCol, const char *const *az)
{
  struct load *l = arg;
  if (nCol < 20)
    return 1;
  if (l->n == l->nAlloc) {
    l->nAlloc = l->nAlloc ? 2 * l->nAlloc : 16;
    l->a = sws_realloc(l->a, sizeof *l->a * (size_t)l->nAlloc);
  }
  struct gv *g = &l->a[l->n++];
  memset(g, 0, sizeof *g);
  g->zId = dup0(az[0]);
  g->zTicket = dup0(az[1]);
  g->zOwner = dup0(az[2]);
  g->zOffice = dup0(az[3]);
  g->zCategory = dup0(az[4]);
  g->zText = dup0(az[5]);
  g->zCreatedAt = dup0(az[6]);
  g->zArea = dup0(az[7]);
  for (int k = 8; k + 2 < 20; k += 3) {
    if (az[k] == NULL)
      break;
    if (strcmp(az[k], "district") == 0) {
      sws_strlcpy(g->zDistrict, az[k + 1], sizeof g->zDistrict);
      sws_strlcpy(g->zDistrictName, az[k + 2], sizeof g->zDistrictName);
    } else if (strcmp(az[k], "province") == 0) {
      sws_strlcpy(g->zProvince, az[k + 1], sizeof g->zProvince);
      sws_strlcpy(g->zProvinceName, az[k + 2], sizeof g->zProvinceName);
    }
  }
  return 0;
}

static int take_ev(void *arg, int nCol, const char *const *az)
{
  struct load *l = arg;
  if (nCol < 7)
    return 1;
  if (l->nEv == l->nEvAlloc) {
    l->nEvAlloc = l->nEvAlloc ? 2 * l->nEvAlloc : 32;
    l->aEv = sws_realloc(l->aEv, sizeof *l->aEv * (size_t)l->nEvAlloc);
  }
  struct ev *v = &l->aEv[l->nEv++];
  memset(v, 0, sizeof *v);
  sws_strlcpy(v->zGid, az[0] ? az[0] : "", sizeof v->zGid);
  sws_strlcpy(v->zId, az[1] ? az[1] : "", sizeof v->zId);
  sws_strlcpy(v->e.zEvent, az[2] ? az[2] : "", sizeof v->e.zEvent);
  sws_strlcpy(v->e.zLayer, az[3] ? az[3] : "", sizeof v->e.zLayer);
  sws_strlcpy(v->e.zAt, az[4] ? az[4] : "", sizeof v->e.zAt);
  sws_strlcpy(v->e.zBy, az[5] ? az[5] : "", sizeof v->e.zBy);
  v->e.zText = dup0(az[6]);
  return 0;
}

/* By grievance, then as the office orders them: time, 'received' first,
 * then the order they were made in (ids are UUIDv7). */
static int cmp_ev(const void *pa, const void *pb)
{
  const struct ev *a = pa, *b = pb;
  int d = strcmp(a->zGid, b->zGid);
  if (d == 0)
    d = strcmp(a->e.zAt, b->e.zAt);
  if (d == 0)
    d = (strcmp(b->e.zEvent, "received") == 0) -
        (strcmp(a->e.zEvent, "received") == 0);
  return d ? d : strcmp(a->zId, b->zId);
}

static void load_release(struct load *l)
{
  for (int i = 0; i < l->n; i++) {
    struct gv *g = &l->a[i];
    free(g->zId);
    free(g->zTicket);
    free(g->zOwner);
    free(g->zOffice);
    free(g->zCategory);
    free(g->zText);
    free(g->zCreatedAt);
    free(g->zArea);
  }
  for (int i = 0; i < l->nEv; i++)
    free(l->aEv[i].e.zText);
  free(l->a);
  free(l->aEv);
  memset(l, 0, sizeof *l);
}

static int64_t day_number(const char *zDate)
{
  int64_t ms;
  if (sws_time_parse(zDate, &ms, NULL) != 0)
    return 0;
  return ms / 86400000;
}

/* Load grievance zTicket (NULL: every one that climbed above the office)
 * and fold each one's events with rules r. */
static int load(struct central *c, const struct grievance_rules *r,
                const char *zTicket, struct load *l, struct sws_err *err)
{
  const char *v[1] = {zTicket};
  char zToday[11];
  int rc;
  memset(l, 0, sizeof *l);
  if (zTicket)
    rc = c->s->ops->read_rows(c->s, GV_SELECT "WHERE g.ticket = $1", 1, v,
                              take_gv, l, err);
  else
    rc = c->s->ops->read_rows(c->s, GV_SELECT "WHERE g.id IN " GV_CLIMBED, 0,
                              NULL, take_gv, l, err);
  if (rc == 0 && zTicket)
    rc = c->s->ops->read_rows(c->s,
                              GV_EVENTS "WHERE e.grievance_id IN (SELECT "
                                        "t.id FROM grievance t WHERE "
                                        "t.ticket = $1)",
                              1, v, take_ev, l, err);
  else if (rc == 0)
    rc = c->s->ops->read_rows(c->s,
                              GV_EVENTS "WHERE e.grievance_id IN " GV_CLIMBED,
                              0, NULL, take_ev, l, err);
  if (rc != 0) {
    load_release(l);
    return rc;
  }
  if (l->nEv > 1) /* qsort takes no NULL, even for nothing to sort */
    qsort(l->aEv, (size_t)l->nEv, sizeof *l->aEv, cmp_ev);
  sws_date_format(zToday, sizeof zToday, sws_now_ms());
  struct grievance_event *a = sws_calloc((size_t)l->nEv + 1, sizeof *a);
  for (int i = 0; i < l->n && rc == 0; i++) {
    struct gv *g = &l->a[i];
    int n = 0, lo = 0, hi = l->nEv;
    /* its events: the run of the sorted array that starts where a binary
     * search for its id lands */
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (strcmp(l->aEv[mid].zGid, g->zId) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (int k = lo; k < l->nEv && strcmp(l->aEv[k].zGid, g->zId) == 0; k++)
      a[n++] = l->aEv[k].e;
    rc = cases_grievance_fold(&r->layers, &r->cal, a, n, &g->f, err);
    if (rc == 0 && g->f.zDue[0] && strcmp(g->f.zDue, zToday) < 0)
      g->daysOverdue = (int)(day_number(zToday) - day_number(g->f.zDue));
  }
  free(a);
  if (rc != 0)
    load_release(l);
  return rc;
}

/* ---- the queues ---- */

struct one_level {
  char zLevel[16];
  int bFound;
};

static int take_level(void *arg, int nCol, const char *const *az)
{
  struct one_level *o = arg;
  if (nCol >= 1 && az[0]) {
    sws_strlcpy(o->zLevel, az[0], sizeof o->zLevel);
    o->bFound = 1;
  }
  return 1;
}

/* The level of area zCode at the registry ("" and bFound 0: none). */
static int area_level(struct central *c, const char *zCode, struct one_level *o,
                      struct sws_err *err)
{
  const char *v[1] = {zCode};
  memset(o, 0, sizeof *o);
  return c->s->ops->read_rows(c->s, "SELECT level FROM area WHERE code = $1", 1,
                              v, take_level, o, err);
}

/* due first, then those without a deadline; then oldest first */
static int cmp_queue(const void *pa, const void *pb)
{
  const struct gv *a = *(const struct gv *const *)pa;
  const struct gv *b = *(const struct gv *const *)pb;
  int d = (a->f.zDue[0] == '\0') - (b->f.zDue[0] == '\0');
  if (d == 0)
    d = strcmp(a->f.zDue, b->f.zDue);
  if (d == 0)
    d = strcmp(a->zCreatedAt, b->zCreatedAt);
  return d ? d : strcmp(a->zTicket, b->zTicket);
}

int central_grievance_list(struct central *c, const char *zLayer,
                           const char *zArea, int bAll,
                           int (*fn)(const struct central_grievance_row *,
                                     void *),
                           void *arg, struct sws_err *err)
{
  struct grievance_rules rules;
  struct load l;
  struct one_level lv;
  int rc;
  if (!registry_layer(zLayer))
    return sws_err_set(err, SWS_EINVAL,
                       "the layer must be district, "
                       "province or national");
  if (zArea) {
    if (strcmp(zLayer, "national") == 0)
      return sws_err_set(err, SWS_EINVAL,
                         "the national layer has one "
                         "queue for the whole country: give no area");
    if ((rc = area_level(c, zArea, &lv, err)) != 0)
      return rc;
    if (!lv.bFound)
      return sws_err_set(err, SWS_EINVAL,
                         "no area '%s' at the registry "
                         "(load them with 'sws central area load')",
                         zArea);
    if (strcmp(lv.zLevel, zLayer) != 0)
      return sws_err_set(err, SWS_EINVAL,
                         "'%s' is a %s: the %s layer's "
                         "queue is by %s; give a %s code",
                         zArea, lv.zLevel, zLayer, zLayer, zLayer);
  }
  if ((rc = cases_grievance_rules_parse(&rules, NULL, 0, err)) != 0)
    return rc;
  if ((rc = load(c, &rules, NULL, &l, err)) != 0) {
    cases_grievance_rules_release(&rules);
    return rc;
  }
  struct gv **ap = sws_calloc((size_t)l.n + 1, sizeof *ap);
  int n = 0;
  for (int i = 0; i < l.n; i++) {
    struct gv *g = &l.a[i];
    if (strcmp(g->f.zLayer, zLayer) != 0 || (!bAll && !waiting(g->f.zStatus)))
      continue;
    if (zArea &&
        strcmp(zArea, strcmp(zLayer, "district") == 0 ? g->zDistrict
                                                      : g->zProvince) != 0)
      continue;
    ap[n++] = g;
  }
  qsort(ap, (size_t)n, sizeof *ap, cmp_queue);
  for (int i = 0; i < n; i++) {
    struct gv *g = ap[i];
    int bSensitive = cases_grievance_rules_sensitive(&rules, g->zCategory);
    struct central_grievance_row row = {g->zTicket,
                                        g->zId,
                                        g->zOffice,
                                        g->zArea,
                                        g->zDistrict,
                                        g->zDistrictName,
                                        g->zProvince,
                                        g->zProvinceName,
                                        g->zCategory,
                                        bSensitive,
                                        bSensitive ? NULL : g->zText,
                                        g->f.zLayer,
                                        g->f.zStatus,
                                        g->zCreatedAt,
                                        g->f.zDue,
                                        g->daysOverdue};
    if (fn(&row, arg) != 0)
      break;
  }
  free(ap);
  load_release(&l);
  cases_grievance_rules_release(&rules);
  return SWS_OK;
}

/* ---- steps taken above the office ---- */

static const struct fsm_action ACTS[] = {{"acknowledge", "acknowledged"},
                                         {"escalate", "escalated"},
                                         {"answer", "answered"}};

/* The time of a new event of the grievance l holds: now, or a second
 * after its last event if that is not earlier (times are to the second,
 * and both sides order events by time: a step taken the second an
 * office's event was made still comes after it, as it did here). */
static void event_time(const struct load *l, char *zAt)
{
  int64_t ms = sws_now_ms(), last;
  for (int i = 0; i < l->nEv; i++)
    if (sws_time_parse(l->aEv[i].e.zAt, &last, NULL) == 0 && last >= ms)
      ms = last + 1000;
  sws_time_format(zAt, 32, ms);
}

/* Inside a transaction: check that step zEvent of layer zLayer fits
 * grievance zTicket as its events make it now, then store the event,
 * feed it to the office and log it. */
static int step(struct central *c, const struct grievance_rules *r,
                const char *zTicket, const char *zEvent, const char *zLayer,
                const char *zText, struct sws_err *err)
{
  struct load l;
  char *zFields = NULL;
  char zOwner[CENTRAL_CODE_MAX];
  int rc = load(c, r, zTicket, &l, err);
  if (rc != 0)
    return rc;
  if (l.n == 0) {
    rc = sws_err_set(err, SWS_ENOTFOUND,
                     "no grievance %s at the central "
                     "registry (has its office synced?)",
                     zTicket);
    goto out;
  }
  /* lock it, so that two workers never step it at once, and read its
   * events again: what another step added before the lock counts */
  if ((rc = c->s->ops->record_lock(c->s, "grievance", l.a[0].zId, &zFields,
                                   zOwner, err)) != 0)
    goto out;
  load_release(&l);
  if ((rc = load(c, r, zTicket, &l, err)) != 0)
    goto out;
  if (l.n == 0) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "grievance %s went away", zTicket);
    goto out;
  }
  struct gv *g = &l.a[0];
  const struct grievance_fold *f = &g->f;
  const char *zTo = zLayer;
  if (strcmp(f->zStatus, "answered") == 0 ||
      strcmp(f->zStatus, "closed") == 0) {
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "grievance %s was already %s (at "
                     "the %s layer): nothing waits at the %s layer",
                     zTicket, f->zStatus,
                     f->zAnswerLayer[0] ? f->zAnswerLayer : f->zLayer, zLayer);
    goto out;
  }
  if (strcmp(f->zLayer, zLayer) != 0 || !waiting(f->zStatus)) {
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "grievance %s is %s at the %s "
                     "layer, not waiting at the %s layer: it is for the "
                     "%s layer to act on",
                     zTicket, f->zStatus, f->zLayer, zLayer, f->zLayer);
    goto out;
  }
  if (fsm_next(cases_grievance_fsm(), f->zStatus, zEvent) == NULL) {
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "grievance %s is already %s at the "
                     "%s layer: it cannot be %s again",
                     zTicket, f->zStatus, zLayer, zEvent);
    goto out;
  }
  if (strcmp(zEvent, "escalated") == 0 &&
      (zTo = cases_grievance_layer_above(&r->layers, zLayer)) == NULL) {
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "grievance %s is at the %s layer; "
                     "there is no layer above it: answer it there",
                     zTicket, zLayer);
    goto out;
  }
  char zEventId[SWS_UUID_LEN + 1], zNow[32], zDetail[200];
  sws_uuid7(zEventId);
  event_time(&l, zNow);
  json_t *fields =
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "grievance_id",
                g->zId, "event", zEvent, "layer", zTo, "at", zNow, "by",
                c->zActor, "text", zText ? zText : "", "valid", 1, "note", "");
  json_t *item =
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ticket", g->zTicket,
                "id", zEventId, "event", zEvent, "layer", zTo, "at", zNow, "by",
                c->zActor, "text", zText ? zText : "");
  char *zEv = json_dumps(fields, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (strcmp(zEvent, "escalated") == 0)
    snprintf(zDetail, sizeof zDetail, "%s (%s): escalated from %s to %s",
             g->zTicket, g->zOffice, zLayer, zTo);
  else
    snprintf(zDetail, sizeof zDetail, "%s (%s): %s at %s", g->zTicket,
             g->zOffice, zEvent, zLayer);
  if ((rc = c->s->ops->record_put(c->s, "grievance_event", zEventId, zOwner,
                                  zEv, fields, err)) == 0 &&
      (rc = central_feed_office(c, zOwner, "grievance_event", item, err)) == 0)
    rc = c->s->ops->log(c->s, c->zActor, "grievance", zDetail, err);
  free(zEv);
  json_decref(fields);
  json_decref(item);
out:
  free(zFields);
  load_release(&l);
  return rc;
}

/* One step in its own transaction. */
static int step_tx(struct central *c, const struct grievance_rules *r,
                   const char *zTicket, const char *zEvent, const char *zLayer,
                   const char *zText, struct sws_err *err)
{
  int rc = c->s->ops->begin(c->s, err);
  if (rc != 0)
    return rc;
  if ((rc = step(c, r, zTicket, zEvent, zLayer, zText, err)) != 0) {
    c->s->ops->rollback(c->s);
    return rc;
  }
  return c->s->ops->commit(c->s, err);
}

int central_grievance_event(struct central *c, const char *zTicket,
                            const char *zEvent, const char *zLayer,
                            const char *zText, struct sws_err *err)
{
  struct grievance_rules rules;
  struct sws_number num;
  int rc;
  if (!registry_layer(zLayer))
    return sws_err_set(err, SWS_EINVAL,
                       "--layer must be district, province "
                       "or national (the layers above the office)");
  int bKnown = 0;
  for (size_t i = 0; i < sizeof ACTS / sizeof ACTS[0]; i++)
    bKnown |= zEvent && strcmp(zEvent, ACTS[i].zEvent) == 0;
  if (!bKnown)
    return sws_err_set(err, SWS_EINVAL,
                       "unknown grievance step '%s'; the "
                       "registry's are acknowledged, escalated and answered",
                       zEvent ? zEvent : "");
  if (strcmp(zEvent, "answered") == 0 && (zText == NULL || sws_blank(zText)))
    return sws_err_set(err, SWS_EINVAL, "an answer needs its text (--text)");
  if (zText && (rc = sws_text_check("the text", zText, 4000, 1, err)) != 0)
    return rc;
  if (zTicket == NULL || sws_number_parse(zTicket, &num) != SWS_NUMBER_OK)
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is not a complete ticket "
                       "number (with its check character)",
                       zTicket ? zTicket : "");
  if ((rc = cases_grievance_rules_parse(&rules, NULL, 0, err)) != 0)
    return rc;
  rc = step_tx(c, &rules, num.zCanon, zEvent, zLayer, zText, err);
  cases_grievance_rules_release(&rules);
  return rc;
}

int central_grievance_escalate_due(
    struct central *c, int bDry,
    int (*fn)(const struct central_grievance_due *, void *), void *arg,
    int *pMoved, int *pStuck, struct sws_err *err)
{
  struct grievance_rules rules;
  struct load l;
  int rc;
  *pMoved = *pStuck = 0;
  if ((rc = cases_grievance_rules_parse(&rules, NULL, 0, err)) != 0)
    return rc;
  if ((rc = load(c, &rules, NULL, &l, err)) != 0) {
    cases_grievance_rules_release(&rules);
    return rc;
  }
  for (int i = 0; i < l.n && rc == 0; i++) {
    struct gv *g = &l.a[i];
    if (g->daysOverdue <= 0 || !waiting(g->f.zStatus) ||
        !registry_layer(g->f.zLayer))
      continue;
    const char *zTo = cases_grievance_layer_above(&rules.layers, g->f.zLayer);
    struct central_grievance_due d = {g->zTicket, g->zOffice, g->f.zLayer,
                                      zTo,        g->f.zDue,  g->daysOverdue};
    if (zTo && !bDry) {
      char zWhy[96];
      snprintf(zWhy, sizeof zWhy, "deadline %s passed at the %s layer",
               g->f.zDue, g->f.zLayer);
      /* the step reads it again under its lock: a grievance another run
       * moved meanwhile is refused, not moved twice */
      rc = step_tx(c, &rules, g->zTicket, "escalated", g->f.zLayer, zWhy, err);
      if (rc == SWS_ECONFLICT) {
        rc = 0;
        continue;
      }
      if (rc != 0)
        break;
    }
    if (zTo)
      (*pMoved)++;
    else
      (*pStuck)++;
    if (fn && fn(&d, arg) != 0)
      break;
  }
  load_release(&l);
  cases_grievance_rules_release(&rules);
  return rc;
}

/* ---- the area an office serves ---- */

int central_office_area_check(struct central *c, const char *zArea,
                              struct sws_err *err)
{
  struct one_level lv;
  int rc;
  if (zArea == NULL || sws_blank(zArea))
    return sws_err_set(err, SWS_EINVAL,
                       "give the office's area: a district "
                       "or commune code of the registry's areas");
  if ((rc = area_level(c, zArea, &lv, err)) != 0)
    return rc;
  if (!lv.bFound)
    return sws_err_set(err, SWS_EINVAL,
                       "no area '%s' at the registry: give "
                       "a district or commune code it has (load the areas "
                       "with 'sws central area load')",
                       zArea);
  if (strcmp(lv.zLevel, "district") != 0 && strcmp(lv.zLevel, "commune") != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is a %s: an office serves a "
                       "district or a commune",
                       zArea, lv.zLevel);
  return SWS_OK;
}

int central_office_area_set(struct central *c, const char *zOffice,
                            const char *zArea, struct sws_err *err)
{
  struct central_office o;
  char zDetail[120];
  int rc;
  if ((rc = central_office_area_check(c, zArea, err)) != 0)
    return rc;
  if ((rc = c->s->ops->office_get(c->s, zOffice, &o, err)) != 0)
    return rc;
  if (strcmp(o.zOffice, o.zCode) != 0 && o.zOffice[0])
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is a device of office %s: set "
                       "the area of %s",
                       zOffice, o.zOffice, o.zOffice);
  snprintf(zDetail, sizeof zDetail, "%s serves %s", zOffice, zArea);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  if ((rc = c->s->ops->office_area_set(c->s, zOffice, zArea, err)) != 0 ||
      (rc = c->s->ops->log(c->s, c->zActor, "office.area", zDetail, err))) {
    c->s->ops->rollback(c->s);
    return rc;
  }
  return c->s->ops->commit(c->s, err);
}
