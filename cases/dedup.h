/*
 * dedup.h - possible duplicates of a person in this office's registry: the
 * database side of the rule in match.h (which people to compare), used at
 * the counter, on import and when members are added.
 *
 * Candidates are members who share a name key (member_key), have the same
 * sex and were born within 2 years, plus anyone with the same national ID;
 * each is scored by match_persons() and the best hit per household kept.
 */
#ifndef SWS_CASES_DEDUP_H
#define SWS_CASES_DEDUP_H

#include "cases/ctx.h"
#include "cases/match.h"
#include "core/ids.h"

struct dedup_hit {
  char zHouseholdId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  int line_no;            /* member N of that household */
  char zName[201];        /* the member found */
  char zBorn[11];
  char zArea[33];
  char zInput[201];       /* the person being registered it resembles */
  int inactive;           /* the household is deactivated */
  double score;
  char zReasons[256];
};

struct dedup_list {
  struct dedup_hit *a; /* best first */
  int n, nAlloc;
};

#define DEDUP_LIST_INIT {NULL, 0, 0}

void dedup_list_release(struct dedup_list *l);

/*
 * Add the possible duplicates of person p (not in household zExcludeId,
 * which may be NULL) to *out: one hit per household, the best, best first.
 */
int cases_dedup_person(struct sws_ctx *ctx, const struct match_person *p,
                       const char *zExcludeId, struct dedup_list *out,
                       struct sws_err *err);

#endif
