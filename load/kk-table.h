/*
 * kk-table.h — result tables of compare/search/export, written three ways:
 * aligned columns for a terminal (CJK characters count two cells), CSV
 * (RFC 4180) and JSON Lines (one object per row, typed values).
 */
#ifndef KK_TABLE_H
#define KK_TABLE_H

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  KK_FORMAT_TABLE, /* aligned text; integers grouped 1,234,567 */
  KK_FORMAT_CSV,   /* header line + rows, NULL as empty field */
  KK_FORMAT_JSON   /* JSON Lines, NULL as null */
} KkFormat;

/* A table of columns (names) and rows of JsonNode values (null, integer,
 * real or string). */
typedef struct {
  GPtrArray *columns; /* char * */
  GPtrArray *rows;    /* GPtrArray * of JsonNode * */
} KkTable;

KkTable *kk_table_new(void);
void kk_table_free(KkTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkTable, kk_table_free)

void kk_table_add_column(KkTable *table, const char *name);
/* Appends an empty row and returns it for kk_row_add_*(). */
GPtrArray *kk_table_add_row(KkTable *table);
void kk_row_add_string(GPtrArray *row, const char *text); /* NULL adds null */
void kk_row_add_int(GPtrArray *row, gint64 value);
void kk_row_add_double(GPtrArray *row, double value);
void kk_row_add_null(GPtrArray *row);
/* Adds a copy of column `col` of the current row of `st`. */
void kk_row_add_column(GPtrArray *row, sqlite3_stmt *st, int col);

/* Steps `st` to its end, adding every row (and, if the table has no
 * columns yet, the statement's column names). */
gboolean kk_table_add_stmt(KkTable *table, sqlite3 *db, sqlite3_stmt *st, GError **error);

/* Writes the table to `out`.  KK_FORMAT_TABLE cuts cells wider than
 * `max_width` display cells (0: no limit) with "…". */
gboolean kk_table_write(KkTable *table, KkFormat format, guint max_width, FILE *out, GError **error);

/* Streams the rows of `st` as CSV or JSON Lines without keeping them
 * (KK_FORMAT_TABLE is treated as CSV).  *n_rows_out may be NULL. */
gboolean kk_stmt_write(sqlite3 *db, sqlite3_stmt *st, KkFormat format, FILE *out,
                       guint64 *n_rows_out, GError **error);

/* Parses "table"/"csv"/"json"/"jsonl" into *format. */
gboolean kk_format_parse(const char *name, KkFormat *format);

/* Display width of UTF-8 text on a terminal (wide/fullwidth count 2). */
gsize kk_display_width(const char *text);

G_END_DECLS

#endif
