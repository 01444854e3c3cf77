/* test_load_db.c — schema, loading records, idempotency, search. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "load/kk-db.h"
#include "load/kk-load.h"
#include "load/kk-search.h"
#include "load/kk-zlib.h"

#define FIXTURES "tests/fixtures/records/"

typedef struct {
  char *dir;
  char *path;
  sqlite3 *db;
} Fixture;

static int setup(void **state)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("kk-load-XXXXXX", NULL);
  f->path = g_build_filename(f->dir, "t.db", NULL);
  g_autoptr(GError) e = NULL;
  f->db = kk_db_open(f->path, KK_DB_READ_WRITE, &e);
  assert_non_null(f->db);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  Fixture *f = *state;
  kk_db_close(f->db);
  g_autofree char *wal = g_strconcat(f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat(f->path, "-shm", NULL);
  g_unlink(wal);
  g_unlink(shm);
  g_unlink(f->path);
  g_rmdir(f->dir);
  g_free(f->path);
  g_free(f->dir);
  g_free(f);
  return 0;
}

typedef struct { int n; KkLoadOutcome last; } Seen;

static void note(const char *file, const char *sha, KkLoadOutcome outcome, guint n, gpointer user)
{
  Seen *s = user;
  if (s == NULL)
    return;
  s->n++;
  s->last = outcome;
}

/* Loads one fixture file; returns FALSE with *code set on failure. */
static gboolean load_file(sqlite3 *db, const char *name, gboolean reprocess, Seen *seen, int *code)
{
  g_autofree char *path = g_strconcat(FIXTURES, name, NULL);
  g_autoptr(KkLoader) l = kk_loader_new(db, reprocess, note, seen);
  g_autoptr(GError) e = NULL;
  gboolean ok = kk_jsonl_read_path(path, 0, kk_loader_sink, l, &e) && kk_loader_finish(l, &e);
  if (code)
    *code = kk_exit_code(e);
  return ok;
}

static gint64 scalar(sqlite3 *db, const char *sql)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  return sqlite3_column_int64(st, 0);
}

static void test_schema_version_and_pragmas(void **state)
{
  Fixture *f = *state;
  assert_int_equal(scalar(f->db, "PRAGMA user_version"), KK_DB_SCHEMA_VERSION);
  assert_int_equal(scalar(f->db, "PRAGMA foreign_keys"), 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM lg_codes WHERE kind <> 'prefecture'"), 1741);
  /* reopening does not migrate again */
  g_autoptr(GError) e = NULL;
  sqlite3 *again = kk_db_open(f->path, KK_DB_READ_WRITE, &e);
  assert_non_null(again);
  kk_db_close(again);
  /* a newer schema is refused */
  assert_true(kk_db_exec(f->db, "PRAGMA user_version = 99", NULL));
  sqlite3 *newer = kk_db_open(f->path, KK_DB_READ_ONLY, &e);
  assert_null(newer);
  assert_int_equal(e->code, KK_ERROR_DATABASE);
}

static void test_load_values_and_codes(void **state)
{
  Fixture *f = *state;
  Seen seen = {0};
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, &seen, NULL));
  assert_true(load_file(f->db, "arao.jsonl", FALSE, &seen, NULL));
  assert_int_equal(seen.n, 2);
  assert_int_equal(seen.last, KK_LOAD_LOADED);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM documents"), 2);
  /* prefecture inferred for 荒尾市 (not in its records) */
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM documents WHERE municipality='荒尾市'"
                                 " AND prefecture='熊本県' AND lg_code='432041'"), 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM documents WHERE lg_code='402168'"), 1);
  /* targets for ふるさと納税 across municipalities, in yen */
  assert_int_equal(scalar(f->db, "SELECT sum(value) FROM v_measures WHERE role='target' AND unit='円'"
                                 " AND item_title LIKE '%ふるさと納税%'"), 2500000000);
  assert_int_equal(scalar(f->db, "SELECT typeof(value) = 'integer' FROM measures WHERE raw='15億円'"), 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM item_fields"), 3);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM v_achievements WHERE item_no='6-1'"), 2);
  assert_int_equal(scalar(f->db, "SELECT total FROM budgets"), 882151000);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM kk_boxes WHERE tbl='items'"), 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM pages"), 5);
  /* written without foreign key checks (kk-load.c foreign_keys): every
   * reference holds, and the checks are on again for what follows */
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  assert_int_equal(scalar(f->db, "PRAGMA foreign_keys"), 1);
}

static void test_reload_is_unchanged(void **state)
{
  Fixture *f = *state;
  Seen seen = {0};
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, &seen, NULL));
  gint64 items = scalar(f->db, "SELECT count(*) FROM items");
  gint64 units = scalar(f->db, "SELECT count(*) FROM kk_search_units");
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, &seen, NULL));
  assert_int_equal(seen.last, KK_LOAD_UNCHANGED);
  /* --reprocess with the same pipeline and pattern: still unchanged */
  assert_true(load_file(f->db, "ogori.jsonl", TRUE, &seen, NULL));
  assert_int_equal(seen.last, KK_LOAD_UNCHANGED);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM documents"), 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM items"), items);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM kk_search_units"), units);
}

static void test_reprocess_replaces_under_same_id(void **state)
{
  Fixture *f = *state;
  Seen seen = {0};
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, &seen, NULL));
  gint64 id = scalar(f->db, "SELECT id FROM documents");
  gint64 items = scalar(f->db, "SELECT count(*) FROM items");
  /* the same document derived by a changed pattern file */
  assert_true(kk_db_exec(f->db, "UPDATE kk_derivations SET pattern_sha256 = 'old'", NULL));
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, &seen, NULL));
  assert_int_equal(seen.last, KK_LOAD_UNCHANGED);
  assert_true(load_file(f->db, "ogori.jsonl", TRUE, &seen, NULL));
  assert_int_equal(seen.last, KK_LOAD_REPROCESSED);
  assert_int_equal(scalar(f->db, "SELECT id FROM documents"), id);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM items"), items);
  assert_int_equal(scalar(f->db, "SELECT pattern_sha256 = 'aaaa' FROM kk_derivations"), 1);
  /* the FTS index followed the replacement: one page hit, not two */
  g_autoptr(KkTable) t = kk_table_new();
  assert_true(kk_search(f->db, "アクションプラン", 0, t, NULL));
  assert_int_equal(t->rows->len, 1);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

static void test_bad_and_cut_streams_write_nothing(void **state)
{
  Fixture *f = *state;
  Seen seen = {0};
  int code = 0;
  assert_false(load_file(f->db, "bad-item-ref.jsonl", FALSE, &seen, &code));
  assert_int_equal(code, KK_ERROR_INPUT);
  assert_false(load_file(f->db, "cut.jsonl", FALSE, &seen, &code));
  assert_int_equal(code, KK_ERROR_INPUT);
  assert_int_equal(seen.n, 0);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM documents"), 0);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM pages"), 0);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM kk_search_units"), 0);
  assert_int_equal(scalar(f->db, "PRAGMA foreign_keys"), 1); /* on again after the failures */
}

/* Hits of `query` and whether every snippet contains [query]. */
static guint hits(sqlite3 *db, const char *query, gboolean *marked)
{
  g_autoptr(KkTable) t = kk_table_new();
  g_autoptr(GError) e = NULL;
  assert_true(kk_search(db, query, 0, t, &e));
  g_autofree char *mark = g_strdup_printf("[%s]", query);
  *marked = TRUE;
  for (guint i = 0; i < t->rows->len; i++) {
    GPtrArray *row = g_ptr_array_index(t->rows, i);
    const char *snippet = json_node_get_string(g_ptr_array_index(row, 6));
    *marked = *marked && strstr(snippet, mark) != NULL;
  }
  return t->rows->len;
}

static void test_search_one_two_three_characters(void **state)
{
  Fixture *f = *state;
  assert_true(load_file(f->db, "ogori.jsonl", FALSE, NULL, NULL));
  assert_true(load_file(f->db, "arao.jsonl", FALSE, NULL, NULL));
  assert_true(load_file(f->db, "iizuka.jsonl", FALSE, NULL, NULL));
  gboolean marked;
  /* 1 character: 税 is on 小郡 p2, p3, item 6-1; 荒尾 p1, p2 (市税), item 2-1 */
  assert_int_equal(hits(f->db, "税", &marked), 6);
  assert_true(marked);
  /* 1 character, kanji that only one page has */
  assert_int_equal(hits(f->db, "縮", &marked), 1);
  /* 2 characters */
  assert_int_equal(hits(f->db, "納税", &marked), 5);
  assert_true(marked);
  assert_int_equal(hits(f->db, "会議", &marked), 0);
  /* 3 characters go through the trigram index */
  assert_int_equal(hits(f->db, "審議会", &marked), 1);
  assert_true(marked);
  assert_int_equal(hits(f->db, "ふるさと納税", &marked), 5);
  /* full-width input is normalized: ＤＸ -> DX */
  assert_int_equal(hits(f->db, "ＤＸ", &marked), 1);
  /* mixed: a long and a short term, both required */
  g_autoptr(KkTable) t = kk_table_new();
  assert_true(kk_search(f->db, "ふるさと 荒尾", 0, t, NULL));
  assert_int_equal(t->rows->len, 1);
  /* empty queries are usage errors */
  g_autoptr(GError) e = NULL;
  assert_false(kk_search(f->db, "   ", 0, t, &e));
  assert_int_equal(e->code, KK_ERROR_USAGE);
}

static void test_record_without_item_is_skipped(void **state)
{
  Fixture *f = *state;
  const char *text =
    "{\"type\":\"document\",\"format\":\"keikaku-records\",\"version\":1,\"sha256\":\"" 
    "1111111111111111111111111111111111111111111111111111111111111111\",\"file\":\"o.pdf\",\"pages\":1}\n"
    "{\"type\":\"page\",\"page\":1,\"text\":\"市税\"}\n"
    "{\"type\":\"budget\",\"item\":null,\"fiscal_year\":2020,\"total\":5,\"page\":1}\n"
    "{\"type\":\"series\",\"row_label\":\"市税\",\"fiscal_year\":2020,\"value\":5,\"page\":1}\n"
    "{\"type\":\"end\"}\n";
  FILE *in = fmemopen((void *)text, strlen(text), "r");
  g_autoptr(KkLoader) l = kk_loader_new(f->db, FALSE, NULL, NULL);
  g_autoptr(GError) e = NULL;
  assert_true(kk_jsonl_read(in, "mem", 0, kk_loader_sink, l, &e));
  fclose(in);
  assert_true(kk_loader_finish(l, &e));
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM budgets"), 0);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM series"), 1);
}

static void test_snippet(void **state)
{
  g_autofree char *a = kk_search_snippet("あいうえおかきくけこ", "うえ", 1);
  assert_string_equal(a, "…い[うえ]お…");
  g_autofree char *b = kk_search_snippet("税\n金", "税", 5);
  assert_string_equal(b, "[税] 金");
  g_autofree char *c = kk_search_snippet("末尾の語", "語", 2);
  assert_string_equal(c, "…尾の[語]");
  g_autofree char *d = kk_search_snippet("abc", "zz", 1);
  assert_string_equal(d, "a…");
}

/* Every member of every record of a fixture replaced by each hostile value
 * in turn: each document loads or fails cleanly (KK_ERROR_INPUT), never
 * crashes, and a failed one leaves nothing behind. */
static void test_hostile_values(void **state)
{
  Fixture *f = *state;
  g_autofree char *text = NULL;
  assert_true(g_file_get_contents("tests/fixtures/records/ogori.jsonl", &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  const char *hostile[] = { "null", "[]", "{}", "\"x\"", "1e308", "-1", "0", "true",
                            "[1,2,3,4]", "\"\\u0000\"" };
  guint n_lines = 0;
  while (lines[n_lines] && *lines[n_lines])
    n_lines++;
  guint tries = 0, loaded = 0;
  /* the warnings about odd values are expected: keep them off the log */
  fflush(stderr);
  int saved_stderr = dup(2), devnull = open("/dev/null", O_WRONLY);
  dup2(devnull, 2);
  for (guint li = 0; li < n_lines; li++) {
    g_autoptr(JsonParser) p0 = json_parser_new();
    assert_true(json_parser_load_from_data(p0, lines[li], -1, NULL));
    g_autoptr(GList) members = json_object_get_members(json_node_get_object(json_parser_get_root(p0)));
    for (GList *m = members; m; m = m->next) {
      for (gsize h = 0; h < G_N_ELEMENTS(hostile); h++) {
        g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
        for (guint k = 0; k < n_lines; k++) {
          g_autoptr(JsonParser) p = json_parser_new();
          assert_true(json_parser_load_from_data(p, lines[k], -1, NULL));
          JsonObject *o = json_node_get_object(json_parser_get_root(p));
          if (k == li) {
            g_autoptr(JsonParser) hp = json_parser_new();
            assert_true(json_parser_load_from_data(hp, hostile[h], -1, NULL));
            json_object_set_member(o, m->data, json_node_copy(json_parser_get_root(hp)));
          }
          if (k == 0 && li != 0) { /* a new document each time */
            g_autofree char *sha = g_strdup_printf("%064x", ++tries);
            json_object_set_string_member(o, "sha256", sha);
          }
          g_ptr_array_add(records, json_object_ref(o));
        }
        g_autoptr(GError) e = NULL;
        KkLoadOutcome outcome;
        gint64 before = scalar(f->db, "SELECT count(*) FROM pages");
        if (kk_load_document(f->db, records, NULL, &outcome, NULL, &e)) {
          loaded += outcome == KK_LOAD_LOADED;
        } else {
          assert_int_equal(e->code, KK_ERROR_INPUT);
          assert_int_equal(scalar(f->db, "SELECT count(*) FROM pages"), before);
        }
        assert_true(sqlite3_get_autocommit(f->db));
      }
    }
  }
  fflush(stderr);
  dup2(saved_stderr, 2);
  close(saved_stderr);
  close(devnull);
  assert_true(loaded > 100);
  assert_int_equal(scalar(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
}

static void test_zlib_round_trip_and_damage(void **state)
{
  const char *text = "{\"type\":\"page\",\"lines\":[\"小郡市 小郡市 小郡市 小郡市\"]}";
  g_autoptr(GBytes) packed = kk_zlib_compress(text, strlen(text), NULL);
  assert_non_null(packed);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(packed, &len);
  g_autofree char *back = kk_zlib_decompress(data, len, 1024, NULL);
  assert_string_equal(back, text);
  g_autoptr(GError) e = NULL;
  assert_null(kk_zlib_decompress(data, len, 8, &e)); /* over the limit */
  assert_int_equal(e->code, KK_ERROR_LIMIT);
  g_clear_error(&e);
  assert_null(kk_zlib_decompress(data, len / 2, 1024, &e)); /* cut */
  assert_int_equal(e->code, KK_ERROR_INPUT);
  g_clear_error(&e);
  assert_null(kk_zlib_decompress("garbage!", 8, 1024, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_schema_version_and_pragmas, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_values_and_codes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reload_is_unchanged, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reprocess_replaces_under_same_id, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_and_cut_streams_write_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_search_one_two_three_characters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_record_without_item_is_skipped, setup, teardown),
    cmocka_unit_test(test_snippet),
    cmocka_unit_test(test_zlib_round_trip_and_damage),
    cmocka_unit_test_setup_teardown(test_hostile_values, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
