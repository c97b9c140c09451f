/*
 * page_receipt.c - receipts from the web UI: print (issue, or a copy) a
 * registration, grievance or referral receipt, shown as a print view for
 * 58 or 80 mm thermal paper or A4 (a print style sheet; the QR code as
 * inline SVG), or sent straight to the thermal printer (ESC/POS) when
 * `sws ui --printer DEVICE` names one. Also what a scanner types from a
 * receipt's QR code in the search box.
 *
 * Issuing writes (the receipt table, the audit log), so it is a POST;
 * the receipt it makes is kept for a few minutes for the officer's
 * session and shown by the GET it redirects to (POST-redirect-GET).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/user.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/web/web_int.h"
#include "receipts/escpos.h"
#include "receipts/issue.h"
#include "receipts/layout.h"
#include "receipts/qr.h"
#include "receipts/render.h"
#include "receipts/verify.h"

#define QR_MAX_VERSION 7

/* The kinds of receipt, as the receipt table names them, for the
 * catalogue. */
static const char *const KINDS[] = {N_("registration"), N_("grievance"),
                                    N_("referral")};
#define KEEP_MS ((int64_t)15 * 60 * 1000)
#define PRINT_MAX ((size_t)4 << 20)

/* ---- the receipts kept for their print view ----------------------------- */

void web_receipts_release(struct web *w)
{
  for (int i = 0; i < WEB_RECEIPTS_KEPT; i++)
    SWS_FREE(w->aReceipt[i].zHtml);
}

static void keep(struct web_req *r, int64_t serial, char *zHtml)
{
  struct web *w = r->w;
  int slot = 0;
  for (int i = 0; i < WEB_RECEIPTS_KEPT; i++) {
    if (w->aReceipt[i].zHtml == NULL ||
        (w->aReceipt[i].session == r->sessionId &&
         w->aReceipt[i].serial == serial)) {
      slot = i;
      break;
    }
    if (w->aReceipt[i].expires < w->aReceipt[slot].expires)
      slot = i;
  }
  free(w->aReceipt[slot].zHtml);
  w->aReceipt[slot].session = r->sessionId;
  w->aReceipt[slot].serial = serial;
  w->aReceipt[slot].expires = sws_now_ms() + KEEP_MS;
  w->aReceipt[slot].zHtml = zHtml;
}

static const char *kept(struct web_req *r, int64_t serial)
{
  for (int i = 0; i < WEB_RECEIPTS_KEPT; i++) {
    struct web_receipt *k = &r->w->aReceipt[i];
    if (k->zHtml && k->session == r->sessionId && k->serial == serial &&
        k->expires > sws_now_ms())
      return k->zHtml;
  }
  return NULL;
}

/* ---- rendering ----------------------------------------------------------- */

/* The QR code as inline SVG: one path of unit squares, quiet zone
 * included. */
static void qr_svg(struct buf *b, const struct receipt_qr *qr)
{
  int n = qr->width + 2 * RECEIPT_QR_QUIET;
  buf_appendf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
                 "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
                 "role=\"img\" aria-label=\"QR\"><rect width=\"%d\" "
                 "height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
              n, n, n, n);
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      if (receipt_qr_dark(qr, x, y))
        buf_appendf(b, "M%d %dh1v1h-1z", x + RECEIPT_QR_QUIET,
                    y + RECEIPT_QR_QUIET);
  buf_puts(b, "\"/></svg>");
}

struct print_job {
  struct web_req *r;
  const char *zLang; /* of the receipt: the officer's, or chosen for it */
  int bPrinter;
  int width; /* dots, for the thermal printer */
  char *zHtml; /* the print view's receipt (owned) */
  int64_t serial;
};

static int to_printer(const char *zDevice, const struct buf *b,
                      struct sws_err *err)
{
  int fd = open(zDevice, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return sws_err_set(err, SWS_EIO, "the receipt printer '%s' cannot be "
                       "opened (%s); check that it is on and connected",
                       zDevice, strerror(errno));
  size_t put = 0;
  while (put < b->n) {
    ssize_t k = write(fd, b->z + put, b->n - put);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0) {
      int e = errno;
      close(fd);
      return sws_err_set(err, SWS_EIO, "the receipt printer '%s' failed "
                         "(%s)", zDevice, strerror(e));
    }
    put += (size_t)k;
  }
  close(fd);
  return 0;
}

/* The language a receipt is printed in, the officer's chosen first:
 * each named in itself. */
static void lang_choice(struct web_req *r)
{
  html_printf(r, "<label class=\"inline\">%h <select name=\"lang\">",
              _(r, "Receipt language"));
  for (int i = 0; web_langs[i].zCode; i++)
    if (receipt_lang_known(web_langs[i].zCode))
      html_printf(r,
                  strcmp(web_langs[i].zCode, r->zLang) == 0
                      ? "<option value=\"%h\" lang=\"%h\" selected>%h"
                        "</option>"
                      : "<option value=\"%h\" lang=\"%h\">%h</option>",
                  web_langs[i].zCode, web_langs[i].zCode, web_langs[i].zName);
  html_raw(r, "</select></label>");
}

/* Called by receipt_issue inside its operation: a failure undoes it. */
static int print_doc(const struct receipt_doc *d, void *arg,
                     struct sws_err *err)
{
  struct print_job *job = arg;
  struct web_req *r = job->r;
  struct receipt_layout *l = sws_malloc(sizeof *l);
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct receipt_raster ras = RECEIPT_RASTER_INIT;
  struct buf out;
  int rc;
  const char *zLang = job->zLang;
  buf_init(&out, PRINT_MAX);
  job->serial = d->serial;
  if ((rc = receipt_layout_build(l, d, zLang, err)) != 0 ||
      (rc = receipt_qr_encode(&qr, d->zPayload, QR_MAX_VERSION, err)) != 0)
    goto done;
  if (job->bPrinter) {
    struct receipt_render_info info;
    if ((rc = receipt_render_raster(&ras, l, &qr, job->width, &info,
                                    err)) == 0 &&
        (rc = receipt_escpos_write(&out, &ras, err)) == 0)
      rc = to_printer(r->w->cfg.zPrinter, &out, err);
    goto done;
  }
  for (int i = 0; i < l->n; i++) {
    const struct receipt_line *x = &l->a[i];
    switch (x->style) {
    case RECEIPT_L_TITLE:
      html_bprintf(&out, "<p class=\"r-title\">%h</p>\n", x->zText);
      break;
    case RECEIPT_L_HEADING:
      html_bprintf(&out, "<p class=\"r-heading\">%h</p>\n", x->zText);
      break;
    case RECEIPT_L_COPY:
      html_bprintf(&out, "<p class=\"r-copy\">%h</p>\n", x->zText);
      break;
    case RECEIPT_L_FIELD:
      html_bprintf(&out, "<p class=\"r-field\"><span>%h</span> "
                            "<strong>%h</strong></p>\n",
                      x->zLabel, x->zText);
      break;
    case RECEIPT_L_QR:
      qr_svg(&out, &qr);
      buf_putc(&out, '\n');
      break;
    case RECEIPT_L_SMALL:
      html_bprintf(&out, "<p class=\"r-small\">%h</p>\n", x->zText);
      break;
    case RECEIPT_L_RULE: buf_puts(&out, "<hr>\n"); break;
    default:
      html_bprintf(&out, "<p>%h</p>\n", x->zText);
      break;
    }
  }
  if ((rc = buf_check(&out, "the receipt", err)) == 0)
    job->zHtml = buf_detach(&out, NULL);
done:
  receipt_raster_release(&ras);
  receipt_qr_release(&qr);
  buf_release(&out);
  free(l);
  return rc;
}

/* POST /receipt/KIND/NUMBER: issue (or reprint) and show or print it. */
int page_receipt_post(struct web_req *r)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_doc doc;
  struct print_job job;
  int kind = receipt_kind_parse(r->azArg[0]);
  memset(&job, 0, sizeof job);
  job.r = r;
  /* the family's language, which may not be the officer's */
  job.zLang = web_param_trim(r, "lang");
  if (!receipt_lang_known(job.zLang))
    job.zLang = receipt_lang_known(r->zLang) ? r->zLang : "en";
  job.bPrinter = web_param(r, "printer") != NULL;
  job.width = strcmp(web_param_trim(r, "width"), "80") == 0
                  ? RECEIPT_WIDTH_80
                  : RECEIPT_WIDTH_58;
  if (kind == 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no page at this address."));
  if (job.bPrinter && r->w->cfg.zPrinter == NULL)
    return web_message_page(r, 400, N_("No printer"),
                            N_("No receipt printer is set up: start sws ui "
                               "with --printer, or use the print view."));
  if (receipt_issue(r->ctx, kind, r->azArg[1], r->user.role, print_doc, &job,
                    &doc, &err) != 0) {
    free(job.zHtml);
    if (err.code == SWS_ENOTFOUND || err.code == SWS_EINVAL ||
        err.code == SWS_EIO || err.code == SWS_EPERM) {
      r->status = err.code == SWS_ENOTFOUND ? 404 : 422;
      web_header(r, _(r, "Receipt"));
      web_error_notice(r, &err);
      web_footer(r);
      return 0;
    }
    return err.code;
  }
  if (job.bPrinter)
    return web_redirect(r, "/receipt/%lld?printed=1", (long long)job.serial);
  keep(r, job.serial, job.zHtml);
  return web_redirect(r, "/receipt/%lld?width=%t", (long long)job.serial,
                      web_param_trim(r, "width"));
}

/* GET /receipt/SERIAL: the print view of a receipt just printed. */
int page_receipt(struct web_req *r)
{
  struct receipt_row row;
  int64_t serial;
  if (sws_parse_int64("serial", r->azArg[0], 1, 4294967295LL, &serial,
                      NULL) != 0 ||
      receipt_get(r->ctx, serial, &row, NULL) != 0)
    return web_message_page(r, 404, N_("Not found"),
                            N_("There is no receipt with this number."));
  const char *zWidth = web_param_trim(r, "width");
  const char *zClass = strcmp(zWidth, "80") == 0   ? "w80"
                       : strcmp(zWidth, "a4") == 0 ? "a4"
                                                   : "w58";
  web_header(r, _(r, "Receipt"));
  if (web_param(r, "printed"))
    web_notice(r, "ok", _(r, "The receipt was sent to the receipt "
                            "printer."));
  const char *zHtml = kept(r, serial);
  char zAction[160];
  snprintf(zAction, sizeof zAction, "/receipt/%s/%s",
           receipt_kind_name(row.kind), row.zNumber);
  html_printf(r, "<div class=\"actions noprint\"><button type=\"button\" "
                 "data-print hidden>%h</button> <a class=\"button "
                 "secondary\" href=\"/receipt/%lld?width=58\">58 mm</a> "
                 "<a class=\"button secondary\" href=\"/receipt/%lld?width="
                 "80\">80 mm</a> <a class=\"button secondary\" "
                 "href=\"/receipt/%lld?width=a4\">A4</a>",
              _(r, "Print"), (long long)serial, (long long)serial,
              (long long)serial);
  if (r->w->cfg.zPrinter) {
    web_form_open(r, zAction, "inline");
    html_printf(r, "<input type=\"hidden\" name=\"printer\" value=\"1\">"
                   "<button type=\"submit\">%h</button></form>",
                _(r, "Send to the receipt printer"));
  }
  html_raw(r, "</div>\n");
  if (zHtml) {
    html_printf(r, "<p class=\"muted noprint\">%h</p>\n",
                _(r, "Press Ctrl+P to print. Choose the paper width above."));
    html_printf(r, "<div class=\"receipt %h\">\n", zClass);
    html_raw(r, zHtml);
    html_raw(r, "</div>\n");
  } else {
    html_printf(r, "<p>%h</p>\n",
                _(r, "This receipt was printed earlier. Print a copy (it "
                     "will say COPY):"));
    web_form_open(r, zAction, NULL);
    lang_choice(r);
    html_printf(r,
                "<input type=\"hidden\" name=\"width\" value=\"%h\">"
                " <button type=\"submit\">%h</button></form>\n",
                zWidth, _(r, "Print a copy"));
  }
  web_footer(r);
  return 0;
}

/* The print buttons of a record (kind "registration", "grievance",
 * "referral"). */
void web_receipt_buttons(struct web_req *r, const char *zKind,
                         const char *zNumber)
{
  char zAction[160];
  snprintf(zAction, sizeof zAction, "/receipt/%s/%s", zKind, zNumber);
  web_form_open(r, zAction, "inline");
  lang_choice(r);
  html_printf(r, " <button type=\"submit\" class=\"secondary\">%h</button>",
              _(r, "Print the receipt"));
  if (r->w->cfg.zPrinter)
    html_printf(r,
                " <button type=\"submit\" class=\"secondary\" "
                "name=\"printer\" value=\"1\">%h</button>",
                _(r, "Send to the receipt printer"));
  html_raw(r, "</form>");
}

/* The household's registration receipt, if any. */
void web_receipt_section(struct web_req *r, const char *zHouseholdId)
{
  sqlite3_stmt *q;
  int n = 0;
  (void)KINDS;
  html_printf(r, "<h2 id=\"receipts\">%h</h2>\n", _(r, "Receipts"));
  if (db_prepare(r->ctx->db, &q,
                 "SELECT serial, kind, subject_number, issued_at, copies FROM "
                 "receipt WHERE subject_id = :id ORDER BY serial",
                 NULL) == 0) {
    db_bind_text(q, ":id", zHouseholdId);
    while (db_step(r->ctx->db, q, NULL) == DB_ROW) {
      if (n++ == 0)
        html_printf(r, "<table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
                       "<th>%h</th></tr></thead><tbody>\n",
                    _(r, "Receipt"), _(r, "Number"), _(r, "Issued"),
                    _(r, "Copies"));
      html_printf(r, "<tr><td>%lld (%h)</td><td>%h</td><td>%h</td><td>%lld"
                     "</td></tr>\n",
                  (long long)db_col_int64(q, 0), _(r, db_col_str(q, 1)),
                  db_col_str(q, 2), db_col_str(q, 3),
                  (long long)db_col_int64(q, 4));
    }
    db_done(r->ctx->db, q);
  }
  if (n)
    html_raw(r, "</tbody></table>\n");
  else
    html_printf(r, "<p class=\"muted\">%h</p>\n",
                _(r, "No receipt printed yet."));
}

/* A scanned receipt in the search box: 0 when zQ is not one; otherwise
 * the page (a redirect to the record, or why the code does not check
 * out) is written and 1 returned. */
int web_search_receipt(struct web_req *r, const char *zQ)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_verdict v;
  struct receipt_row row;
  static const char *const azPage[] = {NULL, "household", "grievance",
                                       "referral"};
  if (!receipt_payload_looks_like(zQ))
    return 0;
  if (receipt_verify(r->ctx, zQ, &v, &err) != 0) {
    web_message_page(r, 500, N_("Something went wrong"),
                     N_("The receipt could not be checked. Try again."));
    return 1;
  }
  if (v.status == RECEIPT_VALID) {
    char zNumber[SWS_NUMBER_MAX];
    sws_strlcpy(zNumber, v.zNumber, sizeof zNumber);
    if (zNumber[0] == '\0' && v.own &&
        receipt_get(r->ctx, v.rec.serial, &row, NULL) == 0)
      sws_strlcpy(zNumber, row.zNumber, sizeof zNumber);
    if (zNumber[0] && v.rec.kind >= 1 && v.rec.kind <= 3) {
      web_redirect(r, "/%t/%t?receipt=1", azPage[v.rec.kind], zNumber);
      return 1;
    }
  }
  r->status = 422;
  web_header(r, _(r, "Search"));
  web_notice(r, "error", v.status == RECEIPT_VALID
                             ? _(r, "This receipt names no record that this "
                                    "office can open.")
                             : _(r, "This receipt code does not check out: "
                                    "it may be damaged or altered. Ask the "
                                    "family for their number instead."));
  if (v.zMsg[0])
    html_printf(r, "<p class=\"muted\">%h</p>\n", v.zMsg);
  web_footer(r);
  return 1;
}
