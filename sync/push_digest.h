/*
 * push_digest.h - the digests of a push batch's mutations, made ahead of
 * the registry's writer.
 *
 * Each mutation of a push needs the sorted text of its fields (what the
 * registry stores), its digest (what tells a replay from a device gone
 * back in time) and the check of its values by the office's rules
 * (sync/fields.c). All are pure work on the decoded batch: on a batch large
 * enough they are made on a thread of their own while the push applies the
 * mutations before, so that a push on a fast link waits for the database,
 * not for the digests. The results are the same either way.
 *
 *   struct push_digest *d = push_digest_start(&p);
 *   for (int i = 0; i < p.n; i++)
 *     apply(&p.a[i], push_digest_canon(d, i), push_digest_hash(d, i));
 *   push_digest_end(d);
 *
 * The batch must stay as it is (not freed, not changed) until
 * push_digest_end. Reading its values meanwhile is fine.
 */
#ifndef SWS_SYNC_PUSH_DIGEST_H
#define SWS_SYNC_PUSH_DIGEST_H

#include "sync/proto.h"

struct push_digest;

/* Start on batch p. Never fails: without a thread to be had, or for a
 * small batch, the work is done here and now. */
struct push_digest *push_digest_start(const struct proto_push *p);

/* Mutation i's fields as proto_canonical writes them, and its digest as
 * proto_mutation_hash does, waiting for them if need be. Owned by d. */
const char *push_digest_canon(struct push_digest *d, int i);
const char *push_digest_hash(struct push_digest *d, int i);

/* NULL when mutation i's fields follow the office's rules (fields_check),
 * else the message saying what is wrong. Owned by d. */
const char *push_digest_check(struct push_digest *d, int i);

/* Wait for the thread (if any) and free everything. NULL is fine. */
void push_digest_end(struct push_digest *d);

#endif
