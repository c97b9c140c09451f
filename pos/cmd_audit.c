/*
 * cmd_audit.c - sws audit verify, sws audit log.
 */
#include <string.h>

#include "cases/audit.h"
#include "cases/audit_records.h"
#include "cases/household.h"
#include "core/text.h"
#include "pos/cli.h"
#include "sync/office_audit.h"

static const char zVerifyUsage[] =
    "usage: sws audit verify [--records]\n"
    "\n"
    "Check the whole hash chain of the audit log (and the record of changes\n"
    "each entry covers), then that it still holds the head the central\n"
    "registry acknowledged at the last sync with the same hash: rows deleted\n"
    "from the end, or rewritten with every later hash recomputed, are found\n"
    "up to that head. Says how many rows came after it (checked against the\n"
    "registry only at the next sync). Names what is broken and exits with\n"
    "status 1 when the log was altered or the registry refused its head.\n"
    "\n"
    "--records also compares every record with the last change the outbox\n"
    "recorded for it, and names each field that differs: a record edited\n"
    "or inserted without an operation (its table's triggers dropped); and\n"
    "names recorded changes whose operation has no audit row (audit rows\n"
    "deleted). It reads every record: minutes on a large office.\n";

/* At most this many differing fields are named; the rest are counted. */
#define RECORDS_SHOWN 50

struct records_arg {
  int64_t n;
};

static int print_diff(const struct audit_record_diff *d, void *arg)
{
  struct records_arg *a = arg;
  if (a->n++ >= RECORDS_SHOWN)
    return 0;
  if (d->kind == AUDIT_DIFF_UNRECORDED)
    fprintf(stderr,
            "sws: %s %s has no recorded change: it was written "
            "without an operation\n",
            d->zEntity, d->zLabel);
  else if (d->kind == AUDIT_DIFF_UNAUDITED)
    fprintf(stderr,
            "sws: operation %s (by %s, at %s, changing %s %s) has "
            "no audit row: audit rows were deleted\n",
            d->zOpId, d->zOperator, d->zAt, d->zEntity, d->zLabel);
  else
    fprintf(stderr,
            "sws: %s %s: %s is %s but the last recorded change set "
            "%s (operation %s by %s, at %s)\n",
            d->zEntity, d->zLabel, d->zField, d->zNow ? d->zNow : "NULL",
            d->zRecorded ? d->zRecorded : "NULL", d->zOpId, d->zOperator,
            d->zAt);
  return 0;
}

static void progress(int64_t done, int64_t total, void *arg)
{
  (void)arg;
  cli_progress("checking the audit log", done, total);
}

static int cmd_audit_verify(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"records", no_argument, 0, 'r'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct sync_audit_check v;
  struct records_arg ra = {0};
  int64_t nRecords = 0;
  int c, rc, bad = 0, bRecords = 0;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'r':
      bRecords = 1;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  rc = sync_audit_check(cli->ctx, &v, progress, NULL, &err);
  cli_progress_end();
  if (rc == 0 && bRecords)
    rc = cases_audit_records(cli->ctx, print_diff, &ra, &nRecords, &err);
  if (rc != 0)
    return cli_fail(&err);
  if (ra.n > RECORDS_SHOWN)
    fprintf(stderr, "sws: ... and %lld more\n",
            (long long)(ra.n - RECORDS_SHOWN));
  if (ra.n > 0) {
    fprintf(stderr,
            "sws: %lld difference%s between the records, their "
            "recorded changes and the audit log; keep this database as "
            "evidence and tell your supervisor\n",
            (long long)ra.n, ra.n == 1 ? "" : "s");
    bad = 1;
  }
  if (v.chain.bad_id) {
    fprintf(stderr, "sws: the audit log is broken at row %lld: %s\n",
            (long long)v.chain.bad_id, v.chain.why);
    fprintf(stderr,
            "sws: rows from %lld on cannot be trusted; keep this "
            "database as evidence and tell your supervisor\n",
            (long long)v.chain.bad_id);
    bad = 1;
  }
  if (v.zAckBroken[0]) {
    fprintf(stderr,
            "sws: the audit log no longer holds the head the central "
            "registry acknowledged: %s; keep this database as evidence and "
            "tell your supervisor\n",
            v.zAckBroken);
    bad = 1;
  }
  if (v.zRefused[0]) {
    fprintf(stderr,
            "sws: at the last sync the central registry refused "
            "this audit log: %s\n",
            v.zRefused);
    bad = 1;
  }
  if (bad)
    return EXIT_ERR;
  printf("audit log intact: %lld rows\n", (long long)v.chain.nRows);
  if (bRecords)
    printf("records: all %lld hold the values their last recorded change "
           "set\n",
           (long long)nRecords);
  if (v.bAcked && v.acked.id > 0)
    printf("rows 1 to %lld match the head the central registry "
           "acknowledged on %s\n",
           (long long)v.acked.id, v.zAckedAt);
  else if (!v.bAcked)
    printf("no head acknowledged by the central registry yet: rows deleted "
           "from the end, or rewritten with their hashes recomputed, cannot "
           "be found offline\n");
  if (v.nAfter > 0 && v.bAcked)
    printf("rows after the last sync (%lld) cannot be checked against the "
           "registry until the next sync\n",
           (long long)v.nAfter);
  else if (v.nAfter > 0)
    printf("none of the %lld rows can be checked against the registry until "
           "the next sync\n",
           (long long)v.nAfter);
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
  else {
    char zWhen[CLI_WHEN_MAX];
    printf("%6lld  %s  %-12s  %-20s  %s\n", (long long)r->id,
           cli_when(zWhen, r->zAt), r->zActor, r->zAction, r->zDetail);
  }
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
