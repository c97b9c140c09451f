/*
 * langtext.h - a text of a definition file (a question, an option, the
 * explanation of a scoring or eligibility rule, a band) in the languages
 * of the offices: English, Khmer, Mongolian.
 *
 * In a file it is a plain string (English) or {"en": "...", "km": "...",
 * "mn": "..."} ("en" required; any other language code is allowed and
 * kept in the stored definition). Shown, it is the reader's language when
 * the file gives it, English otherwise.
 */
#ifndef SWS_CASES_LANGTEXT_H
#define SWS_CASES_LANGTEXT_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/*
 * Read text v (a string or a language object) of at most nMax bytes a
 * language. *pzEn gets the English, *pzKm and *pzMn the Khmer and
 * Mongolian or "" (either may be NULL: not wanted); the caller frees them.
 * zWhat names the text in errors ("option 'x'", "scoring rule 'y':
 * explain"). Nothing is allocated on error.
 */
int cases_langtext_parse(json_t *v, size_t nMax, char **pzEn, char **pzKm,
                         char **pzMn, const char *zWhat, struct sws_err *err);

/* The text for language zLang ("en", "km", "mn"; NULL: English): zKm or
 * zMn when given (not NULL, not ""), zEn otherwise. Borrowed. */
const char *cases_langtext_pick(const char *zLang, const char *zEn,
                                const char *zKm, const char *zMn);

/* 1 if zLang is a language texts are given in: en, km or mn. */
int cases_langtext_known(const char *zLang);

#endif
