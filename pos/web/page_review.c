/*
 * page_review.c - the supervisor's review queues (possible duplicates in
 * this office, decided here: cases/review.h; sync conflicts) and the sync
 * status page (last push and pull, changes waiting, rejected changes,
 * conflicts, items kept back). Supervisors and the administrator decide
 * duplicates and sync conflicts; the front desk and case managers see
 * neither page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/review.h"
#include "core/clock.h"
#include "core/text.h"
#include "sync/office.h"
#include "pos/web/web_int.h"

#define DUP_PAGE 50

/* The queue's filters and page, read from the request and checked. */
struct dup_view {
  struct review_filter f;
  int64_t page;                   /* 1.. */
  const char *zSource, *zVillage; /* as given ("" when none) */
};

static void dup_view_read(struct web_req *r, struct dup_view *v)
{
  struct sws_err e = SWS_ERR_INIT;
  const char *zPage = web_param(r, "page");
  memset(v, 0, sizeof *v);
  v->zSource = web_param_trim(r, "source");
  v->zVillage = web_param_trim(r, "village");
  v->page = 1;
  if (zPage && sws_parse_int64("page", zPage, 1, 1000000, &v->page, &e) != 0)
    v->page = 1;
  v->f.zSource = v->zSource[0] ? v->zSource : NULL;
  v->f.zVillage = v->zVillage[0] ? v->zVillage : NULL;
  v->f.limit = DUP_PAGE;
  v->f.offset = (v->page - 1) * DUP_PAGE;
}

/* A link to page n of the queue with the same filters. */
static void dup_page_link(struct web_req *r, const struct dup_view *v,
                          int64_t n, const char *zText)
{
  html_printf(r,
              "<a class=\"button secondary\" href=\"/review?page=%lld"
              "&amp;source=%t&amp;village=%t\">%h</a> ",
              (long long)n, v->zSource, v->zVillage, zText);
}

static void dup_filters(struct web_req *r, const struct dup_view *v)
{
  static const char *const azSrc[][2] = {{"", N_("Any source")},
                                         {"counter", N_("At the counter")},
                                         {"import", N_("On import")}};
  html_printf(r,
              "<form method=\"get\" action=\"/review\" class=\"inline\">"
              "<label>%h <select name=\"source\">",
              _(r, "Source"));
  for (size_t i = 0; i < sizeof azSrc / sizeof azSrc[0]; i++)
    html_printf(r, "<option value=\"%h\"%h>%h</option>", azSrc[i][0],
                strcmp(v->zSource, azSrc[i][0]) == 0 ? " selected" : "",
                _(r, azSrc[i][1]));
  html_printf(r,
              "</select></label> <label>%h <input name=\"village\" "
              "value=\"%h\" maxlength=\"32\" size=\"10\"></label> "
              "<button class=\"secondary\">%h</button></form>\n",
              _(r, "Village code"), v->zVillage, _(r, "Show"));
}

struct dup_rows {
  struct web_req *r;
  const struct dup_view *v;
  int n;
};

static int dup_row(const struct review_pair *p, void *arg)
{
  struct dup_rows *d = arg;
  struct web_req *r = d->r;
  char zAction[64];
  if (d->n++ == 0)
    html_printf(r,
                "<table id=\"duplicates\"><thead><tr><th>%h</th>"
                "<th>%h</th><th>%h</th><th>%h</th><th>%h</th><th>%h</th>"
                "<th>%h</th></tr></thead><tbody>\n",
                _(r, "No."), _(r, "Registered"), _(r, "Resembles"),
                _(r, "Score"), _(r, "Why"), _(r, "Source"), _(r, "Decide"));
  html_printf(
      r,
      "<tr id=\"dup-%lld\"><td>%lld</td><td><a href=\""
      "/household/%t\">%h</a><br>%h</td><td><a href=\""
      "/household/%t\">%h</a><br>%h</td><td>%.2f</td><td>%h"
      "</td><td>%h<br>%T</td><td>",
      (long long)p->id, (long long)p->id, p->a.zRegno, p->a.zRegno,
      p->a.zPerson, p->b.zRegno, p->b.zRegno, p->b.zPerson, p->score,
      p->zReasons,
      _(r, strcmp(p->zSource, "import") == 0 ? "On import" : "At the counter"),
      p->zCreatedAt);
  snprintf(zAction, sizeof zAction, "/review/duplicate/%lld", (long long)p->id);
  web_form_open(r, zAction, "inline");
  html_printf(r,
              "<input type=\"hidden\" name=\"page\" value=\"%lld\">"
              "<input type=\"hidden\" name=\"source\" value=\"%h\">"
              "<input type=\"hidden\" name=\"village\" value=\"%h\">"
              "<input name=\"reason\" maxlength=\"1000\" aria-label="
              "\"%h\" placeholder=\"%h\"> <button name=\"decision\" "
              "value=\"same\" class=\"secondary\">%h</button> <button "
              "name=\"decision\" value=\"different\" class=\"secondary"
              "\">%h</button></form></td></tr>\n",
              (long long)d->v->page, d->v->zSource, d->v->zVillage,
              _(r, "Reason"), _(r, "Reason (required for different)"),
              _(r, "Same family"), _(r, "Different families"));
  if (p->zNote[0])
    html_printf(r, "<tr><td></td><td colspan=\"6\">%h: %h</td></tr>\n",
                strcmp(p->zSource, "import") == 0 ? _(r, "File")
                                                  : _(r, "Officer's reason"),
                p->zNote);
  if (strcmp(p->zMerge, "refused") == 0)
    html_printf(r,
                "<tr><td></td><td colspan=\"6\" class=\"warn\">%h: "
                "%h</td></tr>\n",
                _(r, "The central registry refused the merge"), p->zAnswer);
  return 0;
}

/* The open possible duplicates, a page at a time, each with its form. */
static void dup_queue(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct dup_view v;
  struct dup_rows d = {r, &v, 0};
  int64_t nTotal = 0;
  dup_view_read(r, &v);
  html_printf(r, "<h2>%h</h2>\n<p class=\"muted\">%h</p>\n",
              _(r, "Possible duplicates"),
              _(r, "Each pair resembles at the counter or in an import. "
                   "Open both, decide with the families: the same family "
                   "(the later household is merged into the earlier one "
                   "by the central registry, after the next sync) or "
                   "different families (with the reason; the pair is not "
                   "raised again). There is no undo here."));
  dup_filters(r, &v);
  if (cases_review_list(r->ctx, &v.f, dup_row, &d, &nTotal, &err) != 0) {
    web_error_notice(r, &err);
    return;
  }
  if (d.n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "Nothing to review."));
  int64_t nPages = (nTotal + DUP_PAGE - 1) / DUP_PAGE;
  if (nPages > 1 || v.page > 1) {
    char z[120];
    snprintf(z, sizeof z, "%s %lld / %lld (%lld)", _(r, "Page"),
             (long long)v.page, (long long)(nPages ? nPages : 1),
             (long long)nTotal);
    html_printf(r, "<p class=\"pages\">%h ", z);
    if (v.page > 1)
      dup_page_link(r, &v, v.page - 1, _(r, "Previous"));
    if (v.page < nPages)
      dup_page_link(r, &v, v.page + 1, _(r, "Next"));
    html_raw(r, "</p>\n");
  }
}

/*
 * The open sync conflicts, each with its record, both values and, for a
 * role that may decide (CAP_SYNC), a form to keep the registry's value or
 * use this office's. zBack ("review" or "sync") is where the form returns.
 */
static void conflict_queue(struct web_req *r, const char *zBack)
{
  sqlite3_stmt *q;
  int n = 0, bDecide = cases_permit_allows(r->user.role, CAP_SYNC);
  html_printf(r, "<h2>%h</h2>\n<p class=\"muted\">%h</p>\n",
              _(r, "Conflicts (the central registry's value stands)"),
              _(r, "The same field was changed here and elsewhere. Check "
                   "with the family or the documents, then keep the "
                   "registry's value or use ours (it is sent again)."));
  if (db_prepare(r->ctx->db, &q,
                 "SELECT c.id, c.entity, c.entity_id, c.field, coalesce("
                 "c.local_value, ''), coalesce(c.server_value, ''), "
                 "c.reason, c.at, coalesce(h.regno, hh.regno, ''), "
                 "coalesce(m.line_no, 0) FROM sync_conflict c LEFT JOIN "
                 "member m ON c.entity = 'member' AND m.id = c.entity_id "
                 "LEFT JOIN household h ON h.id = m.household_id LEFT JOIN "
                 "household hh ON c.entity = 'household' AND hh.id = "
                 "c.entity_id WHERE c.status = 'open' ORDER BY c.id LIMIT "
                 "500",
                 NULL) == 0) {
    while (db_step(r->ctx->db, q, NULL) == DB_ROW) {
      if (n++ == 0) {
        html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                       "<th>%h</th><th>%h</th><th>%h</th><th>%h</th>",
                    _(r, "No."), _(r, "Record"), _(r, "Field"), _(r, "Here"),
                    _(r, "Central"), _(r, "Why"), _(r, "When"));
        if (bDecide)
          html_printf(r, "<th>%h</th>", _(r, "Decide"));
        html_raw(r, "</tr></thead><tbody>\n");
      }
      long long id = (long long)db_col_int64(q, 0);
      const char *zRegno = db_col_str(q, 8);
      html_printf(r, "<tr><td>%lld</td><td>", id);
      if (zRegno[0] && db_col_int64(q, 9) > 0)
        html_printf(r, "<a href=\"/household/%t\">%h</a> %h %d", zRegno,
                    zRegno, _(r, "member"), (int)db_col_int64(q, 9));
      else if (zRegno[0])
        html_printf(r, "<a href=\"/household/%t\">%h</a>", zRegno, zRegno);
      else
        html_printf(r, "%h %h", db_col_str(q, 1), db_col_str(q, 2));
      html_printf(r, "</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td>"
                     "<td>%h</td>",
                  db_col_str(q, 3), db_col_str(q, 4), db_col_str(q, 5),
                  db_col_str(q, 6), db_col_str(q, 7));
      if (bDecide) {
        char zAction[64];
        snprintf(zAction, sizeof zAction, "/sync/conflict/%lld", id);
        html_raw(r, "<td>");
        web_form_open(r, zAction, "inline");
        html_printf(r, "<input type=\"hidden\" name=\"back\" value=\"%h\">"
                       "<input name=\"note\" maxlength=\"1000\" "
                       "aria-label=\"%h\" placeholder=\"%h\"> <button "
                       "name=\"choice\" value=\"keep-registry\" "
                       "class=\"secondary\">%h</button> <button "
                       "name=\"choice\" value=\"use-office\" "
                       "class=\"secondary\">%h</button></form></td>",
                    zBack, _(r, "Note"), _(r, "Note (why)"),
                    _(r, "Keep registry"), _(r, "Use ours"));
      }
      html_raw(r, "</tr>\n");
    }
    db_done(r->ctx->db, q);
  }
  if (n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "No conflicts."));
}

/* "The conflict was decided" after the redirect of a decision. */
static void resolved_notice(struct web_req *r)
{
  const char *z = web_param(r, "done");
  if (z && strcmp(z, "resolved") == 0)
    web_notice(r, "ok", _(r, "The conflict was decided and closed."));
}

/* "The pair was decided" after the redirect of a decision. */
static void decided_notice(struct web_req *r)
{
  const char *z = web_param(r, "done");
  if (z && strcmp(z, "same") == 0)
    web_notice(r, "ok",
               _(r, "Decided the same family: the merge is asked "
                    "of the central registry with the next sync. "
                    "Both households say so until it is done."));
  else if (z && strcmp(z, "different") == 0)
    web_notice(r, "ok",
               _(r, "Decided different families: the pair is "
                    "closed and will not be raised again."));
}

static int review_page(struct web_req *r, const struct sws_err *err)
{
  web_header(r, _(r, "Review"));
  if (err)
    web_error_notice(r, err);
  resolved_notice(r);
  decided_notice(r);
  dup_queue(r);
  if (cases_permit_allows(r->user.role, CAP_SYNC)) {
    conflict_queue(r, "review");
    html_printf(r,
                "<p><a class=\"button secondary\" href=\"/sync\">%h</a>"
                "</p>\n",
                _(r, "Sync conflicts and rejected changes"));
  }
  web_footer(r);
  return 0;
}

int page_review(struct web_req *r)
{
  return review_page(r, NULL);
}

/* One table of the sync status from zSql (columns as headers). */
static void sync_table(struct web_req *r, const char *zTitle,
                       const char *zNone, const char *zSql,
                       const char *const *azHead, int nCol)
{
  sqlite3_stmt *q;
  int n = 0;
  html_printf(r, "<h2>%h</h2>\n", zTitle);
  if (db_prepare(r->ctx->db, &q, zSql, NULL) == 0) {
    while (db_step(r->ctx->db, q, NULL) == DB_ROW) {
      if (n++ == 0) {
        html_raw(r, "<table><thead><tr>");
        for (int i = 0; i < nCol; i++)
          html_printf(r, "<th>%h</th>", _(r, azHead[i]));
        html_raw(r, "</tr></thead><tbody>\n");
      }
      html_raw(r, "<tr>");
      for (int i = 0; i < nCol; i++)
        html_printf(r, "<td>%h</td>", db_col_str(q, i));
      html_raw(r, "</tr>\n");
    }
    db_done(r->ctx->db, q);
  }
  if (n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", zNone);
}

static int sync_page(struct web_req *r, const struct sws_err *err)
{
  struct sync_config cfg;
  char zPush[40] = "", zPull[40] = "";
  int64_t pending = 0;
  memset(&cfg, 0, sizeof cfg);
  sync_config_get(r->ctx, &cfg, NULL);
  sync_state_get(r->ctx, "last_push_at", zPush, sizeof zPush, NULL);
  sync_state_get(r->ctx, "last_pull_at", zPull, sizeof zPull, NULL);
  sync_pending(r->ctx, &pending, NULL);
  char zPushL[40], zPullL[40]; /* in the office's time zone */
  sws_time_local(zPushL, sizeof zPushL, zPush);
  sws_time_local(zPullL, sizeof zPullL, zPull);
  web_header(r, _(r, "Sync status"));
  if (err)
    web_error_notice(r, err);
  resolved_notice(r);
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h"
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%lld</dd></dl>\n",
              _(r, "Central registry"),
              cfg.zUrl[0] ? cfg.zUrl : _(r, "(not set)"), _(r, "Last push"),
              zPush[0] ? zPushL : _(r, "never"), _(r, "Last pull"),
              zPull[0] ? zPullL : _(r, "never"), _(r, "Changes to send"),
              (long long)pending);
  int64_t attempts = 0;
  char zBatchErr[300];
  if (sync_batch_waiting(r->ctx, &attempts, zBatchErr, sizeof zBatchErr,
                         NULL) == 0 &&
      attempts > 0) {
    char z[400];
    snprintf(z, sizeof z, "%s (%lld): %s",
             _(r, "A batch is waiting for an answer; attempts"),
             (long long)attempts, zBatchErr);
    web_notice(r, "warn", z);
  }
  /* both verdict tables: the change, its record, what was said, when */
  static const char *const azVerdict[] = {N_("Change"), N_("Record"),
                                          N_("Detail"), N_("When")};
  sync_table(r, _(r, "Rejected changes (quarantine)"),
             _(r, "No rejected changes."),
             "SELECT '#' || v.seq, o.entity || ' ' || o.entity_id, "
             "v.detail, v.at FROM sync_verdict v JOIN outbox o ON o.seq = "
             "v.seq WHERE v.status = 'open' AND v.verdict = 'rejected' "
             "ORDER BY v.seq LIMIT 500",
             azVerdict, 4);
  conflict_queue(r, "sync");
  sync_table(r, _(r, "Changes the central registry kept back or redirected"),
             _(r, "None."),
             "SELECT '#' || v.seq, o.entity || ' ' || o.entity_id, "
             "v.verdict || ': ' || v.detail, v.at FROM sync_verdict v JOIN "
             "outbox o ON o.seq = v.seq WHERE v.status = 'open' AND "
             "v.verdict != 'rejected' ORDER BY v.seq LIMIT 500",
             azVerdict, 4);
  static const char *const azProb[] = {N_("Kind"), N_("Why"), N_("When")};
  sync_table(r, _(r, "Received items not applied yet"),
             _(r, "Nothing kept back."),
             "SELECT kind, reason, at FROM sync_problem WHERE status = "
             "'open' ORDER BY id LIMIT 500",
             azProb, 3);
  html_printf(r, "<p class=\"muted\">%h</p>\n",
              _(r, "Sync runs with the command sws sync (or its timer)."));
  web_footer(r);
  return 0;
}

int page_sync(struct web_req *r)
{
  return sync_page(r, NULL);
}

static int conflict_exists(struct web_req *r, int64_t id)
{
  sqlite3_stmt *q;
  int bFound = 0;
  if (db_prepare(r->ctx->db, &q,
                 "SELECT 1 FROM sync_conflict WHERE id = :id", NULL) == 0) {
    db_bind_int64(q, ":id", id);
    bFound = db_step(r->ctx->db, q, NULL) == DB_ROW;
    db_done(r->ctx->db, q);
  }
  return bFound;
}

int page_sync_conflict_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zChoice = web_param(r, "choice");
  const char *zNote = web_param_trim(r, "note");
  const char *zBack = web_param(r, "back");
  /* back to the review page only for those who may see it */
  int bReview = zBack && strcmp(zBack, "review") == 0 &&
                cases_permit_allows(r->user.role, CAP_SUPERVISE);
  int64_t id;
  if (sws_parse_int64("the conflict", r->azArg[0], 1, INT64_MAX, &id,
                      &err) != 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no conflict with this number."));
  if (zChoice == NULL || (strcmp(zChoice, "keep-registry") != 0 &&
                          strcmp(zChoice, "use-office") != 0))
    return web_message_page(r, 400, N_("Bad request"),
                            N_("Choose which value stands: the registry's "
                               "or ours. Nothing was saved."));
  if (sync_conflict_resolve(r->ctx, id, strcmp(zChoice, "use-office") == 0,
                            zNote[0] ? zNote : NULL, &err) == 0)
    return web_redirect(r, bReview ? "/review?done=resolved"
                                   : "/sync?done=resolved");
  if (err.code == SWS_ENOTFOUND && !conflict_exists(r, id))
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no conflict with this number."));
  r->status = 422;
  return bReview ? review_page(r, &err) : sync_page(r, &err);
}

int page_review_duplicate_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDecision = web_param(r, "decision");
  const char *zReason = web_param_trim(r, "reason");
  struct dup_view v;
  int64_t id;
  if (sws_parse_int64("the possible duplicate", r->azArg[0], 1, INT64_MAX, &id,
                      &err) != 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no possible duplicate with this "
                               "number."));
  if (zDecision == NULL ||
      (strcmp(zDecision, "same") != 0 && strcmp(zDecision, "different") != 0))
    return web_message_page(r, 400, N_("Bad request"),
                            N_("Choose the same family or different "
                               "families. Nothing was saved."));
  int bSame = strcmp(zDecision, "same") == 0;
  if (cases_review_decide(r->ctx, id, bSame, zReason, r->user.role, &err) ==
      0) {
    dup_view_read(r, &v);
    return web_redirect(r, "/review?done=%t&page=%lld&source=%t&village=%t",
                        zDecision, (long long)v.page, v.zSource, v.zVillage);
  }
  if (err.code == SWS_ENOTFOUND)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no possible duplicate with this "
                               "number."));
  if (err.code == SWS_EPERM)
    return web_message_page(r, 403, N_("Not allowed"),
                            N_("Possible duplicates are decided by a "
                               "supervisor."));
  r->status = 422;
  return review_page(r, &err);
}
