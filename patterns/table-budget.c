/*
 * table-budget.c — budget blocks: the total and the sources of funds
 * (国庫支出金, 県支出金, 地方債, その他, 一般財源) named by `[budget] column
 * NAME` rules.  Two shapes:
 *   money kinds as columns  (総額 | 国庫支出金 | … ): each row below is a
 *                           budget, for the fiscal year its first cells
 *                           name, else the document's;
 *   money kinds as rows     (事業費 / 国県支出金 / … down the first column,
 *                           R4決算 | R5予算 | R6予算 across): one budget per
 *                           year column, the year from its header cell.
 * Plain numbers are scaled by the unit of their column, row or table
 * (table-units.c); without one they are yen.
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

static const char *const kinds[] = { "total", "national", "prefectural", "bonds", "other", "general_fund" };
#define N_KINDS G_N_ELEMENTS(kinds)

/* The money value of a cell in yen; FALSE if it holds none (or a value
 * that is not money: a percent, a count). */
static gboolean money(const TableCtx *ctx, const KpCell *c, int row, int col, double *out)
{
  const char *unit = NULL;
  g_autofree char *owned = NULL;
  if (c == NULL || c->row != row || !kp_cell_value(ctx, c, row, col, out, &unit, &owned))
    return FALSE;
  if (unit && strcmp(unit, "円") != 0)
    return FALSE;
  *out = round(*out);
  return TRUE;
}

/* Hands a budget to the open item (emitted after it), or emits it alone. */
static gboolean give(TableCtx *ctx, JsonObject *o, const KpRule *rule, GError **error)
{
  Stream *st = ctx->p->st;
  if (st->item) {
    kp_item_add_after(st->item, o, rule);
    kp_explain(ctx->p, "  budget    p%-3d (after item %s)\n", ctx->page->no, st->item->key);
    return TRUE;
  }
  json_object_set_null_member(o, "item");
  return kp_emit(ctx->p, o, rule, error);
}

/* The index of a `[budget] column NAME` in the budget record's money
 * members, or -1. */
int kp_budget_kind(const char *name)
{
  for (gsize n = 0; name && n < N_KINDS; n++)
    if (strcmp(kinds[n], name) == 0)
      return (int)n;
  return -1;
}

/* The member name of budget kind `k` (kp_budget_kind). */
const char *kp_budget_member(int k)
{
  return k >= 0 && (gsize)k < N_KINDS ? kinds[k] : "total";
}

/* A new budget record for fiscal year `fy`, every money member null. */
JsonObject *kp_budget_new(gint64 fy)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "budget");
  kp_set_fy(o, fy);
  for (gsize n = 0; n < N_KINDS; n++)
    json_object_set_null_member(o, kinds[n]);
  return o;
}

/* Money kinds down a column: one budget per fiscal-year column. */
static gboolean by_year_columns(TableCtx *ctx, const int *krow, int kcol, const KpRule *any, GError **error)
{
  Stream *st = ctx->p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  int first = t->nrows;
  for (gsize n = 0; n < N_KINDS; n++)
    if (krow[n] >= 0)
      first = MIN(first, krow[n]);
  gboolean year_rules = FALSE;
  for (guint i = 0; i < fam->section[KP_SEC_BUDGET]->len && !year_rules; i++)
    year_rules = ((KpRule *)g_ptr_array_index(fam->section[KP_SEC_BUDGET], i))->dir == KP_DIR_YEAR;
  KpYearCols yc;
  if (!kp_year_columns(fam, t, year_rules ? KP_SEC_BUDGET : KP_SEC_TOP, KP_DIR_YEAR, 0, first - 1, 1, &yc)) {
    kp_explain(ctx->p, "  (budget table on p%d: money kinds down a column but no fiscal-year header above them)\n",
               ctx->page->no);
    return TRUE;
  }
  for (int c = kcol + 1; c < t->ncols; c++) {
    if (yc.fy[c] == 0 || (c > 0 && yc.fy[c - 1] == yc.fy[c] && kp_table_at(t, yc.row, c) == kp_table_at(t, yc.row, c - 1)))
      continue; /* no year, or the second column under one year cell */
    JsonObject *o = kp_budget_new(yc.fy[c]);
    gboolean has = FALSE;
    double bbox[4] = { 0 };
    gboolean hb = FALSE;
    for (gsize n = 0; n < N_KINDS; n++) {
      if (krow[n] < 0)
        continue;
      KpCell *vc = kp_table_at(t, krow[n], c);
      double v = 0;
      if (money(ctx, vc, krow[n], c, &v)) {
        kp_set_number(o, kinds[n], v);
        has = TRUE;
        if (vc->t.has_bbox)
          kp_bbox_union(bbox, &hb, vc->t.bbox);
      }
    }
    json_object_set_int_member(o, "page", ctx->page->no);
    if (hb)
      kk_json_set_bbox(o, "bbox", bbox);
    if (!has) {
      json_object_unref(o);
      continue;
    }
    if (!give(ctx, o, yc.rule[c] ? yc.rule[c] : any, error)) {
      kp_year_columns_clear(&yc);
      return FALSE;
    }
  }
  kp_year_columns_clear(&yc);
  return TRUE;
}

/* A budget block (see the top of this file): budgets of the open item, or
 * of none. */
gboolean kp_table_budget(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  int col[N_KINDS], row[N_KINDS];
  int header_end = -1;
  const KpRule *any = NULL;
  for (gsize n = 0; n < N_KINDS; n++)
    col[n] = row[n] = -1;
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *cell = g_ptr_array_index(t->cells, i);
    if (cell->colspan >= t->ncols && t->ncols > 1)
      continue; /* a caption across the table (事業費の推移(単位:千円)), no kind of money */
    const KpRule *r = kp_rule_for_text(fam, KP_SEC_BUDGET, KP_DIR_COLUMN, &cell->t, NULL);
    if (r == NULL)
      continue;
    for (gsize n = 0; n < N_KINDS; n++)
      if (strcmp(r->arg, kinds[n]) == 0 && col[n] < 0) {
        col[n] = cell->col;
        row[n] = cell->row;
        header_end = MAX(header_end, cell->row + cell->rowspan - 1);
        any = r;
      }
  }
  if (any == NULL)
    return TRUE;
  /* the shape: the kinds' cells in one column, on different rows */
  int n_found = 0, kcol = -1;
  gboolean one_col = TRUE, distinct_rows = TRUE;
  for (gsize n = 0; n < N_KINDS; n++) {
    if (col[n] < 0)
      continue;
    n_found++;
    if (kcol < 0)
      kcol = col[n];
    one_col = one_col && col[n] == kcol;
    for (gsize m = 0; m < n; m++)
      if (col[m] >= 0 && row[m] == row[n])
        distinct_rows = FALSE;
  }
  if (n_found >= 2 && one_col && distinct_rows)
    return by_year_columns(ctx, row, kcol, any, error);

  int first_money = t->ncols;
  for (gsize n = 0; n < N_KINDS; n++)
    if (col[n] >= 0)
      first_money = MIN(first_money, col[n]);
  for (int r = header_end + 1; r < t->nrows; r++) {
    /* the row's year: named in its cells left of the money, else the document's */
    gint64 fy = 0;
    for (int c = 0; c < first_money && fy == 0; c++) {
      KpCell *lc = kp_table_at(t, r, c);
      if (lc)
        fy = kp_label_fiscal_year(&lc->t);
    }
    JsonObject *o = kp_budget_new(fy ? fy : st->fy_start);
    gboolean has = FALSE;
    double bbox[4] = { 0 };
    gboolean hb = FALSE;
    for (gsize n = 0; n < N_KINDS; n++) {
      KpCell *c = col[n] >= 0 ? kp_table_at(t, r, col[n]) : NULL;
      double v = 0;
      if (money(ctx, c, r, col[n], &v)) {
        kp_set_number(o, kinds[n], v);
        has = TRUE;
      }
      if (c && c->t.has_bbox)
        kp_bbox_union(bbox, &hb, c->t.bbox);
    }
    json_object_set_int_member(o, "page", ctx->page->no);
    if (hb)
      kk_json_set_bbox(o, "bbox", bbox);
    if (!has) {
      json_object_unref(o);
      continue;
    }
    if (!give(ctx, o, any, error))
      return FALSE;
  }
  return TRUE;
}
