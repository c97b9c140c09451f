/*
 * plan.c - case plans (see plan.h).
 */
#include "cases/plan.h"

#include <stdio.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/fsm.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

static const struct fsm_transition ACTION_T[] = {
    {"planned", "in-progress", "in-progress"},
    {"planned", "done", "done"},
    {"in-progress", "done", "done"},
    {"planned", "cancelled", "cancelled"},
    {"in-progress", "cancelled", "cancelled"},
};
static const struct fsm ACTION_FSM = {
    "plan action", "planned", ACTION_T,
    (int)(sizeof ACTION_T / sizeof ACTION_T[0])};

static const struct fsm_transition GOAL_T[] = {
    {"open", "achieved", "achieved"},
    {"open", "dropped", "dropped"},
    {"achieved", "open", "open"},
    {"dropped", "open", "open"},
};
static const struct fsm GOAL_FSM = {"plan goal", "open", GOAL_T,
                                    (int)(sizeof GOAL_T / sizeof GOAL_T[0])};

const struct fsm *cases_plan_action_fsm(void)
{
  return &ACTION_FSM;
}

static int next_no(struct sws_ctx *ctx, const char *zSql, const char *zCase,
                   int *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, zSql, err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", zCase);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    *out = (int)db_col_int64(q, 0);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_plan_goal_add(struct sws_ctx *ctx, const char *zRegno,
                        const char *zText, int *pNo, struct sws_err *err)
{
  struct case_info c;
  char zId[SWS_UUID_LEN + 1] = "";
  sqlite3_stmt *q;
  int rc, no = 0;
  if (zText == NULL || sws_blank(zText))
    return sws_err_set(err, SWS_EINVAL, "write the goal (--text)");
  if ((rc = sws_text_check("the goal", zText, 1000, 1, err)) != 0 ||
      (rc = cases_case_get_open(ctx, zRegno, &c, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "plan.goal", err)) != 0)
    return rc;
  if ((rc = next_no(ctx, "SELECT coalesce(max(no), 0) + 1 FROM plan_goal "
                         "WHERE case_id = :c",
                    c.zId, &no, err)) != 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO plan_goal(id, case_id, no, text, "
                       "created_at, created_by, updated_at) VALUES (:id, :c, "
                       ":no, :t, sws_now(), sws_actor(), sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":c", c.zId);
  db_bind_int64(q, ":no", no);
  db_bind_text(q, ":t", zText);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
done:;
  char zDetail[48];
  snprintf(zDetail, sizeof zDetail, "goal %d", no);
  rc = cases_op_end(ctx, rc, "case", c.zId, zDetail, err);
  if (rc == 0 && pNo)
    *pNo = no;
  return rc;
}

/* Move goal or action `no` of the open case to zStatus through m. */
static int set_status(struct sws_ctx *ctx, const char *zRegno, int no,
                      const char *zStatus, const struct fsm *m,
                      int bGoal, struct sws_err *err)
{
  const char *zWhat =
      bGoal ? sws_err_translate("goal") : sws_err_translate("action");
  struct case_info c;
  sqlite3_stmt *q;
  char zNow[16] = "";
  int rc;
  if ((rc = cases_case_get_open(ctx, zRegno, &c, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       bGoal ? "SELECT status FROM plan_goal WHERE case_id = "
                               ":c AND no = :no"
                             : "SELECT status FROM plan_action WHERE case_id "
                               "= :c AND no = :no",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":c", c.zId);
  db_bind_int64(q, ":no", no);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    sws_strlcpy(zNow, db_col_str(q, 0), sizeof zNow);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (rc == DB_DONE)
    return sws_err_set(err, SWS_ENOTFOUND, "the plan of %s has no %s %d",
                       c.zRegno, zWhat, no);
  if (fsm_next(m, zNow, zStatus) == NULL)
    return sws_err_set(err, SWS_ECONFLICT,
                       "%s %d is %s; it cannot become "
                       "%s",
                       zWhat, no, sws_err_translate(zNow),
                       sws_err_translate(zStatus));
  if ((rc = cases_op_begin(ctx, bGoal ? "plan.goal.status"
                                      : "plan.action.status",
                           err)) != 0)
    return rc;
  if ((rc = db_prepare(
           ctx->db, &q,
           bGoal ? "UPDATE plan_goal SET status = :s, updated_at = sws_now() "
                   "WHERE case_id = :c AND no = :no"
                 : "UPDATE plan_action SET status = :s, done_at = CASE WHEN "
                   ":s = 'done' THEN sws_now() END, updated_at = sws_now() "
                   "WHERE case_id = :c AND no = :no",
           err)) == 0) {
    db_bind_text(q, ":s", zStatus);
    db_bind_text(q, ":c", c.zId);
    db_bind_int64(q, ":no", no);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  char zDetail[64];
  snprintf(zDetail, sizeof zDetail, "%s %d: %s -> %s",
           bGoal ? "goal" : "action", no, zNow, zStatus);
  return cases_op_end(ctx, rc, "case", c.zId, zDetail, err);
}

int cases_plan_goal_set(struct sws_ctx *ctx, const char *zRegno, int no,
                        const char *zStatus, struct sws_err *err)
{
  return set_status(ctx, zRegno, no, zStatus, &GOAL_FSM, 1, err);
}

int cases_plan_action_set(struct sws_ctx *ctx, const char *zRegno, int no,
                          const char *zStatus, struct sws_err *err)
{
  return set_status(ctx, zRegno, no, zStatus, &ACTION_FSM, 0, err);
}

int cases_plan_action_add(struct sws_ctx *ctx, const char *zRegno,
                          const struct plan_action_input *in, int *pNo,
                          struct sws_err *err)
{
  static const char *const KINDS[] = {"psychosocial", "income-support",
                                      "skills",       "enterprise",
                                      "job-placement", "other"};
  struct case_info c;
  char zId[SWS_UUID_LEN + 1] = "";
  sqlite3_stmt *q;
  int64_t ms;
  int rc, no = 0, kindOk = 0;
  for (size_t i = 0; in->zKind && i < sizeof KINDS / sizeof KINDS[0]; i++)
    kindOk |= strcmp(in->zKind, KINDS[i]) == 0;
  if (!kindOk)
    return sws_err_set(err, SWS_EINVAL, "the kind must be psychosocial, "
                       "income-support, skills, enterprise, job-placement "
                       "or other");
  if (in->zText == NULL || sws_blank(in->zText))
    return sws_err_set(err, SWS_EINVAL, "write what will be done (--text)");
  if (in->zOwner == NULL || sws_blank(in->zOwner))
    return sws_err_set(err, SWS_EINVAL, "say who does it (--owner: a login, "
                       "or e.g. \"the family\")");
  if (in->zDue == NULL || strlen(in->zDue) != 10 ||
      sws_time_parse(in->zDue, &ms, NULL) != 0)
    return sws_err_set(err, SWS_EINVAL, "the due date must be a date like "
                       "2026-04-30 (--due)");
  if ((rc = sws_text_check("the action", in->zText, 1000, 1, err)) != 0 ||
      (rc = sws_text_check("the owner", in->zOwner, 200, 0, err)) != 0 ||
      (rc = cases_case_get_open(ctx, zRegno, &c, err)) != 0)
    return rc;
  if (in->goal > 0) {
    int n = 0;
    if ((rc = db_prepare(ctx->db, &q,
                         "SELECT count(*) FROM plan_goal WHERE case_id = :c "
                         "AND no = :no",
                         err)) != 0)
      return rc;
    db_bind_text(q, ":c", c.zId);
    db_bind_int64(q, ":no", in->goal);
    if (db_step(ctx->db, q, err) == DB_ROW)
      n = (int)db_col_int64(q, 0);
    db_done(ctx->db, q);
    if (n == 0)
      return sws_err_set(err, SWS_ENOTFOUND, "the plan of %s has no goal %d",
                         c.zRegno, in->goal);
  }
  if ((rc = cases_op_begin(ctx, "plan.action", err)) != 0)
    return rc;
  if ((rc = next_no(ctx, "SELECT coalesce(max(no), 0) + 1 FROM plan_action "
                         "WHERE case_id = :c",
                    c.zId, &no, err)) != 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO plan_action(id, case_id, no, goal_no, "
                       "kind, text, owner, due, created_at, created_by, "
                       "updated_at) VALUES (:id, :c, :no, :g, :k, :t, :o, "
                       ":d, sws_now(), sws_actor(), sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":c", c.zId);
  db_bind_int64(q, ":no", no);
  if (in->goal > 0)
    db_bind_int64(q, ":g", in->goal);
  else
    db_bind_null(q, ":g");
  db_bind_text(q, ":k", in->zKind);
  db_bind_text(q, ":t", in->zText);
  db_bind_text(q, ":o", in->zOwner);
  db_bind_text(q, ":d", in->zDue);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
done:;
  char zDetail[96];
  snprintf(zDetail, sizeof zDetail, "action %d (%s) due %s", no, in->zKind,
           in->zDue);
  rc = cases_op_end(ctx, rc, "case", c.zId, zDetail, err);
  if (rc == 0 && pNo)
    *pNo = no;
  return rc;
}

int cases_plan_list(struct sws_ctx *ctx, const char *zRegno,
                    int (*fn)(const struct plan_item *, void *), void *arg,
                    struct sws_err *err)
{
  struct case_info c;
  char zToday[11];
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_case_get_open(ctx, zRegno, &c, err)) != 0)
    return rc;
  cases_today(zToday);
  if ((rc = db_prepare(
           ctx->db, &q,
           "SELECT 1, no, 0, '', text, '', '', status, 0 FROM plan_goal "
           "WHERE case_id = :c "
           "UNION ALL "
           "SELECT 0, no, coalesce(goal_no, 0), kind, text, owner, due, "
           "status, status IN ('planned', 'in-progress') AND due < :today "
           "FROM plan_action WHERE case_id = :c "
           "ORDER BY 1 DESC, 7, 2",
           err)) != 0)
    return rc;
  db_bind_text(q, ":c", c.zId);
  db_bind_text(q, ":today", zToday);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct plan_item it = {(int)db_col_int64(q, 0), (int)db_col_int64(q, 1),
                           (int)db_col_int64(q, 2), db_col_str(q, 3),
                           db_col_str(q, 4), db_col_str(q, 5),
                           db_col_str(q, 6), db_col_str(q, 7),
                           (int)db_col_int64(q, 8)};
    if (fn(&it, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
