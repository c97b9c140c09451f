/*
 * facts.h - what scoring rules (assessment instruments) and eligibility
 * rules (the programme catalogue) may read about a household, in one
 * place so both speak the same language:
 *
 *   member.age, member.sex, member.disability, member.relationship,
 *   member.is_head                        (the member the rule is about, or
 *                                          each member inside members())
 *   household.size, household.children, household.older, household.area,
 *   household.areas                       (active members only)
 *   QUESTION                              (an answer: the household's, or
 *                                          the current member's own)
 *   assessment.score, assessment.band, assessment.flags, member.flags
 *                                         (screening only: the household's
 *                                          latest assessment)
 *
 * A fact nobody recorded is unknown (rule.h's three-valued logic). A name
 * that is none of these is an error in the rule. Loaders evaluate every
 * rule against a probe (no household: every fact unknown, then every fact
 * a sample of its type) so such errors are found before anything is saved.
 */
#ifndef SWS_CASES_FACTS_H
#define SWS_CASES_FACTS_H

#include "cases/ctx.h"
#include "cases/household.h"
#include "cases/rule.h"
#include "core/buf.h"

#define FACTS_CHILD_AGE 18 /* household.children: younger than this */
#define FACTS_OLDER_AGE 65 /* household.older: this age or older */

/* One answer to a question, typed (see assessment.h for the types). */
struct answer {
  char *zKey;          /* as stored: "income_monthly", "chronic_illness@2" */
  char *zQuestion;     /* the question id */
  int member;          /* 0: the household's answer; N: member N's */
  struct rule_value v; /* its value; strings point into azItem */
  char **azItem;       /* owned: the text, or the items of a list */
  int nItem;
};

/* Free what a holds (not a itself). */
void cases_answer_clear(struct answer *a);
/* Free an array of n answers. */
void cases_answers_free(struct answer *a, int n);
/* The value as people read it ("yes", "250000", "tailoring, farming"). */
void cases_answer_text(const struct answer *a, struct buf *out);
/*
 * Parse answers stored as a JSON object ({"income_monthly": 250000,
 * "skills@2": ["tailoring"], "pregnant@3": true}) into *pa (caller frees
 * with cases_answers_free). SWS_EINVAL if it is not such an object.
 */
int cases_answers_parse(const char *zJson, struct answer **pa, int *pn,
                        struct sws_err *err);

/* What a bare name is (see struct facts.question). */
enum fact_scope {
  FACT_NONE = 0,      /* not a question: an error in the rule */
  FACT_HOUSEHOLD = 1, /* a household question */
  FACT_MEMBER = 2,    /* a question about each member */
  FACT_EITHER = 3,    /* a question; its scope is not known here */
};

enum facts_probe {
  FACTS_REAL = 0,   /* a real household */
  FACTS_UNKNOWN,    /* probe: every fact unknown */
  FACTS_SAMPLE,     /* probe: every fact a sample value of its type */
};

/* A member as rules see it. */
struct fact_member {
  const struct member *m; /* NULL in a probe */
  double age;             /* whole years today (see cases_member_age) */
  const char **azFlag;    /* member.flags (owned array, borrowed strings) */
  int nFlag;
};

struct facts {
  int probe;              /* enum facts_probe */
  struct household h;     /* owned (not in a probe) */
  struct fact_member *aMem; /* the active members (owned) */
  int nMem;
  char **azArea;          /* the village, then the areas above it */
  int nArea;
  int nChildren, nOlder;
  /* answers (borrowed) */
  const struct answer *aAnswer;
  int nAnswer;
  /* assessment facts: bAssessmentFacts makes the names exist (screening);
   * bAssessed says there is an assessment to read them from */
  int bAssessmentFacts, bAssessed;
  double score;
  const char *zBand;          /* borrowed */
  const char *const *azFlag;  /* borrowed */
  int nFlag;
  /* what a bare name is; *sample gets a value of its type (for probes) */
  int (*question)(void *arg, const char *zName, struct rule_value *sample);
  void *questionArg;
  /* where the evaluation is */
  int iBase; /* the member the rule is about (index into aMem), or -1 */
  int iCur;  /* the member member.* names now */
  int bIn;   /* inside members() */
  struct buf *pMissing; /* when set: unknown facts read, "a; b; " */
};

/*
 * Load the facts of household zHouseholdId (id or number): the household,
 * its active members with their ages today (sws clock), its areas. Answers
 * and assessment facts are borrowed afterwards by setting the fields.
 * Release with cases_facts_release (also after an error).
 */
int cases_facts_init(struct facts *f, struct sws_ctx *ctx,
                     const char *zHouseholdId, struct sws_err *err);
/* Facts of no household, for checking rules (enum facts_probe). */
void cases_facts_probe(struct facts *f, int probe);
/* Free what f holds (not the borrowed answers and flags). */
void cases_facts_release(struct facts *f);

/* Add zFlag (borrowed) to member.flags of member line_no. */
void cases_facts_member_flag(struct facts *f, int line_no, const char *zFlag);

/* The rule_env reading f. */
void cases_facts_env(struct facts *f, struct rule_env *env);
/* Make rules about member i (index into aMem), or the household (-1). */
void cases_facts_at(struct facts *f, int i);

/*
 * Evaluate a condition: *out3 is 1 (holds), 0 (does not) or -1 (unknown).
 * used (may be NULL) gets the facts read, "name = value; ...". A rule
 * that gives a number or a text rather than yes/no is an error.
 */
int cases_facts_eval(struct facts *f, const struct rule *r, int *out3,
                     struct buf *used, struct sws_err *err);

/*
 * Age in whole years on zToday (YYYY-MM-DD) of someone born zBorn (YYYY,
 * YYYY-MM or YYYY-MM-DD). A birth year alone counts as born on 1 July, a
 * year and month as born on the 15th. -1 if zBorn is not a date.
 */
int cases_member_age(const char *zBorn, const char *zToday);

/*
 * The first day after zToday (YYYY-MM-DD) on which cases_member_age of
 * zBorn differs from its value on zToday, into zOut (11 bytes); at most
 * FACTS_AGE_HORIZON days on. What screening on zToday read from the clock
 * holds until then (kept screenings, cases/screening.h).
 */
#define FACTS_AGE_HORIZON 366
void cases_member_age_until(const char *zBorn, const char *zToday, char *zOut);

#endif
