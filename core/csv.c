/*
 * csv.c - CSV reader (see csv.h).
 */
#include "csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Skip to just past the next line end. */
static void skip_line(struct csv_reader *r)
{
  while (r->p < r->end && *r->p != '\n')
    r->p++;
  if (r->p < r->end) {
    r->p++;
    r->line++;
  }
}

/* Never a byte of UTF-8: stands for a character UTF-16 data breaks on. */
#define NOT_UTF8 0xff

/* Code point c (never a surrogate) as UTF-8, utf8proc's encoder as in
 * cases/name.c. */
static void put_utf8(struct buf *b, uint32_t c)
{
  utf8proc_uint8_t u[4];
  utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, u);
  buf_append(b, u, (size_t)n);
}

/*
 * UTF-16 (the n bytes after its byte order mark) into r->conv as UTF-8. A
 * surrogate without its pair, or a last odd byte, becomes NOT_UTF8. At most
 * 3 bytes of UTF-8 for each 2 of UTF-16 (4 for each pair of 4).
 */
static void from_utf16(struct csv_reader *r, const unsigned char *d, size_t n,
                       int bBigEndian)
{
  int hi = bBigEndian ? 0 : 1, lo = 1 - hi;
  buf_init(&r->conv, n / 2 * 3 + 1);
  for (size_t i = 0; i + 1 < n; i += 2) {
    uint32_t c = (uint32_t)d[i + hi] << 8 | d[i + lo];
    if (c >= 0xd800 && c <= 0xdbff && i + 3 < n) {
      uint32_t c2 = (uint32_t)d[i + 2 + hi] << 8 | d[i + 2 + lo];
      if (c2 >= 0xdc00 && c2 <= 0xdfff) {
        put_utf8(&r->conv, 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00));
        i += 2;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff)
      buf_putc(&r->conv, NOT_UTF8);
    else
      put_utf8(&r->conv, c);
  }
  if (n % 2)
    buf_putc(&r->conv, NOT_UTF8);
  r->p = r->conv.z ? r->conv.z : "";
  r->end = r->p + r->conv.n;
  r->utf16 = 1;
}

/*
 * The separator: the one Excel's "sep=X" first line names (the line is
 * then skipped), else ';' or tab when the first record has none of ','
 * outside quotes but has those, else ','.
 */
static void find_sep(struct csv_reader *r)
{
  const char *p = r->p;
  int nComma = 0, nSemi = 0, nTab = 0, bQuoted = 0;
  r->sep = ',';
  if (r->end - p >= 5 && memcmp(p, "sep=", 4) == 0 && p[4] != '\0' &&
      strchr(",;\t|", p[4]) &&
      (r->end - p == 5 || p[5] == '\n' || p[5] == '\r')) {
    r->sep = p[4];
    skip_line(r);
    return;
  }
  while (p < r->end && (*p == '\n' || *p == '\r'))
    p++;
  for (; p < r->end && p - r->p < CSV_MAX_RECORD; p++) {
    if (*p == '"')
      bQuoted = !bQuoted;
    if (bQuoted || *p == '"')
      continue;
    if (*p == '\n')
      break;
    nComma += *p == ',';
    nSemi += *p == ';';
    nTab += *p == '\t';
  }
  if (nComma == 0 && (nSemi > 0 || nTab > 0))
    r->sep = nTab > nSemi ? '\t' : ';';
}

void csv_init(struct csv_reader *r, const char *data, size_t n)
{
  const unsigned char *u = (const unsigned char *)data;
  memset(r, 0, sizeof *r);
  r->p = data;
  r->end = data + n;
  r->line = 1;
  buf_init(&r->rec, CSV_MAX_RECORD);
  buf_init(&r->conv, 0);
  if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
    r->p += 3;
  else if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
                      (u[0] == 0xfe && u[1] == 0xff)))
    from_utf16(r, u + 2, n - 2, u[0] == 0xfe);
  find_sep(r);
}

void csv_release(struct csv_reader *r)
{
  buf_release(&r->rec);
  buf_release(&r->conv);
}

/*
 * A record that cannot be read: skip only its first line, so that a quote
 * left open does not take the lines after it down with it (they are read
 * again as records of their own). A record that ran over a line end inside
 * quotes before failing was most likely cut by that quote, and is named so.
 */
static int bad_record(struct csv_reader *r, const char *zStart,
                      const struct csv_row *row, struct sws_err *err, int code,
                      const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int bad_record(struct csv_reader *r, const char *zStart,
                      const struct csv_row *row, struct sws_err *err, int code,
                      const char *fmt, ...)
{
  char zWhy[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(zWhy, sizeof zWhy, fmt, ap);
  va_end(ap);
  int bSpanned = r->line > row->line;
  r->p = zStart;
  r->line = row->line;
  skip_line(r);
  if (bSpanned)
    return sws_err_set(err, SWS_EINVAL,
                       "line %zu: a quote opens a field "
                       "that is not closed on this line; close it or remove "
                       "it (the lines after it were read on their own)",
                       row->line);
  return sws_err_set(err, code, "line %zu: %s", row->line, zWhy);
}

int csv_next(struct csv_reader *r, struct csv_row *row, struct sws_err *err)
{
  size_t aOff[CSV_MAX_FIELDS];
  int nField = 0;

  /* blank lines */
  for (;;) {
    if (r->p >= r->end)
      return 0;
    if (*r->p == '\n') {
      r->p++;
      r->line++;
    } else if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n') {
      r->p += 2;
      r->line++;
    } else {
      break;
    }
  }
  buf_reset(&r->rec);
  row->line = r->line;
  row->n = 0;
  const char *zStart = r->p;

  for (;;) {
    if (nField == CSV_MAX_FIELDS)
      return bad_record(r, zStart, row, err, SWS_EINVAL, "more than %d fields",
                        CSV_MAX_FIELDS);
    aOff[nField++] = r->rec.n;
    if (r->p < r->end && *r->p == '"') {
      r->p++;
      for (;;) {
        if (r->p >= r->end)
          return bad_record(r, zStart, row, err, SWS_EINVAL,
                            "a quote opens a field that is never closed; "
                            "close it or remove it");
        char c = *r->p++;
        if (c == '"') {
          if (r->p < r->end && *r->p == '"') {
            buf_putc(&r->rec, '"');
            r->p++;
            continue;
          }
          break;
        }
        if (c == '\n')
          r->line++;
        if (c == '\0')
          return bad_record(r, zStart, row, err, SWS_EINVAL,
                            "contains a NUL byte");
        buf_putc(&r->rec, c);
      }
      /* after the closing quote: separator, line end or end of data */
      if (r->p < r->end && *r->p != r->sep && *r->p != '\n' &&
          *r->p != '\r')
        return bad_record(r, zStart, row, err, SWS_EINVAL,
                          "text after a closing quote; put the whole field "
                          "in quotes and double any quote inside it");
    } else {
      while (r->p < r->end && *r->p != r->sep && *r->p != '\n' &&
             !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')) {
        if (*r->p == '"')
          return bad_record(r, zStart, row, err, SWS_EINVAL,
                            "a quote inside an unquoted field; quote the "
                            "field and double the quote");
        if (*r->p == '\0')
          return bad_record(r, zStart, row, err, SWS_EINVAL,
                            "contains a NUL byte");
        buf_putc(&r->rec, *r->p++);
      }
    }
    buf_putc(&r->rec, '\0');
    if (r->rec.toobig)
      return bad_record(r, zStart, row, err, SWS_ETOOBIG,
                        "the record is longer than %d bytes", CSV_MAX_RECORD);
    if (r->p < r->end && *r->p == r->sep) {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == '\r')
      r->p++;
    if (r->p < r->end && *r->p == '\n') {
      r->p++;
      r->line++;
    }
    break;
  }
  for (int i = 0; i < nField; i++)
    row->az[i] = r->rec.z + aOff[i];
  row->n = nField;
  return 1;
}

/* a cell a spreadsheet would run as a formula */
static int csv_formula(const char *z)
{
  return z[0] == '=' || z[0] == '+' || z[0] == '-' || z[0] == '@' ||
         z[0] == '\t' || z[0] == '\r';
}

const char *csv_unneutralise(const char *z)
{
  return z[0] == '\'' && csv_formula(z + 1) ? z + 1 : z;
}

void csv_put(struct buf *b, const char *z, int flags)
{
  int bFormula = (flags & CSV_NEUTRALISE) && csv_formula(z);
  if (!bFormula && strpbrk(z, ",\"\r\n") == NULL) {
    buf_puts(b, z);
    return;
  }
  buf_putc(b, '"');
  if (bFormula)
    buf_putc(b, '\'');
  for (; *z; z++) {
    if (*z == '"')
      buf_putc(b, '"');
    buf_putc(b, *z);
  }
  buf_putc(b, '"');
}
