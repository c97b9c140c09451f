/*
 * cmd_audit.c - sws audit verify, sws audit log.
 */
#include <string.h>

#include "cases/audit.h"
#include "cases/household.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zVerifyUsage[] =
    "usage: sws audit verify\n"
    "\n"
    "Check the whole hash chain of the audit log (and the record of changes\n"
    "each entry covers). Names the first broken row and exits with status 1\n"
    "when the log was altered.\n";

static void progress(int64_t done, int64_t total, void *arg)
{
  (void)arg;
  cli_progress("checking the audit log", done, total);
}

static int cmd_audit_verify(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  struct audit_verify v;
  int rc;
  if (argc > 1)
    return cli_usage(cli, "unexpected argument '%s'", argv[1]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  rc = cases_audit_verify(cli->ctx, &v, progress, NULL, &err);
  cli_progress_end();
  if (rc != 0)
    return cli_fail(&err);
  if (v.bad_id) {
    fprintf(stderr, "sws: the audit log is broken at row %lld: %s\n",
            (long long)v.bad_id, v.why);
    fprintf(stderr, "sws: rows from %lld on cannot be trusted; keep this "
            "database as evidence and tell your supervisor\n",
            (long long)v.bad_id);
    return EXIT_ERR;
  }
  printf("audit log intact: %lld rows\n", (long long)v.nRows);
  return EXIT_OK;
}

static const char zLogUsage[] =
    "usage: sws audit log [--entity REGNO|ID] [--limit N] [--json]\n"
    "\n"
    "Show the audit log, newest first: when, who, what, about which record.\n"
    "--entity shows only the entries about one household (by registration\n"
    "number) or record (by id). --json prints an array of objects {id, at,\n"
    "actor, action, entity, entity_id, detail}.\n";

struct log_arg {
  json_t *arr;
};

static int print_row(const struct audit_row *r, void *arg)
{
  struct log_arg *a = arg;
  if (a->arr)
    json_array_append_new(
        a->arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)r->id, "at", r->zAt, "actor",
                          r->zActor, "action", r->zAction, "entity",
                          r->zEntity, "entity_id", r->zEntityId, "detail",
                          r->zDetail));
  else
    printf("%6lld  %s  %-12s  %-20s  %s\n", (long long)r->id, r->zAt,
           r->zActor, r->zAction, r->zDetail);
  return 0;
}

static int cmd_audit_log(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"entity", required_argument, 0, 'e'},
                                       {"limit", required_argument, 0, 'l'},
                                       {"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct log_arg a = {NULL};
  const char *zEntity = NULL;
  char zId[SWS_UUID_LEN + 1];
  int64_t nLimit = 50;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'e': zEntity = optarg; break;
    case 'l':
      if (sws_parse_int64("--limit", optarg, 1, 100000000, &nLimit, &err)) {
        json_decref(a.arr);
        return cli_fail(&err);
      }
      break;
    case 'j': a.arr = a.arr ? a.arr : json_array(); break;
    default: json_decref(a.arr); return EXIT_USAGE;
    }
  }
  if ((rc = cli_open(cli)) != 0) {
    json_decref(a.arr);
    return rc;
  }
  if (zEntity && strlen(zEntity) != SWS_UUID_LEN) {
    if (cases_household_resolve(cli->ctx, zEntity, 0, zId, NULL, NULL,
                                &err) != 0) {
      json_decref(a.arr);
      return cli_fail(&err);
    }
    zEntity = zId;
  }
  if (cases_audit_list(cli->ctx, zEntity, nLimit, print_row, &a, &err)) {
    json_decref(a.arr);
    return cli_fail(&err);
  }
  return a.arr ? cli_json_print(a.arr) : EXIT_OK;
}

const struct cmd cmds_audit[] = {
    {"audit verify", cmd_audit_verify, "check the audit log's hash chain",
     zVerifyUsage, 0, CAP_JOBS},
    {"audit log", cmd_audit_log, "show the audit log", zLogUsage, 0, CAP_JOBS},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
