/*
 * cmd_maintain.c - sws maintain: the upkeep the web UI does between
 * requests, all at once, for an office that runs it nightly instead (cron
 * or a scheduled task) or has no UI running.
 */
#include <stdio.h>

#include "cases/maintain.h"
#include "cases/screening.h"
#include "core/clock.h"
#include "pos/cli.h"

static const char zUsage[] =
    "usage: sws maintain\n"
    "\n"
    "The upkeep the web UI does while idle, all at once: merge the name\n"
    "indexes, copy the write-ahead log back into the database, and keep\n"
    "each assessed household's screening against the programme catalogue\n"
    "(screening again those whose records, catalogue or ages changed), so\n"
    "that 'sws report' counts the coverage gap without screening them.\n"
    "Safe to run at any time, also while the office works; run it nightly\n"
    "where the web UI is not left running.\n";

static int cmd_maintain(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc, nScreened = 0;
  if (argc > 1)
    return cli_usage(cli, "unexpected argument '%s'", argv[1]);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  int64_t t0 = sws_mono_ms();
  if (cases_maintain_all(cli->ctx->db, &err) != 0 ||
      cases_screening_all(cli->ctx, &nScreened, &err) != 0)
    return cli_fail(&err);
  printf("indexes merged; %d household%s screened and kept (%.1f s)\n",
         nScreened, nScreened == 1 ? "" : "s",
         (double)(sws_mono_ms() - t0) / 1000.0);
  return EXIT_OK;
}

const struct cmd cmds_maintain[] = {
    {"maintain", cmd_maintain,
     "index and screening upkeep (nightly, where the UI is not running)",
     zUsage, 0, CAP_JOBS},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
