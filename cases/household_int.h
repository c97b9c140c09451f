/*
 * household_int.h - household registration steps shared by
 * household.c (one household per operation) and import.c (many per
 * operation). Internal to cases/.
 */
#ifndef SWS_CASES_HOUSEHOLD_INT_H
#define SWS_CASES_HOUSEHOLD_INT_H

#include "cases/household.h"

/* Check a whole household as typed (village, members, one head). */
int household_input_check(struct sws_ctx *ctx,
                          const struct household_input *in,
                          struct sws_err *err);

/* Possible duplicates of every member of `in` (not in zExcludeId);
 * cache: NULL or the importer's (dedup.h). */
int household_find_dups(struct sws_ctx *ctx, const struct household_input *in,
                        const char *zExcludeId, struct dedup_cache *cache,
                        struct dedup_list *dups, struct sws_err *err);

/* Write the household and its members (an operation must be in progress):
 * the head becomes member 1. */
int household_insert(struct sws_ctx *ctx, const struct household_input *in,
                     char zId[SWS_UUID_LEN + 1], char zRegno[SWS_NUMBER_MAX],
                     struct sws_err *err);

/*
 * Record the possible duplicates of a saved household for review: the best
 * DEDUP_FLAGS_MAX of them (the list is best first). Where a name is common,
 * a household can resemble hundreds of others by one member each; a
 * reviewer reads the closest few, and the rest only filled the database
 * (1.3 GB of flags in a 1,000,000-member benchmark before this cap).
 * A pair is raised once, in either order: one open already is not
 * repeated, and one a supervisor decided (cases/review.h), different
 * families above all, is never raised again. A member resembling
 * another of their own household is no pair of households.
 */
#define DEDUP_FLAGS_MAX 10
int household_flag_dups(struct sws_ctx *ctx, const char *zHouseholdId,
                        const struct dedup_list *dups, const char *zSource,
                        const char *zNote, struct sws_err *err);

#endif
