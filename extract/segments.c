/*
 * segments.c — ruling segments joined: pieces of one ruling (a border
 * drawn cell by cell, a dashed line, the two edges of a thick stroke)
 * become one segment.
 */
#include "extract/geom.h"

#include <stdlib.h>

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
