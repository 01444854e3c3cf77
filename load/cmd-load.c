/*
 * cmd-load.c — `keikaku load [--db FILE] [RECORDS.jsonl ...]`: writes
 * records JSON Lines (stdin when no file is named) into the database, one
 * transaction per document.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "kk-db.h"
#include "kk-editions.h"
#include "kk-load.h"

#include <stdio.h>

typedef struct {
  gboolean quiet;
  guint loaded, unchanged, reprocessed;
} LoadReport;

/* Prints one line per document written or skipped. */
static void report_document(const char *file, const char *sha256, KkLoadOutcome outcome,
                            guint n_records, gpointer user_data)
{
  LoadReport *r = user_data;
  if (outcome == KK_LOAD_LOADED) r->loaded++;
  else if (outcome == KK_LOAD_UNCHANGED) r->unchanged++;
  else r->reprocessed++;
  if (!r->quiet) {
    g_autofree char *safe = kk_escape_controls(file ? file : sha256); /* the records name it */
    printf("%s: %s (%u records)\n", safe, kk_load_outcome_name(outcome), n_records >= 2 ? n_records - 2 : 0);
  }
}

int kk_cmd_load(int argc, char **argv)
{
  g_autofree char *db_path = NULL;
  gboolean reprocess = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "reprocess", 0, 0, G_OPTION_ARG_NONE, &reprocess,
      "replace a stored document whose pipeline or pattern file differs", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print nothing but errors", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("[RECORDS.jsonl ...] - write records JSON Lines into SQLite");
  g_option_context_set_summary(ctx,
      "Reads records JSON Lines (common/FORMATS.md) from the files, or stdin, and\n"
      "writes each document in one transaction.  A document already in the\n"
      "database (same sha256) is left unchanged.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("load", error);
    return KK_ERROR_USAGE;
  }
  const char *path = db_path ? db_path : KK_DB_DEFAULT;
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  LoadReport report = { .quiet = quiet };
  int n_inputs = argc > 1 ? argc - 1 : 1;
  int failed = 0, last_code = 0;
  for (int i = 0; i < n_inputs; i++) {
    const char *input = argc > 1 ? argv[i + 1] : "-";
    g_autoptr(KkLoader) loader = kk_loader_new(db, reprocess, report_document, &report);
    g_autoptr(GError) e = NULL;
    if (!kk_jsonl_read_path(input, 0, kk_loader_sink, loader, &e) || !kk_loader_finish(loader, &e)) {
      kk_report(g_strcmp0(input, "-") == 0 ? "<stdin>" : input, e);
      failed++;
      last_code = kk_exit_code(e);
    }
  }
  g_autoptr(GError) ed_error = NULL;
  if ((report.loaded + report.reprocessed > 0 || kk_editions_stale(db)) &&
      !kk_editions_refresh(db, &ed_error)) {
    kk_report("load: editions", ed_error);
    failed++;
    last_code = KK_ERROR_DATABASE;
  }
  kk_db_close(db);
  if (!quiet && n_inputs > 1)
    printf("%u loaded, %u unchanged, %u reprocessed, %d inputs failed\n",
           report.loaded, report.unchanged, report.reprocessed, failed);
  if (failed == 0)
    return KK_OK;
  return n_inputs == 1 ? last_code : KK_ERROR_PARTIAL;
}
