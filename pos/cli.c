/*
 * cli.c - command dispatch and shared command-line helpers (see cli.h).
 */
#include "pos/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cases/fsm.h"
#include "cases/grievance.h"
#include "cases/langtext.h"
#include "cases/plan.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/web/web.h"

static const struct cmd *const TABLES[] = {
    cmds_office,    cmds_area,    cmds_user,    cmds_household,  cmds_search,
    cmds_import,    cmds_audit,   cmds_demo,    cmds_case,       cmds_referral,
    cmds_grievance, cmds_sync,    cmds_central, cmds_assessment, cmds_programme,
    cmds_ui,        cmds_receipt, cmds_report,  cmds_maintain,   cmds_login,
    cmds_duplicate, cmds_central_grievance, cmds_central_ui,
};

void cli_each_command(void (*fn)(const struct cmd *, void *), void *arg)
{
  for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
    for (const struct cmd *c = TABLES[t]; c->zName; c++)
      fn(c, arg);
}

const struct cmd *cli_find(int argc, char **argv, int *pUsed)
{
  /* the longest name that matches: "user area add" before "user add" */
  for (int words = argc < 3 ? argc : 3; words >= 1; words--) {
    char zName[128] = "";
    size_t n = 0;
    int fits = 1;
    for (int w = 0; w < words && fits; w++) {
      int k = snprintf(zName + n, sizeof zName - n, "%s%s", w ? " " : "",
                       argv[w]);
      /* a long argument (a scanned receipt code) is no command's name:
       * try fewer words */
      fits = k >= 0 && (size_t)k < sizeof zName - n;
      if (fits)
        n += (size_t)k;
    }
    if (!fits)
      continue;
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
      for (const struct cmd *c = TABLES[t]; c->zName; c++)
        if (strcmp(c->zName, zName) == 0) {
          *pUsed = words;
          return c;
        }
  }
  return NULL;
}

int cli_fail(const struct sws_err *err)
{
  fprintf(stderr, "sws: %s\n", err->msg[0] ? err->msg : "failed");
  return err->code == SWS_EDUP ? EXIT_DUP : EXIT_ERR;
}

int cli_usage(const struct cli *cli, const char *fmt, ...)
{
  va_list ap;
  fputs("sws: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  if (cli->cmd)
    fprintf(stderr, "see 'sws %s --help'\n", cli->cmd->zName);
  return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return 1;
  }
  return 0;
}

int cli_getopt(struct cli *cli, int argc, char **argv, const char *zShort,
               const struct option *aLong)
{
  int c = getopt_long(argc, argv, zShort, aLong, NULL);
  if (c == '?' || c == ':') {
    cli_usage(cli, "bad option");
    return '?';
  }
  return c;
}

int cli_json_args(struct cli *cli, int argc, char **argv, int nArgs,
                  const char *zWhat, int *pJson)
{
  return cli_json_lang_args(cli, argc, argv, nArgs, zWhat, pJson, NULL);
}

/* pzLang NULL: --lang is not an option of the command. */
int cli_json_lang_args(struct cli *cli, int argc, char **argv, int nArgs,
                       const char *zWhat, int *pJson, const char **pzLang)
{
  static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                       {0, 0, 0, 0}};
  static const struct option langOpts[] = {{"json", no_argument, 0, 'j'},
                                           {"lang", required_argument, 0, 'l'},
                                           {0, 0, 0, 0}};
  int c;
  *pJson = 0;
  if (pzLang)
    *pzLang = "en";
  while ((c = cli_getopt(cli, argc, argv, "", pzLang ? langOpts : opts)) !=
         -1) {
    if (c == 'j')
      *pJson = 1;
    else if (c == 'l' && cases_langtext_known(optarg))
      *pzLang = optarg;
    else if (c == 'l')
      return cli_usage(cli, "--lang is en, km or mn, not '%s'", optarg);
    else
      return EXIT_USAGE;
  }
  if (argc - optind != nArgs)
    return nArgs == 0 ? cli_usage(cli, "unexpected argument '%s'",
                                  argv[optind])
                      : cli_usage(cli, "give one %s", zWhat);
  return 0;
}

int cli_json_print(json_t *j)
{
  int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(j);
  return rc == 0 ? EXIT_OK : EXIT_ERR;
}

static char *read_line(FILE *f)
{
  char *z = NULL;
  size_t cap = 0;
  ssize_t n = getline(&z, &cap, f);
  if (n < 0) {
    free(z);
    return NULL;
  }
  while (n > 0 && (z[n - 1] == '\n' || z[n - 1] == '\r'))
    z[--n] = '\0';
  return z;
}

static char *prompt_hidden(FILE *tty, const char *zPrompt)
{
  struct termios old, noecho;
  int fd = fileno(tty);
  fprintf(stderr, "%s", zPrompt);
  fflush(stderr);
  int bTerm = tcgetattr(fd, &old) == 0;
  if (bTerm) {
    noecho = old;
    noecho.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fd, TCSAFLUSH, &noecho);
  }
  char *z = read_line(tty);
  if (bTerm)
    tcsetattr(fd, TCSAFLUSH, &old);
  fputc('\n', stderr);
  return z;
}

int cli_read_password(char **out, const char *zPrompt, int bConfirm,
                      struct sws_err *err)
{
  *out = NULL;
  if (!isatty(STDIN_FILENO)) {
    char *z = read_line(stdin);
    if (z == NULL || z[0] == '\0') {
      free(z);
      return sws_err_set(err, SWS_EINVAL, "no password on standard input "
                         "(give it as the first line)");
    }
    *out = z;
    return SWS_OK;
  }
  FILE *tty = fopen("/dev/tty", "r+");
  if (tty == NULL)
    tty = stdin;
  char *a = prompt_hidden(tty, zPrompt);
  char *b = (a && bConfirm) ? prompt_hidden(tty, "Again: ") : NULL;
  if (tty != stdin)
    fclose(tty);
  if (a == NULL || (bConfirm && b == NULL)) {
    free(a);
    free(b);
    return sws_err_set(err, SWS_EINVAL, "no password given");
  }
  if (bConfirm && strcmp(a, b) != 0) {
    free(a);
    free(b);
    return sws_err_set(err, SWS_EINVAL, "the two passwords differ; try "
                       "again");
  }
  free(b);
  *out = a;
  return SWS_OK;
}

int cli_read_file(const char *zPath, size_t nMax, char **out, size_t *pn,
                  struct sws_err *err)
{
  struct stat st;
  int fd = open(zPath, O_RDONLY);
  *out = NULL;
  *pn = 0;
  if (fd < 0)
    return sws_err_set(err, SWS_EIO, "cannot open '%s': %s", zPath,
                       strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return sws_err_set(err, SWS_EIO, "'%s' is not a regular file", zPath);
  }
  if ((size_t)st.st_size > nMax) {
    close(fd);
    return sws_err_set(err, SWS_ETOOBIG, "'%s' is %lld bytes, more than the "
                       "limit of %zu; split it", zPath,
                       (long long)st.st_size, nMax);
  }
  size_t n = (size_t)st.st_size, got = 0;
  char *z = sws_malloc(n + 1);
  while (got < n) {
    ssize_t k = read(fd, z + got, n - got);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      free(z);
      close(fd);
      return sws_err_set(err, SWS_EIO, "cannot read '%s': %s", zPath,
                         k < 0 ? strerror(errno) : "file shrank");
    }
    got += (size_t)k;
  }
  close(fd);
  z[n] = '\0';
  *out = z;
  *pn = n;
  return SWS_OK;
}

int cli_write_file(const char *zPath, const void *p, size_t n,
                   struct sws_err *err)
{
  char *zTmp = sws_mprintf("%s.tmp-%ld", zPath, (long)getpid());
  /* owner only, whatever the umask: receipts, reports and exports name
   * people */
  int fd = open(zTmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int rc = SWS_OK;
  if (fd >= 0 && fchmod(fd, 0600) != 0) {
    close(fd);
    fd = -1;
  }
  if (fd < 0) {
    rc = sws_err_set(err, SWS_EIO, "cannot write '%s': %s", zPath,
                     strerror(errno));
    goto done;
  }
  size_t put = 0;
  while (put < n) {
    ssize_t k = write(fd, (const char *)p + put, n - put);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0) {
      rc = sws_err_set(err, SWS_EIO, "cannot write '%s': %s", zPath,
                       strerror(errno));
      break;
    }
    put += (size_t)k;
  }
  if (rc == 0 && fsync(fd) != 0)
    rc = sws_err_set(err, SWS_EIO, "cannot write '%s': %s", zPath,
                     strerror(errno));
  close(fd);
  if (rc == 0 && rename(zTmp, zPath) != 0)
    rc = sws_err_set(err, SWS_EIO, "cannot write '%s': %s", zPath,
                     strerror(errno));
  if (rc != 0)
    unlink(zTmp);
done:
  free(zTmp);
  return rc;
}

static int g_progress_shown;

void cli_progress(const char *zWhat, int64_t done, int64_t total)
{
  if (!isatty(STDERR_FILENO))
    return;
  if (total > 0)
    fprintf(stderr, "\r%s: %lld of %lld (%d%%)   ", zWhat, (long long)done,
            (long long)total, (int)(100 * done / total));
  else
    fprintf(stderr, "\r%s: %lld   ", zWhat, (long long)done);
  fflush(stderr);
  g_progress_shown = 1;
}

void cli_progress_end(void)
{
  if (g_progress_shown) {
    fputc('\n', stderr);
    g_progress_shown = 0;
  }
}

int cli_role(struct cli *cli)
{
  /* the system user sees no more than the front desk */
  return cli->role == ROLE_SYSTEM ? ROLE_FRONT_DESK : cli->role;
}

int cli_open(struct cli *cli)
{
  struct sws_err err = SWS_ERR_INIT;
  if (cli->ctx)
    return EXIT_OK;
  if (cases_open(&cli->ctx, cli->zDb, 0, &err) != 0)
    return cli_fail(&err);
  if (cli->ctx->db->bReadOnly)
    fprintf(stderr,
            "sws: note: '%s' cannot be written here (the file or "
            "its folder is read-only): opened read-only; a command that "
            "changes something is refused\n",
            cli->zDb);
  cases_set_actor(cli->ctx, cli->zActor);
  return EXIT_OK;
}

/* ---- help ---- */

static const char zMainUsage[] =
    "usage: sws [--db FILE] [--as LOGIN] COMMAND [ARGS]\n"
    "\n"
    "Single Window Service point of service: registration, search, receipts,\n"
    "case management and sync for social protection one-stop shops.\n"
    "\n"
    "  --db FILE     the office database (default: $SWS_DB, else sws.db)\n"
    "  --as LOGIN    act as this staff account (default: $SWS_USER): its\n"
    "                token from 'sws login' ($SWS_TOKEN or the file sws\n"
    "                login wrote), else its password (asked for, or the\n"
    "                first line of standard input). Without an account sws\n"
    "                acts as cli:<your system login>, which may read and\n"
    "                run the office's jobs but takes no staff decision\n"
    "  SWS_NOW       fixes the clock (ISO 8601), for tests and demos\n"
    "  SWS_LANG      km or mn: error messages in Khmer or Mongolian\n"
    "\n"
    "Commands:\n";

static void list_one(const struct cmd *c, void *arg)
{
  (void)arg;
  if (!(c->flags & CMD_HIDDEN))
    printf("  %-20s %s\n", c->zName, c->zSummary);
}

/* Who may run c, for its help: "supervisor", "case-manager or supervisor,
 * or the system user (no account)". */
static void print_who(const struct cmd *c)
{
  int cap = c->cap;
  int bSystem = cap != CAP_PUBLIC && cap != CAP_REGISTRY &&
                cases_permit_allows(ROLE_SYSTEM, cap);
  printf("Who: %s%s.\n", cases_permit_roles(cap),
         bSystem ? "; also the system user cli:NAME (no account)" : "");
}

static void markdown_one(const struct cmd *c, void *arg)
{
  const char **pzLast = arg; /* commands sharing one usage text: once */
  if (c->flags & CMD_HIDDEN)
    return;
  printf("### sws %s\n\n%s%s\n", c->zName, c->zSummary,
         *pzLast == c->zUsage ? " (usage as above)." : ".");
  print_who(c);
  if (*pzLast == c->zUsage) {
    putchar('\n');
    return;
  }
  *pzLast = c->zUsage;
  printf("\n```\n%s```\n\n", c->zUsage);
}

/* One state machine as a markdown table: a row per state, a column per
 * event, the state it leads to (or "-" where the event is refused). */
static void markdown_fsm(const struct fsm *m)
{
  const char *azState[16], *azEvent[16];
  int nState = 0, nEvent = 0;
  azState[nState++] = m->zInitial;
  for (int i = 0; i < m->n; i++) {
    const char *az[2] = {m->a[i].zFrom, m->a[i].zTo};
    for (int k = 0; k < 2; k++) {
      int dup = 0;
      for (int j = 0; j < nState; j++)
        dup |= strcmp(azState[j], az[k]) == 0;
      if (!dup && nState < 16)
        azState[nState++] = az[k];
    }
    int dup = 0;
    for (int j = 0; j < nEvent; j++)
      dup |= strcmp(azEvent[j], m->a[i].zEvent) == 0;
    if (!dup && nEvent < 16)
      azEvent[nEvent++] = m->a[i].zEvent;
  }
  printf("## %s\n\nA new %s is **%s**.\n\n| state |", m->zName, m->zName,
         m->zInitial);
  for (int e = 0; e < nEvent; e++)
    printf(" %s |", azEvent[e]);
  printf("\n|---|");
  for (int e = 0; e < nEvent; e++)
    printf("---|");
  putchar('\n');
  for (int s = 0; s < nState; s++) {
    printf("| **%s** |", azState[s]);
    for (int e = 0; e < nEvent; e++) {
      const char *zTo = fsm_next(m, azState[s], azEvent[e]);
      printf(" %s |", zTo ? zTo : "-");
    }
    putchar('\n');
  }
  putchar('\n');
}

static void print_help(const struct cmd *c)
{
  printf("sws %s - %s\n\n%s\n", c->zName, c->zSummary, c->zUsage);
  print_who(c);
}

int cli_main(int argc, char **argv)
{
  struct cli cli;
  struct sws_err err = SWS_ERR_INIT;
  int i = 1, rc;
  memset(&cli, 0, sizeof cli);
  cli.zDb = getenv("SWS_DB");
  if (cli.zDb == NULL || *cli.zDb == '\0')
    cli.zDb = "sws.db";
  cli.zAs = getenv("SWS_USER");
  while (i < argc && argv[i][0] == '-') {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      cli.zDb = argv[i + 1];
      i += 2;
    } else if (strncmp(argv[i], "--db=", 5) == 0) {
      cli.zDb = argv[i] + 5;
      i++;
    } else if (strcmp(argv[i], "--as") == 0 && i + 1 < argc) {
      cli.zAs = argv[i + 1];
      i += 2;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(zMainUsage, stdout);
      cli_each_command(list_one, NULL);
      printf("\n'sws COMMAND --help' tells more about each.\n");
      return EXIT_OK;
    } else if (strcmp(argv[i], "--version") == 0) {
      printf("sws 0.1\n");
      return EXIT_OK;
    } else {
      fprintf(stderr, "sws: unknown option '%s' (see 'sws --help')\n",
              argv[i]);
      return EXIT_USAGE;
    }
  }
  {
    /* the effective user: $USER is whatever the caller set */
    struct passwd *pw = getpwuid(geteuid());
    snprintf(cli.zSystem, sizeof cli.zSystem, "cli:%.59s",
             pw ? pw->pw_name : "unknown");
    cli.zActor = cli.zSystem;
  }
  if (i >= argc) {
    fputs(zMainUsage, stderr);
    return EXIT_USAGE;
  }
  if (strcmp(argv[i], "help") == 0 && i + 1 < argc &&
      strcmp(argv[i + 1], "--markdown") == 0) {
    /* docs/commands.md is this output (make docs; checked by the tests) */
    printf("# sws command reference\n\n"
           "Generated from the commands' own help by `make docs`; do not "
           "edit.\nEvery command also answers `--help`. Exit status: 0 "
           "success, 1 error,\n2 usage error, 3 possible duplicates (nothing "
           "saved).\n\n```\n%s```\n\n",
           zMainUsage);
    const char *zLast = NULL;
    cli_each_command(markdown_one, &zLast);
    return EXIT_OK;
  }
  if (strcmp(argv[i], "help") == 0 && i + 1 < argc &&
      strcmp(argv[i + 1], "--states") == 0) {
    /* docs/state-machines.md is this output (make docs) */
    printf("# State machines\n\n"
           "Generated from the tables in the code by `make docs`; do not "
           "edit.\nRows are the state a record is in, columns the event; "
           "a cell is the\nstate the event leads to, \"-\" where sws "
           "refuses it (and, for events\nthat arrive by sync, keeps it "
           "marked not valid).\n\n");
    markdown_fsm(cases_referral_fsm());
    markdown_fsm(cases_grievance_fsm());
    printf("Escalation (`escalated`) and appeal (`appealed`) also move the "
           "grievance one\nlayer up (commune, district, province, "
           "national); at the top layer they\nare refused.\n\n");
    markdown_fsm(cases_plan_action_fsm());
    return EXIT_OK;
  }
  if (strcmp(argv[i], "help") == 0) {
    int used;
    const struct cmd *c =
        i + 1 < argc ? cli_find(argc - i - 1, argv + i + 1, &used) : NULL;
    if (c) {
      print_help(c);
      return EXIT_OK;
    }
    fputs(zMainUsage, stdout);
    cli_each_command(list_one, NULL);
    return i + 1 < argc ? EXIT_USAGE : EXIT_OK;
  }
  if (sws_clock_check_env(&err) != 0)
    return cli_fail(&err);
  const char *zLang = getenv("SWS_LANG");
  if (zLang && *zLang && strcmp(zLang, "en") != 0 &&
      web_err_translate_to(zLang) == NULL)
    fprintf(stderr,
            "sws: SWS_LANG '%.20s' is not a language with a "
            "catalogue here (km, mn); messages stay in English\n",
            zLang);
  int used = 0;
  const struct cmd *c = cli_find(argc - i, argv + i, &used);
  if (c == NULL) {
    fprintf(stderr, "sws: no command '%s'; see 'sws --help'\n", argv[i]);
    return EXIT_USAGE;
  }
  cli.cmd = c;
  /* argv for the command: its name, then its arguments */
  int cargc = argc - i - used + 1;
  char **cargv = argv + i + used - 1;
  if (cli_wants_help(cargc, cargv)) {
    print_help(c);
    return EXIT_OK;
  }
  if ((rc = cli_authenticate(&cli, cli.zAs)) != EXIT_OK) {
    cases_close(cli.ctx);
    return rc;
  }
  optind = 0;
  rc = c->fn(&cli, cargc, cargv);
  fflush(stdout);
  cases_close(cli.ctx);
  return rc;
}

const char *cli_when(char buf[CLI_WHEN_MAX], const char *zUtc)
{
  sws_time_local(buf, CLI_WHEN_MAX, zUtc);
  return buf;
}
