/*
 * gzip.h - gzip compression of HTTP bodies (Content-Encoding: gzip), over
 * zlib. Sync batches and feed pages are JSON and shrink about five times,
 * which is what makes a 2G link usable.
 *
 * Decompression is capped by the output buffer's maximum, so a small body
 * that would inflate to gigabytes (a "zip bomb") is refused as soon as it
 * passes the cap, before the memory is spent.
 */
#ifndef SWS_CORE_GZIP_H
#define SWS_CORE_GZIP_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * Append the gzip compression of the n bytes at p to out. Errors:
 * SWS_ETOOBIG if out's cap is passed (out then holds a partial stream).
 */
int http_gzip(struct buf *out, const void *p, size_t n, struct sws_err *err);

/*
 * Append the decompression of the gzip stream at p (n bytes) to out.
 * Exactly one gzip member, nothing after it. Errors: SWS_ETOOBIG as soon as
 * the output would pass out->max; SWS_EINVAL for a corrupt, truncated or
 * non-gzip input. zWhat names the data in messages ("the request body").
 */
int http_gunzip(struct buf *out, const void *p, size_t n, const char *zWhat,
                struct sws_err *err);

#endif
