/*
 * central_move.c - a family moves to another office (see central_move.h).
 *
 * Everything is done in one transaction: each record is stored again
 * under the receiving device as its owner (so the old office may no
 * longer change it, and the receiving office may), no office holds it by
 * having been sent it any more, the receiving office's devices are sent
 * every record (parents first), the old office's devices are told it
 * moved, the members are compared anew for duplicates (at another office
 * now), and the registry's log says who asked for what.
 */
#include "sync/central_move.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

/* What moves with a family, parents before children: each entity found by
 * the reference that ties it to a record already moving. */
static const struct {
  const char *zEntity, *zField, *zParent;
} FOLLOW[] = {
    {"member", "household_id", "household"},
    {"case_file", "household_id", "household"},
    {"case_assignment", "case_id", "case_file"},
    {"case_note", "case_id", "case_file"},
    {"assessment", "household_id", "household"},
    {"plan_goal", "case_id", "case_file"},
    {"plan_action", "case_id", "case_file"},
    {"enrolment", "household_id", "household"},
    {"referral", "household_id", "household"},
    {"referral_event", "referral_id", "referral"},
    {"grievance", "household_id", "household"},
    {"grievance_event", "grievance_id", "grievance"},
};

struct rec {
  const char *zEntity;
  char zId[CENTRAL_ID_MAX];
  char *zFields;
};

struct recs {
  struct rec *a;
  int n;
  const char *zEntity; /* of the records being found */
};

static int take_rec(const char *zId, const char *zFields, const char *zOwner,
                    void *arg)
{
  struct recs *r = arg;
  (void)zOwner;
  r->a = sws_realloc(r->a, sizeof *r->a * (size_t)(r->n + 1));
  r->a[r->n].zEntity = r->zEntity;
  sws_strlcpy(r->a[r->n].zId, zId, sizeof r->a[r->n].zId);
  r->a[r->n++].zFields = sws_strdup(zFields);
  return 0;
}

static void recs_free(struct recs *r)
{
  for (int i = 0; i < r->n; i++)
    free(r->a[i].zFields);
  free(r->a);
}

/* The household and everything that moves with it, into r. */
static int collect(struct central *c, const char *zHousehold, struct recs *r,
                   struct sws_err *err)
{
  char *zFields = NULL;
  int rc =
      c->s->ops->record_get(c->s, "household", zHousehold, &zFields, NULL, err);
  if (rc != 0)
    return rc;
  r->zEntity = "household";
  take_rec(zHousehold, zFields, NULL, r);
  free(zFields);
  for (size_t k = 0; k < sizeof FOLLOW / sizeof FOLLOW[0] && rc == 0; k++) {
    int nParents = r->n;
    for (int i = 0; i < nParents && rc == 0; i++) {
      if (strcmp(r->a[i].zEntity, FOLLOW[k].zParent) != 0)
        continue;
      char zParent[CENTRAL_ID_MAX];
      sws_strlcpy(zParent, r->a[i].zId, sizeof zParent);
      r->zEntity = FOLLOW[k].zEntity;
      rc = c->s->ops->record_find(c->s, FOLLOW[k].zEntity, FOLLOW[k].zField,
                                  zParent, take_rec, r, err);
    }
  }
  return rc;
}

struct by_nid {
  char zHousehold[CENTRAL_ID_MAX];
  int n;
  char zOthers[200];
};

static int take_nid(const char *zId, const char *zFields, const char *zOwner,
                    void *arg)
{
  struct by_nid *b = arg;
  (void)zId;
  (void)zOwner;
  json_t *j = json_loads(zFields, 0, NULL);
  const char *zHh = json_string_value(json_object_get(j, "household_id"));
  const char *zSt = json_string_value(json_object_get(j, "status"));
  if (zHh && (zSt == NULL || strcmp(zSt, "active") == 0) &&
      strcmp(zHh, b->zHousehold) != 0) {
    if (b->n++ == 0)
      sws_strlcpy(b->zHousehold, zHh, sizeof b->zHousehold);
  }
  json_decref(j);
  return 0;
}

static int moved_item(struct central *c, const struct central_household *h,
                      const char *zTo, const char *zBy, const char *zAt,
                      int nRecords, const char *zOldOffice, struct sws_err *err)
{
  json_t *item = json_pack("{s:{s:s, s:s}, s:s, s:s, s:s, s:i}", "household",
                           "id", h->zId, "regno", h->zRegno, "to", zTo, "by",
                           zBy, "at", zAt, "records", nRecords);
  int rc = central_feed_office(c, zOldOffice, "moved", item, err);
  json_decref(item);
  return rc;
}

/* Move household h and what follows it to device zDevice's office. */
static int move(struct central *c, const char *zDevice,
                const struct central_household *h, int *pnRecords,
                struct sws_err *err)
{
  struct recs r = {NULL, 0, NULL};
  char zTo[CENTRAL_CODE_MAX], zFrom[CENTRAL_CODE_MAX], zNow[32];
  central_office_of(c, zDevice, zTo);
  central_office_of(c, h->zOffice, zFrom);
  sws_time_format(zNow, sizeof zNow, sws_now_ms());
  int rc = c->s->ops->begin(c->s, err);
  if (rc != 0)
    return rc;
  rc = collect(c, h->zId, &r, err);
  for (int i = 0; i < r.n && rc == 0; i++) {
    json_t *f = json_loads(r.a[i].zFields, 0, NULL);
    if ((rc = c->s->ops->record_put(c->s, r.a[i].zEntity, r.a[i].zId, zDevice,
                                    r.a[i].zFields, NULL, err)) ||
        (rc = c->s->ops->holding_drop(c->s, r.a[i].zEntity, r.a[i].zId, err))) {
      json_decref(f);
      break;
    }
    json_t *item = json_pack("{s:s, s:s, s:s, s:O}", "entity", r.a[i].zEntity,
                             "id", r.a[i].zId, "owner", zDevice, "fields", f);
    rc = central_feed_record(c, zTo, item, err);
    json_decref(item);
    if (rc == 0 && strcmp(r.a[i].zEntity, "member") == 0)
      rc = central_person_index(c, zDevice, r.a[i].zId, f, err);
    json_decref(f);
  }
  char zDetail[300];
  snprintf(zDetail, sizeof zDetail,
           "%s moved from %s to %s at the request of %s (%d records)",
           h->zRegno, zFrom, zTo, zDevice, r.n);
  if (rc == 0)
    rc = moved_item(c, h, zTo, zDevice, zNow, r.n, zFrom, err);
  if (rc == 0)
    rc = c->s->ops->log(c->s, zDevice, "move", zDetail, err);
  *pnRecords = r.n;
  recs_free(&r);
  if (rc != 0) {
    c->s->ops->rollback(c->s);
    return rc;
  }
  return c->s->ops->commit(c->s, err);
}

int central_move(struct central *c, const char *zDevice, const char *zBody,
                 size_t nBody, int *pStatus, struct buf *out,
                 struct sws_err *err)
{
  struct central_household h;
  json_error_t je;
  char zTo[CENTRAL_CODE_MAX], zFrom[CENTRAL_CODE_MAX];
  int rc, nRecords = 0;
  *pStatus = 400;
  json_t *b = nBody <= 4096 ? json_loadb(zBody, nBody, 0, &je) : NULL;
  const char *zRegno = json_string_value(json_object_get(b, "regno"));
  const char *zNid = json_string_value(json_object_get(b, "national_id"));
  if (!json_is_object(b) || (zRegno == NULL) == (zNid == NULL) ||
      (zRegno && strlen(zRegno) > 48) ||
      (zNid && (strlen(zNid) > 64 || *zNid == '\0'))) {
    json_decref(b);
    return sws_err_set(err, SWS_EINVAL,
                       "a move names the household by its registration "
                       "number (regno) or a member's national ID "
                       "(national_id), one of them");
  }
  if (zRegno) {
    rc = central_household_get(c, zRegno, &h, err);
  } else {
    struct by_nid by = {"", 0, ""};
    rc = c->s->ops->record_find(c->s, "member", "national_id", zNid, take_nid,
                                &by, err);
    if (rc == 0 && by.n == 0)
      rc = sws_err_set(err, SWS_ENOTFOUND,
                       "no household at the central registry has a member "
                       "with national ID %s",
                       zNid);
    else if (rc == 0 && by.n > 1)
      rc = sws_err_set(err, SWS_ECONFLICT,
                       "national ID %s is in %d households at the central "
                       "registry; give the registration number on the "
                       "family's receipt",
                       zNid, by.n);
    if (rc == 0)
      rc = central_household_get(c, by.zHousehold, &h, err);
  }
  json_decref(b);
  /* a household merged into another moves as its survivor */
  if (rc == 0 && h.zMergedInto[0])
    rc = central_household_get(c, h.zMergedInto, &h, err);
  if (rc != 0) {
    *pStatus = rc == SWS_ENOTFOUND ? 404 : rc == SWS_ECONFLICT ? 409 : 400;
    return rc;
  }
  central_office_of(c, zDevice, zTo);
  central_office_of(c, h.zOffice, zFrom);
  if (strcmp(zTo, zFrom) == 0) {
    *pStatus = 409;
    return sws_err_set(err, SWS_ECONFLICT,
                       "%s is already this office's household", h.zRegno);
  }
  *pStatus = 500;
  if ((rc = move(c, zDevice, &h, &nRecords, err)) != 0)
    return rc;
  *pStatus = 200;
  json_t *j = json_pack("{s:s, s:s, s:i}", "regno", h.zRegno, "from", zFrom,
                        "records", nRecords);
  char *z = json_dumps(j, JSON_COMPACT);
  buf_puts(out, z);
  free(z);
  json_decref(j);
  return SWS_OK;
}
