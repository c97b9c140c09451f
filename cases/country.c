/*
 * country.c - the office's country and its rules (see country.h).
 */
#include "cases/country.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/mem.h"

extern const char cases_default_areas_csv[];
extern const char cases_default_areas_mn_csv[];
extern const char cases_default_grievance_json[];
extern const char cases_default_grievance_mn_json[];
extern const char cases_default_instrument_needs_json[];
extern const char cases_default_instrument_needs_mn_json[];
extern const char cases_default_programmes_json[];
extern const char cases_default_programmes_mn_json[];

static const struct country COUNTRIES[] = {
    {"kh", "Cambodia", "855", 8, 9, "KHR", 0, cases_default_areas_csv,
     cases_default_grievance_json, cases_default_instrument_needs_json,
     cases_default_programmes_json, "Asia/Phnom_Penh"},
    {"mn", "Mongolia", "976", 8, 8, "MNT", 1, cases_default_areas_mn_csv,
     cases_default_grievance_mn_json, cases_default_instrument_needs_mn_json,
     cases_default_programmes_mn_json, "Asia/Ulaanbaatar"},
};
#define N_COUNTRY (sizeof COUNTRIES / sizeof COUNTRIES[0])

const struct country *cases_country_find(const char *z)
{
  for (size_t i = 0; z && i < N_COUNTRY; i++)
    if (strcasecmp(z, COUNTRIES[i].zCode) == 0)
      return &COUNTRIES[i];
  return NULL;
}

const char *cases_country_list(void)
{
  return "kh (Cambodia), mn (Mongolia)";
}

int cases_country_parse(const struct country **out, const char *z,
                        struct sws_err *err)
{
  if ((*out = cases_country_find(z)) != NULL)
    return SWS_OK;
  return sws_err_set(err, SWS_EINVAL,
                     "unknown country '%.20s'; give one of "
                     "%s",
                     z ? z : "", cases_country_list());
}

const struct country *cases_country_of(struct sws_ctx *ctx)
{
  return ctx && ctx->country ? ctx->country
                             : cases_country_find(COUNTRY_DEFAULT);
}

int cases_country_read(struct sws_ctx *ctx, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT value FROM setting WHERE name = 'country'", err);
  if (rc != 0)
    return rc;
  ctx->country = cases_country_find(COUNTRY_DEFAULT);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    const char *z = db_col_str(q, 0);
    ctx->country = cases_country_find(z);
    rc = ctx->country ? SWS_OK
                      : sws_err_set(err, SWS_ESCHEMA,
                                    "this office's country "
                                    "'%.20s' is not one this version knows "
                                    "(%s); use a newer sws",
                                    z, cases_country_list());
  } else if (rc == DB_DONE) {
    rc = SWS_OK;
  }
  db_done(ctx->db, q);
  if (rc == SWS_OK) /* times are shown in the office's zone */
    sws_tz_use(cases_office_timezone(ctx));
  return rc;
}

const char *cases_office_timezone(struct sws_ctx *ctx)
{
  sqlite3_stmt *q;
  ctx->zTimeZone[0] = '\0';
  if (db_prepare(ctx->db, &q,
                 "SELECT value FROM setting WHERE name = 'timezone'",
                 NULL) == 0) {
    if (db_step(ctx->db, q, NULL) == DB_ROW)
      sws_strlcpy(ctx->zTimeZone, db_col_str(q, 0), sizeof ctx->zTimeZone);
    db_done(ctx->db, q);
  }
  if (ctx->zTimeZone[0] == '\0' || !sws_tz_valid(ctx->zTimeZone))
    sws_strlcpy(ctx->zTimeZone, cases_country_of(ctx)->zTimeZone,
                sizeof ctx->zTimeZone);
  return ctx->zTimeZone;
}

int cases_office_timezone_set(struct sws_ctx *ctx, const char *zZone,
                              struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if (zZone && !sws_tz_valid(zZone))
    return sws_err_set(err, SWS_EINVAL,
                       "'%.64s' is not a time zone of this computer: give "
                       "a name such as Asia/Phnom_Penh or Asia/Ulaanbaatar "
                       "(see /usr/share/zoneinfo)",
                       zZone);
  if ((rc = cases_op_begin(ctx, "office.timezone", err)) != 0)
    return rc;
  rc = db_prepare(ctx->db, &q,
                  zZone ? "INSERT INTO setting(name, value) VALUES "
                          "('timezone', :z) ON CONFLICT(name) DO UPDATE SET "
                          "value = excluded.value"
                        : "DELETE FROM setting WHERE name = 'timezone'",
                  err);
  if (rc == 0) {
    if (zZone)
      db_bind_text(q, ":z", zZone);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  rc = cases_op_end(ctx, rc, "office", zZone ? zZone : "", NULL, err);
  if (rc == 0)
    sws_tz_use(cases_office_timezone(ctx));
  return rc;
}

int cases_country_set(struct sws_ctx *ctx, const struct country *c,
                      struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if ((rc = cases_op_begin(ctx, "office.country", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO setting(name, value) VALUES ('country', "
                       ":c) ON CONFLICT(name) DO UPDATE SET value = "
                       "excluded.value",
                       err)) == 0) {
    db_bind_text(q, ":c", c->zCode);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    db_done(ctx->db, q);
  }
  rc = cases_op_end(ctx, rc, "office", c->zCode, c->zName, err);
  if (rc == 0) {
    ctx->country = c;
    sws_tz_use(cases_office_timezone(ctx));
  }
  return rc;
}

/* ---- national IDs ---- */

unsigned cases_mn_letter_upper(unsigned cp)
{
  if (cp >= 0x0410 && cp <= 0x042F) /* А-Я */
    return cp;
  if (cp >= 0x0430 && cp <= 0x044F) /* а-я */
    return cp - 0x20;
  if (cp == 0x0401 || cp == 0x0451) /* Ё ё */
    return 0x0401;
  if (cp == 0x04E8 || cp == 0x04E9) /* Ө ө */
    return 0x04E8;
  if (cp == 0x04AE || cp == 0x04AF) /* Ү ү */
    return 0x04AE;
  return 0;
}

static int days_in_month(int y, int m)
{
  static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : D[m - 1];
}

/* The two letters of a register number: bytes they take, or 0. */
static size_t register_letters(const char *z)
{
  size_t i = 0, n = strlen(z);
  for (int k = 0; k < 2; k++) {
    unsigned cp;
    size_t len = sws_utf8_next(z + i, n - i, &cp);
    if (len == 0 || cases_mn_letter_upper(cp) != cp || cp < 0x80)
      return 0;
    i += len;
  }
  return i;
}

/* 1 if z is two letters and eight digits (date not checked). */
static int register_shape(const char *z, const char **pDigits)
{
  size_t i = register_letters(z);
  if (i == 0 || strlen(z + i) != 8)
    return 0;
  for (size_t k = 0; k < 8; k++)
    if (z[i + k] < '0' || z[i + k] > '9')
      return 0;
  *pDigits = z + i;
  return 1;
}

int cases_register_no_parse(const char *zNid, char zBorn[SWS_BORN_SIZE])
{
  const char *d;
  int yy, mm, dd, y;
  if (zNid == NULL || !register_shape(zNid, &d))
    return 0;
  yy = (d[0] - '0') * 10 + (d[1] - '0');
  mm = (d[2] - '0') * 10 + (d[3] - '0');
  dd = (d[4] - '0') * 10 + (d[5] - '0');
  y = 1900 + yy;
  if (mm >= 21 && mm <= 32) {
    y = 2000 + yy;
    mm -= 20;
  }
  if (mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(y, mm))
    return 0;
  if (zBorn) {
    char z[32];
    snprintf(z, sizeof z, "%04d-%02d-%02d", y, mm, dd);
    sws_strlcpy(zBorn, z, SWS_BORN_SIZE);
  }
  return 1;
}

int cases_country_nid_check(const struct country *c, const char *zField,
                            const char *zNid, const char *zBorn,
                            struct sws_err *err)
{
  char zSays[SWS_BORN_SIZE];
  const char *d;
  int bAscii = 1;
  size_t n;
  if (zNid == NULL || zNid[0] == '\0')
    return SWS_OK;
  for (const char *p = zNid; *p; p++)
    bAscii &= (unsigned char)*p < 0x80;
  if (bAscii)
    return SWS_OK; /* letters A-Z, digits and '/': taken everywhere */
  if (!c->bRegisterNo)
    return sws_err_set(err, SWS_EINVAL,
                       "%s '%s' has Cyrillic letters; an "
                       "office in %s takes national IDs of letters A-Z, "
                       "digits and '/'",
                       zField, zNid, c->zName);
  if (!register_shape(zNid, &d))
    return sws_err_set(err, SWS_EINVAL,
                       "%s '%s' is not a register number: "
                       "two Cyrillic capital letters and eight digits, e.g. "
                       "УБ79040212",
                       zField, zNid);
  if (!cases_register_no_parse(zNid, zSays))
    return sws_err_set(err, SWS_EINVAL,
                       "%s '%s' has no birth date in it: "
                       "its first six digits are YYMMDD (the month plus 20 "
                       "for people born in 2000 or later); check the number",
                       zField, zNid);
  n = zBorn ? strlen(zBorn) : 0;
  if (n > 0 && strncmp(zSays, zBorn, n) != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "the register number %s says born "
                       "%.*s; the birth date given is %s",
                       zNid, (int)n, zSays, zBorn);
  return SWS_OK;
}

/* ---- phone numbers ---- */

/* The digits of a stored number without '+' and leading zeros; *intl when
 * it was written the international way (+..., 00...). */
static const char *phone_digits(const char *z, int *intl)
{
  *intl = z[0] == '+' || (z[0] == '0' && z[1] == '0');
  z += z[0] == '+';
  while (*z == '0')
    z++;
  return z;
}

int cases_phone_same(const struct country *c, const char *zA, const char *zB)
{
  int ia, ib;
  const char *a = phone_digits(zA, &ia), *b = phone_digits(zB, &ib);
  size_t na = strlen(a), nb = strlen(b), nDial = strlen(c->zDial);
  if (na < nb) {
    const char *t = a;
    a = b;
    b = t;
    size_t tn = na;
    na = nb;
    nb = tn;
    ia = ib;
  }
  if (nb == 0)
    return 0;
  if (na == nb)
    return strcmp(a, b) == 0;
  /* a: the country's code, then b, a whole national number; written as
   * international, or too long to be a national number */
  return na == nDial + nb && (int)nb >= c->nNationalMin &&
         (int)nb <= c->nNationalMax && (ia || (int)na > c->nNationalMax) &&
         strncmp(a, c->zDial, nDial) == 0 && strcmp(a + nDial, b) == 0;
}
