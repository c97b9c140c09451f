/*
 * db.h - a thin wrapper over SQLite: open with the sws pragmas, cached
 * prepared statements, named binds, steps that fill sws_err, and nested
 * transactions.
 *
 * Usage:
 *   sqlite3_stmt *q;
 *   if ((rc = db_prepare(db, &q, "SELECT id FROM member WHERE name=:name",
 *                        err)) != 0) return rc;
 *   db_bind_text(q, ":name", zName);
 *   while ((rc = db_step(db, q, err)) == DB_ROW) { ... }
 *   db_done(db, q);
 *
 * Every value is bound; SQL text is always a constant or built from a fixed
 * whitelist, never from data.
 */
#ifndef SWS_CORE_DB_H
#define SWS_CORE_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "err.h"

struct db_cached;

struct sws_db {
  sqlite3 *h;                 /* the connection */
  char *zPath;                /* file name as opened */
  int nTx;                    /* transaction nesting depth */
  struct db_cached *aCache;   /* cached statements */
  int nCache, nCacheAlloc;
  int bReadOnly; /* opened read-only: the file or its directory cannot be
                    written here (db_open says so in bReadOnly) */
};

enum db_open_flags {
  DB_CREATE = 1 << 0,   /* create the file if missing */
  DB_READONLY = 1 << 1, /* open read-only */
  DB_MEMORY = 1 << 2,   /* ignore the path: private in-memory database */
};

enum { DB_DONE = 0, DB_ROW = 1 };

/*
 * Open `zPath` with WAL, synchronous=FULL, foreign keys on and a busy
 * timeout. *out is set on success; release with db_close().
 */
int db_open(struct sws_db **out, const char *zPath, int flags,
            struct sws_err *err);
/* Finalize cached statements and close; NULL is a no-op. */
void db_close(struct sws_db *db);

/*
 * Prepare `zSql` (one statement). Statements are cached by their text and
 * handed out reset with no bindings; give each back with db_done().
 */
int db_prepare(struct sws_db *db, sqlite3_stmt **out, const char *zSql,
               struct sws_err *err);
/* Give a statement back: reset and clear it if cached, else finalize. */
void db_done(struct sws_db *db, sqlite3_stmt *q);

/* Named binds; an unknown parameter name is a bug and aborts. NULL binds
 * SQL NULL. */
void db_bind_text(sqlite3_stmt *q, const char *zName, const char *z);
void db_bind_int64(sqlite3_stmt *q, const char *zName, int64_t v);
void db_bind_double(sqlite3_stmt *q, const char *zName, double v);
void db_bind_blob(sqlite3_stmt *q, const char *zName, const void *p, int n);
void db_bind_null(sqlite3_stmt *q, const char *zName);

/* Step: DB_ROW, DB_DONE, or a negative code with err filled. */
int db_step(struct sws_db *db, sqlite3_stmt *q, struct sws_err *err);

/* Column helpers; text columns that are NULL give NULL. */
const char *db_col_text(sqlite3_stmt *q, int i);
/* As db_col_text but "" for NULL. */
const char *db_col_str(sqlite3_stmt *q, int i);
int64_t db_col_int64(sqlite3_stmt *q, int i);
double db_col_double(sqlite3_stmt *q, int i);
int db_col_is_null(sqlite3_stmt *q, int i);

/* Run constant SQL (may hold several statements; no parameters). */
int db_exec(struct sws_db *db, const char *zSql, struct sws_err *err);

/* Single-value helpers for constant SQL with no parameters. */
int db_int64(struct sws_db *db, int64_t *out, int64_t dflt, const char *zSql,
             struct sws_err *err);

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE ... COMMIT, inner
 * ones are savepoints. db_rollback undoes the innermost level only.
 */
int db_begin(struct sws_db *db, struct sws_err *err);
int db_commit(struct sws_db *db, struct sws_err *err);
void db_rollback(struct sws_db *db);

/* Fill err from the connection's last error; returns the sws code. */
int db_error(struct sws_db *db, const char *zSql, struct sws_err *err);

#endif
