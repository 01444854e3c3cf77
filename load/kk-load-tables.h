/*
 * kk-load-tables.h — the writer of the `table` and `fact` records
 * (common/FORMATS.md) into tables, table_cells and table_facts
 * (docs/SCHEMA.md), inside the document transaction of kk-load.c.
 *
 * A fact names its table by the table record's "key"; the table comes
 * first in the stream.  The box of every fact goes to kk_boxes.
 */
#ifndef KK_LOAD_TABLES_H
#define KK_LOAD_TABLES_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Most cells one table record may hold. */
#define KK_LOAD_MAX_CELLS 200000

typedef struct KkTableWriter KkTableWriter;

/* A writer for document `doc_id` on `db` (its statements are prepared on
 * first use and finalized by kk_table_writer_free). */
KkTableWriter *kk_table_writer_new(sqlite3 *db, gint64 doc_id);
void kk_table_writer_free(KkTableWriter *tw);

/* Writes a table record and its cells.  *table_id receives tables.id and
 * *search_text (free it) the cells' text, one cell per line, for the
 * search unit the caller adds.  FALSE with KK_ERROR_INPUT for a malformed
 * record (no key, a key given twice, too many cells) or KK_ERROR_DATABASE. */
gboolean kk_table_writer_table(KkTableWriter *tw, JsonObject *record, gint64 *table_id,
                               char **search_text, GError **error);

/* Writes a fact record (its table must have been written).  FALSE with
 * KK_ERROR_INPUT for a fact naming no known table, or KK_ERROR_DATABASE. */
gboolean kk_table_writer_fact(KkTableWriter *tw, JsonObject *record, GError **error);

G_END_DECLS

#endif
