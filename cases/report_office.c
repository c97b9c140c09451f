/*
 * report_office.c - where an office's report gets its facts: one query
 * for each fact over the office's own tables, and two worked out in C
 * (grievance deadlines missed, the coverage gap); the office's areas and
 * name (see report.h, struct report_source).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/calendar.h"
#include "cases/casefile.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "cases/report.h"
#include "cases/screening.h"
#include "core/mem.h"

/* ---- the facts as queries ----
 * Rows: area, sex, born, disability, category 1..3, number (days, or who
 * holds it): what report.c's table of facts says each fact gives. */
/* The household head of household h, as person p. */
#define HEAD(h)                                                                \
  " LEFT JOIN member p ON p.household_id = " h ".id AND p.relationship = "     \
  "'head' AND p.status = 'active' "
/* Rows: area, sex, born, disability, category 1..3, number. */
#define PERSON_P "p.sex, p.born, p.disability"
#define IN_PERIOD(x) " " x " >= :f AND " x " < :t "
/* A grievance event and the complaining household's head. */
#define GRIEVANCE_EVENT(ev)                                                    \
  "SELECT h.area_code, " PERSON_P ", e.layer, NULL, NULL, NULL FROM "          \
  "grievance_event e JOIN grievance g ON g.id = e.grievance_id LEFT JOIN "     \
  "household h ON h.id = g.household_id" HEAD(                                 \
      "h") "WHERE e.event = '" ev "' AND e.valid = 1 AND" IN_PERIOD("e.at")
/* An application: the member applying, or the head for a household
 * programme; programme, agency, guarantee. */
#define APPLICATION                                                            \
  "SELECT h.area_code, coalesce(m.sex, p.sex), CASE WHEN m.id IS NULL "        \
  "THEN p.born ELSE m.born END, CASE WHEN m.id IS NULL THEN p.disability "     \
  "ELSE m.disability END, e.programme_code, pr.agency, pr.guarantee, NULL "    \
  "FROM enrolment e JOIN programme pr ON pr.code = e.programme_code JOIN "     \
  "household h ON h.id = e.household_id LEFT JOIN member m ON m.id = "         \
  "e.member_id" HEAD("h") "WHERE "

struct office_fact {
  const char *zName;
  const char *zSql; /* NULL: computed in C */
};

/* clang-format off */
static const struct office_fact OFFICE_FACTS[] = {
  {"household_registered",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL FROM household h"
   HEAD("h") "WHERE" IN_PERIOD("h.created_at") "AND h.status = 'active'"},
  {"member_registered",
   "SELECT h.area_code, m.sex, m.born, m.disability, NULL, NULL, NULL, NULL "
   "FROM member m JOIN household h ON h.id = m.household_id WHERE"
   IN_PERIOD("m.created_at") "AND m.status = 'active' AND h.status = "
   "'active'"},
  {"case_opened",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL FROM case_file "
   "c JOIN household h ON h.id = c.household_id" HEAD("h") "WHERE"
   IN_PERIOD("c.opened_at")},
  {"case_closed",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL FROM case_file "
   "c JOIN household h ON h.id = c.household_id" HEAD("h") "WHERE"
   IN_PERIOD("c.closed_at")},
  {"case_open_at_end",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, c.manager FROM "
   "case_file c JOIN household h ON h.id = c.household_id" HEAD("h")
   "WHERE c.opened_at < :t AND (c.closed_at IS NULL OR c.closed_at >= :t) "
   "AND c.manager IS NOT NULL"},
  {"plan_action_overdue",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL FROM "
   "plan_action a JOIN case_file c ON c.id = a.case_id JOIN household h ON "
   "h.id = c.household_id" HEAD("h") "WHERE a.due < :t AND a.created_at < "
   ":t AND (a.status IN ('planned', 'in-progress') OR (a.status = 'done' "
   "AND a.done_at >= :t))"},
  {"assessment_done",
   "SELECT h.area_code, " PERSON_P ", a.band, NULL, NULL, NULL FROM "
   "assessment a JOIN household h ON h.id = a.household_id" HEAD("h")
   "WHERE" IN_PERIOD("a.assessed_at")},
  {"referral_made",
   "SELECT h.area_code, m.sex, m.born, m.disability, r.service, NULL, NULL, "
   "NULL FROM referral r JOIN member m ON m.id = r.member_id JOIN household "
   "h ON h.id = r.household_id WHERE" IN_PERIOD("r.created_at")},
  {"referral_completed",
   "SELECT h.area_code, m.sex, m.born, m.disability, r.service, NULL, NULL, "
   "julianday(e.at) - julianday(r.created_at) FROM referral_event e JOIN "
   "referral r ON r.id = e.referral_id JOIN member m ON m.id = r.member_id "
   "JOIN household h ON h.id = r.household_id WHERE e.event = 'completed' "
   "AND e.valid = 1 AND" IN_PERIOD("e.at")},
  {"grievance_received",
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL FROM grievance "
   "g LEFT JOIN household h ON h.id = g.household_id" HEAD("h") "WHERE"
   IN_PERIOD("g.created_at")},
  /* the first valid answer */
  {"grievance_resolved",
   "SELECT h.area_code, " PERSON_P ", e.layer, NULL, NULL, julianday(e.at) "
   "- julianday(g.created_at) FROM grievance g JOIN grievance_event e ON "
   "e.grievance_id = g.id AND e.event = 'answered' AND e.valid = 1 LEFT "
   "JOIN household h ON h.id = g.household_id" HEAD("h") "WHERE"
   IN_PERIOD("e.at") "AND NOT EXISTS (SELECT 1 FROM grievance_event x WHERE "
   "x.grievance_id = g.id AND x.event = 'answered' AND x.valid = 1 AND "
   "(x.at < e.at OR (x.at = e.at AND x.rid < e.rid)))"},
  {"grievance_deadline_missed", NULL}, /* count_deadlines */
  {"grievance_escalated", GRIEVANCE_EVENT("escalated")},
  {"grievance_appealed", GRIEVANCE_EVENT("appealed")},
  {"application",
   APPLICATION IN_PERIOD("e.applied_at")},
  {"enrolment",
   APPLICATION "e.status = 'approved' AND" IN_PERIOD("e.decided_at")},
  {"eligible_not_enrolled", NULL}, /* count_eligible */
  {"duplicate_open",
   "SELECT h.area_code, " PERSON_P ", d.source, NULL, NULL, NULL FROM "
   "duplicate_flag d JOIN household h ON h.id = d.household_id" HEAD("h")
   "WHERE d.status = 'open' AND d.created_at < :t"},
};
/* clang-format on */

static int count_sql(struct sws_ctx *ctx, const char *zSql,
                     const struct report_period *per, report_row_fn fn,
                     void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, zSql, err);
  if (rc != 0)
    return rc;
  /* a fact about the period's end has no :f */
  if (sqlite3_bind_parameter_index(q, ":f") > 0)
    db_bind_text(q, ":f", per->zFrom);
  db_bind_text(q, ":t", per->zTo);
  if (sqlite3_bind_parameter_index(q, ":today") > 0) {
    char zToday[11];
    cases_today(zToday);
    db_bind_text(q, ":today", zToday);
  }
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct report_row row = {
        db_col_text(q, 0),
        db_col_text(q, 1),
        db_col_text(q, 2),
        db_col_is_null(q, 3) ? -1 : (int)db_col_int64(q, 3),
        {db_col_text(q, 4), db_col_text(q, 5), db_col_text(q, 6)},
        sqlite3_column_type(q, 7) == SQLITE_FLOAT ||
                sqlite3_column_type(q, 7) == SQLITE_INTEGER
            ? db_col_double(q, 7)
            : NAN,
        sqlite3_column_type(q, 7) == SQLITE_TEXT ? db_col_text(q, 7) : NULL};
    fn(arg, &row);
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/*
 * Grievance deadlines missed: each layer a grievance reached had a
 * deadline (that layer's business days from the event that brought it
 * there, as cases/grievance.c computes it). One is missed when nothing
 * stopped its clock (an answer, a move up, the closing) by the deadline
 * day. Counted in the period its deadline fell in, once that day has
 * passed (before the period's end and before today).
 */
struct layer_days {
  char az[8][12];
  int aDays[8];
  int n;
};

static int deadline_of(const struct layer_days *ld, const struct calendar *cal,
                       const char *zAt, const char *zLayer, char *zDue,
                       struct sws_err *err)
{
  char zDay[11];
  snprintf(zDay, sizeof zDay, "%.10s", zAt);
  zDue[0] = '\0';
  for (int i = 0; i < ld->n; i++)
    if (strcmp(ld->az[i], zLayer) == 0)
      return calendar_add_business_days(cal, zDay, ld->aDays[i], zDue, err);
  return SWS_OK; /* a layer no longer configured: no deadline known */
}

struct missed_state {
  char zId[SWS_UUID_LEN + 1];
  char zDue[11], zLayer[12];
  char zArea[SWS_AREA_CODE_MAX], zSex[8], zBorn[11];
  int dis;
};

static void missed_check(const struct report_period *per, report_row_fn fn,
                         void *arg, struct missed_state *st, const char *zStop,
                         const char *zLimit)
{
  /* zStop: the day the clock stopped ("" none yet) */
  if (st->zDue[0] == '\0')
    return;
  int bMissed =
      zStop[0] ? strcmp(zStop, st->zDue) > 0 : strcmp(st->zDue, zLimit) < 0;
  if (bMissed && strcmp(st->zDue, per->zFrom) >= 0 &&
      strcmp(st->zDue, zLimit) < 0) {
    struct report_row row = {st->zArea[0] ? st->zArea : NULL,
                             st->zSex[0] ? st->zSex : NULL,
                             st->zBorn[0] ? st->zBorn : NULL,
                             st->dis,
                             {st->zLayer, NULL, NULL},
                             NAN,
                             NULL};
    fn(arg, &row);
  }
  st->zDue[0] = '\0';
}

static int count_deadlines(struct sws_ctx *ctx, const struct report_period *per,
                           report_row_fn fn, void *arg, struct sws_err *err)
{
  struct layer_days ld;
  struct calendar cal;
  struct missed_state st;
  char zToday[11], zLimit[11];
  sqlite3_stmt *q;
  int rc;
  memset(&ld, 0, sizeof ld);
  memset(&st, 0, sizeof st);
  cases_today(zToday);
  /* a deadline counts once its day has passed: before the period's end
   * and before today */
  snprintf(zLimit, sizeof zLimit, "%s",
           strcmp(zToday, per->zTo) < 0 ? zToday : per->zTo);
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT layer, days FROM grievance_layer ORDER BY "
                       "position",
                       err)) != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW && ld.n < 8) {
    snprintf(ld.az[ld.n], sizeof ld.az[ld.n], "%s", db_col_str(q, 0));
    ld.aDays[ld.n++] = (int)db_col_int64(q, 1);
  }
  db_done(ctx->db, q);
  if (rc < 0 || (rc = calendar_load(ctx, &cal, err)) != 0)
    return rc < 0 ? rc : rc;
  rc =
      db_prepare(ctx->db, &q,
                 "SELECT g.id, coalesce(h.area_code, ''), "
                 "coalesce(p.sex, ''), coalesce(p.born, ''), "
                 "coalesce(p.disability, -1), e.event, e.layer, e.at "
                 "FROM grievance g JOIN grievance_event e ON "
                 "e.grievance_id = g.id AND e.valid = 1 LEFT JOIN "
                 "household h ON h.id = g.household_id" HEAD(
                     "h") "WHERE g.created_at < :t ORDER BY g.rid, e.at, e.rid",
                 err);
  if (rc != 0) {
    calendar_release(&cal);
    return rc;
  }
  db_bind_text(q, ":t", per->zTo);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    const char *zEvent = db_col_str(q, 5);
    char zDay[11];
    snprintf(zDay, sizeof zDay, "%.10s", db_col_str(q, 7));
    if (strcmp(st.zId, db_col_str(q, 0)) != 0) {
      missed_check(per, fn, arg, &st, "", zLimit); /* the grievance before */
      memset(&st, 0, sizeof st);
      snprintf(st.zId, sizeof st.zId, "%s", db_col_str(q, 0));
      snprintf(st.zArea, sizeof st.zArea, "%s", db_col_str(q, 1));
      snprintf(st.zSex, sizeof st.zSex, "%s", db_col_str(q, 2));
      snprintf(st.zBorn, sizeof st.zBorn, "%s", db_col_str(q, 3));
      st.dis = (int)db_col_int64(q, 4);
    }
    if (strcmp(zDay, per->zTo) >= 0)
      continue; /* after the period: its state at the end is what counts */
    int bUp = strcmp(zEvent, "received") == 0 ||
              strcmp(zEvent, "escalated") == 0 ||
              strcmp(zEvent, "appealed") == 0;
    int bStop =
        bUp || strcmp(zEvent, "answered") == 0 || strcmp(zEvent, "closed") == 0;
    if (bStop)
      missed_check(per, fn, arg, &st, zDay, zLimit);
    if (bUp) {
      snprintf(st.zLayer, sizeof st.zLayer, "%s", db_col_str(q, 6));
      if ((rc = deadline_of(&ld, &cal, zDay, st.zLayer, st.zDue, err)) != 0)
        break;
    }
  }
  if (rc >= 0 && st.zId[0])
    missed_check(per, fn, arg, &st, "", zLimit);
  db_done(ctx->db, q);
  calendar_release(&cal);
  return rc < 0 ? rc : SWS_OK;
}

/*
 * The coverage gap: for each active household with a needs assessment
 * made before the period's end, the household (household programmes) and
 * each active member (member programmes) that screening against the
 * catalogue finds eligible for a programme, with no application applied
 * for or approved in it by the period's end. Screening reads today's
 * facts (the latest assessment, today's ages), as an officer screening
 * the family now would; only households with an assessment are screened,
 * since most rules read its answers.
 *
 * Households with a valid kept screening (screening.h) are counted by one
 * join; the others are screened here, on the fly. Both give the same
 * rows: the kept outcomes are what screening today would find.
 */
/* Whether an application of household h for programme code (member line,
 * 0 for the household) was live at the period's end. */
#define APPLIED_BY_END(h, code, line)                                          \
  "SELECT 1 FROM enrolment e LEFT JOIN member em ON em.id = e.member_id "      \
  "WHERE e.household_id = " h " AND e.programme_code = " code " AND "          \
  "coalesce(em.line_no, 0) = " line " AND e.applied_at < :t AND (e.status "    \
  "IN ('applied', 'approved') OR e.decided_at >= :t)"

/* The kept part: who is eligible (the member, or the head for a household
 * programme), as count_sql's rows. */
#define KEPT_APPLIED                                                           \
  APPLIED_BY_END("s.household_id", "k.programme_code", "k.line")
static const char KEPT_GAP[] =
    "SELECT s.area_code, k.sex, k.born, k.disability, k.programme_code, "
    "k.agency, k.guarantee, NULL FROM screening s JOIN screening_eligible k "
    "ON k.household_id = s.household_id WHERE " SCREENING_VALID("s")
    " AND s.assessed_from < :t AND NOT EXISTS (" KEPT_APPLIED ")";

struct hh_ref {
  char zRegno[SWS_NUMBER_MAX], zId[SWS_UUID_LEN + 1];
  char zArea[SWS_AREA_CODE_MAX];
};

/* The households to screen on the fly: no valid kept screening. */
static int unkept(struct sws_ctx *ctx, const struct report_period *per,
                  const char *zToday, struct hh_ref **pa, int *pn,
                  struct sws_err *err)
{
  sqlite3_stmt *q;
  int nAlloc = 0, rc;
  *pa = NULL;
  *pn = 0;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT h.regno, h.id, h.area_code FROM (SELECT "
                       "DISTINCT a.household_id AS id FROM assessment a "
                       "WHERE a.assessed_at < :t AND NOT EXISTS (SELECT 1 "
                       "FROM screening s WHERE s.household_id = "
                       "a.household_id AND " SCREENING_VALID("s") ")) u "
                       "JOIN household h ON h.id = u.id WHERE h.status = "
                       "'active' ORDER BY h.rid",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":t", per->zTo);
  db_bind_text(q, ":today", zToday);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (*pn == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 64;
      *pa = sws_realloc(*pa, sizeof **pa * (size_t)nAlloc);
    }
    struct hh_ref *r = &(*pa)[(*pn)++];
    snprintf(r->zRegno, sizeof r->zRegno, "%s", db_col_str(q, 0));
    snprintf(r->zId, sizeof r->zId, "%s", db_col_str(q, 1));
    snprintf(r->zArea, sizeof r->zArea, "%s", db_col_str(q, 2));
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* One eligible result of a household screened on the fly, unless it was
 * applied for by the period's end. */
static int gap_row(struct sws_ctx *ctx, const struct report_period *per,
                   sqlite3_stmt *qApp, sqlite3_stmt *qWho,
                   const struct hh_ref *hh, const struct programme *p, int line,
                   report_row_fn fn, void *arg, struct sws_err *err)
{
  db_bind_text(qApp, ":t", per->zTo);
  db_bind_text(qApp, ":hh", hh->zId);
  db_bind_text(qApp, ":code", p->zCode);
  db_bind_int64(qApp, ":line", line);
  int rc = db_step(ctx->db, qApp, err);
  sqlite3_reset(qApp);
  if (rc != DB_DONE)
    return rc < 0 ? rc : SWS_OK; /* applied, or an error */
  db_bind_text(qWho, ":hh", hh->zId);
  db_bind_int64(qWho, ":line", line);
  int w = db_step(ctx->db, qWho, err);
  struct report_row row = {hh->zArea,
                           w == DB_ROW ? db_col_text(qWho, 0) : NULL,
                           w == DB_ROW ? db_col_text(qWho, 1) : NULL,
                           w == DB_ROW ? (int)db_col_int64(qWho, 2) : -1,
                           {p->zCode, p->zAgency, p->zGuarantee},
                           NAN,
                           NULL};
  if (w >= 0)
    fn(arg, &row);
  sqlite3_reset(qWho);
  return w < 0 ? w : SWS_OK;
}

static int count_eligible(struct sws_ctx *ctx, const struct report_period *per,
                          report_row_fn fn, void *arg, struct sws_err *err)
{
  sqlite3_stmt *qApp = NULL, *qWho = NULL;
  struct hh_ref *a = NULL;
  char zToday[11];
  int n = 0, rc;
  cases_today(zToday);
  if ((rc = count_sql(ctx, KEPT_GAP, per, fn, arg, err)) != 0 ||
      (rc = unkept(ctx, per, zToday, &a, &n, err)) != 0) {
    free(a);
    return rc;
  }
  rc = db_prepare(ctx->db, &qApp, APPLIED_BY_END(":hh", ":code", ":line"), err);
  if (rc >= 0)
    rc = db_prepare(ctx->db, &qWho,
                    "SELECT sex, born, disability FROM member WHERE "
                    "household_id = :hh AND status = 'active' AND CASE WHEN "
                    ":line = 0 THEN relationship = 'head' ELSE line_no = "
                    ":line END",
                    err);
  struct screener *scr = NULL;
  if (rc >= 0 && n > 0)
    rc = cases_screener_open(ctx, 0, &scr, err);
  for (int i = 0; rc >= 0 && i < n; i++) {
    struct screening sc;
    memset(&sc, 0, sizeof sc);
    rc = cases_screener_run(scr, a[i].zRegno, &sc, err);
    for (int k = 0; rc >= 0 && k < sc.nProg; k++) {
      const struct screen_programme *sp = &sc.aProg[k];
      for (int j = 0; rc >= 0 && j < sp->nRes; j++)
        if (sp->aRes[j].outcome == SCREEN_YES)
          rc = gap_row(ctx, per, qApp, qWho, &a[i], &sp->p, sp->aRes[j].member,
                       fn, arg, err);
    }
    cases_screening_release(&sc);
  }
  cases_screener_close(scr);
  db_done(ctx->db, qApp);
  db_done(ctx->db, qWho);
  free(a);
  return rc < 0 ? rc : SWS_OK;
}

/* ---- the source ---- */

static int office_facts(void *src, const char *zFact,
                        const struct report_period *per, report_row_fn fn,
                        void *arg, struct sws_err *err)
{
  struct sws_ctx *ctx = src;
  for (size_t i = 0; i < sizeof OFFICE_FACTS / sizeof OFFICE_FACTS[0]; i++) {
    if (strcmp(OFFICE_FACTS[i].zName, zFact) != 0)
      continue;
    if (OFFICE_FACTS[i].zSql)
      return count_sql(ctx, OFFICE_FACTS[i].zSql, per, fn, arg, err);
    if (strcmp(zFact, "eligible_not_enrolled") == 0)
      return count_eligible(ctx, per, fn, arg, err);
    return count_deadlines(ctx, per, fn, arg, err);
  }
  return sws_err_set(err, SWS_ENOTFOUND, "the office cannot count %s", zFact);
}

static int office_areas(void *src,
                        int (*fn)(void *, const char *, const char *,
                                  const char *, int),
                        void *arg, struct sws_err *err)
{
  struct sws_ctx *ctx = src;
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT code, coalesce(parent_code, ''), name, level "
                      "FROM area ORDER BY code",
                      err);
  if (rc != 0)
    return rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW)
    if (fn(arg, db_col_str(q, 0), db_col_str(q, 1), db_col_str(q, 2),
           cases_area_level_parse(db_col_str(q, 3))) != 0)
      break;
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

static int office_whole(void *src, char *zCode, size_t nCode, char *zName,
                        size_t nName, struct sws_err *err)
{
  struct office_info oi;
  int rc = cases_office_get(src, &oi, err);
  if (rc == 0) {
    snprintf(zCode, nCode, "%s", oi.zCode);
    snprintf(zName, nName, "%s", oi.zName);
  }
  return rc;
}

/* One read transaction: the indicators see one state of the records, and
 * SQLite takes its lock once, not for every statement (a seventh of the
 * coverage gap's time). Not when the caller has one open. */
static int office_begin(void *src, int *pOpen, struct sws_err *err)
{
  struct sws_ctx *ctx = src;
  *pOpen = ctx->db->nTx == 0 && sqlite3_get_autocommit(ctx->db->h);
  return *pOpen ? db_exec(ctx->db, "BEGIN", err) : SWS_OK;
}

static void office_end(void *src, int bOpen)
{
  struct sws_ctx *ctx = src;
  if (bOpen)
    db_exec(ctx->db, "COMMIT", NULL);
}

int report_run(struct sws_ctx *ctx, const struct report_set *set,
               const struct report_opts *o, struct report *out,
               struct sws_err *err)
{
  struct report_source s = {office_facts, office_areas, office_whole,
                            office_begin, office_end,   "office",
                            ctx};
  return report_run_from(&s, set, o, out, err);
}
