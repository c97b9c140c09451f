/*
 * transport_https.h - the sync engine's transport over HTTPS (libcurl,
 * sync/http_client.h): requests signed with the office's key, the clock
 * corrected by what the registry's hello said, one reused connection.
 */
#ifndef SWS_SYNC_TRANSPORT_HTTPS_H
#define SWS_SYNC_TRANSPORT_HTTPS_H

#include "cases/ctx.h"
#include "sync/engine.h"
#include "sync/http_client.h"

struct https_transport;

/*
 * Open a transport to zUrl (https://host:port) trusting zCaFile (NULL: the
 * system's CAs) and, if zPin is set, only the server key it names. The
 * office code and secret key come from ctx. progress may be NULL.
 */
int sync_https_open(struct https_transport **out, struct sws_ctx *ctx,
                    const char *zUrl, const char *zCaFile, const char *zPin,
                    struct sws_err *err);
void sync_https_close(struct https_transport *h);

/* Fill t so the engine uses h. */
void sync_https_transport(struct https_transport *h, struct sync_transport *t);

/* Report bytes moved (for a progress line); may be NULL. */
void sync_https_progress(struct https_transport *h,
                         void (*fn)(void *, int64_t, int64_t, int64_t,
                                    int64_t),
                         void *arg);

#endif
