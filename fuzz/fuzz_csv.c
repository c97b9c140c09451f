/*
 * fuzz_csv.c - libFuzzer target: the CSV reader (core/csv.c), which reads
 * every import and area file. Checks the row invariants as it goes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct csv_reader r;
  struct csv_row row;
  struct sws_err err = SWS_ERR_INIT;
  size_t lastLine = 0;
  csv_init(&r, (const char *)data, size);
  for (int i = 0; i < 100000; i++) {
    const char *pBefore = r.p;
    int k = csv_next(&r, &row, &err);
    if (k == 0)
      break;
    /* every record, read or not, moves the reader on (a bad one goes back
     * to its first line end, never further back) */
    if (r.p <= pBefore)
      abort();
    if (k > 0) {
      if (row.n < 1 || row.n > CSV_MAX_FIELDS)
        abort();
      if (row.line < lastLine)
        abort();
      lastLine = row.line;
      for (int f = 0; f < row.n; f++)
        (void)strlen(row.az[f]);
    } else if (err.msg[0] == '\0') {
      abort();
    }
    if (r.p > r.end)
      abort();
  }
  csv_release(&r);
  return 0;
}
