/*
 * store.h - the central registry's storage, behind a small interface so
 * the protocol logic (sync/central.c) does not know which database holds
 * it. sync/store_sqlite.c implements it on SQLite (a district pilot); a
 * PostgreSQL implementation (national scale) provides the same operations.
 *
 * Nothing here leaks into the wire: feed positions are only ever sent
 * inside signed opaque cursors.
 */
#ifndef SWS_SYNC_STORE_H
#define SWS_SYNC_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "core/crypto.h"
#include "core/err.h"

struct proto_push; /* sync/proto.h */
struct area;       /* cases/area.h */

#define CENTRAL_CODE_MAX 17
#define CENTRAL_ID_MAX 37
#define CENTRAL_HASH_MAX 65 /* hex SHA-256 and its NUL */
#define CENTRAL_ENTITIES 16 /* synced entities a store holds, at most */

/* An enrolled device: an office's computer with its own key and sequence.
 * A device enrolled on its own is an office (zOffice = zCode); one enrolled
 * with --device-of belongs to that office, and holds what it holds. */
struct central_office {
  char zCode[CENTRAL_CODE_MAX];   /* the device code */
  char zOffice[CENTRAL_CODE_MAX]; /* the office it belongs to */
  char zName[201];
  unsigned char pk[SWS_PK_BYTES];
  char zKeyId[17];
  int active;
  int64_t ack;        /* push watermark: every seq <= ack is done */
  char zEnrolledAt[32];
  char zLastPushAt[32]; /* "" if never */
  char zLastPullAt[32];
  int64_t skew;       /* office clock minus ours, seconds */
  int hasSkew;
  /* the first sequence number under which it sent a different change than
   * before (its database went back in time), 0 if never; and when */
  int64_t divergedSeq;
  char zDivergedAt[32];
};

/* A person indexed for duplicate detection. */
struct central_person {
  const char *zMemberId, *zHouseholdId, *zOffice, *zName, *zSex, *zBorn,
      *zNationalId, *zArea;
};

/* The bulk path: a household and its members as an existing list gives
 * them (zDisability NULL or a number, zKeysJson the person's blocking
 * keys, name_keys_json). Ids are UUIDs; owner a device code. */
struct central_load_member {
  const char *zId, *zName, *zSex, *zBorn, *zRelationship, *zNationalId,
      *zPhone, *zDisability, *zKeysJson;
  int lineNo;
};

struct central_load_household {
  const char *zId, *zRegno, *zAreaCode, *zOwner, *zCreatedAt, *zCreatedBy;
  const struct central_load_member *a;
  int n;
};

/* A field two sides changed (the conflict table): the registry kept its
 * value, the office's waits for review. The values are JSON texts as they
 * were pushed ("\"Ly Sokha\""); strings given to a listing callback are
 * valid during the call only. */
struct central_conflict {
  int64_t id;
  char zOffice[CENTRAL_CODE_MAX]; /* the office whose change was kept back */
  int64_t seq;                    /* its mutation */
  char zEntity[32];
  char zEntityId[CENTRAL_ID_MAX];
  char zField[64];
  const char *zOfficeValue; /* NULL if none */
  const char *zServerValue; /* the registry's value when it was raised */
  char zAt[32];
  char zStatus[12];     /* open, resolved */
  char zResolution[16]; /* keep_registry, use_office; "" while open */
  char zResolvedAt[32];
  char zResolvedBy[64];
  const char *zNote;    /* why it was decided so; NULL while open */
  char zWhat[96];       /* the record as people name it: "member 2 of KH12-
                           000001-E" (central_conflicts fills it) */
};

/* The last audit chain head a device sent and the registry kept
 * (docs/sync-protocol.md, "The audit chain head"), and whether a later one
 * did not extend it ("audit chain diverged"). */
struct central_audit_head {
  char zDevice[CENTRAL_CODE_MAX];
  int64_t id, n; /* its last audit row, the rows it holds */
  char zHash[CENTRAL_HASH_MAX];
  char zSig[100]; /* the device's signature, base64url */
  char zReceivedAt[32];
  char zDivergedAt[32]; /* "" if never */
  char zDivergedWhy[300];
};

struct central_stats {
  int64_t nOffices, nHouseholds, nMembers, nDuplicatesOpen, nConflictsOpen,
      nFeedItems;
};

struct central_store;

struct central_store_ops {
  void (*close)(struct central_store *s);
  int (*begin)(struct central_store *s, struct sws_err *err);
  int (*commit)(struct central_store *s, struct sws_err *err);
  void (*rollback)(struct central_store *s);

  /* the registry's name, cursor key and epoch */
  int (*registry_get)(struct central_store *s, char *zName, size_t nName,
                      unsigned char key[32], int64_t *epoch,
                      struct sws_err *err);

  int (*office_get)(struct central_store *s, const char *zCode,
                    struct central_office *out, struct sws_err *err);
  /* the same inside a transaction, keeping others from changing the device
   * (its watermark) until it ends: two workers never apply one device's
   * batches at once */
  int (*office_lock)(struct central_store *s, const char *zCode,
                     struct central_office *out, struct sws_err *err);
  /* insert or replace every column */
  int (*office_put)(struct central_store *s, const struct central_office *o,
                    struct sws_err *err);
  int (*office_list)(struct central_store *s,
                     int (*fn)(const struct central_office *, void *),
                     void *arg, struct sws_err *err);
  /* the devices of office zOffice (the office's own code included) */
  int (*office_devices)(struct central_store *s, const char *zOffice,
                        int (*fn)(const struct central_office *, void *),
                        void *arg, struct sws_err *err);

  /* SWS_ECONFLICT if (office, nonce) was seen; forgets nonces older than
   * tsOldest */
  int (*nonce_use)(struct central_store *s, const char *zOffice,
                   const char *zNonce, int64_t ts, int64_t tsOldest,
                   struct sws_err *err);

  /* a stored verdict (SWS_ENOTFOUND if none) and storing one; zHash is
   * the mutation's digest (CENTRAL_HASH_MAX bytes, "" when stored before
   * digests were kept) */
  int (*mutation_get)(struct central_store *s, const char *zOffice,
                      int64_t seq, char *zVerdict, size_t nVerdict,
                      char **pzDetail, char *zHash, struct sws_err *err);
  int (*mutation_put)(struct central_store *s, const char *zOffice,
                      int64_t seq, const char *zEntity, const char *zId,
                      const char *zOp, const char *zVerdict,
                      const char *zDetail, const char *zHash,
                      struct sws_err *err);

  /* records: *pzFields is a JSON object (caller frees); SWS_ENOTFOUND */
  int (*record_get)(struct central_store *s, const char *zEntity,
                    const char *zId, char **pzFields, char *zOffice,
                    struct sws_err *err);
  /* record_get that also keeps other transactions from changing the
   * record until this one ends (a push: what it read is what it changes) */
  int (*record_lock)(struct central_store *s, const char *zEntity,
                     const char *zId, char **pzFields, char *zOffice,
                     struct sws_err *err);
  /* optional (NULL: nothing to do): before a push applies batch p of a
   * device of office zOffice (in its transaction, the device locked), load
   * at once what the batch will read (the records it names and refers
   * to, locked as record_lock does; their aliases; what the office holds)
   * and keep its writes until the commit, so that a batch costs a few
   * statements instead of several round trips per mutation */
  int (*push_prefetch)(struct central_store *s, const char *zOffice,
                       const struct proto_push *p, struct sws_err *err);
  /* store record zId of zEntity, held by zOffice: zFields, all its
   * values as a JSON object; fields, the same decoded when the caller has
   * them (NULL: the store reads zFields) */
  int (*record_put)(struct central_store *s, const char *zEntity,
                    const char *zId, const char *zOffice,
                    const char *zFields, const json_t *fields,
                    struct sws_err *err);
  /* call fn for each record of zEntity (of owner device zOwner; NULL:
   * every one), in the order they were stored */
  int (*record_each)(struct central_store *s, const char *zEntity,
                     const char *zOwner,
                     int (*fn)(const char *zId, const char *zFields,
                               const char *zOwner, void *),
                     void *arg, struct sws_err *err);
  /* call fn for each record of zEntity that office zOffice holds (one of
   * its devices owns it, or the registry sent it there: holding), but a
   * household merged into another (an alias, whose changes go to its
   * survivor), in no particular order: what a reconcile compares */
  int (*office_records)(struct central_store *s, const char *zOffice,
                        const char *zEntity,
                        int (*fn)(const char *zId, const char *zFields,
                                  const char *zOwner, void *),
                        void *arg, struct sws_err *err);
  /* call fn for each record of zEntity whose field zField equals zValue */
  int (*record_find)(struct central_store *s, const char *zEntity,
                     const char *zField, const char *zValue,
                     int (*fn)(const char *zId, const char *zFields,
                               const char *zOffice, void *),
                     void *arg, struct sws_err *err);

  /* records sent to an office that did not create them: *pHolds 1 if
   * office zOffice holds (zEntity, zId) that way; add one */
  int (*holding_get)(struct central_store *s, const char *zOffice,
                     const char *zEntity, const char *zId, int *pHolds,
                     struct sws_err *err);
  int (*holding_add)(struct central_store *s, const char *zOffice,
                     const char *zEntity, const char *zId,
                     struct sws_err *err);
  /* no office holds (zEntity, zId) by being sent it any more (a record
   * that moved to another office, which now owns it) */
  int (*holding_drop)(struct central_store *s, const char *zEntity,
                      const char *zId, struct sws_err *err);

  /* people for duplicate detection: a push stores each person it receives
   * and marks it to be indexed (its old keys go); the dedup job takes the
   * marked ones (at most nMax; on PostgreSQL each claimed by one worker
   * until its transaction ends: bWait 0 skips those another holds, 1
   * waits for them; zArea is its household's village now) and indexes
   * them under their keys */
  int (*person_put)(struct central_store *s, const struct central_person *p,
                    struct sws_err *err);
  int (*person_pending)(struct central_store *s, int nMax, int bWait,
                        int (*fn)(const struct central_person *, void *),
                        void *arg, struct sws_err *err);
  /* index them: a JSON array of {"member", "sex", "born", "keys": [...],
   * "area"} */
  int (*person_index_many)(struct central_store *s, const char *zRowsJson,
                           struct sws_err *err);
  /* keep other transactions from indexing people under these blocking
   * keys (a JSON array; a national ID as "nid:ID") until this one ends, so
   * that two workers indexing the same person at once find each other
   * (the second waits, then sees the first); SQLite's one writer needs
   * nothing */
  int (*person_lock)(struct central_store *s, const char *zKeysJson,
                     struct sws_err *err);
  /* candidates for many lookups at once: a JSON array of {"key", "sex",
   * "y0", "y1"} (people sharing a key, of that sex, born in those years)
   * or {"nid"} (people with that national ID), none of a household
   * merged away; fn gets the lookup's index and a person */
  int (*person_candidates_many)(struct central_store *s,
                                const char *zQueriesJson,
                                int (*fn)(int i,
                                          const struct central_person *,
                                          void *),
                                void *arg, struct sws_err *err);

  /* duplicates: put ignores a pair already known (*pNew 0; NULL: not
   * asked); set changes status, with why (zNote, NULL: none) */
  int (*duplicate_put)(struct central_store *s, const char *zA,
                       const char *zB, double score, const char *zReasons,
                       int *pNew, struct sws_err *err);
  int (*duplicate_set)(struct central_store *s, const char *zA, const char *zB,
                       const char *zStatus, const char *zBy, const char *zNote,
                       struct sws_err *err);
  int (*duplicate_list)(struct central_store *s, int bAll,
                        int (*fn)(int64_t id, const char *zA, const char *zB,
                                  double score, const char *zReasons,
                                  const char *zStatus, void *),
                        void *arg, struct sws_err *err);

  /* aliases of merged households: get gives the active survivor or
   * SWS_ENOTFOUND */
  int (*alias_get)(struct central_store *s, const char *zMerged,
                   char *zSurvivor, struct sws_err *err);
  int (*alias_set)(struct central_store *s, const char *zMerged,
                   const char *zSurvivor, int active, const char *zBy,
                   struct sws_err *err);
  /* call fn for each household merged into zSurvivor (active aliases),
   * with its record */
  int (*alias_holders)(struct central_store *s, const char *zSurvivor,
                       int (*fn)(const char *zId, const char *zFields,
                                 const char *zOffice, void *),
                       void *arg, struct sws_err *err);

  int (*conflict_put)(struct central_store *s, const char *zOffice,
                      int64_t seq, const char *zEntity, const char *zId,
                      const char *zField, const char *zOfficeValue,
                      const char *zServerValue, struct sws_err *err);
  /* one conflict (SWS_ENOTFOUND): its values and note go to *pzOffice,
   * *pzServer and *pzNote (caller frees; NULL when none), out's value
   * pointers are NULL */
  int (*conflict_get)(struct central_store *s, int64_t id,
                      struct central_conflict *out, char **pzOffice,
                      char **pzServer, char **pzNote, struct sws_err *err);
  /* close an open conflict (SWS_ECONFLICT if it is not open) */
  int (*conflict_resolve)(struct central_store *s, int64_t id,
                          const char *zResolution, const char *zBy,
                          const char *zNote, struct sws_err *err);
  /* call fn for each conflict (open ones, or all), oldest first */
  int (*conflict_list)(struct central_store *s, int bAll,
                       int (*fn)(const struct central_conflict *, void *),
                       void *arg, struct sws_err *err);

  /* feeds: append one item to an office's feed; read items after the
   * position (xid, seq) ((0, 0): from the start), at most about nMaxBytes
   * of payload, in feed order. A position is the store's own: SQLite's is
   * (0, seq); PostgreSQL's is (writing transaction, seq), read only below
   * the oldest transaction still running, so that an item that commits
   * late is never behind a position already given out. */
  int (*feed_append)(struct central_store *s, const char *zOffice,
                     const char *zKind, const char *zPayload,
                     struct sws_err *err);
  int (*feed_read)(struct central_store *s, const char *zOffice,
                   int64_t afterXid, int64_t afterSeq, size_t nMaxBytes,
                   int (*fn)(int64_t xid, int64_t seq, const char *zKind,
                             const char *zPayload, void *),
                   void *arg, int *pMore, struct sws_err *err);

  /* the position of the last item of an office's feed ((0, 0): none), in
   * feed order: a cursor past it was given out by this registry before it
   * was restored from an older copy */
  int (*feed_last)(struct central_store *s, const char *zOffice,
                   int64_t *pXid, int64_t *pSeq, struct sws_err *err);

  int (*log)(struct central_store *s, const char *zActor,
             const char *zAction, const char *zDetail, struct sws_err *err);
  /* the bulk path (NULL where there is none): households, members and
   * the people's duplicate index written with COPY in the caller's
   * transaction, no check, no feed (central_load checks first) */
  int (*load)(struct central_store *s, const struct central_load_household *a,
              int n, struct sws_err *err);
  int (*stats)(struct central_store *s, struct central_stats *out,
               struct sws_err *err);

  /* ---- reading for reports (sync/central_report.c owns the SQL) ---- */
  /* Run the read-only statement zSql, whose parameters $1..$n are the
   * texts aParam, and call fn with each row's columns as text (NULL for
   * SQL NULL); fn returns non-zero to stop. Both stores take the same
   * SQL: only what SQLite and PostgreSQL both read. */
  int (*read_rows)(struct central_store *s, const char *zSql, int n,
                   const char *const *aParam,
                   int (*fn)(void *arg, int nCol, const char *const *azCol),
                   void *arg, struct sws_err *err);
  /* Store area a (its names and parent updated if it exists), inside a
   * transaction. */
  int (*area_put)(struct central_store *s, const struct area *a,
                  struct sws_err *err);
  /* Keep an office's signed summary for a period (replacing the one
   * before), inside a transaction. */
  int (*summary_put)(struct central_store *s, const char *zOffice,
                     const char *zPeriod, const char *zBody, size_t nBody,
                     const char *zReceivedAt, struct sws_err *err);
  /* The audit chain head kept for device zDevice (SWS_ENOTFOUND: none
   * yet), and keeping one (every column, inside a transaction). */
  int (*audit_head_get)(struct central_store *s, const char *zDevice,
                        struct central_audit_head *out, struct sws_err *err);
  int (*audit_head_put)(struct central_store *s,
                        const struct central_audit_head *h,
                        struct sws_err *err);
  /* Keep a counted report under zKey (replacing the one before), inside
   * a transaction. */
  int (*report_put)(struct central_store *s, const char *zKey,
                    const char *zPeriod, const char *zLayer,
                    const char *zBuiltAt, const char *zBody,
                    struct sws_err *err);

  /* ---- the web UI's accounts (sync/central_account.c; read there with
   * read_rows) ---- */
  /* Add account zLogin (zRole national, province or district; zArea NULL
   * for national), inside a transaction: *pAdded 0 if the login exists
   * (nothing written). */
  int (*account_add)(struct central_store *s, const char *zLogin,
                     const char *zRole, const char *zArea, const char *zPwHash,
                     const char *zBy, int *pAdded, struct sws_err *err);
  /* Disable active account zLogin, inside a transaction: *pDone 0 if
   * there is no such active account. */
  int (*account_disable)(struct central_store *s, const char *zLogin,
                         int *pDone, struct sws_err *err);

  /* Set the area office zOffice serves (zArea NULL: none), inside a
   * transaction; SWS_ENOTFOUND if no such office. The caller checked the
   * area (sync/central_grievance.c). */
  int (*office_area_set)(struct central_store *s, const char *zOffice,
                         const char *zArea, struct sws_err *err);

  /* Keep the answer (HTTP status, JSON body) to merge request zRequest of
   * office zOffice (sync/central_merge_ask.c); one kept before stays. */
  int (*merge_request_put)(struct central_store *s, const char *zOffice,
                           const char *zRequest, const char *zSurvivor,
                           const char *zMerged, int status, const char *zAnswer,
                           struct sws_err *err);
};

struct central_store {
  const struct central_store_ops *ops;
};

/* Open (bCreate: create) the SQLite central store at zPath. */
int store_sqlite_open(struct central_store **out, const char *zPath,
                      int bCreate, const char *zName, struct sws_err *err);

/* Open (bCreate: create in an empty database) the PostgreSQL central store
 * at zUrl (postgresql://...). Opening brings its schema up to date. */
int store_pg_open(struct central_store **out, const char *zUrl, int bCreate,
                  const char *zName, struct sws_err *err);

/* 1 if z names a PostgreSQL database (postgres:// or postgresql://). */
int store_is_pg_url(const char *z);

#endif
