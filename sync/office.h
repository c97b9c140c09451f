/*
 * office.h - the office side of sync, on the office database: settings,
 * freezing outbox rows into batches, recording the central registry's
 * verdicts, and applying feed pages (docs/sync-protocol.md). No network
 * here: sync/engine.c drives these through a transport.
 *
 * Every function that writes does so in one operation (one transaction,
 * audited), so a crash between any two leaves a consistent state: the
 * batch frozen or not, its verdicts recorded or not, a page and its cursor
 * applied together or not at all.
 */
#ifndef SWS_SYNC_OFFICE_H
#define SWS_SYNC_OFFICE_H

#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "cases/office.h"
#include "sync/proto.h"
#include "sync/reconcile.h"

struct sync_config {
  char zUrl[256];  /* https://host:port of the central registry */
  char zCaFile[256];
  char zPin[128];  /* sha256//... or "" */
};

int sync_config_get(struct sws_ctx *ctx, struct sync_config *out,
                    struct sws_err *err);
/* Store the settings given (NULL leaves one as it is). */
int sync_config_set(struct sws_ctx *ctx, const char *zUrl,
                    const char *zCaFile, const char *zPin,
                    struct sws_err *err);

/* Named sync state (integers and text), "" / 0 when unset. */
int sync_state_get(struct sws_ctx *ctx, const char *zName, char *out,
                   size_t n, struct sws_err *err);
int sync_state_get_int(struct sws_ctx *ctx, const char *zName, int64_t *out,
                       struct sws_err *err);
/* Set inside the caller's operation (or in one of its own). */
int sync_state_set(struct sws_ctx *ctx, const char *zName,
                   const char *zValue, struct sws_err *err);

struct sync_batch {
  char zBatch[40];
  int64_t first, last;
  char *zBody; /* owned */
  size_t nBody;
  int attempts;
};

void sync_batch_release(struct sync_batch *b);

/*
 * The batch to send: the one frozen earlier and not yet answered (resent
 * byte for byte), else new one made of the next outbox rows after the
 * acknowledged watermark, at most about nMaxBytes (at least one row).
 * *pHave is 0 when there is nothing to send.
 */
int sync_batch_next(struct sws_ctx *ctx, size_t nMaxBytes,
                    struct sync_batch *out, int *pHave, struct sws_err *err);
/* The same for the batch after one still in flight that ends at seq
 * `after` (frozen now, or earlier and not yet answered): the push freezes
 * it while the registry applies the one before. Batches are sent in the
 * order of their seqs; a gap or a divergence drops every frozen one. */
int sync_batch_next_after(struct sws_ctx *ctx, size_t nMaxBytes,
                          int64_t after, struct sync_batch *out, int *pHave,
                          struct sws_err *err);

struct sync_counts {
  int64_t acked, rejected, conflicts, merged; /* push */
  int64_t items, problems;                    /* pull */
};

/* The central registry answered the batch: record its verdicts, move the
 * watermark, drop the batch (one operation). */
int sync_batch_done(struct sws_ctx *ctx, const struct sync_batch *b,
                    const struct proto_push_reply *r, struct sync_counts *c,
                    struct sws_err *err);

/* The central registry expects seq `expected` next (a 409): drop the batch
 * and continue from there. */
int sync_batch_gap(struct sws_ctx *ctx, const struct sync_batch *b,
                   int64_t expected, struct sws_err *err);

/*
 * The central registry holds a different change under seq `diverged` of
 * this device (a 409 "diverged"): this database went back in time. Drop
 * the batch (it is frozen again, under the new device code, once the
 * computer is a new device) and remember where the registry diverged.
 */
int sync_batch_diverged(struct sws_ctx *ctx, const struct sync_batch *b,
                        int64_t diverged, struct sws_err *err);

/* What 'sws office new-device' did, for the registry's administrator. */
struct sync_new_device {
  char zOffice[SWS_OFFICE_CODE_MAX];    /* the office */
  char zOldDevice[SWS_OFFICE_CODE_MAX]; /* the device it was */
  char zDevice[SWS_OFFICE_CODE_MAX];    /* the device it is now */
  char zPubKey[64];                     /* its new public key, base64url */
  int64_t firstSeq;                     /* where its first push starts */
  int bDiverged;                        /* the registry had said so */
};

/*
 * Make this database a new device of its office (after it went back in
 * time, or to stop sharing a key with a copy): a new key pair and device
 * code (cases_office_new_device); the old key is kept among the known
 * office keys so receipts issued before still verify; pushes go on after
 * the last mutation the registry holds as this database holds it (the seq
 * before the divergence, or the acknowledged watermark); the feed is read
 * from the start under the new code; no batch stays frozen. One audited
 * operation; nothing in the outbox is lost.
 */
int sync_new_device(struct sws_ctx *ctx, const char *zDevice,
                    struct sync_new_device *out, struct sws_err *err);

/* A possible duplicate the registry found with another office. */
struct sync_central_dup {
  const char *zRegno;      /* the household here */
  const char *zOtherRegno; /* and the other office's */
  const char *zOtherOffice;
  double score;
  const char *zReasons;
  const char *zAt; /* when it arrived */
};

/* Call fn for each open one, best first (strings valid during the call). */
int sync_central_dups(struct sws_ctx *ctx,
                      int (*fn)(const struct sync_central_dup *, void *),
                      void *arg, struct sws_err *err);

/* The batch the next push sends first, if one is frozen: how many times
 * it was sent without an answer and the last error (*pAttempts 0 and ""
 * when none is waiting). */
int sync_batch_waiting(struct sws_ctx *ctx, int64_t *pAttempts,
                       char *zError, size_t nError, struct sws_err *err);

/* Note a failed attempt on the batch (it stays frozen). */
int sync_batch_failed(struct sws_ctx *ctx, const struct sync_batch *b,
                      const char *zWhy, struct sws_err *err);

/* Outbox rows not yet acknowledged. */
int sync_pending(struct sws_ctx *ctx, int64_t *out, struct sws_err *err);

/*
 * Apply a feed page and store its cursor, in one operation. Items that
 * cannot be applied (yet) are kept in sync_problem, never dropped; a pulled
 * value for a field with an unsent local change becomes a conflict.
 */
int sync_page_apply(struct sws_ctx *ctx, const struct proto_page *p,
                    struct sync_counts *c, struct sws_err *err);

/*
 * Close the open conflict `id` (sync_conflict) at the office, in one
 * audited operation. bUseOffice 1: the office's value stands: for a
 * conflict the registry raised it becomes a new local change (through the
 * record's domain operation, so it is checked, audited and sent again);
 * for one found while pulling, the office's unsent change goes as it is.
 * bUseOffice 0: the registry's value stands: for a conflict the registry
 * raised it is here already; for one found while pulling it becomes a new
 * local change, sent after the office's. zNote (NULL: none) is kept with
 * the decision. SWS_ENOTFOUND, SWS_ECONFLICT (already resolved), or the
 * domain operation's error (then nothing is closed).
 */
int sync_conflict_resolve(struct sws_ctx *ctx, int64_t id, int bUseOffice,
                          const char *zNote, struct sws_err *err);

/* ---- reconciling (sync/office_reconcile.c) ---- */

/*
 * The digests of every record this office holds (merged-away households
 * left out, as the registry leaves them out) into set (NULL: not wanted),
 * and, for the records in the buckets f marks (NULL: none), [entity, id,
 * digest] appended to the array records.
 */
int sync_office_digests(struct sws_ctx *ctx, struct reconcile_set *set,
                        const unsigned char *f, json_t *records,
                        struct sws_err *err);

/* A record's synced fields as this office holds them (*out: a new JSON
 * object); SWS_ENOTFOUND if it is not here. */
int sync_record_fields(struct sws_ctx *ctx, const char *zEntity,
                       const char *zId, json_t **out, struct sws_err *err);

/*
 * The comparison is over: in one audited operation (zSummary its detail),
 * put each record of send ([[entity, id], ...]) the registry lacks into
 * the outbox as an insert of its current values (households before their
 * members), except those whose insert the registry refused before
 * (skipped: sent again they would be refused again), and clear the
 * registry's request to compare. Each is listed in repairs ({what, e, i,
 * detail}; NULL: not listed).
 */
int sync_reconcile_resend(struct sws_ctx *ctx, json_t *send,
                          const char *zSummary, json_t *repairs,
                          int64_t *pSent, int64_t *pSkipped,
                          struct sws_err *err);

#endif
