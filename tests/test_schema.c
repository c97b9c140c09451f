/*
 * test_schema.c - migrations: a new file gets every step, its kind and
 * version stamped; a file of another kind or from a newer sws is refused
 * with a clear message; an existing file is brought up to date.
 */
#include <CUnit/CUnit.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A registry made before its records had tables of their own (schema 4:
 * JSON texts in `record`) keeps every record when it is opened: each in
 * its table, and what does not fit is kept in record_legacy. */
static void test_schema__central_records_move_to_their_tables(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct sws_db *db = NULL;
  struct central *c = NULL;
  char zPath[300];
  const int n4 = 4;
  const struct schema_set v4 = {"central", schema_central.application_id,
                                schema_central.aStep, &n4};
  snprintf(zPath, sizeof zPath, "%s/old-central.db", t_tmpdir());
  CU_ASSERT_EQUAL_FATAL(db_open(&db, zPath, DB_CREATE, &err), 0);
  CU_ASSERT_EQUAL_FATAL(schema_migrate(db, &v4, 1, &err), 0);
  CU_ASSERT_EQUAL_FATAL(
      db_exec(db,
              "INSERT INTO registry(id, name, cursor_key, epoch, created_at) "
              "VALUES (1, 'old', zeroblob(32), 1, '2026-01-01T00:00:00Z');"
              "INSERT INTO record VALUES ('household', "
              "'01900000-0000-7000-8000-000000000001', 'KH12', "
              "'{\"regno\":\"KH12-000001-7\",\"area_code\":\"17010101\","
              "\"address\":\"\",\"phone\":\"012345678\",\"status\":"
              "\"active\",\"status_reason\":\"\",\"import_key\":null,"
              "\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":"
              "\"desk\"}', 3, '2026-01-01T00:00:00Z', "
              "'2026-01-02T00:00:00Z');"
              "INSERT INTO record VALUES ('member', "
              "'01900000-0000-7000-8000-000000000002', 'KH12', "
              "'{\"household_id\":\"01900000-0000-7000-8000-000000000001\","
              "\"line_no\":1,\"name\":\"Sok Dara\",\"sex\":\"F\","
              "\"born\":\"1980\",\"relationship\":\"head\","
              "\"national_id\":null,\"phone\":\"\",\"disability\":0,"
              "\"status\":\"active\",\"created_at\":"
              "\"2026-01-01T00:00:00Z\"}', 1, '2026-01-01T00:00:00Z', "
              "'2026-01-01T00:00:00Z');"
              /* stored before the registry checked values */
              "INSERT INTO record VALUES ('member', "
              "'01900000-0000-7000-8000-000000000003', 'KH66', "
              "'{\"household_id\":\"01900000-0000-7000-8000-000000000001\","
              "\"line_no\":\"two\",\"name\":null}', 1, "
              "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
              &err),
      0);
  db_close(db);
  CU_ASSERT_EQUAL_FATAL(central_open(&c, zPath, 0, NULL, &err), 0);
  char *z = NULL, zOwner[CENTRAL_CODE_MAX];
  CU_ASSERT_EQUAL(c->s->ops->record_get(c->s, "household",
                                        "01900000-0000-7000-8000-000000000001",
                                        &z, zOwner, &err),
                  0);
  CU_ASSERT_STRING_EQUAL(zOwner, "KH12");
  json_t *h = json_loads(z ? z : "", 0, NULL);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(h, "regno")),
                         "KH12-000001-7");
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(h, "phone")),
                         "012345678");
  json_decref(h);
  free(z);
  z = NULL;
  CU_ASSERT_EQUAL(c->s->ops->record_get(c->s, "member",
                                        "01900000-0000-7000-8000-000000000002",
                                        &z, NULL, &err),
                  0);
  json_t *m = json_loads(z ? z : "", 0, NULL);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(m, "name")),
                         "Sok Dara");
  CU_ASSERT_EQUAL(json_integer_value(json_object_get(m, "line_no")), 1);
  json_decref(m);
  free(z);
  CU_ASSERT_EQUAL(c->s->ops->record_get(c->s, "member",
                                        "01900000-0000-7000-8000-000000000003",
                                        NULL, NULL, &err),
                  SWS_ENOTFOUND);
  central_close(c);
  /* the row that did not fit is still in the file */
  CU_ASSERT_EQUAL_FATAL(db_open(&db, zPath, 0, &err), 0);
  int64_t n = 0;
  CU_ASSERT_EQUAL(db_int64(db, &n, 0, "SELECT count(*) FROM record_legacy "
                                      "WHERE office = 'KH66'",
                           &err),
                  0);
  CU_ASSERT_EQUAL(n, 1);
  db_close(db);
}

static CU_TestInfo tests[] = {
    {"test_schema__new_office_is_stamped",
     test_schema__new_office_is_stamped},
    {"test_schema__newer_or_foreign_files_are_refused",
     test_schema__newer_or_foreign_files_are_refused},
    {"test_schema__central_records_move_to_their_tables",
     test_schema__central_records_move_to_their_tables},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_schema = {"schema", NULL, NULL, NULL, NULL, tests};
