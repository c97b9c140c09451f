/*
 * household.c - households and members (see household.h).
 */
#include "cases/household.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/country.h"
#include "cases/household_int.h"
#include "cases/name.h"
#include "cases/office.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

static const char *const RELS[] = {
    NULL,      "head",        "spouse",         "child",       "parent",
    "sibling", "grandchild",  "grandparent",    "other-relative",
    "non-relative"};

/* Words lists and people use for a relationship, in English, Khmer and
 * Mongolian, as name_word_is() matches them (lower case); Khmer has both
 * common spellings of the subscript t/d. */
static const struct {
  const char *zWord;
  int rel;
} REL_WORDS[] = {
    {"self", REL_HEAD},
    {"wife", REL_SPOUSE},
    {"husband", REL_SPOUSE},
    {"son", REL_CHILD},
    {"daughter", REL_CHILD},
    {"father", REL_PARENT},
    {"mother", REL_PARENT},
    {"brother", REL_SIBLING},
    {"sister", REL_SIBLING},
    {"grandson", REL_GRANDCHILD},
    {"granddaughter", REL_GRANDCHILD},
    {"grandfather", REL_GRANDPARENT},
    {"grandmother", REL_GRANDPARENT},
    {"relative", REL_OTHER_RELATIVE},
    {"other", REL_OTHER_RELATIVE},
    /* Khmer */
    {"មេគ្រួសារ", REL_HEAD},
    {"ប្រពន្ធ", REL_SPOUSE},
    {"ភរិយា", REL_SPOUSE},
    {"ប្តី", REL_SPOUSE},
    {"ប្ដី", REL_SPOUSE},
    {"ស្វាមី", REL_SPOUSE},
    {"កូន", REL_CHILD},
    {"កូនប្រុស", REL_CHILD},
    {"កូនស្រី", REL_CHILD},
    {"ឪពុក", REL_PARENT},
    {"ម្តាយ", REL_PARENT},
    {"ម្ដាយ", REL_PARENT},
    {"បងប្អូន", REL_SIBLING},
    {"បង", REL_SIBLING},
    {"ប្អូន", REL_SIBLING},
    {"បងប្រុស", REL_SIBLING},
    {"បងស្រី", REL_SIBLING},
    {"ប្អូនប្រុស", REL_SIBLING},
    {"ប្អូនស្រី", REL_SIBLING},
    {"ចៅ", REL_GRANDCHILD},
    {"ចៅប្រុស", REL_GRANDCHILD},
    {"ចៅស្រី", REL_GRANDCHILD},
    {"ជីតា", REL_GRANDPARENT},
    {"ជីដូន", REL_GRANDPARENT},
    {"សាច់ញាតិ", REL_OTHER_RELATIVE},
    /* Mongolian */
    {"өрхийн тэргүүн", REL_HEAD},
    {"тэргүүн", REL_HEAD},
    {"эхнэр", REL_SPOUSE},
    {"нөхөр", REL_SPOUSE},
    {"хүүхэд", REL_CHILD},
    {"хүү", REL_CHILD},
    {"охин", REL_CHILD},
    {"аав", REL_PARENT},
    {"ээж", REL_PARENT},
    {"эцэг", REL_PARENT},
    {"эх", REL_PARENT},
    {"ах", REL_SIBLING},
    {"эгч", REL_SIBLING},
    {"дүү", REL_SIBLING},
    {"ач", REL_GRANDCHILD},
    {"зээ", REL_GRANDCHILD},
    {"ач хүү", REL_GRANDCHILD},
    {"ач охин", REL_GRANDCHILD},
    {"өвөө", REL_GRANDPARENT},
    {"эмээ", REL_GRANDPARENT},
    {"хамаатан", REL_OTHER_RELATIVE},
};

/* The same for sex. */
static const struct {
  const char *zWord;
  char sex;
} SEX_WORDS[] = {
    {"f", 'F'},       {"female", 'F'},  {"ស្រី", 'F'},
    {"эм", 'F'},      {"эмэгтэй", 'F'}, {"m", 'M'},
    {"male", 'M'},    {"ប្រុស", 'M'},   {"эр", 'M'},
    {"эрэгтэй", 'M'},
};

const char *cases_relationship_name(int rel)
{
  return rel >= REL_HEAD && rel <= REL_NON_RELATIVE ? RELS[rel] : "?";
}

int cases_relationship_parse(const char *z)
{
  char *zFold = name_fold(z);
  int rel = 0;
  for (int i = REL_HEAD; i <= REL_NON_RELATIVE && !rel; i++)
    if (name_word_is(zFold, RELS[i]))
      rel = i;
  for (size_t i = 0; i < sizeof REL_WORDS / sizeof REL_WORDS[0] && !rel; i++)
    if (name_word_is(zFold, REL_WORDS[i].zWord))
      rel = REL_WORDS[i].rel;
  free(zFold);
  return rel;
}

int cases_sex_parse(const char *zField, const char *z, char *out,
                    struct sws_err *err)
{
  char *zFold = name_fold(z);
  for (size_t i = 0; i < sizeof SEX_WORDS / sizeof SEX_WORDS[0]; i++)
    if (name_word_is(zFold, SEX_WORDS[i].zWord)) {
      *out = SEX_WORDS[i].sex;
      free(zFold);
      return SWS_OK;
    }
  free(zFold);
  return sws_err_set(err, SWS_EINVAL, "%s must be F or M, not '%s'", zField,
                     z);
}

static int national_id_norm_ascii(const char *zField, const char *z, char *out,
                                  struct sws_err *err)
{
  size_t n = 0;
  out[0] = '\0';
  if (z == NULL)
    return SWS_OK;
  for (const char *p = z; *p; p++) {
    unsigned char c = (unsigned char)*p;
    unsigned cp = 0;
    size_t k = c >= 0x80 ? sws_utf8_next(p, strlen(p), &cp) : 0;
    if (c == ' ' || c == '\t' || c == '-')
      continue; /* formatting: N-0101 and N 0101 are N0101 */
    cp = k ? cases_mn_letter_upper(cp) : 0; /* Cyrillic: register numbers */
    if (c >= 0x80 ? cp == 0 : !(isalnum(c) || c == '/'))
      return sws_err_set(err, SWS_EINVAL,
                         "%s may only hold letters A-Z, "
                         "digits, '/' (and '-' or spaces, which are "
                         "ignored), or the Cyrillic letters of a Mongolian "
                         "register number",
                         zField);
    if (n + (k ? 2 : 1) > SWS_NID_MAX)
      return sws_err_set(err, SWS_ETOOBIG, "%s is longer than %d "
                         "characters", zField, SWS_NID_MAX);
    if (k) { /* every Mongolian letter takes two bytes */
      out[n++] = (char)(0xC0 | (cp >> 6));
      out[n++] = (char)(0x80 | (cp & 0x3F));
      p += k - 1;
      continue;
    }
    out[n++] = (char)toupper(c);
  }
  out[n] = '\0';
  return SWS_OK;
}

/* Local digits (០-៩) read as the ASCII digits stored. */
int cases_national_id_norm(const char *zField, const char *z, char *out,
                           struct sws_err *err)
{
  char *zA = sws_digits_ascii(z);
  int rc = national_id_norm_ascii(zField, zA, out, err);
  free(zA);
  return rc;
}

static int phone_norm_ascii(const char *zField, const char *z, char *out,
                            struct sws_err *err)
{
  size_t n = 0, digits = 0;
  out[0] = '\0';
  if (z == NULL)
    return SWS_OK;
  for (const char *p = z; *p; p++) {
    char c = *p;
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')')
      continue;
    if (c == '+' && n == 0) {
      out[n++] = c;
      continue;
    }
    if (c < '0' || c > '9')
      return sws_err_set(err, SWS_EINVAL, "%s '%s' is not a phone number "
                         "(digits, spaces, '-' and a leading '+' only)",
                         zField, z);
    if (n == SWS_PHONE_MAX)
      return sws_err_set(err, SWS_ETOOBIG, "%s '%s' is too long", zField, z);
    out[n++] = c;
    digits++;
  }
  out[n] = '\0';
  if (n > 0 && (digits < 6 || digits > 15))
    return sws_err_set(err, SWS_EINVAL, "%s '%s' should have 6 to 15 "
                       "digits", zField, z);
  return SWS_OK;
}

/* Local digits (០-៩) read as the ASCII digits stored. */
int cases_phone_norm(const char *zField, const char *z, char *out,
                     struct sws_err *err)
{
  char *zA = sws_digits_ascii(z);
  int rc = phone_norm_ascii(zField, zA, out, err);
  free(zA);
  return rc;
}

int cases_member_input_check(struct sws_ctx *ctx,
                             const struct member_input *m, const char *zWho,
                             struct sws_err *err)
{
  char zField[96], zBuf[SWS_NID_MAX + SWS_PHONE_MAX + 2];
  char zBorn[SWS_BORN_SIZE];
  int rc;
  if (m->zName == NULL || sws_blank(m->zName))
    return sws_err_set(err, SWS_EINVAL, "%s needs a name", zWho);
  snprintf(zField, sizeof zField, sws_err_translate("the name of %s"), zWho);
  if ((rc = sws_text_check(zField, m->zName, SWS_NAME_MAX, 0, err)) != 0)
    return rc;
  {
    char *zFold = name_fold(m->zName);
    int empty = zFold[0] == '\0';
    free(zFold);
    if (empty)
      return sws_err_set(err, SWS_EINVAL, "the name of %s has no letters",
                         zWho);
  }
  if (m->sex != 'F' && m->sex != 'M')
    return sws_err_set(err, SWS_EINVAL, "the sex of %s must be F or M",
                       zWho);
  snprintf(zField, sizeof zField, sws_err_translate("the birth date of %s"),
           zWho);
  if (m->zBorn == NULL)
    return sws_err_set(err, SWS_EINVAL, "%s needs a birth date (a year is "
                       "enough)", zWho);
  if ((rc = sws_born_norm(zField, m->zBorn, SWS_DATE_UNKNOWN, NULL, zBorn,
                          err)) != 0 ||
      (rc = sws_born_check(zField, zBorn, sws_now_ms(), NULL, err)) != 0)
    return rc;
  if (m->relationship < REL_HEAD || m->relationship > REL_NON_RELATIVE)
    return sws_err_set(err, SWS_EINVAL, "the relationship of %s to the head "
                       "is not one of head, spouse, child, parent, sibling, "
                       "grandchild, grandparent, other-relative, "
                       "non-relative", zWho);
  snprintf(zField, sizeof zField, sws_err_translate("the national ID of %s"),
           zWho);
  if ((rc = cases_national_id_norm(zField, m->zNationalId, zBuf, err)) != 0 ||
      (rc = cases_country_nid_check(cases_country_of(ctx), zField, zBuf, zBorn,
                                    err)) != 0)
    return rc;
  snprintf(zField, sizeof zField, sws_err_translate("the phone of %s"), zWho);
  if ((rc = cases_phone_norm(zField, m->zPhone, zBuf, err)) != 0)
    return rc;
  return SWS_OK;
}

/* A village that exists; messages for the officer. */
static int check_village(struct sws_ctx *ctx, const char *zArea,
                         struct sws_err *err)
{
  struct area a;
  int rc;
  if (zArea == NULL || *zArea == '\0')
    return sws_err_set(err, SWS_EINVAL, "the household needs a village "
                       "(--area CODE; see 'sws area list --level village')");
  if ((rc = cases_area_get(ctx, zArea, &a, err)) != 0)
    return rc;
  if (a.level != AREA_VILLAGE)
    return sws_err_set(err, SWS_EINVAL,
                       "'%s' is a %s; households are "
                       "registered in a village (see 'sws area list --level "
                       "village')",
                       zArea,
                       sws_err_translate(cases_area_level_name(a.level)));
  return SWS_OK;
}

int household_input_check(struct sws_ctx *ctx,
                          const struct household_input *in,
                          struct sws_err *err)
{
  char zBuf[SWS_PHONE_MAX + 1];
  int rc, nHead = 0;
  if ((rc = check_village(ctx, in->zArea, err)) != 0)
    return rc;
  if (in->zAddress && (rc = sws_text_check(sws_err_translate("the address"),
                                           in->zAddress, 500, 0, err)) != 0)
    return rc;
  if ((rc = cases_phone_norm(sws_err_translate("the household phone"),
                             in->zPhone, zBuf, err)) != 0)
    return rc;
  if (in->nMember < 1)
    return sws_err_set(err, SWS_EINVAL, "a household needs at least its "
                       "head");
  if (in->nMember > 60)
    return sws_err_set(err, SWS_ETOOBIG, "a household of %d members is more "
                       "than the limit of 60; check the input", in->nMember);
  for (int i = 0; i < in->nMember; i++) {
    char zWho[48];
    if (in->aMember[i].relationship == REL_HEAD)
      snprintf(zWho, sizeof zWho, "%s", sws_err_translate("the head"));
    else
      snprintf(zWho, sizeof zWho, sws_err_translate("member %d"), i + 1);
    if ((rc = cases_member_input_check(ctx, &in->aMember[i], zWho, err)) != 0)
      return rc;
    nHead += in->aMember[i].relationship == REL_HEAD;
  }
  if (nHead != 1)
    return sws_err_set(err, SWS_EINVAL, "a household has exactly one head "
                       "(%d given)", nHead);
  if (in->zForceReason) {
    if (sws_blank(in->zForceReason))
      return sws_err_set(err, SWS_EINVAL, "--force-new needs a reason (why "
                         "this is not the same family)");
    if ((rc = sws_text_check(sws_err_translate("the reason"), in->zForceReason,
                             500, 0, err)) != 0)
      return rc;
  }
  return SWS_OK;
}

int household_find_dups(struct sws_ctx *ctx, const struct household_input *in,
                        const char *zExcludeId, struct dedup_cache *cache,
                        struct dedup_list *dups, struct sws_err *err)
{
  for (int i = 0; i < in->nMember; i++) {
    const struct member_input *m = &in->aMember[i];
    char zNid[SWS_NID_MAX + 1];
    int rc;
    char zBorn[SWS_BORN_SIZE];
    if ((rc = cases_national_id_norm("national ID", m->zNationalId, zNid,
                                     err)) != 0 ||
        (rc = sws_born_norm("birth date", m->zBorn, SWS_DATE_UNKNOWN, NULL,
                            zBorn, err)) != 0)
      return rc;
    struct match_person p = {m->zName, m->sex, zBorn, in->zArea, zNid};
    if ((rc = cases_dedup_person(ctx, &p, zExcludeId, cache, dups, err)) != 0)
      return rc;
  }
  return SWS_OK;
}

static int insert_member(struct sws_ctx *ctx, const char *zHouseholdId,
                         int line_no, const struct member_input *m,
                         struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1], zNid[SWS_NID_MAX + 1], zPhone[SWS_PHONE_MAX + 1];
  char zBorn[SWS_BORN_SIZE];
  sqlite3_stmt *q;
  int rc;
  char *zName = sws_trim(m->zName);
  char zSex[2] = {m->sex, 0};
  if ((rc = cases_national_id_norm("national ID", m->zNationalId, zNid,
                                   err)) != 0 ||
      (rc = cases_phone_norm("phone", m->zPhone, zPhone, err)) != 0 ||
      (rc = sws_born_norm("birth date", m->zBorn, SWS_DATE_UNKNOWN, NULL,
                          zBorn, err)) != 0)
    goto done;
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO member(id, household_id, line_no, name, "
                       "sex, born, relationship, national_id, phone, "
                       "disability, created_at, updated_at) VALUES (:id, "
                       ":hh, :line, :name, :sex, :born, :rel, :nid, :phone, "
                       ":dis, sws_now(), sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":hh", zHouseholdId);
  db_bind_int64(q, ":line", line_no);
  db_bind_text(q, ":name", zName);
  db_bind_text(q, ":sex", zSex);
  db_bind_text(q, ":born", zBorn);
  db_bind_text(q, ":rel", cases_relationship_name(m->relationship));
  db_bind_text(q, ":nid", zNid[0] ? zNid : NULL);
  db_bind_text(q, ":phone", zPhone);
  db_bind_int64(q, ":dis", m->disability ? 1 : 0);
  rc = db_step(ctx->db, q, err);
  if (rc > 0)
    rc = 0;
  db_done(ctx->db, q);
done:
  free(zName);
  return rc;
}

int household_flag_dups(struct sws_ctx *ctx, const char *zHouseholdId,
                        const struct dedup_list *dups, const char *zSource,
                        const char *zNote, struct sws_err *err)
{
  for (int i = 0; i < dups->n && i < DEDUP_FLAGS_MAX; i++) {
    sqlite3_stmt *q;
    int rc = db_prepare(ctx->db, &q,
                        "INSERT INTO duplicate_flag(household_id, "
                        "other_household_id, score, reasons, source, note, "
                        "status, created_at, member_line, other_member_line) "
                        "SELECT :hh, :other, :score, :reasons, :source, "
                        ":note, 'open', sws_now(), (SELECT max(line_no) FROM "
                        "member WHERE household_id = :hh AND name = "
                        "trim(:input)), :oline WHERE "
                        ":hh != :other AND NOT EXISTS (SELECT 1 FROM "
                        "duplicate_flag WHERE (household_id = :hh AND "
                        "other_household_id = :other) OR (household_id = "
                        ":other AND other_household_id = :hh))",
                        err);
    if (rc != 0)
      return rc;
    db_bind_text(q, ":hh", zHouseholdId);
    db_bind_text(q, ":other", dups->a[i].zHouseholdId);
    db_bind_double(q, ":score", dups->a[i].score);
    db_bind_text(q, ":reasons", dups->a[i].zReasons);
    db_bind_text(q, ":source", zSource);
    db_bind_text(q, ":note", zNote ? zNote : "");
    db_bind_text(q, ":input", dups->a[i].zInput);
    db_bind_int64(q, ":oline", dups->a[i].line_no);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
    if (rc < 0)
      return rc;
  }
  return SWS_OK;
}

int household_insert(struct sws_ctx *ctx, const struct household_input *in,
                     char zId[SWS_UUID_LEN + 1], char zRegno[SWS_NUMBER_MAX],
                     struct sws_err *err)
{
  struct office_info office;
  char zPhone[SWS_PHONE_MAX + 1];
  int64_t seq;
  sqlite3_stmt *q;
  int rc, line = 1;
  if ((rc = cases_office_get(ctx, &office, err)) != 0 ||
      (rc = cases_phone_norm("phone", in->zPhone, zPhone, err)) != 0)
    return rc;
  do {
    if ((rc = cases_counter_next(ctx, "regno", &seq, err)) != 0)
      return rc;
  } while (!sws_number_issuable(office.zDevice, seq));
  if (sws_number_format(zRegno, SWS_NUMBER_MAX, office.zDevice, seq) != 0)
    return sws_err_set(err, SWS_EINVAL, "registration number too long");
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO household(id, regno, area_code, address, "
                       "phone, import_key, created_at, created_by, "
                       "updated_at) VALUES (:id, :regno, :area, :address, "
                       ":phone, :key, sws_now(), sws_actor(), sws_now())",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":regno", zRegno);
  db_bind_text(q, ":area", in->zArea);
  db_bind_text(q, ":address", in->zAddress ? in->zAddress : "");
  db_bind_text(q, ":phone", zPhone);
  db_bind_text(q, ":key", in->zImportKey);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* the head is member 1, the others in the order given */
  for (int i = 0; i < in->nMember; i++)
    if (in->aMember[i].relationship == REL_HEAD &&
        (rc = insert_member(ctx, zId, line++, &in->aMember[i], err)) != 0)
      return rc;
  for (int i = 0; i < in->nMember; i++)
    if (in->aMember[i].relationship != REL_HEAD &&
        (rc = insert_member(ctx, zId, line++, &in->aMember[i], err)) != 0)
      return rc;
  return SWS_OK;
}

int cases_household_create(struct sws_ctx *ctx,
                           const struct household_input *in,
                           char zRegno[SWS_NUMBER_MAX], struct dedup_list *dups,
                           struct sws_err *err)
{
  struct dedup_list local = DEDUP_LIST_INIT;
  char zId[SWS_UUID_LEN + 1] = "";
  char *zDetail = NULL;
  int rc;
  if (dups == NULL)
    dups = &local;
  if ((rc = household_input_check(ctx, in, err)) != 0)
    return rc;
  if ((rc = household_find_dups(ctx, in, NULL, NULL, dups, err)) != 0)
    goto out;
  if (dups->n > 0 && in->zForceReason == NULL) {
    rc = sws_err_set(err, SWS_EDUP, "%d possible duplicate%s found in this "
                     "office; nothing was saved", dups->n,
                     dups->n == 1 ? "" : "s");
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "household.register", err)) != 0)
    goto out;
  if ((rc = household_insert(ctx, in, zId, zRegno, err)) != 0)
    goto done;
  if (dups->n > 0 && (rc = household_flag_dups(ctx, zId, dups, "counter",
                                               in->zForceReason, err)) != 0)
    goto done;
  if (dups->n > 0)
    zDetail = sws_mprintf("%s; %d member%s; registered despite %d possible "
                          "duplicate%s (first %s): %s",
                          zRegno, in->nMember, in->nMember == 1 ? "" : "s",
                          dups->n, dups->n == 1 ? "" : "s", dups->a[0].zRegno,
                          in->zForceReason);
  else
    zDetail = sws_mprintf("%s; %d member%s", zRegno, in->nMember,
                          in->nMember == 1 ? "" : "s");
done:
  rc = cases_op_end(ctx, rc, "household", zId, zDetail, err);
out:
  free(zDetail);
  dedup_list_release(&local);
  return rc;
}

/* Whether household zId moved to another office (1: zTo, zOn filled; 0:
 * not; < 0 an error). */
static int moved(struct sws_ctx *ctx, const char *zId, char zTo[17],
                 char zOn[11], struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT to_office, substr(moved_at, 1, 10) FROM "
                      "household_moved WHERE household_id = :id",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    sws_strlcpy(zTo, db_col_str(q, 0), 17);
    sws_strlcpy(zOn, db_col_str(q, 1), 11);
  }
  db_done(ctx->db, q);
  return rc == DB_ROW ? 1 : rc < 0 ? rc : 0;
}

int cases_household_resolve(struct sws_ctx *ctx, const char *zTyped,
                            int bStrict, char *zId, char *zRegno, char *pNote,
                            struct sws_err *err)
{
  struct sws_number num;
  sqlite3_stmt *q;
  int rc;
  enum sws_number_status st = sws_number_parse(zTyped, &num);
  if (pNote)
    pNote[0] = '\0';
  if (st == SWS_NUMBER_MALFORMED)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a registration number "
                       "(they look like KH12-000123-7)", zTyped);
  if (st == SWS_NUMBER_NO_CHECK && bStrict)
    return sws_err_set(err, SWS_EINVAL, "'%s' has no check character; give "
                       "the whole number (%s if it is on the receipt)",
                       zTyped, num.zCanon);
  if (st == SWS_NUMBER_BAD_CHECK) {
    if (bStrict)
      return sws_err_set(err, SWS_EINVAL, "the check character of '%s' does "
                         "not fit: a character was mistyped; read the number "
                         "again from the receipt", zTyped);
    if (pNote)
      snprintf(pNote, 256, "the check character of '%s' does not fit (a "
               "character may be mistyped); showing %s", zTyped,
               num.zCanon);
  } else if (st == SWS_NUMBER_NO_CHECK && pNote) {
    snprintf(pNote, 256, "'%s' has no check character; the full number is "
             "%s", zTyped, num.zCanon);
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, regno FROM household WHERE regno = :r",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":r", num.zCanon);
  rc = db_step(ctx->db, q, err);
  char zFound[SWS_UUID_LEN + 1] = "", zFoundRegno[SWS_NUMBER_MAX] = "";
  if (rc == DB_ROW) {
    sws_strlcpy(zFound, db_col_str(q, 0), sizeof zFound);
    sws_strlcpy(zFoundRegno, db_col_str(q, 1), sizeof zFoundRegno);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = SWS_ENOTFOUND;
  }
  db_done(ctx->db, q);
  if (rc == SWS_ENOTFOUND) {
    /* a household of another office merged into one of ours */
    if ((rc = db_prepare(ctx->db, &q,
                         "SELECT merged_id, merged_regno FROM "
                         "household_alias WHERE merged_regno = :r AND "
                         "active = 1",
                         err)) != 0)
      return rc;
    db_bind_text(q, ":r", num.zCanon);
    rc = db_step(ctx->db, q, err);
    if (rc == DB_ROW) {
      sws_strlcpy(zFound, db_col_str(q, 0), sizeof zFound);
      sws_strlcpy(zFoundRegno, db_col_str(q, 1), sizeof zFoundRegno);
      rc = SWS_OK;
    } else if (rc == DB_DONE) {
      rc = sws_err_set(err, SWS_ENOTFOUND, "no household %s in this office; "
                       "check the number or search by name", num.zCanon);
    }
    db_done(ctx->db, q);
  }
  if (rc != 0)
    return rc;
  /* merged centrally into another household: that one is meant */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT h.id, h.regno FROM household_alias a JOIN "
                       "household h ON h.id = a.survivor_id WHERE "
                       "a.merged_id = :id AND a.active = 1",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zFound);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    if (pNote)
      snprintf(pNote, 256, "%s was merged into %s by the central registry; "
               "showing %s", zFoundRegno, db_col_str(q, 1),
               db_col_str(q, 1));
    sws_strlcpy(zFound, db_col_str(q, 0), sizeof zFound);
    sws_strlcpy(zFoundRegno, db_col_str(q, 1), sizeof zFoundRegno);
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  /* moved to another office: shown, read only (schema/office/0013) */
  char zTo[17], zOn[11];
  if (pNote && (rc = moved(ctx, zFound, zTo, zOn, err)) > 0)
    snprintf(pNote, 256,
             "%s moved to office %s on %s: this copy is read only; the "
             "family's records are changed there",
             zFoundRegno, zTo, zOn);
  if (rc < 0)
    return rc;
  if (zId)
    sws_strlcpy(zId, zFound, SWS_UUID_LEN + 1);
  if (zRegno)
    sws_strlcpy(zRegno, zFoundRegno, SWS_NUMBER_MAX);
  return SWS_OK;
}

static void fill_member(sqlite3_stmt *q, struct member *m)
{
  memset(m, 0, sizeof *m);
  sws_strlcpy(m->zId, db_col_str(q, 0), sizeof m->zId);
  m->line_no = (int)db_col_int64(q, 1);
  sws_strlcpy(m->zName, db_col_str(q, 2), sizeof m->zName);
  m->sex = db_col_str(q, 3)[0];
  sws_strlcpy(m->zBorn, db_col_str(q, 4), sizeof m->zBorn);
  m->relationship = cases_relationship_parse(db_col_str(q, 5));
  sws_strlcpy(m->zNationalId, db_col_str(q, 6), sizeof m->zNationalId);
  sws_strlcpy(m->zPhone, db_col_str(q, 7), sizeof m->zPhone);
  m->disability = (int)db_col_int64(q, 8);
  sws_strlcpy(m->zStatus, db_col_str(q, 9), sizeof m->zStatus);
}

int cases_household_get(struct sws_ctx *ctx, const char *zIdOrRegno,
                        struct household *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, regno, area_code, address, phone, status, "
                       "status_reason, import_key, created_at, created_by, "
                       "updated_at FROM household WHERE id = :k OR "
                       "regno = :k",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":k", zIdOrRegno);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(out->zId, db_col_str(q, 0), sizeof out->zId);
    sws_strlcpy(out->zRegno, db_col_str(q, 1), sizeof out->zRegno);
    sws_strlcpy(out->zArea, db_col_str(q, 2), sizeof out->zArea);
    sws_strlcpy(out->zAddress, db_col_str(q, 3), sizeof out->zAddress);
    sws_strlcpy(out->zPhone, db_col_str(q, 4), sizeof out->zPhone);
    sws_strlcpy(out->zStatus, db_col_str(q, 5), sizeof out->zStatus);
    sws_strlcpy(out->zStatusReason, db_col_str(q, 6),
                sizeof out->zStatusReason);
    sws_strlcpy(out->zImportKey, db_col_str(q, 7), sizeof out->zImportKey);
    sws_strlcpy(out->zCreatedAt, db_col_str(q, 8), sizeof out->zCreatedAt);
    sws_strlcpy(out->zCreatedBy, db_col_str(q, 9), sizeof out->zCreatedBy);
    sws_strlcpy(out->zUpdatedAt, db_col_str(q, 10), sizeof out->zUpdatedAt);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no household '%s' in this office",
                     zIdOrRegno);
  }
  db_done(ctx->db, q);
  if (rc != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, line_no, name, sex, born, relationship, "
                       "national_id, phone, disability, status FROM member "
                       "WHERE household_id = :hh ORDER BY line_no",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":hh", out->zId);
  int nAlloc = 0;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (out->nMember == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 8;
      out->aMember =
          sws_realloc(out->aMember, sizeof *out->aMember * (size_t)nAlloc);
    }
    fill_member(q, &out->aMember[out->nMember++]);
  }
  db_done(ctx->db, q);
  if (rc < 0) {
    cases_household_release(out);
    return rc;
  }
  return SWS_OK;
}

void cases_household_release(struct household *h)
{
  free(h->aMember);
  h->aMember = NULL;
  h->nMember = 0;
}

const struct member *cases_household_head(const struct household *h)
{
  for (int i = 0; i < h->nMember; i++)
    if (h->aMember[i].relationship == REL_HEAD &&
        strcmp(h->aMember[i].zStatus, "active") == 0)
      return &h->aMember[i];
  return NULL;
}

const struct member *cases_household_member(const struct household *h,
                                            int line_no)
{
  for (int i = 0; i < h->nMember; i++)
    if (h->aMember[i].line_no == line_no)
      return &h->aMember[i];
  return NULL;
}

int cases_household_list(struct sws_ctx *ctx, const char *zArea,
                         int64_t nLimit,
                         int (*fn)(const struct household_row *, void *),
                         void *arg, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc;
  if (zArea) {
    struct area a;
    if ((rc = cases_area_get(ctx, zArea, &a, err)) != 0)
      return rc;
  }
  if ((rc = db_prepare(
           ctx->db, &q,
           "WITH RECURSIVE sub(code) AS (SELECT :area UNION ALL "
           "  SELECT a.code FROM area a JOIN sub ON a.parent_code = sub.code) "
           "SELECT h.id, h.regno, h.area_code, "
           "  (SELECT name FROM member WHERE household_id = h.id AND "
           "   relationship = 'head' AND status = 'active'), "
           "  h.status, h.created_at, "
           "  (SELECT count(*) FROM member WHERE household_id = h.id AND "
           "   status = 'active') "
           "FROM household h "
           "WHERE :area IS NULL OR h.area_code IN (SELECT code FROM sub) "
           "ORDER BY h.regno LIMIT :lim",
           err)) != 0)
    return rc;
  db_bind_text(q, ":area", zArea);
  db_bind_int64(q, ":lim", nLimit > 0 ? nLimit : -1);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct household_row r = {db_col_str(q, 0), db_col_str(q, 1),
                              db_col_str(q, 2), db_col_str(q, 3),
                              db_col_str(q, 4), db_col_str(q, 5),
                              (int)db_col_int64(q, 6)};
    if (fn(&r, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* Resolve strictly and load; the household must be active unless
 * bAnyStatus. */
static int load_for_change(struct sws_ctx *ctx, const char *zRegno,
                           int bAnyStatus, struct household *h,
                           struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  int rc;
  if ((rc = cases_household_resolve(ctx, zRegno, 1, zId, NULL, NULL, err)) !=
          0 ||
      (rc = cases_household_get(ctx, zId, h, err)) != 0)
    return rc;
  char zTo[17], zOn[11];
  if ((rc = moved(ctx, zId, zTo, zOn, err)) != 0) {
    if (rc > 0)
      rc = sws_err_set(err, SWS_ECONFLICT,
                       "household %s moved to office %s on %s: the "
                       "family's records are changed there; this copy is "
                       "read only",
                       h->zRegno, zTo, zOn);
    cases_household_release(h);
  } else if (!bAnyStatus && strcmp(h->zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s is deactivated (%s); "
                     "reactivate it first", h->zRegno, h->zStatusReason);
    cases_household_release(h);
  }
  return rc;
}

/* Run an UPDATE with :id bound and up to three text parameters. */
static int exec_update(struct sws_ctx *ctx, const char *zSql, const char *zId,
                       const char *zName1, const char *zVal1,
                       const char *zName2, const char *zVal2,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, zSql, err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  if (zName1)
    db_bind_text(q, zName1, zVal1);
  if (zName2)
    db_bind_text(q, zName2, zVal2);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_household_edit(struct sws_ctx *ctx, const char *zRegno,
                         const struct household_edit *e, struct sws_err *err)
{
  struct household h;
  struct buf detail = BUF_INIT;
  char zPhone[SWS_PHONE_MAX + 1];
  int rc;
  if (e->zArea == NULL && e->zAddress == NULL && e->zPhone == NULL)
    return sws_err_set(err, SWS_EINVAL, "nothing to change: give --area, "
                       "--address or --phone");
  if (e->zArea && (rc = check_village(ctx, e->zArea, err)) != 0)
    return rc;
  if (e->zAddress && (rc = sws_text_check(sws_err_translate("the address"),
                                          e->zAddress, 500, 0, err)) != 0)
    return rc;
  if ((rc = cases_phone_norm(sws_err_translate("the phone"), e->zPhone, zPhone,
                             err)) != 0)
    return rc;
  if ((rc = load_for_change(ctx, zRegno, 0, &h, err)) != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "household.edit", err)) != 0)
    goto out;
  if (e->zArea) {
    buf_appendf(&detail, "area %s -> %s; ", h.zArea, e->zArea);
    rc = exec_update(ctx, "UPDATE household SET area_code = :v, updated_at = "
                     "sws_now() WHERE id = :id", h.zId, ":v", e->zArea, NULL,
                     NULL, err);
  }
  if (rc == 0 && e->zAddress) {
    buf_puts(&detail, "address; ");
    rc = exec_update(ctx, "UPDATE household SET address = :v, updated_at = "
                     "sws_now() WHERE id = :id", h.zId, ":v", e->zAddress,
                     NULL, NULL, err);
  }
  if (rc == 0 && e->zPhone) {
    buf_puts(&detail, "phone; ");
    rc = exec_update(ctx, "UPDATE household SET phone = :v, updated_at = "
                     "sws_now() WHERE id = :id", h.zId, ":v", zPhone, NULL,
                     NULL, err);
  }
  rc = cases_op_end(ctx, rc, "household", h.zId, buf_str(&detail), err);
out:
  buf_release(&detail);
  cases_household_release(&h);
  return rc;
}

static int set_status(struct sws_ctx *ctx, const char *zRegno,
                      const char *zStatus, const char *zReason,
                      struct sws_err *err)
{
  struct household h;
  int rc;
  if (zReason == NULL || sws_blank(zReason))
    return sws_err_set(err, SWS_EINVAL, "give a --reason (it is kept in the "
                       "household's history)");
  if ((rc = sws_text_check(sws_err_translate("the reason"), zReason, 500, 0,
                           err)) != 0)
    return rc;
  if ((rc = load_for_change(ctx, zRegno, 1, &h, err)) != 0)
    return rc;
  if (strcmp(h.zStatus, zStatus) == 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "household %s is already %s",
                     h.zRegno, zStatus);
    goto out;
  }
  if ((rc = cases_op_begin(ctx, strcmp(zStatus, "active") == 0
                                    ? "household.reactivate"
                                    : "household.deactivate",
                           err)) != 0)
    goto out;
  rc = exec_update(ctx, "UPDATE household SET status = :s, status_reason = "
                   ":r, updated_at = sws_now() WHERE id = :id", h.zId, ":s",
                   zStatus, ":r", zReason, err);
  rc = cases_op_end(ctx, rc, "household", h.zId, zReason, err);
out:
  cases_household_release(&h);
  return rc;
}

int cases_household_deactivate(struct sws_ctx *ctx, const char *zRegno,
                               const char *zReason, struct sws_err *err)
{
  return set_status(ctx, zRegno, "inactive", zReason, err);
}

int cases_household_reactivate(struct sws_ctx *ctx, const char *zRegno,
                               const char *zReason, struct sws_err *err)
{
  return set_status(ctx, zRegno, "active", zReason, err);
}

static int next_line(struct sws_ctx *ctx, const char *zHouseholdId, int *out,
                     struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT coalesce(max(line_no), 0) + 1 FROM member "
                      "WHERE household_id = :hh",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":hh", zHouseholdId);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    *out = (int)db_col_int64(q, 0);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_member_add(struct sws_ctx *ctx, const char *zRegno,
                     const struct member_input *m, const char *zForceReason,
                     int *pLine, struct dedup_list *dups, struct sws_err *err)
{
  struct dedup_list local = DEDUP_LIST_INIT;
  struct household h;
  char *zDetail = NULL;
  int rc, line = 0;
  if (dups == NULL)
    dups = &local;
  if (m->relationship == REL_HEAD)
    return sws_err_set(err, SWS_EINVAL, "a household has one head; add this "
                       "person with another relationship, then make them "
                       "head with 'sws member edit REGNO N --relationship "
                       "head'");
  if ((rc = cases_member_input_check(ctx, m, "the new member", err)) != 0)
    return rc;
  if (zForceReason && sws_blank(zForceReason))
    return sws_err_set(err, SWS_EINVAL, "--force-new needs a reason");
  if ((rc = load_for_change(ctx, zRegno, 0, &h, err)) != 0)
    return rc;
  {
    struct household_input in = {h.zArea, NULL, NULL, NULL, m, 1, NULL};
    if ((rc = household_find_dups(ctx, &in, NULL, NULL, dups, err)) != 0)
      goto out;
  }
  if (dups->n > 0 && zForceReason == NULL) {
    rc = sws_err_set(err, SWS_EDUP, "%d possible duplicate%s found in this "
                     "office; nothing was saved", dups->n,
                     dups->n == 1 ? "" : "s");
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "member.add", err)) != 0)
    goto out;
  if ((rc = next_line(ctx, h.zId, &line, err)) != 0 ||
      (rc = insert_member(ctx, h.zId, line, m, err)) != 0)
    goto done;
  if (dups->n > 0 && (rc = household_flag_dups(ctx, h.zId, dups, "counter",
                                               zForceReason, err)) != 0)
    goto done;
  zDetail = sws_mprintf("member %d added%s%s", line,
                        dups->n ? "; despite possible duplicates: " : "",
                        dups->n ? zForceReason : "");
done:
  rc = cases_op_end(ctx, rc, "household", h.zId, zDetail, err);
  if (rc == 0 && pLine)
    *pLine = line;
out:
  free(zDetail);
  cases_household_release(&h);
  dedup_list_release(&local);
  return rc;
}

int cases_member_edit(struct sws_ctx *ctx, const char *zRegno, int line_no,
                      const struct member_edit *e, struct sws_err *err)
{
  struct household h;
  struct buf detail = BUF_INIT;
  const struct member *m;
  char zNid[SWS_NID_MAX + 1], zPhone[SWS_PHONE_MAX + 1];
  char zBorn[SWS_BORN_SIZE];
  int rc;
  sqlite3_stmt *q;

  if ((rc = load_for_change(ctx, zRegno, 0, &h, err)) != 0)
    return rc;
  if ((m = cases_household_member(&h, line_no)) == NULL) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "household %s has no member %d "
                     "(see 'sws household show %s')", h.zRegno, line_no,
                     h.zRegno);
    goto out;
  }
  /* the change, checked as a whole member */
  struct member_input mi = {e->zName ? e->zName : m->zName,
                            e->sex ? e->sex : m->sex,
                            e->zBorn ? e->zBorn : m->zBorn,
                            e->relationship ? e->relationship
                                            : m->relationship,
                            e->zNationalId ? e->zNationalId : m->zNationalId,
                            e->zPhone ? e->zPhone : m->zPhone,
                            e->disability >= 0 ? e->disability
                                               : m->disability};
  char zWho[32];
  snprintf(zWho, sizeof zWho, "member %d", line_no);
  if ((rc = cases_member_input_check(ctx, &mi, zWho, err)) != 0)
    goto out;
  if (!e->zName && !e->sex && !e->zBorn && !e->relationship &&
      !e->zNationalId && !e->zPhone && e->disability < 0 && !e->zStatus) {
    rc = sws_err_set(err, SWS_EINVAL, "nothing to change: give --name, "
                     "--sex, --born, --relationship, --national-id, --phone, "
                     "--disability or --status");
    goto out;
  }
  if (e->zStatus && strcmp(e->zStatus, "active") != 0 &&
      strcmp(e->zStatus, "left") != 0 && strcmp(e->zStatus, "deceased") != 0) {
    rc = sws_err_set(err, SWS_EINVAL, "--status must be active, left or "
                     "deceased");
    goto out;
  }
  int bWasHead = m->relationship == REL_HEAD;
  if (bWasHead && e->relationship && e->relationship != REL_HEAD) {
    rc = sws_err_set(err, SWS_ECONFLICT, "member %d is the head; make "
                     "another member head instead (they will get the "
                     "relationship you give with --previous-head-as)",
                     line_no);
    goto out;
  }
  if (bWasHead && e->zStatus && strcmp(e->zStatus, "active") != 0) {
    rc = sws_err_set(err, SWS_ECONFLICT, "member %d is the head; make "
                     "another member head before marking them %s", line_no,
                     e->zStatus);
    goto out;
  }
  int bNewHead = !bWasHead && e->relationship == REL_HEAD;
  if (bNewHead) {
    if (strcmp(m->zStatus, "active") != 0) {
      rc = sws_err_set(err, SWS_ECONFLICT, "member %d is %s and cannot be "
                       "head", line_no, m->zStatus);
      goto out;
    }
    if (e->prev_head_rel <= REL_HEAD || e->prev_head_rel > REL_NON_RELATIVE) {
      rc = sws_err_set(err, SWS_EINVAL, "say what the present head becomes "
                       "to the new head: --previous-head-as spouse, parent, "
                       "...");
      goto out;
    }
  }
  if ((rc = cases_national_id_norm("--national-id", mi.zNationalId, zNid,
                                   err)) != 0 ||
      (rc = cases_phone_norm("--phone", mi.zPhone, zPhone, err)) != 0 ||
      (rc = sws_born_norm("--born", mi.zBorn, SWS_DATE_UNKNOWN, NULL, zBorn,
                          err)) != 0)
    goto out;

  if ((rc = cases_op_begin(ctx, "member.edit", err)) != 0)
    goto out;
  if (bNewHead) {
    const struct member *old = cases_household_head(&h);
    if (old &&
        (rc = exec_update(ctx, "UPDATE member SET relationship = :r, "
                          "updated_at = sws_now() WHERE id = :id", old->zId,
                          ":r", cases_relationship_name(e->prev_head_rel),
                          NULL, NULL, err)) != 0)
      goto done;
    buf_appendf(&detail, "member %d is now head (member %d becomes %s); ",
                line_no, old ? old->line_no : 0,
                cases_relationship_name(e->prev_head_rel));
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE member SET name = :name, sex = :sex, "
                       "born = :born, relationship = :rel, national_id = "
                       ":nid, phone = :phone, disability = :dis, status = "
                       ":status, updated_at = sws_now() WHERE id = :id",
                       err)) != 0)
    goto done;
  {
    char zSex[2] = {mi.sex, 0};
    char *zName = sws_trim(mi.zName);
    db_bind_text(q, ":name", zName);
    db_bind_text(q, ":sex", zSex);
    db_bind_text(q, ":born", zBorn);
    db_bind_text(q, ":rel", cases_relationship_name(mi.relationship));
    db_bind_text(q, ":nid", zNid[0] ? zNid : NULL);
    db_bind_text(q, ":phone", zPhone);
    db_bind_int64(q, ":dis", mi.disability ? 1 : 0);
    db_bind_text(q, ":status", e->zStatus ? e->zStatus : m->zStatus);
    db_bind_text(q, ":id", m->zId);
    rc = db_step(ctx->db, q, err);
    db_done(ctx->db, q);
    free(zName);
    if (rc > 0)
      rc = 0;
  }
  buf_appendf(&detail, "member %d edited", line_no);
done:
  rc = cases_op_end(ctx, rc, "household", h.zId, buf_str(&detail), err);
out:
  buf_release(&detail);
  cases_household_release(&h);
  return rc;
}

int cases_member_move(struct sws_ctx *ctx, const char *zRegno, int line_no,
                      const char *zToRegno, int rel, int *pNewLine,
                      struct sws_err *err)
{
  struct household from, to;
  const struct member *m;
  char *zDetail = NULL;
  int rc, line = 0;
  sqlite3_stmt *q;
  if (rel <= REL_HEAD || rel > REL_NON_RELATIVE)
    return sws_err_set(err, SWS_EINVAL, "give the member's relationship to "
                       "the head of the new household (--relationship; not "
                       "head: change the head there afterwards)");
  if ((rc = load_for_change(ctx, zRegno, 0, &from, err)) != 0)
    return rc;
  if ((rc = load_for_change(ctx, zToRegno, 0, &to, err)) != 0) {
    cases_household_release(&from);
    return rc;
  }
  if (strcmp(from.zId, to.zId) == 0) {
    rc = sws_err_set(err, SWS_EINVAL, "the member is already in %s",
                     to.zRegno);
    goto out;
  }
  if ((m = cases_household_member(&from, line_no)) == NULL) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "household %s has no member %d",
                     from.zRegno, line_no);
    goto out;
  }
  if (m->relationship == REL_HEAD) {
    rc = sws_err_set(err, SWS_ECONFLICT, "member %d is the head of %s; make "
                     "another member head first ('sws member edit %s N "
                     "--relationship head --previous-head-as REL')", line_no,
                     from.zRegno, from.zRegno);
    goto out;
  }
  if ((rc = cases_op_begin(ctx, "member.move", err)) != 0)
    goto out;
  if ((rc = next_line(ctx, to.zId, &line, err)) != 0)
    goto done;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE member SET household_id = :to, line_no = "
                       ":line, relationship = :rel, updated_at = sws_now() "
                       "WHERE id = :id",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":to", to.zId);
  db_bind_int64(q, ":line", line);
  db_bind_text(q, ":rel", cases_relationship_name(rel));
  db_bind_text(q, ":id", m->zId);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc > 0)
    rc = 0;
  zDetail = sws_mprintf("member %d of %s moved to %s as member %d (%s)",
                        line_no, from.zRegno, to.zRegno, line,
                        cases_relationship_name(rel));
done:
  rc = cases_op_end(ctx, rc, "household", from.zId, zDetail, err);
  if (rc == 0 && pNewLine)
    *pNewLine = line;
out:
  free(zDetail);
  cases_household_release(&from);
  cases_household_release(&to);
  return rc;
}
