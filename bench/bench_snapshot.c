/*
 * bench_snapshot.c - a new device of an office of 100,000 people takes
 * the office's snapshot over a 2G link:
 *
 *   bench_sws snapshot [--households N] [--pg URL | --no-pg] [--no-cut]
 *                      [--rate BYTES_PER_S] [--delay MS] [--dir DIR] [--keep]
 *
 * Set-up (not measured): an office KH12 with N (default 25,000)
 * households of 4 members, imported and pushed through the real push
 * path to a registry served over HTTPS in this process (SQLite, then
 * PostgreSQL in a throwaway cluster; --no-pg for SQLite only). A new
 * device KH12-2 of the office is made and enrolled.
 *
 * Measured: the device takes the snapshot ('sws sync --snapshot': the
 * real engine and transport, each page's signature checked) through
 * build/faultproxy emulating the 2G link of tests/e2e/sync_2g.sh (16,000
 * bytes/s, 400 ms each way; SWS_FAULTPROXY names another proxy). The
 * first session is cut by the proxy after more than half of the bytes
 * (25 per person) and gives up (one try per request); a second session resumes
 * where it stopped (--no-cut: one session). Reported: records, pages, bytes on
 * the wire (TLS records both ways, counted by the proxy) and per person, the
 * time of both sessions together against the goal of 10 minutes, the
 * bytes the cut cost, and the ratio of the link's own time for those
 * bytes (bytes / rate) to ours: what the protocol adds to a plain
 * transfer of the same bytes (round trips, applying pages).
 *
 * Figures only: never fails on a figure; returns 1 only when it cannot
 * run (or the device ends up with other than N households and 4N people).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/import.h"
#include "cases/office.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/httpd.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/central.h"
#include "sync/central_snapshot.h"
#include "sync/engine.h"
#include "sync/server.h"
#include "sync/transport_https.h"

struct snap_run {
  const char *zDir, *zTag, *zPg;
  const struct bench_tls *tls;
  const struct buf *csv;
  int64_t n;
  int bCut;
  int64_t rate, delay;
};

static void snap_progress(void *arg, const char *zPhase, int64_t done,
                          int64_t total)
{
  (void)arg;
  if (isatty(2))
    fprintf(stderr, "\r%s %lld/%lld   ", zPhase, (long long)done,
            (long long)total);
}

/* One session of ctx with the registry at zUrl. */
static int snap_session(struct sws_ctx *ctx, const char *zUrl, const char *zCa,
                        int bSnapshot, const char *zKey, int nAttempts,
                        struct sync_report *rep, struct sws_err *err)
{
  struct https_transport *h = NULL;
  struct sync_transport t;
  struct sync_opts so;
  int rc;
  memset(&so, 0, sizeof so);
  so.bPushOnly = !bSnapshot;
  so.bSnapshot = bSnapshot;
  so.zRegistryKey = zKey;
  so.nAttempts = nAttempts;
  so.progress = snap_progress;
  if ((rc = sync_https_open(&h, ctx, zUrl, zCa, NULL, err)) != 0)
    return rc;
  sync_https_transport(h, &t);
  rc = sync_run(ctx, &t, &so, rep, err);
  sync_https_close(h);
  if (isatty(2))
    fprintf(stderr, "\r%40s\r", "");
  return rc;
}

static int snap_store(const struct snap_run *ru)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_ctx *a = NULL, *d = NULL;
  struct central *c = NULL;
  struct httpd *srv = NULL;
  struct bench_proxy k;
  struct sync_report rep;
  struct area_load_report ar;
  struct office_info oi;
  char zPath[600], zPkA[64], zPkD[64], zKey[48], zUrl[128];
  int status = 1;
  memset(&rep, 0, sizeof rep);
  memset(&ar, 0, sizeof ar);

  fprintf(stderr,
          "bench snapshot: %lld households of 4 into office KH12 "
          "and its registry (set-up)...\n",
          (long long)ru->n);
  snprintf(zPath, sizeof zPath, "%s/%s-a.db", ru->zDir, ru->zTag);
  if (bench_office_new(&a, zPath, "KH12", zPkA, &err) != 0)
    goto fail;
  struct import_opts io = {0, "bench", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report ir;
  if (cases_import_csv(a, ru->csv->z, ru->csv->n, &io, &ir, &err) != 0)
    goto fail;
  cases_import_report_release(&ir);
  if (ru->zPg)
    sws_strlcpy(zPath, ru->zPg, sizeof zPath);
  else
    snprintf(zPath, sizeof zPath, "%s/%s-central.db", ru->zDir, ru->zTag);
  if (central_open(&c, zPath, 1, "Bench registry", &err) != 0 ||
      central_office_add(c, "KH12", "Bench office", zPkA, NULL, 1, &err) != 0)
    goto fail;
  struct httpd_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.zListen = "127.0.0.1:0";
  cfg.zCertFile = ru->tls->zCert;
  cfg.zKeyFile = ru->tls->zKey;
  cfg.nMaxBody = (size_t)2 << 20;
  cfg.nMaxInflated = (size_t)9 << 20;
  cfg.maxConnections = 16;
  if (httpd_start(&srv, &cfg, central_http_handler, c, &err) != 0)
    goto fail;
  int64_t t0 = bench_ns();
  if (snap_session(a, httpd_url(srv), ru->tls->zCa, 0, NULL, 0, &rep, &err) !=
      0)
    goto fail;
  fprintf(stderr, "bench snapshot: pushed in %.1f s\n",
          (double)(bench_ns() - t0) / 1e9);

  /* the new device */
  snprintf(zPath, sizeof zPath, "%s/%s-device.db", ru->zDir, ru->zTag);
  if (cases_open(&d, zPath, CASES_CREATE, &err) != 0 ||
      cases_office_init_device(d, "KH12", "KH12-2", "Bench office", &err) !=
          0 ||
      cases_area_load_default(d, &ar, &err) != 0 ||
      cases_office_get(d, &oi, &err) != 0)
    goto fail;
  sws_b64url(zPkD, oi.pk, sizeof oi.pk);
  if (central_office_add(c, "KH12-2", NULL, zPkD, "KH12", 1, &err) != 0)
    goto fail;
  central_snapshot_pubkey(c, zKey);

  /* the snapshot over the 2G link, cut once */
  char zRate[24], zDelay[24], zCut[24];
  snprintf(zRate, sizeof zRate, "%lld", (long long)ru->rate);
  snprintf(zDelay, sizeof zDelay, "%lld", (long long)ru->delay);
  /* more than half of the bytes: 25 bytes per person down */
  snprintf(zCut, sizeof zCut, "%lld", (long long)(ru->n * 4 * 25));
  const char *azLink[] = {"--delay", zDelay, "--rate", zRate, NULL};
  const char *azCut[] = {"--delay",     zDelay,       "--rate",
                         zRate,         "--cut-down", zCut,
                         "--cut-conns", "1",          NULL};
  int64_t upAll = 0, downAll = 0, up, down, upCut = 0, downCut = 0;
  int64_t pages = 0, items = 0, ms = 0, records = 0;
  int sessions = 0, rc = 1;
  for (int s = 0; s < 3 && rc != 0; s++) {
    int bCutNow = ru->bCut && s == 0;
    if (bench_proxy_start(&k, ru->zDir, httpd_port(srv),
                          bCutNow ? azCut : azLink) != 0) {
      fprintf(stderr, "bench snapshot: build/faultproxy is needed for the "
                      "2G link (make tools)\n");
      goto fail;
    }
    snprintf(zUrl, sizeof zUrl, "https://127.0.0.1:%d", k.port);
    t0 = bench_ns();
    rc = snap_session(d, zUrl, ru->tls->zCa, 1, zKey, bCutNow ? 1 : 0, &rep,
                      &err);
    ms += (bench_ns() - t0) / 1000000;
    bench_proxy_stop(&k, &up, &down);
    sessions++;
    upAll += up;
    downAll += down;
    pages += rep.snap.nPages;
    items += rep.snap.nItems;
    if (rep.snap.nRecords)
      records = rep.snap.nRecords;
    if (bCutNow) {
      upCut = up;
      downCut = down;
      printf("  session 1 cut after %lld bytes down (%s): %lld pages "
             "applied and kept\n",
             (long long)down, rc ? err.msg : "it completed before the cut",
             (long long)rep.snap.nPages);
    } else if (rc != 0) {
      fprintf(stderr, "bench snapshot: session %d: %s\n", s + 1, err.msg);
    }
    sync_report_release(&rep);
  }
  if (rc != 0)
    goto fail;
  int64_t nH = 0, nM = 0;
  db_int64(d->db, &nH, -1, "SELECT count(*) FROM household", &err);
  db_int64(d->db, &nM, -1, "SELECT count(*) FROM member", &err);
  double secs = (double)ms / 1000.0;
  double link = (double)(upAll + downAll) / (double)ru->rate;
  printf("snapshot (%s registry): %lld records of %lld households and %lld "
         "people, %lld pages, %lld items applied, in %d sessions\n",
         ru->zTag, (long long)records, (long long)nH, (long long)nM,
         (long long)pages, (long long)items, sessions);
  printf("  on the wire: %lld bytes down, %lld up: %.1f bytes per person\n",
         (long long)downAll, (long long)upAll,
         (double)(upAll + downAll) / (double)(4 * ru->n));
  printf("  time over the 2G link (%lld B/s, %lld ms each way): %.0f s "
         "(%.1f min; goal under 10 min: %s)\n",
         (long long)ru->rate, (long long)ru->delay, secs, secs / 60,
         secs < 600 ? "met" : "NOT met");
  printf("  plain transfer of the same bytes at the link's rate: %.0f s; "
         "ratio plain/ours %.2f\n",
         link, link / secs);
  if (ru->bCut)
    printf("  the cut: %lld bytes in the cut session, of which at most one "
           "page was lost and read again\n",
           (long long)(upCut + downCut));
  if (nH != ru->n || nM != 4 * ru->n) {
    printf("  WRONG: the device holds %lld households and %lld people\n",
           (long long)nH, (long long)nM);
    goto fail;
  }
  status = 0;
fail:
  fflush(stdout); /* the figures of one store before the next is set up */
  if (status != 0 && err.msg[0])
    fprintf(stderr, "bench snapshot: %s\n", err.msg);
  buf_release(&ar.errors);
  httpd_stop(srv);
  central_close(c);
  cases_close(a);
  cases_close(d);
  return status;
}

/* One store for bench_each_store: NULL is SQLite. */
static int each_store(void *arg, const char *zPg)
{
  struct snap_run *ru = arg;
  ru->zPg = zPg;
  ru->zTag = zPg ? "pg" : "sqlite";
  return snap_store(ru);
}

int bench_snapshot(int argc, char **argv)
{
  static const struct option opts[] = {
      {"households", required_argument, 0, 'n'},
      {"dir", required_argument, 0, 'd'},
      {"keep", no_argument, 0, 'k'},
      {"pg", required_argument, 0, 'p'},
      {"no-pg", no_argument, 0, 'N'},
      {"no-cut", no_argument, 0, 'C'},
      {"rate", required_argument, 0, 'r'},
      {"delay", required_argument, 0, 'D'},
      {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  static const char zUsage[] =
      "usage: bench_sws snapshot [--households N] [--pg URL | --no-pg] "
      "[--no-cut]\n"
      "                          [--rate B/S] [--delay MS] [--dir DIR] "
      "[--keep]\n"
      "  --households N  households of 4 at the office (default 25000)\n"
      "  --pg URL        PostgreSQL only, in this empty database (default: "
      "SQLite,\n"
      "                  then PostgreSQL in a throwaway cluster)\n"
      "  --no-pg         SQLite only\n"
      "  --no-cut        one session, not cut\n"
      "  --rate B/S      the link's bytes per second (default 16000)\n"
      "  --delay MS      the link's delay each way (default 400)\n"
      "  --dir DIR       where the databases go (default a new directory "
      "in /tmp)\n"
      "  --keep          leave the databases there\n";
  struct sws_err err = SWS_ERR_INIT;
  struct buf csv;
  char zDir[256] = "";
  int64_t n = 25000, rate = 16000, delay = 400;
  const char *zPg = NULL;
  int o, bKeep = 0, bNoPg = 0, bCut = 1, status = 1;
  optind = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'n':
      if (sws_parse_int64("--households", optarg, 10, 1000000, &n, &err)) {
        fprintf(stderr, "bench snapshot: %s\n", err.msg);
        return 1;
      }
      break;
    case 'r':
      if (sws_parse_int64("--rate", optarg, 1000, 1000000000, &rate, &err)) {
        fprintf(stderr, "bench snapshot: %s\n", err.msg);
        return 1;
      }
      break;
    case 'D':
      if (sws_parse_int64("--delay", optarg, 0, 10000, &delay, &err)) {
        fprintf(stderr, "bench snapshot: %s\n", err.msg);
        return 1;
      }
      break;
    case 'd':
      sws_strlcpy(zDir, optarg, sizeof zDir);
      break;
    case 'k':
      bKeep = 1;
      break;
    case 'p':
      zPg = optarg;
      break;
    case 'N':
      bNoPg = 1;
      break;
    case 'C':
      bCut = 0;
      break;
    case 'h':
      fputs(zUsage, stdout);
      return 0;
    default:
      fputs(zUsage, stderr);
      return 2;
    }
  }
  if (bench_dir("snapshot", zDir, sizeof zDir) != 0)
    return 1;
  struct bench_tls tls;
  buf_init(&csv, (size_t)1 << 30);
  bench_households_csv(&csv, (int)n);
  if (bench_tls("snapshot", zDir, &tls) == 0) {
    struct snap_run ru = {zDir, "sqlite", NULL, &tls, &csv,
                          n,    bCut,     rate, delay};
    status = bench_each_store("snapshot", zPg, bNoPg, each_store, &ru);
  }
  buf_release(&csv);
  if (!bKeep)
    bench_dir_remove("snapshot", zDir);
  else if (zDir[0])
    fprintf(stderr, "bench snapshot: files kept in %s\n", zDir);
  return status;
}
