/*
 * cmd_login.c - sws login and sws logout: a staff account's short-lived
 * token for the command line, so an officer types the password once a
 * day, not for every command (pos/cli_who.c reads it back).
 */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/login.h"
#include "cases/token.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"

static const char zLoginUsage[] =
    "usage: sws login LOGIN [--hours N] [--print]\n"
    "\n"
    "Check LOGIN's password once and keep a login token for this office\n"
    "database, so that 'sws --as LOGIN ...' (or SWS_USER=LOGIN) needs no\n"
    "password until it expires (after 8 hours, or --hours N, at most 24),\n"
    "the account is deactivated, or 'sws logout LOGIN' ends it. The password\n"
    "is asked for without echo, or is the first line of standard input when\n"
    "that is not a terminal; wrong ones count toward the same wait as the\n"
    "web UI's. The token is kept in a file only this system user may read\n"
    "($XDG_RUNTIME_DIR/sws, else ~/.cache/sws); the database keeps only its\n"
    "SHA-256.\n"
    "\n"
    "  --print      print the token instead, for scripts:\n"
    "               export SWS_TOKEN=$(sws login LOGIN --print)\n";

static int cmd_login(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {{"hours", required_argument, 0, 'h'},
                                       {"print", no_argument, 0, 'p'},
                                       {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  char zTok[CASES_TOKEN_CHARS + 1], zUntil[32], *zPw = NULL, *zPath = NULL;
  int64_t hours = CASES_TOKEN_HOURS;
  int c, bPrint = 0, rc;
  struct user u;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    if (c == 'p')
      bPrint = 1;
    else if (c != 'h')
      return EXIT_USAGE;
    else if (sws_parse_int64("--hours", optarg, 1, 24, &hours, &err) != 0)
      return cli_usage(cli, "%s", err.msg);
  }
  if (optind != argc - 1)
    return cli_usage(cli, "give one LOGIN");
  const char *zLogin = argv[optind];
  if (cases_login_check(zLogin, &err) != 0)
    return cli_fail(&err);
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (!bPrint && cli_token_path(cli, zLogin, 1, &zPath, &err) != 0)
    return cli_fail(&err);
  char *zPrompt = sws_mprintf("Password for %s: ", zLogin);
  rc = cli_read_password(&zPw, zPrompt, 0, &err);
  free(zPrompt);
  if (rc == 0) {
    char *zDetail = sws_mprintf("at the command line, by %s", cli->zSystem);
    rc = cases_login_password(cli->ctx, zLogin, zPw, NULL, "cli", zDetail, &u,
                              NULL, &err);
    free(zDetail);
    sodium_memzero(zPw, strlen(zPw));
    free(zPw);
  }
  if (rc == 0) {
    cases_set_actor(cli->ctx, u.zLogin);
    rc = cases_token_issue(cli->ctx, u.zLogin, hours * 3600 * 1000,
                           cli->zSystem, zTok, &err);
  }
  if (rc == 0 && bPrint)
    printf("%s\n", zTok);
  else if (rc == 0)
    rc = cli_write_file(zPath, zTok, strlen(zTok), &err);
  sodium_memzero(zTok, sizeof zTok);
  if (rc != 0) {
    free(zPath);
    return cli_fail(&err);
  }
  sws_time_format(zUntil, sizeof zUntil, sws_now_ms() + hours * 3600 * 1000);
  char zWhen[CLI_WHEN_MAX];
  fprintf(stderr, "logged in as %s (%s) until %s%s%s\n", u.zLogin,
          cases_role_name(u.role), cli_when(zWhen, zUntil),
          bPrint ? "" : "; the token is in ", bPrint ? "" : zPath);
  free(zPath);
  return EXIT_OK;
}

static const char zLogoutUsage[] =
    "usage: sws logout [LOGIN]\n"
    "\n"
    "End a login token: the one sws login kept for LOGIN on this office\n"
    "database, whose file is removed; without LOGIN, the one in SWS_TOKEN,\n"
    "else the file of --as LOGIN (or SWS_USER).\n";

static int cmd_logout(struct cli *cli, int argc, char **argv)
{
  struct sws_err err = SWS_ERR_INIT;
  char zTok[CASES_TOKEN_CHARS + 2] = "", *zPath = NULL, *zFile = NULL;
  const char *zToken = getenv("SWS_TOKEN");
  const char *zLogin = cli->zAs;
  size_t n = 0;
  int rc;
  if (argc > 2)
    return cli_usage(cli, "give at most one LOGIN");
  if (argc == 2) { /* a LOGIN named here: its file, whatever SWS_TOKEN is */
    zLogin = argv[1];
    zToken = NULL;
  }
  if ((rc = cli_open(cli)) != 0)
    return rc;
  if (zToken == NULL || *zToken == '\0') {
    if (zLogin == NULL || *zLogin == '\0')
      return cli_usage(cli, "give the LOGIN whose token to end (or set "
                            "SWS_TOKEN)");
    if (cli_token_path(cli, zLogin, 0, &zPath, &err) != 0)
      return cli_fail(&err);
    if (access(zPath, F_OK) != 0) {
      fprintf(stderr, "sws: '%s' is not logged in here (no %s)\n", zLogin,
              zPath);
      free(zPath);
      return EXIT_ERR;
    }
    if (cli_read_file(zPath, sizeof zTok - 1, &zFile, &n, &err) == 0) {
      sws_strlcpy(zTok, zFile, sizeof zTok);
      zTok[strcspn(zTok, "\r\n")] = '\0';
      sodium_memzero(zFile, n);
      free(zFile);
    }
    zToken = zTok;
  }
  rc = cases_token_end(cli->ctx, zToken, &err);
  sodium_memzero(zTok, sizeof zTok);
  /* the file goes even when its token had already expired */
  if (zPath && unlink(zPath) != 0 && errno != ENOENT && rc == 0)
    rc = sws_err_set(&err, SWS_EIO, "cannot remove '%s': %s", zPath,
                     strerror(errno));
  free(zPath);
  if (rc != 0 && rc != SWS_ENOTFOUND)
    return cli_fail(&err);
  fprintf(stderr, rc == 0 ? "logged out\n" : "sws: %s; nothing to end\n",
          err.msg);
  return EXIT_OK;
}

const struct cmd cmds_login[] = {
    {"login", cmd_login, "check a staff password once and keep a token",
     zLoginUsage, 0, CAP_PUBLIC},
    {"logout", cmd_logout, "end a login token", zLogoutUsage, 0, CAP_PUBLIC},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
