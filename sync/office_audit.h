/*
 * office_audit.h - the office's audit chain head and the registry's word on
 * it (docs/sync-protocol.md, "The audit chain head"; docs/operations.md,
 * "What the audit log detects"). Every sync sends the head of the audit
 * log, signed with the office's key; the registry keeps it and answers
 * with the head it kept, which this office keeps too (sync_state
 * "audit_acked"). 'sws audit verify' then checks, besides the chain itself,
 * that the chain still holds that head with the same hash: rows deleted
 * from the end or rewritten with their hashes recomputed are found offline
 * as far as the last acknowledged head, and by the registry at the next
 * sync whatever was done to the office's copy of the acknowledgement.
 */
#ifndef SWS_SYNC_OFFICE_AUDIT_H
#define SWS_SYNC_OFFICE_AUDIT_H

#include "cases/audit.h"
#include "sync/engine.h"

/*
 * Send the head (POST /v1/audit-head, after the session's other steps) and
 * keep the registry's acknowledgement. A registry that does not keep heads
 * (an older sws: 404) is left alone. A head the registry refuses as not
 * extending the one it kept does not fail the session (its records went
 * both ways already): rep->zAuditRefused and sync_state "audit_refused"
 * keep the registry's words, and 'sws audit verify' reports them.
 */
int sync_audit_head_send(struct sws_ctx *ctx, const struct sync_transport *t,
                         const struct sync_opts *o, struct sync_report *rep,
                         struct sws_err *err);

struct sync_audit_check {
  struct audit_verify chain; /* the chain itself (cases_audit_verify) */
  struct audit_head head;    /* its last row now */
  int bAcked;                /* the registry acknowledged a head */
  struct audit_head acked;   /* that head */
  char zAckedAt[32];         /* when */
  /* the chain no longer holds the acknowledged head (rows deleted from
   * the end, or rewritten up to it): why, else "" */
  char zAckBroken[300];
  int64_t nAfter;     /* rows after the acknowledged head (all: none) */
  char zRefused[400]; /* the registry refused the last head sent, "" */
};

/* Check the chain and the acknowledged head. Returns 0 (see out) or a
 * negative code if the log could not be read. */
int sync_audit_check(struct sws_ctx *ctx, struct sync_audit_check *out,
                     void (*progress)(int64_t done, int64_t total, void *),
                     void *arg, struct sws_err *err);

#endif
