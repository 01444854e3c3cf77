/* kk-table.c — see kk-table.h */
#include "kk-table.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <math.h>
#include <string.h>

KkTable *kk_table_new(void)
{
  KkTable *t = g_new0(KkTable, 1);
  t->columns = g_ptr_array_new_with_free_func(g_free);
  t->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  return t;
}

void kk_table_free(KkTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref(table->columns);
  g_ptr_array_unref(table->rows);
  g_free(table);
}

void kk_table_add_column(KkTable *table, const char *name)
{
  g_ptr_array_add(table->columns, g_strdup(name ? name : ""));
}

GPtrArray *kk_table_add_row(KkTable *table)
{
  GPtrArray *row = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
  g_ptr_array_add(table->rows, row);
  return row;
}

void kk_row_add_null(GPtrArray *row)
{
  g_ptr_array_add(row, json_node_new(JSON_NODE_NULL));
}

void kk_row_add_string(GPtrArray *row, const char *text)
{
  if (text == NULL) {
    kk_row_add_null(row);
    return;
  }
  JsonNode *n = json_node_new(JSON_NODE_VALUE);
  json_node_set_string(n, text);
  g_ptr_array_add(row, n);
}

void kk_row_add_int(GPtrArray *row, gint64 value)
{
  JsonNode *n = json_node_new(JSON_NODE_VALUE);
  json_node_set_int(n, value);
  g_ptr_array_add(row, n);
}

void kk_row_add_double(GPtrArray *row, double value)
{
  if (!isfinite(value)) {
    kk_row_add_null(row);
    return;
  }
  JsonNode *n = json_node_new(JSON_NODE_VALUE);
  json_node_set_double(n, value);
  g_ptr_array_add(row, n);
}

void kk_row_add_column(GPtrArray *row, sqlite3_stmt *st, int col)
{
  switch (sqlite3_column_type(st, col)) {
  case SQLITE_INTEGER: kk_row_add_int(row, sqlite3_column_int64(st, col)); break;
  case SQLITE_FLOAT: kk_row_add_double(row, sqlite3_column_double(st, col)); break;
  case SQLITE_NULL: kk_row_add_null(row); break;
  default: {
    /* TEXT, and BLOB shown as text only when it is valid UTF-8 */
    const char *text = (const char *)sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    if (text == NULL || !g_utf8_validate(text, len, NULL))
      kk_row_add_null(row);
    else
      kk_row_add_string(row, text);
  }
  }
}

gboolean kk_table_add_stmt(KkTable *table, sqlite3 *db, sqlite3_stmt *st, GError **error)
{
  int n = sqlite3_column_count(st);
  if (table->columns->len == 0)
    for (int i = 0; i < n; i++)
      kk_table_add_column(table, sqlite3_column_name(st, i));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    GPtrArray *row = kk_table_add_row(table);
    for (int i = 0; i < n; i++)
      kk_row_add_column(row, st, i);
  }
  if (rc != SQLITE_DONE) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "query: %s", sqlite3_errmsg(db));
    return FALSE;
  }
  return TRUE;
}

gboolean kk_format_parse(const char *name, KkFormat *format)
{
  if (g_strcmp0(name, "table") == 0) *format = KK_FORMAT_TABLE;
  else if (g_strcmp0(name, "csv") == 0) *format = KK_FORMAT_CSV;
  else if (g_strcmp0(name, "json") == 0 || g_strcmp0(name, "jsonl") == 0) *format = KK_FORMAT_JSON;
  else return FALSE;
  return TRUE;
}

gsize kk_display_width(const char *text)
{
  gsize w = 0;
  for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_iszerowidth(c))
      continue;
    w += g_unichar_iswide(c) ? 2 : 1;
  }
  return w;
}

/* Text of a value: integers plain (CSV/JSON) or, from 10,000 up, grouped
 * by thousands (terminal), reals with up to 2 decimals on a terminal, full otherwise. */
static char *node_text(JsonNode *n, gboolean for_terminal)
{
  if (n == NULL || JSON_NODE_HOLDS_NULL(n))
    return g_strdup("");
  GType t = json_node_get_value_type(n);
  if (t == G_TYPE_INT64) {
    gint64 v = json_node_get_int(n);
    /* years, pages and small counts stay plain; amounts get grouped */
    if (!for_terminal || (v > -10000 && v < 10000))
      return g_strdup_printf("%" G_GINT64_FORMAT, v);
    g_autofree char *digits = g_strdup_printf("%" G_GUINT64_FORMAT, v < 0 ? (guint64)0 - (guint64)v : (guint64)v);
    GString *s = g_string_new(v < 0 ? "-" : "");
    gsize len = strlen(digits);
    for (gsize i = 0; i < len; i++) {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c(s, ',');
      g_string_append_c(s, digits[i]);
    }
    return g_string_free(s, FALSE);
  }
  if (t == G_TYPE_DOUBLE) {
    double d = json_node_get_double(n);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (for_terminal) {
      g_ascii_formatd(buf, sizeof buf, "%.2f", d);
      /* 85.00 -> 85, 12.50 -> 12.5 */
      char *dot = strchr(buf, '.');
      if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
          *end-- = '\0';
        if (end == dot)
          *end = '\0';
      }
      return g_strdup(buf);
    }
    return g_strdup(g_ascii_dtostr(buf, sizeof buf, d));
  }
  if (t == G_TYPE_STRING)
    return g_strdup(json_node_get_string(n));
  return g_strdup("");
}

static gboolean is_number(JsonNode *n)
{
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
    return FALSE;
  GType t = json_node_get_value_type(n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

/* One line on a terminal: newlines and tabs become spaces, and text wider
 * than `max_width` cells is cut with "…". */
static char *terminal_cell(const char *text, guint max_width)
{
  GString *s = g_string_new(NULL);
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
    if (!g_unichar_iscntrl(c))
      g_string_append_unichar(s, c);
  }
  if (max_width == 0 || kk_display_width(s->str) <= max_width)
    return g_string_free(s, FALSE);
  GString *cut = g_string_new(NULL);
  gsize w = 0;
  for (const char *p = s->str; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    gsize cw = g_unichar_iszerowidth(c) ? 0 : (g_unichar_iswide(c) ? 2 : 1);
    if (w + cw > max_width - 1)
      break;
    g_string_append_unichar(cut, c);
    w += cw;
  }
  g_string_append(cut, "…");
  g_string_free(s, TRUE);
  return g_string_free(cut, FALSE);
}

static gboolean check_write(FILE *out, GError **error)
{
  if (ferror(out)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

/* Writes one CSV field, quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *text)
{
  if (strpbrk(text, ",\"\r\n") == NULL) {
    fputs(text, out);
    return;
  }
  fputc('"', out);
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

static void write_csv_row(FILE *out, GPtrArray *row)
{
  for (guint i = 0; i < row->len; i++) {
    g_autofree char *text = node_text(g_ptr_array_index(row, i), FALSE);
    if (i > 0)
      fputc(',', out);
    csv_field(out, text);
  }
  fputs("\r\n", out);
}

static gboolean write_json_row(FILE *out, GPtrArray *columns, GPtrArray *row, GError **error)
{
  g_autoptr(JsonObject) o = json_object_new();
  for (guint i = 0; i < row->len && i < columns->len; i++)
    json_object_set_member(o, g_ptr_array_index(columns, i), json_node_copy(g_ptr_array_index(row, i)));
  return kk_jsonl_write(out, o, error);
}

gboolean kk_table_write(KkTable *table, KkFormat format, guint max_width, FILE *out, GError **error)
{
  guint ncol = table->columns->len;
  if (format == KK_FORMAT_CSV) {
    for (guint i = 0; i < ncol; i++) {
      if (i > 0)
        fputc(',', out);
      csv_field(out, g_ptr_array_index(table->columns, i));
    }
    fputs("\r\n", out);
    for (guint r = 0; r < table->rows->len; r++)
      write_csv_row(out, g_ptr_array_index(table->rows, r));
    return check_write(out, error);
  }
  if (format == KK_FORMAT_JSON) {
    for (guint r = 0; r < table->rows->len; r++)
      if (!write_json_row(out, table->columns, g_ptr_array_index(table->rows, r), error))
        return FALSE;
    return check_write(out, error);
  }
  /* Terminal: every cell rendered first, then padded to its column. */
  guint nrow = table->rows->len;
  g_autofree gsize *width = g_new0(gsize, ncol);
  g_autofree gboolean *numeric = g_new0(gboolean, ncol);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
  for (guint c = 0; c < ncol; c++) {
    char *h = terminal_cell(g_ptr_array_index(table->columns, c), max_width);
    width[c] = kk_display_width(h);
    g_ptr_array_add(cells, h);
    numeric[c] = nrow > 0;
  }
  for (guint r = 0; r < nrow; r++) {
    GPtrArray *row = g_ptr_array_index(table->rows, r);
    for (guint c = 0; c < ncol; c++) {
      JsonNode *n = c < row->len ? g_ptr_array_index(row, c) : NULL;
      g_autofree char *raw = node_text(n, TRUE);
      char *cell = terminal_cell(raw, max_width);
      width[c] = MAX(width[c], kk_display_width(cell));
      if (n != NULL && !JSON_NODE_HOLDS_NULL(n) && !is_number(n))
        numeric[c] = FALSE;
      g_ptr_array_add(cells, cell);
    }
  }
  g_autoptr(GString) line = g_string_new(NULL);
  for (guint r = 0; r <= nrow; r++) {
    g_string_truncate(line, 0);
    for (guint c = 0; c < ncol; c++) {
      const char *cell = g_ptr_array_index(cells, r * ncol + c);
      gsize pad = width[c] - kk_display_width(cell);
      if (c > 0)
        g_string_append(line, "  ");
      if (numeric[c] && r > 0) {
        g_string_append_printf(line, "%*s", (int)pad, "");
        g_string_append(line, cell);
      } else {
        g_string_append(line, cell);
        g_string_append_printf(line, "%*s", (int)pad, "");
      }
    }
    while (line->len > 0 && line->str[line->len - 1] == ' ')
      g_string_truncate(line, line->len - 1);
    fprintf(out, "%s\n", line->str);
    if (r == 0) {
      g_string_truncate(line, 0);
      for (guint c = 0; c < ncol; c++) {
        if (c > 0)
          g_string_append(line, "  ");
        for (gsize i = 0; i < width[c]; i++)
          g_string_append_c(line, '-');
      }
      fprintf(out, "%s\n", line->str);
    }
  }
  return check_write(out, error);
}

gboolean kk_stmt_write(sqlite3 *db, sqlite3_stmt *st, KkFormat format, FILE *out,
                       guint64 *n_rows_out, GError **error)
{
  int n = sqlite3_column_count(st);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < n; i++)
    g_ptr_array_add(columns, g_strdup(sqlite3_column_name(st, i)));
  if (format != KK_FORMAT_JSON) {
    for (int i = 0; i < n; i++) {
      if (i > 0)
        fputc(',', out);
      csv_field(out, g_ptr_array_index(columns, i));
    }
    fputs("\r\n", out);
  }
  guint64 count = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
    for (int i = 0; i < n; i++)
      kk_row_add_column(row, st, i);
    if (format == KK_FORMAT_JSON) {
      if (!write_json_row(out, columns, row, error))
        return FALSE;
    } else {
      write_csv_row(out, row);
    }
    count++;
    if (count % 4096 == 0 && !check_write(out, error))
      return FALSE;
  }
  if (rc != SQLITE_DONE) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "query: %s", sqlite3_errmsg(db));
    return FALSE;
  }
  if (n_rows_out)
    *n_rows_out = count;
  return check_write(out, error);
}
