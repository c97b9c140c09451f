/*
 * central_move.h - a family moves to an area another office serves
 * (issue 22): the receiving office asks the registry, online, for the
 * household by its registration number or a member's national ID; the
 * registry gives the household, its members and everything the old office
 * did for it (cases and their plans and notes, assessments, applications,
 * referrals, grievances, with their events) to the receiving office,
 * which owns them from then on (the ownership rule), and tells the old
 * office, which keeps a read-only copy marked "moved to KH13 on DATE".
 * docs/decisions.md, "A family moves", says why everything follows.
 */
#ifndef SWS_SYNC_CENTRAL_MOVE_H
#define SWS_SYNC_CENTRAL_MOVE_H

#include "core/buf.h"
#include "sync/central.h"

/*
 * POST /v1/move from device zDevice: zBody {"regno": R} or
 * {"national_id": N}. 200 and {"regno", "from", "records"} into out; 404
 * no such household; 409 already this office's, or an ID in several
 * households (their numbers said); 400 a body that is neither.
 */
int central_move(struct central *c, const char *zDevice, const char *zBody,
                 size_t nBody, int *pStatus, struct buf *out,
                 struct sws_err *err);

#endif
