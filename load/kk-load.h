/*
 * kk-load.h — writing one document's records (common/FORMATS.md "records")
 * into the database, as one transaction.
 *
 * A document is known by the SHA-256 of its PDF bytes: loading it again
 * changes nothing ("unchanged"), unless `reprocess` is asked and the
 * pipeline or pattern file that derived it differs from the stored one,
 * in which case its derived rows are replaced ("reprocessed") under the
 * same documents.id.  The sha256 check happens inside the write
 * transaction, so concurrent loaders of the same document agree.
 */
#ifndef KK_LOAD_H
#define KK_LOAD_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum {
  KK_LOAD_LOADED,      /* new document written */
  KK_LOAD_UNCHANGED,   /* already there, nothing written */
  KK_LOAD_REPROCESSED  /* already there, re-derived rows replaced */
} KkLoadOutcome;

/* Human word for an outcome: "loaded", "unchanged", "reprocessed". */
const char *kk_load_outcome_name(KkLoadOutcome outcome);

typedef struct {
  gboolean reprocess;       /* replace a stored document whose derivation differs */
  const char *file;         /* overrides the records' "file" (NULL: keep) */
  const char *sha256;       /* overrides the records' "sha256" (NULL: keep):
                               ingest's own hash of the bytes it read */
  GPtrArray *extracted;     /* optional: extract output lines (char *) to keep
                               for re-deriving without the PDF */
} KkLoadOptions;

/* Writes the document whose records are `records` (JsonObject *, the
 * document object first, the end object last) in one transaction.  On
 * failure nothing of the document is written; errors are KK_ERROR_INPUT for
 * malformed records and KK_ERROR_DATABASE for SQLite failures.  `db_id_out`
 * (may be NULL) receives documents.id. */
gboolean kk_load_document(sqlite3 *db, GPtrArray *records, const KkLoadOptions *options,
                          KkLoadOutcome *outcome, gint64 *db_id_out, GError **error);

/* The same, one record at a time, for a document whose records are not
 * all in memory (ingest reads them from its workers' spool files).
 * kk_load_begin() checks the document object `doc`, opens the write
 * transaction and writes the documents row; or, when the document is already
 * there and is not to be re-derived, settles on "unchanged" and ignores
 * what follows.  Then every record after the document object, the end
 * object last, goes to kk_load_record() (which checks the invariants of
 * load/kk-load-check.h first), every extract output line (JSON text, kept
 * for re-deriving; it replaces the stored one) to kk_load_extracted(), and
 * kk_load_commit() ends the transaction (failing when the end object or a
 * page record never came).  Any failure leaves the writer
 * to kk_load_abort(), which rolls everything back.  Both end functions
 * free the writer. */
typedef struct KkLoadWriter KkLoadWriter;
KkLoadWriter *kk_load_begin(sqlite3 *db, JsonObject *doc, const KkLoadOptions *options,
                            GError **error);
gboolean kk_load_record(KkLoadWriter *writer, JsonObject *record, GError **error);
/* For a stream whose first document object was provisional (written
 * before parse had read the document, patterns/parse.h
 * kk_parser_set_records_out): the final document object `doc` replaces
 * the values of the documents row and its derivation, with the checks of
 * kk_load_begin().  The caller checks that sha256 and pages did not
 * change (the records were checked against the provisional pages). */
gboolean kk_load_update_document(KkLoadWriter *writer, JsonObject *doc, GError **error);
gboolean kk_load_extracted(KkLoadWriter *writer, const char *json, gsize length, GError **error);
gboolean kk_load_commit(KkLoadWriter *writer, KkLoadOutcome *outcome, gint64 *db_id_out, GError **error);
void kk_load_abort(KkLoadWriter *writer);

/* A streaming loader for `keikaku load`: a KkSink that collects one
 * document's records and writes them when its end object arrives. */
typedef struct KkLoader KkLoader;

/* Called after each document is written or found unchanged. */
typedef void (*KkLoadNotify)(const char *file, const char *sha256, KkLoadOutcome outcome,
                             guint n_records, gpointer user_data);

KkLoader *kk_loader_new(sqlite3 *db, gboolean reprocess, KkLoadNotify notify, gpointer user_data);
void kk_loader_free(KkLoader *loader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkLoader, kk_loader_free)

/* KkSink: feed it every records object, user_data = the KkLoader. */
gboolean kk_loader_sink(JsonObject *object, gpointer loader, GError **error);

/* Call at end of input: fails (KK_ERROR_INPUT, nothing written for that
 * document) when a document was started but its end object never came, or
 * when the input held no document at all (the stage before failed). */
gboolean kk_loader_finish(KkLoader *loader, GError **error);

G_END_DECLS

#endif
