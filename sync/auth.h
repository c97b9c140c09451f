/*
 * auth.h - who may talk to the central registry, and where an office is in
 * its feed: signed requests and opaque cursors (docs/transport.md). Pure:
 * no I/O, no clock (callers pass "now"), fuzzed by fuzz/fuzz_auth.c.
 *
 * A request is signed with the office device's Ed25519 key over
 *
 *   "sws-req-v2\n" OFFICE "\n" METHOD "\n" PATH_AND_QUERY "\n"
 *   hex(SHA-256(body)) "\n" TIME "\n" NONCE
 *
 * and carries X-SWS-Office, X-SWS-Time, X-SWS-Nonce and X-SWS-Signature.
 * The body is the uncompressed body (gzip is transport only).
 *
 * A cursor is base64url(version, office, epoch, feed position, HMAC) under
 * the registry's secret: the registry stays stateless, and an office can
 * neither forge a cursor nor use another office's.
 */
#ifndef SWS_SYNC_AUTH_H
#define SWS_SYNC_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/err.h"

/* Header names, as sent (HTTP header names are case-insensitive). */
#define SYNC_HDR_OFFICE "X-SWS-Office"
#define SYNC_HDR_TIME "X-SWS-Time"
#define SYNC_HDR_NONCE "X-SWS-Nonce"
#define SYNC_HDR_SIGNATURE "X-SWS-Signature"

#define SYNC_OFFICE_MAX 16    /* characters of an office code */
#define SYNC_NONCE_BYTES 16   /* random bytes in a nonce we make */
#define SYNC_NONCE_MIN 22     /* characters of a nonce we accept... */
#define SYNC_NONCE_MAX 64     /* ...and at most */
#define SYNC_PATH_MAX 4096    /* characters of PATH_AND_QUERY */
#define SYNC_CURSOR_MAX 128   /* characters of a cursor */
#define SYNC_CURSOR_KEY_BYTES 32

/*
 * Distinct results of sync_auth_verify and sync_cursor_open (returned; the
 * err->code beside them stays a general SWS_E* code, given per value).
 * The registry answers 400 for MALFORMED and FORGED, 401 for BADSIG and
 * TIME, 403 for OTHER_OFFICE.
 */
enum sync_auth_code {
  SYNC_AUTH_MALFORMED = -101, /* a header missing or ill-formed (EINVAL) */
  SYNC_AUTH_BADSIG = -102,    /* the signature does not verify (ECRYPTO) */
  SYNC_AUTH_TIME = -103,      /* time outside the window (ECRYPTO) */
  SYNC_CURSOR_MALFORMED = -104, /* not a cursor at all (EINVAL) */
  SYNC_CURSOR_FORGED = -105,  /* HMAC does not verify (ECRYPTO) */
  SYNC_CURSOR_OTHER_OFFICE = -106, /* valid, but another office's (EPERM) */
};

/* The four header values of a signed request, NUL-terminated. */
struct sync_auth_headers {
  char zOffice[SYNC_OFFICE_MAX + 1];
  char zTime[24];
  char zNonce[SYNC_NONCE_MAX + 1];
  char zSig[90]; /* base64url of 64 bytes: 86 characters */
};

/*
 * 1 if z is an office code as sent on the wire: 2 to 16 of A-Z, 0-9 and
 * '-', starting with a letter (cases/office.h makes them so).
 */
int sync_auth_office_ok(const char *z);

/*
 * Sign a request: fill out with the office code, the time `now` (unix
 * seconds, already corrected by sync_auth_clock), a fresh random nonce and
 * the signature of the message above under sk. zPathAndQuery is the
 * request target exactly as sent ("/v1/feed?cursor=..."). body may be NULL
 * when n is 0. Errors: SWS_EINVAL for an office code, method or path that
 * cannot be signed (a bug in the caller, but reported, not asserted).
 */
int sync_auth_sign(struct sync_auth_headers *out, const char *zOffice,
                   const unsigned char sk[SWS_SK_BYTES], const char *zMethod,
                   const char *zPathAndQuery, const void *body, size_t n,
                   int64_t now, struct sws_err *err);

/*
 * Check a signed request as received: the header values (any may be NULL
 * when the header was absent), the office's public key pk (looked up by the
 * caller from zOffice, which this function only checks for shape), the
 * registry's time `now` and the allowed skew in seconds. Returns 0, or
 * SYNC_AUTH_MALFORMED, SYNC_AUTH_BADSIG or SYNC_AUTH_TIME with a message;
 * for TIME the message gives the skew ("3 days behind") and says to fix the
 * office computer's clock. The time is checked after the signature, so an
 * unsigned time never produces a clock message. Replayed nonces are the
 * caller's to refuse (it keeps the nonces seen within the window).
 */
int sync_auth_verify(const char *zMethod, const char *zPathAndQuery,
                     const void *body, size_t n, const char *zOffice,
                     const char *zTime, const char *zNonce, const char *zSig,
                     const unsigned char pk[SWS_PK_BYTES], int64_t now,
                     int64_t window, struct sws_err *err);

/*
 * The clock an office signs with: its own clock `local` (unix seconds)
 * plus the offset learnt from the registry's hello (registry minus office,
 * sync_auth_offset).
 */
int64_t sync_auth_clock(int64_t local, int64_t offset);

/*
 * The offset to remember after a hello: the registry's time minus the
 * office's, measured around the request (local clock before and after it),
 * so the round trip does not count as skew.
 */
int64_t sync_auth_offset(int64_t registry, int64_t localBefore,
                         int64_t localAfter);

/*
 * Describe a skew for people, to go before "the registry('s)": "2 hours
 * ahead of", "365 days behind", "in step" (skew = office clock minus the
 * registry's, seconds).
 * out gets at least 48 bytes.
 */
void sync_auth_skew_text(char *out, size_t n, int64_t skew);

/*
 * Make a cursor for office zOffice at (epoch, seq) under the registry's
 * secret key. out gets SYNC_CURSOR_MAX + 1 bytes. Errors: SWS_EINVAL for an
 * office code that is not sync_auth_office_ok, or a negative epoch or seq.
 */
int sync_cursor_make(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                     const char *zOffice, int64_t epoch, int64_t seq,
                     char out[SYNC_CURSOR_MAX + 1], struct sws_err *err);

/*
 * Open a cursor that office zOffice sent (the office the request was
 * authenticated as). Returns 0 with *pEpoch and *pSeq, or
 * SYNC_CURSOR_MALFORMED (not a cursor; "" is malformed too: the caller
 * treats an empty cursor as "from the beginning" before calling),
 * SYNC_CURSOR_FORGED (the HMAC does not verify: altered, or made under
 * another key), or SYNC_CURSOR_OTHER_OFFICE (a genuine cursor of another
 * office). Comparing the epoch with the current one is the caller's job.
 */
int sync_cursor_open(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                     const char *zCursor, const char *zOffice,
                     int64_t *pEpoch, int64_t *pSeq, struct sws_err *err);

/*
 * The same with a position of two numbers: (xid, seq), the feed order of
 * the PostgreSQL store (the transaction that wrote an item, then the
 * item's number). xid 0 is a position of one number (sync_cursor_make
 * makes those, and the SQLite store uses them); sync_cursor_open refuses
 * a cursor with an xid as of an unknown version.
 */
int sync_cursor_make2(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                      const char *zOffice, int64_t epoch, int64_t xid,
                      int64_t seq, char out[SYNC_CURSOR_MAX + 1],
                      struct sws_err *err);
int sync_cursor_open2(const unsigned char key[SYNC_CURSOR_KEY_BYTES],
                      const char *zCursor, const char *zOffice,
                      int64_t *pEpoch, int64_t *pXid, int64_t *pSeq,
                      struct sws_err *err);

#endif
