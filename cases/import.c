/*
 * import.c - legacy beneficiary lists (see import.h).
 *
 * Two passes: read and check every row, grouping rows by household_key;
 * then write the good households, a chunk of them per operation (one audit
 * row per chunk), each checked for duplicates against everything already
 * in the registry (including earlier households of the same file).
 */
#include "cases/import.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/household_int.h"
#include "cases/maintain.h"
#include "cases/name.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/text.h"

#define CHUNK 200 /* households per operation */

/* What to do with a date that has its year last, when the file's order of
 * day and month was not given. */
#define DATE_ORDER_HINT                                                      \
  "say how this file writes dates with --date-order dmy (day first) or "   \
  "mdy (month first)"

enum col {
  C_KEY,
  C_NAME,
  C_SEX,
  C_BORN,
  C_REL,
  C_AREA,
  C_NID,
  C_PHONE,
  C_ADDRESS,
  C_DISABILITY,
  C_COUNT
};

static const char *const COLS[C_COUNT] = {
    "household_key", "name", "sex",   "born",    "relationship",
    "area",          "national_id", "phone", "address", "disability"};
#define C_REQUIRED 8 /* the first eight must be in the header */

struct row {
  size_t off;      /* first field in the arena (C_COUNT NUL-ended fields) */
  size_t line;
  int next;        /* next row of the same household, -1 */
  char *zReason;   /* why the row is bad, or NULL */
  char *zRejected; /* why it is not imported (written to the rejects in
                      the file's order at the end), or NULL */
  size_t origOff;  /* the original record, CSV-encoded, in orig */
};

/* A household key as the list gives it, and as kept: the key and a
 * digest of the household's rows ("12|3f9a0c1b2d4e"), so that another list
 * reusing key 12 for another family imports it, and the same list run
 * again imports nothing twice. */
#define IMPORT_KEY_MAX 87
#define IMPORT_KEPT_MAX (IMPORT_KEY_MAX + 1 + 12)

struct group {
  const char *zKey; /* in the arena */
  char zKept[IMPORT_KEPT_MAX + 1]; /* the key with its rows' digest */
  int first, last;  /* rows */
  int nRows;
  int bad;          /* some row is bad */
  char *zWhy;       /* a household-level reason, or NULL */
};

struct state {
  struct buf arena;    /* row fields */
  struct buf orig;     /* original records, for the rejects */
  struct row *aRow;
  int nRow, nRowAlloc;
  struct group *aGroup;
  int nGroup, nGroupAlloc;
  int *aHash;          /* key -> group index + 1, open addressing */
  size_t nHash;
};

void cases_import_report_release(struct import_report *rep)
{
  buf_release(&rep->rejects);
  buf_release(&rep->reasons);
  buf_release(&rep->flagged);
}

static uint64_t hash_str(const char *z)
{
  uint64_t h = 1469598103934665603ull;
  for (; *z; z++) {
    h ^= (unsigned char)*z;
    h *= 1099511628211ull;
  }
  return h;
}

static const char *field(const struct state *s, const struct row *r, int c)
{
  const char *z = s->arena.z + r->off;
  for (int i = 0; i < c; i++)
    z += strlen(z) + 1;
  return z;
}

static int find_group(struct state *s, const char *zKey)
{
  if ((size_t)s->nGroup * 2 >= s->nHash) {
    size_t n = s->nHash ? s->nHash * 2 : 1024;
    int *a = sws_calloc(n, sizeof *a);
    for (int g = 0; g < s->nGroup; g++) {
      size_t i = hash_str(s->aGroup[g].zKey) % n;
      while (a[i])
        i = (i + 1) % n;
      a[i] = g + 1;
    }
    free(s->aHash);
    s->aHash = a;
    s->nHash = n;
  }
  size_t i = hash_str(zKey) % s->nHash;
  while (s->aHash[i]) {
    int g = s->aHash[i] - 1;
    if (strcmp(s->aGroup[g].zKey, zKey) == 0)
      return g;
    i = (i + 1) % s->nHash;
  }
  if (s->nGroup == s->nGroupAlloc) {
    s->nGroupAlloc = s->nGroupAlloc ? 2 * s->nGroupAlloc : 1024;
    s->aGroup = sws_realloc(s->aGroup, sizeof *s->aGroup *
                                           (size_t)s->nGroupAlloc);
  }
  struct group *g = &s->aGroup[s->nGroup];
  memset(g, 0, sizeof *g);
  g->zKey = zKey;
  g->first = g->last = -1;
  s->aHash[i] = ++s->nGroup;
  return s->nGroup - 1;
}

static void row_bad(struct row *r, const char *zWhy)
{
  if (r->zReason == NULL)
    r->zReason = sws_strdup(zWhy);
}

/* Fill a member_input from a row; the strings point into the arena. */
static void to_member(const struct state *s, const struct row *r,
                      struct member_input *m, int bFirst, int bAnyHead)
{
  const char *zRel = field(s, r, C_REL);
  const char *zDis = field(s, r, C_DISABILITY);
  memset(m, 0, sizeof *m);
  m->zName = field(s, r, C_NAME);
  cases_sex_parse("sex", field(s, r, C_SEX), &m->sex, NULL);
  m->zBorn = field(s, r, C_BORN);
  if (*zRel)
    m->relationship = cases_relationship_parse(zRel);
  else
    m->relationship = (bFirst && !bAnyHead) ? REL_HEAD : 0;
  m->zNationalId = field(s, r, C_NID);
  m->zPhone = field(s, r, C_PHONE);
  m->disability = strcmp(zDis, "1") == 0 || strcasecmp(zDis, "yes") == 0 ||
                  strcasecmp(zDis, "y") == 0 || strcasecmp(zDis, "true") == 0;
}

static void check_row(struct sws_ctx *ctx, struct state *s, struct row *r)
{
  struct sws_err e = SWS_ERR_INIT;
  char c;
  const char *zRel = field(s, r, C_REL), *zDis = field(s, r, C_DISABILITY);
  const char *zKey = field(s, r, C_KEY);
  if (*zKey == '\0') {
    row_bad(r, "household_key is empty");
    return;
  }
  if (strlen(zKey) > IMPORT_KEY_MAX ||
      sws_text_check("household_key", zKey, IMPORT_KEY_MAX, 0, &e) != 0) {
    row_bad(r, "household_key is not text of at most 87 bytes");
    return;
  }
  if (cases_sex_parse("sex", field(s, r, C_SEX), &c, &e) != 0) {
    row_bad(r, e.msg);
    return;
  }
  if (*zRel && cases_relationship_parse(zRel) == 0) {
    char z[200];
    snprintf(z, sizeof z, "relationship '%.40s' is not one of head, spouse, "
             "child, parent, sibling, grandchild, grandparent, "
             "other-relative, non-relative", zRel);
    row_bad(r, z);
    return;
  }
  if (*zDis && strcmp(zDis, "0") && strcmp(zDis, "1") &&
      strcasecmp(zDis, "yes") && strcasecmp(zDis, "no") &&
      strcasecmp(zDis, "y") && strcasecmp(zDis, "n") &&
      strcasecmp(zDis, "true") && strcasecmp(zDis, "false")) {
    row_bad(r, "disability must be 0/1 or yes/no");
    return;
  }
  struct member_input m;
  to_member(s, r, &m, 1, 0);
  if (m.relationship == 0)
    m.relationship = REL_OTHER_RELATIVE;
  if (cases_member_input_check(ctx, &m, "this person", &e) != 0) {
    row_bad(r, e.msg);
    return;
  }
  if (sws_text_check("address", field(s, r, C_ADDRESS), 500, 0, &e) != 0)
    row_bad(r, e.msg);
}

static void reject_row(struct import_report *rep, struct row *r,
                       const char *zWhy)
{
  r->zRejected = sws_strdup(zWhy);
  rep->nRejectedRows++;
}

/* The rejects file and the reasons for a terminal, in the file's order
 * (rows are rejected household by household). */
static void write_rejects(struct import_report *rep, const struct state *s)
{
  for (int i = 0; i < s->nRow; i++) {
    const struct row *r = &s->aRow[i];
    if (r->zRejected == NULL)
      continue;
    buf_appendf(&rep->rejects, "%zu,", r->line);
    csv_put(&rep->rejects, r->zRejected, CSV_NEUTRALISE);
    buf_putc(&rep->rejects, ',');
    buf_puts(&rep->rejects, s->orig.z + r->origOff);
    buf_putc(&rep->rejects, '\n');
    buf_appendf(&rep->reasons, "line %zu: %s\n", r->line, r->zRejected);
  }
}

/* A reader's message without its "line N: " (the rejects give the line). */
static const char *without_line(const char *z)
{
  const char *p = z + 5;
  if (strncmp(z, "line ", 5) != 0 || !isdigit((unsigned char)*p))
    return z;
  while (isdigit((unsigned char)*p))
    p++;
  return strncmp(p, ": ", 2) == 0 ? p + 2 : z;
}

/* g->zKept: the key and a digest of every field of its rows, in order. */
static void kept_key(const struct state *s, struct group *g)
{
  crypto_hash_sha256_state h;
  unsigned char d[crypto_hash_sha256_BYTES];
  char zHex[2 * sizeof d + 1];
  crypto_hash_sha256_init(&h);
  for (int i = g->first; i >= 0; i = s->aRow[i].next)
    for (int c = 0; c < C_COUNT; c++) {
      const char *z = field(s, &s->aRow[i], c);
      crypto_hash_sha256_update(&h, (const unsigned char *)z, strlen(z) + 1);
    }
  crypto_hash_sha256_final(&h, d);
  sws_hex(zHex, d, sizeof d);
  snprintf(g->zKept, sizeof g->zKept, "%s|%.12s", g->zKey, zHex);
}

/* Whether g was imported before: the same key with the same rows, or (a
 * household imported before keys carried their digest) the key alone. */
static int already_imported(struct sws_ctx *ctx, const struct group *g,
                            int *out, struct sws_err *err)
{
  sqlite3_stmt *q;
  int rc = db_prepare(ctx->db, &q,
                      "SELECT 1 FROM household WHERE import_key IN (:k, "
                      ":bare)",
                      err);
  if (rc != 0)
    return rc;
  db_bind_text(q, ":k", g->zKept);
  db_bind_text(q, ":bare", g->zKey);
  rc = db_step(ctx->db, q, err);
  *out = rc == DB_ROW;
  db_done(ctx->db, q);
  return rc < 0 ? rc : SWS_OK;
}

/* Read the file into s; fills rep->nRows and header-level errors. */
static int read_rows(struct sws_ctx *ctx, struct state *s, const char *zData,
                     size_t n, enum sws_date_order order,
                     struct import_report *rep, struct sws_err *err)
{
  struct csv_reader r;
  struct csv_row row;
  struct sws_err e = SWS_ERR_INIT;
  int aCol[C_COUNT], nCols = 0, rc = 0, k;
  csv_init(&r, zData, n);
  if ((k = csv_next(&r, &row, &e)) <= 0) {
    rc = k == 0 ? sws_err_set(err, SWS_EINVAL, "the file is empty")
                : sws_err_set(err, SWS_EINVAL, "the header line cannot be "
                              "read: %s", e.msg);
    goto done;
  }
  for (int c = 0; c < C_COUNT; c++) {
    aCol[c] = -1;
    for (int i = 0; i < row.n; i++) {
      /* as people write it: "Household Key", "National-ID" */
      char *zName = name_fold(row.az[i]);
      int bIs = name_word_is(zName, COLS[c]);
      free(zName);
      if (bIs && aCol[c] >= 0) {
        rc = sws_err_set(err, SWS_EINVAL, "the header names column '%s' "
                         "twice (columns %d and %d); keep the one to import",
                         COLS[c], aCol[c] + 1, i + 1);
        goto done;
      }
      if (bIs)
        aCol[c] = i;
    }
    if (aCol[c] < 0 && c < C_REQUIRED && row.n == 1) {
      rc = sws_err_set(err, SWS_EINVAL, "the header was read as one "
                       "column, so the fields are not separated by commas, "
                       "';' or tabs; name the separator on a first line, "
                       "such as sep=|");
      goto done;
    }
    if (aCol[c] < 0 && c < C_REQUIRED) {
      rc = sws_err_set(err, SWS_EINVAL, "the header has no column '%s'; it "
                       "must name household_key,name,sex,born,relationship,"
                       "area,national_id,phone", COLS[c]);
      goto done;
    }
  }
  nCols = row.n;
  buf_puts(&rep->rejects, "line,reason,");
  for (int i = 0; i < row.n; i++) {
    if (i)
      buf_putc(&rep->rejects, ',');
    csv_put(&rep->rejects, row.az[i], CSV_NEUTRALISE);
  }
  buf_putc(&rep->rejects, '\n');

  for (;;) {
    struct row rr;
    struct sws_err eBorn = SWS_ERR_INIT;
    memset(&rr, 0, sizeof rr);
    rr.next = -1;
    k = csv_next(&r, &row, &e);
    if (k == 0)
      break;
    if (s->nRow >= IMPORT_MAX_ROWS) {
      rc = sws_err_set(err, SWS_ETOOBIG, "the file has more than %d rows; "
                       "split it", IMPORT_MAX_ROWS);
      goto done;
    }
    rep->nRows++;
    rr.off = s->arena.n;
    rr.origOff = s->orig.n;
    rr.line = row.line; /* set by the reader even for a line it cannot read */
    if (k < 0) {
      /* unreadable line: keep it as a reject of its own */
      for (int c = 0; c < C_COUNT; c++)
        buf_putc(&s->arena, '\0');
      buf_puts(&s->orig, "");
      buf_putc(&s->orig, '\0');
      rr.zReason = sws_strdup(without_line(e.msg));
    } else {
      /* a rejects file written earlier: its cells as they were read */
      for (int i = 0; i < row.n; i++)
        row.az[i] = csv_unneutralise(row.az[i]);
      for (int c = 0; c < C_COUNT; c++) {
        const char *z = aCol[c] >= 0 && aCol[c] < row.n ? row.az[aCol[c]] : "";
        char *t = sws_trim(z);
        char zBorn[SWS_BORN_SIZE];
        /* dates as the file writes them, in the form that is stored */
        if (c == C_BORN &&
            sws_born_norm("the birth date of this person", t, order,
                          DATE_ORDER_HINT, zBorn, &eBorn) == 0)
          buf_puts(&s->arena, zBorn);
        else
          buf_puts(&s->arena, t);
        buf_putc(&s->arena, '\0');
        free(t);
      }
      for (int i = 0; i < row.n; i++) {
        if (i)
          buf_putc(&s->orig, ',');
        csv_put(&s->orig, row.az[i], CSV_NEUTRALISE);
      }
      buf_putc(&s->orig, '\0');
      if (row.n != nCols) {
        char z[96];
        snprintf(z, sizeof z, "%d columns where the header has %d", row.n,
                 nCols);
        rr.zReason = sws_strdup(z);
      } else if (eBorn.code != 0) {
        rr.zReason = sws_strdup(eBorn.msg);
      }
    }
    if (s->arena.toobig || s->orig.toobig) {
      rc = sws_err_set(err, SWS_ETOOBIG, "the file is too big to import at "
                       "once; split it");
      goto done;
    }
    if (s->nRow == s->nRowAlloc) {
      s->nRowAlloc = s->nRowAlloc ? 2 * s->nRowAlloc : 4096;
      s->aRow = sws_realloc(s->aRow, sizeof *s->aRow * (size_t)s->nRowAlloc);
    }
    s->aRow[s->nRow++] = rr;
  }
  /* checks and grouping (after reading: the arena no longer moves) */
  for (int i = 0; i < s->nRow; i++) {
    struct row *rw = &s->aRow[i];
    if (rw->zReason == NULL)
      check_row(ctx, s, rw);
    const char *zKey = field(s, rw, C_KEY);
    if (*zKey == '\0') {
      /* no household to attach it to: a reject of its own */
      continue;
    }
    int g = find_group(s, zKey);
    struct group *gr = &s->aGroup[g];
    if (gr->first < 0)
      gr->first = i;
    else
      s->aRow[gr->last].next = i;
    gr->last = i;
    gr->nRows++;
    if (rw->zReason)
      gr->bad = 1;
  }
done:
  csv_release(&r);
  return rc;
}

/* Household-level checks: one head, same area; builds the input. */
static int build_household(struct sws_ctx *ctx, struct state *s,
                           struct group *g, struct member_input *aM,
                           struct household_input *in)
{
  struct sws_err e = SWS_ERR_INIT;
  int bAnyHead = 0, n = 0, nHead = 0;
  if (g->nRows > 60) {
    g->zWhy = sws_strdup("more than 60 members under one household_key");
    return -1;
  }
  for (int i = g->first; i >= 0; i = s->aRow[i].next)
    if (cases_relationship_parse(field(s, &s->aRow[i], C_REL)) == REL_HEAD)
      bAnyHead = 1;
  const char *zArea = field(s, &s->aRow[g->first], C_AREA);
  for (int i = g->first; i >= 0; i = s->aRow[i].next, n++) {
    to_member(s, &s->aRow[i], &aM[n], n == 0, bAnyHead);
    if (aM[n].relationship == 0) {
      g->zWhy = sws_strdup("no head: the first member has another "
                           "relationship and no member is 'head'");
      return -1;
    }
    nHead += aM[n].relationship == REL_HEAD;
    if (strcmp(field(s, &s->aRow[i], C_AREA), zArea) != 0) {
      g->zWhy = sws_strdup("the members of one household are in different "
                           "areas");
      return -1;
    }
  }
  if (nHead != 1) {
    g->zWhy = sws_strdup("a household needs exactly one head");
    return -1;
  }
  memset(in, 0, sizeof *in);
  in->zArea = zArea;
  in->zAddress = field(s, &s->aRow[g->first], C_ADDRESS);
  for (int i = 0; i < n; i++)
    if (aM[i].relationship == REL_HEAD)
      in->zPhone = aM[i].zPhone;
  in->zImportKey = g->zKept;
  in->aMember = aM;
  in->nMember = n;
  if (household_input_check(ctx, in, &e) != 0) {
    g->zWhy = sws_strdup(e.msg);
    return -1;
  }
  return 0;
}

int cases_import_csv(struct sws_ctx *ctx, const char *zData, size_t n,
                     const struct import_opts *opts,
                     struct import_report *rep, struct sws_err *err)
{
  struct state s;
  struct member_input aM[61];
  char zHash[65];
  unsigned char h[32];
  int rc, inOp = 0, nInChunk = 0;
  int64_t nChunkMembers = 0;
  const char *zChunkFirst = NULL;
  struct dedup_list dups = DEDUP_LIST_INIT;
  struct dedup_cache *cache = dedup_cache_new(DEDUP_CACHE_MAX);

  memset(rep, 0, sizeof *rep);
  memset(&s, 0, sizeof s);
  buf_init(&s.arena, (size_t)1 << 30);
  buf_init(&s.orig, (size_t)1 << 30);
  buf_init(&rep->rejects, (size_t)1 << 30);
  buf_init(&rep->reasons, (size_t)1 << 30);
  buf_init(&rep->flagged, (size_t)64 << 20);
  sws_sha256(h, zData, n);
  sws_hex(zHash, h, sizeof h);

  if ((rc = read_rows(ctx, &s, zData, n, opts->date_order, rep, err)) != 0)
    goto done;

  /* rows that belong to no household */
  for (int i = 0; i < s.nRow; i++)
    if (*field(&s, &s.aRow[i], C_KEY) == '\0')
      reject_row(rep, &s.aRow[i],
                 s.aRow[i].zReason ? s.aRow[i].zReason
                                   : "household_key is empty");

  for (int gi = 0; gi < s.nGroup; gi++) {
    struct group *g = &s.aGroup[gi];
    struct household_input in;
    int bDone;
    if (opts->progress && gi % 250 == 0)
      opts->progress(gi, s.nGroup, opts->arg);
    kept_key(&s, g);
    if ((rc = already_imported(ctx, g, &bDone, err)) != 0)
      goto done;
    if (bDone) {
      rep->nSkipped++;
      continue;
    }
    if (g->bad || build_household(ctx, &s, g, aM, &in) != 0) {
      rep->nRejectedHouseholds++;
      for (int i = g->first; i >= 0; i = s.aRow[i].next) {
        char z[300];
        const char *zWhy = s.aRow[i].zReason;
        if (zWhy == NULL) {
          if (g->zWhy)
            zWhy = g->zWhy;
          else {
            snprintf(z, sizeof z, "another row of household '%.60s' is "
                     "wrong, so the whole household waits", g->zKey);
            zWhy = z;
          }
        }
        reject_row(rep, &s.aRow[i], zWhy);
      }
      continue;
    }
    dedup_list_release(&dups);
    if ((rc = dedup_cache_check(ctx, cache, err)) != 0 ||
        (rc = household_find_dups(ctx, &in, NULL, cache, &dups, err)) != 0)
      goto done;
    rep->nHouseholds++;
    rep->nMembers += in.nMember;
    char zRegno[SWS_NUMBER_MAX] = "(not saved: dry run)";
    char zId[SWS_UUID_LEN + 1] = "";
    if (!opts->bDryRun) {
      if (!inOp) {
        if ((rc = cases_op_begin(ctx, "household.import", err)) != 0)
          goto done;
        inOp = 1;
        nInChunk = 0;
        nChunkMembers = 0;
        zChunkFirst = g->zKey;
      }
      if ((rc = household_insert(ctx, &in, zId, zRegno, err)) != 0)
        goto done;
      if (dups.n > 0 && (rc = household_flag_dups(ctx, zId, &dups, "import",
                                                  opts->zFileName, err)) != 0)
        goto done;
      nInChunk++;
      nChunkMembers += in.nMember;
    }
    if (dups.n > 0) {
      rep->nFlagged++;
      buf_appendf(&rep->flagged, "%s (key %s) may be the same family as %s: "
                  "%s ~ %s, %s\n", zRegno, g->zKey, dups.a[0].zRegno,
                  dups.a[0].zInput, dups.a[0].zName, dups.a[0].zReasons);
    }
    if (inOp && (nInChunk == CHUNK || gi == s.nGroup - 1)) {
      char *zDetail = sws_mprintf("%s: %d households, %lld members, keys "
                                  "%s..%s",
                                  opts->zFileName ? opts->zFileName : "-",
                                  nInChunk, (long long)nChunkMembers,
                                  zChunkFirst, g->zKey);
      inOp = 0;
      rc = cases_op_end(ctx, 0, "import", zHash, zDetail, err);
      free(zDetail);
      if (rc != 0)
        goto done;
    }
  }
  if (inOp) {
    inOp = 0;
    if ((rc = cases_op_end(ctx, 0, "import", zHash, "end of file", err)) !=
        0)
      goto done;
  }
  if (opts->progress)
    opts->progress(s.nGroup, s.nGroup, opts->arg);
  if (!opts->bDryRun) {
    sqlite3_stmt *q;
    if ((rc = cases_op_begin(ctx, "import.finish", err)) != 0)
      goto done;
    rc = db_prepare(ctx->db, &q,
                    "INSERT INTO import_run(file_name, file_sha256, at, "
                    "actor, households, members, skipped, rejected_rows, "
                    "duplicates) VALUES (:f, :h, sws_now(), sws_actor(), "
                    ":hh, :m, :s, :r, :d)",
                    err);
    if (rc == 0) {
      db_bind_text(q, ":f", opts->zFileName ? opts->zFileName : "-");
      db_bind_text(q, ":h", zHash);
      db_bind_int64(q, ":hh", rep->nHouseholds);
      db_bind_int64(q, ":m", rep->nMembers);
      db_bind_int64(q, ":s", rep->nSkipped);
      db_bind_int64(q, ":r", rep->nRejectedRows);
      db_bind_int64(q, ":d", rep->nFlagged);
      rc = db_step(ctx->db, q, err);
      db_done(ctx->db, q);
      if (rc > 0)
        rc = 0;
    }
    char *zDetail = sws_mprintf("%s: %lld households imported, %lld "
                                "already there, %lld rows rejected, %lld "
                                "flagged as possible duplicates",
                                opts->zFileName ? opts->zFileName : "-",
                                (long long)rep->nHouseholds,
                                (long long)rep->nSkipped,
                                (long long)rep->nRejectedRows,
                                (long long)rep->nFlagged);
    rc = cases_op_end(ctx, rc, "import", zHash, zDetail, err);
    free(zDetail);
    /* the name indexes merge when idle (maintain.h); an import is not */
    if (rc == 0 && rep->nHouseholds > 0)
      rc = cases_maintain_all(ctx->db, err);
  }
done:
  if (inOp)
    cases_op_end(ctx, rc ? rc : SWS_EDB, NULL, NULL, NULL, err);
  dedup_list_release(&dups);
  rep->candidates = *dedup_cache_stats(cache);
  dedup_cache_free(cache);
  write_rejects(rep, &s);
  for (int i = 0; i < s.nRow; i++) {
    free(s.aRow[i].zReason);
    free(s.aRow[i].zRejected);
  }
  for (int i = 0; i < s.nGroup; i++)
    free(s.aGroup[i].zWhy);
  free(s.aRow);
  free(s.aGroup);
  free(s.aHash);
  buf_release(&s.arena);
  buf_release(&s.orig);
  return rc;
}
