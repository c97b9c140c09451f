/*
 * page_register.c - registering a household with its members at the
 * counter, with the duplicate check shown side by side before anything is
 * saved; and the person form shared with the member pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "core/text.h"
#include "pos/web/web_forms.h"

#define ROWS_START 4
#define ROWS_MORE 4
#define ROWS_MAX 60

static const char *param(struct web_req *r, const char *zPrefix,
                         const char *zName)
{
  char z[64];
  snprintf(z, sizeof z, "%s%s", zPrefix, zName);
  return web_param_trim(r, z);
}

static void sex_select(struct web_req *r, const char *zName,
                       const char *zValue, const char *zLabel)
{
  html_printf(r,
              "<select name=\"%h\" id=\"%h\" aria-label=\"%h\">"
              "<option value=\"\"></option>"
              "<option value=\"F\"%h>%h</option>"
              "<option value=\"M\"%h>%h</option></select>",
              zName, zName, zLabel,
              zValue && strcmp(zValue, "F") == 0 ? " selected" : "",
              _(r, "female"),
              zValue && strcmp(zValue, "M") == 0 ? " selected" : "",
              _(r, "male"));
}

static void rel_select(struct web_req *r, const char *zName, int selected,
                       int bHead, const char *zLabel)
{
  html_printf(r, "<select name=\"%h\" id=\"%h\" aria-label=\"%h\">"
                 "<option value=\"\"></option>",
              zName, zName, zLabel);
  for (int rel = bHead ? REL_HEAD : REL_SPOUSE; rel <= REL_NON_RELATIVE;
       rel++)
    html_printf(r, "<option value=\"%h\"%h>%h</option>",
                cases_relationship_name(rel), rel == selected ? " selected"
                                                              : "",
                web_relationship_label(r, rel));
  html_raw(r, "</select>");
}

int web_member_input(struct web_req *r, const char *zPrefix,
                     struct member_input *out, int bRelRequired,
                     struct sws_err *err)
{
  memset(out, 0, sizeof *out);
  out->zName = param(r, zPrefix, "name");
  out->zBorn = param(r, zPrefix, "born");
  out->zNationalId = param(r, zPrefix, "nid");
  out->zPhone = param(r, zPrefix, "phone");
  out->disability = param(r, zPrefix, "disability")[0] != '\0';
  const char *zSex = param(r, zPrefix, "sex");
  const char *zRel = param(r, zPrefix, "rel");
  if (out->zName[0] == '\0')
    return sws_err_set(err, SWS_EINVAL, "%s", _(r, "Give the name."));
  if (zSex[0] == '\0' ||
      cases_sex_parse(_(r, "Sex"), zSex, &out->sex, err) != 0)
    return sws_err_set(err, SWS_EINVAL, "%s: %s", out->zName,
                       _(r, "choose female or male."));
  if (out->zBorn[0] == '\0')
    return sws_err_set(err, SWS_EINVAL, "%s: %s", out->zName,
                       _(r, "give the year of birth (or the full date)."));
  if (zRel[0]) {
    out->relationship = cases_relationship_parse(zRel);
    if (out->relationship == 0)
      return sws_err_set(err, SWS_EINVAL, "%s: %s", out->zName,
                         _(r, "choose the relationship to the head."));
  } else if (bRelRequired) {
    return sws_err_set(err, SWS_EINVAL, "%s: %s", out->zName,
                       _(r, "choose the relationship to the head."));
  }
  return 0;
}

void web_member_form(struct web_req *r, const struct household *h,
                     const struct member *m, int bPosted)
{
  char zAction[120], zBorn[16];
  const char *zName, *zSex, *zNid, *zPhone, *zStatus;
  int rel, dis;
  if (m && !bPosted) {
    char zSexBuf[2] = {m->sex, 0};
    zName = m->zName;
    zSex = zSexBuf[0] == 'F' ? "F" : "M";
    snprintf(zBorn, sizeof zBorn, "%s", m->zBorn);
    zNid = m->zNationalId;
    zPhone = m->zPhone;
    rel = m->relationship;
    dis = m->disability;
    zStatus = m->zStatus;
  } else {
    zName = param(r, "", "name");
    zSex = param(r, "", "sex");
    snprintf(zBorn, sizeof zBorn, "%s", param(r, "", "born"));
    zNid = param(r, "", "nid");
    zPhone = param(r, "", "phone");
    rel = cases_relationship_parse(param(r, "", "rel"));
    dis = param(r, "", "disability")[0] != '\0';
    zStatus = param(r, "", "status");
  }
  if (m)
    snprintf(zAction, sizeof zAction, "/household/%s/member/%d", h->zRegno,
             m->line_no);
  else
    snprintf(zAction, sizeof zAction, "/household/%s/member/new", h->zRegno);
  web_form_open(r, zAction, NULL);
  html_printf(r,
              "<label for=\"name\">%h</label><input type=\"text\" id=\"name\" "
              "name=\"name\" value=\"%h\" size=\"40\" maxlength=\"200\" "
              "required autofocus>\n<label for=\"sex\">%h</label>",
              _(r, "Name"), zName, _(r, "Sex"));
  sex_select(r, "sex", zSex, _(r, "Sex"));
  html_printf(r,
              "<label for=\"born\">%h</label><input type=\"text\" id=\"born\" "
              "name=\"born\" value=\"%h\" placeholder=\"%h\" maxlength=\"10\" "
              "required>\n<label for=\"rel\">%h</label>",
              _(r, "Born"), zBorn, _(r, "YYYY or YYYY-MM-DD"),
              _(r, "Relationship to the head"));
  rel_select(r, "rel", rel, m != NULL, _(r, "Relationship to the head"));
  if (m && m->relationship != REL_HEAD) {
    html_printf(r, "<label for=\"previous_head_as\">%h</label>",
                _(r, "If this person becomes head: what the present head "
                     "becomes to them"));
    rel_select(r, "previous_head_as", 0, 0, _(r, "Previous head becomes"));
  }
  html_printf(r,
              "<label for=\"nid\">%h</label><input type=\"text\" id=\"nid\" "
              "name=\"nid\" value=\"%h\" maxlength=\"40\">\n<label "
              "for=\"phone\">%h</label><input type=\"text\" id=\"phone\" "
              "name=\"phone\" value=\"%h\" inputmode=\"tel\" "
              "maxlength=\"20\">\n<label><input type=\"checkbox\" "
              "name=\"disability\" value=\"1\"%h> %h</label>\n",
              _(r, "National ID"), zNid, _(r, "Phone"), zPhone,
              dis ? " checked" : "", _(r, "Has a disability"));
  if (m) {
    static const char *const azStatus[] = {"active", "left", "deceased"};
    static const char *const azLabel[] = {N_("active"),
                                          N_("left the household"),
                                          N_("deceased")};
    html_printf(r, "<label for=\"status\">%h</label><select id=\"status\" "
                   "name=\"status\">",
                _(r, "Status"));
    for (int i = 0; i < 3; i++)
      html_printf(r, "<option value=\"%h\"%h>%h</option>", azStatus[i],
                  strcmp(zStatus, azStatus[i]) == 0 ? " selected" : "",
                  _(r, azLabel[i]));
    html_raw(r, "</select>\n");
  }
  html_printf(r, "<p class=\"actions\"><button type=\"submit\">%h</button> "
                 "<a class=\"button secondary\" href=\"/household/%t\">%h</a>"
                 "</p></form>\n",
              _(r, "Save"), h->zRegno, _(r, "Cancel"));
}

/* ---- duplicates, side by side ------------------------------------------ */

/* Every posted field again, hidden (but the CSRF token and the reason). */
static void resend_fields(struct web_req *r)
{
  for (int i = 0; i < r->form.n; i++) {
    const struct form_field *f = &r->form.a[i];
    if (strcmp(f->zName, "csrf") == 0 || strcmp(f->zName, "force_reason") == 0
        || strcmp(f->zName, "more") == 0)
      continue;
    html_printf(r, "<input type=\"hidden\" name=\"%h\" value=\"%h\">\n",
                f->zName, f->zValue);
  }
}

static void typed_person(struct web_req *r, const char *zPrefix)
{
  const char *zName = param(r, zPrefix, "name");
  if (zName[0] == '\0')
    return;
  const char *zSex = param(r, zPrefix, "sex");
  html_printf(r, "<li><strong>%h</strong>, %h, %h %h", zName,
              strcmp(zSex, "F") == 0 ? _(r, "female") : _(r, "male"),
              _(r, "born"), param(r, zPrefix, "born"));
  if (param(r, zPrefix, "nid")[0])
    html_printf(r, ", %h %h", _(r, "ID"), param(r, zPrefix, "nid"));
  html_raw(r, "</li>\n");
}

void web_dup_compare(struct web_req *r, const struct dedup_list *dups,
                     int bMember)
{
  web_notice(r, "warn",
             _(r, "This family may already be registered. Nothing was saved "
                  "yet. Compare with the family in front of you."));
  html_printf(r, "<div class=\"side\"><section class=\"card typed\"><h3>%h"
                 "</h3><ul>\n",
              bMember ? _(r, "The person being added")
                      : _(r, "The family being registered"));
  if (bMember) {
    typed_person(r, "");
  } else {
    typed_person(r, "h_");
    int64_t rows = ROWS_START;
    sws_parse_int64("rows", web_param_trim(r, "rows"), 1, ROWS_MAX, &rows,
                    NULL);
    for (int i = 1; i <= rows; i++) {
      char z[16];
      snprintf(z, sizeof z, "m%d_", i);
      typed_person(r, z);
    }
  }
  html_printf(r, "</ul></section>\n<section class=\"found\"><h3>%h</h3>\n",
              _(r, "Already registered"));
  for (int i = 0; i < dups->n && i < 10; i++) {
    const struct dedup_hit *d = &dups->a[i];
    html_printf(r, "<div class=\"card dup\"><h3><a href=\"/household/%t\">"
                   "%h</a>",
                d->zRegno, d->zRegno);
    if (d->inactive)
      web_tag(r, "bad", _(r, "deactivated"));
    html_printf(r, "</h3>\n<p><strong>%h</strong> (%h %d), %h %h, ", d->zName,
                _(r, "member"), d->line_no, _(r, "born"), d->zBorn);
    web_area_label(r, d->zArea);
    html_printf(r, "</p>\n<p>%h <strong>%h</strong>: %h (%h %.2f)</p>\n"
                   "<p><a class=\"button\" href=\"/household/%t\">%h</a></p>"
                   "</div>\n",
                _(r, "Resembles"), d->zInput, d->zReasons, _(r, "score"),
                d->score, d->zRegno, _(r, "This is the same family: open it"));
  }
  if (dups->n > 10)
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "More possible duplicates were found; the best ten are "
                     "shown."));
  html_raw(r, "</section></div>\n");
  char zAction[160];
  if (bMember)
    snprintf(zAction, sizeof zAction, "/household/%s/member/new",
             r->azArg[0]);
  else
    snprintf(zAction, sizeof zAction, "/register");
  web_form_open(r, zAction, "force");
  resend_fields(r);
  html_printf(r,
              "<h2>%h</h2>\n<p>%h</p>\n<label for=\"force_reason\">%h</label>"
              "<textarea id=\"force_reason\" name=\"force_reason\" required "
              "maxlength=\"500\"></textarea>\n<p class=\"actions\"><button "
              "type=\"submit\" class=\"danger\">%h</button></p></form>\n",
              _(r, "A different family?"),
              _(r, "Register anyway only when you have checked with the "
                   "family that they are not the household shown. A "
                   "supervisor will review it."),
              _(r, "Why is this a different family? (required)"),
              bMember ? _(r, "Add anyway") : _(r, "Register anyway"));
}

/* ---- registration ------------------------------------------------------ */

static void register_form(struct web_req *r, int nRows)
{
  web_form_open(r, "/register", "register");
  html_printf(r, "<input type=\"hidden\" name=\"rows\" value=\"%d\">\n"
                 "<fieldset><legend>%h</legend>\n<div class=\"row\"><div>"
                 "<label for=\"area\">%h</label>",
              nRows, _(r, "Where the household lives"), _(r, "Village"));
  web_village_select(r, "area", web_param(r, "area"));
  html_printf(r,
              "</div><div><label for=\"address\">%h</label><input "
              "type=\"text\" id=\"address\" name=\"address\" value=\"%h\" "
              "size=\"40\" maxlength=\"500\"></div></div></fieldset>\n"
              "<fieldset><legend>%h</legend>\n<div class=\"row\"><div><label "
              "for=\"h_name\">%h</label><input type=\"text\" id=\"h_name\" "
              "name=\"h_name\" value=\"%h\" size=\"30\" maxlength=\"200\" "
              "required autofocus></div><div><label for=\"h_sex\">%h</label>",
              _(r, "Address"), web_param_trim(r, "address"),
              _(r, "Head of household"), _(r, "Name"),
              web_param_trim(r, "h_name"), _(r, "Sex"));
  sex_select(r, "h_sex", web_param(r, "h_sex"), _(r, "Sex"));
  html_printf(r,
              "</div><div><label for=\"h_born\">%h</label><input type=\"text\" "
              "id=\"h_born\" name=\"h_born\" value=\"%h\" placeholder=\"%h\" "
              "size=\"11\" maxlength=\"10\" required></div><div><label "
              "for=\"h_nid\">%h</label><input type=\"text\" id=\"h_nid\" "
              "name=\"h_nid\" value=\"%h\" size=\"14\" maxlength=\"40\">"
              "</div><div><label for=\"h_phone\">%h</label><input "
              "type=\"text\" id=\"h_phone\" name=\"h_phone\" value=\"%h\" "
              "inputmode=\"tel\" size=\"14\" maxlength=\"20\"></div><div>"
              "<label><input type=\"checkbox\" name=\"h_disability\" "
              "value=\"1\"%h> %h</label></div></div></fieldset>\n",
              _(r, "Born"), web_param_trim(r, "h_born"),
              _(r, "YYYY or YYYY-MM-DD"), _(r, "National ID"),
              web_param_trim(r, "h_nid"), _(r, "Phone"),
              web_param_trim(r, "h_phone"),
              web_param(r, "h_disability") ? " checked" : "",
              _(r, "Has a disability"));
  html_printf(r, "<fieldset><legend>%h</legend>\n<p class=\"muted\">%h</p>\n"
                 "<table class=\"members\"><thead><tr><th>%h</th><th>%h</th>"
                 "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead>"
                 "<tbody>\n",
              _(r, "Other members"),
              _(r, "Leave a row empty if it is not needed."), _(r, "Name"),
              _(r, "Sex"), _(r, "Born"), _(r, "Relationship to the head"),
              _(r, "National ID"), _(r, "Disability"));
  for (int i = 1; i <= nRows; i++) {
    char zP[16], zN[32];
    snprintf(zP, sizeof zP, "m%d_", i);
    snprintf(zN, sizeof zN, "m%d_name", i);
    html_printf(r, "<tr><td><input type=\"text\" name=\"%h\" value=\"%h\" "
                   "aria-label=\"%h %d\" maxlength=\"200\"></td><td>",
                zN, param(r, zP, "name"), _(r, "Name of member"), i);
    snprintf(zN, sizeof zN, "m%d_sex", i);
    sex_select(r, zN, param(r, zP, "sex"), _(r, "Sex"));
    snprintf(zN, sizeof zN, "m%d_born", i);
    html_printf(r, "</td><td><input type=\"text\" name=\"%h\" value=\"%h\" "
                   "size=\"11\" maxlength=\"10\" aria-label=\"%h\" "
                   "placeholder=\"%h\"></td><td>",
                zN, param(r, zP, "born"), _(r, "Born"),
                _(r, "YYYY or YYYY-MM-DD"));
    snprintf(zN, sizeof zN, "m%d_rel", i);
    rel_select(r, zN, cases_relationship_parse(param(r, zP, "rel")), 0,
               _(r, "Relationship to the head"));
    snprintf(zN, sizeof zN, "m%d_nid", i);
    html_printf(r, "</td><td><input type=\"text\" name=\"%h\" value=\"%h\" "
                   "size=\"14\" maxlength=\"40\" aria-label=\"%h\"></td>",
                zN, param(r, zP, "nid"), _(r, "National ID"));
    snprintf(zN, sizeof zN, "m%d_disability", i);
    html_printf(r, "<td><input type=\"checkbox\" name=\"%h\" value=\"1\"%h "
                   "aria-label=\"%h\"></td></tr>\n",
                zN, param(r, zP, "disability")[0] ? " checked" : "",
                _(r, "Has a disability"));
  }
  html_raw(r, "</tbody></table>\n");
  if (nRows < ROWS_MAX)
    html_printf(r, "<button type=\"submit\" name=\"more\" value=\"1\" "
                   "class=\"secondary\" formnovalidate>%h</button>\n",
                _(r, "More rows"));
  html_printf(r, "</fieldset>\n<p class=\"actions\"><button type=\"submit\">"
                 "%h</button></p></form>\n",
              _(r, "Check for duplicates and register"));
}

int page_register(struct web_req *r)
{
  web_header(r, _(r, "Register a household"));
  html_printf(r, "<p class=\"muted\">%h</p>\n",
              _(r, "Search first: the family may already be registered. "
                   "Before saving, sws looks for possible duplicates of "
                   "every member."));
  register_form(r, ROWS_START);
  web_footer(r);
  return 0;
}

/* Keep err's message (one mistake in the form) in errs, NUL-separated,
 * and clear err for the next check. 1, for counting. */
static int note_error(struct buf *errs, struct sws_err *err)
{
  buf_puts(errs, err->msg);
  buf_putc(errs, '\0');
  sws_err_clear(err);
  return 1;
}

int page_register_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct member_input aM[ROWS_MAX + 1];
  struct household_input in;
  struct dedup_list dups = DEDUP_LIST_INIT;
  char zRegno[SWS_NUMBER_MAX];
  int64_t rows = ROWS_START;
  int n = 1, rc;
  memset(&in, 0, sizeof in);
  if (sws_parse_int64("rows", web_param_trim(r, "rows"), 1, ROWS_MAX, &rows,
                      NULL) != 0)
    rows = ROWS_START;
  if (web_param(r, "more")) {
    /* more rows: the same form again, nothing saved */
    web_header(r, _(r, "Register a household"));
    register_form(r, (int)(rows + ROWS_MORE > ROWS_MAX ? ROWS_MAX
                                                       : rows + ROWS_MORE));
    web_footer(r);
    return 0;
  }
  /* every mistake in the form at once, not one per attempt */
  struct buf errs = BUF_INIT;
  int nErr = 0;
  rc = web_member_input(r, "h_", &aM[0], 0, &err);
  aM[0].relationship = REL_HEAD;
  if (rc == 0)
    rc = cases_member_input_check(r->ctx, &aM[0], aM[0].zName, &err);
  if (rc != 0)
    nErr += note_error(&errs, &err);
  for (int i = 1; i <= rows; i++) {
    char zP[16];
    snprintf(zP, sizeof zP, "m%d_", i);
    if (param(r, zP, "name")[0] == '\0')
      continue;
    rc = web_member_input(r, zP, &aM[n], 1, &err);
    if (rc == 0 && aM[n].relationship == REL_HEAD)
      rc = sws_err_set(&err, SWS_EINVAL, "%s: %s", aM[n].zName,
                       _(r, "Only one head: give the others another "
                            "relationship."));
    if (rc == 0)
      rc = cases_member_input_check(r->ctx, &aM[n], aM[n].zName, &err);
    if (rc != 0)
      nErr += note_error(&errs, &err);
    n++;
  }
  in.zArea = web_param_trim(r, "area");
  in.zAddress = web_param_trim(r, "address");
  in.zPhone = aM[0].zPhone;
  in.aMember = aM;
  in.nMember = n;
  const char *zForce = web_param_trim(r, "force_reason");
  in.zForceReason = zForce[0] ? zForce : NULL;
  if (in.zArea[0] == '\0') {
    sws_err_set(&err, SWS_EINVAL, "%s", _(r, "Choose the village."));
    nErr += note_error(&errs, &err);
  }
  rc = nErr ? SWS_EINVAL : 0;
  if (rc == 0)
    rc = cases_household_create(r->ctx, &in, zRegno, &dups, &err);
  if (rc == 0) {
    rc = web_redirect(r, "/household/%t?done=%s", zRegno,
                      dups.n ? "forced" : "registered");
    dedup_list_release(&dups);
    buf_release(&errs);
    return rc;
  }
  r->status = 422;
  web_header(r, _(r, "Register a household"));
  if (nErr > 0) {
    html_raw(r, "<div class=\"notice error\" role=\"alert\"><ul>");
    for (const char *p = buf_str(&errs); *p; p += strlen(p) + 1)
      html_printf(r, "<li>%h</li>", p);
    html_raw(r, "</ul></div>\n");
  } else if (err.code == SWS_EDUP) {
    web_dup_compare(r, &dups, 0);
    html_printf(r, "<h2>%h</h2>\n", _(r, "Or correct what was typed"));
  } else {
    web_error_notice(r, &err);
  }
  register_form(r, (int)rows);
  dedup_list_release(&dups);
  buf_release(&errs);
  web_footer(r);
  return 0;
}
