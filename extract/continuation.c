/*
 * continuation.c — header rows and tables that run over a page break.
 *
 * Extract streams page by page, so a page only remembers a small signature
 * of its last table (column boundaries and first rows).  The first table of
 * the next page continues it when it starts at the top of its page, the
 * previous one ended at the bottom of its page, and their columns line up;
 * its leading rows that repeat the previous table's first rows are its
 * header rows, which parse drops when it joins the fragments.
 */
#include "extract/geom.h"

#include <math.h>
#include <string.h>

#define SIG_ROWS 5
#define MAX_HEADER_ROWS 5

char *kk_page_table_row_signature(const KkPageTable *t, guint row)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != row)
      continue;
    if (s->len > 0 || c->col > 0)
      g_string_append_c(s, '\t');
    const char *p = c->text ? c->text->str : "";
    for (; *p; p = g_utf8_next_char(p)) {
      gunichar ch = g_utf8_get_char(p);
      if (!g_unichar_isspace(ch) && ch != 0x3000)
        g_string_append_unichar(s, ch);
    }
  }
  return g_string_free(s, FALSE);
}

void kk_page_table_sig_clear(KkPageTableSig *sig)
{
  g_free(sig->xs);
  if (sig->first_rows)
    g_strfreev(sig->first_rows);
  g_strfreev(sig->head);
  g_free(sig->page_first_row);
  memset(sig, 0, sizeof *sig);
}

/* `s` without whitespace and digits: a running head compared page to page
 * (its page or section number may change). */
static char *head_key(const char *s)
{
  GString *k = g_string_new(NULL);
  for (; *s; s = g_utf8_next_char(s)) {
    gunichar ch = g_utf8_get_char(s);
    if (!g_unichar_isspace(ch) && !g_unichar_isdigit(ch))
      g_string_append_unichar(k, ch);
  }
  return g_string_free(k, FALSE);
}

void kk_page_table_sig_set_page(KkPageTableSig *sig, const KkPageTable *first, const KkPageTable *last,
                                gboolean at_bottom, const char *const *head)
{
  kk_page_table_sig_set(sig, last, at_bottom);
  if (head != NULL) {
    guint n = g_strv_length((char **)head);
    sig->head = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++)
      sig->head[i] = head_key(head[i]);
  }
  if (first != last && !first->continued_from_previous && first->n_rows > 0)
    sig->page_first_row = kk_page_table_row_signature(first, 0);
}

void kk_page_table_sig_set(KkPageTableSig *sig, const KkPageTable *t, gboolean at_bottom)
{
  /* A continued table keeps the first rows of the table it continues: the
   * next page repeats (or not) the header of the whole table. */
  gboolean keep = t->continued_from_previous && sig->valid && sig->first_rows;
  char **first_rows = keep ? sig->first_rows : NULL;
  guint n_first = keep ? sig->n_first : 0, header_rows = keep ? sig->header_rows : t->header_rows;
  if (keep)
    sig->first_rows = NULL;
  kk_page_table_sig_clear(sig);
  sig->valid = TRUE;
  sig->ruled = t->ruled;
  sig->at_bottom = at_bottom;
  sig->n_cols = t->n_cols;
  sig->xs = g_memdup2(t->xs, (t->n_cols + 1) * sizeof(double));
  sig->header_rows = header_rows;
  if (keep) {
    sig->first_rows = first_rows;
    sig->n_first = n_first;
    return;
  }
  sig->n_first = MIN(t->n_rows, SIG_ROWS);
  sig->first_rows = g_new0(char *, sig->n_first + 1);
  for (guint r = 0; r < sig->n_first; r++)
    sig->first_rows[r] = kk_page_table_row_signature(t, r);
}

/* True when `s` holds a digit of any script. */
static gboolean has_digit(const char *s)
{
  for (; *s; s = g_utf8_next_char(s))
    if (g_unichar_isdigit(g_utf8_get_char(s)))
      return TRUE;
  return FALSE;
}

/* True when `s` reads as a sentence rather than a column's name: long,
 * or ending a clause with 。 */
static gboolean sentence(const char *s)
{
  return g_utf8_strlen(s, -1) > 32 || strstr(s, "。") != NULL;
}

/* Row r: every cell in it has text, none has a digit or is a sentence. */
static gboolean header_like(const KkPageTable *t, guint r, gboolean *spans)
{
  guint n = 0;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != r)
      continue;
    const char *s = c->text ? c->text->str : "";
    if (has_digit(s) || sentence(s))
      return FALSE;
    if (c->colspan > 1)
      *spans = TRUE;
    n++;
  }
  return n >= 2;
}


/* Fonts used in the rows [from, to). */
static guint64 row_fonts(const KkPageTable *t, guint from, guint to)
{
  guint64 m = 0;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row >= from && c->row < to)
      m |= t->cell_fonts[i];
  }
  return m;
}

/* Numbers that name a column rather than give a value: years (平成21年度,
 * 2010年, (2015), R5), fiscal years (30年度), months, and a cell that is
 * only an ordinal (第3回: the columns of successive revisions) or a grade
 * (1級: the columns of a salary scale). */
static GRegex *label_numbers(void)
{
  static GRegex *re = NULL;
  if (g_once_init_enter(&re)) {
    GRegex *r = g_regex_new(
        "(*UCP)(?:明治|大正|昭和|平成|令和|[MTSHR]\\.?)\\s*(?:元|\\d{1,2})\\s*(?:年\\s*度?|$)"
        "|[(（]?(?:19|20)\\d\\d[)）]?\\s*(?:年\\s*度?)?"
        "|\\d{1,2}\\s*年\\s*度"
        "|^\\s*第\\s*\\d+\\s*[回期次号]\\s*$"
        "|^\\s*\\d{1,2}\\s*級\\s*$"
        "|\\d{1,2}\\s*(?:月|四半期)",
        G_REGEX_OPTIMIZE, 0, NULL);
    g_once_init_leave(&re, r);
  }
  return re;
}

/* True when `s` holds a digit that is a value, not part of a year, fiscal
 * year, ordinal or month naming a column. */
static gboolean has_value_digit(const char *s)
{
  if (!has_digit(s))
    return FALSE;
  g_autofree char *rest = g_regex_replace_literal(label_numbers(), s, -1, 0, "", 0, NULL);
  return rest == NULL || has_digit(rest);
}

/* Row r of a header: the cells starting in it are short (a column's name,
 * not a sentence) and hold no value digit; at least two of them hold text,
 * or one that spans columns (a group heading) or is a units note
 * (（単位：千円）).  A row whose only year sits beside other text in
 * unspanned cells is a timeline's entry (平成9年 | 開通), not a header. */
static gboolean header_row(const KkPageTable *t, guint r)
{
  guint filled = 0, years = 0;
  gboolean units = FALSE, spans = FALSE, year_spans = FALSE, full_width = FALSE;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != r || c->text == NULL || c->text->len == 0)
      continue;
    const char *s = c->text->str;
    if (has_value_digit(s) || sentence(s))
      return FALSE;
    filled++;
    units = units || strstr(s, "単位") != NULL;
    spans = spans || c->colspan > 1;
    full_width = full_width || c->colspan == t->n_cols;
    if (has_digit(s)) {
      years++;
      year_spans = year_spans || c->colspan > 1;
    }
  }
  if (years == 1 && filled > 1 && !year_spans)
    return FALSE;
  /* below the first row, one cell across the whole table is a section of
   * the body (歳入 over its rows), not a level of the header */
  if (r > 0 && filled == 1 && full_width && !units)
    return FALSE;
  return filled >= 2 || (filled == 1 && (units || spans));
}

/* A cell that is only a grade (1級). */
static gboolean grade_cell(const char *s)
{
  static GRegex *re = NULL;
  if (g_once_init_enter(&re)) {
    GRegex *r = g_regex_new("(*UCP)^\\s*\\d{1,2}\\s*級\\s*$", G_REGEX_OPTIMIZE, 0, NULL);
    g_once_init_leave(&re, r);
  }
  return g_regex_match(re, s, 0, NULL);
}

/* The cells of row r that are numbered names (years, fiscal years, grades,
 * rounds: 平成21年度, R5, 1級, 第3回): two or more make the row an axis.
 * Grades count only over two rows or more (the posts of each grade, row
 * by row): over a single row of words nothing tells names from a record
 * (区分 | 1級 | 2級 over 一般行政職 | 主事補 | 主事), while years over one
 * row are a schedule. */
static guint year_cells(const KkPageTable *t, guint r)
{
  gboolean grades = t->n_rows >= r + 3;
  guint n = 0;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row == r && c->text && has_digit(c->text->str) && !has_value_digit(c->text->str) &&
        (grades || !grade_cell(c->text->str)))
      n++;
  }
  return n;
}

/* True when a cell starting in rows [from, to) gives a value: a digit that
 * is no year, in a cell that is no prose (a number inside sentences,
 * "係員1名分の給与は…。", is no column's value). */
static gboolean values_in(const KkPageTable *t, guint from, guint to)
{
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row >= from && c->row < to && c->text && has_value_digit(c->text->str) &&
        strstr(c->text->str, "。") == NULL)
      return TRUE;
  }
  return FALSE;
}

/* Row r repeats one short unit (千円, 円, ％) in two or more cells and
 * holds nothing else. */
static gboolean units_row(const KkPageTable *t, guint r)
{
  const char *unit = NULL;
  guint n = 0;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != r || c->text == NULL || c->text->len == 0)
      continue;
    if (has_digit(c->text->str) || g_utf8_strlen(c->text->str, -1) > 4 ||
        (unit != NULL && strcmp(unit, c->text->str) != 0))
      return FALSE;
    unit = c->text->str;
    n++;
  }
  return n >= 2;
}

/* Row 0 is the upper level of a two-level header: a cell spanning columns
 * that row 1 divides (委員の賛否 over the members' names) beside cells that
 * span down through row 1 (議案番号, 結果). */
static gboolean two_levels(const KkPageTable *t)
{
  gboolean down = FALSE, divided = FALSE;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != 0)
      continue;
    down = down || c->rowspan >= 2;
    for (guint k = 0; k < t->cells->len && c->colspan > 1 && c->rowspan == 1 && !divided; k++) {
      const KkCell *b = &g_array_index(t->cells, KkCell, k);
      divided = b->row == 1 && b->col > c->col && b->col < c->col + c->colspan;
    }
  }
  return down && divided;
}

/* The header block: the leading rows that name columns (words, years,
 * units), closed under the cells that span down from them, when a value
 * (a digit that is no year, outside prose) follows or its first two rows
 * are the two levels of one header; else its first row
 * alone when it names two years, grades or rounds (a schedule: years over
 * what is done in each; a blank form under 第3回 | 第4回), or all rows when
 * only a units row follows (a blank form).  0 when there is none. */
static guint header_block(const KkPageTable *t)
{
  guint k = 0, limit = MIN(MAX_HEADER_ROWS, t->n_rows - 1);
  while (k < limit && header_row(t, k))
    k++;
  if (k == 0)
    return 0;
  for (guint i = 0; i < t->cells->len; i++) { /* cells spanning down */
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row < k && c->row + c->rowspan > k)
      k = c->row + c->rowspan;
  }
  if (k > limit)
    return 0;
  if (values_in(t, k, t->n_rows))
    return k;
  /* a blank form: below the names only a units row (千円 | 千円 | …) */
  gboolean blank = TRUE;
  for (guint r = k; r < t->n_rows && blank; r++)
    blank = units_row(t, r);
  if (blank)
    return t->n_rows;
  if (k >= 2 && two_levels(t))
    return k;
  if (year_cells(t, 0) >= 2) { /* the axis alone: rows of text below may be names too */
    guint axis = 1;
    for (guint i = 0; i < t->cells->len; i++) {
      const KkCell *c = &g_array_index(t->cells, KkCell, i);
      if (c->row == 0)
        axis = MAX(axis, c->rowspan);
    }
    return axis;
  }
  return 0;
}

/* A cross table's corner: row 0 starts with an empty cell, its other cells
 * all hold words, one of them spans columns the rows below divide (an
 * event over its rank and time), and every row below has a label in the
 * first column (a cell of its own or one spanning down). */
static gboolean corner_header(const KkPageTable *t)
{
  if (t->n_cols < 2 || t->cell_of[0] < 0)
    return FALSE;
  const KkCell *corner = &g_array_index(t->cells, KkCell, t->cell_of[0]);
  if (corner->rowspan != 1 || (corner->text && corner->text->len > 0))
    return FALSE;
  gboolean divided = FALSE;
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row != 0 || c == corner)
      continue;
    gboolean word = FALSE;
    for (const char *p = c->text ? c->text->str : ""; *p && !word; p = g_utf8_next_char(p))
      word = g_unichar_isalpha(g_utf8_get_char(p));
    if (!word || c->rowspan != 1)
      return FALSE;
    for (guint k = 0; k < t->cells->len && !divided; k++) {
      const KkCell *b = &g_array_index(t->cells, KkCell, k);
      divided = b->row > 0 && b->col > c->col && b->col < c->col + c->colspan;
    }
  }
  if (!divided)
    return FALSE;
  for (guint r = 1; r < t->n_rows; r++) {
    gint k = t->cell_of[(gsize)r * t->n_cols];
    if (k < 0)
      return FALSE;
    const KkCell *label = &g_array_index(t->cells, KkCell, k);
    if (label->row == 0 || label->text == NULL || label->text->len == 0)
      return FALSE;
  }
  return TRUE;
}

/* A card: every row below the first holds a value that starts in column
 * 1 and runs over columns the first row fills separately (所管部署 | 広報課
 * | 取組番号 | A-01 over 取組名称 | one value): the first row is a label
 * and value pair like the others, not names of columns. */
static gboolean card_rows(const KkPageTable *t)
{
  if (t->n_cols < 3 || t->n_rows < 2)
    return FALSE;
  gint first = t->cell_of[1];
  for (guint r = 1; r < t->n_rows; r++) {
    gint k = t->cell_of[(gsize)r * t->n_cols + 1];
    if (k < 0)
      return FALSE;
    const KkCell *c = &g_array_index(t->cells, KkCell, k);
    if (c->row != r || c->colspan < 2 || t->cell_of[c->colspan] == first)
      return FALSE;
  }
  return TRUE;
}

guint kk_guess_header_rows(const KkPageTable *t)
{
  if (t->n_rows < 2 || card_rows(t))
    return 0;
  if (t->cell_fonts) {
    guint best = 0;
    for (guint k = 1; k <= 3 && k < t->n_rows; k++) {
      guint64 head = row_fonts(t, 0, k), body = row_fonts(t, k, t->n_rows);
      /* each header row must have text of its own */
      gboolean filled = TRUE;
      for (guint r = 0; r < k && filled; r++)
        filled = row_fonts(t, r, r + 1) != 0;
      if (filled && head && body && (head & body) == 0)
        best = k;
    }
    if (best > 0)
      return best;
  }
  guint block = header_block(t);
  if (block > 0)
    return block;
  if (corner_header(t))
    return 1;
  if (t->n_rows < 3)
    return 0;
  /* a cross table: a full first row over rows that only have their label
   * (the scale of a rating chart, years down the side) */
  gboolean first_full = TRUE, others_full = FALSE, labels = TRUE;
  for (guint r = 0; r < t->n_rows; r++) {
    gboolean full = TRUE;
    for (guint i = 0; i < t->cells->len; i++) {
      const KkCell *c = &g_array_index(t->cells, KkCell, i);
      if (c->row != r)
        continue;
      gboolean empty = c->text == NULL || c->text->len == 0;
      full = full && !empty;
      if (r > 0 && c->col == 0 && empty)
        labels = FALSE;
    }
    if (r == 0)
      first_full = full;
    else
      others_full = others_full || full;
  }
  if (first_full && !others_full && labels && t->n_cols >= 3)
    return 1;
  gboolean spans = FALSE;
  if (!header_like(t, 0, &spans))
    return 0;
  /* every cell of the first row must hold text */
  for (guint c = 0; c < t->n_cols; c++) {
    gint k = t->cell_of[c];
    if (k < 0)
      return 0;
    const KkCell *cell = &g_array_index(t->cells, KkCell, k);
    if (cell->text == NULL || cell->text->len == 0)
      return 0;
  }
  gboolean spans2 = FALSE;
  if (spans && t->n_rows > 3 && header_like(t, 1, &spans2) && values_in(t, 2, 3))
    return 2;
  return values_in(t, 1, 3) ? 1 : 0;
}

/* Column boundaries agree: the same outer edges, and the inner boundaries
 * of one table are among those of the other (a card split by a page break
 * may go on with rows that use fewer columns).  Ruled tables are drawn from
 * one template; unruled ones only roughly line up. */
static gboolean has_boundary(const double *xs, guint n, double x, double tol)
{
  for (guint i = 0; i <= n; i++)
    if (fabs(xs[i] - x) <= tol)
      return TRUE;
  return FALSE;
}

static gboolean columns_match(const KkPageTable *t, const KkPageTableSig *prev)
{
  if (t->ruled != prev->ruled)
    return FALSE;
  double tol = t->ruled ? 4.0 : 24.0;
  if (t->ruled && (fabs(t->xs[0] - prev->xs[0]) > tol ||
                   fabs(t->xs[t->n_cols] - prev->xs[prev->n_cols]) > tol))
    return FALSE;
  if (!t->ruled && t->n_cols != prev->n_cols)
    return FALSE;
  gboolean t_in_prev = TRUE, prev_in_t = TRUE;
  for (guint c = 1; c < t->n_cols; c++)
    t_in_prev = t_in_prev && has_boundary(prev->xs, prev->n_cols, t->xs[c], tol);
  for (guint c = 1; c < prev->n_cols; c++)
    prev_in_t = prev_in_t && has_boundary(t->xs, t->n_cols, prev->xs[c], tol);
  return t_in_prev || prev_in_t;
}

/* Splits a row signature into its cells. */
static char **sig_cells(const char *sig)
{
  return g_strsplit(sig, "\t", -1);
}

/* Row signatures `sa` and `sb` have the same cells and share some texts
 * (the labels of a card) but not all of them (the values differ). */
static gboolean same_template(const char *sa, const char *sb)
{
  g_auto(GStrv) a = sig_cells(sa);
  g_auto(GStrv) b = sig_cells(sb);
  guint na = g_strv_length(a), nb = g_strv_length(b), same = 0, filled = 0;
  if (na != nb || na < 2)
    return FALSE;
  for (guint i = 0; i < na; i++) {
    if (a[i][0] == '\0' && b[i][0] == '\0')
      continue;
    filled++;
    if (strcmp(a[i], b[i]) == 0)
      same++;
  }
  return same > 0 && same < filled;
}

/* A table that starts like a new record of the same template: its first
 * row is like the first row of the table it would continue, or like that
 * of the previous page's first table (a page per record: the page repeats
 * the previous one's layout). */
static gboolean new_record(const KkPageTable *t, const KkPageTableSig *prev)
{
  if (t->n_rows == 0)
    return FALSE;
  g_autofree char *first = kk_page_table_row_signature(t, 0);
  return (prev->n_first > 0 && same_template(first, prev->first_rows[0])) ||
         (prev->page_first_row != NULL && same_template(first, prev->page_first_row));
}

/* A line of `head` (texts above the table) that was not above the previous
 * page's first table: a heading of a new table, not a running head. */
static gboolean new_heading(const char *const *head, const KkPageTableSig *prev)
{
  if (head == NULL || prev->head == NULL)
    return FALSE;
  for (guint i = 0; head[i]; i++) {
    g_autofree char *k = head_key(head[i]);
    if (k[0] != '\0' && !g_strv_contains((const char *const *)prev->head, k))
      return TRUE;
  }
  return FALSE;
}

void kk_page_table_link(KkPageTable *t, gboolean at_top, const KkPageTableSig *prev)
{
  kk_page_table_link_page(t, at_top, NULL, prev);
}

void kk_page_table_link_page(KkPageTable *t, gboolean at_top, const char *const *head,
                             const KkPageTableSig *prev)
{
  t->continued_from_previous = FALSE;
  if (prev == NULL || !prev->valid || !prev->at_bottom || !at_top || !columns_match(t, prev) ||
      new_record(t, prev) || new_heading(head, prev)) {
    t->header_rows = kk_guess_header_rows(t);
    return;
  }
  t->continued_from_previous = TRUE;
  guint repeated = 0;
  while (repeated < prev->n_first && repeated + 1 < t->n_rows) {
    g_autofree char *sig = kk_page_table_row_signature(t, repeated);
    if (sig[0] == '\0' || strcmp(sig, prev->first_rows[repeated]) != 0)
      break;
    repeated++;
  }
  /* only rows that were a header there can repeat here */
  if (prev->header_rows > 0)
    repeated = MIN(repeated, MAX(prev->header_rows, 1u));
  /* a table with a header goes on without one or under the same one: a
   * header of its own starts another table */
  guint own = repeated == 0 && prev->header_rows > 0 ? kk_guess_header_rows(t) : 0;
  if (own > 0) {
    t->continued_from_previous = FALSE;
    repeated = own;
  }
  t->header_rows = repeated;
}
