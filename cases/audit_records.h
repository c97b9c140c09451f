/*
 * audit_records.h - records changed without an operation: every write to
 * a synced table leaves outbox rows with the new values of the fields it
 * changed (cases/capture.h), the audit chain covers those rows, so each
 * record's current values must be the last values the outbox recorded for
 * them. A record edited with its table's triggers dropped (the sqlite3
 * shell) differs; one inserted so has no recorded change at all. And every
 * outbox row belongs to an operation with its audit row: outbox rows
 * without one are what is left when audit rows were deleted.
 */
#ifndef SWS_CASES_AUDIT_RECORDS_H
#define SWS_CASES_AUDIT_RECORDS_H

#include <stdint.h>

#include "cases/ctx.h"

enum audit_diff_kind {
  AUDIT_DIFF_FIELD,      /* a field differs from its last recorded change */
  AUDIT_DIFF_UNRECORDED, /* a record with no recorded change */
  AUDIT_DIFF_UNAUDITED   /* a change of an operation with no audit row */
};

/* One difference; strings valid during the call. Values are as SQLite
 * quotes them ('Ly Sokha', 12, NULL). UNRECORDED: no field, values or
 * change; UNAUDITED: the record and the change (its operation zOpId), no
 * field or values. */
struct audit_record_diff {
  enum audit_diff_kind kind;
  const char *zEntity, *zId;
  const char *zLabel; /* the household's number, else the id */
  const char *zField;
  const char *zNow;      /* the value the record holds */
  const char *zRecorded; /* the value the last recorded change set */
  const char *zOpId, *zOperator, *zAt; /* that change */
};

/*
 * Compare every record of every table the outbox records changes of with
 * its last recorded values; fn (returning non-zero to stop) for each
 * difference. *pnRecords gets the records compared.
 */
int cases_audit_records(struct sws_ctx *ctx,
                        int (*fn)(const struct audit_record_diff *, void *),
                        void *arg, int64_t *pnRecords, struct sws_err *err);

#endif
