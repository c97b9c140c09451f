/*
 * review.c - possible duplicates in this office and their decisions (see
 * review.h). The queue is read oldest first so that a page stays the same
 * page while new pairs are raised.
 */
#include "cases/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/label.h"
#include "cases/permit.h"
#include "cases/user.h"
#include "core/db.h"
#include "core/mem.h"
#include "core/text.h"

#define PAIR_COLS                                                              \
  "f.id, f.status, f.source, f.score, f.reasons, f.note, f.created_at, "       \
  "a.id, a.regno, a.area_code, a.status, b.id, b.regno, b.area_code, "         \
  "b.status, coalesce(f.decided_at, ''), coalesce(f.decided_by, ''), "         \
  "f.decision_reason, coalesce(m.state, ''), coalesce(m.answer, ''), "         \
  "coalesce(s.regno, ''), coalesce(f.member_line, 0), "                        \
  "coalesce(f.other_member_line, 0) FROM duplicate_flag f JOIN household a "   \
  "ON a.id = f.household_id JOIN household b ON b.id = "                       \
  "f.other_household_id LEFT JOIN duplicate_merge m ON m.flag_id = f.id "      \
  "LEFT JOIN household s ON s.id = m.survivor_id "

/* Member `line` of the side's household (0: its head) as people name
 * them (label.h). */
static void member_label(struct sws_ctx *ctx, struct review_side *s,
                         int64_t line)
{
  sqlite3_stmt *q;
  char zMember[SWS_UUID_LEN + 1] = "";
  if (db_prepare(ctx->db, &q,
                 "SELECT id FROM member WHERE household_id = :hh ORDER BY "
                 "line_no != :line, relationship != 'head', line_no LIMIT 1",
                 NULL) == 0) {
    db_bind_text(q, ":hh", s->zId);
    db_bind_int64(q, ":line", line);
    if (db_step(ctx->db, q, NULL) == DB_ROW)
      sws_strlcpy(zMember, db_col_str(q, 0), sizeof zMember);
    db_done(ctx->db, q);
  }
  if (zMember[0])
    cases_record_label(ctx, "member", zMember, s->zPerson, sizeof s->zPerson);
  else
    snprintf(s->zPerson, sizeof s->zPerson, "household %s", s->zRegno);
}

static void side_read(sqlite3_stmt *q, int i, struct review_side *s)
{
  sws_strlcpy(s->zId, db_col_str(q, i), sizeof s->zId);
  sws_strlcpy(s->zRegno, db_col_str(q, i + 1), sizeof s->zRegno);
  sws_strlcpy(s->zArea, db_col_str(q, i + 2), sizeof s->zArea);
  sws_strlcpy(s->zStatus, db_col_str(q, i + 3), sizeof s->zStatus);
}

static void pair_read(struct sws_ctx *ctx, sqlite3_stmt *q,
                      struct review_pair *p)
{
  memset(p, 0, sizeof *p);
  p->id = db_col_int64(q, 0);
  sws_strlcpy(p->zStatus, db_col_str(q, 1), sizeof p->zStatus);
  sws_strlcpy(p->zSource, db_col_str(q, 2), sizeof p->zSource);
  p->score = db_col_double(q, 3);
  sws_strlcpy(p->zReasons, db_col_str(q, 4), sizeof p->zReasons);
  sws_strlcpy(p->zNote, db_col_str(q, 5), sizeof p->zNote);
  sws_strlcpy(p->zCreatedAt, db_col_str(q, 6), sizeof p->zCreatedAt);
  side_read(q, 7, &p->a);
  side_read(q, 11, &p->b);
  sws_strlcpy(p->zDecidedAt, db_col_str(q, 15), sizeof p->zDecidedAt);
  sws_strlcpy(p->zDecidedBy, db_col_str(q, 16), sizeof p->zDecidedBy);
  sws_strlcpy(p->zReason, db_col_str(q, 17), sizeof p->zReason);
  sws_strlcpy(p->zMerge, db_col_str(q, 18), sizeof p->zMerge);
  sws_strlcpy(p->zAnswer, db_col_str(q, 19), sizeof p->zAnswer);
  sws_strlcpy(p->zSurvivorRegno, db_col_str(q, 20), sizeof p->zSurvivorRegno);
  member_label(ctx, &p->a, db_col_int64(q, 21));
  member_label(ctx, &p->b, db_col_int64(q, 22));
}

static int filter_check(struct sws_ctx *ctx, const struct review_filter *f,
                        struct sws_err *err)
{
  struct area a;
  if (f->zSource && strcmp(f->zSource, "counter") != 0 &&
      strcmp(f->zSource, "import") != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "unknown source '%s'; give counter "
                       "or import",
                       f->zSource);
  if (f->zVillage && cases_area_get(ctx, f->zVillage, &a, NULL) != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "no area '%s' in this office; 'sws "
                       "area list' shows the codes",
                       f->zVillage);
  if (f->limit < 0 || f->limit > REVIEW_PAGE_MAX || f->offset < 0)
    return sws_err_set(err, SWS_EINVAL, "a page holds 1 to %d pairs",
                       REVIEW_PAGE_MAX);
  return SWS_OK;
}

static void filter_bind(sqlite3_stmt *q, const struct review_filter *f)
{
  db_bind_int64(q, ":all", f->bAll ? 1 : 0);
  db_bind_text(q, ":src", f->zSource);
  db_bind_text(q, ":vil", f->zVillage);
}

#define FILTER_WHERE                                                           \
  "WHERE (:all OR f.status = 'open') AND (:src IS NULL OR f.source = :src) "   \
  "AND (:vil IS NULL OR a.area_code = :vil OR b.area_code = :vil) "

int cases_review_list(struct sws_ctx *ctx, const struct review_filter *f,
                      int (*fn)(const struct review_pair *, void *), void *arg,
                      int64_t *pTotal, struct sws_err *err)
{
  sqlite3_stmt *q;
  struct review_pair *p;
  int rc;
  if ((rc = filter_check(ctx, f, err)) != 0)
    return rc;
  if (pTotal) {
    if ((rc = db_prepare(
             ctx->db, &q,
             "SELECT count(*) FROM duplicate_flag f JOIN "
             "household a ON a.id = f.household_id JOIN "
             "household b ON b.id = f.other_household_id " FILTER_WHERE,
             err)) != 0)
      return rc;
    filter_bind(q, f);
    rc = db_step(ctx->db, q, err);
    *pTotal = rc == DB_ROW ? db_col_int64(q, 0) : 0;
    db_done(ctx->db, q);
    if (rc < 0)
      return rc;
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT " PAIR_COLS FILTER_WHERE
                       "ORDER BY f.id LIMIT :lim OFFSET :off",
                       err)) != 0)
    return rc;
  filter_bind(q, f);
  db_bind_int64(q, ":lim", f->limit > 0 ? f->limit : REVIEW_PAGE_MAX);
  db_bind_int64(q, ":off", f->offset);
  p = sws_malloc(sizeof *p);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    pair_read(ctx, q, p);
    if (fn(p, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  free(p);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_review_counts(struct sws_ctx *ctx, struct review_counts *out,
                        struct sws_err *err)
{
  sqlite3_stmt *q;
  memset(out, 0, sizeof *out);
  int rc = db_prepare(ctx->db, &q,
                      "SELECT count(*), coalesce(sum(source = 'counter'), 0), "
                      "coalesce(sum(source = 'import'), 0), (SELECT count(*) "
                      "FROM duplicate_merge WHERE state IN ('waiting', "
                      "'accepted')) FROM duplicate_flag WHERE status = 'open'",
                      err);
  if (rc != 0)
    return rc;
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    out->nOpen = db_col_int64(q, 0);
    out->nCounter = db_col_int64(q, 1);
    out->nImport = db_col_int64(q, 2);
    out->nWaiting = db_col_int64(q, 3);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_review_get(struct sws_ctx *ctx, int64_t id, struct review_pair *out,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, "SELECT " PAIR_COLS "WHERE f.id = :id", err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":id", id);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    pair_read(ctx, q, out);
  db_done(ctx->db, q);
  if (rc == DB_DONE)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "no possible duplicate %lld; "
                       "'sws duplicate list' shows the open ones",
                       (long long)id);
  return rc < 0 ? rc : SWS_OK;
}

int cases_review_pending(struct sws_ctx *ctx, const char *zId, char *zOther,
                         size_t n, int *pbMerged)
{
  sqlite3_stmt *q;
  int bFound = 0;
  if (db_prepare(ctx->db, &q,
                 "SELECT m.merged_id = :id, CASE WHEN m.merged_id = :id THEN "
                 "s.regno ELSE mm.regno END FROM duplicate_merge m JOIN "
                 "household s ON s.id = m.survivor_id JOIN household mm ON "
                 "mm.id = m.merged_id WHERE m.state IN ('waiting', "
                 "'accepted') AND (m.survivor_id = :id OR m.merged_id = "
                 ":id) ORDER BY m.merged_id = :id DESC LIMIT 1",
                 NULL) != 0)
    return 0;
  db_bind_text(q, ":id", zId);
  if (db_step(ctx->db, q, NULL) == DB_ROW) {
    bFound = 1;
    *pbMerged = (int)db_col_int64(q, 0);
    sws_strlcpy(zOther, db_col_str(q, 1), n);
  }
  db_done(ctx->db, q);
  return bFound;
}

int cases_review_banner(struct sws_ctx *ctx, const char *zId, char *zOut,
                        size_t n)
{
  char zOther[SWS_NUMBER_MAX];
  int bMerged = 0;
  if (!cases_review_pending(ctx, zId, zOther, sizeof zOther, &bMerged))
    return 0;
  if (bMerged)
    snprintf(zOut, n,
             "proposed for merging into %s, waiting for the "
             "registry",
             zOther);
  else
    snprintf(zOut, n,
             "%s is proposed for merging into this household, "
             "waiting for the registry",
             zOther);
  return 1;
}

/* For a pair decided the same family: which household stays (the one
 * registered first) into *ppSurv, the other into *ppMerged; refused when
 * either is no longer active or already in a merge not back yet. */
static int merge_sides(struct sws_ctx *ctx, const struct review_pair *p,
                       const struct review_side **ppSurv,
                       const struct review_side **ppMerged, struct sws_err *err)
{
  const struct review_side *aSide[2] = {&p->a, &p->b};
  int64_t nFirst = 0;
  int rc = SWS_OK;
  for (int i = 0; i < 2; i++) {
    char zOther[SWS_NUMBER_MAX];
    int bMerged = 0;
    if (strcmp(aSide[i]->zStatus, "active") != 0)
      return sws_err_set(err, SWS_ECONFLICT,
                         "%s is no longer active ('sws "
                         "household show %s' says why); decide the pair "
                         "different families or leave it",
                         aSide[i]->zRegno, aSide[i]->zRegno);
    if (cases_review_pending(ctx, aSide[i]->zId, zOther, sizeof zOther,
                             &bMerged) &&
        bMerged)
      return sws_err_set(err, SWS_ECONFLICT,
                         "%s is already proposed for "
                         "merging into %s; wait until the registry answers",
                         aSide[i]->zRegno, zOther);
  }
  sqlite3_stmt *q;
  /* registered first: the earlier time, then the lower number */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT count(*) FROM household a, household b WHERE "
                       "a.id = :a AND b.id = :b AND (a.created_at < "
                       "b.created_at OR (a.created_at = b.created_at AND "
                       "a.regno < b.regno))",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":a", p->a.zId);
  db_bind_text(q, ":b", p->b.zId);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    nFirst = db_col_int64(q, 0);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  *ppSurv = nFirst ? &p->a : &p->b;
  *ppMerged = nFirst ? &p->b : &p->a;
  return SWS_OK;
}

static int flag_close(struct sws_ctx *ctx, int64_t id, const char *zStatus,
                      const char *zReason, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "UPDATE duplicate_flag SET status = :st, decided_at = "
                      "sws_now(), decided_by = sws_actor(), decision_reason "
                      "= :r WHERE id = :id",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":st", zStatus);
  db_bind_text(q, ":r", zReason);
  db_bind_int64(q, ":id", id);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

static int merge_ask(struct sws_ctx *ctx, int64_t id,
                     const struct review_side *s, const struct review_side *m,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  char zRequest[SWS_UUID_LEN + 1];
  sws_uuid7(zRequest);
  /* a pair refused before is asked again under a new request */
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO duplicate_merge(flag_id, request_id, "
                      "survivor_id, merged_id, asked_at) VALUES (:f, :r, "
                      ":s, :m, sws_now()) ON CONFLICT(flag_id) DO UPDATE "
                      "SET request_id = :r, survivor_id = :s, merged_id = "
                      ":m, state = 'waiting', answer = '', attempts = 0, "
                      "asked_at = sws_now(), answered_at = NULL",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":f", id);
  db_bind_text(q, ":r", zRequest);
  db_bind_text(q, ":s", s->zId);
  db_bind_text(q, ":m", m->zId);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_review_may_decide(int role)
{
  return cases_permit_allows(role, CAP_REVIEW);
}

int cases_review_decide(struct sws_ctx *ctx, int64_t id, int bSame,
                        const char *zReason, int role, struct sws_err *err)
{
  struct review_pair *p = NULL;
  const struct review_side *s = NULL, *m = NULL;
  char *zWhy = sws_trim(zReason ? zReason : "");
  char *zDetail = NULL;
  int rc;
  if (!cases_review_may_decide(role)) {
    rc = sws_err_set(err, SWS_EPERM,
                     "possible duplicates are decided by a "
                     "supervisor (or the office administrator); ask one, or "
                     "act as one with --as LOGIN");
    goto out;
  }
  if (!bSame && zWhy[0] == '\0') {
    rc = sws_err_set(err, SWS_EINVAL,
                     "say why these are two families "
                     "(--reason): the reason is kept with the decision");
    goto out;
  }
  if ((rc = sws_text_check("the reason", zWhy, REVIEW_REASON_MAX, 0, err)) !=
          0 ||
      (rc = cases_op_begin(ctx, "duplicate.decide", err)) != 0)
    goto out;
  /* read inside the operation: two supervisors cannot both decide it */
  p = sws_malloc(sizeof *p);
  memset(p, 0, sizeof *p);
  if ((rc = cases_review_get(ctx, id, p, err)) != 0)
    goto done;
  if (strcmp(p->zStatus, "open") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "possible duplicate %lld was "
                     "already decided (%s, by %s on %.10s); nothing was "
                     "changed",
                     (long long)id,
                     strcmp(p->zStatus, "same") == 0 ? "same family"
                                                     : "different families",
                     p->zDecidedBy[0] ? p->zDecidedBy : "the counter",
                     p->zDecidedAt[0] ? p->zDecidedAt : p->zCreatedAt);
    goto done;
  }
  if (bSame && (rc = merge_sides(ctx, p, &s, &m, err)) != 0)
    goto done;
  if ((rc = flag_close(ctx, id, bSame ? "same" : "different", zWhy, err)) != 0)
    goto done;
  if (bSame && (rc = merge_ask(ctx, id, s, m, err)) != 0)
    goto done;
  if (bSame)
    zDetail = sws_mprintf("possible duplicate %lld: %s and %s decided the "
                          "same family; %s proposed for merging into %s "
                          "(sent to the registry with the next sync)%s%s",
                          (long long)id, p->a.zRegno, p->b.zRegno, m->zRegno,
                          s->zRegno, zWhy[0] ? ": " : "", zWhy);
  else
    zDetail = sws_mprintf("possible duplicate %lld: %s and %s decided "
                          "different families: %s",
                          (long long)id, p->a.zRegno, p->b.zRegno, zWhy);
done:
  rc = cases_op_end(ctx, rc, "household", p && p->a.zId[0] ? p->a.zId : NULL,
                    zDetail, err);
out:
  free(p);
  free(zWhy);
  free(zDetail);
  return rc;
}

int cases_review_merges_waiting(struct sws_ctx *ctx, int nMax,
                                struct review_merge **paOut, int *pn,
                                struct sws_err *err)
{
  sqlite3_stmt *q;
  *paOut = NULL;
  *pn = 0;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT m.request_id, m.survivor_id, m.merged_id, "
                      "s.regno, mm.regno, coalesce(f.decided_by, ''), "
                      "f.decision_reason FROM duplicate_merge m JOIN "
                      "duplicate_flag f ON f.id = m.flag_id JOIN "
                      "household s ON s.id = m.survivor_id JOIN household "
                      "mm ON mm.id = m.merged_id WHERE m.state = 'waiting' "
                      "ORDER BY m.asked_at, m.flag_id LIMIT :n",
                      err);
  if (rc != 0)
    return rc;
  db_bind_int64(q, ":n", nMax);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct review_merge *r;
    *paOut = sws_realloc(*paOut, sizeof **paOut * (size_t)(*pn + 1));
    r = &(*paOut)[(*pn)++];
    sws_strlcpy(r->zRequest, db_col_str(q, 0), sizeof r->zRequest);
    sws_strlcpy(r->zSurvivor, db_col_str(q, 1), sizeof r->zSurvivor);
    sws_strlcpy(r->zMerged, db_col_str(q, 2), sizeof r->zMerged);
    sws_strlcpy(r->zSurvivorRegno, db_col_str(q, 3), sizeof r->zSurvivorRegno);
    sws_strlcpy(r->zMergedRegno, db_col_str(q, 4), sizeof r->zMergedRegno);
    sws_strlcpy(r->zBy, db_col_str(q, 5), sizeof r->zBy);
    sws_strlcpy(r->zReason, db_col_str(q, 6), sizeof r->zReason);
  }
  db_done(ctx->db, q);
  if (rc < 0) {
    free(*paOut);
    *paOut = NULL;
    *pn = 0;
    return rc;
  }
  return SWS_OK;
}

int cases_review_merge_answer(struct sws_ctx *ctx, const char *zRequest,
                              int bMerged, const char *zAnswer,
                              struct sws_err *err)
{
  sqlite3_stmt *q;
  int64_t flag = 0;
  char zMergedId[SWS_UUID_LEN + 1] = "", zWhat[120] = "";
  int rc = db_prepare(ctx->db, &q,
                      "SELECT m.flag_id, m.merged_id, mm.regno || ' into ' "
                      "|| s.regno FROM duplicate_merge m JOIN household s "
                      "ON s.id = m.survivor_id JOIN household mm ON mm.id = "
                      "m.merged_id WHERE m.request_id = :r AND m.state = "
                      "'waiting'",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":r", zRequest);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    flag = db_col_int64(q, 0);
    sws_strlcpy(zMergedId, db_col_str(q, 1), sizeof zMergedId);
    sws_strlcpy(zWhat, db_col_str(q, 2), sizeof zWhat);
  }
  db_done(ctx->db, q);
  if (rc < 0 || flag == 0)
    return rc < 0 ? rc : SWS_OK; /* answered before: nothing to do */
  char zWhy[501];
  sws_strlcpy(zWhy, zAnswer ? zAnswer : "", sizeof zWhy);
  char *zDetail = NULL;
  if ((rc = cases_op_begin(ctx, "duplicate.merge_answer", err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE duplicate_merge SET state = :st, answer = :a, "
                       "answered_at = sws_now(), attempts = attempts + 1 "
                       "WHERE request_id = :r",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":st", bMerged ? "accepted" : "refused");
  db_bind_text(q, ":a", zWhy);
  db_bind_text(q, ":r", zRequest);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto done;
  rc = SWS_OK;
  /* refused: the pair is open again, the registry's reason beside it */
  if (!bMerged) {
    if ((rc = db_prepare(ctx->db, &q,
                         "UPDATE duplicate_flag SET status = 'open', "
                         "decided_at = NULL, decided_by = NULL, "
                         "decision_reason = '' WHERE id = :id",
                         err)) != 0)
      goto done;
    db_bind_int64(q, ":id", flag);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
    if (rc < 0)
      goto done;
    rc = SWS_OK;
  }
  zDetail = bMerged ? sws_mprintf("the registry merged %s as asked "
                                  "(possible duplicate %lld)",
                                  zWhat, (long long)flag)
                    : sws_mprintf("the registry refused to merge %s "
                                  "(possible duplicate %lld, open again): %s",
                                  zWhat, (long long)flag, zWhy);
done:
  rc = cases_op_end(ctx, rc, "household", zMergedId, zDetail, err);
  free(zDetail);
  return rc;
}

int cases_review_merge_done(struct sws_ctx *ctx, const char *zSurvivor,
                            const char *zMerged, struct sws_err *err)
{
  sqlite3_stmt *q;
  /* either way round: merged so by the registry before the request went,
   * the request is answered and not sent */
  int rc = db_prepare(ctx->db, &q,
                      "UPDATE duplicate_merge SET state = 'merged', "
                      "answered_at = coalesce(answered_at, sws_now()) WHERE "
                      "state IN ('waiting', 'accepted') AND ((survivor_id = "
                      ":s AND merged_id = :m) OR (survivor_id = :m AND "
                      "merged_id = :s))",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":s", zSurvivor);
  db_bind_text(q, ":m", zMerged);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* the registry decided the pair: it leaves the queue here too */
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE duplicate_flag SET status = 'same', "
                       "decided_at = sws_now(), decided_by = 'central "
                       "registry', decision_reason = 'merged by the central "
                       "registry' WHERE status = 'open' AND "
                       "((household_id = :s AND other_household_id = :m) OR "
                       "(household_id = :m AND other_household_id = :s))",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":s", zSurvivor);
  db_bind_text(q, ":m", zMerged);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}
