/*
 * test_user.c - staff accounts: creation rules, argon2id, authentication.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cases/user.h"
#include "tests/support.h"

static void test_user__add_and_authenticate(void)
{
  struct user u;
  T_OK(cases_user_add(t_ctx, "sokha", ROLE_CASE_MANAGER, "Sokha Chan",
                      "a long enough secret", &t_err));
  T_OK(cases_user_authenticate(t_ctx, "sokha", "a long enough secret", &u,
                               &t_err));
  CU_ASSERT_EQUAL(u.role, ROLE_CASE_MANAGER);
  CU_ASSERT_EQUAL(cases_user_authenticate(t_ctx, "sokha", "wrong password!",
                                          &u, &t_err),
                  SWS_EPERM);
  char zWrong[sizeof t_err.msg];
  memcpy(zWrong, t_err.msg, sizeof zWrong);
  CU_ASSERT_EQUAL(cases_user_authenticate(t_ctx, "nobody", "whatever12345",
                                          &u, &t_err),
                  SWS_EPERM);
  /* the same message whether or not the login exists */
  CU_ASSERT_STRING_EQUAL(zWrong, t_err.msg);
  /* stored as argon2id, never the password */
  int64_t n;
  T_OK(db_int64(t_ctx->db, &n, 0,
                "SELECT count(*) FROM users WHERE login = 'sokha' AND "
                "password_hash LIKE '$argon2id$%' AND password_hash NOT "
                "LIKE '%secret%'",
                &t_err));
  CU_ASSERT_EQUAL(n, 1);
}

static void test_user__rules(void)
{
  CU_ASSERT_EQUAL(cases_user_add(t_ctx, "Bad Login", ROLE_ADMIN, "",
                                 "a long enough secret", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_user_add(t_ctx, "short", ROLE_ADMIN, "", "short",
                                 &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_user_add(t_ctx, "desk", ROLE_ADMIN, "",
                                 "a long enough secret", &t_err),
                  SWS_ECONFLICT);
  CU_ASSERT_EQUAL(cases_user_add(t_ctx, "samepass12345", ROLE_ADMIN, "",
                                 "samepass12345", &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(cases_user_add(t_ctx, "norole", 0, "",
                                 "a long enough secret", &t_err),
                  SWS_EINVAL);
}

static void test_user__deactivated_cannot_log_in(void)
{
  struct user u;
  T_OK(cases_user_set_active(t_ctx, "desk", 0, &t_err));
  CU_ASSERT_EQUAL(cases_user_authenticate(t_ctx, "desk",
                                          "correct horse battery", &u,
                                          &t_err),
                  SWS_EPERM);
  T_OK(cases_user_set_active(t_ctx, "desk", 1, &t_err));
  T_OK(cases_user_authenticate(t_ctx, "desk", "correct horse battery", &u,
                               &t_err));
  T_OK(cases_user_set_password(t_ctx, "desk", "a brand new passphrase",
                               &t_err));
  CU_ASSERT_EQUAL(cases_user_authenticate(t_ctx, "desk",
                                          "correct horse battery", &u,
                                          &t_err),
                  SWS_EPERM);
}

static CU_TestInfo tests[] = {
    {"test_user__add_and_authenticate", test_user__add_and_authenticate},
    {"test_user__rules", test_user__rules},
    {"test_user__deactivated_cannot_log_in",
     test_user__deactivated_cannot_log_in},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_user = {"user", NULL, NULL, t_office_setup,
                           t_office_teardown, tests};
