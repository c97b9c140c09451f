/*
 * cmd_duplicate.c - sws duplicate list, sws duplicate decide: the
 * supervisor's queue of possible duplicates in this office
 * (cases/review.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/review.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zListUsage[] =
    "usage: sws duplicate list [--source counter|import] [--village CODE]\n"
    "                          [--all] [--json]\n"
    "\n"
    "List the possible duplicates in this office, oldest first: pairs of\n"
    "households raised at the counter (registered anyway, with the\n"
    "officer's reason), when a member was added, or on import (with the\n"
    "file's name). Each shows its number (for 'sws duplicate decide'), its\n"
    "status, source and score, the two people who look alike (\"member 2\n"
    "of KH12-000001-E (name)\") with their villages, and why. Open pairs\n"
    "only, unless --all (decided ones too, with who decided, when and why;\n"
    "for a merge asked of the registry, where it stands).\n"
    "\n"
    "  --source S     only pairs raised at the counter, or on import\n"
    "  --village CODE only pairs with a household in that village\n"
    "\n"
    "--json prints an array of objects {id, status, source, score,\n"
    "reasons, note, created_at, households: [{regno, area, person}, ...],\n"
    "decided_at, decided_by, reason, merge, merge_answer}.\n";

struct list_out {
  json_t *arr; /* --json, else NULL */
  int n;
};

static const char *merge_words(const struct review_pair *p)
{
  if (strcmp(p->zMerge, "waiting") == 0)
    return "merge waiting for the next sync";
  if (strcmp(p->zMerge, "accepted") == 0)
    return "merged by the registry, coming back with the next sync";
  if (strcmp(p->zMerge, "merged") == 0)
    return "merged";
  if (strcmp(p->zMerge, "refused") == 0)
    return "merge refused by the registry";
  return "";
}

static int print_pair(const struct review_pair *p, void *arg)
{
  struct list_out *o = arg;
  o->n++;
  if (o->arr) {
    json_array_append_new(
        o->arr,
        json_pack("{s:I, s:s, s:s, s:f, s:s, s:s, s:s, s:[{s:s, s:s, s:s}, "
                  "{s:s, s:s, s:s}], s:s?, s:s?, s:s, s:s?, s:s?}",
                  "id", (json_int_t)p->id, "status", p->zStatus, "source",
                  p->zSource, "score", p->score, "reasons", p->zReasons, "note",
                  p->zNote, "created_at", p->zCreatedAt, "households", "regno",
                  p->a.zRegno, "area", p->a.zArea, "person", p->a.zPerson,
                  "regno", p->b.zRegno, "area", p->b.zArea, "person",
                  p->b.zPerson, "decided_at",
                  p->zDecidedAt[0] ? p->zDecidedAt : NULL, "decided_by",
                  p->zDecidedBy[0] ? p->zDecidedBy : NULL, "reason", p->zReason,
                  "merge", p->zMerge[0] ? p->zMerge : NULL, "merge_answer",
                  p->zAnswer[0] ? p->zAnswer : NULL));
    return 0;
  }
  printf("%lld  %s  %s  score %.2f  %.10s\n", (long long)p->id, p->zStatus,
         p->zSource, p->score, p->zCreatedAt);
  printf("  %s (%s)\n  %s (%s)\n", p->a.zPerson, p->a.zArea, p->b.zPerson,
         p->b.zArea);
  printf("  why: %s\n", p->zReasons);
  if (p->zNote[0])
    printf("  %s: %s\n",
           strcmp(p->zSource, "import") == 0 ? "file" : "officer's reason",
           p->zNote);
  if (p->zDecidedAt[0])
    printf("  decided %s by %s on %.10s%s%s\n",
           strcmp(p->zStatus, "same") == 0 ? "same family"
                                           : "different families",
           p->zDecidedBy, p->zDecidedAt, p->zReason[0] ? ": " : "", p->zReason);
  if (p->zMerge[0]) {
    printf("  %s", merge_words(p));
    if (strcmp(p->zMerge, "refused") != 0 && p->zSurvivorRegno[0])
      printf(" (into %s)", p->zSurvivorRegno);
    if (p->zAnswer[0])
      printf(": %s", p->zAnswer);
    putchar('\n');
  }
  return 0;
}

static int cmd_duplicate_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"source", required_argument, 0, 's'},
                                       {"village", required_argument, 0, 'v'},
                                       {"all", no_argument, 0, 'a'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct review_filter f = REVIEW_FILTER_INIT;
  struct list_out o = {NULL, 0};
  int c, bJson = 0, rc;
  int64_t nTotal = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 's':
      f.zSource = optarg;
      break;
    case 'v':
      f.zVillage = optarg;
      break;
    case 'a':
      f.bAll = 1;
      break;
    case 'j':
      bJson = 1;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (optind != argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if (f.zSource && strcmp(f.zSource, "counter") != 0 &&
      strcmp(f.zSource, "import") != 0)
    return cli_usage(cli, "--source must be counter or import");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (bJson)
    o.arr = json_array();
  /* every page: the command line shows them all */
  f.limit = REVIEW_PAGE_MAX;
  do {
    if (cases_review_list(cli->ctx, &f, print_pair, &o, &nTotal, &err) != 0) {
      json_decref(o.arr);
      return cli_fail(&err);
    }
    f.offset += REVIEW_PAGE_MAX;
  } while (f.offset < nTotal);
  if (o.arr)
    return cli_json_print(o.arr);
  if (o.n == 0)
    printf("%s\n", f.bAll ? "No possible duplicates."
                          : "No possible duplicates to decide.");
  return EXIT_OK;
}

static const char zDecideUsage[] =
    "usage: sws duplicate decide ID --same [--reason TEXT]\n"
    "       sws duplicate decide ID --different --reason TEXT\n"
    "\n"
    "Decide possible duplicate ID (from 'sws duplicate list'), as a\n"
    "supervisor or the office administrator (--as LOGIN):\n"
    "\n"
    "  --different  two families: the pair is closed with the reason\n"
    "               (required) and never raised again\n"
    "  --same       one family: the household registered later is\n"
    "               proposed for merging into the earlier one. The\n"
    "               central registry merges: the request goes with the\n"
    "               next 'sws sync'; until the merge comes back both\n"
    "               households show \"proposed for merging into ...,\n"
    "               waiting for the registry\". If the registry refuses\n"
    "               (a household merged elsewhere, say), the pair is open\n"
    "               again with its reason.\n"
    "\n"
    "Every decision is in the audit log. There is no undo at the office\n"
    "(the registry unmerges: 'sws central unmerge').\n";

static int cmd_duplicate_decide(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"same", no_argument, 0, 's'},
                                       {"different", no_argument, 0, 'd'},
                                       {"reason", required_argument, 0, 'r'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zReason = NULL;
  int c, bSame = 0, bDiff = 0, rc;
  int64_t id;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 's':
      bSame = 1;
      break;
    case 'd':
      bDiff = 1;
      break;
    case 'r':
      zReason = optarg;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (argc - optind != 1)
    return cli_usage(cli, "give one possible duplicate's number (sws "
                          "duplicate list shows them)");
  if (bSame == bDiff)
    return cli_usage(cli, "say --same (one family) or --different (two "
                          "families), one of them");
  if (bDiff && (zReason == NULL || sws_blank(zReason)))
    return cli_usage(cli, "--different needs --reason: why these are two "
                          "families");
  if (sws_parse_int64("the possible duplicate's number", argv[optind], 1,
                      INT64_MAX, &id, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_review_decide(cli->ctx, id, bSame, zReason, cli_role(cli), &err) !=
      0)
    return cli_fail(&err);
  if (bSame) {
    struct review_pair *p = calloc(1, sizeof *p);
    if (p && cases_review_get(cli->ctx, id, p, &err) == 0)
      printf("possible duplicate %lld: the same family; %s proposed for "
             "merging into %s (sent with the next 'sws sync')\n",
             (long long)id,
             strcmp(p->zSurvivorRegno, p->a.zRegno) == 0 ? p->b.zRegno
                                                         : p->a.zRegno,
             p->zSurvivorRegno);
    free(p);
  } else {
    printf("possible duplicate %lld: different families; closed\n",
           (long long)id);
  }
  return EXIT_OK;
}

const struct cmd cmds_duplicate[] = {
    {"duplicate list", cmd_duplicate_list,
     "list the possible duplicates in this office", zListUsage, 0, CAP_READ},
    {"duplicate decide", cmd_duplicate_decide,
     "decide a possible duplicate: same family or different families",
     zDecideUsage, 0, CAP_REVIEW},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
