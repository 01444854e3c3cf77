/*
 * cmd-parse.c — `keikaku parse [--patterns DIR] [--explain] [--gold FILE]
 * [FILE|-]`: normalized pages JSON Lines in, records JSON Lines out.
 *
 * --explain prints, instead of records, which family was chosen and why,
 * which rule produced every record and field, each table's grid and the
 * section that took it, and the labelled cells no rule used.  --gold
 * compares the records with a gold records file, prints precision, recall
 * and F1, and exits 1 when F1 is below --min-f1 (default 0.98, the
 * project's bar; tests/accuracy.sh).
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "patterns/parse.h"
#include "patterns/gold.h"
#include "common/kk-gazetteer.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  KkParser *parser;
  GPtrArray *collected;   /* with --gold: the records, else NULL */
  KkStreamShape shape;    /* document ... end, format and version checked */
} ParseRun;

static gboolean collect_sink(JsonObject *o, gpointer data, GError **error)
{
  g_ptr_array_add(data, json_object_ref(o));
  return TRUE;
}

static gboolean feed_sink(JsonObject *o, gpointer data, GError **error)
{
  ParseRun *run = data;
  if (!kk_stream_shape_step(&run->shape, o, error))
    return FALSE;
  if (run->collected)
    return kk_parser_feed(run->parser, o, collect_sink, run->collected, error);
  return kk_parser_feed(run->parser, o, kk_jsonl_sink_file, stdout, error);
}

static gboolean explain_feed_sink(JsonObject *o, gpointer data, GError **error)
{
  ParseRun *run = data;
  if (!kk_stream_shape_step(&run->shape, o, error))
    return FALSE;
  return kk_parser_feed(run->parser, o, kk_jsonl_sink_null, NULL, error);
}

int kk_cmd_parse(int argc, char **argv)
{
  g_autofree char *patterns = NULL;
  g_autofree char *gold = NULL;
  g_autofree char *only = NULL;
  g_autofree char *municipality = NULL;
  gboolean explain = FALSE;
  double min_f1 = 0.98;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "patterns", 'p', 0, G_OPTION_ARG_FILENAME, &patterns, "pattern directory (default: patterns/families beside the binary, or $KEIKAKU_PATTERNS)", "DIR" },
    { "explain", 'e', 0, G_OPTION_ARG_NONE, &explain, "show the family chosen, the rule behind every record and field, and labelled cells no rule used (instead of records)", NULL },
    { "gold", 'g', 0, G_OPTION_ARG_FILENAME, &gold, "compare the records with a gold records file; print precision, recall and F1", "FILE" },
    { "min-f1", 0, 0, G_OPTION_ARG_DOUBLE, &min_f1, "with --gold: exit 1 if F1 is below X (default 0.98)", "X" },
    { "facts", 0, 0, G_OPTION_ARG_STRING, &only, "with --gold: compare only facts of these kinds: record types (measure, budget, item: attributes, …) and field", "KIND,…" },
    { "municipality", 0, 0, G_OPTION_ARG_STRING, &municipality, "the municipality of a document that never names its own (name or lg_code; its own name wins when it gives one)", "NAME|LG_CODE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "[FILE|-]" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("- normalized pages JSON Lines to records");
  g_option_context_set_summary(ctx,
      "Reads normalized pages (keikaku normalize) and writes records for keikaku load,\n"
      "as the pattern files (*.kpat, see patterns/README.md) describe each document family.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("parse", error);
    return KK_ERROR_USAGE;
  }
  if (rest && rest[0] && rest[1]) {
    fprintf(stderr, "keikaku: parse: one input at most (FILE or -)\n");
    return KK_ERROR_USAGE;
  }
  const char *input = rest && rest[0] ? rest[0] : "-";
  if (min_f1 < 0 || min_f1 > 1) {
    fprintf(stderr, "keikaku: parse: --min-f1 wants a number from 0 to 1\n");
    return KK_ERROR_USAGE;
  }

  const KkLgCode *place = NULL;
  if (municipality && (place = kk_gazetteer_given_place(municipality, &error)) == NULL) {
    kk_report("parse", error);
    return KK_ERROR_USAGE;
  }
  g_autoptr(KkParser) parser = kk_parser_new(patterns, &error);
  if (parser == NULL) {
    kk_report("parse", error);
    return kk_exit_code(error);
  }
  kk_parser_set_given_place(parser, place);
  ParseRun run = { .parser = parser };
  kk_stream_shape_init(&run.shape, "keikaku-pages", strcmp(input, "-") == 0 ? "<stdin>" : input);
  g_autoptr(GPtrArray) collected = NULL;
  if (gold) {
    collected = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
    run.collected = collected;
  }
  KkSink sink = feed_sink;
  if (explain && !gold) {
    kk_parser_set_explain(parser, stdout);
    sink = explain_feed_sink;
  }
  /* a cut stream's records were never written (they are spooled until
   * the pages `end`), so nothing half-derived reaches load */
  if (!kk_jsonl_read_path(input, 0, sink, &run, &error) || !kk_stream_shape_finish(&run.shape, &error)) {
    kk_report("parse", error);
    return kk_exit_code(error);
  }
  if (gold) {
    KpScore score;
    if (!kp_gold_compare_file(collected, gold, only, &score, stdout, &error)) {
      kk_report("parse", error);
      return kk_exit_code(error);
    }
    printf("%s %s tp=%u fp=%u fn=%u precision=%.4f recall=%.4f f1=%.4f\n",
           score.family[0] ? score.family : "-", input, score.tp, score.fp, score.fn,
           kp_score_precision(&score), kp_score_recall(&score), kp_score_f1(&score));
    if (kp_score_f1(&score) + 1e-9 < min_f1) {
      fprintf(stderr, "keikaku: parse: %s: F1 %.4f is below --min-f1 %.4f\n",
              strcmp(input, "-") == 0 ? "<stdin>" : input, kp_score_f1(&score), min_f1);
      return KK_ERROR_PARTIAL;
    }
    return KK_OK;
  }
  return KK_OK; /* main() reports a write error on stdout */
}
