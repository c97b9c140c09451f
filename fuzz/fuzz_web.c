/*
 * fuzz_web.c - libFuzzer target: the web UI's request handling (pos/web/)
 * on arbitrary requests against an in-memory office: method, target
 * (path and query), Cookie, Origin, Content-Type and body all come from
 * the input. Half the inputs carry a real session cookie and, in the body,
 * its CSRF token, so the pages behind the login and their forms are
 * reached too. The database is made afresh every 500 inputs.
 *
 * Input: flags byte, then METHOD \n TARGET \n COOKIE \n ORIGIN \n BODY.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cases/area.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/user.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "pos/web/web.h"

static struct sws_ctx *ctx;
static struct web *web;
static int runs;
static char g_cookie[256], g_csrf[64];

struct fake {
  const char *zCookie, *zOrigin, *zType;
};

static const char *hdr(const struct http_req *req, const char *zName)
{
  const struct fake *f = req->hdrArg;
  if (strcasecmp(zName, "Host") == 0)
    return "127.0.0.1:8080";
  if (strcasecmp(zName, "Cookie") == 0)
    return f->zCookie;
  if (strcasecmp(zName, "Origin") == 0)
    return f->zOrigin;
  if (strcasecmp(zName, "Content-Type") == 0)
    return f->zType;
  return NULL;
}

/* Answer one request; the response body is returned (caller frees) and
 * Set-Cookie values go to zSetCookie. */
static char *call(const char *zMethod, const char *zTarget,
                  const struct fake *f, const char *zBody, size_t nBody,
                  char *zSetCookie, size_t nSet)
{
  struct http_req req;
  struct http_resp resp;
  char zPath[1024];
  const char *q = strchr(zTarget, '?');
  size_t n = q ? (size_t)(q - zTarget) : strlen(zTarget);
  if (n >= sizeof zPath)
    n = sizeof zPath - 1;
  memcpy(zPath, zTarget, n);
  zPath[n] = '\0';
  memset(&req, 0, sizeof req);
  req.zMethod = zMethod;
  req.zPath = zPath;
  req.zQuery = q ? q + 1 : "";
  req.zTarget = zTarget;
  req.zClient = "127.0.0.1";
  req.zBody = zBody;
  req.nBody = nBody;
  req.header = hdr;
  req.hdrArg = (void *)f;
  memset(&resp, 0, sizeof resp);
  resp.status = 200;
  buf_init(&resp.body, (size_t)16 << 20);
  if (web_handler(web, &req, &resp) != 0)
    abort();
  if (resp.status < 100 || resp.status > 599)
    abort();
  for (int i = 0; i < resp.nHdr; i++) {
    if (zSetCookie && strcasecmp(resp.aHdr[i].zName, "Set-Cookie") == 0 &&
        strncmp(resp.aHdr[i].zValue, "sws_sid=", 8) == 0) {
      size_t k = strcspn(resp.aHdr[i].zValue, ";");
      if (k < nSet) {
        memcpy(zSetCookie, resp.aHdr[i].zValue, k);
        zSetCookie[k] = '\0';
      }
    }
    free(resp.aHdr[i].zName);
    free(resp.aHdr[i].zValue);
  }
  free(resp.aHdr);
  free(resp.zType);
  char *z = buf_detach(&resp.body, NULL);
  return z;
}

static void grab(const char *zPage, const char *zName, char *out, size_t n)
{
  char zPat[64];
  snprintf(zPat, sizeof zPat, "name=\"%s\" value=\"", zName);
  const char *p = strstr(zPage, zPat);
  out[0] = '\0';
  if (p) {
    p += strlen(zPat);
    size_t k = strcspn(p, "\"");
    if (k < n) {
      memcpy(out, p, k);
      out[k] = '\0';
    }
  }
}

static void fresh(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  struct web_config cfg;
  char zTok[64], zCookie[128], zBody[256], zRegno[SWS_NUMBER_MAX];
  web_close(web);
  cases_close(ctx);
  if (cases_open(&ctx, NULL, CASES_CREATE | CASES_MEMORY, &err) != 0 ||
      cases_office_init(ctx, "KH12", "Fuzz", &err) != 0 ||
      cases_area_load_default(ctx, &rep, &err) != 0 ||
      cases_grievance_config_load_default(ctx, &err) != 0 ||
      cases_user_add(ctx, "sup", ROLE_SUPERVISOR, "Sup",
                     "fuzz password long", &err) != 0)
    abort();
  buf_release(&rep.errors);
  struct member_input m = {"Sok Dara", 'M', "1980", REL_HEAD, NULL, NULL, 0};
  struct household_input in = {"17010101", NULL, NULL, NULL, &m, 1, NULL};
  cases_set_actor(ctx, "sup");
  if (cases_household_create(ctx, &in, zRegno, NULL, &err) != 0)
    abort();
  memset(&cfg, 0, sizeof cfg);
  web = web_open(ctx, &cfg);
  web_allow_host(web, "127.0.0.1:8080");
  /* log in once: the session and CSRF token the inputs may use */
  struct fake f = {NULL, NULL, "application/x-www-form-urlencoded"};
  char *z = call("GET", "/login", &f, "", 0, NULL, 0);
  grab(z, "token", zTok, sizeof zTok);
  free(z);
  snprintf(zCookie, sizeof zCookie, "sws_login=%s", zTok);
  snprintf(zBody, sizeof zBody,
           "token=%s&login=sup&password=fuzz+password+long", zTok);
  f.zCookie = zCookie;
  z = call("POST", "/login", &f, zBody, strlen(zBody), g_cookie,
           sizeof g_cookie);
  free(z);
  f.zCookie = g_cookie;
  z = call("GET", "/", &f, "", 0, NULL, 0);
  grab(z, "csrf", g_csrf, sizeof g_csrf);
  free(z);
  if (g_cookie[0] == '\0' || g_csrf[0] == '\0')
    abort();
}

/* The next line of the input (up to '\n') as a new string. */
static char *next_line(const uint8_t **p, const uint8_t *end)
{
  const uint8_t *s = *p;
  while (*p < end && **p != '\n')
    (*p)++;
  char *z = sws_strndup((const char *)s, (size_t)(*p - s));
  if (*p < end)
    (*p)++;
  return z;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (ctx == NULL) {
    setenv("SWS_PW_FAST", "1", 1);
    sws_crypto_init(NULL);
  }
  if (ctx == NULL || ++runs % 500 == 0)
    fresh();
  if (size == 0)
    return 0;
  unsigned flags = data[0];
  const uint8_t *p = data + 1, *end = data + size;
  char *zMethod = next_line(&p, end);
  char *zTarget = next_line(&p, end);
  char *zCookie = next_line(&p, end);
  char *zOrigin = next_line(&p, end);
  size_t nRest = (size_t)(end - p);
  /* the body: with the real CSRF token in front when flags say so */
  char *zBody = sws_malloc(nRest + 80);
  size_t nBody = 0;
  if (flags & 2)
    nBody = (size_t)snprintf(zBody, 80, "csrf=%s&", g_csrf);
  memcpy(zBody + nBody, p, nRest);
  nBody += nRest;
  zBody[nBody] = '\0';
  struct fake f = {(flags & 1) ? g_cookie : zCookie,
                   (flags & 4) ? zOrigin : NULL,
                   (flags & 8) ? "text/plain"
                               : "application/x-www-form-urlencoded"};
  static const char *const azMethod[] = {"GET", "POST", "HEAD"};
  const char *zM = (flags & 16) ? zMethod : azMethod[(flags >> 5) % 3];
  if (zTarget[0] != '/') {
    char *z = sws_mprintf("/%s", zTarget);
    free(zTarget);
    zTarget = z;
  }
  free(call(zM, zTarget, &f, zBody, nBody, NULL, 0));
  free(zMethod);
  free(zTarget);
  free(zCookie);
  free(zOrigin);
  free(zBody);
  return 0;
}
