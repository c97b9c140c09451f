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

const char *fsm_event_of(const struct fsm_action *a, int n,
                         const char *zAction)
{
  for (int i = 0; i < n; i++)
    if (strcmp(a[i].zAction, zAction) == 0)
      return a[i].zEvent;
  return NULL;
}

void fsm_allowed_actions(const struct fsm *m, const char *zState,
                         const struct fsm_action *a, int n, char *out,
                         unsigned nOut)
{
  size_t used = 0;
  int k = 0;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (fsm_next(m, zState, a[i].zEvent) == NULL)
      continue;
    int w = snprintf(out + used, nOut - used, "%s%s", k++ ? ", " : "",
                     a[i].zAction);
    if (w < 0 || (size_t)w >= nOut - used)
      break;
    used += (size_t)w;
  }
  if (k == 0)
    snprintf(out, nOut, "nothing (it is final)");
}
