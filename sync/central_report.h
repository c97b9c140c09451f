/*
 * central_report.h - the monitoring report at the registry, over every
 * office's records, compiled up to the nation (cases/report.h has the
 * indicators, breakdowns and suppression); and the registry's own area
 * hierarchy, which the report compiles by.
 */
#ifndef SWS_SYNC_CENTRAL_REPORT_H
#define SWS_SYNC_CENTRAL_REPORT_H

#include "cases/area.h"
#include "cases/report.h"
#include "sync/central.h"

/* Load or update the registry's areas from CSV text (as sws area load at
 * an office: all or nothing, every bad line in rep->errors; release it
 * with buf_release). */
int central_area_load(struct central *c, const char *zCsv, size_t n,
                      struct area_load_report *rep, struct sws_err *err);
/* The built-in sample hierarchy (sws central init loads it). */
int central_area_load_default(struct central *c, struct sws_err *err);

/* The report over the registry's records; its scope's total is the
 * nation ("national"). Indicators whose facts the registry does not hold
 * are left out (docs/monitoring.md). */
int central_report(struct central *c, const struct report_set *set,
                   const struct report_opts *o, struct report *out,
                   struct sws_err *err);

/*
 * Kept reports (sync/central_kept.c). A report of a closed period over
 * the whole nation takes seconds to count at a nation's size; the
 * nightly job counts each once (central_report_keep) and a report asked
 * for later with the same options is read in milliseconds. A kept report
 * shows the registry as it was when counted: how is told when it was and
 * how many devices have pushed since, and bFresh counts afresh.
 */
struct central_report_how {
  int bKept;        /* read from the kept reports */
  char zKeptAt[32]; /* when it was counted (UTC) */
  int nPushedSince; /* devices that have pushed since */
  char zWhy[256];   /* a kept report that could not be read: why */
};

/* The report as central_report, read from the kept reports when one was
 * counted with the same options and bFresh is 0: a closed period, the
 * whole nation, the same layer, age groups, suppression and indicator set
 * (one indicator is taken from the kept report of all). Else counted.
 * how may be NULL. */
int central_report_get(struct central *c, const struct report_set *set,
                       const struct report_opts *o, int bFresh,
                       struct report *out, struct central_report_how *how,
                       struct sws_err *err);

/* Count and keep the reports of closed period p over the whole nation, at
 * each layer (the nation's total alone, by province, district, commune),
 * with the set's age groups and suppression k (2 or more), replacing
 * those kept before. fn (may be NULL) is told each layer before it is
 * counted (progress). *pnKept: the reports kept. */
int central_report_keep(struct central *c, const struct report_set *set,
                        const struct report_period *p, int k,
                        void (*fn)(void *arg, const char *zLayer, int i, int n),
                        void *arg, int *pnKept, struct sws_err *err);

/* An office's signed summary (sync/summary.h) received from device
 * zDevice: verified with that device's key, its office its own, stored
 * (the latest for each office and period). *pStatus: 200, or 400 (not a
 * summary, its signature does not match), 403 (another office's). */
int central_summary_receive(struct central *c, const char *zDevice,
                            const char *zBody, size_t nBody, int *pStatus,
                            struct sws_err *err);

/* Where an office's summary and the registry's own count differ. */
struct summary_diff {
  const char *zOffice, *zPeriod, *zIndicator;
  int64_t office, registry;
};

/* Compare each stored summary with the registry's count of that office's
 * records for the same period (the indicators both count, as totals):
 * fn for each difference; *pnChecked gets the summaries checked. */
int central_report_check(struct central *c, const struct report_set *set,
                         int (*fn)(void *arg, const struct summary_diff *d),
                         void *arg, int *pnChecked, struct sws_err *err);

#endif
