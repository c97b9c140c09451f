/*
 * langtext.c - texts of definition files in several languages (see
 * langtext.h).
 */
#include "cases/langtext.h"

#include <string.h>

#include "core/mem.h"
#include "core/text.h"

/* A language code as files write it: 1 to 8 lower-case letters. */
static int lang_code_ok(const char *z)
{
  size_t n = strlen(z);
  if (n < 1 || n > 8)
    return 0;
  for (; *z; z++)
    if (*z < 'a' || *z > 'z')
      return 0;
  return 1;
}

int cases_langtext_parse(json_t *v, size_t nMax, char **pzEn, char **pzKm,
                         char **pzMn, const char *zWhat, struct sws_err *err)
{
  const char *zEn = NULL, *zKm = "", *zMn = "", *zLang;
  json_t *t;
  if (json_is_string(v)) {
    zEn = json_string_value(v);
  } else if (json_is_object(v)) {
    json_object_foreach(v, zLang, t)
    {
      if (!json_is_string(t) || !lang_code_ok(zLang))
        return sws_err_set(err, SWS_EINVAL,
                           "%s: each language gives a "
                           "text (\"en\": \"...\", \"km\": \"...\", \"mn\": "
                           "\"...\")",
                           zWhat);
      if (sws_text_check(zWhat, json_string_value(t), nMax, 0, err) != 0)
        return err->code;
    }
    zEn = json_string_value(json_object_get(v, "en"));
    if (json_object_get(v, "km"))
      zKm = json_string_value(json_object_get(v, "km"));
    if (json_object_get(v, "mn"))
      zMn = json_string_value(json_object_get(v, "mn"));
  }
  if (zEn == NULL || sws_blank(zEn))
    return sws_err_set(err, SWS_EINVAL,
                       "%s needs a text in English (a "
                       "string, or {\"en\": \"...\", \"km\": \"...\", "
                       "\"mn\": \"...\"})",
                       zWhat);
  if (sws_text_check(zWhat, zEn, nMax, 0, err) != 0)
    return err->code;
  *pzEn = sws_strdup(zEn);
  if (pzKm)
    *pzKm = sws_strdup(zKm);
  if (pzMn)
    *pzMn = sws_strdup(zMn);
  return SWS_OK;
}

const char *cases_langtext_pick(const char *zLang, const char *zEn,
                                const char *zKm, const char *zMn)
{
  const char *z = zLang == NULL              ? NULL
                  : strcmp(zLang, "km") == 0 ? zKm
                  : strcmp(zLang, "mn") == 0 ? zMn
                                             : NULL;
  return z && z[0] ? z : zEn;
}

int cases_langtext_known(const char *zLang)
{
  return zLang && (strcmp(zLang, "en") == 0 || strcmp(zLang, "km") == 0 ||
                   strcmp(zLang, "mn") == 0);
}
