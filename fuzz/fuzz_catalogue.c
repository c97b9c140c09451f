/*
 * fuzz_catalogue.c - libFuzzer target: the instrument loader
 * (cases/assessment.c) and the programme catalogue loader
 * (cases/programme.c) on arbitrary bytes, against an in-memory office
 * with one household, an open case and the default instrument. What
 * loads is then used: an instrument scores an assessment made of sample
 * answers to each of its questions, a catalogue screens the household.
 * The first byte picks the loader; the database is fresh every 100
 * inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "core/crypto.h"
#include "core/mem.h"

static struct sws_ctx *ctx;
static char zRegno[SWS_NUMBER_MAX];
static int runs;

static void fresh(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  struct member_input m[] = {
      {"Sok Dara", 'M', "1950", REL_HEAD, NULL, NULL, 1},
      {"Chan Srey", 'F', "2020-05", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {"17010101", NULL, NULL, NULL, m, 2, "fuzz"};
  struct case_info c;
  cases_close(ctx);
  if (cases_open(&ctx, NULL, CASES_CREATE | CASES_MEMORY, &err) != 0 ||
      cases_office_init(ctx, "KH12", "Fuzz", &err) != 0 ||
      cases_area_load_default(ctx, &rep, &err) != 0 ||
      cases_household_create(ctx, &in, zRegno, NULL, &err) != 0 ||
      cases_case_open(ctx, zRegno, &c, &err) != 0 ||
      cases_instrument_load_default(ctx, &err) != 0) {
    fprintf(stderr, "fuzz fixture: %s\n", err.msg);
    abort();
  }
  buf_release(&rep.errors);
}

/* An assessment answering every question with a value of its type. */
static void assess(const char *zCode)
{
  struct sws_err err = SWS_ERR_INIT;
  struct instrument *in;
  struct assessment a;
  char *az[400];
  int n = 0;
  int64_t number;
  if (cases_instrument_get(ctx, zCode, 0, &in, &err) != 0)
    return;
  for (int i = 0; i < in->nQ && n < 398; i++) {
    const struct instrument_question *q = &in->aQ[i];
    char zVal[64];
    switch (q->type) {
    case QT_NUMBER: snprintf(zVal, sizeof zVal, "%g", q->bMin ? q->min : 1);
      break;
    case QT_CHOICE:
    case QT_MULTI: snprintf(zVal, sizeof zVal, "%s", q->aOpt[0].zValue);
      break;
    case QT_YESNO: snprintf(zVal, sizeof zVal, "yes"); break;
    default: snprintf(zVal, sizeof zVal, "text");
    }
    for (int member = 1; member <= (q->bMember ? 2 : 1); member++)
      az[n++] = q->bMember ? sws_mprintf("%s@%d=%s", q->zId, member, zVal)
                           : sws_mprintf("%s=%s", q->zId, zVal);
  }
  if (cases_assessment_add(ctx, zRegno, zCode, (const char *const *)az, n,
                           &number, &err) == 0 &&
      cases_assessment_get(ctx, number, &a, &err) == 0)
    cases_assessment_release(&a);
  for (int i = 0; i < n; i++)
    free(az[i]);
  cases_instrument_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  if (ctx == NULL) {
    sws_crypto_init(&err);
    fresh();
  }
  if (++runs % 100 == 0)
    fresh();
  if (size < 1)
    return 0;
  const char *z = (const char *)data + 1;
  size_t n = size - 1;
  if (data[0] & 1) {
    struct programme_load_report rep;
    struct screening s;
    if (cases_programme_load(ctx, z, n, &rep, &err) == 0) {
      cases_screen(ctx, zRegno, &s, &err);
      cases_screening_release(&s);
    }
  } else {
    struct instrument_load_report rep;
    if (cases_instrument_load(ctx, z, n, &rep, &err) == 0)
      assess(rep.zCode);
  }
  return 0;
}
