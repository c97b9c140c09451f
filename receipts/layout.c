/*
 * layout.c - the words of a receipt in English, Khmer and Mongolian, and
 * the line-by-line layout (see layout.h).
 */
#include "receipts/layout.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"

enum lang { EN, KM, MN, N_LANG };

static const char *const LANGS[N_LANG] = {"en", "km", "mn"};

/* The strings of a receipt; "{}" marks where a value goes. */
enum msg {
  M_KIND_REG,
  M_KIND_GRV,
  M_KIND_REF,
  M_COPY,
  M_DATE,
  M_RECEIPT_NO,
  M_NUM_REG,
  M_NUM_GRV,
  M_NUM_REF,
  M_DONE_REG,
  M_NEXT_REG,
  M_FOLLOW_REG,
  M_DONE_GRV,
  M_NEXT_GRV,
  M_NEXT_GRV_NODUE,
  M_FOLLOW_GRV,
  M_FOLLOW_ANON,
  M_TO,
  M_SERVICE,
  M_PERSON,
  M_SEX,
  M_FEMALE,
  M_MALE,
  M_BORN_YEAR,
  M_REASON,
  M_DONE_REF,
  M_NEXT_REF,
  M_FOLLOW_REF,
  M_SCAN,
  M_SVC_HEALTH,
  M_SVC_EDUCATION,
  M_SVC_EMPLOYMENT,
  M_SVC_PSYCHOSOCIAL,
  M_SVC_OTHER,
  N_MSG
};

static const char *const MSGS[N_MSG][N_LANG] = {
    [M_KIND_REG] = {"Household registration receipt", "បង្កាន់ដៃចុះឈ្មោះគ្រួសារ",
                    "Өрхийн бүртгэлийн баримт"},
    [M_KIND_GRV] = {"Grievance receipt", "បង្កាន់ដៃទទួលបណ្តឹង",
                    "Гомдол хүлээн авсан баримт"},
    [M_KIND_REF] = {"Referral slip", "លិខិតបញ្ជូនបន្ត", "Шилжүүлгийн хуудас"},
    [M_COPY] = {"COPY", "ច្បាប់ចម្លង", "ХУУЛБАР"},
    [M_DATE] = {"Date", "កាលបរិច្ឆេទ", "Огноо"},
    [M_RECEIPT_NO] = {"Receipt no.", "លេខបង្កាន់ដៃ", "Баримтын дугаар"},
    [M_NUM_REG] = {"Registration number", "លេខចុះឈ្មោះ", "Бүртгэлийн дугаар"},
    [M_NUM_GRV] = {"Ticket number", "លេខបណ្តឹង", "Гомдлын дугаар"},
    [M_NUM_REF] = {"Referral number", "លេខលិខិតបញ្ជូន", "Шилжүүлгийн дугаар"},
    [M_DONE_REG] = {"Your household is registered. Members: {}.",
                    "គ្រួសាររបស់អ្នកបានចុះឈ្មោះរួចហើយ។ "
                    "ចំនួនសមាជិក៖ {} នាក់។",
                    "Таны өрх бүртгэгдлээ. Гишүүдийн тоо: {}."},
    [M_NEXT_REG] = {"Keep this receipt and bring it when you come back: "
                    "staff scan the QR code to find your record.",
                    "សូមរក្សាបង្កាន់ដៃនេះទុក ហើយយកមកជាមួយ "
                    "ពេលអ្នកមកការិយាល័យម្តងទៀត។ "
                    "បុគ្គលិកនឹងស្កេនកូដ QR ដើម្បីរកឯកសាររបស់អ្នក។",
                    "Энэ баримтыг хадгалж, дахин ирэхдээ авчирна уу. "
                    "Ажилтан QR кодыг уншуулж таны бүртгэлийг олно."},
    [M_FOLLOW_REG] = {"Questions? Ask at the office and give your "
                      "registration number.",
                      "បើមានសំណួរ សូមសួរនៅការិយាល័យ "
                      "ដោយប្រាប់លេខចុះឈ្មោះរបស់អ្នក។",
                      "Асуух зүйл байвал бүртгэлийн дугаараа хэлж, "
                      "албанаас лавлана уу."},
    [M_DONE_GRV] = {"Your complaint has been received and recorded.",
                    "បណ្តឹងរបស់អ្នកត្រូវបានទទួល និងចុះបញ្ជីរួចហើយ។",
                    "Таны гомдлыг хүлээн авч бүртгэлээ."},
    [M_NEXT_GRV] = {"You will get an answer by {}.",
                    "អ្នកនឹងទទួលបានចម្លើយ មុន ឬនៅថ្ងៃទី {}។", "Хариуг {} гэхэд өгнө."},
    [M_NEXT_GRV_NODUE] = {"The office will answer you.",
                          "ការិយាល័យនឹងផ្តល់ចម្លើយជូនអ្នក។", "Алба танд хариу өгнө."},
    [M_FOLLOW_GRV] = {"To follow up, give the ticket number at the office "
                      "or on the hotline.",
                      "ដើម្បីតាមដាន សូមប្រាប់លេខបណ្តឹង "
                      "នៅការិយាល័យ ឬតាមខ្សែទូរស័ព្ទជំនួយ។",
                      "Явцыг лавлахдаа гомдлын дугаараа албанд эсвэл "
                      "лавлах утсаар хэлнэ үү."},
    [M_FOLLOW_ANON] = {"To follow up, use the follow-up code you were "
                       "given. It is not printed on this receipt.",
                       "ដើម្បីតាមដាន "
                       "សូមប្រើលេខកូដតាមដានដែលអ្នកបានទទួល។ "
                       "លេខកូដនោះមិនបានបោះពុម្ពនៅលើបង្កាន់ដៃនេះទេ។",
                       "Явцыг лавлахдаа танд өгсөн хяналтын кодыг "
                       "ашиглана уу. Тэр код энэ баримтад хэвлэгдээгүй."},
    [M_TO] = {"Referred to", "បញ្ជូនទៅ", "Хүлээн авах газар"},
    [M_SERVICE] = {"Service", "សេវា", "Үйлчилгээ"},
    [M_PERSON] = {"Person referred", "អ្នកដែលត្រូវបញ្ជូន", "Шилжүүлж буй хүн"},
    [M_SEX] = {"Sex", "ភេទ", "Хүйс"},
    [M_FEMALE] = {"female", "ស្រី", "эмэгтэй"},
    [M_MALE] = {"male", "ប្រុស", "эрэгтэй"},
    [M_BORN_YEAR] = {"Year of birth", "ឆ្នាំកំណើត", "Төрсөн он"},
    [M_REASON] = {"Reason", "មូលហេតុ", "Шалтгаан"},
    [M_DONE_REF] = {"You have been referred to the service named above.",
                    "អ្នកត្រូវបានបញ្ជូនទៅកាន់សេវាដែលមានឈ្មោះខាងលើ។",
                    "Таныг дээр нэрлэсэн үйлчилгээнд шилжүүллээ."},
    [M_NEXT_REF] = {"Take this slip to the place named above. They will "
                    "tell the office what was done.",
                    "សូមយកលិខិតនេះទៅកន្លែងដែលមានឈ្មោះខាងលើ។ "
                    "ពួកគេនឹងជូនដំណឹងដល់ការិយាល័យ "
                    "អំពីអ្វីដែលបានធ្វើ។",
                    "Энэ хуудсыг дээр нэрлэсэн газарт аваачна уу. Тэд юу "
                    "хийснээ албанд мэдэгдэнэ."},
    [M_FOLLOW_REF] = {"Questions? Ask at the office and give the referral "
                      "number.",
                      "បើមានសំណួរ សូមសួរនៅការិយាល័យ "
                      "ដោយប្រាប់លេខលិខិតបញ្ជូន។",
                      "Асуух зүйл байвал шилжүүлгийн дугаараа хэлж, "
                      "албанаас лавлана уу."},
    [M_SCAN] = {"For staff: scan this code to open the record.",
                "សម្រាប់បុគ្គលិក៖ ស្កេនកូដនេះ ដើម្បីបើកឯកសារ។",
                "Ажилтанд: бүртгэлийг нээхийн тулд энэ кодыг уншуулна уу."},
    [M_SVC_HEALTH] = {"Health", "សុខភាព", "Эрүүл мэнд"},
    [M_SVC_EDUCATION] = {"Education", "ការអប់រំ", "Боловсрол"},
    [M_SVC_EMPLOYMENT] = {"Employment", "ការងារ", "Хөдөлмөр эрхлэлт"},
    [M_SVC_PSYCHOSOCIAL] = {"Psychosocial support", "ការគាំទ្រផ្លូវចិត្ត និងសង្គម",
                            "Сэтгэц-нийгмийн дэмжлэг"},
    [M_SVC_OTHER] = {"Other service", "សេវាផ្សេងៗ", "Бусад үйлчилгээ"},
};

static const struct {
  const char *zCode;
  enum msg m;
} SERVICES[] = {
    {"health", M_SVC_HEALTH},
    {"education", M_SVC_EDUCATION},
    {"employment", M_SVC_EMPLOYMENT},
    {"psychosocial", M_SVC_PSYCHOSOCIAL},
    {"other", M_SVC_OTHER},
};

static int lang_index(const char *zLang)
{
  for (int i = 0; i < N_LANG; i++)
    if (zLang && strcmp(zLang, LANGS[i]) == 0)
      return i;
  return -1;
}

int receipt_lang_known(const char *zLang)
{
  return lang_index(zLang) >= 0;
}

/* Append a line; the layout has room for every kind (asserted by the
 * tests), so running out is a bug. */
static struct receipt_line *add(struct receipt_layout *l, int style,
                                const char *zLabel, const char *zText)
{
  if (l->n >= RECEIPT_LINES_MAX)
    return NULL;
  struct receipt_line *p = &l->a[l->n++];
  p->style = style;
  sws_strlcpy(p->zLabel, zLabel ? zLabel : "", sizeof p->zLabel);
  sws_strlcpy(p->zText, zText ? zText : "", sizeof p->zText);
  return p;
}

/* zTmpl with its "{}" replaced by zValue, into out (n bytes). */
static void fill(char *out, size_t n, const char *zTmpl, const char *zValue)
{
  const char *p = strstr(zTmpl, "{}");
  if (p == NULL) {
    sws_strlcpy(out, zTmpl, n);
    return;
  }
  snprintf(out, n, "%.*s%s%s", (int)(p - zTmpl), zTmpl, zValue, p + 2);
}

int receipt_layout_build(struct receipt_layout *out,
                         const struct receipt_doc *d, const char *zLang,
                         struct sws_err *err)
{
  int g = lang_index(zLang);
  char z[RECEIPT_TEXT_MAX], zVal[64];
  memset(out, 0, sizeof *out);
  if (g < 0)
    return sws_err_set(err, SWS_EINVAL, "receipts are written in en, km "
                       "or mn, not '%s'", zLang ? zLang : "");
  if (d->kind < RECEIPT_REGISTRATION || d->kind > RECEIPT_REFERRAL)
    return sws_err_set(err, SWS_EINVAL, "unknown receipt kind %d", d->kind);
  sws_strlcpy(out->zLang, LANGS[g], sizeof out->zLang);
  static const enum msg KIND[] = {0, M_KIND_REG, M_KIND_GRV, M_KIND_REF};
  static const enum msg NUM[] = {0, M_NUM_REG, M_NUM_GRV, M_NUM_REF};

  add(out, RECEIPT_L_TITLE, NULL, d->zOfficeName);
  add(out, RECEIPT_L_HEADING, NULL, MSGS[KIND[d->kind]][g]);
  if (d->copies > 1)
    add(out, RECEIPT_L_COPY, NULL, MSGS[M_COPY][g]);
  add(out, RECEIPT_L_RULE, NULL, NULL);
  /* the day the family was served, where they were served */
  sws_time_local(z, sizeof z, d->zIssuedAt);
  z[strcspn(z, " ")] = '\0';
  add(out, RECEIPT_L_FIELD, MSGS[M_DATE][g], z);
  add(out, RECEIPT_L_FIELD, MSGS[NUM[d->kind]][g], d->zNumber);
  snprintf(z, sizeof z, "%s/%06lld", d->zOfficeCode, (long long)d->serial);
  add(out, RECEIPT_L_FIELD, MSGS[M_RECEIPT_NO][g], z);

  switch (d->kind) {
  case RECEIPT_REGISTRATION:
    add(out, RECEIPT_L_RULE, NULL, NULL);
    snprintf(zVal, sizeof zVal, "%d", d->members);
    fill(z, sizeof z, MSGS[M_DONE_REG][g], zVal);
    add(out, RECEIPT_L_TEXT, NULL, z);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_NEXT_REG][g]);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_FOLLOW_REG][g]);
    break;
  case RECEIPT_GRIEVANCE:
    add(out, RECEIPT_L_RULE, NULL, NULL);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_DONE_GRV][g]);
    if (d->zDue[0]) {
      fill(z, sizeof z, MSGS[M_NEXT_GRV][g], d->zDue);
      add(out, RECEIPT_L_TEXT, NULL, z);
    } else {
      add(out, RECEIPT_L_TEXT, NULL, MSGS[M_NEXT_GRV_NODUE][g]);
    }
    add(out, RECEIPT_L_TEXT, NULL,
        MSGS[d->anonymous ? M_FOLLOW_ANON : M_FOLLOW_GRV][g]);
    break;
  case RECEIPT_REFERRAL: {
    const char *zService = d->zService;
    for (size_t i = 0; i < sizeof SERVICES / sizeof SERVICES[0]; i++)
      if (strcmp(d->zService, SERVICES[i].zCode) == 0)
        zService = MSGS[SERVICES[i].m][g];
    add(out, RECEIPT_L_FIELD, MSGS[M_TO][g], d->zProvider);
    add(out, RECEIPT_L_FIELD, MSGS[M_SERVICE][g], zService);
    /* the person, as the receiving side will see them */
    if (d->zPerson[0])
      add(out, RECEIPT_L_FIELD, MSGS[M_PERSON][g], d->zPerson);
    if (d->sex == 'F' || d->sex == 'M')
      add(out, RECEIPT_L_FIELD, MSGS[M_SEX][g],
          MSGS[d->sex == 'F' ? M_FEMALE : M_MALE][g]);
    if (d->zBornYear[0])
      add(out, RECEIPT_L_FIELD, MSGS[M_BORN_YEAR][g], d->zBornYear);
    if (d->zReason[0])
      add(out, RECEIPT_L_FIELD, MSGS[M_REASON][g], d->zReason);
    add(out, RECEIPT_L_RULE, NULL, NULL);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_DONE_REF][g]);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_NEXT_REF][g]);
    add(out, RECEIPT_L_TEXT, NULL, MSGS[M_FOLLOW_REF][g]);
    break;
  }
  }
  add(out, RECEIPT_L_QR, NULL, NULL);
  add(out, RECEIPT_L_SMALL, NULL, MSGS[M_SCAN][g]);
  return SWS_OK;
}
