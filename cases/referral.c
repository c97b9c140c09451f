/*
 * referral.c - referrals as event logs (see referral.h).
 */
#include "cases/referral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/fsm.h"
#include "cases/household.h"
#include "cases/office.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

static const struct fsm_transition REFERRAL_T[] = {
    {"pending", "sent", "sent"},
    {"pending", "cancelled", "cancelled"},
    {"sent", "accepted", "accepted"},
    {"sent", "declined", "declined"},
    {"accepted", "completed", "completed"},
};

static const struct fsm REFERRAL_FSM = {
    "referral", "pending", REFERRAL_T,
    (int)(sizeof REFERRAL_T / sizeof REFERRAL_T[0])};

const struct fsm *cases_referral_fsm(void)
{
  return &REFERRAL_FSM;
}

static const struct fsm_action ACTIONS[] = {{"send", "sent"},
                                            {"accept", "accepted"},
                                            {"decline", "declined"},
                                            {"complete", "completed"},
                                            {"cancel", "cancelled"}};
#define N_ACTIONS ((int)(sizeof ACTIONS / sizeof ACTIONS[0]))

static int service_ok(const char *z)
{
  static const char *const S[] = {"health", "education", "employment",
                                  "psychosocial", "other"};
  for (size_t i = 0; i < sizeof S / sizeof S[0]; i++)
    if (z && strcmp(z, S[i]) == 0)
      return 1;
  return 0;
}

int cases_referral_add(struct sws_ctx *ctx, const struct referral_input *in,
                       char *zNumber, struct sws_err *err)
{
  struct household h;
  struct office_info office;
  char zId[SWS_UUID_LEN + 1] = "", zHh[SWS_UUID_LEN + 1];
  char zPrefix[SWS_OFFICE_CODE_MAX + 3];
  const struct member *m;
  sqlite3_stmt *q;
  int64_t seq;
  int rc;
  if (!service_ok(in->zService))
    return sws_err_set(err, SWS_EINVAL, "the service must be health, "
                       "education, employment, psychosocial or other");
  if (in->zProvider == NULL || sws_blank(in->zProvider))
    return sws_err_set(err, SWS_EINVAL, "say who receives the referral "
                       "(--to PROVIDER)");
  if (in->zReason == NULL || sws_blank(in->zReason))
    return sws_err_set(err, SWS_EINVAL, "give the reason for the referral "
                       "(--reason)");
  if ((rc = sws_text_check("the provider", in->zProvider, 200, 0, err)) ||
      (rc = sws_text_check("the reason", in->zReason, 1000, 1, err)))
    return rc;
  if ((rc = cases_household_resolve(ctx, in->zRegno, 1, zHh, NULL, NULL,
                                    err)) != 0 ||
      (rc = cases_household_get(ctx, zHh, &h, err)) != 0)
    return rc;
  if ((m = cases_household_member(&h, in->member)) == NULL) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "household %s has no member %d "
                     "(see 'sws household show %s')", h.zRegno, in->member,
                     h.zRegno);
    goto out;
  }
  if (strcmp(m->zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "member %d of %s is %s", in->member,
                     h.zRegno, m->zStatus);
    goto out;
  }
  if ((rc = cases_office_get(ctx, &office, err)) != 0)
    goto out;
  if ((rc = cases_op_begin(ctx, "referral.add", err)) != 0)
    goto out;
  snprintf(zPrefix, sizeof zPrefix, "%s-R", office.zDevice);
  do {
    if ((rc = cases_counter_next(ctx, "referral", &seq, err)) != 0)
      goto done;
  } while (!sws_number_issuable(zPrefix, seq));
  sws_number_format(zNumber, SWS_NUMBER_MAX, zPrefix, seq);
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO referral(id, number, household_id, "
                       "member_id, service, provider, reason, urgent, "
                       "created_at, created_by, updated_at) VALUES (:id, "
                       ":n, :hh, :m, :s, :p, :r, :u, sws_now(), sws_actor(), "
                       "sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":n", zNumber);
  db_bind_text(q, ":hh", h.zId);
  db_bind_text(q, ":m", m->zId);
  db_bind_text(q, ":s", in->zService);
  db_bind_text(q, ":p", in->zProvider);
  db_bind_text(q, ":r", in->zReason);
  db_bind_int64(q, ":u", in->urgent ? 1 : 0);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
done:;
  char zDetail[160];
  snprintf(zDetail, sizeof zDetail, "%s: member %d of %s to %.60s (%s)",
           rc == 0 ? zNumber : "-", in->member, h.zRegno, in->zProvider,
           in->zService);
  rc = cases_op_end(ctx, rc, "referral", zId, zDetail, err);
out:
  cases_household_release(&h);
  return rc;
}

static int resolve(struct sws_ctx *ctx, const char *zTyped, char *zId,
                   char *zCanon, struct sws_err *err)
{
  struct sws_number num;
  sqlite3_stmt *q;
  int rc;
  enum sws_number_status st = sws_number_parse(zTyped, &num);
  if (st == SWS_NUMBER_MALFORMED)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a referral number "
                       "(they look like KH12-R-000012-4)", zTyped);
  if (st == SWS_NUMBER_BAD_CHECK)
    return sws_err_set(err, SWS_EINVAL, "the check character of '%s' does "
                       "not fit: a character was mistyped; read the slip "
                       "again", zTyped);
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, number FROM referral WHERE number = :n",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":n", num.zCanon);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zId, db_col_str(q, 0), SWS_UUID_LEN + 1);
    if (zCanon)
      sws_strlcpy(zCanon, db_col_str(q, 1), SWS_NUMBER_MAX);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no referral %s in this office",
                     num.zCanon);
  }
  db_done(ctx->db, q);
  return rc;
}

static void free_events(struct referral_event *a, int n)
{
  for (int i = 0; i < n; i++)
    free(a[i].zFeedback);
  free(a);
}

static int load_events(struct sws_ctx *ctx, const char *zId,
                       struct referral_event **pa, int *pn,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc, nAlloc = 0;
  *pa = NULL;
  *pn = 0;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT event, at, by, feedback, valid, note FROM "
                       "referral_event WHERE referral_id = :r ORDER BY at, "
                       "rid",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":r", zId);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (*pn == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 8;
      *pa = sws_realloc(*pa, sizeof **pa * (size_t)nAlloc);
    }
    struct referral_event *e = &(*pa)[(*pn)++];
    memset(e, 0, sizeof *e);
    sws_strlcpy(e->zEvent, db_col_str(q, 0), sizeof e->zEvent);
    sws_strlcpy(e->zAt, db_col_str(q, 1), sizeof e->zAt);
    sws_strlcpy(e->zBy, db_col_str(q, 2), sizeof e->zBy);
    e->zFeedback = sws_strdup(db_col_str(q, 3));
    e->valid = (int)db_col_int64(q, 4);
    sws_strlcpy(e->zNote, db_col_str(q, 5), sizeof e->zNote);
  }
  db_done(ctx->db, q);
  if (rc < 0) {
    free_events(*pa, *pn);
    *pa = NULL;
    *pn = 0;
    return rc;
  }
  return SWS_OK;
}

/* Fold the events (in time order) and store status, flag and validity. */
static int refold(struct sws_ctx *ctx, const char *zId, char *zStatus,
                  struct sws_err *err)
{
  struct referral_event *a;
  sqlite3_stmt *q;
  int n, rc, flagged = 0;
  char zState[12];
  if ((rc = load_events(ctx, zId, &a, &n, err)) != 0)
    return rc;
  sws_strlcpy(zState, REFERRAL_FSM.zInitial, sizeof zState);
  for (int i = 0; i < n; i++) {
    const char *zNext = fsm_next(&REFERRAL_FSM, zState, a[i].zEvent);
    int valid = zNext != NULL;
    char zNote[160] = "";
    if (valid)
      sws_strlcpy(zState, zNext, sizeof zState);
    else {
      snprintf(zNote, sizeof zNote, "'%s' cannot follow '%s'", a[i].zEvent,
               zState);
      flagged = 1;
    }
    if (valid != a[i].valid || strcmp(zNote, a[i].zNote) != 0) {
      if ((rc = db_prepare(ctx->db, &q,
                           "UPDATE referral_event SET valid = :v, note = :n "
                           "WHERE referral_id = :r AND at = :at AND event = "
                           ":e",
                           err)) != 0)
        goto out;
      db_bind_int64(q, ":v", valid);
      db_bind_text(q, ":n", zNote);
      db_bind_text(q, ":r", zId);
      db_bind_text(q, ":at", a[i].zAt);
      db_bind_text(q, ":e", a[i].zEvent);
      rc = db_step(ctx->db, q, err);
      db_done(ctx->db, q);
      if (rc < 0)
        goto out;
    }
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE referral SET status = :s, flagged = :f, "
                       "updated_at = sws_now() WHERE id = :id",
                       err)) != 0)
    goto out;
  db_bind_text(q, ":s", zState);
  db_bind_int64(q, ":f", flagged);
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  rc = rc < 0 ? rc : 0;
  db_done(ctx->db, q);
  if (zStatus)
    sws_strlcpy(zStatus, zState, 12);
out:
  free_events(a, n);
  return rc;
}

static int insert_event(struct sws_ctx *ctx, const char *zReferralId,
                        const char *zEventId, const char *zEvent,
                        const char *zAt, const char *zBy,
                        const char *zFeedback, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zId[SWS_UUID_LEN + 1];
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO referral_event(id, referral_id, event, "
                      "at, by, feedback) VALUES (:id, :r, :e, "
                      "coalesce(:at, sws_now()), coalesce(:by, sws_actor()), "
                      ":f)",
                      err);
  if (rc != 0)
    return rc;
  if (zEventId == NULL) {
    sws_uuid7(zId);
    zEventId = zId;
  }
  db_bind_text(q, ":id", zEventId);
  db_bind_text(q, ":r", zReferralId);
  db_bind_text(q, ":e", zEvent);
  db_bind_text(q, ":at", zAt);
  db_bind_text(q, ":by", zBy);
  db_bind_text(q, ":f", zFeedback ? zFeedback : "");
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_referral_step(struct sws_ctx *ctx, const char *zNumber,
                        const char *zAction, const char *zFeedback,
                        struct sws_err *err)
{
  struct referral r;
  char zActions[160] = "";
  const char *zEvent = fsm_event_of(ACTIONS, N_ACTIONS, zAction);
  int rc;
  if (zEvent == NULL)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a referral step; the "
                       "steps are send, accept, decline, complete and "
                       "cancel", zAction);
  if (zFeedback &&
      (rc = sws_text_check("the feedback", zFeedback, 2000, 1, err)) != 0)
    return rc;
  if ((rc = cases_referral_get(ctx, zNumber, &r, err)) != 0)
    return rc;
  if (fsm_next(&REFERRAL_FSM, r.zStatus, zEvent) == NULL) {
    fsm_allowed_actions(&REFERRAL_FSM, r.zStatus, ACTIONS, N_ACTIONS,
                        zActions, sizeof zActions);
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "referral %s is %s: it cannot be "
                     "%s now (possible: %s)",
                     r.zNumber, sws_err_translate(r.zStatus), zEvent, zActions);
    goto out;
  }
  char zOp[32];
  snprintf(zOp, sizeof zOp, "referral.%s", zAction);
  if ((rc = cases_op_begin(ctx, zOp, err)) != 0)
    goto out;
  rc = insert_event(ctx, r.zId, NULL, zEvent, NULL, NULL, zFeedback, err);
  if (rc == 0)
    rc = refold(ctx, r.zId, NULL, err);
  {
    char zDetail[96];
    snprintf(zDetail, sizeof zDetail, "%s: %s", r.zNumber, zEvent);
    rc = cases_op_end(ctx, rc, "referral", r.zId, zDetail, err);
  }
out:
  cases_referral_release(&r);
  return rc;
}

int cases_referral_get(struct sws_ctx *ctx, const char *zNumber,
                       struct referral *out, struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = resolve(ctx, zNumber, zId, NULL, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT r.id, r.number, h.regno, m.line_no, m.name, "
                       "r.service, r.provider, r.reason, r.urgent, r.status, "
                       "r.flagged, r.created_at, r.created_by FROM referral r "
                       "JOIN household h ON h.id = r.household_id "
                       "JOIN member m ON m.id = r.member_id WHERE r.id = :id",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(out->zId, db_col_str(q, 0), sizeof out->zId);
    sws_strlcpy(out->zNumber, db_col_str(q, 1), sizeof out->zNumber);
    sws_strlcpy(out->zRegno, db_col_str(q, 2), sizeof out->zRegno);
    out->member = (int)db_col_int64(q, 3);
    sws_strlcpy(out->zMemberName, db_col_str(q, 4), sizeof out->zMemberName);
    sws_strlcpy(out->zService, db_col_str(q, 5), sizeof out->zService);
    sws_strlcpy(out->zProvider, db_col_str(q, 6), sizeof out->zProvider);
    out->zReason = sws_strdup(db_col_str(q, 7));
    out->urgent = (int)db_col_int64(q, 8);
    sws_strlcpy(out->zStatus, db_col_str(q, 9), sizeof out->zStatus);
    out->flagged = (int)db_col_int64(q, 10);
    sws_strlcpy(out->zCreatedAt, db_col_str(q, 11), sizeof out->zCreatedAt);
    sws_strlcpy(out->zCreatedBy, db_col_str(q, 12), sizeof out->zCreatedBy);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no referral %s", zNumber);
  }
  db_done(ctx->db, q);
  if (rc == 0)
    rc = load_events(ctx, out->zId, &out->aEvent, &out->nEvent, err);
  if (rc != 0)
    cases_referral_release(out);
  return rc;
}

void cases_referral_release(struct referral *r)
{
  free(r->zReason);
  r->zReason = NULL;
  free_events(r->aEvent, r->nEvent);
  r->aEvent = NULL;
  r->nEvent = 0;
}

int cases_referral_list(struct sws_ctx *ctx, int viewer_role,
                        const char *zRegno,
                        int (*fn)(const struct referral_row *, void *),
                        void *arg, struct sws_err *err)
{
  char zHh[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int rc;
  if (zRegno &&
      (rc = cases_household_resolve(ctx, zRegno, 0, zHh, NULL, NULL, err)))
    return rc;
  /* clang-format off */
  if ((rc = db_prepare(
           ctx->db, &q,
           "SELECT r.number, h.regno, m.name, r.service, r.provider, "
           "r.status, r.created_at, coalesce((SELECT feedback FROM "
           "referral_event e WHERE e.referral_id = r.id AND feedback != '' "
           "ORDER BY at DESC, rid DESC LIMIT 1), ''), m.line_no, r.urgent, "
           "r.flagged FROM referral r JOIN household h ON h.id = "
           "r.household_id JOIN member m ON m.id = r.member_id "
           "WHERE ((:hh IS NULL AND r.status IN ('pending', 'sent', "
           "'accepted')) OR r.household_id = :hh) AND "
           ACCESS_CASE_SQL("r.household_id") " "
           "ORDER BY r.urgent DESC, r.rid",
           err)) != 0)
    return rc;
  /* clang-format on */
  db_bind_text(q, ":hh", zRegno ? zHh : NULL);
  access_bind(ctx, q, viewer_role);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct referral_row row = {
        db_col_str(q, 0), db_col_str(q, 1), db_col_str(q, 2),
        db_col_str(q, 3), db_col_str(q, 4), db_col_str(q, 5),
        db_col_str(q, 6), db_col_str(q, 7), (int)db_col_int64(q, 8),
        (int)db_col_int64(q, 9), (int)db_col_int64(q, 10)};
    if (fn(&row, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_referral_apply_remote(struct sws_ctx *ctx, const char *zNumber,
                                const char *zEventId, const char *zEvent,
                                const char *zAt, const char *zBy,
                                const char *zFeedback, struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  int64_t ms;
  int rc, exists;
  if (!fsm_has_event(&REFERRAL_FSM, zEvent))
    return sws_err_set(err, SWS_EINVAL, "unknown referral event '%s'",
                       zEvent);
  if (sws_time_parse(zAt, &ms, err) != 0)
    return err->code;
  if ((rc = resolve(ctx, zNumber, zId, NULL, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT 1 FROM referral_event WHERE id = :id", err)))
    return rc;
  db_bind_text(q, ":id", zEventId);
  exists = db_step(ctx->db, q, err) == DB_ROW;
  db_done(ctx->db, q);
  if (exists)
    return SWS_OK;
  if ((rc = cases_op_begin(ctx, "referral.remote", err)) != 0)
    return rc;
  rc = insert_event(ctx, zId, zEventId, zEvent, zAt, zBy, zFeedback, err);
  if (rc == 0)
    rc = refold(ctx, zId, NULL, err);
  return cases_op_end(ctx, rc, "referral", zId, zEvent, err);
}
