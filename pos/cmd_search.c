/*
 * cmd_search.c - sws search: the front desk's one search box. What a
 * keyboard-wedge scanner types from a receipt's QR code ("SW1:...") is
 * checked as a receipt and opens the record it is about; anything else is
 * searched for as a number, ID, phone or name.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/search.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"
#include "receipts/issue.h"
#include "receipts/verify.h"

static const char zSearchUsage[] =
    "usage: sws search QUERY [--limit N] [--json]\n"
    "\n"
    "Find households by registration number (also with the check character\n"
    "missing or wrong: sws says so; spaces, dots or nothing in place of its\n"
    "hyphens: 'KH12 000123 7'), national ID, phone number, or part of\n"
    "a name in any script (Khmer, Cyrillic or Latin; a Latin spelling also\n"
    "finds names written in Khmer or Cyrillic). Results are ranked, best\n"
    "first, one line per household, its registration number first.\n"
    "A birth date among the words of a name (YYYY, YYYY-MM or YYYY-MM-DD,\n"
    "also with '/' or '.': 'sws search \"sok dara 1975\"') keeps the people\n"
    "born then, to tell namesakes apart. A phone number is found however\n"
    "it was written ('012 345 678', '+855 12 345 678' or '12345678').\n"
    "\n"
    "A receipt's QR code (what a scanner types: 'SW1:...'; quote it for\n"
    "the shell) is checked offline with the office keys this database\n"
    "knows, and the household, grievance or referral it is about is shown\n"
    "as by 'sws household show', 'sws grievance status' or 'sws referral\n"
    "show'. A code that does not check out is never searched for as a\n"
    "name: sws says why and exits with the status of 'sws receipt verify'\n"
    "(4 malformed, 5 invalid signature, 6 unknown office key, 7 revoked).\n"
    "\n"
    "  --limit N   at most N results (default 20, at most 500)\n"
    "  --json      an array of objects {regno, household_id, head, area,\n"
    "              status, member: {number, name, sex, born}, score,\n"
    "              matched_by}\n";

static const char *how_name(int how)
{
  switch (how) {
  case SEARCH_BY_REGNO: return "registration number";
  case SEARCH_BY_NATIONAL_ID: return "national ID";
  case SEARCH_BY_PHONE: return "phone";
  case SEARCH_BY_NAME: return "name";
  }
  return "?";
}

/* zCode is a scanned receipt: check it, then show the record it is
 * about with the command that shows such records. */
static int open_receipt(struct cli *cli, const char *zCode, int bJson)
{
  static const char *const SHOW[][2] = {{NULL, NULL},
                                        {"household", "show"},
                                        {"grievance", "status"},
                                        {"referral", "show"}};
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_verdict v;
  struct receipt_row row;
  char zNumber[SWS_NUMBER_MAX];
  int rc, used;
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (receipt_verify(cli->ctx, zCode, &v, &err) != 0)
    return cli_fail(&err);
  if (v.status != RECEIPT_VALID) {
    fprintf(stderr, "sws: this is a receipt code, but it does not check "
            "out (%s): %s\n", receipt_status_name(v.status), v.zMsg);
    return v.status;
  }
  fprintf(stderr, "sws: note: %s\n", v.zMsg);
  sws_strlcpy(zNumber, v.zNumber, sizeof zNumber);
  if (zNumber[0] == '\0') {
    /* no number in it (an anonymous grievance): only the issuing office
     * knows, through its receipt table */
    if (!v.own) {
      fprintf(stderr, "sws: this receipt names no record; only office %s, "
              "which issued it, can open it\n", v.rec.zIssuer);
      return EXIT_ERR;
    }
    if (receipt_get(cli->ctx, v.rec.serial, &row, &err) != 0)
      return cli_fail(&err);
    sws_strlcpy(zNumber, row.zNumber, sizeof zNumber);
  }
  char *av[4] = {(char *)SHOW[v.rec.kind][1], zNumber, NULL, NULL};
  if (bJson)
    av[2] = (char *)"--json";
  const struct cmd *c = cli_find(2, (char **)SHOW[v.rec.kind], &used);
  if (c == NULL)
    return EXIT_ERR;
  const struct cmd *self = cli->cmd;
  cli->cmd = c;
  optind = 0;
  rc = c->fn(cli, bJson ? 3 : 2, av);
  cli->cmd = self;
  return rc;
}

static int cmd_search(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"limit", required_argument, 0, 'l'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct search_result r;
  struct buf q = BUF_INIT;
  int64_t nLimit = 20;
  int c, bJson = 0, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'l':
      if (sws_parse_int64("--limit", optarg, 1, 500, &nLimit, &err) != 0)
        return cli_fail(&err);
      break;
    case 'j': bJson = 1; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind >= argc)
    return cli_usage(cli, "give what to search for");
  for (int i = optind; i < argc; i++)
    buf_appendf(&q, "%s%s", i > optind ? " " : "", argv[i]);
  char *zTrim = sws_trim(buf_str(&q));
  if (receipt_payload_looks_like(zTrim)) {
    rc = open_receipt(cli, zTrim, bJson);
    free(zTrim);
    buf_release(&q);
    return rc;
  }
  free(zTrim);
  if ((rc = cli_open(cli)) != 0) {
    buf_release(&q);
    return rc;
  }
  rc = cases_search(cli->ctx, buf_str(&q), (int)nLimit, &r, &err);
  if (rc != 0) {
    buf_release(&q);
    return cli_fail(&err);
  }
  if (r.zNote[0])
    fprintf(stderr, "sws: note: %s\n", r.zNote);
  if (bJson) {
    json_t *arr = json_array();
    for (int i = 0; i < r.n; i++) {
      const struct search_hit *h = &r.a[i];
      char zSex[2] = {h->sex, 0};
      json_array_append_new(
          arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:i, s:s, s:s, s:s}, "
                         "s:f, s:s}",
                         "regno", h->zRegno, "household_id", h->zHouseholdId,
                         "head", h->zHead, "area", h->zArea, "status",
                         h->zStatus, "member", "number", h->line_no, "name",
                         h->zMember, "sex", zSex, "born", h->zBorn, "score",
                         h->score, "matched_by", how_name(h->how)));
    }
    rc = cli_json_print(arr);
  } else {
    for (int i = 0; i < r.n; i++) {
      const struct search_hit *h = &r.a[i];
      printf("%s  %s  %s", h->zRegno, h->zHead, h->zArea);
      if (h->line_no != 1)
        printf("  (member %d: %s, %c, born %s)", h->line_no, h->zMember,
               h->sex, h->zBorn);
      else
        printf("  (%c, born %s)", h->sex, h->zBorn);
      if (strcmp(h->zStatus, "active") != 0)
        printf("  [deactivated]");
      printf("  by %s\n", how_name(h->how));
    }
    if (r.n == 0)
      fprintf(stderr, "sws: no household matches '%s'\n", buf_str(&q));
    if (r.nMore > 0)
      fprintf(stderr, "sws: %d more not shown (--limit)\n", r.nMore);
  }
  cases_search_release(&r);
  buf_release(&q);
  return rc;
}

const struct cmd cmds_search[] = {
    {"search", cmd_search, "find a household by number, ID, phone or name",
     zSearchUsage, 0, CAP_READ},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
