/*
 * office_reconcile.c - the office's side of finding and repairing drift
 * on its own database (office.h; the requests are sync/engine.c's): the
 * digests of what it holds, its records' values, and sending again what
 * the registry lacks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/capture.h"
#include "core/buf.h"
#include "core/mem.h"
#include "sync/fields.h"
#include "sync/office.h"

/* SELECT id, json_object(every captured column) FROM the entity's table
 * (merged-away households left out, as at the registry); zWhere is added
 * as it is. Caller frees. */
static char *select_sql(struct sws_ctx *ctx, const char *zEntity,
                        const char *zWhere)
{
  const char(*az)[48];
  int n = 0;
  if (!proto_entity_known(zEntity) ||
      capture_table_columns(ctx, zEntity, &az, &n) != 0)
    return NULL;
  struct buf b = BUF_INIT;
  buf_puts(&b, "SELECT id, json_object(");
  for (int i = 0; i < n; i++)
    buf_appendf(&b, "%s'%s', \"%s\"", i ? ", " : "", az[i], az[i]);
  /* the table and columns are the schema's own names, checked */
  buf_appendf(&b, ") FROM \"%s\" WHERE %s", zEntity, zWhere); /* lint: ok */
  if (strcmp(zEntity, "household") == 0)
    buf_puts(&b, " AND id NOT IN (SELECT merged_id FROM household_alias "
                 "WHERE active = 1)");
  return buf_detach(&b, NULL);
}

int sync_office_digests(struct sws_ctx *ctx, struct reconcile_set *set,
                        const unsigned char *f, json_t *records,
                        struct sws_err *err)
{
  int rc = SWS_OK;
  for (int e = 0; fields_entities[e] && rc == 0; e++) {
    const char *zE = fields_entities[e];
    char *zSql = select_sql(ctx, zE, "1");
    sqlite3_stmt *q;
    if (zSql == NULL)
      return sws_err_set(err, SWS_ESCHEMA, "this office has no table %s", zE);
    rc = db_prepare(ctx->db, &q, zSql, err);
    free(zSql);
    if (rc != 0)
      break;
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
      char zDigest[RECONCILE_HEX];
      const char *zId = db_col_str(q, 0);
      int b = reconcile_bucket(zId);
      json_t *fields = json_loads(db_col_str(q, 1), 0, NULL);
      if (b >= 0 && fields) {
        reconcile_digest(zE, zId, fields, zDigest);
        if (set)
          reconcile_set_add(set, zId, zDigest);
        if (f && f[b])
          json_array_append_new(records,
                                json_pack("[s, s, s]", zE, zId, zDigest));
      }
      json_decref(fields);
    }
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : SWS_OK;
  }
  return rc;
}

int sync_record_fields(struct sws_ctx *ctx, const char *zEntity,
                       const char *zId, json_t **out, struct sws_err *err)
{
  sqlite3_stmt *q;
  char *zSql = select_sql(ctx, zEntity, "id = :id");
  int rc;
  *out = NULL;
  if (zSql == NULL)
    return sws_err_set(err, SWS_EINVAL, "this office has no %s", zEntity);
  rc = db_prepare(ctx->db, &q, zSql, err);
  free(zSql);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    *out = json_loads(db_col_str(q, 1), 0, NULL);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  return *out ? SWS_OK
              : sws_err_set(err, SWS_ENOTFOUND,
                            "the %s %s is not at this "
                            "office",
                            zEntity, zId);
}

/* The registry's reason when it refused this record's insert before
 * (into zWhy; "" if it never did): sent again it would be refused again. */
static int refused_before(struct sws_ctx *ctx, const char *zEntity,
                          const char *zId, char *zWhy, size_t nWhy,
                          struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT v.detail FROM outbox o JOIN sync_verdict v ON "
                      "v.seq = o.seq WHERE o.entity = :e AND o.entity_id = "
                      ":id AND o.op = 'insert' AND v.verdict = 'rejected' "
                      "ORDER BY o.seq DESC LIMIT 1",
                      err);
  zWhy[0] = '\0';
  if (rc != 0)
    return rc;
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    snprintf(zWhy, nWhy, "%s",
             db_col_str(q, 0)[0] ? db_col_str(q, 0) : "refused");
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

static void repair(json_t *repairs, const char *zWhat, const char *zEntity,
                   const char *zId, const char *zDetail)
{
  if (repairs)
    json_array_append_new(repairs, json_pack("{s:s, s:s, s:s, s:s}", "what",
                                             zWhat, "e", zEntity, "i", zId,
                                             "detail", zDetail ? zDetail : ""));
}

int sync_reconcile_resend(struct sws_ctx *ctx, json_t *send,
                          const char *zSummary, json_t *repairs, int64_t *pSent,
                          int64_t *pSkipped, struct sws_err *err)
{
  size_t i;
  json_t *v;
  int rc;
  *pSent = *pSkipped = 0;
  if ((rc = cases_op_begin(ctx, "sync.reconcile", err)) != 0)
    return rc;
  /* parents before children: the registry checks a member's household */
  for (int e = 0; fields_entities[e] && rc == 0; e++) {
    json_array_foreach(send, i, v)
    {
      const char *zE = json_string_value(json_array_get(v, 0));
      const char *zI = json_string_value(json_array_get(v, 1));
      char zWhy[300];
      json_t *fields = NULL;
      sqlite3_stmt *q;
      if (!zE || !zI || strcmp(zE, fields_entities[e]) != 0)
        continue;
      if ((rc = refused_before(ctx, zE, zI, zWhy, sizeof zWhy, err)) != 0)
        break;
      if (zWhy[0]) {
        (*pSkipped)++;
        repair(repairs, "skipped", zE, zI, zWhy);
        continue;
      }
      if ((rc = sync_record_fields(ctx, zE, zI, &fields, err)) != 0)
        break;
      /* the record as it is now, as a new insert: the registry applies
       * it once (or answers duplicate if it has it meanwhile) */
      char *zFields = json_dumps(fields, JSON_COMPACT | JSON_PRESERVE_ORDER);
      json_decref(fields);
      if ((rc = db_prepare(ctx->db, &q,
                           "INSERT INTO outbox(mutation_id, op_id, entity, "
                           "entity_id, op, fields, prev, operator, at) "
                           "VALUES (sws_uuid7(), sws_op(), :e, :id, "
                           "'insert', :f, NULL, sws_actor(), sws_now())",
                           err)) == 0) {
        db_bind_text(q, ":e", zE);
        db_bind_text(q, ":id", zI);
        db_bind_text(q, ":f", zFields);
        rc = db_step(ctx->db, q, err);
        rc = rc < 0 ? rc : 0;
        db_done(ctx->db, q);
      }
      free(zFields);
      if (rc != 0)
        break;
      (*pSent)++;
      repair(repairs, "sent", zE, zI, "the registry did not have it");
    }
  }
  if (rc == 0)
    rc = sync_state_set(ctx, "reconcile_asked", "", err);
  return cases_op_end(ctx, rc, "sync", "reconcile", zSummary, err);
}
