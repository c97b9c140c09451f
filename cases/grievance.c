/*
 * grievance.c - grievances, appeals and escalation (see grievance.h).
 *
 * The grievance row caches the fold of its events (status, layer, due date,
 * answer); the events are the truth. Every change re-folds all events in
 * time order, so events that arrive late by sync land where they belong.
 */
#include "cases/grievance.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/access.h"
#include "cases/calendar.h"
#include "cases/casefile.h"
#include "cases/country.h"
#include "cases/fsm.h"
#include "cases/household.h"
#include "cases/office.h"
#include "cases/user.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/text.h"

static const struct fsm_transition GRIEVANCE_T[] = {
    {"received", "acknowledged", "acknowledged"},
    {"received", "review", "under-review"},
    {"acknowledged", "review", "under-review"},
    {"escalated", "acknowledged", "acknowledged"},
    {"escalated", "review", "under-review"},
    {"received", "escalated", "escalated"},
    {"acknowledged", "escalated", "escalated"},
    {"under-review", "escalated", "escalated"},
    {"escalated", "escalated", "escalated"},
    {"received", "answered", "answered"},
    {"acknowledged", "answered", "answered"},
    {"under-review", "answered", "answered"},
    {"escalated", "answered", "answered"},
    {"answered", "closed", "closed"},
    {"answered", "appealed", "escalated"},
    {"closed", "appealed", "escalated"},
};

static const struct fsm GRIEVANCE_FSM = {
    "grievance", "received", GRIEVANCE_T,
    (int)(sizeof GRIEVANCE_T / sizeof GRIEVANCE_T[0])};

const struct fsm *cases_grievance_fsm(void)
{
  return &GRIEVANCE_FSM;
}

/* What people type, and the event it records. */
static const struct fsm_action ACTIONS[] = {
    {"acknowledge", "acknowledged"}, {"review", "review"},
    {"escalate", "escalated"},       {"answer", "answered"},
    {"close", "closed"},             {"appeal", "appealed"}};
#define N_ACTIONS ((int)(sizeof ACTIONS / sizeof ACTIONS[0]))

static const char *const LAYERS[] = {"village", "commune", "district",
                                     "province", "national"};

/* ---- configuration ---- */

static int load_layers(struct sws_ctx *ctx, struct grievance_layers *out,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT layer, days FROM grievance_layer ORDER BY "
                      "position",
                      err);
  if (rc != 0)
    return rc;
  out->n = 0;
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW && out->n < 5) {
    sws_strlcpy(out->az[out->n], db_col_str(q, 0), 12);
    out->aDays[out->n++] = (int)db_col_int64(q, 1);
  }
  db_done(ctx->db, q);
  if (rc < 0)
    return rc;
  if (out->n == 0)
    return sws_err_set(err, SWS_ENOTFOUND, "no grievance layers are set up; "
                       "load them with 'sws grievance config load FILE'");
  return SWS_OK;
}

static int layer_pos(const struct grievance_layers *l, const char *z)
{
  for (int i = 0; i < l->n; i++)
    if (strcmp(l->az[i], z) == 0)
      return i;
  return -1;
}

const char *cases_grievance_layer_above(const struct grievance_layers *layers,
                                        const char *zLayer)
{
  int p = layer_pos(layers, zLayer);
  return p < 0 || p + 1 >= layers->n ? NULL : layers->az[p + 1];
}

static int exec1(struct sws_ctx *ctx, const char *zSql, const char *zA,
                 const char *zB, int64_t iC, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q, zSql, err);
  if (rc != 0)
    return rc;
  if (sqlite3_bind_parameter_index(q, ":a"))
    db_bind_text(q, ":a", zA);
  if (sqlite3_bind_parameter_index(q, ":b"))
    db_bind_text(q, ":b", zB);
  if (sqlite3_bind_parameter_index(q, ":c"))
    db_bind_int64(q, ":c", iC);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_grievance_config_load(struct sws_ctx *ctx, const char *zJson,
                                size_t n, struct sws_err *err)
{
  struct grievance_rules rules;
  size_t i;
  json_t *v;
  char zDetail[128];
  /* check everything before writing anything */
  int rc = cases_grievance_rules_parse(&rules, zJson, n, err);
  if (rc != 0)
    return rc;
  cases_grievance_rules_release(&rules);
  json_t *root = json_loadb(zJson, n, JSON_REJECT_DUPLICATES, NULL);
  json_t *layers = json_object_get(root, "layers");
  json_t *cats = json_object_get(root, "categories");
  json_t *hols = json_object_get(root, "holidays");
  const char *zOffice = json_string_value(json_object_get(root,
                                                          "office_layer"));
  const char *zWeekend = json_string_value(json_object_get(root, "weekend"));

  if ((rc = cases_op_begin(ctx, "grievance.config", err)) != 0)
    goto out;
  /* layers are replaced whole: positions move */
  if ((rc = exec1(ctx, "DELETE FROM grievance_layer", NULL, NULL, 0, err)))
    goto done;
  json_array_foreach(layers, i, v)
  {
    char zDays[16];
    snprintf(zDays, sizeof zDays, "%lld",
             (long long)json_integer_value(json_object_get(v, "days")));
    if ((rc = exec1(ctx,
                    "INSERT INTO grievance_layer(layer, position, days) "
                    "VALUES (:a, :c, CAST(:b AS INTEGER))",
                    json_string_value(json_object_get(v, "layer")), zDays,
                    (int64_t)i + 1, err)) != 0)
      goto done;
  }
  /* categories are kept (tickets refer to them); missing ones retire */
  if ((rc = exec1(ctx, "UPDATE grievance_category SET active = 0", NULL,
                  NULL, 0, err)) != 0)
    goto done;
  json_array_foreach(cats, i, v)
  {
    if ((rc = exec1(ctx,
                    "INSERT INTO grievance_category(code, name, sensitive, "
                    "active) VALUES (:a, :b, :c, 1) ON CONFLICT(code) DO "
                    "UPDATE SET name = excluded.name, sensitive = "
                    "excluded.sensitive, active = 1",
                    json_string_value(json_object_get(v, "code")),
                    json_string_value(json_object_get(v, "name")),
                    json_is_true(json_object_get(v, "sensitive")), err)) != 0)
      goto done;
  }
  if (hols) {
    if ((rc = exec1(ctx, "DELETE FROM holiday", NULL, NULL, 0, err)) != 0)
      goto done;
    json_array_foreach(hols, i, v)
    {
      const char *zName = json_string_value(json_object_get(v, "name"));
      if ((rc = exec1(ctx,
                      "INSERT OR IGNORE INTO holiday(date, name) VALUES "
                      "(:a, :b)",
                      json_string_value(json_object_get(v, "date")),
                      zName ? zName : "", 0, err)) != 0)
        goto done;
    }
  }
  if ((rc = exec1(ctx,
                  "INSERT INTO setting(name, value) VALUES ('weekend', :a) "
                  "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                  zWeekend ? zWeekend : "sat,sun", NULL, 0, err)) != 0)
    goto done;
  if ((rc = exec1(ctx,
                  "INSERT INTO setting(name, value) VALUES ('office_layer', "
                  ":a) ON CONFLICT(name) DO UPDATE SET value = "
                  "excluded.value",
                  zOffice ? zOffice
                          : json_string_value(json_object_get(
                                json_array_get(layers, 0), "layer")),
                  NULL, 0, err)) != 0)
    goto done;
done:
  snprintf(zDetail, sizeof zDetail, "%zu layers, %zu categories, %zu "
           "holidays", json_array_size(layers), json_array_size(cats),
           hols ? json_array_size(hols) : (size_t)0);
  rc = cases_op_end(ctx, rc, "grievance", "", zDetail, err);
out:
  json_decref(root);
  return rc;
}

int cases_grievance_config_load_default(struct sws_ctx *ctx,
                                        struct sws_err *err)
{
  const char *z = cases_country_of(ctx)->zGrievanceJson;
  return cases_grievance_config_load(ctx, z, strlen(z), err);
}

/* ---- the rules in memory ---- */

static int cmp_code(const void *a, const void *b)
{
  return strcmp(a, b);
}

int cases_grievance_rules_parse(struct grievance_rules *out, const char *zJson,
                                size_t n, struct sws_err *err)
{
  json_error_t jerr;
  json_t *root, *v;
  size_t i;
  int rc = SWS_OK, last = -1;
  memset(out, 0, sizeof *out);
  if (zJson == NULL) { /* the registry: the default country's rules */
    zJson = cases_country_find("kh")->zGrievanceJson;
    n = strlen(zJson);
  }
  if ((root = json_loadb(zJson, n, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
    return sws_err_set(err, SWS_EINVAL,
                       "the grievance configuration is not "
                       "valid JSON (line %d: %s)",
                       jerr.line, jerr.text);
  json_t *layers = json_object_get(root, "layers");
  json_t *cats = json_object_get(root, "categories");
  json_t *hols = json_object_get(root, "holidays");
  const char *zOffice =
      json_string_value(json_object_get(root, "office_layer"));
  const char *zWeekend = json_string_value(json_object_get(root, "weekend"));
  if (!json_is_array(layers) || json_array_size(layers) < 1 ||
      json_array_size(layers) > 5 || !json_is_array(cats) ||
      json_array_size(cats) < 1 || json_array_size(cats) > 100 ||
      (hols && (!json_is_array(hols) || json_array_size(hols) > 2000))) {
    rc = sws_err_set(err, SWS_EINVAL,
                     "the grievance configuration needs "
                     "\"layers\" (1 to 5) and \"categories\" (1 to 100), and "
                     "\"holidays\" must be a list");
    goto out;
  }
  if ((rc = calendar_parse_weekend(zWeekend ? zWeekend : "sat,sun",
                                   &out->cal.weekend, err)) != 0)
    goto out;
  if ((out->cal.weekend & 0x7f) == 0x7f) {
    rc = sws_err_set(err, SWS_EINVAL, "the weekend cannot be every day");
    goto out;
  }
  json_array_foreach(layers, i, v)
  {
    const char *zL = json_string_value(json_object_get(v, "layer"));
    json_t *d = json_object_get(v, "days");
    int pos = -1;
    for (int k = 0; zL && k < 5; k++)
      if (strcmp(zL, LAYERS[k]) == 0)
        pos = k;
    if (pos < 0 || pos <= last || !json_is_integer(d) ||
        json_integer_value(d) < 1 || json_integer_value(d) > 365) {
      rc = sws_err_set(err, SWS_EINVAL,
                       "layer %zu: give {\"layer\": "
                       "village|commune|district|province|national, "
                       "\"days\": 1-365}, in order from the lowest",
                       i + 1);
      goto out;
    }
    last = pos;
    sws_strlcpy(out->layers.az[out->layers.n], zL, sizeof out->layers.az[0]);
    out->layers.aDays[out->layers.n++] = (int)json_integer_value(d);
  }
  if (zOffice && layer_pos(&out->layers, zOffice) < 0) {
    rc = sws_err_set(err, SWS_EINVAL,
                     "office_layer '%s' is not one of the "
                     "layers",
                     zOffice);
    goto out;
  }
  out->aCategory =
      sws_calloc(json_array_size(cats) + 1, sizeof out->aCategory[0]);
  out->aSensitive =
      sws_calloc(json_array_size(cats) + 1, sizeof out->aSensitive[0]);
  json_array_foreach(cats, i, v)
  {
    const char *zCode = json_string_value(json_object_get(v, "code"));
    const char *zName = json_string_value(json_object_get(v, "name"));
    json_t *s = json_object_get(v, "sensitive");
    int ok = zCode && zName && strlen(zCode) >= 1 && strlen(zCode) <= 40 &&
             (s == NULL || json_is_boolean(s)) && *zName &&
             sws_text_check("name", zName, 200, 0, NULL) == 0;
    for (const char *p = zCode; ok && *p; p++)
      ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!ok) {
      rc = sws_err_set(err, SWS_EINVAL,
                       "category %zu: give {\"code\": "
                       "lower-case-code, \"name\": text, \"sensitive\": "
                       "true|false}",
                       i + 1);
      goto out;
    }
    sws_strlcpy(out->aCategory[out->nCategory++], zCode, 41);
    if (json_is_true(s))
      sws_strlcpy(out->aSensitive[out->nSensitive++], zCode, 41);
  }
  if (hols) {
    out->cal.aHoliday =
        sws_calloc(json_array_size(hols) + 1, sizeof out->cal.aHoliday[0]);
    json_array_foreach(hols, i, v)
    {
      const char *zD = json_string_value(json_object_get(v, "date"));
      int64_t ms;
      if (zD == NULL || strlen(zD) != 10 ||
          sws_time_parse(zD, &ms, NULL) != 0) {
        rc = sws_err_set(err, SWS_EINVAL,
                         "holiday %zu: give {\"date\": "
                         "\"YYYY-MM-DD\", \"name\": text}",
                         i + 1);
        goto out;
      }
      sws_strlcpy(out->cal.aHoliday[out->cal.nHoliday++], zD, 11);
    }
    qsort(out->cal.aHoliday, (size_t)out->cal.nHoliday,
          sizeof out->cal.aHoliday[0], cmp_code);
  }
out:
  json_decref(root);
  if (rc != 0)
    cases_grievance_rules_release(out);
  return rc;
}

void cases_grievance_rules_release(struct grievance_rules *r)
{
  calendar_release(&r->cal);
  free(r->aSensitive);
  free(r->aCategory);
  r->aSensitive = r->aCategory = NULL;
  r->nSensitive = r->nCategory = 0;
}

int cases_grievance_rules_sensitive(const struct grievance_rules *r,
                                    const char *zCode)
{
  int known = 0;
  for (int i = 0; i < r->nCategory && !known; i++)
    known = strcmp(r->aCategory[i], zCode) == 0;
  for (int i = 0; i < r->nSensitive; i++)
    if (strcmp(r->aSensitive[i], zCode) == 0)
      return 1;
  return !known;
}

/* ---- tickets and follow-up codes ---- */

static const char CODE_ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static void new_code(char *out)
{
  unsigned char r[10];
  sws_random(r, sizeof r);
  for (int i = 0, j = 0; i < 10; i++) {
    if (i == 5)
      out[j++] = '-';
    out[j++] = CODE_ALPHABET[r[i] % 32];
    out[j] = '\0';
  }
}

/* Hash of a follow-up code as typed (case, spaces and hyphens ignored);
 * -1 if it cannot be one. */
static int code_hash(const char *z, char out[65])
{
  char norm[16];
  size_t n = 0;
  for (; *z; z++) {
    if (*z == '-' || *z == ' ')
      continue;
    int c = toupper((unsigned char)*z);
    if (strchr(CODE_ALPHABET, c) == NULL || c == 0 || n == 10)
      return -1;
    norm[n++] = (char)c;
  }
  if (n != 10)
    return -1;
  unsigned char h[32];
  sws_sha256(h, norm, n);
  sws_hex(out, h, sizeof h);
  return 0;
}

/* The grievance id for a ticket number or a follow-up code. */
static int resolve(struct sws_ctx *ctx, const char *zTyped, char *zId,
                   struct sws_err *err)
{
  struct sws_number num;
  sqlite3_stmt *q;
  char zHash[65];
  int rc;
  enum sws_number_status st = sws_number_parse(zTyped, &num);
  if (st == SWS_NUMBER_BAD_CHECK)
    return sws_err_set(err, SWS_EINVAL, "the check character of '%s' does "
                       "not fit: a character was mistyped; read the ticket "
                       "again", zTyped);
  if (st == SWS_NUMBER_OK || st == SWS_NUMBER_NO_CHECK) {
    rc = db_prepare(ctx->db, &q, "SELECT id FROM grievance WHERE ticket = :t",
                    err);
    if (rc != 0)
      return rc;
    db_bind_text(q, ":t", num.zCanon);
  } else if (code_hash(zTyped, zHash) == 0) {
    rc = db_prepare(ctx->db, &q,
                    "SELECT id FROM grievance WHERE followup_hash = :t", err);
    if (rc != 0)
      return rc;
    db_bind_text(q, ":t", zHash);
  } else {
    return sws_err_set(err, SWS_EINVAL, "'%s' is neither a ticket number "
                       "(KH12-G-000123-7) nor a follow-up code "
                       "(ABCDE-FGHJK)", zTyped);
  }
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW) {
    sws_strlcpy(zId, db_col_str(q, 0), SWS_UUID_LEN + 1);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no grievance '%s' in this office",
                     zTyped);
  }
  db_done(ctx->db, q);
  return rc;
}

static int insert_event(struct sws_ctx *ctx, const char *zGrievanceId,
                        const char *zEventId, const char *zEvent,
                        const char *zLayer, const char *zAt, const char *zBy,
                        const char *zText, struct sws_err *err)
{
  sqlite3_stmt *q;
  char zId[SWS_UUID_LEN + 1];
  int rc = db_prepare(ctx->db, &q,
                      "INSERT INTO grievance_event(id, grievance_id, event, "
                      "layer, at, by, text) VALUES (:id, :g, :e, :l, "
                      "coalesce(:at, sws_now()), coalesce(:by, sws_actor()), "
                      ":t)",
                      err);
  if (rc != 0)
    return rc;
  if (zEventId == NULL) {
    sws_uuid7(zId);
    zEventId = zId;
  }
  db_bind_text(q, ":id", zEventId);
  db_bind_text(q, ":g", zGrievanceId);
  db_bind_text(q, ":e", zEvent);
  db_bind_text(q, ":l", zLayer);
  db_bind_text(q, ":at", zAt);
  db_bind_text(q, ":by", zBy);
  db_bind_text(q, ":t", zText ? zText : "");
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_grievance_add(struct sws_ctx *ctx, const struct grievance_input *in,
                        char *zTicket, char *zCode, struct sws_err *err)
{
  struct office_info office;
  struct grievance_layers layers;
  struct calendar cal;
  char zHh[SWS_UUID_LEN + 1] = "", zId[SWS_UUID_LEN + 1], zHash[65];
  char zOfficeLayer[12] = "", zToday[11], zDue[11];
  sqlite3_stmt *q;
  int64_t seq;
  int rc, sensitive = 0;
  if (zCode)
    zCode[0] = '\0';
  if (in->anonymous && in->zRegno)
    return sws_err_set(err, SWS_EINVAL, "an anonymous grievance cannot name "
                       "a household; give --household or --anonymous, not "
                       "both");
  if (!in->anonymous && in->zRegno == NULL)
    return sws_err_set(err, SWS_EINVAL, "say who complains: --household "
                       "REGNO, or --anonymous");
  if (in->zChannel == NULL ||
      (strcmp(in->zChannel, "walk-in") && strcmp(in->zChannel, "phone") &&
       strcmp(in->zChannel, "letter") && strcmp(in->zChannel, "hotline")))
    return sws_err_set(err, SWS_EINVAL, "the channel must be walk-in, phone, "
                       "letter or hotline");
  if (in->zText == NULL || sws_blank(in->zText))
    return sws_err_set(err, SWS_EINVAL, "write what the complaint is "
                       "(--text)");
  if ((rc = sws_text_check("the complaint", in->zText, 4000, 1, err)) != 0)
    return rc;
  if (in->zCategory == NULL)
    return sws_err_set(err, SWS_EINVAL, "give a --category (see 'sws "
                       "grievance categories')");
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT sensitive FROM grievance_category WHERE "
                       "code = :c AND active = 1",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":c", in->zCategory);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW)
    sensitive = (int)db_col_int64(q, 0);
  db_done(ctx->db, q);
  if (rc == DB_DONE)
    return sws_err_set(err, SWS_EINVAL, "no grievance category '%s'; see "
                       "'sws grievance categories'", in->zCategory);
  if (rc < 0)
    return rc;
  (void)sensitive;
  if (in->zRegno &&
      (rc = cases_household_resolve(ctx, in->zRegno, 1, zHh, NULL, NULL,
                                    err)) != 0)
    return rc;
  if ((rc = cases_office_get(ctx, &office, err)) != 0 ||
      (rc = load_layers(ctx, &layers, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT value FROM setting WHERE name = "
                       "'office_layer'",
                       err)) != 0)
    return rc;
  if (db_step(ctx->db, q, err) == DB_ROW)
    sws_strlcpy(zOfficeLayer, db_col_str(q, 0), sizeof zOfficeLayer);
  db_done(ctx->db, q);
  if (layer_pos(&layers, zOfficeLayer) < 0)
    sws_strlcpy(zOfficeLayer, layers.az[0], sizeof zOfficeLayer);
  if ((rc = calendar_load(ctx, &cal, err)) != 0)
    return rc;
  cases_today(zToday);
  rc = calendar_add_business_days(
      &cal, zToday, layers.aDays[layer_pos(&layers, zOfficeLayer)], zDue,
      err);
  calendar_release(&cal);
  if (rc != 0)
    return rc;

  if ((rc = cases_op_begin(ctx, "grievance.add", err)) != 0)
    return rc;
  char zPrefix[SWS_OFFICE_CODE_MAX + 3];
  snprintf(zPrefix, sizeof zPrefix, "%s-G", office.zDevice);
  do {
    if ((rc = cases_counter_next(ctx, "ticket", &seq, err)) != 0)
      goto done;
  } while (!sws_number_issuable(zPrefix, seq));
  sws_number_format(zTicket, SWS_NUMBER_MAX, zPrefix, seq);
  if (in->anonymous) {
    new_code(zCode);
    code_hash(zCode, zHash);
  }
  sws_uuid7(zId);
  if ((rc = db_prepare(ctx->db, &q,
                       "INSERT INTO grievance(id, ticket, household_id, "
                       "anonymous, followup_hash, category, channel, text, "
                       "layer, due, created_at, created_by, updated_at) "
                       "VALUES (:id, :t, :hh, :anon, :fh, :cat, :ch, :text, "
                       ":layer, :due, sws_now(), sws_actor(), sws_now())",
                       err)) != 0)
    goto done;
  db_bind_text(q, ":id", zId);
  db_bind_text(q, ":t", zTicket);
  db_bind_text(q, ":hh", zHh[0] ? zHh : NULL);
  db_bind_int64(q, ":anon", in->anonymous ? 1 : 0);
  db_bind_text(q, ":fh", in->anonymous ? zHash : NULL);
  db_bind_text(q, ":cat", in->zCategory);
  db_bind_text(q, ":ch", in->zChannel);
  db_bind_text(q, ":text", in->zText);
  db_bind_text(q, ":layer", zOfficeLayer);
  db_bind_text(q, ":due", zDue);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto done;
  rc = insert_event(ctx, zId, NULL, "received", zOfficeLayer, NULL, NULL,
                    NULL, err);
done:
  return cases_op_end(ctx, rc, "grievance", zId, zTicket, err);
}

/* ---- the fold ---- */

int cases_grievance_fold(const struct grievance_layers *layers,
                         const struct calendar *cal, struct grievance_event *a,
                         int n, struct grievance_fold *f, struct sws_err *err)
{
  memset(f, 0, sizeof *f);
  f->iAnswer = -1;
  for (int i = 0; i < n; i++) {
    struct grievance_event *e = &a[i];
    char zDate[11];
    sws_strlcpy(zDate, e->zAt, sizeof zDate);
    e->valid = 1;
    e->zNote[0] = '\0';
    if (i == 0) {
      if (strcmp(e->zEvent, "received") != 0 ||
          layer_pos(layers, e->zLayer) < 0) {
        e->valid = 0;
        snprintf(e->zNote, sizeof e->zNote, "the first event must be "
                 "'received' at a known layer");
        f->flagged = 1;
        sws_strlcpy(f->zStatus, "received", sizeof f->zStatus);
        sws_strlcpy(f->zLayer, layers->az[0], sizeof f->zLayer);
        continue;
      }
      sws_strlcpy(f->zStatus, "received", sizeof f->zStatus);
      sws_strlcpy(f->zLayer, e->zLayer, sizeof f->zLayer);
      int rc = calendar_add_business_days(
          cal, zDate, layers->aDays[layer_pos(layers, e->zLayer)], f->zDue,
          err);
      if (rc != 0)
        return rc;
      continue;
    }
    const char *zNext = fsm_next(&GRIEVANCE_FSM, f->zStatus, e->zEvent);
    if (zNext == NULL) {
      e->valid = 0;
      snprintf(e->zNote, sizeof e->zNote, "'%s' is not allowed when the "
               "grievance is %s", e->zEvent, f->zStatus);
      f->flagged = 1;
      continue;
    }
    int up = strcmp(e->zEvent, "escalated") == 0 ||
             strcmp(e->zEvent, "appealed") == 0;
    if (up) {
      int p = layer_pos(layers, f->zLayer);
      if (p + 1 >= layers->n || layer_pos(layers, e->zLayer) != p + 1) {
        e->valid = 0;
        if (p + 1 >= layers->n)
          snprintf(e->zNote, sizeof e->zNote, "there is no layer above %s",
                   f->zLayer);
        else
          snprintf(e->zNote, sizeof e->zNote, "it must go from %s to %s, "
                   "not to %s", f->zLayer, layers->az[p + 1], e->zLayer);
        f->flagged = 1;
        continue;
      }
      sws_strlcpy(f->zLayer, e->zLayer, sizeof f->zLayer);
      int rc = calendar_add_business_days(
          cal, zDate, layers->aDays[p + 1], f->zDue, err);
      if (rc != 0)
        return rc;
    }
    if (strcmp(e->zEvent, "answered") == 0) {
      f->iAnswer = i;
      sws_strlcpy(f->zAnswerLayer, f->zLayer, sizeof f->zAnswerLayer);
      f->zDue[0] = '\0';
    } else if (strcmp(e->zEvent, "closed") == 0) {
      f->zDue[0] = '\0';
    }
    sws_strlcpy(f->zStatus, zNext, sizeof f->zStatus);
  }
  return SWS_OK;
}

static void free_events(struct grievance_event *a, int n)
{
  for (int i = 0; i < n; i++)
    free(a[i].zText);
  free(a);
}

/* Load the events of grievance zId in time order. */
static int load_events(struct sws_ctx *ctx, const char *zId,
                       struct grievance_event **pa, int *pn,
                       struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc, nAlloc = 0;
  *pa = NULL;
  *pn = 0;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT event, layer, at, by, text, valid, note FROM "
                       "grievance_event WHERE grievance_id = :g ORDER BY "
                       "at, event = 'received' DESC, rid",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":g", zId);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (*pn == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 8;
      *pa = sws_realloc(*pa, sizeof **pa * (size_t)nAlloc);
    }
    struct grievance_event *e = &(*pa)[(*pn)++];
    memset(e, 0, sizeof *e);
    sws_strlcpy(e->zEvent, db_col_str(q, 0), sizeof e->zEvent);
    sws_strlcpy(e->zLayer, db_col_str(q, 1), sizeof e->zLayer);
    sws_strlcpy(e->zAt, db_col_str(q, 2), sizeof e->zAt);
    sws_strlcpy(e->zBy, db_col_str(q, 3), sizeof e->zBy);
    e->zText = sws_strdup(db_col_str(q, 4));
    e->valid = (int)db_col_int64(q, 5);
    sws_strlcpy(e->zNote, db_col_str(q, 6), sizeof e->zNote);
  }
  db_done(ctx->db, q);
  if (rc < 0) {
    free_events(*pa, *pn);
    *pa = NULL;
    *pn = 0;
    return rc;
  }
  return SWS_OK;
}

/* Re-fold grievance zId and store the result in its row (and the events'
 * validity); inside an operation. */
static int refold(struct sws_ctx *ctx, const char *zId,
                  struct grievance_fold *f, struct sws_err *err)
{
  struct grievance_layers layers;
  struct calendar cal;
  struct grievance_event *a = NULL;
  sqlite3_stmt *q;
  int n = 0, rc;
  if ((rc = load_layers(ctx, &layers, err)) != 0 ||
      (rc = calendar_load(ctx, &cal, err)) != 0)
    return rc;
  if ((rc = load_events(ctx, zId, &a, &n, err)) != 0)
    goto out;
  if ((rc = cases_grievance_fold(&layers, &cal, a, n, f, err)) != 0)
    goto out;
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE grievance SET status = :s, layer = :l, due = "
                       ":d, answer = :a, answer_layer = :al, flagged = :f, "
                       "updated_at = sws_now() WHERE id = :id",
                       err)) != 0)
    goto out;
  db_bind_text(q, ":s", f->zStatus);
  db_bind_text(q, ":l", f->zLayer);
  db_bind_text(q, ":d", f->zDue[0] ? f->zDue : NULL);
  db_bind_text(q, ":a", f->iAnswer >= 0 ? a[f->iAnswer].zText : "");
  db_bind_text(q, ":al", f->iAnswer >= 0 ? f->zAnswerLayer : NULL);
  db_bind_int64(q, ":f", f->flagged);
  db_bind_text(q, ":id", zId);
  rc = db_step(ctx->db, q, err);
  db_done(ctx->db, q);
  if (rc < 0)
    goto out;
  rc = 0;
  /* record which events did not fit (only where that changed) */
  if ((rc = db_prepare(ctx->db, &q,
                       "UPDATE grievance_event SET valid = :v, note = :n "
                       "WHERE grievance_id = :g AND event = :e AND at = :at "
                       "AND (valid != :v OR note != :n)",
                       err)) != 0)
    goto out;
  for (int i = 0; i < n && rc == 0; i++) {
    db_bind_int64(q, ":v", a[i].valid);
    db_bind_text(q, ":n", a[i].zNote);
    db_bind_text(q, ":g", zId);
    db_bind_text(q, ":e", a[i].zEvent);
    db_bind_text(q, ":at", a[i].zAt);
    rc = db_step(ctx->db, q, err);
    rc = rc < 0 ? rc : 0;
    sqlite3_reset(q);
  }
  db_done(ctx->db, q);
out:
  free_events(a, n);
  calendar_release(&cal);
  return rc;
}

int cases_grievance_get(struct sws_ctx *ctx, const char *zTicketOrCode,
                        int viewer_role, struct grievance *out,
                        struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1], zToday[11];
  sqlite3_stmt *q;
  int rc;
  memset(out, 0, sizeof *out);
  if ((rc = resolve(ctx, zTicketOrCode, zId, err)) != 0)
    return rc;
  /* clang-format off */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT g.id, g.ticket, coalesce(h.regno, ''), "
                       "g.anonymous, g.category, c.name, c.sensitive, "
                       "g.channel, g.text, g.status, g.layer, "
                       "coalesce(g.due, ''), g.answer, "
                       "coalesce(g.answer_layer, ''), g.flagged, "
                       "g.created_at, g.created_by, "
                       ACCESS_GRIEVANCE_SQL("g", "c") " FROM grievance g "
                       "JOIN grievance_category c ON c.code = g.category "
                       "LEFT JOIN household h ON h.id = g.household_id "
                       "WHERE g.id = :id",
                       err)) != 0)
    return rc;
  /* clang-format on */
  db_bind_text(q, ":id", zId);
  access_bind(ctx, q, viewer_role);
  rc = db_step(ctx->db, q, err);
  if (rc == DB_ROW && db_col_int64(q, 17) == GRIEVANCE_SEE_NONE)
    rc = DB_DONE; /* answered as if it did not exist */
  if (rc == DB_ROW && db_col_int64(q, 17) == GRIEVANCE_SEE_STATUS) {
    out->sight = GRIEVANCE_SEE_STATUS;
    out->hidden = 1;
    sws_strlcpy(out->zId, db_col_str(q, 0), sizeof out->zId);
    sws_strlcpy(out->zTicket, db_col_str(q, 1), sizeof out->zTicket);
    out->anonymous = (int)db_col_int64(q, 3);
    out->zText = sws_strdup("");
    sws_strlcpy(out->zStatus, db_col_str(q, 9), sizeof out->zStatus);
    sws_strlcpy(out->zLayer, db_col_str(q, 10), sizeof out->zLayer);
    sws_strlcpy(out->zDue, db_col_str(q, 11), sizeof out->zDue);
    out->zAnswer = sws_strdup("");
    rc = SWS_OK;
  } else if (rc == DB_ROW) {
    out->sight = GRIEVANCE_SEE_ALL;
    sws_strlcpy(out->zId, db_col_str(q, 0), sizeof out->zId);
    sws_strlcpy(out->zTicket, db_col_str(q, 1), sizeof out->zTicket);
    sws_strlcpy(out->zRegno, db_col_str(q, 2), sizeof out->zRegno);
    out->anonymous = (int)db_col_int64(q, 3);
    sws_strlcpy(out->zCategory, db_col_str(q, 4), sizeof out->zCategory);
    sws_strlcpy(out->zCategoryName, db_col_str(q, 5),
                sizeof out->zCategoryName);
    out->sensitive = (int)db_col_int64(q, 6);
    sws_strlcpy(out->zChannel, db_col_str(q, 7), sizeof out->zChannel);
    out->zText = sws_strdup(out->hidden ? "" : db_col_str(q, 8));
    sws_strlcpy(out->zStatus, db_col_str(q, 9), sizeof out->zStatus);
    sws_strlcpy(out->zLayer, db_col_str(q, 10), sizeof out->zLayer);
    sws_strlcpy(out->zDue, db_col_str(q, 11), sizeof out->zDue);
    out->zAnswer = sws_strdup(out->hidden ? "" : db_col_str(q, 12));
    sws_strlcpy(out->zAnswerLayer, db_col_str(q, 13),
                sizeof out->zAnswerLayer);
    out->flagged = (int)db_col_int64(q, 14);
    sws_strlcpy(out->zCreatedAt, db_col_str(q, 15), sizeof out->zCreatedAt);
    sws_strlcpy(out->zCreatedBy, db_col_str(q, 16), sizeof out->zCreatedBy);
    rc = SWS_OK;
  } else if (rc == DB_DONE) {
    rc = sws_err_set(err, SWS_ENOTFOUND, "no grievance '%s'", zTicketOrCode);
  }
  db_done(ctx->db, q);
  if (rc != 0) {
    cases_grievance_release(out);
    return rc;
  }
  cases_today(zToday);
  out->overdue = out->zDue[0] && strcmp(out->zDue, zToday) < 0;
  if (out->sight == GRIEVANCE_SEE_ALL &&
      (rc = load_events(ctx, out->zId, &out->aEvent, &out->nEvent, err))) {
    cases_grievance_release(out);
    return rc;
  }
  return SWS_OK;
}

void cases_grievance_release(struct grievance *g)
{
  free(g->zText);
  free(g->zAnswer);
  free_events(g->aEvent, g->nEvent);
  g->zText = g->zAnswer = NULL;
  g->aEvent = NULL;
  g->nEvent = 0;
}

/* A step as the end of "it cannot be ... now". */
#ifndef N_
#define N_(s) (s) /* extracted for the catalogues (make pot) */
#endif
static const char *step_done(const char *zAction)
{
  static const char *const A[][2] = {
      {"acknowledge", N_("acknowledged")},
      {"review", N_("put under review")},
      {"escalate", N_("escalated")},
      {"answer", N_("answered")},
      {"close", N_("closed")},
      {"appeal", N_("appealed")},
  };
  for (size_t i = 0; i < sizeof A / sizeof A[0]; i++)
    if (strcmp(zAction, A[i][0]) == 0)
      return A[i][1];
  return zAction;
}

int cases_grievance_step(struct sws_ctx *ctx, const char *zTicket,
                         const char *zAction, const char *zText,
                         int viewer_role, struct sws_err *err)
{
  struct grievance g;
  struct grievance_layers layers;
  struct grievance_fold f;
  const char *zEvent = fsm_event_of(ACTIONS, N_ACTIONS, zAction);
  char zLayer[12], zAllowed[160];
  int rc;
  if (zEvent == NULL)
    return sws_err_set(err, SWS_EINVAL, "'%s' is not a step; the steps are "
                       "acknowledge, review, escalate, answer, close and "
                       "appeal", zAction);
  if (zText && (rc = sws_text_check("the text", zText, 4000, 1, err)) != 0)
    return rc;
  if (strcmp(zEvent, "answered") == 0 && (zText == NULL || sws_blank(zText)))
    return sws_err_set(err, SWS_EINVAL, "an answer needs its text (--text)");
  if (strcmp(zEvent, "appealed") == 0 && (zText == NULL || sws_blank(zText)))
    return sws_err_set(err, SWS_EINVAL, "an appeal needs the complainant's "
                       "reason (--text)");
  if ((rc = cases_grievance_get(ctx, zTicket, viewer_role, &g, err)) != 0)
    return rc;
  if (g.sight != GRIEVANCE_SEE_ALL) {
    rc = sws_err_set(err, SWS_EPERM,
                     "you may see only the status of "
                     "grievance %s: a supervisor, or a case manager of its "
                     "household, handles it",
                     g.zTicket);
    goto out;
  }
  if (fsm_next(&GRIEVANCE_FSM, g.zStatus, zEvent) == NULL) {
    fsm_allowed_actions(&GRIEVANCE_FSM, g.zStatus, ACTIONS, N_ACTIONS,
                        zAllowed, sizeof zAllowed);
    rc = sws_err_set(err, SWS_ECONFLICT,
                     "grievance %s is %s at the %s "
                     "layer, so it cannot be %s now; what can be done: %s",
                     g.zTicket, sws_err_translate(g.zStatus),
                     sws_err_translate(g.zLayer),
                     sws_err_translate(step_done(zAction)), zAllowed);
    goto out;
  }
  sws_strlcpy(zLayer, g.zLayer, sizeof zLayer);
  if (strcmp(zEvent, "escalated") == 0 || strcmp(zEvent, "appealed") == 0) {
    if ((rc = load_layers(ctx, &layers, err)) != 0)
      goto out;
    int p = layer_pos(&layers, g.zLayer);
    if (p < 0 || p + 1 >= layers.n) {
      rc = sws_err_set(err, SWS_ECONFLICT, "grievance %s is at the %s "
                       "layer; there is no layer above it", g.zTicket,
                       g.zLayer);
      goto out;
    }
    sws_strlcpy(zLayer, layers.az[p + 1], sizeof zLayer);
  }
  char zOp[40];
  snprintf(zOp, sizeof zOp, "grievance.%s", zAction);
  if ((rc = cases_op_begin(ctx, zOp, err)) != 0)
    goto out;
  rc = insert_event(ctx, g.zId, NULL, zEvent, zLayer, NULL, NULL, zText,
                    err);
  if (rc == 0)
    rc = refold(ctx, g.zId, &f, err);
  {
    char zDetail[96];
    snprintf(zDetail, sizeof zDetail, "%s: %s at %s", g.zTicket, zEvent,
             zLayer);
    rc = cases_op_end(ctx, rc, "grievance", g.zId, zDetail, err);
  }
out:
  cases_grievance_release(&g);
  return rc;
}

int cases_grievance_escalate_due(struct sws_ctx *ctx, int *pEscalated,
                                 int *pStuck, struct sws_err *err)
{
  struct grievance_layers layers;
  char zToday[11];
  sqlite3_stmt *q;
  int rc;
  struct due {
    char zId[SWS_UUID_LEN + 1], zTicket[SWS_NUMBER_MAX], zLayer[12],
        zDue[11];
  } *a = NULL;
  int n = 0, nAlloc = 0;
  *pEscalated = *pStuck = 0;
  cases_today(zToday);
  if ((rc = load_layers(ctx, &layers, err)) != 0)
    return rc;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT id, ticket, layer, due FROM grievance WHERE "
                       "status NOT IN ('answered', 'closed') AND due < :t "
                       "ORDER BY due, rid",
                       err)) != 0)
    return rc;
  db_bind_text(q, ":t", zToday);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    if (n == nAlloc) {
      nAlloc = nAlloc ? 2 * nAlloc : 16;
      a = sws_realloc(a, sizeof *a * (size_t)nAlloc);
    }
    sws_strlcpy(a[n].zId, db_col_str(q, 0), sizeof a[n].zId);
    sws_strlcpy(a[n].zTicket, db_col_str(q, 1), sizeof a[n].zTicket);
    sws_strlcpy(a[n].zLayer, db_col_str(q, 2), sizeof a[n].zLayer);
    sws_strlcpy(a[n].zDue, db_col_str(q, 3), sizeof a[n].zDue);
    n++;
  }
  db_done(ctx->db, q);
  if (rc < 0)
    goto out;
  rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    int p = layer_pos(&layers, a[i].zLayer);
    if (p < 0 || p + 1 >= layers.n) {
      (*pStuck)++;
      continue;
    }
    struct grievance_fold f;
    char zText[96];
    snprintf(zText, sizeof zText, "deadline %s passed at the %s layer",
             a[i].zDue, a[i].zLayer);
    if ((rc = cases_op_begin(ctx, "grievance.escalate-due", err)) != 0)
      break;
    rc = insert_event(ctx, a[i].zId, NULL, "escalated", layers.az[p + 1],
                      NULL, NULL, zText, err);
    if (rc == 0)
      rc = refold(ctx, a[i].zId, &f, err);
    char zDetail[200];
    snprintf(zDetail, sizeof zDetail, "%s: to %s (%s)", a[i].zTicket,
             layers.az[p + 1], zText);
    rc = cases_op_end(ctx, rc, "grievance", a[i].zId, zDetail, err);
    if (rc == 0)
      (*pEscalated)++;
  }
out:
  free(a);
  return rc;
}

int cases_grievance_list(struct sws_ctx *ctx, int bAll, int viewer_role,
                         const char *zRegno,
                         int (*fn)(const struct grievance_row *, void *),
                         void *arg, struct sws_err *err)
{
  char zToday[11], zHh[SWS_UUID_LEN + 1] = "";
  sqlite3_stmt *q;
  int rc;
  if (zRegno && strlen(zRegno) == SWS_UUID_LEN)
    sws_strlcpy(zHh, zRegno, sizeof zHh);
  else if (zRegno && (rc = cases_household_resolve(ctx, zRegno, 0, zHh, NULL,
                                                   NULL, err)) != 0)
    return rc;
  cases_today(zToday);
  /* clang-format off */
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT g.ticket, g.category, g.status, g.layer, "
                       "coalesce(g.due, ''), g.created_at, "
                       "coalesce(h.regno, ''), c.sensitive, "
                       "coalesce(g.due < :today, 0), sight FROM (SELECT g.*, "
                       ACCESS_GRIEVANCE_SQL("g", "c") " AS sight FROM "
                       "grievance g JOIN grievance_category c ON c.code = "
                       "g.category WHERE (:all OR g.status != 'closed') AND "
                       "(:hh IS NULL OR g.household_id = :hh)) g "
                       "JOIN grievance_category c ON c.code = g.category "
                       "LEFT JOIN household h ON h.id = g.household_id "
                       "WHERE sight > 0 "
                       "ORDER BY g.due IS NULL, g.due, g.rid",
                       err)) != 0)
    return rc;
  /* clang-format on */
  db_bind_text(q, ":today", zToday);
  db_bind_int64(q, ":all", bAll);
  db_bind_text(q, ":hh", zHh[0] ? zHh : NULL);
  access_bind(ctx, q, viewer_role);
  while ((rc = db_step(ctx->db, q, err)) == DB_ROW) {
    int all = db_col_int64(q, 9) == GRIEVANCE_SEE_ALL;
    struct grievance_row r = {db_col_str(q, 0),
                              all ? db_col_str(q, 1) : "",
                              db_col_str(q, 2),
                              db_col_str(q, 3),
                              db_col_str(q, 4),
                              all ? db_col_str(q, 5) : "",
                              all ? db_col_str(q, 6) : "",
                              all && db_col_int64(q, 7),
                              (int)db_col_int64(q, 8),
                              all};
    if (fn(&r, arg) != 0) {
      rc = DB_DONE;
      break;
    }
  }
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

int cases_grievance_apply_remote(struct sws_ctx *ctx, const char *zTicket,
                                 const char *zEventId, const char *zEvent,
                                 const char *zLayer, const char *zAt,
                                 const char *zBy, const char *zText,
                                 struct sws_err *err)
{
  char zId[SWS_UUID_LEN + 1];
  sqlite3_stmt *q;
  struct grievance_fold f;
  int rc, exists = 0;
  if ((rc = resolve(ctx, zTicket, zId, err)) != 0)
    return rc;
  if (!fsm_has_event(&GRIEVANCE_FSM, zEvent) &&
      strcmp(zEvent, "received") != 0)
    return sws_err_set(err, SWS_EINVAL, "unknown grievance event '%s'",
                       zEvent);
  int64_t ms;
  if (sws_time_parse(zAt, &ms, err) != 0)
    return err->code;
  if ((rc = db_prepare(ctx->db, &q,
                       "SELECT 1 FROM grievance_event WHERE id = :id", err)))
    return rc;
  db_bind_text(q, ":id", zEventId);
  exists = db_step(ctx->db, q, err) == DB_ROW;
  db_done(ctx->db, q);
  if (exists)
    return SWS_OK; /* delivered twice: nothing to do */
  if ((rc = cases_op_begin(ctx, "grievance.remote", err)) != 0)
    return rc;
  rc = insert_event(ctx, zId, zEventId, zEvent, zLayer, zAt, zBy, zText, err);
  if (rc == 0)
    rc = refold(ctx, zId, &f, err);
  return cases_op_end(ctx, rc, "grievance", zId, zEvent, err);
}
