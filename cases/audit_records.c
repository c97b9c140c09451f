/*
 * audit_records.c - records compared with their last recorded changes (see
 * audit_records.h).
 *
 * One pass over the outbox in seq order keeps, for each (entity, record,
 * field), the value of its last change (a temporary table keyed by them:
 * a later change replaces an earlier one, no sort); then each table is
 * joined with it once. Table and column names come from the capture cache
 * (checked identifiers, never values).
 */
#include "cases/audit_records.h"

#include <stdlib.h>
#include <string.h>

#include "cases/capture.h"
#include "core/buf.h"
#include "core/mem.h"

static int ident_ok(const char *z)
{
  if (!*z)
    return 0;
  for (; *z; z++)
    if (!((*z >= 'a' && *z <= 'z') || *z == '_' || (*z >= '0' && *z <= '9')))
      return 0;
  return 1;
}

/* Compare table zTable (its captured columns az) with the last values. */
static int compare_table(struct sws_ctx *ctx, const char *zTable,
                         const char (*az)[48], int nCol,
                         int (*fn)(const struct audit_record_diff *, void *),
                         void *arg, int64_t *pn, int *pStop,
                         struct sws_err *err)
{
  struct buf sql = BUF_INIT, now = BUF_INIT;
  sqlite3_stmt *q = NULL;
  int rc, bRegno = 0;
  for (int i = 0; i < nCol; i++) {
    if (!ident_ok(az[i]))
      continue;
    bRegno |= strcmp(az[i], "regno") == 0;
    buf_appendf(&now, " WHEN '%s' THEN quote(t.\"%s\")", az[i], az[i]);
  }
  if (now.n == 0) {
    buf_release(&now);
    return SWS_OK;
  }
  /* identifiers only: the table and its columns, checked above */
  buf_appendf(
      &sql,
      "SELECT t.id, %s, l.field, CASE l.field%s END, " /* lint: ok */
      "quote(l.value), o.op_id, o.operator, o.at "
      "FROM \"%s\" t JOIN temp.audit_last l "
      "ON l.entity = ?1 AND l.id = t.id "
      "JOIN outbox o ON o.seq = l.seq "
      "WHERE (CASE l.field%s END) IS NOT quote(l.value) " /* lint: ok */
      "UNION ALL "
      "SELECT t.id, %s, NULL, NULL, NULL, NULL, NULL, NULL " /* lint: ok */
      "FROM \"%s\" t WHERE NOT EXISTS (SELECT 1 FROM "
      "temp.audit_last l WHERE l.entity = ?1 AND l.id = t.id)",
      bRegno ? "t.regno" : "t.id", buf_str(&now), zTable, buf_str(&now),
      bRegno ? "t.regno" : "t.id", zTable);
  if ((rc = db_prepare(ctx->db, &q, buf_str(&sql), err)) == 0) {
    sqlite3_bind_text(q, 1, zTable, -1, SQLITE_TRANSIENT);
    while (!*pStop && (rc = db_step(ctx->db, q, err)) == DB_ROW) {
      struct audit_record_diff d = {db_col_text(q, 2) ? AUDIT_DIFF_FIELD
                                                      : AUDIT_DIFF_UNRECORDED,
                                    zTable,
                                    db_col_text(q, 0),
                                    db_col_text(q, 1),
                                    db_col_text(q, 2),
                                    db_col_text(q, 3),
                                    db_col_text(q, 4),
                                    db_col_text(q, 5),
                                    db_col_text(q, 6),
                                    db_col_text(q, 7)};
      *pStop = fn(&d, arg) != 0;
    }
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : SWS_OK;
  }
  if (rc == 0) {
    int64_t n = 0;
    buf_reset(&sql);
    buf_appendf(&sql, "SELECT count(*) FROM \"%s\"", zTable);
    if ((rc = db_int64(ctx->db, &n, 0, buf_str(&sql), err)) == 0)
      *pn += n;
  }
  buf_release(&sql);
  buf_release(&now);
  return rc;
}

int cases_audit_records(struct sws_ctx *ctx,
                        int (*fn)(const struct audit_record_diff *, void *),
                        void *arg, int64_t *pnRecords, struct sws_err *err)
{
  sqlite3_stmt *q;
  char(*aTable)[48] = NULL;
  int nTable = 0, rc, bStop = 0;
  *pnRecords = 0;
  if ((rc = db_exec(ctx->db,
                    "DROP TABLE IF EXISTS temp.audit_last; "
                    /* value untyped: kept as the outbox gave it */
                    "CREATE TEMP TABLE audit_last(entity TEXT, id TEXT, "
                    "field TEXT, value, seq INTEGER, PRIMARY KEY(entity, "
                    "id, field)) WITHOUT ROWID; "
                    /* in seq order, each field's last change stays */
                    "INSERT OR REPLACE INTO audit_last SELECT o.entity, "
                    "o.entity_id, f.key, f.value, o.seq FROM outbox o, "
                    "json_each(o.fields) f ORDER BY o.seq",
                    err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT DISTINCT entity FROM temp.audit_last", err)) ==
      0) {
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
      aTable = sws_realloc(aTable, sizeof *aTable * (size_t)(nTable + 1));
      sws_strlcpy(aTable[nTable++], db_col_str(q, 0), sizeof *aTable);
    }
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : SWS_OK;
  }
  for (int i = 0; rc == 0 && !bStop && i < nTable; i++) {
    const char(*az)[48];
    int nCol;
    if (!ident_ok(aTable[i]) ||
        capture_table_columns(ctx, aTable[i], &az, &nCol) != 0) {
      rc = sws_err_set(err, SWS_EDB,
                       "the outbox records changes of '%.40s', "
                       "which is not a table of this database: the outbox "
                       "was altered",
                       aTable[i]);
      break;
    }
    rc = compare_table(ctx, aTable[i], az, nCol, fn, arg, pnRecords, &bStop,
                       err);
  }
  free(aTable);
  /* changes whose operation left no audit row: one per operation */
  if (rc == 0 && !bStop &&
      (rc = db_prepare(ctx->db, &q,
                       "SELECT o.entity, o.entity_id, o.op_id, o.operator, "
                       "o.at FROM outbox o WHERE o.seq IN (SELECT min(seq) "
                       "FROM outbox WHERE op_id NOT IN (SELECT op_id FROM "
                       "audit_log) GROUP BY op_id) ORDER BY o.seq",
                       err)) == 0) {
    while (!bStop && (rc = db_step(ctx->db, q, err)) == DB_ROW) {
      struct audit_record_diff d = {AUDIT_DIFF_UNAUDITED,
                                    db_col_text(q, 0),
                                    db_col_text(q, 1),
                                    db_col_text(q, 1),
                                    NULL,
                                    NULL,
                                    NULL,
                                    db_col_text(q, 2),
                                    db_col_text(q, 3),
                                    db_col_text(q, 4)};
      bStop = fn(&d, arg) != 0;
    }
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : SWS_OK;
  }
  struct sws_err e2 = SWS_ERR_INIT;
  db_exec(ctx->db, "DROP TABLE IF EXISTS temp.audit_last", &e2);
  return rc;
}
