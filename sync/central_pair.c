/*
 * central_pair.c - two households side by side (see central_pair.h).
 */
#include "sync/central_pair.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"

static void field(char *zOut, size_t n, json_t *j, const char *zKey)
{
  const char *z = json_string_value(json_object_get(j, zKey));
  sws_strlcpy(zOut, z ? z : "", n);
}

static int take_member(const char *zId, const char *zFields,
                       const char *zOffice, void *arg)
{
  struct pair_side *s = arg;
  (void)zId;
  (void)zOffice;
  json_t *j = json_loads(zFields, 0, NULL);
  if (j == NULL)
    return 0;
  s->a = sws_realloc(s->a, sizeof *s->a * (size_t)(s->n + 1));
  struct pair_person *p = &s->a[s->n++];
  memset(p, 0, sizeof *p);
  p->line = (int)json_integer_value(json_object_get(j, "line_no"));
  field(p->zName, sizeof p->zName, j, "name");
  field(p->zSex, sizeof p->zSex, j, "sex");
  field(p->zBorn, sizeof p->zBorn, j, "born");
  field(p->zRelationship, sizeof p->zRelationship, j, "relationship");
  const char *zNid = json_string_value(json_object_get(j, "national_id"));
  if (zNid && *zNid) {
    size_t k = strlen(zNid);
    snprintf(p->zIdTail, sizeof p->zIdTail, "...%s",
             zNid + (k > 3 ? k - 3 : 0));
  }
  const char *zSt = json_string_value(json_object_get(j, "status"));
  p->bActive = zSt == NULL || strcmp(zSt, "active") == 0;
  json_decref(j);
  return 0;
}

static int by_line(const void *x, const void *y)
{
  const struct pair_person *a = x, *b = y;
  return (a->line > b->line) - (a->line < b->line);
}

static int take_text(void *arg, int nCol, const char *const *az)
{
  char *z = arg;
  if (nCol > 0 && az[0])
    sws_strlcpy(z, az[0], 201);
  return 1;
}

static int side_get(struct central *c, const char *zWho, struct pair_side *s,
                    struct sws_err *err)
{
  char *zFields = NULL;
  int rc = central_household_get(c, zWho, &s->h, err);
  if (rc == 0)
    rc =
        c->s->ops->record_get(c->s, "household", s->h.zId, &zFields, NULL, err);
  if (rc != 0)
    return rc;
  json_t *j = json_loads(zFields, 0, NULL);
  free(zFields);
  field(s->zCreatedAt, sizeof s->zCreatedAt, j, "created_at");
  json_decref(j);
  const char *v[1] = {s->h.zArea};
  if ((rc = c->s->ops->read_rows(c->s, "SELECT name FROM area WHERE code = $1",
                                 1, v, take_text, s->zAreaName, err)) != 0 ||
      (rc = c->s->ops->record_find(c->s, "member", "household_id", s->h.zId,
                                   take_member, s, err)) != 0)
    return rc;
  if (s->n > 1)
    qsort(s->a, (size_t)s->n, sizeof *s->a, by_line);
  return SWS_OK;
}

static int take_pair(void *arg, int nCol, const char *const *az)
{
  struct central_pair *p = arg;
  if (nCol >= 4 && az[0] && az[1] && az[2]) {
    p->bFound = 1;
    p->score = strtod(az[0], NULL);
    sws_strlcpy(p->zReasons, az[1], sizeof p->zReasons);
    sws_strlcpy(p->zStatus, az[2], sizeof p->zStatus);
    sws_strlcpy(p->zNote, az[3] ? az[3] : "", sizeof p->zNote);
  }
  return 1;
}

int central_pair_get(struct central *c, const char *zA, const char *zB,
                     struct central_pair *out, struct sws_err *err)
{
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = side_get(c, zA, &out->s[0], err)) != 0 ||
      (rc = side_get(c, zB, &out->s[1], err)) != 0) {
    central_pair_release(out);
    return rc;
  }
  const char *a = out->s[0].h.zId, *b = out->s[1].h.zId;
  const char *v[2] = {strcmp(a, b) < 0 ? a : b, strcmp(a, b) < 0 ? b : a};
  rc = c->s->ops->read_rows(c->s,
                            "SELECT score, reasons, status, note FROM "
                            "duplicate WHERE household_a = $1 AND "
                            "household_b = $2",
                            2, v, take_pair, out, err);
  if (rc != 0)
    central_pair_release(out);
  return rc;
}

void central_pair_release(struct central_pair *p)
{
  for (int i = 0; i < 2; i++)
    free(p->s[i].a);
  memset(p, 0, sizeof *p);
}
