/*
 * table-kpi.c — KPI tables (measures) and outlook tables (series).
 *
 * A `[measures] role` rule names cells that say a role (基準値, 目標値,
 * 実績値).  Where the value is tells the shape:
 *   role in a row, value right of it      指標 | 基準値(R6) | 99.6%
 *   role in a row, fiscal-year columns    指標 | 単位 | 目標値 | R4 | R5 | R6
 *                                         (one measure per year column, the
 *                                         year from its header cell)
 *   role heading a column, values below   指標 | 基準値 | 基準年度 | 目標値
 *                                         (the year from the role cell, else
 *                                         from a 年度 column beside it)
 * The label is the row's label cell: the nearest text cell left of the
 * role that is neither a number nor a unit (a unit column's cell, 人, 千円).
 * Values take the unit of their column, row or table (table-units.c).
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

/* Hands a measure to the open item when the table is part of a card, else
 * emits it as a document-level measure. */
static gboolean give(TableCtx *ctx, gboolean in_card, JsonObject *o, const KpRule *rule, GError **error)
{
  Stream *st = ctx->p->st;
  if (in_card && st->item) {
    kp_item_add_after(st->item, o, rule);
    return TRUE;
  }
  return kp_emit(ctx->p, o, rule, error);
}

/* One measure from value cell `vc` at (r, c). */
static JsonObject *measure_from_cell(TableCtx *ctx, const KpRule *role_rule, const char *label, const KpCell *vc,
                                     int r, int c, gint64 fy)
{
  KpFamily *fam = ctx->p->st->family;
  double value = 0;
  const char *unit = NULL;
  g_autofree char *uo = NULL;
  gboolean has = kp_cell_value(ctx, vc, r, c, &value, &unit, &uo);
  g_autofree char *raw = kp_value_text(vc->t.text);
  const char *role = kp_value_role(fam, raw, role_rule->arg, NULL);
  return kp_measure_new(label, role, has, value, unit, fy, raw, ctx->page->no, vc->t.has_bbox ? vc->t.bbox : NULL);
}

/* The fiscal year of a role: named in the role cell, else the rule's
 * default (the plan's start or end), else 0. */
static gint64 role_year(TableCtx *ctx, const KpRule *role_rule, const KpCell *rc)
{
  Stream *st = ctx->p->st;
  gint64 fy = kp_text_fiscal_year(&rc->t, 0, -1);
  const char *dy = kp_rule_opt(role_rule, KP_OPT_DEFAULT_YEAR);
  if (fy == 0 && dy)
    fy = strcmp(dy, "end") == 0 ? st->fy_end : st->fy_start;
  return fy;
}

/* The first non-blank cell right of `rc` in its row, or NULL. */
static KpCell *right_of(const KpTable *t, const KpCell *rc, int r)
{
  for (int k = rc->col + rc->colspan; k < t->ncols; k++) {
    KpCell *x = kp_table_at(t, r, k);
    if (x && !kp_blank(x->t.text))
      return x;
  }
  return NULL;
}

/* TRUE if the cell holds a value (a number, an amount, a percent, a
 * quantity): "-" or "―" in a year column is no measure. */
static gboolean has_value(const KpCell *c)
{
  return kp_text_find_span(&c->t, KK_SPAN_NUMBER, 0, -1) || kp_text_find_span(&c->t, KK_SPAN_AMOUNT, 0, -1) ||
         kp_text_find_span(&c->t, KK_SPAN_PERCENT, 0, -1) || kp_text_find_span(&c->t, KK_SPAN_QUANTITY, 0, -1);
}

/* TRUE if the cell names a role (a role cell is a label, not a value). */
static gboolean is_role(KpFamily *fam, const KpCell *c)
{
  return c && kp_rule_for_text(fam, KP_SEC_MEASURES, KP_DIR_ROLE, &c->t, NULL) != NULL;
}

/* The role rule of role cell `rc` in table `t`: the first `role` rule
 * matching it, where a rule with `beside=ROLE` counts only when another
 * cell of the same row names ROLE (現状値 is the actual value beside a
 * 基準値 column, the baseline without one). */
static const KpRule *role_rule_of(KpFamily *fam, const KpTable *t, const KpCell *rc)
{
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  const char *sq = kp_text_squeezed(&rc->t);
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir != KP_DIR_ROLE || !kp_rule_match_valid(r, sq, NULL))
      continue;
    const char *beside = kp_rule_opt(r, KP_OPT_BESIDE);
    if (beside == NULL)
      return r;
    for (int c = 0; c < t->ncols; c++) {
      KpCell *o = kp_table_at(t, rc->row, c);
      if (o == NULL || o == rc || o->row != rc->row)
        continue;
      const KpRule *orule = kp_rule_for_text(fam, KP_SEC_MEASURES, KP_DIR_ROLE, &o->t, NULL);
      if (orule && g_strcmp0(orule->arg, beside) == 0)
        return r;
    }
  }
  return NULL;
}

/* TRUE if role cell `rc` heads a column (its value below it, a header or
 * nothing beside it), FALSE if it labels a row (its value beside it). */
static gboolean heads_column(KpFamily *fam, const KpTable *t, const KpCell *rc)
{
  KpCell *right = right_of(t, rc, rc->row);
  if (right && !is_role(fam, right) && has_value(right))
    return FALSE;
  for (int r = rc->row + rc->rowspan; r < t->nrows; r++) {
    KpCell *below = kp_table_at(t, r, rc->col);
    if (below == NULL || is_role(fam, below))
      return FALSE;
    if (has_value(below) || kp_cell_is_dash(below))
      return TRUE; /* values below it, or dashes: none yet */
  }
  return FALSE;
}

/* A role heading a column: each row below gives a measure. */
static gboolean role_column(TableCtx *ctx, gboolean in_card, const KpCell *rc, const KpRule *role_rule,
                            int label_before, int row_from, int row_to, GError **error)
{
  const KpTable *t = ctx->table;
  KpFamily *fam = ctx->p->st->family;
  int c = rc->col;
  /* a 年度 column beside the role column (基準値 | 基準年度) gives the year */
  int year_col = -1;
  for (int k = c + rc->colspan; k < t->ncols && year_col < 0; k++) {
    KpCell *h = kp_table_at(t, rc->row, k);
    if (h == NULL || is_role(fam, h))
      break;
    if (strstr(kp_text_squeezed(&h->t), "年度"))
      year_col = k;
  }
  for (int r = MAX(rc->row + rc->rowspan, row_from); r < MIN(t->nrows, row_to); r++) {
    KpCell *vc = kp_table_at(t, r, c);
    if (vc == NULL || vc->row != r || vc->col != c || kp_blank(vc->t.text) || kp_cell_is_dash(vc))
      continue;
    g_autofree char *label = kp_row_label(ctx, r, label_before);
    if (label == NULL)
      continue;
    gint64 fy = 0;
    KpCell *yc = year_col >= 0 ? kp_table_at(t, r, year_col) : NULL;
    if (yc)
      fy = kp_label_fiscal_year(&yc->t);
    if (fy == 0 && kp_text_fiscal_year(&rc->t, 0, -1) == 0)
      fy = kp_text_fiscal_year(&vc->t, 0, -1); /* 32,450人(令和元年度) under 基準値(基準年度) */
    if (fy == 0)
      fy = role_year(ctx, role_rule, rc);
    if (!give(ctx, in_card, measure_from_cell(ctx, role_rule, label, vc, r, c, fy), role_rule, error))
      return FALSE;
  }
  return TRUE;
}

/* The `[card] item-line where=cell` rule a cell begins an item by (its
 * named groups in vals[0..3]: item_no, title, department, category), or
 * NULL. */
static const char *const item_attrs[4] = { "item_no", "title", "department", "category" };

static const KpRule *item_cell_rule(KpFamily *fam, const KpCell *cell, char *vals[4])
{
  GPtrArray *card = fam->section[KP_SEC_CARD];
  for (guint i = 0; i < card->len; i++) {
    const KpRule *r = g_ptr_array_index(card, i);
    if (r->dir == KP_DIR_ITEM_LINE && g_strcmp0(kp_rule_opt(r, KP_OPT_WHERE), "cell") == 0 &&
        kp_rule_match_named_valid(r, kp_text_squeezed(&cell->t), item_attrs, vals, 4))
      return r;
  }
  return NULL;
}

/* A KPI table whose columns left of the role columns hold group cells
 * (基本目標 1 … spanning its KPI rows) that an item-line where=cell rule
 * matches: each group cell begins an item, and the role columns' values in
 * the rows it spans are that item's measures.  Sets *grouped when the
 * table had such cells (the measures of heading roles are then given
 * here). */
static gboolean item_groups(TableCtx *ctx, GPtrArray *roles, int first_col_role, gboolean *grouped, GError **error)
{
  const KpTable *t = ctx->table;
  KpFamily *fam = ctx->p->st->family;
  int data_row = t->nrows;
  for (guint i = 0; i < roles->len; i++) {
    KpCell *rc = g_ptr_array_index(roles, i);
    if (rc->col >= first_col_role && heads_column(fam, t, rc))
      data_row = MIN(data_row, rc->row + rc->rowspan);
  }
  for (int c = 0; c < first_col_role && !*grouped; c++) {
    for (int r = data_row; r < t->nrows; r++) {
      KpCell *g = kp_table_at(t, r, c);
      if (g == NULL || g->row != r || g->col != c || kp_blank(g->t.text))
        continue;
      char *vals[4] = { NULL, NULL, NULL, NULL };
      const KpRule *ir = item_cell_rule(fam, g, vals);
      Item *it = ir ? kp_start_item(ctx->p, ctx->page->no, ir, error) : NULL;
      for (int k = 0; k < 4; k++) {
        if (it)
          kp_item_set_attr(it, item_attrs[k], vals[k]);
        g_free(vals[k]);
      }
      if (ir == NULL)
        continue;
      if (it == NULL)
        return FALSE;
      if (g->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, g->t.bbox);
      *grouped = TRUE;
      for (guint i = 0; i < roles->len; i++) {
        KpCell *rc = g_ptr_array_index(roles, i);
        if (rc->col < first_col_role || !heads_column(fam, t, rc))
          continue;
        if (!role_column(ctx, TRUE, rc, role_rule_of(fam, t, rc), first_col_role, r, r + g->rowspan, error))
          return FALSE;
      }
    }
  }
  return TRUE;
}

/* The measures of a KPI table, in any of the shapes at the top of this
 * file; with `in_card` they belong to the open item. */
gboolean kp_table_measures(TableCtx *ctx, gboolean in_card, GError **error)
{
  KkParser *p = ctx->p;
  const KpTable *t = ctx->table;
  KpFamily *fam = p->st->family;
  /* the role cells; the leftmost column of those heading columns */
  g_autoptr(GPtrArray) roles = g_ptr_array_new();
  int first_row_role = t->nrows, first_col_role = t->ncols;
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *rc = g_ptr_array_index(t->cells, i);
    if (!is_role(fam, rc))
      continue;
    g_ptr_array_add(roles, rc);
    if (heads_column(fam, t, rc))
      first_col_role = MIN(first_col_role, rc->col);
    else
      first_row_role = MIN(first_row_role, rc->row);
  }
  /* fiscal-year columns in the header above the role rows */
  KpYearCols yc;
  gboolean years = first_row_role < t->nrows &&
                   kp_year_columns(fam, t, KP_SEC_TOP, KP_DIR_ANY, 0, first_row_role - 1, 1, &yc);
  gboolean grouped = FALSE;
  gboolean ok = first_col_role >= t->ncols || item_groups(ctx, roles, first_col_role, &grouped, error);
  for (guint i = 0; ok && i < roles->len; i++) {
    KpCell *rc = g_ptr_array_index(roles, i);
    const KpRule *role_rule = role_rule_of(fam, t, rc);
    int r = rc->row;
    KpCell *right = right_of(t, rc, r);
    if (heads_column(fam, t, rc)) {
      if (!grouped)
        ok = role_column(ctx, in_card, rc, role_rule, first_col_role, 0, t->nrows, error);
      continue;
    }
    if (right == NULL || is_role(fam, right))
      continue; /* a role's value is never another role */
    g_autofree char *label = kp_row_label(ctx, r, rc->col);
    if (label == NULL) {
      /* no label cell left of the role (実績 heading a row of a year
       * table): a measure without a label is dropped, as in a role column */
      kp_explain(p, "  (role '%s' on p%d: no label cell left of it in its row: no measure)\n",
                 kp_text_squeezed(&rc->t), ctx->page->no);
      continue;
    }
    gboolean per_year = FALSE;
    for (int k = rc->col + rc->colspan; years && k < t->ncols && ok; k++) {
      if (yc.fy[k] == 0)
        continue;
      per_year = TRUE;
      KpCell *vc = kp_table_at(t, r, k);
      if (vc == NULL || vc->row != r || vc->col != k || kp_blank(vc->t.text) || !has_value(vc))
        continue;
      ok = give(ctx, in_card, measure_from_cell(ctx, role_rule, label, vc, r, k, yc.fy[k]), role_rule, error);
    }
    if (!per_year && ok)
      ok = give(ctx, in_card, measure_from_cell(ctx, role_rule, label, right, r, right->col, role_year(ctx, role_rule, rc)),
                role_rule, error);
  }
  if (years)
    kp_year_columns_clear(&yc);
  return ok;
}

/* Sets the title of an outlook table's series: its corner cell when a
 * `[series] title from=corner` rule takes it, else (unless the table
 * continues one whose title is known) the nearest line above the table a
 * `[series] title /re/` rule matches. */
static void series_title(TableCtx *ctx, const KpCell *corner_cell)
{
  Stream *st = ctx->p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  gboolean corner = FALSE;
  for (guint i = 0; i < fam->section[KP_SEC_SERIES]->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->section[KP_SEC_SERIES], i);
    if (r->dir == KP_DIR_TITLE && g_strcmp0(kp_rule_opt(r, KP_OPT_FROM), "corner") == 0) {
      const KpCell *cc = corner_cell;
      if (cc && (r->re == NULL || kp_rule_match_valid(r, cc->t.text, NULL)) && !kp_blank(cc->t.text)) {
        g_free(st->series_title);
        st->series_title = kp_attr_text(cc->t.text);
        corner = TRUE;
        break;
      }
    }
  }
  if (!corner && (!t->continued || st->series_title == NULL)) {
    g_clear_pointer(&st->series_title, g_free);
    double best = -1;
    for (guint k = 0; k < ctx->page->lines->len; k++) {
      KpLine *l = g_ptr_array_index(ctx->page->lines, k);
      if (l->table >= 0 || !l->t.has_bbox || !t->has_bbox || l->t.bbox[1] > t->bbox[1])
        continue;
      g_autofree char *v = NULL;
      const KpRule *tr = NULL;
      /* the title rules for lines: not the one for the corner cell */
      GPtrArray *rules = fam->section[KP_SEC_SERIES];
      for (guint i = 0; i < rules->len && tr == NULL; i++) {
        const KpRule *r = g_ptr_array_index(rules, i);
        if (r->dir == KP_DIR_TITLE && r->re && kp_rule_opt(r, KP_OPT_FROM) == NULL &&
            kp_rule_match_valid(r, kp_text_squeezed(&l->t), &v))
          tr = r;
      }
      if (tr && l->t.bbox[3] > best) {
        best = l->t.bbox[3];
        g_free(st->series_title);
        /* without a capture group the whole line is the title */
        st->series_title = kp_value_text(tr->value_group > 0 ? v : l->t.text);
      }
    }
  }
}

/* Emits one series record: `row_label` x `fy` = the value of cell `vc`
 * at (r, c), in the unit of its column, row or table. */
static gboolean series_value(TableCtx *ctx, const char *row_label, gint64 fy, KpCell *vc, int r, int c,
                             const KpRule *rule, GError **error)
{
  double value = 0;
  const char *unit = NULL;
  g_autofree char *uo = NULL;
  if (!kp_cell_value(ctx, vc, r, c, &value, &unit, &uo))
    return TRUE;
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "series");
  kp_set_string_or_null(o, "table_title", ctx->p->st->series_title);
  json_object_set_string_member(o, "row_label", row_label);
  json_object_set_int_member(o, "fiscal_year", fy);
  kp_set_number(o, "value", value);
  kp_set_string_or_null(o, "unit", unit);
  json_object_set_int_member(o, "page", ctx->page->no);
  if (vc->t.has_bbox)
    kk_json_set_bbox(o, "bbox", vc->t.bbox);
  return kp_emit(ctx->p, o, rule, error);
}

/* Outlook table: a header row of fiscal years, row label x year -> value,
 * each value in the unit of its column, row or table. */
gboolean kp_table_series(TableCtx *ctx, int header_row, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  g_autofree gint64 *years = g_new0(gint64, (gsize)MAX(1, t->ncols));
  const KpRule *yr_rule = NULL;
  int first_year_col = t->ncols;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, header_row, c);
    if (cell == NULL || cell->col != c)
      continue;
    const KpRule *yr = kp_rule_for_text(fam, KP_SEC_SERIES, KP_DIR_YEAR, &cell->t, NULL);
    if (yr) {
      years[c] = kp_label_fiscal_year(&cell->t);
      if (years[c]) {
        yr_rule = yr;
        first_year_col = MIN(first_year_col, c);
      }
    }
  }
  series_title(ctx, kp_table_at(t, header_row, 0));
  /* data rows start below the tallest cell of the header row */
  int header_end = header_row;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, header_row, c);
    if (cell && cell->row == header_row)
      header_end = MAX(header_end, cell->row + cell->rowspan - 1);
  }
  for (int r = header_end + 1; r < t->nrows; r++) {
    /* a section row (歳入, 歳出): one text cell across the whole table
     * names the rows below it, as a corner cell would */
    KpCell *sc = kp_table_at(t, r, 0);
    if (sc && sc->row == r && sc->col == 0 && sc->colspan >= t->ncols && t->ncols > 1 &&
        !kp_blank(sc->t.text) && !has_value(sc)) {
      g_free(st->series_title);
      st->series_title = kp_attr_text(sc->t.text);
      continue;
    }
    /* the row label: the cells left of the first year column, joined
     * (not a unit column's) */
    GString *label = g_string_new(NULL);
    for (int c = 0; c < first_year_col && c < t->ncols; c++) {
      KpCell *lc = kp_table_at(t, r, c);
      if (lc == NULL || lc->col != c || kp_blank(lc->t.text) || lc->col == ctx->unit_col)
        continue;
      g_autofree char *sq = kp_squeeze(lc->t.text);
      if ((lc->row != r || lc->rowspan > 1) && c + lc->colspan < first_year_col)
        continue; /* a group cell spanning rows (収益 over 料金収入 …): not this row's label */
      g_string_append(label, sq);
    }
    g_autofree char *row_label = g_string_free(label, FALSE);
    if (*row_label == '\0' || kp_rule_for(fam, KP_SEC_SERIES, KP_DIR_SKIP_ROW, row_label, NULL))
      continue;
    for (int c = first_year_col; c < t->ncols; c++) {
      if (years[c] == 0)
        continue;
      KpCell *vc = kp_table_at(t, r, c);
      if (vc == NULL || vc->row != r || vc->col != c)
        continue;
      if (!series_value(ctx, row_label, years[c], vc, r, c, yr_rule, error))
        return FALSE;
    }
  }
  return TRUE;
}


/* Outlook table turned round: fiscal years down a column (年度 | 地方税 |
 * 地方交付税 … over rows 令和6年度 | 13,250 | …), each header cell the row
 * label of the values below it.  Sets *taken when the table has that
 * shape: two or more cells of one of its first two columns, below the
 * header row, that a `[series] year` rule matches. */
gboolean kp_table_series_turned(TableCtx *ctx, gboolean *taken, GError **error)
{
  const KpTable *t = ctx->table;
  KpFamily *fam = ctx->p->st->family;
  *taken = FALSE;
  for (int yc = 0; yc < MIN(2, t->ncols - 1); yc++) {
    int n = 0, first = -1;
    const KpRule *yr_rule = NULL;
    for (int r = 1; r < t->nrows; r++) {
      KpCell *cell = kp_table_at(t, r, yc);
      if (cell == NULL || cell->row != r || cell->col != yc)
        continue;
      const KpRule *yr = kp_rule_for_text(fam, KP_SEC_SERIES, KP_DIR_YEAR, &cell->t, NULL);
      if (yr && kp_label_fiscal_year(&cell->t)) {
        n++;
        yr_rule = yr;
        if (first < 0)
          first = r;
      }
    }
    if (n < 2)
      continue;
    *taken = TRUE;
    int header_row = first - 1;
    series_title(ctx, kp_table_at(t, header_row, yc));
    for (int r = first; r < t->nrows; r++) {
      KpCell *ycell = kp_table_at(t, r, yc);
      gint64 fy = ycell && ycell->row == r ? kp_label_fiscal_year(&ycell->t) : 0;
      if (fy == 0)
        continue;
      for (int c = yc + 1; c < t->ncols; c++) {
        KpCell *h = kp_table_at(t, header_row, c), *vc = kp_table_at(t, r, c);
        if (h == NULL || h->col != c || vc == NULL || vc->row != r || vc->col != c || c == ctx->unit_col)
          continue;
        g_autofree char *label = kp_squeeze(h->t.text);
        if (*label == '\0' || kp_rule_for(fam, KP_SEC_SERIES, KP_DIR_SKIP_ROW, label, NULL))
          continue;
        if (!series_value(ctx, label, fy, vc, r, c, yr_rule, error))
          return FALSE;
      }
    }
    return TRUE;
  }
  return TRUE;
}
