/*
 * bench_load.c - many offices at once against the registry:
 *
 *   bench_sws load [--offices N] [--seconds S] [--threads T] [--pg URL]
 *                  [--no-pg] [--dir DIR]
 *
 * N offices (default 200), each with its own database and its own
 * enrolled key, register small households and sync them (push, then pull
 * their feed) again and again for S seconds (default 120), driven by T
 * threads (default 16) over HTTPS on 127.0.0.1 (the real engine, libcurl
 * transport and server code; one TLS connection per session, as an office
 * opens one per sync). Once against one worker on SQLite, once against two
 * workers on one PostgreSQL database (in an empty database --pg names, or
 * a throwaway cluster started with tests/pg-cluster.sh; --no-pg skips it).
 * Two workers are two servers in this process, each with its own
 * connection and its own thread, as two 'sws central serve' would be.
 *
 * Reported per store: sessions and requests per second, push latency
 * p50/p95/p99 (each POST /v1/push, as the office waits for it), errors,
 * and afterwards an exact account: every household and member each office
 * created is at the registry once, every office's mutations are
 * acknowledged and recorded once (0 lost, 0 doubled). Goal: 0 errors,
 * 0 lost, 0 doubled, p99 push <= 1 s. Figures only: it returns 1 only
 * when it cannot run.
 */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/household.h"
#include "cases/office.h"
#include "core/httpd.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/central.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/server.h"
#include "sync/transport_https.h"

#define MAX_WORKERS 2

struct office {
  struct sws_ctx *ctx;
  char zCode[SWS_OFFICE_CODE_MAX];
  int n; /* households registered */
};

struct run {
  struct office *aOffice;
  int nOffice, nThread, nWorker;
  char azUrl[MAX_WORKERS][128];
  const char *zCa;
  int64_t deadline;
  pthread_mutex_t mu;
  int64_t *aLat; /* push latencies, ns */
  int nLat, nLatAlloc;
  int64_t nSessions, nRequests, nErrors;
  char zFirstError[256];
};

struct timed {
  struct sync_transport inner;
  struct run *r;
  int64_t nRequests;
};

static int timed_request(void *arg, const char *zMethod, const char *zPath,
                         const char *zBody, size_t nBody, int *pStatus,
                         struct buf *resp, int *pRetryAfter,
                         struct sws_err *err)
{
  struct timed *t = arg;
  int64_t t0 = bench_ns();
  int rc = t->inner.request(t->inner.arg, zMethod, zPath, zBody, nBody,
                            pStatus, resp, pRetryAfter, err);
  int64_t dt = bench_ns() - t0;
  t->nRequests++;
  if (strcmp(zPath, "/v1/push") == 0) {
    pthread_mutex_lock(&t->r->mu);
    if (t->r->nLat == t->r->nLatAlloc) {
      t->r->nLatAlloc = t->r->nLatAlloc ? 2 * t->r->nLatAlloc : 4096;
      t->r->aLat = sws_realloc(t->r->aLat,
                               sizeof *t->r->aLat * (size_t)t->r->nLatAlloc);
    }
    t->r->aLat[t->r->nLat++] = dt;
    pthread_mutex_unlock(&t->r->mu);
  }
  return rc;
}

static void timed_offset(void *arg, int64_t s)
{
  struct timed *t = arg;
  if (t->inner.set_clock_offset)
    t->inner.set_clock_offset(t->inner.arg, s);
}

static void no_sleep(void *arg, int ms)
{
  (void)arg;
  usleep((useconds_t)(ms > 200 ? 200 : ms) * 1000);
}

/* Register one household of a head and a spouse; names unlike any other
 * office's, so the counter's duplicate check does not stop it. */
static int register_one(struct office *o, struct sws_err *err)
{
  char zHead[80], zWife[80], zRegno[SWS_NUMBER_MAX];
  o->n++;
  snprintf(zHead, sizeof zHead, "Load %s Head %d", o->zCode, o->n);
  snprintf(zWife, sizeof zWife, "Load %s Wife %d", o->zCode, o->n);
  struct member_input m[2] = {{zHead, 'M', "1970", REL_HEAD, NULL, NULL, 0},
                              {zWife, 'F', "1972", REL_SPOUSE, NULL, NULL,
                               0}};
  struct household_input in = {"17010101", NULL, NULL, NULL, m, 2,
                               "load test"};
  return cases_household_create(o->ctx, &in, zRegno, NULL, err);
}

static void fail(struct run *r, const char *zWhat, const struct sws_err *e)
{
  pthread_mutex_lock(&r->mu);
  if (r->nErrors++ == 0)
    snprintf(r->zFirstError, sizeof r->zFirstError, "%s: %s", zWhat, e->msg);
  pthread_mutex_unlock(&r->mu);
}

struct thread_arg {
  struct run *r;
  int iThread;
};

/* One driver: its offices, in turn, until the deadline; then each one's
 * last changes. */
static void *drive(void *arg)
{
  struct thread_arg *ta = arg;
  struct run *r = ta->r;
  int64_t nSessions = 0, nRequests = 0;
  for (int round = 0;; round++) {
    int bLast = bench_ns() >= r->deadline;
    for (int i = ta->iThread; i < r->nOffice; i += r->nThread) {
      struct office *o = &r->aOffice[i];
      struct sws_err err = SWS_ERR_INIT;
      if (!bLast && register_one(o, &err) != 0) {
        fail(r, "register", &err);
        continue;
      }
      struct https_transport *h = NULL;
      const char *zUrl = r->azUrl[(i + round) % r->nWorker];
      if (sync_https_open(&h, o->ctx, zUrl, r->zCa, NULL, &err) != 0) {
        fail(r, "open", &err);
        continue;
      }
      struct timed t;
      memset(&t, 0, sizeof t);
      sync_https_transport(h, &t.inner);
      t.r = r;
      struct sync_transport tt = {timed_request, timed_offset, &t};
      struct sync_opts so;
      struct sync_report rep;
      memset(&so, 0, sizeof so);
      so.sleep_ms = no_sleep;
      if (sync_run(o->ctx, &tt, &so, &rep, &err) != 0)
        fail(r, "sync", &err);
      sync_https_close(h);
      nSessions++;
      nRequests += t.nRequests;
    }
    if (bLast)
      break;
  }
  pthread_mutex_lock(&r->mu);
  r->nSessions += nSessions;
  r->nRequests += nRequests;
  pthread_mutex_unlock(&r->mu);
  return NULL;
}

struct count {
  int64_t n;
};

static int count_one(const char *zId, const char *zFields, const char *zOwner,
                     void *arg)
{
  (void)zId;
  (void)zFields;
  (void)zOwner;
  ((struct count *)arg)->n++;
  return 0;
}

/* Every office's records at the registry exactly once, its mutations
 * acknowledged and recorded once. */
static void account(struct central *c, struct run *r, int64_t *pLost,
                    int64_t *pDoubled, int64_t *pRecords, int64_t *pBadAck)
{
  *pLost = *pDoubled = *pRecords = *pBadAck = 0;
  for (int i = 0; i < r->nOffice; i++) {
    struct office *o = &r->aOffice[i];
    struct sws_err err = SWS_ERR_INIT;
    static const char *const ENT[] = {"household", "member"};
    for (int e = 0; e < 2; e++) {
      int64_t mine = -1;
      struct count k = {0};
      char zSql[160];
      snprintf(zSql, sizeof zSql,
               "SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = "
               "'%s' AND op = 'insert'", /* lint: ok */
               ENT[e]);
      db_int64(o->ctx->db, &mine, -1, zSql, &err);
      c->s->ops->record_each(c->s, ENT[e], o->zCode, count_one, &k, &err);
      *pRecords += mine;
      if (k.n < mine)
        *pLost += mine - k.n;
      if (k.n > mine)
        *pDoubled += k.n - mine;
    }
    int64_t last = 0, acked = 0;
    struct central_office co;
    db_int64(o->ctx->db, &last, 0, "SELECT max(seq) FROM outbox", &err);
    sync_state_get_int(o->ctx, "acked", &acked, &err);
    if (c->s->ops->office_get(c->s, o->zCode, &co, &err) != 0 ||
        co.ack != last || acked != last)
      (*pBadAck)++;
  }
}

static int serve_store(const char *zLabel, const char *zCentral,
                       const char *zDir, int nOffice, int nThread,
                       int nWorker, int seconds, const char *zCert,
                       const char *zKey, const char *zCa)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central *ac[MAX_WORKERS] = {NULL, NULL};
  struct httpd *as[MAX_WORKERS] = {NULL, NULL};
  struct run r;
  int status = 1;
  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.mu, NULL);
  r.nOffice = nOffice;
  r.nThread = nThread;
  r.nWorker = nWorker;
  r.zCa = zCa;
  r.aOffice = sws_calloc((size_t)nOffice, sizeof *r.aOffice);
  fprintf(stderr, "bench load: %s: %d offices (set-up)...\n", zLabel,
          nOffice);
  if (central_open(&ac[0], zCentral, 1, "Load registry", &err) != 0)
    goto out;
  for (int i = 0; i < nOffice; i++) {
    struct office *o = &r.aOffice[i];
    struct area_load_report rep;
    struct office_info oi;
    char zPath[600], zPk[64];
    snprintf(o->zCode, sizeof o->zCode, "LD%03d", i + 1);
    snprintf(zPath, sizeof zPath, "%s/%s-%s.db", zDir, zLabel, o->zCode);
    if (cases_open(&o->ctx, zPath, CASES_CREATE, &err) != 0 ||
        cases_office_init(o->ctx, o->zCode, "Load office", &err) != 0 ||
        cases_area_load_default(o->ctx, &rep, &err) != 0)
      goto out;
    buf_release(&rep.errors);
    cases_set_actor(o->ctx, "bench");
    if (cases_office_get(o->ctx, &oi, &err) != 0)
      goto out;
    sws_b64url(zPk, oi.pk, sizeof oi.pk);
    if (central_office_add(ac[0], o->zCode, "Load office", zPk, NULL, 1,
                           &err) != 0)
      goto out;
  }
  for (int w = 0; w < nWorker; w++) {
    struct httpd_config cfg;
    if (w > 0 && central_open(&ac[w], zCentral, 0, NULL, &err) != 0)
      goto out;
    memset(&cfg, 0, sizeof cfg);
    cfg.zListen = "127.0.0.1:0";
    cfg.zCertFile = zCert;
    cfg.zKeyFile = zKey;
    cfg.nMaxBody = (size_t)2 << 20;
    cfg.nMaxInflated = (size_t)9 << 20;
    cfg.maxConnections = HTTPD_REGISTRY_CONNECTIONS;
    if (httpd_start(&as[w], &cfg, central_http_handler, ac[w], &err) != 0)
      goto out;
    sws_strlcpy(r.azUrl[w], httpd_url(as[w]), sizeof r.azUrl[w]);
  }
  fprintf(stderr, "bench load: %s: %d offices for %d s through %d "
          "worker%s...\n", zLabel, nOffice, seconds, nWorker,
          nWorker == 1 ? "" : "s");
  pthread_t *at = sws_calloc((size_t)nThread, sizeof *at);
  struct thread_arg *ta = sws_calloc((size_t)nThread, sizeof *ta);
  int64_t t0 = bench_ns();
  r.deadline = t0 + (int64_t)seconds * 1000000000;
  for (int i = 0; i < nThread; i++) {
    ta[i].r = &r;
    ta[i].iThread = i;
    pthread_create(&at[i], NULL, drive, &ta[i]);
  }
  for (int i = 0; i < nThread; i++)
    pthread_join(at[i], NULL);
  double secs = (double)(bench_ns() - t0) / 1e9;
  free(at);
  free(ta);
  for (int w = 0; w < nWorker; w++) {
    httpd_stop(as[w]);
    as[w] = NULL;
  }
  int64_t lost, doubled, records, badAck;
  account(ac[0], &r, &lost, &doubled, &records, &badAck);
  int64_t *lat = sws_calloc((size_t)r.nLat + 1, sizeof *lat);
  memcpy(lat, r.aLat, sizeof *lat * (size_t)r.nLat);
  printf("load, %s (%d worker%s): %d offices, %.0f s: %lld sessions, %lld "
         "requests (%.0f/s), %d pushes: p50 %.0f ms, p95 %.0f ms, p99 %.0f "
         "ms (goal p99 <= 1000 ms)\n",
         zLabel, nWorker, nWorker == 1 ? "" : "s", nOffice, secs,
         (long long)r.nSessions, (long long)r.nRequests, r.nRequests / secs,
         r.nLat, bench_percentile(lat, r.nLat, 50) / 1e6,
         bench_percentile(lat, r.nLat, 95) / 1e6,
         bench_percentile(lat, r.nLat, 99) / 1e6);
  printf("  %lld errors%s%s; %lld records created: %lld lost, %lld "
         "doubled; %lld offices whose watermark is not the registry's "
         "(goal 0, 0, 0, 0)\n",
         (long long)r.nErrors, r.nErrors ? ", the first: " : "",
         r.nErrors ? r.zFirstError : "", (long long)records,
         (long long)lost, (long long)doubled, (long long)badAck);
  free(lat);
  status = 0;
out:
  if (status != 0)
    fprintf(stderr, "bench load: %s: %s\n", zLabel, err.msg);
  for (int w = 0; w < nWorker; w++) {
    httpd_stop(as[w]);
    central_close(ac[w]);
  }
  for (int i = 0; i < nOffice; i++)
    cases_close(r.aOffice[i].ctx);
  free(r.aOffice);
  free(r.aLat);
  pthread_mutex_destroy(&r.mu);
  return status;
}

int bench_load(int argc, char **argv)
{
  static const struct option opts[] = {
      {"offices", required_argument, 0, 'o'},
      {"seconds", required_argument, 0, 's'},
      {"threads", required_argument, 0, 't'},
      {"pg", required_argument, 0, 'p'},
      {"no-pg", no_argument, 0, 'n'},
      {"dir", required_argument, 0, 'd'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  static const char zUsage[] =
      "usage: bench_sws load [--offices N] [--seconds S] [--threads T]\n"
      "                      [--pg URL | --no-pg] [--dir DIR]\n";
  struct sws_err err = SWS_ERR_INIT;
  int64_t nOffice = 200, seconds = 120, nThread = 16;
  const char *zPg = NULL;
  char zDir[256] = "", zPath[600];
  char zCluster[64] = "";
  int o, bNoPg = 0, status = 0;
  optind = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'o':
      if (sws_parse_int64("--offices", optarg, 1, 999, &nOffice, &err))
        goto usage;
      break;
    case 's':
      if (sws_parse_int64("--seconds", optarg, 1, 3600, &seconds, &err))
        goto usage;
      break;
    case 't':
      if (sws_parse_int64("--threads", optarg, 1, 64, &nThread, &err))
        goto usage;
      break;
    case 'p': zPg = optarg; break;
    case 'n': bNoPg = 1; break;
    case 'd': sws_strlcpy(zDir, optarg, sizeof zDir); break;
    case 'h': fputs(zUsage, stdout); return 0;
    default: fputs(zUsage, stderr); return 2;
    }
  }
  json_object_seed(0); /* before the threads: jansson's hash seed */
  struct bench_tls tls;
  if (bench_dir("load", zDir, sizeof zDir) != 0 ||
      bench_tls("load", zDir, &tls) != 0)
    return 1;
  const char *zCert = tls.zCert, *zKey = tls.zKey, *zCa = tls.zCa;
  if (nThread > nOffice)
    nThread = nOffice;

  snprintf(zPath, sizeof zPath, "%s/central.db", zDir);
  status |= serve_store("SQLite", zPath, zDir, (int)nOffice, (int)nThread, 1,
                        (int)seconds, zCert, zKey, zCa);
  if (!bNoPg) {
    char zUrl[600];
    if (zPg == NULL) {
      /* a throwaway cluster, as the tests use */
      if (bench_pg_start("load", zCluster, sizeof zCluster, zUrl,
                         sizeof zUrl) != 0) {
        status = 1;
        goto done;
      }
      zPg = zUrl;
    }
    status |= serve_store("PostgreSQL", zPg, zDir, (int)nOffice,
                          (int)nThread, 2, (int)seconds, zCert, zKey, zCa);
  }
done:
  bench_pg_stop(zCluster);
  bench_dir_remove("load", zDir);
  return status;
usage:
  fprintf(stderr, "bench load: %s\n%s", err.msg, zUsage);
  return 2;
}
