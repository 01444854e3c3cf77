/*
 * cmd-extract.c — `keikaku extract [OPTIONS] FILE.pdf`: the pages JSON Lines
 * of one PDF on stdout (common/FORMATS.md).  A failure prints one line on
 * stderr and leaves the stream without its `end` line.
 */
#include "extract/extract.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"

#include <stdio.h>
#include <string.h>

gboolean kk_extract_parse_range(const char *s, guint *first, guint *last)
{
  char *end = NULL;
  const char *dash = strchr(s, '-');
  guint64 a = 1, b = 0;
  if (dash == NULL) {
    a = g_ascii_strtoull(s, &end, 10);
    if (end == s || *end || a == 0 || a > G_MAXUINT)
      return FALSE;
    b = a;
  } else {
    if (dash != s) {
      a = g_ascii_strtoull(s, &end, 10);
      if (end != dash || a == 0 || a > G_MAXUINT)
        return FALSE;
    }
    if (dash[1]) {
      b = g_ascii_strtoull(dash + 1, &end, 10);
      if (*end || b == 0 || b > G_MAXUINT || b < a)
        return FALSE;
    }
  }
  *first = (guint)a;
  *last = (guint)b;
  return TRUE;
}

int kk_cmd_extract(int argc, char **argv)
{
  g_autofree char *pages = NULL;
  gint max_pages = 0, max_seconds = 0;
  double max_mb = 0;
  gboolean no_tables = FALSE;
  g_autofree char *ocr = NULL;
  gint ocr_seconds = 0;
  GOptionEntry entries[] = {
    { "pages", 'p', 0, G_OPTION_ARG_STRING, &pages, "Extract only these pages (1-based, e.g. 3-7, 5, 10-)", "FIRST-LAST" },
    { "no-tables", 0, 0, G_OPTION_ARG_NONE, &no_tables, "Do not look for tables (text lines only; faster)", NULL },
    { "max-pages", 0, 0, G_OPTION_ARG_INT, &max_pages, "Refuse documents with more pages (default 10000)", "N" },
    { "max-file-mb", 0, 0, G_OPTION_ARG_DOUBLE, &max_mb, "Refuse larger files (default 512)", "MB" },
    { "max-seconds", 0, 0, G_OPTION_ARG_INT, &max_seconds, "Give up after this much time (default: no limit)", "S" },
    { "ocr", 0, 0, G_OPTION_ARG_STRING, &ocr, "Read pages by OCR (Tesseract): auto = pages without a text layer (scans, outlined text; default), force = every page, never", "auto|force|never" },
    { "ocr-seconds", 0, 0, G_OPTION_ARG_INT, &ocr_seconds, "Give up a page's OCR after this much time (default 120)", "S" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE.pdf");
  g_option_context_set_summary(ctx,
    "Writes the pages of a PDF as JSON Lines (common/FORMATS.md, pages v1):\n"
    "a document line, one line per page with its text lines in reading order\n"
    "and its tables (ruled and whitespace-aligned), and an end line.\n\n"
    "Pages without a text layer (scans, text turned into outlines) are read by\n"
    "Tesseract (jpn, jpn_vert) unless --ocr never; their lines and cells carry\n"
    "Tesseract's confidence.\n\n"
    "Exit status: 0 ok, 2 usage, 3 not a PDF / truncated / damaged, 4 encrypted,\n"
    "5 no page has text (scanned, and OCR off or empty), 6 a limit was hit.  On failure one\n"
    "line goes to stderr and the output has no end line.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("extract", error);
    return KK_ERROR_USAGE;
  }
  if (argc != 2) {
    fprintf(stderr, "keikaku: extract: expected one FILE.pdf (see keikaku extract --help)\n");
    return KK_ERROR_USAGE;
  }
  KkExtractOptions opts = { 0 };
  if (pages && !kk_extract_parse_range(pages, &opts.first_page, &opts.last_page)) {
    g_autofree char *safe = kk_escape_controls(pages);
    fprintf(stderr, "keikaku: extract: --pages wants FIRST-LAST, got '%s'\n", safe);
    return KK_ERROR_USAGE;
  }
  if (ocr && !kk_ocr_mode_parse(ocr, &opts.ocr)) {
    fprintf(stderr, "keikaku: extract: --ocr wants auto, force or never, got '%s'\n", ocr);
    return KK_ERROR_USAGE;
  }
  if (max_pages < 0 || max_mb < 0 || max_seconds < 0 || ocr_seconds < 0) {
    fprintf(stderr, "keikaku: extract: limits must not be negative\n");
    return KK_ERROR_USAGE;
  }
  opts.max_pages = (guint)max_pages;
  opts.max_file_bytes = max_mb > 0 ? (guint64)MAX(1.0, MIN(max_mb, 1e9) * 1048576.0) : 0;
  opts.max_seconds = (guint)max_seconds;
  opts.no_tables = no_tables;
  opts.ocr_page_seconds = (guint)ocr_seconds;
  /* pages are written as text, without building their trees */
  opts.page_line = kk_jsonl_sink_file_line;
  opts.page_line_data = stdout;
  opts.page_line_only = TRUE;
  if (!kk_extract_file(argv[1], &opts, kk_jsonl_sink_file, stdout, &error)) {
    fflush(stdout);
    kk_report(argv[1], error);
    return kk_exit_code(error);
  }
  return KK_OK; /* main() reports a write error on stdout */
}
