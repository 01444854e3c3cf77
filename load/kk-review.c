/* kk-review.c — see kk-review.h */
#include "kk-review.h"
#include "kk-db.h"
#include "common/kk-error.h"
#include "common/kk-sha256.h"
#include "extract/ocr-module.h"

#include <errno.h>
#include <string.h>

/* Facts, then cells that are no fact (no fact box at the same place). */
static const char review_sql[] =
  "SELECT * FROM ("
  " SELECT 'fact' AS kind, d.id AS doc, d.file, d.sha256, f.page AS page, f.raw AS value, f.confidence,"
  "        b.x0, b.y0, b.x1, b.y1, f.row_label, f.column_label"
  " FROM table_facts f JOIN documents d ON d.id = f.document_id"
  " LEFT JOIN kk_boxes b ON b.tbl = 'table_facts' AND b.row_id = f.id"
  " WHERE f.confidence < ?1"
  " UNION ALL"
  " SELECT 'cell', d.id, d.file, d.sha256, c.page, c.text, c.confidence, c.x0, c.y0, c.x1, c.y1, NULL, NULL"
  " FROM table_cells c JOIN tables t ON t.id = c.table_id JOIN documents d ON d.id = t.document_id"
  " WHERE c.confidence < ?1 AND NOT EXISTS (SELECT 1 FROM table_facts f2 JOIN kk_boxes b2"
  "   ON b2.tbl = 'table_facts' AND b2.row_id = f2.id WHERE f2.table_id = c.table_id"
  "   AND b2.page = c.page AND abs(b2.x0 - c.x0) < 0.5 AND abs(b2.y0 - c.y0) < 0.5))"
  " ORDER BY doc, page, y0, x0";

/* The PDF of one document, opened once for all its values by the module
 * that renders the crops (Poppler GLib and cairo: ocr-module.h). */
typedef struct {
  const KkRenderModule *render;
  gint64 doc;
  PopplerDocument *pdf; /* NULL when `problem` is set */
  char *problem;        /* why there are no crops ("file is gone"), or NULL */
} OpenDoc;

static void open_doc_clear(OpenDoc *d)
{
  if (d->pdf)
    d->render->close(g_steal_pointer(&d->pdf));
  g_clear_pointer(&d->problem, g_free);
  d->doc = -1;
}

/* The lower-case hex SHA-256 of file `path`, or NULL if it cannot be read. */
static char *file_sha256(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  KkSha256 sum;
  kk_sha256_init(&sum);
  guchar buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    kk_sha256_update(&sum, buf, n);
  gboolean bad = ferror(f);
  fclose(f);
  char hex[KK_SHA256_HEX_SIZE];
  kk_sha256_finish_hex(&sum, hex);
  return bad ? NULL : g_strdup(hex);
}

/* Opens document `doc`'s file for crops, or says in d->problem why not:
 * the file is gone, is another file now (SHA-256 differs) or Poppler
 * cannot open it. */
static void open_doc(OpenDoc *d, gint64 doc, const char *file, const char *sha256)
{
  open_doc_clear(d);
  d->doc = doc;
  if (file == NULL || *file == '\0') {
    d->problem = g_strdup("the database stores no file path for this document");
    return;
  }
  if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
    d->problem = g_strdup_printf("the file is gone (%s not found): no picture to check against", file);
    return;
  }
  g_autofree char *have = file_sha256(file);
  if (have == NULL || (sha256 && g_ascii_strcasecmp(have, sha256) != 0)) {
    d->problem = g_strdup_printf("%s is no longer the file that was loaded (its SHA-256 differs)", file);
    return;
  }
  g_autoptr(GError) e = NULL;
  d->pdf = d->render->open(file, &e);
  if (d->pdf == NULL)
    d->problem = g_strdup_printf("Poppler cannot open %s: %s", file, e->message);
}

static const char page_head[] =
  "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\n"
  "<title>keikaku review: OCR values to check</title>\n<style>\n"
  "body{font-family:sans-serif;margin:1em;background:#fff;color:#111}\n"
  "table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}\n"
  "th{background:#eee}.conf{font-weight:bold;color:#a00}.gone{color:#a00}\n"
  "img.crop{border:1px solid #333;max-width:640px}\n"
  "</style></head><body>\n";

/* Text of column `i`, HTML-escaped (NULL column: ""). */
static char *esc_col(sqlite3_stmt *st, int i)
{
  const char *t = (const char *)sqlite3_column_text(st, i);
  return g_markup_escape_text(t ? t : "", -1);
}

gboolean kk_review_write(sqlite3 *db, double below, FILE *out, KkReviewStats *stats, GError **error)
{
  memset(stats, 0, sizeof *stats);
  /* the renderer first: a page without its crops is no review */
  const KkRenderModule *render = kk_render_module_get(error);
  if (render == NULL)
    return FALSE;
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, review_sql, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_double(st, 1, below);
  fputs(page_head, out);
  fprintf(out, "<h1>OCR values to check (confidence below %g)</h1>\n"
               "<p>Each value as Tesseract read it, beside the page region it came from "
               "(outlined in red). Confidence is Tesseract's, 0 to 100.</p>\n", below);
  OpenDoc d = { .render = render, .doc = -1 };
  gint64 last_doc = -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (stats->values >= KK_REVIEW_MAX_VALUES) {
      stats->more++;
      continue;
    }
    gint64 doc = sqlite3_column_int64(st, 1);
    const char *file = (const char *)sqlite3_column_text(st, 2);
    if (doc != last_doc) {
      if (last_doc >= 0)
        fputs("</table>\n", out);
      open_doc(&d, doc, file, (const char *)sqlite3_column_text(st, 3));
      g_autofree char *ef = g_markup_escape_text(file ? file : "(no file)", -1);
      fprintf(out, "<h2>%s</h2>\n", ef);
      if (d.problem) {
        g_autofree char *ep = g_markup_escape_text(d.problem, -1);
        fprintf(out, "<p class=\"gone\">%s</p>\n", ep);
      }
      fputs("<table><tr><th>file</th><th>page</th><th>kind</th><th>value as read</th>"
            "<th>where</th><th>confidence</th><th>page region</th></tr>\n", out);
      last_doc = doc;
    }
    g_autofree char *kind = esc_col(st, 0), *value = esc_col(st, 5), *ef = esc_col(st, 2);
    g_autofree char *rl = esc_col(st, 11), *cl = esc_col(st, 12);
    gint64 page = sqlite3_column_int64(st, 4);
    double conf = sqlite3_column_double(st, 6);
    fprintf(out, "<tr><td>%s</td><td>%" G_GINT64_FORMAT "</td><td>%s</td><td>%s</td><td>%s%s%s</td>"
                 "<td class=\"conf\">%.1f</td><td>", ef, page, kind, value, rl,
            *rl && *cl ? " / " : "", cl, conf);
    stats->values++;
    gboolean has_box = TRUE;
    double box[4];
    for (int k = 0; k < 4; k++) {
      has_box = has_box && sqlite3_column_type(st, 7 + k) != SQLITE_NULL;
      box[k] = sqlite3_column_double(st, 7 + k);
    }
    const char *why = NULL;
    g_autofree char *png = NULL;
    if (d.pdf == NULL) {
      why = "no picture: see above";
      stats->missing++;
    } else if (!has_box || !(box[2] > box[0] && box[3] > box[1])) {
      why = "the database has no box for this value";
    } else {
      png = render->crop_png(d.pdf, page, box, &why);
    }
    if (png) {
      fprintf(out, "<img class=\"crop\" alt=\"page %" G_GINT64_FORMAT " region\" src=\"data:image/png;base64,%s\">",
              page, png);
      stats->crops++;
    } else {
      g_autofree char *ew = g_markup_escape_text(why, -1);
      fprintf(out, "<span class=\"gone\">%s</span>", ew);
    }
    fputs("</td></tr>\n", out);
  }
  open_doc_clear(&d);
  if (rc != SQLITE_DONE)
    return kk_db_fail(db, "read low-confidence values", error);
  if (last_doc >= 0)
    fputs("</table>\n", out);
  else
    fputs("<p>No value read by OCR has a confidence below the threshold.</p>\n", out);
  if (stats->more)
    fprintf(out, "<p>%u more values below the threshold are left off (at most %d on one page).</p>\n",
            stats->more, KK_REVIEW_MAX_VALUES);
  fputs("</body></html>\n", out);
  if (fflush(out) != 0 || ferror(out)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write the review page: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}
