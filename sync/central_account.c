/*
 * central_account.c - the registry web UI's accounts (central_account.h):
 * written through the store's account_add and account_disable, read with
 * read_rows (the same SQL on SQLite and PostgreSQL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/user.h"
#include "core/mem.h"
#include "sync/central_account.h"

static const char *const ROLE_NAME[] = {"", "national", "province", "district"};

const char *central_role_name(int role)
{
  return role >= CROLE_NATIONAL && role <= CROLE_DISTRICT ? ROLE_NAME[role]
                                                          : "";
}

int central_role_parse(const char *z)
{
  for (int i = CROLE_NATIONAL; i <= CROLE_DISTRICT; i++)
    if (z && strcmp(z, ROLE_NAME[i]) == 0)
      return i;
  return 0;
}

#define ACCOUNT_COLS                                                           \
  "u.login, u.role, coalesce(u.area_code, ''), coalesce(a.name, ''), "         \
  "u.active, u.created_at, u.created_by, coalesce(u.disabled_at, ''), "        \
  "u.password_hash"
#define ACCOUNT_FROM                                                           \
  " FROM ui_account u LEFT JOIN area a ON a.code = u.area_code"

struct take {
  int (*fn)(const struct central_account *, void *);
  void *arg;
  int n;
  char *zHash; /* the password hash of the last row, when asked */
};

static int take_account(void *arg, int nCol, const char *const *az)
{
  struct take *t = arg;
  struct central_account u;
  if (nCol < 9)
    return 1;
  memset(&u, 0, sizeof u);
  sws_strlcpy(u.zLogin, az[0] ? az[0] : "", sizeof u.zLogin);
  u.role = central_role_parse(az[1]);
  sws_strlcpy(u.zArea, az[2] ? az[2] : "", sizeof u.zArea);
  sws_strlcpy(u.zAreaName, az[3] ? az[3] : "", sizeof u.zAreaName);
  u.active = az[4] && strcmp(az[4], "1") == 0;
  sws_strlcpy(u.zCreatedAt, az[5] ? az[5] : "", sizeof u.zCreatedAt);
  sws_strlcpy(u.zCreatedBy, az[6] ? az[6] : "", sizeof u.zCreatedBy);
  sws_strlcpy(u.zDisabledAt, az[7] ? az[7] : "", sizeof u.zDisabledAt);
  t->n++;
  if (t->zHash) {
    free(t->zHash);
    t->zHash = sws_strdup(az[8] ? az[8] : "");
  }
  return t->fn(&u, t->arg);
}

static int copy_account(const struct central_account *u, void *arg)
{
  *(struct central_account *)arg = *u;
  return 1;
}

/* The account zLogin into *out, its hash into *pzHash when asked (the
 * caller frees it); *pFound 0 when there is none. */
static int account_read(struct central *c, const char *zLogin,
                        struct central_account *out, char **pzHash, int *pFound,
                        struct sws_err *err)
{
  struct take t = {copy_account, out, 0, pzHash ? sws_strdup("") : NULL};
  const char *v[1] = {zLogin};
  memset(out, 0, sizeof *out);
  int rc = c->s->ops->read_rows(
      c->s, "SELECT " ACCOUNT_COLS ACCOUNT_FROM " WHERE u.login = $1", 1, v,
      take_account, &t, err);
  *pFound = rc == 0 && t.n > 0;
  if (pzHash && rc == 0 && t.n > 0)
    *pzHash = t.zHash;
  else
    free(t.zHash);
  return rc;
}

int central_account_get(struct central *c, const char *zLogin,
                        struct central_account *out, struct sws_err *err)
{
  int bFound, rc = account_read(c, zLogin, out, NULL, &bFound, err);
  if (rc == 0 && !bFound)
    return sws_err_set(err, SWS_ENOTFOUND,
                       "no registry account '%s' (see "
                       "'sws central user list')",
                       zLogin);
  return rc;
}

int central_account_list(struct central *c,
                         int (*fn)(const struct central_account *, void *),
                         void *arg, struct sws_err *err)
{
  struct take t = {fn, arg, 0, NULL};
  return c->s->ops->read_rows(
      c->s, "SELECT " ACCOUNT_COLS ACCOUNT_FROM " ORDER BY u.login", 0, NULL,
      take_account, &t, err);
}

static int take_level(void *arg, int nCol, const char *const *az)
{
  if (nCol >= 1 && az[0])
    sws_strlcpy(arg, az[0], 16);
  return 1;
}

/* Check zArea against role: none for national, an area of the role's
 * level otherwise. */
static int area_check(struct central *c, int role, const char *zArea,
                      struct sws_err *err)
{
  char zLevel[16] = "";
  if (role == CROLE_NATIONAL) {
    if (zArea && *zArea)
      return sws_err_set(err, SWS_EINVAL,
                         "a national account sees the "
                         "whole registry: give no --area");
    return SWS_OK;
  }
  const char *zRole = central_role_name(role);
  if (zArea == NULL || *zArea == '\0')
    return sws_err_set(err, SWS_EINVAL,
                       "a %s account sees one %s: give its "
                       "code with --area CODE",
                       zRole, zRole);
  const char *v[1] = {zArea};
  int rc = c->s->ops->read_rows(c->s, "SELECT level FROM area WHERE code = $1",
                                1, v, take_level, zLevel, err);
  if (rc != 0)
    return rc;
  if (zLevel[0] == '\0')
    return sws_err_set(err, SWS_EINVAL,
                       "there is no area '%s' at the "
                       "registry (load the areas with 'sws central area "
                       "load')",
                       zArea);
  if (strcmp(zLevel, zRole) != 0)
    return sws_err_set(err, SWS_EINVAL,
                       "area '%s' is a %s, not a %s: give "
                       "the code of a %s",
                       zArea, zLevel, zRole, zRole);
  return SWS_OK;
}

/* End the transaction begun for a change (rc: how it went so far) with
 * its line in the log: committed, or rolled back. */
static int logged(struct central *c, const char *zActor, const char *zAction,
                  const char *zDetail, int rc, struct sws_err *err)
{
  if (rc == 0)
    rc = c->s->ops->log(c->s, zActor, zAction, zDetail, err);
  if (rc == 0)
    rc = c->s->ops->commit(c->s, err);
  if (rc != 0)
    c->s->ops->rollback(c->s);
  return rc;
}

int central_account_add(struct central *c, const char *zLogin, int role,
                        const char *zArea, const char *zPassword,
                        struct sws_err *err)
{
  char zHash[SWS_PWHASH_MAX], zDetail[120];
  int rc, bAdded = 0;
  if ((rc = cases_login_check(zLogin, err)) != 0)
    return rc;
  if (role < CROLE_NATIONAL || role > CROLE_DISTRICT)
    return sws_err_set(err, SWS_EINVAL,
                       "the role must be national, "
                       "province or district");
  if ((rc = area_check(c, role, zArea, err)) != 0 ||
      (rc = cases_password_check(zLogin, zPassword, err)) != 0 ||
      (rc = sws_pw_hash(zHash, zPassword, err)) != 0)
    return rc;
  if (role == CROLE_NATIONAL)
    zArea = NULL;
  snprintf(zDetail, sizeof zDetail, "%s %s%s%s", zLogin,
           central_role_name(role), zArea ? " " : "", zArea ? zArea : "");
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  rc = c->s->ops->account_add(c->s, zLogin, central_role_name(role), zArea,
                              zHash, c->zActor, &bAdded, err);
  if (rc == 0 && !bAdded)
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "there is already a registry "
                     "account '%s'; choose another login",
                     zLogin);
  return logged(c, c->zActor, "account.add", zDetail, rc, err);
}

int central_account_disable(struct central *c, const char *zLogin,
                            struct sws_err *err)
{
  struct central_account u;
  int rc, bDone = 0;
  if ((rc = central_account_get(c, zLogin, &u, err)) != 0)
    return rc;
  if (!u.active)
    return sws_err_set(err, SWS_ECONFLICT,
                       "account '%s' is disabled "
                       "already (since %s)",
                       zLogin, u.zDisabledAt);
  if ((rc = c->s->ops->begin(c->s, err)) != 0)
    return rc;
  rc = c->s->ops->account_disable(c->s, zLogin, &bDone, err);
  if (rc == 0 && !bDone)
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "account '%s' was disabled "
                     "meanwhile",
                     zLogin);
  return logged(c, c->zActor, "account.disable", zLogin, rc, err);
}

int central_account_authenticate(struct central *c, const char *zLogin,
                                 const char *zPassword,
                                 struct central_account *out,
                                 struct sws_err *err)
{
  char *zHash = NULL;
  int bFound, rc = account_read(c, zLogin, out, &zHash, &bFound, err);
  if (rc != 0)
    return rc;
  int ok = sws_pw_check(bFound ? zHash : NULL, zPassword, err);
  free(zHash);
  if (ok < 0)
    return err->code;
  if (!ok || !out->active)
    return sws_err_set(err, SWS_EPERM, "wrong login or password");
  return SWS_OK;
}

int central_account_log(struct central *c, const char *zLogin,
                        const char *zAction, const char *zDetail,
                        struct sws_err *err)
{
  int rc = c->s->ops->begin(c->s, err);
  return rc ? rc : logged(c, zLogin, zAction, zDetail, 0, err);
}
