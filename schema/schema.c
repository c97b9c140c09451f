/*
 * schema.c - apply embedded migrations (see schema.h).
 */
#include "schema/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

extern const struct schema_step schema_office_steps[];
extern const int schema_office_steps_count;
extern const struct schema_step schema_central_steps[];
extern const int schema_central_steps_count;

/* 'SWSO' and 'SWSC' */
const struct schema_set schema_office = {"office", 0x5357534f,
                                         schema_office_steps,
                                         &schema_office_steps_count};
const struct schema_set schema_central = {"central registry", 0x53575343,
                                          schema_central_steps,
                                          &schema_central_steps_count};

int schema_latest(const struct schema_set *set)
{
  return *set->pnStep ? set->aStep[*set->pnStep - 1].version : 0;
}

static const char *kind_of(int64_t app_id)
{
  if (app_id == schema_office.application_id)
    return "an sws office database";
  if (app_id == schema_central.application_id)
    return "an sws central registry database";
  return "not an sws database";
}

/* The triggers of every synced table (see cases/capture.h): writes need
 * an operation, nothing is deleted, and inserts and updates leave
 * field-level outbox rows. %1$s is the table. */
static const char SYNCED[] =
    "CREATE TRIGGER %1$s_guard_i BEFORE INSERT ON %1$s BEGIN\n"
    "  SELECT sws_op();\n"
    "END;\n"
    "CREATE TRIGGER %1$s_guard_u BEFORE UPDATE ON %1$s BEGIN\n"
    "  SELECT sws_op();\n"
    "  SELECT sws_row_snapshot('%1$s', old.rid);\n"
    "END;\n"
    "CREATE TRIGGER %1$s_no_delete BEFORE DELETE ON %1$s BEGIN\n"
    "  SELECT RAISE(ABORT, '%1$s records are never deleted (soft delete "
    "only)');\n"
    "END;\n"
    "CREATE TRIGGER %1$s_outbox_i AFTER INSERT ON %1$s BEGIN\n"
    "  INSERT INTO outbox(mutation_id, op_id, entity, entity_id, op, fields,\n"
    "                     prev, operator, at)\n"
    "  SELECT sws_uuid7(), sws_op(), '%1$s', new.id, 'insert',\n"
    "         c ->> '$.fields', c ->> '$.prev', sws_actor(), sws_now()\n"
    "  FROM (SELECT sws_row_changes('%1$s', new.rid) AS c) WHERE c NOT NULL;\n"
    "END;\n"
    "CREATE TRIGGER %1$s_outbox_u AFTER UPDATE ON %1$s BEGIN\n"
    "  INSERT INTO outbox(mutation_id, op_id, entity, entity_id, op, fields,\n"
    "                     prev, operator, at)\n"
    "  SELECT sws_uuid7(), sws_op(), '%1$s', new.id, 'update',\n"
    "         c ->> '$.fields', c ->> '$.prev', sws_actor(), sws_now()\n"
    "  FROM (SELECT sws_row_changes('%1$s', new.rid) AS c) WHERE c NOT NULL;\n"
    "END;\n";

/* Expand "-- @synced TABLE" lines into SYNCED; caller frees. */
static char *expand(const char *zSql)
{
  struct buf b = BUF_INIT;
  const char *p = zSql;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
    if (strncmp(p, "-- @synced ", 11) == 0) {
      char zTable[48];
      size_t k = 0;
      for (const char *q = p + 11; k + 1 < sizeof zTable &&
                                   ((*q >= 'a' && *q <= 'z') || *q == '_');
           q++)
        zTable[k++] = *q;
      zTable[k] = '\0';
      buf_appendf(&b, SYNCED, zTable);
    } else {
      buf_append(&b, p, n);
    }
    p += n;
  }
  return buf_detach(&b, NULL);
}

int schema_migrate(struct sws_db *db, const struct schema_set *set,
                   int bCreate, struct sws_err *err)
{
  int64_t app_id, version, ntables;
  int rc;
  if ((rc = db_int64(db, &app_id, 0, "PRAGMA application_id", err)) != 0 ||
      (rc = db_int64(db, &version, 0, "PRAGMA user_version", err)) != 0 ||
      (rc = db_int64(db, &ntables, 0,
                     "SELECT count(*) FROM sqlite_schema", err)) != 0)
    return rc;
  if (app_id == 0 && version == 0 && ntables == 0) {
    if (!bCreate)
      return sws_err_set(err, SWS_ENOTFOUND, "'%s' is empty, not an sws %s "
                         "database; create one with 'sws init'", db->zPath,
                         set->zKind);
  } else if (app_id != set->application_id) {
    return sws_err_set(err, SWS_ESCHEMA, "'%s' is %s, not an sws %s "
                       "database; check the --db option", db->zPath,
                       kind_of(app_id), set->zKind);
  }
  int latest = schema_latest(set);
  if (version > latest)
    return sws_err_set(err, SWS_ESCHEMA, "'%s' was written by a newer sws "
                       "(schema version %lld; this sws knows up to %d); "
                       "install the newer sws", db->zPath, (long long)version,
                       latest);
  if (version < latest && db->bReadOnly)
    return sws_err_set(err, SWS_ESCHEMA,
                       "'%s' needs its schema brought up "
                       "to date by this sws (version %lld to %d), and it "
                       "cannot be written here; open it once where it can "
                       "be written",
                       db->zPath, (long long)version, latest);
  for (int i = 0; i < *set->pnStep; i++) {
    const struct schema_step *s = &set->aStep[i];
    if (s->version <= version)
      continue;
    char zPragma[64];
    if ((rc = db_begin(db, err)) != 0)
      return rc;
    char *zSql = expand(s->zSql);
    rc = db_exec(db, zSql, err);
    free(zSql);
    if (rc != 0) {
      char zWhy[sizeof err->msg];
      snprintf(zWhy, sizeof zWhy, "%s", err->msg);
      db_rollback(db);
      return sws_err_set(err, rc, "cannot apply schema step %s: %s",
                         s->zName, zWhy);
    }
    snprintf(zPragma, sizeof zPragma, "PRAGMA user_version=%d", s->version);
    if ((rc = db_exec(db, zPragma, err)) != 0) {
      db_rollback(db);
      return rc;
    }
    snprintf(zPragma, sizeof zPragma, "PRAGMA application_id=%d",
             (int)set->application_id);
    if ((rc = db_exec(db, zPragma, err)) != 0) {
      db_rollback(db);
      return rc;
    }
    if ((rc = db_commit(db, err)) != 0)
      return rc;
  }
  return SWS_OK;
}
