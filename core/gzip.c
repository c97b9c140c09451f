/*
 * gzip.c - gzip bodies over zlib (see gzip.h).
 */
#include "gzip.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 16384
/* windowBits for zlib: 15, plus 16 for a gzip wrapper instead of zlib's */
#define GZIP_WBITS (15 + 16)

int http_gzip(struct buf *out, const void *p, size_t n, struct sws_err *err)
{
  z_stream zs;
  unsigned char chunk[CHUNK];
  int rc = SWS_OK, zrc = Z_OK;

  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 6, Z_DEFLATED, GZIP_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return sws_err_set(err, SWS_EIO, "cannot start gzip compression (out of "
                       "memory?)");
  const unsigned char *in = p;
  size_t left = n;
  do {
    /* zlib counts in uInt: feed very large inputs in slices */
    uInt take = left > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)left;
    zs.next_in = (unsigned char *)in;
    zs.avail_in = take;
    in += take;
    left -= take;
    int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      zs.next_out = chunk;
      zs.avail_out = CHUNK;
      zrc = deflate(&zs, flush);
      if (zrc == Z_STREAM_ERROR) {
        rc = sws_err_set(err, SWS_EIO, "gzip compression failed");
        goto done;
      }
      if (buf_append(out, chunk, CHUNK - zs.avail_out) != 0) {
        rc = buf_check(out, "the compressed body", err);
        goto done;
      }
    } while (zs.avail_out == 0);
  } while (left > 0);
  if (zrc != Z_STREAM_END)
    rc = sws_err_set(err, SWS_EIO, "gzip compression did not finish");
done:
  deflateEnd(&zs);
  return rc;
}

int http_gunzip(struct buf *out, const void *p, size_t n, const char *zWhat,
                struct sws_err *err)
{
  z_stream zs;
  unsigned char chunk[CHUNK];
  int rc = SWS_OK, zrc = Z_OK;

  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, GZIP_WBITS) != Z_OK)
    return sws_err_set(err, SWS_EIO, "cannot start gzip decompression (out "
                       "of memory?)");
  const unsigned char *in = p;
  size_t left = n;
  while (zrc != Z_STREAM_END) {
    if (zs.avail_in == 0 && left > 0) {
      uInt take = left > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)left;
      zs.next_in = (unsigned char *)in;
      zs.avail_in = take;
      in += take;
      left -= take;
    }
    zs.next_out = chunk;
    zs.avail_out = CHUNK;
    zrc = inflate(&zs, Z_NO_FLUSH);
    if (zrc == Z_NEED_DICT || zrc == Z_DATA_ERROR || zrc == Z_MEM_ERROR ||
        zrc == Z_STREAM_ERROR) {
      rc = sws_err_set(err, SWS_EINVAL, "%s is not valid gzip data (%s)",
                       zWhat, zs.msg ? zs.msg : "corrupt");
      goto done;
    }
    if (buf_append(out, chunk, CHUNK - zs.avail_out) != 0) {
      rc = sws_err_set(err, SWS_ETOOBIG, "%s inflates to more than the "
                       "limit of %zu bytes", zWhat, out->max);
      goto done;
    }
    if (zrc == Z_BUF_ERROR && zs.avail_in == 0 && left == 0) {
      rc = sws_err_set(err, SWS_EINVAL, "%s is cut short (an incomplete "
                       "gzip stream)", zWhat);
      goto done;
    }
  }
  if (zs.avail_in > 0 || left > 0)
    rc = sws_err_set(err, SWS_EINVAL, "%s has data after the end of its "
                     "gzip stream", zWhat);
done:
  inflateEnd(&zs);
  return rc;
}
