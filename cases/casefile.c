/*
 * casefile.c - cases and case managers (see casefile.h).
 */
#include "cases/casefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/area.h"
#include "cases/household.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

void cases_today(char *out)
{
  sws_date_format(out, 11, sws_now_ms());
}

/* Run zSql (binding :l and :a) in an operation named zAction; with
 * bMustChange, SWS_ENOTFOUND when it changed nothing. */
static int user_area_write(struct sws_ctx *ctx, const char *zAction,
                           const char *zSql, const char *zLogin,
                           const char *zArea, int bMustChange,
                           struct sws_err *err)
{
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = cases_op_begin(ctx, zAction, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q, zSql, err)) == 0) {
    db_bind_text(q, ":l", zLogin);
    db_bind_text(q, ":a", zArea);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  if (rc == 0 && bMustChange && sqlite3_changes(ctx->db->h) == 0)
    rc = sws_err_set(err, SWS_ENOTFOUND,
                     "'%s' does not cover area '%s'; "
                     "see 'sws user area list %s'",
                     zLogin, zArea, zLogin);
  return cases_op_end(ctx, rc, "user", zLogin, zArea, err);
}

int cases_user_area_add(struct sws_ctx *ctx, const char *zLogin,
                        const char *zArea, struct sws_err *err)
{
  struct user u;
  struct area a;
  int rc;
  if ((rc = cases_user_get(ctx, zLogin, &u, err)) != 0 ||
      (rc = cases_area_get(ctx, zArea, &a, err)) != 0)
    return rc;
  if (u.role != ROLE_CASE_MANAGER)
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is a %s; only case managers "
                       "cover areas",
                       zLogin, cases_role_name(u.role));
  return user_area_write(ctx, "user.area",
                         "INSERT OR IGNORE INTO user_area(login, area_code) "
                         "VALUES (:l, :a)",
                         zLogin, zArea, 0, err);
}

int cases_user_area_remove(struct sws_ctx *ctx, const char *zLogin,
                           const char *zArea, struct sws_err *err)
{
  return user_area_write(ctx, "user.area-remove",
                         "DELETE FROM user_area WHERE login = :l AND "
                         "area_code = :a",
                         zLogin, zArea, 1, err);
}

int cases_user_area_list(struct sws_ctx *ctx, const char *zLogin,
                         int (*fn)(const char *, const char *, void *),
                         void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT login, area_code FROM user_area WHERE "
                      ":l IS NULL OR login = :l ORDER BY login, area_code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":l", zLogin);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    if (fn(db_col_str(q, 0), db_col_str(q, 1), arg) != 0) {
      rc = DB_DONE;
      break;
    }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

static void fill(sqlite3_stmt *q, struct case_info *c)
{
  memset(c, 0, sizeof *c);
  sws_strlcpy(c->zId, db_col_str(q, 0), sizeof c->zId);
  sws_strlcpy(c->zHouseholdId, db_col_str(q, 1), sizeof c->zHouseholdId);
  sws_strlcpy(c->zRegno, db_col_str(q, 2), sizeof c->zRegno);
  sws_strlcpy(c->zStatus, db_col_str(q, 3), sizeof c->zStatus);
  sws_strlcpy(c->zManager, db_col_str(q, 4), sizeof c->zManager);
  sws_strlcpy(c->zOpenedAt, db_col_str(q, 5), sizeof c->zOpenedAt);
  sws_strlcpy(c->zOpenedBy, db_col_str(q, 6), sizeof c->zOpenedBy);
  sws_strlcpy(c->zClosedAt, db_col_str(q, 7), sizeof c->zClosedAt);
  sws_strlcpy(c->zOutcome, db_col_str(q, 8), sizeof c->zOutcome);
}

/* The household id of a number typed strictly (for changes) or not. */
static int household_id(struct sws_ctx *ctx, const char *zRegno, int bStrict,
                        char zId[SWS_UUID_LEN + 1], struct sws_err *err)
{
  if (strlen(zRegno) == SWS_UUID_LEN) {
    sws_strlcpy(zId, zRegno, SWS_UUID_LEN + 1);
    return SWS_OK;
  }
  return cases_household_resolve(ctx, zRegno, bStrict, zId, NULL, NULL, err);
}

static int get_case(struct sws_ctx *ctx, const char *zRegno, int bOpenOnly,
                    int bStrict, struct case_info *out, struct sws_err *err)
{
  char zHh[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  if ((rc = household_id(ctx, zRegno, bStrict, zHh, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT c.id, c.household_id, h.regno, c.status, "
                       "coalesce(c.manager, ''), c.opened_at, c.opened_by, "
                       "coalesce(c.closed_at, ''), coalesce(c.outcome, '') "
                       "FROM case_file c JOIN household h ON h.id = "
                       "c.household_id WHERE c.household_id = :hh AND "
                       "(:open = 0 OR c.status = 'open') "
                       "ORDER BY c.status = 'open' DESC, c.rid DESC LIMIT 1",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":hh", zHh);
  db_bind_int64(q, ":open", bOpenOnly);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    fill(q, out);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    if (bOpenOnly)
      rc = sws_err_set(err, SWS_ENOTFOUND,
                       "household %s has no open case; "
                       "open one with 'sws case open %s'",
                       zRegno, zRegno);
    else
      rc = sws_err_set(err, SWS_ENOTFOUND,
                       "household %s has no case; open "
                       "one with 'sws case open %s'",
                       zRegno, zRegno);
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_case_get_open(struct sws_ctx *ctx, const char *zRegno,
                        struct case_info *out, struct sws_err *err)
{
  return get_case(ctx, zRegno, 1, 0, out, err);
}

int cases_case_get_latest(struct sws_ctx *ctx, const char *zRegno,
                          struct case_info *out, struct sws_err *err)
{
  return get_case(ctx, zRegno, 0, 0, out, err);
}

int cases_case_open(struct sws_ctx *ctx, const char *zRegno,
                    struct case_info *out, struct sws_err *err)
{
  struct household h;
  char zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = household_id(ctx, zRegno, 1, zId, err)) != 0 ||
      (rc = cases_household_get(ctx, zId, &h, err)) != 0)
    return rc;
  if (strcmp(h.zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s is deactivated; "
                     "reactivate it before opening a case", h.zRegno);
    goto out;
  }
  if (cases_case_get_open(ctx, h.zId, out, NULL) == 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s already has an open "
                     "case (opened %s)", h.zRegno, out->zOpenedAt);
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "case.open", err)) != 0)
    goto out;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO case_file(id, household_id, opened_at, "
                       "opened_by, updated_at) VALUES (:id, :hh, sws_now(), "
                       "sws_actor(), sws_now())",
                       err)) == 0) {
    db_bind_text(q, ":id", zId);
    db_bind_text(q, ":hh", h.zId);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  rc = cases_op_end(ctx, rc, "case", zId, h.zRegno, err);
  if (rc == 0)
    rc = cases_case_get_open(ctx, h.zId, out, err);
out:
  cases_household_release(&h);
  return rc;
}

/* The case manager with the lightest open caseload covering zVillage. */
static int pick_manager(struct sws_ctx *ctx, const char *zVillage,
                        char *zOut, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(
      ctx->db, &q,
      "WITH RECURSIVE up(code, parent) AS ("
      "  SELECT code, parent_code FROM area WHERE code = :v "
      "  UNION ALL SELECT a.code, a.parent_code FROM area a "
      "  JOIN up ON a.code = up.parent) "
      "SELECT u.login, (SELECT count(*) FROM case_file c WHERE "
      "  c.manager = u.login AND c.status = 'open') AS n "
      "FROM users u WHERE u.role = 'case-manager' AND u.active = 1 "
      "AND EXISTS (SELECT 1 FROM user_area ua JOIN up ON up.code = "
      "  ua.area_code WHERE ua.login = u.login) "
      "ORDER BY n, u.login LIMIT 1",
      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":v", zVillage);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zOut, db_col_str(q, 0), 33);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no active case manager covers "
                     "village %s; give one the area with 'sws user area add "
                     "LOGIN AREA', or assign with --to LOGIN", zVillage);
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_case_assign(struct sws_ctx *ctx, const char *zRegno,
                      const char *zLogin, char *zAssigned,
                      struct sws_err *err)
{
  struct case_info c;
  struct household h;
  char zWho[33], zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = get_case(ctx, zRegno, 1, 1, &c, err)) != 0)
    return rc;
  if (zLogin) {
    struct user u;
    if ((rc = cases_user_get(ctx, zLogin, &u, err)) != 0)
      return rc;
    if (u.role != ROLE_CASE_MANAGER)
      return sws_err_set(err, SWS_EINVAL, "'%s' is a %s; cases go to case "
                         "managers", zLogin, cases_role_name(u.role));
    if (!u.active)
      return sws_err_set(err, SWS_EINVAL, "the account '%s' is deactivated",
                         zLogin);
    sws_strlcpy(zWho, zLogin, sizeof zWho);
  } else {
    if ((rc = cases_household_get(ctx, c.zHouseholdId, &h, err)) != 0)
      return rc;
    rc = pick_manager(ctx, h.zArea, zWho, err);
    cases_household_release(&h);
    if (rc != 0)
      return rc;
  }
  if (strcmp(zWho, c.zManager) == 0)
    return sws_err_set(err, SWS_ECONFLICT, "the case of %s is already "
                       "assigned to %s", c.zRegno, zWho);
  if ((rc = cases_op_begin(ctx, "case.assign", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE case_file SET manager = :m, updated_at = "
                       "sws_now() WHERE id = :id",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":m", zWho);
  db_bind_text(q, ":id", c.zId);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO case_assignment(id, case_id, manager, "
                       "how, at, by) VALUES (:id, :c, :m, :how, sws_now(), "
                       "sws_actor())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":c", c.zId);
  db_bind_text(q, ":m", zWho);
  db_bind_text(q, ":how", zLogin ? "manual" : "auto");
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
done:;
  char zDetail[128];
  snprintf(zDetail, sizeof zDetail, "%s -> %s (%s)",
           c.zManager[0] ? c.zManager : "nobody", zWho,
           zLogin ? "by hand" : "lightest caseload");
  rc = cases_op_end(ctx, rc, "case", c.zId, zDetail, err);
  if (rc == 0 && zAssigned)
    sws_strlcpy(zAssigned, zWho, 33);
  return rc;
}

int cases_case_note(struct sws_ctx *ctx, const char *zRegno,
                    const char *zText, struct sws_err *err)
{
  struct case_info c;
  char zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  if (zText == NULL || sws_blank(zText))
    return sws_err_set(err, SWS_EINVAL, "the note is empty");
  if ((rc = sws_text_check("the note", zText, 4000, 1, err)) != 0 ||
      (rc = get_case(ctx, zRegno, 1, 1, &c, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "case.note", err)) != 0)
    return rc;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO case_note(id, case_id, text, at, by) "
                       "VALUES (:id, :c, :t, sws_now(), sws_actor())",
                       err)) == 0) {
    db_bind_text(q, ":id", zId);
    db_bind_text(q, ":c", c.zId);
    db_bind_text(q, ":t", zText);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc, "case", c.zId, "note", err);
}

int cases_case_close(struct sws_ctx *ctx, const char *zRegno,
                     const char *zOutcome, struct sws_err *err)
{
  struct case_info c;
  sqlite3_stmt *q;
  int rc;
  if (zOutcome == NULL || sws_blank(zOutcome))
    return sws_err_set(err, SWS_EINVAL, "say how the case ends (--outcome, "
                       "e.g. \"enrolled in HEF, job found\")");
  if ((rc = sws_text_check("the outcome", zOutcome, 500, 0, err)) != 0 ||
      (rc = get_case(ctx, zRegno, 1, 1, &c, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "case.close", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE case_file SET status = 'closed', closed_at = "
                       "sws_now(), outcome = :o, updated_at = sws_now() "
                       "WHERE id = :id",
                       err)) == 0) {
    db_bind_text(q, ":o", zOutcome);
    db_bind_text(q, ":id", c.zId);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc, "case", c.zId, zOutcome, err);
}

int cases_caseload(struct sws_ctx *ctx, int viewer_role, const char *zLogin,
                   int (*fn)(const struct caseload_row *, void *), void *arg,
                   struct sws_err *err)
{
  char zToday[11];
  sqlite3_stmt *q;
  int rc;
  cases_today(zToday);
  /* clang-format off */
  if ((rc = db_prepare(
           ctx->db, &q,
           "SELECT h.regno, "
           "  (SELECT name FROM member m WHERE m.household_id = h.id AND "
           "   m.relationship = 'head' AND m.status = 'active'), "
           "  coalesce(c.manager, ''), c.opened_at, "
           "  coalesce(na.due, ''), coalesce(na.text, ''), "
           "  (SELECT count(*) FROM plan_action a WHERE a.case_id = c.id AND "
           "   a.status IN ('planned', 'in-progress') AND a.due < :today) "
           "   AS overdue, "
           "  (SELECT count(*) FROM referral r WHERE r.household_id = h.id "
           "   AND r.status IN ('pending', 'sent', 'accepted')) "
           "FROM case_file c JOIN household h ON h.id = c.household_id "
           "LEFT JOIN plan_action na ON na.rid = (SELECT a.rid FROM "
           "  plan_action a WHERE a.case_id = c.id AND a.status IN "
           "  ('planned', 'in-progress') ORDER BY a.due, a.no LIMIT 1) "
           "WHERE c.status = 'open' AND (:l IS NULL OR c.manager = :l) "
           "AND " ACCESS_CASE_SQL("h.id") " "
           "ORDER BY overdue > 0 DESC, na.due IS NULL, na.due, c.opened_at",
           err)) != 0)
    return rc;
  /* clang-format on */
  db_bind_text(q, ":today", zToday);
  db_bind_text(q, ":l", zLogin);
  access_bind(ctx, q, viewer_role);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct caseload_row r = {db_col_str(q, 0), db_col_str(q, 1),
                             db_col_str(q, 2), db_col_str(q, 3),
                             db_col_str(q, 4), db_col_str(q, 5),
                             (int)db_col_int64(q, 6),
                             (int)db_col_int64(q, 7)};
    if (fn(&r, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_case_notes(struct sws_ctx *ctx, const char *zCaseId, int nLimit,
                     int (*fn)(const char *zAt, const char *zBy,
                               const char *zText, void *),
                     void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT at, by, text FROM case_note WHERE case_id = :c "
                      "ORDER BY rid DESC LIMIT :n",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", zCaseId);
  db_bind_int64(q, ":n", nLimit);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    if (fn(db_col_str(q, 0), db_col_str(q, 1), db_col_str(q, 2), arg) != 0) {
      rc = DB_DONE;
      break;
    }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
