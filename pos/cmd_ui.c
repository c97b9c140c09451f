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
#include "pos/web/web.h"
#include "receipts/render.h"

static const char zUiUsage[] =
    "usage: sws ui [--listen HOST:PORT [--insecure-lan]] [--host "
    "NAME[:PORT]]...\n"
    "           [--lang en|km]\n"
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
    "  --lang en|km        language for officers who have not chosen one\n"
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

/* The Host names to accept, known once the server listens (port 0 picks
 * one): the listening address's, and the --host ones. */
static struct {
  char zHost[WEB_HOST_MAX];
  const char *azExtra[WEB_MAX_HOSTS];
  int nExtra;
} g_names;

static void ready(void *arg, struct httpd *h)
{
  struct web *w = arg;
  int port = httpd_port(h);
  web_allow_listen(w, g_names.zHost, port);
  for (int i = 0; i < g_names.nExtra; i++) {
    char z[WEB_HOST_MAX];
    if (strchr(g_names.azExtra[i], ':'))
      snprintf(z, sizeof z, "%s", g_names.azExtra[i]);
    else
      snprintf(z, sizeof z, "%s:%d", g_names.azExtra[i], port);
    web_allow_host(w, z);
  }
  printf("sws ui: serving on %s/ (Ctrl+C stops)\n", httpd_url(h));
  fflush(stdout);
}

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

/* Whether HOST:PORT listens on this computer only. */
static int loopback(const char *zListen)
{
  return strncmp(zListen, "127.", 4) == 0 ||
         strncmp(zListen, "localhost:", 10) == 0 ||
         strncmp(zListen, "[::1]:", 6) == 0;
}

static int cmd_ui(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"listen", required_argument, 0, 'l'},
      {"insecure-lan", no_argument, 0, 'I'},
      {"host", required_argument, 0, 'H'},
      {"lang", required_argument, 0, 'L'},
      {"idle-minutes", required_argument, 0, 'i'},
      {"max-hours", required_argument, 0, 'm'},
      {"cert", required_argument, 0, 'c'},
      {"key", required_argument, 0, 'k'},
      {"printer", required_argument, 0, 'p'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct web_config cfg;
  struct httpd_config hc;
  const char *azHost[WEB_MAX_HOSTS];
  int nHost = 0, c, rc, bInsecureLan = 0;
  int64_t v;
  memset(&cfg, 0, sizeof cfg);
  memset(&hc, 0, sizeof hc);
  hc.zListen = "127.0.0.1:8080";
  cfg.zLang = "en";
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'l': hc.zListen = optarg; break;
    case 'H':
      if (nHost == WEB_MAX_HOSTS - 3)
        return cli_usage(cli, "too many --host");
      azHost[nHost++] = optarg;
      break;
    case 'L':
      if (strcmp(optarg, "en") && strcmp(optarg, "km"))
        return cli_usage(cli, "--lang is en or km");
      cfg.zLang = optarg;
      break;
    case 'i':
      if (sws_parse_int64("--idle-minutes", optarg, 1, 24 * 60, &v, &err))
        return cli_fail(&err);
      cfg.idleMs = v * 60 * 1000;
      break;
    case 'm':
      if (sws_parse_int64("--max-hours", optarg, 1, 24 * 7, &v, &err))
        return cli_fail(&err);
      cfg.maxMs = v * 3600 * 1000;
      break;
    case 'c': hc.zCertFile = optarg; break;
    case 'k': hc.zKeyFile = optarg; break;
    case 'p': cfg.zPrinter = optarg; break;
    case 'I':
      bInsecureLan = 1;
      break;
    default: return EXIT_USAGE;
    }
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if (!loopback(hc.zListen) && !(hc.zCertFile && hc.zKeyFile)) {
    if (!bInsecureLan)
      return cli_usage(cli,
                       "--listen %s lets other computers connect: serve "
                       "HTTPS with --cert and --key, or passwords and "
                       "families' records cross the network as plain "
                       "text (--insecure-lan accepts that)",
                       hc.zListen);
    fprintf(stderr,
            "sws: warning: serving %s without HTTPS "
            "(--insecure-lan): passwords and families' records cross the "
            "network as plain text\n",
            hc.zListen);
  }
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (sws_crypto_init(&err) != 0)
    return cli_fail(&err);
  /* the log is copied back by upkeep(), not inside a registration */
  struct upkeep up = {NULL, 0, 0};
  if (db_exec(cli->ctx->db, "PRAGMA wal_autocheckpoint=0", &err) != 0 ||
      cases_open(&up.ctx, cli->ctx->db->zPath, 0, &err) != 0)
    return cli_fail(&err);
  hc.idle = upkeep;
  hc.idleArg = &up;
  if (web_i18n_init(NULL) == NULL)
    fprintf(stderr, "sws ui: note: no Khmer catalogue found (build it with "
            "make, or set SWS_LOCALEDIR); pages will be in English\n");
  hc.nMaxBody = WEB_MAX_BODY;
  hc.nMaxInflated = WEB_MAX_BODY;
  hc.timeoutSeconds = 30;
  /* the office's browsers need a few connections each; the limits bound
   * what a crowd of stalled clients can hold, and the header deadline
   * (core/httpd.h) closes each of them within seconds. Every browser on
   * the office computer shares its loopback address with anything else
   * running there, so the address's share is well above a few stalled
   * connections (16 held ones used to refuse the officers' own). */
  hc.maxConnections = 256;
  hc.maxPerIp = 128;
  struct web *w = web_open(cli->ctx, &cfg);
  {
    const char *z = hc.zListen;
    const char *colon = strrchr(z, ':');
    g_names.zHost[0] = '\0';
    if (colon && (size_t)(colon - z) < sizeof g_names.zHost) {
      memcpy(g_names.zHost, z, (size_t)(colon - z));
      g_names.zHost[colon - z] = '\0';
    }
    if (g_names.zHost[0] == '[') {
      memmove(g_names.zHost, g_names.zHost + 1, strlen(g_names.zHost));
      g_names.zHost[strcspn(g_names.zHost, "]")] = '\0';
    }
    for (int i = 0; i < nHost; i++)
      g_names.azExtra[i] = azHost[i];
    g_names.nExtra = nHost;
  }
  rc = httpd_run_until_signal(&hc, web_handler, w, ready, &err);
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
