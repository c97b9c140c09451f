/*
 * label.c - a record as people name it (see label.h).
 */
#include "cases/label.h"

#include <stdio.h>
#include <string.h>

#include "core/db.h"

/* Records named by their household: what they are called, and the table
 * that holds their household_id (a fixed list: no name from outside is
 * ever put into SQL). */
static const struct {
  const char *zEntity, *zWhat, *zSql;
} BY_HOUSEHOLD[] = {
    {"case_file", "the case",
     "SELECT h.regno FROM case_file x JOIN household h ON h.id = "
     "x.household_id WHERE x.id = :id"},
    {"assessment", "an assessment",
     "SELECT h.regno FROM assessment x JOIN household h ON h.id = "
     "x.household_id WHERE x.id = :id"},
    {"enrolment", "an application",
     "SELECT h.regno FROM enrolment x JOIN household h ON h.id = "
     "x.household_id WHERE x.id = :id"},
    {"referral", "a referral",
     "SELECT h.regno FROM referral x JOIN household h ON h.id = "
     "x.household_id WHERE x.id = :id"},
    {"grievance", "a grievance",
     "SELECT h.regno FROM grievance x JOIN household h ON h.id = "
     "x.household_id WHERE x.id = :id"},
};

/* One row of zSql for :id into q's columns; 1 when found. */
static int one(struct sws_ctx *ctx, const char *zSql, const char *zId,
               sqlite3_stmt **pq)
{
  if (db_prepare(ctx->db, pq, zSql, NULL) != 0)
    return 0;
  db_bind_text(*pq, ":id", zId);
  return db_step(ctx->db, *pq, NULL) == DB_ROW;
}

void cases_record_label(struct sws_ctx *ctx, const char *zEntity,
                        const char *zId, char *zOut, size_t n)
{
  sqlite3_stmt *q = NULL;
  snprintf(zOut, n, "a %s not held here", zEntity);
  if (strcmp(zEntity, "household") == 0) {
    if (one(ctx, "SELECT regno FROM household WHERE id = :id", zId, &q))
      snprintf(zOut, n, "household %s", db_col_str(q, 0));
  } else if (strcmp(zEntity, "member") == 0) {
    if (one(ctx,
            "SELECT m.line_no, h.regno, m.name FROM member m JOIN household "
            "h ON h.id = m.household_id WHERE m.id = :id",
            zId, &q))
      snprintf(zOut, n, "member %lld of %s (%s)", (long long)db_col_int64(q, 0),
               db_col_str(q, 1), db_col_str(q, 2));
  } else {
    size_t i;
    for (i = 0; i < sizeof BY_HOUSEHOLD / sizeof BY_HOUSEHOLD[0]; i++)
      if (strcmp(BY_HOUSEHOLD[i].zEntity, zEntity) == 0)
        break;
    if (i == sizeof BY_HOUSEHOLD / sizeof BY_HOUSEHOLD[0])
      snprintf(zOut, n, "a %s record", zEntity);
    else if (one(ctx, BY_HOUSEHOLD[i].zSql, zId, &q))
      snprintf(zOut, n, "%s of %s", BY_HOUSEHOLD[i].zWhat, db_col_str(q, 0));
  }
  db_done(ctx->db, q);
}
