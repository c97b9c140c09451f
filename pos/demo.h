/*
 * demo.h - made-up but realistic households, for the demo office and the
 * benchmarks.
 */
#ifndef SWS_POS_DEMO_H
#define SWS_POS_DEMO_H

#include <stdint.h>

#include "cases/ctx.h"
#include "core/buf.h"

/*
 * Append a CSV in the format of 'sws import' with nHouseholds households in
 * the office's villages, keys zKeyPrefix000001..., deterministic for seed.
 */
int demo_households_csv(struct sws_ctx *ctx, int nHouseholds, uint64_t seed,
                        const char *zKeyPrefix, struct buf *out,
                        struct sws_err *err);

#endif
