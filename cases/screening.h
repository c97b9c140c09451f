/*
 * screening.h - kept screening outcomes: what screening against the
 * catalogue (programme.h) found for each assessed household, kept in the
 * office database (schema/office/0012) so the monthly report's coverage
 * gap is a join rather than tens of microseconds of rules per household.
 *
 * A kept screening means what screening now would: the triggers of 0012
 * delete it when any of its inputs changes (the household, its members,
 * its assessments; the areas, the catalogue, the questionnaires), and it
 * expires on the first day a member's age changes. The report reads only
 * valid ones and screens the other households on the fly, so a kept
 * screening missing, expired or deleted costs speed, never exactness.
 *
 * Kept when a household is assessed (cases_screening_keep), by the idle
 * upkeep (the web UI between requests, like the index upkeep of
 * maintain.h) and by 'sws maintain' (nightly).
 */
#ifndef SWS_CASES_SCREENING_H
#define SWS_CASES_SCREENING_H

#include "cases/ctx.h"

/* Households screened per step (one write transaction each): about 35
 * microseconds each, so a registration coming in meanwhile waits a few
 * milliseconds at most. */
#define SCREENING_STEP_HOUSEHOLDS 64

/*
 * One step: screen up to nMax active assessed households whose kept
 * screening is missing or expired, and keep the outcomes, in one
 * transaction. *pnDone gets how many were screened (may be NULL);
 * *pbMore is set when more may be waiting. A household whose screening
 * fails (a rule the catalogue check let through) is noted as tried
 * today, so it does not hold the others up, and is tried again tomorrow;
 * the report screens it on the fly meanwhile (and reports the error).
 */
int cases_screening_step(struct sws_ctx *ctx, int nMax, int *pnDone,
                         int *pbMore, struct sws_err *err);

/*
 * Screen household zHouseholdId (an id) now and keep the outcome, inside
 * the caller's transaction: an assessment just saved is counted by the
 * next report without screening it again. Best effort: when it cannot be
 * kept (an error), nothing is written and the upkeep keeps it later.
 */
void cases_screening_keep(struct sws_ctx *ctx, const char *zHouseholdId);

/*
 * Delete the kept screenings that disagree with the records they were
 * taken from (rows edited behind the program's back: derived data, like
 * an index): of a household that is gone, inactive or elsewhere, or whose
 * assessments or counted members differ, and eligible rows with no kept
 * screening. *pnDropped (may be NULL) gets how many. Whether the outcome
 * itself is right only screening again can tell.
 */
int cases_screening_sweep(struct sws_ctx *ctx, int *pnDropped,
                          struct sws_err *err);

/* The sweep, then steps until every assessed household has a valid kept
 * screening (the nightly upkeep). */
int cases_screening_all(struct sws_ctx *ctx, int *pnDone, struct sws_err *err);

/* In SQL: the kept screening s is valid on :today. */
#define SCREENING_VALID(s)                                                     \
  s ".screened_on <= :today AND " s ".valid_until > :today"

#endif
