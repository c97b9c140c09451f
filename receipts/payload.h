/*
 * payload.h - the signed receipt payload carried by the QR code.
 *
 * Text: "SW1:" followed by base45(record || signature). The record is a
 * small binary structure (kind, issuing office/device, key id, receipt
 * serial, issue time, subject reference); the signature is Ed25519 by the
 * issuing office's key over "SW1:" || record. No names, national IDs or
 * other personal data: the subject is a registration, ticket or referral
 * number, or nothing at all (an opaque reference that only the issuing
 * office can resolve through its receipt table: anonymous grievances).
 * The byte layout and its reasons are in docs/receipts.md.
 *
 * This file is pure (no database): encoding, signing with a given secret
 * key, strict parsing, and checking a signature with a given public key.
 */
#ifndef SWS_RECEIPTS_PAYLOAD_H
#define SWS_RECEIPTS_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/ids.h"

#define RECEIPT_PREFIX "SW1:"
#define RECEIPT_PREFIX_LEN 4
#define RECEIPT_CODE_MAX 16   /* office/device codes: 2..16 of A-Z 0-9 - */
#define RECEIPT_KEYID_BYTES 4 /* first bytes of SHA-256(public key) */
#define RECEIPT_RECORD_MIN 17 /* fixed part and a 2-character office */
#define RECEIPT_RECORD_MAX 52 /* so that the payload fits QR 7-M */
/* 178 characters: exactly the alphanumeric capacity of QR version 7 at
 * error correction M */
#define RECEIPT_PAYLOAD_MAX                                                   \
  (RECEIPT_PREFIX_LEN + (RECEIPT_RECORD_MAX + SWS_SIG_BYTES) / 2 * 3)

enum receipt_kind {
  RECEIPT_REGISTRATION = 1,
  RECEIPT_GRIEVANCE = 2,
  RECEIPT_REFERRAL = 3,
};

enum receipt_subject {
  RECEIPT_SUBJECT_OPAQUE = 0, /* none: the issuer's receipt table knows */
  RECEIPT_SUBJECT_OWN = 1,    /* a number issued by the issuing device */
  RECEIPT_SUBJECT_OTHER = 2,  /* a number issued by another device */
};

struct receipt_record {
  int kind;                                /* enum receipt_kind */
  int subject;                             /* enum receipt_subject */
  unsigned char key_id[RECEIPT_KEYID_BYTES];
  uint32_t serial;                         /* >= 1, per issuing device */
  uint32_t issued_s;                       /* Unix seconds, UTC */
  char zIssuer[RECEIPT_CODE_MAX + 1];      /* issuing office/device code */
  char zSubjectDevice[RECEIPT_CODE_MAX + 1]; /* SUBJECT_OTHER only */
  uint32_t seq;                            /* the number's sequence (>= 1) */
};

/* A payload taken apart (receipt_payload_parse). */
struct receipt_parsed {
  struct receipt_record rec;
  unsigned char msg[RECEIPT_PREFIX_LEN + RECEIPT_RECORD_MAX]; /* signed */
  size_t nMsg;
  unsigned char sig[SWS_SIG_BYTES];
};

/* "registration", "grievance", "referral" (or "?"). */
const char *receipt_kind_name(int kind);
/* The kind named z, or 0. */
int receipt_kind_parse(const char *z);

/* The first RECEIPT_KEYID_BYTES of SHA-256(pk). */
void receipt_key_id(unsigned char out[RECEIPT_KEYID_BYTES],
                    const unsigned char pk[SWS_PK_BYTES]);

/*
 * Set the subject of r from a canonical number of its kind (KH12-000123-7,
 * KH12-G-000001-X, KH12-R-000004-2): RECEIPT_SUBJECT_OWN when its device
 * is r->zIssuer, else OTHER. r->kind and r->zIssuer must be set. A number
 * that cannot be carried (not of the kind's shape, device code too long,
 * sequence over 2^32-1) gives SWS_EINVAL; the caller may then use an
 * opaque subject.
 */
int receipt_record_set_number(struct receipt_record *r, const char *zNumber,
                              struct sws_err *err);

/*
 * The number a record refers to, canonical with its check character, into
 * out (n bytes, SWS_NUMBER_MAX is enough). Returns 0, or -1 for an opaque
 * subject (out is then "").
 */
int receipt_record_number(const struct receipt_record *r, char *out,
                          size_t n);

/*
 * Serialise r into out (RECEIPT_RECORD_MAX bytes); *pn gets the length.
 * SWS_EINVAL if a field is out of range (a bug in the caller, or a code
 * that is not an office code).
 */
int receipt_record_encode(const struct receipt_record *r,
                          unsigned char out[RECEIPT_RECORD_MAX], size_t *pn,
                          struct sws_err *err);

/* Parse n record bytes strictly (every byte used, every field in range);
 * SWS_EINVAL with what is wrong. */
int receipt_record_decode(struct receipt_record *r, const unsigned char *p,
                          size_t n, struct sws_err *err);

/*
 * The payload text for r signed with sk (the office's Ed25519 secret key)
 * into out (RECEIPT_PAYLOAD_MAX + 1 bytes). Deterministic: the same record
 * and key give the same text, so a reprint carries the same code.
 */
int receipt_payload_sign(char out[RECEIPT_PAYLOAD_MAX + 1],
                         const struct receipt_record *r,
                         const unsigned char sk[SWS_SK_BYTES],
                         struct sws_err *err);

/* 1 if z looks meant as a receipt payload ("SW<digits>:", any case), so a
 * search box can tell a scanned receipt from a name. */
int receipt_payload_looks_like(const char *z);

/*
 * Take the payload text z apart (exactly; no white space around it).
 * SWS_EINVAL with a message for the officer when it is not a well-formed
 * payload of a format this sws knows. The signature is not checked.
 */
int receipt_payload_parse(struct receipt_parsed *out, const char *z,
                          struct sws_err *err);

/* 1 if the parsed payload is signed by pk. */
int receipt_payload_check(const struct receipt_parsed *p,
                          const unsigned char pk[SWS_PK_BYTES]);

#endif
