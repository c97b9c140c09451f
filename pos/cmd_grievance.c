/*
 * cmd_grievance.c - sws grievance add|acknowledge|review|escalate|answer|
 * close|appeal|status|list|escalate-due|categories|config load.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/grievance.h"
#include "cases/user.h"
#include "core/mem.h"
#include "pos/cli.h"

static const char zAddUsage[] =
    "usage: sws grievance add (--household REGNO | --anonymous)\n"
    "           --category CAT --channel walk-in|phone|letter|hotline\n"
    "           --text TEXT\n"
    "\n"
    "Take a grievance or complaint. Prints the ticket number last (e.g.\n"
    "KH12-G-000007-3): give it to the complainant. An anonymous complainant\n"
    "gets a follow-up code instead (printed once, stored only as a hash):\n"
    "with it, and nothing else, they can follow the ticket. Categories:\n"
    "'sws grievance categories'. The ticket starts at the office's layer\n"
    "with that layer's deadline in business days.\n";

static int cmd_grievance_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"household", required_argument, 0, 'h'},
      {"anonymous", no_argument, 0, 'a'},
      {"category", required_argument, 0, 'c'},
      {"channel", required_argument, 0, 'C'},
      {"text", required_argument, 0, 't'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct grievance_input in = {NULL, 0, NULL, NULL, NULL};
  char zTicket[SWS_NUMBER_MAX], zCode[GRIEVANCE_CODE_MAX];
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'h': in.zRegno = optarg; break;
    case 'a': in.anonymous = 1; break;
    case 'c': in.zCategory = optarg; break;
    case 'C': in.zChannel = optarg; break;
    case 't': in.zText = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((in.zRegno == NULL) == (in.anonymous == 0))
    return cli_usage(cli, "give either --household REGNO or --anonymous");
  if (!in.zCategory || !in.zChannel || !in.zText)
    return cli_usage(cli, "give --category, --channel and --text");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_grievance_add(cli->ctx, &in, zTicket, zCode, &err) != 0)
    return cli_fail(&err);
  if (in.anonymous)
    printf("follow-up code (give it to the complainant; it is not kept): "
           "%s\n", zCode);
  printf("grievance received\n%s\n", zTicket);
  return EXIT_OK;
}

static const char zStepUsage[] =
    "usage: sws grievance acknowledge|review|escalate|answer|close|appeal\n"
    "           TICKET [--text TEXT]\n"
    "\n"
    "Record a step of a grievance: acknowledge it, start the review, escalate\n"
    "it to the next layer up (commune, district, province, national), answer\n"
    "it (--text is the answer), close it once the complainant has the\n"
    "answer, or appeal (--text: why), which reopens it one layer up. A step\n"
    "that does not fit is refused, naming the steps that are possible.\n"
    "Sensitive categories can only be handled by a supervisor (--as).\n";

static int cmd_grievance_step(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"text", required_argument, 0, 't'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zText = NULL, *zAction = argv[0];
  struct grievance g;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 't')
      zText = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one ticket number");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  int role = cli_role(cli);
  if (cases_grievance_step(cli->ctx, argv[optind], zAction, zText, role,
                           &err) != 0 ||
      cases_grievance_get(cli->ctx, argv[optind], role, &g, &err) != 0)
    return cli_fail(&err);
  printf("grievance %s is now %s at the %s layer", g.zTicket, g.zStatus,
         g.zLayer);
  if (g.zDue[0])
    printf(", due %s", g.zDue);
  putchar('\n');
  cases_grievance_release(&g);
  return EXIT_OK;
}

static const char zStatusUsage[] =
    "usage: sws grievance status TICKET|CODE [--json]\n"
    "\n"
    "Where a grievance stands, by its ticket number or an anonymous\n"
    "complainant's follow-up code: status, layer, deadline, the answer and\n"
    "the layer that gave it, and the whole history. Supervisors see every\n"
    "grievance; case managers the grievances of households whose cases they\n"
    "may see; everyone else only the ticket, status, layer and due date of\n"
    "ordinary ones (see docs/case-management.md).\n";

static int cmd_grievance_status(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct grievance g;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1,
                          "ticket number or follow-up code",
                          &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (cases_grievance_get(cli->ctx, argv[optind], cli_role(cli), &g, &err))
    return cli_fail(&err);
  if (g.hidden) { /* the acting user sees only where it stands */
    if (bJson)
      rc = cli_json_print(json_pack("{s:s, s:s, s:s, s:s?, s:b, s:b}", "ticket",
                                    g.zTicket, "status", g.zStatus, "layer",
                                    g.zLayer, "due", g.zDue[0] ? g.zDue : NULL,
                                    "overdue", g.overdue, "hidden", 1));
    else
      printf("%s  %s at the %s layer%s%s%s\n(only where it stands is shown "
             "to you)\n",
             g.zTicket, g.zStatus, g.zLayer, g.zDue[0] ? ", due " : "", g.zDue,
             g.overdue ? "  OVERDUE" : "");
  } else if (bJson) {
    json_t *ev = json_array();
    for (int i = 0; i < g.nEvent; i++)
      json_array_append_new(
          ev, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "event",
                        g.aEvent[i].zEvent, "layer", g.aEvent[i].zLayer, "at",
                        g.aEvent[i].zAt, "by", g.aEvent[i].zBy, "text",
                        g.aEvent[i].zText, "valid", g.aEvent[i].valid, "note",
                        g.aEvent[i].zNote));
    rc = cli_json_print(json_pack(
        "{s:s, s:s?, s:b, s:s, s:b, s:b, s:s, s:s, s:s, s:s?, s:b, s:s, "
        "s:s?, s:b, s:s, s:o}",
        "ticket", g.zTicket, "regno", g.zRegno[0] ? g.zRegno : NULL,
        "anonymous", g.anonymous, "category", g.zCategory, "sensitive",
        g.sensitive, "hidden", g.hidden, "channel", g.zChannel, "text",
        g.zText, "status", g.zStatus, "due", g.zDue[0] ? g.zDue : NULL,
        "overdue", g.overdue, "answer", g.zAnswer, "answer_layer",
        g.zAnswerLayer[0] ? g.zAnswerLayer : NULL, "flagged", g.flagged,
        "layer", g.zLayer, "events", ev));
  } else {
    printf("%s  %s at the %s layer%s%s%s\n", g.zTicket, g.zStatus, g.zLayer,
           g.zDue[0] ? ", due " : "", g.zDue,
           g.overdue ? "  OVERDUE" : "");
    printf("category:  %s (%s)%s\n", g.zCategoryName, g.zCategory,
           g.sensitive ? " - sensitive" : "");
    printf("from:      %s, by %s\n",
           g.anonymous ? "anonymous" : g.zRegno[0] ? g.zRegno : "-",
           g.zChannel);
    printf("text:      %s\n", g.zText);
    if (g.zAnswerLayer[0])
      printf("answer:    (%s layer) %s\n", g.zAnswerLayer, g.zAnswer);
    if (g.flagged)
      printf("FLAGGED:   an event arrived that does not fit the history\n");
    printf("history:\n");
    for (int i = 0; i < g.nEvent; i++) {
      char zWhen[CLI_WHEN_MAX];
      printf("  %s  %-12s %-9s by %s", cli_when(zWhen, g.aEvent[i].zAt),
             g.aEvent[i].zEvent, g.aEvent[i].zLayer, g.aEvent[i].zBy);
      if (g.aEvent[i].zText[0])
        printf(": %s", g.aEvent[i].zText);
      if (!g.aEvent[i].valid)
        printf("  [not valid: %s]", g.aEvent[i].zNote);
      putchar('\n');
    }
  }
  cases_grievance_release(&g);
  return rc;
}

static const char zListUsage[] =
    "usage: sws grievance list [--all] [--json]\n"
    "\n"
    "Grievances not yet closed (all with --all), the nearest deadline first,\n"
    "as much of each as the acting user (--as) may see: sensitive ones for\n"
    "supervisors only; the front desk sees ticket, status, layer and due\n"
    "date.\n";

static int print_row(const struct grievance_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr && !r->whole)
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:s, s:s?, s:b}", "ticket", r->zTicket,
                       "status", r->zStatus, "layer", r->zLayer, "due",
                       r->zDue[0] ? r->zDue : NULL, "overdue", r->overdue));
  else if (arr)
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b, s:s, s:s?, s:b}",
                       "ticket", r->zTicket, "category", r->zCategory,
                       "status", r->zStatus, "layer", r->zLayer, "due",
                       r->zDue[0] ? r->zDue : NULL, "overdue", r->overdue,
                       "created_at", r->zCreatedAt, "regno",
                       r->zRegno[0] ? r->zRegno : NULL, "sensitive",
                       r->sensitive));
  else
    printf("%s  %-16s %-12s %-9s %s%s  %s\n", r->zTicket, r->zCategory,
           r->zStatus, r->zLayer, r->zDue[0] ? r->zDue : "-",
           r->overdue ? " OVERDUE" : "",
           !r->whole      ? ""
           : r->zRegno[0] ? r->zRegno
                          : "(anonymous)");
  return 0;
}

static int cmd_grievance_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"all", no_argument, 0, 'a'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  json_t *arr = NULL;
  int o, bAll = 0, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'a': bAll = 1; break;
    case 'j': arr = arr ? arr : json_array(); break;
    default: json_decref(arr); return EXIT_USAGE;
    }
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_grievance_list(cli->ctx, bAll, cli_role(cli), NULL, print_row, arr,
                           &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zDueUsage[] =
    "usage: sws grievance escalate-due\n"
    "\n"
    "Escalate every grievance whose deadline has passed to the next layer\n"
    "up. Meant for a daily timer (see docs/case-management.md); running it\n"
    "twice the same day changes nothing.\n";

static int cmd_grievance_escalate_due(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int nEsc, nStuck, rc;
  if (argc > 1)
    return cli_usage(cli, "unexpected argument '%s'", argv[1]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_grievance_escalate_due(cli->ctx, &nEsc, &nStuck, &err) != 0)
    return cli_fail(&err);
  printf("%d grievance%s escalated", nEsc, nEsc == 1 ? "" : "s");
  if (nStuck)
    printf("; %d overdue at the top layer (nowhere higher to go)", nStuck);
  putchar('\n');
  return EXIT_OK;
}

static const char zCategoriesUsage[] =
    "usage: sws grievance categories\n"
    "\n"
    "The grievance categories (code, name, sensitive or not) and the layers\n"
    "with their deadlines in business days.\n";

static int cmd_grievance_categories(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  sqlite3_stmt *q;
  int rc;
  if (argc > 1)
    return cli_usage(cli, "unexpected argument '%s'", argv[1]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (db_prepare(cli->ctx->db, &q,
                 "SELECT code, name, sensitive FROM grievance_category "
                 "WHERE active = 1 ORDER BY code",
                 &err) != 0)
    return cli_fail(&err);
  while ((rc = db_step(cli->ctx->db, q, &err)) == DB_ROW)
    printf("%-18s %s%s\n", db_col_str(q, 0), db_col_str(q, 1),
           db_col_int64(q, 2) ? "  [sensitive: supervisors only]" : "");
  db_done(cli->ctx->db, q);
  if (rc < 0)
    return cli_fail(&err);
  if (db_prepare(cli->ctx->db, &q,
                 "SELECT layer, days FROM grievance_layer ORDER BY position",
                 &err) != 0)
    return cli_fail(&err);
  printf("layers:");
  while ((rc = db_step(cli->ctx->db, q, &err)) == DB_ROW)
    printf(" %s (%lld business days)", db_col_str(q, 0),
           (long long)db_col_int64(q, 1));
  putchar('\n');
  db_done(cli->ctx->db, q);
  return rc < 0 ? cli_fail(&err) : EXIT_OK;
}

static const char zConfigUsage[] =
    "usage: sws grievance config load FILE.json\n"
    "\n"
    "Load grievance categories, the layers with their deadlines in business\n"
    "days, the office's layer, the weekend and the holidays (the format is\n"
    "data/grievance.json, the built-in default). All or nothing.\n";

static int cmd_grievance_config_load(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  char *z;
  size_t n;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one JSON file");
  if (cli_read_file(argv[1], 4 << 20, &z, &n, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) == 0) {
    if (cases_grievance_config_load(cli->ctx, z, n, &err) != 0)
      rc = cli_fail(&err);
    else
      printf("grievance configuration loaded from %s\n", argv[1]);
  }
  free(z);
  return rc;
}

const struct cmd cmds_grievance[] = {
    {"grievance add", cmd_grievance_add, "take a grievance; prints a ticket",
     zAddUsage, 0, CAP_DESK},
    {"grievance acknowledge", cmd_grievance_step, "acknowledge a grievance",
     zStepUsage, 0, CAP_CASE},
    {"grievance review", cmd_grievance_step, "start reviewing a grievance",
     zStepUsage, 0, CAP_CASE},
    {"grievance escalate", cmd_grievance_step, "send a grievance one layer up",
     zStepUsage, 0, CAP_CASE},
    {"grievance answer", cmd_grievance_step, "answer a grievance", zStepUsage,
     0, CAP_CASE},
    {"grievance close", cmd_grievance_step, "close an answered grievance",
     zStepUsage, 0, CAP_CASE},
    {"grievance appeal", cmd_grievance_step,
     "appeal an answer: reopens one layer up", zStepUsage, 0, CAP_DESK},
    {"grievance status", cmd_grievance_status,
     "where a grievance stands, and its history", zStatusUsage, 0, CAP_READ},
    {"grievance list", cmd_grievance_list, "open grievances, due first",
     zListUsage, 0, CAP_READ},
    {"grievance escalate-due", cmd_grievance_escalate_due,
     "escalate every grievance past its deadline", zDueUsage, 0, CAP_JOBS},
    {"grievance categories", cmd_grievance_categories,
     "categories, layers and deadlines", zCategoriesUsage, 0, CAP_READ},
    {"grievance config load", cmd_grievance_config_load,
     "load categories, layers, deadlines, holidays", zConfigUsage, 0,
     CAP_ADMIN},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
