/*
 * central_account.h - the accounts of the registry's web UI (sws central
 * ui): a national officer sees and decides for the whole registry; a
 * province or district officer for one area of that level of the
 * registry's `area` table (what each may see: sync/central_scope.h).
 * Passwords are argon2id hashes (core/crypto.h), under the office's
 * password policy (cases/user.h). Accounts are disabled, never deleted:
 * the registry's log names them as actors.
 */
#ifndef SWS_SYNC_CENTRAL_ACCOUNT_H
#define SWS_SYNC_CENTRAL_ACCOUNT_H

#include "sync/central.h"

enum central_role {
  CROLE_NATIONAL = 1,
  CROLE_PROVINCE = 2,
  CROLE_DISTRICT = 3,
};

struct central_account {
  char zLogin[33];
  int role;       /* enum central_role */
  char zArea[33]; /* the area's code; "" for national */
  char zAreaName[201];
  int active;
  char zCreatedAt[32];
  char zCreatedBy[64];
  char zDisabledAt[32]; /* "" while active */
};

/* "national", "province", "district" ("" for another value). */
const char *central_role_name(int role);
/* 0 if z is not a role's name. */
int central_role_parse(const char *z);

/*
 * Create account zLogin. zArea is required for province and district (an
 * area of that level in the registry's `area` table) and refused for
 * national. The password must meet the policy (cases_password_check).
 * SWS_EINVAL for a bad login, role, area or password; SWS_ECONFLICT if
 * the login exists. Recorded in the registry's log (c->zActor).
 */
int central_account_add(struct central *c, const char *zLogin, int role,
                        const char *zArea, const char *zPassword,
                        struct sws_err *err);
/* Disable account zLogin: it can no longer log in, and its sessions end
 * at their next request. SWS_ENOTFOUND, SWS_ECONFLICT if already
 * disabled. Recorded in the log. */
int central_account_disable(struct central *c, const char *zLogin,
                            struct sws_err *err);
/* One account (SWS_ENOTFOUND). */
int central_account_get(struct central *c, const char *zLogin,
                        struct central_account *out, struct sws_err *err);
/* Call fn for each account in login order; fn returns non-zero to stop. */
int central_account_list(struct central *c,
                         int (*fn)(const struct central_account *, void *),
                         void *arg, struct sws_err *err);
/*
 * Check a login and password: 0 and *out when right and active; SWS_EPERM
 * with one message for every failure (unknown login, wrong password,
 * disabled), taking the same time for an unknown login.
 */
int central_account_authenticate(struct central *c, const char *zLogin,
                                 const char *zPassword,
                                 struct central_account *out,
                                 struct sws_err *err);
/* Write to the registry's log what happened to an account's UI session
 * (zAction "ui.login", "ui.logout", "ui.login-failed"...), zLogin as the
 * actor. */
int central_account_log(struct central *c, const char *zLogin,
                        const char *zAction, const char *zDetail,
                        struct sws_err *err);

#endif
