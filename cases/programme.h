/*
 * programme.h - the programme catalogue, eligibility screening and
 * enrolment applications.
 *
 * The catalogue is data (`sws programme load FILE`; format in
 * docs/assessment-and-programmes.md; examples in data/programmes.json):
 * programmes of several agencies, each tagged with one of the four
 * guarantees of ILO Recommendation 202 and with eligibility rules over the
 * facts of facts.h. A programme missing from a newer catalogue becomes
 * inactive; nothing is deleted (enrolments refer to it).
 *
 * Screening is offline and read-only: every rule of every active
 * programme, for the household or for each active member, says yes, no or
 * unknown, with the facts it read and what is missing.
 *
 * Enrolment applications: applied -> approved | rejected (with a reason);
 * at most one live (applied or approved) application per person, or
 * household, and programme (the database enforces it).
 */
#ifndef SWS_CASES_PROGRAMME_H
#define SWS_CASES_PROGRAMME_H

#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "cases/rule.h"
#include "core/ids.h"

#define PROGRAMME_CODE_MAX 40
#define CATALOGUE_MAX_BYTES (1 << 20)

/* The four guarantees of ILO Recommendation 202, as the catalogue writes
 * them. */
#define GUARANTEES "health, children, working-age, older-persons"

struct programme_rule {
  struct rule *pIf;
  char *zExplain;                /* English */
  char *zExplainKm, *zExplainMn; /* "" when the catalogue gives none */
};

struct programme {
  char zCode[PROGRAMME_CODE_MAX + 1];
  char *zName, *zAgency;
  char zGuarantee[16]; /* health, children, working-age, older-persons */
  int bMember;         /* level: 0 household, 1 member */
  struct programme_rule *aRule; /* all must hold */
  int nRule;
  char **azDoc; /* documents needed */
  int nDoc;
  char *zCanon; /* its definition as stored (compact JSON) */
  /* as loaded (cases_programme_list) */
  int active;
  int catalogue_version;
  char zLoadedAt[32];
};

/* Free what p holds and zero it (a zeroed programme may be cleared). */
void cases_programme_clear(struct programme *p);

struct catalogue {
  int version;
  struct programme *a;
  int n;
};

/*
 * Parse and check a catalogue (no database): shape, codes, guarantees,
 * levels, every rule compiled and tried against probe facts in which any
 * bare name is a question. Errors name the programme and the rule. Free
 * *out with cases_catalogue_free.
 */
int cases_catalogue_parse(const char *zJson, size_t n, struct catalogue **out,
                          struct sws_err *err);
void cases_catalogue_free(struct catalogue *c);

struct programme_load_report {
  int version;
  int nProgrammes; /* in the file */
  int nNew, nChanged, nRetired; /* retired: made inactive */
  int bUnchanged;  /* the same version and content was loaded already */
};

/*
 * Load a catalogue (one operation): programmes are added or updated and
 * made active; those not in it become inactive. Names in rules that are
 * not facts must be questions of a loaded instrument or the built-in one.
 * A version older than the loaded one, or the loaded version with other
 * content, is refused (SWS_ECONFLICT); the identical catalogue again
 * changes nothing (rep->bUnchanged).
 */
int cases_programme_load(struct sws_ctx *ctx, const char *zJson, size_t n,
                         struct programme_load_report *rep,
                         struct sws_err *err);
/* Load the built-in example catalogue (data/programmes.json). */
int cases_programme_load_default(struct sws_ctx *ctx, struct sws_err *err);

/* Call fn for each programme (active ones, or all with bAll) by code. */
int cases_programme_list(struct sws_ctx *ctx, int bAll,
                         int (*fn)(const struct programme *, void *),
                         void *arg, struct sws_err *err);

/* Read programme zCode (active or not); clear *out after. */
int cases_programme_get(struct sws_ctx *ctx, const char *zCode,
                        struct programme *out, struct sws_err *err);

/* ---- screening ---- */

enum screen_outcome {
  SCREEN_NO = 0,     /* a rule does not hold */
  SCREEN_YES = 1,    /* every rule holds */
  SCREEN_MAYBE = -1, /* no rule fails, some are unknown */
};

struct screen_rule {
  /* borrowed from the screening's programme; zExplainKm, zExplainMn ""
   * when not given (cases_langtext_pick chooses) */
  const char *zIf, *zExplain, *zExplainKm, *zExplainMn;
  int outcome;                /* 1, 0, -1 (unknown) */
  char *zFacts;               /* "member.age = 67; idpoor = \"level1\"" */
  char *zMissing;             /* for unknown: what to find out, or "" */
};

struct screen_result {
  int member;              /* 0: the household; N: member N */
  const char *zMemberName; /* borrowed; "" for the household */
  int outcome;             /* enum screen_outcome */
  struct screen_rule *aRule;
  int nRule;
  int64_t enrolment;       /* a live application: its number, or 0 */
  char zEnrolStatus[12];   /* its status, or "" */
};

struct screen_programme {
  struct programme p;
  struct screen_result *aRes; /* one per active member, or one */
  int nRes;
};

struct screening {
  char zRegno[SWS_NUMBER_MAX];
  char zDate[11];
  int64_t assessment;     /* the latest assessment's number, or 0 */
  double score;
  char zBand[41];
  char zInstrument[41]; /* the assessment's questionnaire and version */
  int version;
  struct screen_programme *aProg;
  int nProg;
  /* owned copy of the household's members' names */
  char **azName;
  int nName;
  int bBorrowed; /* the programmes are a screener's (cases_screener_run) */
};

/*
 * Screen household zRegno against every active programme (offline,
 * read-only). Release *out with cases_screening_release (also after an
 * error).
 */
int cases_screen(struct sws_ctx *ctx, const char *zRegno,
                 struct screening *out, struct sws_err *err);
void cases_screening_release(struct screening *s);

/*
 * Many households screened at once (a report's coverage gap): the
 * catalogue and questionnaires are read once, by cases_screener_open.
 * A screening from cases_screener_run borrows the screener's programmes:
 * release it before closing the screener. Without bExplain only the
 * outcomes are worked out (no facts read nor what is missing: "").
 */
struct screener;
int cases_screener_open(struct sws_ctx *ctx, int bExplain,
                        struct screener **out, struct sws_err *err);
int cases_screener_run(struct screener *s, const char *zRegno,
                       struct screening *out, struct sws_err *err);
void cases_screener_close(struct screener *s);

/* "eligible", "not eligible", "may be eligible" */
const char *cases_screen_outcome_name(int outcome);

/* ---- enrolment ---- */

/*
 * Apply for programme zCode for household zRegno (member 0, for household
 * programmes) or its member N (member programmes). Refused: an inactive
 * or unknown programme, the wrong level, a member who is not an active
 * member of this household, a second live application. *pNumber gets the
 * enrolment number (status applied).
 */
int cases_enrol(struct sws_ctx *ctx, const char *zRegno, int member,
                const char *zCode, int64_t *pNumber, struct sws_err *err);

/*
 * Decide application `number`: bApprove, or reject with zReason
 * (required for a rejection, optional for an approval). Only an applied
 * application can be decided (SWS_ECONFLICT otherwise).
 */
int cases_enrolment_decide(struct sws_ctx *ctx, int64_t number, int bApprove,
                           const char *zReason, struct sws_err *err);

struct enrolment {
  int64_t number;
  char zId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  int member; /* 0: household */
  char zMemberName[201];
  char zProgramme[PROGRAMME_CODE_MAX + 1];
  char zProgrammeName[201];
  char zStatus[12]; /* applied, approved, rejected */
  char zReason[501];
  char zAppliedAt[32], zAppliedBy[SWS_LOGIN_MAX];
  char zDecidedAt[32], zDecidedBy[SWS_LOGIN_MAX];
};

/* Read enrolment `number` (SWS_ENOTFOUND if there is none). */
int cases_enrolment_get(struct sws_ctx *ctx, int64_t number,
                        struct enrolment *out, struct sws_err *err);

/* Call fn for each enrolment of household zRegno, newest first. */
int cases_enrolment_list(struct sws_ctx *ctx, const char *zRegno,
                         int (*fn)(const struct enrolment *, void *),
                         void *arg, struct sws_err *err);

#endif
