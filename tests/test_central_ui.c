/*
 * test_central_ui.c - the registry's web UI: its accounts (add, list,
 * disable; bad role, area or password refused; argon2id hashes), need-to-
 * know by area in sync/central_scope.c (a district or province officer
 * never lists, opens or decides another area's pair, office or conflict),
 * and the handler called directly as test_web.c does (login and logout in
 * the registry's log, CSRF, Host, security headers, direct addresses of
 * another area, decisions going through the command line's functions).
 * Every test on both registry stores: suite central_ui on SQLite,
 * central_ui_pg on PostgreSQL.
 *
 * The registry (areas "01" > "0101" > "010101" > "01010101"...):
 *   offices KA01 (district 0101), KA02 (district 0102): province 01;
 *   offices KB01, KB02 (district 0201): province 02;
 *   pair X: KA01's and KA02's households (province 01 only);
 *   pair Y: KB01's and KB02's (province 02 only);
 *   pair Z: KA02's and KB01's (both provinces);
 *   one conflict raised by KA01, one by KB01;
 *   grievances (received at the commune on 2026-03-02, escalated): G1 of
 *   KA01's household at the district layer (district 0101), G2 of KB01's
 *   at the province layer (province 02), G3 of KA02's at the province
 *   layer (province 01).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/area.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "pos/web/central_web.h"
#include "sync/central_account.h"
#include "sync/central_grievance.h"
#include "sync/central_scope.h"
#include "tests/support.h"
#include "tests/web_client.h"

#define HOST "127.0.0.1:8090"
#define PW "correct horse battery"

static int g_pg;
static struct central *g_c;
static struct cweb *g_cw;
/* the pairs' households: X = h[0] h[1], Y = h[2] h[3], Z = h[4] h[5] */
static char g_regno[6][SWS_NUMBER_MAX];
static char g_hid[6][SWS_UUID_LEN + 1];
static int64_t g_conflictA, g_conflictB; /* raised by KA01, KB01 */
static char g_ticket[3][SWS_NUMBER_MAX]; /* G1, G2, G3 */

static void area(const char *zCode, int level, const char *zName,
                 const char *zParent)
{
  struct area a;
  memset(&a, 0, sizeof a);
  sws_strlcpy(a.zCode, zCode, sizeof a.zCode);
  a.level = level;
  sws_strlcpy(a.zName, zName, sizeof a.zName);
  sws_strlcpy(a.zParent, zParent ? zParent : "", sizeof a.zParent);
  T_OK(g_c->s->ops->area_put(g_c->s, &a, &t_err));
}

static void office(const char *zCode, const char *zName)
{
  struct central_office o;
  memset(&o, 0, sizeof o);
  sws_strlcpy(o.zCode, zCode, sizeof o.zCode);
  sws_strlcpy(o.zOffice, zCode, sizeof o.zOffice);
  sws_strlcpy(o.zName, zName, sizeof o.zName);
  sws_random(o.pk, sizeof o.pk);
  sws_strlcpy(o.zKeyId, zCode, sizeof o.zKeyId);
  o.active = 1;
  sws_strlcpy(o.zEnrolledAt, "2026-01-05T08:00:00Z", sizeof o.zEnrolledAt);
  sws_strlcpy(o.zLastPushAt, "2026-03-01T09:30:00Z", sizeof o.zLastPushAt);
  T_OK(g_c->s->ops->office_put(g_c->s, &o, &t_err));
}

/* Household i of office zOffice in village zVillage, one head. */
static void household(int i, const char *zOffice, int64_t seq,
                      const char *zVillage, const char *zHead, const char *zNid)
{
  char zMember[SWS_UUID_LEN + 1];
  sws_uuid7(g_hid[i]);
  sws_uuid7(zMember);
  CU_ASSERT_EQUAL_FATAL(
      sws_number_format(g_regno[i], SWS_NUMBER_MAX, zOffice, seq), 0);
  json_t *h = json_pack("{s:s, s:s, s:s, s:s}", "regno", g_regno[i],
                        "area_code", zVillage, "created_at",
                        "2026-02-01T10:00:00Z", "created_by", "desk");
  json_t *m = json_pack(
      "{s:s, s:i, s:s, s:s, s:s, s:s, s:s?, s:s}", "household_id", g_hid[i],
      "line_no", 1, "name", zHead, "sex", "F", "born", "1984", "relationship",
      "head", "national_id", zNid, "created_at", "2026-02-01T10:00:00Z");
  char *zH = json_dumps(h, JSON_COMPACT), *zM = json_dumps(m, JSON_COMPACT);
  T_OK(g_c->s->ops->record_put(g_c->s, "household", g_hid[i], zOffice, zH, NULL,
                               &t_err));
  T_OK(g_c->s->ops->record_put(g_c->s, "member", zMember, zOffice, zM, NULL,
                               &t_err));
  free(zH);
  free(zM);
  json_decref(h);
  json_decref(m);
}

static void pair(int a, int b)
{
  int lo = strcmp(g_hid[a], g_hid[b]) < 0 ? a : b, hi = lo == a ? b : a;
  T_OK(g_c->s->ops->duplicate_put(g_c->s, g_hid[lo], g_hid[hi], 0.93,
                                  "same name, same birth year", NULL, &t_err));
}

/* One record of zEntity, owned by zOffice, as an office pushes it. */
static void put(const char *zEntity, const char *zId, const char *zOffice,
                json_t *fields)
{
  char *z = json_dumps(fields, JSON_COMPACT);
  T_OK(g_c->s->ops->record_put(g_c->s, zEntity, zId, zOffice, z, NULL, &t_err));
  free(z);
  json_decref(fields);
}

static void event(const char *zGrievance, const char *zOffice,
                  const char *zEvent, const char *zLayer, const char *zAt)
{
  char zId[SWS_UUID_LEN + 1];
  sws_uuid7(zId);
  put("grievance_event", zId, zOffice,
      json_pack("{s:s, s:s, s:s, s:s, s:s}", "grievance_id", zGrievance,
                "event", zEvent, "layer", zLayer, "at", zAt, "by", "sup"));
}

/* Grievance i of household h, at office zOffice, received at the commune
 * and escalated up to zTo (district or province). */
static void grievance(int i, int h, const char *zOffice, const char *zTo)
{
  char zId[SWS_UUID_LEN + 1], zPrefix[16];
  sws_uuid7(zId);
  snprintf(zPrefix, sizeof zPrefix, "%s-G", zOffice);
  CU_ASSERT_EQUAL_FATAL(
      sws_number_format(g_ticket[i], SWS_NUMBER_MAX, zPrefix, i + 1), 0);
  put("grievance", zId, zOffice,
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ticket",
                g_ticket[i], "household_id", g_hid[h], "category", "payment",
                "channel", "walk-in", "text", "the payment of March never came",
                "layer", "commune", "created_at", "2026-03-02T09:00:00Z",
                "created_by", "desk"));
  event(zId, zOffice, "received", "commune", "2026-03-02T09:00:00Z");
  event(zId, zOffice, "escalated", "district", "2026-03-02T09:05:00Z");
  if (strcmp(zTo, "province") == 0)
    event(zId, zOffice, "escalated", "province", "2026-03-02T09:10:00Z");
}

static int64_t last_conflict(void);

static void setup(void)
{
  char zPath[700];
  setenv("SWS_PW_FAST", "1", 1);
  unsetenv("SWS_NOW");
  if (g_pg)
    snprintf(zPath, sizeof zPath, "%s", t_pg_url());
  else
    snprintf(zPath, sizeof zPath, "%s/central.db", t_tmpdir());
  if (central_open(&g_c, zPath, 1, "Test registry", &t_err) != 0) {
    fprintf(stderr, "central: %s\n", t_err.msg);
    abort();
  }
  T_OK(g_c->s->ops->begin(g_c->s, &t_err));
  area("01", AREA_PROVINCE, "Province One", NULL);
  area("0101", AREA_DISTRICT, "District One-One", "01");
  area("0102", AREA_DISTRICT, "District One-Two", "01");
  area("010101", AREA_COMMUNE, "Commune 010101", "0101");
  area("010201", AREA_COMMUNE, "Commune 010201", "0102");
  area("01010101", AREA_VILLAGE, "Village 01010101", "010101");
  area("01020101", AREA_VILLAGE, "Village 01020101", "010201");
  area("02", AREA_PROVINCE, "Province Two", NULL);
  area("0201", AREA_DISTRICT, "District Two-One", "02");
  area("020101", AREA_COMMUNE, "Commune 020101", "0201");
  area("02010101", AREA_VILLAGE, "Village 02010101", "020101");
  office("KA01", "Office A one");
  office("KA02", "Office A two");
  office("KB01", "Office B one");
  office("KB02", "Office B two");
  household(0, "KA01", 1, "01010101", "Sok Dara", "N0101777");
  household(1, "KA02", 1, "01020101", "Sok Dara", NULL);
  household(2, "KB01", 1, "02010101", "Chan Thida", NULL);
  household(3, "KB02", 1, "02010101", "Chan Thida", NULL);
  household(4, "KA02", 2, "01020101", "Ly Sokha", NULL);
  household(5, "KB01", 2, "02010101", "Ly Sokha", NULL);
  pair(0, 1);
  pair(2, 3);
  pair(4, 5);
  T_OK(g_c->s->ops->conflict_put(g_c->s, "KA01", 3, "household", g_hid[0],
                                 "area_code", "\"01010101\"", "\"01020101\"",
                                 &t_err));
  T_OK(g_c->s->ops->conflict_put(g_c->s, "KB01", 3, "household", g_hid[2],
                                 "area_code", "\"02010101\"", "\"02010101\"",
                                 &t_err));
  grievance(0, 0, "KA01", "district");
  grievance(1, 2, "KB01", "province");
  grievance(2, 1, "KA02", "province");
  T_OK(g_c->s->ops->commit(g_c->s, &t_err));
  g_conflictB = last_conflict();
  g_conflictA = g_conflictB - 1;
  sws_strlcpy(g_c->zActor, "cli:test", sizeof g_c->zActor);
  T_OK(central_account_add(g_c, "nat", CROLE_NATIONAL, NULL, PW, &t_err));
  T_OK(central_account_add(g_c, "prov1", CROLE_PROVINCE, "01", PW, &t_err));
  T_OK(central_account_add(g_c, "prov2", CROLE_PROVINCE, "02", PW, &t_err));
  T_OK(central_account_add(g_c, "dist11", CROLE_DISTRICT, "0101", PW, &t_err));
  struct web_config cfg;
  memset(&cfg, 0, sizeof cfg);
  g_cw = cweb_open(g_c, &cfg);
  web_allow_host(cweb_web(g_cw), HOST);
}

static void teardown(void)
{
  cweb_close(g_cw);
  g_cw = NULL;
  central_close(g_c);
  g_c = NULL;
  unsetenv("SWS_NOW");
}

static int take_n(void *arg, int nCol, const char *const *az)
{
  *(int64_t *)arg = nCol > 0 && az[0] ? strtoll(az[0], NULL, 10) : -1;
  return 1;
}

/* One number the registry's SQL counts (the same on both stores). */
static int64_t count(const char *zSql, const char *zParam)
{
  int64_t n = -1;
  const char *v[1] = {zParam};
  T_OK(g_c->s->ops->read_rows(g_c->s, zSql, zParam ? 1 : 0, v, take_n, &n,
                              &t_err));
  return n;
}

static int64_t last_conflict(void)
{
  return count("SELECT max(id) FROM conflict", NULL);
}

static int64_t log_rows(const char *zActor, const char *zAction)
{
  char zSql[200];
  snprintf(zSql, sizeof zSql,
           "SELECT count(*) FROM central_log WHERE actor = $1 AND action = "
           "'%s'",
           zAction);
  return count(zSql, zActor);
}

static const char *pair_status(int a, int b)
{
  static char z[16];
  struct central_pair p;
  T_OK(central_pair_get(g_c, g_regno[a], g_regno[b], &p, &t_err));
  sws_strlcpy(z, p.zStatus, sizeof z);
  central_pair_release(&p);
  return z;
}

/* ---- accounts ---- */

struct seen {
  char z[8][80];
  int n;
};

static int seen_account(const struct central_account *u, void *arg)
{
  struct seen *s = arg;
  if (s->n < 8)
    snprintf(s->z[s->n++], sizeof s->z[0], "%s %s %s %d", u->zLogin,
             central_role_name(u->role), u->zArea[0] ? u->zArea : "-",
             u->active);
  return 0;
}

static void test_central_ui__accounts_added_listed_disabled(void)
{
  struct seen s = {{{0}}, 0};
  struct central_account a;
  T_OK(central_account_list(g_c, seen_account, &s, &t_err));
  CU_ASSERT_EQUAL_FATAL(s.n, 4);
  CU_ASSERT_STRING_EQUAL(s.z[0], "dist11 district 0101 1");
  CU_ASSERT_STRING_EQUAL(s.z[1], "nat national - 1");
  CU_ASSERT_STRING_EQUAL(s.z[2], "prov1 province 01 1");
  T_OK(central_account_get(g_c, "prov1", &a, &t_err));
  CU_ASSERT_STRING_EQUAL(a.zAreaName, "Province One");
  CU_ASSERT_STRING_EQUAL(a.zCreatedBy, "cli:test");
  /* an argon2id hash, never the password */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM ui_account WHERE "
                        "password_hash LIKE '$argon2id$%'",
                        NULL),
                  4);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM ui_account WHERE "
                        "password_hash LIKE '%' || $1 || '%'",
                        PW),
                  0);
  T_OK(central_account_authenticate(g_c, "prov1", PW, &a, &t_err));
  CU_ASSERT_EQUAL(a.role, CROLE_PROVINCE);
  CU_ASSERT_EQUAL(central_account_authenticate(g_c, "prov1",
                                               "wrong horse "
                                               "battery",
                                               &a, &t_err),
                  SWS_EPERM);
  CU_ASSERT_EQUAL(central_account_authenticate(g_c, "nobody", PW, &a, &t_err),
                  SWS_EPERM);
  /* disabled: no login any more; twice is refused; unknown not found */
  T_OK(central_account_disable(g_c, "prov1", &t_err));
  CU_ASSERT_EQUAL(central_account_authenticate(g_c, "prov1", PW, &a, &t_err),
                  SWS_EPERM);
  CU_ASSERT_EQUAL(central_account_disable(g_c, "prov1", &t_err), SWS_ECONFLICT);
  CU_ASSERT_EQUAL(central_account_disable(g_c, "nobody", &t_err),
                  SWS_ENOTFOUND);
  T_OK(central_account_get(g_c, "prov1", &a, &t_err));
  CU_ASSERT_EQUAL(a.active, 0);
  CU_ASSERT(a.zDisabledAt[0] != '\0');
  CU_ASSERT_EQUAL(log_rows("cli:test", "account.add"), 4);
  CU_ASSERT_EQUAL(log_rows("cli:test", "account.disable"), 1);
}

static void test_central_ui__bad_accounts_refused(void)
{
  int64_t n = count("SELECT count(*) FROM ui_account", NULL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "x", CROLE_NATIONAL, NULL, PW, &t_err),
      SWS_EINVAL); /* login too short */
  CU_ASSERT_EQUAL(central_account_add(g_c, "who", 0, NULL, PW, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(central_account_add(g_c, "who", 4, "01", PW, &t_err),
                  SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_NATIONAL, "01", PW, &t_err),
      SWS_EINVAL);
  CU_ASSERT(strstr(t_err.msg, "no --area") != NULL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_PROVINCE, NULL, PW, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_PROVINCE, "0101", PW, &t_err),
      SWS_EINVAL);
  CU_ASSERT(strstr(t_err.msg, "is a district, not a province") != NULL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_DISTRICT, "01", PW, &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_DISTRICT, "0999", PW, &t_err),
      SWS_EINVAL);
  CU_ASSERT(strstr(t_err.msg, "no area '0999'") != NULL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "who", CROLE_DISTRICT, "0101", "short", &t_err),
      SWS_EINVAL);
  CU_ASSERT_EQUAL(
      central_account_add(g_c, "nat", CROLE_NATIONAL, NULL, PW, &t_err),
      SWS_ECONFLICT);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM ui_account", NULL), n);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM central_log WHERE action = "
                        "'account.add'",
                        NULL),
                  n);
}

/* ---- scope ---- */

struct pairs {
  char z[8][100];
  int n;
};

static int seen_pair(int64_t id, const struct central_household *a,
                     const struct central_household *b, double score,
                     const char *zReasons, const char *zStatus, void *arg)
{
  struct pairs *p = arg;
  (void)id, (void)score, (void)zReasons, (void)zStatus;
  if (p->n < 8)
    snprintf(p->z[p->n++], sizeof p->z[0], "%s %s", a->zRegno, b->zRegno);
  return 0;
}

/* 1 if the listing has the pair of households i and j. */
static int lists(const struct pairs *p, int i, int j)
{
  for (int k = 0; k < p->n; k++)
    if (strstr(p->z[k], g_regno[i]) && strstr(p->z[k], g_regno[j]))
      return 1;
  return 0;
}

static int seen_office(const struct central_office *o, void *arg)
{
  struct pairs *p = arg;
  if (p->n < 8)
    snprintf(p->z[p->n++], sizeof p->z[0], "%s", o->zCode);
  return 0;
}

static int seen_conflict(const struct central_conflict *k, const char *zRegno,
                         void *arg)
{
  struct pairs *p = arg;
  (void)zRegno;
  if (p->n < 8)
    snprintf(p->z[p->n++], sizeof p->z[0], "%lld", (long long)k->id);
  return 0;
}

/* The scope of zArea: its pairs, offices and conflicts, as text. */
static void scope_lists(const char *zArea, struct pairs *d, struct pairs *o,
                        struct pairs *k)
{
  struct central_scope sc;
  memset(d, 0, sizeof *d);
  memset(o, 0, sizeof *o);
  memset(k, 0, sizeof *k);
  T_OK(central_scope_open(g_c, zArea, &sc, &t_err));
  T_OK(central_scope_duplicates(g_c, &sc, 0, seen_pair, d, &t_err));
  T_OK(central_scope_offices(g_c, &sc, seen_office, o, &t_err));
  T_OK(central_scope_conflicts(g_c, &sc, 0, seen_conflict, k, &t_err));
  central_scope_release(&sc);
}

static void test_central_ui__scope_lists_the_area_only(void)
{
  struct pairs d, o, k;
  char zA[24], zB[24];
  snprintf(zA, sizeof zA, "%lld", (long long)g_conflictA);
  snprintf(zB, sizeof zB, "%lld", (long long)g_conflictB);
  /* district 0101: pair X (its household), office KA01, its conflict */
  scope_lists("0101", &d, &o, &k);
  CU_ASSERT_EQUAL(d.n, 1);
  CU_ASSERT(lists(&d, 0, 1));
  CU_ASSERT_EQUAL(o.n, 1);
  CU_ASSERT_STRING_EQUAL(o.z[0], "KA01");
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.z[0], zA);
  /* province 01: X and Z, never Y; KA01 and KA02; KA01's conflict */
  scope_lists("01", &d, &o, &k);
  CU_ASSERT_EQUAL(d.n, 2);
  CU_ASSERT(lists(&d, 0, 1) && lists(&d, 4, 5) && !lists(&d, 2, 3));
  CU_ASSERT_EQUAL(o.n, 2);
  CU_ASSERT_EQUAL(k.n, 1);
  /* province 02: Y and Z; KB01 and KB02; KB01's conflict */
  scope_lists("02", &d, &o, &k);
  CU_ASSERT_EQUAL(d.n, 2);
  CU_ASSERT(lists(&d, 2, 3) && lists(&d, 4, 5) && !lists(&d, 0, 1));
  CU_ASSERT_EQUAL(o.n, 2);
  CU_ASSERT(strcmp(o.z[0], "KB01") == 0 || strcmp(o.z[1], "KB01") == 0);
  CU_ASSERT_EQUAL_FATAL(k.n, 1);
  CU_ASSERT_STRING_EQUAL(k.z[0], zB);
  /* national: everything */
  scope_lists(NULL, &d, &o, &k);
  CU_ASSERT_EQUAL(d.n, 3);
  CU_ASSERT_EQUAL(o.n, 4);
  CU_ASSERT_EQUAL(k.n, 2);
  /* an office serving a commune of district 0101, with no household yet */
  office("KC01", "Office C one");
  T_OK(central_office_area_set(g_c, "KC01", "010101", &t_err));
  scope_lists("0101", &d, &o, &k);
  CU_ASSERT_EQUAL_FATAL(o.n, 2);
  CU_ASSERT_STRING_EQUAL(o.z[1], "KC01");
  scope_lists("02", &d, &o, &k);
  CU_ASSERT_EQUAL(o.n, 2);
  CU_ASSERT(strcmp(o.z[0], "KC01") != 0 && strcmp(o.z[1], "KC01") != 0);
}

static void test_central_ui__scope_refuses_another_area(void)
{
  struct central_scope sc;
  struct central_pair p;
  struct central_office o;
  T_OK(central_scope_open(g_c, "0101", &sc, &t_err));
  /* pair Y (province 02) and pair Z (no household in 0101) */
  CU_ASSERT_EQUAL(
      central_scope_pair(g_c, &sc, g_regno[2], g_regno[3], &p, &t_err),
      SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(
      central_scope_pair(g_c, &sc, g_regno[4], g_regno[5], &p, &t_err),
      SWS_ENOTFOUND);
  /* two households of the area that are no pair */
  CU_ASSERT_EQUAL(
      central_scope_pair(g_c, &sc, g_regno[0], g_regno[4], &p, &t_err),
      SWS_ENOTFOUND);
  T_OK(central_scope_pair(g_c, &sc, g_regno[1], g_regno[0], &p, &t_err));
  central_pair_release(&p);
  /* decisions on another area's pair change nothing */
  CU_ASSERT_EQUAL(central_scope_merge(g_c, &sc, g_regno[2], g_regno[3], &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(central_scope_dismiss(g_c, &sc, g_regno[4], g_regno[5],
                                        "not ours", &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_STRING_EQUAL(pair_status(2, 3), "open");
  CU_ASSERT_STRING_EQUAL(pair_status(4, 5), "open");
  CU_ASSERT_EQUAL(central_scope_office(g_c, &sc, "KB01", &o, &t_err),
                  SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(central_scope_office(g_c, &sc, "KA02", &o, &t_err),
                  SWS_ENOTFOUND);
  T_OK(central_scope_office(g_c, &sc, "KA01", &o, &t_err));
  CU_ASSERT_EQUAL(
      central_scope_resolve(g_c, &sc, g_conflictB, 0, "not ours", &t_err),
      SWS_ENOTFOUND);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM conflict WHERE status = "
                        "'open'",
                        NULL),
                  2);
  central_scope_release(&sc);
}

static void test_central_ui__scope_decisions_are_the_command_line_ones(void)
{
  struct central_scope sc;
  T_OK(central_scope_open(g_c, "01", &sc, &t_err));
  sws_strlcpy(g_c->zActor, "prov1", sizeof g_c->zActor);
  /* merged, unmerged whichever way round it is named */
  T_OK(central_scope_merge(g_c, &sc, g_regno[0], g_regno[1], &t_err));
  CU_ASSERT_STRING_EQUAL(pair_status(0, 1), "merged");
  CU_ASSERT_EQUAL(central_scope_merge(g_c, &sc, g_regno[0], g_regno[1], &t_err),
                  SWS_ECONFLICT);
  T_OK(central_scope_unmerge(g_c, &sc, g_regno[1], g_regno[0], &t_err));
  CU_ASSERT_STRING_EQUAL(pair_status(0, 1), "dismissed");
  CU_ASSERT_EQUAL(
      central_scope_unmerge(g_c, &sc, g_regno[0], g_regno[1], &t_err),
      SWS_ECONFLICT);
  T_OK(central_scope_reopen(g_c, &sc, g_regno[0], g_regno[1], &t_err));
  CU_ASSERT_STRING_EQUAL(pair_status(0, 1), "open");
  /* pair Z reaches province 01 through KA02's household */
  T_OK(central_scope_dismiss(g_c, &sc, g_regno[5], g_regno[4],
                             "different mothers", &t_err));
  CU_ASSERT_STRING_EQUAL(pair_status(4, 5), "dismissed");
  CU_ASSERT_EQUAL(log_rows("prov1", "merge"), 1);
  CU_ASSERT_EQUAL(log_rows("prov1", "unmerge"), 1);
  CU_ASSERT_EQUAL(log_rows("prov1", "reopen"), 1);
  CU_ASSERT_EQUAL(log_rows("prov1", "dismiss"), 1);
  /* both offices of the dismissed pair are told */
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM feed WHERE kind = 'dismiss' "
                        "AND office IN ('KA02', 'KB01')",
                        NULL),
                  2);
  central_scope_release(&sc);
}

/* ---- the handler ---- */

static void client(struct web_client *c)
{
  wc_init(c, HOST, cweb_handler, g_cw);
}

static void test_central_ui__login_logout_in_the_log(void)
{
  struct web_client c;
  client(&c);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 303);
  CU_ASSERT(strncmp(c.zLocation, "/login", 6) == 0);
  CU_ASSERT_EQUAL(wc_login(&c, "prov1", "wrong horse battery"), 401);
  CU_ASSERT_EQUAL(log_rows("prov1", "ui.login-failed"), 1);
  CU_ASSERT_EQUAL(wc_login(&c, "nobody", PW), 401);
  CU_ASSERT_EQUAL(log_rows("ui", "ui.login-failed"), 1);
  CU_ASSERT_EQUAL(wc_login(&c, "prov1", PW), 303);
  CU_ASSERT_EQUAL(log_rows("prov1", "ui.login"), 1);
  /* its own cookie: an office UI on the same computer keeps its session */
  CU_ASSERT(strstr(c.zCookie, "sws_registry_sid=") != NULL);
  CU_ASSERT(strstr(c.zCookie, "sws_sid=") == NULL);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 200);
  CU_ASSERT(wc_has(&c, "province officer"));
  CU_ASSERT(wc_has(&c, g_regno[0]) && wc_has(&c, g_regno[4]));
  CU_ASSERT(!wc_has(&c, g_regno[2]) && !wc_has(&c, g_regno[3]));
  CU_ASSERT_EQUAL(wc_post(&c, "/logout", "x=1"), 303);
  CU_ASSERT_EQUAL(log_rows("prov1", "ui.logout"), 1);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 303);
  /* a session ends when its account is disabled */
  CU_ASSERT_EQUAL(wc_login(&c, "dist11", PW), 303);
  CU_ASSERT_EQUAL(wc_get(&c, "/offices"), 200);
  T_OK(central_account_disable(g_c, "dist11", &t_err));
  CU_ASSERT_EQUAL(wc_get(&c, "/offices"), 303);
  CU_ASSERT(strstr(c.zLocation, "ended=revoked") != NULL);
  CU_ASSERT_EQUAL(log_rows("dist11", "ui.session-end"), 1);
  wc_release(&c);
}

static void test_central_ui__throttled_per_login(void)
{
  struct web_client c;
  client(&c);
  for (int i = 0; i < 5; i++)
    CU_ASSERT_EQUAL(wc_login(&c, "nat", "wrong horse battery"), 401);
  CU_ASSERT_EQUAL(wc_login(&c, "nat", PW), 429);
  /* another login from the same (loopback) address is not held back */
  CU_ASSERT_EQUAL(wc_login(&c, "prov2", PW), 303);
  wc_release(&c);
  /* from the network, the address counts too */
  client(&c);
  c.zClient = "192.0.2.7";
  for (int i = 0; i < 20; i++) {
    char zLogin[24];
    snprintf(zLogin, sizeof zLogin, "ghost%d", i);
    CU_ASSERT_EQUAL(wc_login(&c, zLogin, "wrong horse battery"), 401);
  }
  CU_ASSERT_EQUAL(wc_login(&c, "prov1", PW), 429);
  wc_release(&c);
}

static void test_central_ui__csrf_host_and_headers(void)
{
  struct web_client c;
  char zPath[200];
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "nat", PW), 303);
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s", g_regno[0], g_regno[1]);
  CU_ASSERT_EQUAL(wc_get(&c, zPath), 200);
  CU_ASSERT(strstr(c.zCsp, "default-src 'self'") != NULL);
  CU_ASSERT_STRING_EQUAL(c.zFrame, "DENY");
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s/merge", g_regno[0],
           g_regno[1]);
  /* no token, a wrong one, another site */
  CU_ASSERT_EQUAL(wc_send(&c, "POST", zPath, "x=1"), 403);
  CU_ASSERT_EQUAL(wc_send(&c, "POST", zPath,
                          "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                  403);
  CU_ASSERT(strstr(c.zCsp, "frame-ancestors 'none'") != NULL);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 200);
  c.zOrigin = "http://evil.example";
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "x=1"), 403);
  c.zOrigin = NULL;
  CU_ASSERT_STRING_EQUAL(pair_status(0, 1), "open");
  /* the Host check (DNS rebinding) */
  c.zHost = "evil.example:8090";
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 421);
  c.zHost = NULL;
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 421);
  wc_release(&c);
}

static void test_central_ui__direct_addresses_of_another_area(void)
{
  struct web_client c;
  char zPath[200];
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "prov1", PW), 303);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates?all=1"), 200);
  CU_ASSERT(!wc_has(&c, g_regno[2]));
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s", g_regno[2], g_regno[3]);
  CU_ASSERT_EQUAL(wc_get(&c, zPath), 404);
  CU_ASSERT(!wc_has(&c, "Chan Thida"));
  CU_ASSERT_EQUAL(wc_get(&c, "/offices/KB02"), 404);
  CU_ASSERT_EQUAL(wc_get(&c, "/offices/KA02"), 200);
  CU_ASSERT(wc_has(&c, "none received yet"));
  CU_ASSERT_EQUAL(wc_get(&c, "/offices"), 200);
  CU_ASSERT(wc_has(&c, "KA01") && !wc_has(&c, "KB02"));
  /* the last audit chain head each office sent, and a divergence */
  struct central_audit_head h = {"KA02",
                                 42,
                                 42,
                                 "ab",
                                 "sig",
                                 "2026-03-02T09:00:00Z",
                                 "2026-03-03T09:00:00Z",
                                 "rows deleted"};
  T_OK(g_c->s->ops->begin(g_c->s, &t_err));
  T_OK(g_c->s->ops->audit_head_put(g_c->s, &h, &t_err));
  T_OK(g_c->s->ops->commit(g_c->s, &t_err));
  CU_ASSERT_EQUAL(wc_get(&c, "/offices"), 200);
  CU_ASSERT(wc_has(&c, "Audit chain head"));
  CU_ASSERT(wc_has(&c, "row 42, 2026-03-02T09:00:00Z"));
  CU_ASSERT(wc_has(&c, "audit chain diverged"));
  CU_ASSERT_EQUAL(wc_get(&c, "/offices/KA02"), 200);
  CU_ASSERT(wc_has(&c, "rows deleted"));
  /* a decision posted with a good token for another area's pair */
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 200);
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s/merge", g_regno[2],
           g_regno[3]);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "x=1"), 404);
  CU_ASSERT_EQUAL(wc_get(&c, "/duplicates"), 200);
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s/dismiss", g_regno[3],
           g_regno[2]);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "reason=not+ours"), 404);
  CU_ASSERT_STRING_EQUAL(pair_status(2, 3), "open");
  /* conflicts: read, never decided below national */
  CU_ASSERT_EQUAL(wc_get(&c, "/conflicts"), 200);
  CU_ASSERT(wc_has(&c, "Only a national officer"));
  snprintf(zPath, sizeof zPath, "/conflicts/%lld", (long long)g_conflictA);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=x"), 403);
  CU_ASSERT_EQUAL(count("SELECT count(*) FROM conflict WHERE status = "
                        "'open'",
                        NULL),
                  2);
  wc_release(&c);
  /* a district officer: the other district of the same province too */
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "dist11", PW), 303);
  snprintf(zPath, sizeof zPath, "/duplicates/%s/%s", g_regno[4], g_regno[5]);
  CU_ASSERT_EQUAL(wc_get(&c, zPath), 404);
  CU_ASSERT_EQUAL(wc_get(&c, "/offices/KA02"), 404);
  wc_release(&c);
}

static void test_central_ui__decisions_through_the_pages(void)
{
  struct web_client c;
  char zPath[300], zPair[200];
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "prov2", PW), 303);
  snprintf(zPair, sizeof zPair, "/duplicates/%s/%s", g_regno[2], g_regno[3]);
  CU_ASSERT_EQUAL(wc_get(&c, zPair), 200);
  CU_ASSERT(wc_has(&c, "Chan Thida") && wc_has(&c, "Village 02010101"));
  CU_ASSERT(wc_has(&c, "Same family: merge"));
  snprintf(zPath, sizeof zPath, "%s/dismiss", zPair);
  /* different families needs a reason */
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "reason=+"), 400);
  CU_ASSERT_STRING_EQUAL(pair_status(2, 3), "open");
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "reason=two+mothers"), 303);
  CU_ASSERT_STRING_EQUAL(pair_status(2, 3), "dismissed");
  CU_ASSERT_EQUAL(log_rows("prov2", "dismiss"), 1);
  CU_ASSERT_EQUAL(wc_get(&c, zPair), 200);
  CU_ASSERT(wc_has(&c, "two mothers"));
  snprintf(zPath, sizeof zPath, "%s/reopen", zPair);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "x=1"), 303);
  CU_ASSERT_EQUAL(wc_get(&c, zPair), 200);
  snprintf(zPath, sizeof zPath, "%s/merge", zPair);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "x=1"), 303);
  CU_ASSERT_STRING_EQUAL(pair_status(2, 3), "merged");
  CU_ASSERT_EQUAL(log_rows("prov2", "merge"), 1);
  CU_ASSERT_EQUAL(wc_get(&c, zPair), 200);
  CU_ASSERT(wc_has(&c, "Undo the merge"));
  snprintf(zPath, sizeof zPath, "%s/unmerge", zPair);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "x=1"), 303);
  CU_ASSERT_EQUAL(log_rows("prov2", "unmerge"), 1);
  wc_release(&c);
}

static void test_central_ui__national_decides_conflicts(void)
{
  struct web_client c;
  char zPath[64];
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "nat", PW), 303);
  CU_ASSERT_EQUAL(wc_get(&c, "/conflicts"), 200);
  CU_ASSERT(wc_has(&c, "KA01") && wc_has(&c, "KB01"));
  snprintf(zPath, sizeof zPath, "/conflicts/%lld", (long long)g_conflictB);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry"), 400);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=checked+visit"), 303);
  CU_ASSERT_EQUAL(log_rows("nat", "conflict.resolve"), 1);
  CU_ASSERT_EQUAL(wc_get(&c, "/conflicts"), 200);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=again"), 409);
  CU_ASSERT_EQUAL(wc_post(&c, "/conflicts/999999", "keep=office&note=x"), 404);
  CU_ASSERT_EQUAL(wc_get(&c, "/offices/KB01"), 200);
  CU_ASSERT(wc_has(&c, "2026-03-01T09:30:00Z"));
  /* the registry's messages and states in the officer's language */
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=again"), 409);
  CU_ASSERT(wc_has(&c, "was already resolved"));
  if (web_i18n_init(NULL) != NULL) {
    wc_get(&c, "/conflicts");
    CU_ASSERT_EQUAL(wc_post(&c, "/language", "lang=mn"), 303);
    wc_get(&c, "/conflicts");
    CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=again"), 409);
    CU_ASSERT(wc_has(&c, "зөрчлийг аль хэдийн шийдвэрлэсэн"));
    CU_ASSERT(!wc_has(&c, "was already resolved"));
    CU_ASSERT_EQUAL(wc_post(&c, "/language", "lang=km"), 303);
    wc_get(&c, "/conflicts");
    CU_ASSERT_EQUAL(wc_post(&c, zPath, "keep=registry&note=again"), 409);
    CU_ASSERT(wc_has(&c, "ត្រូវបានដោះស្រាយរួចហើយ"));
    CU_ASSERT_EQUAL(wc_post(&c, "/language", "lang=en"), 303);
  }
  wc_release(&c);
}

static int seen_grievance(const struct central_grievance_row *g, void *arg)
{
  struct pairs *p = arg;
  if (p->n < 8)
    snprintf(p->z[p->n++], sizeof p->z[0], "%s %d", g->zTicket,
             g->daysOverdue > 0);
  return 0;
}

static struct pairs queue(const char *zArea)
{
  struct central_scope sc;
  struct pairs p;
  memset(&p, 0, sizeof p);
  T_OK(central_scope_open(g_c, zArea, &sc, &t_err));
  T_OK(central_scope_grievances(g_c, &sc, 0, seen_grievance, &p, &t_err));
  central_scope_release(&sc);
  return p;
}

static void test_central_ui__grievance_queue_of_the_layer_and_area(void)
{
  struct pairs p;
  struct web_client c;
  char zPath[100], zWant[80];
  /* after the district's deadline (10 business days) */
  setenv("SWS_NOW", "2026-03-20T09:00:00Z", 1);
  p = queue("0101");
  CU_ASSERT_EQUAL_FATAL(p.n, 1);
  snprintf(zWant, sizeof zWant, "%s 1", g_ticket[0]);
  CU_ASSERT_STRING_EQUAL(p.z[0], zWant); /* overdue */
  p = queue("01");
  CU_ASSERT_EQUAL_FATAL(p.n, 1);
  CU_ASSERT(strncmp(p.z[0], g_ticket[2], strlen(g_ticket[2])) == 0);
  p = queue("02");
  CU_ASSERT_EQUAL_FATAL(p.n, 1);
  CU_ASSERT(strncmp(p.z[0], g_ticket[1], strlen(g_ticket[1])) == 0);
  CU_ASSERT_EQUAL(queue(NULL).n, 0);

  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "prov1", PW), 303);
  CU_ASSERT_EQUAL(wc_get(&c, "/grievances"), 200);
  CU_ASSERT(wc_has(&c, g_ticket[2]) && !wc_has(&c, g_ticket[1]));
  CU_ASSERT(wc_has(&c, "the payment of March never came"));
  /* another province's grievance, by its address, with a good token */
  snprintf(zPath, sizeof zPath, "/grievances/%s", g_ticket[1]);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "step=acknowledged"), 404);
  CU_ASSERT_EQUAL(queue("02").n, 1);
  CU_ASSERT_EQUAL(wc_get(&c, "/grievances"), 200);
  snprintf(zPath, sizeof zPath, "/grievances/%s", g_ticket[2]);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "step=answered&text=+"), 400);
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "step=acknowledged"), 303);
  CU_ASSERT_EQUAL(log_rows("prov1", "grievance"), 1);
  CU_ASSERT_EQUAL(wc_get(&c, "/grievances"), 200);
  CU_ASSERT(wc_has(&c, "acknowledged"));
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "step=escalated&text=needs+the+ministry"),
                  303);
  CU_ASSERT_EQUAL(queue("01").n, 0);
  wc_release(&c);
  /* now the national queue's; it has no layer above */
  client(&c);
  CU_ASSERT_EQUAL(wc_login(&c, "nat", PW), 303);
  CU_ASSERT_EQUAL(wc_get(&c, "/grievances"), 200);
  CU_ASSERT(wc_has(&c, g_ticket[2]) && !wc_has(&c, "value=\"escalated\""));
  CU_ASSERT_EQUAL(wc_post(&c, zPath, "step=answered&text=paid+on+the+21st"),
                  303);
  CU_ASSERT_EQUAL(queue(NULL).n, 0);
  CU_ASSERT_EQUAL(log_rows("nat", "grievance"), 1);
  /* the office that took the ticket is told */
  CU_ASSERT(count("SELECT count(*) FROM feed WHERE office = 'KA02'", NULL) >=
            2);
  wc_release(&c);
}

static CU_TestInfo tests[] = {
    {"test_central_ui__accounts_added_listed_disabled",
     test_central_ui__accounts_added_listed_disabled},
    {"test_central_ui__bad_accounts_refused",
     test_central_ui__bad_accounts_refused},
    {"test_central_ui__scope_lists_the_area_only",
     test_central_ui__scope_lists_the_area_only},
    {"test_central_ui__scope_refuses_another_area",
     test_central_ui__scope_refuses_another_area},
    {"test_central_ui__scope_decisions_are_the_command_line_ones",
     test_central_ui__scope_decisions_are_the_command_line_ones},
    {"test_central_ui__login_logout_in_the_log",
     test_central_ui__login_logout_in_the_log},
    {"test_central_ui__throttled_per_login",
     test_central_ui__throttled_per_login},
    {"test_central_ui__csrf_host_and_headers",
     test_central_ui__csrf_host_and_headers},
    {"test_central_ui__direct_addresses_of_another_area",
     test_central_ui__direct_addresses_of_another_area},
    {"test_central_ui__decisions_through_the_pages",
     test_central_ui__decisions_through_the_pages},
    {"test_central_ui__national_decides_conflicts",
     test_central_ui__national_decides_conflicts},
    {"test_central_ui__grievance_queue_of_the_layer_and_area",
     test_central_ui__grievance_queue_of_the_layer_and_area},
    CU_TEST_INFO_NULL,
};

static int suite_init(void)
{
  return sws_crypto_init(NULL);
}

static void setup_sqlite(void)
{
  g_pg = 0;
  setup();
}

static void setup_pg(void)
{
  g_pg = 1;
  setup();
}

CU_SuiteInfo suite_central_ui = {"central_ui", suite_init, NULL,
                                 setup_sqlite, teardown,   tests};

/* The same tests with the registry on PostgreSQL. */
CU_SuiteInfo suite_central_ui_pg = {"central_ui_pg", suite_init, NULL,
                                    setup_pg,        teardown,   tests};
