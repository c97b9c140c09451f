/*
 * clock.c - time source and ISO 8601 parsing/formatting (see clock.h).
 * Civil-date arithmetic after Howard Hinnant's well-known algorithms.
 */
#include "clock.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t sws_days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void sws_civil_from_days(int64_t z, int *py, int *pm, int *pd)
{
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *py = (int)(y + (m <= 2));
  *pm = (int)m;
  *pd = (int)d;
}

int sws_date_valid(int y, int m, int d)
{
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
    return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = mdays[m - 1] + (m == 2 && leap);
  return d <= max;
}

/* Read exactly n digits; -1 if not digits. */
static int digits(const char *z, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9')
      return -1;
    v = v * 10 + (z[i] - '0');
  }
  return v;
}

int sws_time_parse(const char *z, int64_t *out, struct sws_err *err)
{
  int y, mo, d, h = 0, mi = 0, s = 0, ms = 0, off = 0;
  const char *p = z;
  if (strlen(z) < 10 || (y = digits(p, 4)) < 0 || p[4] != '-' ||
      (mo = digits(p + 5, 2)) < 0 || p[7] != '-' ||
      (d = digits(p + 8, 2)) < 0 || !sws_date_valid(y, mo, d))
    goto bad;
  p += 10;
  if (*p == 'T' || *p == ' ') {
    p++;
    if ((h = digits(p, 2)) < 0 || p[2] != ':' || (mi = digits(p + 3, 2)) < 0 ||
        h > 23 || mi > 59)
      goto bad;
    p += 5;
    if (*p == ':') {
      if ((s = digits(p + 1, 2)) < 0 || s > 60)
        goto bad;
      p += 3;
      if (*p == '.') {
        p++;
        int nd = 0;
        ms = 0;
        while (*p >= '0' && *p <= '9') {
          if (nd < 3)
            ms = ms * 10 + (*p - '0');
          nd++;
          p++;
        }
        if (nd == 0)
          goto bad;
        while (nd < 3) {
          ms *= 10;
          nd++;
        }
      }
    }
    if (*p == 'Z') {
      p++;
    } else if (*p == '+' || *p == '-') {
      int oh = digits(p + 1, 2), om;
      if (oh < 0 || p[3] != ':' || (om = digits(p + 4, 2)) < 0)
        goto bad;
      off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
      p += 6;
    }
  }
  if (*p != '\0')
    goto bad;
  *out = ((sws_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
           (int64_t)off * 60) *
          1000) +
         ms;
  return SWS_OK;
bad:
  return sws_err_set(err, SWS_EINVAL, "'%s' is not a date and time like "
                     "2026-03-01 or 2026-03-01T09:30:00Z", z);
}

int64_t sws_now_ms(void)
{
  const char *z = getenv("SWS_NOW");
  int64_t ms;
  if (z && *z && sws_time_parse(z, &ms, NULL) == SWS_OK)
    return ms;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sws_mono_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sws_clock_check_env(struct sws_err *err)
{
  const char *z = getenv("SWS_NOW");
  int64_t ms;
  if (z == NULL || *z == '\0')
    return SWS_OK;
  if (sws_time_parse(z, &ms, err) != SWS_OK)
    return sws_err_set(err, SWS_EINVAL, "SWS_NOW='%s' is not a time like "
                       "2026-03-01T09:30:00Z; fix or unset it", z);
  return SWS_OK;
}

void sws_time_format(char *out, size_t n, int64_t ms)
{
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  int y, m, d;
  sws_civil_from_days(days, &y, &m, &d);
  snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
           (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void sws_date_format(char *out, size_t n, int64_t ms)
{
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int y, m, d;
  sws_civil_from_days(days, &y, &m, &d);
  snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

int sws_tz_valid(const char *zZone)
{
  const char *zDir = getenv("TZDIR");
  char zPath[512];
  struct stat st;
  size_t n = zZone ? strlen(zZone) : 0;
  if (n == 0 || n > 64 || zZone[0] == '/' || strstr(zZone, ".."))
    return 0;
  for (const char *p = zZone; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
          (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '+' ||
          *p == '-'))
      return 0;
  snprintf(zPath, sizeof zPath, "%s/%s",
           zDir && zDir[0] ? zDir : "/usr/share/zoneinfo", zZone);
  return stat(zPath, &st) == 0 && S_ISREG(st.st_mode);
}

void sws_tz_use(const char *zZone)
{
  setenv("TZ", zZone && zZone[0] ? zZone : "UTC0", 1);
  tzset();
}

void sws_time_local(char *out, size_t n, const char *zUtc)
{
  int64_t ms;
  struct tm tm;
  if (n == 0)
    return;
  if (zUtc == NULL || zUtc[0] == '\0' || sws_time_parse(zUtc, &ms, NULL) != 0) {
    snprintf(out, n, "%s", zUtc ? zUtc : "");
    return;
  }
  time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  if (localtime_r(&t, &tm) == NULL ||
      strftime(out, n, "%Y-%m-%d %H:%M", &tm) == 0)
    snprintf(out, n, "%s", zUtc);
}

void sws_local_day_start(char *out, size_t n, int64_t nowMs)
{
  time_t t = (time_t)(nowMs / 1000);
  struct tm tm;
  if (localtime_r(&t, &tm) == NULL) {
    sws_date_format(out, n, nowMs);
    return;
  }
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  time_t start = mktime(&tm);
  sws_time_format(out, n, (int64_t)start * 1000);
}
