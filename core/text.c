/*
 * text.c - input text checks (see text.h).
 */
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "mem.h"

int sws_utf8_valid(const char *z, size_t n)
{
  for (size_t i = 0; i < n;) {
    unsigned cp;
    size_t k = sws_utf8_next(z + i, n - i, &cp);
    if (k == 0)
      return 0;
    i += k;
  }
  return 1;
}

size_t sws_utf8_len(const char *z)
{
  size_t n = 0;
  for (; *z; z++)
    if (((unsigned char)*z & 0xc0) != 0x80)
      n++;
  return n;
}

size_t sws_utf8_next(const char *z, size_t n, unsigned *pcp)
{
  const unsigned char *p = (const unsigned char *)z;
  unsigned c = p[0], cp;
  size_t k;
  if (c < 0x80) {
    *pcp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    k = 1;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    k = 2;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    k = 3;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n <= k)
    return 0;
  for (size_t i = 1; i <= k; i++) {
    if ((p[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  *pcp = cp;
  return k + 1;
}

int sws_cp_control(unsigned cp)
{
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int sws_cp_bidi(unsigned cp)
{
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int sws_cp_line_break(unsigned cp)
{
  return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

int sws_text_check(const char *zField, const char *z, size_t nMax,
                   int bMultiline, struct sws_err *err)
{
  size_t n = strlen(z);
  if (n > nMax)
    return sws_err_set(err, SWS_ETOOBIG, "%s is too long (%zu bytes; at most "
                       "%zu)", zField, n, nMax);
  if (!sws_utf8_valid(z, n))
    return sws_err_set(err, SWS_EINVAL, "%s is not valid UTF-8 text; check "
                       "the keyboard or file encoding", zField);
  for (size_t i = 0, pos = 1; i < n; pos++) {
    unsigned cp = 0;
    size_t k = sws_utf8_next(z + i, n - i, &cp); /* valid: checked above */
    if (k == 0)
      break;
    int bWhite = cp == '\n' || cp == '\t' || cp == '\r';
    if (sws_cp_control(cp) && !(bMultiline && bWhite))
      return sws_err_set(err, SWS_EINVAL,
                         "%s contains a control character "
                         "(U+%04X at character %zu); remove it",
                         zField, cp, pos);
    /* in a name or a number, a character that makes the text show other
     * than it is (a name that reads as another's) */
    if (!bMultiline && (sws_cp_bidi(cp) || sws_cp_line_break(cp)))
      return sws_err_set(err, SWS_EINVAL,
                         "%s contains a %s (U+%04X at "
                         "character %zu), which makes text show other than "
                         "it is; remove it",
                         zField,
                         sws_cp_bidi(cp) ? "bidirectional control "
                                           "character"
                                         : "line separator",
                         cp, pos);
    i += k;
  }
  return SWS_OK;
}

char *sws_digits_ascii(const char *z)
{
  if (z == NULL)
    return NULL;
  char *zOut = sws_strdup(z), *q = zOut;
  for (const unsigned char *p = (const unsigned char *)z; *p;) {
    /* U+17E0-U+17E9 is E1 9F A0-A9; U+1810-U+1819 is E1 A0 90-99 */
    if (p[0] == 0xE1 && p[1] == 0x9F && p[2] >= 0xA0 && p[2] <= 0xA9) {
      *q++ = (char)('0' + (p[2] - 0xA0));
      p += 3;
    } else if (p[0] == 0xE1 && p[1] == 0xA0 && p[2] >= 0x90 && p[2] <= 0x99) {
      *q++ = (char)('0' + (p[2] - 0x90));
      p += 3;
    } else {
      *q++ = (char)*p++;
    }
  }
  *q = '\0';
  return zOut;
}

int sws_parse_int64(const char *zField, const char *z, int64_t min,
                    int64_t max, int64_t *out, struct sws_err *err)
{
  char *end;
  if (z == NULL || *z == '\0')
    return sws_err_set(err, SWS_EINVAL, "%s needs a number", zField);
  char *zA = sws_digits_ascii(z);
  errno = 0;
  long long v = strtoll(zA, &end, 10);
  int bad = errno != 0 || *end != '\0' || end == zA || v < min || v > max;
  free(zA);
  if (bad)
    return sws_err_set(err, SWS_EINVAL, "%s must be a whole number from "
                       "%lld to %lld, not '%s'", zField, (long long)min,
                       (long long)max, z);
  *out = v;
  return SWS_OK;
}

char *sws_trim(const char *z)
{
  while (*z == ' ' || *z == '\t' || *z == '\n' || *z == '\r')
    z++;
  size_t n = strlen(z);
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n' ||
                   z[n - 1] == '\r'))
    n--;
  return sws_strndup(z, n);
}

int sws_blank(const char *z)
{
  if (z == NULL)
    return 1;
  for (; *z; z++)
    if (*z != ' ' && *z != '\t' && *z != '\n' && *z != '\r')
      return 0;
  return 1;
}

static int num(const char *z, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9')
      return -1;
    v = v * 10 + z[i] - '0';
  }
  return v;
}

static int born_bad(const char *zField, const char *z, struct sws_err *err)
{
  return sws_err_set(err, SWS_EINVAL, "%s '%s' is not a birth date; write "
                     "YYYY, YYYY-MM or YYYY-MM-DD", zField, z);
}

int sws_born_check(const char *zField, const char *z, int64_t now_ms,
                   int *year, struct sws_err *err)
{
  size_t n = strlen(z);
  int y = -1, m = 1, d = 1;
  if (n == 4) {
    y = num(z, 4);
  } else if (n == 7 && z[4] == '-') {
    y = num(z, 4);
    m = num(z + 5, 2);
  } else if (n == 10 && z[4] == '-' && z[7] == '-') {
    y = num(z, 4);
    m = num(z + 5, 2);
    d = num(z + 8, 2);
  }
  if (y < 0 || m < 0 || d < 0 || !sws_date_valid(y, m, d))
    return born_bad(zField, z, err);
  int ny, nm, nd;
  sws_civil_from_days(now_ms / 86400000, &ny, &nm, &nd);
  if (y < 1880 || sws_days_from_civil(y, m, d) > now_ms / 86400000)
    return sws_err_set(err, SWS_EINVAL, "%s '%s' is not a possible birth "
                       "date (today is %04d-%02d-%02d)", zField, z, ny, nm,
                       nd);
  if (year)
    *year = y;
  return SWS_OK;
}

/* A time of midnight, as exports write it after a date: "00:00", "0:00",
 * "00:00:00", "00:00:00.000". */
static int midnight(const char *z)
{
  int n = 0;
  while (*z == '0' && n < 2) {
    z++;
    n++;
  }
  if (n == 0 || *z != ':' || strncmp(z + 1, "00", 2) != 0)
    return 0;
  z += 3;
  if (*z == ':' && strncmp(z + 1, "00", 2) == 0) {
    z += 3;
    if (*z == '.' && z[1] == '0') {
      z++;
      while (*z == '0')
        z++;
    }
  }
  return *z == '\0';
}

static int born_norm(const char *zField, const char *z,
                     enum sws_date_order order, const char *zOrderHint,
                     char out[SWS_BORN_SIZE], struct sws_err *err);

int sws_born_norm(const char *zField, const char *z,
                  enum sws_date_order order, const char *zOrderHint,
                  char out[SWS_BORN_SIZE], struct sws_err *err)
{
  char *zA = sws_digits_ascii(z);
  int rc = born_norm(zField, zA ? zA : "", order, zOrderHint, out, err);
  free(zA);
  return rc;
}

static int born_norm(const char *zField, const char *z,
                     enum sws_date_order order, const char *zOrderHint,
                     char out[SWS_BORN_SIZE], struct sws_err *err)
{
  int aVal[3], aLen[3], n = 0;
  char sep = 0;
  const char *p = z;
  out[0] = '\0';
  /* up to three runs of digits, one separator between them throughout */
  for (;;) {
    int v = 0, k = 0;
    while (*p >= '0' && *p <= '9' && k < 9) {
      v = v * 10 + (*p++ - '0');
      k++;
    }
    if (k == 0 || n == 3)
      goto bad;
    aVal[n] = v;
    aLen[n++] = k;
    if (*p == '\0' || ((*p == ' ' || *p == 'T') && midnight(p + 1)))
      break;
    if ((*p != '-' && *p != '/' && *p != '.') || (sep && *p != sep))
      goto bad;
    sep = *p++;
  }
  int y, m = 0, d = 0;
  if (n == 1 && aLen[0] == 5)
    return sws_err_set(err, SWS_EINVAL, "%s '%s' is a spreadsheet's day "
                       "number, not a date; format the column as dates "
                       "(YYYY-MM-DD) before saving the file", zField, z);
  if (n == 1 && aLen[0] == 4) {
    y = aVal[0];
  } else if (n >= 2 && aLen[0] == 4 && aLen[1] <= 2 &&
             (n == 2 || aLen[2] <= 2)) {
    y = aVal[0];
    m = aVal[1];
    d = n == 3 ? aVal[2] : 0;
  } else if (n == 2 && aLen[0] <= 2 && aLen[1] == 4) {
    y = aVal[1];
    m = aVal[0];
  } else if (n == 3 && aLen[0] <= 2 && aLen[1] <= 2 && aLen[2] == 4) {
    if (order == SWS_DATE_UNKNOWN)
      return sws_err_set(err, SWS_EINVAL, "%s '%s' has the year last, so "
                         "the day and the month could be either way round; "
                         "%s", zField, z,
                         zOrderHint ? zOrderHint
                                    : "write it year first (YYYY-MM-DD)");
    y = aVal[2];
    d = order == SWS_DATE_DMY ? aVal[0] : aVal[1];
    m = order == SWS_DATE_DMY ? aVal[1] : aVal[0];
  } else if (n == 3 && aLen[0] <= 2 && aLen[1] <= 2 && aLen[2] == 2) {
    return sws_err_set(err, SWS_EINVAL, "%s '%s' has a two-digit year; "
                       "write the year in full (in a spreadsheet, format "
                       "the column as dates with a four-digit year)", zField,
                       z);
  } else {
    goto bad;
  }
  if (n >= 2 && (m < 1 || m > 12))
    return sws_err_set(err, SWS_EINVAL, "%s '%s' is not a birth date: there "
                       "is no month %d", zField, z, m);
  if (n == 3 && !sws_date_valid(y > 0 ? y : 2000, m, d))
    return sws_err_set(err, SWS_EINVAL, "%s '%s' is not a birth date: month "
                       "%d of %d has no day %d", zField, z, m, y, d);
  if (n == 1)
    snprintf(out, SWS_BORN_SIZE, "%04d", y);
  else if (n == 2)
    snprintf(out, SWS_BORN_SIZE, "%04d-%02d", y, m);
  else
    snprintf(out, SWS_BORN_SIZE, "%04d-%02d-%02d", y, m, d);
  return SWS_OK;
bad:
  return born_bad(zField, z, err);
}
