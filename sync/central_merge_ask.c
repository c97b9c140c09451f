/*
 * central_merge_ask.c - an office asks for a merge (see
 * central_merge_ask.h).
 *
 * The checks an administrator makes before 'sws central merge' are made
 * here for the office, with one more: the ownership rule (an office
 * changes only what it holds) applies to both households. A request
 * replayed byte for byte is refused earlier, by its nonce (sync/server.c);
 * each answer is kept (merge_request), so the same request signed again
 * (a session cut before its answer, or a copy replayed later, even after
 * an unmerge) is answered as before and nothing is done twice.
 */
#include "sync/central_merge_ask.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"

/* The answer: 200 and the pair's numbers. */
static void merged_answer(struct buf *out, const struct central_household *a,
                          const struct central_household *b)
{
  json_t *j = json_pack("{s:s, s:s, s:s}", "result", "merged", "survivor",
                        a->zRegno, "merged", b->zRegno);
  char *z = json_dumps(j, JSON_COMPACT);
  buf_puts(out, z);
  free(z);
  json_decref(j);
}

static int body_text(json_t *b, const char *zKey, size_t nMax, int bRequired,
                     const char **pz)
{
  json_t *v = json_object_get(b, zKey);
  *pz = json_string_value(v);
  if (v == NULL)
    return bRequired ? -1 : 0;
  return *pz == NULL || strlen(*pz) > nMax || (bRequired && **pz == '\0') ? -1
                                                                          : 0;
}

/* A request kept before (merge_request): its pair and answer. */
struct kept {
  int bFound, status;
  char zSurvivor[CENTRAL_ID_MAX], zMerged[CENTRAL_ID_MAX];
  char *zAnswer;
};

static int take_kept(void *arg, int nCol, const char *const *az)
{
  struct kept *k = arg;
  if (nCol < 4 || !az[0] || !az[1] || !az[2] || !az[3])
    return 1;
  int64_t st = 0;
  if (sws_parse_int64("status", az[0], 100, 599, &st, NULL) != 0)
    return 1;
  k->bFound = 1;
  k->status = (int)st;
  k->zAnswer = sws_strdup(az[1]);
  sws_strlcpy(k->zSurvivor, az[2], sizeof k->zSurvivor);
  sws_strlcpy(k->zMerged, az[3], sizeof k->zMerged);
  return 1;
}

/* Answer a request seen before as it was answered then. */
static int answer_kept(const struct kept *k, const char *zReq,
                       const char *zSurv, const char *zMerged, int *pStatus,
                       struct buf *out, struct sws_err *err)
{
  if (strcmp(k->zSurvivor, zSurv) != 0 || strcmp(k->zMerged, zMerged) != 0) {
    *pStatus = 400;
    return sws_err_set(err, SWS_EINVAL,
                       "request %s was made for another "
                       "pair of households; a new decision is a new request",
                       zReq);
  }
  *pStatus = k->status;
  if (k->status == 200) {
    buf_puts(out, k->zAnswer);
    return SWS_OK;
  }
  json_t *j = json_loads(k->zAnswer, 0, NULL);
  const char *zWhy = json_string_value(json_object_get(j, "message"));
  int rc = sws_err_set(err,
                       k->status == 403   ? SWS_EPERM
                       : k->status == 404 ? SWS_ENOTFOUND
                                          : SWS_ECONFLICT,
                       "%s", zWhy ? zWhy : "refused before");
  json_decref(j);
  return rc;
}

/* Keep the answer to a request (a refusal as its message). */
static void keep(struct central *c, const char *zOffice, const char *zReq,
                 const char *zSurv, const char *zMerged, int status,
                 const struct buf *out, const struct sws_err *e)
{
  char *z = NULL;
  if (status != 200) {
    json_t *j = json_pack("{s:s, s:s}", "error", "refused", "message", e->msg);
    z = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
  }
  c->s->ops->merge_request_put(c->s, zOffice, zReq, zSurv, zMerged, status,
                               status == 200 ? out->z
                               : z           ? z
                                             : "{}",
                               NULL);
  free(z);
}

int central_merge_ask(struct central *c, const char *zDevice, const char *zBody,
                      size_t nBody, int *pStatus, struct buf *out,
                      struct sws_err *err)
{
  struct central_household a, b;
  struct kept k = {0, 0, "", "", NULL};
  json_error_t je;
  char zOf[CENTRAL_CODE_MAX], zOfA[CENTRAL_CODE_MAX], zOfB[CENTRAL_CODE_MAX];
  char zActor[CENTRAL_CODE_MAX + 96], zDetail[1400];
  const char *zReq, *zSurv, *zMerged, *zBy = NULL, *zWhy = NULL;
  int rc;
  *pStatus = 400;
  json_t *j = nBody <= 8192 ? json_loadb(zBody, nBody, 0, &je) : NULL;
  if (!json_is_object(j) || body_text(j, "request", 36, 1, &zReq) ||
      !sws_uuid_ok(zReq, strlen(zReq)) ||
      body_text(j, "survivor", 36, 1, &zSurv) ||
      body_text(j, "merged", 36, 1, &zMerged) ||
      body_text(j, "by", 63, 0, &zBy) ||
      body_text(j, "reason", 1000, 0, &zWhy) ||
      (zBy && sws_text_check("by", zBy, 63, 0, NULL) != 0) ||
      (zWhy && sws_text_check("reason", zWhy, 1000, 0, NULL) != 0)) {
    json_decref(j);
    return sws_err_set(err, SWS_EINVAL,
                       "a merge request names the request (a UUID), the "
                       "household that stays (survivor) and the one merged "
                       "into it (merged), with who asked (by) and why "
                       "(reason)");
  }
  central_office_of(c, zDevice, zOf);
  /* the same request again: the answer it had, nothing done twice */
  const char *aParam[2] = {zOf, zReq};
  *pStatus = 500;
  if ((rc = c->s->ops->read_rows(c->s,
                                 "SELECT status, answer, survivor, merged "
                                 "FROM merge_request WHERE office = $1 AND "
                                 "request_id = $2",
                                 2, aParam, take_kept, &k, err)) != 0)
    goto out;
  if (k.bFound) {
    rc = answer_kept(&k, zReq, zSurv, zMerged, pStatus, out, err);
    goto out;
  }
  snprintf(zActor, sizeof zActor, "%s (%s)", zBy && zBy[0] ? zBy : "office",
           zDevice);
  if ((rc = central_household_get(c, zSurv, &a, err)) != 0 ||
      (rc = central_household_get(c, zMerged, &b, err)) != 0) {
    *pStatus = rc == SWS_ENOTFOUND ? 404 : 500;
    goto refused;
  }
  central_office_of(c, a.zOffice, zOfA);
  central_office_of(c, b.zOffice, zOfB);
  if (strcmp(zOfA, zOf) != 0 || strcmp(zOfB, zOf) != 0) {
    *pStatus = 403;
    rc = sws_err_set(err, SWS_EPERM,
                     "%s is not a household of office %s; an office asks "
                     "only for merges of its own households (the other "
                     "office or the registry decides)",
                     strcmp(zOfA, zOf) != 0 ? a.zRegno : b.zRegno, zOf);
    goto refused;
  }
  /* merged so already (by the registry, or this request before its
   * answer was kept): merged, nothing done again */
  if (strcmp(b.zMergedInto, a.zId) != 0 &&
      (rc = central_merge_by(c, a.zId, b.zId, zActor, "merge.office", err)) !=
          0) {
    *pStatus = rc == SWS_ECONFLICT ? 409 : rc == SWS_EINVAL ? 400 : 500;
    goto refused;
  }
  snprintf(zDetail, sizeof zDetail,
           "%s into %s, asked by office %s "
           "(request %s)%s%s",
           b.zRegno, a.zRegno, zOf, zReq, zWhy && zWhy[0] ? ": " : "",
           zWhy ? zWhy : "");
  c->s->ops->log(c->s, zActor, "merge.request", zDetail, NULL);
  *pStatus = 200;
  merged_answer(out, &a, &b);
  keep(c, zOf, zReq, zSurv, zMerged, 200, out, err);
  rc = SWS_OK;
  goto out;
refused:
  if (*pStatus != 500) {
    snprintf(zDetail, sizeof zDetail,
             "refused to merge %s into %s for "
             "office %s (request %s): %s",
             zMerged, zSurv, zOf, zReq, err->msg);
    c->s->ops->log(c->s, zActor, "merge.refused", zDetail, NULL);
    keep(c, zOf, zReq, zSurv, zMerged, *pStatus, out, err);
  }
out:
  free(k.zAnswer);
  json_decref(j);
  return rc;
}
