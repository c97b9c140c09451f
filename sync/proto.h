/*
 * proto.h - the sync wire format (docs/sync-protocol.md): push batches,
 * push verdicts and feed pages, as JSON. Pure encode/decode with every
 * input checked, no I/O; fuzzed (fuzz/fuzz_proto.c).
 */
#ifndef SWS_SYNC_PROTO_H
#define SWS_SYNC_PROTO_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define PROTO_VERSION 1
#define PROTO_MAX_MUTATIONS 5000
#define PROTO_MAX_BODY ((size_t)8 << 20) /* uncompressed */

/* One field-level change, as the office's outbox recorded it. */
struct proto_mutation {
  int64_t seq;        /* the device's sequence */
  const char *zEntity; /* table name */
  const char *zId;    /* the record's UUID */
  const char *zOp;    /* "insert" or "update" */
  json_t *fields;     /* object: new values (borrowed) */
  json_t *prev;       /* object of previous values, or NULL (borrowed) */
  const char *zBy;    /* operator */
  const char *zAt;    /* when, office clock */
};

struct proto_push {
  int proto;
  const char *zDevice;
  const char *zBatch;
  int64_t first, last;
  struct proto_mutation *a;
  int n;
  json_t *root; /* owns everything above */
  /* split (proto_push_split): the body, where each mutation is in it (2
   * per mutation: offset, length) and what decodes each */
  const char *zBody;
  size_t *aSpan;
  json_t **aRoot;
};

/*
 * Decode and check a push body: known version, a device code, a batch id,
 * mutations with contiguous ascending seqs from first to last, entity and
 * id shaped sensibly, fields an object. Release with proto_push_release.
 */
int proto_push_decode(struct proto_push *out, const char *z, size_t n,
                      struct sws_err *err);
void proto_push_release(struct proto_push *p);

/*
 * The same checks in two steps, so that the mutations can be decoded on
 * another thread while the first of them are applied: proto_push_split
 * checks the top level and finds the mutations (out->n of them) without
 * decoding them; proto_push_decode_one decodes and checks mutation i into
 * out->a[i] (untouched before). A body accepted by proto_push_decode is
 * accepted by both steps, with the same mutations, and one it refuses is
 * refused by one of them (fuzz/fuzz_proto.c holds them to it). z must
 * outlive out. A body not shaped as an office writes one (its "m" escaped,
 * say) is decoded whole here, and decode_one has nothing left to do.
 */
int proto_push_split(struct proto_push *out, const char *z, size_t n,
                     struct sws_err *err);
int proto_push_decode_one(struct proto_push *p, int i, struct sws_err *err);

/*
 * The digest of one mutation (lower-case hex SHA-256 of its canonical JSON:
 * every part, keys sorted): the registry stores it with the verdict, so a
 * mutation sent again under the same seq is told from a different one.
 */
#define PROTO_HASH_MAX 65
void proto_mutation_hash(const struct proto_mutation *m,
                         char out[PROTO_HASH_MAX]);
/* The same, given zFields = proto_canonical(m->fields) already made (the
 * registry stores that text too). */
void proto_mutation_hash_with(const struct proto_mutation *m,
                              const char *zFields, char out[PROTO_HASH_MAX]);

/* Compact JSON with sorted keys (any value). Caller frees. */
char *proto_canonical(const json_t *j);

/* Encode a push body (a[] in seq order, contiguous). Caller frees. */
char *proto_push_encode(const char *zDevice, const char *zBatch,
                        const struct proto_mutation *a, int n);

/*
 * A push body around mutations already encoded (zMutations: their JSON
 * objects joined by commas, first..last contiguous), as the office's outbox
 * holds them. Caller frees.
 */
char *proto_push_assemble(const char *zDevice, const char *zBatch,
                          int64_t first, int64_t last,
                          const char *zMutations);

/* The verdict on one mutation. */
struct proto_verdict {
  int64_t seq;
  const char *zVerdict; /* applied, duplicate, merged, conflict, rejected */
  const char *zDetail;  /* why (conflict: the fields; rejected: reason) */
  const char *zInto;    /* merged: the survivor's id */
};

struct proto_push_reply {
  int64_t ack;          /* every seq <= ack is done */
  struct proto_verdict *a;
  int n;
  const char *zServerTime;
  json_t *root;
};

/* Encode / decode a push reply. */
char *proto_reply_encode(int64_t ack, const struct proto_verdict *a, int n,
                         const char *zServerTime);
int proto_reply_decode(struct proto_push_reply *out, const char *z, size_t n,
                       struct sws_err *err);
void proto_reply_release(struct proto_push_reply *r);

/* One feed item: a kind and its payload object. */
struct proto_item {
  const char *zKind;
  json_t *payload; /* borrowed */
};

struct proto_page {
  struct proto_item *a;
  int n;
  const char *zNext; /* the cursor after this page */
  int more;          /* more items wait */
  const char *zServerTime;
  json_t *root;
};

int proto_page_decode(struct proto_page *out, const char *z, size_t n,
                      struct sws_err *err);
void proto_page_release(struct proto_page *p);

/* Entities offices may push (their synced tables). */
int proto_entity_known(const char *zEntity);

#endif
