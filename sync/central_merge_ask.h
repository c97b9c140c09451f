/*
 * central_merge_ask.h - an office asks the registry to merge two of its
 * households (issue 23): its supervisor decided a possible duplicate at
 * the office is one family (cases/review.h). The registry merges as 'sws
 * central merge' does, only when the asking office holds both households,
 * and says so; the merge reaches the office in its feed.
 */
#ifndef SWS_SYNC_CENTRAL_MERGE_ASK_H
#define SWS_SYNC_CENTRAL_MERGE_ASK_H

#include "core/buf.h"
#include "sync/central.h"

/*
 * POST /v1/merge from device zDevice: zBody {"request": UUID, "survivor":
 * ID, "merged": ID, "by": LOGIN, "reason": TEXT}. 200 and {"result":
 * "merged", "survivor", "merged" (their numbers)} into out, also for a
 * pair already merged so (a session cut before the answer, sent again);
 * 403 a household this office does not hold; 404 no such household; 409
 * one of them merged into another household; 400 a body not as above.
 * Every answer but 400 is written in the registry's log and kept: the
 * same request (office, request) again is answered as before.
 */
int central_merge_ask(struct central *c, const char *zDevice, const char *zBody,
                      size_t nBody, int *pStatus, struct buf *out,
                      struct sws_err *err);

#endif
