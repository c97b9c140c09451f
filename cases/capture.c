/*
 * capture.c - generic field-level change capture (see capture.h).
 */
#include "cases/capture.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"

#define MAX_TABLES 32
#define MAX_COLS 48
#define MAX_SNAPSHOTS 16

struct table_info {
  char zName[48];
  int nCol;
  char azCol[MAX_COLS][48];
  sqlite3_stmt *q; /* SELECT captured columns WHERE rid = ? */
};

struct snapshot {
  int iTable;
  int64_t rid;
  json_t *row;
};

struct capture {
  struct table_info aTable[MAX_TABLES];
  int nTable;
  struct snapshot aSnap[MAX_SNAPSHOTS];
  int nSnap;
  /* The last answer of sws_row_changes: SQLite may evaluate the function
   * once per use of its result in the trigger (subquery flattening), and
   * the first call consumes the snapshot, so repeats are answered from
   * here. */
  int memoTable;
  int64_t memoRid;
  char *zMemo; /* NULL: nothing changed */
  int bMemo;
};

static void memo_clear(struct capture *c)
{
  free(c->zMemo);
  c->zMemo = NULL;
  c->bMemo = 0;
}

static void memo_result(sqlite3_context *cx, struct capture *c)
{
  if (c->zMemo)
    sqlite3_result_text(cx, c->zMemo, -1, SQLITE_TRANSIENT);
}

static int skip_column(const char *z)
{
  return strcmp(z, "rid") == 0 || strcmp(z, "id") == 0 ||
         strcmp(z, "updated_at") == 0;
}

/* The table's captured columns and its row query; -1 if not usable. */
static int table_index(struct sws_ctx *ctx, const char *zTable)
{
  struct capture *c = ctx->capture;
  for (int i = 0; i < c->nTable; i++)
    if (strcmp(c->aTable[i].zName, zTable) == 0)
      return i;
  if (c->nTable == MAX_TABLES || strlen(zTable) >= 48)
    return -1;
  for (const char *p = zTable; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
      return -1; /* identifiers only: it is formatted into SQL below */
  struct table_info *t = &c->aTable[c->nTable];
  memset(t, 0, sizeof *t);
  sws_strlcpy(t->zName, zTable, sizeof t->zName);
  sqlite3_stmt *q;
  /* table_xinfo: hidden 0 = ordinary, 2/3 = generated (not captured) */
  if (db_prepare(ctx->db, &q,
                 "SELECT name FROM pragma_table_xinfo(:t) WHERE hidden = 0 "
                 "ORDER BY cid",
                 NULL) != 0)
    return -1;
  db_bind_text(q, ":t", zTable);
  while (db_step(ctx->db, q, NULL) == DB_ROW && t->nCol < MAX_COLS) {
    const char *zCol = db_col_str(q, 0);
    if (!skip_column(zCol) && strlen(zCol) < 48)
      sws_strlcpy(t->azCol[t->nCol++], zCol, 48);
  }
  db_done(ctx->db, q);
  if (t->nCol == 0)
    return -1;
  struct buf sql = BUF_INIT;
  buf_puts(&sql, "SELECT ");
  for (int i = 0; i < t->nCol; i++)
    buf_appendf(&sql, "%s\"%s\"", i ? ", " : "", t->azCol[i]);
  /* identifiers checked above and read from the schema, not values */
  buf_appendf(&sql, " FROM \"%s\" WHERE rid = ?1", zTable); /* lint: ok */
  int rc = db_prepare(ctx->db, &t->q, buf_str(&sql), NULL);
  buf_release(&sql);
  if (rc != 0)
    return -1;
  return c->nTable++;
}

/* The captured columns of one row as a JSON object (NULL if not found). */
static json_t *read_row(struct sws_ctx *ctx, int iTable, int64_t rid)
{
  struct table_info *t = &ctx->capture->aTable[iTable];
  json_t *o = NULL;
  sqlite3_reset(t->q);
  sqlite3_bind_int64(t->q, 1, rid);
  if (sqlite3_step(t->q) == SQLITE_ROW) {
    o = json_object();
    for (int i = 0; i < t->nCol; i++) {
      json_t *v;
      switch (sqlite3_column_type(t->q, i)) {
      case SQLITE_INTEGER:
        v = json_integer(sqlite3_column_int64(t->q, i));
        break;
      case SQLITE_FLOAT:
        v = json_real(sqlite3_column_double(t->q, i));
        break;
      case SQLITE_NULL:
        v = json_null();
        break;
      default:
        v = json_stringn((const char *)sqlite3_column_text(t->q, i),
                         (size_t)sqlite3_column_bytes(t->q, i));
        if (v == NULL) /* not UTF-8 (a blob): hex would be a surprise */
          v = json_null();
      }
      json_object_set_new(o, t->azCol[i], v);
    }
  }
  sqlite3_reset(t->q);
  return o;
}

static void sql_snapshot(sqlite3_context *cx, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(cx);
  struct capture *c = ctx->capture;
  (void)n;
  if (ctx->bNoCapture)
    return;
  const char *zTable = (const char *)sqlite3_value_text(v[0]);
  int64_t rid = sqlite3_value_int64(v[1]);
  int i = zTable ? table_index(ctx, zTable) : -1;
  if (i < 0) {
    sqlite3_result_error(cx, "sws_row_snapshot: unknown table", -1);
    return;
  }
  memo_clear(c);
  /* replace an older snapshot of the same row, else push */
  int k;
  for (k = 0; k < c->nSnap; k++)
    if (c->aSnap[k].iTable == i && c->aSnap[k].rid == rid)
      break;
  if (k == c->nSnap) {
    if (c->nSnap == MAX_SNAPSHOTS) {
      sqlite3_result_error(cx, "sws_row_snapshot: too many nested updates",
                           -1);
      return;
    }
    c->nSnap++;
  } else {
    json_decref(c->aSnap[k].row);
  }
  c->aSnap[k].iTable = i;
  c->aSnap[k].rid = rid;
  c->aSnap[k].row = read_row(ctx, i, rid);
}

static void sql_changes(sqlite3_context *cx, int n, sqlite3_value **v)
{
  struct sws_ctx *ctx = sqlite3_user_data(cx);
  struct capture *c = ctx->capture;
  json_t *before = NULL, *after, *fields, *prev = NULL, *out;
  (void)n;
  if (ctx->bNoCapture)
    return; /* NULL: no outbox row */
  const char *zTable = (const char *)sqlite3_value_text(v[0]);
  int64_t rid = sqlite3_value_int64(v[1]);
  int i = zTable ? table_index(ctx, zTable) : -1;
  if (i < 0) {
    sqlite3_result_error(cx, "sws_row_changes: unknown table", -1);
    return;
  }
  if (c->bMemo && c->memoTable == i && c->memoRid == rid) {
    memo_result(cx, c);
    return;
  }
  memo_clear(c);
  c->bMemo = 1;
  c->memoTable = i;
  c->memoRid = rid;
  for (int k = 0; k < c->nSnap; k++) {
    if (c->aSnap[k].iTable == i && c->aSnap[k].rid == rid) {
      before = c->aSnap[k].row;
      c->aSnap[k] = c->aSnap[--c->nSnap];
      break;
    }
  }
  after = read_row(ctx, i, rid);
  if (after == NULL) {
    json_decref(before);
    sqlite3_result_error(cx, "sws_row_changes: row vanished", -1);
    return;
  }
  if (before == NULL) {
    fields = after;
    after = NULL;
  } else {
    const char *key;
    json_t *val;
    fields = json_object();
    prev = json_object();
    json_object_foreach(after, key, val)
    {
      json_t *old = json_object_get(before, key);
      if (old == NULL || !json_equal(old, val)) {
        json_object_set(fields, key, val);
        json_object_set(prev, key, old ? old : json_null());
      }
    }
    if (json_object_size(fields) == 0) {
      json_decref(fields);
      json_decref(prev);
      json_decref(after);
      json_decref(before);
      return; /* nothing changed: no outbox row */
    }
  }
  out = json_pack("{s:o, s:o}", "fields", fields, "prev",
                  prev ? prev : json_null());
  c->zMemo = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  memo_result(cx, c);
  json_decref(out);
  json_decref(after);
  json_decref(before);
}

int capture_table_columns(struct sws_ctx *ctx, const char *zTable,
                          const char (**paz)[48], int *pn)
{
  int i = table_index(ctx, zTable);
  if (i < 0)
    return SWS_ENOTFOUND;
  *paz = (const char(*)[48])ctx->capture->aTable[i].azCol;
  *pn = ctx->capture->aTable[i].nCol;
  return SWS_OK;
}

int capture_register(struct sws_ctx *ctx, struct sws_err *err)
{
  ctx->capture = sws_calloc(1, sizeof *ctx->capture);
  if (sqlite3_create_function(ctx->db->h, "sws_row_snapshot", 2, SQLITE_UTF8,
                              ctx, sql_snapshot, NULL, NULL) ||
      sqlite3_create_function(ctx->db->h, "sws_row_changes", 2, SQLITE_UTF8,
                              ctx, sql_changes, NULL, NULL))
    return db_error(ctx->db, NULL, err);
  return SWS_OK;
}

void capture_reset(struct sws_ctx *ctx)
{
  struct capture *c = ctx->capture;
  if (c == NULL)
    return;
  for (int k = 0; k < c->nSnap; k++)
    json_decref(c->aSnap[k].row);
  c->nSnap = 0;
  memo_clear(c);
}

void capture_free(struct sws_ctx *ctx)
{
  struct capture *c = ctx->capture;
  if (c == NULL)
    return;
  capture_reset(ctx);
  for (int i = 0; i < c->nTable; i++)
    db_done(ctx->db, c->aTable[i].q);
  free(c);
  ctx->capture = NULL;
}
