/*
 * web_client.h - a browser for the handler tests of both web UIs
 * (test_web.c, test_central_ui.c): hand-made requests given straight to
 * a handler (core/httpd.h allows it), with a cookie jar, the last answer,
 * its Location and Content-Security-Policy, and the form fields of the
 * last page.
 */
#ifndef SWS_TESTS_WEB_CLIENT_H
#define SWS_TESTS_WEB_CLIENT_H

#include "core/httpd.h"

struct web_client {
  httpd_handler fn;
  void *arg;
  char zCookie[1024];
  const char *zHost;
  const char *zOrigin;
  const char *zType;   /* Content-Type of a POST (default: a form) */
  const char *zClient; /* the client's address (default 127.0.0.1) */
  int status;
  char *zBody; /* the last answer (owned) */
  char zLocation[512];
  char zCsp[512];
  char zFrame[64]; /* X-Frame-Options */
};

void wc_init(struct web_client *c, const char *zHost, httpd_handler fn,
             void *arg);
void wc_release(struct web_client *c);
/* Send a request; returns the status. zTarget is "/path?query". */
int wc_send(struct web_client *c, const char *zMethod, const char *zTarget,
            const char *zBody);
int wc_get(struct web_client *c, const char *zTarget);
/* POST a form with the CSRF token of the last page. */
int wc_post(struct web_client *c, const char *zTarget, const char *zForm);
/* Log in as zLogin; returns the status of the POST. */
int wc_login(struct web_client *c, const char *zLogin, const char *zPw);
/* The value of the hidden field zName in the last page ("" if none). */
const char *wc_field(const struct web_client *c, const char *zName);
/* 1 if the last page has z. */
int wc_has(const struct web_client *c, const char *z);

#endif
