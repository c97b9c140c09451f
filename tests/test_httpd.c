/*
 * test_httpd.c - the transport: core/httpd.c serving over TLS on 127.0.0.1
 * (a test CA made at set-up by tests/make-test-ca.sh), called with
 * sync/http_client.c: status and security headers, gzip both ways, size
 * limits, certificate and pin checks, clear messages for refused and slow
 * connections, signed requests verified by the server, Retry-After,
 * backoff, a server stopped by SIGTERM exiting 0, and idle or slow
 * clients (plain sockets) cut at the header deadline without starving the
 * others.
 *
 * Every server started is stopped in the same test; every loop is bounded.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <poll.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/gzip.h"
#include "core/httpd.h"
#include "core/mem.h"
#include "sync/auth.h"
#include "sync/http_client.h"
#include "tests/support.h"

static char g_dir[256];
static char g_ca[300], g_other_ca[300], g_cert[300], g_key[300];
static char g_pin[128], g_other_pin[128];
static struct httpd *g_srv;
static int g_logged;
static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

static void quiet_log(void *arg, const char *z)
{
  (void)arg;
  (void)z;
  g_logged++;
}

static void sleep_ms(int ms)
{
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* ---- the test server's handler ------------------------------------------ */

static int reply_json(struct http_resp *resp, int status, json_t *o)
{
  char *z = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  int rc = http_resp_json(resp, status, z);
  free(z);
  return rc;
}

static int handler(void *arg, const struct http_req *req,
                   struct http_resp *resp)
{
  (void)arg;
  if (strcmp(req->zPath, "/echo") == 0) {
    unsigned char h[SWS_SHA256_BYTES];
    char zHex[2 * SWS_SHA256_BYTES + 1];
    sws_sha256(h, req->zBody, req->nBody);
    sws_hex(zHex, h, sizeof h);
    const char *zTest = http_req_header(req, "x-test");
    return reply_json(resp, 200, json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:b}", "method",
        req->zMethod, "path", req->zPath, "query", req->zQuery, "target",
        req->zTarget, "client", req->zClient, "n", (json_int_t)req->nBody,
        "sha", zHex, "xtest", zTest ? zTest : "", "tls", req->bTls));
  }
  if (strcmp(req->zPath, "/big") == 0) {
    buf_reset(&resp->body);
    for (int i = 0; i < 4000; i++)
      buf_appendf(&resp->body, "line %05d of a feed page that repeats\n", i);
    resp->status = 200;
    free(resp->zType);
    resp->zType = sws_strdup("text/plain; charset=utf-8");
    return 0;
  }
  if (strcmp(req->zPath, "/retry") == 0) {
    http_resp_header(resp, "Retry-After", "7");
    return http_resp_json_error(resp, 503, "busy", "try again later");
  }
  if (strcmp(req->zPath, "/retry-date") == 0) {
    char z[64];
    time_t t = time(NULL) + 120;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(z, sizeof z, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    http_resp_header(resp, "Retry-After", z);
    return http_resp_json_error(resp, 429, "slow_down", "too many requests");
  }
  if (strcmp(req->zPath, "/fail") == 0)
    return -1;
  if (strcmp(req->zPath, "/headers") == 0) {
    /* header injection is refused, ordinary headers pass */
    int bad = http_resp_header(resp, "X-Evil", "a\r\nSet-Cookie: x=1");
    int bad2 = http_resp_header(resp, "Bad Name", "v") +
               http_resp_header(resp, "content-length", "1") + 1;
    http_resp_header(resp, "X-Good", "yes");
    return reply_json(resp, 200, json_pack("{s:i, s:i}", "bad", bad, "bad2",
                                           bad2));
  }
  if (strcmp(req->zPath, "/slow") == 0) {
    sleep_ms(1500);
    return http_resp_text(resp, 200, "late");
  }
  if (strncmp(req->zPath, "/v1/", 4) == 0) {
    struct sws_err err = SWS_ERR_INIT;
    int rc = sync_auth_verify(
        req->zMethod, req->zTarget, req->zBody, req->nBody,
        http_req_header(req, SYNC_HDR_OFFICE),
        http_req_header(req, SYNC_HDR_TIME),
        http_req_header(req, SYNC_HDR_NONCE),
        http_req_header(req, SYNC_HDR_SIGNATURE), g_pk, (int64_t)time(NULL),
        900, &err);
    if (rc != 0)
      return http_resp_json_error(resp, rc == SYNC_AUTH_MALFORMED ? 400 : 401,
                                  "auth", err.msg);
    return reply_json(resp, 200, json_pack("{s:s, s:i}", "office",
                                           http_req_header(req,
                                                           SYNC_HDR_OFFICE),
                                           "n", (json_int_t)req->nBody));
  }
  return http_resp_json_error(resp, 404, "not_found", "no such page");
}

/* ---- set-up ------------------------------------------------------------- */

static int read_line(const char *zFile, char *out, size_t n)
{
  FILE *f = fopen(zFile, "r");
  if (f == NULL || fgets(out, (int)n, f) == NULL) {
    if (f)
      fclose(f);
    return -1;
  }
  fclose(f);
  out[strcspn(out, "\r\n")] = '\0';
  return 0;
}

static int start(struct httpd **out, size_t nMaxBody, size_t nMaxInflated)
{
  struct httpd_config cfg = {"127.0.0.1:0", g_cert, g_key, nMaxBody,
                             nMaxInflated, 10, 16, 0, quiet_log, NULL,
                             NULL, NULL, 0, 0};
  struct sws_err err = SWS_ERR_INIT;
  int rc = httpd_start(out, &cfg, handler, NULL, &err);
  if (rc != 0)
    fprintf(stderr, "\n  httpd_start: %s\n", err.msg);
  return rc;
}

static int suite_init(void)
{
  snprintf(g_dir, sizeof g_dir, "%s", t_tmpdir());
  char *cmd = sws_mprintf("sh tests/make-test-ca.sh '%s'", g_dir);
  int rc = system(cmd);
  free(cmd);
  if (rc != 0) {
    fprintf(stderr, "cannot make the test CA (is openssl installed? run "
            "from the top of the tree)\n");
    return -1;
  }
  snprintf(g_ca, sizeof g_ca, "%s/ca.pem", g_dir);
  snprintf(g_other_ca, sizeof g_other_ca, "%s/other-ca.pem", g_dir);
  snprintf(g_cert, sizeof g_cert, "%s/server.pem", g_dir);
  snprintf(g_key, sizeof g_key, "%s/server.key", g_dir);
  char zFile[300];
  snprintf(zFile, sizeof zFile, "%s/server.pin", g_dir);
  if (read_line(zFile, g_pin, sizeof g_pin) != 0)
    return -1;
  snprintf(zFile, sizeof zFile, "%s/other.pin", g_dir);
  if (read_line(zFile, g_other_pin, sizeof g_other_pin) != 0)
    return -1;
  sws_sign_keypair(g_pk, g_sk);
  return start(&g_srv, 0, 0) == 0 ? 0 : -1;
}

static int suite_clean(void)
{
  httpd_stop(g_srv);
  g_srv = NULL;
  return 0;
}

/* A client config for the suite's server. */
static struct sync_http_config client(const struct httpd *h)
{
  struct sync_http_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zBase = httpd_url(h);
  cfg.zCaFile = g_ca;
  cfg.connectTimeout = 5;
  cfg.lowSpeedLimit = 1;
  cfg.lowSpeedTime = 10;
  return cfg;
}

static json_t *parse_json(const struct buf *b)
{
  json_error_t je;
  json_t *o = json_loadb(buf_str(b), b->n, 0, &je);
  if (o == NULL)
    fprintf(stderr, "\n  not JSON: %.200s\n", buf_str(b));
  return o;
}

/* A GET with libcurl directly, keeping the response headers. */
struct raw {
  struct buf hdr, body;
};

static size_t raw_hdr(char *p, size_t s, size_t n, void *arg)
{
  buf_append(&((struct raw *)arg)->hdr, p, s * n);
  return s * n;
}

static size_t raw_body(char *p, size_t s, size_t n, void *arg)
{
  buf_append(&((struct raw *)arg)->body, p, s * n);
  return s * n;
}

static long raw_get(const char *zUrl, const char *zAcceptEncoding,
                    int bDecode, struct raw *r)
{
  long status = 0;
  struct curl_slist *h = NULL;
  buf_init(&r->hdr, 1 << 16);
  buf_init(&r->body, 1 << 20);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, zUrl);
  curl_easy_setopt(c, CURLOPT_CAINFO, g_ca);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, raw_hdr);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (bDecode) {
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, zAcceptEncoding);
  } else if (zAcceptEncoding) {
    char z[100];
    snprintf(z, sizeof z, "Accept-Encoding: %s", zAcceptEncoding);
    h = curl_slist_append(h, z);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  }
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  curl_slist_free_all(h);
  return status;
}

/* A POST sent at once, without "Expect: 100-continue". */
static long raw_post(const char *zUrl, const void *p, size_t n,
                     struct raw *r)
{
  long status = 0;
  struct curl_slist *h = curl_slist_append(NULL, "Expect:");
  buf_init(&r->hdr, 1 << 16);
  buf_init(&r->body, 1 << 20);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, zUrl);
  curl_easy_setopt(c, CURLOPT_CAINFO, g_ca);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, p);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  else
    fprintf(stderr, "\n  raw_post: %s\n", curl_easy_strerror(rc));
  curl_easy_cleanup(c);
  curl_slist_free_all(h);
  return status;
}

static void raw_release(struct raw *r)
{
  buf_release(&r->hdr);
  buf_release(&r->body);
}

static int has_line(const struct buf *b, const char *zLine)
{
  /* header names are case-insensitive: compare the whole block lowered */
  char *z = sws_strdup(buf_str(b));
  for (char *p = z; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  int found = strstr(z, zLine) != NULL;
  free(z);
  return found;
}

/* ---- tests -------------------------------------------------------------- */

static void test_httpd__https_round_trip(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  CU_ASSERT_PTR_NOT_NULL(strstr(httpd_url(g_srv), "https://127.0.0.1:"));
  CU_ASSERT(httpd_port(g_srv) > 0);
  int rc = sync_http_request(&cfg, NULL, "GET", "/echo?x=1&y=a%20b", NULL, 0,
                             &status, &resp, &ra, &err);
  if (rc)
    fprintf(stderr, "\n  %s\n", err.msg);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_EQUAL(ra, -1);
  json_t *o = parse_json(&resp);
  CU_ASSERT_PTR_NOT_NULL_FATAL(o);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "method")),
                         "GET");
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "path")),
                         "/echo");
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "query")),
                         "x=1&y=a%20b");
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "target")),
                         "/echo?x=1&y=a%20b");
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "client")),
                         "127.0.0.1");
  CU_ASSERT(json_is_true(json_object_get(o, "tls")));
  json_decref(o);
  /* unknown path: the handler's 404 is an answer, not a failure */
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/nope", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 404);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "not_found"));
  buf_release(&resp);
}

static void test_httpd__security_headers_on_every_response(void)
{
  const char *paths[] = {"/echo", "/nope", "/fail", "/retry", "/headers"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    struct raw r;
    char zUrl[200];
    snprintf(zUrl, sizeof zUrl, "%s%s", httpd_url(g_srv), paths[i]);
    long status = raw_get(zUrl, NULL, 0, &r);
    CU_ASSERT(status >= 200);
    CU_ASSERT(has_line(&r.hdr, "x-content-type-options: nosniff\r\n"));
    CU_ASSERT(has_line(&r.hdr, "cache-control: no-store\r\n"));
    if (strcmp(paths[i], "/fail") == 0) {
      CU_ASSERT_EQUAL(status, 500);
      CU_ASSERT(has_line(&r.body, "\"internal\""));
      CU_ASSERT(has_line(&r.hdr, "content-type: application/json\r\n"));
    }
    if (strcmp(paths[i], "/headers") == 0) {
      CU_ASSERT(has_line(&r.hdr, "x-good: yes\r\n"));
      CU_ASSERT(!has_line(&r.hdr, "set-cookie"));
      CU_ASSERT(!has_line(&r.hdr, "x-evil"));
      CU_ASSERT(has_line(&r.body, "\"bad\":-1"));
      CU_ASSERT(has_line(&r.body, "\"bad2\":-1"));
    }
    raw_release(&r);
  }
}

static void test_httpd__gzip_both_ways(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp, body;
  int status, ra;
  buf_init(&resp, 1 << 20);
  buf_init(&body, 4 << 20);
  /* 2 MiB of JSON-like text: over the 1 MiB wire limit uncompressed, well
   * under it compressed, under the 8 MiB inflated limit */
  while (body.n < ((size_t)2 << 20))
    buf_appendf(&body, "{\"seq\":%zu,\"entity\":\"household\"},", body.n);
  unsigned char h[SWS_SHA256_BYTES];
  char zHex[2 * SWS_SHA256_BYTES + 1];
  sws_sha256(h, body.z, body.n);
  sws_hex(zHex, h, sizeof h);
  int rc = sync_http_request(&cfg, NULL, "POST", "/echo", body.z, body.n,
                             &status, &resp, &ra, &err);
  if (rc)
    fprintf(stderr, "\n  %s\n", err.msg);
  CU_ASSERT_EQUAL_FATAL(rc, 0);
  CU_ASSERT_EQUAL(status, 200);
  json_t *o = parse_json(&resp);
  CU_ASSERT_PTR_NOT_NULL_FATAL(o);
  CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "n")),
                  (json_int_t)body.n);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(o, "sha")), zHex);
  json_decref(o);

  /* answers: gzip when accepted, plain otherwise, same content */
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/big", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_EQUAL(resp.n, 4000 * 39);
  struct raw r;
  char zUrl[200];
  snprintf(zUrl, sizeof zUrl, "%s/big", httpd_url(g_srv));
  CU_ASSERT_EQUAL(raw_get(zUrl, "gzip", 0, &r), 200);
  CU_ASSERT(has_line(&r.hdr, "content-encoding: gzip\r\n"));
  CU_ASSERT(r.body.n < resp.n / 5);
  struct buf plain;
  buf_init(&plain, 1 << 20);
  CU_ASSERT_EQUAL(http_gunzip(&plain, r.body.z, r.body.n, "the page", &err),
                  0);
  CU_ASSERT_EQUAL(plain.n, resp.n);
  CU_ASSERT(memcmp(plain.z, resp.z, resp.n) == 0);
  buf_release(&plain);
  raw_release(&r);
  CU_ASSERT_EQUAL(raw_get(zUrl, "identity, gzip;q=0", 0, &r), 200);
  CU_ASSERT(!has_line(&r.hdr, "content-encoding"));
  CU_ASSERT_EQUAL(r.body.n, 4000 * 39);
  raw_release(&r);
  CU_ASSERT_EQUAL(raw_get(zUrl, NULL, 0, &r), 200);
  CU_ASSERT(!has_line(&r.hdr, "content-encoding"));
  raw_release(&r);
  buf_release(&body);
  buf_release(&resp);
}

static void test_httpd__oversized_bodies_get_413(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start(&h, 64 << 10, 256 << 10), 0);
  struct sync_http_config cfg = client(h);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status = 0, ra;
  buf_init(&resp, 1 << 20);
  /* incompressible: more than 64 KiB on the wire */
  size_t n = 200 << 10;
  unsigned char *p = sws_malloc(n);
  sws_random(p, n);
  int rc = sync_http_request(&cfg, NULL, "POST", "/echo", p, n, &status,
                             &resp, &ra, &err);
  if (rc)
    fprintf(stderr, "\n  %s\n", err.msg);
  CU_ASSERT_EQUAL(rc, 0);
  CU_ASSERT_EQUAL(status, 413);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "too_big"));
  /* the server goes on answering */
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "POST", "/echo", p, 1000,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 200);
  /* compressible: small on the wire, 1 MiB inflated (a small bomb) */
  memset(p, 'a', n);
  unsigned char *q = sws_malloc((size_t)1 << 20);
  memset(q, 'a', (size_t)1 << 20);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "POST", "/echo", q,
                                    (size_t)1 << 20, &status, &resp, &ra,
                                    &err), 0);
  CU_ASSERT_EQUAL(status, 413);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "inflates"));
  free(q);
  /* a client that does not wait for 100 Continue (a browser): the body is
   * read and dropped, and the 413 still arrives, every time */
  char zUrl[200];
  snprintf(zUrl, sizeof zUrl, "%s/echo", httpd_url(h));
  for (int i = 0; i < 5; i++) {
    struct raw r;
    CU_ASSERT_EQUAL(raw_post(zUrl, p, 150 << 10, &r), 413);
    CU_ASSERT(has_line(&r.body, "too_big"));
    raw_release(&r);
  }
  free(p);
  buf_release(&resp);
  httpd_stop(h);
}

static void test_httpd__untrusted_certificate_refused(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status = -5, ra;
  buf_init(&resp, 1 << 20);
  cfg.zCaFile = g_other_ca;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ECRYPTO);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "certificate is not trusted"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "--ca-file"));
  CU_ASSERT_EQUAL(status, 0);
  CU_ASSERT_EQUAL(resp.n, 0);
  /* the system's store does not know the test CA either */
  cfg.zCaFile = NULL;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ECRYPTO);
  /* a CA file that does not exist */
  char zMissing[320];
  snprintf(zMissing, sizeof zMissing, "%s/missing.pem", g_dir);
  cfg.zCaFile = zMissing;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EIO);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "missing.pem"));
  /* the right CA but the wrong name: localhost is in the certificate,
   * 127.0.0.2 is not */
  char zBase[100];
  snprintf(zBase, sizeof zBase, "https://127.0.0.2:%d", httpd_port(g_srv));
  cfg.zCaFile = g_ca;
  cfg.zBase = zBase;
  int rc = sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0, &status,
                             &resp, &ra, &err);
  /* 127.0.0.2 may not be routable everywhere: refused or untrusted */
  CU_ASSERT(rc == SWS_ECRYPTO || rc == SWS_ENET);
  snprintf(zBase, sizeof zBase, "https://localhost:%d", httpd_port(g_srv));
  rc = sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0, &status, &resp,
                         &ra, &err);
  /* localhost may resolve to ::1 first, where nothing listens: allowed */
  CU_ASSERT(rc == 0 || rc == SWS_ENET);
  buf_release(&resp);
}

static void test_httpd__pin_match_and_mismatch(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  char zBoth[300];
  buf_init(&resp, 1 << 20);
  cfg.zPin = g_pin;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 200);
  cfg.zPin = g_other_pin;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ECRYPTO);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "does not match the pin"));
  /* a backup pin beside the current one */
  snprintf(zBoth, sizeof zBoth, "%s;%s", g_other_pin, g_pin);
  cfg.zPin = zBoth;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  buf_release(&resp);
}

static void test_httpd__connection_refused_message(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start(&h, 0, 0), 0);
  char zBase[100];
  snprintf(zBase, sizeof zBase, "%s", httpd_url(h));
  httpd_stop(h); /* the port is free again: nothing listens there */
  struct sync_http_config cfg = client(g_srv);
  cfg.zBase = zBase;
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ENET);
  char zWant[200];
  snprintf(zWant, sizeof zWant, "cannot reach the central registry at %s: "
           "connection refused; check the network or the address", zBase);
  CU_ASSERT_STRING_EQUAL(err.msg, zWant);
  buf_release(&resp);
}

static void test_httpd__plain_http_only_for_loopback_tests(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  struct httpd *h = NULL;
  struct httpd_config hc = {NULL, NULL, NULL, 0, 0, 10, 4, 0, quiet_log,
                            NULL, NULL, NULL, 0, 0};
  CU_ASSERT_EQUAL_FATAL(httpd_start(&h, &hc, handler, NULL, &err), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(httpd_url(h), "http://127.0.0.1:"));
  cfg.zBase = httpd_url(h);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must start with https://"));
  cfg.bTestAllowHttp = 1;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "\"tls\":false"));
  cfg.zBase = "http://example.org:80";
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EINVAL);
  cfg.zBase = "http://127.0.0.1.example.org";
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EINVAL);
  cfg.zBase = "ftp://127.0.0.1";
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EINVAL);
  /* an HTTPS client at a plain HTTP server: a clear failure */
  char zBase[100];
  snprintf(zBase, sizeof zBase, "https://127.0.0.1:%d", httpd_port(h));
  cfg.zBase = zBase;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ENET);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "secure connection"));
  httpd_stop(h);
  buf_release(&resp);
}

static void test_httpd__signed_requests_verified_by_server(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  struct sync_signer s = {"KH12", g_sk, 0};
  const char zBody[] = "{\"mutations\":[]}";
  CU_ASSERT_EQUAL(sync_http_request(&cfg, &s, "POST", "/v1/push?x=1", zBody,
                                    strlen(zBody), &status, &resp, &ra, &err),
                  0);
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "\"office\":\"KH12\""));
  CU_ASSERT_EQUAL(sync_http_request(&cfg, &s, "GET",
                                    "/v1/feed?cursor=AbC-_9&max=1024", NULL,
                                    0, &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 200);
  /* unsigned: 400; a clock an hour off: 401 with the skew */
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/v1/feed", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 400);
  s.clockOffset = 3600;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, &s, "GET", "/v1/feed", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 401);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "60 minutes ahead"));
  /* another key: 401 */
  unsigned char pk2[SWS_PK_BYTES], sk2[SWS_SK_BYTES];
  sws_sign_keypair(pk2, sk2);
  struct sync_signer s2 = {"KH12", sk2, 0};
  CU_ASSERT_EQUAL(sync_http_request(&cfg, &s2, "GET", "/v1/feed", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 401);
  buf_release(&resp);
}

static void test_httpd__retry_after_and_backoff(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/retry", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 503);
  CU_ASSERT_EQUAL(ra, 7);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/retry-date", NULL,
                                    0, &status, &resp, &ra, &err), 0);
  CU_ASSERT_EQUAL(status, 429);
  CU_ASSERT(ra >= 118 && ra <= 121);
  buf_release(&resp);

  int64_t now = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
  CU_ASSERT_EQUAL(sync_http_retry_after("120", now), 120);
  CU_ASSERT_EQUAL(sync_http_retry_after(" 0 ", now), 0);
  CU_ASSERT_EQUAL(sync_http_retry_after("99999999", now), 86400);
  CU_ASSERT_EQUAL(sync_http_retry_after("Sun, 06 Nov 1994 08:51:37 GMT",
                                        now), 120);
  CU_ASSERT_EQUAL(sync_http_retry_after("Sun, 06 Nov 1994 08:00:00 GMT",
                                        now), 0);
  CU_ASSERT_EQUAL(sync_http_retry_after("-5", now), -1);
  CU_ASSERT_EQUAL(sync_http_retry_after("soon", now), -1);
  CU_ASSERT_EQUAL(sync_http_retry_after("", now), -1);
  CU_ASSERT_EQUAL(sync_http_retry_after(NULL, now), -1);
  CU_ASSERT_EQUAL(sync_http_retry_after("1.5", now), -1);

  /* full jitter: within [0, min(cap, base*2^n)], deterministic per seed */
  uint64_t seed = 42, seed2 = 42;
  int64_t maxSeen[8] = {0};
  for (int round = 0; round < 200; round++) {
    for (int a = 0; a < 8; a++) {
      int64_t d = sync_backoff_delay_ms(a, -1, &seed);
      int64_t ceil = (int64_t)SYNC_BACKOFF_BASE_MS << a;
      if (ceil > SYNC_BACKOFF_CAP_MS)
        ceil = SYNC_BACKOFF_CAP_MS;
      CU_ASSERT(d >= 0 && d <= ceil);
      if (d > maxSeen[a])
        maxSeen[a] = d;
    }
  }
  /* the draws spread over the range (not all tiny, not constant) */
  CU_ASSERT(maxSeen[0] > 500);
  CU_ASSERT(maxSeen[7] > 32000);
  CU_ASSERT_EQUAL(sync_backoff_delay_ms(3, -1, &seed2),
                  sync_backoff_delay_ms(3, -1, &(uint64_t){42}));
  for (int i = 0; i < 50; i++) {
    CU_ASSERT(sync_backoff_delay_ms(1000, -1, &seed) <= SYNC_BACKOFF_CAP_MS);
    CU_ASSERT(sync_backoff_delay_ms(-3, -1, &seed) <= SYNC_BACKOFF_BASE_MS);
    /* Retry-After is a floor... */
    CU_ASSERT(sync_backoff_delay_ms(0, 30, &seed) >= 30000);
    /* ...capped at 15 minutes */
    CU_ASSERT_EQUAL(sync_backoff_delay_ms(0, 86400, &seed),
                    SYNC_RETRY_AFTER_MAX_MS);
  }
  int64_t d = sync_backoff_delay_ms(2, -1, NULL);
  CU_ASSERT(d >= 0 && d <= 4000);
}

static void test_httpd__limits_messages_and_progress(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  /* an answer over the caller's cap */
  buf_init(&resp, 1000);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/big", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ETOOBIG);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "1000 bytes"));
  CU_ASSERT_EQUAL(resp.n, 0);
  buf_release(&resp);
  buf_init(&resp, 1 << 20);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "no-slash", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_EINVAL);
  cfg.zBase = "https://bad host";
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/", NULL, 0, &status,
                                    &resp, &ra, &err), SWS_EINVAL);
  cfg.zBase = NULL;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/", NULL, 0, &status,
                                    &resp, &ra, &err), SWS_EINVAL);
  buf_release(&resp);
}

static int64_t g_up, g_down;

static void on_progress(void *arg, int64_t upNow, int64_t upTotal,
                        int64_t downNow, int64_t downTotal)
{
  (void)arg;
  (void)upTotal;
  (void)downTotal;
  if (upNow > g_up)
    g_up = upNow;
  if (downNow > g_down)
    g_down = downNow;
}

static void test_httpd__session_reuse_and_progress(void)
{
  struct sync_http_config cfg = client(g_srv);
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  cfg.pSession = sync_http_session_new();
  CU_ASSERT_PTR_NOT_NULL_FATAL(cfg.pSession);
  cfg.progress = on_progress;
  unsigned char p[20000];
  sws_random(p, sizeof p);
  g_up = g_down = 0;
  for (int i = 0; i < 3; i++) {
    CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "POST", "/echo", p,
                                      sizeof p, &status, &resp, &ra, &err),
                    0);
    CU_ASSERT_EQUAL(status, 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&resp), "\"n\":20000"));
  }
  CU_ASSERT(g_up >= (int64_t)sizeof p);
  CU_ASSERT(g_down > 0);
  /* the session survives a failure and works after it */
  cfg.zPin = g_other_pin;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ECRYPTO);
  cfg.zPin = NULL;
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/echo", NULL, 0,
                                    &status, &resp, &ra, &err), 0);
  sync_http_session_free(cfg.pSession);
  buf_release(&resp);
}

static void test_httpd__too_slow_link_gives_up(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start(&h, 0, 0), 0);
  struct sync_http_config cfg = client(h);
  cfg.lowSpeedLimit = 1000;
  cfg.lowSpeedTime = 1;
  struct sws_err err = SWS_ERR_INIT;
  struct buf resp;
  int status, ra;
  buf_init(&resp, 1 << 20);
  CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/slow", NULL, 0,
                                    &status, &resp, &ra, &err), SWS_ENET);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "too slow"));
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nothing is lost"));
  buf_release(&resp);
  httpd_stop(h);
}

static void test_httpd__start_errors(void)
{
  struct httpd *h = NULL;
  struct sws_err err = SWS_ERR_INIT;
  const char *bad[] = {"nohost", "127.0.0.1:", "127.0.0.1:99999", "::1:80",
                       "[::1]80", "127.0.0.1:8o", "999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct httpd_config cfg = {bad[i], NULL, NULL, 0, 0, 0, 0, 0, quiet_log,
                               NULL, NULL, NULL, 0, 0};
    CU_ASSERT_EQUAL(httpd_start(&h, &cfg, handler, NULL, &err), SWS_EINVAL);
    CU_ASSERT_PTR_NULL(h);
  }
  /* the port in use */
  char zListen[40];
  snprintf(zListen, sizeof zListen, "127.0.0.1:%d", httpd_port(g_srv));
  struct httpd_config cfg = {zListen, NULL, NULL, 0, 0, 0, 0, 0, quiet_log,
                             NULL, NULL, NULL, 0, 0};
  CU_ASSERT_EQUAL(httpd_start(&h, &cfg, handler, NULL, &err), SWS_ENET);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, zListen));
  /* TLS files */
  cfg.zListen = NULL;
  cfg.zCertFile = g_cert;
  CU_ASSERT_EQUAL(httpd_start(&h, &cfg, handler, NULL, &err), SWS_EINVAL);
  cfg.zKeyFile = "/nonexistent/key.pem";
  CU_ASSERT_EQUAL(httpd_start(&h, &cfg, handler, NULL, &err), SWS_EIO);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/key.pem"));
  cfg.zKeyFile = g_ca; /* a certificate where the key should be */
  CU_ASSERT_EQUAL(httpd_start(&h, &cfg, handler, NULL, &err), SWS_ENET);
  /* "PORT" alone means loopback */
  cfg.zCertFile = cfg.zKeyFile = NULL;
  cfg.zListen = "0";
  CU_ASSERT_EQUAL_FATAL(httpd_start(&h, &cfg, handler, NULL, &err), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(httpd_url(h), "http://127.0.0.1:"));
  httpd_stop(h);
  httpd_stop(NULL);
}

/* gzip and gunzip on their own: round trip, corruption, bombs. */
static void test_httpd__gzip_helpers(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct buf z, out;
  const char zText[] = "household household household household";
  buf_init(&z, 1 << 16);
  buf_init(&out, 1 << 16);
  CU_ASSERT_EQUAL(http_gzip(&z, zText, sizeof zText - 1, &err), 0);
  CU_ASSERT_EQUAL((unsigned char)z.z[0], 0x1f);
  CU_ASSERT_EQUAL((unsigned char)z.z[1], 0x8b);
  CU_ASSERT_EQUAL(http_gunzip(&out, z.z, z.n, "the body", &err), 0);
  CU_ASSERT_STRING_EQUAL(out.z, zText);
  /* truncated, corrupted, trailing garbage, empty, not gzip */
  buf_reset(&out);
  CU_ASSERT_EQUAL(http_gunzip(&out, z.z, z.n - 3, "the body", &err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "the body"));
  buf_reset(&out);
  z.z[z.n / 2] ^= 0x55;
  CU_ASSERT_EQUAL(http_gunzip(&out, z.z, z.n, "the body", &err), SWS_EINVAL);
  z.z[z.n / 2] ^= 0x55;
  buf_reset(&out);
  buf_puts(&z, "xx");
  CU_ASSERT_EQUAL(http_gunzip(&out, z.z, z.n, "the body", &err), SWS_EINVAL);
  buf_reset(&out);
  CU_ASSERT_EQUAL(http_gunzip(&out, "", 0, "the body", &err), SWS_EINVAL);
  CU_ASSERT_EQUAL(http_gunzip(&out, zText, sizeof zText - 1, "the body",
                              &err), SWS_EINVAL);
  /* a bomb: 64 MiB of zeros is ~64 KiB of gzip; inflating stops at 1 MiB */
  buf_release(&z);
  buf_init(&z, 1 << 20);
  size_t nZero = (size_t)64 << 20;
  char *zeros = sws_calloc(1, nZero);
  CU_ASSERT_EQUAL(http_gzip(&z, zeros, nZero, &err), 0);
  free(zeros);
  CU_ASSERT(z.n < 200000);
  buf_release(&out);
  buf_init(&out, 1 << 20);
  CU_ASSERT_EQUAL(http_gunzip(&out, z.z, z.n, "the body", &err), SWS_ETOOBIG);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "inflates to more than"));
  CU_ASSERT(out.n <= out.max);
  /* gzip into a buffer too small */
  struct buf tiny;
  buf_init(&tiny, 10);
  CU_ASSERT_EQUAL(http_gzip(&tiny, zText, sizeof zText - 1, &err),
                  SWS_ETOOBIG);
  buf_release(&tiny);
  buf_release(&z);
  buf_release(&out);
}

static void ready(void *arg, struct httpd *h)
{
  int fd = *(int *)arg;
  int port = httpd_port(h);
  if (write(fd, &port, sizeof port) != (ssize_t)sizeof port)
    _exit(3);
  close(fd);
}

static int serve_handler(void *arg, const struct http_req *req,
                         struct http_resp *resp)
{
  (void)arg;
  (void)req;
  return http_resp_json(resp, 200, "{\"ok\":true}");
}

/* The idle callback: one byte down a pipe each time (once the test has
 * stopped reading, the write fails and nothing more is said). */
static void idle_tick(void *arg)
{
  int *pfd = arg;
  if (*pfd >= 0 && write(*pfd, "i", 1) != 1)
    *pfd = -1;
}

/* The serve commands: a server in its own process, stopped by SIGTERM,
 * exits 0; between requests its waiting thread runs the idle upkeep. */
static void test_httpd__serve_until_sigterm_exits_zero(void)
{
  int fds[2], ticks[2];
  CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
  CU_ASSERT_EQUAL_FATAL(pipe(ticks), 0);
  fflush(NULL);
  pid_t pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    close(ticks[0]);
    struct httpd_config cfg = {"127.0.0.1:0", g_cert, g_key, 0, 0, 10, 8, 0,
                               quiet_log, NULL, idle_tick, &ticks[1], 0, 0};
    struct sws_err err = SWS_ERR_INIT;
    int w = fds[1];
    int rc = httpd_run_until_signal(&cfg, serve_handler, &w, ready, &err);
    /* _exit: the parent's atexit handlers (its temporary files) are not
     * the child's to run */
    _exit(rc == 0 ? 0 : 1);
  }
  close(fds[1]);
  int port = 0;
  ssize_t got = read(fds[0], &port, sizeof port);
  close(fds[0]);
  CU_ASSERT_EQUAL(got, (ssize_t)sizeof port);
  if (got == (ssize_t)sizeof port) {
    char zBase[64];
    snprintf(zBase, sizeof zBase, "https://127.0.0.1:%d", port);
    struct sync_http_config cfg = client(g_srv);
    cfg.zBase = zBase;
    struct sws_err err = SWS_ERR_INIT;
    struct buf resp;
    int status, ra;
    buf_init(&resp, 1 << 16);
    CU_ASSERT_EQUAL(sync_http_request(&cfg, NULL, "GET", "/", NULL, 0,
                                      &status, &resp, &ra, &err), 0);
    CU_ASSERT_EQUAL(status, 200);
    buf_release(&resp);
  }
  close(ticks[1]);
  /* the upkeep runs about once a second: two ticks within 10 s */
  char zTicks[2];
  size_t nTicks = 0;
  struct pollfd pf = {ticks[0], POLLIN, 0};
  for (int i = 0; i < 100 && nTicks < 2; i++)
    if (poll(&pf, 1, 100) == 1 && read(ticks[0], zTicks, 1) == 1)
      nTicks++;
  CU_ASSERT_EQUAL(nTicks, 2);
  close(ticks[0]);
  CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
  int st = 0, done = 0;
  for (int i = 0; i < 300 && !done; i++) { /* at most 30 s (valgrind) */
    pid_t w = waitpid(pid, &st, WNOHANG);
    if (w == pid)
      done = 1;
    else
      sleep_ms(100);
  }
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  CU_ASSERT(done);
  CU_ASSERT(WIFEXITED(st));
  CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
}

/* ---- idle and slow clients ---------------------------------------------- */

/* Lines the server logged about connections it cut (the log runs on the
 * server's thread, the test reads after httpd_stop or under the lock). */
static pthread_mutex_t g_cutMu = PTHREAD_MUTEX_INITIALIZER;
static int g_nCut;
static char g_zCut[512];

static void cut_log(void *arg, const char *z)
{
  (void)arg;
  pthread_mutex_lock(&g_cutMu);
  if (strstr(z, "headers not complete")) {
    g_nCut++;
    snprintf(g_zCut, sizeof g_zCut, "%s", z);
  }
  pthread_mutex_unlock(&g_cutMu);
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A server on 127.0.0.1 (HTTPS when bTls) with the given header deadline
 * and limits; the idle timeout is far off, so that only the deadline can
 * be what cuts. */
static int start_guarded(struct httpd **out, int bTls, unsigned header,
                         unsigned conns, unsigned perIp)
{
  struct httpd_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zListen = "127.0.0.1:0";
  if (bTls) {
    cfg.zCertFile = g_cert;
    cfg.zKeyFile = g_key;
  }
  cfg.timeoutSeconds = 60;
  cfg.maxConnections = conns;
  cfg.maxPerIp = perIp;
  cfg.headerTimeoutSeconds = header;
  cfg.log = cut_log;
  pthread_mutex_lock(&g_cutMu);
  g_nCut = 0;
  g_zCut[0] = '\0';
  pthread_mutex_unlock(&g_cutMu);
  struct sws_err err = SWS_ERR_INIT;
  int rc = httpd_start(out, &cfg, handler, NULL, &err);
  if (rc != 0)
    fprintf(stderr, "\n  httpd_start: %s\n", err.msg);
  return rc;
}

/* A TCP connection to 127.0.0.1:port, or -1. */
static int tcp_connect(int port)
{
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int send_all(int fd, const char *z, size_t n)
{
  return send(fd, z, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* 1 if the server closes fd within ms (end of stream or reset), 0 if not;
 * what it sends meanwhile is read and appended to out when out is not
 * NULL, dropped otherwise. */
static int closed_within(int fd, int ms, struct buf *out)
{
  int64_t end = now_ms() + ms;
  for (;;) {
    int64_t left = end - now_ms();
    if (left <= 0)
      return 0;
    struct pollfd pf = {fd, POLLIN, 0};
    int n = poll(&pf, 1, (int)left);
    if (n < 0 && errno != EINTR)
      return 0;
    if (n <= 0)
      continue;
    char b[4096];
    ssize_t k = recv(fd, b, sizeof b, 0);
    if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
      return 1;
    if (k > 0 && out)
      buf_append(out, b, (size_t)k);
  }
}

/* 1 if the server has closed fd already (without waiting). */
static int closed_now(int fd)
{
  struct pollfd pf = {fd, POLLIN, 0};
  if (poll(&pf, 1, 0) != 1)
    return 0;
  char b[256];
  ssize_t k = recv(fd, b, sizeof b, MSG_DONTWAIT);
  return k == 0 || (k < 0 && errno != EAGAIN);
}

/* A GET over HTTPS that gives up after ms; the status, 0 if none. */
static long get_within(const char *zUrl, long ms)
{
  struct raw r;
  long status = 0;
  buf_init(&r.hdr, 1 << 16);
  buf_init(&r.body, 1 << 20);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, zUrl);
  curl_easy_setopt(c, CURLOPT_CAINFO, g_ca);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  else
    fprintf(stderr, "\n  get_within: %s\n", curl_easy_strerror(rc));
  curl_easy_cleanup(c);
  raw_release(&r);
  return status;
}

/* A whole request on a new plain connection, answered: 1 if the answer
 * starts with zStatus (e.g. "HTTP/1.1 200"). */
static int plain_request_ok(int port, const char *zReq, const char *zStatus)
{
  struct buf b;
  int fd = tcp_connect(port);
  if (fd < 0)
    return 0;
  buf_init(&b, 1 << 20);
  int ok = send_all(fd, zReq, strlen(zReq)) == 0 &&
           closed_within(fd, 10000, &b) &&
           strncmp(buf_str(&b), zStatus, strlen(zStatus)) == 0;
  close(fd);
  buf_release(&b);
  return ok;
}

/* A client sending its headers one line every 300 ms: libmicrohttpd's
 * idle timeout restarts on every byte and would never cut it; the header
 * deadline does, and says so once in the log. */
static void test_httpd__trickled_headers_cut_at_deadline(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 0, 1, 0, 0), 0);
  int port = httpd_port(h);
  int fd = tcp_connect(port);
  CU_ASSERT_FATAL(fd >= 0);
  int64_t t0 = now_ms();
  const char zLine[] = "GET /echo HTTP/1.1\r\n";
  CU_ASSERT_EQUAL(send_all(fd, zLine, strlen(zLine)), 0);
  int bCut = 0, nSent = 0;
  while (!bCut && now_ms() - t0 < 6000) {
    if (closed_within(fd, 300, NULL)) {
      bCut = 1;
      break;
    }
    char z[64];
    int n = snprintf(z, sizeof z, "X-Trickle-%d: %d\r\n", nSent, nSent);
    if (send_all(fd, z, (size_t)n) != 0)
      bCut = 1; /* reset: closed between two lines */
    else
      nSent++;
  }
  int64_t took = now_ms() - t0;
  close(fd);
  CU_ASSERT(bCut);
  CU_ASSERT(nSent >= 2); /* it was sending all along */
  CU_ASSERT(took >= 900);
  CU_ASSERT(took < 4000);
  if (!bCut || took < 900 || took >= 4000)
    fprintf(stderr, "\n  cut=%d after %lld ms, %d lines\n", bCut,
            (long long)took, nSent);
  /* the server goes on answering */
  CU_ASSERT(plain_request_ok(port, "GET /echo HTTP/1.1\r\nHost: t\r\n"
                             "Connection: close\r\n\r\n", "HTTP/1.1 200"));
  httpd_stop(h);
  CU_ASSERT_EQUAL(g_nCut, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(g_zCut, "127.0.0.1"));
  CU_ASSERT_PTR_NOT_NULL(strstr(g_zCut, "headers not complete within 1 s"));
}

/* A request with two Host headers is refused (a proxy and this server
 * could each read another); one Host is answered. */
static void test_httpd__two_host_headers_refused(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 0, 1, 0, 0), 0);
  int port = httpd_port(h);
  CU_ASSERT(plain_request_ok(port,
                             "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Host: evil.example\r\nConnection: close\r\n"
                             "\r\n",
                             "HTTP/1.1 400"));
  CU_ASSERT(plain_request_ok(port,
                             "GET /echo HTTP/1.1\r\nHost: t\r\n"
                             "Connection: close\r\n\r\n",
                             "HTTP/1.1 200"));
  httpd_stop(h);
}

/* 200 connections that sent 3 bytes and then nothing (under the TLS
 * handshake): with room for 1000, a request on a new connection is
 * answered at once, and the idle ones are not dropped to make room. With
 * the old limit of 64 the request waited behind them in the listen queue;
 * the header deadline is far off here, so it cannot be what lets the
 * request through. */
static void test_httpd__idle_connections_do_not_starve_others(void)
{
  enum { N_IDLE = 200 };
  static int fds[N_IDLE];
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 1, 30, 1000,
                                      HTTPD_REGISTRY_PER_IP), 0);
  int port = httpd_port(h);
  int nOpen = 0;
  while (nOpen < N_IDLE) {
    int fd = tcp_connect(port);
    if (fd < 0)
      break;
    fds[nOpen++] = fd;
    if (send_all(fd, "\x16\x03\x01", 3) != 0)
      break;
  }
  CU_ASSERT_EQUAL(nOpen, N_IDLE);
  sleep_ms(500); /* the server accepts them (they are not just queued) */
  char zUrl[200];
  snprintf(zUrl, sizeof zUrl, "%s/echo", httpd_url(h));
  int64_t t0 = now_ms();
  long status = get_within(zUrl, 5000);
  int64_t took = now_ms() - t0;
  CU_ASSERT_EQUAL(status, 200);
  CU_ASSERT(took < 3000);
  if (status != 200 || took >= 3000)
    fprintf(stderr, "\n  status %ld after %lld ms\n", status,
            (long long)took);
  int nClosed = 0;
  for (int i = 0; i < nOpen; i++)
    nClosed += closed_now(fds[i]);
  CU_ASSERT_EQUAL(nClosed, 0);
  for (int i = 0; i < nOpen; i++)
    close(fds[i]);
  httpd_stop(h);
  CU_ASSERT_EQUAL(g_nCut, 0);
}

/* A connection that says nothing at all (not even a TLS hello) is closed
 * at the deadline; so is a kept-alive connection whose next request does
 * not come, counted from the end of the previous answer. */
static void test_httpd__silent_connection_closed_at_deadline(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 1, 1, 0, 0), 0);
  int fd = tcp_connect(httpd_port(h));
  CU_ASSERT_FATAL(fd >= 0);
  int64_t t0 = now_ms();
  CU_ASSERT(closed_within(fd, 5000, NULL));
  int64_t took = now_ms() - t0;
  close(fd);
  CU_ASSERT(took >= 900);
  CU_ASSERT(took < 4000);
  httpd_stop(h);
  CU_ASSERT_EQUAL(g_nCut, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(g_zCut, "headers not complete within 1 s"));

  /* keep-alive, plain HTTP: the first answer comes, the connection stays
   * open, and is closed about a second after that answer */
  h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 0, 1, 0, 0), 0);
  fd = tcp_connect(httpd_port(h));
  CU_ASSERT_FATAL(fd >= 0);
  sleep_ms(600); /* most of the first deadline gone: not counted again */
  const char zReq[] = "GET /echo HTTP/1.1\r\nHost: t\r\n\r\n";
  CU_ASSERT_EQUAL(send_all(fd, zReq, strlen(zReq)), 0);
  struct pollfd pf = {fd, POLLIN, 0};
  CU_ASSERT_EQUAL(poll(&pf, 1, 5000), 1);
  t0 = now_ms();
  struct buf b;
  buf_init(&b, 1 << 20);
  CU_ASSERT(closed_within(fd, 5000, &b));
  took = now_ms() - t0;
  close(fd);
  CU_ASSERT_EQUAL(strncmp(buf_str(&b), "HTTP/1.1 200", 12), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&b), "\"path\":\"/echo\""));
  CU_ASSERT(took >= 900);
  CU_ASSERT(took < 4000);
  if (took < 900 || took >= 4000)
    fprintf(stderr, "\n  kept-alive connection closed after %lld ms\n",
            (long long)took);
  buf_release(&b);
  httpd_stop(h);
  CU_ASSERT_EQUAL(g_nCut, 1);
}

/* Headers at once, then a body sent steadily over 2.5 s: the deadline is
 * about headers only, so the request is answered. */
static void test_httpd__steady_body_not_cut_by_header_deadline(void)
{
  struct httpd *h = NULL;
  CU_ASSERT_EQUAL_FATAL(start_guarded(&h, 0, 1, 0, 0), 0);
  int fd = tcp_connect(httpd_port(h));
  CU_ASSERT_FATAL(fd >= 0);
  const char zHead[] = "POST /echo HTTP/1.1\r\nHost: t\r\n"
                       "Content-Length: 1000\r\nConnection: close\r\n\r\n";
  int64_t t0 = now_ms();
  CU_ASSERT_EQUAL(send_all(fd, zHead, strlen(zHead)), 0);
  char chunk[100];
  memset(chunk, 'b', sizeof chunk);
  int nSent = 0;
  for (int i = 0; i < 10; i++) {
    sleep_ms(250);
    if (send_all(fd, chunk, sizeof chunk) != 0)
      break;
    nSent++;
  }
  CU_ASSERT_EQUAL(nSent, 10);
  struct buf b;
  buf_init(&b, 1 << 20);
  CU_ASSERT(closed_within(fd, 10000, &b));
  int64_t took = now_ms() - t0;
  close(fd);
  CU_ASSERT(took >= 2000);
  CU_ASSERT_EQUAL(strncmp(buf_str(&b), "HTTP/1.1 200", 12), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&b), "\"n\":1000"));
  buf_release(&b);
  httpd_stop(h);
  CU_ASSERT_EQUAL(g_nCut, 0);
}

/* Room for many connections needs as many open files: the soft limit is
 * raised when it is too low, and a hard limit too low is a clear error.
 * In a child process, whose limits the test may change freely (the hard
 * limit itself is left alone: valgrind does not let it change). */
static void test_httpd__open_files_raised_for_connections(void)
{
  fflush(NULL);
  pid_t pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    struct rlimit rl;
    struct httpd *h = NULL;
    struct sws_err err = SWS_ERR_INIT;
    struct httpd_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.maxConnections = 1000;
    cfg.log = quiet_log;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
      _exit(10);
    /* a hard limit already too low here: only the error can be tested */
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 1200) {
      rl.rlim_cur = 256;
      if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        _exit(11);
      if (httpd_start(&h, &cfg, serve_handler, NULL, &err) != 0)
        _exit(12);
      httpd_stop(h);
      if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < 1000)
        _exit(13);
    }
    /* as many connections as the hard limit allows files: no room left
     * for the listening socket and the rest */
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 4000000000u)
      _exit(0); /* no such limit here */
    cfg.maxConnections = (unsigned)rl.rlim_max;
    h = NULL;
    if (httpd_start(&h, &cfg, serve_handler, NULL, &err) != SWS_EINVAL ||
        h != NULL)
      _exit(15);
    char zWant[64];
    snprintf(zWant, sizeof zWant, "%u connections", cfg.maxConnections);
    if (strstr(err.msg, zWant) == NULL || strstr(err.msg, "ulimit") == NULL)
      _exit(16);
    /* fewer connections fit */
    cfg.maxConnections = 64;
    if (httpd_start(&h, &cfg, serve_handler, NULL, &err) != 0)
      _exit(17);
    httpd_stop(h);
    _exit(0);
  }
  int st = 0, done = 0;
  for (int i = 0; i < 300 && !done; i++) { /* at most 30 s (valgrind) */
    if (waitpid(pid, &st, WNOHANG) == pid)
      done = 1;
    else
      sleep_ms(100);
  }
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
  }
  CU_ASSERT(done);
  CU_ASSERT(WIFEXITED(st));
  CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
  if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
    fprintf(stderr, "\n  the child failed at step %d\n", WEXITSTATUS(st));
}

static CU_TestInfo tests[] = {
    {"test_httpd__https_round_trip", test_httpd__https_round_trip},
    {"test_httpd__security_headers_on_every_response",
     test_httpd__security_headers_on_every_response},
    {"test_httpd__gzip_both_ways", test_httpd__gzip_both_ways},
    {"test_httpd__oversized_bodies_get_413",
     test_httpd__oversized_bodies_get_413},
    {"test_httpd__untrusted_certificate_refused",
     test_httpd__untrusted_certificate_refused},
    {"test_httpd__pin_match_and_mismatch", test_httpd__pin_match_and_mismatch},
    {"test_httpd__connection_refused_message",
     test_httpd__connection_refused_message},
    {"test_httpd__plain_http_only_for_loopback_tests",
     test_httpd__plain_http_only_for_loopback_tests},
    {"test_httpd__signed_requests_verified_by_server",
     test_httpd__signed_requests_verified_by_server},
    {"test_httpd__retry_after_and_backoff",
     test_httpd__retry_after_and_backoff},
    {"test_httpd__limits_messages_and_progress",
     test_httpd__limits_messages_and_progress},
    {"test_httpd__session_reuse_and_progress",
     test_httpd__session_reuse_and_progress},
    {"test_httpd__too_slow_link_gives_up", test_httpd__too_slow_link_gives_up},
    {"test_httpd__start_errors", test_httpd__start_errors},
    {"test_httpd__gzip_helpers", test_httpd__gzip_helpers},
    {"test_httpd__serve_until_sigterm_exits_zero",
     test_httpd__serve_until_sigterm_exits_zero},
    {"test_httpd__two_host_headers_refused",
     test_httpd__two_host_headers_refused},
    {"test_httpd__trickled_headers_cut_at_deadline",
     test_httpd__trickled_headers_cut_at_deadline},
    {"test_httpd__idle_connections_do_not_starve_others",
     test_httpd__idle_connections_do_not_starve_others},
    {"test_httpd__silent_connection_closed_at_deadline",
     test_httpd__silent_connection_closed_at_deadline},
    {"test_httpd__steady_body_not_cut_by_header_deadline",
     test_httpd__steady_body_not_cut_by_header_deadline},
    {"test_httpd__open_files_raised_for_connections",
     test_httpd__open_files_raised_for_connections},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_httpd = {"httpd", suite_init, suite_clean, NULL, NULL,
                            tests};
