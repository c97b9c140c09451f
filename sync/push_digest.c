/*
 * push_digest.c - the digests of a push batch, ahead of the writer (see
 * push_digest.h).
 */
#include "sync/push_digest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "sync/fields.h"

/* Below this many mutations a thread costs more than it saves. */
#define THREAD_MIN 64

struct push_digest {
  struct proto_push *p;
  char **aCanon;
  char (*aHash)[PROTO_HASH_MAX];
  char **aCheck; /* NULL: the fields follow their rules; else why not */
  char **aBad;   /* NULL: the mutation decoded; else why it did not */
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int n;
  json_t **aRoot; /* the decoded mutations, once handed over */
  int bDecodeFirst;
  int nDecoded; /* decoded so far, from the first on (under mu) */
  int iFront, iBack; /* bDecodeFirst: the next to decode from the front
                        (the thread), the last taken from the back
                        (push_digest_all) (under mu) */
  int nDone;    /* bDecodeFirst: decoded, wherever they are (under mu) */
  int nReady;   /* digested so far (under mu) */
  int bStop;  /* the push is done with them (under mu) */
  int bLeft;  /* the thread touches the batch no more (under mu) */
  int bHanded; /* aRoot is the thread's to free (under mu) */
  int bThread;
};

/* Mutation i decoded: 0, or -1 with aBad[i] saying why not. */
static int decode_one(struct push_digest *d, int i)
{
  struct sws_err err = SWS_ERR_INIT;
  if (proto_push_decode_one(d->p, i, &err) == 0)
    return 0;
  d->aBad[i] = sws_strdup(err.msg);
  return -1;
}

/* Mutation i (decoded, unless aBad[i] says it is not) digested. */
static void digest_one(struct push_digest *d, int i)
{
  const struct proto_mutation *m = &d->p->a[i];
  struct sws_err err = SWS_ERR_INIT;
  if (d->aBad[i])
    return;
  if (fields_check(m->zEntity, strcmp(m->zOp, "insert") == 0, m->fields,
                   &err) != 0)
    d->aCheck[i] = sws_strdup(err.msg);
  d->aCanon[i] = proto_canonical(m->fields);
  proto_mutation_hash_with(m, d->aCanon[i], d->aHash[i]);
}

/* Free d and what it made, and the mutations its thread decoded (aRoot,
 * handed over by push_digest_end). */
static void release(struct push_digest *d)
{
  for (int i = 0; i < d->n; i++) {
    free(d->aCanon[i]);
    free(d->aCheck[i]);
    free(d->aBad[i]);
    if (d->aRoot)
      json_decref(d->aRoot[i]);
  }
  free(d->aRoot);
  free(d->aBad);
  free(d->aCanon);
  free(d->aCheck);
  free(d->aHash);
  free(d);
}

/* Threads still freeing a batch after its push answered (push_digest_end
 * does not wait for that; push_digest_drain does). */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_nLive;

/* One more mutation decoded, in bDecodeFirst's order (under mu). */
static void decoded(struct push_digest *d)
{
  if (++d->nDone == d->n) {
    d->nDecoded = d->n;
    pthread_cond_broadcast(&d->cv);
  }
}

/* bDecodeFirst: the next mutation from the front (the thread) or from
 * the back (push_digest_all) decoded; 0 when none is left or the push is
 * done with the batch. */
static int decode_next(struct push_digest *d, int bBack)
{
  pthread_mutex_lock(&d->mu);
  int i = d->bStop || d->iFront >= d->iBack ? -1
          : bBack                           ? --d->iBack
                                            : d->iFront++;
  pthread_mutex_unlock(&d->mu);
  if (i < 0)
    return 0;
  decode_one(d, i);
  pthread_mutex_lock(&d->mu);
  decoded(d);
  pthread_mutex_unlock(&d->mu);
  return 1;
}

static void *run(void *arg)
{
  struct push_digest *d = arg;
  int bStop = 0;
  /* every mutation decoded first when the push reads the whole batch
   * before it applies any (bDecodeFirst); else each one in turn */
  while (d->bDecodeFirst && decode_next(d, 0))
    ;
  if (d->bDecodeFirst) { /* and those push_digest_all took from the back */
    pthread_mutex_lock(&d->mu);
    while (d->nDecoded < d->n && !d->bStop)
      pthread_cond_wait(&d->cv, &d->mu);
    bStop = d->bStop;
    pthread_mutex_unlock(&d->mu);
  }
  for (int i = 0; i < d->n && !bStop; i++) {
    if (!d->bDecodeFirst)
      decode_one(d, i);
    digest_one(d, i);
    pthread_mutex_lock(&d->mu);
    d->nDecoded = d->bDecodeFirst ? d->nDecoded : i + 1;
    d->nReady = i + 1;
    bStop = d->bStop;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
  }
  /* the batch is the push's again from here: the thread only frees what
   * it made, once the push has no more use for it */
  pthread_mutex_lock(&d->mu);
  d->bLeft = 1;
  pthread_cond_broadcast(&d->cv);
  while (!d->bHanded)
    pthread_cond_wait(&d->cv, &d->mu);
  pthread_mutex_unlock(&d->mu);
  pthread_cond_destroy(&d->cv);
  pthread_mutex_destroy(&d->mu);
  release(d);
  pthread_mutex_lock(&g_mu);
  if (--g_nLive == 0)
    pthread_cond_broadcast(&g_cv);
  pthread_mutex_unlock(&g_mu);
  return NULL;
}

struct push_digest *push_digest_start(struct proto_push *p,
                                      int bDecodeFirst)
{
  struct push_digest *d = sws_calloc(1, sizeof *d);
  size_t n = p->n > 0 ? (size_t)p->n : 1;
  d->p = p;
  d->n = p->n;
  d->bDecodeFirst = bDecodeFirst;
  d->iBack = p->n;
  d->aCanon = sws_calloc(n, sizeof *d->aCanon);
  d->aHash = sws_calloc(n, sizeof *d->aHash);
  d->aCheck = sws_calloc(n, sizeof *d->aCheck);
  d->aBad = sws_calloc(n, sizeof *d->aBad);
  if (p->n >= THREAD_MIN && pthread_mutex_init(&d->mu, NULL) == 0) {
    if (pthread_cond_init(&d->cv, NULL) == 0) {
      pthread_mutex_lock(&g_mu);
      d->bThread = pthread_create(&d->th, NULL, run, d) == 0;
      g_nLive += d->bThread;
      pthread_mutex_unlock(&g_mu);
      if (!d->bThread)
        pthread_cond_destroy(&d->cv);
    }
    if (!d->bThread)
      pthread_mutex_destroy(&d->mu);
  }
  if (!d->bThread) {
    for (int i = 0; i < p->n; i++) {
      decode_one(d, i);
      digest_one(d, i);
    }
    d->nDecoded = d->nReady = p->n;
  }
  return d;
}

/* Wait until (*pn) > i: nDecoded or nReady. */
static void wait_for(struct push_digest *d, const int *pn, int i)
{
  if (!d->bThread)
    return;
  pthread_mutex_lock(&d->mu);
  while (*pn <= i)
    pthread_cond_wait(&d->cv, &d->mu);
  pthread_mutex_unlock(&d->mu);
}

const struct proto_mutation *push_digest_mutation(struct push_digest *d,
                                                  int i, struct sws_err *err)
{
  wait_for(d, &d->nDecoded, i);
  if (d->aBad[i]) {
    sws_err_set(err, SWS_EINVAL, "%s", d->aBad[i]);
    return NULL;
  }
  return &d->p->a[i];
}

int push_digest_all(struct push_digest *d, struct sws_err *err)
{
  /* the caller would only wait: it decodes from the back meanwhile */
  while (d->bThread && d->bDecodeFirst && decode_next(d, 1))
    ;
  for (int i = 0; i < d->n; i++)
    if (push_digest_mutation(d, i, err) == NULL)
      return SWS_EINVAL;
  return SWS_OK;
}

const char *push_digest_canon(struct push_digest *d, int i)
{
  wait_for(d, &d->nReady, i);
  return d->aCanon[i];
}

const char *push_digest_hash(struct push_digest *d, int i)
{
  wait_for(d, &d->nReady, i);
  return d->aHash[i];
}

const char *push_digest_check(struct push_digest *d, int i)
{
  wait_for(d, &d->nReady, i);
  return d->aCheck[i];
}

void push_digest_end(struct push_digest *d)
{
  if (d == NULL)
    return;
  if (!d->bThread) {
    release(d);
    return;
  }
  /* the mutations the thread decoded are freed by it, after the push has
   * answered: freeing tens of thousands of small objects is not the
   * office's wait (measured: a tenth of the registry's time on a push) */
  pthread_t th = d->th; /* d is the thread's from the handover on */
  pthread_mutex_lock(&d->mu);
  d->bStop = 1;
  pthread_cond_broadcast(&d->cv);
  while (!d->bLeft) /* at most one mutation's work away */
    pthread_cond_wait(&d->cv, &d->mu);
  d->aRoot = d->p->aRoot;
  d->p->aRoot = NULL;
  d->bHanded = 1;
  pthread_cond_broadcast(&d->cv);
  pthread_mutex_unlock(&d->mu);
  pthread_detach(th);
}

void push_digest_drain(void)
{
  pthread_mutex_lock(&g_mu);
  while (g_nLive > 0)
    pthread_cond_wait(&g_cv, &g_mu);
  pthread_mutex_unlock(&g_mu);
}
