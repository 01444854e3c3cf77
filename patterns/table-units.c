/*
 * table-units.c — the units of a table's values, scoped to that table: a
 * unit never leaks from one table into another.  In order of precedence:
 *   a column's unit   a header cell "効果額(千円)", "(単位:人)", or the cell
 *                     of a units row (first cell 単位) above the column;
 *   a row's unit      the row's cell in a unit column (header 単位);
 *   the table's unit  a [units] match in a cell of its own, else the
 *                     caption: the nearest matching line above the table
 *                     with no other table between them, else (first table
 *                     of a page) a unit line at the foot of the previous
 *                     page, else (a continued table) the previous table's,
 *                     else the caption in force: the last caption found
 *                     over a table with the same header rows (the same
 *                     layout: one list cut into sections, each under its
 *                     heading, with 単位：千円 printed once at the top),
 *                     until another caption replaces it.
 * Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"

#include <math.h>
#include <string.h>

/* TRUE if normalize reads "1" + `word` as a quantity with unit `word`:
 * a counting word it knows (人, 件, 回, 箇所 …). */
static gboolean known_count_word(const char *word)
{
  if (g_str_has_prefix(word, "千") || g_str_has_prefix(word, "万"))
    word += strlen("千"); /* 千人, 万件: a count in thousands */
  g_autofree char *probe = g_strconcat("1", word, NULL);
  g_autoptr(GArray) spans = kp_annotate(probe);
  for (guint i = 0; i < spans->len; i++) {
    const KpSpan *s = &g_array_index(spans, KpSpan, i);
    if (s->type == KK_SPAN_QUANTITY && s->start == 0 && s->unit && strcmp(s->unit, word) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Reads a unit from `text` ("千円", "単位:千円", "人", "%").  With `strict`
 * only a money unit, % or a counting word normalize knows counts; else
 * (the text is known to be a unit: a unit column's cell, a header's
 * parentheses) any short word without digits.  Fills `out` (word newly
 * allocated) and returns TRUE, or returns FALSE. */
static gboolean unit_parse(const char *text, gboolean strict, KpUnit *out)
{
  g_autofree char *sq = kp_squeeze(text);
  const char *w = sq;
  if (g_str_has_prefix(w, "単位"))
    w += strlen("単位");
  if (g_str_has_prefix(w, ":") || g_str_has_prefix(w, "："))
    w = g_utf8_next_char(w);
  glong n = g_utf8_strlen(w, -1);
  if (n == 0 || n > 5)
    return FALSE;
  for (const char *q = w; *q; q++)
    if (g_ascii_isdigit(*q))
      return FALSE;
  double scale = kp_money_scale(w);
  if (scale == 0 && strict && strcmp(w, "%") != 0 && !known_count_word(w))
    return FALSE;
  out->word = g_strdup(w);
  out->scale = scale;
  return TRUE;
}

/* A unit by itself in `text` (a money unit, %, a counting word); fills
 * `out` (its word newly allocated) or returns FALSE. */
gboolean kp_unit_parse(const char *text, KpUnit *out)
{
  return unit_parse(text, TRUE, out);
}

/* The unit in parentheses at the end of a header cell ("効果額(千円)",
 * "人数(単位:人)"); FALSE if there is none. */
static gboolean trailing_unit(const char *text, KpUnit *out)
{
  g_autofree char *sq = kp_squeeze(text);
  gsize len = strlen(sq);
  if (len < 3 || sq[len - 1] != ')')
    return FALSE;
  char *open = g_strrstr(sq, "(");
  if (open == NULL || open == sq)
    return FALSE; /* "(千円)" alone is the table's unit, not a column's */
  sq[len - 1] = '\0';
  /* any word after 単位:, else only a unit known as one ("取組名(概要)" is no unit) */
  return unit_parse(open + 1, !g_str_has_prefix(open + 1, "単位"), out);
}

/* `label` squeezed, without a unit in parentheses at its end
 * ("効果額(千円)" -> "効果額"). */
char *kp_strip_unit(const char *label)
{
  KpUnit u = { NULL, 0 };
  g_autofree char *sq = kp_squeeze(label);
  if (!trailing_unit(sq, &u))
    return g_steal_pointer(&sq);
  g_free(u.word);
  *g_strrstr(sq, "(") = '\0';
  return g_steal_pointer(&sq);
}

/* Frees a unit's word and forgets its scale. */
static void unit_clear(KpUnit *u)
{
  g_clear_pointer(&u->word, g_free);
  u->scale = 0;
}

/* A [units] rule's match in `text`: the unit it names, and whether the
 * match is all the text holds (a unit cell) or a part of it (a header). */
static gboolean units_rule_match(KpFamily *fam, const KpText *t, KpUnit *out, gboolean *whole)
{
  GPtrArray *rules = fam->section[KP_SEC_UNITS];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    g_autofree char *v = NULL;
    if (!kp_rule_match_valid(r, t->text, &v))
      continue;
    gsize s = 0, e = 0;
    kp_rule_group_span(r, 0, &s, &e);
    g_autofree char *before = g_strndup(t->text, s);
    g_autofree char *b = kp_squeeze(before);
    *whole = *b == '\0' || strcmp(b, "(") == 0 || strcmp(b, "（") == 0;
    if (!unit_parse(v, FALSE, out))
      continue;
    return TRUE;
  }
  return FALSE;
}

/* The caption unit: the nearest [units] line above the table.  It covers
 * the tables stacked below it (one figure of several tables) until a line
 * of text longer than a short note ("(参考)") stands between: a paragraph
 * or another table's title starts another context.  A table's own units
 * (unit column, header units) still come first. */
#define KP_MAX_NOTE_CHARS 10
static gboolean caption_unit(KpFamily *fam, const KpPage *page, const KpTable *t, KpUnit *out)
{
  if (!t->has_bbox)
    return FALSE;
  double best = -1;
  gboolean found = FALSE;
  for (guint k = 0; k < page->lines->len; k++) {
    KpLine *l = g_ptr_array_index(page->lines, k);
    if (l->table >= 0 || !l->t.has_bbox || l->t.bbox[1] > t->bbox[1] + 2 || l->t.bbox[3] <= best)
      continue;
    KpUnit u = { NULL, 0 };
    gboolean whole = FALSE;
    if (units_rule_match(fam, &l->t, &u, &whole)) {
      best = l->t.bbox[3];
      unit_clear(out);
      *out = u;
      found = TRUE;
    }
  }
  /* text between the caption and the table ends the caption's reach */
  for (guint k = 0; found && k < page->lines->len; k++) {
    KpLine *l = g_ptr_array_index(page->lines, k);
    if (l->table >= 0 || !l->t.has_bbox || l->t.bbox[1] < best - 1 || l->t.bbox[3] > t->bbox[1] + 2)
      continue;
    if (g_utf8_strlen(kp_text_squeezed(&l->t), -1) > KP_MAX_NOTE_CHARS) {
      unit_clear(out);
      found = FALSE;
    }
  }
  return found;
}

/* The layout of a table: the texts of its header rows, squeezed, cell by
 * cell in row order with their row and column ("0:1:事業名\t…"); NULL
 * for a table without header rows (nothing to recognise it by). */
static char *header_signature(const KpTable *t)
{
  if (t->header_rows <= 0)
    return NULL;
  GString *sig = g_string_new(NULL);
  for (guint c = 0; c < t->cells->len; c++) {
    const KpCell *cell = g_ptr_array_index(t->cells, c);
    if (cell->row >= t->header_rows)
      continue;
    g_string_append_printf(sig, "%d:%d:%s\t", cell->row, cell->col, kp_text_squeezed(&cell->t));
  }
  return g_string_free(sig, FALSE);
}

/* Finds the units of ctx->table (the table's, its columns', the unit
 * column or units row) and keeps the table's for a continuation; clear
 * them with kp_table_units_clear(). */
void kp_table_units(TableCtx *ctx)
{
  Stream *st = ctx->p->st;
  KpFamily *fam = st->family;
  const KpTable *t = ctx->table;
  ctx->unit_col = -1;
  ctx->units_row = -1;
  ctx->col_unit = g_new0(KpUnit, (gsize)MAX(1, t->ncols));
  memset(&ctx->unit, 0, sizeof ctx->unit);
  gboolean found = FALSE;
  int head_rows = MAX(t->header_rows, 3);

  for (guint c = 0; c < t->cells->len; c++) {
    KpCell *cell = g_ptr_array_index(t->cells, c);
    KpUnit u = { NULL, 0 };
    gboolean whole = FALSE;
    if (units_rule_match(fam, &cell->t, &u, &whole) && (whole || cell->row >= head_rows)) {
      if (!found) {
        ctx->unit = u;
        found = TRUE;
        continue;
      }
    } else if ((u.word || (cell->row < head_rows && trailing_unit(cell->t.text, &u))) && cell->row < head_rows) {
      /* a header cell's own unit: its columns */
      for (int k = cell->col; k < cell->col + cell->colspan && k < t->ncols; k++)
        if (ctx->col_unit[k].word == NULL) {
          ctx->col_unit[k].word = g_strdup(u.word);
          ctx->col_unit[k].scale = u.scale;
        }
    }
    unit_clear(&u);
  }
  gboolean captioned = FALSE;
  if (!found && fam->section[KP_SEC_UNITS]->len > 0)
    found = captioned = caption_unit(fam, ctx->page, t, &ctx->unit);
  if (!found && ctx->first_on_page && st->pending_unit)
    found = captioned = unit_parse(st->pending_unit, FALSE, &ctx->unit);
  g_autofree char *sig = header_signature(t);
  if (captioned) {
    /* the caption now in force, for the later tables of this layout */
    g_free(st->layout_unit);
    st->layout_unit = g_strdup(ctx->unit.word);
    st->layout_unit_scale = ctx->unit.scale;
    g_free(st->layout_sig);
    st->layout_sig = g_steal_pointer(&sig);
  } else if (!found && !t->continued && sig && st->layout_unit && g_strcmp0(sig, st->layout_sig) == 0) {
    ctx->unit.word = g_strdup(st->layout_unit);
    ctx->unit.scale = st->layout_unit_scale;
    found = TRUE;
  }
  if (found) {
    g_free(st->unit);
    st->unit = g_strdup(ctx->unit.word);
    st->unit_scale = ctx->unit.scale;
  } else if (t->continued && st->unit) {
    ctx->unit.word = g_strdup(st->unit);
    ctx->unit.scale = st->unit_scale;
  } else {
    g_clear_pointer(&st->unit, g_free);
    st->unit_scale = 0;
  }

  /* a unit column (header 単位, units below) or a units row (first cell
   * 単位, units beside it) */
  for (int r = 0; r < MIN(t->nrows, head_rows); r++)
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || cell->row != r || cell->col != c || strcmp(kp_text_squeezed(&cell->t), "単位") != 0)
        continue;
      int below = 0, beside = 0;
      /* which way the units lie: count the cells that are units by
       * themselves (a money unit, %, a counting word), not any short word */
      for (int rr = r + cell->rowspan; rr < t->nrows; rr++) {
        KpCell *x = kp_table_at(t, rr, c);
        KpUnit u = { NULL, 0 };
        if (x && unit_parse(x->t.text, TRUE, &u))
          below++;
        unit_clear(&u);
      }
      for (int cc = c + cell->colspan; cc < t->ncols; cc++) {
        KpCell *x = kp_table_at(t, r, cc);
        KpUnit u = { NULL, 0 };
        if (x && unit_parse(x->t.text, TRUE, &u))
          beside++;
        unit_clear(&u);
      }
      if (below >= beside && below > 0 && ctx->unit_col < 0) {
        ctx->unit_col = c;
      } else if (beside > 0 && ctx->units_row < 0) {
        ctx->units_row = r;
        for (int cc = c + cell->colspan; cc < t->ncols; cc++) {
          KpCell *x = kp_table_at(t, r, cc);
          KpUnit u = { NULL, 0 };
          if (x && ctx->col_unit[cc].word == NULL && unit_parse(x->t.text, FALSE, &u))
            ctx->col_unit[cc] = u;
        }
      }
    }
}

/* Frees what kp_table_units() found. */
void kp_table_units_clear(TableCtx *ctx)
{
  for (int c = 0; ctx->col_unit && c < ctx->table->ncols; c++)
    unit_clear(&ctx->col_unit[c]);
  g_clear_pointer(&ctx->col_unit, g_free);
  unit_clear(&ctx->unit);
}

/* The unit of slot (row, col): the column's, the row's, the table's.  The
 * word is borrowed from the context, or (a row unit) from `scratch`,
 * which the caller clears. */
static KpUnit cell_unit(const TableCtx *ctx, int row, int col, KpUnit *scratch)
{
  if (col >= 0 && col < ctx->table->ncols && ctx->col_unit[col].word)
    return ctx->col_unit[col];
  if (ctx->unit_col >= 0 && col != ctx->unit_col) {
    KpCell *x = kp_table_at(ctx->table, row, ctx->unit_col);
    if (x && unit_parse(x->t.text, FALSE, scratch))
      return *scratch;
  }
  return ctx->unit;
}

/* The value of a table cell in the unit of its column, row or table (see
 * the top of this file); FALSE if it holds none. */
gboolean kp_cell_value(const TableCtx *ctx, const KpCell *cell, int row, int col, double *value,
                       const char **unit, char **unit_owned)
{
  KpUnit scratch = { NULL, 0 };
  KpUnit u = cell_unit(ctx, row, col, &scratch);
  gboolean ok = kp_measure_value(&cell->t, 0, -1, u.scale, value, unit, unit_owned);
  if (ok && kp_is_duration(*unit)) {
    ok = FALSE; /* a period alone ("1年間収録し…") is no value */
    *unit = NULL;
  }
  if (ok && *unit == NULL && u.word && u.scale == 0) {
    /* "千人", "万件": a count in thousands is a count */
    static const struct { const char *prefix; double scale; } mult[] = { { "千", 1e3 }, { "万", 1e4 } };
    const char *w = u.word;
    for (gsize i = 0; i < G_N_ELEMENTS(mult); i++)
      if (g_str_has_prefix(w, mult[i].prefix) && w[strlen(mult[i].prefix)] != '\0') {
        *value *= mult[i].scale;
        w += strlen(mult[i].prefix);
        break;
      }
    *unit_owned = g_strdup(w);
    *unit = *unit_owned;
  }
  g_free(scratch.word);
  return ok;
}

/* TRUE if the cell is a unit: in the unit column or units row, or a unit
 * by itself (人, 千円, %). */
gboolean kp_is_unit_cell(const TableCtx *ctx, const KpCell *cell)
{
  if (cell->col == ctx->unit_col || cell->row == ctx->units_row)
    return TRUE;
  KpUnit u = { NULL, 0 };
  gboolean is = unit_parse(cell->t.text, TRUE, &u);
  unit_clear(&u);
  return is;
}
