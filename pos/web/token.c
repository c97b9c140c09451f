/*
 * token.c - what both web UIs (the office's `sws ui`, the registry's `sws
 * central ui`) use to know a browser: cookies, random 256-bit session
 * tokens kept only as their SHA-256, CSRF tokens derived from them, the
 * login form's double-submit token, and the waits of login throttling.
 * Where sessions live is each UI's own (session.c, central_session.c).
 */
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

const char *web_sid_cookie(const struct web_req *r)
{
  return r->zSidCookie;
}

static const char *login_name(const struct web_req *r)
{
  return r->zLoginCookie;
}

int web_cookie(const struct web_req *r, const char *zName, char *out, size_t n)
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

void web_set_cookie(struct web_req *r, const char *zName, const char *zValue)
{
  char z[256];
  snprintf(z, sizeof z, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", zName,
           zValue, r->req->bTls ? "; Secure" : "",
           zValue[0] ? "" : "; Max-Age=0");
  http_resp_header(r->resp, "Set-Cookie", z);
}

int web_token_shape_ok(const char *z)
{
  if (strlen(z) != WEB_TOKEN_CHARS)
    return 0;
  for (; *z; z++)
    if (!((*z >= 'A' && *z <= 'Z') || (*z >= 'a' && *z <= 'z') ||
          (*z >= '0' && *z <= '9') || *z == '-' || *z == '_'))
      return 0;
  return 1;
}

void web_new_token(char out[WEB_TOKEN_CHARS + 1])
{
  unsigned char raw[32];
  sws_random(raw, sizeof raw);
  sws_b64url(out, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

void web_token_hash(char out[65], const char *zTag, const char *z)
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
void web_csrf_of(char out[WEB_TOKEN_CHARS + 1], const char *zToken)
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
  if (web_cookie(r, login_name(r), z, sizeof z) && web_token_shape_ok(z)) {
    memcpy(zOut, z, WEB_TOKEN_CHARS + 1);
    return;
  }
  web_new_token(zOut);
  web_set_cookie(r, login_name(r), zOut);
}

int web_login_token_ok(const struct web_req *r, const char *zPosted)
{
  char z[64];
  return zPosted && web_cookie(r, login_name(r), z, sizeof z) &&
         web_token_shape_ok(z) && same_token(z, zPosted);
}

void web_session_cookies(struct web_req *r, const char *zToken)
{
  web_set_cookie(r, web_sid_cookie(r), zToken);
  web_set_cookie(r, login_name(r), "");
}

void web_throttle_keys(const struct web_req *r, const char *zLogin,
                       char zKeyLogin[80], char zKeyAddr[80], int *pbLocal)
{
  char zHash[65];
  /* the login as typed may be a password typed in the wrong box: only
   * its hash is kept */
  web_token_hash(zHash, "ui-login:", zLogin);
  snprintf(zKeyLogin, 80, "login:%.32s", zHash);
  snprintf(zKeyAddr, 80, "addr:%.64s", r->req->zClient);
  /* every officer at the office computer comes from its loopback
   * address: there, each login is slowed on its own, or twenty wrong
   * passwords would lock every officer out */
  const char *zC = r->req->zClient;
  *pbLocal = strncmp(zC, "127.", 4) == 0 || strcmp(zC, "::1") == 0 ||
             strcmp(zC, "::ffff:127.0.0.1") == 0;
}

int64_t web_throttle_wait(int64_t nFailures, int nFree)
{
  if (nFailures < nFree)
    return 0;
  int64_t wait = WEB_WAIT_FIRST_MS;
  for (int64_t i = nFree; i < nFailures && wait < WEB_WAIT_MAX_MS; i++)
    wait *= 2;
  return wait > WEB_WAIT_MAX_MS ? WEB_WAIT_MAX_MS : wait;
}
