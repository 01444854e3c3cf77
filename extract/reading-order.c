/*
 * reading-order.c — the order in which a page's lines and tables are read
 * (kk_reading_order(), geom.h): recursive projection cuts over their
 * boxes, columns left to right, vertical writing (縦書き) tier by tier and
 * its columns right to left (extract/README.md, "Reading order" and
 * "Vertical writing").
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct {
  const KkBox *boxes;
  const KkBox *cores;      /* the boxes' cores (see core_of()) */
  const gboolean *vertical;
  double min_gap;
  guint *out;
  guint n_out;
  guint depth;
  guint in_run;            /* > 0 while the tiers of one flow are read */
  GArray *floats;          /* guint: items set aside until the flow ends */
} Order;

static const KkBox *sort_boxes, *sort_cores;

static int cmp_box_x0(const void *a, const void *b)
{
  double x = sort_boxes[*(const guint *)a].x0, y = sort_boxes[*(const guint *)b].x0;
  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Core of a line's box for banding rows: the middle of its height, so that
 * boxes of adjacent lines whose font boxes overlap a little still fall
 * apart; a vertical line's core is its whole box (its length is text), and
 * so is a block taller than six column gaps (a table: it starts where its
 * first row does, not a fifth of its height lower, beside later lines). */
static KkBox core_of(const KkBox *b, gboolean vertical, double min_gap)
{
  KkBox c = *b;
  if (!vertical && (b->y1 - b->y0 <= 6.0 * min_gap)) {
    c.y0 = b->y0 + 0.2 * (b->y1 - b->y0);
    c.y1 = b->y1 - 0.2 * (b->y1 - b->y0);
  }
  return c;
}

static int cmp_box_core(const void *a, const void *b)
{
  const KkBox *p = &sort_cores[*(const guint *)a], *q = &sort_cores[*(const guint *)b];
  double x = p->y0, y = q->y0;
  if (x != y)
    return x < y ? -1 : 1;
  if (p->x0 != q->x0)
    return p->x0 < q->x0 ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

static int cmp_box_y0(const void *a, const void *b)
{
  double x = sort_boxes[*(const guint *)a].y0, y = sort_boxes[*(const guint *)b].y0;
  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* Splits items along one axis at gaps of at least min_gap: across the
 * page (down = FALSE: sorted by x0 on return, cut at vertical gaps) or
 * down it (down = TRUE: sorted by y0, cut at horizontal gaps).  Writes
 * group start offsets to `starts` (first is 0) and returns the number of
 * groups. */
static guint axis_groups(const KkBox *boxes, guint *items, guint n, double min_gap, guint *starts, gboolean down)
{
  sort_boxes = boxes;
  qsort(items, n, sizeof items[0], down ? cmp_box_y0 : cmp_box_x0);
  guint groups = 0;
  double end = -1e300;
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &boxes[items[i]];
    double lo = down ? b->y0 : b->x0, hi = down ? b->y1 : b->x1;
    if (i == 0 || lo - end >= min_gap)
      starts[groups++] = i;
    end = MAX(end, hi);
  }
  return groups;
}

static void order_set(Order *o, guint *items, guint n);

static int cmp_box_right_desc(const void *a, const void *b)
{
  const KkBox *p = &sort_boxes[*(const guint *)a], *q = &sort_boxes[*(const guint *)b];
  double x = p->x1, y = q->x1;
  double over = MIN(p->x1, q->x1) - MAX(p->x0, q->x0);
  /* columns right to left; in one column (boxes mostly across each
   * other: 縦中横 digits a little wider) top down */
  if (over < 0.5 * MIN(p->x1 - p->x0, q->x1 - q->x0) && x != y)
    return x > y ? -1 : 1;
  if (p->y0 != q->y0)
    return p->y0 < q->y0 ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* True when item i reads either way: a vertical line, or a lone glyph (a
 * box about square, not much bigger than a column gap). */
static gboolean reads_down(const Order *o, guint i)
{
  const KkBox *b = &o->boxes[i];
  double w = b->x1 - b->x0, h = b->y1 - b->y0;
  return (o->vertical && o->vertical[i]) || (fabs(w - h) <= 0.25 * MAX(w, h) && MAX(w, h) <= 1.5 * o->min_gap);
}

/* True when most items of the set are vertical lines.  A lone glyph reads
 * either way and does not vote: 広 and 報 spread down a column beside the
 * vertical lines おとい and ねっぷ are read with them, right to left. */
static gboolean mostly_vertical(const Order *o, const guint *items, guint n)
{
  if (o->vertical == NULL)
    return FALSE;
  guint vert = 0, horiz = 0;
  for (guint i = 0; i < n; i++) {
    if (o->vertical[items[i]])
      vert++;
    else if (!reads_down(o, items[i]))
      horiz++;
  }
  return vert > horiz;
}

/* Emits items that cannot be cut further: a row left to right, or
 * vertical lines right to left. */
static void emit_uncut(Order *o, guint *items, guint n)
{
  gboolean vertical = mostly_vertical(o, items, n);
  sort_boxes = o->boxes;
  sort_cores = o->cores;
  if (vertical)
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
  return axis_groups(o->boxes, scratch, n, o->min_gap, starts, FALSE) > 1;
}

/* True when one of the items is a vertical line. */
static gboolean tier_has_column(const Order *o, const guint *items, guint n)
{
  for (guint i = 0; i < n && o->vertical; i++)
    if (o->vertical[items[i]])
      return TRUE;
  return FALSE;
}

/* White between the foot of the tier `items[0..n)` and the box `next`
 * below it. */
static double tier_gap(const Order *o, const guint *items, guint n, const KkBox *next)
{
  double foot = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    foot = MAX(foot, o->boxes[items[i]].y1);
  return next->y0 - foot;
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
  gboolean vertical = mostly_vertical(o, items, n);
  if (vertical) {
    /* vertical writing: tiers (段) and page furniture top to bottom first,
     * then the columns of each tier right to left.  Along a column the
     * glyphs touch, so white of an em across all columns is a tier's end
     * (tiers often lie just an em apart) */
    guint tiers = axis_groups(o->boxes, items, n, 0.75 * o->min_gap, starts, TRUE);
    if (tiers > 1) {
      starts[tiers] = n;
      for (guint g = 0; g < tiers;) {
        /* a run of tiers one flow of columns runs through (each holds
         * vertical lines, at most 1.2 column gaps apart): what stands out
         * of the flow in any of them is read after the run */
        guint last = g;
        while (last + 1 < tiers && tier_has_column(o, items + starts[last], starts[last + 1] - starts[last]) &&
               tier_has_column(o, items + starts[last + 1], starts[last + 2] - starts[last + 1]) &&
               tier_gap(o, items + starts[last], starts[last + 1] - starts[last], &o->boxes[items[starts[last + 1]]]) <=
                 1.2 * o->min_gap)
          last++;
        guint from = o->floats->len;
        if (last > g)
          o->in_run++;
        for (guint t = g; t <= last; t++)
          order_set(o, items + starts[t], starts[t + 1] - starts[t]);
        if (last > g) {
          o->in_run--;
          guint nf = o->floats->len - from;
          g_autofree guint *fl = g_memdup2(&g_array_index(o->floats, guint, from), MAX(nf, 1) * sizeof(guint));
          g_array_set_size(o->floats, from);
          order_set(o, fl, nf);
        }
        g = last + 1;
      }
      o->depth--;
      return;
    }
  }
  if (vertical) {
    /* No tiers over the whole set: horizontal lines and tables among the
     * columns (a photo's caption, a results table the tiers run around)
     * stand out of the columns' flow, which runs from the foot of one
     * tier to the head of the next.  The columns are read first, then
     * the rest. */
    guint n_flow = 0;
    g_autofree guint *rest = g_new(guint, n);
    guint n_rest = 0;
    for (guint i = 0; i < n; i++) {
      if (reads_down(o, items[i]))
        items[n_flow++] = items[i];
      else
        rest[n_rest++] = items[i];
    }
    memcpy(items + n_flow, rest, n_rest * sizeof *items);
    if (n_flow > 0 && n_rest > 0) {
      order_set(o, items, n_flow);
      if (o->in_run > 0)
        g_array_append_vals(o->floats, items + n_flow, n_rest);
      else
        order_set(o, items + n_flow, n_rest);
      o->depth--;
      return;
    }
  }
  guint groups = axis_groups(o->boxes, items, n, o->min_gap, starts, FALSE);
  if (groups > 1) {
    /* columns: left to right, or right to left for vertical writing;
     * neighbouring columns that each read down (vertical lines set wide
     * apart, 音威子府村 | 令和二年度 | 主要事業 in a horizontal page) are
     * one vertical block: right to left among themselves */
    starts[groups] = n;
    if (vertical) {
      for (guint g = groups; g-- > 0;)
        order_set(o, items + starts[g], starts[g + 1] - starts[g]);
    } else {
      for (guint g = 0; g < groups;) {
        guint e = g;
        while (e < groups && mostly_vertical(o, items + starts[e], starts[e + 1] - starts[e]))
          e++;
        if (e == g) {
          order_set(o, items + starts[g], starts[g + 1] - starts[g]);
          g++;
          continue;
        }
        for (guint k = e; k-- > g;)
          order_set(o, items + starts[k], starts[k + 1] - starts[k]);
        g = e;
      }
    }
    o->depth--;
    return;
  }
  /* No column gap over the whole set: cut it into bands of rows and merge
   * consecutive bands into strips as long as they keep a column gap. */
  sort_boxes = o->boxes;
  sort_cores = o->cores;
  qsort(items, n, sizeof items[0], cmp_box_core);
  /* An item far taller than the set's usual one (a vertical heading beside
   * a section, a figure) would glue every row beside it into one band that
   * no column gap cuts, and those rows would interleave; it only holds
   * the band it starts in. */
  g_autofree double *heights = g_new(double, n);
  for (guint i = 0; i < n; i++)
    heights[i] = o->cores[items[i]].y1 - o->cores[items[i]].y0;
  qsort(heights, n, sizeof *heights, cmp_double);
  double tall = 4.0 * MAX(heights[n / 2], 0.5);
  g_autofree guint *band_start = g_new(guint, n + 1);
  guint n_bands = 0;
  double bottom = -1e300;
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &o->cores[items[i]];
    if (i == 0 || b->y0 > bottom)
      band_start[n_bands++] = i;
    bottom = MAX(bottom, b->y1 - b->y0 > tall ? b->y0 + tall : b->y1);
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
  g_autofree KkBox *cores = g_new(KkBox, MAX(n, 1));
  min_gap = min_gap > 0 ? min_gap : 1.0;
  for (guint i = 0; i < n; i++)
    cores[i] = core_of(&boxes[i], vertical && vertical[i], min_gap);
  g_autoptr(GArray) floats = g_array_new(FALSE, FALSE, sizeof(guint));
  Order o = { boxes, cores, vertical, min_gap, order, 0, 0, 0, floats };
  order_set(&o, items, n);
  g_assert(o.n_out == n);
}
