/*
 * central.h - the central registry: what it does with what offices push,
 * what it puts in their feeds, and what its administrators do (enrol and
 * revoke offices, review and merge duplicates, answer grievances escalated
 * above the office). Storage is behind sync/store.h; HTTP and request
 * signatures are the server's job (sync/server.c); this file is the
 * protocol's meaning (docs/sync-protocol.md).
 */
#ifndef SWS_SYNC_CENTRAL_H
#define SWS_SYNC_CENTRAL_H

#include "core/buf.h"
#include "sync/store.h"

/* How far a request's time (after the office's clock correction) may be
 * from ours, in seconds. */
#define CENTRAL_WINDOW_S 900
#define CENTRAL_OF_CACHE 64
#define CENTRAL_DEVICES_KEPT 16

struct central {
  struct central_store *s;
  unsigned char key[32]; /* signs cursors */
  int64_t epoch;
  char zName[201];
  char zActor[64];       /* who acts (administrator commands) */
  /* One line per request served (what was pushed, refused, read), for
   * the server's log; NULL: silent. */
  void (*log)(void *logArg, const char *zLine);
  void *logArg;
  /* the office of each device met lately (a device never changes office) */
  struct {
    char zDevice[CENTRAL_CODE_MAX];
    char zOffice[CENTRAL_CODE_MAX];
  } aOf[CENTRAL_OF_CACHE];
  int nOf, iOfNext;
  /* during a push: the pushing office's active devices, read once when
   * the office is locked (bValid 0: not read, or too many to keep) */
  struct {
    int bValid, n;
    char zOffice[CENTRAL_CODE_MAX];
    char az[CENTRAL_DEVICES_KEPT][CENTRAL_CODE_MAX];
  } devs;
};

/* Write one line to c->log (if set), prefixed with the time. */
void central_log(struct central *c, const char *zFmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Open (bCreate: create) the central registry in the SQLite file zPath,
 * or in the PostgreSQL database zPath names (postgresql://...). */
int central_open(struct central **out, const char *zPath, int bCreate,
                 const char *zName, struct sws_err *err);
void central_close(struct central *c);

/* ---- administration ---- */

/*
 * Enrol an office device with its Ed25519 public key (base64url, as
 * 'sws office key' prints it). Every office's feed learns the key. A key
 * is enrolled once only (any other code, active or revoked, refuses it).
 * zDeviceOf (NULL: an office of its own) makes it a device of that office:
 * it holds what the office holds; zName NULL then takes the office's.
 * firstSeq: its first push starts there (1 for a new device; a device
 * that replaces one whose database went back in time goes on from where
 * 'sws office new-device' says).
 */
int central_office_add(struct central *c, const char *zCode,
                       const char *zName, const char *zPubKey,
                       const char *zDeviceOf, int64_t firstSeq,
                       struct sws_err *err);
/* Revoke an office: its requests are refused from now on; every feed
 * learns the key is revoked. */
int central_office_revoke(struct central *c, const char *zCode,
                          struct sws_err *err);

/* A household as the registry sees it (for listings). */
struct central_household {
  char zId[37];
  char zRegno[48];
  char zOffice[CENTRAL_CODE_MAX];
  char zHead[201];
  char zArea[33];
  char zMergedInto[37]; /* "" unless merged away */
  int nMembers;
};

/* Find a household by registration number or id (aliases not followed). */
int central_household_get(struct central *c, const char *zRegnoOrId,
                          struct central_household *out, struct sws_err *err);

/*
 * The bulk path (sync/central_load.c; PostgreSQL only): n households with
 * their members, owned by the offices named, checked by the push's rules
 * (a bad one refuses the call, err naming it), indexed for duplicates,
 * written in one transaction. For seeding a registry from an existing
 * list; nothing goes to the offices' feeds.
 */
int central_load(struct central *c, const struct central_load_household *a,
                 int n, struct sws_err *err);

/*
 * The duplicate job: index the people pushed since it last ran, and for
 * each record its best candidates at other offices (at most 5 households)
 * as possible duplicates; each office of a new pair learns of it from its
 * feed ("duplicate"). nMax people at most (0: all there are, waiting on
 * PostgreSQL for those another worker's job holds), in transactions of
 * CENTRAL_DEDUP_CHUNK. 'sws central serve' runs it about
 * once a second; listings run it first, so they are never behind.
 */
#define CENTRAL_DEDUP_CHUNK 200
struct central_dedup_report {
  int nPeople; /* indexed */
  int nPairs;  /* new possible duplicates */
};
int central_dedup(struct central *c, int nMax,
                  struct central_dedup_report *rep, struct sws_err *err);

/* Call fn for each possible duplicate (open ones, or all). */
int central_duplicates(struct central *c, int bAll,
                       int (*fn)(int64_t id, const struct central_household *a,
                                 const struct central_household *b,
                                 double score, const char *zReasons,
                                 const char *zStatus, void *),
                       void *arg, struct sws_err *err);

/*
 * Decide that households A and B (registration numbers or ids) are
 * different families, why in zReason: the pair is closed and never raised
 * again by the duplicate job; both offices learn it from their feeds
 * ("dismiss") and close their own item; recorded in the registry's log.
 * A merged pair is refused (unmerge it). central_reopen undoes it: the
 * pair is open again, and both offices list it again.
 */
int central_dismiss(struct central *c, const char *zA, const char *zB,
                    const char *zReason, struct sws_err *err);
int central_reopen(struct central *c, const char *zA, const char *zB,
                   struct sws_err *err);

/*
 * Call fn for each field conflict (open ones, or all), oldest first, with
 * the registration number of the household it concerns ("" if unknown).
 * fn returns non-zero to stop.
 */
int central_conflicts(struct central *c, int bAll,
                      int (*fn)(const struct central_conflict *k,
                                const char *zRegno, void *),
                      void *arg, struct sws_err *err);

/*
 * Decide conflict `id` (an open one): bUseOffice 0 keeps the registry's
 * value and writes nothing; 1 writes the office's value to the record as
 * any change is written (every office holding a copy learns it, the one
 * that raised the conflict too). Either way the conflict is closed with
 * who, when and zNote (required), and the office that raised it learns
 * the decision from its feed ("conflict_resolved"). SWS_ENOTFOUND for an
 * unknown id, SWS_ECONFLICT if already resolved; nothing is written then.
 */
int central_conflict_resolve(struct central *c, int64_t id, int bUseOffice,
                             const char *zNote, struct sws_err *err);

/*
 * Merge household zB into zA (registration numbers or ids): zB becomes an
 * alias of zA; both offices learn it from their feeds; later changes
 * pushed for zB are applied to zA (verdict "merged").
 */
int central_merge(struct central *c, const char *zA, const char *zB,
                  struct sws_err *err);
/* The same, done for zActor (an office asking: sync/central_merge_ask.h)
 * and logged as zAction. */
int central_merge_by(struct central *c, const char *zA, const char *zB,
                     const char *zActor, const char *zAction,
                     struct sws_err *err);
/* Undo the merge of zB (it becomes a household of its own again). */
int central_unmerge(struct central *c, const char *zB, struct sws_err *err);

/* Grievances answered above the office: sync/central_grievance.h. */

/* ---- the protocol (the caller has checked the request's signature) ---- */

/* GET /v1/hello: server time, protocol, name. */
void central_hello(struct central *c, struct buf *out);

/*
 * POST /v1/push from office zOffice: *pStatus gets 200 (reply in out), 409
 * (a gap: out says from which seq to resend), 403 (office revoked or not
 * the batch's device) or 400 (malformed; err says why).
 */
int central_push(struct central *c, const char *zOffice, const char *zBody,
                 size_t nBody, int *pStatus, struct buf *out,
                 struct sws_err *err);

/*
 * GET /v1/feed?cursor=C for office zOffice: a page of at most about
 * nMaxBytes. An empty cursor starts at the beginning. A cursor that is
 * forged, of another office or of another epoch gives 400/403/410.
 */
int central_feed(struct central *c, const char *zOffice, const char *zCursor,
                 size_t nMaxBytes, int *pStatus, struct buf *out,
                 struct sws_err *err);

/*
 * Check a signed request's office and nonce: the office must be enrolled
 * and active (its public key goes to pk), the nonce new. zTime is the
 * request's unix time. Records the office's clock skew.
 */
int central_request_office(struct central *c, const char *zOffice,
                           unsigned char pk[SWS_PK_BYTES], struct sws_err *err);
int central_request_nonce(struct central *c, const char *zOffice,
                          const char *zNonce, int64_t ts,
                          struct sws_err *err);

/*
 * POST /v1/reconcile from device zDevice (sync/central_reconcile.c,
 * docs/sync-protocol.md "Reconciling"): one step of comparing what the
 * registry holds for the device's office with what the office holds.
 * "buckets": which of the 256 bucket digests differ; "records": within
 * those buckets, which records the registry lacks (the office sends them
 * again), which differ, and which the office lacks (fed to the device
 * again now); "values": each differing field of those records becomes a
 * conflict for review (the registry's value stands meanwhile, as for an
 * identity field changed on both sides). *pStatus 200 with the answer in
 * out, 400 for a malformed request, 403 for another device's or a revoked
 * one. Audited in the registry's log.
 */
int central_reconcile(struct central *c, const char *zDevice,
                      const char *zBody, size_t nBody, int *pStatus,
                      struct buf *out, struct sws_err *err);

/*
 * The nightly check at the registry ('sws central reconcile'): for each
 * office (zOffice NULL: every active one), what the registry holds for it
 * (records, and any whose references name a record missing here), and a
 * request put in the feed of each of its devices to compare with the
 * registry at its next sync ("reconcile" item). fn gets each office's
 * findings. Audited.
 */
struct central_reconcile_check {
  const char *zOffice;
  int64_t nRecords;    /* held for the office */
  int64_t nDangling;   /* of them naming a record the registry lacks */
  int nDevices;        /* active devices asked to compare */
  const char *zLast;   /* the last comparison an office made ("" never) */
};
int central_reconcile_offices(struct central *c, const char *zOffice,
                              int (*fn)(const struct central_reconcile_check *,
                                        void *),
                              void *arg, struct sws_err *err);

/* ---- for the registry's own files (sync/central_*.c) ---- */

/* Append an item to one device's feed. */
int central_feed_item(struct central *c, const char *zDevice,
                      const char *zKind, json_t *payload,
                      struct sws_err *err);
/* Append an item to the feed of every active device of an office. */
int central_feed_office(struct central *c, const char *zOffice,
                        const char *zKind, json_t *payload,
                        struct sws_err *err);
/* Send a record (item: entity, id, owner, fields) to office zOffice; an
 * office that did not create it holds it from now on. */
int central_feed_record(struct central *c, const char *zOffice, json_t *item,
                        struct sws_err *err);
/* Put member zMemberId (its fields) in the duplicate index again, as
 * device zOffice's: the duplicate job compares it anew. */
int central_person_index(struct central *c, const char *zOffice,
                         const char *zMemberId, json_t *fields,
                         struct sws_err *err);
/* The office device zDevice belongs to (CENTRAL_CODE_MAX bytes). */
void central_office_of(struct central *c, const char *zDevice, char *zOut);
/* *pHolds 1 if office zOffice holds record (zEntity, zId) owned by device
 * zOwner: the ownership rule of a push. */
int central_holds(struct central *c, const char *zOffice,
                  const char *zEntity, const char *zId, const char *zOwner,
                  int *pHolds, struct sws_err *err);

#endif
