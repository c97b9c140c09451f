/*
 * server.c - the central registry's HTTP routes (see server.h and
 * docs/sync-protocol.md, docs/transport.md).
 */
#include "sync/server.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/form.h"
#include "core/mem.h"
#include "sync/auth.h"
#include "sync/central_audit.h"
#include "sync/central_merge_ask.h"
#include "sync/central_move.h"
#include "sync/central_report.h"
#include "sync/central_snapshot.h"

static int json_error(struct http_resp *resp, int status, const char *zCode,
                      const char *zMsg)
{
  return http_resp_json_error(resp, status, zCode, zMsg);
}

/* A refusal, answered and logged (who, what, why). */
static int refuse(struct central *c, const struct http_req *req,
                  const char *zOffice, struct http_resp *resp, int status,
                  const char *zCode, const char *zMsg)
{
  central_log(c, "%s refused %s %s (%d %s): %s",
              zOffice && sync_auth_office_ok(zOffice) ? zOffice : "-",
              req->zMethod, req->zPath, status, zCode, zMsg);
  return json_error(resp, status, zCode, zMsg);
}

/* Check the signature, the office and the nonce; fill zOffice. Returns 0,
 * or an HTTP status with resp filled. */
static int authenticate(struct central *c, const struct http_req *req,
                        struct http_resp *resp, char *zOffice)
{
  struct sws_err err = SWS_ERR_INIT;
  unsigned char pk[SWS_PK_BYTES];
  const char *zO = http_req_header(req, SYNC_HDR_OFFICE);
  const char *zTime = http_req_header(req, SYNC_HDR_TIME);
  const char *zNonce = http_req_header(req, SYNC_HDR_NONCE);
  const char *zSig = http_req_header(req, SYNC_HDR_SIGNATURE);
  if (zO == NULL || !sync_auth_office_ok(zO)) {
    refuse(c, req, zO, resp, 401, "unsigned", "this request is not signed "
           "by an office; use 'sws sync'");
    return 401;
  }
  if (central_request_office(c, zO, pk, &err) != 0) {
    refuse(c, req, zO, resp, 403, "office", err.msg);
    return 403;
  }
  int rc = sync_auth_verify(req->zMethod, req->zTarget, req->zBody,
                            req->nBody, zO, zTime, zNonce, zSig, pk,
                            sws_now_ms() / 1000, CENTRAL_WINDOW_S, &err);
  if (rc != 0) {
    int status = rc == SYNC_AUTH_MALFORMED ? 400 : 401;
    refuse(c, req, zO, resp, status,
           rc == SYNC_AUTH_TIME ? "clock" : "signature", err.msg);
    return status;
  }
  if (central_request_nonce(c, zO, zNonce, strtoll(zTime, NULL, 10),
                            &err) != 0) {
    refuse(c, req, zO, resp, 401, "replay", err.msg);
    return 401;
  }
  sws_strlcpy(zOffice, zO, CENTRAL_CODE_MAX);
  return 0;
}

int central_http_handler(void *arg, const struct http_req *req,
                         struct http_resp *resp)
{
  struct central *c = arg;
  struct sws_err err = SWS_ERR_INIT;
  struct buf out;
  char zOffice[CENTRAL_CODE_MAX];
  int status = 500, rc;
  buf_init(&out, (size_t)16 << 20);
  if (strcmp(req->zPath, "/v1/hello") == 0 &&
      strcmp(req->zMethod, "GET") == 0) {
    central_hello(c, &out);
    rc = http_resp_json(resp, 200, buf_str(&out));
    buf_release(&out);
    return rc;
  }
  int bPush = strcmp(req->zPath, "/v1/push") == 0;
  int bFeed = strcmp(req->zPath, "/v1/feed") == 0;
  int bSummary = strcmp(req->zPath, "/v1/summary") == 0;
  int bReconcile = strcmp(req->zPath, "/v1/reconcile") == 0;
  int bMove = strcmp(req->zPath, "/v1/move") == 0;
  int bAudit = strcmp(req->zPath, "/v1/audit-head") == 0;
  int bMerge = strcmp(req->zPath, "/v1/merge") == 0;
  /* a new device's snapshot: POST begins it, GET reads its signed pages */
  int bSnapshot = strcmp(req->zPath, "/v1/snapshot") == 0;
  int bSnapPage = bSnapshot && strcmp(req->zMethod, "GET") == 0;
  if (!bPush && !bFeed && !bSummary && !bReconcile && !bMove && !bMerge &&
      !bSnapshot && !bAudit) {
    buf_release(&out);
    return json_error(resp, 404, "not-found", "no such address on the "
                      "central registry");
  }
  if (((bPush || bSummary || bReconcile || bMove || bMerge || bAudit ||
        (bSnapshot && !bSnapPage)) &&
       strcmp(req->zMethod, "POST") != 0) ||
      (bFeed && strcmp(req->zMethod, "GET") != 0)) {
    buf_release(&out);
    return json_error(resp, 405, "method", "wrong method for this address");
  }
  if (authenticate(c, req, resp, zOffice) != 0) {
    buf_release(&out);
    return 0;
  }
  if (bPush) {
    rc = central_push(c, zOffice, req->zBody, req->nBody, &status, &out,
                      &err);
  } else if (bAudit) {
    rc = central_audit_head_receive(c, zOffice, req->zBody, req->nBody, &status,
                                    &out, &err);
  } else if (bMove) {
    rc = central_move(c, zOffice, req->zBody, req->nBody, &status, &out, &err);
  } else if (bMerge) {
    rc = central_merge_ask(c, zOffice, req->zBody, req->nBody, &status, &out,
                           &err);
  } else if (bSnapshot && !bSnapPage) {
    rc = central_snapshot_begin(c, zOffice, req->zBody, req->nBody, &status,
                                &out, &err);
  } else if (bReconcile) {
    rc = central_reconcile(c, zOffice, req->zBody, req->nBody, &status, &out,
                           &err);
  } else if (bSummary) {
    rc = central_summary_receive(c, zOffice, req->zBody, req->nBody, &status,
                                 &err);
    if (rc == 0)
      buf_puts(&out, "{\"ok\":true}");
  } else {
    struct form f = FORM_INIT;
    const char *zCursor = "", *zMax;
    size_t nMax = 262144;
    if (form_parse(&f, req->zQuery, strlen(req->zQuery), NULL, &err) != 0) {
      form_release(&f);
      buf_release(&out);
      return refuse(c, req, zOffice, resp, 400, "query", err.msg);
    }
    if (form_get(&f, "cursor"))
      zCursor = form_get(&f, "cursor");
    if ((zMax = form_get(&f, "max")) != NULL)
      nMax = (size_t)strtoull(zMax, NULL, 10);
    rc = bSnapPage
             ? central_snapshot_page(c, zOffice, zCursor, nMax, &status, &out,
                                     &err)
             : central_feed(c, zOffice, zCursor, nMax, &status, &out, &err);
    form_release(&f);
  }
  if (rc != 0) {
    buf_release(&out);
    return refuse(c, req, zOffice, resp, status >= 400 ? status : 500,
                  status == 409 && !bMove && !bMerge ? "gap" : "refused",
                  err.msg);
  }
  rc = http_resp_json(resp, status, buf_str(&out));
  buf_release(&out);
  return rc;
}
