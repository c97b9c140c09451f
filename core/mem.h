/*
 * mem.h - allocation that aborts on out-of-memory, and small string helpers.
 *
 * sws is an application: running out of memory is not worth plumbing through
 * every path, so every allocation goes through these and aborts with a message.
 */
#ifndef SWS_CORE_MEM_H
#define SWS_CORE_MEM_H

#include <stddef.h>
#include <stdint.h>

void *sws_malloc(size_t n);
void *sws_calloc(size_t nmemb, size_t size);
void *sws_realloc(void *p, size_t n);
/* Copy of `z` (NULL gives NULL); caller frees. */
char *sws_strdup(const char *z);
/* Copy of the first `n` bytes of `z`, NUL-terminated; caller frees. */
char *sws_strndup(const char *z, size_t n);
/* Formatted string, caller frees. */
char *sws_mprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define SWS_FREE(p)                                                            \
  do {                                                                         \
    free(p);                                                                   \
    (p) = NULL;                                                                \
  } while (0)

/* Copy `z` into `dst` of `n` bytes, always NUL-terminated; truncates. */
void sws_strlcpy(char *dst, const char *z, size_t n);

/* A key for a cache of prepared statements: zSql's length and its first
 * and last 48 bytes, hashed (equal keys are told apart by strcmp). */
uint32_t sws_sql_key(const char *zSql);

#endif
