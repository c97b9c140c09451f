/*
 * http_client.h - one HTTPS request from an office to the central
 * registry, over libcurl, made for slow links that cut out.
 *
 * TLS is always verified (the CA file is given explicitly, the host name
 * must match) and may be pinned to the registry's public key; only https://
 * is spoken (a loopback http:// base only when a test says so); request
 * bodies go gzip-compressed and answers are accepted compressed; instead of
 * a total timeout, which kills a big batch on a slow but working link, a
 * connect timeout and a low-speed limit tell a dead link from a slow one.
 * Failures come back as messages an officer can act on.
 *
 * Signing (sync/auth.h) happens here when a signer is given: the office's
 * clock corrected by the offset it learnt from GET /v1/hello.
 */
#ifndef SWS_SYNC_HTTP_CLIENT_H
#define SWS_SYNC_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/err.h"

/* A reusable connection: keep-alive and TLS session resumption between
 * requests, which saves two round trips per request on a 2G link. */
struct sync_http_session;

struct sync_http_config {
  const char *zBase;   /* "https://host:port", no trailing path */
  const char *zCaFile; /* PEM CA bundle to trust; NULL: the system's store */
  /* "sha256//BASE64[;sha256//BASE64]" (current and backup key) or NULL */
  const char *zPin;
  long connectTimeout; /* seconds to connect (default 30) */
  long lowSpeedLimit;  /* bytes/s below which... (default 100) */
  long lowSpeedTime;   /* ...for this many seconds, give up (default 60) */
  /* Progress of the current request (bytes), for a terminal line; may be
   * NULL. Called often: keep it cheap. */
  void (*progress)(void *arg, int64_t upNow, int64_t upTotal,
                   int64_t downNow, int64_t downTotal);
  void *progressArg;
  /* Reuse this connection (sync_http_session_new) or NULL for a fresh one
   * per request. */
  struct sync_http_session *pSession;
  /*
   * Tests only: allow a plain http:// base when its host is 127.0.0.1,
   * [::1] or localhost. Nothing in sws sets it from user input; the test
   * suites set it in code (and an e2e script may, through an environment
   * variable its command reads: see docs/transport.md).
   */
  int bTestAllowHttp;
};

/* Who signs: the office code and its secret key (borrowed), and the
 * registry's clock minus ours in seconds (0 until a hello). */
struct sync_signer {
  const char *zOffice;
  const unsigned char *sk; /* SWS_SK_BYTES */
  int64_t clockOffset;
};

/* A new reusable connection; free with sync_http_session_free. */
struct sync_http_session *sync_http_session_new(void);
void sync_http_session_free(struct sync_http_session *s);

/*
 * One request: zMethod ("GET", "POST") to zBase + zPath (path and query,
 * as signed), with body (NULL when n is 0; sent gzip-compressed with
 * Content-Type: application/json), signed by signer (NULL: unsigned, for
 * the hello). On return 0, *pStatus is the HTTP status (any: 4xx and 5xx
 * are answers, not failures), resp holds the body (inflated) and
 * *pRetryAfter the Retry-After in seconds (-1 without one). resp is reset
 * first; its max caps the answer.
 *
 * Errors (the request may or may not have reached the registry):
 *   SWS_ENET     connection refused or cut, DNS, timeouts, too slow
 *   SWS_ECRYPTO  certificate not trusted, name mismatch, pin mismatch,
 *                TLS handshake failure (retrying will not help)
 *   SWS_EIO      the CA file cannot be read
 *   SWS_ETOOBIG  the answer passed resp->max
 *   SWS_EINVAL   a base that is not https:// (or not allowed http://)
 */
int sync_http_request(const struct sync_http_config *cfg,
                      const struct sync_signer *signer, const char *zMethod,
                      const char *zPath, const void *body, size_t n,
                      int *pStatus, struct buf *resp, int *pRetryAfter,
                      struct sws_err *err);

/*
 * The value of a Retry-After header in seconds from now: delta-seconds
 * ("120") or an HTTP date (relative to `now`, unix seconds; a date in the
 * past gives 0). -1 if it is neither. Capped at one day.
 */
int sync_http_retry_after(const char *zValue, int64_t now);

#define SYNC_BACKOFF_BASE_MS 1000
#define SYNC_BACKOFF_CAP_MS 64000
#define SYNC_RETRY_AFTER_MAX_MS (15 * 60 * 1000)

/*
 * How long to wait before retry number `attempt` (0 for the first retry):
 * "full jitter", a uniform draw in [0, min(cap, base * 2^attempt)], but
 * never less than the server's Retry-After (seconds, -1 for none), which is
 * itself capped at 15 minutes. rng is the state of a small deterministic
 * generator (any seed; tests fix it), or NULL for real randomness.
 */
int64_t sync_backoff_delay_ms(int attempt, int retryAfterSeconds,
                              uint64_t *rng);

#endif
