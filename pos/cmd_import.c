/*
 * cmd_import.c - sws import: load a legacy beneficiary list.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/import.h"
#include "core/mem.h"
#include "pos/cli.h"

static const char zImportUsage[] =
    "usage: sws import FILE.csv [--dry-run] [--rejects FILE]\n"
    "                  [--date-order dmy|mdy]\n"
    "\n"
    "Load a legacy beneficiary list, one row per member. The header names\n"
    "the columns (any order; other columns are ignored):\n"
    "\n"
    "  household_key,name,sex,born,relationship,area,national_id,phone\n"
    "  and optionally address,disability\n"
    "\n"
    "The file is UTF-8 CSV, or as a spreadsheet saves it: with ';' between\n"
    "fields (or a first line sep=;), or as Unicode Text (UTF-16, tabs).\n"
    "Birth dates are YYYY, YYYY-MM or YYYY-MM-DD; '/' or '.' may separate\n"
    "the parts (1982.3.5), and a time of midnight after the date is\n"
    "ignored. A date with the year last (05/03/1982) is read only with\n"
    "--date-order, since the day and the month could be either way round.\n"
    "Sex and relationship may be written in English, Khmer or Mongolian\n"
    "words (female, ស្រី, эмэгтэй; wife, ប្រពន្ធ, эхнэр; see the user guide).\n"
    "\n"
    "Rows with the same household_key form a household; its first row is\n"
    "the head unless a relationship says 'head'. Every bad row is reported\n"
    "with its line number and reason and written to the rejects file\n"
    "(default FILE.rejects.csv; fix it and import it again): a household\n"
    "with a bad row is held back whole. Every good household is imported;\n"
    "possible duplicates are imported and flagged for review, never\n"
    "merged. Running the same file again imports nothing twice (a\n"
    "household is known by its key and its rows: another list that reuses\n"
    "the keys for other families has its families imported).\n"
    "\n"
    "  --dry-run       check everything, save nothing\n"
    "  --rejects FILE  where to write the rejected rows\n"
    "  --date-order dmy|mdy\n"
    "                  dates with the year last put the day first\n"
    "                  (05/03/1982 is 5 March: dmy) or the month first (mdy)\n"
    "\n"
    "Exit status 1 when rows were rejected (the good ones are imported).\n";

static void progress(int64_t done, int64_t total, void *arg)
{
  (void)arg;
  cli_progress("importing households", done, total);
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"dry-run", no_argument, 0, 'n'},
                                       {"rejects", required_argument, 0, 'r'},
                                       {"date-order", required_argument, 0,
                                        'o'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct import_opts o = {0, NULL, progress, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  const char *zRejects = NULL;
  char *zData = NULL, *zDefault = NULL;
  size_t n;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'n': o.bDryRun = 1; break;
    case 'r': zRejects = optarg; break;
    case 'o':
      if (strcmp(optarg, "dmy") == 0)
        o.date_order = SWS_DATE_DMY;
      else if (strcmp(optarg, "mdy") == 0)
        o.date_order = SWS_DATE_MDY;
      else
        return cli_usage(cli, "--date-order must be dmy (day first: "
                         "05/03/1982 is 5 March) or mdy (month first)");
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one CSV file");
  const char *zFile = argv[optind];
  o.zFileName = zFile;
  if (cli_read_file(zFile, (size_t)1 << 30, &zData, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0) {
    free(zData);
    return rc;
  }
  rc = cases_import_csv(cli->ctx, zData, n, &o, &rep, &err);
  cli_progress_end();
  free(zData);
  if (rc != 0) {
    cases_import_report_release(&rep);
    return cli_fail(&err);
  }
  printf("%s%lld row%s read: %lld household%s (%lld member%s) %s, %lld "
         "already imported before\n",
         o.bDryRun ? "dry run: " : "", (long long)rep.nRows,
         rep.nRows == 1 ? "" : "s", (long long)rep.nHouseholds,
         rep.nHouseholds == 1 ? "" : "s", (long long)rep.nMembers,
         rep.nMembers == 1 ? "" : "s",
         o.bDryRun ? "can be imported" : "imported",
         (long long)rep.nSkipped);
  if (rep.nFlagged > 0) {
    printf("%lld household%s flagged as possible duplicates (review them; "
           "nothing was merged):\n%s",
           (long long)rep.nFlagged, rep.nFlagged == 1 ? "" : "s",
           buf_str(&rep.flagged));
  }
  rc = EXIT_OK;
  if (rep.nRejectedRows > 0) {
    if (zRejects == NULL) {
      size_t k = strlen(zFile);
      if (k > 4 && strcmp(zFile + k - 4, ".csv") == 0)
        k -= 4;
      zDefault = sws_mprintf("%.*s.rejects.csv", (int)k, zFile);
      zRejects = zDefault;
    }
    printf("%lld row%s rejected (%lld household%s held back), written to "
           "%s:\n",
           (long long)rep.nRejectedRows, rep.nRejectedRows == 1 ? "" : "s",
           (long long)rep.nRejectedHouseholds,
           rep.nRejectedHouseholds == 1 ? "" : "s", zRejects);
    /* the first few reasons, so nobody has to open the file to start */
    const char *p = buf_str(&rep.reasons);
    for (int i = 0; *p && i < 10; i++) {
      const char *e = strchr(p, '\n');
      int len = (int)(e ? e - p : (long)strlen(p));
      printf("  %.*s\n", len, p);
      p += len + (e != NULL);
    }
    if (rep.nRejectedRows > 10)
      printf("  ... and %lld more\n", (long long)rep.nRejectedRows - 10);
    if (cli_write_file(zRejects, rep.rejects.z, rep.rejects.n, &err) != 0) {
      cases_import_report_release(&rep);
      free(zDefault);
      return cli_fail(&err);
    }
    rc = EXIT_ERR;
  }
  cases_import_report_release(&rep);
  free(zDefault);
  return rc;
}

const struct cmd cmds_import[] = {
    {"import", cmd_import, "load a legacy beneficiary list (CSV)", zImportUsage,
     0, CAP_DESK},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
