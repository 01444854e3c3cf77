/*
 * table-card.c — cards: label cells whose value is the cell beside (or
 * below) them, schedule rows (R3実績, R5計画), rows split by a page break,
 * and title rows that start an item (`item-row`).
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* Card table: label cells and the cells right of them (below them, with
 * below=yes, unless the cell below is another label). */
gboolean kp_table_card(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  GHashTable *is_value = g_hash_table_new(NULL, NULL);

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
      if (kp_blank(cell->t.text))
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
        /* looks like a label (short, a value beside it) but no rule took it */
        KpCell *right = kp_table_at(t, r, c + cell->colspan);
        if (st->item && right && right != cell && !kp_blank(right->t.text) &&
            g_utf8_strlen(cell->t.text, -1) <= 24 && !strstr(cell->t.text, "。"))
          kp_note_unused(p, ctx->page->no, cell->t.text);
        continue;
      }
      Item *it = st->item;
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
        const char *actual = kp_rule_opt(rule, KP_OPT_ACTUAL);
        gboolean is_actual = strstr(label, actual ? actual : "実績") != NULL;
        if (fy > 0) {
          JsonObject *o = json_object_new();
          json_object_set_string_member(o, "type", "schedule");
          json_object_set_int_member(o, "fiscal_year", fy);
          json_object_set_string_member(o, "kind", is_actual ? "actual" : "plan");
          g_autofree char *txt = kp_value_text(vt->text);
          json_object_set_string_member(o, "text", txt);
          json_object_set_int_member(o, "page", ctx->page->no);
          if (v && v->t.has_bbox)
            kk_json_set_bbox(o, "bbox", v->t.bbox);
          kp_item_add_after(it, o, rule);
          schedule = o;
        } else {
          kp_explain(p, "  (schedule label '%s' on p%d names no fiscal year)\n", label, ctx->page->no);
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
