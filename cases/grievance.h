/*
 * grievance.h - grievances and appeals: a ticket per complaint (or a
 * follow-up code for anonymous complainants), and a lifecycle of
 * append-only events that climbs the administrative layers until answered.
 *
 * States: received, acknowledged, under-review, escalated, answered,
 * closed (the table is GRIEVANCE_FSM in grievance.c). Escalation and appeal
 * move the ticket one layer up (commune -> district -> province ->
 * national); each layer has a deadline in business days. Categories,
 * layers, deadlines and holidays are data (sws grievance config load).
 * Sensitive categories are visible only to supervisors.
 */
#ifndef SWS_CASES_GRIEVANCE_H
#define SWS_CASES_GRIEVANCE_H

#include <stddef.h>

#include "cases/calendar.h"
#include "cases/ctx.h"
#include "core/ids.h"

#define GRIEVANCE_CODE_MAX 16 /* follow-up code "ABCDE-FGHJK" */

/* Load categories, layers, weekend and holidays from JSON (see
 * data/grievance.json). All or nothing. */
int cases_grievance_config_load(struct sws_ctx *ctx, const char *zJson,
                                size_t n, struct sws_err *err);
/* Load the built-in configuration (sws init does). */
int cases_grievance_config_load_default(struct sws_ctx *ctx,
                                        struct sws_err *err);

struct grievance_input {
  const char *zRegno;    /* the complaining household, or NULL */
  int anonymous;         /* no identity kept; a follow-up code instead */
  const char *zCategory; /* a category code */
  const char *zChannel;  /* walk-in, phone, letter, hotline */
  const char *zText;     /* what the complaint is */
};

/*
 * Take a grievance. zTicket (SWS_NUMBER_MAX) gets the ticket number;
 * for anonymous complaints zCode (GRIEVANCE_CODE_MAX) gets the follow-up
 * code, which is stored only as a hash: give it to the complainant.
 */
int cases_grievance_add(struct sws_ctx *ctx, const struct grievance_input *in,
                        char *zTicket, char *zCode, struct sws_err *err);

struct grievance_event {
  char zEvent[16]; /* received, acknowledged, review, escalated, answered,
                      closed, appealed */
  char zLayer[12]; /* the layer after the event */
  char zAt[32];
  char zBy[SWS_LOGIN_MAX];
  char *zText;     /* owned */
  int valid;       /* 0: kept but not allowed where it fell (from sync) */
  char zNote[160];
};

struct grievance {
  char zId[SWS_UUID_LEN + 1];
  char zTicket[SWS_NUMBER_MAX];
  char zRegno[SWS_NUMBER_MAX]; /* "" for anonymous or none */
  int anonymous;
  char zCategory[41];
  char zCategoryName[201];
  int sensitive;
  int hidden;        /* text and answer withheld from this viewer */
  char zChannel[12];
  char *zText;       /* owned; "" when hidden */
  char zStatus[16];
  char zLayer[12];
  char zDue[11];     /* "" when none */
  int overdue;       /* due date passed and not answered */
  char *zAnswer;     /* owned; "" when none or hidden */
  char zAnswerLayer[12];
  int flagged;
  char zCreatedAt[32];
  char zCreatedBy[SWS_LOGIN_MAX];
  struct grievance_event *aEvent; /* in order */
  int nEvent;
};

/*
 * Read a grievance by ticket number or anonymous follow-up code, as seen
 * by someone of role viewer_role (enum user_role; sensitive text is
 * withheld below supervisor). Release with cases_grievance_release.
 */
int cases_grievance_get(struct sws_ctx *ctx, const char *zTicketOrCode,
                        int viewer_role, struct grievance *out,
                        struct sws_err *err);
void cases_grievance_release(struct grievance *g);

/*
 * Record a step: zAction is acknowledge, review, escalate, answer, close
 * or appeal (zText: the answer for answer, the reason for appeal and
 * escalate, optional otherwise). A step the state machine does not allow
 * is refused with the steps that are allowed.
 */
int cases_grievance_step(struct sws_ctx *ctx, const char *zTicket,
                         const char *zAction, const char *zText,
                         int viewer_role, struct sws_err *err);

/*
 * Escalate every ticket whose deadline has passed (meant for a daily
 * timer). Idempotent: a second run the same day changes nothing.
 * *pEscalated counts tickets escalated, *pStuck those overdue at the top
 * layer (flagged, nowhere to go).
 */
int cases_grievance_escalate_due(struct sws_ctx *ctx, int *pEscalated,
                                 int *pStuck, struct sws_err *err);

/* One line of a grievance list. */
struct grievance_row {
  const char *zTicket, *zCategory, *zStatus, *zLayer, *zDue, *zCreatedAt;
  const char *zRegno; /* "" when anonymous */
  int sensitive, overdue;
};

/* Grievances not closed (or all with bAll), oldest deadline first;
 * sensitive ones only for supervisors. */
int cases_grievance_list(struct sws_ctx *ctx, int bAll, int viewer_role,
                         int (*fn)(const struct grievance_row *, void *),
                         void *arg, struct sws_err *err);

/*
 * Apply an event that arrived from elsewhere (the central registry): kept
 * whatever its order, re-folded with the others; an event that does not
 * fit where it falls is kept with valid = 0 and the grievance flagged.
 * zEventId is the event's UUID (idempotent: a second apply does nothing).
 */
int cases_grievance_apply_remote(struct sws_ctx *ctx, const char *zTicket,
                                 const char *zEventId, const char *zEvent,
                                 const char *zLayer, const char *zAt,
                                 const char *zBy, const char *zText,
                                 struct sws_err *err);

/* ---- the rules, outside an office database ---- */

/* The layers a grievance climbs, lowest first, with each one's deadline in
 * business days. */
struct grievance_layers {
  char az[5][12];
  int aDays[5];
  int n;
};

/* What the events of a grievance come to (the grievance row caches it). */
struct grievance_fold {
  char zStatus[16];
  char zLayer[12];
  char zDue[11]; /* "" when none (answered, closed) */
  int iAnswer;   /* event holding the answer, -1 */
  char zAnswerLayer[12];
  int flagged; /* an event did not fit where it fell */
};

/*
 * Fold events a (n of them, in time order) into *f through the state
 * machine and the deadlines of layers and cal, marking each event valid
 * or not (with its note). The office's grievance rows are this fold; the
 * registry replays the same. Pure.
 */
int cases_grievance_fold(const struct grievance_layers *layers,
                         const struct calendar *cal, struct grievance_event *a,
                         int n, struct grievance_fold *f, struct sws_err *err);

/* The layer after zLayer in layers, or NULL (the top, or not a layer). */
const char *cases_grievance_layer_above(const struct grievance_layers *layers,
                                        const char *zLayer);

/* A grievance configuration read into memory, not into an office: what a
 * registry that has no office database folds events with. */
struct grievance_rules {
  struct grievance_layers layers;
  struct calendar cal;
  char (*aSensitive)[41]; /* the codes of the sensitive categories */
  int nSensitive;
  char (*aCategory)[41]; /* every category code */
  int nCategory;
};

/* Read the rules of a configuration (the JSON of 'sws grievance config
 * load'; zJson NULL: the built-in one, data/grievance.json, which 'sws
 * init' gives every office). Release with cases_grievance_rules_release. */
int cases_grievance_rules_parse(struct grievance_rules *out, const char *zJson,
                                struct sws_err *err);
void cases_grievance_rules_release(struct grievance_rules *r);

/* 1 if category zCode is sensitive under r, or unknown to r (an office's
 * own category: its text is withheld as if it were). */
int cases_grievance_rules_sensitive(const struct grievance_rules *r,
                                    const char *zCode);

/* The state machine, for documentation and tests. */
const struct fsm *cases_grievance_fsm(void);

#endif
