/*
 * issue.h - issuing and reprinting receipts: the receipt table, the
 * serials, the signed payload and the audit of every print.
 *
 * A registration, grievance ticket or referral slip gets one receipt. The
 * first print issues it (a new serial, the issue time, operation
 * receipt.issue); every later print is a copy of it (same serial, same
 * issue time, same QR code, "COPY" on the paper, operation
 * receipt.reprint). The print itself runs inside the operation: if it
 * fails nothing is recorded.
 */
#ifndef SWS_RECEIPTS_ISSUE_H
#define SWS_RECEIPTS_ISSUE_H

#include "cases/ctx.h"
#include "receipts/layout.h"

/* Called with the finished receipt inside the operation; a non-zero
 * return (with err set) rolls the issue or reprint back. */
typedef int (*receipt_print_fn)(const struct receipt_doc *d, void *arg,
                                struct sws_err *err);

/*
 * Issue (or reprint) the receipt of kind (enum receipt_kind) for the
 * record zTyped names: a registration number, a ticket number (or the
 * follow-up code of an anonymous grievance), or a referral number. role
 * is the viewer's (enum user_role), for grievances. *out gets the
 * receipt's facts and payload, then print (may be NULL) is called with it.
 * SWS_ENOTFOUND when there is no such record; SWS_EINVAL for a number
 * with a wrong check character.
 */
int receipt_issue(struct sws_ctx *ctx, int kind, const char *zTyped,
                  int role, receipt_print_fn print, void *arg,
                  struct receipt_doc *out, struct sws_err *err);

/* A row of the receipt table. */
struct receipt_row {
  int64_t serial;
  int kind;
  char zSubjectId[SWS_UUID_LEN + 1];
  char zNumber[SWS_NUMBER_MAX];
  char zIssuedAt[32];
  int copies;
};

/* The receipt with this serial (issued here); SWS_ENOTFOUND if none. */
int receipt_get(struct sws_ctx *ctx, int64_t serial, struct receipt_row *out,
                struct sws_err *err);

#endif
