/*
 * sendreq.c - send one request to the central registry as an office, for
 * the fault tests (tests/e2e/sync_faults.sh): replay a push body captured
 * from the office's frozen batch, or sign with the office's own clock
 * without the correction 'sws sync' learns from the registry's hello (what
 * an office with a wrong clock would send if it did not correct). Signs
 * with the office's key through the same code as 'sws sync'
 * (sync/http_client.c); prints "status N" and the answer's body.
 *
 *   sendreq --db OFFICE.db --central URL --ca-file PEM [--body FILE]
 *           [--offset SECONDS] METHOD PATH
 *
 * The signing time is the office's clock (SWS_NOW when set) plus
 * --offset. Exit status 0 when an answer came (whatever its status), 1
 * when the request could not be made.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/ctx.h"
#include "cases/office.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/http_client.h"

#define BODY_MAX ((size_t)16 << 20)

static int read_file(const char *zPath, struct buf *out, struct sws_err *err)
{
  FILE *f = fopen(zPath, "rb");
  char chunk[8192];
  size_t n;
  if (f == NULL)
    return sws_err_set(err, SWS_EIO, "cannot open '%s'", zPath);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_append(out, chunk, n);
  fclose(f);
  return buf_check(out, "the body", err);
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"central", required_argument, 0, 'c'},
                                       {"ca-file", required_argument, 0, 'a'},
                                       {"body", required_argument, 0, 'b'},
                                       {"offset", required_argument, 0, 'o'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zUrl = NULL, *zCa = NULL, *zBody = NULL;
  int64_t offset = 0;
  int o, rc = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'd': zDb = optarg; break;
    case 'c': zUrl = optarg; break;
    case 'a': zCa = optarg; break;
    case 'b': zBody = optarg; break;
    case 'o':
      if (sws_parse_int64("--offset", optarg, -(INT64_C(1) << 40),
                          INT64_C(1) << 40, &offset, &err) != 0) {
        fprintf(stderr, "sendreq: %s\n", err.msg);
        return 2;
      }
      break;
    default: return 2;
    }
  }
  if (optind + 2 != argc || zDb == NULL || zUrl == NULL) {
    fprintf(stderr, "usage: sendreq --db OFFICE.db --central URL "
            "[--ca-file PEM] [--body FILE] [--offset S] METHOD PATH\n");
    return 2;
  }
  struct sws_ctx *ctx = NULL;
  struct office_info office;
  unsigned char sk[SWS_SK_BYTES];
  struct buf body, resp;
  buf_init(&body, BODY_MAX);
  buf_init(&resp, BODY_MAX);
  if (sws_crypto_init(&err) != 0 || cases_open(&ctx, zDb, 0, &err) != 0 ||
      cases_office_get(ctx, &office, &err) != 0 ||
      cases_office_secret_key(ctx, sk, &err) != 0 ||
      (zBody && read_file(zBody, &body, &err) != 0))
    goto done;
  struct sync_http_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zBase = zUrl;
  cfg.zCaFile = zCa;
  struct sync_signer signer = {office.zDevice, sk, offset};
  int status = 0, retryAfter = -1;
  if (sync_http_request(&cfg, &signer, argv[optind], argv[optind + 1],
                        body.z, body.n, &status, &resp, &retryAfter,
                        &err) != 0)
    goto done;
  printf("status %d\n%s\n", status, buf_str(&resp));
  rc = 0;
done:
  if (rc != 0)
    fprintf(stderr, "sendreq: %s\n", err.msg);
  sodium_memzero(sk, sizeof sk);
  buf_release(&body);
  buf_release(&resp);
  cases_close(ctx);
  return rc;
}
