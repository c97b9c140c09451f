/*
 * screening.c - kept screening outcomes (screening.h).
 */
#include "cases/screening.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/casefile.h"
#include "cases/facts.h"
#include "cases/programme.h"
#include "core/mem.h"

struct pending {
  char zId[SWS_UUID_LEN + 1], zRegno[SWS_NUMBER_MAX];
  char zArea[SWS_AREA_CODE_MAX], zAssessedFrom[32];
  int bScreen; /* active and assessed: else noted as tried today */
};

/* What the kept row records of a household (see 0012). */
static const char DESCRIBE_SQL[] =
    "SELECT regno, area_code, status = 'active', (SELECT min(assessed_at) "
    "FROM assessment a WHERE a.household_id = h.id) FROM household h WHERE "
    "h.id = :hh";

/* Fill p from household p->zId with q (DESCRIBE_SQL); not screened when
 * it is gone, inactive or not assessed. */
static int describe(struct sws_ctx *ctx, sqlite3_stmt *q, struct pending *p,
                    struct sws_err *err)
{
  db_bind_text(q, ":hh", p->zId);
  int rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(p->zRegno, db_col_str(q, 0), sizeof p->zRegno);
    sws_strlcpy(p->zArea, db_col_str(q, 1), sizeof p->zArea);
    sws_strlcpy(p->zAssessedFrom, db_col_str(q, 3), sizeof p->zAssessedFrom);
    p->bScreen = db_col_int64(q, 2) && !db_col_is_null(q, 3);
  }
  sqlite3_reset(q);
  return rc < 0 ? rc : SWS_OK;
}

/* Assessed households with no valid kept screening and not tried today,
 * up to nMax; caller frees *pa. The scan reads only the assessments'
 * index and the kept rows (a few milliseconds at a million people), so
 * households that are not screened (deactivated) are noted as tried
 * rather than passed over each time. */
static int pending(struct sws_ctx *ctx, const char *zToday, int nMax,
                   struct pending **pa, int *pn, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT DISTINCT a.household_id FROM assessment a "
                      "WHERE NOT EXISTS (SELECT 1 FROM screening s WHERE "
                      "s.household_id = a.household_id AND s.screened_on <= "
                      ":today AND (s.valid_until > :today OR s.screened_on "
                      "= :today)) LIMIT :n",
                      err);
  *pa = NULL;
  *pn = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":today", zToday);
  db_bind_int64(q, ":n", nMax);
  *pa = sws_calloc((size_t)nMax + 1, sizeof **pa);
  while (*pn < nMax && (rc = db_step(ctx->db, q, err)) == DB_ROW)
    sws_strlcpy((*pa)[(*pn)++].zId, db_col_str(q, 0), sizeof(*pa)->zId);
  db_done(ctx->db, q);
  if (rc < 0 || (rc = db_prepare(ctx->db, &q, DESCRIBE_SQL, err)) != 0)
    return rc;
  for (int i = 0; rc >= 0 && i < *pn; i++)
    rc = describe(ctx, q, &(*pa)[i], err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* Until when what screening read from the clock on zToday holds: the
 * first day an active member's age changes. */
static int valid_until(struct sws_ctx *ctx, sqlite3_stmt *q, const char *zHh,
                       const char *zToday, char *zUntil, struct sws_err *err)
{
  int rc;
  char zDay[11];
  cases_member_age_until("", zToday, zUntil); /* the horizon */
  db_bind_text(q, ":hh", zHh);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    cases_member_age_until(db_col_str(q, 0), zToday, zDay);
    if (strcmp(zDay, zUntil) < 0)
      memcpy(zUntil, zDay, sizeof zDay);
  }
  sqlite3_reset(q);
  return rc < 0 ? rc : SWS_OK;
}

/* The statements that keep one household's outcome. */
enum { Q_BORN, Q_KEEP, Q_FORGET, Q_ELIGIBLE, Q_N };
static const char *const KEEP_SQL[Q_N] = {
    "SELECT born FROM member WHERE household_id = :hh AND status = 'active'",
    "INSERT OR REPLACE INTO screening(household_id, screened_on, "
    "valid_until, area_code, assessed_from) VALUES (:hh, :on, :until, "
    ":area, :from)",
    "DELETE FROM screening_eligible WHERE household_id = :hh",
    /* with who is counted: the member, or the head (as the report asks) */
    "INSERT INTO screening_eligible(household_id, programme_code, line, "
    "agency, guarantee, sex, born, disability) SELECT :hh, :code, :line, "
    ":agency, :guarantee, w.sex, w.born, w.disability FROM (SELECT 1) LEFT "
    "JOIN member w ON w.household_id = :hh AND w.status = 'active' AND CASE "
    "WHEN :line = 0 THEN w.relationship = 'head' ELSE w.line_no = :line END",
};

static int keep_one(struct sws_ctx *ctx, sqlite3_stmt **aq,
                    const struct pending *p, const struct screening *sc,
                    const char *zToday, const char *zUntil, struct sws_err *err)
{
  int rc;
  sqlite3_stmt *q = aq[Q_KEEP];
  db_bind_text(q, ":hh", p->zId);
  db_bind_text(q, ":on", zToday);
  db_bind_text(q, ":until", zUntil);
  db_bind_text(q, ":area", p->zArea);
  db_bind_text(q, ":from", p->zAssessedFrom);
  rc = db_step(ctx->db, q, err);
  sqlite3_reset(q);
  if (rc < 0)
    return rc;
  db_bind_text(aq[Q_FORGET], ":hh", p->zId);
  rc = db_step(ctx->db, aq[Q_FORGET], err);
  sqlite3_reset(aq[Q_FORGET]);
  for (int k = 0; rc >= 0 && sc && k < sc->nProg; k++) {
    const struct screen_programme *sp = &sc->aProg[k];
    for (int j = 0; rc >= 0 && j < sp->nRes; j++) {
      if (sp->aRes[j].outcome != SCREEN_YES)
        continue;
      q = aq[Q_ELIGIBLE];
      db_bind_text(q, ":hh", p->zId);
      db_bind_text(q, ":code", sp->p.zCode);
      db_bind_int64(q, ":line", sp->aRes[j].member);
      db_bind_text(q, ":agency", sp->p.zAgency);
      db_bind_text(q, ":guarantee", sp->p.zGuarantee);
      rc = db_step(ctx->db, q, err);
      sqlite3_reset(q);
    }
  }
  return rc < 0 ? rc : SWS_OK;
}

/* Screen and keep the households of a; the caller's transaction. */
static int keep_all(struct sws_ctx *ctx, const struct pending *a, int n,
                    const char *zToday, struct sws_err *err)
{
  sqlite3_stmt *aq[Q_N] = {NULL};
  struct screener *scr = NULL;
  int rc = SWS_OK;
  for (int i = 0; rc == 0 && i < Q_N; i++)
    rc = db_prepare(ctx->db, &aq[i], KEEP_SQL[i], err);
  if (rc == 0)
    rc = cases_screener_open(ctx, 0, &scr, err);
  for (int i = 0; rc == 0 && i < n; i++) {
    struct screening sc;
    struct sws_err e2 = SWS_ERR_INIT;
    char zUntil[11];
    if (!a[i].bScreen) {
      rc = keep_one(ctx, aq, &a[i], NULL, zToday, zToday, err);
      continue;
    }
    if (cases_screener_run(scr, a[i].zRegno, &sc, &e2) != 0) {
      /* tried today: valid on no day, tried again tomorrow */
      cases_screening_release(&sc);
      rc = keep_one(ctx, aq, &a[i], NULL, zToday, zToday, err);
      continue;
    }
    rc = valid_until(ctx, aq[Q_BORN], a[i].zId, zToday, zUntil, err);
    if (rc == 0)
      rc = keep_one(ctx, aq, &a[i], &sc, zToday, zUntil, err);
    cases_screening_release(&sc);
  }
  cases_screener_close(scr);
  for (int i = 0; i < Q_N; i++)
    db_done(ctx->db, aq[i]);
  return rc;
}

void cases_screening_keep(struct sws_ctx *ctx, const char *zHouseholdId)
{
  struct pending p;
  char zToday[11];
  memset(&p, 0, sizeof p);
  cases_today(zToday);
  sws_strlcpy(p.zId, zHouseholdId, sizeof p.zId);
  sqlite3_stmt *q;
  if (db_prepare(ctx->db, &q, DESCRIBE_SQL, NULL) != 0)
    return;
  int rc = describe(ctx, q, &p, NULL);
  db_done(ctx->db, q);
  if (rc != 0 || !p.bScreen || db_begin(ctx->db, NULL) != 0)
    return;
  if (keep_all(ctx, &p, 1, zToday, NULL) != 0)
    db_rollback(ctx->db);
  else if (db_commit(ctx->db, NULL) != 0)
    db_rollback(ctx->db);
}

int cases_screening_step(struct sws_ctx *ctx, int nMax, int *pnDone,
                         int *pbMore, struct sws_err *err)
{
  struct pending *a = NULL;
  char zToday[11];
  int n = 0, rc;
  *pbMore = 0;
  if (pnDone)
    *pnDone = 0;
  if (nMax < 1)
    nMax = 1;
  cases_today(zToday);
  /* read and write in one transaction: nothing changes a household
   * between its screening and the keeping of it */
  if ((rc = db_begin(ctx->db, err)) != 0)
    return rc;
  rc = pending(ctx, zToday, nMax, &a, &n, err);
  if (rc == 0 && n > 0)
    rc = keep_all(ctx, a, n, zToday, err);
  free(a);
  if (rc != 0) {
    db_rollback(ctx->db);
    return rc;
  }
  if ((rc = db_commit(ctx->db, err)) != 0)
    return rc;
  if (pnDone)
    *pnDone = n;
  *pbMore = n == nMax;
  return SWS_OK;
}

/* Kept rows that disagree with the records they were taken from. */
static const char SWEEP[] =
    "DELETE FROM screening WHERE valid_until > screened_on AND (NOT "
    "EXISTS (SELECT 1 FROM household h WHERE h.id = screening.household_id "
    "AND h.status = 'active' AND h.area_code = screening.area_code) OR "
    "assessed_from IS NOT (SELECT min(assessed_at) FROM assessment a WHERE "
    "a.household_id = screening.household_id));"
    "DELETE FROM screening WHERE household_id IN (SELECT k.household_id "
    "FROM screening_eligible k LEFT JOIN member w ON w.household_id = "
    "k.household_id AND w.status = 'active' AND CASE WHEN k.line = 0 THEN "
    "w.relationship = 'head' ELSE w.line_no = k.line END WHERE w.sex IS NOT "
    "k.sex OR w.born IS NOT k.born OR w.disability IS NOT k.disability);"
    "DELETE FROM screening_eligible WHERE household_id NOT IN (SELECT "
    "household_id FROM screening);";

int cases_screening_sweep(struct sws_ctx *ctx, int *pnDropped,
                          struct sws_err *err)
{
  int64_t n0, n1;
  int rc;
  if ((rc = db_begin(ctx->db, err)) != 0)
    return rc;
  if ((rc = db_int64(ctx->db, &n0, 0, "SELECT count(*) FROM screening", err)) !=
          0 ||
      (rc = db_exec(ctx->db, SWEEP, err)) != 0 ||
      (rc = db_int64(ctx->db, &n1, 0, "SELECT count(*) FROM screening", err)) !=
          0) {
    db_rollback(ctx->db);
    return rc;
  }
  if (pnDropped)
    *pnDropped = (int)(n0 - n1);
  return db_commit(ctx->db, err);
}

int cases_screening_all(struct sws_ctx *ctx, int *pnDone, struct sws_err *err)
{
  int rc, bMore = 1, n;
  if (pnDone)
    *pnDone = 0;
  if ((rc = cases_screening_sweep(ctx, NULL, err)) != 0)
    return rc;
  while (bMore) {
    if ((rc = cases_screening_step(ctx, 1024, &n, &bMore, err)) != 0)
      return rc;
    if (pnDone)
      *pnDone += n;
  }
  return SWS_OK;
}
