/*
 * tables.h — what the table files of the parse engine share: the context
 * of the table being read, its units and its fiscal-year columns.
 *
 *   tables.c              routes a table to the section that claims it;
 *                         --explain's grids and warnings
 *   table-units.c         units scoped to one table: caption above it, a
 *                         unit cell or units row in it, a header cell's
 *                         "(千円)", a unit column (header 単位)
 *   table-years.c         header cells that name fiscal years; the kind
 *                         and record of a schedule read under them
 *   table-card.c          label/value cards and title rows
 *   table-list.c          list tables (rows = items), their year columns
 *                         (schedules) and role columns (measures)
 *   table-kpi.c           KPI rows and columns (measures) and outlook
 *                         series
 *   table-budget.c        budget blocks, one year or one per year column
 *   table-achievements.c  achievement-rate tables
 *   table-meeting.c       meeting header tables
 * Part of the parse engine (engine.c, engine.h).
 */
#ifndef KK_TABLES_H
#define KK_TABLES_H

#include "patterns/engine.h"

G_BEGIN_DECLS

/* A unit of the values of a table, a column or a row. */
typedef struct {
  char *word;         /* squeezed unit ("千円", "人", "%"), or NULL: none known */
  double scale;       /* money scale (千円 -> 1000), 0 when not money */
} KpUnit;

/* A year header is short: a sentence naming a year is not one. */
#define KP_MAX_YEAR_HEADER_CHARS 24

/* Header cells that name fiscal years. */
typedef struct {
  int ncols;
  gint64 *fy;         /* per column: the fiscal year its header names, or 0 */
  char **head;        /* per column: its header cells' text joined, squeezed */
  const KpRule **rule;/* per column: the rule that took the year header, or NULL */
  int row;            /* the header row holding the years, -1 if none */
  int header_end;     /* last row of the header (-1 if none) */
  int n;              /* year columns found */
} KpYearCols;

typedef struct {
  KkParser *p;
  const KpPage *page;
  const KpTable *table;
  gboolean first_on_page; /* nothing but page furniture above it */
  KpUnit unit;            /* the table's unit (caption, unit cell, continuation) */
  KpUnit *col_unit;       /* per column: "効果額(千円)" header or a units row */
  int unit_col;           /* column of row units (header 単位), or -1 */
  int units_row;          /* the units row, or -1 */
} TableCtx;

/* table-units.c */
void kp_table_units(TableCtx *ctx);
void kp_table_units_clear(TableCtx *ctx);
gboolean kp_unit_parse(const char *text, KpUnit *out);
gboolean kp_cell_value(const TableCtx *ctx, const KpCell *cell, int row, int col, double *value,
                       const char **unit, char **unit_owned);
gboolean kp_is_unit_cell(const TableCtx *ctx, const KpCell *cell);
char *kp_strip_unit(const char *label);

/* The kind of a schedule (its record's `kind`, docs/SCHEMA.md): what was
 * planned or foreseen (計画, 予定, 見込, 目標) or what was done (実績, 結果). */
typedef enum {
  KP_SCHED_PLAN,
  KP_SCHED_ACTUAL,
  KP_SCHED_N
} KpScheduleKind;

/* table-years.c */
const char *kp_schedule_kind_name(KpScheduleKind kind);
KpScheduleKind kp_schedule_kind(const KpRule *rule, const char *label);
JsonObject *kp_schedule_new(gint64 fy, KpScheduleKind kind, const char *text, int page, const KpText *cell);
gboolean kp_year_columns(KpFamily *fam, const KpTable *t, KpSection section, KpDirective dir,
                         int first_row, int last_row, int min, KpYearCols *yc);
void kp_year_columns_clear(KpYearCols *yc);

/* table-budget.c */
int kp_budget_kind(const char *name);
const char *kp_budget_member(int kind);
JsonObject *kp_budget_new(gint64 fy);

/* tables.c */
const KpRule *kp_table_has(const KpTable *t, KpFamily *fam, KpSection section, KpDirective directive,
                           int *row_out);
void kp_note_unused(KkParser *p, int page, const char *text);
gboolean kp_cell_is_number(const KpCell *cell);
gboolean kp_cell_is_dash(const KpCell *cell);
char *kp_row_label(const TableCtx *ctx, int row, int before_col);

/* one file per kind of table */
gboolean kp_table_card(TableCtx *ctx, GError **error);
gboolean kp_table_item_row(TableCtx *ctx, gboolean *taken, GError **error);
gboolean kp_table_list(TableCtx *ctx, int header_row, GError **error);
gboolean kp_table_measures(TableCtx *ctx, gboolean in_card, GError **error);
gboolean kp_table_series(TableCtx *ctx, int header_row, GError **error);
gboolean kp_table_series_turned(TableCtx *ctx, gboolean *taken, GError **error);
gboolean kp_table_budget(TableCtx *ctx, GError **error);
gboolean kp_table_achievements(TableCtx *ctx, int header_row, GError **error);
gboolean kp_table_meeting(TableCtx *ctx, GError **error);

G_END_DECLS

#endif
