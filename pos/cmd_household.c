/*
 * cmd_household.c - sws household add|show|list|edit|deactivate|reactivate
 * and sws member add|edit|move.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/household.h"
#include "cases/review.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"
#include "pos/render.h"

#define MAX_MEMBERS 60

/* Parse "NAME;SEX;BORN;RELATIONSHIP[;NATIONAL_ID]" into m (pointing into
 * the modified string z). */
static int parse_member(char *z, struct member_input *m, struct sws_err *err)
{
  char *a[6];
  int n = 0;
  char *p = z;
  a[n++] = p;
  for (; *p && n < 6; p++)
    if (*p == ';') {
      *p = '\0';
      a[n++] = p + 1;
    }
  if (n < 4 || n > 5)
    return sws_err_set(err, SWS_EINVAL, "--member must be "
                       "\"NAME;SEX;BORN;RELATIONSHIP\" (optionally "
                       ";NATIONAL_ID), not '%s'", z);
  memset(m, 0, sizeof *m);
  m->zName = a[0];
  if (cases_sex_parse("the sex in --member", a[1], &m->sex, err) != 0)
    return err->code;
  m->zBorn = a[2];
  m->relationship = cases_relationship_parse(a[3]);
  if (m->relationship == 0)
    return sws_err_set(err, SWS_EINVAL, "relationship '%s' in --member is "
                       "not one of spouse, child, parent, sibling, "
                       "grandchild, grandparent, other-relative, "
                       "non-relative", a[3]);
  if (m->relationship == REL_HEAD)
    return sws_err_set(err, SWS_EINVAL, "the head is given with --head; "
                       "--member is for the others");
  m->zNationalId = n == 5 ? a[4] : NULL;
  return SWS_OK;
}

static int report_dups(const struct dedup_list *dups, const char *zAgain)
{
  printf("Possible duplicates in this office (best first):\n");
  for (int i = 0; i < dups->n && i < 10; i++) {
    const struct dedup_hit *h = &dups->a[i];
    printf("  %s  score %.2f  %s (member %d, born %s, %s)%s\n", h->zRegno,
           h->score, h->zName, h->line_no, h->zBorn, h->zArea,
           h->inactive ? " [deactivated]" : "");
    printf("      resembles %s: %s\n", h->zInput, h->zReasons);
  }
  if (dups->n > 10)
    printf("  ... and %d more\n", dups->n - 10);
  printf("Nothing was saved. Check with the family: if they are the same, "
         "use\nthe existing household (sws household show %s). If not, "
         "%s\nwith --force-new \"REASON\".\n",
         dups->a[0].zRegno, zAgain);
  fflush(stdout);
  return EXIT_DUP;
}

static const char zAddUsage[] =
    "usage: sws household add --area VILLAGE_CODE --head NAME --sex F|M\n"
    "           --born YYYY[-MM[-DD]] [--national-id ID] [--phone P]\n"
    "           [--address TEXT] [--disability]\n"
    "           [--member \"NAME;SEX;BORN;RELATIONSHIP[;NATIONAL_ID]\"]...\n"
    "           [--force-new REASON]\n"
    "\n"
    "Register a household: its head (--head, --sex, --born, --national-id,\n"
    "--phone, --disability) and other members (--member, as many as\n"
    "needed; RELATIONSHIP to the head is spouse, child, parent, sibling,\n"
    "grandchild, grandparent, other-relative or non-relative). Birth\n"
    "dates are written year first; '/' or '.' may separate the parts\n"
    "(1982.3.5 is stored as 1982-03-05).\n"
    "\n"
    "Before saving, sws looks for possible duplicates of every member in\n"
    "this office (same national ID, or a similar name with the same sex and\n"
    "a birth year within 2). If it finds any it lists them, saves nothing\n"
    "and exits with status 3; --force-new REASON registers anyway and\n"
    "keeps the reason in the audit log and the review queue.\n"
    "\n"
    "The new registration number is the last line printed.\n";

static int cmd_household_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"area", required_argument, 0, 'a'},
      {"head", required_argument, 0, 'H'},
      {"sex", required_argument, 0, 's'},
      {"born", required_argument, 0, 'b'},
      {"national-id", required_argument, 0, 'i'},
      {"phone", required_argument, 0, 'p'},
      {"address", required_argument, 0, 'A'},
      {"disability", no_argument, 0, 'd'},
      {"member", required_argument, 0, 'm'},
      {"force-new", required_argument, 0, 'f'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct member_input aM[MAX_MEMBERS + 1];
  char *azCopy[MAX_MEMBERS];
  struct household_input in;
  struct dedup_list dups = DEDUP_LIST_INIT;
  const char *zSex = NULL;
  char zRegno[SWS_NUMBER_MAX];
  int c, nOther = 0, rc = EXIT_OK;
  memset(&in, 0, sizeof in);
  memset(&aM[0], 0, sizeof aM[0]);
  aM[0].relationship = REL_HEAD;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a': in.zArea = optarg; break;
    case 'H': aM[0].zName = optarg; break;
    case 's': zSex = optarg; break;
    case 'b': aM[0].zBorn = optarg; break;
    case 'i': aM[0].zNationalId = optarg; break;
    case 'p': aM[0].zPhone = optarg; in.zPhone = optarg; break;
    case 'A': in.zAddress = optarg; break;
    case 'd': aM[0].disability = 1; break;
    case 'f': in.zForceReason = optarg; break;
    case 'm':
      if (nOther == MAX_MEMBERS) {
        rc = cli_usage(cli, "at most %d --member", MAX_MEMBERS);
        goto done;
      }
      azCopy[nOther] = sws_strdup(optarg);
      if (parse_member(azCopy[nOther], &aM[1 + nOther], &err) != 0) {
        nOther++;
        rc = cli_fail(&err);
        goto done;
      }
      nOther++;
      break;
    default: rc = EXIT_USAGE; goto done;
    }
  }
  if (optind < argc) {
    rc = cli_usage(cli, "unexpected argument '%s'", argv[optind]);
    goto done;
  }
  if (!in.zArea || !aM[0].zName || !zSex || !aM[0].zBorn) {
    rc = cli_usage(cli, "give at least --area, --head, --sex and --born");
    goto done;
  }
  if (cases_sex_parse("--sex", zSex, &aM[0].sex, &err) != 0) {
    rc = cli_fail(&err);
    goto done;
  }
  in.aMember = aM;
  in.nMember = 1 + nOther;
  if ((rc = cli_open(cli)) != 0)
    goto done;
  if (cases_household_create(cli->ctx, &in, zRegno, &dups, &err) != 0) {
    if (err.code == SWS_EDUP) {
      fprintf(stderr, "sws: %s\n", err.msg);
      rc = report_dups(&dups, "run the same command again");
    } else {
      rc = cli_fail(&err);
    }
    goto done;
  }
  if (dups.n > 0)
    printf("registered despite %d possible duplicate%s (kept for review)\n",
           dups.n, dups.n == 1 ? "" : "s");
  printf("registered household of %s with %d member%s in %s\n", aM[0].zName,
         in.nMember, in.nMember == 1 ? "" : "s", in.zArea);
  printf("%s\n", zRegno);
done:
  for (int i = 0; i < nOther; i++)
    free(azCopy[i]);
  dedup_list_release(&dups);
  return rc;
}

static const char zShowUsage[] =
    "usage: sws household show REGNO [--json]\n"
    "\n"
    "Show a household and its members. REGNO may lack its check character\n"
    "(sws says so). --json prints one object: {id, regno, area, area_path,\n"
    "address, phone, status, status_reason, created_at, created_by,\n"
    "updated_at, members: [{number, id, name, sex, born, relationship,\n"
    "national_id, phone, disability, status}]}; address, phone,\n"
    "status_reason and national_id are null when not recorded.\n";

static int cmd_household_show(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct household h;
  char zId[SWS_UUID_LEN + 1], zNote[256];
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 1, "registration number",
                          &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  if (cases_household_resolve(cli->ctx, argv[optind], 0, zId, NULL, zNote,
                              &err) != 0 ||
      cases_household_get(cli->ctx, zId, &h, &err) != 0)
    return cli_fail(&err);
  if (zNote[0])
    fprintf(stderr, "sws: note: %s\n", zNote);
  if (bJson) {
    rc = cli_json_print(render_household_json(cli->ctx, &h));
  } else {
    char zBanner[200];
    render_household_text(cli->ctx, &h, stdout);
    /* a merge a supervisor asked for and the registry has not made */
    if (cases_review_banner(cli->ctx, zId, zBanner, sizeof zBanner))
      printf("review:     %s\n", zBanner);
  }
  cases_household_release(&h);
  return rc;
}

static const char zListUsage[] =
    "usage: sws household list [--area CODE] [--limit N] [--json]\n"
    "\n"
    "List households by registration number: all, or those in area CODE\n"
    "and the areas under it. --json prints an array of objects {id, regno,\n"
    "area, head, members, status, created_at}.\n";

static int print_row(const struct household_row *r, void *arg)
{
  json_t *arr = arg;
  if (arr)
    json_array_append_new(
        arr, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "id", r->zId,
                       "regno", r->zRegno, "area", r->zArea, "head",
                       r->zHead, "members", r->nMembers, "status",
                       r->zStatus, "created_at", r->zCreatedAt));
  else
    printf("%s  %s  %s  %d member%s%s\n", r->zRegno, r->zHead, r->zArea,
           r->nMembers, r->nMembers == 1 ? "" : "s",
           strcmp(r->zStatus, "active") ? "  (deactivated)" : "");
  return 0;
}

static int cmd_household_list(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"area", required_argument, 0, 'a'},
                                       {"limit", required_argument, 0, 'l'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zArea = NULL;
  int64_t nLimit = 0;
  json_t *arr = NULL;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a': zArea = optarg; break;
    case 'l':
      if (sws_parse_int64("--limit", optarg, 1, 10000000, &nLimit, &err)) {
        json_decref(arr);
        return cli_fail(&err);
      }
      break;
    case 'j': arr = arr ? arr : json_array(); break;
    default: json_decref(arr); return EXIT_USAGE;
    }
  }
  if (optind < argc) {
    json_decref(arr);
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(arr);
    return rc;
  }
  if (cases_household_list(cli->ctx, zArea, nLimit, print_row, arr, &err)) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zEditUsage[] =
    "usage: sws household edit REGNO [--area VILLAGE_CODE] [--address TEXT]\n"
    "           [--phone P]\n"
    "\n"
    "Change a household's village, address or phone. Members are changed\n"
    "with 'sws member edit'. REGNO must be complete, with its check\n"
    "character.\n";

static int cmd_household_edit(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"area", required_argument, 0, 'a'},
                                       {"address", required_argument, 0, 'A'},
                                       {"phone", required_argument, 0, 'p'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct household_edit e = {NULL, NULL, NULL};
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'a': e.zArea = optarg; break;
    case 'A': e.zAddress = optarg; break;
    case 'p': e.zPhone = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if (argc == 2) /* the number and no option */
    return cli_usage(cli, "nothing to change: give --area, --address or "
                     "--phone");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_household_edit(cli->ctx, argv[optind], &e, &err) != 0)
    return cli_fail(&err);
  printf("household %s changed\n", argv[optind]);
  return EXIT_OK;
}

static int status_cmd(struct cli *cli, int argc, char **argv, int bActive)
{
  static const struct option opts[] = {{"reason", required_argument, 0, 'r'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zReason = NULL;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'r')
      zReason = optarg;
    else
      return EXIT_USAGE;
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if (zReason == NULL)
    return cli_usage(cli, "give the --reason");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  rc = bActive ? cases_household_reactivate(cli->ctx, argv[optind], zReason,
                                            &err)
               : cases_household_deactivate(cli->ctx, argv[optind], zReason,
                                            &err);
  if (rc != 0)
    return cli_fail(&err);
  printf("household %s %s\n", argv[optind],
         bActive ? "reactivated" : "deactivated");
  return EXIT_OK;
}

static const char zDeactivateUsage[] =
    "usage: sws household deactivate REGNO --reason TEXT\n"
    "\n"
    "Deactivate a household (nothing is ever deleted): it stays findable,\n"
    "marked deactivated, and cannot be changed until reactivated.\n";

static int cmd_household_deactivate(struct cli *cli, int argc, char **argv)
{
  return status_cmd(cli, argc, argv, 0);
}

static const char zReactivateUsage[] =
    "usage: sws household reactivate REGNO --reason TEXT\n"
    "\n"
    "Make a deactivated household active again.\n";

static int cmd_household_reactivate(struct cli *cli, int argc, char **argv)
{
  return status_cmd(cli, argc, argv, 1);
}

static const char zMemberAddUsage[] =
    "usage: sws member add REGNO --name NAME --sex F|M --born DATE\n"
    "           --relationship REL [--national-id ID] [--phone P]\n"
    "           [--disability] [--force-new REASON]\n"
    "\n"
    "Add a member to a household (checked for duplicates like a new\n"
    "registration: status 3 and nothing saved unless --force-new). Prints\n"
    "the new member's number N as the last line.\n";

static const struct option MEMBER_OPTS[] = {
    {"name", required_argument, 0, 'n'},
    {"sex", required_argument, 0, 's'},
    {"born", required_argument, 0, 'b'},
    {"relationship", required_argument, 0, 'r'},
    {"national-id", required_argument, 0, 'i'},
    {"phone", required_argument, 0, 'p'},
    {"disability", required_argument, 0, 'd'},
    {"status", required_argument, 0, 'S'},
    {"previous-head-as", required_argument, 0, 'P'},
    {"force-new", required_argument, 0, 'f'},
    {"to", required_argument, 0, 't'},
    {0, 0, 0, 0}};

static int parse_rel(struct cli *cli, const char *z, int *out)
{
  if ((*out = cases_relationship_parse(z)) == 0)
    return cli_usage(cli, "relationship '%s' is not one of head, spouse, "
                     "child, parent, sibling, grandchild, grandparent, "
                     "other-relative, non-relative", z);
  return 0;
}

static int cmd_member_add(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct member_input m;
  struct dedup_list dups = DEDUP_LIST_INIT;
  const char *zForce = NULL;
  int c, rc, line = 0;
  memset(&m, 0, sizeof m);
  while ((c = cli_getopt(cli, argc, argv, "", MEMBER_OPTS)) != -1) {
    switch (c) {
    case 'n': m.zName = optarg; break;
    case 's':
      if (cases_sex_parse("--sex", optarg, &m.sex, &err) != 0)
        return cli_fail(&err);
      break;
    case 'b': m.zBorn = optarg; break;
    case 'r':
      if ((rc = parse_rel(cli, optarg, &m.relationship)) != 0)
        return rc;
      break;
    case 'i': m.zNationalId = optarg; break;
    case 'p': m.zPhone = optarg; break;
    case 'd': m.disability = strcmp(optarg, "0") != 0; break;
    case 'f': zForce = optarg; break;
    default: return cli_usage(cli, "this option is not for member add");
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one registration number");
  if (!m.zName || !m.sex || !m.zBorn || !m.relationship)
    return cli_usage(cli, "give --name, --sex, --born and --relationship");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_member_add(cli->ctx, argv[optind], &m, zForce, &line, &dups,
                       &err) != 0) {
    if (err.code == SWS_EDUP) {
      fprintf(stderr, "sws: %s\n", err.msg);
      rc = report_dups(&dups, "add the member again");
    } else {
      rc = cli_fail(&err);
    }
    dedup_list_release(&dups);
    return rc;
  }
  dedup_list_release(&dups);
  printf("%s added to %s as member\n%d\n", m.zName, argv[optind], line);
  return EXIT_OK;
}

static const char zMemberEditUsage[] =
    "usage: sws member edit REGNO N [--name NAME] [--sex F|M] [--born DATE]\n"
    "           [--relationship REL [--previous-head-as REL]]\n"
    "           [--national-id ID] [--phone P] [--disability 0|1]\n"
    "           [--status active|left|deceased]\n"
    "\n"
    "Change member N of a household. To change the head of household, give\n"
    "the new head --relationship head and say what the present head becomes\n"
    "to them with --previous-head-as (spouse, parent, ...). --national-id \"\"\n"
    "and --phone \"\" clear them.\n";

static int cmd_member_edit(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct member_edit e = {NULL, 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  int64_t line;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", MEMBER_OPTS)) != -1) {
    switch (c) {
    case 'n': e.zName = optarg; break;
    case 's':
      if (cases_sex_parse("--sex", optarg, &e.sex, &err) != 0)
        return cli_fail(&err);
      break;
    case 'b': e.zBorn = optarg; break;
    case 'r':
      if ((rc = parse_rel(cli, optarg, &e.relationship)) != 0)
        return rc;
      break;
    case 'P':
      if ((rc = parse_rel(cli, optarg, &e.prev_head_rel)) != 0)
        return rc;
      break;
    case 'i': e.zNationalId = optarg; break;
    case 'p': e.zPhone = optarg; break;
    case 'd':
      if (strcmp(optarg, "0") && strcmp(optarg, "1"))
        return cli_usage(cli, "--disability is 0 or 1");
      e.disability = optarg[0] == '1';
      break;
    case 'S': e.zStatus = optarg; break;
    default: return cli_usage(cli, "this option is not for member edit");
    }
  }
  if (optind != argc - 2)
    return cli_usage(cli, "give the registration number and the member "
                     "number N");
  if (argc == 3) /* the number, N and no option */
    return cli_usage(cli, "nothing to change: give --name, --sex, --born, "
                     "--relationship, --national-id, --phone, --disability "
                     "or --status");
  if (sws_parse_int64("the member number", argv[optind + 1], 1, 1000, &line,
                      &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_member_edit(cli->ctx, argv[optind], (int)line, &e, &err) != 0)
    return cli_fail(&err);
  printf("member %d of %s changed\n", (int)line, argv[optind]);
  return EXIT_OK;
}

static const char zMemberMoveUsage[] =
    "usage: sws member move REGNO N --to REGNO2 --relationship REL\n"
    "\n"
    "Move member N of household REGNO to household REGNO2 (for example\n"
    "after a marriage), where they get the next member number and the\n"
    "relationship REL to its head. The head cannot move: make another\n"
    "member head first. Prints the new member number as the last line.\n";

static int cmd_member_move(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zTo = NULL;
  int64_t line;
  int c, rc, rel = 0, newLine = 0;
  while ((c = cli_getopt(cli, argc, argv, "", MEMBER_OPTS)) != -1) {
    switch (c) {
    case 't': zTo = optarg; break;
    case 'r':
      if ((rc = parse_rel(cli, optarg, &rel)) != 0)
        return rc;
      break;
    default: return cli_usage(cli, "this option is not for member move");
    }
  }
  if (optind != argc - 2)
    return cli_usage(cli, "give the registration number and the member "
                     "number N");
  if (zTo == NULL || rel == 0)
    return cli_usage(cli, "give --to REGNO2 and --relationship REL");
  if (sws_parse_int64("the member number", argv[optind + 1], 1, 1000, &line,
                      &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_member_move(cli->ctx, argv[optind], (int)line, zTo, rel,
                        &newLine, &err) != 0)
    return cli_fail(&err);
  printf("member %d of %s moved to %s\n%d\n", (int)line, argv[optind], zTo,
         newLine);
  return EXIT_OK;
}

const struct cmd cmds_household[] = {
    {"household add", cmd_household_add,
     "register a household (duplicate check first)", zAddUsage, 0, CAP_DESK},
    {"household show", cmd_household_show, "show a household and members",
     zShowUsage, 0, CAP_READ},
    {"household list", cmd_household_list, "list households", zListUsage, 0,
     CAP_READ},
    {"household edit", cmd_household_edit,
     "change a household's village, address or phone", zEditUsage, 0, CAP_DESK},
    {"household deactivate", cmd_household_deactivate,
     "deactivate a household (soft delete)", zDeactivateUsage, 0, CAP_DESK},
    {"household reactivate", cmd_household_reactivate, "reactivate a household",
     zReactivateUsage, 0, CAP_DESK},
    {"member add", cmd_member_add, "add a member to a household",
     zMemberAddUsage, 0, CAP_DESK},
    {"member edit", cmd_member_edit, "change a member (also: change the head)",
     zMemberEditUsage, 0, CAP_DESK},
    {"member move", cmd_member_move, "move a member to another household",
     zMemberMoveUsage, 0, CAP_DESK},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
