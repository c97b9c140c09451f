/*
 * name.h - person names in any script (Khmer, Mongolian Cyrillic, Latin):
 * normalisation, a Latin reading, blocking keys and similarity.
 *
 * Pure functions (no database); name_sql_register() makes some of them
 * available to SQL for the generated columns of the member table.
 */
#ifndef SWS_CASES_NAME_H
#define SWS_CASES_NAME_H

#include <sqlite3.h>

/*
 * Fold a name for comparison: Unicode NFC, case-folded, zero-width and
 * other format characters removed, punctuation turned into spaces, runs of
 * white space collapsed to one space, trimmed. Invalid UTF-8 gives "".
 * Returns a new string; caller frees.
 */
char *name_fold(const char *zName);

/*
 * 1 if zFold (from name_fold) is the word zWord, written in lower case with
 * '-' or '_' where folding leaves a space: how a header cell or a value in
 * a list is matched to a known word ("Household Key" is household_key,
 * "Other Relative" is other-relative, "Эрэгтэй" is эрэгтэй).
 */
int name_word_is(const char *zFold, const char *zWord);

/*
 * The Latin reading of a name in lower-case ASCII: Khmer and Mongolian
 * Cyrillic romanised, Latin diacritics removed, folded as above.
 * Returns a new string; caller frees.
 */
char *name_latin(const char *zName);

/*
 * The text indexed for substring search (member.name_fold): the folded
 * name, followed by its Latin reading when that differs.
 * Returns a new string; caller frees.
 */
char *name_search_text(const char *zName);

/*
 * Blocking keys of a name as a JSON array of strings (member.name_keys).
 * Two names that may be the same person share at least one key.
 * Returns a new string; caller frees.
 */
char *name_keys_json(const char *zName);

/* Why two names were found similar. */
struct name_sim {
  double score;    /* 0 (nothing alike) .. 1 (same after folding) */
  int cross_script; /* compared through the Latin reading */
  int reordered;    /* the same words in another order */
  int initial;      /* a word given as an initial matched a full word */
};

/* Similarity of two names as typed; `why` may be NULL. */
double name_similarity(const char *zA, const char *zB, struct name_sim *why);

/* Define sws_name_fold(name) and sws_name_keys(name) on a connection. */
int name_sql_register(sqlite3 *h);

#endif
