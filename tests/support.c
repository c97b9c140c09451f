/*
 * support.c - shared CUnit fixtures (see support.h).
 */
#include "tests/support.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/area.h"
#include "cases/assessment.h"
#include "cases/grievance.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/programme.h"
#include "cases/user.h"
#include "core/mem.h"

struct sws_ctx *t_ctx;
struct sws_err t_err;

const char t_areas_csv[] =
    "code,level,name,name_latin,parent_code\n"
    "P1,province,ខេត្ត,Province One,\n"
    "D1,district,ស្រុក,District One,P1\n"
    "C1,commune,ឃុំ,Commune One,D1\n"
    "C2,commune,ឃុំពីរ,Commune Two,D1\n"
    "V1,village,ភូមិ,Village One,C1\n"
    "V2,village,ភូមិពីរ,Village Two,C1\n"
    "V3,village,ភូមិបី,Village Three,C2\n";

struct sws_ctx *t_office_new(const char *zCode)
{
  return t_office_at(zCode, NULL);
}

struct sws_ctx *t_office_at(const char *zCode, const char *zPath)
{
  return t_device_at(zCode, NULL, zPath);
}

struct sws_ctx *t_device_at(const char *zCode, const char *zDevice,
                            const char *zPath)
{
  struct area_load_report rep;
  struct sws_ctx *ctx;
  sws_err_clear(&t_err);
  if (cases_open(&ctx, zPath, CASES_CREATE | (zPath ? 0 : CASES_MEMORY),
                 &t_err) != 0 ||
      cases_office_init_device(ctx, zCode, zDevice, "Test Office", &t_err) !=
          0) {
    fprintf(stderr, "fixture: %s\n", t_err.msg);
    abort();
  }
  if (cases_area_load_csv(ctx, t_areas_csv, strlen(t_areas_csv), &rep, &t_err) != 0) {
    fprintf(stderr, "fixture: %s\n%s", t_err.msg, buf_str(&rep.errors));
    abort();
  }
  buf_release(&rep.errors);
  if (cases_grievance_config_load_default(ctx, &t_err) != 0 ||
      cases_instrument_load_default(ctx, &t_err) != 0 ||
      cases_programme_load_default(ctx, &t_err) != 0) {
    fprintf(stderr, "fixture: %s\n", t_err.msg);
    abort();
  }
  static const struct {
    const char *zLogin;
    int role;
  } users[] = {{"admin", ROLE_ADMIN},
               {"desk", ROLE_FRONT_DESK},
               {"cm1", ROLE_CASE_MANAGER},
               {"cm2", ROLE_CASE_MANAGER},
               {"sup", ROLE_SUPERVISOR}};
  for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
    if (cases_user_add(ctx, users[i].zLogin, users[i].role, "",
                       "correct horse battery", &t_err) != 0) {
      fprintf(stderr, "fixture: %s\n", t_err.msg);
      abort();
    }
  }
  cases_set_actor(ctx, "desk");
  sws_err_clear(&t_err);
  return ctx;
}

void t_office_setup(void)
{
  t_ctx = t_office_new("KH12");
}

void t_office_teardown(void)
{
  cases_close(t_ctx);
  t_ctx = NULL;
}

static char *g_tmpdir;

static void rm_tmpdir(void)
{
  if (g_tmpdir) {
    char *cmd = sws_mprintf("rm -rf '%s'", g_tmpdir);
    if (system(cmd) != 0)
      fprintf(stderr, "cannot remove %s\n", g_tmpdir);
    free(cmd);
    free(g_tmpdir);
    g_tmpdir = NULL;
  }
}

const char *t_tmpdir(void)
{
  static int n;
  if (g_tmpdir == NULL) {
    char tmpl[] = "/tmp/sws-test-XXXXXX";
    if (mkdtemp(tmpl) == NULL) {
      perror("mkdtemp");
      abort();
    }
    g_tmpdir = sws_strdup(tmpl);
    atexit(rm_tmpdir);
  }
  static char zDir[256];
  snprintf(zDir, sizeof zDir, "%s/%d", g_tmpdir, ++n);
  char *cmd = sws_mprintf("mkdir -p '%s'", zDir);
  if (system(cmd) != 0)
    abort();
  free(cmd);
  return zDir;
}

static char *g_pgCluster; /* the cluster this process started, if any */
static char *g_pgBase;    /* the URL of the cluster's first database */

static void pg_cluster_stop(void)
{
  if (g_pgCluster) {
    char *cmd = sws_mprintf("sh tests/pg-cluster.sh stop '%s'", g_pgCluster);
    if (system(cmd) != 0)
      fprintf(stderr, "cannot stop the cluster in %s\n", g_pgCluster);
    free(cmd);
    free(g_pgCluster);
    g_pgCluster = NULL;
  }
  free(g_pgBase);
  g_pgBase = NULL;
}

const char *t_pg_url(void)
{
  static int n;
  static char zUrl[600];
  if (g_pgBase == NULL) {
    const char *z = getenv("SWS_TEST_PG");
    if (z && *z) {
      g_pgBase = sws_strdup(z);
    } else {
      char tmpl[] = "/tmp/sws-pg-XXXXXX", line[512];
      int fd = mkstemp(tmpl);
      if (fd < 0)
        abort();
      close(fd);
      unlink(tmpl); /* the script makes the directory itself */
      g_pgCluster = sws_strdup(tmpl);
      atexit(pg_cluster_stop);
      char *cmd = sws_mprintf("sh tests/pg-cluster.sh start '%s'", tmpl);
      FILE *f = popen(cmd, "r");
      free(cmd);
      if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        fprintf(stderr, "fixture: no PostgreSQL cluster (tests/pg-cluster.sh"
                        " start failed)\n");
        abort();
      }
      pclose(f);
      line[strcspn(line, "\n")] = '\0';
      g_pgBase = sws_strdup(line);
    }
  }
  /* a database of its own for each test */
  PGconn *c = PQconnectdb(g_pgBase);
  char zDb[64], zSql[100];
  snprintf(zDb, sizeof zDb, "t_%d_%d", (int)getpid(), ++n);
  snprintf(zSql, sizeof zSql, "CREATE DATABASE %s", zDb);
  PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, zSql) : NULL;
  if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
    fprintf(stderr, "fixture: cannot create a PostgreSQL database: %s\n",
            PQerrorMessage(c));
    abort();
  }
  PQclear(r);
  PQfinish(c);
  /* postgresql://sws@/sws?host=...: the database name before the '?' */
  const char *q = strchr(g_pgBase, '?');
  const char *slash = q ? q : g_pgBase + strlen(g_pgBase);
  while (slash > g_pgBase && slash[-1] != '/')
    slash--;
  snprintf(zUrl, sizeof zUrl, "%.*s%s%s", (int)(slash - g_pgBase), g_pgBase,
           zDb, q ? q : "");
  return zUrl;
}

const char *t_household(const char *zHead, char sex, const char *zBorn,
                        const char *zArea)
{
  static char zRegno[SWS_NUMBER_MAX];
  struct member_input m[2] = {
      {zHead, sex, zBorn, REL_HEAD, NULL, NULL, 0},
      {"Child Of Them", 'F', "2015", REL_CHILD, NULL, NULL, 0}};
  struct household_input in = {zArea, NULL, NULL, NULL, m, 2,
                               "test fixture"};
  if (cases_household_create(t_ctx, &in, zRegno, NULL, &t_err) != 0) {
    fprintf(stderr, "fixture: %s\n", t_err.msg);
    abort();
  }
  return zRegno;
}

int64_t t_flag_id(struct sws_ctx *ctx, const char *zA, const char *zB)
{
  sqlite3_stmt *q;
  int64_t id = 0;
  if (db_prepare(ctx->db, &q,
                 "SELECT f.id FROM duplicate_flag f JOIN household a ON a.id "
                 "= f.household_id JOIN household b ON b.id = "
                 "f.other_household_id WHERE (a.regno = :a AND b.regno = :b) "
                 "OR (a.regno = :b AND b.regno = :a)",
                 NULL) != 0)
    return 0;
  db_bind_text(q, ":a", zA);
  db_bind_text(q, ":b", zB);
  if (db_step(ctx->db, q, NULL) == DB_ROW)
    id = db_col_int64(q, 0);
  db_done(ctx->db, q);
  return id;
}
