/*
 * store_sqlite.c - the central store on SQLite (see store.h). One writer:
 * feed rows are in commit order by construction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cases/area.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/mem.h"
#include "schema/schema.h"
#include "sync/fields.h"
#include "sync/store.h"

/* The statements of one entity's table, made once from its fields
 * (sync/fields.c): the columns as a JSON object, the upsert. */
struct entity_sql {
  const char *zEntity;
  char *zObj; /* json_object('regno', regno, ...) */
  char *zGet; /* SELECT zObj, r_owner ... WHERE id = :id */
  char *zOwner; /* SELECT r_owner ... WHERE id = :id: who holds it, only */
  char *zPut; /* INSERT ... ON CONFLICT(id) DO UPDATE ...: from :f */
  char *zPutBound; /* the same, each column bound: ?1 id, ?2 owner, ?3 now,
                      then the rules' columns in order from ?4 */
  const struct fields_rule *aRule;
  int nRule;
};

struct sqlite_store {
  struct central_store base;
  struct sws_db *db;
  struct entity_sql aEnt[CENTRAL_ENTITIES];
  int nEnt;
};

#define DB(s) (((struct sqlite_store *)(s))->db)

/* Build the statements of every synced entity's table. The names come
 * from the constant rule tables, never from a request. */
static void entity_sql_init(struct sqlite_store *st)
{
  for (int e = 0; fields_entities[e] && e < CENTRAL_ENTITIES; e++) {
    const struct fields_rule *a;
    int n = 0;
    struct entity_sql *x = &st->aEnt[st->nEnt++];
    struct buf obj = BUF_INIT, get = BUF_INIT, put = BUF_INIT,
               cols = BUF_INIT, vals = BUF_INIT, set = BUF_INIT,
               own = BUF_INIT, bound = BUF_INIT, params = BUF_INIT;
    x->zEntity = fields_entities[e];
    fields_rules(x->zEntity, &a, &n);
    x->aRule = a;
    x->nRule = n;
    buf_puts(&obj, "json_object(");
    for (int i = 0; i < n; i++) {
      buf_appendf(&obj, "%s'%s', %s", i ? ", " : "", a[i].zName, a[i].zName);
      buf_appendf(&cols, ", %s", a[i].zName);
      buf_appendf(&vals, ", :f ->> '$.%s'", a[i].zName);
      buf_appendf(&params, ", ?%d", i + 4);
      buf_appendf(&set, ", %s = excluded.%s", a[i].zName, a[i].zName);
    }
    buf_puts(&obj, ")");
    buf_appendf(&get, "SELECT %s, r_owner FROM %s WHERE id = :id", /* lint: ok */
                buf_str(&obj), x->zEntity);
    buf_appendf(&own, "SELECT '', r_owner FROM %s WHERE id = :id", /* lint: ok */
                x->zEntity);
    buf_appendf(&put,
                /* names from the rule tables, never from a request */
                "INSERT INTO %s(id, r_owner, r_version, " /* lint: ok */
                "r_created_at, "
                "r_updated_at%s) VALUES (:id, :o, 1, :now, :now%s) ON "
                "CONFLICT(id) DO UPDATE SET r_owner = excluded.r_owner, "
                "r_version = %s.r_version + 1, r_updated_at = "
                "excluded.r_updated_at%s",
                x->zEntity, buf_str(&cols), buf_str(&vals), x->zEntity,
                buf_str(&set));
    x->zObj = sws_strdup(buf_str(&obj));
    x->zGet = sws_strdup(buf_str(&get));
    x->zOwner = sws_strdup(buf_str(&own));
    buf_appendf(&bound,
                "INSERT INTO %s(id, r_owner, r_version, " /* lint: ok */
                "r_created_at, "
                "r_updated_at%s) VALUES (?1, ?2, 1, ?3, ?3%s) ON "
                "CONFLICT(id) DO UPDATE SET r_owner = excluded.r_owner, "
                "r_version = %s.r_version + 1, r_updated_at = "
                "excluded.r_updated_at%s",
                x->zEntity, buf_str(&cols), buf_str(&params), x->zEntity,
                buf_str(&set));
    x->zPut = sws_strdup(buf_str(&put));
    x->zPutBound = sws_strdup(buf_str(&bound));
    buf_release(&bound);
    buf_release(&params);
    buf_release(&own);
    buf_release(&obj);
    buf_release(&get);
    buf_release(&put);
    buf_release(&cols);
    buf_release(&vals);
    buf_release(&set);
  }
}

static const struct entity_sql *entity_sql(struct central_store *s,
                                           const char *zEntity,
                                           struct sws_err *err)
{
  struct sqlite_store *st = (struct sqlite_store *)s;
  for (int i = 0; zEntity && i < st->nEnt; i++)
    if (strcmp(st->aEnt[i].zEntity, zEntity) == 0)
      return &st->aEnt[i];
  sws_err_set(err, SWS_EINVAL, "'%s' is not an entity the registry holds",
              zEntity ? zEntity : "");
  return NULL;
}

static void now(char *z)
{
  sws_time_format(z, 32, sws_now_ms());
}

static void s_close(struct central_store *s)
{
  if (s == NULL)
    return;
  struct sqlite_store *st = (struct sqlite_store *)s;
  db_close(DB(s));
  for (int i = 0; i < st->nEnt; i++) {
    free(st->aEnt[i].zObj);
    free(st->aEnt[i].zGet);
    free(st->aEnt[i].zOwner);
    free(st->aEnt[i].zPut);
    free(st->aEnt[i].zPutBound);
  }
  free(s);
}

static int s_begin(struct central_store *s, struct sws_err *err)
{
  return db_begin(DB(s), err);
}

static int s_commit(struct central_store *s, struct sws_err *err)
{
  return db_commit(DB(s), err);
}

static void s_rollback(struct central_store *s)
{
  db_rollback(DB(s));
}

/* Step a prepared statement to completion (writes). */
static int run(struct central_store *s, sqlite3_stmt *q, struct sws_err *err)
{
  int rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_registry_get(struct central_store *s, char *zName, size_t nName,
                          unsigned char key[32], int64_t *epoch,
                          struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT name, cursor_key, epoch FROM registry "
                      "WHERE id = 1",
                      err);
  if (rc != 0)
    return rc;
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW && sqlite3_column_bytes(q, 1) == 32) {
    if (zName)
      sws_strlcpy(zName, db_col_str(q, 0), nName);
    memcpy(key, sqlite3_column_blob(q, 1), 32);
    *epoch = db_col_int64(q, 2);
    rc = SWS_OK;
  } else if (rc >= 0) {
    rc = sws_err_set(err, SWS_ESCHEMA, "the central registry has no "
                     "registry row; was it made with 'sws central init'?");
  }
  db_done(DB(s), q);
  return rc;
}

static void fill_office(sqlite3_stmt *q, struct central_office *o)
{
  memset(o, 0, sizeof *o);
  sws_strlcpy(o->zCode, db_col_str(q, 0), sizeof o->zCode);
  sws_strlcpy(o->zName, db_col_str(q, 1), sizeof o->zName);
  if (sqlite3_column_bytes(q, 2) == SWS_PK_BYTES)
    memcpy(o->pk, sqlite3_column_blob(q, 2), SWS_PK_BYTES);
  sws_strlcpy(o->zKeyId, db_col_str(q, 3), sizeof o->zKeyId);
  o->active = strcmp(db_col_str(q, 4), "active") == 0;
  o->ack = db_col_int64(q, 5);
  sws_strlcpy(o->zEnrolledAt, db_col_str(q, 6), sizeof o->zEnrolledAt);
  sws_strlcpy(o->zLastPushAt, db_col_str(q, 7), sizeof o->zLastPushAt);
  sws_strlcpy(o->zLastPullAt, db_col_str(q, 8), sizeof o->zLastPullAt);
  o->hasSkew = !db_col_is_null(q, 9);
  o->skew = db_col_int64(q, 9);
  sws_strlcpy(o->zOffice, db_col_str(q, 10), sizeof o->zOffice);
  o->divergedSeq = db_col_int64(q, 11);
  sws_strlcpy(o->zDivergedAt, db_col_str(q, 12), sizeof o->zDivergedAt);
}

#define OFFICE_COLS                                                          \
  "code, name, public_key, key_id, status, ack_seq, enrolled_at, "          \
  "coalesce(last_push_at, ''), coalesce(last_pull_at, ''), clock_skew_s, "  \
  "coalesce(office_code, code), coalesce(diverged_seq, 0), "                 \
  "coalesce(diverged_at, '')"

/* Walk the rows of a prepared office query through fn, then finish q. */
static int office_rows(struct central_store *s, sqlite3_stmt *q,
                       int (*fn)(const struct central_office *, void *),
                       void *arg, struct sws_err *err)
{
  int rc;
  while ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    struct central_office o;
    fill_office(q, &o);
    if (fn(&o, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

/* The same for records: (id, fields JSON, owner) rows. */
static int record_rows(struct central_store *s, sqlite3_stmt *q,
                       int (*fn)(const char *, const char *, const char *,
                                 void *),
                       void *arg, struct sws_err *err)
{
  int rc;
  while ((rc = db_step(DB(s), q, err)) == DB_ROW)
    if (fn(db_col_str(q, 0), db_col_str(q, 1), db_col_str(q, 2), arg)) {
      rc = DB_DONE;
      break;
    }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_office_get(struct central_store *s, const char *zCode,
                        struct central_office *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT " OFFICE_COLS " FROM office WHERE code = :c",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":c", zCode);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW) {
    fill_office(q, out);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "office '%s' is not enrolled at "
                     "this central registry", zCode);
  }
  db_done(DB(s), q);
  return rc;
}

static int s_office_put(struct central_store *s, const struct central_office *o,
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(
      DB(s), &q,
      "INSERT INTO office(code, name, public_key, key_id, status, ack_seq, "
      "enrolled_at, revoked_at, last_push_at, last_pull_at, clock_skew_s, "
      "office_code, diverged_seq, diverged_at) "
      "VALUES (:c, :n, :pk, :kid, :st, :ack, :en, CASE WHEN :st = 'revoked' "
      "THEN :now END, nullif(:lpush, ''), nullif(:lpull, ''), :skew, "
      "nullif(nullif(:oc, ''), :c), nullif(:dseq, 0), nullif(:dat, '')) "
      "ON CONFLICT(code) DO UPDATE SET name = excluded.name, public_key = "
      "excluded.public_key, key_id = excluded.key_id, status = "
      "excluded.status, ack_seq = excluded.ack_seq, revoked_at = CASE WHEN "
      "excluded.status = 'revoked' THEN coalesce(office.revoked_at, :now) "
      "END, last_push_at = excluded.last_push_at, last_pull_at = "
      "excluded.last_pull_at, clock_skew_s = excluded.clock_skew_s, "
      "office_code = excluded.office_code, diverged_seq = "
      "excluded.diverged_seq, diverged_at = excluded.diverged_at",
      err);
  if (rc != 0)
    return rc;
  char zNow[32];
  now(zNow);
  db_bind_text(q, ":c", o->zCode);
  db_bind_text(q, ":n", o->zName);
  db_bind_blob(q, ":pk", o->pk, SWS_PK_BYTES);
  db_bind_text(q, ":kid", o->zKeyId);
  db_bind_text(q, ":st", o->active ? "active" : "revoked");
  db_bind_int64(q, ":ack", o->ack);
  db_bind_text(q, ":en", o->zEnrolledAt[0] ? o->zEnrolledAt : zNow);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":lpush", o->zLastPushAt);
  db_bind_text(q, ":lpull", o->zLastPullAt);
  if (o->hasSkew)
    db_bind_int64(q, ":skew", o->skew);
  else
    db_bind_null(q, ":skew");
  db_bind_text(q, ":oc", o->zOffice);
  db_bind_int64(q, ":dseq", o->divergedSeq);
  db_bind_text(q, ":dat", o->zDivergedAt);
  return run(s, q, err);
}

static int s_office_list(struct central_store *s,
                         int (*fn)(const struct central_office *, void *),
                         void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT " OFFICE_COLS " FROM office ORDER BY code", err);
  if (rc != 0)
    return rc;
  return office_rows(s, q, fn, arg, err);
}

static int s_office_devices(struct central_store *s, const char *zOffice,
                            int (*fn)(const struct central_office *, void *),
                            void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT " OFFICE_COLS " FROM office WHERE "
                      "coalesce(office_code, code) = :o ORDER BY code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  return office_rows(s, q, fn, arg, err);
}

static int s_nonce_use(struct central_store *s, const char *zOffice,
                       const char *zNonce, int64_t ts, int64_t tsOldest,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q, "DELETE FROM nonce WHERE ts < :t", err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":t", tsOldest);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if ((rc = db_prepare(DB(s), &q,
                       "INSERT OR IGNORE INTO nonce(office, nonce, ts) "
                       "VALUES (:o, :n, :t)",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":n", zNonce);
  db_bind_int64(q, ":t", ts);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if (sqlite3_changes(DB(s)->h) == 0)
    return sws_err_set(err, SWS_ECONFLICT, "this request was already "
                       "received (a replayed nonce)");
  return SWS_OK;
}

static int s_mutation_get(struct central_store *s, const char *zOffice,
                          int64_t seq, char *zVerdict, size_t nVerdict,
                          char **pzDetail, char *zHash, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT verdict, detail, coalesce(hash, '') FROM "
                      "mutation WHERE office = :o AND seq = :s",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_int64(q, ":s", seq);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zVerdict, db_col_str(q, 0), nVerdict);
    if (pzDetail)
      *pzDetail = sws_strdup(db_col_str(q, 1));
    if (zHash)
      sws_strlcpy(zHash, db_col_str(q, 2), CENTRAL_HASH_MAX);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = SWS_ENOTFOUND;
  }
  db_done(DB(s), q);
  return rc;
}

static int s_mutation_put(struct central_store *s, const char *zOffice,
                          int64_t seq, const char *zEntity, const char *zId,
                          const char *zOp, const char *zVerdict,
                          const char *zDetail, const char *zHash,
                          struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT OR REPLACE INTO mutation(office, seq, entity, "
                      "entity_id, op, verdict, detail, at, hash) VALUES (:o, "
                      ":s, :e, :id, :op, :v, :d, :at, nullif(:h, ''))",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":o", zOffice);
  db_bind_int64(q, ":s", seq);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":op", zOp);
  db_bind_text(q, ":v", zVerdict);
  db_bind_text(q, ":d", zDetail ? zDetail : "");
  db_bind_text(q, ":at", zNow);
  db_bind_text(q, ":h", zHash ? zHash : "");
  return run(s, q, err);
}

static int s_record_get(struct central_store *s, const char *zEntity,
                        const char *zId, char **pzFields, char *zOffice,
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  const struct entity_sql *x = entity_sql(s, zEntity, err);
  if (x == NULL)
    return err->code;
  /* only the holder wanted (a reference's check): no JSON made */
  int rc = db_prepare(DB(s), &q, pzFields ? x->zGet : x->zOwner, err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW) {
    if (pzFields)
      *pzFields = sws_strdup(db_col_str(q, 0));
    if (zOffice)
      sws_strlcpy(zOffice, db_col_str(q, 1), CENTRAL_CODE_MAX);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = SWS_ENOTFOUND;
  }
  db_done(DB(s), q);
  return rc;
}

/* A decoded value bound as ->> would have read it from the text: a string
 * as text, a number as a number, true and false as 1 and 0, null or
 * absent as NULL. (The rules hold no object or array: FIELDS_JSON is a
 * string holding JSON.) */
static void bind_value(sqlite3_stmt *q, int k, const json_t *v)
{
  if (v == NULL) { /* a field the mutation leaves out */
    sqlite3_bind_null(q, k);
    return;
  }
  switch (json_typeof(v)) {
  case JSON_STRING:
    sqlite3_bind_text(q, k, json_string_value(v),
                      (int)json_string_length(v), SQLITE_STATIC);
    break;
  case JSON_INTEGER: sqlite3_bind_int64(q, k, json_integer_value(v)); break;
  case JSON_REAL: sqlite3_bind_double(q, k, json_real_value(v)); break;
  case JSON_TRUE: sqlite3_bind_int(q, k, 1); break;
  case JSON_FALSE: sqlite3_bind_int(q, k, 0); break;
  default: sqlite3_bind_null(q, k); break;
  }
}

static int s_record_put(struct central_store *s, const char *zEntity,
                        const char *zId, const char *zOffice,
                        const char *zFields, const json_t *fields,
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  const struct entity_sql *x = entity_sql(s, zEntity, err);
  if (x == NULL)
    return err->code;
  if (json_is_object(fields)) {
    /* decoded already: each column bound, no JSON read again */
    int rc = db_prepare(DB(s), &q, x->zPutBound, err);
    if (rc != 0)
      return rc;
    now(zNow);
    sqlite3_bind_text(q, 1, zId, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, zOffice, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, zNow, -1, SQLITE_STATIC);
    for (int i = 0; i < x->nRule; i++)
      bind_value(q, i + 4, json_object_get(fields, x->aRule[i].zName));
    return run(s, q, err);
  }
  int rc = db_prepare(DB(s), &q, x->zPut, err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":f", zFields);
  db_bind_text(q, ":now", zNow);
  return run(s, q, err);
}

static int s_record_each(struct central_store *s, const char *zEntity,
                         const char *zOwner,
                         int (*fn)(const char *, const char *, const char *,
                                   void *),
                         void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  const struct entity_sql *x = entity_sql(s, zEntity, err);
  if (x == NULL)
    return err->code;
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "SELECT id, %s, r_owner FROM %s WHERE :o IS NULL OR " /* lint: ok */
              "r_owner = :o ORDER BY r_created_at, id", x->zObj, zEntity);
  int rc = db_prepare(DB(s), &q, buf_str(&sql), err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOwner);
  return record_rows(s, q, fn, arg, err);
}

static int s_office_records(struct central_store *s, const char *zOffice,
                            const char *zEntity,
                            int (*fn)(const char *, const char *,
                                      const char *, void *),
                            void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  const struct entity_sql *x = entity_sql(s, zEntity, err);
  if (x == NULL)
    return err->code;
  struct buf sql = BUF_INIT;
  /* names from the rule tables, never from a request */
  buf_appendf(&sql, "SELECT id, %s, r_owner FROM %s WHERE (r_owner IN " /* lint: ok */
              "(SELECT code FROM office WHERE coalesce(office_code, code) = "
              ":o) OR id IN (SELECT id FROM holding WHERE office = :o AND "
              "entity = :e))%s",
              x->zObj, zEntity,
              strcmp(zEntity, "household") == 0
                  ? " AND id NOT IN (SELECT merged_id FROM alias WHERE "
                    "active = 1)"
                  : "");
  int rc = db_prepare(DB(s), &q, buf_str(&sql), err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":e", zEntity);
  return record_rows(s, q, fn, arg, err);
}

static int s_record_find(struct central_store *s, const char *zEntity,
                         const char *zField, const char *zValue,
                         int (*fn)(const char *, const char *, const char *,
                                   void *),
                         void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  const struct entity_sql *x = entity_sql(s, zEntity, err);
  if (x == NULL)
    return err->code;
  if (fields_rule(zEntity, zField) == NULL)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a field of %s", zField,
                       zEntity);
  /* the column name is one of the entity's own (checked just above) */
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "SELECT id, %s, r_owner FROM %s WHERE %s = :v " /* lint: ok */
              "ORDER BY id", x->zObj, zEntity, zField);
  int rc = db_prepare(DB(s), &q, buf_str(&sql), err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":v", zValue);
  return record_rows(s, q, fn, arg, err);
}

static int s_holding_get(struct central_store *s, const char *zOffice,
                         const char *zEntity, const char *zId, int *pHolds,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT 1 FROM holding WHERE office = :o AND entity = "
                      ":e AND id = :id",
                      err);
  *pHolds = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  rc = db_step(DB(s), q, err);
  *pHolds = rc == DB_ROW;
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_holding_add(struct central_store *s, const char *zOffice,
                         const char *zEntity, const char *zId,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT OR IGNORE INTO holding(office, entity, id, "
                      "since) VALUES (:o, :e, :id, :now)",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":now", zNow);
  return run(s, q, err);
}

static int s_holding_drop(struct central_store *s, const char *zEntity,
                          const char *zId, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(
      DB(s), &q, "DELETE FROM holding WHERE entity = :e AND id = :id", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  return run(s, q, err);
}

static int s_person_put(struct central_store *s,
                        const struct central_person *p, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "DELETE FROM person_key WHERE member_id = :m", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":m", p->zMemberId);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if ((rc = db_prepare(DB(s), &q,
                       "INSERT OR REPLACE INTO person(member_id, "
                       "household_id, office, name, sex, born, national_id, "
                       "area, indexed) VALUES (:m, :h, :o, :n, :s, :b, :nid, "
                       ":a, 0)",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":m", p->zMemberId);
  db_bind_text(q, ":h", p->zHouseholdId);
  db_bind_text(q, ":o", p->zOffice);
  db_bind_text(q, ":n", p->zName);
  db_bind_text(q, ":s", p->zSex);
  db_bind_text(q, ":b", p->zBorn);
  db_bind_text(q, ":nid",
               p->zNationalId && p->zNationalId[0] ? p->zNationalId : NULL);
  db_bind_text(q, ":a", p->zArea ? p->zArea : "");
  return run(s, q, err);
}

#define PERSON_COLS                                                          \
  "member_id, household_id, office, name, sex, born, national_id, area"

static void fill_person(sqlite3_stmt *q, struct central_person *p)
{
  p->zMemberId = db_col_str(q, 0);
  p->zHouseholdId = db_col_str(q, 1);
  p->zOffice = db_col_str(q, 2);
  p->zName = db_col_str(q, 3);
  p->zSex = db_col_str(q, 4);
  p->zBorn = db_col_str(q, 5);
  p->zNationalId = db_col_text(q, 6);
  p->zArea = db_col_str(q, 7);
}

/* Walk the rows of a prepared person query (PERSON_COLS) through fn. */
static int person_rows(struct central_store *s, sqlite3_stmt *q,
                       int (*fn)(const struct central_person *, void *),
                       void *arg, struct sws_err *err)
{
  int rc;
  while ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    struct central_person p;
    fill_person(q, &p);
    if (fn(&p, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_person_pending(struct central_store *s, int nMax, int bWait,
                            int (*fn)(const struct central_person *, void *),
                            void *arg, struct sws_err *err)
{
  (void)bWait; /* one writer: nobody else holds them */
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT p.member_id, p.household_id, p.office, p.name, "
                      "p.sex, p.born, p.national_id, coalesce(h.area_code, "
                      "'') FROM person p LEFT JOIN household h ON h.id = "
                      "p.household_id WHERE p.indexed = 0 LIMIT :n",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":n", nMax);
  return person_rows(s, q, fn, arg, err);
}

static int person_index_one(struct central_store *s, const char *zMemberId,
                            const char *zSex, const char *zBorn,
                            const char *zKeys, const char *zArea,
                            struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "INSERT OR IGNORE INTO person_key(key, sex, "
                      "birth_year, member_id) SELECT value, :s, "
                      "CAST(substr(:b, 1, 4) AS INTEGER), :m FROM "
                      "json_each(:k)",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":s", zSex);
  db_bind_text(q, ":b", zBorn);
  db_bind_text(q, ":m", zMemberId);
  db_bind_text(q, ":k", zKeys);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if ((rc = db_prepare(DB(s), &q,
                       "UPDATE person SET indexed = 1, area = :a WHERE "
                       "member_id = :m",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":m", zMemberId);
  db_bind_text(q, ":a", zArea ? zArea : "");
  return run(s, q, err);
}

static int s_person_index_many(struct central_store *s,
                               const char *zRows, struct sws_err *err)
{
  json_t *a = json_loads(zRows, 0, NULL), *x;
  size_t i;
  int rc = SWS_OK;
  json_array_foreach(a, i, x)
  {
    char *zKeys = json_dumps(json_object_get(x, "keys"), JSON_COMPACT);
    rc = person_index_one(s, json_string_value(json_object_get(x, "member")),
                        json_string_value(json_object_get(x, "sex")),
                        json_string_value(json_object_get(x, "born")), zKeys,
                        json_string_value(json_object_get(x, "area")), err);
    free(zKeys);
    if (rc != 0)
      break;
  }
  json_decref(a);
  return rc;
}

static int person_candidates_one(struct central_store *s, const char *zKey,
                                 const char *zSex, int y0, int y1,
                                 const char *zNid,
                                 int (*fn)(const struct central_person *,
                                           void *),
                                 void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if (zNid)
    rc = db_prepare(DB(s), &q,
                    "SELECT member_id, household_id, office, name, sex, "
                    "born, national_id, area FROM person p WHERE "
                    "national_id = :nid AND NOT EXISTS (SELECT 1 FROM alias "
                    "a WHERE a.merged_id = p.household_id AND a.active = 1)",
                    err);
  else
    rc = db_prepare(DB(s), &q,
                    "SELECT p.member_id, p.household_id, p.office, p.name, "
                    "p.sex, p.born, p.national_id, p.area FROM person_key k "
                    "JOIN person p ON p.member_id = k.member_id WHERE k.key "
                    "= :k AND k.sex = :s AND k.birth_year BETWEEN :y0 AND "
                    ":y1 AND NOT EXISTS (SELECT 1 FROM alias a WHERE "
                    "a.merged_id = p.household_id AND a.active = 1)",
                    err);
  if (rc != 0)
    return rc;
  if (zNid) {
    db_bind_text(q, ":nid", zNid);
  } else {
    db_bind_text(q, ":k", zKey);
    db_bind_text(q, ":s", zSex);
    db_bind_int64(q, ":y0", y0);
    db_bind_int64(q, ":y1", y1);
  }
  return person_rows(s, q, fn, arg, err);
}

struct many_arg {
  int i;
  int (*fn)(int, const struct central_person *, void *);
  void *arg;
};

static int many_one(const struct central_person *p, void *arg)
{
  struct many_arg *m = arg;
  return m->fn(m->i, p, m->arg);
}

static int s_person_candidates_many(struct central_store *s,
                                    const char *zQueries,
                                    int (*fn)(int,
                                              const struct central_person *,
                                              void *),
                                    void *arg, struct sws_err *err)
{
  /* in process: each lookup is a statement, and costs no round trip */
  json_t *a = json_loads(zQueries, 0, NULL), *x;
  size_t i;
  int rc = SWS_OK;
  json_array_foreach(a, i, x)
  {
    struct many_arg m = {(int)i, fn, arg};
    const char *zNid = json_string_value(json_object_get(x, "nid"));
    rc = person_candidates_one(
        s, json_string_value(json_object_get(x, "key")),
        json_string_value(json_object_get(x, "sex")),
        (int)json_integer_value(json_object_get(x, "y0")),
        (int)json_integer_value(json_object_get(x, "y1")), zNid, many_one,
        &m, err);
    if (rc != 0)
      break;
  }
  json_decref(a);
  return rc;
}

static int s_person_lock(struct central_store *s, const char *zKeysJson,
                         struct sws_err *err)
{
  (void)s;
  (void)zKeysJson;
  (void)err;
  return SWS_OK; /* BEGIN IMMEDIATE: one writer at a time already */
}


static int s_duplicate_put(struct central_store *s, const char *zA,
                           const char *zB, double score, const char *zReasons,
                           int *pNew, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  /* the pair in a fixed order so A-B and B-A are one */
  const char *a = strcmp(zA, zB) < 0 ? zA : zB, *b = a == zA ? zB : zA;
  int rc = db_prepare(DB(s), &q,
                      "INSERT OR IGNORE INTO duplicate(household_a, "
                      "household_b, score, reasons, found_at) VALUES (:a, "
                      ":b, :sc, :r, :now)",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":a", a);
  db_bind_text(q, ":b", b);
  db_bind_double(q, ":sc", score);
  db_bind_text(q, ":r", zReasons);
  db_bind_text(q, ":now", zNow);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if (pNew)
    *pNew = sqlite3_changes(DB(s)->h) > 0;
  return SWS_OK;
}

static int s_duplicate_set(struct central_store *s, const char *zA,
                           const char *zB, const char *zStatus, const char *zBy,
                           const char *zNote, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  const char *a = strcmp(zA, zB) < 0 ? zA : zB, *b = a == zA ? zB : zA;
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO duplicate(household_a, household_b, "
                      "score, reasons, status, found_at, decided_at, "
                      "decided_by, note) VALUES (:a, :b, 1, 'decided by "
                      "hand', :st, :now, :now, :by, :note) ON "
                      "CONFLICT(household_a, household_b) DO UPDATE SET "
                      "status = :st, decided_at = :now, decided_by = :by, "
                      "note = :note",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":a", a);
  db_bind_text(q, ":b", b);
  db_bind_text(q, ":st", zStatus);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":by", zBy);
  db_bind_text(q, ":note", zNote);
  return run(s, q, err);
}

static int s_duplicate_list(struct central_store *s, int bAll,
                            int (*fn)(int64_t, const char *, const char *,
                                      double, const char *, const char *,
                                      void *),
                            void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT id, household_a, household_b, score, reasons, "
                      "status FROM duplicate WHERE :all OR status = 'open' "
                      "ORDER BY score DESC, id",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":all", bAll);
  while ((rc = db_step(DB(s), q, err)) == DB_ROW)
    if (fn(db_col_int64(q, 0), db_col_str(q, 1), db_col_str(q, 2),
           db_col_double(q, 3), db_col_str(q, 4), db_col_str(q, 5), arg)) {
      rc = DB_DONE;
      break;
    }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_alias_get(struct central_store *s, const char *zMerged,
                       char *zSurvivor, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT survivor_id FROM alias WHERE merged_id = :m "
                      "AND active = 1",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":m", zMerged);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zSurvivor, db_col_str(q, 0), CENTRAL_ID_MAX);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = SWS_ENOTFOUND;
  }
  db_done(DB(s), q);
  return rc;
}

static int s_alias_set(struct central_store *s, const char *zMerged,
                       const char *zSurvivor, int active, const char *zBy,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO alias(merged_id, survivor_id, merged_at, "
                      "merged_by, active) VALUES (:m, :s, :now, :by, :a) "
                      "ON CONFLICT(merged_id) DO UPDATE SET survivor_id = "
                      ":s, merged_at = :now, merged_by = :by, active = :a",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":m", zMerged);
  db_bind_text(q, ":s", zSurvivor);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":by", zBy);
  db_bind_int64(q, ":a", active);
  return run(s, q, err);
}

static int s_alias_holders(struct central_store *s, const char *zSurvivor,
                           int (*fn)(const char *, const char *,
                                     const char *, void *),
                           void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  const struct entity_sql *x = entity_sql(s, "household", err);
  if (x == NULL)
    return err->code;
  /* CROSS JOIN keeps alias outside: without statistics the planner would
   * rather walk every household and probe alias for each, on every change
   * pushed (most households have no alias at all) */
  struct buf sql = BUF_INIT;
  buf_appendf(&sql, "SELECT r.id, %s, r.r_owner FROM " /* lint: ok */
              "alias a CROSS JOIN "
              "household r ON r.id = a.merged_id WHERE a.survivor_id = :s "
              "AND a.active = 1", x->zObj);
  int rc = db_prepare(DB(s), &q, buf_str(&sql), err);
  buf_release(&sql);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":s", zSurvivor);
  return record_rows(s, q, fn, arg, err);
}

static int s_conflict_put(struct central_store *s, const char *zOffice,
                          int64_t seq, const char *zEntity, const char *zId,
                          const char *zField, const char *zOfficeValue,
                          const char *zServerValue, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO conflict(office, seq, entity, entity_id, "
                      "field, office_value, server_value, at) VALUES (:o, "
                      ":s, :e, :id, :f, :ov, :sv, :now)",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":o", zOffice);
  db_bind_int64(q, ":s", seq);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":f", zField);
  db_bind_text(q, ":ov", zOfficeValue);
  db_bind_text(q, ":sv", zServerValue);
  db_bind_text(q, ":now", zNow);
  return run(s, q, err);
}

static void fill_conflict(sqlite3_stmt *q, struct central_conflict *k)
{
  memset(k, 0, sizeof *k);
  k->id = db_col_int64(q, 0);
  sws_strlcpy(k->zOffice, db_col_str(q, 1), sizeof k->zOffice);
  k->seq = db_col_int64(q, 2);
  sws_strlcpy(k->zEntity, db_col_str(q, 3), sizeof k->zEntity);
  sws_strlcpy(k->zEntityId, db_col_str(q, 4), sizeof k->zEntityId);
  sws_strlcpy(k->zField, db_col_str(q, 5), sizeof k->zField);
  k->zOfficeValue = db_col_text(q, 6);
  k->zServerValue = db_col_text(q, 7);
  sws_strlcpy(k->zAt, db_col_str(q, 8), sizeof k->zAt);
  sws_strlcpy(k->zStatus, db_col_str(q, 9), sizeof k->zStatus);
  sws_strlcpy(k->zResolution, db_col_str(q, 10), sizeof k->zResolution);
  sws_strlcpy(k->zResolvedAt, db_col_str(q, 11), sizeof k->zResolvedAt);
  sws_strlcpy(k->zResolvedBy, db_col_str(q, 12), sizeof k->zResolvedBy);
  k->zNote = db_col_text(q, 13);
}

#define CONFLICT_COLS                                                        \
  "id, office, seq, entity, entity_id, field, office_value, server_value, " \
  "at, status, resolution, resolved_at, resolved_by, note"

static char *dup_or_null(const char *z)
{
  return z ? sws_strdup(z) : NULL;
}

static int s_conflict_get(struct central_store *s, int64_t id,
                          struct central_conflict *out, char **pzOffice,
                          char **pzServer, char **pzNote,
                          struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT " CONFLICT_COLS " FROM conflict WHERE id = :id",
                      err);
  *pzOffice = *pzServer = *pzNote = NULL;
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":id", id);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW) {
    fill_conflict(q, out);
    *pzOffice = dup_or_null(out->zOfficeValue);
    *pzServer = dup_or_null(out->zServerValue);
    *pzNote = dup_or_null(out->zNote);
    out->zOfficeValue = out->zServerValue = out->zNote = NULL;
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = SWS_ENOTFOUND;
  }
  db_done(DB(s), q);
  return rc;
}

static int s_conflict_resolve(struct central_store *s, int64_t id,
                              const char *zResolution, const char *zBy,
                              const char *zNote, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "UPDATE conflict SET status = 'resolved', resolution = "
                      ":r, resolved_at = :now, resolved_by = :by, note = :n "
                      "WHERE id = :id AND status = 'open'",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":r", zResolution);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":by", zBy);
  db_bind_text(q, ":n", zNote);
  db_bind_int64(q, ":id", id);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  if (sqlite3_changes(DB(s)->h) == 0)
    return sws_err_set(err, SWS_ECONFLICT, "conflict #%lld is not open",
                       (long long)id);
  return SWS_OK;
}

static int s_conflict_list(struct central_store *s, int bAll,
                           int (*fn)(const struct central_conflict *, void *),
                           void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT " CONFLICT_COLS " FROM conflict WHERE :all OR "
                      "status = 'open' ORDER BY id",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":all", bAll);
  while ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    struct central_conflict k;
    fill_conflict(q, &k);
    if (fn(&k, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_feed_append(struct central_store *s, const char *zOffice,
                         const char *zKind, const char *zPayload,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO feed(office, kind, payload, at) VALUES "
                      "(:o, :k, :p, :now)",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":k", zKind);
  db_bind_text(q, ":p", zPayload);
  db_bind_text(q, ":now", zNow);
  return run(s, q, err);
}

static int s_feed_read(struct central_store *s, const char *zOffice,
                       int64_t afterXid, int64_t after, size_t nMaxBytes,
                       int (*fn)(int64_t, int64_t, const char *,
                                 const char *, void *),
                       void *arg, int *pMore, struct sws_err *err)
{
  /* one writer: seq is commit order, positions have no transaction */
  (void)afterXid;
  sqlite3_stmt *q;
  size_t used = 0;
  int rc = db_prepare(DB(s), &q,
                      "SELECT seq, kind, payload FROM feed WHERE office = :o "
                      "AND seq > :a ORDER BY seq",
                      err);
  *pMore = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_int64(q, ":a", after);
  int n = 0;
  while ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    size_t len = (size_t)sqlite3_column_bytes(q, 2);
    if (n > 0 && used + len > nMaxBytes) {
      *pMore = 1; /* at least one item per page, whatever its size */
      rc = DB_DONE;
      break;
    }
    used += len;
    n++;
    if (fn(0, db_col_int64(q, 0), db_col_str(q, 1), db_col_str(q, 2),
           arg)) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_feed_last(struct central_store *s, const char *zOffice,
                       int64_t *pXid, int64_t *pSeq, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "SELECT coalesce(max(seq), 0) FROM feed WHERE office "
                      "= :o",
                      err);
  *pXid = *pSeq = 0;
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  rc = db_step(DB(s), q, err);
  if (rc == DB_ROW)
    *pSeq = db_col_int64(q, 0);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_log(struct central_store *s, const char *zActor,
                 const char *zAction, const char *zDetail,
                 struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO central_log(at, actor, action, detail) "
                      "VALUES (:now, :a, :act, :d)",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":a", zActor);
  db_bind_text(q, ":act", zAction);
  db_bind_text(q, ":d", zDetail);
  return run(s, q, err);
}

static int s_stats(struct central_store *s, struct central_stats *out,
                   struct sws_err *err)
{
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = db_int64(DB(s), &out->nOffices, 0,
                     "SELECT count(*) FROM office WHERE status = 'active'",
                     err)) ||
      (rc = db_int64(DB(s), &out->nHouseholds, 0,
                     "SELECT count(*) FROM household WHERE id NOT IN "
                     "(SELECT merged_id FROM alias WHERE active = 1)",
                     err)) ||
      (rc = db_int64(DB(s), &out->nMembers, 0,
                     "SELECT count(*) FROM person p WHERE NOT EXISTS "
                     "(SELECT 1 FROM alias a WHERE a.merged_id = "
                     "p.household_id AND a.active = 1)",
                     err)) ||
      (rc = db_int64(DB(s), &out->nDuplicatesOpen, 0,
                     "SELECT count(*) FROM duplicate WHERE status = 'open'",
                     err)) ||
      (rc = db_int64(DB(s), &out->nConflictsOpen, 0,
                     "SELECT count(*) FROM conflict WHERE status = 'open'",
                     err)) ||
      (rc = db_int64(DB(s), &out->nFeedItems, 0, "SELECT count(*) FROM feed",
                     err)))
    return rc;
  return SWS_OK;
}

static int s_read_rows(struct central_store *s, const char *zSql, int n,
                       const char *const *aParam,
                       int (*fn)(void *arg, int nCol,
                                 const char *const *azCol),
                       void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  const char *az[32];
  int rc = db_prepare(DB(s), &q, zSql, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < n && i < 99; i++) {
    char zName[16];
    snprintf(zName, sizeof zName, "$%d", i + 1);
    int k = sqlite3_bind_parameter_index(q, zName);
    if (k > 0)
      sqlite3_bind_text(q, k, aParam[i], -1, SQLITE_TRANSIENT);
  }
  int nCol = sqlite3_column_count(q);
  if (nCol > 32)
    nCol = 32;
  while ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    for (int i = 0; i < nCol; i++)
      az[i] = db_col_text(q, i);
    if (fn(arg, nCol, az) != 0)
      break;
  }
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_area_put(struct central_store *s, const struct area *a,
                      struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO area(code, level, name, name_latin, "
                      "parent_code) VALUES (:code, :level, :name, :latin, "
                      ":parent) ON CONFLICT(code) DO UPDATE SET name = "
                      "excluded.name, name_latin = excluded.name_latin, "
                      "parent_code = excluded.parent_code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":code", a->zCode);
  db_bind_text(q, ":level", cases_area_level_name(a->level));
  db_bind_text(q, ":name", a->zName);
  db_bind_text(q, ":latin", a->zLatin);
  db_bind_text(q, ":parent", a->zParent[0] ? a->zParent : NULL);
  rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_account_add(struct central_store *s, const char *zLogin,
                         const char *zRole, const char *zArea,
                         const char *zPwHash, const char *zBy, int *pAdded,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO ui_account(login, role, area_code, "
                      "password_hash, created_at, created_by) VALUES (:l, "
                      ":r, :a, :h, :now, :by) ON CONFLICT(login) DO NOTHING",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":l", zLogin);
  db_bind_text(q, ":r", zRole);
  db_bind_text(q, ":a", zArea);
  db_bind_text(q, ":h", zPwHash);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":by", zBy);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  *pAdded = sqlite3_changes(DB(s)->h) > 0;
  return SWS_OK;
}

static int s_account_disable(struct central_store *s, const char *zLogin,
                             int *pDone, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "UPDATE ui_account SET active = 0, disabled_at = :now "
                      "WHERE login = :l AND active = 1",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":now", zNow);
  db_bind_text(q, ":l", zLogin);
  if ((rc = run(s, q, err)) != 0)
    return rc;
  *pDone = sqlite3_changes(DB(s)->h) > 0;
  return SWS_OK;
}

static int s_office_area_set(struct central_store *s, const char *zOffice,
                             const char *zArea, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "UPDATE office SET area_code = :a WHERE code = :c", err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":a", zArea);
  db_bind_text(q, ":c", zOffice);
  rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  if (rc < 0)
    return rc;
  if (sqlite3_changes(DB(s)->h) == 0)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "office '%s' is not enrolled at "
                       "this central registry",
                       zOffice);
  return SWS_OK;
}

static int s_summary_put(struct central_store *s, const char *zOffice,
                         const char *zPeriod, const char *zBody,
                         size_t nBody, const char *zReceivedAt,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO summary(office, period, body, "
                      "received_at) VALUES (:o, :p, :b, :at) ON "
                      "CONFLICT(office, period) DO UPDATE SET body = "
                      "excluded.body, received_at = excluded.received_at",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":p", zPeriod);
  sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":b"), zBody,
                    (int)nBody, SQLITE_TRANSIENT);
  db_bind_text(q, ":at", zReceivedAt);
  rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_report_put(struct central_store *s, const char *zKey,
                        const char *zPeriod, const char *zLayer,
                        const char *zBuiltAt, const char *zBody,
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO report_kept(key, period, layer, "
                      "built_at, body) VALUES (:k, :p, :l, :at, :b) ON "
                      "CONFLICT(key) DO UPDATE SET built_at = "
                      "excluded.built_at, body = excluded.body",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":k", zKey);
  db_bind_text(q, ":p", zPeriod);
  db_bind_text(q, ":l", zLayer);
  db_bind_text(q, ":at", zBuiltAt);
  db_bind_text(q, ":b", zBody);
  rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_audit_head_get(struct central_store *s, const char *zDevice,
                            struct central_audit_head *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  memset(out, 0, sizeof *out);
  int rc = db_prepare(DB(s), &q,
                      "SELECT device, head_id, head_hash, head_n, sig, "
                      "received_at, coalesce(diverged_at, ''), "
                      "coalesce(diverged_why, '') FROM audit_head "
                      "WHERE device = :d",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":d", zDevice);
  if ((rc = db_step(DB(s), q, err)) == DB_ROW) {
    sws_strlcpy(out->zDevice, db_col_str(q, 0), sizeof out->zDevice);
    out->id = db_col_int64(q, 1);
    sws_strlcpy(out->zHash, db_col_str(q, 2), sizeof out->zHash);
    out->n = db_col_int64(q, 3);
    sws_strlcpy(out->zSig, db_col_str(q, 4), sizeof out->zSig);
    sws_strlcpy(out->zReceivedAt, db_col_str(q, 5), sizeof out->zReceivedAt);
    sws_strlcpy(out->zDivergedAt, db_col_str(q, 6), sizeof out->zDivergedAt);
    sws_strlcpy(out->zDivergedWhy, db_col_str(q, 7), sizeof out->zDivergedWhy);
  }
  db_done(DB(s), q);
  if (rc < 0)
    return rc;
  return rc == DB_ROW ? SWS_OK : SWS_ENOTFOUND;
}

static int s_audit_head_put(struct central_store *s,
                            const struct central_audit_head *h,
                            struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(DB(s), &q,
                      "INSERT OR REPLACE INTO audit_head(device, head_id, "
                      "head_hash, head_n, sig, received_at, diverged_at, "
                      "diverged_why) VALUES (:d, :id, :h, :n, :s, :at, "
                      "nullif(:dat, ''), nullif(:why, ''))",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":d", h->zDevice);
  db_bind_int64(q, ":id", h->id);
  db_bind_text(q, ":h", h->zHash);
  db_bind_int64(q, ":n", h->n);
  db_bind_text(q, ":s", h->zSig);
  db_bind_text(q, ":at", h->zReceivedAt);
  db_bind_text(q, ":dat", h->zDivergedAt);
  db_bind_text(q, ":why", h->zDivergedWhy);
  rc = db_step(DB(s), q, err);
  db_done(DB(s), q);
  return rc < 0 ? rc : SWS_OK;
}

static int s_merge_request_put(struct central_store *s, const char *zOffice,
                               const char *zRequest, const char *zSurvivor,
                               const char *zMerged, int status,
                               const char *zAnswer, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zNow[32];
  int rc = db_prepare(DB(s), &q,
                      "INSERT INTO merge_request(office, request_id, "
                      "survivor, merged, status, answer, at) VALUES (:o, "
                      ":r, :s, :m, :st, :a, :at) ON CONFLICT DO NOTHING",
                      err);
  if (rc != 0)
    return rc;
  now(zNow);
  db_bind_text(q, ":o", zOffice);
  db_bind_text(q, ":r", zRequest);
  db_bind_text(q, ":s", zSurvivor);
  db_bind_text(q, ":m", zMerged);
  db_bind_int64(q, ":st", status);
  db_bind_text(q, ":a", zAnswer);
  db_bind_text(q, ":at", zNow);
  return run(s, q, err);
}

static const struct central_store_ops OPS = {
    .audit_head_get = s_audit_head_get,
    .audit_head_put = s_audit_head_put,
    .merge_request_put = s_merge_request_put,
    .summary_put = s_summary_put,
    .holding_drop = s_holding_drop,
    .report_put = s_report_put,
    .read_rows = s_read_rows,
    .area_put = s_area_put,
    .account_add = s_account_add,
    .account_disable = s_account_disable,
    .office_area_set = s_office_area_set,
    .close = s_close,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .registry_get = s_registry_get,
    .office_get = s_office_get,
    .office_lock = s_office_get, /* BEGIN IMMEDIATE: one writer already */
    .office_put = s_office_put,
    .office_list = s_office_list,
    .office_devices = s_office_devices,
    .nonce_use = s_nonce_use,
    .mutation_get = s_mutation_get,
    .mutation_put = s_mutation_put,
    .record_get = s_record_get,
    .record_lock = s_record_get, /* BEGIN IMMEDIATE: one writer already */
    .record_put = s_record_put,
    .record_each = s_record_each,
    .record_find = s_record_find,
    .office_records = s_office_records,
    .holding_get = s_holding_get,
    .holding_add = s_holding_add,
    .person_put = s_person_put,
    .person_pending = s_person_pending,
    .person_index_many = s_person_index_many,
    .person_candidates_many = s_person_candidates_many,
    .person_lock = s_person_lock,
    .duplicate_put = s_duplicate_put,
    .duplicate_set = s_duplicate_set,
    .duplicate_list = s_duplicate_list,
    .alias_get = s_alias_get,
    .alias_set = s_alias_set,
    .alias_holders = s_alias_holders,
    .conflict_put = s_conflict_put,
    .conflict_get = s_conflict_get,
    .conflict_resolve = s_conflict_resolve,
    .conflict_list = s_conflict_list,
    .feed_append = s_feed_append,
    .feed_read = s_feed_read,
    .feed_last = s_feed_last,
    .log = s_log,
    .stats = s_stats,
};

int store_sqlite_open(struct central_store **out, const char *zPath,
                      int bCreate, const char *zName, struct sws_err *err)
{
  struct sqlite_store *s = sws_calloc(1, sizeof *s);
  struct stat st;
  int rc, bNew = 0;
  *out = NULL;
  s->base.ops = &OPS;
  if (bCreate && stat(zPath, &st) == 0) {
    free(s);
    return sws_err_set(err, SWS_ECONFLICT, "'%s' already exists; choose "
                       "another --db for a new central registry", zPath);
  }
  if ((rc = db_open(&s->db, zPath, bCreate ? DB_CREATE : 0, err)) != 0)
    goto fail;
  if ((rc = schema_migrate(s->db, &schema_central, bCreate, err)) != 0)
    goto fail;
  entity_sql_init(s);
  int64_t n;
  if ((rc = db_int64(s->db, &n, 0, "SELECT count(*) FROM registry", err)))
    goto fail;
  bNew = n == 0;
  if (bNew) {
    unsigned char key[32];
    char zNow[32];
    sqlite3_stmt *q;
    if (!bCreate) {
      rc = sws_err_set(err, SWS_ESCHEMA, "'%s' is not initialised; run 'sws "
                       "central init --db %s'", zPath, zPath);
      goto fail;
    }
    sws_random(key, sizeof key);
    now(zNow);
    if ((rc = db_prepare(s->db, &q,
                         "INSERT INTO registry(id, name, cursor_key, epoch, "
                         "created_at) VALUES (1, :n, :k, 1, :now)",
                         err)) != 0)
      goto fail;
    db_bind_text(q, ":n", zName ? zName : "central registry");
    db_bind_blob(q, ":k", key, sizeof key);
    db_bind_text(q, ":now", zNow);
    rc = db_step(s->db, q, err);
    db_done(s->db, q);
    if (rc < 0)
      goto fail;
  }
  *out = &s->base;
  return SWS_OK;
fail:
  s_close(&s->base);
  return rc;
}
