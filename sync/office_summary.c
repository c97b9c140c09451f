/*
 * office_summary.c - the office's signed indicator summaries (see
 * office_summary.h and summary.h).
 */
#include "sync/office_summary.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/casefile.h"
#include "cases/office.h"
#include "cases/report.h"
#include "core/clock.h"
#include "sync/office.h"
#include "sync/summary.h"

int sync_summaries_due(struct sws_ctx *ctx, char (*aPeriod)[8], int *pn,
                       struct sws_err *err)
{
  struct office_info oi;
  char zToday[11];
  int rc = cases_office_get(ctx, &oi, err);
  *pn = 0;
  if (rc != 0)
    return rc;
  cases_today(zToday);
  int y = (int)strtol(zToday, NULL, 10), m = (int)strtol(zToday + 5, NULL, 10);
  /* the months before this one, newest first, then kept oldest first */
  char aAll[SUMMARY_MONTHS][8];
  int nAll = 0;
  for (int k = 0; k < SUMMARY_MONTHS; k++) {
    if (--m == 0) {
      m = 12;
      y--;
    }
    char zMonth[8];
    snprintf(zMonth, sizeof zMonth, "%04u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u);
    /* not before the office began */
    if (strncmp(zMonth, oi.zCreatedAt, 7) < 0)
      break;
    memcpy(aAll[nAll++], zMonth, sizeof zMonth);
  }
  for (int k = nAll - 1; k >= 0; k--) {
    char zName[32], zSent[40];
    snprintf(zName, sizeof zName, "summary.%s", aAll[k]);
    if ((rc = sync_state_get(ctx, zName, zSent, sizeof zSent, err)) != 0)
      return rc;
    if (zSent[0] == '\0')
      memcpy(aPeriod[(*pn)++], aAll[k], sizeof aAll[k]);
  }
  return SWS_OK;
}

int sync_summary_make(struct sws_ctx *ctx, const char *zPeriod, char **pzJson,
                      struct sws_err *err)
{
  struct report_set *set = NULL;
  struct report_opts o = REPORT_OPTS_INIT;
  struct report r;
  struct office_info oi;
  unsigned char sk[SWS_SK_BYTES];
  int rc;
  *pzJson = NULL;
  o.layer = 0;
  o.suppress = 0; /* exact: the registry holds the records themselves */
  if ((rc = report_period_parse(zPeriod, &o.period, err)) != 0 ||
      (rc = cases_office_get(ctx, &oi, err)) != 0 ||
      (rc = report_set_load_default(&set, err)) != 0)
    return rc;
  if ((rc = report_run(ctx, set, &o, &r, err)) != 0) {
    report_set_free(set);
    return rc;
  }
  json_t *values = json_object();
  for (int i = 0; i < r.nCell; i++) {
    const struct report_cell *c = &r.aCell[i];
    if (c->bCount && c->bScope && c->dim == REPORT_TOTAL)
      json_object_set_new(values, c->zIndicator,
                          json_integer((json_int_t)c->value));
  }
  if ((rc = cases_office_secret_key(ctx, sk, err)) == 0) {
    char zNow[32];
    sws_time_format(zNow, sizeof zNow, sws_now_ms());
    /* the office's code: its devices' summaries are the office's */
    *pzJson = summary_make(oi.zCode, zPeriod, report_set_version(set), zNow,
                           values, sk);
    sodium_memzero(sk, sizeof sk);
  }
  json_decref(values);
  report_release(&r);
  report_set_free(set);
  return rc;
}

int sync_summary_sent(struct sws_ctx *ctx, const char *zPeriod,
                      struct sws_err *err)
{
  char zName[32], zNow[32];
  snprintf(zName, sizeof zName, "summary.%s", zPeriod);
  sws_time_format(zNow, sizeof zNow, sws_now_ms());
  return sync_state_set(ctx, zName, zNow, err);
}
