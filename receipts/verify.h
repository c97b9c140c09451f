/*
 * verify.h - checking a scanned receipt offline, with the office public
 * keys this database knows: its own (table office) and those of other
 * offices that sync brought (table office_key).
 *
 * The outcome values are also the exit statuses of 'sws receipt verify'
 * and of 'sws search' given a receipt code (docs/receipts.md).
 */
#ifndef SWS_RECEIPTS_VERIFY_H
#define SWS_RECEIPTS_VERIFY_H

#include "cases/ctx.h"
#include "core/ids.h"
#include "receipts/payload.h"

enum receipt_status {
  RECEIPT_VALID = 0,         /* signed by a known, active office key */
  RECEIPT_MALFORMED = 4,     /* not a receipt code (or damaged, or typed
                                with the wrong keyboard settings) */
  RECEIPT_BAD_SIGNATURE = 5, /* well formed, but the signature does not
                                match the office's key: altered */
  RECEIPT_UNKNOWN_KEY = 6,   /* the issuing office's key is not known here
                                (yet): sync, then check again */
  RECEIPT_REVOKED_KEY = 7,   /* signed by a key that has been revoked */
};

struct receipt_verdict {
  int status;                  /* enum receipt_status */
  struct receipt_record rec;   /* filled unless RECEIPT_MALFORMED */
  int own;                     /* issued by this database's office */
  char zNumber[SWS_NUMBER_MAX]; /* the subject's number; "" if opaque */
  char zIssuerName[201];       /* the issuing office's name, if known */
  char zIssued[32];            /* issue time, ISO 8601 UTC */
  char zMsg[300];              /* one line for the officer */
};

/* A short name for a status: "valid", "malformed", "invalid signature",
 * "unknown office key", "revoked office key". */
const char *receipt_status_name(int status);

/*
 * Check the payload text zPayload (exactly as scanned; surrounding white
 * space is the caller's to strip). *out always gets the outcome and a
 * message; the return is 0, or a negative code when the database failed
 * (the outcome is then unknown).
 */
int receipt_verify(struct sws_ctx *ctx, const char *zPayload,
                   struct receipt_verdict *out, struct sws_err *err);

#endif
