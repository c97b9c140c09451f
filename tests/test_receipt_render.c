/*
 * test_receipt_render.c - drawing receipts (receipts/render_cairo.c,
 * png.c, render_text.c): every kind in every language on both paper
 * widths comes out with no missing glyph, and its PNG decodes with
 * zbarimg to the signed payload, which verifies; the QR modules sit where
 * the matrix says; the terminal text carries the same matrix; PDF and SVG
 * are well-formed files.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/ids.h"
#include "receipts/layout.h"
#include "receipts/payload.h"
#include "receipts/qr.h"
#include "receipts/render.h"
#include "tests/receipt_support.h"
#include "tests/support.h"

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

static int setup(void)
{
  sws_sign_keypair(g_pk, g_sk);
  return 0;
}

static int cleanup(void)
{
  receipt_render_shutdown();
  return 0;
}

/* A receipt of kind with a real signed payload. */
static struct receipt_doc doc(int kind, int anonymous)
{
  static const char *const PREFIX[] = {NULL, "KH12", "KH12-G", "KH12-R"};
  struct receipt_doc d;
  struct receipt_record r;
  struct sws_err err = SWS_ERR_INIT;
  memset(&d, 0, sizeof d);
  memset(&r, 0, sizeof r);
  d.kind = r.kind = kind;
  d.serial = r.serial = 7;
  d.copies = 2;
  d.anonymous = anonymous;
  r.issued_s = 1772440200;
  snprintf(d.zIssuedAt, sizeof d.zIssuedAt, "2026-03-02T08:30:00Z");
  snprintf(d.zOfficeCode, sizeof d.zOfficeCode, "KH12");
  snprintf(r.zIssuer, sizeof r.zIssuer, "KH12");
  snprintf(d.zOfficeName, sizeof d.zOfficeName,
           "មណ្ឌលច្រកចេញចូលតែមួយ Angkor Chum");
  sws_number_format(d.zNumber, sizeof d.zNumber, PREFIX[kind], 1);
  d.members = 3;
  snprintf(d.zDue, sizeof d.zDue, "2026-03-16");
  snprintf(d.zService, sizeof d.zService, "psychosocial");
  snprintf(d.zProvider, sizeof d.zProvider, "Өнөр төв / មណ្ឌលសុខភាព");
  receipt_key_id(r.key_id, g_pk);
  if (!anonymous)
    CU_ASSERT_EQUAL(receipt_record_set_number(&r, d.zNumber, &err), 0);
  CU_ASSERT_EQUAL(receipt_payload_sign(d.zPayload, &r, g_sk, &err), 0);
  return d;
}

/* The QR modules of the raster, sampled at their centres, match qr; its
 * quiet zone is white. */
static void check_modules(const struct receipt_raster *r,
                          const struct receipt_qr *qr,
                          const struct receipt_render_info *info)
{
  int m = info->module, bad = 0;
  for (int y = -RECEIPT_QR_QUIET; y < qr->width + RECEIPT_QR_QUIET; y++)
    for (int x = -RECEIPT_QR_QUIET; x < qr->width + RECEIPT_QR_QUIET; x++) {
      int cx = info->qrX + x * m + m / 2, cy = info->qrY + y * m + m / 2;
      bad += receipt_raster_get(r, cx, cy) != receipt_qr_dark(qr, x, y);
    }
  CU_ASSERT_EQUAL(bad, 0);
}

static void test_receipt_render__png_decodes_in_every_language(void)
{
  static const char *const LANGS[] = {"en", "km", "mn"};
  static const int WIDTHS[] = {RECEIPT_WIDTH_58, RECEIPT_WIDTH_80};
  struct sws_err err = SWS_ERR_INIT;
  char zPath[512], zGot[512], zDir[256];
  int nDecoded = 0;
  snprintf(zDir, sizeof zDir, "%s", t_tmpdir());
  for (int kind = RECEIPT_REGISTRATION; kind <= RECEIPT_REFERRAL; kind++)
    for (int g = 0; g < 3; g++)
      for (int w = 0; w < 2; w++) {
        struct receipt_doc d = doc(kind, kind == RECEIPT_GRIEVANCE && g == 1);
        struct receipt_layout l;
        struct receipt_qr qr = RECEIPT_QR_INIT;
        struct receipt_raster r = RECEIPT_RASTER_INIT;
        struct receipt_render_info info;
        struct receipt_parsed p;
        struct buf png = BUF_INIT;
        CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, LANGS[g], &err),
                              0);
        CU_ASSERT_EQUAL_FATAL(receipt_qr_encode(&qr, d.zPayload, 7, &err),
                              0);
        CU_ASSERT_EQUAL_FATAL(receipt_render_raster(&r, &l, &qr, WIDTHS[w],
                                                    &info, &err), 0);
        /* Khmer and Mongolian found their fonts: nothing drawn as boxes */
        CU_ASSERT_EQUAL(info.nUnknownGlyphs, 0);
        CU_ASSERT_EQUAL(r.width, WIDTHS[w]);
        CU_ASSERT_EQUAL(r.stride, WIDTHS[w] / 8);
        CU_ASSERT(r.height > 600 && r.height < 2400);
        /* 58 mm: 7 dots (0.875 mm) for version 6; 80 mm: 8 (1 mm) */
        CU_ASSERT_EQUAL(info.module, w == 0 ? 7 : 8);
        check_modules(&r, &qr, &info);
        CU_ASSERT_EQUAL_FATAL(receipt_png_write(&png, &r, &err), 0);
        snprintf(zPath, sizeof zPath, "%s/r-%d-%s-%d.png", zDir, kind,
                 LANGS[g], WIDTHS[w]);
        CU_ASSERT_EQUAL_FATAL(t_write(zPath, png.z, png.n), 0);
        if (t_zbar_decode(zPath, zGot, sizeof zGot) == 0)
          nDecoded++;
        else
          fprintf(stderr, "\n  zbarimg found no QR code in %s\n", zPath);
        CU_ASSERT_STRING_EQUAL(zGot, d.zPayload);
        CU_ASSERT_EQUAL(receipt_payload_parse(&p, zGot, &err), 0);
        CU_ASSERT_EQUAL(receipt_payload_check(&p, g_pk), 1);
        buf_release(&png);
        receipt_raster_release(&r);
        receipt_qr_release(&qr);
      }
  CU_ASSERT_EQUAL(nDecoded, 18);
}

static void test_receipt_render__module_size_rule(void)
{
  /* versions 6 and 7 (41 and 45 modules) with the quiet zone */
  CU_ASSERT_EQUAL(receipt_module_dots(RECEIPT_WIDTH_58, 41), 7);
  CU_ASSERT_EQUAL(receipt_module_dots(RECEIPT_WIDTH_58, 45), 6);
  CU_ASSERT_EQUAL(receipt_module_dots(RECEIPT_WIDTH_80, 45), 8);
  CU_ASSERT_EQUAL(receipt_module_dots(RECEIPT_WIDTH_58, 177), 0);
  CU_ASSERT_EQUAL(receipt_module_dots(RECEIPT_WIDTH_58, 0), 0);
}

static void test_receipt_render__text_carries_the_same_matrix(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_doc d = doc(RECEIPT_REFERRAL, 0);
  struct receipt_layout l;
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct buf out = BUF_INIT;
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "km", &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_qr_encode(&qr, d.zPayload, 7, &err), 0);
  receipt_render_text(&out, &l, &qr);
  const char *z = buf_str(&out);
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "*** ច្បាប់ចម្លង ***\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(z, "បញ្ជូនទៅ៖ Өнөр төв"));
  /* read the half blocks back: the first line that starts with a block */
  const char *p = strstr(z, "\u2588\u2588\u2588\u2588");
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  int total = qr.width + 2 * RECEIPT_QR_QUIET, bad = 0;
  for (int y = 0; y < total; y += 2) {
    for (int x = 0; x < total; x++) {
      int top, bottom;
      if (strncmp(p, "\u2588", 3) == 0) {
        top = bottom = 1;
        p += 3;
      } else if (strncmp(p, "\u2580", 3) == 0) {
        top = 1, bottom = 0;
        p += 3;
      } else if (strncmp(p, "\u2584", 3) == 0) {
        top = 0, bottom = 1;
        p += 3;
      } else {
        CU_ASSERT_EQUAL_FATAL(*p, ' ');
        top = bottom = 0;
        p++;
      }
      int mx = x - RECEIPT_QR_QUIET, my = y - RECEIPT_QR_QUIET;
      bad += top != !receipt_qr_dark(&qr, mx, my);
      if (y + 1 < total)
        bad += bottom != !receipt_qr_dark(&qr, mx, my + 1);
    }
    CU_ASSERT_EQUAL_FATAL(*p, '\n');
    p++;
  }
  CU_ASSERT_EQUAL(bad, 0);
  buf_release(&out);
  receipt_qr_release(&qr);
}

static void test_receipt_render__pdf_and_svg(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_doc d = doc(RECEIPT_GRIEVANCE, 0);
  struct receipt_layout l;
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct receipt_render_info info;
  struct buf pdf = BUF_INIT, svg = BUF_INIT;
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "km", &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_qr_encode(&qr, d.zPayload, 7, &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_render_vector(&pdf, RECEIPT_PDF, &l, &qr,
                                              RECEIPT_WIDTH_80, &info, &err),
                        0);
  CU_ASSERT_EQUAL(info.nUnknownGlyphs, 0);
  CU_ASSERT_EQUAL(strncmp(buf_str(&pdf), "%PDF-", 5), 0);
  CU_ASSERT(pdf.n > 5000);
  CU_ASSERT_PTR_NOT_NULL(memmem(pdf.z, pdf.n, "%%EOF", 5));
  /* the Khmer font is embedded (subset) */
  CU_ASSERT_PTR_NOT_NULL(memmem(pdf.z, pdf.n, "Khmer", 5));
  CU_ASSERT_EQUAL_FATAL(receipt_render_vector(&svg, RECEIPT_SVG, &l, &qr,
                                              RECEIPT_WIDTH_58, &info, &err),
                        0);
  CU_ASSERT_EQUAL(strncmp(buf_str(&svg), "<?xml", 5), 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&svg), "<svg"));
  CU_ASSERT_PTR_NOT_NULL(strstr(buf_str(&svg), "</svg>"));
  CU_ASSERT_EQUAL(receipt_render_vector(&svg, 9, &l, &qr, RECEIPT_WIDTH_58,
                                        &info, &err), SWS_EINVAL);
  struct receipt_raster r;
  CU_ASSERT_EQUAL(receipt_render_raster(&r, &l, &qr, 100, &info, &err),
                  SWS_EINVAL);
  buf_release(&pdf);
  buf_release(&svg);
  receipt_qr_release(&qr);
}

static CU_TestInfo tests[] = {
    {"test_receipt_render__png_decodes_in_every_language",
     test_receipt_render__png_decodes_in_every_language},
    {"test_receipt_render__module_size_rule",
     test_receipt_render__module_size_rule},
    {"test_receipt_render__text_carries_the_same_matrix",
     test_receipt_render__text_carries_the_same_matrix},
    {"test_receipt_render__pdf_and_svg", test_receipt_render__pdf_and_svg},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_render = {"receipt_render", setup, cleanup,
                                     NULL, NULL, tests};
