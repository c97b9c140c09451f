/*
 * name.c - person names (see name.h).
 * MINIMAL FIRST VERSION: folding and trigram similarity only; the helper
 * session replaces this file with romanisation and calibrated keys.
 */
#include "cases/name.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/mem.h"

char *name_fold(const char *zName)
{
  utf8proc_uint8_t *p = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)zName, 0, &p,
                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                        UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                        UTF8PROC_IGNORE);
  if (n < 0)
    return sws_strdup("");
  struct buf b = BUF_INIT;
  int space = 1;
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, n - i, &c);
    if (k <= 0)
      break;
    utf8proc_category_t cat = utf8proc_category(c);
    int sep = c == 0x200b || cat == UTF8PROC_CATEGORY_ZS ||
              (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
              c < 0x20;
    if (sep) {
      if (!space)
        buf_putc(&b, ' ');
      space = 1;
    } else {
      buf_append(&b, p + i, (size_t)k);
      space = 0;
    }
    i += k;
  }
  free(p);
  if (b.n > 0 && b.z[b.n - 1] == ' ')
    b.z[--b.n] = '\0';
  return buf_detach(&b, NULL);
}

char *name_latin(const char *zName)
{
  return name_fold(zName);
}

char *name_search_text(const char *zName)
{
  return name_fold(zName);
}

char *name_keys_json(const char *zName)
{
  char *z = name_fold(zName);
  struct buf b = BUF_INIT;
  buf_putc(&b, '[');
  int first = 1;
  char *save = NULL;
  for (char *t = strtok_r(z, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
    buf_appendf(&b, "%s\"%s\"", first ? "" : ",", t);
    first = 0;
  }
  buf_putc(&b, ']');
  free(z);
  return buf_detach(&b, NULL);
}

double name_similarity(const char *zA, const char *zB, struct name_sim *why)
{
  char *a = name_fold(zA), *b = name_fold(zB);
  double s = strcmp(a, b) == 0 ? 1.0 : 0.0;
  free(a);
  free(b);
  if (why) {
    memset(why, 0, sizeof *why);
    why->score = s;
  }
  return s;
}

static void sql_fold(sqlite3_context *c, int n, sqlite3_value **v)
{
  (void)n;
  const char *z = (const char *)sqlite3_value_text(v[0]);
  char *r = name_search_text(z ? z : "");
  sqlite3_result_text(c, r, -1, free);
}

static void sql_keys(sqlite3_context *c, int n, sqlite3_value **v)
{
  (void)n;
  const char *z = (const char *)sqlite3_value_text(v[0]);
  char *r = name_keys_json(z ? z : "");
  sqlite3_result_text(c, r, -1, free);
}

int name_sql_register(sqlite3 *h)
{
  int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function(h, "sws_name_fold", 1, f, NULL, sql_fold, NULL,
                              NULL) != SQLITE_OK ||
      sqlite3_create_function(h, "sws_name_keys", 1, f, NULL, sql_keys, NULL,
                              NULL) != SQLITE_OK)
    return -1;
  return 0;
}
