/* kk-compare.c — see kk-compare.h */
#include "kk-compare.h"
#include "kk-db.h"
#include "common/kk-error.h"

#include <string.h>

gboolean kk_compare_question_parse(const char *name, KkCompareQuestion *question)
{
  static const struct { const char *name; KkCompareQuestion q; } names[] = {
    { "overview", KK_COMPARE_OVERVIEW }, { "items", KK_COMPARE_ITEMS },
    { "targets", KK_COMPARE_MEASURES }, { "measures", KK_COMPARE_MEASURES },
    { "achievements", KK_COMPARE_ACHIEVEMENTS }, { "series", KK_COMPARE_SERIES },
    { "outlook", KK_COMPARE_SERIES }, { "budgets", KK_COMPARE_BUDGETS },
    { "facts", KK_COMPARE_FACTS },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_strcmp0(name, names[i].name) == 0) {
      *question = names[i].q;
      return TRUE;
    }
  return FALSE;
}

/* Every query binds ?1 = topic (or NULL), ?2 = municipality or lg_code (or
 * NULL), ?3 = role (or NULL), ?4 = series row label substring (or NULL);
 * the facts query also ?5 = column label substring, ?6 = fiscal year.
 * TERMS is the topic and its terms from topic_terms, lower-cased,
 * MATERIALIZED: as a plain CTE SQLite re-ran it for every row tested. */
#define TERMS "WITH terms(term) AS MATERIALIZED (SELECT lower(?1) WHERE ?1 IS NOT NULL" \
              " UNION SELECT lower(term) FROM topic_terms WHERE lower(topic) = lower(?1)) "
/* TRUE when no topic is given or a term occurs in one of the texts
 * (kk_has_term: kk-db.c; the terms subquery is evaluated once). */
#define TOPIC_IN(a, b, c) "(?1 IS NULL OR kk_has_term((SELECT group_concat(term, char(31)) FROM terms)," \
  " " a ", " b ", " c "))"
#define MUNICIPALITY(d) "(?2 IS NULL OR " d ".municipality = ?2 OR " d ".lg_code = ?2)"

static const char sql_overview[] =
  TERMS
  "SELECT d.prefecture, d.municipality, d.lg_code, count(*) AS documents,"
  " sum(d.pages) AS pages,"
  " sum((SELECT count(*) FROM items i WHERE i.document_id = d.id)) AS items,"
  " sum((SELECT count(*) FROM measures m WHERE m.document_id = d.id)) AS measures,"
  " sum((SELECT count(*) FROM series s WHERE s.document_id = d.id)) AS series,"
  " sum((SELECT count(*) FROM budgets b JOIN items i ON i.id = b.item_id WHERE i.document_id = d.id)) AS budgets,"
  " sum((SELECT count(*) FROM meetings m WHERE m.document_id = d.id)) AS meetings,"
  " group_concat(DISTINCT d.family) AS families"
  " FROM documents d WHERE " MUNICIPALITY("d") " AND (?3 IS NULL OR 1) AND (?4 IS NULL OR 1)"
  " GROUP BY d.lg_code, d.municipality ORDER BY d.lg_code, d.municipality";

static const char sql_items[] =
  TERMS
  "SELECT v.prefecture, v.municipality, v.item_no, v.title, v.department, v.category, v.page, v.file"
  " FROM v_items v WHERE " TOPIC_IN("v.title", "v.category", "v.department")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR 1) AND (?4 IS NULL OR 1)"
  " ORDER BY v.lg_code, v.document_id, v.item_id";

static const char sql_measures[] =
  TERMS
  "SELECT v.municipality, v.item_no, v.item_title AS item, v.label, v.role, v.value, v.unit,"
  " v.fiscal_year, v.raw, v.page, v.file"
  " FROM v_measures v LEFT JOIN items i ON i.id = v.item_id"
  " WHERE " TOPIC_IN("v.label", "v.item_title", "i.category")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR v.role = ?3) AND (?4 IS NULL OR 1)"
  " ORDER BY v.lg_code, v.document_id, coalesce(v.item_id, 0), v.label, v.fiscal_year, v.role";

/* Pivoted: display columns, then group key, year, value (see pivot()). */
static const char sql_achievements[] =
  TERMS
  "SELECT v.municipality, v.item_no, v.item_title AS item, v.item_id, v.fiscal_year, v.rate"
  " FROM v_achievements v JOIN items i ON i.id = v.item_id"
  " WHERE " TOPIC_IN("i.title", "i.category", "i.department")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR 1) AND (?4 IS NULL OR 1)"
  " ORDER BY v.lg_code, v.document_id, v.item_id, v.fiscal_year";

static const char sql_series[] =
  TERMS
  "SELECT v.municipality, v.table_title, v.row_label, v.unit,"
  " v.document_id || char(31) || coalesce(v.table_title,'') || char(31) || coalesce(v.row_label,'')"
  " || char(31) || coalesce(v.unit,'') AS grp, v.fiscal_year, v.value"
  " FROM v_series v WHERE " TOPIC_IN("v.row_label", "v.table_title", "NULL")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR 1)"
  " AND (?4 IS NULL OR instr(v.row_label, ?4) > 0)"
  " ORDER BY v.row_label, v.lg_code, v.document_id, v.table_title, v.fiscal_year";

static const char sql_budgets[] =
  TERMS
  "SELECT v.municipality, v.item_no, v.item_title AS item, v.fiscal_year, v.total, v.national,"
  " v.prefectural, v.bonds, v.other, v.general_fund, v.file"
  " FROM v_budgets v JOIN items i ON i.id = v.item_id"
  " WHERE " TOPIC_IN("i.title", "i.category", "i.department")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR 1) AND (?4 IS NULL OR 1)"
  " ORDER BY v.lg_code, v.document_id, v.item_id, v.fiscal_year";

/* One row label side by side: every municipality's facts of that row,
 * by fiscal year (a year from the row or column header; NULL when the
 * table names none). */
static const char sql_facts[] =
  TERMS
  "SELECT v.prefecture, v.municipality, v.row_label, v.column_label, v.fiscal_year, v.value, v.unit,"
  " v.table_title, v.page, v.file"
  " FROM v_table_facts v WHERE " TOPIC_IN("v.row_label", "v.table_title", "v.column_label")
  " AND " MUNICIPALITY("v") " AND (?3 IS NULL OR 1)"
  " AND (?4 IS NULL OR instr(v.row_label, ?4) > 0)"
  " AND (?5 IS NULL OR instr(v.column_label, ?5) > 0)"
  " AND (?6 IS NULL OR v.fiscal_year = ?6)"
  " ORDER BY v.row_label, v.lg_code, v.municipality, v.fiscal_year, v.document_id, v.fact_id";

/* One row of a pivot: its display cells and its values by year. */
typedef struct {
  GPtrArray *display;  /* JsonNode * */
  GHashTable *by_year; /* GINT_TO_POINTER(year) -> JsonNode * */
} PivotRow;

static void pivot_row_free(gpointer p)
{
  PivotRow *r = p;
  g_ptr_array_unref(r->display);
  g_hash_table_unref(r->by_year);
  g_free(r);
}

static gint compare_ints(gconstpointer a, gconstpointer b)
{
  gint x = *(const gint *)a, y = *(const gint *)b;
  return (x > y) - (x < y);
}

/* Turns rows (display columns 0..n_display-1, group key, fiscal year,
 * value) into one row per group with a column "FY<year>" per year. */
static gboolean pivot(sqlite3 *db, sqlite3_stmt *st, int n_display, KkTable *table, GError **error)
{
  int key_col = n_display, year_col = n_display + 1, value_col = n_display + 2;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(pivot_row_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) year_set = g_hash_table_new(NULL, NULL);
  g_autoptr(GArray) years = g_array_new(FALSE, FALSE, sizeof(gint));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *key = (const char *)sqlite3_column_text(st, key_col);
    g_autofree char *k = g_strdup(key ? key : "");
    PivotRow *r = g_hash_table_lookup(by_key, k);
    if (r == NULL) {
      r = g_new0(PivotRow, 1);
      r->display = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
      r->by_year = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)json_node_unref);
      for (int c = 0; c < n_display; c++)
        kk_row_add_column(r->display, st, c);
      g_hash_table_insert(by_key, g_steal_pointer(&k), r);
      g_ptr_array_add(rows, r);
    }
    if (sqlite3_column_type(st, year_col) == SQLITE_NULL)
      continue;
    gint year = sqlite3_column_int(st, year_col);
    if (!g_hash_table_contains(year_set, GINT_TO_POINTER(year))) {
      g_hash_table_add(year_set, GINT_TO_POINTER(year));
      g_array_append_val(years, year);
    }
    g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func((GDestroyNotify)json_node_unref);
    kk_row_add_column(one, st, value_col);
    g_hash_table_replace(r->by_year, GINT_TO_POINTER(year), g_ptr_array_steal_index(one, 0));
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(db, "compare", error);
  g_array_sort(years, compare_ints);
  for (int c = 0; c < n_display; c++)
    kk_table_add_column(table, sqlite3_column_name(st, c));
  for (guint y = 0; y < years->len; y++) {
    g_autofree char *name = g_strdup_printf("FY%d", g_array_index(years, gint, y));
    kk_table_add_column(table, name);
  }
  for (guint i = 0; i < rows->len; i++) {
    PivotRow *r = g_ptr_array_index(rows, i);
    GPtrArray *out = kk_table_add_row(table);
    for (guint c = 0; c < r->display->len; c++)
      g_ptr_array_add(out, json_node_copy(g_ptr_array_index(r->display, c)));
    for (guint y = 0; y < years->len; y++) {
      JsonNode *v = g_hash_table_lookup(r->by_year, GINT_TO_POINTER(g_array_index(years, gint, y)));
      if (v)
        g_ptr_array_add(out, json_node_copy(v));
      else
        kk_row_add_null(out);
    }
  }
  return TRUE;
}

gboolean kk_compare(sqlite3 *db, KkCompareQuestion question, const KkCompareFilter *filter,
                    KkTable *table, GError **error)
{
  const char *sql = NULL;
  int pivot_display = 0; /* > 0: pivot with this many display columns */
  switch (question) {
  case KK_COMPARE_OVERVIEW: sql = sql_overview; break;
  case KK_COMPARE_ITEMS: sql = sql_items; break;
  case KK_COMPARE_MEASURES: sql = sql_measures; break;
  case KK_COMPARE_ACHIEVEMENTS: sql = sql_achievements; pivot_display = 3; break;
  case KK_COMPARE_SERIES: sql = sql_series; pivot_display = 4; break;
  case KK_COMPARE_BUDGETS: sql = sql_budgets; break;
  case KK_COMPARE_FACTS: sql = sql_facts; break;
  }
  if (filter && filter->role) {
    static const char *const roles[] = { "target", "baseline", "actual", "limit", "plan" };
    gboolean ok = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(roles); i++)
      ok = ok || strcmp(filter->role, roles[i]) == 0;
    if (!ok) {
      g_set_error(error, KK_ERROR, KK_ERROR_USAGE,
                  "role must be target, baseline, actual, limit or plan, not '%s'", filter->role);
      return FALSE;
    }
  }
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, sql, error);
  if (st == NULL)
    return FALSE;
  kk_db_bind_text(st, 1, filter ? filter->topic : NULL);
  kk_db_bind_text(st, 2, filter ? filter->municipality : NULL);
  kk_db_bind_text(st, 3, filter ? filter->role : NULL);
  kk_db_bind_text(st, 4, filter ? filter->row : NULL);
  if (question == KK_COMPARE_FACTS) {
    kk_db_bind_text(st, 5, filter ? filter->column : NULL);
    if (filter && filter->year > 0)
      sqlite3_bind_int(st, 6, filter->year);
  }
  if (pivot_display > 0)
    return pivot(db, st, pivot_display, table, error);
  return kk_table_add_stmt(table, db, st, error);
}
