/*
 * cards.h — label/value cards without rules, found from glyph geometry.
 *
 * A card (カード, 事業シート) sets one item as rows of a label and its
 * value: 所管部署 | 広報課, 現状と課題 | two lines of text, ….  Ruled, its
 * cells come from the rulings (grid.c); set without rules, only the white
 * shows them: a column of short labels at the left, each with its value
 * starting on its baseline after a clear gap, the value's further lines
 * under it.  The whitespace-table finder (unruled.c) needs columns that
 * stay white in three rows, which a card's running text does not leave,
 * and a two-row schedule (年度 | 令和5年度 …; 取組内容 | …) cannot give.
 */
#ifndef KK_EXTRACT_CARDS_H
#define KK_EXTRACT_CARDS_H

#include "extract/geom.h"

G_BEGIN_DECLS

/* Finds the label/value cards among the horizontal glyphs idx[0..n) of
 * `glyphs` and appends them to `tables` (ruled = FALSE, cells with empty
 * text: the caller puts glyphs into them; a value runs over the columns
 * its row does not use, as a ruled card's merged cells do).  The indices
 * of the glyphs of the cards' rows are taken out of `idx`: the others are
 * moved to its front, in their order, and their count is returned, for
 * the whitespace-table finder to look at.  A block whose value columns
 * line up in three rows or more without any row running across them is
 * a plain table and left to that finder.  Linear in n but for sorting. */
guint kk_cards_detect(const KkGlyph *glyphs, guint *idx, guint n, GPtrArray *tables);

G_END_DECLS

#endif
