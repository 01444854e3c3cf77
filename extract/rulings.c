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

/* Ridge flags of one row y: hflag[x] (0xFF) when pixel (x, y) is a ridge
 * across rows, vflag[x] when it is one across columns: unmasked, and
 * darker by `contrast` than some pixel within K on each side (outside the
 * picture = white).  `pad` (w + 2K bytes) holds the row between K white
 * bytes on each side; `above[k-1]` / `below[k-1]` are the rows k away
 * (a white row past the edges).  Sixteen pixels at a time, branch-free. */
typedef guint8 KkV16 __attribute__((vector_size(16)));

static inline KkV16 vmax(KkV16 a, KkV16 b)
{
  return b ^ ((a ^ b) & (KkV16)(a > b));
}

static void ridge_row(const guint8 *row, const guint8 *mrow, const guint8 *pad,
                      const guint8 *const *above, const guint8 *const *below,
                      guint w, guint K, int contrast, guint8 *hflag, guint8 *vflag)
{
  guint8 lim = (guint8)(255 - contrast), c = (guint8)contrast;
  guint x = 0;
  for (; x + 16 <= w; x += 16) {
    KkV16 p, m, up, dn, lf, rt, t;
    memcpy(&p, row + x, 16);
    memcpy(&m, mrow + x, 16);
    KkV16 cand = (KkV16)(p <= lim) & (KkV16)(m == 0);
    guint64 c2[2];
    memcpy(c2, &cand, 16);
    if ((c2[0] | c2[1]) == 0) { /* white paper or glyphs: the usual case */
      memset(hflag + x, 0, 16);
      memset(vflag + x, 0, 16);
      continue;
    }
    memcpy(&up, above[0] + x, 16);
    memcpy(&dn, below[0] + x, 16);
    memcpy(&lf, pad + K + x - 1, 16);
    memcpy(&rt, pad + K + x + 1, 16);
    for (guint k = 2; k <= K; k++) {
      memcpy(&t, above[k - 1] + x, 16);
      up = vmax(up, t);
      memcpy(&t, below[k - 1] + x, 16);
      dn = vmax(dn, t);
      memcpy(&t, pad + K + x - k, 16);
      lf = vmax(lf, t);
      memcpy(&t, pad + K + x + k, 16);
      rt = vmax(rt, t);
    }
    KkV16 want = p + c; /* wraps only where p > lim: not a candidate */
    KkV16 h = cand & (KkV16)(up >= want) & (KkV16)(dn >= want);
    KkV16 v = cand & (KkV16)(lf >= want) & (KkV16)(rt >= want);
    memcpy(hflag + x, &h, 16);
    memcpy(vflag + x, &v, 16);
  }
  for (; x < w; x++) {
    hflag[x] = vflag[x] = 0;
    if (row[x] > lim || mrow[x])
      continue;
    guint want = row[x] + c, u = 0, d = 0, l = 0, r = 0;
    for (guint k = 1; k <= K; k++) {
      u = MAX(u, above[k - 1][x]);
      d = MAX(d, below[k - 1][x]);
      l = MAX(l, pad[K + x - k]);
      r = MAX(r, pad[K + x + k]);
    }
    hflag[x] = u >= want && d >= want ? 0xFF : 0;
    vflag[x] = l >= want && r >= want ? 0xFF : 0;
  }
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
  int contrast = (int)CLAMP(params->min_contrast, 1u, 255u);
  guint max_gap = params->max_gap;
  if (K > h + w)
    K = h + w; /* farther than the picture reaches is all white anyway */
  /* One pass over the rows.  A run goes on while its next ridge pixel is
   * at most max_gap away; runs are closed when a later ridge pixel is too
   * far, or at the end.  The ridge flags of a row are computed for the
   * whole row at once; eight pixels without a flag are skipped at once. */
  g_autofree guint *vstart = g_new(guint, w), *vlast = g_new(guint, w);
  for (guint x = 0; x < w; x++)
    vstart[x] = NO_RUN;
  g_autofree guint8 *white = g_malloc((gsize)w);
  memset(white, 255, w);
  g_autofree guint8 *pad = g_malloc((gsize)w + 2 * K);
  memset(pad, 255, (gsize)w + 2 * K);
  g_autofree const guint8 **above = g_new(const guint8 *, K), **below = g_new(const guint8 *, K);
  g_autofree guint8 *hflag = g_malloc((gsize)w), *vflag = g_malloc((gsize)w);
  for (guint y = 0; y < h; y++) {
    const guint8 *row = gray + (gsize)y * stride, *mrow = mask + (gsize)y * w;
    for (guint k = 1; k <= K; k++) {
      above[k - 1] = y >= k ? row - (gsize)k * stride : white;
      below[k - 1] = y + k < h ? row + (gsize)k * stride : white;
    }
    memcpy(pad + K, row, w);
    ridge_row(row, mrow, pad, above, below, w, K, contrast, hflag, vflag);
    guint hstart = NO_RUN, hlast = 0;
    for (guint x = 0; x < w; x++) {
      if ((x & 7) == 0) { /* skip blocks of eight pixels without a flag */
        while (x + 8 <= w) {
          guint64 hw, vw;
          memcpy(&hw, hflag + x, 8);
          memcpy(&vw, vflag + x, 8);
          if ((hw | vw) != 0)
            break;
          x += 8;
        }
        if (x >= w)
          break;
      }
      if (hflag[x]) {
        if (hstart != NO_RUN && x - hlast - 1 > max_gap) {
          if (!emit_run(hstart, hlast, y, scale, params, hsegs, &count, max_segs))
            return FALSE;
          hstart = NO_RUN;
        }
        if (hstart == NO_RUN)
          hstart = x;
        hlast = x;
      }
      if (vflag[x]) {
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
