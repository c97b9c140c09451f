/*
 * token.h - the command line's logins: `sws login` checks a password once
 * (cases/login.h) and gets a short-lived token that later commands show
 * instead of the password. Only the token's SHA-256 is kept (table
 * cli_token, schema/office/0016_cli_token.sql).
 */
#ifndef SWS_CASES_TOKEN_H
#define SWS_CASES_TOKEN_H

#include <stdint.h>

#include "cases/ctx.h"
#include "cases/user.h"

#define CASES_TOKEN_CHARS 43 /* base64url of 32 random bytes */
#define CASES_TOKEN_HOURS 8  /* a working day */

/*
 * Issue a token for the account zLogin (whose password the caller has
 * just checked), valid for lifeMs from now; zAskedBy is who asked
 * ("cli:NAME"). An operation "cli.login", by the actor the caller
 * set (the account). zOut gets the
 * token: show it to the officer only.
 */
int cases_token_issue(struct sws_ctx *ctx, const char *zLogin, int64_t lifeMs,
                      const char *zAskedBy, char zOut[CASES_TOKEN_CHARS + 1],
                      struct sws_err *err);

/*
 * The account zToken acts for, into *out. SWS_EPERM when the token is
 * not one this office issued, has expired or was ended, or its account
 * is no longer active. Writes nothing (a read-only database will do).
 */
int cases_token_check(struct sws_ctx *ctx, const char *zToken, struct user *out,
                      struct sws_err *err);

/* End zToken (an operation "cli.logout"); SWS_ENOTFOUND when it is not a
 * live token. */
int cases_token_end(struct sws_ctx *ctx, const char *zToken,
                    struct sws_err *err);

#endif
