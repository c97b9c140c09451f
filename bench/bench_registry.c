/*
 * bench_registry.c - the office registry at the size of a province:
 *
 *   bench_sws registry [--members N] [--import N] [--dir DIR] [--keep]
 *                      [--no-direct] [--db FILE] [--exec SQL]
 *
 * Builds a fresh office database on disk with the real code paths (WAL,
 * synchronous=FULL, the schema's audit, outbox and index triggers) holding
 * about N (default 1,000,000) made-up people from demo_households_csv().
 * Most of them are written straight to the tables (checking every one for
 * duplicates against a growing registry would take hours); the last
 * --import N (default 100,000) go through cases_import_csv() into that
 * registry, as a district's legacy list would. Then measures, each against
 * a baseline run in the same process on the same disk:
 *
 *   import    households/s and members/s; a plain SQLite insert of the same
 *             rows into a bare table (ratio = plain time / our time, target
 *             >= 0.5); and the rate of the straight writes to the sws
 *             tables (no checks, no duplicate search: what storage alone
 *             costs)
 *   search    cases_search() for ~1000 names taken from the data (full
 *             names, given names, Latin readings of Khmer and Cyrillic
 *             names, word beginnings): p50/p95/p99 (target p95 <= 5 ms);
 *             then the full and the given names with the birth year after
 *             them ("sok dara 1975"), apart from that figure
 *   lookup    cases_household_resolve() + cases_household_get() for ~1000
 *             registration numbers: p50/p95
 *   register  cases_household_create() with the duplicate check for ~300
 *             new households (forced, so possible duplicates still save):
 *             p50/p95 (target p95 <= 15 ms), interleaved with one INSERT +
 *             COMMIT into a bare table (the disk's fsync cost)
 *
 * Figures go to stdout, progress to stderr when it is a terminal. Never fails
 * on a figure; returns 1 only when the benchmark itself cannot run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/household.h"
#include "cases/import.h"
#include "cases/maintain.h"
#include "cases/name.h"
#include "cases/office.h"
#include "cases/search.h"
#include "cases/user.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/db.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/demo.h"

#define CSV_MAX ((size_t)1 << 30)
#define SAMPLE_HOUSEHOLDS 4000 /* to learn members per household */
#define FORCE_REASON "benchmark: registered despite possible duplicates"

/* The columns of demo_households_csv(), in its order. */
enum { F_KEY, F_NAME, F_SEX, F_BORN, F_REL, F_AREA, F_NID, F_PHONE, F_DIS,
       F_COUNT };
static const char DEMO_HEADER[] = "household_key,name,sex,born,relationship,"
                                  "area,national_id,phone,disability";

/* Kinds of name query, in the order they are dealt out. */
enum { Q_FULL, Q_GIVEN, Q_LATIN, Q_PARTIAL, Q_KINDS };
static const char *const KIND_NAMES[Q_KINDS] = {
    "full names", "given names", "Latin readings", "word beginnings"};

struct opts {
  int64_t nMembers;
  int64_t nImport; /* members imported; the others written straight */
  int nQueries, nLookups, nRegs;
  const char *zBase; /* where the temporary directory goes */
  int bKeep;         /* leave the databases behind */
  int bDirect;       /* run the sws-tables baseline */
  const char *zExec; /* SQL run on each new office database, or NULL */
  const char *zDb;   /* measure on this existing database, or NULL */
  int bHelp;         /* --help: the usage is printed, nothing to run */
};

static int g_shown; /* a progress line is on the terminal */

/* Progress on stderr, only on a terminal. */
static void progress(const char *zWhat, int64_t done, int64_t total)
{
  if (!isatty(STDERR_FILENO))
    return;
  fprintf(stderr, "\r%s: %lld of %lld (%d%%)   ", zWhat, (long long)done,
          (long long)total, total ? (int)(100 * done / total) : 100);
  fflush(stderr);
  g_shown = 1;
}

static void progress_end(void)
{
  if (g_shown)
    fputc('\n', stderr);
  g_shown = 0;
}

static void import_progress(int64_t done, int64_t total, void *arg)
{
  (void)arg;
  progress("import", done, total);
}

static double ms(double ns)
{
  return ns / 1e6;
}

static double secs(int64_t ns)
{
  return (double)ns / 1e9;
}

/* xorshift64*: the same picks in every run. */
static uint64_t rnd(uint64_t *s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ull;
}

/* Size of a database with its WAL, in bytes. */
static int64_t db_size(const char *zPath)
{
  struct stat st;
  int64_t n = 0;
  char z[4096];
  if (stat(zPath, &st) == 0)
    n += st.st_size;
  snprintf(z, sizeof z, "%s-wal", zPath);
  if (stat(z, &st) == 0)
    n += st.st_size;
  return n;
}

/* Remove a database and its WAL and shared-memory files. */
static void db_remove(const char *zPath)
{
  static const char *const SUFFIX[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof SUFFIX / sizeof SUFFIX[0]; i++) {
    char z[4096];
    snprintf(z, sizeof z, "%s%s", zPath, SUFFIX[i]);
    unlink(z);
  }
}

/* A new office database at zPath: office, areas, a front-desk user. */
static int office_create(struct sws_ctx **out, const char *zPath,
                         int bUser, const char *zExec, struct sws_err *err)
{
  struct sws_ctx *ctx = NULL;
  struct area_load_report rep;
  int rc;
  memset(&rep, 0, sizeof rep);
  *out = NULL;
  if ((rc = cases_open(&ctx, zPath, CASES_CREATE, err)) != 0 ||
      (rc = cases_office_init(ctx, "KH12", "Benchmark office", err)) != 0 ||
      (rc = cases_area_load_default(ctx, &rep, err)) != 0)
    goto done;
  if (bUser && (rc = cases_user_add(ctx, "desk", ROLE_FRONT_DESK,
                                    "Front desk", "correct horse battery "
                                    "staple", err)) != 0)
    goto done;
  cases_set_actor(ctx, "desk");
  /* an experiment: what a schema change would do to these figures */
  if (zExec && (rc = db_exec(ctx->db, zExec, err)) != 0)
    goto done;
  *out = ctx;
  ctx = NULL;
done:
  buf_release(&rep.errors);
  cases_close(ctx);
  return rc;
}

/* Read the header of a demo CSV; SWS_EINVAL if it is not the one known. */
static int read_header(struct csv_reader *r, struct sws_err *err)
{
  struct csv_row row;
  struct buf b = BUF_INIT;
  int rc = csv_next(r, &row, err);
  if (rc <= 0)
    return rc == 0 ? sws_err_set(err, SWS_EINVAL, "the demo CSV is empty")
                   : rc;
  for (int i = 0; i < row.n; i++)
    buf_appendf(&b, "%s%s", i ? "," : "", row.az[i]);
  rc = strcmp(buf_str(&b), DEMO_HEADER) == 0
           ? SWS_OK
           : sws_err_set(err, SWS_EINVAL, "the demo CSV has the columns "
                         "'%.120s'; the benchmark knows '%s'", buf_str(&b),
                         DEMO_HEADER);
  buf_release(&b);
  return rc;
}

/* Number of data rows of a CSV whose fields hold no newlines. */
static int64_t csv_rows(const struct buf *b)
{
  int64_t n = 0;
  for (size_t i = 0; i < b->n; i++)
    n += b->z[i] == '\n';
  return n > 0 ? n - 1 : 0;
}

/*
 * The first baseline: parse the same CSV and insert every row into a bare
 * table with the same columns, one transaction, one prepared statement.
 */
static int plain_insert(const char *zPath, const struct buf *csv,
                        int64_t *pnRows, struct sws_err *err)
{
  static const char *const PARAM[F_COUNT] = {
      ":household_key", ":name",  ":sex",   ":born",      ":relationship",
      ":area",          ":national_id", ":phone", ":disability"};
  struct sws_db *db = NULL;
  struct csv_reader r;
  struct csv_row row;
  sqlite3_stmt *q = NULL;
  int rc, k;
  *pnRows = 0;
  csv_init(&r, csv->z, csv->n);
  if ((rc = db_open(&db, zPath, DB_CREATE, err)) != 0 ||
      (rc = db_exec(db, "CREATE TABLE person(household_key TEXT, name TEXT, "
                    "sex TEXT, born TEXT, relationship TEXT, area TEXT, "
                    "national_id TEXT, phone TEXT, disability TEXT)",
                    err)) != 0 ||
      (rc = read_header(&r, err)) != 0 || (rc = db_begin(db, err)) != 0)
    goto done;
  if ((rc = db_prepare(db, &q, "INSERT INTO person VALUES (:household_key, "
                       ":name, :sex, :born, :relationship, :area, "
                       ":national_id, :phone, :disability)",
                       err)) != 0) {
    db_rollback(db);
    goto done;
  }
  while ((k = csv_next(&r, &row, err)) > 0) {
    for (int i = 0; i < F_COUNT; i++)
      db_bind_text(q, PARAM[i], i < row.n ? row.az[i] : NULL);
    if ((rc = db_step(db, q, err)) < 0)
      break;
    sqlite3_reset(q);
    ++*pnRows;
  }
  db_done(db, q);
  if (k < 0 && rc >= 0)
    rc = k;
  if (rc < 0) {
    db_rollback(db);
    goto done;
  }
  rc = db_commit(db, err);
done:
  csv_release(&r);
  db_close(db);
  return rc;
}

/* Write one household's rows (aRow[0..n)) straight into the sws tables,
 * with the next registration number of the office's counter. */
static int direct_household(struct sws_ctx *ctx, const char *zDevice,
                            char (*aRow)[F_COUNT][256], int n,
                            struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1], zRegno[SWS_NUMBER_MAX];
  sqlite3_stmt *q;
  int64_t seq;
  int rc;
  do {
    if ((rc = cases_counter_next(ctx, "regno", &seq, err)) != 0)
      return rc;
  } while (!sws_number_issuable(zDevice, seq));
  sws_uuid7(zId);
  sws_number_format(zRegno, sizeof zRegno, zDevice, seq);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO household(id, regno, area_code, phone, "
                       "import_key, created_at, created_by, updated_at) "
                       "VALUES (:id, :regno, :area, :phone, :key, sws_now(), "
                       "sws_actor(), sws_now())",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":regno", zRegno);
  db_bind_text(q, ":area", aRow[0][F_AREA]);
  db_bind_text(q, ":phone", aRow[0][F_PHONE]);
  db_bind_text(q, ":key", aRow[0][F_KEY]);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO member(id, household_id, line_no, name, "
                       "sex, born, relationship, national_id, phone, "
                       "disability, created_at, updated_at) VALUES (:id, "
                       ":hh, :line, :name, :sex, :born, :rel, :nid, :phone, "
                       ":dis, sws_now(), sws_now())",
                       err)) != 0)
    return rc;
  for (int i = 0; i < n && rc >= 0; i++) {
    char zMember[SWS_UUID_LEN + 1];
    sws_uuid7(zMember);
    db_bind_text(q, ":id", zMember);
    db_bind_text(q, ":hh", zId);
    db_bind_int64(q, ":line", i + 1);
    db_bind_text(q, ":name", aRow[i][F_NAME]);
    db_bind_text(q, ":sex", aRow[i][F_SEX]);
    db_bind_text(q, ":born", aRow[i][F_BORN]);
    db_bind_text(q, ":rel", aRow[i][F_REL]);
    db_bind_text(q, ":nid", aRow[i][F_NID][0] ? aRow[i][F_NID] : NULL);
    db_bind_text(q, ":phone", aRow[i][F_PHONE]);
    db_bind_int64(q, ":dis", strcmp(aRow[i][F_DIS], "1") == 0);
    rc = db_step(ctx->db, q, err);
    sqlite3_reset(q);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/*
 * Write the households of a demo CSV straight into the office's own tables
 * (indexes, search index, name keys, outbox and audit triggers all run)
 * with plain INSERTs, 200 households per operation as the importer does,
 * but no checks and no duplicate search: what storage alone costs. The demo
 * CSV keeps each household's rows together, head first. *pnMembers and
 * *pnHouseholds get the counts.
 */
static int direct_insert(struct sws_ctx *ctx, const struct buf *csv,
                         const char *zWhat, int64_t *pnMembers,
                         int64_t *pnHouseholds, struct sws_err *err)
{
  struct office_info office;
  struct csv_reader r;
  struct csv_row row;
  char(*aRow)[F_COUNT][256] = sws_malloc(61 * sizeof *aRow);
  int64_t total = csv_rows(csv);
  int rc, k, n = 0, inOp = 0;
  *pnMembers = *pnHouseholds = 0;
  csv_init(&r, csv->z, csv->n);
  if ((rc = cases_office_get(ctx, &office, err)) != 0 ||
      (rc = read_header(&r, err)) != 0)
    goto done;
  for (;;) {
    k = csv_next(&r, &row, err);
    if (k < 0) {
      rc = k;
      goto done;
    }
    if (n > 0 && (k == 0 || strcmp(row.az[F_KEY], aRow[0][F_KEY]) != 0)) {
      if (!inOp && (rc = cases_op_begin(ctx, "bench.insert", err)) != 0)
        goto done;
      inOp = 1;
      if ((rc = direct_household(ctx, office.zDevice, aRow, n, err)) != 0)
        goto done;
      *pnMembers += n;
      if (++*pnHouseholds % 200 == 0 || k == 0) {
        inOp = 0;
        if ((rc = cases_op_end(ctx, 0, "bench", "", "", err)) != 0)
          goto done;
        progress(zWhat, *pnMembers, total);
      }
      n = 0;
    }
    if (k == 0)
      break;
    if (n == 61 || row.n != F_COUNT) {
      rc = sws_err_set(err, SWS_EINVAL, "line %zu of the demo CSV is not "
                       "what the benchmark expects", row.line);
      goto done;
    }
    for (int i = 0; i < F_COUNT; i++)
      sws_strlcpy(aRow[n][i], row.az[i], sizeof aRow[n][i]);
    n++;
  }
done:
  if (inOp)
    cases_op_end(ctx, rc ? rc : SWS_EDB, NULL, NULL, NULL, err);
  progress_end();
  csv_release(&r);
  free(aRow);
  return rc;
}

/*
 * Split a demo CSV after the household in which row nFirst falls: *pA gets
 * the header and the rows before, *pB the header and the rest.
 */
static void csv_split(const struct buf *csv, int64_t nFirst, struct buf *pA,
                      struct buf *pB)
{
  const char *z = csv->z, *end = csv->z + csv->n;
  const char *zBody = memchr(z, '\n', csv->n);
  size_t nHeader = zBody ? (size_t)(zBody - z) + 1 : csv->n;
  const char *p = z + nHeader, *zCut = p;
  char zKey[64] = "";
  int64_t i = 0;
  while (p < end) {
    const char *e = memchr(p, '\n', (size_t)(end - p));
    const char *c = memchr(p, ',', (size_t)(end - p));
    size_t nKey = c ? (size_t)(c - p) : 0;
    char zThis[64];
    if (nKey >= sizeof zThis)
      nKey = sizeof zThis - 1;
    memcpy(zThis, p, nKey);
    zThis[nKey] = '\0';
    if (i >= nFirst && strcmp(zThis, zKey) != 0)
      break; /* the first row of the next household */
    sws_strlcpy(zKey, zThis, sizeof zKey);
    p = e ? e + 1 : end;
    zCut = p;
    i++;
  }
  buf_append(pA, z, (size_t)(zCut - z));
  buf_append(pB, z, nHeader);
  buf_append(pB, zCut, (size_t)(end - zCut));
}

/* Copy of the first n characters (code points) of each word of z. */
static char *word_beginnings(const char *z, int n)
{
  struct buf b = BUF_INIT;
  int nIn = 0; /* characters of the current word so far */
  for (const char *p = z; *p; p++) {
    if (*p == ' ') {
      if (nIn > 0)
        buf_putc(&b, ' ');
      nIn = 0;
      continue;
    }
    if (((unsigned char)*p & 0xc0) != 0x80)
      nIn++;
    if (nIn <= n)
      buf_putc(&b, *p);
  }
  return buf_detach(&b, NULL);
}

static int is_ascii(const char *z)
{
  for (; *z; z++)
    if ((unsigned char)*z >= 0x80)
      return 0;
  return 1;
}

struct query {
  char *z;
  int kind;
  char zYear[5]; /* the birth year of the person it was taken from */
};

/*
 * Name queries spread over the whole file, the kinds dealt out in turn.
 * Latin readings are taken only from names in Khmer or Cyrillic script.
 */
static int pick_queries(const struct buf *csv, int nWant, struct query *aQ,
                        int *pn, struct sws_err *err)
{
  struct csv_reader r;
  struct csv_row row;
  int64_t total = csv_rows(csv), step = total / nWant, next = 0, i = 0;
  int rc, k, n = 0;
  if (step < 1)
    step = 1;
  csv_init(&r, csv->z, csv->n);
  if ((rc = read_header(&r, err)) != 0)
    goto done;
  while (n < nWant && (k = csv_next(&r, &row, err)) > 0) {
    if (i++ < next)
      continue;
    const char *zName = row.az[F_NAME];
    int kind = n % Q_KINDS;
    if (kind == Q_LATIN && is_ascii(zName))
      continue; /* the next name in another script will do */
    switch (kind) {
    case Q_FULL: aQ[n].z = sws_strdup(zName); break;
    case Q_GIVEN: {
      const char *zLast = strrchr(zName, ' ');
      aQ[n].z = sws_strdup(zLast ? zLast + 1 : zName);
      break;
    }
    case Q_LATIN: aQ[n].z = name_latin(zName); break;
    default: aQ[n].z = word_beginnings(zName, 3); break;
    }
    aQ[n].kind = kind;
    snprintf(aQ[n].zYear, sizeof aQ[n].zYear, "%.4s", row.az[F_BORN]);
    n++;
    next += step;
  }
done:
  *pn = n;
  csv_release(&r);
  return rc;
}

/* Search each query (times into aT); counts those that found nothing and
 * those that failed (the first failure is printed). */
static void time_queries(struct sws_ctx *ctx, const char *zWhat,
                         char **az, int n, int64_t *aT, int *pnMiss,
                         int *pnFail)
{
  struct sws_err e = SWS_ERR_INIT;
  *pnMiss = *pnFail = 0;
  for (int i = 0; i < n; i++) {
    struct search_result res;
    if (i % 50 == 0)
      progress(zWhat, i, n);
    int64_t t0 = bench_ns();
    int rcs = cases_search(ctx, az[i], 20, &res, &e);
    aT[i] = bench_ns() - t0;
    if (rcs != 0 && (*pnFail)++ == 0)
      fprintf(stderr, "bench registry: search '%s': %s\n", az[i], e.msg);
    *pnMiss += res.n == 0;
    cases_search_release(&res);
  }
  progress_end();
}

/* Print "p50 x ms, p95 y ms" (sorts a). */
static void print_pcts(const char *zPrefix, int64_t *a, int n, int bP99)
{
  double p50 = bench_percentile(a, n, 50), p95 = bench_percentile(a, n, 95);
  printf("%sp50 %.2f ms, p95 %.2f ms", zPrefix, ms(p50), ms(p95));
  if (bP99)
    printf(", p99 %.2f ms", ms(bench_percentile(a, n, 99)));
}

static int bench_search(struct sws_ctx *ctx, const struct buf *csv, int nWant,
                        struct sws_err *err)
{
  struct query *aQ = sws_calloc((size_t)nWant, sizeof *aQ);
  char **az = sws_calloc((size_t)nWant, sizeof *az);
  int64_t *aT = sws_calloc((size_t)nWant, sizeof *aT);
  int64_t *aK = sws_calloc((size_t)nWant, sizeof *aK);
  int n = 0, nMiss = 0, nFail = 0, rc;
  if ((rc = pick_queries(csv, nWant, aQ, &n, err)) != 0)
    goto done;
  for (int i = 0; i < n; i++)
    az[i] = aQ[i].z;
  time_queries(ctx, "name search", az, n, aT, &nMiss, &nFail);
  memcpy(aK, aT, sizeof *aK * (size_t)n); /* sorting loses the order */
  print_pcts("search: ", aK, n, 1);
  printf(" over %d name queries, 20 hits each (target p95 <= 5 ms); %d found "
         "nothing, %d failed\n", n, nMiss, nFail);
  for (int kind = 0; kind < Q_KINDS; kind++) {
    int m = 0;
    for (int i = 0; i < n; i++)
      if (aQ[i].kind == kind)
        aK[m++] = aT[i];
    char zPrefix[64];
    snprintf(zPrefix, sizeof zPrefix, "search: %s (%d), ", KIND_NAMES[kind],
             m);
    print_pcts(zPrefix, aK, m, 0);
    printf("\n");
  }
  /* the full and the given names again, with the birth year after them */
  for (int kind = Q_FULL; kind <= Q_GIVEN; kind++) {
    int m = 0;
    for (int i = 0; i < n; i++)
      if (aQ[i].kind == kind)
        az[m++] = sws_mprintf("%s %s", aQ[i].z, aQ[i].zYear);
    time_queries(ctx, "name search with a year", az, m, aK, &nMiss, &nFail);
    for (int i = 0; i < m; i++)
      free(az[i]);
    char zPrefix[80];
    snprintf(zPrefix, sizeof zPrefix, "search: %s with the birth year (%d), ",
             KIND_NAMES[kind], m);
    print_pcts(zPrefix, aK, m, 0);
    printf("; %d found nothing, %d failed\n", nMiss, nFail);
  }
done:
  for (int i = 0; i < n; i++)
    free(aQ[i].z);
  free(aQ);
  free(az);
  free(aT);
  free(aK);
  return rc;
}

static int bench_lookup(struct sws_ctx *ctx, int nWant, struct sws_err *err)
{
  char(*aRegno)[SWS_NUMBER_MAX] = sws_calloc((size_t)nWant, sizeof *aRegno);
  int64_t *aT = sws_calloc((size_t)nWant, sizeof *aT);
  int64_t nMax;
  uint64_t s = 0x5eed5eedull;
  sqlite3_stmt *q = NULL;
  int rc, n = 0, nFail = 0;
  if ((rc = db_int64(ctx->db, &nMax, 0, "SELECT max(rid) FROM household",
                     err)) != 0 ||
      (rc = db_prepare(ctx->db, &q, "SELECT regno FROM household WHERE rid "
                       "= :rid", err)) != 0)
    goto done;
  while (n < nWant && nMax > 0) {
    db_bind_int64(q, ":rid", 1 + (int64_t)(rnd(&s) % (uint64_t)nMax));
    if ((rc = db_step(ctx->db, q, err)) < 0)
      goto done;
    if (rc == DB_ROW)
      sws_strlcpy(aRegno[n++], db_col_str(q, 0), SWS_NUMBER_MAX);
    sqlite3_reset(q);
  }
  rc = 0;
  for (int i = 0; i < n; i++) {
    struct sws_err e = SWS_ERR_INIT;
    struct household h;
    char zId[SWS_UUID_LEN + 1], zNote[256];
    int64_t t0 = bench_ns();
    int rcl = cases_household_resolve(ctx, aRegno[i], 0, zId, NULL, zNote,
                                      &e);
    if (rcl == 0) {
      rcl = cases_household_get(ctx, zId, &h, &e);
      if (rcl == 0)
        cases_household_release(&h);
    }
    aT[i] = bench_ns() - t0;
    if (rcl != 0 && nFail++ == 0)
      fprintf(stderr, "bench registry: %s: %s\n", aRegno[i], e.msg);
  }
  print_pcts("lookup: ", aT, n, 0);
  printf(" for %d registration numbers (resolve + read the household); "
         "%d failed\n", n, nFail);
done:
  db_done(ctx->db, q);
  free(aRegno);
  free(aT);
  return rc;
}

/* The rows of a small CSV, each field copied. */
struct rows {
  char *(*a)[F_COUNT];
  int n;
};

static void rows_release(struct rows *r)
{
  for (int i = 0; i < r->n; i++)
    for (int j = 0; j < F_COUNT; j++)
      free(r->a[i][j]);
  free(r->a);
  r->a = NULL;
  r->n = 0;
}

static int rows_read(const struct buf *csv, struct rows *out,
                     struct sws_err *err)
{
  struct csv_reader r;
  struct csv_row row;
  int rc, k, nAlloc = 0;
  csv_init(&r, csv->z, csv->n);
  if ((rc = read_header(&r, err)) != 0)
    goto done;
  while ((k = csv_next(&r, &row, err)) > 0) {
    if (out->n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 256;
      out->a = sws_realloc(out->a, sizeof *out->a * (size_t)nAlloc);
    }
    for (int j = 0; j < F_COUNT; j++)
      out->a[out->n][j] = sws_strdup(j < row.n ? row.az[j] : "");
    out->n++;
  }
  rc = k < 0 ? k : 0;
done:
  csv_release(&r);
  return rc;
}

/* Fill in from the rows [i, i + n) of one household. */
static void to_input(char *(*aRow)[F_COUNT], int n, struct member_input *aM,
                     struct household_input *in)
{
  memset(in, 0, sizeof *in);
  for (int i = 0; i < n; i++) {
    memset(&aM[i], 0, sizeof aM[i]);
    aM[i].zName = aRow[i][F_NAME];
    cases_sex_parse("sex", aRow[i][F_SEX], &aM[i].sex, NULL);
    aM[i].zBorn = aRow[i][F_BORN];
    aM[i].relationship = cases_relationship_parse(aRow[i][F_REL]);
    aM[i].zNationalId = aRow[i][F_NID];
    aM[i].zPhone = aRow[i][F_PHONE];
    aM[i].disability = strcmp(aRow[i][F_DIS], "1") == 0;
    if (aM[i].relationship == REL_HEAD)
      in->zPhone = aM[i].zPhone;
  }
  in->zArea = aRow[0][F_AREA];
  in->aMember = aM;
  in->nMember = n;
  in->zForceReason = FORCE_REASON;
}

static int bench_register(struct sws_ctx *ctx, const char *zFsyncPath,
                          int nWant, struct sws_err *err)
{
  struct buf csv;
  struct rows rows = {NULL, 0};
  struct sws_db *db = NULL, *up = NULL;
  struct member_input aM[61];
  int64_t *aT = sws_calloc((size_t)nWant, sizeof *aT);
  int64_t *aB = sws_calloc((size_t)nWant, sizeof *aB);
  int64_t *aU = sws_calloc((size_t)nWant, sizeof *aU);
  int rc, n = 0, nDup = 0, nFail = 0, nDupTotal = 0;
  sqlite3_stmt *q = NULL;
  buf_init(&csv, CSV_MAX);
  if ((rc = demo_households_csv(ctx, nWant, 0x5eedull, "NEW-", &csv, err)) !=
          0 ||
      (rc = rows_read(&csv, &rows, err)) != 0 ||
      (rc = db_open(&db, zFsyncPath, DB_CREATE, err)) != 0 ||
      (rc = db_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                    err)) != 0)
    goto done;
  /* as the web UI runs (pos/cmd_ui.c): no checkpoint inside a
   * registration; index merges and checkpoints on a connection of their
   * own between registrations, in the officer's idle time, timed apart */
  if ((rc = db_exec(ctx->db, "PRAGMA wal_autocheckpoint=0", err)) != 0 ||
      (rc = db_open(&up, ctx->db->zPath, 0, err)) != 0)
    goto done;
  for (int i = 0; i < rows.n && n < nWant;) {
    struct household_input in;
    struct dedup_list dups = DEDUP_LIST_INIT;
    struct sws_err e = SWS_ERR_INIT;
    char zRegno[SWS_NUMBER_MAX];
    int j = i + 1;
    while (j < rows.n && j - i < 60 &&
           strcmp(rows.a[j][F_KEY], rows.a[i][F_KEY]) == 0)
      j++;
    to_input(&rows.a[i], j - i, aM, &in);
    i = j;
    if (n % 20 == 0)
      progress("registration", n, nWant);
    int64_t t0 = bench_ns();
    int rcr = cases_household_create(ctx, &in, zRegno, &dups, &e);
    aT[n] = bench_ns() - t0;
    if (rcr != 0 && nFail++ == 0)
      fprintf(stderr, "bench registry: registration: %s\n", e.msg);
    nDup += dups.n > 0;
    nDupTotal += dups.n;
    dedup_list_release(&dups);

    /* the baseline, interleaved so both see the same disk */
    t0 = bench_ns();
    if ((rc = db_begin(db, err)) != 0 ||
        (rc = db_prepare(db, &q, "INSERT INTO t(v) VALUES (:v)", err)) != 0)
      goto done;
    db_bind_text(q, ":v", zRegno);
    rc = db_step(db, q, err);
    db_done(db, q);
    q = NULL;
    if (rc < 0) {
      db_rollback(db);
      goto done;
    }
    if ((rc = db_commit(db, err)) != 0)
      goto done;
    aB[n] = bench_ns() - t0;

    t0 = bench_ns();
    for (int bMore = 1; bMore;)
      if ((rc = cases_maintain_step(up, MAINTAIN_STEP_PAGES, &bMore, err)) !=
          0)
        goto done;
    aU[n] = bench_ns() - t0;
    n++;
  }
  progress_end();
  double p95 = bench_percentile(aT, n, 95), b95 = bench_percentile(aB, n, 95);
  print_pcts("register: ", aT, n, 0);
  printf(" for %d households with the duplicate check, fsync on (target p95 "
         "<= 15 ms); %d failed\n", n, nFail);
  printf("register: %d of %d had possible duplicates (%.1f each on "
         "average), saved with a reason\n", nDup, n,
         n ? (double)nDupTotal / n : 0.0);
  print_pcts("register: baseline, one INSERT + COMMIT into a bare table: ", aB,
             n, 0);
  printf("\nregister: ratio %.1f (our p95 / baseline p95)\n",
         b95 > 0 ? p95 / b95 : 0.0);
  print_pcts("register: upkeep between registrations (index merges, "
             "checkpoint; not waited for): ", aU, n, 0);
  printf("\n");
done:
  db_done(db, q);
  db_close(db);
  db_close(up);
  free(aU);
  rows_release(&rows);
  buf_release(&csv);
  free(aT);
  free(aB);
  return rc;
}

static const char zUsage[] =
    "usage: bench_sws registry [--members N] [--import N] [--dir DIR] "
    "[--keep]\n"
    "                          [--no-direct] [--db FILE] [--exec SQL]\n"
    "  --members N   people in the registry (default 1000000)\n"
    "  --import N    of them, how many go through the importer, into a\n"
    "                registry already holding the others, which are "
    "written\n"
    "                straight to the tables (default 100000)\n"
    "  --dir DIR     where the temporary databases go (default $TMPDIR, "
    "else\n"
    "                /var/tmp)\n"
    "  --keep        leave the office database there\n"
    "  --no-direct   when everything is imported, skip writing the same rows\n"
    "                straight to a second database (the fair baseline)\n"
    "  --db FILE     measure search, lookup and registration on an office\n"
    "                database kept by an earlier run with the same "
    "--members\n"
    "                (no import; the registrations are added to it)\n"
    "  --exec SQL    run SQL on each new office database before it is "
    "filled,\n"
    "                to see what a schema change would do (an experiment:\n"
    "                \"DROP INDEX member_phone\")\n";

static int parse_opts(int argc, char **argv, struct opts *o,
                      struct sws_err *err)
{
  static const struct option LONG[] = {{"members", required_argument, 0, 'm'},
                                       {"dir", required_argument, 0, 'd'},
                                       {"keep", no_argument, 0, 'k'},
                                       {"no-direct", no_argument, 0, 'n'},
                                       {"db", required_argument, 0, 'b'},
                                       {"import", required_argument, 0, 'i'},
                                       {"exec", required_argument, 0, 'x'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  memset(o, 0, sizeof *o);
  o->nMembers = 1000000;
  o->nImport = 100000;
  o->nQueries = 1000;
  o->nLookups = 1000;
  o->nRegs = 300;
  o->bDirect = 1;
  o->zBase = getenv("TMPDIR");
  if (o->zBase == NULL || o->zBase[0] == '\0')
    o->zBase = "/var/tmp";
  optind = 1;
  while ((c = getopt_long(argc, argv, "", LONG, NULL)) != -1) {
    switch (c) {
    case 'm':
      if (sws_parse_int64("--members", optarg, 1000, IMPORT_MAX_ROWS,
                          &o->nMembers, err) != 0)
        return SWS_EINVAL;
      break;
    case 'd': o->zBase = optarg; break;
    case 'k': o->bKeep = 1; break;
    case 'n': o->bDirect = 0; break;
    case 'b': o->zDb = optarg; break;
    case 'x': o->zExec = optarg; break;
    case 'i':
      if (sws_parse_int64("--import", optarg, 1, IMPORT_MAX_ROWS, &o->nImport,
                          err) != 0)
        return SWS_EINVAL;
      break;
    case 'h': fputs(zUsage, stdout); o->bHelp = 1; return SWS_OK;
    default: fputs(zUsage, stderr); return SWS_EINVAL;
    }
  }
  if (optind != argc) {
    fputs(zUsage, stderr);
    return SWS_EINVAL;
  }
  return SWS_OK;
}

/* Households that make about nMembers people (the generator's mix). */
static int households_for(struct sws_ctx *ctx, int64_t nMembers, int *out,
                          struct sws_err *err)
{
  struct buf b;
  int rc;
  buf_init(&b, CSV_MAX);
  rc = demo_households_csv(ctx, SAMPLE_HOUSEHOLDS, 1, "B-", &b, err);
  if (rc == 0) {
    double perHh = (double)csv_rows(&b) / SAMPLE_HOUSEHOLDS;
    *out = (int)((double)nMembers / perHh + 0.5);
    if (*out < 1)
      *out = 1;
  }
  buf_release(&b);
  return rc;
}

/* The paths of the benchmark's databases in one directory. */
struct paths {
  char zDir[2048];
  char zOffice[4096], zPlain[4096], zDirect[4096], zFsync[4096];
};

/*
 * Fill the office and time the import against the baselines; prints the
 * build figures. The first members (all but o->nImport) are written
 * straight to the tables; the rest are imported into that registry. With
 * everything imported, the straight writes (the fair baseline) go to a
 * second office database instead.
 */
static int bench_build(struct sws_ctx *ctx, const struct opts *o,
                       const struct paths *p, const struct buf *csv,
                       struct sws_err *err)
{
  struct import_report rep;
  struct import_opts io = {0, "bench", import_progress, NULL, SWS_DATE_UNKNOWN};
  struct buf fill, imp;
  struct sws_ctx *direct = NULL;
  int64_t t0, tPlain = 0, tImport = 0, tFill = 0, nPlainRows = 0;
  int64_t nFillMembers = 0, nFillHouseholds = 0, nRows = csv_rows(csv);
  int64_t nFirst = nRows > o->nImport ? nRows - o->nImport : 0;
  int rc;

  memset(&rep, 0, sizeof rep);
  buf_init(&fill, CSV_MAX);
  buf_init(&imp, CSV_MAX);
  csv_split(csv, nFirst, &fill, &imp);

  if (nFirst > 0) {
    t0 = bench_ns();
    rc = direct_insert(ctx, &fill, "writing the registry", &nFillMembers,
                       &nFillHouseholds, err);
    tFill = bench_ns() - t0;
    if (rc != 0)
      goto done;
    printf("fill: %lld members, %lld households written straight to the sws "
           "tables (no checks, no duplicate search) in %.1f s (%.0f "
           "members/s)\n",
           (long long)nFillMembers, (long long)nFillHouseholds, secs(tFill),
           (double)nFillMembers / secs(tFill));
    fflush(stdout);
  }

  /* the plain baseline first: the import then starts with a warm cache */
  if (isatty(STDERR_FILENO))
    fprintf(stderr, "plain SQLite insert...\n");
  t0 = bench_ns();
  rc = plain_insert(p->zPlain, &imp, &nPlainRows, err);
  tPlain = bench_ns() - t0;
  db_remove(p->zPlain);
  if (rc != 0)
    goto done;

  t0 = bench_ns();
  rc = cases_import_csv(ctx, imp.z, imp.n, &io, &rep, err);
  tImport = bench_ns() - t0;
  progress_end();
  if (rc != 0)
    goto done;
  printf("import: %lld members, %lld households into a registry of %lld in "
         "%.1f s (%.0f members/s, %.0f households/s); plain SQLite insert of "
         "the same %lld rows %.2f s; ratio %.3f (target >= 0.5)\n",
         (long long)rep.nMembers, (long long)rep.nHouseholds,
         (long long)nFillMembers, secs(tImport),
         (double)rep.nMembers / secs(tImport),
         (double)rep.nHouseholds / secs(tImport), (long long)nPlainRows,
         secs(tPlain), (double)tPlain / (double)tImport);
  printf("import: %lld households flagged as possible duplicates, %lld rows "
         "rejected\n", (long long)rep.nFlagged,
         (long long)rep.nRejectedRows);
  int64_t nCand = rep.candidates.nHit + rep.candidates.nMiss;
  printf("import: the duplicate check compared %lld candidates, %lld read "
         "from the database and %lld kept from before (%.0f %%); the cache "
         "started again %lld times\n",
         (long long)nCand, (long long)rep.candidates.nMiss,
         (long long)rep.candidates.nHit,
         nCand ? 100.0 * (double)rep.candidates.nHit / (double)nCand : 0.0,
         (long long)rep.candidates.nReset);
  if (rep.nRejectedRows > 0)
    fprintf(stderr, "bench registry: rejected rows:\n%.1000s\n",
            buf_str(&rep.rejects));

  if (nFirst == 0 && o->bDirect) {
    /* everything imported: the straight writes into a second database */
    if ((rc = office_create(&direct, p->zDirect, 0, o->zExec, err)) != 0)
      goto done;
    t0 = bench_ns();
    rc = direct_insert(direct, &imp, "sws tables, no checks", &nFillMembers,
                       &nFillHouseholds, err);
    tFill = bench_ns() - t0;
    cases_close(direct);
    db_remove(p->zDirect);
    if (rc != 0)
      goto done;
    printf("import: the same rows written straight to the sws tables of a "
           "new office (no checks, no duplicate search) in %.1f s\n",
           secs(tFill));
  }
  if (tFill > 0)
    printf("import: rate against the straight writes %.2f (import members/s "
           "/ straight members/s)\n",
           ((double)rep.nMembers / secs(tImport)) /
               ((double)nFillMembers / secs(tFill)));
  printf("database: %.0f MB (%.0f bytes per member)\n",
         (double)db_size(p->zOffice) / 1e6,
         (double)db_size(p->zOffice) /
             (double)(nFillMembers * (nFirst > 0) + rep.nMembers));
  fflush(stdout);
done:
  cases_import_report_release(&rep);
  buf_release(&fill);
  buf_release(&imp);
  return rc;
}

int bench_registry(int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct opts o;
  struct paths p;
  struct sws_ctx *ctx = NULL;
  struct buf csv;
  int rc, nHouseholds = 0;

  memset(&p, 0, sizeof p);
  buf_init(&csv, CSV_MAX);
  if ((rc = parse_opts(argc, argv, &o, &err)) != 0) {
    /* the usage is printed already; a bad number says what was wrong */
    if (err.msg[0])
      fprintf(stderr, "bench registry: %s\n", err.msg);
    buf_release(&csv);
    return 2;
  }
  if (o.bHelp) {
    buf_release(&csv);
    return 0;
  }
  snprintf(p.zDir, sizeof p.zDir, "%s/sws-bench-XXXXXX", o.zBase);
  if (mkdtemp(p.zDir) == NULL) {
    rc = sws_err_set(&err, SWS_EIO, "cannot make a directory in '%s'; give "
                     "another with --dir", o.zBase);
    p.zDir[0] = '\0';
    goto done;
  }
  snprintf(p.zOffice, sizeof p.zOffice, "%s/office.db", p.zDir);
  snprintf(p.zPlain, sizeof p.zPlain, "%s/plain.db", p.zDir);
  snprintf(p.zDirect, sizeof p.zDirect, "%s/direct.db", p.zDir);
  snprintf(p.zFsync, sizeof p.zFsync, "%s/fsync.db", p.zDir);

  /* the office and its data */
  if (o.zDb) {
    if ((rc = cases_open(&ctx, o.zDb, 0, &err)) != 0)
      goto done;
    cases_set_actor(ctx, "desk");
  } else if ((rc = office_create(&ctx, p.zOffice, 1, o.zExec, &err)) != 0) {
    goto done;
  }
  if ((rc = households_for(ctx, o.nMembers, &nHouseholds, &err)) != 0 ||
      (rc = demo_households_csv(ctx, nHouseholds, 1, "B-", &csv, &err)) != 0)
    goto done;
  printf("registry: %d households, %lld people, %.0f MB of CSV; databases "
         "in %s\n", nHouseholds, (long long)csv_rows(&csv),
         (double)csv.n / 1e6, o.zDb ? o.zDb : p.zDir);
  fflush(stdout);
  if (o.zDb == NULL && (rc = bench_build(ctx, &o, &p, &csv, &err)) != 0)
    goto done;

  if ((rc = bench_search(ctx, &csv, o.nQueries, &err)) != 0)
    goto done;
  fflush(stdout);
  buf_release(&csv);
  if ((rc = bench_lookup(ctx, o.nLookups, &err)) != 0 ||
      (rc = bench_register(ctx, p.zFsync, o.nRegs, &err)) != 0)
    goto done;

  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    printf("memory: peak %.0f MB resident\n", (double)ru.ru_maxrss / 1e3);
done:
  progress_end();
  if (rc != 0)
    fprintf(stderr, "bench registry: %s\n", err.msg);
  buf_release(&csv);
  cases_close(ctx);
  if (p.zDir[0]) {
    db_remove(p.zPlain);
    db_remove(p.zDirect);
    db_remove(p.zFsync);
    if (o.bKeep) {
      printf("databases kept in %s\n", p.zDir);
    } else {
      db_remove(p.zOffice);
      rmdir(p.zDir);
    }
  }
  return rc != 0;
}
