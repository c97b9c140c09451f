/*
 * crypto.h - the few cryptographic operations sws needs, over libsodium:
 * SHA-256, Ed25519 keys and signatures, argon2id password hashes, random
 * tokens, hex and base64url.
 */
#ifndef SWS_CORE_CRYPTO_H
#define SWS_CORE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SWS_PK_BYTES 32
#define SWS_SK_BYTES 64
#define SWS_SIG_BYTES 64
#define SWS_SHA256_BYTES 32
#define SWS_PWHASH_MAX 128

/* Initialise libsodium; call once at start-up. */
int sws_crypto_init(struct sws_err *err);

void sws_sha256(unsigned char out[SWS_SHA256_BYTES], const void *p, size_t n);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void sws_hex(char *out, const unsigned char *p, size_t n);
/* Parse 2n hex digits into out; 0 or SWS_EINVAL. */
int sws_unhex(unsigned char *out, size_t n, const char *z);

/* New Ed25519 key pair. */
void sws_sign_keypair(unsigned char pk[SWS_PK_BYTES],
                      unsigned char sk[SWS_SK_BYTES]);
void sws_sign(unsigned char sig[SWS_SIG_BYTES], const void *msg, size_t n,
              const unsigned char sk[SWS_SK_BYTES]);
/* 1 if sig is a valid signature of msg by pk. */
int sws_sign_verify(const unsigned char sig[SWS_SIG_BYTES], const void *msg,
                    size_t n, const unsigned char pk[SWS_PK_BYTES]);

/*
 * argon2id hash of a password into out (SWS_PWHASH_MAX bytes), with
 * libsodium's interactive limits (moderate: SWS_PW_FAST=1 in tests).
 */
int sws_pw_hash(char out[SWS_PWHASH_MAX], const char *zPw, struct sws_err *err);
/* 1 if zPw matches the stored hash. */
int sws_pw_verify(const char *zHash, const char *zPw);
/* A login's password check: 1 if zPw matches zHash, 0 if not. zHash NULL
 * (no such login) checks a fixed hash instead and answers 0, so the time
 * taken does not tell which logins exist. -1 (err set) if that fixed hash
 * cannot be made. */
int sws_pw_check(const char *zHash, const char *zPw, struct sws_err *err);

/* Random bytes. */
void sws_random(void *p, size_t n);

/* base64url without padding; out needs 4*ceil(n/3)+1 bytes. */
void sws_b64url(char *out, const unsigned char *p, size_t n);
/* Decode base64url (no padding); returns bytes written or -1. */
int sws_unb64url(unsigned char *out, size_t cap, const char *z);

#endif
