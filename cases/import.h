/*
 * import.h - load a legacy beneficiary list (CSV, one row per member).
 *
 * Columns (header names, any order; other columns are ignored):
 *   household_key  the list's own household number (required, kept, so a
 *                  re-run imports nothing twice)
 *   name, sex, born, relationship, area, national_id, phone   (required
 *                  columns; national_id and phone may be empty)
 *   address, disability                                        (optional)
 * The first member of a household is its head unless a relationship says
 * "head". A household with any bad row is not imported: its rows go to the
 * rejects with the reason. Possible duplicates are imported and flagged
 * for review, never merged.
 */
#ifndef SWS_CASES_IMPORT_H
#define SWS_CASES_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "cases/dedup.h"
#include "core/buf.h"
#include "core/text.h"

#define IMPORT_MAX_ROWS 2000000

struct import_opts {
  int bDryRun;                  /* check only; write nothing */
  const char *zFileName;        /* for the audit log and the report */
  /* called every few hundred households: done and total households */
  void (*progress)(int64_t done, int64_t total, void *arg);
  void *arg;
  enum sws_date_order date_order; /* how dates with the year last put the
                                     day and month (core/text.h) */
};

struct import_report {
  int64_t nRows;               /* data rows read */
  int64_t nHouseholds;         /* households imported (or importable) */
  int64_t nMembers;            /* members imported */
  int64_t nSkipped;            /* households already imported earlier */
  int64_t nRejectedRows;       /* rows in the rejects */
  int64_t nRejectedHouseholds; /* households not imported */
  int64_t nFlagged;            /* imported households flagged as possible
                                  duplicates */
  struct buf rejects;          /* CSV: line,reason,<the row's columns>,
                                  in the file's order */
  struct buf reasons;          /* "line N: reason" per rejected row, the
                                  same order: for a terminal */
  struct buf flagged;          /* one line per flagged household */
  struct dedup_cache_stats candidates; /* of the duplicate check (dedup.h) */
};

/*
 * Import the n bytes of CSV at zData. Returns 0 when the file could be
 * read (bad rows do not make it fail: they are in the report), or an error
 * for an unusable file (no header, missing columns, too big). Release the
 * report with cases_import_report_release().
 */
int cases_import_csv(struct sws_ctx *ctx, const char *zData, size_t n,
                     const struct import_opts *opts,
                     struct import_report *rep, struct sws_err *err);
void cases_import_report_release(struct import_report *rep);

#endif
