/* test_load_ingest.c — ingest's per-document machinery (hashing, the
 * stages in a child, one transaction, unchanged re-ingest, failures),
 * with fake stages that read a records JSONL file in place of a PDF. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "load/kk-db.h"
#include "load/kk-ingest.h"

static char *dir, *path;
static sqlite3 *db;

static int setup(void **state)
{
  dir = g_dir_make_tmp("kk-ingest-XXXXXX", NULL);
  path = g_build_filename(dir, "t.db", NULL);
  db = kk_db_open(path, KK_DB_READ_WRITE, NULL);
  assert_non_null(db);
  return 0;
}

static int teardown(void **state)
{
  kk_db_close(db);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
  return 0;
}

typedef struct {
  KkSink sink;
  gpointer sink_data;
  const char *sha; /* put into the document object, as extract would */
} Restamp;

static gboolean restamp(JsonObject *o, gpointer user, GError **error)
{
  Restamp *r = user;
  if (r->sha == NULL || g_strcmp0(kk_json_string(o, "type", NULL), "document") != 0)
    return r->sink(o, r->sink_data, error);
  g_autoptr(JsonObject) copy = json_object_new();
  g_autoptr(GList) members = json_object_get_members(o);
  for (GList *m = members; m; m = m->next)
    json_object_set_member(copy, m->data, json_node_copy(json_object_get_member(o, m->data)));
  json_object_set_string_member(copy, "sha256", r->sha);
  return r->sink(copy, r->sink_data, error);
}

/* What the fake stages write first: an extracted page 1, as extract's
 * wrapper; and the input's digest in *d, for the records to carry. */
static gboolean extracted_page_and_digest(const char *input, KkSink sink, gpointer sink_data, KkFileDigest *d,
                                          GError **error)
{
  g_autoptr(JsonObject) w = json_object_new();
  JsonObject *page = json_object_new();
  json_object_set_string_member(page, "type", "page");
  json_object_set_int_member(page, "page", 1);
  json_object_set_string_member(w, "type", "extracted");
  json_object_set_object_member(w, "object", page);
  return sink(w, sink_data, error) && kk_ingest_digest_file(input, d, error);
}

/* Fake stages: emit an "extracted" wrapper, then every object of the
 * records file `input`, its document object carrying the SHA-256 of the
 * file (unless `keep_fixture_sha`: then the fixture's own, as if the file
 * had changed under extract); a file containing CRASH kills the child. */
static gboolean keep_fixture_sha;

static gboolean fake_stages(const char *input, gpointer data, KkSink sink, gpointer sink_data, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(input, &text, NULL, NULL)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "unreadable");
    return FALSE;
  }
  if (strstr(text, "CRASH")) {
    signal(SIGSEGV, SIG_DFL); /* not cmocka's handler, inherited by the child */
    raise(SIGSEGV);
  }
  if (strncmp(text, "%PDF", 4) == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_ENCRYPTED, "encrypted PDF");
    return FALSE;
  }
  KkFileDigest d;
  if (!extracted_page_and_digest(input, sink, sink_data, &d, error))
    return FALSE;
  Restamp r = { sink, sink_data, keep_fixture_sha ? NULL : d.sha256 };
  return kk_jsonl_read_path(input, 0, restamp, &r, error);
}

/* Live fake stages: the layout parse writes for a parent that follows
 * the spool (patterns/parse.h kk_parser_set_records_out): the extracted
 * wrapper, a provisional document object, the records, the final document
 * object, the end object.  After the provisional object the child waits
 * until the parent has begun writing the document (the database's write
 * lock is taken), so the records are loaded while the child runs; with
 * `live_crash` it then dies after half its records. */
static gboolean live_crash;

typedef struct {
  KkSink sink;
  gpointer sink_data;
  const char *sha;
  JsonObject *final; /* the document object, held until the records are out */
  gboolean waited;
  guint records;
} Live;

/* TRUE once another process holds the write lock of the test database
 * (the parent's transaction); FALSE when none came within 20 s. */
static gboolean parent_writing(void)
{
  sqlite3 *c = NULL;
  gboolean busy = FALSE;
  if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
    for (int i = 0; i < 2000 && !busy; i++) {
      int rc = sqlite3_exec(c, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      busy = rc == SQLITE_BUSY;
      if (rc == SQLITE_OK)
        sqlite3_exec(c, "ROLLBACK", NULL, NULL, NULL);
      if (!busy)
        g_usleep(10000);
    }
  }
  sqlite3_close(c);
  return busy;
}

static gboolean live_object(JsonObject *o, gpointer user, GError **error)
{
  Live *l = user;
  const char *type = kk_json_string(o, "type", "");
  if (strcmp(type, "document") == 0) {
    g_autoptr(JsonObject) p = json_object_new();
    const char *keep[] = { "type", "format", "version", "file", "pages", "pipeline" };
    for (gsize i = 0; i < G_N_ELEMENTS(keep); i++)
      if (json_object_has_member(o, keep[i]))
        json_object_set_member(p, keep[i], json_node_copy(json_object_get_member(o, keep[i])));
    json_object_set_boolean_member(p, "provisional", TRUE);
    json_object_set_string_member(p, "sha256", l->sha);
    l->final = json_object_ref(o);
    json_object_set_string_member(l->final, "sha256", l->sha);
    return l->sink(p, l->sink_data, error);
  }
  if (!l->waited) {
    kk_child_progress(l->sink_data);
    l->waited = TRUE;
    if (!parent_writing()) {
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "the parent did not load while the child ran");
      return FALSE;
    }
  }
  if (strcmp(type, "end") == 0 && !l->sink(l->final, l->sink_data, error))
    return FALSE;
  if (live_crash && ++l->records == 3) {
    kk_child_progress(l->sink_data);
    g_usleep(100000); /* let the parent load them */
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
  }
  gboolean ok = l->sink(o, l->sink_data, error);
  kk_child_progress(l->sink_data);
  return ok;
}

static gboolean live_stages(const char *input, gpointer data, KkSink sink, gpointer sink_data, GError **error)
{
  KkFileDigest d;
  if (!extracted_page_and_digest(input, sink, sink_data, &d, error))
    return FALSE;
  Live l = { sink, sink_data, d.sha256, NULL, FALSE, 0 };
  gboolean ok = kk_jsonl_read_path(input, 0, live_object, &l, error);
  if (l.final)
    json_object_unref(l.final);
  return ok;
}

/* Copies fixture `name` into the temp dir, appending `extra`. */
static char *fixture_copy(const char *name, const char *extra)
{
  g_autofree char *src = g_strconcat("tests/fixtures/records/", name, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(src, &text, &len, NULL));
  char *dst = g_build_filename(dir, name, NULL);
  g_autofree char *all = g_strconcat(text, extra ? extra : "", NULL);
  assert_true(g_file_set_contents(dst, all, -1, NULL));
  return dst;
}

static gint64 scalar(const char *sql)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  return sqlite3_column_int64(st, 0);
}

static void test_ingest_then_unchanged(void **state)
{
  KkIngestOptions o;
  kk_ingest_options_init(&o);
  o.stages = fake_stages;
  g_autofree char *file = fixture_copy("ogori.jsonl", NULL);
  KkIngestResult r;
  g_autoptr(GError) e = NULL;
  assert_true(kk_ingest_file(db, file, &o, &r, &e));
  assert_int_equal(r.outcome, KK_LOAD_LOADED);
  assert_int_equal(r.pages, 3);
  /* the document is known by the hash of the file's bytes */
  KkFileDigest d;
  assert_true(kk_ingest_digest_file(file, &d, NULL));
  g_autofree char *q = g_strdup_printf("SELECT count(*) FROM documents WHERE sha256 = '%s' AND file = '%s'", d.sha256, file);
  assert_int_equal(scalar(q), 1);
  assert_int_equal(scalar("SELECT count(*) FROM kk_extracted_pages"), 1);
  assert_int_equal(scalar("SELECT count(*) FROM v_measures WHERE value = 1000000000"), 1);
  /* again: unchanged, nothing added */
  assert_true(kk_ingest_file(db, file, &o, &r, &e));
  assert_int_equal(r.outcome, KK_LOAD_UNCHANGED);
  assert_int_equal(scalar("SELECT count(*) FROM items"), 2);
  /* --reprocess with the same derivation: still unchanged */
  o.reprocess = TRUE;
  assert_true(kk_ingest_file(db, file, &o, &r, &e));
  assert_int_equal(r.outcome, KK_LOAD_UNCHANGED);
  /* after a pattern change: re-derived in place */
  assert_true(kk_db_exec(db, "UPDATE kk_derivations SET pattern_sha256 = 'old'", NULL));
  assert_true(kk_ingest_file(db, file, &o, &r, &e));
  assert_int_equal(r.outcome, KK_LOAD_REPROCESSED);
  assert_int_equal(scalar("SELECT count(*) FROM items"), 2);
  assert_int_equal(scalar("SELECT count(*) FROM kk_extracted_pages"), 1);
}

static void test_failures_leave_nothing(void **state)
{
  KkIngestOptions o;
  kk_ingest_options_init(&o);
  o.stages = fake_stages;
  gint64 before = scalar("SELECT count(*) FROM documents");
  KkIngestResult r;
  /* the child crashes */
  g_autofree char *crash = fixture_copy("arao.jsonl", "CRASH\n");
  g_autoptr(GError) e1 = NULL;
  assert_false(kk_ingest_file(db, crash, &o, &r, &e1));
  assert_int_equal(e1->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e1->message, "crashed"));
  /* the stages report an error */
  g_autofree char *pdf = g_build_filename(dir, "enc.pdf", NULL);
  assert_true(g_file_set_contents(pdf, "%PDF-1.7 encrypted", -1, NULL));
  g_autoptr(GError) e2 = NULL;
  assert_false(kk_ingest_file(db, pdf, &o, &r, &e2));
  assert_int_equal(e2->code, KK_ERROR_ENCRYPTED);
  /* records cut short */
  g_autofree char *cut = fixture_copy("cut.jsonl", NULL);
  g_autoptr(GError) e3 = NULL;
  assert_false(kk_ingest_file(db, cut, &o, &r, &e3));
  /* a missing file and a directory */
  g_autoptr(GError) e4 = NULL;
  g_autofree char *missing = g_build_filename(dir, "missing.pdf", NULL);
  assert_false(kk_ingest_file(db, missing, &o, &r, &e4));
  assert_int_equal(e4->code, KK_ERROR_INPUT);
  g_autoptr(GError) e5 = NULL;
  assert_false(kk_ingest_file(db, dir, &o, &r, &e5));
  /* extract saw other bytes than ingest hashed */
  g_autofree char *changed = fixture_copy("iizuka.jsonl", NULL);
  g_autoptr(GError) e6 = NULL;
  keep_fixture_sha = TRUE;
  assert_false(kk_ingest_file(db, changed, &o, &r, &e6));
  keep_fixture_sha = FALSE;
  assert_non_null(strstr(e6->message, "changed while"));
  assert_int_equal(scalar("SELECT count(*) FROM documents"), before);
  assert_int_equal(scalar("SELECT count(*) FROM pages WHERE document_id NOT IN (SELECT id FROM documents)"), 0);
  assert_string_equal(sqlite3_get_autocommit(db) ? "no transaction" : "open", "no transaction");
}

/* The parent writes the document while its child still runs (Follow in
 * kk-ingest.c): the result is that of the usual stream, the documents
 * row has the final document object's values; a child that dies after
 * the parent began leaves nothing. */
static void test_followed_while_running(void **state)
{
  KkIngestOptions o;
  kk_ingest_options_init(&o);
  o.stages = live_stages;
  gint64 before = scalar("SELECT count(*) FROM documents");
  KkIngestResult r;
  g_autofree char *crash = fixture_copy("iizuka.jsonl", NULL);
  g_autoptr(GError) e1 = NULL;
  live_crash = TRUE;
  assert_false(kk_ingest_file(db, crash, &o, &r, &e1));
  live_crash = FALSE;
  assert_int_equal(e1->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e1->message, "crashed"));
  assert_int_equal(scalar("SELECT count(*) FROM documents"), before);
  assert_string_equal(sqlite3_get_autocommit(db) ? "no transaction" : "open", "no transaction");

  g_autofree char *file = fixture_copy("arao.jsonl", NULL);
  g_autoptr(GError) e2 = NULL;
  gboolean ok = kk_ingest_file(db, file, &o, &r, &e2);
  if (!ok)
    fail_msg("%s", e2->message);
  assert_int_equal(r.outcome, KK_LOAD_LOADED);
  assert_int_equal(r.pages, 2);
  assert_int_equal(scalar("SELECT count(*) FROM documents"), before + 1);
  assert_int_equal(scalar("SELECT count(*) FROM documents WHERE title = '第六次荒尾市行政改革大綱'"
                          " AND municipality = '荒尾市' AND fiscal_start = 2025 AND pages = 2"), 1);
  assert_int_equal(scalar("SELECT count(*) FROM kk_derivations WHERE pattern_sha256 = 'bbbb'"), 1);
  assert_int_equal(scalar("SELECT count(*) FROM items i JOIN documents d ON d.id = i.document_id"
                          " WHERE d.municipality = '荒尾市'"), 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_then_unchanged),
    cmocka_unit_test(test_failures_leave_nothing),
    cmocka_unit_test(test_followed_while_running),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
