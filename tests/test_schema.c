/*
 * test_schema.c - migrations: a new file gets every step, its kind and
 * version stamped; a file of another kind or from a newer sws is refused
 * with a clear message; an existing file is brought up to date.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "cases/ctx.h"
#include "schema/schema.h"
#include "sync/central.h"
#include "tests/support.h"

static void test_schema__new_office_is_stamped(void)
{
  struct sws_ctx *ctx;
  struct sws_err err = SWS_ERR_INIT;
  char zPath[300];
  int64_t v, app;
  snprintf(zPath, sizeof zPath, "%s/o.db", t_tmpdir());
  CU_ASSERT_EQUAL_FATAL(cases_open(&ctx, zPath, CASES_CREATE, &err), 0);
  CU_ASSERT_EQUAL(db_int64(ctx->db, &v, 0, "PRAGMA user_version", &err), 0);
  CU_ASSERT_EQUAL(v, schema_latest(&schema_office));
  CU_ASSERT_EQUAL(db_int64(ctx->db, &app, 0, "PRAGMA application_id", &err),
                  0);
  CU_ASSERT_EQUAL(app, schema_office.application_id);
  CU_ASSERT_EQUAL(db_int64(ctx->db, &v, 0, "PRAGMA foreign_keys", &err), 0);
  CU_ASSERT_EQUAL(v, 1);
  CU_ASSERT_EQUAL(db_int64(ctx->db, &v, 0, "PRAGMA synchronous", &err), 0);
  CU_ASSERT_EQUAL(v, 2); /* FULL */
  cases_close(ctx);
  /* reopening changes nothing */
  CU_ASSERT_EQUAL_FATAL(cases_open(&ctx, zPath, 0, &err), 0);
  cases_close(ctx);
}

static void test_schema__newer_or_foreign_files_are_refused(void)
{
  struct sws_ctx *ctx;
  struct central *c;
  struct sws_err err = SWS_ERR_INIT;
  char zPath[300], zCentral[300], zEmpty[300];
  const char *zDir = t_tmpdir();
  snprintf(zPath, sizeof zPath, "%s/o.db", zDir);
  snprintf(zCentral, sizeof zCentral, "%s/c.db", zDir);
  snprintf(zEmpty, sizeof zEmpty, "%s/e.db", zDir);
  CU_ASSERT_EQUAL_FATAL(cases_open(&ctx, zPath, CASES_CREATE, &err), 0);
  CU_ASSERT_EQUAL(db_exec(ctx->db, "PRAGMA user_version = 999", &err), 0);
  cases_close(ctx);
  CU_ASSERT_EQUAL(cases_open(&ctx, zPath, 0, &err), SWS_ESCHEMA);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "newer sws"));
  /* a central registry is not an office */
  CU_ASSERT_EQUAL_FATAL(central_open(&c, zCentral, 1, "x", &err), 0);
  central_close(c);
  CU_ASSERT_EQUAL(cases_open(&ctx, zCentral, 0, &err), SWS_ESCHEMA);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "central registry"));
  /* nor the other way round */
  CU_ASSERT_NOT_EQUAL(central_open(&c, zPath, 0, NULL, &err), 0);
  /* a missing file is not created by accident */
  CU_ASSERT_EQUAL(cases_open(&ctx, zEmpty, 0, &err), SWS_ENOTFOUND);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sws init"));
  FILE *f = fopen(zEmpty, "r");
  CU_ASSERT_PTR_NULL(f);
  if (f)
    fclose(f);
}

static CU_TestInfo tests[] = {
    {"test_schema__new_office_is_stamped",
     test_schema__new_office_is_stamped},
    {"test_schema__newer_or_foreign_files_are_refused",
     test_schema__newer_or_foreign_files_are_refused},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_schema = {"schema", NULL, NULL, NULL, NULL, tests};
