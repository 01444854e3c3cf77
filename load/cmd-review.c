/*
 * cmd-review.c — `keikaku review --db FILE [-o OUT.html] [--below N]`:
 * a static HTML page of the values read by OCR with a confidence below N,
 * each beside a crop of its page (kk-review.h), for a person to check.
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "kk-db.h"
#include "common/kk-outfile.h"
#include "kk-review.h"

#include <errno.h>
#include <stdio.h>

int kk_cmd_review(int argc, char **argv)
{
  g_autofree char *db_path = NULL, *out_path = NULL;
  gdouble below = 80;
  GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_path, "database file (default " KK_DB_DEFAULT ")", "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "write the page to OUT.html (default: stdout)", "OUT.html" },
    { "below", 'b', 0, G_OPTION_ARG_DOUBLE, &below, "list values with confidence below N (0..100, default 80)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("- HTML page of doubtful OCR values beside their page regions");
  g_option_context_set_summary(ctx,
      "Lists the table facts and table cells read by OCR (Tesseract) whose\n"
      "confidence is below N, with document file, page, the value as read and\n"
      "its confidence, each beside a PNG crop of the page region it came from,\n"
      "rendered by Poppler from the document's file as stored in the database\n"
      "(the page says so when that file is gone or has changed).  The page is\n"
      "self-contained (crops embedded as data: URIs); open it in any browser.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    kk_report("review", error);
    return KK_ERROR_USAGE;
  }
  if (argc != 1 || !(below >= 0 && below <= 100)) {
    fprintf(stderr, "keikaku: review: %s (see 'keikaku review --help')\n",
            argc != 1 ? "takes no arguments besides options" : "--below must be within 0..100");
    return KK_ERROR_USAGE;
  }
  sqlite3 *db = kk_db_open(db_path ? db_path : KK_DB_DEFAULT, KK_DB_READ_ONLY, &error);
  if (db == NULL) {
    kk_report(NULL, error);
    return kk_exit_code(error);
  }
  KkOutFile out;
  if (!kk_outfile_open(&out, out_path, &error)) {
    kk_report("review", error);
    kk_db_close(db);
    return KK_ERROR_INPUT;
  }
  KkReviewStats stats;
  gboolean ok = kk_review_write(db, below, out.fp, &stats, &error);
  /* a failed page leaves -o FILE as it was */
  if (ok)
    ok = kk_outfile_commit(&out, &error);
  else
    kk_outfile_abort(&out);
  kk_db_close(db);
  if (!ok) {
    kk_report("review", error);
    return kk_exit_code(error);
  }
  fprintf(stderr, "%u value%s below %g listed, %u with a crop%s", stats.values, stats.values == 1 ? "" : "s",
          below, stats.crops, stats.missing ? "" : "\n");
  if (stats.missing)
    fprintf(stderr, ", %u without (their file is gone or changed)\n", stats.missing);
  if (stats.more)
    fprintf(stderr, "%u more left off (at most %d)\n", stats.more, KK_REVIEW_MAX_VALUES);
  return KK_OK;
}
