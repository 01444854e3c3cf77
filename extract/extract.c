/*
 * extract.c — the document loop of `keikaku extract` (see extract.h):
 * checks the file, opens it once with Poppler's core (errors, metadata,
 * pages: pdf-core.cc), and streams one JSON object per page built from
 * the page layout (layout.c) of the glyphs and rulings the core reads.
 */
#define _GNU_SOURCE /* memmem */
#include "extract/extract.h"
#include "extract/layout.h"
#include "extract/page.h"
#include "extract/pdf-core.h"
#include "extract/ocr.h"
#include "common/kk-error.h"
#include "common/kk-sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TAIL_BYTES 2048
/* A page's text buffer that grew past this is given back after the page. */
#define KEEP_LINE_BUFFER (4u << 20)

/* Copies `in` (NULL = all defaults) to `o`, replacing 0 members by defaults. */
/* Whether `s` is a SHA-256 digest in lowercase hex. */
static gboolean is_sha256_hex(const char *s)
{
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
      return FALSE;
  return s[64] == '\0';
}

static void resolve_options(const KkExtractOptions *in, KkExtractOptions *o)
{
  if (in)
    *o = *in;
  else
    memset(o, 0, sizeof *o);
  if (o->max_pages == 0)
    o->max_pages = 10000;
  if (o->max_file_bytes == 0)
    o->max_file_bytes = 512u * 1024u * 1024u;
  if (o->max_glyphs_per_page == 0)
    o->max_glyphs_per_page = 100000;
  if (o->sha256 && !is_sha256_hex(o->sha256))
    o->sha256 = NULL; /* not a digest: compute it */
}

/* Reads the whole file once: its SHA-256 (unless o->sha256 gives it for
 * the file as it is),
 * whether it starts like a PDF and whether it ends like one (a truncated
 * download lacks the final %%EOF). */
static gboolean check_file(const char *path, const KkExtractOptions *o, char **sha256, GError **error)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "cannot open: %s", g_strerror(errno));
    return FALSE;
  }
  if (!S_ISREG(st.st_mode)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "not a regular file");
    return FALSE;
  }
  if ((guint64)st.st_size > o->max_file_bytes) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "file of %" G_GUINT64_FORMAT " bytes is larger than the limit of %" G_GUINT64_FORMAT,
                (guint64)st.st_size, o->max_file_bytes);
    return FALSE;
  }
  if (st.st_size == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "not a PDF: empty file");
    return FALSE;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "cannot open: %s", g_strerror(errno));
    return FALSE;
  }
  gint64 mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  gboolean known = o->sha256 && o->sha256_size == (guint64)st.st_size && o->sha256_mtime_ns == mtime_ns;
  KkSha256 sum_state, *sum = known ? NULL : &sum_state;
  if (sum)
    kk_sha256_init(sum);
  static char buf[1 << 16];
  char head[1024], tail[TAIL_BYTES];
  gsize head_len = 0, tail_len = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (sum)
      kk_sha256_update(sum, buf, n);
    if (head_len < sizeof head) {
      gsize k = MIN(sizeof head - head_len, n);
      memcpy(head + head_len, buf, k);
      head_len += k;
    }
    if (n >= TAIL_BYTES) {
      memcpy(tail, buf + n - TAIL_BYTES, TAIL_BYTES);
      tail_len = TAIL_BYTES;
    } else {
      gsize keep = MIN(tail_len, TAIL_BYTES - n);
      memmove(tail, tail + tail_len - keep, keep);
      memcpy(tail + keep, buf, n);
      tail_len = keep + n;
    }
  }
  gboolean read_error = ferror(f) != 0;
  fclose(f);
  if (read_error) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "read error");
    return FALSE;
  }
  if (memmem(head, head_len, "%PDF-", 5) == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "not a PDF (no %%PDF- header)");
    return FALSE;
  }
  if (memmem(tail, tail_len, "%%EOF", 5) == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "truncated or damaged PDF (no %%%%EOF at its end)");
    return FALSE;
  }
  if (sum) {
    char hex[KK_SHA256_HEX_SIZE];
    kk_sha256_finish_hex(sum, hex);
    *sha256 = g_strdup(hex);
  } else {
    *sha256 = g_strdup(o->sha256);
  }
  return TRUE;
}

/* Poppler reports the syntax problems of damaged files through the core's
 * error callback (pdf-core.cc) and, where OCR renders a page with Poppler
 * GLib (the OCR module), through GLib logging; the one-line error of the
 * command says what matters, so both are dropped unless
 * KEIKAKU_POPPLER_STDERR is set (for debugging). */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  (void)domain; (void)level; (void)message; (void)data;
}

/* Sets member to `value` (taken and freed), or null when absent or not UTF-8. */
static void set_string(JsonObject *o, const char *member, char *value)
{
  if (value && g_utf8_validate(value, -1, NULL))
    json_object_set_string_member(o, member, value);
  else
    json_object_set_null_member(o, member);
  g_free(value);
}

/* The `document` object of the pages format for an opened PDF. */
static JsonObject *document_object(KkPdf *doc, const char *path, const char *sha,
                                   guint n_pages, const KkExtractOptions *o)
{
  JsonObject *d = json_object_new();
  json_object_set_string_member(d, "type", "document");
  json_object_set_string_member(d, "format", "keikaku-pages");
  json_object_set_int_member(d, "version", 1);
  json_object_set_string_member(d, "file", path);
  json_object_set_string_member(d, "sha256", sha);
  json_object_set_int_member(d, "pages", n_pages);
  if (o->first_page > 1 || (o->last_page && o->last_page < n_pages)) {
    JsonArray *r = json_array_new();
    json_array_add_int_element(r, MAX(o->first_page, 1u));
    json_array_add_int_element(r, o->last_page ? MIN(o->last_page, n_pages) : n_pages);
    json_object_set_array_member(d, "page_range", r);
  }
  JsonObject *m = json_object_new();
  set_string(m, "title", kk_pdf_info_string(doc, "Title"));
  set_string(m, "author", kk_pdf_info_string(doc, "Author"));
  set_string(m, "creator", kk_pdf_info_string(doc, "Creator"));
  set_string(m, "producer", kk_pdf_info_string(doc, "Producer"));
  GDateTime *created = kk_pdf_info_date(doc, "CreationDate");
  if (created) {
    g_autoptr(GDateTime) utc = g_date_time_to_utc(created);
    set_string(m, "creation_date", utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : NULL);
    g_date_time_unref(created);
  } else {
    json_object_set_null_member(m, "creation_date");
  }
  json_object_set_object_member(d, "metadata", m);
  json_object_set_boolean_member(d, "normalized", FALSE);
  return d;
}

static double round1(double v)
{
  return round(v * 10.0) / 10.0;
}

/* See extract.h. */
const char *kk_extract_line_font(const KkLayout *l, const KkLine *line)
{
  const char *name = line->font < l->fonts->len ? g_ptr_array_index(l->fonts, line->font) : NULL;
  return name && name[0] ? name : NULL;
}

/* See extract.h: table->cells come by start row.  A cell goes to the row
 * being filled unless its row lies further down; rows without cells are written empty up to the table's n_rows (one
 * short when the last cell's row is not the last: as the format has
 * always been written). */
void kk_extract_row_starts(const KkPageTable *table, GArray *starts)
{
  g_array_set_size(starts, 0);
  guint current = G_MAXUINT;
  gboolean open = FALSE;
  for (guint c = 0; c < table->cells->len; c++) {
    const KkCell *cell = &g_array_index(table->cells, KkCell, c);
    while (current == G_MAXUINT || current < cell->row) {
      g_array_append_val(starts, c);
      open = TRUE;
      current = current == G_MAXUINT ? 0 : current + 1;
    }
  }
  guint end = table->cells->len;
  while (open || (current == G_MAXUINT ? 0 : current + 1) < table->n_rows) {
    if (!open)
      g_array_append_val(starts, end);
    open = FALSE;
    current = current == G_MAXUINT ? 0 : current + 1;
  }
  g_array_append_val(starts, end);
}

/* The `page` object of one laid-out page (page_line() writes the same
 * as text). */
static JsonObject *page_object(const KkLayout *l, guint page_no, int rotation)
{
  JsonObject *p = json_object_new();
  json_object_set_string_member(p, "type", "page");
  json_object_set_int_member(p, "page", page_no);
  json_object_set_double_member(p, "width", round1(l->width));
  json_object_set_double_member(p, "height", round1(l->height));
  json_object_set_int_member(p, "rotation", rotation);
  JsonArray *lines = json_array_sized_new(l->lines->len);
  for (guint i = 0; i < l->lines->len; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    JsonObject *o = json_object_new();
    g_autofree char *text = g_strndup(l->pool->str + line->text_off, line->text_len);
    json_object_set_string_member(o, "text", text);
    kk_json_set_bbox(o, "bbox", (const double *)&line->box);
    json_object_set_double_member(o, "size", round1(line->size));
    if (kk_extract_line_font(l, line))
      json_object_set_string_member(o, "font", kk_extract_line_font(l, line));
    if (line->table >= 0)
      json_object_set_int_member(o, "table", line->table);
    if (line->vertical)
      json_object_set_boolean_member(o, "vertical", TRUE);
    json_array_add_object_element(lines, o);
  }
  json_object_set_array_member(p, "lines", lines);
  JsonArray *tables = json_array_sized_new(l->tables->len);
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint t = 0; t < l->tables->len; t++) {
    const KkPageTable *table = g_ptr_array_index(l->tables, t);
    JsonObject *o = json_object_new();
    kk_json_set_bbox(o, "bbox", (const double *)&table->box);
    json_object_set_boolean_member(o, "ruled", table->ruled);
    json_object_set_int_member(o, "header_rows", table->header_rows);
    json_object_set_boolean_member(o, "continued_from_previous", table->continued_from_previous);
    json_object_set_int_member(o, "n_rows", table->n_rows);
    json_object_set_int_member(o, "n_cols", table->n_cols);
    kk_extract_row_starts(table, starts);
    JsonArray *rows = json_array_sized_new(starts->len - 1);
    for (guint r = 0; r + 1 < starts->len; r++) {
      JsonArray *row = json_array_new();
      for (guint c = g_array_index(starts, guint, r); c < g_array_index(starts, guint, r + 1); c++) {
        const KkCell *cell = &g_array_index(table->cells, KkCell, c);
        JsonObject *co = json_object_new();
        json_object_set_string_member(co, "text", cell->text ? cell->text->str : "");
        kk_json_set_bbox(co, "bbox", (const double *)&cell->box);
        json_object_set_int_member(co, "row", cell->row);
        json_object_set_int_member(co, "col", cell->col);
        json_object_set_int_member(co, "rowspan", cell->rowspan);
        json_object_set_int_member(co, "colspan", cell->colspan);
        json_array_add_object_element(row, co);
      }
      json_array_add_array_element(rows, row);
    }
    json_object_set_array_member(o, "rows", rows);
    json_array_add_object_element(tables, o);
  }
  json_object_set_array_member(p, "tables", tables);
  if (l->figures->len > 0) {
    JsonArray *figures = json_array_sized_new(l->figures->len);
    for (guint i = 0; i < l->figures->len; i++) {
      const KkFigure *f = &g_array_index(l->figures, KkFigure, i);
      JsonObject *o = json_object_new();
      kk_json_set_bbox(o, "bbox", (const double *)&f->box);
      json_object_set_string_member(o, "why", kk_figure_kind_name(f->kind));
      json_array_add_object_element(figures, o);
    }
    json_object_set_array_member(p, "figures", figures);
  }
  return p;
}

/* Writes into `s` (emptied first) the JSON text of the page object
 * page_object() builds, with its "content" member after the others: the
 * text kk_json_object_to_line() gives for that tree, without the tree (a
 * page of a budget book has thousands of nodes, each a hash table or an
 * allocation to make, walk and free). */
static void page_line(GString *s, const KkLayout *l, guint page_no, int rotation, const char *content)
{
  g_string_assign(s, "{");
  kk_json_put_string(s, "type", "page");
  kk_json_put_int(s, "page", page_no);
  kk_json_put_double(s, "width", round1(l->width));
  kk_json_put_double(s, "height", round1(l->height));
  kk_json_put_int(s, "rotation", rotation);
  kk_json_put_key(s, "lines");
  g_string_append_c(s, '[');
  for (guint i = 0; i < l->lines->len; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    g_string_append(s, i ? ",{" : "{");
    g_autofree char *text = g_strndup(l->pool->str + line->text_off, line->text_len);
    kk_json_put_string(s, "text", text);
    kk_json_put_key(s, "bbox");
    kk_json_append_bbox(s, (const double *)&line->box);
    kk_json_put_double(s, "size", round1(line->size));
    if (kk_extract_line_font(l, line))
      kk_json_put_string(s, "font", kk_extract_line_font(l, line));
    if (line->table >= 0)
      kk_json_put_int(s, "table", line->table);
    if (line->vertical)
      kk_json_put_literal(s, "vertical", "true");
    g_string_append_c(s, '}');
  }
  g_string_append_c(s, ']');
  kk_json_put_key(s, "tables");
  g_string_append_c(s, '[');
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint t = 0; t < l->tables->len; t++) {
    const KkPageTable *table = g_ptr_array_index(l->tables, t);
    g_string_append(s, t ? ",{" : "{");
    kk_json_put_key(s, "bbox");
    kk_json_append_bbox(s, (const double *)&table->box);
    kk_json_put_literal(s, "ruled", table->ruled ? "true" : "false");
    kk_json_put_int(s, "header_rows", table->header_rows);
    kk_json_put_literal(s, "continued_from_previous", table->continued_from_previous ? "true" : "false");
    kk_json_put_int(s, "n_rows", table->n_rows);
    kk_json_put_int(s, "n_cols", table->n_cols);
    kk_json_put_key(s, "rows");
    g_string_append_c(s, '[');
    kk_extract_row_starts(table, starts);
    for (guint r = 0; r + 1 < starts->len; r++) {
      g_string_append(s, r ? ",[" : "[");
      guint first = g_array_index(starts, guint, r);
      for (guint c = first; c < g_array_index(starts, guint, r + 1); c++) {
        const KkCell *cell = &g_array_index(table->cells, KkCell, c);
        g_string_append(s, c > first ? ",{" : "{");
        kk_json_put_string(s, "text", cell->text ? cell->text->str : "");
        kk_json_put_key(s, "bbox");
        kk_json_append_bbox(s, (const double *)&cell->box);
        kk_json_put_int(s, "row", cell->row);
        kk_json_put_int(s, "col", cell->col);
        kk_json_put_int(s, "rowspan", cell->rowspan);
        kk_json_put_int(s, "colspan", cell->colspan);
        g_string_append_c(s, '}');
      }
      g_string_append_c(s, ']');
    }
    g_string_append(s, "]}");
  }
  g_string_append_c(s, ']');
  if (l->figures->len > 0) {
    kk_json_put_key(s, "figures");
    g_string_append_c(s, '[');
    for (guint i = 0; i < l->figures->len; i++) {
      const KkFigure *f = &g_array_index(l->figures, KkFigure, i);
      g_string_append(s, i ? ",{" : "{");
      kk_json_put_key(s, "bbox");
      kk_json_append_bbox(s, (const double *)&f->box);
      kk_json_put_string(s, "why", kk_figure_kind_name(f->kind));
      g_string_append_c(s, '}');
    }
    g_string_append_c(s, ']');
  }
  kk_json_put_string(s, "content", content);
  g_string_append_c(s, '}');
}

/* The page's `rotation` member: 90 for a page shown turned by /Rotate
 * (then refined by the direction its text runs, see
 * kk_page_make_upright()), else 0.  A square page turned looks the same. */
static int page_rotation(int rotate, double w, double h)
{
  return (rotate == 90 || rotate == 270) && fabs(w - h) > 1.0 ? 90 : 0;
}

/* Hands `o` to the sink and drops it. */
static gboolean emit(JsonObject *o, KkSink sink, gpointer user_data, GError **error)
{
  gboolean ok = sink(o, user_data, error);
  json_object_unref(o);
  return ok;
}

/* ---- the time limit inside one Poppler call ----
 * The deadline is checked between pages and, through Poppler's abort
 * callback, between the operators of a page; one operator that decodes a
 * stream for long (an image or font bomb) checks nothing.  A timer armed
 * for the deadline plus WATCHDOG_GRACE_S ends the process from its signal
 * handler instead, with the same one-line message and status a checked
 * limit gives (the output has no end line, so downstream sees a cut
 * stream).  Only `extract --max-seconds` arms it; ingest's children have
 * their own wall-clock limit (common/kk-child.c). */
#define WATCHDOG_GRACE_S 1

static char watchdog_message[1024];
static size_t watchdog_length;
static int watchdog_fd = -1; /* stderr as it was (a page pass may silence fd 2) */

static void watchdog_fired(int sig)
{
  if (write(watchdog_fd, watchdog_message, watchdog_length) < 0) {
    /* nothing more can be said */
  }
  _exit(KK_ERROR_LIMIT);
}

/* Arms the watchdog for `seconds` (+ grace) from now; FALSE when it could
 * not be (the cooperative checks still hold between operators). */
static gboolean watchdog_arm(const char *path, guint seconds, timer_t *timer)
{
  g_autofree char *safe = kk_escape_controls(path);
  g_snprintf(watchdog_message, sizeof watchdog_message,
             "keikaku: %s: time limit of %u s hit inside one page (a stream that takes too long to decode)\n",
             safe, seconds);
  watchdog_length = strlen(watchdog_message);
  if (watchdog_fd < 0)
    watchdog_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  struct sigaction sa = { 0 };
  sa.sa_handler = watchdog_fired;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGRTMIN + 1, &sa, NULL) != 0)
    return FALSE;
  struct sigevent ev = { 0 };
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN + 1;
  if (timer_create(CLOCK_MONOTONIC, &ev, timer) != 0)
    return FALSE;
  struct itimerspec when = { .it_value = { .tv_sec = (time_t)seconds + WATCHDOG_GRACE_S } };
  if (timer_settime(*timer, 0, &when, NULL) != 0) {
    timer_delete(*timer);
    return FALSE;
  }
  return TRUE;
}

/* Text Poppler dropped is reported, one warning per page: a page that
 * draws far more characters than its text page kept (Poppler keeps a
 * fixed number per page; a page of a million glyphs under 3 pt lost 95%
 * of them silently).  Off-page and control characters are not kept
 * either, hence the margin. */
static void warn_dropped_text(const char *path, guint page_no, guint64 drawn, guint kept)
{
  if (drawn >= 2 * (guint64)kept && drawn - kept >= 10000)
    kk_warn(path, "page %u: only %u of the %" G_GUINT64_FORMAT " characters it draws could be read"
            " (Poppler keeps a limited number per page): its text is incomplete", page_no, kept, drawn);
}

gboolean kk_extract_file(const char *path, const KkExtractOptions *options,
                         KkSink sink, gpointer user_data, GError **error)
{
  KkExtractOptions o;
  resolve_options(options, &o);
  g_autofree char *sha = NULL;
  if (!check_file(path, &o, &sha, error))
    return FALSE;

  guint log_handler = 0;
  if (!g_getenv("KEIKAKU_POPPLER_STDERR"))
    log_handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                                    drop_log, NULL);
  gboolean ok = FALSE;
  g_autoptr(KkPdf) pdf = kk_pdf_open(path, error);
  g_autoptr(KkOcrReader) ocr = NULL;
  KkPageTableSig sig = { 0 };
  g_autoptr(GString) line = o.page_line ? g_string_sized_new(1 << 16) : NULL; /* page_line's text */
  timer_t timer;
  gboolean watchdog = FALSE;
  if (pdf == NULL)
    goto out;
  int n = (int)MIN(kk_pdf_n_pages(pdf), (guint)G_MAXINT);
  if (n <= 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: no pages");
    goto out;
  }
  if ((guint)n > o.max_pages) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "%d pages, more than the limit of %u", n, o.max_pages);
    goto out;
  }
  guint first = MAX(o.first_page, 1u), last = o.last_page ? MIN(o.last_page, (guint)n) : (guint)n;
  if (first > last) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "page range %u-%u is outside the document's %d pages", first, last, n);
    goto out;
  }
  if (!emit(document_object(pdf, path, sha, (guint)n, &o), sink, user_data, error))
    goto out;

  gint64 started = g_get_monotonic_time();
  gint64 deadline = o.max_seconds ? started + (gint64)o.max_seconds * G_USEC_PER_SEC : 0;
  if (o.max_seconds)
    watchdog = watchdog_arm(path, o.max_seconds, &timer);
  guint with_text = 0, emitted = 0;
  for (guint p = first; p <= last; p++) {
    if (deadline && g_get_monotonic_time() > deadline) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "time limit of %u s hit at page %u", o.max_seconds, p);
      goto out;
    }
    double w = 0, h = 0;
    int rotate = 0;
    if (!kk_pdf_page_size(pdf, p, &w, &h, &rotate)) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: page %u cannot be read", p);
      goto out;
    }
    if (!(isfinite(w) && isfinite(h) && w > 0 && h > 0 && w < 1e6 && h < 1e6)) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "damaged PDF: page %u has no usable size", p);
      goto out;
    }
    g_autoptr(KkLayout) layout = kk_layout_new(w, h);
    g_autoptr(GArray) hsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
    g_autoptr(GArray) vsegs = g_array_new(FALSE, FALSE, sizeof(KkSeg));
    KkPageInk ink;
    kk_page_ink_init(&ink, w, h);
    KkPdfPaths paths = {
      .hsegs = o.no_tables ? NULL : hsegs,
      .vsegs = o.no_tables ? NULL : vsegs,
      .panels = o.no_tables ? NULL : layout->panels,
      .max_segs = 200000,
      .deadline = deadline,
      .ink = &ink,
    };
    if (!kk_pdf_read_page(pdf, p, o.max_glyphs_per_page, layout, &paths, error))
      goto out;
    warn_dropped_text(path, p, paths.chars_drawn, layout->glyphs->len);
    KkPageContent content = kk_page_classify(layout->glyphs->len, &ink);
    g_autoptr(KkOcrPage) ocr_page = NULL;
    if (kk_ocr_wanted(o.ocr, content)) {
      if (ocr == NULL)
        ocr = kk_ocr_reader_new(path);
      ocr_page = kk_ocr_read_page(ocr, p, &ink, layout, deadline, o.ocr_page_seconds, error);
      if (ocr_page == NULL)
        goto out;
    }
    int rotation = ocr_page ? ocr_page->orientation : page_rotation(rotate, w, h);
    /* rulings around no text frame no table; a page OCR turned has lost them */
    gboolean rulings = !o.no_tables && !paths.too_many_segs && layout->glyphs->len > 0
                       && (ocr_page == NULL || ocr_page->orientation == 0);
    if (layout->glyphs->len > 0 && ocr_page) {
      with_text++;
      if (ocr_page->orientation != 0)
        g_array_set_size(layout->panels, 0); /* the text layer's frame, not the picture's */
    } else if (layout->glyphs->len > 0) {
      with_text++;
      /* a page shown turned: read it the way its text runs */
      int turn = kk_page_make_upright(layout, hsegs, vsegs, rotation != 0);
      if (turn) {
        rotation = turn;
        g_array_set_size(layout->panels, 0); /* drawn in the frame the page left */
      }
    }
    if (ocr_page && !o.no_tables && layout->glyphs->len > 0) /* the picture's rulings, in its frame */
      kk_layout_build(layout, ocr_page->hsegs, ocr_page->vsegs, TRUE);
    else
      kk_layout_build(layout, rulings ? hsegs : NULL, rulings ? vsegs : NULL, !o.no_tables);
    kk_layout_link_tables(layout, &sig);
    gboolean as_layout = o.page_layout && ocr_page == NULL;
    JsonObject *page = NULL;
    if ((!(o.page_line && o.page_line_only) && !as_layout) || ocr_page) {
      page = page_object(layout, p, rotation);
      json_object_set_string_member(page, "content", kk_page_content_name(content));
      if (ocr_page)
        kk_ocr_page_to_json(ocr_page, page); /* members of its own: serialized as a tree */
    }
    if (o.page_line) {
      if (page && ocr_page) {
        gsize len;
        g_autofree char *text = kk_json_object_to_line(page, &len);
        g_string_assign(line, text);
      } else {
        page_line(line, layout, p, rotation, kk_page_content_name(content));
      }
      if (!o.page_line(line->str, line->len, o.page_line_data, error)) {
        g_clear_pointer(&page, json_object_unref);
        goto out;
      }
      if (line->allocated_len > KEEP_LINE_BUFFER) {
        g_string_free(line, TRUE);
        line = g_string_sized_new(1 << 16);
      }
    }
    if (as_layout) {
      if (!o.page_layout(layout, p, o.page_layout_data, error))
        goto out;
    } else if (page && o.page_line_only) {
      json_object_unref(page);
    } else if (page && !emit(page, sink, user_data, error)) {
      goto out;
    }
    emitted++;
  }
  if (with_text == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_NO_TEXT, "no text layer on any of its %u extracted page%s (%s)",
                emitted, emitted == 1 ? "" : "s",
                o.ocr == KK_OCR_NEVER ? "scanned images? OCR is off: --ocr never" : "nor any text found by OCR");
    goto out;
  }
  JsonObject *end = json_object_new();
  json_object_set_string_member(end, "type", "end");
  json_object_set_int_member(end, "pages", emitted);
  ok = emit(end, sink, user_data, error);
out:
  if (watchdog)
    timer_delete(timer);
  kk_page_table_sig_clear(&sig);
  if (log_handler)
    g_log_remove_handler("Poppler", log_handler);
  return ok;
}
