/*
 * test_household.c - registration, duplicates at the counter, reading,
 * editing, members, and the audit/outbox capture every write leaves.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/audit.h"
#include "cases/household.h"
#include "core/mem.h"
#include "tests/support.h"

static int64_t count(const char *zSql)
{
  int64_t n = -1;
  struct sws_err err = SWS_ERR_INIT;
  CU_ASSERT_EQUAL(db_int64(t_ctx->db, &n, -1, zSql, &err), 0);
  return n;
}

/* Register a one-person household; returns 0 or the error code. */
static int reg1(const char *zName, char sex, const char *zBorn,
                const char *zNid, const char *zForce, char *zRegno,
                struct dedup_list *dups)
{
  struct member_input m = {zName, sex, zBorn, REL_HEAD, zNid, NULL, 0};
  struct household_input in = {"V1", "near the pagoda", "012 345 678", NULL,
                               &m, 1, zForce};
  char z[SWS_NUMBER_MAX];
  return cases_household_create(t_ctx, &in, zRegno ? zRegno : z, dups,
                                &t_err);
}

static void test_household__register_and_read_back(void)
{
  struct member_input m[] = {
      {"សុខ ដារ៉ា", 'M', "1979", REL_HEAD, "n123 456", NULL, 0},
      {"ចាន់ ស្រីមុំ", 'F', "1982-05", REL_SPOUSE, NULL, NULL, 0},
      {"Sok Vichet", 'M', "2010-02-03", REL_CHILD, NULL, NULL, 1},
  };
  struct household_input in = {"V1", "", "+855 12 345 678", NULL, m, 3,
                               NULL};
  char zRegno[SWS_NUMBER_MAX];
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
  CU_ASSERT_EQUAL(strncmp(zRegno, "KH12-000001-", 12), 0);
  struct sws_number num;
  CU_ASSERT_EQUAL(sws_number_parse(zRegno, &num), SWS_NUMBER_OK);

  struct household h;
  T_OK(cases_household_get(t_ctx, zRegno, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMember, 3);
  CU_ASSERT_STRING_EQUAL(h.zPhone, "+85512345678");
  CU_ASSERT_STRING_EQUAL(h.aMember[0].zName, "សុខ ដារ៉ា");
  CU_ASSERT_EQUAL(h.aMember[0].relationship, REL_HEAD);
  CU_ASSERT_STRING_EQUAL(h.aMember[0].zNationalId, "N123456");
  CU_ASSERT_EQUAL(h.aMember[2].disability, 1);
  CU_ASSERT_PTR_NOT_NULL(cases_household_head(&h));
  CU_ASSERT_STRING_EQUAL(h.zCreatedBy, "desk");
  cases_household_release(&h);
}

static void test_household__every_write_leaves_audit_and_outbox(void)
{
  int64_t audit0 = count("SELECT count(*) FROM audit_log");
  int64_t outbox0 = count("SELECT count(*) FROM outbox");
  char zRegno[SWS_NUMBER_MAX];
  T_OK(reg1("Keo Samnang", 'M', "1990", NULL, NULL, zRegno, NULL));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), audit0 + 1);
  /* household + one member */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox"), outbox0 + 2);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox WHERE op_id = (SELECT "
                        "op_id FROM audit_log ORDER BY id DESC LIMIT 1)"),
                  2);
  struct household_edit e = {NULL, NULL, "099 888 777"};
  T_OK(cases_household_edit(t_ctx, zRegno, &e, &t_err));
  /* the update carries only the changed field and its previous value */
  sqlite3_stmt *q;
  T_OK(db_prepare(t_ctx->db, &q,
                  "SELECT fields, prev, operator FROM outbox ORDER BY seq "
                  "DESC LIMIT 1",
                  &t_err));
  CU_ASSERT_EQUAL(db_step(t_ctx->db, q, &t_err), DB_ROW);
  CU_ASSERT_STRING_EQUAL(db_col_str(q, 0), "{\"phone\":\"099888777\"}");
  CU_ASSERT_STRING_EQUAL(db_col_str(q, 1), "{\"phone\":\"012345678\"}");
  CU_ASSERT_STRING_EQUAL(db_col_str(q, 2), "desk");
  db_done(t_ctx->db, q);
}

static void test_household__writes_outside_an_operation_are_refused(void)
{
  struct sws_err err = SWS_ERR_INIT;
  T_OK(reg1("Keo Samnang", 'M', "1990", NULL, NULL, NULL, NULL));
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db,
                              "UPDATE household SET phone = '1'", &err),
                      0);
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db,
                              "INSERT INTO users(login, role, "
                              "password_hash, created_at) VALUES ('x', "
                              "'admin', '$argon2id$x', 'now')",
                              &err),
                      0);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "outside a domain operation"));
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db, "DELETE FROM member", &err), 0);
  CU_ASSERT_NOT_EQUAL(db_exec(t_ctx->db, "DELETE FROM audit_log", &err), 0);
}

static void test_household__duplicate_by_national_id_is_refused(void)
{
  char zFirst[SWS_NUMBER_MAX];
  T_OK(reg1("Sok Dara", 'M', "1979", "N999", NULL, zFirst, NULL));
  struct dedup_list dups = DEDUP_LIST_INIT;
  int64_t n0 = count("SELECT count(*) FROM household");
  CU_ASSERT_EQUAL(reg1("Completely Different", 'F', "2001", "n 999", NULL,
                       NULL, &dups),
                  SWS_EDUP);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), n0);
  CU_ASSERT_EQUAL_FATAL(dups.n, 1);
  CU_ASSERT_STRING_EQUAL(dups.a[0].zRegno, zFirst);
  CU_ASSERT_PTR_NOT_NULL(strstr(dups.a[0].zReasons, "national ID"));
  dedup_list_release(&dups);
}

static void test_household__duplicate_by_name_in_three_scripts(void)
{
  static const struct {
    const char *zA, *zB;
  } pairs[] = {
      {"សុខ ដារ៉ា", "សុខ\u200bដារ៉ា"}, /* zero-width space */
      {"Пүрэв Батбаяр", "Пурэв Батбаяр"},  /* Ү typed as У */
      {"Sim Dara", "SIM dara"},
  };
  for (size_t i = 0; i < 3; i++) {
    struct dedup_list dups = DEDUP_LIST_INIT;
    char zFirst[SWS_NUMBER_MAX];
    T_OK(reg1(pairs[i].zA, 'M', "1979", NULL, NULL, zFirst, NULL));
    CU_ASSERT_EQUAL(reg1(pairs[i].zB, 'M', "1980", NULL, NULL, NULL, &dups),
                    SWS_EDUP);
    CU_ASSERT_EQUAL(dups.n, 1);
    if (dups.n == 1) {
      CU_ASSERT_STRING_EQUAL(dups.a[0].zRegno, zFirst);
      CU_ASSERT_PTR_NOT_NULL(strstr(dups.a[0].zReasons, "1979"));
    }
    dedup_list_release(&dups);
  }
}

/*
 * The duplicate check reads names and IDs from the key rows
 * (schema/office/0009): an edit of the name or the ID must reach them, or
 * the check would compare a new person with an old name.
 */
static void test_household__key_rows_follow_name_and_id_edits(void)
{
  char zFirst[SWS_NUMBER_MAX];
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, zFirst, NULL));
  struct member_edit e = {NULL, 0, NULL, 0, 0, "K-123", NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zFirst, 1, &e, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_key"), 5);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_key "
                        "WHERE national_id = 'K123' AND name = 'Sok Dara'"),
                  5);
  struct member_edit r = {"Keo Samnang", 0, NULL, 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zFirst, 1, &r, &t_err));
  /* exactly the keys of the new name, each with the new name */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_key k, member m "
                        "WHERE k.member_rid = m.rid AND k.name = m.name "
                        "AND k.national_id = 'K123' AND k.key IN "
                        "(SELECT value FROM json_each(m.name_keys))"),
                  count("SELECT count(*) FROM member m, "
                        "json_each(m.name_keys)"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_key "
                        "WHERE name != 'Keo Samnang'"), 0);
  struct dedup_list dups = DEDUP_LIST_INIT;
  CU_ASSERT_EQUAL(reg1("Keo Samnang", 'M', "1980", NULL, NULL, NULL, &dups),
                  SWS_EDUP);
  CU_ASSERT_EQUAL(dups.n, 1);
  dedup_list_release(&dups);
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, NULL, NULL));
}

static void test_household__other_sex_or_generation_is_not_a_duplicate(void)
{
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, NULL, NULL));
  T_OK(reg1("Sok Dara", 'F', "1979", NULL, NULL, NULL, NULL));
  T_OK(reg1("Sok Dara", 'M', "2005", NULL, NULL, NULL, NULL));
}

static void test_household__force_new_saves_and_flags_with_reason(void)
{
  char zFirst[SWS_NUMBER_MAX], zSecond[SWS_NUMBER_MAX];
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, zFirst, NULL));
  CU_ASSERT_EQUAL(reg1("Sok Dara", 'M', "1979", NULL, "   ", zSecond, NULL),
                  SWS_EINVAL);
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, "a namesake from Koul village",
            zSecond, NULL));
  CU_ASSERT_STRING_NOT_EQUAL(zFirst, zSecond);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag WHERE "
                        "note = 'a namesake from Koul village'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log WHERE detail LIKE "
                        "'%a namesake from Koul village%'"),
                  1);
}

static void test_household__bad_input_saves_nothing(void)
{
  int64_t n0 = count("SELECT count(*) FROM household");
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  CU_ASSERT_EQUAL(reg1("bad\xff name", 'M', "1979", NULL, NULL, NULL, NULL),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(reg1("", 'M', "1979", NULL, NULL, NULL, NULL), SWS_EINVAL);
  CU_ASSERT_EQUAL(reg1("Sok", 'X', "1979", NULL, NULL, NULL, NULL),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(reg1("Sok", 'M', "2999", NULL, NULL, NULL, NULL),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(reg1("Sok", 'M', "1979", "N<1>", NULL, NULL, NULL),
                  SWS_EINVAL);
  char *zLong = sws_malloc(5000);
  memset(zLong, 'a', 4999);
  zLong[4999] = '\0';
  CU_ASSERT_EQUAL(reg1(zLong, 'M', "1979", NULL, NULL, NULL, NULL),
                  SWS_ETOOBIG);
  free(zLong);
  /* not a village */
  struct member_input m = {"Sok", 'M', "1979", REL_HEAD, NULL, NULL, 0};
  struct household_input in = {"C1", NULL, NULL, NULL, &m, 1, NULL};
  char z[SWS_NUMBER_MAX];
  CU_ASSERT_EQUAL(cases_household_create(t_ctx, &in, z, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "commune"));
  /* two heads */
  struct member_input two[] = {{"A Aa", 'M', "1979", REL_HEAD, 0, 0, 0},
                               {"B Bb", 'F', "1979", REL_HEAD, 0, 0, 0}};
  struct household_input in2 = {"V1", NULL, NULL, NULL, two, 2, NULL};
  CU_ASSERT_EQUAL(cases_household_create(t_ctx, &in2, z, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), n0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
}

static void test_household__resolve_explains_check_character(void)
{
  char zRegno[SWS_NUMBER_MAX], zId[SWS_UUID_LEN + 1], note[256];
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, zRegno, NULL));
  T_OK(cases_household_resolve(t_ctx, zRegno, 1, zId, NULL, note, &t_err));
  char zNoCheck[SWS_NUMBER_MAX];
  sws_strlcpy(zNoCheck, zRegno, strlen(zRegno) - 1);
  CU_ASSERT_EQUAL(cases_household_resolve(t_ctx, zNoCheck, 1, zId, NULL,
                                          note, &t_err),
                  SWS_EINVAL);
  T_OK(cases_household_resolve(t_ctx, zNoCheck, 0, zId, NULL, note, &t_err));
  CU_ASSERT_PTR_NOT_NULL(strstr(note, "no check character"));
  char zBad[SWS_NUMBER_MAX];
  sws_strlcpy(zBad, zRegno, sizeof zBad);
  zBad[strlen(zBad) - 1] = zBad[strlen(zBad) - 1] == 'A' ? 'B' : 'A';
  CU_ASSERT_EQUAL(cases_household_resolve(t_ctx, zBad, 1, zId, NULL, note,
                                          &t_err),
                  SWS_EINVAL);
  T_OK(cases_household_resolve(t_ctx, zBad, 0, zId, NULL, note, &t_err));
  CU_ASSERT_PTR_NOT_NULL(strstr(note, "does not fit"));
}

static void test_household__members_add_edit_move_and_head_change(void)
{
  char zA[SWS_NUMBER_MAX], zB[SWS_NUMBER_MAX];
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, zA, NULL));
  T_OK(reg1("Chan Thy", 'F', "1960", NULL, NULL, zB, NULL));
  struct member_input m = {"Sok Srey", 'F', "2004", REL_CHILD, 0, 0, 0};
  int line = 0;
  T_OK(cases_member_add(t_ctx, zA, &m, NULL, &line, NULL, &t_err));
  CU_ASSERT_EQUAL(line, 2);
  /* make member 2 head; the old head becomes her parent */
  struct member_edit e = {NULL, 0, NULL, REL_HEAD, 0, NULL, NULL, -1, NULL};
  CU_ASSERT_EQUAL(cases_member_edit(t_ctx, zA, 2, &e, &t_err), SWS_EINVAL);
  e.prev_head_rel = REL_PARENT;
  T_OK(cases_member_edit(t_ctx, zA, 2, &e, &t_err));
  struct household h;
  T_OK(cases_household_get(t_ctx, zA, &h, &t_err));
  CU_ASSERT_EQUAL(cases_household_head(&h)->line_no, 2);
  CU_ASSERT_EQUAL(cases_household_member(&h, 1)->relationship, REL_PARENT);
  cases_household_release(&h);
  /* the head cannot move; member 1 can */
  CU_ASSERT_EQUAL(cases_member_move(t_ctx, zA, 2, zB, REL_CHILD, &line,
                                    &t_err),
                  SWS_ECONFLICT);
  T_OK(cases_member_move(t_ctx, zA, 1, zB, REL_SPOUSE, &line, &t_err));
  CU_ASSERT_EQUAL(line, 2);
  T_OK(cases_household_get(t_ctx, zB, &h, &t_err));
  CU_ASSERT_EQUAL(h.nMember, 2);
  CU_ASSERT_STRING_EQUAL(cases_household_member(&h, 2)->zName, "Sok Dara");
  cases_household_release(&h);
  /* renaming re-indexes the name */
  struct member_edit r = {"Sok Dara Renamed", 0, NULL, 0, 0, NULL, NULL, -1,
                          NULL};
  T_OK(cases_member_edit(t_ctx, zB, 2, &r, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_fts WHERE member_fts "
                        "MATCH '\"renamed\"'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_word WHERE member_word "
                        "MATCH '\"renamed\"'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member_word WHERE member_word "
                        "MATCH '\"sok\" AND \"dara\" NOT \"renamed\"'"),
                  0);
  /* unknown member */
  CU_ASSERT_EQUAL(cases_member_edit(t_ctx, zB, 9, &r, &t_err),
                  SWS_ENOTFOUND);
}

/* A birth date typed year first with '/' or '.' is stored as YYYY-MM-DD
 * on every path (register, add, edit); one with the year last is refused
 * and nothing is saved. */
static void test_household__birth_dates_as_typed(void)
{
  char zA[SWS_NUMBER_MAX];
  T_OK(reg1("Bat Dorj", 'M', "1975.4.12", NULL, NULL, zA, NULL));
  struct member_input m = {"Bat Saraa", 'F', "2004/1/2", REL_CHILD, 0, 0, 0};
  T_OK(cases_member_add(t_ctx, zA, &m, NULL, NULL, NULL, &t_err));
  struct member_edit e = {NULL, 0, "1975/04", 0, 0, NULL, NULL, -1, NULL};
  T_OK(cases_member_edit(t_ctx, zA, 1, &e, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE (name, born) IN "
                        "(VALUES ('Bat Dorj', '1975-04'), "
                        "('Bat Saraa', '2004-01-02'))"),
                  2);
  /* the outbox carries the stored form too */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox WHERE fields LIKE "
                        "'%2004/1/2%' OR fields LIKE '%1975/04%'"),
                  0);
  int64_t nBefore = count("SELECT count(*) FROM member");
  CU_ASSERT_EQUAL(reg1("Keo Srey", 'F', "05/03/1982", NULL, NULL, NULL, NULL),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "'05/03/1982' has the year last"));
  m.zBorn = "1/2/2004";
  CU_ASSERT_EQUAL(cases_member_add(t_ctx, zA, &m, NULL, NULL, NULL, &t_err),
                  SWS_EINVAL);
  e.zBorn = "75/4/12";
  CU_ASSERT_EQUAL(cases_member_edit(t_ctx, zA, 1, &e, &t_err), SWS_EINVAL);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member"), nBefore);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE born = '1975-04'"),
                  1);
}

/* Sex and relationship as lists and people write them: English words,
 * Khmer and Mongolian, any case, a space or underscore for the hyphen. */
static void test_household__sex_and_relationship_words(void)
{
  static const struct {
    const char *z;
    char sex;
  } aSex[] = {{"F", 'F'},     {"female", 'F'},  {"Female", 'F'},
              {"ស្រី", 'F'},  {"Эмэгтэй", 'F'}, {"эм", 'F'},
              {"m", 'M'},     {"MALE", 'M'},    {"ប្រុស", 'M'},
              {"эрэгтэй", 'M'}, {"ЭР", 'M'},    {"x", 0},
              {"", 0},        {"fe male", 0},   {"ស្រីៗ", 0}};
  for (size_t i = 0; i < sizeof aSex / sizeof aSex[0]; i++) {
    char c = 0;
    struct sws_err err = SWS_ERR_INIT;
    int rc = cases_sex_parse("sex", aSex[i].z, &c, &err);
    CU_ASSERT_EQUAL(rc, aSex[i].sex ? 0 : SWS_EINVAL);
    if (aSex[i].sex) {
      CU_ASSERT_EQUAL(c, aSex[i].sex);
    } else {
      CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must be F or M"));
    }
  }
  static const struct {
    const char *z;
    int rel;
  } aRel[] = {{"head", REL_HEAD},
              {"Other-Relative", REL_OTHER_RELATIVE},
              {"other relative", REL_OTHER_RELATIVE},
              {"non_relative", REL_NON_RELATIVE},
              {"Wife", REL_SPOUSE},
              {"មេគ្រួសារ", REL_HEAD},
              {"ប្រពន្ធ", REL_SPOUSE},
              {"ប្ដី", REL_SPOUSE},
              {"ប្តី", REL_SPOUSE},
              {"កូន\u200bស្រី", REL_CHILD}, /* a zero-width space */
              {"ម្តាយ", REL_PARENT},
              {"ចៅ", REL_GRANDCHILD},
              {"Өрхийн тэргүүн", REL_HEAD},
              {"эхнэр", REL_SPOUSE},
              {"Хүү", REL_CHILD},
              {"ээж", REL_PARENT},
              {"дүү", REL_SIBLING},
              {"ач охин", REL_GRANDCHILD},
              {"эмээ", REL_GRANDPARENT},
              {"хамаатан", REL_OTHER_RELATIVE},
              {"cousin", 0},
              {"", 0},
              {"head of", 0}};
  for (size_t i = 0; i < sizeof aRel / sizeof aRel[0]; i++) {
    CU_ASSERT_EQUAL(cases_relationship_parse(aRel[i].z), aRel[i].rel);
    if (cases_relationship_parse(aRel[i].z) != aRel[i].rel)
      fprintf(stderr, "relationship '%s' -> %d\n", aRel[i].z,
              cases_relationship_parse(aRel[i].z));
  }
}

static void test_household__deactivate_is_soft_and_blocks_changes(void)
{
  char zA[SWS_NUMBER_MAX];
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, zA, NULL));
  CU_ASSERT_EQUAL(cases_household_deactivate(t_ctx, zA, "", &t_err),
                  SWS_EINVAL);
  T_OK(cases_household_deactivate(t_ctx, zA, "moved to Phnom Penh", &t_err));
  struct household_edit e = {NULL, "x", NULL};
  CU_ASSERT_EQUAL(cases_household_edit(t_ctx, zA, &e, &t_err),
                  SWS_ECONFLICT);
  struct household h;
  T_OK(cases_household_get(t_ctx, zA, &h, &t_err));
  CU_ASSERT_STRING_EQUAL(h.zStatus, "inactive");
  cases_household_release(&h);
  T_OK(cases_household_reactivate(t_ctx, zA, "came back", &t_err));
}

static int count_rows(const struct household_row *r, void *arg)
{
  (void)r;
  (*(int *)arg)++;
  return 0;
}

static void test_household__list_by_area_includes_sub_areas(void)
{
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, NULL, NULL));
  struct member_input m = {"Keo Ratana", 'F', "1970", REL_HEAD, 0, 0, 0};
  struct household_input in = {"V3", NULL, NULL, NULL, &m, 1, NULL};
  char z[SWS_NUMBER_MAX];
  T_OK(cases_household_create(t_ctx, &in, z, NULL, &t_err));
  int n = 0;
  T_OK(cases_household_list(t_ctx, NULL, 0, count_rows, &n, &t_err));
  CU_ASSERT_EQUAL(n, 2);
  n = 0;
  T_OK(cases_household_list(t_ctx, "C1", 0, count_rows, &n, &t_err));
  CU_ASSERT_EQUAL(n, 1);
  n = 0;
  T_OK(cases_household_list(t_ctx, "P1", 0, count_rows, &n, &t_err));
  CU_ASSERT_EQUAL(n, 2);
  CU_ASSERT_EQUAL(cases_household_list(t_ctx, "NOPE", 0, count_rows, &n,
                                       &t_err),
                  SWS_ENOTFOUND);
}

static void test_household__audit_chain_verifies_and_catches_tampering(void)
{
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, NULL, NULL));
  T_OK(reg1("Keo Ratana", 'F', "1970", NULL, NULL, NULL, NULL));
  struct audit_verify v;
  T_OK(cases_audit_verify(t_ctx, &v, NULL, NULL, &t_err));
  CU_ASSERT_EQUAL(v.bad_id, 0);
  CU_ASSERT(v.nRows >= 8);
  /* edit a row behind sws's back (as someone with the sqlite3 shell) */
  T_OK(db_exec(t_ctx->db,
               "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET "
               "actor = 'someone' WHERE id = 3",
               &t_err));
  T_OK(cases_audit_verify(t_ctx, &v, NULL, NULL, &t_err));
  CU_ASSERT_EQUAL(v.bad_id, 3);
}

static void test_household__audit_catches_altered_outbox(void)
{
  T_OK(reg1("Sok Dara", 'M', "1979", NULL, NULL, NULL, NULL));
  T_OK(db_exec(t_ctx->db,
               "UPDATE outbox SET fields = replace(fields, 'Sok', 'Kim')",
               &t_err));
  struct audit_verify v;
  T_OK(cases_audit_verify(t_ctx, &v, NULL, NULL, &t_err));
  CU_ASSERT(v.bad_id > 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(v.why, "changes"));
}

/* A birth year, a phone and an ID typed in Khmer digits are stored as the
 * ASCII digits every other office and the registry compare. */
static void test_household__khmer_digits_stored_as_ascii(void)
{
  struct member_input m = {"សុខ ដារ៉ា", 'M',           "១៩៩០", REL_HEAD,
                           "ន១២៣",    "០១២ ៣៤៥ ៦៧៩", 0};
  struct household_input in = {"V1", "", "០៩៧ ១១១ ២២២២", NULL, &m, 1, NULL};
  char zRegno[SWS_NUMBER_MAX];
  /* a Khmer letter in an ID is still refused: only digits change */
  CU_ASSERT_EQUAL(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "letters A-Z, digits"));
  m.zNationalId = "N ១២៣ ៤៥៦";
  T_OK(cases_household_create(t_ctx, &in, zRegno, NULL, &t_err));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE born = '1990' AND "
                        "national_id = 'N123456' AND phone = '012345679'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household WHERE phone = "
                        "'0971112222'"),
                  1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM outbox WHERE fields LIKE "
                        "'%១%'"),
                  0);
}

static CU_TestInfo tests[] = {
    {"test_household__register_and_read_back",
     test_household__register_and_read_back},
    {"test_household__every_write_leaves_audit_and_outbox",
     test_household__every_write_leaves_audit_and_outbox},
    {"test_household__writes_outside_an_operation_are_refused",
     test_household__writes_outside_an_operation_are_refused},
    {"test_household__duplicate_by_national_id_is_refused",
     test_household__duplicate_by_national_id_is_refused},
    {"test_household__duplicate_by_name_in_three_scripts",
     test_household__duplicate_by_name_in_three_scripts},
    {"test_household__key_rows_follow_name_and_id_edits",
     test_household__key_rows_follow_name_and_id_edits},
    {"test_household__other_sex_or_generation_is_not_a_duplicate",
     test_household__other_sex_or_generation_is_not_a_duplicate},
    {"test_household__force_new_saves_and_flags_with_reason",
     test_household__force_new_saves_and_flags_with_reason},
    {"test_household__bad_input_saves_nothing",
     test_household__bad_input_saves_nothing},
    {"test_household__resolve_explains_check_character",
     test_household__resolve_explains_check_character},
    {"test_household__members_add_edit_move_and_head_change",
     test_household__members_add_edit_move_and_head_change},
    {"test_household__birth_dates_as_typed",
     test_household__birth_dates_as_typed},
    {"test_household__sex_and_relationship_words",
     test_household__sex_and_relationship_words},
    {"test_household__deactivate_is_soft_and_blocks_changes",
     test_household__deactivate_is_soft_and_blocks_changes},
    {"test_household__list_by_area_includes_sub_areas",
     test_household__list_by_area_includes_sub_areas},
    {"test_household__audit_chain_verifies_and_catches_tampering",
     test_household__audit_chain_verifies_and_catches_tampering},
    {"test_household__audit_catches_altered_outbox",
     test_household__audit_catches_altered_outbox},
    {"test_household__khmer_digits_stored_as_ascii",
     test_household__khmer_digits_stored_as_ascii},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_household = {"household",      NULL, NULL,
                                t_office_setup, t_office_teardown, tests};
