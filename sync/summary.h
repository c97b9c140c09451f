/*
 * summary.h - an office's indicator summary for a closed period, signed
 * with its key, sent to the registry with each sync (issue 21's
 * traceability): the registry keeps it and compares it with what it
 * counts from the records it holds (sws central report --check).
 *
 *   {"office": "KH12", "period": "2026-11", "version": 1,
 *    "made_at": "2026-12-01T08:00:00Z",
 *    "values": {"households_registered": 12, ...},
 *    "sig": "<base64url Ed25519>"}
 *
 * The signature is over the same object without "sig", written with
 * sorted keys and no spaces. The values are exact totals for the office:
 * the registry holds the records they count, so they tell it nothing it
 * could not count itself; they are never shown to people.
 */
#ifndef SWS_SYNC_SUMMARY_H
#define SWS_SYNC_SUMMARY_H

#include <jansson.h>
#include <stddef.h>

#include "core/crypto.h"
#include "core/err.h"

#define SUMMARY_MAX_BYTES (64 * 1024)
#define SUMMARY_MAX_VALUES 200

struct summary {
  char zOffice[17];
  char zPeriod[32];
  int version;
  char zMadeAt[32];
  json_t *values; /* indicator code -> integer (owned) */
};

/* The signed summary as JSON text (caller frees). values: code -> integer
 * (borrowed). */
char *summary_make(const char *zOffice, const char *zPeriod, int version,
                   const char *zMadeAt, json_t *values,
                   const unsigned char sk[SWS_SK_BYTES]);

/* Read a summary (at most SUMMARY_MAX_BYTES) and check its signature by
 * pk: 0 and *out filled (release with summary_release), or SWS_EINVAL
 * with what is wrong (not a summary, a value that is not a count, a
 * signature that does not match: changed after it was signed). */
int summary_read(struct summary *out, const char *z, size_t n,
                 const unsigned char pk[SWS_PK_BYTES], struct sws_err *err);
void summary_release(struct summary *s);

#endif
