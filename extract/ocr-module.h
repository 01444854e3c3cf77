/*
 * ocr-module.h — what the module keikaku-ocr.so gives keikaku: two tables
 * of functions.  `kk_ocr_module` (ocr-engine.c) is the OCR engine, whose
 * contracts are those of the engine behind kk_ocr_read_page() and
 * kk_ocr_page_to_json() in ocr.h; `kk_render_module` (render-module.c)
 * opens documents with Poppler GLib and renders review's crops.  keikaku
 * itself links neither Poppler GLib nor cairo nor Tesseract: they are
 * loaded with the module, by the first page that needs OCR or by `keikaku
 * review`.  The module calls back into keikaku (grids, pages, errors): the
 * binary exports its symbols, and a module of another build is refused by
 * its ABI numbers.
 */
#ifndef KK_EXTRACT_OCR_MODULE_H
#define KK_EXTRACT_OCR_MODULE_H

#include "extract/ocr.h"
#include <poppler.h> /* the PopplerDocument type only: keikaku does not link Poppler GLib */

#define KK_OCR_MODULE_ABI 1
#define KK_OCR_MODULE_NAME "keikaku-ocr.so"

typedef struct {
  int abi; /* KK_OCR_MODULE_ABI */
  KkOcr *(*engine_new)(void);
  void (*engine_free)(KkOcr *ocr);
  KkOcrPage *(*read_page)(KkOcr *ocr, PopplerDocument *doc, guint page_no, const KkPageInk *ink,
                          KkLayout *layout, gint64 deadline, guint page_seconds, GError **error);
  void (*page_to_json)(const KkOcrPage *ocr_page, JsonObject *page);
} KkOcrModule;

#define KK_RENDER_MODULE_ABI 1

typedef struct {
  int abi; /* KK_RENDER_MODULE_ABI */
  /* Opens the PDF `path` with Poppler GLib; NULL with KK_ERROR_ENCRYPTED
   * or KK_ERROR_INPUT and Poppler's message when it cannot. */
  PopplerDocument *(*open)(const char *path, GError **error);
  void (*close)(PopplerDocument *doc); /* NULL is allowed */
  /* A base64 PNG of page `page` (1-based) of `doc` around box x0,y0,x1,y1
   * (points, origin top left, as extract reports them) with the box
   * outlined in red, at most 1600 pixels a side; NULL with *why set (a
   * static string) when the page or box is unusable.  Free with g_free(). */
  char *(*crop_png)(PopplerDocument *doc, gint64 page, const double box[4], const char **why);
} KkRenderModule;

/* The module's renderer, the module opened once per process as for OCR;
 * NULL with KK_ERROR_INTERNAL and a message naming the module when it
 * cannot be loaded (missing, or of another build). */
const KkRenderModule *kk_render_module_get(GError **error);

#endif
