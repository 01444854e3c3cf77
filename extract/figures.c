/*
 * figures.c — grids that are charts or diagrams, not tables.
 *
 * Bar charts draw gridlines and bar edges; roadmap and flow diagrams draw
 * boxes; both look like ruled grids to grid.c, and their labels like
 * whitespace columns to unruled.c.  Their text does not sit in cells the
 * way a table's does:
 *   - words are cut by the walls: glyphs that touch each other (one word)
 *     fall into different cells, which a table's cell padding never lets
 *     happen;
 *   - most cells are empty, and what is filled holds only numbers (bar
 *     values, axis ticks) in a grid with many more columns than a table's
 *     text could fill.
 * Such a grid is reported as a figure (geom.h KkFigureKind) instead.
 */
#include "extract/geom.h"

#include <math.h>

/* What counting the glyph rows of a table needs (kk_glyph_rows callback). */
typedef struct {
  const KkGlyph *glyphs;
  const gint *cell_of_glyph;   /* by glyph index */
  guint close_pairs, cut_pairs;
} CutCount;

static double glyph_height(const KkGlyph *g)
{
  double h = g->box.y1 - g->box.y0;
  return g->size > 0.5f ? g->size : (h > 0.5 ? h : 1.0);
}

/* Counts, in one row of glyphs sorted left to right, neighbours that touch
 * (white under 0.1 em) and those of them that lie in different cells. */
static void count_cuts(guint *row, guint n, gpointer user_data)
{
  CutCount *c = user_data;
  for (guint k = 1; k < n; k++) {
    const KkGlyph *a = &c->glyphs[row[k - 1]], *b = &c->glyphs[row[k]];
    double em = MIN(glyph_height(a), glyph_height(b));
    double gap = b->box.x0 - a->box.x1;
    if (gap < -0.5 * em || gap > 0.1 * em)
      continue;
    c->close_pairs++;
    if (c->cell_of_glyph[row[k]] != c->cell_of_glyph[row[k - 1]])
      c->cut_pairs++;
  }
}

/* g_qsort_with_data(): glyph indices left to right. */
static int cmp_glyph_x(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *g = glyphs;
  double x = g[*(const guint *)a].box.x0, y = g[*(const guint *)b].box.x0;
  return x < y ? -1 : x > y;
}

/* kk_glyph_rows() callback: sorts the row by x, then counts. */
static void sort_and_count(guint *row, guint n, gpointer user_data)
{
  CutCount *c = user_data;
  g_qsort_with_data(row, (gint)n, sizeof row[0], cmp_glyph_x, (gpointer)c->glyphs);
  count_cuts(row, n, c);
}

KkFigureKind kk_table_figure_kind(const KkPageTable *t, const KkGlyph *glyphs,
                                  guint *members, guint n, const gint *cell_of_glyph)
{
  if (t->cells->len < 2 || n == 0)
    return KK_FIGURE_NONE;
  /* filled cells, those holding a letter, and letters among the glyphs */
  g_autofree guint8 *filled = g_new0(guint8, t->cells->len);
  guint letters = 0;
  for (guint i = 0; i < n; i++) {
    gint c = cell_of_glyph[members[i]];
    gboolean letter = g_unichar_isalpha(glyphs[members[i]].ch);
    letters += letter;
    if (c >= 0 && (guint)c < t->cells->len)
      filled[c] |= letter ? 3 : 1;
  }
  guint n_filled = 0, n_text = 0, n_cells = t->cells->len;
  for (guint c = 0; c < n_cells; c++) {
    n_filled += (filled[c] & 1) != 0;
    n_text += (filled[c] & 2) != 0;
  }
  gboolean numbers = letters * 5 < n; /* four in five glyphs digits or signs */
  if (!t->ruled)
    /* whitespace columns of numbers alone: axis ticks, data labels (a
     * table has row labels or a header) */
    return numbers && n >= 8 ? KK_FIGURE_NUMBERS : KK_FIGURE_NONE;
  /* words cut across walls */
  CutCount cc = { glyphs, cell_of_glyph, 0, 0 };
  kk_glyph_rows(glyphs, members, n, sort_and_count, &cc);
  if (cc.cut_pairs >= 3 && cc.cut_pairs * 5 >= cc.close_pairs)
    return KK_FIGURE_CUT_WORDS;
  /* the horizontal gridlines of a chart: one column of rows, numbers in
   * them */
  if (t->n_cols == 1 && (numbers || (t->n_rows >= 3 && n_filled * 3 <= n_cells)))
    return KK_FIGURE_NUMBERS;
  /* a grid at most a quarter filled, with numbers (a blank form has
   * labels), at most half filled with numbers alone, at most 40 % filled almost only with numbers, or at most 60 %
   * with numbers alone (a table has row labels or a header) */
  if (n_cells >= 8 && n_filled * 4 <= n_cells && n_text * 2 <= n_filled)
    return KK_FIGURE_SPARSE;
  if (n_filled * 2 <= n_cells && n_text == 0)
    return KK_FIGURE_SPARSE;
  if (n_cells >= 12 && n_filled * 5 <= n_cells * 2 && n_text * 5 <= n_filled)
    return KK_FIGURE_SPARSE;
  if (n_cells >= 12 && n_filled * 5 <= n_cells * 3 && n_text * 10 <= n_filled)
    return KK_FIGURE_SPARSE;
  return KK_FIGURE_NONE;
}

const char *kk_figure_kind_name(KkFigureKind kind)
{
  switch (kind) {
  case KK_FIGURE_CUT_WORDS:
    return "words cut by its rules";
  case KK_FIGURE_SPARSE:
    return "mostly empty grid of numbers";
  case KK_FIGURE_NUMBERS:
    return "gridlines or columns of numbers only";
  case KK_FIGURE_LABELS:
    return "labels beside a figure";
  case KK_FIGURE_NONE:
  default:
    return "table";
  }
}
