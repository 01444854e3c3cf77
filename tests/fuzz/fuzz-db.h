/*
 * fuzz-db.h — the scratch database of the harnesses that load records
 * (fuzz_load, fuzz_stages): one file per process in the temporary
 * directory (not :memory:, since the loader insists on WAL mode), opened
 * on the first input and removed with its -wal/-shm/-journal at exit.
 */
#ifndef KK_FUZZ_DB_H
#define KK_FUZZ_DB_H

#include "load/kk-db.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_db_path[256];

static void fuzz_db_remove(void)
{
  static const char *suffix[] = { "", "-wal", "-shm", "-journal" };
  for (size_t i = 0; i < G_N_ELEMENTS(suffix); i++) {
    g_autofree char *p = g_strconcat(fuzz_db_path, suffix[i], NULL);
    unlink(p);
  }
}

/* The process's scratch database for harness `name`, opened read-write
 * the first time; aborts when it cannot be made (no finding can be made
 * without it). */
static inline sqlite3 *fuzz_scratch_db(const char *name)
{
  static sqlite3 *db;
  if (db != NULL)
    return db;
  GError *error = NULL;
  g_snprintf(fuzz_db_path, sizeof fuzz_db_path, "%s/kk-%s-%d.db", g_get_tmp_dir(), name, (int)getpid());
  atexit(fuzz_db_remove);
  db = kk_db_open(fuzz_db_path, KK_DB_READ_WRITE, &error);
  if (db == NULL) {
    fprintf(stderr, "%s: %s\n", name, error->message);
    abort();
  }
  return db;
}

#endif
