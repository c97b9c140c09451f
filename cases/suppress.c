/*
 * suppress.c - primary and complementary cell suppression of count tables
 * (see suppress.h).
 *
 * An equation is stored as its cells, total first, and read as
 * total - sum of parts = 0: each cell has the sign +1 (the total) or -1 (a
 * part). With the shown cells moved to the right-hand side, an equation
 * over the hidden cells is sum(sign * x) = c.
 */
#include "cases/suppress.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* Equation visits of bounds propagation per search node, per equation of
 * the search: on a cycle of equations the bounds can creep by one per
 * round; stopping early is only weaker pruning (every leaf is checked
 * exactly). */
#define PROPAGATE_ROUNDS 64
/* Deepest a search may go (each level a few hundred bytes of stack);
 * beyond it, as beyond SUPPRESS_SEARCH_NODES, the cell is taken as
 * recoverable. */
#define SEARCH_DEPTH 4096

struct suppress_table {
  int nCell, nCellAlloc;
  int64_t *aVal;
  unsigned char *aWhy; /* enum suppress_why */
  /* shown for good: a hidden zero the equations pinned (suppress_apply) */
  unsigned char *aKeep;
  int iBad;  /* first cell with a value out of range, or -1 */
  int bFull; /* a cell was refused: SUPPRESS_MAX_CELLS */
  /* equation e: aEqCell[aEqStart[e] .. aEqStart[e+1]-1], total first */
  int nEq, nEqAlloc;
  int *aEqStart;
  int nEqCell, nEqCellAlloc;
  int *aEqCell;
  /* built by suppress_apply: cell i is in equations
   * aInc[aIncStart[i] .. aIncStart[i+1]-1] */
  int *aIncStart;
  int *aInc;
};

/* p with room for nNeed elements of size sz (*pnAlloc of them now). */
static void *grow(void *p, int *pnAlloc, int nNeed, size_t sz)
{
  if (nNeed <= *pnAlloc)
    return p;
  int n = *pnAlloc ? *pnAlloc : 16;
  while (n < nNeed)
    n *= 2;
  *pnAlloc = n;
  return sws_realloc(p, (size_t)n * sz);
}

struct suppress_table *suppress_new(void)
{
  struct suppress_table *t = sws_calloc(1, sizeof *t);
  t->iBad = -1;
  t->aEqStart = grow(NULL, &t->nEqAlloc, 1, sizeof *t->aEqStart);
  t->aEqStart[0] = 0;
  return t;
}

void suppress_free(struct suppress_table *t)
{
  if (t == NULL)
    return;
  free(t->aVal);
  free(t->aWhy);
  free(t->aKeep);
  free(t->aEqStart);
  free(t->aEqCell);
  free(t->aIncStart);
  free(t->aInc);
  free(t);
}

static int value_ok(int64_t v)
{
  return v >= 0 && v <= SUPPRESS_MAX_VALUE;
}

int suppress_cell(struct suppress_table *t, int64_t value)
{
  if (t == NULL)
    return -1;
  if (t->nCell >= SUPPRESS_MAX_CELLS) {
    t->bFull = 1;
    return -1;
  }
  if (t->nCell == t->nCellAlloc) {
    t->nCellAlloc = t->nCellAlloc ? 2 * t->nCellAlloc : 16;
    t->aVal = sws_realloc(t->aVal, (size_t)t->nCellAlloc * sizeof *t->aVal);
    t->aWhy = sws_realloc(t->aWhy, (size_t)t->nCellAlloc * sizeof *t->aWhy);
  }
  if (!value_ok(value) && t->iBad < 0)
    t->iBad = t->nCell;
  t->aVal[t->nCell] = value;
  t->aWhy[t->nCell] = SUPPRESS_SHOWN;
  return t->nCell++;
}

/* --- equations ---------------------------------------------------------- */

static int eq_first(const struct suppress_table *t, int e)
{
  return t->aEqStart[e];
}

static int eq_end(const struct suppress_table *t, int e)
{
  return t->aEqStart[e + 1];
}

static int hidden(const struct suppress_table *t, int i)
{
  return t->aWhy[i] != SUPPRESS_SHOWN;
}

/* May cell i be hidden as a complement? */
static int eligible(const struct suppress_table *t, int i)
{
  return !hidden(t, i) && !t->aKeep[i];
}

/* A value suppress_cell kept but the table cannot take; zWhere starts the
 * message. */
static int value_err(struct sws_err *err, const char *zWhere, int i, int64_t v)
{
  if (v < 0)
    return sws_err_set(err, SWS_EINVAL,
                       "%scell %d has a negative count (%" PRId64 ")", zWhere,
                       i, v);
  return sws_err_set(err, SWS_EINVAL,
                     "%scell %d has the count %" PRId64
                     ", over the largest this table takes (%" PRId64 ")",
                     zWhere, i, v, SUPPRESS_MAX_VALUE);
}

/* Each cell in range, not negative and named once; aSeen has nCell
 * zeros. */
static int check_cells(const struct suppress_table *t, const int *aCell, int n,
                       unsigned char *aSeen, struct sws_err *err)
{
  for (int j = 0; j < n; j++) {
    int i = aCell[j];
    if (i < 0 || i >= t->nCell)
      return t->nCell == 0
                 ? sws_err_set(err, SWS_EINVAL,
                               "equation %d names cell %d, but the table "
                               "has no cells",
                               t->nEq, i)
                 : sws_err_set(err, SWS_EINVAL,
                               "equation %d names cell %d, but the table "
                               "has cells 0 to %d",
                               t->nEq, i, t->nCell - 1);
    if (aSeen[i])
      return sws_err_set(err, SWS_EINVAL, "equation %d names cell %d twice",
                         t->nEq, i);
    aSeen[i] = 1;
    if (!value_ok(t->aVal[i])) {
      char zEq[32];
      snprintf(zEq, sizeof zEq, "equation %d: ", t->nEq);
      return value_err(err, zEq, i, t->aVal[i]);
    }
  }
  return SWS_OK;
}

/* The reader checks the shown values against the equations; a table whose
 * values do not add up is a bug in the report, and suppressing it would
 * hide the bug. */
static int check_adds_up(const struct suppress_table *t, int iTotal,
                         const int *aPart, int nPart, struct sws_err *err)
{
  /* at most 2^20 distinct cells of at most 2^40 each: no overflow */
  int64_t sum = 0;
  for (int j = 0; j < nPart; j++)
    sum += t->aVal[aPart[j]];
  if (sum != t->aVal[iTotal])
    return sws_err_set(err, SWS_EINVAL,
                       "equation %d does not add up: its parts make "
                       "%" PRId64 ", its total (cell %d) is %" PRId64,
                       t->nEq, sum, iTotal, t->aVal[iTotal]);
  return SWS_OK;
}

int suppress_sum(struct suppress_table *t, int iTotal, const int *aPart,
                 int nPart, struct sws_err *err)
{
  if (t == NULL)
    return sws_err_set(err, SWS_EINVAL, "no table (a bug in sws)");
  if (nPart < 1 || aPart == NULL)
    return sws_err_set(err, SWS_EINVAL,
                       "equation %d has %d parts; a sum needs at least one",
                       t->nEq, aPart == NULL ? 0 : nPart);
  unsigned char *aSeen = sws_calloc((size_t)t->nCell + 1, 1);
  int rc = check_cells(t, &iTotal, 1, aSeen, err);
  if (rc == SWS_OK)
    rc = check_cells(t, aPart, nPart, aSeen, err);
  free(aSeen);
  if (rc == SWS_OK)
    rc = check_adds_up(t, iTotal, aPart, nPart, err);
  if (rc != SWS_OK)
    return rc;
  t->aEqStart =
      grow(t->aEqStart, &t->nEqAlloc, t->nEq + 2, sizeof *t->aEqStart);
  t->aEqCell = grow(t->aEqCell, &t->nEqCellAlloc, t->nEqCell + nPart + 1,
                    sizeof *t->aEqCell);
  t->aEqCell[t->nEqCell++] = iTotal;
  memcpy(&t->aEqCell[t->nEqCell], aPart, (size_t)nPart * sizeof *aPart);
  t->nEqCell += nPart;
  t->aEqStart[++t->nEq] = t->nEqCell;
  return SWS_OK;
}

/* The equations each cell is in, in equation order. */
static void build_incidence(struct suppress_table *t)
{
  free(t->aIncStart);
  free(t->aInc);
  t->aIncStart = sws_calloc((size_t)t->nCell + 1, sizeof *t->aIncStart);
  t->aInc = sws_calloc((size_t)t->nEqCell + 1, sizeof *t->aInc);
  for (int p = 0; p < t->nEqCell; p++)
    t->aIncStart[t->aEqCell[p] + 1]++;
  for (int i = 0; i < t->nCell; i++)
    t->aIncStart[i + 1] += t->aIncStart[i];
  int *aFill = sws_calloc((size_t)t->nCell + 1, sizeof *aFill);
  for (int e = 0; e < t->nEq; e++)
    for (int p = eq_first(t, e); p < eq_end(t, e); p++) {
      int i = t->aEqCell[p];
      t->aInc[t->aIncStart[i] + aFill[i]++] = e;
    }
  free(aFill);
}

/* --- step 1: the lone-cell rule --------------------------------------- */

static int eq_hidden_count(const struct suppress_table *t, int e)
{
  int n = 0;
  for (int p = eq_first(t, e); p < eq_end(t, e); p++)
    n += hidden(t, t->aEqCell[p]);
  return n;
}

/* Should shown cell i be taken before iBest (smallest value, then the
 * lowest index)? */
static int better(const struct suppress_table *t, int i, int iBest)
{
  return iBest < 0 || t->aVal[i] < t->aVal[iBest] ||
         (t->aVal[i] == t->aVal[iBest] && i < iBest);
}

/* The cell to hide with a lone hidden cell: the smallest shown part, else
 * the total; -1 if every other cell is a zero kept shown (then the lone
 * cell is pinned, and the exact check deals with it). */
static int eq_complement(const struct suppress_table *t, int e)
{
  int iBest = -1, iTotal = t->aEqCell[eq_first(t, e)];
  for (int p = eq_first(t, e) + 1; p < eq_end(t, e); p++) {
    int i = t->aEqCell[p];
    if (eligible(t, i) && better(t, i, iBest))
      iBest = i;
  }
  if (iBest < 0 && eligible(t, iTotal))
    iBest = iTotal;
  return iBest;
}

/* Show hidden zero i for good: pinned, it protects nothing, and its value
 * (nobody) is no secret; as every solution has it at 0, showing it leaves
 * the other cells' solutions as they were. */
static void keep_shown(struct suppress_table *t, int i)
{
  t->aWhy[i] = SUPPRESS_SHOWN;
  t->aKeep[i] = 1;
}

/* Until no equation has exactly one hidden cell: hide its complement, or,
 * if the lone cell is a zero (a complement that no longer protects
 * anything), show it again. */
static void lone_cells(struct suppress_table *t)
{
  int bChanged = 1;
  while (bChanged) {
    bChanged = 0;
    for (int e = 0; e < t->nEq; e++) {
      if (eq_hidden_count(t, e) != 1)
        continue;
      int iLone = -1;
      for (int p = eq_first(t, e); p < eq_end(t, e); p++)
        if (hidden(t, t->aEqCell[p]))
          iLone = t->aEqCell[p];
      if (t->aVal[iLone] == 0) {
        keep_shown(t, iLone);
        bChanged = 1;
        continue;
      }
      int i = eq_complement(t, e);
      if (i >= 0) {
        t->aWhy[i] = SUPPRESS_COMPLEMENT;
        bChanged = 1;
      }
    }
  }
}

/* --- step 2: the exact check ------------------------------------------ */

/*
 * The hidden cells connected to one cell through equations: the unknowns
 * of one search. Var j is cell aCell[j]; equation q of the search has
 * terms aTerm[aTermStart[q] .. aTermStart[q+1]-1] (var index, sign aSign)
 * and right-hand side aConst[q]; var j is in the search's equations
 * aVarEq[aVarEqStart[j] .. aVarEqStart[j+1]-1].
 */
struct search {
  const struct suppress_table *t;
  int64_t cap; /* every unknown is searched in 0..cap */
  int nVar;
  int *aCell;
  int64_t *aTrue;
  unsigned char *aMoves; /* a solution found moved var j: safe */
  int *aVarOf;           /* cell -> var, or -1; nCell entries */
  int nEq;
  int *aTermStart;
  int *aTerm;
  signed char *aSign;
  int64_t *aConst;
  int *aVarEqStart;
  int *aVarEq;
  /* the propagation's queue of equations to look at again */
  int *aQueue;
  int nQueue, iQueue;
  unsigned char *aQueued;
  long nNode;
  int nDepth;
  int64_t *aWit; /* the last solution found */
};

static void search_add_var(struct search *s, int i)
{
  s->aVarOf[i] = s->nVar;
  s->aCell[s->nVar++] = i;
}

/* Add equation e's hidden cells as terms (and new vars), its shown ones
 * to the constant. */
static void search_add_eq(struct search *s, int e)
{
  const struct suppress_table *t = s->t;
  int64_t c = 0;
  for (int p = eq_first(t, e); p < eq_end(t, e); p++) {
    int i = t->aEqCell[p];
    int sign = p == eq_first(t, e) ? 1 : -1;
    if (!hidden(t, i)) {
      c -= sign * t->aVal[i];
      continue;
    }
    if (s->aVarOf[i] < 0)
      search_add_var(s, i);
    int n = s->aTermStart[s->nEq + 1]++;
    s->aTerm[n] = s->aVarOf[i];
    s->aSign[n] = (signed char)sign;
  }
  s->aConst[s->nEq++] = c;
  s->aTermStart[s->nEq + 1] = s->aTermStart[s->nEq];
}

/* The equations of each var, for the propagation to go back to. */
static void search_index(struct search *s)
{
  int nTerm = s->aTermStart[s->nEq];
  s->aVarEqStart = sws_calloc((size_t)s->nVar + 1, sizeof *s->aVarEqStart);
  s->aVarEq = sws_calloc((size_t)nTerm + 1, sizeof *s->aVarEq);
  for (int p = 0; p < nTerm; p++)
    s->aVarEqStart[s->aTerm[p] + 1]++;
  for (int j = 0; j < s->nVar; j++)
    s->aVarEqStart[j + 1] += s->aVarEqStart[j];
  int *aFill = sws_calloc((size_t)s->nVar + 1, sizeof *aFill);
  for (int q = 0; q < s->nEq; q++)
    for (int p = s->aTermStart[q]; p < s->aTermStart[q + 1]; p++) {
      int j = s->aTerm[p];
      s->aVarEq[s->aVarEqStart[j] + aFill[j]++] = q;
    }
  free(aFill);
}

/* The search around hidden cell iStart: its component, found breadth
 * first (so vars are in a fixed order). aEqIn marks equations taken. */
static void search_init(struct search *s, const struct suppress_table *t,
                        int iStart, int64_t cap, unsigned char *aEqIn)
{
  memset(s, 0, sizeof *s);
  s->t = t;
  s->cap = cap;
  s->aCell = sws_calloc((size_t)t->nCell, sizeof *s->aCell);
  s->aVarOf = sws_malloc((size_t)t->nCell * sizeof *s->aVarOf);
  for (int i = 0; i < t->nCell; i++)
    s->aVarOf[i] = -1;
  s->aTermStart = sws_calloc((size_t)t->nEq + 2, sizeof *s->aTermStart);
  s->aTerm = sws_calloc((size_t)t->nEqCell + 1, sizeof *s->aTerm);
  s->aSign = sws_calloc((size_t)t->nEqCell + 1, sizeof *s->aSign);
  s->aConst = sws_calloc((size_t)t->nEq + 1, sizeof *s->aConst);
  search_add_var(s, iStart);
  for (int j = 0; j < s->nVar; j++) {
    int i = s->aCell[j];
    for (int p = t->aIncStart[i]; p < t->aIncStart[i + 1]; p++)
      if (!aEqIn[t->aInc[p]]) {
        aEqIn[t->aInc[p]] = 1;
        search_add_eq(s, t->aInc[p]);
      }
  }
  search_index(s);
  s->aQueue = sws_calloc((size_t)s->nEq + 1, sizeof *s->aQueue);
  s->aQueued = sws_calloc((size_t)s->nEq + 1, 1);
  s->aTrue = sws_calloc((size_t)s->nVar, sizeof *s->aTrue);
  s->aMoves = sws_calloc((size_t)s->nVar, 1);
  s->aWit = sws_calloc((size_t)s->nVar, sizeof *s->aWit);
  for (int j = 0; j < s->nVar; j++)
    s->aTrue[j] = t->aVal[s->aCell[j]];
}

static void search_release(struct search *s)
{
  free(s->aCell);
  free(s->aTrue);
  free(s->aMoves);
  free(s->aVarOf);
  free(s->aTermStart);
  free(s->aTerm);
  free(s->aSign);
  free(s->aConst);
  free(s->aVarEqStart);
  free(s->aVarEq);
  free(s->aQueue);
  free(s->aQueued);
  free(s->aWit);
}

/* Queue equation q (a ring: each equation is in it at most once). */
static void push_eq(struct search *s, int q)
{
  if (s->aQueued[q])
    return;
  s->aQueued[q] = 1;
  s->aQueue[(s->iQueue + s->nQueue++) % s->nEq] = q;
}

static int pop_eq(struct search *s)
{
  int q = s->aQueue[s->iQueue];
  s->iQueue = (s->iQueue + 1) % s->nEq;
  s->nQueue--;
  s->aQueued[q] = 0;
  return q;
}

/* Queue the equations of var j, whose range narrowed. */
static void push_var(struct search *s, int j)
{
  for (int p = s->aVarEqStart[j]; p < s->aVarEqStart[j + 1]; p++)
    push_eq(s, s->aVarEq[p]);
}

/* The range of sign * x for x in lo..hi; with sign +1 or -1 the map is its
 * own inverse (the range of x for sign * x in lo..hi). */
static void term_range(int sign, int64_t lo, int64_t hi, int64_t *pLo,
                       int64_t *pHi)
{
  *pLo = sign > 0 ? lo : -hi;
  *pHi = sign > 0 ? hi : -lo;
}

/* Narrow each term of equation q to what the others leave it, queueing
 * the equations of the vars narrowed. Returns 0 if the equation cannot
 * hold. The sums are taken once: a term narrowed earlier in the loop
 * still counts with its old range, which is looser but never wrong. */
static int narrow_eq(struct search *s, int q, int64_t *lo, int64_t *hi)
{
  int64_t mn = 0, mx = 0, c = s->aConst[q], a, b;
  for (int p = s->aTermStart[q]; p < s->aTermStart[q + 1]; p++) {
    int j = s->aTerm[p];
    term_range(s->aSign[p], lo[j], hi[j], &a, &b);
    mn += a;
    mx += b;
  }
  if (c < mn || c > mx)
    return 0;
  for (int p = s->aTermStart[q]; p < s->aTermStart[q + 1]; p++) {
    int j = s->aTerm[p];
    term_range(s->aSign[p], lo[j], hi[j], &a, &b);
    int64_t a2 = c - (mx - b), b2 = c - (mn - a);
    if (a2 <= a && b2 >= b)
      continue;
    a2 = a2 > a ? a2 : a;
    b2 = b2 < b ? b2 : b;
    if (a2 > b2)
      return 0;
    term_range(s->aSign[p], a2, b2, &lo[j], &hi[j]);
    push_var(s, j);
  }
  return 1;
}

/* Bounds propagation from the equations of var j (all of them if j < 0):
 * 0 if some equation cannot hold. */
static int propagate(struct search *s, int j, int64_t *lo, int64_t *hi)
{
  if (j >= 0)
    push_var(s, j);
  else
    for (int q = 0; q < s->nEq; q++)
      push_eq(s, q);
  long nVisit = (long)PROPAGATE_ROUNDS * s->nEq;
  int bOk = 1;
  while (s->nQueue > 0 && bOk && nVisit-- > 0)
    bOk = narrow_eq(s, pop_eq(s), lo, hi);
  while (s->nQueue > 0)
    pop_eq(s);
  return bOk;
}

/* The unfixed var with the narrowest range (ties: the first), or -1. */
static int pick_var(const struct search *s, const int64_t *lo,
                    const int64_t *hi)
{
  int jBest = -1;
  for (int j = 0; j < s->nVar; j++)
    if (lo[j] < hi[j] && (jBest < 0 || hi[j] - lo[j] < hi[jBest] - lo[jBest]))
      jBest = j;
  return jBest;
}

static int dfs(struct search *s, int j, const int64_t *lo0, const int64_t *hi0);

/* Try var j in each of the ranges aLo[k]..aHi[k] in turn. */
static int branch(struct search *s, int64_t *lo, int64_t *hi, int j,
                  const int64_t *aLo, const int64_t *aHi, int n)
{
  for (int k = 0; k < n; k++) {
    if (aLo[k] > aHi[k])
      continue;
    int64_t lo0 = lo[j], hi0 = hi[j];
    lo[j] = aLo[k];
    hi[j] = aHi[k];
    int rc = dfs(s, j, lo, hi);
    lo[j] = lo0;
    hi[j] = hi0;
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* Split var j's range: its true value first (the other cells mostly keep
 * theirs in a nearby solution), then below and above it; a range without
 * the true value is halved, the half nearer it first. */
static int split(struct search *s, int64_t *lo, int64_t *hi, int j)
{
  int64_t v = s->aTrue[j], l = lo[j], h = hi[j];
  if (v >= l && v <= h) {
    int64_t aLo[] = {v, l, v + 1}, aHi[] = {v, v - 1, h};
    return branch(s, lo, hi, j, aLo, aHi, 3);
  }
  int64_t m = l + (h - l) / 2;
  if (v > h) {
    int64_t aLo[] = {m + 1, l}, aHi[] = {h, m};
    return branch(s, lo, hi, j, aLo, aHi, 2);
  }
  int64_t aLo[] = {l, m + 1}, aHi[] = {m, h};
  return branch(s, lo, hi, j, aLo, aHi, 2);
}

/* Every equation holds exactly (all vars fixed). */
static int holds(const struct search *s, const int64_t *x)
{
  for (int q = 0; q < s->nEq; q++) {
    int64_t sum = 0;
    for (int p = s->aTermStart[q]; p < s->aTermStart[q + 1]; p++)
      sum += s->aSign[p] * x[s->aTerm[p]];
    if (sum != s->aConst[q])
      return 0;
  }
  return 1;
}

/* A solution within lo0..hi0, var j's range just narrowed (-1: all new):
 * 1 (in aWit), 0 none, -1 out of budget. */
static int dfs(struct search *s, int j, const int64_t *lo0, const int64_t *hi0)
{
  if (++s->nNode > SUPPRESS_SEARCH_NODES || s->nDepth >= SEARCH_DEPTH)
    return -1;
  s->nDepth++;
  size_t n = (size_t)s->nVar;
  int64_t *lo = sws_malloc(2 * n * sizeof *lo), *hi = lo + n;
  memcpy(lo, lo0, n * sizeof *lo);
  memcpy(hi, hi0, n * sizeof *hi);
  int rc = 0;
  if (propagate(s, j, lo, hi)) {
    int jNext = pick_var(s, lo, hi);
    if (jNext >= 0)
      rc = split(s, lo, hi, jNext);
    else if (holds(s, lo)) {
      memcpy(s->aWit, lo, n * sizeof *lo);
      rc = 1;
    }
  }
  free(lo);
  s->nDepth--;
  return rc;
}

enum check { CHECK_MOVES, CHECK_PINNED, CHECK_UNKNOWN };

/* Look for a solution with var j in l..h: 1 found (the vars it moves
 * marked), 0 none, -1 out of budget. */
static int solve_with(struct search *s, int j, int64_t l, int64_t h)
{
  size_t n = (size_t)s->nVar;
  int64_t *lo = sws_malloc(2 * n * sizeof *lo), *hi = lo + n;
  for (size_t k = 0; k < n; k++) {
    lo[k] = 0;
    hi[k] = s->cap;
  }
  lo[j] = l;
  hi[j] = h;
  s->nNode = 0;
  int rc = dfs(s, -1, lo, hi);
  free(lo);
  if (rc == 1)
    for (size_t k = 0; k < n; k++)
      if (s->aWit[k] != s->aTrue[k])
        s->aMoves[k] = 1;
  return rc;
}

/* Can var j take another value than its true one? */
static enum check check_var(struct search *s, int j)
{
  int64_t v = s->aTrue[j];
  int rcBelow = v > 0 ? solve_with(s, j, 0, v - 1) : 0;
  if (rcBelow == 1)
    return CHECK_MOVES;
  int rcAbove = v < s->cap ? solve_with(s, j, v + 1, s->cap) : 0;
  if (rcAbove == 1)
    return CHECK_MOVES;
  return rcBelow < 0 || rcAbove < 0 ? CHECK_UNKNOWN : CHECK_PINNED;
}

/* With no shown cell in the component every constant is 0, so all zeros
 * is a solution: every var with a count moves. */
static void zero_solution(struct search *s)
{
  for (int q = 0; q < s->nEq; q++)
    if (s->aConst[q] != 0)
      return;
  for (int j = 0; j < s->nVar; j++)
    if (s->aTrue[j] > 0)
      s->aMoves[j] = 1;
}

/* The shown cell to hide for recoverable cell iStart: in the nearest
 * equations that have one (its own first), the smallest; -1 if none. The
 * walk goes out through hidden cells only, as the search did. */
static int nearest_shown(const struct suppress_table *t, int iStart)
{
  int *aQueue = sws_malloc((size_t)t->nCell * sizeof *aQueue);
  int *aDist = sws_malloc((size_t)t->nCell * sizeof *aDist);
  for (int i = 0; i < t->nCell; i++)
    aDist[i] = -1;
  int nQueue = 0, iBest = -1, dBest = -1;
  aQueue[nQueue++] = iStart;
  aDist[iStart] = 0;
  for (int h = 0; h < nQueue; h++) {
    int i = aQueue[h];
    if (dBest >= 0 && aDist[i] > dBest)
      break;
    for (int p = t->aIncStart[i]; p < t->aIncStart[i + 1]; p++) {
      int e = t->aInc[p];
      for (int r = eq_first(t, e); r < eq_end(t, e); r++) {
        int c = t->aEqCell[r];
        if (eligible(t, c) && better(t, c, iBest)) {
          iBest = c;
          dBest = aDist[i];
        } else if (hidden(t, c) && aDist[c] < 0) {
          aDist[c] = aDist[i] + 1;
          aQueue[nQueue++] = c;
        }
      }
    }
  }
  free(aQueue);
  free(aDist);
  return iBest;
}

/* Check each var of the component; act on the first that cannot move and
 * return 1, or return 0 if all can. A pinned zero is shown for good
 * (keep_shown); for another cell the nearest shown cell is hidden. */
static int check_component(struct suppress_table *t, struct search *s)
{
  zero_solution(s);
  for (int j = 0; j < s->nVar; j++) {
    if (s->aMoves[j])
      continue;
    enum check r = check_var(s, j);
    if (r == CHECK_MOVES)
      continue;
    int i = s->aCell[j];
    if (r == CHECK_PINNED && t->aVal[i] == 0) {
      keep_shown(t, i);
      return 1;
    }
    i = nearest_shown(t, i);
    if (i >= 0) {
      t->aWhy[i] = SUPPRESS_EXACT;
      return 1;
    }
    /* nothing left to hide around it: every constant of the component is
     * 0, so (zero_solution) it is a zero the search gave up on */
  }
  return 0;
}

/* One pass of the exact check over the components of hidden cells, up to
 * the first that needed a change: 1 if there was one. */
static int exact_check(struct suppress_table *t, int64_t cap)
{
  unsigned char *aEqIn = sws_calloc((size_t)t->nEq + 1, 1);
  unsigned char *aDone = sws_calloc((size_t)t->nCell + 1, 1);
  int bChanged = 0;
  for (int i = 0; i < t->nCell && !bChanged; i++) {
    if (!hidden(t, i) || aDone[i])
      continue;
    struct search s;
    search_init(&s, t, i, cap, aEqIn);
    for (int j = 0; j < s.nVar; j++)
      aDone[s.aCell[j]] = 1;
    bChanged = check_component(t, &s);
    search_release(&s);
  }
  free(aEqIn);
  free(aDone);
  return bChanged;
}

/* --- the whole ---------------------------------------------------------- */

static int check_apply(const struct suppress_table *t, int64_t k,
                       struct sws_err *err)
{
  if (t == NULL)
    return sws_err_set(err, SWS_EINVAL, "no table (a bug in sws)");
  if (t->bFull)
    return sws_err_set(err, SWS_ETOOBIG,
                       "the table has more than %d cells; split the report",
                       SUPPRESS_MAX_CELLS);
  if (t->iBad >= 0)
    return value_err(err, "", t->iBad, t->aVal[t->iBad]);
  if (k < 1)
    return sws_err_set(err, SWS_EINVAL,
                       "the threshold k is %" PRId64 "; it must be at least 1",
                       k);
  return SWS_OK;
}

/*
 * Each round hides a cell, or shows a hidden zero for good: hidden cells
 * plus twice the kept ones grows by one each time, and is at most twice
 * the cells, so the loop ends.
 */
int suppress_apply(struct suppress_table *t, int64_t k, struct sws_err *err)
{
  int rc = check_apply(t, k, err);
  if (rc != SWS_OK)
    return rc;
  int64_t cap = 0;
  free(t->aKeep);
  t->aKeep = sws_calloc((size_t)t->nCell + 1, 1);
  for (int i = 0; i < t->nCell; i++) {
    int64_t v = t->aVal[i];
    t->aWhy[i] = v > 0 && v < k ? SUPPRESS_PRIMARY : SUPPRESS_SHOWN;
    cap = v > cap ? v : cap;
  }
  build_incidence(t);
  do
    lone_cells(t);
  while (exact_check(t, cap));
  return SWS_OK;
}

int suppress_is_hidden(const struct suppress_table *t, int i)
{
  return suppress_why(t, i) != SUPPRESS_SHOWN;
}

int suppress_why(const struct suppress_table *t, int i)
{
  if (t == NULL || i < 0 || i >= t->nCell)
    return SUPPRESS_SHOWN;
  return t->aWhy[i];
}

int suppress_hidden_count(const struct suppress_table *t)
{
  int n = 0;
  for (int i = 0; t && i < t->nCell; i++)
    n += hidden(t, i);
  return n;
}
