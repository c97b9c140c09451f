/*
 * escpos.h - the byte stream for ESC/POS thermal printers (58 mm, 384
 * dots; 80 mm, 576 dots): the whole receipt as a raster image.
 *
 * The stream is:
 *   ESC @                      1B 40         initialise
 *   GS v 0 m xL xH yL yH d...  1D 76 30 00   one band of at most
 *                                            RECEIPT_ESCPOS_BAND rows,
 *                                            xL+xH*256 bytes a row
 *   (as many bands as the image needs)
 *   ESC d n                    1B 64 05      print and feed 5 lines
 *   GS V m                     1D 56 01      partial cut
 * Bands keep yH at 0: some printers read only part of yH, and a band fits
 * small receive buffers. The printer's QR command and code pages are not
 * used: text and QR are already dots (see receipts/render.h). How to send
 * it to /dev/usb/lp0 or port 9100 is in docs/printers.md.
 */
#ifndef SWS_RECEIPTS_ESCPOS_H
#define SWS_RECEIPTS_ESCPOS_H

#include "core/buf.h"
#include "core/err.h"
#include "receipts/render.h"

#define RECEIPT_ESCPOS_BAND 255 /* rows per GS v 0 band */
#define RECEIPT_ESCPOS_FEED 5   /* lines fed before the cut */

/* Append the ESC/POS stream printing r to out. SWS_EINVAL for a raster
 * wider than a printer takes (over 255 bytes a row) or empty. */
int receipt_escpos_write(struct buf *out, const struct receipt_raster *r,
                         struct sws_err *err);

#endif
