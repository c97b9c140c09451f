/*
 * snapshot.h - a new device of an existing office starts from a signed
 * snapshot of what the registry holds for the office (docs/sync-protocol.md,
 * "A new device from a snapshot"). This part is pure (no database, no
 * network; fuzzed): the registry's signing key, and signing and opening a
 * snapshot page.
 *
 * A snapshot page is the device's own feed page, wrapped and signed by the
 * registry:
 *
 *   {"sig":"<86 base64url>","office":"KH12","device":"KH12-2",
 *    "from":"<cursor the page follows>","page":<the feed page>}
 *
 * The signature (Ed25519, the registry's key) covers "sws-snapshot-v1",
 * the office, the device, the cursor the page follows and the SHA-256 of
 * the page's exact bytes, so a page of another office or device, a page
 * altered on the way, and a page replayed or out of order (it follows
 * another cursor than the one the device stored) are all refused.
 */
#ifndef SWS_SYNC_SNAPSHOT_H
#define SWS_SYNC_SNAPSHOT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/err.h"

/* The registry's snapshot signing key, derived from its cursor key (its
 * 32-byte secret) under a label of its own: nothing new to store or back
 * up, and the same on every worker of a registry. */
void sync_snapshot_keypair(const unsigned char cursorKey[32],
                           unsigned char pk[SWS_PK_BYTES],
                           unsigned char sk[SWS_SK_BYTES]);

/* Append the signed wrapper of feed page zPage (nPage bytes) to out. */
void sync_snapshot_wrap(struct buf *out, const unsigned char sk[SWS_SK_BYTES],
                        const char *zOffice, const char *zDevice,
                        const char *zFrom, const char *zPage, size_t nPage);

enum {
  SYNC_SNAPSHOT_MALFORMED = 1, /* not a snapshot page */
  SYNC_SNAPSHOT_OTHER_OFFICE,  /* for another office */
  SYNC_SNAPSHOT_OTHER_DEVICE,  /* for another device of the office */
  SYNC_SNAPSHOT_ORDER,         /* follows another cursor: replayed, reordered */
  SYNC_SNAPSHOT_BADSIG         /* not signed by this registry's key: altered */
};

/*
 * Check a snapshot page z (n bytes) for office zOffice, device zDevice,
 * following cursor zFrom ("" for the first), signed with pk. Returns 0
 * with *pzPage, *pnPage the feed page's bytes inside z, or one of the
 * codes above with err saying what was refused and why.
 */
int sync_snapshot_open(const unsigned char pk[SWS_PK_BYTES], const char *z,
                       size_t n, const char *zOffice, const char *zDevice,
                       const char *zFrom, const char **pzPage, size_t *pnPage,
                       struct sws_err *err);

#endif
