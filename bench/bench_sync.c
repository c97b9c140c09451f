/*
 * bench_sync.c - sync at the size of a district:
 *
 *   bench_sws sync [--households N] [--rounds R] [--pg URL | --no-pg]
 *                  [--dir DIR] [--keep]
 *
 * An office with N (default 20,000) households of 4 members pushes them to
 * a central registry served over HTTPS on 127.0.0.1 in this process (the
 * real server code, TLS with a test CA from tests/make-test-ca.sh, the
 * real engine and transport); then a second office pulls the same
 * households from its feed. Each direction is measured against the raw
 * limit of the same run:
 *
 * The push is measured in --rounds rounds (default 3), each from the same
 * office to a fresh registry with its raw limit measured right after it;
 * the median of the rounds' ratios is the figure (one round on a shared
 * machine moves by a third). Without --pg, SQLite then PostgreSQL (a
 * throwaway cluster, tests/pg-cluster.sh); --no-pg for SQLite only.
 *
 *   push   households/s; bytes on the wire per household (TLS records
 *          both ways, counted by build/faultproxy relaying the
 *          connection; target <= 250); ratio = raw / ours, where raw is a
 *          plain SQLite insert of the same rows into a bare table (one
 *          transaction per batch, the registry's pragmas) plus a plain
 *          libcurl upload of the same compressed bodies to a trivial HTTPS
 *          sink on the same server code; with --pg (the registry on
 *          PostgreSQL, in the empty database URL names), raw is a COPY of
 *          the same rows into a bare table, one transaction per batch, plus
 *          the same upload
 *   pull   the same for the second office reading the feed: raw is a
 *          plain insert of the same rows plus a plain libcurl download of
 *          the same pages (compressed as the registry sends them)
 *
 * Figures only: never fails on a figure; returns 1 only when it cannot
 * run. Progress goes to stderr.
 */
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/import.h"
#include "cases/office.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/gzip.h"
#include "core/httpd.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/central.h"
#include "sync/engine.h"
#include "sync/server.h"
#include "sync/transport_https.h"

extern char **environ;

/* Every request body and every answer of a session, kept for the raw
 * baselines (they replay exactly these bytes). */
struct recorder {
  struct sync_transport inner;
  char **az;
  size_t *an;
  int n, nAlloc;
  int bAnswers; /* keep answers (pull) rather than request bodies (push) */
};

static void keep(struct recorder *r, const char *z, size_t n)
{
  if (r->n == r->nAlloc) {
    r->nAlloc = r->nAlloc ? 2 * r->nAlloc : 64;
    r->az = sws_realloc(r->az, sizeof *r->az * (size_t)r->nAlloc);
    r->an = sws_realloc(r->an, sizeof *r->an * (size_t)r->nAlloc);
  }
  r->az[r->n] = sws_strndup(z, n);
  r->an[r->n++] = n;
}

static int rec_request(void *arg, const char *zMethod, const char *zPath,
                       const char *zBody, size_t nBody, int *pStatus,
                       struct buf *resp, int *pRetryAfter,
                       struct sws_err *err)
{
  struct recorder *r = arg;
  int rc = r->inner.request(r->inner.arg, zMethod, zPath, zBody, nBody,
                            pStatus, resp, pRetryAfter, err);
  if (rc == 0 && *pStatus == 200) {
    if (!r->bAnswers && strcmp(zPath, "/v1/push") == 0)
      keep(r, zBody, nBody);
    else if (r->bAnswers && strncmp(zPath, "/v1/feed", 8) == 0)
      keep(r, resp->z, resp->n);
  }
  return rc;
}

static void rec_offset(void *arg, int64_t s)
{
  struct recorder *r = arg;
  r->inner.set_clock_offset(r->inner.arg, s);
}

static void rec_release(struct recorder *r)
{
  for (int i = 0; i < r->n; i++)
    free(r->az[i]);
  free(r->az);
  free(r->an);
}

/* ---- the byte counter: build/faultproxy relaying, no faults ---- */

int bench_proxy_start(struct bench_proxy *k, const char *zDir, int target,
                      const char *const *azExtra)
{
  static int nStarted;
  char zTarget[16];
  const char *zBin = getenv("SWS_FAULTPROXY");
  if (zBin == NULL)
    zBin = "build/faultproxy";
  memset(k, 0, sizeof *k);
  if (access(zBin, X_OK) != 0)
    return -1;
  snprintf(k->zLog, sizeof k->zLog, "%s/proxy-%d.log", zDir, ++nStarted);
  snprintf(zTarget, sizeof zTarget, "%d", target);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, k->zLog,
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char *argv[16] = {(char *)zBin, "--target", zTarget,
                    "--lifetime", "3600",     NULL};
  for (int i = 0; azExtra && azExtra[i] && i < 10; i++)
    argv[5 + i] = (char *)azExtra[i];
  int rc = posix_spawn(&k->pid, zBin, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0)
    return -1;
  for (int i = 0; i < 100 && k->port == 0; i++) {
    FILE *f = fopen(k->zLog, "r");
    if (f) {
      if (fscanf(f, "faultproxy listening on 127.0.0.1:%d", &k->port) != 1)
        k->port = 0;
      fclose(f);
    }
    if (k->port == 0)
      usleep(20000);
  }
  return k->port ? 0 : -1;
}

/* Stop it and sum the bytes of every connection it relayed. */
void bench_proxy_stop(struct bench_proxy *k, int64_t *pUp, int64_t *pDown)
{
  char zLine[256];
  long long up, down;
  int status;
  *pUp = *pDown = -1;
  if (k->pid <= 0)
    return;
  kill(k->pid, SIGTERM);
  waitpid(k->pid, &status, 0);
  FILE *f = fopen(k->zLog, "r");
  if (f == NULL)
    return;
  *pUp = *pDown = 0;
  while (fgets(zLine, sizeof zLine, f)) {
    const char *p = strchr(zLine, '(');
    if (p && sscanf(p, "(%lld bytes up, %lld down)", &up, &down) == 2) {
      *pUp += up;
      *pDown += down;
    }
  }
  fclose(f);
}

/* ---- the raw baselines ---- */

/* A trivial HTTPS sink on the same server code: answers "{}" to an
 * upload, or the next recorded page to a GET. */
struct sink {
  struct recorder *pages;
  int next;
};

static int sink_handler(void *arg, const struct http_req *req,
                        struct http_resp *resp)
{
  struct sink *s = arg;
  if (strcmp(req->zMethod, "GET") == 0 && s->pages && s->pages->n > 0) {
    int i = s->next++ % s->pages->n;
    return http_resp_json(resp, 200, s->pages->az[i]);
  }
  return http_resp_json(resp, 200, "{}");
}

static size_t discard(void *p, size_t size, size_t n, void *arg)
{
  (void)p;
  *(int64_t *)arg += (int64_t)(size * n);
  return size * n;
}

/* Plain libcurl over one kept connection: upload each body (already
 * compressed) or download n pages. Returns the seconds taken, or -1. */
static double raw_transfer(const char *zUrl, const char *zCa,
                           struct buf *aBody, int n, int bDownload)
{
  int64_t got = 0;
  CURL *c = curl_easy_init();
  if (c == NULL)
    return -1;
  curl_easy_setopt(c, CURLOPT_URL, zUrl);
  curl_easy_setopt(c, CURLOPT_CAINFO, zCa);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  struct curl_slist *h = curl_slist_append(NULL, "Expect:");
  h = curl_slist_append(h, "Content-Type: application/octet-stream");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  int64_t t0 = bench_ns();
  int ok = 1;
  for (int i = 0; i < n && ok; i++) {
    if (bDownload) {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)aBody[i].n);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, aBody[i].z);
    }
    ok = curl_easy_perform(c) == CURLE_OK;
  }
  double secs = (double)(bench_ns() - t0) / 1e9;
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  return ok ? secs : -1;
}

/* A plain insert of the records in the recorded push bodies or feed pages
 * into a bare table, one transaction per body: what storing them costs
 * with nothing else done. Returns the seconds taken, or -1. */
static double raw_insert(const char *zPath, const struct recorder *r,
                         int bPages)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_db *db = NULL;
  sqlite3_stmt *q = NULL;
  double secs = -1;
  if (db_open(&db, zPath, DB_CREATE, &err) != 0 ||
      db_exec(db, "CREATE TABLE record(entity TEXT NOT NULL, id TEXT NOT "
              "NULL, office TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY "
              "KEY (entity, id)) STRICT, WITHOUT ROWID",
              &err) != 0)
    goto done;
  int64_t t0 = bench_ns();
  for (int b = 0; b < r->n; b++) {
    json_t *j = json_loadb(r->az[b], r->an[b], 0, NULL), *x;
    json_t *list = json_object_get(j, bPages ? "items" : "m");
    size_t i;
    if (db_begin(db, &err) != 0 ||
        db_prepare(db, &q, "INSERT INTO record VALUES (:e, :i, :o, :f)",
                   &err) != 0) {
      json_decref(j);
      goto done;
    }
    json_array_foreach(list, i, x)
    {
      json_t *p = bPages ? json_object_get(x, "p") : x;
      char *zF = json_dumps(json_object_get(p, bPages ? "fields" : "f"),
                            JSON_COMPACT | JSON_PRESERVE_ORDER);
      db_bind_text(q, ":e", json_string_value(json_object_get(
                                p, bPages ? "entity" : "e")));
      db_bind_text(q, ":i", json_string_value(json_object_get(
                                p, bPages ? "id" : "i")));
      db_bind_text(q, ":o", "KH12");
      db_bind_text(q, ":f", zF ? zF : "{}");
      free(zF);
      if (db_step(db, q, &err) < 0)
        break;
    }
    db_done(db, q);
    q = NULL;
    json_decref(j);
    if (db_commit(db, &err) != 0)
      goto done;
  }
  secs = (double)(bench_ns() - t0) / 1e9;
done:
  if (secs < 0)
    fprintf(stderr, "bench sync: raw insert: %s\n", err.msg);
  db_close(db);
  return secs;
}

/* The same rows as raw_insert, with PostgreSQL's COPY into a bare table
 * of the registry's database (one transaction per batch, as a push):
 * what storing them costs there with nothing else done. Returns the
 * seconds taken, or -1. */
static double raw_copy(const char *zUrl, const struct recorder *r)
{
  PGconn *conn = PQconnectdb(zUrl);
  PGresult *res = NULL;
  double secs = -1;
  struct buf row = BUF_INIT;
  if (PQstatus(conn) != CONNECTION_OK)
    goto done;
  res = PQexec(conn, "CREATE TABLE bench_raw(entity text NOT NULL, id uuid "
                     "NOT NULL, office text NOT NULL, fields text NOT NULL, "
                     "PRIMARY KEY (entity, id))");
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    goto done;
  PQclear(res);
  res = NULL;
  int64_t t0 = bench_ns();
  for (int b = 0; b < r->n; b++) {
    json_t *j = json_loadb(r->az[b], r->an[b], 0, NULL), *x;
    size_t i;
    PQclear(PQexec(conn, "BEGIN"));
    res = PQexec(conn, "COPY bench_raw FROM STDIN");
    if (PQresultStatus(res) != PGRES_COPY_IN) {
      json_decref(j);
      goto done;
    }
    PQclear(res);
    res = NULL;
    json_array_foreach(json_object_get(j, "m"), i, x)
    {
      char *zF = json_dumps(json_object_get(x, "f"),
                            JSON_COMPACT | JSON_PRESERVE_ORDER);
      buf_reset(&row);
      buf_appendf(&row, "%s\t%s\tKH12\t",
                  json_string_value(json_object_get(x, "e")),
                  json_string_value(json_object_get(x, "i")));
      /* COPY's text format: a backslash is written twice (compact JSON
       * has no raw tab or line break) */
      for (const char *z = zF ? zF : "{}"; *z; z++) {
        if (*z == '\\')
          buf_append(&row, "\\", 1);
        buf_append(&row, z, 1);
      }
      buf_append(&row, "\n", 1);
      free(zF);
      if (PQputCopyData(conn, row.z, (int)row.n) != 1)
        break;
    }
    json_decref(j);
    if (PQputCopyEnd(conn, NULL) != 1)
      goto done;
    res = PQgetResult(conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
      goto done;
    PQclear(res);
    res = NULL;
    PQclear(PQexec(conn, "COMMIT"));
  }
  secs = (double)(bench_ns() - t0) / 1e9;
done:
  if (secs < 0)
    fprintf(stderr, "bench sync: raw COPY: %s\n", PQerrorMessage(conn));
  PQclear(res);
  PQfinish(conn);
  buf_release(&row);
  return secs;
}

/* ---- set-up ---- */

/* Names from small lists, combined so that a name is shared by about as
 * many people as in a district's real lists (a few hundred per common
 * combination), not by everyone. */
static const char *const GIVEN[] = {
    "Dara",   "Sophea",  "Vichet",  "Bopha",  "Samnang", "Chanthy",
    "Rithy",  "Maly",    "Piseth",  "Sreymom", "Kosal",  "Leakhena",
    "Sokha",  "Ratana",  "Vanna",   "Chantha", "Sophal", "Theary",
    "Panha",  "Sokunthea", "Vuthy", "Sreypov", "Sovann", "Chanra",
    "Theara", "Sokly",   "Mara",    "Veasna", "Sambath", "Pisey",
    "Rottanak", "Sreyleak", "Sopheak", "Dalin", "Chamroeun", "Kanha"};
static const char *const FAMILY[] = {
    "Sok", "Chan", "Kim", "Ly",   "Sun",  "Heng", "Chhim", "Mom",
    "Keo", "Tep",  "Yin", "Sim",  "Bun",  "Hun",  "Nop",   "Pich",
    "Srey", "Um",  "Long", "Chea", "Meas", "Prom", "Sao",  "Uong"};

/* N households of 4 members as an import file (head, spouse, 2 children;
 * national IDs and phones on the heads). */
void bench_households_csv(struct buf *out, int n)
{
  static const char *const REL[] = {"head", "spouse", "child", "child"};
  uint64_t r = 0x9E3779B97F4A7C15ull;
  buf_puts(out, "household_key,name,sex,born,relationship,area,national_id,"
                "phone\n");
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < 4; k++) {
      r ^= r << 13, r ^= r >> 7, r ^= r << 17; /* xorshift64 */
      const char *zFam = FAMILY[r % 24];
      const char *zGiven = GIVEN[(r >> 8) % 36];
      buf_appendf(out, "B-%06d,%s %s,%c,%d,%s,1701010%d,", i, zFam, zGiven,
                  k == 0 || k == 2 ? 'M' : 'F',
                  k < 2 ? 1950 + (int)((r >> 16) % 45)
                        : 2000 + (int)((r >> 24) % 20),
                  REL[k], 1 + i % 2);
      if (k == 0)
        buf_appendf(out, "N%08d,0%08d\n", i, 12000000 + i);
      else
        buf_puts(out, ",\n");
    }
  }
}

int bench_office_new(struct sws_ctx **out, const char *zPath, const char *zCode,
                     char *zPk, struct sws_err *err)
{
  struct area_load_report rep;
  struct office_info o;
  int rc;
  if ((rc = cases_open(out, zPath, CASES_CREATE, err)) != 0 ||
      (rc = cases_office_init(*out, zCode, "Bench office", err)) != 0 ||
      (rc = cases_area_load_default(*out, &rep, err)) != 0)
    return rc;
  buf_release(&rep.errors);
  cases_set_actor(*out, "bench");
  if ((rc = cases_office_get(*out, &o, err)) != 0)
    return rc;
  sws_b64url(zPk, o.pk, sizeof o.pk);
  return SWS_OK;
}

static void progress(void *arg, const char *zPhase, int64_t done,
                     int64_t total)
{
  (void)arg;
  if (isatty(2))
    fprintf(stderr, "\r%s %lld/%lld   ", zPhase, (long long)done,
            (long long)total);
}

/* One session through the counter; the figures it prints. */
static int session(struct sws_ctx *ctx, const char *zUrl, const char *zCa,
                   struct recorder *rec, int bPull, double *pSecs,
                   struct sync_report *rep, struct sws_err *err)
{
  struct https_transport *h = NULL;
  struct sync_opts so;
  int rc;
  memset(&so, 0, sizeof so);
  so.bPushOnly = !bPull;
  so.bPullOnly = bPull;
  so.progress = progress;
  if (getenv("BENCH_BATCH"))
    so.nBatchBytes = (size_t)strtoull(getenv("BENCH_BATCH"), NULL, 10);
  if ((rc = sync_https_open(&h, ctx, zUrl, zCa, NULL, err)) != 0)
    return rc;
  sync_https_transport(h, &rec->inner);
  struct sync_transport t = {rec_request, rec_offset, rec};
  int64_t t0 = bench_ns();
  rc = sync_run(ctx, &t, &so, rep, err);
  *pSecs = (double)(bench_ns() - t0) / 1e9;
  sync_https_close(h); /* closes the connection: the counter logs it */
  if (isatty(2))
    fprintf(stderr, "\r%40s\r", "");
  return rc;
}

static void report(const char *zWhat, int n, double secs, int64_t up,
                   int64_t down, const struct recorder *rec, double rawSql,
                   double rawNet, const char *zStore)
{
  int64_t json = 0;
  for (int i = 0; i < rec->n; i++)
    json += (int64_t)rec->an[i];
  printf("%s: %d households (%d members) in %.2f s: %.0f households/s\n",
         zWhat, n, 4 * n, secs, n / secs);
  if (up >= 0)
    printf("  on the wire: %lld bytes up, %lld down: %.0f bytes per "
           "household (target <= 250); JSON before gzip %.0f bytes per "
           "household, %d %s\n",
           (long long)up, (long long)down, (double)(up + down) / n,
           (double)json / n, rec->n,
           strcmp(zWhat, "push") == 0 ? "batches" : "pages");
  else
    printf("  on the wire: not counted (build/faultproxy missing: make "
           "tools)\n");
  if (rawSql > 0 && rawNet > 0)
    printf("  raw limit: plain %s %.2f s + plain libcurl %s of "
           "the same bytes %.2f s = %.2f s; ratio raw/ours %.2f\n",
           zStore, rawSql, strcmp(zWhat, "push") == 0 ? "upload" : "download",
           rawNet, rawSql + rawNet, (rawSql + rawNet) / secs);
}

/* The second office's feed gets every record the first pushed, as a
 * registry sends the survivor of a merge. */
struct feed_fill {
  struct central *c;
  struct sws_err *err;
  int rc;
};

static int feed_one(const char *zId, const char *zFields, const char *zOwner,
                    void *arg)
{
  struct feed_fill *ff = arg;
  json_t *f = json_loads(zFields, 0, NULL);
  /* the entity: a member has a household */
  const char *zEntity = json_object_get(f, "household_id") ? "member"
                                                           : "household";
  json_t *item = json_pack("{s:s, s:s, s:s, s:o}", "entity", zEntity, "id",
                           zId, "owner", zOwner, "fields", f);
  char *z = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER);
  ff->rc = ff->c->s->ops->feed_append(ff->c->s, "KH13", "record", z,
                                      ff->err);
  free(z);
  json_decref(item);
  return ff->rc != 0;
}

/* The options of one run, on one store. */
struct run {
  const char *zDir;
  const struct bench_tls *tls;
  const struct buf *csv;
  int64_t n;
  int rounds;
  const char *zPg; /* NULL: SQLite */
  const char *zTag; /* file names and output: "SQLite", "PostgreSQL" */
};

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *a, int n)
{
  qsort(a, (size_t)n, sizeof *a, cmp_double);
  return n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

/* A copy of office database ctx into zPath (sqlite's backup). */
static int office_copy(struct sws_ctx *ctx, const char *zPath)
{
  sqlite3 *to = NULL;
  int rc = sqlite3_open(zPath, &to);
  sqlite3_backup *bk =
      rc == SQLITE_OK ? sqlite3_backup_init(to, "main", ctx->db->h, "main")
                      : NULL;
  if (bk) {
    rc = sqlite3_backup_step(bk, -1) == SQLITE_DONE ? 0 : 1;
    sqlite3_backup_finish(bk);
  } else {
    rc = 1;
  }
  sqlite3_close(to);
  return rc;
}

/*
 * Round r (2, 3, ...) of the push: the office as it was before the first
 * push (zOffice, a copy) pushes to a fresh registry on the same store, and
 * the raw insert (SQLite) or COPY (PostgreSQL) of the same bodies is
 * measured after it. The registry's contents are checked.
 */
static int push_round(const struct run *ru, int r, const char *zOffice,
                      const char *zPk, const struct httpd_config *cfg,
                      double *pSecs, double *pRaw, struct sws_err *err)
{
  struct sws_ctx *a = NULL;
  struct central *c = NULL;
  struct httpd *srv = NULL;
  struct recorder rec;
  struct sync_report rep;
  struct central_stats st;
  char zPath[600], zStore[1200], zName[64] = "";
  int rc = 1;
  memset(&rec, 0, sizeof rec);
  snprintf(zPath, sizeof zPath, "%s/%s-office-r%d.db", ru->zDir, ru->zTag, r);
  if (cases_open(&a, zOffice, 0, err) != 0 || office_copy(a, zPath) != 0)
    goto done;
  cases_close(a);
  a = NULL;
  if (cases_open(&a, zPath, 0, err) != 0)
    goto done;
  if (ru->zPg) {
    snprintf(zName, sizeof zName, "sws_bench_r%d_%d", r, (int)getpid());
    if (bench_pg_database(ru->zPg, zName, zStore, sizeof zStore) != 0)
      goto done;
  } else {
    snprintf(zStore, sizeof zStore, "%s/%s-central-r%d.db", ru->zDir,
             ru->zTag, r);
  }
  if (central_open(&c, zStore, 1, "Bench registry", err) != 0 ||
      central_office_add(c, "KH12", "Bench office A", zPk, NULL, 1, err) !=
          0 ||
      httpd_start(&srv, cfg, central_http_handler, c, err) != 0)
    goto done;
  if (session(a, httpd_url(srv), ru->tls->zCa, &rec, 0, pSecs, &rep, err) !=
          0 ||
      c->s->ops->stats(c->s, &st, err) != 0)
    goto done;
  if (st.nHouseholds != ru->n || st.nMembers != 4 * ru->n)
    printf("push round %d: WRONG: the registry holds %lld households and "
           "%lld members\n",
           r, (long long)st.nHouseholds, (long long)st.nMembers);
  if (ru->zPg) {
    *pRaw = raw_copy(zStore, &rec);
  } else {
    snprintf(zPath, sizeof zPath, "%s/%s-raw-push-r%d.db", ru->zDir,
             ru->zTag, r);
    *pRaw = raw_insert(zPath, &rec, 0);
  }
  rc = *pRaw > 0 ? 0 : 1;
done:
  httpd_stop(srv);
  central_close(c);
  cases_close(a);
  rec_release(&rec);
  if (zName[0])
    bench_pg_drop_database(ru->zPg, zName);
  return rc;
}

static int run_store(const struct run *ru);

/* One store for bench_each_store: NULL is SQLite. */
static int each_store(void *arg, const char *zPg)
{
  struct run *ru = arg;
  ru->zPg = zPg;
  ru->zTag = zPg ? "pg" : "sqlite";
  return run_store(ru);
}

int bench_sync(int argc, char **argv)
{
  static const struct option opts[] = {
      {"households", required_argument, 0, 'n'},
      {"rounds", required_argument, 0, 'r'},
      {"dir", required_argument, 0, 'd'},
      {"keep", no_argument, 0, 'k'},
      {"pg", required_argument, 0, 'p'},
      {"no-pg", no_argument, 0, 'N'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  static const char zUsage[] =
      "usage: bench_sws sync [--households N] [--rounds R] [--pg URL | "
      "--no-pg]\n"
      "                      [--dir DIR] [--keep]\n"
      "  --households N  households of 4 members to push and pull "
      "(default 20000)\n"
      "  --rounds R      pushes measured, each to a fresh registry, and as "
      "many raw\n"
      "                  limits: medians reported (default 3)\n"
      "  --pg URL        PostgreSQL only, in this empty database (default: "
      "SQLite,\n"
      "                  then PostgreSQL in a throwaway cluster made with\n"
      "                  tests/pg-cluster.sh)\n"
      "  --no-pg         SQLite only\n"
      "  --dir DIR       where the databases go (default a new directory "
      "in /tmp)\n"
      "  --keep          leave the databases there\n";
  struct sws_err err = SWS_ERR_INIT;
  struct buf csv;
  char zDir[256] = "";
  int64_t n = 20000, rounds = 3;
  const char *zPg = NULL;
  int o, bKeep = 0, bNoPg = 0, status = 1;
  optind = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'n':
      if (sws_parse_int64("--households", optarg, 10, 1000000, &n, &err)) {
        fprintf(stderr, "bench sync: %s\n", err.msg);
        return 1;
      }
      break;
    case 'r':
      if (sws_parse_int64("--rounds", optarg, 1, 9, &rounds, &err)) {
        fprintf(stderr, "bench sync: %s\n", err.msg);
        return 1;
      }
      break;
    case 'd': sws_strlcpy(zDir, optarg, sizeof zDir); break;
    case 'k': bKeep = 1; break;
    case 'p': zPg = optarg; break;
    case 'N': bNoPg = 1; break;
    case 'h': fputs(zUsage, stdout); return 0;
    default: fputs(zUsage, stderr); return 2;
    }
  }
  if (bench_dir("sync", zDir, sizeof zDir) != 0)
    return 1;
  struct bench_tls tls;
  buf_init(&csv, (size_t)1 << 30);
  bench_households_csv(&csv, (int)n);
  if (bench_tls("sync", zDir, &tls) == 0) {
    struct run ru = {zDir, &tls, &csv, n, (int)rounds, NULL, "sqlite"};
    status = bench_each_store("sync", zPg, bNoPg, each_store, &ru);
  }
  buf_release(&csv);
  if (!bKeep)
    bench_dir_remove("sync", zDir);
  else if (zDir[0])
    fprintf(stderr, "bench sync: files kept in %s\n", zDir);
  return status;
}

/* The push (rounds of it) and the pull on one store. */
static int run_store(const struct run *ru)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_ctx *a = NULL, *b = NULL;
  struct central *c = NULL;
  struct httpd *srv = NULL, *sinkSrv = NULL;
  struct recorder recPush, recPull;
  struct bench_proxy k;
  struct sink sk = {NULL, 0};
  struct buf *aGz = NULL;
  char zPath[512], zOffice0[600];
  char zPkA[64], zPkB[64], zUrl[128];
  const char *zDir = ru->zDir, *zPg = ru->zPg;
  int64_t n = ru->n, up, down;
  int status = 1;
  double aOurs[9], aRaw[9];
  memset(&recPush, 0, sizeof recPush);
  memset(&recPull, 0, sizeof recPull);
  recPull.bAnswers = 1;
  const char *zCert = ru->tls->zCert, *zKey = ru->tls->zKey,
             *zCa = ru->tls->zCa;

  /* the office with its households (set-up, not measured) */
  fprintf(stderr, "bench sync: %lld households of 4 members into an office "
          "(set-up)...\n", (long long)n);
  snprintf(zPath, sizeof zPath, "%s/%s-a.db", zDir, ru->zTag);
  if (bench_office_new(&a, zPath, "KH12", zPkA, &err) != 0)
    goto fail;
  struct import_opts io = {0, "bench", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report ir;
  if (cases_import_csv(a, ru->csv->z, ru->csv->n, &io, &ir, &err) != 0)
    goto fail;
  if (ir.nHouseholds != n)
    fprintf(stderr, "bench sync: only %lld of %lld households imported\n",
            (long long)ir.nHouseholds, (long long)n);
  cases_import_report_release(&ir);
  snprintf(zPath, sizeof zPath, "%s/%s-b.db", zDir, ru->zTag);
  if (bench_office_new(&b, zPath, "KH13", zPkB, &err) != 0)
    goto fail;

  /* the registry, served over HTTPS in this process */
  if (zPg)
    sws_strlcpy(zPath, zPg, sizeof zPath);
  else
    snprintf(zPath, sizeof zPath, "%s/%s-central.db", zDir, ru->zTag);
  if (central_open(&c, zPath, 1, "Bench registry", &err) != 0 ||
      central_office_add(c, "KH12", "Bench office A", zPkA, NULL, 1,
                         &err) != 0 ||
      central_office_add(c, "KH13", "Bench office B", zPkB, NULL, 1,
                         &err) != 0)
    goto fail;
  struct httpd_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zListen = "127.0.0.1:0";
  cfg.zCertFile = zCert;
  cfg.zKeyFile = zKey;
  cfg.nMaxBody = (size_t)2 << 20;
  cfg.nMaxInflated = (size_t)9 << 20;
  cfg.maxConnections = 16;
  if (httpd_start(&srv, &cfg, central_http_handler, c, &err) != 0)
    goto fail;

  /* push: round 1 through the byte counter, the office kept as it was
   * for the rounds after it */
  snprintf(zOffice0, sizeof zOffice0, "%s/%s-a0.db", zDir, ru->zTag);
  if (office_copy(a, zOffice0) != 0) {
    sws_err_set(&err, SWS_EIO, "cannot copy the office to %s", zOffice0);
    goto fail;
  }
  struct sync_report rep;
  double secs;
  int bCount = bench_proxy_start(&k, zDir, httpd_port(srv), NULL) == 0;
  if (bCount)
    snprintf(zUrl, sizeof zUrl, "https://127.0.0.1:%d", k.port);
  else
    sws_strlcpy(zUrl, httpd_url(srv), sizeof zUrl);
  fprintf(stderr, "bench sync: push...\n");
  if (session(a, zUrl, zCa, &recPush, 0, &secs, &rep, &err) != 0)
    goto fail;
  up = down = -1;
  if (bCount)
    bench_proxy_stop(&k, &up, &down);
  struct central_stats st;
  if (c->s->ops->stats(c->s, &st, &err) != 0)
    goto fail;
  if (st.nHouseholds != n || st.nMembers != 4 * n)
    printf("push: WRONG: the registry holds %lld households and %lld "
           "members\n",
           (long long)st.nHouseholds, (long long)st.nMembers);

  /* the raw limit of the same bytes: a plain insert, a plain upload */
  struct httpd_config sc = cfg;
  if (httpd_start(&sinkSrv, &sc, sink_handler, &sk, &err) != 0)
    goto fail;
  aGz = sws_calloc((size_t)recPush.n + 1, sizeof *aGz);
  for (int i = 0; i < recPush.n; i++) {
    buf_init(&aGz[i], (size_t)16 << 20);
    if (http_gzip(&aGz[i], recPush.az[i], recPush.an[i], &err) != 0)
      goto fail;
  }
  snprintf(zPath, sizeof zPath, "%s/%s-raw-push.db", zDir, ru->zTag);
  double rawSql = zPg ? raw_copy(zPg, &recPush) : raw_insert(zPath, &recPush,
                                                              0);
  snprintf(zUrl, sizeof zUrl, "%s/sink", httpd_url(sinkSrv));
  double rawNet = raw_transfer(zUrl, zCa, aGz, recPush.n, 0);
  report("push", (int)n, secs, up, down, &recPush, rawSql, rawNet,
         zPg ? "PostgreSQL COPY" : "SQLite insert");
  /* more rounds, each to a fresh registry: a neighbour on a shared
   * machine moves a single figure by a third */
  aOurs[0] = secs;
  aRaw[0] = rawSql + rawNet;
  for (int r = 2; r <= ru->rounds; r++) {
    double s2 = 0, raw2 = 0;
    fprintf(stderr, "bench sync: push, round %d of %d...\n", r,
            ru->rounds);
    if (push_round(ru, r, zOffice0, zPkA, &cfg, &s2, &raw2, &err) != 0)
      goto fail;
    aOurs[r - 1] = s2;
    aRaw[r - 1] = raw2 + rawNet;
  }
  if (ru->rounds > 1) {
    printf("  %d rounds, each to a fresh registry (ours, raw limit, "
           "ratio):",
           ru->rounds);
    for (int r = 0; r < ru->rounds; r++)
      printf("%s %.2f s, %.2f s, %.2f", r ? ";" : "", aOurs[r], aRaw[r],
             aRaw[r] / aOurs[r]);
    /* each round's ratio pairs ours with a baseline measured moments
     * later, under the same neighbours: their median is the figure */
    double aRatio[9];
    for (int r = 0; r < ru->rounds; r++)
      aRatio[r] = aRaw[r] / aOurs[r];
    double mo = median(aOurs, ru->rounds), mr = median(aRaw, ru->rounds);
    printf("\n  median of %d rounds: push %.2f s (%.0f households/s), raw "
           "limit %.2f s; ratio raw/ours %.2f (target >= 0.3)\n",
           ru->rounds, mo, (double)n / mo, mr,
           median(aRatio, ru->rounds));
  }
  {
    /* the cross-office duplicate check, which left the push: its own
     * figure, against the same raw insert */
    struct central_dedup_report dr;
    int64_t t0 = bench_ns();
    if (central_dedup(c, 0, &dr, &err) != 0)
      goto fail;
    double dsecs = (double)(bench_ns() - t0) / 1e9;
    printf("duplicate job (after the push, off its path): %d people in "
           "%.2f s: %.0f people/s, %d possible duplicates; push + job "
           "%.2f s, ratio raw/(push + job) %.2f\n",
           dr.nPeople, dsecs, dsecs > 0 ? dr.nPeople / dsecs : 0.0,
           dr.nPairs, secs + dsecs, (rawSql + rawNet) / (secs + dsecs));
  }

  /* pull: the same households in the second office's feed, as a re-seed
   * of an office would put them there */
  fprintf(stderr, "bench sync: filling the second office's feed...\n");
  {
    struct feed_fill ff = {c, &err, 0};
    if (c->s->ops->begin(c->s, &err) != 0)
      goto fail;
    if (c->s->ops->record_each(c->s, "household", NULL, feed_one, &ff,
                               &err) != 0 ||
        ff.rc != 0 ||
        c->s->ops->record_each(c->s, "member", NULL, feed_one, &ff,
                               &err) != 0 ||
        ff.rc != 0 || c->s->ops->commit(c->s, &err) != 0) {
      c->s->ops->rollback(c->s);
      goto fail;
    }
  }
  bCount = bench_proxy_start(&k, zDir, httpd_port(srv), NULL) == 0;
  if (bCount)
    snprintf(zUrl, sizeof zUrl, "https://127.0.0.1:%d", k.port);
  else
    sws_strlcpy(zUrl, httpd_url(srv), sizeof zUrl);
  fprintf(stderr, "bench sync: pull...\n");
  if (session(b, zUrl, zCa, &recPull, 1, &secs, &rep, &err) != 0)
    goto fail;
  up = down = -1;
  if (bCount)
    bench_proxy_stop(&k, &up, &down);
  int64_t nh = 0, nm = 0;
  db_int64(b->db, &nh, 0, "SELECT count(*) FROM household", &err);
  db_int64(b->db, &nm, 0, "SELECT count(*) FROM member", &err);
  if (nh != n || nm != 4 * n)
    printf("pull: WRONG: the office holds %lld households and %lld "
           "members\n",
           (long long)nh, (long long)nm);
  sk.pages = &recPull;
  snprintf(zPath, sizeof zPath, "%s/%s-raw-pull.db", zDir, ru->zTag);
  rawSql = raw_insert(zPath, &recPull, 1);
  snprintf(zUrl, sizeof zUrl, "%s/feed", httpd_url(sinkSrv));
  rawNet = raw_transfer(zUrl, zCa, NULL, recPull.n, 1);
  report("pull", (int)n, secs, up, down, &recPull, rawSql, rawNet,
         "SQLite insert");
  status = 0;
  goto done;
fail:
  fprintf(stderr, "bench sync: %s\n", err.msg);
done:
  httpd_stop(sinkSrv);
  httpd_stop(srv);
  if (aGz)
    for (int i = 0; i < recPush.n; i++)
      buf_release(&aGz[i]);
  free(aGz);
  rec_release(&recPush);
  rec_release(&recPull);
  central_close(c);
  cases_close(a);
  cases_close(b);
  return status;
}
