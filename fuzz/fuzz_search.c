/*
 * fuzz_search.c - libFuzzer target: the search box (cases/search.c) on
 * arbitrary text, against an in-memory office with households in three
 * scripts. The query becomes FTS5 match expressions for two indexes; any
 * text must give hits or a message for the officer (SWS_EINVAL, or
 * SWS_ETOOBIG over 200 bytes), never a database error (a malformed
 * expression) or a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/area.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/search.h"
#include "core/crypto.h"

static struct sws_ctx *ctx;

static void setup(void)
{
  static const char *azName[] = {"Sok Dara", "សុខ ស្រីមុំ", "Энх Оюунчимэг",
                                 "Keo Samnang", "Chan-Vuthy", "ជា ដាណាត"};
  struct sws_err err = SWS_ERR_INIT;
  struct area_load_report rep;
  sws_crypto_init(&err);
  if (cases_open(&ctx, NULL, CASES_CREATE | CASES_MEMORY, &err) != 0 ||
      cases_office_init(ctx, "KH12", "Fuzz", &err) != 0 ||
      cases_area_load_default(ctx, &rep, &err) != 0)
    abort();
  buf_release(&rep.errors);
  char zVillage[32] = "";
  sqlite3_stmt *q;
  if (db_prepare(ctx->db, &q, "SELECT code FROM area WHERE level = "
                 "'village' ORDER BY code LIMIT 1", &err) != 0 ||
      db_step(ctx->db, q, &err) != DB_ROW)
    abort();
  snprintf(zVillage, sizeof zVillage, "%s", db_col_str(q, 0));
  db_done(ctx->db, q);
  /* phones written three ways, for the phone lookup (cases_phone_same) */
  static const char *azPhone[] = {"012345678", NULL, "+97699112233",
                                  NULL, "12 345 679", "0085597111222"};
  for (int i = 0; i < 6; i++) {
    char zRegno[SWS_NUMBER_MAX];
    struct member_input m[1] = {{azName[i], i % 2 ? 'F' : 'M', "1980",
                                 REL_HEAD, NULL, azPhone[i], 0}};
    struct household_input in = {zVillage, NULL, azPhone[i], NULL, m, 1,
                                 "fuzz"};
    if (cases_household_create(ctx, &in, zRegno, NULL, &err) != 0)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct sws_err err = SWS_ERR_INIT;
  struct search_result r;
  if (ctx == NULL)
    setup();
  char *z = malloc(size + 1);
  memcpy(z, data, size);
  z[size] = '\0';
  int rc = cases_search(ctx, z, 1 + (size % 20), &r, &err);
  if (rc != 0 && rc != SWS_EINVAL && rc != SWS_ETOOBIG) {
    fprintf(stderr, "fuzz_search: %d: %s\n", rc, err.msg);
    abort(); /* a query the indexes could not take */
  }
  cases_search_release(&r);
  free(z);
  return 0;
}
