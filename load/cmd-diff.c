/*
 * cmd-diff.c — `keikaku diff OLD.pdf NEW.pdf` (two files, through the
 * pipeline into a scratch database) or `keikaku diff --db FILE OLD NEW`
 * (two loaded documents) or `keikaku diff --db FILE --plan N` (its last
 * two editions): what changed (kk-diff.h), as text, CSV or JSON Lines.
 * Exit status like diff(1): 0 no change, 1 changes, 2 or more trouble.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "kk-diff.h"
#include "kk-ingest.h"
#include "kk-table.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* The document `ref` names in `db`: an id, a SHA-256 (or a prefix of at
 * least 8 hex digits), or the file as stored (or its ending /NAME). */
static gboolean find_document(sqlite3 *db, const char *ref, gint64 *id, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT id FROM documents WHERE (?2 AND id = CAST(?1 AS INTEGER))"
      " OR (?3 AND substr(sha256, 1, length(?1)) = lower(?1))"
      " OR file = ?1 OR file LIKE '%/' || ?1 LIMIT 2", error);
  if (st == NULL)
    return FALSE;
  gboolean numeric = *ref != '\0' && strspn(ref, "0123456789") == strlen(ref);
  sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, numeric);
  gsize len = strlen(ref);
  sqlite3_bind_int(st, 3, len >= 8 && len <= 64 && strspn(ref, "0123456789abcdefABCDEF") == len);
  int found = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    found++;
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(db, "find document", error);
  if (found != 1) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "%s: %s", ref,
                found ? "names more than one document" : "no such document in the database");
    return FALSE;
  }
  return TRUE;
}

/* The last two editions of plan `plan` (kk_editions). */
static gboolean plan_editions(sqlite3 *db, gint64 plan, gint64 *old_doc, gint64 *new_doc, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT document_id FROM kk_editions WHERE plan_id = ?1 ORDER BY edition_no DESC LIMIT 2", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, plan);
  int n = 0;
  while (sqlite3_step(st) == SQLITE_ROW)
    *(n++ == 0 ? new_doc : old_doc) = sqlite3_column_int64(st, 0);
  if (n < 2) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "plan %" G_GINT64_FORMAT " has %s", plan,
                n ? "one edition only" : "no editions (see v_item_history)");
    return FALSE;
  }
  return TRUE;
}

/* Runs the two PDFs through the pipeline into a scratch database under
 * `dir` and returns it with their document ids. */
static sqlite3 *ingest_pair(const char *dir, const char *old_pdf, const char *new_pdf, const char *patterns,
                            gint64 *old_doc, gint64 *new_doc, GError **error)
{
  g_autofree char *path = g_build_filename(dir, "diff.db", NULL);
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, error);
  if (db == NULL)
    return NULL;
  KkIngestOptions options;
  kk_ingest_options_init(&options);
  options.patterns_dir = patterns;
  const char *pdfs[2] = { old_pdf, new_pdf };
  gint64 *ids[2] = { old_doc, new_doc };
  for (int k = 0; k < 2; k++) {
    KkIngestResult result;
    g_autoptr(GError) local = NULL;
    if (!kk_ingest_file(db, pdfs[k], &options, &result, &local)) {
      g_set_error(error, KK_ERROR, local->code, "%s: %s", pdfs[k], local->message);
      kk_db_close(db);
      return NULL;
    }
    if (!find_document(db, result.digest.sha256, ids[k], error)) {
      kk_db_close(db);
      return NULL;
    }
  }
  return db;
}

/* Removes the scratch directory and its files. */
static void remove_scratch(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d)) != NULL) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
}

/* Text for people: one line per change, old and new values indented. */
static void write_text(GPtrArray *changes, FILE *out)
{
  static const char mark[] = { '+', '-', '~', '~' };
  for (guint i = 0; i < changes->len; i++) {
    const KkChange *c = g_ptr_array_index(changes, i);
    gboolean fact = c->field != NULL && g_str_has_prefix(c->field, "fact:");
    g_autofree char *pages = NULL;
    if (c->kind == KK_CHANGE_ADDED)
      pages = g_strdup_printf("p.%" G_GINT64_FORMAT, c->new_page);
    else if (c->kind == KK_CHANGE_REMOVED)
      pages = g_strdup_printf("p.%" G_GINT64_FORMAT, c->old_page);
    else
      pages = g_strdup_printf("p.%" G_GINT64_FORMAT " → p.%" G_GINT64_FORMAT, c->old_page, c->new_page);
    if (fact)
      fprintf(out, "%c %s %s (%s)\n", mark[c->kind], kk_change_name(c->kind), c->field, pages);
    else if (c->kind == KK_CHANGE_RENUMBERED)
      fprintf(out, "%c renumbered %s → %s %s (%s)\n", mark[c->kind], c->old_item_no ? c->old_item_no : "",
              c->item_no ? c->item_no : "", c->title ? c->title : "", pages);
    else if (c->kind == KK_CHANGE_CHANGED)
      fprintf(out, "%c changed %s %s: %s (%s)\n", mark[c->kind], c->item_no ? c->item_no : "",
              c->title ? c->title : "", c->field, pages);
    else
      fprintf(out, "%c %s %s %s (%s)\n", mark[c->kind], kk_change_name(c->kind), c->item_no ? c->item_no : "",
              c->title ? c->title : "", pages);
    if (c->kind != KK_CHANGE_CHANGED && !fact)
      continue;
    for (int side = 0; side < 2; side++) {
      const char *v = side ? c->new_value : c->old_value;
      if ((side == 0 && c->kind == KK_CHANGE_ADDED) || (side == 1 && c->kind == KK_CHANGE_REMOVED))
        continue;
      g_auto(GStrv) lines = g_strsplit(v ? v : "(none)", "\n", -1);
      for (guint l = 0; lines[l]; l++)
        fprintf(out, "    %c %s\n", side ? '+' : '-', lines[l]);
    }
  }
}

/* CSV or JSON Lines through kk-table.h. */
static gboolean write_table(GPtrArray *changes, KkFormat format, FILE *out, GError **error)
{
  g_autoptr(KkTable) t = kk_table_new();
  const char *cols[] = { "change", "item_no", "old_item_no", "title", "field", "old", "new", "old_page", "new_page" };
  for (gsize k = 0; k < G_N_ELEMENTS(cols); k++)
    kk_table_add_column(t, cols[k]);
  for (guint i = 0; i < changes->len; i++) {
    const KkChange *c = g_ptr_array_index(changes, i);
    GPtrArray *row = kk_table_add_row(t);
    kk_row_add_string(row, kk_change_name(c->kind));
    kk_row_add_string(row, c->item_no);
    kk_row_add_string(row, c->old_item_no);
    kk_row_add_string(row, c->title);
    kk_row_add_string(row, c->field);
    kk_row_add_string(row, c->old_value);
    kk_row_add_string(row, c->new_value);
    if (c->old_page > 0) kk_row_add_int(row, c->old_page); else kk_row_add_null(row);
    if (c->new_page > 0) kk_row_add_int(row, c->new_page); else kk_row_add_null(row);
  }
  return kk_table_write(t, format, 0, out, error);
}

int kk_cmd_diff(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *patterns = NULL;
  gboolean csv = FALSE, json = FALSE;
  gint64 plan = 0;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "compare two documents loaded in FILE", "FILE" },
    { "plan", 0, 0, G_OPTION_ARG_INT64, &plan, "with --db: the last two editions of plan N (v_item_history.plan)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV: change,item_no,old_item_no,title,field,old,new,old_page,new_page", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON Lines, one object per change, same members", NULL },
    { "patterns", 'p', 0, G_OPTION_ARG_FILENAME, &patterns, "pattern files directory (PDF mode; default: built-in)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("OLD NEW - what changed between two editions of a plan");
  g_option_context_set_summary(ctx,
      "OLD and NEW are two PDFs (run through the pipeline, no database needed),\n"
      "or with --db two loaded documents, each named by its id, SHA-256 (or\n"
      "a prefix of 8+ hex digits) or file name; --db FILE --plan N takes the\n"
      "plan's last two editions.  Items are matched by number, then by title\n"
      "(renumbered items); reported: added, removed, renumbered, and changed\n"
      "titles, departments, categories, fields, schedules, measures (targets),\n"
      "achievements and budgets, with pages on both sides; then table facts\n"
      "(matched by table title or position, row, column and fiscal year)\n"
      "added, removed and changed.\n"
      "Exit status: 0 no change, 1 changes, 2 usage, 3 unreadable input, 8 database,\n"
      "other codes as for ingest.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    kk_report("diff", error);
    return KK_ERROR_USAGE;
  }
  int want = plan ? 1 : 3;
  if (argc != want || (csv && json) || (plan && !db_path)) {
    fprintf(stderr, "keikaku: diff: name OLD and NEW (or --db FILE --plan N); see 'keikaku diff --help'\n");
    return KK_ERROR_USAGE;
  }
  sqlite3 *db = NULL;
  gint64 old_doc = 0, new_doc = 0;
  g_autofree char *scratch = NULL;
  if (db_path) {
    db = kk_db_open(db_path, KK_DB_READ_ONLY, &error);
    if (db != NULL && !(plan ? plan_editions(db, plan, &old_doc, &new_doc, &error)
                             : (find_document(db, argv[1], &old_doc, &error) &&
                                find_document(db, argv[2], &new_doc, &error)))) {
      kk_db_close(db);
      db = NULL;
    }
  } else if ((scratch = g_dir_make_tmp("keikaku-diff-XXXXXX", &error)) != NULL) {
    db = ingest_pair(scratch, argv[1], argv[2], patterns, &old_doc, &new_doc, &error);
  }
  g_autoptr(GPtrArray) changes = db ? kk_diff_documents(db, old_doc, new_doc, &error) : NULL;
  kk_db_close(db);
  if (scratch)
    remove_scratch(scratch);
  if (changes == NULL) {
    kk_report("diff", error);
    return kk_exit_code(error) == KK_ERROR_PARTIAL ? KK_ERROR_INTERNAL : kk_exit_code(error);
  }
  gboolean ok = TRUE;
  if (csv || json)
    ok = write_table(changes, csv ? KK_FORMAT_CSV : KK_FORMAT_JSON, stdout, &error);
  else
    write_text(changes, stdout);
  if (fflush(stdout) != 0 && ok) {
    g_set_error(&error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    ok = FALSE;
  }
  if (!ok) {
    kk_report("diff", error);
    return kk_exit_code(error);
  }
  return changes->len > 0 ? 1 : 0;
}
