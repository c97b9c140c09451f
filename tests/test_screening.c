/*
 * test_screening.c - kept screening outcomes (cases/screening.c,
 * schema/office/0012): the report's coverage gap is the same with the
 * kept outcomes as screened on the fly, after the upkeep and after every
 * change screening reads (a member edited, added or moved, a household
 * moved, a new assessment, the catalogue, a questionnaire, the areas, a
 * birthday); a kept outcome left behind by a change would show; the days
 * an age holds; kept rows edited behind the program's back.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/casefile.h"
#include "cases/facts.h"
#include "cases/household.h"
#include "cases/programme.h"
#include "cases/report.h"
#include "cases/screening.h"
#include "core/buf.h"
#include "core/clock.h"
#include "tests/support.h"

extern const char cases_default_instrument_needs_json[];

static struct report_set *g_set;

static void at(const char *zWhen)
{
  setenv("SWS_NOW", zWhen, 1);
}

/* A catalogue whose outcomes move with ages, the areas and the answers:
 * version 3 (the office has the built-in version 2). %d: the social
 * pension's age. */
#define RULE(z) "{\"if\": \"" z "\", \"explain\": \"a rule\"}"
#define IDPOOR "idpoor in [\\\"level1\\\", \\\"level2\\\"]"
#define PROGRAMME(code, guarantee, level)                                      \
  "{\"code\": \"" code "\", \"name\": \"" code "\", \"agency\": \"MoSVY\", "   \
  "\"guarantee\": \"" guarantee "\", \"level\": \"" level "\", "               \
  "\"documents\": [], \"rules\": ["
/* clang-format off */
static const char CATALOGUE[] =
    "{\"version\": %d, \"programmes\": ["
    PROGRAMME("hef", "health", "household") RULE(IDPOOR) "]},"
    PROGRAMME("social-pension", "older-persons", "member")
      RULE("member.age >= %d") "," RULE(IDPOOR) "]},"
    PROGRAMME("commune-one", "working-age", "household")
      RULE("has(household.areas, \\\"C1\\\")") ","
      RULE("idpoor == \\\"level1\\\"") "]},"
    PROGRAMME("baby", "children", "member") RULE("member.age < 2") "]}]}";
/* clang-format on */

static void catalogue(int version, int pensionAge)
{
  char z[sizeof CATALOGUE + 16];
  struct programme_load_report rep;
  snprintf(z, sizeof z, CATALOGUE, version, pensionAge);
  T_OK(cases_programme_load(t_ctx, z, strlen(z), &rep, &t_err));
}

static void assess(const char *zRegno, const char *zIdPoor)
{
  struct case_info ci;
  char zAnswer[40];
  snprintf(zAnswer, sizeof zAnswer, "idpoor=%s", zIdPoor);
  const char *az[] = {"income_monthly=300000", zAnswer, "health_cover=none"};
  int64_t n;
  if (cases_case_open(t_ctx, zRegno, &ci, &t_err) != 0)
    t_err.code = 0; /* open already */
  T_OK(cases_assessment_add(t_ctx, zRegno, NULL, az, 3, &n, &t_err));
}

/*
 * 2026-03-05: A (a woman born 1980, V1), B (a man born 1950, V1), C (a man
 * born 20 April 1961, V3: 65 on 2026-04-20), D (a woman born 1990, V2),
 * all IDPoor level 1; E (V1) never assessed. The report of March is made
 * on 2026-04-15.
 */
static char g_hh[5][SWS_NUMBER_MAX];

static void setup(void)
{
  static const char *const azBorn[5] = {"1980", "1950", "1961-04-20", "1990",
                                        "1985"};
  static const char *const azArea[5] = {"V1", "V1", "V3", "V2", "V1"};
  t_office_setup();
  T_OK(report_set_load_default(&g_set, &t_err));
  at("2026-03-01T09:00:00Z");
  catalogue(3, 65);
  at("2026-03-05T09:00:00Z");
  for (int i = 0; i < 5; i++)
    snprintf(g_hh[i], sizeof g_hh[i], "%s",
             t_household(i == 1 || i == 2 ? "Ta Chan" : "Srey Mom",
                         i == 1 || i == 2 ? 'M' : 'F', azBorn[i], azArea[i]));
  for (int i = 0; i < 4; i++)
    assess(g_hh[i], "level1");
  at("2026-04-15T09:00:00Z");
}

static void teardown(void)
{
  unsetenv("SWS_NOW");
  report_set_free(g_set);
  g_set = NULL;
  t_office_teardown();
}

static int64_t count(const char *zSql)
{
  int64_t n = -1;
  T_OK(db_int64(t_ctx->db, &n, -1, zSql, &t_err));
  return n;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every cell of the coverage gap in March, one line each, sorted. */
static void gap(struct buf *out)
{
  struct report_opts o = REPORT_OPTS_INIT;
  struct report r;
  char *az[512];
  int n = 0;
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  o.layer = AREA_VILLAGE;
  T_OK(report_run(t_ctx, g_set, &o, &r, &t_err));
  for (int i = 0; i < r.nCell && n < 512; i++) {
    const struct report_cell *c = &r.aCell[i];
    if (strcmp(c->zIndicator, "eligible_not_enrolled") != 0)
      continue;
    struct buf b = BUF_INIT;
    buf_appendf(&b, "%s%s %d %s%s%s%s = %g\n", c->zArea, c->bScope ? "*" : "",
                c->dim, c->zSex, c->zAge, c->zDisability, c->zCat, c->value);
    az[n++] = buf_detach(&b, NULL);
  }
  report_release(&r);
  qsort(az, (size_t)n, sizeof az[0], cmp_str);
  buf_reset(out);
  for (int i = 0; i < n; i++) {
    buf_puts(out, az[i]);
    free(az[i]);
  }
}

/* The gap's total in March. */
static double gap_total(void)
{
  struct report_opts o = REPORT_OPTS_INIT;
  struct report r;
  double v = -1;
  T_OK(report_period_parse("2026-03", &o.period, &t_err));
  T_OK(report_run(t_ctx, g_set, &o, &r, &t_err));
  for (int i = 0; i < r.nCell; i++)
    if (strcmp(r.aCell[i].zIndicator, "eligible_not_enrolled") == 0 &&
        r.aCell[i].bScope && r.aCell[i].dim == 0)
      v = r.aCell[i].value;
  report_release(&r);
  return v;
}

/* The gap as screening on the fly finds it: the kept rows out of the way
 * for one report, then back. */
static void gap_on_the_fly(struct buf *out)
{
  T_OK(db_exec(t_ctx->db,
               "SAVEPOINT fly; DELETE FROM screening; "
               "DELETE FROM screening_eligible",
               &t_err));
  gap(out);
  T_OK(db_exec(t_ctx->db, "ROLLBACK TO fly; RELEASE fly", &t_err));
}

/* The gap read with the kept screenings is the gap screened on the fly. */
static void exact(int line)
{
  struct buf kept = BUF_INIT, fly = BUF_INIT;
  gap(&kept);
  gap_on_the_fly(&fly);
  if (strcmp(buf_str(&kept), buf_str(&fly)) != 0)
    fprintf(stderr, "\n  line %d: kept\n%s  on the fly\n%s", line,
            buf_str(&kept), buf_str(&fly));
  CU_ASSERT_STRING_EQUAL(buf_str(&kept), buf_str(&fly));
  CU_ASSERT(fly.n > 0); /* a gap to compare */
  buf_release(&kept);
  buf_release(&fly);
}
#define EXACT() exact(__LINE__)

/* Run one statement with :r, when it has one, bound to household number
 * zRegno and :today to today; its first column (a count), or -1; the
 * SQLite result code in *pRc (may be NULL). */
static int64_t sql_for(const char *zSql, const char *zRegno, int *pRc)
{
  sqlite3_stmt *q;
  char zToday[11];
  int64_t v = -1;
  T_OK(db_prepare(t_ctx->db, &q, zSql, &t_err));
  cases_today(zToday);
  if (sqlite3_bind_parameter_index(q, ":r") > 0)
    db_bind_text(q, ":r", zRegno);
  if (sqlite3_bind_parameter_index(q, ":today") > 0)
    db_bind_text(q, ":today", zToday);
  int rc = db_step(t_ctx->db, q, NULL);
  if (rc == DB_ROW)
    v = db_col_int64(q, 0);
  db_done(t_ctx->db, q);
  if (pRc)
    *pRc = rc;
  else
    CU_ASSERT(rc >= 0);
  return v;
}

static void upkeep(void)
{
  int n = 0;
  T_OK(cases_screening_all(t_ctx, &n, &t_err));
}

/* Kept screenings valid today. */
static int64_t kept(void)
{
  return sql_for("SELECT count(*) FROM screening WHERE screened_on <= "
                 ":today AND valid_until > :today",
                 NULL, NULL);
}

/* The id of household zRegno, in SQL. */
#define HH "(SELECT id FROM household WHERE regno = :r)"

/* Whether household zRegno has a kept screening. */
static int kept_for(const char *zRegno)
{
  return (int)sql_for("SELECT count(*) FROM screening WHERE household_id "
                      "= " HH,
                      zRegno, NULL);
}

static void test_screening__upkeep_keeps_what_the_fly_finds(void)
{
  /* each assessment kept its household's screening as it was saved */
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
  T_OK(db_exec(t_ctx->db, "DELETE FROM screening", &t_err));
  CU_ASSERT_EQUAL(kept(), 0);
  EXACT(); /* nothing kept: all on the fly */
  int n = 0, bMore = 0;
  T_OK(cases_screening_step(t_ctx, 3, &n, &bMore, &t_err));
  CU_ASSERT_EQUAL(n, 3);
  CU_ASSERT(bMore);
  EXACT(); /* three kept, one on the fly */
  T_OK(cases_screening_all(t_ctx, &n, &t_err));
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(kept(), 4); /* the assessed households, not E */
  CU_ASSERT_EQUAL(kept_for(g_hh[4]), 0);
  /* A: hef, commune-one; B: those and the pension; C: hef; D: both */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM screening_eligible"), 8);
  CU_ASSERT_EQUAL(gap_total(), 8);
  EXACT();
  /* nothing left to do */
  T_OK(cases_screening_step(t_ctx, 64, &n, &bMore, &t_err));
  CU_ASSERT_EQUAL(n, 0);
  CU_ASSERT(!bMore);
  /* an application by the period's end closes that gap, kept or not */
  int64_t number;
  T_OK(cases_enrol(t_ctx, g_hh[1], 1, "social-pension", &number, &t_err));
  CU_ASSERT_EQUAL(kept(), 4);      /* an application is not screening's input */
  CU_ASSERT_EQUAL(gap_total(), 8); /* applied in April: March's gap */
  at("2026-03-20T09:00:00Z");
  T_OK(cases_enrol(t_ctx, g_hh[0], 0, "hef", &number, &t_err));
  at("2026-04-15T09:00:00Z");
  CU_ASSERT_EQUAL(gap_total(), 7);
  EXACT();
}

static void test_screening__member_changes(void)
{
  upkeep();
  /* B, 76, made 46 by a correction: no longer the pension's */
  struct member_edit e = {NULL, 0, "1980", 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, g_hh[1], 1, &e, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[1]), 0);
  CU_ASSERT_EQUAL(kept(), 3);
  CU_ASSERT_EQUAL(gap_total(), 7);
  EXACT();
  upkeep();
  EXACT();
  /* a baby born to A */
  struct member_input m = {"Baby", 'F', "2026-01", REL_CHILD, NULL, NULL, 0};
  int line;
  T_OK(cases_member_add(t_ctx, g_hh[0], &m, "test", &line, NULL, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[0]), 0);
  CU_ASSERT_EQUAL(gap_total(), 8);
  EXACT();
  upkeep();
  EXACT();
  /* the baby moves to D: both households change */
  int newLine;
  T_OK(cases_member_move(t_ctx, g_hh[0], line, g_hh[3], REL_GRANDCHILD,
                         &newLine, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[0]), 0);
  CU_ASSERT_EQUAL(kept_for(g_hh[3]), 0);
  EXACT();
  upkeep();
  EXACT();
  /* a member leaves */
  struct member_edit gone = {NULL, 0, NULL, 0, 0, NULL, NULL, -1, "left"};
  T_OK(cases_member_edit(t_ctx, g_hh[3], newLine, &gone, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[3]), 0);
  CU_ASSERT_EQUAL(gap_total(), 7);
  EXACT();
}

static void test_screening__household_changes(void)
{
  upkeep();
  /* A moves from V1 (commune C1) to V3 (C2): no longer the commune's */
  struct household_edit e = {"V3", NULL, NULL};
  T_OK(cases_household_edit(t_ctx, g_hh[0], &e, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[0]), 0);
  CU_ASSERT_EQUAL(kept(), 3);
  CU_ASSERT_EQUAL(gap_total(), 7);
  EXACT();
  upkeep();
  EXACT();
  /* a new assessment of D: IDPoor level 2, no longer the commune's */
  assess(g_hh[3], "level2");
  /* the old outcome deleted, the new one kept as the assessment was saved */
  CU_ASSERT_EQUAL(sql_for("SELECT count(*) FROM screening s JOIN "
                          "screening_eligible k ON k.household_id = "
                          "s.household_id WHERE s.household_id = " HH
                          " AND s.screened_on = '2026-04-15'",
                          g_hh[3], NULL),
                  1); /* hef only */
  CU_ASSERT_EQUAL(gap_total(), 6);
  EXACT();
  upkeep();
  EXACT();
  /* a deactivated household is not counted; back, it is screened again */
  T_OK(cases_household_deactivate(t_ctx, g_hh[1], "moved away", &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[1]), 0);
  upkeep(); /* noted as not screened today, so the upkeep passes it */
  CU_ASSERT_EQUAL(kept_for(g_hh[1]), 1);
  CU_ASSERT_EQUAL(kept(), 3);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM screening WHERE valid_until "
                        "= screened_on"),
                  1);
  CU_ASSERT_EQUAL(gap_total(), 3);
  EXACT();
  T_OK(cases_household_reactivate(t_ctx, g_hh[1], "back", &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[1]), 0);
  CU_ASSERT_EQUAL(gap_total(), 6);
  EXACT();
  upkeep();
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
}

static void test_screening__office_wide_changes(void)
{
  struct area_load_report rep;
  upkeep();
  /* the pension from 60: C (64) becomes eligible */
  catalogue(4, 60);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM screening"), 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM screening_eligible"), 0);
  CU_ASSERT_EQUAL(gap_total(), 9);
  EXACT();
  upkeep();
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
  /* a new version of the questionnaire */
  char *z = strdup(cases_default_instrument_needs_json);
  char *v = strstr(z, "\"version\": 2");
  CU_ASSERT_PTR_NOT_NULL_FATAL(v);
  v[11] = '3';
  struct instrument_load_report irep;
  T_OK(cases_instrument_load(t_ctx, z, strlen(z), &irep, &t_err));
  free(z);
  CU_ASSERT_EQUAL(irep.version, 3);
  CU_ASSERT_EQUAL(kept(), 0);
  EXACT();
  upkeep();
  EXACT();
  /* village V2 moves to commune C2: D is no longer the commune's */
  static const char zMove[] = "code,level,name,name_latin,parent_code\n"
                              "V2,village,ភូមិពីរ,Village Two,C2\n";
  memset(&rep, 0, sizeof rep);
  T_OK(cases_area_load_csv(t_ctx, zMove, strlen(zMove), &rep, &t_err));
  buf_release(&rep.errors);
  CU_ASSERT_EQUAL(kept(), 0);
  CU_ASSERT_EQUAL(gap_total(), 8);
  EXACT();
  upkeep();
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
}

static void test_screening__birthday(void)
{
  upkeep();
  /* C's screening, kept when he was assessed, holds until his 65th
   * birthday */
  CU_ASSERT_EQUAL(sql_for("SELECT count(*) FROM screening WHERE "
                          "household_id = " HH " AND screened_on = "
                          "'2026-03-05' AND valid_until = '2026-04-20'",
                          g_hh[2], NULL),
                  1);
  CU_ASSERT_EQUAL(gap_total(), 8);
  at("2026-04-19T23:00:00Z");
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
  at("2026-04-20T09:00:00Z"); /* 65 today: the pension */
  CU_ASSERT_EQUAL(kept(), 3);
  CU_ASSERT_EQUAL(gap_total(), 9);
  EXACT();
  upkeep();
  CU_ASSERT_EQUAL(kept(), 4);
  EXACT();
  /* the clock set back before C's new screening: not trusted; the
   * others, kept at their assessment, still are */
  at("2026-04-01T09:00:00Z");
  CU_ASSERT_EQUAL(kept(), 3);
  CU_ASSERT_EQUAL(gap_total(), 8);
  EXACT();
}

/* Each trigger is what keeps the report right: without the member
 * trigger, the kept outcome of before the change would be counted. */
static void test_screening__stale_without_triggers(void)
{
  struct buf kept_gap = BUF_INIT, fly = BUF_INIT;
  upkeep();
  T_OK(db_exec(t_ctx->db, "DROP TRIGGER screening_member_u", &t_err));
  struct member_edit e = {NULL, 0, "1980", 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, g_hh[1], 1, &e, &t_err));
  CU_ASSERT_EQUAL(kept_for(g_hh[1]), 1); /* left behind */
  gap(&kept_gap);
  gap_on_the_fly(&fly);
  CU_ASSERT_STRING_NOT_EQUAL(buf_str(&kept_gap), buf_str(&fly));
  CU_ASSERT_EQUAL(gap_total(), 8); /* B's pension, stale */
  buf_release(&kept_gap);
  buf_release(&fly);
}

/* The first day the age differs, day by day. */
static void until_by_days(const char *zBorn, const char *zToday, char *zOut)
{
  int y, m, d;
  CU_ASSERT_EQUAL(sscanf(zToday, "%4d-%2d-%2d", &y, &m, &d), 3);
  int64_t t0 = sws_days_from_civil(y, m, d);
  int age = cases_member_age(zBorn, zToday);
  for (int k = 1; k <= FACTS_AGE_HORIZON; k++) {
    sws_civil_from_days(t0 + k, &y, &m, &d);
    snprintf(zOut, 11, "%04d-%02d-%02d", y, m, d);
    if (cases_member_age(zBorn, zOut) != age)
      return;
  }
}

static void test_screening__age_until(void)
{
  static const char *const azBorn[] = {
      "1950",       "1961-04",    "1961-04-20", "2000-02-29", "2000-12-31",
      "2000-01-01", "2027",       "2026-12",    "2026-04-15", "2026-04-16",
      "1999-06-30", "1999-07-01", "2024-02-29", "1961-11"};
  static const char *const azToday[] = {
      "2026-04-15", "2026-02-28", "2027-02-28", "2028-02-28",
      "2026-12-31", "2026-01-01", "2026-06-30", "2026-07-01"};
  char zA[11], zB[11];
  int nChecked = 0;
  for (size_t i = 0; i < sizeof azBorn / sizeof azBorn[0]; i++)
    for (size_t j = 0; j < sizeof azToday / sizeof azToday[0]; j++) {
      cases_member_age_until(azBorn[i], azToday[j], zA);
      until_by_days(azBorn[i], azToday[j], zB);
      if (strcmp(zA, zB) != 0)
        fprintf(stderr, "\n  born %s on %s: %s, day by day %s", azBorn[i],
                azToday[j], zA, zB);
      CU_ASSERT_STRING_EQUAL(zA, zB);
      nChecked++;
    }
  CU_ASSERT_EQUAL(nChecked, 112);
  cases_member_age_until("1961-04-20", "2026-04-15", zA);
  CU_ASSERT_STRING_EQUAL(zA, "2026-04-20");
  cases_member_age_until("1950", "2026-07-01", zA); /* 1 July: next year */
  CU_ASSERT_STRING_EQUAL(zA, "2027-07-01");
  cases_member_age_until("2000-02-29", "2027-02-28", zA); /* no 29th */
  CU_ASSERT_STRING_EQUAL(zA, "2027-03-01");
}

/* Kept rows are derived data, like an index: edited behind the
 * program's back, the upkeep still runs and the report still answers.
 * Rows of no assessed household are never counted; dates that are not
 * dates, or a validity beyond the age horizon, are refused; a deleted
 * kept screening is screened on the fly. What stays: eligible rows
 * deleted or forged under a valid screening are counted as they are
 * until the household changes, the catalogue does, or the screening
 * expires (a year at most). */
static void test_screening__tampered(void)
{
  int n = -1;
  upkeep();
  /* forged: a kept screening of no household, one of E (never
   * assessed): trusted by the report, dropped by the sweep */
  T_OK(db_exec(t_ctx->db,
               "INSERT INTO screening VALUES ('nobody', '2026-04-01', "
               "'2026-12-31', 'V2', '2026-01-01'); INSERT INTO "
               "screening_eligible VALUES ('nobody', 'hef', 0, 'x', "
               "'health', 'F', '1980', 0)",
               &t_err));
  sql_for("INSERT INTO screening SELECT " HH ", '2026-04-01', '2027-01-01', "
          "'V1', '2026-01-01'",
          g_hh[4], NULL);
  sql_for("INSERT INTO screening_eligible SELECT " HH ", 'baby', 1, 'x', "
          "'children', 'F', '2026', 0",
          g_hh[4], NULL);
  CU_ASSERT_EQUAL(gap_total(), 10);
  T_OK(cases_screening_sweep(t_ctx, &n, &t_err));
  CU_ASSERT_EQUAL(n, 2);
  CU_ASSERT_EQUAL(gap_total(), 8);
  EXACT();
  /* dates that are not dates, or beyond the age horizon: refused */
  int rc = 0;
  sql_for("UPDATE screening SET valid_until = 'garbage' WHERE household_id "
          "= " HH,
          g_hh[2], &rc);
  CU_ASSERT(rc < 0);
  sql_for("UPDATE screening SET valid_until = '2030-01-01' WHERE "
          "household_id = " HH,
          g_hh[2], &rc);
  CU_ASSERT(rc < 0);
  /* A's kept screening deleted: screened on the fly, then kept again */
  sql_for("DELETE FROM screening WHERE household_id = " HH, g_hh[0], NULL);
  EXACT();
  upkeep();
  CU_ASSERT_EQUAL(kept_for(g_hh[0]), 1);
  EXACT();
  /* who B is, changed in the kept rows: the sweep sees it */
  sql_for("UPDATE screening_eligible SET sex = 'F' WHERE household_id = " HH,
          g_hh[1], NULL);
  T_OK(cases_screening_sweep(t_ctx, &n, &t_err));
  CU_ASSERT_EQUAL(n, 1);
  EXACT();
  upkeep();
  /* B's eligible rows deleted under a valid screening: only screening
   * again could tell, so they are missed until B changes */
  sql_for("DELETE FROM screening_eligible WHERE household_id = " HH, g_hh[1],
          NULL);
  CU_ASSERT_EQUAL(gap_total(), 5);
  upkeep();
  CU_ASSERT_EQUAL(gap_total(), 5);
  struct member_edit e = {NULL, 0, NULL, 0, 0, NULL, "012345678", -1, NULL};
  T_OK(cases_member_edit(t_ctx, g_hh[1], 1, &e, &t_err));
  CU_ASSERT_EQUAL(gap_total(), 8);
  upkeep();
  EXACT();
}

static CU_TestInfo tests[] = {
    {"upkeep_keeps_what_the_fly_finds",
     test_screening__upkeep_keeps_what_the_fly_finds},
    {"member_changes", test_screening__member_changes},
    {"household_changes", test_screening__household_changes},
    {"office_wide_changes", test_screening__office_wide_changes},
    {"birthday", test_screening__birthday},
    {"stale_without_triggers", test_screening__stale_without_triggers},
    {"age_until", test_screening__age_until},
    {"tampered", test_screening__tampered},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_screening = {"screening", NULL,     NULL,
                                setup,       teardown, tests};
