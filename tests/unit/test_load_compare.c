/* test_load_compare.c — compare questions and table output on fixtures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>

#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "load/kk-compare.h"
#include "load/kk-db.h"
#include "load/kk-load.h"

static char *dir, *path;
static sqlite3 *db;

static int setup(void **state)
{
  dir = g_dir_make_tmp("kk-compare-XXXXXX", NULL);
  path = g_build_filename(dir, "t.db", NULL);
  db = kk_db_open(path, KK_DB_READ_WRITE, NULL);
  assert_non_null(db);
  const char *files[] = { "ogori.jsonl", "arao.jsonl", "iizuka.jsonl" };
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *p = g_strconcat("tests/fixtures/records/", files[i], NULL);
    g_autoptr(KkLoader) l = kk_loader_new(db, FALSE, NULL, NULL);
    assert_true(kk_jsonl_read_path(p, 0, kk_loader_sink, l, NULL));
    assert_true(kk_loader_finish(l, NULL));
  }
  return 0;
}

static int teardown(void **state)
{
  kk_db_close(db);
  const char *suffix[] = { "", "-wal", "-shm" };
  for (gsize i = 0; i < G_N_ELEMENTS(suffix); i++) {
    g_autofree char *p = g_strconcat(path, suffix[i], NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
  return 0;
}

/* Index of column `name` in `t`, or fails. */
static guint column(KkTable *t, const char *name)
{
  for (guint i = 0; i < t->columns->len; i++)
    if (strcmp(g_ptr_array_index(t->columns, i), name) == 0)
      return i;
  fail_msg("no column %s", name);
  return 0;
}

static JsonNode *cell(KkTable *t, guint row, const char *name)
{
  GPtrArray *r = g_ptr_array_index(t->rows, row);
  return g_ptr_array_index(r, column(t, name));
}

static void test_targets_for_furusato_nozei(void **state)
{
  g_autoptr(KkTable) t = kk_table_new();
  KkCompareFilter f = { .topic = "ふるさと納税", .role = "target" };
  assert_true(kk_compare(db, KK_COMPARE_MEASURES, &f, t, NULL));
  assert_int_equal(t->rows->len, 2);
  assert_string_equal(json_node_get_string(cell(t, 0, "municipality")), "小郡市");
  assert_int_equal(json_node_get_int(cell(t, 0, "value")), 1000000000);
  assert_int_equal(json_node_get_int(cell(t, 0, "fiscal_year")), 2024);
  assert_string_equal(json_node_get_string(cell(t, 1, "municipality")), "荒尾市");
  assert_int_equal(json_node_get_int(cell(t, 1, "value")), 1500000000);
  assert_string_equal(json_node_get_string(cell(t, 1, "unit")), "円");
}

static void test_topic_terms_and_municipality(void **state)
{
  /* DX: 窓口のオンライン化 (category 行政のデジタル化) only */
  g_autoptr(KkTable) t = kk_table_new();
  KkCompareFilter f = { .topic = "dx" };
  assert_true(kk_compare(db, KK_COMPARE_ITEMS, &f, t, NULL));
  assert_int_equal(t->rows->len, 1);
  assert_string_equal(json_node_get_string(cell(t, 0, "item_no")), "7-2");
  /* 人件費 -> 職員数 (a document-level limit) */
  g_autoptr(KkTable) m = kk_table_new();
  KkCompareFilter g = { .topic = "人件費", .municipality = "432041" };
  assert_true(kk_compare(db, KK_COMPARE_MEASURES, &g, m, NULL));
  assert_int_equal(m->rows->len, 1);
  assert_string_equal(json_node_get_string(cell(m, 0, "role")), "limit");
  g_autoptr(GError) e = NULL;
  KkCompareFilter bad = { .role = "goal" };
  g_autoptr(KkTable) x = kk_table_new();
  assert_false(kk_compare(db, KK_COMPARE_MEASURES, &bad, x, &e));
  assert_int_equal(e->code, KK_ERROR_USAGE);
}

static void test_pivots(void **state)
{
  g_autoptr(KkTable) a = kk_table_new();
  assert_true(kk_compare(db, KK_COMPARE_ACHIEVEMENTS, NULL, a, NULL));
  assert_int_equal(a->rows->len, 2);
  assert_true(json_node_get_double(cell(a, 0, "FY2022")) == 85.0);
  assert_true(json_node_get_double(cell(a, 0, "FY2023")) == 90.0);
  assert_true(JSON_NODE_HOLDS_NULL(cell(a, 1, "FY2023")));
  /* 市税 of two municipalities side by side */
  g_autoptr(KkTable) s = kk_table_new();
  KkCompareFilter f = { .row = "市税" };
  assert_true(kk_compare(db, KK_COMPARE_SERIES, &f, s, NULL));
  assert_int_equal(s->rows->len, 2);
  assert_string_equal(json_node_get_string(cell(s, 0, "municipality")), "飯塚市");
  assert_int_equal(json_node_get_int(cell(s, 0, "FY2025")), 10100000000);
  assert_int_equal(json_node_get_int(cell(s, 1, "FY2026")), 5480000000);
  g_autoptr(KkTable) o = kk_table_new();
  assert_true(kk_compare(db, KK_COMPARE_OVERVIEW, NULL, o, NULL));
  assert_int_equal(o->rows->len, 3);
}

/* Writes `t` to a string in `format`. */
static char *render(KkTable *t, KkFormat format)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_true(kk_table_write(t, format, 0, f, NULL));
  fclose(f);
  return buf;
}

static void test_output_formats(void **state)
{
  g_autoptr(KkTable) t = kk_table_new();
  kk_table_add_column(t, "名前");
  kk_table_add_column(t, "value");
  GPtrArray *r = kk_table_add_row(t);
  kk_row_add_string(r, "荒尾市");
  kk_row_add_int(r, 1500000000);
  r = kk_table_add_row(t);
  kk_row_add_string(r, "a,\"b\"");
  kk_row_add_null(r);
  g_autofree char *term = render(t, KK_FORMAT_TABLE);
  /* wide characters count two cells: 荒尾市 (6) lines up with "a,"b"" (6) */
  assert_string_equal(term, "名前    value\n------  -------------\n荒尾市  1,500,000,000\na,\"b\"\n");
  g_autofree char *csv = render(t, KK_FORMAT_CSV);
  assert_string_equal(csv, "名前,value\r\n荒尾市,1500000000\r\n\"a,\"\"b\"\"\",\r\n");
  g_autofree char *json = render(t, KK_FORMAT_JSON);
  assert_string_equal(json, "{\"名前\":\"荒尾市\",\"value\":1500000000}\n{\"名前\":\"a,\\\"b\\\"\",\"value\":null}\n");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_targets_for_furusato_nozei),
    cmocka_unit_test(test_topic_terms_and_municipality),
    cmocka_unit_test(test_pivots),
    cmocka_unit_test(test_output_formats),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
