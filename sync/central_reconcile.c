/*
 * central_reconcile.c - the registry's side of finding and repairing
 * drift (central.h, docs/sync-protocol.md "Reconciling"): an office
 * compares bucket digests, then record digests inside the buckets that
 * differ, then the values of the records that differ; and the nightly
 * check, which asks offices to compare at their next sync.
 *
 * The office is always the one the request was signed by: nothing in a
 * request names another office, and a record the office does not hold is
 * neither compared nor shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "sync/central.h"
#include "sync/fields.h"
#include "sync/reconcile.h"

/* Records of the office, bucket by bucket: the digests of all of them
 * (set), and (byEntity, when bucket filter f is given) those in the
 * buckets f marks: entity -> id -> {"d": digest, "f": fields, "o": owner}. */
struct collect {
  struct reconcile_set *set;
  const unsigned char *f; /* RECONCILE_BUCKETS flags, or NULL */
  const char *zEntity;
  json_t *byEntity;
};

static int collect_one(const char *zId, const char *zFields, const char *zOwner,
                       void *arg)
{
  struct collect *k = arg;
  char zDigest[RECONCILE_HEX];
  json_t *f = json_loads(zFields, 0, NULL);
  int b = reconcile_bucket(zId);
  if (f == NULL || b < 0) {
    json_decref(f);
    return 0;
  }
  reconcile_digest(k->zEntity, zId, f, zDigest);
  json_decref(f);
  if (k->set)
    reconcile_set_add(k->set, zId, zDigest);
  if (k->f && k->f[b]) {
    json_t *m = json_object_get(k->byEntity, k->zEntity);
    if (m == NULL)
      json_object_set_new(k->byEntity, k->zEntity, m = json_object());
    json_object_set_new(
        m, zId,
        json_pack("{s:s, s:s, s:s}", "d", zDigest, "f", zFields, "o", zOwner));
  }
  return 0;
}

static int collect(struct central *c, const char *zOffice, struct collect *k,
                   struct sws_err *err)
{
  for (int e = 0; fields_entities[e]; e++) {
    k->zEntity = fields_entities[e];
    int rc = c->s->ops->office_records(c->s, zOffice, k->zEntity, collect_one,
                                       k, err);
    if (rc != 0)
      return rc;
  }
  return SWS_OK;
}

static json_t *pair(const char *zEntity, const char *zId)
{
  return json_pack("[s, s]", zEntity, zId);
}

/* Step "buckets": which buckets differ. */
static int step_buckets(struct central *c, const struct central_office *o,
                        json_t *req, struct buf *out, struct sws_err *err)
{
  const char *zDevice = o->zCode, *zOffice = o->zOffice;
  struct reconcile_set *set = sws_calloc(1, sizeof *set);
  struct collect k = {set, NULL, NULL, NULL};
  int aDiffer[RECONCILE_BUCKETS], n = 0;
  int rc = collect(c, zOffice, &k, err);
  if (rc == 0)
    rc = reconcile_set_compare(set, json_object_get(req, "buckets"), aDiffer,
                               &n, err);
  if (rc == 0) {
    json_t *d = json_array();
    for (int i = 0; i < n; i++)
      json_array_append_new(d, json_integer(aDiffer[i]));
    /* the watermark too: a registry restored from an older copy has
     * forgotten changes the office sent since, which it then sends again
     * from here through the push (before anything is compared) */
    json_t *ans =
        json_pack("{s:o, s:I, s:I}", "differ", d, "records",
                  (json_int_t)set->nRecords, "ack", (json_int_t)o->ack);
    char *z = json_dumps(ans, JSON_COMPACT);
    buf_puts(out, z);
    free(z);
    json_decref(ans);
    char zDetail[160];
    snprintf(zDetail, sizeof zDetail,
             "compared: %d of %d buckets differ "
             "(%lld records held here for %s)",
             n, RECONCILE_BUCKETS, (long long)set->nRecords, zOffice);
    rc = c->s->ops->log(c->s, zDevice, "reconcile", zDetail, err);
    central_log(c, "%s reconcile: %s", zDevice, zDetail);
  }
  free(set);
  return rc;
}

/* Step "records": what the registry lacks, what differs, and what the
 * office lacks (fed to the device again, parents before children). */
static int step_records(struct central *c, const char *zDevice,
                        const char *zOffice, json_t *req, struct buf *out,
                        struct sws_err *err)
{
  unsigned char f[RECONCILE_BUCKETS];
  json_t *byEntity = json_object(), *send = json_array(),
         *differ = json_array(), *fed = json_array(), *v;
  struct collect k = {NULL, f, NULL, byEntity};
  size_t i;
  int rc;
  memset(f, 0, sizeof f);
  json_array_foreach(json_object_get(req, "buckets"), i, v)
      f[json_integer_value(v)] = 1;
  if ((rc = collect(c, zOffice, &k, err)) != 0)
    goto out;
  json_array_foreach(json_object_get(req, "records"), i, v)
  {
    const char *zE = json_string_value(json_array_get(v, 0));
    const char *zI = json_string_value(json_array_get(v, 1));
    const char *zD = json_string_value(json_array_get(v, 2));
    json_t *mine = json_object_get(json_object_get(byEntity, zE), zI);
    if (mine == NULL) {
      json_array_append_new(send, pair(zE, zI));
      continue;
    }
    if (strcmp(json_string_value(json_object_get(mine, "d")), zD) != 0)
      json_array_append_new(differ, pair(zE, zI));
    json_object_del(json_object_get(byEntity, zE), zI); /* seen */
  }
  /* what is left the office lacks: fed again, entity by entity in the
   * order of their references (a household before its members) */
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    goto out;
  for (int e = 0; fields_entities[e] && rc == 0; e++) {
    const char *zE = fields_entities[e], *zI;
    json_t *m = json_object_get(byEntity, zE), *r;
    json_object_foreach(m, zI, r)
    {
      json_t *fields =
          json_loads(json_string_value(json_object_get(r, "f")), 0, NULL);
      json_t *item = json_pack(
          "{s:s, s:s, s:s, s:o*}", "entity", zE, "id", zI, "owner",
          json_string_value(json_object_get(r, "o")), "fields", fields);
      rc = central_feed_item(c, zDevice, "record", item, err);
      json_decref(item);
      if (rc != 0)
        break;
      json_array_append_new(fed, pair(zE, zI));
    }
  }
  if (rc == 0 && (json_array_size(fed) || json_array_size(send) ||
                  json_array_size(differ))) {
    char zDetail[200];
    snprintf(zDetail, sizeof zDetail,
             "records: %zu fed again to %s, %zu "
             "missing here (the office sends them again), %zu differ",
             json_array_size(fed), zDevice, json_array_size(send),
             json_array_size(differ));
    rc = c->s->ops->log(c->s, zDevice, "reconcile.records", zDetail, err);
    central_log(c, "%s reconcile: %s", zDevice, zDetail);
  }
  if (rc == 0)
    rc = c->s->ops->commit(c->s, err);
  else
    c->s->ops->rollback(c->s);
  if (rc == 0) {
    json_t *ans = json_pack("{s:O, s:O, s:O}", "send", send, "differ", differ,
                            "fed", fed);
    char *z = json_dumps(ans, JSON_COMPACT);
    buf_puts(out, z);
    free(z);
    json_decref(ans);
  }
out:
  json_decref(byEntity);
  json_decref(send);
  json_decref(differ);
  json_decref(fed);
  return rc;
}

static int found_row(void *arg, int nCol, const char *const *azCol)
{
  (void)nCol;
  (void)azCol;
  *(int *)arg = 1;
  return 1;
}

/* 1 in *pOpen if the device has an open conflict on this field with this
 * value already (a comparison run twice raises it once). */
static int conflict_open(struct central *c, const char *zDevice,
                         const char *zEntity, const char *zId,
                         const char *zField, const char *zOfficeValue,
                         int *pOpen, struct sws_err *err)
{
  const char *v[5] = {zDevice, zEntity, zId, zField, zOfficeValue};
  *pOpen = 0;
  return c->s->ops->read_rows(c->s,
                              "SELECT 1 FROM conflict WHERE office = $1 AND "
                              "entity = $2 AND entity_id = $3 AND field = $4 "
                              "AND office_value = $5 AND status = 'open'",
                              5, v, found_row, pOpen, err);
}

/* One record's values compared field by field; each difference becomes a
 * conflict (in the registry's table and the device's feed). */
static int compare_values(struct central *c, const char *zDevice,
                          const char *zOffice, json_t *val, json_t *conflicts,
                          json_t *refused, struct sws_err *err)
{
  const char *zE = json_string_value(json_object_get(val, "e"));
  const char *zI = json_string_value(json_object_get(val, "i"));
  json_t *theirs = json_object_get(val, "f");
  char *zFields = NULL, zOwner[CENTRAL_CODE_MAX];
  struct sws_err e = SWS_ERR_INIT;
  int bHolds = 0, rc;
  if (fields_check(zE, 0, theirs, &e) != 0) {
    json_array_append_new(
        refused, json_pack("{s:s, s:s, s:s}", "e", zE, "i", zI, "why", e.msg));
    return SWS_OK;
  }
  rc = c->s->ops->record_get(c->s, zE, zI, &zFields, zOwner, err);
  if (rc == 0)
    rc = central_holds(c, zOffice, zE, zI, zOwner, &bHolds, err);
  if (rc == SWS_ENOTFOUND || (rc == 0 && !bHolds)) {
    /* one answer for both: nothing says whether another office has it */
    sws_err_clear(err);
    free(zFields);
    json_array_append_new(refused,
                          json_pack("{s:s, s:s, s:s}", "e", zE, "i", zI, "why",
                                    "the registry holds no "
                                    "such record for this office"));
    return SWS_OK;
  }
  if (rc != 0) {
    free(zFields);
    return rc;
  }
  json_t *ours = json_loads(zFields, 0, NULL);
  free(zFields);
  json_t *a = reconcile_normalize(zE, ours),
         *b = reconcile_normalize(zE, theirs);
  const char *zField;
  json_t *x;
  json_object_foreach(a, zField, x)
  {
    json_t *y = json_object_get(b, zField);
    if (json_object_get(theirs, zField) == NULL || json_equal(x, y))
      continue; /* a field the office did not send is not compared */
    char *zOv = json_dumps(json_object_get(theirs, zField),
                           JSON_ENCODE_ANY | JSON_COMPACT);
    json_t *sv = json_object_get(ours, zField);
    char *zSv =
        json_dumps(sv ? sv : json_null(), JSON_ENCODE_ANY | JSON_COMPACT);
    int bOpen = 0;
    rc = conflict_open(c, zDevice, zE, zI, zField, zOv, &bOpen, err);
    if (rc == 0 && !bOpen)
      rc = c->s->ops->conflict_put(c->s, zDevice, 0, zE, zI, zField, zOv, zSv,
                                   err);
    if (rc == 0 && !bOpen) {
      /* as a push's conflict: the office records it for review and takes
       * the registry's value meanwhile */
      json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "entity", zE,
                               "id", zI, "field", zField, "office_value", zOv,
                               "server_value", zSv, "seq", (json_int_t)0);
      rc = central_feed_item(c, zDevice, "conflict", item, err);
      json_decref(item);
    }
    if (rc == 0) {
      char zDetail[300];
      snprintf(zDetail, sizeof zDetail,
               "%s %s field %s: office %.80s, "
               "registry %.80s%s",
               zE, zI, zField, zOv, zSv, bOpen ? " (already open)" : "");
      rc = c->s->ops->log(c->s, zDevice, "reconcile.conflict", zDetail, err);
      json_array_append_new(conflicts,
                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "e", zE,
                                      "i", zI, "field", zField, "office_value",
                                      zOv, "server_value", zSv, "open", bOpen));
    }
    free(zOv);
    free(zSv);
    if (rc != 0)
      break;
  }
  json_decref(a);
  json_decref(b);
  json_decref(ours);
  return rc;
}

/* Step "values": the differing fields of records become conflicts. */
static int step_values(struct central *c, const char *zDevice,
                       const char *zOffice, json_t *req, struct buf *out,
                       struct sws_err *err)
{
  json_t *conflicts = json_array(), *refused = json_array(), *v;
  size_t i;
  int rc = c->s->ops->begin(c->s, err);
  if (rc != 0)
    goto out;
  json_array_foreach(json_object_get(req, "values"), i, v)
  {
    if ((rc = compare_values(c, zDevice, zOffice, v, conflicts, refused,
                             err)) != 0)
      break;
  }
  if (rc == 0)
    rc = c->s->ops->commit(c->s, err);
  else
    c->s->ops->rollback(c->s);
  if (rc == 0) {
    json_t *ans =
        json_pack("{s:O, s:O}", "conflicts", conflicts, "refused", refused);
    char *z = json_dumps(ans, JSON_COMPACT);
    buf_puts(out, z);
    free(z);
    json_decref(ans);
    central_log(c, "%s reconcile: %zu conflicts for review, %zu refused",
                zDevice, json_array_size(conflicts), json_array_size(refused));
  }
out:
  json_decref(conflicts);
  json_decref(refused);
  return rc;
}

int central_reconcile(struct central *c, const char *zDevice, const char *zBody,
                      size_t nBody, int *pStatus, struct buf *out,
                      struct sws_err *err)
{
  struct central_office o;
  json_t *req = NULL;
  int rc;
  *pStatus = 400;
  if ((rc = reconcile_decode(&req, zBody, nBody, err)) != 0)
    return rc;
  const char *zFor = json_string_value(json_object_get(req, "device"));
  const char *zStep = json_string_value(json_object_get(req, "step"));
  *pStatus = 403;
  if (strcmp(zFor, zDevice) != 0) {
    rc = sws_err_set(err, SWS_EPERM,
                     "a comparison for %s signed by %s: an "
                     "office compares only what it holds itself",
                     zFor, zDevice);
    goto out;
  }
  if ((rc = c->s->ops->office_get(c->s, zDevice, &o, err)) != 0)
    goto out;
  if (!o.active) {
    rc = sws_err_set(err, SWS_EPERM,
                     "office %s is revoked at the central "
                     "registry",
                     zDevice);
    goto out;
  }
  *pStatus = 500;
  if (strcmp(zStep, "buckets") == 0)
    rc = step_buckets(c, &o, req, out, err);
  else if (strcmp(zStep, "records") == 0)
    rc = step_records(c, zDevice, o.zOffice, req, out, err);
  else
    rc = step_values(c, zDevice, o.zOffice, req, out, err);
  if (rc == SWS_EINVAL)
    *pStatus = 400;
  else if (rc == 0)
    *pStatus = 200;
out:
  json_decref(req);
  return rc;
}

/* ---- the nightly check ---- */

static int count_row(void *arg, int nCol, const char *const *azCol)
{
  if (nCol > 0 && azCol[0])
    *(int64_t *)arg += strtoll(azCol[0], NULL, 10);
  return 0;
}

static int text_row(void *arg, int nCol, const char *const *azCol)
{
  if (nCol > 0 && azCol[0])
    sws_strlcpy(arg, azCol[0], 32);
  return 1;
}

#define OFFICE_DEVICES                                                         \
  "(SELECT code FROM office WHERE coalesce(office_code, code) = $1)"

/* How many records the registry holds for the office, and how many of
 * them name a record it does not have (a reference left dangling). */
static int office_counts(struct central *c, const char *zOffice,
                         int64_t *pRecords, int64_t *pDangling,
                         struct sws_err *err)
{
  const char *v[1] = {zOffice};
  int rc = SWS_OK;
  *pRecords = *pDangling = 0;
  for (int e = 0; fields_entities[e] && rc == 0; e++) {
    const char *zE = fields_entities[e];
    const struct fields_ref *a;
    int n = 0;
    char zSql[600];
    /* names from the rule tables, never from a request */
    snprintf(zSql, sizeof zSql,
             "SELECT count(*) FROM %s WHERE r_owner IN " /* lint: ok */
             OFFICE_DEVICES,
             zE);
    if ((rc = c->s->ops->read_rows(c->s, zSql, 1, v, count_row, pRecords,
                                   err)) != 0)
      break;
    fields_refs(zE, &a, &n);
    for (int i = 0; i < n && rc == 0; i++) {
      snprintf(zSql, sizeof zSql,
               "SELECT count(*) FROM %s t WHERE " /* lint: ok */
               "t.r_owner IN " OFFICE_DEVICES " AND t.%s IS NOT NULL AND "
               "NOT EXISTS (SELECT 1 FROM %s r WHERE r.id = t.%s)", /* lint: ok */
               zE, a[i].zField, a[i].zEntity, a[i].zField);
      rc = c->s->ops->read_rows(c->s, zSql, 1, v, count_row, pDangling, err);
    }
  }
  if (rc == 0)
    rc = c->s->ops->read_rows(c->s,
                              "SELECT count(*) FROM holding WHERE office = $1",
                              1, v, count_row, pRecords, err);
  return rc;
}

struct offices {
  char (*az)[CENTRAL_CODE_MAX];
  int n;
  const char *zOnly;
};

static int take_office(const struct central_office *o, void *arg)
{
  struct offices *l = arg;
  if (!o->active || strcmp(o->zCode, o->zOffice) != 0)
    return 0; /* devices are asked through their office */
  if (l->zOnly && strcmp(o->zCode, l->zOnly) != 0)
    return 0;
  l->az = sws_realloc(l->az, sizeof *l->az * (size_t)(l->n + 1));
  sws_strlcpy(l->az[l->n++], o->zCode, CENTRAL_CODE_MAX);
  return 0;
}

static int count_device(const struct central_office *o, void *arg)
{
  *(int *)arg += o->active;
  return 0;
}

int central_reconcile_offices(struct central *c, const char *zOffice,
                              int (*fn)(const struct central_reconcile_check *,
                                        void *),
                              void *arg, struct sws_err *err)
{
  struct offices l = {NULL, 0, zOffice};
  int rc = c->s->ops->office_list(c->s, take_office, &l, err);
  if (rc == 0 && zOffice && l.n == 0)
    rc = sws_err_set(err, SWS_ENOTFOUND,
                     "no active office %s is enrolled "
                     "here (a device is checked with its office)",
                     zOffice);
  for (int i = 0; i < l.n && rc == 0; i++) {
    struct central_reconcile_check k;
    char zLast[32] = "", zNow[32], zDetail[200];
    const char *v[1] = {l.az[i]};
    memset(&k, 0, sizeof k);
    k.zOffice = l.az[i];
    if ((rc = office_counts(c, l.az[i], &k.nRecords, &k.nDangling, err)) ||
        (rc = c->s->ops->read_rows(
             c->s,
             "SELECT max(at) FROM central_log WHERE "
             "action = 'reconcile' AND actor IN " OFFICE_DEVICES,
             1, v, text_row, zLast, err)) ||
        (rc = c->s->ops->office_devices(c->s, l.az[i], count_device,
                                        &k.nDevices, err)))
      break;
    k.zLast = zLast;
    sws_time_format(zNow, sizeof zNow, sws_now_ms());
    json_t *item = json_pack("{s:s, s:s}", "asked_at", zNow, "by", c->zActor);
    snprintf(zDetail, sizeof zDetail,
             "%s: %lld records held, %lld naming a "
             "record missing here; %d device%s asked to compare at the next "
             "sync",
             l.az[i], (long long)k.nRecords, (long long)k.nDangling, k.nDevices,
             k.nDevices == 1 ? "" : "s");
    if ((rc = c->s->ops->begin(c->s, err)) == 0) {
      if ((rc = central_feed_office(c, l.az[i], "reconcile", item, err)) == 0 &&
          (rc = c->s->ops->log(c->s, c->zActor, "reconcile.check", zDetail,
                               err)) == 0)
        rc = c->s->ops->commit(c->s, err);
      else
        c->s->ops->rollback(c->s);
    }
    json_decref(item);
    if (rc == 0 && fn(&k, arg) != 0)
      break;
  }
  free(l.az);
  return rc;
}
