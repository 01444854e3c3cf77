/*
 * ocr-engine.c — pages read by Tesseract (see ocr.h for the method and
 * limits).  Built as a module of its own (keikaku-ocr.so, loaded by ocr.c
 * on the first page that needs OCR), so that the libraries Tesseract and
 * Leptonica pull in are not loaded by every keikaku process.
 *
 * Frames: Poppler renders the page as displayed (its /Rotate applied) at
 * `dpi`; OSD may turn the picture by a multiple of 90 degrees and the
 * deskew by a small angle; boxes Tesseract reports are in the final
 * picture and are divided by dpi/72 to give points in the page frame as it
 * was read (KkOcrPage.orientation says how it was turned).
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include "extract/ocr.h"
#include "extract/ocr-module.h"
#include "extract/page.h"
#include "common/kk-error.h"

#include <dlfcn.h>
#include <gmodule.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <cairo.h>
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

/* OSD must be at least this sure before a page is turned. */
#define OSD_MIN_CONFIDENCE 2.0f
/* Leptonica's skew confidence and the smallest angle worth a rotation. */
#define SKEW_MIN_CONFIDENCE 3.0f
#define SKEW_MIN_DEGREES 0.1f
/* White (in em) next to a Japanese character that OCR boxes leave by
 * imprecision rather than by a space on the page. */
#define CLOSE_GAP 0.6
/* A page read with fewer words is read again as sparse text. */
#define SPARSE_WORDS 40
/* A reading of at least this many words at this mean confidence shows
 * the page upright (no OSD). */
#define UPRIGHT_WORDS 20
#define UPRIGHT_CONFIDENCE 75.0
/* Ink of Japanese type is at least this tall (pt; 6 pt type has 5). */
#define MIN_INK_PT 3.5
/* eng's reading of a cell of figures at least this sure needs no jpn. */
#define FIGURE_CONFIDENCE 80.0f
/* Pages whose ruled tables have more cells are read as a page. */
#define MAX_CELLS 2000
/* A cell is read this far (pt) inside its walls. */
#define CELL_INSET_PT 1.0

struct _KkOcr {
  TessBaseAPI *jpn, *vert, *osd, *eng;
  gboolean jpn_failed, vert_failed, osd_failed, eng_failed;
};




static KkOcr *engine_new(void)
{
  /* one thread per page: ingest -j runs documents in parallel, and
   * Tesseract's OpenMP threads would only compete with them (and spin:
   * on 2 shared cores they cost twice the CPU of the reading itself).
   * libgomp reads OMP_THREAD_LIMIT when it is loaded, before main(), and
   * Tesseract asks for its thread counts explicitly, so neither the
   * environment nor omp_set_num_threads() works here; with at most 0
   * active levels of parallelism every parallel region runs on the
   * calling thread alone.  Looked up, as keikaku does not link OpenMP
   * itself (a Tesseract built without it has no such symbol). */
  void (*set_levels)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
  if (set_levels)
    set_levels(0);
  setMsgSeverity(L_SEVERITY_NONE); /* Leptonica's messages: the one-line error says it */
  return g_new0(KkOcr, 1);
}

static void engine_free(KkOcr *ocr)
{
  if (ocr == NULL)
    return;
  TessBaseAPI *apis[] = { ocr->jpn, ocr->vert, ocr->osd, ocr->eng };
  for (gsize i = 0; i < G_N_ELEMENTS(apis); i++)
    if (apis[i]) {
      TessBaseAPIEnd(apis[i]);
      TessBaseAPIDelete(apis[i]);
    }
  g_free(ocr);
}

/* The engine for `lang` in *slot, made on first use; NULL (and *failed
 * set) when Tesseract cannot load that language. */
static TessBaseAPI *engine(TessBaseAPI **slot, gboolean *failed, const char *lang, TessOcrEngineMode oem)
{
  if (*slot || *failed)
    return *slot;
  TessBaseAPI *api = TessBaseAPICreate();
  TessBaseAPISetVariable(api, "debug_file", "/dev/null"); /* "Detected N diacritics" etc. */
  if (TessBaseAPIInit2(api, NULL, lang, oem) != 0) {
    TessBaseAPIDelete(api);
    *failed = TRUE;
    return NULL;
  }
  TessBaseAPISetVariable(api, "debug_file", "/dev/null");
  *slot = api;
  return api;
}

/* ---- rendering ------------------------------------------------------------ */

/* The resolution to read a page of w x h points at: the scan's own when a
 * scan covers most of the page at 200..600 dpi (no resampling), else 300;
 * lowered until the picture has at most KK_OCR_MAX_PIXELS. */
static int choose_dpi(const KkPageInk *ink, double w, double h)
{
  int dpi = 300;
  if (ink && ink->image_px[0] > 0) {
    double bw = ink->image_box[2] - ink->image_box[0], bh = ink->image_box[3] - ink->image_box[1];
    if (bw * bh >= 0.5 * w * h && bw > 0) {
      double own = ink->image_px[0] / (bw / 72.0);
      if (own >= 300 && own <= 600)
        dpi = (int)lround(own);
    }
  }
  while (dpi > 72 && (w * dpi / 72.0) * (h * dpi / 72.0) > KK_OCR_MAX_PIXELS)
    dpi -= 25;
  return dpi;
}

/* The grey (ITU-R 601 weights) of a cairo RGB24 pixel. */
static inline l_uint32 grey_of(guint32 px)
{
  return (((px >> 16) & 0xff) * 77 + ((px >> 8) & 0xff) * 150 + (px & 0xff) * 29) >> 8;
}

/* Page `page` rendered in grey (8 bpp) at `dpi`, or NULL. */
static PIX *render_grey(PopplerPage *page, int dpi, GError **error)
{
  double w, h;
  poppler_page_get_size(page, &w, &h);
  double scale = dpi / 72.0;
  int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
  if (pw <= 0 || ph <= 0 || (double)pw * ph > 1.05 * KK_OCR_MAX_PIXELS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "page of %.0f x %.0f points is too large to read by OCR", w, h);
    return NULL;
  }
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot allocate a %d x %d picture for OCR", pw, ph);
    return NULL;
  }
  cairo_t *cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  poppler_page_render(page, cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);

  PIX *pix = pixCreate(pw, ph, 8);
  if (pix == NULL) {
    cairo_surface_destroy(surface);
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot allocate a %d x %d picture for OCR", pw, ph);
    return NULL;
  }
  pixSetResolution(pix, dpi, dpi);
  const unsigned char *data = cairo_image_surface_get_data(surface);
  int stride = cairo_image_surface_get_stride(surface);
  l_uint32 *dst = pixGetData(pix);
  l_int32 wpl = pixGetWpl(pix);
  /* four pixels to a word, the first in its high byte (Leptonica's
   * order), without per-byte address arithmetic: 1.6x faster */
  for (int y = 0; y < ph; y++) {
    const guint32 *row = (const guint32 *)(data + (gsize)y * stride);
    l_uint32 *line = dst + (gsize)y * wpl;
    int x = 0;
    for (; x + 4 <= pw; x += 4)
      line[x >> 2] = grey_of(row[x]) << 24 | grey_of(row[x + 1]) << 16 | grey_of(row[x + 2]) << 8 | grey_of(row[x + 3]);
    for (; x < pw; x++)
      SET_DATA_BYTE(line, x, grey_of(row[x]));
  }
  cairo_surface_destroy(surface);
  return pix;
}

/* ---- orientation and skew ------------------------------------------------- */

/* Turns *pix upright by Tesseract's OSD; returns the clockwise turn applied. */
static int fix_orientation(KkOcr *ocr, PIX **pix, int dpi)
{
  TessBaseAPI *osd = engine(&ocr->osd, &ocr->osd_failed, "osd", OEM_TESSERACT_ONLY);
  if (osd == NULL)
    return 0;
  TessBaseAPISetPageSegMode(osd, PSM_OSD_ONLY);
  TessBaseAPISetImage2(osd, *pix);
  TessBaseAPISetSourceResolution(osd, dpi);
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char *script = NULL;
  BOOL ok = TessBaseAPIDetectOrientationScript(osd, &orient_deg, &orient_conf, &script, &script_conf);
  TessBaseAPIClear(osd);
  if (!ok || orient_conf < OSD_MIN_CONFIDENCE || orient_deg % 90 != 0 || orient_deg == 0)
    return 0;
  /* OSD names the orientation the text has; turning clockwise by 360 -
   * that many degrees brings it upright */
  int turn = (360 - orient_deg) % 360;
  PIX *turned = pixRotateOrth(*pix, turn / 90);
  if (turned == NULL)
    return 0;
  pixDestroy(pix);
  *pix = turned;
  return turn;
}

/* Straightens *pix by Leptonica's skew search; returns the degrees. */
static double fix_skew(PIX **pix)
{
  PIX *binary = pixThresholdToBinary(*pix, 160);
  if (binary == NULL)
    return 0;
  l_float32 angle = 0, conf = 0;
  l_ok bad = pixFindSkew(binary, &angle, &conf);
  pixDestroy(&binary);
  if (bad || conf < SKEW_MIN_CONFIDENCE || fabsf(angle) < SKEW_MIN_DEGREES)
    return 0;
  PIX *straight = pixRotate(*pix, angle * (l_float32)(G_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  if (straight == NULL)
    return 0;
  pixDestroy(pix);
  *pix = straight;
  return angle;
}

/* ---- ruling lines ------------------------------------------------------------ */

/* Ruling lines of the picture: dark runs at least RULE_MIN_INCH long and at
 * most RULE_MAX_PT thick, found by opening the binary picture with a long
 * thin brick (what survives is line, not text: a character's strokes are
 * far shorter), one connected piece per segment, in points.  A shorter run
 * (at least RULE_SHORT_PT) is a ruling too when both its ends meet long
 * rulings across it: the walls of a header row under a spanning row (区分 |
 * 令和6年度 | … over 歳入 spanning the table) are shorter than the brick,
 * and a character's stroke never runs from one ruling exactly to the next. */
#define RULE_MIN_INCH 0.4
#define RULE_MAX_PT 5.0
#define RULE_SHORT_PT 6.0
/* How far (pt) the end of a short run may lie from the ruling it meets. */
#define RULE_MEET_PT 2.5

/* Whether `end` (a position along a run at `pos` across) lies on one of
 * the long rulings `across` (segments perpendicular to the run). */
static gboolean meets(const GArray *across, guint n_long, double end, double pos)
{
  for (guint i = 0; i < n_long; i++) {
    const KkSeg *s = &g_array_index(across, KkSeg, i);
    if (fabs(s->pos - end) <= RULE_MEET_PT && pos >= s->a0 - RULE_MEET_PT && pos <= s->a1 + RULE_MEET_PT)
      return TRUE;
  }
  return FALSE;
}

/* Adds the pieces of `lines` (one direction's opening) at most RULE_MAX_PT
 * thick to `segs` and their pixels to `mask`; when `across` is given (the
 * long rulings of the other direction, their first `n_across`), only
 * pieces shorter than `max_len` pixels whose two ends meet them. */
static void take_rulings(PIX *lines, gboolean horizontal, double k, GArray *segs, PIX *mask,
                         const GArray *across, guint n_across, int max_len)
{
  BOXA *boxes = pixConnCompBB(lines, 8);
  for (int i = 0; boxes && i < boxaGetCount(boxes); i++) {
    l_int32 x, y, w, h;
    if (boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h) != 0)
      continue;
    if ((horizontal ? h : w) * k > RULE_MAX_PT)
      continue; /* a bar or a filled area */
    KkSeg seg = horizontal ? (KkSeg){ (y + h / 2.0) * k, x * k, (x + w) * k, 1.0 }
                           : (KkSeg){ (x + w / 2.0) * k, y * k, (y + h) * k, 1.0 };
    if (across && ((horizontal ? w : h) >= max_len || !meets(across, n_across, seg.a0, seg.pos)
                   || !meets(across, n_across, seg.a1, seg.pos)))
      continue;
    g_array_append_val(segs, seg);
    pixRasterop(mask, x, y, w, h, PIX_SRC | PIX_DST, lines, x, y);
  }
  boxaDestroy(&boxes);
}

/* Finds the ruling lines of `binary` (1 bpp at `dpi`) into out->hsegs and
 * out->vsegs (points) and returns a mask of their pixels (NULL when
 * Leptonica fails). */
static PIX *find_rulings(PIX *binary, int dpi, KkOcrPage *out)
{
  if (out->hsegs == NULL) {
    out->hsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
    out->vsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  }
  g_array_set_size(out->hsegs, 0);
  g_array_set_size(out->vsegs, 0);
  PIX *mask = pixCreateTemplate(binary);
  if (mask == NULL)
    return NULL;
  int len = (int)(RULE_MIN_INCH * dpi), short_len = (int)(RULE_SHORT_PT * dpi / 72.0);
  double k = 72.0 / dpi;
  for (int horizontal = 1; horizontal >= 0; horizontal--) {
    PIX *lines = horizontal ? pixOpenCompBrick(NULL, binary, len, 1) : pixOpenCompBrick(NULL, binary, 1, len);
    if (lines)
      take_rulings(lines, horizontal, k, horizontal ? out->hsegs : out->vsegs, mask, NULL, 0, 0);
    pixDestroy(&lines);
  }
  guint n_h = out->hsegs->len, n_v = out->vsegs->len;
  for (int horizontal = 1; horizontal >= 0; horizontal--) {
    PIX *lines = horizontal ? pixOpenCompBrick(NULL, binary, short_len, 1) : pixOpenCompBrick(NULL, binary, 1, short_len);
    if (lines)
      take_rulings(lines, horizontal, k, horizontal ? out->hsegs : out->vsegs, mask,
                   horizontal ? out->vsegs : out->hsegs, horizontal ? n_v : n_h, len);
    pixDestroy(&lines);
  }
  return mask;
}

/* ---- recognition ----------------------------------------------------------- */

/* One reading of the picture. */
typedef struct {
  GArray *glyphs;  /* KkGlyph, points; font 0; pline = Tesseract's text line */
  GArray *words;   /* KkOcrWord */
  double conf_sum;
  guint vertical_words, words_seen;
  guint32 lines;   /* Tesseract lines read so far (the glyphs' pline) */
} Reading;

static void reading_clear(Reading *r)
{
  if (r->words) {
    for (guint i = 0; i < r->words->len; i++)
      g_free(g_array_index(r->words, KkOcrWord, i).text);
    g_array_free(r->words, TRUE);
  }
  if (r->glyphs)
    g_array_free(r->glyphs, TRUE);
  memset(r, 0, sizeof *r);
}

static double reading_mean(const Reading *r)
{
  return r->words && r->words->len ? r->conf_sum / r->words->len : 0;
}

static bool cancel_past_deadline(void *data, int words)
{
  (void)words;
  const gint64 *deadline = data;
  return *deadline > 0 && g_get_monotonic_time() > *deadline;
}

/* Appends the characters of symbol text `s` (ink box in pixels, `k` =
 * points per pixel) to the pending line as glyphs with their ink boxes,
 * splitting the box evenly when Tesseract gave more than one character for
 * one symbol.  `word` numbers Tesseract's words (modulo 65536). */
static void add_symbol(GArray *pending, const char *s, int l, int t, int rt, int b, double k, gboolean vertical,
                       guint32 line, guint16 word)
{
  glong n = g_utf8_strlen(s, -1);
  const char *p = s;
  for (glong i = 0; i < n; i++, p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    if (g_unichar_isspace(ch) || ch == 0x3000 || g_unichar_iscntrl(ch))
      continue; /* spaces are decided from geometry, as for text PDFs */
    KkBox box;
    if (vertical)
      box = (KkBox){ l * k, (t + (double)(b - t) * i / n) * k, rt * k, (t + (double)(b - t) * (i + 1) / n) * k };
    else
      box = (KkBox){ (l + (double)(rt - l) * i / n) * k, t * k, (l + (double)(rt - l) * (i + 1) / n) * k, b * k };
    /* until kk_ocr_read_page() sets the font, `font` holds the word's number */
    KkGlyph g = { box, ch, 0, word, vertical ? KK_GLYPH_VERTICAL : 0, line };
    g_array_append_val(pending, g);
  }
}

static int cmp_double(gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Whether `a` then `b` can be two characters of one figure (32,450 1.62):
 * digits, and a separator before a digit.  eng's model often ends a word
 * after the comma (32, 450), which a space would cut in two. */
static gboolean in_figure(gunichar a, gunichar b)
{
  return g_unichar_isdigit(b) && (g_unichar_isdigit(a) || a == ',' || a == '.');
}

/* Whether the glyphs `pending` of one Tesseract line are
 * a piece of drawing Tesseract read as text: a dashed rule, read as a
 * row of flat の and o (its wide characters' ink, at the median, less
 * than half as tall as wide, where type is about square, or less than
 * MIN_INK_PT tall: type that small cannot be read on a scan).  (A lone
 * unsure character is kept: Tesseract gives 0 to the corner of a box read
 * as ノ and to the 郡 of a letter-spaced 小　郡　市 alike.) */
static gboolean is_drawing(GArray *pending)
{
  g_autoptr(GArray) across = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) along = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < pending->len; i++) {
    const KkGlyph *g = &g_array_index(pending, KkGlyph, i);
    if (!g_unichar_iswide(g->ch))
      continue;
    gboolean vertical = (g->flags & KK_GLYPH_VERTICAL) != 0;
    double a = vertical ? g->box.x1 - g->box.x0 : g->box.y1 - g->box.y0;
    double b = vertical ? g->box.y1 - g->box.y0 : g->box.x1 - g->box.x0;
    g_array_append_val(across, a);
    g_array_append_val(along, b);
  }
  if (across->len < 3)
    return FALSE;
  g_array_sort(across, cmp_double);
  g_array_sort(along, cmp_double);
  double a = g_array_index(across, double, across->len / 2), b = g_array_index(along, double, along->len / 2);
  return a < 0.5 * b || a < MIN_INK_PT;
}

/* The start and end of glyph `g` along its line. */
static double *along0(KkGlyph *g)
{
  return g->flags & KK_GLYPH_VERTICAL ? &g->box.y0 : &g->box.x0;
}

static double *along1(KkGlyph *g)
{
  return g->flags & KK_GLYPH_VERTICAL ? &g->box.y1 : &g->box.x1;
}

/* Puts the glyph boxes of one Tesseract line (`pending`, in the order
 * Tesseract read them) in that order along the line.  The LSTM gives the
 * characters in reading order, but its box of one can run over those
 * after it (the 康 of 健康・福祉 in a cell reaching to the end of 福祉, its
 * word's box with it), and the line builder, which orders glyphs by their
 * boxes, would then read 健・康福祉.  Where a glyph's centre lies before
 * the centre of the one before it, that glyph, the one before and those
 * after that start inside their run are given equal shares of the run's
 * extent, in Tesseract's order. */
static void fix_order(GArray *pending)
{
  KkGlyph *g = (KkGlyph *)pending->data;
  for (guint i = 1; i < pending->len; i++) {
    if (*along0(&g[i]) + *along1(&g[i]) >= *along0(&g[i - 1]) + *along1(&g[i - 1]))
      continue;
    guint first = i - 1, last = i;
    double lo = MIN(*along0(&g[first]), *along0(&g[last])), hi = MAX(*along1(&g[first]), *along1(&g[last]));
    while (last + 1 < pending->len && *along0(&g[last + 1]) < hi) {
      last++;
      lo = MIN(lo, *along0(&g[last]));
      hi = MAX(hi, *along1(&g[last]));
    }
    double step = (hi - lo) / (last - first + 1);
    for (guint j = first; j <= last; j++) {
      *along0(&g[j]) = lo + step * (j - first);
      *along1(&g[j]) = lo + step * (j - first + 1);
    }
    i = last;
  }
}

/* Moves the glyphs of one Tesseract line from `pending` to r->glyphs.  An
 * ink box is narrower than the character's cell (し, 1, 、), which would
 * read as white between glyphs and make the line builder put spaces inside
 * Japanese words; so along the line each glyph gets at least the cell a
 * typesetter gives it — one em for a wide character, half for a narrow
 * one, centred on its ink — where the em is the median extent across the
 * line of its wide characters' ink (a Tesseract word or line box can take
 * in a drawing beside it, so not theirs).  A line that is a drawing
 * (is_drawing()) is dropped with its words, from `first_word` on. */
static void flush_line(Reading *r, GArray *pending, guint first_word)
{
  if (pending->len == 0)
    return;
  if (is_drawing(pending)) {
    for (guint i = first_word; i < r->words->len; i++) {
      KkOcrWord *w = &g_array_index(r->words, KkOcrWord, i);
      r->conf_sum -= w->confidence;
      r->words_seen--;
      if (g_array_index(pending, KkGlyph, 0).flags & KK_GLYPH_VERTICAL)
        r->vertical_words--;
      g_free(w->text);
    }
    g_array_set_size(r->words, first_word);
    g_array_set_size(pending, 0);
    return;
  }
  fix_order(pending);
  g_autoptr(GArray) across = g_array_new(FALSE, FALSE, sizeof(double));
  double widest = 0;
  for (guint i = 0; i < pending->len; i++) {
    const KkGlyph *g = &g_array_index(pending, KkGlyph, i);
    gboolean vertical = (g->flags & KK_GLYPH_VERTICAL) != 0;
    double ext = vertical ? g->box.x1 - g->box.x0 : g->box.y1 - g->box.y0;
    widest = MAX(widest, ext);
    if (g_unichar_iswide(g->ch))
      g_array_append_val(across, ext);
  }
  double em = widest;
  if (across->len > 0) {
    g_array_sort(across, cmp_double);
    em = g_array_index(across, double, across->len / 2);
  }
  /* the line's band across: the median start and end of its glyphs' ink */
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(double));
  g_autoptr(GArray) ends = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < pending->len; i++) {
    const KkGlyph *g = &g_array_index(pending, KkGlyph, i);
    gboolean vertical = (g->flags & KK_GLYPH_VERTICAL) != 0;
    double s0 = vertical ? g->box.x0 : g->box.y0, s1 = vertical ? g->box.x1 : g->box.y1;
    g_array_append_val(starts, s0);
    g_array_append_val(ends, s1);
  }
  g_array_sort(starts, cmp_double);
  g_array_sort(ends, cmp_double);
  double band0 = g_array_index(starts, double, starts->len / 2);
  double band1 = g_array_index(ends, double, ends->len / 2);
  for (guint i = 0; i < pending->len; i++) {
    KkGlyph g = g_array_index(pending, KkGlyph, i);
    gboolean vertical = (g.flags & KK_GLYPH_VERTICAL) != 0;
    double *a0 = vertical ? &g.box.y0 : &g.box.x0, *a1 = vertical ? &g.box.y1 : &g.box.x1;
    double cell = em * (g_unichar_iswide(g.ch) ? 1.0 : 0.5);
    if (*a1 - *a0 < cell) {
      double c = (*a0 + *a1) / 2;
      *a0 = c - cell / 2;
      *a1 = c + cell / 2;
    }
    /* across the line every glyph gets the line's band, as a font's
     * ascent and descent give every glyph of a text PDF's line one band:
     * an ink box is only the ink (a comma or a 、 at the foot of the line,
     * a ー in its middle would fall out of the row), and Tesseract's box
     * of a symbol can reach into the lines above and below (a 、 three
     * lines tall), which would band those lines into one row */
    double *b0 = vertical ? &g.box.x0 : &g.box.y0, *b1 = vertical ? &g.box.x1 : &g.box.y1;
    if (band1 > band0) {
      *b0 = band0;
      *b1 = band1;
    }
    g.size = (float)em;
    g.flags = 0; /* kk_glyphs_mark_vertical() decides, as for text PDFs */
    /* Tesseract's boxes for LSTM symbols are approximate: a white inside
     * one of its words (up to an em), or of less than CLOSE_GAP em next to
     * a Japanese character, is no space (nor a column gap for the
     * unruled-table finder), so the two cells meet */
    if (i > 0 && r->glyphs->len > 0) {
      KkGlyph *a = &g_array_index(r->glyphs, KkGlyph, r->glyphs->len - 1);
      double *ae = vertical ? &a->box.y1 : &a->box.x1, *gs = vertical ? &g.box.y0 : &g.box.x0;
      double gap = *gs - *ae;
      gboolean close = a->font == g.font ? gap < em
                                         : (g_unichar_iswide(a->ch) || g_unichar_iswide(g.ch) || in_figure(a->ch, g.ch))
                                               && gap < CLOSE_GAP * em;
      if (gap > 0 && close)
        *ae = *gs = (*ae + *gs) / 2;
    }
    g_array_append_val(r->glyphs, g);
  }
  g_array_set_size(pending, 0);
}

/* Whether UTF-8 `text` holds a Japanese letter (kanji, kana). */
static gboolean has_japanese(const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    GUnicodeScript sc = g_unichar_get_script(g_utf8_get_char(p));
    if (sc == G_UNICODE_SCRIPT_HAN || sc == G_UNICODE_SCRIPT_HIRAGANA || sc == G_UNICODE_SCRIPT_KATAKANA)
      return TRUE;
  }
  return FALSE;
}

/* Whether a word is noise Tesseract made of a drawing (a dotted border, a
 * halftone): unsure, and not one Japanese character in it.  Unsure
 * Japanese words stay, for a person to check by their confidence (bold
 * underlined type on a scan gets 0 as often as a stroke of a picture). */
static gboolean is_noise(const char *text, float confidence)
{
  return confidence < 20 && !has_japanese(text);
}

/* Recognises the picture (or rectangle of it) set on `api` and appends
 * what it reads to `r`; FALSE when the deadline passed.  `down`: the model
 * reads top-to-bottom lines (jpn_vert). */
static gboolean recognise(TessBaseAPI *api, double dpi, gint64 deadline, gboolean down, Reading *r)
{
  if (r->glyphs == NULL) {
    r->glyphs = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
    r->words = g_array_new(FALSE, FALSE, sizeof(KkOcrWord));
  }
  ETEXT_DESC *monitor = TessMonitorCreate();
  gint64 dl = deadline;
  TessMonitorSetCancelFunc(monitor, cancel_past_deadline);
  TessMonitorSetCancelThis(monitor, &dl);
  if (deadline > 0) {
    gint64 ms = (deadline - g_get_monotonic_time()) / 1000;
    TessMonitorSetDeadlineMSecs(monitor, (int)CLAMP(ms, 1, G_MAXINT));
  }
  int rc = TessBaseAPIRecognize(api, monitor);
  TessMonitorDelete(monitor);
  if (deadline > 0 && g_get_monotonic_time() > deadline)
    return FALSE;
  if (rc != 0)
    return TRUE; /* nothing recognised */
  double k = 72.0 / dpi;
  TessResultIterator *it = TessBaseAPIGetIterator(api);
  if (it == NULL)
    return TRUE;
  TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
  guint32 line = r->lines;
  gboolean vertical = FALSE, noise = FALSE, word_spread = FALSE;
  guint16 word = 0;
  int wl = 0, wt = 0, wr = 0, wb = 0;          /* the word's box (pixels) */
  g_autofree char *word_text = NULL;
  g_autoptr(GArray) pending = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  guint line_words = r->words->len; /* the current line's first word */
  do {
    if (TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) {
      TessOrientation orientation;
      TessWritingDirection direction;
      TessTextlineOrder order;
      float deskew;
      TessPageIteratorOrientation(pit, &orientation, &direction, &order, &deskew);
      vertical = direction == WRITING_DIRECTION_TOP_TO_BOTTOM;
      flush_line(r, pending, line_words);
      line_words = r->words->len;
      line++;
    }
    if (TessPageIteratorIsAtBeginningOf(pit, RIL_WORD)) {
      int l, t, rt, b;
      word++;
      char *text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
      noise = TRUE;
      if (text && TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &rt, &b)) {
        g_autofree char *clean = g_utf8_make_valid(text, -1);
        KkOcrWord w = { g_strdup(g_strstrip(clean)), { l * k, t * k, rt * k, b * k },
                        TessResultIteratorConfidence(it, RIL_WORD) };
        noise = !w.text[0] || is_noise(w.text, w.confidence);
        wl = l, wt = t, wr = rt, wb = b;
        g_free(word_text);
        word_text = g_strdup(w.text);
        word_spread = FALSE;
        if (!noise) {
          g_array_append_val(r->words, w);
          r->conf_sum += w.confidence;
          r->words_seen++;
          if (vertical)
            r->vertical_words++;
        } else {
          g_free(w.text);
        }
      }
      TessDeleteText(text);
    }
    int l, t, rt, b;
    char *sym = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
    if (!noise && !word_spread && sym && g_utf8_validate(sym, -1, NULL)) {
      if (TessPageIteratorBoundingBox(pit, RIL_SYMBOL, &l, &t, &rt, &b) && rt > l && b > t) {
        add_symbol(pending, sym, l, t, rt, b, k, vertical, line, word);
      } else {
        /* no usable symbol box (jpn_vert gives none): the word's
         * characters spread evenly along its box, down when it is tall */
        add_symbol(pending, word_text, wl, wt, wr, wb, k, down || wb - wt > wr - wl, line, word);
        word_spread = TRUE;
      }
    }
    TessDeleteText(sym);
  } while (TessResultIteratorNext(it, RIL_SYMBOL));
  flush_line(r, pending, line_words);
  r->lines = line;
  TessResultIteratorDelete(it);
  return TRUE;
}

/* Sets `pix` on `api` and reads it into `r` with page segmentation `psm`
 * (`down`: see recognise()). */
static gboolean read_with(TessBaseAPI *api, TessPageSegMode psm, PIX *pix, double dpi, gint64 deadline, gboolean down,
                          Reading *r)
{
  TessBaseAPISetPageSegMode(api, psm);
  TessBaseAPISetImage2(api, pix);
  TessBaseAPISetSourceResolution(api, (int)lround(dpi));
  gboolean ok = recognise(api, dpi, deadline, down, r);
  TessBaseAPIClear(api);
  return ok;
}

/* The pixels of `box` (points) in a picture at `dpi`, shrunk by `inset`
 * pixels on each side and clipped to `pix`; NULL when nothing is left. */
static BOX *pixel_box(const KkBox *box, int dpi, int inset, PIX *pix)
{
  double s = dpi / 72.0;
  int x0 = MAX(0, (int)floor(box->x0 * s) + inset), y0 = MAX(0, (int)floor(box->y0 * s) + inset);
  int x1 = MIN(pixGetWidth(pix), (int)ceil(box->x1 * s) - inset);
  int y1 = MIN(pixGetHeight(pix), (int)ceil(box->y1 * s) - inset);
  return x1 > x0 && y1 > y0 ? boxCreate(x0, y0, x1 - x0, y1 - y0) : NULL;
}

/* The ruled tables the picture's rulings draw, as layout.c builds them
 * from the same segments (merged the same way, the same grid parameters):
 * so the cells read one by one here are the cells the page gets. */
static GPtrArray *ruled_grids(const KkOcrPage *out)
{
  g_autoptr(GArray) h = g_array_copy(out->hsegs);
  g_autoptr(GArray) v = g_array_copy(out->vsegs);
  kk_segments_merge(h, 1.5, 3.0, 6.0);
  kk_segments_merge(v, 1.5, 3.0, 6.0);
  if (h->len + v->len > 4000) /* a drawing or noise, as in layout.c */
    return g_ptr_array_new();
  KkGridParams gp = { .tol = 2.5, .min_cell = 4.0, .max_cells = 200000 };
  GPtrArray *grids = kk_grid_build(h, v, &gp);
  guint cells = 0;
  for (guint t = 0; t < grids->len; t++)
    cells += ((KkPageTable *)g_ptr_array_index(grids, t))->cells->len;
  if (cells > MAX_CELLS) /* read as a page, not cell by cell */
    g_ptr_array_set_size(grids, 0);
  return grids;
}

static void free_box(gpointer box)
{
  BOX *b = box;
  boxDestroy(&b);
}

/* Moves what `from` read to the end of `to` (emptied and cleared). */
static void reading_append(Reading *to, Reading *from)
{
  if (from->glyphs) {
    if (to->glyphs == NULL) {
      to->glyphs = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
      to->words = g_array_new(FALSE, FALSE, sizeof(KkOcrWord));
    }
    g_array_append_vals(to->glyphs, from->glyphs->data, from->glyphs->len);
    g_array_append_vals(to->words, from->words->data, from->words->len);
    g_array_set_size(from->words, 0); /* their texts now belong to `to` */
  }
  to->conf_sum += from->conf_sum;
  to->vertical_words += from->vertical_words;
  to->words_seen += from->words_seen;
  to->lines = MAX(to->lines, from->lines);
  reading_clear(from);
}

/* Whether UTF-8 `text` holds a digit. */
static gboolean has_digit(const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    if (g_unichar_isdigit(g_utf8_get_char(p)))
      return TRUE;
  return FALSE;
}

/* Whether any word `r` read passes `test`. */
static gboolean reading_any(const Reading *r, gboolean (*test)(const char *text))
{
  for (guint i = 0; r->words && i < r->words->len; i++)
    if (test(g_array_index(r->words, KkOcrWord, i).text))
      return TRUE;
  return FALSE;
}

/* Whether any word `r` read holds a Japanese letter. */
static gboolean reading_has_japanese(const Reading *r)
{
  return reading_any(r, has_japanese);
}

/* The bands of `cell` (pixels of `ink`, the binary picture without its
 * rulings) that hold its lines of text, top to bottom, into `bands` (BOX
 * pointers, owned): runs of pixel rows with ink, a run much lower than
 * the cell's tallest (a stroke of 三, a speck) joined to its nearer
 * neighbour, the white between two runs shared between them (Tesseract
 * wants some white around a line; a crop tight at a line's ink drops a
 * short line such as a lone る).  Tesseract's page layout on a whole cell
 * loses lines of text set close together (the last, short line of a cell
 * under two full ones), so each band is read on its own. */
static void cell_bands(PIX *ink, BOX *cell, GPtrArray *bands)
{
  PIX *clip = pixClipRectangle(ink, cell, NULL);
  NUMA *rows = clip ? pixCountPixelsByRow(clip, NULL) : NULL;
  pixDestroy(&clip);
  if (rows == NULL)
    return;
  int n = numaGetCount(rows);
  g_autoptr(GArray) runs = g_array_new(FALSE, FALSE, sizeof(int) * 2);
  int start = -1, tallest = 0;
  for (int y = 0; y <= n; y++) {
    l_int32 v = 0;
    if (y < n)
      numaGetIValue(rows, y, &v);
    if (v > 0 && start < 0)
      start = y;
    if (v == 0 && start >= 0) {
      int run[2] = { start, y };
      g_array_append_val(runs, run);
      tallest = MAX(tallest, y - start);
      start = -1;
    }
  }
  numaDestroy(&rows);
  /* low runs join their nearer neighbour when it is close */
  for (guint i = 0; i < runs->len && runs->len > 1;) {
    int *r = &g_array_index(runs, int, 2 * i);
    int h = r[1] - r[0];
    int up = i > 0 ? r[0] - g_array_index(runs, int, 2 * (i - 1) + 1) : G_MAXINT;
    int down = i + 1 < runs->len ? g_array_index(runs, int, 2 * (i + 1)) - r[1] : G_MAXINT;
    if (h * 10 >= tallest * 4 || MIN(up, down) * 2 > tallest) {
      i++;
      continue;
    }
    guint into = up <= down ? i - 1 : i + 1;
    int *o = &g_array_index(runs, int, 2 * into);
    o[0] = MIN(o[0], r[0]);
    o[1] = MAX(o[1], r[1]);
    g_array_remove_index(runs, i);
    i = 0; /* the joined run may now be tall enough, or not: look again */
  }
  for (guint i = 0; i < runs->len; i++) {
    const int *r = &g_array_index(runs, int, 2 * i);
    int top = i > 0 ? (g_array_index(runs, int, 2 * (i - 1) + 1) + r[0]) / 2 : 0;
    int bottom = i + 1 < runs->len ? (r[1] + g_array_index(runs, int, 2 * (i + 1))) / 2 : cell->h;
    g_ptr_array_add(bands, boxCreate(cell->x, cell->y + top, cell->w, bottom - top));
  }
}

/* ---- scale for recognition --------------------------------------------------- */

/* Tesseract reads type best at about this ink height (pixels): its docs
 * ("Improving the quality of the output") put the best x-height at 20-40
 * px; a Japanese character's ink is about its em.  Outside READ_SCALE_MIN
 * .. READ_SCALE_MAX of it a line is rescaled before it is read. */
#define READ_INK_PX 32.0
#define READ_SCALE_MIN 0.8
#define READ_SCALE_MAX 1.25
/* A line read again is cut out this much of its height beyond its ink
 * band (strokes above and below the band: brackets, ascenders) and set
 * on a white margin of half its height (not on its neighbours' ink). */
#define READ_LINE_PAD 0.15
/* A band read with a word less sure than this is read again at these
 * times its scale (read_rect()). */
#define REREAD_CONFIDENCE 30.0f
#define REREAD_SCALES 1.3, 0.7
/* A page line of type off that size is read again only when it has a
 * word less sure than this (reread_scaled_lines()): the body of a scanned
 * newsletter set large, read sure, costs a second reading for nothing. */
#define REREAD_LINE_CONFIDENCE 70.0f

/* The height (pixels) of the ink of `box` in `ink` (binary): from its
 * first pixel row with ink to its last; 0 when it has none. */
static int ink_height(PIX *ink, const BOX *box)
{
  PIX *clip = pixClipRectangle(ink, (BOX *)box, NULL);
  NUMA *rows = clip ? pixCountPixelsByRow(clip, NULL) : NULL;
  pixDestroy(&clip);
  if (rows == NULL)
    return 0;
  int first = -1, last = -1;
  for (int y = 0; y < numaGetCount(rows); y++) {
    l_int32 v = 0;
    numaGetIValue(rows, y, &v);
    if (v > 0) {
      if (first < 0)
        first = y;
      last = y;
    }
  }
  numaDestroy(&rows);
  return first < 0 ? 0 : last - first + 1;
}

/* The factor to scale a line of `ink_px` tall ink by before reading it:
 * 1 when it is near READ_INK_PX already, or when it is too low to be a
 * line of type (a rule, a dash: MIN_INK_PT at `dpi`), else what brings it
 * to READ_INK_PX, at most 3 up and 1/3 down. */
static double read_scale(int ink_px, double dpi)
{
  if (ink_px < MIN_INK_PT * dpi / 72.0)
    return 1.0;
  double s = READ_INK_PX / ink_px;
  if (s >= READ_SCALE_MIN && s <= READ_SCALE_MAX)
    return 1.0;
  return CLAMP(s, 1.0 / 3, 3.0);
}

/* Moves every glyph and word box of `r` by (dx, dy) points. */
static void reading_shift(Reading *r, double dx, double dy)
{
  for (guint i = 0; r->glyphs && i < r->glyphs->len; i++) {
    KkBox *b = &g_array_index(r->glyphs, KkGlyph, i).box;
    b->x0 += dx, b->x1 += dx, b->y0 += dy, b->y1 += dy;
  }
  for (guint i = 0; r->words && i < r->words->len; i++) {
    double *b = g_array_index(r->words, KkOcrWord, i).box;
    b[0] += dx, b[2] += dx, b[1] += dy, b[3] += dy;
  }
}

/* Reads the rectangle `box` of `pix` (grey, at `dpi`; `box` within the
 * picture, as pixel_box() gives it) cut out, scaled by `s` and set on a
 * white margin of `margin` pixels (before scaling) with `api` into `piece`
 * (boxes in page points, lines numbered on from `line`); FALSE when the
 * deadline passed. */
static gboolean read_cut(TessBaseAPI *api, PIX *pix, const BOX *box, int dpi, double s, int margin,
                         gint64 deadline, guint32 line, Reading *piece)
{
  PIX *crop = pixClipRectangle(pix, (BOX *)box, NULL);
  PIX *scaled = crop && s != 1.0 ? pixScale(crop, (l_float32)s, (l_float32)s) : NULL;
  PIX *use = scaled ? scaled : crop;
  *piece = (Reading){ .lines = line };
  if (use == NULL)
    return TRUE; /* Leptonica could not cut it out: nothing read */
  if (use == crop)
    s = 1.0;
  int border = (int)lround(margin * s);
  PIX *framed = border > 0 ? pixAddBorder(use, border, 255) : NULL;
  if (framed)
    use = framed;
  else
    border = 0;
  TessBaseAPISetImage2(api, use);
  TessBaseAPISetSourceResolution(api, (int)lround(dpi * s));
  gboolean ok = recognise(api, dpi * s, deadline, FALSE, piece);
  TessBaseAPIClear(api);
  pixDestroy(&framed);
  pixDestroy(&scaled);
  pixDestroy(&crop);
  reading_shift(piece, (box->x - border / s) * 72.0 / dpi, (box->y - border / s) * 72.0 / dpi);
  return ok;
}

/* Whether `r` read a word with confidence below `confidence`. */
static gboolean reading_has_unsure(const Reading *r, float confidence)
{
  for (guint i = 0; r->words && i < r->words->len; i++)
    if (g_array_index(r->words, KkOcrWord, i).confidence < confidence)
      return TRUE;
  return FALSE;
}

/* Reads the rectangle `box` of `pix` (grey, at `dpi`; `ink`: its binary
 * ink) as one block with `api` (its page segmentation set) into `r`;
 * FALSE when the deadline passed.  The rectangle is cut out and scaled by
 * read_scale() of its ink's height (Leptonica's pixScale: linear
 * interpolation up, area mapping down), so that small type and large both
 * reach the recogniser near the size it reads best.  A reading with a
 * word less sure than REREAD_CONFIDENCE is read again at each of
 * REREAD_SCALES times that scale, and the reading with the highest mean
 * confidence kept: the LSTM's misreads of a scan's small or blurred type
 * change with the size it is given, and it gives them confidences near 0
 * (罰計 for 累計, 安侯 for 安心 on 010-scan300: 0).  The rectangle is set
 * on READ_MARGIN_PT of white: a band's glyphs touch the edges of its cut
 * (the first line's tops, the last character of a full line), and the
 * LSTM misreads a character cut off by the picture's edge (累 at the end
 * of 創業件数（累 on 010-scan300 read 罰 or 塁 at 0; with the margin 累 at
 * 88). */
#define READ_MARGIN_PT 1.0
static gboolean read_rect(TessBaseAPI *api, PIX *pix, PIX *ink, const BOX *box, int dpi, gint64 deadline,
                          Reading *r)
{
  static const double rescales[] = { REREAD_SCALES };
  double s = read_scale(ink_height(ink, box), dpi);
  Reading best;
  int margin = (int)lround(READ_MARGIN_PT * dpi / 72.0);
  gboolean ok = read_cut(api, pix, box, dpi, s, margin, deadline, r->lines, &best);
  for (gsize i = 0; ok && i < G_N_ELEMENTS(rescales) && reading_has_unsure(&best, REREAD_CONFIDENCE); i++) {
    Reading other;
    ok = read_cut(api, pix, box, dpi, s * rescales[i], margin, deadline, r->lines, &other);
    if (ok && other.words && other.words->len > 0 && reading_mean(&other) > reading_mean(&best)) {
      reading_clear(&best);
      best = other;
    } else {
      reading_clear(&other);
    }
  }
  reading_append(r, &best);
  return ok;
}

/* Whether every word `r` read is a figure (digits and , . - + % ( ) △ ▲,
 * at least one digit, three digits after each comma: in the next word
 * when the comma ends one, as eng ends a word after the comma of
 * 452, 000) read with confidence FIGURE_CONFIDENCE or more. */
static gboolean reading_is_figures(const Reading *r)
{
  if (r->words == NULL || r->words->len == 0)
    return FALSE;
  for (guint i = 0; i < r->words->len; i++) {
    const KkOcrWord *w = &g_array_index(r->words, KkOcrWord, i);
    gboolean digit = FALSE;
    for (const char *p = w->text; *p; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      if (g_unichar_isdigit(c))
        digit = TRUE;
      else if (!strchr(",.-+%()", (int)c) && c != 0x25b3 && c != 0x25b2)
        return FALSE;
      /* a thousands separator has three digits after it (1,58 is 1.58 misread) */
      const char *after = p[1] == '\0' && i + 1 < r->words->len ? g_array_index(r->words, KkOcrWord, i + 1).text : p + 1;
      if (c == ',' && !(g_ascii_isdigit(after[0]) && g_ascii_isdigit(after[1]) && g_ascii_isdigit(after[2])
                        && !g_ascii_isdigit(after[3])))
        return FALSE;
    }
    if (!digit || w->confidence < FIGURE_CONFIDENCE)
      return FALSE;
  }
  return TRUE;
}

/* Reads the bands of one cell with `api` into `r` (lines numbered on from
 * `line`); FALSE when the deadline passed. */
static gboolean read_bands(TessBaseAPI *api, PIX *pix, PIX *ink, GPtrArray *bands, int dpi, gint64 deadline,
                           guint32 line, Reading *r)
{
  r->lines = line;
  gboolean ok = TRUE;
  for (guint b = 0; ok && b < bands->len; b++)
    ok = read_rect(api, pix, ink, g_ptr_array_index(bands, b), dpi, deadline, r);
  return ok;
}

/* `api` (NULL: NULL) set to read the cut-out lines of cells as blocks
 * (read_cut() gives it each piece); cell_reader_done() sets it back. */
static TessBaseAPI *cell_reader(TessBaseAPI *api)
{
  if (api) {
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
    /* a band of a cell is a line of type: Tesseract's noise filter
     * rejected whole rows of small Mincho (教育総務課, 道路課: the strokes
     * of each character many small blobs), leaving the cell empty */
    TessBaseAPISetVariable(api, "textord_noise_rejrows", "0");
  }
  return api;
}

/* Undoes cell_reader() on `api` (NULL: nothing). */
static void cell_reader_done(TessBaseAPI *api)
{
  if (api) {
    TessBaseAPIClear(api);
    TessBaseAPISetVariable(api, "textord_noise_rejrows", "1");
  }
}

/* Reads every cell of `grids` that holds ink (`ink`: the binary picture
 * without its rulings) on its own, band by band, into `r`; FALSE when the
 * deadline passed.  A cell in which jpn finds digits and no Japanese
 * letter (figures: 13,250  1.62) is read again by eng, whose model knows
 * the digits and separators of figures far better (jpn reads the comma of
 * 13,480 as . or ,. on a scan), and eng's reading kept when it is as sure
 * (a picture's strokes read as 【 h gain nothing from eng, and the real
 * scan's only such cell cost eng's 0.06 s initialisation).  Once a
 * column has given a cell to eng, its next cells are read by eng first,
 * and jpn is not asked when eng reads them as sure figures (a column of
 * figures is then read once, not twice). */
static gboolean read_cells(KkOcr *ocr, TessBaseAPI *jpn, PIX *pix, PIX *ink, int dpi, const GPtrArray *grids,
                           gint64 deadline, Reading *r)
{
  TessBaseAPI *eng = NULL; /* made (0.06 s of CPU) when a cell first needs it */
  cell_reader(jpn);
  int inset = MAX(1, (int)lround(CELL_INSET_PT * dpi / 72.0));
  int min_ink = MAX(4, (int)(dpi * dpi / (72.0 * 72.0)));
  gboolean ok = TRUE;
  for (guint t = 0; ok && t < grids->len; t++) {
    const KkPageTable *table = g_ptr_array_index(grids, t);
    g_autofree gboolean *eng_first = g_new0(gboolean, table->n_cols + 1);
    for (guint c = 0; ok && c < table->cells->len; c++) {
      const KkCell *cell = &g_array_index(table->cells, KkCell, c);
      BOX *box = pixel_box(&cell->box, dpi, inset, pix);
      l_int32 n = 0;
      if (box && pixCountPixelsInRect(ink, box, &n, NULL) == 0 && n >= min_ink) {
        g_autoptr(GPtrArray) bands = g_ptr_array_new_with_free_func(free_box);
        cell_bands(ink, box, bands);
        Reading one = { 0 }, other = { 0 };
        gboolean first = eng && cell->col < table->n_cols && eng_first[cell->col];
        if (first)
          ok = read_bands(eng, pix, ink, bands, dpi, deadline, r->lines, &other);
        if (ok && !(first && reading_is_figures(&other))) {
          ok = read_bands(jpn, pix, ink, bands, dpi, deadline, r->lines, &one);
          if (ok && !first && reading_any(&one, has_digit) && !reading_has_japanese(&one)
              && (eng || (eng = cell_reader(engine(&ocr->eng, &ocr->eng_failed, "eng", OEM_LSTM_ONLY)))))
            ok = read_bands(eng, pix, ink, bands, dpi, deadline, r->lines, &other);
        }
        /* eng's reading, when there is one, is kept if jpn read nothing
         * Japanese there and is no surer */
        gboolean take_eng = other.words && other.words->len > 0
                            && (one.words == NULL
                                || (!reading_has_japanese(&one) && reading_mean(&other) >= reading_mean(&one)));
        if (cell->col < table->n_cols)
          eng_first[cell->col] = take_eng;
        reading_append(r, take_eng ? &other : &one);
        reading_clear(&one);
        reading_clear(&other);
      }
      boxDestroy(&box);
    }
  }
  cell_reader_done(jpn);
  cell_reader_done(eng);
  return ok;
}

static double type_height(PIX *ink, int dpi, guint min_pieces);

/* When the glyphs i..j-1 of `r` (one Tesseract line, `*box` their box in
 * points) are more than TALL_LINE times as tall as the type their box
 * holds in `ink` (binary, at `dpi`; type_height()), sets their band
 * across, and *box, to the rows of that height with the most ink, and
 * returns that height (points); else 0.  Tesseract's line finder can
 * take strokes of the next line into a line (on a page read shrunk, the
 * line above an underlined one: 23 pt tall for its 13 pt type), and
 * glyphs so tall fall into the next line's row, where the line builder
 * interleaves the two lines' characters. */
#define TALL_LINE 1.4
static double tight_band(Reading *r, guint i, guint j, PIX *pix, PIX *ink, int dpi, KkBox *box)
{
  if (ink == NULL)
    return 0;
  BOX *lb = pixel_box(box, dpi, 0, pix);
  PIX *clip = lb ? pixClipRectangle(ink, lb, NULL) : NULL;
  double type = clip ? type_height(clip, dpi, 2) : 0; /* pixels */
  NUMA *rows = NULL;
  int win = (int)lround(type), n_rows = 0;
  if (type > 0 && g_array_index(r->glyphs, KkGlyph, i).size * dpi / 72.0 > TALL_LINE * type
      && (rows = pixCountPixelsByRow(clip, NULL)) != NULL && win < (n_rows = numaGetCount(rows))) {
    l_int32 ink_sum = 0, most = -1, at = 0, v;
    for (int y = 0; y < n_rows; y++) { /* a window of `win` rows slid down */
      numaGetIValue(rows, y, &v);
      ink_sum += v;
      if (y >= win) {
        numaGetIValue(rows, y - win, &v);
        ink_sum -= v;
      }
      if (y >= win - 1 && ink_sum > most)
        most = ink_sum, at = y - win + 1;
    }
    box->y0 = (lb->y + at) * 72.0 / dpi;
    box->y1 = box->y0 + type * 72.0 / dpi;
    for (guint k = i; k < j; k++) {
      KkGlyph *g = &g_array_index(r->glyphs, KkGlyph, k);
      g->box.y0 = box->y0, g->box.y1 = box->y1, g->size = (float)(type * 72.0 / dpi);
    }
  } else {
    type = 0;
  }
  numaDestroy(&rows);
  pixDestroy(&clip);
  boxDestroy(&lb);
  return type * 72.0 / dpi;
}

/* Reads again, one by one, the lines of `r` (read from `pix`, grey at
 * `dpi`, shrunk by `page_scale`, by a page segmentation; `ink` its binary
 * ink or NULL) whose type, as read, is outside the size Tesseract reads
 * best (read_scale(): a 14 pt title at 300 dpi is 54 px tall; jpn read
 * 令和６年度 as 令和年度 there and right at 0.6 of that size) and that
 * hold a word less sure than REREAD_LINE_CONFIDENCE, cut out
 * (READ_LINE_PAD), scaled and read as single lines by `api`; a line read
 * so with surer words (mean confidence) replaces the first reading's
 * glyphs and words (those whose centre lies in the line's box).  A line
 * narrowed by tight_band() is read again at its type's scale whatever
 * its confidence, and its new reading kept when it is at least 0.8 as
 * sure.  FALSE when the deadline passed. */
static gboolean reread_scaled_lines(TessBaseAPI *api, PIX *pix, PIX *ink, int dpi, double page_scale, gint64 deadline,
                                    Reading *r)
{
  if (r->glyphs == NULL || r->glyphs->len == 0)
    return TRUE;
  g_autoptr(GArray) drop = g_array_new(FALSE, TRUE, sizeof(gboolean)); /* per glyph */
  g_array_set_size(drop, r->glyphs->len);
  Reading more = { .lines = r->lines };
  gboolean ok = TRUE;
  TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
  for (guint i = 0, j; ok && i < r->glyphs->len; i = j) {
    const KkGlyph *g0 = &g_array_index(r->glyphs, KkGlyph, i);
    KkBox box = g0->box;
    for (j = i + 1; j < r->glyphs->len && g_array_index(r->glyphs, KkGlyph, j).pline == g0->pline; j++) {
      const KkBox *b = &g_array_index(r->glyphs, KkGlyph, j).box;
      box = (KkBox){ MIN(box.x0, b->x0), MIN(box.y0, b->y0), MAX(box.x1, b->x1), MAX(box.y1, b->y1) };
    }
    /* the first reading's words of this line: centres inside its box */
    const KkBox line = box;
    double sum = 0;
    float lowest = 100;
    guint n = 0;
    for (guint w = 0; w < r->words->len; w++) {
      const KkOcrWord *word = &g_array_index(r->words, KkOcrWord, w);
      double cx = (word->box[0] + word->box[2]) / 2, cy = (word->box[1] + word->box[3]) / 2;
      if (cx >= line.x0 && cx <= line.x1 && cy >= line.y0 && cy <= line.y1)
        sum += word->confidence, n++, lowest = MIN(lowest, word->confidence);
    }
    /* a line whose glyphs are far taller than its type (Tesseract's line
     * took in strokes of the line under it) is narrowed to its type's band
     * and read again whatever its confidence */
    double type = tight_band(r, i, j, pix, ink, dpi, &box);
    double size = type > 0 ? type : g0->size;
    double s = read_scale((int)lround(size * dpi * page_scale / 72.0), dpi * page_scale);
    if (s == 1.0 && type == 0)
      continue;
    s *= page_scale;
    if (type == 0 && n > 0 && lowest >= REREAD_LINE_CONFIDENCE)
      continue;
    double m = (box.y1 - box.y0) * READ_LINE_PAD;
    BOX *px = pixel_box(&(KkBox){ box.x0 - m, box.y0 - m, box.x1 + m, box.y1 + m }, dpi, 0, pix);
    if (px == NULL)
      continue;
    Reading piece;
    ok = read_cut(api, pix, px, dpi, s, (int)lround((box.y1 - box.y0) * dpi / 72.0 / 2), deadline,
                  MAX(r->lines, more.lines), &piece);
    boxDestroy(&px);
    /* the first reading of a narrowed line was sure of characters read
     * from a band twice their height: one nearly as sure replaces it */
    double bar = n == 0 ? 0 : type > 0 ? 0.8 * sum / n : sum / n;
    if (ok && piece.words && piece.words->len > 0 && (n == 0 || reading_mean(&piece) > bar)) {
      for (guint k = i; k < j; k++)
        g_array_index(drop, gboolean, k) = TRUE;
      for (guint w = r->words->len; w-- > 0;) {
        KkOcrWord *word = &g_array_index(r->words, KkOcrWord, w);
        double cx = (word->box[0] + word->box[2]) / 2, cy = (word->box[1] + word->box[3]) / 2;
        if (cx >= line.x0 && cx <= line.x1 && cy >= line.y0 && cy <= line.y1) {
          r->conf_sum -= word->confidence;
          r->words_seen--;
          g_free(word->text);
          g_array_remove_index(r->words, w);
        }
      }
      reading_append(&more, &piece);
    } else {
      reading_clear(&piece);
    }
  }
  guint kept = 0;
  for (guint i = 0; i < r->glyphs->len; i++)
    if (!g_array_index(drop, gboolean, i))
      g_array_index(r->glyphs, KkGlyph, kept++) = g_array_index(r->glyphs, KkGlyph, i);
  g_array_set_size(r->glyphs, kept);
  reading_append(r, &more);
  return ok;
}

/* Cleans `pix` (grey, upright, straightened) for recognition: finds its
 * rulings into out->hsegs and out->vsegs and the ruled tables they draw
 * into *grids; returns the binary picture of its ink without the rulings
 * of those tables (NULL when Leptonica fails).  The rulings of tables are
 * erased: Tesseract reads a ruling as | or as strokes of the characters
 * beside it.  Other rulings stay (erasing the sides of a box with rounded
 * corners leaves the corners, which read as ノ and ヽ; an underline is
 * no trouble).  In tables, what is not near ink is paper and made white,
 * so that shading behind a cell and the scanner's noise do not reach the
 * recogniser (on a shaded cell Tesseract's LSTM read 1 しごとをつく as
 * 1 2); strokes keep their grey edges.  Ink there is the returned marks
 * and every pixel darker than INK_FAINT_GREY joined to them (hysteresis):
 * the thin horizontal strokes of Mincho on a scan are lighter than the
 * marks' threshold, and the LSTM reads the grey picture, so whitening
 * them took strokes out of characters (012-scan200: 寿 of 長寿命 lost all
 * its horizontals, read 長命; 末 lost its top stroke; 高 read 病; F1
 * 0.71 -> 0.98 with them kept).  (On the rest of the page, coloured type
 * on tinted boxes, whitening took the light edges of the strokes and
 * Tesseract read worse.) */
#define INK_FAINT_GREY 230
static PIX *clean_picture(PIX *pix, int dpi, KkOcrPage *out, GPtrArray **grids)
{
  PIX *marks = pixThresholdToBinary(pix, 160);
  if (marks == NULL)
    return NULL;
  PIX *mask = find_rulings(marks, dpi, out);
  *grids = ruled_grids(out);
  if ((*grids)->len == 0) { /* nothing to erase or whiten (four passes over the page saved) */
    pixDestroy(&mask);
    return marks;
  }
  int r = MAX(1, dpi / 150); /* a ruling's grey edge, softened by the scan */
  PIX *tables = mask ? pixCreateTemplate(mask) : NULL;
  for (guint t = 0; tables && t < (*grids)->len; t++) {
    KkBox b = ((KkPageTable *)g_ptr_array_index(*grids, t))->box;
    double m = RULE_MAX_PT;
    BOX *box = pixel_box(&(KkBox){ b.x0 - m, b.y0 - m, b.x1 + m, b.y1 + m }, dpi, 0, pix);
    if (box)
      pixSetInRect(tables, box);
    boxDestroy(&box);
  }
  if (tables)
    pixAnd(mask, mask, tables);
  PIX *wide = mask ? pixDilateBrick(NULL, mask, 2 * r + 1, 2 * r + 1) : NULL;
  if (wide)
    pixSubtract(marks, marks, wide);
  pixDestroy(&mask);
  /* faint ink: pixels lighter than the marks, kept where they touch them
   * (a stroke fading out), not where they lie alone (noise, shading) */
  PIX *faint = tables ? pixThresholdToBinary(pix, INK_FAINT_GREY) : NULL;
  if (faint && wide)
    pixSubtract(faint, faint, wide);
  PIX *ink = faint ? pixSeedfillBinary(NULL, marks, faint, 8) : NULL;
  pixDestroy(&faint);
  PIX *paper = tables ? pixDilateBrick(NULL, ink ? ink : marks, 2 * r + 1, 2 * r + 1) : NULL;
  pixDestroy(&ink);
  if (paper) {
    pixInvert(paper, paper);
    pixAnd(paper, paper, tables);
  }
  /* the rulings and the paper made white in one pass */
  if (paper && wide)
    pixOr(paper, paper, wide);
  if (paper || wide)
    pixSetMasked(pix, paper ? paper : wide, 255);
  pixDestroy(&wide);
  pixDestroy(&paper);
  pixDestroy(&tables);
  return marks;
}

/* The page outside its ruled tables is read in strips: the pieces of it
 * between runs of blank paper at least STRIP_GAP_INCH tall, each cut out
 * with STRIP_MARGIN_INCH of the white around it and read as a page of its
 * own.  With its tables blanked out a page of tables is mostly white
 * paper, and what Tesseract does before it reads a line (its threshold,
 * its own search for ruling lines, connected components) goes over every
 * pixel it is given: on 012's page that was 0.17 s, more than reading its
 * title and page number.  The white between two strips is wider than the
 * lines of a paragraph are apart, so no block is cut; the reading order
 * is keikaku's own, made from the glyphs.  Strips are cut out, not set as
 * Tesseract's rectangle: its page layout inside a rectangle read the real
 * scan far worse (219 words at mean confidence 64, against 581 at 85). */
#define STRIP_GAP_INCH 0.5
#define STRIP_MARGIN_INCH 0.15
/* A row of pixels with at most this much ink is blank (a scan's specks). */
#define STRIP_SPECK_PX 2
/* Strips are read apart only when they leave out this share of the page. */
#define STRIP_MAX_SHARE 0.8

/* The strips (BOX pointers, owned; full width, top to bottom) of `ink`
 * (binary, 1 = ink) in which its ink lies; NULL when they would cover
 * more than STRIP_MAX_SHARE of it (the picture is read whole). */
static GPtrArray *page_strips(PIX *ink, int dpi)
{
  NUMA *rows = pixCountPixelsByRow(ink, NULL);
  if (rows == NULL)
    return NULL;
  GPtrArray *strips = g_ptr_array_new_with_free_func(free_box);
  int n = numaGetCount(rows), gap = (int)(STRIP_GAP_INCH * dpi), margin = (int)(STRIP_MARGIN_INCH * dpi);
  int start = -1, last = -1, covered = 0; /* the strip being grown: its first and last inked rows */
  for (int y = 0; y <= n; y++) {
    l_int32 v = 0;
    if (y < n)
      numaGetIValue(rows, y, &v);
    if (y < n && v <= STRIP_SPECK_PX)
      continue;
    if (start >= 0 && (y == n || y - last > gap)) {
      int top = MAX(0, start - margin), bottom = MIN(n, last + 1 + margin);
      g_ptr_array_add(strips, boxCreate(0, top, pixGetWidth(ink), bottom - top));
      covered += bottom - top;
      start = -1;
    }
    if (y < n) {
      if (start < 0)
        start = y;
      last = y;
    }
  }
  numaDestroy(&rows);
  if (covered > STRIP_MAX_SHARE * n) {
    g_ptr_array_unref(strips);
    return NULL;
  }
  return strips;
}

/* Reads `pix` with `api` and page segmentation `psm` into `r` as
 * read_with() does, strip by strip when `strips` (page_strips()) is not
 * NULL, each strip (or the picture) shrunk by `scale` (page_scale(); 1:
 * as it is) with Leptonica's pixScale; boxes come out in page points. */
static gboolean read_page_strips(TessBaseAPI *api, TessPageSegMode psm, PIX *pix, const GPtrArray *strips, int dpi,
                                 double scale, gint64 deadline, gboolean down, Reading *r)
{
  if (strips == NULL && scale == 1.0)
    return read_with(api, psm, pix, dpi, deadline, down, r);
  gboolean ok = TRUE;
  double k = 72.0 / dpi;
  BOX whole = { 0, 0, pixGetWidth(pix), pixGetHeight(pix), 0 };
  for (guint i = 0; ok && i < (strips ? strips->len : 1); i++) {
    BOX *b = strips ? g_ptr_array_index(strips, i) : &whole;
    PIX *strip = strips ? pixClipRectangle(pix, b, NULL) : pixClone(pix);
    PIX *scaled = strip && scale != 1.0 ? pixScale(strip, (l_float32)scale, (l_float32)scale) : NULL;
    if (scaled) {
      pixDestroy(&strip);
      strip = scaled;
    }
    if (strip == NULL)
      continue;
    Reading one = { .lines = r->lines };
    ok = read_with(api, psm, strip, scaled ? dpi * scale : dpi, deadline, down, &one);
    pixDestroy(&strip);
    reading_shift(&one, b->x * k, b->y * k);
    reading_append(r, &one);
  }
  if (r->glyphs == NULL) { /* nothing read: an empty reading, as read_with() leaves */
    r->glyphs = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
    r->words = g_array_new(FALSE, FALSE, sizeof(KkOcrWord));
  }
  return ok;
}

/* The factor (at most 1) to scale the page outside its tables by before
 * its reading (read_picture()), from `ink` (its binary ink, the tables
 * cleared; at `dpi`): the ink of its lines of type, each cut in pieces
 * of at least PAGE_TYPE_WIDTH ink heights wide (a word or more: the
 * characters closed up by a closing PAGE_TYPE_CLOSE_PT wide), gives the
 * median height of its type (type_height(), in pixels; 0 when fewer
 * than `min_pieces`); where read_scale() shrinks type that tall, the page is
 * read shrunk so (page_scale()), and its lines of body type need no
 * second reading (reread_scaled_lines(): on the real scan its 12 pt
 * body, 52 px at 300 dpi, was read a second time at 0.6, line by line,
 * 18 lines for 0.7 s of CPU; read shrunk, the page costs 1.8 s of CPU
 * instead of 2.9, and reads as well).  1 for fewer than
 * PAGE_TYPE_MIN_PIECES pieces (a title, a page number: their lines are
 * read again on their own) and for small type (enlarging the whole page
 * costs more than re-reading its lines). */
#define PAGE_TYPE_CLOSE_PT 3.0
#define PAGE_TYPE_WIDTH 2
#define PAGE_TYPE_MIN_PIECES 10
static double type_height(PIX *ink, int dpi, guint min_pieces)
{
  int close = MAX(3, (int)lround(PAGE_TYPE_CLOSE_PT * dpi / 72.0));
  PIX *closed = pixCloseSafeBrick(NULL, ink, close, 1);
  BOXA *boxa = closed ? pixConnCompBB(closed, 8) : NULL;
  pixDestroy(&closed);
  if (boxa == NULL)
    return 0;
  g_autoptr(GArray) heights = g_array_new(FALSE, FALSE, sizeof(double));
  double min_px = MIN_INK_PT * dpi / 72.0;
  for (int i = 0; i < boxaGetCount(boxa); i++) {
    l_int32 x, y, w, h;
    if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 && h >= min_px && w >= PAGE_TYPE_WIDTH * h) {
      double hd = h;
      g_array_append_val(heights, hd);
    }
  }
  boxaDestroy(&boxa);
  if (heights->len < MAX(min_pieces, 1))
    return 0;
  g_array_sort(heights, cmp_double);
  return g_array_index(heights, double, heights->len / 2);
}

/* The factor to shrink the page whose ink (tables cleared) is `ink` by
 * before its reading (see above). */
static double page_scale(PIX *ink, int dpi)
{
  double h = type_height(ink, dpi, PAGE_TYPE_MIN_PIECES);
  return h > 0 ? MIN(read_scale((int)h, dpi), 1.0) : 1.0;
}

/* The strips (page_strips()) in which to read the page outside the boxes
 * of `grids`, found in `marks` (the binary ink of the page). */
static GPtrArray *rest_strips(PIX *marks, const GPtrArray *grids, int dpi, double *scale)
{
  *scale = 1.0;
  PIX *ink = marks ? pixCopy(NULL, marks) : NULL;
  if (ink == NULL)
    return NULL;
  for (guint t = 0; grids && t < grids->len; t++) {
    BOX *box = pixel_box(&((KkPageTable *)g_ptr_array_index(grids, t))->box, dpi, 0, ink);
    if (box)
      pixClearInRect(ink, box);
    boxDestroy(&box);
  }
  GPtrArray *strips = page_strips(ink, dpi);
  *scale = page_scale(ink, dpi);
  pixDestroy(&ink);
  return strips;
}

/* Reads `pix` (grey, upright; consumed) into `best`: straightened,
 * cleaned, each ruled cell read on its own (a line of a cell can never
 * take in its neighbour's text) and the rest of the page, the tables
 * blanked out, as a page.  Sets out's skew, rulings and vertical.  FALSE
 * when the deadline passed. */
static gboolean read_picture(KkOcr *ocr, TessBaseAPI *jpn, PIX *pix, int dpi, gint64 deadline, KkOcrPage *out,
                             Reading *best)
{
  out->skew = fix_skew(&pix);
  g_autoptr(GPtrArray) grids = NULL;
  PIX *marks = clean_picture(pix, dpi, out, &grids);
  if (out->hsegs == NULL) {
    out->hsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
    out->vsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  }
  PIX *rest = pix;
  if (grids && grids->len > 0 && (rest = pixCopy(NULL, pix)) != NULL) {
    for (guint t = 0; t < grids->len; t++) {
      BOX *box = pixel_box(&((KkPageTable *)g_ptr_array_index(grids, t))->box, dpi, 0, pix);
      if (box)
        pixSetInRectArbitrary(rest, box, 255);
      boxDestroy(&box);
    }
  }
  if (rest == NULL)
    rest = pix;
  double scale;
  g_autoptr(GPtrArray) strips = rest_strips(marks, grids, dpi, &scale);

  gboolean ok = read_page_strips(jpn, PSM_AUTO, rest, strips, dpi, scale, deadline, FALSE, best);
  /* Tesseract's page layout drops small lines on a sparse page (a cover:
   * 令和4年3月 under a big title); its sparse-text mode finds them (not
   * asked on a page of tables, whose few words outside them are no cover) */
  if (ok && best->words->len < SPARSE_WORDS && rest == pix) {
    Reading sparse = { 0 };
    if ((ok = read_page_strips(jpn, PSM_SPARSE_TEXT, rest, strips, dpi, scale, deadline, FALSE, &sparse))
        && sparse.words->len > best->words->len) {
      reading_clear(best);
      *best = sparse;
    } else {
      reading_clear(&sparse);
    }
  }
  /* mostly 縦書き: jpn_vert reads vertical lines better; keep the better */
  if (ok && best->words_seen > 0 && best->vertical_words * 2 > best->words_seen) {
    TessBaseAPI *vert = engine(&ocr->vert, &ocr->vert_failed, "jpn_vert", OEM_LSTM_ONLY);
    Reading other = { 0 };
    if (vert && (ok = read_page_strips(vert, PSM_AUTO, rest, strips, dpi, scale, deadline, TRUE, &other))
        && reading_mean(&other) > reading_mean(best)) {
      reading_clear(best);
      *best = other;
      out->vertical = TRUE;
    } else {
      reading_clear(&other);
    }
  }
  if (ok && !out->vertical)
    ok = reread_scaled_lines(jpn, rest, marks, dpi, scale, deadline, best);
  if (ok && rest != pix)
    ok = read_cells(ocr, jpn, pix, marks, dpi, grids, deadline, best);
  if (rest != pix)
    pixDestroy(&rest);
  pixDestroy(&marks);
  pixDestroy(&pix);
  return ok;
}

/* Whether a reading shows the page upright: enough words, sure, and on
 * lines across the page (a page turned a quarter reads as lines down the
 * page, and Tesseract can be sure of them).  OSD (about a second of CPU
 * on an A4 page, as long as reading it) is asked only when it does not. */
static gboolean reads_upright(const Reading *r, const KkOcrPage *out)
{
  return r->words && r->words->len >= UPRIGHT_WORDS && reading_mean(r) >= UPRIGHT_CONFIDENCE && !out->vertical
         && r->vertical_words * 4 < r->words_seen;
}

static KkOcrPage *engine_read_page(KkOcr *ocr, PopplerDocument *doc, guint page_no, const KkPageInk *ink,
                                   KkLayout *layout, gint64 deadline, guint page_seconds, GError **error)
{
  gint64 started = g_get_monotonic_time();
  gint64 page_deadline = started + (gint64)(page_seconds ? page_seconds : KK_OCR_PAGE_SECONDS) * G_USEC_PER_SEC;
  if (deadline > 0 && deadline < page_deadline)
    page_deadline = deadline;
  TessBaseAPI *jpn = engine(&ocr->jpn, &ocr->jpn_failed, "jpn", OEM_LSTM_ONLY);
  if (jpn == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_NO_TEXT,
                "page %u has no text layer and OCR is unavailable (Tesseract's jpn data: apt install tesseract-ocr-jpn)",
                page_no);
    return NULL;
  }
  g_autoptr(GObject) page_obj = G_OBJECT(poppler_document_get_page(doc, (int)page_no - 1));
  PopplerPage *page = POPPLER_PAGE(page_obj);
  if (page == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: page %u cannot be rendered", page_no);
    return NULL;
  }
  double w, h;
  poppler_page_get_size(page, &w, &h);
  int dpi = choose_dpi(ink, w, h);
  PIX *pix = render_grey(page, dpi, error);
  if (pix == NULL)
    return NULL;
  KkOcrPage *out = g_new0(KkOcrPage, 1);
  out->dpi = dpi;
  Reading best = { 0 };
  PIX *copy = pixCopy(NULL, pix);
  gboolean ok = copy && read_picture(ocr, jpn, copy, dpi, page_deadline, out, &best);
  /* an unsure reading: the page may be turned; OSD says how, and a turned
   * page is read again upright */
  if (ok && !reads_upright(&best, out) && (out->orientation = fix_orientation(ocr, &pix, dpi)) != 0) {
    reading_clear(&best);
    out->vertical = FALSE;
    ok = read_picture(ocr, jpn, pix, dpi, page_deadline, out, &best);
    pix = NULL;
  }
  pixDestroy(&pix);
  if (!ok) {
    reading_clear(&best);
    kk_ocr_page_free(out);
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "time limit hit reading page %u by OCR", page_no);
    return NULL;
  }
  out->words = best.words;
  out->mean_confidence = reading_mean(&best);
  best.words = NULL;

  /* the page as read: glyphs in its frame, turned sides swapped */
  if (out->orientation == 90 || out->orientation == 270) {
    double t = layout->width;
    layout->width = layout->height;
    layout->height = t;
  }
  g_array_set_size(layout->glyphs, 0);
  guint16 font = kk_layout_font(layout, "");
  for (guint i = 0; i < best.glyphs->len; i++) {
    KkGlyph *g = &g_array_index(best.glyphs, KkGlyph, i);
    g->font = font;
    g_array_append_val(layout->glyphs, *g);
  }
  kk_glyphs_mark_vertical((KkGlyph *)layout->glyphs->data, layout->glyphs->len);
  reading_clear(&best);
  out->seconds = (g_get_monotonic_time() - started) / (double)G_USEC_PER_SEC;
  return out;
}

/* ---- the page object -------------------------------------------------------- */

static gboolean read_box(JsonObject *o, double b[4])
{
  JsonArray *a = json_object_get_array_member(o, "bbox");
  if (a == NULL || json_array_get_length(a) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    b[i] = json_array_get_double_element(a, i);
  return TRUE;
}

/* Sets "confidence" and "ocr_words" on `o` from the words whose centre
 * lies in its box. */
static void annotate(const KkOcrPage *ocr_page, JsonObject *o)
{
  double b[4];
  if (!read_box(o, b))
    return;
  JsonArray *list = json_array_new();
  float lowest = 100;
  for (guint i = 0; i < ocr_page->words->len; i++) {
    const KkOcrWord *w = &g_array_index(ocr_page->words, KkOcrWord, i);
    double cx = (w->box[0] + w->box[2]) / 2, cy = (w->box[1] + w->box[3]) / 2;
    if (cx < b[0] || cx > b[2] || cy < b[1] || cy > b[3])
      continue;
    JsonObject *wo = json_object_new();
    json_object_set_string_member(wo, "text", w->text);
    json_object_set_double_member(wo, "confidence", round(w->confidence * 10) / 10);
    json_array_add_object_element(list, wo);
    lowest = MIN(lowest, w->confidence);
  }
  if (json_array_get_length(list) > 0)
    json_object_set_double_member(o, "confidence", round(lowest * 10) / 10);
  json_object_set_array_member(o, "ocr_words", list);
}

static void engine_page_to_json(const KkOcrPage *ocr_page, JsonObject *page)
{
  JsonObject *info = json_object_new();
  json_object_set_string_member(info, "engine", "tesseract");
  json_object_set_string_member(info, "version", TessVersion());
  json_object_set_int_member(info, "dpi", ocr_page->dpi);
  json_object_set_int_member(info, "orientation", ocr_page->orientation);
  json_object_set_double_member(info, "skew", round(ocr_page->skew * 100) / 100);
  json_object_set_boolean_member(info, "vertical", ocr_page->vertical);
  json_object_set_int_member(info, "words", ocr_page->words->len);
  json_object_set_double_member(info, "mean_confidence", round(ocr_page->mean_confidence * 10) / 10);
  json_object_set_object_member(page, "ocr", info);
  JsonArray *lines = json_object_get_array_member(page, "lines");
  for (guint i = 0; lines && i < json_array_get_length(lines); i++)
    annotate(ocr_page, json_array_get_object_element(lines, i));
  JsonArray *tables = json_object_get_array_member(page, "tables");
  for (guint t = 0; tables && t < json_array_get_length(tables); t++) {
    JsonArray *rows = json_object_get_array_member(json_array_get_object_element(tables, t), "rows");
    for (guint r = 0; rows && r < json_array_get_length(rows); r++) {
      JsonArray *cells = json_array_get_array_element(rows, r);
      for (guint c = 0; c < json_array_get_length(cells); c++)
        annotate(ocr_page, json_array_get_object_element(cells, c));
    }
  }
}

/* The one symbol ocr.c looks up in this module. */
G_MODULE_EXPORT const KkOcrModule kk_ocr_module = {
  KK_OCR_MODULE_ABI, engine_new, engine_free, engine_read_page, engine_page_to_json,
};
