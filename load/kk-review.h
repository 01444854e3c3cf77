/*
 * kk-review.h — the review page: the values read by OCR whose confidence
 * is below a threshold (table facts and table cells, schema v6), each
 * beside a PNG crop of the page region it came from, rendered by Poppler
 * GLib and cairo from the document's file, as one static HTML page.  The
 * crops are rendered by the module keikaku-ocr.so (extract/ocr-module.h),
 * so that keikaku itself links neither library.
 */
#ifndef KK_REVIEW_H
#define KK_REVIEW_H

#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>

/* At most this many values on one page (the rest are counted). */
#define KK_REVIEW_MAX_VALUES 2000

typedef struct {
  guint values;   /* values listed */
  guint more;     /* values below the threshold left off (over the limit) */
  guint crops;    /* values shown with a crop */
  guint missing;  /* values whose document file is gone or changed */
} KkReviewStats;

/*
 * Writes the review page of `db` to `out`: every table fact, and every
 * table cell that is no fact, whose OCR confidence is below `below`
 * (0..100), in document and page order, with document file, page, the
 * value as read, its confidence and a crop of its box (embedded as a
 * data: URI).  A document whose file is gone or no longer has the stored
 * SHA-256 is named as such instead of a crop.  All text is HTML-escaped.
 * Returns FALSE with `error` set on a database or write error, or
 * KK_ERROR_INTERNAL naming the module when the renderer cannot be loaded
 * (before anything is written).
 */
gboolean kk_review_write(sqlite3 *db, double below, FILE *out, KkReviewStats *stats, GError **error);

#endif
