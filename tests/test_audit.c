/*
 * test_audit.c - the audit log against an attacker holding the office's
 * database and the sqlite3 shell (docs/operations.md, "What the audit log
 * detects"): rows deleted from the end after a sync, rows rewritten with
 * every later hash recomputed, heads forged, sent for another office or
 * going backwards. The registry runs in process, on SQLite (suite audit)
 * and on PostgreSQL (suite audit_pg); the same over HTTPS with real
 * processes is tests/e2e/audit_tamper.sh.
 */
#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/audit.h"
#include "cases/audit_records.h"
#include "cases/household.h"
#include "cases/office.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "sync/audit_head.h"
#include "sync/central.h"
#include "sync/central_audit.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/office_audit.h"
#include "tests/support.h"

static struct central *g_c;
static struct sws_ctx *g_b; /* another office, KH13 (t_ctx is KH12) */
static int g_pg;
static int g_old;  /* the registry answers /v1/audit-head 404 (older sws) */
static int g_lose; /* the next audit-head answers are lost */

static int fake_request(void *arg, const char *zMethod, const char *zPath,
                        const char *zBody, size_t nBody, int *pStatus,
                        struct buf *resp, int *pRetryAfter, struct sws_err *err)
{
  const char *zOffice = arg;
  struct sws_err e = SWS_ERR_INIT;
  int rc = 0;
  *pRetryAfter = -1;
  *pStatus = 404;
  if (strcmp(zMethod, "GET") != 0 && strcmp(zMethod, "POST") != 0)
    return sws_err_set(err, SWS_EINVAL, "no such method (test)");
  if (strcmp(zPath, "/v1/hello") == 0) {
    central_hello(g_c, resp);
    *pStatus = 200;
  } else if (strcmp(zPath, "/v1/push") == 0) {
    rc = central_push(g_c, zOffice, zBody, nBody, pStatus, resp, &e);
  } else if (strncmp(zPath, "/v1/feed?", 9) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    rc = central_feed(g_c, zOffice, zCur ? zCur + 7 : "", 65536, pStatus, resp,
                      &e);
  } else if (strcmp(zPath, "/v1/audit-head") == 0 && !g_old) {
    rc = central_audit_head_receive(g_c, zOffice, zBody, nBody, pStatus, resp,
                                    &e);
    if (g_lose > 0) {
      g_lose--;
      buf_reset(resp);
      return sws_err_set(err, SWS_ENET, "connection cut (test)");
    }
  }
  if (rc != 0) {
    buf_reset(resp);
    buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
  }
  return 0;
}

static void no_sleep(void *arg, int ms)
{
  (void)arg;
  (void)ms;
}

static int sync_as(struct sws_ctx *ctx, const char *zOffice,
                   struct sync_report *rep)
{
  struct sync_transport t = {fake_request, NULL, (void *)zOffice};
  struct sync_opts o = {.nAttempts = 1, .sleep_ms = no_sleep};
  int rc = sync_run(ctx, &t, &o, rep, &t_err);
  sync_report_release(rep);
  return rc;
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
  char zPath[700];
  t_office_setup();
  g_b = t_office_new("KH13");
  g_old = g_lose = 0;
  if (g_pg)
    snprintf(zPath, sizeof zPath, "%s", t_pg_url());
  else
    snprintf(zPath, sizeof zPath, "%s/central.db", t_tmpdir());
  if (central_open(&g_c, zPath, 1, "Test registry", &t_err) != 0) {
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

/* Run zSql on the office database as someone with the sqlite3 shell: the
 * triggers that stand in the way are dropped, then made again from the
 * SQL sqlite_master kept of them. */
static void tamper(struct sws_ctx *ctx, const char *zTable, const char *zSql)
{
  sqlite3_stmt *q;
  char *az[16], *azDrop[16];
  int n = 0;
  T_OK(db_prepare(ctx->db, &q,
                  "SELECT name, sql FROM sqlite_master WHERE type = "
                  "'trigger' AND tbl_name = :t",
                  &t_err));
  db_bind_text(q, ":t", zTable);
  while (n < 16 && db_step(ctx->db, q, &t_err) == DB_ROW) {
    char zDrop[200];
    az[n++] = sws_strdup(db_col_str(q, 1));
    snprintf(zDrop, sizeof zDrop, "DROP TRIGGER %s", db_col_str(q, 0));
    azDrop[n - 1] = sws_strdup(zDrop);
  }
  db_done(ctx->db, q);
  for (int i = 0; i < n; i++) {
    T_OK(db_exec(ctx->db, azDrop[i], &t_err));
    free(azDrop[i]);
  }
  T_OK(db_exec(ctx->db, zSql, &t_err));
  for (int i = 0; i < n; i++) {
    T_OK(db_exec(ctx->db, az[i], &t_err));
    free(az[i]);
  }
}

static int64_t office_count(struct sws_ctx *ctx, const char *zSql)
{
  int64_t n = -1;
  T_OK(db_int64(ctx->db, &n, -1, zSql, &t_err));
  return n;
}

static void households(int n)
{
  for (int i = 0; i < n; i++) {
    char zName[40];
    snprintf(zName, sizeof zName, "Sok Dara %d", i);
    t_household(zName, 'F', "1980", "V1");
  }
}

static void check(struct sync_audit_check *v)
{
  T_OK(sync_audit_check(t_ctx, v, NULL, NULL, &t_err));
}

/* The registry's kept head of a device (CU-fails if there is none). */
static void kept(const char *zDevice, struct central_audit_head *h)
{
  T_OK(g_c->s->ops->audit_head_get(g_c->s, zDevice, h, &t_err));
}

static int take_n(void *arg, int nCol, const char *const *az)
{
  *(int64_t *)arg = nCol > 0 && az[0] ? strtoll(az[0], NULL, 10) : -1;
  return 0;
}

/* Rows of the registry's log (central_log) of action zAction. */
static int64_t central_log_count(const char *zAction)
{
  int64_t n = -1;
  const char *v[1] = {zAction};
  T_OK(g_c->s->ops->read_rows(g_c->s,
                              "SELECT count(*) FROM central_log WHERE "
                              "action = $1",
                              1, v, take_n, &n, &t_err));
  return n;
}

static void test_audit__head_kept_and_acknowledged(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  struct central_audit_head h;
  households(3);
  check(&v);
  CU_ASSERT_FALSE(v.bAcked);
  CU_ASSERT_EQUAL(v.nAfter, v.head.n);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  CU_ASSERT_EQUAL(rep.zAuditRefused[0], '\0');
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0);
  CU_ASSERT(v.bAcked);
  CU_ASSERT_EQUAL(v.zAckBroken[0], '\0');
  CU_ASSERT_EQUAL(v.zRefused[0], '\0');
  /* what the registry keeps is what the office was told */
  kept("KH12", &h);
  CU_ASSERT_EQUAL(h.id, v.acked.id);
  CU_ASSERT_STRING_EQUAL(h.zHash, v.acked.zHash);
  CU_ASSERT_EQUAL(h.zDivergedAt[0], '\0');
  /* only the row recording the acknowledgement follows the head */
  CU_ASSERT_EQUAL(v.nAfter, 1);
  CU_ASSERT_EQUAL(v.head.id, h.id + 1);
  /* the next sync extends it */
  households(2);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  struct central_audit_head h2;
  kept("KH12", &h2);
  CU_ASSERT(h2.id > h.id);
  CU_ASSERT_EQUAL(h2.zDivergedAt[0], '\0');
}

static void test_audit__last_row_deleted_after_sync_is_found(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  households(2);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  tamper(t_ctx, "audit_log",
         "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)");
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0); /* the chain alone sees nothing */
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zAckBroken, "deleted"));
}

static void test_audit__last_50_rows_deleted_found_now_and_at_sync(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  struct central_audit_head h;
  households(60);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  kept("KH12", &h);
  tamper(t_ctx, "audit_log",
         "DELETE FROM audit_log WHERE id > (SELECT max(id) - 50 FROM "
         "audit_log)");
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zAckBroken, "deleted"));
  /* the acknowledgement at the office removed too: the offline check has
   * nothing to compare with, the registry has */
  tamper(t_ctx, "sync_state",
         "DELETE FROM sync_state WHERE name = 'audit_acked'");
  check(&v);
  CU_ASSERT_EQUAL(v.zAckBroken[0], '\0');
  T_OK(sync_as(t_ctx, "KH12", &rep));
  CU_ASSERT_PTR_NOT_NULL(strstr(rep.zAuditRefused, "deleted"));
  struct central_audit_head h2;
  kept("KH12", &h2);
  CU_ASSERT_NOT_EQUAL(h2.zDivergedAt[0], '\0');
  CU_ASSERT_EQUAL(h2.id, h.id); /* the kept head stays */
  CU_ASSERT_EQUAL(central_log_count("audit.diverged"), 1);
  CU_ASSERT_STRING_EQUAL(h2.zHash, h.zHash);
  check(&v);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zRefused, "audit chain diverged"));
}

/* ---- a rewrite with every later hash recomputed (plain SHA-256, the
 * format cases/audit.c documents) ---- */

static void feed(crypto_hash_sha256_state *st, const char *z)
{
  char len[24];
  int k = snprintf(len, sizeof len, "%zu:", strlen(z));
  crypto_hash_sha256_update(st, (const unsigned char *)len, (size_t)k);
  crypto_hash_sha256_update(st, (const unsigned char *)z, strlen(z));
  crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

static void recompute_from(struct sws_ctx *ctx, int64_t from)
{
  sqlite3_stmt *q;
  char zPrev[65];
  T_OK(cases_audit_hash_at(ctx, from - 1, zPrev, &t_err));
  T_OK(db_prepare(ctx->db, &q,
                  "SELECT id, at, actor, action, entity, entity_id, detail, "
                  "op_id, changes FROM audit_log WHERE id >= :f ORDER BY id",
                  &t_err));
  db_bind_int64(q, ":f", from);
  struct buf sql;
  buf_init(&sql, (size_t)16 << 20);
  while (db_step(ctx->db, q, &t_err) == DB_ROW) {
    crypto_hash_sha256_state st;
    unsigned char h[32];
    char zId[24], zHash[65];
    crypto_hash_sha256_init(&st);
    feed(&st, zPrev);
    snprintf(zId, sizeof zId, "%" PRId64, db_col_int64(q, 0));
    feed(&st, zId);
    for (int i = 1; i <= 8; i++)
      feed(&st, db_col_str(q, i));
    crypto_hash_sha256_final(&st, h);
    sws_hex(zHash, h, sizeof h);
    /* hex digits and a number, made here: the shell's way */
    buf_puts(&sql, "UPDATE audit_log SET prev_hash = '");
    buf_puts(&sql, zPrev);
    buf_puts(&sql, "', hash = '");
    buf_puts(&sql, zHash);
    buf_puts(&sql, "' WHERE id = ");
    buf_puts(&sql, zId);
    buf_puts(&sql, ";");
    memcpy(zPrev, zHash, sizeof zPrev);
  }
  db_done(ctx->db, q);
  tamper(ctx, "audit_log", buf_str(&sql));
  buf_release(&sql);
}

static void test_audit__recomputed_chain_found_for_acknowledged_rows(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  households(3);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  tamper(t_ctx, "audit_log",
         "UPDATE audit_log SET actor = 'someone' WHERE id = 3");
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 3); /* the chain sees a plain edit */
  recompute_from(t_ctx, 3);
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0); /* not the recomputed one */
  CU_ASSERT_PTR_NOT_NULL(strstr(v.zAckBroken, "rewritten"));
  /* the registry finds it too, however the office's copy of its
   * acknowledgement was changed */
  tamper(t_ctx, "sync_state",
         "DELETE FROM sync_state WHERE name = 'audit_acked'");
  households(1);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  CU_ASSERT_PTR_NOT_NULL(strstr(rep.zAuditRefused, "rewritten"));
  struct central_audit_head h;
  kept("KH12", &h);
  CU_ASSERT_NOT_EQUAL(h.zDivergedAt[0], '\0');
}

/* ---- heads sent straight to the registry ---- */

static char *head_body(struct sws_ctx *signer, const char *zDevice, int64_t id,
                       int64_t n, const char *zHash, int64_t linkId,
                       const char *zLinkHash)
{
  struct audit_head_msg h;
  unsigned char sk[SWS_SK_BYTES];
  memset(&h, 0, sizeof h);
  sws_strlcpy(h.zDevice, zDevice, sizeof h.zDevice);
  h.id = id;
  h.n = n;
  sws_strlcpy(h.zHash, zHash, sizeof h.zHash);
  h.linkId = linkId;
  if (zLinkHash)
    sws_strlcpy(h.zLinkHash, zLinkHash, sizeof h.zLinkHash);
  if (signer) {
    T_OK(cases_office_secret_key(signer, sk, &t_err));
  } else {
    unsigned char pk[SWS_PK_BYTES];
    sws_sign_keypair(pk, sk);
  }
  audit_head_sign(&h, sk);
  return audit_head_encode(&h);
}

static int send_head(const char *zAs, char *zBody, int *pStatus,
                     struct buf *out)
{
  struct sws_err e = SWS_ERR_INIT;
  buf_reset(out);
  int rc = central_audit_head_receive(g_c, zAs, zBody, strlen(zBody), pStatus,
                                      out, &e);
  free(zBody);
  return rc;
}

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

static void test_audit__forged_or_foreign_head_refused(void)
{
  struct buf out;
  int status;
  struct central_audit_head h;
  buf_init(&out, 65536);
  /* a key that is not KH12's */
  CU_ASSERT_NOT_EQUAL(send_head("KH12",
                                head_body(NULL, "KH12", 5, 5, H1, 0, NULL),
                                &status, &out),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  /* KH13's own head, sent by KH12 */
  CU_ASSERT_NOT_EQUAL(send_head("KH12",
                                head_body(g_b, "KH13", 5, 5, H1, 0, NULL),
                                &status, &out),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  /* KH12's name on it, KH13's key under it */
  CU_ASSERT_NOT_EQUAL(send_head("KH12",
                                head_body(g_b, "KH12", 5, 5, H1, 0, NULL),
                                &status, &out),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  /* not a head at all */
  CU_ASSERT_NOT_EQUAL(
      send_head("KH12", sws_strdup("{\"device\":\"KH12\"}"), &status, &out), 0);
  CU_ASSERT_EQUAL(status, 400);
  CU_ASSERT_EQUAL(g_c->s->ops->audit_head_get(g_c->s, "KH12", &h, &t_err),
                  SWS_ENOTFOUND);
  /* the genuine one is kept */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 5, 5, H1, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 200);
  kept("KH12", &h);
  CU_ASSERT_EQUAL(h.id, 5);
  buf_release(&out);
}

static void test_audit__head_going_back_flagged(void)
{
  struct buf out;
  int status;
  struct central_audit_head h;
  buf_init(&out, 65536);
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 10, 10, H1, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 200);
  /* the same head again: nothing wrong */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 10, 10, H1, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 200);
  /* further on without saying what row 10 is now: asked for */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 12, 12, H2, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 409);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "\"kept_id\":10"));
  kept("KH12", &h);
  CU_ASSERT_EQUAL(h.zDivergedAt[0], '\0');
  /* backwards */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 5, 5, H2, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 409);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "audit-diverged"));
  kept("KH12", &h);
  CU_ASSERT_NOT_EQUAL(h.zDivergedAt[0], '\0');
  CU_ASSERT_EQUAL(h.id, 10);
  CU_ASSERT_STRING_EQUAL(h.zHash, H1);
  /* the same row with another hash */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 10, 10, H2, 0, NULL), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 409);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&out), "rewritten"));
  /* further on, but row 10 is not what it was */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 12, 12, H1, 10, H2), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 409);
  /* further on, row 10 as it was: kept, the flag stays */
  T_OK(send_head("KH12", head_body(t_ctx, "KH12", 12, 12, H2, 10, H1), &status,
                 &out));
  CU_ASSERT_EQUAL(status, 200);
  kept("KH12", &h);
  CU_ASSERT_EQUAL(h.id, 12);
  CU_ASSERT_NOT_EQUAL(h.zDivergedAt[0], '\0');
  /* each refusal is in the registry's log; KH13 untouched */
  CU_ASSERT_EQUAL(central_log_count("audit.diverged"), 3);
  struct central_audit_head hb;
  CU_ASSERT_EQUAL(g_c->s->ops->audit_head_get(g_c->s, "KH13", &hb, &t_err),
                  SWS_ENOTFOUND);
  buf_release(&out);
}

static void test_audit__lost_answer_then_link_asked(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  households(2);
  g_lose = 1; /* the registry keeps the head, the office never hears */
  CU_ASSERT_NOT_EQUAL(sync_as(t_ctx, "KH12", &rep), 0);
  check(&v);
  CU_ASSERT_FALSE(v.bAcked);
  households(1);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  CU_ASSERT_EQUAL(rep.zAuditRefused[0], '\0');
  check(&v);
  CU_ASSERT(v.bAcked);
  CU_ASSERT_EQUAL(v.zAckBroken[0], '\0');
  struct central_audit_head h;
  kept("KH12", &h);
  CU_ASSERT_EQUAL(h.zDivergedAt[0], '\0');
  CU_ASSERT_EQUAL(h.id, v.acked.id);
}

static void test_audit__older_registry_leaves_head_alone(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  households(1);
  g_old = 1;
  T_OK(sync_as(t_ctx, "KH12", &rep));
  check(&v);
  CU_ASSERT_FALSE(v.bAcked);
  CU_ASSERT_EQUAL(v.zRefused[0], '\0');
  CU_ASSERT(office_count(t_ctx, "SELECT count(*) FROM sync_log WHERE "
                                "outcome = 'ok'") == 1);
}

/* ---- records changed without an operation ---- */

struct diffs {
  int n, nUnaudited;
  char zEntity[32], zLabel[64], zField[48], zNow[64], zRecorded[64];
};

static int take_diff(const struct audit_record_diff *d, void *arg)
{
  struct diffs *a = arg;
  a->nUnaudited += d->kind == AUDIT_DIFF_UNAUDITED;
  if (a->n++ == 0) {
    snprintf(a->zEntity, sizeof a->zEntity, "%s", d->zEntity);
    snprintf(a->zLabel, sizeof a->zLabel, "%s", d->zLabel);
    snprintf(a->zField, sizeof a->zField, "%s", d->zField ? d->zField : "");
    snprintf(a->zNow, sizeof a->zNow, "%s", d->zNow ? d->zNow : "");
    snprintf(a->zRecorded, sizeof a->zRecorded, "%s",
             d->zRecorded ? d->zRecorded : "");
  }
  return 0;
}

static void test_audit__household_edited_without_operation_found(void)
{
  struct diffs d;
  struct sync_audit_check v;
  int64_t n = 0;
  char zRegno[64];
  households(3);
  snprintf(zRegno, sizeof zRegno, "%s",
           t_household("Keo Ratana", 'M', "1975", "V1"));
  households(2);
  memset(&d, 0, sizeof d);
  T_OK(cases_audit_records(t_ctx, take_diff, &d, &n, &t_err));
  CU_ASSERT_EQUAL(d.n, 0);
  CU_ASSERT(n >= 12); /* six households and their members */
  /* the household moved to another village behind sws's back */
  char zSql[300];
  snprintf(zSql, sizeof zSql,
           "UPDATE household SET area_code = 'V2' WHERE "
           "regno = '%s'",
           zRegno);
  tamper(t_ctx, "household", zSql);
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0); /* the chain alone sees nothing */
  memset(&d, 0, sizeof d);
  T_OK(cases_audit_records(t_ctx, take_diff, &d, &n, &t_err));
  CU_ASSERT_EQUAL(d.n, 1);
  CU_ASSERT_STRING_EQUAL(d.zEntity, "household");
  CU_ASSERT_STRING_EQUAL(d.zLabel, zRegno);
  CU_ASSERT_STRING_EQUAL(d.zField, "area_code");
  CU_ASSERT_STRING_EQUAL(d.zNow, "'V2'");
  CU_ASSERT_STRING_EQUAL(d.zRecorded, "'V1'");
  /* a member added without an operation has no recorded change */
  tamper(
      t_ctx, "member",
      "INSERT INTO member(id, household_id, line_no, name, sex, born, "
      "relationship, created_at, updated_at) SELECT "
      "'01900000-0000-7000-8000-000000000001', id, 9, 'Nobody', 'M', "
      "'2000', 'non-relative', created_at, updated_at FROM household LIMIT 1");
  memset(&d, 0, sizeof d);
  T_OK(cases_audit_records(t_ctx, take_diff, &d, &n, &t_err));
  CU_ASSERT_EQUAL(d.n, 2);
  CU_ASSERT_EQUAL(d.nUnaudited, 0);
}

static void test_audit__deleted_rows_after_sync_leave_their_changes(void)
{
  struct sync_report rep;
  struct sync_audit_check v;
  struct diffs d;
  int64_t n = 0;
  households(2);
  T_OK(sync_as(t_ctx, "KH12", &rep));
  households(3); /* after the sync: the registry never saw them */
  /* the audit rows of those three operations deleted: they came after
   * the acknowledged head, so neither the chain nor the head sees it */
  tamper(t_ctx, "audit_log",
         "DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM "
         "audit_log)");
  check(&v);
  CU_ASSERT_EQUAL(v.chain.bad_id, 0);
  CU_ASSERT_EQUAL(v.zAckBroken[0], '\0');
  memset(&d, 0, sizeof d);
  T_OK(cases_audit_records(t_ctx, take_diff, &d, &n, &t_err));
  CU_ASSERT_EQUAL(d.nUnaudited, 3);
}

static CU_TestInfo tests[] = {
    {"test_audit__deleted_rows_after_sync_leave_their_changes",
     test_audit__deleted_rows_after_sync_leave_their_changes},
    {"test_audit__household_edited_without_operation_found",
     test_audit__household_edited_without_operation_found},
    {"test_audit__head_kept_and_acknowledged",
     test_audit__head_kept_and_acknowledged},
    {"test_audit__last_row_deleted_after_sync_is_found",
     test_audit__last_row_deleted_after_sync_is_found},
    {"test_audit__last_50_rows_deleted_found_now_and_at_sync",
     test_audit__last_50_rows_deleted_found_now_and_at_sync},
    {"test_audit__recomputed_chain_found_for_acknowledged_rows",
     test_audit__recomputed_chain_found_for_acknowledged_rows},
    {"test_audit__forged_or_foreign_head_refused",
     test_audit__forged_or_foreign_head_refused},
    {"test_audit__head_going_back_flagged",
     test_audit__head_going_back_flagged},
    {"test_audit__lost_answer_then_link_asked",
     test_audit__lost_answer_then_link_asked},
    {"test_audit__older_registry_leaves_head_alone",
     test_audit__older_registry_leaves_head_alone},
    CU_TEST_INFO_NULL,
};

static void setup_sqlite(void)
{
  g_pg = 0;
  setup();
}

CU_SuiteInfo suite_audit = {"audit", NULL, NULL, setup_sqlite, teardown, tests};

/* The same with the registry on PostgreSQL. */
static void setup_pg(void)
{
  g_pg = 1;
  setup();
}

CU_SuiteInfo suite_audit_pg = {"audit_pg", NULL,     NULL,
                               setup_pg,   teardown, tests};
