/*
 * central_page.c - the registry UI's duplicates: the pairs of households
 * of the officer's area that may be one family registered at two offices,
 * page by page; each side by side (the comparison `sws central duplicates
 * show` prints: every member, sex, birth date, village, office,
 * registration day; of a national ID its last three characters), with the
 * decisions: same family (merge), different families (dismiss, saying
 * why), and undoing either. Decisions go through sync/central_scope.h to
 * the functions the command line calls (audited, fed to both offices).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "pos/web/central_int.h"

#define PAIRS_PER_PAGE 50

int cpage_home(struct web_req *r)
{
  return web_redirect(r, "/duplicates");
}

/* "Phnom Penh (12)" or "everywhere": the officer's area, into the page. */
static void area_line(struct web_req *r)
{
  const struct central_account *a = &CWEB(r)->acct;
  if (a->role == CROLE_NATIONAL)
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "Your area: the whole registry."));
  else
    html_printf(r, "<p class=\"muted\">%h %h (%h)</p>\n", _(r, "Your area:"),
                a->zAreaName[0] ? a->zAreaName : a->zArea, a->zArea);
}

struct dup_page {
  struct web_req *r;
  int64_t skip, n, total;
};

static void household_cell(struct web_req *r, const struct central_household *h)
{
  html_printf(r, "<td>%h<br><span class=\"muted\">%h, %h, %h</span></td>",
              h->zRegno, h->zHead, h->zOffice, h->zArea);
}

static int dup_row(int64_t id, const struct central_household *a,
                   const struct central_household *b, double score,
                   const char *zReasons, const char *zStatus, void *arg)
{
  struct dup_page *d = arg;
  struct web_req *r = d->r;
  (void)id;
  d->total++;
  if (d->total <= d->skip || d->n >= PAIRS_PER_PAGE)
    return 0;
  d->n++;
  html_raw(r, "<tr>");
  household_cell(r, a);
  household_cell(r, b);
  html_printf(r, "<td class=\"num\">%.2f</td><td>%h</td><td>%h</td>", score,
              zReasons, web_state_text(r, zStatus));
  html_printf(r, "<td><a href=\"/duplicates/%t/%t\">%h</a></td></tr>\n",
              a->zRegno, b->zRegno, _(r, "Compare"));
  return 0;
}

int cpage_duplicates(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  const char *zPage = web_param(r, "page");
  int bAll = web_param(r, "all") != NULL;
  int64_t page = 1;
  if (zPage && sws_parse_int64("page", zPage, 1, 1000000, &page, &err) != 0)
    return web_message_page(r, 400, N_("Bad request"),
                            N_("This page number does not exist."));
  struct dup_page d = {r, (page - 1) * PAIRS_PER_PAGE, 0, 0};
  web_header(r, _(r, "Possible duplicates across offices"));
  area_line(r);
  html_printf(
      r, "<p><a href=\"/duplicates%h\">%h</a></p>\n", bAll ? "" : "?all=1",
      bAll ? _(r, "Show the open pairs only") : _(r, "Show decided pairs too"));
  html_printf(r,
              "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
              "<th>%h</th><th>%h</th><th></th></tr></thead><tbody>\n",
              _(r, "Household"), _(r, "Household"), _(r, "Score"), _(r, "Why"),
              _(r, "Status"));
  if (central_scope_duplicates(q->cw->c, &q->scope, bAll, dup_row, &d, &err) !=
      0)
    return err.code;
  html_raw(r, "</tbody></table>\n");
  if (d.total == 0)
    web_notice(r, "ok",
               _(r, "No possible duplicates to review in your "
                    "area."));
  html_raw(r, "<p class=\"actions\">");
  if (page > 1)
    html_printf(r, "<a href=\"/duplicates?page=%lld%h\">%h</a> ",
                (long long)(page - 1), bAll ? "&all=1" : "",
                _(r, "Previous page"));
  if (d.total > d.skip + d.n)
    html_printf(r, "<a href=\"/duplicates?page=%lld%h\">%h</a>",
                (long long)(page + 1), bAll ? "&all=1" : "", _(r, "Next page"));
  html_raw(r, "</p>\n");
  web_footer(r);
  return 0;
}

static void member_text(struct web_req *r, const struct pair_side *s, int i)
{
  if (i >= s->n) {
    html_raw(r, "<td></td>");
    return;
  }
  const struct pair_person *p = &s->a[i];
  html_printf(r, "<td>%d. %h, %h, %h, %h", p->line, p->zName, p->zSex, p->zBorn,
              p->zRelationship);
  if (p->zIdTail[0])
    html_printf(r, ", %h %h", _(r, "ID"), p->zIdTail);
  if (!p->bActive)
    web_tag(r, "", _(r, "left"));
  html_raw(r, "</td>");
}

static void fact_row(struct web_req *r, const char *zLabel, const char *zA,
                     const char *zB)
{
  html_printf(r, "<tr><th>%h</th><td>%h</td><td>%h</td></tr>\n", zLabel, zA,
              zB);
}

static void decision_forms(struct web_req *r, const struct central_pair *p)
{
  char zAction[200];
  const char *a = p->s[0].h.zRegno, *b = p->s[1].h.zRegno;
  html_printf(r, "<h2>%h</h2>\n", _(r, "Decision"));
  if (strcmp(p->zStatus, "open") == 0) {
    html_raw(r, "<div class=\"side\"><div>");
    snprintf(zAction, sizeof zAction, "/duplicates/%s/%s/merge", a, b);
    web_form_open(r, zAction, NULL);
    html_printf(r,
                "<p>%h</p><button type=\"submit\">%h</button></form>"
                "</div><div>\n",
                _(r, "One family registered twice: the second household "
                     "becomes part of the first, at both offices."),
                _(r, "Same family: merge"));
    snprintf(zAction, sizeof zAction, "/duplicates/%s/%s/dismiss", a, b);
    web_form_open(r, zAction, NULL);
    html_printf(r,
                "<label for=\"reason\">%h</label><textarea id=\"reason\" "
                "name=\"reason\" required maxlength=\"500\"></textarea>"
                "<p><button type=\"submit\" class=\"secondary\">%h</button>"
                "</p></form></div></div>\n",
                _(r, "Why they are different families"),
                _(r, "Different families"));
    return;
  }
  int bMerged = strcmp(p->zStatus, "merged") == 0;
  snprintf(zAction, sizeof zAction, "/duplicates/%s/%s/%s", a, b,
           bMerged ? "unmerge" : "reopen");
  web_form_open(r, zAction, NULL);
  html_printf(r,
              "<p>%h</p><button type=\"submit\" class=\"danger\">%h"
              "</button></form>\n",
              bMerged ? _(r, "Merged as one family. Undoing it makes them "
                             "two households again, at both offices.")
                      : _(r, "Decided different families. Undoing it puts "
                             "the pair back in review, at both offices."),
              bMerged ? _(r, "Undo the merge") : _(r, "Undo: review again"));
}

/* The comparison of pair A B (the request's path), with a notice. */
static int pair_page(struct web_req *r, int status, const char *zNoticeClass,
                     const char *zNotice)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  struct central_pair p;
  int rc = central_scope_pair(q->cw->c, &q->scope, r->azArg[0], r->azArg[1], &p,
                              &err);
  if (rc == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no such pair of households in "
                               "your area."));
  if (rc != 0)
    return rc;
  r->status = status;
  web_header(r, _(r, "Two households side by side"));
  if (zNotice)
    web_notice(r, zNoticeClass, zNotice);
  html_printf(r, "<p>%h: %h, %h %.2f (%h)</p>\n", _(r, "Status"),
              web_state_text(r, p.zStatus), _(r, "score"), p.score, p.zReasons);
  if (p.zNote[0])
    html_printf(r, "<p>%h: %h</p>\n", _(r, "Why"), p.zNote);
  const struct pair_side *a = &p.s[0], *b = &p.s[1];
  html_printf(r,
              "<table class=\"pair\"><thead><tr><th></th><th>%h</th>"
              "<th>%h</th></tr></thead><tbody>\n",
              a->h.zRegno, b->h.zRegno);
  fact_row(r, _(r, "Office"), a->h.zOffice, b->h.zOffice);
  fact_row(r, _(r, "Registered"), a->zCreatedAt, b->zCreatedAt);
  html_printf(r, "<tr><th>%h</th><td>%h (%h)</td><td>%h (%h)</td></tr>\n",
              _(r, "Village"), a->zAreaName, a->h.zArea, b->zAreaName,
              b->h.zArea);
  if (a->h.zMergedInto[0] || b->h.zMergedInto[0])
    fact_row(r, _(r, "Merged into"), a->h.zMergedInto[0] ? b->h.zRegno : "",
             b->h.zMergedInto[0] ? a->h.zRegno : "");
  for (int i = 0; i < a->n || i < b->n; i++) {
    html_printf(r, "<tr><th>%h</th>", i == 0 ? _(r, "Members") : "");
    member_text(r, a, i);
    member_text(r, b, i);
    html_raw(r, "</tr>\n");
  }
  html_raw(r, "</tbody></table>\n");
  decision_forms(r, &p);
  html_printf(r, "<p><a href=\"/duplicates\">%h</a></p>\n",
              _(r, "Back to the list"));
  central_pair_release(&p);
  web_footer(r);
  return 0;
}

int cpage_pair(struct web_req *r)
{
  const char *zDone = web_param(r, "done");
  return pair_page(r, 200, "ok",
                   zDone ? _(r, "Decided. Both offices learn it at their next "
                                "sync.")
                         : NULL);
}

int cpage_pair_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct cweb_req *q = CWEB(r);
  struct central *c = q->cw->c;
  const char *zA = r->azArg[0], *zB = r->azArg[1], *zWhat = r->azArg[2];
  int rc;
  if (strcmp(zWhat, "merge") == 0)
    rc = central_scope_merge(c, &q->scope, zA, zB, &err);
  else if (strcmp(zWhat, "unmerge") == 0)
    rc = central_scope_unmerge(c, &q->scope, zA, zB, &err);
  else if (strcmp(zWhat, "dismiss") == 0)
    rc = central_scope_dismiss(c, &q->scope, zA, zB,
                               web_param_trim(r, "reason"), &err);
  else if (strcmp(zWhat, "reopen") == 0)
    rc = central_scope_reopen(c, &q->scope, zA, zB, &err);
  else
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no page at this address."));
  if (rc == 0)
    return web_redirect(r, "/duplicates/%t/%t?done=1", zA, zB);
  if (rc == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no such pair of households in "
                               "your area."));
  if (rc != SWS_EINVAL && rc != SWS_ECONFLICT)
    return rc;
  return pair_page(r, rc == SWS_EINVAL ? 400 : 409, "error", err.msg);
}
