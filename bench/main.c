/*
 * main.c - entry point of build/bench_sws: `bench_sws NAME [ARGS]`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "bench/bench.h"
#include "core/crypto.h"

int64_t bench_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int bench_pg_start(const char *zBench, char *zCluster, size_t nCluster,
                   char *zUrl, size_t nUrl)
{
  char zCmd[200];
  snprintf(zCluster, nCluster, "/tmp/sws-pg-%s-%d", zBench, (int)getpid());
  snprintf(zCmd, sizeof zCmd, "sh tests/pg-cluster.sh start %s", zCluster);
  FILE *f = popen(zCmd, "r");
  int ok = f && fgets(zUrl, (int)nUrl, f) != NULL;
  if (f)
    pclose(f);
  if (!ok) {
    fprintf(stderr, "bench %s: no PostgreSQL cluster (tests/pg-cluster.sh "
            "start failed; run from the source tree, or give one with --pg "
            "URL)\n", zBench);
    zCluster[0] = '\0';
    return 1;
  }
  zUrl[strcspn(zUrl, "\n")] = '\0';
  return 0;
}

int bench_pg_database(const char *zUrl, const char *zName, char *zOut,
                      size_t nOut)
{
  char zSql[160];
  int ok = 0;
  PGconn *conn = PQconnectdb(zUrl);
  if (PQstatus(conn) == CONNECTION_OK) {
    snprintf(zSql, sizeof zSql, "CREATE DATABASE \"%s\"", zName);
    PGresult *r = PQexec(conn, zSql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
      fprintf(stderr, "bench: cannot make database %s: %s", zName,
              PQerrorMessage(conn));
    PQclear(r);
  }
  /* the same URL, another database: its path replaced (the registry
   * knows PostgreSQL by a postgresql:// URL) */
  const char *zAuth = strstr(zUrl, "://");
  if (ok && zAuth) {
    const char *zSlash = strchr(zAuth + 3, '/'), *zQuery = strchr(zUrl, '?');
    if (zQuery == NULL)
      zQuery = zUrl + strlen(zUrl);
    if (zSlash == NULL || zSlash > zQuery)
      zSlash = zQuery;
    int k = snprintf(zOut, nOut, "%.*s/%s%s", (int)(zSlash - zUrl), zUrl,
                     zName, zQuery);
    ok = k > 0 && (size_t)k < nOut;
  } else {
    ok = 0;
  }
  PQfinish(conn);
  return ok ? 0 : 1;
}

void bench_pg_drop_database(const char *zUrl, const char *zName)
{
  char zSql[160];
  PGconn *conn = PQconnectdb(zUrl);
  snprintf(zSql, sizeof zSql, "DROP DATABASE IF EXISTS \"%s\"", zName);
  if (PQstatus(conn) == CONNECTION_OK)
    PQclear(PQexec(conn, zSql));
  PQfinish(conn);
}

void bench_dir_remove(const char *zBench, const char *zDir)
{
  char zCmd[700];
  if (zDir == NULL || zDir[0] == '\0')
    return;
  snprintf(zCmd, sizeof zCmd, "rm -rf '%s'", zDir);
  if (system(zCmd) != 0)
    fprintf(stderr, "bench %s: cannot remove %s\n", zBench, zDir);
}

int bench_each_store(const char *zBench, const char *zPg, int bNoPg,
                     int (*fn)(void *arg, const char *zPg), void *arg)
{
  char zUrl[600], zCluster[64] = "";
  int status = 0;
  if (zPg == NULL) {
    printf("-- the registry on SQLite\n");
    status = fn(arg, NULL);
  }
  if (status == 0 && !bNoPg) {
    if (zPg == NULL && bench_pg_start(zBench, zCluster, sizeof zCluster, zUrl,
                                      sizeof zUrl) == 0)
      zPg = zUrl;
    if (zPg) {
      printf("-- the registry on PostgreSQL\n");
      status = fn(arg, zPg);
    } else {
      status = 1;
    }
    bench_pg_stop(zCluster);
  }
  return status;
}

int bench_dir(const char *zBench, char *zDir, size_t nDir)
{
  if (zDir[0] != '\0')
    return 0;
  snprintf(zDir, nDir, "/tmp/sws-bench-%s-XXXXXX", zBench); /* mkdtemp's */
  if (mkdtemp(zDir) == NULL) {
    fprintf(stderr, "bench %s: cannot make a directory in /tmp (%s); give "
            "one with --dir\n", zBench, strerror(errno));
    zDir[0] = '\0';
    return 1;
  }
  return 0;
}

int bench_tls(const char *zBench, const char *zDir, struct bench_tls *t)
{
  char zCmd[700];
  snprintf(zCmd, sizeof zCmd, "sh tests/make-test-ca.sh %s/tls >/dev/null "
           "2>&1", zDir);
  if (system(zCmd) != 0) {
    fprintf(stderr, "bench %s: tests/make-test-ca.sh failed (run from the "
            "source tree, with openssl)\n", zBench);
    return 1;
  }
  snprintf(t->zCert, sizeof t->zCert, "%s/tls/server.pem", zDir);
  snprintf(t->zKey, sizeof t->zKey, "%s/tls/server.key", zDir);
  snprintf(t->zCa, sizeof t->zCa, "%s/tls/ca.pem", zDir);
  return 0;
}

void bench_pg_stop(const char *zCluster)
{
  char zCmd[200];
  if (zCluster[0] == '\0')
    return;
  snprintf(zCmd, sizeof zCmd, "sh tests/pg-cluster.sh stop %s", zCluster);
  if (system(zCmd) != 0)
    fprintf(stderr, "bench: cannot stop the cluster in %s\n", zCluster);
}

double bench_percentile(int64_t *a, int n, double p)
{
  if (n <= 0)
    return 0;
  qsort(a, (size_t)n, sizeof *a, cmp64);
  int i = (int)(p / 100.0 * (n - 1) + 0.5);
  return (double)a[i];
}

static const struct {
  const char *zName;
  int (*fn)(int, char **);
  const char *zHelp;
} BENCHES[] = {
    {"dedup", bench_dedup,
     "duplicate detection quality on labelled pairs (precision, recall; "
     "per form of name: data/dedup_pairs_forms.csv)"},
    {"registry", bench_registry,
     "a 1,000,000-member office: import, name search, lookup, registration"},
    {"receipt", bench_receipt,
     "one receipt: sign, encode, QR, Khmer text, PNG (target <= 5 ms)"},
    {"sync", bench_sync,
     "push and pull of 20,000 households over HTTPS (<= 250 B/household)"},
    {"snapshot", bench_snapshot,
     "a new device takes a 100,000-person office over 2G (goal < 10 min)"},
    {"load", bench_load,
     "200 offices syncing at once for 2 minutes: SQLite, then PostgreSQL"},
    {"national", bench_national,
     "5,000,000 people bulk-loaded into PostgreSQL; lookups, pushes there"},
    {"report", bench_report,
     "the monthly report of a 1,000,000-person office (target <= 1 s)"},
    {"central-report", bench_central_report,
     "the monthly report of a 5,000,000-person registry on PostgreSQL"},
};

int main(int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  if (sws_crypto_init(&err) != 0) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: bench_sws NAME [ARGS]\n");
    for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++)
      fprintf(stderr, "  %-14s %s\n", BENCHES[i].zName, BENCHES[i].zHelp);
    return 2;
  }
  for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++)
    if (strcmp(argv[1], BENCHES[i].zName) == 0)
      return BENCHES[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "bench_sws: no benchmark '%s'\n", argv[1]);
  return 2;
}
