/* test_load_tables.c — the table and fact records into tables,
 * table_cells, table_facts and v_table_facts (load/kk-load-tables.c):
 * exact values, boxes, malformed cells skipped, a fact naming no table or
 * a table key given twice failing the whole document. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>

#include "common/kk-error.h"
#include "load/kk-db.h"
#include "load/kk-load.h"

#define DOC "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,\"municipality\":\"荒尾市\"," \
            "\"prefecture\":\"熊本県\",\"title\":\"行政改革大綱\",\"file\":\"a.pdf\",\"pages\":10," \
            "\"sha256\":\"00000000000000000000000000000000000000000000000000000000000000%s\"}"
#define TABLE "{\"type\":\"table\",\"key\":\"t1\",\"page\":9,\"page_end\":10,\"title\":\"図表10\",\"unit\":\"百万円\"," \
              "\"n_rows\":2,\"n_cols\":2,\"header_rows\":1,\"ruled\":true,\"cells\":[" \
              "[0,0,1,1,true,\"歳入\",9,[1,2,3,4]],[0,1,1,1,true,\"R7\",9,[5,6,7,8]]," \
              "[1,0,1,1,false,\"地方交付税\",10,null],[1,1,1,1,false,\"7,202\",10,[9,10,11,12]]," \
              "[1,1,1,1,false,\"twice\",10],\"not a cell\",[1],[-1,0,1,1,false,\"x\",1]]}"
#define FACT "{\"type\":\"fact\",\"table\":\"t1\",\"row_label\":\"地方交付税\",\"column_label\":\"R7\"," \
             "\"value\":7202000000,\"unit\":\"円\",\"fiscal_year\":2025,\"raw\":\"7,202\",\"page\":10," \
             "\"bbox\":[9,10,11,12]}"
#define FACT2 "{\"type\":\"fact\",\"table\":\"t1\",\"row_label\":\"経常収支比率\",\"column_label\":\"R3\"," \
              "\"value\":89.6,\"unit\":\"%\",\"fiscal_year\":9999,\"raw\":\"89.6\",\"page\":9}"
#define FACT_NULL "{\"type\":\"fact\",\"table\":\"t1\",\"row_label\":\"C\",\"value\":null,\"raw\":\"9e30\",\"page\":9}"

static gint64 scalar(sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  return sqlite3_column_int64(st, 0);
}

static char *text(sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  return g_strdup((const char *)sqlite3_column_text(st, 0));
}

/* Loads the records (document object first; its ten page records and an
 * end object are added, as load wants every page of the document). */
static gboolean load(sqlite3 *db, GError **error, const char *sha_tail, ...)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  g_autofree char *doc = g_strdup_printf(DOC, sha_tail);
  va_list ap;
  va_start(ap, sha_tail);
  for (const char *line = doc; line; line = va_arg(ap, const char *)) {
    g_autoptr(JsonParser) p = json_parser_new();
    assert_true(json_parser_load_from_data(p, line, -1, NULL));
    g_ptr_array_add(records, json_object_ref(json_node_get_object(json_parser_get_root(p))));
  }
  va_end(ap);
  for (int page = 1; page <= 10; page++) {
    g_autofree char *line = g_strdup_printf("{\"type\":\"page\",\"page\":%d,\"text\":\"\"}", page);
    g_autoptr(JsonParser) pp = json_parser_new();
    assert_true(json_parser_load_from_data(pp, line, -1, NULL));
    g_ptr_array_add(records, json_object_ref(json_node_get_object(json_parser_get_root(pp))));
  }
  g_autoptr(JsonParser) p = json_parser_new();
  assert_true(json_parser_load_from_data(p, "{\"type\":\"end\"}", -1, NULL));
  g_ptr_array_add(records, json_object_ref(json_node_get_object(json_parser_get_root(p))));
  KkLoadOutcome outcome;
  return kk_load_document(db, records, NULL, &outcome, NULL, error);
}

static sqlite3 *open_db(char **dir)
{
  *dir = g_dir_make_tmp("kk-tables-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(*dir, "t.db", NULL);
  g_autoptr(GError) e = NULL;
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, &e);
  assert_non_null(db);
  return db;
}

static void close_db(sqlite3 *db, char *dir)
{
  kk_db_close(db);
  const char *names[] = { "t.db", "t.db-wal", "t.db-shm" };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *p = g_build_filename(dir, names[i], NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
  g_free(dir);
}

/* A table with its cells and facts: exact values, the box, the view. */
static void test_table_and_facts(void **state)
{
  char *dir;
  sqlite3 *db = open_db(&dir);
  g_autoptr(GError) e = NULL;
  assert_true(load(db, &e, "01", TABLE, FACT, FACT2, FACT_NULL, NULL));
  assert_int_equal(scalar(db, "SELECT count(*) FROM tables WHERE page = 9 AND page_end = 10 AND ruled = 1"
                              " AND n_rows = 2 AND header_rows = 1 AND unit = '百万円'"), 1);
  /* four good cells; the duplicate place, a non-array and bad rows are skipped */
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells"), 4);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells WHERE header = 1"), 2);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells WHERE text = '7,202' AND page = 10 AND x0 = 9 AND y1 = 12"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells WHERE text = '地方交付税' AND x0 IS NULL"), 1);
  assert_int_equal(scalar(db, "SELECT value FROM v_table_facts WHERE row_label = '地方交付税'"), 7202000000);
  assert_int_equal(scalar(db, "SELECT typeof(value) = 'integer' FROM table_facts WHERE row_label = '地方交付税'"), 1);
  g_autofree char *pct = text(db, "SELECT value || ' ' || unit || ' ' || coalesce(fiscal_year, 'null')"
                                  " FROM table_facts WHERE row_label = '経常収支比率'");
  assert_string_equal(pct, "89.6 % null"); /* 9999 is no fiscal year */
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_facts WHERE row_label = 'C' AND value IS NULL AND raw = '9e30'"), 1);
  g_autofree char *view = text(db, "SELECT municipality || '|' || prefecture || '|' || lg_code || '|' || file || '|' ||"
                                   " document_title || '|' || table_title || '|' || fiscal_year"
                                   " FROM v_table_facts WHERE row_label = '地方交付税'");
  assert_string_equal(view, "荒尾市|熊本県|432041|a.pdf|行政改革大綱|図表10|2025");
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_boxes WHERE tbl = 'table_facts' AND x0 = 9 AND page = 10"), 1);
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units WHERE kind = 'table' AND table_id IS NOT NULL"), 1);
  close_db(db, dir);
}

/* A fact naming no table, or a key given twice, fails the document and
 * leaves nothing of it. */
static void test_bad_references_fail_the_document(void **state)
{
  char *dir;
  sqlite3 *db = open_db(&dir);
  g_autoptr(GError) e1 = NULL, e2 = NULL;
  assert_false(load(db, &e1, "02", FACT, NULL));
  assert_true(g_error_matches(e1, KK_ERROR, KK_ERROR_INPUT));
  assert_non_null(strstr(e1->message, "t1"));
  assert_false(load(db, &e2, "03", TABLE, TABLE, NULL));
  assert_true(g_error_matches(e2, KK_ERROR, KK_ERROR_INPUT));
  assert_int_equal(scalar(db, "SELECT count(*) FROM documents"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM tables"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells"), 0);
  close_db(db, dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_table_and_facts),
    cmocka_unit_test(test_bad_references_fail_the_document),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
