/* fuzz_extract.c — the whole extract stage on any bytes: file checks,
 * Poppler GLib's open, the core's page pass with ruling collection
 * (extract/pdf-core.cc) and the layout, under small limits.  Poppler reads
 * files, so each input is written to one temporary file first. */
#include "tests/fuzz/fuzz.h"
#include "extract/extract.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static gboolean discard(JsonObject *o, gpointer user_data, GError **error)
{
  (void)o; (void)user_data; (void)error;
  return TRUE;
}

static char *path = NULL;

static void remove_file(void)
{
  g_unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (path == NULL) {
    int fd = g_file_open_tmp("kk-fuzz-extract-XXXXXX.pdf", &path, NULL);
    if (fd < 0)
      return 0;
    close(fd);
    atexit(remove_file);
  }
  if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
    return 0;
  /* OCR is Tesseract on a rendered page: not what this harness looks for, and
   * seconds per input */
  KkExtractOptions o = { .max_pages = 20, .max_glyphs_per_page = 20000, .max_seconds = 5, .ocr = KK_OCR_NEVER };
  GError *error = NULL;
  kk_extract_file(path, &o, discard, NULL, &error);
  g_clear_error(&error);
  return 0;
}
