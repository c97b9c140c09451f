/*
 * test_receipt_layout.c - what receipts say (receipts/layout.c): the
 * lines of each kind in each language, COPY on reprints only, nothing
 * about the follow-up code on anonymous grievances, and every message
 * translated.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "receipts/layout.h"

static struct receipt_doc doc(int kind)
{
  struct receipt_doc d;
  memset(&d, 0, sizeof d);
  d.kind = kind;
  d.serial = 42;
  d.copies = 1;
  snprintf(d.zIssuedAt, sizeof d.zIssuedAt, "2026-03-02T08:30:00Z");
  snprintf(d.zOfficeCode, sizeof d.zOfficeCode, "KH12");
  snprintf(d.zOfficeName, sizeof d.zOfficeName, "Angkor Chum One Stop Shop");
  snprintf(d.zNumber, sizeof d.zNumber, "%s",
           kind == RECEIPT_REGISTRATION ? "KH12-000001-E"
           : kind == RECEIPT_GRIEVANCE  ? "KH12-G-000003-5"
                                        : "KH12-R-000002-8");
  d.members = 4;
  snprintf(d.zDue, sizeof d.zDue, "2026-03-16");
  snprintf(d.zService, sizeof d.zService, "health");
  snprintf(d.zProvider, sizeof d.zProvider, "Char Chhuk health centre");
  return d;
}

/* The layout as "style|label|text" lines, for exact comparison. */
static void flatten(const struct receipt_layout *l, char *out, size_t n)
{
  size_t k = 0;
  out[0] = '\0';
  for (int i = 0; i < l->n && k < n; i++)
    k += (size_t)snprintf(out + k, n - k, "%d|%s|%s\n", l->a[i].style,
                          l->a[i].zLabel, l->a[i].zText);
}

static void test_receipt_layout__registration_in_english(void)
{
  struct receipt_doc d = doc(RECEIPT_REGISTRATION);
  struct receipt_layout l;
  struct sws_err err = SWS_ERR_INIT;
  char z[4096];
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "en", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(
      z,
      "1||Angkor Chum One Stop Shop\n"
      "2||Household registration receipt\n"
      "8||\n"
      "4|Date|2026-03-02\n"
      "4|Registration number|KH12-000001-E\n"
      "4|Receipt no.|KH12/000042\n"
      "8||\n"
      "5||Your household is registered. Members: 4.\n"
      "5||Keep this receipt and bring it when you come back: staff scan "
      "the QR code to find your record.\n"
      "5||Questions? Ask at the office and give your registration "
      "number.\n"
      "6||\n"
      "7||For staff: scan this code to open the record.\n");
}

/* The date printed is the day the family was served, where it was
 * served: 20:00 UTC on 1 March is 2 March in Phnom Penh. */
static void test_receipt_layout__date_is_local(void)
{
  struct receipt_doc d = doc(RECEIPT_REGISTRATION);
  struct receipt_layout l;
  struct sws_err err = SWS_ERR_INIT;
  char z[4096];
  snprintf(d.zIssuedAt, sizeof d.zIssuedAt, "2026-03-01T20:00:00Z");
  sws_tz_use("Asia/Phnom_Penh");
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "en", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "4|Date|2026-03-02\n"));
  sws_tz_use(NULL); /* UTC: the day it is kept under */
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "en", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "4|Date|2026-03-01\n"));
}

static void test_receipt_layout__grievance_in_khmer(void)
{
  struct receipt_doc d = doc(RECEIPT_GRIEVANCE);
  struct receipt_layout l;
  struct sws_err err = SWS_ERR_INIT;
  char z[8192];
  d.copies = 2;
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "km", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(
      z,
      "1||Angkor Chum One Stop Shop\n"
      "2||បង្កាន់ដៃទទួលបណ្តឹង\n"
      "3||ច្បាប់ចម្លង\n"
      "8||\n"
      "4|កាលបរិច្ឆេទ|2026-03-02\n"
      "4|លេខបណ្តឹង|KH12-G-000003-5\n"
      "4|លេខបង្កាន់ដៃ|KH12/000042\n"
      "8||\n"
      "5||បណ្តឹងរបស់អ្នកត្រូវបានទទួល និងចុះបញ្ជីរួចហើយ។\n"
      "5||អ្នកនឹងទទួលបានចម្លើយ មុន ឬនៅថ្ងៃទី 2026-03-16។\n"
      "5||ដើម្បីតាមដាន សូមប្រាប់លេខបណ្តឹង "
      "នៅការិយាល័យ ឬតាមខ្សែទូរស័ព្ទជំនួយ។\n"
      "6||\n"
      "7||សម្រាប់បុគ្គលិក៖ ស្កេនកូដនេះ ដើម្បីបើកឯកសារ។\n");
}

static void test_receipt_layout__referral_in_mongolian(void)
{
  struct receipt_doc d = doc(RECEIPT_REFERRAL);
  struct receipt_layout l;
  struct sws_err err = SWS_ERR_INIT;
  char z[8192];
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "mn", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_STRING_EQUAL(
      z,
      "1||Angkor Chum One Stop Shop\n"
      "2||Шилжүүлгийн хуудас\n"
      "8||\n"
      "4|Огноо|2026-03-02\n"
      "4|Шилжүүлгийн дугаар|KH12-R-000002-8\n"
      "4|Баримтын дугаар|KH12/000042\n"
      "4|Хүлээн авах газар|Char Chhuk health centre\n"
      "4|Үйлчилгээ|Эрүүл мэнд\n"
      "8||\n"
      "5||Таныг дээр нэрлэсэн үйлчилгээнд шилжүүллээ.\n"
      "5||Энэ хуудсыг дээр нэрлэсэн газарт аваачна уу. Тэд юу хийснээ "
      "албанд мэдэгдэнэ.\n"
      "5||Асуух зүйл байвал шилжүүлгийн дугаараа хэлж, албанаас лавлана "
      "уу.\n"
      "6||\n"
      "7||Ажилтанд: бүртгэлийг нээхийн тулд энэ кодыг уншуулна уу.\n");
}

static void test_receipt_layout__anonymous_grievance_points_to_its_code(void)
{
  struct receipt_doc d = doc(RECEIPT_GRIEVANCE);
  struct receipt_layout l;
  struct sws_err err = SWS_ERR_INIT;
  char z[8192];
  d.anonymous = 1;
  d.zDue[0] = '\0';
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "en", &err), 0);
  flatten(&l, z, sizeof z);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "use the follow-up code you were given. "
                                   "It is not printed on this receipt"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "The office will answer you."));
  CU_ASSERT_PTR_NULL(strstr(z, "hotline"));
}

static void test_receipt_layout__every_line_translated(void)
{
  static const char *const LANGS[] = {"en", "km", "mn"};
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_layout l[3];
  for (int kind = RECEIPT_REGISTRATION; kind <= RECEIPT_REFERRAL; kind++)
    for (int variant = 0; variant < 4; variant++) {
      struct receipt_doc d = doc(kind);
      d.copies = variant & 1 ? 3 : 1;
      d.anonymous = kind == RECEIPT_GRIEVANCE && (variant & 2);
      if (variant & 2)
        d.zDue[0] = '\0';
      for (int g = 0; g < 3; g++) {
        CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l[g], &d, LANGS[g],
                                                   &err), 0);
        CU_ASSERT(l[g].n <= RECEIPT_LINES_MAX - 4);
        for (int i = 0; i < l[g].n; i++) {
          int style = l[g].a[i].style;
          if (style != RECEIPT_L_QR && style != RECEIPT_L_RULE)
            CU_ASSERT(l[g].a[i].zText[0] != '\0');
          if (style == RECEIPT_L_FIELD)
            CU_ASSERT(l[g].a[i].zLabel[0] != '\0');
        }
      }
      /* the same lines in every language, and the texts differ */
      CU_ASSERT_EQUAL(l[0].n, l[1].n);
      CU_ASSERT_EQUAL(l[0].n, l[2].n);
      for (int i = 0; i < l[0].n; i++) {
        CU_ASSERT_EQUAL(l[0].a[i].style, l[1].a[i].style);
        CU_ASSERT_EQUAL(l[0].a[i].style, l[2].a[i].style);
        if (l[0].a[i].style == RECEIPT_L_TEXT ||
            l[0].a[i].style == RECEIPT_L_HEADING) {
          CU_ASSERT_STRING_NOT_EQUAL(l[0].a[i].zText, l[1].a[i].zText);
          CU_ASSERT_STRING_NOT_EQUAL(l[0].a[i].zText, l[2].a[i].zText);
        }
      }
    }
  struct receipt_doc d = doc(RECEIPT_REGISTRATION);
  CU_ASSERT_EQUAL(receipt_layout_build(&l[0], &d, "fr", &err), SWS_EINVAL);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "en, km or mn"));
  d.kind = 9;
  CU_ASSERT_EQUAL(receipt_layout_build(&l[0], &d, "en", &err), SWS_EINVAL);
  CU_ASSERT(receipt_lang_known("km"));
  CU_ASSERT(!receipt_lang_known("th"));
}

static CU_TestInfo tests[] = {
    {"test_receipt_layout__registration_in_english",
     test_receipt_layout__registration_in_english},
    {"test_receipt_layout__grievance_in_khmer",
     test_receipt_layout__grievance_in_khmer},
    {"test_receipt_layout__referral_in_mongolian",
     test_receipt_layout__referral_in_mongolian},
    {"test_receipt_layout__anonymous_grievance_points_to_its_code",
     test_receipt_layout__anonymous_grievance_points_to_its_code},
    {"test_receipt_layout__every_line_translated",
     test_receipt_layout__every_line_translated},
    {"test_receipt_layout__date_is_local", test_receipt_layout__date_is_local},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_layout = {"receipt_layout", NULL, NULL, NULL, NULL,
                                     tests};
