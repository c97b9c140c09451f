/*
 * summary.c - an office's signed indicator summary (see summary.h).
 */
#include "sync/summary.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* The text that is signed: the object without "sig", sorted, compact. */
static char *signed_text(json_t *o)
{
  json_t *c = json_copy(o);
  json_object_del(c, "sig");
  char *z = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(c);
  return z;
}

char *summary_make(const char *zOffice, const char *zPeriod, int version,
                   const char *zMadeAt, json_t *values,
                   const unsigned char sk[SWS_SK_BYTES])
{
  unsigned char sig[SWS_SIG_BYTES];
  char zSig[4 * ((SWS_SIG_BYTES + 2) / 3) + 1];
  json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:O}", "office", zOffice,
                        "period", zPeriod, "version", version, "made_at",
                        zMadeAt, "values", values);
  char *z = signed_text(o);
  sws_sign(sig, z, strlen(z), sk);
  free(z);
  sws_b64url(zSig, sig, sizeof sig);
  json_object_set_new(o, "sig", json_string(zSig));
  z = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  return z;
}

static int bad(struct sws_err *err, const char *zWhy)
{
  return sws_err_set(err, SWS_EINVAL, "the indicator summary is refused: %s",
                     zWhy);
}

int summary_read(struct summary *out, const char *z, size_t n,
                 const unsigned char pk[SWS_PK_BYTES], struct sws_err *err)
{
  json_error_t je;
  unsigned char sig[SWS_SIG_BYTES + 4];
  memset(out, 0, sizeof *out);
  if (n > SUMMARY_MAX_BYTES)
    return bad(err, "it is too large");
  json_t *o = json_loadb(z, n, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_object(o)) {
    json_decref(o);
    return bad(err, "it is not a JSON object");
  }
  const char *zOffice = json_string_value(json_object_get(o, "office"));
  const char *zPeriod = json_string_value(json_object_get(o, "period"));
  const char *zMadeAt = json_string_value(json_object_get(o, "made_at"));
  const char *zSig = json_string_value(json_object_get(o, "sig"));
  json_t *jv = json_object_get(o, "version");
  json_t *values = json_object_get(o, "values");
  int rc = SWS_OK;
  if (!zOffice || !zPeriod || !zMadeAt || !zSig || !json_is_integer(jv) ||
      !json_is_object(values))
    rc = bad(err, "office, period, version, made_at, values and sig are "
                  "all needed");
  else if (strlen(zOffice) >= sizeof out->zOffice ||
           strlen(zPeriod) >= sizeof out->zPeriod ||
           strlen(zMadeAt) >= sizeof out->zMadeAt)
    rc = bad(err, "a field is too long");
  else if (json_object_size(values) > SUMMARY_MAX_VALUES)
    rc = bad(err, "it has too many values");
  if (rc == 0) {
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v)
    {
      if (!json_is_integer(v) || json_integer_value(v) < 0) {
        rc = bad(err, "a value is not a count");
        break;
      }
    }
  }
  if (rc == 0 && sws_unb64url(sig, sizeof sig, zSig) != SWS_SIG_BYTES)
    rc = bad(err, "its signature is not one");
  if (rc == 0) {
    char *zText = signed_text(o);
    int ok = sws_sign_verify(sig, zText, strlen(zText), pk);
    free(zText);
    if (!ok)
      rc = bad(err, "its signature does not match: it was changed after "
                    "the office signed it, or another key signed it");
  }
  if (rc == 0) {
    memcpy(out->zOffice, zOffice, strlen(zOffice) + 1);
    memcpy(out->zPeriod, zPeriod, strlen(zPeriod) + 1);
    memcpy(out->zMadeAt, zMadeAt, strlen(zMadeAt) + 1);
    out->version = (int)json_integer_value(jv);
    out->values = json_incref(values);
  }
  json_decref(o);
  return rc;
}

void summary_release(struct summary *s)
{
  json_decref(s->values);
  memset(s, 0, sizeof *s);
}
