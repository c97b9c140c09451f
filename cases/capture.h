/*
 * capture.h - field-level change capture for the sync outbox, shared by
 * every synced table.
 *
 * Each synced table has three small triggers (see schema/office/):
 *   BEFORE UPDATE: SELECT sws_row_snapshot('T', old.rid);
 *   AFTER INSERT / AFTER UPDATE:
 *     INSERT INTO outbox(...) SELECT ... FROM
 *       (SELECT sws_row_changes('T', new.rid) AS c) WHERE c IS NOT NULL;
 * sws_row_changes returns {"fields": {...}, "prev": {...} or null}: every
 * column on insert; only the changed columns and their previous values on
 * update (NULL when nothing changed). The row's own keys (rid, id),
 * updated_at and generated columns are not captured.
 */
#ifndef SWS_CASES_CAPTURE_H
#define SWS_CASES_CAPTURE_H

#include "cases/ctx.h"

/* Define sws_row_snapshot and sws_row_changes on ctx's connection. */
int capture_register(struct sws_ctx *ctx, struct sws_err *err);
/*
 * The captured columns of zTable (every ordinary column but rid, id and
 * updated_at): *paz points at the names (owned by the capture cache, valid
 * until the database is closed). SWS_ENOTFOUND for an unknown table.
 */
int capture_table_columns(struct sws_ctx *ctx, const char *zTable,
                          const char (**paz)[48], int *pn);

/* Forget snapshots (at the start and end of every operation). */
void capture_reset(struct sws_ctx *ctx);
/* Free everything (when the database is closed). */
void capture_free(struct sws_ctx *ctx);

#endif
