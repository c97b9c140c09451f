/*
 * token.c - the command line's login tokens (see token.h).
 */
#include "cases/token.h"

#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"

/* hex SHA-256 of a token; 0 if z is not shaped like one */
static int token_hash(char out[2 * SWS_SHA256_BYTES + 1], const char *z)
{
  unsigned char h[SWS_SHA256_BYTES];
  if (z == NULL || strlen(z) != CASES_TOKEN_CHARS)
    return 0;
  for (const char *p = z; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return 0;
  sws_sha256(h, z, strlen(z));
  sws_hex(out, h, sizeof h);
  return 1;
}

int cases_token_issue(struct sws_ctx *ctx, const char *zLogin, int64_t lifeMs,
                      const char *zAskedBy, char zOut[CASES_TOKEN_CHARS + 1],
                      struct sws_err *err)
{
  unsigned char raw[32];
  char zHash[2 * SWS_SHA256_BYTES + 1];
  sqlite3_stmt *q;
  int64_t now = sws_now_ms();
  int rc;
  if (lifeMs <= 0)
    return sws_err_set(err, SWS_EINVAL, "a token must last some time");
  sws_random(raw, sizeof raw);
  sws_b64url(zOut, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  token_hash(zHash, zOut);
  if ((rc = cases_op_begin(ctx, "cli.login", err)) != 0)
    goto done;
  rc = db_prepare(ctx->db, &q,
                  "INSERT INTO cli_token(token_hash, login, asked_by, "
                  "created_at, created_ms, expires_ms) VALUES (:h, :l, :by, "
                  "sws_now(), :now, :exp)",
                  err);
  if (rc == 0) {
    db_bind_text(q, ":h", zHash);
    db_bind_text(q, ":l", zLogin);
    db_bind_text(q, ":by", zAskedBy);
    db_bind_int64(q, ":now", now);
    db_bind_int64(q, ":exp", now + lifeMs);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
  }
  rc = cases_op_end(ctx, rc < 0 ? rc : 0, "user", zLogin, zAskedBy, err);
done:
  if (rc != 0)
    sodium_memzero(zOut, CASES_TOKEN_CHARS + 1);
  return rc;
}

static const char zBad[] = "the login token is not valid (mistyped, "
                           "expired, ended by sws logout, a new password or "
                           "the account's deactivation, or of another "
                           "office): run sws login LOGIN again";

/* The login of the live token zToken into zLogin (its hash into zHash);
 * SWS_EPERM when there is none. */
static int live_login(struct sws_ctx *ctx, const char *zToken,
                      char zHash[2 * SWS_SHA256_BYTES + 1],
                      char zLogin[SWS_LOGIN_MAX], struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if (!token_hash(zHash, zToken))
    return sws_err_set(err, SWS_EPERM, "%s", zBad);
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT login FROM cli_token WHERE token_hash = :h "
                       "AND ended_ms IS NULL AND expires_ms > :now",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":h", zHash);
  db_bind_int64(q, ":now", sws_now_ms());
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    sws_strlcpy(zLogin, db_col_str(q, 0), SWS_LOGIN_MAX);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  return rc == DB_ROW ? SWS_OK : sws_err_set(err, SWS_EPERM, "%s", zBad);
}

int cases_token_check(struct sws_ctx *ctx, const char *zToken, struct user *out,
                      struct sws_err *err)
{
  char zHash[2 * SWS_SHA256_BYTES + 1], zLogin[SWS_LOGIN_MAX];
  int rc;
  if ((rc = live_login(ctx, zToken, zHash, zLogin, err)) != 0 ||
      (rc = cases_user_get(ctx, zLogin, out, err)) != 0)
    return rc;
  if (!out->active)
    return sws_err_set(err, SWS_EPERM,
                       "the account '%s' is not active: "
                       "its login token no longer works",
                       zLogin);
  return SWS_OK;
}

int cases_token_end(struct sws_ctx *ctx, const char *zToken,
                    struct sws_err *err)
{
  char zHash[2 * SWS_SHA256_BYTES + 1], zLogin[SWS_LOGIN_MAX];
  sqlite3_stmt *q;
  int rc = live_login(ctx, zToken, zHash, zLogin, err);
  if (rc == SWS_EPERM)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "no live login token to end "
                       "(it expired or was ended already)");
  if (rc != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "cli.logout", err)) != 0)
    return rc;
  rc = db_prepare(ctx->db, &q,
                  "UPDATE cli_token SET ended_ms = :now WHERE token_hash = :h "
                  "AND ended_ms IS NULL",
                  err);
  if (rc == 0) {
    db_bind_int64(q, ":now", sws_now_ms());
    db_bind_text(q, ":h", zHash);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc < 0 ? rc : 0, "user", zLogin, NULL, err);
}
