/*
 * calendar.c - business-day arithmetic (see calendar.h).
 */
#include "cases/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"

static int parse_date(const char *z, int *y, int *m, int *d)
{
  if (strlen(z) != 10 || z[4] != '-' || z[7] != '-')
    return -1;
  char *e;
  *y = (int)strtol(z, &e, 10);
  if (e != z + 4)
    return -1;
  *m = (int)strtol(z + 5, &e, 10);
  if (e != z + 7)
    return -1;
  *d = (int)strtol(z + 8, &e, 10);
  if (e != z + 10 || !sws_date_valid(*y, *m, *d))
    return -1;
  return 0;
}

int calendar_weekday(const char *zDate)
{
  int y, m, d;
  if (parse_date(zDate, &y, &m, &d) != 0)
    return -1;
  int64_t days = sws_days_from_civil(y, m, d); /* 1970-01-01 was Thursday */
  return (int)(((days % 7) + 7 + 3) % 7);
}

static int cmp_date(const void *a, const void *b)
{
  return strcmp(a, b);
}

int calendar_is_business_day(const struct calendar *cal, const char *zDate)
{
  int wd = calendar_weekday(zDate);
  if (wd < 0 || (cal->weekend & (1 << wd)))
    return 0;
  if (cal->nHoliday &&
      bsearch(zDate, cal->aHoliday, (size_t)cal->nHoliday,
              sizeof cal->aHoliday[0], cmp_date))
    return 0;
  return 1;
}

int calendar_add_business_days(const struct calendar *cal, const char *zFrom,
                               int n, char *out, struct sws_err *err)
{
  int y, m, d;
  if (parse_date(zFrom, &y, &m, &d) != 0)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a date (YYYY-MM-DD)",
                       zFrom);
  if (n < 0 || n > 3650)
    return sws_err_set(err, SWS_EINVAL, "%d business days is out of range",
                       n);
  if ((cal->weekend & 0x7f) == 0x7f)
    return sws_err_set(err, SWS_EINVAL, "every day of the week is a "
                       "weekend; fix the 'weekend' setting");
  int64_t day = sws_days_from_civil(y, m, d);
  char z[11];
  snprintf(z, sizeof z, "%04d-%02d-%02d", y, m, d);
  for (int left = n, guard = 0; left > 0; guard++) {
    if (guard > 20000)
      return sws_err_set(err, SWS_EINVAL, "no business day found; check "
                         "the holidays");
    day++;
    sws_civil_from_days(day, &y, &m, &d);
    snprintf(z, sizeof z, "%04d-%02d-%02d", y, m, d);
    if (calendar_is_business_day(cal, z))
      left--;
  }
  memcpy(out, z, 11);
  return SWS_OK;
}

int calendar_parse_weekend(const char *z, int *out, struct sws_err *err)
{
  static const char *const DAYS[] = {"mon", "tue", "wed", "thu",
                                     "fri", "sat", "sun"};
  int bits = 0;
  const char *p = z;
  while (*p) {
    while (*p == ',' || *p == ' ')
      p++;
    if (!*p)
      break;
    int found = -1;
    for (int i = 0; i < 7; i++)
      if (strncmp(p, DAYS[i], 3) == 0 &&
          (p[3] == '\0' || p[3] == ',' || p[3] == ' '))
        found = i;
    if (found < 0)
      return sws_err_set(err, SWS_EINVAL, "weekend '%s' must list days as "
                         "mon,tue,wed,thu,fri,sat,sun", z);
    bits |= 1 << found;
    p += 3;
  }
  *out = bits;
  return SWS_OK;
}

int calendar_load(struct sws_ctx *ctx, struct calendar *out,
                  struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc, nAlloc = 0;
  memset(out, 0, sizeof *out);
  out->weekend = CAL_SATURDAY | CAL_SUNDAY;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT value FROM setting WHERE name = 'weekend'",
                       err)) != 0)
    return rc;
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    rc = calendar_parse_weekend(db_col_str(q, 0), &out->weekend, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q, "SELECT date FROM holiday ORDER BY date",
                       err)) != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (out->nHoliday == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 32;
      out->aHoliday = sws_realloc(out->aHoliday,
                                  sizeof out->aHoliday[0] * (size_t)nAlloc);
    }
    sws_strlcpy(out->aHoliday[out->nHoliday++], db_col_str(q, 0), 11);
  }
  db_done(ctx->db, q);
  if (rc < 0) {
    calendar_release(out);
    return rc;
  }
  return SWS_OK;
}

void calendar_release(struct calendar *cal)
{
  free(cal->aHoliday);
  cal->aHoliday = NULL;
  cal->nHoliday = 0;
}
