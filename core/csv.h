/*
 * csv.h - an RFC 4180 CSV reader over a buffer in memory: quoted fields
 * with "" escapes, CRLF or LF line ends, an optional UTF-8 byte order mark.
 * Pure (no I/O), capped, and fuzzed (fuzz/fuzz_csv.c).
 *
 * It also reads the files spreadsheets write for a "CSV" where the local
 * settings differ (legacy lists come from Excel): UTF-16 text with its
 * byte order mark (Excel's "Unicode Text", the way Khmer survives a
 * Windows export), read as UTF-8 (a broken character becomes a byte that
 * is never UTF-8, so the field holding it fails its text check as any
 * other file's would); fields separated by ';' (the list
 * separator of Russian, Mongolian and most European settings) or by tabs,
 * when the first line has no comma but those; and Excel's "sep=X" first
 * line, which names the separator and is not a record.
 */
#ifndef SWS_CORE_CSV_H
#define SWS_CORE_CSV_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_RECORD (64 * 1024)

struct csv_reader {
  const char *p;   /* next byte to read */
  const char *end; /* one past the last byte */
  size_t line;     /* line number of the next byte (1-based) */
  char sep;        /* the field separator: ',', ';' or '\t' */
  int utf16;       /* the data was UTF-16 (now read from conv) */
  struct buf rec;  /* the current record's fields, NUL-separated */
  struct buf conv; /* UTF-16 data as UTF-8 */
};

struct csv_row {
  const char *az[CSV_MAX_FIELDS]; /* fields; valid until the next call */
  int n;                          /* number of fields */
  size_t line;                    /* line on which the record starts */
};

/* Read from the n bytes at data (not copied unless UTF-16; must outlive the
 * reader). */
void csv_init(struct csv_reader *r, const char *data, size_t n);
void csv_release(struct csv_reader *r);

/*
 * Read the next record: 1 and *row filled, 0 at the end, or a negative code
 * with err naming the line. After an error the reader has skipped past the
 * bad record, so reading may go on; a quote never closed skips only the line
 * it opened on, so the records after it are not lost with it.
 * Blank lines are skipped.
 */
int csv_next(struct csv_reader *r, struct csv_row *row, struct sws_err *err);

/* Writing: flags of csv_put. */
enum {
  /* a value a spreadsheet would run as a formula (starting with =, +, -,
   * @, a tab or a carriage return) is written as text: quoted, after a
   * single quote */
  CSV_NEUTRALISE = 1 << 0,
};

/* Append z to b as one CSV field: as it is, or quoted (quotes doubled)
 * when it holds a comma, a quote or a line break. */
void csv_put(struct buf *b, const char *z, int flags);

/* A cell read back from a file sws wrote with CSV_NEUTRALISE (an import's
 * rejects, fixed and loaded again): z without the single quote put before
 * a leading =, +, -, @, tab or carriage return; any other z as it is. */
const char *csv_unneutralise(const char *z);

#endif
