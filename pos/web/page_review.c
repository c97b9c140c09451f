/*
 * page_review.c - the supervisor's review queues (households registered
 * despite possible duplicates, sync conflicts) and the sync status page
 * (last push and pull, changes waiting, rejected changes, conflicts, items
 * kept back). Supervisors and administrators decide sync conflicts from
 * either page (sync_conflict_resolve); the front desk sees neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "sync/office.h"
#include "pos/web/web_int.h"

void web_review_since(char *out, size_t n)
{
  /* registrations forced at the counter stay in the queue 30 days */
  sws_time_format(out, n, sws_now_ms() - (int64_t)30 * 86400 * 1000);
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

static int review_page(struct web_req *r, const struct sws_err *err)
{
  sqlite3_stmt *q;
  int n = 0;
  web_header(r, _(r, "Review"));
  if (err)
    web_error_notice(r, err);
  resolved_notice(r);
  html_printf(r, "<h2>%h</h2>\n<p class=\"muted\">%h</p>\n",
              _(r, "Possible duplicates registered anyway"),
              _(r, "Each pair was registered despite the duplicate check, "
                   "with the officer's reason. Open both and decide with "
                   "the families."));
  if (db_prepare(r->ctx->db, &q,
                 "SELECT a.regno, b.regno, f.score, f.reasons, f.source, "
                 "f.note, f.created_at FROM duplicate_flag f JOIN household "
                 "a ON a.id = f.household_id JOIN household b ON b.id = "
                 "f.other_household_id WHERE f.status = 'open' OR "
                 "(f.status = 'different' AND f.created_at >= :since) "
                 "ORDER BY f.id DESC LIMIT 200",
                 NULL) == 0) {
    char zSince[32];
    web_review_since(zSince, sizeof zSince);
    db_bind_text(q, ":since", zSince);
    while (db_step(r->ctx->db, q, NULL) == DB_ROW) {
      if (n++ == 0)
        html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                       "<th>%h</th><th>%h</th><th>%h</th></tr></thead>"
                       "<tbody>\n",
                    _(r, "Registered"), _(r, "Resembles"), _(r, "Score"),
                    _(r, "Why"), _(r, "Source"), _(r, "When"));
      html_printf(r, "<tr><td><a href=\"/household/%t\">%h</a></td><td><a "
                     "href=\"/household/%t\">%h</a></td><td>%.2f</td><td>%h"
                     "</td><td>%h</td><td>%h</td></tr>\n",
                  db_col_str(q, 0), db_col_str(q, 0), db_col_str(q, 1),
                  db_col_str(q, 1), db_col_double(q, 2), db_col_str(q, 3),
                  db_col_str(q, 4), db_col_str(q, 6));
      if (db_col_str(q, 5)[0])
        html_printf(r, "<tr><td></td><td colspan=\"5\">%h: %h</td></tr>\n",
                    _(r, "Officer's reason"), db_col_str(q, 5));
    }
    db_done(r->ctx->db, q);
  }
  if (n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n", _(r, "Nothing to review."));
  conflict_queue(r, "review");
  html_printf(r, "<p><a class=\"button secondary\" href=\"/sync\">%h</a></p>"
                 "\n",
              _(r, "Sync conflicts and rejected changes"));
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
  web_header(r, _(r, "Sync status"));
  if (err)
    web_error_notice(r, err);
  resolved_notice(r);
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h"
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%lld</dd></dl>\n",
              _(r, "Central registry"),
              cfg.zUrl[0] ? cfg.zUrl : _(r, "(not set)"), _(r, "Last push"),
              zPush[0] ? zPush : _(r, "never"), _(r, "Last pull"),
              zPull[0] ? zPull : _(r, "never"), _(r, "Changes to send"),
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
