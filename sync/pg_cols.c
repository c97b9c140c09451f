/*
 * pg_cols.c - rows sent to PostgreSQL as binary text[] columns (see
 * pg_cols.h).
 *
 * The binary form of a one-dimensional array (PostgreSQL's array_recv):
 * five 32-bit integers in network order (dimensions 1, a flag set when
 * an element is NULL, the element type, the length, the lower bound 1),
 * then each element as a 32-bit length (-1: NULL) and its bytes.
 */
#include "sync/pg_cols.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TEXT_OID 25
#define HEADER_BYTES 20
/* a push's largest column is a few megabytes; beyond this, refuse */
#define COL_MAX ((size_t)1 << 30)

static void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

void pg_cols_init(struct pg_cols *c, int nCols)
{
  static const unsigned char zero[HEADER_BYTES];
  memset(c, 0, sizeof *c);
  c->n = nCols < 1 ? 1 : nCols > PG_COLS_MAX ? PG_COLS_MAX : nCols;
  for (int k = 0; k < c->n; k++) {
    buf_init(&c->a[k], COL_MAX);
    buf_append(&c->a[k], zero, sizeof zero); /* filled by pg_cols_finish */
  }
}

void pg_cols_add(struct pg_cols *c, int k, const char *z, size_t n)
{
  unsigned char len[4];
  if (k < 0 || k >= c->n)
    return;
  if (z == NULL || n > INT32_MAX) {
    put32(len, UINT32_MAX); /* -1: NULL */
    c->bNull[k] = 1;
    buf_append(&c->a[k], len, sizeof len);
  } else {
    put32(len, (uint32_t)n);
    buf_append(&c->a[k], len, sizeof len);
    buf_append(&c->a[k], z, n);
  }
  c->aCount[k]++;
}

void pg_cols_text(struct pg_cols *c, int k, const char *z)
{
  pg_cols_add(c, k, z, z ? strlen(z) : 0);
}

void pg_cols_json(struct pg_cols *c, int k, json_t *v)
{
  char z[48];
  switch (v ? json_typeof(v) : JSON_NULL) {
  case JSON_STRING:
    pg_cols_add(c, k, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER:
    snprintf(z, sizeof z, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    pg_cols_text(c, k, z);
    break;
  case JSON_REAL:
    /* 17 digits: float8in reads back the same double */
    snprintf(z, sizeof z, "%.17g", json_real_value(v));
    pg_cols_text(c, k, z);
    break;
  case JSON_TRUE:
    pg_cols_text(c, k, "true");
    break;
  case JSON_FALSE:
    pg_cols_text(c, k, "false");
    break;
  case JSON_OBJECT:
  case JSON_ARRAY: {
    char *zj = json_dumps(v, JSON_COMPACT);
    pg_cols_text(c, k, zj);
    free(zj);
    break;
  }
  default:
    pg_cols_add(c, k, NULL, 0);
  }
}

int pg_cols_finish(struct pg_cols *c, struct sws_err *err)
{
  c->nRows = c->aCount[0];
  for (int k = 0; k < c->n; k++) {
    struct buf *b = &c->a[k];
    if (c->aCount[k] != c->nRows)
      return sws_err_set(err, SWS_EINVAL,
                         "column %d of %d has %d values, "
                         "not %d (a bug in sws)",
                         k + 1, c->n, c->aCount[k], c->nRows);
    if (b->toobig || b->n > INT32_MAX)
      return sws_err_set(err, SWS_ETOOBIG,
                         "too many rows for one "
                         "statement (%d)",
                         c->nRows);
    unsigned char *h = (unsigned char *)b->z;
    put32(h, 1);                         /* dimensions */
    put32(h + 4, (uint32_t)c->bNull[k]); /* has a NULL */
    put32(h + 8, TEXT_OID);
    put32(h + 12, (uint32_t)c->nRows);
    put32(h + 16, 1); /* lower bound */
    c->aVal[k] = b->z;
    c->aLen[k] = (int)b->n;
    c->aFmt[k] = 1;
  }
  return SWS_OK;
}

void pg_cols_release(struct pg_cols *c)
{
  for (int k = 0; k < c->n; k++)
    buf_release(&c->a[k]);
  memset(c, 0, sizeof *c);
}
