/*
 * report_dhis2.h - a report as DHIS2 dataValueSets JSON, for ministries
 * that run DHIS2 as their national information system.
 *
 * DHIS2 knows its own identifiers (UIDs: 11 letters and digits, a letter
 * first), not sws's codes, so a mapping file says which UID each
 * indicator, area and breakdown is (docs/monitoring.md has an example):
 *
 *   {
 *     "dataElements": {"households_registered": "hhRegist001", ...},
 *     "orgUnits": {"KH12": "OfficeKH120", "17010101": "VillageCh01", ...},
 *     "categoryOptionCombos": {"total": "HllvX50cXC0",
 *                              "sex:F": "SexFemale01", "sex:M": "...",
 *                              "age_group:0-17": "...",
 *                              "disability:yes": "...",
 *                              "programme:hef": "...", ...},
 *     "attributeOptionCombo": "HllvX50cXC0"          (optional)
 *   }
 *
 * A cell is written when its indicator, area and breakdown are all
 * mapped; the others are counted as not mapped (a DHIS2 data set rarely
 * takes every breakdown). A hidden (suppressed) cell is never written:
 * DHIS2 takes numbers, and "<5" is none. A median or mean with nothing to
 * take it over is not written either.
 */
#ifndef SWS_CASES_REPORT_DHIS2_H
#define SWS_CASES_REPORT_DHIS2_H

#include <stddef.h>

#include "cases/report.h"
#include "core/buf.h"

struct dhis2_counts {
  int nWritten;
  int nHidden;   /* suppressed, left out */
  int nUnmapped; /* no UID for its indicator, area or breakdown */
  int nEmpty;    /* a median or mean over nothing */
};

/* Check a mapping file (JSON text): the three objects, every UID well
 * formed. */
int report_dhis2_check(const char *zMapping, size_t n, struct sws_err *err);

/* Write report r as a dataValueSets JSON document into out. The period
 * must be a month, a quarter or a year (DHIS2 has no period for two given
 * days). */
int report_dhis2(const struct report *r, const char *zMapping, size_t n,
                 struct buf *out, struct dhis2_counts *counts,
                 struct sws_err *err);

#endif
