/*
 * test_snapshot.c - a new device of an existing office starts from a
 * signed snapshot (docs/sync-protocol.md, "A new device from a
 * snapshot"), in process: office KH12 and KH13 sync with a registry, a new
 * device KH12-2 takes KH12's snapshot through a transport that calls the
 * registry directly and can cut the link, alter a page or replay one. On
 * SQLite (suite snapshot) and PostgreSQL (snapshot_pg); the signed page
 * itself (pure) in snapshot_page. The same with real processes over
 * HTTPS: tests/e2e/snapshot.sh.
 */
#include <CUnit/CUnit.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "cases/office.h"
#include "core/crypto.h"
#include "sync/central.h"
#include "sync/central_snapshot.h"
#include "sync/engine.h"
#include "sync/office.h"
#include "sync/snapshot.h"
#include "tests/support.h"

static struct central *g_c;
static struct sws_ctx *g_b; /* KH13 (t_ctx is KH12) */
static struct sws_ctx *g_n; /* KH12-2, the new device */
static int g_pg;
static char g_zCentral[700];

enum { F_PLAIN, F_CUT, F_TAMPER, F_REPLAY };

struct fake {
  const char *zDevice;
  int mode;
  int nPages;       /* snapshot pages served */
  int nCutAfter;    /* F_CUT: pages served before the link goes */
  struct buf first; /* F_REPLAY: the first page, served again later */
};

static int fake_request(void *arg, const char *zMethod, const char *zPath,
                        const char *zBody, size_t nBody, int *pStatus,
                        struct buf *resp, int *pRetryAfter, struct sws_err *err)
{
  struct fake *f = arg;
  struct sws_err e = SWS_ERR_INIT;
  int rc = 0;
  *pRetryAfter = -1;
  if (strcmp(zPath, "/v1/hello") == 0) {
    central_hello(g_c, resp);
    *pStatus = 200;
    return 0;
  }
  if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/push") == 0)
    rc = central_push(g_c, f->zDevice, zBody, nBody, pStatus, resp, &e);
  else if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/reconcile") == 0)
    rc = central_reconcile(g_c, f->zDevice, zBody, nBody, pStatus, resp, &e);
  else if (strcmp(zMethod, "POST") == 0 && strcmp(zPath, "/v1/snapshot") == 0)
    rc = central_snapshot_begin(g_c, f->zDevice, zBody, nBody, pStatus, resp,
                                &e);
  else if (strncmp(zPath, "/v1/snapshot?", 13) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    if (f->mode == F_CUT && f->nPages >= f->nCutAfter)
      return sws_err_set(err, SWS_ENET, "the link went");
    f->nPages++;
    rc = central_snapshot_page(g_c, f->zDevice, zCur ? zCur + 7 : "", 2048,
                               pStatus, resp, &e);
    if (rc == 0 && f->mode == F_TAMPER && f->nPages == 2) {
      char *z = strstr(resp->z, "\"fields\":{");
      if (z)
        z[11] = z[11] == 'a' ? 'b' : 'a'; /* one byte of a field name */
    }
    if (rc == 0 && f->mode == F_REPLAY) {
      if (f->nPages == 1)
        buf_append(&f->first, resp->z, resp->n);
      else if (f->nPages == 3) {
        buf_reset(resp);
        buf_append(resp, f->first.z, f->first.n);
      }
    }
  } else if (strncmp(zPath, "/v1/feed?", 9) == 0) {
    const char *zCur = strstr(zPath, "cursor=");
    rc = central_feed(g_c, f->zDevice, zCur ? zCur + 7 : "", 4096, pStatus,
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

static int sync_device(struct sws_ctx *ctx, struct fake *f, int bSnapshot,
                       const char *zKey, struct sync_report *rep)
{
  struct sync_transport t = {fake_request, NULL, f};
  struct sync_opts o;
  memset(&o, 0, sizeof o);
  o.nBatchBytes = 4096;
  o.nPageBytes = 2048;
  o.nAttempts = 1;
  o.bSnapshot = bSnapshot;
  o.zRegistryKey = zKey;
  sync_report_release(rep);
  return sync_run(ctx, &t, &o, rep, &t_err);
}

static void enrol(struct sws_ctx *ctx, const char *zOf)
{
  struct office_info oi;
  char zPk[64];
  T_OK(cases_office_get(ctx, &oi, &t_err));
  sws_b64url(zPk, oi.pk, sizeof oi.pk);
  T_OK(central_office_add(g_c, oi.zDevice, "office", zPk, zOf, 1, &t_err));
}

static void setup(void)
{
  t_office_setup();
  g_b = t_office_new("KH13");
  g_n = t_device_at("KH12", "KH12-2", NULL);
  if (g_pg)
    snprintf(g_zCentral, sizeof g_zCentral, "%s", t_pg_url());
  else
    snprintf(g_zCentral, sizeof g_zCentral, "%s/central.db", t_tmpdir());
  if (central_open(&g_c, g_zCentral, 1, "Test registry", &t_err) != 0) {
    fprintf(stderr, "central: %s\n", t_err.msg);
    abort();
  }
  enrol(t_ctx, NULL);
  enrol(g_b, NULL);
}

static void teardown(void)
{
  central_close(g_c);
  g_c = NULL;
  cases_close(g_b);
  cases_close(g_n);
  g_b = g_n = NULL;
  t_office_teardown();
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
  struct household_input in = {"V1", NULL, NULL, NULL, m, 2, "a test family"};
  T_OK(cases_household_create(ctx, &in, zRegno, NULL, &t_err));
}

static int add_count(void *arg, int nCol, const char *const *azCol)
{
  if (nCol > 0 && azCol[0])
    *(int64_t *)arg += strtoll(azCol[0], NULL, 10);
  return 0;
}

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

/* KH12 with n families (two people each) and KH13 with one, synced. */
static void offices_with(int n, char zRegno[][32])
{
  struct fake fa = {"KH12", F_PLAIN, 0, 0, BUF_INIT};
  struct fake fb = {"KH13", F_PLAIN, 0, 0, BUF_INIT};
  struct sync_report rep;
  char zB[32], zHead[64];
  memset(&rep, 0, sizeof rep);
  for (int i = 0; i < n; i++) {
    snprintf(zHead, sizeof zHead, "Sok Chenda %c", 'A' + i % 26);
    reg(t_ctx, zHead, "Sok Dara", zRegno[i]);
  }
  reg(g_b, "Keo Malis", "Keo Vuthy", zB);
  T_OK(sync_device(t_ctx, &fa, 0, NULL, &rep));
  T_OK(sync_device(g_b, &fb, 0, NULL, &rep));
  sync_report_release(&rep);
}

static void registry_key(char zKey[48])
{
  central_snapshot_pubkey(g_c, zKey);
}

/* The office's records come, nobody else's; the device numbers its own
 * registrations under its code from 1, and may change the office's. */
static void test_snapshot__new_device_holds_the_office(void)
{
  char zR[3][32], zKey[48], zMine[32];
  struct fake fn = {"KH12-2", F_PLAIN, 0, 0, BUF_INIT};
  struct sync_report rep;
  memset(&rep, 0, sizeof rep);
  offices_with(3, zR);
  enrol(g_n, "KH12");
  registry_key(zKey);
  T_OK(sync_device(g_n, &fn, 1, zKey, &rep));
  CU_ASSERT_EQUAL(rep.snap.bDone, 1);
  CU_ASSERT_EQUAL(rep.snap.bBefore, 0);
  CU_ASSERT_EQUAL(rep.snap.nRecords, 9); /* 3 households, 6 people */
  CU_ASSERT(rep.snap.nPages > 1);
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM household"), 3);
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM member"), 6);
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM member WHERE name = "
                             "'Keo Malis'"),
                  0);
  /* compared once afterwards: nothing fell between */
  CU_ASSERT_EQUAL(rep.rec.bDone, 1);
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  CU_ASSERT_EQUAL(central_logged("snapshot"), 1);
  /* its own numbers and sequence */
  reg(g_n, "Ly Bopha", "Ly Dara", zMine);
  CU_ASSERT_EQUAL(strncmp(zMine, "KH12-2-", 7), 0);
  CU_ASSERT_EQUAL(count(g_n, "SELECT min(seq) FROM outbox"), 1);
  struct household_edit e = {NULL, NULL, "012777666"};
  T_OK(cases_household_edit(g_n, zR[0], &e, &t_err));
  T_OK(sync_device(g_n, &fn, 0, NULL, &rep));
  CU_ASSERT_EQUAL(rep.c.rejected, 0);
  CU_ASSERT_EQUAL(rep.c.acked, 4); /* household, 2 people, the phone */
  /* the office's first device learns both */
  struct fake fa = {"KH12", F_PLAIN, 0, 0, BUF_INIT};
  T_OK(sync_device(t_ctx, &fa, 0, NULL, &rep));
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE phone "
                               "= '012777666'"),
                  1);
  CU_ASSERT_EQUAL(count(t_ctx, "SELECT count(*) FROM household WHERE regno "
                               "LIKE 'KH12-2-%'"),
                  1);
  /* asked again: an ordinary sync */
  T_OK(sync_device(g_n, &fn, 1, zKey, &rep));
  CU_ASSERT_EQUAL(rep.snap.bBefore, 1);
  CU_ASSERT_EQUAL(central_logged("snapshot"), 1);
  sync_report_release(&rep);
}

/* Cut after two pages: the pages applied stay, the next run goes on
 * from there; a change made at the office meanwhile arrives after. */
static void test_snapshot__cut_resumes_and_misses_nothing(void)
{
  char zR[12][32], zKey[48];
  struct fake fn = {"KH12-2", F_CUT, 0, 2, BUF_INIT};
  struct fake fa = {"KH12", F_PLAIN, 0, 0, BUF_INIT};
  struct sync_report rep;
  memset(&rep, 0, sizeof rep);
  offices_with(12, zR);
  enrol(g_n, "KH12");
  registry_key(zKey);
  CU_ASSERT_NOT_EQUAL(sync_device(g_n, &fn, 1, zKey, &rep), 0);
  CU_ASSERT_EQUAL(rep.snap.bDone, 0);
  int64_t nHalf = count(g_n, "SELECT (SELECT count(*) FROM household) + "
                             "(SELECT count(*) FROM member)");
  CU_ASSERT(nHalf > 0 && nHalf < 36);
  /* the office changes a family the device may have already */
  struct household_edit e = {NULL, NULL, "098111222"};
  T_OK(cases_household_edit(t_ctx, zR[0], &e, &t_err));
  T_OK(sync_device(t_ctx, &fa, 0, NULL, &rep));
  fn.mode = F_PLAIN;
  fn.nPages = 0;
  T_OK(sync_device(g_n, &fn, 1, NULL, &rep)); /* the key was kept */
  CU_ASSERT_EQUAL(rep.snap.bDone, 1);
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM member"), 24);
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM household WHERE phone = "
                             "'098111222'"),
                  1);
  CU_ASSERT_EQUAL(central_logged("snapshot"), 1); /* put in the feed once */
  CU_ASSERT_EQUAL(rep.rec.nBuckets, 0);
  sync_report_release(&rep);
}

/* A page altered on the way, a page replayed, a wrong key: refused, and
 * nothing of the refused page is applied. */
static void test_snapshot__tampered_replayed_refused(void)
{
  char zR[12][32], zKey[48];
  struct fake fn = {"KH12-2", F_TAMPER, 0, 0, BUF_INIT};
  struct sync_report rep;
  memset(&rep, 0, sizeof rep);
  offices_with(12, zR);
  enrol(g_n, "KH12");
  registry_key(zKey);
  CU_ASSERT_EQUAL(sync_device(g_n, &fn, 1, zKey, &rep), SWS_ECRYPTO);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "signature"));
  CU_ASSERT_EQUAL(rep.snap.nPages, 1); /* the first, not the altered one */
  int64_t n1 = count(g_n, "SELECT count(*) FROM member");
  /* replayed: the first page again in third place */
  fn.mode = F_REPLAY;
  fn.nPages = 0;
  CU_ASSERT_EQUAL(sync_device(g_n, &fn, 1, NULL, &rep), SWS_ECRYPTO);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "out of order"));
  CU_ASSERT_EQUAL(rep.snap.nPages, 2);
  CU_ASSERT(count(g_n, "SELECT count(*) FROM member") >= n1);
  /* another key than the one the snapshot began with */
  unsigned char pk[32], sk[64];
  char zOther[48];
  sws_sign_keypair(pk, sk);
  sws_b64url(zOther, pk, sizeof pk);
  fn.mode = F_PLAIN;
  CU_ASSERT_EQUAL(sync_device(g_n, &fn, 1, zOther, &rep), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "another registry key"));
  /* and then it completes */
  T_OK(sync_device(g_n, &fn, 1, NULL, &rep));
  CU_ASSERT_EQUAL(count(g_n, "SELECT count(*) FROM member"), 24);
  buf_release(&fn.first);
  sync_report_release(&rep);
}

/* Another office's device asks for KH12's snapshot, or reads KH12-2's
 * pages with its cursor: 403. A body naming another device: 403. */
static void test_snapshot__other_office_refused(void)
{
  char zR[2][32];
  struct buf out = BUF_INIT;
  struct sws_err e = SWS_ERR_INIT;
  int status = 0;
  offices_with(2, zR);
  enrol(g_n, "KH12");
  static const char zAsK12[] =
      "{\"proto\":1,\"office\":\"KH12\",\"device\":\"KH13\"}";
  CU_ASSERT_NOT_EQUAL(central_snapshot_begin(g_c, "KH13", zAsK12,
                                             strlen(zAsK12), &status, &out, &e),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "belongs to office KH13"));
  static const char zOther[] =
      "{\"proto\":1,\"office\":\"KH12\",\"device\":\"KH12-2\"}";
  buf_reset(&out);
  CU_ASSERT_NOT_EQUAL(central_snapshot_begin(g_c, "KH13", zOther,
                                             strlen(zOther), &status, &out, &e),
                      0);
  CU_ASSERT_EQUAL(status, 403);
  CU_ASSERT_EQUAL(central_logged("snapshot"), 0);
  /* KH12-2's first page, and its cursor presented by KH13 */
  buf_reset(&out);
  T_OK(central_snapshot_begin(g_c, "KH12-2", zOther, strlen(zOther), &status,
                              &out, &e));
  buf_reset(&out);
  T_OK(central_snapshot_page(g_c, "KH12-2", "", 2048, &status, &out, &e));
  json_t *j = json_loads(out.z, 0, NULL);
  const char *zNext =
      json_string_value(json_object_get(json_object_get(j, "page"), "next"));
  CU_ASSERT_PTR_NOT_NULL_FATAL(zNext);
  buf_reset(&out);
  CU_ASSERT_NOT_EQUAL(
      central_snapshot_page(g_c, "KH13", zNext, 2048, &status, &out, &e), 0);
  CU_ASSERT_EQUAL(status, 403);
  json_decref(j);
  /* malformed */
  buf_reset(&out);
  CU_ASSERT_NOT_EQUAL(
      central_snapshot_begin(g_c, "KH12-2", "[]", 2, &status, &out, &e), 0);
  CU_ASSERT_EQUAL(status, 400);
  buf_release(&out);
}

static CU_TestInfo tests[] = {
    {"test_snapshot__new_device_holds_the_office",
     test_snapshot__new_device_holds_the_office},
    {"test_snapshot__cut_resumes_and_misses_nothing",
     test_snapshot__cut_resumes_and_misses_nothing},
    {"test_snapshot__tampered_replayed_refused",
     test_snapshot__tampered_replayed_refused},
    {"test_snapshot__other_office_refused",
     test_snapshot__other_office_refused},
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

CU_SuiteInfo suite_snapshot = {"snapshot",   NULL,     NULL,
                               setup_sqlite, teardown, tests};
CU_SuiteInfo suite_snapshot_pg = {"snapshot_pg", NULL,     NULL,
                                  setup_pg,      teardown, tests};

/* ---- the signed page alone ---- */

static void test_snapshot_page__signed_and_checked(void)
{
  unsigned char key[32], pk[32], sk[64], pk2[32], sk2[64];
  const char *zPage;
  size_t nPage;
  struct buf w = BUF_INIT;
  struct sws_err e = SWS_ERR_INIT;
  static const char zP[] = "{\"items\":[],\"next\":\"abc\",\"more\":false}";
  memset(key, 7, sizeof key);
  sync_snapshot_keypair(key, pk, sk);
  sync_snapshot_keypair(key, pk2, sk2);
  CU_ASSERT_EQUAL(memcmp(pk, pk2, 32), 0); /* derived: the same each time */
  key[0] = 8;
  sync_snapshot_keypair(key, pk2, sk2);
  CU_ASSERT_NOT_EQUAL(memcmp(pk, pk2, 32), 0);
  sync_snapshot_wrap(&w, sk, "KH12", "KH12-2", "cur.1", zP, strlen(zP));
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, w.z, w.n, "KH12", "KH12-2", "cur.1",
                                     &zPage, &nPage, &e),
                  0);
  CU_ASSERT_EQUAL(nPage, strlen(zP));
  CU_ASSERT_EQUAL(memcmp(zPage, zP, nPage), 0);
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, w.z, w.n, "KH13", "KH12-2", "cur.1",
                                     &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_OTHER_OFFICE);
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, w.z, w.n, "KH12", "KH12-3", "cur.1",
                                     &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_OTHER_DEVICE);
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, w.z, w.n, "KH12", "KH12-2", "cur.0",
                                     &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_ORDER);
  CU_ASSERT_EQUAL(sync_snapshot_open(pk2, w.z, w.n, "KH12", "KH12-2", "cur.1",
                                     &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_BADSIG);
  /* every byte of the page, and of what the signature covers, matters */
  for (size_t i = 0; i < w.n; i++) {
    char c = w.z[i];
    w.z[i] = c == '1' ? '2' : '1';
    CU_ASSERT_NOT_EQUAL(sync_snapshot_open(pk, w.z, w.n, "KH12", "KH12-2",
                                           "cur.1", &zPage, &nPage, &e),
                        0);
    w.z[i] = c;
  }
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, w.z, w.n - 1, "KH12", "KH12-2",
                                     "cur.1", &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_MALFORMED);
  static const char zSpace[] = "{ \"sig\":\"x\"}";
  CU_ASSERT_EQUAL(sync_snapshot_open(pk, zSpace, strlen(zSpace), "KH12",
                                     "KH12-2", "", &zPage, &nPage, &e),
                  SYNC_SNAPSHOT_MALFORMED);
  buf_release(&w);
  sodium_memzero(sk, sizeof sk);
}

static CU_TestInfo page_tests[] = {
    {"test_snapshot_page__signed_and_checked",
     test_snapshot_page__signed_and_checked},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_snapshot_page = {"snapshot_page", NULL, NULL, NULL, NULL,
                                    page_tests};
