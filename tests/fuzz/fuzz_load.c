/* fuzz_load.c — load's record reader on any bytes: a records JSON Lines
 * stream (common/FORMATS.md "records") goes through kk_loader_sink() into
 * one database file, as `keikaku load` takes it.  Whatever the bytes, the
 * loader must refuse or store them without a crash, and a document it
 * accepts must satisfy the database's invariants (load/kk-load-check.c
 * is run by the loader itself; this harness asks SQLite's integrity and
 * foreign-key checks after every input). */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz-db.h"
#include "common/kk-jsonl.h"
#include "load/kk-db.h"
#include "load/kk-load.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Aborts (a finding) when SQLite says the database is damaged. */
static void check_database(sqlite3 *db)
{
  static const char *const checks[] = { "PRAGMA quick_check", "PRAGMA foreign_key_check" };
  for (size_t i = 0; i < G_N_ELEMENTS(checks); i++) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, checks[i], -1, &st, NULL) != SQLITE_OK)
      abort();
    int rc = sqlite3_step(st);
    gboolean bad = i == 0 ? rc != SQLITE_ROW || g_strcmp0((const char *)sqlite3_column_text(st, 0), "ok") != 0
                          : rc == SQLITE_ROW;
    if (bad) {
      fprintf(stderr, "fuzz_load: %s fails after a load\n", checks[i]);
      abort();
    }
    sqlite3_finalize(st);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  sqlite3 *db = fuzz_scratch_db("fuzz-load");
  GError *error = NULL;
  KkLoader *loader = kk_loader_new(db, TRUE, NULL, NULL);
  FILE *f = fmemopen((void *)data, size, "r");
  if (f != NULL) {
    /* lines long enough for 100k levels of nesting (refused by depth) */
    if (kk_jsonl_read(f, "fuzz", 1 << 20, kk_loader_sink, loader, &error))
      kk_loader_finish(loader, &error);
    fclose(f);
  }
  g_clear_error(&error);
  kk_loader_free(loader);
  check_database(db);
  return 0;
}
