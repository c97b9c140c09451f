/*
 * fuzz_reconcile.c - libFuzzer target: reconcile requests as an office (or
 * anyone) sends them to the registry (sync/reconcile.c). Whatever decodes
 * must hold what the registry relies on: a known step, a device code, and
 * for each step its part within the limits, entities the registry holds,
 * UUIDs, digests, records inside the buckets listed. The digests of what
 * decodes are computed too (the registry computes them for every record).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "sync/proto.h"
#include "sync/reconcile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  json_t *req = NULL, *v;
  size_t i;
  if (reconcile_decode(&req, (const char *)data, size, &err) != 0) {
    if (req != NULL || err.msg[0] == '\0')
      abort();
    return 0;
  }
  const char *zStep = json_string_value(json_object_get(req, "step"));
  if (zStep == NULL ||
      json_string_value(json_object_get(req, "device")) == NULL)
    abort();
  if (strcmp(zStep, "buckets") == 0) {
    struct reconcile_set s;
    int a[RECONCILE_BUCKETS], n = 0;
    reconcile_set_init(&s);
    if (reconcile_set_compare(&s, json_object_get(req, "buckets"), a, &n,
                              &err) != 0 ||
        n < 0 || n > RECONCILE_BUCKETS)
      abort();
  } else if (strcmp(zStep, "records") == 0) {
    json_t *r = json_object_get(req, "records");
    if (json_array_size(r) > RECONCILE_MAX_RECORDS)
      abort();
    json_array_foreach(r, i, v)
    {
      const char *zE = json_string_value(json_array_get(v, 0));
      const char *zI = json_string_value(json_array_get(v, 1));
      if (!proto_entity_known(zE) || reconcile_bucket(zI) < 0)
        abort();
    }
  } else if (strcmp(zStep, "values") == 0) {
    json_t *r = json_object_get(req, "values");
    if (json_array_size(r) == 0 || json_array_size(r) > RECONCILE_MAX_VALUES)
      abort();
    json_array_foreach(r, i, v)
    {
      char z[RECONCILE_HEX];
      const char *zE = json_string_value(json_object_get(v, "e"));
      const char *zI = json_string_value(json_object_get(v, "i"));
      if (!proto_entity_known(zE) || !sws_uuid_ok(zI, strlen(zI)))
        abort();
      reconcile_digest(zE, zI, json_object_get(v, "f"), z);
      if (strlen(z) != RECONCILE_HEX - 1)
        abort();
    }
  } else {
    abort();
  }
  json_decref(req);
  return 0;
}
