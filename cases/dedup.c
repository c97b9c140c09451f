/*
 * dedup.c - candidate retrieval for the duplicate rule (see dedup.h).
 */
#include "cases/dedup.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cases/name.h"
#include "core/mem.h"
#include "core/memo.h"

void dedup_list_release(struct dedup_list *l)
{
  free(l->a);
  l->a = NULL;
  l->n = l->nAlloc = 0;
}

/* Keep the best hit per household, the list sorted best first. */
static void add_hit(struct dedup_list *l, const struct dedup_hit *h)
{
  int i;
  for (i = 0; i < l->n; i++) {
    if (strcmp(l->a[i].zHouseholdId, h->zHouseholdId) == 0) {
      if (l->a[i].score >= h->score)
        return;
      memmove(&l->a[i], &l->a[i + 1], sizeof *l->a * (size_t)(l->n - i - 1));
      l->n--;
      break;
    }
  }
  if (l->n == l->nAlloc) {
    l->nAlloc = l->nAlloc ? 2 * l->nAlloc : 8;
    l->a = sws_realloc(l->a, sizeof *l->a * (size_t)l->nAlloc);
  }
  for (i = l->n; i > 0 && l->a[i - 1].score < h->score; i--)
    l->a[i] = l->a[i - 1];
  l->a[i] = *h;
  l->n++;
}

/* A small open-addressing set of member rids already compared. */
struct rid_set {
  int64_t *a;
  size_t cap, n;
};

static int rid_seen(struct rid_set *s, int64_t rid)
{
  if (s->n * 2 >= s->cap) {
    struct rid_set t = {NULL, s->cap ? s->cap * 2 : 256, 0};
    t.a = sws_calloc(t.cap, sizeof *t.a);
    for (size_t i = 0; i < s->cap; i++)
      if (s->a[i])
        rid_seen(&t, s->a[i]);
    free(s->a);
    *s = t;
  }
  size_t i = (size_t)((uint64_t)rid * 0x9e3779b97f4a7c15ull >> 7) % s->cap;
  while (s->a[i]) {
    if (s->a[i] == rid)
      return 1;
    i = (i + 1) % s->cap;
  }
  s->a[i] = rid;
  s->n++;
  return 0;
}

/*
 * By the rule in match.h a pair is a possible duplicate only with the same
 * national ID or names at least MATCH_NAME_MIN similar (two different IDs
 * need even more, MATCH_NAME_NEAR). So a candidate who lacks an ID (or the
 * person does) with a less similar name cannot match, and is dropped before
 * its household is read; pairs with two IDs always go to match_persons().
 */
/* (MATCH_NAME_NEAR >= MATCH_NAME_MIN: test_match checks it, since C11
 * cannot compare floating constants in a static assertion.) */

static int may_match(const struct match_person *p, struct memo *memo,
                     const char *zName, const char *zNationalId)
{
  double sim;
  if (p->zNationalId && p->zNationalId[0] && zNationalId && zNationalId[0])
    return 1;
  /* common names come back many times in one lookup: compare each once */
  if (!memo_get(memo, zName, &sim)) {
    sim = name_similarity(p->zName, zName, NULL);
    memo_put(memo, zName, sim);
  }
  return sim >= MATCH_NAME_MIN;
}

#define CANDIDATE_COLS                                                        \
  "m.rid, m.name, m.sex, m.born, m.national_id, h.area_code, h.regno, "      \
  "h.id, m.line_no, h.status "

/* Score the candidate in the current row of q against p. */
static void consider(sqlite3_stmt *q, const struct match_person *p,
                     const char *zExcludeId, struct dedup_list *out)
{
  if (zExcludeId && strcmp(db_col_str(q, 7), zExcludeId) == 0)
    return;
  struct match_person c = {db_col_str(q, 1), db_col_str(q, 2)[0],
                           db_col_str(q, 3), db_col_str(q, 5),
                           db_col_text(q, 4)};
  struct match_result r;
  match_persons(p, &c, &r);
  if (!r.is_match)
    return;
  struct dedup_hit h;
  memset(&h, 0, sizeof h);
  sws_strlcpy(h.zHouseholdId, db_col_str(q, 7), sizeof h.zHouseholdId);
  sws_strlcpy(h.zRegno, db_col_str(q, 6), sizeof h.zRegno);
  h.line_no = (int)db_col_int64(q, 8);
  sws_strlcpy(h.zName, c.zName, sizeof h.zName);
  sws_strlcpy(h.zBorn, c.zBorn, sizeof h.zBorn);
  sws_strlcpy(h.zArea, c.zArea, sizeof h.zArea);
  sws_strlcpy(h.zInput, p->zName, sizeof h.zInput);
  h.inactive = strcmp(db_col_str(q, 9), "active") != 0;
  h.score = r.score;
  sws_strlcpy(h.zReasons, r.reasons, sizeof h.zReasons);
  add_hit(out, &h);
}

/* Read member rid with its household and score it against p. */
static int consider_rid(struct sws_ctx *ctx, int64_t rid,
                        const struct match_person *p, const char *zExcludeId,
                        struct dedup_list *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT " CANDIDATE_COLS "FROM member m JOIN household "
                      "h ON h.id = m.household_id WHERE m.rid = :rid",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":rid", rid);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    consider(q, p, zExcludeId, out);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_dedup_person(struct sws_ctx *ctx, const struct match_person *p,
                       const char *zExcludeId, struct dedup_list *out,
                       struct sws_err *err)
{
  struct rid_set seen = {NULL, 0, 0};
  struct memo memo = MEMO_INIT;
  int64_t *aRid = NULL; /* candidates that may match, in the order found */
  size_t nRid = 0, nRidAlloc = 0;
  sqlite3_stmt *q = NULL;
  json_t *keys = NULL;
  char *zKeys = NULL;
  int rc = 0;
  int year = (int)strtol(p->zBorn, NULL, 10);

  if (p->zNationalId && p->zNationalId[0]) {
    rc = db_prepare(ctx->db, &q,
                    "SELECT " CANDIDATE_COLS "FROM member m JOIN household h "
                    "ON h.id = m.household_id WHERE m.national_id = :nid",
                    err);
    if (rc != 0)
      goto done;
    db_bind_text(q, ":nid", p->zNationalId);
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
      if (!rid_seen(&seen, db_col_int64(q, 0)))
        consider(q, p, zExcludeId, out);
    db_done(ctx->db, q);
    q = NULL;
    if (rc < 0)
      goto done;
  }

  zKeys = name_keys_json(p->zName);
  keys = json_loads(zKeys, 0, NULL);
  if (!json_is_array(keys)) {
    rc = sws_err_set(err, SWS_EINVAL, "cannot compute the name keys of '%s'",
                     p->zName);
    goto done;
  }
  /* first the members sharing a key, without their households: most are
   * dropped on the name alone, read from the key rows themselves (each
   * carries the name and ID, schema/office/0009): hundreds of B-tree
   * searches for names kept elsewhere were most of a check's time at a
   * million people */
  rc = db_prepare(ctx->db, &q,
                  "SELECT member_rid, name, national_id FROM member_key "
                  "WHERE key = :key AND sex = :sex "
                  "AND birth_year BETWEEN :y0 AND :y1",
                  err);
  if (rc != 0)
    goto done;
  size_t i;
  json_t *k;
  char zSex[2] = {p->sex, 0};
  json_array_foreach(keys, i, k)
  {
    if (!json_is_string(k))
      continue;
    db_bind_text(q, ":key", json_string_value(k));
    db_bind_text(q, ":sex", zSex);
    db_bind_int64(q, ":y0", year - 2);
    db_bind_int64(q, ":y1", year + 2);
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
      int64_t rid = db_col_int64(q, 0);
      if (rid_seen(&seen, rid) ||
          !may_match(p, &memo, db_col_str(q, 1), db_col_text(q, 2)))
        continue;
      if (nRid == nRidAlloc) {
        nRidAlloc = nRidAlloc ? 2 * nRidAlloc : 64;
        aRid = sws_realloc(aRid, sizeof *aRid * nRidAlloc);
      }
      aRid[nRid++] = rid;
    }
    sqlite3_reset(q);
    if (rc < 0)
      goto done;
  }
  db_done(ctx->db, q);
  q = NULL;
  /* then the few that may match, with their households, through the rule */
  rc = 0;
  for (size_t j = 0; j < nRid && rc == 0; j++)
    rc = consider_rid(ctx, aRid[j], p, zExcludeId, out, err);
done:
  db_done(ctx->db, q);
  json_decref(keys);
  free(zKeys);
  free(seen.a);
  free(aRid);
  memo_release(&memo);
  return rc;
}
