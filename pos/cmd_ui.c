/*
 * cmd_ui.c - sws ui: serve the front-desk web UI (pos/web/) on this
 * computer, like `fossil ui`.
 */
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cases/maintain.h"
#include "cases/screening.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"
#include "pos/cli.h"
#include "pos/ui_serve.h"
#include "pos/web/web.h"
#include "receipts/render.h"

static const char zUiUsage[] =
    "usage: sws ui [--listen HOST:PORT [--insecure-lan]] [--host "
    "NAME[:PORT]]...\n"
    "           [--lang en|km|mn]\n"
    "           [--idle-minutes N] [--max-hours N] [--cert PEM --key PEM]\n"
    "           [--printer DEVICE]\n"
    "\n"
    "Serve the web UI for the front desk and case managers: search, register\n"
    "households (duplicates shown side by side), households, cases and\n"
    "plans, referrals, grievances, review queues and sync status. Open the\n"
    "URL it prints in a browser and log in with an sws account.\n"
    "\n"
    "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080: this\n"
    "                      computer only). An address such as 0.0.0.0:8080\n"
    "                      lets other computers of the office connect: use\n"
    "                      --cert and --key then, and --host with the name\n"
    "                      they use.\n"
    "  --host NAME[:PORT]  another name the browser may use for this server\n"
    "                      (the Host header is checked: DNS rebinding)\n"
    "  --lang en|km|mn     language for officers who have not chosen one\n"
    "                      (default en; each officer can switch)\n"
    "  --idle-minutes N    log out after N minutes without use (default 30)\n"
    "  --max-hours N       log out N hours after login at the latest\n"
    "                      (default 12)\n"
    "  --cert, --key       serve HTTPS with this certificate and key\n"
    "                      (needed with an address other computers reach)\n"
    "  --insecure-lan      serve such an address without HTTPS anyway\n"
    "                      (passwords cross the network as plain text)\n"
    "  --printer DEVICE    the receipt printer's device (e.g. /dev/usb/lp0)\n"
    "\n"
    "Pages are in English or Khmer. The Khmer catalogue is found in\n"
    "$SWS_LOCALEDIR, beside the binary (build/locale when run from the\n"
    "repository) or in /usr/local/share/locale. Stop with Ctrl+C.\n";

/* Index upkeep and the kept screenings (screening.h) on a connection of
 * their own, between requests (maintain.h): a few short steps a second,
 * so a request waits for one step at most. Screening is looked for again
 * a minute after a step found nothing to do (finding that out reads every
 * assessed household's kept screening: tens of milliseconds at a million
 * people). */
#define UPKEEP_SCREEN_PAUSE_MS 60000
struct upkeep {
  struct sws_ctx *ctx;
  int bWarned;
  int64_t nextScreenMs;
};

static void upkeep(void *arg)
{
  struct upkeep *u = arg;
  struct sws_err err = SWS_ERR_INIT;
  int bMore = 1, bScreen = 1, i;
  for (i = 0; i < 8 && bMore; i++) {
    if (cases_maintain_step(u->ctx->db, MAINTAIN_STEP_PAGES, &bMore, &err) != 0)
      goto failed;
  }
  if (bMore || sws_mono_ms() < u->nextScreenMs)
    return;
  for (; i < 8 && bScreen; i++)
    if (cases_screening_step(u->ctx, SCREENING_STEP_HOUSEHOLDS, NULL, &bScreen,
                             &err) != 0)
      goto failed;
  if (!bScreen)
    u->nextScreenMs = sws_mono_ms() + UPKEEP_SCREEN_PAUSE_MS;
  return;
failed:
  if (!u->bWarned++)
    fprintf(stderr,
            "sws ui: note: upkeep failed (%s); it is tried again "
            "every second\n",
            err.msg);
}

static int cmd_ui(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      UI_SERVE_OPTIONS, {"printer", required_argument, 0, 'p'}, {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct ui_serve u;
  int c, rc;
  ui_serve_init(&u, "sws ui");
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'p')
      u.cfg.zPrinter = optarg;
    else if ((rc = ui_serve_opt(cli, &u, c, optarg)) >= 0)
      return rc ? rc : EXIT_USAGE;
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = ui_serve_check(cli, &u)) != EXIT_OK || (rc = cli_open(cli)) != 0)
    return rc;
  if (sws_crypto_init(&err) != 0)
    return cli_fail(&err);
  /* the log is copied back by upkeep(), not inside a registration */
  struct upkeep up = {NULL, 0, 0};
  if (db_exec(cli->ctx->db, "PRAGMA wal_autocheckpoint=0", &err) != 0 ||
      cases_open(&up.ctx, cli->ctx->db->zPath, 0, &err) != 0)
    return cli_fail(&err);
  u.hc.idle = upkeep;
  u.hc.idleArg = &up;
  if (web_i18n_init(NULL) == NULL)
    fprintf(stderr, "sws ui: note: no Khmer catalogue found (build it with "
            "make, or set SWS_LOCALEDIR); pages will be in English\n");
  struct web *w = web_open(cli->ctx, &u.cfg);
  rc = ui_serve_run(&u, w, web_handler, w, &err);
  web_close(w);
  cases_close(up.ctx);
  receipt_render_shutdown(); /* the fonts of the receipts printed */
  if (rc != 0)
    return cli_fail(&err);
  printf("sws ui: stopped\n");
  return EXIT_OK;
}

const struct cmd cmds_ui[] = {
    {"ui", cmd_ui, "serve the web UI for the front desk", zUiUsage, 0,
     CAP_PUBLIC},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
