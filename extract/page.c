/*
 * page.c — fixes to one page as Poppler's core read it (pdf-core.cc):
 * which glyphs run top to bottom, and turning a page whose text runs up or
 * down into the frame where it runs left to right.
 */
#include "extract/page.h"
#include "common/kk-error.h"

#include <math.h>
#include <string.h>

/* A run of glyphs side by side on one Poppler line: a word of horizontal
 * text, or in upright vertical text one glyph (or a few digits set across
 * the column, 縦中横). */
typedef struct {
  KkBox box;
  guint first, n;   /* glyphs[first .. first + n) */
  double em;
  double xc;        /* centre across the column */
} Token;

/* Orders two indices by their keys x and y, then by index (a stable
 * order for g_qsort_with_data()). */
static inline int cmp_keys(double x, double y, guint i, guint j)
{
  if (x != y)
    return x < y ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* g_qsort_with_data() comparators of token indices (user data: tokens). */
static int cmp_token_xc(gconstpointer a, gconstpointer b, gpointer tokens)
{
  const Token *t = tokens;
  guint i = *(const guint *)a, j = *(const guint *)b;
  return cmp_keys(t[i].xc, t[j].xc, i, j);
}

static int cmp_token_y(gconstpointer a, gconstpointer b, gpointer tokens)
{
  const Token *t = tokens;
  guint i = *(const guint *)a, j = *(const guint *)b;
  return cmp_keys(t[i].box.y0, t[j].box.y0, i, j);
}

/* True when token `t` holds a digit or a Latin letter: 縦中横 digits set
 * across a column (or a full-width digit), whose horizontal box runs from
 * the font's ascent to its descent, taller than the column's pitch. */
static gboolean token_across(const KkGlyph *g, const Token *t)
{
  for (guint i = t->first; i < t->first + t->n; i++)
    if (!kk_is_cjk(g[i].ch) || g_unichar_isdigit(g[i].ch))
      return TRUE;
  return FALSE;
}

/* True when token u follows token t down one column of upright vertical
 * text: same size, boxes touching or overlapping, one character pitch on
 * (up to 1.5 em next to 縦中横 digits, whose tall box puts its centre off
 * the column's pitch). */
static gboolean column_step(const KkGlyph *g, const Token *t, const Token *u)
{
  double em = MAX(t->em, u->em);
  double step = (u->box.y0 + u->box.y1 - t->box.y0 - t->box.y1) / 2;
  double most = token_across(g, t) || token_across(g, u) ? 1.5 : 1.25;
  return fabs(t->em - u->em) <= 0.15 * em && fabs(t->xc - u->xc) <= 0.2 * em &&
         u->box.y0 - t->box.y1 <= 0.15 * em && step >= 0.5 * em && step <= most * em;
}

/* Marks as vertical the chain of tokens order[from .. to) (a column) when
 * it is one: three or more tokens, at least three of them and half of
 * all CJK letters or punctuation (a date 令和５年10月18日 is five letters
 * and three tokens of digits); the chain becomes one Poppler line
 * `pline`. */
static gboolean mark_column(KkGlyph *g, const Token *tok, const guint *order, guint from, guint to,
                            guint32 pline)
{
  if (to - from < 3)
    return FALSE;
  guint cjk = 0;
  for (guint k = from; k < to; k++) {
    gboolean letters = TRUE;
    for (guint i = tok[order[k]].first; i < tok[order[k]].first + tok[order[k]].n; i++) {
      gunichar c = g[i].ch;
      letters &= (kk_is_cjk(c) || (c >= 0xFE10 && c <= 0xFE1F)) && !g_unichar_isdigit(c);
    }
    cjk += letters ? 1 : 0;
  }
  if (cjk < 3 || 2 * cjk < to - from)
    return FALSE;
  for (guint k = from; k < to; k++)
    for (guint i = tok[order[k]].first; i < tok[order[k]].first + tok[order[k]].n; i++) {
      g[i].flags |= KK_GLYPH_VERTICAL | (tok[order[k]].n > 1 ? KK_GLYPH_ACROSS : 0);
      g[i].pline = pline;
    }
  return TRUE;
}

/* Upright glyphs set one by one down a column by a font without vertical
 * mode: Poppler sees each glyph as a word of its own (or joins glyphs of
 * neighbouring columns into one line).  Such columns are found from the
 * glyph boxes: narrow tokens (one glyph, or 縦中横 digits) stacked with
 * touching boxes at one character's pitch, centred on one axis.  Horizontal
 * text rarely stacks like that: its words are wide tokens, and its lines
 * lie more than 1.25 em apart. */
/* Cuts the glyphs not yet vertical into tokens (appended to `toks`): runs
 * of glyphs of one size that follow each other on one Poppler line with
 * at most 0.2 em between them (a heading's column beside body text is not
 * one of its rows).  Returns the highest Poppler line number in use. */
static guint32 cut_tokens(const KkGlyph *g, guint n, GArray *toks)
{
  guint32 top_pline = 0;
  for (guint i = 0; i < n; i++) {
    top_pline = MAX(top_pline, g[i].pline);
    if (g[i].flags & KK_GLYPH_VERTICAL)
      continue;
    double em = kk_glyph_size(&g[i]);
    Token *last = toks->len ? &g_array_index(toks, Token, toks->len - 1) : NULL;
    if (last && last->first + last->n == i && g[i - 1].pline == g[i].pline) {
      double gap = g[i].box.x0 - last->box.x1;
      double dy = fabs(g[i].box.y0 + g[i].box.y1 - last->box.y0 - last->box.y1) / 2;
      if (gap <= 0.2 * em && gap >= -0.3 * em && dy <= 0.3 * em && fabs(em - last->em) <= 0.1 * em) {
        last->box.x1 = MAX(last->box.x1, g[i].box.x1);
        last->box.y0 = MIN(last->box.y0, g[i].box.y0);
        last->box.y1 = MAX(last->box.y1, g[i].box.y1);
        last->em = MAX(last->em, em);
        last->n++;
        continue;
      }
    }
    Token t = { g[i].box, i, 1, em, 0 };
    g_array_append_val(toks, t);
  }
  Token *tok = (Token *)toks->data;
  for (guint k = 0; k < toks->len; k++)
    tok[k].xc = (tok[k].box.x0 + tok[k].box.x1) / 2;
  return top_pline;
}

static void mark_vertical_columns(KkGlyph *g, guint n)
{
  g_autoptr(GArray) toks = g_array_new(FALSE, FALSE, sizeof(Token));
  guint32 top_pline = cut_tokens(g, n, toks);
  /* narrow tokens only, grouped by their centre across the column */
  Token *tok = (Token *)toks->data;
  g_autofree guint *order = g_new(guint, toks->len + 1);
  guint nn = 0;
  for (guint k = 0; k < toks->len; k++)
    if (tok[k].box.x1 - tok[k].box.x0 <= 1.3 * tok[k].em && tok[k].n <= 4)
      order[nn++] = k;
  if (nn < 3)
    return;
  g_qsort_with_data(order, (gint)nn, sizeof *order, cmp_token_xc, tok);
  guint32 next_pline = top_pline + 1;
  for (guint s = 0; s < nn;) {
    guint e = s + 1;
    while (e < nn && tok[order[e]].xc - tok[order[e - 1]].xc <= 0.1 * tok[order[e]].em)
      e++;
    /* one axis: chains of touching tokens, top to bottom */
    g_qsort_with_data(order + s, (gint)(e - s), sizeof *order, cmp_token_y, tok);
    guint c = s;
    for (guint k = s + 1; k <= e; k++) {
      if (k < e && column_step(g, &tok[order[k - 1]], &tok[order[k]]))
        continue;
      if (mark_column(g, tok, order, c, k, next_pline))
        next_pline++;
      c = k;
    }
    s = e;
  }
}

/* An upright glyph, or 縦中横 digits set across a column, as
 * mark_dense_columns() sees it. */
typedef struct {
  double xc, yc, em;
  KkBox box;
  guint first, n;   /* glyphs[first .. first + n) */
  guint chain;      /* the column piece it belongs to */
  gboolean letter;  /* a CJK letter or punctuation, not a digit */
} Elem;

static int cmp_elem_xc(gconstpointer a, gconstpointer b, gpointer elems)
{
  const Elem *e = elems;
  guint i = *(const guint *)a, j = *(const guint *)b;
  return cmp_keys(e[i].xc, e[j].xc, i, j);
}

static int cmp_elem_yc(gconstpointer a, gconstpointer b, gpointer elems)
{
  const Elem *e = elems;
  guint i = *(const guint *)a, j = *(const guint *)b;
  return cmp_keys(e[i].yc, e[j].yc, i, j);
}

/* True when elements a and b are of one size (within a tenth). */
static gboolean same_size(const Elem *a, const Elem *b)
{
  return fabs(a->em - b->em) <= 0.1 * MAX(a->em, b->em);
}

/* Upright columns set as close as letters (LibreOffice Writer 縦書き at
 * single spacing): the columns lie about an em apart, boxes touching
 * across, so Poppler reads rows across the columns and no glyph stands
 * alone for mark_vertical_columns().  Which way such a grid reads follows
 * from its pitches: along a line the glyphs follow at their advance (one
 * em), the lines themselves lie at least that far apart, and in practice
 * farther.  The glyphs not yet vertical are cut into elements (a CJK glyph,
 * or a run of digits or Latin letters at most 1.1 em wide: 縦中横), the
 * elements into pieces of columns (one axis, same size, centres 0.8–1.35
 * em apart down, boxes at most 0.15 em apart).  When the pieces of three
 * elements or more hold most of the letters, and the mean step between
 * neighbouring letters of such pieces side by side (on one level, 0.5–1.3
 * em apart) is at least 1.03 times the mean step down them, the page's
 * grid reads down: those pieces, and the pieces beside them, are vertical,
 * each a line of its own (attach_across() joins pieces of one column).
 * Horizontal text set solid has its letters touching along the line (a
 * step of one em across, no more than down); text set with any leading
 * has no pieces at all. */
static void mark_dense_columns(KkGlyph *g, guint n)
{
  g_autofree Elem *e = g_new(Elem, MAX(n, 1)); /* at most one per glyph */
  guint ne = 0;
  guint32 next = 0;
  for (guint i = 0; i < n; i++) {
    next = MAX(next, g[i].pline + 1);
    if (g[i].flags & KK_GLYPH_VERTICAL)
      continue;
    double em = kk_glyph_size(&g[i]);
    gboolean narrow = !kk_is_cjk(g[i].ch) || g_unichar_isdigit(g[i].ch);
    Elem *last = ne ? &e[ne - 1] : NULL;
    if (narrow && last && !last->letter && last->first + last->n == i && g[i - 1].pline == g[i].pline &&
        fabs(g[i].box.x0 - last->box.x1) <= 0.05 * em && g[i].box.x1 - last->box.x0 <= 1.1 * em &&
        fabs((g[i].box.y0 + g[i].box.y1) / 2 - last->yc) <= 0.1 * em) {
      last->box.x1 = g[i].box.x1;
      last->xc = (last->box.x0 + last->box.x1) / 2;
      last->n++;
      continue;
    }
    e[ne++] = (Elem){ (g[i].box.x0 + g[i].box.x1) / 2, (g[i].box.y0 + g[i].box.y1) / 2, em, g[i].box, i, 1, 0, !narrow };
  }
  if (ne < 9)
    return;
  g_autofree guint *ord = g_new(guint, ne);
  for (guint k = 0; k < ne; k++)
    ord[k] = k;
  /* pieces of columns: one axis, then down at one character's pitch */
  g_qsort_with_data(ord, (gint)ne, sizeof *ord, cmp_elem_xc, e);
  g_autofree guint *len = g_new(guint, ne); /* elements per piece (at most ne pieces) */
  guint n_chains = 0;
  double sum_dy = 0;
  guint n_dy = 0;
  for (guint s = 0; s < ne;) {
    guint t = s + 1;
    while (t < ne && e[ord[t]].xc - e[ord[t - 1]].xc <= 0.1 * e[ord[t]].em)
      t++;
    g_qsort_with_data(ord + s, (gint)(t - s), sizeof *ord, cmp_elem_yc, e);
    for (guint k = s; k < t; k++) {
      Elem *a = k > s ? &e[ord[k - 1]] : NULL, *b = &e[ord[k]];
      double step = a ? (b->yc - a->yc) / MAX(a->em, b->em) : 0;
      if (a && same_size(a, b) && step >= 0.8 && step <= 1.35 && b->box.y0 - a->box.y1 <= 0.15 * b->em) {
        b->chain = a->chain;
        len[b->chain]++;
        if (a->letter && b->letter) {
          sum_dy += step;
          n_dy++;
        }
      } else {
        b->chain = n_chains;
        len[n_chains++] = 1;
      }
    }
    s = t;
  }
  guint in_pieces = 0, letters = 0;
  for (guint k = 0; k < ne; k++) {
    letters += e[k].letter ? 1 : 0;
    in_pieces += e[k].letter && len[e[k].chain] >= 3 ? 1 : 0;
  }
  if (n_dy < 4 || 2 * in_pieces < letters)
    return;
  /* letters side by side: one level, then across */
  g_qsort_with_data(ord, (gint)ne, sizeof *ord, cmp_elem_yc, e);
  double sum_dx = 0;
  guint n_dx = 0;
  for (guint s = 0; s < ne;) {
    guint t = s + 1;
    while (t < ne && e[ord[t]].yc - e[ord[t - 1]].yc <= 0.1 * e[ord[t]].em)
      t++;
    g_qsort_with_data(ord + s, (gint)(t - s), sizeof *ord, cmp_elem_xc, e);
    for (guint k = s + 1; k < t; k++) {
      const Elem *a = &e[ord[k - 1]], *b = &e[ord[k]];
      double step = (b->xc - a->xc) / MAX(a->em, b->em);
      if (a->letter && b->letter && same_size(a, b) && step >= 0.5 && step <= 1.3 &&
          len[a->chain] >= 3 && len[b->chain] >= 3) {
        sum_dx += step;
        n_dx++;
      }
    }
    s = t;
  }
  if (n_dx < 3 || sum_dx / n_dx < 1.03 * (sum_dy / n_dy))
    return;
  /* the grid reads down: pieces of three or more, and those beside them */
  g_autofree gboolean *down = g_new0(gboolean, n_chains + 1);
  for (guint k = 0; k < ne; k++)
    down[e[k].chain] |= len[e[k].chain] >= 3;
  for (guint s = 0; s < ne;) { /* ord is still level by level */
    guint t = s + 1;
    while (t < ne && e[ord[t]].yc - e[ord[t - 1]].yc <= 0.1 * e[ord[t]].em)
      t++;
    for (guint k = s + 1; k < t; k++) {
      const Elem *a = &e[ord[k - 1]], *b = &e[ord[k]];
      if (same_size(a, b) && (b->xc - a->xc) <= 1.3 * MAX(a->em, b->em) && (len[a->chain] >= 3) != (len[b->chain] >= 3))
        down[a->chain] = down[b->chain] = TRUE;
    }
    s = t;
  }
  g_autofree guint32 *pline = g_new(guint32, n_chains + 1);
  for (guint c = 0; c < n_chains; c++)
    pline[c] = down[c] && next < G_MAXUINT32 ? next++ : 0;
  for (guint k = 0; k < ne; k++) {
    if (!down[e[k].chain])
      continue;
    for (guint i = e[k].first; i < e[k].first + e[k].n; i++) {
      g[i].flags |= KK_GLYPH_VERTICAL | (e[k].letter ? 0 : KK_GLYPH_ACROSS);
      g[i].pline = pline[e[k].chain];
    }
  }
}

static int cmp_double_asc(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Sort keys for split_columns(): Poppler line, then centre across. */
typedef struct {
  guint32 pline;
  double xc, yc;
  guint i;
} ColumnKey;

/* The keys of the vertical glyphs of g[0..n) (g_free), their count in *m,
 * and in *next a Poppler line number above every one in use. */
static ColumnKey *vertical_keys(const KkGlyph *g, guint n, guint *m, guint32 *next)
{
  ColumnKey *k = g_new(ColumnKey, n + 1);
  *m = 0;
  *next = 0;
  for (guint i = 0; i < n; i++) {
    *next = MAX(*next, g[i].pline + 1);
    if (g[i].flags & KK_GLYPH_VERTICAL)
      k[(*m)++] = (ColumnKey){ g[i].pline, (g[i].box.x0 + g[i].box.x1) / 2, (g[i].box.y0 + g[i].box.y1) / 2, i };
  }
  return k;
}

static int cmp_column_key(const void *a, const void *b)
{
  const ColumnKey *p = a, *q = b;
  if (p->pline != q->pline)
    return p->pline < q->pline ? -1 : 1;
  if (p->xc != q->xc)
    return p->xc < q->xc ? -1 : 1;
  return p->i < q->i ? -1 : p->i > q->i;
}

/* Sort keys for the level pass of split_columns(): Poppler line, then
 * centre down, then left edge. */
static int cmp_level_key(const void *a, const void *b)
{
  const ColumnKey *p = a, *q = b;
  if (p->pline != q->pline)
    return p->pline < q->pline ? -1 : 1;
  if (p->yc != q->yc)
    return p->yc < q->yc ? -1 : 1;
  return p->xc < q->xc ? -1 : p->xc > q->xc;
}

/* True when the glyphs of keys p and q (one Poppler line) stand side by
 * side: centres on one level, boxes at most a quarter em apart across. */
static gboolean beside(const KkGlyph *g, const ColumnKey *p, const ColumnKey *q)
{
  const KkBox *a = &g[p->i].box, *b = &g[q->i].box;
  double em = MAX(kk_glyph_size(&g[p->i]), kk_glyph_size(&g[q->i]));
  double gap = MAX(b->x0 - a->x1, a->x0 - b->x1);
  return p->pline == q->pline && fabs(p->yc - q->yc) <= 0.1 * em && gap <= 0.25 * em;
}

/* True when most steps down the glyphs `k[0..n)` (centre to centre, top
 * to bottom) are at most 1.5 em: running text, not rows of a table.
 * Glyphs side by side on one level (the digits of "30" in a column of
 * table rows) make no step. */
static gboolean steps_of_text(const KkGlyph *g, const ColumnKey *k, guint n)
{
  g_autofree double *yc = g_new(double, n);
  double em = 0;
  for (guint b = 0; b < n; b++) {
    yc[b] = (g[k[b].i].box.y0 + g[k[b].i].box.y1) / 2;
    em = MAX(em, kk_glyph_size(&g[k[b].i]));
  }
  qsort(yc, n, sizeof *yc, cmp_double_asc);
  guint close = 0, steps = 0;
  for (guint b = 1; b < n; b++) {
    double dy = yc[b] - yc[b - 1];
    if (dy < 0.5 * em)
      continue;
    steps++;
    close += dy <= 1.5 * em ? 1 : 0;
  }
  return 2 * close >= steps;
}

/* Poppler sometimes puts neighbouring columns of vertical text into one
 * line, and reading it down would interleave them.  The glyphs of each
 * vertical Poppler line are split where their centres across lie more
 * than half an em apart; every further column gets a line number of its
 * own, above those in use.  Glyphs that do not run down (one glyph
 * beside the columns, or glyphs whose centres lie within half an em of
 * one level) are glyphs side by side: they are not vertical. */
static void split_columns(KkGlyph *g, guint n)
{
  guint m = 0;
  guint32 next = 0;
  g_autofree ColumnKey *k = vertical_keys(g, n, &m, &next);
  /* glyphs touching a neighbour on their level (a table row Poppler put
   * into the line: 三橋桃子 beside a column of body text) are side by
   * side, not down a column */
  qsort(k, m, sizeof *k, cmp_level_key);
  guint kept = 0;
  for (guint b = 0; b < m; b++) {
    if ((b > 0 && beside(g, &k[b - 1], &k[b])) || (b + 1 < m && beside(g, &k[b], &k[b + 1])))
      g[k[b].i].flags &= (guint16)~KK_GLYPH_VERTICAL;
    else
      k[kept++] = k[b];
  }
  m = kept;
  qsort(k, m, sizeof *k, cmp_column_key);
  for (guint a = 0; a < m;) {
    guint e = a + 1;
    while (e < m && k[e].pline == k[a].pline)
      e++;
    /* the line's columns: runs of centres at most half an em apart */
    gboolean first = TRUE;
    for (guint c = a; c < e;) {
      guint d = c + 1;
      while (d < e && k[d].xc - k[d - 1].xc <= 0.5 * MAX(kk_glyph_size(&g[k[d].i]), kk_glyph_size(&g[k[d - 1].i])))
        d++;
      double top = G_MAXDOUBLE, low = -G_MAXDOUBLE, em = 0;
      for (guint b = c; b < d; b++) {
        const KkGlyph *q = &g[k[b].i];
        top = MIN(top, (q->box.y0 + q->box.y1) / 2);
        low = MAX(low, (q->box.y0 + q->box.y1) / 2);
        em = MAX(em, kk_glyph_size(q));
      }
      if (c == a && d == e) {
        /* one column: vertical unless its glyphs stand side by side */
        if (d - c > 1 && low - top < 0.5 * em)
          for (guint b = c; b < d; b++)
            g[k[b].i].flags &= (guint16)~KK_GLYPH_VERTICAL;
      } else if (d - c < 2 || low - top < 0.5 * em || !steps_of_text(g, k + c, d - c)) {
        /* a glyph, glyphs side by side, or table rows one under another
         * (a column of 位 in a results table) beside the columns:
         * horizontal */
        for (guint b = c; b < d; b++)
          g[k[b].i].flags &= (guint16)~KK_GLYPH_VERTICAL;
      } else {
        guint32 cur = first ? k[a].pline : next < G_MAXUINT32 - 1 ? next++ : k[a].pline;
        first = FALSE;
        for (guint b = c; b < d; b++)
          g[k[b].i].pline = cur;
      }
      c = d;
    }
    a = e;
  }
}

/* A vertical line as attach_across() sees it. */
typedef struct {
  KkBox box;
  double em, xc;
  guint32 pline;
  gboolean across_above, across_below; /* a 縦中横 token at its top, bottom */
} VLine;

static int cmp_vline_xc(const void *a, const void *b)
{
  const VLine *p = a, *q = b;
  if (p->xc != q->xc)
    return p->xc < q->xc ? -1 : 1;
  return p->pline < q->pline ? -1 : p->pline > q->pline;
}

static int cmp_vline_y(const void *a, const void *b)
{
  const VLine *p = a, *q = b;
  if (p->box.y0 != q->box.y0)
    return p->box.y0 < q->box.y0 ? -1 : 1;
  return p->pline < q->pline ? -1 : p->pline > q->pline;
}

/* Fonts in vertical mode set 縦中横 digits ("2月3日～7日", "第69回") with a
 * horizontal font across the column, and Poppler breaks the column's line
 * there and reads the digits as horizontal words.  A small horizontal
 * token with a digit or Latin letter in it (at most four glyphs, 2 em
 * wide) whose centre lies within 0.6 em of a vertical line's axis, at
 * most 1.5 em above or below it, joins that line, its glyphs flagged
 * KK_GLYPH_VERTICAL | KK_GLYPH_ACROSS; so does a lone glyph that Poppler
 * left out of the column (within a quarter em of the axis, without
 * KK_GLYPH_ACROSS); a glyph put on a line lengthens it for the next one.
 * The vertical lines of one column (centres within a quarter em) that
 * follow each other with at most an ideographic space between them
 * (1.15 em), or 1.5 em where such a token stands, become one line (the
 * Poppler line number of the first). */
static void attach_across(KkGlyph *g, guint n)
{
  g_autoptr(GHashTable) line_of = g_hash_table_new(g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) remap = g_hash_table_new(g_direct_hash, g_direct_equal);
  g_autoptr(GArray) vl = g_array_new(FALSE, FALSE, sizeof(VLine));
  for (guint i = 0; i < n; i++) {
    if (!(g[i].flags & KK_GLYPH_VERTICAL))
      continue;
    gpointer key = GUINT_TO_POINTER(g[i].pline + 1), at;
    if (!g_hash_table_lookup_extended(line_of, key, NULL, &at)) {
      VLine v = { g[i].box, kk_glyph_size(&g[i]), 0, g[i].pline, FALSE, FALSE };
      g_hash_table_insert(line_of, key, GUINT_TO_POINTER(vl->len));
      g_array_append_val(vl, v);
      continue;
    }
    VLine *v = &g_array_index(vl, VLine, GPOINTER_TO_UINT(at));
    v->box.x0 = MIN(v->box.x0, g[i].box.x0);
    v->box.y0 = MIN(v->box.y0, g[i].box.y0);
    v->box.x1 = MAX(v->box.x1, g[i].box.x1);
    v->box.y1 = MAX(v->box.y1, g[i].box.y1);
    v->em = MAX(v->em, kk_glyph_size(&g[i]));
  }
  if (vl->len == 0)
    return;
  VLine *v = (VLine *)vl->data;
  guint nv = vl->len;
  for (guint k = 0; k < nv; k++)
    v[k].xc = (v[k].box.x0 + v[k].box.x1) / 2;
  qsort(v, nv, sizeof *v, cmp_vline_xc);
  /* small horizontal tokens on a line's axis */
  g_autoptr(GArray) toks = g_array_new(FALSE, FALSE, sizeof(Token));
  cut_tokens(g, n, toks);
  double max_em = 0;
  for (guint k = 0; k < nv; k++)
    max_em = MAX(max_em, v[k].em);
  /* a glyph put on a line lengthens it, so the next one down the column
   * can follow (井 上 健 一 after 春日市長, each a word of its own):
   * passes until nothing more joins */
  g_autofree gboolean *taken = g_new0(gboolean, toks->len + 1);
  gboolean joined = TRUE;
  for (guint pass = 0; pass < 8 && joined; pass++) {
    joined = FALSE;
    for (guint t = 0; t < toks->len; t++) {
      const Token *tk = &g_array_index(toks, Token, t);
      if (taken[t] || tk->n > 4 || tk->box.x1 - tk->box.x0 > 2.0 * tk->em)
        continue;
      gboolean across = token_across(g, tk); /* digits or Latin: 縦中横 */
      /* else only a lone glyph right on an axis, next to its line */
      double axis = across ? 0.6 : 0.25, reach = 1.5;
      if (!across && tk->n > 1)
        continue;
      /* the lines whose axis may be near: binary search on xc */
      guint lo = 0, hi = nv;
      while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (v[mid].xc < tk->xc - 0.6 * max_em)
          lo = mid + 1;
        else
          hi = mid;
      }
      gint best = -1;
      double best_d = G_MAXDOUBLE;
      for (guint k = lo; k < nv && v[k].xc <= tk->xc + 0.6 * max_em; k++) {
        if (fabs(v[k].xc - tk->xc) > axis * v[k].em)
          continue;
        double d = MAX(0.0, MAX(v[k].box.y0 - tk->box.y1, tk->box.y0 - v[k].box.y1));
        if (d <= reach * v[k].em && d < best_d) {
          best_d = d;
          best = (gint)k;
        }
      }
      if (best < 0)
        continue;
      /* the column's line breaks where 縦中横 stands */
      VLine *on = &v[best];
      if (across && tk->box.y0 <= on->box.y0 + 0.5 * on->em)
        on->across_above = TRUE;
      if (across && tk->box.y1 >= on->box.y1 - 0.5 * on->em)
        on->across_below = TRUE;
      on->box.y0 = MIN(on->box.y0, tk->box.y0);
      on->box.y1 = MAX(on->box.y1, tk->box.y1);
      for (guint i = tk->first; i < tk->first + tk->n; i++) {
        g[i].flags |= KK_GLYPH_VERTICAL | (across ? KK_GLYPH_ACROSS : 0);
        g[i].pline = on->pline;
      }
      taken[t] = joined = TRUE;
    }
  }
  /* lines of one column: same axis, one after the other */
  for (guint s = 0; s < nv;) {
    guint e = s + 1;
    while (e < nv && v[e].xc - v[e - 1].xc <= 0.25 * MAX(v[e].em, v[e - 1].em))
      e++;
    g_autofree VLine *col = g_memdup2(v + s, (e - s) * sizeof *v);
    qsort(col, e - s, sizeof *col, cmp_vline_y);
    guint32 head = col[0].pline;
    double bottom = col[0].box.y1;
    for (guint k = 1; k < e - s; k++) {
      /* at most an ideographic space (its white is one em and the
       * glyphs' spacing: 1.07 em), wider where 縦中横 digits stand */
      double em = MAX(col[k].em, col[k - 1].em), gap = col[k].box.y0 - bottom;
      if (gap <= 1.15 * em || (gap <= 1.5 * em && (col[k - 1].across_below || col[k].across_above)))
        g_hash_table_insert(remap, GUINT_TO_POINTER(col[k].pline + 1), GUINT_TO_POINTER(head + 1));
      else
        head = col[k].pline;
      bottom = MAX(bottom, col[k].box.y1);
    }
    s = e;
  }
  /* lines (and the tokens put on them) joined into their column's first */
  if (g_hash_table_size(remap) > 0)
    for (guint i = 0; i < n; i++) {
      gpointer to;
      if ((g[i].flags & KK_GLYPH_VERTICAL) &&
          g_hash_table_lookup_extended(remap, GUINT_TO_POINTER(g[i].pline + 1), NULL, &to))
        g[i].pline = GPOINTER_TO_UINT(to) - 1;
    }
}

/* Marks glyphs of Poppler lines that run top to bottom (縦書き), then
 * columns of upright glyphs that Poppler did not see as vertical. */
void kk_glyphs_mark_vertical(KkGlyph *g, guint n)
{
  guint s = 0;
  for (guint i = 1; i <= n; i++) {
    if (i < n && g[i].pline == g[s].pline)
      continue;
    guint len = i - s, down = 0;
    for (guint k = s + 1; k < i; k++) {
      const KkBox *a = &g[k - 1].box, *b = &g[k].box;
      double w = MAX(a->x1 - a->x0, 0.1), h = MAX(a->y1 - a->y0, 0.1);
      double dx = (b->x0 + b->x1 - a->x0 - a->x1) / 2, dy = (b->y0 + b->y1 - a->y0 - a->y1) / 2;
      if (dy > 0.5 * h && fabs(dx) < 0.3 * w)
        down++;
    }
    if (len >= 2 && down * 2 >= len) /* most steps go down */
      for (guint k = s; k < i; k++)
        g[k].flags |= KK_GLYPH_VERTICAL;
    s = i;
  }
  mark_dense_columns(g, n);
  mark_vertical_columns(g, n);
  split_columns(g, n);
  attach_across(g, n);
}

/* Sort keys for kk_glyphs_split_at_rules(): Poppler line, then down. */
static int cmp_pline_down(const void *a, const void *b)
{
  const ColumnKey *p = a, *q = b;
  if (p->pline != q->pline)
    return p->pline < q->pline ? -1 : 1;
  if (p->yc != q->yc)
    return p->yc < q->yc ? -1 : 1;
  return p->i < q->i ? -1 : p->i > q->i;
}

static int cmp_seg_pos(const void *a, const void *b)
{
  double x = ((const KkSeg *)a)->pos, y = ((const KkSeg *)b)->pos;
  return x < y ? -1 : x > y;
}

/* True when one of the horizontal rulings `s[0..n)` (sorted by pos) runs
 * across the axis x between heights y0 and y1. */
static gboolean rule_across(const KkSeg *s, guint n, double x, double y0, double y1)
{
  guint lo = 0, hi = n;
  while (lo < hi) { /* first ruling at or below y0 */
    guint mid = (lo + hi) / 2;
    if (s[mid].pos < y0)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* at most 64 rulings looked at: a page of thousands of rulings between
   * two glyphs is a drawing, and the pass must stay linear */
  for (guint k = lo; k < n && k < lo + 64 && s[k].pos < y1; k++)
    if (s[k].a0 <= x && s[k].a1 >= x)
      return TRUE;
  return FALSE;
}

void kk_glyphs_split_at_rules(KkGlyph *g, guint n, const GArray *hsegs)
{
  if (hsegs == NULL || hsegs->len == 0)
    return;
  g_autofree KkSeg *segs = g_memdup2(hsegs->data, hsegs->len * sizeof(KkSeg));
  qsort(segs, hsegs->len, sizeof *segs, cmp_seg_pos);
  guint m = 0;
  guint32 next = 0;
  g_autofree ColumnKey *k = vertical_keys(g, n, &m, &next);
  qsort(k, m, sizeof *k, cmp_pline_down);
  guint32 cur = 0;
  for (guint b = 0; b < m; b++) {
    if (b == 0 || k[b].pline != k[b - 1].pline) {
      cur = k[b].pline;
      continue;
    }
    /* a ruling between this glyph's centre and the one above it */
    if (rule_across(segs, hsegs->len, (k[b].xc + k[b - 1].xc) / 2, k[b - 1].yc, k[b].yc) && next < G_MAXUINT32)
      cur = next++;
    g[k[b].i].pline = cur;
  }
}

/* Maps a display-frame box to the frame in which text runs left to right,
 * for text that runs down (90) or up (270) the displayed page of width w
 * and height h. */
static KkBox turn_box(KkBox b, int rot, double w, double h)
{
  if (rot == 90) /* x = Y, y = w - X */
    return (KkBox){ b.y0, w - b.x1, b.y1, w - b.x0 };
  /* 270: x = h - Y, y = X */
  return (KkBox){ h - b.y1, b.x0, h - b.y0, b.x1 };
}

/* Turns segment `s` of a display frame w × h, horizontal if `horizontal`,
 * the way turn_box() turns boxes; the turned segment runs the other way. */
static KkSeg turn_seg(KkSeg s, gboolean horizontal, int rot, double w, double h)
{
  KkSeg t = s;
  if (rot == 90) { /* x = Y, y = w - X */
    if (horizontal) {
      t.a0 = w - s.a1;
      t.a1 = w - s.a0;
    } else {
      t.pos = w - s.pos;
    }
  } else { /* 270: x = h - Y, y = X */
    if (horizontal) {
      t.pos = h - s.pos;
    } else {
      t.a0 = h - s.a1;
      t.a1 = h - s.a0;
    }
  }
  return t;
}

int kk_page_make_upright(KkLayout *layout, GArray *hsegs, GArray *vsegs, gboolean page_turned)
{
  GArray *ga = layout->glyphs;
  KkGlyph *g = (KkGlyph *)ga->data;
  guint n = ga->len, right = 0, left = 0, down = 0, up = 0;
  for (guint i = 1; i < n; i++) {
    if (g[i].pline != g[i - 1].pline)
      continue;
    double dx = (g[i].box.x0 + g[i].box.x1 - g[i - 1].box.x0 - g[i - 1].box.x1) / 2;
    double dy = (g[i].box.y0 + g[i].box.y1 - g[i - 1].box.y0 - g[i - 1].box.y1) / 2;
    if (fabs(dx) >= fabs(dy)) {
      if (dx >= 0)
        right++;
      else
        left++;
    } else if (dy >= 0) {
      down++;
    } else {
      up++;
    }
  }
  /* Text running up is never Japanese vertical writing; text running down
   * on a page shown turned (/Rotate) is a turned horizontal page. */
  int rot = 0;
  if (up > 2 * (right + left + down) && up >= 10)
    rot = 270;
  else if (page_turned && down > 2 * (right + left + up) && down >= 10)
    rot = 90;
  if (rot == 0)
    return 0;
  double w = layout->width, h = layout->height;
  for (guint i = 0; i < n; i++) {
    g[i].box = turn_box(g[i].box, rot, w, h);
    g[i].flags &= (guint16)~KK_GLYPH_VERTICAL;
  }
  kk_glyphs_mark_vertical(g, n);
  layout->width = h;
  layout->height = w;
  /* the rulings turned the same way: horizontal ones become vertical */
  g_autoptr(GArray) was_h = g_array_copy(hsegs);
  g_array_set_size(hsegs, 0);
  for (guint i = 0; i < vsegs->len; i++) {
    KkSeg t = turn_seg(g_array_index(vsegs, KkSeg, i), FALSE, rot, w, h);
    g_array_append_val(hsegs, t);
  }
  g_array_set_size(vsegs, 0);
  for (guint i = 0; i < was_h->len; i++) {
    KkSeg t = turn_seg(g_array_index(was_h, KkSeg, i), TRUE, rot, w, h);
    g_array_append_val(vsegs, t);
  }
  return rot;
}
