/*
 * front.c - the front door of both web UIs (the office's `sws ui`, route.c,
 * and the registry's `sws central ui`, central_route.c): every request
 * passes the same checks here before a page sees it, in this order:
 *
 *   1. Host must be one of the configured names (DNS rebinding);
 *   2. only GET, HEAD and POST; a POST must be a form and, when the
 *      browser says where it comes from (Origin, Sec-Fetch-Site), come
 *      from this server;
 *   3. the query string and form are decoded with caps (core/form.h);
 *   4. the session is loaded (the site's: idle and absolute timeouts);
 *   5. the site's route table gives the page and what it needs: a login,
 *      a role (the site's can());
 *   6. a POST must carry the session's CSRF token (the login form its own
 *      double-submit token);
 *   7. the page runs; every answer gets the security headers.
 *
 * Error answers never repeat what was sent (no personal data echoed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "pos/web/web_int.h"

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

static const struct web_route *
find_route(struct web_req *r, const char *zMethod, int *pOtherMethod)
{
  const struct web_route *a = r->site->aRoute;
  *pOtherMethod = 0;
  for (size_t i = 0; i < r->site->nRoute; i++) {
    if (!match(r, a[i].zPattern, r->req->zPath))
      continue;
    if (strcmp(a[i].zMethod, zMethod) == 0)
      return &a[i];
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

int web_dispatch(struct web_req *r)
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
      return refuse(r, err.code == SWS_ETOOBIG ? 413 : 400, N_("Bad request"),
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
  if (r->site->session_load(r, &err) != 0)
    return -1;
  int bOther;
  const struct web_route *rt = find_route(r, zMethod, &bOther);
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
  if (rt->cap != CAP_PUBLIC && !r->site->can(r, rt->cap))
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

void web_req_begin(struct web_req *r, struct web *w,
                   const struct web_site *site, const struct http_req *req,
                   struct http_resp *resp)
{
  memset(r, 0, sizeof *r);
  r->w = w;
  r->ctx = w->ctx;
  r->site = site;
  r->req = req;
  r->resp = resp;
  r->status = 200;
  r->query = (struct form)FORM_INIT;
  r->form = (struct form)FORM_INIT;
  buf_init(&r->out, WEB_MAX_OUT);
  sws_strlcpy(r->zLang, w->cfg.zLang ? w->cfg.zLang : "en", sizeof r->zLang);
  web_err_translate_begin(r);
  /* __Host-: only this host set it, over HTTPS, for every path */
  snprintf(r->zSidCookie, sizeof r->zSidCookie, "%s%s_sid",
           req->bTls ? "__Host-" : "", site->zCookie);
  snprintf(r->zLoginCookie, sizeof r->zLoginCookie, "%s%s_login",
           req->bTls ? "__Host-" : "", site->zCookie);
}

void web_req_end(struct web_req *r, int rc)
{
  struct http_resp *resp = r->resp;
  if (rc == 0 && resp->body.n == 0 && r->out.toobig)
    rc = -1;
  if (rc != 0) {
    /* the page failed: say so, without details (they are in no log
     * either: they may hold personal data) */
    buf_reset(&r->out);
    web_message_page(r, 500, N_("Something went wrong"),
                     N_("The server could not do this. Nothing was saved "
                        "unless the page says so. Try again; if it happens "
                        "again, tell the supervisor."));
  }
  if (resp->body.n == 0 && resp->zType == NULL)
    http_resp_bytes(resp, r->status,
                    r->status == 303 ? NULL
                                     : "text/html; "
                                       "charset=utf-8",
                    r->out.z ? r->out.z : "", r->out.n);
  if (strcmp(r->req->zMethod, "HEAD") == 0)
    buf_reset(&resp->body);
  security_headers(r);
  form_release(&r->query);
  form_release(&r->form);
  buf_release(&r->out);
  web_err_translate_end(r);
}
