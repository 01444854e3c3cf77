/*
 * page.h — fixes to one page as Poppler's core read it (pdf-core.h).
 */
#ifndef KK_EXTRACT_PAGE_H
#define KK_EXTRACT_PAGE_H

#include "extract/layout.h"

G_BEGIN_DECLS

/* Flags KK_GLYPH_VERTICAL on the glyphs of each of Poppler's lines
 * (KkGlyph.pline) whose steps mostly go down the page (縦書き), on a grid
 * of upright columns set as close as letters when its glyphs side by side
 * lie farther apart than down the columns (LibreOffice Writer), and on
 * columns of upright glyphs that a font without vertical mode set one by
 * one down the page (three or more narrow glyph runs, mostly CJK, stacked
 * with touching boxes at one character's pitch on one axis; 縦中横 digits
 * count as one run); each such column gets a Poppler line number of its
 * own, above those in use.  Then a Poppler vertical line holding several
 * columns is split (glyphs in it that do not run down are cleared), and
 * 縦中横 digits that Poppler read as horizontal words beside a vertical
 * line join it (flagged KK_GLYPH_ACROSS), the pieces of one column joined
 * into one line (pieces at most an ideographic space apart). */
void kk_glyphs_mark_vertical(KkGlyph *glyphs, guint n);

/* Splits the vertical lines of `g` (glyphs flagged KK_GLYPH_VERTICAL, one
 * line per Poppler line number) where a horizontal ruling of `hsegs`
 * (KkSeg, merged) runs across the column between two glyphs: rules
 * between the tiers (段) of vertical text, which Poppler's lines and the
 * joins of kk_glyphs_mark_vertical() cross when the tiers lie a little
 * more than an em apart.  Each lower piece gets a line number of its own,
 * above those in use. */
void kk_glyphs_split_at_rules(KkGlyph *g, guint n, const GArray *hsegs);

/* Pages whose text runs down (on a page shown turned by /Rotate) or up the
 * displayed page are read in the frame where their text runs left to
 * right: glyph boxes, the layout's size and the ruling segments (`hsegs`
 * and `vsegs`, KkSeg) are turned in place.  Returns the turn applied (0,
 * 90 or 270 degrees). */
int kk_page_make_upright(KkLayout *layout, GArray *hsegs, GArray *vsegs, gboolean page_turned);

G_END_DECLS

#endif
