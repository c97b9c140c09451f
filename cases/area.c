/*
 * area.c - administrative areas (see area.h).
 */
#include "cases/area.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/country.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/text.h"

extern const char cases_default_areas_csv[];

static const char *const LEVELS[] = {NULL, "province", "district", "commune",
                                     "village"};

const char *cases_area_level_name(int level)
{
  return level >= 1 && level <= 4 ? LEVELS[level] : "?";
}

int cases_area_level_parse(const char *z)
{
  for (int i = 1; i <= 4; i++)
    if (strcmp(z, LEVELS[i]) == 0)
      return i;
  return 0;
}

static int code_ok(const char *z)
{
  size_t n = strlen(z);
  if (n < 1 || n >= SWS_AREA_CODE_MAX)
    return 0;
  for (; *z; z++) {
    char c = *z;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

/* The level of an existing area, 0 if none. */
static int db_level(struct sws_ctx *ctx, const char *zCode)
{
  struct area a;
  if (cases_area_get(ctx, zCode, &a, NULL) != 0)
    return 0;
  return a.level;
}

static void row_error(struct area_load_report *rep, size_t line,
                      const char *zWhy)
{
  rep->nErrors++;
  if (rep->nErrors <= 100)
    buf_appendf(&rep->errors, "line %zu: %s\n", line, zWhy);
}

static int by_level(const void *a, const void *b)
{
  return ((const struct area *)a)->level - ((const struct area *)b)->level;
}

static int find_in(const struct area *a, int n, const char *zCode)
{
  for (int i = 0; i < n; i++)
    if (strcmp(a[i].zCode, zCode) == 0)
      return i;
  return -1;
}

int cases_area_parse_csv(const char *zData, size_t n,
                         int (*known)(void *arg, const char *zCode),
                         void *arg, struct area **paArea, int *pnArea,
                         struct area_load_report *rep, struct sws_err *err)
{
  struct csv_reader r;
  struct csv_row row;
  struct sws_err e = SWS_ERR_INIT;
  struct area *aArea = NULL;
  size_t *aLine = NULL;
  int nArea = 0, nAlloc = 0, rc = 0, first = 1;

  *paArea = NULL;
  *pnArea = 0;
  memset(rep, 0, sizeof *rep);
  buf_init(&rep->errors, 64 * 1024);
  csv_init(&r, zData, n);
  for (;;) {
    int k = csv_next(&r, &row, &e);
    if (k == 0)
      break;
    if (k < 0) {
      rep->nErrors++;
      buf_appendf(&rep->errors, "%s\n", e.msg); /* names its line */
      if (r.p >= r.end)
        break;
      continue;
    }
    if (first && strcmp(row.az[0], "code") == 0) {
      first = 0;
      continue;
    }
    first = 0;
    if (row.n < 4 || row.n > 5) {
      row_error(rep, row.line, "expected code,level,name,name_latin,parent");
      continue;
    }
    struct area a;
    memset(&a, 0, sizeof a);
    const char *zParent = row.n == 5 ? row.az[4] : "";
    if (!code_ok(row.az[0])) {
      row_error(rep, row.line, "the code must be 1-32 letters, digits, '.', "
                "'_' or '-'");
      continue;
    }
    sws_strlcpy(a.zCode, row.az[0], sizeof a.zCode);
    if ((a.level = cases_area_level_parse(row.az[1])) == 0) {
      row_error(rep, row.line, "the level must be province, district, "
                "commune or village");
      continue;
    }
    if (sws_blank(row.az[2]) ||
        sws_text_check("the name", row.az[2], 200, 0, &e) != 0 ||
        sws_text_check("the Latin name", row.az[3], 200, 0, &e) != 0) {
      row_error(rep, row.line, sws_blank(row.az[2]) ? "the name is empty"
                                                    : e.msg);
      continue;
    }
    sws_strlcpy(a.zName, row.az[2], sizeof a.zName);
    sws_strlcpy(a.zLatin, row.az[3], sizeof a.zLatin);
    if (a.level == AREA_PROVINCE) {
      if (*zParent) {
        row_error(rep, row.line, "a province has no parent");
        continue;
      }
    } else if (!code_ok(zParent)) {
      row_error(rep, row.line, "a district, commune or village needs the "
                "code of its parent area");
      continue;
    }
    sws_strlcpy(a.zParent, zParent, sizeof a.zParent);
    if (find_in(aArea, nArea, a.zCode) >= 0) {
      row_error(rep, row.line, "this code appears twice in the file");
      continue;
    }
    if (nArea == nAlloc) {
      nAlloc = nAlloc ? nAlloc * 2 : 64;
      aArea = sws_realloc(aArea, sizeof *aArea * (size_t)nAlloc);
      aLine = sws_realloc(aLine, sizeof *aLine * (size_t)nAlloc);
    }
    aLine[nArea] = row.line;
    aArea[nArea++] = a;
  }
  csv_release(&r);

  /* parents: in the file or already known, exactly one level up */
  for (int i = 0; i < nArea; i++) {
    const struct area *a = &aArea[i];
    if (a->level == AREA_PROVINCE)
      continue;
    int j = find_in(aArea, nArea, a->zParent);
    int plevel = j >= 0 ? aArea[j].level : known(arg, a->zParent);
    if (plevel == 0) {
      char z[128];
      snprintf(z, sizeof z, "parent '%s' is neither in the file nor known",
               a->zParent);
      row_error(rep, aLine[i], z);
    } else if (plevel != a->level - 1) {
      char z[160];
      snprintf(z, sizeof z, "the parent of a %s must be a %s, but '%s' is a "
               "%s", cases_area_level_name(a->level),
               cases_area_level_name(a->level - 1), a->zParent,
               cases_area_level_name(plevel));
      row_error(rep, aLine[i], z);
    }
    int old = known(arg, a->zCode);
    if (old != 0 && old != a->level) {
      char z[128];
      snprintf(z, sizeof z, "'%s' is already a %s; its level cannot change",
               a->zCode, cases_area_level_name(old));
      row_error(rep, aLine[i], z);
    }
  }
  if (rep->nErrors > 0) {
    rc = sws_err_set(err, SWS_EINVAL, "%d line%s of the area file %s wrong; "
                     "nothing was loaded", rep->nErrors,
                     rep->nErrors == 1 ? "" : "s",
                     rep->nErrors == 1 ? "is" : "are");
    goto out;
  }
  if (nArea == 0) {
    rc = sws_err_set(err, SWS_EINVAL, "the area file has no areas");
    goto out;
  }
  qsort(aArea, (size_t)nArea, sizeof *aArea, by_level);
  *paArea = aArea;
  *pnArea = nArea;
  aArea = NULL;
out:
  free(aArea);
  free(aLine);
  return rc;
}

static int office_level(void *arg, const char *zCode)
{
  return db_level(arg, zCode);
}

int cases_area_load_csv(struct sws_ctx *ctx, const char *zData, size_t n,
                        struct area_load_report *rep, struct sws_err *err)
{
  struct area *aArea = NULL;
  int nArea = 0;
  sqlite3_stmt *q = NULL;
  int rc = cases_area_parse_csv(zData, n, office_level, ctx, &aArea, &nArea,
                                rep, err);
  if (rc != 0)
    return rc;
  if ((rc = cases_op_begin(ctx, "area.load", err)) != 0)
    goto out;
  for (int i = 0; i < nArea && rc == 0; i++) {
    int exists = db_level(ctx, aArea[i].zCode) != 0;
    if ((rc = db_prepare(ctx->db, &q,
                         "INSERT INTO area(code, level, name, name_latin, "
                         "parent_code) VALUES (:code, :level, :name, :latin, "
                         ":parent) ON CONFLICT(code) DO UPDATE SET "
                         "name = excluded.name, name_latin = "
                         "excluded.name_latin, parent_code = "
                         "excluded.parent_code",
                         err)) != 0)
      break;
    db_bind_text(q, ":code", aArea[i].zCode);
    db_bind_text(q, ":level", cases_area_level_name(aArea[i].level));
    db_bind_text(q, ":name", aArea[i].zName);
    db_bind_text(q, ":latin", aArea[i].zLatin);
    db_bind_text(q, ":parent",
                 aArea[i].level == AREA_PROVINCE ? NULL : aArea[i].zParent);
    rc = db_step(ctx->db, q, err);
    if (rc > 0)
      rc = 0;
    db_done(ctx->db, q);
    if (exists)
      rep->nUpdated++;
    else
      rep->nAdded++;
  }
  {
    char zDetail[96];
    snprintf(zDetail, sizeof zDetail, "%d added, %d updated", rep->nAdded,
             rep->nUpdated);
    rc = cases_op_end(ctx, rc, "area", "", zDetail, err);
  }
out:
  free(aArea);
  return rc;
}

const char *cases_area_default_csv(size_t *pn)
{
  *pn = strlen(cases_default_areas_csv);
  return cases_default_areas_csv;
}

int cases_area_load_default(struct sws_ctx *ctx, struct area_load_report *rep,
                            struct sws_err *err)
{
  const char *z = cases_country_of(ctx)->zAreasCsv;
  return cases_area_load_csv(ctx, z, strlen(z), rep, err);
}

static void fill(sqlite3_stmt *q, struct area *a)
{
  memset(a, 0, sizeof *a);
  sws_strlcpy(a->zCode, db_col_str(q, 0), sizeof a->zCode);
  a->level = cases_area_level_parse(db_col_str(q, 1));
  sws_strlcpy(a->zName, db_col_str(q, 2), sizeof a->zName);
  sws_strlcpy(a->zLatin, db_col_str(q, 3), sizeof a->zLatin);
  sws_strlcpy(a->zParent, db_col_str(q, 4), sizeof a->zParent);
}

int cases_area_get(struct sws_ctx *ctx, const char *zCode, struct area *out,
                   struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT code, level, name, name_latin, parent_code "
                      "FROM area WHERE code = :code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":code", zCode);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    fill(q, out);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no area with code '%s'; see 'sws "
                     "area list'", zCode);
  }
  db_done(ctx->db, q);
  return rc;
}

int cases_area_list(struct sws_ctx *ctx, int level,
                    int (*fn)(const struct area *, void *), void *arg,
                    struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT code, level, name, name_latin, parent_code "
                      "FROM area WHERE :level IS NULL OR level = :level "
                      "ORDER BY code",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":level", level ? cases_area_level_name(level) : NULL);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    struct area a;
    fill(q, &a);
    if (fn(&a, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_area_ancestor(struct sws_ctx *ctx, const char *zCode, int level,
                        struct area *out, struct sws_err *err)
{
  int rc = cases_area_get(ctx, zCode, out, err);
  while (rc == 0 && out->level > level && out->zParent[0]) {
    char zParent[SWS_AREA_CODE_MAX];
    sws_strlcpy(zParent, out->zParent, sizeof zParent);
    rc = cases_area_get(ctx, zParent, out, err);
  }
  if (rc == 0 && out->level != level)
    rc = sws_err_set(err, SWS_ENOTFOUND, "area '%s' has no %s above it", zCode,
                     sws_err_translate(cases_area_level_name(level)));
  return rc;
}

int cases_area_path(struct sws_ctx *ctx, const char *zCode, int bLatin,
                    struct buf *out, struct sws_err *err)
{
  struct area a;
  int rc = cases_area_get(ctx, zCode, &a, err);
  int first = 1;
  while (rc == 0) {
    const char *zn = (bLatin && a.zLatin[0]) ? a.zLatin : a.zName;
    buf_appendf(out, "%s%s", first ? "" : ", ", zn);
    first = 0;
    if (!a.zParent[0])
      break;
    char zParent[SWS_AREA_CODE_MAX];
    sws_strlcpy(zParent, a.zParent, sizeof zParent);
    rc = cases_area_get(ctx, zParent, &a, err);
  }
  return rc;
}
