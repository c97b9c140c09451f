/*
 * cmd_case.c - sws case open|assign|note|close|show, sws caseload,
 * sws user area add|list, sws plan goal|action|set|show.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/casefile.h"
#include "cases/household.h"
#include "cases/plan.h"
#include "cases/referral.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zOpenUsage[] =
    "usage: sws case open REGNO\n"
    "\n"
    "Open a case for a household (one open case per household). Assign it\n"
    "to a case manager with 'sws case assign'.\n"
    "\n"
    "The case commands act for the account given by --as (or SWS_USER):\n"
    "a supervisor works every case, a case manager those of their caseload\n"
    "and of the areas they cover; any other household answers 'not found'\n"
    "(see docs/case-management.md).\n";

int cli_open_case(struct cli *cli, const char *zRegno)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc;
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_case_check(cli->ctx, cli_role(cli), zRegno, &err) != 0)
    return cli_fail(&err);
  return EXIT_OK;
}

static int one_regno(struct cli *cli, int argc, char **argv)
{
  if (argc != 2)
    return cli_usage(cli, "give one registration number");
  return cli_open_case(cli, argv[1]);
}

static int cmd_case_open(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct case_info c;
  int rc;
  if ((rc = one_regno(cli, argc, argv)) != 0)
    return rc;
  if (cases_case_open(cli->ctx, argv[1], &c, &err) != 0)
    return cli_fail(&err);
  printf("case opened for %s\n", c.zRegno);
  return EXIT_OK;
}

static const char zAssignUsage[] =
    "usage: sws case assign REGNO (--to LOGIN | --auto)\n"
    "\n"
    "Give the household's open case to a case manager: LOGIN (who must have\n"
    "the case-manager role), or with --auto the case manager with the fewest\n"
    "open cases among those covering the household's village (see 'sws user\n"
    "area add'). Every assignment is kept in the case's history.\n"
    "\n"
    "A supervisor assigns any case. A case manager (--as) may take an\n"
    "unassigned case they may see (--to themselves, or --auto); a case\n"
    "assigned to someone else is reassigned by a supervisor.\n";

static int cmd_case_assign(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"to", required_argument, 0, 't'},
                                       {"auto", no_argument, 0, 'a'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zTo = NULL;
  char zWho[33];
  int c, bAuto = 0, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 't': zTo = optarg; break;
    case 'a': bAuto = 1; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if ((zTo == NULL) == (bAuto == 0))
    return cli_usage(cli, "give either --to LOGIN or --auto");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_case_assign_check(cli->ctx, cli_role(cli), argv[optind], zTo,
                              &err) != 0 ||
      cases_case_assign(cli->ctx, argv[optind], zTo, zWho, &err) != 0)
    return cli_fail(&err);
  printf("case of %s assigned to %s\n", argv[optind], zWho);
  return EXIT_OK;
}

static const char zNoteUsage[] =
    "usage: sws case note REGNO --text TEXT\n"
    "\n"
    "Add a note to the household's open case.\n";

static int cmd_case_note(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"text", required_argument, 0, 't'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zText = NULL;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 't')
      zText = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1 || zText == NULL)
    return cli_usage(cli, "give a registration number and --text");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_case_note(cli->ctx, argv[optind], zText, &err) != 0)
    return cli_fail(&err);
  printf("note added to the case of %s\n", argv[optind]);
  return EXIT_OK;
}

static const char zCloseUsage[] =
    "usage: sws case close REGNO --outcome TEXT\n"
    "\n"
    "Close the household's open case, saying how it ended.\n";

static int cmd_case_close(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"outcome", required_argument, 0, 'o'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zOutcome = NULL;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'o')
      zOutcome = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1 || zOutcome == NULL)
    return cli_usage(cli, "give a registration number and --outcome");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_case_close(cli->ctx, argv[optind], zOutcome, &err) != 0)
    return cli_fail(&err);
  printf("case of %s closed\n", argv[optind]);
  return EXIT_OK;
}

/* ---- case show: everything about a case on one screen ---- */

static int print_plan(const struct plan_item *it, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr, it->isGoal
                 ? json_pack("{s:s, s:i, s:s, s:s}", "type", "goal", "number",
                             it->no, "text", it->zText, "status", it->zStatus)
                 : json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:b}",
                             "type", "action", "number", it->no, "goal",
                             it->goal, "kind", it->zKind, "text", it->zText,
                             "owner", it->zOwner, "due", it->zDue, "status",
                             it->zStatus, "overdue", it->overdue));
    return 0;
  }
  if (it->isGoal)
    printf("  goal %d: %s [%s]\n", it->no, it->zText, it->zStatus);
  else
    printf("  action %d%s: %s: %s (owner %s, due %s) [%s]%s\n", it->no,
           it->goal ? "" : "", it->zKind, it->zText, it->zOwner, it->zDue,
           it->zStatus, it->overdue ? "  OVERDUE" : "");
  return 0;
}

static int print_referral(const struct referral_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
                       "number", r->zNumber, "member", r->member, "name",
                       r->zMemberName, "service", r->zService, "provider",
                       r->zProvider, "status", r->zStatus, "feedback",
                       r->zFeedback, "urgent", r->urgent, "flagged",
                       r->flagged));
    return 0;
  }
  printf("  %s  member %d %s -> %s (%s) [%s]%s%s\n", r->zNumber, r->member,
         r->zMemberName, r->zProvider, r->zService, r->zStatus,
         r->urgent ? " URGENT" : "", r->flagged ? " FLAGGED" : "");
  if (r->zFeedback[0])
    printf("      feedback: %s\n", r->zFeedback);
  return 0;
}

static const char zShowUsage[] =
    "usage: sws case show REGNO [--json]\n"
    "\n"
    "Show the household's case: status, case manager, notes, plan and\n"
    "referrals with their feedback (the latest case if none is open).\n";

static int cmd_case_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct case_info c;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1, "registration number", &bJson)) !=
          0 ||
      (rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_case_get_latest(cli->ctx, argv[optind], &c, &err) != 0)
    return cli_fail(&err);
  json_t *plan = bJson ? json_array() : NULL;
  json_t *refs = bJson ? json_array() : NULL;
  if (!bJson) {
    printf("case of %s: %s%s%s\n", c.zRegno, c.zStatus,
           c.zOutcome[0] ? ": " : "", c.zOutcome);
    char zWhen[CLI_WHEN_MAX];
    printf("opened:   %s by %s\n", cli_when(zWhen, c.zOpenedAt), c.zOpenedBy);
    printf("manager:  %s\n", c.zManager[0] ? c.zManager : "(not assigned)");
    printf("plan:\n");
  }
  if (strcmp(c.zStatus, "open") == 0 &&
      cases_plan_list(cli->ctx, c.zRegno, print_plan, plan, &err) != 0)
    goto fail;
  if (!bJson)
    printf("referrals:\n");
  if (cases_referral_list(cli->ctx, cli_role(cli), c.zRegno, print_referral,
                          refs, &err))
    goto fail;
  if (bJson)
    return cli_json_print(json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "regno", c.zRegno,
        "status", c.zStatus, "manager", c.zManager, "opened_at",
        c.zOpenedAt, "opened_by", c.zOpenedBy, "closed_at", c.zClosedAt,
        "outcome", c.zOutcome, "plan", plan, "referrals", refs));
  return EXIT_OK;
fail:
  json_decref(plan);
  json_decref(refs);
  return cli_fail(&err);
}

static const char zCaseloadUsage[] =
    "usage: sws caseload [--user LOGIN] [--json]\n"
    "\n"
    "The open cases (of one case manager with --user): cases with overdue\n"
    "plan actions first, then by the next action due. --json prints an\n"
    "array of objects {regno, head, manager, opened_at, next_due,\n"
    "next_action, overdue, open_referrals}.\n";

static int print_case(const struct caseload_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "regno",
                       r->zRegno, "head", r->zHead, "manager", r->zManager,
                       "opened_at", r->zOpenedAt, "next_due", r->zNextDue,
                       "next_action", r->zNextAction, "overdue",
                       r->nOverdue, "open_referrals", r->nOpenReferrals));
    return 0;
  }
  printf("%s  %s  %s", r->zRegno, r->zHead,
         r->zManager[0] ? r->zManager : "(unassigned)");
  if (r->nOverdue)
    printf("  %d OVERDUE", r->nOverdue);
  if (r->zNextDue[0])
    printf("  next: %s by %s", r->zNextAction, r->zNextDue);
  if (r->nOpenReferrals)
    printf("  %d open referral%s", r->nOpenReferrals,
           r->nOpenReferrals == 1 ? "" : "s");
  putchar('\n');
  return 0;
}

static int cmd_caseload(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"user", required_argument, 0, 'u'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zUser = NULL;
  json_t *arr = NULL;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'u': zUser = optarg; break;
    case 'j': arr = arr ? arr : json_array(); break;
    default: json_decref(arr); return EXIT_USAGE;
    }
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_caseload(cli->ctx, cli_role(cli), zUser, print_case, arr, &err) !=
      0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zAreaAddUsage[] =
    "usage: sws user area add LOGIN AREA\n"
    "\n"
    "Let case manager LOGIN cover AREA (a village, commune, district or\n"
    "province: every village under it). Automatic assignment ('sws case\n"
    "assign --auto') chooses among the case managers covering a household's\n"
    "village, and a case manager sees the cases of the villages they cover\n"
    "(besides their own caseload).\n";

/* sws user area add|remove LOGIN AREA (argv[0] is "add" or "remove"). */
static int cmd_user_area_change(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int bAdd = strcmp(argv[0], "add") == 0, rc;
  if (argc != 3)
    return cli_usage(cli, "give LOGIN and AREA");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if ((bAdd ? cases_user_area_add : cases_user_area_remove)(cli->ctx, argv[1],
                                                            argv[2], &err) != 0)
    return cli_fail(&err);
  printf("%s %s %s\n", argv[1], bAdd ? "now covers" : "no longer covers",
         argv[2]);
  return EXIT_OK;
}

static const char zAreaRemoveUsage[] =
    "usage: sws user area remove LOGIN AREA\n"
    "\n"
    "Stop case manager LOGIN covering AREA (as given to 'sws user area\n"
    "add'): the cases of its villages are no longer theirs to see, except\n"
    "those assigned to them.\n";

static const char zAreaListUsage[] =
    "usage: sws user area list [LOGIN]\n"
    "\n"
    "The areas each case manager covers.\n";

static int print_area(const char *zLogin, const char *zArea, void *arg)
{
  (void)arg;
  printf("%s  %s\n", zLogin, zArea);
  return 0;
}

static int cmd_user_area_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc;
  if (argc > 2)
    return cli_usage(cli, "give at most one LOGIN");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_user_area_list(cli->ctx, argc == 2 ? argv[1] : NULL, print_area,
                           NULL, &err) != 0)
    return cli_fail(&err);
  return EXIT_OK;
}

static const char zGoalUsage[] =
    "usage: sws plan goal REGNO --text TEXT\n"
    "\n"
    "Add a goal to the plan of the household's open case. Prints the goal's\n"
    "number last.\n";

static int cmd_plan_goal(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"text", required_argument, 0, 't'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zText = NULL;
  int o, rc, no;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 't')
      zText = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1 || zText == NULL)
    return cli_usage(cli, "give a registration number and --text");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_plan_goal_add(cli->ctx, argv[optind], zText, &no, &err) != 0)
    return cli_fail(&err);
  printf("goal added\n%d\n", no);
  return EXIT_OK;
}

static const char zActionUsage[] =
    "usage: sws plan action REGNO --kind KIND --text TEXT --owner WHO\n"
    "           --due YYYY-MM-DD [--goal N]\n"
    "\n"
    "Add an action to the plan: KIND is psychosocial, income-support,\n"
    "skills, enterprise, job-placement or other; WHO a login or who else\n"
    "does it (\"the family\"). Prints the action's number last. Actions past\n"
    "their due date show first in the caseload.\n";

static int cmd_plan_action(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"kind", required_argument, 0, 'k'},
                                       {"text", required_argument, 0, 't'},
                                       {"owner", required_argument, 0, 'o'},
                                       {"due", required_argument, 0, 'd'},
                                       {"goal", required_argument, 0, 'g'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct plan_action_input in = {0, NULL, NULL, NULL, NULL};
  int64_t goal;
  int o, rc, no;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'k': in.zKind = optarg; break;
    case 't': in.zText = optarg; break;
    case 'o': in.zOwner = optarg; break;
    case 'd': in.zDue = optarg; break;
    case 'g':
      if (sws_parse_int64("--goal", optarg, 1, 1000, &goal, &err) != 0)
        return cli_fail(&err);
      in.goal = (int)goal;
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if (!in.zKind || !in.zText || !in.zOwner || !in.zDue)
    return cli_usage(cli, "give --kind, --text, --owner and --due");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  if (cases_plan_action_add(cli->ctx, argv[optind], &in, &no, &err) != 0)
    return cli_fail(&err);
  printf("action added\n%d\n", no);
  return EXIT_OK;
}

static const char zSetUsage[] =
    "usage: sws plan set REGNO (--goal N | --action N) --status STATUS\n"
    "\n"
    "Change a plan item: actions go planned -> in-progress -> done, or\n"
    "cancelled before they are done; goals are open, achieved or dropped.\n";

static int cmd_plan_set(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"goal", required_argument, 0, 'g'},
                                       {"action", required_argument, 0, 'a'},
                                       {"status", required_argument, 0, 's'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zStatus = NULL;
  int64_t goal = 0, action = 0;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'g':
      if (sws_parse_int64("--goal", optarg, 1, 1000, &goal, &err) != 0)
        return cli_fail(&err);
      break;
    case 'a':
      if (sws_parse_int64("--action", optarg, 1, 1000, &action, &err) != 0)
        return cli_fail(&err);
      break;
    case 's': zStatus = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1 || zStatus == NULL || (goal == 0) == (action == 0))
    return cli_usage(cli, "give a registration number, --goal N or --action "
                     "N, and --status");
  if ((rc = cli_open_case(cli, argv[optind])) != 0)
    return rc;
  rc = goal ? cases_plan_goal_set(cli->ctx, argv[optind], (int)goal, zStatus,
                                  &err)
            : cases_plan_action_set(cli->ctx, argv[optind], (int)action,
                                    zStatus, &err);
  if (rc != 0)
    return cli_fail(&err);
  printf("%s %d is now %s\n", goal ? "goal" : "action",
         (int)(goal ? goal : action), zStatus);
  return EXIT_OK;
}

const struct cmd cmds_case[] = {
    {"case open", cmd_case_open, "open a case for a household", zOpenUsage, 0,
     CAP_CASE},
    {"case assign", cmd_case_assign, "give a case to a case manager",
     zAssignUsage, 0, CAP_CASE},
    {"case note", cmd_case_note, "add a note to a case", zNoteUsage, 0,
     CAP_CASE},
    {"case close", cmd_case_close, "close a case with its outcome", zCloseUsage,
     0, CAP_CASE},
    {"case show", cmd_case_show, "show a case, its plan and referrals",
     zShowUsage, 0, CAP_CASE_READ},
    {"caseload", cmd_caseload, "open cases, overdue first", zCaseloadUsage, 0,
     CAP_CASE_READ},
    {"user area add", cmd_user_area_change, "let a case manager cover an area",
     zAreaAddUsage, 0, CAP_ADMIN},
    {"user area remove", cmd_user_area_change,
     "stop a case manager covering an area", zAreaRemoveUsage, 0, CAP_ADMIN},
    {"user area list", cmd_user_area_list, "the areas case managers cover",
     zAreaListUsage, 0, CAP_CASE_READ},
    {"plan goal", cmd_plan_goal, "add a goal to a case plan", zGoalUsage, 0,
     CAP_CASE},
    {"plan action", cmd_plan_action, "add an action to a case plan",
     zActionUsage, 0, CAP_CASE},
    {"plan set", cmd_plan_set, "change the status of a goal or action",
     zSetUsage, 0, CAP_CASE},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
