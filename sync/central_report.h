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

#endif
