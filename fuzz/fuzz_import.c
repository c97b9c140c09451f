/*
 * fuzz_import.c - libFuzzer target: the importer (cases/import.c) and the
 * area loader on arbitrary CSV, against an in-memory office. The import
 * runs for real into a fresh database every 200 inputs (so duplicates
 * and re-imports are exercised), dry-run otherwise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/import.h"
#include "cases/office.h"
#include "core/crypto.h"

static struct sws_ctx *ctx;
static int runs;

static void fresh(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  cases_close(ctx);
  if (cases_open(&ctx, NULL, CASES_CREATE | CASES_MEMORY, &err) != 0 ||
      cases_office_init(ctx, "KH12", "Fuzz", &err) != 0 ||
      cases_area_load_default(ctx, &rep, &err) != 0)
    abort();
  buf_release(&rep.errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  struct import_report rep;
  static const char zHeader[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n";
  if (ctx == NULL) {
    sws_crypto_init(&err);
    fresh();
  }
  if (++runs % 200 == 0)
    fresh();
  /* half the inputs get a valid header so the rows themselves are fuzzed */
  size_t n = size + sizeof zHeader;
  char *z = malloc(n);
  size_t off = 0;
  if (size > 0 && (data[0] & 1)) {
    memcpy(z, zHeader, sizeof zHeader - 1);
    off = sizeof zHeader - 1;
  }
  memcpy(z + off, data, size);
  /* dry run or not, and each order of day and month */
  struct import_opts o = {runs % 2 == 0, "fuzz", NULL, NULL,
                          (enum sws_date_order)(runs / 2 % 3)};
  cases_import_csv(ctx, z, off + size, &o, &rep, &err);
  cases_import_report_release(&rep);
  struct area_load_report arep;
  cases_area_load_csv(ctx, z + off, size, &arep, &err);
  buf_release(&arep.errors);
  free(z);
  return 0;
}
