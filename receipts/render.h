/*
 * render.h - drawing a receipt layout (receipts/layout.h) and its QR code
 * (receipts/qr.h): the 1-bit raster that thermal printers and PNG files
 * get, PDF and SVG for office printers, and plain text with the QR in
 * Unicode half blocks for a terminal.
 *
 * Everything is measured in printer dots of 0.125 mm (203 dpi): the width
 * is 384 dots for 58 mm paper or 576 for 80 mm. Text is laid out and
 * shaped by Pango (HarfBuzz) with Debian's fonts (Noto Sans, Noto Sans
 * Khmer, Khmer OS, DejaVu), so Khmer and Mongolian Cyrillic come out right
 * on every output, the printer's code pages never being used.
 *
 * The QR code is drawn with a whole number of dots per module (every module
 * the same square), at most 8 (1 mm), with a 4-module quiet zone; see
 * receipt_module_dots and docs/receipts.md for the reasoning.
 */
#ifndef SWS_RECEIPTS_RENDER_H
#define SWS_RECEIPTS_RENDER_H

#include "core/buf.h"
#include "core/err.h"
#include "receipts/layout.h"
#include "receipts/qr.h"

#define RECEIPT_WIDTH_58 384 /* dots on 58 mm paper (48 mm printable) */
#define RECEIPT_WIDTH_80 576 /* dots on 80 mm paper (72 mm printable) */
#define RECEIPT_DPI 203
#define RECEIPT_MODULE_MAX 8 /* dots per QR module: 1 mm */
#define RECEIPT_MODULE_MIN 3

/* A 1-bit image: rows of `stride` bytes, the most significant bit the
 * leftmost dot, 1 = black (printed), as ESC/POS GS v 0 wants it. */
struct receipt_raster {
  int width;           /* dots, a multiple of 8 */
  int height;          /* dots */
  int stride;          /* bytes per row: width / 8 */
  unsigned char *bits; /* stride * height bytes; owned */
};

#define RECEIPT_RASTER_INIT {0, 0, 0, NULL}

/* What rendering found (for tests and warnings). */
struct receipt_render_info {
  int nUnknownGlyphs; /* characters no installed font has (drawn as boxes) */
  int module;         /* dots per QR module used */
  int qrX, qrY;       /* top left of the QR symbol (not its quiet zone) */
};

/* 1 if a dot is black. */
int receipt_raster_get(const struct receipt_raster *r, int x, int y);
void receipt_raster_release(struct receipt_raster *r);

/*
 * Dots per QR module for a symbol of qrWidth modules on paper width dots
 * wide: the largest whole number up to RECEIPT_MODULE_MAX such that the
 * symbol and its quiet zone fit between the margins; 0 if not even
 * RECEIPT_MODULE_MIN fits.
 */
int receipt_module_dots(int width, int qrWidth);

/*
 * Draw the receipt as a 1-bit raster width dots wide (384 or 576; any
 * multiple of 8 from 256 to 1024). Release *out with
 * receipt_raster_release. info may be NULL.
 */
int receipt_render_raster(struct receipt_raster *out,
                          const struct receipt_layout *l,
                          const struct receipt_qr *qr, int width,
                          struct receipt_render_info *info,
                          struct sws_err *err);

enum receipt_vector { RECEIPT_SVG = 1, RECEIPT_PDF = 2 };

/*
 * Draw the receipt as SVG (a page the size of the receipt) or PDF (an A4
 * page with the receipt at its top left, at its printed size), appending
 * the file's bytes to out. Text stays text (fonts embedded, subset).
 */
int receipt_render_vector(struct buf *out, int format,
                          const struct receipt_layout *l,
                          const struct receipt_qr *qr, int width,
                          struct receipt_render_info *info,
                          struct sws_err *err);

/*
 * Release the fonts and caches Pango, cairo and fontconfig keep for the
 * life of the process (they are made again when needed): for tests,
 * leak checkers and a command that has printed its receipt; never while a
 * receipt is being drawn.
 */
void receipt_render_shutdown(void);

/*
 * The receipt as UTF-8 text for a terminal, appended to out: one line per
 * layout line and the QR in half blocks (U+2580, U+2584, U+2588), light
 * modules drawn, for a terminal with a dark background.
 */
void receipt_render_text(struct buf *out, const struct receipt_layout *l,
                         const struct receipt_qr *qr);

/*
 * The raster as a PNG file (1-bit greyscale, 203 dpi recorded), appended
 * to out.
 */
int receipt_png_write(struct buf *out, const struct receipt_raster *r,
                      struct sws_err *err);

#endif
