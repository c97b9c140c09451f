/*
 * csv.c - CSV reader (see csv.h).
 */
#include "csv.h"

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

  for (;;) {
    if (nField == CSV_MAX_FIELDS) {
      skip_line(r);
      return sws_err_set(err, SWS_EINVAL, "line %zu: more than %d fields",
                         row->line, CSV_MAX_FIELDS);
    }
    aOff[nField++] = r->rec.n;
    if (r->p < r->end && *r->p == '"') {
      r->p++;
      for (;;) {
        if (r->p >= r->end) {
          return sws_err_set(err, SWS_EINVAL, "line %zu: a quoted field is "
                             "not closed before the end of the file",
                             row->line);
        }
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
        if (c == '\0') {
          skip_line(r);
          return sws_err_set(err, SWS_EINVAL, "line %zu: contains a NUL "
                             "byte", row->line);
        }
        buf_putc(&r->rec, c);
      }
      /* after the closing quote: separator, line end or end of data */
      if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
          !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n') &&
          *r->p != '\r') {
        skip_line(r);
        return sws_err_set(err, SWS_EINVAL, "line %zu: text after a closing "
                           "quote; put the whole field in quotes and double "
                           "any quote inside it", row->line);
      }
    } else {
      while (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
             !(*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')) {
        if (*r->p == '"') {
          skip_line(r);
          return sws_err_set(err, SWS_EINVAL, "line %zu: a quote inside an "
                             "unquoted field; quote the field and double "
                             "the quote", row->line);
        }
        if (*r->p == '\0') {
          skip_line(r);
          return sws_err_set(err, SWS_EINVAL, "line %zu: contains a NUL "
                             "byte", row->line);
        }
        buf_putc(&r->rec, *r->p++);
      }
    }
    buf_putc(&r->rec, '\0');
    if (r->rec.toobig) {
      skip_line(r);
      return sws_err_set(err, SWS_ETOOBIG, "line %zu: the record is longer "
                         "than %d bytes", row->line, CSV_MAX_RECORD);
    }
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
