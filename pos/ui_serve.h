/*
 * ui_serve.h - what `sws ui` and `sws central ui` share to serve a web UI
 * (pos/web/): the listening options and their rules (this computer only
 * by default; an address other computers reach needs HTTPS, or
 * --insecure-lan), the Host names the UI answers to, the server's run.
 */
#ifndef SWS_POS_UI_SERVE_H
#define SWS_POS_UI_SERVE_H

#include "core/httpd.h"
#include "pos/cli.h"
#include "pos/web/web.h"

struct ui_serve {
  const char *zCmd; /* "sws ui" */
  struct httpd_config hc;
  struct web_config cfg;
  const char *azHost[WEB_MAX_HOSTS];
  int nHost;
  int bInsecureLan;
};

/* The shared options, for a command's struct option array. */
#define UI_SERVE_OPTIONS                                                       \
  {"listen", required_argument, 0, 'l'},                                       \
      {"insecure-lan", no_argument, 0, 'I'},                                   \
      {"host", required_argument, 0, 'H'},                                     \
      {"lang", required_argument, 0, 'L'},                                     \
      {"idle-minutes", required_argument, 0, 'i'},                             \
      {"max-hours", required_argument, 0, 'm'},                                \
      {"cert", required_argument, 0, 'c'},                                     \
  {                                                                            \
    "key", required_argument, 0, 'k'                                           \
  }

/* Defaults: 127.0.0.1:8080, English. */
void ui_serve_init(struct ui_serve *u, const char *zCmd);
/* Take option c (of UI_SERVE_OPTIONS) with its argument: -1 when taken,
 * 0 when c is not one of them, else the exit status of a usage error. */
int ui_serve_opt(struct cli *cli, struct ui_serve *u, int c, const char *zArg);
/* The listening rules: EXIT_OK, or the exit status of a usage error. */
int ui_serve_check(struct cli *cli, struct ui_serve *u);
/* Serve w's UI with fn(arg) until a signal (the httpd limits of an
 * officers' UI), accepting the listening address's Host names and the
 * --host ones. */
int ui_serve_run(struct ui_serve *u, struct web *w, httpd_handler fn, void *arg,
                 struct sws_err *err);

#endif
