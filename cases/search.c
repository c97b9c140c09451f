/*
 * search.c - the front-desk search box (see search.h).
 *
 * Order of attempts: a registration number; then a phone number or a
 * national ID (exact, normalised); then a registration number written with
 * spaces or nothing in place of its hyphens; then names: a substring search
 * on the folded name and its Latin reading (FTS5 trigram index), ranked in
 * C; if that finds nothing, the name keys of the duplicate check give a
 * fuzzy "did you mean" for names typed with a slip.
 */
#include "cases/search.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household.h"
#include "cases/name.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/memo.h"
#include "core/text.h"

struct acc {
  struct search_result *r;
  int nAlloc;
  int nLimit;
  int bBare;   /* hits carry the member only: households read in finish() */
};

void cases_search_release(struct search_result *r)
{
  free(r->a);
  r->a = NULL;
  r->n = 0;
}

/* Add a hit; finish() keeps one per household. */
static void add(struct acc *acc, const struct search_hit *h)
{
  struct search_result *r = acc->r;
  if (r->n == acc->nAlloc) {
    acc->nAlloc = acc->nAlloc ? 2 * acc->nAlloc : 16;
    r->a = sws_realloc(r->a, sizeof *r->a * (size_t)acc->nAlloc);
  }
  r->a[r->n++] = *h;
}

static int by_score(const void *a, const void *b)
{
  const struct search_hit *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  /* equals: the household registered first (ids are UUIDv7, in time
   * order), known before the household is read (fill_households) */
  int c = strcmp(x->zHouseholdId, y->zHouseholdId);
  return c ? c : x->line_no - y->line_no;
}

/* A hit and the order it came in, to keep one per household. */
struct ranked {
  const struct search_hit *h;
  int i;
};

static int by_household(const void *a, const void *b)
{
  const struct ranked *x = a, *y = b;
  int c = strcmp(x->h->zHouseholdId, y->h->zHouseholdId);
  if (c != 0)
    return c;
  if (x->h->score != y->h->score)
    return x->h->score < y->h->score ? 1 : -1;
  return x->i - y->i;
}

/* One hit per household: the best, the first among equals. Sorting, not
 * a scan per hit: a common name brings hundreds. Keeps the order. */
static void one_per_household(struct search_result *r)
{
  if (r->n < 2)
    return;
  struct ranked *a = sws_calloc((size_t)r->n, sizeof *a);
  char *keep = sws_calloc((size_t)r->n, 1);
  for (int i = 0; i < r->n; i++) {
    a[i].h = &r->a[i];
    a[i].i = i;
  }
  qsort(a, (size_t)r->n, sizeof *a, by_household);
  for (int i = 0; i < r->n; i++)
    if (i == 0 || strcmp(a[i].h->zHouseholdId, a[i - 1].h->zHouseholdId))
      keep[a[i].i] = 1;
  int n = 0;
  for (int i = 0; i < r->n; i++)
    if (keep[i])
      r->a[n++] = r->a[i];
  r->n = n;
  free(keep);
  free(a);
}

/* Name hits carry the member only. Read the households of those that can
 * still be shown: the ones within the penalty of a deactivated household
 * (0.05) of the last place; none below that can climb over them. */
static int fill_households(struct sws_ctx *ctx, struct acc *acc,
                           struct sws_err *err)
{
  struct search_result *r = acc->r;
  sqlite3_stmt *q = NULL;
  int rc = 0, n = r->n;
  if (n == 0)
    return 0;
  if (n > acc->nLimit) {
    double cut = r->a[acc->nLimit - 1].score - 0.05;
    n = acc->nLimit;
    while (n < r->n && r->a[n].score >= cut)
      n++;
  }
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT regno, area_code, status FROM household "
                       "WHERE id = :id",
                       err)) != 0)
    return rc;
  /* In score order; an active household keeps its score, so once nLimit
   * active ones are read, no unread hit can climb over them (common names
   * bring hundreds of equal scores: read 20, not all of them). */
  int i = 0, nDown = 0;
  for (; i < n && rc == 0 && i - nDown < acc->nLimit; i++) {
    struct search_hit *h = &r->a[i];
    db_bind_text(q, ":id", h->zHouseholdId);
    if ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
      sws_strlcpy(h->zRegno, db_col_str(q, 0), sizeof h->zRegno);
      sws_strlcpy(h->zArea, db_col_str(q, 1), sizeof h->zArea);
      sws_strlcpy(h->zStatus, db_col_str(q, 2), sizeof h->zStatus);
      if (strcmp(h->zStatus, "active") != 0) {
        h->score -= 0.05;
        nDown++;
      }
    }
    sqlite3_reset(q);
    rc = rc < 0 ? rc : 0;
  }
  db_done(ctx->db, q);
  r->n = i; /* the rest cannot be shown, and are counted below */
  if (n > 1)
    qsort(r->a, (size_t)n, sizeof *r->a, by_score);
  return rc;
}

static int finish(struct sws_ctx *ctx, struct acc *acc, struct sws_err *err)
{
  struct search_result *r = acc->r;
  int rc = 0, nAll;
  one_per_household(r);
  nAll = r->n;
  if (r->n > 1)
    qsort(r->a, (size_t)r->n, sizeof *r->a, by_score);
  if (acc->bBare)
    rc = fill_households(ctx, acc, err);
  if (nAll > acc->nLimit) {
    r->nMore += nAll - acc->nLimit;
    r->n = acc->nLimit;
  }
  return rc;
}

#define HIT_COLS                                                              \
  "h.id, h.regno, h.area_code, h.status, m.line_no, m.name, m.born, m.sex, " \
  "(SELECT name FROM member x WHERE x.household_id = h.id AND "             \
  " x.relationship = 'head' AND x.status = 'active') "
/* Name searches look at hundreds of candidates and show a few: they read
 * the member only, the household for those that can be shown
 * (fill_households) and the head's name for those shown (fill_heads). */
#define NAME_HIT_COLS "m.household_id, m.line_no, m.name, m.born, m.sex "

static void fill(sqlite3_stmt *q, int how, double score,
                 struct search_hit *h)
{
  memset(h, 0, sizeof *h);
  sws_strlcpy(h->zHouseholdId, db_col_str(q, 0), sizeof h->zHouseholdId);
  sws_strlcpy(h->zRegno, db_col_str(q, 1), sizeof h->zRegno);
  sws_strlcpy(h->zArea, db_col_str(q, 2), sizeof h->zArea);
  sws_strlcpy(h->zStatus, db_col_str(q, 3), sizeof h->zStatus);
  h->line_no = (int)db_col_int64(q, 4);
  sws_strlcpy(h->zMember, db_col_str(q, 5), sizeof h->zMember);
  sws_strlcpy(h->zBorn, db_col_str(q, 6), sizeof h->zBorn);
  h->sex = db_col_str(q, 7)[0];
  sws_strlcpy(h->zHead, db_col_str(q, 8), sizeof h->zHead);
  h->how = how;
  h->score = score;
  if (strcmp(h->zStatus, "active") != 0)
    h->score -= 0.05; /* deactivated households last among equals */
}

/* A name hit from a row of NAME_HIT_COLS. */
static void fill_bare(sqlite3_stmt *q, struct search_hit *h)
{
  memset(h, 0, sizeof *h);
  sws_strlcpy(h->zHouseholdId, db_col_str(q, 0), sizeof h->zHouseholdId);
  h->line_no = (int)db_col_int64(q, 1);
  sws_strlcpy(h->zMember, db_col_str(q, 2), sizeof h->zMember);
  sws_strlcpy(h->zBorn, db_col_str(q, 3), sizeof h->zBorn);
  h->sex = db_col_str(q, 4)[0];
  h->how = SEARCH_BY_NAME;
}

/* Run q (already bound) and add every row with a fixed score. */
static int collect(struct sws_ctx *ctx, sqlite3_stmt *q, int how,
                   double score, struct acc *acc, struct sws_err *err)
{
  int rc;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct search_hit h;
    fill(q, how, score, &h);
    if (h.line_no == 1)
      h.score += 0.001; /* the head first */
    add(acc, &h);
  }
  return rc < 0 ? rc : SWS_OK;
}

/* The heads' names of the hits shown that lack them (name searches). */
static int fill_heads(struct sws_ctx *ctx, struct search_result *r,
                      struct sws_err *err)
{
  sqlite3_stmt *q = NULL;
  int rc = 0;
  for (int i = 0; i < r->n && rc == 0; i++) {
    if (r->a[i].zHead[0])
      continue;
    if (q == NULL &&
        (rc = db_prepare(ctx->db, &q,
                         "SELECT name FROM member WHERE household_id = :id "
                         "AND relationship = 'head' AND status = 'active'",
                         err)) != 0)
      break;
    db_bind_text(q, ":id", r->a[i].zHouseholdId);
    rc = db_step(ctx->db, q, err);
    if (rc == DB_ROW)
      sws_strlcpy(r->a[i].zHead, db_col_str(q, 0), sizeof r->a[i].zHead);
    sqlite3_reset(q);
    rc = rc < 0 ? rc : 0;
  }
  db_done(ctx->db, q);
  return rc;
}

static int by_regno(struct sws_ctx *ctx, const char *zQuery, struct acc *acc,
                    struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  struct sws_err e = SWS_ERR_INIT;
  sqlite3_stmt *q;
  int rc = cases_household_resolve(ctx, zQuery, 0, zId, NULL, acc->r->zNote,
                                   &e);
  if (rc == SWS_ENOTFOUND) {
    sws_strlcpy(acc->r->zNote, e.msg, sizeof acc->r->zNote);
    return SWS_OK;
  }
  if (rc != 0)
    return sws_err_set(err, rc, "%s", e.msg);
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT " HIT_COLS "FROM household h JOIN member m ON "
                       "m.household_id = h.id AND m.relationship = 'head' "
                       "AND m.status = 'active' WHERE h.id = :id",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":id", zId);
  rc = collect(ctx, q, SEARCH_BY_REGNO, 1.0, acc, err);
  db_done(ctx->db, q);
  return rc;
}

/*
 * A registration number written as it is read off a receipt, with spaces,
 * dots or nothing in place of its hyphens: "KH12 000123 7", "kh12.000123.7",
 * "KH120001237". At least REGNO_LOOSE_DIGITS digits of sequence (receipts
 * print six), so that a name and a birth year ("Dara 1980") stay a name
 * search. Writes the hyphenated form to zOut and returns 1 when a household
 * of this office has that number; 0 when none has (the query is something
 * else); negative on a database error.
 */
#define REGNO_LOOSE_DIGITS 6
#define REGNO_LOOSE_MAX 64 /* ways of splitting a run-together number */

/* The n characters of zRun with a hyphen before character i, and with
 * bCheck one before the last (the check character); n + 3 <= the size. */
static void with_hyphens(char out[SWS_NUMBER_MAX], const char *zRun,
                         size_t n, size_t i, int bCheck)
{
  size_t k = 0;
  for (size_t j = 0; j < n; j++) {
    if (j == i || (bCheck && j == n - 1))
      out[k++] = '-';
    out[k++] = zRun[j];
  }
  out[k] = '\0';
}

static int regno_written_apart(struct sws_ctx *ctx, const char *zQ,
                               char zOut[SWS_NUMBER_MAX], struct sws_err *err)
{
  char zWords[SWS_NUMBER_MAX], zRun[SWS_NUMBER_MAX];
  char aCand[REGNO_LOOSE_MAX][SWS_NUMBER_MAX];
  size_t nW = 0, nR = 0;
  int nCand = 0, bSep = 0;
  for (const char *p = zQ; *p; p++) {
    int c = toupper((unsigned char)*p);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (nW + 3 > sizeof zWords)
        return 0;
      if (bSep && nW > 0)
        zWords[nW++] = '-';
      zWords[nW++] = (char)c;
      zRun[nR++] = (char)c;
      bSep = 0;
    } else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '_') {
      bSep = 1;
    } else {
      return 0; /* a letter of another script: a name */
    }
  }
  zWords[nW] = zRun[nR] = '\0';
  if (nR < 2 || nR + 3 > sizeof zRun || zRun[0] < 'A' || zRun[0] > 'Z')
    return 0;
  /* the separators as hyphens (keeps an office code like KH12-M1 whole) */
  sws_strlcpy(aCand[nCand++], zWords, SWS_NUMBER_MAX);
  /* all run together: every place the office code could end, the last
   * character a check character or not */
  for (size_t i = 1; i < nR && nCand + 2 <= REGNO_LOOSE_MAX; i++) {
    if (zRun[i] < '0' || zRun[i] > '9')
      continue;
    with_hyphens(aCand[nCand++], zRun, nR, i, 0);
    with_hyphens(aCand[nCand++], zRun, nR, i, 1);
  }
  /* a number whose check character fits first, then one without, then one
   * whose check character does not fit (resolve says so) */
  static const enum sws_number_status ORDER[] = {
      SWS_NUMBER_OK, SWS_NUMBER_NO_CHECK, SWS_NUMBER_BAD_CHECK};
  for (size_t o = 0; o < sizeof ORDER / sizeof ORDER[0]; o++) {
    for (int k = 0; k < nCand; k++) {
      struct sws_number num;
      struct sws_err e = SWS_ERR_INIT;
      if (sws_number_parse(aCand[k], &num) != ORDER[o] ||
          num.nSeqDigits < REGNO_LOOSE_DIGITS)
        continue;
      int rc = cases_household_resolve(ctx, aCand[k], 0, NULL, NULL, NULL, &e);
      if (rc == SWS_OK) {
        sws_strlcpy(zOut, aCand[k], SWS_NUMBER_MAX);
        return 1;
      }
      if (rc != SWS_ENOTFOUND)
        return sws_err_set(err, rc, "%s", e.msg);
    }
  }
  return 0;
}

/* Digits and the separators people type in phone numbers. */
static int phone_like(const char *z, int *nDigits)
{
  int n = 0;
  for (; *z; z++) {
    if (*z >= '0' && *z <= '9')
      n++;
    else if (!strchr("+ -.()", *z))
      return 0;
  }
  *nDigits = n;
  return n >= 6;
}

/* A stored phone number x written another way than the one asked for
 * (cases_phone_same), found by the index on its last 8 characters
 * (schema/office/0010). */
#define PHONE_SAME(x)                                                         \
  "substr(" x ", -8) = substr(:p, -8) AND " x " != '' AND "                 \
  "sws_phone_same(" x ", :p)"

static int by_phone_or_id(struct sws_ctx *ctx, const char *zQuery,
                          struct acc *acc, struct sws_err *err)
{
  char zPhone[SWS_PHONE_MAX + 1], zNid[SWS_NID_MAX + 1];
  sqlite3_stmt *q;
  int rc, nDigits;
  if (phone_like(zQuery, &nDigits) &&
      cases_phone_norm("phone", zQuery, zPhone, NULL) == 0 && zPhone[0]) {
    if ((rc = db_prepare(ctx->db, &q,
                         "SELECT " HIT_COLS "FROM member m JOIN household h "
                         "ON h.id = m.household_id WHERE " PHONE_SAME("m.phone")
                         " UNION ALL "
                         "SELECT " HIT_COLS "FROM household h JOIN member m "
                         "ON m.household_id = h.id AND m.relationship = "
                         "'head' AND m.status = 'active' WHERE "
                         PHONE_SAME("h.phone"),
                         err)) != 0)
      return rc;
    db_bind_text(q, ":p", zPhone);
    rc = collect(ctx, q, SEARCH_BY_PHONE, 0.95, acc, err);
    db_done(ctx->db, q);
    if (rc != 0)
      return rc;
  }
  if (cases_national_id_norm("ID", zQuery, zNid, NULL) == 0 && zNid[0] &&
      strpbrk(zNid, "0123456789")) {
    if ((rc = db_prepare(ctx->db, &q,
                         "SELECT " HIT_COLS "FROM member m JOIN household h "
                         "ON h.id = m.household_id WHERE m.national_id = :n",
                         err)) != 0)
      return rc;
    db_bind_text(q, ":n", zNid);
    rc = collect(ctx, q, SEARCH_BY_NATIONAL_ID, 0.97, acc, err);
    db_done(ctx->db, q);
    if (rc != 0)
      return rc;
  }
  return SWS_OK;
}

/* Split a folded string into words (in place); returns the count. */
static int words(char *z, char **az, int nMax)
{
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(z, " ", &save); t && n < nMax;
       t = strtok_r(NULL, " ", &save))
    az[n++] = t;
  return n;
}

/* How well the query words fit the name words: 1 all equal, 0.8 all
 * prefixes, 0.5 all substrings, else 0. */
static double word_fit(char **aq, int nq, char **an, int nn)
{
  double worst = 1.0;
  for (int i = 0; i < nq; i++) {
    double best = 0;
    for (int j = 0; j < nn; j++) {
      double s = 0;
      if (strcmp(aq[i], an[j]) == 0)
        s = 1.0;
      else if (strncmp(aq[i], an[j], strlen(aq[i])) == 0)
        s = 0.8;
      else if (strstr(an[j], aq[i]))
        s = 0.5;
      if (s > best)
        best = s;
    }
    if (best < worst)
      worst = best;
  }
  return worst;
}

/* Score a name against the query (folded and Latin forms). */
static double name_score(const char *zQFold, const char *zQLatin,
                         const char *zName)
{
  char *zNFold = name_fold(zName), *zNLatin = name_latin(zName);
  char *aq[16], *an[16];
  char *q1 = sws_strdup(zQFold), *n1 = sws_strdup(zNFold);
  char *q2 = sws_strdup(zQLatin), *n2 = sws_strdup(zNLatin);
  int nq1 = words(q1, aq, 16), nn1 = words(n1, an, 16);
  double fit = nq1 ? word_fit(aq, nq1, an, nn1) : 0;
  int nq2 = words(q2, aq, 16), nn2 = words(n2, an, 16);
  double fit2 = nq2 ? word_fit(aq, nq2, an, nn2) * 0.95 : 0;
  if (fit2 > fit)
    fit = fit2;
  double sim = name_similarity(zQFold, zName, NULL);
  double s = strcmp(zQFold, zNFold) == 0 ? 1.0 : 0.6 * fit + 0.35 * sim;
  free(zNFold);
  free(zNLatin);
  free(q1);
  free(n1);
  free(q2);
  free(n2);
  return s;
}

/* The three ways a name is looked up, cheapest first (by_name). */
enum name_pass {
  PASS_WORDS,     /* every query word is a whole word of the name */
  PASS_BEGINNING, /* ... or the beginning of one */
  PASS_INSIDE     /* ... or inside one (trigram index, 3 characters up) */
};

/* Append to b the match expression of pass for the words of z, all of
 * them required: `"w1" AND "w2"` (with * after each word for word
 * beginnings). The word index splits at ASCII spaces and punctuation
 * (tokenize=ascii), so the words are cut there too; the trigram index
 * can use words of 3 characters or more only. Returns how many words. */
static int match_expr(struct buf *b, const char *z, enum name_pass pass)
{
  char *copy = sws_strdup(z), *aw[16];
  int n = 0, used = 0;
  if (pass == PASS_INSIDE) {
    n = words(copy, aw, 16);
  } else {
    for (char *p = copy; *p && n < 16;) {
      while (*p && (unsigned char)*p < 0x80 && !isalnum((unsigned char)*p))
        p++;
      if (*p)
        aw[n++] = p;
      while (*p && ((unsigned char)*p >= 0x80 || isalnum((unsigned char)*p)))
        p++;
      if (*p) /* the word ends here, even when it is the last one taken */
        *p++ = '\0';
    }
  }
  for (int i = 0; i < n; i++) {
    if (pass == PASS_INSIDE && sws_utf8_len(aw[i]) < 3)
      continue;
    buf_appendf(b, "%s\"", used ? " AND " : "");
    for (const char *p = aw[i]; *p; p++) {
      if (*p == '"')
        buf_putc(b, '"');
      buf_putc(b, *p);
    }
    buf_puts(b, pass == PASS_BEGINNING ? "\"*" : "\"");
    used++;
  }
  free(copy);
  return used;
}

/* The expression for the folded query or its Latin reading; 0 when the
 * pass cannot use the query. */
static int pass_expr(struct buf *b, const char *zFold, const char *zLatin,
                     enum name_pass pass)
{
  struct buf b2 = BUF_INIT;
  buf_putc(b, '(');
  int n = match_expr(b, zFold, pass);
  buf_putc(b, ')');
  if (n > 0 && zLatin[0] && strcmp(zLatin, zFold) != 0 &&
      match_expr(&b2, zLatin, pass) > 0)
    buf_appendf(b, " OR (%s)", buf_str(&b2));
  buf_release(&b2);
  return n;
}

/* Does a recorded birth date fit the one typed (zTyped, "" for none)?
 * Either may be only the beginning of the other: "1975" fits 1975-01-17
 * and a person recorded as born in 1975 fits "1975-01-17". */
static int born_fits(const char *zTyped, const char *zBorn)
{
  size_t a = strlen(zTyped), b = strlen(zBorn);
  return a == 0 || (b >= 4 && strncmp(zTyped, zBorn, a < b ? a : b) == 0);
}

/* What a name pass found. */
struct pass_count {
  int nRows;     /* people who fit (the birth date too), at most
                  * SEARCH_NAME_CANDIDATES */
  int bMore;     /* more than that fit: the best of the first are shown */
  int bScanFull; /* with a birth date: more than SEARCH_BORN_SCAN have the
                  * name, and those after them were not looked at */
};

/* Run one pass and add what it finds, scored, of those born as zBorn
 * ("" for any). Without a date at most SEARCH_NAME_CANDIDATES names are
 * read; with one, up to SEARCH_BORN_SCAN, until that many fit. */
static int name_pass(struct sws_ctx *ctx, enum name_pass pass,
                     const char *zFold, const char *zLatin, const char *zBorn,
                     struct memo *memo, struct acc *acc,
                     struct pass_count *pc, struct sws_err *err)
{
  struct buf expr = BUF_INIT;
  sqlite3_stmt *q = NULL;
  int rc = 0, nScan = zBorn[0] ? SEARCH_BORN_SCAN : SEARCH_NAME_CANDIDATES;
  int nRead = 0;
  memset(pc, 0, sizeof *pc);
  if (pass_expr(&expr, zFold, zLatin, pass) == 0)
    goto done;
  if ((rc = db_prepare(ctx->db, &q,
                       pass == PASS_INSIDE
                           ? "SELECT " NAME_HIT_COLS "FROM member_fts f "
                             "JOIN member m ON m.rid = f.rowid "
                             "WHERE member_fts MATCH :q LIMIT :cap"
                           : "SELECT " NAME_HIT_COLS "FROM member_word f "
                             "JOIN member m ON m.rid = f.rowid "
                             "WHERE member_word MATCH :q LIMIT :cap",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":q", buf_str(&expr));
  /* one more than is read, to know whether there were more */
  db_bind_int64(q, ":cap", nScan + 1);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct search_hit h;
    double s;
    if (nRead++ == nScan) { /* the one more */
      if (zBorn[0])
        pc->bScanFull = 1;
      else
        pc->bMore = 1;
      break;
    }
    fill_bare(q, &h);
    if (!born_fits(zBorn, h.zBorn))
      continue;
    if (pc->nRows == SEARCH_NAME_CANDIDATES) {
      pc->bMore = 1;
      break;
    }
    pc->nRows++;
    /* common names come back many times: score each once */
    if (!memo_get(memo, h.zMember, &s)) {
      s = name_score(zFold, zLatin, h.zMember);
      memo_put(memo, h.zMember, s);
    }
    h.score += s;
    if (h.line_no == 1)
      h.score += 0.01;
    if (zBorn[0] && strcmp(zBorn, h.zBorn) == 0)
      h.score += 0.005; /* born on the very day typed */
    add(acc, &h);
  }
  rc = rc < 0 ? rc : 0;
done:
  db_done(ctx->db, q);
  buf_release(&expr);
  return rc;
}

/*
 * Names: whole words first, then word beginnings, then the middle of
 * words, each pass only while fewer households than asked for were found
 * (the middle of words, for a query of several words, only when nothing
 * was found).
 * A later pass finds only names that score lower (word_fit), so stopping
 * early loses nothing that would have been shown above what was found,
 * and the common case (a name typed whole or its beginning) never touches
 * the trigram index, the slow one at a million people.
 * zBorn ("" for none) keeps the people whose birth date fits it;
 * *pbScanFull is set when not all of the people of that name were looked
 * at for it.
 */
static int name_search(struct sws_ctx *ctx, const char *zQuery,
                       const char *zBorn, struct acc *acc, int *pbScanFull,
                       struct sws_err *err)
{
  char *zFold = name_fold(zQuery), *zLatin = name_latin(zQuery);
  struct memo memo = MEMO_INIT;
  struct pass_count pc = {0, 0, 0};
  sqlite3_stmt *q = NULL;
  int rc = 0, nFound0 = acc->r->n;
  char zWho[80] = ""; /* " born in 1975", for the notes */
  if (zBorn[0])
    snprintf(zWho, sizeof zWho, " born in %s", zBorn);
  if (zFold[0] == '\0') {
    rc = sws_err_set(err, SWS_EINVAL, "type part of a name, a registration "
                     "number, a national ID or a phone number");
    goto done;
  }
  int bOneWord = strchr(zFold, ' ') == NULL;
  for (enum name_pass pass = PASS_WORDS; pass <= PASS_INSIDE; pass++) {
    int nFound = acc->r->n - nFound0;
    /* several words typed, each a word or its beginning in some name: the
     * middle of words adds nothing the officer meant (and is the slow
     * index); one word may be the end of a compound name (ស្រីមុំ) */
    if (pass == PASS_INSIDE && nFound > 0 && !bOneWord)
      break;
    if ((rc = name_pass(ctx, pass, zFold, zLatin, zBorn, &memo, acc, &pc,
                        err)) != 0)
      goto done;
    if (pc.bMore || pc.bScanFull)
      break;
    one_per_household(acc->r);
    if (acc->r->n - nFound0 >= acc->nLimit)
      break;
  }
  if (pc.bMore)
    snprintf(acc->r->zNote, sizeof acc->r->zNote, "more than %d people%s "
             "match '%s'; type more of the name%s to narrow it down",
             SEARCH_NAME_CANDIDATES, zWho, zQuery,
             zBorn[0] ? "" : " or the birth year after it");
  else if (pc.bScanFull)
    snprintf(acc->r->zNote, sizeof acc->r->zNote, "more than %d people "
             "match '%s' and only the first %d were looked at for the birth "
             "date %s; type more of the name to narrow it down",
             SEARCH_BORN_SCAN, zQuery, SEARCH_BORN_SCAN, zBorn);

  if (acc->r->n == nFound0) {
    /* nothing: try the duplicate check's keys for a slip of the keyboard */
    char *zKeys = name_keys_json(zQuery);
    json_t *keys = json_loads(zKeys, 0, NULL);
    size_t i;
    json_t *k;
    if ((rc = db_prepare(ctx->db, &q,
                         "SELECT " NAME_HIT_COLS "FROM member_key k "
                         "JOIN member m ON m.rid = k.member_rid "
                         "WHERE k.key = :key AND (:year = 0 OR "
                         "k.birth_year = :year) LIMIT :cap",
                         err)) == 0) {
      json_array_foreach(keys, i, k)
      {
        db_bind_text(q, ":key", json_string_value(k));
        db_bind_int64(q, ":year", strtol(zBorn, NULL, 10));
        db_bind_int64(q, ":cap", SEARCH_NAME_CANDIDATES);
        while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
          struct search_hit h;
          fill_bare(q, &h);
          if (!born_fits(zBorn, h.zBorn))
            continue;
          double s = name_similarity(zQuery, h.zMember, NULL);
          if (s < 0.6)
            continue;
          h.score += 0.5 * s;
          add(acc, &h);
        }
        sqlite3_reset(q);
        if (rc < 0)
          break;
        rc = 0;
      }
      db_done(ctx->db, q);
      q = NULL;
    }
    if (pc.bScanFull)
      ; /* the note above says why the list may lack someone */
    else if (rc == 0 && acc->r->n > nFound0 && zBorn[0])
      snprintf(acc->r->zNote, sizeof acc->r->zNote, "no one%s has a name "
               "with '%s' in it; these names are close to it", zWho, zQuery);
    else if (rc == 0 && acc->r->n > nFound0)
      snprintf(acc->r->zNote, sizeof acc->r->zNote, "no name contains '%s'; "
               "these names are close to it", zQuery);
    json_decref(keys);
    free(zKeys);
  }
done:
  db_done(ctx->db, q);
  memo_release(&memo);
  free(zFold);
  free(zLatin);
  *pbScanFull = pc.bScanFull;
  return rc;
}

/* A word that is meant as a date: a year, or two or three runs of one,
 * two or four digits, one of four at either end, with one of '-', '/' or
 * '.' between them (1975-03-02, 1975.3.2, 02/03/1975; not 012-345-678). */
static int date_shaped(const char *z)
{
  int nPart = 0, nYear = 0, iYear = -1;
  char sep = 0;
  for (;;) {
    size_t k = 0;
    while (isdigit((unsigned char)z[k]))
      k++;
    if (k != 1 && k != 2 && k != 4)
      return 0;
    if (k == 4) {
      nYear++;
      iYear = nPart;
    }
    nPart++;
    z += k;
    if (*z == '\0')
      break;
    if ((*z != '-' && *z != '/' && *z != '.') || (sep && *z != sep) ||
        nPart == 3)
      return 0;
    sep = *z++;
  }
  return nYear == 1 && (iYear == 0 || iYear == nPart - 1);
}

/*
 * A name with a birth date among its words ("sok dara 1975", "1975-01
 * sok dara"): the other words into *pzName (caller frees), the date into
 * zBorn. Without a date, or with nothing but one, *pzName is the query and
 * zBorn "". SWS_EINVAL for two dates or one that cannot be a birth date.
 */
static int split_born(const char *zQuery, char **pzName, char *zBorn,
                      size_t nBorn, struct sws_err *err)
{
  struct buf name = BUF_INIT;
  char *copy = sws_strdup(zQuery), *save = NULL, *azDate[2] = {NULL, NULL};
  int rc = 0, nDate = 0;
  for (char *t = strtok_r(copy, " \t,;", &save); t;
       t = strtok_r(NULL, " \t,;", &save)) {
    if (date_shaped(t) && nDate < 2)
      azDate[nDate++] = t;
    else
      buf_appendf(&name, "%s%s", name.n ? " " : "", t);
  }
  zBorn[0] = '\0';
  if (name.n == 0 || nDate == 0) { /* a number alone is not a date */
    *pzName = sws_strdup(zQuery);
    goto done;
  }
  if (nDate > 1) {
    rc = sws_err_set(err, SWS_EINVAL, "type one birth date with the name, "
                     "not both '%s' and '%s'", azDate[0], azDate[1]);
    goto done;
  }
  char zDate[SWS_BORN_SIZE];
  if ((rc = sws_born_norm("the birth date", azDate[0], SWS_DATE_UNKNOWN,
                          NULL, zDate, err)) != 0 ||
      (rc = sws_born_check("the birth date", zDate, sws_now_ms(), NULL,
                           err)) != 0)
    goto done;
  sws_strlcpy(zBorn, zDate, nBorn);
  *pzName = buf_detach(&name, NULL);
done:
  buf_release(&name);
  free(copy);
  return rc;
}

/*
 * A name, perhaps with a birth date to tell namesakes apart. When no one
 * of that name was born then (dates are often remembered a year off), the
 * people of that name born at other dates are shown, with a note.
 */
static int by_name(struct sws_ctx *ctx, const char *zQuery, struct acc *acc,
                   struct sws_err *err)
{
  char *zName = NULL, zBorn[11];
  int nFound0 = acc->r->n, bScanFull = 0;
  int rc = split_born(zQuery, &zName, zBorn, sizeof zBorn, err);
  if (rc != 0)
    return rc;
  rc = name_search(ctx, zName, zBorn, acc, &bScanFull, err);
  if (rc == 0 && zBorn[0] && !bScanFull && acc->r->n == nFound0) {
    char zNote[sizeof acc->r->zNote];
    snprintf(zNote, sizeof zNote, "no one named '%s' was born in %s; shown: "
             "people of that name, or a close one, born at other dates",
             zName, zBorn);
    rc = name_search(ctx, zName, "", acc, &bScanFull, err);
    if (rc == 0 && acc->r->n > nFound0)
      sws_strlcpy(acc->r->zNote, zNote, sizeof acc->r->zNote);
  }
  free(zName);
  return rc;
}

int cases_search(struct sws_ctx *ctx, const char *zQuery, int nLimit,
                 struct search_result *out, struct sws_err *err)
{
  struct acc acc = {out, 0, nLimit, 0};
  struct sws_number num;
  char *zQ = NULL;
  int rc;
  memset(out, 0, sizeof *out);
  if (nLimit < 1 || nLimit > 500)
    return sws_err_set(err, SWS_EINVAL, "the limit must be 1 to 500");
  if ((rc = sws_text_check("the search", zQuery, 200, 0, err)) != 0)
    return rc;
  {
    /* a phone, an ID or a number typed in Khmer digits */
    char *zTrim = sws_trim(zQuery);
    zQ = sws_digits_ascii(zTrim);
    free(zTrim);
  }
  if (zQ[0] == '\0') {
    rc = sws_err_set(err, SWS_EINVAL, "type part of a name, a registration "
                     "number, a national ID or a phone number");
    goto done;
  }
  if (sws_number_parse(zQ, &num) != SWS_NUMBER_MALFORMED) {
    rc = by_regno(ctx, zQ, &acc, err);
    goto done;
  }
  if ((rc = by_phone_or_id(ctx, zQ, &acc, err)) != 0)
    goto done;
  if (out->n == 0) {
    int nDigits;
    char zRegno[SWS_NUMBER_MAX];
    if (phone_like(zQ, &nDigits)) {
      snprintf(out->zNote, sizeof out->zNote, "no phone number or national "
               "ID '%s' in this office", zQ);
    } else if ((rc = regno_written_apart(ctx, zQ, zRegno, err)) != 0) {
      if (rc > 0)
        rc = by_regno(ctx, zRegno, &acc, err);
    } else {
      acc.bBare = 1;
      rc = by_name(ctx, zQ, &acc, err);
    }
  }
done:
  if (rc == 0)
    rc = finish(ctx, &acc, err);
  if (rc == 0)
    rc = fill_heads(ctx, out, err);
  free(zQ);
  return rc;
}
