/*
 * crypto.c - libsodium wrappers (see crypto.h).
 */
#include "crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int sws_crypto_init(struct sws_err *err)
{
  if (sodium_init() < 0)
    return sws_err_set(err, SWS_ECRYPTO, "cannot initialise libsodium");
  return SWS_OK;
}

void sws_sha256(unsigned char out[SWS_SHA256_BYTES], const void *p, size_t n)
{
  crypto_hash_sha256(out, p, n);
}

void sws_hex(char *out, const unsigned char *p, size_t n)
{
  sodium_bin2hex(out, 2 * n + 1, p, n);
}

int sws_unhex(unsigned char *out, size_t n, const char *z)
{
  size_t got = 0;
  if (strlen(z) != 2 * n ||
      sodium_hex2bin(out, n, z, 2 * n, NULL, &got, NULL) != 0 || got != n)
    return SWS_EINVAL;
  return SWS_OK;
}

void sws_sign_keypair(unsigned char pk[SWS_PK_BYTES],
                      unsigned char sk[SWS_SK_BYTES])
{
  crypto_sign_keypair(pk, sk);
}

void sws_sign(unsigned char sig[SWS_SIG_BYTES], const void *msg, size_t n,
              const unsigned char sk[SWS_SK_BYTES])
{
  crypto_sign_detached(sig, NULL, msg, n, sk);
}

int sws_sign_verify(const unsigned char sig[SWS_SIG_BYTES], const void *msg,
                    size_t n, const unsigned char pk[SWS_PK_BYTES])
{
  return crypto_sign_verify_detached(sig, msg, n, pk) == 0;
}

int sws_pw_hash(char out[SWS_PWHASH_MAX], const char *zPw, struct sws_err *err)
{
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const char *zFast = getenv("SWS_PW_FAST");
  if (zFast && strcmp(zFast, "1") == 0) {
    /* tests only: the minimum cost, so suites stay quick */
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  if (crypto_pwhash_str_alg(out, zPw, strlen(zPw), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return sws_err_set(err, SWS_ECRYPTO, "cannot hash the password (out of "
                       "memory?)");
  return SWS_OK;
}

int sws_pw_verify(const char *zHash, const char *zPw)
{
  return crypto_pwhash_str_verify(zHash, zPw, strlen(zPw)) == 0;
}

int sws_pw_check(const char *zHash, const char *zPw, struct sws_err *err)
{
  static char zDummy[SWS_PWHASH_MAX];
  if (zHash)
    return sws_pw_verify(zHash, zPw);
  if (zDummy[0] == '\0' &&
      sws_pw_hash(zDummy, "not a password at all", err) != 0)
    return -1;
  sws_pw_verify(zDummy, zPw);
  return 0;
}

void sws_random(void *p, size_t n)
{
  randombytes_buf(p, n);
}

void sws_b64url(char *out, const unsigned char *p, size_t n)
{
  sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING), p, n,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int sws_unb64url(unsigned char *out, size_t cap, const char *z)
{
  size_t got = 0;
  if (sodium_base642bin(out, cap, z, strlen(z), NULL, &got, NULL,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return -1;
  return (int)got;
}
