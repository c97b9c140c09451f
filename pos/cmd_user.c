/*
 * cmd_user.c - staff accounts: sws user add, list, password, deactivate,
 * activate.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/user.h"
#include "pos/cli.h"

static const char zAddUsage[] =
    "usage: sws user add LOGIN --role ROLE [--name NAME]\n"
    "\n"
    "Create a staff account. ROLE is front-desk, case-manager, supervisor\n"
    "or admin. The password (at least 12 characters) is the first line of\n"
    "standard input when that is not a terminal; otherwise it is asked for\n"
    "twice. It is stored as an argon2id hash.\n";

static int cmd_user_add(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"role", required_argument, 0, 'r'},
                                       {"name", required_argument, 0, 'n'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  const char *zName = "";
  int c, role = 0, rc;
  char *zPw = NULL;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'r':
      if ((role = cases_role_parse(optarg)) == 0)
        return cli_usage(cli, "--role must be front-desk, case-manager, "
                         "supervisor or admin");
      break;
    case 'n': zName = optarg; break;
    default: return EXIT_USAGE;
    }
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one LOGIN");
  if (role == 0)
    return cli_usage(cli, "give the --role");
  const char *zLogin = argv[optind];
  if (cases_login_check(zLogin, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cli_read_password(&zPw, "Password: ", 1, &err) != 0)
    return cli_fail(&err);
  rc = cases_user_add(cli->ctx, zLogin, role, zName, zPw, &err);
  memset(zPw, 0, strlen(zPw));
  free(zPw);
  if (rc != 0)
    return cli_fail(&err);
  printf("account %s (%s) created\n", zLogin, cases_role_name(role));
  return EXIT_OK;
}

static const char zListUsage[] =
    "usage: sws user list [--json]\n"
    "\n"
    "List the staff accounts. --json prints an array of objects {login,\n"
    "role, name, active, created_at}.\n";

static int print_user(const struct user *u, void *arg)
{
  json_t *arr = arg;
  if (arr)
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s}",
                                         "login", u->zLogin, "role",
                                         cases_role_name(u->role), "name",
                                         u->zName, "active", u->active,
                                         "created_at", u->zCreatedAt));
  else
    printf("%-16s %-13s %s%s\n", u->zLogin, cases_role_name(u->role),
           u->zName, u->active ? "" : "  (deactivated)");
  return 0;
}

static int cmd_user_list(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  int bJson, rc;
  if ((rc = cli_json_args(cli, argc, argv, 0, NULL, &bJson)) != 0 ||
      (rc = cli_open(cli)) != 0)
    return rc;
  json_t *arr = bJson ? json_array() : NULL;
  if (cases_user_list(cli->ctx, print_user, arr, &err) != 0) {
    json_decref(arr);
    return cli_fail(&err);
  }
  return arr ? cli_json_print(arr) : EXIT_OK;
}

static const char zPasswordUsage[] =
    "usage: sws user password LOGIN\n"
    "\n"
    "Set a new password for an account (read like 'sws user add' reads "
    "one).\nEvery open web session of the account ends with it.\n";

static int cmd_user_password(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  char *zPw = NULL;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one LOGIN");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cli_read_password(&zPw, "New password: ", 1, &err) != 0)
    return cli_fail(&err);
  rc = cases_user_set_password(cli->ctx, argv[1], zPw, &err);
  memset(zPw, 0, strlen(zPw));
  free(zPw);
  if (rc != 0)
    return cli_fail(&err);
  printf("password of %s changed\n", argv[1]);
  return EXIT_OK;
}

static int set_active(struct cli *cli, int argc, char **argv, int active)
{
  struct sws_err err = SWS_ERR_INIT;
  int rc;
  if (argc != 2)
    return cli_usage(cli, "give one LOGIN");
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (cases_user_set_active(cli->ctx, argv[1], active, &err) != 0)
    return cli_fail(&err);
  printf("account %s %s\n", argv[1], active ? "activated" : "deactivated");
  return EXIT_OK;
}

static const char zDeactivateUsage[] =
    "usage: sws user deactivate LOGIN\n"
    "\n"
    "Stop an account from logging in (accounts are never deleted, so the\n"
    "audit log keeps its meaning). Its open web sessions end.\n";

static int cmd_user_deactivate(struct cli *cli, int argc, char **argv)
{
  return set_active(cli, argc, argv, 0);
}

static const char zActivateUsage[] =
    "usage: sws user activate LOGIN\n"
    "\n"
    "Let a deactivated account log in again.\n";

static int cmd_user_activate(struct cli *cli, int argc, char **argv)
{
  return set_active(cli, argc, argv, 1);
}

const struct cmd cmds_user[] = {
    {"user add", cmd_user_add, "create a staff account", zAddUsage, 0,
     CAP_ADMIN},
    {"user list", cmd_user_list, "list the staff accounts", zListUsage, 0,
     CAP_JOBS},
    {"user password", cmd_user_password, "set an account's password",
     zPasswordUsage, 0, CAP_ADMIN},
    {"user deactivate", cmd_user_deactivate, "stop an account logging in",
     zDeactivateUsage, 0, CAP_ADMIN},
    {"user activate", cmd_user_activate, "let an account log in again",
     zActivateUsage, 0, CAP_ADMIN},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
