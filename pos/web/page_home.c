/*
 * page_home.c - the first page after login, one per role: the front desk
 * gets the search box (with the focus, for the scanner) and today's
 * visits; a case manager the caseload, overdue first; a supervisor the
 * review queues and sensitive grievances; an administrator the office and
 * sync.
 */
#include <stdio.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/grievance.h"
#include "cases/office.h"
#include "cases/review.h"
#include "core/clock.h"
#include "pos/web/web_int.h"

static void big_search(struct web_req *r)
{
  html_printf(r,
              "<form method=\"get\" action=\"/search\" class=\"big-search\" "
              "role=\"search\">\n<label for=\"q\">%h</label>\n"
              "<input type=\"search\" id=\"q\" name=\"q\" autofocus "
              "accesskey=\"s\" autocomplete=\"off\" placeholder=\"%h\">\n"
              "<button type=\"submit\">%h</button>\n</form>\n"
              "<p class=\"actions\"><a class=\"button\" href=\"/register\">"
              "%h</a> <a class=\"button secondary\" href=\"/grievance/new\">"
              "%h</a></p>\n",
              _(r, "Find a household: name (any script, with the birth "
                   "year to tell namesakes apart), registration number, "
                   "national ID, phone, or scan a receipt"),
              _(r, "Name, number, ID, phone"), _(r, "Search"),
              _(r, "Register a household"), _(r, "Take a grievance"));
}

/* Households registered or changed today (from the audit log). */
static void todays_visits(struct web_req *r)
{
  sqlite3_stmt *q;
  char zToday[32], zWhen[40];
  int n = 0;
  sws_local_day_start(zToday, sizeof zToday, sws_now_ms());
  html_printf(r, "<h2>%h</h2>\n", _(r, "Today's visits"));
  if (db_prepare(r->ctx->db, &q,
                 "SELECT h.regno, coalesce((SELECT m.name FROM member m "
                 "WHERE m.household_id = h.id AND m.relationship = 'head' "
                 "AND m.status = 'active'), ''), h.area_code, "
                 "max(a.at), count(*), min(a.action) FROM audit_log a JOIN "
                 "household h ON h.id = a.entity_id WHERE a.entity = "
                 "'household' AND a.at >= :today GROUP BY h.id ORDER BY "
                 "max(a.id) DESC LIMIT 50",
                 NULL) != 0)
    return;
  db_bind_text(q, ":today", zToday);
  while (db_step(r->ctx->db, q, NULL) == DB_ROW) {
    if (n++ == 0)
      html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                     "<th>%h</th></tr></thead><tbody>\n",
                  _(r, "Registration number"), _(r, "Head of household"),
                  _(r, "Village"), _(r, "Last change"));
    html_printf(r, "<tr><td><a href=\"/household/%t\">%h</a></td><td>%h</td>"
                   "<td>",
                db_col_str(q, 0), db_col_str(q, 0), db_col_str(q, 1));
    web_area_label(r, db_col_str(q, 2));
    sws_time_local(zWhen, sizeof zWhen, db_col_str(q, 3));
    html_printf(r, "</td><td>%h</td></tr>\n",
                strlen(zWhen) > 11 ? zWhen + 11 : zWhen);
  }
  db_done(r->ctx->db, q);
  if (n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "No household registered or changed today yet."));
}

struct load_ctx {
  struct web_req *r;
  int n, nMax;
};

static int caseload_row(const struct caseload_row *c, void *arg)
{
  struct load_ctx *l = arg;
  struct web_req *r = l->r;
  if (l->n == l->nMax)
    return 1;
  if (l->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th><th>%h</th></tr></thead><tbody>\n",
                _(r, "Household"), _(r, "Head"), _(r, "Case manager"),
                _(r, "Next action"), _(r, "Referrals open"));
  html_printf(r,
              "<tr><td><a href=\"/household/%t/case\">%h</a></td><td>%h</td>"
              "<td>%h</td><td>",
              c->zRegno, c->zRegno, c->zHead,
              c->zManager[0] ? c->zManager : _(r, "(not assigned)"));
  if (c->nOverdue)
    html_printf(r, "<span class=\"overdue\">%h: %d</span> ",
                _(r, "Overdue"), c->nOverdue);
  if (c->zNextDue[0])
    html_printf(r, "%h (%h)", c->zNextAction, c->zNextDue);
  html_printf(r, "</td><td>%d</td></tr>\n", c->nOpenReferrals);
  return 0;
}

/* The caseload (of zLogin, or all when NULL), at most nMax rows. */
void web_caseload_table(struct web_req *r, const char *zLogin, int nMax);
void web_caseload_table(struct web_req *r, const char *zLogin, int nMax)
{
  struct load_ctx l = {r, 0, nMax};
  cases_caseload(r->ctx, r->user.role, zLogin, caseload_row, &l, NULL);
  if (l.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No open cases."));
}

static int64_t count(struct web_req *r, const char *zSql)
{
  int64_t n = 0;
  db_int64(r->ctx->db, &n, 0, zSql, NULL);
  return n;
}

struct griev_ctx {
  struct web_req *r;
  int n;
};

static int sensitive_row(const struct grievance_row *g, void *arg)
{
  struct griev_ctx *c = arg;
  struct web_req *r = c->r;
  if (!g->sensitive)
    return 0;
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th></tr></thead><tbody>\n",
                _(r, "Ticket"), _(r, "Status"), _(r, "Layer"), _(r, "Due"));
  html_printf(r, "<tr><td><a href=\"/grievance/%t\">%h</a></td><td>%h</td>"
                 "<td>%h</td><td class=\"%h\">%h</td></tr>\n",
              g->zTicket, g->zTicket, _(r, g->zStatus), _(r, g->zLayer),
              g->overdue ? "overdue" : "", g->zDue);
  return 0;
}

/* The duplicate queue's counts (cases/review.h), linked to it. */
static void duplicates_line(struct web_req *r)
{
  struct review_counts n;
  struct sws_err err = SWS_ERR_INIT;
  if (cases_review_counts(r->ctx, &n, &err) != 0) {
    web_error_notice(r, &err);
    return;
  }
  html_printf(r,
              "<li><a href=\"/review\">%h: %lld</a> (%h %lld, %h %lld)"
              "</li>\n",
              _(r, "Possible duplicates to decide"), (long long)n.nOpen,
              _(r, "at the counter"), (long long)n.nCounter, _(r, "on import"),
              (long long)n.nImport);
  if (n.nWaiting)
    html_printf(r, "<li>%h: %lld</li>\n",
                _(r, "Merges waiting for the central registry"),
                (long long)n.nWaiting);
}

static void supervisor_home(struct web_req *r)
{
  int64_t nSync = count(r, "SELECT (SELECT count(*) FROM sync_verdict WHERE "
                           "status = 'open') + (SELECT count(*) FROM "
                           "sync_conflict WHERE status = 'open')");
  html_printf(r, "<h2>%h</h2>\n<ul>\n", _(r, "To review"));
  duplicates_line(r);
  html_printf(r, "<li><a href=\"/sync\">%h: %lld</a></li>\n</ul>\n",
              _(r, "Sync conflicts and rejected changes"), (long long)nSync);
  html_printf(r, "<h2>%h</h2>\n", _(r, "Sensitive grievances"));
  struct griev_ctx c = {r, 0};
  cases_grievance_list(r->ctx, 0, r->user.role, NULL, sensitive_row, &c, NULL);
  if (c.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "No sensitive grievance is open."));
}

int page_home(struct web_req *r)
{
  int role = r->user.role;
  web_header(r, _(r, "Home"));
  if (role == ROLE_ADMIN) {
    struct office_info o;
    if (cases_office_get(r->ctx, &o, NULL) == 0)
      html_printf(r, "<dl class=\"facts\"><dt>%h</dt><dd>%h (%h)</dd>"
                     "</dl>\n",
                  _(r, "Office"), o.zName, o.zCode);
    html_printf(r, "<h2>%h</h2>\n<ul>\n", _(r, "To review"));
    duplicates_line(r);
    html_raw(r, "</ul>\n");
    html_printf(r, "<p>%h</p>\n<p><a class=\"button\" href=\"/sync\">%h</a>"
                   "</p>\n",
                _(r, "Accounts and areas are managed with the sws command "
                     "line (sws user, sws area). The registry's records are "
                     "for the front desk, case managers and supervisors."),
                _(r, "Sync status"));
    web_footer(r);
    return 0;
  }
  big_search(r);
  if (role == ROLE_SUPERVISOR)
    supervisor_home(r);
  if (role == ROLE_CASE_MANAGER) {
    html_printf(r, "<h2>%h</h2>\n", _(r, "My caseload (overdue first)"));
    web_caseload_table(r, r->user.zLogin, 15);
    html_printf(r, "<p><a href=\"/caseload\">%h</a></p>\n",
                _(r, "The whole caseload"));
  }
  todays_visits(r);
  web_footer(r);
  return 0;
}

int page_caseload(struct web_req *r)
{
  const char *zWho = web_param(r, "all") ? NULL : r->user.zLogin;
  if (r->user.role == ROLE_SUPERVISOR)
    zWho = web_param(r, "mine") ? r->user.zLogin : NULL;
  web_header(r, _(r, "Caseload"));
  html_printf(r, "<p class=\"muted\">%h</p>\n",
              _(r, "Open cases; those with overdue plan actions first, then "
                   "by the next action due."));
  if (r->user.role == ROLE_CASE_MANAGER)
    html_printf(r, "<p><a href=\"/caseload%h\">%h</a></p>\n",
                zWho ? "?all=1" : "",
                zWho ? _(r, "Show every case manager's cases")
                     : _(r, "Show only my cases"));
  web_caseload_table(r, zWho, 500);
  web_footer(r);
  return 0;
}
