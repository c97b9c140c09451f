/*
 * office_merge.h - the merges this office's supervisors asked for
 * (cases/review.h), sent to the registry during a sync session
 * (POST /v1/merge, sync/central_merge_ask.h) and its answers recorded.
 */
#ifndef SWS_SYNC_OFFICE_MERGE_H
#define SWS_SYNC_OFFICE_MERGE_H

#include "sync/engine.h"

/*
 * Send each waiting merge request; record "merged" or "refused" (with the
 * registry's reason) for each answer (rep->nMergeAsked, nMergeRefused).
 * A request whose answer did not come stays waiting and is sent again by
 * the next session; the registry answers a pair it merged already as
 * merged. Fails (SWS_ENET...) when the registry cannot be reached or
 * fails itself; what was answered before is kept.
 */
int sync_merge_send(struct sws_ctx *ctx, const struct sync_transport *t,
                    const struct sync_opts *o, struct sync_report *rep,
                    struct sws_err *err);

#endif
