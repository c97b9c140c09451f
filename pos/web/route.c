/*
 * route.c - the web UI's front door: every request passes the same checks
 * here before a page sees it, in this order:
 *
 *   1. Host must be one of the configured names (DNS rebinding);
 *   2. only GET, HEAD and POST; a POST must be a form and, when the
 *      browser says where it comes from (Origin, Sec-Fetch-Site), come
 *      from this server;
 *   3. the query string and form are decoded with caps (core/form.h);
 *   4. the session is loaded (idle and absolute timeouts);
 *   5. the route table gives the page and what it needs: a login, a role;
 *   6. a POST must carry the session's CSRF token (the login form its own
 *      double-submit token);
 *   7. the page runs; every answer gets the security headers.
 *
 * Error answers never repeat what was sent (no personal data echoed).
 *
 * GET never changes a record. The session's own bookkeeping is the one
 * exception: the time of its last request (the idle timeout reads it) and,
 * when a request finds it timed out, the end of the session (audited).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "pos/web/web_int.h"

struct route {
  const char *zMethod;  /* "GET" or "POST" */
  const char *zPattern; /* "/household/ * /edit": '*' is one path piece */
  int (*fn)(struct web_req *);
  int cap; /* enum permit_cap (cases/permit.h) */
};

static const struct route ROUTES[] = {
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
    {"POST", "/household/*/assessment/new", page_assessment_new_post,
     CAP_CASE},
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
    {"GET", "/review", page_review, CAP_SUPERVISE},
    {"GET", "/reports", page_reports, CAP_CASE},
    {"GET", "/sync", page_sync, CAP_SYNC},
    {"POST", "/sync/conflict/*", page_sync_conflict_post, CAP_SYNC},
};

/* Match zPath against zPattern, copying the '*' pieces into r->azArg. */
static int match(struct web_req *r, const char *zPattern, const char *zPath)
{
  const char *p = zPattern, *s = zPath;
  int nArg = 0;
  while (*p && *s) {
    if (*p == '*') {
      size_t n = strcspn(s, "/");
      if (n == 0 || n >= WEB_ARG_MAX || nArg == WEB_MAX_ARGS)
        return 0;
      memcpy(r->azArg[nArg], s, n);
      r->azArg[nArg][n] = '\0';
      nArg++;
      p++;
      s += n;
    } else if (*p == *s) {
      p++;
      s++;
    } else {
      return 0;
    }
  }
  if (*p || *s)
    return 0;
  r->nArg = nArg;
  return 1;
}

static const struct route *find_route(struct web_req *r, const char *zMethod,
                                      int *pOtherMethod)
{
  *pOtherMethod = 0;
  for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
    if (!match(r, ROUTES[i].zPattern, r->req->zPath))
      continue;
    if (strcmp(ROUTES[i].zMethod, zMethod) == 0)
      return &ROUTES[i];
    *pOtherMethod = 1;
  }
  return NULL;
}

static int host_ok(const struct web *w, const char *zHost)
{
  if (zHost == NULL)
    return 0;
  for (int i = 0; i < w->cfg.nHost; i++)
    if (strcasecmp(w->cfg.azHost[i], zHost) == 0)
      return 1;
  return 0;
}

/* A POST from elsewhere: Origin names another site, or Sec-Fetch-Site
 * says so. Browsers send at least one of them on every POST; a client
 * that sends neither (curl) still needs the CSRF token. */
static int cross_origin(const struct web_req *r, const char *zHost)
{
  const char *zOrigin = http_req_header(r->req, "Origin");
  const char *zSite = http_req_header(r->req, "Sec-Fetch-Site");
  if (zOrigin) {
    const char *zScheme = r->req->bTls ? "https://" : "http://";
    size_t n = strlen(zScheme);
    if (strncasecmp(zOrigin, zScheme, n) != 0 ||
        strcasecmp(zOrigin + n, zHost) != 0)
      return 1;
  }
  if (zSite && strcmp(zSite, "same-origin") != 0 && strcmp(zSite, "none"))
    return 1;
  return 0;
}

static void security_headers(struct web_req *r)
{
  struct http_resp *p = r->resp;
  http_resp_header(p, "Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src "
                   "'self'; img-src 'self' data:; object-src 'none'; "
                   "base-uri 'none'; frame-ancestors 'none'; form-action "
                   "'self'");
  /* not no-referrer: with it browsers send "Origin: null" on our own
   * forms, and the Origin check could not tell them from a forgery */
  http_resp_header(p, "Referrer-Policy", "same-origin");
  http_resp_header(p, "X-Frame-Options", "DENY");
  http_resp_header(p, "Cross-Origin-Opener-Policy", "same-origin");
  http_resp_header(p, "Cross-Origin-Resource-Policy", "same-origin");
  http_resp_header(p, "Permissions-Policy",
                   "camera=(), microphone=(), geolocation=()");
  if (r->req->bTls)
    http_resp_header(p, "Strict-Transport-Security", "max-age=31536000");
}

/* A short page for a refusal (no personal data: fixed texts only). */
static int refuse(struct web_req *r, int status, const char *zTitle,
                  const char *zMsg)
{
  buf_reset(&r->out);
  return web_message_page(r, status, zTitle, zMsg);
}

/* The style sheet and the one small script (print button). */
extern const char web_css[];
extern const char web_js[];

static int dispatch(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const struct http_req *req = r->req;
  const char *zHost = http_req_header(req, "Host");
  int bHead = strcmp(req->zMethod, "HEAD") == 0;
  const char *zMethod = bHead ? "GET" : req->zMethod;
  struct form_limits lim = {512, 64, (size_t)16 << 10, WEB_MAX_BODY};

  if (!host_ok(r->w, zHost))
    return refuse(r, 421, N_("Wrong address"),
                  N_("This server answers only to its own address. Open "
                     "the address sws ui printed when it started."));
  if (strcmp(zMethod, "GET") != 0 && strcmp(zMethod, "POST") != 0) {
    http_resp_header(r->resp, "Allow", "GET, HEAD, POST");
    return refuse(r, 405, N_("Not allowed"),
                  N_("This request method is not used here."));
  }
  r->bPost = strcmp(zMethod, "POST") == 0;
  if (form_parse(&r->query, req->zQuery, strlen(req->zQuery), &lim, &err))
    return refuse(r, 400, N_("Bad request"),
                  N_("The address could not be read. Go back and try "
                     "again."));
  if (r->bPost) {
    const char *zType = http_req_header(req, "Content-Type");
    if (zType == NULL ||
        strncasecmp(zType, "application/x-www-form-urlencoded", 33) != 0)
      return refuse(r, 415, N_("Bad request"),
                    N_("Only forms of these pages can be sent here."));
    if (cross_origin(r, zHost))
      return refuse(r, 403, N_("Refused"),
                    N_("This form came from another site and was "
                       "refused. Nothing was saved."));
    if (form_parse(&r->form, req->zBody, req->nBody, &lim, &err) != 0)
      return refuse(r, err.code == SWS_ETOOBIG ? 413 : 400,
                    N_("Bad request"),
                    N_("The form could not be read (too large or not "
                       "valid text). Nothing was saved."));
  }
  if (strcmp(req->zPath, "/static/sws.css") == 0 && !r->bPost) {
    http_resp_header(r->resp, "Cache-Control", "private, max-age=3600");
    return http_resp_bytes(r->resp, 200, "text/css; charset=utf-8", web_css,
                           strlen(web_css));
  }
  if (strcmp(req->zPath, "/static/sws.js") == 0 && !r->bPost) {
    http_resp_header(r->resp, "Cache-Control", "private, max-age=3600");
    return http_resp_bytes(r->resp, 200, "text/javascript; charset=utf-8",
                           web_js, strlen(web_js));
  }
  if (web_session_load(r, &err) != 0)
    return -1;
  int bOther;
  const struct route *rt = find_route(r, zMethod, &bOther);
  if (rt == NULL && bOther) {
    http_resp_header(r->resp, "Allow", r->bPost ? "GET, HEAD" : "POST");
    return refuse(r, 405, N_("Not allowed"),
                  N_("This request method is not used here."));
  }
  if (rt == NULL)
    return refuse(r, 404, N_("Not found"),
                  N_("There is no page at this address."));
  if (rt->cap != CAP_PUBLIC && !r->bAuth) {
    if (r->bPost || strcmp(req->zPath, "/") == 0)
      return web_redirect(r, "/login%s%t", r->zEnded[0] ? "?ended=" : "",
                          r->zEnded);
    return web_redirect(r, "/login?next=%t%s%t", req->zPath,
                        r->zEnded[0] ? "&ended=" : "", r->zEnded);
  }
  if (rt->cap != CAP_PUBLIC && !cases_permit_allows(r->user.role, rt->cap))
    return refuse(r, 403, N_("Not allowed"),
                  N_("Your role does not give access to this page. Ask a "
                     "supervisor if you need it."));
  if (r->bPost && rt->cap != CAP_PUBLIC &&
      !web_csrf_ok(r, form_get(&r->form, "csrf")))
    return refuse(r, 403, N_("Form expired"),
                  N_("This form is out of date or did not come from this "
                     "page. Nothing was saved: go back, reload the page and "
                     "send it again."));
  return rt->fn(r);
}

int web_handler(void *arg, const struct http_req *req,
                struct http_resp *resp)
{
  struct web_req r;
  memset(&r, 0, sizeof r);
  r.w = arg;
  r.ctx = r.w->ctx;
  r.req = req;
  r.resp = resp;
  r.status = 200;
  r.query = (struct form)FORM_INIT;
  r.form = (struct form)FORM_INIT;
  buf_init(&r.out, WEB_MAX_OUT);
  sws_strlcpy(r.zLang, r.w->cfg.zLang ? r.w->cfg.zLang : "en",
              sizeof r.zLang);
  cases_set_actor(r.ctx, "ui");
  int rc = dispatch(&r);
  if (r.ctx->bInOp) /* a page left an operation open: a bug; undo it */
    cases_op_end(r.ctx, -1, NULL, NULL, NULL, NULL);
  if (rc == 0 && resp->body.n == 0 && r.out.toobig)
    rc = -1;
  if (rc != 0) {
    /* the page failed: say so, without details (they are in no log
     * either: they may hold personal data) */
    buf_reset(&r.out);
    web_message_page(&r, 500, N_("Something went wrong"),
                     N_("The server could not do this. Nothing was saved "
                        "unless the page says so. Try again; if it happens "
                        "again, tell the supervisor."));
  }
  if (resp->body.n == 0 && resp->zType == NULL)
    http_resp_bytes(resp, r.status, r.status == 303 ? NULL
                                                    : "text/html; "
                                                      "charset=utf-8",
                    r.out.z ? r.out.z : "", r.out.n);
  if (strcmp(req->zMethod, "HEAD") == 0)
    buf_reset(&resp->body);
  security_headers(&r);
  cases_set_actor(r.ctx, "ui");
  form_release(&r.query);
  form_release(&r.form);
  buf_release(&r.out);
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
  if (w->cfg.zLang == NULL || strcmp(w->cfg.zLang, "km") != 0)
    w->cfg.zLang = "en";
  else
    w->cfg.zLang = "km";
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
