/*
 * page_assessment.c - needs assessments, programme screening and
 * enrolment for the case manager: the assessment form generated from the
 * questionnaire (cases/assessment.h: household questions once, member
 * questions for each active member, in the officer's language), the
 * result with its score explained item by item, the screening of the
 * programmes with the reasons, and applications (supervisors decide).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/household.h"
#include "cases/langtext.h"
#include "cases/programme.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/web/web_forms.h"

#define MAX_ANSWERS ASSESSMENT_MAX_ANSWERS

/* The domains of the built-in questionnaire, for the catalogue. */
static const char *const DOMAINS[] = {
    N_("income"),    N_("food"),      N_("health"),    N_("housing"),
    N_("protection"), N_("disability"), N_("education"), N_("work"),
    N_("skills"),    N_("other"),
    /* the states of an application */
    N_("applied"), N_("approved"), N_("rejected"),
};

/* The text in the officer's language when the questionnaire gives it. */
static const char *loc(const struct web_req *r, const char *zEn,
                       const char *zKm, const char *zMn)
{
  return cases_langtext_pick(r->zLang, zEn, zKm, zMn);
}

/* The form field of question q (for member N, or 0). */
static void field_name(char *out, size_t n, const struct instrument_question *q,
                       int member)
{
  if (member)
    snprintf(out, n, "a_%s@%d", q->zId, member);
  else
    snprintf(out, n, "a_%s", q->zId);
}

/* 1 if value zV is among the posted values of zName. */
static int posted_has(const struct web_req *r, const char *zName,
                      const char *zV)
{
  for (int i = 0; i < r->form.n; i++)
    if (strcmp(r->form.a[i].zName, zName) == 0 &&
        strcmp(r->form.a[i].zValue, zV) == 0)
      return 1;
  return 0;
}

static void question_input(struct web_req *r,
                           const struct instrument_question *q, int member,
                           const char *zWho)
{
  char zName[120];
  field_name(zName, sizeof zName, q, member);
  const char *zVal = r->bPost ? web_param_trim(r, zName) : "";
  html_printf(r, "<div class=\"q\"><label for=\"%h\">%h%h%h</label>", zName,
              loc(r, q->zEn, q->zKm, q->zMn), zWho, q->bRequired ? " *" : "");
  switch (q->type) {
  case QT_CHOICE:
    html_printf(r, "<select id=\"%h\" name=\"%h\"><option value=\"\">"
                   "</option>",
                zName, zName);
    for (int i = 0; i < q->nOpt; i++)
      html_printf(r, "<option value=\"%h\"%h>%h</option>", q->aOpt[i].zValue,
                  strcmp(zVal, q->aOpt[i].zValue) == 0 ? " selected" : "",
                  loc(r, q->aOpt[i].zEn, q->aOpt[i].zKm, q->aOpt[i].zMn));
    html_raw(r, "</select>");
    break;
  case QT_MULTI:
    html_printf(r, "<span id=\"%h\" class=\"choices\">", zName);
    for (int i = 0; i < q->nOpt; i++)
      html_printf(
          r,
          "<label class=\"inline\"><input type=\"checkbox\" "
          "name=\"%h\" value=\"%h\"%h> %h</label> ",
          zName, q->aOpt[i].zValue,
          r->bPost && posted_has(r, zName, q->aOpt[i].zValue) ? " checked" : "",
          loc(r, q->aOpt[i].zEn, q->aOpt[i].zKm, q->aOpt[i].zMn));
    html_raw(r, "</span>");
    break;
  case QT_YESNO:
    html_printf(r, "<select id=\"%h\" name=\"%h\"><option value=\"\">"
                   "</option><option value=\"yes\"%h>%h</option><option "
                   "value=\"no\"%h>%h</option></select>",
                zName, zName, strcmp(zVal, "yes") == 0 ? " selected" : "",
                _(r, "yes"), strcmp(zVal, "no") == 0 ? " selected" : "",
                _(r, "no"));
    break;
  case QT_NUMBER:
    html_printf(r, "<input type=\"text\" inputmode=\"decimal\" id=\"%h\" "
                   "name=\"%h\" value=\"%h\" size=\"12\" maxlength=\"20\">",
                zName, zName, zVal);
    if (q->bMin && q->bMax)
      html_printf(r, " <span class=\"muted\">(%.0f - %.0f)</span>", q->min,
                  q->max);
    break;
  default:
    html_printf(r, "<input type=\"text\" id=\"%h\" name=\"%h\" value=\"%h\" "
                   "size=\"40\" maxlength=\"500\">",
                zName, zName, zVal);
  }
  html_raw(r, "</div>\n");
}

static void assessment_form(struct web_req *r, const struct household *h,
                            const struct instrument *in)
{
  char zAction[160];
  const char *zDomain = NULL;
  struct assessment_asked *asked = NULL;
  struct sws_err err = SWS_ERR_INIT;
  /* without it every question is shown; the save still checks */
  if (cases_assessment_asked_open(r->ctx, h->zId, &asked, &err) != 0)
    asked = NULL;
  snprintf(zAction, sizeof zAction, "/household/%s/assessment/new",
           h->zRegno);
  html_printf(r, "<p class=\"muted\">%h %d. %h</p>\n", in->zTitle,
              in->version, _(r, "Questions marked * are required."));
  web_form_open(r, zAction, "assessment");
  for (int i = 0; i < in->nQ; i++) {
    const struct instrument_question *q = &in->aQ[i];
    if (zDomain == NULL || strcmp(zDomain, q->zDomain) != 0) {
      if (zDomain)
        html_raw(r, "</fieldset>\n");
      zDomain = q->zDomain;
      (void)DOMAINS;
      html_printf(r, "<fieldset><legend>%h</legend>\n", _(r, zDomain));
    }
    if (!q->bMember) {
      if (cases_assessment_asked(asked, q, 0))
        question_input(r, q, 0, "");
      continue;
    }
    for (int m = 0; m < h->nMember; m++) {
      const struct member *mb = &h->aMember[m];
      char zWho[260];
      if (strcmp(mb->zStatus, "active") ||
          !cases_assessment_asked(asked, q, mb->line_no))
        continue;
      snprintf(zWho, sizeof zWho, " - %d. %s", mb->line_no, mb->zName);
      question_input(r, q, mb->line_no, zWho);
    }
  }
  if (zDomain)
    html_raw(r, "</fieldset>\n");
  cases_assessment_asked_close(asked);
  html_printf(r, "<p class=\"actions\"><button type=\"submit\">%h</button> "
                 "<a class=\"button secondary\" href=\"/household/%t/case\">"
                 "%h</a></p></form>\n",
              _(r, "Save the assessment"), h->zRegno, _(r, "Cancel"));
}

int page_assessment_new(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  struct instrument *in = NULL;
  int rc = web_load_case_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  web_header(r, _(r, "Needs assessment"));
  html_printf(r, "<p><a href=\"/household/%t\">%h</a></p>\n", h.zRegno,
              h.zRegno);
  if (cases_instrument_get(r->ctx, NULL, 0, &in, &err) != 0)
    web_error_notice(r, &err);
  else
    assessment_form(r, &h, in);
  cases_instrument_free(in);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_assessment_new_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  struct instrument *in = NULL;
  char **az = sws_calloc(MAX_ANSWERS, sizeof *az);
  int n = 0;
  int64_t number = 0;
  int rc = web_load_case_household(r, &h);
  if (rc != 0) {
    free(az);
    return rc < 0 ? rc : 0;
  }
  rc = cases_instrument_get(r->ctx, NULL, 0, &in, &err);
  for (int i = 0; rc == 0 && i < in->nQ; i++) {
    const struct instrument_question *q = &in->aQ[i];
    for (int m = 0; m < (q->bMember ? h.nMember : 1); m++) {
      int member = q->bMember ? h.aMember[m].line_no : 0;
      char zName[120];
      if (q->bMember && strcmp(h.aMember[m].zStatus, "active"))
        continue;
      field_name(zName, sizeof zName, q, member);
      struct buf v;
      buf_init(&v, 4096);
      if (q->type == QT_MULTI) {
        for (int k = 0; k < r->form.n; k++)
          if (strcmp(r->form.a[k].zName, zName) == 0)
            buf_appendf(&v, "%s%s", v.n ? "," : "", r->form.a[k].zValue);
      } else {
        buf_puts(&v, web_param_trim(r, zName));
      }
      if (v.n > 0 && n < MAX_ANSWERS)
        az[n++] = sws_mprintf("%s=%s", zName + 2, buf_str(&v));
      buf_release(&v);
    }
  }
  if (rc == 0)
    rc = cases_assessment_add(r->ctx, h.zRegno, NULL,
                              (const char *const *)az, n, &number, &err);
  for (int i = 0; i < n; i++)
    free(az[i]);
  free(az);
  if (rc == 0) {
    cases_instrument_free(in);
    cases_household_release(&h);
    return web_redirect(r, "/assessment/%lld?done=1", (long long)number);
  }
  r->status = 422;
  web_header(r, _(r, "Needs assessment"));
  web_error_notice(r, &err);
  if (in)
    assessment_form(r, &h, in);
  cases_instrument_free(in);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

/* One answer as people read it: the question's label in the officer's
 * language (for member N, "member N"), the option's label, yes or no,
 * the number. */
static void answer_row(struct web_req *r, const struct instrument *in,
                       const struct answer *x)
{
  const struct instrument_question *q =
      in ? cases_instrument_question(in, x->zQuestion) : NULL;
  struct buf b = BUF_INIT;
  html_printf(r, "<tr><td>%h", q ? loc(r, q->zEn, q->zKm, q->zMn) : x->zKey);
  if (x->member)
    html_printf(r, " <span class=\"muted\">(%h %d)</span>", _(r, "member"),
                x->member);
  html_raw(r, "</td><td>");
  if (x->v.type == RV_BOOL) {
    html_printf(r, "%h", x->v.b ? _(r, "yes") : _(r, "no"));
  } else if (x->v.type == RV_STRING || x->v.type == RV_LIST) {
    for (int k = 0; k < x->nItem; k++) {
      const char *zItem = x->azItem[k];
      for (int o = 0; q && o < q->nOpt; o++)
        if (strcmp(q->aOpt[o].zValue, x->azItem[k]) == 0)
          zItem = loc(r, q->aOpt[o].zEn, q->aOpt[o].zKm, q->aOpt[o].zMn);
      html_printf(r, "%h%h", k ? ", " : "", zItem);
    }
  } else {
    cases_answer_text(x, &b);
    html_printf(r, "%h", buf_str(&b));
  }
  buf_release(&b);
  html_raw(r, "</td></tr>\n");
}

int page_assessment(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct assessment a;
  int64_t number;
  if (sws_parse_int64("number", r->azArg[0], 1, INT64_MAX, &number, NULL) ||
      cases_assessment_get(r->ctx, number, &a, &err) != 0) {
    if (err.code != 0 && err.code != SWS_ENOTFOUND && err.code != SWS_EINVAL)
      return -1;
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no assessment with this number."));
  }
  int hidden = web_case_hidden(r, a.zRegno,
                               N_("There is no assessment with this number."));
  if (hidden != 0) {
    cases_assessment_release(&a);
    return hidden < 0 ? hidden : 0;
  }
  /* the questionnaire the assessment was made with: its labels, and its
   * rules' explanations in the officer's language */
  struct instrument *in = NULL;
  if (cases_instrument_get(r->ctx, a.zInstrument, a.version, &in, &err) != 0)
    in = NULL; /* the keys and the kept English stand in */
  char zTitle[80];
  snprintf(zTitle, sizeof zTitle, "%s %lld", _(r, "Assessment"),
           (long long)a.number);
  web_header(r, zTitle);
  if (web_param(r, "done"))
    web_notice(r, "ok", _(r, "The assessment is saved."));
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd><a href=\"/household/%t"
              "\">%h</a></dd><dt>%h</dt><dd>%h %d</dd><dt>%h</dt><dd>"
              "<strong>%.1f</strong> (%h)</dd><dt>%h</dt><dd>",
              _(r, "Household"), a.zRegno, a.zRegno, _(r, "Questionnaire"),
              a.zInstrument, a.version, _(r, "Score"), a.score,
              cases_instrument_band_label(in, a.zBand, r->zLang),
              _(r, "Found"));
  for (int i = 0; i < a.nFlag; i++)
    html_printf(r, "<span class=\"tag\">%h</span> ", a.azFlag[i]);
  html_printf(r, "</dd><dt>%h</dt><dd>%T (%h)</dd></dl>\n", _(r, "Made"), a.zAt,
              a.zBy);
  html_printf(r, "<div class=\"actions\"><a class=\"button\" href=\""
                 "/household/%t/screening\">%h</a></div>\n",
              a.zRegno, _(r, "Screen for programmes"));
  html_printf(r, "<h2>%h</h2>\n<table><thead><tr><th>%h</th><th>%h</th>"
                 "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>\n",
              _(r, "How the score was made"), _(r, "Rule"), _(r, "Member"),
              _(r, "Points"), _(r, "Why"), _(r, "From the answers"));
  for (int i = 0; i < a.nItem; i++) {
    const struct assessment_item *it = &a.aItem[i];
    char zMember[16] = "";
    if (it->member)
      snprintf(zMember, sizeof zMember, "%d", it->member);
    html_printf(r, "<tr><td>%h</td><td>%h</td><td>%h%.1f</td><td>%h", it->zRule,
                zMember, it->outcome < 0 ? "? " : "", it->points,
                cases_instrument_explain(in, it, r->zLang));
    if (it->zFlag[0])
      web_tag(r, "", it->zFlag);
    html_printf(r, "</td><td>%h</td></tr>\n", it->zBecause);
  }
  html_raw(r, "</tbody></table>\n");
  html_printf(r,
              "<h2>%h</h2>\n<table><thead><tr><th>%h</th><th>%h</th>"
              "</tr></thead><tbody>\n",
              _(r, "Answers"), _(r, "Question"), _(r, "Answer"));
  for (int i = 0; i < a.nAnswer; i++)
    answer_row(r, in, &a.aAnswer[i]);
  html_raw(r, "</tbody></table>\n");
  cases_instrument_free(in);
  cases_assessment_release(&a);
  web_footer(r);
  return 0;
}

/* ---- screening and enrolment ------------------------------------------ */

static const char *outcome_label(struct web_req *r, int outcome)
{
  return outcome == SCREEN_YES   ? _(r, "eligible")
         : outcome == SCREEN_NO  ? _(r, "not eligible")
                                 : _(r, "not known yet");
}

struct enrol_ctx {
  struct web_req *r;
  const char *zRegno;
  int n;
};

static int enrolment_row(const struct enrolment *e, void *arg)
{
  struct enrol_ctx *c = arg;
  struct web_req *r = c->r;
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th><th>%h</th></tr></thead><tbody>\n",
                _(r, "Application"), _(r, "Programme"), _(r, "Who"),
                _(r, "Status"), _(r, "Decision"));
  html_printf(r, "<tr><td>%lld</td><td>%h</td><td>%h</td><td>%h</td><td>%h",
              (long long)e->number, e->zProgrammeName,
              e->member ? e->zMemberName : _(r, "the household"),
              _(r, e->zStatus), e->zReason);
  if (c->zRegno && strcmp(e->zStatus, "applied") == 0 &&
      r->user.role == ROLE_SUPERVISOR) {
    char zAction[160];
    snprintf(zAction, sizeof zAction, "/household/%s/screening", c->zRegno);
    web_form_open(r, zAction, "inline");
    html_printf(r, "<input type=\"hidden\" name=\"number\" value=\"%lld\">"
                   "<input type=\"text\" name=\"reason\" size=\"16\" "
                   "aria-label=\"%h\" placeholder=\"%h\"> <button name=\"do\" "
                   "value=\"approve\">%h</button> <button name=\"do\" "
                   "value=\"reject\" class=\"secondary\">%h</button></form>",
                (long long)e->number, _(r, "Reason"), _(r, "Reason"),
                _(r, "Approve"), _(r, "Reject"));
  }
  html_raw(r, "</td></tr>\n");
  return 0;
}

/* The household's applications (on the household and screening pages). */
void web_enrolment_table(struct web_req *r, const char *zRegno, int bDecide)
{
  struct enrol_ctx c = {r, bDecide ? zRegno : NULL, 0};
  cases_enrolment_list(r->ctx, zRegno, enrolment_row, &c, NULL);
  if (c.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No applications."));
}

static int screening_page(struct web_req *r, const struct sws_err *perr)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  struct screening s;
  int rc = web_load_case_household(r, &h);
  if (rc != 0)
    return rc < 0 ? rc : 0;
  char zTitle[120], zAction[160];
  snprintf(zTitle, sizeof zTitle, "%s %s", _(r, "Programme screening"),
           h.zRegno);
  snprintf(zAction, sizeof zAction, "/household/%s/screening", h.zRegno);
  web_header(r, zTitle);
  if (perr)
    web_error_notice(r, perr);
  if (web_param(r, "done"))
    web_notice(r, "ok", _(r, "Saved."));
  html_printf(r, "<p><a href=\"/household/%t\">%h</a></p>\n", h.zRegno,
              h.zRegno);
  memset(&s, 0, sizeof s);
  if (cases_screen(r->ctx, h.zRegno, &s, &err) != 0) {
    web_error_notice(r, &err);
  } else {
    html_printf(r, "<p>%h %h", _(r, "Screened on"), s.zDate);
    if (s.assessment) {
      struct instrument *in = NULL;
      if (cases_instrument_get(r->ctx, s.zInstrument, s.version, &in, NULL) !=
          0)
        in = NULL; /* the band's code stands in */
      html_printf(r, ", %h <a href=\"/assessment/%lld\">%lld</a> (%.1f, %h)",
                  _(r, "with assessment"), (long long)s.assessment,
                  (long long)s.assessment, s.score,
                  cases_instrument_band_label(in, s.zBand, r->zLang));
      cases_instrument_free(in);
    } else
      html_printf(r, ". %h", _(r, "No assessment yet: some answers are "
                                  "not known."));
    html_raw(r, "</p>\n");
    for (int i = 0; i < s.nProg; i++) {
      const struct screen_programme *p = &s.aProg[i];
      html_printf(r, "<section class=\"card\"><h3>%h <span class=\"muted\">"
                     "(%h)</span></h3>\n",
                  p->p.zName, p->p.zAgency);
      for (int k = 0; k < p->nRes; k++) {
        const struct screen_result *x = &p->aRes[k];
        html_printf(r, "<p><strong>%h</strong>: <span class=\"tag %h\">%h"
                       "</span>",
                    x->member ? x->zMemberName : _(r, "the household"),
                    x->outcome == SCREEN_NO ? "bad" : "",
                    outcome_label(r, x->outcome));
        if (x->enrolment)
          html_printf(r, " %h %lld: %h", _(r, "application"),
                      (long long)x->enrolment, _(r, x->zEnrolStatus));
        html_raw(r, "</p>\n<ul>\n");
        for (int j = 0; j < x->nRule; j++) {
          const struct screen_rule *u = &x->aRule[j];
          html_printf(r,
                      "<li>%h: <strong>%h</strong> <span class=\"muted\">"
                      "%h</span>",
                      loc(r, u->zExplain, u->zExplainKm, u->zExplainMn),
                      u->outcome == 1   ? _(r, "yes")
                      : u->outcome == 0 ? _(r, "no")
                                        : _(r, "not known yet"),
                      u->zFacts);
          if (u->zMissing && u->zMissing[0])
            html_printf(r, " <em>%h: %h</em>", _(r, "to find out"),
                        u->zMissing);
          html_raw(r, "</li>\n");
        }
        html_raw(r, "</ul>\n");
        if (x->outcome != SCREEN_NO && x->enrolment == 0) {
          web_form_open(r, zAction, "inline");
          html_printf(r, "<input type=\"hidden\" name=\"do\" value=\"enrol\">"
                         "<input type=\"hidden\" name=\"programme\" "
                         "value=\"%h\"><input type=\"hidden\" name=\"member\" "
                         "value=\"%d\"><button type=\"submit\">%h</button>"
                         "</form>\n",
                      p->p.zCode, x->member, _(r, "Apply"));
        }
      }
      html_raw(r, "</section>\n");
    }
  }
  cases_screening_release(&s);
  html_printf(r, "<h2>%h</h2>\n", _(r, "Applications"));
  web_enrolment_table(r, h.zRegno, 1);
  cases_household_release(&h);
  web_footer(r);
  return 0;
}

int page_screening(struct web_req *r)
{
  return screening_page(r, NULL);
}

int page_enrol_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  char zRegno[SWS_NUMBER_MAX];
  const char *zDo = web_param_trim(r, "do");
  int64_t v = 0;
  int rc;
  if (cases_household_resolve(r->ctx, r->azArg[0], 1, NULL, zRegno, NULL,
                              &err) != 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("No household has this registration "
                               "number."));
  if ((rc = web_case_hidden(r, zRegno, NULL)) != 0)
    return rc < 0 ? rc : 0;
  if (strcmp(zDo, "enrol") == 0) {
    int64_t number;
    rc = sws_parse_int64("member", web_param_trim(r, "member"), 0, 1000, &v,
                         &err);
    if (rc == 0)
      rc = cases_enrol(r->ctx, zRegno, (int)v,
                       web_param_trim(r, "programme"), &number, &err);
  } else if (strcmp(zDo, "approve") == 0 || strcmp(zDo, "reject") == 0) {
    if (r->user.role != ROLE_SUPERVISOR)
      return web_message_page(r, 403, N_("Not allowed"),
                              N_("Your role does not give access to this "
                                 "page. Ask a supervisor if you need it."));
    const char *zReason = web_param_trim(r, "reason");
    rc = sws_parse_int64("number", web_param_trim(r, "number"), 1,
                         INT64_MAX, &v, &err);
    if (rc == 0)
      rc = cases_enrolment_decide(r->ctx, v, zDo[0] == 'a',
                                  zReason[0] ? zReason : NULL, &err);
  } else {
    return web_message_page(r, 400, N_("Bad request"),
                            N_("This form is not known here."));
  }
  if (rc == 0)
    return web_redirect(r, "/household/%t/screening?done=1", zRegno);
  r->status = 422;
  return screening_page(r, &err);
}

/* ---- the sections on the household and case pages ---------------------- */

struct list_ctx {
  struct web_req *r;
  int n;
  struct instrument *in; /* the last row's questionnaire, for its bands */
};

static int assessment_row(const struct assessment_row *a, void *arg)
{
  struct list_ctx *c = arg;
  struct web_req *r = c->r;
  if (c->n++ == 0)
    html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                   "<th>%h</th></tr></thead><tbody>\n",
                _(r, "Assessment"), _(r, "Score"), _(r, "When"),
                _(r, "Who"));
  if (c->in == NULL || strcmp(c->in->zCode, a->zInstrument) != 0 ||
      c->in->version != a->version) {
    cases_instrument_free(c->in);
    if (cases_instrument_get(r->ctx, a->zInstrument, a->version, &c->in,
                             NULL) != 0)
      c->in = NULL; /* the band's code stands in */
  }
  html_printf(r,
              "<tr><td><a href=\"/assessment/%lld\">%lld</a> (%h %d)</td>"
              "<td>%.1f %h</td><td>%T</td><td>%h</td></tr>\n",
              (long long)a->number, (long long)a->number, a->zInstrument,
              a->version, a->score,
              cases_instrument_band_label(c->in, a->zBand, r->zLang), a->zAt,
              a->zBy);
  return 0;
}

static void assessments(struct web_req *r, const struct household *h)
{
  struct list_ctx c = {r, 0, NULL};
  html_printf(r, "<h2 id=\"assessments\">%h</h2>\n", _(r, "Assessments"));
  cases_assessment_list(r->ctx, h->zRegno, assessment_row, &c, NULL);
  cases_instrument_free(c.in);
  if (c.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "No assessment yet."));
}

void web_household_extra(struct web_req *r, const struct household *h)
{
  assessments(r, h);
  html_printf(r, "<h2 id=\"enrolments\">%h</h2>\n", _(r, "Enrolments"));
  web_enrolment_table(r, h->zRegno, 0);
  html_printf(r, "<p><a href=\"/household/%t/screening\">%h</a></p>\n",
              h->zRegno, _(r, "Screen for programmes"));
}

void web_case_extra(struct web_req *r, const struct household *h,
                    const struct case_info *ci)
{
  (void)ci;
  html_printf(r, "<div class=\"actions\"><a class=\"button\" href=\""
                 "/household/%t/assessment/new\">%h</a><a class=\"button "
                 "secondary\" href=\"/household/%t/screening\">%h</a></div>\n",
              h->zRegno, _(r, "Assess needs"), h->zRegno,
              _(r, "Screen for programmes"));
  assessments(r, h);
}
