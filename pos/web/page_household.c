/*
 * page_household.c - a household on one page (members, case, plan,
 * referrals, grievances, history), its edit form, and the member forms
 * (add, with the duplicate check; edit, also to change the head). Same
 * cases/ functions, so the same rules, as `sws household` and `sws
 * member`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/audit.h"
#include "cases/casefile.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/plan.h"
#include "cases/referral.h"
#include "cases/review.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/web/web_int.h"
#include "pos/web/web_forms.h"

/* ---- messages after a redirect (fixed texts: no data in the URL) ---- */

static const struct {
  const char *zCode, *zText;
} DONE[] = {
    {"registered", N_("The household is registered.")},
    {"forced", N_("The household is registered. The possible duplicates "
                  "are kept for a supervisor to review.")},
    {"edited", N_("The household is changed.")},
    {"member-added", N_("The member is added.")},
    {"member-edited", N_("The member is changed.")},
    {"unchanged", N_("Nothing was changed.")},
    {"deactivated", N_("The household is deactivated.")},
    {"reactivated", N_("The household is active again.")},
    {"member-moved", N_("The member has moved to this household.")},
    {"case-opened", N_("The case is opened.")},
    {"grievance", N_("The grievance is recorded.")},
};

void web_done_notice(struct web_req *r)
{
  const char *z = web_param(r, "done");
  if (z == NULL)
    return;
  for (size_t i = 0; i < sizeof DONE / sizeof DONE[0]; i++)
    if (strcmp(z, DONE[i].zCode) == 0)
      web_notice(r, "ok", _(r, DONE[i].zText));
}

/* Load the household named by the first path piece, or answer 404. */
int web_load_household(struct web_req *r, struct household *h)
{
  struct sws_err err = SWS_ERR_INIT;
  char zId[SWS_UUID_LEN + 1], zNote[256];
  memset(h, 0, sizeof *h);
  if (cases_household_resolve(r->ctx, r->azArg[0], 0, zId, NULL, zNote,
                              &err) != 0 ||
      cases_household_get(r->ctx, zId, h, &err) != 0) {
    if (err.code != SWS_ENOTFOUND && err.code != SWS_EINVAL)
      return -1;
    web_message_page(r, 404, N_("Not found"),
                     N_("No household has this registration number. Search "
                        "for it by name instead."));
    return 1;
  }
  return 0;
}

static const char *sex_label(struct web_req *r, char sex)
{
  return sex == 'F' ? _(r, "female") : sex == 'M' ? _(r, "male") : "";
}

static const char *member_status_label(struct web_req *r, const char *z)
{
  if (strcmp(z, "active") == 0)
    return _(r, "active");
  if (strcmp(z, "left") == 0)
    return _(r, "left the household");
  if (strcmp(z, "deceased") == 0)
    return _(r, "deceased");
  return z;
}

/* ---- the household page ---------------------------------------------- */

static void members_table(struct web_req *r, const struct household *h,
                          int bEdit)
{
  html_printf(r, "<h2 id=\"members\">%h</h2>\n<table class=\"people\"><thead>"
                 "<tr><th>%h</th><th>%h</th><th>%h</th><th>%h</th><th>%h</th>"
                 "<th>%h</th><th>%h</th><th>%h</th><th>%h</th>",
              _(r, "Members"), _(r, "No."), _(r, "Name"), _(r, "Sex"),
              _(r, "Born"), _(r, "Relationship"), _(r, "National ID"),
              _(r, "Phone"), _(r, "Disability"), _(r, "Status"));
  if (bEdit)
    html_raw(r, "<th></th>");
  html_raw(r, "</tr></thead><tbody>\n");
  for (int i = 0; i < h->nMember; i++) {
    const struct member *m = &h->aMember[i];
    html_printf(r, "<tr><td>%d</td><td>%h</td><td>%h</td><td>%h</td>"
                   "<td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td>",
                m->line_no, m->zName, sex_label(r, m->sex), m->zBorn,
                web_relationship_label(r, m->relationship), m->zNationalId,
                m->zPhone, m->disability ? _(r, "yes") : "",
                member_status_label(r, m->zStatus));
    if (bEdit)
      html_printf(r, "<td><a href=\"/household/%t/member/%d\">%h</a></td>",
                  h->zRegno, m->line_no, _(r, "Change"));
    html_raw(r, "</tr>\n");
  }
  html_raw(r, "</tbody></table>\n");
}

struct list_ctx {
  struct web_req *r;
  const char *zRegno;
  int n;
};

static int plan_row(const struct plan_item *it, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
  if (c->n++ == 0)
    html_raw(r, "<ul>\n");
  if (it->isGoal)
    html_printf(r, "<li><strong>%h %d</strong>: %h <span class=\"tag\">%h"
                   "</span></li>\n",
                _(r, "Goal"), it->no, it->zText, _(r, it->zStatus));
  else
  {
    html_printf(r, "<li>%h %d: %h (%h, %h %h)", _(r, "Action"), it->no,
                it->zText, it->zOwner, _(r, "due"), it->zDue);
    if (it->overdue)
      html_printf(r, " <span class=\"overdue\">%h</span>", _(r, "overdue"));
    web_tag(r, "", _(r, it->zStatus));
    html_raw(r, "</li>\n");
  }
  return 0;
}

static int referral_row(const struct referral_row *f, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th><th>%h</th></tr></thead><tbody>\n",
                _(r, "Referral"), _(r, "Member"), _(r, "To"),
                _(r, "Status"), _(r, "Feedback"));
  html_printf(r, "<tr><td><a href=\"/referral/%t\">%h</a>", f->zNumber,
              f->zNumber);
  if (f->urgent)
    web_tag(r, "bad", _(r, "urgent"));
  html_printf(r, "</td><td>%h</td><td>%h (%h)</td><td>%h</td><td>%h</td>"
                 "</tr>\n",
              f->zMemberName, f->zProvider, _(r, f->zService),
              _(r, f->zStatus), f->zFeedback);
  return 0;
}

static int grievance_row(const struct grievance_row *g, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
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

static int history_row(const struct audit_row *a, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
  if (c->n++ == 0)
    html_printf(r,
                "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                "<th>%h</th></tr></thead><tbody>\n",
                _(r, "When"), _(r, "Who"), _(r, "What"), _(r, "Detail"));
  html_printf(r, "<tr><td>%T</td><td>%h</td><td>%h</td><td>%h</td></tr>\n",
              a->zAt, a->zActor, web_action_text(r, a->zAction), a->zDetail);
  return 0;
}

/* The audit rows about the household and what hangs on it, as far as the
 * officer may see them (cases/access.h). */
static void history(struct web_req *r, const char *zId)
{
  struct list_ctx c = {r, NULL, 0};
  html_printf(r, "<h2 id=\"history\">%h</h2>\n", _(r, "History"));
  cases_household_history(r->ctx, r->user.role, zId, 100, history_row, &c,
                          NULL);
  if (c.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No history."));
}

static void end_list(struct web_req *r, struct list_ctx *c,
                     const char *zClose, const char *zNone)
{
  if (c->n)
    html_raw(r, zClose);
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", zNone);
}

/* Sections that other modules add (assessments, enrolments, receipts). */
void web_household_extra(struct web_req *r, const struct household *h);

/* A merge a supervisor asked for that the registry has not made yet
 * (cases/review.h): both households say so. */
static void merge_banner(struct web_req *r, const struct household *h)
{
  char zOther[SWS_NUMBER_MAX], z[300];
  int bMerged = 0;
  if (!cases_review_pending(r->ctx, h->zId, zOther, sizeof zOther, &bMerged))
    return;
  snprintf(z, sizeof z, "%s %s, %s",
           bMerged ? _(r, "Proposed for merging into")
                   : _(r, "Proposed to take in"),
           zOther, _(r, "waiting for the registry"));
  web_notice(r, "warn", z);
}

int page_household(struct web_req *r)
{
  struct household h;
  struct case_info ci;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  int bCase = cases_permit_allows(r->user.role, CAP_CASE) &&
              cases_case_check(r->ctx, r->user.role, h.zId, NULL) == 0;
  int bActive = strcmp(h.zStatus, "active") == 0;
  const struct member *head = cases_household_head(&h);
  char zTitle[300];
  snprintf(zTitle, sizeof zTitle, "%s %s", _(r, "Household"), h.zRegno);
  web_header(r, zTitle);
  web_done_notice(r);
  if (!bActive)
    web_notice(r, "warn", _(r, "This household is deactivated."));
  merge_banner(r, &h);
  html_printf(r, "<dl class=\"facts\"><dt>%h</dt><dd><strong>%h</strong>"
                 "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>",
              _(r, "Registration number"), h.zRegno, _(r, "Head"),
              head ? head->zName : "", _(r, "Village"));
  web_area_label(r, h.zArea);
  html_printf(r,
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd>"
              "<dt>%h</dt><dd>%T (%h)</dd></dl>\n",
              _(r, "Address"), h.zAddress, _(r, "Phone"), h.zPhone,
              _(r, "Registered"), h.zCreatedAt, h.zCreatedBy);
  html_raw(r, "<div class=\"actions\">");
  html_printf(r, "<a class=\"button\" href=\"/household/%t/edit\">%h</a>",
              h.zRegno, bActive ? _(r, "Change household")
                                : _(r, "Reactivate"));
  if (bActive)
    html_printf(r, "<a class=\"button\" href=\"/household/%t/member/new\">%h"
                   "</a>",
                h.zRegno, _(r, "Add a member"));
  html_printf(r, "<a class=\"button secondary\" href=\"/grievance/new?"
                 "household=%t\">%h</a>",
              h.zRegno, _(r, "Take a grievance"));
  if (bCase)
    html_printf(r, "<a class=\"button secondary\" href=\"/household/%t/case\">"
                   "%h</a><a class=\"button secondary\" href=\"/household/%t/"
                   "referral/new\">%h</a>",
                h.zRegno, _(r, "Case and plan"), h.zRegno,
                _(r, "Refer a member"));
  web_receipt_buttons(r, "registration", h.zRegno);
  html_raw(r, "</div>\n");
  members_table(r, &h, bActive);

  if (bCase) {
    html_printf(r, "<h2 id=\"case\">%h</h2>\n", _(r, "Case"));
    if (cases_case_get_latest(r->ctx, h.zRegno, &ci, NULL) == 0) {
      html_printf(r, "<p>%h: <strong>%h</strong>. %h: %h. <a href=\""
                     "/household/%t/case\">%h</a></p>\n",
                  _(r, "Status"), _(r, ci.zStatus), _(r, "Case manager"),
                  ci.zManager[0] ? ci.zManager : _(r, "(not assigned)"),
                  h.zRegno, _(r, "Open the case"));
      if (strcmp(ci.zStatus, "open") == 0) {
        struct list_ctx c = {r, h.zRegno, 0};
        html_printf(r, "<h2 id=\"plan\">%h</h2>\n", _(r, "Plan"));
        cases_plan_list(r->ctx, h.zRegno, plan_row, &c, NULL);
        end_list(r, &c, "</ul>\n", _(r, "No plan yet."));
      }
    } else {
      html_printf(r, "<p class=\"muted\">%h</p>\n",
                  _(r, "No case has been opened for this household."));
    }
    web_household_extra(r, &h);
    struct list_ctx c = {r, h.zRegno, 0};
    html_printf(r, "<h2 id=\"referrals\">%h</h2>\n", _(r, "Referrals"));
    cases_referral_list(r->ctx, r->user.role, h.zRegno, referral_row, &c, NULL);
    end_list(r, &c, "</tbody></table>\n", _(r, "No referrals."));
  }
  struct list_ctx g = {r, h.zRegno, 0};
  html_printf(r, "<h2 id=\"grievances\">%h</h2>\n", _(r, "Grievances"));
  cases_grievance_list(r->ctx, 1, r->user.role, h.zId, grievance_row, &g, NULL);
  end_list(r, &g, "</tbody></table>\n", _(r, "No grievances."));

  web_receipt_section(r, h.zId);
  history(r, h.zId);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

/* ---- change the household -------------------------------------------- */

static void household_form(struct web_req *r, const struct household *h,
                           const char *zArea, const char *zAddress,
                           const char *zPhone)
{
  char zAction[120];
  snprintf(zAction, sizeof zAction, "/household/%s/edit", h->zRegno);
  web_form_open(r, zAction, NULL);
  html_printf(r, "<label for=\"area\">%h</label>\n", _(r, "Village"));
  web_village_select(r, "area", zArea);
  html_printf(r,
              "<label for=\"address\">%h</label><input type=\"text\" "
              "id=\"address\" name=\"address\" value=\"%h\" size=\"60\" "
              "maxlength=\"500\">\n<label for=\"phone\">%h</label><input "
              "type=\"text\" id=\"phone\" name=\"phone\" value=\"%h\" "
              "inputmode=\"tel\" maxlength=\"20\">\n<p class=\"actions\">"
              "<button type=\"submit\">%h</button> <a class=\"button "
              "secondary\" href=\"/household/%t\">%h</a></p></form>\n",
              _(r, "Address"), zAddress, _(r, "Phone"), zPhone, _(r, "Save"),
              h->zRegno, _(r, "Cancel"));
}

/* Deactivate (the only delete) or reactivate, with the reason. */
static void status_form(struct web_req *r, const struct household *h)
{
  char zAction[120];
  int bActive = strcmp(h->zStatus, "active") == 0;
  snprintf(zAction, sizeof zAction, "/household/%s/edit", h->zRegno);
  html_printf(r, "<h2>%h</h2>\n<p class=\"muted\">%h</p>\n",
              bActive ? _(r, "Deactivate the household")
                      : _(r, "Reactivate the household"),
              bActive ? _(r, "Nothing is ever deleted: a deactivated "
                             "household stays findable, marked deactivated, "
                             "and cannot be changed until reactivated.")
                      : h->zStatusReason);
  web_form_open(r, zAction, NULL);
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"%h\">"
                 "<label for=\"reason\">%h</label><textarea id=\"reason\" "
                 "name=\"reason\" maxlength=\"500\" required></textarea>"
                 "<p><button type=\"submit\" class=\"%h\">%h</button></p>"
                 "</form>\n",
              bActive ? "deactivate" : "reactivate", _(r, "Reason"),
              bActive ? "danger" : "", bActive ? _(r, "Deactivate")
                                               : _(r, "Reactivate"));
}

int page_household_edit(struct web_req *r)
{
  struct household h;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  web_header(r, _(r, "Change household"));
  html_printf(r, "<p><a href=\"/household/%t\">%h</a></p>\n", h.zRegno,
              h.zRegno);
  if (strcmp(h.zStatus, "active") == 0)
    household_form(r, &h, h.zArea, h.zAddress, h.zPhone);
  status_form(r, &h);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_household_edit_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  const char *zDo = web_param_trim(r, "do");
  if (strcmp(zDo, "deactivate") == 0 || strcmp(zDo, "reactivate") == 0) {
    const char *zReason = web_param_trim(r, "reason");
    rc = zDo[0] == 'd'
             ? cases_household_deactivate(r->ctx, h.zRegno, zReason, &err)
             : cases_household_reactivate(r->ctx, h.zRegno, zReason, &err);
    if (rc == 0) {
      rc = web_redirect(r, "/household/%t?done=%t", h.zRegno,
                        zDo[0] == 'd' ? "deactivated" : "reactivated");
      cases_household_release(&h);
      return rc;
    }
    r->status = 422;
    web_header(r, _(r, "Change household"));
    web_error_notice(r, &err);
    status_form(r, &h);
    cases_household_release(&h);
    web_footer(r);
    return 0;
  }
  const char *zArea = web_param_trim(r, "area");
  const char *zAddress = web_param_trim(r, "address");
  const char *zPhone = web_param_trim(r, "phone");
  char zPhoneNorm[SWS_PHONE_MAX + 1] = "";
  if (zPhone[0])
    cases_phone_norm("phone", zPhone, zPhoneNorm, NULL);
  struct household_edit e = {
      strcmp(zArea, h.zArea) ? zArea : NULL,
      strcmp(zAddress, h.zAddress) ? zAddress : NULL,
      strcmp(zPhone[0] ? zPhoneNorm : "", h.zPhone) ? zPhone : NULL};
  if (!e.zArea && !e.zAddress && !e.zPhone) {
    rc = web_redirect(r, "/household/%t?done=unchanged", h.zRegno);
    cases_household_release(&h);
    return rc;
  }
  if (cases_household_edit(r->ctx, h.zRegno, &e, &err) == 0) {
    rc = web_redirect(r, "/household/%t?done=edited", h.zRegno);
    cases_household_release(&h);
    return rc;
  }
  r->status = 422;
  web_header(r, _(r, "Change household"));
  web_error_notice(r, &err);
  household_form(r, &h, zArea, zAddress, zPhone);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

/* ---- members --------------------------------------------------------- */

int page_member_new(struct web_req *r)
{
  struct household h;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  web_header(r, _(r, "Add a member"));
  html_printf(r, "<p>%h %h</p>\n", _(r, "Household"), h.zRegno);
  web_member_form(r, &h, NULL, 0);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_member_new_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  struct member_input m;
  struct dedup_list dups = DEDUP_LIST_INIT;
  int line = 0;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  rc = web_member_input(r, "", &m, 0, &err);
  const char *zForce = web_param_trim(r, "force_reason");
  if (rc == 0)
    rc = cases_member_add(r->ctx, h.zRegno, &m, zForce[0] ? zForce : NULL,
                          &line, &dups, &err);
  if (rc == 0) {
    rc = web_redirect(r, "/household/%t?done=member-added#members",
                      h.zRegno);
    goto done;
  }
  r->status = 422;
  web_header(r, _(r, "Add a member"));
  if (err.code == SWS_EDUP) {
    web_dup_compare(r, &dups, 1);
  } else {
    web_error_notice(r, &err);
    web_member_form(r, &h, NULL, 0);
  }
  web_footer(r);
  rc = 0;
done:
  dedup_list_release(&dups);
  cases_household_release(&h);
  return rc;
}

static int member_arg(struct web_req *r, const struct household *h,
                      const struct member **pm)
{
  int64_t n;
  *pm = NULL;
  if (sws_parse_int64("member", r->azArg[1], 1, 1000, &n, NULL) == 0)
    *pm = cases_household_member(h, (int)n);
  if (*pm == NULL) {
    web_message_page(r, 404, N_("Not found"),
                     N_("This household has no such member."));
    return 1;
  }
  return 0;
}

/* Move a member to another household (not the head). */
static void move_form(struct web_req *r, const struct household *h,
                      const struct member *m)
{
  char zAction[120];
  if (m->relationship == REL_HEAD || strcmp(m->zStatus, "active"))
    return;
  snprintf(zAction, sizeof zAction, "/household/%s/member/%d", h->zRegno,
           m->line_no);
  html_printf(r, "<h2>%h</h2>\n<p class=\"muted\">%h</p>\n",
              _(r, "Move to another household"),
              _(r, "For example after a marriage. The member gets the next "
                   "member number there."));
  web_form_open(r, zAction, "row");
  html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"move\"><div>"
                 "<label for=\"to\">%h</label><input type=\"text\" "
                 "id=\"to\" name=\"to\" size=\"18\" maxlength=\"48\" "
                 "required></div><div><label for=\"move_rel\">%h</label>"
                 "<select id=\"move_rel\" name=\"rel\" required>",
              _(r, "Registration number of the other household"),
              _(r, "Relationship to its head"));
  for (int rel = REL_SPOUSE; rel <= REL_NON_RELATIVE; rel++)
    html_printf(r, "<option value=\"%h\">%h</option>",
                cases_relationship_name(rel), web_relationship_label(r, rel));
  html_printf(r, "</select></div><div><button type=\"submit\">%h</button>"
                 "</div></form>\n",
              _(r, "Move"));
}

int page_member_edit(struct web_req *r)
{
  struct household h;
  const struct member *m;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  if (member_arg(r, &h, &m) == 0) {
    web_header(r, _(r, "Change a member"));
    html_printf(r, "<p>%h %h, %h %d</p>\n", _(r, "Household"), h.zRegno,
                _(r, "member"), m->line_no);
    web_member_form(r, &h, m, 0);
    move_form(r, &h, m);
    web_footer(r);
  }
  cases_household_release(&h);
  return 0;
}

int page_member_edit_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  const struct member *m;
  struct member_input in;
  int rc = web_load_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  if (member_arg(r, &h, &m) != 0) {
    cases_household_release(&h);
    return 0;
  }
  if (strcmp(web_param_trim(r, "do"), "move") == 0) {
    char zTo[SWS_NUMBER_MAX];
    int newLine = 0, rel = cases_relationship_parse(web_param_trim(r, "rel"));
    sws_strlcpy(zTo, web_param_trim(r, "to"), sizeof zTo);
    rc = rel ? cases_member_move(r->ctx, h.zRegno, m->line_no, zTo, rel,
                                 &newLine, &err)
             : sws_err_set(&err, SWS_EINVAL, "%s",
                           _(r, "choose the relationship to the head."));
    if (rc == 0) {
      char zCanon[SWS_NUMBER_MAX];
      if (cases_household_resolve(r->ctx, zTo, 0, NULL, zCanon, NULL,
                                  NULL) != 0)
        sws_strlcpy(zCanon, zTo, sizeof zCanon);
      cases_household_release(&h);
      return web_redirect(r, "/household/%t?done=member-moved#members",
                          zCanon);
    }
    r->status = 422;
    web_header(r, _(r, "Change a member"));
    web_error_notice(r, &err);
    web_member_form(r, &h, m, 0);
    move_form(r, &h, m);
    web_footer(r);
    cases_household_release(&h);
    return 0;
  }
  rc = web_member_input(r, "", &in, 1, &err);
  if (rc == 0) {
    /* only what changed, as the CLI's options would say it */
    char zNid[SWS_NID_MAX + 1] = "", zPhone[SWS_PHONE_MAX + 1] = "";
    if (in.zNationalId && in.zNationalId[0])
      cases_national_id_norm("id", in.zNationalId, zNid, NULL);
    if (in.zPhone && in.zPhone[0])
      cases_phone_norm("phone", in.zPhone, zPhone, NULL);
    const char *zStatus = web_param_trim(r, "status");
    struct member_edit e = {NULL, 0, NULL, 0, 0, NULL, NULL, -1, NULL};
    if (strcmp(in.zName, m->zName))
      e.zName = in.zName;
    if (in.sex != m->sex)
      e.sex = in.sex;
    if (strcmp(in.zBorn, m->zBorn))
      e.zBorn = in.zBorn;
    if (in.relationship != m->relationship) {
      e.relationship = in.relationship;
      e.prev_head_rel = cases_relationship_parse(
          web_param_trim(r, "previous_head_as"));
    }
    if (strcmp(zNid, m->zNationalId))
      e.zNationalId = in.zNationalId ? in.zNationalId : "";
    if (strcmp(zPhone, m->zPhone))
      e.zPhone = in.zPhone ? in.zPhone : "";
    if (in.disability != m->disability)
      e.disability = in.disability;
    if (zStatus[0] && strcmp(zStatus, m->zStatus))
      e.zStatus = zStatus;
    if (!e.zName && !e.sex && !e.zBorn && !e.relationship && !e.zNationalId &&
        !e.zPhone && e.disability < 0 && !e.zStatus) {
      rc = web_redirect(r, "/household/%t?done=unchanged#members", h.zRegno);
      cases_household_release(&h);
      return rc;
    }
    rc = cases_member_edit(r->ctx, h.zRegno, m->line_no, &e, &err);
  }
  if (rc == 0) {
    rc = web_redirect(r, "/household/%t?done=member-edited#members",
                      h.zRegno);
    cases_household_release(&h);
    return rc;
  }
  r->status = 422;
  web_header(r, _(r, "Change a member"));
  web_error_notice(r, &err);
  web_member_form(r, &h, m, 1);
  web_footer(r);
  cases_household_release(&h);
  return 0;
}
