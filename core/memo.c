/*
 * memo.c - string -> double memo for one lookup (see memo.h).
 */
#include "memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

struct memo_entry {
  char *z; /* NULL: free slot */
  double v;
};

static uint64_t hash(const char *z)
{
  uint64_t h = 1469598103934665603ull;
  for (; *z; z++) {
    h ^= (unsigned char)*z;
    h *= 1099511628211ull;
  }
  return h;
}

/* The slot holding z, or the free slot where it belongs (cap > n). */
static struct memo_entry *slot(const struct memo *m, const char *z)
{
  size_t i = (size_t)(hash(z) % m->cap);
  while (m->a[i].z && strcmp(m->a[i].z, z) != 0)
    i = (i + 1) % m->cap;
  return &m->a[i];
}

int memo_get(const struct memo *m, const char *z, double *out)
{
  if (m->n == 0)
    return 0;
  const struct memo_entry *e = slot(m, z);
  if (e->z == NULL)
    return 0;
  *out = e->v;
  return 1;
}

void memo_put(struct memo *m, const char *z, double v)
{
  if (m->n >= MEMO_MAX)
    return;
  if (2 * (m->n + 1) > m->cap) {
    struct memo t = {NULL, m->cap ? 2 * m->cap : 64, 0};
    t.a = sws_calloc(t.cap, sizeof *t.a);
    for (size_t i = 0; i < m->cap; i++)
      if (m->a[i].z)
        *slot(&t, m->a[i].z) = m->a[i];
    t.n = m->n;
    free(m->a);
    *m = t;
  }
  struct memo_entry *e = slot(m, z);
  if (e->z == NULL) {
    e->z = sws_strdup(z);
    m->n++;
  }
  e->v = v;
}

void memo_release(struct memo *m)
{
  for (size_t i = 0; i < m->cap; i++)
    free(m->a[i].z);
  free(m->a);
  m->a = NULL;
  m->cap = m->n = 0;
}
