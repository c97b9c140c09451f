/*
 * session.c - who is logged in to the web UI: sessions known by the
 * SHA-256 of a random 256-bit token (the cookie), idle and absolute
 * timeouts, CSRF tokens derived from the session token (passwords are
 * checked, and throttled, by cases/login.h), each officer's language. Tables in
 * schema/office/0004_ui.sql.
 */
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cases/login.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

static const char *sid_name(const struct web_req *r)
{
  return r->req->bTls ? "__Host-sws_sid" : "sws_sid";
}

static const char *login_name(const struct web_req *r)
{
  return r->req->bTls ? "__Host-sws_login" : "sws_login";
}

int web_cookie(const struct web_req *r, const char *zName, char *out,
               size_t n)
{
  const char *z = http_req_header(r->req, "Cookie");
  size_t nName = strlen(zName);
  while (z && *z) {
    while (*z == ' ' || *z == ';')
      z++;
    const char *end = strchr(z, ';');
    size_t len = end ? (size_t)(end - z) : strlen(z);
    if (len > nName && strncmp(z, zName, nName) == 0 && z[nName] == '=') {
      size_t v = len - nName - 1;
      if (v >= n)
        return 0;
      memcpy(out, z + nName + 1, v);
      out[v] = '\0';
      return 1;
    }
    z = end;
  }
  return 0;
}

static void set_cookie(struct web_req *r, const char *zName,
                       const char *zValue)
{
  char z[256];
  snprintf(z, sizeof z, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
           zName, zValue, r->req->bTls ? "; Secure" : "",
           zValue[0] ? "" : "; Max-Age=0");
  http_resp_header(r->resp, "Set-Cookie", z);
}

static int token_shape_ok(const char *z)
{
  if (strlen(z) != WEB_TOKEN_CHARS)
    return 0;
  for (; *z; z++)
    if (!((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z') ||
          (*z >= '0' && *z <= '9') || *z == '-' || *z == '_'))
      return 0;
  return 1;
}

static void new_token(char out[WEB_TOKEN_CHARS + 1])
{
  unsigned char raw[32];
  sws_random(raw, sizeof raw);
  sws_b64url(out, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

/* hex SHA-256 of zTag and z */
static void hash_hex(char out[65], const char *zTag, const char *z)
{
  unsigned char h[SWS_SHA256_BYTES];
  char *zAll = sws_mprintf("%s%s", zTag, z);
  sws_sha256(h, zAll, strlen(zAll));
  sodium_memzero(zAll, strlen(zAll));
  free(zAll);
  sws_hex(out, h, sizeof h);
}

/* The CSRF token of a session: derived from its token, so nothing more is
 * stored, and the token cannot be had from it. */
static void csrf_of(char out[WEB_TOKEN_CHARS + 1], const char *zToken)
{
  unsigned char h[SWS_SHA256_BYTES];
  char *zAll = sws_mprintf("sws-csrf:%s", zToken);
  sws_sha256(h, zAll, strlen(zAll));
  free(zAll);
  sws_b64url(out, h, sizeof h);
}

static int same_token(const char *a, const char *b)
{
  size_t n = strlen(a);
  return n == WEB_TOKEN_CHARS && strlen(b) == n && sodium_memcmp(a, b, n) == 0;
}

int web_csrf_ok(const struct web_req *r, const char *zToken)
{
  return r->bAuth && zToken && same_token(r->zCsrf, zToken);
}

void web_login_token(struct web_req *r, char zOut[WEB_TOKEN_CHARS + 1])
{
  char z[64];
  if (web_cookie(r, login_name(r), z, sizeof z) && token_shape_ok(z)) {
    memcpy(zOut, z, WEB_TOKEN_CHARS + 1);
    return;
  }
  new_token(zOut);
  set_cookie(r, login_name(r), zOut);
}

int web_login_token_ok(const struct web_req *r, const char *zPosted)
{
  char z[64];
  return zPosted && web_cookie(r, login_name(r), z, sizeof z) &&
         token_shape_ok(z) && same_token(z, zPosted);
}

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
  if (!web_cookie(r, sid_name(r), zTok, sizeof zTok) || !token_shape_ok(zTok))
    return 0;
  hash_hex(zHash, "", zTok);
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
    set_cookie(r, sid_name(r), "");
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
    set_cookie(r, sid_name(r), "");
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
  csrf_of(r->zCsrf, zTok);
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
  new_token(zTok);
  hash_hex(zHash, "", zTok);
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
  set_cookie(r, sid_name(r), zTok);
  set_cookie(r, login_name(r), "");
  sodium_memzero(zTok, sizeof zTok);
  return 0;
}

int web_session_logout(struct web_req *r, struct sws_err *err)
{
  set_cookie(r, sid_name(r), "");
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
