/*
 * http_client.c - HTTPS requests to the central registry over libcurl
 * (see http_client.h and docs/transport.md).
 */
#include "http_client.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/gzip.h"
#include "core/mem.h"
#include "sync/auth.h"

#define URL_MAX 600
#define EXPECT_MIN ((size_t)32 << 10)
#define EXPECT_WAIT_MS 3000L
#define DAY 86400

struct sync_http_session {
  CURL *c;
};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static CURLcode g_init = CURLE_OK;

static void global_init(void)
{
  g_init = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int ensure_init(struct sws_err *err)
{
  pthread_once(&g_once, global_init);
  if (g_init != CURLE_OK)
    return sws_err_set(err, SWS_ENET, "cannot initialise libcurl (%s)",
                       curl_easy_strerror(g_init));
  return SWS_OK;
}

struct sync_http_session *sync_http_session_new(void)
{
  if (ensure_init(NULL) != 0)
    return NULL;
  struct sync_http_session *s = sws_calloc(1, sizeof *s);
  s->c = curl_easy_init();
  if (s->c == NULL) {
    free(s);
    return NULL;
  }
  return s;
}

void sync_http_session_free(struct sync_http_session *s)
{
  if (s == NULL)
    return;
  curl_easy_cleanup(s->c);
  free(s);
}

/* ---- Retry-After and backoff -------------------------------------------- */

int sync_http_retry_after(const char *zValue, int64_t now)
{
  char z[64];
  if (zValue == NULL)
    return -1;
  while (*zValue == ' ' || *zValue == '\t')
    zValue++;
  sws_strlcpy(z, zValue, sizeof z);
  size_t n = strlen(z);
  while (n > 0 && isspace((unsigned char)z[n - 1]))
    z[--n] = '\0';
  if (n == 0)
    return -1;
  if (strspn(z, "0123456789") == n) {
    if (n > 6)
      return DAY;
    long v = strtol(z, NULL, 10);
    return v > DAY ? DAY : (int)v;
  }
  /* an HTTP date needs a letter (a weekday or month name) */
  if (strpbrk(z, "JFMASONDjfmasond") == NULL)
    return -1;
  time_t t = curl_getdate(z, NULL);
  if (t == (time_t)-1)
    return -1;
  int64_t d = (int64_t)t - now;
  if (d < 0)
    return 0;
  return d > DAY ? DAY : (int)d;
}

/* splitmix64: small, fast, and good enough to spread retries */
static uint64_t next_rand(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int64_t sync_backoff_delay_ms(int attempt, int retryAfterSeconds,
                              uint64_t *rng)
{
  int64_t ceiling = SYNC_BACKOFF_CAP_MS;
  if (attempt < 0)
    attempt = 0;
  if (attempt < 20) {
    int64_t c = (int64_t)SYNC_BACKOFF_BASE_MS << attempt;
    if (c < ceiling)
      ceiling = c;
  }
  uint64_t r;
  if (rng)
    r = next_rand(rng);
  else
    sws_random(&r, sizeof r);
  int64_t delay = (int64_t)(r % (uint64_t)(ceiling + 1));
  if (retryAfterSeconds >= 0) {
    int64_t ra = (int64_t)retryAfterSeconds * 1000;
    if (ra > SYNC_RETRY_AFTER_MAX_MS)
      ra = SYNC_RETRY_AFTER_MAX_MS;
    if (delay < ra)
      delay = ra;
  }
  return delay;
}

/* ---- one request -------------------------------------------------------- */

struct xfer {
  struct buf *resp;
  int bTooBig;
  char zRetryAfter[64];
  char zDate[64];
  const struct sync_http_config *cfg;
};

static size_t on_write(char *p, size_t size, size_t nmemb, void *arg)
{
  struct xfer *x = arg;
  size_t n = size * nmemb;
  if (buf_append(x->resp, p, n) != 0) {
    x->bTooBig = 1;
    return 0; /* makes curl stop with CURLE_WRITE_ERROR */
  }
  return n;
}

/* Copy the value of header line p (n bytes) if it is zName. */
static void header_value(char *out, size_t nOut, const char *zName,
                         const char *p, size_t n)
{
  size_t k = strlen(zName);
  if (n <= k || strncasecmp(p, zName, k) != 0 || p[k] != ':')
    return;
  p += k + 1;
  n -= k + 1;
  while (n > 0 && (*p == ' ' || *p == '\t')) {
    p++;
    n--;
  }
  while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
    n--;
  if (n >= nOut)
    n = nOut - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
  struct xfer *x = arg;
  size_t n = size * nmemb;
  if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
    /* a new response (after a 100 Continue): forget the interim headers */
    x->zRetryAfter[0] = x->zDate[0] = '\0';
    return n;
  }
  header_value(x->zRetryAfter, sizeof x->zRetryAfter, "Retry-After", p, n);
  header_value(x->zDate, sizeof x->zDate, "Date", p, n);
  return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
  const struct sync_http_config *cfg = arg;
  cfg->progress(cfg->progressArg, (int64_t)ulnow, (int64_t)ultotal,
                (int64_t)dlnow, (int64_t)dltotal);
  return 0;
}

/* The host of an http:// or https:// URL after the scheme, into out. */
static void url_host(char *out, size_t n, const char *zRest)
{
  size_t k;
  if (zRest[0] == '[') {
    const char *e = strchr(zRest, ']');
    k = e ? (size_t)(e - zRest) + 1 : strlen(zRest);
  } else {
    k = strcspn(zRest, ":/?");
  }
  if (k >= n)
    k = n - 1;
  memcpy(out, zRest, k);
  out[k] = '\0';
}

/* Check the base; *pHttp is set for an allowed http:// test base. */
static int base_check(const struct sync_http_config *cfg, int *pHttp,
                      struct sws_err *err)
{
  const char *z = cfg->zBase;
  char zHost[80];
  *pHttp = 0;
  if (z == NULL || *z == '\0')
    return sws_err_set(err, SWS_EINVAL, "no address for the central "
                       "registry; give it as https://HOST:PORT");
  for (const char *p = z; *p; p++)
    if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
      return sws_err_set(err, SWS_EINVAL, "the registry address has spaces "
                         "or other characters that cannot be in a URL");
  if (strlen(z) > 300)
    return sws_err_set(err, SWS_EINVAL, "the registry address is too long");
  if (strncmp(z, "https://", 8) == 0)
    return SWS_OK;
  if (strncmp(z, "http://", 7) == 0 && cfg->bTestAllowHttp) {
    url_host(zHost, sizeof zHost, z + 7);
    if (strcmp(zHost, "127.0.0.1") == 0 || strcmp(zHost, "[::1]") == 0 ||
        strcmp(zHost, "localhost") == 0) {
      *pHttp = 1;
      return SWS_OK;
    }
  }
  return sws_err_set(err, SWS_EINVAL, "the registry address '%.80s' must "
                     "start with https:// (sync never travels unencrypted)",
                     z);
}

/* The reason after the last ": " of curl's message, lower-cased. */
static void detail(char *out, size_t n, const char *zErrBuf, CURLcode rc)
{
  const char *z = zErrBuf[0] ? zErrBuf : curl_easy_strerror(rc);
  sws_strlcpy(out, z, n);
  size_t k = strlen(out);
  while (k > 0 && (out[k - 1] == '\n' || out[k - 1] == '.'))
    out[--k] = '\0';
  if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
    out[0] = (char)(out[0] - 'A' + 'a');
}

static int curl_failure(const struct sync_http_config *cfg, CURL *c,
                        CURLcode rc, const char *zErrBuf,
                        const struct xfer *x, struct sws_err *err)
{
  char zWhy[CURL_ERROR_SIZE];
  long osErr = 0;
  const char *zBase = cfg->zBase;

  detail(zWhy, sizeof zWhy, zErrBuf, rc);
  curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &osErr);
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
    return sws_err_set(err, SWS_ENET, "cannot find the central registry "
                       "'%.80s' (name lookup failed); check the network or "
                       "the address", zBase);
  case CURLE_COULDNT_CONNECT:
    if (osErr > 0) {
      sws_strlcpy(zWhy, strerror((int)osErr), sizeof zWhy);
      if (zWhy[0] >= 'A' && zWhy[0] <= 'Z')
        zWhy[0] = (char)(zWhy[0] - 'A' + 'a');
    }
    return sws_err_set(err, SWS_ENET, "cannot reach the central registry at "
                       "%.80s: %.80s; check the network or the address",
                       zBase, zWhy);
  case CURLE_OPERATION_TIMEDOUT:
    if (strstr(zErrBuf, "too slow"))
      return sws_err_set(err, SWS_ENET, "the link to the central registry "
                         "is too slow (under %ld bytes/s for %ld s); nothing "
                         "is lost: sync again when the connection is better",
                         cfg->lowSpeedLimit > 0 ? cfg->lowSpeedLimit : 100,
                         cfg->lowSpeedTime > 0 ? cfg->lowSpeedTime : 60);
    return sws_err_set(err, SWS_ENET, "the central registry at %.80s did "
                       "not answer in time (%.80s); check the network, then "
                       "sync again", zBase, zWhy);
  case CURLE_PEER_FAILED_VERIFICATION:
    return sws_err_set(err, SWS_ECRYPTO, "the central registry's "
                       "certificate is not trusted (%.100s); check --ca-file "
                       "and the address", zWhy);
  case CURLE_SSL_CACERT_BADFILE:
    return sws_err_set(err, SWS_EIO, "cannot use the CA file '%.80s' "
                       "(%.80s); check --ca-file", cfg->zCaFile
                       ? cfg->zCaFile : "(system)", zWhy);
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    return sws_err_set(err, SWS_ECRYPTO, "the central registry's key does "
                       "not match the pin: the connection may be "
                       "intercepted, or the registry changed its key; check "
                       "--pin with the registry's administrator");
  case CURLE_SSL_CONNECT_ERROR:
    return sws_err_set(err, SWS_ENET, "cannot make a secure connection to "
                       "the central registry at %.80s (%.100s); check the "
                       "address and port", zBase, zWhy);
  case CURLE_WRITE_ERROR:
    if (x->bTooBig)
      return sws_err_set(err, SWS_ETOOBIG, "the central registry's answer "
                         "is larger than the limit of %zu bytes",
                         x->resp->max);
    break;
  case CURLE_BAD_CONTENT_ENCODING:
    return sws_err_set(err, SWS_ENET, "the central registry's answer could "
                       "not be decompressed (%.100s); sync again", zWhy);
  case CURLE_UNSUPPORTED_PROTOCOL:
    return sws_err_set(err, SWS_EINVAL, "the registry address '%.80s' must "
                       "start with https://", zBase);
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
    return sws_err_set(err, SWS_ENET, "the connection to the central "
                       "registry was cut (%.100s); nothing is lost: sync "
                       "again when the link is back", zWhy);
  default:
    break;
  }
  return sws_err_set(err, SWS_ENET, "cannot talk to the central registry at "
                     "%.80s: %.120s", zBase, zWhy);
}

int sync_http_request(const struct sync_http_config *cfg,
                      const struct sync_signer *signer, const char *zMethod,
                      const char *zPath, const void *body, size_t n,
                      int *pStatus, struct buf *resp, int *pRetryAfter,
                      struct sws_err *err)
{
  char zUrl[URL_MAX], zErrBuf[CURL_ERROR_SIZE], zHdr[200];
  struct curl_slist *hdrs = NULL;
  struct buf gz;
  struct xfer x;
  int bHttp = 0, rc;
  CURL *c = NULL;

  *pStatus = 0;
  *pRetryAfter = -1;
  buf_reset(resp);
  buf_init(&gz, n + n / 64 + 1024);
  memset(&x, 0, sizeof x);
  x.resp = resp;
  x.cfg = cfg;
  if ((rc = ensure_init(err)) != 0 || (rc = base_check(cfg, &bHttp, err)) !=
                                          0)
    goto done;
  if (zPath == NULL || zPath[0] != '/') {
    rc = sws_err_set(err, SWS_EINVAL, "the request path must start with /");
    goto done;
  }
  size_t nb = strlen(cfg->zBase);
  if (nb > 0 && cfg->zBase[nb - 1] == '/')
    nb--;
  if ((size_t)snprintf(zUrl, sizeof zUrl, "%.*s%s", (int)nb, cfg->zBase,
                       zPath) >= sizeof zUrl) {
    rc = sws_err_set(err, SWS_EINVAL, "the request URL is too long");
    goto done;
  }
  if (signer) {
    struct sync_auth_headers ah;
    /* sws_now_ms honours SWS_NOW, so tests can give an office a bad clock */
    int64_t now = sync_auth_clock(sws_now_ms() / 1000, signer->clockOffset);
    if ((rc = sync_auth_sign(&ah, signer->zOffice, signer->sk, zMethod,
                             zPath, body, n, now, err)) != 0)
      goto done;
    snprintf(zHdr, sizeof zHdr, SYNC_HDR_OFFICE ": %s", ah.zOffice);
    hdrs = curl_slist_append(hdrs, zHdr);
    snprintf(zHdr, sizeof zHdr, SYNC_HDR_TIME ": %s", ah.zTime);
    hdrs = curl_slist_append(hdrs, zHdr);
    snprintf(zHdr, sizeof zHdr, SYNC_HDR_NONCE ": %s", ah.zNonce);
    hdrs = curl_slist_append(hdrs, zHdr);
    snprintf(zHdr, sizeof zHdr, SYNC_HDR_SIGNATURE ": %s", ah.zSig);
    hdrs = curl_slist_append(hdrs, zHdr);
  }
  hdrs = curl_slist_append(hdrs, "Accept: application/json");
  if (n > 0) {
    if ((rc = http_gzip(&gz, body, n, err)) != 0)
      goto done;
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    hdrs = curl_slist_append(hdrs, "Content-Encoding: gzip");
    /* a large body waits for the registry's go-ahead: a 413 then costs one
     * round trip, not the upload, and cannot be lost to a reset */
    hdrs = curl_slist_append(hdrs, gz.n >= EXPECT_MIN ? "Expect: 100-continue"
                                                      : "Expect:");
  }

  if (cfg->pSession) {
    c = cfg->pSession->c;
    curl_easy_reset(c); /* keeps the open connection and TLS session */
  } else if ((c = curl_easy_init()) == NULL) {
    rc = sws_err_set(err, SWS_ENET, "cannot start a network request (out "
                     "of memory?)");
    goto done;
  }
  zErrBuf[0] = '\0';
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, zErrBuf);
  curl_easy_setopt(c, CURLOPT_URL, zUrl);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, bHttp ? "http" : "https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  if (cfg->zCaFile) {
    /* this CA only: not the system's store besides */
    curl_easy_setopt(c, CURLOPT_CAINFO, cfg->zCaFile);
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
  }
  if (cfg->zPin)
    curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, cfg->zPin);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                   cfg->connectTimeout > 0 ? cfg->connectTimeout : 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT,
                   cfg->lowSpeedLimit > 0 ? cfg->lowSpeedLimit : 100L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                   cfg->lowSpeedTime > 0 ? cfg->lowSpeedTime : 60L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, EXPECT_WAIT_MS);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "sws-sync/1");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
  if (cfg->progress) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)cfg);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  if (strcmp(zMethod, "GET") == 0 && n == 0) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    if (strcmp(zMethod, "POST") != 0)
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, zMethod);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)gz.n);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, gz.z ? gz.z : "");
  }
  CURLcode cc = curl_easy_perform(c);
  if (cc != CURLE_OK) {
    rc = curl_failure(cfg, c, cc, zErrBuf, &x, err);
    buf_reset(resp);
    goto done;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  *pStatus = (int)status;
  if (x.zRetryAfter[0]) {
    time_t t = x.zDate[0] ? curl_getdate(x.zDate, NULL) : (time_t)-1;
    *pRetryAfter = sync_http_retry_after(
        x.zRetryAfter, t != (time_t)-1 ? (int64_t)t : sws_now_ms() / 1000);
  }
  rc = SWS_OK;
done:
  if (c && !cfg->pSession)
    curl_easy_cleanup(c);
  else if (c) {
    /* the handle outlives this call: drop pointers to our stack */
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
  }
  curl_slist_free_all(hdrs);
  buf_release(&gz);
  return rc;
}
