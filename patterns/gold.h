/*
 * gold.h — comparing parsed records with a gold records file, fact by fact
 * (tests and `make accuracy`).
 *
 * Every record is broken into facts: the document's title, municipality,
 * prefecture, family and plan period; each item's title, department,
 * category, page and every field (label = value); each schedule,
 * achievement, measure, series value, budget column and meeting attribute.
 * Items are identified by their number (else their title), so facts of
 * other records naming an item match whatever key each side gave it.  Text
 * is compared without whitespace (line breaks are layout, not content).
 * Precision, recall and F1 are over the multiset of facts.
 */
#ifndef KK_GOLD_H
#define KK_GOLD_H

#include <stdio.h>
#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char family[64];
  guint tp, fp, fn;
} KpScore;

/* Facts of a records stream (JsonObject*), as strings, sorted. */
GPtrArray *kp_gold_facts(GPtrArray *records);

/* Compares `records` with `gold`; fills `score`.  When `only` is non-NULL
 * only facts of the comma-separated kinds it names count: record types
 * ("measure", "budget", "document", "item" for an item's attributes) and
 * "field" for the fields of items (a set scored on its measures, a real
 * PDF whose gold holds items and budgets but not every field).  When `report` is non-NULL lists the facts missing from /
 * extra in the records (at most 200 each). */
void kp_gold_compare(GPtrArray *records, GPtrArray *gold, const char *only, KpScore *score, FILE *report);

/* Reads the gold file (JSON Lines) and compares. */
gboolean kp_gold_compare_file(GPtrArray *records, const char *gold_path, const char *only, KpScore *score,
                              FILE *report, GError **error);

double kp_score_precision(const KpScore *s);
double kp_score_recall(const KpScore *s);
double kp_score_f1(const KpScore *s);

G_END_DECLS

#endif
