/*
 * base45.h - base45 (RFC 9285): bytes as text in the QR alphanumeric
 * alphabet "0-9A-Z $%*+-./:", two bytes per three characters.
 *
 * Written for receipt payloads (receipts/payload.h): the text goes into
 * the QR code in alphanumeric mode, 5.5 bits a character, and a scanner
 * types it back. The decoder is strict: only the canonical encoding of
 * some byte string is accepted (upper case, no values over the range of
 * a group, no dangling character), so one text means one byte string.
 */
#ifndef SWS_RECEIPTS_BASE45_H
#define SWS_RECEIPTS_BASE45_H

#include <stddef.h>

/* Characters base45 needs for n bytes (without the NUL). */
size_t receipt_base45_len(size_t n);

/*
 * Encode the n bytes at p into out (cap bytes, NUL-terminated). Returns
 * the characters written, or -1 if out is too small (out is then "").
 */
int receipt_base45_encode(char *out, size_t cap, const unsigned char *p,
                          size_t n);

/*
 * Decode the n characters at z into out (cap bytes). Returns the bytes
 * written, or -1 if z is not canonical base45 or does not fit in cap.
 */
int receipt_base45_decode(unsigned char *out, size_t cap, const char *z,
                          size_t n);

#endif
