/*
 * kk-merge.h — merging keikaku databases built on separate machines
 * (`keikaku merge OUT.db SHARD.db...`).
 *
 * Every row that belongs to a document (the documents table and every
 * table that reaches it through foreign keys, found from the schema, so
 * tables added by later schema versions are merged too) is copied from
 * each shard into OUT with its rowid and its foreign keys shifted past
 * OUT's largest rowid of the table.  A document already in OUT (same
 * SHA-256) is skipped with all its rows.  Reference data (lg_codes,
 * topic_terms) is OUT's own.  The new search units are put into OUT's FTS
 * index and the editions (kk-editions.h) are recomputed.  All shards go in in one write transaction: a failure leaves OUT
 * as it was.
 */
#ifndef KK_MERGE_H
#define KK_MERGE_H

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Counts of one merge. */
typedef struct {
  guint documents_added;   /* documents copied into OUT */
  guint documents_skipped; /* documents already in OUT (same SHA-256) */
  guint64 rows;            /* rows copied, every table */
} KkMergeStats;

/* Merges the keikaku databases at `shards` (NULL-terminated paths) into
 * `out` (opened read-write by kk_db_open), in the order given, in one
 * transaction.  Refuses (KK_ERROR_DATABASE, nothing written) a shard that
 * is not a keikaku database, has another schema version than
 * KK_DB_SCHEMA_VERSION, is the OUT file itself, or whose tables differ
 * from OUT's.  The error message names the shard. */
gboolean kk_merge(sqlite3 *out, const char *out_path, const char *const *shards,
                  KkMergeStats *stats, GError **error);

G_END_DECLS

#endif
