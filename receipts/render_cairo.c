/*
 * render_cairo.c - receipts drawn with cairo and Pango: the 1-bit raster
 * (thermal printers, PNG) and PDF/SVG (see render.h).
 *
 * One drawing routine serves every output. It works in dots (0.125 mm):
 * on an alpha-only image surface for the raster (then thresholded at
 * half), and on a recording surface that is replayed, scaled to points,
 * into a PDF or SVG surface.
 */
#include "receipts/render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define MARGIN 12 /* dots left and right of the text */
#define TOP 8     /* dots above the first line and below the last */
#define FONT_FAMILY "Noto Sans, Noto Sans Khmer, Khmer OS, DejaVu Sans"
#define RASTER_FIRST_HEIGHT 2400
#define RASTER_MAX_HEIGHT 16000
#define A4_W_PT 595.276
#define A4_H_PT 841.890
#define A4_MARGIN_PT 42.52 /* 15 mm */

struct style {
  int px;        /* font size in dots */
  int bold;
  int centred;
  int gap;       /* dots after the line */
};

static const struct style STYLES[] = {
    [RECEIPT_L_TITLE] = {28, 1, 1, 4},  [RECEIPT_L_HEADING] = {24, 1, 1, 8},
    [RECEIPT_L_COPY] = {30, 1, 1, 10},  [RECEIPT_L_FIELD] = {22, 0, 0, 4},
    [RECEIPT_L_TEXT] = {22, 0, 0, 8},   [RECEIPT_L_QR] = {0, 0, 0, 4},
    [RECEIPT_L_SMALL] = {18, 0, 1, 4},  [RECEIPT_L_RULE] = {0, 0, 0, 0},
};

/* Where drawing goes. */
struct pen {
  cairo_t *cr;
  PangoLayout *pl;
  int bAlphaOnly; /* A8 surface: "white" is drawn by clearing */
  int width;      /* dots */
  int unknown;    /* glyphs no font had */
};

int receipt_module_dots(int width, int qrWidth)
{
  int avail = width - 2 * MARGIN, total = qrWidth + 2 * RECEIPT_QR_QUIET;
  if (qrWidth <= 0 || total <= 0)
    return 0;
  int m = avail / total;
  if (m > RECEIPT_MODULE_MAX)
    m = RECEIPT_MODULE_MAX;
  return m < RECEIPT_MODULE_MIN ? 0 : m;
}

int receipt_raster_get(const struct receipt_raster *r, int x, int y)
{
  if (x < 0 || y < 0 || x >= r->width || y >= r->height)
    return 0;
  return (r->bits[(size_t)y * (size_t)r->stride + (size_t)(x >> 3)] >>
          (7 - (x & 7))) & 1;
}

void receipt_raster_release(struct receipt_raster *r)
{
  free(r->bits);
  memset(r, 0, sizeof *r);
}

/* Set the layout to line ln in its style; returns its height in dots. */
static int set_line(struct pen *p, const char *zLang,
                    const struct receipt_line *ln)
{
  const struct style *s = &STYLES[ln->style];
  PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
  pango_font_description_set_absolute_size(fd, s->px * PANGO_SCALE);
  pango_font_description_set_weight(fd, s->bold ? PANGO_WEIGHT_BOLD
                                                : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(p->pl, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(p->pl, (p->width - 2 * MARGIN) * PANGO_SCALE);
  pango_layout_set_wrap(p->pl, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(p->pl, s->centred ? PANGO_ALIGN_CENTER
                                               : PANGO_ALIGN_LEFT);
  if (ln->style == RECEIPT_L_FIELD) {
    /* "label: value", the value bold; Khmer writes its own colon */
    const char *zColon = strcmp(zLang, "km") == 0 ? "៖ " : ": ";
    char z[sizeof ln->zLabel + sizeof ln->zText + 8];
    int n = snprintf(z, sizeof z, "%s%s", ln->zLabel, zColon);
    snprintf(z + n, sizeof z - (size_t)n, "%s", ln->zText);
    pango_layout_set_text(p->pl, z, -1);
    PangoAttrList *al = pango_attr_list_new();
    PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    a->start_index = (guint)n;
    a->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    pango_attr_list_insert(al, a);
    pango_layout_set_attributes(p->pl, al);
    pango_attr_list_unref(al);
  } else {
    pango_layout_set_text(p->pl, ln->zText, -1);
    pango_layout_set_attributes(p->pl, NULL);
  }
  p->unknown += pango_layout_get_unknown_glyphs_count(p->pl);
  PangoRectangle logical;
  pango_layout_get_pixel_extents(p->pl, NULL, &logical);
  return logical.height;
}

static void ink(struct pen *p)
{
  cairo_set_operator(p->cr, CAIRO_OPERATOR_OVER);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void paper(struct pen *p)
{
  if (p->bAlphaOnly) {
    cairo_set_operator(p->cr, CAIRO_OPERATOR_CLEAR);
  } else {
    cairo_set_operator(p->cr, CAIRO_OPERATOR_OVER);
    cairo_set_source_rgb(p->cr, 1, 1, 1);
  }
}

/* Draw the layout from the top; returns the height used, in dots. */
static int draw(struct pen *p, const struct receipt_layout *l,
                const struct receipt_qr *qr, int module,
                struct receipt_render_info *info)
{
  PangoContext *pc = pango_layout_get_context(p->pl);
  int y = TOP;
  pango_context_set_language(pc, pango_language_from_string(l->zLang));
  pango_layout_context_changed(p->pl);
  for (int i = 0; i < l->n; i++) {
    const struct receipt_line *ln = &l->a[i];
    const struct style *s = &STYLES[ln->style];
    int h;
    switch (ln->style) {
    case RECEIPT_L_RULE:
      ink(p);
      cairo_rectangle(p->cr, MARGIN, y + 4, p->width - 2 * MARGIN, 2);
      cairo_fill(p->cr);
      y += 12;
      break;
    case RECEIPT_L_QR: {
      int side = (qr->width + 2 * RECEIPT_QR_QUIET) * module;
      int x0 = (p->width - side) / 2 + RECEIPT_QR_QUIET * module;
      int y0 = y + RECEIPT_QR_QUIET * module;
      ink(p);
      cairo_set_antialias(p->cr, CAIRO_ANTIALIAS_NONE);
      for (int my = 0; my < qr->width; my++)
        for (int mx = 0; mx < qr->width; mx++)
          if (receipt_qr_dark(qr, mx, my))
            cairo_rectangle(p->cr, x0 + mx * module, y0 + my * module,
                            module, module);
      cairo_fill(p->cr);
      cairo_set_antialias(p->cr, CAIRO_ANTIALIAS_DEFAULT);
      if (info) {
        info->qrX = x0;
        info->qrY = y0;
      }
      y += side + s->gap;
      break;
    }
    case RECEIPT_L_COPY:
      h = set_line(p, l->zLang, ln);
      ink(p);
      cairo_rectangle(p->cr, MARGIN, y, p->width - 2 * MARGIN, h + 8);
      cairo_fill(p->cr);
      paper(p);
      cairo_move_to(p->cr, MARGIN, y + 4);
      pango_cairo_show_layout(p->cr, p->pl);
      y += h + 8 + s->gap;
      break;
    default:
      h = set_line(p, l->zLang, ln);
      ink(p);
      cairo_move_to(p->cr, MARGIN, y);
      pango_cairo_show_layout(p->cr, p->pl);
      y += h + s->gap;
      break;
    }
  }
  return y + TOP;
}

static int check_args(const struct receipt_layout *l,
                      const struct receipt_qr *qr, int width, int *pModule,
                      struct sws_err *err)
{
  if (width < 256 || width > 1024 || width % 8 != 0)
    return sws_err_set(err, SWS_EINVAL, "a receipt is 256 to 1024 dots "
                       "wide, in steps of 8, not %d", width);
  if (l->n == 0 || qr->dark == NULL)
    return sws_err_set(err, SWS_EINVAL, "nothing to draw on the receipt");
  *pModule = receipt_module_dots(width, qr->width);
  if (*pModule == 0)
    return sws_err_set(err, SWS_ETOOBIG, "a QR code of %d modules does not "
                       "fit on paper %d dots wide", qr->width, width);
  return SWS_OK;
}

/* Draw with cr (its user units dots); *pHeight gets the height. For
 * vector output the font metrics are not hinted, so that the measuring
 * pass and the drawing pass lay text out the same. */
static int draw_with(cairo_t *cr, int bAlphaOnly, int bVector,
                     const struct receipt_layout *l,
                     const struct receipt_qr *qr, int width, int module,
                     struct receipt_render_info *info, int *pHeight,
                     struct sws_err *err)
{
  struct pen p;
  memset(&p, 0, sizeof p);
  p.cr = cr;
  p.pl = pango_cairo_create_layout(cr);
  if (bVector) {
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango_layout_get_context(p.pl),
                                         fo);
    cairo_font_options_destroy(fo);
  }
  p.bAlphaOnly = bAlphaOnly;
  p.width = width;
  *pHeight = draw(&p, l, qr, module, info);
  if (info) {
    info->nUnknownGlyphs = p.unknown;
    info->module = module;
  }
  g_object_unref(p.pl);
  cairo_status_t st = cairo_status(cr);
  if (st != CAIRO_STATUS_SUCCESS)
    return sws_err_set(err, SWS_EIO, "cannot draw the receipt: %s",
                       cairo_status_to_string(st));
  return SWS_OK;
}

/* As draw_with, on a new context for surface s. */
static int draw_on(cairo_surface_t *s, int bAlphaOnly, int bVector,
                   const struct receipt_layout *l,
                   const struct receipt_qr *qr, int width, int module,
                   struct receipt_render_info *info, int *pHeight,
                   struct sws_err *err)
{
  cairo_t *cr = cairo_create(s);
  int rc = draw_with(cr, bAlphaOnly, bVector, l, qr, width, module, info,
                     pHeight, err);
  cairo_destroy(cr);
  return rc;
}

void receipt_render_shutdown(void)
{
  /* not cairo_debug_reset_static_data(): it asserts that no cairo object
   * is alive, and Pango may still hold a scaled font for a moment */
  pango_cairo_font_map_set_default(NULL);
}

/*
 * LeakSanitizer (make check) reads its default suppressions from this
 * function when the program defines it. fontconfig, which Pango uses to
 * find fonts, loses memory while parsing its XML configuration, once per
 * process and out of any caller's reach; system libraries have no frame
 * pointers, so the report shows only the library, and the library is what
 * is named. Unused outside sanitizer builds.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
  return "leak:libfontconfig.so\n";
}

int receipt_render_raster(struct receipt_raster *out,
                          const struct receipt_layout *l,
                          const struct receipt_qr *qr, int width,
                          struct receipt_render_info *info,
                          struct sws_err *err)
{
  int module, height = 0, tall = RASTER_FIRST_HEIGHT, rc;
  cairo_surface_t *s = NULL;
  memset(out, 0, sizeof *out);
  if ((rc = check_args(l, qr, width, &module, err)) != 0)
    return rc;
  for (;;) {
    s = cairo_image_surface_create(CAIRO_FORMAT_A8, width, tall);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      rc = sws_err_set(err, SWS_EIO, "cannot make the receipt image: %s",
                       cairo_status_to_string(cairo_surface_status(s)));
      goto done;
    }
    if ((rc = draw_on(s, 1, 0, l, qr, width, module, info, &height,
                       err)) != 0)
      goto done;
    if (height <= tall)
      break;
    if (height > RASTER_MAX_HEIGHT) {
      rc = sws_err_set(err, SWS_ETOOBIG, "the receipt would be %d dots "
                       "long; shorten its text", height);
      goto done;
    }
    cairo_surface_destroy(s);
    tall = height;
  }
  cairo_surface_flush(s);
  const unsigned char *a8 = cairo_image_surface_get_data(s);
  int a8stride = cairo_image_surface_get_stride(s);
  out->width = width;
  out->height = height;
  out->stride = width / 8;
  out->bits = sws_calloc((size_t)out->stride, (size_t)height);
  for (int y = 0; y < height; y++) {
    const unsigned char *row = a8 + (size_t)y * (size_t)a8stride;
    unsigned char *dst = out->bits + (size_t)y * (size_t)out->stride;
    for (int x = 0; x < width; x++)
      if (row[x] >= 128)
        dst[x >> 3] |= (unsigned char)(0x80 >> (x & 7));
  }
done:
  if (s)
    cairo_surface_destroy(s);
  return rc;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data,
                             unsigned int n)
{
  return buf_append(closure, data, n) == 0 ? CAIRO_STATUS_SUCCESS
                                           : CAIRO_STATUS_WRITE_ERROR;
}

int receipt_render_vector(struct buf *out, int format,
                          const struct receipt_layout *l,
                          const struct receipt_qr *qr, int width,
                          struct receipt_render_info *info,
                          struct sws_err *err)
{
  const double k = 72.0 / RECEIPT_DPI; /* points per dot */
  cairo_surface_t *s = NULL;
  cairo_t *cr;
  int module, height, drawn, rc;
  if ((rc = check_args(l, qr, width, &module, err)) != 0)
    return rc;
  if (format != RECEIPT_SVG && format != RECEIPT_PDF)
    return sws_err_set(err, SWS_EINVAL, "unknown vector format %d", format);
  /* measure on a recording surface, then draw again on the page, which
   * must be created with its size */
  s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
  rc = draw_on(s, 0, 1, l, qr, width, module, info, &height, err);
  cairo_surface_destroy(s);
  if (rc != 0)
    return rc;
  if (format == RECEIPT_SVG)
    s = cairo_svg_surface_create_for_stream(to_buf, out, width * k,
                                            height * k);
  else
    s = cairo_pdf_surface_create_for_stream(to_buf, out, A4_W_PT, A4_H_PT);
  cr = cairo_create(s);
  if (format == RECEIPT_PDF)
    cairo_translate(cr, A4_MARGIN_PT, A4_MARGIN_PT);
  cairo_scale(cr, k, k);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_fill(cr);
  rc = draw_with(cr, 0, 1, l, qr, width, module, info, &drawn, err);
  cairo_show_page(cr);
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (rc != 0)
    return rc;
  if (st != CAIRO_STATUS_SUCCESS)
    return sws_err_set(err, SWS_EIO, "cannot write the receipt as %s: %s",
                       format == RECEIPT_SVG ? "SVG" : "PDF",
                       cairo_status_to_string(st));
  return buf_check(out, "the receipt file", err);
}
