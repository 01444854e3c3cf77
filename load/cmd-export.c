/*
 * cmd-export.c — `keikaku export [--db FILE] [--format csv|jsonl] [-o OUT] TABLE`:
 * writes one public table or view of the database, every row, as CSV or
 * JSON Lines.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "common/kk-outfile.h"
#include "kk-table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The tables and views export may write: the public schema of SPEC.md,
 * the comparison views and the reference tables.  (Only these names are
 * ever put into SQL text, so a TABLE argument cannot inject SQL.) */
static const char *const exportable[] = {
  "documents", "items", "item_fields", "schedules", "achievements", "measures",
  "series", "budgets", "meetings", "pages",
  "v_items", "v_measures", "v_achievements", "v_schedules", "v_budgets", "v_series",
  "v_meetings", "v_item_history", "lg_codes", "topic_terms",
  "tables", "table_cells", "table_facts", "v_table_facts",
};

/* Short names: `export cells`, `export facts`. */
static const struct { const char *alias, *table; } aliases[] = {
  { "cells", "table_cells" }, { "facts", "table_facts" },
};

static const char *find_exportable(const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS(aliases); i++)
    if (g_strcmp0(name, aliases[i].alias) == 0)
      name = aliases[i].table;
  for (gsize i = 0; i < G_N_ELEMENTS(exportable); i++)
    if (g_strcmp0(name, exportable[i]) == 0)
      return exportable[i];
  return NULL;
}

int kk_cmd_export(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *format_name = NULL, *out_path = NULL;
  gboolean list = FALSE;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "csv (default) or jsonl", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "write to FILE instead of stdout", "FILE" },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, "list the tables and views that can be exported", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("TABLE - write a public table as CSV or JSON Lines");
  g_autofree char *names = g_strjoinv(", ", (char **)exportable);
  g_autofree char *summary = g_strdup_printf("TABLE is one of: %s (cells and facts name table_cells and "
                                             "table_facts).", names);
  g_option_context_set_summary(ctx, summary);
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("export", error);
    return KK_ERROR_USAGE;
  }
  if (list) {
    for (gsize i = 0; i < G_N_ELEMENTS(exportable); i++)
      printf("%s\n", exportable[i]);
    return KK_OK;
  }
  KkFormat format = KK_FORMAT_CSV;
  if (format_name && (!kk_format_parse(format_name, &format) || format == KK_FORMAT_TABLE)) {
    fprintf(stderr, "keikaku: export: --format must be csv or jsonl, not '%s'\n", format_name);
    return KK_ERROR_USAGE;
  }
  if (argc != 2) {
    fprintf(stderr, "keikaku: export: name one table (see 'keikaku export --list')\n");
    return KK_ERROR_USAGE;
  }
  const char *table = find_exportable(argv[1]);
  if (table == NULL) {
    g_autofree char *safe = kk_escape_controls(argv[1]);
    fprintf(stderr, "keikaku: export: '%s' is not a public table (see 'keikaku export --list')\n", safe);
    return KK_ERROR_USAGE;
  }
  sqlite3 *db = kk_db_open(db_path ? db_path : KK_DB_DEFAULT, KK_DB_READ_ONLY, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  KkOutFile out;
  if (!kk_outfile_open(&out, out_path, &error)) {
    kk_report("export", error);
    kk_db_close(db);
    return KK_ERROR_INPUT;
  }
  /* Stable order: the table's own key, rowid for tables, as listed for views. */
  g_autofree char *sql = g_strdup_printf("SELECT * FROM %s%s", table,
                                         g_str_has_prefix(table, "v_") ? "" : " ORDER BY rowid");
  gboolean ok = FALSE;
  sqlite3_stmt *st = kk_db_prepare(db, sql, &error);
  if (st != NULL)
    ok = kk_stmt_write(db, st, format, out.fp, NULL, &error);
  sqlite3_finalize(st);
  /* a failed export leaves -o FILE as it was */
  if (ok)
    ok = kk_outfile_commit(&out, &error);
  else
    kk_outfile_abort(&out);
  kk_db_close(db);
  if (!ok) {
    kk_report(table, error);
    return kk_exit_code(error);
  }
  return KK_OK;
}
