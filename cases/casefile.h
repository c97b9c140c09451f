/*
 * casefile.h - the case of a household and its case manager: open, assign
 * (by hand or to the lightest caseload in the household's area), notes,
 * close, and the caseload with what is due and overdue.
 *
 * A household has at most one open case (the database enforces it). Case
 * managers cover areas (sws user area add); a manager covering a district
 * covers every village in it.
 */
#ifndef SWS_CASES_CASEFILE_H
#define SWS_CASES_CASEFILE_H

#include "cases/ctx.h"
#include "core/ids.h"

struct case_info {
  char zId[SWS_UUID_LEN + 1];
  char zHouseholdId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  char zStatus[8];     /* open, closed */
  char zManager[33];   /* "" when unassigned */
  char zOpenedAt[32];
  char zOpenedBy[SWS_LOGIN_MAX];
  char zClosedAt[32];
  char zOutcome[501];
};

/* Let case manager zLogin cover area zArea (any level). */
int cases_user_area_add(struct sws_ctx *ctx, const char *zLogin,
                        const char *zArea, struct sws_err *err);
/* Stop zLogin covering zArea (SWS_ENOTFOUND if it does not): the cases of
 * that area leave what they may see, except their own caseload. */
int cases_user_area_remove(struct sws_ctx *ctx, const char *zLogin,
                           const char *zArea, struct sws_err *err);
/* Call fn for each area zLogin covers (all logins when NULL). */
int cases_user_area_list(struct sws_ctx *ctx, const char *zLogin,
                         int (*fn)(const char *zLogin, const char *zArea,
                                   void *),
                         void *arg, struct sws_err *err);

/* Open a case for household zRegno (SWS_ECONFLICT if one is open). */
int cases_case_open(struct sws_ctx *ctx, const char *zRegno,
                    struct case_info *out, struct sws_err *err);

/* The open case of a household (by number or id); SWS_ENOTFOUND if none. */
int cases_case_get_open(struct sws_ctx *ctx, const char *zRegno,
                        struct case_info *out, struct sws_err *err);

/* The most recent case of a household, open or closed. */
int cases_case_get_latest(struct sws_ctx *ctx, const char *zRegno,
                          struct case_info *out, struct sws_err *err);

/*
 * Assign the open case to zLogin (an active case manager), or, when zLogin
 * is NULL, to the case manager with the fewest open cases among those who
 * cover the household's village (ties: alphabetical). zAssigned (33 bytes)
 * gets the login. Every assignment is kept (case_assignment).
 */
int cases_case_assign(struct sws_ctx *ctx, const char *zRegno,
                      const char *zLogin, char *zAssigned,
                      struct sws_err *err);

/* Add a note to the open case. */
int cases_case_note(struct sws_ctx *ctx, const char *zRegno,
                    const char *zText, struct sws_err *err);

/* Close the open case with an outcome (required). */
int cases_case_close(struct sws_ctx *ctx, const char *zRegno,
                     const char *zOutcome, struct sws_err *err);

/* One line of a caseload. */
struct caseload_row {
  const char *zRegno, *zHead, *zManager, *zOpenedAt;
  const char *zNextDue;    /* earliest open plan action's due date, or "" */
  const char *zNextAction; /* its text, or "" */
  int nOverdue;            /* plan actions past their due date */
  int nOpenReferrals;      /* referrals not yet completed/declined */
};

/*
 * Call fn for each open case (of zLogin, or all when NULL) that the viewer
 * (the acting login with viewer_role, access.h) may see: cases with
 * overdue actions first (most overdue first), then by next due date, then
 * the rest by age. "Overdue" is relative to today (sws clock).
 */
int cases_caseload(struct sws_ctx *ctx, int viewer_role, const char *zLogin,
                   int (*fn)(const struct caseload_row *, void *), void *arg,
                   struct sws_err *err);

/* Call fn for each note of case zCaseId (an id), newest first, at most
 * nLimit. Check the viewer first (cases_case_check). */
int cases_case_notes(struct sws_ctx *ctx, const char *zCaseId, int nLimit,
                     int (*fn)(const char *zAt, const char *zBy,
                               const char *zText, void *),
                     void *arg, struct sws_err *err);

/* Today's date (YYYY-MM-DD, sws clock) into out (11 bytes). */
void cases_today(char *out);

#endif
