/*
 * test_cli.c - the command table: every command has a summary, usage text
 * that starts with its own synopsis, a unique name, and an entry in the
 * user guide (docs/commands.md), so help and docs cannot drift apart.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/user.h"
#include "pos/cli.h"

static char *g_docs;

static void load_docs(void)
{
  FILE *f = fopen("docs/commands.md", "r");
  if (f == NULL)
    return;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  g_docs = malloc((size_t)n + 1);
  size_t got = fread(g_docs, 1, (size_t)n, f);
  g_docs[got] = '\0';
  fclose(f);
}

struct check {
  int nCommands;
  char names[200][64];
};

static void check_one(const struct cmd *c, void *arg)
{
  struct check *k = arg;
  char zHead[96], zSynopsis[96];
  CU_ASSERT_PTR_NOT_NULL_FATAL(c->zSummary);
  CU_ASSERT_PTR_NOT_NULL_FATAL(c->zUsage);
  CU_ASSERT(strlen(c->zSummary) > 5);
  /* what it needs, from the one table the web UI reads too */
  if (c->cap <= CAP_NONE || c->cap >= CAP_COUNT)
    fprintf(stderr, "\n  '%s' has no capability\n", c->zName);
  CU_ASSERT(c->cap > CAP_NONE && c->cap < CAP_COUNT);
  /* the first line is the synopsis: "usage: sws", then every word of the
   * name (several commands may share one: "referral send|accept ...") */
  const char *zEol = strchr(c->zUsage, '\n');
  size_t nLine = zEol ? (size_t)(zEol - c->zUsage) : strlen(c->zUsage);
  snprintf(zSynopsis, sizeof zSynopsis, "%.*s", (int)nLine, c->zUsage);
  int ok = strncmp(zSynopsis, "usage: sws ", 11) == 0;
  char zWords[64];
  snprintf(zWords, sizeof zWords, "%s", c->zName);
  char *save = NULL;
  for (char *w = strtok_r(zWords, " ", &save); w && ok;
       w = strtok_r(NULL, " ", &save))
    ok = strstr(zSynopsis, w) != NULL;
  if (!ok)
    fprintf(stderr, "\n  the usage of '%s' does not start with its "
            "synopsis\n", c->zName);
  CU_ASSERT(ok);
  for (int i = 0; i < k->nCommands; i++)
    CU_ASSERT_STRING_NOT_EQUAL(k->names[i], c->zName);
  if (k->nCommands < 200)
    snprintf(k->names[k->nCommands++], 64, "%s", c->zName);
  if (c->flags & CMD_HIDDEN)
    return;
  snprintf(zHead, sizeof zHead, "### sws %s", c->zName);
  if (g_docs == NULL || strstr(g_docs, zHead) == NULL)
    fprintf(stderr, "\n  docs/commands.md has no '%s'\n", zHead);
  CU_ASSERT_PTR_NOT_NULL(g_docs ? strstr(g_docs, zHead) : NULL);
}

static void test_cli__every_command_has_help_and_docs(void)
{
  struct check k;
  memset(&k, 0, sizeof k);
  load_docs();
  CU_ASSERT_PTR_NOT_NULL_FATAL(g_docs);
  cli_each_command(check_one, &k);
  CU_ASSERT(k.nCommands >= 20);
  free(g_docs);
  g_docs = NULL;
}

static void test_cli__finds_two_word_commands(void)
{
  char *argv[] = {"household", "add", "--area", "X"};
  int used = 0;
  const struct cmd *c = cli_find(4, argv, &used);
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  CU_ASSERT_STRING_EQUAL(c->zName, "household add");
  CU_ASSERT_EQUAL(used, 2);
  char *argv2[] = {"search", "Sok", "Dara"};
  c = cli_find(3, argv2, &used);
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  CU_ASSERT_STRING_EQUAL(c->zName, "search");
  CU_ASSERT_EQUAL(used, 1);
  char *argv3[] = {"nonsense"};
  CU_ASSERT_PTR_NULL(cli_find(1, argv3, &used));
}

/* The command named zName ("enrolment decide"). */
static const struct cmd *find_named(const char *zName)
{
  char z[64], *argv[3], *save = NULL;
  int n = 0, used;
  snprintf(z, sizeof z, "%s", zName);
  for (char *w = strtok_r(z, " ", &save); w && n < 3;
       w = strtok_r(NULL, " ", &save))
    argv[n++] = w;
  const struct cmd *c = cli_find(n, argv, &used);
  return c && strcmp(c->zName, zName) == 0 ? c : NULL;
}

/* The staff decisions the system user (no account) must not take, and
 * the jobs it must keep running unattended. */
static void test_cli__system_user_takes_no_staff_decision(void)
{
  static const char *const azStaff[] = {
      "enrolment decide", "enrol",        "household add", "household edit",
      "member move",      "case open",    "case note",     "case assign",
      "assessment add",   "referral add", "grievance add", "grievance answer",
      "grievance close",  "sync resolve", "user add",      "user password",
      "receipt print",    "import",       "plan set",      "user area add",
      "programme load"};
  static const char *const azJobs[] = {
      "sync",         "sync status", "maintain",       "grievance escalate-due",
      "audit verify", "search",      "household show", "report"};
  for (size_t i = 0; i < sizeof azStaff / sizeof azStaff[0]; i++) {
    const struct cmd *c = find_named(azStaff[i]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (cases_permit_allows(ROLE_SYSTEM, c->cap))
      fprintf(stderr, "\n  the system user may '%s'\n", c->zName);
    CU_ASSERT(!cases_permit_allows(ROLE_SYSTEM, c->cap));
  }
  for (size_t i = 0; i < sizeof azJobs / sizeof azJobs[0]; i++) {
    const struct cmd *c = find_named(azJobs[i]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT(cases_permit_allows(ROLE_SYSTEM, c->cap));
  }
  /* and the front desk does not decide enrolments */
  const struct cmd *c = find_named("enrolment decide");
  CU_ASSERT_PTR_NOT_NULL_FATAL(c);
  CU_ASSERT(!cases_permit_allows(ROLE_FRONT_DESK, c->cap));
  CU_ASSERT(cases_permit_allows(ROLE_SUPERVISOR, c->cap));
}

static CU_TestInfo tests[] = {
    {"test_cli__every_command_has_help_and_docs",
     test_cli__every_command_has_help_and_docs},
    {"test_cli__finds_two_word_commands", test_cli__finds_two_word_commands},
    {"test_cli__system_user_takes_no_staff_decision",
     test_cli__system_user_takes_no_staff_decision},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_cli = {"cli", NULL, NULL, NULL, NULL, tests};
