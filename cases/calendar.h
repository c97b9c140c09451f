/*
 * calendar.h - business days: deadlines in grievance layers are counted in
 * business days, skipping weekends and the office's holidays (data: the
 * holiday table and the 'weekend' setting).
 */
#ifndef SWS_CASES_CALENDAR_H
#define SWS_CASES_CALENDAR_H

#include "cases/ctx.h"

/* Days of the week as bits: bit 0 Monday ... bit 6 Sunday. */
#define CAL_SATURDAY (1 << 5)
#define CAL_SUNDAY (1 << 6)

struct calendar {
  int weekend;        /* bits of the days that are not business days */
  char (*aHoliday)[11]; /* YYYY-MM-DD, sorted */
  int nHoliday;
};

/*
 * The date n business days after zFrom (YYYY-MM-DD; zFrom itself is not
 * counted) into out (11 bytes). n >= 0; 0 gives zFrom. Pure.
 */
int calendar_add_business_days(const struct calendar *cal, const char *zFrom,
                               int n, char *out, struct sws_err *err);

/* 1 if zDate is a business day. */
int calendar_is_business_day(const struct calendar *cal, const char *zDate);

/* 0 Monday ... 6 Sunday for a valid date. */
int calendar_weekday(const char *zDate);

/* Load the office's calendar (holidays, weekend); release it after. */
int calendar_load(struct sws_ctx *ctx, struct calendar *out,
                  struct sws_err *err);
void calendar_release(struct calendar *cal);

/* Parse "sat,sun" (mon..sun) into weekend bits. */
int calendar_parse_weekend(const char *z, int *out, struct sws_err *err);

#endif
