/*
 * audit_head.h - an office device's signed audit chain head, as it travels
 * (docs/sync-protocol.md, "The audit chain head"): the last row of its
 * audit log (id and hash) and the number of rows, signed with the device's
 * key over "sws-audit-head-v1|DEVICE|ID|HASH|N", and, to show that it
 * extends the head the registry kept, the hash the chain holds now at the
 * kept row (the link). Pure encode, decode and signature; no I/O.
 */
#ifndef SWS_SYNC_AUDIT_HEAD_H
#define SWS_SYNC_AUDIT_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/err.h"

#define AUDIT_HEAD_DOMAIN "sws-audit-head-v1"

struct audit_head_msg {
  char zDevice[17];
  int64_t id, n;
  char zHash[65];
  unsigned char sig[SWS_SIG_BYTES];
  int64_t linkId; /* 0: no link sent */
  char zLinkHash[65];
};

/* Sign h (its device, id, hash and n) with sk. */
void audit_head_sign(struct audit_head_msg *h,
                     const unsigned char sk[SWS_SK_BYTES]);
/* 1 if h's signature is pk's. */
int audit_head_verify(const struct audit_head_msg *h,
                      const unsigned char pk[SWS_PK_BYTES]);

/* The request body (JSON). Caller frees. */
char *audit_head_encode(const struct audit_head_msg *h);
/* Read and check a body: a device code, ids and counts not negative, hashes
 * of 64 hex digits, a signature of the right size (not checked here). */
int audit_head_decode(struct audit_head_msg *out, const char *z, size_t n,
                      struct sws_err *err);

#endif
