/*
 * office.c - the office side of sync (see office.h).
 */
#include "sync/office.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/capture.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/referral.h"
#include "cases/review.h"
#include "core/buf.h"
#include "core/crash.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"

/* ---- state and settings ---- */

int sync_state_get(struct sws_ctx *ctx, const char *zName, char *out,
                   size_t n, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT value FROM sync_state WHERE name = :n", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":n", zName);
  out[0] = '\0';
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    sws_strlcpy(out, db_col_str(q, 0), n);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_state_get_int(struct sws_ctx *ctx, const char *zName, int64_t *out,
                       struct sws_err *err)
{
  char z[32];
  int rc = sync_state_get(ctx, zName, z, sizeof z, err);
  *out = rc == 0 && z[0] ? strtoll(z, NULL, 10) : 0;
  return rc;
}

int sync_state_set(struct sws_ctx *ctx, const char *zName,
                   const char *zValue, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_op_begin(ctx, "sync.state", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO sync_state(name, value) VALUES (:n, :v) "
                       "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                       err)) == 0) {
    db_bind_text(q, ":n", zName);
    db_bind_text(q, ":v", zValue);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc, "sync", zName, zValue, err);
}

static int set_int(struct sws_ctx *ctx, const char *zName, int64_t v,
                   struct sws_err *err)
{
  char z[32];
  snprintf(z, sizeof z, "%" PRId64, v);
  return sync_state_set(ctx, zName, z, err);
}

int sync_config_get(struct sws_ctx *ctx, struct sync_config *out,
                    struct sws_err *err)
{
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = sync_state_get(ctx, "central_url", out->zUrl, sizeof out->zUrl,
                           err)) ||
      (rc = sync_state_get(ctx, "ca_file", out->zCaFile,
                           sizeof out->zCaFile, err)) ||
      (rc = sync_state_get(ctx, "pin", out->zPin, sizeof out->zPin, err)))
    return rc;
  return SWS_OK;
}

int sync_config_set(struct sws_ctx *ctx, const char *zUrl,
                    const char *zCaFile, const char *zPin,
                    struct sws_err *err)
{
  int rc = 0;
  if (zUrl && strncmp(zUrl, "https://", 8) != 0)
    return sws_err_set(err, SWS_EINVAL, "the central registry's address "
                       "must start with https:// (not '%s')", zUrl);
  if (zUrl && strlen(zUrl) >= 256)
    return sws_err_set(err, SWS_EINVAL, "the address is too long");
  if (zCaFile && strlen(zCaFile) >= 256)
    return sws_err_set(err, SWS_EINVAL, "the CA file name is too long");
  if (zPin && zPin[0] && (strncmp(zPin, "sha256//", 8) != 0 ||
                          strlen(zPin) >= 128))
    return sws_err_set(err, SWS_EINVAL, "a pin looks like sha256//BASE64 "
                       "(the central server's public key hash)");
  if ((rc = cases_op_begin(ctx, "sync.config", err)) != 0)
    return rc;
  if (zUrl)
    rc = sync_state_set(ctx, "central_url", zUrl, err);
  if (rc == 0 && zCaFile)
    rc = sync_state_set(ctx, "ca_file", zCaFile, err);
  if (rc == 0 && zPin)
    rc = sync_state_set(ctx, "pin", zPin, err);
  return cases_op_end(ctx, rc, "sync", "config", zUrl ? zUrl : "", err);
}

int sync_pending(struct sws_ctx *ctx, int64_t *out, struct sws_err *err)
{
  int64_t acked;
  sqlite3_stmt *q;
  int rc;
  if ((rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT count(*) FROM outbox WHERE seq > :a", err)))
    return rc;
  db_bind_int64(q, ":a", acked);
  rc = db_step(ctx->db, q, err);
  *out = rc == DB_ROW ? db_col_int64(q, 0) : 0;
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* ---- push ---- */

void sync_batch_release(struct sync_batch *b)
{
  free(b->zBody);
  b->zBody = NULL;
}

/* The first batch frozen after seq `after` (0: the first of all). */
static int load_frozen(struct sws_ctx *ctx, int64_t after,
                       struct sync_batch *out, int *pHave,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT batch_id, first_seq, last_seq, body, attempts "
                      "FROM sync_batch WHERE first_seq > :a ORDER BY "
                      "first_seq LIMIT 1",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":a", after);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(out->zBatch, db_col_str(q, 0), sizeof out->zBatch);
    out->first = db_col_int64(q, 1);
    out->last = db_col_int64(q, 2);
    out->nBody = (size_t)sqlite3_column_bytes(q, 3);
    out->zBody = sws_strndup(db_col_str(q, 3), out->nBody);
    out->attempts = (int)db_col_int64(q, 4);
    *pHave = 1;
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_batch_next(struct sws_ctx *ctx, size_t nMaxBytes,
                    struct sync_batch *out, int *pHave, struct sws_err *err)
{
  return sync_batch_next_after(ctx, nMaxBytes, 0, out, pHave, err);
}

int sync_batch_next_after(struct sws_ctx *ctx, size_t nMaxBytes,
                          int64_t after, struct sync_batch *out, int *pHave,
                          struct sws_err *err)
{
  struct office_info office;
  struct buf m = BUF_INIT;
  sqlite3_stmt *q = NULL;
  int64_t acked, first = 0, last = 0;
  int rc, n = 0;
  char *zBody = NULL;
  memset(out, 0, sizeof *out);
  *pHave = 0;
  if ((rc = load_frozen(ctx, after, out, pHave, err)) != 0 || *pHave)
    return rc;
  if ((rc = cases_office_get(ctx, &office, err)) != 0 ||
      (rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    return rc;
  if (after > acked)
    acked = after; /* the batch in flight ends there */
  /* SQLite writes each mutation's JSON (proto.h: s e i o f p b t) from the
   * outbox's own JSON text, checked but not parsed and encoded again here */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT seq, CASE WHEN json_valid(fields) AND "
                       "(prev IS NULL OR json_valid(prev)) THEN "
                       "json_object('s', seq, 'e', entity, 'i', entity_id, "
                       "'o', op, 'f', json(fields), 'p', json(prev), "
                       "'b', operator, 't', at) END "
                       "FROM outbox WHERE seq > :a ORDER BY seq LIMIT 5000",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":a", acked);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    int64_t seq = db_col_int64(q, 0);
    size_t sz = (size_t)sqlite3_column_bytes(q, 1) + 1;
    if (db_col_is_null(q, 1)) {
      rc = sws_err_set(err, SWS_EDB, "outbox row %" PRId64 " is not JSON; "
                       "the database is damaged", seq);
      goto done;
    }
    if (n > 0 && m.n + sz > nMaxBytes)
      break;
    if (n > 0 && seq != last + 1)
      break; /* contiguous only (seqs are never reused, so always so) */
    if (n++ == 0)
      first = seq;
    else
      buf_putc(&m, ',');
    buf_append(&m, db_col_str(q, 1), sz - 1);
    last = seq;
  }
  db_done(ctx->db, q);
  q = NULL;
  if (rc < 0)
    goto done;
  rc = 0;
  if (n == 0)
    goto done;
  char zBatch[SWS_UUID_LEN + 1];
  sws_uuid7(zBatch);
  zBody = proto_push_assemble(office.zDevice, zBatch, first, last,
                              buf_str(&m));
  if ((rc = cases_op_begin(ctx, "sync.freeze", err)) == 0) {
    if ((rc = db_prepare(ctx->db, &q,
                         "INSERT INTO sync_batch(batch_id, first_seq, "
                         "last_seq, body, created_at) VALUES (:b, :f, :l, "
                         ":body, sws_now())",
                         err)) == 0) {
      db_bind_text(q, ":b", zBatch);
      db_bind_int64(q, ":f", first);
      db_bind_int64(q, ":l", last);
      db_bind_text(q, ":body", zBody);
      rc = db_step(ctx->db, q, err);
      rc = rc < 0 ? rc : 0;
      db_done(ctx->db, q);
      q = NULL;
    }
    char zDetail[96];
    snprintf(zDetail, sizeof zDetail, "mutations %" PRId64 "..%" PRId64,
             first, last);
    rc = cases_op_end(ctx, rc, "sync", zBatch, zDetail, err);
  }
  if (rc == 0) {
    sws_strlcpy(out->zBatch, zBatch, sizeof out->zBatch);
    out->first = first;
    out->last = last;
    out->nBody = strlen(zBody);
    out->zBody = zBody;
    zBody = NULL;
    *pHave = 1;
  }
done:
  db_done(ctx->db, q);
  free(zBody);
  buf_release(&m);
  return rc;
}

static int drop_batch(struct sws_ctx *ctx, const char *zBatch,
                      struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "DELETE FROM sync_batch WHERE batch_id = :b", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":b", zBatch);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_batch_done(struct sws_ctx *ctx, const struct sync_batch *b,
                    const struct proto_push_reply *r, struct sync_counts *c,
                    struct sws_err *err)
{
  sqlite3_stmt *q;
  int64_t acked;
  int rc;
  if (r->ack < b->last)
    return sws_err_set(err, SWS_ECONFLICT, "the central registry "
                       "acknowledged only up to %" PRId64 " of a batch "
                       "ending at %" PRId64, r->ack, b->last);
  if ((rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "sync.push", err)) != 0)
    return rc;
  for (int i = 0; i < r->n && rc == 0; i++) {
    const struct proto_verdict *v = &r->a[i];
    if (v->seq < b->first || v->seq > b->last)
      continue;
    if (strcmp(v->zVerdict, "rejected") == 0)
      c->rejected++;
    else if (strcmp(v->zVerdict, "conflict") == 0)
      c->conflicts++;
    else if (strcmp(v->zVerdict, "merged") == 0)
      c->merged++;
    else
      continue; /* applied, duplicate: nothing to show */
    if ((rc = db_prepare(ctx->db, &q,
                         "INSERT OR REPLACE INTO sync_verdict(seq, verdict, "
                         "detail, at) VALUES (:s, :v, :d, sws_now())",
                         err)) != 0)
      break;
    db_bind_int64(q, ":s", v->seq);
    db_bind_text(q, ":v", v->zVerdict);
    db_bind_text(q, ":d", v->zDetail ? v->zDetail : "");
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  /* verdicts written, watermark not moved, nothing committed */
  sws_crash_point("push.recording");
  if (rc == 0)
    rc = drop_batch(ctx, b->zBatch, err);
  if (rc == 0 && b->last > acked)
    rc = set_int(ctx, "acked", b->last, err);
  if (rc == 0)
    rc = sync_state_set(ctx, "last_push_at", r->zServerTime
                                                 ? r->zServerTime
                                                 : "",
                        err);
  char zDetail[96];
  snprintf(zDetail, sizeof zDetail, "acknowledged through %" PRId64,
           b->last);
  rc = cases_op_end(ctx, rc, "sync", b->zBatch, zDetail, err);
  if (rc == 0)
    c->acked += b->last - (b->first > acked ? b->first - 1 : acked);
  return rc;
}

int sync_batch_gap(struct sws_ctx *ctx, const struct sync_batch *b,
                   int64_t expected, struct sws_err *err)
{
  int rc;
  if (expected < 1)
    return sws_err_set(err, SWS_EINVAL, "the central registry asked for "
                       "seq %" PRId64, expected);
  if ((rc = cases_op_begin(ctx, "sync.gap", err)) != 0)
    return rc;
  /* this batch and any frozen after it: all are frozen again from
   * `expected`, with the same mutations */
  rc = db_exec(ctx->db, "DELETE FROM sync_batch", err);
  /* everything before `expected` is done there; resend from it (if the
   * registry lost data, that means resending what it lost: the outbox
   * keeps every row) */
  if (rc == 0)
    rc = set_int(ctx, "acked", expected - 1, err);
  char zDetail[96];
  snprintf(zDetail, sizeof zDetail, "the central registry expects %" PRId64,
           expected);
  return cases_op_end(ctx, rc, "sync", b->zBatch, zDetail, err);
}

int sync_batch_diverged(struct sws_ctx *ctx, const struct sync_batch *b,
                        int64_t diverged, struct sws_err *err)
{
  int rc;
  if (diverged < 1)
    return sws_err_set(err, SWS_EINVAL, "the central registry named seq %"
                       PRId64 " as where this device went back in time",
                       diverged);
  if ((rc = cases_op_begin(ctx, "sync.diverged", err)) != 0)
    return rc;
  rc = db_exec(ctx->db, "DELETE FROM sync_batch", err); /* all refused */
  if (rc == 0)
    rc = set_int(ctx, "diverged", diverged, err);
  char zDetail[120];
  snprintf(zDetail, sizeof zDetail, "the central registry holds other "
           "changes from seq %" PRId64 " on", diverged);
  return cases_op_end(ctx, rc, "sync", b->zBatch, zDetail, err);
}

int sync_new_device(struct sws_ctx *ctx, const char *zDevice,
                    struct sync_new_device *out, struct sws_err *err)
{
  struct office_info old, now;
  sqlite3_stmt *q;
  int64_t diverged = 0, acked = 0;
  char zKeyId[17];
  int rc;
  memset(out, 0, sizeof *out);
  memset(&old, 0, sizeof old);
  if ((rc = sync_state_get_int(ctx, "diverged", &diverged, err)) != 0 ||
      (rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "sync.new-device", err)) != 0)
    return rc;
  if ((rc = cases_office_new_device(ctx, zDevice, &old, err)) != 0 ||
      (rc = cases_office_get(ctx, &now, err)) != 0)
    goto done;
  /* receipts signed with the old key still verify here, as they do at the
   * offices that learnt it from their feeds */
  cases_key_id(zKeyId, old.pk);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO office_key(code, name, key_id, "
                       "public_key, status, updated_at) VALUES (:c, :n, :k, "
                       ":pk, 'active', sws_now()) ON CONFLICT(code) DO UPDATE "
                       "SET name = :n, key_id = :k, public_key = :pk, status "
                       "= 'active', updated_at = sws_now()",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":c", old.zDevice);
  db_bind_text(q, ":n", old.zName);
  db_bind_text(q, ":k", zKeyId);
  db_bind_blob(q, ":pk", old.pk, SWS_PK_BYTES);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto done;
  /* frozen batches carry the old device code: frozen again later */
  if ((rc = db_exec(ctx->db, "DELETE FROM sync_batch", err)) != 0)
    goto done;
  /* the registry holds, under the old code, every mutation before the
   * divergence as this database holds it: go on after them; the new
   * device's feed starts at its beginning */
  if (diverged > 0)
    acked = diverged - 1; /* the batch that diverged started after acked */
  if ((rc = set_int(ctx, "acked", acked, err)) != 0 ||
      (rc = sync_state_set(ctx, "cursor", "", err)) != 0 ||
      (rc = sync_state_set(ctx, "diverged", "", err)) != 0)
    goto done;
  sws_strlcpy(out->zOffice, now.zCode, sizeof out->zOffice);
  sws_strlcpy(out->zOldDevice, old.zDevice, sizeof out->zOldDevice);
  sws_strlcpy(out->zDevice, now.zDevice, sizeof out->zDevice);
  sws_b64url(out->zPubKey, now.pk, sizeof now.pk);
  out->firstSeq = acked + 1;
  out->bDiverged = diverged > 0;
done:;
  char zDetail[160];
  snprintf(zDetail, sizeof zDetail, "device %s replaced by %s; pushes go on "
           "from seq %" PRId64, old.zDevice, zDevice, acked + 1);
  return cases_op_end(ctx, rc, "sync", zDevice, zDetail, err);
}

int sync_batch_waiting(struct sws_ctx *ctx, int64_t *pAttempts,
                       char *zError, size_t nError, struct sws_err *err)
{
  sqlite3_stmt *q;
  *pAttempts = 0;
  if (nError)
    zError[0] = '\0';
  /* the first in seq order: the one every later batch waits for */
  int rc = db_prepare(ctx->db, &q,
                      "SELECT attempts, last_error FROM sync_batch ORDER BY "
                      "first_seq LIMIT 1",
                      err);
  if (rc != 0)
    return rc;
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *pAttempts = db_col_int64(q, 0);
    if (nError)
      sws_strlcpy(zError, db_col_str(q, 1), nError);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_batch_failed(struct sws_ctx *ctx, const struct sync_batch *b,
                      const char *zWhy, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_op_begin(ctx, "sync.retry", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE sync_batch SET attempts = attempts + 1, "
                       "last_error = :e WHERE batch_id = :b",
                       err)) == 0) {
    db_bind_text(q, ":e", zWhy);
    db_bind_text(q, ":b", b->zBatch);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc, "sync", b->zBatch, zWhy, err);
}

/* ---- pull ---- */

static int problem(struct sws_ctx *ctx, const char *zKind, json_t *payload,
                   const char *zReason, struct sync_counts *c,
                   struct sws_err *err)
{
  sqlite3_stmt *q;
  char *z = json_dumps(payload, JSON_COMPACT);
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO sync_problem(kind, payload, reason, at) "
                      "VALUES (:k, :p, :r, sws_now())",
                      err);
  if (rc == 0) {
    db_bind_text(q, ":k", zKind);
    db_bind_text(q, ":p", z ? z : "{}");
    db_bind_text(q, ":r", zReason);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  free(z);
  c->problems++;
  return rc;
}

/* Record a conflict for review; seq is the change of this office the
 * registry kept back (0: none, a conflict found while pulling). */
static int conflict(struct sws_ctx *ctx, const char *zOrigin, int64_t seq,
                    const char *zEntity, const char *zId, const char *zField,
                    const char *zLocal, const char *zServer,
                    const char *zReason, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO sync_conflict(origin, seq, entity, "
                      "entity_id, field, local_value, server_value, reason, "
                      "at) VALUES (:o, :seq, :e, :id, :f, :lv, :sv, :r, "
                      "sws_now())",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOrigin);
  if (seq > 0)
    db_bind_int64(q, ":seq", seq);
  else
    db_bind_null(q, ":seq");
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":f", zField);
  db_bind_text(q, ":lv", zLocal);
  db_bind_text(q, ":sv", zServer);
  db_bind_text(q, ":r", zReason);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* 1 if an outbox row not yet acknowledged changed zField of (entity, id). */
static int unsent_change(struct sws_ctx *ctx, const char *zEntity,
                         const char *zId, const char *zField, int *out,
                         struct sws_err *err)
{
  int64_t acked;
  sqlite3_stmt *q;
  int rc;
  if ((rc = sync_state_get_int(ctx, "acked", &acked, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT 1 FROM outbox WHERE seq > :a AND entity = :e "
                       "AND entity_id = :id AND json_type(fields, '$.' || "
                       ":f) IS NOT NULL LIMIT 1",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":a", acked);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":f", zField);
  rc = db_step(ctx->db, q, err);
  *out = rc == DB_ROW;
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

static void bind_json(sqlite3_stmt *q, int i, json_t *v)
{
  if (json_is_integer(v))
    sqlite3_bind_int64(q, i, json_integer_value(v));
  else if (json_is_real(v))
    sqlite3_bind_double(q, i, json_real_value(v));
  else if (json_is_string(v))
    sqlite3_bind_text(q, i, json_string_value(v), -1, SQLITE_TRANSIENT);
  else if (json_is_true(v) || json_is_false(v))
    sqlite3_bind_int(q, i, json_is_true(v));
  else
    sqlite3_bind_null(q, i);
}

static int has_column(const char (*az)[48], int n, const char *z)
{
  for (int i = 0; i < n; i++)
    if (strcmp(az[i], z) == 0)
      return 1;
  return 0;
}

/*
 * Insert or update one record from the feed; fields go through the table's
 * captured columns only (checked: they are formatted into the SQL as
 * identifiers). *pWhy gets why it could not be applied (a problem, not an
 * error).
 */
static int upsert(struct sws_ctx *ctx, const char *zEntity, const char *zId,
                  json_t *fields, char *zWhy, size_t nWhy,
                  struct sws_err *err)
{
  const char (*az)[48];
  int nCol, rc, exists = 0, hasUpdated = 0;
  sqlite3_stmt *q;
  const char *zKey;
  json_t *v;
  struct buf sql = BUF_INIT;
  zWhy[0] = '\0';
  if (!proto_entity_known(zEntity) ||
      capture_table_columns(ctx, zEntity, &az, &nCol) != 0) {
    snprintf(zWhy, nWhy, "unknown entity '%s'", zEntity);
    return SWS_OK;
  }
  json_object_foreach(fields, zKey, v)
  {
    if (!has_column(az, nCol, zKey)) {
      snprintf(zWhy, nWhy, "%s has no field '%.40s'", zEntity, zKey);
      return SWS_OK;
    }
  }
  {
    sqlite3_stmt *t;
    if ((rc = db_prepare(ctx->db, &t,
                         "SELECT 1 FROM pragma_table_xinfo(:t) WHERE name = "
                         "'updated_at'",
                         err)) != 0)
      return rc;
    db_bind_text(t, ":t", zEntity);
    hasUpdated = db_step(ctx->db, t, err) == DB_ROW;
    db_done(ctx->db, t);
  }
  /* the table name and columns are checked identifiers, not values */
  buf_appendf(&sql, "SELECT 1 FROM \"%s\" WHERE id = ?1", zEntity); /* lint: ok */
  if ((rc = db_prepare(ctx->db, &q, buf_str(&sql), err)) != 0)
    goto out;
  sqlite3_bind_text(q, 1, zId, -1, SQLITE_TRANSIENT);
  exists = db_step(ctx->db, q, err) == DB_ROW;
  db_done(ctx->db, q);
  buf_reset(&sql);
  int i = 2;
  if (exists) {
    buf_appendf(&sql, "UPDATE \"%s\" SET ", zEntity); /* lint: ok */
    json_object_foreach(fields, zKey, v)
      buf_appendf(&sql, "%s\"%s\" = ?%d", i > 2 ? ", " : "", zKey, i), i++;
    if (hasUpdated)
      buf_appendf(&sql, "%supdated_at = sws_now()", i > 2 ? ", " : "");
    buf_puts(&sql, " WHERE id = ?1");
    if (i == 2 && !hasUpdated)
      goto out; /* nothing to change */
  } else {
    buf_appendf(&sql, "INSERT INTO \"%s\"(id", zEntity); /* lint: ok */
    json_object_foreach(fields, zKey, v)
      buf_appendf(&sql, ", \"%s\"", zKey);
    if (hasUpdated)
      buf_puts(&sql, ", updated_at");
    buf_puts(&sql, ") VALUES (?1");
    json_object_foreach(fields, zKey, v)
      buf_appendf(&sql, ", ?%d", i++);
    if (hasUpdated)
      buf_puts(&sql, ", sws_now()");
    buf_puts(&sql, ")");
  }
  if ((rc = db_prepare(ctx->db, &q, buf_str(&sql), err)) != 0)
    goto out;
  sqlite3_bind_text(q, 1, zId, -1, SQLITE_TRANSIENT);
  i = 2;
  json_object_foreach(fields, zKey, v)
    bind_json(q, i++, v);
  rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) {
    /* a record this office cannot hold (yet): e.g. a village it does not
     * know. Kept as a problem. */
    snprintf(zWhy, nWhy, "%s", sqlite3_errmsg(ctx->db->h));
    rc = 0;
  } else {
    rc = 0;
  }
  db_done(ctx->db, q);
out:
  buf_release(&sql);
  return rc;
}

/*
 * The JSON of field zField of record (zEntity, zId) here, into *pz (caller
 * frees): "\"Ly Sokha\"", "1", "null". SWS_ENOTFOUND if the record is not
 * here; SWS_EINVAL for an entity or field sync does not know.
 */
static int local_json(struct sws_ctx *ctx, const char *zEntity,
                      const char *zId, const char *zField, char **pz,
                      struct sws_err *err)
{
  const char (*az)[48];
  struct buf sql = BUF_INIT;
  sqlite3_stmt *q;
  int nCol, rc;
  *pz = NULL;
  if (!proto_entity_known(zEntity) ||
      capture_table_columns(ctx, zEntity, &az, &nCol) != 0 ||
      !has_column(az, nCol, zField))
    return sws_err_set(err, SWS_EINVAL, "this office has no field '%s' of "
                       "a %s", zField, zEntity);
  /* the table and column are checked identifiers, not values */
  buf_appendf(&sql, "SELECT json_quote(\"%s\") FROM \"%s\" WHERE id = ?1", /* lint: ok */
              zField, zEntity);
  if ((rc = db_prepare(ctx->db, &q, buf_str(&sql), err)) == 0) {
    sqlite3_bind_text(q, 1, zId, -1, SQLITE_TRANSIENT);
    rc = db_step(ctx->db, q, err);
    if (rc == DB_ROW) {
      *pz = sws_strdup(db_col_str(q, 0));
      rc = SWS_OK;
    } else if (rc == DB_DONE) {
      rc = sws_err_set(err, SWS_ENOTFOUND, "the %s %s is not at this office",
                       zEntity, zId);
    }
    db_done(ctx->db, q);
  }
  buf_release(&sql);
  return rc;
}

/* A pulled record: apply field by field, minding unsent local changes. */
static int apply_record(struct sws_ctx *ctx, json_t *p, struct sync_counts *c,
                        struct sws_err *err)
{
  const char *zEntity = json_string_value(json_object_get(p, "entity"));
  const char *zId = json_string_value(json_object_get(p, "id"));
  json_t *fields = json_object_get(p, "fields");
  char zWhy[200];
  const char *zKey;
  json_t *v, *keep;
  int rc = 0;
  if (!zEntity || !zId || !json_is_object(fields))
    return problem(ctx, "record", p, "a record needs entity, id and fields",
                   c, err);
  keep = json_object();
  json_object_foreach(fields, zKey, v)
  {
    int unsent = 0;
    if ((rc = unsent_change(ctx, zEntity, zId, zKey, &unsent, err)) != 0)
      break;
    if (unsent) {
      char *zSv = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
      char *zLv = NULL; /* the value kept here, for the reviewer */
      struct sws_err e = SWS_ERR_INIT;
      local_json(ctx, zEntity, zId, zKey, &zLv, &e);
      rc = conflict(ctx, "pull", 0, zEntity, zId, zKey, zLv, zSv,
                    "changed here and not yet sent; the local value is "
                    "kept until someone decides",
                    err);
      free(zSv);
      free(zLv);
      if (rc != 0)
        break;
      continue;
    }
    json_object_set(keep, zKey, v);
  }
  if (rc == 0 && (rc = cases_op_begin(ctx, "sync.record", err)) == 0) {
    rc = upsert(ctx, zEntity, zId, keep, zWhy, sizeof zWhy, err);
    rc = cases_op_end(ctx, rc || zWhy[0] ? (rc ? rc : SWS_EINVAL) : 0, NULL,
                      NULL, NULL, err);
    if (rc == SWS_EINVAL && zWhy[0])
      rc = problem(ctx, "record", p, zWhy, c, err);
  }
  json_decref(keep);
  return rc;
}

static int apply_merge(struct sws_ctx *ctx, json_t *p, int bMerge,
                       struct sync_counts *c, struct sws_err *err)
{
  json_t *s = json_object_get(p, "survivor"), *m = json_object_get(p,
                                                                   "merged");
  const char *zSurv = json_string_value(json_object_get(s, "id"));
  const char *zSurvRegno = json_string_value(json_object_get(s, "regno"));
  const char *zMerged = json_string_value(json_object_get(m, "id"));
  const char *zMergedRegno = json_string_value(json_object_get(m, "regno"));
  sqlite3_stmt *q;
  char zReason[160];
  int rc;
  if (!zSurv || !zMerged || !zSurvRegno || !zMergedRegno)
    return problem(ctx, bMerge ? "merge" : "unmerge", p,
                   "a merge needs survivor and merged ids and numbers", c,
                   err);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO household_alias(merged_id, survivor_id, "
                       "merged_regno, survivor_regno, at, active) VALUES "
                       "(:m, :s, :mr, :sr, sws_now(), :a) ON "
                       "CONFLICT(merged_id) DO UPDATE SET survivor_id = :s, "
                       "survivor_regno = :sr, at = sws_now(), active = :a",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":m", zMerged);
  db_bind_text(q, ":s", zSurv);
  db_bind_text(q, ":mr", zMergedRegno);
  db_bind_text(q, ":sr", zSurvRegno);
  db_bind_int64(q, ":a", bMerge);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* the local copy of the merged household steps aside (or back) */
  snprintf(zReason, sizeof zReason, bMerge ? "merged into %s by the central "
                                             "registry"
                                           : "separated again from %s by "
                                             "the central registry",
           zSurvRegno);
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE household SET status = :st, status_reason = "
                       ":r, updated_at = sws_now() WHERE id = :id",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":st", bMerge ? "inactive" : "active");
  db_bind_text(q, ":r", zReason);
  db_bind_text(q, ":id", zMerged);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* the pair the registry decided leaves the review here too */
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE central_duplicate SET status = :st WHERE "
                       "(household_id = :a AND other_id = :b) OR "
                       "(household_id = :b AND other_id = :a)",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":st", bMerge ? "merged" : "dismissed");
  db_bind_text(q, ":a", zSurv);
  db_bind_text(q, ":b", zMerged);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* and a merge this office asked for is done (cases/review.h) */
  return bMerge ? cases_review_merge_done(ctx, zSurv, zMerged, err) : SWS_OK;
}

static int apply_conflict(struct sws_ctx *ctx, json_t *p,
                          struct sync_counts *c, struct sws_err *err)
{
  const char *zEntity = json_string_value(json_object_get(p, "entity"));
  const char *zId = json_string_value(json_object_get(p, "id"));
  const char *zField = json_string_value(json_object_get(p, "field"));
  const char *zOv = json_string_value(json_object_get(p, "office_value"));
  const char *zSv = json_string_value(json_object_get(p, "server_value"));
  char zWhy[200];
  int rc;
  if (!zEntity || !zId || !zField || !zSv)
    return problem(ctx, "conflict", p, "a conflict needs entity, id, field "
                   "and server_value", c, err);
  json_int_t seq = json_integer_value(json_object_get(p, "seq"));
  if ((rc = conflict(ctx, "push", seq, zEntity, zId, zField, zOv, zSv,
                     "changed here and elsewhere; the registry kept its "
                     "value (review it)",
                     err)) != 0)
    return rc;
  /* the registry's value stands: take it here too, without resending */
  json_t *sv = json_loads(zSv, JSON_DECODE_ANY, NULL);
  json_t *f = json_object();
  json_object_set_new(f, zField, sv ? sv : json_null());
  rc = upsert(ctx, zEntity, zId, f, zWhy, sizeof zWhy, err);
  json_decref(f);
  if (rc == 0 && zWhy[0])
    rc = problem(ctx, "conflict", p, zWhy, c, err);
  return rc;
}

/* The office's change seq was kept back for review: once no conflict of
 * it is open, its verdict needs nobody any more. */
static int verdict_seen(struct sws_ctx *ctx, int64_t seq, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "UPDATE sync_verdict SET status = 'seen' WHERE seq = "
                      ":s AND verdict = 'conflict' AND status = 'open' AND "
                      "NOT EXISTS (SELECT 1 FROM sync_conflict WHERE seq = "
                      ":s AND status = 'open')",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":s", seq);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/*
 * The registry decided a conflict this office raised: close the office's
 * item (found by the change's seq; items from before seq was kept, by
 * record, field and value). Already closed here: nothing changes. The
 * office's value, when the registry took it, came before in the feed as
 * a record.
 */
static int apply_conflict_resolved(struct sws_ctx *ctx, json_t *p,
                                   struct sync_counts *c, struct sws_err *err)
{
  const char *zEntity = json_string_value(json_object_get(p, "entity"));
  const char *zId = json_string_value(json_object_get(p, "id"));
  const char *zField = json_string_value(json_object_get(p, "field"));
  const char *zOv = json_string_value(json_object_get(p, "office_value"));
  const char *zRes = json_string_value(json_object_get(p, "resolution"));
  const char *zBy = json_string_value(json_object_get(p, "by"));
  const char *zAt = json_string_value(json_object_get(p, "at"));
  const char *zNote = json_string_value(json_object_get(p, "note"));
  json_int_t seq = json_integer_value(json_object_get(p, "seq"));
  sqlite3_stmt *q;
  int rc;
  if (!zEntity || !zId || !zField || !zBy || !zAt || !zRes ||
      (strcmp(zRes, "keep_registry") && strcmp(zRes, "use_office")))
    return problem(ctx, "conflict_resolved", p, "a decision needs entity, "
                   "id, field, resolution (keep_registry or use_office), "
                   "by and at", c, err);
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE sync_conflict SET status = 'resolved', "
                       "resolution = :r, resolved_at = :at, resolved_by = "
                       ":by, resolved_where = 'central', note = :n WHERE "
                       "status = 'open' AND origin = 'push' AND entity = :e "
                       "AND entity_id = :id AND field = :f AND (seq = :seq "
                       "OR (seq IS NULL AND local_value IS :ov))",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":r", zRes);
  db_bind_text(q, ":at", zAt);
  db_bind_text(q, ":by", zBy);
  db_bind_text(q, ":n", zNote ? zNote : "");
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":f", zField);
  db_bind_int64(q, ":seq", seq);
  db_bind_text(q, ":ov", zOv);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  return seq > 0 ? verdict_seen(ctx, seq, err) : SWS_OK;
}

static int apply_event(struct sws_ctx *ctx, const char *zKind, json_t *p,
                       struct sync_counts *c, struct sws_err *err)
{
  struct sws_err e = SWS_ERR_INIT;
  const char *zNumber = json_string_value(json_object_get(
      p, strcmp(zKind, "grievance_event") == 0 ? "ticket" : "number"));
  const char *zId = json_string_value(json_object_get(p, "id"));
  const char *zEvent = json_string_value(json_object_get(p, "event"));
  const char *zAt = json_string_value(json_object_get(p, "at"));
  const char *zBy = json_string_value(json_object_get(p, "by"));
  const char *zText = json_string_value(json_object_get(p, "text"));
  int rc;
  if (!zNumber || !zId || !zEvent || !zAt || !zBy)
    return problem(ctx, zKind, p, "an event needs its number, id, event, "
                   "at and by", c, err);
  if (strcmp(zKind, "grievance_event") == 0) {
    const char *zLayer = json_string_value(json_object_get(p, "layer"));
    rc = cases_grievance_apply_remote(ctx, zNumber, zId, zEvent,
                                      zLayer ? zLayer : "", zAt, zBy,
                                      zText ? zText : "", &e);
  } else {
    rc = cases_referral_apply_remote(ctx, zNumber, zId, zEvent, zAt, zBy,
                                     zText ? zText : "", &e);
  }
  if (rc == SWS_ENOTFOUND || rc == SWS_EINVAL)
    return problem(ctx, zKind, p, e.msg, c, err);
  if (rc != 0)
    return sws_err_set(err, rc, "%s", e.msg);
  return SWS_OK;
}

static int apply_office_key(struct sws_ctx *ctx, json_t *p,
                            struct sync_counts *c, struct sws_err *err)
{
  const char *zCode = json_string_value(json_object_get(p, "code"));
  const char *zName = json_string_value(json_object_get(p, "name"));
  const char *zKey = json_string_value(json_object_get(p, "public_key"));
  const char *zStatus = json_string_value(json_object_get(p, "status"));
  unsigned char pk[64];
  char zKeyId[17];
  sqlite3_stmt *q;
  int rc;
  if (!zCode || !zKey || sws_unb64url(pk, sizeof pk, zKey) != 32 ||
      !zStatus || (strcmp(zStatus, "active") && strcmp(zStatus, "revoked")))
    return problem(ctx, "office_key", p, "an office key needs code, a 32-byte "
                   "public_key and a status", c, err);
  cases_key_id(zKeyId, pk);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO office_key(code, name, key_id, "
                       "public_key, status, updated_at) VALUES (:c, :n, :k, "
                       ":pk, :s, sws_now()) ON CONFLICT(code) DO UPDATE SET "
                       "name = :n, key_id = :k, public_key = :pk, status = "
                       ":s, updated_at = sws_now()",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  db_bind_text(q, ":n", zName ? zName : "");
  db_bind_text(q, ":k", zKeyId);
  db_bind_blob(q, ":pk", pk, 32);
  db_bind_text(q, ":s", zStatus);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* A household of this office moved to another office (the registry gave
 * it, and everything done for it, to that office): the copy here is kept
 * read only (schema/office/0013), deactivated with where it went. */
static int apply_moved(struct sws_ctx *ctx, json_t *p, struct sync_counts *c,
                       struct sws_err *err)
{
  json_t *h = json_object_get(p, "household");
  const char *zId = json_string_value(json_object_get(h, "id"));
  const char *zTo = json_string_value(json_object_get(p, "to"));
  const char *zAt = json_string_value(json_object_get(p, "at"));
  json_t *jn = json_object_get(p, "records");
  sqlite3_stmt *q;
  char zReason[96];
  if (!zId || strlen(zId) != 36 || !zTo || !*zTo || strlen(zTo) > 16 || !zAt ||
      strlen(zAt) < 10 || !json_is_integer(jn) || json_integer_value(jn) < 0)
    return problem(ctx, "moved", p,
                   "a move needs the household, the "
                   "office it went to, when, and how many records",
                   c, err);
  snprintf(zReason, sizeof zReason, "moved to %s on %.10s", zTo, zAt);
  int rc = db_prepare(ctx->db, &q,
                      "UPDATE household SET status = 'inactive', "
                      "status_reason = :r, updated_at = sws_now() WHERE id "
                      "= :id",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":r", zReason);
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  int nChanged = sqlite3_changes(ctx->db->h);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (nChanged == 0)
    return problem(ctx, "moved", p,
                   "a household this office does not hold "
                   "moved",
                   c, err);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO household_moved(household_id, "
                       "to_office, moved_at, records) VALUES (:id, :to, "
                       ":at, :n) ON CONFLICT(household_id) DO UPDATE SET "
                       "to_office = :to, moved_at = :at, records = :n",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":to", zTo);
  db_bind_text(q, ":at", zAt);
  db_bind_int64(q, ":n", json_integer_value(jn));
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* The registry decided a pair different families: the pair leaves the
 * review here (either household may be this office's). A pair raised
 * again later (the decision undone) comes as a new "duplicate" item. */
static int apply_dismiss(struct sws_ctx *ctx, json_t *p, struct sync_counts *c,
                         struct sws_err *err)
{
  const char *zA =
      json_string_value(json_object_get(json_object_get(p, "a"), "id"));
  const char *zB =
      json_string_value(json_object_get(json_object_get(p, "b"), "id"));
  sqlite3_stmt *q;
  if (!zA || !zB || strlen(zA) != 36 || strlen(zB) != 36)
    return problem(ctx, "dismiss", p,
                   "a decision on a pair needs both "
                   "households",
                   c, err);
  int rc = db_prepare(ctx->db, &q,
                      "UPDATE central_duplicate SET status = 'dismissed' "
                      "WHERE (household_id = :a AND other_id = :b) OR "
                      "(household_id = :b AND other_id = :a)",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":a", zA);
  db_bind_text(q, ":b", zB);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* A possible duplicate the registry found between a household here and
 * one of another office: kept for review (central_duplicate). */
static int apply_duplicate(struct sws_ctx *ctx, json_t *p,
                           struct sync_counts *c, struct sws_err *err)
{
  json_t *h = json_object_get(p, "household"), *o = json_object_get(p,
                                                                   "other");
  const char *zHh = json_string_value(json_object_get(h, "id"));
  const char *zOther = json_string_value(json_object_get(o, "id"));
  const char *zRegno = json_string_value(json_object_get(o, "regno"));
  const char *zOffice = json_string_value(json_object_get(o, "office"));
  const char *zReasons = json_string_value(json_object_get(p, "reasons"));
  json_t *jScore = json_object_get(p, "score");
  sqlite3_stmt *q;
  int64_t n = 0;
  if (!zHh || !zOther || strlen(zOther) != 36 || !zRegno ||
      strlen(zRegno) > 48 || !zOffice || strlen(zOffice) > 16 ||
      !zReasons || strlen(zReasons) > 500 || !json_is_number(jScore) ||
      json_number_value(jScore) < 0 || json_number_value(jScore) > 1)
    return problem(ctx, "duplicate", p, "a possible duplicate needs both "
                   "households, a score and reasons", c, err);
  int rc = db_prepare(ctx->db, &q,
                      "SELECT count(*) FROM household WHERE id = :h", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":h", zHh);
  if (db_step(ctx->db, q, err) == DB_ROW)
    n = db_col_int64(q, 0);
  db_done(ctx->db, q);
  if (n == 0)
    return problem(ctx, "duplicate", p, "a possible duplicate of a household "
                   "this office does not hold", c, err);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO central_duplicate(household_id, "
                       "other_id, other_regno, other_office, score, "
                       "reasons, at) VALUES (:h, :o, :r, :of, :s, :why, "
                       "sws_now()) ON CONFLICT(household_id, other_id) DO "
                       "UPDATE SET score = excluded.score, reasons = "
                       "excluded.reasons, status = 'open'",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":h", zHh);
  db_bind_text(q, ":o", zOther);
  db_bind_text(q, ":r", zRegno);
  db_bind_text(q, ":of", zOffice);
  db_bind_double(q, ":s", json_number_value(jScore));
  db_bind_text(q, ":why", zReasons);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_central_dups(struct sws_ctx *ctx,
                      int (*fn)(const struct sync_central_dup *, void *),
                      void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT h.regno, d.other_regno, d.other_office, "
                      "d.score, d.reasons, d.at FROM central_duplicate d "
                      "JOIN household h ON h.id = d.household_id WHERE "
                      "d.status = 'open' ORDER BY d.score DESC, d.id",
                      err);
  if (rc != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct sync_central_dup d = {db_col_str(q, 0), db_col_str(q, 1),
                                 db_col_str(q, 2), db_col_double(q, 3),
                                 db_col_str(q, 4), db_col_str(q, 5)};
    if (fn(&d, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int sync_page_apply(struct sws_ctx *ctx, const struct proto_page *p,
                    struct sync_counts *c, struct sws_err *err)
{
  int rc;
  /* what comes from the registry is not sent back to it */
  int bWas = ctx->bNoCapture;
  if ((rc = cases_op_begin(ctx, "sync.pull", err)) != 0)
    return rc;
  ctx->bNoCapture = 1;
  for (int i = 0; i < p->n && rc == 0; i++) {
    const char *zKind = p->a[i].zKind;
    json_t *pl = p->a[i].payload;
    if (strcmp(zKind, "record") == 0)
      rc = apply_record(ctx, pl, c, err);
    else if (strcmp(zKind, "merge") == 0 || strcmp(zKind, "unmerge") == 0)
      rc = apply_merge(ctx, pl, strcmp(zKind, "merge") == 0, c, err);
    else if (strcmp(zKind, "conflict") == 0)
      rc = apply_conflict(ctx, pl, c, err);
    else if (strcmp(zKind, "conflict_resolved") == 0)
      rc = apply_conflict_resolved(ctx, pl, c, err);
    else if (strcmp(zKind, "grievance_event") == 0 ||
             strcmp(zKind, "referral_event") == 0)
      rc = apply_event(ctx, zKind, pl, c, err);
    else if (strcmp(zKind, "office_key") == 0)
      rc = apply_office_key(ctx, pl, c, err);
    else if (strcmp(zKind, "duplicate") == 0)
      rc = apply_duplicate(ctx, pl, c, err);
    else if (strcmp(zKind, "dismiss") == 0)
      rc = apply_dismiss(ctx, pl, c, err);
    else if (strcmp(zKind, "moved") == 0)
      rc = apply_moved(ctx, pl, c, err);
    else if (strcmp(zKind, "reconcile") == 0)
      /* the registry's nightly check asks for a comparison: this session
       * (or the next) makes it after the pull (sync/engine.c) */
      rc = sync_state_set(ctx, "reconcile_asked",
                          json_string_value(json_object_get(pl, "asked_at"))
                              ? json_string_value(
                                    json_object_get(pl, "asked_at"))
                              : "yes",
                          err);
    else
      rc = problem(ctx, zKind, pl, "an item this version of sws does not "
                   "know; update sws",
                   c, err);
    if (rc == 0)
      c->items++;
    if (i == p->n / 2)
      sws_crash_point("pull.applying"); /* half the page, not committed */
  }
  if (rc == 0)
    rc = sync_state_set(ctx, "cursor", p->zNext, err);
  if (rc == 0 && p->zServerTime)
    rc = sync_state_set(ctx, "last_pull_at", p->zServerTime, err);
  ctx->bNoCapture = bWas;
  char zDetail[64];
  snprintf(zDetail, sizeof zDetail, "%d items", p->n);
  return cases_op_end(ctx, rc, "sync", "pull", zDetail, err);
}

/* ---- conflicts decided at the office ---- */

/* Set a member's field through the member's own domain operation. */
static int member_set(struct sws_ctx *ctx, const char *zId,
                      const char *zField, json_t *v, struct buf *detail,
                      struct sws_err *err)
{
  struct member_edit e = {NULL, 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  char zRegno[SWS_NUMBER_MAX] = "";
  const char *z = json_string_value(v);
  sqlite3_stmt *q;
  int line = 0, rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT h.regno, m.line_no FROM member m JOIN "
                       "household h ON h.id = m.household_id WHERE m.id = "
                       ":id",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zRegno, db_col_str(q, 0), sizeof zRegno);
    line = (int)db_col_int64(q, 1);
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (line == 0)
    return sws_err_set(err, SWS_ENOTFOUND, "member %s is not at this "
                       "office", zId);
  buf_appendf(detail, "member %d of %s: %s", line, zRegno, zField);
  if (strcmp(zField, "name") == 0 && z)
    e.zName = z;
  else if (strcmp(zField, "sex") == 0 && z)
    e.sex = z[0];
  else if (strcmp(zField, "born") == 0 && z)
    e.zBorn = z;
  else if (strcmp(zField, "national_id") == 0 && (z || json_is_null(v)))
    e.zNationalId = z ? z : "";
  else if (strcmp(zField, "phone") == 0 && z)
    e.zPhone = z;
  else if (strcmp(zField, "status") == 0 && z)
    e.zStatus = z;
  else if (strcmp(zField, "disability") == 0 && json_is_integer(v))
    e.disability = json_integer_value(v) != 0;
  else if (strcmp(zField, "relationship") == 0 && z) {
    e.relationship = cases_relationship_parse(z);
    if (e.relationship == 0)
      return sws_err_set(err, SWS_EINVAL, "'%s' is not a relationship", z);
    if (e.relationship == REL_HEAD) {
      struct household h;
      if ((rc = cases_household_get(ctx, zRegno, &h, err)) != 0)
        return rc;
      const struct member *head = cases_household_head(&h);
      int headLine = head ? head->line_no : 0;
      cases_household_release(&h);
      if (headLine != 0 && headLine != line)
        return sws_err_set(err, SWS_ECONFLICT, "member %d is head of %s "
                           "here now; to make member %d head, say what "
                           "member %d becomes: 'sws member edit %s %d "
                           "--relationship head --previous-head-as REL', "
                           "then resolve this conflict again",
                           headLine, zRegno, line, headLine, zRegno, line);
      e.prev_head_rel = REL_OTHER_RELATIVE; /* there is no head to change */
    }
  } else if (strcmp(zField, "household_id") == 0) {
    return sws_err_set(err, SWS_EINVAL, "a move to another household is not "
                       "redone from here: move member %d of %s with 'sws "
                       "member move', then resolve this conflict again",
                       line, zRegno);
  } else {
    return sws_err_set(err, SWS_EINVAL, "the %s of a member cannot be set "
                       "from here; change it with 'sws member edit %s %d', "
                       "then resolve this conflict again", zField, zRegno,
                       line);
  }
  return cases_member_edit(ctx, zRegno, line, &e, err);
}

/* Set a household's field through the household's own domain operation. */
static int household_set(struct sws_ctx *ctx, const char *zId,
                         const char *zField, json_t *v, struct buf *detail,
                         struct sws_err *err)
{
  struct household_edit e = {NULL, NULL, NULL};
  struct household h;
  const char *z = json_string_value(v);
  char zRegno[SWS_NUMBER_MAX];
  int rc;
  if ((rc = cases_household_get(ctx, zId, &h, err)) != 0)
    return rc;
  sws_strlcpy(zRegno, h.zRegno, sizeof zRegno);
  cases_household_release(&h);
  buf_appendf(detail, "household %s: %s", zRegno, zField);
  if (strcmp(zField, "area_code") == 0 && z)
    e.zArea = z;
  else if (strcmp(zField, "address") == 0 && z)
    e.zAddress = z;
  else if (strcmp(zField, "phone") == 0 && z)
    e.zPhone = z;
  else
    return sws_err_set(err, SWS_EINVAL, "the %s of a household cannot be "
                       "set from here; change it with its own command, "
                       "then resolve this conflict again", zField);
  return cases_household_edit(ctx, zRegno, &e, err);
}

/*
 * Make zValue (JSON) the field's value here as an officer's change would:
 * through the domain operation (checked, audited, in the outbox to be
 * sent). Nothing to do when it is the value here already.
 */
static int local_set(struct sws_ctx *ctx, const char *zEntity,
                     const char *zId, const char *zField, const char *zValue,
                     struct buf *detail, struct sws_err *err)
{
  char *zNow = NULL;
  json_t *v = zValue ? json_loads(zValue, JSON_DECODE_ANY, NULL) : NULL;
  json_t *now = NULL;
  int rc;
  if (v == NULL)
    return sws_err_set(err, SWS_EINVAL, "the conflict holds no value to "
                       "set; choose the other side");
  if ((rc = local_json(ctx, zEntity, zId, zField, &zNow, err)) != 0)
    goto out;
  now = json_loads(zNow, JSON_DECODE_ANY, NULL);
  if (now && json_equal(now, v)) {
    buf_appendf(detail, "%s %s: %s already so", zEntity, zId, zField);
    goto out;
  }
  if (strcmp(zEntity, "member") == 0)
    rc = member_set(ctx, zId, zField, v, detail, err);
  else if (strcmp(zEntity, "household") == 0)
    rc = household_set(ctx, zId, zField, v, detail, err);
  else
    rc = sws_err_set(err, SWS_EINVAL, "the %s of a %s cannot be set from "
                     "here; change it with its own command, then resolve "
                     "this conflict again", zField, zEntity);
out:
  free(zNow);
  json_decref(v);
  json_decref(now);
  return rc;
}

int sync_conflict_resolve(struct sws_ctx *ctx, int64_t id, int bUseOffice,
                          const char *zNote, struct sws_err *err)
{
  char zOrigin[8] = "", zEntity[32] = "", zEntityId[64] = "",
       zField[64] = "", zStatus[12] = "", zHow[80] = "", zIdText[24];
  char *zLocal = NULL, *zServer = NULL;
  struct buf detail = BUF_INIT;
  int64_t seq = 0;
  sqlite3_stmt *q;
  int rc, bFound = 0;
  if (zNote && (rc = sws_text_check("the note", zNote, 1000, 1, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT origin, coalesce(seq, 0), entity, entity_id, "
                       "field, local_value, server_value, status, "
                       "coalesce(resolution || ' by ' || resolved_by || ' at "
                       "' || resolved_at, status) FROM sync_conflict WHERE "
                       "id = :id",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":id", id);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    bFound = 1;
    sws_strlcpy(zOrigin, db_col_str(q, 0), sizeof zOrigin);
    seq = db_col_int64(q, 1);
    sws_strlcpy(zEntity, db_col_str(q, 2), sizeof zEntity);
    sws_strlcpy(zEntityId, db_col_str(q, 3), sizeof zEntityId);
    sws_strlcpy(zField, db_col_str(q, 4), sizeof zField);
    zLocal = db_col_is_null(q, 5) ? NULL : sws_strdup(db_col_str(q, 5));
    zServer = db_col_is_null(q, 6) ? NULL : sws_strdup(db_col_str(q, 6));
    sws_strlcpy(zStatus, db_col_str(q, 7), sizeof zStatus);
    sws_strlcpy(zHow, db_col_str(q, 8), sizeof zHow);
  }
  db_done(ctx->db, q);
  if (rc < 0)
    goto out;
  rc = 0;
  if (!bFound) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no conflict %lld at this office "
                     "(see 'sws sync status')", (long long)id);
    goto out;
  }
  if (strcmp(zStatus, "open") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "conflict %lld was already "
                     "resolved (%s)", (long long)id, zHow);
    goto out;
  }
  int bPush = strcmp(zOrigin, "push") == 0;
  const char *zRes = bUseOffice ? "use_office" : "keep_registry";
  snprintf(zIdText, sizeof zIdText, "%lld", (long long)id);
  buf_appendf(&detail, "%s; ", zRes);
  if ((rc = cases_op_begin(ctx, "sync.resolve", err)) != 0)
    goto out;
  /* a conflict the registry raised: its value is here, the office's is
   * to be sent again; one found while pulling: the office's change is here
   * and unsent, the registry's is to be made a change after it */
  if (bUseOffice && bPush)
    rc = local_set(ctx, zEntity, zEntityId, zField, zLocal, &detail, err);
  else if (!bUseOffice && !bPush)
    rc = local_set(ctx, zEntity, zEntityId, zField, zServer, &detail, err);
  else
    buf_appendf(&detail, "%s %s: %s stays", zEntity, zEntityId, zField);
  if (rc == 0 && (rc = db_prepare(ctx->db, &q,
                                  "UPDATE sync_conflict SET status = "
                                  "'resolved', resolution = :r, resolved_at "
                                  "= sws_now(), resolved_by = sws_actor(), "
                                  "resolved_where = 'office', note = :n "
                                  "WHERE id = :id AND status = 'open'",
                                  err)) == 0) {
    db_bind_text(q, ":r", zRes);
    db_bind_text(q, ":n", zNote ? zNote : "");
    db_bind_int64(q, ":id", id);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  if (rc == 0 && seq > 0)
    rc = verdict_seen(ctx, seq, err);
  if (zNote && *zNote)
    buf_appendf(&detail, "; %s", zNote);
  rc = cases_op_end(ctx, rc, "sync_conflict", zIdText, buf_str(&detail),
                    err);
out:
  free(zLocal);
  free(zServer);
  buf_release(&detail);
  return rc;
}
