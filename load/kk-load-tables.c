/* kk-load-tables.c — see kk-load-tables.h */
#include "kk-load-tables.h"
#include "kk-db.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

enum { TS_TABLE, TS_CELL, TS_FACT, TS_BOX, N_TS };
static const char *const table_sql[N_TS] = {
  [TS_TABLE] = "INSERT INTO tables(document_id, page, page_end, title, unit, n_rows, n_cols, header_rows, ruled)"
               " VALUES (?,?,?,?,?,?,?,?,?)",
  /* OR IGNORE: a second cell at the same place (hostile input) is dropped */
  [TS_CELL] = "INSERT OR IGNORE INTO table_cells(table_id, row, col, rowspan, colspan, header, text, page,"
              " x0, y0, x1, y1, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
  [TS_FACT] = "INSERT INTO table_facts(table_id, document_id, row_label, column_label, value, unit,"
              " fiscal_year, raw, page, confidence) VALUES (?,?,?,?,?,?,?,?,?,?)",
  [TS_BOX] = "INSERT OR REPLACE INTO kk_boxes(tbl, row_id, document_id, page, x0, y0, x1, y1)"
             " VALUES ('table_facts',?,?,?,?,?,?,?)",
};

struct KkTableWriter {
  sqlite3 *db;
  gint64 doc_id;
  sqlite3_stmt *st[N_TS];
  GHashTable *ids; /* table key (owned) -> tables.id as gint64 * */
};

KkTableWriter *kk_table_writer_new(sqlite3 *db, gint64 doc_id)
{
  KkTableWriter *tw = g_new0(KkTableWriter, 1);
  tw->db = db;
  tw->doc_id = doc_id;
  tw->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return tw;
}

void kk_table_writer_free(KkTableWriter *tw)
{
  if (tw == NULL)
    return;
  for (int i = 0; i < N_TS; i++)
    sqlite3_finalize(tw->st[i]);
  g_hash_table_unref(tw->ids);
  g_free(tw);
}

/* The prepared statement `which`, reset for reuse. */
static sqlite3_stmt *prepared(KkTableWriter *tw, int which, GError **error)
{
  if (tw->st[which] == NULL)
    return tw->st[which] = kk_db_prepare(tw->db, table_sql[which], error);
  sqlite3_reset(tw->st[which]);
  sqlite3_clear_bindings(tw->st[which]);
  return tw->st[which];
}

/* Binds a non-negative integer member no larger than `max`, else NULL. */
static void bind_count(sqlite3_stmt *st, int index, JsonObject *o, const char *member, gint64 max)
{
  gint64 v = kk_json_int(o, member, -1);
  if (v >= 0 && v <= max)
    sqlite3_bind_int64(st, index, v);
  else
    sqlite3_bind_null(st, index);
}

/* Binds a JSON boolean member as 0/1, else NULL. */
static void bind_bool(sqlite3_stmt *st, int index, JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member(o, member);
  if (n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_BOOLEAN)
    sqlite3_bind_int(st, index, json_node_get_boolean(n));
  else
    sqlite3_bind_null(st, index);
}

/* Binds the four numbers of a bbox member from `first` on, or NULLs. */
static void bind_bbox(sqlite3_stmt *st, int first, JsonObject *o)
{
  double bb[4];
  gboolean ok = kk_json_bbox(o, "bbox", bb);
  for (int i = 0; i < 4; i++) {
    if (ok && isfinite(bb[i]))
      sqlite3_bind_double(st, first + i, bb[i]);
    else
      sqlite3_bind_null(st, first + i);
  }
}

/* Element i of a cell array as an integer, else `dflt`. */
static gint64 cell_int(JsonArray *c, guint i, gint64 dflt)
{
  JsonNode *n = json_array_get_element(c, i);
  if (n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64)
    return json_node_get_int(n);
  return dflt;
}

/* Binds an OCR confidence (a number in 0..100) held by `n`, else NULL. */
static void bind_confidence(sqlite3_stmt *st, int index, JsonNode *n)
{
  if (n && JSON_NODE_HOLDS_VALUE(n) && (json_node_get_value_type(n) == G_TYPE_DOUBLE ||
                                        json_node_get_value_type(n) == G_TYPE_INT64)) {
    double v = json_node_get_double(n);
    if (isfinite(v) && v >= 0 && v <= 100) {
      sqlite3_bind_double(st, index, v);
      return;
    }
  }
  sqlite3_bind_null(st, index);
}

static gboolean step_done(KkTableWriter *tw, sqlite3_stmt *st, const char *what, GError **error)
{
  if (sqlite3_step(st) != SQLITE_DONE)
    return kk_db_fail(tw->db, what, error);
  return TRUE;
}

gboolean kk_table_writer_table(KkTableWriter *tw, JsonObject *o, gint64 *table_id, char **search_text,
                               GError **error)
{
  *search_text = NULL;
  const char *key = kk_json_string(o, "key", NULL);
  if (key == NULL || g_hash_table_contains(tw->ids, key)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, key ? "table key \"%s\" given twice" : "table without \"key\"%s",
                key ? key : "");
    return FALSE;
  }
  JsonArray *cells = kk_json_array(o, "cells");
  guint n = cells ? json_array_get_length(cells) : 0;
  if (n > KK_LOAD_MAX_CELLS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "table \"%s\" has more than %u cells", key, KK_LOAD_MAX_CELLS);
    return FALSE;
  }
  sqlite3_stmt *st = prepared(tw, TS_TABLE, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, tw->doc_id);
  bind_count(st, 2, o, "page", 10000000);
  bind_count(st, 3, o, "page_end", 10000000);
  kk_db_bind_text(st, 4, kk_json_string(o, "title", NULL));
  kk_db_bind_text(st, 5, kk_json_string(o, "unit", NULL));
  bind_count(st, 6, o, "n_rows", G_MAXINT32);
  bind_count(st, 7, o, "n_cols", G_MAXINT32);
  bind_count(st, 8, o, "header_rows", G_MAXINT32);
  bind_bool(st, 9, o, "ruled");
  if (!step_done(tw, st, "insert table", error))
    return FALSE;
  gint64 id = sqlite3_last_insert_rowid(tw->db);
  g_autoptr(GString) text = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    /* [row, col, rowspan, colspan, header, text, page, bbox, confidence?] (FORMATS.md) */
    JsonNode *cn = json_array_get_element(cells, i);
    JsonArray *c = JSON_NODE_HOLDS_ARRAY(cn) ? json_node_get_array(cn) : NULL;
    if (c == NULL || json_array_get_length(c) < 7)
      continue;
    gint64 row = cell_int(c, 0, -1), col = cell_int(c, 1, -1);
    if (row < 0 || col < 0 || row > G_MAXINT32 || col > G_MAXINT32)
      continue;
    sqlite3_stmt *cs = prepared(tw, TS_CELL, error);
    if (cs == NULL)
      return FALSE;
    JsonNode *tn = json_array_get_element(c, 5);
    const char *ct = JSON_NODE_HOLDS_VALUE(tn) && json_node_get_value_type(tn) == G_TYPE_STRING
                     ? json_node_get_string(tn) : "";
    JsonNode *hn = json_array_get_element(c, 4);
    sqlite3_bind_int64(cs, 1, id);
    sqlite3_bind_int64(cs, 2, row);
    sqlite3_bind_int64(cs, 3, col);
    sqlite3_bind_int64(cs, 4, CLAMP(cell_int(c, 2, 1), 1, G_MAXINT32));
    sqlite3_bind_int64(cs, 5, CLAMP(cell_int(c, 3, 1), 1, G_MAXINT32));
    sqlite3_bind_int(cs, 6, JSON_NODE_HOLDS_VALUE(hn) && json_node_get_value_type(hn) == G_TYPE_BOOLEAN &&
                            json_node_get_boolean(hn));
    kk_db_bind_text(cs, 7, ct);
    gint64 page = cell_int(c, 6, 0);
    if (page > 0 && page <= 10000000)
      sqlite3_bind_int64(cs, 8, page);
    else
      sqlite3_bind_null(cs, 8);
    JsonNode *bn = json_array_get_length(c) > 7 ? json_array_get_element(c, 7) : NULL;
    JsonArray *bb = bn && JSON_NODE_HOLDS_ARRAY(bn) ? json_node_get_array(bn) : NULL;
    for (int k = 0; k < 4; k++) {
      JsonNode *v = bb && json_array_get_length(bb) == 4 ? json_array_get_element(bb, k) : NULL;
      if (v && JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) != G_TYPE_STRING &&
          isfinite(json_node_get_double(v)))
        sqlite3_bind_double(cs, 9 + k, json_node_get_double(v));
      else
        sqlite3_bind_null(cs, 9 + k);
    }
    bind_confidence(cs, 13, json_array_get_length(c) > 8 ? json_array_get_element(c, 8) : NULL);
    if (!step_done(tw, cs, "insert table cell", error))
      return FALSE;
    if (*ct) {
      g_string_append(text, ct);
      g_string_append_c(text, '\n');
    }
  }
  gint64 *stored = g_new(gint64, 1);
  *stored = id;
  g_hash_table_insert(tw->ids, g_strdup(key), stored);
  *table_id = id;
  *search_text = g_string_free(g_steal_pointer(&text), FALSE);
  return TRUE;
}

gboolean kk_table_writer_fact(KkTableWriter *tw, JsonObject *o, GError **error)
{
  const char *key = kk_json_string(o, "table", NULL);
  gint64 *table = key ? g_hash_table_lookup(tw->ids, key) : NULL;
  if (table == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "fact names table \"%s\", which no earlier table record has",
                key ? key : "(none)");
    return FALSE;
  }
  sqlite3_stmt *st = prepared(tw, TS_FACT, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, *table);
  sqlite3_bind_int64(st, 2, tw->doc_id);
  kk_db_bind_text(st, 3, kk_json_string(o, "row_label", NULL));
  kk_db_bind_text(st, 4, kk_json_string(o, "column_label", NULL));
  JsonNode *v = json_object_get_member(o, "value");
  if (v && JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_INT64)
    sqlite3_bind_int64(st, 5, json_node_get_int(v));
  else if (v && JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_DOUBLE &&
           isfinite(json_node_get_double(v)))
    sqlite3_bind_double(st, 5, json_node_get_double(v));
  else
    sqlite3_bind_null(st, 5);
  kk_db_bind_text(st, 6, kk_json_string(o, "unit", NULL));
  gint64 fy = kk_json_int(o, "fiscal_year", 0);
  if (fy >= 1868 && fy <= 2200)
    sqlite3_bind_int64(st, 7, fy);
  else
    sqlite3_bind_null(st, 7);
  kk_db_bind_text(st, 8, kk_json_string(o, "raw", NULL));
  bind_count(st, 9, o, "page", 10000000);
  bind_confidence(st, 10, json_object_get_member(o, "confidence"));
  if (!step_done(tw, st, "insert table fact", error))
    return FALSE;
  gint64 id = sqlite3_last_insert_rowid(tw->db);
  double bb[4];
  if (!kk_json_bbox(o, "bbox", bb))
    return TRUE;
  sqlite3_stmt *bs = prepared(tw, TS_BOX, error);
  if (bs == NULL)
    return FALSE;
  sqlite3_bind_int64(bs, 1, id);
  sqlite3_bind_int64(bs, 2, tw->doc_id);
  bind_count(bs, 3, o, "page", 10000000);
  bind_bbox(bs, 4, o);
  return step_done(tw, bs, "insert fact box", error);
}
