/* fuzz_match.c — the pattern engine's matching on any bytes: the input is a
 * pattern file, a line "%%", then a pages JSON Lines stream; the pattern
 * file becomes the only family of a parser, and the pages go through it
 * (recognition, cards, lists, measures: every place a rule's regex is
 * matched).  Catastrophic regexes must stop at PCRE2's limits with an
 * error (patterns/match-limits.c), never hang or crash; with no "%%" line
 * the whole input is the pages stream for the project's own pattern files. */
#include "tests/fuzz/fuzz.h"
#include "common/kk-jsonl.h"
#include "patterns/parse.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *kpat_dir;  /* this process's pattern directory */
static char *kpat_path; /* its one file */

static void remove_dir(void)
{
  g_unlink(kpat_path);
  g_rmdir(kpat_dir);
}

static gboolean null_sink(JsonObject *o, gpointer data, GError **error)
{
  return TRUE;
}

static gboolean feed(JsonObject *o, gpointer parser, GError **error)
{
  return kk_parser_feed(parser, o, null_sink, NULL, error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  if (kpat_dir == NULL) {
    kpat_dir = g_dir_make_tmp("kk-fuzz-match-XXXXXX", NULL);
    if (kpat_dir == NULL)
      abort();
    kpat_path = g_build_filename(kpat_dir, "fuzz.kpat", NULL);
    atexit(remove_dir);
  }
  const char *text = (const char *)data;
  const char *sep = g_strstr_len(text, (gssize)size, "\n%%\n");
  const char *pages = text;
  gsize pages_len = size;
  const char *dir = "patterns/families";
  if (sep != NULL) {
    if (!g_file_set_contents(kpat_path, text, sep - text + 1, NULL))
      abort();
    dir = kpat_dir;
    pages = sep + 4;
    pages_len = size - (gsize)(pages - text);
  }
  GError *error = NULL;
  KkParser *parser = kk_parser_new(dir, &error);
  if (parser != NULL) {
    FILE *f = fmemopen((void *)pages, pages_len ? pages_len : 1, "r");
    if (f != NULL && pages_len > 0)
      kk_jsonl_read(f, "fuzz", 1 << 20, feed, parser, &error);
    if (f != NULL)
      fclose(f);
  }
  g_clear_error(&error);
  kk_parser_free(parser);
  return 0;
}
