/*
 * render_text.c - a receipt as text for a terminal, the QR code in
 * Unicode half blocks (see render.h).
 */
#include "receipts/render.h"

#include <string.h>

/* Light modules are drawn (a dark terminal background shows the dark
 * ones); outside the symbol and its quiet zone counts as dark. */
static int light(const struct receipt_qr *qr, int x, int y)
{
  int total = qr->width + 2 * RECEIPT_QR_QUIET;
  if (x < 0 || y < 0 || x >= total || y >= total)
    return 0;
  return !receipt_qr_dark(qr, x - RECEIPT_QR_QUIET, y - RECEIPT_QR_QUIET);
}

void receipt_render_text(struct buf *out, const struct receipt_layout *l,
                         const struct receipt_qr *qr)
{
  const char *zColon = strcmp(l->zLang, "km") == 0 ? "៖ " : ": ";
  for (int i = 0; i < l->n; i++) {
    const struct receipt_line *ln = &l->a[i];
    switch (ln->style) {
    case RECEIPT_L_RULE:
      buf_puts(out, "--------------------------------\n");
      break;
    case RECEIPT_L_COPY:
      buf_appendf(out, "*** %s ***\n", ln->zText);
      break;
    case RECEIPT_L_FIELD:
      buf_appendf(out, "%s%s%s\n", ln->zLabel, zColon, ln->zText);
      break;
    case RECEIPT_L_QR: {
      int total = qr->width + 2 * RECEIPT_QR_QUIET;
      for (int y = 0; y < total; y += 2) {
        for (int x = 0; x < total; x++) {
          int top = light(qr, x, y), bottom = light(qr, x, y + 1);
          buf_puts(out, top && bottom ? "\u2588"
                        : top         ? "\u2580"
                        : bottom      ? "\u2584"
                                      : " ");
        }
        buf_putc(out, '\n');
      }
      break;
    }
    default:
      buf_appendf(out, "%s\n", ln->zText);
      break;
    }
  }
}
