/*
 * cmd-merge.c — `keikaku merge OUT.db SHARD.db...`: merges keikaku
 * databases built on separate machines into OUT (created if missing), in
 * one transaction (kk-merge.h).
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "kk-merge.h"

#include <stdio.h>

int kk_cmd_merge(int argc, char **argv)
{
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print nothing on success", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("OUT.db SHARD.db... - merge databases built on separate machines");
  g_option_context_set_summary(ctx,
      "Copies every document of each SHARD (with its items, measures, pages, boxes,\n"
      "search units and derivation) into OUT, created if missing.  A document\n"
      "already in OUT (same SHA-256) is kept once; ids are renumbered; lg_codes\n"
      "and topic_terms are OUT's own; the search index is extended.  Every shard\n"
      "must have this keikaku's schema version.  All shards go in in one\n"
      "transaction: on any failure OUT is left as it was.\n"
      "Exit status: 0 merged, 2 usage, 8 database error (a shard of another\n"
      "schema version, not a keikaku database, unreadable, or OUT itself).");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    kk_report("merge", error);
    return KK_ERROR_USAGE;
  }
  if (argc < 3) {
    fprintf(stderr, "keikaku: merge: name the output database and at least one shard (see 'keikaku merge --help')\n");
    return KK_ERROR_USAGE;
  }
  sqlite3 *db = kk_db_open(argv[1], KK_DB_READ_WRITE, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  KkMergeStats stats;
  gint64 started = g_get_monotonic_time();
  gboolean ok = kk_merge(db, argv[1], (const char *const *)argv + 2, &stats, &error);
  kk_db_close(db);
  if (!ok) {
    kk_report("merge", error);
    return kk_exit_code(error);
  }
  if (!quiet)
    printf("%d shards: %u documents added, %u already there, %" G_GUINT64_FORMAT " rows, %.2f s\n",
           argc - 2, stats.documents_added, stats.documents_skipped, stats.rows,
           (double)(g_get_monotonic_time() - started) / 1e6);
  return KK_OK;
}
