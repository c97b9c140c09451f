/*
 * httpd.h - a small HTTP(S) server over libmicrohttpd, shared by the
 * central registry (`sws central serve`) and the office web UI (`sws ui`).
 *
 * libmicrohttpd parses requests; this layer gives the caller a whole
 * request (method, path, raw query and target, headers, client address,
 * body already read and, if it came gzip-compressed, inflated) and takes a
 * whole response (status, type, headers, body), which it gzips when the
 * client accepts it. Limits are enforced here: a body over the maximum is
 * refused with 413 before it is read, an inflated body over its own maximum
 * also gets 413, idle connections time out, connections are capped (in all
 * and per client address). Every response carries X-Content-Type-Options:
 * nosniff and Cache-Control: no-store.
 *
 * Idle or slow clients must not starve the others, so a connection has a
 * header deadline: from its accept (TLS handshake included) until its
 * request's headers are complete, at most headerTimeoutSeconds; the same
 * again from the end of one request to the headers of the next on a
 * kept-alive connection. A client past it is cut even if it keeps sending
 * a byte now and then (libmicrohttpd's own timeout restarts on every byte,
 * so it alone would let a trickle hold a connection for ever), and the cut
 * is logged. A body sent at a steady pace after complete headers is not
 * cut by it (only by the idle timeout, when nothing comes at all). Together
 * with a connection limit in the thousands (HTTPD_REGISTRY_CONNECTIONS),
 * clients that connect and say nothing hold their slots for seconds, not
 * for as long as they like. httpd_start raises the soft limit of open files
 * (RLIMIT_NOFILE) when maxConnections needs it.
 *
 * One internal polling thread runs every handler, one request at a time:
 * a handler must not block for long (no waiting on the network, no sleeps;
 * a database statement is fine). The thread is the only one touching the
 * handler's state, so handlers need no locks. Sockets are non-blocking and
 * polled with epoll, TLS handshakes included, so a slow client waits in the
 * poll, never in the thread. A second, small thread of httpd only watches
 * header deadlines (it never calls a handler or the log).
 */
#ifndef SWS_CORE_HTTPD_H
#define SWS_CORE_HTTPD_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct httpd;

struct httpd_config {
  /*
   * Where to listen: "127.0.0.1:8443", "[::1]:8443", "localhost:8443", or a
   * port alone ("8443": loopback). Port 0 picks a free port (httpd_port).
   * NULL: 127.0.0.1 on a free port. Only an explicit address such as
   * "0.0.0.0:8443" listens beyond this computer.
   */
  const char *zListen;
  /* PEM files of the certificate (chain) and its key: both or neither.
   * With them the server speaks only HTTPS (TLS 1.2 or 1.3). */
  const char *zCertFile;
  const char *zKeyFile;
  size_t nMaxBody;       /* bytes as received (default 1 MiB) */
  size_t nMaxInflated;   /* bytes after gunzip (default 8 MiB) */
  /* idle connection timeout: nothing received or sent (default 60) */
  unsigned timeoutSeconds;
  /* at once (default 64, enough for one office's browsers; the registry
   * uses HTTPD_REGISTRY_CONNECTIONS); a client beyond it waits in the
   * listen queue until a connection ends */
  unsigned maxConnections;
  /* per client address (default 0: no limit); a connection beyond it is
   * closed at once */
  unsigned maxPerIp;
  /* Errors of the server itself (TLS handshakes, sockets), one line each;
   * NULL: to stderr prefixed "sws httpd: ". */
  void (*log)(void *logArg, const char *zLine);
  void *logArg;
  /* httpd_run_until_signal only: called on the waiting thread about once
   * a second, for upkeep that must not delay a request (the web UI merges
   * its indexes there); NULL: none. */
  void (*idle)(void *idleArg);
  void *idleArg;
  /* The header deadline in seconds (default 10): see the top of this
   * file. Last in the struct so that an initializer written before it
   * existed fails to compile instead of shifting its values. */
  unsigned headerTimeoutSeconds;
  /* 1: SO_REUSEPORT, so that several processes serve one port (workers of
   * the registry on PostgreSQL); the kernel spreads connections among
   * them */
  int bReusePort;
};

#define HTTPD_DEFAULT_MAX_BODY ((size_t)1 << 20)
#define HTTPD_DEFAULT_MAX_INFLATED ((size_t)8 << 20)
#define HTTPD_DEFAULT_TIMEOUT 60
#define HTTPD_DEFAULT_CONNECTIONS 64
#define HTTPD_DEFAULT_HEADER_TIMEOUT 10
/*
 * For the central registry: every office of a province may sync at once,
 * and a few hundred idle connections from an attacker must not fill the
 * server. Per client address less, so that one address cannot take every
 * connection, yet an office network behind one NAT address still fits.
 */
#define HTTPD_REGISTRY_CONNECTIONS 2048
#define HTTPD_REGISTRY_PER_IP 512

struct http_req {
  const char *zMethod; /* "GET", "POST", ... */
  const char *zPath;   /* path, percent-decoded by libmicrohttpd */
  const char *zQuery;  /* raw query after '?', "" if none (core/form.h) */
  const char *zTarget; /* raw request target as sent: what signatures cover */
  const char *zClient; /* client address, numeric ("127.0.0.1", "::1") */
  int bTls;            /* 1 over HTTPS */
  const char *zBody;   /* body (inflated), NUL-terminated; "" if none */
  size_t nBody;
  /*
   * A request header by name (case-insensitive), or NULL. Valid only
   * during the handler call. A test may fill this struct by hand with its
   * own function, to call route code without a server.
   */
  const char *(*header)(const struct http_req *req, const char *zName);
  void *hdrArg; /* for header(): the connection, or the test's data */
};

/* Shorthand for req->header(req, zName) (NULL when header is NULL). */
const char *http_req_header(const struct http_req *req, const char *zName);

struct http_header {
  char *zName;
  char *zValue;
};

struct http_resp {
  int status;             /* 200 unless set */
  char *zType;            /* Content-Type, NULL for none */
  struct http_header *aHdr; /* extra headers, in order */
  int nHdr;
  struct buf body;        /* capped at 64 MiB */
};

/*
 * The handler: fill resp from req and return 0. A negative return (or a
 * status that is not 100-599) answers 500 without details and logs it.
 * resp is owned by httpd; arg is the one given to httpd_start.
 */
typedef int (*httpd_handler)(void *arg, const struct http_req *req,
                             struct http_resp *resp);

/*
 * Start a server that answers every request with fn(arg, ...). *out gets
 * it (stop it with httpd_stop). Errors: SWS_EINVAL for a bad address or
 * config, or when the process may not open enough files for
 * maxConnections (its hard limit is too low); SWS_EIO when the certificate
 * or key cannot be read; SWS_ENET when the address cannot be listened on
 * (in use, not ours).
 */
int httpd_start(struct httpd **out, const struct httpd_config *cfg,
                httpd_handler fn, void *arg, struct sws_err *err);

/* Stop accepting, finish the request in progress, close every connection,
 * free h. NULL is fine. */
void httpd_stop(struct httpd *h);

/* The port listened on (the one picked when the config said 0). */
int httpd_port(const struct httpd *h);

/* The base URL, e.g. "https://127.0.0.1:8443" (borrowed from h). */
const char *httpd_url(const struct httpd *h);

/*
 * Run a server until SIGINT or SIGTERM, then stop it cleanly and return 0
 * (for the `serve` commands, whose exit status is then 0). SIGINT and
 * SIGTERM are blocked before the server thread starts, so only this
 * function sees them; SIGPIPE is ignored. ready(arg, h), when not NULL,
 * runs once the server listens (to print its URL). Errors as httpd_start.
 */
int httpd_run_until_signal(const struct httpd_config *cfg, httpd_handler fn,
                           void *arg,
                           void (*ready)(void *arg, struct httpd *h),
                           struct sws_err *err);

/* Add a header (copied). SWS_EINVAL, and nothing added, if the name is not
 * a token, the value has control characters (header injection), or the
 * header is one httpd owns (Content-Length, Transfer-Encoding,
 * Connection). Setting Content-Encoding turns off automatic gzip. */
int http_resp_header(struct http_resp *resp, const char *zName,
                     const char *zValue);

/* Set status, type and body (copied) in one call. */
int http_resp_bytes(struct http_resp *resp, int status, const char *zType,
                    const void *p, size_t n);
/* ... as application/json (zJson is already JSON text) */
int http_resp_json(struct http_resp *resp, int status, const char *zJson);
/* ... as text/plain; charset=utf-8 */
int http_resp_text(struct http_resp *resp, int status, const char *zText);
/* ... as text/html; charset=utf-8 (escaping is the caller's) */
int http_resp_html(struct http_resp *resp, int status, const char *zHtml);
/*
 * An error as JSON: {"error":zCode,"message":zMessage}, both escaped;
 * zMessage is for the officer (an sws_err message fits).
 */
int http_resp_json_error(struct http_resp *resp, int status,
                         const char *zCode, const char *zMessage);

#endif
