/*
 * user.c - staff accounts (see user.h).
 */
#include "cases/user.h"

#include <string.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/text.h"

static const char *const ROLES[] = {NULL, "front-desk", "case-manager",
                                    "supervisor", "admin"};

const char *cases_role_name(int role)
{
  return role >= 1 && role <= 4 ? ROLES[role] : "?";
}

int cases_role_parse(const char *z)
{
  for (int i = 1; i <= 4; i++)
    if (strcmp(z, ROLES[i]) == 0)
      return i;
  return 0;
}

int cases_login_check(const char *zLogin, struct sws_err *err)
{
  size_t n = strlen(zLogin);
  int ok = n >= 2 && n <= 32 && zLogin[0] >= 'a' && zLogin[0] <= 'z';
  for (size_t i = 0; ok && i < n; i++) {
    char c = zLogin[i];
    ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
  }
  if (!ok)
    return sws_err_set(err, SWS_EINVAL, "login '%s' must be 2 to 32 "
                       "lower-case letters, digits, '.', '_' or '-', "
                       "starting with a letter", zLogin);
  return SWS_OK;
}

int cases_password_check(const char *zLogin, const char *zPassword,
                         struct sws_err *err)
{
  size_t n = sws_utf8_len(zPassword);
  if (!sws_utf8_valid(zPassword, strlen(zPassword)))
    return sws_err_set(err, SWS_EINVAL, "the password is not valid UTF-8 "
                       "text");
  if (n < SWS_PASSWORD_MIN)
    return sws_err_set(err, SWS_EINVAL, "the password is too short (%zu "
                       "characters; at least %d); a few words together make "
                       "a good one", n, SWS_PASSWORD_MIN);
  if (n > SWS_PASSWORD_MAX)
    return sws_err_set(err, SWS_EINVAL, "the password is too long (at most "
                       "%d characters)", SWS_PASSWORD_MAX);
  if (zLogin && strcmp(zLogin, zPassword) == 0)
    return sws_err_set(err, SWS_EINVAL, "the password must not be the login "
                       "name");
  return SWS_OK;
}

int cases_user_add(struct sws_ctx *ctx, const char *zLogin, int role,
                   const char *zName, const char *zPassword,
                   struct sws_err *err)
{
  char zHash[SWS_PWHASH_MAX];
  struct user u;
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = cases_login_check(zLogin, err)) != 0)
    return rc;
  if (role < ROLE_FRONT_DESK || role > ROLE_ADMIN)
    return sws_err_set(err, SWS_EINVAL, "the role must be front-desk, "
                       "case-manager, supervisor or admin");
  if (zName == NULL)
    zName = "";
  if ((rc = sws_text_check("the name", zName, 200, 0, err)) != 0)
    return rc;
  if ((rc = cases_password_check(zLogin, zPassword, err)) != 0)
    return rc;
  if (cases_user_get(ctx, zLogin, &u, NULL) == 0)
    return sws_err_set(err, SWS_ECONFLICT, "there is already an account "
                       "'%s'; choose another login", zLogin);
  if ((rc = sws_pw_hash(zHash, zPassword, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "user.add", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO users(login, role, name, password_hash, "
                       "created_at) VALUES (:login, :role, :name, :hash, "
                       "sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":login", zLogin);
  db_bind_text(q, ":role", cases_role_name(role));
  db_bind_text(q, ":name", zName);
  db_bind_text(q, ":hash", zHash);
  rc = db_step(ctx->db, q, err);
  if (rc > 0)
    rc = 0;
  db_done(ctx->db, q);
done:
  return cases_op_end(ctx, rc, "user", zLogin, cases_role_name(role), err);
}

static void fill(sqlite3_stmt *q, struct user *u)
{
  memset(u, 0, sizeof *u);
  sws_strlcpy(u->zLogin, db_col_str(q, 0), sizeof u->zLogin);
  u->role = cases_role_parse(db_col_str(q, 1));
  sws_strlcpy(u->zName, db_col_str(q, 2), sizeof u->zName);
  u->active = (int)db_col_int64(q, 3);
  sws_strlcpy(u->zCreatedAt, db_col_str(q, 4), sizeof u->zCreatedAt);
}

int cases_user_get(struct sws_ctx *ctx, const char *zLogin, struct user *out,
                   struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT login, role, name, active, created_at FROM "
                      "users WHERE login = :login",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":login", zLogin);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    fill(q, out);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no account '%s'; see 'sws user "
                     "list'", zLogin);
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_user_list(struct sws_ctx *ctx,
                    int (*fn)(const struct user *, void *), void *arg,
                    struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT login, role, name, active, created_at FROM "
                      "users ORDER BY login",
                      err);
  if (rc != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct user u;
    fill(q, &u);
    if (fn(&u, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_user_authenticate(struct sws_ctx *ctx, const char *zLogin,
                            const char *zPassword, struct user *out,
                            struct sws_err *err)
{
  sqlite3_stmt *q;
  char zHash[SWS_PWHASH_MAX] = "";
  int rc, found = 0;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT login, role, name, active, created_at, "
                       "password_hash FROM users WHERE login = :login",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":login", zLogin);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    fill(q, out);
    sws_strlcpy(zHash, db_col_str(q, 5), sizeof zHash);
    found = 1;
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  int ok = sws_pw_check(found ? zHash : NULL, zPassword, err);
  if (ok < 0)
    return err->code;
  if (!ok || !out->active)
    return sws_err_set(err, SWS_EPERM, "wrong login or password");
  return SWS_OK;
}

/* End every open web session and command-line token of zLogin (inside the
 * operation that changes the account): a new password, or an account
 * turned off, leaves no browser or shell logged in with the old one. */
static int end_sessions(struct sws_ctx *ctx, const char *zLogin,
                        struct sws_err *err)
{
  static const char *const azSql[] = {
      "UPDATE ui_session SET ended_ms = :now, end_reason = 'revoked' WHERE "
      "login = :login AND ended_ms IS NULL",
      "UPDATE cli_token SET ended_ms = :now WHERE login = :login AND "
      "ended_ms IS NULL",
  };
  int rc = SWS_OK;
  for (size_t i = 0; rc == SWS_OK && i < sizeof azSql / sizeof azSql[0];
       i++) {
    sqlite3_stmt *q;
    if ((rc = db_prepare(ctx->db, &q, azSql[i], err)) != 0)
      return rc;
    db_bind_int64(q, ":now", sws_now_ms());
    db_bind_text(q, ":login", zLogin);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
    rc = rc < 0 ? rc : SWS_OK;
  }
  return rc;
}

static int set_column(struct sws_ctx *ctx, const char *zLogin,
                      const char *zAction, const char *zSql,
                      const char *zValue, int64_t iValue,
                      struct sws_err *err)
{
  struct user u;
  sqlite3_stmt *q = NULL;
  int rc;
  if ((rc = cases_user_get(ctx, zLogin, &u, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, zAction, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q, zSql, err)) != 0)
    goto done;
  db_bind_text(q, ":login", zLogin);
  if (zValue)
    db_bind_text(q, ":v", zValue);
  else
    db_bind_int64(q, ":v", iValue);
  rc = db_step(ctx->db, q, err);
  if (rc > 0)
    rc = 0;
  db_done(ctx->db, q);
  if (rc == 0)
    rc = end_sessions(ctx, zLogin, err);
done:
  return cases_op_end(ctx, rc, "user", zLogin, NULL, err);
}

int cases_user_set_password(struct sws_ctx *ctx, const char *zLogin,
                            const char *zPassword, struct sws_err *err)
{
  char zHash[SWS_PWHASH_MAX];
  int rc;
  if ((rc = cases_password_check(zLogin, zPassword, err)) != 0 ||
      (rc = sws_pw_hash(zHash, zPassword, err)) != 0)
    return rc;
  return set_column(ctx, zLogin, "user.password",
                    "UPDATE users SET password_hash = :v WHERE login = :login",
                    zHash, 0, err);
}

int cases_user_set_active(struct sws_ctx *ctx, const char *zLogin,
                          int active, struct sws_err *err)
{
  return set_column(ctx, zLogin, active ? "user.activate" : "user.deactivate",
                    "UPDATE users SET active = :v WHERE login = :login", NULL,
                    active ? 1 : 0, err);
}
