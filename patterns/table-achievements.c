/*
 * table-achievements.c — achievement-rate tables: a key column of item numbers,
 * one rate column per fiscal year.
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* Achievement table: key column = item number, year columns = rates. */
gboolean kp_table_achievements(TableCtx *ctx, int header_row, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  int key_col = -1;
  g_autofree gint64 *years = g_new0(gint64, (gsize)MAX(1, t->ncols));
  const KpRule *year_rule = NULL;
  int last_header = header_row;
  for (int c = 0; c < t->ncols; c++) {
    for (int r = header_row; r <= header_row + 1 && r < t->nrows; r++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL)
        continue;
      if (key_col < 0 && kp_rule_for_text(fam, KP_SEC_ACHIEVEMENTS, KP_DIR_KEY, &cell->t, NULL)) {
        key_col = c;
        last_header = MAX(last_header, cell->row + cell->rowspan - 1);
      }
      const KpRule *yr = kp_rule_for_text(fam, KP_SEC_ACHIEVEMENTS, KP_DIR_YEAR, &cell->t, NULL);
      if (yr && years[c] == 0) {
        years[c] = kp_label_fiscal_year(&cell->t);
        year_rule = yr;
        if (years[c])
          last_header = MAX(last_header, cell->row + cell->rowspan - 1);
      }
    }
  }
  if (key_col < 0)
    return TRUE;
  /* columns that describe an item the document has no card for */
  int title_col = -1, dept_col = -1;
  const KpRule *col_rule = NULL;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, header_row, c);
    const KpRule *cr = cell ? kp_rule_for_text(fam, KP_SEC_ACHIEVEMENTS, KP_DIR_COLUMN, &cell->t, NULL) : NULL;
    const char *as = cr ? kp_rule_opt(cr, KP_OPT_AS) : NULL;
    if (as && strcmp(as, "title") == 0 && title_col < 0)
      title_col = c, col_rule = cr;
    else if (as && strcmp(as, "department") == 0 && dept_col < 0)
      dept_col = c, col_rule = cr;
  }
  for (int r = last_header + 1; r < t->nrows; r++) {
    KpCell *kc = kp_table_at(t, r, key_col);
    if (kc == NULL || kc->row != r || kc->col != key_col || kc->colspan > 1 || kp_blank(kc->t.text))
      continue;
    g_autofree char *no = kp_squeeze(kc->t.text);
    const char *key = g_hash_table_lookup(st->key_by_no, no);
    if (key == NULL && title_col >= 0) {
      KpCell *tc = kp_table_at(t, r, title_col), *dc = kp_table_at(t, r, dept_col);
      Item *it = kp_start_item(p, ctx->page->no, col_rule, error);
      if (it == NULL)
        return FALSE;
      g_clear_pointer(&it->category, g_free);
      kp_item_set_attr(it, "item_no", kc->t.text);
      if (tc)
        kp_item_set_attr(it, "title", tc->t.text);
      if (dc)
        kp_item_set_attr(it, "department", dc->t.text);
      if (kc->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, kc->t.bbox);
      kp_explain(p, "  (item '%s' known only from the achievement table, p%d)\n", no, ctx->page->no);
      if (!kp_flush_item(p, error))
        return FALSE;
      key = g_hash_table_lookup(st->key_by_no, no);
    }
    for (int c = 0; c < t->ncols; c++) {
      if (years[c] == 0)
        continue;
      KpCell *vc = kp_table_at(t, r, c);
      if (vc == NULL || vc->row != r || vc->col != c || kp_blank(vc->t.text))
        continue;
      const KpSpan *s = kp_text_find_span(&vc->t, KK_SPAN_PERCENT, 0, -1);
      if (s == NULL)
        s = kp_text_find_span(&vc->t, KK_SPAN_NUMBER, 0, -1);
      if (s == NULL)
        continue;
      if (key == NULL) {
        kp_explain(p, "  (achievement for unknown item '%s' on p%d skipped)\n", no, ctx->page->no);
        continue;
      }
      JsonObject *o = json_object_new();
      json_object_set_string_member(o, "type", "achievement");
      json_object_set_string_member(o, "item", key);
      json_object_set_int_member(o, "fiscal_year", years[c]);
      kp_set_number(o, "rate", s->num);
      json_object_set_int_member(o, "page", ctx->page->no);
      if (vc->t.has_bbox)
        kk_json_set_bbox(o, "bbox", vc->t.bbox);
      if (!kp_emit(p, o, year_rule, error))
        return FALSE;
    }
  }
  return TRUE;
}

