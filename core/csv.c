/*
 * csv.c - CSV reader (see csv.h).
 */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *data, size_t n)
{
  r->p = data;
  r->end = data + n;
  r->line = 1;
  buf_init(&r->rec, CSV_MAX_RECORD);
  if (n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
    r->p += 3;
}

void csv_release(struct csv_reader *r)
{
  buf_release(&r->rec);
}

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
      if (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
        return bad_record(r, zStart, row, err, SWS_EINVAL,
                          "text after a closing quote; put the whole field "
                          "in quotes and double any quote inside it");
    } else {
      while (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
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
    if (r->p < r->end && *r->p == ',') {
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
