/*
 * classify.c — a page's kind from what its pass saw (see classify.h).
 *
 * Thresholds, and why:
 *   - Images count when together they cover at least a quarter of the page:
 *     logos, photos and stamps on a text page are smaller; a scan covers
 *     the whole page, a scan pasted into a typed page at least a large part.
 *   - Outlined text is at least OUTLINE_MIN glyph-like contours: a CJK
 *     glyph has one to a dozen closed contours, so a few lines of text make
 *     hundreds, while icons, logos and chart markers on a text page make
 *     tens.  A contour is glyph-like when it is curved (or a polygon of
 *     many points — some gothic outlines are straight) and 1..72 pt on its
 *     longer side: rectangles (cell shading, rulings) and page-wide shapes
 *     are not.
 */
#include "extract/classify.h"

#include <math.h>
#include <string.h>

#define IMAGE_MIN_COVER 0.25
#define OUTLINE_MIN 200
#define CONTOUR_MIN_PT 1.0
#define CONTOUR_MAX_PT 72.0
#define CONTOUR_MIN_POINTS 8

void kk_page_ink_init(KkPageInk *ink, double width, double height)
{
  memset(ink, 0, sizeof *ink);
  ink->width = width;
  ink->height = height;
}

void kk_page_ink_add_image(KkPageInk *ink, const double x[4], const double y[4], int px_w, int px_h)
{
  double x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
  for (int i = 1; i < 4; i++) {
    if (!(isfinite(x[i]) && isfinite(y[i])))
      return;
    x0 = MIN(x0, x[i]);
    x1 = MAX(x1, x[i]);
    y0 = MIN(y0, y[i]);
    y1 = MAX(y1, y[i]);
  }
  if (!(isfinite(x0) && isfinite(y0)))
    return;
  x0 = CLAMP(x0, 0.0, ink->width);
  x1 = CLAMP(x1, 0.0, ink->width);
  y0 = CLAMP(y0, 0.0, ink->height);
  y1 = CLAMP(y1, 0.0, ink->height);
  double area = (x1 - x0) * (y1 - y0);
  if (!(area > 0))
    return;
  ink->n_images++;
  double largest = (ink->image_box[2] - ink->image_box[0]) * (ink->image_box[3] - ink->image_box[1]);
  if (area > largest) {
    ink->image_box[0] = x0;
    ink->image_box[1] = y0;
    ink->image_box[2] = x1;
    ink->image_box[3] = y1;
    ink->image_px[0] = px_w;
    ink->image_px[1] = px_h;
  }
  ink->image_area += area;
}

void kk_page_ink_add_contour(KkPageInk *ink, double x0, double y0, double x1, double y1, int n_points,
                             gboolean curved)
{
  double w = fabs(x1 - x0), h = fabs(y1 - y0), longer = MAX(w, h);
  if (!(longer >= CONTOUR_MIN_PT && longer <= CONTOUR_MAX_PT))
    return;
  if (!curved && n_points < CONTOUR_MIN_POINTS)
    return;
  if (ink->outline_contours < G_MAXUINT)
    ink->outline_contours++;
}

KkPageContent kk_page_classify(guint n_glyphs, const KkPageInk *ink)
{
  double page = ink->width * ink->height;
  gboolean images = page > 0 && ink->image_area >= IMAGE_MIN_COVER * page;
  gboolean outlines = ink->outline_contours >= OUTLINE_MIN;
  if (n_glyphs > 0)
    return images || outlines ? KK_PAGE_MIXED : KK_PAGE_TEXT;
  if (outlines)
    return KK_PAGE_OUTLINED;
  if (images)
    return KK_PAGE_IMAGE;
  return KK_PAGE_EMPTY;
}

const char *kk_page_content_name(KkPageContent content)
{
  switch (content) {
  case KK_PAGE_TEXT: return "text";
  case KK_PAGE_IMAGE: return "image";
  case KK_PAGE_OUTLINED: return "outlined";
  case KK_PAGE_MIXED: return "mixed";
  case KK_PAGE_EMPTY: return "empty";
  }
  return "unknown";
}

gboolean kk_page_content_needs_ocr(KkPageContent content)
{
  return content == KK_PAGE_IMAGE || content == KK_PAGE_OUTLINED;
}
