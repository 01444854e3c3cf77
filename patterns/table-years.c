/*
 * table-years.c — header cells that name fiscal years ("R6", "令和7年度",
 * "R5実績", "令和6年度決算"): the columns of schedules, budgets, measures
 * and series.  The year always comes from the header cell, never from a
 * pattern.  Also the kind (plan, actual) and the record of a schedule read
 * under such a header.  Part of the parse engine (tables.h).
 */
#include "patterns/tables.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* Frees what kp_year_columns() found and marks `yc` empty. */
void kp_year_columns_clear(KpYearCols *yc)
{
  for (int c = 0; yc->head && c < yc->ncols; c++)
    g_free(yc->head[c]);
  g_free(yc->head);
  g_free(yc->fy);
  g_free(yc->rule);
  memset(yc, 0, sizeof *yc);
  yc->row = yc->header_end = -1;
}

/* Finds, in rows first_row..last_row of `t`, the first row with at least
 * `min` cells naming a fiscal year (and, unless `section` is KP_SEC_TOP,
 * matched by a `dir` rule of that section).  A year cell spanning columns
 * gives its year to each.  Fills `yc` (cleared first; clear it after) and
 * returns TRUE, or FALSE when no row qualifies. */
gboolean kp_year_columns(KpFamily *fam, const KpTable *t, KpSection section, KpDirective dir,
                         int first_row, int last_row, int min, KpYearCols *yc)
{
  memset(yc, 0, sizeof *yc);
  yc->row = yc->header_end = -1;
  yc->ncols = t->ncols;
  yc->fy = g_new0(gint64, (gsize)MAX(1, t->ncols));
  yc->rule = g_new0(const KpRule *, (gsize)MAX(1, t->ncols));
  yc->head = g_new0(char *, (gsize)MAX(1, t->ncols));
  for (int r = MAX(0, first_row); r <= last_row && r < t->nrows && yc->row < 0; r++) {
    int n = 0;
    memset(yc->fy, 0, sizeof(gint64) * (gsize)MAX(1, t->ncols));
    memset(yc->rule, 0, sizeof(gpointer) * (gsize)MAX(1, t->ncols));
    for (int c = 0; c < t->ncols; c++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell == NULL || cell->row != r || cell->col != c)
        continue;
      const char *sq = kp_text_squeezed(&cell->t);
      if (*sq == '\0' || g_utf8_strlen(sq, -1) > KP_MAX_YEAR_HEADER_CHARS)
        continue;
      gint64 fy = kp_label_fiscal_year(&cell->t);
      if (fy == 0)
        continue;
      const KpRule *rule = NULL;
      if (section != KP_SEC_TOP && (rule = kp_rule_for_text(fam, section, dir, &cell->t, NULL)) == NULL)
        continue;
      for (int k = c; k < c + cell->colspan && k < t->ncols; k++) {
        yc->fy[k] = fy;
        yc->rule[k] = rule;
      }
      n++;
    }
    if (n >= min && n > 0)
      yc->row = r;
  }
  if (yc->row < 0) {
    kp_year_columns_clear(yc);
    return FALSE;
  }
  yc->header_end = MAX(yc->row, t->header_rows - 1);
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, yc->row, c);
    if (cell)
      yc->header_end = MAX(yc->header_end, cell->row + cell->rowspan - 1);
  }
  /* the header text of each column, top to bottom ("令和6年度" over "目標") */
  for (int c = 0; c < t->ncols; c++) {
    GString *h = g_string_new(NULL);
    KpCell *prev = NULL;
    for (int r = 0; r <= yc->header_end && r < t->nrows; r++) {
      KpCell *cell = kp_table_at(t, r, c);
      if (cell && cell != prev)
        g_string_append(h, kp_text_squeezed(&cell->t));
      prev = cell;
    }
    yc->head[c] = g_string_free(h, FALSE);
    if (yc->fy[c])
      yc->n++;
  }
  return TRUE;
}

/* The `kind` member of a schedule record of kind `kind`. */
const char *kp_schedule_kind_name(KpScheduleKind kind)
{
  static const char *const names[KP_SCHED_N] = { "plan", "actual" };
  return kind >= 0 && kind < KP_SCHED_N ? names[kind] : "plan";
}

/* The kind of the schedules a `schedule` rule reads from a header or row
 * label `label` (squeezed or as printed): the rule's kind= option, else
 * actual when `label` contains its actual= word (default 実績), else plan. */
KpScheduleKind kp_schedule_kind(const KpRule *rule, const char *label)
{
  const char *kind = kp_rule_opt(rule, KP_OPT_KIND);
  if (kind)
    return strcmp(kind, "actual") == 0 ? KP_SCHED_ACTUAL : KP_SCHED_PLAN;
  const char *word = kp_rule_opt(rule, KP_OPT_ACTUAL);
  return label && strstr(label, word ? word : "実績") ? KP_SCHED_ACTUAL : KP_SCHED_PLAN;
}

/* A new schedule record (type, item to be set by kp_item_add_after(),
 * fiscal_year, kind, text, page, bbox of `cell` when it has one): `text`
 * is the cell as printed, trimmed, its line breaks kept. */
JsonObject *kp_schedule_new(gint64 fy, KpScheduleKind kind, const char *text, int page, const KpText *cell)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "schedule");
  json_object_set_null_member(o, "item"); /* first, so --explain's cut line shows it */
  json_object_set_int_member(o, "fiscal_year", fy);
  json_object_set_string_member(o, "kind", kp_schedule_kind_name(kind));
  g_autofree char *txt = kp_value_text(text);
  json_object_set_string_member(o, "text", txt);
  json_object_set_int_member(o, "page", page);
  if (cell && cell->has_bbox)
    kk_json_set_bbox(o, "bbox", cell->bbox);
  return o;
}
