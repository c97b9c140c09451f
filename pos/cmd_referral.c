/*
 * cmd_referral.c - sws referral add|send|accept|decline|complete|cancel|
 * show|list.
 */
#include <string.h>

#include "cases/access.h"
#include "cases/referral.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zAddUsage[] =
    "usage: sws referral add REGNO --member N --service SERVICE --to PROVIDER\n"
    "           --reason TEXT [--urgent]\n"
    "\n"
    "Refer member N of a household to another service: SERVICE is health,\n"
    "education, employment, psychosocial or other; PROVIDER who receives it\n"
    "(\"Angkor Chum health centre\"). The referral starts pending; prints its\n"
    "number (e.g. KH12-R-000012-4) as the last line.\n";

static int cmd_referral_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"member", required_argument, 0, 'm'},
      {"service", required_argument, 0, 's'},
      {"to", required_argument, 0, 't'},
      {"reason", required_argument, 0, 'r'},
      {"urgent", no_argument, 0, 'u'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct referral_input in = {NULL, 0, NULL, NULL, NULL, 0};
  char zNumber[SWS_NUMBER_MAX];
  int64_t member = 0;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'm':
      if (sws_parse_int64("--member", optarg, 1, 1000, &member, &err) != 0)
        return cli_fail(&err);
      break;
    case 's': in.zService = optarg; break;
    case 't': in.zProvider = optarg; break;
    case 'r': in.zReason = optarg; break;
    case 'u': in.urgent = 1; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if (!member || !in.zService || !in.zProvider || !in.zReason)
    return cli_usage(cli, "give --member, --service, --to and --reason");
  in.zRegno = argv[optind];
  in.member = (int)member;
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_case_check(cli->ctx, cli_role(cli), in.zRegno, &err) != 0 ||
      cases_referral_add(cli->ctx, &in, zNumber, &err) != 0)
    return cli_fail(&err);
  printf("referral of member %d of %s to %s (pending)\n%s\n", in.member,
         in.zRegno, in.zProvider, zNumber);
  return EXIT_OK;
}

static const char zStepUsage[] =
    "usage: sws referral send|accept|decline|complete|cancel NUMBER\n"
    "           [--feedback TEXT]\n"
    "\n"
    "Record a step of a referral. The sender sends it (or cancels it while\n"
    "pending); the receiving side accepts or declines it, and completes it\n"
    "once the service is given; its --feedback shows on the case. A step\n"
    "that does not fit the referral's state is refused, naming the steps\n"
    "that are possible.\n";

static int cmd_referral_step(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"feedback", required_argument, 0, 'f'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zFeedback = NULL;
  const char *zAction = argv[0]; /* send, accept, ... */
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 'f')
      zFeedback = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one referral number");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_referral_check(cli->ctx, cli_role(cli), argv[optind], &err) ||
      cases_referral_step(cli->ctx, argv[optind], zAction, zFeedback, &err))
    return cli_fail(&err);
  struct referral r;
  if (cases_referral_get(cli->ctx, argv[optind], &r, &err) != 0)
    return cli_fail(&err);
  printf("referral %s is now %s\n", r.zNumber, r.zStatus);
  cases_referral_release(&r);
  return EXIT_OK;
}

static const char zShowUsage[] =
    "usage: sws referral show NUMBER [--json]\n"
    "\n"
    "A referral and its history (every event, with feedback; events that\n"
    "arrived in an impossible order are shown and marked).\n";

static int cmd_referral_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct referral r;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1, "referral number",
                          &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (cases_referral_check(cli->ctx, cli_role(cli), argv[optind], &err) ||
      cases_referral_get(cli->ctx, argv[optind], &r, &err) != 0)
    return cli_fail(&err);
  if (bJson) {
    json_t *ev = json_array();
    for (int i = 0; i < r.nEvent; i++)
      json_array_append_new(
          ev, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "event",
                        r.aEvent[i].zEvent, "at", r.aEvent[i].zAt, "by",
                        r.aEvent[i].zBy, "feedback", r.aEvent[i].zFeedback,
                        "valid", r.aEvent[i].valid, "note",
                        r.aEvent[i].zNote));
    rc = cli_json_print(json_pack(
        "{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:s, s:o}",
        "number", r.zNumber, "regno", r.zRegno, "member", r.member, "name",
        r.zMemberName, "service", r.zService, "provider", r.zProvider,
        "reason", r.zReason, "urgent", r.urgent, "status", r.zStatus,
        "flagged", r.flagged, "created_at", r.zCreatedAt, "created_by",
        r.zCreatedBy, "events", ev));
  } else {
    printf("%s  %s%s%s\n", r.zNumber, r.zStatus, r.urgent ? "  URGENT" : "",
           r.flagged ? "  FLAGGED: an event did not fit" : "");
    printf("member:   %d %s of %s\n", r.member, r.zMemberName, r.zRegno);
    printf("service:  %s, %s\n", r.zService, r.zProvider);
    printf("reason:   %s\n", r.zReason);
    char zWhen[CLI_WHEN_MAX];
    printf("made:     %s by %s\n", cli_when(zWhen, r.zCreatedAt), r.zCreatedBy);
    for (int i = 0; i < r.nEvent; i++) {
      printf("  %s  %-9s by %s", cli_when(zWhen, r.aEvent[i].zAt),
             r.aEvent[i].zEvent, r.aEvent[i].zBy);
      if (r.aEvent[i].zFeedback[0])
        printf(": %s", r.aEvent[i].zFeedback);
      if (!r.aEvent[i].valid)
        printf("  [not valid: %s]", r.aEvent[i].zNote);
      putchar('\n');
    }
  }
  cases_referral_release(&r);
  return rc;
}

static const char zListUsage[] =
    "usage: sws referral list [REGNO] [--json]\n"
    "\n"
    "The referrals of a household, or every open referral (pending, sent,\n"
    "accepted) of the office, urgent first.\n";

static int print_row(const struct referral_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr)
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
                       "number", r->zNumber, "regno", r->zRegno, "member",
                       r->member, "name", r->zMemberName, "service",
                       r->zService, "provider", r->zProvider, "status",
                       r->zStatus, "feedback", r->zFeedback, "urgent",
                       r->urgent, "flagged", r->flagged));
  else
    printf("%s  %s member %d %s -> %s (%s) [%s]%s\n", r->zNumber, r->zRegno,
           r->member, r->zMemberName, r->zProvider, r->zService, r->zStatus,
           r->urgent ? " URGENT" : "");
  return 0;
}

static int cmd_referral_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  json_t *arr = NULL;
  int o, rc;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 'j')
      arr = arr ? arr : json_array();
    else {
      json_decref(arr);
      return EXIT_USAGE;
    }
  }
  if (optind < argc - 1) {
    json_decref(arr);
    return cli_usage(cli, "give at most one registration number");
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_referral_list(cli->ctx, cli_role(cli),
                          optind < argc ? argv[optind] : NULL, print_row, arr,
                          &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

const struct cmd cmds_referral[] = {
    {"referral add", cmd_referral_add, "refer a member to another service",
     zAddUsage, 0, CAP_CASE},
    {"referral send", cmd_referral_step, "the referral was sent", zStepUsage, 0,
     CAP_CASE},
    {"referral accept", cmd_referral_step, "the receiving side accepted it",
     zStepUsage, 0, CAP_CASE},
    {"referral decline", cmd_referral_step, "the receiving side declined it",
     zStepUsage, 0, CAP_CASE},
    {"referral complete", cmd_referral_step, "the service was given",
     zStepUsage, 0, CAP_CASE},
    {"referral cancel", cmd_referral_step, "the sender cancels it", zStepUsage,
     0, CAP_CASE},
    {"referral show", cmd_referral_show, "a referral and its history",
     zShowUsage, 0, CAP_CASE_READ},
    {"referral list", cmd_referral_list,
     "the referrals of a household, or all open", zListUsage, 0, CAP_CASE_READ},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
