/*
 * cmd_central_grievance.c - the registry's grievance commands: the queue
 * of each layer above the office (sws central grievance list), its steps
 * (acknowledge, answer, escalate), the daily escalate-due, and the area
 * an office serves (sws central office area), which places its
 * grievances in a district's queue. The logic is sync/central_grievance.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "pos/cli.h"
#include "pos/cmd_central.h"
#include "sync/central_grievance.h"

/* what a command of this file takes, besides --db / --pg */
enum {
  O_LAYER = 1,
  O_TEXT = 2,
  O_AREA = 4,
  O_JSON = 8,
  O_ALL = 16,
  O_DRY = 32
};

struct gopts {
  const char *zDb, *zLayer, *zText, *zArea;
  int bJson, bAll, bDry;
};

/* Parse the options of mask into *g; -1 to go on, else the exit status. */
static int gopts_parse(struct cli *cli, int argc, char **argv, int mask,
                       struct gopts *g)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {"layer", required_argument, 0, 'l'},
                                       {"text", required_argument, 0, 't'},
                                       {"area", required_argument, 0, 'a'},
                                       {"json", no_argument, 0, 'j'},
                                       {"all", no_argument, 0, 'A'},
                                       {"dry-run", no_argument, 0, 'n'},
                                       {0, 0, 0, 0}};
  int o;
  memset(g, 0, sizeof *g);
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    int bit = o == 'l'   ? O_LAYER
              : o == 't' ? O_TEXT
              : o == 'a' ? O_AREA
              : o == 'j' ? O_JSON
              : o == 'A' ? O_ALL
              : o == 'n' ? O_DRY
                         : 0;
    if (bit && !(mask & bit))
      return cli_usage(cli, "this command takes no --%s", argv[optind - 1] + 2);
    switch (o) {
    case 'd':
      g->zDb = optarg;
      break;
    case 'P':
      if ((o = cmd_central_pg_opt(cli, optarg, &g->zDb)) >= 0)
        return o;
      break;
    case 'l':
      g->zLayer = optarg;
      break;
    case 't':
      g->zText = optarg;
      break;
    case 'a':
      g->zArea = optarg;
      break;
    case 'j':
      g->bJson = 1;
      break;
    case 'A':
      g->bAll = 1;
      break;
    case 'n':
      g->bDry = 1;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if ((mask & O_LAYER) && g->zLayer == NULL)
    return cli_usage(cli, "give --layer district, province or national");
  return -1;
}

/* ---- the queue ---- */

static const char zListUsage[] =
    "usage: sws central grievance list --layer LAYER [--area CODE] [--all]\n"
    "           [--json] (--db FILE | --pg URL)\n"
    "\n"
    "What waits at a layer above the office (district, province or\n"
    "national): the grievances escalated there and not yet answered, the\n"
    "nearest deadline first, overdue ones marked. Each shows its ticket,\n"
    "office, district or province, category, when it was received, its\n"
    "deadline and status (escalated, acknowledged, under-review). --area\n"
    "keeps one district's queue (at the district layer) or one province's\n"
    "(at the province layer). --all lists those answered or closed at the\n"
    "layer too. The text of a sensitive grievance is never listed.\n";

static int print_row(const struct central_grievance_row *r, void *arg)
{
  json_t *arr = arg;
  const char *zWhere = r->zDistrictName[0]   ? r->zDistrictName
                       : r->zProvinceName[0] ? r->zProvinceName
                                             : "(area unknown)";
  if (arr) {
    json_array_append_new(
        arr,
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s?, "
                  "s:s, s:s, s:s, s:s?, s:i}",
                  "ticket", r->zTicket, "id", r->zId, "office", r->zOffice,
                  "area", r->zArea, "district", r->zDistrict, "district_name",
                  r->zDistrictName, "province", r->zProvince, "province_name",
                  r->zProvinceName, "category", r->zCategory, "sensitive",
                  r->sensitive, "text", r->zText, "layer", r->zLayer, "status",
                  r->zStatus, "received_at", r->zReceivedAt, "due",
                  r->zDue[0] ? r->zDue : NULL, "days_overdue", r->daysOverdue));
    return 0;
  }
  char zReceived[11];
  sws_strlcpy(zReceived, r->zReceivedAt, sizeof zReceived);
  printf("%s  %-8s %-18s %-16s received %s  due %s  %s", r->zTicket, r->zOffice,
         zWhere, r->zCategory, zReceived, r->zDue[0] ? r->zDue : "-",
         r->zStatus);
  if (r->daysOverdue > 0)
    printf("  OVERDUE by %d day%s", r->daysOverdue,
           r->daysOverdue == 1 ? "" : "s");
  printf("\n    %s\n", r->sensitive ? "(sensitive: text withheld)" : r->zText);
  return 0;
}

struct counted {
  json_t *arr;
  int n;
};

static int count_row(const struct central_grievance_row *r, void *arg)
{
  struct counted *k = arg;
  k->n++;
  return print_row(r, k->arr);
}

static int cmd_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct gopts g;
  struct central *c;
  int rc;
  if ((rc = gopts_parse(cli, argc, argv, O_LAYER | O_AREA | O_JSON | O_ALL,
                        &g)) >= 0)
    return rc;
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cmd_central_open(cli, g.zDb, 0, NULL, &c)) != 0)
    return rc;
  struct counted k = {g.bJson ? json_array() : NULL, 0};
  rc =
      central_grievance_list(c, g.zLayer, g.zArea, g.bAll, count_row, &k, &err);
  central_close(c);
  if (rc != 0) {
    json_decref(k.arr);
    return cli_fail(&err);
  }
  if (k.arr)
    return cli_json_print(k.arr);
  if (k.n == 0)
    printf("nothing waits at the %s layer%s%s\n", g.zLayer,
           g.zArea ? " for " : "", g.zArea ? g.zArea : "");
  return EXIT_OK;
}

/* ---- steps ---- */

static const char zAckUsage[] =
    "usage: sws central grievance acknowledge TICKET --layer LAYER\n"
    "           (--db FILE | --pg URL)\n"
    "\n"
    "Acknowledge a grievance waiting at LAYER (district, province or\n"
    "national): its office learns at its next sync that the layer has it.\n";

static const char zAnswerUsage[] =
    "usage: sws central grievance answer TICKET --layer LAYER --text TEXT\n"
    "           (--db FILE | --pg URL)\n"
    "\n"
    "Record the answer of a layer above the office (district, province or\n"
    "national) to a grievance waiting there. It reaches the office that\n"
    "took the ticket at its next sync, which shows it with its layer. A\n"
    "grievance waiting at another layer, or already answered, is refused.\n";

static const char zEscalateUsage[] =
    "usage: sws central grievance escalate TICKET --layer LAYER [--text WHY]\n"
    "           (--db FILE | --pg URL)\n"
    "\n"
    "Send a grievance waiting at LAYER one layer up (district to province,\n"
    "province to national; the national layer answers, it cannot escalate),\n"
    "with the deadline of the layer it reaches. Its office learns it at its\n"
    "next sync.\n";

/* acknowledge, answer, escalate: zEvent the step */
static int step_cmd(struct cli *cli, int argc, char **argv, const char *zEvent,
                    int mask)
{
  struct sws_err err = SWS_ERR_INIT;
  struct gopts g;
  struct central *c;
  int rc;
  if ((rc = gopts_parse(cli, argc, argv, mask, &g)) >= 0)
    return rc;
  if (optind != argc - 1)
    return cli_usage(cli, "give the TICKET");
  if (strcmp(zEvent, "answered") == 0 && g.zText == NULL)
    return cli_usage(cli, "give the answer with --text");
  if ((rc = cmd_central_open(cli, g.zDb, 0, NULL, &c)) != 0)
    return rc;
  rc =
      central_grievance_event(c, argv[optind], zEvent, g.zLayer, g.zText, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("%s %s at the %s layer; its office learns it at its next sync\n",
         argv[optind], zEvent, g.zLayer);
  return EXIT_OK;
}

static int cmd_acknowledge(struct cli *cli, int argc, char **argv)
{
  return step_cmd(cli, argc, argv, "acknowledged", O_LAYER);
}

static int cmd_answer(struct cli *cli, int argc, char **argv)
{
  return step_cmd(cli, argc, argv, "answered", O_LAYER | O_TEXT);
}

static int cmd_escalate(struct cli *cli, int argc, char **argv)
{
  return step_cmd(cli, argc, argv, "escalated", O_LAYER | O_TEXT);
}

static const char zDueUsage[] =
    "usage: sws central grievance escalate-due [--dry-run]\n"
    "           (--db FILE | --pg URL)\n"
    "\n"
    "Send every grievance waiting past its deadline at the district or\n"
    "province layer one layer up, with the deadline of the layer it\n"
    "reaches (the offices' grievance calendar: business days, weekends and\n"
    "holidays); those overdue at the national layer are listed, nowhere\n"
    "higher to go. Meant for a daily timer (docs/operations.md): a second\n"
    "run the same day moves nothing. --dry-run lists what would move.\n";

static int print_due(const struct central_grievance_due *d, void *arg)
{
  int bDry = *(int *)arg;
  if (d->zTo)
    printf("%s (%s): %s %s to %s, due %s (%d day%s ago)\n", d->zTicket,
           d->zOffice, bDry ? "would go from" : "escalated from", d->zFrom,
           d->zTo, d->zDue, d->daysOverdue, d->daysOverdue == 1 ? "" : "s");
  else
    printf("%s (%s): overdue at the %s layer since %s, nowhere higher to "
           "go\n",
           d->zTicket, d->zOffice, d->zFrom, d->zDue);
  return 0;
}

static int cmd_escalate_due(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct gopts g;
  struct central *c;
  int rc, nMoved, nStuck;
  if ((rc = gopts_parse(cli, argc, argv, O_DRY, &g)) >= 0)
    return rc;
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cmd_central_open(cli, g.zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_grievance_escalate_due(c, g.bDry, print_due, &g.bDry, &nMoved,
                                      &nStuck, &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("%d grievance%s %s", nMoved, nMoved == 1 ? "" : "s",
         g.bDry ? "would be escalated" : "escalated");
  if (nStuck)
    printf("; %d overdue at the national layer", nStuck);
  putchar('\n');
  return EXIT_OK;
}

/* ---- the office's area ---- */

static const char zAreaUsage[] =
    "usage: sws central office area OFFICE AREA (--db FILE | --pg URL)\n"
    "\n"
    "Set the area an office serves: a district or commune code of the\n"
    "registry's areas ('sws central area load'). The grievances it\n"
    "escalates wait in the queues of that district and its province. An\n"
    "office without one places each grievance by its household's village.\n";

static int cmd_office_area(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct gopts g;
  struct central *c;
  int rc;
  if ((rc = gopts_parse(cli, argc, argv, 0, &g)) >= 0)
    return rc;
  if (optind != argc - 2)
    return cli_usage(cli, "give the OFFICE and its AREA");
  if ((rc = cmd_central_open(cli, g.zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_office_area_set(c, argv[optind], argv[optind + 1], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("office %s serves %s\n", argv[optind], argv[optind + 1]);
  return EXIT_OK;
}

const struct cmd cmds_central_grievance[] = {
    {"central office area", cmd_office_area,
     "set the district or commune an office serves", zAreaUsage, 0, CAP_REGISTRY},
    {"central grievance list", cmd_list,
     "what waits at a layer above the office", zListUsage, 0, CAP_REGISTRY},
    {"central grievance acknowledge", cmd_acknowledge,
     "acknowledge a grievance waiting at a layer", zAckUsage, 0, CAP_REGISTRY},
    {"central grievance answer", cmd_answer,
     "answer a grievance escalated above the office", zAnswerUsage, 0, CAP_REGISTRY},
    {"central grievance escalate", cmd_escalate,
     "send a grievance one layer up", zEscalateUsage, 0, CAP_REGISTRY},
    {"central grievance escalate-due", cmd_escalate_due,
     "escalate grievances past their deadline (daily)", zDueUsage, 0, CAP_REGISTRY},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
