/*
 * extract.h — `keikaku extract`: a PDF file -> pages JSON Lines objects.
 *
 * kk_extract_file() is the whole stage as a library call (keikaku ingest
 * calls it): it streams the `document` object, one `page` object per page
 * and the `end` object of common/FORMATS.md (pages format v1) to a KkSink,
 * page by page, so memory stays flat in the length of the document.  On
 * failure the `end` object is not sent: a consumer sees a cut stream.
 */
#ifndef KK_EXTRACT_H
#define KK_EXTRACT_H

#include <glib.h>
#include "common/kk-jsonl.h"
#include "extract/layout.h"
#include "extract/ocr.h"

G_BEGIN_DECLS

/* Receives a page object as its line of JSON text, line[0..len) without
 * the newline (valid during the call only).  Returns FALSE with `error`
 * set to stop. */
typedef gboolean (*KkExtractLineSink)(const char *line, gsize len, gpointer user_data, GError **error);

/* Receives one laid-out page (page_no 1-based; valid during the call only)
 * in place of its page object.  Returns FALSE with `error` set to stop. */
typedef gboolean (*KkExtractLayoutSink)(const KkLayout *layout, guint page_no, gpointer user_data,
                                        GError **error);

/* Limits and choices; a NULL pointer or a 0 member means the default. */
typedef struct {
  guint max_pages;            /* pages in the document: 10000 */
  guint64 max_file_bytes;     /* size of the file: 512 MiB */
  guint max_glyphs_per_page;  /* characters on one page: 100000 */
  guint first_page;           /* 1-based range to extract: all */
  guint last_page;
  guint max_seconds;          /* wall-clock time for the document: none */
  gboolean no_tables;         /* skip table detection */
  KkOcrMode ocr;              /* which pages OCR reads: auto (image and
                                 outlined pages), force, never */
  guint ocr_page_seconds;     /* wall-clock limit of one page's OCR: 120 */
  const char *sha256;         /* the file's SHA-256 (64 lowercase hex digits)
                                 as the caller (keikaku ingest) computed it
                                 when the file had sha256_size bytes and
                                 was last modified at sha256_mtime_ns (ns
                                 since the epoch): not computed again
                                 unless the file's size or time differ */
  guint64 sha256_size;
  gint64 sha256_mtime_ns;
  KkExtractLineSink page_line; /* when set, gets each page object as its
                                 JSON text (what kk_json_object_to_line()
                                 gives for the object), before the sink
                                 gets the object, written without building
                                 a tree when the page was not read by OCR */
  gpointer page_line_data;
  gboolean page_line_only;    /* with page_line: the sink gets the document
                                 and end objects only (no page tree is
                                 built) */
  KkExtractLayoutSink page_layout; /* when set, a page not read by OCR goes
                                 to it (after page_line) instead of going
                                 to the sink as a tree (none is built):
                                 keikaku ingest's parser reads the layout */
  gpointer page_layout_data;
} KkExtractOptions;

/* Extracts `path`.  Errors (KK_ERROR domain, code = exit status), with the
 * message not repeating the path:
 *   KK_ERROR_INPUT      missing/unreadable file, not a PDF, truncated or
 *                       damaged PDF
 *   KK_ERROR_ENCRYPTED  the PDF needs a password
 *   KK_ERROR_NO_TEXT    no page of the document has a text layer nor
 *                       gave text by OCR (a document with some text pages
 *                       is extracted; its pages without text have empty
 *                       `lines`)
 *   KK_ERROR_LIMIT      a limit of `options` was hit
 *   or whatever error `sink` returns. */
gboolean kk_extract_file(const char *path, const KkExtractOptions *options,
                         KkSink sink, gpointer user_data, GError **error);

/* The font name of a line as the page object has it: NULL when the line
 * has none (no "font" member). */
const char *kk_extract_line_font(const KkLayout *layout, const KkLine *line);

/* The rows of a table's "rows" member in the page object: row i holds the
 * cells [starts[i], starts[i + 1]) of table->cells (`starts` is refilled
 * with guint indexes, one more than there are rows). */
void kk_extract_row_starts(const KkPageTable *table, GArray *starts);

/* Parses a --pages value, "N" or "FIRST-LAST" (either side may be empty:
 * "10-" is 10 to the end, 0 for `last`), 1-based.  FALSE when malformed. */
gboolean kk_extract_parse_range(const char *s, guint *first, guint *last);

G_END_DECLS

#endif
