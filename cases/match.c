/*
 * match.c - the duplicate rule (see match.h).
 * MINIMAL FIRST VERSION, replaced by the calibrated one.
 */
#include "cases/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/name.h"

void match_persons(const struct match_person *a, const struct match_person *b,
                   struct match_result *out)
{
  memset(out, 0, sizeof *out);
  if (a->zNationalId && *a->zNationalId && b->zNationalId &&
      strcmp(a->zNationalId, b->zNationalId) == 0) {
    out->is_match = 1;
    out->score = 1.0;
    snprintf(out->reasons, sizeof out->reasons, "same national ID");
    return;
  }
  out->name_score = name_similarity(a->zName, b->zName, NULL);
  int ya = (int)strtol(a->zBorn, NULL, 10), yb = (int)strtol(b->zBorn, NULL, 10);
  if (a->sex == b->sex && abs(ya - yb) <= 2 && out->name_score >= 0.8) {
    out->is_match = 1;
    out->score = out->name_score;
    snprintf(out->reasons, sizeof out->reasons,
             "name %.2f similar, born %d vs %d", out->name_score, ya, yb);
  }
}
