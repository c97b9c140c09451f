/*
 * central_report.c - the monitoring report at the registry: the same
 * indicators as an office's (cases/report.c), over every office's records
 * the registry holds, compiled up to the nation through its own area
 * hierarchy; and that hierarchy's loading.
 *
 * The facts are read with one SQL text for both stores (store.h,
 * read_rows): plain comparisons of text, no date functions (days are
 * worked out here from the two times), $1 the period's first day, $2 the
 * day after its last, $3 a cut-off where a fact needs one. A household
 * merged into another at the registry is not counted again.
 *
 * What the registry does not hold is left out of its reports: the
 * grievance calendar (so no deadlines missed) and the programme
 * catalogue's rules (so no coverage gap); agencies and guarantees of
 * programmes are not known there ("unknown"). It adds one of its own:
 * offices that have not pushed for a week before the period's end.
 */
#include "sync/central_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "core/clock.h"
#include "core/mem.h"
#include "sync/summary.h"

/* ---- areas ---- */

struct level_q {
  struct central *c;
};

static int take_level(void *arg, int nCol, const char *const *az)
{
  int *pLevel = arg;
  if (nCol > 0 && az[0])
    *pLevel = cases_area_level_parse(az[0]);
  return 1;
}

/* The level of an area the registry holds (0: none). */
static int registry_level(void *arg, const char *zCode)
{
  struct central *c = arg;
  int level = 0;
  const char *v[1] = {zCode};
  if (c->s->ops->read_rows(c->s, "SELECT level FROM area WHERE code = $1", 1, v,
                           take_level, &level, NULL) != 0)
    return 0;
  return level;
}

int central_area_load(struct central *c, const char *zCsv, size_t n,
                      struct area_load_report *rep, struct sws_err *err)
{
  struct area *a = NULL;
  int nArea = 0;
  int rc =
      cases_area_parse_csv(zCsv, n, registry_level, c, &a, &nArea, rep, err);
  if (rc != 0)
    return rc;
  for (int i = 0; i < nArea; i++) {
    if (registry_level(c, a[i].zCode))
      rep->nUpdated++;
    else
      rep->nAdded++;
  }
  if ((rc = c->s->ops->begin(c->s, err)) == 0) {
    for (int i = 0; i < nArea && rc == 0; i++)
      rc = c->s->ops->area_put(c->s, &a[i], err);
    if (rc == 0)
      rc = c->s->ops->commit(c->s, err);
    else
      c->s->ops->rollback(c->s);
  }
  if (rc == 0)
    central_log(c, "areas loaded: %d added, %d updated", rep->nAdded,
                rep->nUpdated);
  else
    rep->nAdded = rep->nUpdated = 0;
  free(a);
  return rc;
}

int central_area_load_default(struct central *c, struct sws_err *err)
{
  struct area_load_report rep;
  size_t n;
  const char *z = cases_area_default_csv(&n);
  int rc = central_area_load(c, z, n, &rep, err);
  buf_release(&rep.errors);
  return rc;
}

/* ---- the facts ---- */

/* Rows: area, sex, born, disability, category 1..3, then two values: for
 * a number of days the time it ends and the time it starts; for a mean
 * per holder the holder. */
#define HEAD(h)                                                                \
  " LEFT JOIN member p ON p.household_id = " h ".id AND p.relationship = "     \
  "'head' AND (p.status IS NULL OR p.status = 'active') "
#define PERSON_P "p.sex, p.born, p.disability"
#define LIVE(h)                                                                \
  " NOT EXISTS (SELECT 1 FROM alias x WHERE x.merged_id = " h ".id AND "       \
  "x.active = 1) "
#define IN_PERIOD(x) " " x " >= $1 AND " x " < $2 "
/* for a fact about the period's end: $1 still named, for PostgreSQL */
#define AT_END " CAST($1 AS TEXT) IS NOT NULL "
/* clang-format off */
#define GRIEVANCE_EVENT(ev)                                                  \
  "SELECT h.area_code, " PERSON_P ", e.layer, NULL, NULL, NULL, NULL, "     \
  "e.r_owner FROM grievance_event e JOIN grievance g ON g.id = "            \
  "e.grievance_id LEFT JOIN household h ON h.id = g.household_id"           \
  HEAD("h") "WHERE e.event = '" ev "' AND e.valid = 1 AND"                  \
  IN_PERIOD("e.at") "AND (h.id IS NULL OR" LIVE("h") ")"
#define APPLICATION                                                          \
  "SELECT h.area_code, coalesce(m.sex, p.sex), CASE WHEN m.id IS NULL "     \
  "THEN p.born ELSE m.born END, CASE WHEN m.id IS NULL THEN p.disability "  \
  "ELSE m.disability END, e.programme_code, NULL, NULL, NULL, NULL, "       \
  "e.r_owner FROM enrolment e JOIN household h ON h.id = e.household_id "   \
  "LEFT JOIN member m ON m.id = e.member_id" HEAD("h") "WHERE" LIVE("h")    \
  "AND "
/* clang-format on */

struct registry_fact {
  const char *zName;
  int nParam; /* $1..$n */
  const char *zSql;
};

/* clang-format off */
static const struct registry_fact FACTS[] = {
  {"household_registered", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL, NULL, "
   "h.r_owner FROM household h" HEAD("h") "WHERE" IN_PERIOD("h.created_at")
   "AND (h.status IS NULL OR h.status = 'active') AND" LIVE("h")},
  {"member_registered", 2,
   "SELECT h.area_code, m.sex, m.born, m.disability, NULL, NULL, NULL, "
   "NULL, NULL, m.r_owner FROM member m JOIN household h ON h.id = "
   "m.household_id WHERE" IN_PERIOD("m.created_at") "AND "
   "(m.status IS NULL OR m.status = 'active') AND (h.status IS NULL OR "
   "h.status = 'active') AND" LIVE("h")},
  {"case_opened", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL, NULL, "
   "c.r_owner FROM case_file c JOIN household h ON h.id = c.household_id"
   HEAD("h") "WHERE" IN_PERIOD("c.opened_at") "AND" LIVE("h")},
  {"case_closed", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL, NULL, "
   "c.r_owner FROM case_file c JOIN household h ON h.id = c.household_id"
   HEAD("h") "WHERE" IN_PERIOD("c.closed_at") "AND" LIVE("h")},
  {"case_open_at_end", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, c.manager, NULL, "
   "c.r_owner FROM case_file c JOIN household h ON h.id = c.household_id"
   HEAD("h") "WHERE" AT_END "AND c.opened_at < $2 AND (c.closed_at IS "
   "NULL OR c.closed_at >= $2) AND c.manager IS NOT NULL AND" LIVE("h")},
  {"plan_action_overdue", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL, NULL, "
   "a.r_owner FROM plan_action a JOIN case_file c ON c.id = a.case_id "
   "JOIN household h ON h.id = c.household_id" HEAD("h") "WHERE" AT_END
   "AND a.due < $2 AND a.created_at < $2 AND (a.status IN ('planned', "
   "'in-progress') OR (a.status = 'done' AND a.done_at >= $2)) AND"
   LIVE("h")},
  {"assessment_done", 2,
   "SELECT h.area_code, " PERSON_P ", a.band, NULL, NULL, NULL, NULL, "
   "a.r_owner FROM assessment a JOIN household h ON h.id = "
   "a.household_id" HEAD("h") "WHERE" IN_PERIOD("a.assessed_at") "AND"
   LIVE("h")},
  {"referral_made", 2,
   "SELECT h.area_code, m.sex, m.born, m.disability, r.service, NULL, "
   "NULL, NULL, NULL, r.r_owner FROM referral r JOIN member m ON m.id = "
   "r.member_id JOIN household h ON h.id = r.household_id WHERE"
   IN_PERIOD("r.created_at") "AND" LIVE("h")},
  {"referral_completed", 2,
   "SELECT h.area_code, m.sex, m.born, m.disability, r.service, NULL, "
   "NULL, e.at, r.created_at, e.r_owner FROM referral_event e JOIN "
   "referral r ON r.id = e.referral_id JOIN member m ON m.id = "
   "r.member_id JOIN household h ON h.id = r.household_id WHERE e.event "
   "= 'completed' AND e.valid = 1 AND" IN_PERIOD("e.at") "AND" LIVE("h")},
  {"grievance_received", 2,
   "SELECT h.area_code, " PERSON_P ", NULL, NULL, NULL, NULL, NULL, "
   "g.r_owner FROM grievance g LEFT JOIN household h ON h.id = "
   "g.household_id" HEAD("h") "WHERE" IN_PERIOD("g.created_at") "AND "
   "(h.id IS NULL OR" LIVE("h") ")"},
  {"grievance_resolved", 2,
   "SELECT h.area_code, " PERSON_P ", e.layer, NULL, NULL, e.at, "
   "g.created_at, e.r_owner FROM grievance g JOIN grievance_event e ON "
   "e.grievance_id = g.id AND e.event = 'answered' AND e.valid = 1 LEFT "
   "JOIN household h ON h.id = g.household_id" HEAD("h") "WHERE"
   IN_PERIOD("e.at") "AND (h.id IS NULL OR" LIVE("h") ") AND NOT EXISTS "
   "(SELECT 1 FROM grievance_event y WHERE y.grievance_id = g.id AND "
   "y.event = 'answered' AND y.valid = 1 AND (y.at < e.at OR (y.at = e.at "
   "AND y.id < e.id)))"},
  {"grievance_escalated", 2, GRIEVANCE_EVENT("escalated")},
  {"grievance_appealed", 2, GRIEVANCE_EVENT("appealed")},
  {"application", 2, APPLICATION IN_PERIOD("e.applied_at")},
  {"enrolment", 2,
   APPLICATION "e.status = 'approved' AND" IN_PERIOD("e.decided_at")},
  /* the registry's own queue: pairs across offices, by the first
   * household (where it was found: "registry") */
  {"duplicate_open", 2,
   "SELECT h.area_code, " PERSON_P ", 'registry', NULL, NULL, NULL, NULL, "
   "h.r_owner FROM duplicate d JOIN household h ON h.id = d.household_a"
   HEAD("h") "WHERE" AT_END "AND d.status = 'open' AND d.found_at < $2"},
  /* an office (its devices together) that did not push on any day from
   * $3, a week before the period's end, to its end; by the office's code
   * (push_day: the days each office pushed) */
  {"office_not_synced", 3,
   "SELECT NULL, NULL, NULL, NULL, k, NULL, NULL, NULL, NULL, k FROM "
   "(SELECT DISTINCT coalesce(office_code, code) AS k FROM office WHERE "
   "status = 'active' AND enrolled_at < $2 AND CAST($1 AS TEXT) IS NOT "
   "NULL) x WHERE NOT EXISTS (SELECT 1 FROM push_day d WHERE d.office = "
   "x.k AND d.day >= $3 AND d.day < $2)"},
};
/* clang-format on */

#define NOT_SYNCED_DAYS 7

/* What a registry report reads: the registry, and one office's records
 * only (zOffice) when a summary is checked. */
struct registry_src {
  struct central *c;
  const char *zOffice;
};

struct rows {
  report_row_fn fn;
  void *arg;
  const char *zOffice;
};

static int one_row(void *arg, int nCol, const char *const *az)
{
  struct rows *x = arg;
  if (nCol < 10)
    return 1;
  if (x->zOffice && (az[9] == NULL || strcmp(az[9], x->zOffice) != 0))
    return 0; /* another office's record */
  double num = NAN;
  const char *zHolder = NULL;
  if (az[7] && az[8]) {
    int64_t a, b;
    if (sws_time_parse(az[7], &a, NULL) == 0 &&
        sws_time_parse(az[8], &b, NULL) == 0)
      num = (double)(a - b) / 86400000.0;
  } else if (az[7]) {
    zHolder = az[7];
  }
  struct report_row r = {az[0],
                         az[1],
                         az[2],
                         az[3] ? (int)strtol(az[3], NULL, 10) : -1,
                         {az[4], az[5], az[6]},
                         num,
                         zHolder};
  x->fn(x->arg, &r);
  return 0;
}

static int registry_facts(void *src, const char *zFact,
                          const struct report_period *per, report_row_fn fn,
                          void *arg, struct sws_err *err)
{
  const struct registry_src *rs = src;
  struct central *c = rs->c;
  for (size_t i = 0; i < sizeof FACTS / sizeof FACTS[0]; i++) {
    if (strcmp(FACTS[i].zName, zFact) != 0)
      continue;
    char zCut[32];
    int64_t ms;
    sws_time_parse(per->zTo, &ms, NULL);
    sws_date_format(zCut, sizeof zCut,
                    ms - (int64_t)NOT_SYNCED_DAYS * 86400 * 1000);
    const char *v[3] = {per->zFrom, per->zTo, zCut};
    struct rows x = {fn, arg, rs->zOffice};
    return c->s->ops->read_rows(c->s, FACTS[i].zSql, FACTS[i].nParam, v,
                                one_row, &x, err);
  }
  return sws_err_set(err, SWS_ENOTFOUND,
                     "the registry does not hold what "
                     "%s needs",
                     zFact);
}

struct area_cb {
  int (*fn)(void *, const char *, const char *, const char *, int);
  void *arg;
};

static int one_area(void *arg, int nCol, const char *const *az)
{
  struct area_cb *x = arg;
  if (nCol < 4 || !az[0])
    return 0;
  return x->fn(x->arg, az[0], az[1] ? az[1] : "", az[2] ? az[2] : "",
               cases_area_level_parse(az[3] ? az[3] : ""));
}

static int registry_areas(void *src,
                          int (*fn)(void *, const char *, const char *,
                                    const char *, int),
                          void *arg, struct sws_err *err)
{
  struct central *c = ((const struct registry_src *)src)->c;
  struct area_cb x = {fn, arg};
  return c->s->ops->read_rows(c->s,
                              "SELECT code, parent_code, name, level FROM "
                              "area ORDER BY code",
                              0, NULL, one_area, &x, err);
}

static int registry_whole(void *src, char *zCode, size_t nCode, char *zName,
                          size_t nName, struct sws_err *err)
{
  struct central *c = ((const struct registry_src *)src)->c;
  (void)err;
  snprintf(zCode, nCode, "%s", "national");
  snprintf(zName, nName, "%s", c->zName[0] ? c->zName : "national");
  return SWS_OK;
}

/* One transaction: every indicator sees one state of the registry. */
static int registry_begin(void *src, int *pOpen, struct sws_err *err)
{
  struct central *c = ((const struct registry_src *)src)->c;
  int rc = c->s->ops->begin(c->s, err);
  *pOpen = rc == 0;
  return rc;
}

static void registry_end(void *src, int bOpen)
{
  struct central *c = ((const struct registry_src *)src)->c;
  if (bOpen)
    c->s->ops->rollback(c->s); /* it wrote nothing */
}

static int report_of(struct central *c, const char *zOffice,
                     const struct report_set *set, const struct report_opts *o,
                     struct report *out, struct sws_err *err)
{
  struct registry_src rs = {c, zOffice};
  struct report_source s = {registry_facts,
                            registry_areas,
                            registry_whole,
                            registry_begin,
                            registry_end,
                            "national",
                            &rs};
  return report_run_from(&s, set, o, out, err);
}

int central_report(struct central *c, const struct report_set *set,
                   const struct report_opts *o, struct report *out,
                   struct sws_err *err)
{
  return report_of(c, NULL, set, o, out, err);
}

/* ---- the offices' signed summaries ---- */

int central_summary_receive(struct central *c, const char *zDevice,
                            const char *zBody, size_t nBody, int *pStatus,
                            struct sws_err *err)
{
  struct central_office o;
  struct summary sm;
  unsigned char pk[SWS_PK_BYTES];
  int rc;
  *pStatus = 500;
  if ((rc = c->s->ops->office_get(c->s, zDevice, &o, err)) != 0) {
    *pStatus = 403;
    return rc;
  }
  if (!o.active) { /* the server refuses it first; so does this */
    *pStatus = 403;
    return sws_err_set(err, SWS_EPERM, "office %s is revoked at the "
                       "central registry", zDevice);
  }
  memcpy(pk, o.pk, sizeof pk);
  if ((rc = summary_read(&sm, zBody, nBody, pk, err)) != 0) {
    *pStatus = 400;
    return rc;
  }
  if (strcmp(sm.zOffice, o.zOffice) != 0) {
    *pStatus = 403;
    rc = sws_err_set(err, SWS_EPERM,
                     "a summary of office %s sent by %s, "
                     "a device of %s",
                     sm.zOffice, zDevice, o.zOffice);
  } else {
    struct report_period p;
    if (report_period_parse(sm.zPeriod, &p, err) != 0) {
      *pStatus = 400;
      rc = SWS_EINVAL;
    }
  }
  if (rc == 0 && (rc = c->s->ops->begin(c->s, err)) == 0) {
    char zNow[32];
    sws_time_format(zNow, sizeof zNow, sws_now_ms());
    rc = c->s->ops->summary_put(c->s, sm.zOffice, sm.zPeriod, zBody, nBody,
                                zNow, err);
    if (rc == 0)
      rc = c->s->ops->commit(c->s, err);
    else
      c->s->ops->rollback(c->s);
  }
  if (rc == 0) {
    *pStatus = 200;
    central_log(c, "%s summary of %s received (%zu values)", zDevice,
                sm.zPeriod, json_object_size(sm.values));
  }
  summary_release(&sm);
  return rc;
}

struct stored {
  char (*aOffice)[17];
  char (*aPeriod)[32];
  char **azBody;
  int n;
};

static int take_summary(void *arg, int nCol, const char *const *az)
{
  struct stored *st = arg;
  if (nCol < 3 || !az[0] || !az[1] || !az[2])
    return 0;
  st->aOffice =
      sws_realloc(st->aOffice, sizeof *st->aOffice * (size_t)(st->n + 1));
  st->aPeriod =
      sws_realloc(st->aPeriod, sizeof *st->aPeriod * (size_t)(st->n + 1));
  st->azBody =
      sws_realloc(st->azBody, sizeof *st->azBody * (size_t)(st->n + 1));
  snprintf(st->aOffice[st->n], sizeof st->aOffice[st->n], "%s", az[0]);
  snprintf(st->aPeriod[st->n], sizeof st->aPeriod[st->n], "%s", az[1]);
  st->azBody[st->n++] = sws_strdup(az[2]);
  return 0;
}

int central_report_check(struct central *c, const struct report_set *set,
                         int (*fn)(void *arg, const struct summary_diff *d),
                         void *arg, int *pnChecked, struct sws_err *err)
{
  struct stored st = {NULL, NULL, NULL, 0};
  int rc = c->s->ops->read_rows(c->s,
                                "SELECT office, period, body FROM summary "
                                "ORDER BY office, period",
                                0, NULL, take_summary, &st, err);
  *pnChecked = 0;
  for (int i = 0; rc == 0 && i < st.n; i++) {
    json_t *body = json_loads(st.azBody[i], 0, NULL);
    json_t *values = json_object_get(body, "values");
    struct report_opts o = REPORT_OPTS_INIT;
    struct report r;
    o.layer = 0;
    o.suppress = 0;
    if (report_period_parse(st.aPeriod[i], &o.period, NULL) != 0 ||
        !json_is_object(values)) {
      json_decref(body);
      continue; /* checked when received */
    }
    if ((rc = report_of(c, st.aOffice[i], set, &o, &r, err)) == 0) {
      ++*pnChecked;
      for (int k = 0; k < r.nCell; k++) {
        const struct report_cell *cell = &r.aCell[k];
        json_t *v = json_object_get(values, cell->zIndicator);
        if (!cell->bCount || cell->dim != REPORT_TOTAL || !cell->bScope ||
            !json_is_integer(v))
          continue; /* what both count, as totals */
        if ((int64_t)cell->value == json_integer_value(v))
          continue;
        struct summary_diff d = {st.aOffice[i], st.aPeriod[i], cell->zIndicator,
                                 json_integer_value(v), (int64_t)cell->value};
        if (fn(arg, &d) != 0)
          break;
      }
      report_release(&r);
    }
    json_decref(body);
  }
  for (int i = 0; i < st.n; i++)
    free(st.azBody[i]);
  free(st.azBody);
  free(st.aOffice);
  free(st.aPeriod);
  return rc;
}
