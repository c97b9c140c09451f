/*
 * report_codec.h - a counted report as text and back, so that it can be
 * kept (the registry keeps each closed month's reports: sws central
 * report --keep) and read again without counting.
 *
 *   char *z = report_encode(&r);             caller frees
 *   struct report back;
 *   report_decode(z, strlen(z), &back, err); release with report_release
 *
 * The text is JSON: the report's heading, its areas once each, and one
 * array per cell that points into them. Reading checks every field (the
 * text comes from a database someone could have edited): a malformed
 * text is SWS_EINVAL with what is wrong, never a half-made report.
 */
#ifndef SWS_CASES_REPORT_CODEC_H
#define SWS_CASES_REPORT_CODEC_H

#include <stddef.h>

#include "cases/report.h"

#define REPORT_CODEC_VERSION 1
#define REPORT_CODEC_MAX_BYTES (256u << 20)

char *report_encode(const struct report *r);
int report_decode(const char *z, size_t n, struct report *out,
                  struct sws_err *err);

#endif
