/*
 * dedup.h - possible duplicates of a person in this office's registry: the
 * database side of the rule in match.h (which people to compare), used at
 * the counter, on import and when members are added.
 *
 * Candidates are members who share a name key (member_key), have the same
 * sex and were born within 2 years, plus anyone with the same national ID;
 * each is scored by match_persons() and the best hit per household kept.
 */
#ifndef SWS_CASES_DEDUP_H
#define SWS_CASES_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "cases/match.h"
#include "core/ids.h"

struct dedup_hit {
  char zHouseholdId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  int line_no;            /* member N of that household */
  char zName[201];        /* the member found */
  char zBorn[11];
  char zArea[33];
  char zInput[201];       /* the person being registered it resembles */
  int inactive;           /* the household is deactivated */
  double score;
  char zReasons[256];
};

struct dedup_list {
  struct dedup_hit *a; /* best first */
  int n, nAlloc;
};

#define DEDUP_LIST_INIT {NULL, 0, 0}

void dedup_list_release(struct dedup_list *l);

/*
 * The candidates one import has read, kept from one household to the next.
 *
 * Each person is compared with the dozens of people who share a name key
 * and pass the name test, each read with their household: one member and
 * one household row at random per candidate. Importing 32,000 people into
 * a million read 1.6 million such candidates, of whom 450,000 were
 * different people: common names bring back the same people again and
 * again (docs/benchmarks.md). The cache keeps each one read.
 *
 * It is only right while nobody else changes anyone: dedup_cache_check(),
 * called before each check, empties it when someone else's operation has
 * committed since the last call (every write to people ends with an audit
 * row; rows of the caller's own operation, noted while it is in progress,
 * do not count: the importer only adds people, which changes no row it
 * holds). Commits that change nobody (the web UI merging its name indexes)
 * keep it. Past nMax people it starts again empty.
 */
struct dedup_cache;

/* What a cache did, for tests and the benchmark. */
struct dedup_cache_stats {
  int64_t nHit;   /* candidates found in the cache */
  int64_t nMiss;  /* candidates read from the database (and then kept) */
  int64_t nReset; /* times it started again empty (full, or stale) */
};

/* At most about 100 MB of candidates (about 200 bytes each). */
#define DEDUP_CACHE_MAX 500000

/* A new empty cache of at most nMax people. */
struct dedup_cache *dedup_cache_new(size_t nMax);
void dedup_cache_free(struct dedup_cache *c);
const struct dedup_cache_stats *dedup_cache_stats(const struct dedup_cache *c);
/* Forget what c holds if someone else's operation committed since the last
 * call; call it before each check, also inside the caller's operation. */
int dedup_cache_check(struct sws_ctx *ctx, struct dedup_cache *c,
                      struct sws_err *err);

/*
 * Add the possible duplicates of person p (not in household zExcludeId,
 * which may be NULL) to *out: one hit per household, the best, best first.
 * cache: NULL, or the candidates read before (see struct dedup_cache).
 */
int cases_dedup_person(struct sws_ctx *ctx, const struct match_person *p,
                       const char *zExcludeId, struct dedup_cache *cache,
                       struct dedup_list *out, struct sws_err *err);

#endif
