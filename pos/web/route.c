/*
 * route.c - the office web UI's route table, who may use each page, and
 * its handler: every request passes the front door's checks first
 * (front.c).
 *
 * GET never changes a record. The session's own bookkeeping is the one
 * exception: the time of its last request (the idle timeout reads it) and,
 * when a request finds it timed out, the end of the session (audited).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases/review.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

static const struct web_route ROUTES[] = {
    {"GET", "/login", page_login, CAP_PUBLIC},
    {"POST", "/login", page_login_post, CAP_PUBLIC},
    {"POST", "/logout", page_logout_post, CAP_ANY},
    {"POST", "/language", page_lang_post, CAP_ANY},
    {"GET", "/", page_home, CAP_ANY},
    {"GET", "/search", page_search, CAP_DESK},
    {"GET", "/register", page_register, CAP_DESK},
    {"POST", "/register", page_register_post, CAP_DESK},
    {"GET", "/household/*", page_household, CAP_DESK},
    {"GET", "/household/*/edit", page_household_edit, CAP_DESK},
    {"POST", "/household/*/edit", page_household_edit_post, CAP_DESK},
    {"GET", "/household/*/member/new", page_member_new, CAP_DESK},
    {"POST", "/household/*/member/new", page_member_new_post, CAP_DESK},
    {"GET", "/household/*/member/*", page_member_edit, CAP_DESK},
    {"POST", "/household/*/member/*", page_member_edit_post, CAP_DESK},
    {"GET", "/household/*/case", page_case, CAP_CASE},
    {"POST", "/household/*/case", page_case_post, CAP_CASE},
    {"GET", "/household/*/assessment/new", page_assessment_new, CAP_CASE},
    {"POST", "/household/*/assessment/new", page_assessment_new_post, CAP_CASE},
    {"GET", "/assessment/*", page_assessment, CAP_CASE},
    {"GET", "/household/*/referral/new", page_referral_new, CAP_CASE},
    {"POST", "/household/*/referral/new", page_referral_new_post, CAP_CASE},
    {"GET", "/referral/*", page_referral, CAP_CASE},
    {"POST", "/referral/*", page_referral_step_post, CAP_CASE},
    {"GET", "/caseload", page_caseload, CAP_CASE},
    {"GET", "/grievances", page_grievances, CAP_DESK},
    {"GET", "/grievance/new", page_grievance_new, CAP_DESK},
    {"POST", "/grievance/new", page_grievance_new_post, CAP_DESK},
    {"GET", "/grievance/*", page_grievance, CAP_DESK},
    {"POST", "/grievance/*", page_grievance_step_post, CAP_CASE},
    {"GET", "/household/*/screening", page_screening, CAP_CASE},
    {"POST", "/household/*/screening", page_enrol_post, CAP_CASE},
    {"POST", "/receipt/*/*", page_receipt_post, CAP_DESK},
    {"GET", "/receipt/*", page_receipt, CAP_DESK},
    {"GET", "/review", page_review, CAP_REVIEW},
    {"POST", "/review/duplicate/*", page_review_duplicate_post, CAP_REVIEW},
    {"GET", "/reports", page_reports, CAP_CASE},
    {"GET", "/sync", page_sync, CAP_SYNC},
    {"POST", "/sync/conflict/*", page_sync_conflict_post, CAP_SYNC},
};

static int office_can(const struct web_req *r, int cap)
{
  return cases_permit_allows(r->user.role, cap);
}

static const struct web_site OFFICE_SITE = {
    ROUTES,
    sizeof ROUTES / sizeof ROUTES[0],
    "sws",
    web_session_load,
    office_can,
    web_session_login,
    web_session_logout,
    web_session_set_lang,
    web_office_nav,
    web_office_role_label,
};

int web_handler(void *arg, const struct http_req *req,
                struct http_resp *resp)
{
  struct web_req r;
  web_req_begin(&r, arg, &OFFICE_SITE, req, resp);
  cases_set_actor(r.ctx, "ui");
  int rc = web_dispatch(&r);
  if (r.ctx->bInOp) /* a page left an operation open: a bug; undo it */
    cases_op_end(r.ctx, -1, NULL, NULL, NULL, NULL);
  web_req_end(&r, rc);
  cases_set_actor(r.ctx, "ui");
  return 0;
}

struct web *web_open(struct sws_ctx *ctx, const struct web_config *cfg)
{
  struct web *w = sws_calloc(1, sizeof *w);
  w->ctx = ctx;
  w->cfg = *cfg;
  if (w->cfg.idleMs <= 0)
    w->cfg.idleMs = WEB_DEFAULT_IDLE_MS;
  if (w->cfg.maxMs <= 0)
    w->cfg.maxMs = WEB_DEFAULT_MAX_MS;
  if ((w->cfg.zLang = web_lang_find(cfg->zLang)) == NULL)
    w->cfg.zLang = "en";
  w->cfg.zPrinter = cfg->zPrinter;
  return w;
}

void web_close(struct web *w)
{
  if (w == NULL)
    return;
  web_receipts_release(w);
  free(w);
}

int web_allow_host(struct web *w, const char *zHostPort)
{
  if (w->cfg.nHost == WEB_MAX_HOSTS || strlen(zHostPort) >= WEB_HOST_MAX ||
      *zHostPort == '\0')
    return SWS_ETOOBIG;
  for (int i = 0; i < w->cfg.nHost; i++)
    if (strcasecmp(w->cfg.azHost[i], zHostPort) == 0)
      return 0;
  sws_strlcpy(w->cfg.azHost[w->cfg.nHost++], zHostPort, WEB_HOST_MAX);
  return 0;
}

void web_allow_listen(struct web *w, const char *zHost, int port)
{
  char z[WEB_HOST_MAX];
  static const char *const azLoop[] = {"127.0.0.1", "localhost", "[::1]"};
  for (size_t i = 0; i < sizeof azLoop / sizeof azLoop[0]; i++) {
    snprintf(z, sizeof z, "%s:%d", azLoop[i], port);
    web_allow_host(w, z);
  }
  if (zHost && *zHost && strcmp(zHost, "0.0.0.0") && strcmp(zHost, "::")) {
    if (strchr(zHost, ':') && zHost[0] != '[')
      snprintf(z, sizeof z, "[%.100s]:%d", zHost, port);
    else
      snprintf(z, sizeof z, "%.100s:%d", zHost, port);
    web_allow_host(w, z);
  }
}
