/*
 * check.c — `keikaku patterns check DIR [PAGES.jsonl…]`: loads every
 * pattern file of DIR (a broken one is reported as parse reports it), then
 * parses each pages file with them and lists, per document, the family
 * chosen and the warnings (tables a section took without making records);
 * at the end, per family chosen, the rules that never matched any of the
 * documents, and the families no document chose.  Exit status 0 when
 * every document got a family and no warning, 1 otherwise, 7 for a broken
 * pattern file, 3 for an unreadable pages file.
 */
#include "patterns/check.h"
#include "patterns/engine.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  KkParser *parser;
  const char *path;
  GHashTable *chosen;   /* KpFamily* -> count of documents */
  int documents, unmatched;
} CheckRun;

/* Feeds one object (its records dropped: check wants the diagnostics
 * only); after a document's end, notes the family chosen. */
static gboolean check_feed(JsonObject *o, gpointer data, GError **error)
{
  CheckRun *run = data;
  if (!kk_parser_feed(run->parser, o, kk_jsonl_sink_null, NULL, error))
    return FALSE;
  if (g_strcmp0(kk_json_string(o, "type", ""), "end") != 0 || run->parser->st == NULL)
    return TRUE;
  KpFamily *fam = run->parser->st->family;
  run->documents++;
  const char *file = kk_json_string(run->parser->st->doc_in, "file", run->path);
  if (fam == NULL) {
    run->unmatched++;
    printf("%s: no family matched\n", file);
    return TRUE;
  }
  g_hash_table_replace(run->chosen, fam, GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(run->chosen, fam)) + 1));
  printf("%s: family %s\n", file, fam->id);
  return TRUE;
}

/* The subcommand (check.h). */
int kp_cmd_check(int argc, char **argv)
{
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "DIR [PAGES.jsonl...]" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("DIR [PAGES.jsonl...] - lint a pattern directory against documents");
  g_option_context_set_summary(ctx,
      "Loads the pattern files of DIR, parses each pages file (keikaku extract | keikaku\n"
      "normalize) with them, and lists the family chosen for each document, tables a\n"
      "section took without making records, rules that never matched and families no\n"
      "document chose.  Exit status 1 if a document got no family or a warning.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "keikaku: patterns check: %s\n", error->message);
    return KK_ERROR_USAGE;
  }
  if (rest == NULL || rest[0] == NULL) {
    fprintf(stderr, "keikaku: patterns check: give the pattern directory (and pages files)\n");
    return KK_ERROR_USAGE;
  }
  g_autoptr(KkParser) parser = kk_parser_new(rest[0], &error);
  if (parser == NULL) {
    kk_report("patterns check", error);
    return kk_exit_code(error);
  }
  printf("%s: %u pattern families loaded\n", rest[0], kk_parser_family_count(parser));
  g_autoptr(GHashTable) chosen = g_hash_table_new(NULL, NULL);
  CheckRun run = { parser, NULL, chosen, 0, 0 };
  for (int i = 1; rest[i]; i++) {
    run.path = rest[i];
    guint before = parser->diagnostics->len;
    if (!kk_jsonl_read_path(rest[i], 0, check_feed, &run, &error)) {
      kk_report(rest[i], error);
      return kk_exit_code(error);
    }
    for (guint k = before; k < parser->diagnostics->len; k++)
      printf("  warning: %s\n", (const char *)g_ptr_array_index(parser->diagnostics, k));
  }
  if (run.documents == 0)
    return KK_OK;
  /* rules that never matched, for the families documents chose */
  guint nothing = 0;
  for (guint f = 0; f < parser->families->len; f++) {
    KpFamily *fam = g_ptr_array_index(parser->families, f);
    int n = GPOINTER_TO_INT(g_hash_table_lookup(chosen, fam));
    if (n == 0) {
      printf("family %s: chosen for no document\n", fam->id);
      continue;
    }
    guint never = 0;
    for (guint i = 0; i < fam->rules->len; i++) {
      const KpRule *r = g_ptr_array_index(fam->rules, i);
      never += r->re && r->hits == 0;
    }
    printf("family %s: %d document%s, %u rule%s never matched\n", fam->id, n, n == 1 ? "" : "s", never,
           never == 1 ? "" : "s");
    for (guint i = 0; i < fam->rules->len; i++) {
      const KpRule *r = g_ptr_array_index(fam->rules, i);
      if (r->re && r->hits == 0)
        printf("  %s:%d [%s] %s /%s/\n", fam->path, r->line, kp_section_name(r->section), r->directive, r->re_src);
    }
    /* a rule that matched and made nothing is a warning: it looks used */
    for (guint i = 0; i < fam->rules->len; i++) {
      const KpRule *r = g_ptr_array_index(fam->rules, i);
      const char *why = kp_rule_made_nothing(r);
      if (why == NULL)
        continue;
      printf("  warning: %s:%d [%s] %s /%s/ %s\n", fam->path, r->line, kp_section_name(r->section), r->directive,
             r->re_src, why);
      nothing++;
    }
  }
  guint warnings = parser->diagnostics->len + nothing;
  printf("%d document%s, %d without a family, %u warning%s\n", run.documents, run.documents == 1 ? "" : "s",
         run.unmatched, warnings, warnings == 1 ? "" : "s");
  return run.unmatched > 0 || warnings > 0 ? KK_ERROR_PARTIAL : KK_OK;
}
