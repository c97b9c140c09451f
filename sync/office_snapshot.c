/*
 * office_snapshot.c - a new device of an existing office takes the
 * office's snapshot from the registry (engine.h, sync_snapshot_take;
 * docs/sync-protocol.md, "A new device from a snapshot").
 *
 * It asks the registry once to put what the office holds in this
 * device's feed (POST /v1/snapshot), then reads that feed page by page
 * (GET /v1/snapshot), each page signed by the registry: the signature is
 * checked with the registry's snapshot key the administrator gave, and
 * the page must follow the cursor stored here, before anything of it is
 * applied. A page is applied with its cursor in one transaction (as any
 * feed page), so a cut connection or a killed process resumes at the
 * page after the last one applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/office.h"
#include "core/clock.h"
#include "core/crash.h"
#include "core/mem.h"
#include "sync/engine.h"
#include "sync/proto.h"
#include "sync/snapshot.h"

#define SNAP_REPLY_MAX ((size_t)16 << 20)
/* pages of 1 MiB of JSON (about 150 KB after gzip): on a 2G link a page
 * takes some 9 s and its round trip under one more, and a cut loses at
 * most that one page */
#define SNAP_PAGE_BYTES ((size_t)1 << 20)

/* The registry's snapshot key: given now, or kept from an earlier try
 * (kept once a page verified with it: a mistyped key is not kept). */
static int registry_key(struct sws_ctx *ctx, const char *zGiven,
                        unsigned char pk[SWS_PK_BYTES], char *zKept,
                        struct sws_err *err)
{
  int rc = sync_state_get(ctx, "snapshot.key", zKept, 64, err);
  if (rc != 0)
    return rc;
  const char *z = zGiven ? zGiven : zKept;
  if (z[0] == '\0')
    return sws_err_set(err, SWS_EINVAL,
                       "give the registry's snapshot key "
                       "(--registry-key KEY: 'sws central office add' printed "
                       "it, 'sws central key' prints it)");
  if (strlen(z) != 43 || sws_unb64url(pk, SWS_PK_BYTES, z) != SWS_PK_BYTES)
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is not a registry snapshot key "
                       "(43 characters of base64url, as 'sws central key' "
                       "prints it)",
                       z);
  if (zKept[0] && strcmp(zKept, z) != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "this snapshot was begun with "
                       "another registry key (%s); give that one",
                       zKept);
  if (zKept[0] == '\0')
    sws_strlcpy(zKept, z, 64);
  return SWS_OK;
}

/* Ask the registry to put the office's records in this device's feed
 * (once: asked again, it answers what it did). */
static int begin(struct sws_ctx *ctx, const struct sync_transport *t,
                 const struct sync_opts *o, struct sync_report *rep,
                 const struct office_info *of, struct sws_err *err)
{
  struct buf resp;
  int status = 0;
  json_t *body = json_pack("{s:i, s:s, s:s}", "proto", PROTO_VERSION, "office",
                           of->zCode, "device", of->zDevice);
  char *z = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  buf_init(&resp, SNAP_REPLY_MAX);
  int rc = sync_engine_request(t, o, "POST", "/v1/snapshot", z, strlen(z),
                               &status, &resp, rep, err);
  free(z);
  if (rc == 0 && status == 404)
    rc = sws_err_set(err, SWS_ENET,
                     "the central registry cannot give "
                     "snapshots yet (an older sws); ask its administrator "
                     "to update it");
  else if (rc == 0 && status != 200)
    rc = sync_engine_refused(err, status, &resp,
                             status == 403 ? SWS_EPERM : SWS_ENET,
                             "the snapshot");
  if (rc == 0) {
    json_t *a = json_loadb(resp.z, resp.n, 0, NULL);
    json_t *n = json_object_get(a, "records");
    if (!json_is_integer(n))
      rc = sws_err_set(err, SWS_ENET,
                       "the central registry's answer to "
                       "the snapshot is not one");
    else {
      char zN[24];
      snprintf(zN, sizeof zN, "%lld", (long long)json_integer_value(n));
      rep->snap.nRecords = json_integer_value(n);
      rc = sync_state_set(ctx, "snapshot.records", zN, err);
    }
    json_decref(a);
  }
  buf_release(&resp);
  return rc;
}

/* The registry's areas (an "areas" item, first in a snapshot) are loaded
 * as 'sws area load' loads them, and the item taken out of the page: a
 * record names its village, which must be known when it is applied.
 * Loading them again (a page read again after a crash) changes nothing. */
static int take_areas(struct sws_ctx *ctx, struct proto_page *pg,
                      struct sws_err *err)
{
  int k = 0, rc = 0;
  for (int i = 0; i < pg->n; i++) {
    if (rc == 0 && strcmp(pg->a[i].zKind, "areas") == 0) {
      const char *zCsv =
          json_string_value(json_object_get(pg->a[i].payload, "csv"));
      struct area_load_report ar;
      memset(&ar, 0, sizeof ar);
      if (zCsv == NULL)
        rc = sws_err_set(err, SWS_EINVAL,
                         "the snapshot's areas are not "
                         "readable");
      else if ((rc = cases_area_load_csv(ctx, zCsv, strlen(zCsv), &ar, err)) !=
                   0 &&
               ar.errors.n)
        sws_err_set(err, rc, "the registry's areas cannot be loaded: %.300s",
                    buf_str(&ar.errors));
      buf_release(&ar.errors);
      continue;
    }
    pg->a[k++] = pg->a[i];
  }
  pg->n = k;
  return rc;
}

int sync_snapshot_take(struct sws_ctx *ctx, const struct sync_transport *t,
                       const struct sync_opts *o, struct sync_report *rep,
                       struct sws_err *err)
{
  struct office_info of;
  unsigned char pk[SWS_PK_BYTES];
  char zDone[40] = "";
  int64_t t0 = sws_now_ms();
  int rc;
  if ((rc = cases_office_get(ctx, &of, err)) != 0 ||
      (rc = sync_state_get(ctx, "snapshot.done", zDone, sizeof zDone, err)) !=
          0)
    return rc;
  if (zDone[0]) {
    rep->snap.bDone = rep->snap.bBefore = 1;
    return sync_state_get_int(ctx, "snapshot.records", &rep->snap.nRecords,
                              err);
  }
  char zBegun[24] = "", zKey[64] = "", zKept[64] = "";
  if ((rc = sync_state_get(ctx, "snapshot.key", zKept, sizeof zKept, err)) !=
          0 ||
      (rc = registry_key(ctx, o->zRegistryKey, pk, zKey, err)) != 0 ||
      (rc = sync_state_get(ctx, "snapshot.records", zBegun, sizeof zBegun,
                           err)) != 0)
    return rc;
  if (zBegun[0]) /* begun before: the registry has put it in the feed */
    rep->snap.nRecords = strtoll(zBegun, NULL, 10);
  else if ((rc = begin(ctx, t, o, rep, &of, err)) != 0)
    return rc;
  struct buf resp, path;
  buf_init(&resp, SNAP_REPLY_MAX);
  buf_init(&path, 4096);
  int64_t nApplied = 0;
  sync_state_get_int(ctx, "snapshot.applied", &nApplied, NULL);
  for (;;) {
    char zCursor[512];
    int status = 0;
    const char *zPage;
    size_t nPage;
    struct proto_page pg;
    if ((rc = sync_state_get(ctx, "cursor", zCursor, sizeof zCursor, err)))
      break;
    buf_reset(&path);
    buf_appendf(&path, "/v1/snapshot?max=%zu&cursor=%s",
                o->nPageBytes ? o->nPageBytes : SNAP_PAGE_BYTES, zCursor);
    if ((rc = sync_engine_request(t, o, "GET", buf_str(&path), NULL, 0, &status,
                                  &resp, rep, err)) != 0)
      break;
    if (status != 200) {
      rc = sync_engine_refused(err, status, &resp,
                               status == 403 ? SWS_EPERM : SWS_ENET,
                               "a snapshot page");
      break;
    }
    if ((rc = sync_snapshot_open(pk, resp.z, resp.n, of.zCode, of.zDevice,
                                 zCursor, &zPage, &nPage, err)) != 0) {
      rc = SWS_ECRYPTO;
      break;
    }
    if (zKept[0] == '\0') { /* verified: kept for the next tries */
      if ((rc = sync_state_set(ctx, "snapshot.key", zKey, err)) != 0)
        break;
      sws_strlcpy(zKept, zKey, sizeof zKept);
    }
    if ((rc = proto_page_decode(&pg, zPage, nPage, err)) != 0)
      break;
    sws_crash_point("snapshot.received");
    if ((rc = take_areas(ctx, &pg, err)) != 0) {
      proto_page_release(&pg);
      break;
    }
    int64_t before = rep->c.items;
    rc = sync_page_apply(ctx, &pg, &rep->c, err);
    int more = pg.more;
    proto_page_release(&pg);
    if (rc != 0)
      break;
    sws_crash_point("snapshot.applied");
    rep->snap.nPages++;
    rep->snap.nItems += rep->c.items - before;
    nApplied += rep->c.items - before;
    char zN[24];
    snprintf(zN, sizeof zN, "%lld", (long long)nApplied);
    /* how far, for the progress line of a resumed snapshot (not a
     * position: the cursor, stored with the page, is that) */
    sync_state_set(ctx, "snapshot.applied", zN, NULL);
    if (o->progress)
      o->progress(o->arg, "snapshot", nApplied, rep->snap.nRecords);
    if (!more)
      break;
  }
  buf_release(&resp);
  buf_release(&path);
  rep->snap.ms = sws_now_ms() - t0;
  if (rc == 0) {
    char zNow[40];
    sws_time_format(zNow, sizeof zNow, sws_now_ms());
    rc = sync_state_set(ctx, "snapshot.done", zNow, err);
    rep->snap.bDone = rc == 0;
  }
  return rc;
}
