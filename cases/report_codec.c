/*
 * report_codec.c - a counted report as text and back (see report_codec.h).
 *
 *   {"codec": 1, "period": "2026-06", "version": 1, "suppress": 5,
 *    "scope": "national", "scope_name": "...", "layer": "province",
 *    "ages": "0-17,18-59,60+",
 *    "strings": ["households_registered", "KH17", ...],
 *    "cells": [[0, 1, 2, 3, 0, 1, 4, 5, 5, 5, 5, 12, 12, 1, 0], ...]}
 *
 * Each cell: indicator, area, area name, area level (indices into
 * "strings"), is the scope's total, breakdown (enum report_dim), sex,
 * age group, disability, category type, category (indices), value (null
 * when there is none), the records it is over, is a count, is hidden.
 * Every text appears once in "strings", so a report of many cells stays
 * small and reading it makes one copy of each.
 */
#include "cases/report_codec.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

enum {
  C_INDICATOR,
  C_AREA,
  C_AREA_NAME,
  C_AREA_LEVEL,
  C_SCOPE,
  C_DIM,
  C_SEX,
  C_AGE,
  C_DISABILITY,
  C_CAT_TYPE,
  C_CAT,
  C_VALUE,
  C_N,
  C_COUNT,
  C_HIDDEN,
  C_FIELDS
};

/* The index of z in the strings (added when new). */
static json_int_t str_index(json_t *index, json_t *strings, const char *z)
{
  json_t *k = json_object_get(index, z);
  if (k)
    return json_integer_value(k);
  json_int_t i = (json_int_t)json_array_size(strings);
  json_array_append_new(strings, json_string(z));
  json_object_set_new(index, z, json_integer(i));
  return i;
}

char *report_encode(const struct report *r)
{
  json_t *index = json_object(), *strings = json_array();
  json_t *cells = json_array();
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    const char *az[] = {c->zIndicator,  c->zArea,    c->zAreaName,
                        c->zAreaLevel,  c->zSex,     c->zAge,
                        c->zDisability, c->zCatType, c->zCat};
    json_int_t ai[9];
    for (int k = 0; k < 9; k++)
      ai[k] = str_index(index, strings, az[k] ? az[k] : "");
    json_t *a = json_array();
    json_array_append_new(a, json_integer(ai[0]));
    json_array_append_new(a, json_integer(ai[1]));
    json_array_append_new(a, json_integer(ai[2]));
    json_array_append_new(a, json_integer(ai[3]));
    json_array_append_new(a, json_integer(c->bScope ? 1 : 0));
    json_array_append_new(a, json_integer(c->dim));
    for (int k = 4; k < 9; k++)
      json_array_append_new(a, json_integer(ai[k]));
    json_array_append_new(a,
                          isnan(c->value) ? json_null() : json_real(c->value));
    json_array_append_new(a, json_integer((json_int_t)c->n));
    json_array_append_new(a, json_integer(c->bCount ? 1 : 0));
    json_array_append_new(a, json_integer(c->bHidden ? 1 : 0));
    json_array_append_new(cells, a);
  }
  json_t *o = json_pack(
      "{s:i, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:o, s:o}", "codec",
      REPORT_CODEC_VERSION, "period", r->period.zLabel, "version", r->version,
      "suppress", r->suppress, "scope", r->zScope, "scope_name", r->zScopeName,
      "layer", r->zLayer, "ages", r->zAges, "strings", strings, "cells", cells);
  char *z = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  json_decref(index);
  return z;
}

static int bad(struct sws_err *err, const char *zWhy)
{
  return sws_err_set(err, SWS_EINVAL, "the kept report cannot be read: %s",
                     zWhy);
}

/* A small non-negative integer from a cell, or -1. */
static json_int_t small(json_t *a, int k, json_int_t max)
{
  json_t *v = json_array_get(a, (size_t)k);
  if (!json_is_integer(v))
    return -1;
  json_int_t i = json_integer_value(v);
  return i >= 0 && i <= max ? i : -1;
}

static int copy_text(char *zOut, size_t nOut, json_t *o, const char *zKey)
{
  const char *z = json_string_value(json_object_get(o, zKey));
  return z && strlen(z) < nOut ? (snprintf(zOut, nOut, "%s", z), 0) : -1;
}

static int read_cells(json_t *o, struct report *out, struct sws_err *err)
{
  json_t *strings = json_object_get(o, "strings");
  json_t *cells = json_object_get(o, "cells");
  if (!json_is_array(strings) || !json_is_array(cells))
    return bad(err, "strings and cells are needed");
  size_t nStr = json_array_size(strings);
  const char **az = sws_calloc(nStr + 1, sizeof *az);
  int rc = SWS_OK;
  for (size_t i = 0; i < nStr && rc == 0; i++) {
    const char *z = json_string_value(json_array_get(strings, i));
    if (z == NULL)
      rc = bad(err, "a string that is not text");
    else
      az[i] = report_own(out, z);
  }
  size_t nCell = json_array_size(cells);
  if (rc == 0 && nCell > (size_t)INT32_MAX / 2)
    rc = bad(err, "too many cells");
  if (rc == 0 && nCell > 0)
    out->aCell = sws_calloc(nCell, sizeof *out->aCell);
  json_int_t max = (json_int_t)nStr - 1;
  for (size_t i = 0; i < nCell && rc == 0; i++) {
    json_t *a = json_array_get(cells, i);
    struct report_cell *c = &out->aCell[i];
    json_int_t ai[C_FIELDS];
    json_t *val = json_array_get(a, C_VALUE), *n = json_array_get(a, C_N);
    if (!json_is_array(a) || json_array_size(a) != C_FIELDS ||
        !(json_is_null(val) || json_is_number(val)) || !json_is_integer(n) ||
        json_integer_value(n) < 0) {
      rc = bad(err, "a cell is not as written");
      break;
    }
    for (int k = 0; k < C_FIELDS && rc == 0; k++) {
      if (k == C_VALUE || k == C_N)
        continue;
      json_int_t lim = k == C_SCOPE || k == C_COUNT || k == C_HIDDEN ? 1
                       : k == C_DIM ? REPORT_CATEGORY
                                    : max;
      if ((ai[k] = small(a, k, lim)) < 0)
        rc = bad(err, "a cell points outside the report");
    }
    if (rc != 0)
      break;
    c->zIndicator = az[ai[C_INDICATOR]];
    c->zArea = az[ai[C_AREA]];
    c->zAreaName = az[ai[C_AREA_NAME]];
    c->zAreaLevel = az[ai[C_AREA_LEVEL]];
    c->bScope = (int)ai[C_SCOPE];
    c->dim = (int)ai[C_DIM];
    c->zSex = az[ai[C_SEX]];
    c->zAge = az[ai[C_AGE]];
    c->zDisability = az[ai[C_DISABILITY]];
    c->zCatType = az[ai[C_CAT_TYPE]];
    c->zCat = az[ai[C_CAT]];
    c->value = json_is_null(val) ? NAN : json_number_value(val);
    c->n = (int64_t)json_integer_value(n);
    c->bCount = (int)ai[C_COUNT];
    c->bHidden = (int)ai[C_HIDDEN];
    out->nCell++;
  }
  free(az);
  return rc;
}

int report_decode(const char *z, size_t n, struct report *out,
                  struct sws_err *err)
{
  json_error_t je;
  memset(out, 0, sizeof *out);
  if (n > REPORT_CODEC_MAX_BYTES)
    return bad(err, "it is too large");
  json_t *o = json_loadb(z, n, JSON_REJECT_DUPLICATES, &je);
  int rc = SWS_OK;
  char zPeriod[32];
  json_t *jc = json_object_get(o, "codec"), *jv = json_object_get(o, "version");
  json_t *js = json_object_get(o, "suppress");
  if (!json_is_object(o))
    rc = bad(err, "it is not a JSON object");
  else if (!json_is_integer(jc) ||
           json_integer_value(jc) != REPORT_CODEC_VERSION)
    rc = bad(err, "it was written by another version of sws");
  else if (!json_is_integer(jv) || !json_is_integer(js) ||
           json_integer_value(js) < 0 || json_integer_value(js) > 1000000 ||
           copy_text(zPeriod, sizeof zPeriod, o, "period") != 0 ||
           copy_text(out->zScope, sizeof out->zScope, o, "scope") != 0 ||
           copy_text(out->zScopeName, sizeof out->zScopeName, o,
                     "scope_name") != 0 ||
           copy_text(out->zLayer, sizeof out->zLayer, o, "layer") != 0 ||
           copy_text(out->zAges, sizeof out->zAges, o, "ages") != 0)
    rc = bad(err, "its heading is not as written");
  else if (report_period_parse(zPeriod, &out->period, err) != 0)
    rc = bad(err, "its period is not one");
  if (rc == 0) {
    out->version = (int)json_integer_value(jv);
    out->suppress = (int)json_integer_value(js);
    rc = read_cells(o, out, err);
  }
  json_decref(o);
  if (rc != 0)
    report_release(out);
  return rc;
}
