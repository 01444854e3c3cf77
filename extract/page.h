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

/* Renders the page at `scale` pixels per point (lowered so the picture has
 * at most `max_pixels`) and appends its ruling segments, in points, to
 * `hsegs`/`vsegs`.  Returns FALSE (nothing appended that matters) when the
 * page cannot be searched for rulings: too large, or too noisy. */
gboolean kk_page_find_rulings(PopplerPage *page, const KkLayout *layout, double scale,
                              guint64 max_pixels, GArray *hsegs, GArray *vsegs);

G_END_DECLS

#endif
