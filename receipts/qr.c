/*
 * qr.c - receipt QR symbols over libqrencode (see qr.h).
 */
#include "receipts/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

int receipt_qr_encode(struct receipt_qr *out, const char *zText,
                      int maxVersion, struct sws_err *err)
{
  QRinput *in = NULL;
  QRcode *code = NULL;
  int rc = SWS_OK;
  size_t n = strlen(zText);
  memset(out, 0, sizeof *out);
  if (n == 0 || n > 4296)
    return sws_err_set(err, SWS_EINVAL, "nothing to put in a QR code");
  errno = 0;
  if ((in = QRinput_new2(0, QR_ECLEVEL_M)) == NULL) {
    rc = sws_err_set(err, SWS_EIO, "cannot start a QR code: %s",
                     strerror(errno ? errno : ENOMEM));
    goto done;
  }
  errno = 0;
  if (QRinput_append(in, QR_MODE_AN, (int)n,
                     (const unsigned char *)zText) != 0) {
    rc = sws_err_set(err, SWS_EINVAL, "cannot put '%.20s...' in a QR code "
                     "in alphanumeric mode: %s", zText,
                     strerror(errno ? errno : EINVAL));
    goto done;
  }
  errno = 0;
  if ((code = QRcode_encodeInput(in)) == NULL) {
    int e = errno ? errno : ENOMEM;
    rc = sws_err_set(err, e == ERANGE ? SWS_ETOOBIG : SWS_EIO,
                     "cannot make the QR code: %s", strerror(e));
    goto done;
  }
  if (code->version < 1 || code->version > maxVersion) {
    rc = sws_err_set(err, SWS_ETOOBIG, "the QR code came out as version "
                     "%d, over the limit of %d", code->version, maxVersion);
    goto done;
  }
  out->version = code->version;
  out->width = code->width;
  out->dark = sws_malloc((size_t)code->width * (size_t)code->width);
  for (int i = 0; i < code->width * code->width; i++)
    out->dark[i] = code->data[i] & 1;
done:
  if (code)
    QRcode_free(code);
  if (in)
    QRinput_free(in);
  return rc;
}

void receipt_qr_release(struct receipt_qr *q)
{
  free(q->dark);
  memset(q, 0, sizeof *q);
}

int receipt_qr_dark(const struct receipt_qr *q, int x, int y)
{
  if (x < 0 || y < 0 || x >= q->width || y >= q->width)
    return 0;
  return q->dark[y * q->width + x];
}
