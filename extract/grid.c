/*
 * grid.c — ruling segments -> ruled tables with merged cells.
 *
 * Segments that cross each other form one table.  Its row and column
 * boundaries are the distinct positions of its horizontal and vertical
 * segments (plus its outer edges, for tables drawn without side borders).
 * Two neighbouring grid cells belong to one merged cell when no segment
 * runs along most of the boundary between them; a merged cell that is a
 * rectangle becomes one cell with rowspan/colspan.
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

KkPageTable *kk_page_table_new(guint n_rows, guint n_cols)
{
  KkPageTable *t = g_new0(KkPageTable, 1);
  t->n_rows = n_rows;
  t->n_cols = n_cols;
  t->xs = g_new0(double, n_cols + 1);
  t->ys = g_new0(double, n_rows + 1);
  t->cells = g_array_new(FALSE, TRUE, sizeof(KkCell));
  t->cell_of = g_new(gint, (gsize)n_rows * n_cols);
  for (gsize i = 0; i < (gsize)n_rows * n_cols; i++)
    t->cell_of[i] = -1;
  return t;
}

void kk_page_table_free(KkPageTable *t)
{
  if (t == NULL)
    return;
  for (guint i = 0; i < t->cells->len; i++) {
    KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->text)
      g_string_free(c->text, TRUE);
  }
  g_array_free(t->cells, TRUE);
  g_free(t->xs);
  g_free(t->ys);
  g_free(t->cell_of);
  g_free(t->cell_fonts);
  g_free(t);
}

/* Index i with v[i] <= x < v[i+1], or -1. */
static gint find_slot(const double *v, guint n, double x)
{
  if (n == 0 || !(x >= v[0]) || !(x < v[n]))
    return -1;
  guint lo = 0, hi = n; /* v[lo] <= x < v[hi] */
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;
    if (v[mid] <= x)
      lo = mid;
    else
      hi = mid;
  }
  return (gint)lo;
}

gint kk_page_table_locate(const KkPageTable *t, double x, double y)
{
  gint c = find_slot(t->xs, t->n_cols, x), r = find_slot(t->ys, t->n_rows, y);
  if (c < 0 || r < 0)
    return -1;
  return t->cell_of[(gsize)r * t->n_cols + (guint)c];
}

const char *kk_page_table_cell_text(const KkPageTable *t, guint row, guint col)
{
  if (row >= t->n_rows || col >= t->n_cols)
    return NULL;
  gint k = t->cell_of[(gsize)row * t->n_cols + col];
  if (k < 0)
    return NULL;
  const KkCell *c = &g_array_index(t->cells, KkCell, k);
  if (c->row != row || c->col != col)
    return NULL;
  return c->text ? c->text->str : "";
}

/* ---- union-find ---- */

static guint uf_find(guint *parent, guint i)
{
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/* Joins the sets of a and b (the smaller root wins: stable results). */
static void uf_union(guint *parent, guint a, guint b)
{
  a = uf_find(parent, a);
  b = uf_find(parent, b);
  if (a != b)
    parent[MAX(a, b)] = MIN(a, b);
}

/* True when horizontal h and vertical v meet (within tol). */
static gboolean crosses(const KkSeg *h, const KkSeg *v, double tol)
{
  return v->pos >= h->a0 - tol && v->pos <= h->a1 + tol &&
         h->pos >= v->a0 - tol && h->pos <= v->a1 + tol;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Sorted distinct boundaries from `vals` (clustered within tol, and at
 * least min_cell apart), returned in a new array with its length. */
static double *boundaries(double *vals, guint n, double tol, double min_cell, guint *n_out)
{
  qsort(vals, n, sizeof *vals, cmp_double);
  double *out = g_new(double, MAX(n, 1));
  guint k = 0;
  guint i = 0;
  while (i < n) {
    guint j = i + 1;
    double sum = vals[i];
    while (j < n && vals[j] - vals[j - 1] <= tol) {
      sum += vals[j];
      j++;
    }
    double v = sum / (j - i);
    if (k > 0 && v - out[k - 1] < min_cell)
      out[k - 1] = (out[k - 1] + v) / 2; /* a double rule: one boundary */
    else
      out[k++] = v;
    i = j;
  }
  *n_out = k;
  return out;
}

/* Share of [a, b] covered by segments (of `segs`, indices `idx`) lying at
 * position `pos` within tol. */
static double coverage(const KkSeg *segs, const guint *idx, guint n, double pos,
                       double a, double b, double tol)
{
  if (b <= a)
    return 1.0;
  double covered = 0.0;
  /* segments at one position do not overlap after merging; allow overlap
   * anyway by clipping to what is already counted from the left */
  double reach = a;
  for (guint i = 0; i < n; i++) {
    const KkSeg *s = &segs[idx[i]];
    if (fabs(s->pos - pos) > tol)
      continue;
    double lo = MAX(MAX(s->a0, a), reach), hi = MIN(s->a1, b);
    if (hi > lo) {
      covered += hi - lo;
      reach = hi;
    }
  }
  return covered / (b - a);
}

static int cmp_seg_a0(const void *a, const void *b)
{
  const KkSeg *s = a, *t = b;
  return s->a0 < t->a0 ? -1 : s->a0 > t->a0;
}

static void build_tables(const KkSeg *hs, const guint *hi, guint nh,
                         const KkSeg *vs, const guint *vi, guint nv,
                         const KkGridParams *p, guint depth, GPtrArray *out);

/* Inner walls of row band r (bit c-1 for boundary c, first 64 only). */
static guint64 row_walls(const KkSeg *vs, const guint *vi, guint nv, const double *xs, guint n_cols,
                         const double *ys, guint r, double tol)
{
  guint64 m = 0;
  for (guint c = 1; c < n_cols && c <= 64; c++)
    if (coverage(vs, vi, nv, xs[c], ys[r], ys[r + 1], tol) >= 0.6)
      m |= G_GUINT64_CONSTANT(1) << (c - 1);
  return m;
}

/* The end of the longest run of rows [s, e) that is a table of its own:
 * one grid (*walls_out, not empty) drawn by at least two of its rows, of
 * which every other row uses only some walls (merged cells); 0 when there
 * is none.  One pass: the union of the walls so far, and how many rows
 * draw it. */
static guint refined_part(const guint64 *walls, guint s, guint n_rows, guint64 *walls_out)
{
  guint best = 0, full = 0;
  guint64 top = 0;
  *walls_out = 0;
  for (guint r = s; r < n_rows; r++) {
    guint64 w = walls[r];
    if ((w & ~top) == 0) {
      full += w == top;
    } else if ((top & ~w) == 0) {
      top = w; /* a finer row: the rows before use some of its walls */
      full = 1;
    } else {
      top |= w; /* no row so far draws the union */
      full = 0;
    }
    if (top != 0 && full >= 2) {
      best = r + 1;
      *walls_out = top;
    }
  }
  return best;
}

/* Two tables close together, joined by a frame, shared side borders or a
 * shared rule, are split again.  Returns TRUE with the boundaries to cut
 * at (*top: where the upper table ends, *bottom: where the lower begins):
 *   - a row band without inner walls whose rows above and below are
 *     divided by different walls (a 6-column table over a 4-column one)
 *     is the white between two tables, when it is thin (at most 10 pt,
 *     and under 0.6 of the rows beside it);
 *   - a full-width rule above which the rows use a wall the rows below
 *     never use and below which they use one the rows above never use
 *     (neither grid refines the other, as a header's or a card's merged
 *     cells do) is where two tables touch, when each part has the same
 *     walls in all its rows (but the upper part's first). */
static gboolean split_rows(const KkSeg *hs, const guint *hi, guint nh, const KkSeg *vs, const guint *vi,
                           guint nv, const double *xs, guint n_cols, const double *ys, guint n_rows,
                           double tol, guint *top, guint *bottom)
{
  if (n_rows < 2 || n_cols < 2)
    return FALSE;
  g_autofree guint64 *walls = g_new(guint64, n_rows);
  g_autofree guint64 *above = g_new0(guint64, n_rows + 1), *below = g_new0(guint64, n_rows + 1);
  for (guint r = 0; r < n_rows; r++)
    walls[r] = row_walls(vs, vi, nv, xs, n_cols, ys, r, tol);
  for (guint r = 0; r < n_rows; r++) /* above[r]: rows 0..r-1 */
    above[r + 1] = above[r] | walls[r];
  for (guint r = n_rows; r-- > 0;) /* below[r]: rows r..n-1 */
    below[r] = below[r + 1] | walls[r];
  for (guint r = 1; r + 1 < n_rows; r++) {
    /* white between tables is thin beside the rows it separates */
    double h = ys[r + 1] - ys[r];
    if (walls[r] != 0 || h > 10.0 || h > 0.6 * (ys[r] - ys[r - 1]) || h > 0.6 * (ys[r + 2] - ys[r + 1]))
      continue;
    if (above[r] != 0 && below[r + 1] != 0 && above[r] != below[r + 1]) {
      *top = r;
      *bottom = r + 1;
      return TRUE;
    }
  }
  for (guint r = 2; r < n_rows; r++) {
    if ((above[r] & ~below[r]) == 0 || (below[r] & ~above[r]) == 0)
      continue;
    /* two grids, each the same in all its rows (the upper one's first
     * row, a header, aside): a chart's bars and labels vary row by row */
    gboolean uniform = walls[r] != 0 && walls[1] != 0;
    for (guint k = 2; k < r && uniform; k++)
      uniform = walls[k] == walls[1];
    for (guint k = r + 1; k < n_rows && uniform; k++)
      uniform = walls[k] == walls[r];
    if (!uniform)
      continue;
    if (coverage(hs, hi, nh, ys[r], xs[0], xs[n_cols], tol) < 0.95)
      continue;
    *top = *bottom = r;
    return TRUE;
  }
  /* several tables stacked on shared rules: cut where the rows above and
   * below make two tables of their own with grids neither of which
   * refines the other */
  guint64 m_first = 0, m_next = 0;
  guint e = refined_part(walls, 0, n_rows, &m_first);
  while (e > 0 && e < n_rows && walls[e - 1] == 0) /* a title row over the next table */
    e--;
  if (e == 0 || e >= n_rows || coverage(hs, hi, nh, ys[e], xs[0], xs[n_cols], tol) < 0.95)
    return FALSE;
  if (refined_part(walls, e, n_rows, &m_next) == 0 || (m_first & ~m_next) == 0 || (m_next & ~m_first) == 0)
    return FALSE;
  *top = *bottom = e;
  return TRUE;
}

/* Builds the tables of the segments lying within [y0, y1] (vertical ones
 * clipped to it) into `out`. */
static void build_part(const KkSeg *hs, const guint *hi, guint nh, const KkSeg *vs, const guint *vi,
                       guint nv, double y0, double y1, const KkGridParams *p, guint depth, GPtrArray *out)
{
  g_autofree KkSeg *h = g_new(KkSeg, MAX(nh, 1)), *v = g_new(KkSeg, MAX(nv, 1));
  g_autofree guint *idx = g_new(guint, MAX(nh, nv) + 1);
  guint ch = 0, cv = 0;
  for (guint i = 0; i < nh; i++)
    if (hs[hi[i]].pos >= y0 - p->tol && hs[hi[i]].pos <= y1 + p->tol)
      h[ch++] = hs[hi[i]];
  for (guint i = 0; i < nv; i++) {
    KkSeg sg = vs[vi[i]];
    sg.a0 = MAX(sg.a0, y0);
    sg.a1 = MIN(sg.a1, y1);
    if (sg.a1 - sg.a0 > p->min_cell)
      v[cv++] = sg;
  }
  for (guint i = 0; i < MAX(ch, cv); i++)
    idx[i] = i;
  if (ch >= 2 && cv >= 1)
    build_tables(h, idx, ch, v, idx, cv, p, depth + 1, out);
}

/* The two pieces (top-left grid cells a before b, sizes in rows[] and
 * cols[]) of a merged region are a table's L: one of them a label spanning
 * rows in the first column, the other one row high (a heading over the
 * rows the label spans, or a total row beside its foot).  A chart's or a
 * diagram's regions take any shape. */
static gboolean label_column_l(guint a, guint b, const guint *rows, const guint *cols, guint n_cols)
{
  gboolean a_label = a % n_cols == 0 && cols[a] == 1;
  gboolean b_label = b % n_cols == 0 && cols[b] == 1;
  return (a_label && rows[b] == 1) || (b_label && rows[a] == 1);
}

/* Builds the table of the segments of one connected group, or (split at
 * white between two tables) its tables, into `out`. */
static void build_tables(const KkSeg *hs, const guint *hi, guint nh,
                         const KkSeg *vs, const guint *vi, guint nv,
                         const KkGridParams *p, guint depth, GPtrArray *out)
{
  double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;
  g_autofree double *xv = g_new(double, nv + 2), *yv = g_new(double, nh + 2);
  for (guint i = 0; i < nh; i++) {
    const KkSeg *s = &hs[hi[i]];
    x_min = MIN(x_min, s->a0);
    x_max = MAX(x_max, s->a1);
    y_min = MIN(y_min, s->pos);
    y_max = MAX(y_max, s->pos);
    yv[i] = s->pos;
  }
  for (guint i = 0; i < nv; i++) {
    const KkSeg *s = &vs[vi[i]];
    y_min = MIN(y_min, s->a0);
    y_max = MAX(y_max, s->a1);
    x_min = MIN(x_min, s->pos);
    x_max = MAX(x_max, s->pos);
    xv[i] = s->pos;
  }
  xv[nv] = x_min;
  xv[nv + 1] = x_max;
  yv[nh] = y_min;
  yv[nh + 1] = y_max;
  guint ncx, ncy;
  g_autofree double *xs = boundaries(xv, nv + 2, p->tol, p->min_cell, &ncx);
  g_autofree double *ys = boundaries(yv, nh + 2, p->tol, p->min_cell, &ncy);
  if (ncx < 2 || ncy < 2)
    return;
  guint n_cols = ncx - 1, n_rows = ncy - 1;
  if ((guint64)n_cols * n_rows > p->max_cells)
    return;
  /* A boundary that is a wall nowhere comes from a stray short segment (a
   * glyph stroke, a tick mark): drop it rather than split every cell. */
  guint kept = 1;
  for (guint c = 1; c < n_cols; c++) {
    gboolean used = FALSE;
    for (guint r = 0; r < n_rows && !used; r++)
      used = coverage(vs, vi, nv, xs[c], ys[r], ys[r + 1], p->tol) >= 0.6;
    if (used)
      xs[kept++] = xs[c];
  }
  xs[kept] = xs[n_cols];
  n_cols = kept;
  kept = 1;
  for (guint r = 1; r < n_rows; r++) {
    gboolean used = FALSE;
    for (guint c = 0; c < n_cols && !used; c++)
      used = coverage(hs, hi, nh, ys[r], xs[c], xs[c + 1], p->tol) >= 0.6;
    if (used)
      ys[kept++] = ys[r];
  }
  ys[kept] = ys[n_rows];
  n_rows = kept;
  if (n_cols == 1 && n_rows == 1)
    return;
  guint top = 0, bottom = 0;
  if (depth < 16 && split_rows(hs, hi, nh, vs, vi, nv, xs, n_cols, ys, n_rows, p->tol, &top, &bottom)) {
    build_part(hs, hi, nh, vs, vi, nv, ys[0], ys[top], p, depth, out);
    build_part(hs, hi, nh, vs, vi, nv, ys[bottom], ys[n_rows], p, depth, out);
    return;
  }

  /* walls between neighbouring grid cells */
  gsize ncell = (gsize)n_rows * n_cols;
  g_autofree guint *parent = g_new(guint, ncell);
  for (gsize i = 0; i < ncell; i++)
    parent[i] = (guint)i;
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 1; c < n_cols; c++)
      if (coverage(vs, vi, nv, xs[c], ys[r], ys[r + 1], p->tol) < 0.6)
        uf_union(parent, r * n_cols + c - 1, r * n_cols + c);
  for (guint r = 1; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      if (coverage(hs, hi, nh, ys[r], xs[c], xs[c + 1], p->tol) < 0.6)
        uf_union(parent, (r - 1) * n_cols + c, r * n_cols + c);

  KkPageTable *t = kk_page_table_new(n_rows, n_cols);
  memcpy(t->xs, xs, (n_cols + 1) * sizeof(double));
  memcpy(t->ys, ys, (n_rows + 1) * sizeof(double));
  t->box = (KkBox){ xs[0], ys[0], xs[n_cols], ys[n_rows] };
  t->ruled = TRUE;
  /* Each merged region is cut into rectangles in row-major order of their
   * top-left grid cell: from a grid cell not yet taken, as far right as
   * the region goes, then as far down as it goes over that whole width.  A
   * rectangle is one cell; an L in two pieces (a heading row spanning two
   * columns whose first column then spans down beside the rows under it,
   * with no rule between) is the heading cell and the cell spanning down.
   * A region of more pieces is a drawing's shape (a chart's bars and
   * lines): its grid cells stay apart, as figures.c expects. */
  g_autofree guint *piece = g_new(guint, ncell), *pieces = g_new0(guint, ncell);
  g_autofree guint *rows = g_new(guint, ncell), *cols = g_new(guint, ncell); /* at a piece's top-left */
  g_autofree guint *first = g_new(guint, ncell), *second = g_new(guint, ncell); /* per region */
  for (gsize i = 0; i < ncell; i++)
    piece[i] = G_MAXUINT;
  for (gsize i = 0; i < ncell; i++) {
    if (piece[i] != G_MAXUINT)
      continue;
    guint r = (guint)(i / n_cols), c = (guint)(i % n_cols), root = uf_find(parent, (guint)i);
    guint c1 = c, r1 = r;
    while (c1 + 1 < n_cols && piece[(gsize)r * n_cols + c1 + 1] == G_MAXUINT &&
           uf_find(parent, r * n_cols + c1 + 1) == root)
      c1++;
    for (gboolean more = TRUE; more && r1 + 1 < n_rows;) {
      for (guint cc = c; cc <= c1 && more; cc++)
        more = piece[(gsize)(r1 + 1) * n_cols + cc] == G_MAXUINT &&
               uf_find(parent, (r1 + 1) * n_cols + cc) == root;
      if (more)
        r1++;
    }
    for (guint rr = r; rr <= r1; rr++)
      for (guint cc = c; cc <= c1; cc++)
        piece[(gsize)rr * n_cols + cc] = (guint)i;
    rows[i] = r1 - r + 1;
    cols[i] = c1 - c + 1;
    if (pieces[root]++ == 0)
      first[root] = (guint)i;
    else
      second[root] = (guint)i;
  }
  for (gsize i = 0; i < ncell; i++) {
    guint r = (guint)(i / n_cols), c = (guint)(i % n_cols);
    guint root = uf_find(parent, (guint)i);
    gboolean whole = pieces[root] == 1 || (pieces[root] == 2 && label_column_l(first[root], second[root], rows, cols, n_cols));
    if (whole && piece[i] != i)
      continue; /* inside a cell already made */
    KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = 1 };
    if (whole) {
      cell.rowspan = rows[i];
      cell.colspan = cols[i];
    }
    cell.box = (KkBox){ xs[c], ys[r], xs[c + cell.colspan], ys[r + cell.rowspan] };
    cell.text = g_string_new(NULL);
    gint k = (gint)t->cells->len;
    g_array_append_val(t->cells, cell);
    for (guint rr = r; rr < r + cell.rowspan; rr++)
      for (guint cc = c; cc < c + cell.colspan; cc++)
        t->cell_of[(gsize)rr * n_cols + cc] = k;
  }
  g_ptr_array_add(out, t);
}

/* qsort: tables top to bottom, then left to right. */
static int cmp_table_top(const void *a, const void *b)
{
  const KkPageTable *s = *(KkPageTable *const *)a, *t = *(KkPageTable *const *)b;
  if (s->box.y0 != t->box.y0)
    return s->box.y0 < t->box.y0 ? -1 : 1;
  return s->box.x0 < t->box.x0 ? -1 : s->box.x0 > t->box.x0;
}

GPtrArray *kk_grid_build(const GArray *hsegs, const GArray *vsegs, const KkGridParams *params)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
  guint nh = hsegs->len, nv = vsegs->len, n = nh + nv;
  if (nh < 2 || nv < 1)
    return tables;
  const KkSeg *hs = (const KkSeg *)hsegs->data, *vs = (const KkSeg *)vsegs->data;
  /* vertical segments sorted by start, so each horizontal one only meets a
   * window of them */
  g_autofree KkSeg *vsorted = g_memdup2(vs, nv * sizeof(KkSeg));
  qsort(vsorted, nv, sizeof(KkSeg), cmp_seg_a0);
  g_autofree guint *parent = g_new(guint, n);
  for (guint i = 0; i < n; i++)
    parent[i] = i;
  for (guint i = 0; i < nh; i++)
    for (guint j = 0; j < nv && vsorted[j].a0 <= hs[i].pos + params->tol; j++)
      if (crosses(&hs[i], &vsorted[j], params->tol))
        uf_union(parent, i, nh + j);

  /* group members by root */
  g_autofree guint *hi = g_new(guint, MAX(nh, 1)), *vi = g_new(guint, MAX(nv, 1));
  g_autofree gboolean *done = g_new0(gboolean, n);
  for (guint i = 0; i < n; i++) {
    guint root = uf_find(parent, i);
    if (done[root])
      continue;
    done[root] = TRUE;
    guint ch = 0, cv = 0;
    for (guint k = 0; k < nh; k++)
      if (uf_find(parent, k) == root)
        hi[ch++] = k;
    for (guint k = 0; k < nv; k++)
      if (uf_find(parent, nh + k) == root)
        vi[cv++] = k;
    if (ch < 2 || cv < 1 || ch + cv < 4)
      continue;
    build_tables(hs, hi, ch, vsorted, vi, cv, params, 0, tables);
  }
  if (tables->len > 1)
    qsort(tables->pdata, tables->len, sizeof(gpointer), cmp_table_top);
  return tables;
}
