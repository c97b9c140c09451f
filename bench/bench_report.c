/*
 * bench_report.c - the monthly report of a large office (issue 21): every
 * indicator by village with its breakdowns and suppression, against a
 * plain GROUP BY of the same rows by village and sex, in the same run.
 *
 *   bench_sws report [--people N] [--dir DIR] [--rounds R]
 *
 * The office is filled with SQL straight into its tables (inside one
 * operation, so the triggers run as for any write): N people in households
 * of four registered over the twelve months of 2026, a tenth of the
 * households with a case (half of them closed) and a needs assessment, one
 * in twenty enrolled,
 * one in fifty referred (half completed), one in a hundred with a
 * grievance (half answered). The upkeep then keeps every assessed
 * household's screening (cases/screening.h), as the office's idle upkeep
 * would have, timed on its own. The report is of June 2026.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/ctx.h"
#include "cases/grievance.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "cases/report.h"
#include "cases/screening.h"
#include "core/db.h"
#include "core/ids.h"

static const char zUsage[] =
    "usage: bench_sws report [--people N] [--dir DIR] [--rounds R]\n"
    "  --people N  people in the office (default 1000000)\n"
    "  --dir DIR   where the office database goes (default: a new\n"
    "              directory under /tmp, removed after)\n"
    "  --rounds R  reports timed, each against its baseline (default 3)\n";

/* The SQL that fills the office; :n is the number of households. */
static const char *const FILL[] = {
    "CREATE TEMP TABLE bench_village AS SELECT row_number() OVER (ORDER BY "
    "code) - 1 AS k, code FROM area WHERE level = 'village'",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE "
    "i + 1 < :n) INSERT INTO household(id, regno, area_code, status, "
    "created_at, created_by, updated_at) SELECT printf('%08x-0000-7000-"
    "8000-%012x', i, i), printf('KH12-%07d-B', i), v.code, 'active', "
    "printf('2026-%02d-%02dT09:00:00Z', 1 + i % 12, 1 + (i / 12) % 28), "
    "'bench', printf('2026-%02d-%02dT09:00:00Z', 1 + i % 12, 1 + (i / 12) "
    "% 28) FROM n JOIN bench_village v ON v.k = i % (SELECT count(*) FROM "
    "bench_village)",
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE "
    "i + 1 < 4 * :n) INSERT INTO member(id, household_id, line_no, name, "
    "sex, born, relationship, disability, created_at, updated_at) SELECT "
    "printf('%08x-0001-7000-8000-%012x', i / 4, i), printf('%08x-0000-"
    "7000-8000-%012x', i / 4, i / 4), 1 + i % 4, printf('Given%d "
    "Family%d', i % 997, (i / 4) % 1009), CASE WHEN i % 2 THEN 'M' ELSE "
    "'F' END, printf('%04d', CASE i % 4 WHEN 0 THEN 1950 + (i / 4) % 45 "
    "WHEN 1 THEN 1955 + (i / 4) % 45 ELSE 2000 + (i / 4) % 25 END), CASE "
    "i % 4 WHEN 0 THEN 'head' WHEN 1 THEN 'spouse' ELSE 'child' END, i % "
    "33 = 0, h.created_at, h.created_at FROM n JOIN household h ON h.id = "
    "printf('%08x-0000-7000-8000-%012x', i / 4, i / 4)",
    "INSERT INTO case_file(id, household_id, status, manager, opened_at, "
    "opened_by, closed_at, updated_at) SELECT printf('%08x-0002-7000-8000-"
    "%012x', rid, rid), id, CASE WHEN rid % 20 = 0 THEN 'closed' ELSE "
    "'open' END, printf('cm%d', rid % 7), created_at, 'bench', CASE WHEN "
    "rid % 20 = 0 THEN created_at END, created_at FROM household WHERE "
    "rid % 10 = 0",
    /* each case's household assessed (IDPoor level 1: most are eligible
     * for something, so the coverage gap screens them all) */
    "INSERT INTO assessment(id, number, case_id, household_id, "
    "instrument_code, instrument_version, answers, score, band, flags, "
    "explanation, assessed_at, assessed_by) SELECT printf('%08x-0009-7000-"
    "8000-%012x', rid, rid), rid, id, household_id, 'needs', 1, "
    "'{\"income_monthly\":300000,\"idpoor\":\"level1\",\"health_cover\":"
    "\"none\"}', 10.0, 'moderate', '[]', '[]', opened_at, 'bench' FROM "
    "case_file",
    "INSERT INTO enrolment(id, number, household_id, programme_code, "
    "status, applied_at, applied_by, decided_at, decided_by, updated_at) "
    "SELECT printf('%08x-0003-7000-8000-%012x', rid, rid), rid, id, 'hef', "
    "'approved', created_at, 'bench', created_at, 'bench', created_at "
    "FROM household WHERE rid % 20 = 1",
    "INSERT INTO referral(id, number, household_id, member_id, service, "
    "provider, reason, status, created_at, created_by, updated_at) SELECT "
    "printf('%08x-0004-7000-8000-%012x', m.rid, m.rid), printf('KH12-R-%d', "
    "m.rid), m.household_id, m.id, CASE m.rid % 3 WHEN 0 THEN 'health' "
    "WHEN 1 THEN 'education' ELSE 'employment' END, 'provider', 'reason', "
    "CASE WHEN m.rid % 100 < 50 THEN 'completed' ELSE 'sent' END, "
    "m.created_at, 'bench', m.created_at FROM member m WHERE m.rid % 200 "
    "< 4",
    "INSERT INTO referral_event(id, referral_id, event, at, by) SELECT "
    "printf('%08x-0005-7000-8000-%012x', rid, rid), id, 'completed', "
    "strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+9 days'), 'bench' FROM "
    "referral WHERE status = 'completed'",
    "INSERT INTO grievance(id, ticket, household_id, category, channel, "
    "text, status, layer, created_at, created_by, updated_at) SELECT "
    "printf('%08x-0006-7000-8000-%012x', rid, rid), printf('KH12-G-%d', "
    "rid), id, 'payment', 'walk-in', 'late', CASE WHEN rid % 200 = 0 THEN "
    "'answered' ELSE 'received' END, 'commune', created_at, 'bench', "
    "created_at FROM household WHERE rid % 100 = 0",
    "INSERT INTO grievance_event(id, grievance_id, event, layer, at, by) "
    "SELECT printf('%08x-0007-7000-8000-%012x', rid, rid), id, 'received', "
    "'commune', created_at, 'bench' FROM grievance",
    "INSERT INTO grievance_event(id, grievance_id, event, layer, at, by) "
    "SELECT printf('%08x-0008-7000-8000-%012x', rid, rid), id, 'answered', "
    "'commune', strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+3 days'), "
    "'bench' FROM grievance WHERE status = 'answered'",
};

/* The baseline: the same rows counted by village and sex, plainly. */
static const char *const PLAIN[] = {
    "SELECT h.area_code, p.sex, count(*) FROM household h LEFT JOIN member "
    "p ON p.household_id = h.id AND p.relationship = 'head' WHERE "
    "h.created_at >= :f AND h.created_at < :t GROUP BY 1, 2",
    "SELECT h.area_code, m.sex, count(*) FROM member m JOIN household h ON "
    "h.id = m.household_id WHERE m.created_at >= :f AND m.created_at < :t "
    "GROUP BY 1, 2",
    "SELECT h.area_code, count(*) FROM case_file c JOIN household h ON h.id "
    "= c.household_id WHERE c.opened_at >= :f AND c.opened_at < :t GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM enrolment e JOIN household h ON h.id "
    "= e.household_id WHERE e.decided_at >= :f AND e.decided_at < :t GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM referral r JOIN household h ON h.id "
    "= r.household_id WHERE r.created_at >= :f AND r.created_at < :t GROUP "
    "BY 1",
    "SELECT h.area_code, count(*) FROM grievance g JOIN household h ON h.id "
    "= g.household_id WHERE g.created_at >= :f AND g.created_at < :t GROUP "
    "BY 1",
};

static int fill(struct sws_ctx *ctx, int64_t nHouseholds, struct sws_err *err)
{
  int rc = cases_op_begin(ctx, "bench.fill", err);
  for (size_t i = 0; rc == 0 && i < sizeof FILL / sizeof FILL[0]; i++) {
    sqlite3_stmt *q;
    fprintf(stderr, "bench report: filling (%zu of %zu)...\r", i + 1,
            sizeof FILL / sizeof FILL[0]);
    if ((rc = db_prepare(ctx->db, &q, FILL[i], err)) != 0)
      break;
    if (sqlite3_bind_parameter_index(q, ":n") > 0)
      db_bind_int64(q, ":n", nHouseholds);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : 0;
  }
  /* registration numbers with their check character, as an officer
   * would type them (the coverage gap screens households by number) */
  sqlite3_stmt *q = NULL;
  if (rc == 0)
    rc = db_prepare(ctx->db, &q,
                    "UPDATE household SET regno = :r WHERE "
                    "rid = :rid",
                    err);
  for (int64_t i = 1, seq = 0; rc == 0 && i <= nHouseholds; i++) {
    char zRegno[SWS_NUMBER_MAX];
    while (!sws_number_issuable("KH12", ++seq))
      ;
    sws_number_format(zRegno, sizeof zRegno, "KH12", seq);
    db_bind_text(q, ":r", zRegno);
    db_bind_int64(q, ":rid", i);
    rc = db_step(ctx->db, q, err);
    sqlite3_reset(q);
    rc = rc < 0 ? rc : 0;
  }
  db_done(ctx->db, q);
  fprintf(stderr, "\n");
  return cases_op_end(ctx, rc, NULL, NULL, "benchmark data", err);
}

static int64_t plain(struct sws_ctx *ctx, const struct report_period *p,
                     int64_t *pnRows, struct sws_err *err)
{
  int64_t t0 = bench_ns();
  *pnRows = 0;
  for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++) {
    sqlite3_stmt *q;
    int rc = db_prepare(ctx->db, &q, PLAIN[i], err);
    if (rc != 0)
      return -1;
    db_bind_text(q, ":f", p->zFrom);
    db_bind_text(q, ":t", p->zTo);
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
      *pnRows += db_col_int64(q, sqlite3_column_count(q) - 1);
    db_done(ctx->db, q);
    if (rc < 0)
      return -1;
  }
  return bench_ns() - t0;
}

static int cmp64(const void *a, const void *b)
{
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

int bench_report(int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_ctx *ctx = NULL;
  struct area_load_report rep;
  struct report_set *set = NULL;
  char zDir[512] = "", zPath[600];
  int64_t nPeople = 1000000;
  int nRounds = 3, bOwnDir = 1, rc = 1;
  memset(&rep, 0, sizeof rep);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--people") == 0 && i + 1 < argc)
      nPeople = strtoll(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      snprintf(zDir, sizeof zDir, "%s", argv[++i]);
      bOwnDir = 0;
    } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
      nRounds = (int)strtol(argv[++i], NULL, 10);
    else {
      fputs(zUsage, stderr);
      return 2;
    }
  }
  if (nPeople < 4 || nRounds < 1 || nRounds > 50) {
    fputs(zUsage, stderr);
    return 2;
  }
  if (bench_dir("report", zDir, sizeof zDir) != 0)
    return 1;
  snprintf(zPath, sizeof zPath, "%s/office.db", zDir);
  unlink(zPath);
  int64_t t0 = bench_ns();
  if (cases_open(&ctx, zPath, CASES_CREATE, &err) != 0 ||
      cases_office_init(ctx, "KH12", "Benchmark office", &err) != 0 ||
      cases_area_load_default(ctx, &rep, &err) != 0 ||
      cases_grievance_config_load_default(ctx, &err) != 0 ||
      cases_programme_load_default(ctx, &err) != 0 ||
      cases_instrument_load_default(ctx, &err) != 0)
    goto out;
  cases_set_actor(ctx, "bench");
  if (fill(ctx, nPeople / 4, &err) != 0)
    goto out;
  fprintf(stderr, "bench report: %lld people filled in %.1f s\n",
          (long long)(nPeople / 4 * 4), (double)(bench_ns() - t0) / 1e9);
  /* as an office that ran its nightly upkeep: the screenings kept */
  int64_t t1 = bench_ns();
  int nScreened = 0;
  if (cases_screening_all(ctx, &nScreened, &err) != 0)
    goto out;
  printf("upkeep: %d households screened and kept in %.2f s\n", nScreened,
         (double)(bench_ns() - t1) / 1e9);
  if (report_set_load_default(&set, &err) != 0)
    goto out;
  struct report_opts o = REPORT_OPTS_INIT;
  o.layer = AREA_VILLAGE;
  if (report_period_parse("2026-06", &o.period, &err) != 0)
    goto out;
  int64_t *aOurs = calloc((size_t)nRounds, sizeof *aOurs);
  int64_t *aPlain = calloc((size_t)nRounds, sizeof *aPlain);
  double *aRatio = calloc((size_t)nRounds, sizeof *aRatio);
  int64_t nCells = 0, nRows = 0;
  rc = 0;
  for (int r = 0; r < nRounds && rc == 0; r++) {
    struct report out;
    int64_t t = bench_ns();
    if (report_run(ctx, set, &o, &out, &err) != 0) {
      rc = 1;
      break;
    }
    aOurs[r] = bench_ns() - t;
    nCells = out.nCell;
    report_release(&out);
    if ((aPlain[r] = plain(ctx, &o.period, &nRows, &err)) < 0) {
      rc = 1;
      break;
    }
    aRatio[r] = (double)aOurs[r] / (double)aPlain[r];
    printf("  round %d: ours %.3f s, plain GROUP BY %.3f s, ratio %.2f\n",
           r + 1, (double)aOurs[r] / 1e9, (double)aPlain[r] / 1e9, aRatio[r]);
  }
  if (rc == 0) {
    int64_t aR[50];
    for (int r = 0; r < nRounds; r++)
      aR[r] = (int64_t)(aRatio[r] * 1e6);
    qsort(aR, (size_t)nRounds, sizeof aR[0], cmp64);
    qsort(aOurs, (size_t)nRounds, sizeof *aOurs, cmp64);
    qsort(aPlain, (size_t)nRounds, sizeof *aPlain, cmp64);
    printf("report of 2026-06 by village, %lld people, every indicator "
           "with its breakdowns and suppression (%lld cells): median %.3f "
           "s (target <= 1 s); plain GROUP BY of the same rows by village "
           "and sex (%lld counted) %.3f s; median ratio ours/plain %.2f\n",
           (long long)(nPeople / 4 * 4), (long long)nCells,
           (double)aOurs[nRounds / 2] / 1e9, (long long)nRows,
           (double)aPlain[nRounds / 2] / 1e9, (double)aR[nRounds / 2] / 1e6);
  }
  free(aOurs);
  free(aPlain);
  free(aRatio);
out:
  if (err.code)
    fprintf(stderr, "bench report: %s\n", err.msg);
  buf_release(&rep.errors);
  report_set_free(set);
  cases_close(ctx);
  if (bOwnDir)
    bench_dir_remove("report", zDir);
  return rc;
}
