/*
 * fsm.h - state machines as tables, for the records whose status is a fold
 * over append-only events (referrals, grievances). The tables are the
 * documentation too: docs/case-management.md prints them.
 */
#ifndef SWS_CASES_FSM_H
#define SWS_CASES_FSM_H

struct fsm_transition {
  const char *zFrom;  /* state before */
  const char *zEvent; /* event name */
  const char *zTo;    /* state after */
};

struct fsm {
  const char *zName;    /* "referral" */
  const char *zInitial; /* state of a new record */
  const struct fsm_transition *a;
  int n;
};

/* The state after zEvent in zState, or NULL if the event is not allowed. */
const char *fsm_next(const struct fsm *m, const char *zState,
                     const char *zEvent);

/* 1 if zEvent is an event of m at all. */
int fsm_has_event(const struct fsm *m, const char *zEvent);

/* What people type for an event ("send" records "sent"). */
struct fsm_action {
  const char *zAction;
  const char *zEvent;
};

/* The event recorded by zAction, or NULL if it is not one of a[0..n). */
const char *fsm_event_of(const struct fsm_action *a, int n,
                         const char *zAction);

/* The actions allowed in zState, as "a, b, c" into out (nOut bytes), or
 * "nothing (it is final)". */
void fsm_allowed_actions(const struct fsm *m, const char *zState,
                         const struct fsm_action *a, int n, char *out,
                         unsigned nOut);

#endif
