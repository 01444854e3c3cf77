/*
 * pdf-core.cc — one pass of Poppler's core over a page: its glyphs and the
 * ruling segments of its strokes and fills (see pdf-core.h for why).
 *
 * RulingTextDev is Poppler's own text device (the one pdftotext uses) that
 * also looks at each painted path.  A ruling is what a reader sees as a
 * line: a straight horizontal or vertical stroke, or a filled rectangle at
 * most MAX_THICKNESS thin, dark enough to stand out from white paper.
 * Curves, slanted lines, thick bars and shaded areas are none.  Glyphs are
 * read from the text page exactly as Poppler GLib's poppler_page_get_text(),
 * _get_text_layout() and _get_text_attributes() would give them, so the
 * switch away from rendering changed no text.
 */
#include <GlobalParams.h>
#include <GfxState.h>
#include <PDFDoc.h>
#include <Page.h>
#include <TextOutputDev.h>
#include <Error.h>
#include <DateInfo.h>
#include <PDFDocEncoding.h>
#include <goo/GooString.h>

#include "extract/pdf-fonts.h"

#include <cmath>
#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <memory>
#include <vector>

extern "C" {
#include "extract/pdf-core.h"
#include "extract/page.h"
#include "common/kk-error.h"
}

/* A ruling is at most this thick (points; heavy borders are 2-4 pt):
 * thicker dark areas are bands or fills.  The picture-based finder this
 * replaced saw lines up to 5 pixels at 1 px/pt. */
static const double MAX_THICKNESS = 5.0;
/* How far a "straight" line may drift across its direction (points). */
static const double MAX_DRIFT = 1.0;
/* Ink a ruling needs: its darkness (0 white .. 1 black) times opacity. */
static const double MIN_INK = 48.0 / 255.0;
/* Pieces shorter than this (points) are dots, not rulings. */
static const double MIN_PIECE = 0.5;
/* Ink a panel (a tinted box behind text) needs: paler than a ruling, but
 * not white paper painted white. */
static const double MIN_PANEL_INK = 0.03;
/* Panels kept per page: past it the page's fills are cells or a drawing. */
static const guint MAX_PANELS = 2000;

struct _KkPdf {
  std::unique_ptr<GlobalParamsIniter> params;
  std::unique_ptr<PDFDoc> doc;
};

/* Poppler's complaints about damaged files: the caller's one-line error
 * says what matters, so they are dropped unless KEIKAKU_POPPLER_STDERR is
 * set (for debugging). */
static void poppler_error(ErrorCategory, Goffset pos, const char *message)
{
  if (g_getenv("KEIKAKU_POPPLER_STDERR"))
    fprintf(stderr, "poppler: %s (at byte %lld)\n", message, (long long)pos);
}

#if defined(__SANITIZE_ADDRESS__)
#define KK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KK_UNDER_ASAN 1
#endif
#endif

/* Poppler's allocator prints "Out of memory" straight to stderr, past the
 * error callback, when a decode asks for more than the memory limit (ingest's
 * children run under one): while a page is interpreted, stderr is
 * /dev/null, so the only line about a file is keikaku's own.  Not under
 * the sanitizers, whose reports must stay visible (nor with
 * KEIKAKU_POPPLER_STDERR). */
class QuietStderr
{
public:
  QuietStderr()
  {
#ifndef KK_UNDER_ASAN
    if (g_getenv("KEIKAKU_POPPLER_STDERR"))
      return;
    fflush(stderr);
    saved_ = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0)
      dup2(null, STDERR_FILENO);
    if (null >= 0)
      close(null);
#endif
  }
  ~QuietStderr()
  {
    if (saved_ < 0)
      return;
    fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }
  QuietStderr(const QuietStderr &) = delete;
  QuietStderr &operator=(const QuietStderr &) = delete;

private:
  int saved_ = -1;
};

KkPdf *kk_pdf_open(const char *path, GError **error)
{
  auto pdf = std::make_unique<_KkPdf>();
  pdf->params = std::make_unique<GlobalParamsIniter>(poppler_error);
  /* the first initer sets the callback (a library loaded with the OCR
   * module makes its own): the core's messages are ours to drop */
  setErrorCallback(poppler_error);
  pdf->doc = std::make_unique<PDFDoc>(std::make_unique<GooString>(path));
  if (!pdf->doc->isOk()) {
    /* Poppler GLib's words for them, which extract has always reported */
    switch (pdf->doc->getErrorCode()) {
    case errEncrypted:
      g_set_error(error, KK_ERROR, KK_ERROR_ENCRYPTED, "encrypted PDF (needs a password)");
      break;
    case errOpenFile:
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: %s", g_strerror(pdf->doc->getFopenErrno()));
      break;
    case errBadCatalog:
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: Failed to read the document catalog");
      break;
    case errDamaged:
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: PDF document is damaged");
      break;
    default:
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: Failed to load document");
    }
    return nullptr;
  }
  kk_pdf_fonts_begin(pdf->doc->getXRef()); /* pages share the document's fonts */
  return pdf.release();
}

/* A text string of the Info dictionary in UTF-8, converted as Poppler
 * GLib's _poppler_goo_string_to_utf8() does (poppler 22.12): UTF-16BE or
 * UTF-16LE after their byte order mark, else PDFDocEncoding, where a
 * byte the encoding leaves undefined ends the string. */
static char *info_text_to_utf8(const GooString *s)
{
  if (s->hasUnicodeMarker())
    return g_convert(s->c_str() + 2, s->getLength() - 2, "UTF-8", "UTF-16BE", nullptr, nullptr, nullptr);
  if (s->hasUnicodeMarkerLE())
    return g_convert(s->c_str() + 2, s->getLength() - 2, "UTF-8", "UTF-16LE", nullptr, nullptr, nullptr);
  int len = s->getLength();
  g_autofree gunichar *ucs4 = g_new(gunichar, (gsize)len + 1);
  for (int i = 0; i < len; i++)
    ucs4[i] = pdfDocEncoding[(unsigned char)s->getChar(i)];
  ucs4[len] = 0;
  return g_ucs4_to_utf8(ucs4, -1, nullptr, nullptr, nullptr);
}

char *kk_pdf_info_string(KkPdf *pdf, const char *key)
{
  std::unique_ptr<GooString> s = pdf->doc->getDocInfoStringEntry(key);
  return s ? info_text_to_utf8(s.get()) : nullptr;
}

GDateTime *kk_pdf_info_date(KkPdf *pdf, const char *key)
{
  std::unique_ptr<GooString> s = pdf->doc->getDocInfoStringEntry(key);
  int year, mon, day, hour, min, sec, tz_hours, tz_mins;
  char tz;
  if (!s || !parseDateString(s.get(), &year, &mon, &day, &hour, &min, &sec, &tz, &tz_hours, &tz_mins))
    return nullptr;
  /* as Poppler GLib's _poppler_convert_pdf_date_to_date_time() */
  GTimeZone *zone = nullptr;
  if (tz == '+' || tz == '-') {
    g_autofree char *id = g_strdup_printf("%c%02u:%02u", tz, (unsigned)tz_hours, (unsigned)tz_mins);
    zone = g_time_zone_new_identifier(id);
  }
  if (zone == nullptr)
    zone = g_time_zone_new_utc(); /* none, Z, an unknown sign or offset */
  GDateTime *when = g_date_time_new(zone, year, mon, day, hour, min, sec);
  g_time_zone_unref(zone);
  return when;
}

void kk_pdf_free(KkPdf *pdf)
{
  if (pdf && pdf->doc)
    kk_pdf_fonts_end(pdf->doc->getXRef());
  delete pdf;
}

/* Held from kk_pdf_keep_globals() to the end of the process: while one
 * initer lives, globalParams does.  Never freed: destroying Poppler's
 * global parameters at exit cost 0.7 M instructions per process, and the
 * process is ending anyway. */
static GlobalParamsIniter *kept_globals;

void kk_pdf_keep_globals(void)
{
  if (!kept_globals)
    kept_globals = new GlobalParamsIniter(poppler_error);
  setErrorCallback(poppler_error);
}

guint kk_pdf_n_pages(KkPdf *pdf)
{
  int n = pdf->doc->getNumPages();
  return n > 0 ? (guint)n : 0;
}

gboolean kk_pdf_page_size(KkPdf *pdf, guint page_no, double *width, double *height, int *rotate)
{
  if (page_no == 0 || page_no > kk_pdf_n_pages(pdf))
    return FALSE;
  Page *page = pdf->doc->getPage((int)page_no);
  if (page == nullptr)
    return FALSE;
  int rot = page->getRotate();
  rot = ((rot % 360) + 360) % 360;
  double w = page->getCropWidth(), h = page->getCropHeight();
  if (rot == 90 || rot == 270)
    std::swap(w, h);
  *width = w;
  *height = h;
  *rotate = rot;
  return TRUE;
}

/* Poppler's text device that also keeps the rulings among painted paths. */
class RulingTextDev : public TextOutputDev
{
public:
  explicit RulingTextDev(KkPdfPaths *paths)
      : TextOutputDev(nullptr, true, 0, false, false), paths_(paths)
  {
  }

  void stroke(GfxState *state) override
  {
    if (wanted() && visible(state, true))
      take_path(state, true);
  }
  void fill(GfxState *state) override
  {
    if (paths_ && paths_->ink)
      take_contours(state);
    if (wanted() && paths_->panels && paths_->panels->len < MAX_PANELS && ink_of(state, false) >= MIN_PANEL_INK)
      take_panel(state);
    if (wanted() && visible(state, false))
      take_path(state, false);
  }
  void eoFill(GfxState *state) override { fill(state); }

  /* Images are seen only when the page's ink is wanted (classify.h); they
   * are never decoded: their box is what counts.  The base class skips an
   * inline image's data. */
  bool needNonText() override { return paths_ && paths_->ink; }
  void drawImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *map,
                 bool interpolate, const int *mask_colors, bool inline_img) override
  {
    take_image(state, width, height);
    OutputDev::drawImage(state, ref, str, width, height, map, interpolate, mask_colors, inline_img);
  }
  void drawImageMask(GfxState *state, Object *ref, Stream *str, int width, int height, bool invert,
                     bool interpolate, bool inline_img) override
  {
    take_image(state, width, height);
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_img);
  }
  void drawMaskedImage(GfxState *state, Object *, Stream *, int width, int height, GfxImageColorMap *, bool,
                       Stream *, int, int, bool, bool) override
  {
    take_image(state, width, height);
  }
  void drawSoftMaskedImage(GfxState *state, Object *, Stream *, int width, int height, GfxImageColorMap *,
                           bool, Stream *, int, int, GfxImageColorMap *, bool) override
  {
    take_image(state, width, height);
  }
  /* Pattern and shading fills paint areas, never text or rulings: with
   * needNonText() on they are taken as done, unpainted. */
  bool useTilingPatternFill() override { return true; }
  bool tilingPatternFill(GfxState *, Gfx *, Catalog *, GfxTilingPattern *, const double *, int, int, int, int,
                         double, double) override
  {
    return true;
  }
  bool useShadedFills(int) override { return true; }
  bool functionShadedFill(GfxState *, GfxFunctionShading *) override { return true; }
  bool axialShadedFill(GfxState *, GfxAxialShading *, double, double) override { return true; }
  bool radialShadedFill(GfxState *, GfxRadialShading *, double, double) override { return true; }
  bool gouraudTriangleShadedFill(GfxState *, GfxGouraudTriangleShading *) override { return true; }
  bool patchMeshShadedFill(GfxState *, GfxPatchMeshShading *) override { return true; }
  /* Counts what the page draws, to tell how much Poppler's text page
   * keeps (it drops characters past a limit of its own). */
  void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX, double originY,
                CharCode c, int nBytes, const Unicode *u, int uLen) override
  {
    if (paths_ != nullptr && uLen > 0 && u != nullptr && !g_unichar_isspace(u[0]))
      paths_->chars_drawn++;
    TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
  }

private:
  KkPdfPaths *paths_;

  bool wanted() const { return paths_ && paths_->hsegs && !paths_->too_many_segs; }

  /* The image drawn now fills the unit square under the CTM. */
  void take_image(GfxState *state, int width, int height)
  {
    if (!(paths_ && paths_->ink))
      return;
    double x[4], y[4];
    state->transform(0, 0, &x[0], &y[0]);
    state->transform(1, 0, &x[1], &y[1]);
    state->transform(1, 1, &x[2], &y[2]);
    state->transform(0, 1, &x[3], &y[3]);
    kk_page_ink_add_image(paths_->ink, x, y, width, height);
  }

  /* Each closed contour of the filled path, for telling outlined text. */
  void take_contours(GfxState *state)
  {
    const GfxPath *path = state->getPath();
    if (path == nullptr)
      return;
    for (int s = 0; s < path->getNumSubpaths(); s++) {
      const GfxSubpath *sub = path->getSubpath(s);
      int n = sub->getNumPoints();
      if (n < 3)
        continue;
      double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
      bool curved = false;
      for (int i = 0; i < n; i++) {
        double x, y;
        state->transform(sub->getX(i), sub->getY(i), &x, &y);
        x0 = MIN(x0, x);
        y0 = MIN(y0, y);
        x1 = MAX(x1, x);
        y1 = MAX(y1, y);
        curved = curved || sub->getCurve(i);
      }
      kk_page_ink_add_contour(paths_->ink, x0, y0, x1, y1, n, curved);
    }
  }

  /* How much the current stroke or fill colour shows on white: its
   * darkness (0 white .. 1 black) times its opacity. */
  static double ink_of(GfxState *state, bool stroking)
  {
    GfxRGB rgb;
    double opacity;
    if (stroking) {
      state->getStrokeRGB(&rgb);
      opacity = state->getStrokeOpacity();
    } else {
      state->getFillRGB(&rgb);
      opacity = state->getFillOpacity();
    }
    double lum = 0.299 * colToDbl(rgb.r) + 0.587 * colToDbl(rgb.g) + 0.114 * colToDbl(rgb.b);
    return (1.0 - CLAMP(lum, 0.0, 1.0)) * CLAMP(opacity, 0.0, 1.0);
  }

  /* Whether paint of the current stroke or fill colour shows on white. */
  static bool visible(GfxState *state, bool stroking) { return ink_of(state, stroking) >= MIN_INK; }

  /* The box (device points) of subpath `sub` when it is an upright
   * rectangle (4 corners, or 5 closing on the first). */
  static bool upright_rectangle(GfxState *state, const GfxSubpath *sub, double box[4])
  {
    int n = sub->getNumPoints();
    if (n < 4 || n > 5)
      return false;
    double x[5], y[5];
    for (int i = 0; i < n; i++) {
      if (sub->getCurve(i))
        return false;
      state->transform(sub->getX(i), sub->getY(i), &x[i], &y[i]);
    }
    if (n == 5 && (fabs(x[4] - x[0]) > 0.01 || fabs(y[4] - y[0]) > 0.01))
      return false;
    for (int i = 0; i < 4; i++) { /* every side upright */
      int j = (i + 1) % 4;
      if (fabs(x[j] - x[i]) > 0.01 && fabs(y[j] - y[i]) > 0.01)
        return false;
    }
    box[0] = MIN(MIN(x[0], x[1]), MIN(x[2], x[3]));
    box[2] = MAX(MAX(x[0], x[1]), MAX(x[2], x[3]));
    box[1] = MIN(MIN(y[0], y[1]), MIN(y[2], y[3]));
    box[3] = MAX(MAX(y[0], y[1]), MAX(y[2], y[3]));
    return std::isfinite(box[0] + box[1] + box[2] + box[3]);
  }

  /* A filled path that is one upright rectangle wider and taller than a
   * ruling is a panel (a tinted box text is set on), clipped to the clip
   * region; figures.c tells text set in separate boxes from a table. */
  void take_panel(GfxState *state)
  {
    const GfxPath *path = state->getPath();
    double b[4], clip[4];
    if (path == nullptr || path->getNumSubpaths() != 1 || !upright_rectangle(state, path->getSubpath(0), b))
      return;
    state->getClipBBox(&clip[0], &clip[1], &clip[2], &clip[3]);
    KkBox box = { MAX(b[0], clip[0]), MAX(b[1], clip[1]), MIN(b[2], clip[2]), MIN(b[3], clip[3]) };
    if (box.x1 - box.x0 <= MAX_THICKNESS || box.y1 - box.y0 <= MAX_THICKNESS)
      return;
    g_array_append_val(paths_->panels, box);
  }

  /* Appends a segment at `pos` from a0 to a1 (sorted here), clipped to the
   * clip box's [lo, hi] along it and dropped outside [plo, phi] across. */
  void add(bool horizontal, double pos, double a0, double a1, double plo, double phi, double lo, double hi)
  {
    if (!(std::isfinite(pos) && std::isfinite(a0) && std::isfinite(a1)))
      return;
    if (a0 > a1)
      std::swap(a0, a1);
    if (pos < plo || pos > phi)
      return;
    a0 = MAX(a0, lo);
    a1 = MIN(a1, hi);
    if (a1 - a0 < MIN_PIECE)
      return;
    GArray *to = horizontal ? paths_->hsegs : paths_->vsegs;
    if (paths_->hsegs->len + paths_->vsegs->len >= paths_->max_segs) {
      paths_->too_many_segs = TRUE;
      return;
    }
    KkSeg s = { pos, a0, a1, 1.0 };
    g_array_append_val(to, s);
  }

  /* A straight piece from (x0, y0) to (x1, y1) in device points, drawn
   * `thickness` thick, if it runs horizontally or vertically. */
  void add_line(double x0, double y0, double x1, double y1, const double clip[4])
  {
    double dx = fabs(x1 - x0), dy = fabs(y1 - y0);
    if (dy <= MAX_DRIFT && dx > dy)
      add(true, (y0 + y1) / 2, x0, x1, clip[1], clip[3], clip[0], clip[2]);
    else if (dx <= MAX_DRIFT && dy > dx)
      add(false, (x0 + x1) / 2, y0, y1, clip[0], clip[2], clip[1], clip[3]);
  }

  /* The rulings of the current path: every straight horizontal or
   * vertical piece of a stroke no thicker than MAX_THICKNESS, and every
   * filled rectangle that thin (a line drawn as a fill). */
  void take_path(GfxState *state, bool stroking)
  {
    const GfxPath *path = state->getPath();
    if (path == nullptr)
      return;
    double clip[4];
    state->getClipBBox(&clip[0], &clip[1], &clip[2], &clip[3]);
    if (stroking && state->getTransformedLineWidth() > MAX_THICKNESS)
      return;
    for (int s = 0; s < path->getNumSubpaths() && !paths_->too_many_segs; s++) {
      const GfxSubpath *sub = path->getSubpath(s);
      int n = sub->getNumPoints();
      if (n < 2)
        continue;
      if (stroking) {
        double px = 0, py = 0;
        for (int i = 0; i < n; i++) {
          double x, y;
          state->transform(sub->getX(i), sub->getY(i), &x, &y);
          /* a piece that ends on or leaves a curve control point is curved */
          if (i > 0 && !sub->getCurve(i) && !sub->getCurve(i - 1))
            add_line(px, py, x, y, clip);
          px = x;
          py = y;
        }
        continue;
      }
      take_thin_rectangle(state, sub, clip);
    }
  }

  /* A filled subpath that is an upright rectangle at most MAX_THICKNESS
   * thin is a ruling along its long side, through its middle. */
  void take_thin_rectangle(GfxState *state, const GfxSubpath *sub, const double clip[4])
  {
    double b[4];
    if (!upright_rectangle(state, sub, b))
      return;
    double x0 = b[0], y0 = b[1], x1 = b[2], y1 = b[3];
    double w = x1 - x0, h = y1 - y0;
    if (MIN(w, h) > MAX_THICKNESS)
      return; /* an area (a shaded cell), not a line */
    if (w >= h)
      add(true, (y0 + y1) / 2, x0, x1, clip[1], clip[3], clip[0], clip[2]);
    else
      add(false, (x0 + x1) / 2, y0, y1, clip[0], clip[2], clip[1], clip[3]);
  }
};

/* The font name Poppler GLib reports for char `i` of `word`: "Default"
 * when unnamed, without a subset tag ("ABCDEF+"). */
static const char *glib_font_name(const TextWord *word, int i)
{
  const GooString *name = word->getFontName(i);
  if (name == nullptr || name->getLength() == 0)
    return "Default";
  const char *s = name->c_str();
  int len = name->getLength(), k = 0;
  while (k < len && s[k] >= 'A' && s[k] <= 'Z')
    k++;
  if (k > 0 && k < len && s[k] == '+')
    return s + k + 1;
  return s;
}

static bool past_deadline(void *data)
{
  const KkPdfPaths *paths = static_cast<const KkPdfPaths *>(data);
  return paths->deadline > 0 && g_get_monotonic_time() > paths->deadline;
}

/* Appends the glyphs of `text` to layout (see kk_pdf_read_page()). */
static gboolean read_glyphs(TextPage *text, guint page_no, guint max_glyphs, KkLayout *layout, GError **error)
{
  PDFRectangle all(0, 0, layout->width, layout->height);
  int n_lines = 0;
  std::vector<TextWordSelection *> **lines = text->getSelectionWords(&all, selectionStyleGlyph, &n_lines);
  gboolean ok = TRUE;
  for (int l = 0; l < n_lines; l++) {
    for (TextWordSelection *sel : *lines[l]) {
      const TextWord *word = sel->getWord();
      for (int k = sel->getBegin(); ok && k < sel->getEnd(); k++) {
        gunichar ch = *word->getChar(k);
        if (!g_unichar_validate(ch) || g_unichar_isspace(ch) || ch == 0x3000 || g_unichar_iscntrl(ch) ||
            ch == 0xFFFD)
          continue; /* spaces are decided from geometry */
        double x0, y0, x1, y1;
        word->getCharBBox(k, &x0, &y0, &x1, &y1);
        KkBox b = { MIN(x0, x1), MIN(y0, y1), MAX(x0, x1), MAX(y0, y1) };
        if (!(std::isfinite(b.x0) && std::isfinite(b.y0) && std::isfinite(b.x1) && std::isfinite(b.y1)))
          continue;
        float size = (float)word->getFontSize();
        if (!(size > 0.0f && size < 5000.0f))
          size = 0.0f;
        /* Fonts with bogus ascent/descent give boxes two or three em tall,
         * so the rows of big type overlap and interleave; such a box is
         * set back to one em around the baseline. */
        if (word->getRotation() == 0 && size > 0.0f && b.y1 - b.y0 > 1.6 * size) {
          double base = word->getBaseline();
          if (base >= b.y0 && base <= b.y1) {
            b.y0 = base - 0.88 * size;
            b.y1 = base + 0.12 * size;
          }
        }
        double xc = (b.x0 + b.x1) / 2, yc = (b.y0 + b.y1) / 2;
        if (xc < 0 || yc < 0 || xc > layout->width || yc > layout->height)
          continue; /* off-page text is not shown */
        if (layout->glyphs->len >= max_glyphs) {
          g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "page %u: more than %u glyphs", page_no, max_glyphs);
          ok = FALSE;
          break;
        }
        KkGlyph g = { b, ch, size, kk_layout_font(layout, glib_font_name(word, k)), 0, (guint32)l };
        g_array_append_val(layout->glyphs, g);
      }
      delete sel;
    }
    delete lines[l];
  }
  gfree(lines);
  if (ok)
    kk_glyphs_mark_vertical((KkGlyph *)layout->glyphs->data, layout->glyphs->len);
  return ok;
}

/* The first filter of `stream`'s /Filter that only images use (their
 * output is pixels, never content operators), or nullptr. */
static const char *image_filter(const Object &stream)
{
  static const char *const image_only[] = { "JBIG2Decode", "DCTDecode", "JPXDecode", "CCITTFaxDecode",
                                            "DCT", "CCF" };
  if (!stream.isStream())
    return nullptr;
  Object filter = stream.streamGetDict()->lookup("Filter");
  int n = filter.isArray() ? filter.arrayGetLength() : 1;
  for (int i = 0; i < n && i < 32; i++) {
    Object f = filter.isArray() ? filter.arrayGet(i) : filter.copy();
    for (const char *name : image_only)
      if (f.isName(name))
        return name;
  }
  return nullptr;
}

/* Most form XObjects check_contents() looks into, and how deep. */
static const int MAX_FORMS = 1000;
static const int MAX_FORM_DEPTH = 12;

/* Refuses content (of a page, or of the form XObjects its resources name,
 * recursively) encoded with an image filter.  Poppler would decode such a
 * stream to read operators from it, in one call that checks no deadline:
 * a JBIG2 "page" of a few KB declares a bitmap of gigabytes (pdf.js's
 * bomb_giant.pdf: 60 s and 2.4 GB).  `budget` bounds the forms visited. */
static gboolean check_forms(Dict *resources, guint page_no, int depth, int *budget, GError **error);

static gboolean check_stream(const Object &stream, guint page_no, int depth, int *budget, GError **error)
{
  const char *filter = image_filter(stream);
  if (filter != nullptr) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT,
                "damaged PDF: content on page %u is encoded with the image filter %s", page_no, filter);
    return FALSE;
  }
  if (!stream.isStream() || depth >= MAX_FORM_DEPTH)
    return TRUE;
  Object res = stream.streamGetDict()->lookup("Resources");
  return !res.isDict() || check_forms(res.getDict(), page_no, depth + 1, budget, error);
}

static gboolean check_forms(Dict *resources, guint page_no, int depth, int *budget, GError **error)
{
  Object xobjects = resources->lookup("XObject");
  if (!xobjects.isDict())
    return TRUE;
  Dict *d = xobjects.getDict();
  for (int i = 0; i < d->getLength() && *budget > 0; i++) {
    Object x = d->getVal(i);
    if (!x.isStream() || !x.streamGetDict()->lookup("Subtype").isName("Form"))
      continue;
    (*budget)--;
    if (!check_stream(x, page_no, depth, budget, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean check_contents(Page *page, guint page_no, GError **error)
{
  int budget = MAX_FORMS;
  Object contents = page->getContents();
  int n = contents.isArray() ? contents.arrayGetLength() : 1;
  for (int i = 0; i < n && i < 100000; i++) {
    Object stream = contents.isArray() ? contents.arrayGet(i) : contents.copy();
    if (image_filter(stream) != nullptr)
      return check_stream(stream, page_no, MAX_FORM_DEPTH, &budget, error);
  }
  Dict *resources = page->getResourceDict();
  return resources == nullptr || check_forms(resources, page_no, 0, &budget, error);
}

gboolean kk_pdf_read_page(KkPdf *pdf, guint page_no, guint max_glyphs, KkLayout *layout,
                          KkPdfPaths *paths, GError **error)
{
  if (page_no == 0 || page_no > kk_pdf_n_pages(pdf) || pdf->doc->getPage((int)page_no) == nullptr) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: page %u cannot be read", page_no);
    return FALSE;
  }
  if (!check_contents(pdf->doc->getPage((int)page_no), page_no, error))
    return FALSE;
  RulingTextDev dev(paths);
  {
    QuietStderr quiet;
    pdf->doc->displayPage(&dev, (int)page_no, 72, 72, 0, false, true, false, past_deadline, paths);
  }
  if (past_deadline(paths)) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "time limit hit at page %u", page_no);
    return FALSE;
  }
  TextPage *text = dev.takeText();
  gboolean ok = read_glyphs(text, page_no, max_glyphs, layout, error);
  text->decRefCnt();
  return ok;
}
