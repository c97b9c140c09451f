/*
 * match.h - are two person records possibly the same person? The one rule
 * used at the counter, on import and (later) centrally across offices.
 *
 * Rule: the same national ID is a match; otherwise the names must be
 * similar, the sex the same and the birth years within 2 of each other.
 * Pure; calibrated on ../shared/data/dedup_pairs_dev.csv (make bench).
 */
#ifndef SWS_CASES_MATCH_H
#define SWS_CASES_MATCH_H

struct match_person {
  const char *zName;       /* as typed */
  char sex;                /* 'F' or 'M' */
  const char *zBorn;       /* YYYY, YYYY-MM or YYYY-MM-DD */
  const char *zArea;       /* village code, or NULL */
  const char *zNationalId; /* NULL or "" when none */
};

struct match_result {
  int is_match;      /* 1: a possible duplicate to show the officer */
  double score;      /* 0..1, for ranking */
  double name_score; /* the name similarity alone */
  char reasons[256]; /* "name 0.86 similar, born 1979 vs 1980, same village" */
};

/* Compare a and b; fills *out. */
void match_persons(const struct match_person *a, const struct match_person *b,
                   struct match_result *out);

#endif
