/*
 * web_int.h - what the pages of the web UI share: the request being
 * answered, html_printf, the header and footer, sessions and CSRF, roles,
 * and the page functions the route table (route.c) names.
 *
 * A page is a C function that checks nothing the route table already
 * checked (method, login, role, CSRF token, Origin), reads its parameters
 * with web_param, and either writes HTML with html_printf between
 * web_header and web_footer, or, after a POST that changed something,
 * answers 303 with web_redirect (POST-redirect-GET). GET never writes.
 */
#ifndef SWS_POS_WEB_WEB_INT_H
#define SWS_POS_WEB_WEB_INT_H

#include <stdarg.h>

#include "cases/permit.h"
#include "cases/user.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/form.h"
#include "pos/web/web.h"

/* A receipt just printed, kept for its print view (page_receipt.c). */
struct web_receipt {
  int64_t session; /* the session that printed it */
  int64_t serial;
  int64_t expires; /* ms */
  char *zHtml;     /* the receipt as HTML (owned) */
};
#define WEB_RECEIPTS_KEPT 16

struct web {
  struct sws_ctx *ctx;
  struct web_config cfg;
  struct web_receipt aReceipt[WEB_RECEIPTS_KEPT];
};

#define WEB_MAX_ARGS 3
#define WEB_ARG_MAX 128
#define WEB_TOKEN_CHARS 43 /* base64url of 32 bytes */
#define WEB_MAX_OUT ((size_t)8 << 20)

struct web_req;

/* A page of a UI's route table: method, path ('*' is one path piece),
 * the page, and what it needs (CAP_PUBLIC: nothing; else a login and
 * whatever the site's can() says). */
struct web_route {
  const char *zMethod; /* "GET" or "POST" */
  const char *zPattern;
  int (*fn)(struct web_req *);
  int cap;
};

/* What makes a UI of the shared front door (front.c): the office's
 * (route.c) or the registry's (central_route.c). */
struct web_site {
  const struct web_route *aRoute;
  size_t nRoute;
  /* its cookies' prefix ("sws": sws_sid, sws_login), so that both UIs
   * served by one computer keep their sessions apart (a cookie is the
   * host's, whatever the port) */
  const char *zCookie;
  /* the session of the request's cookie: fills bAuth, user, zCsrf,
   * zLang */
  int (*session_load)(struct web_req *r, struct sws_err *err);
  /* 1 if the logged-in user may use a route needing cap */
  int (*can)(const struct web_req *r, int cap);
  /* log in (SWS_EPERM wrong, SWS_ECONFLICT wait: err's message the
   * minutes), log out, store the user's language */
  int (*login)(struct web_req *r, const char *zLogin, const char *zPassword,
               struct sws_err *err);
  int (*logout)(struct web_req *r, struct sws_err *err);
  int (*set_lang)(struct web_req *r, const char *zLang, struct sws_err *err);
  /* the header bar's links of a logged-in user, and their role's name */
  void (*nav)(struct web_req *r);
  const char *(*role_label)(const struct web_req *r);
};

/* The office UI's bar and role names (layout.c). */
void web_office_nav(struct web_req *r);
const char *web_office_role_label(const struct web_req *r);

struct web_req {
  struct web *w;
  struct sws_ctx *ctx; /* the office's (NULL at the registry) */
  const struct web_site *site;
  void *app; /* the registry UI's request state */
  const struct http_req *req;
  struct http_resp *resp;
  int bPost;
  struct form query; /* the query string */
  struct form form;  /* the POST body */
  struct buf out;    /* the page being written */
  char azArg[WEB_MAX_ARGS][WEB_ARG_MAX]; /* path pieces matched by '*' */
  int nArg;
  /* the session (bAuth 0: nobody logged in) */
  int bAuth;
  struct user user;
  int64_t sessionId;
  char zCsrf[WEB_TOKEN_CHARS + 1];
  char zSidCookie[40], zLoginCookie[40]; /* the site's cookie names */
  char zLang[4]; /* "en", "km" or "mn" (web_langs) */
  sws_err_tr_fn trOld; /* the thread's translator before this request */
  void *trOldArg;
  char zEnded[12]; /* why the session just ended (idle, expired...) */
  int status;    /* of the page written (200 unless set) */
};

/* ---- output ---------------------------------------------------------- */

/*
 * Append to the page. Conversions: %h text, HTML-escaped (& < > " ' ;
 * NULL prints nothing); %t text percent-encoded for a URL (and so safe in
 * an attribute); %T a stored UTC time, shown "YYYY-MM-DD HH:MM" in the
 * office's time zone (sws_time_local), escaped; %d int; %lld long long; %zu
 * size_t; %.Nf double (N one digit); %c a char (escaped); %% a percent sign; %s
 * raw text, for constants of the program only (scripts/lint.sh flags it in
 * html_printf). Anything else is a bug (assert).
 */
void html_printf(struct web_req *r, const char *zFmt, ...);
void html_vprintf(struct buf *b, const char *zFmt, va_list ap);
/* As html_printf, into b. */
void html_bprintf(struct buf *b, const char *zFmt, ...);
/* Append constant HTML as it is. */
void html_raw(struct web_req *r, const char *zHtml);
/* Escape z into b. */
void html_escape(struct buf *b, const char *z);

/* The translation of msgid in the request's language (gettext). */
const char *web_tr(const struct web_req *r, const char *zMsgid);

/* The phrase for an audit log action ("household.register": "household
 * registered") in r's language; an action it does not know as recorded
 * (pos/web/actions.c). */
const char *web_action_text(const struct web_req *r, const char *zAction);

/* The name of a record's state ("received", "in-progress"...) in r's
 * language; a state it does not know as recorded (pos/web/actions.c). */
const char *web_state_text(const struct web_req *r, const char *zState);

/* Error messages made while r is served (sws_err_set, core/err.h) are in
 * its officer's language: from begin to end (web_req_begin and
 * web_req_end call them). */
void web_err_translate_begin(struct web_req *r);
void web_err_translate_end(struct web_req *r);

/* The UI's languages: code and name in the language itself, in the order
 * the header offers them; ends with {NULL, NULL}. */
struct web_lang {
  const char *zCode, *zName;
};
extern const struct web_lang web_langs[];
/* ... with a plural form for n. */
const char *web_ntr(const struct web_req *r, const char *zSing,
                    const char *zPlural, long n);
#define _(r, s) web_tr((r), (s))
#define N_(s) (s) /* marks a string for translation where it is defined */

/* Start the page: doctype, head, the bar with the officer's links. */
void web_header(struct web_req *r, const char *zTitle);
/* A link of the header bar (marked when it is the page shown). */
void web_nav_link(struct web_req *r, const char *zHref, const char *zText,
                  const char *zKey);
/* End the page. */
void web_footer(struct web_req *r);
/* A whole page with a title and one message, with status. */
int web_message_page(struct web_req *r, int status, const char *zTitle,
                     const char *zMessage);
/* A small label after a value: " <span class="tag zClass">zText</span>". */
void web_tag(struct web_req *r, const char *zClass, const char *zText);
/* A message box (class: "ok", "error", "warn"). */
void web_notice(struct web_req *r, const char *zClass, const char *zText);
/* Say what went wrong with an officer's action: the message of err when
 * it is about their input (invalid, not found, conflict, duplicate, too
 * big, not allowed), a general one otherwise (never database details). */
void web_error_notice(struct web_req *r, const struct sws_err *err);

/* <form method="post" action="zAction"> with the CSRF token; zAction is
 * escaped. Close it with html_raw(r, "</form>"). */
void web_form_open(struct web_req *r, const char *zAction,
                   const char *zClass);

/* Answer 303 See Other to a local path built like html_printf (use %t
 * for values). */
int web_redirect(struct web_req *r, const char *zFmt, ...);

/* A parameter: from the POST body for a POST, else from the query string.
 * NULL when absent. */
const char *web_param(const struct web_req *r, const char *zName);
/* As web_param, "" when absent, surrounding spaces removed (into a buffer
 * owned by the request until the next call with the same slot). */
const char *web_param_trim(struct web_req *r, const char *zName);

/* ---- knowing a browser (token.c; both UIs) ------------------------------ */

/* login throttling: failures allowed before waiting (per login, per
 * client address), the first wait and its cap; failures older than the
 * window are forgotten */
#define WEB_LOGIN_FREE 5
#define WEB_ADDR_FREE 20
#define WEB_WAIT_FIRST_MS ((int64_t)30 * 1000)
#define WEB_WAIT_MAX_MS ((int64_t)15 * 60 * 1000)
#define WEB_FAIL_WINDOW_MS ((int64_t)60 * 60 * 1000)

/* The value of cookie zName in the request, into out; 0 if absent. */
int web_cookie(const struct web_req *r, const char *zName, char *out, size_t n);
/* Set cookie zName (HttpOnly, SameSite=Strict, Secure over HTTPS); an
 * empty value removes it. */
void web_set_cookie(struct web_req *r, const char *zName, const char *zValue);
/* The session cookie's name (the site's, __Host- prefixed over HTTPS). */
const char *web_sid_cookie(const struct web_req *r);
/* 1 if z looks like a token (WEB_TOKEN_CHARS base64url characters). */
int web_token_shape_ok(const char *z);
/* A new random 256-bit token. */
void web_new_token(char out[WEB_TOKEN_CHARS + 1]);
/* Hex SHA-256 of zTag and z: how a session token is kept. */
void web_token_hash(char out[65], const char *zTag, const char *z);
/* The CSRF token of session token zToken. */
void web_csrf_of(char out[WEB_TOKEN_CHARS + 1], const char *zToken);
/* 1 if zToken is the session's CSRF token. */
int web_csrf_ok(const struct web_req *r, const char *zToken);
/* The login form's own token (double-submit cookie), set on the response
 * if absent; zOut gets it. 1 if a posted one matches the cookie. */
void web_login_token(struct web_req *r, char zOut[WEB_TOKEN_CHARS + 1]);
int web_login_token_ok(const struct web_req *r, const char *zPosted);
/* After a login: the session cookie set to zToken, the login form's gone. */
void web_session_cookies(struct web_req *r, const char *zToken);
/* The throttling keys of a login attempt: the login's (by its hash) and
 * the client address's; *pbLocal 1 for a loopback client, whose address
 * is not throttled (every officer at the computer shares it). */
void web_throttle_keys(const struct web_req *r, const char *zLogin,
                       char zKeyLogin[80], char zKeyAddr[80], int *pbLocal);
/* How long to refuse a key after nFailures (nFree allowed), in ms (0:
 * not at all): doubling from WEB_WAIT_FIRST_MS up to WEB_WAIT_MAX_MS. */
int64_t web_throttle_wait(int64_t nFailures, int nFree);

/* ---- the office's sessions (session.c) --------------------------------- */

/* Load the session of the request's cookie, ending it when idle or too
 * old; fills r->bAuth, r->user, r->zCsrf, r->zLang. */
int web_session_load(struct web_req *r, struct sws_err *err);
/* Check a login; on success start a session and set its cookie. Failures
 * are counted and slowed down. SWS_EPERM (wrong), SWS_ECONFLICT (wait). */
int web_session_login(struct web_req *r, const char *zLogin,
                      const char *zPassword, struct sws_err *err);
/* End the request's session and clear the cookie. */
int web_session_logout(struct web_req *r, struct sws_err *err);
/* Store the officer's language. */
int web_session_set_lang(struct web_req *r, const char *zLang,
                         struct sws_err *err);

/* ---- the front door (front.c) ------------------------------------------ */

/* Start answering req with site (r owns its buffers until web_req_end). */
void web_req_begin(struct web_req *r, struct web *w,
                   const struct web_site *site, const struct http_req *req,
                   struct http_resp *resp);
/* Every check of the front door, then the page (route.c explains them):
 * the page's return code. */
int web_dispatch(struct web_req *r);
/* Write the answer (a failed page, rc != 0, becomes a fixed 500 page),
 * add the security headers, release r. */
void web_req_end(struct web_req *r, int rc);

/* ---- pages ------------------------------------------------------------- */

int page_login(struct web_req *r);
int page_login_post(struct web_req *r);
int page_logout_post(struct web_req *r);
int page_lang_post(struct web_req *r);
int page_home(struct web_req *r);
int page_search(struct web_req *r);
int page_register(struct web_req *r);
int page_register_post(struct web_req *r);
int page_household(struct web_req *r);
int page_household_edit(struct web_req *r);
int page_household_edit_post(struct web_req *r);
int page_member_new(struct web_req *r);
int page_member_new_post(struct web_req *r);
int page_member_edit(struct web_req *r);
int page_member_edit_post(struct web_req *r);
int page_case(struct web_req *r);
int page_case_post(struct web_req *r);
int page_caseload(struct web_req *r);
int page_referral_new(struct web_req *r);
int page_referral_new_post(struct web_req *r);
int page_referral(struct web_req *r);
int page_referral_step_post(struct web_req *r);
int page_grievances(struct web_req *r);
int page_grievance_new(struct web_req *r);
int page_grievance_new_post(struct web_req *r);
int page_grievance(struct web_req *r);
int page_grievance_step_post(struct web_req *r);
int page_review(struct web_req *r);
int page_review_duplicate_post(struct web_req *r);
int page_sync(struct web_req *r);
int page_sync_conflict_post(struct web_req *r);
int page_assessment_new(struct web_req *r);
int page_assessment_new_post(struct web_req *r);
int page_assessment(struct web_req *r);
int page_screening(struct web_req *r);
int page_enrol_post(struct web_req *r);
int page_receipt(struct web_req *r);
int page_receipt_post(struct web_req *r);
int page_reports(struct web_req *r);

/* Receipts (page_receipt.c): print buttons for a record, the household's
 * receipts, a scanned code in the search box (1 when it was one and the
 * page is written), the kept print views. */
void web_receipt_buttons(struct web_req *r, const char *zKind,
                         const char *zNumber);
void web_receipt_section(struct web_req *r, const char *zHouseholdId);
int web_search_receipt(struct web_req *r, const char *zQ);
void web_receipts_release(struct web *w);

/* Shared by the household and registration pages (page_household.c). */
const char *web_relationship_label(const struct web_req *r, int rel);
const char *web_role_label(const struct web_req *r, int role);
/* "Village (Commune)" for a village code, escaped into the page. */
void web_area_label(struct web_req *r, const char *zCode);
/* <select name=zName> of the villages, zSelected chosen. */
void web_village_select(struct web_req *r, const char *zName,
                        const char *zSelected);

#endif
