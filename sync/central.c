/*
 * central.c - the central registry's protocol logic (see central.h and
 * docs/sync-protocol.md).
 *
 * Push: one store transaction per batch; mutations at or below the
 * office's watermark are replays (answered from the stored verdicts);
 * a batch that starts past watermark+1 is a gap (409). Each new mutation is
 * applied by its entity's policy and gets a verdict; the watermark moves to
 * the batch's last seq in the same transaction.
 *
 * Feeds: whatever an office must learn is appended to its feed when it is
 * written (fan-out on write); offices read their feed with a signed cursor.
 */
#include "sync/central.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/match.h"
#include "cases/name.h"
#include "cases/office.h"
#include "core/clock.h"
#include "core/crash.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/auth.h"
#include "sync/central_pair.h"
#include "sync/fields.h"
#include "sync/proto.h"
#include "sync/push_digest.h"

/* Fields whose concurrent change keeps the server's value and opens a
 * review (identity and eligibility); every other field is last writer
 * (in server order) wins. */
static int identity_field(const char *zEntity, const char *zField)
{
  static const char *const MEMBER[] = {"name", "sex", "born", "national_id",
                                       "relationship", "household_id"};
  if (strcmp(zEntity, "member") == 0) {
    for (size_t i = 0; i < sizeof MEMBER / sizeof MEMBER[0]; i++)
      if (strcmp(zField, MEMBER[i]) == 0)
        return 1;
  }
  if (strcmp(zEntity, "household") == 0)
    return strcmp(zField, "regno") == 0 || strcmp(zField, "area_code") == 0;
  return 0;
}

static void now_iso(char *z)
{
  sws_time_format(z, 32, sws_now_ms());
}

int central_open(struct central **out, const char *zPath, int bCreate,
                 const char *zName, struct sws_err *err)
{
  struct central *c = sws_calloc(1, sizeof *c);
  int rc;
  *out = NULL;
  sws_strlcpy(c->zActor, "central", sizeof c->zActor);
  if ((rc = store_is_pg_url(zPath)
                ? store_pg_open(&c->s, zPath, bCreate, zName, err)
                : store_sqlite_open(&c->s, zPath, bCreate, zName, err)) != 0 ||
      (rc = c->s->ops->registry_get(c->s, c->zName, sizeof c->zName, c->key,
                                    &c->epoch, err)) != 0) {
    central_close(c);
    return rc;
  }
  *out = c;
  return SWS_OK;
}

void central_log(struct central *c, const char *zFmt, ...)
{
  char zNow[32], z[600];
  va_list ap;
  if (c->log == NULL)
    return;
  now_iso(zNow);
  size_t n = (size_t)snprintf(z, sizeof z, "%s ", zNow);
  va_start(ap, zFmt);
  vsnprintf(z + n, sizeof z - n, zFmt, ap);
  va_end(ap);
  c->log(c->logArg, z);
}

void central_close(struct central *c)
{
  if (c == NULL)
    return;
  push_digest_drain(); /* the last pushes' batches freed */
  if (c->s)
    c->s->ops->close(c->s);
  sodium_memzero(c->key, sizeof c->key);
  free(c);
}

/* ---- feeds ---- */

static int feed(struct central *c, const char *zOffice, const char *zKind,
                json_t *payload, struct sws_err *err)
{
  char *z = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
  int rc = c->s->ops->feed_append(c->s, zOffice, zKind, z, err);
  free(z);
  return rc;
}

struct each_office {
  struct central *c;
  const char *zKind;   /* feed_all: the kind to append */
  json_t *payload;
  const char *zTarget; /* key_to_new: the office that learns every key */
  struct sws_err *err;
  int rc;
};

static int to_one(const struct central_office *o, void *arg)
{
  struct each_office *e = arg;
  e->rc = feed(e->c, o->zCode, e->zKind, e->payload, e->err);
  return e->rc != 0;
}

/*
 * The office a device belongs to (the device's own code for a device
 * enrolled on its own, or for one the registry does not know). A device
 * never changes office, so the answer is kept for later requests.
 */
static void office_of(struct central *c, const char *zDevice, char *zOut)
{
  struct central_office o;
  for (int i = 0; i < c->nOf; i++)
    if (strcmp(c->aOf[i].zDevice, zDevice) == 0) {
      sws_strlcpy(zOut, c->aOf[i].zOffice, CENTRAL_CODE_MAX);
      return;
    }
  if (c->s->ops->office_get(c->s, zDevice, &o, NULL) != 0) {
    sws_strlcpy(zOut, zDevice, CENTRAL_CODE_MAX);
    return; /* not kept: it may be enrolled later */
  }
  sws_strlcpy(zOut, o.zOffice, CENTRAL_CODE_MAX);
  int k = c->nOf < CENTRAL_OF_CACHE ? c->nOf++ : c->iOfNext++ % CENTRAL_OF_CACHE;
  sws_strlcpy(c->aOf[k].zDevice, zDevice, CENTRAL_CODE_MAX);
  sws_strlcpy(c->aOf[k].zOffice, o.zOffice, CENTRAL_CODE_MAX);
}

struct to_devices {
  struct central *c;
  const char *zSkip; /* a device that needs nothing (NULL: none) */
  const char *zKind;
  json_t *payload;
  struct sws_err *err;
  int rc;
};

static int to_device(const struct central_office *o, void *arg)
{
  struct to_devices *t = arg;
  if (!o->active || (t->zSkip && strcmp(o->zCode, t->zSkip) == 0))
    return 0; /* a revoked device reads nothing any more */
  t->rc = feed(t->c, o->zCode, t->zKind, t->payload, t->err);
  return t->rc != 0;
}

/*
 * Append an item to the feed of every active device of office zOffice
 * (an office code, or any of its devices' codes) but zSkip: what an office
 * must learn, each of its computers learns.
 */
static int feed_office(struct central *c, const char *zOffice,
                       const char *zSkip, const char *zKind,
                       json_t *payload, struct sws_err *err)
{
  char zOf[CENTRAL_CODE_MAX];
  struct to_devices t = {c, zSkip, zKind, payload, err, 0};
  office_of(c, zOffice, zOf);
  int rc = c->s->ops->office_devices(c->s, zOf, to_device, &t, err);
  return rc ? rc : t.rc;
}

/*
 * Send a record (item: entity, id, owner, fields) to office zOffice's
 * devices but zSkip. An office that did not create the record holds it
 * from now on: it may change it (the ownership rule).
 */
static int feed_record(struct central *c, const char *zOffice,
                       const char *zSkip, json_t *item, struct sws_err *err)
{
  char zOf[CENTRAL_CODE_MAX], zOwnerOf[CENTRAL_CODE_MAX];
  const char *zEntity = json_string_value(json_object_get(item, "entity"));
  const char *zId = json_string_value(json_object_get(item, "id"));
  const char *zOwner = json_string_value(json_object_get(item, "owner"));
  int rc = feed_office(c, zOffice, zSkip, "record", item, err);
  if (rc != 0 || !zEntity || !zId || !zOwner)
    return rc;
  office_of(c, zOffice, zOf);
  office_of(c, zOwner, zOwnerOf);
  if (strcmp(zOf, zOwnerOf) == 0)
    return SWS_OK;
  return c->s->ops->holding_add(c->s, zOf, zEntity, zId, err);
}

int central_feed_record(struct central *c, const char *zOffice, json_t *item,
                        struct sws_err *err)
{
  return feed_record(c, zOffice, NULL, item, err);
}

void central_office_of(struct central *c, const char *zDevice, char *zOut)
{
  office_of(c, zDevice, zOut);
}

/* Append an item to every office's feed. */
static int feed_all(struct central *c, const char *zKind, json_t *payload,
                    struct sws_err *err)
{
  struct each_office e = {c, zKind, payload, NULL, err, 0};
  int rc = c->s->ops->office_list(c->s, to_one, &e, err);
  return rc ? rc : e.rc;
}

static json_t *office_key_item(const struct central_office *o)
{
  char zPk[64];
  sws_b64url(zPk, o->pk, sizeof o->pk);
  return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", o->zCode, "name",
                   o->zName, "key_id", o->zKeyId, "public_key", zPk,
                   "status", o->active ? "active" : "revoked");
}

static int key_to_new(const struct central_office *o, void *arg)
{
  struct each_office *e = arg;
  if (strcmp(o->zCode, e->zTarget) == 0)
    return 0; /* it has its own key already (feed_all) */
  json_t *j = office_key_item(o);
  e->rc = feed(e->c, e->zTarget, "office_key", j, e->err);
  json_decref(j);
  return e->rc != 0;
}

/* ---- administration ---- */

struct key_owner {
  const unsigned char *pk;
  char zCode[CENTRAL_CODE_MAX];
  int active;
};

static int same_key(const struct central_office *o, void *arg)
{
  struct key_owner *k = arg;
  if (sodium_memcmp(o->pk, k->pk, SWS_PK_BYTES) != 0)
    return 0;
  sws_strlcpy(k->zCode, o->zCode, sizeof k->zCode);
  k->active = o->active;
  return 1;
}

int central_office_add(struct central *c, const char *zCode,
                       const char *zName, const char *zPubKey,
                       const char *zDeviceOf, int64_t firstSeq,
                       struct sws_err *err)
{
  struct central_office o, of;
  char zc[SWS_OFFICE_CODE_MAX];
  unsigned char pk[64];
  int rc;
  if ((rc = cases_office_code_check(zc, zCode, err)) != 0)
    return rc;
  if (zDeviceOf) {
    if (c->s->ops->office_get(c->s, zDeviceOf, &of, NULL) != 0)
      return sws_err_set(err, SWS_ENOTFOUND, "--device-of: no office %s is "
                         "enrolled here; enrol the office first", zDeviceOf);
    if (zName == NULL)
      zName = of.zName;
  }
  if (zName == NULL || sws_blank(zName) ||
      sws_text_check("the office name", zName, 200, 0, err) != 0)
    return err->code ? err->code
                     : sws_err_set(err, SWS_EINVAL, "give the office's name "
                                   "(--name)");
  if (zPubKey == NULL || sws_unb64url(pk, sizeof pk, zPubKey) != 32)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not an office public key; "
                       "copy it from 'sws office key' at the office",
                       zPubKey ? zPubKey : "");
  if (firstSeq < 1)
    return sws_err_set(err, SWS_EINVAL, "--first-seq must be 1 or more");
  if (c->s->ops->office_get(c->s, zc, &o, NULL) == 0)
    return sws_err_set(err, SWS_ECONFLICT, "office %s is already enrolled%s",
                       zc, o.active ? "" : " (revoked: enrol it under a new "
                                           "code)");
  /* one key, one device: a key enrolled twice would let one computer act
   * as two offices (and a restored or copied database must not go on
   * under a new code with its old key) */
  struct key_owner ko = {pk, "", 0};
  if ((rc = c->s->ops->office_list(c->s, same_key, &ko, err)) != 0)
    return rc;
  if (ko.zCode[0])
    return sws_err_set(err, SWS_ECONFLICT, "this public key is already "
                       "enrolled as %s (%s); each device has a key of its "
                       "own: at the office, 'sws office new-device CODE' "
                       "makes one", ko.zCode,
                       ko.active ? "active" : "revoked");
  memset(&o, 0, sizeof o);
  sws_strlcpy(o.zCode, zc, sizeof o.zCode);
  sws_strlcpy(o.zOffice, zDeviceOf ? of.zOffice : zc, sizeof o.zOffice);
  sws_strlcpy(o.zName, zName, sizeof o.zName);
  memcpy(o.pk, pk, 32);
  cases_key_id(o.zKeyId, o.pk);
  o.active = 1;
  o.ack = firstSeq - 1; /* a replacing device goes on from there */
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  if ((rc = c->s->ops->office_put(c->s, &o, err)) != 0)
    goto done;
  /* every office (the new one too) learns the new key; the new office
   * learns every other key */
  json_t *j = office_key_item(&o);
  rc = feed_all(c, "office_key", j, err);
  json_decref(j);
  if (rc == 0) {
    struct each_office e = {c, NULL, NULL, zc, err, 0};
    rc = c->s->ops->office_list(c->s, key_to_new, &e, err);
    rc = rc ? rc : e.rc;
  }
  if (rc == 0) {
    char zDetail[300];
    if (strcmp(o.zOffice, zc) != 0)
      snprintf(zDetail, sizeof zDetail, "%s \"%s\" key %s, a device of %s "
               "from seq %lld", zc, zName, o.zKeyId, o.zOffice,
               (long long)firstSeq);
    else
      snprintf(zDetail, sizeof zDetail, "%s \"%s\" key %s", zc, zName,
               o.zKeyId);
    rc = c->s->ops->log(c->s, c->zActor, "office.add", zDetail, err);
  }
done:
  if (rc == 0)
    return c->s->ops->commit(c->s, err);
  c->s->ops->rollback(c->s);
  return rc;
}

int central_office_revoke(struct central *c, const char *zCode,
                          struct sws_err *err)
{
  struct central_office o;
  int rc;
  if ((rc = c->s->ops->office_get(c->s, zCode, &o, err)) != 0)
    return rc;
  if (!o.active)
    return sws_err_set(err, SWS_ECONFLICT, "office %s is already revoked",
                       o.zCode);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  o.active = 0;
  json_t *j = office_key_item(&o);
  if ((rc = c->s->ops->office_put(c->s, &o, err)) == 0 &&
      (rc = feed_all(c, "office_key", j, err)) == 0)
    rc = c->s->ops->log(c->s, c->zActor, "office.revoke", o.zCode, err);
  json_decref(j);
  if (rc == 0)
    return c->s->ops->commit(c->s, err);
  c->s->ops->rollback(c->s);
  return rc;
}

/* ---- households as the registry sees them ---- */

struct first_member {
  char zHead[201];
  int n;
};

static int count_member(const char *zId, const char *zFields,
                        const char *zOffice, void *arg)
{
  struct first_member *f = arg;
  json_t *j = json_loads(zFields, 0, NULL);
  (void)zId;
  (void)zOffice;
  const char *zRel = json_string_value(json_object_get(j, "relationship"));
  const char *zStatus = json_string_value(json_object_get(j, "status"));
  if (zStatus == NULL || strcmp(zStatus, "active") == 0) {
    f->n++;
    if (zRel && strcmp(zRel, "head") == 0)
      sws_strlcpy(f->zHead, json_string_value(json_object_get(j, "name"))
                                ? json_string_value(json_object_get(j, "name"))
                                : "",
                  sizeof f->zHead);
  }
  json_decref(j);
  return 0;
}

struct by_regno {
  char zId[37];
};

static int take_id(const char *zId, const char *zFields, const char *zOffice,
                   void *arg)
{
  (void)zFields;
  (void)zOffice;
  sws_strlcpy(((struct by_regno *)arg)->zId, zId, 37);
  return 1;
}

int central_household_get(struct central *c, const char *zRegnoOrId,
                          struct central_household *out, struct sws_err *err)
{
  char *zFields = NULL;
  struct by_regno br = {""};
  struct sws_number num;
  int rc;
  memset(out, 0, sizeof *out);
  const char *zId = zRegnoOrId;
  if (strlen(zRegnoOrId) != 36) {
    if (sws_number_parse(zRegnoOrId, &num) == SWS_NUMBER_MALFORMED)
      return sws_err_set(err, SWS_EINVAL, "'%s' is not a registration "
                         "number", zRegnoOrId);
    if ((rc = c->s->ops->record_find(c->s, "household", "regno", num.zCanon,
                                     take_id, &br, err)) != 0)
      return rc;
    if (br.zId[0] == '\0')
      return sws_err_set(err, SWS_ENOTFOUND, "no household %s at the "
                         "central registry", num.zCanon);
    zId = br.zId;
  }
  rc = c->s->ops->record_get(c->s, "household", zId, &zFields, out->zOffice,
                             err);
  if (rc == SWS_ENOTFOUND)
    return sws_err_set(err, SWS_ENOTFOUND, "no household '%s' at the "
                       "central registry", zRegnoOrId);
  if (rc != 0)
    return rc;
  json_t *j = json_loads(zFields, 0, NULL);
  free(zFields);
  sws_strlcpy(out->zId, zId, sizeof out->zId);
  const char *z = json_string_value(json_object_get(j, "regno"));
  sws_strlcpy(out->zRegno, z ? z : "", sizeof out->zRegno);
  z = json_string_value(json_object_get(j, "area_code"));
  sws_strlcpy(out->zArea, z ? z : "", sizeof out->zArea);
  json_decref(j);
  struct first_member f = {"", 0};
  if ((rc = c->s->ops->record_find(c->s, "member", "household_id", zId,
                                   count_member, &f, err)) != 0)
    return rc;
  sws_strlcpy(out->zHead, f.zHead, sizeof out->zHead);
  out->nMembers = f.n;
  if (c->s->ops->alias_get(c->s, zId, out->zMergedInto, NULL) != 0)
    out->zMergedInto[0] = '\0';
  return SWS_OK;
}

struct dup_list {
  struct central *c;
  int (*fn)(int64_t, const struct central_household *,
            const struct central_household *, double, const char *,
            const char *, void *);
  void *arg;
  struct sws_err *err;
  int rc;
};

static int one_dup(int64_t id, const char *zA, const char *zB, double score,
                   const char *zReasons, const char *zStatus, void *arg)
{
  struct dup_list *d = arg;
  struct central_household a, b;
  if ((d->rc = central_household_get(d->c, zA, &a, d->err)) != 0 ||
      (d->rc = central_household_get(d->c, zB, &b, d->err)) != 0)
    return 1;
  return d->fn(id, &a, &b, score, zReasons, zStatus, d->arg);
}

int central_duplicates(struct central *c, int bAll,
                       int (*fn)(int64_t, const struct central_household *,
                                 const struct central_household *, double,
                                 const char *, const char *, void *),
                       void *arg, struct sws_err *err)
{
  struct dup_list d = {c, fn, arg, err, 0};
  struct central_dedup_report rep;
  /* never behind what was pushed */
  int rc = central_dedup(c, 0, &rep, err);
  if (rc == 0)
    rc = c->s->ops->duplicate_list(c->s, bAll, one_dup, &d, err);
  return rc ? rc : d.rc;
}

/* ---- for the registry's other files (sync/central_*.c) ---- */

int central_feed_item(struct central *c, const char *zDevice,
                      const char *zKind, json_t *payload, struct sws_err *err)
{
  return feed(c, zDevice, zKind, payload, err);
}

int central_feed_office(struct central *c, const char *zOffice,
                        const char *zKind, json_t *payload,
                        struct sws_err *err)
{
  return feed_office(c, zOffice, NULL, zKind, payload, err);
}

static int holds(struct central *c, const char *zOffice, const char *zEntity,
                 const char *zId, const char *zOwner, int *pHolds,
                 struct sws_err *err);

int central_holds(struct central *c, const char *zOffice,
                  const char *zEntity, const char *zId, const char *zOwner,
                  int *pHolds, struct sws_err *err)
{
  return holds(c, zOffice, zEntity, zId, zOwner, pHolds, err);
}

/* ---- conflicts kept for review ---- */

/* The registration number of the household a record belongs to ("" if it
 * cannot be told) into zRegno, and the record as people name it into
 * zWhat: "household KH12-000001-E", "member 2 of KH12-000001-E",
 * "case_file of KH12-000001-E"; never its id. */
static void record_label(struct central *c, const char *zEntity,
                         const char *zId, char *zRegno, size_t nRegno,
                         char *zWhat, size_t nWhat)
{
  char *zFields = NULL, *zHh = NULL;
  json_t *j = NULL, *h = NULL;
  zRegno[0] = '\0';
  if (c->s->ops->record_get(c->s, zEntity, zId, &zFields, NULL, NULL) == 0)
    j = json_loads(zFields, 0, NULL);
  free(zFields);
  zFields = NULL;
  if (strcmp(zEntity, "household") == 0) {
    h = json_incref(j);
  } else {
    const char *zOf = json_string_value(json_object_get(j, "household_id"));
    if (zOf &&
        c->s->ops->record_get(c->s, "household", zOf, &zHh, NULL, NULL) == 0)
      h = json_loads(zHh, 0, NULL);
  }
  const char *z = json_string_value(json_object_get(h, "regno"));
  sws_strlcpy(zRegno, z ? z : "", nRegno);
  json_t *line = json_object_get(j, "line_no");
  if (j == NULL)
    snprintf(zWhat, nWhat, "a %s the registry does not hold", zEntity);
  else if (strcmp(zEntity, "household") == 0)
    snprintf(zWhat, nWhat, "household %s", zRegno);
  else if (strcmp(zEntity, "member") == 0 && json_is_integer(line))
    snprintf(zWhat, nWhat, "member %lld of %s (%s)",
             (long long)json_integer_value(line),
             zRegno[0] ? zRegno : "a household the registry does not hold",
             json_string_value(json_object_get(j, "name"))
                 ? json_string_value(json_object_get(j, "name"))
                 : "no name");
  else if (zRegno[0])
    snprintf(zWhat, nWhat, "%s of %s", zEntity, zRegno);
  else
    snprintf(zWhat, nWhat, "a %s", zEntity);
  free(zHh);
  json_decref(h);
  json_decref(j);
}

struct conflict_list {
  struct central *c;
  int (*fn)(const struct central_conflict *, const char *, void *);
  void *arg;
};

static int one_conflict(const struct central_conflict *k, void *arg)
{
  struct conflict_list *l = arg;
  struct central_conflict named = *k;
  char zRegno[48];
  record_label(l->c, k->zEntity, k->zEntityId, zRegno, sizeof zRegno,
               named.zWhat, sizeof named.zWhat);
  return l->fn(&named, zRegno, l->arg);
}

int central_conflicts(struct central *c, int bAll,
                      int (*fn)(const struct central_conflict *,
                                const char *zRegno, void *),
                      void *arg, struct sws_err *err)
{
  struct conflict_list l = {c, fn, arg};
  return c->s->ops->conflict_list(c->s, bAll, one_conflict, &l, err);
}

/* ---- duplicate detection across offices ----
 *
 * A push only stores each person it receives and marks it (person_put);
 * the job below indexes the marked people and looks for each one's best
 * candidates at other offices, out of the push's way (docs/decisions.md,
 * "Duplicates across offices"). */

/* The pairs a person may add: its best candidates only, so that a common
 * name cannot fill the review queue with every namesake of a nation. */
#define DEDUP_BEST 5

struct candidate {
  char zHousehold[CENTRAL_ID_MAX];
  char zOffice[CENTRAL_CODE_MAX];
  double score;
  char zReasons[200];
};

struct dedup {
  struct central *c;
  char zOfficeOf[CENTRAL_CODE_MAX]; /* the person's office */
  const char *zHousehold;
  struct match_person p;
  struct candidate a[DEDUP_BEST];
  int n;
};

static int consider(const struct central_person *q, void *arg)
{
  struct dedup *d = arg;
  struct match_result r;
  char zOf[CENTRAL_CODE_MAX];
  office_of(d->c, q->zOffice, zOf);
  if (strcmp(zOf, d->zOfficeOf) == 0 ||
      strcmp(q->zHouseholdId, d->zHousehold) == 0)
    return 0; /* the office's own check does that at the counter */
  struct match_person other = {q->zName, q->zSex[0], q->zBorn, q->zArea,
                               q->zNationalId};
  match_persons(&d->p, &other, &r);
  if (!r.is_match)
    return 0;
  /* one entry per household, its best score; the best DEDUP_BEST kept */
  int k;
  for (k = 0; k < d->n; k++)
    if (strcmp(d->a[k].zHousehold, q->zHouseholdId) == 0)
      break;
  if (k == d->n) {
    if (d->n < DEDUP_BEST) {
      d->n++;
    } else {
      int worst = 0;
      for (int i = 1; i < d->n; i++)
        if (d->a[i].score < d->a[worst].score)
          worst = i;
      if (d->a[worst].score >= r.score)
        return 0;
      k = worst;
    }
  } else if (d->a[k].score >= r.score) {
    return 0;
  }
  sws_strlcpy(d->a[k].zHousehold, q->zHouseholdId, CENTRAL_ID_MAX);
  sws_strlcpy(d->a[k].zOffice, q->zOffice, CENTRAL_CODE_MAX);
  d->a[k].score = r.score;
  sws_strlcpy(d->a[k].zReasons, r.reasons, sizeof d->a[k].zReasons);
  return 0;
}

/* A new pair: each office learns of it, from its own side. */
static int feed_duplicate(struct central *c, const char *zHhA,
                          const char *zOfficeA, const char *zHhB,
                          const char *zOfficeB, double score,
                          const char *zReasons, struct sws_err *err)
{
  char zRegA[48], zRegB[48], zWhat[96];
  int rc = SWS_OK;
  record_label(c, "household", zHhA, zRegA, sizeof zRegA, zWhat, sizeof zWhat);
  record_label(c, "household", zHhB, zRegB, sizeof zRegB, zWhat, sizeof zWhat);
  for (int side = 0; side < 2 && rc == 0; side++) {
    json_t *item = json_pack(
        "{s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:f, s:s}", "household", "id",
        side ? zHhB : zHhA, "regno", side ? zRegB : zRegA, "other", "id",
        side ? zHhA : zHhB, "regno", side ? zRegA : zRegB, "office",
        side ? zOfficeA : zOfficeB, "score", score, "reasons", zReasons);
    rc = feed_office(c, side ? zOfficeB : zOfficeA, NULL, "duplicate", item,
                     err);
    json_decref(item);
  }
  return rc;
}

/* A person to index, copied out of the store's row. */
struct pending {
  char zMember[CENTRAL_ID_MAX], zHousehold[CENTRAL_ID_MAX];
  char zOffice[CENTRAL_CODE_MAX], zSex[2], zBorn[16], zNid[40], zArea[40];
  char *zName;
};

struct pending_list {
  struct pending *a;
  int n, nAlloc;
};

static int take_pending(const struct central_person *q, void *arg)
{
  struct pending_list *l = arg;
  if (l->n == l->nAlloc) {
    l->nAlloc = l->nAlloc ? 2 * l->nAlloc : 64;
    l->a = sws_realloc(l->a, sizeof *l->a * (size_t)l->nAlloc);
  }
  struct pending *x = &l->a[l->n++];
  memset(x, 0, sizeof *x);
  sws_strlcpy(x->zMember, q->zMemberId, sizeof x->zMember);
  sws_strlcpy(x->zHousehold, q->zHouseholdId, sizeof x->zHousehold);
  sws_strlcpy(x->zOffice, q->zOffice, sizeof x->zOffice);
  sws_strlcpy(x->zSex, q->zSex, sizeof x->zSex);
  sws_strlcpy(x->zBorn, q->zBorn, sizeof x->zBorn);
  sws_strlcpy(x->zNid, q->zNationalId ? q->zNationalId : "", sizeof x->zNid);
  sws_strlcpy(x->zArea, q->zArea ? q->zArea : "", sizeof x->zArea);
  x->zName = sws_strdup(q->zName);
  return 0;
}

struct chunk_match {
  struct dedup *ad;    /* one per person of the chunk */
  const int *aPerson;  /* lookup -> person */
};

static int chunk_consider(int i, const struct central_person *q, void *arg)
{
  struct chunk_match *cm = arg;
  return consider(q, &cm->ad[cm->aPerson[i]]);
}

/*
 * Index a chunk of people and record each one's best candidates elsewhere,
 * in a few statements for the whole chunk: their name keys locked (two
 * workers indexing the same name take turns, so the second finds the
 * first), indexed, then every lookup at once.
 */
static int dedup_chunk(struct central *c, const struct pending *a, int n,
                       struct central_dedup_report *rep, struct sws_err *err)
{
  json_t *locks = json_array(), *rows = json_array(), *queries = json_array();
  struct dedup *ad = sws_calloc((size_t)n + 1, sizeof *ad);
  int *aPerson = NULL, nQ = 0, rc = SWS_OK;
  for (int i = 0; i < n; i++) {
    const struct pending *x = &a[i];
    char *zKeys = name_keys_json(x->zName);
    json_t *keys = json_loads(zKeys, 0, NULL);
    size_t k;
    json_t *key;
    int year = (int)strtol(x->zBorn, NULL, 10);
    free(zKeys);
    json_array_foreach(keys, k, key)
    {
      json_array_append(locks, key);
      json_array_append_new(queries,
                            json_pack("{s:O, s:s, s:i, s:i}", "key", key,
                                      "sex", x->zSex, "y0", year - 2, "y1",
                                      year + 2));
      aPerson = sws_realloc(aPerson, sizeof *aPerson * (size_t)(nQ + 1));
      aPerson[nQ++] = i;
    }
    if (x->zNid[0]) {
      char zLock[64];
      snprintf(zLock, sizeof zLock, "nid:%s", x->zNid);
      json_array_append_new(locks, json_string(zLock));
      json_array_append_new(queries, json_pack("{s:s}", "nid", x->zNid));
      aPerson = sws_realloc(aPerson, sizeof *aPerson * (size_t)(nQ + 1));
      aPerson[nQ++] = i;
    }
    json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o, s:s}",
                                          "member", x->zMember, "sex",
                                          x->zSex, "born", x->zBorn, "keys",
                                          keys, "area", x->zArea));
    ad[i].c = c;
    ad[i].zHousehold = x->zHousehold;
    ad[i].p = (struct match_person){x->zName, x->zSex[0], x->zBorn,
                                    x->zArea, x->zNid[0] ? x->zNid : NULL};
    office_of(c, x->zOffice, ad[i].zOfficeOf);
  }
  char *zLocks = json_dumps(locks, JSON_COMPACT);
  char *zRows = json_dumps(rows, JSON_COMPACT);
  char *zQueries = json_dumps(queries, JSON_COMPACT);
  struct chunk_match cm = {ad, aPerson};
  if ((rc = c->s->ops->person_lock(c->s, zLocks, err)) == 0 &&
      (rc = c->s->ops->person_index_many(c->s, zRows, err)) == 0 && nQ > 0)
    rc = c->s->ops->person_candidates_many(c->s, zQueries, chunk_consider,
                                           &cm, err);
  for (int i = 0; i < n && rc == 0; i++)
    for (int j = 0; j < ad[i].n && rc == 0; j++) {
      int bNew = 0;
      rc = c->s->ops->duplicate_put(c->s, a[i].zHousehold,
                                    ad[i].a[j].zHousehold, ad[i].a[j].score,
                                    ad[i].a[j].zReasons, &bNew, err);
      if (rc == 0 && bNew) {
        rep->nPairs++;
        rc = feed_duplicate(c, a[i].zHousehold, a[i].zOffice,
                            ad[i].a[j].zHousehold, ad[i].a[j].zOffice,
                            ad[i].a[j].score, ad[i].a[j].zReasons, err);
      }
    }
  free(zLocks);
  free(zRows);
  free(zQueries);
  json_decref(locks);
  json_decref(rows);
  json_decref(queries);
  free(aPerson);
  free(ad);
  return rc;
}

int central_dedup(struct central *c, int nMax,
                  struct central_dedup_report *rep, struct sws_err *err)
{
  /* nMax 0: everything marked, waiting for what another worker holds */
  int bWait = nMax <= 0, nRetry = 0;
  int rc = SWS_OK;
  memset(rep, 0, sizeof *rep);
  while (rc == 0 && (nMax <= 0 || rep->nPeople < nMax)) {
    struct pending_list l = {NULL, 0, 0};
    int want = CENTRAL_DEDUP_CHUNK;
    if (nMax > 0 && nMax - rep->nPeople < want)
      want = nMax - rep->nPeople;
    /* one transaction per chunk: a push waits for a chunk at most */
    if ((rc = c->s->ops->begin(c->s, err)) != 0)
      break;
    if ((rc = c->s->ops->person_pending(c->s, want, bWait, take_pending, &l,
                                        err)) == 0 &&
        l.n > 0)
      rc = dedup_chunk(c, l.a, l.n, rep, err);
    if (rc == 0)
      rc = c->s->ops->commit(c->s, err);
    else
      c->s->ops->rollback(c->s);
    if (rc == 0)
      rep->nPeople += l.n;
    for (int i = 0; i < l.n; i++)
      free(l.a[i].zName);
    free(l.a);
    if (rc == SWS_ERETRY) {
      /* a deadlock with another worker's job: a server's tick leaves it
       * to the next second; a listing goes on until everything is done */
      rc = 0;
      if (!bWait || ++nRetry > 8)
        break;
      continue;
    }
    if (l.n < want)
      break; /* nothing more marked */
  }
  if (rc == 0 && rep->nPeople > 0)
    central_log(c, "duplicates: %d people indexed, %d new possible "
                "duplicate%s", rep->nPeople, rep->nPairs,
                rep->nPairs == 1 ? "" : "s");
  return rc;
}

/* Store a member (from its record fields) for the duplicate job. */
static int index_person(struct central *c, const char *zOffice,
                        const char *zMemberId, json_t *fields,
                        struct sws_err *err)
{
  const char *zName = json_string_value(json_object_get(fields, "name"));
  const char *zSex = json_string_value(json_object_get(fields, "sex"));
  const char *zBorn = json_string_value(json_object_get(fields, "born"));
  const char *zHh = json_string_value(json_object_get(fields, "household_id"));
  const char *zNid = json_string_value(json_object_get(fields, "national_id"));
  if (!zName || !zSex || !zBorn || !zHh || strlen(zBorn) < 4 ||
      (zSex[0] != 'F' && zSex[0] != 'M'))
    return SWS_OK; /* not a person we can compare */
  struct central_person p = {zMemberId, zHh, zOffice, zName, zSex, zBorn,
                             zNid, ""};
  return c->s->ops->person_put(c->s, &p, err);
}

int central_person_index(struct central *c, const char *zOffice,
                         const char *zMemberId, json_t *fields,
                         struct sws_err *err)
{
  return index_person(c, zOffice, zMemberId, fields, err);
}

/* ---- push ---- */

struct verdict {
  char zVerdict[16];
  struct buf detail;
  char zInto[CENTRAL_ID_MAX];
};

static void verdict_set(struct verdict *v, const char *zVerdict,
                        const char *zDetail)
{
  sws_strlcpy(v->zVerdict, zVerdict, sizeof v->zVerdict);
  buf_reset(&v->detail);
  if (zDetail)
    buf_puts(&v->detail, zDetail);
}

/* Follow a merge: the survivor of zId, or zId itself. */
static void survivor_of(struct central *c, const char *zId, char *zOut)
{
  if (c->s->ops->alias_get(c->s, zId, zOut, NULL) != 0)
    sws_strlcpy(zOut, zId, CENTRAL_ID_MAX);
}

struct holders {
  struct central *c;
  const char *zOrigin; /* the device the change came from: needs nothing */
  char azSent[8][CENTRAL_CODE_MAX]; /* offices sent to already */
  int nSent;
  const char *zEntity, *zId, *zOwner;
  json_t *fields;
  struct sws_err *err;
  int rc;
};

/* Keep the active devices of office zOffice for the push (struct central,
 * devs): the office of a push learns each of its changes on its other
 * devices, and most offices have one device, the one pushing. */
static int keep_device(const struct central_office *o, void *arg)
{
  struct central *c = arg;
  if (!o->active)
    return 0;
  if (c->devs.n == CENTRAL_DEVICES_KEPT) {
    c->devs.bValid = 0;
    return 1;
  }
  sws_strlcpy(c->devs.az[c->devs.n++], o->zCode, CENTRAL_CODE_MAX);
  return 0;
}

static int devices_keep(struct central *c, const char *zOffice,
                        struct sws_err *err)
{
  c->devs.bValid = 1;
  c->devs.n = 0;
  sws_strlcpy(c->devs.zOffice, zOffice, sizeof c->devs.zOffice);
  int rc = c->s->ops->office_devices(c->s, zOffice, keep_device, c, err);
  if (rc != 0)
    c->devs.bValid = 0;
  return rc;
}

/* 1 if the push's office zOffice has no active device but zSkip. */
static int only_device(struct central *c, const char *zOffice,
                       const char *zSkip)
{
  if (!c->devs.bValid || strcmp(c->devs.zOffice, zOffice) != 0)
    return 0;
  for (int i = 0; i < c->devs.n; i++)
    if (!zSkip || strcmp(c->devs.az[i], zSkip) != 0)
      return 0;
  return 1;
}

/* Send the change to the devices of zDevice's office (once per office). */
static int send_to(struct holders *h, const char *zDevice)
{
  char zOffice[CENTRAL_CODE_MAX];
  office_of(h->c, zDevice, zOffice);
  for (int i = 0; i < h->nSent; i++)
    if (strcmp(h->azSent[i], zOffice) == 0)
      return 0;
  if (h->nSent < 8)
    sws_strlcpy(h->azSent[h->nSent++], zOffice, CENTRAL_CODE_MAX);
  /* the pushing device alone in its office: nobody to tell, and the
   * office holds the record already (it created it or was checked to
   * hold it) */
  if (only_device(h->c, zOffice, h->zOrigin))
    return 0;
  json_t *item = json_pack("{s:s, s:s, s:s, s:O}", "entity", h->zEntity,
                           "id", h->zId, "owner", h->zOwner, "fields",
                           h->fields);
  h->rc = feed_record(h->c, zOffice, h->zOrigin, item, h->err);
  json_decref(item);
  return h->rc;
}

static int merged_holder(const char *zId, const char *zFields,
                         const char *zOffice, void *arg)
{
  (void)zId;
  (void)zFields;
  return send_to(arg, zOffice) != 0;
}

/*
 * A record changed: the other offices that hold a copy learn the change
 * (fields: what changed). Copies are held by the record's owner and by the
 * offices whose households were merged into the record's household, on
 * every device of theirs. zOrigin (the device that has the change) is
 * skipped; zAlso (NULL: none) learns it too.
 */
static int fan_out(struct central *c, const char *zEntity, const char *zId,
                   const char *zOwner, const char *zHousehold,
                   json_t *fields, const char *zOrigin, const char *zAlso,
                   struct sws_err *err)
{
  struct holders h;
  memset(&h, 0, sizeof h);
  h.c = c;
  h.zOrigin = zOrigin;
  h.zEntity = zEntity;
  h.zId = zId;
  h.zOwner = zOwner;
  h.fields = fields;
  h.err = err;
  if (send_to(&h, zOwner) != 0)
    return h.rc;
  if (zHousehold) {
    /* offices whose households are aliases of this one */
    int rc = c->s->ops->alias_holders(c->s, zHousehold, merged_holder, &h,
                                      err);
    if (rc != 0 || h.rc != 0)
      return rc ? rc : h.rc;
  }
  return zAlso ? send_to(&h, zAlso) : SWS_OK;
}

/*
 * Store a record's fields (cur: all of them) and send what changed
 * (applied) to the offices holding a copy: the one write path of office
 * changes and of the registry's own decisions. zOrigin and zAlso as for
 * fan_out.
 */
static int record_write(struct central *c, const char *zEntity,
                        const char *zId, const char *zOwner, json_t *cur,
                        json_t *applied, const char *zOrigin,
                        const char *zAlso, struct sws_err *err)
{
  char *z = json_dumps(cur, JSON_COMPACT | JSON_PRESERVE_ORDER);
  int rc = c->s->ops->record_put(c->s, zEntity, zId, zOwner, z, cur, err);
  free(z);
  if (rc == 0 && strcmp(zEntity, "member") == 0)
    rc = index_person(c, zOwner, zId, cur, err);
  if (rc == 0)
    rc = fan_out(c, zEntity, zId, zOwner,
                 strcmp(zEntity, "household") == 0
                     ? zId
                     : json_string_value(json_object_get(cur,
                                                         "household_id")),
                 applied, zOrigin, zAlso, err);
  return rc;
}

/* The device that pushes, and its office: what it may touch. */
struct push_ctx {
  const char *zDevice;
  char zOffice[CENTRAL_CODE_MAX];
};

/*
 * *pHolds 1 if office zOffice holds the record (zEntity, zId) owned by
 * device zOwner: one of its devices created it, or the registry sent it to
 * one of them (a merge survivor and its members, a change to those).
 */
static int holds(struct central *c, const char *zOffice, const char *zEntity,
                 const char *zId, const char *zOwner, int *pHolds,
                 struct sws_err *err)
{
  char zOwnerOf[CENTRAL_CODE_MAX];
  office_of(c, zOwner, zOwnerOf);
  if (strcmp(zOwnerOf, zOffice) == 0) {
    *pHolds = 1;
    return SWS_OK;
  }
  return c->s->ops->holding_get(c->s, zOffice, zEntity, zId, pHolds, err);
}

#define NOT_HELD                                                             \
  "this record is held by another office; an office may change only the "   \
  "records it created or was sent by the registry"

/*
 * Every record a mutation refers to (a member's household, a note's case,
 * an enrolment's member, ...) must be at the registry and held by the
 * pushing office: nobody adds a member to another office's family or a
 * note to its case. *pBad 1 (and v says why) when one is not.
 */
static int refs_held(struct central *c, const struct push_ctx *px,
                     const char *zEntity, json_t *fields, struct verdict *v,
                     int *pBad, struct sws_err *err)
{
  const struct fields_ref *a;
  int n = 0;
  *pBad = 0;
  fields_refs(zEntity, &a, &n);
  for (int i = 0; i < n; i++) {
    const char *zRef = json_string_value(json_object_get(fields,
                                                         a[i].zField));
    char zOwner[CENTRAL_CODE_MAX], zWhy[200];
    int bHolds = 0;
    if (zRef == NULL)
      continue; /* absent, or null where that is allowed (checked) */
    int rc = c->s->ops->record_get(c->s, a[i].zEntity, zRef, NULL, zOwner,
                                   err);
    if (rc == SWS_ENOTFOUND) {
      snprintf(zWhy, sizeof zWhy, "field '%s': no such %s at the central "
               "registry", a[i].zField, a[i].zEntity);
      verdict_set(v, "rejected", zWhy);
      *pBad = 1;
      return SWS_OK;
    }
    if (rc != 0 ||
        (rc = holds(c, px->zOffice, a[i].zEntity, zRef, zOwner, &bHolds,
                    err)) != 0)
      return rc;
    if (!bHolds) {
      snprintf(zWhy, sizeof zWhy, "field '%s': that %s is held by another "
               "office", a[i].zField, a[i].zEntity);
      verdict_set(v, "rejected", zWhy);
      *pBad = 1;
      return SWS_OK;
    }
  }
  return SWS_OK;
}

/*
 * Numbers people read (registration numbers, tickets, referral numbers)
 * carry the code of the device that issued them; an office issues them
 * only under its own devices' codes, so nobody can take another office's
 * numbers (receipts name them). *pBad as for refs_held.
 */
static int numbers_own(struct central *c, const struct push_ctx *px,
                       const char *zEntity, json_t *fields,
                       struct verdict *v, int *pBad)
{
  const char *zField;
  json_t *val;
  *pBad = 0;
  json_object_foreach(fields, zField, val)
  {
    char zDevice[SWS_NUMBER_MAX], zOf[CENTRAL_CODE_MAX], zWhy[200];
    struct sws_err e = SWS_ERR_INIT;
    if (!fields_is_number(zEntity, zField) || !json_is_string(val))
      continue;
    int ok = fields_number_device(zEntity, zField, json_string_value(val),
                                  zDevice, sizeof zDevice, &e) == 0;
    if (ok) {
      office_of(c, zDevice, zOf);
      ok = strcmp(zOf, px->zOffice) == 0;
    }
    if (!ok) {
      snprintf(zWhy, sizeof zWhy, "field '%s': %.60s is not a number "
               "issued by office %s", zField, json_string_value(val),
               px->zOffice);
      verdict_set(v, "rejected", zWhy);
      *pBad = 1;
      return SWS_OK;
    }
  }
  return SWS_OK;
}

struct reused {
  struct central *c;
  const char *zId, *zRegno;
  struct sws_err *err;
  int rc;
};

static int flag_reused(const char *zOther, const char *zFields,
                       const char *zOffice, void *arg)
{
  struct reused *r = arg;
  char zWhy[160];
  (void)zFields;
  (void)zOffice;
  if (strcmp(zOther, r->zId) == 0)
    return 0;
  snprintf(zWhy, sizeof zWhy, "the same registration number %s, issued "
           "twice (did the office's database go back in time?)", r->zRegno);
  r->rc = r->c->s->ops->duplicate_put(r->c->s, zOther, r->zId, 1.0, zWhy,
                                      NULL, r->err);
  return r->rc != 0;
}

/*
 * A new household whose number the registry holds already for another one:
 * both are kept (two families may stand behind them, each with a receipt)
 * and the pair goes to the duplicates to review, where someone gives one
 * of them a new number.
 */
static int number_reused(struct central *c, const char *zId, json_t *fields,
                         struct sws_err *err)
{
  const char *zRegno = json_string_value(json_object_get(fields, "regno"));
  struct reused r = {c, zId, zRegno, err, 0};
  if (zRegno == NULL)
    return SWS_OK;
  int rc = c->s->ops->record_find(c->s, "household", "regno", zRegno,
                                  flag_reused, &r, err);
  return rc ? rc : r.rc;
}

/* Apply one new mutation; fills *v. Store errors are returned. */
static int apply_one(struct central *c, const struct push_ctx *px,
                     const struct proto_mutation *m, const char *zCanon,
                     const char *zCheck, struct verdict *v,
                     struct sws_err *err)
{
  char zId[CENTRAL_ID_MAX], zOwner[CENTRAL_CODE_MAX] = "";
  const char *zOffice = px->zDevice;
  char *zCur = NULL;
  json_t *fields = json_incref(m->fields), *cur = NULL;
  int rc = 0, merged = 0, bInsert = strcmp(m->zOp, "insert") == 0, bBad = 0;

  if (!proto_entity_known(m->zEntity)) {
    verdict_set(v, "rejected", "unknown entity");
    goto out;
  }
  if (!sws_uuid_ok(m->zId, strlen(m->zId))) {
    verdict_set(v, "rejected", "the record id is not a UUID");
    goto out;
  }
  /* the values, by the office's own rules, before anything is looked up
   * (zCheck: fields_check's message, made ahead by sync/push_digest.c) */
  if (zCheck) {
    verdict_set(v, "rejected", zCheck);
    goto out;
  }
  /* a reference to a merged-away household goes to its survivor */
  const char *zHhRef = json_string_value(json_object_get(fields,
                                                         "household_id"));
  if (zHhRef) {
    char zSurv[CENTRAL_ID_MAX];
    survivor_of(c, zHhRef, zSurv);
    if (strcmp(zSurv, zHhRef) != 0) {
      json_t *copy = json_copy(fields); /* the batch's own stays as sent */
      json_decref(fields);
      fields = copy;
      json_object_set_new(fields, "household_id", json_string(zSurv));
      sws_strlcpy(v->zInto, zSurv, sizeof v->zInto);
      merged = 1;
    }
  }
  sws_strlcpy(zId, m->zId, sizeof zId);
  if (strcmp(m->zEntity, "household") == 0) {
    survivor_of(c, m->zId, zId);
    if (strcmp(zId, m->zId) != 0) {
      sws_strlcpy(v->zInto, zId, sizeof v->zInto);
      merged = 1;
    }
  }

  rc = c->s->ops->record_lock(c->s, m->zEntity, zId, &zCur, zOwner, err);
  if (rc != 0 && rc != SWS_ENOTFOUND)
    goto out;
  int bFound = rc == 0;
  rc = 0;
  if (bFound) {
    /* the ownership rule: nothing of another office, not even a
     * conflict that would show it its values */
    int bHolds = 0;
    if ((rc = holds(c, px->zOffice, m->zEntity, zId, zOwner, &bHolds,
                    err)) != 0)
      goto out;
    if (!bHolds) {
      verdict_set(v, "rejected", NOT_HELD);
      goto out;
    }
  }
  if ((rc = refs_held(c, px, m->zEntity, fields, v, &bBad, err)) != 0 ||
      bBad || (rc = numbers_own(c, px, m->zEntity, fields, v, &bBad)) != 0 ||
      bBad)
    goto out;
  if (bInsert) {
    if (bFound) {
      verdict_set(v, "duplicate", "the record already exists");
      goto out;
    }
    /* the batch's fields as the digest wrote them, unless redirected */
    char *z = fields == m->fields
                  ? NULL
                  : json_dumps(fields, JSON_COMPACT | JSON_PRESERVE_ORDER);
    rc = c->s->ops->record_put(c->s, m->zEntity, zId, zOffice,
                               z ? z : zCanon, fields, err);
    free(z);
    if (rc == 0 && strcmp(m->zEntity, "member") == 0)
      rc = index_person(c, zOffice, zId, fields, err);
    if (rc == 0 && strcmp(m->zEntity, "household") == 0)
      rc = number_reused(c, zId, fields, err);
    if (rc == 0)
      rc = fan_out(c, m->zEntity, zId, zOffice,
                   json_string_value(json_object_get(fields, "household_id")),
                   fields, zOffice, NULL, err);
    if (rc == 0)
      verdict_set(v, merged ? "merged" : "applied", NULL);
    goto out;
  }

  /* update */
  if (!bFound) {
    verdict_set(v, "rejected", "no such record at the central registry");
    goto out;
  }
  cur = json_loads(zCur, 0, NULL);
  if (cur == NULL) {
    rc = sws_err_set(err, SWS_EDB, "a stored record is not JSON");
    goto out;
  }
  const char *zField;
  json_t *val, *applied = json_object();
  int nApplied = 0, nConflict = 0;
  json_object_foreach(fields, zField, val)
  {
    json_t *now = json_object_get(cur, zField);
    json_t *was = m->prev ? json_object_get(m->prev, zField) : NULL;
    int concurrent = now && was && !json_equal(now, was) &&
                     !json_equal(now, val);
    if (concurrent && identity_field(m->zEntity, zField)) {
      /* the server value stays; the office's goes to review, both sides */
      char *zOv = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
      char *zSv = json_dumps(now, JSON_ENCODE_ANY | JSON_COMPACT);
      rc = c->s->ops->conflict_put(c->s, zOffice, m->seq, m->zEntity, zId,
                                   zField, zOv, zSv, err);
      if (rc == 0) {
        json_t *item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "entity",
                                 m->zEntity, "id", zId, "field", zField,
                                 "office_value", zOv, "server_value", zSv,
                                 "seq", (json_int_t)m->seq);
        rc = feed(c, zOffice, "conflict", item, err);
        json_decref(item);
      }
      free(zOv);
      free(zSv);
      if (rc != 0)
        goto out;
      buf_appendf(&v->detail, "%s%s", nConflict ? ", " : "", zField);
      nConflict++;
      continue;
    }
    json_object_set(cur, zField, val);
    json_object_set(applied, zField, val);
    nApplied++;
  }
  if (nApplied > 0)
    rc = record_write(c, m->zEntity, zId, zOwner, cur, applied, zOffice, NULL,
                      err);
  json_decref(applied);
  if (rc != 0)
    goto out;
  if (nConflict > 0) {
    struct buf d = BUF_INIT;
    buf_appendf(&d, "kept the registry's value of %s (changed elsewhere); "
                "sent for review", buf_str(&v->detail));
    verdict_set(v, "conflict", buf_str(&d));
    buf_release(&d);
  } else {
    verdict_set(v, merged ? "merged" : "applied", NULL);
  }
out:
  free(zCur);
  json_decref(cur);
  json_decref(fields);
  return rc;
}

/*
 * A mutation at or below the watermark is a replay only if it is the same
 * mutation. *pDiverged gets the first seq under which the batch carries a
 * different one than the registry stored (0: none): the device's database
 * went back in time.
 */
static int find_divergence(struct central *c, const char *zDevice,
                           const struct proto_push *p,
                           struct push_digest *dg, int64_t ack,
                           int64_t *pDiverged, struct sws_err *err)
{
  *pDiverged = 0;
  for (int i = 0; i < p->n && p->first + i <= ack; i++) {
    char zVerdict[16], zStored[CENTRAL_HASH_MAX];
    const struct proto_mutation *m = push_digest_mutation(dg, i, err);
    if (m == NULL)
      return SWS_EINVAL;
    int rc = c->s->ops->mutation_get(c->s, zDevice, m->seq, zVerdict,
                                     sizeof zVerdict, NULL, zStored, err);
    if (rc == SWS_ENOTFOUND)
      continue;
    if (rc != 0)
      return rc;
    if (zStored[0] && strcmp(zStored, push_digest_hash(dg, i)) != 0) {
      *pDiverged = m->seq;
      return SWS_OK;
    }
  }
  return SWS_OK;
}

/* Record that device o went back in time at seq, for its administrator
 * (inside the push's transaction). */
static int record_divergence(struct central *c, struct central_office *o,
                             int64_t seq, const char *zBatch,
                             struct sws_err *err)
{
  char zDetail[300];
  int rc;
  if (o->divergedSeq == 0 || seq < o->divergedSeq) {
    o->divergedSeq = seq;
    now_iso(o->zDivergedAt);
  }
  snprintf(zDetail, sizeof zDetail, "%s sent a different change under seq "
           "%lld than before (batch %.40s): its database went back in time",
           o->zCode, (long long)seq, zBatch);
  if ((rc = c->s->ops->office_put(c->s, o, err)) == 0)
    rc = c->s->ops->log(c->s, o->zCode, "device.diverged", zDetail, err);
  return rc;
}

/* What one attempt at a push produced. */
struct push_run {
  int64_t ackBefore, ack, diverged, gapFrom;
  char zNow[32];
};

/*
 * One attempt at applying batch p of device zDevice, in one transaction:
 * lock the device (two workers never apply its batches at once), then a
 * gap, a divergence, or the batch applied with the watermark moved. A
 * store that lost a race with another transaction returns SWS_ERETRY
 * with nothing applied; the caller runs it again.
 */
static int push_once(struct central *c, const char *zDevice,
                     const struct proto_push *p, struct push_digest *dg,
                     struct verdict *vv,
                     struct push_run *r, int *pStatus, struct sws_err *err)
{
  struct central_office o;
  struct push_ctx px;
  int rc;
  memset(r, 0, sizeof *r);
  for (int i = 0; i < p->n; i++) {
    verdict_set(&vv[i], "", NULL);
    vv[i].zInto[0] = '\0';
  }
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  if ((rc = c->s->ops->office_lock(c->s, zDevice, &o, err)) != 0) {
    *pStatus = rc == SWS_ERETRY ? 500 : 403;
    goto fail;
  }
  if (!o.active) {
    *pStatus = 403;
    rc = sws_err_set(err, SWS_EPERM, "office %s is revoked at the central "
                     "registry", zDevice);
    goto fail;
  }
  px.zDevice = o.zCode;
  sws_strlcpy(px.zOffice, o.zOffice, sizeof px.zOffice);
  if ((rc = devices_keep(c, px.zOffice, err)) != 0)
    goto fail;
  r->ackBefore = o.ack;
  if (p->first > o.ack + 1) {
    /* a gap: something before this batch never arrived */
    r->gapFrom = o.ack + 1;
    c->s->ops->rollback(c->s);
    return SWS_OK;
  }
  if ((rc = find_divergence(c, zDevice, p, dg, o.ack, &r->diverged,
                            err)) != 0) {
    if (rc == SWS_EINVAL)
      *pStatus = 400; /* a malformed mutation */
    goto fail;
  }
  if (r->diverged) {
    /* nothing of the batch is applied: the device must become a new one,
     * and keeps every change in its outbox meanwhile */
    if ((rc = record_divergence(c, &o, r->diverged, p->zBatch, err)) != 0)
      goto fail;
    return c->s->ops->commit(c->s, err);
  }
  if (c->s->ops->push_prefetch) {
    /* reads the whole batch: every mutation decoded first */
    if ((rc = push_digest_all(dg, err)) != 0) {
      *pStatus = 400;
      goto fail;
    }
    if ((rc = c->s->ops->push_prefetch(c->s, px.zOffice, p, err)) != 0)
      goto fail;
  }
  for (int i = 0; i < p->n && rc == 0; i++) {
    /* decoded on the thread ahead: a malformed one refuses the batch,
     * and what was applied of it is rolled back */
    const struct proto_mutation *m = push_digest_mutation(dg, i, err);
    if (m == NULL) {
      *pStatus = 400;
      rc = SWS_EINVAL;
      break;
    }
    if (m->seq <= o.ack) {
      /* a replay (the same mutation: checked above): the verdict it had */
      char *zDetail = NULL;
      if (c->s->ops->mutation_get(c->s, zDevice, m->seq, vv[i].zVerdict,
                                  sizeof vv[i].zVerdict, &zDetail, NULL,
                                  NULL) == 0) {
        buf_puts(&vv[i].detail, zDetail);
        free(zDetail);
      } else {
        verdict_set(&vv[i], "duplicate", NULL);
      }
      continue;
    }
    /* the sorted fields and the digest come from the thread making them
     * ahead (sync/push_digest.c) */
    if ((rc = apply_one(c, &px, m, push_digest_canon(dg, i),
                        push_digest_check(dg, i), &vv[i], err)) != 0)
      break;
    rc = c->s->ops->mutation_put(c->s, zDevice, m->seq, m->zEntity, m->zId,
                                 m->zOp, vv[i].zVerdict,
                                 buf_str(&vv[i].detail),
                                 push_digest_hash(dg, i), err);
    if (i == p->n / 2)
      sws_crash_point("central.push.mid"); /* killed mid-batch */
  }
  if (rc != 0)
    goto fail;
  now_iso(r->zNow);
  if (p->last > o.ack)
    o.ack = p->last;
  r->ack = o.ack;
  sws_strlcpy(o.zLastPushAt, r->zNow, sizeof o.zLastPushAt);
  if ((rc = c->s->ops->office_put(c->s, &o, err)) != 0 ||
      (rc = c->s->ops->commit(c->s, err)) != 0)
    goto fail;
  return SWS_OK;
fail:
  c->s->ops->rollback(c->s);
  return rc;
}

#define PUSH_TRIES 8

int central_push(struct central *c, const char *zOffice, const char *zBody,
                 size_t nBody, int *pStatus, struct buf *out,
                 struct sws_err *err)
{
  struct proto_push p;
  struct proto_verdict *av = NULL;
  struct verdict *vv = NULL;
  struct push_run r;
  struct push_digest *dg = NULL;
  int rc;
  *pStatus = 500;
  if ((rc = proto_push_split(&p, zBody, nBody, err)) != 0) {
    *pStatus = 400;
    return rc;
  }
  if (strcmp(p.zDevice, zOffice) != 0) {
    *pStatus = 403;
    rc = sws_err_set(err, SWS_EPERM, "a batch of %s signed by %s",
                     p.zDevice, zOffice);
    goto out;
  }
  av = sws_calloc((size_t)p.n, sizeof *av);
  vv = sws_calloc((size_t)p.n, sizeof *vv);
  for (int i = 0; i < p.n; i++)
    buf_init(&vv[i].detail, 4096);
  dg = push_digest_start(&p, c->s->ops->push_prefetch != NULL);
  /* another worker's transaction may win a race for a record or a key
   * (PostgreSQL: a deadlock or a serialization failure): nothing of this
   * attempt stays, so it runs again */
  for (int attempt = 0;; attempt++) {
    sws_err_clear(err);
    rc = push_once(c, zOffice, &p, dg, vv, &r, pStatus, err);
    c->devs.bValid = 0; /* kept for that transaction only */
    if (rc != SWS_ERETRY || attempt + 1 >= PUSH_TRIES)
      break;
    central_log(c, "%s push batch %s: lost a race with another worker, "
                "applying it again", zOffice, p.zBatch);
  }
  if (rc != 0) {
    if (rc == SWS_ERETRY)
      *pStatus = 503; /* the office sends it again later */
    goto out;
  }
  if (r.gapFrom) {
    *pStatus = 409;
    buf_appendf(out, "{\"expected\":%lld,\"error\":\"mutations %lld..%lld "
                "are missing; resend from %lld\"}",
                (long long)r.gapFrom, (long long)r.gapFrom,
                (long long)(p.first - 1), (long long)r.gapFrom);
    central_log(c, "%s push batch %s %lld..%lld: a gap, asked to resend "
                "from %lld (409)", zOffice, p.zBatch, (long long)p.first,
                (long long)p.last, (long long)r.gapFrom);
    goto out;
  }
  if (r.diverged) {
    json_t *j = json_pack(
        "{s:s, s:I, s:s}", "error", "diverged", "diverged",
        (json_int_t)r.diverged, "message", "this device sent a change under "
        "a number it had already used for another change: its database "
        "went back in time (restored from a backup, or copied to another "
        "computer). Nothing was applied, and nothing is lost: the changes "
        "stay in the office's outbox. Make this computer a new device "
        "with 'sws office new-device CODE' and have the registry's "
        "administrator enrol it as it says.");
    char *zj = json_dumps(j, JSON_COMPACT);
    buf_puts(out, zj);
    free(zj);
    json_decref(j);
    *pStatus = 409;
    central_log(c, "%s push batch %s %lld..%lld: refused, a different "
                "change under seq %lld than before (the device went back in "
                "time) (409)", zOffice, p.zBatch, (long long)p.first,
                (long long)p.last, (long long)r.diverged);
    goto out;
  }
  /* committed, not answered: the office resends, the replay answers */
  sws_crash_point("central.push.committed");
  int nReplay = 0, nBy[5] = {0, 0, 0, 0, 0};
  static const char *const VERDICTS[] = {"applied", "duplicate", "merged",
                                         "conflict", "rejected"};
  for (int i = 0; i < p.n; i++) {
    av[i].seq = p.a[i].seq;
    av[i].zVerdict = vv[i].zVerdict;
    av[i].zDetail = buf_str(&vv[i].detail);
    av[i].zInto = vv[i].zInto;
    nReplay += p.a[i].seq <= r.ackBefore;
    for (int k = 0; k < 5; k++)
      nBy[k] += strcmp(vv[i].zVerdict, VERDICTS[k]) == 0;
  }
  central_log(c, "%s push batch %s %lld..%lld: %d applied, %d duplicate, "
              "%d merged, %d conflict, %d rejected%s",
              zOffice, p.zBatch, (long long)p.first, (long long)p.last,
              nBy[0], nBy[1], nBy[2], nBy[3], nBy[4],
              nReplay == p.n ? "; a replay, answered from the stored "
                               "verdicts"
              : nReplay > 0  ? "; partly a replay"
                             : "");
  char *zReply = proto_reply_encode(r.ack, av, p.n, r.zNow);
  buf_puts(out, zReply);
  free(zReply);
  *pStatus = 200;
out:
  push_digest_end(dg); /* before the batch it reads is freed */
  if (vv)
    for (int i = 0; i < p.n; i++)
      buf_release(&vv[i].detail);
  free(vv);
  free(av);
  proto_push_release(&p);
  return rc;
}

/* ---- feed ---- */

struct page {
  struct buf *out;
  int64_t lastXid, last;
  int n;
};

static int add_item(int64_t xid, int64_t seq, const char *zKind,
                    const char *zPayload, void *arg)
{
  struct page *pg = arg;
  json_t *k = json_string(zKind);
  char *zk = json_dumps(k, JSON_ENCODE_ANY);
  buf_appendf(pg->out, "%s{\"k\":%s,\"p\":%s}", pg->n ? "," : "", zk,
              zPayload);
  free(zk);
  json_decref(k);
  pg->lastXid = xid;
  pg->last = seq;
  pg->n++;
  return 0;
}

int central_feed(struct central *c, const char *zOffice, const char *zCursor,
                 size_t nMaxBytes, int *pStatus, struct buf *out,
                 struct sws_err *err)
{
  struct central_office o;
  char zNext[SYNC_CURSOR_MAX + 1], zNow[32];
  int64_t epoch = c->epoch, afterXid = 0, after = 0;
  int more = 0, rc;
  *pStatus = 500;
  if ((rc = c->s->ops->office_get(c->s, zOffice, &o, err)) != 0 ||
      !o.active) {
    *pStatus = 403;
    return rc ? rc : sws_err_set(err, SWS_EPERM, "office %s is revoked",
                                 zOffice);
  }
  if (zCursor && *zCursor) {
    rc = sync_cursor_open2(c->key, zCursor, zOffice, &epoch, &afterXid,
                           &after, err);
    if (rc != 0) {
      *pStatus = rc == SYNC_CURSOR_OTHER_OFFICE ? 403 : 400;
      return err->code ? err->code : SWS_EINVAL;
    }
    if (epoch != c->epoch) {
      *pStatus = 410;
      return sws_err_set(err, SWS_ECONFLICT, "the central registry was "
                         "rebuilt (epoch %lld, cursor of epoch %lld); the "
                         "office must be re-seeded",
                         (long long)c->epoch, (long long)epoch);
    }
  }
  if (zCursor && *zCursor) {
    /* a cursor past the end of the office's feed was given out by this
     * registry before it was restored from an older copy: what it fed
     * since is lost here. The office goes on from the feed's end and is
     * asked to compare, which feeds it again what it lacks. */
    int64_t lastXid = 0, last = 0;
    if ((rc = c->s->ops->feed_last(c->s, zOffice, &lastXid, &last, err)) !=
        0)
      return rc;
    if (afterXid > lastXid || (afterXid == lastXid && after > last)) {
      char zAsk[32];
      now_iso(zAsk);
      json_t *item = json_pack("{s:s, s:s, s:s}", "asked_at", zAsk, "by",
                               "central", "why", "the registry was restored "
                               "from an older copy");
      rc = feed(c, zOffice, "reconcile", item, err);
      json_decref(item);
      char zDetail[300];
      snprintf(zDetail, sizeof zDetail, "the office's cursor (%lld, %lld) "
               "is past the end of its feed (%lld, %lld): the registry went "
               "back in time; it reads on from the end and is asked to "
               "compare",
               (long long)afterXid, (long long)after, (long long)lastXid,
               (long long)last);
      if (rc == 0)
        rc = c->s->ops->log(c->s, zOffice, "feed.rewound", zDetail, err);
      if (rc != 0)
        return rc;
      central_log(c, "%s feed: its cursor is past the feed's end (the "
                  "registry was restored from an older copy); reading on "
                  "from the end, the office is asked to compare", zOffice);
      afterXid = lastXid;
      after = last;
    }
  }
  if (nMaxBytes < 1024)
    nMaxBytes = 1024;
  if (nMaxBytes > ((size_t)4 << 20))
    nMaxBytes = (size_t)4 << 20;
  struct page pg = {out, afterXid, after, 0};
  buf_puts(out, "{\"items\":[");
  if ((rc = c->s->ops->feed_read(c->s, zOffice, afterXid, after, nMaxBytes,
                                 add_item, &pg, &more, err)) != 0)
    return rc;
  if ((rc = sync_cursor_make2(c->key, zOffice, c->epoch, pg.lastXid,
                              pg.last, zNext, err)) != 0)
    return rc;
  now_iso(zNow);
  buf_appendf(out, "],\"next\":\"%s\",\"more\":%s,\"time\":\"%s\"}", zNext,
              more ? "true" : "false", zNow);
  if ((rc = buf_check(out, "the feed page", err)) != 0)
    return rc;
  central_log(c, "%s feed: %d item%s%s", zOffice, pg.n, pg.n == 1 ? "" : "s",
              more ? ", more waiting" : "");
  /* remember when the office last read */
  sws_strlcpy(o.zLastPullAt, zNow, sizeof o.zLastPullAt);
  if (c->s->ops->office_put(c->s, &o, err) != 0)
    return err->code;
  *pStatus = 200;
  return SWS_OK;
}

void central_hello(struct central *c, struct buf *out)
{
  char zNow[32];
  json_t *name = json_string(c->zName);
  char *zName = json_dumps(name, JSON_ENCODE_ANY);
  now_iso(zNow);
  buf_appendf(out, "{\"proto\":%d,\"time\":\"%s\",\"unix\":%lld,\"name\":%s,"
              "\"max_batch\":%zu}",
              PROTO_VERSION, zNow, (long long)(sws_now_ms() / 1000), zName,
              (size_t)(1 << 20));
  free(zName);
  json_decref(name);
}

int central_request_office(struct central *c, const char *zOffice,
                           unsigned char pk[SWS_PK_BYTES], struct sws_err *err)
{
  struct central_office o;
  int rc = c->s->ops->office_get(c->s, zOffice, &o, err);
  if (rc != 0)
    return sws_err_set(err, SWS_EPERM, "office '%s' is not enrolled at this "
                       "central registry; ask its administrator to run "
                       "'sws central office add'", zOffice);
  if (!o.active)
    return sws_err_set(err, SWS_EPERM, "office %s is revoked at the central "
                       "registry; its requests are refused", zOffice);
  memcpy(pk, o.pk, SWS_PK_BYTES);
  return SWS_OK;
}

int central_request_nonce(struct central *c, const char *zOffice,
                          const char *zNonce, int64_t ts, struct sws_err *err)
{
  int64_t nowS = sws_now_ms() / 1000;
  /* nonces live as long as the signature window (sync/auth.h) */
  return c->s->ops->nonce_use(c->s, zOffice, zNonce, ts,
                              nowS - 2 * CENTRAL_WINDOW_S, err);
}

/* ---- merges ---- */

struct copy_members {
  struct central *c;
  const char *zOffice;
  struct sws_err *err;
  int rc;
};

static int send_member(const char *zId, const char *zFields,
                       const char *zOwner, void *arg)
{
  struct copy_members *cm = arg;
  json_t *f = json_loads(zFields, 0, NULL);
  json_t *item = json_pack("{s:s, s:s, s:s, s:o}", "entity", "member", "id",
                           zId, "owner", zOwner, "fields", f);
  cm->rc = feed_record(cm->c, cm->zOffice, NULL, item, cm->err);
  json_decref(item);
  return cm->rc != 0;
}

/* Send a household and its members to an office's feed as records. */
static int send_household(struct central *c, const char *zOffice,
                          const char *zId, struct sws_err *err)
{
  char *zFields = NULL, zOwner[CENTRAL_CODE_MAX];
  int rc = c->s->ops->record_get(c->s, "household", zId, &zFields, zOwner,
                                 err);
  if (rc != 0)
    return rc;
  json_t *f = json_loads(zFields, 0, NULL);
  free(zFields);
  json_t *item = json_pack("{s:s, s:s, s:s, s:o}", "entity", "household",
                           "id", zId, "owner", zOwner, "fields", f);
  rc = feed_record(c, zOffice, NULL, item, err);
  json_decref(item);
  if (rc == 0) {
    struct copy_members cm = {c, zOffice, err, 0};
    rc = c->s->ops->record_find(c->s, "member", "household_id", zId,
                                send_member, &cm, err);
    rc = rc ? rc : cm.rc;
  }
  return rc;
}

static int merge_item(struct central *c, const char *zKind,
                      const struct central_household *a,
                      const struct central_household *b, const char *zBy,
                      struct sws_err *err)
{
  json_t *item = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:s}",
                           "survivor", "id", a->zId, "regno", a->zRegno,
                           "office", a->zOffice, "merged", "id", b->zId,
                           "regno", b->zRegno, "office", b->zOffice, "by", zBy);
  char zA[CENTRAL_CODE_MAX], zB[CENTRAL_CODE_MAX];
  office_of(c, a->zOffice, zA);
  office_of(c, b->zOffice, zB);
  int rc = feed_office(c, zA, NULL, zKind, item, err);
  if (rc == 0 && strcmp(zA, zB) != 0)
    rc = feed_office(c, zB, NULL, zKind, item, err);
  json_decref(item);
  return rc;
}

int central_merge(struct central *c, const char *zA, const char *zB,
                  struct sws_err *err)
{
  return central_merge_by(c, zA, zB, c->zActor, "merge", err);
}

int central_merge_by(struct central *c, const char *zA, const char *zB,
                     const char *zActor, const char *zAction,
                     struct sws_err *err)
{
  struct central_household a, b;
  int rc;
  if ((rc = central_household_get(c, zA, &a, err)) != 0 ||
      (rc = central_household_get(c, zB, &b, err)) != 0)
    return rc;
  if (strcmp(a.zId, b.zId) == 0)
    return sws_err_set(err, SWS_EINVAL, "a household cannot be merged into "
                       "itself");
  if (a.zMergedInto[0])
    return sws_err_set(err, SWS_ECONFLICT, "%s is itself merged into another "
                       "household; merge into that one", a.zRegno);
  if (b.zMergedInto[0])
    return sws_err_set(err, SWS_ECONFLICT, "%s is already merged; unmerge it "
                       "first", b.zRegno);
  char zOfA[CENTRAL_CODE_MAX], zOfB[CENTRAL_CODE_MAX];
  office_of(c, a.zOffice, zOfA);
  office_of(c, b.zOffice, zOfB);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  char zDetail[200];
  snprintf(zDetail, sizeof zDetail, "%s (%s) merged into %s (%s)", b.zRegno,
           b.zOffice, a.zRegno, a.zOffice);
  /* the office of the merged household gets the survivor's records first,
   * so the merge item finds them */
  if ((rc = c->s->ops->alias_set(c->s, b.zId, a.zId, 1, zActor, err)) ||
      (rc = c->s->ops->duplicate_set(c->s, a.zId, b.zId, "merged", zActor, NULL,
                                     err)) ||
      (strcmp(zOfA, zOfB) != 0 && (rc = send_household(c, zOfB, a.zId, err))) ||
      (rc = merge_item(c, "merge", &a, &b, zActor, err)) ||
      (rc = c->s->ops->log(c->s, zActor, zAction, zDetail, err)))
    goto fail;
  return c->s->ops->commit(c->s, err);
fail:
  c->s->ops->rollback(c->s);
  return rc;
}

int central_unmerge(struct central *c, const char *zB, struct sws_err *err)
{
  struct central_household a, b;
  int rc;
  if ((rc = central_household_get(c, zB, &b, err)) != 0)
    return rc;
  if (!b.zMergedInto[0])
    return sws_err_set(err, SWS_ECONFLICT, "%s is not merged into another "
                       "household", b.zRegno);
  if ((rc = central_household_get(c, b.zMergedInto, &a, err)) != 0)
    return rc;
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  char zDetail[200];
  snprintf(zDetail, sizeof zDetail, "%s separated from %s", b.zRegno,
           a.zRegno);
  if ((rc = c->s->ops->alias_set(c->s, b.zId, a.zId, 0, c->zActor, err)) ||
      (rc = c->s->ops->duplicate_set(c->s, a.zId, b.zId, "dismissed", c->zActor,
                                     "separated again", err)) ||
      (rc = merge_item(c, "unmerge", &a, &b, c->zActor, err)) ||
      (rc = c->s->ops->log(c->s, c->zActor, "unmerge", zDetail, err)))
    goto fail;
  return c->s->ops->commit(c->s, err);
fail:
  c->s->ops->rollback(c->s);
  return rc;
}

/* ---- pairs decided different families ---- */

/* Both households of a decision, neither merged into the other. */
static int pair_households(struct central *c, const char *zA, const char *zB,
                           struct central_pair *p, struct sws_err *err)
{
  int rc = central_pair_get(c, zA, zB, p, err);
  if (rc != 0)
    return rc;
  const struct central_household *a = &p->s[0].h, *b = &p->s[1].h;
  if (strcmp(a->zId, b->zId) == 0)
    rc = sws_err_set(err, SWS_EINVAL, "%s and %s are one household", zA, zB);
  else if (strcmp(a->zMergedInto, b->zId) == 0 ||
           strcmp(b->zMergedInto, a->zId) == 0)
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "%s and %s are merged; to make them two families "
                     "again, unmerge: 'sws central unmerge %s'",
                     a->zRegno, b->zRegno,
                     a->zMergedInto[0] ? a->zRegno : b->zRegno);
  if (rc != 0)
    central_pair_release(p);
  return rc;
}

int central_dismiss(struct central *c, const char *zA, const char *zB,
                    const char *zReason, struct sws_err *err)
{
  struct central_pair p;
  int rc;
  if (zReason == NULL || zReason[strspn(zReason, " \t")] == '\0')
    return sws_err_set(err, SWS_EINVAL,
                       "say why they are different families (--reason "
                       "TEXT): the offices and later reviewers read it");
  if (strlen(zReason) > 500)
    return sws_err_set(err, SWS_ETOOBIG,
                       "the reason is longer than 500 characters");
  if ((rc = pair_households(c, zA, zB, &p, err)) != 0)
    return rc;
  struct central_household a = p.s[0].h, b = p.s[1].h;
  int bDone = p.bFound && strcmp(p.zStatus, "dismissed") == 0;
  central_pair_release(&p);
  if (bDone)
    return sws_err_set(err, SWS_ECONFLICT,
                       "%s and %s are already decided different families",
                       a.zRegno, b.zRegno);
  char zOfA[CENTRAL_CODE_MAX], zOfB[CENTRAL_CODE_MAX], zDetail[700];
  office_of(c, a.zOffice, zOfA);
  office_of(c, b.zOffice, zOfB);
  snprintf(zDetail, sizeof zDetail,
           "%s (%s) and %s (%s) are different families: %s", a.zRegno,
           a.zOffice, b.zRegno, b.zOffice, zReason);
  json_t *item = json_pack(
      "{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:s, s:s}", "a", "id", a.zId,
      "regno", a.zRegno, "office", a.zOffice, "b", "id", b.zId, "regno",
      b.zRegno, "office", b.zOffice, "reason", zReason, "by", c->zActor);
  if ((rc = c->s->ops->begin(c->s, err)) != 0) {
    json_decref(item);
    return rc;
  }
  if ((rc = c->s->ops->duplicate_set(c->s, a.zId, b.zId, "dismissed", c->zActor,
                                     zReason, err)) ||
      (rc = feed_office(c, zOfA, NULL, "dismiss", item, err)) ||
      (strcmp(zOfA, zOfB) != 0 &&
       (rc = feed_office(c, zOfB, NULL, "dismiss", item, err))) ||
      (rc = c->s->ops->log(c->s, c->zActor, "dismiss", zDetail, err))) {
    c->s->ops->rollback(c->s);
    json_decref(item);
    return rc;
  }
  json_decref(item);
  return c->s->ops->commit(c->s, err);
}

int central_reopen(struct central *c, const char *zA, const char *zB,
                   struct sws_err *err)
{
  struct central_pair p;
  int rc;
  if ((rc = pair_households(c, zA, zB, &p, err)) != 0)
    return rc;
  struct central_household a = p.s[0].h, b = p.s[1].h;
  int bDone = p.bFound && strcmp(p.zStatus, "dismissed") == 0;
  double score = p.score;
  char zReasons[sizeof p.zReasons];
  sws_strlcpy(zReasons, p.zReasons, sizeof zReasons);
  central_pair_release(&p);
  if (!bDone)
    return sws_err_set(err, SWS_ECONFLICT,
                       "%s and %s were not decided different families: "
                       "there is nothing to undo",
                       a.zRegno, b.zRegno);
  char zOfA[CENTRAL_CODE_MAX], zOfB[CENTRAL_CODE_MAX], zDetail[200];
  office_of(c, a.zOffice, zOfA);
  office_of(c, b.zOffice, zOfB);
  snprintf(zDetail, sizeof zDetail,
           "%s (%s) and %s (%s) are a possible duplicate again", a.zRegno,
           a.zOffice, b.zRegno, b.zOffice);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  if ((rc = c->s->ops->duplicate_set(c->s, a.zId, b.zId, "open", c->zActor,
                                     NULL, err)) ||
      (rc = feed_duplicate(c, a.zId, zOfA, b.zId, zOfB, score, zReasons,
                           err)) ||
      (rc = c->s->ops->log(c->s, c->zActor, "reopen", zDetail, err))) {
    c->s->ops->rollback(c->s);
    return rc;
  }
  return c->s->ops->commit(c->s, err);
}

/* ---- conflicts decided at the registry ---- */

int central_conflict_resolve(struct central *c, int64_t id, int bUseOffice,
                             const char *zNote, struct sws_err *err)
{
  struct central_conflict k;
  char *zOv = NULL, *zSv = NULL, *zOldNote = NULL, *zCur = NULL;
  char zOwner[CENTRAL_CODE_MAX], zNow[32];
  json_t *val = NULL, *cur = NULL, *applied = NULL, *item = NULL;
  const char *zResolution = bUseOffice ? "use_office" : "keep_registry";
  int rc;
  if (zNote == NULL || sws_blank(zNote))
    return sws_err_set(err, SWS_EINVAL, "say why with --note: it is kept "
                       "with the decision and sent to the office");
  if ((rc = sws_text_check("the note", zNote, 1000, 1, err)) != 0)
    return rc;
  rc = c->s->ops->conflict_get(c->s, id, &k, &zOv, &zSv, &zOldNote, err);
  if (rc == SWS_ENOTFOUND)
    return sws_err_set(err, SWS_ENOTFOUND, "no conflict #%lld at the "
                       "central registry (see 'sws central conflicts')",
                       (long long)id);
  if (rc != 0)
    return rc;
  if (strcmp(k.zStatus, "open") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "conflict #%lld was already "
                     "resolved (%s, by %s at %s)", (long long)id,
                     k.zResolution[0] ? k.zResolution : k.zStatus,
                     k.zResolvedBy[0] ? k.zResolvedBy : "?",
                     k.zResolvedAt[0] ? k.zResolvedAt : "?");
    goto out;
  }
  if (bUseOffice) {
    val = zOv ? json_loads(zOv, JSON_DECODE_ANY, NULL) : NULL;
    if (val == NULL) {
      rc = sws_err_set(err, SWS_EINVAL, "conflict #%lld holds no value of "
                       "the office to write; use --keep-registry",
                       (long long)id);
      goto out;
    }
    rc = c->s->ops->record_get(c->s, k.zEntity, k.zEntityId, &zCur, zOwner,
                               err);
    if (rc == SWS_ENOTFOUND)
      rc = sws_err_set(err, SWS_ENOTFOUND, "the record of conflict #%lld "
                       "(%s %s) is not at the registry", (long long)id,
                       k.zEntity, k.zEntityId);
    if (rc != 0)
      goto out;
    if ((cur = json_loads(zCur, 0, NULL)) == NULL) {
      rc = sws_err_set(err, SWS_EDB, "a stored record is not JSON");
      goto out;
    }
    json_object_set(cur, k.zField, val);
    applied = json_object();
    json_object_set(applied, k.zField, val);
  }
  now_iso(zNow);
  item = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s}",
                   "conflict", (json_int_t)k.id, "seq", (json_int_t)k.seq,
                   "entity", k.zEntity, "id", k.zEntityId, "field",
                   k.zField, "office_value", zOv, "resolution", zResolution,
                   "by", c->zActor, "at", zNow, "note", zNote);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    goto out;
  /* the office's value goes where any change goes (to every office that
   * holds the record, this one included), then the decision to the office
   * that raised it, after the value */
  if (bUseOffice)
    rc = record_write(c, k.zEntity, k.zEntityId, zOwner, cur, applied, "",
                      k.zOffice, err);
  char zDetail[200];
  snprintf(zDetail, sizeof zDetail, "#%lld %s %s %s.%s: %s", (long long)id,
           k.zOffice, k.zEntity, k.zEntityId, k.zField, zResolution);
  if (rc == 0)
    rc = c->s->ops->conflict_resolve(c->s, id, zResolution, c->zActor,
                                     zNote, err);
  if (rc == 0)
    rc = feed_office(c, k.zOffice, NULL, "conflict_resolved", item, err);
  if (rc == 0)
    rc = c->s->ops->log(c->s, c->zActor, "conflict.resolve", zDetail, err);
  if (rc == 0)
    rc = c->s->ops->commit(c->s, err);
  else
    c->s->ops->rollback(c->s);
out:
  free(zOv);
  free(zSv);
  free(zOldNote);
  free(zCur);
  json_decref(val);
  json_decref(cur);
  json_decref(applied);
  json_decref(item);
  return rc;
}
