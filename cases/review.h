/*
 * review.h - the supervisor's queue of possible duplicates in this office
 * (duplicate_flag: pairs raised at the counter, when a member is added,
 * or on import) and their decisions:
 *
 *   different families: closed with a reason, never raised again for the
 *     pair (either order);
 *   same family: the household registered later is proposed for merging
 *     into the earlier one. The registry alone merges: the request waits
 *     here until a sync sends it (sync/office_merge.c), the answer is
 *     recorded, and the merge comes back in the feed (sync/office.c),
 *     which closes it.
 *
 * Every decision is an operation with an audit row. There is no undo at
 * the office (docs/dedup.md, "Deciding a pair").
 */
#ifndef SWS_CASES_REVIEW_H
#define SWS_CASES_REVIEW_H

#include "cases/ctx.h"

#define REVIEW_REASON_MAX 1000
#define REVIEW_PAGE_MAX 500

/* One household of a pair, as people name it. */
struct review_side {
  char zId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  char zArea[33];
  char zStatus[10]; /* active, inactive */
  /* the member who resembles the other household's ("member 2 of
   * KH12-000001-E (Sok Dara)"); the head for pairs raised before sws
   * kept which member */
  char zPerson[300];
};

struct review_pair {
  int64_t id;
  char zStatus[12]; /* open, same, different */
  char zSource[8];  /* counter, import */
  double score;
  char zReasons[501];
  char zNote[501]; /* the officer's reason at the counter, or the file */
  char zCreatedAt[32];
  struct review_side a; /* the household the pair was raised for */
  struct review_side b; /* the household it resembles */
  char zDecidedAt[32], zDecidedBy[SWS_LOGIN_MAX];
  char zReason[REVIEW_REASON_MAX + 1];
  /* a merge asked of the registry: "" (none), waiting, accepted, merged,
   * refused; zAnswer is the registry's reason for a refusal */
  char zMerge[12];
  char zAnswer[501];
  char zSurvivorRegno[SWS_NUMBER_MAX]; /* of the merge asked */
};

struct review_filter {
  const char *zSource;  /* NULL, "counter" or "import" */
  const char *zVillage; /* NULL or a village: either household in it */
  int bAll;             /* decided pairs too (else open ones) */
  int64_t offset;       /* pairs skipped (oldest first) */
  int limit;            /* 1..REVIEW_PAGE_MAX; 0 for REVIEW_PAGE_MAX */
};
#define REVIEW_FILTER_INIT                                                     \
  {                                                                            \
    NULL, NULL, 0, 0, 0                                                        \
  }

/*
 * The pairs f selects, oldest first, one page: fn is called for each (a
 * non-zero return stops). *pTotal (may be NULL) receives how many f
 * selects on all pages. SWS_EINVAL for an unknown source or village.
 */
int cases_review_list(struct sws_ctx *ctx, const struct review_filter *f,
                      int (*fn)(const struct review_pair *, void *), void *arg,
                      int64_t *pTotal, struct sws_err *err);

/* Open pairs in all, and by source (for the supervisor's home page). */
struct review_counts {
  int64_t nOpen, nCounter, nImport;
  int64_t nWaiting; /* merges asked and not back from the registry yet */
};
int cases_review_counts(struct sws_ctx *ctx, struct review_counts *out,
                        struct sws_err *err);

/* Pair id. SWS_ENOTFOUND "no possible duplicate N". */
int cases_review_get(struct sws_ctx *ctx, int64_t id, struct review_pair *out,
                     struct sws_err *err);

/* 1 if role (enum user_role) decides pairs: a supervisor, or the office
 * administrator. */
int cases_review_may_decide(int role);

/*
 * Decide open pair id as someone of role (enum user_role): bSame 0 closes
 * it as different families (zReason required), 1 proposes merging the
 * household registered later into the earlier one (zReason optional) and
 * keeps the request for the next sync. SWS_EPERM for a role that does not
 * decide (cases_review_may_decide), SWS_ENOTFOUND for no such pair,
 * SWS_ECONFLICT for a pair already decided or (same) a household no longer
 * active or already proposed for another merge; nothing is written then.
 */
int cases_review_decide(struct sws_ctx *ctx, int64_t id, int bSame,
                        const char *zReason, int role, struct sws_err *err);

/* 1 when household zId is in a merge not back from the registry yet:
 * zOther gets the other household's number, *pbMerged 1 if zId is the
 * one to be merged away (else the one staying). */
int cases_review_pending(struct sws_ctx *ctx, const char *zId, char *zOther,
                         size_t n, int *pbMerged);

/*
 * 1 and zOut "proposed for merging into KH12-000001-E, waiting for the
 * registry" (or "KH12-000003-9 is proposed for merging into this
 * household, ...") when household zId is in a merge not back yet; else 0.
 */
int cases_review_banner(struct sws_ctx *ctx, const char *zId, char *zOut,
                        size_t n);

/* ---- for sync (sync/office_merge.c, sync/office.c) ---- */

struct review_merge {
  char zRequest[SWS_UUID_LEN + 1];
  char zSurvivor[SWS_UUID_LEN + 1], zMerged[SWS_UUID_LEN + 1];
  char zSurvivorRegno[SWS_NUMBER_MAX], zMergedRegno[SWS_NUMBER_MAX];
  char zBy[SWS_LOGIN_MAX];             /* the supervisor who decided */
  char zReason[REVIEW_REASON_MAX + 1]; /* and why ("" if not said) */
};

/* The merges waiting to be sent, oldest first, at most nMax: *paOut
 * (caller frees), *pn. */
int cases_review_merges_waiting(struct sws_ctx *ctx, int nMax,
                                struct review_merge **paOut, int *pn,
                                struct sws_err *err);

/*
 * The registry's answer to request zRequest: bMerged 1 (accepted: the
 * merge comes back in the feed) or 0 (refused for zAnswer: the pair is
 * open again, the reason shown with it). An answer to a request not
 * waiting is ignored (a retried session). Its own operation, audited.
 */
int cases_review_merge_answer(struct sws_ctx *ctx, const char *zRequest,
                              int bMerged, const char *zAnswer,
                              struct sws_err *err);

/* The registry merged zMerged into zSurvivor (a feed item, inside its
 * operation): a merge asked for the pair, either way round, is done, and
 * an open pair of the two is closed as the same family. */
int cases_review_merge_done(struct sws_ctx *ctx, const char *zSurvivor,
                            const char *zMerged, struct sws_err *err);

#endif
