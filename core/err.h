/*
 * err.h - the one error type of sws.
 *
 * Fallible functions return 0 (SWS_OK) or a negative SWS_E* code and take a
 * `struct sws_err *err` as their last argument; the message in it is written
 * for the officer who will read it: what is wrong and what to do.
 */
#ifndef SWS_CORE_ERR_H
#define SWS_CORE_ERR_H

#include <stdarg.h>

enum sws_code {
  SWS_OK = 0,
  SWS_EINVAL = -1,    /* bad input from the user or a file */
  SWS_ENOTFOUND = -2, /* the thing named does not exist */
  SWS_ECONFLICT = -3, /* not allowed in the current state */
  SWS_EDB = -4,       /* the database failed */
  SWS_EIO = -5,       /* a file or device failed */
  SWS_EPERM = -6,     /* the user's role does not allow it */
  SWS_ENET = -7,      /* the network failed */
  SWS_EDUP = -8,      /* possible duplicates found; nothing saved */
  SWS_ETOOBIG = -9,   /* input over a size limit */
  SWS_ESCHEMA = -10,  /* database file of another kind or version */
  SWS_ECRYPTO = -11,  /* signature or key failure */
  SWS_ERETRY = -12,   /* a concurrent transaction won; run it again */
};

struct sws_err {
  int code;      /* SWS_OK or a negative enum sws_code */
  char msg[256]; /* one line, lowercase start, no full stop */
};

#define SWS_ERR_INIT {SWS_OK, ""}

/*
 * Set `err` to `code` and a formatted message; returns `code` so callers can
 * write `return sws_err_set(err, SWS_EINVAL, "...")`. `err` may be NULL.
 */
int sws_err_set(struct sws_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As sws_err_set with a va_list. */
int sws_err_vset(struct sws_err *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * Translation of messages. A translator gives the format of a message in
 * the reader's language (or the format itself); sws_err_set calls it, on
 * the calling thread only, before formatting. The web UI sets one around
 * each request (the officer's language); the command line sets one when
 * SWS_LANG names a language. No translator: English, as written. A
 * translation whose conversions (%s, %d, %lld...) differ from the
 * original's is not used.
 */
typedef const char *(*sws_err_tr_fn)(void *arg, const char *zFmt);

/* Set the calling thread's translator (NULL: none); returns the one it
 * replaces, with its argument in *pOldArg when pOldArg is not NULL. */
sws_err_tr_fn sws_err_set_translator(sws_err_tr_fn fn, void *arg,
                                     void **pOldArg);

/* The calling thread's translation of zFmt (zFmt itself without a
 * translator or a usable translation). */
const char *sws_err_translate(const char *zFmt);

/* Reset `err` to SWS_OK with an empty message. */
void sws_err_clear(struct sws_err *err);

/* A short English name for a code, for logs ("not found"). */
const char *sws_code_name(int code);

#endif
