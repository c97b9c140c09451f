/*
 * memo.h - remembered values of a costly function of a string, for the
 * length of one lookup.
 *
 * In a registry the same common names come back hundreds of times among
 * the candidates of one search or one duplicate check, and comparing names
 * is the costly part of scoring them; a memo computes each distinct name
 * once. Capped: past MEMO_MAX strings nothing more is remembered (callers
 * just compute again).
 */
#ifndef SWS_CORE_MEMO_H
#define SWS_CORE_MEMO_H

#include <stddef.h>

#define MEMO_MAX 65536

struct memo_entry;

struct memo {
  struct memo_entry *a; /* open addressing; NULL until the first put */
  size_t cap, n;
};

#define MEMO_INIT {NULL, 0, 0}

/* 1 and *out set if a value for z is remembered, else 0. */
int memo_get(const struct memo *m, const char *z, double *out);
/* Remember v for z (a copy of z is kept; an existing value is replaced). */
void memo_put(struct memo *m, const char *z, double v);
/* Forget everything and free the memory; the memo can be used again. */
void memo_release(struct memo *m);

#endif
