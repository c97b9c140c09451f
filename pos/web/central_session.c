/*
 * central_session.c - who is logged in to the registry's web UI: sessions
 * in this process's memory, known by the SHA-256 of their token (token.c),
 * with the idle and absolute timeouts of the office's; login throttling
 * per login and per client address (loopback clients by login only), as
 * the office's; every login, failed login, logout and session end written
 * to the registry's log with the account's login as actor.
 */
#include <stdio.h>
#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"
#include "pos/web/central_int.h"

static void end_session(struct cweb_req *q, struct cweb_session *s,
                        const char *zWhy, struct sws_err *err)
{
  char zDetail[64];
  snprintf(zDetail, sizeof zDetail, "%s", zWhy);
  /* the session is gone from memory whatever the log says */
  if (central_account_log(q->cw->c, s->zLogin, "ui.session-end", zDetail,
                          err) != 0)
    fprintf(stderr, "sws central ui: cannot log a session's end: %s\n",
            err->msg);
  memset(s, 0, sizeof *s);
}

static struct cweb_session *session_find(struct cweb *cw, const char *zHash)
{
  for (int i = 0; i < CWEB_SESSIONS; i++)
    if (cw->aSession[i].zHash[0] &&
        sodium_memcmp(cw->aSession[i].zHash, zHash, 64) == 0)
      return &cw->aSession[i];
  return NULL;
}

int cweb_session_load(struct web_req *r, struct sws_err *err)
{
  struct cweb_req *q = CWEB(r);
  char zTok[64], zHash[65];
  int64_t now = sws_now_ms();
  r->bAuth = 0;
  if (!web_cookie(r, web_sid_cookie(r), zTok, sizeof zTok) ||
      !web_token_shape_ok(zTok))
    return 0;
  web_token_hash(zHash, "", zTok);
  struct cweb_session *s = session_find(q->cw, zHash);
  if (s == NULL) {
    web_set_cookie(r, web_sid_cookie(r), "");
    return 0;
  }
  const char *zWhy = NULL;
  struct central_account a;
  if (now - s->seenMs > r->w->cfg.idleMs)
    zWhy = "idle";
  else if (now - s->createdMs > r->w->cfg.maxMs)
    zWhy = "expired";
  else if (central_account_get(q->cw->c, s->zLogin, &a, NULL) != 0 || !a.active)
    zWhy = "revoked";
  if (zWhy) {
    web_set_cookie(r, web_sid_cookie(r), "");
    sws_strlcpy(r->zEnded, zWhy, sizeof r->zEnded);
    end_session(q, s, zWhy, err);
    return 0;
  }
  int rc = central_scope_open(q->cw->c, a.zArea, &q->scope, err);
  if (rc != 0)
    return rc;
  s->seenMs = now;
  q->session = s;
  q->acct = a;
  memset(&r->user, 0, sizeof r->user);
  sws_strlcpy(r->user.zLogin, a.zLogin, sizeof r->user.zLogin);
  sws_strlcpy(r->user.zName, a.zLogin, sizeof r->user.zName);
  r->user.role = a.role;
  r->user.active = 1;
  if (s->zLang[0])
    sws_strlcpy(r->zLang, s->zLang, sizeof r->zLang);
  r->bAuth = 1;
  web_csrf_of(r->zCsrf, zTok);
  sodium_memzero(zTok, sizeof zTok);
  /* whatever the UI decides is the officer's doing */
  sws_strlcpy(q->cw->c->zActor, a.zLogin, sizeof q->cw->c->zActor);
  return 0;
}

static struct cweb_throttle *throttle_find(struct cweb *cw, const char *zKey,
                                           int bAdd, int64_t now)
{
  struct cweb_throttle *oldest = &cw->aThrottle[0];
  for (int i = 0; i < CWEB_THROTTLE; i++) {
    struct cweb_throttle *t = &cw->aThrottle[i];
    if (strcmp(t->zKey, zKey) == 0)
      return t;
    if (t->lastMs < oldest->lastMs)
      oldest = t;
  }
  if (!bAdd)
    return NULL;
  /* a free slot or the one failed longest ago */
  memset(oldest, 0, sizeof *oldest);
  sws_strlcpy(oldest->zKey, zKey, sizeof oldest->zKey);
  oldest->lastMs = now;
  return oldest;
}

static int64_t wait_left(struct cweb *cw, const char *zKey, int64_t now)
{
  struct cweb_throttle *t = throttle_find(cw, zKey, 0, now);
  return t && t->blockedUntilMs > now ? t->blockedUntilMs - now : 0;
}

static void count_failure(struct cweb *cw, const char *zKey, int nFree,
                          int64_t now)
{
  struct cweb_throttle *t = throttle_find(cw, zKey, 1, now);
  if (now - t->lastMs > WEB_FAIL_WINDOW_MS)
    t->failures = 0;
  t->failures++;
  t->lastMs = now;
  int64_t wait = web_throttle_wait(t->failures, nFree);
  if (wait)
    t->blockedUntilMs = now + wait;
}

int cweb_session_login(struct web_req *r, const char *zLogin,
                       const char *zPassword, struct sws_err *err)
{
  struct cweb_req *q = CWEB(r);
  struct cweb *cw = q->cw;
  char zKeyLogin[80], zKeyAddr[80], zHash[65], zTok[WEB_TOKEN_CHARS + 1];
  char zDetail[120];
  struct central_account a;
  struct sws_err aerr = SWS_ERR_INIT;
  int64_t now = sws_now_ms();
  int bLocal, rc;

  web_throttle_keys(r, zLogin, zKeyLogin, zKeyAddr, &bLocal);
  int64_t wait = wait_left(cw, zKeyLogin, now);
  int64_t waitAddr = bLocal ? 0 : wait_left(cw, zKeyAddr, now);
  if (waitAddr > wait)
    wait = waitAddr;
  if (wait > 0)
    return sws_err_set(err, SWS_ECONFLICT, "%lld",
                       (long long)((wait + 59999) / 60000));
  snprintf(zDetail, sizeof zDetail, "from %.64s", r->req->zClient);
  rc = central_account_authenticate(cw->c, zLogin, zPassword, &a, &aerr);
  if (rc != 0 && rc != SWS_EPERM) {
    *err = aerr;
    return rc;
  }
  if (rc == SWS_EPERM) {
    count_failure(cw, zKeyLogin, WEB_LOGIN_FREE, now);
    if (!bLocal)
      count_failure(cw, zKeyAddr, WEB_ADDR_FREE, now);
    /* a login that is no account is not written down: it may be a
     * password typed in the wrong box */
    int bKnown = central_account_get(cw->c, zLogin, &a, NULL) == 0;
    if ((rc = central_account_log(cw->c, bKnown ? a.zLogin : "ui",
                                  "ui.login-failed", zDetail, err)) != 0)
      return rc;
    return sws_err_set(err, SWS_EPERM, "%s", aerr.msg);
  }
  if ((rc = central_account_log(cw->c, a.zLogin, "ui.login", zDetail, err)) !=
      0)
    return rc;
  struct cweb_throttle *t = throttle_find(cw, zKeyLogin, 0, now);
  if (t)
    t->failures = t->blockedUntilMs = 0;
  /* a free slot, or the session used least lately */
  struct cweb_session *s = &cw->aSession[0];
  for (int i = 0; i < CWEB_SESSIONS && s->zHash[0]; i++)
    if (!cw->aSession[i].zHash[0] || cw->aSession[i].seenMs < s->seenMs)
      s = &cw->aSession[i];
  if (s->zHash[0])
    end_session(q, s, "crowded out", err);
  web_new_token(zTok);
  web_token_hash(zHash, "", zTok);
  memset(s, 0, sizeof *s);
  memcpy(s->zHash, zHash, sizeof s->zHash);
  sws_strlcpy(s->zLogin, a.zLogin, sizeof s->zLogin);
  s->createdMs = s->seenMs = now;
  web_session_cookies(r, zTok);
  sodium_memzero(zTok, sizeof zTok);
  return 0;
}

int cweb_session_logout(struct web_req *r, struct sws_err *err)
{
  struct cweb_req *q = CWEB(r);
  web_set_cookie(r, web_sid_cookie(r), "");
  if (!r->bAuth || q->session == NULL)
    return 0;
  char zLogin[33];
  sws_strlcpy(zLogin, q->session->zLogin, sizeof zLogin);
  memset(q->session, 0, sizeof *q->session);
  q->session = NULL;
  r->bAuth = 0;
  return central_account_log(q->cw->c, zLogin, "ui.logout", "", err);
}

int cweb_session_set_lang(struct web_req *r, const char *zLang,
                          struct sws_err *err)
{
  (void)err;
  sws_strlcpy(CWEB(r)->session->zLang, zLang, sizeof CWEB(r)->session->zLang);
  sws_strlcpy(r->zLang, zLang, sizeof r->zLang);
  return 0;
}
