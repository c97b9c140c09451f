/*
 * permit.c - the capability table (see permit.h).
 */
#include "cases/permit.h"

#include <string.h>

#include "cases/user.h"

#define R(role) (1u << (role))
#define STAFF                                                                  \
  (R(ROLE_FRONT_DESK) | R(ROLE_CASE_MANAGER) | R(ROLE_SUPERVISOR) |            \
   R(ROLE_ADMIN))
#define DESK (R(ROLE_FRONT_DESK) | R(ROLE_CASE_MANAGER) | R(ROLE_SUPERVISOR))
#define CASE (R(ROLE_CASE_MANAGER) | R(ROLE_SUPERVISOR))

static const struct {
  unsigned roles; /* bit (1 << role) for each role that holds it */
  const char *zWhat;
  const char *zRoles;
} PERMITS[CAP_COUNT] = {
    [CAP_NONE] = {0, "nothing (a command without a capability: a bug)",
                  "no role"},
    [CAP_PUBLIC] = {STAFF | R(ROLE_SYSTEM), "use sws without an account",
                    "anyone"},
    [CAP_ANY] = {STAFF, "use a staff account", "any staff account"},
    [CAP_READ] = {DESK | R(ROLE_SYSTEM), "read households and grievances",
                  "front-desk, case-manager or supervisor"},
    [CAP_CASE_READ] = {CASE | R(ROLE_SYSTEM),
                       "read cases, assessments, referrals and reports",
                       "case-manager or supervisor"},
    [CAP_DESK] = {DESK,
                  "register households, take grievances and print "
                  "receipts",
                  "front-desk, case-manager or supervisor"},
    [CAP_CASE] = {CASE, "do case work", "case-manager or supervisor"},
    [CAP_DECIDE] = {R(ROLE_SUPERVISOR), "decide programme enrolments",
                    "supervisor"},
    [CAP_SUPERVISE] = {R(ROLE_SUPERVISOR), "review and supervise",
                       "supervisor"},
    [CAP_REVIEW] = {R(ROLE_SUPERVISOR) | R(ROLE_ADMIN),
                    "decide possible duplicates", "supervisor or admin"},
    [CAP_SYNC] = {R(ROLE_SUPERVISOR) | R(ROLE_ADMIN), "decide sync conflicts",
                  "supervisor or admin"},
    [CAP_JOBS] = {R(ROLE_SUPERVISOR) | R(ROLE_ADMIN) | R(ROLE_SYSTEM),
                  "run the office's jobs (sync, maintenance, audit checks, "
                  "due escalations)",
                  "supervisor or admin"},
    [CAP_ADMIN] = {R(ROLE_ADMIN),
                   "administer accounts, areas and the "
                   "office's set-up",
                   "admin"},
    [CAP_REGISTRY] = {STAFF | R(ROLE_SYSTEM), "run the central registry",
                      "anyone at the registry's computer"},
};

int cases_permit_allows(int role, int cap)
{
  if (cap <= CAP_NONE || cap >= CAP_COUNT || role < ROLE_SYSTEM ||
      role > ROLE_ADMIN)
    return 0;
  return (PERMITS[cap].roles & R(role)) != 0;
}

const char *cases_permit_what(int cap)
{
  return cap > CAP_NONE && cap < CAP_COUNT ? PERMITS[cap].zWhat
                                           : PERMITS[CAP_NONE].zWhat;
}

const char *cases_permit_roles(int cap)
{
  return cap > CAP_NONE && cap < CAP_COUNT ? PERMITS[cap].zRoles
                                           : PERMITS[CAP_NONE].zRoles;
}

int cases_permit_check(int role, const char *zWho, const char *zWhat, int cap,
                       struct sws_err *err)
{
  if (cases_permit_allows(role, cap))
    return SWS_OK;
  if (role == ROLE_SYSTEM)
    return sws_err_set(err, SWS_EPERM,
                       "'%s' is staff work (%s): it needs "
                       "the role %s, and %s is no staff account; run it as "
                       "your own account: sws --as LOGIN %s (or sws login "
                       "LOGIN first)",
                       zWhat, cases_permit_what(cap), cases_permit_roles(cap),
                       zWho, zWhat);
  return sws_err_set(err, SWS_EPERM,
                     "'%s' (%s) needs the role %s; '%s' "
                     "is %s: ask someone who is",
                     zWhat, cases_permit_what(cap), cases_permit_roles(cap),
                     zWho, cases_role_name(role));
}
