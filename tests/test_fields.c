/*
 * test_fields.c - the registry's rules for pushed field values
 * (sync/fields.h): the rules cover exactly the columns an office sends and
 * agree with its schema, every mutation a real office writes passes them,
 * and forged values (null names, a megabyte of name, objects where text
 * belongs, impossible dates, control and bidirectional characters, broken
 * numbers) are refused with the field named.
 */
#include <CUnit/CUnit.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/assessment.h"
#include "cases/capture.h"
#include "cases/casefile.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/import.h"
#include "cases/plan.h"
#include "cases/programme.h"
#include "cases/referral.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/mem.h"
#include "sync/fields.h"
#include "sync/proto.h"
#include "tests/support.h"

static void teardown(void)
{
  unsetenv("SWS_NOW");
  t_office_teardown();
}

/* ---- helpers ---- */

/* fields_check on fields given as JSON text (\u0000 kept as a NUL). */
static int check(const char *zEntity, int bInsert, const char *zJson)
{
  json_error_t jerr;
  json_t *o = json_loads(zJson, JSON_ALLOW_NUL, &jerr);
  if (o == NULL)
    fprintf(stderr, "\n  test JSON: %s: %s\n", jerr.text, zJson);
  CU_ASSERT_PTR_NOT_NULL_FATAL(o);
  sws_err_clear(&t_err);
  int rc = fields_check(zEntity, bInsert, o, &t_err);
  json_decref(o);
  return rc;
}

/* The fields zBase (JSON text) with zField set to zValue (JSON text, \u0000
 * kept) or, for NULL, without zField; then fields_check. */
static int with(const char *zEntity, int bInsert, const char *zBase,
                const char *zField, const char *zValue)
{
  json_error_t jerr;
  json_t *o = json_loads(zBase, 0, &jerr);
  CU_ASSERT_PTR_NOT_NULL_FATAL(o);
  if (zValue) {
    json_t *v = json_loads(zValue, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (v == NULL)
      fprintf(stderr, "\n  test value: %s: %s\n", jerr.text, zValue);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    json_object_set_new(o, zField, v);
  } else {
    json_object_del(o, zField);
  }
  sws_err_clear(&t_err);
  int rc = fields_check(zEntity, bInsert, o, &t_err);
  json_decref(o);
  return rc;
}

/* A JSON string of n copies of z; caller frees. */
static char *repeat(const char *z, int n)
{
  size_t k = strlen(z), o = 0;
  char *out = sws_malloc(k * (size_t)n + 3);
  out[o++] = '"';
  for (int i = 0; i < n; i++, o += k)
    memcpy(out + o, z, k);
  out[o++] = '"';
  out[o] = '\0';
  return out;
}

/* Assert rc is a refusal whose message names field zField and (unless
 * NULL) says zExpect. */
#define REFUSED(rc, zField, zExpect)                                           \
  refused((rc), (zField), (zExpect), __LINE__)
static void refused(int rc, const char *zField, const char *zExpect, int line)
{
  char zName[80];
  snprintf(zName, sizeof zName, "field '%s'", zField);
  int ok = rc == SWS_EINVAL && strstr(t_err.msg, zName) != NULL &&
           (zExpect == NULL || strstr(t_err.msg, zExpect) != NULL);
  if (!ok)
    fprintf(stderr, "\n  line %d: expected %s refused (%s), got %d: %s\n", line,
            zName, zExpect ? zExpect : "", rc, t_err.msg);
  CU_ASSERT(ok);
}

/* Assert rc is 0, printing the message otherwise. */
#define PASSES(rc) passes((rc), __LINE__)
static void passes(int rc, int line)
{
  if (rc != 0)
    fprintf(stderr, "\n  line %d: refused: %s\n", line, t_err.msg);
  CU_ASSERT_EQUAL(rc, 0);
}

static const char MEMBER[] =
    "{\"household_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a\", \"line_no\": "
    "2, \"name\": \"Chan Sreymom\", \"sex\": \"F\", \"born\": \"1986-05\", "
    "\"relationship\": \"spouse\", \"national_id\": null, \"phone\": \"\", "
    "\"disability\": 0, \"status\": \"active\", \"created_at\": "
    "\"2026-03-02T09:00:00Z\"}";

static const char NOTE[] =
    "{\"case_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6b\", \"text\": "
    "\"Visited the family.\", \"at\": \"2026-03-02T09:00:00Z\", \"by\": "
    "\"cm1\"}";

static const char ACTION[] =
    "{\"case_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6b\", \"no\": 1, "
    "\"goal_no\": null, \"kind\": \"skills\", \"text\": \"sewing course\", "
    "\"owner\": \"the family\", \"due\": \"2026-04-30\", \"status\": "
    "\"planned\", \"created_at\": \"2026-03-02T09:00:00Z\", \"created_by\": "
    "\"cm1\", \"done_at\": null}";

static const char ASSESSMENT[] =
    "{\"number\": 1, \"case_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6b\", "
    "\"household_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a\", "
    "\"instrument_code\": \"needs\", \"instrument_version\": 1, \"answers\": "
    "\"{\\\"idpoor\\\": \\\"level1\\\"}\", \"score\": 5.5, \"band\": \"high\", "
    "\"flags\": \"[\\\"vulnerability:food\\\"]\", \"explanation\": \"[]\", "
    "\"assessed_at\": \"2026-03-02T09:00:00Z\", \"assessed_by\": \"cm1\"}";

static const char CASE_FILE[] =
    "{\"household_id\": \"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a\", \"status\": "
    "\"open\", \"manager\": null, \"opened_at\": \"2026-03-02T09:00:00Z\", "
    "\"opened_by\": \"desk\", \"closed_at\": null, \"outcome\": null}";

/* A household insert with registration number KH12-000042-C (its check
 * character computed); caller frees. */
static char *household_json(void)
{
  char zRegno[SWS_NUMBER_MAX];
  CU_ASSERT_EQUAL_FATAL(sws_number_format(zRegno, sizeof zRegno, "KH12", 42),
                        0);
  return sws_mprintf(
      "{\"regno\": \"%s\", \"area_code\": \"V1\", \"address\": \"Street 7\", "
      "\"phone\": \"012345678\", \"status\": \"active\", \"status_reason\": "
      "\"\", \"import_key\": null, \"created_at\": \"2026-03-02T09:00:00Z\", "
      "\"created_by\": \"desk\"}",
      zRegno);
}

/* A grievance insert, anonymous or of a household; caller frees. */
static char *grievance_json(int bAnonymous)
{
  char zTicket[SWS_NUMBER_MAX];
  CU_ASSERT_EQUAL_FATAL(sws_number_format(zTicket, sizeof zTicket, "KH12-G", 7),
                        0);
  return sws_mprintf(
      "{\"ticket\": \"%s\", \"household_id\": %s, \"anonymous\": %d, "
      "\"followup_hash\": %s, \"category\": \"payment\", \"channel\": "
      "\"hotline\", \"text\": \"Payment late\", \"status\": \"received\", "
      "\"layer\": \"commune\", \"due\": \"2026-03-09\", \"answer\": \"\", "
      "\"answer_layer\": null, \"flagged\": 0, \"created_at\": "
      "\"2026-03-02T09:00:00Z\", \"created_by\": \"desk\"}",
      zTicket, bAnonymous ? "null" : "\"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a\"",
      bAnonymous,
      bAnonymous ? "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b"
                   "0f00a08\""
                 : "null");
}

/* ---- the table and the office schema ---- */

static int has_rule(const struct fields_rule *a, int n, const char *z)
{
  for (int i = 0; i < n; i++)
    if (strcmp(a[i].zName, z) == 0)
      return 1;
  return 0;
}

static void test_fields__table_matches_office_schema(void)
{
  sqlite3_stmt *q;
  const struct fields_rule *a;
  int n, nSynced = 0, nEntities = 0;
  /* every office table whose changes go to the outbox has rules */
  T_OK(db_prepare(t_ctx->db, &q,
                  "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' "
                  "AND name = tbl_name || '_outbox_i' ORDER BY 1",
                  &t_err));
  while (db_step(t_ctx->db, q, &t_err) == DB_ROW) {
    const char *zTable = db_col_str(q, 0);
    nSynced++;
    if (fields_rules(zTable, &a, &n) != 0)
      fprintf(stderr, "\n  synced table %s has no rules\n", zTable);
    CU_ASSERT_EQUAL(fields_rules(zTable, &a, &n), 0);
    CU_ASSERT(proto_entity_known(zTable));
  }
  db_done(t_ctx->db, q);
  for (const char *const *pz = fields_entities; *pz; pz++)
    nEntities++;
  CU_ASSERT_EQUAL(nSynced, 13);
  CU_ASSERT_EQUAL(nEntities, nSynced);

  for (const char *const *pz = fields_entities; *pz; pz++) {
    const char(*az)[48];
    int nCol;
    T_OK(fields_rules(*pz, &a, &n));
    T_OK(capture_table_columns(t_ctx, *pz, &az, &nCol));
    /* the columns an office sends, each with a rule, and no more rules */
    for (int i = 0; i < nCol; i++) {
      if (!has_rule(a, n, az[i]))
        fprintf(stderr, "\n  %s.%s is sent by offices and has no rule\n", *pz,
                az[i]);
      CU_ASSERT(has_rule(a, n, az[i]));
    }
    for (int i = 0; i < n; i++) {
      int found = 0;
      for (int k = 0; k < nCol; k++)
        found |= strcmp(az[k], a[i].zName) == 0;
      if (!found)
        fprintf(stderr, "\n  rule for %s.%s, which offices do not send\n", *pz,
                a[i].zName);
      CU_ASSERT(found);
      CU_ASSERT_PTR_EQUAL(fields_rule(*pz, a[i].zName), &a[i]);
    }
    CU_ASSERT_EQUAL(n, nCol);
    /* and each rule says what the schema says: NOT NULL, DEFAULT, type */
    T_OK(db_prepare(t_ctx->db, &q,
                    "SELECT name, type, \"notnull\", dflt_value IS NOT NULL "
                    "FROM pragma_table_xinfo(:t) WHERE hidden = 0",
                    &t_err));
    db_bind_text(q, ":t", *pz);
    while (db_step(t_ctx->db, q, &t_err) == DB_ROW) {
      const struct fields_rule *r = fields_rule(*pz, db_col_str(q, 0));
      const char *zType = db_col_str(q, 1);
      int bNotNull = (int)db_col_int64(q, 2),
          bDefault = (int)db_col_int64(q, 3);
      if (r == NULL)
        continue; /* rid, id, updated_at */
      int bNullable = (r->flags & FIELDS_NULLABLE) != 0;
      int bRequired = (r->flags & FIELDS_REQUIRED) != 0;
      int bTypeOk = strcmp(zType, "INTEGER") == 0
                        ? r->kind == FIELDS_INT || r->kind == FIELDS_FLAG
                    : strcmp(zType, "REAL") == 0
                        ? r->kind == FIELDS_REAL
                        : strcmp(zType, "TEXT") == 0 && r->kind != FIELDS_INT &&
                              r->kind != FIELDS_FLAG && r->kind != FIELDS_REAL;
      if (bNullable != !bNotNull || bRequired != (bNotNull && !bDefault) ||
          !bTypeOk)
        fprintf(stderr, "\n  %s.%s (%s%s%s) does not match its rule\n", *pz,
                r->zName, zType, bNotNull ? " NOT NULL" : "",
                bDefault ? " DEFAULT" : "");
      CU_ASSERT_EQUAL(bNullable, !bNotNull);
      CU_ASSERT_EQUAL(bRequired, bNotNull && !bDefault);
      CU_ASSERT(bTypeOk);
      /* a rule that needs its argument has one */
      if (r->kind == FIELDS_ENUM || r->kind == FIELDS_REF ||
          r->kind == FIELDS_NUMBER || r->kind == FIELDS_JSON)
        CU_ASSERT_PTR_NOT_NULL(r->zArg);
    }
    db_done(t_ctx->db, q);
  }
  CU_ASSERT_EQUAL(fields_rules("office", &a, &n), SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(n, 0);
  CU_ASSERT_PTR_NULL(fields_rule("member", "name_fold")); /* generated */
  CU_ASSERT_PTR_NULL(fields_rule("member", "updated_at"));
}

static void test_fields__references_and_numbers(void)
{
  const struct fields_ref *aRef;
  const struct fields_rule *a;
  int nRef, n;
  /* the references are the FIELDS_REF rules, nullable as they are */
  for (const char *const *pz = fields_entities; *pz; pz++) {
    int nExpect = 0;
    T_OK(fields_refs(*pz, &aRef, &nRef));
    T_OK(fields_rules(*pz, &a, &n));
    for (int i = 0; i < n; i++) {
      if (a[i].kind != FIELDS_REF)
        continue;
      int found = 0;
      for (int k = 0; k < nRef; k++)
        if (strcmp(aRef[k].zField, a[i].zName) == 0) {
          found = 1;
          CU_ASSERT_STRING_EQUAL(aRef[k].zEntity, a[i].zArg);
          CU_ASSERT_EQUAL(aRef[k].bNullable,
                          (a[i].flags & FIELDS_NULLABLE) != 0);
        }
      if (!found)
        fprintf(stderr, "\n  %s.%s is not among its references\n", *pz,
                a[i].zName);
      CU_ASSERT(found);
      nExpect++;
    }
    CU_ASSERT_EQUAL(nRef, nExpect);
  }
  T_OK(fields_refs("household", &aRef, &nRef));
  CU_ASSERT_EQUAL(nRef, 0);
  T_OK(fields_refs("enrolment", &aRef, &nRef));
  CU_ASSERT_EQUAL_FATAL(nRef, 2);
  CU_ASSERT_STRING_EQUAL(aRef[1].zField, "member_id");
  CU_ASSERT_STRING_EQUAL(aRef[1].zEntity, "member");
  CU_ASSERT_EQUAL(aRef[1].bNullable, 1);
  T_OK(fields_refs("case_note", &aRef, &nRef));
  CU_ASSERT_EQUAL_FATAL(nRef, 1);
  CU_ASSERT_STRING_EQUAL(aRef[0].zEntity, "case_file");
  CU_ASSERT_EQUAL(fields_refs("audit_log", &aRef, &nRef), SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(nRef, 0);

  /* the numbers issued under the office's device code */
  CU_ASSERT_EQUAL(fields_is_number("household", "regno"), 1);
  CU_ASSERT_EQUAL(fields_is_number("grievance", "ticket"), 1);
  CU_ASSERT_EQUAL(fields_is_number("referral", "number"), 1);
  CU_ASSERT_EQUAL(fields_is_number("enrolment", "number"), 0); /* counter */
  CU_ASSERT_EQUAL(fields_is_number("assessment", "number"), 0);
  CU_ASSERT_EQUAL(fields_is_number("member", "name"), 0);
  CU_ASSERT_EQUAL(fields_is_number("office", "code"), 0);
  char zNum[SWS_NUMBER_MAX], zDev[SWS_NUMBER_MAX];
  sws_number_format(zNum, sizeof zNum, "KH12-M1", 123);
  T_OK(fields_number_device("household", "regno", zNum, zDev, sizeof zDev,
                            &t_err));
  CU_ASSERT_STRING_EQUAL(zDev, "KH12-M1");
  sws_number_format(zNum, sizeof zNum, "KH12-G", 5);
  T_OK(fields_number_device("grievance", "ticket", zNum, zDev, sizeof zDev,
                            &t_err));
  CU_ASSERT_STRING_EQUAL(zDev, "KH12");
  /* a referral number is no ticket */
  sws_number_format(zNum, sizeof zNum, "KH12-R", 5);
  REFUSED(fields_number_device("grievance", "ticket", zNum, zDev, sizeof zDev,
                               &t_err),
          "ticket", "ticket number");
  CU_ASSERT_STRING_EQUAL(zDev, "");
  T_OK(fields_number_device("referral", "number", zNum, zDev, sizeof zDev,
                            &t_err));
  CU_ASSERT_STRING_EQUAL(zDev, "KH12");
  CU_ASSERT_EQUAL(fields_number_device("enrolment", "number", "1", zDev,
                                       sizeof zDev, &t_err),
                  SWS_EINVAL);
}

/* ---- a real office ---- */

static int64_t g_now;

/* Move the office's clock (SWS_NOW) to g_now + days. */
static void clock_at(int days)
{
  char z[32];
  sws_time_format(z, sizeof z, g_now + (int64_t)days * 86400000);
  setenv("SWS_NOW", z, 1);
}

static void test_fields__real_office_mutations_pass(void)
{
  char zPath[300], zRegno[SWS_NUMBER_MAX], zRegno2[SWS_NUMBER_MAX];
  char zRef[SWS_NUMBER_MAX], zRef2[SWS_NUMBER_MAX];
  char zTicket[SWS_NUMBER_MAX], zTicket2[SWS_NUMBER_MAX];
  char zCode[GRIEVANCE_CODE_MAX], zWho[40];
  struct case_info c;
  int64_t num, numRejected;
  int no, line;

  /* an office in a file, as it runs */
  g_now = sws_now_ms();
  clock_at(0);
  snprintf(zPath, sizeof zPath, "%s/office.db", t_tmpdir());
  t_office_teardown();
  t_ctx = t_office_at("KH12", zPath);

  /* households: at the counter, and from a legacy list */
  struct member_input m[] = {
      {"សុខ ដារ៉ា", 'M', "1979-03-05", REL_HEAD, "N-0101 22", "012 345 678", 0},
      {"Chan Sreymom", 'F', "1986-05", REL_SPOUSE, NULL, "+855 12 345 679", 0},
      {"Энх Оюунчимэг", 'F', "2014", REL_CHILD, NULL, NULL, 1},
      {"Keo Yim", 'F', "1955", REL_PARENT, "abc/123", NULL, 1},
  };
  struct household_input in = {
      "V1", "Street 7, house 12", "023 456 789", NULL, m, 4, NULL};
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
  struct member_input m2[] = {
      {"Keo Samnang", 'M', "1990", REL_HEAD, NULL, NULL, 0},
      {"Keo Srey", 'F', "2012-02-29", REL_CHILD, NULL, NULL, 0},
  };
  struct household_input in2 = {"V3", NULL, NULL, NULL, m2, 2, NULL};
  T_OK(cases_household_create(t_ctx, &in2, zRegno2, NULL, &t_err));
  {
    static const char CSV[] =
        "household_key,name,sex,born,relationship,area,national_id,phone\n"
        "LIST-7,Sam Bopha,F,1970,head,V2,N0202,097 111 2222\n"
        "LIST-7,Sam Dara,M,05/03/2001,son,V2,,\n";
    struct import_opts o = {0, "list.csv", NULL, NULL, SWS_DATE_DMY};
    struct import_report rep;
    T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
    CU_ASSERT_EQUAL(rep.nHouseholds, 1);
    cases_import_report_release(&rep);
  }

  /* members and households change */
  struct member_input nm = {
      "Sok Pisey", 'M', "2024-01-15", REL_GRANDCHILD, NULL, NULL, 0};
  T_OK(cases_member_add(t_ctx, zRegno, &nm, NULL, &line, NULL, &t_err));
  struct member_edit e1 = {"Chan Sreymom Neang", 0,  NULL, 0, 0, "",
                           "099 888 777",        -1, NULL};
  T_OK(cases_member_edit(t_ctx, zRegno, 2, &e1, &t_err));
  struct member_edit e2 = {NULL, 0,    NULL, REL_HEAD, REL_SPOUSE,
                           NULL, NULL, -1,   NULL};
  T_OK(cases_member_edit(t_ctx, zRegno, 2, &e2, &t_err));
  struct member_edit e3 = {NULL, 0, "1954-11", 0, 0, NULL, NULL, 0, "deceased"};
  T_OK(cases_member_edit(t_ctx, zRegno, 4, &e3, &t_err));
  T_OK(cases_member_move(t_ctx, zRegno, 3, zRegno2, REL_OTHER_RELATIVE, &line,
                         &t_err));
  struct household_edit he = {"V2", "Street 8, house 3", "011 222 333"};
  T_OK(cases_household_edit(t_ctx, zRegno, &he, &t_err));
  T_OK(cases_household_deactivate(t_ctx, zRegno2, "moved to Phnom Penh",
                                  &t_err));
  T_OK(cases_household_reactivate(t_ctx, zRegno2, "came back", &t_err));

  /* a case: assignments, notes, a plan */
  T_OK(cases_user_area_add(t_ctx, "cm2", "C1", &t_err));
  T_OK(cases_case_open(t_ctx, zRegno, &c, &t_err));
  T_OK(cases_case_assign(t_ctx, zRegno, "cm1", zWho, &t_err));
  T_OK(cases_case_assign(t_ctx, zRegno, NULL, zWho, &t_err));
  CU_ASSERT_STRING_EQUAL(zWho, "cm2");
  cases_set_actor(t_ctx, "cm2");
  T_OK(cases_case_note(t_ctx, zRegno,
                       "Visited the family.\nThe roof leaks;\tit needs "
                       "repair.\r\nFollow up next week: ផ្ទះ.",
                       &t_err));
  T_OK(cases_plan_goal_add(t_ctx, zRegno, "A steady income\nfor the family",
                           &no, &t_err));
  T_OK(cases_plan_goal_set(t_ctx, zRegno, no, "achieved", &t_err));
  T_OK(cases_plan_goal_add(t_ctx, zRegno, "Repair the roof", &no, &t_err));
  T_OK(cases_plan_goal_set(t_ctx, zRegno, no, "dropped", &t_err));
  T_OK(cases_plan_goal_set(t_ctx, zRegno, no, "open", &t_err));
  struct plan_action_input pa = {1, "job-placement", "garment factory", "cm2",
                                 "2026-12-31"};
  T_OK(cases_plan_action_add(t_ctx, zRegno, &pa, &no, &t_err));
  T_OK(cases_plan_action_set(t_ctx, zRegno, no, "in-progress", &t_err));
  T_OK(cases_plan_action_set(t_ctx, zRegno, no, "done", &t_err));
  struct plan_action_input pa2 = {0, "psychosocial", "counselling\ntwice",
                                  "the family", "2026-06-30"};
  T_OK(cases_plan_action_add(t_ctx, zRegno, &pa2, &no, &t_err));
  T_OK(cases_plan_action_set(t_ctx, zRegno, no, "cancelled", &t_err));

  /* an assessment, enrolments */
  const char *az[] = {"income_monthly=300000", "idpoor=level1",
                      "notes=Roof needs repair; ផ្ទះលិច",
                      "chronic_illness@1=yes"};
  T_OK(cases_assessment_add(t_ctx, zRegno, NULL, az, 4, &num, &t_err));
  T_OK(cases_enrol(t_ctx, zRegno, 0, "hef", &num, &t_err));
  T_OK(cases_enrolment_decide(t_ctx, num, 1, NULL, &t_err));
  T_OK(cases_enrol(t_ctx, zRegno, 1, "social-pension", &numRejected, &t_err));
  T_OK(cases_enrolment_decide(t_ctx, numRejected, 0,
                              "too young\nask again in ten years", &t_err));

  /* referrals, every step */
  struct referral_input ri = {zRegno,
                              2,
                              "health",
                              "Angkor Chum health centre",
                              "fever for a week\nand a cough",
                              1};
  T_OK(cases_referral_add(t_ctx, &ri, zRef, &t_err));
  T_OK(cases_referral_step(t_ctx, zRef, "send", NULL, &t_err));
  T_OK(cases_referral_step(t_ctx, zRef, "accept",
                           "Seen on Monday.\nAdmitted for three days.",
                           &t_err));
  T_OK(cases_referral_step(t_ctx, zRef, "complete", "", &t_err));
  ri.zService = "education";
  ri.urgent = 0;
  T_OK(cases_referral_add(t_ctx, &ri, zRef2, &t_err));
  T_OK(cases_referral_step(t_ctx, zRef2, "cancel", NULL, &t_err));

  /* grievances: of a household and anonymous, answered, appealed,
   * escalated by hand and when their deadline passes */
  cases_set_actor(t_ctx, "sup");
  struct grievance_input gi = {zRegno, 0, "payment", "walk-in",
                               "Payment late\nfor two months"};
  T_OK(cases_grievance_add(t_ctx, &gi, zTicket, zCode, &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "acknowledge", NULL,
                            ROLE_SUPERVISOR, &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "review", NULL, ROLE_SUPERVISOR,
                            &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "answer",
                            "Paid on 5 March.\nWe apologise.", ROLE_SUPERVISOR,
                            &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "appeal",
                            "One month is still missing", ROLE_SUPERVISOR,
                            &t_err));
  T_OK(cases_grievance_step(t_ctx, zTicket, "escalate", "needs the province",
                            ROLE_SUPERVISOR, &t_err));
  struct grievance_input ga = {NULL, 1, "sensitive-abuse", "hotline",
                               "Threats from a neighbour"};
  T_OK(cases_grievance_add(t_ctx, &ga, zTicket2, zCode, &t_err));
  CU_ASSERT(zCode[0] != '\0');
  T_OK(cases_grievance_step(t_ctx, zCode, "acknowledge", NULL, ROLE_SUPERVISOR,
                            &t_err));
  clock_at(60);
  int nEsc, nStuck;
  T_OK(cases_grievance_escalate_due(t_ctx, &nEsc, &nStuck, &t_err));
  CU_ASSERT(nEsc >= 2);

  /* events from elsewhere that do not fit are kept, marked not valid with
   * a note (here with capture on, as test_referral.c and
   * test_grievance.c apply them, so the marking is in the outbox) */
  {
    char zEvId[SWS_UUID_LEN + 1], zAt[32];
    sws_time_format(zAt, sizeof zAt, sws_now_ms());
    sws_uuid7(zEvId);
    T_OK(cases_referral_apply_remote(t_ctx, zRef2, zEvId, "accepted", zAt,
                                     "kh13:nurse", "Seen.\nFine.", &t_err));
    sws_uuid7(zEvId);
    T_OK(cases_grievance_apply_remote(t_ctx, zTicket2, zEvId, "closed",
                                      "district", zAt, "district-officer", "",
                                      &t_err));
  }

  /* the case ends */
  cases_set_actor(t_ctx, "cm2");
  T_OK(cases_case_close(t_ctx, zRegno, "Enrolled in HEF, job found", &t_err));

  /* every outbox row passes, and every entity was there */
  int aSeen[16] = {0}, nFail = 0, nRows = 0, nUpdates = 0;
  sqlite3_stmt *q;
  T_OK(db_prepare(t_ctx->db, &q,
                  "SELECT seq, entity, op, fields FROM outbox ORDER BY seq",
                  &t_err));
  while (db_step(t_ctx->db, q, &t_err) == DB_ROW) {
    const char *zEntity = db_col_str(q, 1);
    int bInsert = strcmp(db_col_str(q, 2), "insert") == 0;
    json_error_t jerr;
    json_t *f = json_loads(db_col_str(q, 3), 0, &jerr);
    struct sws_err e = SWS_ERR_INIT;
    nRows++;
    nUpdates += !bInsert;
    if (fields_check(zEntity, bInsert, f, &e) != 0) {
      nFail++;
      fprintf(stderr, "\n  outbox %lld (%s %s): %s\n",
              (long long)db_col_int64(q, 0), bInsert ? "insert" : "update",
              zEntity, e.msg);
    }
    for (int i = 0; fields_entities[i]; i++)
      if (strcmp(fields_entities[i], zEntity) == 0)
        aSeen[i]++;
    json_decref(f);
  }
  db_done(t_ctx->db, q);
  CU_ASSERT_EQUAL(nFail, 0);
  CU_ASSERT(nRows > 50);
  CU_ASSERT(nUpdates > 10);
  for (int i = 0; fields_entities[i]; i++) {
    if (aSeen[i] == 0)
      fprintf(stderr, "\n  no %s in the outbox\n", fields_entities[i]);
    CU_ASSERT(aSeen[i] > 0);
  }
}

/* ---- forged values ---- */

static void test_fields__null_missing_and_unknown(void)
{
  /* the base is what an office sends */
  PASSES(check("member", 1, MEMBER));
  /* null where the office has NOT NULL, on insert and on update */
  REFUSED(with("member", 1, MEMBER, "name", "null"), "name",
          "null, but every member has one");
  REFUSED(check("member", 0, "{\"name\": null}"), "name", "null");
  REFUSED(check("member", 0, "{\"household_id\": null}"), "household_id",
          "null");
  /* null where the office allows it */
  PASSES(with("member", 1, MEMBER, "national_id", "null"));
  PASSES(check("enrolment", 0, "{\"member_id\": null}"));
  /* a field the office does not have */
  REFUSED(with("member", 1, MEMBER, "foo", "1"), "foo",
          "is not a field of member");
  REFUSED(check("member", 0, "{\"name_fold\": \"x\"}"), "name_fold", NULL);
  REFUSED(check("member", 0, "{\"updated_at\": \"2026-03-02T09:00:00Z\"}"),
          "updated_at", NULL);
  REFUSED(check("member", 0, "{\"id\": \"x\"}"), "id", NULL);
  /* missing on insert: refused; an update carries what changed */
  REFUSED(with("member", 1, MEMBER, "name", NULL), "name",
          "missing; a new member needs it");
  REFUSED(with("member", 1, MEMBER, "born", NULL), "born", "missing");
  PASSES(with("member", 0, MEMBER, "name", NULL));
  PASSES(check("member", 0, "{\"phone\": \"012345678\"}"));
  PASSES(check("member", 0, "{}"));
  /* a field with a DEFAULT may be left out of an insert */
  PASSES(with("member", 1, MEMBER, "phone", NULL));
  /* not an entity, not an object */
  CU_ASSERT_EQUAL(check("office", 1, "{\"code\": \"KH12\"}"), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not an entity"));
  sws_err_clear(&t_err);
  CU_ASSERT_EQUAL(fields_check("member", 1, NULL, &t_err), SWS_EINVAL);
  json_t *arr = json_array();
  CU_ASSERT_EQUAL(fields_check("member", 0, arr, &t_err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "not a JSON object"));
  json_decref(arr);
  /* one value at a time, for a single field */
  json_t *v = json_string("M");
  T_OK(fields_check_one("member", "sex", v, &t_err));
  json_decref(v);
  v = json_string("X");
  REFUSED(fields_check_one("member", "sex", v, &t_err), "sex",
          "'X' is not one of F, M");
  REFUSED(fields_check_one("member", "nope", v, &t_err), "nope",
          "not a field of member");
  json_decref(v);
}

static void test_fields__wrong_json_types(void)
{
  REFUSED(with("member", 1, MEMBER, "name", "{\"first\": \"Sok\"}"), "name",
          "an object where text belongs");
  REFUSED(with("member", 1, MEMBER, "name", "[\"Sok\"]"), "name",
          "an array where text belongs");
  REFUSED(with("member", 1, MEMBER, "name", "42"), "name",
          "a whole number where text belongs");
  REFUSED(with("member", 1, MEMBER, "name", "4.2"), "name",
          "a decimal number where text belongs");
  REFUSED(with("member", 1, MEMBER, "name", "true"), "name", "true where");
  REFUSED(with("member", 1, MEMBER, "line_no", "\"2\""), "line_no",
          "text where a whole number belongs");
  REFUSED(with("member", 1, MEMBER, "line_no", "2.0"), "line_no",
          "a decimal number where a whole number belongs");
  REFUSED(with("member", 1, MEMBER, "line_no", "0"), "line_no",
          "0 is not within 1 to");
  REFUSED(with("member", 1, MEMBER, "line_no", "9999999999"), "line_no", NULL);
  REFUSED(with("member", 1, MEMBER, "disability", "\"1\""), "disability",
          "text where 0 or 1 belongs");
  REFUSED(with("member", 1, MEMBER, "disability", "true"), "disability",
          "true where 0 or 1 belongs");
  REFUSED(with("member", 1, MEMBER, "disability", "2"), "disability",
          "2 is not 0 or 1");
  REFUSED(with("member", 1, MEMBER, "household_id", "17"), "household_id",
          "a whole number where text belongs");
  REFUSED(with("member", 1, MEMBER, "born", "1986"), "born",
          "a whole number where text belongs");
  /* a REAL takes any JSON number, nothing else */
  PASSES(check("assessment", 1, ASSESSMENT));
  PASSES(with("assessment", 1, ASSESSMENT, "score", "7"));
  REFUSED(with("assessment", 1, ASSESSMENT, "score", "\"7\""), "score",
          "text where a number belongs");
  REFUSED(with("assessment", 1, ASSESSMENT, "number", "0"), "number",
          "0, at least 1");
  /* JSON text must be JSON of the right shape */
  REFUSED(with("assessment", 1, ASSESSMENT, "answers", "\"{oops\""), "answers",
          "not valid JSON text");
  REFUSED(with("assessment", 1, ASSESSMENT, "answers", "\"[]\""), "answers",
          "an array where an object belongs");
  REFUSED(with("assessment", 1, ASSESSMENT, "flags", "[\"a\"]"), "flags",
          "an array where text belongs");
  REFUSED(
      with("assessment", 1, ASSESSMENT, "flags", "\"[\\\"a\\\"] trailing\""),
      "flags", "not valid JSON text");
  REFUSED(with("assessment", 1, ASSESSMENT, "band", "\"High Band\""), "band",
          "may only hold a-z, 0-9, '_' and '-'");
}

static void test_fields__text_limits_and_characters(void)
{
  /* a name of a million characters */
  size_t n = 1000000;
  char *z = sws_malloc(n);
  memset(z, 'a', n);
  json_t *o = json_loads(MEMBER, 0, NULL);
  json_object_set_new(o, "name", json_stringn(z, n));
  sws_err_clear(&t_err);
  REFUSED(fields_check("member", 1, o, &t_err), "name",
          "1000000 characters, at most 200");
  json_decref(o);
  free(z);
  /* at most 200 characters, not bytes (the schema's length()) */
  char *zKhmer = repeat("ក", 200);
  PASSES(with("member", 1, MEMBER, "name", zKhmer));
  free(zKhmer);
  zKhmer = repeat("ក", 201);
  REFUSED(with("member", 1, MEMBER, "name", zKhmer), "name",
          "201 characters, at most 200");
  free(zKhmer);
  REFUSED(with("member", 1, MEMBER, "name", "\"\""), "name", "empty");
  REFUSED(with("member", 1, MEMBER, "name", "\"   \""), "name",
          "only white space");
  /* control characters: never; line breaks and tabs in notes only */
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\u0007Dara\""), "name",
          "control character U+0007 at character 4");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\u0000Dara\""), "name",
          "NUL character");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\u0085Dara\""), "name",
          "control character U+0085");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\u007fDara\""), "name",
          "control character U+007F");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\nDara\""), "name",
          "a line break at character 4; this field is one line");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\rDara\""), "name",
          "a line break");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\tDara\""), "name", "a tab");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok\\u2028Dara\""), "name",
          "a line break");
  PASSES(check("case_note", 1, NOTE));
  PASSES(with("case_note", 1, NOTE, "text",
              "\"first line\\nsecond\\tline\\r\\nthird\""));
  REFUSED(with("case_note", 1, NOTE, "text", "\"bell\\u0007\""), "text",
          "control character U+0007");
  REFUSED(with("case_note", 1, NOTE, "text", "\"x\\u0000y\""), "text", "NUL");
  REFUSED(with("case_note", 1, NOTE, "text", "\"\\n\\t \""), "text",
          "only white space");
  /* bidirectional controls: not in one-line fields */
  REFUSED(with("member", 1, MEMBER, "name", "\"\\u202eanaD koS\""), "name",
          "bidirectional control character U+202E at character 1");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok \\u2066Dara\\u2069\""),
          "name", "U+2066");
  REFUSED(with("member", 1, MEMBER, "name", "\"Sok \\u202aDara\""), "name",
          "U+202A");
  REFUSED(with("member", 1, MEMBER, "national_id", "\"N0101\\u202e\""),
          "national_id", NULL);
  REFUSED(with("plan_action", 1, ACTION, "owner", "\"cm1\\u202e\""), "owner",
          "bidirectional");
  PASSES(with("case_note", 1, NOTE, "text", "\"a note \\u202eabc\\u202c\""));
  /* identifiers: their characters only */
  PASSES(with("member", 1, MEMBER, "national_id", "\"N0101/22\""));
  REFUSED(with("member", 1, MEMBER, "national_id", "\"n0101\""), "national_id",
          "may only hold A-Z, 0-9 and '/'");
  REFUSED(with("member", 1, MEMBER, "national_id", "\"\""), "national_id",
          "empty");
  REFUSED(with("member", 1, MEMBER, "national_id",
               "\"123456789012345678901234567890123\""),
          "national_id", "33 characters, at most 32");
  PASSES(with("member", 1, MEMBER, "phone", "\"+85512345678\""));
  REFUSED(with("member", 1, MEMBER, "phone", "\"012 345 678\""), "phone",
          "not a phone number");
  REFUSED(with("member", 1, MEMBER, "phone", "\"12345\""), "phone", NULL);
  PASSES(check("case_file", 0, "{\"manager\": \"cm1\"}"));
  REFUSED(check("case_file", 0, "{\"manager\": \"CM1\"}"), "manager",
          "may only hold");
  REFUSED(check("case_file", 0, "{\"manager\": \"1cm\"}"), "manager", NULL);
  /* who did it: one line, at most what an office keeps */
  REFUSED(with("case_note", 1, NOTE, "by", "\"cm1\\ncm2\""), "by",
          "line break");
  char *zLong = repeat("a", 64);
  REFUSED(with("case_note", 1, NOTE, "by", zLong), "by",
          "64 characters, at most 63");
  free(zLong);
  /* a value quoted in a message is cut short and kept to one line */
  zLong = repeat("F", 100);
  zLong[1] = '\\'; /* "\u0007FFF...": a bell, then F's */
  memcpy(zLong + 2, "u0007", 5);
  REFUSED(with("member", 1, MEMBER, "sex", zLong), "sex",
          "...' is not one of F, M");
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'?FFFF"));
  CU_ASSERT(strlen(t_err.msg) < 100);
  CU_ASSERT_PTR_NULL(strchr(t_err.msg, '\a'));
  free(zLong);
}

static void test_fields__enums_dates_and_ids(void)
{
  /* enumerations */
  REFUSED(with("member", 1, MEMBER, "sex", "\"X\""), "sex",
          "'X' is not one of F, M");
  REFUSED(with("member", 1, MEMBER, "sex", "\"f\""), "sex", NULL);
  REFUSED(with("member", 1, MEMBER, "relationship", "\"boss\""), "relationship",
          "not one of head, spouse, child");
  REFUSED(with("member", 1, MEMBER, "status", "\"gone\""), "status", NULL);
  REFUSED(with("plan_action", 1, ACTION, "kind", "\"magic\""), "kind", NULL);
  REFUSED(check("grievance_event", 0, "{\"layer\": \"village \"}"), "layer",
          "not one of village, commune, district, province, national");
  /* dates that do not exist, births that cannot be */
  REFUSED(with("member", 1, MEMBER, "born", "\"2023-02-30\""), "born",
          "'2023-02-30' is not a real date");
  REFUSED(with("member", 1, MEMBER, "born", "\"2023-13\""), "born",
          "not a real date");
  REFUSED(with("member", 1, MEMBER, "born", "\"1986-5\""), "born",
          "not a birth date");
  REFUSED(with("member", 1, MEMBER, "born", "\"05/03/1986\""), "born",
          "not a birth date");
  REFUSED(with("member", 1, MEMBER, "born", "\"2999-01-01\""), "born",
          "not a possible birth date");
  REFUSED(with("member", 1, MEMBER, "born", "\"1850\""), "born",
          "not a possible birth date");
  setenv("SWS_NOW", "2026-03-02T09:00:00Z", 1);
  PASSES(with("member", 1, MEMBER, "born", "\"2026-03-02\""));
  /* an office clock a day ahead of the registry's is not refused */
  PASSES(with("member", 1, MEMBER, "born", "\"2026-03-03\""));
  REFUSED(with("member", 1, MEMBER, "born", "\"2026-03-05\""), "born",
          "today is 2026-03-02");
  unsetenv("SWS_NOW");
  PASSES(with("member", 1, MEMBER, "born", "\"2024-02-29\""));
  REFUSED(with("member", 1, MEMBER, "born", "\"2023-02-29\""), "born",
          "not a real date");
  REFUSED(with("plan_action", 1, ACTION, "due", "\"2023-02-30\""), "due",
          "'2023-02-30' is not a real date");
  REFUSED(with("plan_action", 1, ACTION, "due", "\"2026-04-30T00:00:00Z\""),
          "due", "not a date like");
  /* times: as sws_now() writes them, nothing else */
  PASSES(with("plan_action", 1, ACTION, "done_at", "\"2026-03-02T23:59:59Z\""));
  REFUSED(with("member", 1, MEMBER, "created_at", "\"2023-02-30T09:00:00Z\""),
          "created_at", "not a time as offices write it");
  REFUSED(
      with("member", 1, MEMBER, "created_at", "\"2026-03-02T09:00:00.123Z\""),
      "created_at", NULL);
  REFUSED(with("member", 1, MEMBER, "created_at", "\"2026-03-02 09:00:00\""),
          "created_at", NULL);
  REFUSED(
      with("member", 1, MEMBER, "created_at", "\"2026-03-02T09:00:00+07:00\""),
      "created_at", NULL);
  REFUSED(with("member", 1, MEMBER, "created_at", "\"2026-03-02T24:00:00Z\""),
          "created_at", NULL);
  REFUSED(with("member", 1, MEMBER, "created_at", "\"yesterday\""),
          "created_at", NULL);
  /* references: record ids as offices make them */
  REFUSED(with("member", 1, MEMBER, "household_id", "\"not-a-uuid\""),
          "household_id", "'not-a-uuid' is not the id of a household");
  REFUSED(with("member", 1, MEMBER, "household_id",
               "\"0190F0F0-3C2A-7B1E-9A4D-1F2E3D4C5B6A\""),
          "household_id", NULL);
  REFUSED(with("member", 1, MEMBER, "household_id",
               "\"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a0\""),
          "household_id", NULL);
  REFUSED(with("member", 1, MEMBER, "household_id",
               "\"0190f0f0x3c2a-7b1e-9a4d-1f2e3d4c5b6a\""),
          "household_id", NULL);
  REFUSED(with("case_note", 1, NOTE, "case_id", "\"\""), "case_id",
          "is not the id of a case_file");
  /* registration numbers: well formed, their check character right */
  char *zHh = household_json();
  PASSES(check("household", 1, zHh));
  REFUSED(with("household", 1, zHh, "regno", "\"KH12-42\""), "regno",
          "is not a registration number");
  REFUSED(with("household", 1, zHh, "regno", "\"hello\""), "regno", NULL);
  REFUSED(with("household", 1, zHh, "regno", "\"KH12-000042\""), "regno", NULL);
  {
    char zRegno[SWS_NUMBER_MAX], zBad[SWS_NUMBER_MAX + 8];
    sws_number_format(zRegno, sizeof zRegno, "KH12", 42);
    /* a wrong check character */
    snprintf(zBad, sizeof zBad, "\"%s\"", zRegno);
    zBad[strlen(zBad) - 2] = zBad[strlen(zBad) - 2] == 'A' ? 'B' : 'A';
    REFUSED(with("household", 1, zHh, "regno", zBad), "regno",
            "check character does not fit");
    /* lower case and spaces: not as offices write it */
    snprintf(zBad, sizeof zBad, "\"kh12%s\"", zRegno + 4);
    REFUSED(with("household", 1, zHh, "regno", zBad), "regno",
            "not written as offices write it");
    snprintf(zBad, sizeof zBad, "\" %s\"", zRegno);
    REFUSED(with("household", 1, zHh, "regno", zBad), "regno",
            "not written as offices write it");
    snprintf(zBad, sizeof zBad, "\"%s\\u202e\"", zRegno);
    REFUSED(with("household", 1, zHh, "regno", zBad), "regno", NULL);
  }
  REFUSED(with("household", 1, zHh, "area_code", "\"V 1\""), "area_code", NULL);
  REFUSED(with("household", 1, zHh, "status", "\"deleted\""), "status", NULL);
  PASSES(with("household", 1, zHh, "import_key", "\"LIST-7\""));
  PASSES(with("household", 1, zHh, "address", "\"Street 7\\nhouse 12\""));
  free(zHh);
  /* a ticket is a ticket, a referral number a referral number */
  char *zG = grievance_json(0);
  PASSES(check("grievance", 1, zG));
  {
    char zNum[SWS_NUMBER_MAX], zJson[SWS_NUMBER_MAX + 4];
    sws_number_format(zNum, sizeof zNum, "KH12-R", 7);
    snprintf(zJson, sizeof zJson, "\"%s\"", zNum);
    REFUSED(with("grievance", 1, zG, "ticket", zJson), "ticket",
            "not a ticket number");
  }
  REFUSED(with("grievance", 1, zG, "category", "\"Payment\""), "category",
          "may only hold a-z, 0-9 and '-'");
  REFUSED(with("grievance", 1, zG, "followup_hash", "\"abc\""), "followup_hash",
          NULL);
  free(zG);
}

/* What a Mongolian office stores passes at any registry; a look-alike
 * does not. */
static void test_fields__mongolian_register_number(void)
{
  PASSES(with("member", 1, MEMBER, "national_id", "\"УБ79040212\""));
  PASSES(with("member", 0, MEMBER, "national_id", "\"ӨҮ05250315\""));
  PASSES(with("member", 1, MEMBER, "national_id", "\"N0101/22\""));
  REFUSED(with("member", 1, MEMBER, "national_id", "\"уб79040212\""),
          "national_id", "Mongolian register number");
  REFUSED(with("member", 1, MEMBER, "national_id", "\"УБ7904021\""),
          "national_id", NULL);
  REFUSED(with("member", 1, MEMBER, "national_id", "\"УБ79130212\""),
          "national_id", NULL); /* month 13: no birth date */
  REFUSED(with("member", 1, MEMBER, "national_id", "\"ÄБ79040212\""),
          "national_id", NULL);
  REFUSED(with("member", 1, MEMBER, "national_id", "\"УБУБ79040212\""),
          "national_id", NULL);
  REFUSED(with("member", 1, MEMBER, "national_id", "\"УБ79040212\\u202e\""),
          "national_id", NULL);
  REFUSED(with("member", 1, MEMBER, "national_id", "\"УБ79040212\\u0000\""),
          "national_id", "NUL");
}

static void test_fields__rules_between_fields(void)
{
  /* an anonymous grievance: no household, a follow-up hash */
  char *zA = grievance_json(1);
  PASSES(check("grievance", 1, zA));
  REFUSED(with("grievance", 1, zA, "household_id",
               "\"0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a\""),
          "household_id", "but an anonymous grievance names none");
  REFUSED(with("grievance", 1, zA, "followup_hash", "null"), "followup_hash",
          "null, but an anonymous grievance has the hash");
  REFUSED(with("grievance", 1, zA, "followup_hash",
               "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00"
               "A08\""),
          "followup_hash", "64 lower-case hex digits");
  free(zA);
  char *zG = grievance_json(0);
  REFUSED(with("grievance", 1, zG, "followup_hash",
               "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00"
               "a08\""),
          "followup_hash", "only an anonymous grievance");
  free(zG);
  /* a closed case has its closing time, an open one none */
  PASSES(check("case_file", 1, CASE_FILE));
  REFUSED(
      with("case_file", 1, CASE_FILE, "closed_at", "\"2026-03-02T10:00:00Z\""),
      "closed_at", "a time, but the case is open");
  PASSES(check("case_file", 0,
               "{\"status\": \"closed\", \"closed_at\": "
               "\"2026-03-02T10:00:00Z\", \"outcome\": \"job found\"}"));
  REFUSED(
      check("case_file", 0, "{\"status\": \"closed\", \"closed_at\": null}"),
      "closed_at", "null, but the case is closed");
  REFUSED(check("case_file", 0, "{\"outcome\": \" \"}"), "outcome",
          "only white space");
}

static CU_TestInfo tests[] = {
    {"test_fields__table_matches_office_schema",
     test_fields__table_matches_office_schema},
    {"test_fields__references_and_numbers",
     test_fields__references_and_numbers},
    {"test_fields__real_office_mutations_pass",
     test_fields__real_office_mutations_pass},
    {"test_fields__null_missing_and_unknown",
     test_fields__null_missing_and_unknown},
    {"test_fields__wrong_json_types", test_fields__wrong_json_types},
    {"test_fields__text_limits_and_characters",
     test_fields__text_limits_and_characters},
    {"test_fields__enums_dates_and_ids", test_fields__enums_dates_and_ids},
    {"test_fields__mongolian_register_number",
     test_fields__mongolian_register_number},
    {"test_fields__rules_between_fields", test_fields__rules_between_fields},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_fields = {"fields",       NULL,     NULL,
                             t_office_setup, teardown, tests};
