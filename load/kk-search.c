/* kk-search.c — see kk-search.h */
#include "kk-search.h"
#include "kk-db.h"
#include "common/kk-error.h"

#include <string.h>

/* Longest query accepted (bytes), and most terms. */
#define MAX_QUERY 4096
#define MAX_TERMS 16

char *kk_search_snippet(const char *text, const char *term, guint context)
{
  if (text == NULL)
    return g_strdup("");
  g_autofree char *lower_text = g_ascii_strdown(text, -1);
  g_autofree char *lower_term = g_ascii_strdown(term ? term : "", -1);
  const char *hit = *lower_term ? strstr(lower_text, lower_term) : NULL;
  gsize start = hit ? (gsize)(hit - lower_text) : 0; /* byte offsets agree */
  gsize len = hit ? strlen(lower_term) : 0;

  /* Walk back and forward `context` characters from the match. */
  const char *from = text + start;
  for (guint i = 0; i < context && from > text; i++)
    from = g_utf8_prev_char(from);
  const char *to = text + start + len;
  for (guint i = 0; i < context && *to; i++)
    to = g_utf8_next_char(to);

  GString *s = g_string_new(from > text ? "…" : "");
  for (const char *p = from; p < to; p = g_utf8_next_char(p)) {
    if (hit && p == text + start)
      g_string_append_c(s, '[');
    if (hit && p == text + start + len)
      g_string_append_c(s, ']');
    gunichar c = g_utf8_get_char(p);
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
    if (!g_unichar_iscntrl(c))
      g_string_append_unichar(s, c);
  }
  if (hit && to == text + start + len)
    g_string_append_c(s, ']');
  if (*to)
    g_string_append(s, "…");
  return g_string_free(s, FALSE);
}

/* Splits the NFKC-normalized query into terms at white space. */
static GPtrArray *split_terms(const char *query, GError **error)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func(g_free);
  if (query == NULL || strlen(query) > MAX_QUERY || !g_utf8_validate(query, -1, NULL)) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "the query must be UTF-8 text of at most %d bytes", MAX_QUERY);
    g_ptr_array_unref(terms);
    return NULL;
  }
  g_autofree char *norm = g_utf8_normalize(query, -1, G_NORMALIZE_NFKC);
  GString *cur = g_string_new(NULL);
  for (const char *p = norm ? norm : ""; ; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == 0 || g_unichar_isspace(c)) {
      if (cur->len > 0)
        g_ptr_array_add(terms, g_strdup(cur->str));
      g_string_truncate(cur, 0);
      if (c == 0)
        break;
    } else {
      g_string_append_unichar(cur, c);
    }
  }
  g_string_free(cur, TRUE);
  if (terms->len == 0 || terms->len > MAX_TERMS) {
    g_set_error(error, KK_ERROR, KK_ERROR_USAGE, "give between 1 and %d search terms", MAX_TERMS);
    g_ptr_array_unref(terms);
    return NULL;
  }
  return terms;
}

/* An FTS5 phrase for `term`: in double quotes, inner quotes doubled. */
static void append_phrase(GString *match, const char *term)
{
  if (match->len > 0)
    g_string_append_c(match, ' ');
  g_string_append_c(match, '"');
  for (const char *p = term; *p; p++) {
    if (*p == '"')
      g_string_append_c(match, '"');
    g_string_append_c(match, *p);
  }
  g_string_append_c(match, '"');
}

gboolean kk_search(sqlite3 *db, const char *query, guint limit, KkTable *table, GError **error)
{
  return kk_search_in(db, query, NULL, limit, table, error);
}

gboolean kk_search_in(sqlite3 *db, const char *query, const char *municipality, guint limit,
                      KkTable *table, GError **error)
{
  g_autoptr(GPtrArray) terms = split_terms(query, error);
  if (terms == NULL)
    return FALSE;
  g_autoptr(GString) match = g_string_new(NULL);
  g_autoptr(GPtrArray) short_terms = g_ptr_array_new();
  for (guint i = 0; i < terms->len; i++) {
    const char *t = g_ptr_array_index(terms, i);
    if (g_utf8_strlen(t, -1) >= 3)
      append_phrase(match, t);
    else
      g_ptr_array_add(short_terms, (gpointer)t);
  }
  /* a page unit's text is its page's (kk-schema.sql.h, version 2) */
#define UNIT_TEXT "(CASE WHEN u.kind = 'page' THEN p.text ELSE u.text END)"
  g_autoptr(GString) sql = g_string_new(
      "SELECT d.municipality, d.file, u.page_no, u.kind, i.item_no, i.title, " UNIT_TEXT);
  if (match->len > 0)
    g_string_append(sql, " FROM kk_search_fts f JOIN kk_search_units u ON u.id = f.rowid");
  else
    g_string_append(sql, " FROM kk_search_units u");
  g_string_append(sql, " JOIN documents d ON d.id = u.document_id"
                       " LEFT JOIN items i ON i.id = u.item_id"
                       " LEFT JOIN pages p ON u.kind = 'page' AND p.document_id = u.document_id"
                       " AND p.page_no = u.page_no WHERE 1");
  int param = 1;
  if (match->len > 0)
    g_string_append_printf(sql, " AND kk_search_fts MATCH ?%d", param++);
  for (guint i = 0; i < short_terms->len; i++) {
    /* lower() folds ASCII only, like the ASCII folding of the snippet. */
    const char *t = g_ptr_array_index(short_terms, i);
    gboolean ascii = TRUE;
    for (const char *p = t; *p; p++)
      ascii = ascii && !((guchar)*p & 0x80);
    g_string_append_printf(sql, ascii ? " AND instr(lower(" UNIT_TEXT "), lower(?%d)) > 0"
                                      : " AND instr(" UNIT_TEXT ", ?%d) > 0", param++);
  }
  int muni_param = param++;
  g_string_append_printf(sql, " AND (?%d IS NULL OR d.municipality = ?%d OR d.lg_code = ?%d)",
                         muni_param, muni_param, muni_param);
  g_string_append_printf(sql, " ORDER BY %s LIMIT ?%d",
                         match->len > 0 ? "f.rank, u.id" : "u.document_id, u.page_no, u.kind, u.id", param);
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, sql->str, error);
  if (st == NULL)
    return FALSE;
  param = 1;
  if (match->len > 0)
    kk_db_bind_text(st, param++, match->str);
  for (guint i = 0; i < short_terms->len; i++)
    kk_db_bind_text(st, param++, g_ptr_array_index(short_terms, i));
  kk_db_bind_text(st, param++, municipality);
  sqlite3_bind_int64(st, param, limit > 0 ? (gint64)limit : -1);

  static const char *const columns[] = { "municipality", "file", "page", "kind", "item_no", "title", "snippet" };
  if (table->columns->len == 0)
    for (gsize i = 0; i < G_N_ELEMENTS(columns); i++)
      kk_table_add_column(table, columns[i]);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    GPtrArray *row = kk_table_add_row(table);
    for (int c = 0; c < 6; c++)
      kk_row_add_column(row, st, c);
    g_autofree char *snippet = kk_search_snippet((const char *)sqlite3_column_text(st, 6),
                                                 g_ptr_array_index(terms, 0), KK_SNIPPET_CONTEXT);
    kk_row_add_string(row, snippet);
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(db, "search", error);
  return TRUE;
}
