/*
 * review.c - what sync left for people to look at (see review.h).
 *
 * A change the registry kept back for review arrives twice: as the push's
 * verdict ("conflict") and later as the field conflict in the feed, with
 * both values. Once the field conflict is here it stands for the change;
 * the verdict alone is listed only until then.
 */
#include "sync/review.h"

#include <string.h>

#include "cases/label.h"
#include "core/db.h"

int sync_review_lists(struct sws_ctx *ctx, json_t *jRejected,
                      json_t *jConflicts, json_t *jProblems,
                      struct sws_err *err)
{
  sqlite3_stmt *q;
  char zWhat[128];
  int rc = db_prepare(ctx->db, &q,
                      "SELECT v.seq, v.verdict, v.detail, v.at, o.entity, "
                      "o.entity_id FROM sync_verdict v JOIN outbox o ON "
                      "o.seq = v.seq WHERE v.status = 'open' AND NOT "
                      "(v.verdict = 'conflict' AND EXISTS (SELECT 1 FROM "
                      "sync_conflict c WHERE c.seq = v.seq)) ORDER BY v.seq",
                      err);
  if (rc != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    cases_record_label(ctx, db_col_str(q, 4), db_col_str(q, 5), zWhat,
                       sizeof zWhat);
    json_array_append_new(
        strcmp(db_col_str(q, 1), "rejected") == 0 ? jRejected : jConflicts,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                  (json_int_t)db_col_int64(q, 0), "verdict", db_col_str(q, 1),
                  "detail", db_col_str(q, 2), "at", db_col_str(q, 3), "entity",
                  db_col_str(q, 4), "id", db_col_str(q, 5), "record", zWhat));
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT entity, entity_id, field, coalesce("
                       "local_value, ''), coalesce(server_value, ''), "
                       "reason, at, id, origin FROM sync_conflict WHERE "
                       "status = 'open' ORDER BY id",
                       err)) != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    cases_record_label(ctx, db_col_str(q, 0), db_col_str(q, 1), zWhat,
                       sizeof zWhat);
    json_array_append_new(
        jConflicts,
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                  "conflict", (json_int_t)db_col_int64(q, 7), "origin",
                  db_col_str(q, 8), "entity", db_col_str(q, 0), "id",
                  db_col_str(q, 1), "record", zWhat, "field", db_col_str(q, 2),
                  "local_value", db_col_str(q, 3), "server_value",
                  db_col_str(q, 4), "reason", db_col_str(q, 5), "at",
                  db_col_str(q, 6)));
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT kind, reason, at FROM sync_problem WHERE "
                       "status = 'open' ORDER BY id",
                       err)) != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    json_array_append_new(jProblems,
                          json_pack("{s:s, s:s, s:s}", "kind", db_col_str(q, 0),
                                    "reason", db_col_str(q, 1), "at",
                                    db_col_str(q, 2)));
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
