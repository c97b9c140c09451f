/*
 * match.c - the duplicate rule (see match.h): one function used at the
 * counter, on import and centrally, so the three never disagree.
 *
 * The rule, calibrated on ../shared/data/dedup_pairs_dev.csv (see
 * docs/dedup.md for the figures):
 *   - the same national ID is a match whatever else differs;
 *   - two different national IDs are two people, unless the IDs differ by
 *     one typing slip (then they are ignored), or the name is near
 *     identical (>= MATCH_NAME_NEAR) with the same sex and the same full
 *     birth date (a person registered twice under two numbers);
 *   - otherwise: same sex, birth years at most 2 apart, and name
 *     similarity >= MATCH_NAME_MIN.
 */
#include "cases/match.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/name.h"

/* A birth date as typed: year, and month and day when given (else 0). */
struct born {
  int y, m, d;
};

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" without reading past the end;
 * anything else gives year 0 (unknown). */
static struct born born_parse(const char *z)
{
  struct born b = {0, 0, 0};
  int v = 0, i;
  if (z == NULL)
    return b;
  for (i = 0; i < 4; i++) {
    if (z[i] < '0' || z[i] > '9')
      return b;
    v = v * 10 + (z[i] - '0');
  }
  b.y = v;
  if (z[4] != '-' || z[5] < '0' || z[5] > '9' || z[6] < '0' || z[6] > '9')
    return b;
  v = (z[5] - '0') * 10 + (z[6] - '0');
  if (v < 1 || v > 12)
    return b;
  b.m = v;
  if (z[7] != '-' || z[8] < '0' || z[8] > '9' || z[9] < '0' || z[9] > '9')
    return b;
  v = (z[8] - '0') * 10 + (z[9] - '0');
  if (v >= 1 && v <= 31)
    b.d = v;
  return b;
}

/* Copy of the national ID without surrounding blanks, upper case; "" when
 * none. */
static void nid_norm(const char *z, char *out, size_t cap)
{
  size_t n = 0;
  out[0] = '\0';
  if (z == NULL)
    return;
  while (*z == ' ' || *z == '\t')
    z++;
  for (; *z && n + 1 < cap; z++)
    out[n++] = (char)(*z >= 'a' && *z <= 'z' ? *z - 32 : *z);
  while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
    n--;
  out[n] = '\0';
}

/* 1 if a and b (same length) differ in one character or one swap of
 * neighbours: a typing slip rather than another person's number. */
static int nid_slip(const char *a, const char *b)
{
  size_t n = strlen(a), i, diff = 0, first = 0;
  if (n != strlen(b) || n < 4)
    return 0;
  for (i = 0; i < n; i++)
    if (a[i] != b[i]) {
      if (diff++ == 0)
        first = i;
    }
  if (diff == 1)
    return 1;
  return diff == 2 && first + 1 < n && a[first] == b[first + 1] &&
         a[first + 1] == b[first] && a[first + 1] != b[first + 1];
}

/* Append to the reasons, separated by ", "; silently cut at the end. */
static void say(struct match_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct match_result *r, const char *fmt, ...)
{
  size_t n = strlen(r->reasons);
  if (n + 3 >= sizeof r->reasons)
    return;
  if (n > 0) {
    memcpy(r->reasons + n, ", ", 3);
    n += 2;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->reasons + n, sizeof r->reasons - n, fmt, ap);
  va_end(ap);
}

/* How close two birth dates are: 1 same full date, 0.9 same month,
 * 0.85 day and month swapped, 0.8 same year, 0.5 and 0.25 one and two
 * years apart, 0 further or unknown. */
static double born_closeness(struct born a, struct born b, int *same_date,
                             int *swapped)
{
  *same_date = *swapped = 0;
  if (a.y == 0 || b.y == 0)
    return 0;
  int dy = abs(a.y - b.y);
  if (dy == 0) {
    if (a.d && b.d && a.m == b.m && a.d == b.d) {
      *same_date = 1;
      return 1.0;
    }
    if (a.d && b.d && a.m == b.d && a.d == b.m) {
      *swapped = 1;
      return 0.85;
    }
    if (a.m && b.m && a.m == b.m)
      return 0.9;
    return 0.8;
  }
  return dy == 1 ? 0.5 : dy == 2 ? 0.25 : 0;
}

void match_persons(const struct match_person *a, const struct match_person *b,
                   struct match_result *out)
{
  char ida[64], idb[64];
  memset(out, 0, sizeof *out);
  nid_norm(a->zNationalId, ida, sizeof ida);
  nid_norm(b->zNationalId, idb, sizeof idb);
  if (ida[0] && idb[0] && strcmp(ida, idb) == 0) {
    out->is_match = 1;
    out->score = 1.0;
    out->name_score = name_similarity(a->zName, b->zName, NULL);
    say(out, "same national ID");
    return;
  }
  int ids_differ = ida[0] && idb[0];
  int id_slip = ids_differ && nid_slip(ida, idb);

  struct name_sim why;
  double ns = name_similarity(a->zName, b->zName, &why);
  struct born ba = born_parse(a->zBorn), bb = born_parse(b->zBorn);
  int same_date, swapped;
  double bc = born_closeness(ba, bb, &same_date, &swapped);
  int same_sex = a->sex == b->sex;
  int years_ok = ba.y && bb.y && abs(ba.y - bb.y) <= 2;
  int same_area = a->zArea && b->zArea && a->zArea[0] &&
                  strcmp(a->zArea, b->zArea) == 0;

  out->name_score = ns;
  out->score = 0.6 * ns + 0.3 * bc + 0.1 * same_area;
  if (ids_differ && !id_slip)
    out->is_match = same_sex && same_date && ns >= MATCH_NAME_NEAR;
  else
    out->is_match = same_sex && years_ok && ns >= MATCH_NAME_MIN;

  if (ids_differ)
    say(out, id_slip ? "national IDs differ by one typing slip"
                     : "different national IDs");
  if (!same_sex)
    say(out, "other sex");
  say(out, "name %.2f similar", ns);
  if (why.reordered)
    say(out, "words in another order");
  if (why.initial)
    say(out, "initial for a name");
  if (why.cross_script)
    say(out, "compared in Latin letters");
  if (same_date)
    say(out, "same birth date");
  else if (swapped)
    say(out, "born %d, day and month swapped", ba.y);
  else if (ba.y && bb.y && ba.y == bb.y)
    say(out, "born %d", ba.y);
  else if (ba.y && bb.y)
    say(out, "born %d vs %d", ba.y, bb.y);
  else
    say(out, "birth year unknown");
  if (same_area)
    say(out, "same village");
}
