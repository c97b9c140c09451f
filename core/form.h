/*
 * form.h - decoding of application/x-www-form-urlencoded bodies and URL
 * query strings into name/value pairs.
 *
 * Pure (no I/O), every input treated as hostile: percent escapes must be
 * two hex digits, '+' means a space, a decoded NUL is refused, names and
 * values must be valid UTF-8, and the number of fields and their sizes are
 * capped. Used by the web UI (forms) and the registry (query strings);
 * fuzzed by fuzz/fuzz_form.c.
 */
#ifndef SWS_CORE_FORM_H
#define SWS_CORE_FORM_H

#include <stddef.h>

#include "err.h"

/* The caps; a zero member takes the default below. */
struct form_limits {
  int nMaxFields;      /* pairs (default 256) */
  size_t nMaxName;     /* bytes of one decoded name (default 128) */
  size_t nMaxValue;    /* bytes of one decoded value (default 64 KiB) */
  size_t nMaxInput;    /* bytes of the encoded input (default 1 MiB) */
};

#define FORM_DEFAULT_FIELDS 256
#define FORM_DEFAULT_NAME 128
#define FORM_DEFAULT_VALUE ((size_t)64 << 10)
#define FORM_DEFAULT_INPUT ((size_t)1 << 20)

struct form_field {
  char *zName;  /* decoded, NUL-terminated, never NULL */
  char *zValue; /* decoded, NUL-terminated, "" for "name" or "name=" */
  size_t nValue;
};

struct form {
  struct form_field *a; /* in input order; duplicates kept */
  int n;
};

#define FORM_INIT {NULL, 0}

/*
 * Decode the n bytes at z ("a=1&b=x+y&c=%C3%A9"; a query string without
 * its '?') into out, which must be empty (FORM_INIT) and is released with
 * form_release whatever the result. Empty pieces ("a=1&&b=2", a trailing
 * '&') are skipped; a piece without '=' is a name with an empty value; ';'
 * is not a separator. lim may be NULL for the defaults.
 * Errors: SWS_EINVAL (a bad escape, a NUL, invalid UTF-8, an empty name),
 * SWS_ETOOBIG (a cap); err says which field.
 */
int form_parse(struct form *out, const char *z, size_t n,
               const struct form_limits *lim, struct sws_err *err);

/* The value of the first field called zName, or NULL. Borrowed from f. */
const char *form_get(const struct form *f, const char *zName);

/* How many fields are called zName. */
int form_count(const struct form *f, const char *zName);

/* Free everything; f is empty and reusable afterwards. */
void form_release(struct form *f);

/*
 * Percent-decode the n bytes at z into out (capacity nOut, including the
 * NUL), '+' as a space when bPlus. Returns the decoded length, or -1 for a
 * bad escape, a NUL or an overflow of out. Exposed for URL paths.
 */
long form_unescape(char *out, size_t nOut, const char *z, size_t n,
                   int bPlus);

#endif
