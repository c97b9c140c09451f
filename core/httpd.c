/*
 * httpd.c - the HTTP(S) server over libmicrohttpd (see httpd.h).
 *
 * A request goes through three calls of the access handler: the first, with
 * the headers, checks Content-Length and Content-Encoding (and may refuse
 * at once, before any of the body is read); the middle ones collect the
 * body into a capped buffer; the last one calls the caller's handler and
 * queues its response. Per-request state is created by the URI callback,
 * which is also the only place that sees the request target as sent (the
 * path given to the access handler is already decoded and has lost its
 * query), and freed by the completion callback.
 *
 * The header deadline (see httpd.h) needs a clock per connection, which
 * libmicrohttpd does not keep: the connection notification gives each
 * connection a struct conn (started at its accept), the first call of the
 * access handler marks its headers complete, and the completion callback
 * starts the clock again for the next request on it. A watchdog thread
 * looks at them every WATCH_MS and shuts down the socket of a connection
 * past its deadline; libmicrohttpd then sees the socket end, on its own
 * thread, and closes the connection as if the client had left. The
 * watchdog only calls shutdown() and never closes: closing is
 * libmicrohttpd's. The fd stays valid while the watchdog uses it because
 * both sides hold h->mu: libmicrohttpd (0.9.75, MHD_cleanup_connections
 * and the failure path of new_connection_process_) sends the CLOSED
 * notification before it closes the socket, and that notification unlinks
 * the struct conn under h->mu, so once it returns the watchdog can no
 * longer reach that fd (or a new socket given the same number).
 */
#include "httpd.h"

#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "gzip.h"
#include "mem.h"

#define RESP_MAX ((size_t)64 << 20)
#define PEM_MAX ((size_t)1 << 20)
/* smaller bodies are not worth a gzip header */
#define GZIP_MIN 512
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* how often the watchdog looks: a connection is cut at most this late */
#define WATCH_MS 250
/* files the process needs besides its connections: the listening socket,
 * epoll, libmicrohttpd's wake-up pipe, databases and their journals, logs,
 * the certificate files, outgoing requests */
#define FD_RESERVE 128

/* A connection as the watchdog sees it; every field is under h->mu. */
struct conn {
  struct conn *prev, *next;
  int fd;
  int64_t tStart; /* monotonic ms: accepted, or the previous answer sent */
  int bHeaders;   /* the current request's headers are complete */
  int bCut;       /* shut down by the watchdog */
};

struct httpd {
  struct MHD_Daemon *d;
  httpd_handler fn;
  void *arg;
  size_t nMaxBody, nMaxInflated;
  int bTls;
  int port;
  char *zCert, *zKey; /* PEM text, kept while the daemon runs */
  char zUrl[192];
  char zLastLog[200]; /* the last line libmicrohttpd logged */
  void (*log)(void *, const char *);
  void *logArg;
  unsigned headerTimeout; /* seconds */
  /* The watchdog's: the list of connections, each struct conn in it, and
   * bStop. Taken by libmicrohttpd's thread in the callbacks and by the
   * watchdog, never for longer than a walk of the list. */
  pthread_mutex_t mu;
  pthread_cond_t wake; /* signalled to stop the watchdog at once */
  struct conn *conns;
  int bStop;
  int bWatching; /* the watchdog thread runs (join it) */
  pthread_t watchdog;
};

/* a request's states: headers seen, reading the body, reading and
 * dropping an oversized body, answered early, answered */
enum { ST_NEW, ST_BODY, ST_DRAIN, ST_REFUSED, ST_DONE };

struct reqctx {
  char *zTarget;
  struct buf body;
  size_t nDrained; /* bytes of an oversized body dropped so far */
  int state;
  int bGzip;
};

const char *http_req_header(const struct http_req *req, const char *zName)
{
  return req->header ? req->header(req, zName) : NULL;
}

static void say(struct httpd *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(struct httpd *h, const char *fmt, ...)
{
  char z[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(z, sizeof z, fmt, ap);
  va_end(ap);
  if (h->log)
    h->log(h->logArg, z);
  else
    fprintf(stderr, "sws httpd: %s\n", z);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
  struct httpd *h = cls;
  char z[sizeof h->zLastLog];
  vsnprintf(z, sizeof z, fmt, ap);
  size_t n = strlen(z);
  while (n > 0 && (z[n - 1] == '\n' || z[n - 1] == '\r' || z[n - 1] == '.'))
    z[--n] = '\0';
  memcpy(h->zLastLog, z, n + 1);
  say(h, "%s", z);
}

/* ---- the header deadline ------------------------------------------------ */

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n);

/* The struct conn of c (NULL if it has none). */
static struct conn *conn_of(struct MHD_Connection *c)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

/* libmicrohttpd's thread: a connection accepted (its clock starts before
 * the TLS handshake) or closed (before its socket is). */
static void on_conn(void *cls, struct MHD_Connection *c, void **pSock,
                    enum MHD_ConnectionNotificationCode toe)
{
  struct httpd *h = cls;
  struct conn *k = *pSock;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci == NULL)
      return; /* cannot happen; the idle timeout still applies */
    k = sws_calloc(1, sizeof *k);
    k->fd = ci->connect_fd;
    k->tStart = now_ms();
    pthread_mutex_lock(&h->mu);
    k->next = h->conns;
    if (h->conns)
      h->conns->prev = k;
    h->conns = k;
    pthread_mutex_unlock(&h->mu);
    *pSock = k;
    return;
  }
  if (k == NULL)
    return;
  pthread_mutex_lock(&h->mu);
  if (k->prev)
    k->prev->next = k->next;
  else
    h->conns = k->next;
  if (k->next)
    k->next->prev = k->prev;
  int bCut = k->bCut;
  pthread_mutex_unlock(&h->mu);
  *pSock = NULL;
  free(k);
  /* logged here, on libmicrohttpd's thread like every other line, rather
   * than by the watchdog: the caller's log function need not be
   * thread-safe */
  if (bCut) {
    char zClient[64];
    client_addr(c, zClient, sizeof zClient);
    say(h, "closed the connection from %s: headers not complete within "
        "%u s", zClient, h->headerTimeout);
  }
}

/* libmicrohttpd's thread: the headers of c's current request are complete
 * (bDone 1), or its answer has been sent and the next request's clock
 * starts (bDone 0). */
static void conn_headers(struct httpd *h, struct MHD_Connection *c, int bDone)
{
  struct conn *k = conn_of(c);
  if (k == NULL)
    return;
  pthread_mutex_lock(&h->mu);
  k->bHeaders = bDone;
  if (!bDone)
    k->tStart = now_ms();
  pthread_mutex_unlock(&h->mu);
}

static void *watchdog_main(void *arg)
{
  struct httpd *h = arg;
  int64_t limit = (int64_t)h->headerTimeout * 1000;
  pthread_mutex_lock(&h->mu);
  while (!h->bStop) {
    int64_t now = now_ms();
    for (struct conn *k = h->conns; k; k = k->next) {
      if (k->bHeaders || k->bCut || now - k->tStart < limit)
        continue;
      /* both ways: libmicrohttpd's poll sees the end at once (as if the
       * client had left) and closes, and what the client still sends is
       * refused. An error (the client left meanwhile) changes nothing. */
      shutdown(k->fd, SHUT_RDWR);
      k->bCut = 1;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += (long)WATCH_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&h->wake, &h->mu, &ts);
  }
  pthread_mutex_unlock(&h->mu);
  return NULL;
}

static void watchdog_stop(struct httpd *h)
{
  if (!h->bWatching)
    return;
  pthread_mutex_lock(&h->mu);
  h->bStop = 1;
  pthread_cond_signal(&h->wake);
  pthread_mutex_unlock(&h->mu);
  pthread_join(h->watchdog, NULL);
  h->bWatching = 0;
}

/*
 * Each connection is a file descriptor: make sure the process may have
 * conns of them besides the ones it needs anyway, raising the soft limit
 * (often 1024) up to the hard one when it is lower.
 */
static int ensure_files(unsigned conns, struct sws_err *err)
{
  struct rlimit rl;
  rlim_t need = (rlim_t)conns + FD_RESERVE;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
      rl.rlim_cur >= need)
    return SWS_OK;
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
    return sws_err_set(err, SWS_EINVAL, "cannot serve %u connections at "
                       "once: this process may open only %llu files (the "
                       "hard limit of 'ulimit -n'); raise it to at least "
                       "%llu (LimitNOFILE= for a systemd service, "
                       "/etc/security/limits.conf otherwise)", conns,
                       (unsigned long long)rl.rlim_max,
                       (unsigned long long)need);
  unsigned long long was = (unsigned long long)rl.rlim_cur;
  rl.rlim_cur = need;
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
    return sws_err_set(err, SWS_EINVAL, "cannot serve %u connections at "
                       "once: the limit of open files could not be raised "
                       "from %llu to %llu (%s); raise 'ulimit -n' before "
                       "starting", conns, was, (unsigned long long)need,
                       strerror(errno));
  return SWS_OK;
}

/* ---- responses ---------------------------------------------------------- */

static void resp_init(struct http_resp *r)
{
  r->status = 200;
  r->zType = NULL;
  r->aHdr = NULL;
  r->nHdr = 0;
  buf_init(&r->body, RESP_MAX);
}

static void resp_release(struct http_resp *r)
{
  for (int i = 0; i < r->nHdr; i++) {
    free(r->aHdr[i].zName);
    free(r->aHdr[i].zValue);
  }
  free(r->aHdr);
  free(r->zType);
  buf_release(&r->body);
  resp_init(r);
}

static int token_ok(const char *z)
{
  if (z == NULL || *z == '\0' || strlen(z) > 64)
    return 0;
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
          (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c)))
      return 0;
  }
  return 1;
}

static int value_ok(const char *z)
{
  if (z == NULL || strlen(z) > 8192)
    return 0;
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return 0;
  }
  return 1;
}

int http_resp_header(struct http_resp *resp, const char *zName,
                     const char *zValue)
{
  /* framing is libmicrohttpd's: a second length would split responses */
  if (!token_ok(zName) || !value_ok(zValue) ||
      strcasecmp(zName, "Content-Length") == 0 ||
      strcasecmp(zName, "Transfer-Encoding") == 0 ||
      strcasecmp(zName, "Connection") == 0)
    return SWS_EINVAL;
  resp->aHdr = sws_realloc(resp->aHdr,
                           (size_t)(resp->nHdr + 1) * sizeof *resp->aHdr);
  resp->aHdr[resp->nHdr].zName = sws_strdup(zName);
  resp->aHdr[resp->nHdr].zValue = sws_strdup(zValue);
  resp->nHdr++;
  return SWS_OK;
}

int http_resp_bytes(struct http_resp *resp, int status, const char *zType,
                    const void *p, size_t n)
{
  if (zType && !value_ok(zType))
    return SWS_EINVAL;
  resp->status = status;
  free(resp->zType);
  resp->zType = zType ? sws_strdup(zType) : NULL;
  buf_reset(&resp->body);
  return buf_append(&resp->body, p, n);
}

int http_resp_json(struct http_resp *resp, int status, const char *zJson)
{
  return http_resp_bytes(resp, status, "application/json", zJson,
                         strlen(zJson));
}

int http_resp_text(struct http_resp *resp, int status, const char *zText)
{
  return http_resp_bytes(resp, status, "text/plain; charset=utf-8", zText,
                         strlen(zText));
}

int http_resp_html(struct http_resp *resp, int status, const char *zHtml)
{
  return http_resp_bytes(resp, status, "text/html; charset=utf-8", zHtml,
                         strlen(zHtml));
}

int http_resp_json_error(struct http_resp *resp, int status,
                         const char *zCode, const char *zMessage)
{
  json_t *o = json_pack("{s:s, s:s}", "error", zCode ? zCode : "error",
                        "message", zMessage ? zMessage : "");
  /* json_pack refuses invalid UTF-8: fall back to a fixed message */
  if (o == NULL)
    o = json_pack("{s:s, s:s}", "error", "error", "message",
                  "the server could not describe the error");
  if (o == NULL)
    return http_resp_json(resp, status, "{\"error\":\"error\"}");
  char *z = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (z == NULL)
    return http_resp_json(resp, status, "{\"error\":\"error\"}");
  int rc = http_resp_json(resp, status, z);
  free(z);
  return rc;
}

/* 1 if an Accept-Encoding value accepts gzip (not with q=0). */
static int accepts_gzip(const char *z)
{
  while (z && *z) {
    const char *end = strchr(z, ',');
    size_t n = end ? (size_t)(end - z) : strlen(z);
    char item[64];
    if (n < sizeof item) {
      memcpy(item, z, n);
      item[n] = '\0';
      char *p = item;
      while (*p == ' ' || *p == '\t')
        p++;
      char *semi = strchr(p, ';');
      char *q = semi ? semi + 1 : NULL;
      if (semi)
        *semi = '\0';
      size_t k = strlen(p);
      while (k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'))
        p[--k] = '\0';
      if (strcasecmp(p, "gzip") == 0 || strcasecmp(p, "x-gzip") == 0 ||
          strcmp(p, "*") == 0) {
        int zero = 0;
        if (q) {
          while (*q == ' ' || *q == '\t')
            q++;
          if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
            zero = 1;
            for (const char *d = q + 2; *d && *d != ' ' && *d != '\t'; d++)
              if (*d >= '1' && *d <= '9')
                zero = 0;
          }
        }
        if (!zero)
          return 1;
      }
    }
    z = end ? end + 1 : NULL;
  }
  return 0;
}

static int has_header(const struct http_resp *r, const char *zName)
{
  for (int i = 0; i < r->nHdr; i++)
    if (strcasecmp(r->aHdr[i].zName, zName) == 0)
      return 1;
  return 0;
}

/* Queue r on c; r is released. */
static enum MHD_Result send_resp(struct MHD_Connection *c,
                                 struct http_resp *r)
{
  const char *zAccept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                    "Accept-Encoding");
  int bGzip = 0;
  if (r->body.n >= GZIP_MIN && accepts_gzip(zAccept) &&
      !has_header(r, "Content-Encoding")) {
    struct buf z;
    buf_init(&z, r->body.n + 1024);
    if (http_gzip(&z, r->body.z, r->body.n, NULL) == 0 && z.n < r->body.n) {
      buf_release(&r->body);
      r->body = z;
      bGzip = 1;
    } else {
      buf_release(&z);
    }
  }
  size_t n = 0;
  char *p = buf_detach(&r->body, &n);
  struct MHD_Response *m =
      MHD_create_response_from_buffer(n, p, MHD_RESPMEM_MUST_FREE);
  if (m == NULL) {
    free(p);
    resp_release(r);
    return MHD_NO;
  }
  MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
  if (!has_header(r, "Cache-Control"))
    MHD_add_response_header(m, "Cache-Control", "no-store");
  MHD_add_response_header(m, "Vary", "Accept-Encoding");
  if (bGzip)
    MHD_add_response_header(m, "Content-Encoding", "gzip");
  if (r->zType)
    MHD_add_response_header(m, "Content-Type", r->zType);
  for (int i = 0; i < r->nHdr; i++)
    MHD_add_response_header(m, r->aHdr[i].zName, r->aHdr[i].zValue);
  enum MHD_Result res = MHD_queue_response(c, (unsigned)r->status, m);
  MHD_destroy_response(m);
  resp_release(r);
  return res;
}

static enum MHD_Result refuse(struct MHD_Connection *c, struct reqctx *x,
                              int status,
                              const char *zCode, const char *zMsg)
{
  struct http_resp r;
  resp_init(&r);
  http_resp_json_error(&r, status, zCode, zMsg);
  x->state = ST_REFUSED;
  buf_release(&x->body);
  return send_resp(c, &r);
}

/* ---- requests ----------------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
  (void)cls;
  (void)c;
  struct reqctx *x = sws_calloc(1, sizeof *x);
  x->zTarget = sws_strdup(uri ? uri : "");
  x->state = ST_NEW;
  return x;
}

static void on_done(void *cls, struct MHD_Connection *c, void **pctx,
                    enum MHD_RequestTerminationCode toe)
{
  struct httpd *h = cls;
  struct reqctx *x = *pctx;
  /* answered: the next request on this connection has its own deadline
   * from now (otherwise the connection is closing anyway) */
  if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
    conn_headers(h, c, 0);
  if (x) {
    buf_release(&x->body);
    free(x->zTarget);
    free(x);
    *pctx = NULL;
  }
}

static const char *conn_header(const struct http_req *req, const char *zName)
{
  return MHD_lookup_connection_value(req->hdrArg, MHD_HEADER_KIND, zName);
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  sws_strlcpy(out, "?", n);
  if (ci == NULL || ci->client_addr == NULL)
    return;
  const struct sockaddr *sa = ci->client_addr;
  socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                             : sizeof(struct sockaddr_in);
  if (getnameinfo(sa, len, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST) != 0)
    sws_strlcpy(out, "?", n);
}

/* Parse a Content-Length (digits only); -1 if not a number. */
static long long parse_length(const char *z)
{
  long long v = 0;
  if (*z == '\0')
    return -1;
  for (; *z; z++) {
    if (*z < '0' || *z > '9' || v > (long long)1 << 50)
      return -1;
    v = v * 10 + (*z - '0');
  }
  return v;
}

static enum MHD_Result answer(struct httpd *h, struct MHD_Connection *c,
                              struct reqctx *x, const char *zPath,
                              const char *zMethod)
{
  struct sws_err err = SWS_ERR_INIT;
  struct buf inflated;
  struct http_req req;
  struct http_resp resp;
  char zClient[64];

  buf_init(&inflated, h->nMaxInflated);
  const struct buf *body = &x->body;
  if (x->bGzip) {
    int rc = http_gunzip(&inflated, x->body.z, x->body.n,
                         "the request body", &err);
    if (rc != 0) {
      buf_release(&inflated);
      return refuse(c, x, rc == SWS_ETOOBIG ? 413 : 400,
                    rc == SWS_ETOOBIG ? "too_big" : "bad_encoding", err.msg);
    }
    body = &inflated;
  }
  client_addr(c, zClient, sizeof zClient);
  const char *q = strchr(x->zTarget, '?');
  req.zMethod = zMethod;
  req.zPath = zPath;
  req.zQuery = q ? q + 1 : "";
  req.zTarget = x->zTarget;
  req.zClient = zClient;
  req.bTls = h->bTls;
  req.zBody = buf_str(body);
  req.nBody = body->n;
  req.header = conn_header;
  req.hdrArg = c;
  resp_init(&resp);
  int rc = h->fn(h->arg, &req, &resp);
  if (rc < 0 || resp.status < 100 || resp.status > 599 || resp.body.toobig) {
    say(h, "%s %s: the handler failed (%d, status %d)", zMethod, zPath, rc,
        resp.status);
    resp_release(&resp);
    http_resp_json_error(&resp, 500, "internal",
                         "the server failed to answer; try again later, and "
                         "tell the administrator if it persists");
  }
  buf_release(&inflated);
  return send_resp(c, &resp);
}

static enum MHD_Result too_big(struct httpd *h, struct MHD_Connection *c,
                               struct reqctx *x)
{
  char zMsg[160];
  snprintf(zMsg, sizeof zMsg, "the request body is larger than the limit of "
           "%zu bytes; send less at a time", h->nMaxBody);
  return refuse(c, x, 413, "too_big", zMsg);
}

/*
 * An oversized body is refused before it is read when the client waits for
 * "100 Continue" (ours does, for large bodies). A client that sends at once
 * (a browser) would see its connection reset instead of the 413 if we
 * closed on it mid-upload, so up to DRAIN_FACTOR times the limit is read
 * and thrown away, then 413 is answered; beyond that the connection is
 * closed after the 413.
 */
#define DRAIN_FACTOR 4

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind,
                                  const char *zKey, const char *zValue)
{
  (void)kind;
  (void)zValue;
  if (zKey && strcasecmp(zKey, "Host") == 0)
    ++*(int *)cls;
  return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c,
                                 const char *url, const char *method,
                                 const char *version, const char *upload,
                                 size_t *pn, void **pctx)
{
  struct httpd *h = cls;
  struct reqctx *x = *pctx;
  size_t nDrainMax = h->nMaxBody * DRAIN_FACTOR;
  (void)version;

  if (x == NULL) /* the URI callback always runs first; be safe anyway */
    *pctx = x = on_uri(NULL, url, c);
  if (x->state == ST_NEW) {
    conn_headers(h, c, 1); /* the first call: the headers are complete */
    /* one Host only: with two, a proxy and this server could each read
     * another (what the DNS-rebinding check of the web UI relies on) */
    int nHost = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_host, &nHost);
    if (nHost > 1) {
      x->state = ST_BODY;
      buf_init(&x->body, h->nMaxBody);
      return refuse(c, x, 400, "two_hosts", "a request names one Host");
    }
    x->state = ST_BODY;
    buf_init(&x->body, h->nMaxBody);
    const char *zLen = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                   "Content-Length");
    const char *zExpect = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      "Expect");
    long long len = zLen ? parse_length(zLen) : 0;
    if (len < 0 || (unsigned long long)len > h->nMaxBody) {
      if (len < 0 || (zExpect && strcasecmp(zExpect, "100-continue") == 0) ||
          (unsigned long long)len > nDrainMax)
        return too_big(h, c, x);
      x->state = ST_DRAIN;
      buf_release(&x->body);
      return MHD_YES;
    }
    const char *zEnc = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                   "Content-Encoding");
    if (zEnc && strcasecmp(zEnc, "gzip") == 0)
      x->bGzip = 1;
    else if (zEnc && *zEnc && strcasecmp(zEnc, "identity") != 0)
      return refuse(c, x, 415, "bad_encoding", "the request body must be "
                    "sent plain or with Content-Encoding: gzip");
    return MHD_YES;
  }
  if (*pn > 0) {
    size_t n = *pn;
    *pn = 0;
    if (x->state == ST_BODY && buf_append(&x->body, upload, n) != 0) {
      x->nDrained = x->body.n;
      x->state = ST_DRAIN;
      buf_release(&x->body);
    }
    if (x->state == ST_DRAIN) {
      x->nDrained += n;
      if (x->nDrained > nDrainMax)
        return too_big(h, c, x);
    }
    return MHD_YES; /* (refused already: the rest is dropped) */
  }
  if (x->state == ST_DRAIN)
    return too_big(h, c, x);
  if (x->state != ST_BODY)
    return MHD_YES;
  x->state = ST_DONE;
  return answer(h, c, x, url, method);
}

/* ---- start and stop ----------------------------------------------------- */

static int read_pem(char **out, const char *zFile, const char *zWhat,
                    const char *zOption, struct sws_err *err)
{
  struct buf b;
  char chunk[4096];
  size_t n;
  FILE *f = fopen(zFile, "rb");
  if (f == NULL)
    return sws_err_set(err, SWS_EIO, "cannot read the %s file '%s': %s; "
                       "check %s", zWhat, zFile, strerror(errno), zOption);
  buf_init(&b, PEM_MAX);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_append(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad || b.toobig || strstr(buf_str(&b), "-----BEGIN ") == NULL) {
    buf_release(&b);
    return sws_err_set(err, SWS_EIO, "the %s file '%s' is not a PEM file; "
                       "check %s", zWhat, zFile, zOption);
  }
  *out = buf_detach(&b, NULL);
  return SWS_OK;
}

/* Split "host:port" / "[v6]:port" / "port"; resolve into ss. */
static int listen_addr(const char *zListen, struct sockaddr_storage *ss,
                       socklen_t *pLen, char *zHost, size_t nHost,
                       struct sws_err *err)
{
  char zBuf[300], *zH, *zP;
  const char *z = zListen ? zListen : "127.0.0.1:0";

  if (strlen(z) >= sizeof zBuf)
    goto bad;
  if (strspn(z, "0123456789") == strlen(z) && *z) {
    if (strlen(z) > 5)
      goto bad;
    snprintf(zBuf, sizeof zBuf, "127.0.0.1:%.5s", z);
  } else {
    sws_strlcpy(zBuf, z, sizeof zBuf);
  }
  if (zBuf[0] == '[') {
    char *close = strchr(zBuf, ']');
    if (close == NULL || close[1] != ':')
      goto bad;
    *close = '\0';
    zH = zBuf + 1;
    zP = close + 2;
  } else {
    char *colon = strrchr(zBuf, ':');
    if (colon == NULL || colon == zBuf || memchr(zBuf, ':', (size_t)(colon -
                                                         zBuf)))
      goto bad;
    *colon = '\0';
    zH = zBuf;
    zP = colon + 1;
  }
  if (*zP == '\0' || strspn(zP, "0123456789") != strlen(zP) ||
      strlen(zP) > 5 || strtol(zP, NULL, 10) > 65535)
    goto bad;
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  int grc = getaddrinfo(zH, zP, &hints, &res);
  if (grc != 0 || res == NULL)
    return sws_err_set(err, SWS_EINVAL, "cannot listen on '%s': the host "
                       "'%s' is unknown (%s)", z, zH, gai_strerror(grc));
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  *pLen = res->ai_addrlen;
  freeaddrinfo(res);
  getnameinfo((struct sockaddr *)ss, *pLen, zHost, (socklen_t)nHost, NULL, 0,
              NI_NUMERICHOST);
  return SWS_OK;
bad:
  return sws_err_set(err, SWS_EINVAL, "cannot listen on '%s': give an "
                     "address as HOST:PORT, [IPv6]:PORT or PORT (e.g. "
                     "127.0.0.1:8443)", z);
}

int httpd_start(struct httpd **out, const struct httpd_config *cfg,
                httpd_handler fn, void *arg, struct sws_err *err)
{
  struct sockaddr_storage ss;
  socklen_t sslen = 0;
  char zHost[128] = "";
  int rc;

  *out = NULL;
  if ((cfg->zCertFile == NULL) != (cfg->zKeyFile == NULL))
    return sws_err_set(err, SWS_EINVAL, "HTTPS needs both a certificate and "
                       "its key (--tls-cert and --tls-key)");
  rc = listen_addr(cfg->zListen, &ss, &sslen, zHost, sizeof zHost, err);
  if (rc != 0)
    return rc;
  struct httpd *h = sws_calloc(1, sizeof *h);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* the watchdog's clock */
  pthread_cond_init(&h->wake, &ca);
  pthread_condattr_destroy(&ca);
  pthread_mutex_init(&h->mu, NULL);
  h->fn = fn;
  h->arg = arg;
  h->nMaxBody = cfg->nMaxBody ? cfg->nMaxBody : HTTPD_DEFAULT_MAX_BODY;
  h->nMaxInflated = cfg->nMaxInflated ? cfg->nMaxInflated
                                      : HTTPD_DEFAULT_MAX_INFLATED;
  h->log = cfg->log;
  h->logArg = cfg->logArg;
  if (cfg->zCertFile) {
    if ((rc = read_pem(&h->zCert, cfg->zCertFile, "certificate", "--tls-cert",
                       err)) != 0 ||
        (rc = read_pem(&h->zKey, cfg->zKeyFile, "key", "--tls-key", err)) != 0)
      goto fail;
    h->bTls = 1;
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                   MHD_USE_ERROR_LOG;
  if (h->bTls)
    flags |= MHD_USE_TLS;
  if (ss.ss_family == AF_INET6)
    flags |= MHD_USE_IPv6;
  unsigned timeout = cfg->timeoutSeconds ? cfg->timeoutSeconds
                                         : HTTPD_DEFAULT_TIMEOUT;
  unsigned conns = cfg->maxConnections ? cfg->maxConnections
                                       : HTTPD_DEFAULT_CONNECTIONS;
  h->headerTimeout = cfg->headerTimeoutSeconds ? cfg->headerTimeoutSeconds
                                               : HTTPD_DEFAULT_HEADER_TIMEOUT;
  if ((rc = ensure_files(conns, err)) != 0)
    goto fail;
  struct MHD_OptionItem tls[] = {
      {MHD_OPTION_HTTPS_MEM_CERT, 0, h->zCert},
      {MHD_OPTION_HTTPS_MEM_KEY, 0, h->zKey},
      {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES},
      {MHD_OPTION_END, 0, NULL}};
  struct MHD_OptionItem none[] = {{MHD_OPTION_END, 0, NULL}};
  errno = 0;
  /* the logger first, so that even option errors go through it */
  h->d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_access, h, MHD_OPTION_EXTERNAL_LOGGER,
      on_mhd_log, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, h, MHD_OPTION_NOTIFY_COMPLETED,
      on_done, h, MHD_OPTION_NOTIFY_CONNECTION, on_conn, h,
      MHD_OPTION_CONNECTION_TIMEOUT, timeout,
      MHD_OPTION_CONNECTION_LIMIT, conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      cfg->maxPerIp, MHD_OPTION_LISTENING_ADDRESS_REUSE,
      (unsigned)(cfg->bReusePort ? 1 : 0), MHD_OPTION_ARRAY,
      h->bTls ? tls : none, MHD_OPTION_END);
  if (h->d == NULL) {
    int e = errno;
    if (h->zLastLog[0])
      rc = sws_err_set(err, SWS_ENET, "cannot serve on %s (%s); choose "
                       "another address or port, or check the certificate "
                       "and key", cfg->zListen ? cfg->zListen : zHost,
                       h->zLastLog);
    else
      rc = sws_err_set(err, SWS_ENET, "cannot serve on %s (%s); choose "
                       "another address or port", cfg->zListen ? cfg->zListen
                                                               : zHost,
                       e ? strerror(e) : "unknown error");
    goto fail;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
  h->port = di ? di->port : 0;
  if (ss.ss_family == AF_INET6)
    snprintf(h->zUrl, sizeof h->zUrl, "%s://[%s]:%d",
             h->bTls ? "https" : "http", zHost, h->port);
  else
    snprintf(h->zUrl, sizeof h->zUrl, "%s://%s:%d",
             h->bTls ? "https" : "http", zHost, h->port);
  h->zLastLog[0] = '\0';
  int terr = pthread_create(&h->watchdog, NULL, watchdog_main, h);
  if (terr != 0) {
    rc = sws_err_set(err, SWS_ENET, "cannot serve on %s: no thread could "
                     "be started to watch slow connections (%s); free some "
                     "memory and try again", cfg->zListen ? cfg->zListen
                                                           : zHost,
                     strerror(terr));
    goto fail;
  }
  h->bWatching = 1;
  *out = h;
  return SWS_OK;
fail:
  httpd_stop(h);
  return rc;
}

void httpd_stop(struct httpd *h)
{
  if (h == NULL)
    return;
  /* the watchdog first: afterwards only libmicrohttpd's thread touches the
   * list, and its CLOSED notifications free every struct conn in it */
  watchdog_stop(h);
  if (h->d)
    MHD_stop_daemon(h->d);
  while (h->conns) { /* none left, unless libmicrohttpd skipped one */
    struct conn *k = h->conns;
    h->conns = k->next;
    free(k);
  }
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->wake);
  free(h->zCert);
  free(h->zKey);
  free(h);
}

int httpd_port(const struct httpd *h)
{
  return h->port;
}

const char *httpd_url(const struct httpd *h)
{
  return h->zUrl;
}

int httpd_run_until_signal(const struct httpd_config *cfg, httpd_handler fn,
                           void *arg,
                           void (*ready)(void *arg, struct httpd *h),
                           struct sws_err *err)
{
  sigset_t set, old;
  struct httpd *h = NULL;
  int sig = 0;

  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  /* before the server thread exists, so it inherits the mask */
  pthread_sigmask(SIG_BLOCK, &set, &old);
  signal(SIGPIPE, SIG_IGN);
  int rc = httpd_start(&h, cfg, fn, arg, err);
  if (rc == 0) {
    if (ready)
      ready(arg, h);
    if (cfg->idle == NULL) {
      sigwait(&set, &sig); /* fails only for an invalid set */
    } else {
      struct timespec tick = {1, 0};
      while ((sig = sigtimedwait(&set, NULL, &tick)) < 0)
        cfg->idle(cfg->idleArg); /* a second without a signal, or EINTR */
    }
    httpd_stop(h);
    /* a second signal during the stop is not left to kill us later */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) > 0)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}
