/*
 * audit.c - hash-chained audit log (see audit.h).
 *
 * row hash = SHA-256 of the length-prefixed fields
 *   prev_hash, id, at, actor, action, entity, entity_id, detail, op_id,
 *   changes
 * changes = SHA-256 of the operation's outbox rows, each as the
 *   length-prefixed fields seq, mutation_id, entity, entity_id, op, fields,
 *   prev, operator, at (in seq order).
 * Both are lower-case hex. The first row's prev_hash is 64 zeros.
 */
#include "cases/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void feed(crypto_hash_sha256_state *st, const char *z)
{
  char len[24];
  if (z == NULL)
    z = "";
  size_t n = strlen(z);
  int k = snprintf(len, sizeof len, "%zu:", n);
  crypto_hash_sha256_update(st, (const unsigned char *)len, (size_t)k);
  crypto_hash_sha256_update(st, (const unsigned char *)z, n);
  crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

static void feed_int(crypto_hash_sha256_state *st, int64_t v)
{
  char z[24];
  snprintf(z, sizeof z, "%" PRId64, v);
  feed(st, z);
}

static void finish(crypto_hash_sha256_state *st, char out[65])
{
  unsigned char h[32];
  crypto_hash_sha256_final(st, h);
  sws_hex(out, h, sizeof h);
}

/* The `changes` digest of the outbox rows of operation zOpId. */
static int changes_hash(struct sws_ctx *ctx, const char *zOpId, char out[65],
                        struct sws_err *err)
{
  crypto_hash_sha256_state st;
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT seq, mutation_id, entity, entity_id, op, "
                      "fields, prev, operator, at FROM outbox "
                      "WHERE op_id = :op ORDER BY seq",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":op", zOpId);
  crypto_hash_sha256_init(&st);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    feed_int(&st, db_col_int64(q, 0));
    for (int i = 1; i <= 8; i++)
      feed(&st, db_col_text(q, i));
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  finish(&st, out);
  return SWS_OK;
}

static void row_hash(const char *zPrev, int64_t id, const char *zAt,
                     const char *zActor, const char *zAction,
                     const char *zEntity, const char *zEntityId,
                     const char *zDetail, const char *zOpId,
                     const char *zChanges, char out[65])
{
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  feed(&st, zPrev);
  feed_int(&st, id);
  feed(&st, zAt);
  feed(&st, zActor);
  feed(&st, zAction);
  feed(&st, zEntity);
  feed(&st, zEntityId);
  feed(&st, zDetail);
  feed(&st, zOpId);
  feed(&st, zChanges);
  finish(&st, out);
}

int cases_audit_append(struct sws_ctx *ctx, const char *zEntity,
                       const char *zEntityId, const char *zDetail,
                       struct sws_err *err)
{
  char zPrev[65] = GENESIS, zChanges[65], zHash[65];
  int64_t id = 1;
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT id, hash FROM audit_log ORDER BY id DESC "
                      "LIMIT 1",
                      err);
  if (rc != 0)
    return rc;
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    id = db_col_int64(q, 0) + 1;
    sws_strlcpy(zPrev, db_col_str(q, 1), sizeof zPrev);
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = changes_hash(ctx, ctx->zOpId, zChanges, err)) != 0)
    return rc;
  row_hash(zPrev, id, ctx->zOpTime, ctx->zActor, ctx->zOpAction, zEntity,
           zEntityId, zDetail, ctx->zOpId, zChanges, zHash);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO audit_log(id, at, actor, action, entity, "
                       "entity_id, detail, op_id, changes, prev_hash, hash) "
                       "VALUES (:id, :at, :actor, :action, :entity, "
                       ":entity_id, :detail, :op, :changes, :prev, :hash)",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":id", id);
  db_bind_text(q, ":at", ctx->zOpTime);
  db_bind_text(q, ":actor", ctx->zActor);
  db_bind_text(q, ":action", ctx->zOpAction);
  db_bind_text(q, ":entity", zEntity);
  db_bind_text(q, ":entity_id", zEntityId);
  db_bind_text(q, ":detail", zDetail);
  db_bind_text(q, ":op", ctx->zOpId);
  db_bind_text(q, ":changes", zChanges);
  db_bind_text(q, ":prev", zPrev);
  db_bind_text(q, ":hash", zHash);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_audit_verify(struct sws_ctx *ctx, struct audit_verify *out,
                       void (*progress)(int64_t, int64_t, void *), void *arg,
                       struct sws_err *err)
{
  char zPrev[65] = GENESIS, zHash[65], zChanges[65];
  int64_t expect = 1, total = 0;
  sqlite3_stmt *q;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = db_int64(ctx->db, &total, 0, "SELECT count(*) FROM audit_log",
                     err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, at, actor, action, entity, entity_id, "
                       "detail, op_id, changes, prev_hash, hash "
                       "FROM audit_log ORDER BY id",
                       err)) != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    int64_t id = db_col_int64(q, 0);
    const char *zOp = db_col_str(q, 7);
    out->nRows++;
    if (progress && out->nRows % 10000 == 0)
      progress(out->nRows, total, arg);
    if (id != expect) {
      out->bad_id = id;
      snprintf(out->why, sizeof out->why, "row %" PRId64 " is missing (the "
               "next row is %" PRId64 ")", expect, id);
      break;
    }
    if (strcmp(db_col_str(q, 9), zPrev) != 0) {
      out->bad_id = id;
      snprintf(out->why, sizeof out->why, "its previous-hash does not match "
               "row %" PRId64 "", id - 1);
      break;
    }
    if ((rc = changes_hash(ctx, zOp, zChanges, err)) != 0)
      break;
    if (strcmp(zChanges, db_col_str(q, 8)) != 0) {
      out->bad_id = id;
      snprintf(out->why, sizeof out->why, "the changes it records (outbox "
               "rows of operation %s) were altered", zOp);
      break;
    }
    row_hash(zPrev, id, db_col_str(q, 1), db_col_str(q, 2), db_col_str(q, 3),
             db_col_str(q, 4), db_col_str(q, 5), db_col_str(q, 6), zOp,
             zChanges, zHash);
    if (strcmp(zHash, db_col_str(q, 10)) != 0) {
      out->bad_id = id;
      snprintf(out->why, sizeof out->why, "its contents were altered after "
               "it was written");
      break;
    }
    memcpy(zPrev, zHash, sizeof zPrev);
    expect = id + 1;
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  return SWS_OK;
}

int cases_audit_head(struct sws_ctx *ctx, struct audit_head *out,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  memset(out, 0, sizeof *out);
  memcpy(out->zHash, GENESIS, sizeof out->zHash);
  int rc = db_prepare(ctx->db, &q,
                      "SELECT id, hash, (SELECT count(*) FROM audit_log) "
                      "FROM audit_log ORDER BY id DESC LIMIT 1",
                      err);
  if (rc != 0)
    return rc;
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    out->id = db_col_int64(q, 0);
    sws_strlcpy(out->zHash, db_col_str(q, 1), sizeof out->zHash);
    out->n = db_col_int64(q, 2);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_audit_hash_at(struct sws_ctx *ctx, int64_t id, char zHash[65],
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc =
      db_prepare(ctx->db, &q, "SELECT hash FROM audit_log WHERE id = :id", err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":id", id);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    sws_strlcpy(zHash, db_col_str(q, 0), 65);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  return rc == DB_ROW ? SWS_OK : SWS_ENOTFOUND;
}

int cases_audit_find(struct sws_ctx *ctx, const char *zAction,
                     const char *zDetail, int64_t *pId, struct sws_err *err)
{
  sqlite3_stmt *q;
  *pId = 0;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT max(id) FROM audit_log WHERE action = :a AND "
                      "detail = :d",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":a", zAction);
  db_bind_text(q, ":d", zDetail);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    *pId = db_col_int64(q, 0);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_audit_list(struct sws_ctx *ctx, const char *zEntityId,
                     int64_t nLimit,
                     int (*fn)(const struct audit_row *, void *), void *arg,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT id, at, actor, action, entity, entity_id, "
                      "detail FROM audit_log "
                      "WHERE :eid IS NULL OR entity_id = :eid "
                      "ORDER BY id DESC LIMIT :lim",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":eid", zEntityId);
  db_bind_int64(q, ":lim", nLimit > 0 ? nLimit : -1);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct audit_row r = {db_col_int64(q, 0), db_col_str(q, 1),
                          db_col_str(q, 2),   db_col_str(q, 3),
                          db_col_str(q, 4),   db_col_str(q, 5),
                          db_col_str(q, 6)};
    if (fn(&r, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
