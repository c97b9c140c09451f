/*
 * proto.c - sync wire format (see proto.h).
 *
 *   push:  {"proto":1,"device":"KH12","batch":"<uuid>","first":101,
 *           "last":102,"m":[{"s":101,"e":"household","i":"<uuid>",
 *           "o":"insert","f":{...},"p":null,"b":"desk","t":"<iso>"},...]}
 *   reply: {"ack":102,"v":[{"s":101,"v":"applied"},{"s":102,"v":"conflict",
 *           "d":"name"}],"time":"<iso>"}
 *   page:  {"items":[{"k":"merge","p":{...}}],"next":"<cursor>",
 *           "more":false,"time":"<iso>"}
 */
#include "sync/proto.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/mem.h"

static const char *const ENTITIES[] = {
    "household",  "member",    "case_file",      "case_assignment",
    "case_note",  "assessment", "plan_goal",     "plan_action",
    "enrolment",  "referral",  "referral_event", "grievance",
    "grievance_event"};

int proto_entity_known(const char *z)
{
  for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++)
    if (strcmp(z, ENTITIES[i]) == 0)
      return 1;
  return 0;
}

static int bad(struct sws_err *err, const char *zWhat)
{
  return sws_err_set(err, SWS_EINVAL, "malformed sync message: %s", zWhat);
}

static int text_ok(const char *z, size_t nMax)
{
  return z && *z && strlen(z) <= nMax;
}

void proto_push_release(struct proto_push *p)
{
  if (p->aRoot)
    for (int i = 0; i < p->n; i++)
      json_decref(p->aRoot[i]);
  free(p->aRoot);
  free(p->aSpan);
  free(p->a);
  json_decref(p->root);
  memset(p, 0, sizeof *p);
}

/* The top level of a push (r) with nm mutations: its checks, taken into
 * out. The one place for both ways of decoding. */
static int take_top(struct proto_push *out, json_t *r, size_t nm,
                    struct sws_err *err)
{
  json_t *jProto = json_object_get(r, "proto");
  if (!json_is_integer(jProto) || json_integer_value(jProto) != PROTO_VERSION)
    return sws_err_set(err, SWS_EINVAL, "this sync protocol version is not "
                       "supported (this side speaks version %d); update sws",
                       PROTO_VERSION);
  out->proto = PROTO_VERSION;
  out->zDevice = json_string_value(json_object_get(r, "device"));
  out->zBatch = json_string_value(json_object_get(r, "batch"));
  json_t *jFirst = json_object_get(r, "first"), *jLast = json_object_get(r,
                                                                        "last");
  if (!text_ok(out->zDevice, 16) || !text_ok(out->zBatch, 64) ||
      !json_is_integer(jFirst) || !json_is_integer(jLast) ||
      !json_is_array(json_object_get(r, "m")))
    return bad(err, "a push needs proto, device, batch, first, last and m");
  out->first = json_integer_value(jFirst);
  out->last = json_integer_value(jLast);
  if (nm == 0 || nm > PROTO_MAX_MUTATIONS || out->first < 1 ||
      out->last - out->first + 1 != (int64_t)nm)
    return bad(err, "first..last does not match the mutations");
  return SWS_OK;
}

/* Mutation i of out (its decoded object m): its checks, taken into
 * out->a[i]. */
static int take_mutation(struct proto_push *out, size_t i, json_t *m,
                         struct sws_err *err)
{
  struct proto_mutation *x = &out->a[i];
  json_t *s = json_object_get(m, "s");
  x->zEntity = json_string_value(json_object_get(m, "e"));
  x->zId = json_string_value(json_object_get(m, "i"));
  x->zOp = json_string_value(json_object_get(m, "o"));
  x->fields = json_object_get(m, "f");
  x->prev = json_object_get(m, "p");
  x->zBy = json_string_value(json_object_get(m, "b"));
  x->zAt = json_string_value(json_object_get(m, "t"));
  if (!json_is_integer(s) ||
      json_integer_value(s) != out->first + (int64_t)i ||
      !text_ok(x->zEntity, 40) || !text_ok(x->zId, 64) || !x->zOp ||
      (strcmp(x->zOp, "insert") && strcmp(x->zOp, "update")) ||
      !json_is_object(x->fields) || !text_ok(x->zBy, 64) ||
      !text_ok(x->zAt, 40))
    return bad(err, "a mutation lacks s, e, i, o, f, b or t, or its seq is "
                    "out of order");
  if (json_is_null(x->prev))
    x->prev = NULL;
  else if (x->prev && !json_is_object(x->prev))
    return bad(err, "p must be an object or null");
  x->seq = json_integer_value(s);
  return SWS_OK;
}

int proto_push_decode(struct proto_push *out, const char *z, size_t n,
                      struct sws_err *err)
{
  json_error_t jerr;
  json_t *m;
  size_t i;
  int rc;
  memset(out, 0, sizeof *out);
  if (n > PROTO_MAX_BODY)
    return sws_err_set(err, SWS_ETOOBIG, "the batch is larger than %zu "
                       "bytes", PROTO_MAX_BODY);
  out->root = json_loadb(z, n, JSON_REJECT_DUPLICATES, &jerr);
  if (out->root == NULL)
    return bad(err, "not JSON");
  json_t *jm = json_object_get(out->root, "m");
  if ((rc = take_top(out, out->root, json_array_size(jm), err)) != 0)
    goto fail;
  out->a = sws_calloc(json_array_size(jm), sizeof *out->a);
  json_array_foreach(jm, i, m)
  {
    if ((rc = take_mutation(out, i, m, err)) != 0)
      goto fail;
    out->n++;
  }
  return SWS_OK;
fail:
  proto_push_release(out);
  return rc;
}

/* ---- a push split: the mutations found, decoded one by one ---- */

/* Deeper than this, a body goes to the whole decoder (jansson's own limit
 * is 2048: both ways must accept the same bodies). */
#define SPLIT_DEPTH_MAX 256

static size_t skip_ws(const char *z, size_t n, size_t i)
{
  while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' ||
                   z[i] == '\r'))
    i++;
  return i;
}

/* Just past the JSON value that starts at z[i], or 0 when it cannot be
 * delimited: strings skipped escape by escape, containers by depth,
 * scalars to the next delimiter. Only found here, not checked: jansson
 * checks each value found (the top level and each mutation) when it
 * decodes it, and the text between them is checked here. */
static size_t value_end(const char *z, size_t n, size_t i)
{
  int depth = 0;
  if (i >= n)
    return 0;
  if (z[i] != '{' && z[i] != '[' && z[i] != '"') {
    size_t j = i;
    while (j < n && z[j] != ',' && z[j] != ']' && z[j] != '}' &&
           z[j] != ' ' && z[j] != '\t' && z[j] != '\n' && z[j] != '\r')
      j++;
    return j > i ? j : 0;
  }
  for (; i < n; i++) {
    char ch = z[i];
    if (ch == '"') {
      for (i++; i < n && z[i] != '"'; i++)
        if (z[i] == '\\')
          i++;
      if (i >= n)
        return 0;
      if (depth == 0)
        return i + 1;
    } else if (ch == '{' || ch == '[') {
      if (++depth > SPLIT_DEPTH_MAX)
        return 0;
    } else if (ch == '}' || ch == ']') {
      if (--depth == 0)
        return i + 1;
    }
  }
  return 0;
}

/*
 * Find the mutations of a push body: the array of its one top-level key
 * written "m" ([*pFrom, *pTo) in z) and each element's offset and length
 * (*paSpan, 2 per element, *pn elements). -1 when the body is not shaped
 * so (no such key, two, a value that cannot be delimited, anything but
 * white space and commas between the elements): the whole decoder then
 * decides, and says what is wrong.
 */
static int find_mutations(const char *z, size_t n, size_t *pFrom,
                          size_t *pTo, size_t **paSpan, size_t *pn)
{
  size_t i = skip_ws(z, n, 0), nm = 0, *a = NULL;
  int bFound = 0;
  if (i >= n || z[i] != '{')
    return -1;
  i = skip_ws(z, n, i + 1);
  for (;;) {
    if (i >= n || z[i] != '"')
      goto fail;
    size_t e = value_end(z, n, i);
    int bM = e == i + 3 && z[i + 1] == 'm';
    i = skip_ws(z, n, e);
    if (e == 0 || i >= n || z[i] != ':')
      goto fail;
    i = skip_ws(z, n, i + 1);
    if (bM) {
      if (bFound || i >= n || z[i] != '[')
        goto fail;
      bFound = 1;
      *pFrom = i;
      a = sws_calloc(2 * (size_t)PROTO_MAX_MUTATIONS, sizeof *a);
      i = skip_ws(z, n, i + 1);
      for (int bComma = 0; i >= n || z[i] != ']' || bComma;) {
        if (nm == PROTO_MAX_MUTATIONS || (e = value_end(z, n, i)) == 0)
          goto fail;
        a[2 * nm] = i;
        a[2 * nm + 1] = e - i;
        nm++;
        i = skip_ws(z, n, e);
        bComma = i < n && z[i] == ',';
        if (bComma)
          i = skip_ws(z, n, i + 1);
        else if (i >= n || z[i] != ']')
          goto fail;
      }
      if (i >= n)
        goto fail;
      *pTo = ++i;
    } else {
      if ((e = value_end(z, n, i)) == 0)
        goto fail;
      i = e;
    }
    i = skip_ws(z, n, i);
    if (i < n && z[i] == ',') {
      i = skip_ws(z, n, i + 1);
      continue;
    }
    if (i < n && z[i] == '}')
      break;
    goto fail;
  }
  if (!bFound)
    goto fail;
  *paSpan = a;
  *pn = nm;
  return 0;
fail:
  free(a);
  return -1;
}

int proto_push_split(struct proto_push *out, const char *z, size_t n,
                     struct sws_err *err)
{
  json_error_t jerr;
  size_t from = 0, to = 0, nm = 0, *aSpan = NULL;
  int rc;
  memset(out, 0, sizeof *out);
  if (n > PROTO_MAX_BODY)
    return sws_err_set(err, SWS_ETOOBIG, "the batch is larger than %zu "
                       "bytes", PROTO_MAX_BODY);
  if (find_mutations(z, n, &from, &to, &aSpan, &nm) != 0)
    return proto_push_decode(out, z, n, err);
  /* the top level, its mutations left out, decoded and checked as a
   * whole body's is */
  size_t nTop = n - (to - from) + 2;
  char *zTop = sws_malloc(nTop);
  memcpy(zTop, z, from);
  memcpy(zTop + from, "[]", 2);
  memcpy(zTop + from + 2, z + to, n - to);
  out->root = json_loadb(zTop, nTop, JSON_REJECT_DUPLICATES, &jerr);
  free(zTop);
  out->aSpan = aSpan;
  if (out->root == NULL) {
    rc = bad(err, "not JSON");
    goto fail;
  }
  if ((rc = take_top(out, out->root, nm, err)) != 0)
    goto fail;
  out->zBody = z;
  out->a = sws_calloc(nm, sizeof *out->a);
  out->aRoot = sws_calloc(nm, sizeof *out->aRoot);
  out->n = (int)nm;
  return SWS_OK;
fail:
  proto_push_release(out);
  return rc;
}

int proto_push_decode_one(struct proto_push *p, int i, struct sws_err *err)
{
  json_error_t jerr;
  if (p->aRoot == NULL || p->aRoot[i] != NULL)
    return SWS_OK; /* decoded already */
  /* any value, as an element of the whole body's array may be: what is
   * not an object is refused below, as it is there */
  p->aRoot[i] = json_loadb(p->zBody + p->aSpan[2 * i], p->aSpan[2 * i + 1],
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (p->aRoot[i] == NULL)
    return bad(err, "not JSON");
  return take_mutation(p, (size_t)i, p->aRoot[i], err);
}

char *proto_canonical(const json_t *j)
{
  return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/* A JSON string as jansson's json_dumps writes it without JSON_ENSURE_ASCII
 * or JSON_ESCAPE_SLASH: the digest's text must stay byte for byte what it
 * was when jansson wrote the whole of it (tests/test_proto.c keeps it so).
 * The strings come from a decoded body: valid UTF-8, no NUL. */
static void put_json_string(struct buf *b, const char *z)
{
  static const char HEX[] = "0123456789ABCDEF";
  buf_putc(b, '"');
  for (const char *run = z;; z++) {
    unsigned char c = (unsigned char)*z;
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    buf_append(b, run, (size_t)(z - run));
    if (c == '\0')
      break;
    run = z + 1;
    switch (c) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\b': buf_puts(b, "\\b"); break;
    case '\f': buf_puts(b, "\\f"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    default: {
      char u[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
      buf_append(b, u, sizeof u);
    }
    }
  }
  buf_putc(b, '"');
}

void proto_mutation_hash_with(const struct proto_mutation *m,
                              const char *zFields, char out[PROTO_HASH_MAX])
{
  /* sorted keys and no spaces: the same mutation gives the same text
   * however the batch that carried it was encoded (frozen again after a
   * gap, by another build of sws): b e f i o p s t */
  char *zF = NULL, *zP = NULL;
  struct buf b;
  buf_init(&b, (size_t)1 << 30);
  if (m->fields) {
    if (zFields == NULL)
      zFields = zF = proto_canonical(m->fields);
    zP = m->prev ? proto_canonical(m->prev) : NULL;
    buf_puts(&b, "{\"b\":");
    put_json_string(&b, m->zBy);
    buf_puts(&b, ",\"e\":");
    put_json_string(&b, m->zEntity);
    buf_puts(&b, ",\"f\":");
    buf_puts(&b, zFields);
    buf_puts(&b, ",\"i\":");
    put_json_string(&b, m->zId);
    buf_puts(&b, ",\"o\":");
    put_json_string(&b, m->zOp);
    buf_puts(&b, ",\"p\":");
    buf_puts(&b, zP ? zP : "null");
    buf_appendf(&b, ",\"s\":%lld,\"t\":", (long long)m->seq);
    put_json_string(&b, m->zAt);
    buf_putc(&b, '}');
  }
  unsigned char h[SWS_SHA256_BYTES];
  sws_sha256(h, buf_str(&b), b.n);
  sws_hex(out, h, sizeof h);
  buf_release(&b);
  free(zF);
  free(zP);
}

void proto_mutation_hash(const struct proto_mutation *m,
                         char out[PROTO_HASH_MAX])
{
  proto_mutation_hash_with(m, NULL, out);
}

char *proto_push_assemble(const char *zDevice, const char *zBatch,
                          int64_t first, int64_t last, const char *zMutations)
{
  json_t *r = json_pack("{s:i, s:s, s:s, s:I, s:I}", "proto", PROTO_VERSION,
                        "device", zDevice, "batch", zBatch, "first",
                        (json_int_t)first, "last", (json_int_t)last);
  char *zHead = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(r);
  struct buf b = BUF_INIT;
  /* the head without its closing brace, then the mutations */
  buf_append(&b, zHead, strlen(zHead) - 1);
  buf_puts(&b, ",\"m\":[");
  buf_puts(&b, zMutations);
  buf_puts(&b, "]}");
  free(zHead);
  return buf_detach(&b, NULL);
}

char *proto_push_encode(const char *zDevice, const char *zBatch,
                        const struct proto_mutation *a, int n)
{
  struct buf m = BUF_INIT;
  for (int i = 0; i < n; i++) {
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:O, s:O?, s:s, s:s}", "s",
                          (json_int_t)a[i].seq, "e", a[i].zEntity, "i",
                          a[i].zId, "o", a[i].zOp, "f", a[i].fields, "p",
                          a[i].prev, "b", a[i].zBy, "t", a[i].zAt);
    char *z = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (i > 0)
      buf_putc(&m, ',');
    buf_puts(&m, z);
    free(z);
    json_decref(j);
  }
  char *zBody = proto_push_assemble(zDevice, zBatch, n ? a[0].seq : 0,
                                    n ? a[n - 1].seq : 0, buf_str(&m));
  buf_release(&m);
  return zBody;
}

char *proto_reply_encode(int64_t ack, const struct proto_verdict *a, int n,
                         const char *zServerTime)
{
  json_t *v = json_array();
  for (int i = 0; i < n; i++) {
    json_t *o = json_pack("{s:I, s:s}", "s", (json_int_t)a[i].seq, "v",
                          a[i].zVerdict);
    if (a[i].zDetail && a[i].zDetail[0])
      json_object_set_new(o, "d", json_string(a[i].zDetail));
    if (a[i].zInto && a[i].zInto[0])
      json_object_set_new(o, "into", json_string(a[i].zInto));
    json_array_append_new(v, o);
  }
  json_t *r = json_pack("{s:I, s:o, s:s}", "ack", (json_int_t)ack, "v", v,
                        "time", zServerTime);
  char *z = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(r);
  return z;
}

void proto_reply_release(struct proto_push_reply *r)
{
  free(r->a);
  json_decref(r->root);
  memset(r, 0, sizeof *r);
}

int proto_reply_decode(struct proto_push_reply *out, const char *z, size_t n,
                       struct sws_err *err)
{
  json_error_t jerr;
  json_t *v, *x;
  size_t i;
  memset(out, 0, sizeof *out);
  out->root = json_loadb(z, n, 0, &jerr);
  if (out->root == NULL)
    return bad(err, "the push reply is not JSON");
  json_t *ack = json_object_get(out->root, "ack");
  v = json_object_get(out->root, "v");
  out->zServerTime = json_string_value(json_object_get(out->root, "time"));
  if (!json_is_integer(ack) || !json_is_array(v) ||
      json_array_size(v) > PROTO_MAX_MUTATIONS) {
    proto_reply_release(out);
    return bad(err, "the push reply needs ack and v");
  }
  out->ack = json_integer_value(ack);
  out->a = sws_calloc(json_array_size(v) + 1, sizeof *out->a);
  json_array_foreach(v, i, x)
  {
    json_t *s = json_object_get(x, "s");
    const char *zV = json_string_value(json_object_get(x, "v"));
    if (!json_is_integer(s) || zV == NULL) {
      proto_reply_release(out);
      return bad(err, "a verdict needs s and v");
    }
    out->a[out->n].seq = json_integer_value(s);
    out->a[out->n].zVerdict = zV;
    out->a[out->n].zDetail = json_string_value(json_object_get(x, "d"));
    out->a[out->n].zInto = json_string_value(json_object_get(x, "into"));
    out->n++;
  }
  return SWS_OK;
}

void proto_page_release(struct proto_page *p)
{
  free(p->a);
  json_decref(p->root);
  memset(p, 0, sizeof *p);
}

int proto_page_decode(struct proto_page *out, const char *z, size_t n,
                      struct sws_err *err)
{
  json_error_t jerr;
  json_t *items, *x;
  size_t i;
  memset(out, 0, sizeof *out);
  out->root = json_loadb(z, n, 0, &jerr);
  if (out->root == NULL)
    return bad(err, "the feed page is not JSON");
  items = json_object_get(out->root, "items");
  out->zNext = json_string_value(json_object_get(out->root, "next"));
  out->more = json_is_true(json_object_get(out->root, "more"));
  out->zServerTime = json_string_value(json_object_get(out->root, "time"));
  if (!json_is_array(items) || json_array_size(items) > 100000 ||
      !text_ok(out->zNext, 512)) {
    proto_page_release(out);
    return bad(err, "a feed page needs items and next");
  }
  out->a = sws_calloc(json_array_size(items) + 1, sizeof *out->a);
  json_array_foreach(items, i, x)
  {
    out->a[out->n].zKind = json_string_value(json_object_get(x, "k"));
    out->a[out->n].payload = json_object_get(x, "p");
    if (!text_ok(out->a[out->n].zKind, 40) ||
        !json_is_object(out->a[out->n].payload)) {
      proto_page_release(out);
      return bad(err, "a feed item needs k and an object p");
    }
    out->n++;
  }
  return SWS_OK;
}
