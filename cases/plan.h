/*
 * plan.h - the case plan agreed with the family: goals, and actions
 * (psychosocial support, income support, skills, enterprise, job placement
 * or other) with an owner, a due date and a status. Overdue actions show
 * first in the caseload.
 *
 * Goals and actions are numbered within the case (goal 1, action 3).
 * Action status: planned -> in-progress -> done, or cancelled before done.
 * Goal status: open -> achieved | dropped.
 */
#ifndef SWS_CASES_PLAN_H
#define SWS_CASES_PLAN_H

#include "cases/ctx.h"

struct plan_action_input {
  int goal;             /* goal number, or 0 */
  const char *zKind;    /* psychosocial, income-support, skills, enterprise,
                           job-placement, other */
  const char *zText;    /* what will be done */
  const char *zOwner;   /* a login, or who else ("the family") */
  const char *zDue;     /* YYYY-MM-DD */
};

int cases_plan_goal_add(struct sws_ctx *ctx, const char *zRegno,
                        const char *zText, int *pNo, struct sws_err *err);
/* zStatus: open, achieved, dropped. */
int cases_plan_goal_set(struct sws_ctx *ctx, const char *zRegno, int no,
                        const char *zStatus, struct sws_err *err);
int cases_plan_action_add(struct sws_ctx *ctx, const char *zRegno,
                          const struct plan_action_input *in, int *pNo,
                          struct sws_err *err);
/* zStatus: in-progress, done, cancelled. */
int cases_plan_action_set(struct sws_ctx *ctx, const char *zRegno, int no,
                          const char *zStatus, struct sws_err *err);

struct plan_item {
  int isGoal;
  int no, goal;
  const char *zKind, *zText, *zOwner, *zDue, *zStatus;
  int overdue;
};

/* Call fn for each goal, then each action (by due date), of the
 * household's open case. */
int cases_plan_list(struct sws_ctx *ctx, const char *zRegno,
                    int (*fn)(const struct plan_item *, void *), void *arg,
                    struct sws_err *err);

const struct fsm *cases_plan_action_fsm(void);

#endif
