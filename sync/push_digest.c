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
  const struct proto_push *p;
  char **aCanon;
  char (*aHash)[PROTO_HASH_MAX];
  char **aCheck; /* NULL: the fields follow their rules; else why not */
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int nReady; /* made so far (under mu) */
  int bStop;  /* the push is done with them (under mu) */
  int bThread;
};

static void digest_one(struct push_digest *d, int i)
{
  const struct proto_mutation *m = &d->p->a[i];
  struct sws_err err = SWS_ERR_INIT;
  if (fields_check(m->zEntity, strcmp(m->zOp, "insert") == 0, m->fields,
                   &err) != 0)
    d->aCheck[i] = sws_strdup(err.msg);
  d->aCanon[i] = proto_canonical(m->fields);
  proto_mutation_hash_with(m, d->aCanon[i], d->aHash[i]);
}

static void *run(void *arg)
{
  struct push_digest *d = arg;
  for (int i = 0; i < d->p->n; i++) {
    digest_one(d, i);
    pthread_mutex_lock(&d->mu);
    d->nReady = i + 1;
    int bStop = d->bStop;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    if (bStop)
      break;
  }
  return NULL;
}

struct push_digest *push_digest_start(const struct proto_push *p)
{
  struct push_digest *d = sws_calloc(1, sizeof *d);
  size_t n = p->n > 0 ? (size_t)p->n : 1;
  d->p = p;
  d->aCanon = sws_calloc(n, sizeof *d->aCanon);
  d->aHash = sws_calloc(n, sizeof *d->aHash);
  d->aCheck = sws_calloc(n, sizeof *d->aCheck);
  if (p->n >= THREAD_MIN && pthread_mutex_init(&d->mu, NULL) == 0) {
    if (pthread_cond_init(&d->cv, NULL) == 0) {
      d->bThread = pthread_create(&d->th, NULL, run, d) == 0;
      if (!d->bThread)
        pthread_cond_destroy(&d->cv);
    }
    if (!d->bThread)
      pthread_mutex_destroy(&d->mu);
  }
  if (!d->bThread) {
    for (int i = 0; i < p->n; i++)
      digest_one(d, i);
    d->nReady = p->n;
  }
  return d;
}

static void wait_for(struct push_digest *d, int i)
{
  if (!d->bThread)
    return;
  pthread_mutex_lock(&d->mu);
  while (d->nReady <= i)
    pthread_cond_wait(&d->cv, &d->mu);
  pthread_mutex_unlock(&d->mu);
}

const char *push_digest_canon(struct push_digest *d, int i)
{
  wait_for(d, i);
  return d->aCanon[i];
}

const char *push_digest_hash(struct push_digest *d, int i)
{
  wait_for(d, i);
  return d->aHash[i];
}

const char *push_digest_check(struct push_digest *d, int i)
{
  wait_for(d, i);
  return d->aCheck[i];
}

void push_digest_end(struct push_digest *d)
{
  if (d == NULL)
    return;
  if (d->bThread) {
    pthread_mutex_lock(&d->mu);
    d->bStop = 1;
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->th, NULL);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
  }
  for (int i = 0; i < d->p->n; i++) {
    free(d->aCanon[i]);
    free(d->aCheck[i]);
  }
  free(d->aCanon);
  free(d->aCheck);
  free(d->aHash);
  free(d);
}
