/*
 * clock.h - the one clock of sws.
 *
 * Every "now" in sws comes from sws_now_ms(). The environment variable
 * SWS_NOW (ISO 8601, e.g. 2026-03-01T09:30:00Z or 2026-03-01) fixes it, so
 * tests and demos can move time without waiting.
 */
#ifndef SWS_CORE_CLOCK_H
#define SWS_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Milliseconds since 1970-01-01T00:00:00Z (SWS_NOW when set and valid). */
int64_t sws_now_ms(void);

/* Milliseconds of a monotonic clock, for how long something took (not a
 * time of day: SWS_NOW does not move it, nor does setting the clock). */
int64_t sws_mono_ms(void);

/* Check SWS_NOW once at start-up: 0, or SWS_EINVAL with a message. */
int sws_clock_check_env(struct sws_err *err);

/*
 * Parse an ISO 8601 time: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with an
 * optional Z or +HH:MM / -HH:MM (no zone means UTC).
 */
int sws_time_parse(const char *z, int64_t *out_ms, struct sws_err *err);

/* Format as YYYY-MM-DDTHH:MM:SSZ (UTC) into out (at least 21 bytes). */
void sws_time_format(char *out, size_t n, int64_t ms);
/* Format the date part only, YYYY-MM-DD (at least 11 bytes). */
void sws_date_format(char *out, size_t n, int64_t ms);

/*
 * Local time, for people: every time is stored in UTC, and shown in the
 * office's time zone (an IANA name such as "Asia/Phnom_Penh", from the
 * system's time zone database).
 *
 * sws_tz_valid: 1 if zZone names a zone of the database (letters, digits,
 * '/', '_', '+', '-'; no "..", no leading '/').
 * sws_tz_use: show times in zZone from now on, for the whole process (the
 * command line and `sws ui` serve one office); NULL or "": UTC.
 * sws_time_local: zUtc (as stored, any form sws_time_parse reads) as
 * "YYYY-MM-DD HH:MM" in that zone; what cannot be read is copied as it is.
 */
int sws_tz_valid(const char *zZone);
void sws_tz_use(const char *zZone);
void sws_time_local(char *out, size_t n, const char *zUtc);
/* The UTC time (as stored: YYYY-MM-DDTHH:MM:SSZ) at which the day of
 * nowMs began in that zone: "today" as the office sees it. */
void sws_local_day_start(char *out, size_t n, int64_t nowMs);

/* Days since 1970-01-01 for a civil date (proleptic Gregorian). */
int64_t sws_days_from_civil(int y, int m, int d);
/* Inverse of sws_days_from_civil. */
void sws_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 1 if y-m-d is a real calendar date. */
int sws_date_valid(int y, int m, int d);

#endif
