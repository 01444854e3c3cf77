/*
 * facts.h — every table of every document as data: the tables of the pages
 * stream, joined over page breaks, become `table` records (with their
 * cells) and each numeric body cell a `fact` record (row label, column
 * label, value in base units, unit, fiscal year; common/FORMATS.md).
 *
 * Nothing here depends on a pattern family: parse runs it on every page of
 * every document.  It knows table structure only (header rows, label
 * columns, unit captions, units rows, year headers), never a city's words.
 * Values come from normalize's annotator (exact decimals); scaling by a
 * money unit (千円, 百万円) is exact 64-bit arithmetic, and a value that
 * would overflow is given as null with its raw text, never wrapped.
 *
 * Memory: one table is held open at a time (the last of a page, which the
 * next page may continue); every other table is emitted when the next one
 * starts.  A joined table is cut at KP_FACTS_MAX_CELLS cells.
 */
#ifndef KK_FACTS_H
#define KK_FACTS_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "patterns/pagemodel.h"

G_BEGIN_DECLS

/* Most cells one joined table may hold; past it the table is emitted and a
 * new one begins (a runaway continuation cannot grow memory). */
#define KP_FACTS_MAX_CELLS 100000
/* Most slots (rows × columns) of a joined table's grid: a continuation
 * that would pass it starts a new table instead. */
#define KP_FACTS_MAX_GRID 2000000
/* How far up (rows) an outer label written once is looked for. */
#define KP_FACTS_MAX_GROUP_ROWS 500

/* Receives one record as its line of JSON text, line[0..len) without the
 * newline (valid during the call only): the records are written as text,
 * not built as trees, since all that happens to them is being written.
 * Returns FALSE with `error` set to stop. */
typedef gboolean (*KpFactsEmit)(const char *line, gsize len, gpointer data, GError **error);

typedef struct KpFacts KpFacts;

/* A new state for one pages stream; records go to `emit`. */
KpFacts *kp_facts_new(KpFactsEmit emit, gpointer data);

/* Frees the state (an open table is dropped: call kp_facts_finish first). */
void kp_facts_free(KpFacts *facts);

/* Takes the tables of one page.  `page_obj` is the page's JSON object (for
 * members the page model does not keep, such as a table's "kind"); NULL is
 * allowed.  Tables finished by this page are emitted; the page's last table
 * stays open until the next page shows whether it continues.  FALSE only
 * with the emitter's error. */
gboolean kp_facts_page(KpFacts *facts, const KpPage *page, JsonObject *page_obj, GError **error);

/* Emits the open table, if any (at the end of the stream). */
gboolean kp_facts_finish(KpFacts *facts, GError **error);

/* How many table and fact records were emitted so far (for --explain). */
void kp_facts_counts(const KpFacts *facts, guint64 *tables, guint64 *facts_out);

G_END_DECLS

#endif
