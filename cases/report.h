/*
 * report.h - the monitoring tool at the office: indicators (data/
 * indicators.json) counted over the office's records for a period,
 * compiled by administrative layer and broken down by sex, age group,
 * disability and the indicator's own categories (docs/monitoring.md).
 *
 *   struct report_set *set;             the indicators, parsed once
 *   report_set_load_default(&set, err);
 *   struct report_opts o = REPORT_OPTS_INIT;
 *   report_period_parse("2026-11", &o.period, err);
 *   o.layer = AREA_VILLAGE;
 *   struct report r;
 *   report_run(ctx, set, &o, &r, err);   every cell, suppressed as asked
 *   for (int i = 0; i < r.nCell; i++) ... r.aCell[i] ...
 *   report_release(&r);
 *   report_set_free(set);
 *
 * A report is a list of cells. Each cell is one value of one indicator for
 * one area (an area of the layer asked for, or the whole scope) and one
 * breakdown: the total, one sex, one age group, one disability status or
 * one category (a programme, a service...). Every breakdown of a count
 * adds up to its total, and the areas add up to the scope's total, so
 * a reader can check the figures; medians and means do not add up.
 *
 * Small counts are suppressed (report_opts.suppress, default 5): a count
 * from 1 to suppress-1 is hidden, and so are as many other cells as it
 * takes for no hidden count to be worked out from the others and the
 * totals (cases/suppress.c). A median or mean over fewer people than
 * that is hidden too.
 */
#ifndef SWS_CASES_REPORT_H
#define SWS_CASES_REPORT_H

#include <stdint.h>

#include "cases/area.h"
#include "cases/ctx.h"

#define REPORT_CODE_MAX 48
#define REPORT_AGE_MAX 12 /* age groups */

struct report_set;

/* Parse an indicator set (the JSON of data/indicators.json); every fact
 * and breakdown named must be one this version knows. */
int report_set_parse(struct report_set **out, const char *zJson, size_t n,
                     struct sws_err *err);
int report_set_load_default(struct report_set **out, struct sws_err *err);
void report_set_free(struct report_set *s);
/* The set's version, and a label in language zLang (en, km, mn: English
 * when the set has none in that language); zKey a label's key or an
 * indicator's code. NULL when unknown. */
int report_set_version(const struct report_set *s);
/* A digest of the set's text (hex): two sets with the same one are the
 * same set. */
const char *report_set_digest(const struct report_set *s);
/* The set's age groups ("0-17,18-59,60+" unless it names others). */
const char *report_set_ages(const struct report_set *s);
/* The set's indicators: how many, and the code of the i-th. */
int report_set_count(const struct report_set *s);
const char *report_set_code(const struct report_set *s, int i);
const char *report_set_label(const struct report_set *s, const char *zKey,
                             const char *zLang);
/* The same, or zKey itself when the set has no label for it. */
const char *report_set_text(const struct report_set *s, const char *zKey,
                            const char *zLang);

struct report_period {
  char zFrom[11];  /* first day, YYYY-MM-DD */
  char zTo[11];    /* the day after the last */
  char zLast[11];  /* the last day */
  char zLabel[32]; /* as given: 2026-11, 2026-Q4, 2026, FROM..TO */
  char zIso[24];   /* as DHIS2 writes it: 202611, 2026Q4, 2026; a range
                      as its label */
};

/* "YYYY-MM", "YYYY-Qn", "YYYY" or "YYYY-MM-DD..YYYY-MM-DD" (both days
 * included). */
int report_period_parse(const char *z, struct report_period *out,
                        struct sws_err *err);
/* The month that contains day zDay (YYYY-MM-DD). */
void report_period_month(const char *zDay, struct report_period *out);

struct report_opts {
  struct report_period period;
  int layer;         /* enum area_level the areas are at (0: none, the
                        scope's total only) */
  const char *zArea; /* the scope: an area and what is under it (NULL:
                        the whole office) */
  const char *zAges; /* age groups, "0-17,18-59,60+" (NULL: the set's) */
  int suppress;      /* hide counts below this (0 or 1: exact) */
  const char *zOnly; /* one indicator's code (NULL: all) */
};
#define REPORT_OPTS_INIT                                                       \
  {                                                                            \
    {"", "", "", "", ""}, AREA_VILLAGE, NULL, NULL, 5, NULL                    \
  }

enum report_dim {
  REPORT_TOTAL = 0,
  REPORT_SEX,
  REPORT_AGE,
  REPORT_DISABILITY,
  REPORT_CATEGORY,
};

struct report_cell {
  const char *zIndicator; /* code */
  const char *zArea;      /* area code, or the scope's code */
  const char *zAreaName;
  const char *zAreaLevel;  /* village ... province, "office", or
                              "elsewhere" (records above the layer) */
  int bScope;              /* the scope's total row */
  int dim;                 /* enum report_dim */
  const char *zSex;        /* "F", "M", "unknown" or "" */
  const char *zAge;        /* "0-17", ..., "unknown" or "" */
  const char *zDisability; /* "yes", "no", "unknown" or "" */
  const char *zCatType;    /* "programme", "service", ... or "" */
  const char *zCat;        /* its value, or "" */
  double value;            /* a count, a median (days) or a mean */
  int64_t n;               /* the records it is over */
  int bCount;              /* a count (adds up); else a median or mean */
  int bHidden;             /* suppressed: show "<suppress" */
};

struct report {
  struct report_period period;
  int version; /* the indicator set's */
  int suppress;
  char zScope[SWS_AREA_CODE_MAX]; /* the scope's code: zArea or the
                                     office's code */
  char zScopeName[201];
  char zLayer[16];
  char zAges[64];
  struct report_cell *aCell;
  int nCell;
  /* strings the cells point into */
  char **azStr;
  int nStr, nStrAlloc;
};

/* One thing a fact counts: where, about whom, its categories, and a
 * number (days for a median; who holds it for a mean per holder). */
struct report_row {
  const char *zArea;    /* its household's area, or NULL */
  const char *zSex;     /* "F", "M", or NULL */
  const char *zBorn;    /* YYYY[-MM[-DD]], or NULL */
  int disability;       /* 1, 0, or -1 not known */
  const char *azCat[3]; /* the fact's categories (NULL: not known) */
  double num;           /* days, or NAN */
  const char *zHolder;  /* who holds it, or NULL */
};
typedef void (*report_row_fn)(void *arg, const struct report_row *row);

/*
 * Where a report's facts come from: an office's records (report_office.c)
 * or the registry's. The facts are named in report.c's table (what each
 * gives: its categories, its number).
 */
struct report_source {
  /* Call fn for each row of fact zFact in period p; SWS_ENOTFOUND when
   * this source cannot count it (its indicators are left out). */
  int (*facts)(void *src, const char *zFact, const struct report_period *p,
               report_row_fn fn, void *arg, struct sws_err *err);
  /* Call fn for each area: code, parent ("" for the top), name, level
   * (enum area_level); fn returns non-zero to stop. */
  int (*areas)(void *src,
               int (*fn)(void *arg, const char *zCode, const char *zParent,
                         const char *zName, int level),
               void *arg, struct sws_err *err);
  /* The code and name of the whole: the office, or the nation. */
  int (*whole)(void *src, char *zCode, size_t nCode, char *zName,
               size_t nName, struct sws_err *err);
  /* Around a report (a read transaction); *pOpen says whether to end. */
  int (*begin)(void *src, int *pOpen, struct sws_err *err);
  void (*end)(void *src, int bOpen);
  const char *zWholeLevel; /* "office" or "national" */
  void *src;
};

/* What heads a cell's column in a table: Total, Female, 18-59, With a
 * disability, or the category's value, in language zLang. */
const char *report_cell_heading(const struct report_set *s,
                                const struct report_cell *c,
                                const char *zLang);

int report_run_from(const struct report_source *s,
                    const struct report_set *set,
                    const struct report_opts *o, struct report *out,
                    struct sws_err *err);

/* The office's report (report_office.c). */
int report_run(struct sws_ctx *ctx, const struct report_set *set,
               const struct report_opts *o, struct report *out,
               struct sws_err *err);
void report_release(struct report *r);
/* A copy of z ("" for NULL) that r owns, for its cells to point into. */
const char *report_own(struct report *r, const char *z);

#endif
