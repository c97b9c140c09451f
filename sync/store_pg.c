/*
 * store_pg.c - the central store on PostgreSQL, through libpq (see store.h;
 * the national registry: docs/operations.md, docs/decisions.md "The
 * registry on PostgreSQL").
 *
 * The same operations as the SQLite store over the same structure
 * (schema/central-pg/), for several 'sws central serve' processes on one
 * database at once:
 *   - transactions are READ COMMITTED; what a push changes is locked as it
 *     is read (the device's row, each record: SELECT ... FOR UPDATE), so
 *     two workers applying batches that touch the same device or record
 *     take turns; a deadlock or a serialization failure comes back as
 *     SWS_ERETRY, and the caller runs the whole push again;
 *   - feed positions are (transaction id, seq) and are read only below the
 *     oldest transaction still running (pg_snapshot_xmin), so an item that
 *     commits after a later one is never behind a cursor;
 *   - statements are prepared once per connection and kept by their text.
 * Values travel as text; ids are uuid columns, so an id that is not a UUID
 * is simply not found.
 */
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "schema/schema.h"
#include "sync/fields.h"
#include "sync/proto.h"
#include "sync/pg_cols.h"
#include "sync/store.h"

/* the migrations of schema/central-pg/, embedded at build time */
extern const struct schema_step schema_central_pg_steps[];
extern const int schema_central_pg_steps_count;

struct prepared {
  char *zSql;
  uint32_t hash;
};

struct entity_sql {
  const char *zEntity;
  char *zGet;     /* fields as JSON text, owner; by id, locked in a txn */
  char *zPut;     /* upsert from a JSON object */
  char *zPutNew;  /* insert rows (as columns), the ids inserted back */
  char *zPutMany; /* upsert rows (as columns) */
  const char *azCol[PG_COLS_MAX]; /* the columns zPutNew/zPutMany take */
  int nCol;
  char *zSel;     /* "SELECT id::text, <fields json>, r_owner FROM t" */
};

/* The devices of an office, as a push met them. */
struct devices {
  char zOffice[CENTRAL_CODE_MAX];
  struct central_office *a;
  int n;
};

#define BATCH_OFFICES 8

/*
 * A push applied set-wise (push_prefetch ... commit): what the batch will
 * read is loaded in a few statements and its writes are kept and sent in
 * one statement per table at the commit, instead of several round trips
 * per mutation. Any other statement sends the kept writes first, so
 * nothing ever reads around them.
 */
struct batch {
  int bOn, bFlushing;
  int nExpect;            /* rows the statement being sent must return */
  const char *zExpectWhy; /* (-1: any) and what to say when it does not */
  char zOffice[CENTRAL_CODE_MAX]; /* the pushing device's office */
  json_t *recs;      /* "entity/id" -> {"f": fields text, "o": owner} or
                        null (not at the registry) */
  json_t *alias;     /* household id -> its survivor, or null */
  json_t *survivors; /* household id -> true: aliases point at it */
  json_t *held;      /* "entity/id" -> true/false: zOffice holds it */
  json_t *regnos;    /* a new household's number -> ids of households with
                        it before the batch */
  json_t *wrec;      /* entity -> {id -> {"row": {...}, "new": bool}} */
  json_t *wregno;    /* number -> {id: true}: the households written in the
                        batch with that number now */
  json_t *wmut, *wfeed, *whold; /* rows to insert, in order */
  json_t *wperson;   /* member id -> person row */
  struct devices aDev[BATCH_OFFICES];
  int nDev;
};

/* A statement sent in pipeline mode whose result is read later: how many
 * rows it must return (-1: any), and what to say when it does not. */
struct pending {
  int nRows;
  const char *zWhy;
};

/* Kept writes sent every PIPE_CHUNK mutations, while the push applies
 * the next ones (see batch_send). */
#define PIPE_CHUNK 256
#define PIPE_MAX 64

struct pg_store {
  struct central_store base;
  PGconn *conn;
  int nTx;
  int bPipe;                    /* in pipeline mode */
  int bSending;                 /* run() sends instead of executing */
  struct pending aPend[PIPE_MAX];
  int nPend;
  struct prepared *aPrep;
  int nPrep, nPrepAlloc;
  struct entity_sql aEnt[CENTRAL_ENTITIES];
  int nEnt;
  struct batch b;
};

#define PG(s) ((struct pg_store *)(s))
#define REG_COLS "'{id,r_owner,r_version,r_created_at,r_updated_at}'::text[]"

int store_is_pg_url(const char *z)
{
  return z && (strncmp(z, "postgresql://", 13) == 0 ||
               strncmp(z, "postgres://", 11) == 0);
}

static void now(char *z)
{
  sws_time_format(z, 32, sws_now_ms());
}

/* Ids are uuid columns here: what is not one is simply not found. */
static int uuid_shaped(const char *z)
{
  return z && sws_uuid_ok(z, strlen(z));
}

/* A failed result as an sws error: a race lost to another transaction is
 * SWS_ERETRY (the caller runs its transaction again); the rest is the
 * database failing, said with PostgreSQL's own words. */
static int pg_fail(struct pg_store *p, PGresult *res, struct sws_err *err)
{
  const char *zState = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *zMsg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                         : NULL;
  if (zMsg == NULL)
    zMsg = PQerrorMessage(p->conn);
  int rc;
  if (zState && (strcmp(zState, "40001") == 0 ||
                 strcmp(zState, "40P01") == 0))
    rc = sws_err_set(err, SWS_ERETRY, "another worker changed the same "
                     "records at the same time (%s); try again", zMsg);
  else if (zState && strcmp(zState, "23505") == 0)
    rc = sws_err_set(err, SWS_ECONFLICT, "the registry holds this already "
                     "(%s)", zMsg);
  else if (PQstatus(p->conn) != CONNECTION_OK)
    rc = sws_err_set(err, SWS_EDB, "the connection to the registry's "
                     "database was lost (%s); the request can be sent again",
                     zMsg);
  else
    rc = sws_err_set(err, SWS_EDB, "the registry's database failed: %s",
                     zMsg);
  PQclear(res);
  return rc;
}

/*
 * Run zSql with n text parameters (NULL: SQL NULL), prepared once per
 * connection. *pRes gets the result of a statement that returns rows (the
 * caller PQclears it), NULL for the others.
 */
static int batch_flush(struct pg_store *p, struct sws_err *err);

static void prepared_add(struct pg_store *p, const char *zSql, uint32_t h)
{
  if (p->nPrep == p->nPrepAlloc) {
    p->nPrepAlloc = p->nPrepAlloc ? 2 * p->nPrepAlloc : 64;
    p->aPrep = sws_realloc(p->aPrep, sizeof *p->aPrep * (size_t)p->nPrepAlloc);
  }
  p->aPrep[p->nPrep].zSql = sws_strdup(zSql);
  p->aPrep[p->nPrep].hash = h;
  p->nPrep++;
}

/*
 * Pipeline mode (libpq): statements sent without waiting for their
 * results, read by pipe_drain before anything else runs. Only a push's
 * kept writes go this way (batch_send), at most one chunk at a time, so
 * neither side ever waits on a full socket for the other: the results of
 * a chunk (command tags, the ids of its new records) are small.
 */
static int pipe_expect(struct pg_store *p, int nRows, const char *zWhy,
                       struct sws_err *err)
{
  if (p->nPend == PIPE_MAX)
    return sws_err_set(err, SWS_EDB, "too many statements in flight to the "
                       "registry's database");
  p->aPend[p->nPend].nRows = nRows;
  p->aPend[p->nPend].zWhy = zWhy;
  p->nPend++;
  return SWS_OK;
}

static int pipe_send(struct pg_store *p, const char *zName, const char *zSql,
                     int bPrepare, int n, const char *const *aVal,
                     const int *aLen, const int *aFmt, struct sws_err *err)
{
  int rc;
  if (!p->bPipe) {
    if (PQenterPipelineMode(p->conn) != 1)
      return pg_fail(p, NULL, err);
    p->bPipe = 1;
  }
  if (bPrepare) {
    if (!PQsendPrepare(p->conn, zName, zSql, n, NULL))
      return pg_fail(p, NULL, err);
    if ((rc = pipe_expect(p, -1, NULL, err)) != 0)
      return rc;
    prepared_add(p, zSql, sws_sql_key(zSql));
  }
  if (!PQsendQueryPrepared(p->conn, zName, n, aVal, aLen, aFmt, 0))
    return pg_fail(p, NULL, err);
  return pipe_expect(p, p->b.nExpect, p->b.zExpectWhy, err);
}

/* Read every result sent for, the first failure kept; leave pipeline
 * mode. */
static int pipe_drain(struct pg_store *p, struct sws_err *err)
{
  int rc = SWS_OK;
  if (!p->bPipe)
    return SWS_OK;
  if (PQpipelineSync(p->conn) != 1)
    rc = pg_fail(p, NULL, err);
  for (int i = 0; i < p->nPend; i++) {
    PGresult *r;
    int nRows = -2;
    while ((r = PQgetResult(p->conn)) != NULL) {
      ExecStatusType st = PQresultStatus(r);
      if (rc == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = st == PGRES_PIPELINE_ABORTED
                 ? sws_err_set(err, SWS_EDB, "a statement sent to the "
                               "registry's database was not run")
                 : pg_fail(p, r, err);
        if (st != PGRES_PIPELINE_ABORTED)
          r = NULL; /* pg_fail cleared it */
      } else if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        nRows = PQntuples(r);
      }
      PQclear(r);
    }
    if (rc == 0 && p->aPend[i].nRows >= 0 && nRows != p->aPend[i].nRows)
      rc = sws_err_set(err, SWS_ERETRY, "%s", p->aPend[i].zWhy);
  }
  /* the sync point's own result, then out of pipeline mode */
  PGresult *r;
  while ((r = PQgetResult(p->conn)) != NULL) {
    int bSync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (bSync)
      break;
  }
  p->nPend = 0;
  if (PQexitPipelineMode(p->conn) != 1 && rc == 0)
    rc = pg_fail(p, NULL, err);
  p->bPipe = 0;
  return rc;
}

/* Run a statement outside the pipeline: prepared once and kept (bFresh
 * 0), or planned for its values each time (bFresh 1; see run_fresh). */
static int run_as(struct pg_store *p, const char *zSql, int n,
                  const char *const *aVal, const int *aLen, const int *aFmt,
                  PGresult **pRes, int bFresh, struct sws_err *err)
{
  int rc;
  if (pRes)
    *pRes = NULL;
  if (!p->bSending && (rc = pipe_drain(p, err)) != 0)
    return rc;
  if (p->b.bOn && !p->b.bFlushing && (rc = batch_flush(p, err)) != 0)
    return rc;
  PGresult *r;
  if (bFresh && !p->bSending) {
    r = PQexecParams(p->conn, zSql, n, NULL, aVal, aLen, aFmt, 0);
  } else {
    uint32_t h = sws_sql_key(zSql);
    char zName[24];
    int k;
    for (k = 0; k < p->nPrep; k++)
      if (p->aPrep[k].hash == h && strcmp(p->aPrep[k].zSql, zSql) == 0)
        break;
    snprintf(zName, sizeof zName, "s%d", k);
    if (p->bSending)
      return pipe_send(p, zName, zSql, k == p->nPrep, n, aVal, aLen, aFmt, err);
    if (k == p->nPrep) {
      r = PQprepare(p->conn, zName, zSql, n, NULL);
      if (PQresultStatus(r) != PGRES_COMMAND_OK)
        return pg_fail(p, r, err);
      PQclear(r);
      prepared_add(p, zSql, h);
    }
    r = PQexecPrepared(p->conn, zName, n, aVal, aLen, aFmt, 0);
  }
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return pg_fail(p, r, err);
  if (pRes && st == PGRES_TUPLES_OK)
    *pRes = r;
  else
    PQclear(r);
  return SWS_OK;
}

static int run(struct pg_store *p, const char *zSql, int n,
               const char *const *aVal, PGresult **pRes, struct sws_err *err)
{
  return run_as(p, zSql, n, aVal, NULL, NULL, pRes, 0, err);
}

/*
 * A lookup of a set of ids given as an array, planned for the array it
 * gets each time. Kept prepared, PostgreSQL settles on one plan after a
 * few runs and keeps it until the table's statistics change: a plan made
 * while a new registry's tables were nearly empty (a sequential scan)
 * stayed while a first upload filled them, and the push's look-up of its
 * records grew from 1 to 58 ms a batch (bench_sws sync). Planning anew
 * costs about as much as the look-up itself (about 2 ms for 2,000 ids).
 */
static int run_fresh(struct pg_store *p, const char *zSql, int n,
                     const char *const *aVal, PGresult **pRes,
                     struct sws_err *err)
{
  return run_as(p, zSql, n, aVal, NULL, NULL, pRes, 1, err);
}

/* A statement without parameters or prepared plan (transactions, DDL). */
static int exec(struct pg_store *p, const char *zSql, struct sws_err *err)
{
  int rc = pipe_drain(p, err);
  if (rc != 0)
    return rc;
  PGresult *r = PQexec(p->conn, zSql);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return pg_fail(p, r, err);
  PQclear(r);
  return SWS_OK;
}

static const char *col(PGresult *r, int row, int c)
{
  return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

static const char *col_str(PGresult *r, int row, int c)
{
  return PQgetvalue(r, row, c); /* "" for NULL */
}

static int64_t col_int(PGresult *r, int row, int c)
{
  return PQgetisnull(r, row, c) ? 0 : strtoll(PQgetvalue(r, row, c), NULL,
                                              10);
}

static void fmt_int(char *z, int64_t v)
{
  snprintf(z, 24, "%lld", (long long)v);
}

/* ---- the entity tables ---- */

/* The type of column zCol of table zTable as SQL names it ("uuid",
 * "double precision"), into z; "" when the table has no such column. */
static int column_type(struct pg_store *p, const char *zTable, const char *zCol,
                       char *z, size_t n, struct sws_err *err)
{
  PGresult *r;
  const char *v[2] = {zTable, zCol};
  int rc = run(p,
               "SELECT format_type(a.atttypid, a.atttypmod) FROM "
               "pg_attribute a WHERE a.attrelid = to_regclass($1) AND "
               "a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
               2, v, &r, err);
  if (rc != 0)
    return rc;
  sws_strlcpy(z, PQntuples(r) == 1 ? col_str(r, 0, 0) : "", n);
  PQclear(r);
  return SWS_OK;
}

static int entity_sql_init(struct pg_store *p, struct sws_err *err)
{
  for (int e = 0; fields_entities[e] && e < CENTRAL_ENTITIES; e++) {
    const struct fields_rule *a;
    int n = 0;
    struct entity_sql *x = &p->aEnt[p->nEnt++];
    /* the statements, and the lists of columns they are made of */
    struct buf get = BUF_INIT, put = BUF_INIT, sel = BUF_INIT, many = BUF_INIT,
               cols = BUF_INIT, vals = BUF_INIT, set = BUF_INIT,
               xcols = BUF_INIT, params = BUF_INIT, jvals = BUF_INIT;
    struct buf *aAll[] = {&get,  &put, &sel,   &many,   &cols,
                          &vals, &set, &xcols, &params, &jvals};
    int rc = SWS_OK;
    x->zEntity = fields_entities[e];
    fields_rules(x->zEntity, &a, &n);
    if (n + 2 > PG_COLS_MAX)
      rc = sws_err_set(err, SWS_ESCHEMA,
                       "the registry's table %s has "
                       "more columns than sws can send at once",
                       x->zEntity);
    x->azCol[x->nCol++] = "id";
    x->azCol[x->nCol++] = "r_owner";
    buf_puts(&params, "$1::text[], $2::text[]");
    for (int i = 0; i < n && rc == 0; i++) {
      char zType[64];
      rc = column_type(p, x->zEntity, a[i].zName, zType, sizeof zType, err);
      if (rc == 0 && zType[0] == '\0')
        rc = sws_err_set(err, SWS_ESCHEMA,
                         "the registry's table %s has no "
                         "column %s; upgrade the registry's schema",
                         x->zEntity, a[i].zName);
      if (rc != 0)
        break;
      x->azCol[x->nCol++] = a[i].zName;
      buf_appendf(&cols, ", %s", a[i].zName);
      if (strcmp(zType, "text") == 0)
        buf_appendf(&vals, ", x.%s", a[i].zName);
      else
        buf_appendf(&vals, ", x.%s::%s", a[i].zName, zType);
      buf_appendf(&jvals, ", j.%s", a[i].zName);
      buf_appendf(&xcols, ", %s", a[i].zName);
      buf_appendf(&params, ", $%d::text[]", x->nCol);
      buf_appendf(&set, ", %s = excluded.%s", a[i].zName, a[i].zName);
    }
    if (rc != 0) {
      for (size_t k = 0; k < sizeof aAll / sizeof aAll[0]; k++)
        buf_release(aAll[k]);
      return rc;
    }
    /* the names come from the constant rule tables, never from a request */
    buf_appendf(&sel, "SELECT t.id::text, (to_jsonb(t) - " REG_COLS
                ")::text, t.r_owner FROM %s t", x->zEntity);
    buf_appendf(&get, "SELECT (to_jsonb(t) - " REG_COLS ")::text, t.r_owner "
                "FROM %s t WHERE t.id = $1::uuid", /* lint: ok */
                x->zEntity);
    buf_appendf(&put,
                /* names from the rule tables, never from a request */
                "INSERT INTO %s(id, r_owner, r_version, " /* lint: ok */
                "r_created_at, r_updated_at%s) SELECT "   /* lint: ok */
                "$1::uuid, $2, 1, now(), now()%s "
                "FROM jsonb_populate_record(NULL::%s, $3::jsonb) j ON "
                "CONFLICT (id) DO UPDATE SET r_owner = excluded.r_owner, "
                "r_version = %s.r_version + 1, r_updated_at = now()%s",
                x->zEntity, buf_str(&cols), buf_str(&jvals), x->zEntity,
                x->zEntity, buf_str(&set));
    x->zGet = sws_strdup(buf_str(&get));
    x->zPut = sws_strdup(buf_str(&put));
    buf_appendf(&many,
                "INSERT INTO %s(id, r_owner, r_version, " /* lint: ok */
                "r_created_at, r_updated_at%s) SELECT "   /* lint: ok */
                "x.id::uuid, x.r_owner, 1, now(), now()%s FROM "
                "unnest(%s) AS x(id, r_owner%s) ON CONFLICT (id) DO ",
                x->zEntity, buf_str(&cols), buf_str(&vals), buf_str(&params),
                buf_str(&xcols));
    size_t nBase = many.n;
    buf_puts(&many, "NOTHING RETURNING id");
    x->zPutNew = sws_strdup(buf_str(&many));
    many.n = nBase;
    buf_appendf(&many, "UPDATE SET r_owner = excluded.r_owner, r_version = "
                "%s.r_version + 1, r_updated_at = now()%s",
                x->zEntity, buf_str(&set));
    x->zPutMany = sws_strdup(buf_str(&many));
    x->zSel = sws_strdup(buf_str(&sel));
    for (size_t k = 0; k < sizeof aAll / sizeof aAll[0]; k++)
      buf_release(aAll[k]);
  }
  return SWS_OK;
}

static const struct entity_sql *entity_sql(struct pg_store *p,
                                           const char *zEntity,
                                           struct sws_err *err)
{
  for (int i = 0; zEntity && i < p->nEnt; i++)
    if (strcmp(p->aEnt[i].zEntity, zEntity) == 0)
      return &p->aEnt[i];
  sws_err_set(err, SWS_EINVAL, "'%s' is not an entity the registry holds",
              zEntity ? zEntity : "");
  return NULL;
}

/* ---- a push applied set-wise ---- */

static void batch_key(char *z, size_t n, const char *zEntity,
                      const char *zId)
{
  snprintf(z, n, "%s/%s", zEntity, zId);
}

static void batch_clear(struct pg_store *p)
{
  struct batch *b = &p->b;
  json_t **aj[] = {&b->recs, &b->alias, &b->survivors, &b->held,
                   &b->regnos, &b->wrec, &b->wregno, &b->wmut, &b->wfeed,
                   &b->whold, &b->wperson};
  for (size_t i = 0; i < sizeof aj / sizeof aj[0]; i++) {
    json_decref(*aj[i]);
    *aj[i] = NULL;
  }
  for (int i = 0; i < b->nDev; i++)
    free(b->aDev[i].a);
  b->nDev = 0;
  b->bOn = 0;
  b->bFlushing = 0;
  b->nExpect = -1;
  b->zExpectWhy = NULL;
}

/*
 * Send the writes kept so far without waiting for them: PostgreSQL stores
 * one chunk of the batch while the push works out the next (the two took
 * turns before: a third of the push). The results are read before the
 * next chunk goes, before any other statement, and at the commit, where a
 * failure of any of them makes the push roll back.
 */
static int batch_send(struct pg_store *p, struct sws_err *err)
{
  int rc = pipe_drain(p, err); /* the chunk before, done by now */
  if (rc != 0)
    return rc;
  p->bSending = 1;
  rc = batch_flush(p, err);
  p->bSending = 0;
  return rc;
}

/* A PostgreSQL array literal of the keys of a JSON object ({"a","b"}):
 * UUIDs only, so nothing needs quoting. */
static void uuid_array(struct buf *out, json_t *obj)
{
  const char *k;
  json_t *v;
  int n = 0;
  buf_reset(out);
  buf_puts(out, "{");
  json_object_foreach(obj, k, v)
  {
    (void)v;
    if (!uuid_shaped(k))
      continue;
    buf_appendf(out, "%s%s", n++ ? "," : "", k);
  }
  buf_puts(out, "}");
}

/* Send one kept write: zSql with rows (a JSON array of objects) as
 * columns azCol[0..nCol-1] in $1..$nCol (see pg_cols.h). *pN gets the rows
 * it returned, when asked. */
static int flush_cols(struct pg_store *p, const char *zSql, json_t *rows,
                      const char *const *azCol, int nCol, int *pN,
                      struct sws_err *err)
{
  struct pg_cols c;
  PGresult *r = NULL;
  size_t i;
  json_t *row;
  pg_cols_init(&c, nCol);
  json_array_foreach(rows, i, row)
  {
    for (int k = 0; k < nCol; k++)
      pg_cols_json(&c, k, json_object_get(row, azCol[k]));
  }
  int rc = pg_cols_finish(&c, err);
  if (rc == 0)
    rc = run_as(p, zSql, c.n, c.aVal, c.aLen, c.aFmt, pN ? &r : NULL, 0, err);
  if (rc == 0 && pN)
    *pN = PQntuples(r);
  PQclear(r);
  pg_cols_release(&c);
  return rc;
}

static int batch_flush(struct pg_store *p, struct sws_err *err)
{
  struct batch *b = &p->b;
  int rc = SWS_OK;
  if (!b->bOn || b->bFlushing)
    return SWS_OK;
  b->bFlushing = 1;
  /* records: one statement per table for the new ones, one for the rest */
  const char *zEntity;
  json_t *byId;
  json_object_foreach(b->wrec, zEntity, byId)
  {
    const struct entity_sql *x = entity_sql(p, zEntity, err);
    json_t *aNew = json_array(), *aOld = json_array();
    const char *zId;
    json_t *w;
    if (x == NULL) {
      rc = err->code;
      json_decref(aNew);
      json_decref(aOld);
      break;
    }
    json_object_foreach(byId, zId, w)
      json_array_append(json_is_true(json_object_get(w, "new")) ? aNew
                                                                : aOld,
                        json_object_get(w, "row"));
    if (json_array_size(aNew) > 0) {
      int n = 0, nWant = (int)json_array_size(aNew);
      /* a record this batch found absent is inserted, never overwritten:
       * one that another push inserted meanwhile makes this push run
       * again, and then the ownership rule judges it (sent in a pipeline,
       * the count is checked when the results are read) */
      p->b.nExpect = nWant;
      p->b.zExpectWhy = "another push created one of these records at the "
                        "same time; try again";
      rc = flush_cols(p, x->zPutNew, aNew, x->azCol, x->nCol,
                      p->bSending ? NULL : &n, err);
      p->b.nExpect = -1;
      if (rc == 0 && !p->bSending && n != nWant)
        rc = sws_err_set(err, SWS_ERETRY, "another push created one of "
                         "these %s records at the same time; try again",
                         zEntity);
    }
    if (rc == 0 && json_array_size(aOld) > 0)
      rc = flush_cols(p, x->zPutMany, aOld, x->azCol, x->nCol, NULL, err);
    json_decref(aNew);
    json_decref(aOld);
    if (rc != 0)
      break;
  }
  json_object_clear(b->wrec);
  if (rc == 0 && json_object_size(b->wperson) > 0) {
    json_t *rows = json_array(), *ids = json_object();
    const char *zM;
    json_t *pr;
    struct buf arr = BUF_INIT;
    json_object_foreach(b->wperson, zM, pr)
    {
      json_array_append(rows, pr);
      json_object_set(ids, zM, json_true());
    }
    uuid_array(&arr, ids);
    const char *v[1] = {buf_str(&arr)};
    rc = run(p, "DELETE FROM person_key WHERE member_id = ANY($1::uuid[])",
             1, v, NULL, err);
    static const char *const PERSON[] = {
        "member_id", "household_id", "office",      "name",
        "sex",       "born",         "national_id", "area"};
    if (rc == 0)
      rc = flush_cols(
          p,
          "INSERT INTO person(member_id, household_id, office, name, sex, "
          "born, national_id, area, indexed) SELECT member_id::uuid, "
          "household_id::uuid, office, name, sex, born, national_id, area, "
          "0 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
          "$5::text[], $6::text[], $7::text[], $8::text[]) AS x(member_id, "
          "household_id, office, name, sex, born, national_id, area) ON "
          "CONFLICT (member_id) DO UPDATE SET "
          "household_id = excluded.household_id, office = excluded.office, "
          "name = excluded.name, sex = excluded.sex, born = excluded.born, "
          "national_id = excluded.national_id, area = excluded.area, "
          "indexed = 0",
          rows, PERSON, 8, NULL, err);
    buf_release(&arr);
    json_decref(rows);
    json_decref(ids);
    json_object_clear(b->wperson);
  }
  static const char *const HOLD[] = {"office", "entity", "id", "since"};
  if (rc == 0 && json_array_size(b->whold) > 0)
    rc = flush_cols(p,
                    "INSERT INTO holding(office, entity, id, since) SELECT "
                    "office, entity, id::uuid, since FROM unnest($1::text[], "
                    "$2::text[], $3::text[], $4::text[]) AS x(office, "
                    "entity, id, since) ON CONFLICT DO NOTHING",
                    b->whold, HOLD, 4, NULL, err);
  json_array_clear(b->whold);
  static const char *const MUT[] = {"office",    "seq", "entity",
                                    "entity_id", "op",  "verdict",
                                    "detail",    "at",  "hash"};
  if (rc == 0 && json_array_size(b->wmut) > 0)
    rc = flush_cols(p,
                    "INSERT INTO mutation(office, seq, entity, entity_id, "
                    "op, verdict, detail, at, hash) SELECT office, "
                    "seq::bigint, entity, entity_id, op, verdict, detail, "
                    "at, hash FROM unnest($1::text[], $2::text[], "
                    "$3::text[], $4::text[], $5::text[], $6::text[], "
                    "$7::text[], $8::text[], $9::text[]) AS x(office, seq, "
                    "entity, entity_id, op, verdict, detail, at, hash) ON "
                    "CONFLICT "
                    "(office, seq) DO UPDATE SET entity = excluded.entity, "
                    "entity_id = excluded.entity_id, op = excluded.op, "
                    "verdict = excluded.verdict, detail = excluded.detail, "
                    "at = excluded.at, hash = excluded.hash",
                    b->wmut, MUT, 9, NULL, err);
  json_array_clear(b->wmut);
  static const char *const FEED[] = {"office", "kind", "payload", "at"};
  if (rc == 0 && json_array_size(b->wfeed) > 0)
    /* in the order they were written: the feed's numbers follow it */
    rc = flush_cols(p,
                    "INSERT INTO feed(office, kind, payload, at) SELECT "
                    "office, kind, payload, at FROM unnest($1::text[], "
                    "$2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS "
                    "x(office, kind, payload, at, n) ORDER BY n",
                    b->wfeed, FEED, 4, NULL, err);
  json_array_clear(b->wfeed);
  b->bFlushing = 0;
  return rc;
}

/* What batch p of office zOffice's device will read, loaded at once: the
 * records it names (locked, as record_lock would), the aliases of the
 * households among them, which of them merged households point at, and
 * which the office holds. */
static int s_push_prefetch(struct central_store *s, const char *zOffice,
                           const struct proto_push *pp, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  struct batch *b = &p->b;
  json_t *ids = json_object(); /* entity -> {id: true} */
  struct buf arr = BUF_INIT;
  char zKey[120];
  int rc = SWS_OK;
  batch_clear(p);
  b->recs = json_object();
  b->alias = json_object();
  b->survivors = json_object();
  b->held = json_object();
  b->regnos = json_object();
  b->wrec = json_object();
  b->wregno = json_object();
  b->wmut = json_array();
  b->wfeed = json_array();
  b->whold = json_array();
  b->wperson = json_object();
  sws_strlcpy(b->zOffice, zOffice, sizeof b->zOffice);
  for (int i = 0; i < pp->n; i++) {
    const struct proto_mutation *m = &pp->a[i];
    const struct fields_ref *a;
    int n = 0;
    if (entity_sql(p, m->zEntity, NULL) == NULL || !uuid_shaped(m->zId))
      continue;
    const char *zRegno = strcmp(m->zEntity, "household") == 0
                             ? json_string_value(json_object_get(m->fields,
                                                                 "regno"))
                             : NULL;
    if (zRegno) /* asked whether another household has it already */
      json_object_set_new(b->regnos, zRegno, json_array());
    json_t *e = json_object_get(ids, m->zEntity);
    if (e == NULL)
      json_object_set_new(ids, m->zEntity, e = json_object());
    json_object_set(e, m->zId, json_true());
    fields_refs(m->zEntity, &a, &n);
    for (int k = 0; k < n; k++) {
      const char *zRef = json_string_value(json_object_get(m->fields,
                                                           a[k].zField));
      if (!uuid_shaped(zRef))
        continue;
      json_t *e2 = json_object_get(ids, a[k].zEntity);
      if (e2 == NULL)
        json_object_set_new(ids, a[k].zEntity, e2 = json_object());
      json_object_set(e2, zRef, json_true());
    }
  }
  const char *zEntity;
  json_t *e;
  json_object_foreach(ids, zEntity, e)
  {
    const struct entity_sql *x = entity_sql(p, zEntity, err);
    PGresult *r;
    const char *zId;
    json_t *t;
    json_object_foreach(e, zId, t)
    {
      batch_key(zKey, sizeof zKey, zEntity, zId);
      json_object_set_new(b->recs, zKey, json_null());
      json_object_set_new(b->held, zKey, json_false());
    }
    uuid_array(&arr, e);
    struct buf sql = BUF_INIT;
    buf_appendf(&sql, "%s WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR "
                "UPDATE", x->zSel);
    const char *v[1] = {buf_str(&arr)};
    rc = run_fresh(p, buf_str(&sql), 1, v, &r, err);
    buf_release(&sql);
    if (rc != 0)
      goto out;
    for (int i = 0; i < PQntuples(r); i++) {
      batch_key(zKey, sizeof zKey, zEntity, col_str(r, i, 0));
      json_object_set_new(b->recs, zKey,
                          json_pack("{s:s, s:s}", "f", col_str(r, i, 1), "o",
                                    col_str(r, i, 2)));
    }
    PQclear(r);
  }
  /* aliases of the households named, and merged households pointing at
   * them */
  json_t *hh = json_object_get(ids, "household");
  if (hh && json_object_size(hh) > 0) {
    PGresult *r;
    const char *zId;
    json_t *t;
    json_object_foreach(hh, zId, t)
      json_object_set_new(b->alias, zId, json_null());
    uuid_array(&arr, hh);
    const char *v[1] = {buf_str(&arr)};
    if ((rc = run_fresh(p,
                        "SELECT merged_id::text, survivor_id::text FROM alias "
                        "WHERE active = 1 AND (merged_id = ANY($1::uuid[]) OR "
                        "survivor_id = ANY($1::uuid[]))",
                        1, v, &r, err)) != 0)
      goto out;
    for (int i = 0; i < PQntuples(r); i++) {
      if (json_object_get(b->alias, col_str(r, i, 0)))
        json_object_set_new(b->alias, col_str(r, i, 0),
                            json_string(col_str(r, i, 1)));
      json_object_set_new(b->survivors, col_str(r, i, 1), json_true());
    }
    PQclear(r);
  }
  /* the households that have the batch's new numbers already */
  if (json_object_size(b->regnos) > 0) {
    PGresult *r;
    json_t *list = json_array();
    const char *zR;
    json_t *t;
    json_object_foreach(b->regnos, zR, t)
      json_array_append_new(list, json_string(zR));
    char *zList = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    const char *v[1] = {zList};
    rc = run_fresh(p,
                   "SELECT t.regno, t.id::text FROM household t WHERE t.regno "
                   "IN (SELECT jsonb_array_elements_text($1::jsonb))",
                   1, v, &r, err);
    free(zList);
    if (rc != 0)
      goto out;
    for (int i = 0; i < PQntuples(r); i++)
      json_array_append_new(json_object_get(b->regnos, col_str(r, i, 0)),
                            json_string(col_str(r, i, 1)));
    PQclear(r);
  }
  /* what the office holds among them */
  {
    PGresult *r;
    json_t *all = json_object();
    json_object_foreach(ids, zEntity, e)
      json_object_update(all, e);
    uuid_array(&arr, all);
    json_decref(all);
    const char *v[2] = {zOffice, buf_str(&arr)};
    if ((rc =
             run_fresh(p,
                       "SELECT entity, id::text FROM holding WHERE office = $1 "
                       "AND id = ANY($2::uuid[])",
                       2, v, &r, err)) != 0)
      goto out;
    for (int i = 0; i < PQntuples(r); i++) {
      batch_key(zKey, sizeof zKey, col_str(r, i, 0), col_str(r, i, 1));
      json_object_set_new(b->held, zKey, json_true());
    }
    PQclear(r);
  }
  b->bOn = 1;
out:
  if (rc != 0)
    batch_clear(p);
  buf_release(&arr);
  json_decref(ids);
  return rc;
}

/* ---- the operations ---- */

static void s_close(struct central_store *s)
{
  struct pg_store *p = PG(s);
  if (p == NULL)
    return;
  batch_clear(p);
  if (p->conn)
    PQfinish(p->conn);
  for (int i = 0; i < p->nPrep; i++)
    free(p->aPrep[i].zSql);
  free(p->aPrep);
  for (int i = 0; i < p->nEnt; i++) {
    free(p->aEnt[i].zGet);
    free(p->aEnt[i].zPut);
    free(p->aEnt[i].zPutNew);
    free(p->aEnt[i].zPutMany);
    free(p->aEnt[i].zSel);
  }
  free(p);
}

static int s_begin(struct central_store *s, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  char z[32];
  int rc;
  if (p->nTx == 0)
    rc = exec(p, "BEGIN", err);
  else {
    snprintf(z, sizeof z, "SAVEPOINT s%d", p->nTx);
    rc = exec(p, z, err);
  }
  if (rc == 0)
    p->nTx++;
  return rc;
}

static int s_commit(struct central_store *s, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  char z[40];
  if (p->nTx == 0)
    return sws_err_set(err, SWS_EDB, "commit without a transaction");
  if (p->nTx == 1 && p->b.bOn) {
    /* the batch's kept writes first; if they fail, nothing is committed
     * and the caller rolls back */
    int rc = batch_flush(p, err);
    batch_clear(p);
    if (rc != 0)
      return rc;
  }
  /* what was sent ahead must have gone through before anything commits;
   * if not, the transaction is still ours for the caller to roll back */
  int rc = pipe_drain(p, err);
  if (rc != 0)
    return rc;
  p->nTx--;
  if (p->nTx > 0) {
    snprintf(z, sizeof z, "RELEASE SAVEPOINT s%d", p->nTx);
    return exec(p, z, err);
  }
  return exec(p, "COMMIT", err);
}

static void s_rollback(struct central_store *s)
{
  struct pg_store *p = PG(s);
  char z[48];
  if (p->nTx == 0)
    return;
  pipe_drain(p, NULL); /* whatever was sent is rolled back with the rest */
  p->nTx--;
  if (p->nTx > 0) {
    snprintf(z, sizeof z, "ROLLBACK TO SAVEPOINT s%d", p->nTx);
    exec(p, z, NULL);
  } else {
    batch_clear(p);
    exec(p, "ROLLBACK", NULL);
  }
}

static int s_registry_get(struct central_store *s, char *zName, size_t nName,
                          unsigned char key[32], int64_t *epoch,
                          struct sws_err *err)
{
  PGresult *r;
  int rc = run(PG(s), "SELECT name, encode(cursor_key, 'hex'), epoch FROM "
                      "registry WHERE id = 1",
               0, NULL, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1 && sws_unhex(key, 32, col_str(r, 0, 1)) == 0) {
    if (zName)
      sws_strlcpy(zName, col_str(r, 0, 0), nName);
    *epoch = col_int(r, 0, 2);
    rc = SWS_OK;
  } else {
    rc = sws_err_set(err, SWS_ESCHEMA, "the central registry has no "
                     "registry row; was it made with 'sws central init'?");
  }
  PQclear(r);
  return rc;
}

#define OFFICE_COLS                                                          \
  "code, name, encode(public_key, 'hex'), key_id, status, ack_seq, "        \
  "enrolled_at, coalesce(last_push_at, ''), coalesce(last_pull_at, ''), "   \
  "clock_skew_s, coalesce(office_code, code), coalesce(diverged_seq, 0), "   \
  "coalesce(diverged_at, '')"

static void fill_office(PGresult *r, int i, struct central_office *o)
{
  memset(o, 0, sizeof *o);
  sws_strlcpy(o->zCode, col_str(r, i, 0), sizeof o->zCode);
  sws_strlcpy(o->zName, col_str(r, i, 1), sizeof o->zName);
  if (sws_unhex(o->pk, SWS_PK_BYTES, col_str(r, i, 2)) != 0)
    memset(o->pk, 0, sizeof o->pk);
  sws_strlcpy(o->zKeyId, col_str(r, i, 3), sizeof o->zKeyId);
  o->active = strcmp(col_str(r, i, 4), "active") == 0;
  o->ack = col_int(r, i, 5);
  sws_strlcpy(o->zEnrolledAt, col_str(r, i, 6), sizeof o->zEnrolledAt);
  sws_strlcpy(o->zLastPushAt, col_str(r, i, 7), sizeof o->zLastPushAt);
  sws_strlcpy(o->zLastPullAt, col_str(r, i, 8), sizeof o->zLastPullAt);
  o->hasSkew = !PQgetisnull(r, i, 9);
  o->skew = col_int(r, i, 9);
  sws_strlcpy(o->zOffice, col_str(r, i, 10), sizeof o->zOffice);
  o->divergedSeq = col_int(r, i, 11);
  sws_strlcpy(o->zDivergedAt, col_str(r, i, 12), sizeof o->zDivergedAt);
}

static int office_one(struct central_store *s, const char *zSql,
                      const char *zCode, struct central_office *out,
                      struct sws_err *err)
{
  PGresult *r;
  const char *v[1] = {zCode};
  int rc = run(PG(s), zSql, 1, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    fill_office(r, 0, out);
    rc = SWS_OK;
  } else {
    rc = sws_err_set(err, SWS_ENOTFOUND, "office '%s' is not enrolled at "
                     "this central registry", zCode);
  }
  PQclear(r);
  return rc;
}

static int s_office_get(struct central_store *s, const char *zCode,
                        struct central_office *out, struct sws_err *err)
{
  return office_one(s, "SELECT " OFFICE_COLS " FROM office WHERE code = $1",
                    zCode, out, err);
}

static int s_office_lock(struct central_store *s, const char *zCode,
                         struct central_office *out, struct sws_err *err)
{
  return office_one(s, "SELECT " OFFICE_COLS " FROM office WHERE code = $1 "
                       "FOR UPDATE",
                    zCode, out, err);
}

static int s_office_put(struct central_store *s, const struct central_office *o,
                        struct sws_err *err)
{
  char zPk[2 * SWS_PK_BYTES + 1], zAck[24], zSkew[24], zDseq[24], zNow[32];
  now(zNow);
  sws_hex(zPk, o->pk, SWS_PK_BYTES);
  fmt_int(zAck, o->ack);
  fmt_int(zSkew, o->skew);
  fmt_int(zDseq, o->divergedSeq);
  const char *v[13] = {o->zCode,
                       strcmp(o->zOffice, o->zCode) && o->zOffice[0]
                           ? o->zOffice
                           : NULL,
                       o->zName,
                       zPk,
                       o->zKeyId,
                       o->active ? "active" : "revoked",
                       zAck,
                       o->zEnrolledAt[0] ? o->zEnrolledAt : zNow,
                       o->zLastPushAt[0] ? o->zLastPushAt : NULL,
                       o->zLastPullAt[0] ? o->zLastPullAt : NULL,
                       o->hasSkew ? zSkew : NULL,
                       o->divergedSeq ? zDseq : NULL,
                       o->zDivergedAt[0] ? o->zDivergedAt : NULL};
  int rc = run(PG(s),
               "INSERT INTO office(code, office_code, name, public_key, "
               "key_id, status, ack_seq, enrolled_at, revoked_at, "
               "last_push_at, last_pull_at, clock_skew_s, diverged_seq, "
               "diverged_at) VALUES ($1, $2, $3, decode($4, 'hex'), $5, $6, "
               "$7, $8, CASE WHEN $6 = 'revoked' THEN $8 END, $9, $10, $11, "
               "$12, $13) ON CONFLICT (code) DO UPDATE SET office_code = "
               "excluded.office_code, name = excluded.name, public_key = "
               "excluded.public_key, key_id = excluded.key_id, status = "
               "excluded.status, ack_seq = excluded.ack_seq, revoked_at = "
               "CASE WHEN excluded.status = 'revoked' THEN "
               "coalesce(office.revoked_at, excluded.enrolled_at) END, "
               "last_push_at = excluded.last_push_at, last_pull_at = "
               "excluded.last_pull_at, clock_skew_s = excluded.clock_skew_s, "
               "diverged_seq = excluded.diverged_seq, diverged_at = "
               "excluded.diverged_at",
               13, v, NULL, err);
  return rc;
}

static int office_each(struct central_store *s, const char *zSql, int n,
                       const char *const *v,
                       int (*fn)(const struct central_office *, void *),
                       void *arg, struct sws_err *err)
{
  PGresult *r;
  int rc = run(PG(s), zSql, n, v, &r, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < PQntuples(r); i++) {
    struct central_office o;
    fill_office(r, i, &o);
    if (fn(&o, arg) != 0)
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_office_list(struct central_store *s,
                         int (*fn)(const struct central_office *, void *),
                         void *arg, struct sws_err *err)
{
  return office_each(s, "SELECT " OFFICE_COLS " FROM office ORDER BY code",
                     0, NULL, fn, arg, err);
}

struct dev_take {
  struct devices *d;
};

static int take_device(const struct central_office *o, void *arg)
{
  struct devices *d = ((struct dev_take *)arg)->d;
  d->a = sws_realloc(d->a, sizeof *d->a * (size_t)(d->n + 1));
  d->a[d->n++] = *o;
  return 0;
}

static int s_office_devices(struct central_store *s, const char *zOffice,
                            int (*fn)(const struct central_office *, void *),
                            void *arg, struct sws_err *err)
{
  struct batch *b = &PG(s)->b;
  const char *v[1] = {zOffice};
  static const char zSql[] = "SELECT " OFFICE_COLS " FROM office WHERE "
                             "coalesce(office_code, code) = $1 ORDER BY code";
  if (!b->bOn)
    return office_each(s, zSql, 1, v, fn, arg, err);
  /* a push asks for the same office's devices for every record it
   * writes: once per batch is enough (enrolment does not happen in it) */
  int k;
  for (k = 0; k < b->nDev; k++)
    if (strcmp(b->aDev[k].zOffice, zOffice) == 0)
      break;
  if (k == b->nDev) {
    if (b->nDev == BATCH_OFFICES)
      return office_each(s, zSql, 1, v, fn, arg, err);
    struct devices *d = &b->aDev[b->nDev];
    memset(d, 0, sizeof *d);
    sws_strlcpy(d->zOffice, zOffice, sizeof d->zOffice);
    struct dev_take t = {d};
    int rc = office_each(s, zSql, 1, v, take_device, &t, err);
    if (rc != 0) {
      free(d->a);
      return rc;
    }
    b->nDev++;
  }
  for (int i = 0; i < b->aDev[k].n; i++)
    if (fn(&b->aDev[k].a[i], arg) != 0)
      break;
  return SWS_OK;
}

static int s_nonce_use(struct central_store *s, const char *zOffice,
                       const char *zNonce, int64_t ts, int64_t tsOldest,
                       struct sws_err *err)
{
  char zTs[24], zOld[24];
  PGresult *r;
  fmt_int(zTs, ts);
  fmt_int(zOld, tsOldest);
  const char *v1[1] = {zOld};
  int rc = run(PG(s), "DELETE FROM nonce WHERE ts < $1", 1, v1, NULL, err);
  if (rc != 0)
    return rc;
  const char *v[3] = {zOffice, zNonce, zTs};
  if ((rc = run(PG(s), "INSERT INTO nonce(office, nonce, ts) VALUES ($1, "
                       "$2, $3) ON CONFLICT DO NOTHING RETURNING 1",
                3, v, &r, err)) != 0)
    return rc;
  int n = PQntuples(r);
  PQclear(r);
  if (n == 0)
    return sws_err_set(err, SWS_ECONFLICT, "this request was already "
                       "received (a replayed nonce)");
  return SWS_OK;
}

static int s_mutation_get(struct central_store *s, const char *zOffice,
                          int64_t seq, char *zVerdict, size_t nVerdict,
                          char **pzDetail, char *zHash, struct sws_err *err)
{
  char zSeq[24];
  PGresult *r;
  fmt_int(zSeq, seq);
  const char *v[2] = {zOffice, zSeq};
  int rc = run(PG(s), "SELECT verdict, detail, coalesce(hash, '') FROM "
                      "mutation WHERE office = $1 AND seq = $2",
               2, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    sws_strlcpy(zVerdict, col_str(r, 0, 0), nVerdict);
    if (pzDetail)
      *pzDetail = sws_strdup(col_str(r, 0, 1));
    if (zHash)
      sws_strlcpy(zHash, col_str(r, 0, 2), CENTRAL_HASH_MAX);
    rc = SWS_OK;
  } else {
    rc = SWS_ENOTFOUND;
  }
  PQclear(r);
  return rc;
}

static int s_mutation_put(struct central_store *s, const char *zOffice,
                          int64_t seq, const char *zEntity, const char *zId,
                          const char *zOp, const char *zVerdict,
                          const char *zDetail, const char *zHash,
                          struct sws_err *err)
{
  char zSeq[24], zNow[32];
  fmt_int(zSeq, seq);
  now(zNow);
  struct batch *b = &PG(s)->b;
  if (b->bOn) {
    json_array_append_new(
        b->wmut,
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "office",
                  zOffice, "seq", (json_int_t)seq, "entity", zEntity,
                  "entity_id", zId, "op", zOp, "verdict", zVerdict, "detail",
                  zDetail ? zDetail : "", "at", zNow, "hash",
                  zHash && zHash[0] ? zHash : NULL));
    /* a mutation done: every PIPE_CHUNK, what is kept goes on its way */
    if (json_array_size(b->wmut) >= PIPE_CHUNK)
      return batch_send(PG(s), err);
    return SWS_OK;
  }
  const char *v[9] = {zOffice, zSeq,    zEntity,
                      zId,     zOp,     zVerdict,
                      zDetail ? zDetail : "", zNow,
                      zHash && zHash[0] ? zHash : NULL};
  return run(PG(s),
             "INSERT INTO mutation(office, seq, entity, entity_id, op, "
             "verdict, detail, at, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, "
             "$8, $9) ON CONFLICT (office, seq) DO UPDATE SET entity = "
             "excluded.entity, entity_id = excluded.entity_id, op = "
             "excluded.op, verdict = excluded.verdict, detail = "
             "excluded.detail, at = excluded.at, hash = excluded.hash",
             9, v, NULL, err);
}

static int record_read(struct central_store *s, const char *zEntity,
                       const char *zId, char **pzFields, char *zOffice,
                       int bLock, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  const struct entity_sql *x = entity_sql(p, zEntity, err);
  PGresult *r;
  if (x == NULL)
    return err->code;
  if (!uuid_shaped(zId))
    return SWS_ENOTFOUND;
  if (p->b.bOn) {
    char zKey[120];
    batch_key(zKey, sizeof zKey, zEntity, zId);
    json_t *c = json_object_get(p->b.recs, zKey);
    if (json_is_null(c))
      return SWS_ENOTFOUND;
    if (c) { /* loaded (and locked) by the prefetch, or written since */
      if (pzFields)
        *pzFields = sws_strdup(json_string_value(json_object_get(c, "f")));
      if (zOffice)
        sws_strlcpy(zOffice, json_string_value(json_object_get(c, "o")),
                    CENTRAL_CODE_MAX);
      return SWS_OK;
    }
  }
  struct buf sql = BUF_INIT;
  buf_puts(&sql, x->zGet);
  if (bLock && p->nTx > 0)
    buf_puts(&sql, " FOR UPDATE");
  const char *v[1] = {zId};
  int rc = run(p, buf_str(&sql), 1, v, &r, err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    if (pzFields)
      *pzFields = sws_strdup(col_str(r, 0, 0));
    if (zOffice)
      sws_strlcpy(zOffice, col_str(r, 0, 1), CENTRAL_CODE_MAX);
    rc = SWS_OK;
  } else {
    rc = SWS_ENOTFOUND;
  }
  PQclear(r);
  return rc;
}

static int s_record_get(struct central_store *s, const char *zEntity,
                        const char *zId, char **pzFields, char *zOffice,
                        struct sws_err *err)
{
  return record_read(s, zEntity, zId, pzFields, zOffice, 0, err);
}

/* inside a transaction (a push, a decision) the record is locked until it
 * ends: what was read is what gets changed */
static int s_record_lock(struct central_store *s, const char *zEntity,
                         const char *zId, char **pzFields, char *zOffice,
                         struct sws_err *err)
{
  return record_read(s, zEntity, zId, pzFields, zOffice, 1, err);
}

static int s_record_put(struct central_store *s, const char *zEntity,
                        const char *zId, const char *zOffice,
                        const char *zFields, const json_t *fields,
                        struct sws_err *err)
{
  const struct entity_sql *x = entity_sql(PG(s), zEntity, err);
  if (x == NULL)
    return err->code;
  if (!uuid_shaped(zId))
    return sws_err_set(err, SWS_EINVAL, "'%.40s' is not a record id",
                       zId ? zId : "");
  struct batch *b = &PG(s)->b;
  if (b->bOn) {
    char zKey[120];
    /* the row to flush: the caller's values (a shallow copy: its own stay
     * as they are) or read from the text */
    json_t *row = json_is_object(fields) ? json_copy((json_t *)fields)
                                         : json_loads(zFields, 0, NULL);
    if (!json_is_object(row)) {
      json_decref(row);
      return sws_err_set(err, SWS_EINVAL, "a record to store is not a JSON "
                         "object");
    }
    batch_key(zKey, sizeof zKey, zEntity, zId);
    json_t *c = json_object_get(b->recs, zKey);
    json_t *byId = json_object_get(b->wrec, zEntity);
    if (byId == NULL)
      json_object_set_new(b->wrec, zEntity, byId = json_object());
    json_t *prev = json_object_get(byId, zId);
    /* new: the prefetch found it absent (or an earlier write of this batch
     * was new); a record not prefetched is upserted as before */
    int bNew = json_is_null(c) ||
               (prev && json_is_true(json_object_get(prev, "new")));
    if (strcmp(zEntity, "household") == 0) {
      /* the batch's households by number, for number_reused's question */
      const char *zWas = prev ? json_string_value(json_object_get(
                                    json_object_get(prev, "row"), "regno"))
                              : NULL;
      const char *zNow = json_string_value(json_object_get(row, "regno"));
      if (zWas)
        json_object_del(json_object_get(b->wregno, zWas), zId);
      if (zNow) {
        json_t *ids = json_object_get(b->wregno, zNow);
        if (ids == NULL)
          json_object_set_new(b->wregno, zNow, ids = json_object());
        json_object_set(ids, zId, json_true());
      }
    }
    json_object_set_new(row, "id", json_string(zId));
    json_object_set_new(row, "r_owner", json_string(zOffice));
    json_object_set_new(byId, zId,
                        json_pack("{s:o, s:b}", "row", row, "new", bNew));
    json_object_set_new(b->recs, zKey,
                        json_pack("{s:s, s:s}", "f", zFields, "o", zOffice));
    return SWS_OK;
  }
  const char *v[3] = {zId, zOffice, zFields};
  return run(PG(s), x->zPut, 3, v, NULL, err);
}

/* Rows of (id, fields JSON, owner) to a record_find callback. */
static int each_record(PGresult *r,
                       int (*fn)(const char *, const char *, const char *,
                                 void *),
                       void *arg)
{
  for (int i = 0; i < PQntuples(r); i++)
    if (fn(col_str(r, i, 0), col_str(r, i, 1), col_str(r, i, 2), arg))
      break;
  PQclear(r);
  return SWS_OK;
}

static int s_record_each(struct central_store *s, const char *zEntity,
                         const char *zOwner,
                         int (*fn)(const char *, const char *, const char *,
                                   void *),
                         void *arg, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  const struct entity_sql *x = entity_sql(p, zEntity, err);
  PGresult *r;
  if (x == NULL)
    return err->code;
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "%s WHERE $1::text IS NULL OR t.r_owner = $1 ORDER BY "
              "t.r_created_at, t.id", x->zSel);
  const char *v[1] = {zOwner};
  int rc = run(p, buf_str(&sql), 1, v, &r, err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  return each_record(r, fn, arg);
}

static int s_record_find(struct central_store *s, const char *zEntity,
                         const char *zField, const char *zValue,
                         int (*fn)(const char *, const char *, const char *,
                                   void *),
                         void *arg, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  const struct entity_sql *x = entity_sql(p, zEntity, err);
  const struct fields_rule *rule = fields_rule(zEntity, zField);
  PGresult *r;
  if (x == NULL)
    return err->code;
  if (rule == NULL)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a field of %s", zField,
                       zEntity);
  if (rule->kind == FIELDS_REF && !uuid_shaped(zValue))
    return SWS_OK; /* no record names what is not an id */
  json_t *known = p->b.bOn && strcmp(zEntity, "household") == 0 &&
                          strcmp(zField, "regno") == 0
                      ? json_object_get(p->b.regnos, zValue)
                      : NULL;
  if (known) {
    /* a new number of the batch: the households that had it before, and
     * those of the batch that have it now, without a round trip */
    json_t *seen = json_object(), *id, *sv;
    size_t i;
    const char *zId;
    json_array_foreach(known, i, id)
      json_object_set(seen, json_string_value(id), json_true());
    json_object_update(seen, json_object_get(p->b.wregno, zValue));
    int bAll = 1; /* every one answered from memory */
    json_object_foreach(seen, zId, sv)
    {
      char zKey[120];
      batch_key(zKey, sizeof zKey, "household", zId);
      json_t *c = json_object_get(p->b.recs, zKey);
      if (c == NULL || json_is_null(c)) {
        bAll = 0; /* not loaded: ask the database after all */
        break;
      }
    }
    if (bAll) {
      json_object_foreach(seen, zId, sv)
      {
        char zKey[120];
        batch_key(zKey, sizeof zKey, "household", zId);
        json_t *c = json_object_get(p->b.recs, zKey);
        if (fn(zId, json_string_value(json_object_get(c, "f")),
               json_string_value(json_object_get(c, "o")), arg))
          break;
      }
    }
    json_decref(seen);
    if (bAll)
      return SWS_OK;
  }
  /* the column name is one of the entity's own (checked just above) */
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "%s WHERE t.%s = $1 ORDER BY t.id", x->zSel, /* lint: ok */
              zField);
  const char *v[1] = {zValue};
  int rc = run(p, buf_str(&sql), 1, v, &r, err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  return each_record(r, fn, arg);
}

static int s_office_records(struct central_store *s, const char *zOffice,
                            const char *zEntity,
                            int (*fn)(const char *, const char *,
                                      const char *, void *),
                            void *arg, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  const struct entity_sql *x = entity_sql(p, zEntity, err);
  PGresult *r;
  if (x == NULL)
    return err->code;
  struct buf sql = BUF_INIT;
  /* names from the rule tables, never from a request */
  buf_appendf(&sql, "%s WHERE (t.r_owner IN (SELECT code FROM office WHERE "
              "coalesce(office_code, code) = $1) OR t.id IN (SELECT id FROM "
              "holding WHERE office = $1 AND entity = $2))%s", /* lint: ok */
              x->zSel,
              strcmp(zEntity, "household") == 0
                  ? " AND t.id NOT IN (SELECT merged_id FROM alias WHERE "
                    "active = 1)"
                  : "");
  const char *v[2] = {zOffice, zEntity};
  int rc = run_fresh(p, buf_str(&sql), 2, v, &r, err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  return each_record(r, fn, arg);
}

static int s_holding_get(struct central_store *s, const char *zOffice,
                         const char *zEntity, const char *zId, int *pHolds,
                         struct sws_err *err)
{
  PGresult *r;
  *pHolds = 0;
  if (!uuid_shaped(zId))
    return SWS_OK;
  if (PG(s)->b.bOn && strcmp(zOffice, PG(s)->b.zOffice) == 0) {
    char zKey[120];
    batch_key(zKey, sizeof zKey, zEntity, zId);
    json_t *h = json_object_get(PG(s)->b.held, zKey);
    if (h) {
      *pHolds = json_is_true(h);
      return SWS_OK;
    }
  }
  const char *v[3] = {zOffice, zEntity, zId};
  int rc = run(PG(s), "SELECT 1 FROM holding WHERE office = $1 AND entity = "
                      "$2 AND id = $3::uuid",
               3, v, &r, err);
  if (rc != 0)
    return rc;
  *pHolds = PQntuples(r) > 0;
  PQclear(r);
  return SWS_OK;
}

static int s_holding_drop(struct central_store *s, const char *zEntity,
                          const char *zId, struct sws_err *err)
{
  const char *v[2] = {zEntity, zId};
  return run(PG(s), "DELETE FROM holding WHERE entity = $1 AND id = $2::uuid",
             2, v, NULL, err);
}

static int s_holding_add(struct central_store *s, const char *zOffice,
                         const char *zEntity, const char *zId,
                         struct sws_err *err)
{
  char zNow[32];
  if (!uuid_shaped(zId))
    return SWS_OK;
  now(zNow);
  struct batch *b = &PG(s)->b;
  if (b->bOn) {
    json_array_append_new(b->whold,
                          json_pack("{s:s, s:s, s:s, s:s}", "office", zOffice,
                                    "entity", zEntity, "id", zId, "since",
                                    zNow));
    if (strcmp(zOffice, b->zOffice) == 0) {
      char zKey[120];
      batch_key(zKey, sizeof zKey, zEntity, zId);
      json_object_set_new(b->held, zKey, json_true());
    }
    return SWS_OK;
  }
  const char *v[4] = {zOffice, zEntity, zId, zNow};
  return run(PG(s), "INSERT INTO holding(office, entity, id, since) VALUES "
                    "($1, $2, $3::uuid, $4) ON CONFLICT DO NOTHING",
             4, v, NULL, err);
}

static int s_person_put(struct central_store *s,
                        const struct central_person *pp, struct sws_err *err)
{
  struct batch *b = &PG(s)->b;
  if (b->bOn) {
    json_object_set_new(
        b->wperson, pp->zMemberId,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s}", "member_id",
                  pp->zMemberId, "household_id", pp->zHouseholdId, "office",
                  pp->zOffice, "name", pp->zName, "sex", pp->zSex, "born",
                  pp->zBorn, "national_id",
                  pp->zNationalId && pp->zNationalId[0] ? pp->zNationalId
                                                        : NULL,
                  "area", pp->zArea ? pp->zArea : ""));
    return SWS_OK;
  }
  const char *v1[1] = {pp->zMemberId};
  int rc = run(PG(s), "DELETE FROM person_key WHERE member_id = $1::uuid", 1,
               v1, NULL, err);
  if (rc != 0)
    return rc;
  const char *v[8] = {pp->zMemberId, pp->zHouseholdId, pp->zOffice,
                      pp->zName,     pp->zSex,         pp->zBorn,
                      pp->zNationalId && pp->zNationalId[0] ? pp->zNationalId
                                                            : NULL,
                      pp->zArea ? pp->zArea : ""};
  return run(PG(s),
             "INSERT INTO person(member_id, household_id, office, name, sex, "
             "born, national_id, area, indexed) VALUES ($1::uuid, $2::uuid, "
             "$3, $4, $5, $6, $7, $8, 0) ON CONFLICT (member_id) DO UPDATE "
             "SET household_id = excluded.household_id, office = "
             "excluded.office, name = excluded.name, sex = excluded.sex, "
             "born = excluded.born, national_id = excluded.national_id, "
             "area = excluded.area, indexed = 0",
             8, v, NULL, err);
}

static int each_person(PGresult *r,
                       int (*fn)(const struct central_person *, void *),
                       void *arg)
{
  for (int i = 0; i < PQntuples(r); i++) {
    struct central_person pp = {col_str(r, i, 0), col_str(r, i, 1),
                                col_str(r, i, 2), col_str(r, i, 3),
                                col_str(r, i, 4), col_str(r, i, 5),
                                col(r, i, 6),     col_str(r, i, 7)};
    if (fn(&pp, arg) != 0)
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_person_pending(struct central_store *s, int nMax, int bWait,
                            int (*fn)(const struct central_person *, void *),
                            void *arg, struct sws_err *err)
{
  char zN[24];
  PGresult *r;
  fmt_int(zN, nMax);
  const char *v[1] = {zN};
  /* each worker's job takes people no other one holds; a listing waits
   * for them, and then finds them indexed */
#define PENDING_SQL                                                          \
  "SELECT p.member_id::text, p.household_id::text, p.office, p.name, "      \
  "p.sex, p.born, p.national_id, coalesce(h.area_code, '') FROM person p "  \
  "LEFT JOIN household h ON h.id = p.household_id WHERE p.indexed = 0 "     \
  "LIMIT $1 FOR UPDATE OF p"
  int rc = run(PG(s), bWait ? PENDING_SQL : PENDING_SQL " SKIP LOCKED", 1, v,
               &r, err);
  if (rc != 0)
    return rc;
  return each_person(r, fn, arg);
}


static int s_person_index_many(struct central_store *s,
                               const char *zRows, struct sws_err *err)
{
  const char *v[1] = {zRows};
  int rc = run(PG(s),
               "INSERT INTO person_key(key, sex, birth_year, member_id) "
               "SELECT k, x.sex, substr(x.born, 1, 4)::integer, x.member "
               "FROM jsonb_to_recordset($1::jsonb) AS x(member uuid, sex "
               "text, born text, keys jsonb, area text), "
               "jsonb_array_elements_text(x.keys) AS k ON CONFLICT DO "
               "NOTHING",
               1, v, NULL, err);
  if (rc != 0)
    return rc;
  return run(PG(s),
             "UPDATE person p SET indexed = 1, area = x.area FROM "
             "jsonb_to_recordset($1::jsonb) AS x(member uuid, area text) "
             "WHERE p.member_id = x.member",
             1, v, NULL, err);
}

static int s_person_candidates_many(struct central_store *s,
                                    const char *zQueries,
                                    int (*fn)(int,
                                              const struct central_person *,
                                              void *),
                                    void *arg, struct sws_err *err)
{
  PGresult *r;
  const char *v[1] = {zQueries};
  /* every lookup of a chunk in one statement, each row tagged with the
   * lookup it answers */
  int rc = run(PG(s),
               "SELECT q.i - 1, p.member_id::text, p.household_id::text, "
               "p.office, p.name, p.sex, p.born, p.national_id, p.area FROM "
               "jsonb_array_elements($1::jsonb) WITH ORDINALITY AS q(j, i) "
               "JOIN person_key k ON q.j ? 'key' AND k.key = q.j->>'key' AND "
               "k.sex = q.j->>'sex' AND k.birth_year BETWEEN "
               "(q.j->>'y0')::integer AND (q.j->>'y1')::integer JOIN person "
               "p ON p.member_id = k.member_id AND NOT EXISTS (SELECT 1 "
               "FROM alias a WHERE a.merged_id = p.household_id AND "
               "a.active = 1) UNION ALL SELECT q.i - 1, "
               "p.member_id::text, p.household_id::text, p.office, p.name, "
               "p.sex, p.born, p.national_id, p.area FROM "
               "jsonb_array_elements($1::jsonb) WITH ORDINALITY AS q(j, i) "
               "JOIN person p ON q.j ? 'nid' AND p.national_id = "
               "q.j->>'nid' AND NOT EXISTS (SELECT 1 FROM alias a WHERE "
               "a.merged_id = p.household_id AND a.active = 1)",
               1, v, &r, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < PQntuples(r); i++) {
    struct central_person pp = {col_str(r, i, 1), col_str(r, i, 2),
                                col_str(r, i, 3), col_str(r, i, 4),
                                col_str(r, i, 5), col_str(r, i, 6),
                                col(r, i, 7),     col_str(r, i, 8)};
    if (fn((int)col_int(r, i, 0), &pp, arg) != 0)
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_person_lock(struct central_store *s, const char *zKeysJson,
                         struct sws_err *err)
{
  /* transaction-level advisory locks, one per key, taken in one order */
  const char *v[1] = {zKeysJson ? zKeysJson : "[]"};
  return run(PG(s),
             "SELECT pg_advisory_xact_lock(hashtextextended(k, 5461843)) "
             "FROM (SELECT DISTINCT k FROM jsonb_array_elements_text("
             "$1::jsonb) AS k) AS x(k) ORDER BY k",
             1, v, NULL, err);
}


static int s_duplicate_put(struct central_store *s, const char *zA,
                           const char *zB, double score, const char *zReasons,
                           int *pNew, struct sws_err *err)
{
  PGresult *r;
  char zNow[32], zScore[32];
  /* the pair in a fixed order so A-B and B-A are one */
  const char *a = strcmp(zA, zB) < 0 ? zA : zB, *b = a == zA ? zB : zA;
  now(zNow);
  snprintf(zScore, sizeof zScore, "%.17g", score);
  const char *v[5] = {a, b, zScore, zReasons, zNow};
  int rc = run(PG(s), "INSERT INTO duplicate(household_a, household_b, "
                      "score, reasons, found_at) VALUES ($1::uuid, $2::uuid, "
                      "$3, $4, $5) ON CONFLICT (household_a, household_b) DO "
                      "NOTHING RETURNING id",
               5, v, &r, err);
  if (rc != 0)
    return rc;
  if (pNew)
    *pNew = PQntuples(r) > 0;
  PQclear(r);
  return SWS_OK;
}

static int s_duplicate_set(struct central_store *s, const char *zA,
                           const char *zB, const char *zStatus, const char *zBy,
                           const char *zNote, struct sws_err *err)
{
  char zNow[32];
  const char *a = strcmp(zA, zB) < 0 ? zA : zB, *b = a == zA ? zB : zA;
  now(zNow);
  const char *v[6] = {a, b, zStatus, zNow, zBy, zNote};
  return run(PG(s),
             "INSERT INTO duplicate(household_a, household_b, score, reasons, "
             "status, found_at, decided_at, decided_by, note) VALUES "
             "($1::uuid, $2::uuid, 1, 'decided by hand', $3, $4, $4, $5, $6) "
             "ON CONFLICT (household_a, household_b) DO UPDATE SET status = "
             "$3, decided_at = $4, decided_by = $5, note = $6",
             6, v, NULL, err);
}

static int s_duplicate_list(struct central_store *s, int bAll,
                            int (*fn)(int64_t, const char *, const char *,
                                      double, const char *, const char *,
                                      void *),
                            void *arg, struct sws_err *err)
{
  PGresult *r;
  int rc = run(PG(s),
               bAll ? "SELECT id, household_a::text, household_b::text, "
                      "score, reasons, status FROM duplicate ORDER BY score "
                      "DESC, id"
                    : "SELECT id, household_a::text, household_b::text, "
                      "score, reasons, status FROM duplicate WHERE status = "
                      "'open' ORDER BY score DESC, id",
               0, NULL, &r, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < PQntuples(r); i++)
    if (fn(col_int(r, i, 0), col_str(r, i, 1), col_str(r, i, 2),
           strtod(col_str(r, i, 3), NULL), col_str(r, i, 4),
           col_str(r, i, 5), arg))
      break;
  PQclear(r);
  return SWS_OK;
}

static int s_alias_get(struct central_store *s, const char *zMerged,
                       char *zSurvivor, struct sws_err *err)
{
  PGresult *r;
  if (!uuid_shaped(zMerged))
    return SWS_ENOTFOUND;
  if (PG(s)->b.bOn) {
    json_t *a = json_object_get(PG(s)->b.alias, zMerged);
    if (json_is_null(a))
      return SWS_ENOTFOUND;
    if (a) {
      sws_strlcpy(zSurvivor, json_string_value(a), CENTRAL_ID_MAX);
      return SWS_OK;
    }
  }
  const char *v[1] = {zMerged};
  int rc = run(PG(s), "SELECT survivor_id::text FROM alias WHERE merged_id "
                      "= $1::uuid AND active = 1",
               1, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    sws_strlcpy(zSurvivor, col_str(r, 0, 0), CENTRAL_ID_MAX);
    rc = SWS_OK;
  } else {
    rc = SWS_ENOTFOUND;
  }
  PQclear(r);
  return rc;
}

static int s_alias_set(struct central_store *s, const char *zMerged,
                       const char *zSurvivor, int active, const char *zBy,
                       struct sws_err *err)
{
  char zNow[32];
  now(zNow);
  const char *v[5] = {zMerged, zSurvivor, zNow, zBy, active ? "1" : "0"};
  return run(PG(s), "INSERT INTO alias(merged_id, survivor_id, merged_at, "
                    "merged_by, active) VALUES ($1::uuid, $2::uuid, $3, $4, "
                    "$5) ON CONFLICT (merged_id) DO UPDATE SET survivor_id = "
                    "excluded.survivor_id, merged_at = excluded.merged_at, "
                    "merged_by = excluded.merged_by, active = "
                    "excluded.active",
             5, v, NULL, err);
}

static int s_alias_holders(struct central_store *s, const char *zSurvivor,
                           int (*fn)(const char *, const char *,
                                     const char *, void *),
                           void *arg, struct sws_err *err)
{
  struct pg_store *p = PG(s);
  const struct entity_sql *x = entity_sql(p, "household", err);
  PGresult *r;
  if (x == NULL)
    return err->code;
  if (!uuid_shaped(zSurvivor))
    return SWS_OK;
  /* the prefetch knows which of the batch's households have any */
  if (p->b.bOn && json_object_get(p->b.alias, zSurvivor) &&
      !json_object_get(p->b.survivors, zSurvivor))
    return SWS_OK;
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "%s JOIN alias a ON a.merged_id = t.id WHERE " /* lint: ok */
              "a.survivor_id = $1::uuid AND a.active = 1", x->zSel);
  const char *v[1] = {zSurvivor};
  int rc = run(p, buf_str(&sql), 1, v, &r, err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  return each_record(r, fn, arg);
}

static int s_conflict_put(struct central_store *s, const char *zOffice,
                          int64_t seq, const char *zEntity, const char *zId,
                          const char *zField, const char *zOfficeValue,
                          const char *zServerValue, struct sws_err *err)
{
  char zSeq[24], zNow[32];
  fmt_int(zSeq, seq);
  now(zNow);
  const char *v[8] = {zOffice, zSeq,         zEntity,      zId,
                      zField,  zOfficeValue, zServerValue, zNow};
  return run(PG(s), "INSERT INTO conflict(office, seq, entity, entity_id, "
                    "field, office_value, server_value, at) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7, $8)",
             8, v, NULL, err);
}

#define CONFLICT_COLS                                                        \
  "id, office, seq, entity, entity_id, field, office_value, server_value, " \
  "at, status, coalesce(resolution, ''), coalesce(resolved_at, ''), "       \
  "coalesce(resolved_by, ''), note"

static void fill_conflict(PGresult *r, int i, struct central_conflict *k)
{
  memset(k, 0, sizeof *k);
  k->id = col_int(r, i, 0);
  sws_strlcpy(k->zOffice, col_str(r, i, 1), sizeof k->zOffice);
  k->seq = col_int(r, i, 2);
  sws_strlcpy(k->zEntity, col_str(r, i, 3), sizeof k->zEntity);
  sws_strlcpy(k->zEntityId, col_str(r, i, 4), sizeof k->zEntityId);
  sws_strlcpy(k->zField, col_str(r, i, 5), sizeof k->zField);
  k->zOfficeValue = col(r, i, 6);
  k->zServerValue = col(r, i, 7);
  sws_strlcpy(k->zAt, col_str(r, i, 8), sizeof k->zAt);
  sws_strlcpy(k->zStatus, col_str(r, i, 9), sizeof k->zStatus);
  sws_strlcpy(k->zResolution, col_str(r, i, 10), sizeof k->zResolution);
  sws_strlcpy(k->zResolvedAt, col_str(r, i, 11), sizeof k->zResolvedAt);
  sws_strlcpy(k->zResolvedBy, col_str(r, i, 12), sizeof k->zResolvedBy);
  k->zNote = col(r, i, 13);
}

static char *dup_or_null(const char *z)
{
  return z ? sws_strdup(z) : NULL;
}

static int s_conflict_get(struct central_store *s, int64_t id,
                          struct central_conflict *out, char **pzOffice,
                          char **pzServer, char **pzNote,
                          struct sws_err *err)
{
  char zId[24];
  PGresult *r;
  *pzOffice = *pzServer = *pzNote = NULL;
  fmt_int(zId, id);
  const char *v[1] = {zId};
  int rc = run(PG(s), "SELECT " CONFLICT_COLS " FROM conflict WHERE id = $1",
               1, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    fill_conflict(r, 0, out);
    *pzOffice = dup_or_null(out->zOfficeValue);
    *pzServer = dup_or_null(out->zServerValue);
    *pzNote = dup_or_null(out->zNote);
    out->zOfficeValue = out->zServerValue = out->zNote = NULL;
    rc = SWS_OK;
  } else {
    rc = SWS_ENOTFOUND;
  }
  PQclear(r);
  return rc;
}

static int s_conflict_resolve(struct central_store *s, int64_t id,
                              const char *zResolution, const char *zBy,
                              const char *zNote, struct sws_err *err)
{
  char zId[24], zNow[32];
  PGresult *r;
  fmt_int(zId, id);
  now(zNow);
  const char *v[5] = {zResolution, zNow, zBy, zNote, zId};
  int rc = run(PG(s), "UPDATE conflict SET status = 'resolved', resolution "
                      "= $1, resolved_at = $2, resolved_by = $3, note = $4 "
                      "WHERE id = $5 AND status = 'open' RETURNING id",
               5, v, &r, err);
  if (rc != 0)
    return rc;
  int n = PQntuples(r);
  PQclear(r);
  if (n == 0)
    return sws_err_set(err, SWS_ECONFLICT, "conflict #%lld is not open",
                       (long long)id);
  return SWS_OK;
}

static int s_conflict_list(struct central_store *s, int bAll,
                           int (*fn)(const struct central_conflict *, void *),
                           void *arg, struct sws_err *err)
{
  PGresult *r;
  int rc = run(PG(s),
               bAll ? "SELECT " CONFLICT_COLS " FROM conflict ORDER BY id"
                    : "SELECT " CONFLICT_COLS " FROM conflict WHERE status = "
                      "'open' ORDER BY id",
               0, NULL, &r, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < PQntuples(r); i++) {
    struct central_conflict k;
    fill_conflict(r, i, &k);
    if (fn(&k, arg) != 0)
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_feed_append(struct central_store *s, const char *zOffice,
                         const char *zKind, const char *zPayload,
                         struct sws_err *err)
{
  char zNow[32];
  now(zNow);
  struct batch *b = &PG(s)->b;
  if (b->bOn) {
    json_array_append_new(b->wfeed,
                          json_pack("{s:s, s:s, s:s, s:s}", "office", zOffice,
                                    "kind", zKind, "payload", zPayload, "at",
                                    zNow));
    return SWS_OK;
  }
  const char *v[4] = {zOffice, zKind, zPayload, zNow};
  return run(PG(s), "INSERT INTO feed(office, kind, payload, at) VALUES ($1, "
                    "$2, $3, $4)",
             4, v, NULL, err);
}

#define FEED_ROWS 2000 /* rows looked at per page, at most */

static int s_feed_read(struct central_store *s, const char *zOffice,
                       int64_t afterXid, int64_t afterSeq, size_t nMaxBytes,
                       int (*fn)(int64_t, int64_t, const char *,
                                 const char *, void *),
                       void *arg, int *pMore, struct sws_err *err)
{
  char zXid[24], zSeq[24], zLim[24];
  PGresult *r;
  size_t used = 0;
  *pMore = 0;
  fmt_int(zXid, afterXid);
  fmt_int(zSeq, afterSeq);
  fmt_int(zLim, FEED_ROWS + 1);
  /* only what every transaction still running cannot precede: the rows of
   * transactions below the oldest one running are all there is of them */
  const char *v[4] = {zOffice, zXid, zSeq, zLim};
  int rc = run(PG(s),
               /* ordered by f.xid, the xid8 column: "ORDER BY xid" would
                * name the output column xid::text, and order 10000 before
                * 9999 */
               "SELECT f.xid::text, f.seq, f.kind, f.payload FROM feed f "
               "WHERE f.office = $1 AND (f.xid, f.seq) > ($2::text::xid8, "
               "$3::bigint) AND f.xid < pg_snapshot_xmin(pg_current_snapshot()) "
               "ORDER BY f.xid, f.seq LIMIT $4",
               4, v, &r, err);
  if (rc != 0)
    return rc;
  int n = PQntuples(r);
  for (int i = 0; i < n; i++) {
    size_t len = (size_t)PQgetlength(r, i, 3);
    if (i >= FEED_ROWS || (i > 0 && used + len > nMaxBytes)) {
      *pMore = 1; /* at least one item per page, whatever its size */
      break;
    }
    used += len;
    if (fn(strtoll(col_str(r, i, 0), NULL, 10), col_int(r, i, 1),
           col_str(r, i, 2), col_str(r, i, 3), arg))
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_feed_last(struct central_store *s, const char *zOffice,
                       int64_t *pXid, int64_t *pSeq, struct sws_err *err)
{
  PGresult *r;
  const char *v[1] = {zOffice};
  *pXid = *pSeq = 0;
  int rc = run(PG(s),
               /* f.xid: a bare xid here would be the text column */
               "SELECT f.xid::text, f.seq FROM feed f WHERE f.office = $1 "
               "ORDER BY f.xid DESC, f.seq DESC LIMIT 1",
               1, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    *pXid = strtoll(col_str(r, 0, 0), NULL, 10);
    *pSeq = col_int(r, 0, 1);
  }
  PQclear(r);
  return SWS_OK;
}

static int s_log(struct central_store *s, const char *zActor,
                 const char *zAction, const char *zDetail,
                 struct sws_err *err)
{
  char zNow[32];
  now(zNow);
  const char *v[4] = {zNow, zActor, zAction, zDetail};
  return run(PG(s), "INSERT INTO central_log(at, actor, action, detail) "
                    "VALUES ($1, $2, $3, $4)",
             4, v, NULL, err);
}

/* ---- the bulk path ---- */

/* One COPY text field: backslash, tab and line ends escaped, NULL as \N. */
static void copy_field(struct buf *b, const char *z, int bLast)
{
  if (z == NULL) {
    buf_puts(b, "\\N");
  } else {
    for (; *z; z++) {
      switch (*z) {
      case '\\': buf_puts(b, "\\\\"); break;
      case '\t': buf_puts(b, "\\t"); break;
      case '\n': buf_puts(b, "\\n"); break;
      case '\r': buf_puts(b, "\\r"); break;
      default: buf_putc(b, *z);
      }
    }
  }
  buf_putc(b, bLast ? '\n' : '\t');
}

/* Send rows (COPY text) to zCopy ("COPY t(cols) FROM STDIN"). */
static int copy_in(struct pg_store *p, const char *zCopy,
                   const struct buf *rows, struct sws_err *err)
{
  PGresult *r = PQexec(p->conn, zCopy);
  if (PQresultStatus(r) != PGRES_COPY_IN)
    return pg_fail(p, r, err);
  PQclear(r);
  int ok = PQputCopyData(p->conn, rows->z ? rows->z : "", (int)rows->n) == 1;
  ok = PQputCopyEnd(p->conn, ok ? NULL : "the rows could not be sent") == 1 &&
       ok;
  int rc = SWS_OK;
  while ((r = PQgetResult(p->conn)) != NULL) {
    if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
      rc = pg_fail(p, r, err);
    else
      PQclear(r);
  }
  if (rc == 0 && !ok)
    rc = sws_err_set(err, SWS_EDB, "the connection to the registry's "
                     "database failed during a bulk load: %s",
                     PQerrorMessage(p->conn));
  return rc;
}

static int s_load(struct central_store *s,
                  const struct central_load_household *a, int n,
                  struct sws_err *err)
{
  struct pg_store *p = PG(s);
  struct buf hh = BUF_INIT, mem = BUF_INIT, per = BUF_INIT, key = BUF_INIT;
  char zNow[32], zYear[16], zLine[16];
  int rc;
  if (p->b.bOn && (rc = batch_flush(p, err)) != 0)
    return rc;
  now(zNow);
  for (int i = 0; i < n; i++) {
    const struct central_load_household *h = &a[i];
    const char *row[] = {h->zId, h->zOwner, zNow, zNow, h->zRegno,
                         h->zAreaCode, h->zCreatedAt, h->zCreatedBy};
    for (size_t c = 0; c < sizeof row / sizeof row[0]; c++)
      copy_field(&hh, row[c], c + 1 == sizeof row / sizeof row[0]);
    for (int j = 0; j < h->n; j++) {
      const struct central_load_member *m = &h->a[j];
      snprintf(zLine, sizeof zLine, "%d", m->lineNo);
      const char *mrow[] = {m->zId, h->zOwner, zNow, zNow, h->zId, zLine,
                            m->zName, m->zSex, m->zBorn, m->zRelationship,
                            m->zNationalId, m->zPhone, m->zDisability,
                            h->zCreatedAt};
      for (size_t c = 0; c < sizeof mrow / sizeof mrow[0]; c++)
        copy_field(&mem, mrow[c], c + 1 == sizeof mrow / sizeof mrow[0]);
      const char *prow[] = {m->zId, h->zId, h->zOwner, m->zName, m->zSex,
                            m->zBorn, m->zNationalId, h->zAreaCode};
      for (size_t c = 0; c < sizeof prow / sizeof prow[0]; c++)
        copy_field(&per, prow[c], c + 1 == sizeof prow / sizeof prow[0]);
      /* its keys, each once */
      json_t *keys = json_loads(m->zKeysJson ? m->zKeysJson : "[]", 0, NULL);
      size_t k, k2;
      json_t *v;
      snprintf(zYear, sizeof zYear, "%ld", strtol(m->zBorn, NULL, 10));
      json_array_foreach(keys, k, v)
      {
        const char *zKey = json_string_value(v);
        int bSeen = zKey == NULL || zKey[0] == '\0';
        for (k2 = 0; k2 < k && !bSeen; k2++)
          bSeen = json_equal(json_array_get(keys, k2), v);
        if (bSeen)
          continue;
        const char *krow[] = {zKey, m->zSex, zYear, m->zId};
        for (size_t c = 0; c < 4; c++)
          copy_field(&key, krow[c], c == 3);
      }
      json_decref(keys);
    }
  }
  if ((rc = copy_in(p, "COPY household(id, r_owner, r_created_at, "
                       "r_updated_at, regno, area_code, created_at, "
                       "created_by) FROM STDIN",
                    &hh, err)) == 0 &&
      (rc = copy_in(p, "COPY member(id, r_owner, r_created_at, "
                       "r_updated_at, household_id, line_no, name, sex, "
                       "born, relationship, national_id, phone, disability, "
                       "created_at) FROM STDIN",
                    &mem, err)) == 0 &&
      (rc = copy_in(p, "COPY person(member_id, household_id, office, name, "
                       "sex, born, national_id, area) FROM STDIN",
                    &per, err)) == 0)
    rc = copy_in(p, "COPY person_key(key, sex, birth_year, member_id) FROM "
                    "STDIN",
                 &key, err);
  buf_release(&hh);
  buf_release(&mem);
  buf_release(&per);
  buf_release(&key);
  return rc;
}

static int s_stats(struct central_store *s, struct central_stats *out,
                   struct sws_err *err)
{
  PGresult *r;
  memset(out, 0, sizeof *out);
  int rc = run(PG(s),
               "SELECT (SELECT count(*) FROM office WHERE status = 'active'), "
               "(SELECT count(*) FROM household h WHERE NOT EXISTS (SELECT 1 "
               "FROM alias a WHERE a.merged_id = h.id AND a.active = 1)), "
               "(SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 "
               "FROM alias a WHERE a.merged_id = p.household_id AND a.active "
               "= 1)), (SELECT count(*) FROM "
               "duplicate WHERE status = 'open'), (SELECT count(*) FROM "
               "conflict WHERE status = 'open'), (SELECT count(*) FROM feed)",
               0, NULL, &r, err);
  if (rc != 0)
    return rc;
  out->nOffices = col_int(r, 0, 0);
  out->nHouseholds = col_int(r, 0, 1);
  out->nMembers = col_int(r, 0, 2);
  out->nDuplicatesOpen = col_int(r, 0, 3);
  out->nConflictsOpen = col_int(r, 0, 4);
  out->nFeedItems = col_int(r, 0, 5);
  PQclear(r);
  return SWS_OK;
}

static int s_read_rows(struct central_store *s, const char *zSql, int n,
                       const char *const *aParam,
                       int (*fn)(void *arg, int nCol,
                                 const char *const *azCol),
                       void *arg, struct sws_err *err)
{
  PGresult *r;
  const char *az[32];
  /* planned for its values: a report's queries run rarely, on tables of
   * any size */
  int rc = run_fresh(PG(s), zSql, n, aParam, &r, err);
  if (rc != 0)
    return rc;
  int nCol = PQnfields(r) > 32 ? 32 : PQnfields(r);
  for (int i = 0; i < PQntuples(r); i++) {
    for (int k = 0; k < nCol; k++)
      az[k] = col(r, i, k);
    if (fn(arg, nCol, az) != 0)
      break;
  }
  PQclear(r);
  return SWS_OK;
}

static int s_area_put(struct central_store *s, const struct area *a,
                      struct sws_err *err)
{
  const char *v[5] = {a->zCode, cases_area_level_name(a->level), a->zName,
                      a->zLatin, a->zParent[0] ? a->zParent : NULL};
  return run(PG(s),
             "INSERT INTO area(code, level, name, name_latin, parent_code) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO UPDATE SET "
             "name = excluded.name, name_latin = excluded.name_latin, "
             "parent_code = excluded.parent_code",
             5, v, NULL, err);
}

static int s_account_add(struct central_store *s, const char *zLogin,
                         const char *zRole, const char *zArea,
                         const char *zPwHash, const char *zBy, int *pAdded,
                         struct sws_err *err)
{
  char zNow[32];
  PGresult *r;
  now(zNow);
  const char *v[6] = {zLogin, zRole, zArea, zPwHash, zNow, zBy};
  int rc = run(PG(s),
               "INSERT INTO ui_account(login, role, area_code, password_hash, "
               "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) ON "
               "CONFLICT (login) DO NOTHING RETURNING login",
               6, v, &r, err);
  if (rc != 0)
    return rc;
  *pAdded = PQntuples(r) > 0;
  PQclear(r);
  return SWS_OK;
}

static int s_account_disable(struct central_store *s, const char *zLogin,
                             int *pDone, struct sws_err *err)
{
  char zNow[32];
  PGresult *r;
  now(zNow);
  const char *v[2] = {zLogin, zNow};
  int rc = run(PG(s),
               "UPDATE ui_account SET active = 0, disabled_at = $2 WHERE "
               "login = $1 AND active = 1 RETURNING login",
               2, v, &r, err);
  if (rc != 0)
    return rc;
  *pDone = PQntuples(r) > 0;
  PQclear(r);
  return SWS_OK;
}

static int s_office_area_set(struct central_store *s, const char *zOffice,
                             const char *zArea, struct sws_err *err)
{
  const char *v[2] = {zOffice, zArea};
  PGresult *r = NULL;
  int rc = run(PG(s),
               "UPDATE office SET area_code = $2 WHERE code = $1 "
               "RETURNING code",
               2, v, &r, err);
  if (rc != 0)
    return rc;
  int bNone = PQntuples(r) == 0;
  PQclear(r);
  if (bNone)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "office '%s' is not enrolled at "
                       "this central registry",
                       zOffice);
  return SWS_OK;
}

static int s_summary_put(struct central_store *s, const char *zOffice,
                         const char *zPeriod, const char *zBody,
                         size_t nBody, const char *zReceivedAt,
                         struct sws_err *err)
{
  char *z = sws_strndup(zBody, nBody);
  const char *v[4] = {zOffice, zPeriod, z, zReceivedAt};
  int rc = run(PG(s),
               "INSERT INTO summary(office, period, body, received_at) "
               "VALUES ($1, $2, $3, $4) ON CONFLICT (office, period) DO "
               "UPDATE SET body = excluded.body, received_at = "
               "excluded.received_at",
               4, v, NULL, err);
  free(z);
  return rc;
}

static int s_report_put(struct central_store *s, const char *zKey,
                        const char *zPeriod, const char *zLayer,
                        const char *zBuiltAt, const char *zBody,
                        struct sws_err *err)
{
  const char *v[5] = {zKey, zPeriod, zLayer, zBuiltAt, zBody};
  return run(PG(s),
             "INSERT INTO report_kept(key, period, layer, built_at, body) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO UPDATE SET "
             "built_at = excluded.built_at, body = excluded.body",
             5, v, NULL, err);
}

static int s_audit_head_get(struct central_store *s, const char *zDevice,
                            struct central_audit_head *out, struct sws_err *err)
{
  PGresult *r;
  const char *v[1] = {zDevice};
  memset(out, 0, sizeof *out);
  int rc = run(PG(s),
               "SELECT device, head_id, head_hash, head_n, sig, received_at, "
               "coalesce(diverged_at, ''), coalesce(diverged_why, '') FROM "
               "audit_head WHERE device = $1",
               1, v, &r, err);
  if (rc != 0)
    return rc;
  if (PQntuples(r) == 1) {
    sws_strlcpy(out->zDevice, col_str(r, 0, 0), sizeof out->zDevice);
    out->id = col_int(r, 0, 1);
    sws_strlcpy(out->zHash, col_str(r, 0, 2), sizeof out->zHash);
    out->n = col_int(r, 0, 3);
    sws_strlcpy(out->zSig, col_str(r, 0, 4), sizeof out->zSig);
    sws_strlcpy(out->zReceivedAt, col_str(r, 0, 5), sizeof out->zReceivedAt);
    sws_strlcpy(out->zDivergedAt, col_str(r, 0, 6), sizeof out->zDivergedAt);
    sws_strlcpy(out->zDivergedWhy, col_str(r, 0, 7), sizeof out->zDivergedWhy);
  } else {
    rc = SWS_ENOTFOUND;
  }
  PQclear(r);
  return rc;
}

static int s_audit_head_put(struct central_store *s,
                            const struct central_audit_head *h,
                            struct sws_err *err)
{
  char zId[24], zN[24];
  fmt_int(zId, h->id);
  fmt_int(zN, h->n);
  const char *v[8] = {h->zDevice,     zId,
                      h->zHash,       zN,
                      h->zSig,        h->zReceivedAt,
                      h->zDivergedAt, h->zDivergedWhy};
  return run(PG(s),
             "INSERT INTO audit_head(device, head_id, head_hash, head_n, "
             "sig, received_at, diverged_at, diverged_why) VALUES ($1, $2, "
             "$3, $4, $5, $6, nullif($7, ''), nullif($8, '')) ON CONFLICT "
             "(device) DO UPDATE SET head_id = excluded.head_id, head_hash = "
             "excluded.head_hash, head_n = excluded.head_n, sig = "
             "excluded.sig, received_at = excluded.received_at, diverged_at "
             "= excluded.diverged_at, diverged_why = excluded.diverged_why",
             8, v, NULL, err);
}

static int s_merge_request_put(struct central_store *s, const char *zOffice,
                               const char *zRequest, const char *zSurvivor,
                               const char *zMerged, int status,
                               const char *zAnswer, struct sws_err *err)
{
  char zNow[32], zStatus[16];
  now(zNow);
  snprintf(zStatus, sizeof zStatus, "%d", status);
  const char *v[7] = {zOffice, zRequest, zSurvivor, zMerged,
                      zStatus, zAnswer,  zNow};
  return run(PG(s),
             "INSERT INTO merge_request(office, request_id, survivor, "
             "merged, status, answer, at) VALUES ($1, $2, $3, $4, $5, $6, "
             "$7) ON CONFLICT DO NOTHING",
             7, v, NULL, err);
}

static const struct central_store_ops OPS = {
    .audit_head_get = s_audit_head_get,
    .audit_head_put = s_audit_head_put,
    .merge_request_put = s_merge_request_put,
    .summary_put = s_summary_put,
    .holding_drop = s_holding_drop,
    .report_put = s_report_put,
    .read_rows = s_read_rows,
    .area_put = s_area_put,
    .account_add = s_account_add,
    .account_disable = s_account_disable,
    .office_area_set = s_office_area_set,
    .close = s_close,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .registry_get = s_registry_get,
    .office_get = s_office_get,
    .office_lock = s_office_lock,
    .office_put = s_office_put,
    .office_list = s_office_list,
    .office_devices = s_office_devices,
    .nonce_use = s_nonce_use,
    .mutation_get = s_mutation_get,
    .mutation_put = s_mutation_put,
    .record_get = s_record_get,
    .record_lock = s_record_lock,
    .push_prefetch = s_push_prefetch,
    .record_put = s_record_put,
    .record_each = s_record_each,
    .record_find = s_record_find,
    .office_records = s_office_records,
    .holding_get = s_holding_get,
    .holding_add = s_holding_add,
    .person_put = s_person_put,
    .load = s_load,
    .person_pending = s_person_pending,
    .person_index_many = s_person_index_many,
    .person_candidates_many = s_person_candidates_many,
    .person_lock = s_person_lock,
    .duplicate_put = s_duplicate_put,
    .duplicate_set = s_duplicate_set,
    .duplicate_list = s_duplicate_list,
    .alias_get = s_alias_get,
    .alias_set = s_alias_set,
    .alias_holders = s_alias_holders,
    .conflict_put = s_conflict_put,
    .conflict_get = s_conflict_get,
    .conflict_resolve = s_conflict_resolve,
    .conflict_list = s_conflict_list,
    .feed_append = s_feed_append,
    .feed_read = s_feed_read,
    .feed_last = s_feed_last,
    .log = s_log,
    .stats = s_stats,
};

/* ---- schema ---- */

/*
 * Bring the database to the latest migration of schema/central-pg/, under
 * a lock, so that workers starting together do it once. bCreate: only an
 * empty database is initialised; otherwise one that was never initialised
 * is refused.
 */
static int migrate(struct pg_store *p, int bCreate, struct sws_err *err)
{
  PGresult *r;
  int rc, have = 0;
  if ((rc = s_begin(&p->base, err)) != 0)
    return rc;
  /* 0x535753 ("SWS"): one migration at a time per database */
  if ((rc = exec(p, "SELECT pg_advisory_xact_lock(5461843)", err)) != 0 ||
      (rc = exec(p, "CREATE TABLE IF NOT EXISTS sws_schema (version "
                    "integer PRIMARY KEY, name text NOT NULL, applied_at "
                    "timestamptz NOT NULL DEFAULT now())",
                 err)) != 0 ||
      (rc = run(p, "SELECT coalesce(max(version), 0), (SELECT count(*) FROM "
                   "information_schema.tables WHERE table_schema = "
                   "current_schema() AND table_name = 'registry') FROM "
                   "sws_schema",
                0, NULL, &r, err)) != 0)
    goto fail;
  have = (int)col_int(r, 0, 0);
  int64_t nRegistry = col_int(r, 0, 1);
  PQclear(r);
  int latest = schema_central_pg_steps_count
                   ? schema_central_pg_steps[schema_central_pg_steps_count - 1]
                         .version
                   : 0;
  if (have == 0 && nRegistry > 0) {
    rc = sws_err_set(err, SWS_ESCHEMA, "this PostgreSQL database holds "
                     "tables that sws did not make; give an empty database");
    goto fail;
  }
  if (have == 0 && !bCreate) {
    rc = sws_err_set(err, SWS_ESCHEMA, "this PostgreSQL database is not a "
                     "central registry yet; run 'sws central init --pg URL'");
    goto fail;
  }
  if (have > 0 && bCreate) {
    rc = sws_err_set(err, SWS_ECONFLICT, "this PostgreSQL database holds a "
                     "central registry already; give another database for a "
                     "new one");
    goto fail;
  }
  if (have > latest) {
    rc = sws_err_set(err, SWS_ESCHEMA, "this registry's database is of a "
                     "newer sws (schema %d, this sws knows up to %d); update "
                     "sws", have, latest);
    goto fail;
  }
  for (int i = 0; i < schema_central_pg_steps_count; i++) {
    const struct schema_step *st = &schema_central_pg_steps[i];
    char zV[24];
    if (st->version <= have)
      continue;
    if ((rc = exec(p, st->zSql, err)) != 0) {
      char zWhy[200];
      sws_strlcpy(zWhy, err->msg, sizeof zWhy);
      rc = sws_err_set(err, SWS_EDB, "migration %s failed: %s", st->zName,
                       zWhy);
      goto fail;
    }
    fmt_int(zV, st->version);
    const char *v[2] = {zV, st->zName};
    if ((rc = run(p, "INSERT INTO sws_schema(version, name) VALUES ($1, $2)",
                  2, v, NULL, err)) != 0)
      goto fail;
  }
  return s_commit(&p->base, err);
fail:
  s_rollback(&p->base);
  return rc;
}

int store_pg_open(struct central_store **out, const char *zUrl, int bCreate,
                  const char *zName, struct sws_err *err)
{
  struct pg_store *p = sws_calloc(1, sizeof *p);
  PGresult *r;
  int rc;
  *out = NULL;
  p->base.ops = &OPS;
  if (!store_is_pg_url(zUrl)) {
    free(p);
    return sws_err_set(err, SWS_EINVAL, "give the registry's PostgreSQL "
                       "database as a URL: postgresql://USER@HOST/DBNAME");
  }
  p->conn = PQconnectdb(zUrl);
  if (PQstatus(p->conn) != CONNECTION_OK) {
    char zWhy[200];
    sws_strlcpy(zWhy, PQerrorMessage(p->conn), sizeof zWhy);
    zWhy[strcspn(zWhy, "\n")] = '\0';
    rc = sws_err_set(err, SWS_EDB, "cannot connect to the registry's "
                     "PostgreSQL database: %s", zWhy);
    goto fail;
  }
  /* times as text in UTC; notices (IF NOT EXISTS) not on the terminal */
  if ((rc = exec(p, "SET TIME ZONE 'UTC'", err)) != 0 ||
      (rc = exec(p, "SET client_min_messages = warning", err)) != 0 ||
      (rc = migrate(p, bCreate, err)) != 0 ||
      (rc = entity_sql_init(p, err)) != 0)
    goto fail;
  if ((rc = run(p, "SELECT count(*) FROM registry", 0, NULL, &r, err)) != 0)
    goto fail;
  int64_t n = col_int(r, 0, 0);
  PQclear(r);
  if (n == 0) {
    unsigned char key[32];
    char zKey[65];
    if (!bCreate) {
      rc = sws_err_set(err, SWS_ESCHEMA, "this registry is not initialised; "
                       "run 'sws central init --pg URL'");
      goto fail;
    }
    sws_random(key, sizeof key);
    sws_hex(zKey, key, sizeof key);
    const char *v[2] = {zName ? zName : "central registry", zKey};
    rc = run(p, "INSERT INTO registry(id, name, cursor_key, epoch) VALUES "
                "(1, $1, decode($2, 'hex'), 1)",
             2, v, NULL, err);
    sodium_memzero(zKey, sizeof zKey);
    sodium_memzero(key, sizeof key);
    if (rc != 0)
      goto fail;
  }
  *out = &p->base;
  return SWS_OK;
fail:
  s_close(&p->base);
  return rc;
}
