/*
 * page_grievance.c - grievances: the list (as much of each as the officer
 * may see, cases/access.h), intake at the counter (for a household or
 * anonymous, with the follow-up code shown once), one ticket with its timeline,
 * and its steps (acknowledge, review, escalate, answer, close, appeal).
 */
#include <stdio.h>
#include <string.h>

#include "cases/grievance.h"
#include "cases/household.h"
#include "pos/web/web_forms.h"

/* Words of the grievance tables, for the catalogue. */
static const char *const WORDS[] = {
    N_("received"), N_("acknowledged"), N_("under-review"), N_("escalated"),
    N_("answered"), N_("review"), N_("appealed"), N_("village"),
    N_("commune"), N_("district"), N_("province"), N_("national"),
    N_("walk-in"), N_("phone"), N_("letter"), N_("hotline"),
    N_("acknowledge"), N_("escalate"), N_("answer"), N_("close"),
    N_("appeal"),
    /* the built-in categories (data/grievance.json) */
    N_("Left out of a programme the family should be in"),
    N_("Someone receives a benefit they should not"),
    N_("Payment late, short or missing"),
    N_("Conduct of staff or officials"),
    N_("Wrong personal data in the registry"),
    N_("Quality or access of a service"),
    N_("Abuse, exploitation or violence (sensitive)"), N_("Other"),
};

struct list_ctx {
  struct web_req *r;
  int n;
};

static int list_row(const struct grievance_row *g, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
  (void)WORDS;
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>\n",
                _(r, "Ticket"), _(r, "Household"), _(r, "Category"),
                _(r, "Status"), _(r, "Layer"), _(r, "Due"));
  html_printf(r, "<tr><td><a href=\"/grievance/%t\">%h</a>", g->zTicket,
              g->zTicket);
  if (g->sensitive)
    web_tag(r, "bad", _(r, "sensitive"));
  html_raw(r, "</td><td>");
  if (!g->whole)
    html_printf(r, "<span class=\"muted\">%h</span>", _(r, "not shown"));
  else if (g->zRegno[0])
    html_printf(r, "<a href=\"/household/%t\">%h</a>", g->zRegno, g->zRegno);
  else
    html_printf(r, "<span class=\"muted\">%h</span>", _(r, "anonymous"));
  html_printf(r, "</td><td>%h</td><td>%h</td><td>%h</td><td class=\"%h\">%h"
                 "</td></tr>\n",
              g->zCategory, _(r, g->zStatus), _(r, g->zLayer),
              g->overdue ? "overdue" : "", g->zDue);
  return 0;
}

int page_grievances(struct web_req *r)
{
  int bAll = web_param(r, "all") != NULL;
  web_header(r, _(r, "Grievances"));
  html_printf(r, "<div class=\"actions\"><a class=\"button\" href=\""
                 "/grievance/new\">%h</a></div>\n"
                 "<form method=\"get\" action=\"/grievance/lookup\" "
                 "class=\"row\"><div><label for=\"code\">%h</label><input "
                 "type=\"text\" id=\"code\" name=\"code\" size=\"16\" "
                 "maxlength=\"48\"></div><div><button type=\"submit\">%h"
                 "</button></div></form>\n",
              _(r, "Take a grievance"),
              _(r, "Ticket number or anonymous follow-up code"),
              _(r, "Find"));
  html_printf(r, "<h2>%h</h2>\n<p><a href=\"/grievances%h\">%h</a></p>\n",
              bAll ? _(r, "All grievances") : _(r, "Open grievances, oldest "
                                                  "deadline first"),
              bAll ? "" : "?all=1",
              bAll ? _(r, "Show only open ones") : _(r, "Show all"));
  struct list_ctx c = {r, 0};
  cases_grievance_list(r->ctx, bAll, r->user.role, NULL, list_row, &c, NULL);
  if (c.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No grievances."));
  web_footer(r);
  return 0;
}

static int category_options(struct web_req *r, const char *zSelected)
{
  sqlite3_stmt *q;
  if (db_prepare(r->ctx->db, &q,
                 "SELECT code, name, sensitive FROM grievance_category WHERE "
                 "active = 1 ORDER BY code",
                 NULL) != 0)
    return -1;
  while (db_step(r->ctx->db, q, NULL) == DB_ROW)
    html_printf(r, "<option value=\"%h\"%h>%h</option>", db_col_str(q, 0),
                zSelected && strcmp(zSelected, db_col_str(q, 0)) == 0
                    ? " selected"
                    : "",
                _(r, db_col_str(q, 1)));
  db_done(r->ctx->db, q);
  return 0;
}

static void intake_form(struct web_req *r)
{
  const char *zHh = web_param_trim(r, "household");
  const char *zChannel = web_param_trim(r, "channel");
  web_form_open(r, "/grievance/new", NULL);
  html_printf(r,
              "<label for=\"household\">%h</label><input type=\"text\" "
              "id=\"household\" name=\"household\" value=\"%h\" size=\"20\" "
              "maxlength=\"48\"%h>\n<label><input type=\"checkbox\" "
              "name=\"anonymous\" value=\"1\"%h> %h</label>\n<label "
              "for=\"category\">%h</label><select id=\"category\" "
              "name=\"category\" required><option value=\"\"></option>",
              _(r, "Registration number of the household (leave empty for "
                   "an anonymous complaint)"),
              zHh, zHh[0] ? "" : " autofocus",
              web_param(r, "anonymous") ? " checked" : "",
              _(r, "Anonymous: keep no identity, give a follow-up code"),
              _(r, "Category"));
  category_options(r, web_param(r, "category"));
  html_printf(r, "</select>\n<label for=\"channel\">%h</label><select "
                 "id=\"channel\" name=\"channel\">",
              _(r, "How it came"));
  static const char *const azChannel[] = {"walk-in", "phone", "letter",
                                          "hotline"};
  for (size_t i = 0; i < sizeof azChannel / sizeof azChannel[0]; i++)
    html_printf(r, "<option value=\"%h\"%h>%h</option>", azChannel[i],
                strcmp(zChannel, azChannel[i]) == 0 ? " selected" : "",
                _(r, azChannel[i]));
  html_printf(r, "</select>\n<label for=\"text\">%h</label><textarea "
                 "id=\"text\" name=\"text\" maxlength=\"4000\" required%h>%h"
                 "</textarea>\n<p class=\"actions\"><button type=\"submit\">"
                 "%h</button></p></form>\n",
              _(r, "The complaint, in the complainant's words"),
              zHh[0] ? " autofocus" : "", web_param_trim(r, "text"),
              _(r, "Record the grievance"));
}

int page_grievance_new(struct web_req *r)
{
  web_header(r, _(r, "Take a grievance"));
  intake_form(r);
  web_footer(r);
  return 0;
}

int page_grievance_new_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX];
  const char *zHh = web_param_trim(r, "household");
  struct grievance_input in = {zHh[0] ? zHh : NULL,
                               web_param(r, "anonymous") != NULL,
                               web_param_trim(r, "category"),
                               web_param_trim(r, "channel"),
                               web_param_trim(r, "text")};
  int rc = 0;
  if (in.anonymous && in.zRegno)
    rc = sws_err_set(&err, SWS_EINVAL, "%s",
                     _(r, "An anonymous complaint has no household: empty "
                          "the registration number or untick anonymous."));
  else if (!in.anonymous && !in.zRegno)
    rc = sws_err_set(&err, SWS_EINVAL, "%s",
                     _(r, "Give the household's registration number, or "
                          "tick anonymous."));
  if (rc == 0)
    rc = cases_grievance_add(r->ctx, &in, zTicket, zCode, &err);
  if (rc == 0 && !in.anonymous)
    return web_redirect(r, "/grievance/%t?done=grievance", zTicket);
  if (rc == 0) {
    /* the follow-up code exists only now: shown once, never stored */
    web_header(r, _(r, "Grievance recorded"));
    html_printf(r, "<div class=\"notice ok\" role=\"status\"><p>%h</p>"
                   "<p class=\"code\"><strong>%h</strong></p><p>%h: %h</p>"
                   "</div>\n<p>%h</p><p><a href=\"/grievance/%t\">%h</a></p>\n",
                _(r, "Give this follow-up code to the complainant. It is "
                     "shown only once and is not kept:"),
                zCode, _(r, "Ticket"), zTicket,
                _(r, "With the code, and nothing else, the complainant can "
                     "ask how the grievance stands."),
                zTicket, _(r, "Open the ticket"));
    web_footer(r);
    return 0;
  }
  r->status = 422;
  web_header(r, _(r, "Take a grievance"));
  web_error_notice(r, &err);
  intake_form(r);
  web_footer(r);
  return 0;
}

static int grievance_page(struct web_req *r, const char *zKey,
                          const struct sws_err *perr)
{
  struct sws_err err = SWS_ERR_INIT;
  struct grievance g;
  if (cases_grievance_get(r->ctx, zKey, r->user.role, &g, &err) != 0) {
    if (err.code != SWS_ENOTFOUND && err.code != SWS_EINVAL)
      return -1;
    return web_message_page(r, 404, N_("Not found"),
                            N_("No grievance has this ticket number or "
                               "follow-up code."));
  }
  char zTitle[120];
  snprintf(zTitle, sizeof zTitle, "%s %s", _(r, "Grievance"), g.zTicket);
  web_header(r, zTitle);
  if (perr)
    web_error_notice(r, perr);
  web_done_notice(r);
  if (web_param(r, "done") && strcmp(web_param(r, "done"), "step") == 0)
    web_notice(r, "ok", _(r, "The step is recorded."));
  if (g.hidden) {
    /* need-to-know (cases/access.h): where it stands, nothing more */
    web_notice(r, "warn",
               _(r, "Only where this grievance stands is shown "
                    "to you: a case manager of the household or "
                    "a supervisor handles it."));
    html_printf(r,
                "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
                "<dd><strong>%h</strong></dd><dt>%h</dt><dd>%h</dd>"
                "<dt>%h</dt><dd class=\"%h\">%h</dd></dl>\n",
                _(r, "Ticket"), g.zTicket, _(r, "Status"), _(r, g.zStatus),
                _(r, "Layer"), _(r, g.zLayer), _(r, "Due"),
                g.overdue ? "overdue" : "", g.zDue);
    html_raw(r, "<div class=\"actions\">");
    web_receipt_buttons(r, "grievance", g.zTicket);
    html_raw(r, "</div>\n");
    cases_grievance_release(&g);
    web_footer(r);
    return 0;
  }
  html_printf(r, "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>",
              _(r, "Ticket"), g.zTicket, _(r, "Household"));
  if (g.zRegno[0])
    html_printf(r, "<a href=\"/household/%t\">%h</a>", g.zRegno, g.zRegno);
  else
    html_printf(r, "%h", _(r, "anonymous"));
  html_printf(r,
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
              "<dd><strong>%h</strong></dd><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
              "<dd class=\"%h\">%h%h%h</dd></dl>\n",
              _(r, "Category"), _(r, g.zCategoryName), _(r, "How it came"),
              _(r, g.zChannel), _(r, "Status"), _(r, g.zStatus),
              _(r, "Layer"), _(r, g.zLayer), _(r, "Due"),
              g.overdue ? "overdue" : "", g.zDue,
              g.overdue ? " - " : "", g.overdue ? _(r, "overdue") : "");
  html_printf(r, "<h2>%h</h2>\n<p>%h</p>\n", _(r, "The complaint"), g.zText);
  if (g.zAnswer[0])
    html_printf(r,
                "<h2>%h</h2>\n<p>%h <span class=\"muted\">(%h)</span>"
                "</p>\n",
                _(r, "The answer"), g.zAnswer, _(r, g.zAnswerLayer));
  html_raw(r, "<div class=\"actions\">");
  web_receipt_buttons(r, "grievance", g.zTicket);
  html_raw(r, "</div>\n");
  html_printf(r, "<h2>%h</h2>\n<ol class=\"timeline\">\n", _(r, "Timeline"));
  for (int i = 0; i < g.nEvent; i++) {
    const struct grievance_event *e = &g.aEvent[i];
    html_printf(r,
                "<li><strong>%h</strong> (%h) <span class=\"muted\">%T, "
                "%h</span>",
                _(r, e->zEvent), _(r, e->zLayer), e->zAt, e->zBy);
    if (e->zText && e->zText[0])
      html_printf(r, "<br>%h", e->zText);
    if (!e->valid)
      html_printf(r, " <span class=\"tag bad\">%h</span>",
                  _(r, "out of order"));
    html_raw(r, "</li>\n");
  }
  html_raw(r, "</ol>\n");
  if (cases_permit_allows(r->user.role, CAP_CASE)) {
    char zAction[120];
    snprintf(zAction, sizeof zAction, "/grievance/%s", g.zTicket);
    html_printf(r, "<h2>%h</h2>\n", _(r, "Record a step"));
    web_form_open(r, zAction, NULL);
    html_printf(r, "<label for=\"step\">%h</label><select id=\"step\" "
                   "name=\"step\">",
                _(r, "Step"));
    static const char *const azStep[] = {"acknowledge", "review", "escalate",
                                         "answer", "close", "appeal"};
    for (size_t i = 0; i < sizeof azStep / sizeof azStep[0]; i++)
      html_printf(r, "<option value=\"%h\">%h</option>", azStep[i],
                  _(r, azStep[i]));
    html_printf(r, "</select>\n<label for=\"text\">%h</label><textarea "
                   "id=\"text\" name=\"text\" maxlength=\"4000\"></textarea>"
                   "\n<p><button type=\"submit\">%h</button></p></form>\n",
                _(r, "Text (the answer, or why it is escalated or "
                     "appealed)"),
                _(r, "Record"));
  }
  cases_grievance_release(&g);
  web_footer(r);
  return 0;
}

int page_grievance(struct web_req *r)
{
  if (strcmp(r->azArg[0], "lookup") == 0) {
    const char *zCode = web_param_trim(r, "code");
    if (zCode[0] == '\0')
      return web_redirect(r, "/grievances");
    return grievance_page(r, zCode, NULL);
  }
  return grievance_page(r, r->azArg[0], NULL);
}

int page_grievance_step_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zText = web_param_trim(r, "text");
  if (cases_grievance_step(r->ctx, r->azArg[0], web_param_trim(r, "step"),
                           zText[0] ? zText : NULL, r->user.role,
                           &err) == 0)
    return web_redirect(r, "/grievance/%t?done=step", r->azArg[0]);
  if (err.code == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("No grievance has this ticket number."));
  r->status = 422;
  return grievance_page(r, r->azArg[0], &err);
}
