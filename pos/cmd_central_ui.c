/*
 * cmd_central_ui.c - the registry's web UI and its accounts: sws central
 * ui, central user add|list|disable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "pos/cli.h"
#include "pos/cmd_central.h"
#include "pos/ui_serve.h"
#include "pos/web/central_web.h"
#include "sync/central_account.h"

static const char zUserAddUsage[] =
    "usage: sws central user add LOGIN --role national|province|district\n"
    "           [--area CODE] (--db FILE | --pg URL)\n"
    "\n"
    "Create an account of the registry's web UI ('sws central ui'). A\n"
    "national officer sees the whole registry; a province or district\n"
    "officer only the area given with --area (the code of a province or\n"
    "district of the registry's areas, 'sws central area load'): its\n"
    "possible duplicates, its offices and their conflicts. The password (at\n"
    "least 12 characters) is the first line of standard input when that is\n"
    "not a terminal; otherwise it is asked for twice. It is stored as an\n"
    "argon2id hash. Recorded in the registry's log.\n";

static int cmd_central_user_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {"role", required_argument, 0, 'r'},
                                       {"area", required_argument, 0, 'a'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL, *zArea = NULL;
  struct central *c;
  int o, rc, role = 0;
  char *zPw = NULL;
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (o) {
    case 'd':
      zDb = optarg;
      break;
    case 'P':
      if ((o = cmd_central_pg_opt(cli, optarg, &zDb)) >= 0)
        return o;
      break;
    case 'r':
      if ((role = central_role_parse(optarg)) == 0)
        return cli_usage(cli, "--role must be national, province or "
                              "district");
      break;
    case 'a':
      zArea = optarg;
      break;
    default:
      return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one LOGIN");
  if (role == 0)
    return cli_usage(cli, "give the --role: national, province or district");
  if (role == CROLE_NATIONAL && zArea)
    return cli_usage(cli, "a national account sees the whole registry: "
                          "give no --area");
  if (role != CROLE_NATIONAL && zArea == NULL)
    return cli_usage(cli,
                     "a %s account sees one %s: give its code with "
                     "--area CODE",
                     central_role_name(role), central_role_name(role));
  if (sws_crypto_init(&err) != 0)
    return cli_fail(&err);
  if ((rc = cmd_central_open(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  if (cli_read_password(&zPw, "Password: ", 1, &err) != 0) {
    central_close(c);
    return cli_fail(&err);
  }
  rc = central_account_add(c, argv[optind], role, zArea, zPw, &err);
  memset(zPw, 0, strlen(zPw));
  free(zPw);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("registry account %s (%s%s%s) created\n", argv[optind],
         central_role_name(role), zArea ? " of " : "", zArea ? zArea : "");
  return EXIT_OK;
}

static const char zUserListUsage[] =
    "usage: sws central user list (--db FILE | --pg URL) [--json]\n"
    "\n"
    "List the accounts of the registry's web UI. --json prints an array of\n"
    "objects {login, role, area, area_name, active, created_at,\n"
    "created_by, disabled_at}.\n";

static int print_account(const struct central_account *u, void *arg)
{
  json_t *arr = arg;
  if (arr) {
    json_array_append_new(
        arr,
        json_pack("{s:s, s:s, s:s?, s:s?, s:b, s:s, s:s, s:s?}", "login",
                  u->zLogin, "role", central_role_name(u->role), "area",
                  u->zArea[0] ? u->zArea : NULL, "area_name",
                  u->zArea[0] ? u->zAreaName : NULL, "active", u->active,
                  "created_at", u->zCreatedAt, "created_by", u->zCreatedBy,
                  "disabled_at", u->zDisabledAt[0] ? u->zDisabledAt : NULL));
    return 0;
  }
  printf("%-16s %-9s %-10s %s%s\n", u->zLogin, central_role_name(u->role),
         u->zArea[0] ? u->zArea : "-", u->zAreaName,
         u->active ? "" : "  (disabled)");
  return 0;
}

static int cmd_central_user_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL;
  struct central *c;
  int rc, bJson = 0;
  if ((rc = cmd_central_store_opts(cli, argc, argv, &zDb, &bJson)) >= 0)
    return rc;
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = cmd_central_open(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  json_t *arr = bJson ? json_array() : NULL;
  rc = central_account_list(c, print_account, arr, &err);
  central_close(c);
  if (rc != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zUserDisableUsage[] =
    "usage: sws central user disable LOGIN (--db FILE | --pg URL)\n"
    "\n"
    "Disable an account of the registry's web UI: it can no longer log in,\n"
    "and a session it has open ends at its next request. Accounts are\n"
    "never deleted (the registry's log names them). Recorded in the log.\n";

static int cmd_central_user_disable(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  const char *zDb = NULL;
  struct central *c;
  int rc;
  if ((rc = cmd_central_store_opts(cli, argc, argv, &zDb, NULL)) >= 0)
    return rc;
  if (optind != argc - 1)
    return cli_usage(cli, "give one LOGIN");
  if ((rc = cmd_central_open(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  rc = central_account_disable(c, argv[optind], &err);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("registry account %s disabled\n", argv[optind]);
  return EXIT_OK;
}

static const char zCentralUiUsage[] =
    "usage: sws central ui (--db FILE | --pg URL)\n"
    "           [--listen HOST:PORT [--insecure-lan]] [--host NAME[:PORT]]...\n"
    "           [--lang en|km|mn] [--idle-minutes N] [--max-hours N]\n"
    "           [--cert PEM --key PEM]\n"
    "\n"
    "Serve the registry's web UI: possible duplicates across offices side\n"
    "by side with their decisions, sync conflicts, and the offices' sync\n"
    "state, for national, province and district officers, each seeing only\n"
    "their area. Log in with an account of 'sws central user add'. The\n"
    "options are those of 'sws ui': this computer only by default (an\n"
    "address other computers reach needs --cert and --key, or\n"
    "--insecure-lan). Sessions are kept in this process: stopping it logs\n"
    "everyone out. Stop with Ctrl+C.\n";

static int cmd_central_ui(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {UI_SERVE_OPTIONS,
                                       {"db", required_argument, 0, 'd'},
                                       {"pg", required_argument, 0, 'P'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct ui_serve u;
  const char *zDb = NULL;
  struct central *c;
  int o, rc;
  ui_serve_init(&u, "sws central ui");
  while ((o = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (o == 'd')
      zDb = optarg;
    else if (o == 'P') {
      if ((rc = cmd_central_pg_opt(cli, optarg, &zDb)) >= 0)
        return rc;
    } else if ((rc = ui_serve_opt(cli, &u, o, optarg)) >= 0)
      return rc ? rc : EXIT_USAGE;
  }
  if (optind < argc)
    return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
  if ((rc = ui_serve_check(cli, &u)) != EXIT_OK)
    return rc;
  if (sws_crypto_init(&err) != 0)
    return cli_fail(&err);
  if ((rc = cmd_central_open(cli, zDb, 0, NULL, &c)) != 0)
    return rc;
  web_i18n_init(NULL);
  struct cweb *cw = cweb_open(c, &u.cfg);
  rc = ui_serve_run(&u, cweb_web(cw), cweb_handler, cw, &err);
  cweb_close(cw);
  central_close(c);
  if (rc != 0)
    return cli_fail(&err);
  printf("sws central ui: stopped\n");
  return EXIT_OK;
}

const struct cmd cmds_central_ui[] = {
    {"central ui", cmd_central_ui, "serve the registry's web UI",
     zCentralUiUsage, 0, CAP_REGISTRY},
    {"central user add", cmd_central_user_add,
     "create an account of the registry's web UI", zUserAddUsage, 0, CAP_REGISTRY},
    {"central user list", cmd_central_user_list,
     "list the registry's web UI accounts", zUserListUsage, 0, CAP_REGISTRY},
    {"central user disable", cmd_central_user_disable,
     "disable an account of the registry's web UI", zUserDisableUsage, 0, CAP_REGISTRY},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
