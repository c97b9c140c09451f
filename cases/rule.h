/*
 * rule.h - the small expression language of scoring rules (assessment
 * instruments) and eligibility rules (programme catalogue), so that both
 * are data, and every result can be explained.
 *
 *   member.age >= 65 and member.disability
 *   income_monthly < 400000 or has(risks, "violence")
 *   members(member.age < 5) > 0
 *   household.score between 8 and 20
 *   member.sex == "F" and member.age between 15 and 49
 *
 * Values are numbers, strings, booleans, lists of strings, or unknown (a
 * fact nobody has recorded). Logic is three-valued: a comparison with an
 * unknown is unknown; "and" is false as soon as one side is false, "or" true
 * as soon as one side is true. So screening can say "may be eligible: the
 * income was not asked" rather than guess.
 *
 * Grammar (keywords lower-case):
 *   expr   := and ("or" and)*
 *   and    := not ("and" not)*
 *   not    := "not" not | cmp
 *   cmp    := sum [("=="|"!="|"<"|"<="|">"|">=") sum
 *                 | "in" list | "between" sum "and" sum]
 *   sum    := prod (("+"|"-") prod)*
 *   prod   := unary (("*"|"/") unary)*
 *   unary  := "-" unary | atom
 *   atom   := NUMBER | "STRING" | true | false | NAME ("." NAME)*
 *           | FUNC "(" [expr ("," expr)*] ")" | "(" expr ")" | list
 *   list   := "[" [expr ("," expr)*] "]"
 * Functions: has(x, v) (list x contains v, or x equals v), members(cond)
 * (how many members make cond true; member.* names the member in turn),
 * min(a, b), max(a, b), known(x) (true unless x is unknown).
 */
#ifndef SWS_CASES_RULE_H
#define SWS_CASES_RULE_H

#include "core/buf.h"
#include "core/err.h"

#define RULE_MAX_TEXT 2000
#define RULE_MAX_NODES 400
#define RULE_MAX_DEPTH 40

enum rule_type {
  RV_UNKNOWN = 0,
  RV_BOOL,
  RV_NUMBER,
  RV_STRING,
  RV_LIST,
};

/* A value. Strings and lists point into storage owned by whoever made the
 * value (the fact provider or the rule); they live for one evaluation. */
struct rule_value {
  int type;            /* enum rule_type */
  int b;               /* RV_BOOL */
  double n;            /* RV_NUMBER */
  const char *z;       /* RV_STRING */
  const char *const *az; /* RV_LIST: strings */
  int nList;
};

struct rule;

/*
 * Compile rule text. *out is set on success; free with rule_free. Errors
 * name the position: "rule 'x >': expected a value at character 4".
 */
int rule_compile(struct rule **out, const char *zText, struct sws_err *err);
void rule_free(struct rule *r);
/* The text the rule was compiled from. */
const char *rule_text(const struct rule *r);

/*
 * Facts for an evaluation. lookup fills *out for a dotted name and returns
 * 0, or returns -1 for a name that does not exist (an error in the rule,
 * not an unknown fact). member_count/member_select let members() iterate:
 * member_select(i) makes member i the one member.* names (-1: none).
 */
struct rule_env {
  int (*lookup)(void *arg, const char *zName, struct rule_value *out);
  int (*member_count)(void *arg);
  void (*member_select)(void *arg, int i);
  void *arg;
};

/*
 * Evaluate: *out is RV_BOOL true/false or RV_UNKNOWN for conditions (or a
 * number/string for other expressions). `used` (may be NULL) receives the
 * facts the result depended on, as "name = value; " text, for
 * explanations. Returns SWS_EINVAL for a name that does not exist or a
 * type error ("'<' compares numbers").
 */
int rule_eval(const struct rule *r, const struct rule_env *env,
              struct rule_value *out, struct buf *used, struct sws_err *err);

/* A value as text for explanations ("67", "\"F\"", "unknown"). */
void rule_value_format(const struct rule_value *v, struct buf *out);

#endif
