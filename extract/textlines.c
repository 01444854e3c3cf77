/*
 * textlines.c — glyphs -> text lines (reading order: reading-order.c).
 *
 * Poppler's own text (poppler_page_get_text) puts a space wherever two
 * glyphs are a little apart, which breaks Japanese words that justified or
 * letter-spaced lines spread out.  So lines are rebuilt here from glyph
 * boxes alone: glyphs are grouped into rows by vertical overlap, a row is cut
 * into lines at wide gaps, and a space is written only where the gap is
 * clearly wider than the line's usual spacing.
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void kk_line_params_default(KkLineParams *p)
{
  p->split_gap = 1.5;
  p->latin_space = 0.12;
  p->cjk_space = 0.25;
}

gboolean kk_is_cjk(gunichar c)
{
  return (c >= 0x2E80 && c <= 0x9FFF)     /* radicals, kana, CJK symbols, ideographs */
      || (c >= 0xF900 && c <= 0xFAFF)     /* compatibility ideographs */
      || (c >= 0xFE30 && c <= 0xFE4F)     /* vertical forms */
      || (c >= 0xFF00 && c <= 0xFFEF)     /* full- and half-width forms */
      || (c >= 0x20000 && c <= 0x3FFFF);  /* supplementary ideographs */
}

double kk_glyph_size(const KkGlyph *g)
{
  double h = g->box.y1 - g->box.y0;
  if (g->size > 0.5f && g->size < 2000.0f)
    return g->size;
  return h > 0.5 ? h : 1.0;
}

/* g_qsort_with_data() comparators of glyph indices (user data: the glyphs). */
static int cmp_glyph_yc(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *sort_glyphs = glyphs;
  const KkBox *p = &sort_glyphs[*(const guint *)a].box, *q = &sort_glyphs[*(const guint *)b].box;
  double ya = p->y0 + p->y1, yb = q->y0 + q->y1;
  if (ya != yb)
    return ya < yb ? -1 : 1;
  return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

static int cmp_glyph_x(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *sort_glyphs = glyphs;
  const KkBox *p = &sort_glyphs[*(const guint *)a].box, *q = &sort_glyphs[*(const guint *)b].box;
  if (p->x0 != q->x0)
    return p->x0 < q->x0 ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

static int cmp_glyph_y(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *sort_glyphs = glyphs;
  const KkBox *p = &sort_glyphs[*(const guint *)a].box, *q = &sort_glyphs[*(const guint *)b].box;
  if (p->y0 != q->y0)
    return p->y0 < q->y0 ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Where a vertical glyph stands down its column: its top, raised by 0.4
 * of its height for 縦中横 glyphs, whose horizontal boxes Poppler puts
 * level with the vertical glyph that follows them. */
static double column_pos(const KkGlyph *g)
{
  double y = g->box.y0;
  return g->flags & KK_GLYPH_ACROSS ? y - 0.4 * (g->box.y1 - g->box.y0) : y;
}

/* Vertical glyphs by Poppler line, then down the column. */
static int cmp_glyph_pline_y(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *sort_glyphs = glyphs;
  const KkGlyph *p = &sort_glyphs[*(const guint *)a], *q = &sort_glyphs[*(const guint *)b];
  if (p->pline != q->pline)
    return p->pline < q->pline ? -1 : 1;
  double y = column_pos(p), z = column_pos(q);
  if (y != z)
    return y < z ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Sorts the glyph indices idx[0..n) stably by `cmp` (user data: the
 * glyphs).  Indices already in order, as a cell's glyphs or a row's often
 * come, are left as they are after one pass: a stable sort would not move
 * them either. */
static void sort_glyph_indices(guint *idx, guint n, GCompareDataFunc cmp, const KkGlyph *glyphs)
{
  for (guint i = 1; i < n; i++)
    if (cmp(&idx[i - 1], &idx[i], (gpointer)glyphs) > 0) {
      g_qsort_with_data(idx, (gint)n, sizeof idx[0], cmp, (gpointer)glyphs);
      return;
    }
}


static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* True when glyph b repeats glyph a at (almost) the same place: producers
 * fake bold by drawing a glyph twice with a small offset. */
static gboolean is_duplicate(const KkGlyph *a, const KkGlyph *b)
{
  if (a->ch != b->ch)
    return FALSE;
  double w = MAX(a->box.x1 - a->box.x0, 1.0), h = MAX(a->box.y1 - a->box.y0, 1.0);
  return fabs(a->box.x0 - b->box.x0) < 0.3 * w && fabs(a->box.y0 - b->box.y0) < 0.3 * h;
}

/* Appends one line made of glyphs `idx[0..n)` (already in reading order,
 * along x for horizontal lines, along y for vertical ones).  `spread` is
 * the letter spacing of a letter-spaced word that was joined over wide
 * gaps (no space is written up to it), or < 0 to take the line's usual
 * CJK spacing as it. */
static void emit_line(const KkGlyph *glyphs, const guint *idx, guint n, gboolean vertical,
                      double spread, const KkLineParams *p, gint table, gint cell,
                      GArray *lines, GString *pool)
{
  if (n == 0)
    return;
  KkLine line = { .box = glyphs[idx[0]].box, .vertical = vertical, .table = table, .cell = cell };
  /* The usual CJK gap of this line: justified text spreads every glyph. */
  double usual = MAX(spread, 0.0);
  if (!vertical && n > 2 && spread < 0) {
    double small[64];
    guint k = 0;
    for (guint i = 1; i < n && k < G_N_ELEMENTS(small); i++) {
      const KkGlyph *a = &glyphs[idx[i - 1]], *b = &glyphs[idx[i]];
      if (kk_is_cjk(a->ch) && kk_is_cjk(b->ch))
        small[k++] = b->box.x0 - a->box.x1;
    }
    if (k > 0) {
      qsort(small, k, sizeof small[0], cmp_double);
      usual = MAX(0.0, small[k / 2]);
    }
  }
  line.text_off = (guint)pool->len;
  /* size and font: those of most glyphs (a line rarely mixes many) */
  struct { float size; guint16 font; guint count; } seen[8];
  guint n_seen = 0;
  for (guint i = 0; i < n; i++) {
    const KkGlyph *g = &glyphs[idx[i]];
    if (i > 0) {
      const KkGlyph *a = &glyphs[idx[i - 1]];
      line.box.x0 = MIN(line.box.x0, g->box.x0);
      line.box.y0 = MIN(line.box.y0, g->box.y0);
      line.box.x1 = MAX(line.box.x1, g->box.x1);
      line.box.y1 = MAX(line.box.y1, g->box.y1);
      if (!vertical) {
        double em = MAX(kk_glyph_size(a), kk_glyph_size(g));
        double gap = g->box.x0 - a->box.x1;
        gboolean cjk = kk_is_cjk(a->ch) || kk_is_cjk(g->ch);
        if ((!cjk && gap > p->latin_space * em) || (cjk && gap > usual + p->cjk_space * em))
          g_string_append_c(pool, ' ');
      }
    }
    g_string_append_unichar(pool, g->ch);
    guint s;
    for (s = 0; s < n_seen; s++)
      if (seen[s].size == g->size && seen[s].font == g->font)
        break;
    if (s < n_seen)
      seen[s].count++;
    else if (n_seen < G_N_ELEMENTS(seen))
      seen[n_seen++] = (typeof(seen[0])){ g->size, g->font, 1 };
  }
  guint best = 0;
  for (guint s = 1; s < n_seen; s++)
    if (seen[s].count > seen[best].count)
      best = s;
  line.size = n_seen ? seen[best].size : 0.0f;
  if (line.size <= 0.0f)
    line.size = (float)(vertical ? line.box.x1 - line.box.x0 : line.box.y1 - line.box.y0);
  line.font = n_seen ? seen[best].font : 0;
  line.text_len = (guint)pool->len - line.text_off;
  g_array_append_val(lines, line);
}

/* True for a glyph that can be one letter of a letter-spaced (均等割付)
 * word: a CJK letter, not a digit or a symbol. */
static gboolean spread_letter(gunichar c)
{
  return kk_is_cjk(c) && g_unichar_isalpha(c);
}

/* True when the lone glyphs a and b (left to right) can be neighbours in
 * one letter-spaced word: same size, same baseline band. */
static gboolean spread_pair(const KkGlyph *a, const KkGlyph *b)
{
  double sa = kk_glyph_size(a), sb = kk_glyph_size(b);
  double ya = (a->box.y0 + a->box.y1) / 2, yb = (b->box.y0 + b->box.y1) / 2;
  return spread_letter(a->ch) && spread_letter(b->ch) && fabs(sa - sb) <= 0.1 * MAX(sa, sb) &&
         fabs(ya - yb) <= 0.25 * MAX(sa, sb);
}

/* Decides which neighbouring pieces of a row (cut at wide gaps; piece k is
 * row[starts[k] .. starts[k + 1])) are one letter-spaced word: a run of
 * lone CJK letters of one size whose gaps are all equal is a word spread
 * over its box (均等割付 headings in table cells).  In a cell any width
 * goes; outside cells two letters at most 3 em apart, more letters at most
 * 8 em.  Sets join[k] when piece k continues into piece k + 1 and returns
 * in spread[k] the letter spacing of the word piece k starts. */
static void join_spread_pieces(const KkGlyph *glyphs, const guint *row, const guint *starts, guint np,
                               gboolean in_cell, gboolean *join, double *spread)
{
  guint k = 0;
  while (k < np) {
    spread[k] = -1;
    if (starts[k + 1] - starts[k] != 1 || k + 1 >= np) {
      k++;
      continue;
    }
    const KkGlyph *first = &glyphs[row[starts[k]]];
    double em = kk_glyph_size(first);
    double gap0 = glyphs[row[starts[k + 1]]].box.x0 - first->box.x1;
    double tol = MAX(0.1 * em, 0.05 * gap0);
    guint j = k;
    while (j + 1 < np && starts[j + 2] - starts[j + 1] == 1) {
      const KkGlyph *a = &glyphs[row[starts[j]]], *b = &glyphs[row[starts[j + 1]]];
      if (!spread_pair(a, b) || fabs(b->box.x0 - a->box.x1 - gap0) > tol)
        break;
      j++;
    }
    guint letters = j - k + 1;
    gboolean word = letters >= 2 &&
                    (in_cell || gap0 <= (letters == 2 ? 3.0 : 8.0) * em);
    if (!word) {
      k++;
      continue;
    }
    spread[k] = gap0 + tol;
    for (guint i = k; i < j; i++)
      join[i] = TRUE;
    k = j + 1;
  }
}

/* True when glyphs of `row[0..n)` (sorted by x) stand over one another:
 * two rows of different baselines that a tall glyph elsewhere on the page
 * banded together. */
static gboolean row_is_stacked(const KkGlyph *glyphs, const guint *row, guint n)
{
  for (guint i = 1; i < n; i++) {
    const KkBox *a = &glyphs[row[i - 1]].box, *b = &glyphs[row[i]].box;
    double narrow = MIN(a->x1 - a->x0, b->x1 - b->x0);
    double over = MIN(a->x1, b->x1) - MAX(a->x0, b->x0);
    double low = MIN(a->y1 - a->y0, b->y1 - b->y0);
    if (narrow > 0 && over > 0.5 * narrow && fabs((a->y0 + a->y1) - (b->y0 + b->y1)) / 2 > 0.3 * low)
      return TRUE;
  }
  return FALSE;
}

/* What build_row() needs besides the row, for kk_glyph_rows(). */
typedef struct {
  const KkGlyph *glyphs;
  const KkLineParams *params;
  gint table, cell;
  GArray *lines;
  GString *pool;
  gboolean rebanded; /* the row is a piece banded again on its own */
} RowsToLines;

static void rows_to_lines(guint *row, guint n, gpointer user_data);

/* Builds the horizontal lines of one row (glyphs sorted by x here): cut at
 * gaps wider than split_gap em, except inside a letter-spaced word. */
static void build_row(RowsToLines *c, guint *row, guint n)
{
  const KkGlyph *glyphs = c->glyphs;
  const KkLineParams *p = c->params;
  sort_glyph_indices(row, n, cmp_glyph_x, glyphs);
  /* drop repeated glyphs in place */
  guint kept = 0;
  for (guint i = 0; i < n; i++) {
    gboolean dup = FALSE;
    for (guint j = kept; j > 0 && j + 3 > kept; j--)
      if (is_duplicate(&glyphs[row[j - 1]], &glyphs[row[i]])) {
        dup = TRUE;
        break;
      }
    if (!dup)
      row[kept++] = row[i];
  }
  if (kept == 0)
    return;
  /* pieces between wide gaps */
  g_autofree guint *starts = g_new(guint, kept + 1);
  guint np = 0;
  double right = glyphs[row[0]].box.x1;
  starts[np++] = 0;
  for (guint i = 1; i < kept; i++) {
    const KkGlyph *a = &glyphs[row[i - 1]], *g = &glyphs[row[i]];
    double em = MAX(kk_glyph_size(a), kk_glyph_size(g));
    if (g->box.x0 - right > p->split_gap * em)
      starts[np++] = i;
    right = MAX(right, g->box.x1);
  }
  starts[np] = kept;
  g_autofree gboolean *join = g_new0(gboolean, np);
  g_autofree double *spread = g_new(double, np);
  join_spread_pieces(glyphs, row, starts, np, c->table >= 0, join, spread);
  for (guint k = 0; k < np;) {
    guint last = k;
    while (last + 1 < np && join[last])
      last++;
    guint from = starts[k], cnt = starts[last + 1] - from;
    if (!c->rebanded && last == k && cnt > 1 && np > 1 && row_is_stacked(glyphs, row + from, cnt)) {
      RowsToLines again = *c;
      again.rebanded = TRUE;
      kk_glyph_rows(glyphs, row + from, cnt, rows_to_lines, &again);
    } else {
      emit_line(glyphs, row + from, cnt, FALSE, last > k ? spread[k] : -1.0, p, c->table, c->cell,
                c->lines, c->pool);
    }
    k = last + 1;
  }
}

static void rows_to_lines(guint *row, guint n, gpointer user_data)
{
  build_row(user_data, row, n);
}

void kk_glyph_rows(const KkGlyph *glyphs, guint *idx, guint n, KkRowFunc each, gpointer user_data)
{
  sort_glyph_indices(idx, n, cmp_glyph_yc, glyphs);
  guint start = 0;
  double top = 0, bottom = 0;
  for (guint i = 0; i <= n; i++) {
    if (i < n) {
      const KkBox *b = &glyphs[idx[i]].box;
      if (i == start) {
        top = b->y0;
        bottom = b->y1;
        continue;
      }
      double h = MAX(b->y1 - b->y0, 0.1), rh = MAX(bottom - top, 0.1);
      double overlap = MIN(b->y1, bottom) - MAX(b->y0, top);
      if (overlap >= 0.5 * MIN(h, rh)) {
        if (h > rh) { /* the row's band is its tallest glyph */
          top = b->y0;
          bottom = b->y1;
        }
        continue;
      }
    }
    if (i > start)
      each(idx + start, i - start, user_data);
    start = i;
    if (i < n) {
      top = glyphs[idx[i]].box.y0;
      bottom = glyphs[idx[i]].box.y1;
    }
  }
}

/* True when the glyphs `idx[0..n)` of one table cell stand in a single
 * column, one CJK letter a row, centred on one axis: a heading set
 * vertically (本⏎年⏎度, letter-spaced 比⏎較, names in a vote table). */
static gboolean cell_is_column(const KkGlyph *glyphs, guint *idx, guint n)
{
  sort_glyph_indices(idx, n, cmp_glyph_y, glyphs);
  for (guint i = 0; i < n; i++) {
    const KkGlyph *g = &glyphs[idx[i]];
    if (!spread_letter(g->ch))
      return FALSE;
    if (i == 0)
      continue;
    const KkGlyph *a = &glyphs[idx[i - 1]];
    double em = MAX(kk_glyph_size(a), kk_glyph_size(g));
    double over = MIN(a->box.y1, g->box.y1) - MAX(a->box.y0, g->box.y0);
    double low = MIN(a->box.y1 - a->box.y0, g->box.y1 - g->box.y0);
    if (over >= 0.5 * low || fabs(a->box.x0 + a->box.x1 - g->box.x0 - g->box.x1) / 2 > 0.3 * em)
      return FALSE; /* two glyphs on one row, or off the axis */
  }
  return TRUE;
}

void kk_lines_build(const KkGlyph *glyphs, guint *idx, guint n,
                    const KkLineParams *params, gint table, gint cell,
                    GArray *lines, GString *pool)
{
  KkLineParams defaults;
  if (params == NULL) {
    kk_line_params_default(&defaults);
    params = &defaults;
  }
  if (n == 0)
    return;
  /* Vertical glyphs first: Poppler already grouped them into lines. */
  guint n_h = 0;
  g_autoptr(GArray) vlines = g_array_new(FALSE, FALSE, sizeof(KkLine));
  g_autofree guint *vert = g_new(guint, n);
  guint n_v = 0;
  for (guint i = 0; i < n; i++) {
    if (glyphs[idx[i]].flags & KK_GLYPH_VERTICAL)
      vert[n_v++] = idx[i];
    else
      idx[n_h++] = idx[i];
  }

  if (table >= 0 && n_h >= 2 && n_v == 0 && cell_is_column(glyphs, idx, n_h)) {
    /* vertical text in a cell, one glyph a row: one vertical line */
    sort_glyph_indices(idx, n_h, cmp_glyph_y, glyphs);
    emit_line(glyphs, idx, n_h, TRUE, -1.0, params, table, cell, lines, pool);
    return;
  }
  RowsToLines ctx = { glyphs, params, table, cell, lines, pool, FALSE };
  kk_glyph_rows(glyphs, idx, n_h, rows_to_lines, &ctx);

  /* Vertical lines: one per Poppler line, glyphs top to bottom, lines right
   * to left. */
  if (n_v > 0) {
    sort_glyph_indices(vert, n_v, cmp_glyph_pline_y, glyphs);
    guint s = 0;
    for (guint i = 1; i <= n_v; i++) {
      if (i < n_v && glyphs[vert[i]].pline == glyphs[vert[s]].pline)
        continue;
      emit_line(glyphs, vert + s, i - s, TRUE, -1.0, params, table, cell, vlines, pool);
      s = i;
    }
    /* right to left: insertion into `lines` by descending x0 */
    guint nl = vlines->len;
    g_autofree guint *ord = g_new(guint, nl);
    for (guint i = 0; i < nl; i++)
      ord[i] = i;
    for (guint i = 1; i < nl; i++) { /* few lines: insertion sort */
      guint v = ord[i], j = i;
      while (j > 0 && g_array_index(vlines, KkLine, ord[j - 1]).box.x0 <
                      g_array_index(vlines, KkLine, v).box.x0) {
        ord[j] = ord[j - 1];
        j--;
      }
      ord[j] = v;
    }
    for (guint i = 0; i < nl; i++)
      g_array_append_val(lines, g_array_index(vlines, KkLine, ord[i]));
  }
}
