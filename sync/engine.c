/*
 * engine.c - one sync session (see engine.h).
 */
#include "sync/engine.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/crash.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "sync/http_client.h"
#include "sync/office_audit.h"
#include "sync/office_merge.h"
#include "sync/office_summary.h"
#include "sync/reconcile.h"

#define HELLO_MAX ((size_t)64 << 10)
#define REPLY_MAX ((size_t)16 << 20)

/* What the officer reads when the registry says this database went back in
 * time (docs/operations.md, "A device that went back in time"). */
#define DIVERGED_MSG                                                         \
  "this database went back in time (restored or copied): the registry "     \
  "holds other changes from seq %lld on; nothing is lost, they stay in "    \
  "the outbox. Run 'sws office new-device CODE' and have the registry "     \
  "enrol it"

/* Push batch sizes (JSON before gzip): the first batch of a session, and
 * how far they go (the registry takes 1 MiB). A batch answered within
 * BATCH_FAST_MS lets the next be twice as large; one slower than
 * BATCH_SLOW_MS, or lost, halves it. On a 2G link (an 800 ms round trip
 * and 16 KB/s) a batch never answers fast enough to grow. */
#define BATCH_START ((size_t)64 << 10)
#define BATCH_MIN ((size_t)16 << 10)
#define BATCH_MAX ((size_t)1 << 20)
#define BATCH_FAST_MS 1000
#define BATCH_SLOW_MS 5000

static void real_sleep(void *arg, int ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  (void)arg;
  nanosleep(&ts, NULL);
}

static int backoff_ms(int attempt, int retryAfter)
{
  return (int)sync_backoff_delay_ms(attempt, retryAfter, NULL);
}

/*
 * 1 if the registry refused the request as a replayed nonce. That happens
 * without any replay on our part: when a reused connection dies before
 * the answer starts, libcurl sends the same request (same headers, so the
 * same nonce) again on a new connection, and the first copy may have
 * reached the registry. Signing again with a new nonce is the cure.
 */
static int nonce_replayed(int status, const struct buf *resp)
{
  if (status != 401)
    return 0;
  json_t *j = json_loadb(resp->z, resp->n, 0, NULL);
  const char *z = json_string_value(json_object_get(j, "error"));
  int bReplay = z && strcmp(z, "replay") == 0;
  json_decref(j);
  return bReplay;
}

/*
 * A request with retries for failures that may pass (network errors, 5xx,
 * 429, 503, a nonce libcurl resent). Other statuses are returned to the
 * caller.
 */
static int request(const struct sync_transport *t, const struct sync_opts *o,
                   const char *zMethod, const char *zPath, const char *zBody,
                   size_t nBody, int *pStatus, struct buf *resp,
                   struct sync_report *rep, struct sws_err *err)
{
  int attempts = o->nAttempts > 0 ? o->nAttempts : 6;
  int rc = 0;
  for (int i = 0; i < attempts; i++) {
    int retryAfter = -1;
    buf_reset(resp);
    rc = t->request(t->arg, zMethod, zPath, zBody, nBody, pStatus, resp,
                    &retryAfter, err);
    rep->bytesUp += (int64_t)nBody;
    rep->bytesDown += (int64_t)resp->n;
    if (rc == 0 && *pStatus < 500 && *pStatus != 429 &&
        !nonce_replayed(*pStatus, resp))
      return SWS_OK;
    if (rc == 0 && *pStatus == 401)
      rc = sws_err_set(err, SWS_ENET, "the connection was cut and the "
                       "request resent; nothing is lost: sync again");
    else if (rc == 0)
      rc = sws_err_set(err, SWS_ENET, "the central registry answered %d "
                       "(busy or failing); try again later",
                       *pStatus);
    if (i + 1 < attempts) {
      if (o->sleep_ms)
        o->sleep_ms(o->arg, backoff_ms(i, retryAfter));
      else
        real_sleep(NULL, backoff_ms(i, retryAfter));
    }
  }
  return rc;
}

/* The registry refused a request (status, its answer in resp): err says
 * what it refused and why, in the registry's words. */
static int refused(struct sws_err *err, int status, const struct buf *resp,
                   int code, const char *zWhat)
{
  json_t *j = json_loadb(resp->z, resp->n, 0, NULL);
  const char *zWhy = json_string_value(json_object_get(j, "message"));
  int rc = sws_err_set(err, code, "the central registry refused %s (%d): %s",
                       zWhat, status, zWhy ? zWhy : "no reason given");
  json_decref(j);
  return rc;
}

static int hello(struct sws_ctx *ctx, const struct sync_transport *t,
                 const struct sync_opts *o, struct sync_report *rep,
                 struct sws_err *err)
{
  struct buf resp;
  int status, rc;
  buf_init(&resp, HELLO_MAX);
  if ((rc = request(t, o, "GET", "/v1/hello", NULL, 0, &status, &resp, rep,
                    err)) != 0)
    goto out;
  if (status != 200) {
    rc = sws_err_set(err, SWS_ENET, "the central registry refused the "
                     "greeting (%d); is the address right?", status);
    goto out;
  }
  json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
  json_t *jUnix = json_object_get(j, "unix");
  json_t *jProto = json_object_get(j, "proto");
  if (!json_is_integer(jUnix) || !json_is_integer(jProto)) {
    json_decref(j);
    rc = sws_err_set(err, SWS_ENET, "the answer to the greeting is not an "
                     "sws central registry's");
    goto out;
  }
  if (json_integer_value(jProto) != PROTO_VERSION) {
    rc = sws_err_set(err, SWS_ENET, "the central registry speaks sync "
                     "protocol %lld, this office %d; update sws",
                     (long long)json_integer_value(jProto), PROTO_VERSION);
    json_decref(j);
    goto out;
  }
  int64_t server = json_integer_value(jUnix);
  json_decref(j);
  rep->skew = sws_now_ms() / 1000 - server;
  if (t->set_clock_offset)
    t->set_clock_offset(t->arg, -rep->skew);
  char z[32];
  snprintf(z, sizeof z, "%" PRId64, rep->skew);
  rc = sync_state_set(ctx, "clock_skew_s", z, err);
out:
  buf_release(&resp);
  return rc;
}

/*
 * One push request on a thread of its own: while the registry applies a
 * batch (most of a push's time on a fast link), this office freezes the
 * next one instead of waiting. Only the request runs there: the
 * transport's own state (its connection, its key) is used by one thread
 * at a time, and the office database only by the session's.
 */
struct flight {
  const struct sync_transport *t;
  const struct sync_opts *o;
  const struct sync_batch *b;
  struct buf *resp;
  struct sync_report rep; /* its bytes, added to the session's after */
  struct sws_err err;
  int rc, status;
  int64_t ms;
};

int sync_engine_request(const struct sync_transport *t,
                        const struct sync_opts *o, const char *zMethod,
                        const char *zPath, const char *zBody, size_t nBody,
                        int *pStatus, struct buf *resp, struct sync_report *rep,
                        struct sws_err *err)
{
  return request(t, o, zMethod, zPath, zBody, nBody, pStatus, resp, rep, err);
}

int sync_engine_refused(struct sws_err *err, int status, const struct buf *resp,
                        int code, const char *zWhat)
{
  return refused(err, status, resp, code, zWhat);
}

static void *fly(void *arg)
{
  struct flight *f = arg;
  int64_t t0 = sws_mono_ms();
  f->rc = request(f->t, f->o, "POST", "/v1/push", f->b->zBody, f->b->nBody,
                  &f->status, f->resp, &f->rep, &f->err);
  f->ms = sws_mono_ms() - t0;
  return NULL;
}

static int push(struct sws_ctx *ctx, const struct sync_transport *t,
                const struct sync_opts *o, struct sync_report *rep,
                struct sws_err *err)
{
  struct buf resp;
  struct sync_batch b, nx;
  int64_t total = 0, done = 0;
  int have = 0, haveNx = 0;
  int rc = sync_pending(ctx, &total, err);
  if (rc != 0)
    return rc;
  buf_init(&resp, REPLY_MAX);
  /* batches grow on a link that answers fast and shrink on one that does
   * not (a cut costs the batch in flight); a size given in the options
   * stays as it is */
  size_t nBatch = o->nBatchBytes ? o->nBatchBytes : BATCH_START;
  memset(&b, 0, sizeof b);
  if ((rc = sync_batch_next(ctx, nBatch, &b, &have, err)) != 0 || !have)
    goto out;
  for (int guard = 0; guard < 1000000 && have; guard++) {
    int status = 0;
    sws_crash_point("push.frozen");
    struct flight f;
    pthread_t th;
    memset(&f, 0, sizeof f);
    f.t = t;
    f.o = o;
    f.b = &b;
    f.resp = &resp;
    f.err = (struct sws_err)SWS_ERR_INIT;
    int bThread = pthread_create(&th, NULL, fly, &f) == 0;
    if (!bThread)
      fly(&f); /* no thread to be had: one after the other */
    /* meanwhile the batch after it (a failure here waits for the answer) */
    struct sws_err eNx = SWS_ERR_INIT;
    haveNx = 0;
    int rcNx = sync_batch_next_after(ctx, nBatch, b.last, &nx, &haveNx,
                                     &eNx);
    if (bThread)
      pthread_join(th, NULL);
    rep->bytesUp += f.rep.bytesUp;
    rep->bytesDown += f.rep.bytesDown;
    rc = f.rc;
    status = f.status;
    if (rc != 0)
      *err = f.err;
    if (!o->nBatchBytes) {
      if (rc == 0 && status == 200 && f.ms < BATCH_FAST_MS &&
          nBatch < BATCH_MAX)
        nBatch *= 2;
      else if ((rc != 0 || f.ms > BATCH_SLOW_MS) && nBatch > BATCH_MIN)
        nBatch /= 2;
    }
    if (rc == 0)
      sws_crash_point("push.answered");
    if (rc != 0) {
      struct sws_err e2 = SWS_ERR_INIT;
      sync_batch_failed(ctx, &b, err->msg, &e2);
    } else if (status == 200) {
      struct proto_push_reply r;
      if ((rc = proto_reply_decode(&r, resp.z, resp.n, err)) == 0) {
        rc = sync_batch_done(ctx, &b, &r, &rep->c, err);
        proto_reply_release(&r);
      }
      sws_crash_point("push.recorded");
      rep->batches++;
      done += b.last - b.first + 1;
      if (o->progress)
        o->progress(o->arg, "push", done, total);
      if (rc == 0 && rcNx != 0) {
        rc = rcNx;
        *err = eNx;
      }
    } else if (status == 409) {
      json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
      json_t *e = json_object_get(j, "expected");
      json_t *d = json_object_get(j, "diverged");
      if (json_is_integer(d)) {
        /* this database went back in time: the registry holds other
         * changes under our numbers; nothing more can be sent as this
         * device, and nothing is lost */
        int64_t seq = json_integer_value(d);
        rc = sync_batch_diverged(ctx, &b, seq, err);
        if (rc == 0)
          rc = sws_err_set(err, SWS_ECONFLICT, DIVERGED_MSG,
                           (long long)seq);
      } else if (json_is_integer(e)) {
        /* every frozen batch is dropped: the next is frozen again from
         * where the registry expects */
        rc = sync_batch_gap(ctx, &b, json_integer_value(e), err);
        if (haveNx)
          sync_batch_release(&nx);
        haveNx = 0;
        if (rc == 0)
          rc = sync_batch_next(ctx, nBatch, &nx, &haveNx, err);
        rcNx = 0;
      } else {
        rc = sws_err_set(err, SWS_ENET, "the central registry reported a "
                         "gap without saying where to resume");
      }
      json_decref(j);
    } else {
      rc = refused(err, status, &resp, status == 403 ? SWS_EPERM : SWS_ENET,
                   "the batch");
      struct sws_err e2 = SWS_ERR_INIT;
      sync_batch_failed(ctx, &b, err->msg, &e2);
    }
    sync_batch_release(&b);
    have = 0;
    if (rc != 0)
      break;
    b = nx; /* the next, frozen meanwhile (a frozen one stays if we stop) */
    have = haveNx;
    haveNx = 0;
  }
out:
  if (have)
    sync_batch_release(&b);
  if (haveNx)
    sync_batch_release(&nx);
  buf_release(&resp);
  return rc;
}

static int pull(struct sws_ctx *ctx, const struct sync_transport *t,
                const struct sync_opts *o, struct sync_report *rep,
                struct sws_err *err)
{
  struct buf resp, path;
  int rc = 0;
  buf_init(&resp, REPLY_MAX);
  buf_init(&path, 4096);
  for (int guard = 0; guard < 1000000; guard++) {
    char zCursor[512];
    int status = 0;
    struct proto_page pg;
    if ((rc = sync_state_get(ctx, "cursor", zCursor, sizeof zCursor, err)))
      break;
    buf_reset(&path);
    /* the cursor is base64url and a dot: safe in a query as it is */
    buf_appendf(&path, "/v1/feed?max=%zu&cursor=%s",
                o->nPageBytes ? o->nPageBytes : (size_t)262144, zCursor);
    if ((rc = request(t, o, "GET", buf_str(&path), NULL, 0, &status, &resp,
                      rep, err)) != 0)
      break;
    if (status == 410) {
      rc = sws_err_set(err, SWS_ECONFLICT, "the central registry was "
                       "rebuilt and this office must be seeded again from "
                       "it; ask its administrator");
      break;
    }
    if (status != 200) {
      rc = refused(err, status, &resp, status == 403 ? SWS_EPERM : SWS_ENET,
                   "the feed");
      break;
    }
    if ((rc = proto_page_decode(&pg, resp.z, resp.n, err)) != 0)
      break;
    sws_crash_point("pull.received");
    rc = sync_page_apply(ctx, &pg, &rep->c, err);
    int more = pg.more;
    proto_page_release(&pg);
    if (rc != 0)
      break;
    sws_crash_point("pull.applied");
    rep->pages++;
    if (o->progress)
      o->progress(o->arg, "pull", rep->c.items, 0);
    if (!more)
      break;
  }
  buf_release(&resp);
  buf_release(&path);
  return rc;
}

static int log_start(struct sws_ctx *ctx, int64_t *pId, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_op_begin(ctx, "sync.start", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO sync_log(started_at) VALUES (sws_now()) "
                       "RETURNING id",
                       err)) == 0) {
    rc = db_step(ctx->db, q, err);
    if (rc == DB_ROW)
      *pId = db_col_int64(q, 0);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc, "sync", "", "session started", err);
}

static void log_end(struct sws_ctx *ctx, int64_t id,
                    const struct sync_report *rep, int rc,
                    const struct sws_err *e)
{
  struct sws_err err = SWS_ERR_INIT;
  sqlite3_stmt *q;
  int rc2;
  if (cases_op_begin(ctx, "sync.end", &err) != 0)
    return;
  if ((rc2 = db_prepare(ctx->db, &q,
                        "UPDATE sync_log SET ended_at = sws_now(), outcome = "
                        ":o, pushed = :pu, pulled = :pl, bytes_up = :bu, "
                        "bytes_down = :bd, message = :m WHERE id = :id",
                        &err)) == 0) {
    db_bind_text(q, ":o", rc == 0 ? "ok" : "failed");
    db_bind_int64(q, ":pu", rep->c.acked);
    db_bind_int64(q, ":pl", rep->c.items);
    db_bind_int64(q, ":bu", rep->bytesUp);
    db_bind_int64(q, ":bd", rep->bytesDown);
    db_bind_text(q, ":m", rc == 0 ? "" : e->msg);
    db_bind_int64(q, ":id", id);
    rc2 = db_step(ctx->db, q, &err);
    rc2 = rc2 < 0 ? rc2 : 0;
    db_done(ctx->db, q);
  }
  cases_op_end(ctx, rc2, "sync", "",
               rc == 0 ? "session ended" : "session failed", &err);
}

/*
 * The office's signed indicator summaries of the months closed lately
 * (sync/office_summary.h), each sent once: the registry compares them
 * with what it counts (sws central report --check). A registry that does
 * not take them yet (404) is left alone.
 */
static int summaries(struct sws_ctx *ctx, const struct sync_transport *t,
                     const struct sync_opts *o, struct sync_report *rep,
                     struct sws_err *err)
{
  char aPeriod[SUMMARY_MONTHS][8];
  int n = 0, rc = sync_summaries_due(ctx, aPeriod, &n, err);
  struct buf resp;
  buf_init(&resp, REPLY_MAX);
  for (int i = 0; rc == 0 && i < n; i++) {
    char *zJson = NULL;
    int status = 0;
    if ((rc = sync_summary_make(ctx, aPeriod[i], &zJson, err)) != 0)
      break;
    rc = request(t, o, "POST", "/v1/summary", zJson, strlen(zJson), &status,
                 &resp, rep, err);
    free(zJson);
    if (rc != 0)
      break;
    if (status == 404)
      break; /* an older registry */
    if (status != 200) {
      char zWhat[32];
      snprintf(zWhat, sizeof zWhat, "the summary of %s", aPeriod[i]);
      rc = refused(err, status, &resp, SWS_ENET, zWhat);
      break;
    }
    rc = sync_summary_sent(ctx, aPeriod[i], err);
    rep->summaries++;
  }
  buf_release(&resp);
  return rc;
}

/* ---- reconciling ---- */

/* One step of a comparison: body sent, the answer decoded into *pAns. */
static int reconcile_post(const struct sync_transport *t,
                          const struct sync_opts *o, struct sync_report *rep,
                          json_t *body, json_t **pAns, struct sws_err *err)
{
  struct buf resp;
  int status = 0;
  char *z = json_dumps(body, JSON_COMPACT);
  buf_init(&resp, REPLY_MAX);
  *pAns = NULL;
  int rc = request(t, o, "POST", "/v1/reconcile", z, strlen(z), &status,
                   &resp, rep, err);
  free(z);
  if (rc == 0 && status == 404) {
    rc = sws_err_set(err, SWS_ENET, "the central registry cannot compare "
                     "records yet (an older sws); ask its administrator to "
                     "update it");
  } else if (rc == 0 && status != 200) {
    rc = refused(err, status, &resp, status == 403 ? SWS_EPERM : SWS_ENET,
                 "the comparison");
  } else if (rc == 0 &&
             /* json_is_object reads its argument twice: load first */
             (*pAns = json_loadb(resp.z, resp.n, 0, NULL),
              !json_is_object(*pAns))) {
    json_decref(*pAns);
    *pAns = NULL;
    rc = sws_err_set(err, SWS_ENET, "the central registry's answer to a "
                     "comparison is not JSON");
  }
  buf_release(&resp);
  return rc;
}

/* Ask the registry to move a household here (o->zMoveRegno or
 * o->zMoveNationalId); its records come with the pull that follows. */
static int move_here(const struct sync_transport *t, const struct sync_opts *o,
                     struct sync_report *rep, struct sws_err *err)
{
  struct buf resp;
  int status = 0;
  json_t *b = o->zMoveRegno
                  ? json_pack("{s:s}", "regno", o->zMoveRegno)
                  : json_pack("{s:s}", "national_id", o->zMoveNationalId);
  char *z = b ? json_dumps(b, JSON_COMPACT) : NULL;
  json_decref(b);
  if (z == NULL)
    return sws_err_set(err, SWS_EINVAL,
                       "the number or ID given is not "
                       "text sws can send");
  buf_init(&resp, REPLY_MAX);
  int rc =
      request(t, o, "POST", "/v1/move", z, strlen(z), &status, &resp, rep, err);
  free(z);
  json_t *j = NULL;
  if (rc == 0 && status != 200)
    rc = refused(err, status, &resp,
                 status == 404   ? SWS_ENOTFOUND
                 : status == 409 ? SWS_ECONFLICT
                 : status == 403 ? SWS_EPERM
                                 : SWS_ENET,
                 "the move");
  else if (rc == 0) {
    j = json_loadb(resp.z, resp.n, 0, NULL);
    const char *zRegno = json_string_value(json_object_get(j, "regno"));
    const char *zFrom = json_string_value(json_object_get(j, "from"));
    json_t *jn = json_object_get(j, "records");
    if (!zRegno || !zFrom || !json_is_integer(jn))
      rc = sws_err_set(err, SWS_ENET,
                       "the central registry's answer to a "
                       "move is not as expected");
    else {
      sws_strlcpy(rep->zMovedRegno, zRegno, sizeof rep->zMovedRegno);
      sws_strlcpy(rep->zMovedFrom, zFrom, sizeof rep->zMovedFrom);
      rep->nMovedRecords = (int)json_integer_value(jn);
    }
  }
  json_decref(j);
  buf_release(&resp);
  return rc;
}

static json_t *reconcile_body(const char *zDevice, const char *zStep)
{
  return json_pack("{s:i, s:s, s:s}", "proto", PROTO_VERSION, "device",
                   zDevice, "step", zStep);
}

static void note_repair(struct sync_reconcile_report *r, const char *zWhat,
                        json_t *pair, const char *zDetail)
{
  json_array_append_new(
      r->repairs,
      json_pack("{s:s, s:s?, s:s?, s:s}", "what", zWhat, "e",
                json_string_value(json_array_get(pair, 0)), "i",
                json_string_value(json_array_get(pair, 1)), "detail",
                zDetail));
}

/* Step "records" for the buckets f marks: the registry answers which
 * records it lacks (into send), which differ (into differ), and which it
 * fed to this device again. */
static int reconcile_records(struct sws_ctx *ctx,
                             const struct sync_transport *t,
                             const struct sync_opts *o,
                             struct sync_report *rep, const char *zDevice,
                             const unsigned char *f, json_t *send,
                             json_t *differ, struct sws_err *err)
{
  struct sync_reconcile_report *r = &rep->rec;
  json_t *records = json_array(), *buckets = json_array(), *ans = NULL, *v;
  size_t i;
  int rc = sync_office_digests(ctx, NULL, f, records, err);
  for (int b = 0; b < RECONCILE_BUCKETS; b++)
    if (f[b])
      json_array_append_new(buckets, json_integer(b));
  if (rc == 0) {
    json_t *body = reconcile_body(zDevice, "records");
    json_object_set(body, "buckets", buckets);
    json_object_set(body, "records", records);
    rc = reconcile_post(t, o, rep, body, &ans, err);
    json_decref(body);
  }
  if (rc == 0) {
    json_array_extend(send, json_object_get(ans, "send"));
    json_array_extend(differ, json_object_get(ans, "differ"));
    json_array_foreach(json_object_get(ans, "fed"), i, v)
    {
      r->nFed++;
      note_repair(r, "fed", v, "this office did not have it; the registry "
                  "sent it again");
    }
  }
  json_decref(ans);
  json_decref(records);
  json_decref(buckets);
  return rc;
}

/* Step "values": the records that differ, with this office's values; the
 * registry makes each differing field a conflict for review. */
static int reconcile_values(struct sws_ctx *ctx,
                            const struct sync_transport *t,
                            const struct sync_opts *o,
                            struct sync_report *rep, const char *zDevice,
                            json_t *differ, struct sws_err *err)
{
  struct sync_reconcile_report *r = &rep->rec;
  size_t n = json_array_size(differ);
  int rc = SWS_OK;
  for (size_t at = 0; at < n && rc == 0; at += RECONCILE_MAX_VALUES) {
    json_t *values = json_array(), *ans = NULL, *v;
    size_t i;
    for (i = at; i < n && i < at + RECONCILE_MAX_VALUES && rc == 0; i++) {
      json_t *p = json_array_get(differ, i), *fields = NULL;
      const char *zE = json_string_value(json_array_get(p, 0));
      const char *zI = json_string_value(json_array_get(p, 1));
      if (zE == NULL || zI == NULL)
        continue;
      rc = sync_record_fields(ctx, zE, zI, &fields, err);
      if (rc == 0)
        json_array_append_new(values, json_pack("{s:s, s:s, s:o}", "e", zE,
                                                "i", zI, "f", fields));
    }
    if (rc == 0 && json_array_size(values) > 0) {
      json_t *body = reconcile_body(zDevice, "values");
      json_object_set(body, "values", values);
      rc = reconcile_post(t, o, rep, body, &ans, err);
      json_decref(body);
    }
    json_array_foreach(json_object_get(ans, "conflicts"), i, v)
    {
      char zDetail[400];
      json_t *p = json_pack("[O, O]", json_object_get(v, "e"),
                            json_object_get(v, "i"));
      snprintf(zDetail, sizeof zDetail, "field %s: here %.120s, at the "
               "registry %.120s; the registry's value stands until someone "
               "decides (sws sync status)",
               json_string_value(json_object_get(v, "field")),
               json_string_value(json_object_get(v, "office_value")),
               json_string_value(json_object_get(v, "server_value")));
      r->nConflicts++;
      note_repair(r, "conflict", p, zDetail);
      json_decref(p);
    }
    json_array_foreach(json_object_get(ans, "refused"), i, v)
    {
      json_t *p = json_pack("[O, O]", json_object_get(v, "e"),
                            json_object_get(v, "i"));
      r->nRefused++;
      note_repair(r, "refused", p,
                  json_string_value(json_object_get(v, "why")));
      json_decref(p);
    }
    json_decref(ans);
    json_decref(values);
  }
  return rc;
}

/*
 * Compare what this office holds with what the registry holds for it:
 * bucket digests, then record digests inside the buckets that differ,
 * then the values of the records that differ. What the registry lacks is
 * put in the outbox again (sent by the push after this), what this office
 * lacks the registry feeds again, and differing values come back as
 * conflicts (read by the pull after this).
 */
static int reconcile(struct sws_ctx *ctx, const struct sync_transport *t,
                     const struct sync_opts *o, struct sync_report *rep,
                     int *pBehind, struct sws_err *err)
{
  struct sync_reconcile_report *r = &rep->rec;
  struct office_info office;
  struct reconcile_set *set = NULL;
  json_t *ans = NULL, *send = json_array(), *differ = json_array();
  int64_t pending = 0;
  int rc;
  r->repairs = r->repairs ? r->repairs : json_array();
  if ((rc = cases_office_get(ctx, &office, err)) != 0 ||
      (rc = sync_pending(ctx, &pending, err)) != 0)
    goto out;
  if (pending > 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "%lld change%s still to be sent; "
                     "records are compared once everything is sent: sync "
                     "again", (long long)pending, pending == 1 ? " is" : "s "
                     "are");
    goto out;
  }
  if (o->progress)
    o->progress(o->arg, "compare", 0, 3);
  set = sws_calloc(1, sizeof *set);
  if ((rc = sync_office_digests(ctx, set, NULL, NULL, err)) != 0)
    goto out;
  r->nRecords = set->nRecords;
  json_t *body = reconcile_body(office.zDevice, "buckets");
  json_object_set_new(body, "buckets", reconcile_set_json(set));
  rc = reconcile_post(t, o, rep, body, &ans, err);
  json_decref(body);
  if (rc != 0)
    goto out;
  *pBehind = 0;
  json_t *jAck = json_object_get(ans, "ack");
  int64_t acked = 0;
  if ((rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    goto out;
  if (json_is_integer(jAck) && json_integer_value(jAck) >= 0 &&
      json_integer_value(jAck) < acked) {
    /* the registry has forgotten changes it acknowledged (restored from
     * an older copy): they go again from its watermark, through the push,
     * and the comparison comes after */
    struct sync_batch b;
    char zDetail[160];
    memset(&b, 0, sizeof b);
    sws_strlcpy(b.zBatch, "reconcile", sizeof b.zBatch);
    int64_t from = json_integer_value(jAck) + 1;
    if ((rc = sync_batch_gap(ctx, &b, from, err)) != 0)
      goto out;
    snprintf(zDetail, sizeof zDetail, "the registry had forgotten changes "
             "%lld..%lld of this office (restored from an older copy): "
             "sent again", (long long)from, (long long)acked);
    json_array_append_new(r->repairs,
                          json_pack("{s:s, s:s, s:s, s:s}", "what", "resent",
                                    "e", "outbox", "i", "", "detail",
                                    zDetail));
    r->nResent += acked - from + 1;
    *pBehind = 1;
    goto out;
  }
  r->nRegistry = json_integer_value(json_object_get(ans, "records"));
  json_t *d = json_object_get(ans, "differ");
  r->nBuckets = (int)json_array_size(d);
  if (o->progress)
    o->progress(o->arg, "compare", 1, 3);
  /* the records of the buckets that differ, as many buckets a request as
   * stay under the registry's limit */
  unsigned char f[RECONCILE_BUCKETS];
  int64_t nIn = 0;
  size_t i;
  json_t *v;
  memset(f, 0, sizeof f);
  json_array_foreach(d, i, v)
  {
    json_int_t b = json_integer_value(v);
    if (b < 0 || b >= RECONCILE_BUCKETS)
      continue;
    if (nIn > 0 && nIn + set->n[b] > RECONCILE_MAX_RECORDS) {
      if ((rc = reconcile_records(ctx, t, o, rep, office.zDevice, f, send,
                                  differ, err)) != 0)
        goto out;
      memset(f, 0, sizeof f);
      nIn = 0;
    }
    f[b] = 1;
    nIn += set->n[b];
  }
  if (nIn > 0 || r->nBuckets > 0)
    rc = reconcile_records(ctx, t, o, rep, office.zDevice, f, send, differ,
                           err);
  if (rc == 0 && o->progress)
    o->progress(o->arg, "compare", 2, 3);
  if (rc == 0)
    rc = reconcile_values(ctx, t, o, rep, office.zDevice, differ, err);
  if (rc == 0) {
    char zSummary[300];
    snprintf(zSummary, sizeof zSummary, "compared %lld records with the "
             "registry's %lld: %d of %d buckets differed; %zu missing "
             "there, %lld fed again, %lld conflicts, %lld refused",
             (long long)r->nRecords, (long long)r->nRegistry, r->nBuckets,
             RECONCILE_BUCKETS, json_array_size(send), (long long)r->nFed,
             (long long)r->nConflicts, (long long)r->nRefused);
    rc = sync_reconcile_resend(ctx, send, zSummary, r->repairs, &r->nSent,
                               &r->nSkipped, err);
  }
  if (rc == 0) {
    r->bDone = 1;
    if (o->progress)
      o->progress(o->arg, "compare", 3, 3);
  }
out:
  free(set);
  json_decref(ans);
  json_decref(send);
  json_decref(differ);
  return rc;
}

void sync_report_release(struct sync_report *rep)
{
  json_decref(rep->rec.repairs);
  rep->rec.repairs = NULL;
}

int sync_run(struct sws_ctx *ctx, const struct sync_transport *t,
             const struct sync_opts *o, struct sync_report *rep,
             struct sws_err *err)
{
  int64_t logId = 0;
  int rc;
  memset(rep, 0, sizeof *rep);
  if ((rc = log_start(ctx, &logId, err)) != 0)
    return rc;
  rc = hello(ctx, t, o, rep, err);
  if (rc == 0 && o->bSnapshot)
    rc = sync_snapshot_take(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPullOnly)
    rc = push(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPullOnly)
    rc = summaries(ctx, t, o, rep, err);
  if (rc == 0 && (o->zMoveRegno || o->zMoveNationalId))
    rc = move_here(t, o, rep, err);
  /* before the pull, which brings the merges back */
  if (rc == 0 && !o->bPullOnly)
    rc = sync_merge_send(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPushOnly)
    rc = pull(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPushOnly && !o->bPullOnly) {
    /* asked for, or asked by the registry (its nightly check) */
    char zAsked[40] = "";
    rc = sync_state_get(ctx, "reconcile_asked", zAsked, sizeof zAsked, err);
    /* a snapshot just taken is compared once: the cheap check that
     * nothing fell between it and the feed */
    int bAfterSnapshot = rep->snap.bDone && !rep->snap.bBefore;
    for (int pass = 0;
         rc == 0 && (o->bReconcile || zAsked[0] || bAfterSnapshot) && pass < 2;
         pass++) {
      int bBehind = 0;
      rc = reconcile(ctx, t, o, rep, &bBehind, err);
      /* what was put in the outbox goes now, and what was fed comes */
      if (rc == 0 && (rep->rec.nSent > 0 || bBehind))
        rc = push(ctx, t, o, rep, err);
      if (rc == 0)
        rc = pull(ctx, t, o, rep, err);
      if (!bBehind)
        break; /* else compared again, now that the registry caught up */
    }
  }
  struct sws_err e2 = SWS_ERR_INIT;
  sync_pending(ctx, &rep->pending, &e2);
  log_end(ctx, logId, rep, rc, err);
  /* last, after the session is logged: the head covers every row the
   * session wrote, and only the row recording the registry's answer
   * follows it (sync/office_audit.h) */
  if (rc == 0)
    rc = sync_audit_head_send(ctx, t, o, rep, err);
  return rc;
}
