/*
 * rulings.c — ruling lines from a rendered page.
 *
 * Poppler GLib does not expose vector paths, so the page is rendered at a
 * low resolution and rulings are found in the picture, as camelot's lattice
 * mode does.  A pixel belongs to a horizontal ruling when it is clearly
 * darker than the nearest pixels a few rows above and below it (a thin
 * ridge): that keeps faint hairlines and the thin filled rectangles that
 * DocuWorks draws, and it ignores shaded cell backgrounds, whose inside is
 * flat.  Long runs of such pixels are the rulings.
 */
#include "extract/geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marks ridge pixels across direction (dx, dy) into `mask`. */
static void ridge_mask(const guint8 *gray, guint w, guint h, guint stride,
                       gboolean horizontal, const KkRunParams *p, guint8 *mask)
{
  guint K = MAX(p->max_thickness, 1u);
  for (guint y = 0; y < h; y++) {
    const guint8 *row = gray + (gsize)y * stride;
    for (guint x = 0; x < w; x++) {
      int v = row[x];
      if (v > 255 - (int)p->min_contrast)
        continue;
      int before = v, after = v; /* brightest neighbours within K pixels */
      for (guint k = 1; k <= K; k++) {
        int b, a;
        if (horizontal) {
          b = y >= k ? gray[(gsize)(y - k) * stride + x] : 255;
          a = y + k < h ? gray[(gsize)(y + k) * stride + x] : 255;
        } else {
          b = x >= k ? row[x - k] : 255;
          a = x + k < w ? row[x + k] : 255;
        }
        before = MAX(before, b);
        after = MAX(after, a);
      }
      if (before - v >= (int)p->min_contrast && after - v >= (int)p->min_contrast)
        mask[(gsize)y * w + x] = 1;
    }
  }
}

/* Clears the mask inside `boxes` (points -> pixels by `scale`). */
static void clear_boxes(guint8 *mask, guint w, guint h, double scale,
                        const KkBox *boxes, guint n)
{
  for (guint i = 0; i < n; i++) {
    const KkBox *b = &boxes[i];
    if (!(b->x1 > b->x0 && b->y1 > b->y0))
      continue;
    double x0 = floor(b->x0 * scale), y0 = floor(b->y0 * scale);
    double x1 = ceil(b->x1 * scale), y1 = ceil(b->y1 * scale);
    if (x1 <= 0 || y1 <= 0 || x0 >= w || y0 >= h)
      continue;
    guint ix0 = (guint)MAX(x0, 0.0), iy0 = (guint)MAX(y0, 0.0);
    guint ix1 = (guint)MIN(x1, (double)w), iy1 = (guint)MIN(y1, (double)h);
    for (guint y = iy0; y < iy1; y++)
      memset(mask + (gsize)y * w + ix0, 0, ix1 - ix0);
  }
}

/* Appends the runs of one scan line (mask values at `line[i*step]`). */
static gboolean scan_runs(const guint8 *mask, gsize first, gsize step, guint len,
                          double pos, double scale, const KkRunParams *p,
                          GArray *out, guint *count, guint max_segs)
{
  guint i = 0;
  while (i < len) {
    if (!mask[first + i * step]) {
      i++;
      continue;
    }
    guint start = i, last = i, gap = 0;
    for (i++; i < len; i++) {
      if (mask[first + i * step]) {
        last = i;
        gap = 0;
      } else if (++gap > p->max_gap) {
        break;
      }
    }
    guint length = last - start + 1;
    if (length >= p->min_length) {
      if (++*count > max_segs)
        return FALSE;
      KkSeg s = { (pos + 0.5) / scale, start / scale, (last + 1) / scale, 1.0 };
      g_array_append_val(out, s);
    }
    i = last + 1;
  }
  return TRUE;
}

gboolean kk_find_rulings(const guint8 *gray, guint w, guint h, guint stride,
                         double scale, const KkRunParams *params,
                         const KkBox *masks, guint n_masks, guint max_segs,
                         GArray *hsegs, GArray *vsegs)
{
  if (w == 0 || h == 0 || scale <= 0)
    return TRUE;
  g_autofree guint8 *mask = g_malloc0((gsize)w * h);
  guint count = 0;

  ridge_mask(gray, w, h, stride, TRUE, params, mask);
  clear_boxes(mask, w, h, scale, masks, n_masks);
  for (guint y = 0; y < h; y++)
    if (!scan_runs(mask, (gsize)y * w, 1, w, y, scale, params, hsegs, &count, max_segs))
      return FALSE;

  memset(mask, 0, (gsize)w * h);
  ridge_mask(gray, w, h, stride, FALSE, params, mask);
  clear_boxes(mask, w, h, scale, masks, n_masks);
  for (guint x = 0; x < w; x++)
    if (!scan_runs(mask, x, w, h, x, scale, params, vsegs, &count, max_segs))
      return FALSE;
  return TRUE;
}

static int cmp_seg(const void *a, const void *b)
{
  const KkSeg *s = a, *t = b;
  if (s->pos != t->pos)
    return s->pos < t->pos ? -1 : 1;
  return s->a0 < t->a0 ? -1 : s->a0 > t->a0;
}

static int cmp_seg_a0(const void *a, const void *b)
{
  const KkSeg *s = a, *t = b;
  if (s->a0 != t->a0)
    return s->a0 < t->a0 ? -1 : 1;
  return s->pos < t->pos ? -1 : s->pos > t->pos;
}

void kk_segments_merge(GArray *segs, double tol, double gap, double min_len)
{
  guint n = segs->len;
  if (n == 0)
    return;
  KkSeg *s = (KkSeg *)segs->data;
  qsort(s, n, sizeof *s, cmp_seg);
  /* Cluster by position: a cluster is a run of positions each within tol
   * of the previous one, bounded to 2*tol overall so that close parallel
   * rulings (double borders) stay apart only if really apart. */
  guint out = 0;
  guint i = 0;
  while (i < n) {
    guint j = i + 1;
    while (j < n && s[j].pos - s[j - 1].pos <= tol && s[j].pos - s[i].pos <= 2 * tol)
      j++;
    /* within the cluster, merge along the extent */
    qsort(s + i, j - i, sizeof *s, cmp_seg_a0);
    KkSeg cur = s[i];
    double wsum = cur.weight * (cur.a1 - cur.a0), psum = cur.pos * wsum;
    for (guint k = i + 1; k <= j; k++) {
      if (k < j && s[k].a0 <= cur.a1 + gap) {
        double wk = s[k].weight * (s[k].a1 - s[k].a0);
        cur.a1 = MAX(cur.a1, s[k].a1);
        cur.weight += s[k].weight;
        wsum += wk;
        psum += s[k].pos * wk;
        continue;
      }
      if (wsum > 0)
        cur.pos = psum / wsum;
      if (cur.a1 - cur.a0 >= min_len)
        s[out++] = cur; /* out <= k-1 < j: never overwrites unread input */
      if (k < j) {
        cur = s[k];
        wsum = cur.weight * (cur.a1 - cur.a0);
        psum = cur.pos * wsum;
      }
    }
    i = j;
  }
  g_array_set_size(segs, out);
  qsort(segs->data, out, sizeof(KkSeg), cmp_seg);
}
