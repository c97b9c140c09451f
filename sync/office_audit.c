/*
 * office_audit.c - the audit chain head sent, acknowledged and checked
 * (see office_audit.h).
 */
#include "sync/office_audit.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/office.h"
#include "core/mem.h"
#include "sync/audit_head.h"
#include "sync/office.h"

#define ANSWER_MAX ((size_t)64 << 10)

/* The acknowledged head kept in sync_state "audit_acked" (*pHave 0: none). */
static int acked_get(struct sws_ctx *ctx, struct audit_head *h, char *zAt,
                     size_t nAt, int *pHave, struct sws_err *err)
{
  char z[400];
  int rc = sync_state_get(ctx, "audit_acked", z, sizeof z, err);
  *pHave = 0;
  memset(h, 0, sizeof *h);
  if (zAt)
    zAt[0] = '\0';
  if (rc != 0 || z[0] == '\0')
    return rc;
  json_t *j = json_loads(z, 0, NULL);
  json_t *jId = json_object_get(j, "id"), *jN = json_object_get(j, "n");
  const char *zHash = json_string_value(json_object_get(j, "hash"));
  const char *zWhen = json_string_value(json_object_get(j, "at"));
  if (json_is_integer(jId) && json_is_integer(jN) && zHash) {
    h->id = json_integer_value(jId);
    h->n = json_integer_value(jN);
    sws_strlcpy(h->zHash, zHash, sizeof h->zHash);
    if (zAt)
      sws_strlcpy(zAt, zWhen ? zWhen : "", nAt);
    *pHave = 1;
  }
  json_decref(j);
  return SWS_OK;
}

/* The detail of the audit row that records the acknowledgement of h: the
 * check finds it, so that deleting the rows written after the head (this
 * one at least) is found too. */
static void ack_detail(char *z, size_t n, const struct audit_head *h)
{
  snprintf(z, n,
           "the central registry acknowledged row %" PRId64 " (%" PRId64
           " rows, hash %s)",
           h->id, h->n, h->zHash);
}

/* Keep the registry's answer: the head it kept, or its refusal (one
 * operation). */
static int answer_keep(struct sws_ctx *ctx, json_t *kept, const char *zRefused,
                       struct sws_err *err)
{
  char zDetail[200] = "audit head refused by the registry";
  int rc = cases_op_begin(ctx, "sync.audit_head", err);
  if (rc != 0)
    return rc;
  if (kept) {
    struct audit_head h = {json_integer_value(json_object_get(kept, "id")),
                           json_integer_value(json_object_get(kept, "n")), ""};
    sws_strlcpy(h.zHash, json_string_value(json_object_get(kept, "hash")),
                sizeof h.zHash);
    ack_detail(zDetail, sizeof zDetail, &h);
    char *z = json_dumps(kept, JSON_COMPACT | JSON_SORT_KEYS);
    rc = sync_state_set(ctx, "audit_acked", z ? z : "", err);
    free(z);
  }
  if (rc == 0)
    rc = sync_state_set(ctx, "audit_refused", zRefused, err);
  return cases_op_end(ctx, rc, "audit", "", zDetail, err);
}

/* The head to send now, linked to row linkId (0: none). */
static int head_make(struct sws_ctx *ctx, int64_t linkId, char **pzBody,
                     struct sws_err *err)
{
  struct office_info oi;
  struct audit_head ah;
  struct audit_head_msg h;
  unsigned char sk[SWS_SK_BYTES];
  int rc;
  *pzBody = NULL;
  if ((rc = cases_office_get(ctx, &oi, err)) != 0 ||
      (rc = cases_audit_head(ctx, &ah, err)) != 0)
    return rc;
  memset(&h, 0, sizeof h);
  sws_strlcpy(h.zDevice, oi.zDevice, sizeof h.zDevice);
  h.id = ah.id;
  h.n = ah.n;
  sws_strlcpy(h.zHash, ah.zHash, sizeof h.zHash);
  if (linkId > 0) {
    rc = cases_audit_hash_at(ctx, linkId, h.zLinkHash, err);
    if (rc == 0)
      h.linkId = linkId;
    else if (rc != SWS_ENOTFOUND)
      return rc; /* a missing row: sent without, the registry judges */
  }
  if ((rc = cases_office_secret_key(ctx, sk, err)) != 0)
    return rc;
  audit_head_sign(&h, sk);
  sodium_memzero(sk, sizeof sk);
  *pzBody = audit_head_encode(&h);
  if (*pzBody == NULL)
    return sws_err_set(err, SWS_EINVAL, "cannot encode the audit chain head");
  return SWS_OK;
}

int sync_audit_head_send(struct sws_ctx *ctx, const struct sync_transport *t,
                         const struct sync_opts *o, struct sync_report *rep,
                         struct sws_err *err)
{
  struct audit_head acked;
  struct buf resp;
  int bHave, rc = acked_get(ctx, &acked, NULL, 0, &bHave, err);
  if (rc != 0)
    return rc;
  int64_t linkId = bHave ? acked.id : 0;
  buf_init(&resp, ANSWER_MAX);
  /* at most twice: the registry may keep a head this office never heard
   * it acknowledge (its answer lost), and ask for the link to that one */
  for (int attempt = 0; attempt < 2; attempt++) {
    char *zBody = NULL;
    int status = 0;
    if ((rc = head_make(ctx, linkId, &zBody, err)) != 0)
      break;
    rc = sync_engine_request(t, o, "POST", "/v1/audit-head", zBody,
                             strlen(zBody), &status, &resp, rep, err);
    free(zBody);
    if (rc != 0 || status == 404)
      break; /* 404: an older registry, which keeps no heads */
    json_t *j = json_loadb(resp.z, resp.n, 0, NULL);
    const char *zError = json_string_value(json_object_get(j, "error"));
    json_t *kept = json_object_get(j, "kept");
    json_t *jLink = json_object_get(j, "kept_id");
    if (status == 200 && json_is_object(kept)) {
      rc = answer_keep(ctx, kept, "", err);
    } else if (status == 409 && zError && strcmp(zError, "audit-link") == 0 &&
               json_is_integer(jLink) && attempt == 0) {
      linkId = json_integer_value(jLink);
      json_decref(j);
      continue;
    } else if (status == 409 && zError &&
               strcmp(zError, "audit-diverged") == 0) {
      const char *zMsg = json_string_value(json_object_get(j, "message"));
      snprintf(rep->zAuditRefused, sizeof rep->zAuditRefused, "%s",
               zMsg ? zMsg : "the audit chain diverged");
      rc = answer_keep(ctx, NULL, rep->zAuditRefused, err);
    } else {
      rc = sync_engine_refused(err, status, &resp,
                               status == 403 ? SWS_EPERM : SWS_ENET,
                               "the audit chain head");
    }
    json_decref(j);
    break;
  }
  buf_release(&resp);
  return rc;
}

int sync_audit_check(struct sws_ctx *ctx, struct sync_audit_check *out,
                     void (*progress)(int64_t, int64_t, void *), void *arg,
                     struct sws_err *err)
{
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = cases_audit_verify(ctx, &out->chain, progress, arg, err)) != 0 ||
      (rc = cases_audit_head(ctx, &out->head, err)) != 0 ||
      (rc = acked_get(ctx, &out->acked, out->zAckedAt, sizeof out->zAckedAt,
                      &out->bAcked, err)) != 0 ||
      (rc = sync_state_get(ctx, "audit_refused", out->zRefused,
                           sizeof out->zRefused, err)) != 0)
    return rc;
  out->nAfter = out->head.n;
  if (!out->bAcked || out->acked.id == 0)
    return SWS_OK;
  char zHash[65], zDetail[200];
  int64_t recorded = 0;
  ack_detail(zDetail, sizeof zDetail, &out->acked);
  if ((rc = cases_audit_find(ctx, "sync.audit_head", zDetail, &recorded,
                             err)) != 0)
    return rc;
  rc = cases_audit_hash_at(ctx, out->acked.id, zHash, err);
  if (rc == SWS_ENOTFOUND || out->head.id < out->acked.id ||
      out->head.n < out->acked.n) {
    snprintf(out->zAckBroken, sizeof out->zAckBroken,
             "the log ends at row %" PRId64 " (%" PRId64 " rows), but the "
             "registry acknowledged row %" PRId64 " (%" PRId64 " rows) on "
             "%s: rows were deleted from its end",
             out->head.id, out->head.n, out->acked.id, out->acked.n,
             out->zAckedAt);
  } else if (rc != 0) {
    return rc;
  } else if (strcmp(zHash, out->acked.zHash) != 0) {
    snprintf(out->zAckBroken, sizeof out->zAckBroken,
             "row %" PRId64 " hashes %.12s... but the registry acknowledged "
             "it as %.12s... on %s: rows up to it were rewritten",
             out->acked.id, zHash, out->acked.zHash, out->zAckedAt);
  } else if (recorded <= out->acked.id) {
    snprintf(out->zAckBroken, sizeof out->zAckBroken,
             "the row that recorded the registry's acknowledgement of row "
             "%" PRId64 " on %s is gone: rows were deleted from the end",
             out->acked.id, out->zAckedAt);
  }
  out->nAfter = out->head.id - out->acked.id;
  if (out->nAfter < 0)
    out->nAfter = 0;
  return SWS_OK;
}
