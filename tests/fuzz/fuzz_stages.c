/* fuzz_stages.c — the JSON Lines readers of normalize, parse and load on any
 * bytes: each object goes through kk_normalize_pages_object(), the parser
 * (with the project's pattern files) and the loader into an in-memory
 * database, as `extract | normalize | parse | load` would take it. */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz-db.h"
#include "common/kk-jsonl.h"
#include "normalize/normalize.h"
#include "patterns/parse.h"
#include "load/kk-db.h"
#include "load/kk-load.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
  KkParser *parser;
  KkLoader *loader;
} Stages;

static gboolean through_stages(JsonObject *object, gpointer user_data, GError **error)
{
  Stages *st = user_data;
  if (!kk_normalize_pages_object(object, error))
    return FALSE;
  return kk_parser_feed(st->parser, object, kk_loader_sink, st->loader, error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  sqlite3 *db = fuzz_scratch_db("fuzz-stages");
  GError *error = NULL;
  const char *dir = g_getenv("KEIKAKU_PATTERNS") ? NULL : "patterns/families";
  KkParser *parser = kk_parser_new(dir, &error);
  if (parser == NULL) {
    fprintf(stderr, "fuzz_stages: run from the project root: %s\n", error->message);
    abort();
  }
  KkLoader *loader = kk_loader_new(db, FALSE, NULL, NULL);
  Stages st = { parser, loader };
  FILE *f = fmemopen((void *)data, size, "r");
  if (f != NULL) {
    if (kk_jsonl_read(f, "fuzz", 1 << 20, through_stages, &st, &error))
      kk_loader_finish(loader, &error);
    fclose(f);
  }
  g_clear_error(&error);
  kk_loader_free(loader);
  kk_parser_free(parser);
  return 0;
}
