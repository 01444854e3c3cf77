/*
 * page.h — the Poppler side of extract: glyphs and rulings of one page.
 */
#ifndef KK_EXTRACT_PAGE_H
#define KK_EXTRACT_PAGE_H

#include <poppler.h>
#include "extract/layout.h"

G_BEGIN_DECLS

/* Appends the page's glyphs (spaces and line breaks left out: lines are
 * rebuilt from geometry) with their font to layout->glyphs, calling
 * Poppler's text, layout and attribute functions once each.  Fails with
 * KK_ERROR_LIMIT when the page has more than `max_glyphs` glyphs. */
gboolean kk_page_read_glyphs(PopplerPage *page, guint page_no, guint max_glyphs,
                             KkLayout *layout, GError **error);

/* The page rendered in grey levels (0 = black), `scale` pixels per point. */
typedef struct {
  guint8 *gray;
  guint w, h;
  double scale;
} KkRender;

/* Renders the page (w_pt × h_pt points) at `scale` pixels per point,
 * lowered so the picture has at most `max_pixels`; NULL when it cannot
 * (a page too large to see rulings on).  Rendering also leaves Poppler's
 * text of the page behind, so reading the glyphs afterwards does not parse
 * the page a second time. */
KkRender *kk_page_render(PopplerPage *page, double w_pt, double h_pt, double scale, guint64 max_pixels);
void kk_render_free(KkRender *render);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkRender, kk_render_free)

/* Appends the ruling segments (in points) of the rendered page to
 * `hsegs`/`vsegs`, ignoring strokes inside the layout's glyphs.  FALSE when
 * the page is too noisy to hold rulings. */
gboolean kk_page_rulings(const KkRender *render, const KkLayout *layout, GArray *hsegs, GArray *vsegs);

/* Pages whose text runs down (on a page shown turned by /Rotate) or up the
 * displayed page are read in the frame where their text runs left to
 * right: glyph boxes, the layout's size and the rendered picture are turned
 * in place.  Returns the turn applied (0, 90 or 270 degrees). */
int kk_page_make_upright(KkLayout *layout, KkRender **render, gboolean page_turned);

G_END_DECLS

#endif
