/*
 * web_client.c - the handler tests' browser (web_client.h).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "tests/web_client.h"

static const char *hdr(const struct http_req *req, const char *zName)
{
  const struct web_client *c = req->hdrArg;
  if (strcasecmp(zName, "Host") == 0)
    return c->zHost;
  if (strcasecmp(zName, "Cookie") == 0)
    return c->zCookie[0] ? c->zCookie : NULL;
  if (strcasecmp(zName, "Origin") == 0)
    return c->zOrigin;
  if (strcasecmp(zName, "Content-Type") == 0 &&
      strcmp(req->zMethod, "POST") == 0)
    return c->zType ? c->zType : "application/x-www-form-urlencoded";
  return NULL;
}

/* Keep (or drop, for an empty value) the cookie of a Set-Cookie value. */
static void take_cookie(struct web_client *c, const char *zSet)
{
  char zName[64], zVal[128], zNew[1024] = "";
  size_t n = strcspn(zSet, "=");
  if (n >= sizeof zName)
    return;
  memcpy(zName, zSet, n);
  zName[n] = '\0';
  size_t v = strcspn(zSet + n + 1, ";");
  if (v >= sizeof zVal)
    return;
  memcpy(zVal, zSet + n + 1, v);
  zVal[v] = '\0';
  /* rebuild the jar without zName */
  char *save = NULL, *zCopy = sws_strdup(c->zCookie);
  for (char *p = strtok_r(zCopy, ";", &save); p;
       p = strtok_r(NULL, ";", &save)) {
    while (*p == ' ')
      p++;
    if (strncmp(p, zName, n) == 0 && p[n] == '=')
      continue;
    snprintf(zNew + strlen(zNew), sizeof zNew - strlen(zNew), "%s%s",
             zNew[0] ? "; " : "", p);
  }
  free(zCopy);
  if (zVal[0])
    snprintf(zNew + strlen(zNew), sizeof zNew - strlen(zNew), "%s%s=%s",
             zNew[0] ? "; " : "", zName, zVal);
  sws_strlcpy(c->zCookie, zNew, sizeof c->zCookie);
}

/* Send a request; returns the status. zTarget is "/path?query". */
int wc_send(struct web_client *c, const char *zMethod, const char *zTarget,
            const char *zBody)
{
  struct http_req req;
  struct http_resp resp;
  char zPath[512];
  const char *q = strchr(zTarget, '?');
  size_t n = q ? (size_t)(q - zTarget) : strlen(zTarget);
  memcpy(zPath, zTarget, n);
  zPath[n] = '\0';
  memset(&req, 0, sizeof req);
  req.zMethod = zMethod;
  req.zPath = zPath;
  req.zQuery = q ? q + 1 : "";
  req.zTarget = zTarget;
  req.zClient = c->zClient ? c->zClient : "127.0.0.1";
  req.zBody = zBody ? zBody : "";
  req.nBody = strlen(req.zBody);
  req.header = hdr;
  req.hdrArg = c;
  memset(&resp, 0, sizeof resp);
  resp.status = 200;
  buf_init(&resp.body, (size_t)16 << 20);
  CU_ASSERT_EQUAL(c->fn(c->arg, &req, &resp), 0);
  c->status = resp.status;
  free(c->zBody);
  c->zBody = sws_strdup(buf_str(&resp.body));
  c->zLocation[0] = c->zCsp[0] = c->zFrame[0] = '\0';
  for (int i = 0; i < resp.nHdr; i++) {
    if (strcasecmp(resp.aHdr[i].zName, "Set-Cookie") == 0)
      take_cookie(c, resp.aHdr[i].zValue);
    else if (strcasecmp(resp.aHdr[i].zName, "Location") == 0)
      sws_strlcpy(c->zLocation, resp.aHdr[i].zValue, sizeof c->zLocation);
    else if (strcasecmp(resp.aHdr[i].zName, "Content-Security-Policy") == 0)
      sws_strlcpy(c->zCsp, resp.aHdr[i].zValue, sizeof c->zCsp);
    else if (strcasecmp(resp.aHdr[i].zName, "X-Frame-Options") == 0)
      sws_strlcpy(c->zFrame, resp.aHdr[i].zValue, sizeof c->zFrame);
    free(resp.aHdr[i].zName);
    free(resp.aHdr[i].zValue);
  }
  free(resp.aHdr);
  free(resp.zType);
  buf_release(&resp.body);
  return c->status;
}

int wc_get(struct web_client *c, const char *zTarget)
{
  return wc_send(c, "GET", zTarget, NULL);
}

/* The value of the hidden field zName in the last page ("" if none). */
const char *wc_field(const struct web_client *c, const char *zName)
{
  static char z[128];
  char zPat[64];
  z[0] = '\0';
  snprintf(zPat, sizeof zPat, "name=\"%s\" value=\"", zName);
  const char *p = c->zBody ? strstr(c->zBody, zPat) : NULL;
  if (p) {
    p += strlen(zPat);
    size_t n = strcspn(p, "\"");
    if (n < sizeof z) {
      memcpy(z, p, n);
      z[n] = '\0';
    }
  }
  return z;
}

int wc_has(const struct web_client *c, const char *z)
{
  return c->zBody && strstr(c->zBody, z) != NULL;
}

void wc_init(struct web_client *c, const char *zHost, httpd_handler fn,
             void *arg)
{
  memset(c, 0, sizeof *c);
  c->zHost = zHost;
  c->fn = fn;
  c->arg = arg;
}

void wc_release(struct web_client *c)
{
  free(c->zBody);
  c->zBody = NULL;
}

/* Log in as zLogin; returns the status of the POST. */
int wc_login(struct web_client *c, const char *zLogin, const char *zPw)
{
  char zBody[512];
  wc_get(c, "/login");
  snprintf(zBody, sizeof zBody, "token=%s&login=%s&password=%s&next=%%2F",
           wc_field(c, "token"), zLogin, zPw);
  for (char *p = zBody; *p; p++)
    if (*p == ' ')
      *p = '+';
  return wc_send(c, "POST", "/login", zBody);
}

/* POST a form with the CSRF token of the last page. */
int wc_post(struct web_client *c, const char *zTarget, const char *zForm)
{
  char *zBody = sws_mprintf("csrf=%s&%s", wc_field(c, "csrf"), zForm);
  int rc = wc_send(c, "POST", zTarget, zBody);
  free(zBody);
  return rc;
}
