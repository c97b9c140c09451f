/*
 * qr.h - the QR symbol of a receipt payload, over libqrencode.
 *
 * libqrencode gives only a module matrix; every renderer (terminal, SVG,
 * PDF, PNG, ESC/POS raster) draws it itself. The whole text is one
 * alphanumeric segment at error correction M, and the version that came
 * out is checked: libqrencode may choose a larger one than asked.
 */
#ifndef SWS_RECEIPTS_QR_H
#define SWS_RECEIPTS_QR_H

#include "core/err.h"

#define RECEIPT_QR_QUIET 4 /* quiet zone in modules, as ISO 18004 asks */

struct receipt_qr {
  int version;          /* 1..40 */
  int width;            /* modules per side, without the quiet zone */
  unsigned char *dark;  /* width*width, row by row: 1 dark, 0 light; owned */
};

#define RECEIPT_QR_INIT {0, 0, NULL}

/*
 * Encode zText (QR alphanumeric characters only: 0-9 A-Z space $%*+-./:)
 * at error correction M in the smallest version that holds it, at most
 * maxVersion. Release *out with receipt_qr_release. SWS_EINVAL for a
 * character outside the alphabet, SWS_ETOOBIG when it needs a version over
 * maxVersion.
 */
int receipt_qr_encode(struct receipt_qr *out, const char *zText,
                      int maxVersion, struct sws_err *err);

/* Free the matrix; *q is empty again. */
void receipt_qr_release(struct receipt_qr *q);

/* 1 if module (x, y) is dark; 0 outside the symbol (the quiet zone). */
int receipt_qr_dark(const struct receipt_qr *q, int x, int y);

#endif
