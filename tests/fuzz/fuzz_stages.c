/* fuzz_stages.c — the JSON Lines readers of normalize, parse and load on any
 * bytes: each object goes through kk_normalize_pages_object(), the parser
 * (with the project's pattern files) and the loader into an in-memory
 * database, as `extract | normalize | parse | load` would take it. */
#include "tests/fuzz/fuzz.h"
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

static char db_path[256];

static void remove_db(void)
{
  static const char *suffix[] = { "", "-wal", "-shm", "-journal" };
  for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
    g_autofree char *p = g_strconcat(db_path, suffix[i], NULL);
    unlink(p);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static sqlite3 *db;
  if (size == 0)
    return 0;
  GError *error = NULL;
  if (db == NULL) {
    /* a file, not :memory: — the loader insists on WAL mode */
    g_snprintf(db_path, sizeof db_path, "%s/kk-fuzz-stages-%d.db", g_get_tmp_dir(), (int)getpid());
    atexit(remove_db);
    db = kk_db_open(db_path, KK_DB_READ_WRITE, &error);
    if (db == NULL) {
      fprintf(stderr, "fuzz_stages: %s\n", error->message);
      abort();
    }
  }
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
