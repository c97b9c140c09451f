/*
 * test_sync.c - the sync protocol's meaning, in process: two offices and a
 * central registry joined by a transport that calls the registry directly
 * (and can lose answers on purpose). Replays, lost answers, gaps,
 * cross-office duplicates and merges, conflicts, grievance answers from
 * above. The same engine over HTTPS with real processes is in
 * tests/e2e/sync.sh.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/casefile.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/review.h"
#include "cases/user.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "sync/central.h"
#include "sync/central_grievance.h"
#include "sync/central_merge_ask.h"
#include "sync/central_move.h"
#include "sync/central_pair.h"
#include "sync/central_report.h"
#include "sync/office_summary.h"
#include "sync/summary.h"
#include "sync/engine.h"
#include "sync/fields.h"
#include "sync/office.h"
#include "sync/proto.h"
#include "tests/support.h"

static struct central *g_c;
static struct sws_ctx *g_b; /* the second office, KH13 (t_ctx is KH12) */

struct fake {
  const char *zOffice;
  int loseAnswers; /* the next N pushes are applied but their answer lost */
  int nRequests;
  /* the next N pushes are applied and refused as a replayed nonce, as
   * when libcurl resent a request whose first copy got through */
  int replayAnswers;
  size_t nBatchBytes; /* push batch size (0: 1 KiB, a mutation or two) */
  int nGaps; /* pushes the registry answered 409: sent out of order */
  int bSummaries; /* the registry takes summaries (else 404, as before) */
};
/* the next N merge requests are applied and their answers lost */
static int g_loseMerges;

static int fake_request(void *arg, const char *zMethod, const char *zPath,
                        const char *zBody, size_t nBody, int *pStatus,
                        struct buf *resp, int *pRetryAfter,
                        struct sws_err *err)
{
  struct fake *f = arg;
  *pRetryAfter = -1;
  f->nRequests++;
  if (strcmp(zPath, "/v1/hello") == 0) {
    central_hello(g_c, resp);
    *pStatus = 200;
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/push") == 0) {
    struct sws_err e = SWS_ERR_INIT;
    int rc = central_push(g_c, f->zOffice, zBody, nBody, pStatus, resp, &e);
    f->nGaps += *pStatus == 409;
    if (rc != 0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    if (f->loseAnswers > 0) {
      f->loseAnswers--;
      buf_reset(resp);
      return sws_err_set(err, SWS_ENET, "connection cut (test)");
    }
    if (f->replayAnswers > 0) {
      f->replayAnswers--;
      buf_reset(resp);
      buf_puts(resp, "{\"error\":\"replay\",\"message\":\"this request "
                     "was already received (a replayed nonce)\"}");
      *pStatus = 401;
    }
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/summary") == 0 &&
      f->bSummaries) {
    struct sws_err e = SWS_ERR_INIT;
    if (central_summary_receive(g_c, f->zOffice, zBody, nBody, pStatus,
                                &e) != 0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/reconcile") == 0) {
    struct sws_err e = SWS_ERR_INIT;
    if (central_reconcile(g_c, f->zOffice, zBody, nBody, pStatus, resp,
                          &e) != 0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/move") == 0) {
    struct sws_err e = SWS_ERR_INIT;
    if (central_move(g_c, f->zOffice, zBody, nBody, pStatus, resp, &e) != 0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/merge") == 0) {
    struct sws_err e = SWS_ERR_INIT;
    if (central_merge_ask(g_c, f->zOffice, zBody, nBody, pStatus, resp, &e) !=
        0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    if (g_loseMerges > 0) {
      g_loseMerges--;
      buf_reset(resp);
      return sws_err_set(err, SWS_ENET, "connection cut (test)");
    }
    return 0;
  }
  if (strncmp(zPath, "/v1/feed?", 9) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    struct sws_err e = SWS_ERR_INIT;
    int rc = central_feed(g_c, f->zOffice, zCur ? zCur + 7 : "", 2048,
                          pStatus, resp, &e);
    if (rc != 0) {
      buf_reset(resp);
      buf_appendf(resp, "{\"message\":\"%s\"}", e.msg);
    }
    return 0;
  }
  *pStatus = 404;
  return 0;
}

static void no_sleep(void *arg, int ms)
{
  (void)arg;
  (void)ms;
}

static int sync_office(struct sws_ctx *ctx, struct fake *f,
                       struct sync_report *rep)
{
  struct sync_transport t = {fake_request, NULL, f};
  struct sync_opts o = {.nBatchBytes = f->nBatchBytes ? f->nBatchBytes : 1024,
                        .nPageBytes = 2048,
                        .nAttempts = 3,
                        .sleep_ms = no_sleep};
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

static char g_dir[256];
static int g_pg; /* the registry on PostgreSQL (suite sync_pg) */
static char g_zCentral[700]; /* where the registry of the test is */

static void setup(void)
{
  char zPath[700];
  t_office_setup();
  g_b = t_office_new("KH13");
  snprintf(g_dir, sizeof g_dir, "%s", t_tmpdir());
  if (g_pg)
    snprintf(zPath, sizeof zPath, "%s", t_pg_url());
  else
    snprintf(zPath, sizeof zPath, "%s/central.db", g_dir);
  snprintf(g_zCentral, sizeof g_zCentral, "%s", zPath);
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

static int64_t count(struct sws_ctx *ctx, const char *zSql)
{
  int64_t n = -1;
  CU_ASSERT_EQUAL(db_int64(ctx->db, &n, -1, zSql, &t_err), 0);
  return n;
}

static const char *reg(struct sws_ctx *ctx, const char *zHead,
                       const char *zNid, char *zOut)
{
  /* the child is named after the parent, so households of different
   * parents are not duplicates through their children */
  char zChild[160];
  snprintf(zChild, sizeof zChild, "%s Kon", zHead);
  struct member_input m[2] = {
      {zHead, 'F', "1984", REL_HEAD, zNid, NULL, 0},
      {zChild, 'M', "2012", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {"V1", NULL, NULL, NULL, m, 2, "test"};
  if (cases_household_create(ctx, &in, zOut, NULL, &t_err) != 0)
    CU_FAIL_FATAL("register");
  return zOut;
}

static void test_sync__push_then_pull_keys(void)
{
  struct fake f = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_stats st;
  char z[SWS_NUMBER_MAX];
  reg(t_ctx, "សុខ ចាន់ធី", NULL, z);
  reg(t_ctx, "Keo Ratana", NULL, z);
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
  CU_ASSERT(rep.batches >= 2); /* 2 KiB batches */
  CU_ASSERT_EQUAL(rep.c.rejected, 0);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2);
  CU_ASSERT_EQUAL(st.nMembers, 4);
  /* the office learnt both offices' keys from its feed */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM office_key"), 2);
  /* a second session has nothing to do */
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.batches, 0);
  CU_ASSERT_EQUAL(rep.c.items, 0);
}

static void test_sync__lost_answers_are_resent_without_doubling(void)
{
  struct fake f = {"KH12", 2, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_stats st;
  char z[SWS_NUMBER_MAX];
  reg(t_ctx, "Sok Dara", NULL, z);
  /* two answers lost: the batch is resent byte for byte, the registry
   * answers it from the verdicts it stored the first time */
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 1);
  CU_ASSERT_EQUAL(st.nMembers, 2);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch"), 0);
  /* more answers lost than tries: the batch stays frozen for next time,
   * marked as tried, and so does the one frozen after it meanwhile */
  reg(t_ctx, "Keo Samnang", NULL, z);
  f.loseAnswers = 5;
  CU_ASSERT_NOT_EQUAL(sync_office(t_ctx, &f, &rep), 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch WHERE "
                               "attempts > 0"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch WHERE "
                               "attempts > 0 AND first_seq = (SELECT "
                               "min(first_seq) FROM sync_batch)"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch"), 2);
  f.loseAnswers = 0;
  T_OK(sync_office(t_ctx, &f, &rep));
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2);
  CU_ASSERT_EQUAL(st.nMembers, 4);
  /* batches frozen ahead went in their order, each after the one before
   * was answered: the registry never saw a gap */
  CU_ASSERT_EQUAL(f.nGaps, 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch"), 0);
}

static void test_sync__replayed_nonce_is_signed_again(void)
{
  struct fake f = {"KH12", 0, 0, 1, 8192, 0, 0}; /* a registration per batch */
  struct sync_report rep;
  struct central_stats st;
  char z[SWS_NUMBER_MAX];
  reg(t_ctx, "Sok Dara", NULL, z);
  /* hello, the refused push, the same batch again, one feed page, the
   * audit chain head (404 from this registry) */
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(f.nRequests, 5);
  CU_ASSERT_EQUAL(rep.pending, 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch"), 0);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 1);
  CU_ASSERT_EQUAL(st.nMembers, 2);
  /* refused every time: the session fails saying nothing is lost, and the
   * batch waits for the next one */
  reg(t_ctx, "Keo Samnang", NULL, z);
  f.replayAnswers = 5;
  CU_ASSERT_NOT_EQUAL(sync_office(t_ctx, &f, &rep), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "nothing is lost"));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_batch"), 1);
}

static void test_sync__replayed_batch_changes_nothing(void)
{
  struct fake f = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct buf resp = BUF_INIT;
  struct sync_batch b;
  int have, status;
  char z[SWS_NUMBER_MAX];
  reg(t_ctx, "Sok Dara", NULL, z);
  T_OK(sync_batch_next(t_ctx, 1 << 20, &b, &have, &t_err));
  CU_ASSERT_EQUAL_FATAL(have, 1);
  T_OK(central_push(g_c, "KH12", b.zBody, b.nBody, &status, &resp, &t_err));
  CU_ASSERT_EQUAL(status, 200);
  buf_reset(&resp);
  T_OK(central_push(g_c, "KH12", b.zBody, b.nBody, &status, &resp, &t_err));
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "\"applied\""));
  struct central_stats st;
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nMembers, 2);
  buf_release(&resp);
  sync_batch_release(&b);
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
}

static void test_sync__gap_is_resent_from_where_the_registry_is(void)
{
  struct fake f = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_office o;
  char z[SWS_NUMBER_MAX];
  reg(t_ctx, "Sok Dara", NULL, z);
  T_OK(sync_office(t_ctx, &f, &rep));
  /* the registry is restored from an old backup: it has nothing from us */
  T_OK(g_c->s->ops->office_get(g_c->s, "KH12", &o, &t_err));
  o.ack = 0;
  T_OK(g_c->s->ops->office_put(g_c->s, &o, &t_err));
  reg(t_ctx, "Keo Samnang", NULL, z);
  T_OK(sync_office(t_ctx, &f, &rep));
  T_OK(g_c->s->ops->office_get(g_c->s, "KH12", &o, &t_err));
  CU_ASSERT_EQUAL(o.ack, count(t_ctx, "SELECT max(seq) FROM outbox"));
  struct central_stats st;
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2);
}

/* An office's insert that leaves out fields (a household with no address
 * or phone): the registry stores them empty. It read each typed column
 * from the decoded fields without asking whether the field was there, and
 * a push like this one crashed it (found by fuzz/fuzz_proto.c). */
static void test_sync__insert_without_optional_fields_is_stored(void)
{
  struct buf resp = BUF_INIT;
  struct central_stats st;
  int status = 0;
  const char body[] =
      "{\"proto\":1,\"device\":\"KH12\",\"batch\":\"b1\",\"first\":1,"
      "\"last\":1,\"m\":[{\"s\":1,\"e\":\"household\",\"i\":\"01900000-"
      "0000-7000-8000-000000000003\",\"o\":\"insert\",\"f\":{\"regno\":"
      "\"KH12-000001-E\",\"area_code\":\"KH12\",\"status\":\"active\","
      "\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":\"x\"},"
      "\"b\":\"x\",\"t\":"
      "\"2026-01-01T00:00:00Z\"}]}";
  T_OK(central_push(g_c, "KH12", body, sizeof body - 1, &status, &resp,
                    &t_err));
  CU_ASSERT_EQUAL(status, 200);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 1);
  char *zFields = NULL;
  T_OK(g_c->s->ops->record_get(g_c->s, "household",
                               "01900000-0000-7000-8000-000000000003",
                               &zFields, NULL, &t_err));
  CU_ASSERT_PTR_NOT_NULL(zFields ? strstr(zFields, "KH12-000001-E") : NULL);
  free(zFields);
  buf_release(&resp);
}

/* The field zField of record zId of zEntity at the registry (into z). */
static void central_field(const char *zEntity, const char *zId,
                          const char *zField, char *z, size_t n)
{
  char *zFields = NULL;
  z[0] = '\0';
  T_OK(g_c->s->ops->record_get(g_c->s, zEntity, zId, &zFields, NULL, &t_err));
  json_t *j = json_loads(zFields ? zFields : "{}", 0, NULL);
  json_t *v = json_object_get(j, zField);
  snprintf(z, n, "%s",
           json_is_string(v) ? json_string_value(v)
           : json_is_null(v) ? "(null)"
                             : "(other)");
  json_decref(j);
  free(zFields);
}

/* Text that quoting gets wrong (quotes, backslashes, braces, commas, as
 * in PostgreSQL's array and JSON syntax; Khmer) reaches the registry as
 * it was typed, in a record inserted and in one updated; an absent value
 * stays absent, not the text "null". */
static void test_sync__awkward_text_is_stored_exactly(void)
{
  struct fake f = {"KH12", 0, 0, 0, (size_t)1 << 20, 0, 0};
  struct sync_report rep;
  struct household h;
  char z[SWS_NUMBER_MAX], zGot[600];
  const char *zName = "Sok \"Dara\" {a,b} \\ NULL សុខ";
  const char *zAddress = "\"Road 1\", {Unit\\2}, ភូមិ ១ NULL";
  reg(t_ctx, zName, NULL, z);
  T_OK(sync_office(t_ctx, &f, &rep));
  struct household_edit e = {NULL, zAddress, "012345678"};
  T_OK(cases_household_edit(t_ctx, z, &e, &t_err));
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
  T_OK(cases_household_get(t_ctx, z, &h, &t_err));
  central_field("member", h.aMember[0].zId, "name", zGot, sizeof zGot);
  CU_ASSERT_STRING_EQUAL(zGot, zName);
  central_field("member", h.aMember[0].zId, "national_id", zGot, sizeof zGot);
  CU_ASSERT_STRING_EQUAL(zGot, "(null)");
  central_field("household", h.zId, "address", zGot, sizeof zGot);
  CU_ASSERT_STRING_EQUAL(zGot, zAddress);
  central_field("household", h.zId, "phone", zGot, sizeof zGot);
  CU_ASSERT_STRING_EQUAL(zGot, "012345678");
  cases_household_release(&h);
}

static void test_sync__rejected_mutation_is_quarantined(void)
{
  struct buf resp = BUF_INIT;
  int status;
  const char body[] =
      "{\"proto\":1,\"device\":\"KH12\",\"batch\":\"b1\",\"first\":1,"
      "\"last\":2,\"m\":[{\"s\":1,\"e\":\"spaceship\",\"i\":\"01900000-0000-"
      "7000-8000-000000000001\",\"o\":\"insert\",\"f\":{},\"b\":\"x\",\"t\":"
      "\"2026-01-01T00:00:00Z\"},{\"s\":2,\"e\":\"household\",\"i\":\"019000"
      "00-0000-7000-8000-000000000002\",\"o\":\"update\",\"f\":{\"phone\":"
      "\"012345678\"},\"b\":\"x\",\"t\":\"2026-01-01T00:00:00Z\"}]}";
  T_OK(central_push(g_c, "KH12", body, sizeof body - 1, &status, &resp,
                    &t_err));
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "\"ack\":2"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "unknown entity"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "no such record"));
  /* the office records them and goes on */
  struct proto_push_reply r;
  T_OK(proto_reply_decode(&r, resp.z, resp.n, &t_err));
  struct sync_batch b = {"b1", 1, 2, NULL, 0, 0};
  struct sync_counts c = {0, 0, 0, 0, 0, 0};
  T_OK(sync_batch_done(t_ctx, &b, &r, &c, &t_err));
  CU_ASSERT_EQUAL(c.rejected, 2);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_verdict WHERE "
                               "verdict = 'rejected'"),
                  2);
  proto_reply_release(&r);
  buf_release(&resp);
  /* malformed bodies get 400 and change nothing */
  buf_init(&resp, 4096);
  CU_ASSERT_NOT_EQUAL(central_push(g_c, "KH12", "{\"proto\":1}", 11,
                                   &status, &resp, &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 400);
  CU_ASSERT_NOT_EQUAL(central_push(g_c, "KH99", body, sizeof body - 1,
                                   &status, &resp, &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  buf_release(&resp);
}

struct dup {
  int n;
  char zA[48], zB[48];
};

static int one_dup(int64_t id, const struct central_household *a,
                   const struct central_household *b, double score,
                   const char *zReasons, const char *zStatus, void *arg)
{
  struct dup *d = arg;
  (void)id;
  (void)score;
  (void)zReasons;
  (void)zStatus;
  snprintf(d->zA, sizeof d->zA, "%s", a->zRegno);
  snprintf(d->zB, sizeof d->zB, "%s", b->zRegno);
  d->n++;
  return 0;
}

/* Two new households under one number in the same batch (an office that
 * went back in time within a batch, or a tampered one): both are kept and
 * the pair is listed for review, as when the first came in an earlier
 * batch; on PostgreSQL the batch's own households are searched in memory */
static void test_sync__number_twice_in_one_batch_is_listed(void)
{
  char z[SWS_NUMBER_MAX], zId[SWS_UUID_LEN + 1];
  struct sync_batch b;
  struct buf resp = BUF_INIT;
  struct dup d = {0, "", ""};
  int have = 0, status = 0;
  reg(t_ctx, "Sok Dara", NULL, z);
  T_OK(sync_batch_next(t_ctx, (size_t)1 << 20, &b, &have, &t_err));
  CU_ASSERT_EQUAL_FATAL(have, 1);
  json_t *j = json_loadb(b.zBody, b.nBody, 0, NULL), *m = NULL, *x;
  size_t i;
  json_array_foreach(json_object_get(j, "m"), i, x)
    if (strcmp(json_string_value(json_object_get(x, "e")), "household") == 0)
      m = json_deep_copy(x);
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  sws_uuid7(zId);
  json_object_set_new(m, "i", json_string(zId));
  json_object_set_new(m, "s", json_integer((json_int_t)b.last + 1));
  json_array_append_new(json_object_get(j, "m"), m);
  json_object_set_new(j, "last", json_integer((json_int_t)b.last + 1));
  char *zBody = json_dumps(j, JSON_COMPACT);
  T_OK(central_push(g_c, "KH12", zBody, strlen(zBody), &status, &resp,
                    &t_err));
  CU_ASSERT_EQUAL(status, 200);
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL(d.n, 1);
  CU_ASSERT_STRING_EQUAL(d.zA, z);
  CU_ASSERT_STRING_EQUAL(d.zB, z);
  struct central_stats st;
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2);
  free(zBody);
  json_decref(j);
  buf_release(&resp);
  sync_batch_release(&b);
}

/* A household registered at ctx in village zArea, head zHead born
 * zBorn. */
static void reg_born(struct sws_ctx *ctx, const char *zHead,
                     const char *zArea, const char *zBorn, char *zOut)
{
  struct member_input m[1] = {{zHead, 'M', zBorn, REL_HEAD, NULL, NULL, 0}};
  struct household_input in = {zArea, NULL, NULL, NULL, m, 1, "test"};
  if (cases_household_create(ctx, &in, zOut, NULL, &t_err) != 0)
    CU_FAIL_FATAL("register");
}

/* A household registered at ctx in village zArea, head zHead. */
static void reg_in(struct sws_ctx *ctx, const char *zHead, const char *zArea,
                   char *zOut)
{
  struct member_input m[1] = {{zHead, 'M', "1950", REL_HEAD, NULL, NULL, 0}};
  struct household_input in = {zArea, NULL, NULL, NULL, m, 1, "test"};
  if (cases_household_create(ctx, &in, zOut, NULL, &t_err) != 0)
    CU_FAIL_FATAL("register");
}

static const struct report_cell *central_cell(const struct report *r,
                                              const char *zCode,
                                              const char *zArea, int dim,
                                              const char *zCat)
{
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    if (strcmp(c->zIndicator, zCode) == 0 && c->dim == dim &&
        (zArea[0] ? !c->bScope && strcmp(c->zArea, zArea) == 0 : c->bScope) &&
        strcmp(dim == REPORT_CATEGORY ? c->zCat : "", zCat) == 0)
      return c;
  }
  return NULL;
}

/* people_registered in age group zAge at the scope of report r */
static double central_age(const struct report *r, const char *zAge)
{
  for (int i = 0; i < r->nCell; i++)
    if (strcmp(r->aCell[i].zIndicator, "people_registered") == 0 &&
        r->aCell[i].bScope && r->aCell[i].dim == REPORT_AGE &&
        strcmp(r->aCell[i].zAge, zAge) == 0)
      return r->aCell[i].value;
  CU_FAIL("no such age group");
  return -1;
}

static double central_val(const struct report *r, const char *zCode,
                          const char *zArea, int dim, const char *zCat)
{
  const struct report_cell *c = central_cell(r, zCode, zArea, dim, zCat);
  CU_ASSERT_PTR_NOT_NULL(c);
  return c ? c->value : -1;
}

/* The registry's report (both stores): two offices' households counted
 * by the registry's villages and communes up to the nation, a family
 * merged across offices counted once, an office that has not pushed for a
 * week named, what the registry does not hold left out, small counts
 * hidden. */
static void test_sync__central_report_compiles_offices(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct area_load_report ar;
  struct report_set *set = NULL;
  struct report r;
  struct report_opts o = REPORT_OPTS_INIT;
  struct dup d = {0, "", ""};
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], z[SWS_NUMBER_MAX];
  T_OK(central_area_load(g_c, t_areas_csv, strlen(t_areas_csv), &ar,
                         &t_err));
  CU_ASSERT_EQUAL(ar.nAdded, 7);
  buf_release(&ar.errors);
  setenv("SWS_NOW", "2026-03-05T09:00:00Z", 1);
  reg(t_ctx, "សុខ ចាន់ធី", "N777", zA);
  reg(g_b, "សុខ​ចាន់ធី", NULL, zB); /* the same family, at KH13 */
  reg_in(t_ctx, "Chan Thy", "V1", z);
  reg_in(t_ctx, "Keo Sina", "V2", z);
  reg_in(g_b, "Lim Bora", "V3", z);
  reg_in(g_b, "Mao Rith", "V3", z);
  reg_born(t_ctx, "Sok Eighteen", "V2", "2008-03-31", z);
  reg_born(t_ctx, "Sok Seventeen", "V2", "2008-04-01", z);
  reg_born(t_ctx, "Sok Sixty", "V2", "1966-03", z);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL_FATAL(d.n, 1);
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(report_set_load_default(&set, &t_err));
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  o.layer = AREA_VILLAGE;
  o.suppress = 0;
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_STRING_EQUAL(r.zScope, "national");
  /* V1: the merged family once, and KH12's other */
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "V1", 0, ""), 2);
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "V2", 0, ""), 4);
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "V3", 0, ""), 2);
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "", 0, ""), 8);
  CU_ASSERT_EQUAL(central_val(&r, "people_registered", "", 0, ""), 9);
  /* the registry groups ages in SQL as the office's engine does in C:
   * on the period's last day, a birth day that is the cut-off included */
  CU_ASSERT_EQUAL(central_age(&r, "0-17"), 2);  /* 2012, 2008-04-01 */
  CU_ASSERT_EQUAL(central_age(&r, "18-59"), 2); /* 1984, 2008-03-31 */
  CU_ASSERT_EQUAL(central_age(&r, "60+"), 5);   /* 1966-03, four of 1950 */
  struct report ro;
  T_OK(report_run(t_ctx, set, &o, &ro, &t_err));
  CU_ASSERT_EQUAL(central_age(&ro, "0-17"), 2);
  CU_ASSERT_EQUAL(central_age(&ro, "18-59"), 2);
  CU_ASSERT_EQUAL(central_age(&ro, "60+"), 3); /* KH12's own */
  report_release(&ro);
  /* the office's own figures stay out: no deadlines, no coverage gap */
  CU_ASSERT_PTR_NULL(
      central_cell(&r, "grievance_deadlines_missed", "", 0, ""));
  CU_ASSERT_PTR_NULL(central_cell(&r, "eligible_not_enrolled", "", 0, ""));
  report_release(&r);
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  o.layer = AREA_COMMUNE;
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "C1", 0, ""), 6);
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "C2", 0, ""), 2);
  report_release(&r);
  /* January 2099: KH12 pushed three days before its end, KH13 last in
   * March 2026 (both enrolled before it) */
  setenv("SWS_NOW", "2099-01-28T09:00:00Z", 1);
  reg_in(t_ctx, "Ouk Vanna", "V2", z);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(report_period_parse("2099-01", &o.period, &t_err));
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_EQUAL(central_val(&r, "offices_not_synced", "", 0, ""), 1);
  CU_ASSERT_EQUAL(central_val(&r, "offices_not_synced", "",
                              REPORT_CATEGORY, "KH13"),
                  1);
  CU_ASSERT_PTR_NULL(
      central_cell(&r, "offices_not_synced", "", REPORT_CATEGORY, "KH12"));
  report_release(&r);
  /* KH13 pushes late in February: January is still what it was then,
   * February has both offices synced */
  setenv("SWS_NOW", "2099-02-25T09:00:00Z", 1);
  reg_in(g_b, "Mao Vanna", "V3", z);
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_EQUAL(central_val(&r, "offices_not_synced", "",
                              REPORT_CATEGORY, "KH13"),
                  1);
  report_release(&r);
  T_OK(report_period_parse("2099-02", &o.period, &t_err));
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_PTR_NULL(
      central_cell(&r, "offices_not_synced", "", REPORT_CATEGORY, "KH13"));
  report_release(&r);
  T_OK(report_period_parse("2099-01", &o.period, &t_err));
  /* as shown above the offices: nothing from 1 to 4 */
  o.suppress = 5;
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  for (int i = 0; i < r.nCell; i++)
    if (r.aCell[i].bCount && !r.aCell[i].bHidden)
      CU_ASSERT(r.aCell[i].value == 0 || r.aCell[i].value >= 5);
  report_release(&r);
  report_set_free(set);
  unsetenv("SWS_NOW");
}

struct diffs {
  int n;
  char zLast[200];
};

static int one_diff(void *arg, const struct summary_diff *d)
{
  struct diffs *x = arg;
  x->n++;
  snprintf(x->zLast, sizeof x->zLast, "%s %s %s %lld %lld", d->zOffice,
           d->zPeriod, d->zIndicator, (long long)d->office,
           (long long)d->registry);
  return 0;
}

/* The signed summaries (both stores): sent with the sync for the months
 * closed lately, each once; the registry's own count agrees; a summary
 * whose values differ from the records is listed by --check; one changed
 * after it was signed, or of another office, is refused. */
static void test_sync__summaries_signed_sent_and_checked(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 1};
  struct sync_report rep;
  struct report_set *set = NULL;
  struct diffs d = {0, ""};
  char z[SWS_NUMBER_MAX];
  int nChecked = 0, status = 0;
  setenv("SWS_NOW", "2099-01-15T09:00:00Z", 1);
  reg_in(t_ctx, "Chan Thy", "V1", z);
  reg_in(t_ctx, "Keo Sina", "V2", z);
  setenv("SWS_NOW", "2099-02-10T09:00:00Z", 1);
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.summaries, SUMMARY_MONTHS);
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.summaries, 0); /* each month once */
  T_OK(report_set_load_default(&set, &t_err));
  T_OK(central_report_check(g_c, set, one_diff, &d, &nChecked, &t_err));
  CU_ASSERT_EQUAL(nChecked, SUMMARY_MONTHS);
  CU_ASSERT_EQUAL(d.n, 0);
  if (d.n)
    fprintf(stderr, "\n  unexpected difference: %s\n", d.zLast);
  /* a summary that says more than the registry holds */
  unsigned char sk[SWS_SK_BYTES];
  T_OK(cases_office_secret_key(t_ctx, sk, &t_err));
  json_t *v = json_pack("{s:i, s:i}", "households_registered", 3,
                        "people_registered", 2);
  char *zJson = summary_make("KH12", "2099-01", 1, "2099-02-10T09:00:00Z", v,
                             sk);
  T_OK(central_summary_receive(g_c, "KH12", zJson, strlen(zJson), &status,
                               &t_err));
  CU_ASSERT_EQUAL(status, 200);
  d.n = 0;
  T_OK(central_report_check(g_c, set, one_diff, &d, &nChecked, &t_err));
  CU_ASSERT_EQUAL(d.n, 1);
  CU_ASSERT_STRING_EQUAL(d.zLast, "KH12 2099-01 households_registered 3 2");
  /* changed on the way: refused, and what was kept stays */
  char *p = strstr(zJson, "\"households_registered\":3");
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  p[strlen("\"households_registered\":")] = '9';
  CU_ASSERT_NOT_EQUAL(central_summary_receive(g_c, "KH12", zJson,
                                              strlen(zJson), &status,
                                              &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 400);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "signature does not match"));
  free(zJson);
  /* KH12's key cannot speak for KH13, nor KH13's device for KH12 */
  zJson = summary_make("KH13", "2099-01", 1, "2099-02-10T09:00:00Z", v, sk);
  CU_ASSERT_NOT_EQUAL(central_summary_receive(g_c, "KH12", zJson,
                                              strlen(zJson), &status,
                                              &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  CU_ASSERT_NOT_EQUAL(central_summary_receive(g_c, "KH13", zJson,
                                              strlen(zJson), &status,
                                              &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 400); /* not KH13's signature */
  free(zJson);
  /* a revoked office's summary is refused, even well signed */
  T_OK(central_office_revoke(g_c, "KH12", &t_err));
  zJson = summary_make("KH12", "2099-01", 1, "2099-02-10T09:00:00Z", v, sk);
  CU_ASSERT_NOT_EQUAL(central_summary_receive(g_c, "KH12", zJson,
                                              strlen(zJson), &status,
                                              &t_err),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "revoked"));
  free(zJson);
  sodium_memzero(sk, sizeof sk);
  json_decref(v);
  d.n = 0;
  T_OK(central_report_check(g_c, set, one_diff, &d, &nChecked, &t_err));
  CU_ASSERT_EQUAL(d.n, 1);
  report_set_free(set);
  unsetenv("SWS_NOW");
}

/* Every cell of a and b the same (texts, values, counts, hidden). */
static int same_cells(const struct report *a, const struct report *b)
{
  if (a->nCell != b->nCell)
    return 0;
  for (int i = 0; i < a->nCell; i++) {
    const struct report_cell *x = &a->aCell[i], *y = &b->aCell[i];
    if (strcmp(x->zIndicator, y->zIndicator) || strcmp(x->zArea, y->zArea) ||
        strcmp(x->zAreaName, y->zAreaName) ||
        strcmp(x->zAreaLevel, y->zAreaLevel) || x->bScope != y->bScope ||
        x->dim != y->dim || strcmp(x->zSex, y->zSex) ||
        strcmp(x->zAge, y->zAge) || strcmp(x->zDisability, y->zDisability) ||
        strcmp(x->zCatType, y->zCatType) || strcmp(x->zCat, y->zCat) ||
        x->n != y->n || x->bCount != y->bCount || x->bHidden != y->bHidden ||
        (isnan(x->value) ? !isnan(y->value) : x->value != y->value))
      return 0;
  }
  return 1;
}

static int kept_body(void *arg, int nCol, const char *const *az)
{
  char **pz = arg;
  if (nCol > 0 && az[0])
    *pz = sws_strdup(az[0]);
  return 1;
}

/* Kept reports (both stores): a closed month's reports counted once and
 * kept are read back cell for cell as counted, for the same options only;
 * a record of that month pushed later is told (devices pushed since) and
 * --fresh counts it; an open month is not kept; a kept text edited behind
 * the registry's back, or another report's put under its key, is not
 * used: the report is counted afresh and the reason given. */
static void test_sync__kept_report_is_the_counted_one(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct area_load_report ar;
  struct report_set *set = NULL;
  struct report_period p;
  struct report k, f;
  struct central_report_how how;
  struct report_opts o = REPORT_OPTS_INIT;
  char z[SWS_NUMBER_MAX];
  int nKept = 0;
  T_OK(central_area_load(g_c, t_areas_csv, strlen(t_areas_csv), &ar, &t_err));
  buf_release(&ar.errors);
  setenv("SWS_NOW", "2026-03-05T09:00:00Z", 1);
  for (int i = 0; i < 6; i++)
    reg_in(t_ctx, i % 2 ? "Chan Thy" : "Keo Sina", i % 3 ? "V1" : "V2", z);
  reg_in(g_b, "Lim Bora", "V3", z);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(report_set_load_default(&set, &t_err));
  T_OK(report_period_parse("2026-03", &p, &t_err));
  /* March is not over: nothing kept, nothing read */
  CU_ASSERT_EQUAL(
      central_report_keep(g_c, set, &p, 5, NULL, NULL, &nKept, &t_err),
      SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "has not ended"));
  CU_ASSERT_EQUAL(nKept, 0);
  setenv("SWS_NOW", "2026-04-02T01:00:00Z", 1);
  T_OK(central_report_keep(g_c, set, &p, 5, NULL, NULL, &nKept, &t_err));
  CU_ASSERT_EQUAL(nKept, 4);
  o.period = p;
  o.suppress = 5;
  const int aLayer[] = {0, AREA_PROVINCE, AREA_DISTRICT, AREA_COMMUNE};
  for (int i = 0; i < 4; i++) {
    o.layer = aLayer[i];
    T_OK(central_report_get(g_c, set, &o, 0, &k, &how, &t_err));
    CU_ASSERT_EQUAL(how.bKept, 1);
    CU_ASSERT_STRING_EQUAL(how.zKeptAt, "2026-04-02T01:00:00Z");
    CU_ASSERT_EQUAL(how.nPushedSince, 0);
    T_OK(central_report(g_c, set, &o, &f, &t_err));
    CU_ASSERT(f.nCell > 0);
    CU_ASSERT(same_cells(&k, &f));
    CU_ASSERT_STRING_EQUAL(k.zScope, f.zScope);
    CU_ASSERT_STRING_EQUAL(k.zLayer, f.zLayer);
    report_release(&k);
    report_release(&f);
  }
  /* one indicator, from the kept report of all */
  o.layer = AREA_COMMUNE;
  o.zOnly = "households_registered";
  T_OK(central_report_get(g_c, set, &o, 0, &k, &how, &t_err));
  CU_ASSERT_EQUAL(how.bKept, 1);
  T_OK(central_report(g_c, set, &o, &f, &t_err));
  CU_ASSERT(same_cells(&k, &f));
  CU_ASSERT_EQUAL(central_val(&k, "households_registered", "C1", 0, ""), 6);
  report_release(&k);
  report_release(&f);
  o.zOnly = NULL;
  /* other options are counted: by village, one area, other suppression,
   * other age groups, asked fresh */
  struct report_opts other[5];
  for (int i = 0; i < 5; i++)
    other[i] = o;
  other[0].layer = AREA_VILLAGE;
  other[1].zArea = "C1";
  other[2].suppress = 3;
  other[3].zAges = "0-14,15-64,65+";
  for (int i = 0; i < 5; i++) {
    T_OK(central_report_get(g_c, set, &other[i], i == 4, &k, &how, &t_err));
    CU_ASSERT_EQUAL(how.bKept, 0);
    CU_ASSERT_STRING_EQUAL(how.zWhy, "");
    report_release(&k);
  }
  /* a household of March that reaches the registry in April: the kept
   * report shows March as counted, says a device pushed since, and
   * --fresh counts it */
  setenv("SWS_NOW", "2026-03-30T09:00:00Z", 1);
  reg_in(g_b, "Mao Rith", "V3", z);
  setenv("SWS_NOW", "2026-04-03T09:00:00Z", 1);
  T_OK(sync_office(g_b, &fb, &rep));
  o.layer = 0;
  o.suppress = 2;
  T_OK(central_report_keep(g_c, set, &p, 2, NULL, NULL, &nKept, &t_err));
  setenv("SWS_NOW", "2026-04-03T10:00:00Z", 1);
  reg_in(g_b, "Mao Sophea", "V3", z);
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_report_get(g_c, set, &o, 0, &k, &how, &t_err));
  CU_ASSERT_EQUAL(how.bKept, 1);
  CU_ASSERT_EQUAL(how.nPushedSince, 1);
  CU_ASSERT_EQUAL(central_val(&k, "households_registered", "", 0, ""), 8);
  report_release(&k);
  setenv("SWS_NOW", "2026-03-31T09:00:00Z", 1);
  reg_in(g_b, "Mao Dara", "V3", z);
  setenv("SWS_NOW", "2026-04-03T11:00:00Z", 1);
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_report_get(g_c, set, &o, 0, &k, &how, &t_err));
  CU_ASSERT_EQUAL(how.bKept, 1);
  CU_ASSERT_EQUAL(central_val(&k, "households_registered", "", 0, ""), 8);
  report_release(&k);
  T_OK(central_report_get(g_c, set, &o, 1, &k, &how, &t_err));
  CU_ASSERT_EQUAL(how.bKept, 0);
  CU_ASSERT_EQUAL(central_val(&k, "households_registered", "", 0, ""), 9);
  report_release(&k);
  /* tampered with: text that is not a report, then the commune report's
   * text under the nation's key */
  char zKey[512], *zCommune = NULL;
  snprintf(zKey, sizeof zKey, "2026-03-01..2026-03-31|total|%s|2|%s",
           report_set_ages(set), report_set_digest(set));
  const char *v[1] = {zKey};
  T_OK(g_c->s->ops->read_rows(g_c->s,
                              "SELECT body FROM report_kept WHERE key = $1", 1,
                              v, kept_body, &zCommune, &t_err));
  CU_ASSERT_PTR_NOT_NULL_FATAL(zCommune); /* the key is as built */
  free(zCommune);
  zCommune = NULL;
  const char *w[1] = {"commune"};
  T_OK(g_c->s->ops->read_rows(g_c->s,
                              "SELECT body FROM report_kept WHERE layer = $1",
                              1, w, kept_body, &zCommune, &t_err));
  CU_ASSERT_PTR_NOT_NULL_FATAL(zCommune);
  const char *azBad[] = {"{\"codec\": 1, \"cells\": [[0, 99999]]}", "[",
                         zCommune};
  for (int i = 0; i < 3; i++) {
    T_OK(g_c->s->ops->begin(g_c->s, &t_err));
    T_OK(g_c->s->ops->report_put(g_c->s, zKey, "2026-03", "national",
                                 "2026-04-02T01:00:00Z", azBad[i], &t_err));
    T_OK(g_c->s->ops->commit(g_c->s, &t_err));
    T_OK(central_report_get(g_c, set, &o, 0, &k, &how, &t_err));
    CU_ASSERT_EQUAL(how.bKept, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(how.zWhy, "kept report"));
    CU_ASSERT_EQUAL(central_val(&k, "households_registered", "", 0, ""), 9);
    report_release(&k);
  }
  free(zCommune);
  report_set_free(set);
  unsetenv("SWS_NOW");
}

static void test_sync__same_family_at_two_offices_is_merged(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct dup d = {0, "", ""};
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zOther[SWS_NUMBER_MAX];
  reg(t_ctx, "សុខ ចាន់ធី", "N777", zA);
  reg(t_ctx, "Someone Else", NULL, zOther);
  reg(g_b, "សុខ​ចាន់ធី", NULL, zB); /* typed differently, no ID */
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL_FATAL(d.n, 1);
  T_OK(central_merge(g_c, zA, zB, &t_err));
  CU_ASSERT_EQUAL(central_merge(g_c, zA, zB, &t_err), SWS_ECONFLICT);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  /* office B: its copy stepped aside, its number leads to the survivor */
  char zId[SWS_UUID_LEN + 1], zRegno[SWS_NUMBER_MAX], zNote[256];
  T_OK(cases_household_resolve(g_b, zB, 0, zId, zRegno, zNote, &t_err));
  CU_ASSERT_STRING_EQUAL(zRegno, zA);
  CU_ASSERT_PTR_NOT_NULL(strstr(zNote, "merged into"));
  struct household h;
  T_OK(cases_household_get(g_b, zA, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMember, 2); /* the survivor's record came to B */
  cases_household_release(&h);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM household WHERE "
                             "status = 'inactive'"),
                  1);
  /* office A knows the alias too */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household_alias WHERE "
                               "active = 1"),
                  1);
  /* a change B makes to its old household is applied to the survivor */
  char zCur[SWS_NUMBER_MAX];
  T_OK(cases_household_resolve(g_b, zA, 1, zId, zCur, NULL, &t_err));
  struct household_edit e = {NULL, "behind the school", NULL};
  T_OK(cases_household_edit(g_b, zA, &e, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(sync_office(t_ctx, &fa, &rep));
  struct central_stats st;
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2); /* A and the other one */
  CU_ASSERT_EQUAL(st.nMembers, 4);    /* B's copies of A's two not again */
  /* unmerge: both stand alone again */
  T_OK(central_unmerge(g_c, zB, &t_err));
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 3);
  CU_ASSERT_EQUAL(st.nMembers, 6);
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(cases_household_resolve(g_b, zB, 0, zId, zRegno, zNote, &t_err));
  CU_ASSERT_STRING_EQUAL(zRegno, zB);
}

static int take_n(void *arg, int nCol, const char *const *az)
{
  *(int64_t *)arg = nCol > 0 && az[0] ? strtoll(az[0], NULL, 10) : -1;
  return 1;
}

static int64_t central_count(const char *zSql)
{
  int64_t n = -1;
  T_OK(g_c->s->ops->read_rows(g_c->s, zSql, 0, NULL, take_n, &n, &t_err));
  return n;
}

/* Registry duplicates decided (both stores): the pair side by side (a
 * national ID shown by its last three characters only); "different
 * families" needs a reason, closes the pair at the registry and at both
 * offices, is logged, and is never raised again by the duplicate job; it
 * can be undone (both offices list the pair again); a merged pair is
 * refused (unmerge it). */
static void test_sync__pair_decided_different_families(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct dup d = {0, "", ""};
  struct central_pair p;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg(t_ctx, "សុខ ចាន់ធី", "N110200777", zA);
  reg(g_b, "សុខ​ចាន់ធី", NULL, zB);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL_FATAL(d.n, 1);
  T_OK(central_pair_get(g_c, zA, zB, &p, &t_err));
  CU_ASSERT_EQUAL(p.bFound, 1);
  CU_ASSERT_STRING_EQUAL(p.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(p.s[0].h.zRegno, zA);
  CU_ASSERT_STRING_EQUAL(p.s[0].h.zOffice, "KH12");
  CU_ASSERT_STRING_EQUAL(p.s[1].h.zOffice, "KH13");
  CU_ASSERT_EQUAL_FATAL(p.s[0].n, 2);
  CU_ASSERT_EQUAL(p.s[0].a[0].line, 1);
  CU_ASSERT_STRING_EQUAL(p.s[0].a[0].zIdTail, "...777");
  CU_ASSERT_STRING_EQUAL(p.s[1].a[0].zIdTail, "");
  CU_ASSERT_STRING_EQUAL(p.s[0].a[1].zBorn, "2012");
  central_pair_release(&p);
  /* a reason is needed */
  CU_ASSERT_EQUAL(central_dismiss(g_c, zA, zB, " ", &t_err), SWS_EINVAL);
  CU_ASSERT_EQUAL(central_dismiss(g_c, zA, zA, "x", &t_err), SWS_EINVAL);
  T_OK(central_dismiss(g_c, zB, zA, "different fathers, checked", &t_err));
  CU_ASSERT_EQUAL(central_dismiss(g_c, zA, zB, "again", &t_err), SWS_ECONFLICT);
  d.n = 0;
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL(d.n, 0);
  T_OK(central_pair_get(g_c, zA, zB, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "dismissed");
  CU_ASSERT_STRING_EQUAL(p.zNote, "different fathers, checked");
  central_pair_release(&p);
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM central_log WHERE "
                                "action = 'dismiss'"),
                  1);
  /* both offices close their item */
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  const char *zOpen = "SELECT count(*) FROM central_duplicate WHERE status "
                      "= 'open'";
  CU_ASSERT_EQUAL(count(t_ctx, zOpen), 0);
  CU_ASSERT_EQUAL(count(g_b, zOpen), 0);
  /* B's head corrected and pushed again: the job does not raise it */
  struct member_edit e;
  memset(&e, 0, sizeof e);
  e.zName = "សុខ ចាន់ធី";
  e.disability = -1;
  T_OK(cases_member_edit(g_b, zB, 1, &e, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  struct central_dedup_report dr;
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  d.n = 0;
  T_OK(central_duplicates(g_c, 0, one_dup, &d, &t_err));
  CU_ASSERT_EQUAL(d.n, 0);
  /* undone: open again, at both offices */
  T_OK(central_reopen(g_c, zA, zB, &t_err));
  CU_ASSERT_EQUAL(central_reopen(g_c, zA, zB, &t_err), SWS_ECONFLICT);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(count(t_ctx, zOpen), 1);
  CU_ASSERT_EQUAL(count(g_b, zOpen), 1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM central_duplicate WHERE "
                             "status = 'open' AND score > 0.5 AND reasons "
                             "<> 'decided by hand'"),
                  1); /* as the job found it */
  /* merged: "different families" is an unmerge */
  T_OK(central_merge(g_c, zA, zB, &t_err));
  CU_ASSERT_EQUAL(central_dismiss(g_c, zA, zB, "no", &t_err), SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "unmerge"));
}

static int sync_move(struct sws_ctx *ctx, struct fake *f, const char *zRegno,
                     const char *zNid, struct sync_report *rep)
{
  struct sync_transport t = {fake_request, NULL, f};
  struct sync_opts o = {.nBatchBytes = 1024,
                        .nPageBytes = 2048,
                        .nAttempts = 3,
                        .sleep_ms = no_sleep};
  o.zMoveRegno = zRegno;
  o.zMoveNationalId = zNid;
  return sync_run(ctx, &t, &o, rep, &t_err);
}

/* A family moves (both stores): KH13 asks for KH12's household by its
 * number; the household, its members, its case and note and its
 * grievance are KH13's from then on (KH13 changes them, KH12's changes are
 * refused), KH12 keeps a read-only copy that says where it went and
 * that nothing but sync may change; by national ID too; another office's
 * own household, an unknown one, an ID in two households are refused. */
static void test_sync__family_moves_to_another_office(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct case_info ci;
  char zA[SWS_NUMBER_MAX], zOther[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX];
  reg(t_ctx, "Sok Dara", "N9001", zA);
  reg(t_ctx, "Keo Vanna", "N9002", zOther);
  reg(g_b, "Lim Bora", NULL, zB);
  T_OK(cases_case_open(t_ctx, zA, &ci, &t_err));
  T_OK(cases_case_note(t_ctx, zA, "visited at home", &t_err));
  struct grievance_input gi = {zA, 0, "payment", "walk-in", "late"};
  T_OK(cases_grievance_add(t_ctx, &gi, zTicket, zCode, &t_err));
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  /* refused: unknown, its own, neither or an ID nobody has */
  CU_ASSERT_NOT_EQUAL(sync_move(g_b, &fb, "KH12-999999-9", NULL, &rep), 0);
  CU_ASSERT_NOT_EQUAL(sync_move(g_b, &fb, zB, NULL, &rep), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already this office's"));
  CU_ASSERT_NOT_EQUAL(sync_move(g_b, &fb, NULL, "N0000", &rep), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no household"));
  /* bodies that name no family, or two ways at once, or too much */
  const char *azBad[] = {"",
                         "[]",
                         "{}",
                         "{\"regno\": 12}",
                         "{\"regno\": \"KH12-000001-E\", \"national_id\": "
                         "\"N9001\"}",
                         "{\"national_id\": \"\"}"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    struct buf out;
    int status = 0;
    buf_init(&out, 4096);
    CU_ASSERT_EQUAL(central_move(g_c, "KH13", azBad[i], strlen(azBad[i]),
                                 &status, &out, &t_err),
                    SWS_EINVAL);
    CU_ASSERT_EQUAL(status, 400);
    buf_release(&out);
  }
  /* KH13 asks for KH12's family by its number */
  memset(&rep, 0, sizeof rep);
  T_OK(sync_move(g_b, &fb, zA, NULL, &rep));
  CU_ASSERT_STRING_EQUAL(rep.zMovedRegno, zA);
  CU_ASSERT_STRING_EQUAL(rep.zMovedFrom, "KH12");
  /* household, 2 members, case, note, grievance and its first event */
  CU_ASSERT_EQUAL(rep.nMovedRecords, 7);
  sync_report_release(&rep);
  /* asked again: nothing moves twice */
  CU_ASSERT_NOT_EQUAL(sync_move(g_b, &fb, zA, NULL, &rep), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already this office's"));
  struct household h;
  T_OK(cases_household_get(g_b, zA, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMember, 2);
  cases_household_release(&h);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM case_note"), 1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM grievance"), 1);
  /* KH13 changes it: accepted, and KH12 is not told (it no longer
   * holds it) */
  struct household_edit e = {NULL, "near the new market", NULL};
  T_OK(cases_household_edit(g_b, zA, &e, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(rep.c.rejected, 0);
  sync_report_release(&rep);
  /* KH12, not knowing yet, changes it: the registry refuses the change;
   * the same sync tells KH12 it moved: its copy is read only and says
   * where */
  struct household_edit e0 = {NULL, "changed at KH12 before it knew", NULL};
  T_OK(cases_household_edit(t_ctx, zA, &e0, &t_err));
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.c.rejected, 1);
  sync_report_release(&rep);
  char zId[SWS_UUID_LEN + 1], zNote[256];
  T_OK(cases_household_resolve(t_ctx, zA, 0, zId, NULL, zNote, &t_err));
  CU_ASSERT_PTR_NOT_NULL(strstr(zNote, "moved to office KH13"));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE "
                               "status = 'inactive' AND status_reason LIKE "
                               "'moved to KH13 on %'"),
                  1);
  struct household_edit e2 = {NULL, "old address", NULL};
  CU_ASSERT_NOT_EQUAL(cases_household_edit(t_ctx, zA, &e2, &t_err), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "moved to office KH13"));
  CU_ASSERT_NOT_EQUAL(cases_case_note(t_ctx, zA, "after", &t_err), 0);
  CU_ASSERT_NOT_EQUAL(
      cases_household_reactivate(t_ctx, zA, "came back?", &t_err), 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM case_note"), 1);
  /* a change KH12 made before it learnt is refused by the registry */
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM household WHERE "
                             "address = 'near the new market'"),
                  1);
  /* by national ID */
  memset(&rep, 0, sizeof rep);
  T_OK(sync_move(g_b, &fb, NULL, "N9002", &rep));
  CU_ASSERT_STRING_EQUAL(rep.zMovedRegno, zOther);
  sync_report_release(&rep);
  /* and back again: KH12 asks for it, as any office may */
  memset(&rep, 0, sizeof rep);
  T_OK(sync_move(t_ctx, &fa, zA, NULL, &rep));
  CU_ASSERT_STRING_EQUAL(rep.zMovedFrom, "KH13");
  sync_report_release(&rep);
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM central_log WHERE "
                                "action = 'move'"),
                  3);
}

/* The duplicate job, off the push: a push leaves its people marked; the
 * job finds a person's best candidates at other offices (at most 5
 * households, however many namesakes), and both offices learn of each
 * pair from their feeds; a merge closes it at both. */
static void test_sync__duplicate_job_bounded_and_fed(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_dedup_report dr;
  char z[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  for (int i = 0; i < 8; i++) { /* eight namesakes at KH12 */
    struct member_input m[1] = {{"Sok Dara", 'F', "1984", REL_HEAD, NULL,
                                 NULL, 0}};
    struct household_input in = {"V1", NULL, NULL, NULL, m, 1,
                                 "namesakes in the village"};
    T_OK(cases_household_create(t_ctx, &in, z, NULL, &t_err));
  }
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  CU_ASSERT_EQUAL(dr.nPeople, 8);
  CU_ASSERT_EQUAL(dr.nPairs, 0); /* the counter's job, not the registry's */
  reg(g_b, "Sok Dara", NULL, zB); /* and one at KH13 (and her child) */
  T_OK(sync_office(g_b, &fb, &rep));
  struct central_stats st;
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nDuplicatesOpen, 0); /* not found during the push */
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  CU_ASSERT_EQUAL(dr.nPeople, 2);
  CU_ASSERT_EQUAL(dr.nPairs, 5); /* her best five, not all eight */
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  CU_ASSERT_EQUAL(dr.nPeople, 0); /* nothing left to do */
  /* both offices learn of the pairs */
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM central_duplicate WHERE "
                             "status = 'open' AND other_office = 'KH12'"),
                  5);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM central_duplicate "
                               "WHERE status = 'open' AND other_office = "
                               "'KH13'"),
                  5);
  /* a merge of one pair closes it at both offices */
  char zA[SWS_NUMBER_MAX];
  sqlite3_stmt *q;
  T_OK(db_prepare(t_ctx->db, &q,
                  "SELECT h.regno FROM central_duplicate d JOIN household h "
                  "ON h.id = d.household_id LIMIT 1",
                  &t_err));
  CU_ASSERT_EQUAL_FATAL(db_step(t_ctx->db, q, &t_err), DB_ROW);
  sws_strlcpy(zA, db_col_str(q, 0), sizeof zA);
  db_done(t_ctx->db, q);
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM central_duplicate WHERE "
                             "status = 'merged'"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM central_duplicate "
                               "WHERE status = 'merged'"),
                  1);
}

static void test_sync__identity_conflict_keeps_registry_value(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg(t_ctx, "Ly Sreypov", NULL, zA);
  reg(g_b, "Ly Sreypov", NULL, zB);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(sync_office(g_b, &fb, &rep)); /* B now holds A's household */
  /* both offices correct member 2's name, differently */
  struct member_edit e1 = {"Ly Sokha", 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  struct member_edit e2 = {"Ly Sokhom", 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zA, 2, &e1, &t_err));
  T_OK(cases_member_edit(g_b, zA, 2, &e2, &t_err));
  T_OK(sync_office(t_ctx, &fa, &rep)); /* first: applied */
  T_OK(sync_office(g_b, &fb, &rep));   /* second: conflict */
  CU_ASSERT_EQUAL(rep.c.conflicts, 1);
  /* B shows the conflict and now has the registry's value */
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "field = 'name' AND status = 'open'"),
                  1);
  struct household h;
  T_OK(cases_household_get(g_b, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(cases_household_member(&h, 2)->zName, "Ly Sokha");
  cases_household_release(&h);
}

/*
 * The same household at both offices (merged centrally), member 2's name
 * corrected differently at each: KH12 first (applied), then KH13 (a
 * conflict). zA gets the household's number.
 */
static void name_conflict(struct fake *fa, struct fake *fb, char *zA)
{
  struct sync_report rep;
  char zB[SWS_NUMBER_MAX];
  reg(t_ctx, "Ly Sreypov", NULL, zA);
  reg(g_b, "Ly Sreypov", NULL, zB);
  T_OK(sync_office(t_ctx, fa, &rep));
  T_OK(sync_office(g_b, fb, &rep));
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(sync_office(g_b, fb, &rep));
  struct member_edit e1 = {"Ly Sokha", 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  struct member_edit e2 = {"Ly Sokhom", 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zA, 2, &e1, &t_err));
  T_OK(cases_member_edit(g_b, zA, 2, &e2, &t_err));
  T_OK(sync_office(t_ctx, fa, &rep));
  /* a kept screening of the household at B (schema/office/0012): the
   * registry's name, pulled, deletes it, since sync's writes run the
   * triggers as any other write does */
  sqlite3_stmt *q;
  T_OK(db_prepare(g_b->db, &q,
                  "INSERT INTO screening SELECT id, '2026-01-01', "
                  "'2026-06-01', area_code, '2026-01-01' FROM household "
                  "WHERE regno = :r",
                  &t_err));
  db_bind_text(q, ":r", zA);
  CU_ASSERT_EQUAL(db_step(g_b->db, q, &t_err), DB_DONE);
  db_done(g_b->db, q);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM screening"), 1);
  T_OK(sync_office(g_b, fb, &rep));
  CU_ASSERT_EQUAL_FATAL(rep.c.conflicts, 1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM screening"), 0);
}

struct seen {
  int n;
  struct central_conflict k; /* the last one (values not kept) */
  char zOv[64], zSv[64], zRegno[48];
};

static int see_conflict(const struct central_conflict *k, const char *zRegno,
                        void *arg)
{
  struct seen *s = arg;
  s->n++;
  s->k = *k;
  snprintf(s->zOv, sizeof s->zOv, "%s", k->zOfficeValue ? k->zOfficeValue
                                                         : "");
  snprintf(s->zSv, sizeof s->zSv, "%s", k->zServerValue ? k->zServerValue
                                                         : "");
  snprintf(s->zRegno, sizeof s->zRegno, "%s", zRegno);
  s->k.zOfficeValue = s->k.zServerValue = NULL;
  return 0;
}

static void test_sync__central_lists_open_conflicts(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct seen s;
  char zA[SWS_NUMBER_MAX];
  memset(&s, 0, sizeof s);
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL(s.n, 0);
  name_conflict(&fa, &fb, zA);
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 1);
  CU_ASSERT(s.k.id > 0);
  CU_ASSERT_STRING_EQUAL(s.k.zOffice, "KH13");
  CU_ASSERT_STRING_EQUAL(s.k.zEntity, "member");
  CU_ASSERT_STRING_EQUAL(s.k.zField, "name");
  CU_ASSERT_STRING_EQUAL(s.k.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(s.zOv, "\"Ly Sokhom\"");
  CU_ASSERT_STRING_EQUAL(s.zSv, "\"Ly Sokha\"");
  CU_ASSERT_STRING_EQUAL(s.zRegno, zA); /* the member's household */
  CU_ASSERT(s.k.zAt[0] != '\0');
  s.n = 0;
  T_OK(central_conflicts(g_c, 1, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL(s.n, 1);
}

/* The name of member zMemberId at the registry (into z). */
static void central_name(const char *zMemberId, char *z, size_t n)
{
  char *zFields = NULL;
  z[0] = '\0';
  T_OK(g_c->s->ops->record_get(g_c->s, "member", zMemberId, &zFields, NULL,
                               &t_err));
  json_t *j = json_loads(zFields, 0, NULL);
  snprintf(z, n, "%s", json_string_value(json_object_get(j, "name")));
  json_decref(j);
  free(zFields);
}

static void member_name(struct sws_ctx *ctx, const char *zRegno, int line,
                        char *z, size_t n)
{
  struct household h;
  T_OK(cases_household_get(ctx, zRegno, &h, &t_err));
  const struct member *m = cases_household_member(&h, line);
  sws_strlcpy(z, m ? m->zName : "", n);
  cases_household_release(&h);
}

static void test_sync__central_keeps_registry_value_and_office_closes(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_stats st, st2;
  struct seen s;
  char zA[SWS_NUMBER_MAX], z[64];
  memset(&s, 0, sizeof s);
  name_conflict(&fa, &fb, zA);
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 1);
  int64_t id = s.k.id;
  /* refused: an unknown conflict, no note; nothing is written */
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(central_conflict_resolve(g_c, id + 100, 0, "checked",
                                           &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no conflict"));
  CU_ASSERT_EQUAL(central_conflict_resolve(g_c, id, 0, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(central_conflict_resolve(g_c, id, 1, "  ", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "--note"));
  T_OK(g_c->s->ops->stats(g_c->s, &st2, &t_err));
  CU_ASSERT_EQUAL(st2.nConflictsOpen, 1);
  CU_ASSERT_EQUAL(st2.nFeedItems, st.nFeedItems);
  /* keep the registry's value */
  sws_strlcpy(g_c->zActor, "registrar", sizeof g_c->zActor);
  T_OK(central_conflict_resolve(g_c, id, 0, "the ID card says Sokha",
                                &t_err));
  CU_ASSERT_EQUAL(central_conflict_resolve(g_c, id, 1, "again", &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already resolved"));
  T_OK(g_c->s->ops->stats(g_c->s, &st2, &t_err));
  CU_ASSERT_EQUAL(st2.nConflictsOpen, 0);
  CU_ASSERT_EQUAL(st2.nFeedItems, st.nFeedItems + 1); /* the decision */
  memset(&s, 0, sizeof s);
  T_OK(central_conflicts(g_c, 1, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL(s.n, 1);
  CU_ASSERT_STRING_EQUAL(s.k.zStatus, "resolved");
  CU_ASSERT_STRING_EQUAL(s.k.zResolution, "keep_registry");
  CU_ASSERT_STRING_EQUAL(s.k.zResolvedBy, "registrar");
  central_name(s.k.zEntityId, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokha");
  /* the office that raised it closes its item at its next pull */
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_verdict WHERE "
                             "verdict = 'conflict' AND status = 'open'"),
                  1);
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "status = 'open'"),
                  0);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "resolution = 'keep_registry' AND resolved_by "
                             "= 'registrar' AND resolved_where = 'central' "
                             "AND note = 'the ID card says Sokha'"),
                  1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_verdict WHERE "
                             "status = 'open'"),
                  0);
  member_name(g_b, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokha");
  CU_ASSERT_EQUAL(rep.pending, 0);
  CU_ASSERT_EQUAL(rep.c.problems, 0);
}

static void test_sync__central_uses_office_value_everywhere(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct seen s;
  char zA[SWS_NUMBER_MAX], z[64];
  memset(&s, 0, sizeof s);
  name_conflict(&fa, &fb, zA);
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 1);
  T_OK(central_conflict_resolve(g_c, s.k.id, 1, "the family confirmed "
                                "Sokhom", &t_err));
  central_name(s.k.zEntityId, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  CU_ASSERT_EQUAL(central_conflict_resolve(g_c, s.k.id, 0, "again", &t_err),
                  SWS_ECONFLICT);
  /* the office that raised it takes the value and closes its item */
  T_OK(sync_office(g_b, &fb, &rep));
  member_name(g_b, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "status = 'resolved' AND resolution = "
                             "'use_office'"),
                  1);
  CU_ASSERT_EQUAL(rep.pending, 0); /* from the registry: not sent back */
  /* the owner gets it like any change */
  T_OK(sync_office(t_ctx, &fa, &rep));
  member_name(t_ctx, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_conflict"), 0);
}

static void test_sync__decision_finds_item_recorded_before_seq(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct seen s;
  char zA[SWS_NUMBER_MAX];
  memset(&s, 0, sizeof s);
  name_conflict(&fa, &fb, zA);
  /* as recorded by an sws that did not keep the change's seq */
  T_OK(cases_op_begin(g_b, "test.old", &t_err));
  T_OK(db_exec(g_b->db, "UPDATE sync_conflict SET seq = NULL", &t_err));
  T_OK(cases_op_end(g_b, 0, NULL, NULL, NULL, &t_err));
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 1);
  T_OK(central_conflict_resolve(g_c, s.k.id, 0, "checked", &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(rep.c.problems, 0);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "status = 'resolved' AND resolved_where = "
                             "'central'"),
                  1);
  /* and an update outside an operation is refused */
  CU_ASSERT_NOT_EQUAL(db_exec(g_b->db, "UPDATE sync_conflict SET note = 'x'",
                              &t_err),
                      0);
}

static int64_t open_conflict_id(struct sws_ctx *ctx)
{
  return count(ctx, "SELECT coalesce(max(id), 0) FROM sync_conflict WHERE "
                    "status = 'open'");
}

static void test_sync__office_sends_its_value_again(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct seen s;
  char zA[SWS_NUMBER_MAX], z[64];
  int64_t pending;
  name_conflict(&fa, &fb, zA);
  int64_t id = open_conflict_id(g_b);
  CU_ASSERT_FATAL(id > 0);
  /* refused: unknown, a bad note; nothing is written */
  int64_t nAudit = count(g_b, "SELECT count(*) FROM audit_log");
  CU_ASSERT_EQUAL(sync_conflict_resolve(g_b, id + 100, 1, NULL, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "no conflict"));
  CU_ASSERT_EQUAL(sync_conflict_resolve(g_b, id, 1, "bad\x01note", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM audit_log"), nAudit);
  /* the office's value is set again as a change made here */
  cases_set_actor(g_b, "sup");
  T_OK(sync_conflict_resolve(g_b, id, 1, "the family confirmed Sokhom",
                             &t_err));
  CU_ASSERT_EQUAL(sync_conflict_resolve(g_b, id, 0, NULL, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already resolved"));
  member_name(g_b, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "status = 'resolved' AND resolution = "
                             "'use_office' AND resolved_where = 'office' "
                             "AND resolved_by = 'sup' AND note = 'the "
                             "family confirmed Sokhom'"),
                  1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_verdict WHERE "
                             "status = 'open'"),
                  0);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM audit_log WHERE action "
                             "= 'sync.resolve' AND entity = 'sync_conflict' "
                             "AND actor = 'sup'"),
                  1);
  T_OK(sync_pending(g_b, &pending, &t_err));
  CU_ASSERT_EQUAL(pending, 1);
  /* sent again, the registry applies it: its value is the change's
   * previous value now */
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(rep.c.conflicts, 0);
  CU_ASSERT_EQUAL(rep.pending, 0);
  memset(&s, 0, sizeof s);
  T_OK(central_conflicts(g_c, 0, see_conflict, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 1); /* the registry's item waits for it */
  central_name(s.k.zEntityId, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  T_OK(sync_office(t_ctx, &fa, &rep));
  member_name(t_ctx, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokhom");
  /* a later decision at the registry leaves the office's as it is */
  T_OK(central_conflict_resolve(g_c, s.k.id, 0, "settled at the office",
                                &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(rep.c.problems, 0);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "resolved_where = 'office'"),
                  1);
}

static void test_sync__office_keeps_registry_value(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  char zA[SWS_NUMBER_MAX], z[64];
  int64_t pending;
  name_conflict(&fa, &fb, zA);
  int64_t id = open_conflict_id(g_b);
  T_OK(sync_conflict_resolve(g_b, id, 0, NULL, &t_err));
  member_name(g_b, zA, 2, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(z, "Ly Sokha");
  T_OK(sync_pending(g_b, &pending, &t_err));
  CU_ASSERT_EQUAL(pending, 0); /* nothing to send */
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM sync_conflict WHERE "
                             "resolution = 'keep_registry' AND status = "
                             "'resolved'"),
                  1);
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM audit_log WHERE action "
                             "= 'sync.resolve'"),
                  1);
}

/* Record a conflict at the office as the feed would (in an operation). */
static int64_t add_conflict(struct sws_ctx *ctx, const char *zOrigin,
                            const char *zEntity, const char *zId,
                            const char *zField, const char *zLocal,
                            const char *zServer)
{
  sqlite3_stmt *q;
  T_OK(cases_op_begin(ctx, "test.conflict", &t_err));
  T_OK(db_prepare(ctx->db, &q,
                  "INSERT INTO sync_conflict(origin, entity, entity_id, "
                  "field, local_value, server_value, reason, at) VALUES "
                  "(:o, :e, :id, :f, :lv, :sv, 'test', sws_now())",
                  &t_err));
  db_bind_text(q, ":o", zOrigin);
  db_bind_text(q, ":e", zEntity);
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":f", zField);
  db_bind_text(q, ":lv", zLocal);
  db_bind_text(q, ":sv", zServer);
  CU_ASSERT_EQUAL(db_step(ctx->db, q, &t_err), DB_DONE);
  db_done(ctx->db, q);
  T_OK(cases_op_end(ctx, 0, NULL, NULL, NULL, &t_err));
  return open_conflict_id(ctx);
}

static void test_sync__office_resolve_refused_by_the_domain(void)
{
  char zA[SWS_NUMBER_MAX];
  struct household h;
  reg(t_ctx, "Chea Malis", NULL, zA);
  T_OK(cases_household_get(t_ctx, zA, &h, &t_err));
  char zChild[SWS_UUID_LEN + 1];
  sws_strlcpy(zChild, cases_household_member(&h, 2)->zId, sizeof zChild);
  cases_household_release(&h);
  int64_t nAudit = count(t_ctx, "SELECT count(*) FROM audit_log");
  /* the office made the child head; member 1 is head here */
  int64_t id = add_conflict(t_ctx, "push", "member", zChild, "relationship",
                            "\"head\"", "\"child\"");
  CU_ASSERT_EQUAL(sync_conflict_resolve(t_ctx, id, 1, NULL, &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "--previous-head-as"));
  /* a move is not redone from here */
  int64_t id2 = add_conflict(t_ctx, "push", "member", zChild,
                             "household_id", "\"0190\"", "\"0191\"");
  CU_ASSERT_EQUAL(sync_conflict_resolve(t_ctx, id2, 1, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws member move"));
  /* a value the member's own checks refuse */
  int64_t id3 = add_conflict(t_ctx, "push", "member", zChild, "born",
                             "\"2999\"", "\"2012\"");
  CU_ASSERT_NOT_EQUAL(sync_conflict_resolve(t_ctx, id3, 1, NULL, &t_err), 0);
  /* nothing was closed, changed or audited */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_conflict WHERE "
                               "status = 'open'"),
                  3);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log"),
                  nAudit + 3); /* the three test inserts */
  /* with the registry's value (here already) each closes */
  T_OK(sync_conflict_resolve(t_ctx, id, 0, "head stays", &t_err));
  T_OK(sync_conflict_resolve(t_ctx, id2, 0, NULL, &t_err));
  T_OK(sync_conflict_resolve(t_ctx, id3, 0, NULL, &t_err));
}

static void test_sync__pulled_conflict_resolved_at_office(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct household h;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  int64_t pending;
  reg(t_ctx, "Tep Bopha", NULL, zA);
  reg(g_b, "Tep Bopha", NULL, zB);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  struct household_edit ea = {NULL, "A's address", NULL};
  struct household_edit eb = {NULL, "B's address", NULL};
  T_OK(cases_household_edit(t_ctx, zA, &ea, &t_err));
  T_OK(cases_household_edit(g_b, zA, &eb, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  struct sync_transport t = {fake_request, NULL, &fa};
  struct sync_opts o = {.nBatchBytes = 2048,
                        .nPageBytes = 2048,
                        .nAttempts = 3,
                        .sleep_ms = no_sleep,
                        .bPullOnly = 1};
  T_OK(sync_run(t_ctx, &t, &o, &rep, &t_err)); /* pull only */
  /* the conflict shows both values */
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM sync_conflict WHERE "
                               "origin = 'pull' AND field = 'address' AND "
                               "local_value = '\"A''s address\"' AND "
                               "server_value = '\"B''s address\"'"),
                  1);
  int64_t id = open_conflict_id(t_ctx);
  T_OK(sync_pending(t_ctx, &pending, &t_err));
  /* the registry's value becomes a change made here, after A's */
  T_OK(sync_conflict_resolve(t_ctx, id, 0, NULL, &t_err));
  T_OK(cases_household_get(t_ctx, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zAddress, "B's address");
  cases_household_release(&h);
  int64_t pending2;
  T_OK(sync_pending(t_ctx, &pending2, &t_err));
  CU_ASSERT_EQUAL(pending2, pending + 1);
  /* both go; the registry ends with its value, and B keeps it */
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(cases_household_get(g_b, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zAddress, "B's address");
  cases_household_release(&h);
}

static void test_sync__pulled_value_never_overwrites_unsent_change(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0}, fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  reg(t_ctx, "Tep Bopha", NULL, zA);
  reg(g_b, "Tep Bopha", NULL, zB);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_merge(g_c, zA, zB, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  /* A changes the address and does not sync; B changes it and syncs; A's
   * survivor record comes back to A by... A only pulls now */
  struct household_edit ea = {NULL, "A's address", NULL};
  struct household_edit eb = {NULL, "B's address", NULL};
  T_OK(cases_household_edit(t_ctx, zA, &ea, &t_err));
  T_OK(cases_household_edit(g_b, zA, &eb, &t_err));
  T_OK(sync_office(g_b, &fb, &rep));
  /* the registry sends A nothing about its own record yet: re-send it by
   * making the registry put the record in A's feed */
  struct sync_transport t = {fake_request, NULL, &fa};
  struct sync_opts o = {.nBatchBytes = 2048,
                        .nPageBytes = 2048,
                        .nAttempts = 3,
                        .sleep_ms = no_sleep,
                        .bPullOnly = 1};
  T_OK(sync_run(t_ctx, &t, &o, &rep, &t_err)); /* pull only */
  struct household h;
  T_OK(cases_household_get(t_ctx, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zAddress, "A's address");
  cases_household_release(&h);
}

static void test_sync__grievance_answered_above_reaches_office(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct grievance_input in = {NULL, 1, "payment", "hotline",
                               "payment missing since March"};
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX];
  struct grievance g;
  T_OK(cases_grievance_add(t_ctx, &in, zTicket, zCode, &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "escalate", "past due",
                            ROLE_SUPERVISOR, &t_err));
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(central_grievance_event(g_c, zTicket, "answered",
                                          "district", "", &t_err),
                  SWS_EINVAL);
  T_OK(central_grievance_event(g_c, zTicket, "answered", "district",
                               "payments resume in April", &t_err));
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(cases_grievance_get(t_ctx, zTicket, ROLE_SUPERVISOR, &g, &t_err));
  CU_ASSERT_STRING_EQUAL(g.zStatus, "answered");
  CU_ASSERT_STRING_EQUAL(g.zAnswerLayer, "district");
  CU_ASSERT_STRING_EQUAL(g.zAnswer, "payments resume in April");
  cases_grievance_release(&g);
  /* the answer came from the registry: it is not pushed back */
  int64_t pending;
  T_OK(sync_pending(t_ctx, &pending, &t_err));
  CU_ASSERT_EQUAL(pending, 0);
}

static void test_sync__revoked_office_is_refused(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  char z[SWS_NUMBER_MAX];
  T_OK(central_office_revoke(g_c, "KH12", &t_err));
  reg(t_ctx, "Sok Dara", NULL, z);
  CU_ASSERT_EQUAL(sync_office(t_ctx, &fa, &rep), SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "revoked"));
  /* and the other office learns the key is revoked */
  struct fake fb = {"KH13", 0, 0, 0, 0, 0, 0};
  T_OK(sync_office(g_b, &fb, &rep));
  CU_ASSERT_EQUAL(count(g_b, "SELECT count(*) FROM office_key WHERE code = "
                             "'KH12' AND status = 'revoked'"),
                  1);
}

/* Every field of every synced entity (sync/fields.c) has its column in
 * the registry's table, of a type that keeps the value, and there is no
 * other: a record goes in and comes back the same, on each store. */
static void test_sync__registry_tables_match_fields(void)
{
  for (int e = 0; fields_entities[e]; e++) {
    const struct fields_rule *a;
    int n = 0;
    char zId[SWS_UUID_LEN + 1], *zBack = NULL, zOwner[CENTRAL_CODE_MAX];
    CU_ASSERT_EQUAL_FATAL(fields_rules(fields_entities[e], &a, &n), 0);
    json_t *f = json_object();
    for (int i = 0; i < n; i++) {
      json_t *v;
      switch (a[i].kind) {
      case FIELDS_INT:
      case FIELDS_FLAG: v = json_integer(1); break;
      case FIELDS_REAL: v = json_real(1.5); break;
      case FIELDS_REF:
        v = json_string("01900000-0000-7000-8000-000000000001");
        break;
      default: v = json_string("x"); break;
      }
      json_object_set_new(f, a[i].zName, v);
    }
    char *z = json_dumps(f, JSON_COMPACT);
    /* stored from the text alone, then from the decoded values as a push
     * stores them, then with every nullable field null: the same record
     * back each way */
    for (int how = 0; how < 3; how++) {
      if (how == 2) {
        for (int i = 0; i < n; i++)
          if (a[i].flags & FIELDS_NULLABLE)
            json_object_set_new(f, a[i].zName, json_null());
        free(z);
        z = json_dumps(f, JSON_COMPACT);
      }
      sws_uuid7(zId);
      T_OK(g_c->s->ops->record_put(g_c->s, fields_entities[e], zId, "KH12",
                                   z, how ? f : NULL, &t_err));
      T_OK(g_c->s->ops->record_get(g_c->s, fields_entities[e], zId, &zBack,
                                   zOwner, &t_err));
      json_t *back = json_loads(zBack, 0, NULL);
      if (!json_equal(f, back))
        fprintf(stderr, "\n  %s (%s): put %s, got %s\n", fields_entities[e],
                how ? "decoded" : "text", z, zBack);
      CU_ASSERT_TRUE(json_equal(f, back));
      CU_ASSERT_STRING_EQUAL(zOwner, "KH12");
      json_decref(back);
      free(zBack);
      zBack = NULL;
    }
    json_decref(f);
    free(z);
  }
}

/*
 * Two workers inserting the same new record at once (an office and one
 * pushing under another office's id): the one that commits second never
 * overwrites the first; its push is run again, and then the ownership
 * rule judges it. With nAhead mutations recorded after the record, the
 * PostgreSQL store has sent its kept writes ahead in a pipeline (a chunk
 * is 256): the count of the insert is checked when the results are read,
 * and nothing of the attempt stays. PostgreSQL only: SQLite has one
 * writer at a time.
 */
static void insert_race(const char *zId, int nAhead)
{
  struct central *c2 = NULL;
  struct proto_push pp;
  char *zGot = NULL, zOwner[CENTRAL_CODE_MAX], zVerdict[16];
  const char zFields[] =
      "{\"regno\":\"KH12-000001-7\",\"area_code\":\"V1\",\"address\":"
      "\"\",\"phone\":\"\",\"status\":\"active\",\"status_reason\":"
      "\"\",\"import_key\":null,\"created_at\":\"2026-01-01T00:00:00Z\","
      "\"created_by\":\"desk\"}";
  if (!g_pg)
    return;
  char zBody[1200];
  snprintf(zBody, sizeof zBody,
           "{\"proto\":1,\"device\":\"KH12\",\"batch\":\"b\",\"first\":1,"
           "\"last\":1,\"m\":[{\"s\":1,\"e\":\"household\",\"i\":\"%s\","
           "\"o\":\"insert\",\"f\":%s,\"b\":\"desk\",\"t\":"
           "\"2026-01-01T00:00:00Z\"}]}",
           zId, zFields);
  T_OK(proto_push_decode(&pp, zBody, strlen(zBody), &t_err));
  T_OK(central_open(&c2, g_zCentral, 0, NULL, &t_err));
  struct central_office o;
  T_OK(g_c->s->ops->begin(g_c->s, &t_err));
  T_OK(g_c->s->ops->office_lock(g_c->s, "KH12", &o, &t_err));
  CU_ASSERT_PTR_NOT_NULL_FATAL(g_c->s->ops->push_prefetch);
  T_OK(g_c->s->ops->push_prefetch(g_c->s, "KH12", &pp, &t_err));
  CU_ASSERT_EQUAL(g_c->s->ops->record_lock(g_c->s, "household", zId, NULL,
                                           NULL, &t_err),
                  SWS_ENOTFOUND);
  /* meanwhile another worker stores a record under the same id (and
   * commits: a chunk sent ahead would otherwise wait for it) */
  T_OK(c2->s->ops->record_put(c2->s, "household", zId, "KH13", zFields,
                              NULL, &t_err));
  T_OK(g_c->s->ops->record_put(g_c->s, "household", zId, "KH12", zFields,
                               NULL, &t_err));
  for (int i = 1; i <= nAhead; i++)
    T_OK(g_c->s->ops->mutation_put(g_c->s, "KH12", 900000 + i, "household",
                                   zId, "insert", "applied", "", NULL,
                                   &t_err));
  CU_ASSERT_EQUAL(g_c->s->ops->commit(g_c->s, &t_err), SWS_ERETRY);
  g_c->s->ops->rollback(g_c->s);
  T_OK(g_c->s->ops->record_get(g_c->s, "household", zId, &zGot, zOwner,
                               &t_err));
  CU_ASSERT_STRING_EQUAL(zOwner, "KH13"); /* not overwritten */
  CU_ASSERT_EQUAL(g_c->s->ops->mutation_get(g_c->s, "KH12", 900001,
                                            zVerdict, sizeof zVerdict, NULL,
                                            NULL, &t_err),
                  SWS_ENOTFOUND); /* nothing of the attempt stayed */
  free(zGot);
  proto_push_release(&pp);
  central_close(c2);
}

static void test_sync__concurrent_insert_never_overwrites(void)
{
  insert_race("01900000-0000-7000-8000-0000000000aa", 0);
}

static void test_sync__pipelined_insert_race_runs_again(void)
{
  insert_race("01900000-0000-7000-8000-0000000000bb", 256);
}

/* A batch of several hundred mutations (more than a chunk the PostgreSQL
 * store sends ahead while it applies the rest, sync/store_pg.c) arrives
 * whole: every household and member once, and a replay of the same batch
 * changes nothing. */
static void test_sync__large_batch_applied_whole(void)
{
  struct fake f = {"KH12", 0, 0, 0, (size_t)1 << 20, 0, 0};
  struct sync_report rep;
  struct central_stats st;
  char z[SWS_NUMBER_MAX], zName[64];
  for (int i = 0; i < 150; i++) {
    snprintf(zName, sizeof zName, "Head %03d Family%03d", i, i * 7 % 150);
    reg(t_ctx, zName, NULL, z);
  }
  CU_ASSERT(count(t_ctx, "SELECT count(*) FROM outbox") > 300);
  T_OK(sync_office(t_ctx, &f, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
  CU_ASSERT_EQUAL(rep.batches, 1); /* one batch, so several chunks */
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 150);
  CU_ASSERT_EQUAL(st.nMembers, 300);
  CU_ASSERT_EQUAL(f.nGaps, 0);
}

/* The verdict the registry gave mutation seq in reply r, or "". */
static const char *verdict_of(const struct proto_push_reply *r, int64_t seq,
                              const char **pzDetail)
{
  for (int i = 0; i < r->n; i++)
    if (r->a[i].seq == seq) {
      if (pzDetail)
        *pzDetail = r->a[i].zDetail ? r->a[i].zDetail : "";
      return r->a[i].zVerdict;
    }
  return "";
}

/* 40 households registered at the test office and frozen into one batch
 * of 100 mutations or more: large enough for the registry's thread
 * ahead of its writer (sync/push_digest.c). */
static void large_batch(const char *zName, struct sync_batch *b)
{
  char z[SWS_NUMBER_MAX], zFull[64];
  int have = 0;
  for (int i = 0; i < 40; i++) {
    snprintf(zFull, sizeof zFull, "%s %02d Family%02d", zName, i, i * 7 % 40);
    reg(t_ctx, zFull, NULL, z);
  }
  T_OK(sync_batch_next(t_ctx, (size_t)1 << 20, b, &have, &t_err));
  CU_ASSERT_FATAL(have && b->last - b->first + 1 >= 100);
}

/* A batch large enough for the registry to check and digest its mutations
 * on a thread ahead of the writer (sync/push_digest.c), tampered with:
 * the one bad value is rejected and named, the rest applied; the same
 * body again is answered from the stored verdicts; another change under a
 * number already applied is refused whole as a device gone back in time. */
static void test_sync__tampered_large_batch_checked_ahead(void)
{
  struct sync_batch b;
  struct buf resp = BUF_INIT;
  struct proto_push_reply r;
  struct central_stats st;
  int status = 0;
  large_batch("Tamper", &b);
  json_t *j = json_loadb(b.zBody, b.nBody, 0, NULL), *m = NULL, *x;
  size_t i;
  json_array_foreach(json_object_get(j, "m"), i, x)
    if (i >= 70 && m == NULL &&
        strcmp(json_string_value(json_object_get(x, "e")), "member") == 0)
      m = x;
  CU_ASSERT_PTR_NOT_NULL_FATAL(m);
  int64_t bad = json_integer_value(json_object_get(m, "s"));
  json_object_set_new(json_object_get(m, "f"), "sex", json_string("X"));
  char *zBody = json_dumps(j, JSON_COMPACT);
  T_OK(central_push(g_c, "KH12", zBody, strlen(zBody), &status, &resp,
                    &t_err));
  CU_ASSERT_EQUAL_FATAL(status, 200);
  T_OK(proto_reply_decode(&r, resp.z, resp.n, &t_err));
  const char *zDetail = NULL;
  CU_ASSERT_STRING_EQUAL(verdict_of(&r, bad, &zDetail), "rejected");
  CU_ASSERT_PTR_NOT_NULL(zDetail ? strstr(zDetail, "sex") : NULL);
  int nApplied = 0;
  for (int k = 0; k < r.n; k++)
    nApplied += strcmp(r.a[k].zVerdict, "applied") == 0;
  CU_ASSERT_EQUAL(nApplied, r.n - 1);
  proto_reply_release(&r);
  /* the same body again: the same verdicts, nothing stored twice */
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  int64_t nMembers = st.nMembers;
  buf_reset(&resp);
  T_OK(central_push(g_c, "KH12", zBody, strlen(zBody), &status, &resp,
                    &t_err));
  CU_ASSERT_EQUAL(status, 200);
  T_OK(proto_reply_decode(&r, resp.z, resp.n, &t_err));
  CU_ASSERT_STRING_EQUAL(verdict_of(&r, bad, NULL), "rejected");
  proto_reply_release(&r);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nMembers, nMembers);
  CU_ASSERT_EQUAL(st.nHouseholds, 40);
  /* a different change under a number the registry applied */
  json_object_set_new(json_object_get(m, "f"), "sex", json_string("F"));
  free(zBody);
  zBody = json_dumps(j, JSON_COMPACT);
  buf_reset(&resp);
  central_push(g_c, "KH12", zBody, strlen(zBody), &status, &resp, &t_err);
  CU_ASSERT_EQUAL(status, 409);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "diverged"));
  free(zBody);
  json_decref(j);
  buf_release(&resp);
  sync_batch_release(&b);
}

/* Body zBody with the text zFrom of mutation seq (found after "s":seq)
 * replaced by zTo, once. Caller frees. */
static char *body_edit(const char *zBody, int64_t seq, const char *zFrom,
                       const char *zTo)
{
  char zAt[40];
  snprintf(zAt, sizeof zAt, "{\"s\":%lld,", (long long)seq);
  const char *a = strstr(zBody, zAt);
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  const char *b = strstr(a, zFrom);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  struct buf o = BUF_INIT;
  buf_append(&o, zBody, (size_t)(b - zBody));
  buf_puts(&o, zTo);
  buf_puts(&o, b + strlen(zFrom));
  return buf_detach(&o, NULL);
}

/* A large batch is decoded on a thread ahead of the writer, mutation by
 * mutation (proto_push_split): one malformed mutation late in it, found
 * after the writer applied the ones before, refuses the batch whole, as a
 * batch malformed anywhere always was: 400, nothing of it stored, the
 * office's watermark where it was. The body mended then applies. */
static void test_sync__malformed_late_mutation_refuses_batch_whole(void)
{
  struct sync_batch b;
  struct buf resp = BUF_INIT;
  struct central_stats st;
  struct central_office o;
  int status = 0;
  large_batch("Late", &b);
  int64_t late = b.first + 90;
  char zSeq[40];
  snprintf(zSeq, sizeof zSeq, "\"s\":%lld,", (long long)late);
  char zDup[80];
  snprintf(zDup, sizeof zDup, "\"s\":%lld,\"s\":%lld,", (long long)late,
           (long long)late);
  char zWrongSeq[40];
  snprintf(zWrongSeq, sizeof zWrongSeq, "\"s\":%lld,", (long long)late + 1);
  char *azBad[] = {
      body_edit(b.zBody, late, zSeq, zDup),       /* a key twice */
      body_edit(b.zBody, late, zSeq, zWrongSeq),  /* out of order */
      body_edit(b.zBody, late, "\"f\":{", "\"f\":[{"), /* not JSON */
      body_edit(b.zBody, late, "\"f\":", "\"f\":7,\"x\":"), /* f no object */
  };
  for (size_t k = 0; k < sizeof azBad / sizeof azBad[0]; k++) {
    buf_reset(&resp);
    sws_err_clear(&t_err);
    CU_ASSERT_NOT_EQUAL(central_push(g_c, "KH12", azBad[k],
                                     strlen(azBad[k]), &status, &resp,
                                     &t_err), 0);
    CU_ASSERT_EQUAL(status, 400);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "malformed sync message"));
    T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
    CU_ASSERT_EQUAL(st.nHouseholds, 0);
    CU_ASSERT_EQUAL(st.nMembers, 0);
    T_OK(g_c->s->ops->office_get(g_c->s, "KH12", &o, &t_err));
    CU_ASSERT_EQUAL(o.ack, 0);
    free(azBad[k]);
  }
  buf_reset(&resp);
  T_OK(central_push(g_c, "KH12", b.zBody, b.nBody, &status, &resp, &t_err));
  CU_ASSERT_EQUAL(status, 200);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 40);
  buf_release(&resp);
  sync_batch_release(&b);
}

/* A copy of an office's database as it is now (a backup, a clone). */
static struct sws_ctx *copy_office(struct sws_ctx *ctx, const char *zName)
{
  char zPath[400];
  struct sws_ctx *c = NULL;
  snprintf(zPath, sizeof zPath, "%s/%s", g_dir, zName);
  sqlite3 *to = NULL;
  CU_ASSERT_EQUAL_FATAL(sqlite3_open(zPath, &to), SQLITE_OK);
  sqlite3_backup *b = sqlite3_backup_init(to, "main", ctx->db->h, "main");
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  CU_ASSERT_EQUAL(sqlite3_backup_step(b, -1), SQLITE_DONE);
  sqlite3_backup_finish(b);
  sqlite3_close(to);
  T_OK(cases_open(&c, zPath, 0, &t_err));
  return c;
}

/* A database restored from a backup reuses sequence numbers for other
 * changes: the registry refuses them (not replays), nothing is lost, and
 * the database goes on as a new device of the same office. */
static void test_sync__went_back_in_time(void)
{
  struct fake f = {"KH12", 0, 0, 0, 0, 0, 0}, f2 = {"KH12-2", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_stats st;
  struct central_office o;
  char zA[SWS_NUMBER_MAX], zX[SWS_NUMBER_MAX], zY[SWS_NUMBER_MAX];
  reg(t_ctx, "Sok Dara", NULL, zA);
  T_OK(sync_office(t_ctx, &f, &rep));
  struct sws_ctx *old = copy_office(t_ctx, "backup.db");
  reg(t_ctx, "Lost Timeline", NULL, zX); /* sent, then the disk dies */
  T_OK(sync_office(t_ctx, &f, &rep));
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2);
  int64_t ack = count(old, "SELECT max(seq) FROM outbox");
  reg(old, "Restored Keo", NULL, zY); /* the restored copy goes on */
  CU_ASSERT_NOT_EQUAL(sync_office(old, &f, &rep), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "went back in time"));
  CU_ASSERT_EQUAL(rep.pending, 3); /* nothing taken for sent */
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 2); /* nothing applied */
  T_OK(g_c->s->ops->office_get(g_c->s, "KH12", &o, &t_err));
  CU_ASSERT_EQUAL(o.divergedSeq, ack + 1);
  CU_ASSERT_NOT_EQUAL(o.zDivergedAt[0], '\0');
  CU_ASSERT_EQUAL(count(old, "SELECT value FROM sync_state WHERE name = "
                             "'diverged'"),
                  ack + 1);
  /* a new device of the same office, enrolled where it goes on */
  struct sync_new_device nd;
  T_OK(sync_new_device(old, "KH12-2", &nd, &t_err));
  CU_ASSERT_STRING_EQUAL(nd.zOffice, "KH12");
  CU_ASSERT_STRING_EQUAL(nd.zOldDevice, "KH12");
  CU_ASSERT_EQUAL(nd.firstSeq, ack + 1);
  CU_ASSERT_EQUAL(nd.bDiverged, 1);
  CU_ASSERT_EQUAL(count(old, "SELECT count(*) FROM office_key WHERE code = "
                             "'KH12'"),
                  1);
  CU_ASSERT_NOT_EQUAL(central_office_add(g_c, "KH12-2", NULL, nd.zPubKey,
                                         "KH99", nd.firstSeq, &t_err),
                      0); /* no such office */
  T_OK(central_office_add(g_c, "KH12-2", NULL, nd.zPubKey, "KH12",
                          nd.firstSeq, &t_err));
  T_OK(sync_office(old, &f2, &rep));
  CU_ASSERT_EQUAL(rep.pending, 0);
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 3);
  /* the new device changes a record the old one created */
  struct household_edit e = {NULL, NULL, "012999888"};
  T_OK(cases_household_edit(old, zA, &e, &t_err));
  T_OK(sync_office(old, &f2, &rep));
  CU_ASSERT_EQUAL(count(old, "SELECT count(*) FROM sync_verdict WHERE "
                             "verdict = 'rejected'"),
                  0);
  /* what the lost timeline created comes back by a comparison: fed
   * again; its household's number was issued again here, to another
   * family, so that household waits in sync_problem (the registry lists
   * the number issued twice) and its members wait for it */
  struct sync_transport t = {fake_request, NULL, &f2};
  struct sync_opts so = {.nBatchBytes = 1024,
                         .nPageBytes = 2048,
                         .nAttempts = 3,
                         .sleep_ms = no_sleep,
                         .bReconcile = 1};
  T_OK(sync_run(old, &t, &so, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.rec.bDone, 1);
  CU_ASSERT_EQUAL(rep.rec.nFed, 3);
  CU_ASSERT_EQUAL(rep.rec.nSent, 0);
  CU_ASSERT_EQUAL(count(old, "SELECT count(*) FROM sync_problem WHERE kind "
                             "= 'record' AND payload LIKE '%Lost Timeline%'"),
                  2);
  sync_report_release(&rep);
  cases_close(old);
}

/* The same key is never enrolled under two codes. */
static void test_sync__one_key_one_office(void)
{
  struct office_info oi;
  char zPk[64];
  T_OK(cases_office_get(t_ctx, &oi, &t_err));
  sws_b64url(zPk, oi.pk, sizeof oi.pk);
  CU_ASSERT_EQUAL(central_office_add(g_c, "KH77", "Copy", zPk, NULL, 1,
                                     &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "already enrolled as KH12"));
  T_OK(central_office_revoke(g_c, "KH12", &t_err));
  CU_ASSERT_EQUAL(central_office_add(g_c, "KH78", "Copy", zPk, NULL, 1,
                                     &t_err),
                  SWS_ECONFLICT); /* revoked keys too */
}

/* Issuable number seq (or the next one) of office zOffice into z. */
static void number_of(const char *zOffice, int64_t seq, char *z, size_t n)
{
  while (!sws_number_issuable(zOffice, seq))
    seq++;
  sws_number_format(z, n, zOffice, seq);
}

static void test_sync__bulk_load_checked_indexed_found(void)
{
  struct fake fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct central_dedup_report dr;
  struct central_stats st;
  char zRegno[SWS_NUMBER_MAX], zHh[SWS_UUID_LEN + 1], zM1[SWS_UUID_LEN + 1],
      zM2[SWS_UUID_LEN + 1], zB[SWS_NUMBER_MAX], zOwner[CENTRAL_CODE_MAX];
  sws_uuid7(zHh);
  sws_uuid7(zM1);
  sws_uuid7(zM2);
  number_of("KH12", 900, zRegno, sizeof zRegno);
  struct central_load_member m[2] = {
      {zM1, "Sok Dara", "F", "1984-03-02", "head", "110200300", NULL, NULL,
       NULL, 1},
      {zM2, "Keo Vanna", "M", "2010", "child", NULL, NULL, "1", NULL, 2}};
  struct central_load_household h = {zHh, zRegno, "V1", "KH12",
                                     "2026-01-05T08:00:00Z", "ministry list",
                                     m, 2};
  if (!g_pg) {
    CU_ASSERT_EQUAL(central_load(g_c, &h, 1, &t_err), SWS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "PostgreSQL"));
    return;
  }
  /* a bad member refuses the whole call, naming it; nothing is written */
  struct central_load_household bad[2] = {h, h};
  struct central_load_member mb[1] = {m[0]};
  mb[0].zSex = "X";
  bad[1].a = mb;
  bad[1].n = 1;
  CU_ASSERT_EQUAL(central_load(g_c, bad, 2, &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "household 2, member 1"));
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sex"));
  /* another office's number under this owner is refused too */
  struct central_load_household other = h;
  other.zOwner = "KH13";
  CU_ASSERT_EQUAL(central_load(g_c, &other, 1, &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not one issued by"));
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 0);
  CU_ASSERT_EQUAL(st.nMembers, 0);
  /* the good one: stored as a push would have, and held by its office */
  T_OK(central_load(g_c, &h, 1, &t_err));
  T_OK(g_c->s->ops->stats(g_c->s, &st, &t_err));
  CU_ASSERT_EQUAL(st.nHouseholds, 1);
  CU_ASSERT_EQUAL(st.nMembers, 2);
  char *zFields = NULL;
  T_OK(g_c->s->ops->record_get(g_c->s, "member", zM1, &zFields, zOwner,
                               &t_err));
  CU_ASSERT_STRING_EQUAL(zOwner, "KH12");
  CU_ASSERT_PTR_NOT_NULL(zFields && strstr(zFields, "110200300"));
  free(zFields);
  /* counted by the registry's report though the load gives no status (a
   * first run counted none of a national load) */
  struct report_set *set = NULL;
  struct report r;
  struct report_opts o = REPORT_OPTS_INIT;
  T_OK(report_set_load_default(&set, &t_err));
  T_OK(report_period_parse("2026-01", &o.period, &t_err));
  o.layer = 0;
  o.suppress = 0;
  T_OK(central_report(g_c, set, &o, &r, &t_err));
  CU_ASSERT_EQUAL(central_val(&r, "households_registered", "", 0, ""), 1);
  CU_ASSERT_EQUAL(central_val(&r, "people_registered", "", 0, ""), 2);
  report_release(&r);
  report_set_free(set);
  /* indexed already: a namesake pushed from another office finds her */
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  CU_ASSERT_EQUAL(dr.nPeople, 0);
  reg(g_b, "Sok Dara", NULL, zB);
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(central_dedup(g_c, 0, &dr, &t_err));
  CU_ASSERT_EQUAL(dr.nPairs, 1);
}

/* An office's supervisor decides a pair is one family (both stores): the
 * request waits offline, goes with the next sync, is merged once though
 * the session is cut before its answer and it is sent again, the merge
 * comes back in the feed (the later household steps aside, the request is
 * closed) and the registry's log says who asked. */
static void test_sync__office_decides_same_family_registry_merges(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], z[200];
  reg(t_ctx, "Sok Dara", NULL, zA);
  reg(t_ctx, "Sok Dara", NULL, zB);
  T_OK(sync_office(t_ctx, &fa, &rep));
  int64_t id = t_flag_id(t_ctx, zA, zB);
  CU_ASSERT_FATAL(id > 0);
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_review_decide(t_ctx, id, 1, "one ID card", ROLE_SUPERVISOR,
                           &t_err));
  char zIdB[SWS_UUID_LEN + 1];
  T_OK(cases_household_resolve(t_ctx, zB, 0, zIdB, NULL, NULL, &t_err));
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, zIdB, z, sizeof z), 1);
  /* the registry merges, every answer of the session's tries is lost: the
   * session fails and the request still waits */
  g_loseMerges = 3;
  CU_ASSERT_NOT_EQUAL(sync_office(t_ctx, &fa, &rep), 0);
  struct central_household hb;
  T_OK(central_household_get(g_c, zB, &hb, &t_err));
  CU_ASSERT_STRING_NOT_EQUAL(hb.zMergedInto, "");
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM duplicate_merge WHERE "
                               "state = 'waiting'"),
                  1);
  /* sent again: merged (once), and the merge comes back in the feed */
  memset(&rep, 0, sizeof rep);
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.nMergeAsked, 1);
  CU_ASSERT_EQUAL(rep.nMergeRefused, 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM duplicate_merge WHERE "
                               "state = 'merged'"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE "
                               "status = 'inactive' AND status_reason LIKE "
                               "'merged into %'"),
                  1);
  CU_ASSERT_EQUAL(cases_review_banner(t_ctx, zIdB, z, sizeof z), 0);
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "same");
  CU_ASSERT_STRING_EQUAL(p.zMerge, "merged");
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM central_log WHERE "
                                "action = 'merge.office' AND actor LIKE "
                                "'sup (KH12%'"),
                  1);
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM merge_request"), 1);
  /* nothing waits: the next session sends nothing */
  memset(&rep, 0, sizeof rep);
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.nMergeAsked, 0);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM audit_log WHERE "
                               "action = 'duplicate.merge_answer'"),
                  1);
}

/* Send body zBody to POST /v1/merge as office zOffice; the status. */
static int ask_merge(const char *zOffice, const char *zReq, const char *zS,
                     const char *zM, struct buf *out)
{
  char zBody[400];
  int status = 0;
  snprintf(zBody, sizeof zBody,
           "{\"request\":\"%s\",\"survivor\":\"%s\","
           "\"merged\":\"%s\",\"by\":\"sup\"}",
           zReq, zS, zM);
  buf_reset(out);
  central_merge_ask(g_c, zOffice, zBody, strlen(zBody), &status, out, &t_err);
  return status;
}

/* Attacks on POST /v1/merge (both stores): an office asking to merge
 * another office's household (either side) is refused and logged; a
 * household merged elsewhere is refused with the reason, which the office
 * records and shows; a request replayed after an unmerge is answered as
 * before and does not merge again; a request id reused for another pair
 * and malformed bodies are refused. */
static void test_sync__office_merge_request_attacks(void)
{
  struct fake fa = {"KH12", 0, 0, 0, 0, 0, 0};
  struct fake fb = {"KH13", 0, 0, 0, 0, 0, 0};
  struct sync_report rep;
  struct buf out;
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX], zC[SWS_NUMBER_MAX];
  char zD[SWS_NUMBER_MAX];
  char zIdA[SWS_UUID_LEN + 1], zIdB[SWS_UUID_LEN + 1], zIdC[SWS_UUID_LEN + 1];
  char zIdD[SWS_UUID_LEN + 1], zReq[SWS_UUID_LEN + 1];
  buf_init(&out, 65536);
  reg(t_ctx, "Sok Dara", NULL, zA);
  reg(t_ctx, "Sok Dara", NULL, zB);
  reg(t_ctx, "Sok Dara", NULL, zD);
  reg(g_b, "Lim Bora", NULL, zC);
  T_OK(sync_office(t_ctx, &fa, &rep));
  T_OK(sync_office(g_b, &fb, &rep));
  T_OK(cases_household_resolve(t_ctx, zA, 0, zIdA, NULL, NULL, &t_err));
  T_OK(cases_household_resolve(t_ctx, zB, 0, zIdB, NULL, NULL, &t_err));
  T_OK(cases_household_resolve(t_ctx, zD, 0, zIdD, NULL, NULL, &t_err));
  T_OK(cases_household_resolve(g_b, zC, 0, zIdC, NULL, NULL, &t_err));
  /* another office's household, as the survivor or as the merged one */
  sws_uuid7(zReq);
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdA, zIdC, &out), 403);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not a household of office"));
  sws_uuid7(zReq);
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdC, zIdA, &out), 403);
  struct central_household h;
  T_OK(central_household_get(g_c, zC, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zMergedInto, "");
  T_OK(central_household_get(g_c, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zMergedInto, "");
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM central_log WHERE "
                                "action = 'merge.refused'"),
                  2);
  /* unknown household, malformed bodies */
  sws_uuid7(zReq);
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdA,
                            "00000000-0000-7000-8000-000000000000", &out),
                  404);
  CU_ASSERT_EQUAL(ask_merge("KH12", "not-a-uuid", zIdA, zIdB, &out), 400);
  const char *azBad[] = {"", "[]", "{}", "{\"request\": 1}"};
  for (size_t i = 0; i < sizeof azBad / sizeof azBad[0]; i++) {
    int status = 0;
    CU_ASSERT_EQUAL(central_merge_ask(g_c, "KH12", azBad[i], strlen(azBad[i]),
                                      &status, &out, &t_err),
                    SWS_EINVAL);
    CU_ASSERT_EQUAL(status, 400);
  }
  /* B merged into A by KH12's own request; replayed after an unmerge:
   * answered as before, not merged again */
  sws_uuid7(zReq);
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdA, zIdB, &out), 200);
  T_OK(central_unmerge(g_c, zB, &t_err));
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdA, zIdB, &out), 200);
  T_OK(central_household_get(g_c, zB, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zMergedInto, "");
  CU_ASSERT_EQUAL(central_count("SELECT count(*) FROM central_log WHERE "
                                "action = 'merge.office'"),
                  1);
  /* the same request id for another pair */
  CU_ASSERT_EQUAL(ask_merge("KH12", zReq, zIdA, zIdD, &out), 400);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "another pair"));
  /* and another office cannot use KH12's request (it is KH13's own) */
  CU_ASSERT_EQUAL(ask_merge("KH13", zReq, zIdA, zIdB, &out), 403);
  /* a household merged elsewhere: the office records the refusal, the
   * pair is open again with the registry's reason */
  T_OK(central_merge(g_c, zA, zD, &t_err));
  int64_t id = t_flag_id(t_ctx, zB, zD);
  CU_ASSERT_FATAL(id > 0);
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_review_decide(t_ctx, id, 1, NULL, ROLE_SUPERVISOR, &t_err));
  memset(&rep, 0, sizeof rep);
  T_OK(sync_office(t_ctx, &fa, &rep));
  CU_ASSERT_EQUAL(rep.nMergeRefused, 1);
  struct review_pair p;
  T_OK(cases_review_get(t_ctx, id, &p, &t_err));
  CU_ASSERT_STRING_EQUAL(p.zStatus, "open");
  CU_ASSERT_STRING_EQUAL(p.zMerge, "refused");
  CU_ASSERT_PTR_NOT_NULL(strstr(p.zAnswer, "merged"));
  buf_release(&out);
}

static CU_TestInfo tests[] = {
    {"test_sync__concurrent_insert_never_overwrites",
     test_sync__concurrent_insert_never_overwrites},
    {"test_sync__registry_tables_match_fields",
     test_sync__registry_tables_match_fields},
    {"test_sync__large_batch_applied_whole",
     test_sync__large_batch_applied_whole},
    {"test_sync__tampered_large_batch_checked_ahead",
     test_sync__tampered_large_batch_checked_ahead},
    {"test_sync__malformed_late_mutation_refuses_batch_whole",
     test_sync__malformed_late_mutation_refuses_batch_whole},
    {"test_sync__insert_without_optional_fields_is_stored",
     test_sync__insert_without_optional_fields_is_stored},
    {"test_sync__pipelined_insert_race_runs_again",
     test_sync__pipelined_insert_race_runs_again},
    {"test_sync__went_back_in_time", test_sync__went_back_in_time},
    {"test_sync__one_key_one_office", test_sync__one_key_one_office},
    {"test_sync__push_then_pull_keys", test_sync__push_then_pull_keys},
    {"test_sync__lost_answers_are_resent_without_doubling",
     test_sync__lost_answers_are_resent_without_doubling},
    {"test_sync__replayed_nonce_is_signed_again",
     test_sync__replayed_nonce_is_signed_again},
    {"test_sync__replayed_batch_changes_nothing",
     test_sync__replayed_batch_changes_nothing},
    {"test_sync__gap_is_resent_from_where_the_registry_is",
     test_sync__gap_is_resent_from_where_the_registry_is},
    {"test_sync__rejected_mutation_is_quarantined",
     test_sync__rejected_mutation_is_quarantined},
    {"test_sync__awkward_text_is_stored_exactly",
     test_sync__awkward_text_is_stored_exactly},
    {"test_sync__number_twice_in_one_batch_is_listed",
     test_sync__number_twice_in_one_batch_is_listed},
    {"test_sync__duplicate_job_bounded_and_fed",
     test_sync__duplicate_job_bounded_and_fed},
    {"test_sync__bulk_load_checked_indexed_found",
     test_sync__bulk_load_checked_indexed_found},
    {"test_sync__same_family_at_two_offices_is_merged",
     test_sync__same_family_at_two_offices_is_merged},
    {"test_sync__central_report_compiles_offices",
     test_sync__central_report_compiles_offices},
    {"test_sync__kept_report_is_the_counted_one",
     test_sync__kept_report_is_the_counted_one},
    {"test_sync__pair_decided_different_families",
     test_sync__pair_decided_different_families},
    {"test_sync__family_moves_to_another_office",
     test_sync__family_moves_to_another_office},
    {"test_sync__summaries_signed_sent_and_checked",
     test_sync__summaries_signed_sent_and_checked},
    {"test_sync__identity_conflict_keeps_registry_value",
     test_sync__identity_conflict_keeps_registry_value},
    {"test_sync__central_lists_open_conflicts",
     test_sync__central_lists_open_conflicts},
    {"test_sync__central_keeps_registry_value_and_office_closes",
     test_sync__central_keeps_registry_value_and_office_closes},
    {"test_sync__central_uses_office_value_everywhere",
     test_sync__central_uses_office_value_everywhere},
    {"test_sync__decision_finds_item_recorded_before_seq",
     test_sync__decision_finds_item_recorded_before_seq},
    {"test_sync__office_sends_its_value_again",
     test_sync__office_sends_its_value_again},
    {"test_sync__office_keeps_registry_value",
     test_sync__office_keeps_registry_value},
    {"test_sync__office_resolve_refused_by_the_domain",
     test_sync__office_resolve_refused_by_the_domain},
    {"test_sync__pulled_conflict_resolved_at_office",
     test_sync__pulled_conflict_resolved_at_office},
    {"test_sync__pulled_value_never_overwrites_unsent_change",
     test_sync__pulled_value_never_overwrites_unsent_change},
    {"test_sync__grievance_answered_above_reaches_office",
     test_sync__grievance_answered_above_reaches_office},
    {"test_sync__revoked_office_is_refused",
     test_sync__revoked_office_is_refused},
    {"test_sync__office_decides_same_family_registry_merges",
     test_sync__office_decides_same_family_registry_merges},
    {"test_sync__office_merge_request_attacks",
     test_sync__office_merge_request_attacks},
    CU_TEST_INFO_NULL,
};

static void setup_sqlite(void)
{
  g_pg = 0;
  setup();
}

CU_SuiteInfo suite_sync = {"sync", NULL, NULL, setup_sqlite, teardown,
                           tests};

/* The same tests with the registry on PostgreSQL. */
static void setup_pg(void)
{
  g_pg = 1;
  setup();
}

CU_SuiteInfo suite_sync_pg = {"sync_pg", NULL, NULL, setup_pg, teardown,
                              tests};
