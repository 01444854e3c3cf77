/*
 * tables.c — tables: meetings, achievements, budgets, outlook series, KPI
 * rows, lists joined over page breaks, and cards.
 * Part of the parse engine (engine.c, engine.h).
 */
#include "patterns/engine.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- page: tables */

typedef struct {
  KkParser *p;
  const KpPage *page;
  const KpTable *table;
  gboolean first_on_page;/* nothing but page furniture above it */
  double scale;          /* money scale of this table (0 = not money) */
  const char *unit;
} TableCtx;

/* Does any cell of the table match one of `directive` rules of `section`? */
static const KpRule *table_has(const KpTable *t, KpFamily *fam, KpSection section,
                               KpDirective directive, int *row_out)
{
  GPtrArray *rules = fam->section[section];
  for (guint c = 0; c < t->cells->len; c++) {
    KpCell *cell = g_ptr_array_index(t->cells, c);
    const char *sq = kp_text_squeezed(&cell->t);
    if (*sq == '\0')
      continue; /* blank */
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (directive != KP_DIR_ANY && r->dir != directive)
        continue;
      if (kp_rule_match_valid(r, sq, NULL)) {
        if (row_out)
          *row_out = cell->row;
        return r;
      }
    }
  }
  return NULL;
}

/* First rule of `section`/`directive` matching `squeezed` (text already
 * without whitespace; `valid`: known to be valid UTF-8). */
static const KpRule *rule_for_squeezed(KpFamily *fam, KpSection section, KpDirective directive,
                                       const char *squeezed, gboolean valid, char **value)
{
  GPtrArray *rules = fam->section[section];
  if (*squeezed == '\0')
    return NULL;
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (directive != KP_DIR_ANY && r->dir != directive)
      continue;
    if (valid ? kp_rule_match_valid(r, squeezed, value) : kp_rule_match(r, squeezed, value))
      return r;
  }
  return NULL;
}

/* First rule of `section`/`directive` matching the squeezed text. */
const KpRule *kp_rule_for(KpFamily *fam, KpSection section, KpDirective directive,
                              const char *text, char **value)
{
  g_autofree char *sq = kp_squeeze(text);
  return rule_for_squeezed(fam, section, directive, sq, FALSE, value);
}

/* kp_rule_for() on a page's line or cell (its squeezed text is kept). */
const KpRule *kp_rule_for_text(KpFamily *fam, KpSection section, KpDirective directive,
                               const KpText *text, char **value)
{
  return rule_for_squeezed(fam, section, directive, kp_text_squeezed(text), TRUE, value);
}

/* The unit of money of a table: a [units] match inside the table, else the
 * nearest matching line above it on the page, else (for a continuation)
 * the previous table's. */
static void table_unit(KkParser *p, const KpPage *page, const KpTable *t, TableCtx *ctx)
{
  Stream *st = p->st;
  KpFamily *fam = st->family;
  GPtrArray *rules = fam->section[KP_SEC_UNITS];
  ctx->unit = NULL;
  ctx->scale = 0;
  if (rules->len == 0)
    return;
  g_autofree char *found = NULL;
  for (guint c = 0; !found && c < t->cells->len; c++) {
    KpCell *cell = g_ptr_array_index(t->cells, c);
    for (guint i = 0; !found && i < rules->len; i++)
      kp_rule_match_valid(g_ptr_array_index(rules, i), cell->t.text, &found);
  }
  if (!found && t->has_bbox) {
    double best = -1;
    for (guint k = 0; k < page->lines->len; k++) {
      KpLine *l = g_ptr_array_index(page->lines, k);
      if (l->table >= 0 || !l->t.has_bbox || l->t.bbox[1] > t->bbox[1] + 2)
        continue;
      for (guint i = 0; i < rules->len; i++) {
        g_autofree char *v = NULL;
        if (kp_rule_match_valid(g_ptr_array_index(rules, i), l->t.text, &v) && l->t.bbox[3] > best) {
          best = l->t.bbox[3];
          g_free(found);
          found = g_steal_pointer(&v);
        }
      }
    }
  }
  if (!found && ctx->first_on_page && st->pending_unit)
    found = g_strdup(st->pending_unit);
  if (found) {
    g_free(st->unit);
    st->unit = kp_squeeze(found);
    st->unit_scale = kp_money_scale(st->unit);
  } else if (!t->continued) {
    g_clear_pointer(&st->unit, g_free);
    st->unit_scale = 0;
  }
  ctx->unit = st->unit;
  ctx->scale = st->unit_scale;
}

static void note_unused(KkParser *p, int page, const char *text)
{
  if (p->explain == NULL || g_hash_table_size(p->st->unused) > 2000)
    return;
  g_autofree char *sq = kp_shorten(text);
  g_hash_table_add(p->st->unused, g_strdup_printf("p%d: %s", page, sq));
}

/* Meeting header: label cells -> title, held_on, place, attendees. */
static gboolean do_meeting(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  const KpTable *t = ctx->table;
  KpFamily *fam = p->st->family;
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "meeting");
  const char *members[] = { "title", "held_on", "place", "attendees" };
  for (int i = 0; i < 4; i++)
    json_object_set_null_member(o, members[i]);
  const KpRule *any = NULL;
  for (int r = 0; r < t->nrows; r++)
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || cell->row != r || cell->col != c)
        continue;
      const KpRule *rule = kp_rule_for_text(fam, KP_SEC_MEETING, KP_DIR_LABEL, &cell->t, NULL);
      if (rule == NULL)
        continue;
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      if (v == NULL)
        continue;
      any = rule;
      const char *as = kp_rule_opt(rule, KP_OPT_AS);
      if (as == NULL)
        continue;
      if (strcmp(as, "held_on") == 0) {
        const KpSpan *d = kp_text_find_span(&v->t, KK_SPAN_DATE, 0, -1);
        if (d && d->str)
          json_object_set_string_member(o, "held_on", d->str);
      } else {
        g_autofree char *val = kp_value_text(v->t.text);
        json_object_set_string_member(o, as, val);
      }
    }
  json_object_set_int_member(o, "page", ctx->page->no);
  if (t->has_bbox)
    kk_json_set_bbox(o, "bbox", t->bbox);
  return kp_emit(p, o, any, error);
}

/* Achievement table: key column = item number, year columns = rates. */
static gboolean do_achievements(TableCtx *ctx, int header_row, GError **error)
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

/* Budget block: column rules name the header cells of the money columns. */
static gboolean do_budget(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  static const char *const names[] = { "total", "national", "prefectural", "bonds", "other", "general_fund" };
  int col[6] = { -1, -1, -1, -1, -1, -1 };
  int header_end = -1;
  const KpRule *any = NULL;
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *cell = g_ptr_array_index(t->cells, i);
    const KpRule *r = kp_rule_for_text(fam, KP_SEC_BUDGET, KP_DIR_COLUMN, &cell->t, NULL);
    if (r == NULL)
      continue;
    for (int n = 0; n < 6; n++)
      if (strcmp(r->arg, names[n]) == 0 && col[n] < 0) {
        col[n] = cell->col;
        header_end = MAX(header_end, cell->row + cell->rowspan - 1);
        any = r;
      }
  }
  if (any == NULL)
    return TRUE;
  double scale = ctx->scale > 0 ? ctx->scale : 1;
  for (int r = header_end + 1; r < t->nrows; r++) {
    gboolean has = FALSE;
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "type", "budget");
    kp_set_fy(o, st->fy_start);
    double bbox[4] = { 0 };
    gboolean hb = FALSE;
    for (int n = 0; n < 6; n++) {
      KpCell *c = col[n] >= 0 ? kp_table_at(t, r, col[n]) : NULL;
      const KpSpan *s = c ? kp_text_find_span(&c->t, KK_SPAN_AMOUNT, 0, -1) : NULL;
      if (c && s) {
        kp_set_number(o, names[n], s->num);
        has = TRUE;
      } else if (c && (s = kp_text_find_span(&c->t, KK_SPAN_NUMBER, 0, -1))) {
        kp_set_number(o, names[n], round(s->num * scale));
        has = TRUE;
      } else {
        json_object_set_null_member(o, names[n]);
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
    if (st->item) {
      kp_item_add_after(st->item, o, any);
      kp_explain(p, "  budget    p%-3d (after item %s)\n", ctx->page->no, st->item->key);
    } else {
      json_object_set_null_member(o, "item");
      if (!kp_emit(p, o, any, error))
        return FALSE;
    }
  }
  return TRUE;
}

/* Outlook table: a header row of fiscal years, row label x year -> value. */
static gboolean do_series(TableCtx *ctx, int header_row, GError **error)
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
  /* the title: the header row's corner cell, or the nearest [series]
   * title line above the table */
  gboolean corner = FALSE;
  for (guint i = 0; i < fam->section[KP_SEC_SERIES]->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->section[KP_SEC_SERIES], i);
    if (r->dir == KP_DIR_TITLE && g_strcmp0(kp_rule_opt(r, KP_OPT_FROM), "corner") == 0) {
      KpCell *cc = kp_table_at(t, header_row, 0);
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
      const KpRule *tr = kp_rule_for_text(fam, KP_SEC_SERIES, KP_DIR_TITLE, &l->t, &v);
      if (tr && tr->re && l->t.bbox[3] > best) {
        best = l->t.bbox[3];
        g_free(st->series_title);
        /* without a capture group the whole line is the title */
        st->series_title = kp_value_text(tr->value_group > 0 ? v : l->t.text);
      }
    }
  }
  for (int r = header_row + 1; r < t->nrows; r++) {
    /* the row label: the cells left of the first year column, joined */
    GString *label = g_string_new(NULL);
    for (int c = 0; c < first_year_col && c < t->ncols; c++) {
      KpCell *lc = kp_table_at(t, r, c);
      if (lc == NULL || lc->col != c || kp_blank(lc->t.text))
        continue;
      g_autofree char *sq = kp_squeeze(lc->t.text);
      if (lc->row != r && c + lc->colspan < first_year_col)
        continue; /* a group cell spanning rows: not this row's label */
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
      double value = 0;
      const char *unit = NULL;
      g_autofree char *uo = NULL;
      if (!kp_measure_value(&vc->t, 0, -1, ctx->scale, &value, &unit, &uo))
        continue;
      if (unit == NULL && ctx->unit)
        unit = ctx->unit;
      JsonObject *o = json_object_new();
      json_object_set_string_member(o, "type", "series");
      kp_set_string_or_null(o, "table_title", st->series_title);
      json_object_set_string_member(o, "row_label", row_label);
      json_object_set_int_member(o, "fiscal_year", years[c]);
      kp_set_number(o, "value", value);
      kp_set_string_or_null(o, "unit", unit);
      json_object_set_int_member(o, "page", ctx->page->no);
      if (vc->t.has_bbox)
        kk_json_set_bbox(o, "bbox", vc->t.bbox);
      if (!kp_emit(p, o, yr_rule, error))
        return FALSE;
    }
  }
  return TRUE;
}

/* KPI rows: a role cell (基準値/目標値 ...), the value right of it, the
 * label the nearest text cell left of it that is not a bare number. */
static gboolean do_measures(TableCtx *ctx, gboolean in_card, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  for (int r = 0; r < t->nrows; r++)
    for (int c = 0; c < t->ncols; c++) {
      KpCell *rc = kp_table_at(t, r, c);
      if (rc == NULL || rc->row != r || rc->col != c)
        continue;
      const KpRule *role_rule = kp_rule_for_text(fam, KP_SEC_MEASURES, KP_DIR_ROLE, &rc->t, NULL);
      if (role_rule == NULL)
        continue;
      KpCell *vc = NULL;
      for (int k = c + rc->colspan; k < t->ncols; k++) {
        KpCell *x = kp_table_at(t, r, k);
        if (x && !kp_blank(x->t.text)) {
          vc = x;
          break;
        }
      }
      if (vc == NULL)
        continue;
      char *label = NULL;
      for (int k = c - 1; k >= 0 && label == NULL; k--) {
        KpCell *x = kp_table_at(t, r, k);
        if (x == NULL || kp_blank(x->t.text))
          continue;
        g_autofree char *sq = kp_squeeze(x->t.text);
        gboolean numeric = TRUE;
        for (const char *q = sq; *q; q++)
          if (!g_ascii_isdigit(*q) && *q != '.' && *q != '(' && *q != ')')
            numeric = FALSE;
        if (!numeric)
          label = kp_value_text(x->t.text);
      }
      double value = 0;
      const char *unit = NULL;
      g_autofree char *uo = NULL;
      gboolean has = kp_measure_value(&vc->t, 0, -1, ctx->scale, &value, &unit, &uo);
      g_autofree char *raw = kp_value_text(vc->t.text);
      const char *role = kp_value_role(fam, raw, role_rule->arg, NULL);
      gint64 fy = kp_text_fiscal_year(&rc->t, 0, -1);
      const char *dy = kp_rule_opt(role_rule, KP_OPT_DEFAULT_YEAR);
      if (fy == 0 && dy)
        fy = strcmp(dy, "end") == 0 ? st->fy_end : st->fy_start;
      JsonObject *o = kp_measure_new(label, role, has, value, unit, fy, raw, ctx->page->no,
                                  vc->t.has_bbox ? vc->t.bbox : NULL);
      g_free(label);
      if (in_card && st->item)
        kp_item_add_after(st->item, o, role_rule);
      else if (!kp_emit(p, o, role_rule, error))
        return FALSE;
    }
  return TRUE;
}

/* List table rows -> items (one per row, rows split by a page break
 * joined, repeated header rows skipped). */
static gboolean do_list(TableCtx *ctx, int header_row, GError **error)
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
    kp_list_clear(ls);
    ls->active = TRUE;
    ls->ncols = t->ncols;
    ls->label = g_new0(char *, (gsize)MAX(1, t->ncols));
    ls->rule = g_new0(const KpRule *, (gsize)MAX(1, t->ncols));
    ls->key_col = -1;
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, hend, c);
      if (cell == NULL || cell->row > hend || kp_blank(cell->t.text))
        continue;
      if (c > 0 && kp_table_at(t, hend, c - 1) == cell)
        continue; /* one header spanning columns labels the first */
      ls->label[c] = kp_label_text(cell->t.text);
      ls->rule[c] = kp_rule_for_text(fam, KP_SEC_LIST, KP_DIR_COLUMN, &cell->t, NULL);
      if (ls->rule[c] && g_strcmp0(kp_rule_opt(ls->rule[c], KP_OPT_AS), "item_no") == 0 && ls->key_col < 0)
        ls->key_col = c;
    }
    data_from = hend + 1;
  } else if (!ls->active || ls->ncols != t->ncols) {
    return TRUE;
  }

  gboolean first_data = TRUE;
  for (int r = data_from; r < t->nrows; r++) {
    /* the row's cells, per column, spanned cells filled down */
    gboolean blank = TRUE, repeated_header = TRUE, skip = FALSE;
    int n_labels = 0;
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || kp_blank(cell->t.text))
        continue;
      blank = FALSE;
      g_autofree char *sq = kp_squeeze(cell->t.text);
      if (ls->label[c] == NULL || strcmp(sq, ls->label[c]) != 0)
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
    first_data = FALSE;
  }
  return TRUE;
}

/* Card table: label cells and the cells right of (or below) them. */
static gboolean do_card(TableCtx *ctx, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  GHashTable *is_value = g_hash_table_new(NULL, NULL);

  for (int r = 0; r < t->nrows; r++) {
    /* a row split by the page break: its label cell is empty */
    if (r == 0 && (t->continued || ctx->first_on_page) && st->last_field && st->item) {
      KpCell *first = kp_table_at(t, 0, 0);
      if (first == NULL || kp_blank(first->t.text)) {
        for (int c = 0; c < t->ncols; c++) {
          KpCell *x = kp_table_at(t, 0, c);
          if (x && x->col == c && x->row == 0 && !kp_blank(x->t.text)) {
            kp_field_append(st->last_field, &x->t);
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
      if (start) {
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
          note_unused(p, ctx->page->no, cell->t.text);
        continue;
      }
      Item *it = st->item;
      if (cell->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, cell->t.bbox);
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      if ((v == NULL || v == cell) && g_strcmp0(kp_rule_opt(rule, KP_OPT_BELOW), "yes") == 0)
        v = kp_table_at(t, r + cell->rowspan, c);
      if (v == cell)
        v = NULL;
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

/* With `year within=plan`, an outlook table must reach into the
 * document's plan period (tables of past results do not). */
static gboolean series_in_plan(Stream *st, KpFamily *fam, const KpTable *t, int header_row)
{
  gboolean need = FALSE;
  for (guint i = 0; i < fam->section[KP_SEC_SERIES]->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->section[KP_SEC_SERIES], i);
    if (r->dir == KP_DIR_YEAR && kp_rule_opt(r, KP_OPT_WITHIN))
      need = TRUE;
  }
  if (!need)
    return TRUE;
  if (st->fy_start <= 0)
    return FALSE;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, header_row, c);
    gint64 fy = cell ? kp_label_fiscal_year(&cell->t) : 0;
    if (fy >= st->fy_start && fy <= st->fy_end)
      return TRUE;
  }
  return FALSE;
}

/* Routes one table to the mode its rules claim. */
gboolean kp_do_table(KkParser *p, const KpPage *page, const KpTable *t, gboolean first,
                         GError **error)
{
  Stream *st = p->st;
  KpFamily *fam = st->family;
  TableCtx ctx = { .p = p, .page = page, .table = t, .first_on_page = first };
  table_unit(p, page, t, &ctx);
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
      return TRUE;
    }
  }
  int row = -1;
  if (table_has(t, fam, KP_SEC_MEETING, KP_DIR_LABEL, NULL))
    return do_meeting(&ctx, error);
  if (table_has(t, fam, KP_SEC_ACHIEVEMENTS, KP_DIR_HEADER, &row)) {
    /* the items it names must be out before it */
    if (!kp_flush_item(p, error))
      return FALSE;
    return do_achievements(&ctx, row, error);
  }
  if (table_has(t, fam, KP_SEC_BUDGET, KP_DIR_HEADER, NULL))
    return do_budget(&ctx, error);
  /* a series table: a row with two or more fiscal-year header cells */
  if (fam->section[KP_SEC_SERIES]->len > 0) {
    for (int r = 0; r < t->nrows && r < 4; r++) {
      int n = 0;
      for (int c = 0; c < t->ncols; c++) {
        KpCell *cell = kp_table_at(t, r, c);
        if (cell && cell->col == c && cell->row == r &&
            kp_rule_for_text(fam, KP_SEC_SERIES, KP_DIR_YEAR, &cell->t, NULL) && kp_label_fiscal_year(&cell->t))
          n++;
      }
      if (n >= 2 && series_in_plan(st, fam, t, r))
        return do_series(&ctx, r, error);
    }
  }
  row = -1;
  if (table_has(t, fam, KP_SEC_LIST, KP_DIR_HEADER, &row))
    return do_list(&ctx, row, error);
  if (t->continued && st->list.active && st->list.ncols == t->ncols && st->item && st->item->from_list)
    return do_list(&ctx, -1, error);
  gboolean card = table_has(t, fam, KP_SEC_CARD, KP_DIR_START, NULL) ||
                  (st->item && !st->item->from_list &&
                   (table_has(t, fam, KP_SEC_CARD, KP_DIR_LABEL, NULL) ||
                    table_has(t, fam, KP_SEC_CARD, KP_DIR_SCHEDULE, NULL) || t->continued ||
                    (first && st->last_field && kp_blank(kp_table_at(t, 0, 0) ? kp_table_at(t, 0, 0)->t.text : NULL))));
  if (table_has(t, fam, KP_SEC_MEASURES, KP_DIR_ROLE, NULL))
    if (!do_measures(&ctx, card, error))
      return FALSE;
  if (card)
    return do_card(&ctx, error);
  if (p->explain && t->cells->len > 0) {
    /* a table no rule claimed: say so, with its first cell */
    KpCell *c0 = g_ptr_array_index(t->cells, 0);
    g_autofree char *head = kp_shorten(c0->t.text);
    if (g_hash_table_size(st->unused) < 2000)
      g_hash_table_add(st->unused, g_strdup_printf("p%d: table %dx%d starting '%s' (no rule)",
                                                   page->no, t->nrows, t->ncols, head));
  }
  return TRUE;
}
