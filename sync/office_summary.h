/*
 * office_summary.h - the signed indicator summaries an office sends with
 * its syncs (sync/summary.h): one for each of the last three months that
 * have closed since the office began, sent once each.
 */
#ifndef SWS_SYNC_OFFICE_SUMMARY_H
#define SWS_SYNC_OFFICE_SUMMARY_H

#include "cases/ctx.h"

#define SUMMARY_MONTHS 3

/* The closed months whose summary is not sent yet ("2026-11"), oldest
 * first, into aPeriod; *pn gets how many. */
int sync_summaries_due(struct sws_ctx *ctx, char (*aPeriod)[8], int *pn,
                       struct sws_err *err);

/* The summary of month zPeriod: every count indicator's total for the
 * office, signed with its key (caller frees *pzJson). */
int sync_summary_make(struct sws_ctx *ctx, const char *zPeriod, char **pzJson,
                      struct sws_err *err);

/* The registry has it. */
int sync_summary_sent(struct sws_ctx *ctx, const char *zPeriod,
                      struct sws_err *err);

#endif
