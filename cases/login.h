/*
 * login.h - checking a staff account's password, for the web UI's login
 * form and the command line alike: after a few wrong passwords for one
 * login (or from one remote address) the next attempt must wait, doubling
 * each time up to a cap, so guessing is slow but nobody can lock an
 * officer out for long. Both ways in count toward the same throttle (table
 * ui_throttle, schema/office/0004_ui.sql).
 */
#ifndef SWS_CASES_LOGIN_H
#define SWS_CASES_LOGIN_H

#include <stdint.h>

#include "cases/ctx.h"
#include "cases/user.h"

/*
 * Check zLogin's password. zAddr is where the attempt comes from: a remote
 * address is throttled on its own too; NULL, a loopback address or the
 * command line is not (every officer at the office computer shares it).
 * zVia names the way in for the audit log: a failure is the operation
 * "<zVia>.login-failed" (detail zDetail), by the actor already set.
 *
 * 0 and *out filled when right. SWS_EPERM for a wrong login or password
 * or an inactive account (one message for all); SWS_ECONFLICT while a
 * wait runs, *pWaitMin (may be NULL) getting the minutes left.
 */
int cases_login_password(struct sws_ctx *ctx, const char *zLogin,
                         const char *zPassword, const char *zAddr,
                         const char *zVia, const char *zDetail,
                         struct user *out, int64_t *pWaitMin,
                         struct sws_err *err);

#endif
