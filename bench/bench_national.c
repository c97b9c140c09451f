/*
 * bench_national.c - a registry at a nation's size, on PostgreSQL:
 *
 *   bench_sws national [--people N] [--pg URL] [--lookups N]
 *                      [--pushes N] [--dir DIR]
 *
 * 1. N made-up people (default 5,000,000; the demo generator's Khmer,
 *    Latin and Mongolian Cyrillic households, about 3.2 people each, owned
 *    by 50 enrolled offices) go in through the registry's bulk path
 *    (central_load: the push's checks, blocking keys, COPY into the
 *    households, members and duplicate index), 5,000 households per call.
 *    Baseline in the same run: COPY of the same household and member rows
 *    into bare tables of the same database, the same 5,000 per
 *    transaction. Reported: people/s of each, and the ratio.
 * 2. Duplicate-candidate lookups at that size: for people not loaded
 *    (generated alike), the registry's query for everyone sharing one of
 *    their blocking keys, of their sex, born within two years, or their
 *    national ID (what the duplicate job asks for each person): p50, p95.
 * 3. Pushes at that size: an office registers a household of two and
 *    syncs it, again and again, over HTTPS to a registry worker in this
 *    process: push latency p50, p95; then the duplicate job on what they
 *    pushed (people/s, pairs found).
 *
 * Without --pg a throwaway cluster is made with tests/pg-cluster.sh (run
 * from the source tree). Figures only: it returns 1 only when it cannot
 * run.
 */
#include <getopt.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/household.h"
#include "cases/name.h"
#include "cases/office.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/httpd.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/demo.h"
#include "cases/report.h"
#include "sync/central.h"
#include "sync/central_report.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/server.h"
#include "sync/transport_https.h"

#define CHUNK 5000     /* households per bulk call and per COPY */
#define OWNERS 50      /* offices owning the loaded households */
#define MAX_MEMBERS 16 /* per household, as the generator makes them */

/* One chunk of generated households, as the bulk path takes them. */
struct chunk {
  struct buf csv;
  struct central_load_household *h;
  struct central_load_member *m;
  char (*azId)[SWS_UUID_LEN + 1]; /* households' then members' ids */
  char (*azRegno)[SWS_NUMBER_MAX];
  char **azText; /* the CSV's values, copied */
  int nH, nM, nText;
};

static void chunk_release(struct chunk *k)
{
  buf_release(&k->csv);
  free(k->h);
  free(k->m);
  free(k->azId);
  free(k->azRegno);
  for (int i = 0; i < k->nText; i++)
    free(k->azText[i]);
  free(k->azText);
  memset(k, 0, sizeof *k);
}

static const char *blank_null(const char *z)
{
  return z && *z ? z : NULL;
}

/*
 * nHouseholds made-up households (seed) into k; owners in turn, numbers
 * from *pSeq on. The strings point into k->csv.
 */
static int chunk_make(struct sws_ctx *ctx, int nHouseholds, uint64_t seed,
                      int64_t *pSeq, struct chunk *k, struct sws_err *err)
{
  static char azOwner[OWNERS][8];
  struct csv_reader r;
  struct csv_row row;
  int rc, nAlloc = nHouseholds * MAX_MEMBERS;
  memset(k, 0, sizeof *k);
  buf_init(&k->csv, (size_t)1 << 30);
  for (int i = 0; i < OWNERS; i++)
    snprintf(azOwner[i], sizeof azOwner[i], "NL%02d", i + 1);
  if ((rc = demo_households_csv(ctx, nHouseholds, seed, "N-", &k->csv, err)) !=
      0)
    return rc;
  k->h = sws_calloc((size_t)nHouseholds + 1, sizeof *k->h);
  k->m = sws_calloc((size_t)nAlloc, sizeof *k->m);
  k->azId = sws_calloc((size_t)(nHouseholds + nAlloc), sizeof *k->azId);
  k->azRegno = sws_calloc((size_t)nHouseholds + 1, sizeof *k->azRegno);
  csv_init(&r, k->csv.z, k->csv.n);
  const char *zPrevKey = NULL;
  int first = 1;
  while ((rc = csv_next(&r, &row, err)) == 1) {
    if (first) { /* the header */
      first = 0;
      continue;
    }
    if (row.n < 9 || k->nM == nAlloc)
      break;
    /* the reader's strings live until the next call: copies kept */
    k->azText =
        sws_realloc(k->azText, sizeof *k->azText * (size_t)(k->nText + 9));
    for (int f = 0; f < 9; f++)
      row.az[f] = k->azText[k->nText++] = sws_strdup(row.az[f]);
    if (zPrevKey == NULL || strcmp(zPrevKey, row.az[0]) != 0) {
      if (k->nH == nHouseholds)
        break;
      struct central_load_household *h = &k->h[k->nH];
      const char *zOwner = azOwner[*pSeq % OWNERS];
      int64_t seq = *pSeq / OWNERS + 1;
      while (!sws_number_issuable(zOwner, seq))
        seq++;
      sws_number_format(k->azRegno[k->nH], SWS_NUMBER_MAX, zOwner, seq);
      (*pSeq)++;
      sws_uuid7(k->azId[k->nH]);
      h->zId = k->azId[k->nH];
      h->zRegno = k->azRegno[k->nH];
      h->zAreaCode = row.az[5];
      h->zOwner = zOwner;
      h->zCreatedAt = "2025-06-01T08:00:00Z";
      h->zCreatedBy = "national list";
      h->a = &k->m[k->nM];
      k->nH++;
    }
    struct central_load_household *h = &k->h[k->nH - 1];
    struct central_load_member *m = &k->m[k->nM];
    sws_uuid7(k->azId[nHouseholds + k->nM]);
    m->zId = k->azId[nHouseholds + k->nM];
    m->zName = row.az[1];
    m->zSex = row.az[2];
    m->zBorn = row.az[3];
    m->zRelationship = row.az[4];
    m->zNationalId = blank_null(row.az[6]);
    m->zPhone = blank_null(row.az[7]);
    m->zDisability = blank_null(row.az[8]);
    m->lineNo = ++h->n;
    zPrevKey = row.az[0];
    k->nM++;
  }
  csv_release(&r);
  return rc < 0 ? rc : SWS_OK;
}

static void copy_text(struct buf *b, const char *z, int bLast)
{
  if (z == NULL)
    buf_puts(b, "\\N");
  for (; z && *z; z++) {
    if (*z == '\\' || *z == '\t' || *z == '\n' || *z == '\r')
      buf_putc(b, '\\');
    buf_putc(b, *z == '\t' ? 't' : *z == '\n' ? 'n' : *z == '\r' ? 'r' : *z);
  }
  buf_putc(b, bLast ? '\n' : '\t');
}

static int copy_rows(PGconn *conn, const char *zCopy, const struct buf *b)
{
  PGresult *res = PQexec(conn, zCopy);
  int ok = PQresultStatus(res) == PGRES_COPY_IN;
  PQclear(res);
  if (!ok)
    return -1;
  ok = PQputCopyData(conn, b->z ? b->z : "", (int)b->n) == 1;
  ok = PQputCopyEnd(conn, NULL) == 1 && ok;
  while ((res = PQgetResult(conn)) != NULL) {
    ok = ok && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
  }
  return ok ? 0 : -1;
}

/* The baseline: the chunk's household and member rows, COPY into bare
 * tables, one transaction. Seconds taken, or -1. */
static double raw_copy(PGconn *conn, const struct chunk *k)
{
  struct buf hh = BUF_INIT, mem = BUF_INIT;
  char zLine[16];
  for (int i = 0; i < k->nH; i++) {
    const struct central_load_household *h = &k->h[i];
    const char *row[] = {h->zId,       h->zOwner,     h->zRegno,
                         h->zAreaCode, h->zCreatedAt, h->zCreatedBy};
    for (int c = 0; c < 6; c++)
      copy_text(&hh, row[c], c == 5);
    for (int j = 0; j < h->n; j++) {
      const struct central_load_member *m = &h->a[j];
      snprintf(zLine, sizeof zLine, "%d", m->lineNo);
      const char *mrow[] = {m->zId,           h->zId,         zLine,
                            m->zName,         m->zSex,        m->zBorn,
                            m->zRelationship, m->zNationalId, m->zPhone,
                            m->zDisability,   h->zCreatedAt};
      for (int c = 0; c < 11; c++)
        copy_text(&mem, mrow[c], c == 10);
    }
  }
  int64_t t0 = bench_ns();
  PQclear(PQexec(conn, "BEGIN"));
  int rc = copy_rows(conn, "COPY bench_household FROM STDIN", &hh);
  if (rc == 0)
    rc = copy_rows(conn, "COPY bench_member FROM STDIN", &mem);
  PGresult *res = PQexec(conn, rc == 0 ? "COMMIT" : "ROLLBACK");
  rc = rc == 0 && PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
  PQclear(res);
  double secs = (double)(bench_ns() - t0) / 1e9;
  buf_release(&hh);
  buf_release(&mem);
  return rc == 0 ? secs : -1;
}

static int count_candidate(int i, const struct central_person *p, void *arg)
{
  (void)i;
  (void)p;
  (*(int64_t *)arg)++;
  return 0;
}

/* The queries the duplicate job makes for one person (its keys, of its
 * sex, born within two years; its national ID). Caller frees. */
static char *person_queries(const struct central_load_member *m)
{
  char *zKeys = name_keys_json(m->zName);
  json_t *keys = json_loads(zKeys, 0, NULL), *q = json_array(), *v;
  size_t i;
  int year = (int)strtol(m->zBorn, NULL, 10);
  json_array_foreach(keys, i, v) json_array_append_new(
      q, json_pack("{s:O, s:s, s:i, s:i}", "key", v, "sex", m->zSex, "y0",
                   year - 2, "y1", year + 2));
  if (m->zNationalId)
    json_array_append_new(q, json_pack("{s:s}", "nid", m->zNationalId));
  char *z = json_dumps(q, JSON_COMPACT);
  json_decref(q);
  json_decref(keys);
  free(zKeys);
  return z;
}

/* Push latencies: the transport, timed. */
struct timed {
  struct sync_transport inner;
  int64_t *aLat;
  int nLat, nAlloc;
};

static int timed_request(void *arg, const char *zMethod, const char *zPath,
                         const char *zBody, size_t nBody, int *pStatus,
                         struct buf *resp, int *pRetryAfter,
                         struct sws_err *err)
{
  struct timed *t = arg;
  int64_t t0 = bench_ns();
  int rc = t->inner.request(t->inner.arg, zMethod, zPath, zBody, nBody, pStatus,
                            resp, pRetryAfter, err);
  if (strcmp(zPath, "/v1/push") == 0) {
    if (t->nLat == t->nAlloc) {
      t->nAlloc = t->nAlloc ? 2 * t->nAlloc : 256;
      t->aLat = sws_realloc(t->aLat, sizeof *t->aLat * (size_t)t->nAlloc);
    }
    t->aLat[t->nLat++] = bench_ns() - t0;
  }
  return rc;
}

static void timed_offset(void *arg, int64_t s)
{
  struct timed *t = arg;
  if (t->inner.set_clock_offset)
    t->inner.set_clock_offset(t->inner.arg, s);
}

static void short_sleep(void *arg, int ms)
{
  (void)arg;
  usleep((useconds_t)(ms > 200 ? 200 : ms) * 1000);
}

static int enrol(struct central *c, const char *zCode, struct sws_err *err)
{
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  char zPk[64];
  sws_sign_keypair(pk, sk);
  sws_b64url(zPk, pk, sizeof pk);
  return central_office_add(c, zCode, "National bench office", zPk, NULL, 1,
                            err);
}

/*
 * The monitoring report at this size (issue 21): the month every loaded
 * record was registered in, by province (the heaviest month there is), every
 * indicator the registry counts, against a plain GROUP BY of the same
 * households and people by area and sex in the same run.
 */
static int national_report(struct central *c, PGconn *conn, int64_t loaded,
                           struct sws_err *err)
{
  struct report_set *set = NULL;
  struct report_opts o = REPORT_OPTS_INIT;
  struct report r;
  /* the month the generated households are registered in */
  report_period_parse("2025-06", &o.period, NULL);
  o.layer = AREA_PROVINCE;
  if (central_area_load_default(c, err) != 0 ||
      report_set_load_default(&set, err) != 0)
    return 1;
  int64_t t0 = bench_ns();
  int rc = central_report(c, set, &o, &r, err);
  double ours = (double)(bench_ns() - t0) / 1e9;
  report_set_free(set);
  if (rc != 0)
    return 1;
  int nCells = r.nCell;
  report_release(&r);
  const char *v[2] = {o.period.zFrom, o.period.zTo};
  t0 = bench_ns();
  PGresult *a = PQexecParams(
      conn,
      "SELECT h.area_code, p.sex, count(*) FROM household h LEFT JOIN member "
      "p ON p.household_id = h.id AND p.relationship = 'head' WHERE "
      "h.created_at >= $1 AND h.created_at < $2 GROUP BY 1, 2",
      2, NULL, v, NULL, NULL, 0);
  PGresult *b = PQexecParams(
      conn,
      "SELECT h.area_code, m.sex, count(*) FROM member m JOIN household h "
      "ON h.id = m.household_id WHERE m.created_at >= $1 AND m.created_at < "
      "$2 GROUP BY 1, 2",
      2, NULL, v, NULL, NULL, 0);
  double plain = (double)(bench_ns() - t0) / 1e9;
  int ok = PQresultStatus(a) == PGRES_TUPLES_OK &&
           PQresultStatus(b) == PGRES_TUPLES_OK;
  PQclear(a);
  PQclear(b);
  if (!ok)
    return sws_err_set(err, SWS_EDB, "the baseline's GROUP BY failed") != 0;
  printf("national: the monitoring report of %s by province at %lld "
         "people (%d cells): %.2f s; plain GROUP BY of the households and "
         "people by area and sex %.2f s; ratio ours/plain %.2f\n",
         o.period.zLabel, (long long)loaded, nCells, ours, plain,
         plain > 0 ? ours / plain : 0);
  return 0;
}

static int run(const char *zUrl, const char *zDir, int64_t nPeople,
               int nLookups, int nPushes)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central *c = NULL;
  struct sws_ctx *ctx = NULL;
  struct httpd *srv = NULL;
  PGconn *conn = NULL;
  struct chunk k;
  char zPath[600], zCert[600], zKey[600], zCa[600];
  int status = 1;
  memset(&k, 0, sizeof k);
  snprintf(zPath, sizeof zPath, "%s/office.db", zDir);
  struct area_load_report arep;
  if (cases_open(&ctx, zPath, CASES_CREATE, &err) != 0 ||
      cases_office_init(ctx, "NP01", "National bench office", &err) != 0 ||
      cases_area_load_default(ctx, &arep, &err) != 0)
    goto out;
  buf_release(&arep.errors);
  cases_set_actor(ctx, "bench");
  if (central_open(&c, zUrl, 1, "National registry", &err) != 0)
    goto out;
  for (int i = 0; i < OWNERS; i++) {
    char zCode[8];
    snprintf(zCode, sizeof zCode, "NL%02d", i + 1);
    if (enrol(c, zCode, &err) != 0)
      goto out;
  }
  conn = PQconnectdb(zUrl);
  PGresult *res = PQexec(conn, "CREATE TABLE bench_household(id uuid, "
                               "owner text, regno text, area text, "
                               "created_at text, created_by text); "
                               "CREATE TABLE bench_member(id uuid, "
                               "household_id uuid, line_no int, name text, "
                               "sex text, born text, relationship text, "
                               "national_id text, phone text, disability "
                               "text, created_at text)");
  int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (!ok) {
    sws_err_set(&err, SWS_EDB, "baseline tables: %s", PQerrorMessage(conn));
    goto out;
  }

  /* 1. the bulk load, against COPY of the same rows */
  int64_t loaded = 0, households = 0, seq = 0, tOurs = 0, tRaw = 0;
  for (uint64_t chunk = 1; loaded < nPeople; chunk++) {
    if (chunk_make(ctx, CHUNK, chunk, &seq, &k, &err) != 0)
      goto out;
    int64_t t0 = bench_ns();
    int rc = central_load(c, k.h, k.nH, &err);
    tOurs += bench_ns() - t0;
    double raw = rc == 0 ? raw_copy(conn, &k) : 0;
    if (raw < 0)
      sws_err_set(&err, SWS_EDB, "baseline COPY: %s", PQerrorMessage(conn));
    loaded += k.nM;
    households += k.nH;
    chunk_release(&k);
    if (rc != 0 || raw < 0)
      goto out;
    tRaw += (int64_t)(raw * 1e9);
    if (isatty(2))
      fprintf(stderr, "\rbench national: loaded %lld of %lld people...",
              (long long)loaded, (long long)nPeople);
  }
  if (isatty(2))
    fputc('\n', stderr);
  PQclear(PQexec(conn, "ANALYZE"));
  printf("national: bulk load of %lld people in %lld households (%d "
         "offices): %.1f s, %.0f people/s\n",
         (long long)loaded, (long long)households, OWNERS, tOurs / 1e9,
         loaded / (tOurs / 1e9));
  printf("  baseline: COPY of the same household and member rows into bare "
         "tables, %d households per transaction: %.1f s, %.0f people/s; "
         "ratio COPY/ours %.2f\n",
         CHUNK, tRaw / 1e9, loaded / (tRaw / 1e9),
         (double)tRaw / (double)tOurs);

  /* 2. candidate lookups at that size */
  int64_t sample = 0;
  if (chunk_make(ctx, nLookups / 3 + 1, 999999, &sample, &k, &err) != 0)
    goto out;
  int n = k.nM < nLookups ? k.nM : nLookups;
  int64_t *lat = sws_calloc((size_t)n + 1, sizeof *lat), nCand = 0;
  for (int i = 0; i < n; i++) {
    char *zQ = person_queries(&k.m[i]);
    int64_t t0 = bench_ns();
    int rc = c->s->ops->person_candidates_many(c->s, zQ, count_candidate,
                                               &nCand, &err);
    lat[i] = bench_ns() - t0;
    free(zQ);
    if (rc != 0) {
      free(lat);
      goto out;
    }
  }
  printf("national: duplicate-candidate lookup at %lld people, %d people "
         "looked up: p50 %.2f ms, p95 %.2f ms, %.0f candidates each on "
         "average\n",
         (long long)loaded, n, bench_percentile(lat, n, 50) / 1e6,
         bench_percentile(lat, n, 95) / 1e6, (double)nCand / (n ? n : 1));
  free(lat);

  /* 3. pushes at that size, then the duplicate job on them */
  snprintf(zPath, sizeof zPath,
           "sh tests/make-test-ca.sh %s/tls >/dev/null "
           "2>&1",
           zDir);
  if (system(zPath) != 0) {
    sws_err_set(&err, SWS_EIO,
                "tests/make-test-ca.sh failed (run from the "
                "source tree, with openssl)");
    goto out;
  }
  snprintf(zCert, sizeof zCert, "%s/tls/server.pem", zDir);
  snprintf(zKey, sizeof zKey, "%s/tls/server.key", zDir);
  snprintf(zCa, sizeof zCa, "%s/tls/ca.pem", zDir);
  struct office_info oi;
  char zPk[64];
  if (cases_office_get(ctx, &oi, &err) != 0)
    goto out;
  sws_b64url(zPk, oi.pk, sizeof oi.pk);
  if (central_office_add(c, "NP01", "National bench office", zPk, NULL, 1,
                         &err) != 0)
    goto out;
  struct central *cw = NULL;
  if (central_open(&cw, zUrl, 0, NULL, &err) != 0)
    goto out;
  struct httpd_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zListen = "127.0.0.1:0";
  cfg.zCertFile = zCert;
  cfg.zKeyFile = zKey;
  cfg.nMaxBody = (size_t)2 << 20;
  cfg.nMaxInflated = (size_t)9 << 20;
  cfg.maxConnections = HTTPD_REGISTRY_CONNECTIONS;
  if (httpd_start(&srv, &cfg, central_http_handler, cw, &err) != 0) {
    central_close(cw);
    goto out;
  }
  struct timed t;
  memset(&t, 0, sizeof t);
  for (int i = 0; i < nPushes; i++) {
    /* namesakes of the people looked up: the job has work to do */
    const struct central_load_member *a = &k.m[(2 * i) % k.nM],
                                     *b = &k.m[(2 * i + 1) % k.nM];
    char zRegno[SWS_NUMBER_MAX];
    struct member_input mi[2] = {
        {a->zName, a->zSex[0], a->zBorn, REL_HEAD, NULL, NULL, 0},
        {b->zName, b->zSex[0], b->zBorn, REL_OTHER_RELATIVE, NULL, NULL, 0}};
    struct household_input in = {k.h[0].zAreaCode, NULL, NULL, NULL, mi, 2,
                                 "national bench"};
    struct https_transport *h = NULL;
    struct sync_opts so;
    struct sync_report rep;
    if (cases_household_create(ctx, &in, zRegno, NULL, &err) != 0 ||
        sync_https_open(&h, ctx, httpd_url(srv), zCa, NULL, &err) != 0)
      goto stop;
    sync_https_transport(h, &t.inner);
    struct sync_transport tt = {timed_request, timed_offset, &t};
    memset(&so, 0, sizeof so);
    so.sleep_ms = short_sleep;
    so.bPushOnly = 1;
    int rc = sync_run(ctx, &tt, &so, &rep, &err);
    sync_https_close(h);
    if (rc != 0)
      goto stop;
  }
  printf("national: %d pushes of a household of two at %lld people: p50 "
         "%.1f ms, p95 %.1f ms\n",
         t.nLat, (long long)loaded, bench_percentile(t.aLat, t.nLat, 50) / 1e6,
         bench_percentile(t.aLat, t.nLat, 95) / 1e6);
  struct central_dedup_report dr;
  int64_t t0 = bench_ns();
  if (central_dedup(c, 0, &dr, &err) != 0)
    goto stop;
  double secs = (double)(bench_ns() - t0) / 1e9;
  printf("  duplicate job on what they pushed: %d people in %.2f s (%.0f "
         "people/s), %d possible duplicates found\n",
         dr.nPeople, secs, dr.nPeople / (secs > 0 ? secs : 1), dr.nPairs);
  if (national_report(c, conn, loaded, &err) != 0)
    goto stop;
  status = 0;
stop:
  free(t.aLat);
  httpd_stop(srv);
  central_close(cw);
out:
  if (status != 0)
    fprintf(stderr, "bench national: %s\n", err.msg);
  chunk_release(&k);
  PQfinish(conn);
  central_close(c);
  cases_close(ctx);
  return status;
}

int bench_national(int argc, char **argv)
{
  static const struct option opts[] = {{"people", required_argument, 0, 'n'},
                                       {"lookups", required_argument, 0, 'l'},
                                       {"pushes", required_argument, 0, 'u'},
                                       {"pg", required_argument, 0, 'p'},
                                       {"dir", required_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  static const char zUsage[] =
      "usage: bench_sws national [--people N] [--lookups N] [--pushes N]\n"
      "                          [--pg URL] [--dir DIR]\n";
  struct sws_err err = SWS_ERR_INIT;
  int64_t nPeople = 5000000, nLookups = 1000, nPushes = 200;
  const char *zPg = NULL;
  char zDir[256] = "", zUrl[600], zCluster[64] = "";
  int o, status;
  optind = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'n':
      if (sws_parse_int64("--people", optarg, 1, 100000000, &nPeople, &err))
        goto usage;
      break;
    case 'l':
      if (sws_parse_int64("--lookups", optarg, 1, 100000, &nLookups, &err))
        goto usage;
      break;
    case 'u':
      if (sws_parse_int64("--pushes", optarg, 1, 100000, &nPushes, &err))
        goto usage;
      break;
    case 'p':
      zPg = optarg;
      break;
    case 'd':
      sws_strlcpy(zDir, optarg, sizeof zDir);
      break;
    case 'h':
      fputs(zUsage, stdout);
      return 0;
    default:
      fputs(zUsage, stderr);
      return 2;
    }
  }
  if (bench_dir("national", zDir, sizeof zDir) != 0)
    return 1;
  if (zPg == NULL) {
    if (bench_pg_start("national", zCluster, sizeof zCluster, zUrl,
                       sizeof zUrl) != 0)
      return 1;
    zPg = zUrl;
  }
  fprintf(stderr, "bench national: %lld people into PostgreSQL...\n",
          (long long)nPeople);
  status = run(zPg, zDir, nPeople, (int)nLookups, (int)nPushes);
  bench_pg_stop(zCluster);
  bench_dir_remove("national", zDir);
  return status;
usage:
  fprintf(stderr, "bench national: %s\n%s", err.msg, zUsage);
  return 2;
}
