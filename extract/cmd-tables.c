/*
 * cmd-tables.c — `keikaku tables [--pages A-B] [--csv DIR | --json] FILE.pdf`:
 * the tables extract finds, for a person to look at.
 *
 * It runs the same extraction as `keikaku extract` (kk_extract_file) and
 * reads the page objects as they stream by.  Without options every table
 * is printed as an aligned text grid (East Asian wide characters count two
 * cells) under a line giving its page, index, bbox, ruled or not, size,
 * header rows and continuation; header rows are marked `H` and set off by
 * a `=` rule.  Figures (charts and diagrams extract refused as tables) are
 * listed by one line each.  `--json` writes one JSON object per table;
 * `--csv DIR` writes one CSV file per logical table, the fragments of a
 * table continued over page breaks joined, their repeated header rows
 * dropped and a first row without a first cell (the tail of a row the
 * page break split) joined to the row it ends.
 */
#include "extract/extract.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "common/kk-outfile.h"
#include "load/kk-table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef enum {
  VIEW_GRID,
  VIEW_JSON,
  VIEW_CSV
} ViewMode;

/* A logical table being joined for --csv. */
typedef struct {
  KkTable *table;      /* row 0 as its columns, the rest as rows */
  guint n_cols;
  double *col_x0;      /* left edge of each column of the first fragment */
  guint first_page, index;
} JoinedTable;

typedef struct {
  ViewMode mode;
  const char *csv_dir;
  guint cell_width;    /* display cells before a cell line wraps */
  FILE *out;
  guint n_tables, n_figures, n_files;
  JoinedTable open;    /* --csv: the table that may go on */
} View;

/* ---- the text grid ---- */

/* Appends `text` to `lines` cut into pieces at most `width` display cells
 * wide (each `\n` of a cell starts a new piece). */
static void wrap_cell(const char *text, guint width, GPtrArray *lines)
{
  g_auto(GStrv) parts = g_strsplit(text, "\n", -1);
  for (guint i = 0; parts[i]; i++) {
    GString *cur = g_string_new(NULL);
    gsize w = 0;
    for (const char *p = parts[i]; *p; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      gsize cw = g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
      if (w + cw > width && cur->len > 0) {
        g_ptr_array_add(lines, g_string_free(cur, FALSE));
        cur = g_string_new(NULL);
        w = 0;
      }
      g_string_append_unichar(cur, c);
      w += cw;
    }
    g_ptr_array_add(lines, g_string_free(cur, FALSE));
  }
}

/* Appends `s` padded with spaces to `width` display cells. */
static void append_padded(GString *line, const char *s, gsize width)
{
  gsize w = kk_display_width(s);
  g_string_append(line, s);
  for (; w < width; w++)
    g_string_append_c(line, ' ');
}

/* Appends a rule `+---+--+` over the columns, drawn with `c`. */
static void append_rule(GString *line, const gsize *width, guint n_cols, char c)
{
  g_string_append(line, "  +");
  for (guint k = 0; k < n_cols; k++) {
    for (gsize i = 0; i < width[k] + 2; i++)
      g_string_append_c(line, c);
    g_string_append_c(line, '+');
  }
  g_string_append_c(line, '\n');
}

/* Prints one table of the pages format as a grid.  A slot covered by a
 * spanning cell shows `<` (spanned from the left) or `^` (from above). */
static void print_grid(View *v, JsonObject *t, gint64 page, guint index)
{
  guint n_rows = (guint)CLAMP(kk_json_int(t, "n_rows", 0), 0, 100000);
  guint n_cols = (guint)CLAMP(kk_json_int(t, "n_cols", 0), 0, 10000);
  guint header = (guint)CLAMP(kk_json_int(t, "header_rows", 0), 0, 100000);
  JsonArray *rows = kk_json_array(t, "rows");
  double bb[4] = { 0, 0, 0, 0 };
  kk_json_bbox(t, "bbox", bb);
  gboolean ruled = json_object_get_boolean_member_with_default(t, "ruled", FALSE);
  gboolean cont = json_object_get_boolean_member_with_default(t, "continued_from_previous", FALSE);
  fprintf(v->out, "page %" G_GINT64_FORMAT ", table %u: %s, %u rows x %u columns, bbox [%.1f, %.1f, %.1f, %.1f], header rows %u%s\n",
          page, index, ruled ? "ruled" : "unruled", n_rows, n_cols, bb[0], bb[1], bb[2], bb[3], header,
          cont ? ", continued from the previous page" : "");
  if (n_rows == 0 || n_cols == 0 || rows == NULL || (guint64)n_rows * n_cols > 1000000) {
    fputc('\n', v->out);
    return;
  }
  /* slot texts: a cell at its top-left slot, markers where it spans */
  gsize n_slots = (gsize)n_rows * n_cols;
  g_autofree const char **slot = g_new0(const char *, n_slots);
  for (guint r = 0; r < json_array_get_length(rows); r++) {
    JsonNode *rn = json_array_get_element(rows, r);
    if (!JSON_NODE_HOLDS_ARRAY(rn))
      continue;
    JsonArray *cells = json_node_get_array(rn);
    for (guint i = 0; i < json_array_get_length(cells); i++) {
      JsonNode *cn = json_array_get_element(cells, i);
      if (!JSON_NODE_HOLDS_OBJECT(cn))
        continue;
      JsonObject *c = json_node_get_object(cn);
      gint64 row = kk_json_int(c, "row", r), col = kk_json_int(c, "col", i);
      gint64 rs = kk_json_int(c, "rowspan", 1), cs = kk_json_int(c, "colspan", 1);
      if (row < 0 || col < 0 || row >= n_rows || col >= n_cols)
        continue;
      for (gint64 rr = row; rr < MIN(row + MAX(rs, 1), n_rows); rr++)
        for (gint64 cc = col; cc < MIN(col + MAX(cs, 1), n_cols); cc++)
          slot[rr * n_cols + cc] = rr > row ? "^" : cc > col ? "<" : NULL;
      slot[row * n_cols + col] = kk_json_string(c, "text", "");
    }
  }
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  g_autofree gsize *width = g_new0(gsize, n_cols);
  g_autofree guint *height = g_new0(guint, n_rows);
  for (gsize s = 0; s < n_slots; s++) {
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    wrap_cell(slot[s] ? slot[s] : "", v->cell_width, lines);
    guint r = (guint)(s / n_cols), c = (guint)(s % n_cols);
    height[r] = MAX(height[r], lines->len);
    for (guint k = 0; k < lines->len; k++)
      width[c] = MAX(width[c], kk_display_width(g_ptr_array_index(lines, k)));
    g_ptr_array_add(pieces, lines);
  }
  g_autoptr(GString) line = g_string_new(NULL);
  append_rule(line, width, n_cols, '-');
  for (guint r = 0; r < n_rows; r++) {
    for (guint k = 0; k < height[r]; k++) {
      g_string_append(line, r < header ? "H |" : "  |");
      for (guint c = 0; c < n_cols; c++) {
        GPtrArray *lines = g_ptr_array_index(pieces, (gsize)r * n_cols + c);
        g_string_append_c(line, ' ');
        append_padded(line, k < lines->len ? g_ptr_array_index(lines, k) : "", width[c]);
        g_string_append(line, " |");
      }
      g_string_append_c(line, '\n');
    }
    append_rule(line, width, n_cols, r + 1 == header ? '=' : '-');
  }
  fputs(line->str, v->out);
  fputc('\n', v->out);
}

/* ---- --json ---- */

/* Writes table `t` as one object: the table of the pages format with the
 * type "table", its page and its index on the page first. */
static gboolean write_json(View *v, JsonObject *t, gint64 page, guint index, GError **error)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "type", "table");
  json_object_set_int_member(o, "page", page);
  json_object_set_int_member(o, "index", index);
  GList *names = json_object_get_members(t); /* in insertion order */
  for (GList *m = names; m; m = m->next)
    json_object_set_member(o, m->data, json_node_copy(json_object_get_member(t, m->data)));
  g_list_free(names);
  return kk_jsonl_write(v->out, o, error);
}

/* ---- --csv ---- */

/* Writes the open logical table to its file and forgets it. */
static gboolean flush_csv(View *v, GError **error)
{
  JoinedTable *j = &v->open;
  if (j->table == NULL)
    return TRUE;
  g_autofree char *name = g_strdup_printf("p%04u-t%u.csv", j->first_page, j->index);
  g_autofree char *path = g_build_filename(v->csv_dir, name, NULL);
  KkOutFile f;
  gboolean ok = kk_outfile_open(&f, path, error);
  if (ok) {
    ok = kk_table_write(j->table, KK_FORMAT_CSV, 0, f.fp, error);
    if (ok)
      ok = kk_outfile_commit(&f, error);
    else
      kk_outfile_abort(&f);
  }
  v->n_files += ok;
  kk_table_free(j->table);
  g_free(j->col_x0);
  memset(j, 0, sizeof *j);
  return ok;
}

/* Column of the open table that a cell with box `bb` (of a fragment whose
 * column count differs) falls in: the last one starting left of its centre. */
static guint joined_column(const JoinedTable *j, const double bb[4])
{
  double xc = (bb[0] + bb[2]) / 2;
  guint c = 0;
  while (c + 1 < j->n_cols && j->col_x0[c + 1] <= xc)
    c++;
  return c;
}

/* Appends the texts of a row's tail (the first row of the next page's
 * fragment, without a first cell) to `row`, a line break between. */
static void join_row_tail(GPtrArray *row, const char **texts, guint n_cols)
{
  for (guint c = 0; c < n_cols && c < row->len; c++) {
    if (texts[c] == NULL || texts[c][0] == '\0')
      continue;
    JsonNode *n = g_ptr_array_index(row, c);
    const char *was = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : NULL;
    g_autofree char *joined = was && was[0] ? g_strconcat(was, "\n", texts[c], NULL) : g_strdup(texts[c]);
    json_node_set_string(n, joined);
  }
}

/* Adds table `t` (a page's fragment) to the open logical table, starting a
 * new one unless it continues the previous page's. */
static gboolean add_csv(View *v, JsonObject *t, gint64 page, guint index, GError **error)
{
  JoinedTable *j = &v->open;
  guint n_rows = (guint)CLAMP(kk_json_int(t, "n_rows", 0), 0, 100000);
  guint n_cols = (guint)CLAMP(kk_json_int(t, "n_cols", 0), 1, 10000);
  JsonArray *rows = kk_json_array(t, "rows");
  gboolean cont = json_object_get_boolean_member_with_default(t, "continued_from_previous", FALSE);
  guint skip = 0;
  if (cont && j->table != NULL) {
    skip = (guint)CLAMP(kk_json_int(t, "header_rows", 0), 0, n_rows);
  } else {
    if (!flush_csv(v, error))
      return FALSE;
    j->table = kk_table_new();
    j->n_cols = n_cols;
    j->first_page = (guint)CLAMP(page, 0, G_MAXUINT);
    j->index = index;
    j->col_x0 = g_new(double, n_cols);
    for (guint c = 0; c < n_cols; c++)
      j->col_x0[c] = 1e300;
  }
  gboolean first_fragment = j->table->columns->len == 0;
  guint n_json_rows = rows ? json_array_get_length(rows) : 0;
  for (guint r = skip; r < n_json_rows; r++) {
    g_autofree const char **texts = g_new0(const char *, j->n_cols);
    JsonNode *rn = json_array_get_element(rows, r);
    JsonArray *cells = JSON_NODE_HOLDS_ARRAY(rn) ? json_node_get_array(rn) : NULL;
    for (guint i = 0; cells && i < json_array_get_length(cells); i++) {
      JsonNode *cn = json_array_get_element(cells, i);
      if (!JSON_NODE_HOLDS_OBJECT(cn))
        continue;
      JsonObject *c = json_node_get_object(cn);
      gint64 col = kk_json_int(c, "col", i);
      double bb[4];
      gboolean has_box = kk_json_bbox(c, "bbox", bb);
      if (first_fragment && has_box && col >= 0 && col < j->n_cols)
        j->col_x0[col] = MIN(j->col_x0[col], bb[0]);
      if (n_cols != j->n_cols && has_box)
        col = joined_column(j, bb);
      if (col >= 0 && col < j->n_cols && texts[col] == NULL)
        texts[col] = kk_json_string(c, "text", "");
    }
    if (j->table->columns->len == 0) {
      for (guint c = 0; c < j->n_cols; c++)
        kk_table_add_column(j->table, texts[c] ? texts[c] : "");
      continue;
    }
    if (cont && r == skip && j->table->rows->len > 0 && (texts[0] == NULL || texts[0][0] == '\0')) {
      /* the tail of a row the page break split: no label of its own */
      join_row_tail(g_ptr_array_index(j->table->rows, j->table->rows->len - 1), texts, j->n_cols);
      continue;
    }
    GPtrArray *row = kk_table_add_row(j->table);
    for (guint c = 0; c < j->n_cols; c++)
      kk_row_add_string(row, texts[c] ? texts[c] : "");
  }
  return TRUE;
}

/* ---- the stream ---- */

/* Prints one figure entry of a page (grid mode only). */
static void print_figure(View *v, JsonObject *f, gint64 page)
{
  double bb[4] = { 0, 0, 0, 0 };
  kk_json_bbox(f, "bbox", bb);
  fprintf(v->out, "page %" G_GINT64_FORMAT ": figure (%s), bbox [%.1f, %.1f, %.1f, %.1f], not a table\n\n",
          page, kk_json_string(f, "why", "?"), bb[0], bb[1], bb[2], bb[3]);
}

/* KkSink: shows the tables of every page object. */
static gboolean view_object(JsonObject *o, gpointer user_data, GError **error)
{
  View *v = user_data;
  if (g_strcmp0(kk_json_string(o, "type", ""), "page") != 0)
    return TRUE;
  gint64 page = kk_json_int(o, "page", 0);
  JsonArray *tables = kk_json_array(o, "tables");
  for (guint i = 0; tables && i < json_array_get_length(tables); i++) {
    JsonNode *n = json_array_get_element(tables, i);
    if (!JSON_NODE_HOLDS_OBJECT(n))
      continue;
    JsonObject *t = json_node_get_object(n);
    v->n_tables++;
    if (v->mode == VIEW_GRID)
      print_grid(v, t, page, i);
    else if (v->mode == VIEW_JSON && !write_json(v, t, page, i, error))
      return FALSE;
    else if (v->mode == VIEW_CSV && !add_csv(v, t, page, i, error))
      return FALSE;
  }
  JsonArray *figures = kk_json_array(o, "figures");
  for (guint i = 0; figures && i < json_array_get_length(figures); i++) {
    JsonNode *n = json_array_get_element(figures, i);
    v->n_figures++;
    if (v->mode == VIEW_GRID && JSON_NODE_HOLDS_OBJECT(n))
      print_figure(v, json_node_get_object(n), page);
  }
  if (v->mode != VIEW_CSV && ferror(v->out)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error");
    return FALSE;
  }
  return TRUE;
}

int kk_cmd_tables(int argc, char **argv)
{
  g_autofree char *pages = NULL, *csv_dir = NULL;
  gboolean json = FALSE;
  gint cell_width = 40;
  GOptionEntry entries[] = {
    { "pages", 'p', 0, G_OPTION_ARG_STRING, &pages, "Only these pages (1-based, e.g. 3-7, 5, 10-)", "FIRST-LAST" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_dir, "Write one CSV file per table into DIR (pPAGE-tINDEX.csv; a table continued over pages is one file, repeated header rows dropped, a row split by the page break joined)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Write one JSON object per table (the pages format's table with type, page and index)", NULL },
    { "cell-width", 0, 0, G_OPTION_ARG_INT, &cell_width, "Wrap cell lines wider than N display cells in the grid (default 40)", "N" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE.pdf");
  g_option_context_set_summary(ctx,
    "Shows the tables `keikaku extract` finds in a PDF.  By default each table\n"
    "is printed as an aligned text grid under a line with its page, index on\n"
    "the page, bbox, ruled or not, size, header rows and whether it continues\n"
    "the previous page's table; header rows are marked H and closed by a '='\n"
    "rule, a slot covered by a spanning cell shows < (from the left) or ^\n"
    "(from above).  Charts and diagrams that were not taken as tables are\n"
    "listed as figures.\n\n"
    "Exit status: 0 ok, 2 usage, 3 not a PDF / truncated / damaged or an\n"
    "output that cannot be written, 4 encrypted, 5 no text layer, 6 a limit.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "keikaku: tables: %s\n", error->message);
    return KK_ERROR_USAGE;
  }
  if (argc != 2) {
    fprintf(stderr, "keikaku: tables: expected one FILE.pdf (see keikaku tables --help)\n");
    return KK_ERROR_USAGE;
  }
  if (json && csv_dir) {
    fprintf(stderr, "keikaku: tables: --csv and --json exclude each other\n");
    return KK_ERROR_USAGE;
  }
  if (cell_width < 4 || cell_width > 10000) {
    fprintf(stderr, "keikaku: tables: --cell-width wants 4 to 10000, got %d\n", cell_width);
    return KK_ERROR_USAGE;
  }
  KkExtractOptions opts = { 0 };
  if (pages && !kk_extract_parse_range(pages, &opts.first_page, &opts.last_page)) {
    fprintf(stderr, "keikaku: tables: --pages wants FIRST-LAST, got '%s'\n", pages);
    return KK_ERROR_USAGE;
  }
  if (csv_dir && g_mkdir_with_parents(csv_dir, 0777) != 0) {
    fprintf(stderr, "keikaku: %s: cannot create directory: %s\n", csv_dir, g_strerror(errno));
    return KK_ERROR_INPUT;
  }
  View v = { .mode = csv_dir ? VIEW_CSV : json ? VIEW_JSON : VIEW_GRID,
             .csv_dir = csv_dir, .cell_width = (guint)cell_width, .out = stdout };
  gboolean ok = kk_extract_file(argv[1], &opts, view_object, &v, &error) && flush_csv(&v, &error);
  if (v.open.table) { /* failed midway: drop what was being joined */
    kk_table_free(v.open.table);
    g_free(v.open.col_x0);
  }
  if (!ok) {
    fflush(stdout);
    kk_report(argv[1], error);
    return kk_exit_code(error);
  }
  if (v.mode == VIEW_GRID)
    printf("%u table%s, %u figure%s\n", v.n_tables, v.n_tables == 1 ? "" : "s", v.n_figures, v.n_figures == 1 ? "" : "s");
  else if (v.mode == VIEW_CSV)
    printf("%u CSV file%s written to %s (%u table fragments)\n", v.n_files, v.n_files == 1 ? "" : "s", csv_dir, v.n_tables);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "keikaku: tables: write error\n");
    return KK_ERROR_INPUT;
  }
  return KK_OK;
}
