/*
 * central_page_grievance.c - the registry UI's grievance queue: the
 * grievances waiting at the officer's layer for their area (a district
 * officer the district's queue, a province officer the province's, a
 * national officer the national one; sync/central_grievance.h), due
 * first, overdue ones marked, with the layer's steps: acknowledge, answer,
 * escalate to the layer above. Each step reaches the office that took the
 * ticket at its next sync. A sensitive grievance's text is not shown.
 */
#include <stdio.h>
#include <string.h>

#include "pos/web/central_int.h"
#include "sync/central_grievance.h"

struct queue_page {
  struct web_req *r;
  int n;
};

static int grievance_row(const struct central_grievance_row *g, void *arg)
{
  struct queue_page *p = arg;
  struct web_req *r = p->r;
  char zAction[120], zLate[80];
  p->n++;
  html_printf(r,
              "<tr><td>%h</td><td>%h<br><span class=\"muted\">%h%h%h"
              "</span></td><td>%h",
              g->zTicket, g->zOffice, g->zDistrictName,
              g->zProvinceName[0] ? ", " : "", g->zProvinceName, g->zCategory);
  if (g->sensitive)
    web_tag(r, "bad", _(r, "sensitive: text not shown"));
  else
    html_printf(r, "<br>%h", g->zText);
  html_printf(r, "</td><td>%h</td><td>%h", web_state_text(r, g->zStatus),
              g->zReceivedAt);
  html_printf(r, "</td><td>%h", g->zDue[0] ? g->zDue : "-");
  if (g->daysOverdue > 0) {
    snprintf(zLate, sizeof zLate,
             web_ntr(r, "%d day overdue", "%d days overdue", g->daysOverdue),
             g->daysOverdue);
    html_printf(r, "<br><span class=\"overdue\">%h</span>", zLate);
  }
  html_raw(r, "</td><td>");
  snprintf(zAction, sizeof zAction, "/grievances/%s", g->zTicket);
  web_form_open(r, zAction, NULL);
  html_printf(r, "<select name=\"step\" aria-label=\"%h\">", _(r, "Step"));
  if (strcmp(g->zStatus, "escalated") == 0)
    html_printf(r, "<option value=\"acknowledged\">%h</option>",
                _(r, "acknowledge"));
  html_printf(r, "<option value=\"answered\">%h</option>", _(r, "answer"));
  if (strcmp(CWEB(r)->scope.zLayer, "national") != 0)
    html_printf(r, "<option value=\"escalated\">%h</option>",
                _(r, "escalate to the layer above"));
  html_printf(r,
              "</select><textarea name=\"text\" aria-label=\"%h\" "
              "maxlength=\"4000\"></textarea><button type=\"submit\">%h"
              "</button></form></td></tr>\n",
              _(r, "The answer, or why it goes up"), _(r, "Record"));
  return 0;
}

static int queue_page(struct web_req *r, int status, const char *zClass,
                      const char *zNotice)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  struct queue_page p = {r, 0};
  r->status = status;
  web_header(r, _(r, "Grievances waiting here"));
  if (zNotice)
    web_notice(r, zClass, zNotice);
  html_printf(r, "<p class=\"muted\">%h %h</p>\n",
              _(r, "The queue of the layer:"), q->scope.zLayer);
  html_printf(r,
              "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th><th>%h"
              "</th><th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>\n",
              _(r, "Ticket"), _(r, "Office"), _(r, "Grievance"), _(r, "Status"),
              _(r, "Received"), _(r, "Due"), _(r, "Step"));
  if (central_scope_grievances(q->cw->c, &q->scope, 0, grievance_row, &p,
                               &err) != 0)
    return err.code;
  html_raw(r, "</tbody></table>\n");
  if (p.n == 0)
    web_notice(r, "ok", _(r, "No grievances waiting in your queue."));
  web_footer(r);
  return 0;
}

int cpage_grievances(struct web_req *r)
{
  return queue_page(r, 200, "ok",
                    web_param(r, "done")
                        ? _(r, "Recorded. The office learns it at its next "
                               "sync.")
                        : NULL);
}

int cpage_grievance_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  const char *zStep = web_param(r, "step");
  const char *zText = web_param_trim(r, "text");
  if (zStep == NULL ||
      (strcmp(zStep, "acknowledged") != 0 && strcmp(zStep, "answered") != 0 &&
       strcmp(zStep, "escalated") != 0))
    return queue_page(r, 400, "error", _(r, "Choose a step."));
  if (strcmp(zStep, "answered") == 0 && *zText == '\0')
    return queue_page(r, 400, "error", _(r, "Write the answer."));
  int rc = central_scope_grievance_step(q->cw->c, &q->scope, r->azArg[0], zStep,
                                        *zText ? zText : NULL, &err);
  if (rc == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no such grievance in your "
                               "queue."));
  if (rc == SWS_ECONFLICT || rc == SWS_EINVAL)
    return queue_page(r, rc == SWS_EINVAL ? 400 : 409, "error", err.msg);
  if (rc != 0)
    return rc;
  return web_redirect(r, "/grievances?done=1");
}
