/*
 * i18n.c - the UI's languages through GNU gettext: catalogue "sws", msgid
 * in English, po/km.po and po/mn.po compiled by the build into
 * build/locale/LANG/LC_MESSAGES/sws.mo (installed as
 * $prefix/share/locale/LANG/LC_MESSAGES/sws.mo).
 *
 * Each request may be in another language (each officer chooses), so the
 * language is switched per call with LANGUAGE and _nl_msg_cat_cntr, as the
 * gettext manual describes. Only the one server thread translates; the
 * locale is C.UTF-8, which lets LANGUAGE take effect with no generated
 * locale on the machine.
 */
#include <libintl.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"
#include "pos/web/web_int.h"

#ifndef SWS_LOCALEDIR_DEFAULT
#define SWS_LOCALEDIR_DEFAULT "/usr/local/share/locale"
#endif
#define DOMAIN "sws"

extern int _nl_msg_cat_cntr;

static char g_zDir[1024];
static int g_bReady;
static char g_zCurrent[8];

const struct web_lang web_langs[] = {
    {"en", "English"},
    {"km", "\xe1\x9e\x81\xe1\x9f\x92\xe1\x9e\x98\xe1\x9f\x82\xe1\x9e\x9a"},
    {"mn", "\xd0\x9c\xd0\xbe\xd0\xbd\xd0\xb3\xd0\xbe\xd0\xbb"},
    {NULL, NULL},
};

const char *web_lang_find(const char *z)
{
  for (int i = 0; z && web_langs[i].zCode; i++)
    if (strcmp(z, web_langs[i].zCode) == 0)
      return web_langs[i].zCode;
  return NULL;
}

static int has_catalogue(const char *zDir)
{
  char z[1200];
  struct stat st;
  snprintf(z, sizeof z, "%s/km/LC_MESSAGES/" DOMAIN ".mo", zDir);
  return stat(z, &st) == 0 && S_ISREG(st.st_mode);
}

const char *web_i18n_init(const char *zDir)
{
  char zExe[1024], zTry[1100];
  const char *zEnv = getenv("SWS_LOCALEDIR");
  g_bReady = 0;
  g_zDir[0] = '\0';
  if (zDir && has_catalogue(zDir)) {
    sws_strlcpy(g_zDir, zDir, sizeof g_zDir);
  } else if (zEnv && *zEnv && has_catalogue(zEnv)) {
    sws_strlcpy(g_zDir, zEnv, sizeof g_zDir);
  } else {
    ssize_t n = readlink("/proc/self/exe", zExe, sizeof zExe - 1);
    if (n > 0) {
      zExe[n] = '\0';
      char *slash = strrchr(zExe, '/');
      if (slash)
        *slash = '\0';
      static const char *const azRel[] = {"locale", "build/locale",
                                          "../locale"};
      for (size_t i = 0; i < sizeof azRel / sizeof azRel[0]; i++) {
        snprintf(zTry, sizeof zTry, "%s/%s", zExe, azRel[i]);
        if (has_catalogue(zTry)) {
          sws_strlcpy(g_zDir, zTry, sizeof g_zDir);
          break;
        }
      }
    }
    if (g_zDir[0] == '\0' && has_catalogue(SWS_LOCALEDIR_DEFAULT))
      sws_strlcpy(g_zDir, SWS_LOCALEDIR_DEFAULT, sizeof g_zDir);
  }
  if (g_zDir[0] == '\0')
    return NULL;
  /* LANGUAGE is ignored in the "C" locale; C.UTF-8 is always there */
  if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL &&
      setlocale(LC_MESSAGES, "C.utf8") == NULL)
    return NULL;
  bindtextdomain(DOMAIN, g_zDir);
  bind_textdomain_codeset(DOMAIN, "UTF-8");
  g_bReady = 1;
  return g_zDir;
}

static void use_language(const char *zLang)
{
  if (strcmp(g_zCurrent, zLang) == 0)
    return;
  setenv("LANGUAGE", zLang, 1);
  ++_nl_msg_cat_cntr;
  sws_strlcpy(g_zCurrent, zLang, sizeof g_zCurrent);
}

const char *web_tr_lang(const char *zLang, const char *zMsgid)
{
  if (!g_bReady || zLang == NULL || strcmp(zLang, "en") == 0 ||
      zMsgid[0] == '\0')
    return zMsgid;
  use_language(zLang);
  return dgettext(DOMAIN, zMsgid);
}

const char *web_tr(const struct web_req *r, const char *zMsgid)
{
  return web_tr_lang(r ? r->zLang : NULL, zMsgid);
}

/* core/err.h's translator during a request: the officer's language, read
 * when the message is made (the session may have changed it). */
static const char *tr_request(void *arg, const char *zFmt)
{
  return web_tr(arg, zFmt);
}

void web_err_translate_begin(struct web_req *r)
{
  r->trOld = sws_err_set_translator(tr_request, r, &r->trOldArg);
}

void web_err_translate_end(struct web_req *r)
{
  sws_err_set_translator(r->trOld, r->trOldArg, NULL);
}

static const char *tr_fixed(void *arg, const char *zFmt)
{
  return web_tr_lang(arg, zFmt);
}

const char *web_err_translate_to(const char *zLang)
{
  const char *z = web_lang_find(zLang);
  if (z == NULL || strcmp(z, "en") == 0 || web_i18n_init(NULL) == NULL) {
    sws_err_set_translator(NULL, NULL, NULL);
    return NULL;
  }
  use_language(z); /* now, before any thread: the language stays */
  sws_err_set_translator(tr_fixed, (void *)z, NULL);
  return z;
}

const char *web_ntr(const struct web_req *r, const char *zSing,
                    const char *zPlural, long n)
{
  if (!g_bReady || r == NULL || strcmp(r->zLang, "en") == 0)
    return n == 1 ? zSing : zPlural;
  use_language(r->zLang);
  return dngettext(DOMAIN, zSing, zPlural, (unsigned long)n);
}
