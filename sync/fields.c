/*
 * fields.c - the office's rules for pushed field values (see fields.h).
 *
 * The tables below are read off schema/office/0001_registry.sql and
 * 0002_cases.sql (CHECK, NOT NULL, DEFAULT) and the checks of cases/
 * (household.c, casefile.c, ...); tests/test_fields.c compares them with
 * the columns of a fresh office database, so a column added there without
 * a rule here fails the tests.
 */
#include "sync/fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cases/country.h"
#include "cases/ctx.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/mem.h"
#include "core/text.h"
#include "sync/proto.h"

/* Shorthands for the tables: REQ is NOT NULL without a DEFAULT, DEF NOT
 * NULL with one, NUL no NOT NULL; ML lets text run over lines. */
#define REQ FIELDS_REQUIRED
#define DEF 0u
#define NUL FIELDS_NULLABLE
#define ML FIELDS_MULTILINE

/* clang-format off */
#define TEXT(n, f, lo, hi) {n, FIELDS_TEXT, f, lo, hi, NULL, 0}
#define CODE(n, f, cs, lo, hi) {n, FIELDS_CODE, f, lo, hi, NULL, cs}
#define PHONE(n, f) {n, FIELDS_PHONE, f, 0, 0, NULL, 0}
#define ENUM(n, f, list) {n, FIELDS_ENUM, f, 0, 0, list, 0}
#define INT(n, f, lo, hi) {n, FIELDS_INT, f, lo, hi, NULL, 0}
#define FLAG(n, f) {n, FIELDS_FLAG, f, 0, 1, NULL, 0}
#define REAL(n, f) {n, FIELDS_REAL, f, 0, 0, NULL, 0}
#define REF(n, f, e) {n, FIELDS_REF, f, 0, 0, e, 0}
#define BORN(n, f) {n, FIELDS_BORN, f, 0, 0, NULL, 0}
#define DATE(n, f) {n, FIELDS_DATE, f, 0, 0, NULL, 0}
#define TIME(n, f) {n, FIELDS_TIME, f, 0, 0, NULL, 0}
#define NUMBER(n, f, series) {n, FIELDS_NUMBER, f, 0, 0, series, 0}
#define JSONTEXT(n, f, type) {n, FIELDS_JSON, f, 0, JSON_MAX, type, 0}
#define HEX(n, f, digits) {n, FIELDS_HEX, f, 0, digits, NULL, 0}
/* clang-format on */
/* Who did it: sws_actor(), a login, "cli:" and the system account's name,
 * "ui", "system"; held in SWS_LOGIN_MAX bytes with the NUL. */
#define ACTOR(n, f) TEXT(n, f, 1, SWS_LOGIN_MAX - 1)
/* Logins: users.login in 0001_registry.sql. */
#define LOGIN(n, f) CODE(n, f, FIELDS_CS_LOGIN, 2, 32)

#define INT_MAX32 2147483647 /* line and plan numbers are C ints there */
/* Assessment answers and explanations have no limit of their own at the
 * office (up to 1000 answers, an item per rule and member): whatever fits
 * in a push. */
#define JSON_MAX ((int64_t)PROTO_MAX_BODY)

#define LAYERS "village|commune|district|province|national"

static const struct fields_rule HOUSEHOLD[] = {
    NUMBER("regno", REQ, ""),
    CODE("area_code", REQ, FIELDS_CS_AREA, 1, 32),
    TEXT("address", DEF | ML, 0, 500),
    PHONE("phone", DEF),
    ENUM("status", DEF, "active|inactive"),
    TEXT("status_reason", DEF | ML, 0, 500),
    TEXT("import_key", NUL, 1, 100),
    TIME("created_at", REQ),
    ACTOR("created_by", REQ),
};

static const struct fields_rule MEMBER[] = {
    REF("household_id", REQ, "household"),
    INT("line_no", REQ, 1, INT_MAX32),
    TEXT("name", REQ, 1, 200),
    ENUM("sex", REQ, "F|M"),
    BORN("born", REQ),
    ENUM("relationship", REQ,
         "head|spouse|child|parent|sibling|grandchild|grandparent|"
         "other-relative|non-relative"),
    CODE("national_id", NUL, FIELDS_CS_NATIONAL_ID, 1, 32),
    PHONE("phone", DEF),
    FLAG("disability", DEF),
    ENUM("status", DEF, "active|left|deceased"),
    TIME("created_at", REQ),
};

static const struct fields_rule CASE_FILE[] = {
    REF("household_id", REQ, "household"),
    ENUM("status", DEF, "open|closed"),
    LOGIN("manager", NUL),
    TIME("opened_at", REQ),
    ACTOR("opened_by", REQ),
    TIME("closed_at", NUL),
    /* set only when a case is closed, and then never blank */
    TEXT("outcome", NUL | ML, 1, 500),
};

static const struct fields_rule CASE_ASSIGNMENT[] = {
    REF("case_id", REQ, "case_file"),
    LOGIN("manager", REQ),
    ENUM("how", REQ, "manual|auto"),
    TIME("at", REQ),
    ACTOR("by", REQ),
};

static const struct fields_rule CASE_NOTE[] = {
    REF("case_id", REQ, "case_file"),
    TEXT("text", REQ | ML, 1, 4000),
    TIME("at", REQ),
    ACTOR("by", REQ),
};

static const struct fields_rule ASSESSMENT[] = {
    INT("number", REQ, 1, INT64_MAX),
    REF("case_id", REQ, "case_file"),
    REF("household_id", REQ, "household"),
    CODE("instrument_code", REQ, FIELDS_CS_CODE, 1, 40),
    INT("instrument_version", REQ, 1, 1000000),
    JSONTEXT("answers", REQ, "object"),
    REAL("score", REQ),
    CODE("band", REQ, FIELDS_CS_LABEL, 1, 40),
    JSONTEXT("flags", REQ, "array"),
    JSONTEXT("explanation", REQ, "array"),
    TIME("assessed_at", REQ),
    ACTOR("assessed_by", REQ),
};

static const struct fields_rule PLAN_GOAL[] = {
    REF("case_id", REQ, "case_file"),
    INT("no", REQ, 1, INT_MAX32),
    TEXT("text", REQ | ML, 1, 1000),
    ENUM("status", DEF, "open|achieved|dropped"),
    TIME("created_at", REQ),
    ACTOR("created_by", REQ),
};

static const struct fields_rule PLAN_ACTION[] = {
    REF("case_id", REQ, "case_file"),
    INT("no", REQ, 1, INT_MAX32),
    INT("goal_no", NUL, 1, INT_MAX32),
    ENUM("kind", REQ,
         "psychosocial|income-support|skills|enterprise|job-placement|other"),
    TEXT("text", REQ | ML, 1, 1000),
    TEXT("owner", REQ, 1, 200),
    DATE("due", REQ),
    ENUM("status", DEF, "planned|in-progress|done|cancelled"),
    TIME("created_at", REQ),
    ACTOR("created_by", REQ),
    TIME("done_at", NUL),
};

static const struct fields_rule ENROLMENT[] = {
    INT("number", REQ, 1, INT64_MAX),
    REF("household_id", REQ, "household"),
    REF("member_id", NUL, "member"),
    CODE("programme_code", REQ, FIELDS_CS_CODE, 1, 40),
    ENUM("status", DEF, "applied|approved|rejected"),
    TEXT("reason", DEF | ML, 0, 500),
    TIME("applied_at", REQ),
    ACTOR("applied_by", REQ),
    TIME("decided_at", NUL),
    ACTOR("decided_by", NUL),
};

static const struct fields_rule REFERRAL[] = {
    NUMBER("number", REQ, "-R"),
    REF("household_id", REQ, "household"),
    REF("member_id", REQ, "member"),
    ENUM("service", REQ, "health|education|employment|psychosocial|other"),
    TEXT("provider", REQ, 1, 200),
    TEXT("reason", REQ | ML, 1, 1000),
    FLAG("urgent", DEF),
    ENUM("status", DEF, "pending|sent|accepted|declined|completed|cancelled"),
    FLAG("flagged", DEF),
    TIME("created_at", REQ),
    ACTOR("created_by", REQ),
};

/* The note of an event says why it did not fit (written by the fold,
 * under 160 bytes): one line. */
static const struct fields_rule REFERRAL_EVENT[] = {
    REF("referral_id", REQ, "referral"),
    ENUM("event", REQ, "sent|accepted|declined|completed|cancelled"),
    TIME("at", REQ),
    ACTOR("by", REQ),
    TEXT("feedback", DEF | ML, 0, 2000),
    FLAG("valid", DEF),
    TEXT("note", DEF, 0, 200),
};

static const struct fields_rule GRIEVANCE[] = {
    NUMBER("ticket", REQ, "-G"),
    REF("household_id", NUL, "household"),
    FLAG("anonymous", DEF),
    HEX("followup_hash", NUL, 64),
    CODE("category", REQ, FIELDS_CS_CODE, 1, 40),
    ENUM("channel", REQ, "walk-in|phone|letter|hotline"),
    TEXT("text", REQ | ML, 1, 4000),
    ENUM("status", DEF,
         "received|acknowledged|under-review|escalated|answered|closed"),
    ENUM("layer", REQ, LAYERS),
    DATE("due", NUL),
    /* the text of the answering event */
    TEXT("answer", DEF | ML, 0, 4000),
    ENUM("answer_layer", NUL, LAYERS),
    FLAG("flagged", DEF),
    TIME("created_at", REQ),
    ACTOR("created_by", REQ),
};

static const struct fields_rule GRIEVANCE_EVENT[] = {
    REF("grievance_id", REQ, "grievance"),
    ENUM("event", REQ,
         "received|acknowledged|review|escalated|answered|closed|appealed"),
    ENUM("layer", REQ, LAYERS),
    TIME("at", REQ),
    ACTOR("by", REQ),
    TEXT("text", DEF | ML, 0, 4000),
    FLAG("valid", DEF),
    TEXT("note", DEF, 0, 200),
};

/* The FIELDS_REF rules again, in the shape fields_refs gives out (the
 * tests check that the two agree). */
static const struct fields_ref MEMBER_REFS[] = {
    {"household_id", "household", 0}};
static const struct fields_ref CASE_FILE_REFS[] = {
    {"household_id", "household", 0}};
static const struct fields_ref CASE_REFS[] = {{"case_id", "case_file", 0}};
static const struct fields_ref ASSESSMENT_REFS[] = {
    {"case_id", "case_file", 0}, {"household_id", "household", 0}};
static const struct fields_ref ENROLMENT_REFS[] = {
    {"household_id", "household", 0}, {"member_id", "member", 1}};
static const struct fields_ref REFERRAL_REFS[] = {
    {"household_id", "household", 0}, {"member_id", "member", 0}};
static const struct fields_ref REFERRAL_EVENT_REFS[] = {
    {"referral_id", "referral", 0}};
static const struct fields_ref GRIEVANCE_REFS[] = {
    {"household_id", "household", 1}};
static const struct fields_ref GRIEVANCE_EVENT_REFS[] = {
    {"grievance_id", "grievance", 0}};

struct entity {
  const char *zName;
  const struct fields_rule *aRule;
  int nRule;
  const struct fields_ref *aRef;
  int nRef;
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define ENTITY(name, rules, refs)                                              \
  {                                                                            \
    name, rules, N(rules), refs, N(refs)                                       \
  }

static const struct entity ENTITIES[] = {
    {"household", HOUSEHOLD, N(HOUSEHOLD), NULL, 0},
    ENTITY("member", MEMBER, MEMBER_REFS),
    ENTITY("case_file", CASE_FILE, CASE_FILE_REFS),
    ENTITY("case_assignment", CASE_ASSIGNMENT, CASE_REFS),
    ENTITY("case_note", CASE_NOTE, CASE_REFS),
    ENTITY("assessment", ASSESSMENT, ASSESSMENT_REFS),
    ENTITY("plan_goal", PLAN_GOAL, CASE_REFS),
    ENTITY("plan_action", PLAN_ACTION, CASE_REFS),
    ENTITY("enrolment", ENROLMENT, ENROLMENT_REFS),
    ENTITY("referral", REFERRAL, REFERRAL_REFS),
    ENTITY("referral_event", REFERRAL_EVENT, REFERRAL_EVENT_REFS),
    ENTITY("grievance", GRIEVANCE, GRIEVANCE_REFS),
    ENTITY("grievance_event", GRIEVANCE_EVENT, GRIEVANCE_EVENT_REFS),
};

const char *const fields_entities[] = {
    "household",       "member",     "case_file",      "case_assignment",
    "case_note",       "assessment", "plan_goal",      "plan_action",
    "enrolment",       "referral",   "referral_event", "grievance",
    "grievance_event", NULL};

static const struct entity *entity_get(const char *zEntity)
{
  for (int i = 0; zEntity && i < N(ENTITIES); i++)
    if (strcmp(ENTITIES[i].zName, zEntity) == 0)
      return &ENTITIES[i];
  return NULL;
}

static const struct fields_rule *rule_get(const struct entity *e,
                                          const char *zField)
{
  for (int i = 0; i < e->nRule; i++)
    if (strcmp(e->aRule[i].zName, zField) == 0)
      return &e->aRule[i];
  return NULL;
}

/* ---- characters ---- */

#define SHOW_MAX 40

/*
 * A value as a message quotes it: at most nMax bytes of whole characters,
 * then "..."; control, bidirectional and line-break characters and bytes
 * that are not UTF-8 as '?', so the message is one safe line however the
 * value was made. out has nMax + 4 bytes.
 */
static const char *show(char *out, size_t nMax, const char *z, size_t n)
{
  size_t i = 0, o = 0;
  while (i < n) {
    unsigned cp = '?';
    size_t k = sws_utf8_next(z + i, n - i, &cp);
    int bSafe = k > 0 && !sws_cp_control(cp) && !sws_cp_bidi(cp) &&
                !sws_cp_line_break(cp);
    size_t w = bSafe ? k : 1;
    if (o + w > nMax) {
      memcpy(out + o, "...", 3);
      o += 3;
      break;
    }
    if (bSafe)
      memcpy(out + o, z + i, k);
    else
      out[o] = '?';
    o += w;
    i += k > 0 ? k : 1;
  }
  out[o] = '\0';
  return out;
}

/* The character (from 1) at byte offset off of z. */
static size_t char_pos(const char *z, size_t off)
{
  size_t n = 1;
  for (size_t i = 0; i < off; i++)
    if (((unsigned char)z[i] & 0xc0) != 0x80)
      n++;
  return n;
}

/* ---- messages ---- */

/* SWS_EINVAL with "field 'NAME': " and the message. */
static int bad(struct sws_err *err, const char *zField, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct sws_err *err, const char *zField, const char *fmt, ...)
{
  char zMsg[256], zName[SHOW_MAX + 4];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(zMsg, sizeof zMsg, fmt, ap);
  va_end(ap);
  return sws_err_set(err, SWS_EINVAL, "field '%s': %s",
                     show(zName, SHOW_MAX, zField, strlen(zField)), zMsg);
}

/* What a JSON value is, for "an object where text belongs". */
static const char *json_what(json_t *v)
{
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "text";
  case JSON_INTEGER:
    return "a whole number";
  case JSON_REAL:
    return "a decimal number";
  case JSON_TRUE:
    return "true";
  case JSON_FALSE:
    return "false";
  default:
    return "null";
  }
}

/* What a kind holds. */
static const char *kind_what(enum fields_kind kind)
{
  switch (kind) {
  case FIELDS_INT:
    return "a whole number";
  case FIELDS_FLAG:
    return "0 or 1";
  case FIELDS_REAL:
    return "a number";
  default:
    return "text";
  }
}

/* The series of a public number, for messages. */
static const char *number_what(const char *zSeries)
{
  if (strcmp(zSeries, "-G") == 0)
    return "a ticket number (like KH12-G-000123-7)";
  if (strcmp(zSeries, "-R") == 0)
    return "a referral number (like KH12-R-000012-4)";
  return "a registration number (like KH12-000123-7)";
}

/* ---- values ---- */

static int digits(const char *z, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9')
      return -1;
    v = v * 10 + (z[i] - '0');
  }
  return v;
}

/* YYYY-MM-DD with digits where they belong: *y, *m, *d; 0 if not. */
static int date_shape(const char *z, int *y, int *m, int *d)
{
  if (z[4] != '-' || z[7] != '-')
    return 0;
  *y = digits(z, 4);
  *m = digits(z + 5, 2);
  *d = digits(z + 8, 2);
  return *y >= 0 && *m >= 0 && *d >= 0;
}

static int check_text(const struct fields_rule *r, const char *z, size_t n,
                      size_t nChar, struct sws_err *err)
{
  int bMulti = (r->flags & FIELDS_MULTILINE) != 0;
  if ((int64_t)nChar > r->max)
    return bad(err, r->zName, "%zu characters, at most %lld", nChar,
               (long long)r->max);
  if ((int64_t)nChar < r->min)
    return bad(err, r->zName, "empty, but it needs at least %lld character%s",
               (long long)r->min, r->min == 1 ? "" : "s");
  for (size_t i = 0, pos = 1; i < n; pos++) {
    unsigned cp = 0;
    size_t k = sws_utf8_next(z + i, n - i, &cp); /* valid: checked before */
    if (k == 0)
      break;
    if ((cp == '\t' || sws_cp_line_break(cp)) && !bMulti)
      return bad(err, r->zName, "%s at character %zu; this field is one line",
                 cp == '\t' ? "a tab" : "a line break", pos);
    if (sws_cp_control(cp) && cp != '\t' && cp != '\n' && cp != '\r')
      return bad(err, r->zName, "control character U+%04X at character %zu", cp,
                 pos);
    if (sws_cp_bidi(cp) && !bMulti)
      return bad(err, r->zName,
                 "bidirectional control character U+%04X at character %zu, "
                 "which makes text show other than it is; not allowed in "
                 "one-line fields",
                 cp, pos);
    i += k;
  }
  if (r->min >= 1 && sws_blank(z))
    return bad(err, r->zName, "only white space");
  return SWS_OK;
}

/* The characters a FIELDS_CODE may hold, and how to say so. */
static int code_char_ok(enum fields_charset cs, char c, int bFirst)
{
  int lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
  int digit = c >= '0' && c <= '9';
  switch (cs) {
  case FIELDS_CS_CODE:
    return lower || digit || c == '-';
  case FIELDS_CS_LABEL:
    return lower || digit || c == '-' || c == '_';
  case FIELDS_CS_LOGIN:
    return lower || (!bFirst && (digit || c == '.' || c == '_' || c == '-'));
  case FIELDS_CS_AREA:
    return lower || upper || digit || c == '.' || c == '_' || c == '-';
  case FIELDS_CS_NATIONAL_ID:
    return upper || digit || c == '/';
  }
  return 0;
}

static const char *code_what(enum fields_charset cs)
{
  switch (cs) {
  case FIELDS_CS_CODE:
    return "a-z, 0-9 and '-'";
  case FIELDS_CS_LABEL:
    return "a-z, 0-9, '_' and '-'";
  case FIELDS_CS_LOGIN:
    return "a-z first, then a-z, 0-9, '.', '_' and '-'";
  case FIELDS_CS_AREA:
    return "letters A-Z and a-z, 0-9, '.', '_' and '-'";
  case FIELDS_CS_NATIONAL_ID:
    return "A-Z, 0-9 and '/' (stored upper-case, without spaces or '-'), or "
           "be a Mongolian register number (two Cyrillic capitals, eight "
           "digits that start with a birth date)";
  }
  return "?";
}

static int check_code(const struct fields_rule *r, const char *z, size_t n,
                      size_t nChar, struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  if ((int64_t)nChar > r->max)
    return bad(err, r->zName, "%zu characters, at most %lld", nChar,
               (long long)r->max);
  if ((int64_t)nChar < r->min)
    return bad(err, r->zName, "empty, but it needs at least %lld character%s",
               (long long)r->min, r->min == 1 ? "" : "s");
  if (r->cs == FIELDS_CS_NATIONAL_ID && cases_register_no_parse(z, NULL))
    return SWS_OK; /* from a Mongolian office (z has no NUL inside) */
  for (size_t i = 0; i < n; i++)
    if (!code_char_ok(r->cs, z[i], i == 0))
      return bad(err, r->zName, "'%s' may only hold %s",
                 show(zShow, SHOW_MAX, z, n), code_what(r->cs));
  return SWS_OK;
}

/* As cases_phone_norm stores a number: digits and a leading '+'. */
static int check_phone(const struct fields_rule *r, const char *z, size_t n,
                       struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  size_t nDigit = 0;
  if (n == 0)
    return SWS_OK;
  for (size_t i = z[0] == '+'; i < n; i++) {
    if (z[i] < '0' || z[i] > '9') {
      nDigit = 0;
      break;
    }
    nDigit++;
  }
  if (nDigit < 6 || nDigit > 15)
    return bad(err, r->zName,
               "'%s' is not a phone number as offices store it (6 to 15 digits "
               "after an optional '+', or empty)",
               show(zShow, SHOW_MAX, z, n));
  return SWS_OK;
}

static int check_enum(const struct fields_rule *r, const char *z, size_t n,
                      struct sws_err *err)
{
  char zShow[SHOW_MAX + 4], zList[256];
  size_t k = 0;
  for (const char *p = r->zArg;;) {
    const char *e = strchr(p, '|');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && memcmp(p, z, n) == 0)
      return SWS_OK;
    if (e == NULL)
      break;
    p = e + 1;
  }
  for (const char *p = r->zArg; *p && k + 3 < sizeof zList; p++) {
    if (*p == '|') {
      zList[k++] = ',';
      zList[k++] = ' ';
    } else {
      zList[k++] = *p;
    }
  }
  zList[k] = '\0';
  return bad(err, r->zName, "'%s' is not one of %s",
             show(zShow, SHOW_MAX, z, n), zList);
}

/* A UUID as sws_uuid7 writes it. */
static int check_ref(const struct fields_rule *r, const char *z, size_t n,
                     struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  if (!sws_uuid_ok(z, n))
    return bad(err, r->zName,
               "'%s' is not the id of a %s (a UUID like "
               "0190f0f0-3c2a-7b1e-9a4d-1f2e3d4c5b6a)",
               show(zShow, SHOW_MAX, z, n), r->zArg);
  return SWS_OK;
}

/* sws_born_check's rule, a day later: the registry's clock may be behind
 * the office's, which refused any date after its own today. */
static int check_born(const struct fields_rule *r, const char *z, size_t n,
                      struct sws_err *err)
{
  char zShow[SHOW_MAX + 4], zToday[16];
  int y = -1, m = 1, d = 1;
  if (n == 4) {
    y = digits(z, 4);
  } else if (n == 7 && z[4] == '-') {
    y = digits(z, 4);
    m = digits(z + 5, 2);
  } else if (n == 10 && !date_shape(z, &y, &m, &d)) {
    y = -1;
  }
  show(zShow, SHOW_MAX, z, n);
  if (y < 0 || m < 0 || d < 0)
    return bad(
        err, r->zName,
        "'%s' is not a birth date; offices write YYYY, YYYY-MM or YYYY-MM-DD",
        zShow);
  if (!sws_date_valid(y, m, d))
    return bad(err, r->zName, "'%s' is not a real date", zShow);
  int64_t today = sws_now_ms() / 86400000;
  if (y < 1880 || sws_days_from_civil(y, m, d) > today + 1) {
    sws_date_format(zToday, sizeof zToday, sws_now_ms());
    return bad(err, r->zName, "'%s' is not a possible birth date (today is %s)",
               zShow, zToday);
  }
  return SWS_OK;
}

static int check_date(const struct fields_rule *r, const char *z, size_t n,
                      struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  int y, m, d;
  show(zShow, SHOW_MAX, z, n);
  if (n != 10 || !date_shape(z, &y, &m, &d))
    return bad(err, r->zName, "'%s' is not a date like 2026-04-30", zShow);
  if (!sws_date_valid(y, m, d))
    return bad(err, r->zName, "'%s' is not a real date", zShow);
  return SWS_OK;
}

/* YYYY-MM-DDTHH:MM:SSZ: sws_time_format, the only way an office writes a
 * time (sws_now(), cases/ctx.c). */
static int check_time(const struct fields_rule *r, const char *z, size_t n,
                      struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  int y, mo, d, h = -1, mi = -1, s = -1;
  int ok = n == 20 && date_shape(z, &y, &mo, &d) && z[10] == 'T' &&
           z[13] == ':' && z[16] == ':' && z[19] == 'Z';
  if (ok) {
    h = digits(z + 11, 2);
    mi = digits(z + 14, 2);
    s = digits(z + 17, 2);
    ok = h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 &&
         sws_date_valid(y, mo, d);
  }
  if (!ok)
    return bad(
        err, r->zName,
        "'%s' is not a time as offices write it (2026-03-02T09:00:00Z, UTC)",
        show(zShow, SHOW_MAX, z, n));
  return SWS_OK;
}

/*
 * A number as an office issues it: canonical, its check character right,
 * its prefix a device code and the series. zDevice (if not NULL, nDevice
 * bytes) gets the device code.
 */
static int check_number(const struct fields_rule *r, const char *z, size_t n,
                        char *zDevice, size_t nDevice, struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  struct sws_number num;
  enum sws_number_status st = sws_number_parse(z, &num);
  show(zShow, SHOW_MAX, z, n);
  if (st == SWS_NUMBER_MALFORMED || st == SWS_NUMBER_NO_CHECK)
    return bad(err, r->zName, "'%s' is not %s", zShow, number_what(r->zArg));
  if (st == SWS_NUMBER_BAD_CHECK)
    return bad(err, r->zName,
               "'%s': the check character does not fit (a character is wrong)",
               zShow);
  if (strcmp(z, num.zCanon) != 0)
    return bad(err, r->zName, "'%s' is not written as offices write it (%s)",
               zShow, num.zCanon);
  size_t nPre = strlen(num.zPrefix), nSeries = strlen(r->zArg);
  size_t nDev = nPre >= nSeries ? nPre - nSeries : 0;
  /* a device code (office.device_code): 2 to 16 of A-Z 0-9 '-', a letter
   * first, which sws_number_parse has checked but for the length */
  if (nPre < nSeries || strcmp(num.zPrefix + nDev, r->zArg) != 0 || nDev < 2 ||
      nDev > 16 || num.zPrefix[nDev - 1] == '-')
    return bad(err, r->zName, "'%s' is not %s", zShow, number_what(r->zArg));
  if (zDevice) {
    if (nDev >= nDevice)
      return bad(err, r->zName, "'%s': the device code is too long", zShow);
    memcpy(zDevice, num.zPrefix, nDev);
    zDevice[nDev] = '\0';
  }
  return SWS_OK;
}

static int check_json(const struct fields_rule *r, const char *z, size_t n,
                      struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  json_error_t jerr;
  if ((int64_t)n > r->max)
    return bad(err, r->zName, "%zu bytes of JSON, at most %lld", n,
               (long long)r->max);
  json_t *j = json_loadb(z, n, JSON_REJECT_DUPLICATES, &jerr);
  if (j == NULL)
    return bad(err, r->zName, "not valid JSON text (at byte %d: %s)",
               jerr.position + 1,
               show(zShow, SHOW_MAX, jerr.text, strlen(jerr.text)));
  int ok =
      strcmp(r->zArg, "object") == 0 ? json_is_object(j) : json_is_array(j);
  const char *zWhat = json_what(j);
  json_decref(j);
  if (!ok)
    return bad(err, r->zName, "JSON text holding %s where an %s belongs", zWhat,
               r->zArg);
  return SWS_OK;
}

static int check_hex(const struct fields_rule *r, const char *z, size_t n,
                     struct sws_err *err)
{
  int ok = (int64_t)n == r->max;
  for (size_t i = 0; ok && i < n; i++)
    ok = (z[i] >= '0' && z[i] <= '9') || (z[i] >= 'a' && z[i] <= 'f');
  if (!ok)
    return bad(err, r->zName, "not %lld lower-case hex digits",
               (long long)r->max);
  return SWS_OK;
}

/* A string value: no NUL, UTF-8, then as its kind says. */
static int check_string(const struct fields_rule *r, json_t *v,
                        struct sws_err *err)
{
  const char *z = json_string_value(v);
  size_t n = json_string_length(v), nChar = 0;
  const char *pNul = memchr(z, '\0', n);
  if (pNul)
    return bad(err, r->zName, "a NUL character (\\u0000) at character %zu",
               char_pos(z, (size_t)(pNul - z)));
  for (size_t i = 0; i < n; nChar++) {
    unsigned cp;
    size_t k = sws_utf8_next(z + i, n - i, &cp);
    if (k == 0)
      return bad(err, r->zName, "not valid UTF-8 (byte %zu)", i + 1);
    i += k;
  }
  switch (r->kind) {
  case FIELDS_TEXT:
    return check_text(r, z, n, nChar, err);
  case FIELDS_CODE:
    return check_code(r, z, n, nChar, err);
  case FIELDS_PHONE:
    return check_phone(r, z, n, err);
  case FIELDS_ENUM:
    return check_enum(r, z, n, err);
  case FIELDS_REF:
    return check_ref(r, z, n, err);
  case FIELDS_BORN:
    return check_born(r, z, n, err);
  case FIELDS_DATE:
    return check_date(r, z, n, err);
  case FIELDS_TIME:
    return check_time(r, z, n, err);
  case FIELDS_NUMBER:
    return check_number(r, z, n, NULL, 0, err);
  case FIELDS_JSON:
    return check_json(r, z, n, err);
  case FIELDS_HEX:
    return check_hex(r, z, n, err);
  default:
    return bad(err, r->zName, "no rule for text"); /* not reached */
  }
}

static int check_value(const struct entity *e, const struct fields_rule *r,
                       json_t *v, struct sws_err *err)
{
  if (json_is_null(v)) {
    if (r->flags & FIELDS_NULLABLE)
      return SWS_OK;
    return bad(err, r->zName, "null, but every %s has one", e->zName);
  }
  switch (r->kind) {
  case FIELDS_INT:
  case FIELDS_FLAG:
    if (!json_is_integer(v))
      break;
    {
      json_int_t i = json_integer_value(v);
      if (r->kind == FIELDS_FLAG && i != 0 && i != 1)
        return bad(err, r->zName, "%lld is not 0 or 1", (long long)i);
      if (i < r->min && r->max == INT64_MAX)
        return bad(err, r->zName, "%lld, at least %lld", (long long)i,
                   (long long)r->min);
      if (i < r->min || i > r->max)
        return bad(err, r->zName, "%lld is not within %lld to %lld",
                   (long long)i, (long long)r->min, (long long)r->max);
      return SWS_OK;
    }
  case FIELDS_REAL:
    if (!json_is_number(v))
      break;
    return SWS_OK; /* jansson holds no NaN or infinity */
  default:
    if (!json_is_string(v))
      break;
    return check_string(r, v, err);
  }
  return bad(err, r->zName, "%s where %s belongs", json_what(v),
             kind_what(r->kind));
}

/* ---- rules between fields (the row CHECKs of 0002_cases.sql) ---- */

static int row_check(const struct entity *e, json_t *fields,
                     struct sws_err *err)
{
  if (strcmp(e->zName, "case_file") == 0) {
    json_t *st = json_object_get(fields, "status");
    json_t *at = json_object_get(fields, "closed_at");
    int bClosed = st && strcmp(json_string_value(st), "closed") == 0;
    if (st && at && bClosed && json_is_null(at))
      return bad(err, "closed_at",
                 "null, but the case is closed (a closed case has the time it "
                 "was closed)");
    if (st && at && !bClosed && !json_is_null(at))
      return bad(err, "closed_at",
                 "a time, but the case is open (an open case has none)");
  } else if (strcmp(e->zName, "grievance") == 0) {
    json_t *an = json_object_get(fields, "anonymous");
    json_t *hh = json_object_get(fields, "household_id");
    json_t *fh = json_object_get(fields, "followup_hash");
    int bAnon = an && json_integer_value(an) == 1;
    if (an && hh && bAnon && !json_is_null(hh))
      return bad(err, "household_id",
                 "a household, but an anonymous grievance names none");
    if (an && fh && bAnon && json_is_null(fh))
      return bad(err, "followup_hash",
                 "null, but an anonymous grievance has the hash of its "
                 "follow-up code");
    if (an && fh && !bAnon && !json_is_null(fh))
      return bad(
          err, "followup_hash",
          "a hash, but only an anonymous grievance has a follow-up code");
  }
  return SWS_OK;
}

/* ---- the API ---- */

static int unknown_entity(const char *zEntity, struct sws_err *err)
{
  char zShow[SHOW_MAX + 4];
  return sws_err_set(err, SWS_EINVAL, "'%s' is not an entity offices push",
                     zEntity ? show(zShow, SHOW_MAX, zEntity, strlen(zEntity))
                             : "(none)");
}

int fields_check(const char *zEntity, int bInsert, json_t *fields,
                 struct sws_err *err)
{
  const struct entity *e = entity_get(zEntity);
  const char *zKey;
  json_t *v;
  int rc;
  if (e == NULL)
    return unknown_entity(zEntity, err);
  if (!json_is_object(fields))
    return sws_err_set(err, SWS_EINVAL,
                       "the fields of a %s are not a JSON object", e->zName);
  json_object_foreach(fields, zKey, v)
  {
    const struct fields_rule *r = rule_get(e, zKey);
    if (r == NULL) {
      char zShow[SHOW_MAX + 4];
      return sws_err_set(err, SWS_EINVAL, "field '%s' is not a field of %s",
                         show(zShow, SHOW_MAX, zKey, strlen(zKey)), e->zName);
    }
    if ((rc = check_value(e, r, v, err)) != 0)
      return rc;
  }
  for (int i = 0; bInsert && i < e->nRule; i++)
    if ((e->aRule[i].flags & FIELDS_REQUIRED) &&
        json_object_get(fields, e->aRule[i].zName) == NULL)
      return sws_err_set(err, SWS_EINVAL,
                         "field '%s' is missing; a new %s needs it",
                         e->aRule[i].zName, e->zName);
  return row_check(e, fields, err);
}

int fields_check_one(const char *zEntity, const char *zField, json_t *v,
                     struct sws_err *err)
{
  const struct entity *e = entity_get(zEntity);
  const struct fields_rule *r;
  if (e == NULL)
    return unknown_entity(zEntity, err);
  if (zField == NULL || (r = rule_get(e, zField)) == NULL) {
    char zShow[SHOW_MAX + 4];
    return sws_err_set(err, SWS_EINVAL, "field '%s' is not a field of %s",
                       zField ? show(zShow, SHOW_MAX, zField, strlen(zField))
                              : "(none)",
                       e->zName);
  }
  if (v == NULL)
    return bad(err, zField, "no value");
  return check_value(e, r, v, err);
}

int fields_rules(const char *zEntity, const struct fields_rule **pa, int *pn)
{
  const struct entity *e = entity_get(zEntity);
  *pa = e ? e->aRule : NULL;
  *pn = e ? e->nRule : 0;
  return e ? SWS_OK : SWS_ENOTFOUND;
}

const struct fields_rule *fields_rule(const char *zEntity, const char *zField)
{
  const struct entity *e = entity_get(zEntity);
  return e && zField ? rule_get(e, zField) : NULL;
}

int fields_refs(const char *zEntity, const struct fields_ref **pa, int *pn)
{
  const struct entity *e = entity_get(zEntity);
  *pa = e ? e->aRef : NULL;
  *pn = e ? e->nRef : 0;
  return e ? SWS_OK : SWS_ENOTFOUND;
}

int fields_is_number(const char *zEntity, const char *zField)
{
  const struct fields_rule *r = fields_rule(zEntity, zField);
  return r != NULL && r->kind == FIELDS_NUMBER;
}

int fields_number_device(const char *zEntity, const char *zField,
                         const char *zValue, char *zDevice, size_t nDevice,
                         struct sws_err *err)
{
  const struct fields_rule *r = fields_rule(zEntity, zField);
  if (nDevice > 0)
    zDevice[0] = '\0';
  if (r == NULL || r->kind != FIELDS_NUMBER)
    return sws_err_set(
        err, SWS_EINVAL, "field '%s' of %s is not a number an office issues",
        zField ? zField : "(none)", zEntity ? zEntity : "(none)");
  if (zValue == NULL)
    return bad(err, r->zName, "no number");
  return check_number(r, zValue, strlen(zValue), zDevice, nDevice, err);
}
