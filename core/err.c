/*
 * err.c - formatting of the one error type (see err.h).
 */
#include "err.h"

#include <stdio.h>
#include <string.h>

/* Per thread: the registry's workers and the sync's push thread never
 * have one, so they never call into gettext (which is not safe while
 * another thread switches its language). */
static _Thread_local sws_err_tr_fn g_tr;
static _Thread_local void *g_trArg;

sws_err_tr_fn sws_err_set_translator(sws_err_tr_fn fn, void *arg,
                                     void **pOldArg)
{
  sws_err_tr_fn old = g_tr;
  if (pOldArg)
    *pOldArg = g_trArg;
  g_tr = fn;
  g_trArg = arg;
  return old;
}

/* The next conversion of z from *pi on (its length modifier and letter,
 * such as "lld" or "s", in zOut); 0 at the end. "%%" is no conversion;
 * flags, width and precision may differ between languages ("%.0s" takes
 * an argument and shows nothing), "*" may not (it takes one). */
static int next_conversion(const char *z, size_t *pi, char *zOut, size_t n)
{
  size_t i = *pi;
  for (;;) {
    while (z[i] && z[i] != '%')
      i++;
    if (z[i] == '\0') {
      *pi = i;
      return 0;
    }
    i++;
    if (z[i] == '%') {
      i++;
      continue;
    }
    size_t k = 0;
    while (z[i] && strchr("-+ #0123456789.$'", z[i]))
      i++;
    while (z[i] && strchr("*hlLqjzt", z[i])) {
      if (k + 2 < n)
        zOut[k++] = z[i];
      i++;
    }
    if (z[i] == '\0')
      return -1; /* a lone '%' at the end */
    if (k + 2 < n)
      zOut[k++] = z[i];
    zOut[k] = '\0';
    *pi = i + 1;
    return 1;
  }
}

/* Do zA and zB take the same arguments, in the same order? */
static int same_conversions(const char *zA, const char *zB)
{
  size_t ia = 0, ib = 0;
  char za[8], zb[8];
  for (;;) {
    int ra = next_conversion(zA, &ia, za, sizeof za);
    int rb = next_conversion(zB, &ib, zb, sizeof zb);
    if (ra != rb)
      return 0;
    if (ra <= 0)
      return ra == 0;
    if (strcmp(za, zb) != 0)
      return 0;
  }
}

const char *sws_err_translate(const char *zFmt)
{
  if (g_tr == NULL || zFmt == NULL || zFmt[0] == '\0')
    return zFmt;
  const char *z = g_tr(g_trArg, zFmt);
  if (z == NULL || z == zFmt || !same_conversions(zFmt, z))
    return zFmt;
  return z;
}

int sws_err_vset(struct sws_err *err, int code, const char *fmt, va_list ap)
{
  if (err == NULL)
    return code;
  err->code = code;
  fmt = sws_err_translate(fmt);
  int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  if (n >= (int)sizeof err->msg) {
    /* cut before a character the end would split, so the message stays
     * valid UTF-8 (it may quote the user's text, in any script) */
    size_t k = sizeof err->msg - 1, lead = k;
    while (lead > 0 && ((unsigned char)err->msg[lead - 1] & 0xc0) == 0x80)
      lead--;
    if (lead > 0 && (unsigned char)err->msg[lead - 1] >= 0xc0) {
      unsigned char c = (unsigned char)err->msg[lead - 1];
      size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      if (k - (lead - 1) < want)
        err->msg[lead - 1] = '\0';
    }
  }
  return code;
}

int sws_err_set(struct sws_err *err, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  sws_err_vset(err, code, fmt, ap);
  va_end(ap);
  return code;
}

void sws_err_clear(struct sws_err *err)
{
  if (err == NULL)
    return;
  err->code = SWS_OK;
  err->msg[0] = '\0';
}

const char *sws_code_name(int code)
{
  switch (code) {
  case SWS_OK: return "ok";
  case SWS_EINVAL: return "invalid input";
  case SWS_ENOTFOUND: return "not found";
  case SWS_ECONFLICT: return "conflict";
  case SWS_EDB: return "database error";
  case SWS_EIO: return "i/o error";
  case SWS_EPERM: return "not permitted";
  case SWS_ENET: return "network error";
  case SWS_EDUP: return "possible duplicate";
  case SWS_ETOOBIG: return "too big";
  case SWS_ESCHEMA: return "wrong database";
  case SWS_ECRYPTO: return "signature error";
  case SWS_ERETRY: return "try again";
  }
  return "error";
}
