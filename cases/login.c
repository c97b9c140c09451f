/*
 * login.c - throttled password checks (see login.h).
 */
#include "cases/login.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"

/* failures allowed before waiting (per login, per address), first wait,
 * cap; failures older than the window are forgotten */
#define LOGIN_FREE 5
#define ADDR_FREE 20
#define WAIT_FIRST_MS ((int64_t)30 * 1000)
#define WAIT_MAX_MS ((int64_t)15 * 60 * 1000)
#define FAIL_WINDOW_MS ((int64_t)60 * 60 * 1000)

/* The throttle key of a login: the name as typed may be a password typed
 * in the wrong box, so only its hash is kept. */
static void login_key(char out[80], const char *zLogin)
{
  unsigned char h[SWS_SHA256_BYTES];
  char zHex[2 * SWS_SHA256_BYTES + 1];
  char *zAll = sws_mprintf("ui-login:%s", zLogin);
  sws_sha256(h, zAll, strlen(zAll));
  sodium_memzero(zAll, strlen(zAll));
  free(zAll);
  sws_hex(zHex, h, sizeof h);
  snprintf(out, 80, "login:%.32s", zHex);
}

/* The longest wait still to run for key zKey, in ms (0: none). */
static int64_t wait_left(struct sws_ctx *ctx, const char *zKey, int64_t now)
{
  sqlite3_stmt *q;
  int64_t until = 0;
  if (db_prepare(ctx->db, &q,
                 "SELECT blocked_until_ms FROM ui_throttle WHERE key = :k",
                 NULL) != 0)
    return 0;
  db_bind_text(q, ":k", zKey);
  if (db_step(ctx->db, q, NULL) == DB_ROW)
    until = db_col_int64(q, 0);
  db_done(ctx->db, q);
  return until > now ? until - now : 0;
}

/* Count a failure of key (inside the operation). */
static int count_failure(struct sws_ctx *ctx, const char *zKey, int nFree,
                         int64_t now, struct sws_err *err)
{
  sqlite3_stmt *q;
  int64_t n = 1;
  int rc = db_prepare(
      ctx->db, &q,
      "INSERT INTO ui_throttle(key, failures, last_ms, blocked_until_ms) "
      "VALUES (:k, 1, :now, 0) ON CONFLICT(key) DO UPDATE SET failures = "
      "CASE WHEN :now - last_ms > :win THEN 1 ELSE failures + 1 END, "
      "last_ms = :now RETURNING failures",
      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":k", zKey);
  db_bind_int64(q, ":now", now);
  db_bind_int64(q, ":win", FAIL_WINDOW_MS);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    n = db_col_int64(q, 0);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (n < nFree)
    return 0;
  int64_t wait = WAIT_FIRST_MS;
  for (int64_t i = nFree; i < n && wait < WAIT_MAX_MS; i++)
    wait *= 2;
  if (wait > WAIT_MAX_MS)
    wait = WAIT_MAX_MS;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE ui_throttle SET blocked_until_ms = :u WHERE "
                       "key = :k",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":u", now + wait);
  db_bind_text(q, ":k", zKey);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : 0;
}

/* 1 if the login's key has failures to forget. */
static int has_failures(struct sws_ctx *ctx, const char *zKey)
{
  sqlite3_stmt *q;
  int n = 0;
  if (db_prepare(ctx->db, &q,
                 "SELECT 1 FROM ui_throttle WHERE key = :k AND failures > 0",
                 NULL) != 0)
    return 0;
  db_bind_text(q, ":k", zKey);
  n = db_step(ctx->db, q, NULL) == DB_ROW;
  db_done(ctx->db, q);
  return n;
}

int cases_login_password(struct sws_ctx *ctx, const char *zLogin,
                         const char *zPassword, const char *zAddr,
                         const char *zVia, const char *zDetail,
                         struct user *out, int64_t *pWaitMin,
                         struct sws_err *err)
{
  char zKeyLogin[80], zKeyAddr[80], zAction[64];
  struct user u;
  struct sws_err aerr = SWS_ERR_INIT;
  int64_t now = sws_now_ms();
  int rc;
  login_key(zKeyLogin, zLogin);
  int bAddr = zAddr && strncmp(zAddr, "127.", 4) != 0 &&
              strcmp(zAddr, "::1") != 0 &&
              strcmp(zAddr, "::ffff:127.0.0.1") != 0;
  if (bAddr)
    snprintf(zKeyAddr, sizeof zKeyAddr, "addr:%.64s", zAddr);
  int64_t wait = wait_left(ctx, zKeyLogin, now);
  int64_t waitAddr = bAddr ? wait_left(ctx, zKeyAddr, now) : 0;
  if (waitAddr > wait)
    wait = waitAddr;
  if (pWaitMin)
    *pWaitMin = (wait + 59999) / 60000;
  if (wait > 0)
    return sws_err_set(err, SWS_ECONFLICT,
                       "too many wrong passwords for "
                       "'%s': wait %lld minute(s), then try again",
                       zLogin, (long long)((wait + 59999) / 60000));
  if (cases_user_authenticate(ctx, zLogin, zPassword, out, &aerr) != 0) {
    if (aerr.code != SWS_EPERM)
      return sws_err_set(err, aerr.code, "%s", aerr.msg);
    int bKnown = cases_user_get(ctx, zLogin, &u, NULL) == 0;
    snprintf(zAction, sizeof zAction, "%.40s.login-failed", zVia);
    if ((rc = cases_op_begin(ctx, zAction, err)) != 0)
      return rc;
    rc = count_failure(ctx, zKeyLogin, LOGIN_FREE, now, err);
    if (rc == 0 && bAddr)
      rc = count_failure(ctx, zKeyAddr, ADDR_FREE, now, err);
    rc = cases_op_end(ctx, rc, "user", bKnown ? u.zLogin : "", zDetail, err);
    if (rc != 0)
      return rc;
    return sws_err_set(err, SWS_EPERM, "%s", aerr.msg);
  }
  if (!has_failures(ctx, zKeyLogin))
    return SWS_OK;
  /* right at last: the earlier failures no longer slow this login */
  snprintf(zAction, sizeof zAction, "%.40s.login-reset", zVia);
  if ((rc = cases_op_begin(ctx, zAction, err)) != 0)
    return rc;
  sqlite3_stmt *q;
  rc = db_prepare(ctx->db, &q,
                  "UPDATE ui_throttle SET failures = 0, blocked_until_ms = 0 "
                  "WHERE key = :k",
                  err);
  if (rc == 0) {
    db_bind_text(q, ":k", zKeyLogin);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
  }
  return cases_op_end(ctx, rc < 0 ? rc : 0, "user", out->zLogin, zDetail, err);
}
