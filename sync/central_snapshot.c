/*
 * central_snapshot.c - a new device's snapshot at the registry (see
 * central_snapshot.h).
 *
 * The snapshot goes through the device's own feed: the registry appends
 * every record its office holds to that feed in one transaction, and the
 * device reads it page by page with the feed's cursor, each page signed.
 * So paging, resuming after a cut and the position stored with each page
 * are the feed's, and there is no gap between the snapshot and what
 * follows it: a change committed after the snapshot's transaction comes
 * after it in the same feed (the device was enrolled before it asked, so
 * every change to the office's records since is fanned out to it too).
 * docs/decisions.md, "A new device from a snapshot".
 */
#include "sync/central_snapshot.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "sync/fields.h"
#include "sync/proto.h"
#include "sync/snapshot.h"

void central_snapshot_pubkey(struct central *c, char zOut[48])
{
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  sync_snapshot_keypair(c->key, pk, sk);
  sodium_memzero(sk, sizeof sk);
  sws_b64url(zOut, pk, sizeof pk);
}

struct seed {
  struct central *c;
  const char *zDevice, *zEntity;
  struct buf item;
  int64_t n;
  struct sws_err *err;
  int rc;
};

/* One record into the device's feed, as a record item; the fields go as
 * the store gives them (a JSON object), not parsed again. */
static int seed_one(const char *zId, const char *zFields, const char *zOwner,
                    void *arg)
{
  struct seed *s = arg;
  buf_reset(&s->item);
  buf_appendf(&s->item,
              "{\"entity\":\"%s\",\"id\":\"%s\",\"owner\":\"%s\","
              "\"fields\":%s}",
              s->zEntity, zId, zOwner, zFields);
  s->rc = s->c->s->ops->feed_append(s->c->s, s->zDevice, "record",
                                    buf_str(&s->item), s->err);
  s->n++;
  return s->rc != 0;
}

/* The registry's areas as the CSV of 'sws area load', every field
 * quoted. */
static int area_row(void *arg, int nCol, const char *const *azCol)
{
  struct buf *csv = arg;
  for (int i = 0; i < nCol; i++) {
    buf_puts(csv, i ? ",\"" : "\"");
    for (const char *z = azCol[i] ? azCol[i] : ""; *z; z++) {
      if (*z == '"')
        buf_append(csv, "\"", 1); /* a quote is written twice */
      buf_append(csv, z, 1);
    }
    buf_puts(csv, "\"");
  }
  buf_puts(csv, "\n");
  return 0;
}

/* The areas first (a record names its village), as one item. */
static int seed_areas(struct central *c, const char *zDevice, int64_t *pN,
                      struct sws_err *err)
{
  struct buf csv = BUF_INIT;
  csv.max = (size_t)64 << 20;
  buf_puts(&csv, "code,level,name,name_latin,parent_code\n");
  int rc = c->s->ops->read_rows(
      c->s,
      "SELECT code, level, name, name_latin, parent_code FROM area ORDER BY "
      "CASE level WHEN 'province' THEN 1 WHEN 'district' THEN 2 WHEN "
      "'commune' THEN 3 ELSE 4 END, code",
      0, NULL, area_row, &csv, err);
  *pN = 0;
  for (size_t i = 0; rc == 0 && i < csv.n; i++)
    *pN += csv.z[i] == '\n';
  if (rc == 0 && --*pN > 0) {
    json_t *item = json_pack("{s:s%}", "csv", csv.z, csv.n);
    rc = central_feed_item(c, zDevice, "areas", item, err);
    json_decref(item);
  }
  buf_release(&csv);
  return rc;
}

static int take_detail(void *arg, int nCol, const char *const *azCol)
{
  char *z = arg;
  if (nCol > 0 && azCol[0])
    snprintf(z, 300, "%s", azCol[0]);
  return 1;
}

static void answer(struct buf *out, const struct central_office *o,
                   const char *zDetail)
{
  /* the detail starts "N records (H households, M members)" */
  long long n = 0, h = 0, m = 0;
  sscanf(zDetail, "%lld records (%lld households, %lld members", &n, &h, &m);
  buf_appendf(out,
              "{\"office\":\"%s\",\"device\":\"%s\",\"records\":%lld,"
              "\"households\":%lld,\"members\":%lld}",
              o->zOffice, o->zCode, n, h, m);
}

int central_snapshot_begin(struct central *c, const char *zDevice,
                           const char *zBody, size_t nBody, int *pStatus,
                           struct buf *out, struct sws_err *err)
{
  struct central_office o;
  char zDetail[300] = "";
  int rc;
  *pStatus = 400;
  json_t *j = json_loadb(zBody, nBody, JSON_REJECT_DUPLICATES, NULL);
  const char *zOffice = json_string_value(json_object_get(j, "office"));
  const char *zD = json_string_value(json_object_get(j, "device"));
  if (!json_is_object(j) || zOffice == NULL || zD == NULL) {
    json_decref(j);
    return sws_err_set(err, SWS_EINVAL,
                       "a snapshot request needs the "
                       "office and the device: {\"office\":..., "
                       "\"device\":...}");
  }
  if ((rc = c->s->ops->office_get(c->s, zDevice, &o, err)) != 0) {
    json_decref(j);
    *pStatus = 403;
    return rc;
  }
  if (strcmp(zD, zDevice) != 0 || strcmp(zOffice, o.zOffice) != 0) {
    *pStatus = 403;
    rc = strcmp(zD, zDevice) != 0
             ? sws_err_set(err, SWS_EPERM,
                           "this request is signed by "
                           "device %s, not %.16s",
                           zDevice, zD)
             : sws_err_set(err, SWS_EPERM,
                           "device %s belongs to office %s; "
                           "it cannot take office %.16s's snapshot",
                           zDevice, o.zOffice, zOffice);
    json_decref(j);
    return rc;
  }
  json_decref(j);
  if ((rc = c->s->ops->begin(c->s, err)) != 0) {
    *pStatus = 500;
    return rc;
  }
  /* one at a time per device, and once: asked again (its answer was
   * lost), it answers what it did */
  const char *v[1] = {zDevice};
  if ((rc = c->s->ops->office_lock(c->s, zDevice, &o, err)) != 0 ||
      (rc = c->s->ops->read_rows(c->s,
                                 "SELECT detail FROM central_log WHERE actor "
                                 "= $1 AND action = 'snapshot'",
                                 1, v, take_detail, zDetail, err)) != 0)
    goto fail;
  if (zDetail[0] == '\0') {
    struct seed s = {c, zDevice, NULL, BUF_INIT, 0, err, 0};
    int64_t nH = 0, nM = 0, nAll = 0, nAreas = 0;
    rc = seed_areas(c, zDevice, &nAreas, err);
    for (int e = 0; fields_entities[e] && rc == 0; e++) {
      s.zEntity = fields_entities[e];
      s.n = 0;
      rc = c->s->ops->office_records(c->s, o.zOffice, s.zEntity, seed_one, &s,
                                     err);
      rc = rc ? rc : s.rc;
      nAll += s.n;
      if (strcmp(s.zEntity, "household") == 0)
        nH = s.n;
      else if (strcmp(s.zEntity, "member") == 0)
        nM = s.n;
    }
    buf_release(&s.item);
    if (rc != 0)
      goto fail;
    snprintf(zDetail, sizeof zDetail,
             "%" PRId64 " records (%" PRId64 " households, %" PRId64
             " members) of office %s and %" PRId64 " areas put in the feed "
             "of its new device %s",
             nAll, nH, nM, o.zOffice, nAreas, zDevice);
    if ((rc = c->s->ops->log(c->s, zDevice, "snapshot", zDetail, err)) != 0)
      goto fail;
    central_log(c, "%s snapshot: %s", zDevice, zDetail);
  } else {
    central_log(c, "%s snapshot asked again: %s", zDevice, zDetail);
  }
  if ((rc = c->s->ops->commit(c->s, err)) != 0) {
    *pStatus = 500;
    return rc;
  }
  answer(out, &o, zDetail);
  *pStatus = 200;
  return SWS_OK;
fail:
  c->s->ops->rollback(c->s);
  *pStatus = 500;
  return rc;
}

int central_snapshot_page(struct central *c, const char *zDevice,
                          const char *zCursor, size_t nMaxBytes, int *pStatus,
                          struct buf *out, struct sws_err *err)
{
  struct central_office o;
  struct buf page;
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  int rc;
  buf_init(&page, out->max);
  rc = central_feed(c, zDevice, zCursor ? zCursor : "", nMaxBytes, pStatus,
                    &page, err);
  if (rc == 0 && (rc = c->s->ops->office_get(c->s, zDevice, &o, err)) != 0)
    *pStatus = 500;
  if (rc == 0) {
    sync_snapshot_keypair(c->key, pk, sk);
    sync_snapshot_wrap(out, sk, o.zOffice, zDevice, zCursor ? zCursor : "",
                       page.z ? page.z : "", page.n);
    sodium_memzero(sk, sizeof sk);
    rc = buf_check(out, "the snapshot page", err);
  }
  buf_release(&page);
  return rc;
}
