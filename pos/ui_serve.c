/*
 * ui_serve.c - serving a web UI from the command line (ui_serve.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "pos/ui_serve.h"

void ui_serve_init(struct ui_serve *u, const char *zCmd)
{
  memset(u, 0, sizeof *u);
  u->zCmd = zCmd;
  u->hc.zListen = "127.0.0.1:8080";
  u->cfg.zLang = "en";
}

int ui_serve_opt(struct cli *cli, struct ui_serve *u, int c, const char *zArg)
{
  struct sws_err err = SWS_ERR_INIT;
  int64_t v;
  switch (c) {
  case 'l':
    u->hc.zListen = zArg;
    return -1;
  case 'I':
    u->bInsecureLan = 1;
    return -1;
  case 'H':
    if (u->nHost == WEB_MAX_HOSTS - 3)
      return cli_usage(cli, "too many --host");
    u->azHost[u->nHost++] = zArg;
    return -1;
  case 'L':
    if (web_lang_find(zArg) == NULL)
      return cli_usage(cli, "--lang is en, km or mn");
    u->cfg.zLang = zArg;
    return -1;
  case 'i':
    if (sws_parse_int64("--idle-minutes", zArg, 1, 24 * 60, &v, &err))
      return cli_fail(&err);
    u->cfg.idleMs = v * 60 * 1000;
    return -1;
  case 'm':
    if (sws_parse_int64("--max-hours", zArg, 1, 24 * 7, &v, &err))
      return cli_fail(&err);
    u->cfg.maxMs = v * 3600 * 1000;
    return -1;
  case 'c':
    u->hc.zCertFile = zArg;
    return -1;
  case 'k':
    u->hc.zKeyFile = zArg;
    return -1;
  default:
    return 0;
  }
}

/* Whether HOST:PORT listens on this computer only. */
static int loopback(const char *zListen)
{
  return strncmp(zListen, "127.", 4) == 0 ||
         strncmp(zListen, "localhost:", 10) == 0 ||
         strncmp(zListen, "[::1]:", 6) == 0;
}

int ui_serve_check(struct cli *cli, struct ui_serve *u)
{
  if (loopback(u->hc.zListen) || (u->hc.zCertFile && u->hc.zKeyFile))
    return EXIT_OK;
  if (!u->bInsecureLan)
    return cli_usage(cli,
                     "--listen %s lets other computers connect: serve "
                     "HTTPS with --cert and --key, or passwords and "
                     "families' records cross the network as plain "
                     "text (--insecure-lan accepts that)",
                     u->hc.zListen);
  fprintf(stderr,
          "sws: warning: serving %s without HTTPS "
          "(--insecure-lan): passwords and families' records cross the "
          "network as plain text\n",
          u->hc.zListen);
  return EXIT_OK;
}

/* The Host names to accept, known once the server listens (port 0 picks
 * one): the listening address's, and the --host ones. */
static struct {
  const struct ui_serve *u;
  struct web *w;
  char zHost[WEB_HOST_MAX];
} g_names;

static void ready(void *arg, struct httpd *h)
{
  const struct ui_serve *u = g_names.u;
  int port = httpd_port(h);
  (void)arg;
  web_allow_listen(g_names.w, g_names.zHost, port);
  for (int i = 0; i < u->nHost; i++) {
    char z[WEB_HOST_MAX];
    if (strchr(u->azHost[i], ':'))
      snprintf(z, sizeof z, "%s", u->azHost[i]);
    else
      snprintf(z, sizeof z, "%s:%d", u->azHost[i], port);
    web_allow_host(g_names.w, z);
  }
  printf("%s: serving on %s/ (Ctrl+C stops)\n", u->zCmd, httpd_url(h));
  fflush(stdout);
}

int ui_serve_run(struct ui_serve *u, struct web *w, httpd_handler fn, void *arg,
                 struct sws_err *err)
{
  u->hc.nMaxBody = WEB_MAX_BODY;
  u->hc.nMaxInflated = WEB_MAX_BODY;
  u->hc.timeoutSeconds = 30;
  /* the officers' browsers need a few connections each; the limits bound
   * what a crowd of stalled clients can hold, and the header deadline
   * (core/httpd.h) closes each of them within seconds. Every browser on
   * the computer shares its loopback address with anything else running
   * there, so the address's share is well above a few stalled connections
   * (16 held ones used to refuse the officers' own). */
  u->hc.maxConnections = 256;
  u->hc.maxPerIp = 128;
  const char *z = u->hc.zListen;
  const char *colon = strrchr(z, ':');
  g_names.u = u;
  g_names.w = w;
  g_names.zHost[0] = '\0';
  if (colon && (size_t)(colon - z) < sizeof g_names.zHost) {
    memcpy(g_names.zHost, z, (size_t)(colon - z));
    g_names.zHost[colon - z] = '\0';
  }
  if (g_names.zHost[0] == '[') {
    memmove(g_names.zHost, g_names.zHost + 1, strlen(g_names.zHost));
    g_names.zHost[strcspn(g_names.zHost, "]")] = '\0';
  }
  return httpd_run_until_signal(&u->hc, fn, arg, ready, err);
}
