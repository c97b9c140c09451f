/*
 * issue.c - issuing and reprinting receipts (see issue.h).
 */
#include "receipts/issue.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cases/access.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/referral.h"
#include "core/clock.h"
#include "core/mem.h"

/* z into out (n bytes) on one line: line breaks and tabs become spaces,
 * and a text too long is cut before a whole character, never inside one. */
static void one_line(char *out, size_t n, const char *z)
{
  size_t k = 0;
  for (; *z && k + 1 < n; z++)
    out[k++] = *z == '\n' || *z == '\r' || *z == '\t' ? ' ' : *z;
  if (((unsigned char)*z & 0xC0) == 0x80) {
    /* cut inside a character: drop what was copied of it */
    while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
      k--;
    if (k > 0)
      k--;
  }
  out[k] = '\0';
}

/* What the receiving service needs to recognise the person referred: the
 * name, sex and year of birth as registered, and the reason. */
static int referral_person(struct sws_ctx *ctx, const struct referral *r,
                           struct receipt_doc *d, struct sws_err *err)
{
  struct household h;
  int rc;
  sws_strlcpy(d->zPerson, r->zMemberName, sizeof d->zPerson);
  one_line(d->zReason, sizeof d->zReason, r->zReason ? r->zReason : "");
  if ((rc = cases_household_get(ctx, r->zRegno, &h, err)) != 0)
    return rc;
  for (int i = 0; i < h.nMember; i++)
    if (h.aMember[i].line_no == r->member) {
      d->sex = h.aMember[i].sex;
      snprintf(d->zBornYear, sizeof d->zBornYear, "%.4s", h.aMember[i].zBorn);
    }
  cases_household_release(&h);
  return SWS_OK;
}

/* The record the receipt is about, resolved from what was typed. */
static int load_subject(struct sws_ctx *ctx, int kind, const char *zTyped,
                        int role, struct receipt_doc *d, char *zSubjectId,
                        struct sws_err *err)
{
  int rc;
  switch (kind) {
  case RECEIPT_REGISTRATION: {
    struct household h;
    if ((rc = cases_household_resolve(ctx, zTyped, 1, zSubjectId, d->zNumber,
                                      NULL, err)) != 0 ||
        (rc = cases_household_get(ctx, zSubjectId, &h, err)) != 0)
      return rc;
    for (int i = 0; i < h.nMember; i++)
      d->members += strcmp(h.aMember[i].zStatus, "active") == 0;
    cases_household_release(&h);
    return SWS_OK;
  }
  case RECEIPT_GRIEVANCE: {
    struct grievance g;
    if ((rc = cases_grievance_get(ctx, zTyped, role, &g, err)) != 0)
      return rc;
    sws_strlcpy(zSubjectId, g.zId, SWS_UUID_LEN + 1);
    sws_strlcpy(d->zNumber, g.zTicket, sizeof d->zNumber);
    sws_strlcpy(d->zDue, g.zDue, sizeof d->zDue);
    d->anonymous = g.anonymous;
    cases_grievance_release(&g);
    return SWS_OK;
  }
  case RECEIPT_REFERRAL: {
    struct referral r;
    if ((rc = cases_referral_check(ctx, role, zTyped, err)) != 0 ||
        (rc = cases_referral_get(ctx, zTyped, &r, err)) != 0)
      return rc;
    sws_strlcpy(zSubjectId, r.zId, SWS_UUID_LEN + 1);
    sws_strlcpy(d->zNumber, r.zNumber, sizeof d->zNumber);
    sws_strlcpy(d->zService, r.zService, sizeof d->zService);
    sws_strlcpy(d->zProvider, r.zProvider, sizeof d->zProvider);
    rc = referral_person(ctx, &r, d, err);
    cases_referral_release(&r);
    return rc;
  }
  }
  return sws_err_set(err, SWS_EINVAL, "unknown receipt kind %d", kind);
}

/* The existing receipt for (kind, subject): *pFound 1 and its serial,
 * issue time and copies so far. */
static int find_receipt(struct sws_ctx *ctx, int kind, const char *zSubjectId,
                        int *pFound, int64_t *pSerial, int64_t *pIssuedS,
                        char *zIssuedAt, int *pCopies, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT serial, issued_s, issued_at, copies FROM "
                      "receipt WHERE kind = :k AND subject_id = :s",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":k", receipt_kind_name(kind));
  db_bind_text(q, ":s", zSubjectId);
  *pFound = 0;
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    *pFound = 1;
    *pSerial = db_col_int64(q, 0);
    *pIssuedS = db_col_int64(q, 1);
    sws_strlcpy(zIssuedAt, db_col_str(q, 2), 32);
    *pCopies = (int)db_col_int64(q, 3);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* The signed payload of d, as issued by this office. */
static int sign(struct sws_ctx *ctx, const struct office_info *o,
                struct receipt_doc *d, int64_t issued_s,
                struct sws_err *err)
{
  struct receipt_record rec;
  unsigned char sk[SWS_SK_BYTES];
  int rc;
  memset(&rec, 0, sizeof rec);
  rec.kind = d->kind;
  rec.serial = (uint32_t)d->serial;
  rec.issued_s = (uint32_t)issued_s;
  sws_strlcpy(rec.zIssuer, o->zDevice, sizeof rec.zIssuer);
  receipt_key_id(rec.key_id, o->pk);
  /* an anonymous complainant's receipt names nothing: it opens only
   * here, through the receipt table; a number a receipt cannot carry is
   * handled the same way */
  rec.subject = RECEIPT_SUBJECT_OPAQUE;
  if (!d->anonymous &&
      receipt_record_set_number(&rec, d->zNumber, NULL) != 0)
    rec.subject = RECEIPT_SUBJECT_OPAQUE;
  if ((rc = cases_office_secret_key(ctx, sk, err)) != 0)
    return rc;
  rc = receipt_payload_sign(d->zPayload, &rec, sk, err);
  sodium_memzero(sk, sizeof sk);
  return rc;
}

int receipt_issue(struct sws_ctx *ctx, int kind, const char *zTyped,
                  int role, receipt_print_fn print, void *arg,
                  struct receipt_doc *out, struct sws_err *err)
{
  struct office_info o;
  char zSubjectId[SWS_UUID_LEN + 1] = "", zSerial[24] = "", zDetail[128];
  int64_t serial = 0, issued_s = 0;
  int found = 0, copies = 0, rc;
  sqlite3_stmt *q = NULL;
  memset(out, 0, sizeof *out);
  out->kind = kind;
  if ((rc = cases_office_get(ctx, &o, err)) != 0 ||
      (rc = load_subject(ctx, kind, zTyped, role, out, zSubjectId, err)) !=
          0 ||
      (rc = find_receipt(ctx, kind, zSubjectId, &found, &serial, &issued_s,
                         out->zIssuedAt, &copies, err)) != 0)
    return rc;
  sws_strlcpy(out->zOfficeCode, o.zDevice, sizeof out->zOfficeCode);
  sws_strlcpy(out->zOfficeName, o.zName, sizeof out->zOfficeName);
  if ((rc = cases_op_begin(ctx, found ? "receipt.reprint" : "receipt.issue",
                           err)) != 0)
    return rc;
  if (found) {
    rc = db_prepare(ctx->db, &q,
                    "UPDATE receipt SET copies = copies + 1, "
                    "last_printed_at = sws_now(), last_printed_by = "
                    "sws_actor() WHERE serial = :n",
                    err);
    if (rc != 0)
      goto done;
    db_bind_int64(q, ":n", serial);
    copies++;
  } else {
    int64_t ms = sws_now_ms();
    issued_s = ms / 1000;
    if (issued_s < 0 || issued_s > (int64_t)UINT32_MAX) {
      rc = sws_err_set(err, SWS_EINVAL, "the clock is out of the range a "
                       "receipt can carry; check the date");
      goto done;
    }
    if ((rc = cases_counter_next(ctx, "receipt", &serial, err)) != 0)
      goto done;
    if (serial > (int64_t)UINT32_MAX) {
      rc = sws_err_set(err, SWS_ETOOBIG, "this device has issued all the "
                       "receipt serials it can");
      goto done;
    }
    sws_time_format(out->zIssuedAt, sizeof out->zIssuedAt, issued_s * 1000);
    rc = db_prepare(ctx->db, &q,
                    "INSERT INTO receipt(serial, kind, subject_id, "
                    "subject_number, issued_s, issued_at, issued_by, "
                    "last_printed_at, last_printed_by) VALUES (:n, :k, :s, "
                    ":num, :is, :at, sws_actor(), sws_now(), sws_actor())",
                    err);
    if (rc != 0)
      goto done;
    db_bind_int64(q, ":n", serial);
    db_bind_text(q, ":k", receipt_kind_name(kind));
    db_bind_text(q, ":s", zSubjectId);
    db_bind_text(q, ":num", out->zNumber);
    db_bind_int64(q, ":is", issued_s);
    db_bind_text(q, ":at", out->zIssuedAt);
    copies = 1;
  }
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto done;
  out->serial = serial;
  out->copies = copies;
  snprintf(zSerial, sizeof zSerial, "%lld", (long long)serial);
  if ((rc = sign(ctx, &o, out, issued_s, err)) != 0)
    goto done;
  if (print)
    rc = print(out, arg, err);
done:
  snprintf(zDetail, sizeof zDetail, "%s %s, copy %d",
           receipt_kind_name(kind), out->zNumber, copies);
  return cases_op_end(ctx, rc, "receipt", zSerial[0] ? zSerial : NULL,
                      zDetail, err);
}

int receipt_get(struct sws_ctx *ctx, int64_t serial, struct receipt_row *out,
                struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT kind, subject_id, subject_number, issued_at, "
                      "copies FROM receipt WHERE serial = :n",
                      err);
  if (rc != 0)
    return rc;
  memset(out, 0, sizeof *out);
  db_bind_int64(q, ":n", serial);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    out->serial = serial;
    out->kind = receipt_kind_parse(db_col_str(q, 0));
    sws_strlcpy(out->zSubjectId, db_col_str(q, 1), sizeof out->zSubjectId);
    sws_strlcpy(out->zNumber, db_col_str(q, 2), sizeof out->zNumber);
    sws_strlcpy(out->zIssuedAt, db_col_str(q, 3), sizeof out->zIssuedAt);
    out->copies = (int)db_col_int64(q, 4);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "this office issued no receipt "
                     "%lld", (long long)serial);
  }
  db_done(ctx->db, q);
  return rc;
}
