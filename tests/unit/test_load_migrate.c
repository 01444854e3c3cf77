/* test_load_migrate.c — schema version 2: a version-1 database (page text
 * in both pages and kk_search_units) migrates on open; afterwards page
 * text is stored once, search still finds and quotes it (trigram and short
 * terms), and replacing, editing or deleting pages keeps the FTS index
 * consistent with its content (FTS5 integrity-check).  Version 3: the
 * writer indexes a document's units in one statement instead of a trigger
 * per unit; a version-2 database migrates and stays consistent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>

#include "common/kk-error.h"
#include "load/kk-db.h"
#include "load/kk-load.h"
#include "load/kk-search.h"
#include "load/kk-table.h"
#include "load/kk-schema.sql.h"

static gint64 scalar(sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  return sqlite3_column_int64(st, 0);
}

static void exec(sqlite3 *db, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    fail_msg("%s: %s", sql, msg);
}

/* FTS5's own check that the index matches the content it reads. */
static void fts_consistent(sqlite3 *db)
{
  exec(db, "INSERT INTO kk_search_fts(kk_search_fts, rank) VALUES ('integrity-check', 1)");
}

/* Rows of search `query`; the first snippet in *first (caller frees). */
static guint search(sqlite3 *db, const char *query, char **first)
{
  g_autoptr(KkTable) t = kk_table_new();
  g_autoptr(GError) e = NULL;
  assert_true(kk_search(db, query, 0, t, &e));
  if (first)
    *first = t->rows->len ? g_strdup(json_node_get_string(g_ptr_array_index(
                                (GPtrArray *)g_ptr_array_index(t->rows, 0), 6)))
                          : NULL;
  return t->rows->len;
}

static void test_v1_database_migrates(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "v1.db", NULL);
  sqlite3 *raw = NULL;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  exec(raw, kk_schema_v1);
  exec(raw, "INSERT INTO documents(id, sha256, ingested_at) VALUES (1, 'aa', 'now');"
            "INSERT INTO pages VALUES (1, 1, '第六次荒尾市行政改革大綱');"
            "INSERT INTO pages VALUES (1, 2, '財政の見通し');"
            "INSERT INTO items(id, document_id, title) VALUES (7, 1, 'ふるさと納税の推進');"
            "INSERT INTO kk_search_units(document_id, kind, page_no, text) VALUES"
            " (1, 'page', 1, '第六次荒尾市行政改革大綱'), (1, 'page', 2, '財政の見通し');"
            "INSERT INTO kk_search_units(document_id, kind, item_id, page_no, text) VALUES"
            " (1, 'item', 7, 2, 'ふるさと納税の推進');"
            "PRAGMA user_version = 1;");
  sqlite3_close(raw);

  g_autoptr(GError) e = NULL;
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, &e);
  assert_non_null(db);
  assert_int_equal(scalar(db, "PRAGMA user_version"), KK_DB_SCHEMA_VERSION);
  assert_int_equal(KK_DB_SCHEMA_VERSION, 6);
  /* page text once: the units of pages keep none */
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units WHERE kind = 'page' AND text <> ''"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units"), 3);
  fts_consistent(db);
  /* trigram, short and two-term searches find the page text and quote it */
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL;
  assert_int_equal(search(db, "行政改革", &s1), 1);
  assert_non_null(strstr(s1, "[行政改革]"));
  assert_int_equal(search(db, "荒尾", &s2), 1);
  assert_non_null(strstr(s2, "[荒尾]"));
  assert_int_equal(search(db, "財政", &s3), 1);
  assert_int_equal(search(db, "ふるさと納税", NULL), 1);
  /* the short-term search walks the order index, no sort */
  assert_int_equal(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'kk_search_units_order'"), 1);

  /* editing a page re-indexes it */
  exec(db, "UPDATE pages SET text = '中期財政計画' WHERE document_id = 1 AND page_no = 2");
  fts_consistent(db);
  assert_int_equal(search(db, "中期財政", NULL), 1);
  assert_int_equal(search(db, "見通し", NULL), 0);
  /* deleting the document (cascades to pages and units, either first) */
  exec(db, "PRAGMA foreign_keys = ON; DELETE FROM documents WHERE id = 1");
  fts_consistent(db);
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units"), 0);
  assert_int_equal(search(db, "行政改革", NULL), 0);
  kk_db_close(db);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL), *shm = g_strconcat(path, "-shm", NULL);
  g_unlink(wal);
  g_unlink(shm);
  g_unlink(path);
  g_rmdir(dir);
}

/* A records stream that gives one page twice is refused (load/kk-load-check.c):
 * nothing of the document is written. */
static void test_page_given_twice(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "t.db", NULL);
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, NULL);
  assert_non_null(db);
  const char *lines[] = {
    "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,"
    "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000001\",\"pages\":1}",
    "{\"type\":\"page\",\"page\":1,\"text\":\"最初の本文です\"}",
    "{\"type\":\"page\",\"page\":1,\"text\":\"差し替えた本文です\"}",
    "{\"type\":\"end\",\"records\":2}",
  };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
    g_autoptr(JsonParser) p = json_parser_new();
    assert_true(json_parser_load_from_data(p, lines[i], -1, NULL));
    g_ptr_array_add(records, json_object_ref(json_node_get_object(json_parser_get_root(p))));
  }
  KkLoadOutcome outcome;
  g_autoptr(GError) e = NULL;
  assert_false(kk_load_document(db, records, NULL, &outcome, NULL, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e->message, "page 1 given twice"));
  assert_int_equal(scalar(db, "SELECT count(*) FROM documents"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units"), 0);
  fts_consistent(db);
  kk_db_close(db);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL), *shm = g_strconcat(path, "-shm", NULL);
  g_unlink(wal);
  g_unlink(shm);
  g_unlink(path);
  g_rmdir(dir);
}

/* Parses JSON Lines into records objects (for kk_load_document). */
static GPtrArray *records_of(const char *const *lines, gsize n)
{
  GPtrArray *records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  for (gsize i = 0; i < n; i++) {
    g_autoptr(JsonParser) p = json_parser_new();
    assert_true(json_parser_load_from_data(p, lines[i], -1, NULL));
    g_ptr_array_add(records, json_object_ref(json_node_get_object(json_parser_get_root(p))));
  }
  return records;
}

/* A version-2 database (units indexed by a trigger) migrates to version 3
 * and on to 4 (kk_search_units rebuilt with kind 'table'): the trigger is
 * gone, what it indexed is still found, documents loaded afterwards (with
 * a page given twice, a table and its fact, and re-derived) are indexed by
 * the writer, and the index matches its content throughout. */
static void test_v2_database_migrates(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "v2.db", NULL);
  sqlite3 *raw = NULL;
  assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
  exec(raw, kk_schema_v1);
  exec(raw, kk_schema_v2);
  exec(raw, "INSERT INTO documents(id, sha256, ingested_at) VALUES (1, 'aa', 'now');"
            "INSERT INTO pages VALUES (1, 1, '第六次荒尾市行政改革大綱');"
            "INSERT INTO kk_search_units(document_id, kind, page_no, text) VALUES (1, 'page', 1, '');"
            "PRAGMA user_version = 2;");
  sqlite3_close(raw);

  g_autoptr(GError) e = NULL;
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, &e);
  assert_non_null(db);
  assert_int_equal(scalar(db, "PRAGMA user_version"), KK_DB_SCHEMA_VERSION);
  assert_int_equal(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'kk_search_units_ai'"), 0);
  fts_consistent(db);
  assert_int_equal(search(db, "行政改革", NULL), 1);

  const char *lines[] = {
    "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,\"pipeline\":\"p1\","
    "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000002\",\"pages\":2}",
    "{\"type\":\"page\",\"page\":1,\"text\":\"中期財政計画の見通し\"}",
    "{\"type\":\"item\",\"key\":\"k1\",\"title\":\"ふるさと納税の推進\",\"page\":1,"
    "\"fields\":[{\"label\":\"目標\",\"value\":\"寄附額の増加\"}]}",
    "{\"type\":\"page\",\"page\":2,\"text\":\"人件費の抑制\"}",
    "{\"type\":\"table\",\"key\":\"t1\",\"page\":2,\"page_end\":2,\"n_rows\":2,\"n_cols\":2,\"header_rows\":1,"
    "\"ruled\":true,\"cells\":[[0,0,1,1,true,\"区分\",2,[1,2,3,4]],[0,1,1,1,true,\"R7\",2,null],"
    "[1,0,1,1,false,\"地方交付税\",2],[1,1,1,1,false,\"7,202\",2,[5,6,7,8]]]}",
    "{\"type\":\"fact\",\"table\":\"t1\",\"row_label\":\"地方交付税\",\"column_label\":\"R7\","
    "\"value\":7202000000,\"unit\":\"円\",\"fiscal_year\":2025,\"raw\":\"7,202\",\"page\":2,"
    "\"bbox\":[1,2,3,4]}",
    "{\"type\":\"end\",\"records\":5}",
  };
  g_autoptr(GPtrArray) records = records_of(lines, G_N_ELEMENTS(lines));
  KkLoadOutcome outcome;
  assert_true(kk_load_document(db, records, NULL, &outcome, NULL, &e));
  assert_int_equal(outcome, KK_LOAD_LOADED);
  fts_consistent(db);
  assert_int_equal(search(db, "行政改革", NULL), 1);
  assert_int_equal(search(db, "見通し", NULL), 1);
  assert_int_equal(search(db, "寄附額", NULL), 1);
  assert_int_equal(search(db, "人件費", NULL), 1);
  assert_int_equal(search(db, "地方交付税", NULL), 1); /* the table's cells */
  assert_int_equal(scalar(db, "SELECT value FROM v_table_facts WHERE row_label = '地方交付税'"), 7202000000);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_cells"), 4);

  /* re-derived under a new pipeline: old units out of the index, new in */
  const char *again[] = {
    "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,\"pipeline\":\"p2\","
    "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000002\",\"pages\":1}",
    "{\"type\":\"page\",\"page\":1,\"text\":\"公共施設の再編\"}",
    "{\"type\":\"end\",\"records\":1}",
  };
  g_autoptr(GPtrArray) records2 = records_of(again, G_N_ELEMENTS(again));
  KkLoadOptions o = { .reprocess = TRUE };
  assert_true(kk_load_document(db, records2, &o, &outcome, NULL, &e));
  assert_int_equal(outcome, KK_LOAD_REPROCESSED);
  fts_consistent(db);
  assert_int_equal(search(db, "公共施設", NULL), 1);
  assert_int_equal(search(db, "寄附額", NULL), 0);
  assert_int_equal(search(db, "人件費", NULL), 0);
  assert_int_equal(search(db, "地方交付税", NULL), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM tables"), 0);
  assert_int_equal(scalar(db, "SELECT count(*) FROM table_facts"), 0);
  assert_int_equal(search(db, "行政改革", NULL), 1);
  kk_db_close(db);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL), *shm = g_strconcat(path, "-shm", NULL);
  g_unlink(wal);
  g_unlink(shm);
  g_unlink(path);
  g_rmdir(dir);
}

/* Once the largest rowid is taken SQLite gives new units random rowids:
 * each is then indexed on its own, and the index still matches. */
static void test_random_rowids_indexed(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "r.db", NULL);
  g_autoptr(GError) e = NULL;
  sqlite3 *db = kk_db_open(path, KK_DB_READ_WRITE, &e);
  assert_non_null(db);
  exec(db, "INSERT INTO documents(id, sha256, ingested_at) VALUES (1, 'aa', 'now');"
           "INSERT INTO pages VALUES (1, 1, '最大の行番号');"
           "INSERT INTO kk_search_units(id, document_id, kind, page_no, text)"
           " VALUES (9223372036854775807, 1, 'page', 1, '');"
           "INSERT INTO kk_search_fts(rowid, text) VALUES (9223372036854775807, '最大の行番号');");
  fts_consistent(db);
  const char *words[] = { "一番目の頁", "二番目の頁", "三番目の頁", "四番目の頁",
                          "五番目の頁", "六番目の頁", "七番目の頁", "八番目の頁" };
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(lines, g_strdup("{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,"
                                  "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000003\",\"pages\":8}"));
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    g_ptr_array_add(lines, g_strdup_printf("{\"type\":\"page\",\"page\":%zu,\"text\":\"%s\"}", i + 1, words[i]));
  g_ptr_array_add(lines, g_strdup("{\"type\":\"end\",\"records\":8}"));
  g_autoptr(GPtrArray) records = records_of((const char *const *)lines->pdata, lines->len);
  g_ptr_array_unref(lines);
  KkLoadOutcome outcome;
  assert_true(kk_load_document(db, records, NULL, &outcome, NULL, &e));
  assert_int_equal(scalar(db, "SELECT count(*) FROM kk_search_units WHERE document_id = 2"), 8);
  /* not one after the other */
  assert_true(scalar(db, "SELECT max(id) - min(id) FROM kk_search_units WHERE document_id = 2") > 7);
  fts_consistent(db);
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    assert_int_equal(search(db, words[i], NULL), 1);
  assert_int_equal(search(db, "行番号", NULL), 1);
  kk_db_close(db);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL), *shm = g_strconcat(path, "-shm", NULL);
  g_unlink(wal);
  g_unlink(shm);
  g_unlink(path);
  g_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_v1_database_migrates),
    cmocka_unit_test(test_page_given_twice),
    cmocka_unit_test(test_v2_database_migrates),
    cmocka_unit_test(test_random_rowids_indexed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
