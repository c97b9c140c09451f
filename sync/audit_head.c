/*
 * audit_head.c - the signed audit chain head on the wire (see
 * audit_head.h).
 */
#include "sync/audit_head.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "sync/auth.h"

static size_t message(const struct audit_head_msg *h, char *z, size_t n)
{
  int k = snprintf(z, n, AUDIT_HEAD_DOMAIN "|%s|%" PRId64 "|%s|%" PRId64,
                   h->zDevice, h->id, h->zHash, h->n);
  return k < 0 ? 0 : (size_t)k;
}

void audit_head_sign(struct audit_head_msg *h,
                     const unsigned char sk[SWS_SK_BYTES])
{
  char z[200];
  sws_sign(h->sig, z, message(h, z, sizeof z), sk);
}

int audit_head_verify(const struct audit_head_msg *h,
                      const unsigned char pk[SWS_PK_BYTES])
{
  char z[200];
  return sws_sign_verify(h->sig, z, message(h, z, sizeof z), pk);
}

char *audit_head_encode(const struct audit_head_msg *h)
{
  char zSig[100];
  sws_b64url(zSig, h->sig, sizeof h->sig);
  json_t *j = json_pack("{s:s, s:I, s:s, s:I, s:s}", "device", h->zDevice, "id",
                        (json_int_t)h->id, "hash", h->zHash, "n",
                        (json_int_t)h->n, "sig", zSig);
  if (j && h->linkId > 0)
    json_object_set_new(j, "link",
                        json_pack("{s:I, s:s}", "id", (json_int_t)h->linkId,
                                  "hash", h->zLinkHash));
  char *z = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return z;
}

static int hash_ok(const char *z)
{
  unsigned char b[SWS_SHA256_BYTES];
  return z && sws_unhex(b, sizeof b, z) == 0;
}

static int bad(struct sws_err *err, const char *zWhat)
{
  return sws_err_set(err, SWS_EINVAL,
                     "the audit chain head is not as "
                     "expected: %s",
                     zWhat);
}

int audit_head_decode(struct audit_head_msg *out, const char *z, size_t n,
                      struct sws_err *err)
{
  json_t *j = json_loadb(z, n, 0, NULL);
  const char *zDevice = json_string_value(json_object_get(j, "device"));
  const char *zHash = json_string_value(json_object_get(j, "hash"));
  const char *zSig = json_string_value(json_object_get(j, "sig"));
  json_t *jId = json_object_get(j, "id"), *jN = json_object_get(j, "n");
  json_t *link = json_object_get(j, "link");
  unsigned char sig[SWS_SIG_BYTES + 2];
  int rc = SWS_OK;
  memset(out, 0, sizeof *out);
  if (!json_is_object(j))
    rc = bad(err, "not a JSON object");
  else if (!zDevice || !sync_auth_office_ok(zDevice))
    rc = bad(err, "no device code");
  else if (!json_is_integer(jId) || json_integer_value(jId) < 0 ||
           !json_is_integer(jN) || json_integer_value(jN) < 0 ||
           json_integer_value(jN) > json_integer_value(jId))
    rc = bad(err, "id and n must be counts, n no more than id");
  else if (!hash_ok(zHash))
    rc = bad(err, "the hash must be 64 hex digits");
  else if (!zSig || strlen(zSig) > 90 ||
           sws_unb64url(sig, sizeof sig, zSig) != SWS_SIG_BYTES)
    rc = bad(err, "the signature must be 64 bytes in base64url");
  else if (link && (!json_is_object(link) ||
                    !json_is_integer(json_object_get(link, "id")) ||
                    json_integer_value(json_object_get(link, "id")) < 1 ||
                    !hash_ok(json_string_value(json_object_get(link, "hash")))))
    rc = bad(err, "the link must be {id, hash} of a row");
  if (rc == SWS_OK) {
    sws_strlcpy(out->zDevice, zDevice, sizeof out->zDevice);
    out->id = json_integer_value(jId);
    out->n = json_integer_value(jN);
    sws_strlcpy(out->zHash, zHash, sizeof out->zHash);
    memcpy(out->sig, sig, SWS_SIG_BYTES);
    if (link) {
      out->linkId = json_integer_value(json_object_get(link, "id"));
      sws_strlcpy(out->zLinkHash,
                  json_string_value(json_object_get(link, "hash")),
                  sizeof out->zLinkHash);
    }
  }
  json_decref(j);
  return rc;
}
