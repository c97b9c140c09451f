/*
 * test_suppress.c - cell suppression of count tables: the primary rule
 * (zero shown), the lone-cell rule in one equation and across a small area
 * hierarchy, the exact check where overlapping equations pin a cell, zeros
 * that pin shown again, bad input refused with the equation named, the
 * same input giving the same result, and random tables checked by brute
 * force: no hidden cell has one possible value.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cases/suppress.h"
#include "support.h"

/* Add n cells to a new table: they get the indices 0, 1, ... */
static void add_cells(struct suppress_table *t, const int64_t *aVal, int n)
{
  for (int j = 0; j < n; j++)
    CU_ASSERT_EQUAL(suppress_cell(t, aVal[j]), j);
}

/* The cells hidden, as a string of '.' (shown) and the why digit. */
static const char *pattern(const struct suppress_table *t, int n)
{
  static char z[64];
  for (int i = 0; i < n && i < (int)sizeof z - 1; i++)
    z[i] = suppress_is_hidden(t, i) ? (char)('0' + suppress_why(t, i)) : '.';
  z[n < (int)sizeof z - 1 ? n : (int)sizeof z - 1] = '\0';
  return z;
}

static void test_suppress__primary_only(void)
{
  struct suppress_table *t = suppress_new();
  int64_t a[] = {0, 3, 5, 12};
  add_cells(t, a, 4);
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, 4), ".1..");
  CU_ASSERT_FALSE(suppress_is_hidden(t, 0)); /* zero: nobody */
  CU_ASSERT_EQUAL(suppress_hidden_count(t), 1);
  suppress_free(t);
}

static void test_suppress__lone_cell_in_a_row(void)
{
  struct suppress_table *t = suppress_new();
  int64_t a[] = {3, 10, 20, 33};
  add_cells(t, a, 4);
  int parts[] = {0, 1, 2};
  T_OK(suppress_sum(t, 3, parts, 3, &t_err));
  T_OK(suppress_apply(t, 5, &t_err));
  /* 3 primary, 10 its complement (smallest other part), total shown */
  CU_ASSERT_STRING_EQUAL(pattern(t, 4), "12..");
  CU_ASSERT_EQUAL(suppress_hidden_count(t), 2);
  suppress_free(t);
}

/* Equations as a test keeps them, to check the result against. */
struct eqs {
  int n;
  int aLen[40];
  int a[40][8]; /* total first */
};

static void eq_add(struct suppress_table *t, struct eqs *q, int iTotal,
                   const int *aPart, int nPart)
{
  T_OK(suppress_sum(t, iTotal, aPart, nPart, &t_err));
  q->a[q->n][0] = iTotal;
  memcpy(&q->a[q->n][1], aPart, (size_t)nPart * sizeof *aPart);
  q->aLen[q->n++] = nPart + 1;
}

/* No equation has exactly one hidden cell. */
static int lone_free(const struct suppress_table *t, const struct eqs *q)
{
  for (int e = 0; e < q->n; e++) {
    int n = 0;
    for (int p = 0; p < q->aLen[e]; p++)
      n += suppress_is_hidden(t, q->a[e][p]);
    if (n == 1)
      return 0;
  }
  return 1;
}

/*
 * A commune of two villages by sex. V1's 3 women are hidden, so V1's men
 * (the village sum), which leaves the commune's women and men sums with
 * one hidden cell each: V2's women and men go too. The totals stay shown:
 * the four hidden cells make a rectangle that can shift by one.
 */
static void test_suppress__villages_chain(void)
{
  enum { V1F, V1M, V1T, V2F, V2M, V2T, CF, CM, CT, N };
  int64_t a[N] = {3, 20, 23, 8, 30, 38, 11, 50, 61};
  struct suppress_table *t = suppress_new();
  struct eqs q = {0};
  add_cells(t, a, N);
  eq_add(t, &q, V1T, (int[]){V1F, V1M}, 2);
  eq_add(t, &q, V2T, (int[]){V2F, V2M}, 2);
  eq_add(t, &q, CF, (int[]){V1F, V2F}, 2);
  eq_add(t, &q, CM, (int[]){V1M, V2M}, 2);
  eq_add(t, &q, CT, (int[]){CF, CM}, 2);
  eq_add(t, &q, CT, (int[]){V1T, V2T}, 2);
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, N), "12.22....");
  CU_ASSERT_TRUE(lone_free(t, &q));
  /* a fixed point: running again changes nothing */
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, N), "12.22....");
  suppress_free(t);
}

/*
 * Three hidden cells a, b, c with a+b, a+c and b+c shown: every equation
 * has two hidden cells, yet a = (5 + 7 - 6) / 2. The exact check hides the
 * smallest shown cell of a's equations, a+b (5).
 */
static void test_suppress__odd_cycle_is_caught(void)
{
  enum { A, B, C, AB, AC, BC, N };
  int64_t v[N] = {3, 2, 4, 5, 7, 6};
  struct suppress_table *t = suppress_new();
  struct eqs q = {0};
  add_cells(t, v, N);
  eq_add(t, &q, AB, (int[]){A, B}, 2);
  eq_add(t, &q, AC, (int[]){A, C}, 2);
  eq_add(t, &q, BC, (int[]){B, C}, 2);
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, N), "1113..");
  suppress_free(t);
}

/*
 * A zero is hidden as a complement only while it can move: in
 * 13 = a + z + b the 3 in a gets the zero z as its complement, but
 * 0 = z + w then has z alone, pinned at 0. z is shown again, for good (it
 * is nobody), and a gets b (10) instead.
 */
static void test_suppress__lone_zero_is_shown_again(void)
{
  enum { A, Z, T, W, ZW, B, N };
  int64_t v[N] = {3, 0, 13, 0, 0, 10};
  struct suppress_table *t = suppress_new();
  struct eqs q = {0};
  add_cells(t, v, N);
  eq_add(t, &q, T, (int[]){A, Z, B}, 3);
  eq_add(t, &q, ZW, (int[]){Z, W}, 2);
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, N), "1....2");
  CU_ASSERT_TRUE(lone_free(t, &q));
  suppress_free(t);
}

/* An R x C grid: cells x (row by row), then the row totals, the column
 * totals and the grand total, with their equations. */
static void grid(struct suppress_table *t, struct eqs *q, const int64_t *x,
                 int R, int C)
{
  int64_t a[16] = {0};
  int n = R * C, iRow = n, iCol = n + R, iG = n + R + C, aPart[3];
  for (int j = 0; j < n; j++) {
    a[j] = x[j];
    a[iRow + j / C] += x[j];
    a[iCol + j % C] += x[j];
    a[iG] += x[j];
  }
  add_cells(t, a, iG + 1);
  for (int r = 0; r < R; r++) {
    for (int c = 0; c < C; c++)
      aPart[c] = r * C + c;
    eq_add(t, q, iRow + r, aPart, C);
  }
  for (int c = 0; c < C; c++) {
    for (int r = 0; r < R; r++)
      aPart[r] = r * C + c;
    eq_add(t, q, iCol + c, aPart, R);
  }
  eq_add(t, q, iG, (int[]){iRow, iRow + 1, iRow + 2}, R);
  eq_add(t, q, iG, (int[]){iCol, iCol + 1, iCol + 2}, C);
}

/*
 *   12  0  4 | 16     The 4s are hidden, the zeros as their complements
 *   11  0  4 | 15     (smallest parts of their rows): every equation has
 *   ---------+---     two hidden cells. But the middle column adds up to
 *   23  0  8 | 31     0, which pins both zeros, and so both 4s. The exact
 * check shows the zeros again, and the rows take the 12 and the 11.
 */
static void test_suppress__pinned_zeros_are_shown_again(void)
{
  int64_t x[] = {12, 0, 4, 11, 0, 4};
  struct suppress_table *t = suppress_new();
  struct eqs q = {0};
  grid(t, &q, x, 2, 3);
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, 12), "2.12.1......");
  suppress_free(t);
}

/* --- brute force -------------------------------------------------------- */

#define BF_CELLS 40
#define BF_AREAS 10
#define BF_NODES 2000000L

/* A table, its hidden cells, and an exhaustive search of the solutions. */
struct bf {
  int nCell;
  int64_t aVal[BF_CELLS];
  int aHidden[BF_CELLS];
  struct eqs q;
  int64_t bound; /* the grand total */
  int64_t x[BF_CELLS];
  int aSet[BF_CELLS];
  int aMoved[BF_CELLS]; /* seen at another value than its own */
  int nLeft;            /* hidden cells not yet seen to move */
  long nNode;
};

static uint32_t rnd(uint32_t *pSeed)
{
  *pSeed = *pSeed * 1103515245u + 12345u;
  return *pSeed >> 16;
}

/* Equation e: the one unset cell's value, if there is exactly one (in
 * *pI, *pV); 1 if so, 0 if none is unset and it holds, 2 if more are
 * unset, -1 if it fails. */
static int bf_eq(const struct bf *b, int e, int *pI, int64_t *pV)
{
  const int *a = b->q.a[e];
  int nUnset = 0, iUnset = -1;
  int64_t parts = 0;
  for (int p = 0; p < b->q.aLen[e]; p++)
    if (!b->aSet[a[p]]) {
      nUnset++;
      iUnset = p;
    } else if (p > 0)
      parts += b->x[a[p]];
  if (parts > (b->aSet[a[0]] ? b->x[a[0]] : b->bound))
    return -1; /* the unset parts would have to be negative */
  if (nUnset > 1)
    return 2;
  if (nUnset == 0)
    return b->x[a[0]] == parts ? 0 : -1;
  *pI = a[iUnset];
  *pV = iUnset == 0 ? parts : b->x[a[0]] - parts;
  return 1;
}

/* Set every cell an equation leaves one value to (on the trail); 0 if an
 * equation fails or a value is out of 0..bound. */
static int bf_force(struct bf *b, int *aTrail, int *pnTrail)
{
  int bChanged = 1;
  while (bChanged) {
    bChanged = 0;
    for (int e = 0; e < b->q.n; e++) {
      int i;
      int64_t v;
      int rc = bf_eq(b, e, &i, &v);
      if (rc < 0)
        return 0;
      if (rc != 1)
        continue;
      if (v < 0 || v > b->bound)
        return 0;
      b->x[i] = v;
      b->aSet[i] = 1;
      aTrail[(*pnTrail)++] = i;
      bChanged = 1;
    }
  }
  return 1;
}

static void bf_solution(struct bf *b)
{
  for (int i = 0; i < b->nCell; i++)
    if (b->aHidden[i] && !b->aMoved[i] && b->x[i] != b->aVal[i]) {
      b->aMoved[i] = 1;
      b->nLeft--;
    }
}

/* The unset cell to try values for: one of the equation with the fewest
 * unset cells, so that the others follow soon; nCell if all are set. */
static int bf_next(const struct bf *b)
{
  int iBest = b->nCell, nBest = BF_CELLS + 1;
  for (int e = 0; e < b->q.n; e++) {
    int n = 0, i = b->nCell;
    for (int p = 0; p < b->q.aLen[e]; p++)
      if (!b->aSet[b->q.a[e][p]]) {
        n++;
        i = i < b->nCell ? i : b->q.a[e][p];
      }
    if (n > 0 && n < nBest) {
      nBest = n;
      iBest = i;
    }
  }
  return iBest;
}

/* Every assignment of 0..bound to the unset hidden cells that satisfies
 * every equation; stops once every hidden cell has moved. */
static void bf_search(struct bf *b)
{
  if (b->nLeft == 0 || ++b->nNode > BF_NODES)
    return;
  int aTrail[BF_CELLS], nTrail = 0;
  if (bf_force(b, aTrail, &nTrail)) {
    int i = bf_next(b);
    if (i == b->nCell)
      bf_solution(b);
    for (int64_t v = 0; i < b->nCell && v <= b->bound && b->nLeft; v++) {
      b->x[i] = v;
      b->aSet[i] = 1;
      bf_search(b);
      b->aSet[i] = 0;
    }
  }
  while (nTrail > 0)
    b->aSet[aTrail[--nTrail]] = 0;
}

/*
 * A table of random counts 0..vMax by area and by nB breakdown values:
 * each area's total is the sum of its breakdown cells, each parent's cell
 * the sum of its children's for the same value (and for the total). Area
 * 0 is the whole; with nMid > 0 it has nMid communes of nLeaf villages
 * each, else nLeaf villages of its own. Cell nB of area a is its total.
 */
static void bf_table(struct bf *b, struct suppress_table *t, int nMid,
                     int nLeaf, int nB, int vMax, uint32_t *pSeed)
{
  int aParent[BF_AREAS], nArea = 1, aPart[BF_AREAS], w = nB + 1;
  aParent[0] = -1;
  for (int m = 0; m < nMid; m++)
    aParent[nArea++] = 0;
  for (int m = 0; m < (nMid ? nMid : 1); m++)
    for (int l = 0; l < nLeaf; l++)
      aParent[nArea++] = nMid ? 1 + m : 0;
  memset(b, 0, sizeof *b);
  b->nCell = nArea * w;
  /* children come after their parent: add each area up into it */
  for (int a = nArea - 1; a >= 0; a--) {
    int64_t *v = &b->aVal[a * w];
    if (a >= 1 + nMid)
      for (int c = 0; c < nB; c++) {
        v[c] = (int64_t)(rnd(pSeed) % (uint32_t)(vMax + 1));
        v[nB] += v[c];
      }
    for (int c = 0; a > 0 && c < w; c++)
      b->aVal[aParent[a] * w + c] += v[c];
  }
  b->bound = b->aVal[nB];
  add_cells(t, b->aVal, b->nCell);
  for (int a = 0; a < nArea; a++) {
    for (int c = 0; c < nB; c++)
      aPart[c] = a * w + c;
    eq_add(t, &b->q, a * w + nB, aPart, nB);
    for (int c = 0; c < w; c++) {
      int n = 0;
      for (int ch = a + 1; ch < nArea; ch++)
        if (aParent[ch] == a)
          aPart[n++] = ch * w + c;
      if (n > 0)
        eq_add(t, &b->q, a * w + c, aPart, n);
    }
  }
}

/*
 * Many small random tables, flat (2-3 areas by 2-3 values) or a tree (2
 * communes of 2-3 villages by 2-3 values): every small count is hidden,
 * and, over the solutions the brute force finds (the true values are one;
 * it stops once every hidden cell has been seen at another value), every
 * hidden cell takes two values. Counts up to 4 in a third of the tables
 * hide most of them, zeros too.
 */
static void test_suppress__brute_force(void)
{
  uint32_t seed = 20240611;
  int nComplement = 0, nExact = 0;
  for (int n = 0; n < 3000; n++) {
    int nMid = n % 2 ? 2 : 0, nB = 2 + (int)(rnd(&seed) % 2);
    int nLeaf = 2 + (int)(rnd(&seed) % 2), vMax = n % 3 == 0 ? 4 : 12;
    struct bf b;
    struct suppress_table *t = suppress_new();
    bf_table(&b, t, nMid, nLeaf, nB, vMax, &seed);
    T_OK(suppress_apply(t, 5, &t_err));
    for (int i = 0; i < b.nCell; i++) {
      b.aHidden[i] = suppress_is_hidden(t, i);
      if (b.aVal[i] > 0 && b.aVal[i] < 5)
        CU_ASSERT_EQUAL(suppress_why(t, i), SUPPRESS_PRIMARY);
      nComplement += suppress_why(t, i) == SUPPRESS_COMPLEMENT;
      nExact += suppress_why(t, i) == SUPPRESS_EXACT;
      b.aSet[i] = !b.aHidden[i];
      b.x[i] = b.aVal[i];
      b.nLeft += b.aHidden[i];
    }
    CU_ASSERT_TRUE(lone_free(t, &b.q));
    bf_search(&b);
    if (b.nLeft != 0) {
      fprintf(stderr, "\n  table %d (%d %d %d): %d cells pinned%s: %s\n", n,
              nMid, nLeaf, nB, b.nLeft,
              b.nNode > BF_NODES ? " (search cut)" : "", pattern(t, b.nCell));
      CU_FAIL("a hidden cell is recoverable");
    }
    suppress_free(t);
  }
  /* the tables exercised both complementary steps */
  CU_ASSERT_TRUE(nComplement > 0);
  CU_ASSERT_TRUE(nExact > 0);
}

/* --- bad input ---------------------------------------------------------- */

/* rc is an error whose message has zWant. */
static void refused(int rc, const struct sws_err *err, const char *zWant)
{
  CU_ASSERT_EQUAL(rc, SWS_EINVAL);
  if (strstr(err->msg, zWant) == NULL) {
    fprintf(stderr, "\n  message \"%s\" lacks \"%s\"\n", err->msg, zWant);
    CU_FAIL("message");
  }
}

static void test_suppress__bad_input(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct suppress_table *t = suppress_new();
  int64_t a[] = {3, 10, 13, 20};
  add_cells(t, a, 4);
  T_OK(suppress_sum(t, 2, (int[]){0, 1}, 2, &t_err));
  refused(suppress_sum(t, 2, (int[]){0, 9}, 2, &err), &err,
          "equation 1 names cell 9, but the table has cells 0 to 3");
  refused(suppress_sum(t, -1, (int[]){0, 1}, 2, &err), &err,
          "equation 1 names cell -1");
  refused(suppress_sum(t, 2, (int[]){0}, 0, &err), &err,
          "equation 1 has 0 parts; a sum needs at least one");
  refused(suppress_sum(t, 2, NULL, 2, &err), &err, "equation 1 has 0 parts");
  refused(suppress_sum(t, 2, (int[]){0, 0}, 2, &err), &err,
          "equation 1 names cell 0 twice");
  refused(suppress_sum(t, 2, (int[]){2}, 1, &err), &err,
          "equation 1 names cell 2 twice");
  refused(suppress_sum(t, 3, (int[]){0, 1}, 2, &err), &err,
          "equation 1 does not add up: its parts make 13, its total (cell 3) "
          "is 20");
  refused(suppress_apply(t, 0, &err), &err, "k is 0; it must be at least 1");
  /* the refused equations were not added */
  T_OK(suppress_apply(t, 5, &t_err));
  CU_ASSERT_STRING_EQUAL(pattern(t, 4), "12..");

  int iNeg = suppress_cell(t, -2);
  refused(suppress_sum(t, 2, (int[]){0, iNeg}, 2, &err), &err,
          "equation 1: cell 4 has a negative count (-2)");
  refused(suppress_apply(t, 5, &err), &err, "cell 4 has a negative count (-2)");
  suppress_free(t);

  t = suppress_new();
  suppress_cell(t, SUPPRESS_MAX_VALUE + 1);
  refused(suppress_apply(t, 5, &err), &err, "cell 0 has the count");
  suppress_free(t);

  t = suppress_new();
  refused(suppress_sum(t, 0, (int[]){1}, 1, &err), &err,
          "equation 0 names cell 0, but the table has no cells");
  suppress_free(t);
}

/* The same input gives the same hidden cells, whichever table and however
 * often it is run; another k gives another result from scratch. */
static void test_suppress__deterministic(void)
{
  uint32_t seed = 7;
  char zFirst[64];
  for (int n = 0; n < 20; n++) {
    struct bf b1, b2;
    uint32_t s1 = seed, s2 = seed;
    struct suppress_table *t1 = suppress_new(), *t2 = suppress_new();
    bf_table(&b1, t1, 2, 2, 2, 8, &s1);
    bf_table(&b2, t2, 2, 2, 2, 8, &s2);
    seed = s1;
    T_OK(suppress_apply(t1, 5, &t_err));
    snprintf(zFirst, sizeof zFirst, "%s", pattern(t1, b1.nCell));
    T_OK(suppress_apply(t1, 20, &t_err));
    T_OK(suppress_apply(t1, 5, &t_err));
    CU_ASSERT_STRING_EQUAL(pattern(t1, b1.nCell), zFirst);
    T_OK(suppress_apply(t2, 5, &t_err));
    CU_ASSERT_STRING_EQUAL(pattern(t2, b2.nCell), zFirst);
    suppress_free(t1);
    suppress_free(t2);
  }
}

static CU_TestInfo tests[] = {
    {"test_suppress__primary_only", test_suppress__primary_only},
    {"test_suppress__lone_cell_in_a_row", test_suppress__lone_cell_in_a_row},
    {"test_suppress__villages_chain", test_suppress__villages_chain},
    {"test_suppress__odd_cycle_is_caught", test_suppress__odd_cycle_is_caught},
    {"test_suppress__lone_zero_is_shown_again",
     test_suppress__lone_zero_is_shown_again},
    {"test_suppress__pinned_zeros_are_shown_again",
     test_suppress__pinned_zeros_are_shown_again},
    {"test_suppress__brute_force", test_suppress__brute_force},
    {"test_suppress__bad_input", test_suppress__bad_input},
    {"test_suppress__deterministic", test_suppress__deterministic},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_suppress = {"suppress", NULL, NULL, NULL, NULL, tests};
