/*
 * central_pair.h - two households of a possible duplicate side by side, as
 * a reviewer at the registry needs them to decide: same family (merge),
 * different families (dismiss), or not yet. Everything about both
 * households and their people except national IDs, of which only the last
 * three characters are shown (need-to-know: a match of IDs is what the
 * reviewer needs, not the numbers).
 */
#ifndef SWS_SYNC_CENTRAL_PAIR_H
#define SWS_SYNC_CENTRAL_PAIR_H

#include "sync/central.h"

struct pair_person {
  int line;
  char zName[201];
  char zSex[4];
  char zBorn[11];
  char zRelationship[16];
  char zIdTail[8]; /* "...789", or "" without an ID */
  int bActive;
};

struct pair_side {
  struct central_household h;
  char zCreatedAt[32];
  char zAreaName[201];
  struct pair_person *a; /* by line */
  int n;
};

struct central_pair {
  struct pair_side s[2];
  int bFound; /* a pair the registry has (found, or decided) */
  double score;
  char zReasons[200];
  char zStatus[12]; /* open, merged, dismissed; "" when not found */
  char zNote[501];  /* why it was decided, or "" */
};

/* Households A and B (registration numbers or ids) into *out; release it
 * with central_pair_release. */
int central_pair_get(struct central *c, const char *zA, const char *zB,
                     struct central_pair *out, struct sws_err *err);
void central_pair_release(struct central_pair *p);

#endif
