/*
 * reconcile.h - what an office and the registry compare to find drift
 * (docs/sync-protocol.md, "Reconciling"): a digest of each record they
 * hold for the office, and those digests gathered in buckets, so that a
 * comparison sends 256 bucket digests when nothing differs and the
 * record digests of a bucket only where it does.
 *
 * Both sides compute the same digest from the same values whatever store
 * holds them: a record is read as JSON (the office's row, the registry's
 * SQLite or PostgreSQL row), every compared field of its entity is taken
 * in the order of its rules (sync/fields.c), a missing field is null, a
 * number with no fraction is an integer, true and false are 1 and 0, and
 * that object is written with sorted keys (proto_canonical). The digest
 * is BLAKE2b (crypto_generichash), 16 bytes, over the entity, the id and
 * that text.
 *
 * A bucket is the last two hex digits of the record's id (the random end
 * of a UUIDv7: its beginning is a time and would put a district's records
 * in a few buckets); a bucket's digest is the XOR of its records'
 * digests, so neither side needs its records in any order.
 *
 * Pure: no I/O. The wire format's parts that need checking are here too
 * (reconcile_decode_*), fuzzed with the rest of the protocol.
 */
#ifndef SWS_SYNC_RECONCILE_H
#define SWS_SYNC_RECONCILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RECONCILE_BUCKETS 256
#define RECONCILE_DIGEST 16
#define RECONCILE_HEX (2 * RECONCILE_DIGEST + 1)
/* At most this many record digests in one request, and values of records
 * in one request (an office sends more in several). */
#define RECONCILE_MAX_RECORDS 100000
#define RECONCILE_MAX_VALUES 500

/* 1 if field zField of zEntity is compared. Fields an office derives
 * itself from what the registry sends (a grievance's state folded from
 * the answers of the layers above, an event's fit) are not: neither side
 * pushes them, so they differ without anything having drifted. */
int reconcile_field_compared(const char *zEntity, const char *zField);

/* The compared fields of a record (fields: a JSON object as either side
 * reads it) in the normalized form both sides digest. New reference;
 * NULL for an entity sync does not know. */
json_t *reconcile_normalize(const char *zEntity, json_t *fields);

/* The digest of a record, as lower-case hex (RECONCILE_HEX bytes). */
void reconcile_digest(const char *zEntity, const char *zId, json_t *fields,
                      char out[RECONCILE_HEX]);

/* The bucket of a record id (0..255), -1 if it is not a UUID. */
int reconcile_bucket(const char *zId);

/* The digests of every bucket, made record by record. */
struct reconcile_set {
  unsigned char a[RECONCILE_BUCKETS][RECONCILE_DIGEST];
  int64_t n[RECONCILE_BUCKETS];
  int64_t nRecords;
};

void reconcile_set_init(struct reconcile_set *s);
/* Add one record (its digest as reconcile_digest made it). */
void reconcile_set_add(struct reconcile_set *s, const char *zId,
                       const char zDigest[RECONCILE_HEX]);
/* The bucket digests as a JSON array of 256 hex strings (new reference). */
json_t *reconcile_set_json(const struct reconcile_set *s);
/* Compare with an office's bucket digests (a JSON array as
 * reconcile_set_json makes); aDiffer gets the buckets that differ, in
 * order, and *pn their number. SWS_EINVAL when the array is not 256 hex
 * digests. */
int reconcile_set_compare(const struct reconcile_set *s, json_t *theirs,
                          int aDiffer[RECONCILE_BUCKETS], int *pn,
                          struct sws_err *err);

/*
 * Decode a reconcile request (the JSON body an office sends): a known
 * protocol version, a device code, a step ("buckets", "records" or
 * "values") and that step's part, checked: "buckets" 256 hex digests;
 * "records" a list of buckets (0..255, each once) and at most
 * RECONCILE_MAX_RECORDS [entity, id, digest] of records in them; "values"
 * at most RECONCILE_MAX_VALUES {"e", "i", "f"} with an object of fields.
 * Entities must be synced ones and ids UUIDs. A key twice in an object is
 * refused. The caller releases *out with json_decref. SWS_EINVAL, err
 * saying what is wrong, for anything else.
 */
int reconcile_decode(json_t **out, const char *z, size_t n,
                     struct sws_err *err);

#endif
