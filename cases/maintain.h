/*
 * maintain.h - index upkeep done while the office is idle.
 *
 * The two name indexes (FTS5) take new names into small segments that
 * must be merged now and then, and the write-ahead log must be copied
 * back into the database (a checkpoint). Done inside a registration, each
 * cost tens of milliseconds at a million people, now and then, while the
 * officer waited (docs/benchmarks.md). So the indexes do not merge by
 * themselves (automerge=0, schema/office/0007) and the web UI, which
 * also turns the automatic checkpoint off on its connection, calls this
 * between requests on a connection of its own. FTS5 still merges by
 * itself when a level reaches 16 segments, so an office that never runs
 * the UI stays searchable; an import ends with cases_maintain_all().
 */
#ifndef SWS_CASES_MAINTAIN_H
#define SWS_CASES_MAINTAIN_H

#include "core/db.h"
#include "core/err.h"

/* Pages of index merged per table per step: a few milliseconds of work,
 * so a registration that comes in meanwhile waits little. */
#define MAINTAIN_STEP_PAGES 64

/* One step: merge up to nPages of each name index, then copy what the
 * log holds back into the database as far as readers allow (a PASSIVE
 * checkpoint, which never waits for them). *pbMore is set when merging
 * is not finished. */
int cases_maintain_step(struct sws_db *db, int nPages, int *pbMore,
                        struct sws_err *err);

/* Puts the names of members written or renamed since the last call into
 * both name indexes (schema/office/0008): called at the end of every
 * operation, before its commit, so the indexes hold every name at every
 * commit; one FTS5 segment per index and operation, not per member. */
int cases_index_pending(struct sws_db *db, struct sws_err *err);

/* Steps until nothing is left to merge (the end of an import). */
int cases_maintain_all(struct sws_db *db, struct sws_err *err);

#endif
