/*
 * review.h - what sync left for people to look at, at the office: changes
 * the registry rejected, conflicts, and received items that could not be
 * applied (sws sync status, the web UI). Each record is named as people
 * name it (cases/label.h), never by its id alone.
 */
#ifndef SWS_SYNC_REVIEW_H
#define SWS_SYNC_REVIEW_H

#include <jansson.h>

#include "cases/ctx.h"

/*
 * Append to each array (objects, oldest first):
 *   rejected:  {seq, verdict, detail, at, entity, id, record}
 *   conflicts: a field conflict {conflict, origin, entity, id, record,
 *              field, local_value, server_value, reason, at}, or a change
 *              kept back whose field conflict has not arrived yet {seq,
 *              verdict, detail, at, entity, id, record}; one conflict
 *              counts once
 *   problems:  {kind, reason, at}
 */
int sync_review_lists(struct sws_ctx *ctx, json_t *jRejected,
                      json_t *jConflicts, json_t *jProblems,
                      struct sws_err *err);

#endif
