/*
 * page_review.c - the supervisor's review queues (households registered
 * despite possible duplicates) and the sync status page (last push and
 * pull, changes waiting, rejected changes, conflicts, items kept back).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "sync/office.h"
#include "pos/web/web_int.h"

void web_review_since(char *out, size_t n)
{
  /* registrations forced at the counter stay in the queue 30 days */
  sws_time_format(out, n, sws_now_ms() - (int64_t)30 * 86400 * 1000);
}

int page_review(struct web_req *r)
{
  sqlite3_stmt *q;
  int n = 0;
  web_header(r, _(r, "Review"));
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
  html_printf(r, "<p><a class=\"button secondary\" href=\"/sync\">%h</a></p>"
                 "\n",
              _(r, "Sync conflicts and rejected changes"));
  web_footer(r);
  return 0;
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

int page_sync(struct web_req *r)
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
  html_printf(r,
              "<dl class=\"facts\"><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h"
              "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%lld</dd></dl>\n",
              _(r, "Central registry"),
              cfg.zUrl[0] ? cfg.zUrl : _(r, "(not set)"), _(r, "Last push"),
              zPush[0] ? zPush : _(r, "never"), _(r, "Last pull"),
              zPull[0] ? zPull : _(r, "never"), _(r, "Changes to send"),
              (long long)pending);
  sqlite3_stmt *q;
  if (db_prepare(r->ctx->db, &q,
                 "SELECT attempts, last_error FROM sync_batch LIMIT 1",
                 NULL) == 0) {
    if (db_step(r->ctx->db, q, NULL) == DB_ROW && db_col_int64(q, 0) > 0) {
      char z[400];
      snprintf(z, sizeof z, "%s (%lld): %s",
               _(r, "A batch is waiting for an answer; attempts"),
               (long long)db_col_int64(q, 0), db_col_str(q, 1));
      web_notice(r, "warn", z);
    }
    db_done(r->ctx->db, q);
  }
  static const char *const azRej[] = {N_("Change"), N_("Record"),
                                      N_("Detail"), N_("When")};
  sync_table(r, _(r, "Rejected changes (quarantine)"),
             _(r, "No rejected changes."),
             "SELECT '#' || v.seq, o.entity || ' ' || o.entity_id, "
             "v.detail, v.at FROM sync_verdict v JOIN outbox o ON o.seq = "
             "v.seq WHERE v.status = 'open' AND v.verdict = 'rejected' "
             "ORDER BY v.seq LIMIT 500",
             azRej, 4);
  static const char *const azCon[] = {N_("Record"), N_("Field"),
                                      N_("Here"), N_("Central"),
                                      N_("Why"), N_("When")};
  sync_table(r, _(r, "Conflicts (the central registry's value stands)"),
             _(r, "No conflicts."),
             "SELECT entity || ' ' || entity_id, field, coalesce("
             "local_value, ''), coalesce(server_value, ''), reason, at FROM "
             "sync_conflict WHERE status = 'open' UNION ALL SELECT o.entity "
             "|| ' ' || o.entity_id, '', '', '', v.verdict || ': ' || "
             "v.detail, v.at FROM sync_verdict v JOIN outbox o ON o.seq = "
             "v.seq WHERE v.status = 'open' AND v.verdict != 'rejected' "
             "LIMIT 500",
             azCon, 6);
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
