/*
 * bench_central_report.c - the monitoring report at the registry on
 * PostgreSQL (issue 21): every indicator the registry counts for one
 * month, compiled to the nation by province, against a plain GROUP BY of
 * the same rows by area and sex, in the same run.
 *
 *   bench_sws central-report [--people N] [--rounds R] [--pg URL]
 *                            [--month YYYY-MM]
 *
 * The registry is filled with SQL straight into its tables, shaped as
 * bench_sws report fills an office: N people in households of four,
 * registered over the twelve months of 2026 at 20 offices, a tenth of
 * the households with a case (half of them closed) and a needs
 * assessment, one in twenty enrolled, one in fifty people referred (half
 * completed), one in a hundred households with a grievance (half
 * answered). The report is of June 2026 unless --month says otherwise;
 * the month of a bulk load (every household in one month) is
 * bench_sws national's last step. Without --pg a throwaway cluster is
 * made with tests/pg-cluster.sh (run from the source tree).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "bench/bench.h"
#include "cases/report.h"
#include "core/err.h"
#include "core/crypto.h"
#include "core/text.h"
#include "sync/central.h"
#include "sync/central_report.h"

#define OFFICES 20

/* $1: the number of households. */
static const char *const FILL[] = {
    "CREATE TEMP TABLE bench_village AS SELECT (row_number() OVER (ORDER "
    "BY code) - 1)::bigint AS k, code FROM area WHERE level = 'village'",
    "CREATE TEMP TABLE bench_n AS SELECT i, lpad(to_hex(i), 12, '0') AS x "
    "FROM generate_series(0::bigint, $1::bigint - 1) AS i",
    "INSERT INTO household(id, r_owner, r_created_at, r_updated_at, regno, "
    "area_code, status, created_at, created_by) SELECT ('00000000-0000-"
    "7000-8000-' || x)::uuid, 'NL' || lpad((1 + i % 20)::text, 2, '0'), "
    "now(), now(), 'KH12-' || lpad(i::text, 7, '0') || '-B', v.code, "
    "'active', format('2026-%s-%sT09:00:00Z', lpad((1 + i % 12)::text, 2, "
    "'0'), lpad((1 + (i / 12) % 28)::text, 2, '0')), 'bench' FROM bench_n "
    "JOIN bench_village v ON v.k = i % (SELECT count(*) FROM "
    "bench_village)",
    "INSERT INTO member(id, r_owner, r_created_at, r_updated_at, "
    "household_id, line_no, name, sex, born, relationship, disability, "
    "status, created_at) SELECT ('0000000' || k || '-0001-7000-8000-' || "
    "substr(h.id::text, 25))::uuid, h.r_owner, now(), now(), h.id, k, "
    "'Given Family', CASE WHEN k % 2 = 0 THEN 'M' ELSE 'F' END, "
    "format('%s-%s-%s', CASE k WHEN 1 THEN 1950 + n % 45 WHEN 2 THEN 1955 "
    "+ n % 45 ELSE 2000 + n % 25 END, lpad((1 + n % 12)::text, 2, '0'), "
    "lpad((1 + n % 28)::text, 2, '0')), CASE k WHEN 1 THEN 'head' WHEN 2 "
    "THEN 'spouse' ELSE 'child' END, CASE WHEN (4 * n + k) % 33 = 0 THEN 1 "
    "ELSE 0 END, 'active', h.created_at FROM (SELECT *, ('x' || "
    "substr(id::text, 25))::bit(48)::bigint AS n FROM household) h CROSS "
    "JOIN generate_series(1, 4) AS k",
    "INSERT INTO case_file(id, r_owner, r_created_at, r_updated_at, "
    "household_id, status, manager, opened_at, opened_by, closed_at) SELECT "
    "('00000000-0002-7000-8000-' || substr(id::text, 25))::uuid, r_owner, "
    "now(), now(), id, CASE WHEN n % 20 = 0 THEN 'closed' ELSE 'open' END, "
    "'cm' || n % 7, created_at, 'bench', CASE WHEN n % 20 = 0 THEN "
    "created_at END FROM (SELECT *, ('x' || substr(id::text, "
    "25))::bit(48)::bigint AS n FROM household) h WHERE n % 10 = 0",
    "INSERT INTO assessment(id, r_owner, r_created_at, r_updated_at, "
    "number, case_id, household_id, instrument_code, instrument_version, "
    "answers, score, band, flags, explanation, assessed_at, assessed_by) "
    "SELECT ('00000000-0009-7000-8000-' || substr(id::text, 25))::uuid, "
    "r_owner, now(), now(), 1, id, household_id, 'needs', 1, '{}', 10.0, "
    "'moderate', '[]', '[]', opened_at, 'bench' FROM case_file",
    "INSERT INTO enrolment(id, r_owner, r_created_at, r_updated_at, number, "
    "household_id, programme_code, status, applied_at, applied_by, "
    "decided_at, decided_by) SELECT ('00000000-0003-7000-8000-' || "
    "substr(id::text, 25))::uuid, r_owner, now(), now(), 1, id, 'hef', "
    "'approved', created_at, 'bench', created_at, 'bench' FROM (SELECT *, "
    "('x' || substr(id::text, 25))::bit(48)::bigint AS n FROM household) h "
    "WHERE n % 20 = 1",
    "INSERT INTO referral(id, r_owner, r_created_at, r_updated_at, number, "
    "household_id, member_id, service, provider, reason, status, "
    "created_at, created_by) SELECT ('0000000' || line_no || '-0004-7000-"
    "8000-' || substr(m.id::text, 25))::uuid, m.r_owner, now(), now(), "
    "'R-' || (4 * n + line_no), m.household_id, m.id, CASE (4 * n + "
    "line_no) % 3 WHEN 0 THEN 'health' WHEN 1 THEN 'education' ELSE "
    "'employment' END, 'provider', 'reason', CASE WHEN (4 * n + line_no) % "
    "100 < 50 THEN 'completed' ELSE 'sent' END, m.created_at, 'bench' FROM "
    "(SELECT *, ('x' || substr(id::text, 25))::bit(48)::bigint AS n FROM "
    "member) m WHERE (4 * n + line_no) % 200 < 4",
    "INSERT INTO referral_event(id, r_owner, r_created_at, r_updated_at, "
    "referral_id, event, at, by, valid) SELECT replace(id::text, '-0004-', "
    "'-0005-')::uuid, r_owner, now(), now(), id, "
    "'completed', to_char(created_at::timestamptz + interval '9 days', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'bench', 1 FROM referral WHERE "
    "status = 'completed'",
    "INSERT INTO grievance(id, r_owner, r_created_at, r_updated_at, ticket, "
    "household_id, category, channel, text, status, layer, created_at, "
    "created_by) SELECT ('00000000-0006-7000-8000-' || substr(id::text, "
    "25))::uuid, r_owner, now(), now(), 'G-' || n, id, 'payment', "
    "'walk-in', 'late', CASE WHEN n % 200 = 0 THEN 'answered' ELSE "
    "'received' END, 'commune', created_at, 'bench' FROM (SELECT *, ('x' "
    "|| substr(id::text, 25))::bit(48)::bigint AS n FROM household) h "
    "WHERE n % 100 = 0",
    "INSERT INTO grievance_event(id, r_owner, r_created_at, r_updated_at, "
    "grievance_id, event, layer, at, by, valid) SELECT ('00000000-0007-"
    "7000-8000-' || substr(id::text, 25))::uuid, r_owner, now(), now(), "
    "id, 'received', 'commune', created_at, 'bench', 1 FROM grievance",
    "INSERT INTO grievance_event(id, r_owner, r_created_at, r_updated_at, "
    "grievance_id, event, layer, at, by, valid) SELECT ('00000000-0008-"
    "7000-8000-' || substr(id::text, 25))::uuid, r_owner, now(), now(), "
    "id, 'answered', 'commune', to_char(created_at::timestamptz + interval "
    "'3 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'bench', 1 FROM "
    "grievance WHERE status = 'answered'",
    "VACUUM ANALYZE",
};

/* The baseline: the same rows counted by area and sex, plainly. */
static const char *const PLAIN[] = {
    "SELECT h.area_code, p.sex, count(*) FROM household h LEFT JOIN member "
    "p ON p.household_id = h.id AND p.relationship = 'head' WHERE "
    "h.created_at >= $1 AND h.created_at < $2 GROUP BY 1, 2",
    "SELECT h.area_code, m.sex, count(*) FROM member m JOIN household h ON "
    "h.id = m.household_id WHERE m.created_at >= $1 AND m.created_at < $2 "
    "GROUP BY 1, 2",
    "SELECT h.area_code, count(*) FROM case_file c JOIN household h ON h.id "
    "= c.household_id WHERE c.opened_at >= $1 AND c.opened_at < $2 GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM enrolment e JOIN household h ON h.id "
    "= e.household_id WHERE e.decided_at >= $1 AND e.decided_at < $2 GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM referral r JOIN household h ON h.id "
    "= r.household_id WHERE r.created_at >= $1 AND r.created_at < $2 GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM grievance g JOIN household h ON h.id "
    "= g.household_id WHERE g.created_at >= $1 AND g.created_at < $2 GROUP "
    "BY 1",
};

static int fill(PGconn *conn, int64_t nHouseholds, struct sws_err *err)
{
  char zN[24];
  const char *v[1] = {zN};
  snprintf(zN, sizeof zN, "%lld", (long long)nHouseholds);
  for (size_t i = 0; i < sizeof FILL / sizeof FILL[0]; i++) {
    fprintf(stderr, "bench central-report: filling (%zu of %zu)...\r", i + 1,
            sizeof FILL / sizeof FILL[0]);
    int nParam = strstr(FILL[i], "$1") != NULL;
    PGresult *r = PQexecParams(conn, FILL[i], nParam, NULL, v, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
             PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (!ok)
      return sws_err_set(err, SWS_EDB, "filling the registry (step %zu): %s",
                         i + 1, PQerrorMessage(conn));
  }
  fprintf(stderr, "\n");
  return 0;
}

/* The baseline's time in ns, the rows it counted in *pnRows; -1 on
 * error. */
static int64_t plain(PGconn *conn, const struct report_period *p,
                     int64_t *pnRows, struct sws_err *err)
{
  const char *v[2] = {p->zFrom, p->zTo};
  int64_t t0 = bench_ns();
  *pnRows = 0;
  for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++) {
    PGresult *r = PQexecParams(conn, PLAIN[i], 2, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      sws_err_set(err, SWS_EDB, "the baseline: %s", PQerrorMessage(conn));
      PQclear(r);
      return -1;
    }
    for (int k = 0; k < PQntuples(r); k++)
      *pnRows += strtoll(PQgetvalue(r, k, PQnfields(r) - 1), NULL, 10);
    PQclear(r);
  }
  return bench_ns() - t0;
}

static int cmp64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static int run(const char *zUrl, int64_t nPeople, int nRounds,
               const char *zMonth)
{
  struct sws_err err = SWS_ERR_INIT;
  struct central *c = NULL;
  struct report_set *set = NULL;
  PGconn *conn = NULL;
  int rc = 1;
  int64_t *aOurs = calloc((size_t)nRounds, sizeof *aOurs);
  int64_t *aPlain = calloc((size_t)nRounds, sizeof *aPlain);
  int64_t *aRatio = calloc((size_t)nRounds, sizeof *aRatio);
  int64_t t0 = bench_ns();
  if (central_open(&c, zUrl, 1, "Report bench registry", &err) != 0 ||
      central_area_load_default(c, &err) != 0)
    goto out;
  for (int i = 0; i < OFFICES; i++) {
    unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
    char zCode[8], zPk[64];
    sws_sign_keypair(pk, sk);
    sws_b64url(zPk, pk, sizeof pk);
    snprintf(zCode, sizeof zCode, "NL%02d", i + 1);
    if (central_office_add(c, zCode, "Report bench office", zPk, NULL, 1,
                           &err) != 0)
      goto out;
  }
  conn = PQconnectdb(zUrl);
  if (PQstatus(conn) != CONNECTION_OK) {
    sws_err_set(&err, SWS_EDB, "%s", PQerrorMessage(conn));
    goto out;
  }
  if (fill(conn, nPeople / 4, &err) != 0)
    goto out;
  fprintf(stderr, "bench central-report: %lld people filled in %.1f s\n",
          (long long)(nPeople / 4 * 4), (double)(bench_ns() - t0) / 1e9);
  struct report_opts o = REPORT_OPTS_INIT;
  o.layer = AREA_PROVINCE;
  if (report_set_load_default(&set, &err) != 0 ||
      report_period_parse(zMonth, &o.period, &err) != 0)
    goto out;
  int64_t nRows = 0;
  int nCells = 0;
  rc = 0;
  for (int r = 0; r < nRounds && rc == 0; r++) {
    struct report out;
    int64_t t = bench_ns();
    if (central_report(c, set, &o, &out, &err) != 0) {
      rc = 1;
      break;
    }
    aOurs[r] = bench_ns() - t;
    nCells = out.nCell;
    report_release(&out);
    if ((aPlain[r] = plain(conn, &o.period, &nRows, &err)) < 0) {
      rc = 1;
      break;
    }
    aRatio[r] = aOurs[r] * 1000 / (aPlain[r] ? aPlain[r] : 1);
    printf("  round %d: ours %.3f s, plain GROUP BY %.3f s, ratio %.2f\n",
           r + 1, (double)aOurs[r] / 1e9, (double)aPlain[r] / 1e9,
           (double)aRatio[r] / 1000);
  }
  /* the nightly job keeps the month's reports; then the same report is
   * read from them */
  int64_t tKeep = 0, *aKept = calloc((size_t)nRounds, sizeof *aKept);
  if (rc == 0) {
    int nKept;
    int64_t t = bench_ns();
    if (central_report_keep(c, set, &o.period, o.suppress, NULL, NULL, &nKept,
                            &err) != 0)
      rc = 1;
    tKeep = bench_ns() - t;
  }
  for (int r = 0; r < nRounds && rc == 0; r++) {
    struct report out;
    struct central_report_how how;
    int64_t t = bench_ns();
    if (central_report_get(c, set, &o, 0, &out, &how, &err) != 0 ||
        !how.bKept) {
      if (err.code == 0)
        sws_err_set(&err, SWS_EINVAL, "the kept report was not read");
      rc = 1;
      break;
    }
    aKept[r] = bench_ns() - t;
    report_release(&out);
  }
  if (rc == 0) {
    qsort(aKept, (size_t)nRounds, sizeof *aKept, cmp64);
    qsort(aOurs, (size_t)nRounds, sizeof *aOurs, cmp64);
    qsort(aPlain, (size_t)nRounds, sizeof *aPlain, cmp64);
    qsort(aRatio, (size_t)nRounds, sizeof *aRatio, cmp64);
    printf("central report of %s by province, %lld people at %d offices "
           "on PostgreSQL, every indicator the registry counts (%d cells): "
           "median %.3f s (target <= 1 s); plain GROUP BY of the same rows "
           "by area and sex (%lld counted) %.3f s; median ratio ours/plain "
           "%.2f\n",
           o.period.zLabel, (long long)(nPeople / 4 * 4), OFFICES, nCells,
           (double)aOurs[nRounds / 2] / 1e9, (long long)nRows,
           (double)aPlain[nRounds / 2] / 1e9,
           (double)aRatio[nRounds / 2] / 1000);
    printf("central report of %s kept by the nightly job (4 layers, %.1f s, "
           "%.2f of counting each afresh): read back in median %.3f s, "
           "ratio kept/plain GROUP BY %.3f\n",
           o.period.zLabel, (double)tKeep / 1e9,
           (double)tKeep / 4 / (double)aOurs[nRounds / 2],
           (double)aKept[nRounds / 2] / 1e9,
           (double)aKept[nRounds / 2] / (double)aPlain[nRounds / 2]);
  }
  free(aKept);
out:
  if (err.code)
    fprintf(stderr, "bench central-report: %s\n", err.msg);
  free(aOurs);
  free(aPlain);
  free(aRatio);
  report_set_free(set);
  PQfinish(conn);
  central_close(c);
  return rc;
}

int bench_central_report(int argc, char **argv)
{
  static const struct option opts[] = {{"people", required_argument, 0, 'n'},
                                       {"rounds", required_argument, 0, 'r'},
                                       {"pg", required_argument, 0, 'p'},
                                       {"month", required_argument, 0, 'm'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  static const char zUsage[] =
      "usage: bench_sws central-report [--people N] [--rounds R] [--pg URL]\n"
      "                                [--month YYYY-MM]\n"
      "  --people N  people at the registry (default 5000000)\n"
      "  --rounds R  reports timed, each against its baseline (default 3)\n"
      "  --pg URL    an empty PostgreSQL database (default: a throwaway\n"
      "              cluster, tests/pg-cluster.sh)\n"
      "  --month M   the month reported (default 2026-06)\n";
  struct sws_err err = SWS_ERR_INIT;
  int64_t nPeople = 5000000, nRounds = 3;
  const char *zPg = NULL, *zMonth = "2026-06";
  char zUrl[600], zCluster[64] = "";
  int o;
  optind = 1;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (o) {
    case 'n':
      if (sws_parse_int64("--people", optarg, 4, 100000000, &nPeople, &err))
        goto usage;
      break;
    case 'r':
      if (sws_parse_int64("--rounds", optarg, 1, 50, &nRounds, &err))
        goto usage;
      break;
    case 'p':
      zPg = optarg;
      break;
    case 'm':
      zMonth = optarg;
      break;
    case 'h':
      fputs(zUsage, stdout);
      return 0;
    default:
      fputs(zUsage, stderr);
      return 2;
    }
  }
  if (zPg == NULL) {
    if (bench_pg_start("central-report", zCluster, sizeof zCluster, zUrl,
                       sizeof zUrl) != 0)
      return 1;
    zPg = zUrl;
  }
  fprintf(stderr, "bench central-report: %lld people into PostgreSQL...\n",
          (long long)nPeople);
  int status = run(zPg, nPeople, (int)nRounds, zMonth);
  bench_pg_stop(zCluster);
  return status;
usage:
  fprintf(stderr, "bench central-report: %s\n%s", err.msg, zUsage);
  return 2;
}
