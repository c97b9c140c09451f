/*
 * central_snapshot.h - the registry's side of a new device starting from a
 * snapshot of its office (docs/sync-protocol.md, "A new device from a
 * snapshot"; the signed pages are sync/snapshot.h).
 */
#ifndef SWS_SYNC_CENTRAL_SNAPSHOT_H
#define SWS_SYNC_CENTRAL_SNAPSHOT_H

#include "core/buf.h"
#include "sync/central.h"

/* The registry's snapshot public key, base64url (44 bytes with the NUL):
 * what a new device is given to check the snapshot's signature. */
void central_snapshot_pubkey(struct central *c, char zOut[48]);

/*
 * POST /v1/snapshot from device zDevice, body {"proto":1, "office":CODE,
 * "device":CODE}: put every record the registry holds for the device's
 * office (what a reconcile compares: records its devices created and
 * copies sent to it) in the device's feed, households before members,
 * in one transaction, once per device (asked again, it answers what it
 * put there the first time). The answer: {"office", "device", "records",
 * "households", "members", "at"}. *pStatus 200, 400 (malformed), 403 (the
 * device is not of that office, or the body names another device).
 */
int central_snapshot_begin(struct central *c, const char *zDevice,
                           const char *zBody, size_t nBody, int *pStatus,
                           struct buf *out, struct sws_err *err);

/*
 * GET /v1/snapshot?cursor=C&max=N: the device's feed page after C (as
 * central_feed, with its statuses), wrapped and signed with the
 * registry's snapshot key (sync/snapshot.h).
 */
int central_snapshot_page(struct central *c, const char *zDevice,
                          const char *zCursor, size_t nMaxBytes, int *pStatus,
                          struct buf *out, struct sws_err *err);

#endif
