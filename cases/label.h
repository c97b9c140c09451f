/*
 * label.h - a record as people name it, never by its id: "household
 * KH12-000001-E", "member 2 of KH12-000001-E (Ly Sokha)", "a referral of
 * KH12-000001-E". For listings that would otherwise show a UUID (sync
 * status, conflicts).
 */
#ifndef SWS_CASES_LABEL_H
#define SWS_CASES_LABEL_H

#include <stddef.h>

#include "cases/ctx.h"

/* The name of record zId of entity zEntity (a synced table's name) into
 * zOut: always something to show, "a referral not held here" when the
 * record is not in this database. */
void cases_record_label(struct sws_ctx *ctx, const char *zEntity,
                        const char *zId, char *zOut, size_t n);

#endif
