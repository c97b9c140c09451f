/*
 * test_proto.c - the sync wire format: the digest of a mutation stays the
 * digest every registry stored before (so no replay looks like a device
 * gone back in time after an upgrade), and a body assembled from encoded
 * mutations decodes to them.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

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

static CU_TestInfo tests[] = {
    {"test_proto__digest_is_the_one_stored_before",
     test_proto__digest_is_the_one_stored_before},
    {"test_proto__assembled_body_decodes", test_proto__assembled_body_decodes},
    CU_TEST_INFO_NULL};

CU_SuiteInfo suite_proto = {"proto", NULL, NULL, NULL, NULL, tests};
