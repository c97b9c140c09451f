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

/* The events allowed in zState, as "a, b or c" into out (n bytes). */
void fsm_allowed(const struct fsm *m, const char *zState, char *out,
                 unsigned n);

#endif
