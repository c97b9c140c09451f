/*
 * maintain.c - index upkeep done while the office is idle (maintain.h).
 */
#include "cases/maintain.h"

#include <sqlite3.h>

/* One merge step of one FTS5 table; *pbMore when it did some work (FTS5
 * changes nothing, or one row, when there was nothing to merge). */
static int merge(struct sws_db *db, const char *zSql, int nPages, int *pbMore,
                 struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(db, &q, zSql, err);
  if (rc != 0)
    return rc;
  sqlite3_int64 n0 = sqlite3_total_changes64(db->h);
  db_bind_int64(q, ":n", nPages);
  rc = db_step(db, q, err);
  db_done(db, q);
  if (rc < 0)
    return rc;
  if (sqlite3_total_changes64(db->h) - n0 >= 2)
    *pbMore = 1;
  return SWS_OK;
}

int cases_maintain_step(struct sws_db *db, int nPages, int *pbMore,
                        struct sws_err *err)
{
  int rc;
  *pbMore = 0;
  if ((rc = merge(db, "INSERT INTO member_word(member_word, rank) "
                  "VALUES ('merge', :n)", nPages, pbMore, err)) != 0 ||
      (rc = merge(db, "INSERT INTO member_fts(member_fts, rank) "
                  "VALUES ('merge', :n)", nPages, pbMore, err)) != 0)
    return rc;
  /* PASSIVE: as far as readers allow, never waiting for them */
  return db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)", err);
}

int cases_index_pending(struct sws_db *db, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(db, &q, "SELECT 1 FROM member_unindexed LIMIT 1", err);
  if (rc != 0)
    return rc;
  rc = db_step(db, q, err);
  db_done(db, q);
  if (rc != DB_ROW)
    return rc < 0 ? rc : SWS_OK;
  /* one statement per index: FTS5 writes one segment for each */
  if ((rc = db_exec(db, "INSERT INTO member_fts(rowid, name_fold) "
                    "SELECT m.rid, m.name_fold FROM member_unindexed u "
                    "JOIN member m ON m.rid = u.rid", err)) != 0 ||
      (rc = db_exec(db, "INSERT INTO member_word(rowid, name_fold) "
                    "SELECT m.rid, m.name_fold FROM member_unindexed u "
                    "JOIN member m ON m.rid = u.rid", err)) != 0)
    return rc;
  return db_exec(db, "DELETE FROM member_unindexed", err);
}

int cases_maintain_all(struct sws_db *db, struct sws_err *err)
{
  int rc, bMore = 1;
  for (int i = 0; bMore && i < 100000; i++)
    if ((rc = cases_maintain_step(db, 1000, &bMore, err)) != 0)
      return rc;
  return SWS_OK;
}
