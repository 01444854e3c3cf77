/*
 * tables.c — a table goes to the section whose rules claim it (the files
 * of each kind are listed in tables.h); --explain prints each table's grid
 * and the section that took it, and a section that took a table and made
 * nothing of it is a warning.
 * Part of the parse engine (engine.c, engine.h).
 */
#include "patterns/tables.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does any cell of the table match one of `directive` rules of `section`?
 * The rule, and in *row_out the row of the first such cell. */
const KpRule *kp_table_has(const KpTable *t, KpFamily *fam, KpSection section,
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
    if (kp_rule_opt(r, KP_OPT_BESIDE))
      continue; /* a role that depends on its row: only table-kpi.c weighs it */
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

/* --explain: notes a labelled cell no rule used (at most 2000). */
void kp_note_unused(KkParser *p, int page, const char *text)
{
  if (p->explain == NULL || g_hash_table_size(p->st->unused) > 2000)
    return;
  g_autofree char *sq = kp_shorten(text);
  g_hash_table_add(p->st->unused, g_strdup_printf("p%d: %s", page, sq));
}

/* A warning about the document being read: printed by --explain, kept for
 * `patterns check` (at most 2000). */
void kp_diagnose(KkParser *p, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  kp_explain(p, "  warning: %s\n", msg);
  if (p->diagnostics->len < 2000) {
    const char *file = p->st ? kk_json_string(p->st->doc_in, "file", "<stdin>") : "-";
    g_ptr_array_add(p->diagnostics, g_strdup_printf("%s: %s", file, msg));
  }
}

/* TRUE if the cell's text is a bare number ("1", "2.5", "(3)", "1,200"):
 * a row number or a value, never a label. */
gboolean kp_cell_is_number(const KpCell *cell)
{
  const char *sq = kp_text_squeezed(&cell->t);
  if (*sq == '\0')
    return FALSE;
  for (const char *q = sq; *q; q++)
    if (!g_ascii_isdigit(*q) && *q != '.' && *q != ',' && *q != '(' && *q != ')')
      return FALSE;
  return TRUE;
}

/* TRUE if the cell says "none" with a dash (-, ―, ー): no value. */
gboolean kp_cell_is_dash(const KpCell *c)
{
  const char *sq = kp_text_squeezed(&c->t);
  for (const char *q = sq; *q; q = g_utf8_next_char(q))
    if (g_utf8_strchr("-‐‑–—―−ー－", -1, g_utf8_get_char(q)) == NULL)
      return FALSE;
  return *sq != '\0';
}

/* The label of row `row` for a value at column `before_col`: the nearest
 * cell left of it that holds text, not a bare number and not a unit
 * (a unit column's cell, 人, 千円); a cell spanning rows from above (an
 * indicator over its 目標値 and 実績値 rows) counts.  NULL if none. */
char *kp_row_label(const TableCtx *ctx, int row, int before_col)
{
  KpFamily *fam = ctx->p->st->family;
  for (int k = before_col - 1; k >= 0; k--) {
    KpCell *x = kp_table_at(ctx->table, row, k);
    if (x == NULL || kp_blank(x->t.text) || kp_cell_is_number(x) || kp_cell_is_dash(x) || kp_is_unit_cell(ctx, x) ||
        kp_rule_for_text(fam, KP_SEC_MEASURES, KP_DIR_ROLE, &x->t, NULL))
      continue;
    return kp_attr_text(x->t.text); /* a name wrapped by the cell's width reads as one */
  }
  return NULL;
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

/* --explain: the table's grid, one line per row, each cell shortened, a
 * cell spanning from above or the left shown as ^ or <. */
static void explain_grid(KkParser *p, const TableCtx *ctx, const char *taken)
{
  const KpTable *t = ctx->table;
  if (p->explain == NULL)
    return;
  kp_explain(p, "  table     p%-3d #%d %dx%d%s%s%s%s -> %s\n", ctx->page->no, t->index, t->nrows, t->ncols,
             t->ruled ? " ruled" : " unruled", t->continued ? " continued" : "",
             ctx->unit.word ? " unit " : "", ctx->unit.word ? ctx->unit.word : "", taken);
  for (int r = 0; r < t->nrows && r < 40; r++) {
    GString *line = g_string_new("            |");
    for (int c = 0; c < t->ncols && c < 16; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL) {
        g_string_append(line, "  |");
        continue;
      }
      if (cell->row != r || cell->col != c) {
        g_string_append(line, cell->row != r ? " ^ |" : " < |");
        continue;
      }
      const char *sq = kp_text_squeezed(&cell->t);
      glong n = g_utf8_strlen(sq, -1);
      g_autofree char *cut = g_utf8_substring(sq, 0, MIN(n, 10));
      g_string_append_printf(line, " %s%s |", cut, n > 10 ? "…" : "");
    }
    if (t->ncols > 16)
      g_string_append(line, " …");
    kp_explain(p, "%s\n", line->str);
    g_string_free(line, TRUE);
  }
  if (t->nrows > 40)
    kp_explain(p, "            (%d more rows)\n", t->nrows - 40);
}

/* What the stream has made so far: records, items, fields (the difference
 * over a table is what the table gave). */
static guint64 production(const Stream *st)
{
  return st->produced + (guint64)st->next_key + (st->item ? st->item->produced : 0);
}

typedef enum { CLAIM_NONE, CLAIM_ITEM_ROW, CLAIM_MEETING, CLAIM_ACHIEVEMENTS, CLAIM_BUDGET, CLAIM_SERIES,
               CLAIM_LIST, CLAIM_MEASURES, CLAIM_CARD, CLAIM_CARD_MEASURES } Claim;

static const char *const claim_names[] = {
  "no section", "[card] item-row", "[meeting]", "[achievements]", "[budget]", "[series]",
  "[list]", "[measures]", "[card]", "[card] and [measures]",
};

/* Routes one table to the section whose rules claim it (claim order: a
 * title row, meeting, achievements, budget, outlook series, list, cards
 * with their KPI rows, KPI tables alone); `*claim` says which. */
static gboolean route(TableCtx *ctx, Claim *claim, GError **error)
{
  KkParser *p = ctx->p;
  Stream *st = p->st;
  const KpTable *t = ctx->table;
  KpFamily *fam = st->family;
  gboolean taken = FALSE;
  *claim = CLAIM_NONE;
  if (!kp_table_item_row(ctx, &taken, error))
    return FALSE;
  if (taken) {
    *claim = CLAIM_ITEM_ROW;
    return TRUE;
  }
  int row = -1;
  if (kp_table_has(t, fam, KP_SEC_MEETING, KP_DIR_LABEL, NULL)) {
    *claim = CLAIM_MEETING;
    return kp_table_meeting(ctx, error);
  }
  if (kp_table_has(t, fam, KP_SEC_ACHIEVEMENTS, KP_DIR_HEADER, &row)) {
    *claim = CLAIM_ACHIEVEMENTS;
    /* the items it names must be out before it */
    if (!kp_flush_item(p, error))
      return FALSE;
    return kp_table_achievements(ctx, row, error);
  }
  if (kp_table_has(t, fam, KP_SEC_BUDGET, KP_DIR_HEADER, NULL)) {
    *claim = CLAIM_BUDGET;
    return kp_table_budget(ctx, error);
  }
  /* a series table: a row with two or more fiscal-year header cells */
  if (fam->section[KP_SEC_SERIES]->len > 0) {
    KpYearCols yc;
    if (kp_year_columns(fam, t, KP_SEC_SERIES, KP_DIR_YEAR, 0, 3, 2, &yc)) {
      int yrow = yc.row;
      kp_year_columns_clear(&yc);
      if (series_in_plan(st, fam, t, yrow)) {
        *claim = CLAIM_SERIES;
        return kp_table_series(ctx, yrow, error);
      }
    } else if (!kp_table_has(t, fam, KP_SEC_LIST, KP_DIR_HEADER, NULL)) {
      /* or turned round: the years down a column */
      gboolean turned = FALSE;
      if (!kp_table_series_turned(ctx, &turned, error))
        return FALSE;
      if (turned) {
        *claim = CLAIM_SERIES;
        return TRUE;
      }
    }
  }
  row = -1;
  if (kp_table_has(t, fam, KP_SEC_LIST, KP_DIR_HEADER, &row)) {
    *claim = CLAIM_LIST;
    return kp_table_list(ctx, row, error);
  }
  if (t->continued && st->list.active && st->list.ncols == t->ncols && st->item && st->item->from_list) {
    *claim = CLAIM_LIST;
    return kp_table_list(ctx, -1, error);
  }
  KpCell *c00 = kp_table_at(t, 0, 0);
  gboolean card = kp_table_has(t, fam, KP_SEC_CARD, KP_DIR_START, NULL) ||
                  (st->item && !st->item->from_list &&
                   (kp_table_has(t, fam, KP_SEC_CARD, KP_DIR_LABEL, NULL) ||
                    kp_table_has(t, fam, KP_SEC_CARD, KP_DIR_SCHEDULE, NULL) || t->continued ||
                    (ctx->first_on_page && st->last_field && (c00 == NULL || kp_blank(c00->t.text)))));
  if (kp_table_has(t, fam, KP_SEC_MEASURES, KP_DIR_ROLE, NULL)) {
    *claim = card ? CLAIM_CARD_MEASURES : CLAIM_MEASURES;
    /* a KPI table below a card (an evaluation sheet's indicators) is the
     * card's item's */
    if (!kp_table_measures(ctx, card || (st->item && !st->item->from_list), error))
      return FALSE;
  }
  if (card) {
    if (*claim == CLAIM_NONE)
      *claim = CLAIM_CARD;
    return kp_table_card(ctx, error);
  }
  return TRUE;
}

/* Turns one table of a page into records: its units, the section that
 * claims it, its grid for --explain and a warning when the section made
 * nothing of it.  `first`: nothing but page furniture above it. */
gboolean kp_do_table(KkParser *p, const KpPage *page, const KpTable *t, gboolean first, GError **error)
{
  Stream *st = p->st;
  TableCtx ctx = { .p = p, .page = page, .table = t, .first_on_page = first };
  if (t->nrows == 0 || t->ncols == 0)
    return TRUE; /* emptied: read as text */
  kp_table_units(&ctx);
  guint64 before = production(st);
  Claim claim = CLAIM_NONE;
  gboolean ok = route(&ctx, &claim, error);
  explain_grid(p, &ctx, claim_names[claim]);
  if (ok && claim != CLAIM_NONE && claim != CLAIM_ITEM_ROW && production(st) == before)
    kp_diagnose(p, "p%d: table %dx%d starting '%s' was taken by %s but gave no records", page->no, t->nrows,
                t->ncols, kp_text_squeezed(&((KpCell *)g_ptr_array_index(t->cells, 0))->t), claim_names[claim]);
  if (ok && claim == CLAIM_NONE && p->explain && t->cells->len > 0) {
    /* a table no rule claimed: say so, with its first cell */
    KpCell *c0 = g_ptr_array_index(t->cells, 0);
    g_autofree char *head = kp_shorten(c0->t.text);
    if (g_hash_table_size(st->unused) < 2000)
      g_hash_table_add(st->unused, g_strdup_printf("p%d: table %dx%d starting '%s' (no rule)",
                                                   page->no, t->nrows, t->ncols, head));
  }
  kp_table_units_clear(&ctx);
  return ok;
}
