/*
 * png.c - the receipt raster as a PNG file (see render.h): 1-bit
 * greyscale, one IDAT, written here over zlib because a 1-bit image
 * needs a few lines and cairo would write 32 bits a pixel.
 */
#include "receipts/render.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/mem.h"

static void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC over type and data. */
static void chunk(struct buf *out, const char *zType, const unsigned char *p,
                  size_t n)
{
  unsigned char hdr[8], crc[4];
  put32(hdr, (uint32_t)n);
  memcpy(hdr + 4, zType, 4);
  uLong c = crc32(0L, (const Bytef *)zType, 4);
  if (n > 0)
    c = crc32(c, p, (uInt)n);
  put32(crc, (uint32_t)c);
  buf_append(out, hdr, sizeof hdr);
  if (n > 0)
    buf_append(out, p, n);
  buf_append(out, crc, sizeof crc);
}

int receipt_png_write(struct buf *out, const struct receipt_raster *r,
                      struct sws_err *err)
{
  static const unsigned char SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                       0x1a, '\n'};
  unsigned char ihdr[13], phys[9];
  if (r->width <= 0 || r->height <= 0 || r->bits == NULL)
    return sws_err_set(err, SWS_EINVAL, "empty receipt image");
  /* rows with their filter byte (0: none); PNG greyscale 0 is black, the
   * raster's 1 is black, so the bits are inverted */
  size_t rowlen = (size_t)r->stride + 1, nRaw = rowlen * (size_t)r->height;
  unsigned char *raw = sws_malloc(nRaw);
  for (int y = 0; y < r->height; y++) {
    unsigned char *d = raw + (size_t)y * rowlen;
    const unsigned char *s = r->bits + (size_t)y * (size_t)r->stride;
    d[0] = 0;
    for (int i = 0; i < r->stride; i++)
      d[1 + i] = (unsigned char)~s[i];
  }
  uLongf nZ = compressBound((uLong)nRaw);
  unsigned char *z = sws_malloc(nZ);
  int zrc = compress2(z, &nZ, raw, (uLong)nRaw, 6);
  free(raw);
  if (zrc != Z_OK) {
    free(z);
    return sws_err_set(err, SWS_EIO, "cannot compress the receipt image "
                       "(zlib %d)", zrc);
  }
  put32(ihdr, (uint32_t)r->width);
  put32(ihdr + 4, (uint32_t)r->height);
  ihdr[8] = 1;  /* bit depth */
  ihdr[9] = 0;  /* greyscale */
  ihdr[10] = 0; /* deflate */
  ihdr[11] = 0; /* adaptive filtering (every row: none) */
  ihdr[12] = 0; /* not interlaced */
  /* 203 dpi = 7992 dots a metre, so the image prints at its size */
  put32(phys, 7992);
  put32(phys + 4, 7992);
  phys[8] = 1;
  buf_append(out, SIG, sizeof SIG);
  chunk(out, "IHDR", ihdr, sizeof ihdr);
  chunk(out, "pHYs", phys, sizeof phys);
  chunk(out, "IDAT", z, nZ);
  chunk(out, "IEND", NULL, 0);
  free(z);
  return buf_check(out, "the PNG file", err);
}
