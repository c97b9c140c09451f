/*
 * test_proto.c - the sync wire format: the digest of a mutation stays the
 * digest every registry stored before (so no replay looks like a device
 * gone back in time after an upgrade), and a body assembled from encoded
 * mutations decodes to them.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "support.h"
#include "sync/proto.h"

/* The digest as the registry first defined it: the whole mutation packed
 * into one object and written with sorted keys. */
static void reference_hash(const struct proto_mutation *m, char *out)
{
  json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:O, s:O?, s:s, s:s}", "s",
                        (json_int_t)m->seq, "e", m->zEntity, "i", m->zId,
                        "o", m->zOp, "f", m->fields, "p", m->prev, "b",
                        m->zBy, "t", m->zAt);
  char *z = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  unsigned char h[SWS_SHA256_BYTES];
  sws_sha256(h, z ? z : "", z ? strlen(z) : 0);
  sws_hex(out, h, sizeof h);
  free(z);
  json_decref(j);
}

static void same_digest(const char *zFields, const char *zPrev,
                        const char *zBy, const char *zAt)
{
  struct proto_mutation m = {42, "member", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                             "update", NULL, NULL, zBy, zAt};
  char zA[PROTO_HASH_MAX], zB[PROTO_HASH_MAX], zC[PROTO_HASH_MAX];
  m.fields = json_loads(zFields, 0, NULL);
  m.prev = zPrev ? json_loads(zPrev, 0, NULL) : NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(m.fields);
  reference_hash(&m, zA);
  proto_mutation_hash(&m, zB);
  char *zCanon = proto_canonical(m.fields);
  proto_mutation_hash_with(&m, zCanon, zC);
  free(zCanon);
  CU_ASSERT_STRING_EQUAL(zA, zB);
  CU_ASSERT_STRING_EQUAL(zA, zC);
  json_decref(m.fields);
  json_decref(m.prev);
}

static void test_proto__digest_is_the_one_stored_before(void)
{
  same_digest("{\"name\":\"Sok Dara\",\"born\":\"1980-01-01\"}", NULL, "desk",
              "2026-12-06T10:00:00Z");
  same_digest("{\"z\":1,\"a\":[3,{\"y\":null,\"b\":true}],\"m\":1.5}",
              "{\"z\":0,\"a\":[]}", "desk", "2026-12-06T10:00:00Z");
  /* keys of the envelope inside values and names, quotes, control
   * characters, scripts other than Latin */
  same_digest("{\"i\":\",\\\"i\\\":\",\"s\":\",\\\"s\\\":1\",\"f\":\"\\n\\t\"}",
              "{\"p\":\"\\u0001\"}", "a \"quoted\", \"i\":x officer",
              ",\"s\":2");
  same_digest("{\"name\":\"សុខ ដារ៉ា\",\"alt\":\"Батбаяр\"}", "{}",
              "ទីប្រឹក្សា", "2026-12-06T10:00:00+07:00");
  /* every character jansson escapes, and those it leaves alone (the
   * envelope's strings are written by hand, as jansson writes them) */
  same_digest("{\"a\":\"\\b\\f\\r\\u001f/\\\\\"}", NULL,
              "back\\slash /slash \x7f \x1f \x01 \b\f\r\n\t\"",
              "\xc3\xa9\xe2\x80\xa8 \xf0\x9f\x98\x80");
}

static void test_proto__assembled_body_decodes(void)
{
  struct proto_push p;
  char *zBody = proto_push_assemble(
      "KH12", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", 7, 8,
      "{\"s\":7,\"e\":\"household\",\"i\":\"h1\",\"o\":\"insert\","
      "\"f\":{\"regno\":\"KH12-000001-E\"},\"p\":null,\"b\":\"desk\","
      "\"t\":\"2026-12-06T10:00:00Z\"},"
      "{\"s\":8,\"e\":\"member\",\"i\":\"m1\",\"o\":\"update\","
      "\"f\":{\"name\":\"Sok\"},\"p\":{\"name\":\"Sokh\"},\"b\":\"desk\","
      "\"t\":\"2026-12-06T10:00:01Z\"}");
  T_OK(proto_push_decode(&p, zBody, strlen(zBody), &t_err));
  CU_ASSERT_EQUAL(p.n, 2);
  CU_ASSERT_EQUAL(p.first, 7);
  CU_ASSERT_EQUAL(p.last, 8);
  CU_ASSERT_STRING_EQUAL(p.zDevice, "KH12");
  CU_ASSERT_STRING_EQUAL(p.a[1].zEntity, "member");
  CU_ASSERT_PTR_NOT_NULL(p.a[1].prev);
  CU_ASSERT_PTR_NULL(p.a[0].prev);
  proto_push_release(&p);
  free(zBody);
  /* a device code that needs escaping is escaped, not spliced */
  zBody = proto_push_assemble("K\"H", "b", 1, 1, "{}");
  json_t *j = json_loads(zBody, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL(j);
  CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "device")),
                         "K\"H");
  json_decref(j);
  free(zBody);
}

/* Split and decoded mutation by mutation, as the registry does with a
 * push (proto_push_split): what decodes whole decodes split, to the same
 * mutations, and what the whole decoder refuses is refused. */
static int split_ok(const char *zBody, struct proto_push *w)
{
  struct proto_push p;
  struct sws_err err = SWS_ERR_INIT;
  int ok = proto_push_split(&p, zBody, strlen(zBody), &err) == 0;
  for (int i = 0; ok && i < p.n; i++)
    ok = proto_push_decode_one(&p, i, &err) == 0;
  if (!ok)
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sync"));
  if (ok && w) {
    CU_ASSERT_EQUAL(p.n, w->n);
    for (int i = 0; i < p.n && i < w->n; i++) {
      CU_ASSERT_EQUAL(p.a[i].seq, w->a[i].seq);
      CU_ASSERT_STRING_EQUAL(p.a[i].zId, w->a[i].zId);
      CU_ASSERT_TRUE(json_equal(p.a[i].fields, w->a[i].fields));
    }
  }
  proto_push_release(&p);
  return ok;
}

static void agree(const char *zBody)
{
  struct proto_push w;
  int bWhole = proto_push_decode(&w, zBody, strlen(zBody), NULL) == 0;
  CU_ASSERT_EQUAL(split_ok(zBody, bWhole ? &w : NULL), bWhole);
  if (bWhole)
    proto_push_release(&w);
}

#define M1 "{\"s\":1,\"e\":\"household\",\"i\":\"h1\",\"o\":\"insert\"," \
           "\"f\":{\"regno\":\"a]}\\\"[{\"},\"p\":null,\"b\":\"x\"," \
           "\"t\":\"t\"}"
#define M2 "{\"s\":2,\"e\":\"member\",\"i\":\"m1\",\"o\":\"update\"," \
           "\"f\":{\"x\":[1,{\"y\":\"}\"}]},\"p\":{},\"b\":\"x\",\"t\":\"t\"}"
#define TOP "\"proto\":1,\"device\":\"KH12\",\"batch\":\"b\",\"first\":1," \
            "\"last\":2"

static void test_proto__split_agrees_with_whole_decode(void)
{
  const char *az[] = {
      "{" TOP ",\"m\":[" M1 "," M2 "]}",
      /* white space everywhere JSON allows it */
      " {\n " TOP " ,\t\"m\" :\r\n[ " M1 " ,\n " M2 " ] \n} ",
      "{\"m\":[" M1 "," M2 "]," TOP "}",
      /* "m" written with an escape: decoded whole */
      "{" TOP ",\"\\u006d\":[" M1 "," M2 "]}",
      /* refused either way */
      "{" TOP ",\"m\":[" M1 "," M2 "],\"m\":[]}",
      "{" TOP ",\"m\":[" M1 "," M2 "],\"\\u006d\":[]}",
      "{" TOP ",\"m\":[" M1 " " M2 "]}",
      "{" TOP ",\"m\":[" M1 "," M2 ",]}",
      "{" TOP ",\"m\":[" M1 "," M2 "]} x",
      "{" TOP ",\"m\":[" M1 "," M2 "]",
      "{" TOP ",\"m\":[" M1 ",{\"s\":2,\"s\":2}]}",
      "{" TOP ",\"m\":[" M1 ",7]}",
      "{" TOP ",\"m\":[" M1 "]}",
      "{" TOP ",\"proto\":1,\"m\":[" M1 "," M2 "]}",
      "{" TOP ",\"m\":[" M1 ",\"" M2 "]}",
      "{" TOP ",\"m\":{}}",
      "[" TOP "]",
      "",
  };
  for (size_t i = 0; i < sizeof az / sizeof az[0]; i++)
    agree(az[i]);
  /* and which those were */
  CU_ASSERT_TRUE(split_ok(az[1], NULL));
  CU_ASSERT_TRUE(split_ok(az[3], NULL));
  CU_ASSERT_FALSE(split_ok(az[4], NULL));
  CU_ASSERT_FALSE(split_ok(az[10], NULL));
  /* deeper than the splitter follows: the whole decoder decides */
  struct buf deep = BUF_INIT;
  buf_puts(&deep, "{" TOP ",\"m\":[" M1 ",{\"s\":2,\"e\":\"member\","
                  "\"i\":\"m1\",\"o\":\"update\",\"f\":{\"x\":");
  for (int i = 0; i < 300; i++)
    buf_putc(&deep, '[');
  for (int i = 0; i < 300; i++)
    buf_putc(&deep, ']');
  buf_puts(&deep, "},\"b\":\"x\",\"t\":\"t\"}]}");
  agree(buf_str(&deep));
  CU_ASSERT_TRUE(split_ok(buf_str(&deep), NULL));
  buf_release(&deep);
}

static CU_TestInfo tests[] = {
    {"test_proto__digest_is_the_one_stored_before",
     test_proto__digest_is_the_one_stored_before},
    {"test_proto__assembled_body_decodes", test_proto__assembled_body_decodes},
    {"test_proto__split_agrees_with_whole_decode",
     test_proto__split_agrees_with_whole_decode},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_proto = {"proto", NULL, NULL, NULL, NULL, tests};
