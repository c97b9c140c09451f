/*
 * central_page_sync.c - the registry UI's view of sync: the field
 * conflicts raised by the offices of the officer's area, with the decision
 * (keep the registry's value, or write the office's) for national
 * officers, through the function behind `sws central conflict resolve`;
 * and the offices of the area with each device's last push and pull,
 * watermark, clock skew and whether it is revoked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "pos/web/central_int.h"
#include "sync/central_audit.h"

struct conflict_page {
  struct web_req *r;
  int n;
  int bDecide;
};

static int conflict_row(const struct central_conflict *k, const char *zRegno,
                        void *arg)
{
  struct conflict_page *p = arg;
  struct web_req *r = p->r;
  char zAction[64];
  p->n++;
  html_printf(r, "<tr id=\"c%lld\"><td>#%lld</td><td>%h</td><td>%h",
              (long long)k->id, (long long)k->id, k->zOffice, k->zWhat);
  if (zRegno[0])
    html_printf(r, "<br>%h", zRegno);
  html_printf(r,
              "</td><td>%h</td><td><code>%h</code></td><td><code>%h</code>"
              "</td><td>%h</td><td>",
              k->zField, k->zOfficeValue ? k->zOfficeValue : "null",
              k->zServerValue ? k->zServerValue : "null", k->zAt);
  if (p->bDecide && strcmp(k->zStatus, "open") == 0) {
    snprintf(zAction, sizeof zAction, "/conflicts/%lld", (long long)k->id);
    web_form_open(r, zAction, NULL);
    html_printf(r,
                "<label class=\"inline\"><input type=\"radio\" "
                "name=\"keep\" value=\"registry\" required> %h</label>"
                "<label class=\"inline\"><input type=\"radio\" name=\"keep\" "
                "value=\"office\"> %h</label>"
                "<label for=\"note%lld\">%h</label><input type=\"text\" "
                "id=\"note%lld\" name=\"note\" required maxlength=\"500\">"
                " <button type=\"submit\">%h</button></form>",
                _(r, "keep the registry's"), _(r, "use the office's"),
                (long long)k->id, _(r, "Why"), (long long)k->id,
                _(r, "Decide"));
  } else {
    html_printf(r, "%h", web_state_text(r, k->zStatus));
  }
  html_raw(r, "</td></tr>\n");
  return 0;
}

static int conflicts_page(struct web_req *r, int status, const char *zClass,
                          const char *zNotice)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  struct conflict_page p = {r, 0, cweb_role_can(q->acct.role, CCAP_NATIONAL)};
  r->status = status;
  web_header(r, _(r, "Sync conflicts"));
  if (zNotice)
    web_notice(r, zClass, zNotice);
  html_printf(r, "<p>%h</p>\n",
              _(r, "A field two sides changed: the registry kept its value; "
                   "the office's waits here for a decision."));
  if (!p.bDecide)
    web_notice(r, "warn",
               _(r, "Only a national officer decides "
                    "conflicts: a decision changes a record that "
                    "offices of other areas may hold."));
  html_printf(r,
              "<table><thead><tr><th>#</th><th>%h</th><th>%h</th><th>%h</th>"
              "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead>"
              "<tbody>\n",
              _(r, "Office"), _(r, "Record"), _(r, "Field"),
              _(r, "Office's value"), _(r, "Registry's value"), _(r, "When"),
              _(r, "Decision"));
  if (central_scope_conflicts(q->cw->c, &q->scope, 0, conflict_row, &p, &err) !=
      0)
    return err.code;
  html_raw(r, "</tbody></table>\n");
  if (p.n == 0)
    web_notice(r, "ok", _(r, "No conflicts waiting in your area."));
  web_footer(r);
  return 0;
}

int cpage_conflicts(struct web_req *r)
{
  return conflicts_page(r, 200, "ok",
                        web_param(r, "done")
                            ? _(r, "Decided. The office learns it at its "
                                   "next sync.")
                            : NULL);
}

int cpage_conflict_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  const char *zKeep = web_param(r, "keep");
  const char *zNote = web_param_trim(r, "note");
  int64_t id;
  if (sws_parse_int64("the conflict", r->azArg[0], 1, INT64_MAX, &id, &err) !=
      0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no page at this address."));
  if (zKeep == NULL ||
      (strcmp(zKeep, "registry") != 0 && strcmp(zKeep, "office") != 0))
    return conflicts_page(r, 400, "error",
                          _(r, "Choose which value stands: the registry's or "
                               "the office's."));
  if (*zNote == '\0')
    return conflicts_page(r, 400, "error",
                          _(r, "Say why (the note is kept with the "
                               "decision)."));
  int rc = central_scope_resolve(q->cw->c, &q->scope, id,
                                 strcmp(zKeep, "office") == 0, zNote, &err);
  if (rc == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no such conflict in your area."));
  if (rc == SWS_ECONFLICT || rc == SWS_EINVAL)
    return conflicts_page(r, rc == SWS_EINVAL ? 400 : 409, "error", err.msg);
  if (rc != 0)
    return rc;
  return web_redirect(r, "/conflicts?done=1");
}

/* ---- offices ---- */

static void skew_text(char *z, size_t n, const struct central_office *o)
{
  if (!o->hasSkew)
    snprintf(z, n, "-");
  else
    snprintf(z, n, "%+lld s", (long long)o->skew);
}

/* The last audit chain head the device sent: its row, when, and whether
 * a later one failed to extend it. */
static void audit_head_cell(struct web_req *r, const char *zDevice)
{
  struct central_audit_head h;
  struct sws_err err = SWS_ERR_INIT;
  if (central_audit_head_get(CWEB(r)->cw->c, zDevice, &h, &err) != 0 ||
      h.zDevice[0] == '\0') {
    html_printf(r, "%h", _(r, "none received yet"));
    return;
  }
  html_printf(r, "%h %lld, %h", _(r, "row"), (long long)h.id, h.zReceivedAt);
  if (h.zDivergedAt[0]) {
    web_tag(r, "bad", _(r, "audit chain diverged"));
    html_printf(r, " <span class=\"muted\">%h</span>", h.zDivergedWhy);
  }
}

static int office_row(const struct central_office *o, void *arg)
{
  struct web_req *r = arg;
  char zSkew[32], zAck[24];
  skew_text(zSkew, sizeof zSkew, o);
  snprintf(zAck, sizeof zAck, "%lld", (long long)o->ack);
  html_printf(r, "<tr><td><a href=\"/offices/%t\">%h</a></td><td>%h", o->zCode,
              o->zCode, o->zName);
  if (strcmp(o->zOffice, o->zCode) != 0)
    html_printf(r, " <span class=\"muted\">(%h %h)</span>", _(r, "a device of"),
                o->zOffice);
  html_printf(r,
              "</td><td>%h</td><td>%h</td><td class=\"num\">%h</td>"
              "<td class=\"num\">%h</td><td>",
              o->zLastPushAt[0] ? o->zLastPushAt : _(r, "never"),
              o->zLastPullAt[0] ? o->zLastPullAt : _(r, "never"), zAck, zSkew);
  if (o->active)
    html_printf(r, "%h", _(r, "active"));
  else
    web_tag(r, "bad", _(r, "revoked"));
  if (o->divergedSeq)
    web_tag(r, "bad", _(r, "went back in time"));
  html_raw(r, "</td><td>");
  audit_head_cell(r, o->zCode);
  html_raw(r, "</td></tr>\n");
  return 0;
}

int cpage_offices(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  web_header(r, _(r, "Offices"));
  html_printf(r,
              "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th><th>%h</th>"
              "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead>"
              "<tbody>\n",
              _(r, "Code"), _(r, "Name"), _(r, "Last push"), _(r, "Last pull"),
              _(r, "Acknowledged up to"), _(r, "Clock skew"), _(r, "Status"),
              _(r, "Audit chain head"));
  if (central_scope_offices(q->cw->c, &q->scope, office_row, r, &err) != 0)
    return err.code;
  html_raw(r, "</tbody></table>\n");
  web_footer(r);
  return 0;
}

int cpage_office(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  struct central_office o;
  char zSkew[32], zAck[24];
  int rc = central_scope_office(q->cw->c, &q->scope, r->azArg[0], &o, &err);
  if (rc == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no such office in your area."));
  if (rc != 0)
    return rc;
  skew_text(zSkew, sizeof zSkew, &o);
  snprintf(zAck, sizeof zAck, "%lld", (long long)o.ack);
  web_header(r, o.zName);
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h"
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
              "<dd>%h</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd>"
              "<dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd></dl>\n",
              _(r, "Code"), o.zCode, _(r, "Office"), o.zOffice, _(r, "Key"),
              o.zKeyId, _(r, "Enrolled"), o.zEnrolledAt, _(r, "Last push"),
              o.zLastPushAt[0] ? o.zLastPushAt : _(r, "never"),
              _(r, "Last pull"),
              o.zLastPullAt[0] ? o.zLastPullAt : _(r, "never"),
              _(r, "Acknowledged up to"), zAck, _(r, "Clock skew"), zSkew,
              _(r, "Status"), o.active ? _(r, "active") : _(r, "revoked"));
  if (o.divergedSeq) {
    char z[200];
    snprintf(z, sizeof z,
             "This device went back in time at sequence %lld (%s): replace "
             "it with a new device.",
             (long long)o.divergedSeq, o.zDivergedAt);
    web_notice(r, "error", z);
  }
  html_printf(r, "<dl class=\"facts\"><dt>%h</dt><dd>",
              _(r, "Audit chain head"));
  audit_head_cell(r, o.zCode);
  html_raw(r, "</dd></dl>\n");
  html_printf(r, "<p><a href=\"/offices\">%h</a></p>\n",
              _(r, "Back to the offices"));
  web_footer(r);
  return 0;
}
