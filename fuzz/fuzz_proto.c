/*
 * fuzz_proto.c - libFuzzer target: the sync wire format (sync/proto.c) and
 * what each side does with a message from the other.
 *
 * The first byte picks the path, the rest is the message:
 *   0  a push body: proto_push_decode (and the same body split and
 *      decoded mutation by mutation, which must agree with it), then
 *      central_push on an in-memory registry with office KH12 enrolled
 *      (what the registry does with a body once the signature is checked)
 *   1  a push reply: proto_reply_decode (what the office reads back)
 *   2  a feed page: proto_page_decode, then sync_page_apply on an
 *      in-memory office (what the office does with a page)
 *   3  a feed request: the rest is "CURSOR\nMAX" for central_feed
 * Whatever the input: no crash, no leak, every refusal with a message,
 * and what decodes encodes again to the same thing. Accepted pushes must
 * be answered with a reply that decodes, one verdict per mutation, and
 * the registry's watermark never goes back. The databases are made afresh
 * every 500 inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/grievance.h"
#include "cases/office.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "sync/central.h"
#include "sync/office.h"
#include "sync/proto.h"

static struct central *g_c;
static struct sws_ctx *g_office;
static int g_runs;

static void fresh(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  central_close(g_c);
  cases_close(g_office);
  g_c = NULL;
  g_office = NULL;
  if (central_open(&g_c, ":memory:", 1, "Fuzz registry", &err) != 0 ||
      central_office_add(g_c, "KH12", "Fuzz office",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         NULL, 1, &err) != 0 ||
      cases_open(&g_office, NULL, CASES_CREATE | CASES_MEMORY, &err) != 0 ||
      cases_office_init(g_office, "KH13", "Fuzz office", &err) != 0 ||
      cases_area_load_default(g_office, &rep, &err) != 0 ||
      cases_grievance_config_load_default(g_office, &err) != 0) {
    fprintf(stderr, "fuzz_proto: %s\n", err.msg);
    abort();
  }
  buf_release(&rep.errors);
  cases_set_actor(g_office, "sync");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  sws_crypto_init(NULL);
  return 0;
}

static int same_text(const char *a, const char *b)
{
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The body decoded in two steps (proto_push_split, then each mutation on
 * its own) accepts exactly what the whole decoder accepts (bWhole), with
 * the same batch. */
static void split_agrees(const char *z, size_t n, int bWhole,
                         const struct proto_push *w)
{
  struct sws_err err = SWS_ERR_INIT;
  struct proto_push p;
  int ok = proto_push_split(&p, z, n, &err) == 0;
  if (!ok && err.msg[0] == '\0')
    abort();
  for (int i = 0; ok && i < p.n; i++) {
    sws_err_clear(&err);
    ok = proto_push_decode_one(&p, i, &err) == 0;
    if (!ok && err.msg[0] == '\0')
      abort();
  }
  if (ok != bWhole)
    abort();
  if (ok) {
    if (p.n != w->n || p.first != w->first || p.last != w->last ||
        strcmp(p.zDevice, w->zDevice) || strcmp(p.zBatch, w->zBatch))
      abort();
    for (int i = 0; i < p.n; i++) {
      const struct proto_mutation *a = &p.a[i], *b = &w->a[i];
      if (a->seq != b->seq || strcmp(a->zEntity, b->zEntity) ||
          strcmp(a->zId, b->zId) || strcmp(a->zOp, b->zOp) ||
          !same_text(a->zBy, b->zBy) || !same_text(a->zAt, b->zAt) ||
          !json_equal(a->fields, b->fields) ||
          (a->prev == NULL) != (b->prev == NULL) ||
          (a->prev && !json_equal(a->prev, b->prev)))
        abort();
    }
  }
  proto_push_release(&p);
}

static void push(const char *z, size_t n)
{
  struct sws_err err = SWS_ERR_INIT;
  struct proto_push p;
  int rc = proto_push_decode(&p, z, n, &err);
  if (rc != 0 && err.msg[0] == '\0')
    abort();
  split_agrees(z, n, rc == 0, &p);
  if (rc == 0) {
    /* what decodes is contiguous and encodes again to the same batch */
    if (p.n != p.last - p.first + 1 || p.n < 1)
      abort();
    for (int i = 0; i < p.n; i++)
      if (p.a[i].seq != p.first + i || !p.a[i].zEntity[0] || !p.a[i].zId[0])
        abort();
    char *zAgain = proto_push_encode(p.zDevice, p.zBatch, p.a, p.n);
    struct proto_push q;
    if (proto_push_decode(&q, zAgain, strlen(zAgain), NULL) != 0 ||
        q.n != p.n || q.first != p.first || strcmp(q.zBatch, p.zBatch) != 0)
      abort();
    proto_push_release(&q);
    free(zAgain);
    proto_push_release(&p);
  }

  struct central_office before, after;
  struct buf out;
  int status = 0;
  if (g_c->s->ops->office_get(g_c->s, "KH12", &before, NULL) != 0)
    abort();
  buf_init(&out, (size_t)16 << 20);
  sws_err_clear(&err);
  rc = central_push(g_c, "KH12", z, n, &status, &out, &err);
  if (rc == 0 && status != 200 && status != 409)
    abort();
  if (rc != 0 && ((status != 400 && status != 403) || err.msg[0] == '\0'))
    abort(); /* never a store error (500) for what an office sends */
  if (rc == 0 && status == 200) {
    struct proto_push_reply r;
    if (proto_reply_decode(&r, out.z, out.n, NULL) != 0 ||
        proto_push_decode(&p, z, n, NULL) != 0 || r.n != p.n ||
        r.ack < p.last)
      abort();
    proto_reply_release(&r);
    proto_push_release(&p);
  }
  if (g_c->s->ops->office_get(g_c->s, "KH12", &after, NULL) != 0 ||
      after.ack < before.ack)
    abort();
  buf_release(&out);
}

static void reply(const char *z, size_t n)
{
  struct sws_err err = SWS_ERR_INIT;
  struct proto_push_reply r;
  int rc = proto_reply_decode(&r, z, n, &err);
  if (rc != 0) {
    if (err.msg[0] == '\0')
      abort();
    return;
  }
  for (int i = 0; i < r.n; i++)
    if (r.a[i].zVerdict == NULL)
      abort();
  char *zAgain = proto_reply_encode(r.ack, r.a, r.n,
                                    r.zServerTime ? r.zServerTime : "");
  struct proto_push_reply q;
  if (proto_reply_decode(&q, zAgain, strlen(zAgain), NULL) != 0 ||
      q.n != r.n || q.ack != r.ack)
    abort();
  for (int i = 0; i < r.n; i++)
    if (q.a[i].seq != r.a[i].seq || strcmp(q.a[i].zVerdict, r.a[i].zVerdict))
      abort();
  proto_reply_release(&q);
  free(zAgain);
  proto_reply_release(&r);
}

static void page(const char *z, size_t n)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sync_counts c;
  struct proto_page p;
  int rc = proto_page_decode(&p, z, n, &err);
  if (rc != 0) {
    if (err.msg[0] == '\0')
      abort();
    return;
  }
  for (int i = 0; i < p.n; i++)
    if (p.a[i].zKind == NULL || !json_is_object(p.a[i].payload))
      abort();
  memset(&c, 0, sizeof c);
  sws_err_clear(&err);
  /* an item the office cannot apply is kept as a problem; only a broken
   * database may fail the page, and then with a message */
  rc = sync_page_apply(g_office, &p, &c, &err);
  if (rc != 0 && err.msg[0] == '\0')
    abort();
  if (rc == 0) {
    char zCursor[600];
    if (sync_state_get(g_office, "cursor", zCursor, sizeof zCursor, NULL) !=
            0 ||
        strcmp(zCursor, p.zNext) != 0)
      abort(); /* the cursor is stored with the page */
  }
  proto_page_release(&p);
}

static void feed(const char *z, size_t n)
{
  struct sws_err err = SWS_ERR_INIT;
  struct buf out;
  char *zCopy = sws_strndup(z, n);
  char *zMax = strchr(zCopy, '\n');
  size_t nMax = 4096;
  int status = 0;
  if (zMax) {
    *zMax++ = '\0';
    nMax = (size_t)strtoull(zMax, NULL, 10);
  }
  buf_init(&out, (size_t)16 << 20);
  int rc = central_feed(g_c, "KH12", zCopy, nMax, &status, &out, &err);
  if (rc == 0) {
    struct proto_page p;
    if (status != 200 || proto_page_decode(&p, out.z, out.n, NULL) != 0)
      abort();
    proto_page_release(&p);
  } else if ((status != 400 && status != 403 && status != 410) ||
             err.msg[0] == '\0') {
    abort();
  }
  buf_release(&out);
  free(zCopy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (g_c == NULL || ++g_runs % 500 == 0)
    fresh();
  if (size < 1)
    return 0;
  const char *z = (const char *)data + 1;
  size_t n = size - 1;
  switch (data[0] % 4) {
  case 0: push(z, n); break;
  case 1: reply(z, n); break;
  case 2: page(z, n); break;
  default: feed(z, n); break;
  }
  return 0;
}
