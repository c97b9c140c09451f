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
#include "sync/office_summary.h"

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
      json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
      const char *zWhy = json_string_value(json_object_get(j, "message"));
      rc = sws_err_set(err, status == 403 ? SWS_EPERM : SWS_ENET,
                       "the central registry refused the batch (%d): %s",
                       status, zWhy ? zWhy : "no reason given");
      json_decref(j);
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
      json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
      const char *zWhy = json_string_value(json_object_get(j, "message"));
      rc = sws_err_set(err, status == 403 ? SWS_EPERM : SWS_ENET,
                       "the central registry refused the feed (%d): %s",
                       status, zWhy ? zWhy : "no reason given");
      json_decref(j);
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
      json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
      const char *zWhy = json_string_value(json_object_get(j, "message"));
      rc = sws_err_set(err, SWS_ENET, "the central registry refused the "
                       "summary of %s (%d): %s", aPeriod[i], status,
                       zWhy ? zWhy : "no reason given");
      json_decref(j);
      break;
    }
    rc = sync_summary_sent(ctx, aPeriod[i], err);
    rep->summaries++;
  }
  buf_release(&resp);
  return rc;
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
  if (rc == 0 && !o->bPullOnly)
    rc = push(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPullOnly)
    rc = summaries(ctx, t, o, rep, err);
  if (rc == 0 && !o->bPushOnly)
    rc = pull(ctx, t, o, rep, err);
  struct sws_err e2 = SWS_ERR_INIT;
  sync_pending(ctx, &rep->pending, &e2);
  log_end(ctx, logId, rep, rc, err);
  return rc;
}
