/*
 * cmd-patterns.c — `keikaku patterns SUBCOMMAND`: tools for people who write
 * pattern files.
 *
 *   patterns score [--min-f1 X] FILE   precision, recall and F1 per document,
 *                                      per family and overall, from the
 *                                      counts `parse --gold` printed
 *   patterns check DIR [PAGES.jsonl…]  lint a pattern directory against
 *                                      documents (patterns/check.c)
 *   patterns draft FILE.pdf|PAGES.jsonl a first pattern file for a new
 *                                      layout (patterns/draft.c)
 *
 * F1 is computed here and in `parse --gold` by the same functions of
 * gold.c (tests/accuracy.sh prints only what these print).
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "patterns/gold.h"
#include "patterns/check.h"
#include "patterns/draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of a score file: "SET FAMILY NAME TP FP FN". */
typedef struct {
  char *set, *family, *name;
  KpScore score;
} ScoreLine;

/* Frees a ScoreLine. */
static void score_line_free(gpointer data)
{
  ScoreLine *l = data;
  g_free(l->set);
  g_free(l->family);
  g_free(l->name);
  g_free(l);
}

/* Adds `b`'s counts to `a`. */
static void score_add(KpScore *a, const KpScore *b)
{
  a->tp += b->tp;
  a->fp += b->fp;
  a->fn += b->fn;
}

/* One line of the table: precision, recall, F1, and a mark under `min`. */
static void print_row(const char *what, const char *family, const KpScore *s, double min)
{
  double f1 = kp_score_f1(s);
  printf("%-44s %-20s %9.4f %7.4f %7.4f%s\n", what, family, kp_score_precision(s), kp_score_recall(s), f1,
         min > 0 && f1 + 1e-9 < min ? "  < min" : "");
}

/* Reads the score file; NULL with an error naming the file and line. */
static GPtrArray *read_scores(const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  if (!g_file_get_contents(path, &text, NULL, &local)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: %s", path, local->message);
    return NULL;
  }
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(score_line_free);
  g_auto(GStrv) rows = g_strsplit(text, "\n", -1);
  for (int i = 0; rows[i]; i++) {
    if (*g_strstrip(rows[i]) == '\0' || rows[i][0] == '#')
      continue;
    g_auto(GStrv) tok = g_strsplit_set(rows[i], " \t", -1);
    const char *w[6];
    int n = 0;
    for (int k = 0; tok[k] && n < 6; k++)
      if (*tok[k])
        w[n++] = tok[k];
    char *e1 = NULL, *e2 = NULL, *e3 = NULL;
    guint64 tp = n == 6 ? g_ascii_strtoull(w[3], &e1, 10) : 0;
    guint64 fp = n == 6 ? g_ascii_strtoull(w[4], &e2, 10) : 0;
    guint64 fn = n == 6 ? g_ascii_strtoull(w[5], &e3, 10) : 0;
    if (n != 6 || *e1 || *e2 || *e3 || tp > G_MAXUINT32 || fp > G_MAXUINT32 || fn > G_MAXUINT32) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%d: want 'SET FAMILY NAME TP FP FN'", path, i + 1);
      return NULL;
    }
    ScoreLine *l = g_new0(ScoreLine, 1);
    l->set = g_strdup(w[0]);
    l->family = g_strdup(w[1]);
    l->name = g_strdup(w[2]);
    l->score.tp = (guint)tp;
    l->score.fp = (guint)fp;
    l->score.fn = (guint)fn;
    g_ptr_array_add(lines, l);
  }
  return g_steal_pointer(&lines);
}

/* `patterns score`: per document, per set and family, per set. */
static int cmd_score(int argc, char **argv)
{
  double min = 0;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "min-f1", 0, 0, G_OPTION_ARG_DOUBLE, &min, "exit 1 if a document's F1 is below X", "X" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "FILE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - F1 per document, family and set");
  g_option_context_set_summary(ctx,
      "FILE has one line per document: SET FAMILY NAME TP FP FN (the counts that\n"
      "`keikaku parse --gold` prints).  Prints precision, recall and F1 per document,\n"
      "per family of each set and per set.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "keikaku: patterns score: %s\n", error->message);
    return KK_ERROR_USAGE;
  }
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL || min < 0 || min > 1) {
    fprintf(stderr, "keikaku: patterns score: give one FILE (and --min-f1 between 0 and 1)\n");
    return KK_ERROR_USAGE;
  }
  g_autoptr(GPtrArray) lines = read_scores(rest[0], &error);
  if (lines == NULL) {
    kk_report("patterns score", error);
    return kk_exit_code(error);
  }
  gboolean below = FALSE;
  printf("%-44s %-20s %9s %7s %7s\n", "document", "family", "precision", "recall", "F1");
  for (guint i = 0; i < lines->len; i++) {
    ScoreLine *l = g_ptr_array_index(lines, i);
    g_autofree char *what = g_strdup_printf("%s/%s", l->set, l->name);
    print_row(what, l->family, &l->score, min);
    if (kp_score_f1(&l->score) + 1e-9 < min)
      below = TRUE;
  }
  printf("\n");
  /* sets and families in order of first appearance */
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < lines->len; i++) {
    ScoreLine *l = g_ptr_array_index(lines, i);
    g_autofree char *key = g_strdup_printf("%s\t%s", l->set, l->family);
    gboolean dup = FALSE;
    for (guint k = 0; k < seen->len && !dup; k++)
      dup = strcmp(g_ptr_array_index(seen, k), key) == 0;
    if (dup)
      continue;
    g_ptr_array_add(seen, g_strdup(key));
    KpScore sum = { { 0 }, 0, 0, 0 };
    for (guint k = i; k < lines->len; k++) {
      ScoreLine *m = g_ptr_array_index(lines, k);
      if (strcmp(m->set, l->set) == 0 && strcmp(m->family, l->family) == 0)
        score_add(&sum, &m->score);
    }
    g_autofree char *what = g_strdup_printf("%s family", l->set);
    print_row(what, l->family, &sum, 0);
  }
  g_ptr_array_set_size(seen, 0);
  for (guint i = 0; i < lines->len; i++) {
    ScoreLine *l = g_ptr_array_index(lines, i);
    gboolean dup = FALSE;
    for (guint k = 0; k < seen->len && !dup; k++)
      dup = strcmp(g_ptr_array_index(seen, k), l->set) == 0;
    if (dup)
      continue;
    g_ptr_array_add(seen, g_strdup(l->set));
    KpScore sum = { { 0 }, 0, 0, 0 };
    for (guint k = i; k < lines->len; k++) {
      ScoreLine *m = g_ptr_array_index(lines, k);
      if (strcmp(m->set, l->set) == 0)
        score_add(&sum, &m->score);
    }
    g_autofree char *what = g_strdup_printf("%s overall", l->set);
    print_row(what, "", &sum, 0);
  }
  return below ? KK_ERROR_PARTIAL : KK_OK;
}

/* The subcommands, for --help and mistakes. */
static void usage(FILE *out)
{
  fprintf(out,
          "usage: keikaku patterns SUBCOMMAND [OPTIONS] [ARGS]\n\n"
          "  check DIR [PAGES.jsonl...]  load a pattern directory and lint it against documents:\n"
          "                              family chosen, tables a section took without records,\n"
          "                              rules that never matched\n"
          "  draft FILE.pdf|PAGES.jsonl  write a first pattern file from the document's label cells,\n"
          "                              list header rows and fiscal-year columns, to edit\n"
          "  score [--min-f1 X] FILE     precision, recall and F1 per document, family and set\n\n"
          "'keikaku patterns SUBCOMMAND --help' describes one; patterns/README.md the format.\n");
}

/* `keikaku patterns SUBCOMMAND …` (kk-commands.h). */
int kk_cmd_patterns(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return KK_ERROR_USAGE;
  }
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
    usage(stdout);
    return KK_OK;
  }
  g_autofree char *prgname = g_strconcat("keikaku patterns ", sub, NULL);
  if (strcmp(sub, "score") == 0) {
    g_set_prgname(prgname);
    return cmd_score(argc - 1, argv + 1);
  }
  if (strcmp(sub, "draft") == 0) {
    g_set_prgname(prgname);
    return kp_cmd_draft(argc - 1, argv + 1);
  }
  if (strcmp(sub, "check") == 0) {
    g_set_prgname(prgname);
    return kp_cmd_check(argc - 1, argv + 1);
  }
  fprintf(stderr, "keikaku: patterns: '%s' is not a subcommand; see 'keikaku patterns --help'\n", sub);
  return KK_ERROR_USAGE;
}
