/*
 * page_login.c - logging in and out, and the user's language: the same
 * pages for both UIs, each with its own sessions (struct web_site).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pos/web/web_int.h"

/* Only a local path may be where the login leads ("/household/..."): one
 * '/' first, then printable characters only (a browser drops a tab or a
 * line break, so "/\t/evil.example" would lead to another host). */
static const char *safe_next(const char *z)
{
  if (z == NULL || z[0] != '/' || z[1] == '/' || z[1] == '\\' ||
      strchr(z, ':') || strlen(z) > 200)
    return "/";
  for (const unsigned char *p = (const unsigned char *)z; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      return "/";
  return z;
}

static void login_form(struct web_req *r, const char *zLogin)
{
  char zTok[WEB_TOKEN_CHARS + 1];
  web_login_token(r, zTok);
  html_printf(r,
              "<form method=\"post\" action=\"/login\" class=\"login\">\n"
              "<input type=\"hidden\" name=\"token\" value=\"%h\">\n"
              "<input type=\"hidden\" name=\"next\" value=\"%h\">\n"
              "<label for=\"login\">%h</label>\n"
              "<input type=\"text\" id=\"login\" name=\"login\" value=\"%h\" "
              "autocomplete=\"username\" autocapitalize=\"none\" "
              "spellcheck=\"false\" required maxlength=\"32\"%h>\n"
              "<label for=\"password\">%h</label>\n"
              "<input type=\"password\" id=\"password\" name=\"password\" "
              "autocomplete=\"current-password\" required "
              "maxlength=\"128\"%h>\n"
              "<p><button type=\"submit\">%h</button></p>\n</form>\n",
              zTok, safe_next(web_param(r, "next")), _(r, "Login"),
              zLogin ? zLogin : "", zLogin && *zLogin ? "" : " autofocus",
              _(r, "Password"), zLogin && *zLogin ? " autofocus" : "",
              _(r, "Log in"));
}

int page_login(struct web_req *r)
{
  if (r->bAuth)
    return web_redirect(r, "/");
  const char *zEnded = web_param(r, "ended");
  web_header(r, _(r, "Log in"));
  if (zEnded && strcmp(zEnded, "idle") == 0)
    web_notice(r, "warn", _(r, "You were logged out because the page was "
                               "not used for a while. Log in again."));
  else if (zEnded && strcmp(zEnded, "expired") == 0)
    web_notice(r, "warn", _(r, "Your session reached its time limit. Log "
                               "in again."));
  else if (zEnded && strcmp(zEnded, "logout") == 0)
    web_notice(r, "ok", _(r, "You are logged out."));
  login_form(r, NULL);
  web_footer(r);
  return 0;
}

int page_login_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zLogin = web_param_trim(r, "login");
  const char *zPassword = web_param(r, "password");
  if (!web_login_token_ok(r, web_param(r, "token"))) {
    r->status = 403;
    web_header(r, _(r, "Log in"));
    web_notice(r, "error", _(r, "The login form had expired. Try again."));
    login_form(r, NULL);
    web_footer(r);
    return 0;
  }
  int rc = r->site->login(r, zLogin, zPassword ? zPassword : "", &err);
  if (rc == 0)
    return web_redirect(r, "%s", safe_next(web_param(r, "next")));
  if (rc != SWS_EPERM && rc != SWS_ECONFLICT)
    return rc;
  r->status = rc == SWS_ECONFLICT ? 429 : 401;
  web_header(r, _(r, "Log in"));
  if (rc == SWS_ECONFLICT) {
    long n = strtol(err.msg, NULL, 10);
    char z[300];
    snprintf(z, sizeof z,
             web_ntr(r, "Too many failed attempts. Wait %ld minute, then "
                        "try again.",
                     "Too many failed attempts. Wait %ld minutes, then try "
                     "again.",
                     n),
             n);
    http_resp_header(r->resp, "Retry-After", "60");
    web_notice(r, "error", z);
  } else {
    web_notice(r, "error", _(r, "Wrong login or password, or the account "
                               "is not active."));
  }
  login_form(r, zLogin);
  web_footer(r);
  return 0;
}

int page_logout_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc = r->site->logout(r, &err);
  if (rc != 0)
    return rc;
  return web_redirect(r, "/login?ended=logout");
}

int page_lang_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zLang = web_param(r, "lang");
  if ((zLang = web_lang_find(zLang)) == NULL)
    return web_message_page(r, 400, N_("Bad request"),
                            N_("This language is not available."));
  int rc = r->site->set_lang(r, zLang, &err);
  if (rc != 0)
    return rc;
  return web_redirect(r, "/");
}
