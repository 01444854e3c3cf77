/*
 * cmd-compare.c — `keikaku compare [QUESTION] [--topic T] ...`: answers
 * questions across municipalities as an aligned table (terminal), CSV or
 * JSON Lines.  The questions and their columns are in kk-compare.h.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-compare.h"
#include "kk-db.h"

#include <stdio.h>
#include <unistd.h>

int kk_cmd_compare(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *topic = NULL, *role = NULL, *row = NULL, *column = NULL, *municipality = NULL;
  gint year = 0;
  gboolean csv = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "topic", 't', 0, G_OPTION_ARG_STRING, &topic,
      "only items/measures on this topic (ふるさと納税, DX, 人件費, 公共施設, … or any word)", "T" },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role, "targets: only this role (target, baseline, actual, limit, plan)", "R" },
    { "row", 0, 0, G_OPTION_ARG_STRING, &row, "series, facts: only rows whose label contains TEXT", "TEXT" },
    { "column", 0, 0, G_OPTION_ARG_STRING, &column, "facts: only columns whose label contains TEXT", "TEXT" },
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "facts: only this fiscal year (2022 = 令和4年度)", "Y" },
    { "municipality", 'm', 0, G_OPTION_ARG_STRING, &municipality, "only this municipality (name or lg_code)", "M" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "write CSV", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "write JSON Lines", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("[QUESTION] - compare plans across municipalities");
  g_option_context_set_summary(ctx,
      "QUESTION is one of:\n"
      "  overview      per municipality: documents, pages, items, measures, series (default)\n"
      "  items         the items of each municipality (--topic)\n"
      "  targets       targets, baselines, limits with values (money in yen), units,\n"
      "                fiscal years (--topic, --role); also 'measures'\n"
      "  achievements  achievement rate (%) per item, one column per fiscal year (--topic)\n"
      "  series        fiscal-outlook rows side by side, one column per fiscal year\n"
      "                (--row, --topic); also 'outlook'\n"
      "  budgets       item budgets in yen with their funding sources (--topic)\n"
      "  facts         the numbers of every table: one row label (--row) side by side\n"
      "                across municipalities and fiscal years (--column, --year)\n"
      "Fiscal years are the Gregorian year the 年度 begins (FY2022 = 令和4年度).");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("compare", error);
    return KK_ERROR_USAGE;
  }
  KkCompareQuestion question = KK_COMPARE_OVERVIEW;
  g_autofree char *problem = csv && json ? g_strdup("--csv and --json exclude each other")
                           : argc > 2 ? g_strdup("one QUESTION at most")
                           : argc == 2 && !kk_compare_question_parse(argv[1], &question)
                               ? g_strdup_printf("unknown question '%s'", argv[1]) : NULL;
  if (problem != NULL) {
    g_autofree char *safe = kk_escape_controls(problem);
    fprintf(stderr, "keikaku: compare: %s (see 'keikaku compare --help')\n", safe);
    return KK_ERROR_USAGE;
  }
  if (year != 0 && (year < 1868 || year > 2200)) {
    fprintf(stderr, "keikaku: compare: --year must be a Gregorian year such as 2022, not %d\n", year);
    return KK_ERROR_USAGE;
  }
  KkCompareFilter filter = { .topic = topic, .role = role, .row = row, .column = column, .year = year,
                             .municipality = municipality };
  sqlite3 *db = kk_db_open(db_path ? db_path : KK_DB_DEFAULT, KK_DB_READ_ONLY, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  g_autoptr(KkTable) table = kk_table_new();
  gboolean ok = kk_compare(db, question, &filter, table, &error);
  kk_db_close(db);
  if (ok) {
    KkFormat format = csv ? KK_FORMAT_CSV : json ? KK_FORMAT_JSON : KK_FORMAT_TABLE;
    ok = kk_table_write(table, format, isatty(STDOUT_FILENO) ? 36 : 60, stdout, &error);
  }
  if (!ok) {
    kk_report("compare", error);
    return kk_exit_code(error);
  }
  return KK_OK;
}
