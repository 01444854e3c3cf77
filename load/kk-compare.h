/*
 * kk-compare.h — the questions researchers ask across municipalities,
 * answered from the public views as KkTables (printed by cmd-compare.c).
 *
 * A topic (--topic) matches an item when the topic or one of its terms in
 * the topic_terms table (DX → デジタル, ICT, オンライン …) occurs in the
 * item's title, category or department, and a measure when it occurs in
 * the measure's label or its item's title/category (ASCII case ignored).
 */
#ifndef KK_COMPARE_H
#define KK_COMPARE_H

#include <glib.h>
#include <sqlite3.h>
#include "kk-table.h"

G_BEGIN_DECLS

typedef enum {
  KK_COMPARE_OVERVIEW,     /* per municipality: documents, items, measures, … */
  KK_COMPARE_ITEMS,        /* items on a topic */
  KK_COMPARE_MEASURES,     /* targets, baselines, … with values, units, years */
  KK_COMPARE_ACHIEVEMENTS, /* achievement rate per item, one column per year */
  KK_COMPARE_SERIES,       /* fiscal-outlook rows, one column per year */
  KK_COMPARE_BUDGETS,      /* budgets of items on a topic, in yen */
  KK_COMPARE_FACTS         /* table facts of one row label across municipalities and years */
} KkCompareQuestion;

typedef struct {
  const char *topic;        /* NULL: everything */
  const char *role;         /* measures: target|baseline|actual|limit|plan, NULL: all */
  const char *row;          /* series, facts: row label substring, NULL: all */
  const char *column;       /* facts: column label substring, NULL: all */
  gint year;                /* facts: only this fiscal year, 0: all */
  const char *municipality; /* only this municipality (name or lg_code), NULL: all */
} KkCompareFilter;

/* Parses a question name (overview, items, targets|measures,
 * achievements, series|outlook, budgets, facts). */
gboolean kk_compare_question_parse(const char *name, KkCompareQuestion *question);

/* Answers `question` into `table` (which must be empty). */
gboolean kk_compare(sqlite3 *db, KkCompareQuestion question, const KkCompareFilter *filter,
                    KkTable *table, GError **error);

G_END_DECLS

#endif
