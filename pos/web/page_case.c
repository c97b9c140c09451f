/*
 * page_case.c - a household's case on one page for the case manager:
 * open, assign (to a case manager or automatically), notes, the plan
 * (goals and actions with owners and due dates), close; and the referral
 * pages (make one, follow it, record the receiving side's feedback).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/casefile.h"
#include "cases/household.h"
#include "cases/plan.h"
#include "cases/referral.h"
#include "core/text.h"
#include "pos/web/web_forms.h"

/* Words stored in the database that pages show, for the catalogue. */
static const char *const WORDS[] = {
    N_("open"), N_("closed"), N_("achieved"), N_("dropped"),
    N_("planned"), N_("in-progress"), N_("done"), N_("cancelled"),
    N_("pending"), N_("sent"), N_("accepted"), N_("declined"),
    N_("completed"), N_("health"), N_("education"), N_("employment"),
    N_("psychosocial"), N_("other"), N_("income-support"), N_("skills"),
    N_("enterprise"), N_("job-placement"), N_("send"), N_("accept"),
    N_("decline"), N_("complete"), N_("cancel"),
};

const char *web_word(const struct web_req *r, const char *z)
{
  (void)WORDS;
  return _(r, z);
}

static const char CASE_HIDDEN[] = N_("No case of this household is among "
                                     "the cases you may see.");

int web_case_hidden(struct web_req *r, const char *zRegno, const char *zMsg)
{
  struct sws_err err = SWS_ERR_INIT;
  if (cases_case_check(r->ctx, r->user.role, zRegno, &err) == 0)
    return 0;
  if (err.code != SWS_ENOTFOUND)
    return -1;
  web_message_page(r, 404, N_("Not found"), zMsg ? zMsg : CASE_HIDDEN);
  return 1;
}

int web_load_case_household(struct web_req *r, struct household *h)
{
  int rc = web_load_household(r, h);
  if (rc == 0 && (rc = web_case_hidden(r, h->zId, NULL)) != 0)
    cases_household_release(h);
  return rc;
}

static const struct {
  const char *zCode, *zText;
} CASE_DONE[] = {
    {"opened", N_("The case is opened.")},
    {"assigned", N_("The case is assigned.")},
    {"note", N_("The note is added.")},
    {"closed", N_("The case is closed.")},
    {"goal", N_("The goal is added.")},
    {"action", N_("The action is added.")},
    {"status", N_("The status is changed.")},
};

static int manager_option(const struct user *u, void *arg)
{
  struct web_req *r = arg;
  if (u->role == ROLE_CASE_MANAGER && u->active)
    html_printf(r, "<option value=\"%h\">%h (%h)</option>", u->zLogin,
                u->zName, u->zLogin);
  return 0;
}

struct note_ctx {
  struct web_req *r;
  int n;
};

static int note_row(const char *zAt, const char *zBy, const char *zText,
                    void *arg)
{
  struct note_ctx *c = arg;
  if (c->n++ == 0)
    html_raw(c->r, "<ul>\n");
  html_printf(c->r, "<li><span class=\"muted\">%T, %h:</span> %h</li>\n", zAt,
              zBy, zText);
  return 0;
}

static void notes(struct web_req *r, const char *zCaseId)
{
  struct note_ctx c = {r, 0};
  html_printf(r, "<h2>%h</h2>\n", _(r, "Notes"));
  cases_case_notes(r->ctx, zCaseId, 100, note_row, &c, NULL);
  if (c.n)
    html_raw(r, "</ul>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No notes yet."));
}

static int plan_item(const struct plan_item *it, void *arg)
{
  struct note_ctx *c = arg;
  struct web_req *r = c->r;
  char zAction[160];
  snprintf(zAction, sizeof zAction, "/household/%s/case", r->azArg[0]);
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>\n",
                _(r, "Plan"), _(r, "What"), _(r, "Who"), _(r, "Due"),
                _(r, "Status"), _(r, "Change"));
  if (it->isGoal) {
    html_printf(r, "<tr><td><strong>%h %d</strong></td><td>%h</td><td></td>"
                   "<td></td><td>%h</td><td>",
                _(r, "Goal"), it->no, it->zText, _(r, it->zStatus));
    if (strcmp(it->zStatus, "open") == 0) {
      web_form_open(r, zAction, "inline");
      html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"goal_set\">"
                     "<input type=\"hidden\" name=\"no\" value=\"%d\">"
                     "<button name=\"status\" value=\"achieved\" "
                     "class=\"secondary\">%h</button> <button "
                     "name=\"status\" value=\"dropped\" class=\"secondary\">"
                     "%h</button></form>",
                  it->no, _(r, "achieved"), _(r, "dropped"));
    }
  } else {
    html_printf(r, "<tr><td>%h %d", _(r, "Action"), it->no);
    if (it->goal)
      html_printf(r, " (%h %d)", _(r, "goal"), it->goal);
    html_printf(r, "</td><td>%h <span class=\"muted\">(%h)</span></td>"
                   "<td>%h</td><td class=\"%h\">%h</td><td>%h</td><td>",
                it->zText, _(r, it->zKind), it->zOwner,
                it->overdue ? "overdue" : "", it->zDue,
                _(r, it->zStatus));
    if (strcmp(it->zStatus, "done") && strcmp(it->zStatus, "cancelled")) {
      web_form_open(r, zAction, "inline");
      html_printf(r, "<input type=\"hidden\" name=\"do\" value="
                     "\"action_set\"><input type=\"hidden\" name=\"no\" "
                     "value=\"%d\">",
                  it->no);
      if (strcmp(it->zStatus, "planned") == 0)
        html_printf(r, "<button name=\"status\" value=\"in-progress\" "
                       "class=\"secondary\">%h</button> ",
                    _(r, "in-progress"));
      html_printf(r, "<button name=\"status\" value=\"done\" "
                     "class=\"secondary\">%h</button> <button "
                     "name=\"status\" value=\"cancelled\" "
                     "class=\"secondary\">%h</button></form>",
                  _(r, "done"), _(r, "cancelled"));
    }
  }
  html_raw(r, "</td></tr>\n");
  return 0;
}

static void case_forms(struct web_req *r, const struct case_info *ci)
{
  char zAction[160];
  snprintf(zAction, sizeof zAction, "/household/%s/case", r->azArg[0]);
  /* assign */
  html_printf(r, "<h2>%h</h2>\n", _(r, "Assign"));
  web_form_open(r, zAction, "row");
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"assign\">"
                 "<div><label for=\"to\">%h</label><select id=\"to\" "
                 "name=\"to\"><option value=\"\">%h</option>",
              _(r, "Case manager"),
              _(r, "automatic: the lightest caseload in the village"));
  cases_user_list(r->ctx, manager_option, r, NULL);
  html_printf(r, "</select></div><div><button type=\"submit\">%h</button>"
                 "</div></form>\n",
              _(r, "Assign"));
  (void)ci;
  /* plan */
  html_printf(r, "<h2>%h</h2>\n", _(r, "Add to the plan"));
  web_form_open(r, zAction, "row");
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"goal\"><div>"
                 "<label for=\"goal_text\">%h</label><input type=\"text\" "
                 "id=\"goal_text\" name=\"text\" size=\"50\" maxlength=\"500\" "
                 "required></div><div><button type=\"submit\">%h</button>"
                 "</div></form>\n",
              _(r, "Goal agreed with the family"), _(r, "Add the goal"));
  web_form_open(r, zAction, "row");
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"action\"><div>"
                 "<label for=\"a_text\">%h</label><input type=\"text\" "
                 "id=\"a_text\" name=\"text\" size=\"40\" maxlength=\"500\" "
                 "required></div><div><label for=\"kind\">%h</label><select "
                 "id=\"kind\" name=\"kind\">",
              _(r, "Action"), _(r, "Kind"));
  static const char *const azKind[] = {"psychosocial", "income-support",
                                       "skills",       "enterprise",
                                       "job-placement", "other"};
  for (size_t i = 0; i < sizeof azKind / sizeof azKind[0]; i++)
    html_printf(r, "<option value=\"%h\">%h</option>", azKind[i],
                _(r, azKind[i]));
  html_printf(r, "</select></div><div><label for=\"goal\">%h</label><input "
                 "type=\"text\" id=\"goal\" name=\"goal\" size=\"3\" "
                 "inputmode=\"numeric\"></div><div><label for=\"owner\">%h"
                 "</label><input type=\"text\" id=\"owner\" name=\"owner\" "
                 "value=\"%h\" size=\"12\" maxlength=\"100\" required></div>"
                 "<div><label for=\"due\">%h</label><input type=\"date\" "
                 "id=\"due\" name=\"due\" required></div><div><button "
                 "type=\"submit\">%h</button></div></form>\n",
              _(r, "Goal no."), _(r, "Who does it"), r->user.zLogin,
              _(r, "Due"), _(r, "Add the action"));
  /* note */
  html_printf(r, "<h2>%h</h2>\n", _(r, "Add a note"));
  web_form_open(r, zAction, NULL);
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"note\">"
                 "<label for=\"note\">%h</label><textarea id=\"note\" "
                 "name=\"text\" maxlength=\"4000\" required></textarea>"
                 "<p><button type=\"submit\">%h</button></p></form>\n",
              _(r, "Note"), _(r, "Add the note"));
  /* close */
  html_printf(r, "<h2>%h</h2>\n", _(r, "Close the case"));
  web_form_open(r, zAction, NULL);
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"close\">"
                 "<label for=\"outcome\">%h</label><textarea id=\"outcome\" "
                 "name=\"text\" maxlength=\"500\" required></textarea>"
                 "<p><button type=\"submit\" class=\"danger\">%h</button>"
                 "</p></form>\n",
              _(r, "Outcome (how the case ended)"), _(r, "Close the case"));
}

/* Sections other modules add to the case page (assessments...). */
void web_case_extra(struct web_req *r, const struct household *h,
                    const struct case_info *ci);

static int case_page(struct web_req *r, const struct sws_err *perr)
{
  struct household h;
  struct case_info ci;
  int rc = web_load_case_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  char zTitle[200];
  snprintf(zTitle, sizeof zTitle, "%s %s", _(r, "Case of household"),
           h.zRegno);
  web_header(r, zTitle);
  if (perr)
    web_error_notice(r, perr);
  const char *zDone = web_param(r, "done");
  for (size_t i = 0; zDone && i < sizeof CASE_DONE / sizeof CASE_DONE[0];
       i++)
    if (strcmp(zDone, CASE_DONE[i].zCode) == 0)
      web_notice(r, "ok", _(r, CASE_DONE[i].zText));
  const struct member *head = cases_household_head(&h);
  html_printf(r, "<p><a href=\"/household/%t\">%h</a> &middot; %h</p>\n",
              h.zRegno, h.zRegno, head ? head->zName : "");
  int bOpen = cases_case_get_open(r->ctx, h.zRegno, &ci, NULL) == 0;
  if (!bOpen) {
    int bAny = cases_case_get_latest(r->ctx, h.zRegno, &ci, NULL) == 0;
    if (bAny)
      html_printf(r, "<p>%h %h: %h</p>\n", _(r, "The last case was closed on"),
                  ci.zClosedAt, ci.zOutcome);
    else
      html_printf(r, "<p>%h</p>\n",
                  _(r, "No case has been opened for this household."));
    char zAction[160];
    snprintf(zAction, sizeof zAction, "/household/%s/case", h.zRegno);
    web_form_open(r, zAction, NULL);
    html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"open\">"
                   "<button type=\"submit\">%h</button></form>\n",
                _(r, "Open a case"));
  } else {
    html_printf(r, "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
                   "<dd>%h</dd><dt>%h</dt><dd>%h (%h)</dd></dl>\n",
                _(r, "Status"), _(r, ci.zStatus), _(r, "Case manager"),
                ci.zManager[0] ? ci.zManager : _(r, "(not assigned)"),
                _(r, "Opened"), ci.zOpenedAt, ci.zOpenedBy);
    html_printf(r, "<div class=\"actions\"><a class=\"button\" href=\""
                   "/household/%t/referral/new\">%h</a></div>\n",
                h.zRegno, _(r, "Refer a member"));
    web_case_extra(r, &h, &ci);
    struct note_ctx c = {r, 0};
    html_printf(r, "<h2 id=\"plan\">%h</h2>\n", _(r, "Plan"));
    cases_plan_list(r->ctx, h.zRegno, plan_item, &c, NULL);
    if (c.n)
      html_raw(r, "</tbody></table>\n");
    else
      html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No plan yet."));
    notes(r, ci.zId);
    case_forms(r, &ci);
  }
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_case(struct web_req *r)
{
  return case_page(r, NULL);
}

int page_case_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct case_info ci;
  char zRegno[SWS_NUMBER_MAX], zWho[33];
  const char *zDo = web_param_trim(r, "do");
  const char *zText = web_param_trim(r, "text");
  const char *zDone = NULL;
  int64_t no = 0;
  int rc;
  if (cases_household_resolve(r->ctx, r->azArg[0], 1, NULL, zRegno, NULL,
                              &err) != 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("No household has this registration "
                               "number."));
  if ((rc = web_case_hidden(r, zRegno, NULL)) != 0)
    return rc < 0 ? rc : 0;
  if (strcmp(zDo, "open") == 0) {
    rc = cases_case_open(r->ctx, zRegno, &ci, &err);
    zDone = "opened";
  } else if (strcmp(zDo, "assign") == 0) {
    const char *zTo = web_param_trim(r, "to");
    rc = cases_case_assign_check(r->ctx, r->user.role, zRegno,
                                 zTo[0] ? zTo : NULL, &err);
    if (rc == 0)
      rc = cases_case_assign(r->ctx, zRegno, zTo[0] ? zTo : NULL, zWho, &err);
    zDone = "assigned";
  } else if (strcmp(zDo, "note") == 0) {
    rc = cases_case_note(r->ctx, zRegno, zText, &err);
    zDone = "note";
  } else if (strcmp(zDo, "close") == 0) {
    rc = cases_case_close(r->ctx, zRegno, zText, &err);
    zDone = "closed";
  } else if (strcmp(zDo, "goal") == 0) {
    int n;
    rc = cases_plan_goal_add(r->ctx, zRegno, zText, &n, &err);
    zDone = "goal";
  } else if (strcmp(zDo, "action") == 0) {
    int64_t goal = 0;
    const char *zGoal = web_param_trim(r, "goal");
    int n;
    rc = 0;
    if (zGoal[0] &&
        sws_parse_int64(_(r, "Goal no."), zGoal, 1, 1000, &goal, &err) != 0)
      rc = err.code;
    struct plan_action_input in = {(int)goal, web_param_trim(r, "kind"),
                                   zText, web_param_trim(r, "owner"),
                                   web_param_trim(r, "due")};
    if (rc == 0)
      rc = cases_plan_action_add(r->ctx, zRegno, &in, &n, &err);
    zDone = "action";
  } else if (strcmp(zDo, "action_set") == 0 || strcmp(zDo, "goal_set") == 0) {
    rc = sws_parse_int64("no", web_param_trim(r, "no"), 1, 100000, &no, &err);
    if (rc == 0)
      rc = zDo[0] == 'a'
               ? cases_plan_action_set(r->ctx, zRegno, (int)no,
                                       web_param_trim(r, "status"), &err)
               : cases_plan_goal_set(r->ctx, zRegno, (int)no,
                                     web_param_trim(r, "status"), &err);
    zDone = "status";
  } else {
    return web_message_page(r, 400, N_("Bad request"),
                            N_("This form is not known here."));
  }
  if (rc == 0)
    return web_redirect(r, "/household/%t/case?done=%t", zRegno, zDone);
  r->status = 422;
  return case_page(r, &err);
}

/* ---- referrals ------------------------------------------------------- */

static const char *const SERVICES[] = {"health", "education", "employment",
                                       "psychosocial", "other"};

static void referral_form(struct web_req *r, const struct household *h)
{
  char zAction[160];
  const char *zMember = web_param_trim(r, "member");
  const char *zService = web_param_trim(r, "service");
  snprintf(zAction, sizeof zAction, "/household/%s/referral/new", h->zRegno);
  web_form_open(r, zAction, NULL);
  html_printf(r, "<label for=\"member\">%h</label><select id=\"member\" "
                 "name=\"member\" required>",
              _(r, "Who is referred"));
  for (int i = 0; i < h->nMember; i++) {
    const struct member *m = &h->aMember[i];
    char z[12];
    if (strcmp(m->zStatus, "active"))
      continue;
    snprintf(z, sizeof z, "%d", m->line_no);
    html_printf(r, "<option value=\"%d\"%h>%d. %h</option>", m->line_no,
                strcmp(zMember, z) == 0 ? " selected" : "", m->line_no,
                m->zName);
  }
  html_printf(r, "</select>\n<label for=\"service\">%h</label><select "
                 "id=\"service\" name=\"service\">",
              _(r, "Service"));
  for (size_t i = 0; i < sizeof SERVICES / sizeof SERVICES[0]; i++)
    html_printf(r, "<option value=\"%h\"%h>%h</option>", SERVICES[i],
                strcmp(zService, SERVICES[i]) == 0 ? " selected" : "",
                _(r, SERVICES[i]));
  html_printf(r,
              "</select>\n<label for=\"provider\">%h</label><input "
              "type=\"text\" id=\"provider\" name=\"provider\" value=\"%h\" "
              "size=\"40\" maxlength=\"200\" required>\n<label "
              "for=\"reason\">%h</label><textarea id=\"reason\" "
              "name=\"reason\" maxlength=\"2000\" required>%h</textarea>\n"
              "<label><input type=\"checkbox\" name=\"urgent\" "
              "value=\"1\"%h> %h</label>\n<p class=\"actions\"><button "
              "type=\"submit\">%h</button> <a class=\"button secondary\" "
              "href=\"/household/%t\">%h</a></p></form>\n",
              _(r, "Provider (who receives the referral)"),
              web_param_trim(r, "provider"), _(r, "Reason"),
              web_param_trim(r, "reason"),
              web_param(r, "urgent") ? " checked" : "", _(r, "Urgent"),
              _(r, "Make the referral"), h->zRegno, _(r, "Cancel"));
}

int page_referral_new(struct web_req *r)
{
  struct household h;
  int rc = web_load_case_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  web_header(r, _(r, "Refer a member"));
  html_printf(r, "<p><a href=\"/household/%t\">%h</a></p>\n", h.zRegno,
              h.zRegno);
  referral_form(r, &h);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_referral_new_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  char zNumber[SWS_NUMBER_MAX];
  int64_t member = 0;
  int rc = web_load_case_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  rc = sws_parse_int64(_(r, "Who is referred"), web_param_trim(r, "member"),
                       1, 1000, &member, &err);
  struct referral_input in = {h.zRegno, (int)member,
                              web_param_trim(r, "service"),
                              web_param_trim(r, "provider"),
                              web_param_trim(r, "reason"),
                              web_param(r, "urgent") != NULL};
  if (rc == 0)
    rc = cases_referral_add(r->ctx, &in, zNumber, &err);
  if (rc == 0) {
    cases_household_release(&h);
    return web_redirect(r, "/referral/%t?done=made", zNumber);
  }
  r->status = 422;
  web_header(r, _(r, "Refer a member"));
  web_error_notice(r, &err);
  referral_form(r, &h);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

static int referral_page(struct web_req *r, const struct sws_err *perr)
{
  struct sws_err err = SWS_ERR_INIT;
  struct referral f;
  if (cases_referral_get(r->ctx, r->azArg[0], &f, &err) != 0) {
    if (err.code != SWS_ENOTFOUND && err.code != SWS_EINVAL)
      return -1;
    return web_message_page(r, 404, N_("Not found"),
                            N_("No referral has this number."));
  }
  int rc = web_case_hidden(r, f.zRegno, N_("No referral has this number."));
  if (rc != 0) {
    cases_referral_release(&f);
    return rc < 0 ? rc : 0;
  }
  char zTitle[120];
  snprintf(zTitle, sizeof zTitle, "%s %s", _(r, "Referral"), f.zNumber);
  web_header(r, zTitle);
  if (perr)
    web_error_notice(r, perr);
  const char *zDone = web_param(r, "done");
  if (zDone && strcmp(zDone, "made") == 0)
    web_notice(r, "ok", _(r, "The referral is made. Send it when the "
                            "family is ready."));
  else if (zDone)
    web_notice(r, "ok", _(r, "The step is recorded."));
  if (f.flagged)
    web_notice(r, "warn", _(r, "Some steps of this referral arrived out of "
                              "order; check its history."));
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd><a href=\"/household/%t\">"
              "%h</a></dd><dt>%h</dt><dd>%d. %h</dd><dt>%h</dt><dd>%h</dd>"
              "<dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
              "<dd><strong>%h</strong>",
              _(r, "Household"), f.zRegno, f.zRegno, _(r, "Member"),
              f.member, f.zMemberName, _(r, "Service"), _(r, f.zService),
              _(r, "Provider"), f.zProvider, _(r, "Reason"), f.zReason,
              _(r, "Status"), _(r, f.zStatus));
  if (f.urgent)
    web_tag(r, "bad", _(r, "urgent"));
  html_printf(r, "</dd><dt>%h</dt><dd>%T (%h)</dd></dl>\n", _(r, "Made"),
              f.zCreatedAt, f.zCreatedBy);
  html_raw(r, "<div class=\"actions\">");
  web_receipt_buttons(r, "referral", f.zNumber);
  html_raw(r, "</div>\n");
  html_printf(r, "<h2>%h</h2>\n<ol class=\"timeline\">\n",
              _(r, "Steps and feedback"));
  for (int i = 0; i < f.nEvent; i++) {
    const struct referral_event *e = &f.aEvent[i];
    html_printf(r,
                "<li><strong>%h</strong> <span class=\"muted\">%T, %h"
                "</span>",
                _(r, e->zEvent), e->zAt, e->zBy);
    if (e->zFeedback && e->zFeedback[0])
      html_printf(r, "<br>%h: %h", _(r, "Feedback"), e->zFeedback);
    if (!e->valid)
      html_printf(r, " <span class=\"tag bad\">%h</span>",
                  _(r, "out of order"));
    html_raw(r, "</li>\n");
  }
  html_raw(r, "</ol>\n");
  char zAction[120];
  snprintf(zAction, sizeof zAction, "/referral/%s", f.zNumber);
  html_printf(r, "<h2>%h</h2>\n", _(r, "Record a step"));
  web_form_open(r, zAction, NULL);
  html_printf(r, "<label for=\"step\">%h</label><select id=\"step\" "
                 "name=\"step\">",
              _(r, "Step"));
  static const char *const azStep[] = {"send", "accept", "decline",
                                       "complete", "cancel"};
  for (size_t i = 0; i < sizeof azStep / sizeof azStep[0]; i++)
    html_printf(r, "<option value=\"%h\">%h</option>", azStep[i],
                _(r, azStep[i]));
  html_printf(r, "</select>\n<label for=\"feedback\">%h</label><textarea "
                 "id=\"feedback\" name=\"feedback\" maxlength=\"2000\">"
                 "</textarea>\n<p><button type=\"submit\">%h</button></p>"
                 "</form>\n",
              _(r, "Feedback from the receiving side (optional)"),
              _(r, "Record"));
  cases_referral_release(&f);
  web_footer(r);
  return 0;
}

int page_referral(struct web_req *r)
{
  return referral_page(r, NULL);
}

int page_referral_step_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zFeedback = web_param_trim(r, "feedback");
  if (cases_referral_check(r->ctx, r->user.role, r->azArg[0], &err) != 0) {
    if (err.code != SWS_ENOTFOUND && err.code != SWS_EINVAL)
      return -1;
    return web_message_page(r, 404, N_("Not found"),
                            N_("No referral has this number."));
  }
  if (cases_referral_step(r->ctx, r->azArg[0], web_param_trim(r, "step"),
                          zFeedback[0] ? zFeedback : NULL, &err) == 0)
    return web_redirect(r, "/referral/%t?done=step", r->azArg[0]);
  if (err.code == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("No referral has this number."));
  r->status = 422;
  return referral_page(r, &err);
}
