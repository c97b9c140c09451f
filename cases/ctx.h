/*
 * ctx.h - the office database handle and domain operations.
 *
 * A `struct sws_ctx` is an open office database plus who is acting. Every
 * write is a domain operation:
 *
 *   if ((rc = cases_op_begin(ctx, "household.add", err)) != 0)
 *     return rc;
 *   ... writes; on error rc != 0 and goto done ...
 * done:
 *   return cases_op_end(ctx, rc, "household", zId, zDetail, err);
 *
 * cases_op_end commits the writes together with one hash-chained audit row
 * (and the outbox rows the schema triggers wrote), or rolls everything back.
 * The schema refuses writes outside an operation, so none can bypass this.
 */
#ifndef SWS_CASES_CTX_H
#define SWS_CASES_CTX_H

#include "core/db.h"
#include "core/err.h"
#include "core/ids.h"

#define SWS_LOGIN_MAX 64

struct capture;
struct country;

struct sws_ctx {
  struct sws_db *db;
  char zActor[SWS_LOGIN_MAX]; /* who is acting: a login, "cli:NAME", ... */
  /* the operation in progress: its depth (an operation started inside
   * another is part of it, a savepoint, and writes no audit row) */
  int bInOp;
  char zOpId[SWS_UUID_LEN + 1];
  char zOpAction[64];
  char zOpTime[32]; /* ISO time the operation started */
  int bNoCapture;   /* applying pulled changes: no outbox rows */
  struct capture *capture; /* outbox change capture (capture.c) */
  const struct country *country; /* the office's country (country.c) */
  char zTimeZone[72]; /* where times are shown (cases_office_timezone) */
};

enum cases_open_flags {
  CASES_CREATE = 1 << 0, /* create and initialise a new database */
  CASES_MEMORY = 1 << 1, /* private in-memory database (tests) */
};

/*
 * Open the office database at zPath (schema migrated, functions defined).
 * Release with cases_close().
 */
int cases_open(struct sws_ctx **out, const char *zPath, int flags,
               struct sws_err *err);
void cases_close(struct sws_ctx *ctx);

/* Set who is acting (recorded in the audit log and the outbox). */
void cases_set_actor(struct sws_ctx *ctx, const char *zActor);

/* Start a domain operation named zAction ("household.add"). Inside
 * another operation it becomes part of that one (its own writes can still
 * be rolled back alone). */
int cases_op_begin(struct sws_ctx *ctx, const char *zAction,
                   struct sws_err *err);

/*
 * End the operation: if rc is 0, append the audit row (entity, id, detail)
 * and commit; otherwise roll back. Returns rc, or the commit's error.
 * zEntity, zEntityId and zDetail may be NULL.
 */
int cases_op_end(struct sws_ctx *ctx, int rc, const char *zEntity,
                 const char *zEntityId, const char *zDetail,
                 struct sws_err *err);

/* The next value of a named counter (inside an operation). */
int cases_counter_next(struct sws_ctx *ctx, const char *zName, int64_t *out,
                       struct sws_err *err);

#endif
