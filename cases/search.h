/*
 * search.h - the one search box of the front desk: a registration number
 * (also with the check character missing or wrong), a national ID, a phone
 * number, or part of a name in any script, perhaps with a birth date
 * (YYYY, YYYY-MM or YYYY-MM-DD) among its words to tell namesakes apart.
 */
#ifndef SWS_CASES_SEARCH_H
#define SWS_CASES_SEARCH_H

#include "cases/ctx.h"
#include "core/ids.h"

/*
 * People a name search reads and scores at most, per way of looking
 * (whole words, word beginnings, inside words), in registration order;
 * when more match, the note asks the officer to type more. Each is a
 * member row read at random, so this bounds a search of a common name:
 * at a million people 600 took a p95 of 4.4-6 ms, 200 took 2.3-2.8 ms
 * (docs/benchmarks.md). The list shows the best of them, at most 500.
 */
#define SEARCH_NAME_CANDIDATES 200

/*
 * With a birth date typed after the name ("sok dara 1975"), the names a
 * pass reads at most to find SEARCH_NAME_CANDIDATES born then: each is a
 * member row read, most of them of people born at other dates. A common
 * single word (5,600 people are called dara in a million) takes about
 * 10 ms warm; more than this, and the note asks for more of the name.
 */
#define SEARCH_BORN_SCAN 5000

enum search_how {
  SEARCH_BY_REGNO = 1,
  SEARCH_BY_NATIONAL_ID,
  SEARCH_BY_PHONE,
  SEARCH_BY_NAME,
};

struct search_hit {
  char zHouseholdId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  char zHead[201];   /* the head of the household */
  char zArea[33];    /* village code */
  char zStatus[10];  /* active / inactive */
  int line_no;       /* the member who matched (0: the household) */
  char zMember[201]; /* their name */
  char zBorn[11];
  char sex;
  double score;      /* 0..1, for ranking */
  int how;           /* enum search_how */
};

struct search_result {
  struct search_hit *a; /* best first */
  int n;
  int nMore;            /* more matches were left out (0 if none); for
                         * names, of those that fit as well as the ones
                         * shown (whole words, word beginnings, inside a
                         * word: a looser fit is not looked for once the
                         * closer ones fill the list) */
  char zNote[256];      /* something the officer should know, or "" */
};

/*
 * Search for zQuery; at most nLimit hits (1..500). The result is always
 * filled (possibly empty); release with cases_search_release.
 * SWS_EINVAL for an empty or unusable query.
 */
int cases_search(struct sws_ctx *ctx, const char *zQuery, int nLimit,
                 struct search_result *out, struct sws_err *err);
void cases_search_release(struct search_result *r);

#endif
