/*
 * kk-load-check.h — the invariants a document's records must keep before
 * load writes them, so that a hostile or broken records stream is refused
 * instead of stored as a damaged database:
 *   - the document says how many pages it has (1 … KK_LOAD_MAX_PAGES);
 *   - every page has exactly one page record: no page twice, none outside
 *     1 … pages, none missing;
 *   - every record's "page" is such a page number;
 *   - integer columns (page, fiscal_year, money of budgets) get integers
 *     that fit (a JSON number too large for 64 bits never gets this far:
 *     common/kk-jsonl.c refuses it), never a value stored as -1 or NULL;
 *   - a record's "item" is an item key (a string) or null;
 *   - the document ends with its end object, whose "pages", when given,
 *     agrees.
 * Errors are KK_ERROR_INPUT, "record N: what is wrong".
 */
#ifndef KK_LOAD_CHECK_H
#define KK_LOAD_CHECK_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Most pages one document may have (the limit of extract is far below). */
#define KK_LOAD_MAX_PAGES 1000000

typedef struct KkLoadCheck KkLoadCheck;

/* Starts checking the document whose document object is `doc`; NULL with
 * `error` set when the document object itself breaks an invariant. */
KkLoadCheck *kk_load_check_new(JsonObject *doc, GError **error);

/* Checks the next record (any type, the end object included) before it is
 * written. */
gboolean kk_load_check_record(KkLoadCheck *check, JsonObject *record, GError **error);

/* After the last record: the end object came and every page was given. */
gboolean kk_load_check_finish(KkLoadCheck *check, GError **error);

void kk_load_check_free(KkLoadCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkLoadCheck, kk_load_check_free)

G_END_DECLS

#endif
