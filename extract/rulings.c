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

/* Sets `mask` (w × h) to 0xFF inside `boxes` (points -> pixels by `scale`). */
static void mask_boxes(guint8 *mask, guint w, guint h, double scale, const KkBox *boxes, guint n)
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
      memset(mask + (gsize)y * w + ix0, 0xFF, ix1 - ix0);
  }
}

/* True when pixel (x, y) is a ridge across the given direction: darker by
 * min_contrast than some pixel within K on each side (outside = white). */
static inline gboolean is_ridge(const guint8 *gray, guint w, guint h, guint stride,
                                guint x, guint y, gboolean across_rows, guint K, int contrast)
{
  const guint8 *p = gray + (gsize)y * stride + x;
  int want = *p + contrast;
  if (want > 255)
    return FALSE;
  gboolean before = FALSE, after = FALSE;
  for (guint k = 1; k <= K && !(before && after); k++) {
    if (across_rows) {
      before = before || y < k || p[-(gssize)(k * stride)] >= want;
      after = after || y + k >= h || p[k * stride] >= want;
    } else {
      before = before || x < k || p[-(gssize)k] >= want;
      after = after || x + k >= w || p[k] >= want;
    }
  }
  return before && after;
}

/* Appends a finished run [start, last] at `pos` (pixels) if long enough. */
static gboolean emit_run(guint start, guint last, guint pos, double scale, const KkRunParams *p,
                         GArray *out, guint *count, guint max_segs)
{
  if (last - start + 1 < p->min_length)
    return TRUE;
  if (++*count > max_segs)
    return FALSE;
  KkSeg s = { (pos + 0.5) / scale, start / scale, (last + 1) / scale, 1.0 };
  g_array_append_val(out, s);
  return TRUE;
}

#define NO_RUN G_MAXUINT

gboolean kk_find_rulings(const guint8 *gray, guint w, guint h, guint stride,
                         double scale, const KkRunParams *params,
                         const KkBox *masks, guint n_masks, guint max_segs,
                         GArray *hsegs, GArray *vsegs)
{
  if (w == 0 || h == 0 || scale <= 0)
    return TRUE;
  g_autofree guint8 *mask = g_malloc0((gsize)w * h);
  mask_boxes(mask, w, h, scale, masks, n_masks);
  guint K = MAX(params->max_thickness, 1u), count = 0;
  int contrast = (int)MAX(params->min_contrast, 1u);
  guint max_gap = params->max_gap;
  /* One pass over the rows.  A run goes on while its next ridge pixel is
   * at most max_gap away; runs are closed when a later ridge pixel is too
   * far, or at the end, so pixels that are not ridges cost one test.
   * Eight pixels at a time are skipped when none of them is a candidate
   * (unmasked and dark enough): on inverted grey with masked bytes
   * cleared, no byte may exceed contrast - 1 (a SWAR test, exact for
   * contrast <= 128; beyond that only all-white words are skipped). */
  g_autofree guint *vstart = g_new(guint, w), *vlast = g_new(guint, w);
  for (guint x = 0; x < w; x++)
    vstart[x] = NO_RUN;
  const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), highs = ones * 0x80;
  const guint64 bias = contrast <= 128 ? ones * (guint64)(128 - contrast) : 0;
  for (guint y = 0; y < h; y++) {
    const guint8 *row = gray + (gsize)y * stride, *mrow = mask + (gsize)y * w;
    guint hstart = NO_RUN, hlast = 0;
    for (guint x = 0; x < w; x++) {
      if ((x & 7) == 0 && x + 8 <= w) {
        guint64 word, mword;
        memcpy(&word, row + x, 8);
        memcpy(&mword, mrow + x, 8);
        guint64 inv = ~word & ~mword; /* 255 - grey, 0 where masked */
        gboolean any = contrast <= 128 ? (((inv + bias) | inv) & highs) != 0 : inv != 0;
        if (!any) {
          x += 7;
          continue;
        }
      }
      if (row[x] + contrast > 255 || mrow[x])
        continue;
      if (is_ridge(gray, w, h, stride, x, y, TRUE, K, contrast)) {
        if (hstart != NO_RUN && x - hlast - 1 > max_gap) {
          if (!emit_run(hstart, hlast, y, scale, params, hsegs, &count, max_segs))
            return FALSE;
          hstart = NO_RUN;
        }
        if (hstart == NO_RUN)
          hstart = x;
        hlast = x;
      }
      if (is_ridge(gray, w, h, stride, x, y, FALSE, K, contrast)) {
        if (vstart[x] != NO_RUN && y - vlast[x] - 1 > max_gap) {
          if (!emit_run(vstart[x], vlast[x], x, scale, params, vsegs, &count, max_segs))
            return FALSE;
          vstart[x] = NO_RUN;
        }
        if (vstart[x] == NO_RUN)
          vstart[x] = y;
        vlast[x] = y;
      }
    }
    if (hstart != NO_RUN && !emit_run(hstart, hlast, y, scale, params, hsegs, &count, max_segs))
      return FALSE;
  }
  for (guint x = 0; x < w; x++)
    if (vstart[x] != NO_RUN && !emit_run(vstart[x], vlast[x], x, scale, params, vsegs, &count, max_segs))
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
