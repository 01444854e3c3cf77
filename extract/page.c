/*
 * page.c — fixes to one page as Poppler's core read it (pdf-core.cc):
 * which glyphs run top to bottom, and turning a page whose text runs up or
 * down into the frame where it runs left to right.
 */
#include "extract/page.h"
#include "common/kk-error.h"

#include <math.h>
#include <string.h>

/* Marks glyphs of Poppler lines that run top to bottom (縦書き). */
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
