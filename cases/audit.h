/*
 * audit.h - the hash-chained audit log of the office.
 *
 * One row per domain operation (written by cases_op_end), chained: each
 * row's hash covers the previous row's hash, the row's own columns and the
 * SHA-256 of the outbox rows the operation wrote.
 */
#ifndef SWS_CASES_AUDIT_H
#define SWS_CASES_AUDIT_H

#include <stdint.h>

#include "cases/ctx.h"

/* Append the audit row of the operation in progress (cases_op_end does). */
int cases_audit_append(struct sws_ctx *ctx, const char *zEntity,
                       const char *zEntityId, const char *zDetail,
                       struct sws_err *err);

struct audit_verify {
  int64_t nRows;     /* rows checked */
  int64_t bad_id;    /* first broken row (0: the chain is whole) */
  char why[200];     /* what is wrong with it */
};

/*
 * Check the whole chain. Returns 0 with out->bad_id == 0 when whole, 0 with
 * out->bad_id set when broken, or a negative code if it could not be read.
 * `progress` (may be NULL) is called every 10000 rows.
 */
int cases_audit_verify(struct sws_ctx *ctx, struct audit_verify *out,
                       void (*progress)(int64_t done, int64_t total, void *),
                       void *arg, struct sws_err *err);

/* The head of the chain: its last row and how many rows it holds (id 0,
 * n 0 and a hash of 64 zeros when empty). What the office signs and sends
 * the registry with every sync (sync/office_audit.c). */
struct audit_head {
  int64_t id, n;
  char zHash[65];
};

int cases_audit_head(struct sws_ctx *ctx, struct audit_head *out,
                     struct sws_err *err);

/* The hash row id holds now (SWS_ENOTFOUND if there is no such row). */
int cases_audit_hash_at(struct sws_ctx *ctx, int64_t id, char zHash[65],
                        struct sws_err *err);

/* The id of the last row of action zAction with detail zDetail (*pId 0:
 * none). */
int cases_audit_find(struct sws_ctx *ctx, const char *zAction,
                     const char *zDetail, int64_t *pId, struct sws_err *err);

struct audit_row {
  int64_t id;
  const char *zAt, *zActor, *zAction, *zEntity, *zEntityId, *zDetail;
};

/*
 * Call fn for each audit row, newest first, optionally only rows about
 * zEntityId; at most nLimit rows (0: all). fn returns non-zero to stop.
 */
int cases_audit_list(struct sws_ctx *ctx, const char *zEntityId,
                     int64_t nLimit,
                     int (*fn)(const struct audit_row *, void *), void *arg,
                     struct sws_err *err);

#endif
