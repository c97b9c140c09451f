/*
 * schema.h - the numbered migrations of the office and central databases,
 * embedded at build time (tools/embed.c), and the code that applies them.
 *
 * A database carries PRAGMA application_id (which kind of sws database it
 * is) and PRAGMA user_version (the last migration applied).
 *
 * One expansion: a line "-- @synced TABLE" in a migration becomes the
 * standard triggers of a synced table (writes need an operation, no
 * deletes, field-level outbox rows; see SYNCED in schema.c). The template
 * is applied when the migration runs; changing it later needs a migration
 * that recreates the triggers.
 */
#ifndef SWS_SCHEMA_H
#define SWS_SCHEMA_H

#include <stdint.h>

#include "core/db.h"

struct schema_step {
  int version;       /* NNNN of the file name */
  const char *zName; /* file name, for messages */
  const char *zSql;  /* the migration */
};

struct schema_set {
  const char *zKind;             /* "office" or "central", for messages */
  int32_t application_id;        /* stamped into the file */
  const struct schema_step *aStep;
  const int *pnStep;
};

extern const struct schema_set schema_office;
extern const struct schema_set schema_central;

/*
 * Bring `db` to the latest version of `set`. An empty database is
 * initialised only when bCreate is set. A file of another kind or from a
 * newer sws is refused with SWS_ESCHEMA.
 */
int schema_migrate(struct sws_db *db, const struct schema_set *set,
                   int bCreate, struct sws_err *err);

/* The latest version of `set`. */
int schema_latest(const struct schema_set *set);

#endif
