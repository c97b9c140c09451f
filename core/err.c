/*
 * err.c - formatting of the one error type (see err.h).
 */
#include "err.h"

#include <stdio.h>
#include <string.h>

int sws_err_vset(struct sws_err *err, int code, const char *fmt, va_list ap)
{
  if (err == NULL)
    return code;
  err->code = code;
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
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
  }
  return "error";
}
