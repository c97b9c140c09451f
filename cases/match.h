/*
 * match.h - are two person records possibly the same person? The one rule
 * used at the counter, on import and (later) centrally across offices.
 *
 * Rule: the same national ID is a match; two different national IDs are
 * two people (unless they are one typing slip apart, or the name is near
 * identical with the same sex and birth date); otherwise the names must be
 * similar (MATCH_NAME_MIN), the sex the same and the birth years within 2
 * of each other. Pure; calibrated on ../shared/data/dedup_pairs_dev.csv
 * (build/bench_sws dedup; docs/dedup.md).
 */
#ifndef SWS_CASES_MATCH_H
#define SWS_CASES_MATCH_H

/*
 * Name similarity (name_similarity) from which two records with the same
 * sex and birth years at most 2 apart are a possible duplicate; calibrated
 * on the dev pairs, see docs/dedup.md.
 */
#define MATCH_NAME_MIN 0.83
/* Name similarity from which two records with different national IDs are
 * still shown, if their sex and full birth date are the same. */
#define MATCH_NAME_NEAR 0.97

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

/*
 * Compare a and b; fills *out (reasons also say why a pair is not a
 * match). Any of zBorn, zArea, zNationalId may be NULL or short; zName
 * NULL counts as empty. Pure and thread-safe.
 */
void match_persons(const struct match_person *a, const struct match_person *b,
                   struct match_result *out);

#endif
