/* kk-ingest.c — see kk-ingest.h */
#include "kk-ingest.h"
#include "kk-db.h"
#include "kk-zlib.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "extract/extract.h"
#include "normalize/normalize.h"
#include "patterns/parse.h"

/* Most objects (records + extracted pages) one document may produce. */
#define MAX_OBJECTS 4000000u

void kk_ingest_options_init(KkIngestOptions *options)
{
  memset(options, 0, sizeof *options);
  kk_limits_default(&options->limits);
}

gboolean kk_ingest_sha256_file(const char *path, char out[65], GError **error)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s", g_strerror(errno));
    return FALSE;
  }
  g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
  guchar buf[65536];
  guint64 total = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    total += n;
    if (total > KK_INGEST_MAX_FILE) {
      fclose(f);
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "file larger than %u MB", KK_INGEST_MAX_FILE >> 20);
      return FALSE;
    }
    g_checksum_update(sum, buf, (gssize)n);
  }
  gboolean failed = ferror(f);
  int saved = errno;
  fclose(f);
  if (failed) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "read error: %s", g_strerror(saved));
    return FALSE;
  }
  g_strlcpy(out, g_checksum_get_string(sum), 65);
  return TRUE;
}

/* The chain inside the child: each pages object from extract (or from the
 * stored extract output) is optionally passed on as an "extracted"
 * wrapper, normalized in place and fed to the parser, whose records go to
 * the child's sink. */
typedef struct {
  KkParser *parser;
  gboolean keep_extracted;
  KkSink sink;
  gpointer sink_data;
} Chain;

static gboolean chain_pages_object(JsonObject *object, gpointer user_data, GError **error)
{
  Chain *c = user_data;
  if (c->keep_extracted) {
    g_autoptr(JsonObject) wrapper = json_object_new();
    json_object_set_string_member(wrapper, "type", "extracted");
    json_object_set_object_member(wrapper, "object", json_object_ref(object));
    if (!c->sink(wrapper, c->sink_data, error))
      return FALSE;
  }
  return kk_normalize_pages_object(object, error) &&
         kk_parser_feed(c->parser, object, c->sink, c->sink_data, error);
}

gboolean kk_ingest_stages(const char *input, gpointer options, KkSink sink, gpointer sink_data,
                          GError **error)
{
  const KkIngestOptions *o = options;
  Chain c = { .keep_extracted = TRUE, .sink = sink, .sink_data = sink_data };
  c.parser = kk_parser_new(o ? o->patterns_dir : NULL, error);
  if (c.parser == NULL)
    return FALSE;
  gboolean ok = kk_extract_file(input, NULL, chain_pages_object, &c, error);
  kk_parser_free(c.parser);
  return ok;
}

/* What the parent collects from the child for one document. */
typedef struct {
  GPtrArray *records;   /* JsonObject * (referenced) */
  GPtrArray *extracted; /* char *: extract output lines */
} Collected;

static gboolean collect(JsonObject *object, gpointer user_data, GError **error)
{
  Collected *c = user_data;
  if (c->records->len + c->extracted->len >= MAX_OBJECTS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "more than %u objects for one document", MAX_OBJECTS);
    return FALSE;
  }
  if (g_strcmp0(kk_json_string(object, "type", NULL), "extracted") == 0) {
    JsonObject *inner = kk_json_object(object, "object");
    if (inner != NULL) {
      g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
      json_node_set_object(node, inner);
      g_ptr_array_add(c->extracted, json_to_string(node, FALSE));
    }
    return TRUE;
  }
  g_ptr_array_add(c->records, json_object_ref(object));
  return TRUE;
}

/* Runs `work` on `input` in a child and writes the result. */
static gboolean derive_and_load(sqlite3 *db, const char *input, const char *file, const char *sha,
                                KkChildWork work, gpointer work_data, const KkIngestOptions *options,
                                gboolean reprocess, KkIngestResult *result, GError **error)
{
  Collected c = {
    .records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref),
    .extracted = g_ptr_array_new_with_free_func(g_free),
  };
  gboolean ok = kk_child_run(input, &options->limits, work, work_data, collect, &c, error);
  if (ok && (c.records->len < 2 ||
             g_strcmp0(kk_json_string(g_ptr_array_index(c.records, c.records->len - 1), "type", NULL), "end") != 0)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "the stages ended without a complete records stream");
    ok = FALSE;
  }
  const char *stream_sha = ok ? kk_json_string(g_ptr_array_index(c.records, 0), "sha256", NULL) : NULL;
  if (ok && stream_sha != NULL && g_ascii_strcasecmp(stream_sha, sha) != 0) {
    /* extract hashed other bytes than we did: the file changed meanwhile */
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the file changed while it was being read; try again");
    ok = FALSE;
  }
  if (ok) {
    KkLoadOptions lo = { .reprocess = reprocess, .file = file, .sha256 = sha,
                         .extracted = c.extracted };
    gint64 pages = kk_json_int(g_ptr_array_index(c.records, 0), "pages", 0);
    result->pages = pages > 0 && pages < G_MAXUINT ? (guint)pages : 0;
    ok = kk_load_document(db, c.records, &lo, &result->outcome, NULL, error);
  }
  g_ptr_array_unref(c.records);
  g_ptr_array_unref(c.extracted);
  return ok;
}

/* Looks up a stored document by sha256: TRUE when present (its page count
 * in *pages). */
static gboolean known_document(sqlite3 *db, const char *sha, guint *pages, gboolean *known, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, "SELECT pages FROM documents WHERE sha256 = ?", error);
  if (st == NULL)
    return FALSE;
  kk_db_bind_text(st, 1, sha);
  int rc = sqlite3_step(st);
  *known = rc == SQLITE_ROW;
  if (*known)
    *pages = (guint)MAX(0, sqlite3_column_int(st, 0));
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? TRUE : kk_db_fail(db, "look up document", error);
}

gboolean kk_ingest_file(sqlite3 *db, const char *path, const KkIngestOptions *options,
                        KkIngestResult *result, GError **error)
{
  memset(result, 0, sizeof *result);
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "is a directory");
    return FALSE;
  }
  if (!kk_ingest_sha256_file(path, result->sha256, error))
    return FALSE;
  gboolean known = FALSE;
  if (!known_document(db, result->sha256, &result->pages, &known, error))
    return FALSE;
  if (known && !options->reprocess) {
    result->outcome = KK_LOAD_UNCHANGED;
    return TRUE;
  }
  KkChildWork work = options->stages ? options->stages : kk_ingest_stages;
  gpointer data = options->stages_data ? options->stages_data : (gpointer)options;
  /* documents.file is text: a file name that is not UTF-8 is stored as
   * its display name (invalid bytes replaced) */
  g_autofree char *file = g_utf8_validate(path, -1, NULL) ? g_strdup(path) : g_filename_display_name(path);
  return derive_and_load(db, path, file, result->sha256, work, data, options, options->reprocess,
                         result, error);
}

/* ---- re-deriving from the stored extract output ---- */

typedef struct {
  GPtrArray *lines; /* char *: the stored pages JSON lines */
  const KkIngestOptions *options;
} Stored;

/* A KkChildWork over stored extract output: normalize + parse. */
static gboolean stored_stages(const char *input, gpointer user_data, KkSink sink, gpointer sink_data,
                              GError **error)
{
  Stored *s = user_data;
  Chain c = { .keep_extracted = FALSE, .sink = sink, .sink_data = sink_data };
  c.parser = kk_parser_new(s->options->patterns_dir, error);
  if (c.parser == NULL)
    return FALSE;
  g_autoptr(JsonParser) parser = json_parser_new(); /* mutable: normalize rewrites */
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < s->lines->len; i++) {
    const char *line = g_ptr_array_index(s->lines, i);
    JsonNode *root;
    if (!json_parser_load_from_data(parser, line, -1, error) ||
        (root = json_parser_get_root(parser)) == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
      if (error && *error == NULL)
        g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "stored page %u is not a JSON object", i);
      ok = FALSE;
      break;
    }
    ok = chain_pages_object(json_node_get_object(root), &c, error);
  }
  kk_parser_free(c.parser);
  if (!ok && error && *error && (*error)->domain != KK_ERROR) {
    GError *e = *error;
    *error = NULL;
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: stored pages: %s", input, e->message);
    g_error_free(e);
  }
  return ok;
}

gboolean kk_ingest_reprocess_stored(sqlite3 *db, const KkIngestOptions *options,
                                    KkIngestEach each, gpointer user_data, GError **error)
{
  /* The list first: documents are rewritten while we go. */
  g_autoptr(sqlite3_stmt) list = kk_db_prepare(db,
      "SELECT d.id, d.file, d.sha256 FROM documents d WHERE EXISTS"
      " (SELECT 1 FROM kk_extracted_pages e WHERE e.document_id = d.id) ORDER BY d.id", error);
  if (list == NULL)
    return FALSE;
  g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func(g_free);
  int rc;
  while ((rc = sqlite3_step(list)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(list, 0);
    g_array_append_val(ids, id);
    g_ptr_array_add(files, g_strdup((const char *)sqlite3_column_text(list, 1)));
    g_ptr_array_add(shas, g_strdup((const char *)sqlite3_column_text(list, 2)));
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(db, "list documents", error);
  g_autoptr(sqlite3_stmt) pages = kk_db_prepare(db,
      "SELECT json FROM kk_extracted_pages WHERE document_id = ? ORDER BY seq", error);
  if (pages == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++) {
    Stored s = { .lines = g_ptr_array_new_with_free_func(g_free), .options = options };
    sqlite3_reset(pages);
    sqlite3_bind_int64(pages, 1, g_array_index(ids, gint64, i));
    g_autoptr(GError) e = NULL;
    gboolean ok = TRUE;
    /* zlib-compressed BLOBs; plain TEXT from older databases */
    while (ok && (rc = sqlite3_step(pages)) == SQLITE_ROW) {
      const void *data = sqlite3_column_blob(pages, 0);
      gsize len = (gsize)sqlite3_column_bytes(pages, 0);
      char *line = sqlite3_column_type(pages, 0) == SQLITE_BLOB
                       ? kk_zlib_decompress(data, len, KK_JSONL_MAX_LINE, &e)
                       : g_strndup(data ? data : "", len);
      ok = line != NULL;
      if (ok)
        g_ptr_array_add(s.lines, line);
    }
    sqlite3_reset(pages);
    KkIngestResult result = { 0 };
    g_strlcpy(result.sha256, g_ptr_array_index(shas, i), sizeof result.sha256);
    if (ok && rc != SQLITE_DONE)
      ok = kk_db_fail(db, "read stored pages", &e);
    const char *file = g_ptr_array_index(files, i);
    if (ok)
      ok = derive_and_load(db, file ? file : result.sha256, file, result.sha256, stored_stages, &s,
                           options, TRUE, &result, &e);
    g_ptr_array_unref(s.lines);
    if (each)
      each(file ? file : result.sha256, ok, &result, e, user_data);
  }
  return TRUE;
}
