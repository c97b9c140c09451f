/*
 * central_load.c - the registry's bulk path: households and members from an
 * existing list (a registry seeded before its offices sync), checked by
 * the same rules as a push (sync/fields.c), each person's blocking keys
 * computed, then written by the store in a few statements (COPY on
 * PostgreSQL) in one transaction: all of a call's households or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/name.h"
#include "core/ids.h"
#include "core/mem.h"
#include "sync/central.h"
#include "sync/fields.h"

static void set_text(json_t *o, const char *zKey, const char *z)
{
  if (z)
    json_object_set_new(o, zKey, json_string(z));
}

/* One household and its members by the push's rules; err names what. */
static int check_household(const struct central_load_household *h, int i,
                           struct sws_err *err)
{
  struct sws_err e = SWS_ERR_INIT;
  char zDevice[CENTRAL_CODE_MAX];
  int rc = SWS_OK;
  if (!h->zId || !sws_uuid_ok(h->zId, strlen(h->zId)))
    return sws_err_set(err, SWS_EINVAL, "household %d: the id is not a "
                       "UUID", i + 1);
  if (!h->zOwner || !h->zOwner[0] || strlen(h->zOwner) >= CENTRAL_CODE_MAX)
    return sws_err_set(err, SWS_EINVAL, "household %d: no owning office",
                       i + 1);
  json_t *o = json_object();
  set_text(o, "regno", h->zRegno);
  set_text(o, "area_code", h->zAreaCode);
  set_text(o, "created_at", h->zCreatedAt);
  set_text(o, "created_by", h->zCreatedBy);
  if (fields_check("household", 1, o, &e) != 0)
    rc = sws_err_set(err, SWS_EINVAL, "household %d (%.40s): %s", i + 1,
                     h->zId, e.msg);
  else if (fields_number_device("household", "regno", h->zRegno, zDevice,
                                sizeof zDevice, &e) != 0 ||
           strcmp(zDevice, h->zOwner) != 0)
    rc = sws_err_set(err, SWS_EINVAL, "household %d: number %.40s is not "
                     "one issued by its office %s", i + 1, h->zRegno,
                     h->zOwner);
  json_decref(o);
  for (int j = 0; j < h->n && rc == 0; j++) {
    const struct central_load_member *m = &h->a[j];
    if (!m->zId || !sws_uuid_ok(m->zId, strlen(m->zId)))
      return sws_err_set(err, SWS_EINVAL, "household %d, member %d: the id "
                         "is not a UUID", i + 1, j + 1);
    o = json_object();
    json_object_set_new(o, "household_id", json_string(h->zId));
    json_object_set_new(o, "line_no", json_integer(m->lineNo));
    set_text(o, "name", m->zName);
    set_text(o, "sex", m->zSex);
    set_text(o, "born", m->zBorn);
    set_text(o, "relationship", m->zRelationship);
    set_text(o, "national_id", m->zNationalId);
    set_text(o, "phone", m->zPhone);
    if (m->zDisability)
      json_object_set_new(o, "disability",
                          json_integer(strtoll(m->zDisability, NULL, 10)));
    set_text(o, "created_at", h->zCreatedAt);
    if (fields_check("member", 1, o, &e) != 0)
      rc = sws_err_set(err, SWS_EINVAL, "household %d, member %d: %s", i + 1,
                       j + 1, e.msg);
    json_decref(o);
  }
  return rc;
}

int central_load(struct central *c, const struct central_load_household *a,
                 int n, struct sws_err *err)
{
  int rc = SWS_OK, nMembers = 0;
  if (c->s->ops->load == NULL)
    return sws_err_set(err, SWS_EINVAL, "the bulk load needs the registry "
                       "on PostgreSQL (--pg URL)");
  for (int i = 0; i < n && rc == 0; i++) {
    rc = check_household(&a[i], i, err);
    nMembers += a[i].n;
  }
  if (rc != 0)
    return rc;
  /* the same households, each member with its keys */
  struct central_load_household *h = sws_calloc((size_t)n + 1, sizeof *h);
  struct central_load_member *m = sws_calloc((size_t)nMembers + 1,
                                             sizeof *m);
  char **azKeys = sws_calloc((size_t)nMembers + 1, sizeof *azKeys);
  int k = 0;
  for (int i = 0; i < n; i++) {
    h[i] = a[i];
    h[i].a = &m[k];
    for (int j = 0; j < a[i].n; j++, k++) {
      m[k] = a[i].a[j];
      m[k].zKeysJson = azKeys[k] = name_keys_json(m[k].zName);
    }
  }
  if ((rc = c->s->ops->begin(c->s, err)) == 0) {
    rc = c->s->ops->load(c->s, h, n, err);
    if (rc == 0)
      rc = c->s->ops->commit(c->s, err);
    else
      c->s->ops->rollback(c->s);
  }
  for (int i = 0; i < nMembers; i++)
    free(azKeys[i]);
  free(azKeys);
  free(m);
  free(h);
  return rc;
}
