/*
 * ocr.h — text for pages without a usable text layer (scans, outlined
 * text), read by Tesseract through its C API.
 *
 * A page is rendered by Poppler (GLib, cairo) at 300 dpi, or at the
 * resolution of the scan that covers it when that is between 200 and 600
 * dpi, in grey; Tesseract's OSD finds its orientation (0/90/180/270) and
 * Leptonica its skew, which are corrected; Tesseract (jpn, LSTM) reads it,
 * and when most of its text runs top to bottom (縦書き) the page is read
 * again with jpn_vert and the better reading kept.  Every recognised
 * character becomes a KkGlyph with its box in points, so the page goes
 * through the same line, table and reading-order code as a text PDF:
 * Tesseract's own spaces between Japanese characters are never used (the
 * line builder puts a space only where the white on the page is wide).
 * Each word keeps Tesseract's confidence; kk_ocr_page_to_json() puts them
 * on the page's lines and cells.  Ruling lines found in the picture
 * (Leptonica morphology) are handed to the layout like vector rulings, so
 * a scanned ruled table gives the same cells as a text PDF's.
 *
 * Limits: at most KK_OCR_MAX_PIXELS pixels per rendered page (the
 * resolution is lowered to fit), a wall-clock deadline per page enforced by
 * Tesseract's monitor, and the document's deadline.
 */
#ifndef KK_EXTRACT_OCR_H
#define KK_EXTRACT_OCR_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include "extract/classify.h"
#include "extract/layout.h"

G_BEGIN_DECLS

/* When pages are read by OCR (`--ocr`). */
typedef enum {
  KK_OCR_AUTO = 0, /* pages whose content is image or outlined (default) */
  KK_OCR_FORCE,    /* every page, its text layer ignored */
  KK_OCR_NEVER,    /* none: a document of scans fails with "no text layer" */
} KkOcrMode;

/* Parses "auto", "force" or "never"; FALSE for anything else. */
gboolean kk_ocr_mode_parse(const char *s, KkOcrMode *mode);

/* Whether a page of `content` is read by OCR in `mode`. */
gboolean kk_ocr_wanted(KkOcrMode mode, KkPageContent content);

/* Most pixels of one rendered page (an A4 page at 600 dpi is 35 M). */
#define KK_OCR_MAX_PIXELS (40u * 1000u * 1000u)
/* Default wall-clock limit for one page's OCR, in seconds. */
#define KK_OCR_PAGE_SECONDS 120

/* One word as Tesseract read it. */
typedef struct {
  char *text;        /* UTF-8, as recognised */
  double box[4];     /* points, in the page frame of KkOcrPage */
  float confidence;  /* Tesseract's, 0..100 */
} KkOcrWord;

/* What OCR made of one page. */
typedef struct {
  GArray *words;          /* KkOcrWord */
  int dpi;                /* resolution it was read at */
  int orientation;        /* clockwise turn applied to read it upright */
  double skew;            /* degrees of skew corrected (clockwise +) */
  gboolean vertical;      /* read with jpn_vert */
  double mean_confidence; /* over its words (0 when none) */
  double seconds;         /* wall-clock time spent */
  GArray *hsegs, *vsegs;  /* KkSeg: ruling lines found in the picture, in
                             points of the page as read (for ruled tables) */
} KkOcrPage;

void kk_ocr_page_free(KkOcrPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkOcrPage, kk_ocr_page_free)

/* Tesseract engines (the module's, ocr-module.h). */
typedef struct _KkOcr KkOcr;

/* OCR for the pages of one PDF: the module is opened, Tesseract's engines
 * made and the file opened by Poppler GLib (in the module, to render its
 * pages) on the first page read.  Never NULL. */
typedef struct _KkOcrReader KkOcrReader;
KkOcrReader *kk_ocr_reader_new(const char *path);
void kk_ocr_reader_free(KkOcrReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkOcrReader, kk_ocr_reader_free)

/* Reads page `page_no` (1-based) of the reader's PDF.  `ink` (may be NULL) tells the resolution of a
 * scan covering the page.  The layout's glyphs are replaced by the
 * recognised characters (boxes in points; the layout's width and height
 * are swapped when the page was read turned by 90 or 270 degrees).
 * `deadline` (g_get_monotonic_time(), 0 = none) bounds the work together
 * with `page_seconds` (0 = KK_OCR_PAGE_SECONDS).  NULL with KK_ERROR_LIMIT
 * (time), KK_ERROR_NO_TEXT (the module, Tesseract or its jpn data missing) or
 * KK_ERROR_INPUT (the page cannot be rendered). */
KkOcrPage *kk_ocr_read_page(KkOcrReader *reader, guint page_no, const KkPageInk *ink,
                            KkLayout *layout, gint64 deadline, guint page_seconds, GError **error);

/* Adds to a page object of the pages format: "ocr" (engine, dpi,
 * orientation, skew, vertical, mean_confidence) and, on each line and
 * table cell, "confidence" (the lowest of its words, 0..100) and
 * "ocr_words" ([{"text","confidence"}] of the words whose box centre lies
 * in its box). */
void kk_ocr_page_to_json(const KkOcrPage *ocr_page, JsonObject *page);

G_END_DECLS

#endif
