/*
 * permit.h - who may do what: the one table of capabilities and the roles
 * that hold each, read by the web UI's route table (pos/web/route.c) and
 * by every command of the command line (pos/cli.c), so a rule is written
 * once and the two cannot disagree.
 *
 * The roles are those of staff accounts (enum user_role in cases/user.h)
 * and one more: ROLE_SYSTEM, the command line run without a staff account
 * (the actor "cli:NAME", NAME the Unix login). It holds what unattended
 * jobs need (sync, maintenance, due escalations, reading) and no staff
 * decision.
 */
#ifndef SWS_CASES_PERMIT_H
#define SWS_CASES_PERMIT_H

#include "cases/ctx.h"

/* the command line without a staff account: "cli:NAME" */
#define ROLE_SYSTEM 0

/* What a page or a command needs. */
enum permit_cap {
  CAP_NONE = 0,  /* not given: refused to everyone (a test finds these) */
  CAP_PUBLIC,    /* no account (login page; sws init, login, ui) */
  CAP_ANY,       /* any staff account logged in */
  CAP_READ,      /* read households, search, grievances (need-to-know
                    still applies) */
  CAP_CASE_READ, /* read cases, assessments, referrals, reports */
  CAP_DESK,      /* register and edit households, take grievances, print
                    receipts */
  CAP_CASE,      /* case work: cases, assessments, plans, referrals,
                    applications, grievance steps */
  CAP_DECIDE,    /* approve or reject programme enrolments */
  CAP_SUPERVISE, /* review queues, sensitive grievances */
  CAP_REVIEW,    /* decide possible duplicates (cases/review.h) */
  CAP_SYNC,      /* sync status page, conflicts decided */
  CAP_JOBS,      /* run a sync, maintenance, audit checks, due
                    escalations, the account list */
  CAP_ADMIN,     /* accounts, areas, catalogues, office keys, imports */
  CAP_REGISTRY,  /* the central registry's commands (sws central ...):
                    its own identity model, no office account */
  CAP_COUNT
};

/* 1 if role (enum user_role, or ROLE_SYSTEM) holds cap. */
int cases_permit_allows(int role, int cap);

/* What cap lets one do, for messages: "decide programme enrolments". */
const char *cases_permit_what(int cap);

/* The staff roles that hold cap, for messages: "case-manager or
 * supervisor" ("no role" when none does). */
const char *cases_permit_roles(int cap);

/*
 * 0 if role holds cap; else SWS_EPERM with a message naming who acts
 * (zWho: a login or "cli:NAME"), what was asked (zWhat: "enrolment
 * decide") and the roles that may.
 */
int cases_permit_check(int role, const char *zWho, const char *zWhat, int cap,
                       struct sws_err *err);

#endif
