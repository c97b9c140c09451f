/*
 * fields.h - what the central registry accepts in the fields of a pushed
 * mutation (docs/sync-protocol.md): for each synced entity, every column
 * an office sends and the rule its value must follow.
 *
 * The rules are the office's own: the CHECK constraints and NOT NULLs of
 * schema/office/ and the checks of cases/ (sws_text_check,
 * sws_born_check, sws_number_parse, the phone and national ID forms). An
 * office running sws never sends a value they refuse, so a value that
 * breaks them came from something else (a modified office, a hand-made
 * request) and the registry refuses the mutation with a message that names
 * the field, instead of storing a null name or a megabyte where a name
 * belongs and sending it on to other offices.
 *
 * Values are as cases/capture.c reads them from the office row: INTEGER a
 * JSON integer, REAL a JSON number, TEXT a string, NULL null. Only a
 * mutation's `fields` are checked: its `prev` are the office's previous
 * values, compared with the registry's for conflicts and never stored, so
 * they need no more than being JSON (proto_push_decode).
 *
 * The tables are constant: safe from any thread.
 */
#ifndef SWS_SYNC_FIELDS_H
#define SWS_SYNC_FIELDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* How a field's value is checked. */
enum fields_kind {
  /* Text people type: min..max characters (code points, as the schema's
   * length() counts them); with min >= 1 not blank either. Tabs and line
   * breaks only with FIELDS_MULTILINE; other control characters never
   * (C0, DEL, C1, NUL), and in one-line text no bidirectional controls
   * (U+202A-U+202E, U+2066-U+2069), which make a name read differently
   * from what it is, nor U+2028/U+2029. */
  FIELDS_TEXT = 1,
  FIELDS_CODE,   /* an identifier in charset cs, min..max characters */
  FIELDS_PHONE,  /* "" or a number as stored: '+'?, 6 to 15 digits */
  FIELDS_ENUM,   /* one of zArg's values ("F|M") */
  FIELDS_INT,    /* a JSON integer in min..max */
  FIELDS_FLAG,   /* 0 or 1 */
  FIELDS_REAL,   /* a JSON number */
  FIELDS_REF,    /* the UUID of a record of entity zArg (see fields_refs) */
  FIELDS_BORN,   /* YYYY, YYYY-MM or YYYY-MM-DD: a real date, 1880 on, not
                    after tomorrow (an office clock a little ahead is not
                    refused for a baby registered today) */
  FIELDS_DATE,   /* YYYY-MM-DD, a real date */
  FIELDS_TIME,   /* YYYY-MM-DDTHH:MM:SSZ, as sws_time_format writes every
                    time an office stores (sws_now()); no fractions, no
                    other zones */
  FIELDS_NUMBER, /* a public number PREFIX-SEQ-C (core/ids.h), canonical,
                    check character right; PREFIX is the issuing device's
                    code followed by zArg ("" registration, "-G" ticket,
                    "-R" referral) */
  FIELDS_JSON,   /* text holding one JSON value of type zArg ("object" or
                    "array"), at most max bytes */
  FIELDS_HEX,    /* exactly max lower-case hex digits (a SHA-256: 64) */
};

/* The characters of a FIELDS_CODE. */
enum fields_charset {
  FIELDS_CS_CODE = 1,    /* a-z 0-9 '-': grievance categories, programme
                            and instrument codes */
  FIELDS_CS_LABEL,       /* a-z 0-9 '_' '-': assessment bands */
  FIELDS_CS_LOGIN,       /* a login: a-z, then a-z 0-9 '.' '_' '-' */
  FIELDS_CS_AREA,        /* an area code: A-Z a-z 0-9 '.' '_' '-' */
  FIELDS_CS_NATIONAL_ID, /* A-Z 0-9 '/', as cases_national_id_norm stores */
};

/* Flags of a rule. Null is a value (the column has no NOT NULL): */
#define FIELDS_NULLABLE 1u
/* An insert must carry it (NOT NULL without a DEFAULT); an update carries
 * only what changed: */
#define FIELDS_REQUIRED 2u
/* FIELDS_TEXT: tabs and line breaks allowed: */
#define FIELDS_MULTILINE 4u

struct fields_rule {
  const char *zName; /* the column */
  enum fields_kind kind;
  unsigned flags;         /* FIELDS_NULLABLE, FIELDS_REQUIRED, ... */
  int64_t min, max;       /* TEXT, CODE: characters; INT: values; JSON:
                             bytes (max); HEX: digits (max) */
  const char *zArg;       /* ENUM: values, '|' between; REF: the entity;
                             NUMBER: the series after the device code;
                             JSON: "object" or "array" */
  enum fields_charset cs; /* CODE */
};

/* A field that names another record. */
struct fields_ref {
  const char *zField;  /* "household_id" */
  const char *zEntity; /* the entity it names: "household" */
  int bNullable;       /* null means none (an enrolment of a household) */
};

/* The synced entities (the office tables offices push), NULL at the end. */
extern const char *const fields_entities[];

/*
 * Check one mutation's fields (a JSON object): every field is a field of
 * zEntity and its value follows the field's rule; with bInsert, every
 * FIELDS_REQUIRED field is there; the rules between fields of the office's
 * row CHECKs hold where the mutation carries all their fields (a closed
 * case has closed_at; an anonymous grievance names no household and has a
 * follow-up hash). 0, or SWS_EINVAL with err->msg for an operator, naming
 * the field and what is wrong with it ("field 'name': 1000000 characters,
 * at most 200", "field 'sex': 'X' is not one of F, M", "field 'foo' is not
 * a field of member"). Values are quoted cut short, with control
 * characters shown as '?'.
 */
int fields_check(const char *zEntity, int bInsert, json_t *fields,
                 struct sws_err *err);

/* Check the value v of one field (as fields_check does for each). */
int fields_check_one(const char *zEntity, const char *zField, json_t *v,
                     struct sws_err *err);

/*
 * The rules of zEntity's fields, in the office table's column order:
 * *pa and *pn. SWS_ENOTFOUND for an entity offices do not push.
 */
int fields_rules(const char *zEntity, const struct fields_rule **pa, int *pn);
/* The rule of field zField of zEntity, or NULL. */
const struct fields_rule *fields_rule(const char *zEntity, const char *zField);

/*
 * The fields of zEntity that name other records (its FIELDS_REF fields),
 * so the registry can check that each record named exists and is held by
 * the pushing office:
 *
 *   const struct fields_ref *a;
 *   int n;
 *   fields_refs("enrolment", &a, &n);   // household_id, member_id (or null)
 *   for (int i = 0; i < n; i++) ... json_object_get(fields, a[i].zField)
 *
 * An entity without references gets n = 0. SWS_ENOTFOUND (and n = 0) for
 * an entity offices do not push.
 */
int fields_refs(const char *zEntity, const struct fields_ref **pa, int *pn);

/*
 * 1 if field zField of zEntity is a number issued under the office's
 * device code (household regno, grievance ticket, referral number), so the
 * registry can check that the prefix is the pushing office's; 0 otherwise.
 */
int fields_is_number(const char *zEntity, const char *zField);

/*
 * The device code that number zValue of field zField was issued under
 * ("KH12" for KH12-000123-7 and for ticket KH12-G-000005-X) into zDevice
 * (nDevice bytes). SWS_EINVAL when the field is not such a number or
 * zValue is not one of its series.
 */
int fields_number_device(const char *zEntity, const char *zField,
                         const char *zValue, char *zDevice, size_t nDevice,
                         struct sws_err *err);

#endif
