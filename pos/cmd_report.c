/*
 * cmd_report.c - sws report: the office's indicators for a period, by
 * area and breakdown (cases/report.c), as a table, tidy CSV or JSON.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/casefile.h"
#include "cases/report.h"
#include "cases/report_dhis2.h"
#include "cases/user.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/text.h"
#include "pos/cli.h"
#include "sync/central.h"
#include "sync/central_report.h"
#include "sync/store.h"

static const char zUsage[] =
    "usage: sws report [--period P] [--layer L] [--area CODE]\n"
    "                  [--format table|csv|json|dhis2] [--mapping FILE]\n"
    "                  [--suppress K]\n"
    "                  [--ages BANDS] [--indicator CODE] [--lang en|km|mn]\n"
    "                  [--indicators FILE] [--out FILE]\n"
    "\n"
    "The monitoring indicators of this office (data/indicators.json; see\n"
    "docs/monitoring.md) counted over its records, offline.\n"
    "\n"
    "  --period P     a month 2026-11, a quarter 2026-Q4, a year 2026, or\n"
    "                 two days 2026-01-01..2026-03-31 (both included);\n"
    "                 default: this month so far\n"
    "  --layer L      village, commune, district or province: a row for\n"
    "                 each area of that layer, then the total; default:\n"
    "                 the total only\n"
    "  --area CODE    only that area and what is under it\n"
    "  --format F     table (default), csv (tidy: one value per row), json,\n"
    "                 or dhis2 (DHIS2 dataValueSets JSON, with --mapping)\n"
    "  --mapping FILE the DHIS2 identifiers of the indicators, areas and\n"
    "                 breakdowns (docs/monitoring.md has an example)\n"
    "  --suppress K   hide counts below K (default 5) and the cells that\n"
    "                 would give them away; 0 shows exact figures on the\n"
    "                 screen, to the office's supervisors and\n"
    "                 administrators only\n"
    "  --ages BANDS   age groups, default 0-17,18-59,60+\n"
    "  --indicator C  one indicator only\n"
    "  --indicators FILE  another version of the indicator set, in the\n"
    "                 format of data/indicators.json (docs/monitoring.md)\n"
    "  --lang L       names in English (en), Khmer (km) or Mongolian (mn)\n"
    "  --out FILE     write there instead of the terminal\n"
    "\n"
    "A hidden count shows as <K. Every breakdown of a count adds up to its\n"
    "total and the areas to the scope's total; medians do not.\n";

struct view {
  const struct report_set *set;
  const struct report *r;
  const char *zLang;
  struct buf out;
};

static const char *label(const struct view *v, const char *zKey)
{
  return report_set_text(v->set, zKey, v->zLang);
}

/* The cell's value as shown: "<K", a count, one decimal, or "" (none). */
static void value_text(const struct view *v, const struct report_cell *c,
                       char *z, size_t n)
{
  if (c->bHidden)
    snprintf(z, n, "<%d", v->r->suppress);
  else if (isnan(c->value))
    snprintf(z, n, "%s", "");
  else if (c->bCount)
    snprintf(z, n, "%.0f", c->value);
  else
    snprintf(z, n, "%.1f", c->value);
}

/* z padded to w characters (code points: close enough for the names of
 * areas in Khmer or Cyrillic on a terminal). */
static void pad(struct buf *b, const char *z, int w, int bRight)
{
  int n = (int)sws_utf8_len(z);
  if (bRight)
    for (int i = n; i < w; i++)
      buf_putc(b, ' ');
  buf_puts(b, z);
  if (!bRight)
    for (int i = n; i < w; i++)
      buf_putc(b, ' ');
}

#define AREA_W 26

static void row_name(const struct view *v, const struct report_cell *c, char *z,
                     size_t n)
{
  if (strcmp(c->zAreaLevel, "elsewhere") == 0)
    snprintf(z, n, "%s", label(v, "elsewhere"));
  else
    snprintf(z, n, "%s %s", c->zArea, c->zAreaName);
}

/* One indicator's cells [i, j): its name, then a line per area with a
 * column per breakdown, each category's values on a line below. */
static void table_one(struct view *v, int i, int j)
{
  const struct report_cell *a = v->r->aCell;
  char z[240];
  int nSlot = 0, aW[64];
  while (i + nSlot < j && a[i + nSlot].bScope == a[i].bScope &&
         strcmp(a[i + nSlot].zArea, a[i].zArea) == 0 && nSlot < 64)
    nSlot++;
  buf_appendf(&v->out, "\n%s\n", label(v, a[i].zIndicator));
  pad(&v->out, "", AREA_W, 0);
  for (int s = 0; s < nSlot; s++) {
    if (a[i + s].dim == REPORT_CATEGORY)
      continue;
    int n = (int)sws_utf8_len(report_cell_heading(v->set, &a[i + s], v->zLang));
    aW[s] = (n < 7 ? 7 : n) + 2;
    pad(&v->out, report_cell_heading(v->set, &a[i + s], v->zLang), aW[s], 1);
  }
  buf_puts(&v->out, "\n");
  for (int row = i; row < j; row += nSlot) {
    row_name(v, &a[row], z, sizeof z);
    pad(&v->out, z, AREA_W, 0);
    if ((int)sws_utf8_len(z) > AREA_W) {
      buf_puts(&v->out, "\n");
      pad(&v->out, "", AREA_W, 0);
    }
    for (int s = 0; s < nSlot; s++) {
      char zVal[32];
      if (a[row + s].dim == REPORT_CATEGORY)
        continue;
      value_text(v, &a[row + s], zVal, sizeof zVal);
      pad(&v->out, zVal[0] ? zVal : "-", aW[s], 1);
    }
    buf_puts(&v->out, "\n");
    const char *zType = NULL;
    for (int s = 0; s < nSlot; s++) {
      const struct report_cell *c = &a[row + s];
      char zVal[32];
      if (c->dim != REPORT_CATEGORY)
        continue;
      if (zType == NULL || strcmp(zType, c->zCatType) != 0) {
        zType = c->zCatType;
        buf_appendf(&v->out, "%s    %s:",
                    zType == c->zCatType && s > 0 &&
                            a[row + s - 1].dim == REPORT_CATEGORY
                        ? "\n"
                        : "",
                    label(v, zType));
      }
      value_text(v, c, zVal, sizeof zVal);
      buf_appendf(&v->out, " %s %s;", c->zCat, zVal[0] ? zVal : "-");
    }
    if (zType)
      buf_puts(&v->out, "\n");
  }
}

static void as_table(struct view *v)
{
  const struct report *r = v->r;
  buf_appendf(&v->out, "%s (%s), %s: %s to %s\n", r->zScopeName, r->zScope,
              r->period.zLabel, r->period.zFrom, r->period.zLast);
  buf_appendf(&v->out, "indicators version %d; ", r->version);
  if (r->suppress)
    buf_appendf(&v->out,
                "counts below %d hidden (<%d), and the cells that "
                "would give them away\n",
                r->suppress, r->suppress);
  else
    buf_puts(&v->out, "exact figures: for this office's supervisors, not "
                      "to be sent on\n");
  for (int i = 0; i < r->nCell;) {
    int j = i;
    while (j < r->nCell &&
           strcmp(r->aCell[j].zIndicator, r->aCell[i].zIndicator) == 0)
      j++;
    table_one(v, i, j);
    i = j;
  }
}

/* A CSV cell, then a comma or the end of the line. */
static void csv_cell(struct buf *b, const char *z, int bLast)
{
  csv_put(b, z, CSV_NEUTRALISE);
  buf_puts(b, bLast ? "\r\n" : ",");
}

static void as_csv(struct view *v)
{
  const struct report *r = v->r;
  buf_puts(&v->out, "indicator,period,area_code,area_name,area_level,sex,"
                    "age_group,disability,category_type,category,value\r\n");
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    char zVal[32];
    value_text(v, c, zVal, sizeof zVal);
    csv_cell(&v->out, c->zIndicator, 0);
    csv_cell(&v->out, r->period.zLabel, 0);
    csv_cell(&v->out, c->zArea, 0);
    csv_cell(&v->out, c->zAreaName, 0);
    csv_cell(&v->out, c->zAreaLevel, 0);
    csv_cell(&v->out, c->zSex, 0);
    csv_cell(&v->out, c->zAge, 0);
    csv_cell(&v->out, c->zDisability, 0);
    csv_cell(&v->out, c->zCatType, 0);
    csv_cell(&v->out, c->zCat, 0);
    csv_cell(&v->out, zVal, 1);
  }
}

static json_t *as_json(struct view *v)
{
  const struct report *r = v->r;
  json_t *cells = json_array();
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    json_t *val = c->bHidden || isnan(c->value) ? json_null()
                  : c->bCount ? json_integer((json_int_t)c->value)
                              : json_real(c->value);
    json_array_append_new(
        cells,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}",
                  "indicator", c->zIndicator, "area_code", c->zArea,
                  "area_name", c->zAreaName, "area_level", c->zAreaLevel, "sex",
                  c->zSex, "age_group", c->zAge, "disability", c->zDisability,
                  "category_type", c->zCatType, "category", c->zCat, "value",
                  val, "suppressed", c->bHidden));
  }
  return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o}",
                   "indicators_version", r->version, "period", r->period.zLabel,
                   "from", r->period.zFrom, "until", r->period.zTo, "scope",
                   r->zScope, "scope_name", r->zScopeName, "layer", r->zLayer,
                   "age_groups", r->zAges, "suppress_below", r->suppress,
                   "cells", cells);
}

static int print_diff(void *arg, const struct summary_diff *d)
{
  int *pn = arg;
  printf("%s %s %s: the office counted %lld, the registry holds %lld\n",
         d->zOffice, d->zPeriod, d->zIndicator, (long long)d->office,
         (long long)d->registry);
  ++*pn;
  return 0;
}

/* The indicator set: the built-in one, or a file (a ministry's own
 * version of data/indicators.json, checked as the built-in one is). */
static int load_set(const char *zFile, struct report_set **out,
                    struct sws_err *err)
{
  char *z = NULL;
  size_t n;
  if (zFile == NULL)
    return report_set_load_default(out, err);
  if (cli_read_file(zFile, 4 << 20, &z, &n, err) != 0)
    return err->code;
  int rc = report_set_parse(out, z, n, err);
  free(z);
  if (rc != 0) {
    char zWhy[sizeof err->msg];
    snprintf(zWhy, sizeof zWhy, "%s", err->msg);
    sws_err_set(err, rc, "%s: %s", zFile, zWhy);
  }
  return rc;
}

/* sws central report --check: each office's signed summary against the
 * registry's own count. */
static int check_summaries(struct cli *cli, const char *zDb)
{
  struct sws_err err = SWS_ERR_INIT;
  struct report_set *set = NULL;
  struct central *c = NULL;
  int nDiff = 0, nChecked = 0;
  (void)cli;
  if (report_set_load_default(&set, &err) != 0 ||
      central_open(&c, zDb, 0, NULL, &err) != 0 ||
      central_report_check(c, set, print_diff, &nDiff, &nChecked, &err) != 0) {
    central_close(c);
    report_set_free(set);
    return cli_fail(&err);
  }
  printf("%d summar%s checked, %d difference%s\n", nChecked,
         nChecked == 1 ? "y" : "ies", nDiff, nDiff == 1 ? "" : "s");
  central_close(c);
  report_set_free(set);
  return nDiff ? EXIT_DUP : EXIT_OK;
}

static void keep_progress(void *arg, const char *zLayer, int i, int n)
{
  const char *zPeriod = arg;
  if (isatty(STDERR_FILENO))
    fprintf(stderr, "counting the report of %s: %s (%d of %d)...\n", zPeriod,
            zLayer, i, n);
}

/* sws central report --keep: the reports of a closed period (by default
 * the month before this one) counted and kept, for the nightly job. */
static int keep_reports(const char *zDb, const char *zPeriod, int k,
                        const char *zSetFile)
{
  struct sws_err err = SWS_ERR_INIT;
  struct report_set *set = NULL;
  struct central *c = NULL;
  struct report_period p;
  int nKept = 0, rc;
  if (zPeriod) {
    rc = report_period_parse(zPeriod, &p, &err);
  } else { /* last month: the day before this month's first */
    char zToday[11], zBefore[11];
    cases_today(zToday);
    report_period_month(zToday, &p);
    int64_t ms;
    sws_time_parse(p.zFrom, &ms, NULL);
    sws_date_format(zBefore, sizeof zBefore, ms - 86400000);
    report_period_month(zBefore, &p);
    rc = 0;
  }
  if (rc == 0 && k < 2)
    rc = sws_err_set(&err, SWS_EINVAL,
                     "a report of the registry shows no exact figures "
                     "(--suppress 2 or more)");
  if (rc == 0)
    rc = load_set(zSetFile, &set, &err);
  if (rc == 0)
    rc = central_open(&c, zDb, 0, NULL, &err);
  if (rc == 0)
    rc = central_report_keep(c, set, &p, k, keep_progress, p.zLabel, &nKept,
                             &err);
  central_close(c);
  report_set_free(set);
  if (rc != 0)
    return cli_fail(&err);
  printf("%d reports of %s kept (the nation, by province, district and "
         "commune)\n",
         nKept, p.zLabel);
  return EXIT_OK;
}

/* sws report (bCentral 0) and sws central report (1): the same options,
 * the office's records or the registry's. */
static int report_cli(struct cli *cli, int argc, char **argv, int bCentral)
{
  static const struct option opts[] = {
      {"period", required_argument, 0, 'p'},
      {"layer", required_argument, 0, 'L'},
      {"area", required_argument, 0, 'a'},
      {"format", required_argument, 0, 'f'},
      {"suppress", required_argument, 0, 'k'},
      {"ages", required_argument, 0, 'g'},
      {"indicator", required_argument, 0, 'i'},
      {"lang", required_argument, 0, 'l'},
      {"out", required_argument, 0, 'o'},
      {"mapping", required_argument, 0, 'm'},
      {"db", required_argument, 0, 'd'},
      {"pg", required_argument, 0, 'P'},
      {"check", no_argument, 0, 'c'},
      {"indicators", required_argument, 0, 'I'},
      {"keep", no_argument, 0, 'K'},
      {"fresh", no_argument, 0, 'F'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct report_opts o = REPORT_OPTS_INIT;
  struct report_set *set = NULL;
  struct report r;
  const char *zPeriod = NULL, *zFormat = "table", *zOut = NULL;
  const char *zMapFile = NULL, *zDb = NULL, *zSetFile = NULL;
  struct central *central = NULL;
  char *zMap = NULL;
  size_t nMap = 0;
  int c, rc, k = -1, bCheck = 0, bKeep = 0, bFresh = 0;
  struct view v = {NULL, &r, "en", BUF_INIT};
  o.layer = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'p':
      zPeriod = optarg;
      break;
    case 'L':
      if (strcmp(optarg, "none") == 0)
        o.layer = 0;
      else if ((o.layer = cases_area_level_parse(optarg)) == 0)
        return cli_usage(cli,
                         "--layer is village, commune, district or "
                         "province, not '%s'",
                         optarg);
      break;
    case 'a':
      o.zArea = optarg;
      break;
    case 'f':
      if (strcmp(optarg, "table") && strcmp(optarg, "csv") &&
          strcmp(optarg, "json") && strcmp(optarg, "dhis2"))
        return cli_usage(cli,
                         "--format is table, csv, json or dhis2, not "
                         "'%s'",
                         optarg);
      zFormat = optarg;
      break;
    case 'k': {
      char *zEnd;
      long n = strtol(optarg, &zEnd, 10);
      if (*optarg == '\0' || *zEnd || n < 0 || n > 1000)
        return cli_usage(cli,
                         "--suppress is a count from 0 to 1000, not "
                         "'%s'",
                         optarg);
      k = (int)n;
      break;
    }
    case 'g':
      o.zAges = optarg;
      break;
    case 'i':
      o.zOnly = optarg;
      break;
    case 'l':
      if (strcmp(optarg, "en") && strcmp(optarg, "km") && strcmp(optarg, "mn"))
        return cli_usage(cli, "--lang is en, km or mn, not '%s'", optarg);
      v.zLang = optarg;
      break;
    case 'o':
      zOut = optarg;
      break;
    case 'm':
      zMapFile = optarg;
      break;
    case 'I':
      zSetFile = optarg;
      break;
    case 'c':
      if (!bCentral)
        return cli_usage(cli, "--check is for 'sws central report'");
      bCheck = 1;
      break;
    case 'K':
    case 'F':
      if (!bCentral)
        return cli_usage(cli,
                         "--%s is for 'sws central report': an "
                         "office's report is always counted afresh",
                         c == 'K' ? "keep" : "fresh");
      *(c == 'K' ? &bKeep : &bFresh) = 1;
      break;
    case 'd':
    case 'P':
      if (!bCentral)
        return cli_usage(cli, "--db and --pg are for 'sws central report'; "
                              "an office's database is given with SWS_DB");
      if (c == 'P' && !store_is_pg_url(optarg))
        return cli_usage(cli,
                         "--pg takes the registry's PostgreSQL "
                         "database as a URL: postgresql://USER@HOST/DBNAME");
      zDb = optarg;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected '%s'", argv[optind]);
  if (bCentral && zDb == NULL)
    return cli_usage(cli, "give the central registry's database: --db FILE "
                          "(SQLite) or --pg URL (PostgreSQL)");
  if (bCheck)
    return check_summaries(cli, zDb);
  if (bKeep && (bFresh || o.layer || o.zArea || o.zOnly || o.zAges || zOut ||
                zMapFile || strcmp(zFormat, "table") != 0))
    return cli_usage(cli, "--keep counts and keeps the reports of a period "
                          "at every layer; it takes --period, --suppress "
                          "and --indicators only");
  if (bKeep)
    return keep_reports(zDb, zPeriod, k >= 0 ? k : 5, zSetFile);
  if (bCentral && k >= 0 && k <= 1)
    return cli_usage(cli, "a report of the registry shows no exact "
                          "figures: what is shown above an office hides its "
                          "small counts (--suppress 2 or more)");
  if ((strcmp(zFormat, "dhis2") == 0) != (zMapFile != NULL))
    return cli_usage(cli, zMapFile ? "--mapping goes with --format dhis2"
                                   : "--format dhis2 needs --mapping FILE: "
                                     "the DHIS2 identifiers to use");
  if (zMapFile && (cli_read_file(zMapFile, 16 << 20, &zMap, &nMap, &err) != 0 ||
                   report_dhis2_check(zMap, nMap, &err) != 0)) {
    free(zMap);
    return cli_fail(&err);
  }
  if (zPeriod) {
    if (report_period_parse(zPeriod, &o.period, &err) != 0)
      return cli_fail(&err);
  } else {
    char zToday[11];
    cases_today(zToday);
    report_period_month(zToday, &o.period);
  }
  if (load_set(zSetFile, &set, &err) != 0) {
    free(zMap);
    return cli_fail(&err);
  }
  v.set = set;
  if (bCentral) {
    o.suppress = k >= 0 ? k : 5;
    struct central_report_how how;
    if (central_open(&central, zDb, 0, NULL, &err) != 0 ||
        central_report_get(central, set, &o, bFresh, &r, &how, &err) != 0) {
      central_close(central);
      report_set_free(set);
      free(zMap);
      return cli_fail(&err);
    }
    if (how.zWhy[0])
      fprintf(stderr,
              "%s; counted afresh (keep it again: sws central "
              "report --keep --period %s)\n",
              how.zWhy, o.period.zLabel);
    if (how.bKept)
      fprintf(stderr,
              "kept report, counted at %s; %d device%s pushed "
              "since (--fresh counts it again now)\n",
              how.zKeptAt, how.nPushedSince,
              how.nPushedSince == 1 ? " has" : "s have");
  } else {
    if ((rc = cli_open(cli)) != 0) {
      report_set_free(set);
      free(zMap);
      return rc;
    }
    /* exact figures stay with the office's supervisors */
    if (k >= 0 && k <= 1 && cli_role(cli) < ROLE_SUPERVISOR) {
      report_set_free(set);
      free(zMap);
      sws_err_set(&err, SWS_EPERM,
                  "exact figures (--suppress %d) are for the "
                  "office's supervisors and administrators; run as one "
                  "(--as LOGIN) or leave --suppress out",
                  k);
      return cli_fail(&err);
    }
    if (k >= 0 && k <= 1 && (strcmp(zFormat, "table") != 0 || zOut)) {
      report_set_free(set);
      free(zMap);
      sws_err_set(&err, SWS_EPERM,
                  "exact figures are shown on the screen "
                  "only: a file (CSV, JSON, --out) can leave the office, "
                  "so its small counts are hidden; leave --suppress out");
      return cli_fail(&err);
    }
    o.suppress = k >= 0 ? k : 5;
    if (report_run(cli->ctx, set, &o, &r, &err) != 0) {
      report_set_free(set);
      free(zMap);
      return cli_fail(&err);
    }
  }
  rc = EXIT_OK;
  if (strcmp(zFormat, "dhis2") == 0) {
    struct dhis2_counts n;
    if (report_dhis2(&r, zMap, nMap, &v.out, &n, &err) != 0) {
      rc = cli_fail(&err);
    } else {
      fprintf(stderr,
              "dhis2: %d value%s written; left out: %d hidden "
              "(small counts), %d not in the mapping, %d medians over "
              "nothing\n",
              n.nWritten, n.nWritten == 1 ? "" : "s", n.nHidden, n.nUnmapped,
              n.nEmpty);
    }
  } else if (strcmp(zFormat, "json") == 0) {
    json_t *j = as_json(&v);
    char *z = json_dumps(j, JSON_INDENT(2));
    buf_puts(&v.out, z);
    buf_puts(&v.out, "\n");
    free(z);
    json_decref(j);
  } else if (strcmp(zFormat, "csv") == 0) {
    as_csv(&v);
  } else {
    as_table(&v);
  }
  if (rc != EXIT_OK) {
    /* nothing half-written */
  } else if (zOut) {
    if (cli_write_file(zOut, v.out.z ? v.out.z : "", v.out.n, &err) != 0)
      rc = cli_fail(&err);
  } else {
    fwrite(v.out.z ? v.out.z : "", 1, v.out.n, stdout);
  }
  buf_release(&v.out);
  report_release(&r);
  report_set_free(set);
  central_close(central);
  free(zMap);
  return rc;
}

static int cmd_report(struct cli *cli, int argc, char **argv)
{
  return report_cli(cli, argc, argv, 0);
}

static int cmd_central_report(struct cli *cli, int argc, char **argv)
{
  return report_cli(cli, argc, argv, 1);
}

static const char zCentralUsage[] =
    "usage: sws central report (--db FILE | --pg URL) [--period P]\n"
    "           [--layer L] [--area CODE] [--format table|csv|json|dhis2]\n"
    "           [--mapping FILE] [--suppress K] [--ages BANDS]\n"
    "           [--indicator CODE] [--lang en|km|mn] [--indicators FILE]\n"
    "           [--out FILE] [--fresh]\n"
    "       sws central report (--db FILE | --pg URL) --keep [--period P]\n"
    "           [--suppress K] [--indicators FILE]\n"
    "       sws central report (--db FILE | --pg URL) --check\n"
    "\n"
    "The monitoring indicators over every office's records the registry\n"
    "holds, compiled by the registry's areas up to the nation (load them\n"
    "with 'sws central area load'). The options are those of 'sws report'.\n"
    "Small counts are always hidden (--suppress 2 or more). What the\n"
    "registry does not hold is left out: grievance deadlines missed (no\n"
    "calendar) and the coverage gap (no eligibility rules); agencies and\n"
    "guarantees of programmes show as unknown. offices_not_synced counts\n"
    "the offices with no push in the 7 days before the period's end.\n"
    "\n"
    "--keep counts the reports of a closed period (by default last\n"
    "month) for the whole nation, by province, district and commune, and\n"
    "keeps them: run it nightly. A report of the whole nation for a\n"
    "closed period is then read from what was kept, with the same\n"
    "options, in milliseconds instead of counted; it shows the registry\n"
    "as it was when counted, and says when that was and how many devices\n"
    "have pushed since. --fresh counts it again now.\n"
    "\n"
    "--check compares each office's signed summary (sent with its syncs,\n"
    "one per closed month) with the registry's count of that office's\n"
    "records, and lists every office, month and indicator where they\n"
    "differ (records that did not all arrive, or changed since). Exit\n"
    "status 0 when none differ, 3 when some do.\n";

const struct cmd cmds_report[] = {
    {"report", cmd_report, "the monitoring indicators of this office", zUsage,
     0, CAP_CASE_READ},
    {"central report", cmd_central_report,
     "the monitoring indicators of every office, up to the nation",
     zCentralUsage, 0, CAP_REGISTRY},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
