/*
 * access.h - need-to-know: which cases, grievances and history rows of
 * the office a member of staff may see. Roles say what kind of work an
 * officer does; these rules say on which records.
 *
 * The viewer is the acting login (ctx->zActor, cases_set_actor) with its
 * role (enum user_role), as the web session or the command line gives it.
 *
 * Cases (and what hangs on a case: notes, plan, referrals, assessments,
 * screening): a supervisor (and an admin, for administration) sees every
 * household's; a case manager those of households whose case is theirs
 * (the open case, or the latest one when none is open, is assigned to
 * them) or whose village lies in an area they cover (sws user area add; a
 * commune covers its villages); the front desk none. A household a viewer
 * may not see is answered like one that does not exist.
 *
 * Assigning: a supervisor assigns any open case to anyone; a case manager
 * may take an unassigned case they may see (to themselves, or to the
 * lightest caseload with automatic assignment); a case assigned to someone
 * is reassigned only by a supervisor.
 *
 * Grievances (ACCESS_GRIEVANCE_SQL): a supervisor sees all of every
 * grievance. A sensitive grievance (its category is marked sensitive) is
 * seen by nobody else, except that the officer who took it at the counter
 * still sees its ticket, status, layer and due date (to give the ticket and
 * print its receipt). An ordinary grievance is seen whole by a case
 * manager who may see its household's case (or when it has no household:
 * anonymous); everyone else (front desk, admin, other case managers) sees
 * only its ticket, status, layer and due date: not the category, channel,
 * text, answer, household or timeline.
 */
#ifndef SWS_CASES_ACCESS_H
#define SWS_CASES_ACCESS_H

#include "cases/ctx.h"

/* clang-format off */
/*
 * SQL: 1 when the viewer (:viewer, :viewer_role) may see the cases of the
 * household whose id is the SQL expression HH. Bind with access_bind.
 */
#define ACCESS_CASE_SQL(HH)                                                   \
  "(:viewer_role IN (3, 4) OR (:viewer_role = 2 AND ("                        \
  "(SELECT ax.manager FROM case_file ax WHERE ax.household_id = " HH          \
  " ORDER BY ax.status = 'open' DESC, ax.rid DESC LIMIT 1) = :viewer OR "     \
  "(SELECT ah.area_code FROM household ah WHERE ah.id = " HH ") IN ("         \
  "WITH RECURSIVE cover(code) AS (SELECT area_code FROM user_area WHERE "     \
  "login = :viewer UNION SELECT aa.code FROM area aa JOIN cover ON "          \
  "aa.parent_code = cover.code) SELECT code FROM cover))))"

/* What a viewer may see of a grievance. */
enum grievance_sight {
  GRIEVANCE_SEE_NONE = 0,   /* not even that it exists */
  GRIEVANCE_SEE_STATUS = 1, /* ticket, status, layer, due date */
  GRIEVANCE_SEE_ALL = 2,
};

/*
 * SQL: the enum grievance_sight of the viewer for grievance G (an alias of
 * table grievance) in category C (an alias of grievance_category).
 */
#define ACCESS_GRIEVANCE_SQL(G, C)                                            \
  "(CASE WHEN :viewer_role = 3 THEN 2 WHEN " C ".sensitive THEN "             \
  "(CASE WHEN " G ".created_by = :viewer THEN 1 ELSE 0 END) "                 \
  "WHEN :viewer_role = 2 AND (" G ".household_id IS NULL OR "                 \
  ACCESS_CASE_SQL(G ".household_id") ") THEN 2 ELSE 1 END)"
/* clang-format on */

/* Bind :viewer (ctx->zActor) and :viewer_role (role) in q. */
void access_bind(struct sws_ctx *ctx, sqlite3_stmt *q, int role);

/*
 * 0 when the viewer may see and work the case of household zRegno (a
 * number or an id); otherwise SWS_ENOTFOUND, with the same message whether
 * the household exists or not.
 */
int cases_case_check(struct sws_ctx *ctx, int role, const char *zRegno,
                     struct sws_err *err);

/* As cases_case_check for the household of referral zNumber; SWS_ENOTFOUND
 * says "no referral", as for a number that does not exist. */
int cases_referral_check(struct sws_ctx *ctx, int role, const char *zNumber,
                         struct sws_err *err);

/*
 * 0 when the viewer may assign the open case of zRegno to zTo (NULL:
 * automatically); SWS_ENOTFOUND as cases_case_check, SWS_EPERM when the
 * rule above refuses it.
 */
int cases_case_assign_check(struct sws_ctx *ctx, int role, const char *zRegno,
                            const char *zTo, struct sws_err *err);

struct audit_row;

/*
 * The history of household zHouseholdId as the viewer may see it, newest
 * first, at most nLimit rows: the audit rows about the household, about
 * the grievances the viewer may see (at least their status)
 * and, when the viewer may see its cases, about its cases, referrals,
 * assessments and programme applications.
 */
int cases_household_history(struct sws_ctx *ctx, int role,
                            const char *zHouseholdId, int nLimit,
                            int (*fn)(const struct audit_row *, void *),
                            void *arg, struct sws_err *err);

#endif
