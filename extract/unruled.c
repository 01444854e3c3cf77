/*
 * unruled.c — tables aligned by whitespace, found from glyph geometry.
 *
 * Glyphs are grouped into visual rows; in each row, glyphs closer than
 * `join_gap` em are one inked interval.  A run of consecutive rows is a
 * table when some vertical strips of white (column gaps) stay free of ink
 * in every row of the run, and at least `min_rows` rows have ink on both
 * sides of them.  Work is greedy from top to bottom: a row that inks over a
 * gap that two or more rows already confirmed ends the run; a gap only one
 * row had (a space between words) just disappears; a group row ("１ 財政
 * の改革", one phrase from the first column into a gap) leaves the gaps be;
 * a heading in another type size ends the run.  Column gaps can be
 * narrow (a few points between cells of a dense table): Japanese text has
 * no spaces, so white that lines up over many rows is a column boundary.
 *
 * Rows of the run become table rows; a row with nothing in the first column
 * that follows at no more than the white between a cell's lines is the
 * next line of a wrapped cell (above the row's anchor in vertically
 * centred tables, whose lines interleave across columns, so the white is
 * measured between all the ink above and all below).
 * Two columns of running text also leave a gap free, so a two-column
 * candidate with a column of full-width lines is prose (unless short labels
 * stand beside it: a card).  A paragraph beside a wider table is cut off
 * and the table looked for again; header rows (of overlapping lines, and
 * two levels: a group heading spans the columns it stands over) and the
 * tail of a row split by a page break, which cannot start a run, are taken
 * in from above.
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double x0, x1;
  guint n;             /* glyphs in it */
  gboolean marker;     /* all of them list-marker characters */
  double yc;           /* middle of its glyph boxes' vertical extent */
  gboolean value;      /* starts with a digit or sign: a number, not text */
  double y0, y1;       /* vertical extent of its glyph boxes */
} Span;

/* A glyph that starts a number: a digit, a sign or a triangle for minus. */
static gboolean value_start(gunichar c)
{
  return g_unichar_isdigit(c) || c == '-' || c == '+' || c == 0x25B3 || c == 0x25B2 || c == 0x2212;
}

/* Characters that number or bullet a list item: digits, brackets, dots,
 * bullets, circled numbers, kanji numerals. */
static gboolean marker_char(gunichar c)
{
  if (g_unichar_isdigit(c) || (c >= 0x2460 && c <= 0x24FF) || (c >= 0x2160 && c <= 0x217F))
    return TRUE;
  if (c < 0x80)
    return strchr("().-[]", (int)c) != NULL && c != 0;
  return g_utf8_strchr("（）．・○●◎■□◆◇※－【】「」一二三四五六七八九十第章節", -1, c) != NULL;
}

typedef struct {
  guint first, count;    /* its inked spans in the span array */
  double top, bottom;    /* core band (middle of the glyph boxes) */
  double y0, y1;         /* full glyph boxes */
  double em;             /* median glyph size */
  gboolean units;        /* holds a units note (（単位：千円）) */
} Row;

typedef struct {
  double x0, x1;         /* the white strip still free in every row */
  guint support;         /* rows with ink on both sides */
  guint family;          /* the gap of the run's first row it comes from */
} Gap;

static double glyph_em(const KkGlyph *g)
{
  double h = g->box.y1 - g->box.y0;
  return g->size > 0.5f ? g->size : (h > 0.5 ? h : 1.0);
}

/* g_qsort_with_data() comparator of glyph indices (user data: the glyphs). */
static int cmp_x(gconstpointer a, gconstpointer b, gpointer glyphs)
{
  const KkGlyph *sort_glyphs = glyphs;
  const KkBox *p = &sort_glyphs[*(const guint *)a].box, *q = &sort_glyphs[*(const guint *)b].box;
  return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* What add_row() needs besides the row, for kk_glyph_rows(). */
typedef struct {
  const KkGlyph *g;
  double join_gap;
  GArray *rows, *spans;
} RowSink;

/* Adds one row (glyph indices `r`, `m` of them) and its ink spans. */
static void add_row(guint *r, guint m, gpointer user_data)
{
  RowSink *sink = user_data;
  const KkGlyph *g = sink->g;
  double join_gap = sink->join_gap;
  GArray *rows = sink->rows, *spans = sink->spans;
  g_qsort_with_data(r, (gint)m, sizeof *r, cmp_x, (gpointer)g);
  Row row = { spans->len, 0, 1e300, -1e300, 1e300, -1e300, 0, FALSE };
  double sizes[33];
  guint ns = 0;
  /* 単位 in a span of more than its two glyphs (（単位：千円）) is a
   * units note; alone it is the heading of a column of units */
  gboolean cur_units = FALSE;
  Span cur = { g[r[0]].box.x0, g[r[0]].box.x1, 1, marker_char(g[r[0]].ch),
               (g[r[0]].box.y0 + g[r[0]].box.y1) / 2, value_start(g[r[0]].ch), g[r[0]].box.y0, g[r[0]].box.y1 };
  for (guint k = 0; k < m; k++) {
    const KkGlyph *gl = &g[r[k]];
    double em = glyph_em(gl), h = gl->box.y1 - gl->box.y0;
    if (ns < G_N_ELEMENTS(sizes))
      sizes[ns++] = em;
    row.top = MIN(row.top, gl->box.y0 + 0.2 * h);
    row.bottom = MAX(row.bottom, gl->box.y1 - 0.2 * h);
    row.y0 = MIN(row.y0, gl->box.y0);
    row.y1 = MAX(row.y1, gl->box.y1);
    if (k > 0) {
      /* Japanese has no spaces: white next to a CJK glyph is a gap */
      const KkGlyph *prev = &g[r[k - 1]];
      gboolean ca = kk_is_cjk(prev->ch), cb = kk_is_cjk(gl->ch);
      /* CJK next to CJK: no space; CJK next to Latin or digits: the
       * automatic ~0.2 em of Word and LibreOffice; Latin: word spaces */
      double join = ca && cb ? MIN(join_gap, 0.15) : ca || cb ? MIN(join_gap, 0.3) : join_gap;
      if (gl->box.x0 - cur.x1 > join * em) {
        row.units = row.units || (cur_units && cur.n > 2);
        cur_units = FALSE;
        g_array_append_val(spans, cur);
        cur = (Span){ gl->box.x0, gl->box.x1, 1, marker_char(gl->ch), (gl->box.y0 + gl->box.y1) / 2,
                      value_start(gl->ch), gl->box.y0, gl->box.y1 };
      } else {
        cur.x1 = MAX(cur.x1, gl->box.x1);
        cur.y0 = MIN(cur.y0, gl->box.y0);
        cur.y1 = MAX(cur.y1, gl->box.y1);
        cur.n++;
        cur.marker = cur.marker && marker_char(gl->ch);
        cur_units = cur_units || (prev->ch == 0x5358 && gl->ch == 0x4F4D); /* 単位 */
      }
    }
  }
  row.units = row.units || (cur_units && cur.n > 2);
  g_array_append_val(spans, cur);
  qsort(sizes, ns, sizeof sizes[0], cmp_double);
  row.em = sizes[ns / 2];
  row.count = spans->len - row.first;
  g_array_append_val(rows, row);
}

/* Groups glyphs into rows (as text lines are grouped) and each row's ink
 * into spans. */
static void make_rows(const KkGlyph *g, guint *idx, guint n, double join_gap,
                      GArray *rows, GArray *spans)
{
  RowSink sink = { g, join_gap, rows, spans };
  kk_glyph_rows(g, idx, n, add_row, &sink);
}

/* Ink of row r between x0 and x1 (exclusive of touching). */
static gboolean row_has_ink(const Row *r, const Span *s, double x0, double x1)
{
  for (guint k = r->first; k < r->first + r->count; k++)
    if (s[k].x1 > x0 && s[k].x0 < x1)
      return TRUE;
  return FALSE;
}

/* Appends to `out` the parts of gap g that stay white in row r and are at
 * least min_w wide (a row may split one gap into candidates; later rows
 * decide).  Returns how many were appended. */
static guint white_parts(const Gap *g, const Row *r, const Span *s, double min_w, GArray *out)
{
  guint n = 0;
  double from = g->x0;
  for (guint k = r->first; k <= r->first + r->count; k++) {
    double to = k < r->first + r->count ? s[k].x0 : g->x1;
    double a = MAX(from, g->x0), b = MIN(to, g->x1);
    if (b - a >= min_w) {
      Gap part = { a, b, g->support, g->family };
      g_array_append_val(out, part);
      n++;
    }
    if (k < r->first + r->count)
      from = MAX(from, s[k].x1);
    if (from >= g->x1)
      break;
  }
  return n;
}

/* Column of x-extent [x0, x1] given the column boundaries xs. */
static guint column_of(const double *xs, guint n_cols, double x0, double x1)
{
  double xc = (x0 + x1) / 2;
  guint c = 0;
  while (c + 1 < n_cols && xc >= xs[c + 1])
    c++;
  return c;
}

/* The extent [*lo, *hi] of the ink of row `row` in column c of the
 * columns xs; FALSE when the row has none there. */
static gboolean column_ink(const Row *row, const Span *s, const double *xs, guint n_cols, guint c,
                           double *lo, double *hi)
{
  *lo = 1e300;
  *hi = -1e300;
  for (guint k = row->first; k < row->first + row->count; k++)
    if (column_of(xs, n_cols, s[k].x0, s[k].x1) == c) {
      *lo = MIN(*lo, s[k].x0);
      *hi = MAX(*hi, s[k].x1);
    }
  return *hi >= *lo;
}

/* Column c holds running text: in 60 % of its rows it is filled by
 * (almost) one line at least `min_em` em wide that ends within half an em
 * of the column's rightmost ink.  Running text is justified, so its lines
 * but the last end at one edge; a list of names or addresses as long as
 * each other is ragged on the right, a column of a table. */
static gboolean prose_column(const Row *rows, guint r0, guint r1, const Span *s,
                             const double *xs, guint n_cols, guint c, double min_em)
{
  double w = xs[c + 1] - xs[c], lo, hi, edge = -1e300;
  for (guint r = r0; r < r1; r++)
    if (column_ink(&rows[r], s, xs, n_cols, c, &lo, &hi))
      edge = MAX(edge, hi);
  guint n = 0, full = 0;
  for (guint r = r0; r < r1; r++) {
    if (!column_ink(&rows[r], s, xs, n_cols, c, &lo, &hi))
      continue;
    n++;
    if (hi - lo >= 0.8 * w && w >= min_em * rows[r].em && hi >= edge - 0.5 * rows[r].em)
      full++;
  }
  return n >= 3 && full * 10 >= n * 6;
}

/* A short span that starts with a digit or sign: a value. */
static gboolean value_span(const Span *sp)
{
  return sp->value && sp->n <= 16;
}

/* True when row b holds a value right under a value of row a in the same
 * column: two values of one column are two rows (a wrapped number goes
 * on with its unit or text, not with another number). */
static gboolean stacked_values(const Row *a, const Row *b, const Span *s, const double *xs, guint n_cols)
{
  for (guint k = b->first; k < b->first + b->count; k++) {
    if (!value_span(&s[k]))
      continue;
    guint c = column_of(xs, n_cols, s[k].x0, s[k].x1);
    for (guint j = a->first; j < a->first + a->count; j++)
      if (value_span(&s[j]) && column_of(xs, n_cols, s[j].x0, s[j].x1) == c)
        return TRUE;
  }
  return FALSE;
}

/* The columns (bit c for column c, the first 64) where row r has ink. */
static guint64 row_columns(const Row *row, const Span *s, const double *xs, guint n_cols)
{
  guint64 m = 0;
  for (guint k = row->first; k < row->first + row->count; k++)
    m |= G_GUINT64_CONSTANT(1) << MIN(column_of(xs, n_cols, s[k].x0, s[k].x1), 63u);
  return m;
}

/* Number of bits set in m. */
static guint bit_count(guint64 m)
{
  guint n = 0;
  for (; m; m &= m - 1)
    n++;
  return n;
}

/* Row `row` holds one short phrase: at most three spans, each within
 * 2 em of the next ("２ 健康・福祉"). */
static gboolean phrase_row(const Row *row, const Span *s)
{
  if (row->count > 3)
    return FALSE;
  for (guint k = row->first + 1; k < row->first + row->count; k++)
    if (s[k].x0 - s[k - 1].x1 > 2 * row->em)
      return FALSE;
  return TRUE;
}

/* Row `row` (set in the type size of `above`) is a group row of a table
 * with the column gaps `gaps` (those with `min_support` rows of ink on
 * both sides count): one short phrase (at most three spans, each within
 * 2 em of the next) that starts in the first column, reaches into the
 * white of a column gap and ends short of the table's middle, no value
 * after its first piece, nothing else on the row: "１ 財政の改革" over the
 * items of its group.  The cells of a row keep to their columns; a phrase
 * in another type size is a heading that ends the table (run_at()). */
static gboolean group_row(const Row *row, const Row *above, const Span *s, const Gap *gaps, guint ng,
                          guint min_support)
{
  if (!phrase_row(row, s) || fabs(row->em - above->em) > 0.04 * above->em)
    return FALSE;
  const Gap *first = NULL, *last = NULL;
  for (guint gi = 0; gi < ng; gi++)
    if (gaps[gi].support >= min_support) {
      first = first ? first : &gaps[gi];
      last = &gaps[gi];
    }
  const Span *a = &s[row->first], *z = &s[row->first + row->count - 1];
  if (first == NULL || a->x0 >= first->x0 || z->x1 >= (first->x0 + last->x1) / 2)
    return FALSE;
  for (guint k = row->first + 1; k < row->first + row->count; k++)
    if (value_span(&s[k]))
      return FALSE; /* a label and its value: a row of the table */
  for (guint k = row->first; k < row->first + row->count; k++)
    for (guint gi = 0; gi < ng; gi++)
      if (gaps[gi].support >= min_support && s[k].x0 < gaps[gi].x1 && s[k].x1 > gaps[gi].x0)
        return TRUE;
  return FALSE;
}

/* The columns (bits, the first 64) where rows [a, b) have ink. */
static guint64 rows_columns(const Row *rows, guint a, guint b, const Span *s, const double *xs, guint n_cols)
{
  guint64 m = 0;
  for (guint k = a; k < b; k++)
    m |= row_columns(&rows[k], s, xs, n_cols);
  return m;
}

/* Merged cells of a two-level header whose logical rows start at visual
 * rows start[0] and start[1] (columns xs): a heading of the upper row
 * over columns that the lower row names while the upper row leaves them
 * empty is a group heading (特定財源 over 国庫支出金 | 県支出金 | 地方債 |
 * その他): it spans the run of such columns whose middle lies nearest its
 * own.  Where there is one, the upper row's headings over columns the
 * lower row leaves empty span both rows (番号, 事業名).  Sets the spans
 * in rs / cs (per slot, row-major). */
static void span_header(const Row *rows, const guint *start, const Span *s, const double *xs, guint n_cols,
                        guint *rs, guint *cs)
{
  if (n_cols > 64)
    return;
  guint64 up = rows_columns(rows, start[0], start[1], s, xs, n_cols);
  guint64 low = rows_columns(rows, start[1], start[2], s, xs, n_cols);
  guint64 grouped = 0;
  double low_x0[64], low_x1[64]; /* the extent of the lower row's names per column */
  for (guint c = 0; c < n_cols; c++) {
    low_x0[c] = 1e300;
    low_x1[c] = -1e300;
  }
  for (guint r = start[1]; r < start[2]; r++)
    for (guint o = rows[r].first; o < rows[r].first + rows[r].count; o++) {
      guint oc = column_of(xs, n_cols, s[o].x0, s[o].x1);
      low_x0[oc] = MIN(low_x0[oc], s[o].x0);
      low_x1[oc] = MAX(low_x1[oc], s[o].x1);
    }
  for (guint k = start[0]; k < start[1]; k++)
    for (guint j = rows[k].first; j < rows[k].first + rows[k].count; j++) {
      guint c = column_of(xs, n_cols, s[j].x0, s[j].x1);
      guint64 bit = G_GUINT64_CONSTANT(1) << c;
      if ((low & bit) == 0 || (grouped & bit) != 0)
        continue;
      /* the widest run around c of columns named below, empty above */
      guint a = c, b = c;
      while (a > 0 && (low >> (a - 1) & 1) && !(up >> (a - 1) & 1))
        a--;
      while (b + 1 < n_cols && (low >> (b + 1) & 1) && !(up >> (b + 1) & 1))
        b++;
      if (a == b)
        continue;
      /* the sub-run [ga, gb] ∋ c whose middle (of the names below) is
       * nearest the heading's */
      double mid = (s[j].x0 + s[j].x1) / 2, best = 1e300;
      guint ga = c, gb = c;
      for (guint x = a; x <= c; x++)
        for (guint y = MAX(c, x + 1); y <= b; y++) {
          double lo = 1e300, hi = -1e300;
          for (guint z = x; z <= y; z++) {
            lo = MIN(lo, low_x0[z]);
            hi = MAX(hi, low_x1[z]);
          }
          if (fabs((lo + hi) / 2 - mid) < best) {
            best = fabs((lo + hi) / 2 - mid);
            ga = x;
            gb = y;
          }
        }
      if (best > 2 * rows[k].em)
        continue;
      cs[ga] = gb - ga + 1;
      grouped |= ((G_GUINT64_CONSTANT(2) << gb) - 1) & ~((G_GUINT64_CONSTANT(1) << ga) - 1);
    }
  if (grouped == 0)
    return;
  for (guint c = 0; c < n_cols; c++)
    if ((up >> c & 1) && !(low >> c & 1) && !(grouped >> c & 1))
      rs[c] = 2;
}

/* The white between two lines of one cell: the median gap between
 * consecutive lines of the column of rows [r0, r1) (boundaries xs) that
 * has the most lines, a wrapped description.  When its cells are mostly
 * one line this is the white between rows, and rows are told apart by
 * their anchors alone (make_table()). */
static double line_white(const Row *rows, guint r0, guint r1, const Span *s, const double *xs, guint n_cols)
{
  g_autofree guint *lines = g_new0(guint, n_cols);
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
      lines[column_of(xs, n_cols, s[k].x0, s[k].x1)]++;
  guint best = 0;
  for (guint c = 1; c < n_cols; c++)
    if (lines[c] > lines[best])
      best = c;
  g_autofree double *gap = g_new(double, lines[best] + 1);
  guint n = 0;
  double prev = 0;
  gboolean have = FALSE;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
      if (column_of(xs, n_cols, s[k].x0, s[k].x1) != best)
        continue;
      if (have)
        gap[n++] = s[k].y0 - prev;
      prev = s[k].y1;
      have = TRUE;
    }
  if (n == 0)
    return 0;
  qsort(gap, n, sizeof gap[0], cmp_double);
  return gap[n / 2];
}

/* The top of the ink from row k on (rows [k, r1)): rows are in order of
 * their middles, so the next row's top may lie above this one's. */
static double below_top(const Row *rows, guint k, guint r1)
{
  return k + 1 < r1 ? MIN(rows[k].y0, rows[k + 1].y0) : rows[k].y0;
}

static gboolean label_column(const Row *rows, guint r0, guint r1, const Span *s, const double *xs);

/* A label/value card (two columns xs: short labels | values) may set two
 * pairs or more on one row (事業番号 01-01-003 … 担当課 生涯学習課): on a
 * logical row of one line (rows start[lr], n_rows of them) white wider
 * than 2 em between short pieces (at most 12 glyphs, four pieces) of
 * the value column divides cells there.  Returns how many such
 * boundaries there are (the middles of the white, those within an em of
 * each other one; ascending, at most 8) in `bounds`, and sets bit b of
 * uses[lr] when row lr divides at boundary b. */
static guint pair_bounds(const Row *rows, const guint *start, guint n_rows, const Span *s, const double *xs,
                         double *bounds, guint *uses)
{
  guint nb = 0;
  for (guint pass = 0; pass < 2; pass++)
    for (guint lr = 0; lr < n_rows; lr++) {
      guint k = start[lr], first = 0, n = 0;
      if (pass == 1)
        uses[lr] = 0;
      if (start[lr + 1] != k + 1)
        continue;
      const Row *row = &rows[k];
      gboolean ok = TRUE;
      for (guint j = row->first; j < row->first + row->count; j++)
        if (column_of(xs, 2, s[j].x0, s[j].x1) == 1) {
          first = n++ == 0 ? j : first;
          ok = ok && s[j].n <= 12;
        }
      if (!ok || n < 2 || n > 4)
        continue;
      for (guint j = first + 1; j < first + n; j++) {
        if (s[j].x0 - s[j - 1].x1 <= 2 * row->em)
          continue;
        double mid = (s[j - 1].x1 + s[j].x0) / 2;
        guint b = 0;
        while (b < nb && fabs(bounds[b] - mid) > row->em)
          b++;
        if (pass == 1) {
          if (b < nb)
            uses[lr] |= 1u << b;
          continue;
        }
        if (b < nb || nb == 8)
          continue;
        guint at = nb++; /* keep them ascending */
        while (at > 0 && bounds[at - 1] > mid) {
          bounds[at] = bounds[at - 1];
          at--;
        }
        bounds[at] = mid;
      }
    }
  return nb;
}

/* True when row k (of n_rows) is one line set between the two rows
 * around it, beside them (a name centred on its 目標値 and 実績値 rows):
 * its box overlaps both, its middle lies within a quarter em of
 * halfway between theirs, and none of its spans stands over or under
 * one of theirs. */
static gboolean sandwiched(const Row *rows, guint n_rows, guint k, const Span *s)
{
  if (k == 0 || k + 1 >= n_rows)
    return FALSE;
  const Row *a = &rows[k - 1], *m = &rows[k], *z = &rows[k + 1];
  if (!(a->y1 > m->y0 && z->y0 < m->y1))
    return FALSE;
  if (fabs((m->top + m->bottom) / 2 - (a->top + a->bottom + z->top + z->bottom) / 4) > 0.25 * m->em)
    return FALSE;
  for (guint j = m->first; j < m->first + m->count; j++)
    if (row_has_ink(a, s, s[j].x0, s[j].x1) || row_has_ink(z, s, s[j].x0, s[j].x1))
      return FALSE;
  return TRUE;
}

/* Row k (of body rows [b0, b1)) is a cell of one line centred on the two
 * rows around it that it spans (a name and its unit beside its 目標値 and
 * 実績値 rows): it inks none of their columns, its box overlaps both, its
 * middle lies within a quarter em of halfway between theirs, and they
 * are two rows, not two lines of one cell: a value of the lower stands
 * under a value of the upper (stacked_values()). */
static gboolean spanning_row(const Row *rows, guint b0, guint b1, guint k, const Span *s, const double *xs,
                             guint n_cols)
{
  if (k <= b0 || k + 1 >= b1 || !sandwiched(rows, b1, k, s))
    return FALSE;
  const Row *a = &rows[k - 1], *m = &rows[k], *z = &rows[k + 1];
  guint64 cm = row_columns(m, s, xs, n_cols);
  return (cm & (row_columns(a, s, xs, n_cols) | row_columns(z, s, xs, n_cols))) == 0 &&
         stacked_values(a, z, s, xs, n_cols);
}

/* Makes the table of rows [r0, r1), the first `head` of them its header,
 * with the given column gaps. */
static KkPageTable *make_table(const Row *rows, guint r0, guint r1, guint head, const Span *s,
                               const Gap *gaps, guint n_gaps)
{
  guint n_cols = n_gaps + 1;
  double x_min = 1e300, x_max = -1e300;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
      x_min = MIN(x_min, s[k].x0);
      x_max = MAX(x_max, s[k].x1);
    }
  g_autofree double *xs = g_new(double, n_cols + 1);
  xs[0] = x_min - 0.5;
  for (guint c = 0; c < n_gaps; c++)
    xs[c + 1] = (gaps[c].x0 + gaps[c].x1) / 2;
  xs[n_cols] = x_max + 0.5;

  /* logical rows.  Each header row is one (its lines overlap).  Below,
   * blocks are runs of rows no further apart than the lines of one cell
   * (line_white()); wider white starts a block.  An anchor (ink in the first column, or a
   * value under a value) starts a row; so does a block.  A vertically
   * centred row has the extra lines of its long cells above its anchor:
   * in a table where some block after the first shows that, rows that
   * lead a block before its first anchor belong to that anchor when they
   * ink only columns the anchor row inks too, and at most half as many
   * (the lines of a header row ink most columns).  Elsewhere they are the
   * tail of the row above (or of a row the page break split). */
  guint n_vis = r1 - r0;
  double usual = line_white(rows, MIN(r0 + head, r1 - 1), r1, s, xs, n_cols);
  g_autofree guint *start = g_new(guint, n_vis + 1);
  guint n_rows = 0;
  guint body = MIN(r0 + head, r1);
  for (guint k = r0; k < body; k++)
    if (k == r0 || rows[k].y0 >= rows[k - 1].y1 - 0.1 * rows[k].em)
      start[n_rows++] = k;
  /* first pass: is the table vertically centred (a block after the first
   * with lines above its first anchor that can join it)? */
  gboolean centred = FALSE;
  /* lines centred on the two rows around them span both: they go with
   * the upper row and start none; the rows are told by the others */
  g_autofree gboolean *spanning = g_new0(gboolean, n_vis);
  for (guint k = body; k < r1; k++)
    spanning[k - r0] = spanning_row(rows, body, r1, k, s, xs, n_cols);
  for (guint pass = 0; pass < 2; pass++) {
    guint block = 0;
    for (guint r = body; r < r1; block++) {
      guint b1 = r + 1;
      double above = rows[r].y1; /* the lowest ink of the block so far */
      while (b1 < r1 && below_top(rows, b1, r1) - above <= usual + 0.25 * rows[b1].em) {
        above = MAX(above, rows[b1].y1);
        b1++;
      }
      gboolean anchored = FALSE;
      for (guint k = r; k < b1; k++) {
        guint up = k > r && spanning[k - 1 - r0] && k - 1 > r ? k - 2 : k - 1;
        gboolean anchor = !spanning[k - r0] && (row_has_ink(&rows[k], s, xs[0], xs[1]) ||
                          (k > r && stacked_values(&rows[up], &rows[k], s, xs, n_cols)));
        if (!anchor)
          continue;
        if (anchored) {
          if (pass == 1)
            start[n_rows++] = k;
          continue;
        }
        anchored = TRUE;
        /* the block's first anchor: which leading rows join it */
        guint64 at = row_columns(&rows[k], s, xs, n_cols);
        guint lead = k;
        while (lead > r) {
          guint64 cj = row_columns(&rows[lead - 1], s, xs, n_cols);
          if ((cj & ~at) != 0 || 2 * bit_count(cj) > bit_count(at))
            break;
          lead--;
        }
        if (pass == 0) {
          centred = centred || (block > 0 && lead < k);
          continue;
        }
        if (!centred)
          lead = k;
        if (lead > r)
          start[n_rows++] = r;
        start[n_rows++] = lead;
      }
      if (!anchored && pass == 1)
        start[n_rows++] = r;
      r = b1;
    }
  }
  start[n_rows] = r1;
  /* a card's rows of several label/value pairs divide its value column */
  double bounds[8];
  g_autofree guint *uses = g_new0(guint, n_rows);
  guint nb = n_cols == 2 && label_column(rows, body, r1, s, xs) ? pair_bounds(rows, start, n_rows, s, xs, bounds, uses) : 0;
  if (nb > 0) {
    xs = g_renew(double, xs, n_cols + 1 + nb);
    xs[2 + nb] = xs[2];
    memcpy(xs + 2, bounds, nb * sizeof(double));
    n_cols += nb;
  }
  KkPageTable *t = kk_page_table_new(n_rows, n_cols);
  t->ruled = FALSE;
  memcpy(t->xs, xs, (n_cols + 1) * sizeof(double));
  t->ys[0] = rows[r0].y0 - 0.5;
  for (guint lr = 1; lr < n_rows; lr++) { /* halfway between the ink above and below */
    double bottom = -1e300, top = 1e300;
    for (guint k = start[lr - 1]; k < start[lr]; k++)
      bottom = MAX(bottom, rows[k].y1);
    for (guint k = start[lr]; k < start[lr + 1]; k++)
      top = MIN(top, rows[k].y0);
    t->ys[lr] = (bottom + top) / 2;
  }
  t->ys[n_rows] = rows[r1 - 1].y1 + 0.5;
  for (guint lr = 1; lr <= n_rows; lr++) /* overlapping font boxes: keep order */
    t->ys[lr] = MAX(t->ys[lr], t->ys[lr - 1]);
  t->box = (KkBox){ t->xs[0], t->ys[0], t->xs[n_cols], t->ys[n_rows] };
  /* merged cells: group rows span the table, a two-level header's group
   * heading spans its columns and the headings beside it span down */
  g_autofree guint *rs = g_new(guint, (gsize)n_rows * n_cols), *cs = g_new(guint, (gsize)n_rows * n_cols);
  for (gsize i = 0; i < (gsize)n_rows * n_cols; i++)
    rs[i] = cs[i] = 1;
  guint head_rows = 0;
  while (head_rows < n_rows && start[head_rows] < r0 + head)
    head_rows++;
  for (guint lr = 0; lr < n_rows && nb > 0; lr++) /* the value column, divided where the row is */
    for (guint c = 1; c < n_cols;) {
      guint w = 1;
      while (c + w < n_cols && !(uses[lr] >> (c + w - 2) & 1))
        w++;
      cs[(gsize)lr * n_cols + c] = w;
      c += w;
    }
  for (guint lr = head_rows; lr < n_rows; lr++) {
    guint k = start[lr];
    if (start[lr + 1] == k + 1 && n_cols > 1 &&
        group_row(&rows[k], &rows[k > r0 ? k - 1 : MIN(k + 1, r1 - 1)], s, gaps, n_gaps, 1))
      cs[(gsize)lr * n_cols] = n_cols;
  }
  if (head_rows == 2)
    span_header(rows, start, s, xs, n_cols, rs, cs);
  /* a spanning line's cells reach down over the row after its own */
  for (guint lr = head_rows; lr + 1 < n_rows; lr++)
    for (guint k = start[lr]; k < start[lr + 1]; k++)
      if (spanning[k - r0] && start[lr + 1] == k + 1 && n_cols <= 64) {
        guint64 cm = row_columns(&rows[k], s, xs, n_cols);
        for (guint c = 0; c < n_cols; c++)
          if (cm >> c & 1)
            rs[(gsize)lr * n_cols + c] = 2;
      }
  /* a slot covered by a merged cell points at it */
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++) {
      gsize i = (gsize)r * n_cols + c;
      if (t->cell_of[i] >= 0)
        continue;
      guint rspan = MIN(rs[i], n_rows - r), cspan = MIN(cs[i], n_cols - c);
      KkCell cell = { .row = r, .col = c, .rowspan = rspan, .colspan = cspan };
      cell.box = (KkBox){ t->xs[c], t->ys[r], t->xs[c + cspan], t->ys[r + rspan] };
      cell.text = g_string_new(NULL);
      for (guint a = r; a < r + rspan; a++)
        for (guint b = c; b < c + cspan; b++)
          if (t->cell_of[(gsize)a * n_cols + b] < 0)
            t->cell_of[(gsize)a * n_cols + b] = (gint)t->cells->len;
      g_array_append_val(t->cells, cell);
    }
  return t;
}

/* Column c of the two columns xs (rows [r0, r1)) is a column of text,
 * not of labels or values: a third of its lines are longer than 12
 * glyphs.  Two such columns are two columns of a page (lists of items
 * set side by side), not a table. */
static gboolean text_column(const Row *rows, guint r0, guint r1, const Span *s, const double *xs, guint c)
{
  guint n = 0, longer = 0;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
      if (column_of(xs, 2, s[k].x0, s[k].x1) == c) {
        n++;
        longer += s[k].n > 12;
      }
  return n >= 3 && longer * 3 >= n;
}

/* Column 0 of the two columns xs (rows [r0, r1)) holds labels: short
 * (at most 12 glyphs each), in a column at most 12 em wide. */
static gboolean label_column(const Row *rows, guint r0, guint r1, const Span *s, const double *xs)
{
  guint n = 0;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
      if (column_of(xs, 2, s[k].x0, s[k].x1) != 0)
        continue;
      if (s[k].n > 12 || xs[1] - xs[0] > 12 * rows[r].em)
        return FALSE;
      n++;
    }
  return n >= 3;
}

/* The table run that starts at row r: its confirmed gaps (in `gaps`) and
 * its last row with two filled columns.  FALSE when it is no table. */
static gboolean run_at(const Row *rows, guint n_rows, const Span *s, guint r,
                       const KkUnruledParams *p, GArray *gaps_a, guint *last_row)
{
  const Row *first = &rows[r];
  double min_w = p->min_gap * first->em;
  g_array_set_size(gaps_a, 0);
  for (guint k = first->first + 1; k < first->first + first->count; k++)
    if (s[k].x0 - s[k - 1].x1 >= min_w) {
      Gap gp = { s[k - 1].x1, s[k].x0, 1, gaps_a->len };
      g_array_append_val(gaps_a, gp);
    }
  if (gaps_a->len == 0)
    return FALSE;
  g_autoptr(GArray) next = g_array_new(FALSE, FALSE, sizeof(Gap));
  guint end = r + 1;
  while (end < n_rows) {
    const Row *row = &rows[end];
    if (row->y0 - rows[end - 1].y1 > p->max_row_gap * MAX(row->em, rows[end - 1].em))
      break;
    /* a phrase in another type size, set off from the row above: the
     * heading of the next section (■ 成果指標, ２ 健康・福祉), not a row of
     * this table */
    if (phrase_row(row, s) && fabs(row->em - rows[end - 1].em) > 0.04 * rows[end - 1].em &&
        row->y0 - rows[end - 1].y1 > 0.5 * rows[end - 1].em)
      break;
    /* a group row runs over the first column gaps: it leaves them be */
    if (group_row(row, &rows[end - 1], s, (const Gap *)gaps_a->data, gaps_a->len, 2)) {
      end++;
      continue;
    }
    gboolean stop = FALSE;
    g_array_set_size(next, 0);
    for (guint gi = 0; gi < gaps_a->len; gi++) {
      const Gap *gp = &g_array_index(gaps_a, Gap, gi);
      if (white_parts(gp, row, s, min_w, next) == 0 && gp->support >= 2) {
        /* a confirmed gap inked over: the table ends, unless a sibling
         * candidate of the same gap lives on */
        gboolean sibling = FALSE;
        for (guint o = 0; o < gaps_a->len && !sibling; o++)
          if (o != gi && g_array_index(gaps_a, Gap, o).family == gp->family) {
            Gap tmp = g_array_index(gaps_a, Gap, o);
            g_autoptr(GArray) probe = g_array_new(FALSE, FALSE, sizeof(Gap));
            sibling = white_parts(&tmp, row, s, min_w, probe) > 0;
          }
        if (!sibling) {
          stop = TRUE;
          break;
        }
      }
    }
    /* support: ink on both sides of a candidate, up to the neighbours.
     * A line centred between two rows of the next columns (a name and
     * unit spanning their 目標値 and 実績値 rows) overlaps both: it and
     * the row above it count as one row when one has ink on one side of
     * the gap and the other, within 2 em, on the other side; ink on both
     * sides in the line itself stands for both rows it spans. */
    const Row *up = &rows[end - 1];
    gboolean mid_line = sandwiched(rows, n_rows, end, s);
    gboolean paired = mid_line || sandwiched(rows, n_rows, end - 1, s);
    double near = 2 * row->em;
    for (guint gi = 0; gi < next->len; gi++) {
      Gap *gp = &g_array_index(next, Gap, gi);
      double left_edge = gi > 0 ? g_array_index(next, Gap, gi - 1).x1 : -1e300;
      double right_edge = gi + 1 < next->len ? g_array_index(next, Gap, gi + 1).x0 : 1e300;
      gboolean left = row_has_ink(row, s, left_edge, gp->x0), right = row_has_ink(row, s, gp->x1, right_edge);
      if (left && right) {
        gp->support += mid_line ? 2 : 1;
        continue;
      }
      if (!paired)
        continue;
      double lo = MAX(left_edge, gp->x0 - near), hi = MIN(right_edge, gp->x1 + near);
      gboolean up_left = row_has_ink(up, s, lo, gp->x0), up_right = row_has_ink(up, s, gp->x1, hi);
      if (left ? !up_left && up_right : up_left && !up_right && row_has_ink(row, s, gp->x1, hi))
        gp->support++;
    }
    if (stop || next->len == 0)
      break;
    g_array_set_size(gaps_a, 0);
    g_array_append_vals(gaps_a, next->data, next->len);
    end++;
  }
  /* keep the confirmed gaps; the table ends at its last row with two
   * filled columns */
  guint ng = 0;
  Gap *gaps = (Gap *)gaps_a->data;
  for (guint gi = 0; gi < gaps_a->len; gi++) {
    if (gaps[gi].support < p->min_rows)
      continue;
    if (ng > 0 && gaps[ng - 1].family == gaps[gi].family) { /* siblings: the best */
      if (gaps[gi].support > gaps[ng - 1].support)
        gaps[ng - 1] = gaps[gi];
      continue;
    }
    gaps[ng++] = gaps[gi];
  }
  g_array_set_size(gaps_a, ng);
  if (ng == 0)
    return FALSE;
  g_autofree double *xs = g_new(double, ng + 2);
  xs[0] = 1e300;
  xs[ng + 1] = -1e300;
  for (guint rr = r; rr < end; rr++)
    for (guint k = rows[rr].first; k < rows[rr].first + rows[rr].count; k++) {
      xs[0] = MIN(xs[0], s[k].x0);
      xs[ng + 1] = MAX(xs[ng + 1], s[k].x1);
    }
  for (guint gi = 0; gi < ng; gi++)
    xs[gi + 1] = (gaps[gi].x0 + gaps[gi].x1) / 2;
  guint multi = 0, last_multi = r;
  for (guint rr = r; rr < end; rr++) {
    guint filled = 0;
    for (guint c = 0; c <= ng; c++)
      filled += row_has_ink(&rows[rr], s, xs[c], xs[c + 1]) ? 1 : 0;
    if (filled >= 2) {
      multi++;
      last_multi = rr;
    }
  }
  if (multi < p->min_rows)
    return FALSE;
  if (ng == 1) {
    /* two columns of running text are not a table; running text beside
     * short labels is a card (目的 | 本計画は…) */
    if (prose_column(rows, r, last_multi + 1, s, xs, 2, 0, 15) ||
        (text_column(rows, r, last_multi + 1, s, xs, 0) && text_column(rows, r, last_multi + 1, s, xs, 1)))
      return FALSE;
    if (prose_column(rows, r, last_multi + 1, s, xs, 2, 1, 15) &&
        !label_column(rows, r, last_multi + 1, s, xs))
      return FALSE;
    /* nor is a list whose first column only numbers or bullets its items */
    gboolean markers = TRUE;
    for (guint rr = r; rr <= last_multi && markers; rr++)
      for (guint k = rows[rr].first; k < rows[rr].first + rows[rr].count; k++)
        if (s[k].x1 <= xs[1] && !(s[k].marker && s[k].n <= 4))
          markers = FALSE;
    if (markers)
      return FALSE;
  }
  /* the last lines of a long cell fill one column only: keep those that
   * follow at line spacing */
  for (guint rr = last_multi + 1; rr < end; rr++) {
    if (rows[rr].y0 - rows[rr - 1].y1 > 0.25 * rows[rr].em || row_has_ink(&rows[rr], s, xs[0], xs[1]))
      break;
    last_multi = rr;
  }
  *last_row = last_multi;
  return TRUE;
}

/* Column c of rows [r0, r1) holds values: half of its spans start with a
 * digit or sign ("5,820人（令和元年度）"); lines of running text seldom
 * do, so such a column is no paragraph however full its lines are. */
static gboolean value_column(const Row *rows, guint r0, guint r1, const Span *s, const double *xs,
                             guint n_cols, guint c)
{
  guint n = 0, values = 0;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
      if (column_of(xs, n_cols, s[k].x0, s[k].x1) == c) {
        n++;
        values += s[k].value;
      }
  return n > 0 && values * 2 >= n;
}

/* Column boundaries for column_of(): the middles of the `ng` gaps, open
 * at both ends (ng + 2 values, free with g_free()). */
static double *gap_bounds(const Gap *gaps, guint ng)
{
  double *xs = g_new(double, ng + 2);
  xs[0] = -1e300;
  xs[ng + 1] = 1e300;
  for (guint c = 0; c < ng; c++)
    xs[c + 1] = (gaps[c].x0 + gaps[c].x1) / 2;
  return xs;
}

/* The side (1 left, 2 right, 0 none) of a table of rows [r0, r1) with
 * the given column gaps whose edge column is running text, or whose
 * lines sit off the baselines of the other columns in half the rows they
 * share: a paragraph or a figure's labels beside a table are no column of
 * it.  *cut is where to cut. */
static guint prose_side(const Row *rows, guint r0, guint r1, const Span *s, const Gap *gaps, guint ng,
                        double *cut)
{
  guint n_cols = ng + 1;
  g_autofree double *xs = gap_bounds(gaps, ng);
  /* the outer edges: the ink of the rows */
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
      xs[0] = xs[0] < -1e299 ? s[k].x0 : MIN(xs[0], s[k].x0);
      xs[n_cols] = xs[n_cols] > 1e299 ? s[k].x1 : MAX(xs[n_cols], s[k].x1);
    }
  if (n_cols < 3)
    return 0; /* two columns: run_at() judged them */
  guint widest = 0;
  for (guint r = r0; r < r1; r++)
    widest = MAX(widest, rows[r].count);
  g_autofree double *out_yc = g_new(double, widest + 1);
  for (guint side = 1; side <= 2; side++) {
    guint c = side == 1 ? 0 : n_cols - 1;
    /* rows where the column and the others both have ink: are their
     * lines on one baseline (a table's row) or not (a paragraph beside
     * it, at its own line pitch)? */
    guint both = 0, off = 0, in_alone = 0, out_alone = 0;
    for (guint r = r0; r < r1; r++) {
      /* the middles of the other columns' spans, sorted: is a line of
       * the column on the baseline of one of them? */
      guint in_n = 0, out_n = 0;
      for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
        if (column_of(xs, n_cols, s[k].x0, s[k].x1) != c)
          out_yc[out_n++] = s[k].yc;
      qsort(out_yc, out_n, sizeof out_yc[0], cmp_double);
      gboolean on = FALSE;
      for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
        if (column_of(xs, n_cols, s[k].x0, s[k].x1) != c)
          continue;
        in_n++;
        guint lo = 0, hi = out_n; /* the first middle >= this one's */
        while (lo < hi) {
          guint mid = (lo + hi) / 2;
          if (out_yc[mid] < s[k].yc)
            lo = mid + 1;
          else
            hi = mid;
        }
        on = on || (lo < out_n && out_yc[lo] - s[k].yc <= 0.2 * rows[r].em) ||
             (lo > 0 && s[k].yc - out_yc[lo - 1] <= 0.2 * rows[r].em);
      }
      in_alone += in_n > 0 && out_n == 0;
      out_alone += out_n > 0 && in_n == 0;
      if (in_n == 0 || out_n == 0)
        continue;
      both++;
      off += !on;
    }
    /* with glyph boxes one em tall (pdf-core.cc) lines at another pitch
     * may share no row with the others: when both the column and the
     * other columns have rows of their own, the column's lone rows are
     * off the table's baselines too */
    guint lines = both, off_lines = off;
    if (out_alone >= 2) {
      lines += in_alone;
      off_lines += in_alone;
    }
    gboolean off_rows = lines >= 3 && off_lines * 2 >= lines;
    if (off_rows || (prose_column(rows, r0, r1, s, xs, n_cols, c, 10) && !value_column(rows, r0, r1, s, xs, n_cols, c))) {
      *cut = side == 1 ? xs[1] : xs[n_cols - 1];
      return side;
    }
  }
  return 0;
}

/* True when some span of row h inks right across the white of a column
 * gap (a cut there would fall inside its words) and another span of the
 * row lies in one of the columns it covers: the row's words do not line
 * up with the columns, so it is a line of text over the table (a heading
 * "基本目標１ しごとを…" whose second part starts under the first column),
 * not a header row.  A header wider than its column reaches into the
 * gap's white but not across it; a group heading over columns of its
 * own has them to itself. */
static gboolean across_columns(const Row *h, const Span *s, const Gap *gaps, guint ng, const double *xs)
{
  for (guint j = h->first; j < h->first + h->count; j++) {
    gboolean across = FALSE;
    for (guint c = 0; c < ng && !across; c++)
      across = s[j].x0 < gaps[c].x0 && s[j].x1 > gaps[c].x1;
    if (!across)
      continue;
    guint lo = column_of(xs, ng + 1, s[j].x0, s[j].x0), hi = column_of(xs, ng + 1, s[j].x1, s[j].x1);
    for (guint o = h->first; o < h->first + h->count; o++) {
      guint c = column_of(xs, ng + 1, s[o].x0, s[o].x1);
      if (o != j && c >= lo && c <= hi)
        return TRUE;
    }
  }
  return FALSE;
}

/* How rows [a, b), the lines of one header row, name the columns of a
 * table with the column gaps `gaps` (boundaries xs, ink `width` wide). */
typedef enum {
  HEAD_NONE,  /* no header: a value, one name, a units note, or a line
                 across the columns */
  HEAD_PART,  /* names of some columns, each within its column: the lower
                 level of a two-level header (国庫支出金 | 県支出金 under
                 特定財源) when a full header row stands above it */
  HEAD_FULL   /* names of at least half the columns, or group headings
                 inking 60 % of the width (a caption names one thing) */
} HeadKind;

static HeadKind head_band(const Row *rows, guint a, guint b, const Span *s, const Gap *gaps, guint ng,
                          const double *xs, double width)
{
  guint n_cols = ng + 1, spans = 0;
  gboolean within = TRUE;
  double inked = 0; /* the most any of its lines inks */
  for (guint r = a; r < b; r++) {
    /* a units note (（単位：千円）) beside a heading is a caption; the
     * lines of one header row share a type size */
    if (rows[r].units || fabs(rows[r].em - rows[a].em) > 0.04 * rows[a].em ||
        across_columns(&rows[r], s, gaps, ng, xs))
      return HEAD_NONE;
    double line = 0;
    for (guint j = rows[r].first; j < rows[r].first + rows[r].count; j++) {
      if (value_span(&s[j]))
        return HEAD_NONE;
      line += s[j].x1 - s[j].x0;
      inked = MAX(inked, line);
      spans++;
      for (guint c = 0; c < ng; c++)
        within = within && !(s[j].x0 < gaps[c].x0 && s[j].x1 > gaps[c].x1);
    }
  }
  guint named = bit_count(rows_columns(rows, a, b, s, xs, n_cols));
  if (spans < 2 || named < 2)
    return HEAD_NONE;
  if (named * 2 >= n_cols || inked >= 0.6 * width)
    return HEAD_FULL;
  return within ? HEAD_PART : HEAD_NONE;
}

/* How many rows just above row r (none at or above `floor`) read as the
 * table's header: at most two header rows close above it, each of one
 * line or of lines whose boxes overlap (a heading of two lines,
 * 効果額⏎（千円）, beside one-line headings centred on it), judged by
 * head_band(): a full one, or a partial one under a full one.  A header
 * centred over its column or spanning a group of columns does not leave
 * the column gaps white, so the run itself may start below it. */
static guint header_above(const Row *rows, guint r, guint floor, const Span *s, const Gap *gaps,
                          guint ng, const KkUnruledParams *p)
{
  g_autofree double *xs = gap_bounds(gaps, ng);
  double width = gaps[ng - 1].x1 - gaps[0].x0;
  guint b = r, taken = r, bands = 0;
  HeadKind below_kind = HEAD_FULL;
  while (bands < 2 && b > floor) {
    const Row *next = &rows[b];
    if (next->y0 - rows[b - 1].y1 > p->max_row_gap * MAX(rows[b - 1].em, next->em))
      break;
    guint a = b - 1; /* lines of one header row overlap */
    while (a > floor && b - a < 3 && rows[a - 1].y1 > rows[a].y0 + 0.1 * rows[a].em)
      a--;
    /* two full header rows of one line each at most (a caption with its
     * units note above a header of two lines is no third) */
    if (bands == 1 && below_kind == HEAD_FULL && r - a > 2)
      break;
    HeadKind kind = head_band(rows, a, b, s, gaps, ng, xs, width);
    if (kind == HEAD_NONE)
      break;
    if (kind == HEAD_FULL)
      taken = a;
    else if (bands > 0 || below_kind != HEAD_FULL)
      break;
    below_kind = kind;
    bands++;
    b = a;
  }
  return r - taken;
}

/* Narrows each of the `ng` column gaps to the widest part of it that the
 * header rows [a, b) leave white too, so that the column boundary in its
 * middle cuts no heading (a heading centred over right-aligned figures
 * reaches into the white left of them).  A gap that a heading covers
 * whole (a group heading over two columns) stays as it is. */
static void fit_gaps_to_header(const Row *rows, guint a, guint b, const Span *s, Gap *gaps, guint ng)
{
  for (guint gi = 0; gi < ng; gi++) {
    double piece[16][2];
    guint n = 1;
    piece[0][0] = gaps[gi].x0;
    piece[0][1] = gaps[gi].x1;
    for (guint r = a; r < b; r++)
      for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
        for (guint q = 0; q < n; q++) {
          double x0 = piece[q][0], x1 = piece[q][1];
          if (s[k].x1 <= x0 || s[k].x0 >= x1)
            continue;
          /* keep the white left of the span here, the right at the end */
          piece[q][1] = s[k].x0;
          if (s[k].x1 < x1 && n < G_N_ELEMENTS(piece)) {
            piece[n][0] = s[k].x1;
            piece[n][1] = x1;
            n++;
          }
        }
    double best = 0;
    for (guint q = 0; q < n; q++)
      if (piece[q][1] - piece[q][0] > best) {
        best = piece[q][1] - piece[q][0];
        gaps[gi].x0 = piece[q][0];
        gaps[gi].x1 = piece[q][1];
      }
  }
}

/* True when the first column of the table of rows [r0, r1), whose first
 * `head` rows are its header, holds only item numbers (⑴, ①, 1.) under
 * an empty heading: they number the names of the next column, whose
 * heading covers both (項目 over "⑴ 村税"). */
static gboolean markers_under_heading(const Row *rows, guint r0, guint head, guint r1, const Span *s,
                                      const Gap *gaps)
{
  double cut = (gaps[0].x0 + gaps[0].x1) / 2;
  guint n = 0;
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++) {
      if ((s[k].x0 + s[k].x1) / 2 >= cut)
        continue;
      if (r < r0 + head || !(s[k].marker && s[k].n <= 4))
        return FALSE;
      n++;
    }
  return n >= 3;
}

/* How many rows just above row r (none at or above `floor`, at most 3)
 * are the last lines of a row that began on the previous page (or of the
 * cell above): at line spacing, nothing in the first column, each span
 * within one column, at most half the columns inked (a header inks most).  A single line cannot start a run, so the table
 * found below would leave them out. */
static guint tail_above(const Row *rows, guint r, guint floor, const Span *s, const Gap *gaps, guint ng)
{
  guint k = 0, n_cols = ng + 1;
  g_autofree double *xs = gap_bounds(gaps, ng);
  while (k < 3 && r > floor + k) {
    const Row *t = &rows[r - k - 1], *below = &rows[r - k];
    if (below->y0 - t->y1 > 0.5 * MAX(t->em, below->em))
      break;
    /* a units note above the table is its caption; a line in another
     * type size is no line of its cells */
    gboolean ok = !t->units && fabs(t->em - below->em) <= 0.04 * below->em;
    for (guint j = t->first; j < t->first + t->count && ok; j++) {
      ok = s[j].x0 >= gaps[0].x0; /* nothing in the first column */
      for (guint c = 0; c < ng && ok; c++) /* no span across a gap */
        ok = !(s[j].x0 < gaps[c].x0 && s[j].x1 > gaps[c].x1);
    }
    if (!ok || 2 * bit_count(row_columns(t, s, xs, n_cols)) > n_cols)
      break;
    k++;
  }
  return k;
}

/* True when some span of rows [r0, r1) is a value (value_span()). */
static gboolean rows_hold_values(const Row *rows, guint r0, guint r1, const Span *s)
{
  for (guint r = r0; r < r1; r++)
    for (guint k = rows[r].first; k < rows[r].first + rows[r].count; k++)
      if (value_span(&s[k]))
        return TRUE;
  return FALSE;
}

/* The median type size of rows [r0, r1). */
static double run_em(const Row *rows, guint r0, guint r1)
{
  g_autofree double *em = g_new(double, r1 - r0);
  for (guint r = r0; r < r1; r++)
    em[r - r0] = rows[r].em;
  qsort(em, r1 - r0, sizeof em[0], cmp_double);
  return em[(r1 - r0) / 2];
}

/* kk_unruled_detect() at recursion depth `depth`. */
static void detect(const KkGlyph *glyphs, const guint *idx_in, guint n, const KkUnruledParams *p,
                   GPtrArray *tables, guint depth)
{
  if (n < 2 * p->min_rows)
    return;
  g_autofree guint *idx = g_memdup2(idx_in, n * sizeof(guint));
  g_autoptr(GArray) rows_a = g_array_new(FALSE, FALSE, sizeof(Row));
  g_autoptr(GArray) spans_a = g_array_new(FALSE, FALSE, sizeof(Span));
  make_rows(glyphs, idx, n, p->join_gap, rows_a, spans_a);
  const Row *rows = (const Row *)rows_a->data;
  const Span *s = (const Span *)spans_a->data;
  guint n_rows = rows_a->len;
  g_autoptr(GArray) gaps = g_array_new(FALSE, FALSE, sizeof(Gap));
  g_autoptr(GArray) other = g_array_new(FALSE, FALSE, sizeof(Gap));
  guint r = 0, floor = 0; /* rows below floor are taken */
  while (r < n_rows) {
    guint last = 0;
    if (!run_at(rows, n_rows, s, r, p, gaps, &last)) {
      r++;
      continue;
    }
    /* A line above the table (a caption with a space in it) can start a
     * run that then swallows the table with too few columns: prefer a
     * start a little lower that finds more columns.  A two-column run
     * (label | text) gives way to a table of three columns or more
     * even when that ends sooner: the rows after it are looked at again. */
    for (guint r2 = r + 1; r2 <= r + 40 && r2 < last; r2++) {
      guint last2 = 0;
      gboolean found = run_at(rows, n_rows, s, r2, p, other, &last2);
      /* two rows under a header that fills all the rows skipped (a short
       * table whose headings, centred or over groups of columns, leave
       * fewer gaps white than its body) */
      if (!found && p->min_rows > 2 && r2 - r <= 4) {
        KkUnruledParams two = *p;
        two.min_rows = 2;
        found = run_at(rows, n_rows, s, r2, &two, other, &last2) && other->len > gaps->len &&
                header_above(rows, r2, r, s, (const Gap *)other->data, other->len, p) == r2 - r;
      }
      if (found && other->len > gaps->len &&
          (last2 >= last || (gaps->len == 1 && other->len >= 3))) {
        r = r2;
        last = last2;
        g_array_set_size(gaps, 0);
        g_array_append_vals(gaps, other->data, other->len);
      }
    }
    /* lines over the table in another type size with nothing in its
     * first column are its title, not its rows */
    double body_em = run_em(rows, r, last + 1);
    while (r < last && fabs(rows[r].em - body_em) > 0.04 * body_em &&
           !row_has_ink(&rows[r], s, -1e300, g_array_index(gaps, Gap, 0).x0))
      r++;
    /* a paragraph beside the table: look again without it, over the
     * rows of the run and the table's rhythm below it */
    double cut = 0;
    guint side = depth < 3 ? prose_side(rows, r, last + 1, s, (const Gap *)gaps->data, gaps->len, &cut) : 0;
    if (side != 0) {
      /* from a little above: the header may not have started the run */
      double y0 = rows[r].y0 - 6 * rows[r].em, y1 = rows[last].y1 + 2 * rows[last].em;
      if (floor > 0)
        y0 = MAX(y0, rows[floor - 1].y1);
      /* rows above the run whose text runs across the cut (the
       * paragraph's lines above the table) stay out */
      g_autoptr(GArray) across = g_array_new(FALSE, FALSE, sizeof(double));
      for (guint rr = floor; rr < r; rr++) {
        if (rows[rr].y1 < y0)
          continue;
        for (guint k = rows[rr].first; k < rows[rr].first + rows[rr].count; k++)
          if (s[k].x0 < cut && s[k].x1 > cut) {
            g_array_append_val(across, rows[rr].y0);
            g_array_append_val(across, rows[rr].y1);
            break;
          }
      }
      g_autofree guint *sub = g_new(guint, n);
      guint m = 0;
      for (guint i = 0; i < n; i++) {
        const KkBox *b = &glyphs[idx_in[i]].box;
        double xc = (b->x0 + b->x1) / 2, yc = (b->y0 + b->y1) / 2;
        gboolean out = !(yc >= y0 && yc <= y1 && (side == 1 ? xc > cut : xc < cut));
        for (guint a = 0; a + 1 < across->len && !out; a += 2)
          out = yc >= g_array_index(across, double, a) && yc <= g_array_index(across, double, a + 1);
        if (!out)
          sub[m++] = idx_in[i];
      }
      detect(glyphs, sub, m, p, tables, depth + 1);
      r = floor = last + 1;
      while (r < n_rows && rows[r].y0 < y1) /* rows the second look had */
        r = floor = r + 1;
      continue;
    }
    r -= tail_above(rows, r, floor, s, (const Gap *)gaps->data, gaps->len);
    if (r > floor && group_row(&rows[r - 1], &rows[r], s, (const Gap *)gaps->data, gaps->len, 1))
      r--; /* the group of the table's first rows */
    guint head = header_above(rows, r, floor, s, (const Gap *)gaps->data, gaps->len, p);
    r -= head;
    /* a header row that leaves every column gap white starts the run
     * itself: its first row (of lines whose boxes overlap), when it reads
     * as a header over a body of three columns or more that holds values */
    if (head == 0 && gaps->len >= 2) {
      guint b = r + 1;
      while (b <= last && b - r < 3 && rows[b - 1].y1 > rows[b].y0 + 0.1 * rows[b].em)
        b++;
      if (b < last && rows_hold_values(rows, b, last + 1, s) &&
          header_above(rows, b, r, s, (const Gap *)gaps->data, gaps->len, p) == b - r)
        head = b - r;
    }
    fit_gaps_to_header(rows, r, r + head, s, (Gap *)gaps->data, gaps->len);
    if (head > 0 && gaps->len >= 2 && markers_under_heading(rows, r, head, last + 1, s, (const Gap *)gaps->data))
      g_array_remove_index(gaps, 0);
    g_ptr_array_add(tables, make_table(rows, r, last + 1, head, s, (const Gap *)gaps->data, gaps->len));
    r = floor = last + 1;
  }
}

void kk_unruled_detect(const KkGlyph *glyphs, const guint *idx, guint n,
                       const KkUnruledParams *p, GPtrArray *tables)
{
  detect(glyphs, idx, n, p, tables, 0);
}
