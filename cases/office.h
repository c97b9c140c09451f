/*
 * office.h - the office (or device) this database belongs to: its code, name
 * and Ed25519 key pair (signs receipts and sync requests).
 */
#ifndef SWS_CASES_OFFICE_H
#define SWS_CASES_OFFICE_H

#include "cases/ctx.h"
#include "core/crypto.h"

#define SWS_OFFICE_CODE_MAX 17

struct office_info {
  char zCode[SWS_OFFICE_CODE_MAX];   /* office code, e.g. KH12 */
  char zDevice[SWS_OFFICE_CODE_MAX]; /* device code; prefix of numbers */
  char zName[201];
  unsigned char pk[SWS_PK_BYTES]; /* public key */
  char zKeyId[17];                /* first 8 bytes of SHA-256(pk), hex */
  char zCreatedAt[32];
};

/* Check an office or device code (2-16 of A-Z 0-9 -, starting with a
 * letter); lower case is accepted and upper-cased into out. */
int cases_office_code_check(char out[SWS_OFFICE_CODE_MAX], const char *z,
                            struct sws_err *err);

/*
 * Initialise the office row of a new database: code, name, a new key pair.
 * Runs as one operation. SWS_ECONFLICT if the database already has one.
 */
int cases_office_init(struct sws_ctx *ctx, const char *zCode,
                      const char *zName, struct sws_err *err);
/* The same for a further device of an existing office (an outreach
 * laptop, a replaced computer): its own device code zDevice (NULL: the
 * office's code), under which it numbers what it registers. */
int cases_office_init_device(struct sws_ctx *ctx, const char *zCode,
                             const char *zDevice, const char *zName,
                             struct sws_err *err);

/* Read the office row (SWS_ENOTFOUND if the database has none). */
int cases_office_get(struct sws_ctx *ctx, struct office_info *out,
                     struct sws_err *err);

/*
 * Make this database a new device of its office: a new key pair and device
 * code zDevice (new numbers are issued under it). *pOld gets the office as
 * it was (its old device code and public key). Audited; nests inside a
 * caller's operation (sync_new_device does the rest).
 */
int cases_office_new_device(struct sws_ctx *ctx, const char *zDevice,
                            struct office_info *pOld, struct sws_err *err);

/* The secret key (for signing; wipe it after use with sodium_memzero). */
int cases_office_secret_key(struct sws_ctx *ctx,
                            unsigned char sk[SWS_SK_BYTES],
                            struct sws_err *err);

/* The key id of a public key: hex of the first 8 bytes of SHA-256(pk). */
void cases_key_id(char out[17], const unsigned char pk[SWS_PK_BYTES]);

#endif
