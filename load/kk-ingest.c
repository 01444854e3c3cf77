/* kk-ingest.c — see kk-ingest.h */
#include "kk-ingest.h"
#include "kk-db.h"
#include "kk-zlib.h"
#include "kk-spool.h"
#include "common/kk-error.h"
#include "common/kk-sha256.h"
#include "common/kk-file.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
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

gboolean kk_ingest_digest_file(const char *path, KkFileDigest *digest, GError **error)
{
  struct stat before, after;
  int fd = kk_open_regular(path, &before, error); /* no FIFO or device */
  if (fd < 0)
    return FALSE;
  FILE *f = fdopen(fd, "rb");
  if (f == NULL) {
    int saved = errno;
    close(fd);
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s", g_strerror(saved));
    return FALSE;
  }
  KkSha256 sum;
  kk_sha256_init(&sum);
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
    kk_sha256_update(&sum, buf, n);
  }
  gboolean failed = ferror(f) || fstat(fileno(f), &after) != 0;
  int saved = errno;
  fclose(f);
  if (failed) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "read error: %s", g_strerror(saved));
    return FALSE;
  }
  if (before.st_size != after.st_size || before.st_mtim.tv_sec != after.st_mtim.tv_sec ||
      before.st_mtim.tv_nsec != after.st_mtim.tv_nsec || total != (guint64)after.st_size) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the file changed while it was being read; try again");
    return FALSE;
  }
  G_STATIC_ASSERT(sizeof digest->sha256 >= KK_SHA256_HEX_SIZE);
  kk_sha256_finish_hex(&sum, digest->sha256);
  digest->size = (guint64)after.st_size;
  digest->mtime_ns = (gint64)after.st_mtim.tv_sec * 1000000000 + after.st_mtim.tv_nsec;
  return TRUE;
}

/* The chain inside the child: each pages object from extract (or from the
 * stored extract output) is optionally passed on as an "extracted"
 * wrapper and fed to the parser (which normalizes the texts of its pages),
 * whose records go to the child's sink. */
typedef struct {
  KkParser *parser;
  gboolean keep_extracted;
  gboolean pages_as_lines; /* extract writes page objects' wrappers (chain_page_line) */
  KkSink sink;
  gpointer sink_data;
  FILE *live;              /* the spool, when the parent may follow it: flushed
                              after every page (kk_child_progress) */
} Chain;

/* How the child writes an extracted pages object (kk_json_object_to_line
 * keeps member order): the parent stores the inner JSON text as it is,
 * without parsing it. */
#define EXTRACTED_PREFIX "{\"type\":\"extracted\",\"object\":"

/* KkExtractLineSink of a chain whose sink writes to a file: the
 * "extracted" wrapper of a page object from the page's JSON text as
 * extract wrote it (the line the wrapper object would serialize to). */
static gboolean chain_page_line(const char *line, gsize len, gpointer user_data, GError **error)
{
  Chain *c = user_data;
  FILE *out = c->sink_data;
  if (fputs(EXTRACTED_PREFIX, out) == EOF || fwrite(line, 1, len, out) != len || putc('}', out) == EOF ||
      putc('\n', out) == EOF) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

/* KkExtractLayoutSink of such a chain: the parser reads the laid-out page
 * (no page tree is built; chain_page_line wrote its wrapper). */
static gboolean chain_page_layout(const KkLayout *layout, guint page_no, gpointer user_data, GError **error)
{
  Chain *c = user_data;
  KpPage *page = kp_page_from_layout(layout, page_no, error);
  if (page == NULL || !kk_parser_feed_page(c->parser, page, error))
    return FALSE;
  if (c->live)
    kk_child_progress(c->live);
  return TRUE;
}

static gboolean chain_pages_object(JsonObject *object, gpointer user_data, GError **error)
{
  Chain *c = user_data;
  if (c->keep_extracted && !(c->pages_as_lines && g_strcmp0(kk_json_string(object, "type", NULL), "page") == 0)) {
    g_autoptr(JsonObject) wrapper = json_object_new();
    json_object_set_string_member(wrapper, "type", "extracted");
    json_object_set_object_member(wrapper, "object", json_object_ref(object));
    if (!c->sink(wrapper, c->sink_data, error))
      return FALSE;
  }
  /* the parser normalizes each text as it reads a page (no normalized
   * tree is built): the document tells it to */
  if (g_strcmp0(kk_json_string(object, "type", NULL), "document") == 0)
    json_object_set_boolean_member(object, "normalized", FALSE);
  if (!kk_parser_feed(c->parser, object, c->sink, c->sink_data, error))
    return FALSE;
  if (c->live)
    kk_child_progress(c->live);
  return TRUE;
}

gboolean kk_ingest_stages(const char *input, gpointer options, KkSink sink, gpointer sink_data,
                          GError **error)
{
  const KkIngestOptions *o = options;
  Chain c = { .keep_extracted = TRUE, .sink = sink, .sink_data = sink_data };
  c.parser = o && o->parser ? o->parser : kk_parser_new(o ? o->patterns_dir : NULL, error);
  if (c.parser == NULL)
    return FALSE;
  kk_parser_set_given_place(c.parser, o ? o->place : NULL);
  KkExtractOptions eo = { .ocr = o ? o->ocr : KK_OCR_AUTO };
  if (sink == kk_jsonl_sink_file) {
    /* the pages' wrappers are written from extract's text of them and the
     * parser reads their layouts: no page trees (but for OCR pages) */
    c.pages_as_lines = TRUE;
    eo.page_line = chain_page_line;
    eo.page_line_data = &c;
    eo.page_layout = chain_page_layout;
    eo.page_layout_data = &c;
    if (!(o && o->reprocess)) {
      /* the records go to the spool as parse makes them, after a
       * provisional document object, so the parent can load them while
       * this child runs (load_spool); re-deriving needs the final
       * document object first (is the stored derivation the same?) */
      c.live = sink_data;
      kk_parser_set_records_out(c.parser, c.live);
    }
  }
  if (o && o->digest.sha256[0]) {
    eo.sha256 = o->digest.sha256;
    eo.sha256_size = o->digest.size;
    eo.sha256_mtime_ns = o->digest.mtime_ns;
  }
  gboolean ok = kk_extract_file(input, &eo, chain_pages_object, &c, error);
  kk_parser_set_records_out(c.parser, NULL);
  if (!(o && o->parser))
    kk_parser_free(c.parser);
  return ok;
}

/* Parses one spool line into *object (owned by `parser`, valid until its
 * next use). */
static gboolean parse_line(JsonParser *parser, const char *line, gssize len, guint lineno,
                           JsonObject **object, GError **error)
{
  g_autoptr(GError) e = NULL;
  if (!kk_jsonl_parse_line(parser, line, len < 0 ? strlen(line) : (gsize)len, "the stages' output", lineno,
                           object, &e)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "%s", e->message);
    return FALSE;
  }
  return TRUE;
}

/* The inner pages object of an "extracted" line: its JSON text in
 * json and len (pointing into `line`, or into *owned when the line had to
 * be parsed).  FALSE when `line` is not an extracted line. */
static gboolean extracted_text(JsonParser *parser, char *line, gsize n, guint lineno, const char **json,
                               gsize *len, char **owned, GError **error)
{
  const gsize prefix = sizeof EXTRACTED_PREFIX - 1;
  *owned = NULL;
  if (n > prefix && strncmp(line, EXTRACTED_PREFIX, prefix) == 0 && line[n - 1] == '}') {
    *json = line + prefix;
    *len = n - prefix - 1;
    return TRUE;
  }
  if (strstr(line, "\"extracted\"") == NULL)
    return FALSE; /* cheap test first: most lines are records */
  JsonObject *o;
  if (!parse_line(parser, line, (gssize)n, lineno, &o, error))
    return FALSE;
  if (g_strcmp0(kk_json_string(o, "type", NULL), "extracted") != 0)
    return FALSE;
  JsonObject *inner = kk_json_object(o, "object");
  *owned = inner ? kk_json_object_to_line(inner, len) : g_strdup("{}");
  if (!inner)
    *len = 2;
  *json = *owned;
  return TRUE;
}

/* documents.file is text: a file name that is not UTF-8 is stored as its
 * display name (invalid bytes replaced). */
static char *stored_name(const char *path)
{
  return g_utf8_validate(path, -1, NULL) ? g_strdup(path) : g_filename_display_name(path);
}

/* Loading one document from its spool, while its child may still be
 * writing it (the document written next is followed live: wall time is
 * about the longer of the worker and the writer, not their sum).  The
 * spool has one of two layouts: the usual stream (every extracted line,
 * then the records' document object, the records and the end object), or
 * the live one of kk_parser_set_records_out() (a provisional document
 * object after the first extracted line, then extracted lines and records
 * as they were made, the final document object and the end object).  A
 * first pass finds the first document object (the documents row needs it;
 * the live layout has it on its second line), a second writes everything
 * in order, the final document object updating the row, in one
 * transaction.  It commits only when the child has ended well: a child
 * that fails, hits a limit or is killed rolls it all back, and its own
 * error wins over a failure of the loading, as when the spool was read
 * only after the child's end.  Memory does not grow with the document:
 * one line at a time. */
typedef struct {
  sqlite3 *db;
  KkSpool *spool;          /* borrowed */
  FILE *in;                /* owned by the spool */
  JsonParser *parser;
  char *line;
  gsize cap;
  guint lineno;
  char *file;              /* documents.file */
  char sha[65];            /* this process's hash of the file */
  gboolean reprocess;
  KkLoadWriter *w;         /* open once the first document object was read */
  gint64 pages;            /* of the first document object */
  gboolean provisional;    /* the first document object was provisional */
  gboolean seen_doc, seen_final, seen_end;
  GError *error;           /* the loading failed: told once the child ended */
} Follow;

static Follow *follow_new(sqlite3 *db, KkSpool *spool, const char *path, const char *sha, gboolean reprocess,
                          GError **error)
{
  FILE *in = kk_spool_rewind(spool, error);
  if (in == NULL)
    return NULL;
  Follow *f = g_new0(Follow, 1);
  f->db = db;
  f->spool = spool;
  f->in = in;
  f->parser = json_parser_new();
  f->file = path ? stored_name(path) : NULL;
  g_strlcpy(f->sha, sha, sizeof f->sha);
  f->reprocess = reprocess;
  return f;
}

/* Frees `f`, rolling back what it wrote unless it was committed. */
static void follow_free(Follow *f)
{
  if (f == NULL)
    return;
  kk_load_abort(f->w);
  g_clear_error(&f->error);
  g_object_unref(f->parser);
  g_free(f->line);
  g_free(f->file);
  g_free(f);
}

/* The stages' document object must name the bytes this process hashed. */
static gboolean same_sha(Follow *f, JsonObject *doc)
{
  const char *stream_sha = kk_json_string(doc, "sha256", NULL);
  if (stream_sha != NULL && g_ascii_strcasecmp(stream_sha, f->sha) != 0) {
    /* extract hashed other bytes than we did: the file changed meanwhile */
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INPUT, "the file changed while it was being read; try again");
    return FALSE;
  }
  return TRUE;
}

/* First pass, one line of `n` bytes: skips extracted lines; the first
 * other line must be the records' document object, which opens the
 * writer and sends the reading back to the start.  FALSE with f->error. */
static gboolean find_document(Follow *f, gsize n, KkIngestResult *result)
{
  const char *json;
  gsize len;
  g_autofree char *owned = NULL;
  if (extracted_text(f->parser, f->line, n, ++f->lineno, &json, &len, &owned, &f->error))
    return TRUE;
  if (f->error != NULL)
    return FALSE;
  JsonObject *o;
  if (!parse_line(f->parser, f->line, (gssize)n, f->lineno, &o, &f->error))
    return FALSE;
  if (strcmp(kk_json_string(o, "type", ""), "document") != 0) {
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages ended without a complete records stream");
    return FALSE;
  }
  if (!same_sha(f, o))
    return FALSE;
  f->pages = kk_json_int(o, "pages", 0);
  result->pages = f->pages > 0 && f->pages < G_MAXUINT ? (guint)f->pages : 0;
  f->provisional = json_object_get_boolean_member_with_default(o, "provisional", FALSE);
  if (f->provisional && f->reprocess) {
    /* whether the stored derivation is the same needs the final object */
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages wrote a provisional document object for re-deriving");
    return FALSE;
  }
  KkLoadOptions lo = { .reprocess = f->reprocess, .file = f->file, .sha256 = f->sha };
  if ((f->w = kk_load_begin(f->db, o, &lo, &f->error)) == NULL)
    return FALSE;
  f->lineno = 0;
  return (f->in = kk_spool_rewind(f->spool, &f->error)) != NULL;
}

/* Second pass, one line of `n` bytes: writes it.  FALSE with f->error. */
static gboolean write_line(Follow *f, gsize n)
{
  if (++f->lineno > MAX_OBJECTS) {
    g_set_error(&f->error, KK_ERROR, KK_ERROR_LIMIT, "more than %u objects for one document", MAX_OBJECTS);
    return FALSE;
  }
  const char *json;
  gsize len;
  g_autofree char *owned = NULL;
  if (extracted_text(f->parser, f->line, n, f->lineno, &json, &len, &owned, &f->error))
    return kk_load_extracted(f->w, json, len, &f->error);
  if (f->error != NULL)
    return FALSE;
  JsonObject *o;
  if (!parse_line(f->parser, f->line, (gssize)n, f->lineno, &o, &f->error))
    return FALSE;
  const char *type = kk_json_string(o, "type", "");
  if (f->seen_end) {
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages wrote \"%s\" after the end object", type);
    return FALSE;
  }
  if (!f->seen_doc) {
    f->seen_doc = TRUE; /* the first document object: written by kk_load_begin */
    return TRUE;
  }
  gboolean end = strcmp(type, "end") == 0;
  if (f->provisional && !f->seen_final && strcmp(type, "document") == 0) {
    f->seen_final = TRUE;
    if (!same_sha(f, o))
      return FALSE;
    if (kk_json_int(o, "pages", 0) != f->pages) {
      g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages' final document object has another page count");
      return FALSE;
    }
    return kk_load_update_document(f->w, o, &f->error);
  }
  if (f->provisional && (f->seen_final ? !end : end)) {
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages wrote \"%s\" %s the final document object", type,
                end ? "before" : "after");
    return FALSE;
  }
  f->seen_end = end;
  return kk_load_record(f->w, o, &f->error); /* the end object too: it is checked */
}

/* Loads what the child has written so far.  FALSE while it runs and no
 * more is there yet, or the loading failed and the child is still to be
 * judged (call again once kk_spool_await() or a poll of the
 * spool's descriptors returns); TRUE when the document is settled, with
 * *ok, and `error` set when it failed (nothing of it written). */
static gboolean follow_step(Follow *f, KkIngestResult *result, gboolean *ok, GError **error)
{
  while (f->error == NULL) {
    gssize n = kk_spool_follow_line(f->spool, f->in, &f->line, &f->cap, KK_JSONL_MAX_LINE, &f->error);
    if (n == KK_SPOOL_AGAIN)
      return FALSE;
    if (n < 0)
      break; /* the end (the child's is recorded), or a read error */
    if (!(f->w == NULL ? find_document(f, (gsize)n, result) : write_line(f, (gsize)n)))
      break;
  }
  /* how the child ended decides first: after a failure here, that is
   * once it has ended */
  if (!kk_spool_ended(f->spool))
    return FALSE;
  GError *child = NULL;
  if (!kk_spool_succeeded(f->spool, &child)) {
    g_clear_error(&f->error);
    f->error = child;
  } else if (f->error == NULL && !f->seen_end) {
    g_set_error(&f->error, KK_ERROR, KK_ERROR_INTERNAL, "the stages ended without a complete records stream");
  }
  if (f->error != NULL) {
    kk_load_abort(g_steal_pointer(&f->w));
    g_propagate_error(error, g_steal_pointer(&f->error));
    *ok = FALSE;
    return TRUE;
  }
  *ok = kk_load_commit(g_steal_pointer(&f->w), &result->outcome, NULL, error);
  return TRUE;
}

/* Writes the output of the child of `spool` in one transaction, following
 * the child while it runs (Follow). */
static gboolean load_spool(sqlite3 *db, KkSpool *spool, const char *path, const char *sha,
                           gboolean reprocess, KkIngestResult *result, GError **error)
{
  Follow *f = follow_new(db, spool, path, sha, reprocess, error);
  if (f == NULL)
    return FALSE;
  gboolean ok = FALSE;
  while (!follow_step(f, result, &ok, error))
    kk_spool_await(spool);
  follow_free(f);
  return ok;
}

/* Runs `work` on `input` in a child and writes the result. */
static gboolean derive_and_load(sqlite3 *db, const char *input, const char *file, const char *sha,
                                KkChildWork work, gpointer work_data, const KkIngestOptions *options,
                                gboolean reprocess, KkIngestResult *result, GError **error)
{
  g_autoptr(KkSpool) spool = kk_spool_start(input, &options->limits, work, work_data, error);
  if (spool == NULL)
    return FALSE;
  return load_spool(db, spool, file, sha, reprocess, result, error);
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

/* The part of ingesting `path` before its stages run: hashing and the
 * look-up.  Returns TRUE with *settled set when nothing more is to be done
 * (the document is known and not to be re-derived); FALSE on failure. */
static gboolean ingest_prepare(sqlite3 *db, const char *path, const KkIngestOptions *options,
                               const char *writing, KkIngestResult *result, gboolean *settled, GError **error)
{
  memset(result, 0, sizeof *result);
  *settled = FALSE;
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "is a directory");
    return FALSE;
  }
  if (!kk_ingest_digest_file(path, &result->digest, error))
    return FALSE;
  gboolean known = FALSE;
  if (!known_document(db, result->digest.sha256, &result->pages, &known, error))
    return FALSE;
  if (known && writing != NULL && strcmp(writing, result->digest.sha256) == 0)
    known = FALSE; /* only as the transaction still open has it: find out at its turn */
  if (known && !options->reprocess) {
    result->outcome = KK_LOAD_UNCHANGED;
    *settled = TRUE;
  }
  return TRUE;
}

/* The work of one file's child and its data: the caller's stages, or
 * kk_ingest_stages on `per_file`, a copy of `options` with the digest the
 * parent hashed (extract does not hash again).  `per_file` must live in
 * the child: it is forked with it. */
static KkChildWork file_work(const KkIngestOptions *options, const KkFileDigest *hashed, KkIngestOptions *per_file,
                             gpointer *data)
{
  *per_file = *options;
  per_file->digest = *hashed;
  *data = options->stages_data ? options->stages_data : (gpointer)per_file;
  return options->stages ? options->stages : kk_ingest_stages;
}

/* In a worker forked by the fork server of a batch (kk-forkserver.h): the
 * request is the file's digest followed by its path (NUL-terminated);
 * `data` is the batch's options, as they were when the server started. */
static void serve_file(const void *request, gsize len, const int *fds, guint n_fds, pid_t parent, gpointer data)
{
  const KkIngestOptions *options = data;
  const char *bytes = request;
  if (len <= sizeof(KkFileDigest) || bytes[len - 1] != '\0')
    _exit(KK_ERROR_INTERNAL);
  KkFileDigest hashed;
  memcpy(&hashed, bytes, sizeof hashed); /* the request has no alignment */
  KkIngestOptions per_file;
  gpointer work_data;
  KkChildWork work = file_work(options, &hashed, &per_file, &work_data);
  kk_spool_serve(fds, n_fds, parent, bytes + sizeof hashed, &options->limits, work, work_data);
}

/* Starts the stages on `path` in a child writing to a spool: forked by
 * `server` when there is one (and the request fits), else by this
 * process. */
static KkSpool *ingest_start(KkForkServer *server, const char *path, const KkIngestOptions *options,
                             const KkFileDigest *hashed, GError **error)
{
  gsize path_len = strlen(path) + 1;
  if (server != NULL && sizeof *hashed + path_len <= KK_FORKSERVER_MAX_REQUEST) {
    char request[KK_FORKSERVER_MAX_REQUEST];
    memcpy(request, hashed, sizeof *hashed);
    memcpy(request + sizeof *hashed, path, path_len);
    g_autoptr(GError) refused = NULL;
    KkSpool *spool = kk_spool_start_served(server, request, sizeof *hashed + path_len, &options->limits, &refused);
    if (spool != NULL)
      return spool;
    /* the server is gone or could not fork: fork here, as without one */
  }
  /* the child is forked before kk_spool_start() returns: it gets its own
   * copy of this per-file struct */
  KkIngestOptions per_file;
  gpointer data;
  KkChildWork work = file_work(options, hashed, &per_file, &data);
  return kk_spool_start(path, &options->limits, work, data, error);
}

gboolean kk_ingest_file(sqlite3 *db, const char *path, const KkIngestOptions *options,
                        KkIngestResult *result, GError **error)
{
  gboolean settled;
  if (!ingest_prepare(db, path, options, NULL, result, &settled, error))
    return FALSE;
  if (settled)
    return TRUE;
  g_autoptr(KkSpool) spool = ingest_start(NULL, path, options, &result->digest, error);
  if (spool == NULL)
    return FALSE;
  return load_spool(db, spool, path, result->digest.sha256, options->reprocess, result, error);
}

/* One file of a batch. */
typedef struct {
  KkSpool *spool;        /* its running or finished child, or NULL */
  Follow *follow;        /* its loading, once it is the head */
  gboolean settled;      /* outcome known without (more) loading */
  gboolean ok;
  KkIngestResult result;
  GError *error;
} Slot;

guint kk_ingest_default_jobs(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (guint)MIN(n, 256) : 1;
}

/* Hashes and looks up the file of slot `s` (ingest_prepare): settled when
 * it failed or is known.  `head` is the slot written next: its
 * transaction may be open, and this connection sees its document row. */
static void prepare_slot(sqlite3 *db, Slot *s, const char *path, const KkIngestOptions *options, const Slot *head)
{
  const char *writing = head->follow && head->follow->w ? head->follow->sha : NULL;
  s->ok = ingest_prepare(db, path, options, writing, &s->result, &s->settled, &s->error);
  if (!s->ok)
    s->settled = TRUE;
}

/* Records the end of child `pid` (as wait4 gave it) in its slot among
 * slots[from, to); FALSE when it is none of them. */
static gboolean note_exit(Slot *slots, guint from, guint to, pid_t pid, int wstatus,
                          const struct rusage *usage)
{
  for (guint i = from; i < to; i++) {
    if (slots[i].spool && !kk_spool_ended(slots[i].spool) && kk_spool_pid(slots[i].spool) == pid) {
      kk_spool_set_exit(slots[i].spool, wstatus, usage);
      return TRUE;
    }
  }
  return FALSE;
}

/* Blocks until the child of `followed` (the head's) writes more, or a
 * child of slots[from, to) ends (the end of its progress pipe); reaps
 * those that ended so (*reaped of them). */
static gboolean await_children(Slot *slots, guint from, guint to, KkSpool *followed, guint *reaped, GError **error)
{
  g_autofree struct pollfd *fds = g_new0(struct pollfd, to - from);
  g_autofree KkSpool **spools = g_new0(KkSpool *, to - from);
  nfds_t n = 0;
  *reaped = 0;
  for (guint i = from; i < to; i++) {
    KkSpool *sp = slots[i].spool;
    if (sp == NULL || kk_spool_progress_fd(sp) < 0)
      continue;
    /* events 0: only the end (POLLHUP) of the others' pipes wakes */
    fds[n] = (struct pollfd){ .fd = kk_spool_progress_fd(sp), .events = sp == followed ? POLLIN : 0 };
    spools[n++] = sp;
  }
  int rc;
  while ((rc = poll(fds, n, -1)) < 0 && errno == EINTR)
    ;
  if (rc < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "poll: %s", g_strerror(errno));
    return FALSE;
  }
  for (nfds_t i = 0; i < n; i++) {
    if (fds[i].revents == 0)
      continue;
    if (kk_spool_drain(spools[i]) || (fds[i].revents & (POLLHUP | POLLERR | POLLNVAL))) {
      kk_spool_wait(spools[i]); /* it has ended: reaped at once */
      (*reaped)++;
    }
  }
  return TRUE;
}

gboolean kk_ingest_files(sqlite3 *db, GPtrArray *paths, guint jobs, const KkIngestOptions *options,
                         KkIngestNext next, KkIngestEach each, gpointer user_data, GError **error)
{
  jobs = CLAMP(jobs, 1, 256);
  guint n = paths->len;
  Slot *slots = g_new0(Slot, MAX(n, 1));
  /* Files are started in input order, at most `jobs` children at once and
   * at most `window` files ahead of the one written next (finished spools
   * wait on disk for their turn); they are written and reported in input
   * order, so the database and the output do not depend on timing.
   * Files are hashed and looked up (prepared) in the same order, up to the
   * window ahead: while the workers run and nothing is ready to write, the
   * writer prepares the files to come, so a worker that ends is followed
   * at once by the next, not after that file's hashing (with -j 1 the
   * worker is the critical path; the writer has time). */
  guint window = 4 * jobs;
  guint head = 0, prepared = 0, started = 0, running = 0;
  /* Workers of a batch are forked by a server forked now, not by this
   * process: each fork would make this process's next writes (SQLite's
   * cache, the heap) copy-on-write faults (kk-forkserver.h).  Without a
   * server, this process forks them itself. */
  g_autoptr(KkForkServer) server = n > 1 ? kk_fork_server_start(serve_file, (gpointer)options, NULL) : NULL;
  gboolean ok = TRUE;
  while (head < n) {
    /* counted afresh: a spool freed early (kk_spool_free) reaps its child */
    running = 0;
    for (guint i = head; i < started; i++)
      running += slots[i].spool && !kk_spool_ended(slots[i].spool);
    while (running < jobs && started < n && started < head + window) {
      Slot *s = &slots[started];
      const char *path = g_ptr_array_index(paths, started);
      if (started == prepared) {
        prepare_slot(db, s, path, options, &slots[head]);
        prepared++;
      }
      started++;
      if (s->settled)
        continue;
      s->spool = ingest_start(server, path, options, &s->result.digest, &s->error);
      if (s->spool == NULL) {
        s->ok = FALSE;
        s->settled = TRUE;
        continue;
      }
      running++;
    }
    Slot *h = &slots[head];
    const char *path = g_ptr_array_index(paths, head);
    if (!h->settled && h->spool && (kk_spool_ended(h->spool) || kk_spool_followable(h->spool))) {
      /* the head's spool is loaded as its child writes it (Follow) */
      if (h->follow == NULL &&
          (h->follow = follow_new(db, h->spool, path, h->result.digest.sha256, options->reprocess, &h->error)) == NULL) {
        h->ok = FALSE;
        h->settled = TRUE;
      } else if (follow_step(h->follow, &h->result, &h->ok, &h->error)) {
        g_clear_pointer(&h->follow, follow_free);
        h->settled = TRUE;
      }
      if (h->settled)
        g_clear_pointer(&h->spool, kk_spool_free);
    }
    if (h->settled && !h->ok && h->error != NULL && h->error->domain == KK_ERROR &&
        h->error->code == KK_ERROR_DATABASE) {
      /* the database itself failed (disk full, read-only, I/O error): every
       * file to come would fail the same way, so the batch stops here */
      g_propagate_prefixed_error(error, g_steal_pointer(&h->error), "%s: ", path);
      ok = FALSE;
      break;
    }
    if (h->settled) {
      if (each)
        each(path, h->ok, &h->result, h->error, user_data);
      g_clear_error(&h->error);
      head++;
      if (head < n && next)
        next(g_ptr_array_index(paths, head), user_data);
      continue;
    }
    int wstatus = 0;
    struct rusage usage = {0};
    pid_t pid;
    if (prepared < n && prepared < head + window) {
      /* nothing to write yet: prepare a file to come, then take note of
       * the children that ended meanwhile */
      prepare_slot(db, &slots[prepared], g_ptr_array_index(paths, prepared), options, h);
      prepared++;
      while ((pid = wait4(-1, &wstatus, WNOHANG, &usage)) > 0)
        if (note_exit(slots, head, started, pid, wstatus, &usage))
          running--;
      continue;
    }
    if (h->follow != NULL && kk_spool_followable(h->spool)) {
      /* wait for the head's child to write more, or any child to end */
      guint reaped = 0;
      if (!await_children(slots, head, started, h->spool, &reaped, error)) {
        ok = FALSE;
        break;
      }
      running -= reaped;
      while ((pid = wait4(-1, &wstatus, WNOHANG, &usage)) > 0)
        if (note_exit(slots, head, started, pid, wstatus, &usage))
          running--;
      continue;
    }
    /* wait for any of our children */
    pid = wait4(-1, &wstatus, 0, &usage);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "wait: %s", g_strerror(errno));
      ok = FALSE;
      break;
    }
    if (note_exit(slots, head, started, pid, wstatus, &usage))
      running--;
  }
  for (guint i = 0; i < n; i++) { /* only after a failure: kills what still runs */
    follow_free(slots[i].follow);
    kk_spool_free(slots[i].spool);
    g_clear_error(&slots[i].error);
  }
  g_free(slots);
  return ok;
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
  c.parser = s->options->parser ? s->options->parser : kk_parser_new(s->options->patterns_dir, error);
  if (c.parser == NULL)
    return FALSE;
  kk_parser_set_given_place(c.parser, s->options->place);
  g_autoptr(JsonParser) parser = json_parser_new(); /* mutable: normalize rewrites */
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < s->lines->len; i++) {
    const char *line = g_ptr_array_index(s->lines, i);
    JsonObject *object;
    /* the database is input too: its stored lines get the reader's checks */
    if (!kk_jsonl_parse_line(parser, line, strlen(line), "stored pages", i + 1, &object, error)) {
      ok = FALSE;
      break;
    }
    ok = chain_pages_object(object, &c, error);
  }
  if (s->options->parser == NULL)
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
    g_strlcpy(result.digest.sha256, g_ptr_array_index(shas, i), sizeof result.digest.sha256);
    if (ok && rc != SQLITE_DONE)
      ok = kk_db_fail(db, "read stored pages", &e);
    const char *file = g_ptr_array_index(files, i);
    if (ok)
      ok = derive_and_load(db, file ? file : result.digest.sha256, file, result.digest.sha256, stored_stages, &s,
                           options, TRUE, &result, &e);
    g_ptr_array_unref(s.lines);
    if (each)
      each(file ? file : result.digest.sha256, ok, &result, e, user_data);
  }
  return TRUE;
}
