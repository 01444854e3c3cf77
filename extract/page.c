/*
 * page.c — what extract asks of Poppler for one page: the glyphs (text,
 * boxes, fonts) and the ruling segments of the rendered page.
 */
#include "extract/page.h"
#include "common/kk-error.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

/* Marks glyphs of Poppler lines that run top to bottom (縦書き). */
static void mark_vertical(KkGlyph *g, guint n)
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

gboolean kk_page_read_glyphs(PopplerPage *page, guint page_no, guint max_glyphs,
                             KkLayout *layout, GError **error)
{
  g_autofree char *text = poppler_page_get_text(page);
  PopplerRectangle *rects = NULL;
  guint n_rects = 0;
  if (text == NULL || !poppler_page_get_text_layout(page, &rects, &n_rects)) {
    g_free(rects);
    return TRUE; /* no text on this page */
  }
  GList *attrs = poppler_page_get_text_attributes(page);
  GList *attr = attrs;
  guint16 font = kk_layout_font(layout, "");
  float size = 0.0f;
  gint attr_end = -1;
  guint32 pline = 0;
  const char *p = text;
  gboolean ok = TRUE;
  for (guint i = 0; i < n_rects && *p; i++, p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    if (ch == '\n') {
      pline++;
      continue;
    }
    if ((gint)i > attr_end) { /* advance to the attribute range holding i */
      while (attr && ((PopplerTextAttributes *)attr->data)->end_index < (gint)i)
        attr = attr->next;
      if (attr && ((PopplerTextAttributes *)attr->data)->start_index <= (gint)i) {
        PopplerTextAttributes *a = attr->data;
        font = kk_layout_font(layout, a->font_name);
        size = (float)a->font_size;
        attr_end = a->end_index;
      } else {
        font = kk_layout_font(layout, "");
        size = 0.0f;
        attr_end = (gint)i;
      }
    }
    if (g_unichar_isspace(ch) || ch == 0x3000 || g_unichar_iscntrl(ch) || ch == 0xFFFD)
      continue; /* spaces are decided from geometry */
    const PopplerRectangle *r = &rects[i];
    KkBox b = { MIN(r->x1, r->x2), MIN(r->y1, r->y2), MAX(r->x1, r->x2), MAX(r->y1, r->y2) };
    if (!(isfinite(b.x0) && isfinite(b.y0) && isfinite(b.x1) && isfinite(b.y1)))
      continue;
    double xc = (b.x0 + b.x1) / 2, yc = (b.y0 + b.y1) / 2;
    if (xc < 0 || yc < 0 || xc > layout->width || yc > layout->height)
      continue; /* off-page text is not shown */
    if (layout->glyphs->len >= max_glyphs) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "page %u: more than %u glyphs", page_no, max_glyphs);
      ok = FALSE;
      break;
    }
    if (!(size > 0.0f && size < 5000.0f))
      size = 0.0f;
    KkGlyph g = { b, ch, size, font, 0, pline };
    g_array_append_val(layout->glyphs, g);
  }
  g_list_free_full(attrs, (GDestroyNotify)poppler_text_attributes_free);
  g_free(rects);
  if (ok)
    mark_vertical((KkGlyph *)layout->glyphs->data, layout->glyphs->len);
  return ok;
}

typedef guint16 KkLanes16 __attribute__((vector_size(16)));
typedef guint32 KkQuad32 __attribute__((vector_size(16)));
typedef guint8 KkQuad8 __attribute__((vector_size(4)));

KkRender *kk_page_render(PopplerPage *page, double w_pt, double h_pt, double scale, guint64 max_pixels)
{
  if (!(w_pt > 1 && h_pt > 1 && scale > 0))
    return NULL;
  double area = w_pt * h_pt * scale * scale;
  if (area > (double)max_pixels)
    scale *= sqrt((double)max_pixels / area);
  if (scale < 0.25)
    return NULL; /* too coarse to see rulings: a huge page */
  int w = (int)ceil(w_pt * scale), h = (int)ceil(h_pt * scale);
  /* Our own buffer: cairo_image_surface_create() would zero it only for
   * the white paint below to overwrite it. */
  int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
  if (stride <= 0)
    return NULL;
  g_autofree guint8 *pixels = g_try_malloc((gsize)stride * (gsize)h);
  if (pixels == NULL)
    return NULL;
  cairo_surface_t *surface = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, w, h, stride);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return NULL;
  }
  cairo_t *cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  /* Coarser anti-aliasing of shapes (not of text) is cheaper and keeps
   * thin rulings, which CAIRO_ANTIALIAS_NONE would drop. */
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
  poppler_page_render(page, cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);

  KkRender *r = g_new0(KkRender, 1);
  r->w = (guint)w;
  r->h = (guint)h;
  r->scale = scale;
  r->gray = g_malloc((gsize)w * h);
  /* Grey levels (77 + 150 + 29 = 256: white stays 255); eight white
   * pixels cost one test, other pixels are weighed four at a time in
   * 16-bit lanes (on little-endian machines).  The top byte of an RGB24
   * pixel is unused. */
  const guint64 white2 = G_GUINT64_CONSTANT(0x00FFFFFF00FFFFFF);
  for (int y = 0; y < h; y++) {
    const guint8 *row = pixels + (gsize)y * stride;
    guint8 *out = r->gray + (gsize)y * w;
    int x = 0;
    for (; x + 8 <= w; x += 8) {
      guint64 q[4];
      memcpy(q, row + (gsize)x * 4, sizeof q);
      if ((q[0] & q[1] & q[2] & q[3] & white2) == white2) { /* white paper */
        memset(out + x, 255, 8);
        continue;
      }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      for (int k = 0; k < 2; k++) { /* four pixels: 16-bit lanes B|G, R|X */
        KkLanes16 lanes;
        memcpy(&lanes, q + 2 * k, sizeof lanes);
        KkLanes16 lo = lanes & 0xff, hi = lanes >> 8;
        KkLanes16 sum = lo * (KkLanes16){ 29, 77, 29, 77, 29, 77, 29, 77 } +
                        hi * (KkLanes16){ 150, 0, 150, 0, 150, 0, 150, 0 };
        KkQuad32 s32;
        memcpy(&s32, &sum, sizeof s32);
        KkQuad32 grey = ((s32 & 0xffff) + (s32 >> 16)) >> 8;
        KkQuad8 g8 = __builtin_convertvector(grey, KkQuad8);
        memcpy(out + x + 4 * k, &g8, 4);
      }
#else
      for (int k = 0; k < 8; k++) {
        guint32 px;
        memcpy(&px, row + (gsize)(x + k) * 4, 4);
        out[x + k] = (guint8)((((px >> 16) & 0xff) * 77 + ((px >> 8) & 0xff) * 150 + (px & 0xff) * 29) >> 8);
      }
#endif
    }
    for (; x < w; x++) {
      guint32 px;
      memcpy(&px, row + (gsize)x * 4, 4);
      out[x] = (guint8)((((px >> 16) & 0xff) * 77 + ((px >> 8) & 0xff) * 150 + (px & 0xff) * 29) >> 8);
    }
  }
  cairo_surface_destroy(surface);
  return r;
}

void kk_render_free(KkRender *r)
{
  if (r == NULL)
    return;
  g_free(r->gray);
  g_free(r);
}

gboolean kk_page_rulings(const KkRender *r, const KkLayout *layout, GArray *hsegs, GArray *vsegs)
{
  /* glyph boxes, shrunk so that rulings right next to text survive */
  guint ng = layout->glyphs->len;
  g_autofree KkBox *masks = g_new(KkBox, ng + 1);
  for (guint i = 0; i < ng; i++) {
    KkBox b = g_array_index(layout->glyphs, KkGlyph, i).box;
    double dx = 0.12 * (b.x1 - b.x0), dy = 0.15 * (b.y1 - b.y0);
    masks[i] = (KkBox){ b.x0 + dx, b.y0 + dy, b.x1 - dx, b.y1 - dy };
  }
  double scale = r->scale;
  KkRunParams rp = {
    .max_thickness = (guint)MAX(2.0, ceil(3.0 * scale)),
    .min_contrast = 48,
    .min_length = (guint)MAX(4.0, ceil(8.0 * scale)),
    .max_gap = (guint)MAX(2.0, round(2.0 * scale)),
  };
  return kk_find_rulings(r->gray, r->w, r->h, r->w, scale, &rp, masks, ng, 200000, hsegs, vsegs);
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

int kk_page_make_upright(KkLayout *layout, KkRender **render, gboolean page_turned)
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
  mark_vertical(g, n);
  layout->width = h;
  layout->height = w;
  KkRender *r = *render;
  if (r) {
    /* the picture turned the same way: new (x, y) = old (X, Y) */
    KkRender *t = g_new0(KkRender, 1);
    t->w = r->h;
    t->h = r->w;
    t->scale = r->scale;
    t->gray = g_malloc((gsize)t->w * t->h);
    for (guint y = 0; y < t->h; y++)
      for (guint x = 0; x < t->w; x++) {
        guint X = rot == 90 ? r->w - 1 - y : y, Y = rot == 90 ? x : r->h - 1 - x;
        t->gray[(gsize)y * t->w + x] = r->gray[(gsize)Y * r->w + X];
      }
    kk_render_free(r);
    *render = t;
  }
  return rot;
}
