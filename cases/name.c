/*
 * name.c - person names in Khmer, Mongolian Cyrillic and Latin script
 * (see name.h): folding, a Latin reading, blocking keys and similarity.
 *
 * A name goes through these stages, each a pass over fixed-size arrays
 * (no heap for names of ordinary length):
 *
 *   bytes    -> folded: NFC, case folded, format characters (U+200B, ...)
 *               dropped, punctuation and white space to one space
 *            -> words (tokens)
 *            -> Latin reading per word: Cyrillic by a MNS 5217 / BGN-like
 *               table, Khmer by syllables (consonant series, subscripts,
 *               finals), Latin without diacritics
 *            -> "phon": the reading with spelling variants merged
 *               (kh=k, th=t, ch=c, ts=c, y as a vowel = i, one symbol per
 *               run of vowels: ey=ei=i, ea=ia=ie, ...)
 *            -> "coarse": phon with vowels in two classes only (back/open
 *               a o u, front e i), for comparing across scripts
 *            -> skeleton: the consonants of phon, for blocking keys.
 *
 * Similarity compares words with a weighted edit distance (cheap
 * transpositions, doubled letters and Khmer signs; expensive changes of
 * vowel class) and takes the best pairing of words, so word order,
 * missing spaces and initials are handled in one place. docs/dedup.md
 * explains the choices and gives the figures.
 */
#include "cases/name.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"

/* Bytes of a name looked at by keys and similarity (a member name is at
 * most 200 characters, 600 bytes in Khmer). */
#define IN_MAX 640
/* Code points kept after folding for keys and similarity. */
#define CP_MAX 256
/* Words kept; the rest joins the last word. */
#define TOK_MAX 6
/* Symbols of phon kept. */
#define PH_MAX 512
/* Symbols of one word compared by the edit distance. */
#define WORD_MAX 48
/* Code points folded on the stack before falling back to the heap. */
#define FOLD_STACK 1024

/* Score given to a word written as its initial ("Б." for "Болд"). */
#define INITIAL_SIM 0.9
/* Scale of a score found through Latin readings of two scripts. */
#define CROSS_SCALE 0.96
/* Scale of a score found through readings of the same script. */
#define READING_SCALE 0.97
/* Whole names compared as one word (the word break elsewhere) count
 * from this similarity, scaled. */
#define JOINED_MIN 0.95
#define JOINED_SCALE 0.99
/* Highest score for names that differ after folding. */
#define NOT_IDENTICAL_MAX 0.99

enum { SC_LATIN = 1, SC_CYRILLIC = 2, SC_KHMER = 4, SC_OTHER = 8 };

/* ------------------------------------------------------------------ */
/* Folding                                                             */
/* ------------------------------------------------------------------ */

/* A vector of code points: on the stack, or on the heap when long. */
struct cpvec {
  int32_t *a;
  size_t n;
  int32_t *heap;
  int32_t stack[FOLD_STACK];
};

static void cpvec_init(struct cpvec *v)
{
  v->a = v->stack;
  v->n = 0;
  v->heap = NULL;
}

static void cpvec_release(struct cpvec *v)
{
  free(v->heap);
  cpvec_init(v);
}

static int is_ascii_alnum(int32_t c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* What folding does with code point c: 0 drop, 1 keep, 2 separator. */
static int fold_class(int32_t c)
{
  if (c < 0x80)
    return is_ascii_alnum(c) ? 1 : 2;
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_CF: /* U+200B..U+200D, U+FEFF, U+00AD, U+2060 */
  case UTF8PROC_CATEGORY_CS:
    return 0;
  case UTF8PROC_CATEGORY_ZS:
  case UTF8PROC_CATEGORY_ZL:
  case UTF8PROC_CATEGORY_ZP:
  case UTF8PROC_CATEGORY_CC:
  case UTF8PROC_CATEGORY_CO:
  case UTF8PROC_CATEGORY_PC:
  case UTF8PROC_CATEGORY_PD:
  case UTF8PROC_CATEGORY_PS:
  case UTF8PROC_CATEGORY_PE:
  case UTF8PROC_CATEGORY_PI:
  case UTF8PROC_CATEGORY_PF:
  case UTF8PROC_CATEGORY_PO:
  case UTF8PROC_CATEGORY_SM:
  case UTF8PROC_CATEGORY_SC:
  case UTF8PROC_CATEGORY_SK:
  case UTF8PROC_CATEGORY_SO:
    return 2;
  default:
    return 1;
  }
}

/*
 * Fold the n bytes at z into v (see name_fold). Returns 0, or -1 when z is
 * not valid UTF-8 (v is then empty).
 */
static int fold(const char *z, size_t n, struct cpvec *v)
{
  const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
  size_t i, o = 0;
  int ascii = 1;

  for (i = 0; i < n; i++)
    if ((unsigned char)z[i] >= 0x80) {
      ascii = 0;
      break;
    }
  if (ascii) {
    if (n > FOLD_STACK) {
      v->heap = sws_malloc(n * sizeof *v->heap);
      v->a = v->heap;
    }
    for (i = 0; i < n; i++) {
      int32_t c = (unsigned char)z[i];
      v->a[i] = c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
    v->n = n;
  } else {
    utf8proc_ssize_t k =
        utf8proc_decompose((const utf8proc_uint8_t *)z, (utf8proc_ssize_t)n,
                           v->a, FOLD_STACK, opt);
    if (k > FOLD_STACK) {
      v->heap = sws_malloc((size_t)k * sizeof *v->heap);
      v->a = v->heap;
      k = utf8proc_decompose((const utf8proc_uint8_t *)z, (utf8proc_ssize_t)n,
                             v->a, k, opt);
    }
    if (k >= 0)
      k = utf8proc_normalize_utf32(v->a, k, opt);
    if (k < 0) {
      v->n = 0;
      return -1;
    }
    v->n = (size_t)k;
  }
  /* In place: drop, keep or turn into one space. */
  int space = 1;
  for (i = 0; i < v->n; i++) {
    int32_t c = v->a[i];
    int k = fold_class(c);
    if (k == 0)
      continue;
    if (k == 2) {
      if (!space)
        v->a[o++] = ' ';
      space = 1;
    } else {
      v->a[o++] = c;
      space = 0;
    }
  }
  if (o > 0 && v->a[o - 1] == ' ')
    o--;
  v->n = o;
  return 0;
}

/* Append code points as UTF-8. */
static void put_utf8(struct buf *b, const int32_t *a, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    utf8proc_uint8_t u[4];
    utf8proc_ssize_t k = utf8proc_encode_char(a[i], u);
    buf_append(b, u, (size_t)k);
  }
}

/* ------------------------------------------------------------------ */
/* Latin reading                                                       */
/* ------------------------------------------------------------------ */

/* A bounded writer of ASCII; text past the end is dropped. */
struct out {
  char *z;
  size_t n, cap;
};

static void out_puts(struct out *w, const char *s)
{
  while (*s && w->n < w->cap)
    w->z[w->n++] = *s++;
}

static int out_last(const struct out *w)
{
  return w->n ? w->z[w->n - 1] : 0;
}

static int is_vowel_letter(int c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static int cp_script(int32_t c)
{
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') ? SC_LATIN : 0;
  if ((c >= 0xC0 && c < 0x2B0) || (c >= 0x1E00 && c < 0x1F00))
    return SC_LATIN;
  if (c >= 0x300 && c < 0x370)
    return 0; /* combining marks go with any script */
  if (c >= 0x400 && c < 0x530)
    return SC_CYRILLIC;
  if ((c >= 0x1780 && c < 0x1800) || (c >= 0x19E0 && c < 0x1A00))
    return SC_KHMER;
  return SC_OTHER;
}

/* Mongolian and other Cyrillic, lower case (after folding). */
static const char *const CYR_BASIC[32] = {
    "a", "b", "v", "g", "d", "e", "j",  "z",    /* а..з */
    "i", "i", "k", "l", "m", "n", "o",  "p",    /* и..п */
    "r", "s", "t", "u", "f", "kh", "ts", "ch",  /* р..ч */
    "sh", "shch", "", "y", "i", "e", "yu", "ya" /* ш..я */
};

static void read_cyrillic(int32_t c, struct out *w)
{
  const char *s = NULL;
  if (c >= 0x430 && c <= 0x44F) {
    if (c == 0x435) /* е: "ye" at the start of a word or after a vowel */
      s = (w->n == 0 || out_last(w) == ' ' || is_vowel_letter(out_last(w)))
              ? "ye"
              : "e";
    else
      s = CYR_BASIC[c - 0x430];
  } else {
    switch (c) {
    case 0x451: s = "yo"; break; /* ё */
    case 0x4E9: s = "o"; break;  /* ө (MNS ö) */
    case 0x4AF: s = "u"; break;  /* ү (MNS ü) */
    case 0x456: s = "i"; break;  /* і */
    case 0x457: s = "yi"; break; /* ї */
    case 0x454: s = "ye"; break; /* є */
    case 0x491: s = "g"; break;  /* ґ */
    case 0x45E: s = "u"; break;  /* ў */
    case 0x4D9: s = "a"; break;  /* ә (Kazakh, Bayan-Ölgii) */
    case 0x493: s = "g"; break;  /* ғ */
    case 0x49B: s = "k"; break;  /* қ */
    case 0x4A3: s = "ng"; break; /* ң */
    case 0x4B1: s = "u"; break;  /* ұ */
    case 0x4BB: s = "h"; break;  /* һ */
    default: break;
    }
  }
  if (s)
    out_puts(w, s);
}

static void read_latin(int32_t c, struct out *w)
{
  char one[2] = {0, 0};
  if (c < 0x80) {
    one[0] = (char)c;
    out_puts(w, one);
    return;
  }
  switch (c) {
  case 0xDF: out_puts(w, "ss"); return;  /* ß */
  case 0xE6: out_puts(w, "ae"); return;  /* æ */
  case 0xF8: out_puts(w, "o"); return;   /* ø */
  case 0x153: out_puts(w, "oe"); return; /* œ */
  case 0x111: out_puts(w, "d"); return;  /* đ */
  case 0xF0: out_puts(w, "d"); return;   /* ð */
  case 0xFE: out_puts(w, "th"); return;  /* þ */
  case 0x142: out_puts(w, "l"); return;  /* ł */
  case 0x131: out_puts(w, "i"); return;  /* ı */
  case 0x14B: out_puts(w, "ng"); return; /* ŋ */
  default: break;
  }
  /* Otherwise the base letter of the canonical decomposition. */
  utf8proc_int32_t d[8];
  int last = 0;
  utf8proc_ssize_t k = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE,
                                               &last);
  if (k >= 1 && k <= 8 && d[0] < 0x80 && is_ascii_alnum(d[0])) {
    one[0] = (char)(d[0] >= 'A' && d[0] <= 'Z' ? d[0] + 32 : d[0]);
    out_puts(w, one);
  }
}

/*
 * Khmer. Consonants U+1780..U+17A2: reading at the start of a syllable,
 * reading as a final, series (1: a-series, 2: o-series), sonorant.
 */
static const struct {
  const char *on, *fin;
  char series, sonorant;
} KH_CONS[35] = {
    {"k", "k", 1, 0},    {"kh", "k", 1, 0},  {"k", "k", 2, 0},
    {"kh", "k", 2, 0},   {"ng", "ng", 2, 1}, {"ch", "ch", 1, 0},
    {"chh", "ch", 1, 0}, {"ch", "ch", 2, 0}, {"chh", "ch", 2, 0},
    {"nh", "nh", 2, 1},  {"d", "t", 1, 0},   {"th", "t", 1, 0},
    {"d", "t", 2, 0},    {"th", "t", 2, 0},  {"n", "n", 1, 0},
    {"t", "t", 1, 0},    {"th", "t", 1, 0},  {"t", "t", 2, 0},
    {"th", "t", 2, 0},   {"n", "n", 2, 1},   {"b", "p", 1, 0},
    {"ph", "p", 1, 0},   {"p", "p", 2, 0},   {"ph", "p", 2, 0},
    {"m", "m", 2, 1},    {"y", "y", 2, 1},   {"r", "r", 2, 1},
    {"l", "l", 2, 1},    {"v", "v", 2, 1},   {"sh", "s", 1, 0},
    {"ss", "s", 1, 0},   {"s", "s", 1, 0},   {"h", "h", 1, 0},
    {"l", "l", 1, 0},    {"", "", 1, 0},
};

/* Dependent vowels U+17B6..U+17C5 after an a-series / o-series onset. */
static const char *const KH_VOWEL[16][2] = {
    {"a", "ea"},   /* ា */
    {"e", "i"},    /* ិ */
    {"ei", "i"},   /* ី */
    {"e", "i"},    /* ឹ */
    {"eu", "eu"},  /* ឺ */
    {"o", "u"},    /* ុ */
    {"ou", "u"},   /* ូ */
    {"uo", "uo"},  /* ួ */
    {"aeu", "eu"}, /* ើ */
    {"oea", "oea"}, /* ឿ */
    {"ie", "ie"},  /* ៀ */
    {"e", "e"},    /* េ */
    {"e", "e"},    /* ែ */
    {"ai", "ey"},  /* ៃ */
    {"ao", "o"},   /* ោ */
    {"ao", "ov"},  /* ៅ (Mao, Pov) */
};

/* Independent vowels U+17A3..U+17B3. */
static const char *const KH_INDEP[17] = {
    "a",  "aa", "e",  "ei", "o", "ou", "ou", "au", "ru",
    "ru", "lu", "lu", "ae", "ai", "ao", "ao", "au",
};

#define KH_COENG 0x17D2
#define KH_SAMYOK 16 /* ័ read like ា */

static int kh_is_cons(int32_t c)
{
  return c >= 0x1780 && c <= 0x17A2;
}

/* One orthographic cluster: base, subscripts, signs. */
struct kcl {
  int base;    /* consonant 0..34, 100 + independent vowel, or -1 */
  int sub[3];  /* subscript consonants */
  int nsub;
  int shift;   /* 0, 1 (៉ to a-series) or 2 (៊ to o-series) */
  int vowel;   /* 0..15 dependent vowel, KH_SAMYOK, or -1 */
  int nik, reah, yuk, bantoc, silent;
  int role;    /* R_ONSET, R_FINAL (whole cluster is the previous final)
                  or R_SPLIT (base is the previous final, subscripts are
                  this syllable's onset) */
  int hasfin;  /* the next cluster gives this syllable a final */
};

enum { R_ONSET, R_FINAL, R_SPLIT };

/* Parse one cluster from a[*pi..n); returns 0 at the end. */
static int kh_cluster(const int32_t *a, size_t n, size_t *pi, struct kcl *k)
{
  size_t i = *pi;
  if (i >= n)
    return 0;
  memset(k, 0, sizeof *k);
  k->base = -1;
  k->vowel = -1;
  int32_t c = a[i];
  if (kh_is_cons(c)) {
    k->base = c - 0x1780;
    i++;
  } else if (c >= 0x17A3 && c <= 0x17B3) {
    k->base = 100 + (c - 0x17A3);
    i++;
  }
  /* Subscripts and signs, in any order (typing slips reorder them). */
  while (i < n) {
    c = a[i];
    if (c == KH_COENG) {
      if (i + 1 < n && kh_is_cons(a[i + 1])) {
        if (k->nsub < 3)
          k->sub[k->nsub++] = a[i + 1] - 0x1780;
        i++;
      }
    } else if (c >= 0x17B6 && c <= 0x17C5) {
      if (k->vowel < 0)
        k->vowel = c - 0x17B6;
    } else if (c == 0x17D0) { /* samyok sannya */
      if (k->vowel < 0)
        k->vowel = KH_SAMYOK;
    } else if (c == 0x17C6) {
      k->nik = 1;
    } else if (c == 0x17C7) {
      k->reah = 1;
    } else if (c == 0x17C8) {
      k->yuk = 1;
    } else if (c == 0x17C9 || c == 0x17CA) {
      k->shift = c == 0x17C9 ? 1 : 2;
    } else if (c == 0x17CB) {
      k->bantoc = 1;
    } else if (c == 0x17CD) {
      k->silent = 1;
    } else if (!((c >= 0x17CC && c <= 0x17D1) || c == 0x17D3 ||
                 c == 0x17DD)) {
      break; /* robat, kakabat, ahsda, viriam, ... are skipped */
    }
    i++;
  }
  if (i == *pi)
    i++; /* something else Khmer (digit, symbol): one code point */
  *pi = i;
  return 1;
}

static int kh_voiced(const struct kcl *k)
{
  return k->vowel >= 0 || k->nik || k->yuk;
}

static int kh_series(const struct kcl *k, int split)
{
  int s = 1;
  if (split) {
    if (k->nsub > 0)
      s = KH_CONS[k->sub[0]].series;
  } else if (k->base >= 0 && k->base < 35) {
    s = KH_CONS[k->base].series;
    if (k->nsub > 0) {
      int t = KH_CONS[k->sub[0]].series;
      if (s == 1 && t == 2 && !KH_CONS[k->sub[0]].sonorant)
        s = 2;
      else if (s == 2 && t == 1 && KH_CONS[k->base].sonorant)
        s = 1;
    }
  }
  if (k->shift)
    s = k->shift;
  return s;
}

/*
 * Is the cluster k with subscripts one that straddles two syllables (its
 * base the final of the syllable before): doubled (ណ្ណ, ត្ត), after a
 * nasal (ន្ថ, ង្គ) or with a stop below (ក្ខ, ក្ត)? Otherwise (ស្រ, ប្រ,
 * ស្ម) it starts a syllable.
 */
static int kh_medial(const struct kcl *k)
{
  if (k->nsub == 0 || k->base < 0 || k->base >= 35)
    return 0;
  int b = k->base + 0x1780;
  return k->sub[0] == k->base || b == 0x1784 || b == 0x1789 ||
         b == 0x178E || b == 0x1793 || b == 0x1798 ||
         !KH_CONS[k->sub[0]].sonorant;
}

/*
 * Is the bare consonant cl[j] (no vowel, no subscript; the syllable before
 * it has no final yet) that syllable's final, or a syllable of its own?
 */
static int bare_role(const struct kcl *cl, int m, int j)
{
  const struct kcl *k = &cl[j], *p = &cl[j - 1], *n = &cl[j + 1];
  if (j == m - 1 || k->bantoc || k->silent)
    return R_FINAL;
  if (k->base == 0x179C - 0x1780 && (p->vowel == 11 || p->vowel == 12))
    return R_FINAL; /* កែវ, េវ */
  if (!kh_voiced(n) && (j + 1 == m - 1 || n->bantoc))
    return R_ONSET; /* with the next one, a syllable and its final: ផល */
  if (n->nsub > 0) /* សំ-បត្-តិ; but ម៉ម-ស្រី */
    return kh_medial(n) ? R_ONSET : R_FINAL;
  if (kh_voiced(n))
    /* closes a syllable with a written vowel (សុខដារ៉ា); after a bare
       one it is a syllable of its own (រ-ត-នា) */
    return kh_voiced(p) ? R_FINAL : R_ONSET;
  return R_FINAL;
}

/* Read a run of Khmer clusters (one word or part of it). */
static void read_khmer_run(struct kcl *cl, int m, struct out *w)
{
  int j;
  for (j = 0; j < m; j++) {
    struct kcl *k = &cl[j];
    k->role = R_ONSET;
    if (j == 0 || k->base < 0 || k->base >= 35)
      continue;
    struct kcl *p = &cl[j - 1];
    if (p->role == R_FINAL || p->hasfin || (p->base < 0 && p->vowel < 0))
      continue;
    if (!kh_voiced(k)) {
      if (k->nsub == 0)
        k->role = bare_role(cl, m, j);
      else if (j == m - 1)
        k->role = R_FINAL;
      else if (kh_medial(k))
        k->role = R_SPLIT;
    } else if (kh_medial(k)) {
      k->role = R_SPLIT;
    }
    if (k->role != R_ONSET)
      p->hasfin = 1;
  }
  for (j = 0; j < m; j++) {
    struct kcl *k = &cl[j];
    if (k->role == R_FINAL)
      continue;
    int split = k->role == R_SPLIT;
    int s = kh_series(k, split) - 1;
    /* onset */
    if (k->base >= 100) {
      out_puts(w, KH_INDEP[k->base - 100]);
    } else {
      if (!split && k->base == 0x1794 - 0x1780 && k->nsub > 0)
        out_puts(w, "p"); /* ប in a cluster: ប្រាក់ Prak */
      else if (!split && k->base >= 0)
        out_puts(w, KH_CONS[k->base].on);
      for (int q = 0; q < k->nsub; q++)
        out_puts(w, KH_CONS[k->sub[q]].on);
      /* vowel */
      if (k->vowel == KH_SAMYOK) {
        out_puts(w, KH_VOWEL[0][s]);
      } else if (k->vowel >= 0) {
        out_puts(w, KH_VOWEL[k->vowel][s]);
      } else if (k->base >= 0 || split) { /* the inherent vowel */
        out_puts(w, s ? (k->yuk ? "ea" : "o") : "a");
      }
    }
    if (k->nik)
      out_puts(w, "m");
    if (k->yuk)
      out_puts(w, "k");
    if (k->reah)
      out_puts(w, "h");
    /* final */
    if (j + 1 < m && cl[j + 1].role != R_ONSET) {
      const struct kcl *f = &cl[j + 1];
      if (!f->silent && f->base >= 0 && f->base < 35) {
        if (f->base == 0x179C - 0x1780 && (k->vowel == 11 || k->vowel == 12))
          out_puts(w, "o"); /* ែវ, េវ: Keo */
        else
          out_puts(w, KH_CONS[f->base].fin);
      }
    }
  }
}

/* Read the Khmer code points a[0..n) of one word. */
static void read_khmer(const int32_t *a, size_t n, struct out *w)
{
  struct kcl cl[32];
  size_t i = 0;
  while (i < n) {
    int32_t c = a[i];
    if (c >= 0x17E0 && c <= 0x17E9) { /* Khmer digits */
      char d[2] = {(char)('0' + (c - 0x17E0)), 0};
      out_puts(w, d);
      i++;
      continue;
    }
    int m = 0;
    while (m < 32 && i < n && !(a[i] >= 0x17E0 && a[i] <= 0x17E9) &&
           kh_cluster(a, n, &i, &cl[m]))
      m++;
    read_khmer_run(cl, m, w);
  }
}

/*
 * The Latin reading of one folded word a[0..n) into w. Returns the script
 * bits of the word.
 */
static int read_word(const int32_t *a, size_t n, struct out *w)
{
  int script = 0;
  size_t i = 0;
  while (i < n) {
    int32_t c = a[i];
    int s = cp_script(c);
    script |= s;
    if (s == SC_KHMER) {
      size_t j = i;
      while (j < n && cp_script(a[j]) == SC_KHMER)
        j++;
      read_khmer(a + i, j - i, w);
      i = j;
      continue;
    }
    if (s == SC_CYRILLIC)
      read_cyrillic(c, w);
    else if (s == SC_LATIN || (c >= '0' && c <= '9'))
      read_latin(c, w);
    i++;
  }
  return script;
}

/* ------------------------------------------------------------------ */
/* Phon, coarse phon and skeleton                                      */
/* ------------------------------------------------------------------ */

/* Vowel symbols of phon: a e i o u and these for runs of vowels. */
#define V_EA 'A' /* ea ia ie */
#define V_AI 'I' /* ai ae ay */
#define V_AO 'O' /* ao au */
#define V_EU 'U' /* eu oe ue oeu aeu */
#define V_UO 'W' /* uo ua oa */
#define V_EO 'E' /* eo */
#define V_OI 'Y' /* oi oy ui uy */

static int is_vsym(int32_t c)
{
  switch (c) {
  case 'a': case 'e': case 'i': case 'o': case 'u': case V_EA: case V_AI:
  case V_AO: case V_EU: case V_UO: case V_EO: case V_OI:
    return 1;
  default:
    return 0;
  }
}

/* The class of a vowel symbol: 'a' back or open, 'i' front. */
static int32_t vclass(int32_t c)
{
  switch (c) {
  case 'a': case 'o': case 'u': case V_EA: case V_AO: case V_UO:
    return 'a';
  default:
    return 'i';
  }
}

/* Runs of vowels (doubles merged, y as i) that are one sound. */
static const struct {
  const char *run;
  char sym;
} VRUNS[] = {
    {"ei", 'i'},   {"ie", V_EA},  {"ea", V_EA}, {"ia", V_EA},  {"iea", V_EA},
    {"eia", V_EA}, {"ai", V_AI},  {"ae", V_AI}, {"aei", V_AI}, {"ao", V_AO},
    {"au", V_AO},  {"eu", V_EU},  {"oe", V_EU}, {"ue", V_EU},  {"oeu", V_EU},
    {"aeu", V_EU}, {"oea", V_EU}, {"ou", 'u'},  {"uo", V_UO},  {"ua", V_UO},
    {"oa", V_UO},  {"uoa", V_UO}, {"eo", V_EO}, {"oi", V_OI},  {"ui", V_OI},
    {"oei", V_OI}, {"ieu", V_EA},
};

/*
 * The symbol for the run of vowels r (y already read as i); *plong is set
 * when a letter of it is doubled (aa, ee, oo, uu: long vowels).
 */
static char vowel_run(const char *r, size_t n, int *plong)
{
  char c[8];
  size_t k = 0;
  *plong = 0;
  for (size_t i = 0; i < n && k < sizeof c - 1; i++) {
    if (k > 0 && c[k - 1] == r[i])
      *plong = 1;
    else
      c[k++] = r[i];
  }
  c[k] = '\0';
  if (k == 1)
    return c[0];
  for (size_t i = 0; i < sizeof VRUNS / sizeof VRUNS[0]; i++)
    if (strcmp(VRUNS[i].run, c) == 0)
      return VRUNS[i].sym;
  return c[0];
}

/*
 * Phon of the ASCII reading s[0..n) of one word, appended to ph (at most
 * cap symbols). Returns the number of symbols written.
 */
static size_t phon_word(const char *s, size_t n, int32_t *ph, size_t cap)
{
  size_t i = 0, o = 0;
#define PUT(x)                                                                \
  do {                                                                        \
    if (o < cap)                                                              \
      ph[o++] = (x);                                                          \
  } while (0)
  while (i < n) {
    char c = s[i];
    char d = i + 1 < n ? s[i + 1] : 0;
    char e = i + 2 < n ? s[i + 2] : 0;
    if (c < 'a' || c > 'z') {
      i++;
      continue;
    }
    if (is_vowel_letter(c) || (c == 'y' && !is_vowel_letter(d))) {
      char r[8];
      size_t k = 0;
      while (i < n) {
        char x = s[i];
        char nx = i + 1 < n ? s[i + 1] : 0;
        if (is_vowel_letter(x) || (x == 'y' && !is_vowel_letter(nx))) {
          if (k < sizeof r)
            r[k++] = x == 'y' ? 'i' : x;
          i++;
        } else {
          break;
        }
      }
      int lng;
      char v = vowel_run(r, k, &lng);
      /* ៅ romanised ov or av at the end of a word (Pov, Chav) is ao */
      if (k == 1 && (v == 'o' || v == 'a') && i + 1 == n && s[i] == 'v') {
        v = V_AO;
        i++;
      }
      PUT(v);
      if (lng) /* kept as two symbols: a doubled letter costs little */
        PUT(v);
      continue;
    }
    if ((c == 'g' && d == 'n' && is_vowel_letter(e)) ||
        (c == 'n' && d == 'y' && is_vowel_letter(e))) {
      /* ញ romanised Gn or Ny (Gnim, Pagna, Nyim) reads as Nh */
      PUT('n');
      i += 2;
      continue;
    }
    if (c == 't' && d == 'c' && e == 'h') {
      PUT('c');
      i += 3;
      continue;
    }
    if (d == 'h' && strchr("cszkgtpdbn", c)) {
      PUT(c == 'z' ? 'j' : c);
      i += 2;
      continue;
    }
    if (c == 't' && (d == 's' || d == 'z')) {
      PUT('c');
      i += 2;
      continue;
    }
    if ((c == 'd' && d == 'z') || (c == 'c' && d == 'k')) {
      PUT(c == 'd' ? 'z' : 'k');
      i += 2;
      continue;
    }
    if (c == 'h') {
      /* kept only as a sound of its own: before a vowel, not after a
         consonant (Darah = Dara, hCantha = Chantha) */
      if ((o == 0 || is_vsym(ph[o - 1])) && is_vowel_letter(d))
        PUT('h');
      i++;
      continue;
    }
    if (c == 'r' && o > 0 && is_vsym(ph[o - 1]) && !is_vowel_letter(d) &&
        d != 'y') {
      /* r after a vowel and before a consonant marks a long vowel in
         Cambodian spelling (Chhorn, Sorn) and is silent in Khmer finals:
         dropped everywhere, so both spellings read alike */
      i++;
      continue;
    }
    PUT(c == 'q' || c == 'x' ? 'k' : c == 'w' ? 'v' : c);
    i++;
  }
#undef PUT
  return o;
}

/* Skeleton of the phon symbols p[0..n): consonants but h, doubles merged,
 * 'V' first when the word starts with a vowel. Returns its length. */
static size_t skeleton(const int32_t *p, size_t n, char *z, size_t cap)
{
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < cap; i++) {
    int32_t c = p[i];
    if (is_vsym(c)) {
      if (i == 0)
        z[o++] = 'V';
      continue;
    }
    if (c == 'h' || c < 'a' || c > 'z')
      continue;
    if (o > 0 && z[o - 1] == c)
      continue;
    z[o++] = (char)c;
  }
  z[o] = '\0';
  return o;
}

/* ------------------------------------------------------------------ */
/* A parsed name                                                       */
/* ------------------------------------------------------------------ */

struct nm {
  int32_t cp[CP_MAX]; /* folded, words separated by one space */
  int ncp;
  int script;         /* SC_* bits of the whole name */
  int ntok;
  /* native words without the spaces: word t is nat[noff[t]..noff[t+1]) */
  int32_t nat[CP_MAX];
  short noff[TOK_MAX + 1];
  /* phon and coarse phon of each word, same offsets */
  int32_t ph[PH_MAX];
  int32_t co[PH_MAX];
  short poff[TOK_MAX + 1];
  /* letters a-z of the Latin reading of each word */
  int32_t lt[PH_MAX];
  short loff[TOK_MAX + 1];
  short initial[TOK_MAX]; /* the word was one letter */
};

/* Length of the part of z looked at: IN_MAX bytes at most, cut at a
 * character boundary. */
static size_t in_len(const char *z)
{
  size_t n = strnlen(z, IN_MAX + 1);
  if (n > IN_MAX) {
    n = IN_MAX;
    while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
      n--;
  }
  return n;
}

/* ------------------------------------------------------------------ */
/* Forms officers type: honorifics, Mongolian genitives                 */
/* ------------------------------------------------------------------ */

/*
 * Honorifics and titles written before (or, for гуай, after) a name, as
 * they fold: dropped before a name is compared or keyed (docs/dedup.md,
 * "Honorifics"). `joined` when the title may be typed without a space
 * before the name (Khmer); `rest` is the number of words that must remain,
 * 2 for titles that are also names or syllables of names (Lok, Neak).
 * Longest first where one begins another.
 */
static const struct honorific {
  const char *z;
  int joined, rest;
} HONORIFIC_BEFORE[] = {
    {"លោកជំទាវ", 1, 1},  /* Lok Chumteav, Her Excellency */
    {"លោកស្រី", 1, 1},    /* Lok Srey, Mrs */
    {"អ្នកស្រី", 1, 1},    /* Neak Srey, Madam */
    {"អ្នកនាង", 1, 1},   /* Neak Neang, Miss */
    {"កញ្ញា", 1, 1},     /* Kanha, Miss */
    {"លោក", 1, 1},      /* Lok, Mr */
    {"хатагтай", 0, 1}, /* Mrs, Ms */
    {"ноён", 0, 1},     /* Mr */
    {"lok chumteav", 0, 1}, {"lok srey", 0, 1}, {"neak srey", 0, 1},
    {"lok", 0, 2},          {"mrs", 0, 1},      {"mr", 0, 1},
    {"ms", 0, 1},           {"miss", 0, 1},     {"madam", 0, 1},
    {"dr", 0, 1},
};
static const char *const HONORIFIC_AFTER[] = {"гуай", "guai"};

/* The number of code points of the UTF-8 word z if a[0..n) begins with
 * it, else 0. */
static int cp_prefix(const int32_t *a, int n, const char *z)
{
  const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)z;
  utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(z), off = 0;
  int k = 0;
  while (off < len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t step = utf8proc_iterate(u + off, len - off, &c);
    if (step <= 0 || k >= n || a[k] != c)
      return 0;
    off += step;
    k++;
  }
  return k;
}

static int count_words(const int32_t *a, int n)
{
  int w = 0;
  for (int i = 0; i < n; i++)
    w += a[i] != ' ' && (i == 0 || a[i - 1] == ' ');
  return w;
}

/* Drop one honorific before the name and one after it; returns the new
 * length of a. */
static int drop_honorifics(int32_t *a, int n)
{
  for (size_t i = 0; i < sizeof HONORIFIC_BEFORE / sizeof *HONORIFIC_BEFORE;
       i++) {
    const struct honorific *h = &HONORIFIC_BEFORE[i];
    int k = cp_prefix(a, n, h->z);
    if (k == 0 || k == n || (a[k] != ' ' && !h->joined))
      continue;
    int from = a[k] == ' ' ? k + 1 : k;
    if (count_words(a + from, n - from) < h->rest)
      continue;
    memmove(a, a + from, (size_t)(n - from) * sizeof *a);
    n -= from;
    break;
  }
  for (size_t i = 0; i < sizeof HONORIFIC_AFTER / sizeof *HONORIFIC_AFTER;
       i++) {
    int s = n - 1;
    while (s >= 0 && a[s] != ' ')
      s--;
    if (s > 0 &&
        cp_prefix(a + s + 1, n - s - 1, HONORIFIC_AFTER[i]) == n - s - 1) {
      n = s;
      break;
    }
  }
  return n;
}

/*
 * Genitive endings of Mongolian names (the father's name: Болдын,
 * Доржийн, Дулмаагийн, Дамдины; in Latin Boldyn, Doljiin, Dulmaagiin),
 * longest first. The stem that remains keeps a long vowel (Дулмаа) and
 * lacks the short final vowel the genitive drops (Бямба, Бямбын: Бямб),
 * which the comparison then sees as one vowel missing. `after` is the
 * letter the ending must follow (0: any), `min` the letters left at
 * least.
 */
static const struct genitive {
  const char *z;
  int32_t after;
  int min;
} GENITIVE[] = {
    {"гийн", 0, 3}, {"ийн", 0, 2}, {"ын", 0, 3}, {"ы", 0x43D, 4},
    {"giin", 0, 3}, {"iin", 0, 2}, {"yn", 0, 4},
};

/* 1 if every letter of a[0..n) is of script sc. */
static int word_is(const int32_t *a, int n, int sc)
{
  for (int i = 0; i < n; i++)
    if (cp_script(a[i]) != sc)
      return 0;
  return n > 0;
}

/* The length of the word a[0..n) with a genitive ending dropped. */
static int genitive_stem(const int32_t *a, int n)
{
  int cyr = word_is(a, n, SC_CYRILLIC), lat = !cyr && word_is(a, n, SC_LATIN);
  if (!cyr && !lat)
    return n;
  for (size_t i = 0; i < sizeof GENITIVE / sizeof *GENITIVE; i++) {
    const struct genitive *g = &GENITIVE[i];
    int gl = (int)strlen(g->z);
    if (g->z[0] & 0x80)
      gl /= 2; /* Cyrillic: two bytes a letter */
    if ((g->z[0] & 0x80) ? !cyr : !lat)
      continue;
    if (n - gl < g->min || cp_prefix(a + n - gl, gl, g->z) != gl)
      continue;
    if (g->after && a[n - gl - 1] != g->after)
      continue;
    return n - gl;
  }
  return n;
}

/* The name a[0..n) as compared: honorifics dropped, Mongolian genitives
 * as stems; returns the new length. */
static int compared_form(int32_t *a, int n)
{
  n = drop_honorifics(a, n);
  int o = 0, i = 0;
  while (i < n) {
    int j = i;
    while (j < n && a[j] != ' ')
      j++;
    int k = genitive_stem(a + i, j - i);
    if (o > 0)
      a[o++] = ' ';
    memmove(a + o, a + i, (size_t)k * sizeof *a);
    o += k;
    i = j + 1;
  }
  return o;
}

/* Parse the n bytes at z into *p. */
static void nm_parse(const char *z, size_t n, struct nm *p)
{
  struct cpvec v;
  cpvec_init(&v);
  memset(p->noff, 0, sizeof p->noff);
  memset(p->poff, 0, sizeof p->poff);
  memset(p->loff, 0, sizeof p->loff);
  memset(p->initial, 0, sizeof p->initial);
  p->ncp = p->ntok = p->script = 0;
  if (fold(z, n, &v) != 0 || v.n == 0) {
    cpvec_release(&v);
    return;
  }
  size_t ncp = v.n < CP_MAX ? v.n : CP_MAX;
  while (ncp > 0 && v.a[ncp - 1] == ' ')
    ncp--;
  memcpy(p->cp, v.a, ncp * sizeof *p->cp);
  ncp = (size_t)compared_form(p->cp, (int)ncp);
  p->ncp = (int)ncp;
  cpvec_release(&v);

  /* words */
  size_t i = 0, nn = 0, np = 0, nl = 0;
  int t = 0;
  while (i < ncp) {
    size_t j = i;
    while (j < ncp && p->cp[j] != ' ')
      j++;
    /* the words past TOK_MAX join the last one */
    int joined = t == TOK_MAX;
    if (joined)
      t = TOK_MAX - 1;
    char rd[4 * CP_MAX];
    struct out w = {rd, 0, sizeof rd};
    p->script |= read_word(p->cp + i, j - i, &w);
    memcpy(p->nat + nn, p->cp + i, (j - i) * sizeof *p->nat);
    nn += j - i;
    size_t k = phon_word(rd, w.n, p->ph + np, PH_MAX - np);
    for (size_t q = np; q < np + k; q++)
      p->co[q] = is_vsym(p->ph[q]) ? vclass(p->ph[q]) : p->ph[q];
    p->initial[t] = !joined && j - i == 1 && k == 1;
    for (size_t q = 0; q < w.n && nl < PH_MAX; q++)
      if (rd[q] >= 'a' && rd[q] <= 'z')
        p->lt[nl++] = rd[q];
    p->loff[t + 1] = (short)nl;
    np += k;
    p->noff[t + 1] = (short)nn;
    p->poff[t + 1] = (short)np;
    t++;
    i = j + 1;
  }
  p->ntok = t;
}

/*
 * Parsed names are memoised per thread: a registration compares the same
 * person with a few thousand candidates, so one side is nearly always the
 * one parsed last time. Three slots, so that the least recently used one
 * is never the name used in the previous call as well as in this one.
 */
#define NM_SLOTS 3

struct nm_slot {
  char key[IN_MAX + 1];
  size_t nkey;
  int bad; /* the rest of the name, past the key, is not UTF-8 */
  unsigned stamp;
  int used;
  struct nm nm;
};

static _Thread_local struct nm_slot g_slots[NM_SLOTS];
static _Thread_local unsigned g_stamp;

/* The parsed name z, from the memo or parsed into the least recently
 * used slot other than the one holding `keep`. */
static const struct nm *nm_get(const char *z, const struct nm *keep)
{
  size_t n = in_len(z);
  /* a name is all valid UTF-8 or nothing, also past what is looked at */
  int bad = z[n] != '\0' && !sws_utf8_valid(z + n, strlen(z + n));
  int i, victim = -1;
  for (i = 0; i < NM_SLOTS; i++) {
    struct nm_slot *s = &g_slots[i];
    if (s->used && s->nkey == n && s->bad == bad &&
        memcmp(s->key, z, n) == 0) {
      s->stamp = ++g_stamp;
      return &s->nm;
    }
  }
  for (i = 0; i < NM_SLOTS; i++) {
    struct nm_slot *s = &g_slots[i];
    if (&s->nm == keep)
      continue;
    if (victim < 0 || !s->used || s->stamp < g_slots[victim].stamp)
      victim = i;
  }
  struct nm_slot *s = &g_slots[victim];
  memcpy(s->key, z, n);
  s->key[n] = '\0';
  s->nkey = n;
  s->bad = bad;
  s->used = 1;
  s->stamp = ++g_stamp;
  nm_parse(s->key, bad ? 0 : n, &s->nm);
  return &s->nm;
}

/* ------------------------------------------------------------------ */
/* Public: fold, Latin reading, search text                           */
/* ------------------------------------------------------------------ */

char *name_fold(const char *zName)
{
  struct cpvec v;
  struct buf b = BUF_INIT;
  cpvec_init(&v);
  if (zName && fold(zName, strlen(zName), &v) == 0)
    put_utf8(&b, v.a, v.n);
  cpvec_release(&v);
  return buf_detach(&b, NULL);
}

int name_word_is(const char *zFold, const char *zWord)
{
  for (; *zFold && *zWord; zFold++, zWord++)
    if (*zFold != (*zWord == '-' || *zWord == '_' ? ' ' : *zWord))
      return 0;
  return *zFold == *zWord;
}

/* Latin reading of folded code points a[0..n) into b. */
static void latin_of(const int32_t *a, size_t n, struct buf *b)
{
  size_t i = 0;
  size_t cap = 6 * n + 16;
  char *rd = sws_malloc(cap);
  struct out w = {rd, 0, cap};
  while (i < n) {
    size_t j = i;
    while (j < n && a[j] != ' ')
      j++;
    size_t before = w.n;
    read_word(a + i, j - i, &w);
    if (w.n > before && w.n < w.cap && j < n)
      w.z[w.n++] = ' ';
    i = j + 1;
  }
  while (w.n > 0 && w.z[w.n - 1] == ' ')
    w.n--;
  buf_append(b, rd, w.n);
  free(rd);
}

char *name_latin(const char *zName)
{
  struct cpvec v;
  struct buf b = BUF_INIT;
  cpvec_init(&v);
  if (zName && fold(zName, strlen(zName), &v) == 0)
    latin_of(v.a, v.n, &b);
  cpvec_release(&v);
  return buf_detach(&b, NULL);
}

char *name_search_text(const char *zName)
{
  struct cpvec v;
  struct buf b = BUF_INIT, l = BUF_INIT;
  cpvec_init(&v);
  if (zName && fold(zName, strlen(zName), &v) == 0) {
    put_utf8(&b, v.a, v.n);
    latin_of(v.a, v.n, &l);
    if (l.n > 0 && strcmp(buf_str(&b), buf_str(&l)) != 0) {
      buf_puts(&b, " | ");
      buf_append(&b, l.z, l.n);
    }
  }
  cpvec_release(&v);
  buf_release(&l);
  return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* Blocking keys                                                       */
/* ------------------------------------------------------------------ */

#define KEY_MAX 40
#define KEYS_MAX 64

struct keyset {
  char k[KEYS_MAX][KEY_MAX];
  int n;
};

/* Add key a, sep, b (sep 0: none) unless present or too long. */
static void key_add(struct keyset *ks, const char *a, char sep, const char *b)
{
  char z[KEY_MAX];
  int k = sep ? snprintf(z, sizeof z, "%s%c%s", a, sep, b)
              : snprintf(z, sizeof z, "%s%s", a, b);
  if (k < 0 || k >= (int)sizeof z)
    return;
  for (int i = 0; i < ks->n; i++)
    if (strcmp(ks->k[i], z) == 0)
      return;
  if (ks->n < KEYS_MAX)
    memcpy(ks->k[ks->n++], z, strlen(z) + 1);
}

/*
 * Pair keys of words w[0..n) (skeletons; isinit[] for initials): every
 * word that is not an initial, with the first letter of every other word
 * ("skl^d") and with the last consonant of every other word that is not
 * an initial ("skl$r"). One typing slip changes the first or the last
 * letter of a word, not both, and never touches the other word.
 */
static void pair_keys(struct keyset *ks, char w[][KEY_MAX],
                      const int *isinit, int n)
{
  for (int i = 0; i < n; i++) {
    if (isinit[i] || w[i][0] == '\0' || strcmp(w[i], "V") == 0)
      continue;
    for (int j = 0; j < n; j++) {
      if (j == i || w[j][0] == '\0')
        continue;
      char f[2] = {w[j][0], 0};
      key_add(ks, w[i], '^', f);
      size_t l = strlen(w[j]);
      if (!isinit[j] && w[j][l - 1] != 'V') {
        char e[2] = {w[j][l - 1], 0};
        key_add(ks, w[i], '$', e);
      }
    }
  }
}

char *name_keys_json(const char *zName)
{
  const struct nm *p = nm_get(zName ? zName : "", NULL);
  struct keyset kset, *ks = &kset;
  char w[TOK_MAX][KEY_MAX] = {{0}};
  int isinit[TOK_MAX] = {0};
  int n = 0, t;
  ks->n = 0;

  if (p->poff[p->ntok] > 0) {
    /* whole name, spaces removed: spacing and zero-width differences.
       From the letters read as one word, as a name typed without spaces
       is read (Baatar Oyuunaa = BaatarOyuunaa) */
    char rd[PH_MAX], whole[KEY_MAX];
    int32_t ph[PH_MAX];
    size_t nrd = (size_t)p->loff[p->ntok];
    for (size_t q = 0; q < nrd; q++)
      rd[q] = (char)p->lt[q];
    size_t nph = phon_word(rd, nrd, ph, PH_MAX);
    if (skeleton(ph, nph, whole, sizeof whole) > 0)
      key_add(ks, "=", 0, whole);
    for (t = 0; t < p->ntok; t++) {
      size_t a = (size_t)p->poff[t], b = (size_t)p->poff[t + 1];
      if (b == a)
        continue;
      skeleton(p->ph + a, b - a, w[n], KEY_MAX);
      isinit[n] = p->initial[t];
      n++;
    }
    pair_keys(ks, w, isinit, n);
    /* three words or more: also as two (Srey Mom = Sreymom) */
    for (int cut = 1; n >= 3 && cut < n; cut++) {
      char w2[2][KEY_MAX];
      int init2[2] = {0, 0};
      int ta = -1, cnt = 0;
      for (t = 0; t < p->ntok; t++)
        if (p->poff[t + 1] > p->poff[t] && ++cnt == cut)
          ta = t;
      skeleton(p->ph, (size_t)p->poff[ta + 1], w2[0], KEY_MAX);
      skeleton(p->ph + p->poff[ta + 1],
               (size_t)(p->poff[p->ntok] - p->poff[ta + 1]), w2[1], KEY_MAX);
      pair_keys(ks, w2, init2, 2);
    }
  } else if (p->ncp > 0) {
    /* nothing readable in Latin letters: the folded name itself */
    struct buf b = BUF_INIT;
    put_utf8(&b, p->nat, (size_t)p->noff[p->ntok]);
    if (b.n + 2 <= KEY_MAX)
      key_add(ks, "=", 0, buf_str(&b));
    buf_release(&b);
  }

  struct buf j = BUF_INIT;
  buf_putc(&j, '[');
  for (int i = 0; i < ks->n; i++) {
    buf_puts(&j, i ? ",\"" : "\"");
    for (const char *c = ks->k[i]; *c; c++) {
      if (*c == '"' || *c == '\\')
        buf_putc(&j, '\\');
      buf_putc(&j, *c);
    }
    buf_putc(&j, '"');
  }
  buf_putc(&j, ']');
  return buf_detach(&j, NULL);
}

/* ------------------------------------------------------------------ */
/* Similarity                                                          */
/* ------------------------------------------------------------------ */

/*
 * Kinds of comparison: phon (spelling variants merged), coarse phon (two
 * vowel classes, across scripts), the letters of the Latin reading
 * (typing slips inside runs of vowels: Chea, Chae), Khmer code points,
 * and plain code points for other scripts.
 */
enum { M_PHON, M_COARSE, M_LETTER, M_KHMER, M_PLAIN };

static int is_vletter(int32_t c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
         c == 'y';
}

/* Khmer consonants that sound the same in a given position. */
static int kh_sound(int32_t c)
{
  switch (c) {
  case 0x1780: case 0x1782: return 1;           /* ក គ */
  case 0x1781: case 0x1783: return 2;           /* ខ ឃ */
  case 0x1785: case 0x1787: return 3;           /* ច ជ */
  case 0x1786: case 0x1788: return 4;           /* ឆ ឈ */
  case 0x178A: case 0x178C: return 5;           /* ដ ឌ */
  case 0x178B: case 0x178D: case 0x1790: case 0x1792: return 6; /* ថ ធ */
  case 0x178E: case 0x1793: return 7;           /* ណ ន */
  case 0x178F: case 0x1791: return 8;           /* ត ទ */
  case 0x1795: case 0x1797: return 9;           /* ផ ភ */
  case 0x179B: case 0x17A1: return 10;          /* ល ឡ */
  case 0x179D: case 0x179E: case 0x179F: return 11; /* ស */
  case 0x17B7: case 0x17B8: return 20;          /* ិ ី */
  case 0x17B9: case 0x17BA: return 21;          /* ឹ ឺ */
  case 0x17BB: case 0x17BC: return 22;          /* ុ ូ */
  case 0x17C1: case 0x17C2: return 23;          /* េ ែ */
  case 0x17C4: case 0x17C5: return 24;          /* ោ ៅ */
  default: return 0;
  }
}

static int kh_sign(int32_t c)
{
  return (c >= 0x17C9 && c <= 0x17D3) || c == 0x17DD || c == 0x17C7;
}

static int kh_dep_vowel(int32_t c)
{
  return c >= 0x17B6 && c <= 0x17C5;
}

/* A symbol with what its substitution cost depends on, worked out once
 * per word rather than once per cell of the distance table. */
struct sym {
  int32_t c;
  unsigned char v; /* vowel class 1 or 2 (letters: 1), Khmer sign 3 */
  unsigned char g; /* group of symbols that sound alike, or 0 */
};

static void classify(const int32_t *s, int n, int mode, struct sym *o)
{
  for (int i = 0; i < n; i++) {
    int32_t c = s[i];
    o[i].c = c;
    o[i].v = o[i].g = 0;
    if (mode == M_KHMER) {
      o[i].v = kh_sign(c) ? 3 : 0;
      o[i].g = (unsigned char)kh_sound(c);
    } else if (mode != M_PLAIN) {
      if (mode == M_LETTER ? is_vletter(c) : is_vsym(c))
        o[i].v = mode == M_LETTER ? 1 : vclass(c) == 'a' ? 1 : 2;
      switch (c) { /* voiced and voiceless alike */
      case 'k': case 'g': o[i].g = 1; break;
      case 't': case 'd': o[i].g = 2; break;
      case 'p': case 'b': o[i].g = 3; break;
      case 's': case 'z': o[i].g = 4; break;
      case 'c': case 'j': o[i].g = 5; break;
      case 'v': case 'f': o[i].g = 6; break;
      default: break;
      }
    }
  }
}

static double cost_sub(const struct sym *x, const struct sym *y, int mode)
{
  if (x->c == y->c)
    return 0;
  if (x->v && y->v) {
    if (mode == M_KHMER)
      return 0.3; /* one sign for another */
    /* another class of vowel is another name (Chantha, Chanthy): as dear
       as deleting one vowel and inserting the other; letters are not
       merged, so there any other vowel counts */
    return mode != M_LETTER && x->v == y->v ? 0.5 : 1.2;
  }
  if (x->g && x->g == y->g)
    return mode == M_KHMER ? (x->g >= 20 ? 0.5 : 0.4) : 0.6;
  return 1.0;
}

/* Cost of inserting or deleting s[i] of s[0..n). */
static double cost_indel(const int32_t *s, int n, int i, int mode)
{
  int32_t c = s[i];
  if ((i > 0 && s[i - 1] == c) || (i + 1 < n && s[i + 1] == c))
    return 0.3; /* a doubled letter */
  switch (mode) {
  case M_PHON:
  case M_COARSE:
  case M_LETTER:
    if (is_vsym(c) || (mode == M_LETTER && c == 'y'))
      return 0.6;
    if (c == 'h')
      return 0.3;
    if (c == 'y')
      return 0.6;
    return 0.75;
  case M_KHMER:
    if (c == KH_COENG || kh_sign(c))
      return 0.3;
    if (c == 0x17C6)
      return 0.6;
    if (kh_dep_vowel(c))
      return 0.7;
    return 0.8;
  default:
    return 1.0;
  }
}

/*
 * Similarity of two words a[0..n) and b[0..m) (classified symbols and the
 * cost of deleting each): 1 - (weighted optimal-string-alignment
 * distance) / norm. Words are cut at WORD_MAX symbols.
 */
static double word_sim(const struct sym *a, const double *dela, int n,
                       const struct sym *b, const double *delb, int m,
                       int mode, int norm)
{
  int i, j;
  if (n > WORD_MAX)
    n = WORD_MAX;
  if (m > WORD_MAX)
    m = WORD_MAX;
  if (n == 0 || m == 0)
    return n == m ? 1.0 : 0.0;
  if (n == m) {
    for (i = 0; i < n && a[i].c == b[i].c; i++)
      ;
    if (i == n)
      return 1.0;
  }
  double r0[WORD_MAX + 1], r1[WORD_MAX + 1], r2[WORD_MAX + 1];
  double *pp = r0, *p = r1, *c = r2; /* rows i-2, i-1, i */
  const double trans = mode == M_KHMER ? 0.4 : 0.5;
  p[0] = 0;
  for (j = 1; j <= m; j++)
    p[j] = p[j - 1] + delb[j - 1];
  for (i = 1; i <= n; i++) {
    c[0] = p[0] + dela[i - 1];
    for (j = 1; j <= m; j++) {
      double v = p[j - 1] + cost_sub(&a[i - 1], &b[j - 1], mode);
      double x = p[j] + dela[i - 1];
      double y = c[j - 1] + delb[j - 1];
      if (x < v)
        v = x;
      if (y < v)
        v = y;
      if (i > 1 && j > 1 && a[i - 1].c == b[j - 2].c &&
          a[i - 2].c == b[j - 1].c && a[i - 1].c != a[i - 2].c &&
          pp[j - 2] + trans < v)
        v = pp[j - 2] + trans;
      c[j] = v;
    }
    double *t = pp;
    pp = p;
    p = c;
    c = t;
  }
  double s = 1.0 - p[m] / (double)(norm > 0 ? norm : n > m ? n : m);
  return s < 0 ? 0 : s;
}

/* Words of one name as spans of a symbol array; len is the length an
 * edit distance is divided by (the sounds of the word, for letters). */
struct words {
  struct sym y[PH_MAX];  /* the symbols, classified */
  double del[PH_MAX];    /* the cost of deleting each */
  int off[TOK_MAX + 1];
  int len[TOK_MAX];
  int n;
  int init[TOK_MAX];
};

static void words_of(const struct nm *p, int mode, struct words *w)
{
  const short *off = mode == M_KHMER || mode == M_PLAIN ? p->noff
                     : mode == M_LETTER                  ? p->loff
                                                         : p->poff;
  const int32_t *s = mode == M_KHMER || mode == M_PLAIN ? p->nat
                     : mode == M_COARSE                  ? p->co
                     : mode == M_LETTER                  ? p->lt
                                                         : p->ph;
  w->n = 0;
  w->off[0] = 0;
  for (int t = 0; t < p->ntok; t++) {
    if (off[t + 1] == off[t])
      continue; /* nothing of this word in these symbols */
    w->off[w->n] = off[t];
    w->off[w->n + 1] = off[t + 1];
    w->len[w->n] = mode == M_LETTER ? p->poff[t + 1] - p->poff[t]
                                    : off[t + 1] - off[t];
    if (w->len[w->n] < 1)
      w->len[w->n] = 1;
    w->init[w->n] = p->initial[t];
    w->n++;
    int from = off[t], n = off[t + 1] - off[t];
    classify(s + from, n, mode, w->y + from);
    for (int i = 0; i < n; i++)
      w->del[from + i] = cost_indel(s + from, n, i, mode);
  }
}

/* Similarity of word (or joined words) a with b, initials considered. */
static double pair_sim(const struct words *wa, int from, int n, int ainit,
                       const struct words *wb, int bfrom, int m, int binit,
                       int mode, int norm, int *initial)
{
  const struct sym *a = wa->y + from, *b = wb->y + bfrom;
  *initial = 0;
  if (ainit != binit) {
    const struct sym *full = ainit ? b : a;
    const struct sym *one = ainit ? a : b;
    if (full->c == one->c ||
        (mode == M_KHMER && full->g && full->g == one->g)) {
      *initial = 1;
      return INITIAL_SIM;
    }
    return 0;
  }
  return word_sim(a, wa->del + from, n, b, wb->del + bfrom, m, mode, norm);
}

struct best {
  double score;
  int reordered, initial;
};

/* Score of k groups of a against the k words of b, best pairing. */
static void score_groups(const struct words *a, const int *cut, int k,
                         const struct words *b, int mode, struct best *out)
{
  double sim[TOK_MAX][TOK_MAX];
  int ini[TOK_MAX][TOK_MAX];
  int i, j;
  for (i = 0; i < k; i++) {
    int from = a->off[cut[i]], to = a->off[cut[i + 1]];
    int ainit = cut[i + 1] - cut[i] == 1 && a->init[cut[i]];
    int alen = 0;
    for (j = cut[i]; j < cut[i + 1]; j++)
      alen += a->len[j];
    for (j = 0; j < k; j++)
      sim[i][j] = pair_sim(a, from, to - from, ainit, b, b->off[j],
                           b->off[j + 1] - b->off[j], b->init[j], mode,
                           alen > b->len[j] ? alen : b->len[j], &ini[i][j]);
  }
  /* all pairings for up to 4 words, else in order */
  int perm[TOK_MAX];
  for (i = 0; i < k; i++)
    perm[i] = i;
  int first = 1;
  for (;;) {
    double sum = 0, min = 1;
    int anyinit = 0, moved = 0;
    for (i = 0; i < k; i++) {
      double s = sim[i][perm[i]];
      sum += s;
      if (s < min)
        min = s;
      anyinit |= ini[i][perm[i]];
      moved |= perm[i] != i;
    }
    /* the worst word counts most: a relative shares the family name */
    double s = 0.5 * (sum / k) + 0.5 * min;
    if (s > out->score + 1e-12 || (first && s >= out->score)) {
      out->score = s;
      out->reordered = moved;
      out->initial = anyinit;
    }
    first = 0;
    if (k > 4)
      break;
    /* next permutation (lexicographic) */
    int x = k - 2;
    while (x >= 0 && perm[x] > perm[x + 1])
      x--;
    if (x < 0)
      break;
    int y = k - 1;
    while (perm[y] < perm[x])
      y--;
    int t = perm[x];
    perm[x] = perm[y];
    perm[y] = t;
    for (i = x + 1, j = k - 1; i < j; i++, j--) {
      t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  }
}

/*
 * Best score of two names' words in one kind of symbols: the longer list
 * is joined into as many groups as the shorter has words (missing or
 * extra spaces), and the groups paired with the words in the best order.
 */
static void score_words(const struct nm *pa, const struct nm *pb, int mode,
                        struct best *out)
{
  struct words wa, wb;
  out->score = 0;
  out->reordered = out->initial = 0;
  words_of(pa, mode, &wa);
  words_of(pb, mode, &wb);
  if (wa.n == 0 || wb.n == 0)
    return;
  const struct words *lo = wa.n >= wb.n ? &wa : &wb;
  const struct words *sh = wa.n >= wb.n ? &wb : &wa;
  int k = sh->n, n = lo->n;
  /* every way of cutting n words into k groups: choose k-1 of n-1 gaps */
  for (unsigned mask = 0; mask < (1u << (n - 1)); mask++) {
    if (__builtin_popcount(mask) != k - 1)
      continue;
    int cut[TOK_MAX + 1], c = 0;
    cut[c++] = 0;
    for (int g = 0; g < n - 1; g++)
      if (mask & (1u << g))
        cut[c++] = g + 1;
    cut[c] = n;
    struct best b1 = {0, 0, 0};
    score_groups(lo, cut, k, sh, mode, &b1);
    if (b1.score > out->score)
      *out = b1;
  }
  /* the word break elsewhere (សុខស្រី មុំ, សុខ ស្រីមុំ): the whole names
     as one word each, in the typed order, counted only when near equal */
  if (wa.n >= 2 && wb.n >= 2) {
    int fa = wa.off[0], fb = wb.off[0];
    int na = wa.off[wa.n] - fa, nb = wb.off[wb.n] - fb, la = 0, lb = 0;
    for (int t = 0; t < wa.n; t++)
      la += wa.len[t];
    for (int t = 0; t < wb.n; t++)
      lb += wb.len[t];
    double js = word_sim(wa.y + fa, wa.del + fa, na, wb.y + fb, wb.del + fb, nb,
                         mode, la > lb ? la : lb);
    if (js >= JOINED_MIN && js * JOINED_SCALE > out->score) {
      out->score = js * JOINED_SCALE;
      out->reordered = out->initial = 0;
    }
  }
}

static int same_folded(const struct nm *a, const struct nm *b)
{
  return a->ncp == b->ncp &&
         memcmp(a->cp, b->cp, (size_t)a->ncp * sizeof *a->cp) == 0;
}

double name_similarity(const char *zA, const char *zB, struct name_sim *why)
{
  struct name_sim w = {0, 0, 0, 0};
  if (zA == NULL)
    zA = "";
  if (zB == NULL)
    zB = "";
  /* one order for both calls (a, b) and (b, a): symmetric by design */
  if (strcmp(zA, zB) > 0) {
    const char *t = zA;
    zA = zB;
    zB = t;
  }
  const struct nm *a = nm_get(zA, NULL);
  const struct nm *b = nm_get(zB, a);
  if (a->ncp == 0 || b->ncp == 0) {
    w.score = 0;
  } else if (same_folded(a, b)) {
    w.score = 1.0;
  } else {
    struct best r = {0, 0, 0};
    int pa = a->poff[a->ntok] > 0, pb = b->poff[b->ntok] > 0;
    if (a->script == SC_KHMER && b->script == SC_KHMER) {
      score_words(a, b, M_KHMER, &r);
      struct best rd;
      score_words(a, b, M_PHON, &rd);
      rd.score *= READING_SCALE * READING_SCALE;
      if (rd.score > r.score)
        r = rd;
    } else if (!pa || !pb || ((a->script | b->script) & SC_OTHER)) {
      score_words(a, b, M_PLAIN, &r);
    } else {
      struct best rl, rc;
      score_words(a, b, M_PHON, &r);
      score_words(a, b, M_LETTER, &rl);
      if (rl.score > r.score)
        r = rl;
      if (a->script != b->script) {
        score_words(a, b, M_COARSE, &rc);
        rc.score *= READING_SCALE;
        if (rc.score > r.score)
          r = rc;
        r.score *= CROSS_SCALE;
        w.cross_script = 1;
      }
    }
    w.score = r.score > NOT_IDENTICAL_MAX ? NOT_IDENTICAL_MAX : r.score;
    w.reordered = r.reordered;
    w.initial = r.initial;
  }
  if (why)
    *why = w;
  return w.score;
}

/* ------------------------------------------------------------------ */
/* SQL                                                                 */
/* ------------------------------------------------------------------ */

static void sql_fold(sqlite3_context *c, int n, sqlite3_value **v)
{
  (void)n;
  const char *z = (const char *)sqlite3_value_text(v[0]);
  char *r = name_search_text(z ? z : "");
  sqlite3_result_text(c, r, -1, free);
}

static void sql_keys(sqlite3_context *c, int n, sqlite3_value **v)
{
  (void)n;
  const char *z = (const char *)sqlite3_value_text(v[0]);
  char *r = name_keys_json(z ? z : "");
  sqlite3_result_text(c, r, -1, free);
}

int name_sql_register(sqlite3 *h)
{
  int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function(h, "sws_name_fold", 1, f, NULL, sql_fold, NULL,
                              NULL) != SQLITE_OK ||
      sqlite3_create_function(h, "sws_name_keys", 1, f, NULL, sql_keys, NULL,
                              NULL) != SQLITE_OK)
    return -1;
  return 0;
}
