/*
 * central_audit.h - the registry's side of the audit chain head
 * (docs/sync-protocol.md, "The audit chain head"): each office device
 * signs the head of its audit log and sends it with every sync; the
 * registry checks the signature, keeps the last head of each device, and
 * flags a device whose new head does not extend the one it kept (rows
 * deleted from the end, or rewritten with their hashes recomputed).
 */
#ifndef SWS_SYNC_CENTRAL_AUDIT_H
#define SWS_SYNC_CENTRAL_AUDIT_H

#include "core/buf.h"
#include "sync/central.h"

/*
 * POST /v1/audit-head from device zDevice (authenticated). *pStatus and out
 * get the answer: 200 {"kept": {id, hash, n, at}} (the head kept, the
 * office's acknowledgement); 409 {"error": "audit-link", "kept_id": K}
 * when the head leaves the kept row K out (the office sends it again with
 * the hash it holds at K); 409 {"error": "audit-diverged", "message"} when
 * it does not extend the kept head (the device is flagged, central_log
 * says why, the kept head stays). Returns non-zero, with err and *pStatus
 * 400 or 403, for a body that is not a head, a head of another device or
 * one its key did not sign.
 */
int central_audit_head_receive(struct central *c, const char *zDevice,
                               const char *zBody, size_t nBody, int *pStatus,
                               struct buf *out, struct sws_err *err);

/* The last head device zDevice sent (out->zDevice "" if none yet). */
int central_audit_head_get(struct central *c, const char *zDevice,
                           struct central_audit_head *out, struct sws_err *err);

#endif
