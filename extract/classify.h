/*
 * classify.h — what a page is made of: a text layer, only images (a scan),
 * outlined text (glyph shapes drawn as vector paths, no text), or text with
 * a large image or outlines beside it.  Reported per page as "content" in
 * the pages JSON Lines (common/FORMATS.md) and used to decide which pages
 * need OCR (extract/ocr.h).
 *
 * pdf-core.cc fills a KkPageInk during its one pass over the page (images
 * drawn, glyph-like filled outlines); kk_page_classify() then decides from
 * it and the number of glyphs of the text layer.  Pure arithmetic, no
 * Poppler, so it is unit-tested with synthetic input.
 */
#ifndef KK_EXTRACT_CLASSIFY_H
#define KK_EXTRACT_CLASSIFY_H

#include <glib.h>

G_BEGIN_DECLS

/* The kinds of page; kk_page_content_name() gives the JSON names. */
typedef enum {
  KK_PAGE_TEXT,      /* "text": a text layer and no large image or outlines */
  KK_PAGE_IMAGE,     /* "image": no text layer, images cover the page (a scan) */
  KK_PAGE_OUTLINED,  /* "outlined": no text layer, glyph shapes as vector paths */
  KK_PAGE_MIXED,     /* "mixed": a text layer and a large image or outlines too */
  KK_PAGE_EMPTY,     /* "empty": neither text, nor images, nor outlines */
} KkPageContent;

/* What one pass over a page saw besides its text (points, page frame of
 * the page as displayed, y downwards). */
typedef struct {
  double width, height;     /* the page */
  double image_area;        /* sum of the areas of drawn images, each
                               clipped to the page (overlaps count twice) */
  guint n_images;
  double image_box[4];      /* the largest image drawn: box (clipped) */
  int image_px[2];          /*   and its size in pixels */
  guint outline_contours;   /* closed, curved, glyph-sized contours of fills */
} KkPageInk;

/* Starts the record of a page of `width` x `height` points. */
void kk_page_ink_init(KkPageInk *ink, double width, double height);

/* An image of px_w x px_h pixels drawn into the parallelogram whose
 * corners are (x[i], y[i]) (device points). */
void kk_page_ink_add_image(KkPageInk *ink, const double x[4], const double y[4], int px_w, int px_h);

/* A closed contour of a filled path: its box (device points), how many
 * points it has and whether any piece is a curve.  Counted when it looks
 * like part of a glyph: curved or of many points, and between 1 and 72
 * points on its longer side. */
void kk_page_ink_add_contour(KkPageInk *ink, double x0, double y0, double x1, double y1, int n_points,
                             gboolean curved);

/* The page's kind from its glyph count and ink. */
KkPageContent kk_page_classify(guint n_glyphs, const KkPageInk *ink);

/* "text", "image", "outlined", "mixed", "empty". */
const char *kk_page_content_name(KkPageContent content);

/* Whether the page has no usable text layer and something OCR can read:
 * image or outlined. */
gboolean kk_page_content_needs_ocr(KkPageContent content);

G_END_DECLS

#endif
