/*
 * fsm.c - table-driven state machines (see fsm.h).
 */
#include "cases/fsm.h"

#include <stdio.h>
#include <string.h>

const char *fsm_next(const struct fsm *m, const char *zState,
                     const char *zEvent)
{
  for (int i = 0; i < m->n; i++)
    if (strcmp(m->a[i].zFrom, zState) == 0 &&
        strcmp(m->a[i].zEvent, zEvent) == 0)
      return m->a[i].zTo;
  return NULL;
}

int fsm_has_event(const struct fsm *m, const char *zEvent)
{
  for (int i = 0; i < m->n; i++)
    if (strcmp(m->a[i].zEvent, zEvent) == 0)
      return 1;
  return 0;
}

void fsm_allowed(const struct fsm *m, const char *zState, char *out,
                 unsigned n)
{
  const char *az[32];
  int k = 0;
  for (int i = 0; i < m->n && k < 32; i++) {
    if (strcmp(m->a[i].zFrom, zState) != 0)
      continue;
    int dup = 0;
    for (int j = 0; j < k; j++)
      dup |= strcmp(az[j], m->a[i].zEvent) == 0;
    if (!dup)
      az[k++] = m->a[i].zEvent;
  }
  out[0] = '\0';
  if (k == 0) {
    snprintf(out, n, "nothing (it is final)");
    return;
  }
  size_t used = 0;
  for (int j = 0; j < k && used < n; j++) {
    int w = snprintf(out + used, n - used, "%s%s",
                     j == 0 ? "" : (j == k - 1 ? " or " : ", "), az[j]);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}
