/*
 * web.h - the front-desk web UI served by `sws ui`: server-rendered pages
 * over core/httpd, the same cases/ functions and rules as the command
 * line.
 *
 * web_handler is an httpd_handler: give it to httpd_start with the struct
 * web from web_open. Tests call it directly with a hand-made struct
 * http_req. Everything the UI keeps lives in the office database (sessions
 * by the hash of their token, login throttling, each officer's language),
 * so the UI holds no state of its own between requests.
 */
#ifndef SWS_POS_WEB_WEB_H
#define SWS_POS_WEB_WEB_H

#include <stdint.h>

#include "cases/ctx.h"
#include "core/httpd.h"

#define WEB_MAX_HOSTS 8
#define WEB_HOST_MAX 128

struct web_config {
  /* Host header values accepted (DNS rebinding defence), e.g.
   * "127.0.0.1:8080"; web_allow_listen adds the loopback names of a
   * listening port. */
  char azHost[WEB_MAX_HOSTS][WEB_HOST_MAX];
  int nHost;
  const char *zLang;        /* default language: "en", "km" or "mn" */
  int64_t idleMs;           /* session idle timeout (default 30 min) */
  int64_t maxMs;            /* session absolute lifetime (default 12 h) */
  const char *zPrinter;     /* thermal printer device, or NULL */
};

#define WEB_DEFAULT_IDLE_MS ((int64_t)30 * 60 * 1000)
#define WEB_DEFAULT_MAX_MS ((int64_t)12 * 3600 * 1000)
/* request bodies of the UI: forms only */
#define WEB_MAX_BODY ((size_t)256 << 10)

struct web;

/* The code of language z ("en", "km", "mn") as the UI has it, or NULL
 * when the UI has no such language. */
const char *web_lang_find(const char *z);

/*
 * A UI over the open office database ctx (borrowed: the caller closes it
 * after web_close). cfg is copied. Never fails.
 */
struct web *web_open(struct sws_ctx *ctx, const struct web_config *cfg);
void web_close(struct web *w);

/* Accept the Host names of a server listening on port (127.0.0.1,
 * localhost, [::1]) and, when zHost is not a loopback name, zHost:port. */
void web_allow_listen(struct web *w, const char *zHost, int port);
/* Accept one more Host header value ("office-pc:8080"). */
int web_allow_host(struct web *w, const char *zHostPort);

/* The httpd handler (arg is the struct web). */
int web_handler(void *arg, const struct http_req *req,
                struct http_resp *resp);

/*
 * Find the message catalogues: zDir when given, else $SWS_LOCALEDIR, else
 * locale/ or build/locale/ beside the running binary, else the installed
 * location (SWS_LOCALEDIR_DEFAULT). Call once at start-up before any
 * thread exists. Returns the directory used (static) or NULL when no
 * catalogue was found (pages are then in English).
 */
const char *web_i18n_init(const char *zDir);

/* The translation of msgid in language zLang ("en", "km", "mn"): msgid
 * itself in English or without a catalogue. */
const char *web_tr_lang(const char *zLang, const char *zMsgid);

/*
 * The command line's messages (sws_err_set, core/err.h) in language zLang
 * from now on, on the calling thread ($SWS_LANG): returns the language,
 * or NULL (English) when zLang is English, unknown or no catalogue was
 * found. Call it before starting threads.
 */
const char *web_err_translate_to(const char *zLang);

#endif
