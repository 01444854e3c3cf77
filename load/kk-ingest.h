/*
 * kk-ingest.h — one document through the four stages into the database.
 *
 * The stages (extract → normalize → parse) run in a child process under
 * limits (common/kk-child.h), so a hostile PDF can only fail its own
 * document; the parent collects the records and writes them with
 * kk_load_document() in one transaction.  A document is known by the
 * SHA-256 of its bytes (GChecksum), checked once before the stages run (to
 * skip known files cheaply) and again inside the write transaction.
 */
#ifndef KK_INGEST_H
#define KK_INGEST_H

#include <glib.h>
#include <sqlite3.h>
#include "common/kk-child.h"
#include "common/kk-lgcode.h"
#include "extract/ocr.h"
#include "kk-load.h"

G_BEGIN_DECLS

/* Largest file ingest reads (the stages have their own limits too). */
#define KK_INGEST_MAX_FILE (1024u * 1024u * 1024u)

/* A file's SHA-256 and the size and modification time it had while it
 * was hashed. */
typedef struct {
  char sha256[65];
  guint64 size;
  gint64 mtime_ns;
} KkFileDigest;

typedef struct {
  gboolean reprocess;        /* re-derive known documents if pipeline/pattern changed */
  const char *patterns_dir;  /* NULL: the default pattern files */
  const KkLgCode *place;     /* the municipality of documents that name none
                                (--municipality), or NULL */
  struct KkParser *parser;   /* NULL, or the pattern files of patterns_dir
                                loaded once by the caller (borrowed): each
                                document's worker is a fork and parses with
                                its own copy instead of loading and
                                compiling them again */
  KkLimits limits;           /* for the child running the stages */
  KkChildWork stages;        /* NULL: kk_ingest_stages (tests pass fakes) */
  gpointer stages_data;      /* NULL: this options struct */
  KkFileDigest digest;       /* set per file for the stages (the parent
                                hashed it): extract does not hash again */
  KkOcrMode ocr;             /* which pages extract reads by OCR (auto) */
} KkIngestOptions;

/* Sets defaults: no reprocess, default patterns, kk_limits_default(). */
void kk_ingest_options_init(KkIngestOptions *options);

/* What became of one file. */
typedef struct {
  KkLoadOutcome outcome;
  KkFileDigest digest;       /* of the file as it was hashed */
  guint pages;               /* page count of the document (0 if unknown) */
} KkIngestResult;

/* Ingests the file at `path`.  Fails (nothing written) with the stage's
 * error: KK_ERROR_INPUT for unreadable/not-a-PDF, _ENCRYPTED, _NO_TEXT,
 * _LIMIT, _PATTERN, _UNKNOWN_LAYOUT, or _DATABASE. */
gboolean kk_ingest_file(sqlite3 *db, const char *path, const KkIngestOptions *options,
                        KkIngestResult *result, GError **error);

/* Number of cores online (for `ingest -j 0`), at least 1. */
guint kk_ingest_default_jobs(void);

/* Called with each file's outcome, in input order. */
typedef void (*KkIngestEach)(const char *file, gboolean ok, const KkIngestResult *result,
                             const GError *error, gpointer user_data);
/* Called when the batch starts waiting for `file` (the next to report). */
typedef void (*KkIngestNext)(const char *file, gpointer user_data);

/* Ingests every file of `paths` (char *), as kk_ingest_file() each, with
 * up to `jobs` (1…256) children running the stages at once; this process
 * alone writes, one transaction per document, in input order, so the
 * database and the calls of `each` are those of a run with jobs = 1.
 * Fails only when the batch itself cannot go on: KK_ERROR_DATABASE (the
 * database failed on a file: disk full, read-only, I/O error; the error
 * names the file) or KK_ERROR_INTERNAL; failures of single files go to
 * `each`. */
gboolean kk_ingest_files(sqlite3 *db, GPtrArray *paths, guint jobs, const KkIngestOptions *options,
                         KkIngestNext next, KkIngestEach each, gpointer user_data, GError **error);

/* Re-derives every stored document whose pipeline or pattern file changed
 * from its stored extract output (for `ingest --reprocess` without files).
 * Calls `each` per document. */
gboolean kk_ingest_reprocess_stored(sqlite3 *db, const KkIngestOptions *options,
                                    KkIngestEach each, gpointer user_data, GError **error);

/* The stage composition (a KkChildWork): reads the PDF `input`, and emits
 * for each extracted pages object a {"type":"extracted","object":…}
 * wrapper (kept for re-deriving), then the records objects of parse. */
gboolean kk_ingest_stages(const char *input, gpointer options, KkSink sink, gpointer sink_data,
                          GError **error);

/* SHA-256 of the file's bytes (64 lowercase hex digits) and the size and
 * modification time the file had while it was read; refuses files larger
 * than KK_INGEST_MAX_FILE (KK_ERROR_LIMIT) and fails (KK_ERROR_INPUT) when
 * the size or time change while it is read. */
gboolean kk_ingest_digest_file(const char *path, KkFileDigest *digest, GError **error);

G_END_DECLS

#endif
