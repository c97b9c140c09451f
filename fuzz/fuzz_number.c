/*
 * fuzz_number.c - libFuzzer target: what people type as numbers and dates:
 * registration/ticket numbers (sws_number_parse), ISO times, birth dates,
 * phone numbers and national IDs. A number that parses as OK must format
 * back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char z[256], out[64];
  struct sws_number n;
  int64_t ms;
  int y;
  if (size >= sizeof z)
    return 0;
  memcpy(z, data, size);
  z[size] = '\0';
  if (sws_number_parse(z, &n) == SWS_NUMBER_OK) {
    if (sws_number_format(out, sizeof out, n.zPrefix, n.seq) != 0 ||
        strcmp(out, n.zCanon) != 0)
      abort();
    struct sws_number m;
    if (sws_number_parse(n.zCanon, &m) != SWS_NUMBER_OK)
      abort();
  }
  if (sws_time_parse(z, &ms, NULL) == 0) {
    sws_time_format(out, sizeof out, ms);
    int64_t back;
    if (ms % 1000 == 0 && (sws_time_parse(out, &back, NULL) != 0 ||
                           back != ms))
      abort();
  }
  sws_born_check("born", z, 1800000000000LL, &y, NULL);
  for (int o = SWS_DATE_UNKNOWN; o <= SWS_DATE_MDY; o++) {
    /* a date rewritten is in the stored form, which is kept as it is */
    char b[SWS_BORN_SIZE], again[SWS_BORN_SIZE];
    if (sws_born_norm("born", z, (enum sws_date_order)o, NULL, b, NULL) ==
            0 &&
        strcmp(b, z) != 0 &&
        (sws_born_norm("born", b, SWS_DATE_UNKNOWN, NULL, again, NULL) != 0 ||
         strcmp(again, b) != 0))
      abort();
  }
  char nid[SWS_NID_MAX + 1], ph[SWS_PHONE_MAX + 1];
  cases_national_id_norm("id", z, nid, NULL);
  cases_phone_norm("phone", z, ph, NULL);
  sws_utf8_valid(z, size);
  return 0;
}
