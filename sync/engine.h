/*
 * engine.h - one sync session of an office with the central registry:
 * hello (learn the registry's clock), push the outbox batch by batch until
 * it is empty, then pull the office's feed page by page until it is read
 * (docs/sync-protocol.md). Every step is resumable after a crash: the state
 * lives only in rows committed with the data.
 *
 * The transport is a function, so the same engine runs over HTTPS
 * (sync/transport_https.c) and, in tests, against an in-process registry
 * that can lose answers and cut connections on purpose.
 */
#ifndef SWS_SYNC_ENGINE_H
#define SWS_SYNC_ENGINE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "cases/ctx.h"
#include "core/buf.h"
#include "sync/office.h"

struct sync_transport {
  /*
   * One request. Returns 0 with *pStatus and the body in resp, or a
   * negative code for a network failure (err says what; the request may or
   * may not have reached the registry). *pRetryAfter gets Retry-After in
   * seconds, or -1.
   */
  int (*request)(void *arg, const char *zMethod, const char *zPath,
                 const char *zBody, size_t nBody, int *pStatus,
                 struct buf *resp, int *pRetryAfter, struct sws_err *err);
  /* The registry's clock minus ours, in seconds (for request signing). */
  void (*set_clock_offset)(void *arg, int64_t seconds);
  void *arg;
};

struct sync_opts {
  /* push batch size before gzip; 0: 64 KiB at first, growing on a fast
   * link up to 1 MiB and shrinking on a slow one (engine.c) */
  size_t nBatchBytes;
  size_t nPageBytes;  /* feed page size asked for (default 256 KiB) */
  int nAttempts;      /* tries per request before giving up (default 6) */
  /* wait before a retry; NULL: sleep for real */
  void (*sleep_ms)(void *arg, int ms);
  /* progress: phase "push" or "pull", done, total (0: unknown) */
  void (*progress)(void *arg, const char *zPhase, int64_t done,
                   int64_t total);
  void *arg;
  int bPushOnly, bPullOnly;
  /* compare what this office holds with what the registry holds for it
   * and repair what drifted (also done when the registry asked) */
  int bReconcile;
  /* a new device of an existing office: first take the office's snapshot
   * (sync/office_snapshot.c), checked with the registry's snapshot key
   * zRegistryKey (base64url; NULL: the one stored at an earlier try) */
  int bSnapshot;
  const char *zRegistryKey;
  /* ask the registry to move a household of another office here (a
   * family that moved into this office's area), by its registration
   * number or a member's national ID; the pull then brings its records */
  const char *zMoveRegno, *zMoveNationalId;
};

/* How far a snapshot came (docs/sync-protocol.md, "A new device from a
 * snapshot"). */
struct sync_snapshot_report {
  int bDone;        /* the snapshot is complete (now or before) */
  int bBefore;      /* it was complete before this session */
  int64_t nRecords; /* records the registry put in it */
  int64_t nItems;   /* items applied in this session */
  int64_t nPages;
  int64_t ms; /* time spent taking it in this session */
};

/* What a comparison found and repaired (docs/sync-protocol.md,
 * "Reconciling"). */
struct sync_reconcile_report {
  int bDone;          /* a comparison ran */
  int64_t nRecords;   /* records compared here */
  int64_t nRegistry;  /* and held for this office at the registry */
  int nBuckets;       /* buckets that differed (of 256) */
  int64_t nSent, nFed, nConflicts, nRefused, nSkipped;
  int64_t nResent; /* changes the registry had forgotten, sent again */
  /* each repair: {"what": sent|fed|conflict|refused|skipped|resent, "e",
   * "i",
   * "detail"} (sync_report_release frees it) */
  json_t *repairs;
};

struct sync_report {
  struct sync_counts c;
  int64_t batches, pages;
  int64_t skew;        /* the office clock minus the registry's, seconds */
  int64_t pending;     /* outbox rows still to send afterwards */
  int64_t bytesUp, bytesDown;
  int summaries; /* indicator summaries sent (sync/office_summary.h) */
  /* a household moved here (zMoveRegno or zMoveNationalId): its number,
   * the office it came from, the records that came with it */
  char zMovedRegno[48], zMovedFrom[17];
  int nMovedRecords;
  /* merges this office's supervisors asked for (sync/office_merge.h):
   * answered by the registry, of which refused */
  int nMergeAsked, nMergeRefused;
  struct sync_reconcile_report rec;
  struct sync_snapshot_report snap;
  /* the registry refused this office's audit chain head (it does not
   * extend the one it kept; sync/office_audit.h): its words, else "" */
  char zAuditRefused[400];
};

/* For sync/office_snapshot.c: one request with the engine's retries (see
 * engine.c), and the error for a refusal (the registry's message). */
int sync_engine_request(const struct sync_transport *t,
                        const struct sync_opts *o, const char *zMethod,
                        const char *zPath, const char *zBody, size_t nBody,
                        int *pStatus, struct buf *resp, struct sync_report *rep,
                        struct sws_err *err);
int sync_engine_refused(struct sws_err *err, int status, const struct buf *resp,
                        int code, const char *zWhat);

/* Take the office's snapshot (sync/office_snapshot.c): called by sync_run
 * after the hello when o->bSnapshot is set. */
int sync_snapshot_take(struct sws_ctx *ctx, const struct sync_transport *t,
                       const struct sync_opts *o, struct sync_report *rep,
                       struct sws_err *err);

/* Free what a report holds. */
void sync_report_release(struct sync_report *rep);

/* Run one session. err names the step that failed and what to do. */
int sync_run(struct sws_ctx *ctx, const struct sync_transport *t,
             const struct sync_opts *o, struct sync_report *rep,
             struct sws_err *err);

#endif
