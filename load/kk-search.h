/*
 * kk-search.h — full-text search over page text, item text and table cells.
 *
 * Terms of three or more characters go through the FTS5 trigram index
 * (kk_search_fts).  The trigram tokenizer cannot answer shorter terms (and
 * SQLite 3.40's LIKE over it mishandles CJK text), so terms of one or two
 * characters are matched with instr() over the stored text: exact
 * substring search that works for any script.  Both are ANDed.
 */
#ifndef KK_SEARCH_H
#define KK_SEARCH_H

#include <glib.h>
#include <sqlite3.h>
#include "kk-table.h"

G_BEGIN_DECLS

/* Characters of context on each side of the match in a snippet. */
#define KK_SNIPPET_CONTEXT 24

/* Searches for `query` (terms separated by spaces, NFKC-normalized here,
 * all must occur) and adds up to `limit` hits to `table` with columns
 * municipality, file, page, kind, item_no, title, snippet.  Hits of a
 * query with a 3+ character term are ordered by FTS rank, others by
 * document and page.  An empty query fails with KK_ERROR_USAGE. */
gboolean kk_search(sqlite3 *db, const char *query, guint limit, KkTable *table, GError **error);

/* kk_search() in the documents of one municipality (name or lg_code;
 * NULL: all). */
gboolean kk_search_in(sqlite3 *db, const char *query, const char *municipality, guint limit,
                      KkTable *table, GError **error);

/* A one-line excerpt of `text` around the first occurrence of `term`
 * (ASCII case ignored), the match in [brackets], `context` characters each
 * side, "…" where cut.  The start of the text when `term` is absent. */
char *kk_search_snippet(const char *text, const char *term, guint context);

G_END_DECLS

#endif
