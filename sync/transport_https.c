/*
 * transport_https.c - HTTPS transport for the sync engine (see
 * transport_https.h).
 */
#include "sync/transport_https.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cases/office.h"
#include "core/mem.h"

struct https_transport {
  struct sync_http_config cfg;
  struct sync_signer signer;
  unsigned char sk[SWS_SK_BYTES];
  char zOffice[SWS_OFFICE_CODE_MAX];
  char *zUrl, *zCaFile, *zPin;
};

int sync_https_open(struct https_transport **out, struct sws_ctx *ctx,
                    const char *zUrl, const char *zCaFile, const char *zPin,
                    struct sws_err *err)
{
  struct office_info o;
  struct https_transport *h;
  int rc;
  *out = NULL;
  if ((rc = cases_office_get(ctx, &o, err)) != 0)
    return rc;
  h = sws_calloc(1, sizeof *h);
  if ((rc = cases_office_secret_key(ctx, h->sk, err)) != 0) {
    free(h);
    return rc;
  }
  sws_strlcpy(h->zOffice, o.zDevice, sizeof h->zOffice);
  h->zUrl = sws_strdup(zUrl);
  h->zCaFile = zCaFile && *zCaFile ? sws_strdup(zCaFile) : NULL;
  h->zPin = zPin && *zPin ? sws_strdup(zPin) : NULL;
  h->cfg.zBase = h->zUrl;
  h->cfg.zCaFile = h->zCaFile;
  h->cfg.zPin = h->zPin;
  h->cfg.pSession = sync_http_session_new();
  h->signer.zOffice = h->zOffice;
  h->signer.sk = h->sk;
  *out = h;
  return SWS_OK;
}

void sync_https_close(struct https_transport *h)
{
  if (h == NULL)
    return;
  sync_http_session_free(h->cfg.pSession);
  sodium_memzero(h->sk, sizeof h->sk);
  free(h->zUrl);
  free(h->zCaFile);
  free(h->zPin);
  free(h);
}

void sync_https_progress(struct https_transport *h,
                         void (*fn)(void *, int64_t, int64_t, int64_t,
                                    int64_t),
                         void *arg)
{
  h->cfg.progress = fn;
  h->cfg.progressArg = arg;
}

static int request(void *arg, const char *zMethod, const char *zPath,
                   const char *zBody, size_t nBody, int *pStatus,
                   struct buf *resp, int *pRetryAfter, struct sws_err *err)
{
  struct https_transport *h = arg;
  /* the greeting is not signed: it is how the clock is learnt */
  const struct sync_signer *s =
      strcmp(zPath, "/v1/hello") == 0 ? NULL : &h->signer;
  return sync_http_request(&h->cfg, s, zMethod, zPath, zBody, nBody,
                           pStatus, resp, pRetryAfter, err);
}

static void set_offset(void *arg, int64_t seconds)
{
  ((struct https_transport *)arg)->signer.clockOffset = seconds;
}

void sync_https_transport(struct https_transport *h, struct sync_transport *t)
{
  t->request = request;
  t->set_clock_offset = set_offset;
  t->arg = h;
}
