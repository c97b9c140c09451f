/*
 * buf.c - growable capped buffer (see buf.h).
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

void buf_init(struct buf *b, size_t max)
{
  b->z = NULL;
  b->n = 0;
  b->cap = 0;
  b->max = max;
  b->toobig = 0;
}

static int grow(struct buf *b, size_t extra)
{
  if (b->toobig || extra > b->max - b->n) {
    b->toobig = 1;
    return SWS_ETOOBIG;
  }
  size_t need = b->n + extra + 1;
  if (need <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap *= 2;
  b->z = sws_realloc(b->z, cap);
  b->cap = cap;
  return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
  if (grow(b, n) != 0)
    return SWS_ETOOBIG;
  if (n)
    memcpy(b->z + b->n, p, n);
  b->n += n;
  b->z[b->n] = '\0';
  return 0;
}

int buf_puts(struct buf *b, const char *z)
{
  return buf_append(b, z, strlen(z));
}

int buf_putc(struct buf *b, int c)
{
  char ch = (char)c;
  return buf_append(b, &ch, 1);
}

int buf_vappendf(struct buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return 0;
  if (grow(b, (size_t)n) != 0)
    return SWS_ETOOBIG;
  vsnprintf(b->z + b->n, (size_t)n + 1, fmt, ap);
  b->n += (size_t)n;
  return 0;
}

int buf_appendf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = buf_vappendf(b, fmt, ap);
  va_end(ap);
  return rc;
}

void buf_reset(struct buf *b)
{
  b->n = 0;
  b->toobig = 0;
  if (b->z)
    b->z[0] = '\0';
}

void buf_release(struct buf *b)
{
  free(b->z);
  b->z = NULL;
  b->n = b->cap = 0;
  b->toobig = 0;
}

char *buf_detach(struct buf *b, size_t *pn)
{
  char *z = b->z ? b->z : sws_strdup("");
  if (pn)
    *pn = b->n;
  b->z = NULL;
  b->n = b->cap = 0;
  b->toobig = 0;
  return z;
}

const char *buf_str(const struct buf *b)
{
  return b->z ? b->z : "";
}

int buf_check(const struct buf *b, const char *what, struct sws_err *err)
{
  if (!b->toobig)
    return 0;
  return sws_err_set(err, SWS_ETOOBIG, "%s is larger than the limit of %zu "
                     "bytes", what, b->max);
}
