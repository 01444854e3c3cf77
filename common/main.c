/*
 * main.c — `keikaku COMMAND [ARGS]`: dispatches to the stage commands.
 */
#include "kk-commands.h"
#include "kk-error.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} KkCommand;

static const KkCommand commands[] = {
  { "extract",   kk_cmd_extract,   "PDF -> pages JSON Lines (text lines, tables)" },
  { "tables",    kk_cmd_tables,    "show the tables extract finds: text grids, --csv DIR or --json" },
  { "normalize", kk_cmd_normalize, "pages JSON Lines -> normalized, annotated pages; --annotate for plain text" },
  { "parse",     kk_cmd_parse,     "normalized pages -> records JSON Lines, by the pattern files" },
  { "patterns",  kk_cmd_patterns,  "pattern files: check a family against documents, score parse against gold" },
  { "load",      kk_cmd_load,      "records JSON Lines -> SQLite database" },
  { "ingest",    kk_cmd_ingest,    "PDF files/directories -> SQLite (all four stages)" },
  { "compare",   kk_cmd_compare,   "compare items, targets and series across municipalities" },
  { "search",    kk_cmd_search,    "full-text search over pages and items" },
  { "export",    kk_cmd_export,    "write a public table as CSV or JSON Lines" },
  { "merge",     kk_cmd_merge,     "merge databases built on separate machines" },
  { "diff",      kk_cmd_diff,      "what changed between two editions of a plan" },
  { "review",    kk_cmd_review,    "HTML page of low-confidence OCR values beside crops of their pages" },
};

static void usage(FILE *out)
{
  fprintf(out,
          "usage: keikaku COMMAND [OPTIONS] [ARGS]\n"
          "       keikaku --help | --version\n\n"
          "Turns Japanese municipal plan PDFs into one comparable SQLite database.\n\n"
          "Commands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n'keikaku COMMAND --help' describes a command; README.md lists exit statuses.\n");
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    usage(stderr);
    return KK_ERROR_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    usage(stdout);
    return KK_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("keikaku %s\n", KK_VERSION);
    return KK_OK;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(name, commands[i].name) == 0) {
      /* so GOption's usage line reads "keikaku extract [OPTION…]" */
      g_autofree char *prgname = g_strconcat("keikaku ", name, NULL);
      g_set_prgname(prgname);
      return commands[i].run(argc - 1, argv + 1);
    }
  fprintf(stderr, "keikaku: '%s' is not a command; see 'keikaku --help'\n", name);
  return KK_ERROR_USAGE;
}
