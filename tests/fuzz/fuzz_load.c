/* fuzz_load.c — load's record reader on any bytes: a records JSON Lines
 * stream (common/FORMATS.md "records") goes through kk_loader_sink() into
 * one database file, as `keikaku load` takes it.  Whatever the bytes, the
 * loader must refuse or store them without a crash, and a document it
 * accepts must satisfy the database's invariants (load/kk-load-check.c
 * is run by the loader itself; this harness asks SQLite's integrity and
 * foreign-key checks after every input). */
#include "tests/fuzz/fuzz.h"
#include "common/kk-jsonl.h"
#include "load/kk-db.h"
#include "load/kk-load.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char db_path[256];

static void remove_db(void)
{
  static const char *suffix[] = { "", "-wal", "-shm", "-journal" };
  for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
    g_autofree char *p = g_strconcat(db_path, suffix[i], NULL);
    unlink(p);
  }
}

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
  static sqlite3 *db;
  if (size == 0)
    return 0;
  GError *error = NULL;
  if (db == NULL) {
    /* a file, not :memory: — the loader insists on WAL mode */
    g_snprintf(db_path, sizeof db_path, "%s/kk-fuzz-load-%d.db", g_get_tmp_dir(), (int)getpid());
    atexit(remove_db);
    db = kk_db_open(db_path, KK_DB_READ_WRITE, &error);
    if (db == NULL) {
      fprintf(stderr, "fuzz_load: %s\n", error->message);
      abort();
    }
  }
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
