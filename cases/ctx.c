/*
 * ctx.c - office database handle and domain operations (see ctx.h).
 */
#include "cases/ctx.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cases/audit.h"
#include "cases/capture.h"
#include "cases/country.h"
#include "cases/household.h"
#include "cases/maintain.h"
#include "cases/name.h"
#include "core/clock.h"
#include "core/mem.h"
#include "schema/schema.h"

/* SQL functions the schema's triggers call. */

static void sql_op(sqlite3_context *c, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(c);
  (void)n;
  (void)v;
  if (!ctx->bInOp) {
    sqlite3_result_error(c, "write outside a domain operation (no audit "
                            "row would be written); use the sws commands",
                         -1);
    return;
  }
  sqlite3_result_text(c, ctx->zOpId, -1, SQLITE_TRANSIENT);
}

static void sql_actor(sqlite3_context *c, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(c);
  (void)n;
  (void)v;
  sqlite3_result_text(c, ctx->zActor, -1, SQLITE_TRANSIENT);
}

/* The running operation's action ("household.edit", "sync.pull"), or ""
 * outside one: what a trigger reads to let sync alone write a record. */
static void sql_op_action(sqlite3_context *c, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(c);
  (void)n;
  (void)v;
  sqlite3_result_text(c, ctx->bInOp ? ctx->zOpAction : "", -1,
                      SQLITE_TRANSIENT);
}

static void sql_now(sqlite3_context *c, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(c);
  (void)n;
  (void)v;
  if (ctx->bInOp) {
    sqlite3_result_text(c, ctx->zOpTime, -1, SQLITE_TRANSIENT);
  } else {
    char z[32];
    sws_time_format(z, sizeof z, sws_now_ms());
    sqlite3_result_text(c, z, -1, SQLITE_TRANSIENT);
  }
}

static void sql_uuid7(sqlite3_context *c, int n, sqlite3_value **v)
{
  char z[SWS_UUID_LEN + 1];
  (void)n;
  (void)v;
  sws_uuid7(z);
  sqlite3_result_text(c, z, -1, SQLITE_TRANSIENT);
}

static void sql_phone_same(sqlite3_context *c, int n, sqlite3_value **v)
{
  (void)n;
  const char *a = (const char *)sqlite3_value_text(v[0]);
  const char *b = (const char *)sqlite3_value_text(v[1]);
  const struct country *pc = cases_country_of(sqlite3_user_data(c));
  sqlite3_result_int(c, a && b && cases_phone_same(pc, a, b));
}

static int define_functions(struct sws_ctx *ctx, struct sws_err *err)
{
  sqlite3 *h = ctx->db->h;
  int f = SQLITE_UTF8;
  if (sqlite3_create_function(h, "sws_op", 0, f, ctx, sql_op, NULL, NULL) ||
      sqlite3_create_function(h, "sws_actor", 0, f, ctx, sql_actor, NULL,
                              NULL) ||
      sqlite3_create_function(h, "sws_now", 0, f, ctx, sql_now, NULL, NULL) ||
      sqlite3_create_function(h, "sws_op_action", 0, f, ctx, sql_op_action,
                              NULL, NULL) ||
      sqlite3_create_function(h, "sws_uuid7", 0, f, ctx, sql_uuid7, NULL,
                              NULL) ||
      sqlite3_create_function(h, "sws_phone_same", 2,
                              f | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, ctx,
                              sql_phone_same, NULL, NULL) ||
      name_sql_register(h) != 0)
    return db_error(ctx->db, NULL, err);
  return capture_register(ctx, err);
}

int cases_open(struct sws_ctx **out, const char *zPath, int flags,
               struct sws_err *err)
{
  struct sws_ctx *ctx = sws_calloc(1, sizeof *ctx);
  int rc;
  int dflags = 0;
  *out = NULL;
  if (flags & CASES_CREATE)
    dflags |= DB_CREATE;
  if (flags & CASES_MEMORY)
    dflags |= DB_MEMORY;
  sws_strlcpy(ctx->zActor, "system", sizeof ctx->zActor);
  if ((rc = db_open(&ctx->db, zPath, dflags, err)) != 0)
    goto done;
  if ((rc = define_functions(ctx, err)) != 0)
    goto done;
  if ((rc = schema_migrate(ctx->db, &schema_office, (flags & CASES_CREATE) != 0,
                           err)) != 0 ||
      (rc = cases_country_read(ctx, err)) != 0)
    goto done;
  *out = ctx;
  ctx = NULL;
done:
  cases_close(ctx);
  return rc;
}

void cases_close(struct sws_ctx *ctx)
{
  if (ctx == NULL)
    return;
  capture_free(ctx);
  db_close(ctx->db);
  free(ctx);
}

void cases_set_actor(struct sws_ctx *ctx, const char *zActor)
{
  sws_strlcpy(ctx->zActor, zActor, sizeof ctx->zActor);
}

int cases_op_begin(struct sws_ctx *ctx, const char *zAction,
                   struct sws_err *err)
{
  int rc;
  if ((rc = db_begin(ctx->db, err)) != 0)
    return rc;
  if (ctx->bInOp++ > 0)
    return SWS_OK; /* part of the operation in progress (a savepoint) */
  capture_reset(ctx);
  sws_uuid7(ctx->zOpId);
  sws_strlcpy(ctx->zOpAction, zAction, sizeof ctx->zOpAction);
  sws_time_format(ctx->zOpTime, sizeof ctx->zOpTime, sws_now_ms());
  return SWS_OK;
}

int cases_op_end(struct sws_ctx *ctx, int rc, const char *zEntity,
                 const char *zEntityId, const char *zDetail,
                 struct sws_err *err)
{
  assert(ctx->bInOp > 0);
  if (ctx->bInOp > 1) {
    /* inner part: keep or undo its writes; the outer one audits */
    if (rc == 0)
      rc = db_commit(ctx->db, err);
    else
      db_rollback(ctx->db);
    ctx->bInOp--;
    return rc;
  }
  if (rc == 0)
    rc = cases_index_pending(ctx->db, err);
  if (rc == 0)
    rc = cases_audit_append(ctx, zEntity ? zEntity : "",
                            zEntityId ? zEntityId : "",
                            zDetail ? zDetail : "", err);
  if (rc == 0) {
    rc = db_commit(ctx->db, err);
  } else {
    db_rollback(ctx->db);
  }
  ctx->bInOp = 0;
  ctx->zOpId[0] = '\0';
  capture_reset(ctx);
  return rc;
}

int cases_counter_next(struct sws_ctx *ctx, const char *zName, int64_t *out,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO counter(name, value) VALUES (:name, 1) "
                      "ON CONFLICT(name) DO UPDATE SET value = value + 1 "
                      "RETURNING value",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":name", zName);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *out = db_col_int64(q, 0);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_EDB, "counter '%s' did not advance", zName);
  }
  db_done(ctx->db, q);
  return rc;
}
