/*
 * pdf-core.h — one page of a PDF read in a single pass of Poppler's core:
 * its glyphs and the ruling segments of its vector paths.
 *
 * Poppler GLib gives text, and shapes only as a rendered picture; finding
 * rulings in a render made extract three times as slow as Poppler's own
 * text pass.  Poppler's core (libpoppler-private-dev, pdf-core.cc) lets an
 * output device see every stroke and fill as the page is interpreted, and
 * its text device collects the text in the same pass, as pdftotext does.
 * The core also opens the document and reads its metadata (the Info
 * dictionary, converted as Poppler GLib converts it), so keikaku links
 * no Poppler GLib: only the OCR module renders with it (ocr-module.h).
 */
#ifndef KK_EXTRACT_PDF_CORE_H
#define KK_EXTRACT_PDF_CORE_H

#include "extract/layout.h"
#include "extract/classify.h"

G_BEGIN_DECLS

typedef struct _KkPdf KkPdf;

/* Opens `path` with Poppler's core.  NULL with KK_ERROR_ENCRYPTED (needs a
 * password) or KK_ERROR_INPUT ("damaged PDF: " and the words Poppler GLib
 * has for the problem) when it cannot be read. */
KkPdf *kk_pdf_open(const char *path, GError **error);
void kk_pdf_free(KkPdf *pdf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkPdf, kk_pdf_free)

/* Makes Poppler's global parameters now and keeps them for the life of the
 * process (ingest, before it forks its workers: building them took ~1 ms
 * of CPU in every worker).  Documents opened later share them. */
void kk_pdf_keep_globals(void);

/* Entry `key` ("Title", "Author", "Creator", "Producer" ...) of the
 * document's Info dictionary in UTF-8, exactly as Poppler GLib's
 * poppler_document_get_title() and its kin give it (byte order mark:
 * UTF-16BE or -LE, else PDFDocEncoding); NULL when absent, not a string
 * or not convertible.  The result is not checked to be valid UTF-8.  Free
 * with g_free(). */
char *kk_pdf_info_string(KkPdf *pdf, const char *key);

/* Date entry `key` ("CreationDate", "ModDate") of the Info dictionary, as
 * Poppler GLib's poppler_document_get_creation_date_time() gives it (its
 * time zone, UTC when it names none or an unusable one); NULL when absent
 * or not a date.  Free with g_date_time_unref(). */
GDateTime *kk_pdf_info_date(KkPdf *pdf, const char *key);

/* Number of pages (0 for a document without a page tree). */
guint kk_pdf_n_pages(KkPdf *pdf);

/* The page as displayed: width and height in points of its crop box,
 * turned by its /Rotate (0, 90, 180 or 270), as Poppler GLib reports
 * them.  FALSE when page `page_no` (1-based) cannot be read. */
gboolean kk_pdf_page_size(KkPdf *pdf, guint page_no, double *width, double *height, int *rotate);

/* What one page pass yields besides the glyphs. */
typedef struct {
  GArray *hsegs;          /* KkSeg: horizontal rulings, or NULL: no rulings wanted */
  GArray *vsegs;          /* KkSeg: vertical rulings */
  gboolean too_many_segs; /* more than max_segs rulings: a drawing, not a table */
  guint max_segs;         /* bound on the segments kept */
  gint64 deadline;        /* g_get_monotonic_time() past which the pass is
                             abandoned (0: none) */
  GArray *panels;         /* KkBox: tinted filled rectangles wider and taller
                             than a ruling (boxes text is set on), or NULL:
                             not wanted; only when hsegs is set */
  KkPageInk *ink;         /* images and glyph-like outlines seen (classify.h),
                             or NULL: not wanted (then images and pattern
                             fills are skipped unread, as pdftotext does) */
  guint64 chars_drawn;    /* out: characters (not spaces) the page drew;
                             Poppler's text page keeps at most a fixed
                             number of them, so far more than the glyphs
                             read means text was lost */
} KkPdfPaths;

/* Interprets page `page_no` (1-based) once.  Appends its glyphs to
 * layout->glyphs, in Poppler's reading order with spaces and line breaks
 * left out (KkGlyph.pline counts Poppler's lines; fonts are named as Poppler
 * GLib names them, without a subset tag), and, when paths->hsegs is set,
 * the ruling segments (in points, page frame) of the page's strokes and
 * fills: straight horizontal or vertical strokes and thin filled
 * rectangles that stand out from white paper, clipped to the clip region.
 * Fails with KK_ERROR_LIMIT when the page has more than `max_glyphs`
 * glyphs or the deadline passed, KK_ERROR_INPUT when the page cannot be
 * read. */
gboolean kk_pdf_read_page(KkPdf *pdf, guint page_no, guint max_glyphs, KkLayout *layout,
                          KkPdfPaths *paths, GError **error);

G_END_DECLS

#endif
