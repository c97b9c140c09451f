/*
 * test_web.c - the web UI's routes called directly with hand-made
 * requests (core/httpd.h allows it): login and sessions (idle and
 * absolute timeouts with SWS_NOW), login throttling, CSRF and Origin
 * refusals, the Host check, roles on pages and actions, escaping of what
 * people typed, size limits, security headers, GET never writing,
 * registration with the duplicate prompt, languages.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cases/casefile.h"
#include "cases/assessment.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/programme.h"
#include "cases/referral.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "pos/web/web.h"
#include "pos/web/web_int.h"
#include "receipts/issue.h"
#include "receipts/payload.h"
#include "receipts/render.h"
#include "tests/support.h"
#include "tests/web_client.h"

#define HOST "127.0.0.1:8080"
#define PW "correct horse battery"

static struct web *g_web;

/* The handler tests' browser (tests/web_client.h), on the office's UI. */
#define client web_client
#define client_init(c) wc_init((c), HOST, web_handler, g_web)
#define client_release(c) wc_release(c)
#define send(...) wc_send(__VA_ARGS__)
#define get(...) wc_get(__VA_ARGS__)
#define post(...) wc_post(__VA_ARGS__)
#define login(...) wc_login(__VA_ARGS__)
#define field(...) wc_field(__VA_ARGS__)
#define has(...) wc_has(__VA_ARGS__)

static int64_t audit_rows(void)
{
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM audit_log", NULL);
  return n;
}

static void setup(void)
{
  struct web_config cfg;
  t_office_setup();
  memset(&cfg, 0, sizeof cfg);
  g_web = web_open(t_ctx, &cfg);
  web_allow_host(g_web, HOST);
  unsetenv("SWS_NOW");
}

static void teardown(void)
{
  web_close(g_web);
  g_web = NULL;
  unsetenv("SWS_NOW");
  t_office_teardown();
}

/* ---- the tests --------------------------------------------------------- */

static void test_web__html_printf_escapes(void)
{
  struct web_req r;
  memset(&r, 0, sizeof r);
  buf_init(&r.out, 4096);
  html_printf(&r, "<p title=\"%h\">%h</p><a href=\"/s?q=%t\">%d %lld %zu "
                  "%.2f %c%%</a>",
              "\"'><", "<script>alert(1)</script> & co", "a b&c=d/é", 7,
              (long long)-8, (size_t)9, 0.5, '<');
  CU_ASSERT_STRING_EQUAL(
      buf_str(&r.out),
      "<p title=\"&quot;&#39;&gt;&lt;\">&lt;script&gt;alert(1)&lt;/script&gt;"
      " &amp; co</p><a href=\"/s?q=a%20b%26c%3Dd%2F%C3%A9\">7 -8 9 0.50 "
      "&lt;%</a>");
  buf_release(&r.out);
}

static void test_web__login_session_logout(void)
{
  struct client c;
  client_init(&c);
  CU_ASSERT_EQUAL(get(&c, "/"), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/login");
  CU_ASSERT_EQUAL(get(&c, "/login"), 200);
  CU_ASSERT(strstr(c.zCookie, "sws_login=") != NULL);
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/");
  CU_ASSERT(strstr(c.zCookie, "sws_sid=") != NULL);
  CU_ASSERT(strstr(c.zCookie, "sws_login=") == NULL);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "Today&#39;s visits"));
  /* only the hash of the token is stored */
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM ui_session WHERE "
           "length(token_hash) = 64 AND ended_ms IS NULL", NULL);
  CU_ASSERT_EQUAL(n, 1);
  char zOld[1024];
  sws_strlcpy(zOld, c.zCookie, sizeof zOld);
  CU_ASSERT_EQUAL(post(&c, "/logout", "x=1"), 303);
  CU_ASSERT(strstr(c.zLocation, "/login") == c.zLocation);
  CU_ASSERT(strstr(c.zCookie, "sws_sid=") == NULL);
  /* the old cookie is dead */
  sws_strlcpy(c.zCookie, zOld, sizeof c.zCookie);
  CU_ASSERT_EQUAL(get(&c, "/"), 303);
  client_release(&c);
}

static void test_web__wrong_password_and_throttle(void)
{
  struct client c;
  client_init(&c);
  CU_ASSERT_EQUAL(login(&c, "desk", "wrong+password"), 401);
  CU_ASSERT(has(&c, "Wrong login or password"));
  CU_ASSERT(strstr(c.zCookie, "sws_sid=") == NULL);
  for (int i = 0; i < 4; i++)
    login(&c, "desk", "wrong+password");
  /* the sixth attempt waits, even with the right password */
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 429);
  CU_ASSERT(has(&c, "Too many failed attempts"));
  /* another officer at the same PC is not locked out */
  struct client d;
  client_init(&d);
  CU_ASSERT_EQUAL(login(&d, "cm1", PW), 303);
  /* the login as typed is kept only as a hash */
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM ui_throttle WHERE key "
           "LIKE '%desk%'", NULL);
  CU_ASSERT_EQUAL(n, 0);
  /* failures are audited */
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM audit_log WHERE action "
           "= 'ui.login-failed'", NULL);
  CU_ASSERT_EQUAL(n, 5);
  /* twenty more failures for other logins from this computer (every
   * officer at it shares 127.0.0.1): the others are still let in */
  struct client e;
  client_init(&e);
  for (int i = 0; i < 20; i++) {
    char zWho[32];
    snprintf(zWho, sizeof zWho, "nobody%d", i);
    login(&e, zWho, "wrong+password");
  }
  CU_ASSERT_EQUAL(login(&e, "sup", PW), 303);
  client_release(&e);
  /* later (SWS_NOW moved), the wait is over */
  setenv("SWS_NOW", "2099-01-01T10:00:00Z", 1);
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 303);
  client_release(&c);
  client_release(&d);
}

/* After login, "next" leads only to a path of this server: a tab or a
 * line break that a browser drops ("/\t/evil.example" is "//evil.example"
 * to it), a second slash or a scheme lead home instead. */
static void test_web__login_next_stays_here(void)
{
  static const char *const azNext[] = {
      "%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%2Fevil.example",
      "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"};
  for (size_t i = 0; i < sizeof azNext / sizeof azNext[0]; i++) {
    struct client c;
    char zBody[512];
    client_init(&c);
    get(&c, "/login");
    snprintf(zBody, sizeof zBody, "token=%s&login=desk&password=%s&next=%s",
             field(&c, "token"), PW, azNext[i]);
    for (char *p = zBody; *p; p++)
      if (*p == ' ')
        *p = '+';
    CU_ASSERT_EQUAL(send(&c, "POST", "/login", zBody), 303);
    CU_ASSERT_STRING_EQUAL(c.zLocation, "/");
    client_release(&c);
  }
  /* a path of this server is kept */
  struct client c;
  char zBody[512];
  client_init(&c);
  get(&c, "/login");
  snprintf(zBody, sizeof zBody, "token=%s&login=desk&password=%s&next=%s",
           field(&c, "token"), PW, "%2Fsearch%3Fq%3Dsok");
  for (char *p = zBody; *p; p++)
    if (*p == ' ')
      *p = '+';
  CU_ASSERT_EQUAL(send(&c, "POST", "/login", zBody), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/search?q=sok");
  client_release(&c);
}

static void test_web__login_form_token_needed(void)
{
  struct client c;
  client_init(&c);
  CU_ASSERT_EQUAL(send(&c, "POST", "/login",
                       "token=x&login=desk&password=correct+horse+battery"),
                  403);
  CU_ASSERT(strstr(c.zCookie, "sws_sid=") == NULL);
  client_release(&c);
}

static void test_web__csrf_refused(void)
{
  struct client c;
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/register");
  int64_t before = audit_rows();
  CU_ASSERT_EQUAL(send(&c, "POST", "/register",
                       "area=V1&h_name=Dara&h_sex=M&h_born=1980"),
                  403);
  CU_ASSERT(has(&c, "Nothing was saved"));
  CU_ASSERT_EQUAL(send(&c, "POST", "/register",
                       "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&area="
                       "V1&h_name=Dara&h_sex=M&h_born=1980"),
                  403);
  CU_ASSERT_EQUAL(audit_rows(), before);
  /* the right token works */
  CU_ASSERT_EQUAL(post(&c, "/register", "area=V1&h_name=Dara&h_sex=M&"
                                        "h_born=1980&rows=4"),
                  303);
  CU_ASSERT(strncmp(c.zLocation, "/household/KH12-", 16) == 0);
  client_release(&c);
}

static void test_web__origin_refused(void)
{
  struct client c;
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/register");
  int64_t before = audit_rows();
  c.zOrigin = "http://evil.example";
  CU_ASSERT_EQUAL(post(&c, "/register", "area=V1&h_name=Dara&h_sex=M&"
                                        "h_born=1980"),
                  403);
  c.zOrigin = "null";
  CU_ASSERT_EQUAL(post(&c, "/register", "area=V1&h_name=Dara&h_sex=M&"
                                        "h_born=1980"),
                  403);
  CU_ASSERT_EQUAL(audit_rows(), before);
  c.zOrigin = "http://" HOST;
  get(&c, "/register");
  CU_ASSERT_EQUAL(post(&c, "/register", "area=V1&h_name=Dara&h_sex=M&"
                                        "h_born=1980"),
                  303);
  /* a form that is not a form */
  c.zType = "text/plain";
  CU_ASSERT_EQUAL(post(&c, "/register", "area=V1"), 415);
  client_release(&c);
}

static void test_web__wrong_host_refused(void)
{
  struct client c;
  client_init(&c);
  c.zHost = "evil.example:8080";
  CU_ASSERT_EQUAL(get(&c, "/login"), 421);
  CU_ASSERT(!has(&c, "name=\"token\""));
  c.zHost = NULL;
  CU_ASSERT_EQUAL(get(&c, "/login"), 421);
  c.zHost = "127.0.0.1:9999"; /* another port: another server */
  CU_ASSERT_EQUAL(get(&c, "/login"), 421);
  client_release(&c);
}

static void test_web__xss_escaped(void)
{
  struct client c;
  struct member_input m[2] = {
      {"Sok Dara", 'M', "1980", REL_HEAD, NULL, NULL, 0},
      {"<script>alert(1)</script>", 'F', "2010", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {"V1", "<img src=x onerror=alert(2)>", NULL,
                               NULL, m, 2, NULL};
  char zRegno[SWS_NUMBER_MAX], zPath[128];
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
  client_init(&c);
  login(&c, "desk", PW);
  snprintf(zPath, sizeof zPath, "/household/%s", zRegno);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CU_ASSERT(!has(&c, "<script>alert"));
  CU_ASSERT(has(&c, "&lt;img src=x onerror=alert(2)&gt;"));
  CU_ASSERT(!has(&c, "<img"));
  /* in the search results and a search echoing the query */
  CU_ASSERT_EQUAL(get(&c, "/search?q=%3Cscript%3Ealert"), 303);
  CU_ASSERT_EQUAL(get(&c, "/search?q=%3Cscript%3Ezzz%22%27"), 200);
  CU_ASSERT(!has(&c, "<script>zzz"));
  CU_ASSERT(has(&c, "value=\"&lt;script&gt;zzz&quot;&#39;\""));
  /* CSP forbids inline script anyway */
  CU_ASSERT(strstr(c.zCsp, "script-src 'self'") != NULL);
  CU_ASSERT(strstr(c.zCsp, "frame-ancestors 'none'") != NULL);
  client_release(&c);
}

static void test_web__roles_enforced(void)
{
  struct client c;
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  char zCase[128], zPost[160];
  snprintf(zCase, sizeof zCase, "/household/%s/case", zRegno);
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, zCase), 403);
  CU_ASSERT_EQUAL(get(&c, "/review"), 403);
  CU_ASSERT_EQUAL(get(&c, "/sync"), 403);
  CU_ASSERT_EQUAL(get(&c, "/caseload"), 403);
  get(&c, "/");
  int64_t before = audit_rows();
  CU_ASSERT_EQUAL(post(&c, zCase, "do=open"), 403); /* an action too */
  CU_ASSERT_EQUAL(audit_rows(), before);
  CU_ASSERT(!has(&c, "href=\"/caseload\""));
  client_release(&c);

  client_init(&c);
  login(&c, "cm1", PW);
  /* a case manager not covering the village: as if there were no case */
  CU_ASSERT_EQUAL(get(&c, zCase), 404);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, zCase, "do=open"), 404);
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_add(t_ctx, "cm1", "C1", &t_err));
  CU_ASSERT_EQUAL(get(&c, zCase), 200);
  CU_ASSERT_EQUAL(post(&c, zCase, "do=open"), 303);
  snprintf(zPost, sizeof zPost, "%s?done=opened", zCase);
  CU_ASSERT_STRING_EQUAL(c.zLocation, zPost);
  CU_ASSERT_EQUAL(get(&c, "/review"), 403);
  client_release(&c);

  client_init(&c);
  login(&c, "admin", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT_EQUAL(get(&c, "/search?q=Sok"), 403);
  CU_ASSERT_EQUAL(get(&c, "/sync"), 200);
  client_release(&c);

  client_init(&c);
  login(&c, "sup", PW);
  CU_ASSERT_EQUAL(get(&c, "/review"), 200);
  CU_ASSERT_EQUAL(get(&c, zCase), 200);
  client_release(&c);
}

static void test_web__sensitive_grievance_need_to_know(void)
{
  struct client c;
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX], zPath[128];
  char zHh[160];
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  struct grievance_input in = {zRegno, 0, "sensitive-abuse", "walk-in",
                               "the secret words of the complaint"};
  cases_set_actor(t_ctx, "sup"); /* not taken by the desk officer below */
  T_OK(cases_grievance_add(t_ctx, &in, zTicket, zCode, &t_err));
  snprintf(zPath, sizeof zPath, "/grievance/%s", zTicket);
  snprintf(zHh, sizeof zHh, "/household/%s", zRegno);
  /* a case manager, even one covering the village: not found */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_add(t_ctx, "cm1", "V1", &t_err));
  client_init(&c);
  login(&c, "cm1", PW);
  CU_ASSERT_EQUAL(get(&c, "/grievances"), 200);
  CU_ASSERT(!has(&c, zTicket));
  CU_ASSERT_EQUAL(get(&c, zPath), 404);
  CU_ASSERT(!has(&c, "secret words"));
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, zPath, "step=acknowledge"), 404);
  client_release(&c);
  /* the front desk: not by URL, not in the household's list or history,
   * not by the search box */
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, zPath), 404);
  CU_ASSERT(!has(&c, "secret words"));
  CU_ASSERT(!has(&c, "Abuse"));
  CU_ASSERT_EQUAL(get(&c, zHh), 200);
  CU_ASSERT(!has(&c, zTicket));
  CU_ASSERT(!has(&c, "grievance.add"));
  CU_ASSERT_EQUAL(get(&c, "/grievances?all=1"), 200);
  CU_ASSERT(!has(&c, zTicket));
  CU_ASSERT_EQUAL(get(&c, "/search?q=Sok+Dara"), 303);
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 200);
  CU_ASSERT(!has(&c, zTicket));
  /* its receipt scanned into the search box leads nowhere either */
  struct receipt_doc doc;
  struct buf q;
  cases_set_actor(t_ctx, "sup");
  T_OK(receipt_issue(t_ctx, RECEIPT_GRIEVANCE, zTicket, ROLE_SUPERVISOR, NULL,
                     NULL, &doc, &t_err));
  buf_init(&q, 4096);
  buf_puts(&q, "/search?q=");
  for (const char *p = doc.zPayload; *p; p++)
    buf_appendf(&q, "%%%02X", (unsigned char)*p);
  CU_ASSERT_EQUAL(get(&c, buf_str(&q)), 303);
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 404);
  CU_ASSERT(!has(&c, "secret words"));
  buf_release(&q);
  client_release(&c);
  client_init(&c);
  login(&c, "sup", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, zTicket)); /* on the supervisor's home page */
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "secret words"));
  CU_ASSERT_EQUAL(get(&c, zHh), 200);
  CU_ASSERT(has(&c, zTicket));
  client_release(&c);
}

/* Of an ordinary grievance the desk sees the ticket, status, layer and due
 * date; not the words, the category or the answer. */
static void test_web__desk_sees_where_a_grievance_stands(void)
{
  struct client c;
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX], zPath[128];
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  struct grievance_input in = {zRegno, 0, "payment", "walk-in",
                               "the private words of the complaint"};
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_grievance_add(t_ctx, &in, zTicket, zCode, &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "answer", "the private answer",
                            ROLE_SUPERVISOR, &t_err));
  snprintf(zPath, sizeof zPath, "/grievance/%s", zTicket);
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, zTicket));
  CU_ASSERT(has(&c, "answered"));
  CU_ASSERT(!has(&c, "private words"));
  CU_ASSERT(!has(&c, "private answer"));
  CU_ASSERT(!has(&c, "Payment late"));
  CU_ASSERT_EQUAL(get(&c, "/grievances?all=1"), 200);
  CU_ASSERT(has(&c, zTicket));
  CU_ASSERT(!has(&c, "payment"));
  client_release(&c);
}

/* Case manager cm2 tries cm1's case of a village cm2 does not cover: by
 * link and by URL, GET and POST (with cm2's own valid CSRF token). */
static void test_web__case_need_to_know(void)
{
  struct client c;
  struct case_info ci;
  char zWho[33], zCase[128], zHh[128], zRef[128];
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_case_open(t_ctx, zRegno, &ci, &t_err));
  T_OK(cases_case_assign(t_ctx, zRegno, "cm1", zWho, &t_err));
  cases_set_actor(t_ctx, "cm1");
  T_OK(cases_case_note(t_ctx, zRegno, "what only cm1 should read", &t_err));
  char zNumber[SWS_NUMBER_MAX];
  struct referral_input ri = {
      zRegno, 1, "health", "Health centre", "cough for three weeks", 0};
  T_OK(cases_referral_add(t_ctx, &ri, zNumber, &t_err));
  snprintf(zCase, sizeof zCase, "/household/%s/case", zRegno);
  snprintf(zHh, sizeof zHh, "/household/%s", zRegno);
  snprintf(zRef, sizeof zRef, "/referral/%s", zNumber);
  client_init(&c);
  login(&c, "cm2", PW);
  CU_ASSERT_EQUAL(get(&c, zHh), 200); /* the household: registry work */
  CU_ASSERT(!has(&c, zCase));         /* no link to the case */
  CU_ASSERT(!has(&c, "only cm1"));
  CU_ASSERT(!has(&c, zNumber));
  CU_ASSERT(!has(&c, "case.note"));
  CU_ASSERT_EQUAL(get(&c, zCase), 404);
  CU_ASSERT(!has(&c, "only cm1"));
  CU_ASSERT_EQUAL(get(&c, zRef), 404);
  CU_ASSERT_EQUAL(get(&c, "/caseload?all=1"), 200);
  CU_ASSERT(!has(&c, zRegno));
  get(&c, "/");
  int64_t before = audit_rows();
  CU_ASSERT_EQUAL(post(&c, zCase, "do=note&text=planted"), 404);
  CU_ASSERT_EQUAL(post(&c, zCase, "do=assign&to=cm2"), 404);
  CU_ASSERT_EQUAL(post(&c, zRef, "step=cancel"), 404);
  CU_ASSERT_EQUAL(audit_rows(), before);
  /* covering the commune, cm2 reads and works it, but taking cm1's case
   * is a supervisor's decision */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_area_add(t_ctx, "cm2", "C1", &t_err));
  before = audit_rows();
  CU_ASSERT_EQUAL(get(&c, zCase), 200);
  CU_ASSERT(has(&c, "only cm1"));
  CU_ASSERT_EQUAL(post(&c, zCase, "do=assign&to=cm2"), 422);
  CU_ASSERT(has(&c, "supervisor"));
  CU_ASSERT_EQUAL(post(&c, zCase, "do=assign&to="), 422);
  CU_ASSERT_EQUAL(audit_rows(), before);
  T_OK(cases_case_get_open(t_ctx, zRegno, &ci, &t_err));
  CU_ASSERT_STRING_EQUAL(ci.zManager, "cm1");
  client_release(&c);
  /* the supervisor reassigns */
  client_init(&c);
  login(&c, "sup", PW);
  CU_ASSERT_EQUAL(get(&c, zCase), 200);
  CU_ASSERT_EQUAL(post(&c, zCase, "do=assign&to=cm2"), 303);
  client_release(&c);
}

/* A cookie from before a password change (or a deactivation) leads to the
 * login page: the change ended the session. */
static void test_web__password_change_ends_sessions(void)
{
  struct client c, d;
  int64_t n = 0;
  client_init(&c);
  login(&c, "cm1", PW);
  client_init(&d);
  login(&d, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_set_password(t_ctx, "cm1", "another long password", &t_err));
  T_OK(db_int64(t_ctx->db, &n, 0,
                "SELECT count(*) FROM ui_session WHERE login = 'cm1' AND "
                "end_reason = 'revoked'",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(get(&c, "/caseload"), 303);
  CU_ASSERT_EQUAL(strncmp(c.zLocation, "/login", 6), 0);
  CU_ASSERT_EQUAL(get(&d, "/"), 200); /* another account: still in */
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_set_active(t_ctx, "desk", 0, &t_err));
  CU_ASSERT_EQUAL(get(&d, "/"), 303);
  CU_ASSERT_EQUAL(strncmp(d.zLocation, "/login", 6), 0);
  client_release(&c);
  client_release(&d);
}

static void test_web__oversized_body_refused(void)
{
  struct client c;
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/register");
  size_t n = WEB_MAX_BODY + 1000;
  char *z = sws_malloc(n + 64);
  int k = snprintf(z, n + 64, "csrf=%s&h_name=", field(&c, "csrf"));
  memset(z + k, 'a', n - (size_t)k);
  z[n] = '\0';
  CU_ASSERT_EQUAL(send(&c, "POST", "/register", z), 413);
  free(z);
  /* too many fields */
  struct buf b;
  buf_init(&b, (size_t)1 << 20);
  buf_appendf(&b, "csrf=%s", field(&c, "csrf"));
  for (int i = 0; i < 600; i++)
    buf_appendf(&b, "&f%d=1", i);
  CU_ASSERT_EQUAL(send(&c, "POST", "/register", buf_str(&b)), 413);
  buf_release(&b);
  client_release(&c);
}

static void test_web__session_timeouts(void)
{
  struct client c;
  client_init(&c);
  setenv("SWS_NOW", "2030-05-01T08:00:00Z", 1);
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 303);
  setenv("SWS_NOW", "2030-05-01T08:29:00Z", 1);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  /* 31 minutes without use: logged out */
  setenv("SWS_NOW", "2030-05-01T09:00:00Z", 1);
  CU_ASSERT_EQUAL(get(&c, "/"), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/login?ended=idle");
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM ui_session WHERE "
           "end_reason = 'idle'", NULL);
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(get(&c, "/login?ended=idle"), 200);
  CU_ASSERT(has(&c, "not used for a while"));
  /* used every 20 minutes, still ends after 12 hours */
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 303);
  int ok = 1;
  for (int min = 20; min <= 12 * 60; min += 20) {
    char z[40];
    snprintf(z, sizeof z, "2030-05-01T%02d:%02d:00Z", 9 + min / 60,
             min % 60);
    setenv("SWS_NOW", z, 1);
    ok &= get(&c, "/") == 200;
  }
  CU_ASSERT(ok);
  setenv("SWS_NOW", "2030-05-01T21:10:00Z", 1);
  CU_ASSERT_EQUAL(get(&c, "/"), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/login?ended=expired");
  /* a deactivated account's session ends at once */
  setenv("SWS_NOW", "2030-05-02T08:00:00Z", 1);
  CU_ASSERT_EQUAL(login(&c, "desk", PW), 303);
  cases_set_actor(t_ctx, "admin");
  T_OK(cases_user_set_active(t_ctx, "desk", 0, &t_err));
  CU_ASSERT_EQUAL(get(&c, "/"), 303);
  client_release(&c);
}

static void test_web__get_never_writes(void)
{
  struct client c;
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  char z[160];
  client_init(&c);
  login(&c, "sup", PW);
  int64_t before = audit_rows();
  static const char *const azPath[] = {
      "/", "/search?q=Sok", "/register", "/grievances", "/grievance/new",
      "/caseload", "/review", "/sync", "/logout", "/register?more=1"};
  for (size_t i = 0; i < sizeof azPath / sizeof azPath[0]; i++)
    get(&c, azPath[i]);
  snprintf(z, sizeof z, "/household/%s", zRegno);
  CU_ASSERT_EQUAL(get(&c, z), 200);
  snprintf(z, sizeof z, "/household/%s/case?do=open", zRegno);
  CU_ASSERT_EQUAL(get(&c, z), 200);
  snprintf(z, sizeof z, "/household/%s/edit", zRegno);
  CU_ASSERT_EQUAL(get(&c, z), 200);
  CU_ASSERT_EQUAL(audit_rows(), before);
  /* GET /logout is not a route: logging out is a POST */
  CU_ASSERT_EQUAL(get(&c, "/logout"), 405);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  client_release(&c);
}

static void test_web__register_with_duplicate_prompt(void)
{
  struct client c;
  const char *zOld = t_household("Sok Dara", 'M', "1980", "V1");
  char zOldCopy[SWS_NUMBER_MAX];
  sws_strlcpy(zOldCopy, zOld, sizeof zOldCopy);
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/register");
  CU_ASSERT_EQUAL(post(&c, "/register", "rows=4&area=V2&h_name=Sok+Dara&"
                                        "h_sex=M&h_born=1981&m1_name=Sok+"
                                        "Lina&m1_sex=F&m1_born=2012&m1_rel="
                                        "child"),
                  422);
  CU_ASSERT(has(&c, "class=\"card dup\""));
  CU_ASSERT(has(&c, zOldCopy));
  CU_ASSERT(has(&c, "name=\"force_reason\""));
  CU_ASSERT(has(&c, "name=\"m1_name\" value=\"Sok Lina\""));
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM household", NULL);
  CU_ASSERT_EQUAL(n, 1);
  /* register anyway, with the reason */
  CU_ASSERT_EQUAL(post(&c, "/register", "rows=4&area=V2&h_name=Sok+Dara&"
                                        "h_sex=M&h_born=1981&m1_name=Sok+"
                                        "Lina&m1_sex=F&m1_born=2012&m1_rel="
                                        "child&force_reason=another+man"),
                  303);
  CU_ASSERT(strstr(c.zLocation, "done=forced") != NULL);
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM duplicate_flag", NULL);
  CU_ASSERT_EQUAL(n, 1);
  /* a mistake is said, and what was typed kept */
  get(&c, "/register");
  CU_ASSERT_EQUAL(post(&c, "/register", "rows=4&area=V2&h_name=Chan+Sophal&"
                                        "h_sex=F&h_born=2999"),
                  422);
  CU_ASSERT(has(&c, "class=\"notice error\""));
  CU_ASSERT(has(&c, "value=\"Chan Sophal\""));
  /* every mistake of the form at once: the head's birth date, a member's
   * sex, another's phone, the village; nothing saved */
  get(&c, "/register");
  CU_ASSERT_EQUAL(post(&c, "/register",
                       "rows=4&area=&h_name=Chan+Sophal&"
                       "h_sex=F&h_born=2999&m1_name=Chan+"
                       "Dara&m1_born=2010&m1_rel=child&"
                       "m2_name=Chan+Lina&m2_sex=F&m2_born="
                       "2012&m2_rel=child&m2_phone=12ab"),
                  422);
  CU_ASSERT(has(&c, "<li>the birth date of Chan Sophal"));
  CU_ASSERT(has(&c, "<li>Chan Dara: choose female or male.</li>"));
  CU_ASSERT(has(&c, "<li>the phone of Chan Lina"));
  CU_ASSERT(has(&c, "<li>Choose the village.</li>"));
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM household", NULL);
  CU_ASSERT_EQUAL(n, 2);
  client_release(&c);
}

static void test_web__khmer_pages(void)
{
  struct client c;
  if (web_i18n_init(NULL) == NULL) {
    fprintf(stderr, "\n  (no Khmer catalogue built: skipped)\n");
    return;
  }
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=km"), 303);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "<html lang=\"km\">"));
  CU_ASSERT(has(&c, "\xe1\x9e\x9f\xe1\x9f\x92\xe1\x9e\x9c\xe1\x9f\x82"
                    "\xe1\x9e\x84\xe1\x9e\x9a\xe1\x9e\x80")); /* ស្វែងរក */
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=xx"), 400);
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=en"), 303);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "<html lang=\"en\">"));
  client_release(&c);
}

/* Mongolian: chosen by each officer, kept across logins; the header
 * offers the two other languages, each named in itself. */
static void test_web__mongolian_pages(void)
{
  struct client c;
  if (web_i18n_init(NULL) == NULL) {
    fprintf(stderr, "\n  (no catalogue built: skipped)\n");
    return;
  }
  client_init(&c);
  login(&c, "desk", PW);
  get(&c, "/");
  CU_ASSERT(has(&c, "value=\"km\" lang=\"km\""));
  CU_ASSERT(has(&c, "value=\"mn\" lang=\"mn\">Монгол</button>"));
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=mn"), 303);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "<html lang=\"mn\">"));
  CU_ASSERT(has(&c, "Хайх"));        /* Search */
  CU_ASSERT(has(&c, "Өрх бүртгэх")); /* Register a household */
  CU_ASSERT(has(&c, "value=\"en\" lang=\"en\">English</button>"));
  CU_ASSERT(!has(&c, "value=\"mn\" lang=\"mn\""));
  client_release(&c);
  /* the choice is the officer's: the next login is in Mongolian */
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "<html lang=\"mn\">"));
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=en"), 303);
  client_release(&c);
}

/* What goes wrong is told in the officer's language: the messages of
 * cases/ and core/ (made while the request is served), with the field's
 * name in it; the household's history names each action in that
 * language too. Each officer has their own; the thread keeps no
 * translator after the request. */
static void test_web__errors_and_history_in_the_officers_language(void)
{
  static const struct {
    const char *zLang, *zLabel, *zWhy, *zArea, *zRegistered;
  } L[] = {
      {"km", "ថ្ងៃខែឆ្នាំកំណើតរបស់ Chan Sophal", "មិនមែនជាថ្ងៃខែឆ្នាំកំណើតដែលអាចទៅរួចទេ",
       "មិនមានតំបន់ដែលមានលេខកូដ", "បានចុះឈ្មោះគ្រួសារ"},
      {"mn", "Chan Sophal-ийн төрсөн огноо", "нь боломжит төрсөн огноо биш",
       "кодтой нутаг дэвсгэр алга", "Өрхийг бүртгэсэн"},
      {"en", "the birth date of Chan Sophal", "is not a possible birth date",
       "no area with code", "household registered"},
  };
  struct client c, d;
  char zPath[160];
  if (web_i18n_init(NULL) == NULL) {
    fprintf(stderr, "\n  (no catalogue built: skipped)\n");
    return;
  }
  snprintf(zPath, sizeof zPath, "/household/%s",
           t_household("Sok Dara", 'M', "1980", "V1"));
  client_init(&c);
  login(&c, "desk", PW);
  for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
    char zLang[16];
    snprintf(zLang, sizeof zLang, "lang=%s", L[i].zLang);
    get(&c, "/");
    CU_ASSERT_EQUAL(post(&c, "/language", zLang), 303);
    get(&c, "/register");
    CU_ASSERT_EQUAL(post(&c, "/register",
                         "area=V1&h_name=Chan+Sophal&"
                         "h_sex=F&h_born=2999"),
                    422);
    CU_ASSERT(has(&c, L[i].zLabel));
    CU_ASSERT(has(&c, L[i].zWhy));
    CU_ASSERT(has(&c, "2999"));
    CU_ASSERT(i == 2 || !has(&c, "is not a possible birth date"));
    /* a message of cases/ itself */
    get(&c, "/register");
    CU_ASSERT_EQUAL(post(&c, "/register",
                         "area=NOWHERE&h_name=Chan+Sophal&"
                         "h_sex=F&h_born=1990"),
                    422);
    CU_ASSERT(has(&c, L[i].zArea));
    CU_ASSERT(has(&c, "NOWHERE"));
    CU_ASSERT_EQUAL(get(&c, zPath), 200);
    CU_ASSERT(has(&c, L[i].zRegistered));
    CU_ASSERT(!has(&c, "household.register"));
  }
  /* two officers, two languages, one server */
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=km"), 303);
  client_init(&d);
  login(&d, "sup", PW);
  get(&d, "/");
  CU_ASSERT_EQUAL(post(&d, "/language", "lang=mn"), 303);
  get(&c, "/register");
  post(&c, "/register", "area=V1&h_name=Chan+Sophal&h_sex=F&h_born=2999");
  CU_ASSERT(has(&c, L[0].zWhy));
  get(&d, "/register");
  post(&d, "/register", "area=V1&h_name=Chan+Sophal&h_sex=F&h_born=2999");
  CU_ASSERT(has(&d, L[1].zWhy));
  CU_ASSERT(!has(&d, L[0].zWhy));
  /* after the requests, this thread's messages are English again */
  struct sws_err e = SWS_ERR_INIT;
  sws_err_set(&e, SWS_EINVAL, "no area with code '%s'; see 'sws area list'",
              "X");
  CU_ASSERT_STRING_EQUAL(e.msg, "no area with code 'X'; see 'sws area list'");
  post(&c, "/language", "lang=en");
  post(&d, "/language", "lang=en");
  client_release(&c);
  client_release(&d);
}

/* The questionnaire speaks the officer's language where it gives one,
 * English where it does not. */
static void test_web__questionnaire_in_the_officers_language(void)
{
  static const char INSTRUMENT[] =
      "{\"code\": \"needs\", \"version\": 3, \"title\": \"Needs\", "
      "\"currency\": \"MNT\", \"questions\": ["
      "{\"id\": \"income_monthly\", \"domain\": \"income\", \"type\": "
      "\"number\", \"text\": {\"en\": \"Income in tugrik\", \"km\": "
      "\"ប្រាក់ចំណូល\", \"mn\": \"Орлого, төгрөгөөр\"}},"
      "{\"id\": \"housing_type\", \"domain\": \"housing\", \"type\": "
      "\"choice\", \"text\": {\"en\": \"Home\", \"mn\": \"Орон сууц\"}, "
      "\"options\": [{\"value\": \"ger\", \"text\": {\"en\": \"A ger\", "
      "\"mn\": \"Гэр\"}}, {\"value\": \"house\", \"text\": "
      "\"A house\"}]}], \"bands\": [{\"from\": 0, \"label\": \"low\"}]}";
  struct instrument_load_report rep;
  struct client c;
  char zPath[160];
  if (web_i18n_init(NULL) == NULL) {
    fprintf(stderr, "\n  (no catalogue built: skipped)\n");
    return;
  }
  T_OK(cases_instrument_load(t_ctx, INSTRUMENT, strlen(INSTRUMENT), &rep,
                             &t_err));
  snprintf(zPath, sizeof zPath, "/household/%s/assessment/new",
           t_household("Sok Dara", 'M', "1980", "V1"));
  client_init(&c);
  login(&c, "sup", PW);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=mn"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "Орлого, төгрөгөөр"));
  CU_ASSERT(has(&c, "Гэр"));
  CU_ASSERT(has(&c, "A house")); /* no Mongolian given: English */
  CU_ASSERT(!has(&c, "Income in tugrik"));
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=km"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "ប្រាក់ចំណូល"));
  CU_ASSERT(has(&c, "Home")); /* no Khmer given */
  CU_ASSERT(!has(&c, "Орлого"));
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=en"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "Income in tugrik"));
  CU_ASSERT(!has(&c, "Орлого"));
  client_release(&c);
}

/* The score explained, its band and the screening's reasons in the
 * officer's language; English where the files give no other. */
static void test_web__explanations_in_the_officers_language(void)
{
  static const char INSTRUMENT[] =
      "{\"code\": \"needs\", \"version\": 3, \"title\": \"Needs\", "
      "\"questions\": [{\"id\": \"income_monthly\", \"domain\": "
      "\"income\", \"type\": \"number\", \"text\": \"Income\"}], "
      "\"rules\": [{\"id\": \"poor\", \"if\": \"income_monthly < 100\", "
      "\"points\": 5, \"explain\": {\"en\": \"a low income\", \"km\": "
      "\"ចំណូលទាប\", \"mn\": \"орлого бага\"}}, {\"id\": \"plain\", "
      "\"if\": \"income_monthly < 100\", \"points\": 1, \"explain\": "
      "\"said in English only <b>bold</b>\"}], \"bands\": [{\"from\": 0, "
      "\"label\": "
      "\"low\"}, {\"from\": 5, \"label\": {\"en\": \"high\", \"km\": "
      "\"ខ្ពស់\", \"mn\": \"өндөр\"}}]}";
  static const char CATALOGUE[] =
      "{\"version\": 9, \"programmes\": [{\"code\": \"aid\", \"name\": "
      "\"Aid\", \"agency\": \"A\", \"guarantee\": \"health\", "
      "\"level\": \"household\", \"rules\": [{\"if\": \"income_monthly "
      "< 100\", \"explain\": {\"en\": \"poor enough\", \"mn\": "
      "\"хангалттай ядуу\"}}]}]}";
  struct instrument_load_report rep;
  struct programme_load_report prep;
  struct case_info ci;
  struct client c;
  const char *az[] = {"income_monthly=50"};
  char zPath[160], zScreen[160], zHh[160];
  int64_t n;
  if (web_i18n_init(NULL) == NULL) {
    fprintf(stderr, "\n  (no catalogue built: skipped)\n");
    return;
  }
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  T_OK(cases_instrument_load(t_ctx, INSTRUMENT, strlen(INSTRUMENT), &rep,
                             &t_err));
  T_OK(
      cases_programme_load(t_ctx, CATALOGUE, strlen(CATALOGUE), &prep, &t_err));
  T_OK(cases_case_open(t_ctx, zRegno, &ci, &t_err));
  T_OK(cases_assessment_add(t_ctx, zRegno, NULL, az, 1, &n, &t_err));
  snprintf(zPath, sizeof zPath, "/assessment/%lld", (long long)n);
  snprintf(zScreen, sizeof zScreen, "/household/%s/screening", zRegno);
  snprintf(zHh, sizeof zHh, "/household/%s", zRegno);
  client_init(&c);
  login(&c, "sup", PW);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=mn"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "орлого бага"));
  CU_ASSERT(has(&c, "(өндөр)"));
  CU_ASSERT(has(&c, "said in English only &lt;b&gt;bold&lt;/b&gt;"));
  CU_ASSERT(!has(&c, "<b>bold"));
  CU_ASSERT(!has(&c, "a low income"));
  CU_ASSERT_EQUAL(get(&c, zScreen), 200);
  CU_ASSERT(has(&c, "хангалттай ядуу"));
  CU_ASSERT(has(&c, "өндөр"));
  CU_ASSERT(!has(&c, "poor enough"));
  CU_ASSERT_EQUAL(get(&c, zHh), 200);
  CU_ASSERT(has(&c, "6.0 өндөр"));
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=km"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "ចំណូលទាប"));
  CU_ASSERT(has(&c, "(ខ្ពស់)"));
  CU_ASSERT_EQUAL(get(&c, zScreen), 200);
  CU_ASSERT(has(&c, "poor enough")); /* no Khmer given */
  CU_ASSERT_EQUAL(post(&c, "/language", "lang=en"), 303);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "a low income"));
  CU_ASSERT(has(&c, "(high)"));
  CU_ASSERT(!has(&c, "орлого бага"));
  client_release(&c);
}

static void test_web__not_found_and_methods(void)
{
  struct client c;
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, "/household/KH12-999999-9"), 404);
  CU_ASSERT_EQUAL(get(&c, "/no/such/page"), 404);
  CU_ASSERT_EQUAL(send(&c, "DELETE", "/", NULL), 405);
  CU_ASSERT_EQUAL(get(&c, "/static/sws.css"), 200);
  CU_ASSERT_EQUAL(get(&c, "/search?q=%ZZ"), 400);
  client_release(&c);
}

static void test_web__household_edit_deactivate_move(void)
{
  struct client c;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zPath[160], zWant[200];
  sws_strlcpy(zA, t_household("Sok Dara", 'M', "1980", "V1"), sizeof zA);
  sws_strlcpy(zB, t_household("Chan Sophal", 'F', "1985", "V2"), sizeof zB);
  client_init(&c);
  login(&c, "desk", PW);
  /* the household's address */
  snprintf(zPath, sizeof zPath, "/household/%s/edit", zA);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT_EQUAL(post(&c, zPath, "area=V1&address=Street+5&phone="), 303);
  snprintf(zWant, sizeof zWant, "/household/%s?done=edited", zA);
  CU_ASSERT_STRING_EQUAL(c.zLocation, zWant);
  /* a member added, changed, then moved to the other household */
  snprintf(zPath, sizeof zPath, "/household/%s/member/new", zA);
  get(&c, zPath);
  CU_ASSERT_EQUAL(post(&c, zPath, "name=Sok+Mony&sex=F&born=2012&rel=child"),
                  303);
  /* t_household's family has two members: the new one is member 3 */
  snprintf(zPath, sizeof zPath, "/household/%s/member/3", zA);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "value=\"Sok Mony\""));
  CU_ASSERT_EQUAL(post(&c, zPath, "name=Sok+Monyrath&sex=F&born=2012&"
                                  "rel=child&status=active"),
                  303);
  CU_ASSERT(strstr(c.zLocation, "done=member-edited") != NULL);
  get(&c, zPath);
  CU_ASSERT(has(&c, "value=\"Sok Monyrath\""));
  char zBody[200];
  snprintf(zBody, sizeof zBody, "do=move&to=%s&rel=other-relative", zB);
  CU_ASSERT_EQUAL(post(&c, zPath, zBody), 303);
  snprintf(zWant, sizeof zWant, "/household/%s?done=member-moved#members",
           zB);
  CU_ASSERT_STRING_EQUAL(c.zLocation, zWant);
  /* the head cannot move */
  snprintf(zPath, sizeof zPath, "/household/%s/member/1", zA);
  get(&c, zPath);
  CU_ASSERT(!has(&c, "value=\"move\""));
  /* deactivate needs a reason; then the household cannot be changed */
  snprintf(zPath, sizeof zPath, "/household/%s/edit", zA);
  get(&c, zPath);
  CU_ASSERT_EQUAL(post(&c, zPath, "do=deactivate&reason="), 422);
  get(&c, zPath);
  CU_ASSERT_EQUAL(post(&c, zPath, "do=deactivate&reason=moved+away"), 303);
  snprintf(zPath, sizeof zPath, "/household/%s", zA);
  get(&c, zPath);
  CU_ASSERT(has(&c, "This household is deactivated."));
  CU_ASSERT(!has(&c, "/member/new"));
  snprintf(zPath, sizeof zPath, "/household/%s/edit", zA);
  get(&c, zPath);
  CU_ASSERT(!has(&c, "name=\"address\""));
  CU_ASSERT_EQUAL(post(&c, zPath, "do=reactivate&reason=came+back"), 303);
  CU_ASSERT(strstr(c.zLocation, "done=reactivated") != NULL);
  client_release(&c);
}

static void test_web__receipt_print_view_and_scan(void)
{
  struct client c, other;
  struct receipt_doc doc;
  char zRegno[SWS_NUMBER_MAX], zPath[160], zSerialPath[64];
  sws_strlcpy(zRegno, t_household("Sok Dara", 'M', "1980", "V1"),
              sizeof zRegno);
  client_init(&c);
  login(&c, "desk", PW);
  snprintf(zPath, sizeof zPath, "/household/%s", zRegno);
  get(&c, zPath);
  CU_ASSERT(has(&c, "Print the receipt"));
  CU_ASSERT(has(&c, "<option value=\"mn\" lang=\"mn\">Монгол</option>"));
  CU_ASSERT(has(&c, "<option value=\"en\" lang=\"en\" selected>"));
  snprintf(zPath, sizeof zPath, "/receipt/registration/%s", zRegno);
  CU_ASSERT_EQUAL(post(&c, zPath, "width=80"), 303);
  CU_ASSERT(strncmp(c.zLocation, "/receipt/", 9) == 0);
  size_t n = strcspn(c.zLocation, "?");
  memcpy(zSerialPath, c.zLocation, n);
  zSerialPath[n] = '\0';
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 200);
  CU_ASSERT(has(&c, "class=\"receipt w80\""));
  CU_ASSERT(has(&c, "<svg class=\"qr\""));
  CU_ASSERT(has(&c, zRegno));
  CU_ASSERT(has(&c, "Household registration receipt"));
  /* the family's language, chosen for this receipt (a copy, in
   * Mongolian; the officer's pages stay English) */
  CU_ASSERT_EQUAL(post(&c, zPath, "width=80&lang=mn"), 303);
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 200);
  CU_ASSERT(has(&c, "Өрхийн бүртгэлийн баримт"));
  CU_ASSERT(has(&c, "<html lang=\"en\">"));
  /* a language receipts are not written in: the officer's */
  CU_ASSERT_EQUAL(post(&c, zPath, "width=80&lang=xx"), 303);
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 200);
  CU_ASSERT(has(&c, "Household registration receipt"));
  /* a printer that is not set up */
  CU_ASSERT_EQUAL(post(&c, zPath, "printer=1"), 400);
  /* another officer's session does not get this print view */
  client_init(&other);
  login(&other, "cm1", PW);
  CU_ASSERT_EQUAL(get(&other, zSerialPath), 200);
  CU_ASSERT(!has(&other, "<svg class=\"qr\""));
  CU_ASSERT(has(&other, "Print a copy"));
  client_release(&other);
  /* the scanner types the receipt's code into the search box */
  cases_set_actor(t_ctx, "desk");
  T_OK(receipt_issue(t_ctx, RECEIPT_REGISTRATION, zRegno, ROLE_FRONT_DESK,
                     NULL, NULL, &doc, &t_err));
  struct buf q;
  buf_init(&q, 4096);
  buf_puts(&q, "/search?q=");
  for (const char *p = doc.zPayload; *p; p++)
    buf_appendf(&q, "%%%02X", (unsigned char)*p);
  CU_ASSERT_EQUAL(get(&c, buf_str(&q)), 303);
  snprintf(zPath, sizeof zPath, "/household/%s?receipt=1", zRegno);
  CU_ASSERT_STRING_EQUAL(c.zLocation, zPath);
  /* an altered code is refused, not searched for as a name */
  char *zBad = sws_strdup(doc.zPayload);
  size_t k = strlen(zBad) / 2;
  zBad[k] = zBad[k] == '7' ? '8' : '7';
  buf_reset(&q);
  buf_puts(&q, "/search?q=");
  for (const char *p = zBad; *p; p++)
    buf_appendf(&q, "%%%02X", (unsigned char)*p);
  CU_ASSERT_EQUAL(get(&c, buf_str(&q)), 422);
  CU_ASSERT(has(&c, "does not check out"));
  free(zBad);
  buf_release(&q);
  client_release(&c);
}

static void test_web__thermal_printer(void)
{
  struct client c;
  struct web_config cfg;
  char zPrinter[300], zPath[160];
  snprintf(zPrinter, sizeof zPrinter, "%s/lp0", t_tmpdir());
  FILE *f = fopen(zPrinter, "w"); /* the device: it exists, sws writes */
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fclose(f);
  web_close(g_web);
  memset(&cfg, 0, sizeof cfg);
  cfg.zPrinter = zPrinter;
  g_web = web_open(t_ctx, &cfg);
  web_allow_host(g_web, HOST);
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  client_init(&c);
  login(&c, "desk", PW);
  snprintf(zPath, sizeof zPath, "/household/%s", zRegno);
  get(&c, zPath);
  CU_ASSERT(has(&c, "Send to the receipt printer"));
  snprintf(zPath, sizeof zPath, "/receipt/registration/%s", zRegno);
  CU_ASSERT_EQUAL(post(&c, zPath, "printer=1&width=58"), 303);
  CU_ASSERT(strstr(c.zLocation, "printed=1") != NULL);
  f = fopen(zPrinter, "rb");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  unsigned char head[2] = {0, 0};
  size_t n = fread(head, 1, 2, f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  CU_ASSERT_EQUAL(n, 2);
  CU_ASSERT_EQUAL(head[0], 0x1b); /* ESC @: the printer is initialised */
  CU_ASSERT_EQUAL(head[1], '@');
  CU_ASSERT(size > 1000);
  /* a printer that is gone: nothing issued, the officer is told */
  unlink(zPrinter);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, zPath, "printer=1"), 422);
  CU_ASSERT(has(&c, "cannot be opened"));
  client_release(&c);
}

/* A conflict the registry raised about the name of zRegno's head: the
 * registry kept "Sok Dara", this office had typed zOurs. */
static int64_t name_conflict(const char *zRegno, const char *zOurs)
{
  struct household h;
  sqlite3_stmt *q;
  char zLocal[64];
  int64_t id = 0;
  T_OK(cases_household_get(t_ctx, zRegno, &h, &t_err));
  snprintf(zLocal, sizeof zLocal, "\"%s\"", zOurs);
  T_OK(cases_op_begin(t_ctx, "test.conflict", &t_err));
  T_OK(db_prepare(t_ctx->db, &q,
                  "INSERT INTO sync_conflict(origin, seq, entity, "
                  "entity_id, field, local_value, server_value, reason, at) "
                  "VALUES ('push', 7, 'member', :id, 'name', :lv, "
                  "'\"Sok Dara\"', 'changed here and elsewhere', "
                  "sws_now())",
                  &t_err));
  db_bind_text(q, ":id", h.aMember[0].zId);
  db_bind_text(q, ":lv", zLocal);
  CU_ASSERT_EQUAL(db_step(t_ctx->db, q, &t_err), DB_DONE);
  db_done(t_ctx->db, q);
  T_OK(cases_op_end(t_ctx, 0, NULL, NULL, NULL, &t_err));
  cases_household_release(&h);
  db_int64(t_ctx->db, &id, 0, "SELECT max(id) FROM sync_conflict", NULL);
  return id;
}

static int64_t open_conflicts(void)
{
  int64_t n = -1;
  db_int64(t_ctx->db, &n, -1, "SELECT count(*) FROM sync_conflict WHERE "
           "status = 'open'", NULL);
  return n;
}

static void test_web__sync_conflict_resolve_roles_and_csrf(void)
{
  struct client c;
  char zPath[64], zForm[80];
  const char *zRegno = t_household("Sok Dara", 'M', "1980", "V1");
  int64_t id = name_conflict(zRegno, "Sok Daro");
  snprintf(zPath, sizeof zPath, "/sync/conflict/%lld", (long long)id);
  snprintf(zForm, sizeof zForm, "action=\"%s\"", zPath);

  /* the front desk sees no queue and cannot post a decision */
  client_init(&c);
  login(&c, "desk", PW);
  CU_ASSERT_EQUAL(get(&c, "/review"), 403);
  CU_ASSERT_EQUAL(get(&c, "/sync"), 403);
  get(&c, "/");
  CU_ASSERT(!has(&c, "Keep registry"));
  int64_t before = audit_rows();
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=use-office&back=review"), 403);
  CU_ASSERT_EQUAL(audit_rows(), before);
  CU_ASSERT_EQUAL(open_conflicts(), 1);
  client_release(&c);

  /* a case manager neither */
  client_init(&c);
  login(&c, "cm1", PW);
  get(&c, "/");
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=keep-registry"), 403);
  CU_ASSERT_EQUAL(open_conflicts(), 1);
  client_release(&c);

  /* the supervisor gets both buttons on the review page */
  client_init(&c);
  login(&c, "sup", PW);
  CU_ASSERT_EQUAL(get(&c, "/review"), 200);
  CU_ASSERT(has(&c, zForm));
  CU_ASSERT(has(&c, "Keep registry"));
  CU_ASSERT(has(&c, "Use ours"));
  CU_ASSERT(has(&c, "Sok Daro"));
  before = audit_rows();
  /* without the CSRF token, or with another, nothing happens */
  CU_ASSERT_EQUAL(send(&c, "POST", zPath, "choice=use-office&back=review"),
                  403);
  CU_ASSERT(has(&c, "Nothing was saved"));
  CU_ASSERT_EQUAL(send(&c, "POST", zPath,
                       "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&"
                       "choice=use-office&back=review"),
                  403);
  CU_ASSERT_EQUAL(audit_rows(), before);
  CU_ASSERT_EQUAL(open_conflicts(), 1);
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=maybe&back=review"), 400);
  CU_ASSERT_EQUAL(open_conflicts(), 1);
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, "/sync/conflict/999", "choice=use-office"), 404);
  /* with it, the office's value is set again and the item closed */
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=use-office&back=review&note="
                                  "family+book"),
                  303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/review?done=resolved");
  CU_ASSERT_EQUAL(open_conflicts(), 0);
  struct household h;
  T_OK(cases_household_get(t_ctx, zRegno, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.aMember[0].zName, "Sok Daro");
  cases_household_release(&h);
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM audit_log WHERE action "
           "= 'sync.resolve' AND actor = 'sup'", NULL);
  CU_ASSERT_EQUAL(n, 1);
  db_int64(t_ctx->db, &n, 0, "SELECT count(*) FROM sync_conflict WHERE "
           "resolved_by = 'sup' AND note = 'family book'", NULL);
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(get(&c, "/review?done=resolved"), 200);
  CU_ASSERT(has(&c, "The conflict was decided"));
  /* twice: refused, said on the page */
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=keep-registry&back=review"), 422);
  CU_ASSERT(has(&c, "already resolved"));
  client_release(&c);

  /* the administrator decides from the sync page */
  int64_t id2 = name_conflict(zRegno, "Sok Dary");
  snprintf(zPath, sizeof zPath, "/sync/conflict/%lld", (long long)id2);
  client_init(&c);
  login(&c, "admin", PW);
  CU_ASSERT_EQUAL(get(&c, "/sync"), 200);
  CU_ASSERT(has(&c, "Keep registry"));
  CU_ASSERT_EQUAL(post(&c, zPath, "choice=keep-registry&back=review"), 303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/sync?done=resolved");
  CU_ASSERT_EQUAL(open_conflicts(), 0);
  T_OK(cases_household_get(t_ctx, zRegno, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.aMember[0].zName, "Sok Daro"); /* unchanged */
  cases_household_release(&h);
  client_release(&c);
}

static int64_t flags_with(const char *zStatus)
{
  int64_t n = -1;
  sqlite3_stmt *q;
  if (db_prepare(t_ctx->db, &q,
                 "SELECT count(*) FROM duplicate_flag WHERE status = :st",
                 NULL) == 0) {
    db_bind_text(q, ":st", zStatus);
    if (db_step(t_ctx->db, q, NULL) == DB_ROW)
      n = db_col_int64(q, 0);
    db_done(t_ctx->db, q);
  }
  return n;
}

static int64_t first_open_flag(void)
{
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0,
           "SELECT min(id) FROM duplicate_flag WHERE "
           "status = 'open'",
           NULL);
  return n;
}

/* The duplicate queue (cases/review.h): every pair reachable a page at a
 * time, filters, decisions with CSRF; the front desk and case managers
 * refused by link and by direct URL or POST; the administrator decides. */
static void test_web__duplicate_queue_pages_decisions_roles(void)
{
  struct client c;
  char zPath[64], zForm[80];
  /* each household resembles the others by its child: 12 give 65 pairs */
  for (int i = 0; i < 12; i++)
    t_household("Sok Dara", 'M', "1980", "V1");
  CU_ASSERT_EQUAL_FATAL(flags_with("open"), 65);
  int64_t id = first_open_flag();
  snprintf(zPath, sizeof zPath, "/review/duplicate/%lld", (long long)id);
  snprintf(zForm, sizeof zForm, "action=\"%s\"", zPath);

  const char *azRefused[] = {"desk", "cm1"};
  for (int i = 0; i < 2; i++) {
    client_init(&c);
    login(&c, azRefused[i], PW);
    get(&c, "/");
    CU_ASSERT(!has(&c, "href=\"/review\""));
    int64_t before = audit_rows();
    CU_ASSERT_EQUAL(post(&c, zPath, "decision=different&reason=no"), 403);
    CU_ASSERT_EQUAL(get(&c, "/review"), 403);
    CU_ASSERT_EQUAL(get(&c, "/review?page=2"), 403);
    CU_ASSERT_EQUAL(audit_rows(), before);
    client_release(&c);
  }
  CU_ASSERT_EQUAL(flags_with("open"), 65);

  client_init(&c);
  login(&c, "sup", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "Possible duplicates to decide: 65"));
  CU_ASSERT_EQUAL(get(&c, "/review"), 200);
  CU_ASSERT(has(&c, "Page 1 / 2 (65)"));
  CU_ASSERT(has(&c, zForm));
  CU_ASSERT(has(&c, "member 1 of KH12-"));
  CU_ASSERT(has(&c, "href=\"/review?page=2&amp;source=&amp;village=\""));
  CU_ASSERT_EQUAL(get(&c, "/review?page=2"), 200);
  CU_ASSERT(has(&c, "Page 2 / 2 (65)"));
  CU_ASSERT(!has(&c, zForm)); /* the first pair is on page 1 */
  CU_ASSERT_EQUAL(get(&c, "/review?village=V2"), 200);
  CU_ASSERT(has(&c, "Nothing to review."));
  CU_ASSERT_EQUAL(get(&c, "/review?source=import"), 200);
  CU_ASSERT(has(&c, "Nothing to review."));
  CU_ASSERT_EQUAL(get(&c, "/review?source=phone"), 200);
  CU_ASSERT(has(&c, "unknown source"));
  /* without the CSRF token nothing happens */
  get(&c, "/review");
  int64_t before = audit_rows();
  CU_ASSERT_EQUAL(send(&c, "POST", zPath, "decision=different&reason=x"), 403);
  CU_ASSERT_EQUAL(audit_rows(), before);
  /* different families needs a reason */
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath, "decision=different&reason=+"), 422);
  CU_ASSERT(has(&c, "say why"));
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath, "decision=maybe"), 400);
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath,
                       "decision=different&reason=two+fathers"
                       "&page=1&source=counter&village=V1"),
                  303);
  CU_ASSERT_STRING_EQUAL(c.zLocation, "/review?done=different&page=1&"
                                      "source=counter&village=V1");
  CU_ASSERT_EQUAL(flags_with("different"), 1);
  CU_ASSERT_EQUAL(get(&c, c.zLocation), 200);
  CU_ASSERT(has(&c, "will not be raised again"));
  CU_ASSERT(has(&c, "Page 1 / 2 (64)"));
  /* decided: refused, said on the page */
  CU_ASSERT_EQUAL(post(&c, zPath, "decision=same"), 422);
  CU_ASSERT(has(&c, "already decided"));
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, "/review/duplicate/99999", "decision=same"), 404);
  /* the same family: both households say a merge waits */
  int64_t id2 = first_open_flag();
  char zPath2[64];
  snprintf(zPath2, sizeof zPath2, "/review/duplicate/%lld", (long long)id2);
  get(&c, "/review");
  CU_ASSERT_EQUAL(post(&c, zPath2, "decision=same"), 303);
  char zMerged[SWS_NUMBER_MAX] = "";
  sqlite3_stmt *q;
  if (db_prepare(t_ctx->db, &q,
                 "SELECT h.regno FROM duplicate_merge m JOIN household h ON "
                 "h.id = m.merged_id",
                 NULL) == 0) {
    if (db_step(t_ctx->db, q, NULL) == DB_ROW)
      snprintf(zMerged, sizeof zMerged, "%s", db_col_str(q, 0));
    db_done(t_ctx->db, q);
  }
  char zHh[80];
  snprintf(zHh, sizeof zHh, "/household/%s", zMerged);
  CU_ASSERT_EQUAL(get(&c, zHh), 200);
  CU_ASSERT(has(&c, "Proposed for merging into KH12-"));
  CU_ASSERT(has(&c, "waiting for the registry"));
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "Merges waiting for the central registry: 1"));
  client_release(&c);

  /* the office administrator decides too */
  client_init(&c);
  login(&c, "admin", PW);
  CU_ASSERT_EQUAL(get(&c, "/"), 200);
  CU_ASSERT(has(&c, "href=\"/review\""));
  CU_ASSERT_EQUAL(get(&c, "/review"), 200);
  int64_t id3 = first_open_flag();
  snprintf(zPath, sizeof zPath, "/review/duplicate/%lld", (long long)id3);
  CU_ASSERT_EQUAL(post(&c, zPath, "decision=different&reason=checked"), 303);
  CU_ASSERT_EQUAL(flags_with("different"), 2);
  client_release(&c);
}

/* Every time on a page is the office's local time (Phnom Penh, UTC+7):
 * a family registered at 20:00 UTC on 1 March was registered on 2 March
 * at 03:00 for the officer who reads it; what is kept stays UTC. */
static void test_web__times_in_local_time(void)
{
  struct client c;
  char zPath[160], zRegno[SWS_NUMBER_MAX];
  setenv("SWS_NOW", "2026-03-01T20:00:00Z", 1);
  sws_strlcpy(zRegno, t_household("Sok Dara", 'M', "1980", "V1"),
              sizeof zRegno);
  client_init(&c);
  login(&c, "desk", PW);
  snprintf(zPath, sizeof zPath, "/household/%s", zRegno);
  CU_ASSERT_EQUAL(get(&c, zPath), 200);
  CU_ASSERT(has(&c, "2026-03-02 03:00"));
  CU_ASSERT(!has(&c, "2026-03-01T20:00:00Z"));
  int64_t n = 0;
  db_int64(t_ctx->db, &n, 0,
           "SELECT count(*) FROM household WHERE created_at = "
           "'2026-03-01T20:00:00Z'",
           NULL);
  CU_ASSERT_EQUAL(n, 1);
  client_release(&c);
  unsetenv("SWS_NOW");
}

static CU_TestInfo tests[] = {
    {"test_web__html_printf_escapes", test_web__html_printf_escapes},
    {"test_web__login_session_logout", test_web__login_session_logout},
    {"test_web__wrong_password_and_throttle",
     test_web__wrong_password_and_throttle},
    {"test_web__login_next_stays_here", test_web__login_next_stays_here},
    {"test_web__login_form_token_needed", test_web__login_form_token_needed},
    {"test_web__csrf_refused", test_web__csrf_refused},
    {"test_web__origin_refused", test_web__origin_refused},
    {"test_web__wrong_host_refused", test_web__wrong_host_refused},
    {"test_web__xss_escaped", test_web__xss_escaped},
    {"test_web__roles_enforced", test_web__roles_enforced},
    {"test_web__sensitive_grievance_need_to_know",
     test_web__sensitive_grievance_need_to_know},
    {"test_web__desk_sees_where_a_grievance_stands",
     test_web__desk_sees_where_a_grievance_stands},
    {"test_web__case_need_to_know", test_web__case_need_to_know},
    {"test_web__password_change_ends_sessions",
     test_web__password_change_ends_sessions},
    {"test_web__oversized_body_refused", test_web__oversized_body_refused},
    {"test_web__session_timeouts", test_web__session_timeouts},
    {"test_web__get_never_writes", test_web__get_never_writes},
    {"test_web__register_with_duplicate_prompt",
     test_web__register_with_duplicate_prompt},
    {"test_web__khmer_pages", test_web__khmer_pages},
    {"test_web__mongolian_pages", test_web__mongolian_pages},
    {"test_web__errors_and_history_in_the_officers_language",
     test_web__errors_and_history_in_the_officers_language},
    {"test_web__times_in_local_time", test_web__times_in_local_time},
    {"test_web__questionnaire_in_the_officers_language",
     test_web__questionnaire_in_the_officers_language},
    {"test_web__explanations_in_the_officers_language",
     test_web__explanations_in_the_officers_language},
    {"test_web__not_found_and_methods", test_web__not_found_and_methods},
    {"test_web__household_edit_deactivate_move",
     test_web__household_edit_deactivate_move},
    {"test_web__receipt_print_view_and_scan",
     test_web__receipt_print_view_and_scan},
    {"test_web__thermal_printer", test_web__thermal_printer},
    {"test_web__sync_conflict_resolve_roles_and_csrf",
     test_web__sync_conflict_resolve_roles_and_csrf},
    {"test_web__duplicate_queue_pages_decisions_roles",
     test_web__duplicate_queue_pages_decisions_roles},
    CU_TEST_INFO_NULL,
};

static int suite_init(void)
{
  return sws_crypto_init(NULL);
}

static int suite_clean(void)
{
  /* the thermal printer test rendered through Pango and fontconfig */
  receipt_render_shutdown();
  return 0;
}

CU_SuiteInfo suite_web = {"web", suite_init, suite_clean, setup, teardown,
                          tests};
