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

/* g_qsort_with_data() comparators of token indices (user data: tokens). */
static int cmp_token_xc(gconstpointer a, gconstpointer b, gpointer tokens)
{
  const Token *t = tokens;
  double x = t[*(const guint *)a].xc, y = t[*(const guint *)b].xc;
  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

static int cmp_token_y(gconstpointer a, gconstpointer b, gpointer tokens)
{
  const Token *t = tokens;
  double x = t[*(const guint *)a].box.y0, y = t[*(const guint *)b].box.y0;
  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *)a < *(const guint *)b ? -1 : *(const guint *)a > *(const guint *)b;
}

/* True when token u follows token t down one column of upright vertical
 * text: same size, boxes touching or overlapping, one character pitch on. */
static gboolean column_step(const Token *t, const Token *u)
{
  double em = MAX(t->em, u->em);
  double step = (u->box.y0 + u->box.y1 - t->box.y0 - t->box.y1) / 2;
  return fabs(t->em - u->em) <= 0.15 * em && fabs(t->xc - u->xc) <= 0.2 * em &&
         u->box.y0 - t->box.y1 <= 0.15 * em && step >= 0.5 * em && step <= 1.25 * em;
}

/* Marks as vertical the chain of tokens order[from .. to) (a column) when
 * it is one: three or more tokens, two thirds of its glyphs CJK letters
 * or punctuation; the chain becomes one Poppler line `pline`. */
static gboolean mark_column(KkGlyph *g, const Token *tok, const guint *order, guint from, guint to,
                            guint32 pline)
{
  if (to - from < 3)
    return FALSE;
  guint all = 0, cjk = 0;
  for (guint k = from; k < to; k++)
    for (guint i = tok[order[k]].first; i < tok[order[k]].first + tok[order[k]].n; i++) {
      all++;
      gunichar c = g[i].ch;
      if ((kk_is_cjk(c) || (c >= 0xFE10 && c <= 0xFE1F)) && !g_unichar_isdigit(c))
        cjk++;
    }
  if (3 * cjk < 2 * all)
    return FALSE;
  for (guint k = from; k < to; k++)
    for (guint i = tok[order[k]].first; i < tok[order[k]].first + tok[order[k]].n; i++) {
      g[i].flags |= KK_GLYPH_VERTICAL;
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
static void mark_vertical_columns(KkGlyph *g, guint n)
{
  g_autoptr(GArray) toks = g_array_new(FALSE, FALSE, sizeof(Token));
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
      if (gap <= 0.2 * em && gap >= -0.3 * em && dy <= 0.3 * em) {
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
  /* narrow tokens only, grouped by their centre across the column */
  Token *tok = (Token *)toks->data;
  g_autofree guint *order = g_new(guint, toks->len + 1);
  guint nn = 0;
  for (guint k = 0; k < toks->len; k++) {
    tok[k].xc = (tok[k].box.x0 + tok[k].box.x1) / 2;
    if (tok[k].box.x1 - tok[k].box.x0 <= 1.3 * tok[k].em && tok[k].n <= 4)
      order[nn++] = k;
  }
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
      if (k < e && column_step(&tok[order[k - 1]], &tok[order[k]]))
        continue;
      if (mark_column(g, tok, order, c, k, next_pline))
        next_pline++;
      c = k;
    }
    s = e;
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
  mark_vertical_columns(g, n);
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
