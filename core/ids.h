/*
 * ids.h - identifiers: UUIDv7 for internal keys (made offline, time
 * ordered) and the numbers people read aloud (registration, ticket and
 * referral numbers) with an ISO 7064 MOD 37,36 check character.
 *
 * A public number is PREFIX-SEQUENCE-C, e.g. KH12-000123-7 or
 * KH12-M1-000042-Q: PREFIX is the office or device code (letters, digits,
 * hyphens), SEQUENCE at least 6 digits, C the check character over PREFIX
 * and SEQUENCE (hyphens ignored), ISO/IEC 7064 MOD 37-2. It catches every
 * single wrong character and every swap of two neighbouring characters.
 */
#ifndef SWS_CORE_IDS_H
#define SWS_CORE_IDS_H

#include <stddef.h>
#include <stdint.h>

#define SWS_UUID_LEN 36
#define SWS_NUMBER_MAX 48

/* Write a new UUIDv7 (36 chars + NUL) into out. */
void sws_uuid7(char out[SWS_UUID_LEN + 1]);

/* 1 if the n bytes at z are a UUID as sws_uuid7 writes them: 36
 * characters, lower-case hex digits with dashes at 8, 13, 18 and 23. */
int sws_uuid_ok(const char *z, size_t n);

/* The check character for the alphanumerics of z (case-insensitive,
 * non-alphanumerics skipped): '0'-'9', 'A'-'Z', or '*' for the 1 in 37
 * sequences that are never issued. */
char sws_check_char(const char *z);

/* 1 if PREFIX-SEQ may be issued (its check character is not '*'). Counters
 * skip the sequences that may not. */
int sws_number_issuable(const char *zPrefix, int64_t seq);

/* Format PREFIX-SEQ-C into out; returns 0, or -1 if out is too small. */
int sws_number_format(char *out, size_t n, const char *zPrefix, int64_t seq);

enum sws_number_status {
  SWS_NUMBER_OK = 0,        /* well formed, check character right */
  SWS_NUMBER_NO_CHECK = 1,  /* PREFIX-SEQ without the check character */
  SWS_NUMBER_BAD_CHECK = 2, /* check character present but wrong */
  SWS_NUMBER_MALFORMED = 3, /* not a number of this shape */
};

struct sws_number {
  char zPrefix[SWS_NUMBER_MAX]; /* upper-cased office/device code */
  int64_t seq;                  /* the sequence */
  char check;                   /* the check character given (0 if none) */
  char expect;                  /* the right check character */
  char zCanon[SWS_NUMBER_MAX];  /* canonical PREFIX-SEQ-C */
  int nSeqDigits;               /* digits the sequence was written with */
};

/*
 * Parse a number typed by a person: case-insensitive, surrounding spaces
 * ignored. Fills *out for every status except SWS_NUMBER_MALFORMED.
 */
enum sws_number_status sws_number_parse(const char *z, struct sws_number *out);

#endif
