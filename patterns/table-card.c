/*
 * table-card.c — cards: label cells whose value is the cell beside (or
 * below) them, schedule rows (R3実績, R5計画) and grids (years across a
 * header row, 計画 / 実績 rows down), rows split by a page break, and title
 * rows that start an item (`item-row`).
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* The fiscal year a header cell `x` at (r, c) names, or 0: its top-left
 * cell, short. */
static gint64 year_head(const KpCell *x, int r, int c)
{
  if (x == NULL || x->row != r || x->col != c)
    return 0;
  const char *sq = kp_text_squeezed(&x->t);
  if (*sq == '\0' || g_utf8_strlen(sq, -1) > KP_MAX_YEAR_HEADER_CHARS)
    return 0;
  return kp_label_fiscal_year(&x->t);
}

/* The rule that makes `x` a kind row label of a schedule grid: a `[card]
 * schedule` rule (and no `label` rule) matches it and it names no fiscal
 * year (計画, 実績, 予定); NULL when `x` is none. */
static const KpRule *kind_label_rule(KpFamily *fam, const KpCell *x)
{
  if (x == NULL || kp_blank(x->t.text) || kp_label_fiscal_year(&x->t) != 0 ||
      kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_LABEL, &x->t, NULL))
    return NULL;
  return kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SCHEDULE, &x->t, NULL);
}

/* Finds the schedule grids of a card table (years across a header row,
 * kinds down: 年度 | 令和6年度 | 令和7年度 over 計画 / 実績 rows).  A kind
 * row label cell's header row is the nearest row above it with a cell
 * naming a fiscal year right of its column, the rows between being kind
 * rows too (計画 over 実績) or blank there; a kind label under no such row
 * is no grid's.  Each kind row label cell goes into `kind_rows` (cell ->
 * header row + 1); the header's year cells and corner and the kind rows'
 * cells under year columns go into `grid` (read with their row, no other
 * rule's).  One pass down each column: linear in the table's cells. */
static void find_grids(KpFamily *fam, const KpTable *t, GHashTable *kind_rows, GHashTable *grid)
{
  /* per row, the last column holding a year header (-1: none) */
  g_autofree int *last_year = g_new(int, (gsize)MAX(1, t->nrows));
  for (int r = 0; r < t->nrows; r++) {
    last_year[r] = -1;
    for (int k = 0; k < t->ncols; k++)
      if (year_head(kp_table_at(t, r, k), r, k))
        last_year[r] = k;
  }
  for (int c = 0; c + 1 < t->ncols; c++) {
    int hr = -1; /* the header row a kind label at this column would take */
    for (int r = 0; r < t->nrows; r++) {
      KpCell *x = kp_table_at(t, r, c);
      gboolean top_left = x && x->row == r && x->col == c;
      gboolean kind = top_left && kind_label_rule(fam, x) != NULL;
      if (kind && hr >= 0) {
        g_hash_table_insert(kind_rows, x, GINT_TO_POINTER(hr + 1));
        KpCell *corner = kp_table_at(t, hr, c);
        if (corner && corner != x && !kind_label_rule(fam, corner) &&
            !kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_START, &corner->t, NULL) &&
            !kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_LABEL, &corner->t, NULL))
          g_hash_table_add(grid, corner); /* 年度, not a card's start or label */
        for (int k = c + x->colspan; k < t->ncols; k++) {
          KpCell *h = kp_table_at(t, hr, k);
          if (!year_head(h, hr, k))
            continue;
          g_hash_table_add(grid, h);
          for (int kk = k; kk < k + h->colspan && kk < t->ncols; kk++) {
            KpCell *v = kp_table_at(t, r, kk);
            if (v && v != x)
              g_hash_table_add(grid, v);
          }
        }
      }
      if (last_year[r] > c)
        hr = r; /* years right of this column: the header of the rows below */
      else if (x && !kp_blank(x->t.text) && !kind)
        hr = -1; /* another row (a label, a value): the grid above has ended */
    }
  }
}

/* The schedules of one kind row of a grid (kind label `kc`, year header
 * row `hr`): one per year column whose cell in the row holds text, the
 * year from the column's header cell, the kind from the row (its rule's
 * kind=, else actual when its label holds the actual= word), else from
 * the column's header (令和5年度(実績)); a blank or a dash (―, -, ー) is
 * no record.  Stops at the item's bound on records. */
static void grid_row(TableCtx *ctx, Item *it, const KpCell *kc, int hr)
{
  const KpTable *t = ctx->table;
  KpFamily *fam = ctx->p->st->family;
  const KpRule *rule = kind_label_rule(fam, kc);
  g_autofree char *label = kp_label_text(kc->t.text);
  KpScheduleKind kind = kp_schedule_kind(rule, label);
  if (kc->t.has_bbox)
    kp_bbox_union(it->bbox, &it->has_bbox, kc->t.bbox);
  for (int k = kc->col + kc->colspan; k < t->ncols && it->after->len < KP_MAX_ITEM_RECORDS; k++) {
    KpCell *h = kp_table_at(t, hr, k);
    gint64 fy = year_head(h, hr, k);
    if (fy == 0)
      continue;
    KpCell *v = kp_table_at(t, kc->row, k);
    if (v == NULL || v->row != kc->row || v->col != k || kp_blank(v->t.text) || kp_cell_is_dash(v))
      continue;
    /* a head rule (schedule /^令和\d+年度$/) took part: not "made nothing" */
    const KpRule *head_rule = kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SCHEDULE, &h->t, NULL);
    if (head_rule && head_rule != rule)
      ((KpRule *)head_rule)->made++;
    /* a row without kind= or the actual word takes its column's (令和5年度(実績)) */
    KpScheduleKind cell_kind = kind;
    if (cell_kind == KP_SCHED_PLAN && kp_rule_opt(rule, KP_OPT_KIND) == NULL)
      cell_kind = kp_schedule_kind(head_rule ? head_rule : rule, kp_text_squeezed(&h->t));
    if (v->t.has_bbox)
      kp_bbox_union(it->bbox, &it->has_bbox, v->t.bbox);
    kp_item_add_after(it, kp_schedule_new(fy, cell_kind, v->t.text, ctx->page->no, &v->t), rule);
  }
}

/* Card table: label cells and the cells right of them (below them, with
 * below=yes, unless the cell below is another label); schedule labels
 * (R3実績 rows, 年度 | R5(実績) heads) and schedule grids (years across,
 * kinds down). */
gboolean kp_table_card(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  GHashTable *is_value = g_hash_table_new(NULL, NULL);
  g_autoptr(GHashTable) kind_rows = g_hash_table_new(NULL, NULL);
  g_autoptr(GHashTable) grid = g_hash_table_new(NULL, NULL);
  /* cells right of a labelled cell no rule used: its value, not a label */
  g_autoptr(GHashTable) unused_value = g_hash_table_new(NULL, NULL);
  find_grids(fam, t, kind_rows, grid);

  /* a card whose start cell is not its first label (所管部署 | 広報課 |
   * 取組番号 | A-01): the item starts with the table, so the labels before
   * the start cell are the new item's, not the previous one's */
  KpCell *early_start = NULL;
  for (guint i = 0; i < t->cells->len && early_start == NULL; i++) {
    KpCell *x = g_ptr_array_index(t->cells, i);
    if (kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_START, &x->t, NULL))
      early_start = x;
  }
  if (early_start) {
    gboolean label_before = FALSE;
    for (guint i = 0; i < t->cells->len; i++) {
      KpCell *x = g_ptr_array_index(t->cells, i);
      if (x->row > early_start->row || (x->row == early_start->row && x->col >= early_start->col))
        continue;
      if (kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_LABEL, &x->t, NULL))
        label_before = TRUE;
    }
    if (label_before) {
      const KpRule *start = kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_START, &early_start->t, NULL);
      if (!kp_start_item(p, ctx->page->no, start, error)) {
        g_hash_table_destroy(is_value);
        return FALSE;
      }
    } else {
      early_start = NULL;
    }
  }

  for (int r = 0; r < t->nrows; r++) {
    /* a row split by the page break: its label cell is empty */
    if (r == 0 && (t->continued || ctx->first_on_page) && st->last_field && st->item) {
      KpCell *first = kp_table_at(t, 0, 0);
      if (first == NULL || kp_blank(first->t.text)) {
        for (int c = 0; c < t->ncols; c++) {
          KpCell *x = kp_table_at(t, 0, c);
          if (x && x->col == c && x->row == 0 && !kp_blank(x->t.text)) {
            kp_field_append(st->last_field, &x->t);
            st->item->produced++; /* the table gave the rest of a field */
            g_hash_table_add(is_value, x);
            if (st->last_field->schedule) {
              g_autofree char *txt = kp_value_text(st->last_field->value->str);
              json_object_set_string_member(st->last_field->schedule, "text", txt);
            }
          }
        }
        continue;
      }
    }
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || cell->row != r || cell->col != c || g_hash_table_contains(is_value, cell))
        continue;
      if (kp_blank(cell->t.text) || g_hash_table_contains(grid, cell))
        continue;
      const KpRule *start = kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_START, &cell->t, NULL);
      if (start && cell != early_start) {
        if (!kp_start_item(p, ctx->page->no, start, error)) {
          g_hash_table_destroy(is_value);
          return FALSE;
        }
      }
      char *lab_value = NULL;
      const KpRule *lab = kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_LABEL, &cell->t, &lab_value);
      const KpRule *sched = lab ? NULL : kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SCHEDULE, &cell->t, NULL);
      g_free(lab_value);
      if ((lab || sched) && st->item == NULL) {
        kp_explain(p, "  (label '%s' on p%d outside any item: ignored)\n", cell->t.text, ctx->page->no);
        continue;
      }
      const KpRule *rule = lab ? lab : sched;
      if (rule == NULL) {
        /* looks like a label (short, a value beside it, not itself the
         * value of such a cell, a number or a dash) but no rule took it */
        KpCell *right = kp_table_at(t, r, c + cell->colspan);
        if (st->item && right && right != cell && !kp_blank(right->t.text) &&
            g_utf8_strlen(cell->t.text, -1) <= 24 && !strstr(cell->t.text, "。") &&
            !g_hash_table_contains(unused_value, cell) && !kp_cell_is_number(cell) && !kp_cell_is_dash(cell)) {
          kp_note_unused(p, ctx->page->no, cell->t.text);
          g_hash_table_add(unused_value, right);
        }
        continue;
      }
      Item *it = st->item;
      gpointer hr = g_hash_table_lookup(kind_rows, cell);
      if (hr) {
        grid_row(ctx, it, cell, GPOINTER_TO_INT(hr) - 1);
        continue;
      }
      if (cell->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, cell->t.bbox);
      /* below=yes: the value is the cell below the label (a label over a
       * wide value cell), unless that cell is another label: then labels
       * run down a column and the value is beside it */
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      KpCell *under = kp_table_at(t, r + cell->rowspan, c);
      if (g_strcmp0(kp_rule_opt(rule, KP_OPT_BELOW), "yes") == 0 && under && under != cell &&
          !kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_LABEL, &under->t, NULL))
        v = under;
      /* schedule labels across a row (年度 | R5(実績) | R6(計画) …): each
       * heads its column, its text below it */
      else if (sched && v && v != cell && kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SCHEDULE, &v->t, NULL))
        v = kp_table_at(t, r + cell->rowspan, c);
      else if (sched && (v == NULL || v == cell) && c > 0 && kp_table_at(t, r, c - 1) &&
               kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SCHEDULE, &kp_table_at(t, r, c - 1)->t, NULL))
        v = kp_table_at(t, r + cell->rowspan, c); /* the last of such a row */
      if (v == cell)
        v = NULL;
      if (v && g_hash_table_contains(is_value, v))
        continue; /* a cell is the value of one label only (a schedule column's, not its row head's) */
      if (v)
        g_hash_table_add(is_value, v);
      KpText empty = { .text = (char *)"", .spans = NULL };
      const KpText *vt = v ? &v->t : &empty;
      if (v && v->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, v->t.bbox);
      g_autofree char *label = kp_label_text(cell->t.text);
      const char *as = kp_rule_opt(rule, KP_OPT_AS);
      gboolean want_field = g_strcmp0(kp_rule_opt(rule, KP_OPT_FIELD), "no") != 0 &&
                            g_strcmp0(as, "skip") != 0;
      JsonObject *schedule = NULL;
      if (sched) {
        want_field = g_strcmp0(kp_rule_opt(rule, KP_OPT_FIELD), "yes") == 0;
        gint64 fy = kp_label_fiscal_year(&cell->t);
        if (fy > 0) {
          schedule = kp_schedule_new(fy, kp_schedule_kind(rule, label), vt->text, ctx->page->no, v ? &v->t : NULL);
          kp_item_add_after(it, schedule, rule);
        } else {
          kp_explain(p, "  (schedule label '%s' on p%d names no fiscal year and stands under no header row of "
                        "years: no schedule)\n", label, ctx->page->no);
          kp_note_unused(p, ctx->page->no, cell->t.text);
        }
      }
      kp_item_set_attr(it, as, vt->text);
      if (want_field) {
        Field *f = kp_field_new(label, vt, ctx->page->no, rule);
        f->schedule = schedule;
        kp_item_add_field(it, f);
        st->last_field = f;
      }
    }
  }
  g_hash_table_destroy(is_value);
  return TRUE;
}


/* A row that is an item's heading (title and department cells) starts an
 * item: `[card] item-row`.  Sets *taken when a row matched. */
gboolean kp_table_item_row(TableCtx *ctx, gboolean *taken, GError **error)
{
  KkParser *p = ctx->p;
  const KpPage *page = ctx->page;
  const KpTable *t = ctx->table;
  KpFamily *fam = p->st->family;
  *taken = FALSE;
  /* a row that is an item's heading (title and department cells) */
  for (guint i = 0; i < fam->section[KP_SEC_CARD]->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->section[KP_SEC_CARD], i);
    if (r->dir != KP_DIR_ITEM_ROW)
      continue;
    /* rows=N: the heading is a table of its own, of N rows (a title box),
     * so that any two cells can be title and department */
    const char *nrows = kp_rule_opt(r, KP_OPT_ROWS);
    if (nrows != NULL && t->nrows != (int)g_ascii_strtod(nrows, NULL))
      continue;
    for (int rr = 0; rr < t->nrows; rr++) {
      GString *joined = g_string_new(NULL);
      double bbox[4] = { 0 };
      gboolean hb = FALSE;
      for (int c = 0; c < t->ncols; c++) {
        KpCell *cell = kp_table_at(t, rr, c);
        if (cell == NULL || cell->row != rr || cell->col != c)
          continue;
        if (joined->len)
          g_string_append_c(joined, '\t');
        g_autofree char *at = kp_attr_text(cell->t.text);
        g_string_append(joined, at);
        if (cell->t.has_bbox)
          kp_bbox_union(bbox, &hb, cell->t.bbox);
      }
      g_autofree char *text = g_string_free(joined, FALSE);
      static const char *const names[] = { "item_no", "title", "department", "category" };
      char *vals[4] = { NULL, NULL, NULL, NULL };
      if (!kp_rule_match_named(r, text, names, vals, 4))
        continue;
      Item *it = kp_start_item(p, page->no, r, error);
      for (int k = 0; k < 4; k++) {
        if (it)
          kp_item_set_attr(it, names[k], vals[k]);
        g_free(vals[k]);
      }
      if (it == NULL)
        return FALSE;
      if (hb)
        kp_bbox_union(it->bbox, &it->has_bbox, bbox);
      *taken = TRUE;
      return TRUE;
    }
  }
  return TRUE;
}
