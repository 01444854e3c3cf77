/*
 * cmd-ingest.c — `keikaku ingest [--db FILE] PATH...`: PDFs (files, or
 * directories searched recursively for *.pdf) through the four stages into
 * the database, one transaction per document, going on past bad files and
 * ending with a summary.  Exit status 0 when every file went in (or was
 * already there), 1 when some failed, 2 for usage errors, 7 when the
 * pattern directory does not load, 8 when the database itself cannot be
 * used (checked once before the batch, and the batch stops when it fails).
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "kk-ingest.h"
#include "kk-ingest-report.h"
#include "kk-editions.h"

#include "patterns/parse.h"
#include "common/kk-gazetteer.h"
#include "normalize/normalize.h"
#include "extract/pdf-core.h"
#include <gio/gio.h>

#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Most files one run takes (directories can be large, but not endless). */
#define MAX_FILES 1000000u

static gint compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the *.pdf files under `dir` (recursively, sorted, symlinked
 * directories not followed) to `files`. */
static void add_directory(const char *dir, GPtrArray *files, guint depth)
{
  if (depth > 64 || files->len >= MAX_FILES)
    return;
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d == NULL) {
    g_ptr_array_add(files, g_strdup(dir)); /* reported as a failure later */
    return;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL)
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, compare_strings);
  for (guint i = 0; i < names->len && files->len < MAX_FILES; i++) {
    g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    if (g_file_test(path, G_FILE_TEST_IS_SYMLINK) && g_file_test(path, G_FILE_TEST_IS_DIR))
      continue;
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      add_directory(path, files, depth + 1);
    } else {
      g_autofree char *lower = g_ascii_strdown(path, -1);
      if (g_str_has_suffix(lower, ".pdf"))
        g_ptr_array_add(files, g_steal_pointer(&path));
    }
  }
}

/* Space the database's file system must have free for a batch to start. */
#define MIN_FREE_BYTES (1024u * 1024u)

/* Opens the database and checks what would make every file of the batch
 * fail: a database that cannot be written (a read-only file, kk_db_open();
 * a directory where the WAL files cannot be made),
 * a full file system (KK_ERROR_DATABASE) and a pattern directory that does
 * not load (KK_ERROR_PATTERN).  The pattern files it loaded are handed
 * back in *loaded for the workers. */
static sqlite3 *preflight(const char *db_path, const char *patterns, KkParser **loaded, GError **error)
{
  g_autoptr(KkParser) parser = kk_parser_new(patterns, error);
  if (parser == NULL)
    return NULL;
  sqlite3 *db = kk_db_open(db_path, KK_DB_READ_WRITE, error);
  if (db == NULL)
    return NULL;
  /* taking the write lock creates the WAL files a write needs */
  if (!kk_db_begin_write(db, error)) {
    g_prefix_error(error, "%s: ", db_path);
    kk_db_close(db);
    return NULL;
  }
  kk_db_rollback(db);
  g_autofree char *dir = g_path_get_dirname(db_path);
  struct statvfs fs;
  if (statvfs(dir, &fs) == 0 && (guint64)fs.f_bavail * fs.f_frsize < MIN_FREE_BYTES) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: no space left on the database's file system", db_path);
    kk_db_close(db);
    return NULL;
  }
  *loaded = g_steal_pointer(&parser);
  return db;
}

/* Builds in this process the tables every worker would otherwise build
 * again for each document: the gazetteer's index, ICU's filtered NFKC, the
 * eras read from ICU's Japanese calendar, the unit table and Poppler's
 * global parameters.  Workers are forks (of the fork server, in a batch)
 * and find them built (about 5 ms of CPU per document).  Not for one
 * file: there they are built once either way. */
static void warm_worker_tables(void)
{
  kk_pdf_keep_globals();
  kk_gazetteer_scan_free(kk_gazetteer_scan_new());
  g_autoptr(JsonObject) line = json_object_new();
  json_object_set_string_member(line, "text", "令和6年度の目標は1億5,000万円、85%、81件");
  JsonArray *lines = json_array_new();
  json_array_add_object_element(lines, g_steal_pointer(&line));
  g_autoptr(JsonObject) page = json_object_new();
  json_object_set_string_member(page, "type", "page");
  json_object_set_array_member(page, "lines", lines);
  (void)kk_normalize_pages_object(page, NULL);
}

typedef struct {
  gboolean tty, quiet;
  gboolean json;       /* --json: JSON Lines on stdout (kk-ingest-report.h) */
  guint done, total;
  guint loaded, unchanged, reprocessed;
  guint64 pages;
  gint64 started;
  GPtrArray *failures; /* "FILE: reason" */
} Batch;

/* Rewrites the progress line (stderr is a terminal only).  The cursor goes
 * back to the start of the line, so a warning printed while the document
 * is processed (by the stages' child) writes over it, not after it. */
static void progress(Batch *b, const char *file)
{
  if (!b->tty)
    return;
  double secs = (double)(g_get_monotonic_time() - b->started) / 1e6;
  g_autofree char *base = g_path_get_basename(file);
  g_autofree char *safe = kk_escape_controls(base);
  fprintf(stderr, "\r\033[K[%u/%u] %.1f pages/s  %s\r", b->done, b->total,
          secs > 0 ? (double)b->pages / secs : 0.0, safe);
  fflush(stderr);
}

/* Counts and prints one finished file. */
static void record(const char *file, gboolean ok, const KkIngestResult *r, const GError *e, gpointer data)
{
  Batch *b = data;
  b->done++;
  if (b->tty)
    fprintf(stderr, "\r\033[K");
  if (!ok) {
    g_autofree char *line = g_strdup_printf("%s: %s", file, e ? e->message : "failed");
    g_ptr_array_add(b->failures, kk_escape_controls(line)); /* a file name may hold controls */
    kk_report(file, e);
    if (b->json)
      kk_ingest_report_file(stdout, file, ok, r, e);
  } else {
    if (r->outcome == KK_LOAD_LOADED) b->loaded++;
    else if (r->outcome == KK_LOAD_UNCHANGED) b->unchanged++;
    else b->reprocessed++;
    if (r->outcome != KK_LOAD_UNCHANGED)
      b->pages += r->pages;
    if (b->json) {
      kk_ingest_report_file(stdout, file, ok, r, e);
    } else if (!b->quiet) {
      g_autofree char *safe = kk_escape_controls(file);
      printf("%s: %s\n", safe, kk_load_outcome_name(r->outcome));
    }
    fflush(stdout);
  }
  progress(b, file);
}

/* The batch waits for `file` next. */
static void next_file(const char *file, gpointer data)
{
  progress(data, file);
}

int kk_cmd_ingest(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *patterns = NULL, *municipality = NULL, *ocr = NULL;
  gboolean reprocess = FALSE, quiet = FALSE, json = FALSE;
  gint jobs = 1;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "reprocess", 0, 0, G_OPTION_ARG_NONE, &reprocess,
      "re-derive documents already loaded when the pipeline or their pattern file changed "
      "(from the files named, or with no PATH from the stored extract output)", NULL },
    { "patterns", 'p', 0, G_OPTION_ARG_FILENAME, &patterns, "pattern files directory (default: built-in)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print only failures and the summary", NULL },
    { "municipality", 0, 0, G_OPTION_ARG_STRING, &municipality,
      "the municipality of documents that never name their own (name, 高知県南国市, or lg_code 392049); "
      "a document that names its municipality keeps it", "NAME|LG_CODE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "JSON Lines on stdout for scheduled jobs: one object per file (outcome, status, message), "
      "then a summary object (see README.md, 'Scheduled jobs')", NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
      "documents in flight at once, each in its own worker process (default 1; 0 = one per core); "
      "this process alone writes the database, in input order", "N" },
    { "ocr", 0, 0, G_OPTION_ARG_STRING, &ocr,
      "pages extract reads by OCR (Tesseract): auto = pages without a text layer (default), force = every page, "
      "never (as keikaku extract --ocr)", "auto|force|never" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("PATH... - PDFs through all four stages into SQLite");
  g_option_context_set_summary(ctx,
      "Each PATH is a PDF or a directory searched recursively for *.pdf.  Each\n"
      "document is written in one transaction; a document already in the\n"
      "database (same SHA-256 of its bytes) is left unchanged.  The batch goes\n"
      "on past bad files and ends with a summary.  With -j N, N worker\n"
      "processes run the stages at once; documents are still written and\n"
      "reported in input order, so the output and the database are those of -j 1.\n"
      "Exit status: 0 all went in, 1 some files failed, 2 usage, 7 pattern directory\n"
      "unusable, 8 database unusable (read-only, disk full, damaged): reported once,\n"
      "before any file is read or as soon as the database fails; 3 standard output\n"
      "cannot be written.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("ingest", error);
    return KK_ERROR_USAGE;
  }
  if (jobs < 0 || jobs > 256) {
    fprintf(stderr, "keikaku: ingest: -j takes 0 (one per core) to 256\n");
    return KK_ERROR_USAGE;
  }
  if (jobs == 0)
    jobs = (gint)kk_ingest_default_jobs();
  const KkLgCode *place = NULL;
  if (municipality && (place = kk_gazetteer_given_place(municipality, &error)) == NULL) {
    kk_report("ingest", error);
    return KK_ERROR_USAGE;
  }
  KkOcrMode ocr_mode = KK_OCR_AUTO;
  if (ocr && !kk_ocr_mode_parse(ocr, &ocr_mode)) {
    fprintf(stderr, "keikaku: ingest: --ocr wants auto, force or never, got '%s'\n", ocr);
    return KK_ERROR_USAGE;
  }
  if (argc < 2 && !reprocess) {
    fprintf(stderr, "keikaku: ingest: name at least one PDF or directory (see 'keikaku ingest --help')\n");
    return KK_ERROR_USAGE;
  }
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
  for (int i = 1; i < argc; i++) {
    if (g_file_test(argv[i], G_FILE_TEST_IS_DIR))
      add_directory(argv[i], files, 0);
    else
      g_ptr_array_add(files, g_strdup(argv[i]));
  }
  /* what would fail every file is found once, before any file is read */
  g_autoptr(KkParser) parser = NULL; /* loaded once; every worker forks with it */
  sqlite3 *db = preflight(db_path ? db_path : KK_DB_DEFAULT, patterns, &parser, &error);
  if (db == NULL) {
    kk_report("ingest", error);
    if (json)
      kk_ingest_report_summary(stdout, 0, 0, 0, 0, kk_exit_code(error), error);
    return kk_exit_code(error);
  }
  /* one file: its worker builds what it needs (nothing, when the file
   * is known) in its own memory, and this process's heap stays small
   * for the one fork (fewer pages to share and copy back) */
  if (files->len != 1 || argc < 2)
    warm_worker_tables();
  KkIngestOptions options;
  kk_ingest_options_init(&options);
  options.reprocess = reprocess;
  options.patterns_dir = patterns;
  options.place = place;
  options.parser = parser;
  options.ocr = ocr_mode;
  Batch b = { .tty = isatty(STDERR_FILENO) && !json, .quiet = quiet, .json = json, .total = files->len,
              .started = g_get_monotonic_time(),
              .failures = g_ptr_array_new_with_free_func(g_free) };
  if (argc < 2) {
    if (!kk_ingest_reprocess_stored(db, &options, record, &b, &error)) {
      kk_report("ingest", error);
      if (json)
        kk_ingest_report_summary(stdout, b.loaded, b.unchanged, b.reprocessed, b.failures->len,
                                 kk_exit_code(error), error);
      g_ptr_array_unref(b.failures);
      kk_db_close(db);
      return kk_exit_code(error);
    }
  }
  if (files->len > 0) {
    progress(&b, g_ptr_array_index(files, 0));
    if (!kk_ingest_files(db, files, (guint)jobs, &options, next_file, record, &b, &error)) {
      if (b.tty)
        fprintf(stderr, "\r\033[K");
      kk_report("ingest", error);
      if (json)
        kk_ingest_report_summary(stdout, b.loaded, b.unchanged, b.reprocessed, b.failures->len,
                                 kk_exit_code(error), error);
      g_ptr_array_unref(b.failures);
      kk_db_close(db);
      return kk_exit_code(error);
    }
  }
  if (b.tty)
    fprintf(stderr, "\r\033[K");
  int status = b.failures->len > 0 ? KK_ERROR_PARTIAL : KK_OK;
  /* new documents may be editions of known plans (kk-editions.h) */
  if ((b.loaded + b.reprocessed > 0 || kk_editions_stale(db)) && !kk_editions_refresh(db, &error)) {
    kk_report("ingest: editions", error);
    status = KK_ERROR_DATABASE;
  }
  kk_db_close(db);
  if (json) {
    kk_ingest_report_summary(stdout, b.loaded, b.unchanged, b.reprocessed, b.failures->len, status, error);
    g_ptr_array_unref(b.failures);
    return status;
  }
  printf("%u loaded, %u unchanged, %u reprocessed, %u failed\n", b.loaded, b.unchanged,
         b.reprocessed, b.failures->len);
  for (guint i = 0; i < b.failures->len; i++)
    printf("failed: %s\n", (const char *)g_ptr_array_index(b.failures, i));
  g_ptr_array_unref(b.failures);
  return status;
}
