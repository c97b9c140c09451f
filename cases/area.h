/*
 * area.h - the administrative hierarchy: province > district > commune >
 * village, each with a code, a name in the local script and in Latin.
 *
 * CSV format (sws area load): one area per line, code first:
 *   code,level,name,name_latin,parent_code
 * A first line starting with "code" is a header and skipped. Provinces have
 * an empty parent; every other area's parent is one level up.
 */
#ifndef SWS_CASES_AREA_H
#define SWS_CASES_AREA_H

#include <stddef.h>

#include "cases/ctx.h"
#include "core/buf.h"

#define SWS_AREA_CODE_MAX 33

enum area_level {
  AREA_PROVINCE = 1,
  AREA_DISTRICT = 2,
  AREA_COMMUNE = 3,
  AREA_VILLAGE = 4,
};

struct area {
  char zCode[SWS_AREA_CODE_MAX];
  int level; /* enum area_level */
  char zName[201];
  char zLatin[201];
  char zParent[SWS_AREA_CODE_MAX]; /* "" for a province */
};

/* "province" ... for a level, and back (0 if unknown). */
const char *cases_area_level_name(int level);
int cases_area_level_parse(const char *z);

struct area_load_report {
  int nAdded, nUpdated; /* areas written */
  int nErrors;          /* lines refused */
  struct buf errors;    /* "line N: why\n" for each refused line */
};

/*
 * Load areas from CSV text (all or nothing: if any line is wrong nothing is
 * written and SWS_EINVAL is returned with rep->errors listing every bad
 * line). Existing codes are updated. Release rep->errors with buf_release.
 */
int cases_area_load_csv(struct sws_ctx *ctx, const char *zData, size_t n,
                        struct area_load_report *rep, struct sws_err *err);

/*
 * Read and check area CSV text without storing it: known(arg, code) gives
 * the level of an area already stored (0: none), for parents and for
 * levels that must not change. *paArea gets the areas, parents first
 * (free it); on SWS_EINVAL rep->errors lists every bad line. The office
 * (cases_area_load_csv) and the registry store what it gives.
 */
int cases_area_parse_csv(const char *zData, size_t n,
                         int (*known)(void *arg, const char *zCode),
                         void *arg, struct area **paArea, int *pnArea,
                         struct area_load_report *rep, struct sws_err *err);

/* The built-in sample hierarchy as CSV text (data/areas-kh.csv). */
const char *cases_area_default_csv(size_t *pn);

/* Load the built-in sample hierarchy (used by sws init). */
int cases_area_load_default(struct sws_ctx *ctx, struct area_load_report *rep,
                            struct sws_err *err);

/* Read one area; SWS_ENOTFOUND with a hint if it does not exist. */
int cases_area_get(struct sws_ctx *ctx, const char *zCode, struct area *out,
                   struct sws_err *err);

/* Call fn for each area (of `level`, or all when 0) in code order. */
int cases_area_list(struct sws_ctx *ctx, int level,
                    int (*fn)(const struct area *, void *), void *arg,
                    struct sws_err *err);

/*
 * The ancestor of zCode at `level` (the area itself if it is at that level)
 * into out; SWS_ENOTFOUND if there is none.
 */
int cases_area_ancestor(struct sws_ctx *ctx, const char *zCode, int level,
                        struct area *out, struct sws_err *err);

/* "Village, Commune, District, Province" in Latin (or local) names. */
int cases_area_path(struct sws_ctx *ctx, const char *zCode, int bLatin,
                    struct buf *out, struct sws_err *err);

#endif
