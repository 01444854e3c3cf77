/* test_load_migrate.c — schema version 2: a version-1 database (page text
 * in both pages and kk_search_units) migrates on open; afterwards page
 * text is stored once, search still finds and quotes it (trigram and short
 * terms), and replacing, editing or deleting pages keeps the FTS index
 * consistent with its content (FTS5 integrity-check).  Version 3: the
 * writer indexes a document's units in one statement instead of a trigger
 * per unit; a version-2 database migrates and stays consistent.  A new
 * database is made by the one-shot kk_schema_current: it must equal what
 * the chain of migrations gives, sqlite_master and every row. */
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
#include "common/kk-lgcode.h"

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
  assert_int_equal(KK_DB_SCHEMA_VERSION, 7);
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

static gint compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of sqlite_master (type, name, table, SQL text; not rootpage,
 * which depends on the order of creation), sorted, then every row of every
 * table (shadow tables of the FTS index included) in sorted order, as text. */
static char *dump_database(sqlite3 *db)
{
  GString *out = g_string_new(NULL);
  g_autoptr(sqlite3_stmt) master = NULL;
  assert_int_equal(sqlite3_prepare_v2(db,
      "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", -1, &master, NULL), SQLITE_OK);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func(g_free);
  while (sqlite3_step(master) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(master, 0);
    const char *name = (const char *)sqlite3_column_text(master, 1);
    const char *sql = (const char *)sqlite3_column_text(master, 3);
    g_string_append_printf(out, "%s|%s|%s|%s\n", type, name, sqlite3_column_text(master, 2),
                           sql ? sql : "(null)");
    /* a virtual table's rows are its shadow tables', dumped themselves */
    if (strcmp(type, "table") == 0 && (sql == NULL || strncmp(sql, "CREATE VIRTUAL", 14) != 0))
      g_ptr_array_add(tables, g_strdup(name));
  }
  for (guint i = 0; i < tables->len; i++) {
    g_autofree char *sql = g_strdup_printf("SELECT * FROM \"%s\"", (char *)tables->pdata[i]);
    g_autoptr(sqlite3_stmt) rows = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    while (sqlite3_step(rows) == SQLITE_ROW) {
      GString *line = g_string_new(NULL);
      for (int c = 0; c < sqlite3_column_count(rows); c++) {
        const unsigned char *blob = sqlite3_column_blob(rows, c);
        int n = sqlite3_column_bytes(rows, c);
        g_string_append_printf(line, "%s%d:", c ? "|" : "", sqlite3_column_type(rows, c));
        for (int k = 0; k < n; k++)
          g_string_append_printf(line, "%02x", blob[k]);
      }
      g_ptr_array_add(lines, g_string_free(line, FALSE));
    }
    g_ptr_array_sort(lines, compare_strings);
    g_string_append_printf(out, "== %s\n", (char *)tables->pdata[i]);
    for (guint k = 0; k < lines->len; k++)
      g_string_append_printf(out, "%s\n", (char *)lines->pdata[k]);
  }
  return g_string_free(out, FALSE);
}

/* Fails, showing where, unless `a` and `b` dump the same. */
static void same_database(sqlite3 *a, sqlite3 *b)
{
  g_autofree char *x = dump_database(a);
  g_autofree char *y = dump_database(b);
  assert_true(strlen(x) > 100000); /* lg_codes is in it */
  if (strcmp(x, y) != 0) {
    gsize i = 0;
    while (x[i] == y[i])
      i++;
    gsize from = i > 200 ? i - 200 : 0;
    fail_msg("one-shot and chain differ at byte %zu:\n%.400s\n----\n%.400s", i, x + from, y + from);
  }
}

/* A new database (kk_db_open: a copy of the image made at build time by
 * running kk_schema_current and filling lg_codes), one made that way at
 * run time (kk_db_open on an empty file) and one brought through every
 * migration have the same schema, statement text included, and the same
 * rows (lg_codes, topic_terms, the FTS index's records); a new database
 * also takes a document like any other. */
static void test_new_database_equals_migration_chain(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-migrate-XXXXXX", NULL);
  g_autofree char *fresh_path = g_build_filename(dir, "fresh.db", NULL);
  g_autofree char *chain_path = g_build_filename(dir, "chain.db", NULL);
  g_autoptr(GError) e = NULL;
  sqlite3 *fresh = kk_db_open(fresh_path, KK_DB_READ_WRITE, &e);
  assert_non_null(fresh);

  /* the chain: versions 1 to KK_DB_SCHEMA_VERSION - 1 by hand, the last
   * by kk_db_open, which fills lg_codes after every migration */
  assert_int_equal(G_N_ELEMENTS(kk_migrations), KK_DB_SCHEMA_VERSION);
  sqlite3 *raw = NULL;
  assert_int_equal(sqlite3_open(chain_path, &raw), SQLITE_OK);
  exec(raw, "BEGIN");
  for (gsize v = 0; v + 1 < G_N_ELEMENTS(kk_migrations); v++)
    exec(raw, kk_migrations[v]);
  g_autofree char *set = g_strdup_printf("PRAGMA user_version = %d", KK_DB_SCHEMA_VERSION - 1);
  exec(raw, set);
  exec(raw, "COMMIT");
  sqlite3_close(raw);
  sqlite3 *chain = kk_db_open(chain_path, KK_DB_READ_WRITE, &e);
  assert_non_null(chain);
  same_database(fresh, chain);
  /* an empty file is no place for the image: kk_db_open makes that
   * database the SQL way (kk_schema_current, then lg_codes), the same */
  g_autofree char *empty_path = g_build_filename(dir, "empty.db", NULL);
  assert_true(g_file_set_contents(empty_path, "", 0, NULL));
  sqlite3 *empty = kk_db_open(empty_path, KK_DB_READ_WRITE, &e);
  assert_non_null(empty);
  same_database(fresh, empty);
  kk_db_close(empty);
  assert_int_equal(scalar(fresh, "PRAGMA user_version"), KK_DB_SCHEMA_VERSION);
  gsize n_codes = 0;
  kk_lgcode_all(&n_codes);
  assert_int_equal(scalar(fresh, "SELECT count(*) FROM lg_codes"), n_codes);

  /* the one-shot database works like the migrated one */
  const char *lines[] = {
    "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,"
    "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000004\",\"pages\":1}",
    "{\"type\":\"page\",\"page\":1,\"text\":\"第六次荒尾市行政改革大綱\"}",
    "{\"type\":\"end\",\"records\":1}",
  };
  g_autoptr(GPtrArray) records = records_of(lines, G_N_ELEMENTS(lines));
  KkLoadOutcome outcome;
  assert_true(kk_load_document(fresh, records, NULL, &outcome, NULL, &e));
  assert_true(kk_load_document(chain, records, NULL, &outcome, NULL, &e));
  fts_consistent(fresh);
  assert_int_equal(search(fresh, "行政改革", NULL), 1);
  exec(fresh, "DELETE FROM documents");
  exec(chain, "DELETE FROM documents");
  fts_consistent(fresh);
  same_database(fresh, chain);
  kk_db_close(fresh);
  kk_db_close(chain);
  const char *paths[] = { fresh_path, chain_path, empty_path };
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
    g_autofree char *wal = g_strconcat(paths[i], "-wal", NULL), *shm = g_strconcat(paths[i], "-shm", NULL);
    g_unlink(wal);
    g_unlink(shm);
    g_unlink(paths[i]);
  }
  g_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_v1_database_migrates),
    cmocka_unit_test(test_page_given_twice),
    cmocka_unit_test(test_v2_database_migrates),
    cmocka_unit_test(test_random_rowids_indexed),
    cmocka_unit_test(test_new_database_equals_migration_chain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
