/*
 * test_receipt_escpos.c - the ESC/POS stream (receipts/escpos.c): exact
 * bytes of the framing (initialise, GS v 0 headers and band heights,
 * feed, cut), and a real receipt read back out of the stream, as a
 * printer would, decoding with zbarimg to its payload.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"
#include "receipts/escpos.h"
#include "receipts/layout.h"
#include "receipts/payload.h"
#include "tests/receipt_support.h"
#include "tests/support.h"

static struct receipt_raster pattern(int width, int height)
{
  struct receipt_raster r = {width, height, width / 8, NULL};
  r.bits = sws_malloc((size_t)r.stride * (size_t)height);
  for (int y = 0; y < height; y++)
    for (int i = 0; i < r.stride; i++)
      r.bits[y * r.stride + i] = (unsigned char)(y * 7 + i);
  return r;
}

static void test_receipt_escpos__framing_byte_exact(void)
{
  struct sws_err err = SWS_ERR_INIT;
  struct receipt_raster r = pattern(16, 300);
  struct buf b = BUF_INIT;
  CU_ASSERT_EQUAL_FATAL(receipt_escpos_write(&b, &r, &err), 0);
  const unsigned char *p = (const unsigned char *)b.z;
  CU_ASSERT_EQUAL_FATAL(b.n, 2 + 8 + 255 * 2 + 8 + 45 * 2 + 3 + 3);
  static const unsigned char init[] = {0x1b, 0x40};
  static const unsigned char band1[] = {0x1d, 0x76, 0x30, 0x00,
                                        0x02, 0x00, 0xff, 0x00};
  static const unsigned char band2[] = {0x1d, 0x76, 0x30, 0x00,
                                        0x02, 0x00, 0x2d, 0x00};
  static const unsigned char tail[] = {0x1b, 0x64, 0x05, 0x1d, 0x56, 0x01};
  CU_ASSERT_EQUAL(memcmp(p, init, 2), 0);
  CU_ASSERT_EQUAL(memcmp(p + 2, band1, 8), 0);
  CU_ASSERT_EQUAL(memcmp(p + 10, r.bits, 510), 0);
  CU_ASSERT_EQUAL(memcmp(p + 520, band2, 8), 0);
  CU_ASSERT_EQUAL(memcmp(p + 528, r.bits + 510, 90), 0);
  CU_ASSERT_EQUAL(memcmp(p + 618, tail, 6), 0);
  receipt_raster_release(&r);

  /* 255 rows: one band; 256: a second band of one row */
  buf_reset(&b);
  r = pattern(384, 255);
  CU_ASSERT_EQUAL(receipt_escpos_write(&b, &r, &err), 0);
  CU_ASSERT_EQUAL(b.n, 2 + 8 + 255 * 48 + 6);
  CU_ASSERT_EQUAL((unsigned char)b.z[6], 48); /* xL: 48 bytes a row */
  CU_ASSERT_EQUAL((unsigned char)b.z[7], 0);
  receipt_raster_release(&r);
  buf_reset(&b);
  r = pattern(576, 256);
  CU_ASSERT_EQUAL(receipt_escpos_write(&b, &r, &err), 0);
  CU_ASSERT_EQUAL(b.n, 2 + 8 + 255 * 72 + 8 + 72 + 6);
  p = (const unsigned char *)b.z + 2 + 8 + 255 * 72;
  static const unsigned char band3[] = {0x1d, 0x76, 0x30, 0x00,
                                        0x48, 0x00, 0x01, 0x00};
  CU_ASSERT_EQUAL(memcmp(p, band3, 8), 0);
  receipt_raster_release(&r);

  /* wider than any printer, or empty */
  buf_reset(&b);
  r = pattern(2048, 2);
  CU_ASSERT_EQUAL(receipt_escpos_write(&b, &r, &err), SWS_EINVAL);
  receipt_raster_release(&r);
  r = pattern(384, 0);
  CU_ASSERT_EQUAL(receipt_escpos_write(&b, &r, &err), SWS_EINVAL);
  receipt_raster_release(&r);
  buf_release(&b);
}

/* Read a stream back as a printer would; the image rows go to *out.
 * Returns the number of bands, or -1 if the framing is not ours. */
static int unframe(const unsigned char *p, size_t n, int *pWidth,
                   struct buf *out)
{
  size_t k = 2;
  int bands = 0;
  if (n < 8 || p[0] != 0x1b || p[1] != 0x40)
    return -1;
  while (k + 8 <= n && p[k] == 0x1d && p[k + 1] == 0x76) {
    if (p[k + 2] != 0x30 || p[k + 3] != 0)
      return -1;
    size_t x = p[k + 4] + 256u * p[k + 5], y = p[k + 6] + 256u * p[k + 7];
    if (y == 0 || y > RECEIPT_ESCPOS_BAND || k + 8 + x * y > n)
      return -1;
    *pWidth = (int)x * 8;
    buf_append(out, p + k + 8, x * y);
    k += 8 + x * y;
    bands++;
  }
  static const unsigned char tail[] = {0x1b, 0x64, 0x05, 0x1d, 0x56, 0x01};
  if (k + 6 != n || memcmp(p + k, tail, 6) != 0)
    return -1;
  return bands;
}

static void test_receipt_escpos__receipt_decodes_from_the_stream(void)
{
  struct sws_err err = SWS_ERR_INIT;
  unsigned char pk[SWS_PK_BYTES], sk[SWS_SK_BYTES];
  struct receipt_record rec;
  struct receipt_doc d;
  struct receipt_layout l;
  struct receipt_qr qr = RECEIPT_QR_INIT;
  char zPath[512], zGot[512];
  sws_sign_keypair(pk, sk);
  memset(&rec, 0, sizeof rec);
  memset(&d, 0, sizeof d);
  d.kind = rec.kind = RECEIPT_REGISTRATION;
  d.serial = rec.serial = 1;
  d.copies = 1;
  d.members = 5;
  rec.issued_s = 1772440200;
  snprintf(rec.zIssuer, sizeof rec.zIssuer, "MN-UB1");
  snprintf(d.zOfficeCode, sizeof d.zOfficeCode, "MN-UB1");
  snprintf(d.zOfficeName, sizeof d.zOfficeName,
           "Сүхбаатар дүүргийн нэг цэгийн үйлчилгээний төв");
  snprintf(d.zIssuedAt, sizeof d.zIssuedAt, "2026-03-02T08:30:00Z");
  sws_number_format(d.zNumber, sizeof d.zNumber, "MN-UB1", 120);
  receipt_key_id(rec.key_id, pk);
  CU_ASSERT_EQUAL_FATAL(receipt_record_set_number(&rec, d.zNumber, &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_payload_sign(d.zPayload, &rec, sk, &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_layout_build(&l, &d, "mn", &err), 0);
  CU_ASSERT_EQUAL_FATAL(receipt_qr_encode(&qr, d.zPayload, 7, &err), 0);
  for (int w = 0; w < 2; w++) {
    int width = w ? RECEIPT_WIDTH_80 : RECEIPT_WIDTH_58, got = 0;
    struct receipt_raster r = RECEIPT_RASTER_INIT;
    struct buf stream = BUF_INIT, rows = BUF_INIT;
    CU_ASSERT_EQUAL_FATAL(receipt_render_raster(&r, &l, &qr, width, NULL,
                                                &err), 0);
    CU_ASSERT_EQUAL_FATAL(receipt_escpos_write(&stream, &r, &err), 0);
    int bands = unframe((const unsigned char *)stream.z, stream.n, &got,
                        &rows);
    CU_ASSERT_EQUAL(bands, (r.height + 254) / 255);
    CU_ASSERT_EQUAL(got, width);
    CU_ASSERT_EQUAL_FATAL(rows.n, (size_t)r.stride * (size_t)r.height);
    snprintf(zPath, sizeof zPath, "%s/escpos-%d.pbm", t_tmpdir(), width);
    CU_ASSERT_EQUAL_FATAL(t_pbm_write(zPath, got, r.height,
                                      (const unsigned char *)rows.z), 0);
    CU_ASSERT_EQUAL(t_zbar_decode(zPath, zGot, sizeof zGot), 0);
    CU_ASSERT_STRING_EQUAL(zGot, d.zPayload);
    buf_release(&stream);
    buf_release(&rows);
    receipt_raster_release(&r);
  }
  receipt_qr_release(&qr);
}

static int cleanup(void)
{
  receipt_render_shutdown();
  return 0;
}

static CU_TestInfo tests[] = {
    {"test_receipt_escpos__framing_byte_exact",
     test_receipt_escpos__framing_byte_exact},
    {"test_receipt_escpos__receipt_decodes_from_the_stream",
     test_receipt_escpos__receipt_decodes_from_the_stream},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo suite_receipt_escpos = {"receipt_escpos", NULL, cleanup, NULL,
                                     NULL, tests};
