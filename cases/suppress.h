/*
 * suppress.h - statistical disclosure control of count tables: primary and
 * complementary cell suppression.
 *
 * A report of indicators by area and by sex, age group or disability must
 * not let a reader learn that two persons with a disability live in a
 * village. Small counts are hidden (primary suppression), and then enough
 * other cells (complementary suppression) that no hidden count can be
 * worked out from the shown ones and the sums the reader knows: a
 * village's total is the sum of its sex cells, a commune's cell the sum of
 * its villages' cells, and so on.
 *
 *   struct suppress_table *t = suppress_new();
 *   int f = suppress_cell(t, 3), m = suppress_cell(t, 10);
 *   int all = suppress_cell(t, 13);
 *   int parts[] = {f, m};
 *   if (suppress_sum(t, all, parts, 2, err) != 0 ||
 *       suppress_apply(t, 5, err) != 0)
 *     ...
 *   print each cell i, or "x" when suppress_is_hidden(t, i)
 *   suppress_free(t);
 *
 * The table is a list of cells (counts) and of equations "total = sum of
 * parts" between them; a cell may be a part in one equation and the total
 * of another, as in a hierarchy of areas crossed with several breakdowns.
 * Equations are numbered from 0 in the order of suppress_sum, and errors
 * name them so.
 *
 * Primary: a count with 0 < value < k is hidden. Zero is shown: it
 * describes nobody, and hiding every zero would hide much of a sparse
 * table for nothing.
 *
 * Complementary, in two steps repeated until neither changes anything:
 *
 * 1. The lone-cell rule. An equation with exactly one hidden cell gives
 *    that cell away (total minus the shown parts). Hide one more cell of
 *    it: the smallest shown part (ties: the lowest index), or the total if
 *    no part is shown; repeat over all equations until none has exactly
 *    one hidden cell (hiding in one equation can leave a lone hidden cell
 *    in another). A shown zero is the smallest part, so it is taken
 *    first: it costs the reader nothing.
 *
 * 2. The exact check. Overlapping equations can pin a cell although each
 *    has two hidden cells (three cells a, b, c with a+b, a+c and b+c shown
 *    give a = (a+b + a+c - (b+c)) / 2), and so can non-negativity (a
 *    hidden 4 whose partner is a hidden zero in a column that adds up to
 *    0). A hidden cell is recoverable if it has the same value in every
 *    non-negative integer solution of the equations, the hidden cells
 *    being the unknowns and the shown ones constants. For each hidden
 *    cell with value v the check looks for a solution with that cell at
 *    most v-1, and for one with it at least v+1: a depth-first search
 *    over the hidden cells connected to it through equations, each cell's
 *    range narrowed by bounds propagation over the equations, branching
 *    on the cell with the narrowest range (its true value first, then the
 *    values below and above it, halving wide ranges). A solution found
 *    shows every cell it moves to be safe, so most cells need no search
 *    of their own. When a cell is recoverable, or its search runs out of
 *    budget, the nearest shown cell is hidden (one in that cell's own
 *    equations if any, smallest value first, ties: the lowest index) and
 *    both steps run again, one change at a time.
 *
 * A hidden zero that is recoverable (by the exact check, or alone in an
 * equation) is shown again, for good: it was hidden as a complement and
 * protects nothing, its value (nobody) is no secret, and as every
 * solution has it at 0, showing it changes no other cell's solutions.
 * The cells it was protecting are then checked again and get other
 * complements. Each round hides a cell or shows a zero for good, so the
 * rounds end.
 *
 * Limits:
 * - Solutions are searched with every cell between 0 and the table's
 *   largest count (in a report, its grand total). A reader's alternative
 *   beyond that is not counted: the check can only hide more for it, not
 *   less.
 * - Each search may visit SUPPRESS_SEARCH_NODES nodes and go 4096 levels
 *   deep; beyond that the cell is taken as recoverable and more is
 *   hidden, so a large table of tangled equations may lose more cells
 *   than it needs to, never fewer. Report tables (thousands of cells:
 *   areas by sex, age and disability) take up to about a second.
 * - The choices are greedy (smallest value first), not an optimal
 *   pattern, and a complement that later turns out not to be needed stays
 *   hidden: more may be hidden than the fewest cells that would do.
 * - The guarantee is that no hidden cell has one possible value, not a
 *   protection interval: a reader may still learn that a hidden count is
 *   at most 3. With a zero as its complement, a hidden cell's true value
 *   is the top of its range.
 * - A hidden zero whose search ran out of budget, with nothing left to
 *   hide around it, stays hidden unproven; it gives away nobody.
 *
 * The result depends only on the cells and equations given and their
 * order: the same input gives the same hidden cells.
 */
#ifndef SWS_CASES_SUPPRESS_H
#define SWS_CASES_SUPPRESS_H

#include <stdint.h>

#include "core/err.h"

/* Largest count a cell may hold, and most cells in a table: sums then fit
 * in 64 bits with room to spare. */
#define SUPPRESS_MAX_VALUE ((int64_t)1 << 40)
#define SUPPRESS_MAX_CELLS (1 << 20)
/* Nodes one exact search may visit before the cell is taken as
 * recoverable. */
#define SUPPRESS_SEARCH_NODES 20000

/* Why a cell is hidden (suppress_why). */
enum suppress_why {
  SUPPRESS_SHOWN = 0,
  SUPPRESS_PRIMARY = 1,    /* 0 < value < k */
  SUPPRESS_COMPLEMENT = 2, /* an equation had one hidden cell */
  SUPPRESS_EXACT = 3,      /* the exact check found a cell recoverable */
};

struct suppress_table;

struct suppress_table *suppress_new(void);

/* Add a cell with count `value`; returns its index (0, 1, ...), or -1 when
 * the table already has SUPPRESS_MAX_CELLS cells. A value below 0 or over
 * SUPPRESS_MAX_VALUE is kept and refused by suppress_apply. */
int suppress_cell(struct suppress_table *t, int64_t value);

/* Cells aPart[0..nPart-1] add up to cell iTotal: an equation the reader
 * knows. Refused, and not added, if a cell is out of range or named twice,
 * a value is negative (or over SUPPRESS_MAX_VALUE), nPart < 1, or the
 * values do not add up. */
int suppress_sum(struct suppress_table *t, int iTotal, const int *aPart,
                 int nPart, struct sws_err *err);

/* Hide cells: primary (0 < value < k), then complementary until stable
 * (see above). May be run again, with another k or after more equations;
 * it starts from no cell hidden. Fails if k < 1 or a cell's value is out
 * of range. */
int suppress_apply(struct suppress_table *t, int64_t k, struct sws_err *err);

/* 1 if cell i is hidden, else 0 (also for i out of range). */
int suppress_is_hidden(const struct suppress_table *t, int i);

/* Why cell i is hidden: an enum suppress_why (SUPPRESS_SHOWN if not, or i
 * is out of range). For tests and for a report's notes. */
int suppress_why(const struct suppress_table *t, int i);

int suppress_hidden_count(const struct suppress_table *t);

void suppress_free(struct suppress_table *t);

#endif
