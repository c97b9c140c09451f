/*
 * session.c - who is logged in to the office's web UI: sessions kept in
 * the office database by the SHA-256 of their token (token.c), idle and
 * absolute timeouts, each officer's language (passwords are checked, and
 * throttled, by cases/login.h, as at the command line). Tables in
 * schema/office/0004_ui.sql.
 */
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cases/login.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

/* End session id for zWhy (an operation: audited). */
static int end_session(struct web_req *r, int64_t id, const char *zLogin,
                       const char *zWhy, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  cases_set_actor(r->ctx, zLogin);
  if ((rc = cases_op_begin(r->ctx, "ui.session-end", err)) != 0)
    return rc;
  rc = db_prepare(r->ctx->db, &q,
                  "UPDATE ui_session SET ended_ms = :now, end_reason = :why "
                  "WHERE id = :id AND ended_ms IS NULL",
                  err);
  if (rc == 0) {
    db_bind_int64(q, ":now", sws_now_ms());
    db_bind_text(q, ":why", zWhy);
    db_bind_int64(q, ":id", id);
    rc = db_step(r->ctx->db, q, err);
    db_done(r->ctx->db, q);
  }
  return cases_op_end(r->ctx, rc < 0 ? rc : 0, "user", zLogin, zWhy, err);
}

int web_session_load(struct web_req *r, struct sws_err *err)
{
  char zTok[64], zHash[65], zLogin[SWS_LOGIN_MAX] = "";
  sqlite3_stmt *q;
  int64_t id = 0, created = 0, seen = 0, now = sws_now_ms();
  int bEnded = 1, rc;
  r->bAuth = 0;
  if (!web_cookie(r, web_sid_cookie(r), zTok, sizeof zTok) ||
      !web_token_shape_ok(zTok))
    return 0;
  web_token_hash(zHash, "", zTok);
  if ((rc = db_prepare(r->ctx->db, &q,
                       "SELECT id, login, created_ms, seen_ms, ended_ms IS "
                       "NOT NULL FROM ui_session WHERE token_hash = :h",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":h", zHash);
  rc = db_step(r->ctx->db, q, err);
  if (rc == DB_ROW) {
    id = db_col_int64(q, 0);
    sws_strlcpy(zLogin, db_col_str(q, 1), sizeof zLogin);
    created = db_col_int64(q, 2);
    seen = db_col_int64(q, 3);
    bEnded = (int)db_col_int64(q, 4);
  }
  db_done(r->ctx->db, q);
  if (rc < 0)
    return rc;
  if (rc != DB_ROW || bEnded) {
    web_set_cookie(r, web_sid_cookie(r), "");
    return 0;
  }
  const char *zWhy = NULL;
  struct user u;
  if (now - seen > r->w->cfg.idleMs)
    zWhy = "idle";
  else if (now - created > r->w->cfg.maxMs)
    zWhy = "expired";
  else if (cases_user_get(r->ctx, zLogin, &u, NULL) != 0 || !u.active)
    zWhy = "revoked";
  if (zWhy) {
    web_set_cookie(r, web_sid_cookie(r), "");
    sws_strlcpy(r->zEnded, zWhy, sizeof r->zEnded);
    return end_session(r, id, zLogin, zWhy, err);
  }
  /* the one write outside an operation (see 0004_ui.sql) */
  if ((rc = db_prepare(r->ctx->db, &q,
                       "UPDATE ui_session SET seen_ms = :now WHERE id = :id",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":now", now);
  db_bind_int64(q, ":id", id);
  rc = db_step(r->ctx->db, q, err);
  db_done(r->ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = db_prepare(r->ctx->db, &q,
                       "SELECT lang FROM ui_pref WHERE login = :l", err)) != 0)
    return rc;
  db_bind_text(q, ":l", zLogin);
  if (db_step(r->ctx->db, q, err) == DB_ROW)
    sws_strlcpy(r->zLang, db_col_str(q, 0), sizeof r->zLang);
  db_done(r->ctx->db, q);
  r->user = u;
  r->sessionId = id;
  r->bAuth = 1;
  web_csrf_of(r->zCsrf, zTok);
  sodium_memzero(zTok, sizeof zTok);
  cases_set_actor(r->ctx, u.zLogin);
  return 0;
}

int web_session_login(struct web_req *r, const char *zLogin,
                      const char *zPassword, struct sws_err *err)
{
  char zHash[65], zTok[WEB_TOKEN_CHARS + 1], zDetail[120];
  struct user u;
  sqlite3_stmt *q;
  int64_t now = sws_now_ms(), waitMin = 0;
  int rc;

  snprintf(zDetail, sizeof zDetail, "from %.64s", r->req->zClient);
  cases_set_actor(r->ctx, "ui");
  rc = cases_login_password(r->ctx, zLogin, zPassword, r->req->zClient, "ui",
                            zDetail, &u, &waitMin, err);
  if (rc == SWS_ECONFLICT) /* the login page reads the minutes */
    return sws_err_set(err, SWS_ECONFLICT, "%lld", (long long)waitMin);
  if (rc != 0)
    return rc;
  web_new_token(zTok);
  web_token_hash(zHash, "", zTok);
  cases_set_actor(r->ctx, u.zLogin);
  if ((rc = cases_op_begin(r->ctx, "ui.login", err)) != 0)
    return rc;
  if ((rc = db_prepare(r->ctx->db, &q,
                       "INSERT INTO ui_session(token_hash, login, client, "
                       "created_at, created_ms, seen_ms) VALUES (:h, :l, "
                       ":c, sws_now(), :now, :now)",
                       err)) == 0) {
    db_bind_text(q, ":h", zHash);
    db_bind_text(q, ":l", u.zLogin);
    db_bind_text(q, ":c", r->req->zClient);
    db_bind_int64(q, ":now", now);
    rc = db_step(r->ctx->db, q, err);
    db_done(r->ctx->db, q);
  }
  rc = cases_op_end(r->ctx, rc < 0 ? rc : 0, "user", u.zLogin, zDetail, err);
  if (rc != 0) {
    sodium_memzero(zTok, sizeof zTok);
    return rc;
  }
  web_session_cookies(r, zTok);
  sodium_memzero(zTok, sizeof zTok);
  return 0;
}

int web_session_logout(struct web_req *r, struct sws_err *err)
{
  web_set_cookie(r, web_sid_cookie(r), "");
  if (!r->bAuth)
    return 0;
  int rc = end_session(r, r->sessionId, r->user.zLogin, "logout", err);
  r->bAuth = 0;
  return rc;
}

int web_session_set_lang(struct web_req *r, const char *zLang,
                         struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_op_begin(r->ctx, "ui.language", err)) != 0)
    return rc;
  rc = db_prepare(r->ctx->db, &q,
                  "INSERT INTO ui_pref(login, lang) VALUES (:l, :lang) ON "
                  "CONFLICT(login) DO UPDATE SET lang = :lang",
                  err);
  if (rc == 0) {
    db_bind_text(q, ":l", r->user.zLogin);
    db_bind_text(q, ":lang", zLang);
    rc = db_step(r->ctx->db, q, err);
    db_done(r->ctx->db, q);
  }
  rc = cases_op_end(r->ctx, rc < 0 ? rc : 0, "user", r->user.zLogin, zLang,
                    err);
  if (rc == 0)
    sws_strlcpy(r->zLang, zLang, sizeof r->zLang);
  return rc;
}
