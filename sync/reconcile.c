/*
 * reconcile.c - record and bucket digests for finding drift, and the
 * checked decoding of a reconcile request (see reconcile.h).
 */
#include "sync/reconcile.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/ids.h"
#include "sync/auth.h"
#include "sync/fields.h"
#include "sync/proto.h"

/* Fields an office folds itself from the registry's items (never pushed
 * from there): a grievance's state from the answers of the layers above,
 * and whether an event fitted where it fell. */
static const struct {
  const char *zEntity, *zField;
} DERIVED[] = {
    {"grievance", "status"},       {"grievance", "layer"},
    {"grievance", "due"},          {"grievance", "answer"},
    {"grievance", "answer_layer"}, {"grievance", "flagged"},
    {"grievance_event", "valid"},  {"grievance_event", "note"},
    {"referral_event", "valid"},   {"referral_event", "note"},
};

int reconcile_field_compared(const char *zEntity, const char *zField)
{
  if (fields_rule(zEntity, zField) == NULL)
    return 0;
  for (size_t i = 0; i < sizeof DERIVED / sizeof DERIVED[0]; i++)
    if (strcmp(DERIVED[i].zEntity, zEntity) == 0 &&
        strcmp(DERIVED[i].zField, zField) == 0)
      return 0;
  return 1;
}

/* One value as both sides write it: SQLite writes 2.0 where PostgreSQL
 * writes 2, and a flag may come as true. */
static json_t *normal_value(json_t *v)
{
  if (v == NULL || json_is_null(v))
    return json_null();
  if (json_is_true(v))
    return json_integer(1);
  if (json_is_false(v))
    return json_integer(0);
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (d == floor(d) && fabs(d) < 9007199254740992.0)
      return json_integer((json_int_t)d);
  }
  return json_incref(v);
}

json_t *reconcile_normalize(const char *zEntity, json_t *fields)
{
  const struct fields_rule *a;
  int n = 0;
  if (fields_rules(zEntity, &a, &n) != 0)
    return NULL;
  json_t *o = json_object();
  for (int i = 0; i < n; i++)
    if (reconcile_field_compared(zEntity, a[i].zName))
      json_object_set_new(o, a[i].zName,
                          normal_value(json_object_get(fields, a[i].zName)));
  return o;
}

void reconcile_digest(const char *zEntity, const char *zId, json_t *fields,
                      char out[RECONCILE_HEX])
{
  static const char TAG[] = "sws-reconcile-v1";
  unsigned char h[RECONCILE_DIGEST];
  crypto_generichash_state st;
  json_t *o = reconcile_normalize(zEntity, fields);
  char *z = o ? proto_canonical(o) : NULL;
  crypto_generichash_init(&st, NULL, 0, sizeof h);
  crypto_generichash_update(&st, (const unsigned char *)TAG, sizeof TAG);
  crypto_generichash_update(&st, (const unsigned char *)zEntity,
                            strlen(zEntity) + 1);
  crypto_generichash_update(&st, (const unsigned char *)zId, strlen(zId) + 1);
  if (z)
    crypto_generichash_update(&st, (const unsigned char *)z, strlen(z));
  crypto_generichash_final(&st, h, sizeof h);
  sws_hex(out, h, sizeof h);
  free(z);
  json_decref(o);
}

static int hex_digit(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

int reconcile_bucket(const char *zId)
{
  if (zId == NULL || !sws_uuid_ok(zId, strlen(zId)))
    return -1;
  return hex_digit(zId[34]) * 16 + hex_digit(zId[35]);
}

void reconcile_set_init(struct reconcile_set *s)
{
  memset(s, 0, sizeof *s);
}

void reconcile_set_add(struct reconcile_set *s, const char *zId,
                       const char zDigest[RECONCILE_HEX])
{
  unsigned char h[RECONCILE_DIGEST];
  int b = reconcile_bucket(zId);
  if (b < 0 || sws_unhex(h, sizeof h, zDigest) != 0)
    return;
  for (int i = 0; i < RECONCILE_DIGEST; i++)
    s->a[b][i] ^= h[i];
  s->n[b]++;
  s->nRecords++;
}

json_t *reconcile_set_json(const struct reconcile_set *s)
{
  json_t *a = json_array();
  for (int b = 0; b < RECONCILE_BUCKETS; b++) {
    char z[RECONCILE_HEX];
    sws_hex(z, s->a[b], RECONCILE_DIGEST);
    json_array_append_new(a, json_string(z));
  }
  return a;
}

/* 1 if z is RECONCILE_HEX - 1 lower-case hex digits. */
static int digest_ok(const char *z)
{
  if (z == NULL || strlen(z) != RECONCILE_HEX - 1)
    return 0;
  for (; *z; z++)
    if (hex_digit(*z) < 0)
      return 0;
  return 1;
}

int reconcile_set_compare(const struct reconcile_set *s, json_t *theirs,
                          int aDiffer[RECONCILE_BUCKETS], int *pn,
                          struct sws_err *err)
{
  *pn = 0;
  if (!json_is_array(theirs) || json_array_size(theirs) != RECONCILE_BUCKETS)
    return sws_err_set(err, SWS_EINVAL, "'buckets' must be %d digests",
                       RECONCILE_BUCKETS);
  for (int b = 0; b < RECONCILE_BUCKETS; b++) {
    char z[RECONCILE_HEX];
    const char *zTheirs = json_string_value(json_array_get(theirs, (size_t)b));
    if (!digest_ok(zTheirs))
      return sws_err_set(err, SWS_EINVAL, "bucket %d: not a digest", b);
    sws_hex(z, s->a[b], RECONCILE_DIGEST);
    if (strcmp(z, zTheirs) != 0)
      aDiffer[(*pn)++] = b;
  }
  return SWS_OK;
}

/* ---- requests ---- */

static int entity_id_ok(const char *zEntity, const char *zId)
{
  return zEntity && proto_entity_known(zEntity) && zId &&
         sws_uuid_ok(zId, strlen(zId));
}

static int decode_records(json_t *root, struct sws_err *err)
{
  json_t *buckets = json_object_get(root, "buckets");
  json_t *records = json_object_get(root, "records");
  unsigned char seen[RECONCILE_BUCKETS];
  size_t i;
  json_t *v;
  memset(seen, 0, sizeof seen);
  if (!json_is_array(buckets) || json_array_size(buckets) == 0 ||
      json_array_size(buckets) > RECONCILE_BUCKETS)
    return sws_err_set(err, SWS_EINVAL,
                       "'buckets' must list 1 to %d "
                       "buckets",
                       RECONCILE_BUCKETS);
  json_array_foreach(buckets, i, v)
  {
    json_int_t b = json_integer_value(v);
    if (!json_is_integer(v) || b < 0 || b >= RECONCILE_BUCKETS || seen[b])
      return sws_err_set(err, SWS_EINVAL,
                         "'buckets': each a number from 0 "
                         "to %d, once",
                         RECONCILE_BUCKETS - 1);
    seen[b] = 1;
  }
  if (!json_is_array(records) ||
      json_array_size(records) > RECONCILE_MAX_RECORDS)
    return sws_err_set(err, SWS_EINVAL,
                       "'records' must list at most %d "
                       "records",
                       RECONCILE_MAX_RECORDS);
  json_array_foreach(records, i, v)
  {
    const char *zE = json_string_value(json_array_get(v, 0));
    const char *zI = json_string_value(json_array_get(v, 1));
    const char *zD = json_string_value(json_array_get(v, 2));
    if (!json_is_array(v) || json_array_size(v) != 3 || !entity_id_ok(zE, zI) ||
        !digest_ok(zD))
      return sws_err_set(err, SWS_EINVAL,
                         "record %zu: not [entity, id, "
                         "digest]",
                         i);
    if (!seen[reconcile_bucket(zI)])
      return sws_err_set(err, SWS_EINVAL,
                         "record %zu: not in the buckets "
                         "listed",
                         i);
  }
  return SWS_OK;
}

static int decode_values(json_t *root, struct sws_err *err)
{
  json_t *values = json_object_get(root, "values");
  size_t i;
  json_t *v;
  if (!json_is_array(values) || json_array_size(values) == 0 ||
      json_array_size(values) > RECONCILE_MAX_VALUES)
    return sws_err_set(err, SWS_EINVAL,
                       "'values' must list 1 to %d "
                       "records",
                       RECONCILE_MAX_VALUES);
  json_array_foreach(values, i, v)
  {
    if (!json_is_object(v) || json_object_size(v) != 3 ||
        !entity_id_ok(json_string_value(json_object_get(v, "e")),
                      json_string_value(json_object_get(v, "i"))) ||
        !json_is_object(json_object_get(v, "f")))
      return sws_err_set(err, SWS_EINVAL,
                         "value %zu: not {e, i, f} of a "
                         "record",
                         i);
  }
  return SWS_OK;
}

int reconcile_decode(json_t **out, const char *z, size_t n, struct sws_err *err)
{
  json_error_t je;
  int rc;
  *out = NULL;
  if (n > PROTO_MAX_BODY)
    return sws_err_set(err, SWS_EINVAL,
                       "a reconcile request is larger "
                       "than %zu bytes",
                       PROTO_MAX_BODY);
  json_t *root = json_loadb(z, n, JSON_REJECT_DUPLICATES, &je);
  if (!json_is_object(root)) {
    json_decref(root);
    return sws_err_set(err, SWS_EINVAL,
                       "a reconcile request must be a JSON "
                       "object");
  }
  const char *zDevice = json_string_value(json_object_get(root, "device"));
  const char *zStep = json_string_value(json_object_get(root, "step"));
  if (json_integer_value(json_object_get(root, "proto")) != PROTO_VERSION) {
    rc = sws_err_set(err, SWS_EINVAL, "unknown protocol version");
  } else if (zDevice == NULL || !sync_auth_office_ok(zDevice)) {
    rc = sws_err_set(err, SWS_EINVAL, "'device' must be an office code");
  } else if (zStep == NULL) {
    rc = sws_err_set(err, SWS_EINVAL, "'step' is missing");
  } else if (strcmp(zStep, "buckets") == 0) {
    json_t *b = json_object_get(root, "buckets");
    size_t i;
    json_t *v;
    rc = json_is_array(b) && json_array_size(b) == RECONCILE_BUCKETS
             ? SWS_OK
             : sws_err_set(err, SWS_EINVAL, "'buckets' must be %d digests",
                           RECONCILE_BUCKETS);
    json_array_foreach(b, i, v)
    {
      if (rc == 0 && !digest_ok(json_string_value(v)))
        rc = sws_err_set(err, SWS_EINVAL, "bucket %zu: not a digest", i);
    }
  } else if (strcmp(zStep, "records") == 0) {
    rc = decode_records(root, err);
  } else if (strcmp(zStep, "values") == 0) {
    rc = decode_values(root, err);
  } else {
    rc = sws_err_set(err, SWS_EINVAL, "unknown step '%.20s'", zStep);
  }
  if (rc != 0) {
    json_decref(root);
    return rc;
  }
  *out = root;
  return SWS_OK;
}
