/*
 * render-module.c — the Poppler GLib and cairo half of keikaku-ocr.so: the
 * document a page is rendered from for OCR (ocr-engine.c renders it), and
 * the crops of `keikaku review` (load/kk-review.c).  keikaku itself reads
 * PDFs with Poppler's core only (pdf-core.cc): Poppler GLib and cairo pull
 * in cairo, pixman, X11/xcb and fontconfig, whose loading and relocation
 * cost every process about 4 ms of CPU before main().  Contracts: the
 * KkRenderModule table in ocr-module.h.
 */
#include "extract/ocr-module.h"
#include "common/kk-error.h"

#include <cairo.h>
#include <gmodule.h>
#include <math.h>
#include <poppler.h>

/* Crop margin around a value's box (points) and render scale (144 dpi). */
#define CROP_MARGIN 14.0
#define CROP_SCALE 2.0
/* Largest crop side in pixels: a hostile box cannot ask for a huge surface. */
#define CROP_MAX_PX 1600

static PopplerDocument *render_open(const char *path, GError **error)
{
  g_autoptr(GError) e = NULL;
  g_autofree char *abs = g_canonicalize_filename(path, NULL);
  g_autofree char *uri = g_filename_to_uri(abs, NULL, &e);
  PopplerDocument *doc = uri ? poppler_document_new_from_file(uri, NULL, &e) : NULL;
  if (doc == NULL)
    g_set_error(error, KK_ERROR, e && e->domain == POPPLER_ERROR && e->code == POPPLER_ERROR_ENCRYPTED
                ? KK_ERROR_ENCRYPTED : KK_ERROR_INPUT, "%s", e ? e->message : "unknown error");
  return doc;
}

static void render_close(PopplerDocument *doc)
{
  if (doc)
    g_object_unref(doc);
}

static cairo_status_t png_append(void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append(closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static char *render_crop_png(PopplerDocument *pdf, gint64 page, const double box[4], const char **why)
{
  if (page < 1 || page > poppler_document_get_n_pages(pdf)) {
    *why = "the page is not in the file";
    return NULL;
  }
  PopplerPage *p = poppler_document_get_page(pdf, (int)page - 1);
  if (p == NULL) {
    *why = "Poppler cannot read the page";
    return NULL;
  }
  double pw, ph;
  poppler_page_get_size(p, &pw, &ph);
  double x0 = CLAMP(box[0] - CROP_MARGIN, 0, pw), y0 = CLAMP(box[1] - CROP_MARGIN, 0, ph);
  double x1 = CLAMP(box[2] + CROP_MARGIN, 0, pw), y1 = CLAMP(box[3] + CROP_MARGIN, 0, ph);
  if (!(x1 - x0 >= 1 && y1 - y0 >= 1)) {
    g_object_unref(p);
    *why = "the value's box lies outside the page";
    return NULL;
  }
  /* a long row label makes a wide box: keep the pixels bounded */
  double scale = MIN(CROP_SCALE, CROP_MAX_PX / MAX(x1 - x0, y1 - y0));
  int w = (int)ceil((x1 - x0) * scale), h = (int)ceil((y1 - y0) * scale);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  cairo_translate(cr, -x0, -y0);
  poppler_page_render(p, cr);
  g_object_unref(p);
  /* the value's own box, outlined in red, so the eye finds it */
  cairo_set_source_rgb(cr, 0.85, 0, 0);
  cairo_set_line_width(cr, 1.0 / scale * 2);
  cairo_rectangle(cr, box[0] - 1, box[1] - 1, box[2] - box[0] + 2, box[3] - box[1] + 2);
  cairo_stroke(cr);
  cairo_destroy(cr);
  g_autoptr(GByteArray) png = g_byte_array_new();
  cairo_status_t st = cairo_surface_write_to_png_stream(s, png_append, png);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    *why = cairo_status_to_string(st);
    return NULL;
  }
  return g_base64_encode(png->data, png->len);
}

/* The symbol ocr.c looks up beside kk_ocr_module. */
G_MODULE_EXPORT const KkRenderModule kk_render_module = {
  KK_RENDER_MODULE_ABI, render_open, render_close, render_crop_png,
};
