/*
 * figures.c — grids that are charts or diagrams, not tables.
 *
 * Bar charts draw gridlines and bar edges; roadmap and flow diagrams draw
 * boxes; both look like ruled grids to grid.c, and their labels like
 * whitespace columns to unruled.c.  Their text does not sit in cells the
 * way a table's does:
 *   - words are cut by the walls: glyphs that touch each other (one word)
 *     fall into different cells, or glyphs lie across a wall, which a
 *     table's cell padding never lets happen;
 *   - most cells are empty, and what is filled holds only numbers (bar
 *     values, axis ticks) in a grid with many more columns than a table's
 *     text could fill; or one column of rows holds numbers only (a
 *     chart's gridlines);
 *   - cells hold three numbers or more far apart on one line and no word
 *     (the data labels of a line chart drawn in a frame);
 *   - whitespace columns hold numbers with hardly a word (axis ticks);
 *   - whitespace columns lie in separate tinted boxes side by side (a
 *     newsletter's category boxes, each a list of its own): a reader sees
 *     boxes, not the columns of one table.
 * Such a grid is reported as a figure (geom.h KkFigureKind) instead;
 * layout.c also makes one of a whitespace table next to a figure.
 */
#include "extract/geom.h"

#include <math.h>

/* Tinted boxes looked at over one whitespace table: more are the fills of
 * its own cells, not boxes of text. */
#define MAX_TABLE_PANELS 64
/* White between two boxes side by side (points): boxes that touch are
 * shaded columns of one table. */
#define PANEL_GUTTER 1.0

/* What counting the glyph rows of a table needs (kk_glyph_rows callback). */
typedef struct {
  const KkGlyph *glyphs;
  const gint *cell_of_glyph;   /* by glyph index */
  guint close_pairs, cut_pairs;
  guint scattered_rows;        /* rows where a cell holds three numbers
                                  side by side, far apart */
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
  /* three numbers or more far apart (over 2 em) in one cell on one line,
   * without a word among them: data labels scattered over a plot, not a
   * cell's text (a budget's 説明 column sets words beside its amounts) */
  guint from = 0;
  for (guint k = 1; k <= n; k++) {
    if (k < n && c->cell_of_glyph[row[k]] == c->cell_of_glyph[row[from]])
      continue;
    guint far = 0;
    gboolean words = FALSE;
    for (guint j = from; j < k && !words; j++) {
      const KkGlyph *b = &c->glyphs[row[j]];
      words = g_unichar_isalpha(b->ch);
      if (j > from) {
        const KkGlyph *a = &c->glyphs[row[j - 1]];
        far += b->box.x0 - a->box.x1 > 2 * MIN(glyph_height(a), glyph_height(b));
      }
    }
    if (!words && far >= 2)
      c->scattered_rows++;
    from = k;
  }
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
  g_autofree guint8 *row_text = g_new0(guint8, t->n_rows + 1);
  guint text_rows = 0;
  for (guint c = 0; c < n_cells; c++) {
    const KkCell *cell = &g_array_index(t->cells, KkCell, c);
    n_filled += (filled[c] & 1) != 0;
    n_text += (filled[c] & 2) != 0;
    if ((filled[c] & 2) && cell->row < t->n_rows && !row_text[cell->row]) {
      row_text[cell->row] = 1;
      text_rows++;
    }
  }
  gboolean numbers = letters * 5 < n; /* four in five glyphs digits or signs */
  if (!t->ruled)
    /* whitespace columns of numbers with hardly a word: axis ticks, data
     * labels (a table of figures has a label on its rows) */
    return numbers && n >= 8 && text_rows < 3 ? KK_FIGURE_NUMBERS : KK_FIGURE_NONE;
  /* words cut across walls, or glyphs lying across them (labels set over
   * a drawing's lines) */
  CutCount cc = { glyphs, cell_of_glyph, 0, 0, 0 };
  kk_glyph_rows(glyphs, members, n, sort_and_count, &cc);
  if (cc.cut_pairs >= 3 && cc.cut_pairs * 5 >= cc.close_pairs)
    return KK_FIGURE_CUT_WORDS;
  if (cc.scattered_rows >= 2)
    return KK_FIGURE_SCATTERED;
  guint across = 0;
  for (guint i = 0; i < n; i++) {
    gint c = cell_of_glyph[members[i]];
    if (c < 0 || (guint)c >= n_cells)
      continue;
    const KkBox *b = &glyphs[members[i]].box, *cb = &g_array_index(t->cells, KkCell, c).box;
    double w = 0.25 * (b->x1 - b->x0), h = 0.25 * (b->y1 - b->y0);
    across += b->x0 < cb->x0 - w || b->x1 > cb->x1 + w || b->y0 < cb->y0 - h || b->y1 > cb->y1 + h;
  }
  if (across >= 3 && across * 10 >= n)
    return KK_FIGURE_CUT_WORDS;
  /* the horizontal gridlines of a chart: one column of rows, numbers in
   * them */
  if (t->n_cols == 1 && (numbers || (t->n_rows >= 3 && n_filled * 3 <= n_cells)))
    return KK_FIGURE_NUMBERS;
  /* a grid at most a quarter filled, with numbers (a blank form has
   * labels); at most half filled, with numbers alone; at most 40 %
   * filled, almost only with numbers; or at most 60 %, with one word in
   * ten cells (a table has row labels or a header) */
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

KkFigureKind kk_table_panels_kind(const KkPageTable *t, const KkGlyph *glyphs, const guint *members, guint n,
                                  const gint *cell_of_glyph, const KkBox *panels, guint n_panels)
{
  if (t->ruled || n < 8 || n_panels < 2)
    return KK_FIGURE_NONE;
  guint near[MAX_TABLE_PANELS], nn = 0;
  for (guint k = 0; k < n_panels; k++) {
    const KkBox *p = &panels[k];
    if (p->x0 < t->box.x1 && t->box.x0 < p->x1 && p->y0 < t->box.y1 && t->box.y0 < p->y1) {
      if (nn == MAX_TABLE_PANELS)
        return KK_FIGURE_NONE;
      near[nn++] = k;
    }
  }
  if (nn < 2)
    return KK_FIGURE_NONE;
  /* each glyph to the smallest box its centre lies in; the rows of the
   * table each box holds text of */
  guint count[MAX_TABLE_PANELS] = { 0 }, inside = 0;
  guint rmin[MAX_TABLE_PANELS], rmax[MAX_TABLE_PANELS] = { 0 };
  for (guint j = 0; j < nn; j++)
    rmin[j] = G_MAXUINT;
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &glyphs[members[i]].box;
    double cx = (b->x0 + b->x1) / 2, cy = (b->y0 + b->y1) / 2, best_area = INFINITY;
    gint best = -1;
    for (guint j = 0; j < nn; j++) {
      const KkBox *p = &panels[near[j]];
      double area = (p->x1 - p->x0) * (p->y1 - p->y0);
      if (p->x0 <= cx && cx <= p->x1 && p->y0 <= cy && cy <= p->y1 && area < best_area) {
        best = (gint)j;
        best_area = area;
      }
    }
    gint c = cell_of_glyph[members[i]];
    if (best < 0 || c < 0 || (guint)c >= t->cells->len)
      continue;
    guint row = g_array_index(t->cells, KkCell, c).row;
    inside++;
    count[best]++;
    rmin[best] = MIN(rmin[best], row);
    rmax[best] = MAX(rmax[best], row);
  }
  if (inside * 20 < n * 19)
    return KK_FIGURE_NONE; /* text outside the boxes: a table with shaded parts */
  /* two boxes side by side, white between them, each holding a fifth of
   * the text over two rows or more (a cell's own fill holds one row) */
  for (guint a = 0; a < nn; a++) {
    if (count[a] * 5 < n || rmax[a] <= rmin[a])
      continue;
    for (guint b = a + 1; b < nn; b++) {
      if (count[b] * 5 < n || rmax[b] <= rmin[b])
        continue;
      const KkBox *p = &panels[near[a]], *q = &panels[near[b]];
      gboolean apart = q->x0 - p->x1 >= PANEL_GUTTER || p->x0 - q->x1 >= PANEL_GUTTER;
      if (apart && MIN(p->y1, q->y1) > MAX(p->y0, q->y0))
        return KK_FIGURE_PANELS;
    }
  }
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
  case KK_FIGURE_SCATTERED:
    return "numbers scattered in its cells";
  case KK_FIGURE_PANELS:
    return "text set in separate boxes side by side";
  case KK_FIGURE_NONE:
  default:
    return "table";
  }
}
