/*
 * layout.c — one page put together (see layout.h).
 *
 * Order of work: ruled grids from the segments; every glyph goes to the
 * ruled cell its box centre falls in; grids that are charts or diagrams
 * become figures (figures.c) and give their glyphs back as free text;
 * whitespace-aligned tables are looked for among the other free glyphs
 * (and judged the same way); lines are built per cell and for the free
 * glyphs; finally tables (as blocks) and free lines are put in reading
 * order and each table's lines are listed where the table is read.
 */
#include "extract/layout.h"
#include "extract/cards.h"
#include "extract/page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marker in the glyph -> table/cell maps for glyphs of a figure. */
#define IN_FIGURE (-2)

KkLayout *kk_layout_new(double width, double height)
{
  KkLayout *l = g_new0(KkLayout, 1);
  l->width = width;
  l->height = height;
  l->glyphs = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  l->fonts = g_ptr_array_new_with_free_func(g_free);
  l->panels = g_array_new(FALSE, FALSE, sizeof(KkBox));
  l->lines = g_array_new(FALSE, FALSE, sizeof(KkLine));
  l->tables = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
  l->pool = g_string_new(NULL);
  l->figures = g_array_new(FALSE, FALSE, sizeof(KkFigure));
  return l;
}

void kk_layout_free(KkLayout *l)
{
  if (l == NULL)
    return;
  g_array_free(l->glyphs, TRUE);
  g_ptr_array_free(l->fonts, TRUE);
  g_array_free(l->panels, TRUE);
  g_array_free(l->lines, TRUE);
  g_ptr_array_free(l->tables, TRUE);
  g_string_free(l->pool, TRUE);
  g_array_free(l->figures, TRUE);
  g_free(l);
}

guint16 kk_layout_font(KkLayout *l, const char *name)
{
  if (name == NULL)
    name = "";
  for (guint i = l->fonts->len; i-- > 0;)
    if (strcmp(g_ptr_array_index(l->fonts, i), name) == 0)
      return (guint16)i;
  if (l->fonts->len >= 65535)
    return 65534;
  g_ptr_array_add(l->fonts, g_strdup(name));
  return (guint16)(l->fonts->len - 1);
}

/* The k-th smallest of s[0..n) (k < n), s reordered on the way
 * (quickselect: Hoare partitions around the middle element), the value a
 * full sort would put at s[k], found in linear time. */
static float kth_smallest(float *s, guint n, guint k)
{
  guint lo = 0, hi = n - 1;
  while (lo < hi) {
    float pivot = s[lo + (hi - lo) / 2];
    guint i = lo, j = hi;
    while (i <= j) {
      while (s[i] < pivot)
        i++;
      while (s[j] > pivot)
        j--;
      if (i <= j) {
        float t = s[i];
        s[i] = s[j];
        s[j] = t;
        i++;
        if (j == 0)
          break;
        j--;
      }
    }
    /* now s[lo..j] <= pivot <= s[i..hi], and s(j..i) == pivot */
    if (k <= j && j < hi)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return s[k];
  }
  return s[k];
}

double kk_layout_median_size(const KkLayout *l)
{
  guint n = l->glyphs->len;
  if (n == 0)
    return 10.0;
  /* a sample is enough */
  guint step = n > 4096 ? n / 4096 : 1, k = 0;
  g_autofree float *s = g_new(float, n / step + 1);
  for (guint i = 0; i < n; i += step) {
    const KkGlyph *g = &g_array_index(l->glyphs, KkGlyph, i);
    s[k++] = g->size > 0.5f ? g->size : (float)(g->box.y1 - g->box.y0);
  }
  double m = kth_smallest(s, k, k / 2);
  return m > 1.0 ? m : 10.0;
}

/* True for a line that is a number alone: an optional sign, digits with
 * separators ("162,100", "△1,035", "10.4", "３"). */
static gboolean is_number_text(const char *s, gsize len)
{
  if (len == 0)
    return FALSE;
  const char *end = s + len, *p = s;
  gunichar c = g_utf8_get_char(p);
  if (c == 0x25B3 || c == 0x25B2 || c == '-' || c == 0x2212 || c == '+' || c == 0xFF0B)
    p = g_utf8_next_char(p); /* △ ▲ - − + ＋ */
  gboolean digit = FALSE;
  for (; p < end; p = g_utf8_next_char(p)) {
    c = g_utf8_get_char(p);
    if (g_unichar_isdigit(c))
      digit = TRUE;
    else if (!(c == ',' || c == '.' || c == 0xFF0C || c == 0xFF0E))
      return FALSE;
  }
  return digit;
}

/* True for a line that reads as the unit of a number next to it: at most
 * four glyphs without a digit, and either set smaller than the number (a
 * unit label over a column of figures: 千円) or one of the units written
 * after figures (円 with its scales, percent, 人, 件, 世帯). */
static gboolean is_unit_text(const char *s, gsize len, double size, double number_size)
{
  static const char *const units[] = { "円", "千円", "万円", "百万円", "億円", "％", "%", "‰",
                                       "人", "件", "世帯", "回", "歳", "戸" };
  glong n = g_utf8_strlen(s, (gssize)len);
  if (n < 1 || n > 4)
    return FALSE;
  for (const char *p = s; p < s + len; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_isdigit(c) || g_unichar_isspace(c))
      return FALSE;
  }
  if (size > 0 && size <= 0.9 * number_size)
    return TRUE;
  for (guint u = 0; u < G_N_ELEMENTS(units); u++)
    if (strlen(units[u]) == len && memcmp(units[u], s, len) == 0)
      return TRUE;
  return FALSE;
}

/* True when line j (of lines[.. end)) is horizontal and alone on its
 * row: the next line is vertical or on another row. */
static gboolean row_alone(const KkLine *lines, guint j, guint end)
{
  if (lines[j].vertical)
    return FALSE;
  if (j + 1 == end || lines[j + 1].vertical)
    return TRUE;
  const KkBox *a = &lines[j].box, *b = &lines[j + 1].box;
  return MIN(a->y1, b->y1) - MAX(a->y0, b->y0) < 0.5 * MIN(a->y1 - a->y0, b->y1 - b->y0);
}

/* The line of lines[first .. end) that is an item number hanging beside
 * its text ("2" set level with the middle of a two-line name): at most
 * three digits or a circled number, alone on its row, between the top of
 * the cell's first other line and the bottom of its last, and left of all
 * of them; or G_MAXUINT.  Its text goes first. */
static guint hanging_mark(const KkLine *lines, const char *pool, guint first, guint end)
{
  guint mark = G_MAXUINT, others = 0;
  double left = G_MAXDOUBLE, top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
  for (guint i = first; i < end; i++) {
    const KkLine *a = &lines[i];
    if (a->vertical)
      return G_MAXUINT;
    const char *t = pool + a->text_off;
    glong n = g_utf8_strlen(t, a->text_len);
    gboolean digits = n >= 1 && n <= 3;
    for (const char *q = t; digits && q < t + a->text_len; q = g_utf8_next_char(q)) {
      gunichar c = g_utf8_get_char(q);
      digits = g_unichar_isdigit(c) || (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3251 && c <= 0x32BF);
    }
    if (digits && mark == G_MAXUINT) {
      mark = i;
      continue;
    }
    others++;
    left = MIN(left, a->box.x0);
    top = MIN(top, a->box.y0);
    bottom = MAX(bottom, a->box.y1);
  }
  if (mark == G_MAXUINT || others < 2)
    return G_MAXUINT;
  const KkBox *m = &lines[mark].box;
  double cy = (m->y0 + m->y1) / 2;
  if (m->x1 > left || cy <= top || cy >= bottom)
    return G_MAXUINT;
  for (guint i = first; i < end; i++) { /* alone on its row */
    const KkBox *b = &lines[i].box;
    if (i != mark && MIN(b->y1, m->y1) - MAX(b->y0, m->y0) >= 0.5 * MIN(b->y1 - b->y0, m->y1 - m->y0))
      return G_MAXUINT;
  }
  return mark;
}

/* Cell text from the cell's lines `first_line ..` (in build order: rows top
 * to bottom, left to right, then vertical lines).  Lines of one row are
 * joined by a space, rows by \n.  A unit set above its number (a row of
 * the unit alone over a row of the number alone) or before it on its row
 * is written after it, "46,460,600 千円", "3 人", so the value can be read
 * with its unit (normalize drops the space between a figure and a CJK
 * unit).  An item number hanging beside its text comes first (hanging_mark). */
static void fill_cell_text(KkLayout *l, KkPageTable *t, gint cell, guint first_line)
{
  KkCell *c = &g_array_index(t->cells, KkCell, cell);
  const KkLine *lines = &g_array_index(l->lines, KkLine, 0);
  const char *pool = l->pool->str;
  guint end = l->lines->len;
  g_autoptr(GString) row = g_string_new(NULL);
  guint mark = hanging_mark(lines, pool, first_line, end);
  gboolean joined = mark != G_MAXUINT; /* the next row goes on the mark's */
  if (joined) {
    g_string_append_len(c->text, pool + lines[mark].text_off, lines[mark].text_len);
    g_string_append_c(c->text, ' ');
  }
  for (guint i = first_line; i < end;) {
    if (i == mark) {
      i++;
      continue;
    }
    /* one row: horizontal lines that share a band */
    guint j = i + 1;
    while (j < end && j != mark && !lines[i].vertical && !lines[j].vertical) {
      const KkBox *a = &lines[j - 1].box, *b = &lines[j].box;
      double over = MIN(a->y1, b->y1) - MAX(a->y0, b->y0);
      if (over < 0.5 * MIN(a->y1 - a->y0, b->y1 - b->y0) || b->x0 < a->x0)
        break;
      j++;
    }
    g_string_truncate(row, 0);
    for (guint k = i; k < j; k++) {
      const KkLine *a = &lines[k];
      /* a unit before its number on the row: the number first */
      if (k + 1 < j && is_number_text(pool + lines[k + 1].text_off, lines[k + 1].text_len) &&
          is_unit_text(pool + a->text_off, a->text_len, a->size, lines[k + 1].size)) {
        g_string_append_len(row, pool + lines[k + 1].text_off, lines[k + 1].text_len);
        g_string_append_c(row, ' ');
        g_string_append_len(row, pool + a->text_off, a->text_len);
        k++;
      } else {
        g_string_append_len(row, pool + a->text_off, a->text_len);
      }
      if (k + 1 < j)
        g_string_append_c(row, ' ');
    }
    /* a unit alone over a number alone: the number, then the unit; a
     * number alone over its unit alone: one row */
    if (j == i + 1 && j < end && j != mark && !lines[i].vertical && row_alone(lines, j, end)) {
      const KkLine *a = &lines[i], *b = &lines[j];
      const char *bt = pool + b->text_off;
      if (is_number_text(bt, b->text_len) && is_unit_text(row->str, row->len, a->size, b->size)) {
        g_autofree char *unit = g_strndup(row->str, row->len);
        g_string_truncate(row, 0);
        g_string_append_len(row, bt, b->text_len);
        g_string_append_c(row, ' ');
        g_string_append(row, unit);
        j++;
      } else if (is_number_text(row->str, row->len) && is_unit_text(bt, b->text_len, b->size, a->size)) {
        g_string_append_c(row, ' ');
        g_string_append_len(row, bt, b->text_len);
        j++;
      }
    }
    if (c->text->len > 0 && !joined)
      g_string_append_c(c->text, '\n');
    joined = FALSE;
    g_string_append_len(c->text, row->str, row->len);
    i = j;
  }
}

/* Puts lines (and tables as blocks) into reading order and renumbers the
 * tables in the order they are read. */
static void order_page(KkLayout *l, double min_gap)
{
  guint nl = l->lines->len, nt = l->tables->len;
  /* blocks: free lines, then tables */
  g_autofree guint *block_of = g_new(guint, nl + nt); /* block -> line or table */
  g_autofree KkBox *boxes = g_new(KkBox, nl + nt + 1);
  g_autofree gboolean *vert = g_new(gboolean, nl + nt + 1);
  guint nb = 0;
  for (guint i = 0; i < nl; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    if (line->table >= 0)
      continue;
    block_of[nb] = i;
    boxes[nb] = line->box;
    vert[nb] = line->vertical;
    nb++;
  }
  guint first_table_block = nb;
  for (guint t = 0; t < nt; t++) {
    const KkPageTable *table = g_ptr_array_index(l->tables, t);
    block_of[nb] = t;
    boxes[nb] = table->box;
    vert[nb] = FALSE;
    nb++;
  }
  g_autofree guint *order = g_new(guint, nb + 1);
  kk_reading_order(boxes, vert, nb, min_gap, order);

  /* lines of each table, by cell (stable: build order inside a cell) */
  g_autofree guint *count = g_new0(guint, nt + 1);
  for (guint i = 0; i < nl; i++) {
    gint t = g_array_index(l->lines, KkLine, i).table;
    if (t >= 0 && (guint)t < nt)
      count[t]++;
  }
  g_autofree guint *start = g_new0(guint, nt + 1);
  for (guint t = 1; t <= nt; t++)
    start[t] = start[t - 1] + count[t - 1];
  g_autofree guint *by_table = g_new(guint, start[nt] + 1);
  g_autofree guint *fill = g_memdup2(start, (nt + 1) * sizeof(guint));
  for (guint i = 0; i < nl; i++) {
    gint t = g_array_index(l->lines, KkLine, i).table;
    if (t >= 0 && (guint)t < nt)
      by_table[fill[t]++] = i;
  }
  for (guint t = 0; t < nt; t++) /* insertion sort by cell: stable */
    for (guint a = start[t] + 1; a < start[t + 1]; a++) {
      guint v = by_table[a], b = a;
      gint cv = g_array_index(l->lines, KkLine, v).cell;
      while (b > start[t] && g_array_index(l->lines, KkLine, by_table[b - 1]).cell > cv) {
        by_table[b] = by_table[b - 1];
        b--;
      }
      by_table[b] = v;
    }

  g_autofree gint *new_index = g_new(gint, nt + 1);
  GArray *lines = g_array_sized_new(FALSE, FALSE, sizeof(KkLine), nl);
  GPtrArray *tables = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
  for (guint k = 0; k < nb; k++) {
    guint b = order[k];
    if (b < first_table_block) {
      g_array_append_val(lines, g_array_index(l->lines, KkLine, block_of[b]));
      continue;
    }
    guint t = block_of[b];
    new_index[t] = (gint)tables->len;
    g_ptr_array_add(tables, g_ptr_array_index(l->tables, t));
    for (guint a = start[t]; a < start[t + 1]; a++) {
      KkLine line = g_array_index(l->lines, KkLine, by_table[a]);
      line.table = new_index[t];
      g_array_append_val(lines, line);
    }
  }
  /* the tables moved to the new array: empty the old one without freeing */
  g_ptr_array_set_free_func(l->tables, NULL);
  g_ptr_array_free(l->tables, TRUE);
  l->tables = tables;
  g_array_free(l->lines, TRUE);
  l->lines = lines;
}

/* Drops segments that lie entirely inside glyph boxes: lines struck
 * through text, and strokes of text drawn as paths next to its invisible
 * text layer.  A ruling always reaches beyond the text. */
typedef struct {
  double from, to;
} Interval;

/* qsort: intervals by start. */
static int cmp_interval(const void *a, const void *b)
{
  const Interval *p = a, *q = b;
  return p->from < q->from ? -1 : p->from > q->from;
}

static void drop_glyph_strokes(GArray *segs, gboolean vertical, const KkGlyph *glyphs, guint ng)
{
  g_autoptr(GArray) cover = g_array_new(FALSE, FALSE, sizeof(Interval));
  guint kept = 0;
  for (guint i = 0; i < segs->len; i++) {
    KkSeg sg = g_array_index(segs, KkSeg, i);
    double len = sg.a1 - sg.a0;
    /* the glyph boxes the segment passes through, along the segment */
    g_array_set_size(cover, 0);
    for (guint k = 0; k < ng; k++) {
      const KkBox *b = &glyphs[k].box;
      double lo = vertical ? b->x0 : b->y0, hi = vertical ? b->x1 : b->y1;
      if (sg.pos <= lo + 0.3 || sg.pos >= hi - 0.3)
        continue;
      Interval iv = { vertical ? b->y0 : b->x0, vertical ? b->y1 : b->x1 };
      if (iv.to > sg.a0 && iv.from < sg.a1)
        g_array_append_val(cover, iv);
    }
    double covered = 0, reach = sg.a0;
    if (cover->len > 0) {
      qsort(cover->data, cover->len, sizeof(Interval), cmp_interval);
      for (guint k = 0; k < cover->len; k++) {
        const Interval *iv = &g_array_index(cover, Interval, k);
        if (iv->from > reach + 0.5)
          break; /* a stretch of the segment outside any glyph */
        if (iv->to > reach) {
          covered += MIN(iv->to, sg.a1) - reach;
          reach = iv->to;
        }
      }
    }
    if (len <= 0 || covered < 0.9 * len)
      g_array_index(segs, KkSeg, kept++) = sg;
  }
  g_array_set_size(segs, kept);
}

/* Puts every glyph i with ft[i] == -1 whose centre lies in a table of
 * `tables` into that table's cell (ft/fc); counts per table in `used`. */
static void locate_glyphs(const KkGlyph *glyphs, guint ng, GPtrArray *tables,
                          gint *ft, gint *fc, guint *used)
{
  for (guint i = 0; i < ng; i++) {
    if (ft[i] != -1)
      continue;
    double x = (glyphs[i].box.x0 + glyphs[i].box.x1) / 2, y = (glyphs[i].box.y0 + glyphs[i].box.y1) / 2;
    for (guint t = 0; t < tables->len; t++) {
      const KkPageTable *table = g_ptr_array_index(tables, t);
      if (x < table->box.x0 || x >= table->box.x1 || y < table->box.y0 || y >= table->box.y1)
        continue;
      gint c = kk_page_table_locate(table, x, y);
      if (c >= 0) {
        ft[i] = (gint)t;
        fc[i] = c;
        used[t]++;
        break;
      }
    }
  }
}

/* True when boxes a and b, a grown by `margin`, overlap. */
static gboolean boxes_near(const KkBox *a, const KkBox *b, double margin)
{
  return a->x0 - margin < b->x1 && b->x0 < a->x1 + margin &&
         a->y0 - margin < b->y1 && b->y0 < a->y1 + margin;
}

/* Judges every table of `found` that holds glyphs (used[t] > 0, its glyphs
 * those with ft[i] == t): a chart or diagram, or a whitespace table next to
 * one (its axis labels), is added to l->figures, its used[] count set to
 * 0 and its glyphs' ft set to IN_FIGURE. */
static void mark_figures(KkLayout *l, GPtrArray *found, guint *used, gint *ft, const gint *fc, double em)
{
  guint ng = l->glyphs->len, nt = found->len;
  if (nt == 0)
    return;
  const KkGlyph *glyphs = (const KkGlyph *)l->glyphs->data;
  g_autofree guint *start = g_new0(guint, nt + 2);
  for (guint i = 0; i < ng; i++)
    if (ft[i] >= 0)
      start[ft[i] + 1]++;
  for (guint t = 1; t <= nt; t++)
    start[t] += start[t - 1];
  g_autofree guint *fill = g_memdup2(start, (nt + 1) * sizeof(guint));
  g_autofree guint *members = g_new(guint, MAX(start[nt], 1));
  for (guint i = 0; i < ng; i++)
    if (ft[i] >= 0)
      members[fill[ft[i]]++] = i;
  guint n_figures = l->figures->len; /* those of earlier passes */
  for (guint t = 0; t < nt; t++) {
    if (used[t] == 0)
      continue;
    const KkPageTable *table = g_ptr_array_index(found, t);
    KkFigureKind kind = kk_table_figure_kind(table, glyphs, members + start[t], start[t + 1] - start[t], fc);
    if (kind == KK_FIGURE_NONE && !table->ruled)
      kind = kk_table_panels_kind(table, glyphs, members + start[t], start[t + 1] - start[t], fc,
                                  (const KkBox *)l->panels->data, l->panels->len);
    for (guint f = 0; f < n_figures && kind == KK_FIGURE_NONE && !table->ruled; f++)
      if (boxes_near(&g_array_index(l->figures, KkFigure, f).box, &table->box, 2 * em))
        kind = KK_FIGURE_LABELS;
    if (kind == KK_FIGURE_NONE)
      continue;
    KkFigure f = { table->box, kind };
    g_array_append_val(l->figures, f);
    used[t] = 0;
    for (guint k = start[t]; k < start[t + 1]; k++)
      ft[members[k]] = IN_FIGURE;
  }
}

/* Takes the tables of `found` (owned: emptied) that hold glyphs and are
 * no figure into l->tables: the free glyphs (gt < 0 and not in a figure)
 * whose centre lies in one go to its cell (gt/gc); a figure's glyphs stay
 * free with gc = IN_FIGURE. */
static void adopt_tables(KkLayout *l, GPtrArray *found, gint *gt, gint *gc, double em)
{
  guint ng = l->glyphs->len, nt = found->len;
  g_autofree gint *ft = g_new(gint, MAX(ng, 1)), *fc = g_new(gint, MAX(ng, 1));
  for (guint i = 0; i < ng; i++) {
    ft[i] = gt[i] < 0 && gc[i] != IN_FIGURE ? -1 : -3; /* -3: taken before */
    fc[i] = -1;
  }
  g_autofree guint *used = g_new0(guint, nt + 1);
  locate_glyphs((const KkGlyph *)l->glyphs->data, ng, found, ft, fc, used);
  mark_figures(l, found, used, ft, fc, em);
  g_autofree gint *keep = g_new(gint, nt + 1);
  for (guint t = 0; t < nt; t++) {
    keep[t] = -1;
    if (used[t] == 0) /* no glyph: a frame, not a table */
      continue;
    keep[t] = (gint)l->tables->len;
    g_ptr_array_add(l->tables, found->pdata[t]);
    found->pdata[t] = NULL; /* now owned by l->tables */
  }
  for (guint i = 0; i < ng; i++) {
    if (ft[i] >= 0 && keep[ft[i]] >= 0) {
      gt[i] = keep[ft[i]];
      gc[i] = fc[i];
    } else if (ft[i] == IN_FIGURE) {
      gc[i] = IN_FIGURE;
    }
  }
}

void kk_layout_build(KkLayout *l, GArray *hsegs, GArray *vsegs, gboolean find_unruled)
{
  guint ng = l->glyphs->len;
  const KkGlyph *glyphs = (const KkGlyph *)l->glyphs->data;
  double em = kk_layout_median_size(l);
  KkLineParams lp;
  kk_line_params_default(&lp);
  g_autofree gint *gt = g_new(gint, MAX(ng, 1)), *gc = g_new(gint, MAX(ng, 1));
  for (guint i = 0; i < ng; i++)
    gt[i] = gc[i] = -1;

  /* ruled tables; those without any glyph are frames, not tables */
  if (hsegs && vsegs) {
    kk_segments_merge(hsegs, 1.5, 3.0, 6.0);
    kk_segments_merge(vsegs, 1.5, 3.0, 6.0);
    /* more rulings than any table has: the page is a drawing or noise */
    if (hsegs->len + vsegs->len > 4000) {
      g_array_set_size(hsegs, 0);
      g_array_set_size(vsegs, 0);
    }
    if ((guint64)(hsegs->len + vsegs->len) * ng < G_GUINT64_CONSTANT(100000000)) {
      drop_glyph_strokes(hsegs, FALSE, glyphs, ng);
      drop_glyph_strokes(vsegs, TRUE, glyphs, ng);
    }
    /* vertical lines end at the rules between tiers (段) */
    kk_glyphs_split_at_rules((KkGlyph *)l->glyphs->data, ng, hsegs);
    KkGridParams gp = { .tol = 2.5, .min_cell = 4.0, .max_cells = 200000 };
    g_autoptr(GPtrArray) grids = kk_grid_build(hsegs, vsegs, &gp);
    adopt_tables(l, grids, gt, gc, em);
  }

  /* whitespace-aligned tables among the glyphs left (not those of figures) */
  if (find_unruled) {
    g_autofree guint *cand = g_new(guint, MAX(ng, 1));
    guint n = 0;
    for (guint i = 0; i < ng; i++)
      if (gt[i] < 0 && gc[i] != IN_FIGURE && !(glyphs[i].flags & KK_GLYPH_VERTICAL))
        cand[n++] = i;
    KkUnruledParams up = { .min_gap = 0.3, .join_gap = 0.35, .min_rows = 3, .max_row_gap = 2.0 };
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
    n = kk_cards_detect(glyphs, cand, n, found); /* label/value cards first: cand keeps the rest */
    kk_unruled_detect(glyphs, cand, n, &up, found);
    adopt_tables(l, found, gt, gc, em);
  }

  /* bucket glyphs by (table, cell); lines per cell, then the free ones */
  guint nt = l->tables->len;
  g_autofree guint *cell_base = g_new0(guint, nt + 1);
  for (guint t = 0; t < nt; t++) {
    const KkPageTable *table = g_ptr_array_index(l->tables, t);
    cell_base[t + 1] = cell_base[t] + table->cells->len;
  }
  guint n_buckets = cell_base[nt];
  g_autofree guint *bstart = g_new0(guint, n_buckets + 2);
  for (guint i = 0; i < ng; i++)
    if (gt[i] >= 0)
      bstart[cell_base[gt[i]] + (guint)gc[i] + 1]++;
  for (guint b = 1; b <= n_buckets; b++)
    bstart[b] += bstart[b - 1];
  g_autofree guint *bfill = g_memdup2(bstart, (n_buckets + 1) * sizeof(guint));
  g_autofree guint *members = g_new(guint, MAX(bstart[n_buckets], 1));
  g_autofree guint *free_glyphs = g_new(guint, MAX(ng, 1));
  guint n_free = 0;
  for (guint i = 0; i < ng; i++) {
    if (gt[i] >= 0)
      members[bfill[cell_base[gt[i]] + (guint)gc[i]]++] = i;
    else
      free_glyphs[n_free++] = i;
  }
  for (guint t = 0; t < nt; t++) {
    KkPageTable *table = g_ptr_array_index(l->tables, t);
    g_free(table->cell_fonts);
    table->cell_fonts = g_new0(guint64, table->cells->len + 1);
    for (guint c = 0; c < table->cells->len; c++) {
      guint b = cell_base[t] + c, first_line = l->lines->len;
      kk_lines_build(glyphs, members + bstart[b], bstart[b + 1] - bstart[b], &lp,
                     (gint)t, (gint)c, l->lines, l->pool);
      fill_cell_text(l, table, (gint)c, first_line);
      for (guint i = first_line; i < l->lines->len; i++)
        table->cell_fonts[c] |= G_GUINT64_CONSTANT(1) << (g_array_index(l->lines, KkLine, i).font % 64);
    }
  }
  kk_lines_build(glyphs, free_glyphs, n_free, &lp, -1, -1, l->lines, l->pool);
  order_page(l, 1.2 * em);
}

void kk_layout_link_tables(KkLayout *l, KkPageTableSig *sig)
{
  guint nt = l->tables->len;
  if (nt == 0) { /* a page without tables ends any running table */
    kk_page_table_sig_clear(sig);
    return;
  }
  /* first (topmost) and last (bottommost) table */
  guint first = 0, last = 0;
  for (guint t = 1; t < nt; t++) {
    const KkPageTable *a = g_ptr_array_index(l->tables, t);
    if (a->box.y0 < ((KkPageTable *)g_ptr_array_index(l->tables, first))->box.y0)
      first = t;
    if (a->box.y1 > ((KkPageTable *)g_ptr_array_index(l->tables, last))->box.y1)
      last = t;
  }
  const KkPageTable *ft = g_ptr_array_index(l->tables, first), *lt = g_ptr_array_index(l->tables, last);
  /* page furniture: at most a few short lines (running head, page number),
   * none set larger than the table's text flush with its left edge (a
   * section heading: the table under it is a new one; a running title is
   * centred); the texts above the first table tell a running head from a
   * heading */
  guint above = 0, below = 0;
  double table_size = 0;
  g_autoptr(GPtrArray) head = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < l->lines->len; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    if (line->table == (gint)first)
      table_size = MAX(table_size, line->size);
  }
  double next_y = l->height; /* a table followed by a third of a page of white ended there */
  for (guint i = 0; i < l->lines->len; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    if (line->table >= 0)
      continue;
    if (line->box.y1 <= ft->box.y0 + 1.0) {
      g_ptr_array_add(head, g_strndup(l->pool->str + line->text_off, line->text_len));
      above += table_size > 0 && line->size > 1.08 * table_size &&
               fabs(line->box.x0 - ft->box.x0) < 2 * line->size ? 4 : 1;
    }
    if (line->box.y0 >= lt->box.y1 - 1.0) {
      below++;
      next_y = MIN(next_y, line->box.y0);
    }
  }
  g_ptr_array_add(head, NULL);
  const char *const *head_texts = (const char *const *)head->pdata;
  for (guint t = 0; t < nt; t++) {
    KkPageTable *table = g_ptr_array_index(l->tables, t);
    if (t == first)
      kk_page_table_link_page(table, above <= 3, head_texts, sig);
    else
      kk_page_table_link(table, FALSE, NULL);
  }
  kk_page_table_sig_set_page(sig, ft, lt, below <= 3 && next_y - lt->box.y1 <= l->height / 3, head_texts);
}
