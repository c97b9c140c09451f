/*
 * bench_dedup.c - quality and cost of the duplicate rule (cases/match.c):
 *
 *   bench_sws dedup [-v] [PAIRS.csv]
 *
 * Applies match_persons() to every labelled pair of
 * ../shared/data/dedup_pairs_dev.csv and then of data/dedup_pairs_forms.csv
 * (or of PAIRS.csv only) and prints precision and recall overall and per
 * kind (false-positive rate for the kinds of different people; precision
 * too for a kind that has both), per form when the file has a `form`
 * column (the forms of names officers type, issue 26), the share of same-person
 * pairs that share a blocking key (the key contract), precision/recall at other
 * name thresholds, the time per name_similarity() call, and an estimate of the
 * candidates one lookup retrieves from a synthetic registry of 1,000,000
 * members. -v lists the pairs decided wrongly. Figures only; never fails on
 * them.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "cases/match.h"
#include "cases/name.h"
#include "core/csv.h"
#include "core/mem.h"

#define DEFAULT_PAIRS "../shared/data/dedup_pairs_dev.csv"
#define FORM_PAIRS "data/dedup_pairs_forms.csv"
#define MAX_FILE (16 << 20)
#define MAX_PAIRS 20000
#define MAX_KINDS 16

struct pair {
  struct match_person a, b;
  int same;
  int kind;
  int form; /* -1 when the file has no form column */
  int yearsOk, sameSex, nidSame, nidDiffer;
};

struct kind {
  char zName[40];
  int n, tp, fp, fn, tn, keyShared;
};

static char *read_all(const char *zPath, size_t *pn)
{
  FILE *f = fopen(zPath, "rb");
  if (f == NULL)
    return NULL;
  char *z = sws_malloc(MAX_FILE + 1);
  size_t n = fread(z, 1, MAX_FILE, f);
  fclose(f);
  z[n] = '\0';
  *pn = n;
  return z;
}

/* 1 if the JSON arrays of keys za and zb have a string in common. */
static int share_key(const char *za, const char *zb)
{
  json_t *a = json_loads(za, 0, NULL), *b = json_loads(zb, 0, NULL);
  int found = 0;
  size_t i, j;
  for (i = 0; !found && i < json_array_size(a); i++)
    for (j = 0; !found && j < json_array_size(b); j++)
      found = strcmp(json_string_value(json_array_get(a, i)),
                     json_string_value(json_array_get(b, j))) == 0;
  json_decref(a);
  json_decref(b);
  return found;
}

static int col(const struct csv_row *h, const char *zName)
{
  for (int i = 0; i < h->n; i++)
    if (strcmp(h->az[i], zName) == 0)
      return i;
  return -1;
}

static int year_of(const char *z)
{
  return (int)strtol(z, NULL, 10);
}

/* ------------------------------------------------------------------ */
/* Candidates per lookup in a synthetic registry                       */
/* ------------------------------------------------------------------ */

/* Cambodian family names, most common first (Zipf weights). */
static const char *const FAMILY[] = {
    "Sok",   "Chan",  "Kim",   "Keo",   "Ly",    "Sun",   "Heng",  "Chea",
    "Lim",   "Touch", "Meas",  "Phan",  "Hang",  "Nget",  "Pen",   "Mao",
    "Som",   "Sam",   "Yin",   "Tep",   "Mom",   "Sim",   "Nhem",  "Ouk",
    "Prak",  "Seng",  "Hor",   "Chhun", "Long",  "Vong",  "Khim",  "Chhay",
    "Ros",   "Pich",  "Nuon",  "Em",    "Hun",   "Yim",   "Ek",    "Thach",
};

/* Syllables that make Khmer given names (first, second). */
static const char *const F1[] = {"Srey", "Sok", "Chan", "So", "Kun", "Leak",
                                 "Bo",   "Ma",  "Ra",   "Pi", "Sov", "Mo",
                                 "Ka",   "Ni",  "Thi",  "Va", "Chen"};
static const char *const F2[] = {"mom",  "neang", "pov",   "leak", "pich",
                                 "thy",  "tha",   "phea",  "na",   "ry",
                                 "kha",  "da",    "nary",  "lis",  "sey",
                                 "nita", "vy",    "rachna"};
static const char *const M1[] = {"Sam", "Vi",   "Ri",  "So", "Bun", "Da",
                                 "Ko",  "Ma",   "Na",  "Pi", "Mo",  "Thea",
                                 "Vu",  "Chan", "Kim", "Ra", "Sok"};
static const char *const M2[] = {"nang", "chet",  "thy",  "phal", "thoeun",
                                 "ra",   "sal",   "kara", "rith", "seth",
                                 "bath", "pheak", "rin",  "thana", "san",
                                 "vuth", "ny",    "dy"};

struct synth {
  char zName[48];
  double p; /* share of the members of this sex */
  int nkeys;
};

struct keyref {
  const char *zKey;
  int name;
};

static int cmp_keyref(const void *x, const void *y)
{
  const struct keyref *a = x, *b = y;
  int c = strcmp(a->zKey, b->zKey);
  return c ? c : a->name - b->name;
}

struct wc {
  double cand, p;
};

static int cmp_wc(const void *x, const void *y)
{
  const struct wc *a = x, *b = y;
  return a->cand < b->cand ? -1 : a->cand > b->cand;
}

/*
 * One sex of a 1,000,000-member Cambodian registry: family names Zipf
 * (s=0.8: the first about 17%), given names Zipf (s=0.7: the first about
 * 6%) over names made of two syllables. Birth years spread over 70 years,
 * so a lookup's window of 5 years holds 5/70 of the 500,000 members of
 * one sex. Prints the members one lookup retrieves (sharing any key):
 * the mean over lookups (weighted by how common the name is), the 95th
 * percentile and the largest; and the keys stored per member.
 */
static void selectivity(const char *zSex, const char *const *g1, size_t n1,
                        const char *const *g2, size_t n2)
{
  const size_t nf = sizeof FAMILY / sizeof FAMILY[0];
  const size_t ng = n1 * n2;
  const size_t nn = nf * ng;
  const double slice = 500000.0 * 5.0 / 70.0;
  struct synth *s = sws_calloc(nn, sizeof *s);
  double *wg = sws_calloc(ng, sizeof *wg);
  double wf[sizeof FAMILY / sizeof FAMILY[0]], sf = 0, sg = 0;
  size_t i, j, nref = 0, cap = 0;
  struct keyref *ref = NULL;
  json_t **keys = sws_calloc(nn, sizeof *keys);

  for (i = 0; i < nf; i++)
    sf += wf[i] = pow((double)(i + 1), -0.8);
  /* ranks spread over the syllables, so one syllable is not all on top */
  for (i = 0; i < ng; i++)
    sg += wg[i] = pow((double)((i * 7919) % ng + 1), -0.7);
  for (i = 0; i < nf; i++)
    for (j = 0; j < ng; j++) {
      struct synth *x = &s[i * ng + j];
      snprintf(x->zName, sizeof x->zName, "%s %s%s", FAMILY[i], g1[j / n2],
               g2[j % n2]);
      x->p = wf[i] / sf * wg[j] / sg;
    }
  for (i = 0; i < nn; i++) {
    char *z = name_keys_json(s[i].zName);
    keys[i] = json_loads(z, 0, NULL);
    free(z);
    s[i].nkeys = (int)json_array_size(keys[i]);
    for (j = 0; j < json_array_size(keys[i]); j++) {
      if (nref == cap) {
        cap = cap ? 2 * cap : 4096;
        ref = sws_realloc(ref, cap * sizeof *ref);
      }
      ref[nref].zKey = json_string_value(json_array_get(keys[i], j));
      ref[nref].name = (int)i;
      nref++;
    }
  }
  qsort(ref, nref, sizeof *ref, cmp_keyref);

  int *stamp = sws_calloc(nn, sizeof *stamp);
  struct wc *wc = sws_calloc(nn, sizeof *wc);
  double mean = 0, maxc = 0, keysPer = 0;
  const char *zMax = "";
  for (i = 0; i < nn; i++) {
    double acc = 0;
    for (j = 0; j < json_array_size(keys[i]); j++) {
      struct keyref probe = {json_string_value(json_array_get(keys[i], j)),
                             -1};
      size_t lo = 0, hi = nref;
      while (lo < hi) { /* first entry with this key */
        size_t mid = (lo + hi) / 2;
        if (cmp_keyref(&ref[mid], &probe) < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      for (; lo < nref && strcmp(ref[lo].zKey, probe.zKey) == 0; lo++) {
        int y = ref[lo].name;
        if (stamp[y] != (int)i + 1) {
          stamp[y] = (int)i + 1;
          acc += s[y].p;
        }
      }
    }
    wc[i].cand = acc * slice;
    wc[i].p = s[i].p;
    mean += s[i].p * wc[i].cand;
    keysPer += s[i].p * s[i].nkeys;
    if (wc[i].cand > maxc) {
      maxc = wc[i].cand;
      zMax = s[i].zName;
    }
  }
  qsort(wc, nn, sizeof *wc, cmp_wc);
  double cum = 0, p95 = 0;
  for (i = 0; i < nn; i++) {
    cum += wc[i].p;
    if (cum >= 0.95) {
      p95 = wc[i].cand;
      break;
    }
  }
  printf("  %s: %zu names, %.1f keys per member; candidates per lookup: "
         "mean %.0f, p95 %.0f, max %.0f (\"%s\") of %.0f in the window\n",
         zSex, nn, keysPer, mean, p95, maxc, zMax, slice);
  for (i = 0; i < nn; i++)
    json_decref(keys[i]);
  free(keys);
  free(ref);
  free(stamp);
  free(wc);
  free(wg);
  free(s);
}

/* ------------------------------------------------------------------ */
/* The labelled pairs                                                  */
/* ------------------------------------------------------------------ */

static int kind_of(struct kind *k, int *nk, const char *z)
{
  for (int i = 0; i < *nk; i++)
    if (strcmp(k[i].zName, z) == 0)
      return i;
  if (*nk == MAX_KINDS)
    return *nk - 1;
  snprintf(k[*nk].zName, sizeof k[*nk].zName, "%s", z);
  return (*nk)++;
}

/* The rule, with name threshold t instead of MATCH_NAME_MIN if t >= 0. */
static void decide(const struct pair *p, double t, struct match_result *r)
{
  match_persons(&p->a, &p->b, r);
  if (t >= 0 && !p->nidSame && !p->nidDiffer)
    r->is_match = p->sameSex && p->yearsOk && r->name_score >= t;
}

/* Counts of one kind or form into its line: recall for same-person
 * pairs, false-positive rate for different people, precision when both. */
static void print_kind(const struct kind *k)
{
  if (k->tp + k->fn > 0) {
    printf("  %-22s recall %.3f (%d of %d), share a key %.3f", k->zName,
           (double)k->tp / (k->tp + k->fn), k->tp, k->tp + k->fn,
           (double)k->keyShared / (k->tp + k->fn));
    if (k->fp + k->tn > 0)
      printf(", precision %.3f (%d false of %d different)",
             k->tp + k->fp ? (double)k->tp / (k->tp + k->fp) : 1.0, k->fp,
             k->fp + k->tn);
    printf("\n");
  } else {
    printf("  %-22s false-positive rate %.3f (%d of %d)\n", k->zName,
           k->n ? (double)k->fp / k->n : 0, k->fp, k->n);
  }
}

static void tally(struct kind *k, const struct pair *p, int is_match, int sh)
{
  k->n++;
  k->keyShared += p->same && sh;
  if (is_match && p->same)
    k->tp++;
  else if (is_match)
    k->fp++;
  else if (p->same)
    k->fn++;
  else
    k->tn++;
}

/* The figures for one file of pairs; `full` adds the threshold sweep,
 * the cost and the synthetic registry. */
static int bench_pairs(const char *zPath, int verbose, int full)
{
  int i, status = 1;
  size_t n = 0;
  char *zData = read_all(zPath, &n);
  if (zData == NULL) {
    fprintf(stderr, "bench dedup: cannot read '%s'\n", zPath);
    return 1;
  }
  /* the rows keep pointers into the strings copied here */
  struct pair *pairs = sws_calloc(MAX_PAIRS, sizeof *pairs);
  char **owned = sws_calloc(MAX_PAIRS * 10, sizeof *owned);
  int np = 0, nown = 0, nk = 0, nf = 0;
  struct kind kinds[MAX_KINDS], forms[MAX_KINDS];
  memset(kinds, 0, sizeof kinds);
  memset(forms, 0, sizeof forms);

  struct csv_reader r;
  struct csv_row row;
  struct sws_err err = SWS_ERR_INIT;
  csv_init(&r, zData, n);
  int c[12];
  static const char *const COLS[12] = {
      "name_a", "sex_a", "born_a", "area_a", "nid_a", "name_b",
      "sex_b",  "born_b", "area_b", "nid_b", "same",  "kind"};
  if (csv_next(&r, &row, &err) != 1) {
    fprintf(stderr, "bench dedup: '%s' has no header\n", zPath);
    goto done;
  }
  int ncol = 0;
  for (i = 0; i < 12; i++) {
    if ((c[i] = col(&row, COLS[i])) < 0) {
      fprintf(stderr, "bench dedup: '%s' has no column %s\n", zPath, COLS[i]);
      goto done;
    }
    if (c[i] >= ncol)
      ncol = c[i] + 1;
  }
  int cform = col(&row, "form");
  if (cform >= ncol)
    ncol = cform + 1;
  int rc;
  while (np < MAX_PAIRS && (rc = csv_next(&r, &row, &err)) != 0) {
    if (rc < 0 || row.n < ncol)
      continue;
    struct pair *p = &pairs[np];
    char *f[10];
    for (i = 0; i < 10; i++)
      owned[nown++] = f[i] = sws_strdup(row.az[c[i]]);
    p->a = (struct match_person){f[0], f[1][0], f[2], f[3], f[4]};
    p->b = (struct match_person){f[5], f[6][0], f[7], f[8], f[9]};
    p->same = strcmp(row.az[c[10]], "1") == 0;
    p->kind = kind_of(kinds, &nk, row.az[c[11]]);
    p->form = cform >= 0 ? kind_of(forms, &nf, row.az[cform]) : -1;
    p->sameSex = p->a.sex == p->b.sex;
    p->yearsOk = abs(year_of(p->a.zBorn) - year_of(p->b.zBorn)) <= 2;
    p->nidSame = f[4][0] && strcmp(f[4], f[9]) == 0;
    p->nidDiffer = f[4][0] && f[9][0] && !p->nidSame;
    np++;
  }

  /* the rule as it is */
  int tp = 0, fp = 0, fn = 0, tn = 0, pos = 0, shared = 0;
  for (i = 0; i < np; i++) {
    struct pair *p = &pairs[i];
    struct kind *k = &kinds[p->kind];
    struct match_result m;
    int sh = 0;
    decide(p, -1, &m);
    if (p->same) {
      char *ka = name_keys_json(p->a.zName), *kb = name_keys_json(p->b.zName);
      sh = share_key(ka, kb);
      free(ka);
      free(kb);
      pos++;
      shared += sh;
      if (verbose && !sh)
        printf("  no shared key: %s | %s\n", p->a.zName, p->b.zName);
    }
    tally(k, p, m.is_match, sh);
    if (p->form >= 0)
      tally(&forms[p->form], p, m.is_match, sh);
    if (m.is_match && p->same)
      tp++;
    else if (m.is_match)
      fp++;
    else if (p->same)
      fn++;
    else
      tn++;
    if (verbose && m.is_match != p->same)
      printf("  %s %s: %s (%c %s) | %s (%c %s): %s\n",
             m.is_match ? "FP" : "FN", k->zName, p->a.zName, p->a.sex,
             p->a.zBorn, p->b.zName, p->b.sex, p->b.zBorn, m.reasons);
  }
  printf("counter dedup on %s: recall %.3f, precision %.3f (%d pairs)\n", zPath,
         tp + fn ? (double)tp / (tp + fn) : 0,
         tp + fp ? (double)tp / (tp + fp) : 0, np);
  for (i = 0; i < nk; i++)
    print_kind(&kinds[i]);
  if (nf > 0)
    printf("  per form (kinds of different people: false-positive rate):\n");
  for (i = 0; i < nf; i++)
    print_kind(&forms[i]);
  printf("  key contract: %.3f of same-person pairs share a key (%d of %d)\n",
         pos ? (double)shared / pos : 0, shared, pos);

  if (!full) {
    status = 0;
    goto done;
  }
  /* other thresholds, for calibration */
  printf("  name threshold sweep (recall / precision):");
  for (double t = 0.75; t < 0.951; t += 0.025) {
    int a = 0, b = 0, d = 0;
    for (i = 0; i < np; i++) {
      struct match_result m;
      decide(&pairs[i], t, &m);
      a += m.is_match && pairs[i].same;
      b += m.is_match && !pairs[i].same;
      d += !m.is_match && pairs[i].same;
    }
    printf(" %.3f: %.3f/%.3f", t, a + d ? (double)a / (a + d) : 0,
           a + b ? (double)a / (a + b) : 0);
  }
  printf("\n");

  /* cost: every pair in turn (neither side memoised), then one person
     against all candidates (the counter's case) */
  int rounds = 200;
  double sink = 0;
  int64_t t0 = bench_ns();
  for (int k = 0; k < rounds; k++)
    for (i = 0; i < np; i++)
      sink += name_similarity(pairs[i].a.zName, pairs[i].b.zName, NULL);
  int64_t t1 = bench_ns();
  for (int k = 0; k < rounds; k++)
    for (i = 0; i < np; i++)
      sink += name_similarity(pairs[k % np].a.zName, pairs[i].b.zName, NULL);
  int64_t t2 = bench_ns();
  printf("  name_similarity: %.0f ns per pair (both names new), %.0f ns "
         "(one person against many)%s\n",
         (double)(t1 - t0) / ((double)rounds * np),
         (double)(t2 - t1) / ((double)rounds * np), sink < 0 ? " " : "");

  printf("  synthetic registry of 1,000,000 members (Cambodian names):\n");
  selectivity("women", F1, sizeof F1 / sizeof F1[0], F2,
              sizeof F2 / sizeof F2[0]);
  selectivity("men", M1, sizeof M1 / sizeof M1[0], M2,
              sizeof M2 / sizeof M2[0]);

  status = 0;
done:
  csv_release(&r);
  for (i = 0; i < nown; i++)
    free(owned[i]);
  free(owned);
  free(pairs);
  free(zData);
  return status;
}

int bench_dedup(int argc, char **argv)
{
  const char *zPath = NULL;
  int verbose = 0, i;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-v") == 0)
      verbose = 1;
    else
      zPath = argv[i];
  }
  if (zPath)
    return bench_pairs(zPath, verbose, 1);
  int status = bench_pairs(DEFAULT_PAIRS, verbose, 1);
  return bench_pairs(FORM_PAIRS, verbose, 0) || status;
}
