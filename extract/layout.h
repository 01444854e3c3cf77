/*
 * layout.h — one page put together: glyphs + rulings -> tables and lines
 * in reading order.  Pure geometry (no Poppler), so whole pages can be
 * unit-tested from synthetic glyphs and segments.
 */
#ifndef KK_EXTRACT_LAYOUT_H
#define KK_EXTRACT_LAYOUT_H

#include "extract/geom.h"

G_BEGIN_DECLS

typedef struct {
  double width, height;
  GArray *glyphs;     /* KkGlyph, filled by the caller */
  GPtrArray *fonts;   /* font names (char*), indexed by KkGlyph.font */
  GArray *panels;     /* KkBox: tinted boxes text is set on, filled by the
                         caller (may stay empty) */
  /* results of kk_layout_build() */
  GArray *lines;      /* KkLine, in reading order */
  GPtrArray *tables;  /* KkPageTable, in reading order */
  GString *pool;      /* text of the lines */
  GArray *figures;    /* KkFigure: grids refused as tables, top to bottom */
} KkLayout;

KkLayout *kk_layout_new(double width, double height);
void kk_layout_free(KkLayout *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkLayout, kk_layout_free)

/* Index of font `name` in layout->fonts, adding it if new (at most 65535
 * fonts; later ones share the last index). */
guint16 kk_layout_font(KkLayout *layout, const char *name);

/* Builds tables (from the ruling segments, in points; both arrays are
 * merged in place) and lines from layout->glyphs.  `find_unruled` enables
 * whitespace-aligned tables. */
void kk_layout_build(KkLayout *layout, GArray *hsegs, GArray *vsegs, gboolean find_unruled);

/* Sets continued_from_previous/header_rows of the page's tables given what
 * the previous page left in `sig`, then stores this page's last table in
 * `sig` (or clears it when the page has none). */
void kk_layout_link_tables(KkLayout *layout, KkPageTableSig *sig);

/* Median font size of the page's glyphs (10 when there are none). */
double kk_layout_median_size(const KkLayout *layout);

G_END_DECLS

#endif
