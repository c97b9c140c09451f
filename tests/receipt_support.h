/*
 * receipt_support.h - helpers shared by the receipt suites: decoding a
 * QR code from an image file with zbarimg (Debian's zbar-tools, a real
 * decoder independent of libqrencode), and writing a receipt raster as a
 * PBM file for it. Header-only because the Makefile builds tests/test_*.c.
 */
#ifndef SWS_TESTS_RECEIPT_SUPPORT_H
#define SWS_TESTS_RECEIPT_SUPPORT_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "receipts/render.h"

/* 1 if zbarimg can be run; otherwise says so (once) and fails the test. */
static inline int t_zbar_present(void)
{
  static int known = -1;
  if (known < 0) {
    known = system("command -v zbarimg >/dev/null 2>&1") == 0;
    if (!known)
      fprintf(stderr, "\n  zbarimg is missing: the receipt tests decode "
              "every QR code with it; install zbar-tools "
              "(scripts/deps.sh does)\n");
  }
  CU_ASSERT_FATAL(known == 1);
  return known;
}

/*
 * Decode the QR code in the image zPath with zbarimg into out (n bytes,
 * the text without a trailing newline). Returns 0, or -1 when nothing was
 * decoded.
 */
static inline int t_zbar_decode(const char *zPath, char *out, size_t n)
{
  char zCmd[1024];
  out[0] = '\0';
  if (!t_zbar_present())
    return -1;
  snprintf(zCmd, sizeof zCmd, "zbarimg --raw -q '%s' 2>/dev/null", zPath);
  FILE *p = popen(zCmd, "r");
  if (p == NULL)
    return -1;
  size_t got = fread(out, 1, n - 1, p);
  out[got] = '\0';
  int status = pclose(p);
  while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == '\r'))
    out[--got] = '\0';
  return status == 0 && got > 0 ? 0 : -1;
}

/* Write n bytes to zPath; 0 or -1. */
static inline int t_write(const char *zPath, const void *p, size_t n)
{
  FILE *f = fopen(zPath, "wb");
  if (f == NULL)
    return -1;
  size_t put = fwrite(p, 1, n, f);
  return fclose(f) == 0 && put == n ? 0 : -1;
}

/* Write rows of 1-bit dots (MSB first, 1 = black, as ESC/POS and the
 * receipt raster have them) as a binary PBM, whose format is the same. */
static inline int t_pbm_write(const char *zPath, int width, int height,
                       const unsigned char *bits)
{
  FILE *f = fopen(zPath, "wb");
  if (f == NULL)
    return -1;
  fprintf(f, "P4\n%d %d\n", width, height);
  size_t n = (size_t)(width / 8) * (size_t)height;
  size_t put = fwrite(bits, 1, n, f);
  return fclose(f) == 0 && put == n ? 0 : -1;
}

#endif
