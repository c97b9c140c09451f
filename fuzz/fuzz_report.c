/*
 * fuzz_report.c - libFuzzer target: what a report reads from outside its
 * own code: an indicator set (data/indicators.json, or one an operator
 * edits), a DHIS2 mapping file (given with --mapping), and an office's
 * signed summary as the registry reads it, and a kept report as the
 * registry reads it back from its database (report_codec.h). The first
 * byte chooses which. Either
 * is refused with a message or accepted; an accepted set answers its questions
 * (labels, codes) without reading past what it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/report.h"
#include "cases/report_codec.h"
#include "cases/report_dhis2.h"
#include "sync/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  if (size < 1)
    return 0;
  const char *z = (const char *)data + 1;
  size_t n = size - 1;
  if (data[0] % 4 == 1) {
    int rc = report_dhis2_check(z, n, &err);
    if (rc != 0 && err.msg[0] == '\0')
      abort();
    return 0;
  }
  if (data[0] % 4 == 2) {
    /* an office's signed summary, as the registry receives it: with a
     * key that signed nothing here, only a refusal is possible */
    static const unsigned char pk[SWS_PK_BYTES] = {1, 2, 3};
    struct summary sm;
    if (summary_read(&sm, z, n, pk, &err) == 0)
      abort();
    if (err.msg[0] == '\0' || sm.values != NULL)
      abort();
    return 0;
  }
  if (data[0] % 4 == 3) {
    /* a kept report: refused with a message, or read whole; what is read
     * writes back and reads again as the same */
    struct report r, r2;
    if (report_decode(z, n, &r, &err) != 0) {
      if (err.msg[0] == '\0' || r.nCell != 0 || r.aCell != NULL)
        abort();
      return 0;
    }
    size_t nText = 0;
    for (int i = 0; i < r.nCell; i++)
      nText += strlen(r.aCell[i].zIndicator) + strlen(r.aCell[i].zArea) +
               strlen(r.aCell[i].zCat) + strlen(r.aCell[i].zSex);
    char *zBack = report_encode(&r);
    if (zBack == NULL || report_decode(zBack, strlen(zBack), &r2, &err) != 0 ||
        r2.nCell != r.nCell)
      abort();
    (void)nText;
    free(zBack);
    report_release(&r2);
    report_release(&r);
    return 0;
  }
  struct report_set *s = NULL;
  int rc = report_set_parse(&s, z, n, &err);
  if (rc != 0) {
    if (s != NULL || err.msg[0] == '\0')
      abort();
    return 0;
  }
  if (s == NULL || report_set_version(s) < 1 || report_set_count(s) < 1)
    abort();
  for (int i = 0; i < report_set_count(s); i++) {
    const char *zCode = report_set_code(s, i);
    if (zCode == NULL || zCode[0] == '\0')
      abort();
    (void)report_set_label(s, zCode, "km");
  }
  if (report_set_code(s, report_set_count(s)) != NULL)
    abort();
  (void)report_set_label(s, "total", "mn");
  (void)report_set_label(s, NULL, NULL);
  report_set_free(s);
  return 0;
}
