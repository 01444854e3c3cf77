/*
 * table-list.c — list tables: one item per row under a header row named by
 * `[list] header`; every column a field labelled by its header; columns of
 * `[list] column as=…` give the item's number, title, department or
 * category.  Fiscal-year columns give more:
 *   a `[list] schedule` header cell naming a fiscal year (R6, 令和7年度)
 *   makes its column a schedule: each row's cell is the item's plan (or,
 *   with the actual= word in the header, its result) for that year; a row
 *   whose cell in another column is a kind (計画 / 実績 under 区分, matched
 *   by a schedule rule, no year in it) gives schedules of that kind, a
 *   dash there none;
 *   a `[measures] role` header cell (効果額(千円), 目標値) makes its columns
 *   measures of the row's item, one per year column under it (the year from
 *   the header), in the column's unit.
 * Lists are joined over page breaks (a continued table without a header
 * keeps the columns of the last header).
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"
#include "normalize/normalize.h"

#include <math.h>
#include <string.h>

/* The header cells covering column `c` in rows first..last, top down. */
static int column_heads(const KpTable *t, int c, int first, int last, KpCell **out, int max)
{
  int n = 0;
  KpCell *prev = NULL;
  for (int r = MAX(0, first); r <= last && r < t->nrows && n < max; r++) {
    KpCell *cell = kp_table_at(t, r, c);
    if (cell && cell != prev && !kp_blank(cell->t.text))
      out[n++] = cell;
    prev = cell;
  }
  return n;
}

/* A role header's measure label: without its unit and without a fiscal
 * year in parentheses at its end, which gives the year, not the label
 * ("目標値(R9)", "目標値(令和9年度)" -> "目標値"). */
static char *role_header_label(const char *header)
{
  char *label = kp_strip_unit(header);
  gsize len = strlen(label);
  char *open = g_strrstr(label, "(");
  gint year = 0;
  if (len > 2 && label[len - 1] == ')' && open && open != label &&
      kk_parse_fiscal_year(open + 1, (gssize)(label + len - 1 - (open + 1)), &year))
    *open = '\0';
  return label;
}

/* Reads the header rows header_row..hend into the list state: labels,
 * column rules, key column, schedule and measure columns, units. */
static void list_columns(TableCtx *ctx, int header_row, int hend)
{
  Stream *st = ctx->p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  ListState *ls = &st->list;
  kp_list_clear(ls);
  gsize n = (gsize)MAX(1, t->ncols);
  ls->active = TRUE;
  ls->ncols = t->ncols;
  ls->label = g_new0(char *, n);
  ls->head = g_new0(char *, n);
  ls->rule = g_new0(const KpRule *, n);
  ls->sched_rule = g_new0(const KpRule *, n);
  ls->sched_fy = g_new0(gint64, n);
  ls->sched_actual = g_new0(gboolean, n);
  ls->role_rule = g_new0(const KpRule *, n);
  ls->role_fy = g_new0(gint64, n);
  ls->role_label = g_new0(char *, n);
  ls->role_label_col = g_new0(int, n);
  ls->unit_scale = g_new0(double, n);
  ls->unit_word = g_new0(char *, n);
  ls->budget_kind = g_new0(int, n);
  ls->budget_fy = g_new0(gint64, n);
  ls->budget_rule = g_new0(const KpRule *, n);
  ls->key_col = -1;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, hend, c);
    KpCell *heads[8];
    int nh = column_heads(t, c, header_row, hend, heads, 8);
    if (ctx->col_unit[c].word) {
      ls->unit_word[c] = g_strdup(ctx->col_unit[c].word);
      ls->unit_scale[c] = ctx->col_unit[c].scale;
    }
    /* a schedule column: a header cell naming a fiscal year; a measure
     * column: a role header over it (the year from any of its headers) */
    gint64 fy = 0;
    GString *path = g_string_new(NULL);
    for (int k = 0; k < nh; k++) {
      g_string_append(path, kp_text_squeezed(&heads[k]->t));
      gint64 y = kp_label_fiscal_year(&heads[k]->t);
      if (y && fy == 0 && g_utf8_strlen(kp_text_squeezed(&heads[k]->t), -1) <= KP_MAX_YEAR_HEADER_CHARS)
        fy = y;
      const KpRule *role = kp_rule_for_text(fam, KP_SEC_MEASURES, KP_DIR_ROLE, &heads[k]->t, NULL);
      if (role && ls->role_rule[c] == NULL) {
        ls->role_rule[c] = role;
        ls->role_label[c] = role_header_label(heads[k]->t.text);
      }
      /* the lowest heading naming a kind of money: 国庫支出金 under a
       * group heading 特定財源 that spans it and its neighbours */
      const KpRule *money = kp_rule_for_text(fam, KP_SEC_BUDGET, KP_DIR_COLUMN, &heads[k]->t, NULL);
      if (money)
        ls->budget_rule[c] = money;
      const KpRule *sched = kp_rule_for_text(fam, KP_SEC_LIST, KP_DIR_SCHEDULE, &heads[k]->t, NULL);
      if (sched && ls->sched_rule[c] == NULL && kp_label_fiscal_year(&heads[k]->t))
        ls->sched_rule[c] = sched;
    }
    g_autofree char *joined = g_string_free(path, FALSE);
    ls->budget_kind[c] = ls->budget_rule[c] ? kp_budget_kind(ls->budget_rule[c]->arg) : -1;
    if (ls->budget_kind[c] >= 0) {
      /* a money column: its year, else that of the money column left of it
       * that has one (国 | 県 under 財源内訳 beside R4年度予算額) */
      ls->budget_fy[c] = fy;
      for (int k = c - 1; k >= 0 && ls->budget_fy[c] == 0; k--)
        if (ls->budget_kind[k] >= 0 && ls->budget_fy[k]) {
          ls->budget_fy[c] = ls->budget_fy[k];
          if (ls->unit_word[c] == NULL && ls->unit_word[k]) {
            /* and its unit, when it has none of its own */
            ls->unit_word[c] = g_strdup(ls->unit_word[k]);
            ls->unit_scale[c] = ls->unit_scale[k];
          }
        }
      if (ls->budget_fy[c] == 0)
        ls->budget_fy[c] = st->fy_start;
      ls->sched_rule[c] = NULL;
    } else if (ls->role_rule[c]) {
      ls->role_fy[c] = fy;
      ls->sched_rule[c] = NULL; /* an amount per year is a measure, not a plan */
    } else if (ls->sched_rule[c]) {
      ls->sched_fy[c] = fy;
      ls->sched_actual[c] = kp_schedule_kind(ls->sched_rule[c], joined) == KP_SCHED_ACTUAL;
    }
    if (cell == NULL || cell->row > hend || kp_blank(cell->t.text))
      continue;
    if (c > 0 && kp_table_at(t, hend, c - 1) == cell)
      continue; /* one header spanning columns labels the first */
    ls->head[c] = kp_label_text(cell->t.text);
    ls->label[c] = g_strdup(ls->head[c]);
    ls->rule[c] = kp_rule_for_text(fam, KP_SEC_LIST, KP_DIR_COLUMN, &cell->t, NULL);
    if (ls->rule[c] && g_strcmp0(kp_rule_opt(ls->rule[c], KP_OPT_AS), "item_no") == 0 && ls->key_col < 0)
      ls->key_col = c;
  }
  /* a role rule's label=HEADER: the column under that header labels each
   * row's measure (目標指標 | 目標値) */
  for (int c = 0; c < t->ncols; c++) {
    const char *want = ls->role_rule[c] ? kp_rule_opt(ls->role_rule[c], KP_OPT_LABEL) : NULL;
    ls->role_label_col[c] = -1;
    for (int d = 0; want && d < t->ncols && ls->role_label_col[c] < 0; d++)
      if (d != c && ls->head[d] && strcmp(ls->head[d], want) == 0)
        ls->role_label_col[c] = d;
    if (want && ls->role_label_col[c] < 0)
      kp_diagnose(ctx->p, "page %d table %d: role %s label=%s: no column has that header; measures labelled by the role header",
                  ctx->page->no, t->index, ls->role_rule[c]->arg, want);
  }
  /* two columns with one label (R6 under 取組内容 and R6 under 効果額): each
   * field is named by its header path, so they stay apart */
  for (int c = 0; c < t->ncols; c++)
    for (int d = c + 1; ls->label[c] && d < t->ncols; d++) {
      if (ls->label[d] == NULL || strcmp(ls->label[c], ls->head[d]) != 0)
        continue;
      int cols[2] = { c, d };
      for (int k = 0; k < 2; k++) {
        KpCell *heads[8];
        int nh = column_heads(t, cols[k], header_row, hend, heads, 8);
        GString *path = g_string_new(NULL);
        for (int h = 0; h < nh; h++)
          g_string_append(path, kp_text_squeezed(&heads[h]->t));
        g_free(ls->label[cols[k]]);
        ls->label[cols[k]] = g_string_free(path, FALSE);
      }
    }
}

/* The budgets of one list row: one per fiscal year of its money columns. */
static void list_row_budgets(TableCtx *ctx, Item *it, int r)
{
  ListState *ls = &ctx->p->st->list;
  const KpTable *t = ctx->table;
  for (int c = 0; c < t->ncols && c < ls->ncols; c++) {
    gboolean first = ls->budget_kind[c] >= 0;
    for (int k = 0; k < c && first; k++)
      first = !(ls->budget_kind[k] >= 0 && ls->budget_fy[k] == ls->budget_fy[c]);
    if (!first)
      continue; /* not money, or not the first column of its year */
    JsonObject *o = kp_budget_new(ls->budget_fy[c]);
    gboolean has = FALSE;
    double bbox[4] = { 0 };
    gboolean hb = FALSE;
    for (int k = c; k < t->ncols && k < ls->ncols; k++) {
      if (ls->budget_kind[k] < 0 || ls->budget_fy[k] != ls->budget_fy[c])
        continue;
      KpCell *cell = kp_table_at(t, r, k);
      double value = 0;
      const char *unit = NULL;
      g_autofree char *uo = NULL;
      if (cell == NULL || cell->row != r || !kp_measure_value(&cell->t, 0, -1, ls->unit_scale[k] > 0 ? ls->unit_scale[k] : ctx->unit.scale, &value, &unit, &uo) ||
          (unit && strcmp(unit, "円") != 0))
        continue;
      kp_set_number(o, kp_budget_member(ls->budget_kind[k]), round(value));
      has = TRUE;
      if (cell->t.has_bbox)
        kp_bbox_union(bbox, &hb, cell->t.bbox);
    }
    json_object_set_int_member(o, "page", ctx->page->no);
    if (hb)
      kk_json_set_bbox(o, "bbox", bbox);
    if (has)
      kp_item_add_after(it, o, ls->budget_rule[c]);
    else
      json_object_unref(o);
  }
}

/* The kind a list row gives its schedule columns: a cell of the row
 * outside them (a 区分 column: 計画 / 実績 rows of one item) that a `[list]
 * schedule` rule matches and that names no fiscal year.  Sets *rule to
 * that rule, or NULL (then each column's header says the kind). */
static KpScheduleKind row_schedule_kind(TableCtx *ctx, int r, const KpRule **rule)
{
  const KpTable *t = ctx->table;
  KpFamily *fam = ctx->p->st->family;
  ListState *ls = &ctx->p->st->list;
  *rule = NULL;
  for (int c = 0; c < t->ncols && c < ls->ncols; c++) {
    KpCell *cell = kp_table_at(t, r, c);
    if (ls->sched_rule[c] || cell == NULL || cell->row != r || cell->col != c || kp_blank(cell->t.text) ||
        kp_label_fiscal_year(&cell->t) != 0)
      continue;
    const KpRule *kr = kp_rule_for_text(fam, KP_SEC_LIST, KP_DIR_SCHEDULE, &cell->t, NULL);
    if (kr) {
      *rule = kr;
      return kp_schedule_kind(kr, kp_text_squeezed(&cell->t));
    }
  }
  return KP_SCHED_PLAN;
}

/* The schedules, measures and budgets of one list row (row `r`, item
 * `it`); a row joined to the item above adds to the schedule texts it
 * continues. */
static gboolean list_row_records(TableCtx *ctx, Item *it, int r, gboolean join, GError **error)
{
  Stream *st = ctx->p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  ListState *ls = &st->list;
  if (!join)
    list_row_budgets(ctx, it, r);
  const KpRule *kind_rule = NULL;
  KpScheduleKind row_kind = row_schedule_kind(ctx, r, &kind_rule);
  for (int c = 0; c < t->ncols && c < ls->ncols; c++) {
    KpCell *cell = kp_table_at(t, r, c);
    if (cell == NULL || cell->row != r || cell->col != c || kp_blank(cell->t.text))
      continue;
    if (ls->sched_rule[c] && ls->sched_fy[c]) {
      /* the row's kind when it says one (kind=, 実績), else the column's */
      KpScheduleKind kind = ls->sched_actual[c] ? KP_SCHED_ACTUAL : KP_SCHED_PLAN;
      if (kind_rule && (row_kind == KP_SCHED_ACTUAL || kp_rule_opt(kind_rule, KP_OPT_KIND)))
        kind = row_kind;
      if (kind_rule && kp_cell_is_dash(cell))
        continue; /* a kind row's dash: nothing that year */
      g_autofree char *txt = kp_value_text(cell->t.text);
      JsonObject *prev = NULL;
      for (guint k = 0; join && k < it->after->len && prev == NULL; k++) {
        JsonObject *o = g_ptr_array_index(it->after, k);
        if (o && g_strcmp0(kk_json_string(o, "type", ""), "schedule") == 0 &&
            kk_json_int(o, "fiscal_year", 0) == ls->sched_fy[c] &&
            g_strcmp0(kk_json_string(o, "kind", ""), kp_schedule_kind_name(kind)) == 0)
          prev = o;
      }
      if (prev) {
        g_autofree char *more = g_strconcat(kk_json_string(prev, "text", ""), "\n", txt, NULL);
        json_object_set_string_member(prev, "text", more);
        continue;
      }
      if (kind_rule && kind_rule != ls->sched_rule[c])
        ((KpRule *)kind_rule)->made++; /* the kind row's rule took part */
      kp_item_add_after(it, kp_schedule_new(ls->sched_fy[c], kind, cell->t.text, ctx->page->no, &cell->t),
                        ls->sched_rule[c]);
    } else if (ls->role_rule[c]) {
      double value = 0;
      const char *unit = NULL;
      g_autofree char *uo = NULL;
      gboolean has = kp_cell_measure_value(&cell->t, ls->unit_scale[c], &value, &unit, &uo);
      if (!has)
        continue; /* "-": nothing planned that year */
      if (unit == NULL && ls->unit_word[c] && ls->unit_scale[c] == 0)
        unit = ls->unit_word[c];
      else if (unit == NULL && ls->unit_scale[c] == 0 && ctx->unit.word) {
        /* the table's own unit (a caption above it) */
        if (ctx->unit.scale > 0) {
          value *= ctx->unit.scale;
          unit = "円";
        } else {
          unit = ctx->unit.word;
        }
      }
      gint64 fy = ls->role_fy[c];
      const char *dy = kp_rule_opt(ls->role_rule[c], KP_OPT_DEFAULT_YEAR);
      if (fy == 0 && dy)
        fy = strcmp(dy, "end") == 0 ? st->fy_end : st->fy_start;
      g_autofree char *raw = kp_value_text(cell->t.text);
      const char *role = kp_value_role(fam, raw, ls->role_rule[c]->arg, NULL);
      g_autofree char *row_label = NULL;
      if (ls->role_label_col[c] >= 0) {
        KpCell *lc = kp_table_at(t, r, ls->role_label_col[c]);
        if (lc && !kp_blank(lc->t.text))
          row_label = kp_label_text(lc->t.text);
      }
      JsonObject *o = kp_measure_new(row_label ? row_label : ls->role_label[c], role, TRUE, value, unit, fy, raw, ctx->page->no,
                                     cell->t.has_bbox ? cell->t.bbox : NULL);
      kp_item_add_after(it, o, ls->role_rule[c]);
    }
  }
  return TRUE;
}

/* List table rows -> items (one per row, rows split by a page break
 * joined, repeated header rows skipped); schedules and measures from the
 * columns set up by list_columns(). */
gboolean kp_table_list(TableCtx *ctx, int header_row, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  ListState *ls = &st->list;
  int data_from = 0;

  if (header_row >= 0) {
    /* header rows: from the matched row to the end of its tallest cell */
    int hend = header_row;
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, header_row, c);
      if (cell)
        hend = MAX(hend, cell->row + cell->rowspan - 1);
    }
    hend = MAX(hend, t->header_rows - 1);
    list_columns(ctx, header_row, hend);
    data_from = hend + 1;
  } else if (!ls->active || ls->ncols != t->ncols) {
    return TRUE;
  }

  gboolean first_data = TRUE;
  for (int r = data_from; r < t->nrows; r++) {
    /* a row of one cell across the list (1 財政の改革) is no item: a
     * heading inside the table, the category of the rows below it when a
     * [category] rule matches it */
    KpCell *whole = kp_table_at(t, r, 0);
    if (whole && whole->row == r && whole->col == 0 && whole->colspan >= t->ncols && t->ncols > 1) {
      GPtrArray *cats = fam->section[KP_SEC_CATEGORY];
      for (guint i = 0; i < cats->len; i++) {
        const KpRule *cr = g_ptr_array_index(cats, i);
        g_autofree char *v = NULL;
        if (g_strcmp0(kp_rule_opt(cr, KP_OPT_WHERE), "line") == 0)
          continue;
        if (kp_rule_match_valid(cr, kp_text_squeezed(&whole->t), &v)) {
          kp_set_heading(p, ctx->page->no, cr, v);
          break;
        }
      }
      continue;
    }
    /* the row's cells, per column, spanned cells filled down */
    gboolean blank = TRUE, repeated_header = TRUE, skip = FALSE;
    int n_labels = 0;
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || kp_blank(cell->t.text))
        continue;
      blank = FALSE;
      g_autofree char *sq = kp_squeeze(cell->t.text);
      if (ls->head[c] == NULL || strcmp(sq, ls->head[c]) != 0)
        repeated_header = FALSE;
      else
        n_labels++;
      if (kp_rule_for_text(fam, KP_SEC_LIST, KP_DIR_SKIP_ROW, &cell->t, NULL))
        skip = TRUE;
    }
    if (blank || skip || (repeated_header && n_labels > 0))
      continue;
    KpCell *key = ls->key_col >= 0 ? kp_table_at(t, r, ls->key_col) : NULL;
    gboolean key_blank = key == NULL || kp_blank(key->t.text) || (key->row != r && !first_data);
    gboolean join = st->item && st->item->from_list && ls->key_col >= 0 &&
                    (key_blank || (first_data && t->continued && key && key->row < r));
    if (first_data && t->continued && key && key->row == r && st->item && st->item->from_list &&
        st->item->item_no && key_blank == FALSE) {
      /* a new item at the top of a continued table */
      join = FALSE;
    }
    if (!join && ls->key_col >= 0 && key_blank)
      continue; /* no number, nothing to join to */
    Item *it = st->item;
    if (!join) {
      it = kp_start_item(p, ctx->page->no, ls->rule[ls->key_col >= 0 ? ls->key_col : 0], error);
      if (it == NULL)
        return FALSE;
      it->from_list = TRUE;
      g_ptr_array_set_size(it->col_field, ls->ncols);
    }
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || (c > 0 && kp_table_at(t, r, c - 1) == cell))
        continue;
      if (join && cell->row < r)
        continue; /* a spanned cell already taken */
      const KpRule *cr = ls->rule[c];
      const char *as = cr ? kp_rule_opt(cr, KP_OPT_AS) : NULL;
      if (!join && cell->t.has_bbox && cell->row == r)
        kp_bbox_union(it->bbox, &it->has_bbox, cell->t.bbox);
      if (as && strcmp(as, "skip") == 0)
        continue;
      if (join && kp_blank(cell->t.text))
        continue;
      if (join && as && g_strcmp0(as, "category") == 0 && it->category) {
        /* a category cell split by the page break: the rest of its text */
        g_autofree char *more = kp_attr_text(cell->t.text);
        char *joined = g_strconcat(it->category, more, NULL);
        g_free(it->category);
        it->category = joined;
      } else {
        kp_item_set_attr(it, as, cell->t.text);
      }
      if (cr && g_strcmp0(kp_rule_opt(cr, KP_OPT_FIELD), "no") == 0)
        continue;
      if (ls->label[c] == NULL)
        continue;
      /* the row's field of this column, found by its label: the two halves
       * of a split row may lie in tables of different column grids */
      Field *f = NULL;
      for (guint k = 0; join && k < it->fields->len && f == NULL; k++) {
        Field *x = g_ptr_array_index(it->fields, k);
        if (strcmp(x->label, ls->label[c]) == 0)
          f = x;
      }
      if (f == NULL) {
        f = kp_field_new(ls->label[c], &cell->t, ctx->page->no, cr);
        kp_item_add_field(it, f);
      } else {
        kp_field_append(f, &cell->t);
      }
    }
    if (!list_row_records(ctx, it, r, join, error))
      return FALSE;
    first_data = FALSE;
  }
  return TRUE;
}

