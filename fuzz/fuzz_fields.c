/*
 * fuzz_fields.c - libFuzzer target: the registry's checks of pushed field
 * values (sync/fields.c), which see whatever an office, or someone holding
 * an office's key, sends.
 *
 * The first byte picks the entity (of fields_entities) and whether it is
 * an insert; the rest is the JSON of the fields. Whatever the input: no
 * crash, no leak; a refusal has a message of valid UTF-8 that names what
 * it refuses; an accepted value is accepted again field by field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "sync/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int nEntities = 0;
  while (fields_entities[nEntities])
    nEntities++;
  if (size < 1 || nEntities == 0)
    return 0;
  const char *zEntity = fields_entities[(data[0] & 0x7f) % nEntities];
  int bInsert = data[0] >> 7;
  json_t *f = json_loadb((const char *)data + 1, size - 1,
                         JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  if (f == NULL)
    return 0;
  struct sws_err err = SWS_ERR_INIT;
  int rc = fields_check(zEntity, bInsert, f, &err);
  if (rc != 0) {
    if (err.msg[0] == '\0' || !sws_utf8_valid(err.msg, strlen(err.msg)))
      abort(); /* every refusal says why, in text a terminal shows */
  } else if (json_is_object(f)) {
    const char *zField;
    json_t *v;
    json_object_foreach(f, zField, v)
    {
      struct sws_err e1 = SWS_ERR_INIT;
      if (fields_check_one(zEntity, zField, v, &e1) != 0)
        abort(); /* accepted as a whole, so field by field */
    }
  }
  json_decref(f);
  return 0;
}
