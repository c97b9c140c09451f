/*
 * bench_receipt.c - the cost of one receipt, as the front desk prints it:
 *
 *   bench_sws receipt [N]
 *
 * Per receipt (N of them, default 300, after a warm-up that loads the
 * fonts): sign the payload (Ed25519) and encode it (base45), make the QR
 * code, lay out and draw the Khmer receipt for 58 mm paper with Pango and
 * cairo, and write it as PNG. Two baselines are measured in the same run
 * on the same payloads: signing alone, and the QR code drawn and written
 * as PNG without any text. Prints mean, median and 95th percentile, the
 * ratios to the baselines, and whether the 5 ms target is met. Figures
 * only; never fails on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/mem.h"
#include "receipts/layout.h"
#include "receipts/payload.h"
#include "receipts/qr.h"
#include "receipts/render.h"

#define TARGET_MS 5.0

static unsigned char g_pk[SWS_PK_BYTES], g_sk[SWS_SK_BYTES];

static void make_doc(struct receipt_doc *d, struct receipt_record *r, int i)
{
  memset(d, 0, sizeof *d);
  memset(r, 0, sizeof *r);
  d->kind = r->kind = RECEIPT_REGISTRATION;
  d->serial = r->serial = (uint32_t)(i + 1);
  d->copies = 1;
  d->members = 1 + i % 7;
  r->issued_s = 1772440200u + (uint32_t)i;
  snprintf(d->zIssuedAt, sizeof d->zIssuedAt, "2026-03-02T08:30:00Z");
  snprintf(d->zOfficeCode, sizeof d->zOfficeCode, "KH12");
  snprintf(r->zIssuer, sizeof r->zIssuer, "KH12");
  snprintf(d->zOfficeName, sizeof d->zOfficeName,
           "មណ្ឌលច្រកចេញចូលតែមួយ អង្គរជុំ");
  int64_t seq = 1000 + i;
  while (!sws_number_issuable("KH12", seq))
    seq++;
  sws_number_format(d->zNumber, sizeof d->zNumber, "KH12", seq);
  receipt_key_id(r->key_id, g_pk);
  receipt_record_set_number(r, d->zNumber, NULL);
}

/* The whole receipt: sign + encode, QR, layout, raster, PNG. */
static int full(int i, size_t *pBytes)
{
  struct receipt_doc d;
  struct receipt_record r;
  struct receipt_layout *l = sws_malloc(sizeof *l);
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct receipt_raster ras = RECEIPT_RASTER_INIT;
  struct buf png = BUF_INIT;
  int rc;
  make_doc(&d, &r, i);
  if ((rc = receipt_payload_sign(d.zPayload, &r, g_sk, NULL)) == 0 &&
      (rc = receipt_qr_encode(&qr, d.zPayload, 7, NULL)) == 0 &&
      (rc = receipt_layout_build(l, &d, "km", NULL)) == 0 &&
      (rc = receipt_render_raster(&ras, l, &qr, RECEIPT_WIDTH_58, NULL,
                                  NULL)) == 0)
    rc = receipt_png_write(&png, &ras, NULL);
  *pBytes = png.n;
  buf_release(&png);
  receipt_raster_release(&ras);
  receipt_qr_release(&qr);
  free(l);
  return rc;
}

/* Baseline: the QR code of the same payload as PNG, no text. */
static int qr_only(const char *zPayload, size_t *pBytes)
{
  struct receipt_layout *l = sws_calloc(1, sizeof *l);
  struct receipt_qr qr = RECEIPT_QR_INIT;
  struct receipt_raster ras = RECEIPT_RASTER_INIT;
  struct buf png = BUF_INIT;
  int rc;
  snprintf(l->zLang, sizeof l->zLang, "en");
  l->n = 1;
  l->a[0].style = RECEIPT_L_QR;
  if ((rc = receipt_qr_encode(&qr, zPayload, 7, NULL)) == 0 &&
      (rc = receipt_render_raster(&ras, l, &qr, RECEIPT_WIDTH_58, NULL,
                                  NULL)) == 0)
    rc = receipt_png_write(&png, &ras, NULL);
  *pBytes = png.n;
  buf_release(&png);
  receipt_raster_release(&ras);
  receipt_qr_release(&qr);
  free(l);
  return rc;
}

static void report(const char *zWhat, int64_t *a, int n, double *pMean)
{
  double sum = 0;
  for (int i = 0; i < n; i++)
    sum += (double)a[i];
  *pMean = sum / n / 1e6;
  printf("  %-34s mean %7.3f ms  p50 %7.3f  p95 %7.3f\n", zWhat, *pMean,
         bench_percentile(a, n, 50) / 1e6, bench_percentile(a, n, 95) / 1e6);
}

int bench_receipt(int argc, char **argv)
{
  int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 300;
  if (n < 10 || n > 100000)
    n = 300;
  int64_t *aFull = sws_calloc((size_t)n, sizeof *aFull);
  int64_t *aSign = sws_calloc((size_t)n, sizeof *aSign);
  int64_t *aQr = sws_calloc((size_t)n, sizeof *aQr);
  size_t nFullBytes = 0, nQrBytes = 0;
  int bad = 0;
  sws_sign_keypair(g_pk, g_sk);
  /* warm-up: fontconfig, Pango's font map and HarfBuzz's faces load once
   * per process (the desk's process lives all day) */
  int64_t t0 = bench_ns();
  bad += full(0, &nFullBytes) != 0;
  double firstMs = (double)(bench_ns() - t0) / 1e6;
  for (int i = 0; i < 5; i++)
    bad += full(i, &nFullBytes) != 0;
  for (int i = 0; i < n; i++) {
    struct receipt_doc d;
    struct receipt_record r;
    make_doc(&d, &r, i);
    /* interleaved, so that all three see the same machine */
    t0 = bench_ns();
    bad += receipt_payload_sign(d.zPayload, &r, g_sk, NULL) != 0;
    aSign[i] = bench_ns() - t0;
    t0 = bench_ns();
    bad += qr_only(d.zPayload, &nQrBytes) != 0;
    aQr[i] = bench_ns() - t0;
    t0 = bench_ns();
    bad += full(i, &nFullBytes) != 0;
    aFull[i] = bench_ns() - t0;
  }
  double mFull, mSign, mQr;
  printf("receipt: %d Khmer registration receipts, 58 mm (384 dots), PNG "
         "%zu bytes (QR only: %zu)\n", n, nFullBytes, nQrBytes);
  printf("  first receipt of the process (fonts load) %.1f ms\n", firstMs);
  report("sign + encode + QR + render + PNG", aFull, n, &mFull);
  report("baseline: sign + base45 alone", aSign, n, &mSign);
  report("baseline: QR + PNG, no text", aQr, n, &mQr);
  printf("  ratio to QR + PNG without text: %.1fx; to signing alone: "
         "%.0fx\n", mFull / mQr, mFull / mSign);
  printf("  target <= %.1f ms per receipt: %s\n", TARGET_MS,
         mFull <= TARGET_MS ? "met" : "NOT met");
  if (bad)
    printf("  %d receipts failed\n", bad);
  free(aFull);
  free(aSign);
  free(aQr);
  return 0;
}
