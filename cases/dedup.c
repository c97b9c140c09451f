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

/* Member rids, open addressing (0 marks a free slot: rids start at 1),
 * each with a value or not: the rids one check has compared (no values)
 * and the candidates a cache holds. */
struct rid_map {
  int64_t *aRid;
  void **aVal; /* NULL for a set */
  size_t cap, n;
};

/* The slot of rid, or the free slot where it belongs (cap > n). */
static size_t rid_slot(const struct rid_map *m, int64_t rid)
{
  size_t i = (size_t)((uint64_t)rid * 0x9e3779b97f4a7c15ull >> 7) % m->cap;
  while (m->aRid[i] && m->aRid[i] != rid)
    i = (i + 1) % m->cap;
  return i;
}

/* Make room for one more rid, keeping half the slots free. */
static void rid_reserve(struct rid_map *m, int bValues)
{
  if (m->cap && (m->n + 1) * 2 <= m->cap)
    return;
  struct rid_map t = {NULL, NULL, m->cap ? m->cap * 2 : 256, m->n};
  t.aRid = sws_calloc(t.cap, sizeof *t.aRid);
  if (bValues)
    t.aVal = sws_calloc(t.cap, sizeof *t.aVal);
  for (size_t i = 0; i < m->cap; i++)
    if (m->aRid[i]) {
      size_t j = rid_slot(&t, m->aRid[i]);
      t.aRid[j] = m->aRid[i];
      if (bValues)
        t.aVal[j] = m->aVal[i];
    }
  free(m->aRid);
  free(m->aVal);
  *m = t;
}

/* 1 if rid was in the set already, else 0 (and it is now). */
static int rid_seen(struct rid_map *s, int64_t rid)
{
  rid_reserve(s, 0);
  size_t i = rid_slot(s, rid);
  if (s->aRid[i])
    return 1;
  s->aRid[i] = rid;
  s->n++;
  return 0;
}

/* Free m and the values it holds. */
static void rid_map_release(struct rid_map *m)
{
  if (m->aVal)
    for (size_t i = 0; i < m->cap; i++)
      free(m->aVal[i]);
  free(m->aRid);
  free(m->aVal);
  memset(m, 0, sizeof *m);
}

/* A candidate as the rule reads it: a member with their household. */
struct cand {
  int64_t rid;
  const char *zName, *zBorn, *zNationalId, *zArea, *zRegno, *zHouseholdId;
  char sex;
  int line_no;
  int inactive; /* the household is deactivated */
};

#define CANDIDATE_COLS                                                        \
  "m.rid, m.name, m.sex, m.born, m.national_id, h.area_code, h.regno, "      \
  "h.id, m.line_no, h.status "

/* The candidate in the current row of a query of CANDIDATE_COLS (valid
 * until the next step). */
static void cand_from_row(sqlite3_stmt *q, struct cand *c)
{
  c->rid = db_col_int64(q, 0);
  c->zName = db_col_str(q, 1);
  c->sex = db_col_str(q, 2)[0];
  c->zBorn = db_col_str(q, 3);
  c->zNationalId = db_col_text(q, 4);
  c->zArea = db_col_str(q, 5);
  c->zRegno = db_col_str(q, 6);
  c->zHouseholdId = db_col_str(q, 7);
  c->line_no = (int)db_col_int64(q, 8);
  c->inactive = strcmp(db_col_str(q, 9), "active") != 0;
}

/* A kept candidate: its strings follow it in the same allocation. */
struct dedup_cache_entry {
  struct cand c;
  char z[];
};

struct dedup_cache {
  struct rid_map map; /* rid -> struct dedup_cache_entry * */
  size_t nMax;
  int64_t audit;                  /* the last audit row seen */
  int bAudit;                     /* audit is set */
  char zOwnOp[SWS_UUID_LEN + 1]; /* the caller's last operation */
  struct dedup_cache_stats stats;
};

struct dedup_cache *dedup_cache_new(size_t nMax)
{
  struct dedup_cache *c = sws_calloc(1, sizeof *c);
  c->nMax = nMax ? nMax : 1;
  return c;
}

static void cache_empty(struct dedup_cache *c)
{
  rid_map_release(&c->map);
  c->stats.nReset++;
}

void dedup_cache_free(struct dedup_cache *c)
{
  if (c == NULL)
    return;
  rid_map_release(&c->map);
  free(c);
}

const struct dedup_cache_stats *dedup_cache_stats(const struct dedup_cache *c)
{
  return &c->stats;
}

/*
 * Every write to households and members is part of an operation, and every
 * operation ends with one audit row (schema/office/0001), so the audit rows
 * since the last check say whether anyone wrote: rows of the caller's own
 * operation (ctx->zOpId, noted while it is in progress) change no row the
 * cache holds; any other is someone else's and empties it.
 */
int dedup_cache_check(struct sws_ctx *ctx, struct dedup_cache *c,
                      struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc, bOther = 0;
  if (ctx->bInOp && ctx->zOpId[0])
    sws_strlcpy(c->zOwnOp, ctx->zOpId, sizeof c->zOwnOp);
  if (!c->bAudit) {
    c->bAudit = 1;
    return db_int64(ctx->db, &c->audit, 0,
                    "SELECT coalesce(max(id), 0) FROM audit_log", err);
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, op_id FROM audit_log WHERE id > :seen "
                       "ORDER BY id",
                       err)) != 0)
    return rc;
  db_bind_int64(q, ":seen", c->audit);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    c->audit = db_col_int64(q, 0);
    if (strcmp(db_col_str(q, 1), c->zOwnOp) != 0)
      bOther = 1;
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (bOther && c->map.n > 0)
    cache_empty(c);
  return SWS_OK;
}

static const struct cand *cache_get(const struct dedup_cache *c, int64_t rid)
{
  if (c->map.n == 0)
    return NULL;
  size_t i = rid_slot(&c->map, rid);
  return c->map.aRid[i] ? &((struct dedup_cache_entry *)c->map.aVal[i])->c
                        : NULL;
}

/* Copy s to *pz and return the copy, moving *pz past it. */
static const char *put_str(char **pz, const char *s)
{
  size_t n = strlen(s) + 1;
  char *z = memcpy(*pz, s, n);
  *pz += n;
  return z;
}

static void cache_put(struct dedup_cache *c, const struct cand *cd)
{
  const char *zNid = cd->zNationalId ? cd->zNationalId : "";
  size_t n = strlen(cd->zName) + strlen(cd->zBorn) + strlen(zNid) +
             strlen(cd->zArea) + strlen(cd->zRegno) +
             strlen(cd->zHouseholdId) + 6;
  if (c->map.n >= c->nMax)
    cache_empty(c);
  struct dedup_cache_entry *e = sws_malloc(sizeof *e + n);
  char *z = e->z;
  e->c = *cd;
  e->c.zName = put_str(&z, cd->zName);
  e->c.zBorn = put_str(&z, cd->zBorn);
  e->c.zNationalId = cd->zNationalId ? put_str(&z, zNid) : NULL;
  e->c.zArea = put_str(&z, cd->zArea);
  e->c.zRegno = put_str(&z, cd->zRegno);
  e->c.zHouseholdId = put_str(&z, cd->zHouseholdId);
  rid_reserve(&c->map, 1);
  size_t i = rid_slot(&c->map, cd->rid);
  if (c->map.aRid[i] == 0) {
    c->map.aRid[i] = cd->rid;
    c->map.n++;
  } else {
    free(c->map.aVal[i]);
  }
  c->map.aVal[i] = e;
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

/* Score candidate c against p. */
static void consider(const struct cand *c, const struct match_person *p,
                     const char *zExcludeId, struct dedup_list *out)
{
  if (zExcludeId && strcmp(c->zHouseholdId, zExcludeId) == 0)
    return;
  struct match_person o = {c->zName, c->sex, c->zBorn, c->zArea,
                           c->zNationalId};
  struct match_result r;
  match_persons(p, &o, &r);
  if (!r.is_match)
    return;
  struct dedup_hit h;
  memset(&h, 0, sizeof h);
  sws_strlcpy(h.zHouseholdId, c->zHouseholdId, sizeof h.zHouseholdId);
  sws_strlcpy(h.zRegno, c->zRegno, sizeof h.zRegno);
  h.line_no = c->line_no;
  sws_strlcpy(h.zName, c->zName, sizeof h.zName);
  sws_strlcpy(h.zBorn, c->zBorn, sizeof h.zBorn);
  sws_strlcpy(h.zArea, c->zArea, sizeof h.zArea);
  sws_strlcpy(h.zInput, p->zName, sizeof h.zInput);
  h.inactive = c->inactive;
  h.score = r.score;
  sws_strlcpy(h.zReasons, r.reasons, sizeof h.zReasons);
  add_hit(out, &h);
}

/* Score member rid (from the cache, else read with its household and then
 * kept) against p. */
static int consider_rid(struct sws_ctx *ctx, int64_t rid,
                        const struct match_person *p, const char *zExcludeId,
                        struct dedup_cache *cache, struct dedup_list *out,
                        struct sws_err *err)
{
  const struct cand *kept = cache ? cache_get(cache, rid) : NULL;
  if (kept) {
    cache->stats.nHit++;
    consider(kept, p, zExcludeId, out);
    return SWS_OK;
  }
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT " CANDIDATE_COLS "FROM member m JOIN household "
                      "h ON h.id = m.household_id WHERE m.rid = :rid",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":rid", rid);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct cand c;
    cand_from_row(q, &c);
    consider(&c, p, zExcludeId, out);
    if (cache) {
      cache->stats.nMiss++;
      cache_put(cache, &c);
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_dedup_person(struct sws_ctx *ctx, const struct match_person *p,
                       const char *zExcludeId, struct dedup_cache *cache,
                       struct dedup_list *out, struct sws_err *err)
{
  struct rid_map seen = {NULL, NULL, 0, 0};
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
    while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
      struct cand c;
      cand_from_row(q, &c);
      if (!rid_seen(&seen, c.rid))
        consider(&c, p, zExcludeId, out);
    }
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
    rc = consider_rid(ctx, aRid[j], p, zExcludeId, cache, out, err);
done:
  db_done(ctx->db, q);
  json_decref(keys);
  free(zKeys);
  rid_map_release(&seen);
  free(aRid);
  memo_release(&memo);
  return rc;
}
