/*
 * referral.h - referrals of a member to another service (health centre,
 * school, job centre, psychosocial support), with feedback coming back.
 *
 * The status is a fold over append-only events checked by a state machine
 * (REFERRAL_FSM in referral.c):
 *   pending -> sent -> accepted | declined; accepted -> completed;
 *   pending -> cancelled (by the sender).
 * The receiving side is authoritative for accept, decline and complete,
 * and its feedback shows on the case. Locally an invalid step is refused;
 * an event that arrives by sync in an impossible order is kept, marked not
 * valid and the referral flagged, never dropped.
 */
#ifndef SWS_CASES_REFERRAL_H
#define SWS_CASES_REFERRAL_H

#include "cases/ctx.h"
#include "core/ids.h"

struct referral_input {
  const char *zRegno;    /* the household */
  int member;            /* member N */
  const char *zService;  /* health, education, employment, psychosocial,
                            other */
  const char *zProvider; /* who receives it */
  const char *zReason;
  int urgent;
};

/* Make a referral (status pending); zNumber (SWS_NUMBER_MAX) gets its
 * number, e.g. KH12-R-000012-4. */
int cases_referral_add(struct sws_ctx *ctx, const struct referral_input *in,
                       char *zNumber, struct sws_err *err);

/*
 * Record a step: zAction is send, accept, decline, complete or cancel;
 * zFeedback is the receiving side's word (optional). Refused, with the
 * steps that are possible, when the state machine does not allow it.
 */
int cases_referral_step(struct sws_ctx *ctx, const char *zNumber,
                        const char *zAction, const char *zFeedback,
                        struct sws_err *err);

struct referral_event {
  char zEvent[12];
  char zAt[32];
  char zBy[SWS_LOGIN_MAX];
  char *zFeedback; /* owned */
  int valid;
  char zNote[160];
};

struct referral {
  char zId[SWS_UUID_LEN + 1];
  char zNumber[SWS_NUMBER_MAX];
  char zRegno[SWS_NUMBER_MAX];
  int member;
  char zMemberName[201];
  char zService[16];
  char zProvider[201];
  char *zReason; /* owned */
  int urgent;
  char zStatus[12];
  int flagged;
  char zCreatedAt[32];
  char zCreatedBy[SWS_LOGIN_MAX];
  struct referral_event *aEvent;
  int nEvent;
};

int cases_referral_get(struct sws_ctx *ctx, const char *zNumber,
                       struct referral *out, struct sws_err *err);
void cases_referral_release(struct referral *r);

/* One line of a referral list. */
struct referral_row {
  const char *zNumber, *zRegno, *zMemberName, *zService, *zProvider,
      *zStatus, *zCreatedAt, *zFeedback; /* the latest feedback, or "" */
  int member, urgent, flagged;
};

/* The referrals of a household (zRegno), or all open ones (NULL), that
 * the viewer (the acting login with viewer_role, access.h) may see. */
int cases_referral_list(struct sws_ctx *ctx, int viewer_role,
                        const char *zRegno,
                        int (*fn)(const struct referral_row *, void *),
                        void *arg, struct sws_err *err);

/* Apply an event that arrived from elsewhere (sync): kept whatever its
 * order; idempotent by zEventId. */
int cases_referral_apply_remote(struct sws_ctx *ctx, const char *zNumber,
                                const char *zEventId, const char *zEvent,
                                const char *zAt, const char *zBy,
                                const char *zFeedback, struct sws_err *err);

/* The state machine, for documentation and tests. */
const struct fsm *cases_referral_fsm(void);

#endif
