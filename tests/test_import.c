/*
 * test_import.c - legacy lists: good households in, bad rows out with line
 * numbers and reasons, whole households held back, re-runs idempotent,
 * duplicates flagged not merged.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "cases/household_int.h"
#include "cases/import.h"
#include "core/buf.h"
#include "core/mem.h"
#include "tests/support.h"

static const char CSV[] =
    "household_key,name,sex,born,relationship,area,national_id,phone,extra\n"
    "A1,សុខ ដារ៉ា,M,1979,,V1,N1,012345678,x\n"        /* 2 head by order */
    "A1,ចាន់ ស្រីមុំ,F,1982,wife,V1,,,x\n"            /* 3 */
    "B2,Keo Samnang,M,1990-02-30,head,V2,,,x\n"      /* 4 bad date */
    "B2,Keo Srey,F,2012,daughter,V2,,,x\n"           /* 5 held back */
    "C3,Энх Оюунчимэг,F,1962,head,V3,,,x\n"          /* 6 */
    ",Nobody,M,1970,head,V1,,,x\n"                   /* 7 no key */
    "D4,Some One,X,1970,head,V1,,,x\n"               /* 8 bad sex */
    "E5,\"Quoted, Name\",M,1970,head,NOPE,,,x\n"     /* 9 bad area */
    "C3,Энх Батбаяр,M,1990,son,V3,,,x\n";            /* 10 */

static int64_t count(const char *zSql)
{
  int64_t n = -1;
  CU_ASSERT_EQUAL(db_int64(t_ctx->db, &n, -1, zSql, &t_err), 0);
  return n;
}

static void test_import__good_in_bad_out(void)
{
  struct import_opts o = {0, "list.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nRows, 9);
  CU_ASSERT_EQUAL(rep.nHouseholds, 2);
  CU_ASSERT_EQUAL(rep.nMembers, 4);
  CU_ASSERT_EQUAL(rep.nRejectedHouseholds, 3);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 5);
  const char *z = buf_str(&rep.rejects);
  CU_ASSERT_EQUAL(strncmp(z, "line,reason,household_key,", 26), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "\n4,"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "1990-02-30"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "\n5,\"another row of household 'B2'"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "\n7,household_key is empty"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "\n8,"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "\"Quoted, Name\""));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "no area with code 'NOPE'"));
  /* in the file's order, though found household by household (the row
   * without a key first) */
  const char *p4 = strstr(z, "\n4,"), *p5 = strstr(z, "\n5,"),
             *p7 = strstr(z, "\n7,"), *p8 = strstr(z, "\n8,"),
             *p9 = strstr(z, "\n9,");
  CU_ASSERT_TRUE(p4 && p5 && p7 && p8 && p9 && p4 < p5 && p5 < p7 &&
                 p7 < p8 && p8 < p9);
  /* and for a terminal: one line each, the same order */
  const char *zr = buf_str(&rep.reasons);
  CU_ASSERT_EQUAL(strncmp(zr, "line 4: the birth date", 22), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "\nline 5: another row of household "
                                    "'B2' is wrong"));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "\nline 7: household_key is empty\n"
                                    "line 8: "));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "\nline 9: no area with code 'NOPE'"));
  cases_import_report_release(&rep);
  /* the head is the first row unless a relationship says otherwise */
  int64_t n = count("SELECT count(*) FROM member m JOIN household h ON "
                    "h.id = m.household_id WHERE h.import_key LIKE 'A1|%' AND "
                    "m.relationship = 'head' AND m.name = 'សុខ ដារ៉ា'");
  CU_ASSERT_EQUAL(n, 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member m JOIN household h ON "
                        "h.id = m.household_id WHERE h.import_key LIKE 'C3|%'"),
                  2);
}

static void test_import__rerun_imports_nothing_twice(void)
{
  struct import_opts o = {0, "list.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  cases_import_report_release(&rep);
  int64_t hh = count("SELECT count(*) FROM household");
  int64_t mm = count("SELECT count(*) FROM member");
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 0);
  CU_ASSERT_EQUAL(rep.nSkipped, 2);
  cases_import_report_release(&rep);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), hh);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member"), mm);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM import_run"), 2);
}

/* Another list (another file) that reuses household keys A1 and C3 for
 * other families: they are imported, not taken for the first list's; the
 * first list run again still imports nothing. */
static void test_import__keys_belong_to_their_list(void)
{
  static const char OTHER[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n"
      "A1,Lim Bora,M,1975,head,V2,,\n"
      "C3,Mao Sophea,F,1988,head,V1,,\n"
      "C3,Mao Dara,M,2015,son,V1,,\n";
  struct import_opts o = {0, "list.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_opts o2 = {0, "other.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 2);
  cases_import_report_release(&rep);
  T_OK(cases_import_csv(t_ctx, OTHER, sizeof OTHER - 1, &o2, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 2);
  CU_ASSERT_EQUAL(rep.nSkipped, 0);
  cases_import_report_release(&rep);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household h JOIN member m ON "
                        "m.household_id = h.id WHERE m.name IN ('Lim Bora', "
                        "'Mao Sophea', 'Mao Dara')"),
                  3);
  /* each list again: nothing twice */
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 0);
  CU_ASSERT_EQUAL(rep.nSkipped, 2);
  cases_import_report_release(&rep);
  T_OK(cases_import_csv(t_ctx, OTHER, sizeof OTHER - 1, &o2, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 0);
  CU_ASSERT_EQUAL(rep.nSkipped, 2);
  cases_import_report_release(&rep);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), 4);
}

static void test_import__dry_run_writes_nothing(void)
{
  struct import_opts o = {1, "list.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  int64_t a0 = count("SELECT count(*) FROM audit_log");
  T_OK(cases_import_csv(t_ctx, CSV, sizeof CSV - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 2);
  cases_import_report_release(&rep);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM audit_log"), a0);
}

static void test_import__duplicates_flagged_not_merged(void)
{
  struct member_input m = {"Keo Samnang", 'M', "1990", REL_HEAD, "N77", NULL,
                           0};
  struct household_input in = {"V2", NULL, NULL, NULL, &m, 1, NULL};
  char z[SWS_NUMBER_MAX];
  T_OK(cases_household_create(t_ctx, &in, z, NULL, &t_err));
  const char csv[] = "household_key,name,sex,born,relationship,area,"
                     "national_id,phone\n"
                     "K1,Someone Else,M,1950,head,V1,N77,\n"
                     "K2,Keo Samnang,M,1991,head,V2,,\n"
                     "K3,Keo Samnang,M,1991,head,V2,,\n";
  struct import_opts o = {0, "dups.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, csv, sizeof csv - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 3);
  CU_ASSERT_EQUAL(rep.nFlagged, 3); /* K3 also resembles K2 */
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.flagged), z));
  /* K2 read the first Keo Samnang; K3 found them kept and read K2 */
  CU_ASSERT_EQUAL(rep.candidates.nMiss, 2);
  CU_ASSERT_EQUAL(rep.candidates.nHit, 1);
  cases_import_report_release(&rep);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM household"), 4);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag WHERE status = "
                        "'open' AND source = 'import'"),
                  4);
}

/* A common name resembles many households: the closest DEDUP_FLAGS_MAX are
 * kept for review, and the closest of all among them. */
static void test_import__flags_capped_best_kept(void)
{
  struct buf csv = BUF_INIT;
  buf_puts(&csv, "household_key,name,sex,born,relationship,area,"
                   "national_id,phone\n");
  for (int i = 0; i < DEDUP_FLAGS_MAX + 5; i++)
    buf_appendf(&csv, "K%d,Sok Dara,M,%d,head,V%d,,\n", i,
                i == 3 ? 1979 : 1980, i == 3 ? 1 : 2);
  buf_puts(&csv, "LAST,Sok Dara,M,1979,head,V1,,\n");
  struct import_opts o = {0, "common.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  T_OK(cases_import_csv(t_ctx, buf_str(&csv), csv.n, &o, &rep, &t_err));
  cases_import_report_release(&rep);
  buf_release(&csv);
#define LAST "(SELECT id FROM household WHERE import_key LIKE 'LAST|%')"
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag WHERE "
                        "household_id = " LAST),
                  DEDUP_FLAGS_MAX);
  /* the same village and year (K3) is the best, and kept */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM duplicate_flag f JOIN "
                        "household o ON o.id = f.other_household_id WHERE "
                        "f.household_id = " LAST
                        " AND o.import_key LIKE 'K3|%'"),
                  1);
#undef LAST
}

static void test_import__unusable_files(void)
{
  struct import_opts o = {0, "x.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  CU_ASSERT_EQUAL(cases_import_csv(t_ctx, "", 0, &o, &rep, &t_err),
                  SWS_EINVAL);
  cases_import_report_release(&rep);
  const char noCol[] = "household_key,name,sex,born\nA,B,M,1970\n";
  CU_ASSERT_EQUAL(cases_import_csv(t_ctx, noCol, sizeof noCol - 1, &o, &rep,
                                   &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "relationship"));
  cases_import_report_release(&rep);
  /* another separator, not named: the message says what was read */
  const char pipes[] = "household_key|name|sex|born|relationship|area|"
                       "national_id|phone\nA|B|M|1970|head|V1||\n";
  CU_ASSERT_EQUAL(cases_import_csv(t_ctx, pipes, sizeof pipes - 1, &o, &rep,
                                   &t_err),
                  SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "read as one column"));
  CU_ASSERT_PTR_NOT_NULL(strstr(t_err.msg, "sep=|"));
  cases_import_report_release(&rep);
  const char named[] = "sep=|\nhousehold_key|name|sex|born|relationship|"
                       "area|national_id|phone\nP1|Pipe Named|M|1970|head|"
                       "V1||\n";
  T_OK(cases_import_csv(t_ctx, named, sizeof named - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  cases_import_report_release(&rep);
  /* a column named twice: which one is meant cannot be guessed */
  const char twice[] = "household_key,name,sex,born,relationship,area,"
                       "national_id,phone,Name\nA,B,M,1970,head,V1,,,C\n";
  CU_ASSERT_EQUAL(cases_import_csv(t_ctx, twice, sizeof twice - 1, &o, &rep,
                                   &t_err),
                  SWS_EINVAL);
  CU_ASSERT_STRING_EQUAL(t_err.msg, "the header names column 'name' twice "
                                    "(columns 2 and 9); keep the one to "
                                    "import");
  cases_import_report_release(&rep);
  /* header cells as people write them */
  const char loose[] = "Household Key,NAME,Sex,Born,Relationship,Area,"
                       "National-ID,phone\nLK1,Loose Header,M,1970,head,V1,,\n";
  T_OK(cases_import_csv(t_ctx, loose, sizeof loose - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  cases_import_report_release(&rep);
  const char badUtf8[] = "household_key,name,sex,born,relationship,area,"
                         "national_id,phone\nA,B\xff\xfe,M,1970,head,V1,,\n";
  T_OK(cases_import_csv(t_ctx, badUtf8, sizeof badUtf8 - 1, &o, &rep,
                        &t_err));
  CU_ASSERT_EQUAL(rep.nRejectedRows, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects), "UTF-8"));
  cases_import_report_release(&rep);
  /* a quote never closed: its own line once, not twice, and the lines
   * after it are not swallowed into its field */
  const char unclosed[] = "household_key,name,sex,born,relationship,area,"
                          "national_id,phone\nA,B,M,1970,head,V1,,\n"
                          "C,\"Open,M,1970,head,V1,,\n"
                          "D,Dara,M,1971,head,V1,,\n"
                          "E,\"Eng, Sopheap\",F,1972,head,V1,,\n";
  T_OK(cases_import_csv(t_ctx, unclosed, sizeof unclosed - 1, &o, &rep,
                        &t_err));
  CU_ASSERT_EQUAL(rep.nRows, 4);
  CU_ASSERT_EQUAL(rep.nHouseholds, 3);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects),
                                "\n3,a quote opens a field that is not "
                                "closed on this line"));
  CU_ASSERT_STRING_EQUAL(buf_str(&rep.reasons),
                         "line 3: a quote opens a field that is not closed "
                         "on this line; close it or remove it (the lines "
                         "after it were read on their own)\n");
  cases_import_report_release(&rep);
}

/* UTF-8 text (valid, as the tests write it) as UTF-16LE with its byte
 * order mark, the way Excel saves "Unicode Text". */
static void to_utf16le(const char *z, struct buf *out)
{
  const unsigned char *u = (const unsigned char *)z;
  buf_append(out, "\xff\xfe", 2);
  while (*u) {
    uint32_t c;
    int n = *u < 0x80 ? 1 : *u < 0xe0 ? 2 : *u < 0xf0 ? 3 : 4;
    c = n == 1 ? *u : *u & (0x7f >> n);
    for (int i = 1; i < n; i++)
      c = c << 6 | (u[i] & 0x3f);
    u += n;
    uint16_t a[2] = {(uint16_t)c, 0};
    int k = 1;
    if (c >= 0x10000) {
      a[0] = (uint16_t)(0xd800 + ((c - 0x10000) >> 10));
      a[1] = (uint16_t)(0xdc00 + ((c - 0x10000) & 0x3ff));
      k = 2;
    }
    for (int i = 0; i < k; i++) {
      char b[2] = {(char)(a[i] & 0xff), (char)(a[i] >> 8)};
      buf_append(out, b, 2);
    }
  }
}

/* Lists saved from spreadsheets under other settings are read as they
 * are: Khmer as Excel's "Unicode Text" (UTF-16, tabs), Mongolian with ';'
 * and a "sep=" line. The rejects are always UTF-8 with commas, ready to
 * be fixed and imported again, and name the lines of the original. */
static void test_import__spreadsheet_exports(void)
{
  struct import_opts o = {0, "x.txt", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  struct buf b = BUF_INIT;
  to_utf16le("household_key\tname\tsex\tborn\trelationship\tarea\t"
             "national_id\tphone\r\n"
             "K1\tសុខ ដារ៉ា\tM\t1979\t\tV1\t\t\r\n"
             "K1\tចាន់ ស្រីមុំ\tF\t1982\twife\tV1\t\t\r\n"
             "K2\tកែវ សំណាង\tM\t1990-02-30\thead\tV2\t\t\r\n",
             &b);
  T_OK(cases_import_csv(t_ctx, b.z, b.n, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_EQUAL(rep.nMembers, 2);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects),
                                "\n4,the birth date"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects),
                                ",K2,កែវ សំណាង,M,1990-02-30,head,V2,,\n"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member m JOIN household h ON "
                        "h.id = m.household_id WHERE h.import_key LIKE 'K1|%' "
                        "AND m.name IN ('សុខ ដារ៉ា', 'ចាន់ ស្រីមុំ')"),
                  2);
  cases_import_report_release(&rep);
  buf_release(&b);

  static const char zSemi[] =
      "sep=;\n"
      "household_key;name;sex;born;relationship;area;national_id;phone\n"
      "M1;Энх Оюунчимэг;F;1962;head;V3;;\n"
      "M2;Бат, Дорж;M;1970;head;V9;;\n";
  T_OK(cases_import_csv(t_ctx, zSemi, sizeof zSemi - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.reasons), "line 4: no area"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects),
                                ",M2,\"Бат, Дорж\",M,1970,head,V9,,\n"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE name = "
                        "'Энх Оюунчимэг'"),
                  1);
  cases_import_report_release(&rep);
}

/* Dates as the list writes them: year first with any separator always;
 * the year last only once the file's order is given, and each row that
 * cannot be read for sure is rejected with what to do. The rejects keep
 * the date as the file had it. */
static void test_import__dates_as_written(void)
{
  struct import_opts o = {0, "dates.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  static const char zCsv[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n"
      "D1,Бат Дорж,M,1975.4.12,head,V1,,\n"                 /* 2 */
      "D1,Бат Сараа,F,1980/11/02 00:00:00,wife,V1,,\n"      /* 3 */
      "D2,Sok Dara,F,15/03/1982,head,V2,,\n"                /* 4 */
      "D3,Nim Sey,M,12/03/82,head,V2,,\n"                   /* 5 */
      "D4,Chan Thy,F,30025,head,V2,,\n"                     /* 6 */
      "D5,Extra Cell,M,15/03/1982,head,V2,,,x\n";           /* 7 */
  T_OK(cases_import_csv(t_ctx, zCsv, sizeof zCsv - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 4);
  const char *zr = buf_str(&rep.reasons);
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "line 7: 9 columns where the header "
                                    "has 8"));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "line 4: the birth date of this person "
                                    "'15/03/1982' has the year last"));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "--date-order dmy (day first) or mdy"));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "line 5: the birth date of this person "
                                    "'12/03/82' has a two-digit year"));
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "line 6: the birth date of this person "
                                    "'30025' is a spreadsheet's day number"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.rejects),
                                ",D2,Sok Dara,F,15/03/1982,head,V2,,\n"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE (name, born) IN "
                        "(VALUES ('Бат Дорж', '1975-04-12'), "
                        "('Бат Сараа', '1980-11-02'))"),
                  2);
  cases_import_report_release(&rep);

  /* the same file, day first: the row it held back comes in; the file
   * re-run imports nothing twice */
  o.date_order = SWS_DATE_DMY;
  T_OK(cases_import_csv(t_ctx, zCsv, sizeof zCsv - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_EQUAL(rep.nSkipped, 1);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 3);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE name = "
                        "'Sok Dara' AND born = '1982-03-15'"),
                  1);
  cases_import_report_release(&rep);

  /* month first, a date that has no month 15 */
  static const char zMdy[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n"
      "E1,Keo Srey,F,15/03/1982,head,V2,,\n"
      "E2,Keo Samnang,M,3/15/1982 0:00,head,V2,,\n";
  o.date_order = SWS_DATE_MDY;
  T_OK(cases_import_csv(t_ctx, zMdy, sizeof zMdy - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&rep.reasons), "line 2: the birth "
                                "date of this person '15/03/1982' is not a "
                                "birth date: there is no month 15"));
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE name = "
                        "'Keo Samnang' AND born = '1982-03-15'"),
                  1);
  cases_import_report_release(&rep);
}

/* A list written in the office's language: sex and relationship in
 * Khmer and Mongolian words are read as F/M and head, spouse, ... */
static void test_import__local_words(void)
{
  struct import_opts o = {0, "words.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  static const char zCsv[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n"
      "W1,សុខ ដារ៉ា,ប្រុស,1979,មេគ្រួសារ,V1,,\n"
      "W1,ចាន់ ស្រីមុំ,ស្រី,1982,ប្រពន្ធ,V1,,\n"
      "W1,សុខ វិចិត្រ,ប្រុស,2008,កូនប្រុស,V1,,\n"
      "W2,Бат Дорж,Эрэгтэй,1970,Өрхийн тэргүүн,V3,,\n"
      "W2,Бат Сараа,эмэгтэй,1972,эхнэр,V3,,\n"
      "W2,Дорж Тэмүүлэн,эр,2001,хүү,V3,,\n";
  T_OK(cases_import_csv(t_ctx, zCsv, sizeof zCsv - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nHouseholds, 2);
  CU_ASSERT_EQUAL(rep.nMembers, 6);
  CU_ASSERT_EQUAL(rep.nRejectedRows, 0);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE (name, sex, "
                        "relationship) IN (VALUES ('សុខ ដារ៉ា', 'M', 'head'), "
                        "('ចាន់ ស្រីមុំ', 'F', 'spouse'), "
                        "('សុខ វិចិត្រ', 'M', 'child'), "
                        "('Бат Дорж', 'M', 'head'), "
                        "('Бат Сараа', 'F', 'spouse'), "
                        "('Дорж Тэмүүлэн', 'M', 'child'))"),
                  6);
  cases_import_report_release(&rep);
}

/* The rejects file is read by spreadsheets: a cell that would run as a
 * formula is written as text (after a single quote). Loaded again once
 * fixed, its cells are what the list had: the quote comes off. */
static void test_import__rejects_neutralised_and_reloadable(void)
{
  struct import_opts o = {0, "phones.csv", NULL, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  static const char zCsv[] =
      "household_key,name,sex,born,relationship,area,national_id,phone\n"
      "P1,Sok Dara,F,1982,head,NOPE,,+855 12 345 678\n"             /* 2 */
      "P2,\"=HYPERLINK(\"\"http://x\"\")\",M,1970,head,NOPE,,@1\n"; /* 3 */
  T_OK(cases_import_csv(t_ctx, zCsv, sizeof zCsv - 1, &o, &rep, &t_err));
  CU_ASSERT_EQUAL(rep.nRejectedRows, 2);
  const char *z = buf_str(&rep.rejects);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, ",\"'+855 12 345 678\"\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, ",\"'@1\"\n"));
  CU_ASSERT_PTR_NULL(strstr(z, ",=HYPERLINK"));
  CU_ASSERT_PTR_NULL(strstr(z, ",+855"));
  /* fixed in a spreadsheet (the area) and loaded again */
  char *zFixed = sws_strdup(z);
  for (char *p; (p = strstr(zFixed, "NOPE")) != NULL;) {
    p[0] = 'V', p[1] = '1';
    memmove(p + 2, p + 4, strlen(p + 4) + 1);
  }
  cases_import_report_release(&rep);
  o.zFileName = "phones.rejects.csv";
  T_OK(cases_import_csv(t_ctx, zFixed, strlen(zFixed), &o, &rep, &t_err));
  /* P1 comes in with its phone as the list had it; P2's phone is read as
   * the list had it too (and is still no phone number) */
  CU_ASSERT_EQUAL(rep.nHouseholds, 1);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM member WHERE name = 'Sok Dara' "
                        "AND phone LIKE '+855%'"),
                  1);
  const char *zr = buf_str(&rep.reasons);
  CU_ASSERT_PTR_NOT_NULL(strstr(zr, "line 3: the phone of this person '@1' "
                                    "is not a phone number"));
  cases_import_report_release(&rep);
  free(zFixed);
}

static CU_TestInfo tests[] = {
    {"test_import__good_in_bad_out", test_import__good_in_bad_out},
    {"test_import__rerun_imports_nothing_twice",
     test_import__rerun_imports_nothing_twice},
    {"test_import__keys_belong_to_their_list",
     test_import__keys_belong_to_their_list},
    {"test_import__dry_run_writes_nothing",
     test_import__dry_run_writes_nothing},
    {"test_import__duplicates_flagged_not_merged",
     test_import__duplicates_flagged_not_merged},
    {"test_import__flags_capped_best_kept",
     test_import__flags_capped_best_kept},
    {"test_import__unusable_files", test_import__unusable_files},
    {"test_import__spreadsheet_exports", test_import__spreadsheet_exports},
    {"test_import__dates_as_written", test_import__dates_as_written},
    {"test_import__local_words", test_import__local_words},
    {"test_import__rejects_neutralised_and_reloadable",
     test_import__rejects_neutralised_and_reloadable},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_import = {"import", NULL, NULL, t_office_setup,
                             t_office_teardown, tests};
