/*
 * user.h - staff accounts: login, role, name, argon2id password hash.
 *
 * Roles (need-to-know): front-desk (registers, searches, prints receipts),
 * case-manager (cases, assessments, plans, referrals), supervisor (all of
 * that plus review queues and sensitive grievances), admin (accounts,
 * areas, office set-up).
 */
#ifndef SWS_CASES_USER_H
#define SWS_CASES_USER_H

#include "cases/ctx.h"

#define SWS_PASSWORD_MIN 12
#define SWS_PASSWORD_MAX 128

enum user_role {
  ROLE_FRONT_DESK = 1,
  ROLE_CASE_MANAGER = 2,
  ROLE_SUPERVISOR = 3,
  ROLE_ADMIN = 4,
};

struct user {
  char zLogin[33];
  int role; /* enum user_role */
  char zName[201];
  int active;
  char zCreatedAt[32];
};

const char *cases_role_name(int role);
/* 0 if z is not a role name. */
int cases_role_parse(const char *z);

/* Check a login name: 2-32 of a-z 0-9 . _ -, starting with a letter. */
int cases_login_check(const char *zLogin, struct sws_err *err);
/* Check a new password against the policy (length, not the login). */
int cases_password_check(const char *zLogin, const char *zPassword,
                         struct sws_err *err);

/* Create an account. SWS_ECONFLICT if the login exists. */
int cases_user_add(struct sws_ctx *ctx, const char *zLogin, int role,
                   const char *zName, const char *zPassword,
                   struct sws_err *err);

int cases_user_get(struct sws_ctx *ctx, const char *zLogin, struct user *out,
                   struct sws_err *err);

/* Call fn for each account in login order. */
int cases_user_list(struct sws_ctx *ctx,
                    int (*fn)(const struct user *, void *), void *arg,
                    struct sws_err *err);

/*
 * Check a login and password. Returns 0 and fills *out when right;
 * SWS_EPERM with one message for every failure (unknown login, wrong
 * password, inactive account), so it tells an attacker nothing.
 */
int cases_user_authenticate(struct sws_ctx *ctx, const char *zLogin,
                            const char *zPassword, struct user *out,
                            struct sws_err *err);

/* Set a new password (policy checked). Every open web session of the
 * account ends with it (end_reason 'revoked'), in the same operation. */
int cases_user_set_password(struct sws_ctx *ctx, const char *zLogin,
                            const char *zPassword, struct sws_err *err);

/* Activate or deactivate an account; its open web sessions end, as with a
 * new password. */
int cases_user_set_active(struct sws_ctx *ctx, const char *zLogin,
                          int active, struct sws_err *err);

#endif
