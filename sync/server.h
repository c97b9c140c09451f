/*
 * server.h - the central registry over HTTPS (`sws central serve`): routes
 * GET /v1/hello, POST /v1/push and GET /v1/feed to sync/central.c after
 * checking each request's signature, office and nonce.
 */
#ifndef SWS_SYNC_SERVER_H
#define SWS_SYNC_SERVER_H

#include "core/httpd.h"
#include "sync/central.h"

/* The request handler (for httpd_start / httpd_run_until_signal); arg is
 * the struct central. */
int central_http_handler(void *arg, const struct http_req *req,
                         struct http_resp *resp);

#endif
