/*
 * text.h - checks on text that comes from people and files: valid UTF-8,
 * no control characters, bounded length; checked number parsing.
 */
#ifndef SWS_CORE_TEXT_H
#define SWS_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* 1 if the n bytes at z are valid UTF-8 (no overlongs, no surrogates). */
int sws_utf8_valid(const char *z, size_t n);

/* Number of code points in valid UTF-8 z. */
size_t sws_utf8_len(const char *z);

/* Decode the UTF-8 character at z (n bytes left) into *pcp: its length,
 * or 0 if the bytes are not UTF-8 (overlongs and surrogates included, as
 * sws_utf8_valid). */
size_t sws_utf8_next(const char *z, size_t n, unsigned *pcp);
/* C0, DEL and C1 (tabs and line breaks among them). */
int sws_cp_control(unsigned cp);
/* The embeddings, overrides and isolates that reorder what is shown
 * (U+202A-U+202E, U+2066-U+2069). */
int sws_cp_bidi(unsigned cp);
/* \n, \r and the Unicode line and paragraph separators. */
int sws_cp_line_break(unsigned cp);

/*
 * Check a field typed by a user: valid UTF-8, no control characters
 * (tabs and newlines only when bMultiline), at most nMax bytes. zField names
 * the field in the message ("--head").
 */
int sws_text_check(const char *zField, const char *z, size_t nMax,
                   int bMultiline, struct sws_err *err);

/*
 * A copy of z (caller frees; NULL for NULL) in which the digits people
 * type in their own script are the ASCII digits stored: Khmer ០-៩
 * (U+17E0-U+17E9) and Mongolian ᠐-᠙ (U+1810-U+1819). Every parser of a
 * typed number (dates, years, phones, IDs, public numbers, amounts,
 * search) reads through it, so a phone typed ០១២ ៣៤៥ ៦៧៨ is stored
 * 012345678.
 */
char *sws_digits_ascii(const char *z);

/* Parse a decimal integer in [min, max]; the whole string must be used
 * (local digits read as sws_digits_ascii does). */
int sws_parse_int64(const char *zField, const char *z, int64_t min,
                    int64_t max, int64_t *out, struct sws_err *err);

/* Copy of z without leading and trailing ASCII white space; caller frees. */
char *sws_trim(const char *z);

/* 1 if z is NULL or only ASCII white space. */
int sws_blank(const char *z);

/*
 * Parse a birth date as typed: YYYY, YYYY-MM or YYYY-MM-DD, not in the
 * future (relative to `now_ms`) and not before 1880. *year gets the year.
 */
int sws_born_check(const char *zField, const char *z, int64_t now_ms,
                   int *year, struct sws_err *err);

/* How a date with its year last is written: unknown, day first, month
 * first. */
enum sws_date_order { SWS_DATE_UNKNOWN, SWS_DATE_DMY, SWS_DATE_MDY };

#define SWS_BORN_SIZE 11 /* YYYY-MM-DD and its NUL */

/*
 * Rewrite a birth date as people and spreadsheets write it into the form
 * that is stored (YYYY, YYYY-MM or YYYY-MM-DD):
 *   - year first with '-', '/' or '.' between parts of one or two digits
 *     ("1982/3/5" and "1982.03.05" are 1982-03-05: Mongolian settings);
 *   - the month and year of "03/1982";
 *   - with the year last ("05/03/1982"), the order given says which of
 *     the day and the month comes first; SWS_DATE_UNKNOWN refuses such a
 *     date, saying zOrderHint (or, for NULL, to write the year first);
 *   - a time of midnight after the date is dropped ("1982-03-05 00:00:00",
 *     "3/5/1982 0:00": database and spreadsheet exports).
 * Local digits are read as sws_digits_ascii does (out is ASCII).
 * A two-digit year and a spreadsheet's day number ("30025") are refused
 * with what to do, and so is anything else. out (SWS_BORN_SIZE bytes) is
 * then for sws_born_check(), which judges whether the date can be a birth
 * date (not in the future, not before 1880).
 */
int sws_born_norm(const char *zField, const char *z,
                  enum sws_date_order order, const char *zOrderHint,
                  char out[SWS_BORN_SIZE], struct sws_err *err);

#endif
