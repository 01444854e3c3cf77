/*
 * kk-editions.h — plans republished as editions, and their items matched
 * across editions.
 *
 * Documents of the same municipality, family and plan title (the title
 * without its edition words: 令和4年度実績反映版, 改訂版, 素案, 案, 第2版 …)
 * are editions of one plan, in publication order (the edition words' year,
 * else the document's first fiscal year; then 素案 < 案 < the plan < 改訂版;
 * then load order).  An item of an edition is the same item as one of the
 * previous edition when their item numbers agree and their titles are
 * alike, or else when their titles are the most alike pair left (a
 * renumbered item).  kk_editions_refresh() stores this in kk_editions and
 * kk_item_lineage, read through the view v_item_history.
 */
#ifndef KK_EDITIONS_H
#define KK_EDITIONS_H

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Least title similarity (0…1) for two items with the same number to be
 * one item, and for two items with different numbers (renumbered). */
#define KK_EDITIONS_SAME_NO_SIMILARITY 0.5
#define KK_EDITIONS_RENUMBERED_SIMILARITY 0.6

/* Similarity of two titles: the Dice coefficient of their character
 * bigrams (1 for equal titles, 0 when no bigram is shared; a title of one
 * character compares as itself). */
double kk_title_similarity(const char *a, const char *b);

/* The plan title of a document title: `title` without its edition words
 * and the brackets around them, trimmed.  Sets *label (when non-NULL) to
 * the edition words found (NULL when none), *year to the Gregorian year
 * they name (0 when none) and *stage to 0 素案, 1 案, 2 none, 3 改訂版.
 * `title` NULL gives NULL. */
char *kk_plan_title(const char *title, char **label, int *year, int *stage);

/* Matches the items of two editions.  `old_titles`/`old_nos` (n_old
 * strings, may be NULL each) and `new_titles`/`new_nos` (n_new).  Fills
 * `old_of_new[j]` with the index of new item j's old item, or -1 (added).
 * Title matching of the leftovers is skipped when their product exceeds
 * 4 million pairs (they count as added/removed). */
void kk_match_items(const char *const *old_nos, const char *const *old_titles, guint n_old,
                    const char *const *new_nos, const char *const *new_titles, guint n_new,
                    int *old_of_new);

/* Recomputes kk_editions and kk_item_lineage for every document of `db`
 * (called after ingest and load, and by merge), in one write transaction,
 * or inside the caller's when one is open (then the caller rolls back on
 * failure). */
gboolean kk_editions_refresh(sqlite3 *db, GError **error);

/* TRUE when kk_editions does not cover every document (a database just
 * migrated to schema version 4, or an error while reading). */
gboolean kk_editions_stale(sqlite3 *db);

G_END_DECLS

#endif
