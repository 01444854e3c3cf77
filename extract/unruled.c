/*
 * unruled.c — tables aligned by whitespace, found from text geometry.
 *
 * Lines are grouped into visual rows.  A run of consecutive rows whose
 * lines leave the same vertical gaps free (the x-projection of all their
 * lines still falls apart into two or more intervals) is a table when at
 * least `min_rows` of its rows hold two or more lines.  The intervals are
 * its columns.  A row with nothing in the first column that follows closely
 * is the next line of the row above (a wrapped cell).  Two columns of
 * running text also leave a gap free, so a candidate whose columns are
 * mostly full-width lines is prose, not a table.
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double x0, x1;
} Span;

typedef struct {
  guint first, count;  /* into the sorted candidate array */
  double top, bottom;  /* core band */
  double y0, y1;       /* full boxes */
  double height;
} VRow;

static const KkLine *sort_lines;

static double line_core_top(const KkLine *l) { return l->box.y0 + 0.2 * (l->box.y1 - l->box.y0); }
static double line_core_bottom(const KkLine *l) { return l->box.y1 - 0.2 * (l->box.y1 - l->box.y0); }

static int cmp_line_core(const void *a, const void *b)
{
  const KkLine *p = &sort_lines[*(const guint *)a], *q = &sort_lines[*(const guint *)b];
  double x = line_core_top(p), y = line_core_top(q);
  if (x != y)
    return x < y ? -1 : 1;
  return p->box.x0 < q->box.x0 ? -1 : p->box.x0 > q->box.x0;
}

static int cmp_line_x(const void *a, const void *b)
{
  const KkLine *p = &sort_lines[*(const guint *)a], *q = &sort_lines[*(const guint *)b];
  return p->box.x0 < q->box.x0 ? -1 : p->box.x0 > q->box.x0;
}

/* Adds [x0, x1] to the sorted, disjoint spans (joining spans closer than
 * min_gap).  Returns the new count. */
static guint spans_add(GArray *spans, double x0, double x1, double min_gap)
{
  Span s = { x0, x1 };
  guint i = 0;
  while (i < spans->len && g_array_index(spans, Span, i).x1 + min_gap <= s.x0)
    i++;
  while (i < spans->len && g_array_index(spans, Span, i).x0 - min_gap < s.x1) {
    Span *t = &g_array_index(spans, Span, i);
    s.x0 = MIN(s.x0, t->x0);
    s.x1 = MAX(s.x1, t->x1);
    g_array_remove_index(spans, i);
  }
  g_array_insert_val(spans, i, s);
  return spans->len;
}

/* Column of x-extent [x0, x1] among spans, or -1. */
static gint span_of(const GArray *spans, double x0, double x1)
{
  double xc = (x0 + x1) / 2;
  for (guint i = 0; i < spans->len; i++) {
    const Span *s = &g_array_index(spans, Span, i);
    if (xc >= s->x0 - 0.5 && xc <= s->x1 + 0.5)
      return (gint)i;
  }
  return -1;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Turns rows [r0, r1) of a qualified run into a table. */
static void make_table(GArray *lines, const guint *cand, const VRow *rows, guint r0, guint r1,
                       const GArray *spans, const GString *pool, GPtrArray *tables)
{
  guint n_cols = spans->len, n_vis = r1 - r0;
  /* logical rows: a visual row continues the one above when its first
   * column is empty and it follows at no more than the usual spacing */
  g_autofree double *gaps = g_new(double, MAX(n_vis, 1));
  guint n_gaps = 0;
  for (guint r = r0 + 1; r < r1; r++)
    gaps[n_gaps++] = rows[r].top - rows[r - 1].bottom;
  double usual = 0;
  if (n_gaps > 0) {
    g_autofree double *sorted = g_memdup2(gaps, n_gaps * sizeof(double));
    qsort(sorted, n_gaps, sizeof(double), cmp_double);
    usual = sorted[n_gaps / 2];
  }
  g_autofree guint *logical = g_new(guint, n_vis);
  guint n_rows = 0;
  for (guint r = r0; r < r1; r++) {
    gboolean first_empty = TRUE;
    for (guint k = 0; k < rows[r].count; k++) {
      const KkLine *l = &g_array_index(lines, KkLine, cand[rows[r].first + k]);
      if (span_of(spans, l->box.x0, l->box.x1) == 0)
        first_empty = FALSE;
    }
    double gap = r > r0 ? rows[r].top - rows[r - 1].bottom : 0;
    if (r > r0 && first_empty && gap < usual * 0.8 + 0.5)
      logical[r - r0] = n_rows - 1;
    else
      logical[r - r0] = n_rows++;
  }
  KkPageTable *t = kk_page_table_new(n_rows, n_cols);
  t->ruled = FALSE;
  t->xs[0] = g_array_index(spans, Span, 0).x0;
  for (guint c = 1; c < n_cols; c++)
    t->xs[c] = (g_array_index(spans, Span, c - 1).x1 + g_array_index(spans, Span, c).x0) / 2;
  t->xs[n_cols] = g_array_index(spans, Span, n_cols - 1).x1;
  for (guint r = r0; r < r1; r++) {
    guint lr = logical[r - r0];
    if (r == r0)
      t->ys[0] = rows[r].y0;
    else if (logical[r - r0 - 1] != lr)
      t->ys[lr] = (rows[r - 1].y1 + rows[r].y0) / 2;
  }
  t->ys[n_rows] = rows[r1 - 1].y1;
  for (guint r = 1; r <= n_rows; r++) /* overlapping font boxes: keep order */
    t->ys[r] = MAX(t->ys[r], t->ys[r - 1]);
  t->box = (KkBox){ t->xs[0], t->ys[0], t->xs[n_cols], t->ys[n_rows] };
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++) {
      KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = 1 };
      cell.box = (KkBox){ t->xs[c], t->ys[r], t->xs[c + 1], t->ys[r + 1] };
      cell.text = g_string_new(NULL);
      t->cell_of[(gsize)r * n_cols + c] = (gint)t->cells->len;
      g_array_append_val(t->cells, cell);
    }
  gint table_index = (gint)tables->len;
  for (guint r = r0; r < r1; r++) {
    guint lr = logical[r - r0];
    gint prev_col = -1;
    for (guint k = 0; k < rows[r].count; k++) {
      KkLine *l = &g_array_index(lines, KkLine, cand[rows[r].first + k]);
      gint c = span_of(spans, l->box.x0, l->box.x1);
      if (c < 0)
        c = 0;
      gint ci = t->cell_of[(gsize)lr * n_cols + (guint)c];
      KkCell *cell = &g_array_index(t->cells, KkCell, ci);
      if (cell->text->len > 0)
        g_string_append_c(cell->text, c == prev_col ? ' ' : '\n');
      g_string_append_len(cell->text, pool->str + l->text_off, l->text_len);
      l->table = table_index;
      l->cell = ci;
      prev_col = c;
    }
  }
  g_ptr_array_add(tables, t);
}

/* Share of a column's lines that fill most of its width (running text). */
static gboolean prose_column(GArray *lines, const guint *cand, const VRow *rows, guint r0,
                             guint r1, const Span *col, double em)
{
  guint n = 0, full = 0;
  if (col->x1 - col->x0 < 15 * em)
    return FALSE;
  for (guint r = r0; r < r1; r++)
    for (guint k = 0; k < rows[r].count; k++) {
      const KkLine *l = &g_array_index(lines, KkLine, cand[rows[r].first + k]);
      double xc = (l->box.x0 + l->box.x1) / 2;
      if (xc < col->x0 || xc > col->x1)
        continue;
      n++;
      if (l->box.x1 - l->box.x0 >= 0.8 * (col->x1 - col->x0))
        full++;
    }
  return n >= 3 && full * 10 >= n * 6;
}

void kk_unruled_detect(GArray *lines, const guint *cand_in, guint n_cand,
                       const GString *pool, const KkUnruledParams *p, GPtrArray *tables)
{
  if (n_cand < 2 * p->min_rows)
    return;
  g_autofree guint *cand = g_memdup2(cand_in, n_cand * sizeof(guint));
  sort_lines = (const KkLine *)lines->data;
  qsort(cand, n_cand, sizeof(guint), cmp_line_core);
  g_autofree VRow *rows = g_new0(VRow, n_cand);
  guint n_rows = 0;
  for (guint i = 0; i < n_cand; i++) {
    const KkLine *l = &g_array_index(lines, KkLine, cand[i]);
    if (n_rows > 0 && line_core_top(l) <= rows[n_rows - 1].bottom) {
      VRow *r = &rows[n_rows - 1];
      r->count++;
      r->bottom = MAX(r->bottom, line_core_bottom(l));
      r->y0 = MIN(r->y0, l->box.y0);
      r->y1 = MAX(r->y1, l->box.y1);
      r->height = MAX(r->height, l->box.y1 - l->box.y0);
      continue;
    }
    rows[n_rows++] = (VRow){ i, 1, line_core_top(l), line_core_bottom(l), l->box.y0, l->box.y1,
                             l->box.y1 - l->box.y0 };
  }
  for (guint r = 0; r < n_rows; r++) {
    sort_lines = (const KkLine *)lines->data;
    qsort(cand + rows[r].first, rows[r].count, sizeof(guint), cmp_line_x);
  }

  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(Span));
  g_autoptr(GArray) trial = g_array_new(FALSE, FALSE, sizeof(Span));
  guint r = 0;
  while (r < n_rows) {
    if (rows[r].count < 2) {
      r++;
      continue;
    }
    g_array_set_size(spans, 0);
    for (guint k = 0; k < rows[r].count; k++) {
      const KkLine *l = &g_array_index(lines, KkLine, cand[rows[r].first + k]);
      spans_add(spans, l->box.x0, l->box.x1, p->min_gap);
    }
    if (spans->len < 2) {
      r++;
      continue;
    }
    guint end = r + 1, last_multi = r, multi = 1;
    while (end < n_rows) {
      const VRow *v = &rows[end];
      double h = MAX(v->height, rows[end - 1].height);
      if (v->top - rows[end - 1].bottom > p->max_row_gap * h)
        break;
      g_array_set_size(trial, 0);
      g_array_append_vals(trial, spans->data, spans->len);
      for (guint k = 0; k < v->count; k++) {
        const KkLine *l = &g_array_index(lines, KkLine, cand[v->first + k]);
        spans_add(trial, l->box.x0, l->box.x1, p->min_gap);
      }
      if (trial->len < spans->len || trial->len < 2)
        break; /* the row bridges a column gap */
      g_array_set_size(spans, 0);
      g_array_append_vals(spans, trial->data, trial->len);
      if (v->count >= 2) {
        multi++;
        last_multi = end;
      }
      end++;
    }
    end = last_multi + 1;
    gboolean ok = multi >= p->min_rows;
    if (ok) {
      /* recompute the columns of the trimmed run */
      g_array_set_size(spans, 0);
      for (guint rr = r; rr < end; rr++)
        for (guint k = 0; k < rows[rr].count; k++) {
          const KkLine *l = &g_array_index(lines, KkLine, cand[rows[rr].first + k]);
          spans_add(spans, l->box.x0, l->box.x1, p->min_gap);
        }
      double em = MAX(rows[r].height, 1.0);
      guint prose = 0;
      for (guint c = 0; c < spans->len; c++)
        prose += prose_column(lines, cand, rows, r, end, &g_array_index(spans, Span, c), em) ? 1 : 0;
      ok = spans->len >= 2 && prose < 2;
    }
    if (ok) {
      make_table(lines, cand, rows, r, end, spans, pool, tables);
      r = end;
    } else {
      r++;
    }
  }
}
