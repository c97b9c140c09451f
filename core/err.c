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
