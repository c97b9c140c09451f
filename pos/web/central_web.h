/*
 * central_web.h - the registry's web UI served by `sws central ui`: the
 * duplicates across offices side by side with their decisions, the sync
 * conflicts, the offices' sync state, for national, province and district
 * officers, each seeing only their area (sync/central_scope.h).
 *
 * The same front door, look and pieces as the office's UI (pos/web/web.h:
 * Host check, CSRF, security headers, layout); its own accounts, kept in
 * the registry (sync/central_account.h). Sessions and login throttling
 * live in this process's memory: one process serves the UI, and
 * restarting it logs everyone out (docs/decisions.md). The handler runs
 * on the server's one thread (core/httpd.c), so they need no lock.
 */
#ifndef SWS_POS_WEB_CENTRAL_WEB_H
#define SWS_POS_WEB_CENTRAL_WEB_H

#include "pos/web/web.h"
#include "sync/central.h"

struct cweb;

/* A UI over the open registry c (borrowed: the caller closes it after
 * cweb_close). cfg is copied. */
struct cweb *cweb_open(struct central *c, const struct web_config *cfg);
void cweb_close(struct cweb *cw);
/* Its Host names and configuration (web_allow_host, web_allow_listen). */
struct web *cweb_web(struct cweb *cw);

/* The httpd handler (arg is the struct cweb). */
int cweb_handler(void *arg, const struct http_req *req, struct http_resp *resp);

#endif
