/*
 * escpos.c - the ESC/POS raster stream of a receipt (see escpos.h).
 */
#include "receipts/escpos.h"

int receipt_escpos_write(struct buf *out, const struct receipt_raster *r,
                         struct sws_err *err)
{
  static const unsigned char INIT[] = {0x1b, 0x40};
  static const unsigned char FEED[] = {0x1b, 0x64, RECEIPT_ESCPOS_FEED};
  static const unsigned char CUT[] = {0x1d, 0x56, 0x01};
  if (r->stride <= 0 || r->stride > 255 || r->height <= 0 || !r->bits)
    return sws_err_set(err, SWS_EINVAL, "a receipt image of %d by %d dots "
                       "cannot be printed", r->width, r->height);
  buf_append(out, INIT, sizeof INIT);
  for (int y = 0; y < r->height; y += RECEIPT_ESCPOS_BAND) {
    int rows = r->height - y;
    if (rows > RECEIPT_ESCPOS_BAND)
      rows = RECEIPT_ESCPOS_BAND;
    unsigned char hdr[8] = {0x1d, 0x76, 0x30, 0x00,
                            (unsigned char)(r->stride & 0xff),
                            (unsigned char)(r->stride >> 8),
                            (unsigned char)(rows & 0xff),
                            (unsigned char)(rows >> 8)};
    buf_append(out, hdr, sizeof hdr);
    buf_append(out, r->bits + (size_t)y * (size_t)r->stride,
               (size_t)rows * (size_t)r->stride);
  }
  buf_append(out, FEED, sizeof FEED);
  buf_append(out, CUT, sizeof CUT);
  return buf_check(out, "the printer stream", err);
}
