/*
 * country.h - the country an office works in, chosen once by `sws init
 * --country` and kept in the office's setting table: its built-in areas,
 * holidays, questionnaire (and its currency), programme catalogue, the
 * form of its national IDs and its telephone numbering.
 *
 * A database without the setting (offices made before it existed) is
 * Cambodian.
 */
#ifndef SWS_CASES_COUNTRY_H
#define SWS_CASES_COUNTRY_H

#include "cases/ctx.h"
#include "core/text.h"

struct country {
  const char *zCode; /* "kh", "mn" */
  const char *zName; /* "Cambodia" */
  const char *zDial; /* international calling code, digits: "855" */
  int nNationalMin;  /* digits of a national number, trunk 0 dropped */
  int nNationalMax;
  const char *zCurrency; /* ISO 4217 code of the questionnaire's amounts */
  int bRegisterNo;       /* IDs may be Mongolian register numbers */
  const char *zAreasCsv; /* built-in data (data/...), NUL-terminated */
  const char *zGrievanceJson;
  const char *zInstrumentJson;
  const char *zProgrammesJson;
  const char *zTimeZone; /* where times are shown, unless the office
                            chose another: "Asia/Phnom_Penh" */
};

#define COUNTRY_DEFAULT "kh"

/* The country of code z ("kh", "MN"), or NULL. */
const struct country *cases_country_find(const char *z);
/* The same, with a message listing the countries known when z is not one
 * of them. */
int cases_country_parse(const struct country **out, const char *z,
                        struct sws_err *err);
/* "kh (Cambodia), mn (Mongolia)" */
const char *cases_country_list(void);

/* This office's country (read when the database is opened). */
const struct country *cases_country_of(struct sws_ctx *ctx);

/* The time zone the office shows times in: its own choice (the setting
 * 'timezone') or its country's. */
const char *cases_office_timezone(struct sws_ctx *ctx);
/* Choose it (an IANA name, see sws_tz_valid; NULL: the country's again),
 * audited; times are shown in it from now on. */
int cases_office_timezone_set(struct sws_ctx *ctx, const char *zZone,
                              struct sws_err *err);
/* Read the setting into ctx (at open). */
int cases_country_read(struct sws_ctx *ctx, struct sws_err *err);
/* Set the office's country (sws init); one audited operation. */
int cases_country_set(struct sws_ctx *ctx, const struct country *c,
                      struct sws_err *err);

/* The upper-case form of a letter of the Mongolian Cyrillic alphabet
 * (А-Я, Ё, Ө, Ү in either case), or 0 for any other code point. */
unsigned cases_mn_letter_upper(unsigned cp);

/*
 * 1 if zNid (stored form, upper-case) is a Mongolian register number: two
 * Cyrillic capitals of the Mongolian alphabet, then eight digits whose
 * first six are the birth date YYMMDD (months 21-32: born in 2000 or
 * later, month minus 20); zBorn (may be NULL) gets that date, YYYY-MM-DD.
 */
int cases_register_no_parse(const char *zNid, char zBorn[SWS_BORN_SIZE]);

/*
 * Check a stored national ID zNid (cases_national_id_norm) against the
 * office's country and the person's stored birth date zBorn (YYYY,
 * YYYY-MM or YYYY-MM-DD): IDs of A-Z, digits and '/' are taken
 * everywhere; one with Cyrillic letters only in a country with register
 * numbers, and only as a whole register number whose date agrees with
 * the birth date as far as that is known. zField names the field.
 */
int cases_country_nid_check(const struct country *c, const char *zField,
                            const char *zNid, const char *zBorn,
                            struct sws_err *err);

/*
 * 1 if two stored phone numbers (cases_phone_norm) are one number written
 * two ways in country c: the same digits once '+' and leading zeros are
 * dropped (012 345 678 and 12345678), or one is the other with the
 * country's calling code before it (+855 12 345 678, 00855..., or 855...
 * when too long to be a national number), the other being a whole
 * national number of the country (8 or 9 digits in Cambodia, 8 in
 * Mongolia). The SQL function sws_phone_same(a, b) asks it for the
 * office's country.
 */
int cases_phone_same(const struct country *c, const char *zA, const char *zB);

#endif
