/*
 * office_merge.c - merge requests sent to the registry (see
 * office_merge.h).
 */
#include "sync/office_merge.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cases/review.h"
#include "core/buf.h"

#define MERGE_REPLY_MAX ((size_t)64 << 10)
#define MERGES_PER_SESSION 200

/* The registry's reason in a refusal, into zOut. */
static void reason(const struct buf *resp, char *zOut, size_t n)
{
  json_t *j = json_loadb(resp->z, resp->n, 0, NULL);
  const char *z = json_string_value(json_object_get(j, "message"));
  snprintf(zOut, n, "%s", z ? z : "the registry gave no reason");
  json_decref(j);
}

/* 1 if resp is the registry saying it has no such address (an older sws
 * that does not take merge requests yet). */
static int no_such_address(const struct buf *resp)
{
  json_t *j = json_loadb(resp->z, resp->n, 0, NULL);
  const char *z = json_string_value(json_object_get(j, "error"));
  int b = z && strcmp(z, "not-found") == 0;
  json_decref(j);
  return b;
}

static int send_one(struct sws_ctx *ctx, const struct sync_transport *t,
                    const struct sync_opts *o, const struct review_merge *m,
                    struct sync_report *rep, struct sws_err *err)
{
  struct buf resp;
  int status = 0, rc;
  char zWhy[500];
  json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s}", "request", m->zRequest,
                        "survivor", m->zSurvivor, "merged", m->zMerged, "by",
                        m->zBy, "reason", m->zReason);
  char *z = b ? json_dumps(b, JSON_COMPACT) : NULL;
  json_decref(b);
  if (z == NULL)
    return sws_err_set(err, SWS_EINVAL,
                       "the merge of %s into %s cannot be "
                       "sent (its reason is not text sws can send)",
                       m->zMergedRegno, m->zSurvivorRegno);
  buf_init(&resp, MERGE_REPLY_MAX);
  rc = sync_engine_request(t, o, "POST", "/v1/merge", z, strlen(z), &status,
                           &resp, rep, err);
  free(z);
  if (rc != 0)
    goto out;
  if (status == 200) {
    rc = cases_review_merge_answer(ctx, m->zRequest, 1, NULL, err);
    rep->nMergeAsked++;
  } else if (status == 404 && no_such_address(&resp)) {
    rc = sws_err_set(err, SWS_ENET,
                     "the central registry does not take "
                     "merge requests yet (an older sws); the merge of %s "
                     "into %s waits; ask its administrator to update it",
                     m->zMergedRegno, m->zSurvivorRegno);
  } else if (status == 400 || status == 403 || status == 404 || status == 409) {
    /* a decision the registry will not carry out: the supervisor sees why */
    reason(&resp, zWhy, sizeof zWhy);
    rc = cases_review_merge_answer(ctx, m->zRequest, 0, zWhy, err);
    rep->nMergeAsked++;
    rep->nMergeRefused++;
  } else {
    rc = sync_engine_refused(err, status, &resp, SWS_ENET, "a merge request");
  }
out:
  buf_release(&resp);
  return rc;
}

int sync_merge_send(struct sws_ctx *ctx, const struct sync_transport *t,
                    const struct sync_opts *o, struct sync_report *rep,
                    struct sws_err *err)
{
  struct review_merge *a = NULL;
  int n = 0;
  int rc = cases_review_merges_waiting(ctx, MERGES_PER_SESSION, &a, &n, err);
  for (int i = 0; i < n && rc == 0; i++)
    rc = send_one(ctx, t, o, &a[i], rep, err);
  free(a);
  return rc;
}
