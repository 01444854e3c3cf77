/*
 * textlines.c — glyphs -> text lines, and the reading order of boxes.
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

/* Font size of a glyph, falling back to its box height. */
static double glyph_size(const KkGlyph *g)
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
 * along x for horizontal lines, along y for vertical ones). */
static void emit_line(const KkGlyph *glyphs, const guint *idx, guint n, gboolean vertical,
                      const KkLineParams *p, gint table, gint cell,
                      GArray *lines, GString *pool)
{
  if (n == 0)
    return;
  KkLine line = { .box = glyphs[idx[0]].box, .vertical = vertical, .table = table, .cell = cell };
  /* The usual CJK gap of this line: justified text spreads every glyph. */
  double usual = 0.0;
  if (!vertical && n > 2) {
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
        double em = MAX(glyph_size(a), glyph_size(g));
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

/* Builds the horizontal lines of one row (glyphs sorted by x here). */
static void build_row(const KkGlyph *glyphs, guint *row, guint n, const KkLineParams *p,
                      gint table, gint cell, GArray *lines, GString *pool)
{
  g_qsort_with_data(row, (gint)n, sizeof row[0], cmp_glyph_x, (gpointer)glyphs);
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
  guint start = 0;
  double right = glyphs[row[0]].box.x1;
  for (guint i = 1; i <= kept; i++) {
    if (i < kept) {
      const KkGlyph *a = &glyphs[row[i - 1]], *g = &glyphs[row[i]];
      double em = MAX(glyph_size(a), glyph_size(g));
      if (g->box.x0 - right <= p->split_gap * em) {
        right = MAX(right, g->box.x1);
        continue;
      }
    }
    emit_line(glyphs, row + start, i - start, FALSE, p, table, cell, lines, pool);
    start = i;
    if (i < kept)
      right = glyphs[row[i]].box.x1;
  }
}

void kk_glyph_rows(const KkGlyph *glyphs, guint *idx, guint n, KkRowFunc each, gpointer user_data)
{
  g_qsort_with_data(idx, (gint)n, sizeof idx[0], cmp_glyph_yc, (gpointer)glyphs);
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

/* What build_row() needs besides the row, for kk_glyph_rows(). */
typedef struct {
  const KkGlyph *glyphs;
  const KkLineParams *params;
  gint table, cell;
  GArray *lines;
  GString *pool;
} RowsToLines;

static void rows_to_lines(guint *row, guint n, gpointer user_data)
{
  RowsToLines *c = user_data;
  build_row(c->glyphs, row, n, c->params, c->table, c->cell, c->lines, c->pool);
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

  RowsToLines ctx = { glyphs, params, table, cell, lines, pool };
  kk_glyph_rows(glyphs, idx, n_h, rows_to_lines, &ctx);

  /* Vertical lines: one per Poppler line, glyphs top to bottom, lines right
   * to left. */
  if (n_v > 0) {
    guint s = 0;
    for (guint i = 1; i <= n_v; i++) {
      if (i < n_v && glyphs[vert[i]].pline == glyphs[vert[s]].pline)
        continue;
      g_qsort_with_data(vert + s, (gint)(i - s), sizeof vert[0], cmp_glyph_y, (gpointer)glyphs);
      emit_line(glyphs, vert + s, i - s, TRUE, params, table, cell, vlines, pool);
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

/* ---- reading order ---- */

typedef struct {
  const KkBox *boxes;
  const gboolean *vertical;
  double min_gap;
  guint *out;
  guint n_out;
  guint depth;
} Order;

static const KkBox *sort_boxes;

static int cmp_box_x0(const void *a, const void *b)
{
  double x = sort_boxes[*(const guint *)a].x0, y = sort_boxes[*(const guint *)b].x0;
  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Vertical core of a box: the middle of its height, so that boxes of
 * adjacent lines whose font boxes overlap a little still fall apart. */
static double core_top(const KkBox *b) { return b->y0 + 0.2 * (b->y1 - b->y0); }
static double core_bottom(const KkBox *b) { return b->y1 - 0.2 * (b->y1 - b->y0); }

static int cmp_box_core(const void *a, const void *b)
{
  const KkBox *p = &sort_boxes[*(const guint *)a], *q = &sort_boxes[*(const guint *)b];
  double x = core_top(p), y = core_top(q);
  if (x != y)
    return x < y ? -1 : 1;
  if (p->x0 != q->x0)
    return p->x0 < q->x0 ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Splits items (sorted by x0 on return) at vertical gaps of at least
 * min_gap; writes group start offsets to `starts` (first is 0) and returns
 * the number of groups. */
static guint x_groups(const KkBox *boxes, guint *items, guint n, double min_gap, guint *starts)
{
  sort_boxes = boxes;
  qsort(items, n, sizeof items[0], cmp_box_x0);
  guint groups = 0;
  double right = -1e300;
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &boxes[items[i]];
    if (i == 0 || b->x0 - right >= min_gap)
      starts[groups++] = i;
    right = MAX(right, b->x1);
  }
  return groups;
}

static void order_set(Order *o, guint *items, guint n);

static int cmp_box_right_desc(const void *a, const void *b)
{
  double x = sort_boxes[*(const guint *)a].x1, y = sort_boxes[*(const guint *)b].x1;
  if (x != y)
    return x > y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Emits items that cannot be cut further: a row left to right, or
 * vertical lines right to left. */
static void emit_uncut(Order *o, guint *items, guint n)
{
  guint n_vert = 0;
  if (o->vertical)
    for (guint i = 0; i < n; i++)
      n_vert += o->vertical[items[i]] ? 1 : 0;
  sort_boxes = o->boxes;
  if (n_vert * 2 > n)
    qsort(items, n, sizeof items[0], cmp_box_right_desc);
  else
    qsort(items, n, sizeof items[0], cmp_box_core);
  for (guint i = 0; i < n; i++)
    o->out[o->n_out++] = items[i];
}

/* True when the x-projection of items has a gap of at least min_gap. */
static gboolean has_x_cut(Order *o, const guint *items, guint n, guint *scratch, guint *starts)
{
  if (n < 2)
    return FALSE;
  memcpy(scratch, items, n * sizeof *items);
  return x_groups(o->boxes, scratch, n, o->min_gap, starts) > 1;
}

static void order_set(Order *o, guint *items, guint n)
{
  if (n == 0)
    return;
  if (n == 1 || o->depth > 64 || n > 4000) {
    emit_uncut(o, items, n);
    return;
  }
  o->depth++;
  g_autofree guint *starts = g_new(guint, n + 1);
  guint groups = x_groups(o->boxes, items, n, o->min_gap, starts);
  if (groups > 1) {
    /* columns: left to right, or right to left for vertical writing */
    guint n_vert = 0;
    if (o->vertical)
      for (guint i = 0; i < n; i++)
        n_vert += o->vertical[items[i]] ? 1 : 0;
    starts[groups] = n;
    if (n_vert * 2 > n)
      for (guint g = groups; g-- > 0;)
        order_set(o, items + starts[g], starts[g + 1] - starts[g]);
    else
      for (guint g = 0; g < groups; g++)
        order_set(o, items + starts[g], starts[g + 1] - starts[g]);
    o->depth--;
    return;
  }
  /* No column gap over the whole set: cut it into bands of rows and merge
   * consecutive bands into strips as long as they keep a column gap. */
  sort_boxes = o->boxes;
  qsort(items, n, sizeof items[0], cmp_box_core);
  g_autofree guint *band_start = g_new(guint, n + 1);
  guint n_bands = 0;
  double bottom = -1e300;
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &o->boxes[items[i]];
    if (i == 0 || core_top(b) > bottom)
      band_start[n_bands++] = i;
    bottom = MAX(bottom, core_bottom(b));
  }
  band_start[n_bands] = n;
  if (n_bands == 1) {
    /* one band that cannot be cut: read it as it lies */
    emit_uncut(o, items, n);
    o->depth--;
    return;
  }
  g_autofree guint *scratch = g_new(guint, n);
  guint strip = 0;
  double strip_bottom = -1e300;
  for (guint b = 1; b <= n_bands; b++) {
    for (guint i = band_start[b - 1]; i < band_start[b]; i++)
      strip_bottom = MAX(strip_bottom, o->boxes[items[i]].y1);
    /* columns run on without wide vertical gaps: a band far below (a page
     * footer) starts a new strip even if it would keep a column gap */
    gboolean near = FALSE;
    if (b < n_bands) {
      const KkBox *nb = &o->boxes[items[band_start[b]]];
      near = nb->y0 - strip_bottom <= 2.5 * MAX(nb->y1 - nb->y0, 1.0);
    }
    if (b < n_bands && near &&
        has_x_cut(o, items + band_start[strip], band_start[b + 1] - band_start[strip], scratch, starts))
      continue;
    guint from = band_start[strip], to = band_start[b];
    if (b - strip == 1) {
      /* a single band: a row of items read left to right */
      guint cnt = to - from;
      if (cnt > 1 && has_x_cut(o, items + from, cnt, scratch, starts)) {
        order_set(o, items + from, cnt);
      } else {
        emit_uncut(o, items + from, cnt);
      }
    } else {
      order_set(o, items + from, to - from);
    }
    strip = b;
    strip_bottom = -1e300;
  }
  o->depth--;
}

void kk_reading_order(const KkBox *boxes, const gboolean *vertical, guint n,
                      double min_gap, guint *order)
{
  g_autofree guint *items = g_new(guint, MAX(n, 1));
  for (guint i = 0; i < n; i++)
    items[i] = i;
  Order o = { boxes, vertical, min_gap > 0 ? min_gap : 1.0, order, 0, 0 };
  order_set(&o, items, n);
  g_assert(o.n_out == n);
}
