/*
 * cmd_demo.c - sws demo seed: fill a demo office with realistic households
 * (names in Khmer, Latin and Mongolian Cyrillic), through the importer so
 * the data pass the same checks as real data. Hidden: for make run, demos
 * and benchmarks. Deterministic for a given --seed.
 */
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/import.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"
#include "pos/cli.h"
#include "pos/demo.h"

struct pair {
  const char *zLocal, *zLatin;
};

static const struct pair KH_FAMILY[] = {
    {"សុខ", "Sok"},   {"ចាន់", "Chan"}, {"គឹម", "Kim"},  {"លី", "Ly"},
    {"ស៊ុន", "Sun"},  {"ហេង", "Heng"}, {"ឈឹម", "Chhim"}, {"ម៉ម", "Mom"},
    {"កែវ", "Keo"},   {"ទេព", "Tep"},  {"យិន", "Yin"},  {"ស៊ឹម", "Sim"},
    {"ប៊ុន", "Bun"},  {"ហ៊ុន", "Hun"}, {"ណុប", "Nop"},  {"ពេជ្រ", "Pich"},
    {"ស្រី", "Srey"}, {"អ៊ុំ", "Um"},  {"ឡុង", "Long"}, {"ជា", "Chea"},
    {"មាស", "Meas"},  {"ព្រំ", "Prom"}, {"សៅ", "Sao"},   {"អ៊ួង", "Uong"},
};
static const struct pair KH_MALE[] = {
    {"ដារ៉ា", "Dara"},     {"វិចិត្រ", "Vichet"},   {"សំណាង", "Samnang"},
    {"ពិសិដ្ឋ", "Piseth"}, {"សុខា", "Sokha"},      {"វណ្ណា", "Vanna"},
    {"រិទ្ធី", "Rithy"},   {"សុផល", "Sophal"},    {"ចំរើន", "Chamroeun"},
    {"បញ្ញា", "Panha"},    {"វុទ្ធី", "Vuthy"},    {"សុវណ្ណ", "Sovann"},
    {"ធារ៉ា", "Theara"},   {"កុសល", "Kosal"},     {"ម៉ារ៉ា", "Mara"},
    {"សម្បត្តិ", "Sambath"}, {"រតនៈ", "Rottanak"}, {"សុភ័ក្ត្រ", "Sopheak"},
};
static const struct pair KH_FEMALE[] = {
    {"ចាន់ធី", "Chanthy"},  {"ស្រីនាង", "Sreyneang"}, {"ស្រីមុំ", "Sreymom"},
    {"រតនា", "Ratana"},     {"ចន្ថា", "Chantha"},    {"សុភា", "Sophea"},
    {"ធារី", "Theary"},     {"បុប្ផា", "Bopha"},     {"សុគន្ធា", "Sokunthea"},
    {"ស្រីពៅ", "Sreypov"},  {"លក្ខិណា", "Leakhena"}, {"ម៉ាលី", "Maly"},
    {"ច័ន្ទរ៉ា", "Chanra"}, {"សុខលី", "Sokly"},     {"វាសនា", "Veasna"},
    {"ពិសី", "Pisey"},      {"ស្រីល័ក្ខ", "Sreyleak"}, {"ដាលីន", "Dalin"},
};
static const char *const MN_MALE[] = {
    "Батбаяр", "Болд",   "Дорж",     "Мөнхбат", "Ганзориг", "Түмэн",
    "Отгонбаяр", "Эрдэнэ", "Ганбаатар", "Төмөр",  "Бат-Эрдэнэ", "Сүхбаатар",
};
static const char *const MN_FEMALE[] = {
    "Оюунчимэг", "Сарангэрэл", "Нарантуяа", "Цэцэгмаа", "Солонго",
    "Үүрцайх",   "Энхжаргал",  "Алтанцэцэг", "Мөнхзул", "Ариунаа",
    "Номин",     "Сэлэнгэ",
};

/*
 * Most given names are made of two parts, as many Khmer (Sok + thy =
 * Sokthy) and Mongolian (Бат + баяр = Батбаяр) names are: with the short
 * lists above alone, a million people had some 180 namesakes of the same
 * sex within two birth years each, ten times more than a real province,
 * and the benchmarks measured that rather than sws.
 */
static const struct pair KH_FIRST[] = {
    {"សុខ", "Sok"},   {"ចាន់", "Chan"}, {"វណ្ណ", "Vann"}, {"ស្រី", "Srey"},
    {"សុ", "So"},     {"ពិ", "Pi"},     {"ធា", "Thea"},  {"បុ", "Bo"},
    {"កុ", "Ko"},     {"ម៉ា", "Ma"},    {"និ", "Ni"},    {"ដា", "Da"},
    {"វិ", "Vi"},     {"រ៉ា", "Ra"},    {"សំ", "Sam"},   {"ពុ", "Pu"},
    {"ហេង", "Heng"},  {"មុនី", "Moni"}, {"លី", "Ly"},    {"ណា", "Na"},
    {"ភី", "Phy"},    {"រស្មី", "Raksmey"}, {"ច័ន្ទ", "Chand"}, {"មាស", "Meas"},
};
static const struct pair KH_SECOND[] = {
    {"ធី", "thy"},    {"ណា", "na"},    {"រិទ្ធ", "rith"}, {"ផល", "phal"},
    {"ភា", "phea"},   {"លី", "ly"},    {"ដា", "da"},      {"រ៉ា", "ra"},
    {"ម៉ុន", "mon"},  {"នី", "ny"},    {"ចិន្តា", "chenda"}, {"ពៅ", "pov"},
    {"ស្រស់", "sros"}, {"វី", "vy"},    {"ខេមរា", "khemra"}, {"ម៉េង", "meng"},
    {"សា", "sa"},     {"ធារ៉ា", "theara"}, {"ណាត", "nat"}, {"ហួរ", "hour"},
    {"ឡាង", "lang"},  {"ពិសី", "pisey"}, {"រដ្ឋា", "rotha"}, {"ឃីម", "khim"},
};
static const char *const MN_FIRST[] = {
    "Бат", "Мөнх", "Энх", "Ган", "Төмөр", "Алтан", "Эрдэнэ", "Болд",
    "Очир", "Сүх", "Отгон", "Дорж", "Баяр", "Хүрэл", "Пүрэв", "Даваа",
};
static const char *const MN_SECOND_MALE[] = {
    "баяр", "эрдэнэ", "болд", "түвшин", "сайхан", "оргил", "баатар",
    "зориг", "очир", "хуяг", "жаргал", "сүрэн",
};
static const char *const MN_SECOND_FEMALE[] = {
    "цэцэг", "туяа", "зул", "жаргал", "сайхан", "гэрэл", "оюу", "маа",
    "сарнай", "саруул", "нямаа", "хишиг",
};

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* xorshift64*: small, fast, deterministic. */
static uint64_t rnd(uint64_t *s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ull;
}

static int pick(uint64_t *s, int n)
{
  return (int)(rnd(s) % (uint64_t)n);
}

struct villages {
  char (*a)[SWS_AREA_CODE_MAX];
  int n, nAlloc;
};

static int add_village(const struct area *a, void *arg)
{
  struct villages *v = arg;
  if (v->n == v->nAlloc) {
    v->nAlloc = v->nAlloc ? 2 * v->nAlloc : 64;
    v->a = sws_realloc(v->a, sizeof *v->a * (size_t)v->nAlloc);
  }
  sws_strlcpy(v->a[v->n++], a->zCode, SWS_AREA_CODE_MAX);
  return 0;
}

static void born(struct buf *b, uint64_t *s, int year)
{
  if (pick(s, 10) < 6)
    buf_appendf(b, "%04d-%02d-%02d", year, 1 + pick(s, 12), 1 + pick(s, 28));
  else
    buf_appendf(b, "%04d", year);
}

/* One person: name in the household's script. */
enum script { KHMER, LATIN, CYRILLIC };

/* A Mongolian given name into out (n bytes): one of the list, or two parts. */
static void mn_given(char *out, size_t n, uint64_t *s, int female)
{
  if (pick(s, 5) == 0)
    snprintf(out, n, "%s", female ? MN_FEMALE[pick(s, N_OF(MN_FEMALE))]
                                  : MN_MALE[pick(s, N_OF(MN_MALE))]);
  else
    snprintf(out, n, "%s%s", MN_FIRST[pick(s, N_OF(MN_FIRST))],
             female ? MN_SECOND_FEMALE[pick(s, N_OF(MN_SECOND_FEMALE))]
                    : MN_SECOND_MALE[pick(s, N_OF(MN_SECOND_MALE))]);
}

static void person_name(struct buf *b, uint64_t *s, enum script sc,
                        int family, int female, const char *zFather)
{
  if (sc == CYRILLIC) {
    /* Mongolian: father's given name, then one's own */
    char zGiven[64];
    mn_given(zGiven, sizeof zGiven, s, female);
    buf_appendf(b, "%s %s", zFather, zGiven);
    return;
  }
  const struct pair *f = &KH_FAMILY[family];
  if (pick(s, 5) == 0) {
    const struct pair *g = female ? &KH_FEMALE[pick(s, N_OF(KH_FEMALE))]
                                  : &KH_MALE[pick(s, N_OF(KH_MALE))];
    buf_appendf(b, "%s %s", sc == KHMER ? f->zLocal : f->zLatin,
                sc == KHMER ? g->zLocal : g->zLatin);
    return;
  }
  const struct pair *a = &KH_FIRST[pick(s, N_OF(KH_FIRST))];
  const struct pair *z = &KH_SECOND[pick(s, N_OF(KH_SECOND))];
  if (sc == KHMER)
    buf_appendf(b, "%s %s%s", f->zLocal, a->zLocal, z->zLocal);
  else
    buf_appendf(b, "%s %s%s", f->zLatin, a->zLatin, z->zLatin);
}

static void row(struct buf *b, const char *zKey, const char *zName,
                char sex, uint64_t *s, int year, const char *zRel,
                const char *zArea, int bAdult)
{
  buf_appendf(b, "%s,\"%s\",%c,", zKey, zName, sex);
  born(b, s, year);
  buf_appendf(b, ",%s,%s,", zRel, zArea);
  if (bAdult && pick(s, 2) == 0)
    buf_appendf(b, "N%08d", (int)(rnd(s) % 100000000));
  buf_putc(b, ',');
  if (strcmp(zRel, "head") == 0 && pick(s, 10) < 6)
    buf_appendf(b, "0%d%07d", 10 + pick(s, 89), (int)(rnd(s) % 10000000));
  buf_appendf(b, ",%d\n", pick(s, 25) == 0);
}

int demo_households_csv(struct sws_ctx *ctx, int nHouseholds, uint64_t seed,
                        const char *zKeyPrefix, struct buf *out,
                        struct sws_err *err)
{
  struct villages v = {NULL, 0, 0};
  int rc;
  uint64_t s = seed ? seed : 0x9e3779b97f4a7c15ull;
  int64_t now = sws_now_ms();
  int y, m, d;
  sws_civil_from_days(now / 86400000, &y, &m, &d);
  if ((rc = cases_area_list(ctx, AREA_VILLAGE, add_village, &v, err)) != 0)
    return rc;
  if (v.n == 0) {
    free(v.a);
    return sws_err_set(err, SWS_ENOTFOUND, "the office has no villages; "
                       "load areas first");
  }
  buf_puts(out, "household_key,name,sex,born,relationship,area,national_id,"
                "phone,disability\n");
  for (int i = 0; i < nHouseholds; i++) {
    char zKey[48], zFather[64];
    struct buf name = BUF_INIT;
    snprintf(zKey, sizeof zKey, "%s%06d", zKeyPrefix, i + 1);
    int r = pick(&s, 100);
    enum script sc = r < 65 ? KHMER : r < 85 ? LATIN : CYRILLIC;
    int fam = pick(&s, N_OF(KH_FAMILY));
    const char *zArea = v.a[pick(&s, v.n)];
    int headFemale = pick(&s, 4) == 0;
    int headYear = y - 20 - pick(&s, 60);
    mn_given(zFather, sizeof zFather, &s, 0);
    person_name(&name, &s, sc, fam, headFemale, zFather);
    row(out, zKey, buf_str(&name), headFemale ? 'F' : 'M', &s, headYear,
        "head", zArea, 1);
    /* the head's own given name is the children's patronymic */
    const char *zHeadGiven = strrchr(buf_str(&name), ' ');
    char zPatronym[64];
    snprintf(zPatronym, sizeof zPatronym, "%s",
             zHeadGiven ? zHeadGiven + 1 : zFather);
    int bSpouse = !headFemale && pick(&s, 10) < 8;
    if (bSpouse) {
      buf_reset(&name);
      mn_given(zFather, sizeof zFather, &s, 0);
      person_name(&name, &s, sc, sc == CYRILLIC ? fam : pick(&s, N_OF(KH_FAMILY)),
                  1, zFather);
      row(out, zKey, buf_str(&name), 'F', &s, headYear + pick(&s, 9) - 4,
          "spouse", zArea, 1);
    }
    int nKids = headYear < y - 60 ? pick(&s, 2) : pick(&s, 5);
    for (int k = 0; k < nKids; k++) {
      int fem = pick(&s, 2);
      int ky = headYear + 20 + pick(&s, 20);
      if (ky >= y)
        ky = y - 1; /* never a birth date after today */
      buf_reset(&name);
      person_name(&name, &s, sc, fam, fem, zPatronym);
      row(out, zKey, buf_str(&name), fem ? 'F' : 'M', &s, ky, "child",
          zArea, ky < y - 18);
    }
    if (headYear > y - 45 && pick(&s, 6) == 0) {
      buf_reset(&name);
      mn_given(zFather, sizeof zFather, &s, 0);
      person_name(&name, &s, sc, fam, 1, zFather);
      row(out, zKey, buf_str(&name), 'F', &s, headYear - 25 - pick(&s, 10),
          "parent", zArea, 1);
    }
    buf_release(&name);
  }
  free(v.a);
  return buf_check(out, "the demo data", err);
}

static const char zSeedUsage[] =
    "usage: sws demo seed [--households N] [--seed S]\n"
    "\n"
    "Fill the office with N (default 3000) made-up households with names in\n"
    "Khmer, Latin and Mongolian Cyrillic script, through the importer.\n"
    "For demonstrations and benchmarks only.\n";

static void progress(int64_t done, int64_t total, void *arg)
{
  (void)arg;
  cli_progress("seeding households", done, total);
}

static int cmd_demo_seed(struct cli *cli, int argc, char **argv)
{
  static const struct option opts[] = {
      {"households", required_argument, 0, 'n'},
      {"seed", required_argument, 0, 's'},
      {0, 0, 0, 0}};
  struct sws_err err = SWS_ERR_INIT;
  struct import_opts o = {0, "demo", progress, NULL, SWS_DATE_UNKNOWN};
  struct import_report rep;
  struct buf csv;
  int64_t n = 3000, seed = 1;
  int c, rc;
  while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
    switch (c) {
    case 'n':
      if (sws_parse_int64("--households", optarg, 1, 2000000, &n, &err))
        return cli_fail(&err);
      break;
    case 's':
      if (sws_parse_int64("--seed", optarg, 1, INT64_MAX, &seed, &err))
        return cli_fail(&err);
      break;
    default: return EXIT_USAGE;
    }
  }
  if ((rc = cli_open(cli)) != 0)
    return rc;
  buf_init(&csv, (size_t)1 << 30);
  if (demo_households_csv(cli->ctx, (int)n, (uint64_t)seed, "DEMO-", &csv,
                          &err) != 0) {
    buf_release(&csv);
    return cli_fail(&err);
  }
  rc = cases_import_csv(cli->ctx, csv.z, csv.n, &o, &rep, &err);
  cli_progress_end();
  buf_release(&csv);
  if (rc != 0) {
    cases_import_report_release(&rep);
    return cli_fail(&err);
  }
  printf("seeded %lld households (%lld people); %lld flagged as possible "
         "duplicates of each other\n",
         (long long)rep.nHouseholds, (long long)rep.nMembers,
         (long long)rep.nFlagged);
  rc = rep.nRejectedRows ? EXIT_ERR : EXIT_OK;
  if (rep.nRejectedRows)
    fprintf(stderr, "sws: bug: %lld demo rows rejected:\n%.2000s\n",
            (long long)rep.nRejectedRows, buf_str(&rep.rejects));
  cases_import_report_release(&rep);
  return rc;
}

const struct cmd cmds_demo[] = {
    {"demo seed", cmd_demo_seed, "fill the office with made-up households",
     zSeedUsage, CMD_HIDDEN, CAP_JOBS},
    {NULL, NULL, NULL, NULL, 0, CAP_NONE},
};
