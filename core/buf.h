/*
 * buf.h - a growable byte buffer with a maximum size.
 *
 * The buffer is NUL-terminated at all times (z[n] == 0) so it can be used as
 * a string. Every buffer has a cap: appending past it sets `toobig` and drops
 * the data, so callers append freely and check once with buf_check().
 */
#ifndef SWS_CORE_BUF_H
#define SWS_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct buf {
  char *z;    /* contents, NUL-terminated; NULL until the first append */
  size_t n;   /* bytes used, not counting the NUL */
  size_t cap; /* bytes allocated */
  size_t max; /* largest allowed n */
  int toobig; /* set when an append would have passed max */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)
#define BUF_INIT {NULL, 0, 0, BUF_DEFAULT_MAX, 0}

/* Initialise an empty buffer that may hold at most `max` bytes. */
void buf_init(struct buf *b, size_t max);
/* Append `n` bytes; returns 0 or SWS_ETOOBIG (and sets b->toobig). */
int buf_append(struct buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
int buf_puts(struct buf *b, const char *z);
/* Append one byte. */
int buf_putc(struct buf *b, int c);
/* Append formatted text. */
int buf_appendf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vappendf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Empty the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Free the memory; the buffer is empty and usable again. */
void buf_release(struct buf *b);
/* Take ownership of the contents (never NULL; caller frees); b is emptied. */
char *buf_detach(struct buf *b, size_t *pn);
/* The contents as a string ("" when empty). */
const char *buf_str(const struct buf *b);
/* SWS_ETOOBIG with a message naming `what` if the cap was hit, else 0. */
int buf_check(const struct buf *b, const char *what, struct sws_err *err);

#endif
