/*
 * form.c - application/x-www-form-urlencoded and query-string decoding
 * (see form.h).
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "text.h"

enum { DEC_BADESC = -1, DEC_NUL = -2, DEC_LONG = -3 };

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decode into out (cap bytes for text, plus one for the NUL). */
static long decode(char *out, size_t cap, const char *z, size_t n, int bPlus)
{
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)z[i];
    if (c == '%') {
      if (n - i < 3)
        return DEC_BADESC;
      int hi = hexval((unsigned char)z[i + 1]);
      int lo = hexval((unsigned char)z[i + 2]);
      if (hi < 0 || lo < 0)
        return DEC_BADESC;
      c = hi * 16 + lo;
      i += 2;
    } else if (c == '+' && bPlus) {
      c = ' ';
    }
    if (c == 0)
      return DEC_NUL;
    if (j >= cap)
      return DEC_LONG;
    out[j++] = (char)c;
  }
  out[j] = '\0';
  return (long)j;
}

long form_unescape(char *out, size_t nOut, const char *z, size_t n,
                   int bPlus)
{
  if (nOut == 0)
    return -1;
  long r = decode(out, nOut - 1, z, n, bPlus);
  return r < 0 ? -1 : r;
}

/* 1 if a decoded name has a control character (C0 or DEL). */
static int has_control(const char *z)
{
  for (; *z; z++) {
    unsigned char c = (unsigned char)*z;
    if (c < 0x20 || c == 0x7f)
      return 1;
  }
  return 0;
}

/* Decode one piece into a new string; 0 or a DEC_ code. */
static int piece(char **pz, size_t *pn, const char *z, size_t n, size_t max)
{
  /* the decoded text is never longer than the encoded one */
  size_t cap = n < max ? n : max;
  char *out = sws_malloc(cap + 1);
  long r = decode(out, cap, z, n, 1);
  if (r < 0) {
    free(out);
    return (int)r;
  }
  *pz = out;
  *pn = (size_t)r;
  return 0;
}

static int field_error(struct sws_err *err, int rc, int idx, const char *zWhat,
                       size_t max)
{
  switch (rc) {
  case DEC_BADESC:
    return sws_err_set(err, SWS_EINVAL, "the %s of field %d has a broken "
                       "%%-escape (not two hex digits); send the form again",
                       zWhat, idx);
  case DEC_NUL:
    return sws_err_set(err, SWS_EINVAL, "the %s of field %d contains a NUL "
                       "byte, which is not allowed", zWhat, idx);
  default:
    return sws_err_set(err, SWS_ETOOBIG, "the %s of field %d is longer than "
                       "the limit of %zu bytes", zWhat, idx, max);
  }
}

int form_parse(struct form *out, const char *z, size_t n,
               const struct form_limits *lim, struct sws_err *err)
{
  int maxFields = lim && lim->nMaxFields > 0 ? lim->nMaxFields
                                             : FORM_DEFAULT_FIELDS;
  size_t maxName = lim && lim->nMaxName ? lim->nMaxName : FORM_DEFAULT_NAME;
  size_t maxValue = lim && lim->nMaxValue ? lim->nMaxValue
                                          : FORM_DEFAULT_VALUE;
  size_t maxInput = lim && lim->nMaxInput ? lim->nMaxInput
                                          : FORM_DEFAULT_INPUT;
  int cap = 0;

  out->a = NULL;
  out->n = 0;
  if (n > maxInput)
    return sws_err_set(err, SWS_ETOOBIG, "the form is larger than the limit "
                       "of %zu bytes", maxInput);
  size_t i = 0;
  while (i < n) {
    const char *p = z + i;
    const char *amp = memchr(p, '&', n - i);
    size_t len = amp ? (size_t)(amp - p) : n - i;
    i += len + (amp ? 1 : 0);
    if (len == 0)
      continue;
    int idx = out->n + 1;
    if (out->n >= maxFields) {
      form_release(out);
      return sws_err_set(err, SWS_ETOOBIG, "the form has more than %d "
                         "fields", maxFields);
    }
    const char *eq = memchr(p, '=', len);
    size_t nName = eq ? (size_t)(eq - p) : len;
    if (nName == 0) {
      form_release(out);
      return sws_err_set(err, SWS_EINVAL, "field %d of the form has no "
                         "name", idx);
    }
    struct form_field f = {NULL, NULL, 0};
    size_t nDec = 0;
    int rc = piece(&f.zName, &nDec, p, nName, maxName);
    if (rc != 0) {
      form_release(out);
      return field_error(err, rc, idx, "name", maxName);
    }
    if (!sws_utf8_valid(f.zName, nDec) || has_control(f.zName)) {
      free(f.zName);
      form_release(out);
      return sws_err_set(err, SWS_EINVAL, "the name of field %d is not "
                         "valid text (UTF-8 without control characters)",
                         idx);
    }
    if (eq) {
      rc = piece(&f.zValue, &f.nValue, eq + 1, len - nName - 1, maxValue);
      if (rc != 0) {
        free(f.zName);
        form_release(out);
        return field_error(err, rc, idx, "value", maxValue);
      }
    } else {
      f.zValue = sws_strdup("");
    }
    if (!sws_utf8_valid(f.zValue, f.nValue)) {
      char zName[41];
      sws_strlcpy(zName, f.zName, sizeof zName);
      free(f.zName);
      free(f.zValue);
      form_release(out);
      return sws_err_set(err, SWS_EINVAL, "the value of field '%s' is not "
                         "valid UTF-8 text; check the browser's encoding",
                         zName);
    }
    if (out->n == cap) {
      cap = cap ? cap * 2 : 8;
      out->a = sws_realloc(out->a, (size_t)cap * sizeof *out->a);
    }
    out->a[out->n++] = f;
  }
  return SWS_OK;
}

const char *form_get(const struct form *f, const char *zName)
{
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->a[i].zName, zName) == 0)
      return f->a[i].zValue;
  return NULL;
}

int form_count(const struct form *f, const char *zName)
{
  int k = 0;
  for (int i = 0; i < f->n; i++)
    if (strcmp(f->a[i].zName, zName) == 0)
      k++;
  return k;
}

void form_release(struct form *f)
{
  for (int i = 0; i < f->n; i++) {
    free(f->a[i].zName);
    free(f->a[i].zValue);
  }
  free(f->a);
  f->a = NULL;
  f->n = 0;
}
