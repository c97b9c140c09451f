/*
 * central_int.h - what the pages of the registry's web UI share: its
 * sessions (central_session.c), the account and scope of the request,
 * what each role may do, and the pages its route table names
 * (central_route.c).
 */
#ifndef SWS_POS_WEB_CENTRAL_INT_H
#define SWS_POS_WEB_CENTRAL_INT_H

#include "pos/web/central_web.h"
#include "pos/web/web_int.h"
#include "sync/central_account.h"
#include "sync/central_scope.h"

#define CWEB_SESSIONS 256 /* at most; the least recently used goes first */
#define CWEB_THROTTLE 512 /* throttled keys kept */

struct cweb_session {
  char zHash[65]; /* SHA-256 of its token; "" for a free slot */
  char zLogin[33];
  int64_t createdMs, seenMs;
  char zLang[4];
};

struct cweb_throttle {
  char zKey[80]; /* "" for a free slot */
  int64_t failures, lastMs, blockedUntilMs;
};

struct cweb {
  struct web *w; /* the configuration and Host names */
  struct central *c;
  struct cweb_session aSession[CWEB_SESSIONS];
  struct cweb_throttle aThrottle[CWEB_THROTTLE];
};

/* What the registry UI knows of a request (r->app). */
struct cweb_req {
  struct cweb *cw;
  struct cweb_session *session; /* NULL: nobody logged in */
  struct central_account acct;
  struct central_scope scope;
};
#define CWEB(r) ((struct cweb_req *)(r)->app)

/* What a route needs (CAP_PUBLIC from web_int.h: nothing). */
enum cweb_cap {
  CCAP_READ = 10, /* any officer: their area's pages */
  CCAP_DECIDE,    /* duplicate decisions in their area: every role */
  CCAP_NATIONAL,  /* conflict decisions: national officers */
};
/* 1 if role (enum central_role) may do what cap stands for. */
int cweb_role_can(int role, int cap);

/* ---- sessions (central_session.c) ---- */
int cweb_session_load(struct web_req *r, struct sws_err *err);
int cweb_session_login(struct web_req *r, const char *zLogin,
                       const char *zPassword, struct sws_err *err);
int cweb_session_logout(struct web_req *r, struct sws_err *err);
int cweb_session_set_lang(struct web_req *r, const char *zLang,
                          struct sws_err *err);

/* ---- pages ---- */
int cpage_home(struct web_req *r);
int cpage_duplicates(struct web_req *r);
int cpage_pair(struct web_req *r);
int cpage_pair_post(struct web_req *r);
int cpage_conflicts(struct web_req *r);
int cpage_conflict_post(struct web_req *r);
int cpage_offices(struct web_req *r);
int cpage_grievances(struct web_req *r);
int cpage_grievance_post(struct web_req *r);
int cpage_office(struct web_req *r);

#endif
