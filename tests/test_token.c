/*
 * test_token.c - the command line's logins: tokens issued after a
 * password (cases/token.h) and the throttle both ways in share
 * (cases/login.h). Attacks: a forged token, an expired one, one ended by
 * logout, the token of a deactivated account, and guessing passwords at
 * the shell to get past the web's wait.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "cases/login.h"
#include "cases/token.h"
#include "tests/support.h"

#define HOUR ((int64_t)3600 * 1000)

static void test_token__issued_token_acts_for_its_account(void)
{
  char zTok[CASES_TOKEN_CHARS + 1];
  struct user u;
  cases_set_actor(t_ctx, "sup");
  T_OK(cases_token_issue(t_ctx, "sup", 8 * HOUR, "cli:root", zTok, &t_err));
  CU_ASSERT_EQUAL(strlen(zTok), CASES_TOKEN_CHARS);
  T_OK(cases_token_check(t_ctx, zTok, &u, &t_err));
  CU_ASSERT_STRING_EQUAL(u.zLogin, "sup");
  CU_ASSERT_EQUAL(u.role, ROLE_SUPERVISOR);
  /* only its hash is kept */
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, -1,
                "SELECT count(*) FROM cli_token WHERE login = 'sup' AND "
                "length(token_hash) = 64 AND asked_by = 'cli:root'",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
  T_OK(db_int64(t_ctx->db, &n, -1,
                "SELECT count(*) FROM audit_log WHERE "
                "action = 'cli.login' AND actor = 'sup'",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
}

static void test_token__forged_token_refused(void)
{
  char zTok[CASES_TOKEN_CHARS + 1];
  struct user u;
  T_OK(cases_token_issue(t_ctx, "desk", 8 * HOUR, "cli:root", zTok, &t_err));
  /* one character changed, a wrong shape, nothing */
  zTok[5] = zTok[5] == 'A' ? 'B' : 'A';
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zTok, &u, &t_err), SWS_EPERM);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sws login"));
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, "sup", &u, &t_err), SWS_EPERM);
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, "", &u, &t_err), SWS_EPERM);
  /* the stored hash itself is no token */
  char zHash[80] = "";
  sqlite3_stmt *q;
  T_OK(db_prepare(t_ctx->db, &q, "SELECT token_hash FROM cli_token", &t_err));
  if (db_step(t_ctx->db, q, &t_err) == DB_ROW)
    snprintf(zHash, sizeof zHash, "%s", db_col_str(q, 0));
  db_done(t_ctx->db, q);
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zHash, &u, &t_err), SWS_EPERM);
}

static void test_token__expires(void)
{
  char zTok[CASES_TOKEN_CHARS + 1];
  struct user u;
  setenv("SWS_NOW", "2030-05-01T08:00:00Z", 1);
  T_OK(cases_token_issue(t_ctx, "sup", 8 * HOUR, "cli:root", zTok, &t_err));
  setenv("SWS_NOW", "2030-05-01T15:59:00Z", 1);
  T_OK(cases_token_check(t_ctx, zTok, &u, &t_err));
  setenv("SWS_NOW", "2030-05-01T16:00:01Z", 1);
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zTok, &u, &t_err), SWS_EPERM);
  unsetenv("SWS_NOW");
}

static void test_token__logout_and_deactivation_end_it(void)
{
  char zA[CASES_TOKEN_CHARS + 1], zB[CASES_TOKEN_CHARS + 1];
  struct user u;
  T_OK(cases_token_issue(t_ctx, "sup", 8 * HOUR, "cli:root", zA, &t_err));
  T_OK(cases_token_issue(t_ctx, "cm1", 8 * HOUR, "cli:root", zB, &t_err));
  T_OK(cases_token_end(t_ctx, zA, &t_err));
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zA, &u, &t_err), SWS_EPERM);
  CU_ASSERT_EQUAL(cases_token_end(t_ctx, zA, &t_err), SWS_ENOTFOUND);
  /* a disabled account's token stops working, and stays ended when the
   * account is let back in: its officer logs in again */
  T_OK(cases_user_set_active(t_ctx, "cm1", 0, &t_err));
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zB, &u, &t_err), SWS_EPERM);
  T_OK(cases_user_set_active(t_ctx, "cm1", 1, &t_err));
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zB, &u, &t_err), SWS_EPERM);
  /* a new password ends the tokens given for the old one */
  T_OK(cases_token_issue(t_ctx, "cm1", 8 * HOUR, "cli:root", zB, &t_err));
  T_OK(cases_token_check(t_ctx, zB, &u, &t_err));
  T_OK(cases_user_set_password(t_ctx, "cm1", "another long password", &t_err));
  CU_ASSERT_EQUAL(cases_token_check(t_ctx, zB, &u, &t_err), SWS_EPERM);
  /* tokens are ended, never deleted */
  T_OK(cases_op_begin(t_ctx, "test.delete", &t_err));
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db, "DELETE FROM cli_token", &t_err), 0);
  cases_op_end(t_ctx, -1, NULL, NULL, NULL, NULL);
}

static void test_token__shell_guesses_count_toward_the_web_wait(void)
{
  struct user u;
  int64_t wait = 0;
  /* five wrong passwords at the command line ... */
  for (int i = 0; i < 5; i++)
    CU_ASSERT_EQUAL(cases_login_password(t_ctx, "sup", "guess number one", NULL,
                                         "cli", "test", &u, &wait, &t_err),
                    SWS_EPERM);
  /* ... and the web login form waits too, even with the right one */
  CU_ASSERT_EQUAL(cases_login_password(t_ctx, "sup", "correct horse battery",
                                       "127.0.0.1", "ui", "test", &u, &wait,
                                       &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT(wait >= 1);
  CU_ASSERT_EQUAL(cases_login_password(t_ctx, "sup", "correct horse battery",
                                       NULL, "cli", "test", &u, &wait, &t_err),
                  SWS_ECONFLICT);
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, -1,
                "SELECT count(*) FROM audit_log WHERE "
                "action = 'cli.login-failed'",
                &t_err));
  CU_ASSERT_EQUAL(n, 5);
  /* later the right password works and the count starts again */
  setenv("SWS_NOW", "2099-01-01T10:00:00Z", 1);
  T_OK(cases_login_password(t_ctx, "sup", "correct horse battery", NULL, "cli",
                            "test", &u, &wait, &t_err));
  T_OK(db_int64(t_ctx->db, &n, -1, "SELECT sum(failures) FROM ui_throttle",
                &t_err));
  CU_ASSERT_EQUAL(n, 0);
  unsetenv("SWS_NOW");
}

static CU_TestInfo tests[] = {
    {"test_token__issued_token_acts_for_its_account",
     test_token__issued_token_acts_for_its_account},
    {"test_token__forged_token_refused", test_token__forged_token_refused},
    {"test_token__expires", test_token__expires},
    {"test_token__logout_and_deactivation_end_it",
     test_token__logout_and_deactivation_end_it},
    {"test_token__shell_guesses_count_toward_the_web_wait",
     test_token__shell_guesses_count_toward_the_web_wait},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_token = {"token",           NULL, NULL, t_office_setup,
                            t_office_teardown, tests};
