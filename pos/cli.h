/*
 * cli.h - the sws command line: the command table, the shared state of a
 * command run, and helpers every command uses (opening the database,
 * reporting errors, JSON output, reading a password, progress lines).
 *
 * Exit status: 0 success, 1 error, 2 usage error, 3 possible duplicates.
 */
#ifndef SWS_POS_CLI_H
#define SWS_POS_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "cases/ctx.h"
#include "cases/permit.h"

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2, EXIT_DUP = 3 };

struct cli {
  const char *zDb;      /* --db or SWS_DB */
  const char *zActor;   /* the account authenticated (--as, SWS_USER,
                           SWS_TOKEN), else "cli:<system login>" */
  int role;             /* its role, ROLE_SYSTEM for "cli:<system login>" */
  const char *zAs;      /* --as or SWS_USER as given (not yet checked) */
  struct sws_ctx *ctx;  /* opened by cli_open */
  const struct cmd *cmd;
  char zSystem[SWS_LOGIN_MAX];  /* "cli:<system login>" */
  char zAccount[SWS_LOGIN_MAX]; /* the authenticated login */
};

enum cmd_flags {
  CMD_HIDDEN = 1 << 0, /* not listed by 'sws help' (tests, demos) */
};

struct cmd {
  const char *zName;    /* "household add" */
  int (*fn)(struct cli *, int argc, char **argv);
  const char *zSummary; /* one line */
  const char *zUsage;   /* synopsis and options, man-page style */
  int flags;
  int cap; /* what it needs (enum permit_cap, cases/permit.h) */
};

/* Each cmd_*.c file exports a table ended by {NULL}. */
extern const struct cmd cmds_office[];
extern const struct cmd cmds_area[];
extern const struct cmd cmds_user[];
extern const struct cmd cmds_household[];
extern const struct cmd cmds_search[];
extern const struct cmd cmds_import[];
extern const struct cmd cmds_audit[];
extern const struct cmd cmds_demo[];
extern const struct cmd cmds_case[];
extern const struct cmd cmds_referral[];
extern const struct cmd cmds_grievance[];
extern const struct cmd cmds_receipt[];
extern const struct cmd cmds_assessment[];
extern const struct cmd cmds_programme[];
extern const struct cmd cmds_sync[];
extern const struct cmd cmds_central[];
extern const struct cmd cmds_central_grievance[];
extern const struct cmd cmds_ui[];
extern const struct cmd cmds_central_ui[];
extern const struct cmd cmds_report[];
extern const struct cmd cmds_maintain[];
extern const struct cmd cmds_duplicate[];
extern const struct cmd cmds_login[];

/* Call fn for every command (in table order). */
void cli_each_command(void (*fn)(const struct cmd *, void *), void *arg);
/* The command named by the first one to three words of argv, or NULL;
 * *pUsed gets how many words were used. */
const struct cmd *cli_find(int argc, char **argv, int *pUsed);

/* Run sws with argv (as main does); returns the exit status. */
int cli_main(int argc, char **argv);

/* Open the office database of cli->zDb into cli->ctx; prints the error. */
int cli_open(struct cli *cli);

/*
 * Who runs cli->cmd, and may they (pos/cli_who.c): with zAs (--as or
 * SWS_USER) or SWS_TOKEN, the staff account authenticated by a token
 * (SWS_TOKEN or the file sws login wrote) or its password (asked for, or
 * the first line of standard input); else the system user
 * "cli:<system login>". Then the command's capability is checked for that
 * role. Fills cli->zActor and cli->role; EXIT_OK, else the exit status
 * after the message.
 */
int cli_authenticate(struct cli *cli, const char *zAs);

/* The file where sws login keeps zLogin's token for this database, in a
 * folder only this system user may open (made when bMake). Caller frees. */
int cli_token_path(const struct cli *cli, const char *zLogin, int bMake,
                   char **out, struct sws_err *err);

/* The role of the acting user (enum user_role) for need-to-know: the
 * authenticated account's, else front-desk. */
int cli_role(struct cli *cli);

/* cli_open, then check that the acting user may see and work the case of
 * household zRegno (cases/access.h); prints why not (cmd_case.c). */
int cli_open_case(struct cli *cli, const char *zRegno);

/* Print "sws: MESSAGE" on stderr and return the exit status for err. */
int cli_fail(const struct sws_err *err);
/* Print a usage error (with the command's synopsis) and return 2. */
int cli_usage(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse argv with getopt_long; returns the option, -1 at the end, or '?'
 * after printing a usage error. Resets getopt for each command. */
int cli_getopt(struct cli *cli, int argc, char **argv, const char *zShort,
               const struct option *aLong);

/*
 * For a command whose one option is --json: read it into *pJson and check
 * that exactly nArgs arguments follow it (nArgs 1: zWhat names it, for
 * "give one registration number" when it is missing). 0, else the usage
 * exit status (2) after the message.
 */
int cli_json_args(struct cli *cli, int argc, char **argv, int nArgs,
                  const char *zWhat, int *pJson);

/*
 * The same for a command that also takes --lang en|km|mn (the language
 * of the texts its definitions give in several languages: explanations,
 * bands): *pzLang gets it, "en" when not given.
 */
int cli_json_lang_args(struct cli *cli, int argc, char **argv, int nArgs,
                       const char *zWhat, int *pJson, const char **pzLang);

/* 1 if "--help" or "-h" is among argv. */
int cli_wants_help(int argc, char **argv);

/* Print j as JSON (2-space indent) on stdout and release it. */
int cli_json_print(json_t *j);

/* Read a password: the first line of stdin when it is not a terminal,
 * else a prompt asked twice (bConfirm) with echo off. Caller frees. */
int cli_read_password(char **out, const char *zPrompt, int bConfirm,
                      struct sws_err *err);

/* Read a whole file (at most nMax bytes); caller frees *out. */
int cli_read_file(const char *zPath, size_t nMax, char **out, size_t *pn,
                  struct sws_err *err);
/* Write n bytes to zPath (atomically: a temp file then rename). */
int cli_write_file(const char *zPath, const void *p, size_t n,
                   struct sws_err *err);

/* A progress line on stderr, only when stderr is a terminal. */
void cli_progress(const char *zWhat, int64_t done, int64_t total);
void cli_progress_end(void);

/* zUtc (a stored time) as people read it, in the office's time zone
 * ("2026-03-09 16:00"), written into buf, which is returned. Text output
 * only: JSON keeps the stored UTC time. */
#define CLI_WHEN_MAX 40
const char *cli_when(char buf[CLI_WHEN_MAX], const char *zUtc);

#endif
