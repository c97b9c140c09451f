/*
 * assessment.h - needs assessments: versioned questionnaires with scoring
 * rules (instruments), and the assessments of households made with them.
 *
 * An instrument is data, a JSON file loaded with `sws assessment load`
 * (format in docs/assessment-and-programmes.md; the default is
 * data/instrument-needs.json). A (code, version) once loaded never
 * changes: an assessment keeps the version it was made with, its answers,
 * its score and the explanation of the score, item by item.
 *
 * Answer types: number (a decimal number, optionally within min..max),
 * choice (one option value), multi (option values separated by commas),
 * yes-no (yes/no, y/n, true/false, 1/0) and text (one line, at most 500
 * bytes). Household questions are answered "id=value", member questions
 * "id@N=value" for member N.
 */
#ifndef SWS_CASES_ASSESSMENT_H
#define SWS_CASES_ASSESSMENT_H

#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "cases/facts.h"
#include "cases/rule.h"
#include "core/ids.h"

#define INSTRUMENT_DEFAULT "needs" /* the code meant when none is given */
#define INSTRUMENT_CODE_MAX 40
#define INSTRUMENT_MAX_BYTES (1 << 20) /* largest instrument file */
#define ASSESSMENT_MAX_ANSWERS 1000

enum question_type { QT_NUMBER = 1, QT_CHOICE, QT_MULTI, QT_YESNO, QT_TEXT };

/* "number", "choice", ... for a type, and back (0 if unknown). */
const char *cases_question_type_name(int type);
int cases_question_type_parse(const char *z);

struct instrument_option {
  char *zValue; /* what is typed and stored */
  char *zEn, *zKm, *zMn; /* zKm, zMn are "" when the file gives none */
};

struct instrument_question {
  char *zId;
  char *zDomain;
  char *zEn, *zKm, *zMn; /* the text in English, Khmer, Mongolian */
  int type;     /* enum question_type */
  int bMember;  /* scope: 0 household, 1 each member */
  int bRequired;
  int bMin, bMax; /* number: limits given */
  double min, max;
  struct instrument_option *aOpt;
  int nOpt;
  /* "ask_if": of whom it is asked (member.* and household.* facts only,
   * never answers), e.g. member.sex == "F" and member.age between 12 and
   * 55; NULL: of everyone */
  struct rule *pAskIf;
  char *zAskIf;
};

struct instrument_rule {
  char *zId;
  int bMember;        /* evaluated once per active member */
  struct rule *pIf;   /* the condition */
  double points;
  char *zFlag;        /* "vulnerability:food", "skill:tailoring" or "" */
  char *zExplain;     /* English */
  char *zExplainKm, *zExplainMn; /* "" when the file gives none */
};

struct instrument_band {
  double from; /* the band starts at this score */
  char *zLabel;              /* the code kept with an assessment ("low") */
  char *zLabelKm, *zLabelMn; /* how it reads, "" when not given */
};

struct instrument {
  char zCode[INSTRUMENT_CODE_MAX + 1];
  int version;
  char *zTitle;
  char zCurrency[4]; /* of the amounts asked (ISO 4217), "" if not given */
  struct instrument_question *aQ;
  int nQ;
  struct instrument_rule *aRule;
  int nRule;
  struct instrument_band *aBand; /* ascending */
  int nBand;
  char *zCanon;      /* the definition as stored (compact JSON) */
  char zSha[65];     /* SHA-256 of zCanon, hex */
};

/*
 * Parse and check an instrument file (no database): every question,
 * option, rule (compiled and tried against probe facts) and band. Errors
 * name what is wrong: "question 'income_monthly': ...". *out is freed
 * with cases_instrument_free.
 */
int cases_instrument_parse(const char *zJson, size_t n,
                           struct instrument **out, struct sws_err *err);
void cases_instrument_free(struct instrument *in);

/* The question zId of in, or NULL. */
const struct instrument_question *
cases_instrument_question(const struct instrument *in, const char *zId);

/* The scoring rule zId of in (NULL: none; in may be NULL). */
const struct instrument_rule *cases_instrument_rule(const struct instrument *in,
                                                    const char *zId);

/* Band zBand as it reads in language zLang (en, km, mn) when instrument in
 * gives it, the code otherwise (in may be NULL). Borrowed. */
const char *cases_instrument_band_label(const struct instrument *in,
                                        const char *zBand, const char *zLang);

struct instrument_load_report {
  char zCode[INSTRUMENT_CODE_MAX + 1];
  int version;
  int nQuestions, nRules;
  int bUnchanged; /* the same (code, version) with the same content was
                     already loaded: nothing was written */
};

/*
 * Load an instrument (all checked first; one operation). The same
 * (code, version) with other content is refused (SWS_ECONFLICT): give the
 * changed questionnaire a new version. Loading the identical file again
 * changes nothing (rep->bUnchanged).
 */
int cases_instrument_load(struct sws_ctx *ctx, const char *zJson, size_t n,
                          struct instrument_load_report *rep,
                          struct sws_err *err);
/* Load the built-in instrument (data/instrument-needs.json). */
int cases_instrument_load_default(struct sws_ctx *ctx, struct sws_err *err);

/*
 * Read a loaded instrument: zCode (NULL: INSTRUMENT_DEFAULT) at version
 * (0: the latest). SWS_ENOTFOUND says how to load one. Free *out with
 * cases_instrument_free.
 */
int cases_instrument_get(struct sws_ctx *ctx, const char *zCode,
                         int version, struct instrument **out,
                         struct sws_err *err);

/*
 * 1 if some loaded instrument, or the built-in one, asks question zId
 * (eligibility rules may read any of them).
 */
int cases_instrument_asks(struct sws_ctx *ctx, const char *zId);

/*
 * Who is asked what (a question's "ask_if") in one household: the form
 * shows a question only to the members it is asked of, and an answer for
 * anyone else is refused. Open it on a household (id or number), ask for
 * each question and member (line_no; 0 for a household question), close
 * it. A condition that cannot be known (an age not recorded) asks.
 */
struct assessment_asked;
int cases_assessment_asked_open(struct sws_ctx *ctx, const char *zHousehold,
                                struct assessment_asked **out,
                                struct sws_err *err);
int cases_assessment_asked(struct assessment_asked *a,
                           const struct instrument_question *q, int line_no);
void cases_assessment_asked_close(struct assessment_asked *a);

/* One line of the explanation of a score. */
struct assessment_item {
  char *zRule;     /* the scoring rule's id */
  int member;      /* 0: about the household; N: member N */
  int outcome;     /* 1: the rule held; -1: unknown (answers missing) */
  double points;   /* what it added (0 when unknown) */
  char *zFlag;     /* "" or the flag it raised */
  char *zExplain;  /* the rule's explanation */
  char *zBecause;  /* the facts it read: "income_monthly = 250000" */
};

struct assessment {
  int64_t number; /* what people type */
  char zId[SWS_UUID_LEN + 1];
  char zCaseId[SWS_UUID_LEN + 1];
  char zHouseholdId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  char zInstrument[INSTRUMENT_CODE_MAX + 1];
  int version;
  double score;
  char zBand[41];
  char **azFlag; /* vulnerabilities and skills found, in order */
  int nFlag;
  struct answer *aAnswer; /* in questionnaire order */
  int nAnswer;
  struct assessment_item *aItem;
  int nItem;
  char zAt[32];
  char zBy[SWS_LOGIN_MAX];
};

/*
 * The explanation of item it in language zLang (en, km, mn): an
 * assessment keeps its rules' English explanations as they were; the
 * other languages are looked up by rule id in the instrument version the
 * assessment was made with (in; NULL or a rule it lacks: the kept
 * English). Borrowed from it or in.
 */
const char *cases_instrument_explain(const struct instrument *in,
                                     const struct assessment_item *it,
                                     const char *zLang);

/* Free what an assessment read by cases_assessment_get holds. */
void cases_assessment_release(struct assessment *a);

/*
 * Assess household zRegno (it needs an open case) with instrument zCode
 * (NULL: the latest version of INSTRUMENT_DEFAULT; a code: its latest
 * version). azAnswer holds nAnswer "KEY=VALUE" strings, KEY a question id,
 * or "id@N" for member N's answer to a member question. Every answer is
 * checked against its question (an error names it; nothing is saved);
 * required questions must be answered (member questions: for every
 * active member). The score, band, flags and explanation are computed and
 * saved with the answers in one operation. *pNumber gets the number.
 */
int cases_assessment_add(struct sws_ctx *ctx, const char *zRegno,
                         const char *zCode, const char *const *azAnswer,
                         int nAnswer, int64_t *pNumber, struct sws_err *err);

/* Read assessment `number` into *out (release it). */
int cases_assessment_get(struct sws_ctx *ctx, int64_t number,
                         struct assessment *out, struct sws_err *err);

/* The latest assessment of a household (id or number): SWS_ENOTFOUND if
 * it has none. */
int cases_assessment_latest(struct sws_ctx *ctx, const char *zHousehold,
                            struct assessment *out, struct sws_err *err);

/* One line of a household's assessments. */
struct assessment_row {
  int64_t number;
  const char *zInstrument;
  int version;
  double score;
  const char *zBand, *zFlags /* JSON list */, *zAt, *zBy;
};

/* Call fn for each assessment of household zRegno, newest first. */
int cases_assessment_list(struct sws_ctx *ctx, const char *zRegno,
                          int (*fn)(const struct assessment_row *, void *),
                          void *arg, struct sws_err *err);

#endif
