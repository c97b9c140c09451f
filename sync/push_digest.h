/*
 * push_digest.h - the mutations of a push batch decoded and digested
 * ahead of the registry's writer.
 *
 * Each mutation of a push needs decoding (the batch comes split by
 * proto_push_split, its mutations still text), the sorted text of its
 * fields (what the registry stores), its digest (what tells a replay from
 * a device gone back in time) and the check of its values by the office's
 * rules (sync/fields.c). All are pure work on the batch: on a batch large
 * enough they are made on a thread of their own while the push applies the
 * mutations before, so that a push on a fast link waits for the database,
 * not for the decoder. The results are the same either way.
 *
 *   struct push_digest *d = push_digest_start(&p, 0);
 *   for (int i = 0; i < p.n; i++) {
 *     const struct proto_mutation *m = push_digest_mutation(d, i, err);
 *     if (m == NULL)
 *       refuse the whole batch (roll back what was applied of it);
 *     apply(m, push_digest_canon(d, i), push_digest_hash(d, i));
 *   }
 *   push_digest_end(d);
 *
 * The batch must stay (not freed, not changed) until push_digest_end;
 * mutation i is read only once push_digest_mutation gave it.
 */
#ifndef SWS_SYNC_PUSH_DIGEST_H
#define SWS_SYNC_PUSH_DIGEST_H

#include "sync/proto.h"

struct push_digest;

/* Start on batch p. Never fails: without a thread to be had, or for a
 * small batch, the work is done here and now. bDecodeFirst: every
 * mutation is decoded before any is digested, for a push that reads the
 * whole batch (push_digest_all) before it applies the first mutation;
 * else each mutation is decoded and digested in turn. */
struct push_digest *push_digest_start(struct proto_push *p,
                                      int bDecodeFirst);

/* Mutation i decoded, waiting for it if need be; NULL when it is
 * malformed, err saying how (the batch is then refused whole). Read
 * p->a[i] through this, not before. */
const struct proto_mutation *push_digest_mutation(struct push_digest *d,
                                                  int i, struct sws_err *err);

/* Every mutation decoded (waiting for all of them): SWS_OK, or the first
 * malformed one's error. */
int push_digest_all(struct push_digest *d, struct sws_err *err);

/* Mutation i's fields as proto_canonical writes them, and its digest as
 * proto_mutation_hash does, waiting for them if need be. Owned by d. */
const char *push_digest_canon(struct push_digest *d, int i);
const char *push_digest_hash(struct push_digest *d, int i);

/* NULL when mutation i's fields follow the office's rules (fields_check),
 * else the message saying what is wrong. Owned by d. */
const char *push_digest_check(struct push_digest *d, int i);

/* The push is done with d: free it. NULL is fine. A thread's work is
 * freed by the thread once this returned (the push answers meanwhile),
 * the mutations it decoded with it; the batch is the caller's again. */
void push_digest_end(struct push_digest *d);

/* Wait until every batch ended is freed (before exit, and before a
 * leak check). */
void push_digest_drain(void);

#endif
