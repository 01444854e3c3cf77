/*
 * kk-commands.h — the subcommands of the one `keikaku` binary (git-style).
 *
 * Each command is `int kk_cmd_NAME(int argc, char **argv)`: argv[0] is the
 * command name, the return value is the exit status (see kk-error.h).  Each
 * stage directory defines its own commands in a cmd-*.c file.
 */
#ifndef KK_COMMANDS_H
#define KK_COMMANDS_H

#include <glib.h>

#define KK_VERSION "0.1.0"

/* g_option_context_parse() as every command uses it: `--` ends the options
 * and is not itself an argument (`keikaku extract -- -x.pdf`).  Fails like
 * g_option_context_parse() (the caller reports a usage error). */
gboolean kk_options_parse(GOptionContext *context, int *argc, char ***argv, GError **error);

int kk_cmd_extract(int argc, char **argv);   /* extract/cmd-extract.c */
int kk_cmd_tables(int argc, char **argv);    /* extract/cmd-tables.c */
int kk_cmd_normalize(int argc, char **argv); /* normalize/cmd-normalize.c */
int kk_cmd_parse(int argc, char **argv);     /* patterns/cmd-parse.c */
int kk_cmd_patterns(int argc, char **argv);  /* patterns/cmd-patterns.c */
int kk_cmd_load(int argc, char **argv);      /* load/cmd-load.c */
int kk_cmd_ingest(int argc, char **argv);    /* load/cmd-ingest.c */
int kk_cmd_compare(int argc, char **argv);   /* load/cmd-compare.c */
int kk_cmd_search(int argc, char **argv);    /* load/cmd-search.c */
int kk_cmd_export(int argc, char **argv);    /* load/cmd-export.c */
int kk_cmd_merge(int argc, char **argv);     /* load/cmd-merge.c */
int kk_cmd_diff(int argc, char **argv);      /* load/cmd-diff.c */
int kk_cmd_review(int argc, char **argv);    /* load/cmd-review.c */

#endif
