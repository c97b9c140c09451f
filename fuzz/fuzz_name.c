/*
 * fuzz_name.c - libFuzzer target: person names (cases/name.c) and the
 * duplicate rule (cases/match.c), which see every name typed at the
 * counter or imported. The input is split in two at the first 0 byte (or
 * in the middle); each half is a name, and the tail of each also makes
 * the birth date, village and national ID. Checks:
 *   - folding, Latin reading and search text are valid UTF-8 / ASCII;
 *   - the keys are a JSON array of strings (jansson);
 *   - similarity is in [0, 1], symmetric, and 1 for a name with itself
 *     (unless the name folds to nothing);
 *   - match_persons fills a terminated reason and a score in [0, 1].
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/match.h"
#include "cases/name.h"
#include "core/mem.h"
#include "core/text.h"

static void check_name(const char *z)
{
  char *f = name_fold(z), *l = name_latin(z), *s = name_search_text(z);
  char *k = name_keys_json(z);
  if (!sws_utf8_valid(f, strlen(f)) || !sws_utf8_valid(s, strlen(s)))
    abort();
  for (const char *c = l; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == ' '))
      abort(); /* lower-case ASCII letters, digits and spaces only */
  if (f[0] == '\0' && (l[0] != '\0' || s[0] != '\0'))
    abort(); /* nothing folded, nothing read */
  json_error_t e;
  json_t *a = json_loads(k, 0, &e);
  if (!json_is_array(a))
    abort();
  for (size_t i = 0; i < json_array_size(a); i++)
    if (!json_is_string(json_array_get(a, i)))
      abort();
  json_decref(a);
  /* keys and similarity look at the first 640 bytes: a name longer than
     any member's may fold to something after them */
  double v = name_similarity(z, z, NULL);
  if (strlen(z) < 600 && v != (f[0] ? 1.0 : 0.0))
    abort();
  free(f);
  free(l);
  free(s);
  free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *zero = memchr(data, 0, size);
  size_t na = zero ? (size_t)(zero - data) : size / 2;
  size_t nb = size - na - (zero ? 1 : 0);
  char *a = sws_strndup((const char *)data, na);
  char *b = sws_strndup((const char *)data + size - nb, nb);
  /* strndup stops at a 0 byte inside b: fine, a C string is what the
     functions take */
  check_name(a);
  check_name(b);

  struct name_sim w;
  double s = name_similarity(a, b, &w);
  double t = name_similarity(b, a, NULL);
  if (!(s >= 0 && s <= 1) || s != t || w.score != s)
    abort();

  /* the last bytes of each half as birth date, village and ID: short,
     odd and unterminated-looking strings */
  size_t la = strlen(a), lb = strlen(b);
  struct match_person pa = {a, la ? a[0] : 'F', a + (la > 10 ? la - 10 : 0),
                            la > 3 ? a + la - 3 : NULL,
                            la > 5 ? a + la - 5 : ""};
  struct match_person pb = {b, lb ? b[0] : 'F', b + (lb > 4 ? lb - 4 : 0),
                            lb > 2 ? b + lb - 2 : NULL,
                            lb > 5 ? b + lb - 5 : NULL};
  struct match_result r;
  match_persons(&pa, &pb, &r);
  if (!(r.score >= 0 && r.score <= 1) || !(r.name_score >= 0) ||
      memchr(r.reasons, 0, sizeof r.reasons) == NULL)
    abort();
  free(a);
  free(b);
  return 0;
}
