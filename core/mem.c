/*
 * mem.c - aborting allocators (see mem.h).
 */
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
  fprintf(stderr, "sws: out of memory (asked for %zu bytes)\n", n);
  abort();
}

void *sws_malloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (p == NULL)
    oom(n);
  return p;
}

void *sws_calloc(size_t nmemb, size_t size)
{
  void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
  if (p == NULL)
    oom(nmemb * size);
  return p;
}

void *sws_realloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (q == NULL)
    oom(n);
  return q;
}

char *sws_strdup(const char *z)
{
  if (z == NULL)
    return NULL;
  return sws_strndup(z, strlen(z));
}

char *sws_strndup(const char *z, size_t n)
{
  char *p = sws_malloc(n + 1);
  memcpy(p, z, n);
  p[n] = '\0';
  return p;
}

char *sws_mprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  char *z = sws_malloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(z, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return z;
}

void sws_strlcpy(char *dst, const char *z, size_t n)
{
  if (n == 0)
    return;
  size_t len = strlen(z);
  if (len >= n)
    len = n - 1;
  memcpy(dst, z, len);
  dst[len] = '\0';
}

/*
 * A key for a cache of prepared statements: its length and its first and last 48
 * bytes (FNV-1a). Statements are long and asked for once per row; hashing
 * all of each cost more than running some of them. Equal keys are told
 * apart by strcmp.
 */
uint32_t sws_sql_key(const char *z)
{
  size_t n = strlen(z), k = n < 48 ? n : 48;
  uint32_t h = 2166136261u ^ (uint32_t)n;
  for (size_t i = 0; i < k; i++) {
    h ^= (unsigned char)z[i];
    h *= 16777619u;
  }
  for (size_t i = n - k; i < n; i++) {
    h ^= (unsigned char)z[i];
    h *= 16777619u;
  }
  return h;
}
