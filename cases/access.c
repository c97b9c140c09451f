/*
 * access.c - need-to-know checks on records (see access.h).
 */
#include "cases/access.h"

#include <string.h>

#include "cases/audit.h"
#include "cases/casefile.h"
#include "cases/household.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "core/mem.h"

void access_bind(struct sws_ctx *ctx, sqlite3_stmt *q, int role)
{
  db_bind_text(q, ":viewer", ctx->zActor);
  db_bind_int64(q, ":viewer_role", role);
}

/* *pSee: 1 when the viewer may see the cases of household zId. */
static int case_visible(struct sws_ctx *ctx, int role, const char *zId,
                        int *pSee, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, "SELECT " ACCESS_CASE_SQL(":hh"), err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":hh", zId);
  access_bind(ctx, q, role);
  rc = db_step(ctx->db, q, err);
  *pSee = rc == DB_ROW && db_col_int64(q, 0) == 1;
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_case_check(struct sws_ctx *ctx, int role, const char *zRegno,
                     struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  int see = 0, rc;
  if (strlen(zRegno) == SWS_UUID_LEN)
    sws_strlcpy(zId, zRegno, sizeof zId);
  else if (cases_household_resolve(ctx, zRegno, 0, zId, NULL, NULL, NULL))
    zId[0] = '\0';
  if (zId[0] && (rc = case_visible(ctx, role, zId, &see, err)) != 0)
    return rc;
  if (!see)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "no household %s among the "
                       "cases you may see (your caseload and the areas you "
                       "cover)",
                       zRegno);
  return SWS_OK;
}

int cases_referral_check(struct sws_ctx *ctx, int role, const char *zNumber,
                         struct sws_err *err)
{
  struct referral f;
  int rc;
  if ((rc = cases_referral_get(ctx, zNumber, &f, err)) != 0)
    return rc;
  rc = cases_case_check(ctx, role, f.zRegno, NULL);
  cases_referral_release(&f);
  if (rc == SWS_ENOTFOUND)
    return sws_err_set(err, SWS_ENOTFOUND, "no referral %s", zNumber);
  return rc == 0 ? SWS_OK
                 : sws_err_set(err, rc,
                               "referral %s could not be "
                               "checked",
                               zNumber);
}

int cases_case_assign_check(struct sws_ctx *ctx, int role, const char *zRegno,
                            const char *zTo, struct sws_err *err)
{
  struct case_info c;
  int rc;
  if ((rc = cases_case_check(ctx, role, zRegno, err)) != 0)
    return rc;
  if (role == ROLE_SUPERVISOR)
    return SWS_OK;
  if (role != ROLE_CASE_MANAGER)
    return sws_err_set(err, SWS_EPERM,
                       "cases are assigned by a supervisor "
                       "(or taken by a case manager)");
  if ((rc = cases_case_get_open(ctx, zRegno, &c, err)) != 0)
    return rc;
  if (c.zManager[0] && strcmp(c.zManager, ctx->zActor) != 0)
    return sws_err_set(err, SWS_EPERM,
                       "the case of %s is assigned to %s; "
                       "only a supervisor can reassign it",
                       c.zRegno, c.zManager);
  if (zTo && strcmp(zTo, ctx->zActor) != 0)
    return sws_err_set(err, SWS_EPERM,
                       "a case manager takes a case for "
                       "themselves (or lets it go to the lightest "
                       "caseload); giving it to %s is a supervisor's "
                       "decision",
                       zTo);
  return SWS_OK;
}

int cases_household_history(struct sws_ctx *ctx, int role,
                            const char *zHouseholdId, int nLimit,
                            int (*fn)(const struct audit_row *, void *),
                            void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  /* clang-format off */
  int rc = db_prepare(
      ctx->db, &q,
      "SELECT id, at, actor, action, coalesce(entity, ''), "
      "coalesce(entity_id, ''), coalesce(detail, '') FROM audit_log WHERE "
      "entity_id = :h OR entity_id IN (SELECT g.id FROM grievance g JOIN "
      "grievance_category c ON c.code = g.category WHERE g.household_id = "
      ":h AND " ACCESS_GRIEVANCE_SQL("g", "c") " > 0) OR "
      "(" ACCESS_CASE_SQL(":h") " AND (entity_id IN "
      "(SELECT id FROM case_file WHERE household_id = :h) OR "
      "entity_id IN (SELECT id FROM referral WHERE household_id = :h) OR "
      "entity_id IN (SELECT id FROM assessment WHERE household_id = :h) OR "
      "entity_id IN (SELECT id FROM enrolment WHERE household_id = :h))) "
      "ORDER BY id DESC LIMIT :n",
      err);
  /* clang-format on */
  if (rc != 0)
    return rc;
  db_bind_text(q, ":h", zHouseholdId);
  db_bind_int64(q, ":n", nLimit);
  access_bind(ctx, q, role);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct audit_row a = {db_col_int64(q, 0), db_col_str(q, 1),
                          db_col_str(q, 2),   db_col_str(q, 3),
                          db_col_str(q, 4),   db_col_str(q, 5),
                          db_col_str(q, 6)};
    if (fn(&a, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
