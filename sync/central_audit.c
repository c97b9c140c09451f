/*
 * central_audit.c - audit chain heads received and kept (see
 * central_audit.h).
 */
#include "sync/central_audit.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "sync/audit_head.h"

/* Why head h does not extend kept head k ("" when it does; 1 when the
 * link to k is missing and must be asked for). */
static int judge(const struct audit_head_msg *h,
                 const struct central_audit_head *k, char *zWhy, size_t n)
{
  zWhy[0] = '\0';
  if (h->id < k->id || h->n < k->n) {
    snprintf(zWhy, n,
             "its audit log ends at row %" PRId64 " (%" PRId64
             " rows) but ended at row %" PRId64 " (%" PRId64 " rows) at the "
             "sync of %s: rows were deleted from its end",
             h->id, h->n, k->id, k->n, k->zReceivedAt);
  } else if (h->id == k->id) {
    if (strcmp(h->zHash, k->zHash) != 0)
      snprintf(zWhy, n,
               "row %" PRId64 " of its audit log hashes %.12s... "
               "but hashed %.12s... at the sync of %s: rows up to it were "
               "rewritten",
               h->id, h->zHash, k->zHash, k->zReceivedAt);
  } else if (k->id > 0 && h->linkId != k->id) {
    return 1;
  } else if (k->id > 0 && strcmp(h->zLinkHash, k->zHash) != 0) {
    snprintf(zWhy, n,
             "row %" PRId64 " of its audit log hashes %.12s... "
             "but hashed %.12s... at the sync of %s: rows up to it were "
             "rewritten",
             k->id, h->zLinkHash, k->zHash, k->zReceivedAt);
  }
  return 0;
}

static void kept_json(struct buf *out, const struct central_audit_head *k)
{
  json_t *j =
      json_pack("{s:{s:I, s:s, s:I, s:s}}", "kept", "id", (json_int_t)k->id,
                "hash", k->zHash, "n", (json_int_t)k->n, "at", k->zReceivedAt);
  char *z = j ? json_dumps(j, JSON_COMPACT) : NULL;
  buf_puts(out, z ? z : "{}");
  free(z);
  json_decref(j);
}

/* One attempt, in one transaction with the device locked. */
static int keep(struct central *c, const char *zDevice,
                const struct audit_head_msg *h, int *pStatus, struct buf *out,
                struct sws_err *err)
{
  struct central_office o;
  struct central_audit_head k;
  char zWhy[300];
  int rc, bHave;
  if ((rc = c->s->ops->office_lock(c->s, zDevice, &o, err)) != 0)
    return rc;
  rc = c->s->ops->audit_head_get(c->s, zDevice, &k, err);
  if (rc != 0 && rc != SWS_ENOTFOUND)
    return rc;
  bHave = rc == 0;
  if (bHave && judge(h, &k, zWhy, sizeof zWhy)) {
    *pStatus = 409;
    buf_appendf(out, "{\"error\":\"audit-link\",\"kept_id\":%" PRId64 "}",
                k.id);
    return SWS_OK;
  }
  if (bHave && zWhy[0]) {
    char zDetail[400];
    sws_time_format(k.zDivergedAt, sizeof k.zDivergedAt, sws_now_ms());
    sws_strlcpy(k.zDivergedWhy, zWhy, sizeof k.zDivergedWhy);
    snprintf(zDetail, sizeof zDetail, "%s: audit chain diverged: %s", zDevice,
             zWhy);
    if ((rc = c->s->ops->audit_head_put(c->s, &k, err)) == 0 &&
        (rc = c->s->ops->log(c->s, zDevice, "audit.diverged", zDetail, err)) ==
            0) {
      json_t *j = json_pack("{s:s, s:s}", "error", "audit-diverged", "message",
                            zDetail);
      char *z = j ? json_dumps(j, JSON_COMPACT) : NULL;
      buf_puts(out, z ? z : "{}");
      free(z);
      json_decref(j);
      *pStatus = 409;
    }
    return rc;
  }
  if (!bHave)
    memset(&k, 0, sizeof k);
  sws_strlcpy(k.zDevice, zDevice, sizeof k.zDevice);
  k.id = h->id;
  k.n = h->n;
  sws_strlcpy(k.zHash, h->zHash, sizeof k.zHash);
  sws_b64url(k.zSig, h->sig, sizeof h->sig);
  sws_time_format(k.zReceivedAt, sizeof k.zReceivedAt, sws_now_ms());
  if ((rc = c->s->ops->audit_head_put(c->s, &k, err)) == 0) {
    kept_json(out, &k);
    *pStatus = 200;
  }
  return rc;
}

int central_audit_head_receive(struct central *c, const char *zDevice,
                               const char *zBody, size_t nBody, int *pStatus,
                               struct buf *out, struct sws_err *err)
{
  struct central_office o;
  struct audit_head_msg h;
  int rc;
  *pStatus = 500;
  if ((rc = c->s->ops->office_get(c->s, zDevice, &o, err)) != 0 || !o.active) {
    *pStatus = 403;
    return rc ? rc
              : sws_err_set(err, SWS_EPERM,
                            "office %s is revoked at "
                            "the central registry",
                            zDevice);
  }
  if ((rc = audit_head_decode(&h, zBody, nBody, err)) != 0) {
    *pStatus = 400;
    return rc;
  }
  if (strcmp(h.zDevice, zDevice) != 0) {
    *pStatus = 403;
    return sws_err_set(err, SWS_EPERM,
                       "an audit chain head of %s sent by "
                       "%s: a device sends only its own",
                       h.zDevice, zDevice);
  }
  if (!audit_head_verify(&h, o.pk)) {
    *pStatus = 403;
    return sws_err_set(err, SWS_ECRYPTO,
                       "the audit chain head of %s is not "
                       "signed with its enrolled key",
                       zDevice);
  }
  for (int attempt = 0; attempt < 5; attempt++) {
    buf_reset(out);
    if ((rc = c->s->ops->begin(c->s, err)) != 0)
      return rc;
    rc = keep(c, zDevice, &h, pStatus, out, err);
    if (rc == 0)
      rc = c->s->ops->commit(c->s, err);
    else
      c->s->ops->rollback(c->s);
    if (rc != SWS_ERETRY)
      break;
  }
  if (rc != 0) {
    *pStatus = 500;
    return rc;
  }
  if (*pStatus == 200)
    central_log(c,
                "%s audit chain head row %" PRId64 " (%" PRId64 " rows) kept",
                zDevice, h.id, h.n);
  else if (strstr(buf_str(out), "audit-diverged"))
    central_log(c, "%s audit chain diverged (head row %" PRId64 " refused)",
                zDevice, h.id);
  return SWS_OK;
}

int central_audit_head_get(struct central *c, const char *zDevice,
                           struct central_audit_head *out, struct sws_err *err)
{
  return c->s->ops->audit_head_get(c->s, zDevice, out, err);
}
