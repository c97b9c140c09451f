/*
 * db.c - SQLite wrapper (see db.h). Plumbing only: no domain knowledge.
 */
#include "db.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

struct db_cached {
  uint32_t hash;
  char *zSql;
  sqlite3_stmt *q;
  int busy; /* handed out and not yet returned */
};

int db_error(struct sws_db *db, const char *zSql, struct sws_err *err)
{
  int rc = sqlite3_extended_errcode(db->h);
  const char *zMsg = sqlite3_errmsg(db->h);
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return sws_err_set(err, SWS_EDB, "the database '%s' is busy (another sws "
                       "is writing to it); try again in a moment",
                       db->zPath);
  case SQLITE_FULL:
    return sws_err_set(err, SWS_EIO, "the disk holding '%s' is full; free "
                       "some space and try again", db->zPath);
  case SQLITE_READONLY:
    return sws_err_set(err, SWS_EIO, "the database '%s' is read-only here; "
                       "check the file permissions", db->zPath);
  case SQLITE_IOERR:
    return sws_err_set(err, SWS_EIO, "cannot read or write '%s' (%s); check "
                       "the disk", db->zPath, zMsg);
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return sws_err_set(err, SWS_ESCHEMA, "'%s' is damaged or not an sws "
                       "database (%s); restore it from a backup",
                       db->zPath, zMsg);
  case SQLITE_CONSTRAINT:
    return sws_err_set(err, SWS_ECONFLICT, "the record breaks a rule of the "
                       "database (%s)", zMsg);
  }
  if (zSql) {
    char zShort[64];
    sws_strlcpy(zShort, zSql, sizeof zShort);
    for (char *p = zShort; *p; p++)
      if (*p == '\n')
        *p = ' ';
    return sws_err_set(err, SWS_EDB, "database error: %s (in \"%s\")", zMsg,
                       zShort);
  }
  return sws_err_set(err, SWS_EDB, "database error: %s", zMsg);
}

/*
 * A statement with triggers keeps, for its own undo, a copy of each page it
 * changes that existed when it began (the statement journal). SQLite
 * writes that copy to a temporary file once it passes 64 KiB, and most
 * inserts of a member do pass it: a third of the time of writing
 * households went to those writes (docs/benchmarks.md). Kept in memory
 * instead (-1: never spilled). The copy lives only while one statement
 * runs, and our statements touch few pages: the largest are an import
 * chunk's index update (cases_index_pending) and the schema steps, which
 * at a million people peaked at 300 MB resident (schema/office/0009).
 * A future schema step that rewrites a whole large table should do it in
 * batches. Thresholds of 256 KiB and 1 MB made SQLite 3.40 fail the
 * 0007 step with "disk full" when the copy spilled, so no threshold.
 * Sorts and temporary tables keep SQLite's default (files). Must be set
 * before SQLite starts, once.
 */
#define STMT_JOURNAL_IN_MEMORY (-1)

static void sqlite_configure(void)
{
  /* fails (harmlessly) when something started SQLite before us */
  (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, STMT_JOURNAL_IN_MEMORY);
}

/* Whether this process may write file zPath and make files beside it (a
 * WAL database needs its -wal and -shm there). */
static int writable_here(const char *zPath)
{
  char zDir[4096];
  snprintf(zDir, sizeof zDir, "%s", zPath);
  char *zSlash = strrchr(zDir, '/');
  if (zSlash == NULL)
    snprintf(zDir, sizeof zDir, ".");
  else if (zSlash == zDir)
    zDir[1] = '\0';
  else
    *zSlash = '\0';
  return access(zPath, W_OK) == 0 && access(zDir, W_OK) == 0;
}

int db_open(struct sws_db **out, const char *zPath, int flags,
            struct sws_err *err)
{
  struct sws_db *db = NULL;
  int rc = SWS_OK;
  int oflags = SQLITE_OPEN_NOMUTEX;
  *out = NULL;

  if (flags & DB_MEMORY) {
    zPath = ":memory:";
    oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  } else {
    struct stat st;
    if (stat(zPath, &st) != 0) {
      if (!(flags & DB_CREATE))
        return sws_err_set(err, SWS_ENOTFOUND, "no database at '%s'; create "
                           "one with 'sws init' or give the right --db",
                           zPath);
      /* the file first, readable by its owner alone whatever the umask:
       * it holds people's records, password hashes and the office's
       * secret key; SQLite gives its -wal and -shm files the same mode */
      int fd = open(zPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0 || fchmod(fd, 0600) != 0) {
        rc = sws_err_set(err, SWS_EIO, "cannot create '%s': %s", zPath,
                         strerror(errno));
        if (fd >= 0)
          close(fd);
        return rc;
      }
      close(fd);
    } else if (!S_ISREG(st.st_mode)) {
      return sws_err_set(err, SWS_EINVAL, "'%s' is not a regular file",
                         zPath);
    } else if (st.st_size == 0 && !(flags & DB_CREATE)) {
      /* not opened at all: SQLite would write a header into it */
      return sws_err_set(err, SWS_ENOTFOUND,
                         "'%s' is empty, not an sws database; create one "
                         "with 'sws init' or give the right --db",
                         zPath);
    }
    if (!(flags & (DB_CREATE | DB_READONLY)) && !writable_here(zPath))
      flags |= DB_READONLY; /* a read can still be made: said to the user */
    if (flags & DB_READONLY)
      oflags |= SQLITE_OPEN_READONLY;
    else
      oflags |= SQLITE_OPEN_READWRITE |
                ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
  }

  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, sqlite_configure);
  db = sws_calloc(1, sizeof *db);
  db->zPath = sws_strdup(zPath);
  db->bReadOnly = (flags & DB_READONLY) != 0;
  int orc = sqlite3_open_v2(zPath, &db->h, oflags, NULL);
  if (orc == SQLITE_OK && db->bReadOnly &&
      sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
                   NULL) != SQLITE_OK) {
    /* a WAL database in a directory we cannot write: its -shm cannot be
     * made; read it as it is on disk, which is all of it when no -wal
     * file is left (the last writer checkpointed and removed it) */
    char zWal[4200];
    struct stat ws;
    snprintf(zWal, sizeof zWal, "%s-wal", zPath);
    if (stat(zWal, &ws) != 0 || ws.st_size == 0) {
      char *zUri = sqlite3_mprintf("file:%s?mode=ro&immutable=1", zPath);
      sqlite3_close(db->h);
      db->h = NULL;
      orc = sqlite3_open_v2(zUri, &db->h, oflags | SQLITE_OPEN_URI, NULL);
      sqlite3_free(zUri);
    }
  }
  if (orc != SQLITE_OK) {
    if (db->h == NULL) {
      rc = sws_err_set(err, SWS_EDB, "cannot open '%s'", zPath);
      goto done;
    }
    rc = db_error(db, NULL, err);
    goto done;
  }
  sqlite3_extended_result_codes(db->h, 1);
  sqlite3_busy_timeout(db->h, 5000);
  if ((rc = db_exec(db, "PRAGMA foreign_keys=ON", err)) != 0)
    goto done;
  if (!(flags & DB_READONLY) && !(flags & DB_MEMORY)) {
    /* WAL lets the web UI read while the CLI writes; FULL makes "saved"
     * mean saved, even across a power cut. */
    if ((rc = db_exec(db, "PRAGMA journal_mode=WAL", err)) != 0)
      goto done;
  }
  if ((rc = db_exec(db, "PRAGMA synchronous=FULL", err)) != 0)
    goto done;
  /* A province's registry is hundreds of MB; SQLite's default 2 MB page
   * cache sent most index reads of a duplicate check or a name search back
   * to the kernel (docs/benchmarks.md). The cache grows only as pages are
   * read, so a small office pays nothing for the ceiling. */
  if ((rc = db_exec(db, "PRAGMA cache_size=-65536", err)) != 0)
    goto done;
  *out = db;
  db = NULL;
done:
  db_close(db);
  return rc;
}

void db_close(struct sws_db *db)
{
  if (db == NULL)
    return;
  for (int i = 0; i < db->nCache; i++) {
    sqlite3_finalize(db->aCache[i].q);
    free(db->aCache[i].zSql);
  }
  free(db->aCache);
  if (db->h)
    sqlite3_close(db->h);
  free(db->zPath);
  free(db);
}

int db_prepare(struct sws_db *db, sqlite3_stmt **out, const char *zSql,
               struct sws_err *err)
{
  uint32_t h = sws_sql_key(zSql);
  struct db_cached *free_slot = NULL;
  *out = NULL;
  for (int i = 0; i < db->nCache; i++) {
    struct db_cached *c = &db->aCache[i];
    if (c->hash == h && strcmp(c->zSql, zSql) == 0) {
      if (!c->busy) {
        c->busy = 1;
        *out = c->q;
        return SWS_OK;
      }
      free_slot = c; /* in use (nested use): hand out a private copy */
      break;
    }
  }
  sqlite3_stmt *q = NULL;
  unsigned pflags = free_slot ? 0 : SQLITE_PREPARE_PERSISTENT;
  if (sqlite3_prepare_v3(db->h, zSql, -1, pflags, &q, NULL) != SQLITE_OK)
    return db_error(db, zSql, err);
  if (q == NULL)
    return sws_err_set(err, SWS_EDB, "empty SQL statement");
  if (free_slot == NULL) {
    if (db->nCache == db->nCacheAlloc) {
      db->nCacheAlloc = db->nCacheAlloc ? db->nCacheAlloc * 2 : 32;
      db->aCache =
          sws_realloc(db->aCache, sizeof *db->aCache * (size_t)db->nCacheAlloc);
    }
    struct db_cached *c = &db->aCache[db->nCache++];
    c->hash = h;
    c->zSql = sws_strdup(zSql);
    c->q = q;
    c->busy = 1;
  }
  *out = q;
  return SWS_OK;
}

void db_done(struct sws_db *db, sqlite3_stmt *q)
{
  if (q == NULL)
    return;
  for (int i = 0; i < db->nCache; i++) {
    if (db->aCache[i].q == q) {
      sqlite3_reset(q);
      sqlite3_clear_bindings(q);
      db->aCache[i].busy = 0;
      return;
    }
  }
  sqlite3_finalize(q);
}

static int param(sqlite3_stmt *q, const char *zName)
{
  int i = sqlite3_bind_parameter_index(q, zName);
  if (i == 0) {
    fprintf(stderr, "sws: bug: no parameter %s in \"%s\"\n", zName,
            sqlite3_sql(q));
    abort();
  }
  return i;
}

void db_bind_text(sqlite3_stmt *q, const char *zName, const char *z)
{
  int i = param(q, zName);
  if (z == NULL)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_text(q, i, z, -1, SQLITE_TRANSIENT);
}

void db_bind_int64(sqlite3_stmt *q, const char *zName, int64_t v)
{
  sqlite3_bind_int64(q, param(q, zName), v);
}

void db_bind_double(sqlite3_stmt *q, const char *zName, double v)
{
  sqlite3_bind_double(q, param(q, zName), v);
}

void db_bind_blob(sqlite3_stmt *q, const char *zName, const void *p, int n)
{
  if (p == NULL)
    sqlite3_bind_null(q, param(q, zName));
  else
    sqlite3_bind_blob(q, param(q, zName), p, n, SQLITE_TRANSIENT);
}

void db_bind_null(sqlite3_stmt *q, const char *zName)
{
  sqlite3_bind_null(q, param(q, zName));
}

int db_step(struct sws_db *db, sqlite3_stmt *q, struct sws_err *err)
{
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    return DB_ROW;
  if (rc == SQLITE_DONE)
    return DB_DONE;
  return db_error(db, sqlite3_sql(q), err);
}

const char *db_col_text(sqlite3_stmt *q, int i)
{
  return (const char *)sqlite3_column_text(q, i);
}

const char *db_col_str(sqlite3_stmt *q, int i)
{
  const char *z = (const char *)sqlite3_column_text(q, i);
  return z ? z : "";
}

int64_t db_col_int64(sqlite3_stmt *q, int i)
{
  return sqlite3_column_int64(q, i);
}

double db_col_double(sqlite3_stmt *q, int i)
{
  return sqlite3_column_double(q, i);
}

int db_col_is_null(sqlite3_stmt *q, int i)
{
  return sqlite3_column_type(q, i) == SQLITE_NULL;
}

int db_exec(struct sws_db *db, const char *zSql, struct sws_err *err)
{
  if (sqlite3_exec(db->h, zSql, NULL, NULL, NULL) != SQLITE_OK)
    return db_error(db, zSql, err);
  return SWS_OK;
}

int db_int64(struct sws_db *db, int64_t *out, int64_t dflt, const char *zSql,
             struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(db, &q, zSql, err);
  if (rc != 0)
    return rc;
  *out = dflt;
  rc = db_step(db, q, err);
  if (rc == DB_ROW && !db_col_is_null(q, 0))
    *out = db_col_int64(q, 0);
  db_done(db, q);
  return rc < 0 ? rc : SWS_OK;
}

int db_begin(struct sws_db *db, struct sws_err *err)
{
  int rc;
  if (db->nTx == 0) {
    rc = db_exec(db, "BEGIN IMMEDIATE", err);
  } else {
    char z[32];
    snprintf(z, sizeof z, "SAVEPOINT s%d", db->nTx);
    rc = db_exec(db, z, err);
  }
  if (rc == 0)
    db->nTx++;
  return rc;
}

int db_commit(struct sws_db *db, struct sws_err *err)
{
  int rc;
  assert(db->nTx > 0);
  if (db->nTx == 1) {
    rc = db_exec(db, "COMMIT", err);
    if (rc != 0) {
      db_exec(db, "ROLLBACK", NULL);
    }
  } else {
    char z[32];
    snprintf(z, sizeof z, "RELEASE s%d", db->nTx - 1);
    rc = db_exec(db, z, err);
  }
  db->nTx--;
  return rc;
}

void db_rollback(struct sws_db *db)
{
  assert(db->nTx > 0);
  if (db->nTx == 1) {
    db_exec(db, "ROLLBACK", NULL);
  } else {
    char z[64];
    snprintf(z, sizeof z, "ROLLBACK TO s%d; RELEASE s%d", db->nTx - 1,
             db->nTx - 1);
    db_exec(db, z, NULL);
  }
  db->nTx--;
}
