/*
 * test_reconcile.c - drift found and repaired (docs/sync-protocol.md,
 * "Reconciling"), in process: an office and a registry joined by a
 * transport that calls the registry directly, rows deleted and altered
 * behind each side's back, then a comparison: both sides hold the same
 * records again and every repair is listed. Also as an attacker would
 * use it: another office's records, replays, malformed and huge requests.
 * On SQLite (suite reconcile) and PostgreSQL (reconcile_pg). The same
 * with real processes over HTTPS: tests/e2e/reconcile.sh.
 */
#include <CUnit/CUnit.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "cases/office.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "sync/central.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/reconcile.h"
#include "tests/support.h"

static struct central *g_c;
static struct sws_ctx *g_b; /* KH13 (t_ctx is KH12) */
static int g_pg;
static char g_zCentral[700];

struct fake {
  const char *zOffice;
  int nReconcile; /* reconcile requests made */
};

static int fake_request(void *arg, const char *zMethod, const char *zPath,
                        const char *zBody, size_t nBody, int *pStatus,
                        struct buf *resp, int *pRetryAfter, struct sws_err *err)
{
  struct fake *f = arg;
  struct sws_err e = SWS_ERR_INIT;
  int rc = 0;
  (void)err;
  *pRetryAfter = -1;
  if (strcmp(zPath, "/v1/hello") == 0) {
    central_hello(g_c, resp);
    *pStatus = 200;
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/push") == 0)
    rc = central_push(g_c, f->zOffice, zBody, nBody, pStatus, resp, &e);
  else if (strcmp(zMethod, "POST") == 0 &&
           strcmp(zPath, "/v1/reconcile") == 0) {
    f->nReconcile++;
    rc = central_reconcile(g_c, f->zOffice, zBody, nBody, pStatus, resp, &e);
  } else if (strncmp(zPath, "/v1/feed?", 9) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    rc = central_feed(g_c, f->zOffice, zCur ? zCur + 7 : "", 4096, pStatus,
                      resp, &e);
  } else {
    *pStatus = 404;
  }
  if (rc != 0) {
    buf_reset(resp);
    buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
  }
  return 0;
}

static int sync_office(struct sws_ctx *ctx, struct fake *f, int bReconcile,
                       struct sync_report *rep)
{
  struct sync_transport t = {fake_request, NULL, f};
  struct sync_opts o;
  memset(&o, 0, sizeof o);
  o.nBatchBytes = 4096;
  o.nPageBytes = 4096;
  o.nAttempts = 1;
  o.bReconcile = bReconcile;
  sync_report_release(rep);
  return sync_run(ctx, &t, &o, rep, &t_err);
}

static void enrol(struct sws_ctx *ctx)
{
  struct office_info oi;
  char zPk[64];
  T_OK(cases_office_get(ctx, &oi, &t_err));
  sws_b64url(zPk, oi.pk, sizeof oi.pk);
  T_OK(central_office_add(g_c, oi.zCode, "office", zPk, NULL, 1, &t_err));
}

static void setup(void)
{
  t_office_setup();
  g_b = t_office_new("KH13");
  if (g_pg)
    snprintf(g_zCentral, sizeof g_zCentral, "%s", t_pg_url());
  else
    snprintf(g_zCentral, sizeof g_zCentral, "%s/central.db", t_tmpdir());
  if (central_open(&g_c, g_zCentral, 1, "Test registry", &t_err) != 0) {
    fprintf(stderr, "central: %s\n", t_err.msg);
    abort();
  }
  enrol(t_ctx);
  enrol(g_b);
}

static void teardown(void)
{
  central_close(g_c);
  g_c = NULL;
  cases_close(g_b);
  g_b = NULL;
  t_office_teardown();
}

/* SQL run on the registry's database behind its back (as psql or sqlite3
 * would). */
static void central_sql(const char *zSql)
{
  if (g_pg) {
    PGconn *c = PQconnectdb(g_zCentral);
    PGresult *r = PQexec(c, zSql);
    CU_ASSERT_EQUAL(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    return;
  }
  sqlite3 *db = NULL;
  CU_ASSERT_EQUAL(sqlite3_open(g_zCentral, &db), SQLITE_OK);
  CU_ASSERT_EQUAL(sqlite3_exec(db, zSql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

/* SQL run on an office's database behind sws's back: no outbox row, no
 * audit row (as someone who dropped the triggers would). */
static void office_sql(struct sws_ctx *ctx, const char *zSql)
{
  int bWas = ctx->bNoCapture;
  T_OK(cases_op_begin(ctx, "test.behind", &t_err));
  ctx->bNoCapture = 1;
  int rc = db_exec(ctx->db, zSql, &t_err);
  ctx->bNoCapture = bWas;
  T_OK(cases_op_end(ctx, rc, NULL, NULL, NULL, &t_err));
}

/* SQL of the test's own, naming one of its records: zHead, then the
 * value quoted (ids and numbers sws made, no quotes in them). */
static void sql_quoted(char *z, size_t n, const char *zHead, const char *zValue)
{
  snprintf(z, n, "%s'%s'", zHead, zValue);
}

static int64_t count(struct sws_ctx *ctx, const char *zSql)
{
  int64_t n = -1;
  CU_ASSERT_EQUAL(db_int64(ctx->db, &n, -1, zSql, &t_err), 0);
  return n;
}

static void reg(struct sws_ctx *ctx, const char *zHead, const char *zChild,
                char *zRegno)
{
  struct member_input m[2] = {{zHead, 'F', "1980", REL_HEAD, NULL, NULL, 0},
                              {zChild, 'M', "2010", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {"V1", NULL, NULL, NULL, m, 2, NULL};
  T_OK(cases_household_create(ctx, &in, zRegno, NULL, &t_err));
}

/* The id of a member of this office by name. */
static void member_id(struct sws_ctx *ctx, const char *zName, char *zId)
{
  sqlite3_stmt *q;
  zId[0] = '\0';
  T_OK(
      db_prepare(ctx->db, &q, "SELECT id FROM member WHERE name = :n", &t_err));
  db_bind_text(q, ":n", zName);
  if (db_step(ctx->db, q, &t_err) == DB_ROW)
    sws_strlcpy(zId, db_col_str(q, 0), 37);
  db_done(ctx->db, q);
}

static int count_conflict(const struct central_conflict *k, const char *zRegno,
                          void *arg)
{
  (void)k;
  (void)zRegno;
  ++*(int *)arg;
  return 0;
}

static int add_count(void *arg, int nCol, const char *const *azCol)
{
  if (nCol > 0 && azCol[0])
    *(int64_t *)arg += strtoll(azCol[0], NULL, 10);
  return 0;
}

/* How many entries the registry's log has of action zAction. */
static int64_t central_logged(const char *zAction)
{
  int64_t n = 0;
  const char *v[1] = {zAction};
  T_OK(g_c->s->ops->read_rows(g_c->s,
                              "SELECT count(*) FROM central_log WHERE "
                              "action = $1",
                              1, v, add_count, &n, &t_err));
  return n;
}

static int open_conflicts(void)
{
  int n = 0;
  T_OK(central_conflicts(g_c, 0, count_conflict, &n, &t_err));
  return n;
}

/* Nothing differs: one request answers it, and nothing is listed. */
static void test_reconcile__nothing_differs_costs_one_request(void)
{
  struct fake f = {"KH12", 0};
  struct sync_report rep;
  char zA[32], zB[32];
  memset(&rep, 0, sizeof rep);
  reg(t_ctx, "Sok Chenda", "Sok Dara", zA);
  reg(t_ctx, "Keo Malis", "Keo Vuthy", zB);
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  f.nReconcile = 0;
  T_OK(sync_office(t_ctx, &f, 1, &rep));
  CU_ASSERT_EQUAL(rep.rec.bDone, 1);
  CU_ASSERT_EQUAL(rep.rec.nRecords, 6);
  CU_ASSERT_EQUAL(rep.rec.nRegistry, 6);
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  CU_ASSERT_EQUAL(json_array_size(rep.rec.repairs), 0);
  CU_ASSERT_EQUAL(f.nReconcile, 1);
  sync_report_release(&rep);
}

/* Rows deleted and altered behind each side's back: a comparison sends
 * again what the registry lacks, feeds again what the office lacks, and
 * makes each differing value a conflict; then both hold the same. */
static void test_reconcile__drift_repaired_both_ways(void)
{
  struct fake f = {"KH12", 0};
  struct sync_report rep;
  char zA[32], zB[32], zC[32], zA1[37], zB2[37], zC2[37], zSql[300];
  memset(&rep, 0, sizeof rep);
  reg(t_ctx, "Sok Chenda", "Sok Dara", zA);
  reg(t_ctx, "Keo Malis", "Keo Vuthy", zB);
  reg(t_ctx, "Chan Sophea", "Chan Rith", zC);
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  member_id(t_ctx, "Sok Chenda", zA1);
  member_id(t_ctx, "Keo Vuthy", zB2);
  member_id(t_ctx, "Chan Rith", zC2);
  /* the registry loses a member and has a name changed by hand */
  sql_quoted(zSql, sizeof zSql, "DELETE FROM member WHERE id = ", zC2);
  central_sql(zSql);
  sql_quoted(zSql, sizeof zSql,
             "UPDATE member SET name = 'Sok Chendra' WHERE id = ", zA1);
  central_sql(zSql);
  /* the office loses a member and has an address changed by hand */
  office_sql(t_ctx, "DROP TRIGGER member_no_delete");
  sql_quoted(zSql, sizeof zSql, "DELETE FROM member WHERE id = ", zB2);
  office_sql(t_ctx, zSql);
  sql_quoted(zSql, sizeof zSql,
             "UPDATE household SET address = 'Street 7' WHERE regno = ", zB);
  office_sql(t_ctx, zSql);

  T_OK(sync_office(t_ctx, &f, 1, &rep));
  CU_ASSERT_EQUAL(rep.rec.nSent, 1);
  CU_ASSERT_EQUAL(rep.rec.nFed, 1);
  CU_ASSERT_EQUAL(rep.rec.nConflicts, 2);
  CU_ASSERT_EQUAL(rep.rec.nRefused, 0);
  CU_ASSERT_EQUAL(json_array_size(rep.rec.repairs), 4);
  /* the member the office lacked is back, the one the registry lacked is
   * there, and the registry's values stand until someone decides */
  sql_quoted(zSql, sizeof zSql, "SELECT count(*) FROM member WHERE id = ", zB2);
  CU_ASSERT_EQUAL(count(t_ctx, zSql), 1);
  char *zFields = NULL;
  T_OK(g_c->s->ops->record_get(g_c->s, "member", zC2, &zFields, NULL, &t_err));
  free(zFields);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM member WHERE name = "
                               "'Sok Chendra'"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE "
                               "address = 'Street 7'"),
                  0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_conflict WHERE "
                               "status = 'open'"),
                  2);
  CU_ASSERT_EQUAL(open_conflicts(), 2);
  /* audited at both sides */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log WHERE "
                               "action = 'sync.reconcile'"),
                  1);
  CU_ASSERT_EQUAL(central_logged("reconcile"), 1);
  CU_ASSERT_EQUAL(central_logged("reconcile.records"), 1);
  CU_ASSERT_EQUAL(central_logged("reconcile.conflict"), 2);
  CU_ASSERT_EQUAL(central_logged("feed.rewound"), 0); /* not restored */

  /* compared again: the same on both sides, nothing raised twice */
  T_OK(sync_office(t_ctx, &f, 1, &rep));
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  CU_ASSERT_EQUAL(json_array_size(rep.rec.repairs), 0);
  CU_ASSERT_EQUAL(open_conflicts(), 2);

  /* the address is decided for the office's value at the registry: it
   * goes back to the office, and both still hold the same */
  struct central_conflict k;
  char *zOv = NULL, *zSv = NULL, *zNote = NULL;
  int64_t id = 0;
  for (int64_t i = 1; i < 10 && id == 0; i++) {
    if (g_c->s->ops->conflict_get(g_c->s, i, &k, &zOv, &zSv, &zNote, &t_err) ==
            0 &&
        strcmp(k.zField, "address") == 0)
      id = i;
    free(zOv);
    free(zSv);
    free(zNote);
    zOv = zSv = zNote = NULL;
  }
  CU_ASSERT_NOT_EQUAL_FATAL(id, 0);
  T_OK(central_conflict_resolve(g_c, id, 1, "the office visited", &t_err));
  T_OK(sync_office(t_ctx, &f, 1, &rep));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE "
                               "address = 'Street 7'"),
                  1);
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  sync_report_release(&rep);
}

/* A registry restored from an older copy: what the office sent since the
 * copy is sent again, and its feed, now behind the office's cursor, goes
 * on from its end. */
static void test_reconcile__registry_restored_from_older_copy(void)
{
  struct fake f = {"KH12", 0};
  struct sync_report rep;
  char zA[32], zB[32];
  memset(&rep, 0, sizeof rep);
  if (g_pg)
    return; /* the e2e test restores PostgreSQL with pg_dump/psql */
  reg(t_ctx, "Sok Chenda", "Sok Dara", zA);
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  /* the copy */
  char zCopy[800];
  snprintf(zCopy, sizeof zCopy, "%s.copy", g_zCentral);
  central_close(g_c);
  FILE *in = fopen(g_zCentral, "rb"), *out = fopen(zCopy, "wb");
  char buf[8192];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, n, out);
  fclose(in);
  fclose(out);
  T_OK(central_open(&g_c, g_zCentral, 0, NULL, &t_err));
  reg(t_ctx, "Keo Malis", "Keo Vuthy", zB);
  /* an office enrolled after the copy: its key reaches KH12's feed */
  unsigned char pk[32];
  char zPk[64];
  sws_random(pk, sizeof pk);
  sws_b64url(zPk, pk, sizeof pk);
  T_OK(central_office_add(g_c, "KH14", "office", zPk, NULL, 1, &t_err));
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM office_key WHERE code "
                               "= 'KH14'"),
                  1);
  /* the registry is restored */
  central_close(g_c);
  CU_ASSERT_EQUAL(rename(zCopy, g_zCentral), 0);
  T_OK(central_open(&g_c, g_zCentral, 0, NULL, &t_err));
  /* nothing was left to push, so only the comparison finds that the
   * registry forgot the second household: its watermark is behind, and
   * the changes go again from there before anything is compared. The
   * registry asks for the comparison itself, finding the office's feed
   * cursor past the end of its feed. */
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  CU_ASSERT_EQUAL(central_logged("feed.rewound"), 1);
  CU_ASSERT_EQUAL(rep.rec.bDone, 1);
  CU_ASSERT_EQUAL(rep.rec.nResent, 3);
  CU_ASSERT_EQUAL(rep.rec.nSent, 0);
  CU_ASSERT_EQUAL(rep.rec.nFed, 0);
  CU_ASSERT_EQUAL(rep.rec.nConflicts, 0);
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  T_OK(sync_office(t_ctx, &f, 1, &rep));
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  struct central_household h;
  T_OK(central_household_get(g_c, zB, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMembers, 2);
  sync_report_release(&rep);
}

/* The registry's nightly check asks; the office compares at its next
 * sync, once. */
static int see_check(const struct central_reconcile_check *k, void *arg)
{
  json_t *a = arg;
  json_array_append_new(
      a, json_pack("{s:s, s:I, s:I, s:i}", "office", k->zOffice, "records",
                   (json_int_t)k->nRecords, "dangling",
                   (json_int_t)k->nDangling, "devices", k->nDevices));
  return 0;
}

static void test_reconcile__nightly_check_asks_offices(void)
{
  struct fake f = {"KH12", 0};
  struct sync_report rep;
  char zA[32], zC2[37], zSql[200];
  json_t *a = json_array();
  memset(&rep, 0, sizeof rep);
  reg(t_ctx, "Sok Chenda", "Sok Dara", zA);
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  member_id(t_ctx, "Sok Chenda", zC2);
  /* a household lost at the registry leaves its members dangling */
  sql_quoted(zSql, sizeof zSql, "DELETE FROM household WHERE regno = ", zA);
  central_sql(zSql);
  T_OK(central_reconcile_offices(g_c, NULL, see_check, a, &t_err));
  CU_ASSERT_EQUAL(json_array_size(a), 2);
  json_t *k12 = json_array_get(a, 0);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(k12, "office")),
                         "KH12");
  CU_ASSERT_EQUAL(json_integer_value(json_object_get(k12, "records")), 2);
  CU_ASSERT_EQUAL(json_integer_value(json_object_get(k12, "dangling")), 2);
  CU_ASSERT_EQUAL(json_integer_value(json_object_get(k12, "devices")), 1);
  /* an office that is not enrolled is refused */
  CU_ASSERT_EQUAL(central_reconcile_offices(g_c, "KH99", see_check, a, &t_err),
                  SWS_ENOTFOUND);
  /* the next plain sync compares, and sends the household again */
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  CU_ASSERT_EQUAL(rep.rec.bDone, 1);
  CU_ASSERT_EQUAL(rep.rec.nSent, 1);
  struct central_household h;
  T_OK(central_household_get(g_c, zA, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMembers, 2);
  /* and the one after does not */
  T_OK(sync_office(t_ctx, &f, 0, &rep));
  CU_ASSERT_EQUAL(rep.rec.bDone, 0);
  json_decref(a);
  sync_report_release(&rep);
}

/* A request straight to the registry, as an attacker would send it. */
static int post(const char *zDevice, const char *zBody, struct buf *out)
{
  struct sws_err e = SWS_ERR_INIT;
  int status = 0;
  buf_reset(out);
  central_reconcile(g_c, zDevice, zBody, strlen(zBody), &status, out, &e);
  return status;
}

/* Another office's records are never reachable: not asked for under its
 * code, not compared, not fed, not shown; a replay raises nothing twice;
 * malformed and huge requests are refused with a 400. */
static void test_reconcile__attacks_refused(void)
{
  struct fake fa = {"KH12", 0}, fb = {"KH13", 0};
  struct sync_report rep;
  struct buf out;
  char zA[32], zB[32], zB1[37], zBody[2000];
  memset(&rep, 0, sizeof rep);
  buf_init(&out, (size_t)1 << 24);
  reg(t_ctx, "Sok Chenda", "Sok Dara", zA);
  reg(g_b, "Keo Malis", "Keo Vuthy", zB);
  T_OK(sync_office(t_ctx, &fa, 0, &rep));
  T_OK(sync_office(g_b, &fb, 0, &rep));
  member_id(g_b, "Keo Malis", zB1);

  /* KH12 asks as KH13 */
  struct reconcile_set set;
  reconcile_set_init(&set);
  json_t *body =
      json_pack("{s:i, s:s, s:s, s:o}", "proto", 1, "device", "KH13", "step",
                "buckets", "buckets", reconcile_set_json(&set));
  char *z = json_dumps(body, JSON_COMPACT);
  CU_ASSERT_EQUAL(post("KH12", z, &out), 403);
  free(z);
  json_decref(body);

  /* KH12 lists KH13's member as its own: the registry says it lacks it
   * (so nothing tells whether another office has it) and feeds nothing
   * of KH13 */
  int b = reconcile_bucket(zB1);
  snprintf(zBody, sizeof zBody,
           "{\"proto\":1,\"device\":\"KH12\",\"step\":\"records\","
           "\"buckets\":[%d],\"records\":[[\"member\",\"%s\","
           "\"00000000000000000000000000000000\"]]}",
           b, zB1);
  CU_ASSERT_EQUAL(post("KH12", zBody, &out), 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "\"send\":[[\"member\""));
  CU_ASSERT_PTR_NULL(strstr(buf_str(&out), "Keo"));
  /* and its values: refused as not held, no conflict, nothing shown */
  snprintf(zBody, sizeof zBody,
           "{\"proto\":1,\"device\":\"KH12\",\"step\":\"values\","
           "\"values\":[{\"e\":\"member\",\"i\":\"%s\",\"f\":{\"name\":"
           "\"Someone Else\"}}]}",
           zB1);
  CU_ASSERT_EQUAL(post("KH12", zBody, &out), 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "holds no such record"));
  CU_ASSERT_PTR_NULL(strstr(buf_str(&out), "Keo"));
  CU_ASSERT_EQUAL(open_conflicts(), 0);

  /* a value of its own, sent twice: one conflict */
  char zA1[37];
  member_id(t_ctx, "Sok Chenda", zA1);
  snprintf(zBody, sizeof zBody,
           "{\"proto\":1,\"device\":\"KH12\",\"step\":\"values\","
           "\"values\":[{\"e\":\"member\",\"i\":\"%s\",\"f\":{\"name\":"
           "\"Sok Chendra\"}}]}",
           zA1);
  CU_ASSERT_EQUAL(post("KH12", zBody, &out), 200);
  CU_ASSERT_EQUAL(post("KH12", zBody, &out), 200);
  CU_ASSERT_EQUAL(open_conflicts(), 1);
  /* a value the office's own rules refuse is not a conflict */
  snprintf(zBody, sizeof zBody,
           "{\"proto\":1,\"device\":\"KH12\",\"step\":\"values\","
           "\"values\":[{\"e\":\"member\",\"i\":\"%s\",\"f\":{\"sex\":"
           "\"X\"}}]}",
           zA1);
  CU_ASSERT_EQUAL(post("KH12", zBody, &out), 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "refused"));
  CU_ASSERT_EQUAL(open_conflicts(), 1);

  /* malformed */
  static const char *const BAD[] = {
      "",
      "not json",
      "[]",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"buckets\"}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"buckets\","
      "\"buckets\":[\"00\"]}",
      "{\"proto\":2,\"device\":\"KH12\",\"step\":\"buckets\",\"buckets\":[]}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"drop\"}",
      "{\"proto\":1,\"device\":\"KH12\",\"device\":\"KH13\","
      "\"step\":\"values\",\"values\":[]}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"records\","
      "\"buckets\":[300],\"records\":[]}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"records\","
      "\"buckets\":[1,1],\"records\":[]}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"records\","
      "\"buckets\":[1],\"records\":[[\"users\",\"x\",\"y\"]]}",
      "{\"proto\":1,\"device\":\"KH12\",\"step\":\"values\","
      "\"values\":[{\"e\":\"member\",\"i\":\"x\",\"f\":{}}]}",
  };
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
    CU_ASSERT_EQUAL(post("KH12", BAD[i], &out), 400);
  /* huge: more records than a request may carry */
  struct buf big = BUF_INIT;
  buf_puts(&big, "{\"proto\":1,\"device\":\"KH12\",\"step\":\"records\","
                 "\"buckets\":[0],\"records\":[");
  for (int i = 0; i <= RECONCILE_MAX_RECORDS; i++)
    buf_appendf(&big,
                "%s[\"member\",\"01900000-0000-7000-8000-0000000000"
                "00\",\"00000000000000000000000000000000\"]",
                i ? "," : "");
  buf_puts(&big, "]}");
  CU_ASSERT_EQUAL(post("KH12", buf_str(&big), &out), 400);
  buf_release(&big);
  buf_release(&out);
  sync_report_release(&rep);
}

static CU_TestInfo tests[] = {
    {"test_reconcile__nothing_differs_costs_one_request",
     test_reconcile__nothing_differs_costs_one_request},
    {"test_reconcile__drift_repaired_both_ways",
     test_reconcile__drift_repaired_both_ways},
    {"test_reconcile__registry_restored_from_older_copy",
     test_reconcile__registry_restored_from_older_copy},
    {"test_reconcile__nightly_check_asks_offices",
     test_reconcile__nightly_check_asks_offices},
    {"test_reconcile__attacks_refused", test_reconcile__attacks_refused},
    CU_TEST_INFO_NULL,
};

static void setup_sqlite(void)
{
  g_pg = 0;
  setup();
}

static void setup_pg(void)
{
  g_pg = 1;
  setup();
}

CU_SuiteInfo suite_reconcile = {"reconcile",  NULL,     NULL,
                                setup_sqlite, teardown, tests};
CU_SuiteInfo suite_reconcile_pg = {"reconcile_pg", NULL,     NULL,
                                   setup_pg,       teardown, tests};
