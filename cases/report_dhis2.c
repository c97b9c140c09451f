/*
 * report_dhis2.c - a report as DHIS2 dataValueSets JSON (see
 * report_dhis2.h).
 */
#include "cases/report_dhis2.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DHIS2 UID: 11 characters, letters and digits, a letter first. */
static int uid_ok(const char *z)
{
  if (z == NULL || strlen(z) != 11 || !isalpha((unsigned char)z[0]))
    return 0;
  for (int i = 1; i < 11; i++)
    if (!isalnum((unsigned char)z[i]))
      return 0;
  return 1;
}

static int check_map(json_t *root, const char *zName, int bRequired,
                     struct sws_err *err)
{
  json_t *m = json_object_get(root, zName);
  const char *k;
  json_t *v;
  if (m == NULL && !bRequired)
    return SWS_OK;
  if (!json_is_object(m))
    return sws_err_set(err, SWS_EINVAL,
                       "the DHIS2 mapping needs an object "
                       "\"%s\" (code -> DHIS2 UID)",
                       zName);
  json_object_foreach(m, k, v)
  {
    if (!uid_ok(json_string_value(v)))
      return sws_err_set(err, SWS_EINVAL,
                         "the DHIS2 mapping's %s gives "
                         "'%s' a UID that is not one (11 letters and "
                         "digits, a letter first)",
                         zName, k);
  }
  return SWS_OK;
}

static int load(const char *zMapping, size_t n, json_t **out,
                struct sws_err *err)
{
  json_error_t je;
  json_t *root = json_loadb(zMapping, n, JSON_REJECT_DUPLICATES, &je);
  int rc;
  *out = NULL;
  if (!json_is_object(root)) {
    json_decref(root);
    return sws_err_set(err, SWS_EINVAL,
                       "the DHIS2 mapping is not a JSON "
                       "object (line %d: %s)",
                       je.line, je.text);
  }
  if ((rc = check_map(root, "dataElements", 1, err)) != 0 ||
      (rc = check_map(root, "orgUnits", 1, err)) != 0 ||
      (rc = check_map(root, "categoryOptionCombos", 1, err)) != 0) {
    json_decref(root);
    return rc;
  }
  json_t *aoc = json_object_get(root, "attributeOptionCombo");
  if (aoc && !uid_ok(json_string_value(aoc))) {
    json_decref(root);
    return sws_err_set(err, SWS_EINVAL,
                       "the DHIS2 mapping's "
                       "attributeOptionCombo is not a UID");
  }
  *out = root;
  return SWS_OK;
}

int report_dhis2_check(const char *zMapping, size_t n, struct sws_err *err)
{
  json_t *root;
  int rc = load(zMapping, n, &root, err);
  json_decref(root);
  return rc;
}

/* The breakdown's key in the mapping: "total", "sex:F", "age_group:0-17",
 * "disability:yes", "programme:hef". */
static void combo_key(const struct report_cell *c, char *z, size_t n)
{
  switch (c->dim) {
  case REPORT_TOTAL:
    snprintf(z, n, "total");
    break;
  case REPORT_SEX:
    snprintf(z, n, "sex:%s", c->zSex);
    break;
  case REPORT_AGE:
    snprintf(z, n, "age_group:%s", c->zAge);
    break;
  case REPORT_DISABILITY:
    snprintf(z, n, "disability:%s", c->zDisability);
    break;
  default:
    snprintf(z, n, "%s:%s", c->zCatType, c->zCat);
  }
}

int report_dhis2(const struct report *r, const char *zMapping, size_t n,
                 struct buf *out, struct dhis2_counts *counts,
                 struct sws_err *err)
{
  json_t *root;
  int rc;
  memset(counts, 0, sizeof *counts);
  if (strstr(r->period.zLabel, ".."))
    return sws_err_set(err, SWS_EINVAL,
                       "DHIS2 takes a month, a quarter or "
                       "a year, not the days %s",
                       r->period.zLabel);
  if ((rc = load(zMapping, n, &root, err)) != 0)
    return rc;
  json_t *de = json_object_get(root, "dataElements");
  json_t *ou = json_object_get(root, "orgUnits");
  json_t *coc = json_object_get(root, "categoryOptionCombos");
  const char *zAoc =
      json_string_value(json_object_get(root, "attributeOptionCombo"));
  json_t *values = json_array();
  for (int i = 0; i < r->nCell; i++) {
    const struct report_cell *c = &r->aCell[i];
    char zKey[160], zVal[32];
    if (c->bHidden) {
      counts->nHidden++;
      continue;
    }
    if (isnan(c->value)) {
      counts->nEmpty++;
      continue;
    }
    combo_key(c, zKey, sizeof zKey);
    const char *zDe = json_string_value(json_object_get(de, c->zIndicator));
    const char *zOu = json_string_value(json_object_get(ou, c->zArea));
    const char *zCoc = json_string_value(json_object_get(coc, zKey));
    if (!zDe || !zOu || !zCoc) {
      counts->nUnmapped++;
      continue;
    }
    if (c->bCount)
      snprintf(zVal, sizeof zVal, "%.0f", c->value);
    else
      snprintf(zVal, sizeof zVal, "%.1f", c->value);
    json_t *dv = json_pack("{s:s, s:s, s:s, s:s, s:s}", "dataElement", zDe,
                           "period", r->period.zIso, "orgUnit", zOu,
                           "categoryOptionCombo", zCoc, "value", zVal);
    if (zAoc)
      json_object_set_new(dv, "attributeOptionCombo", json_string(zAoc));
    json_array_append_new(values, dv);
    counts->nWritten++;
  }
  json_t *doc = json_pack("{s:o}", "dataValues", values);
  char *z = json_dumps(doc, JSON_INDENT(2));
  buf_puts(out, z);
  buf_puts(out, "\n");
  free(z);
  json_decref(doc);
  json_decref(root);
  return SWS_OK;
}
