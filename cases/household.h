/*
 * household.h - households and their members: registration (with the
 * duplicate check at the counter), reading, listing, editing and
 * deactivation. Members: add, edit, move, change of head.
 *
 * People see a household by its registration number (KH12-000123-7);
 * inside, households and members are keyed by UUIDv7. A member is
 * "member N" of its household (line_no), stable for the household's life.
 */
#ifndef SWS_CASES_HOUSEHOLD_H
#define SWS_CASES_HOUSEHOLD_H

#include "cases/ctx.h"
#include "cases/dedup.h"
#include "core/ids.h"

#define SWS_NAME_MAX 200
#define SWS_NID_MAX 32
#define SWS_PHONE_MAX 20

/* Relationship to the head of household. */
enum relationship {
  REL_HEAD = 1,
  REL_SPOUSE,
  REL_CHILD,
  REL_PARENT,
  REL_SIBLING,
  REL_GRANDCHILD,
  REL_GRANDPARENT,
  REL_OTHER_RELATIVE,
  REL_NON_RELATIVE,
};

const char *cases_relationship_name(int rel);
/* Parse a relationship; also accepts common words in English, Khmer and
 * Mongolian (wife, ប្រពន្ធ, эхнэр, son, កូន, хүү, ...), in any case and
 * with a space or underscore for the hyphen. 0 if unknown. */
int cases_relationship_parse(const char *z);

/* A member as typed, before it is saved. */
struct member_input {
  const char *zName;       /* required */
  char sex;                /* 'F' or 'M' */
  const char *zBorn;       /* YYYY, YYYY-MM or YYYY-MM-DD */
  int relationship;        /* enum relationship */
  const char *zNationalId; /* NULL or "" when none */
  const char *zPhone;      /* NULL or "" when none */
  int disability;          /* 0 or 1 */
};

struct household_input {
  const char *zArea;        /* village code, required */
  const char *zAddress;     /* may be NULL */
  const char *zPhone;       /* may be NULL */
  const char *zImportKey;   /* legacy list key (import only), may be NULL */
  const struct member_input *aMember; /* exactly one has REL_HEAD */
  int nMember;
  const char *zForceReason; /* register despite possible duplicates */
};

/* Validation helpers shared with import and the web forms. Each fills err
 * with a message that names zField. Sex is F or M, also written female or
 * male, ស្រី or ប្រុស, эм(эгтэй) or эр(эгтэй), in any case. */
int cases_sex_parse(const char *zField, const char *z, char *out,
                    struct sws_err *err);
/* National IDs are stored upper-case without spaces or hyphens; out has
 * SWS_NID_MAX+1 bytes ("" for none). Khmer digits are read as the ASCII
 * digits stored (sws_digits_ascii), here and in phones. Letters are A-Z
 * or Mongolian Cyrillic (upper-cased; whether the office's country takes
 * them is cases_country_nid_check's, called by cases_member_input_check). */
int cases_national_id_norm(const char *zField, const char *z, char *out,
                           struct sws_err *err);
/* Phone numbers are stored as digits with an optional leading '+'. */
int cases_phone_norm(const char *zField, const char *z, char *out,
                     struct sws_err *err);
/* Check a member as typed (name, sex, born, relationship, ID, phone). */
int cases_member_input_check(struct sws_ctx *ctx,
                             const struct member_input *m, const char *zWho,
                             struct sws_err *err);

/*
 * Register a household. First looks for possible duplicates of every member
 * in this office: if any are found and no zForceReason is given, nothing is
 * saved, *dups lists them (best first) and SWS_EDUP is returned. With
 * zForceReason the household is saved, the reason audited and each possible
 * duplicate recorded for review. On success zRegno receives the new
 * registration number. dups may be NULL (then duplicates are just refused);
 * release it with dedup_list_release.
 */
int cases_household_create(struct sws_ctx *ctx,
                           const struct household_input *in,
                           char zRegno[SWS_NUMBER_MAX], struct dedup_list *dups,
                           struct sws_err *err);

struct member {
  char zId[SWS_UUID_LEN + 1];
  int line_no;
  char zName[SWS_NAME_MAX + 1];
  char sex;
  char zBorn[11];
  int relationship;
  char zNationalId[SWS_NID_MAX + 1];
  char zPhone[SWS_PHONE_MAX + 1];
  int disability;
  char zStatus[10]; /* active, left, deceased */
};

struct household {
  char zId[SWS_UUID_LEN + 1];
  char zRegno[SWS_NUMBER_MAX];
  char zArea[33];
  char zAddress[501];
  char zPhone[SWS_PHONE_MAX + 1];
  char zStatus[10]; /* active, inactive */
  char zStatusReason[501];
  char zImportKey[101];
  char zCreatedAt[32];
  char zCreatedBy[SWS_LOGIN_MAX];
  char zUpdatedAt[32];
  struct member *aMember; /* ordered by line_no; owned */
  int nMember;
};

/*
 * Find a household by the number a person typed. With bStrict a missing or
 * wrong check character is an error (for changes); without, the number is
 * looked up and *pNote (if not NULL, 256 bytes) explains the problem.
 * zId receives the household's id, zRegno its canonical number (either may
 * be NULL).
 */
int cases_household_resolve(struct sws_ctx *ctx, const char *zTyped,
                            int bStrict, char *zId, char *zRegno, char *pNote,
                            struct sws_err *err);

/* Read a household and its members by id or registration number. */
int cases_household_get(struct sws_ctx *ctx, const char *zIdOrRegno,
                        struct household *out, struct sws_err *err);
void cases_household_release(struct household *h);

/* The active head of a loaded household, or NULL. */
const struct member *cases_household_head(const struct household *h);
/* Member N of a loaded household, or NULL. */
const struct member *cases_household_member(const struct household *h,
                                            int line_no);

/* One line of a household listing. */
struct household_row {
  const char *zId, *zRegno, *zArea, *zHead, *zStatus, *zCreatedAt;
  int nMembers;
};

/* Call fn for each household (in area zArea and areas under it, or all),
 * by registration number; at most nLimit (0: all). */
int cases_household_list(struct sws_ctx *ctx, const char *zArea,
                         int64_t nLimit,
                         int (*fn)(const struct household_row *, void *),
                         void *arg, struct sws_err *err);

/* Household fields that can be edited; NULL leaves a field as it is. */
struct household_edit {
  const char *zArea;
  const char *zAddress;
  const char *zPhone;
};

int cases_household_edit(struct sws_ctx *ctx, const char *zRegno,
                         const struct household_edit *e, struct sws_err *err);

/* Soft delete (the only delete): status inactive, with the reason. */
int cases_household_deactivate(struct sws_ctx *ctx, const char *zRegno,
                               const char *zReason, struct sws_err *err);
int cases_household_reactivate(struct sws_ctx *ctx, const char *zRegno,
                               const char *zReason, struct sws_err *err);

/*
 * Add a member to a household (duplicate check as for registration: with
 * possible duplicates and no zForceReason, SWS_EDUP and *dups). *pLine gets
 * the new member's number.
 */
int cases_member_add(struct sws_ctx *ctx, const char *zRegno,
                     const struct member_input *m, const char *zForceReason,
                     int *pLine, struct dedup_list *dups, struct sws_err *err);

/* Member fields that can be edited; NULL / -1 / 0 leaves them. */
struct member_edit {
  const char *zName;
  char sex;               /* 0: unchanged */
  const char *zBorn;
  int relationship;       /* 0: unchanged; REL_HEAD makes them head */
  int prev_head_rel;      /* what the old head becomes (with REL_HEAD) */
  const char *zNationalId; /* "" clears */
  const char *zPhone;      /* "" clears */
  int disability;          /* -1: unchanged */
  const char *zStatus;     /* active, left, deceased */
};

int cases_member_edit(struct sws_ctx *ctx, const char *zRegno, int line_no,
                      const struct member_edit *e, struct sws_err *err);

/*
 * Move member N of zRegno to household zToRegno, where they get the next
 * member number (*pNewLine) and relationship `rel` to its head. The head
 * cannot be moved (make another member head first).
 */
int cases_member_move(struct sws_ctx *ctx, const char *zRegno, int line_no,
                      const char *zToRegno, int rel, int *pNewLine,
                      struct sws_err *err);

#endif
