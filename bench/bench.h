/*
 * bench.h - the benchmarks run by `make bench` (build/bench_sws NAME ...).
 * Each prints its figures (ratios against a baseline measured in the same
 * run) and returns 0; they never fail the build on a figure.
 */
#ifndef SWS_BENCH_H
#define SWS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Monotonic clock in nanoseconds. */
int64_t bench_ns(void);

/* p-th percentile (0..100) of n samples (sorts a). */
double bench_percentile(int64_t *a, int n, double p);

/* A throwaway PostgreSQL cluster (tests/pg-cluster.sh, run from the
 * source tree) into zCluster, its URL into zUrl: 0, or 1 said on stderr.
 * Stop it with bench_pg_stop (nothing when zCluster is ""). */
int bench_pg_start(const char *zBench, char *zCluster, size_t nCluster,
                   char *zUrl, size_t nUrl);
void bench_pg_stop(const char *zCluster);

/* A new empty database zName on the server of zUrl (a postgresql://
 * URL), and the URL that opens it into zOut: 0, or 1 said on stderr. */
int bench_pg_database(const char *zUrl, const char *zName, char *zOut,
                      size_t nOut);
void bench_pg_drop_database(const char *zUrl, const char *zName);

/* The benchmark's working directory: zDir as given (--dir), else a new
 * one made under /tmp and named for zBench: 0, or 1 said on stderr. */
int bench_dir(const char *zBench, char *zDir, size_t nDir);

/* Remove the benchmark's working directory zDir (nothing when ""); a
 * failure is said on stderr. */
void bench_dir_remove(const char *zBench, const char *zDir);

/* Run fn on each registry store in turn, SQLite first, then PostgreSQL
 * (zPg: that database only, no SQLite; else a throwaway cluster), unless
 * bNoPg: fn gets NULL for SQLite and the URL for PostgreSQL. The first
 * failing run stops the rest; its status is returned. */
int bench_each_store(const char *zBench, const char *zPg, int bNoPg,
                     int (*fn)(void *arg, const char *zPg), void *arg);

/* A test CA and a certificate for 127.0.0.1 made in DIR/tls by
 * tests/make-test-ca.sh (run from the source tree), and their paths:
 * 0, or 1 said on stderr. */
struct bench_tls {
  char zCert[600], zKey[600], zCa[600];
};
int bench_tls(const char *zBench, const char *zDir, struct bench_tls *t);

/* build/faultproxy (SWS_FAULTPROXY names another) relaying to port
 * target on 127.0.0.1, with azExtra (NULL-terminated, may be NULL: a
 * plain relay) as further options (e.g. --delay 400 --rate 16000, a 2G
 * link); its log in zDir. 0 with k->port to connect to, or -1 (no
 * faultproxy). bench_proxy_stop stops it and sums the bytes of every
 * connection it relayed (-1 when it never ran). bench_sync.c. */
struct bench_proxy {
  pid_t pid;
  char zLog[512];
  int port;
};
int bench_proxy_start(struct bench_proxy *k, const char *zDir, int target,
                      const char *const *azExtra);
void bench_proxy_stop(struct bench_proxy *k, int64_t *pUp, int64_t *pDown);

struct buf;
struct sws_ctx;
struct sws_err;
/* n households of 4 members as an import file (bench_sync.c), and a new
 * office database with the default areas, its public key in zPk. */
void bench_households_csv(struct buf *out, int n);
int bench_office_new(struct sws_ctx **out, const char *zPath, const char *zCode,
                     char *zPk, struct sws_err *err);

/* Each benchmark: argv[0] is its name. */
int bench_central_report(int argc, char **argv);
int bench_dedup(int argc, char **argv);
int bench_load(int argc, char **argv);
int bench_national(int argc, char **argv);
int bench_registry(int argc, char **argv);
int bench_receipt(int argc, char **argv);
int bench_report(int argc, char **argv);
int bench_snapshot(int argc, char **argv);
int bench_sync(int argc, char **argv);

#endif
