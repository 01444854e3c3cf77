/*
 * cmd-search.c — `keikaku search [--db FILE] QUERY...`: full-text search
 * over page text and item text, with page numbers and snippets.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "kk-search.h"

#include <stdio.h>
#include <unistd.h>

int kk_cmd_search(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *municipality = NULL;
  gboolean csv = FALSE, json = FALSE;
  gint limit = 50;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "municipality", 'm', 0, G_OPTION_ARG_STRING, &municipality, "only this municipality (name or lg_code)", "M" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, "at most N hits (default 50, 0 = all)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "write CSV", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "write JSON Lines", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("QUERY... - full-text search over pages, items and tables");
  g_option_context_set_summary(ctx,
      "Finds pages, items and tables containing every word of QUERY (any\n"
      "length, 1 character and up; Japanese needs no spaces).  Prints\n"
      "municipality, file, page, whether the hit is a page, an item or a table\n"
      "(the text of its cells), and a snippet with the match in [brackets].");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("search", error);
    return KK_ERROR_USAGE;
  }
  const char *problem = csv && json ? "--csv and --json exclude each other"
                      : limit < 0 ? "-n/--limit takes 0 (all) or a positive number of hits"
                      : argc < 2 ? "give a QUERY" : NULL;
  if (problem != NULL) {
    fprintf(stderr, "keikaku: search: %s (see 'keikaku search --help')\n", problem);
    return KK_ERROR_USAGE;
  }
  g_autofree char *query = g_strjoinv(" ", argv + 1);
  sqlite3 *db = kk_db_open(db_path ? db_path : KK_DB_DEFAULT, KK_DB_READ_ONLY, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  g_autoptr(KkTable) table = kk_table_new();
  gboolean ok = kk_search_in(db, query, municipality, (guint)limit, table, &error);
  kk_db_close(db);
  if (ok) {
    KkFormat format = csv ? KK_FORMAT_CSV : json ? KK_FORMAT_JSON : KK_FORMAT_TABLE;
    ok = kk_table_write(table, format, isatty(STDOUT_FILENO) ? 40 : 0, stdout, &error);
  }
  if (!ok) {
    kk_report("search", error);
    return kk_exit_code(error);
  }
  if (!csv && !json)
    fprintf(stderr, "%u hit%s\n", table->rows->len, table->rows->len == 1 ? "" : "s");
  return KK_OK;
}
