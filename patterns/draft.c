/*
 * draft.c — `keikaku patterns draft FILE.pdf|PAGES.jsonl`: writes a first
 * pattern file for a layout keikaku does not know, for a person to edit.
 *
 * It reads the document's first pages (a PDF is extracted and normalized
 * here, a pages stream is normalized if it is not yet) and looks at the
 * structure of its tables, not at their content:
 *   cards   short label cells with a value beside them, seen on several
 *           tables: [card] start/label rules, the number, name and
 *           department labels given as=;
 *   lists   a header row over rows whose first cell is a number: [list]
 *           header/column rules, and a schedule rule for header cells that
 *           name fiscal years;
 *   grids   a table with fiscal years across its header row and rows of
 *           words under them (計画 / 実績): [card] schedule rules for the
 *           row labels (kind=actual for 実績, 結果), never role rules;
 *   roles   cells that are 目標(値) / 基準(値) / 現状(値) / 実績(値), maybe with
 *           a (unit) or (year): [measures] role rules for the roles seen,
 *           anchored to the whole cell; in a list only header cells count,
 *           and the header left of a role column becomes its label=; a
 *           grid's row labels are no roles;
 *   money   cells naming kinds of money (事業費, 一般財源 …): [budget];
 *   series  a table whose header row holds two or more fiscal years and
 *           that is no list and no grid: [series];
 *   units   a 単位：千円 caption (line or cell): [units], only when seen.
 * Every regex is the label itself, escaped (g_regex_escape_string), so
 * the draft is exact and the person generalises it.
 */
#include "patterns/draft.h"
#include "patterns/engine.h"
#include "patterns/tables.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

#include <stdio.h>
#include <string.h>

/* The [units] rule a draft proposes; written only when a line or cell of
 * the document matches it. */
#define UNITS_RE "単位\\s*[:：]\\s*(千円|百万円|億円|万円|円)"

/* A grid's row label names a kind (計画, 実績, 見込み, 実施予定): short. */
#define KP_DRAFT_KIND_CHARS 6

/* Pages looked at, and labels kept per kind. */
#define KP_DRAFT_PAGES 60
#define KP_DRAFT_LABELS 40

typedef struct {
  int pages;
  GHashTable *labels;      /* label cell text -> count of tables */
  GPtrArray *label_order;  /* char*, first seen first */
  GHashTable *heads;       /* list header text -> count */
  GPtrArray *head_order;
  gboolean years_in_list;  /* a list header names fiscal years */
  int series_tables;
  GPtrArray *roles;        /* char*: role cells seen */
  gboolean role_kind[3];   /* roles seen: baseline, target, actual (RoleKind) */
  char *role_label[3];     /* a list's header left of that role's column
                              (目標指標 | 目標値): its measures' label column */
  gboolean units_caption;  /* a line or cell is a 単位：千円 caption */
  GRegex *units_re;        /* what such a caption looks like (UNITS_RE) */
  GPtrArray *kinds;        /* char*: row labels of schedule grids (計画, 実績) */
  GPtrArray *money;        /* char*: money cells seen */
  GPtrArray *groups;       /* char*: list headers spanning other headers */
  char *title;             /* the largest line of page 1 */
  double title_size;
} Draft;

/* Adds `text` to a counted set, keeping first-seen order. */
static void count_text(GHashTable *set, GPtrArray *order, const char *text)
{
  gpointer n = g_hash_table_lookup(set, text);
  if (n == NULL) {
    if (order->len >= 500)
      return;
    g_ptr_array_add(order, g_strdup(text));
  }
  g_hash_table_replace(set, g_strdup(text), GINT_TO_POINTER(GPOINTER_TO_INT(n) + 1));
}

/* Adds a copy of `text` unless present (at most KP_DRAFT_LABELS). */
static void add_unique(GPtrArray *a, const char *text)
{
  for (guint i = 0; i < a->len; i++)
    if (strcmp(g_ptr_array_index(a, i), text) == 0)
      return;
  if (a->len < KP_DRAFT_LABELS)
    g_ptr_array_add(a, g_strdup(text));
}

/* A label cell's look: short, no digit, no sentence. */
static gboolean looks_like_label(const char *sq)
{
  glong n = g_utf8_strlen(sq, -1);
  if (n < 2 || n > 12 || strstr(sq, "。") || strstr(sq, "、"))
    return FALSE;
  for (const char *q = sq; *q; q++)
    if (g_ascii_isdigit(*q))
      return FALSE;
  return TRUE;
}

/* The roles a drafted [measures] rule can give, in write order. */
typedef enum { ROLE_BASELINE, ROLE_TARGET, ROLE_ACTUAL, ROLE_NONE } RoleKind;

/* The role a whole cell names: 目標 / 目標値, 基準 / 基準値 / 現状 /
 * 現状値, 実績 / 実績値, each maybe followed by parenthesised words (its
 * unit or year: 目標値(R9), 実績値(千円)).  ROLE_NONE for anything else:
 * 目標指標 names an indicator, 縮減目標の設定 is a sentence. */
static RoleKind role_of(const char *sq)
{
  static const struct { const char *word; RoleKind kind; } words[] = {
    { "目標値", ROLE_TARGET }, { "目標", ROLE_TARGET }, { "基準値", ROLE_BASELINE }, { "基準", ROLE_BASELINE },
    { "現状値", ROLE_BASELINE }, { "現状", ROLE_BASELINE }, { "実績値", ROLE_ACTUAL }, { "実績", ROLE_ACTUAL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
    gsize n = strlen(words[i].word);
    if (strncmp(sq, words[i].word, n) == 0 && (sq[n] == '\0' || (sq[n] == '(' && g_str_has_suffix(sq, ")"))))
      return words[i].kind;
  }
  return ROLE_NONE;
}

/* A cell saying a role (role_of()). */
static gboolean is_role_word(const char *sq)
{
  return role_of(sq) != ROLE_NONE;
}

/* Notes a role cell: its kind, and in a list the header left of it as the
 * label column of its measures (`left`, or NULL). */
static void note_role(Draft *d, const char *sq, const char *left)
{
  RoleKind k = role_of(sq);
  if (k == ROLE_NONE)
    return;
  add_unique(d->roles, sq);
  d->role_kind[k] = TRUE;
  if (left && d->role_label[k] == NULL && role_of(left) == ROLE_NONE && strpbrk(left, " \t/") == NULL)
    d->role_label[k] = g_strdup(left);
}

/* A cell naming a kind of money (事業費, 一般財源 …). */
static gboolean is_money_word(const char *sq)
{
  static const char *const words[] = { "事業費", "予算額", "決算額", "総額", "国庫支出金", "県支出金", "地方債", "一般財源" };
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    if (g_str_has_prefix(sq, words[i]))
      return TRUE;
  return FALSE;
}

/* TRUE if `sq` (a squeezed cell) reads as a value: a figure with at most
 * a short unit after it (1,200, 45,000千円, 3,000時間, 12.5%), not words
 * that hold a number (20手続で開始). */
static gboolean looks_like_value(const char *sq)
{
  const char *q = sq;
  while (*q && (g_ascii_isdigit(*q) || strchr(",.+-()%", *q)))
    q++;
  return q != sq && g_ascii_isdigit(*sq) && g_utf8_strlen(q, -1) <= 3;
}

/* The number of cells in row `r` of `t`, from column `from` on, that name
 * a fiscal year (short header cells). */
static int year_heads(const KpTable *t, int r, int from)
{
  int years = 0;
  for (int c = from; c < t->ncols; c++) {
    KpCell *h = kp_table_at(t, r, c);
    if (h && h->row == r && h->col == c && kp_label_fiscal_year(&h->t) &&
        g_utf8_strlen(kp_text_squeezed(&h->t), -1) <= 12)
      years++;
  }
  return years;
}

/* The schedule grids of `t`: a row whose cells right of its first are two
 * or more fiscal years and nothing else (区分 | 2024年度 | 2025年度,
 * anywhere in the table: under a card's labels too), and the rows right below it labelled in column 0
 * by a short word whose cells under the years hold words, never values
 * (対象手続の選定 | 20手続で開始 | ―).  Adds each kind row's label cell to
 * `rows`, and every cell of the header and kind rows to `cells`; returns
 * how many kind rows. */
static int grid_kind_rows(const KpTable *t, GHashTable *rows, GHashTable *cells)
{
  int n = 0;
  for (int hr = 0; hr + 1 < t->nrows; hr++) {
    int heads = 0;
    for (int c = 1; c < t->ncols; c++) {
      KpCell *h = kp_table_at(t, hr, c);
      heads += h && h->row == hr && h->col == c && !kp_blank(h->t.text);
    }
    if (heads < 2 || year_heads(t, hr, 1) != heads)
      continue; /* a header row of years only, not a row holding some */
    int found = 0;
    for (int r = hr + 1; r < t->nrows; r++) {
      KpCell *lc = kp_table_at(t, r, 0);
      if (lc == NULL || lc->row != r || !looks_like_label(kp_text_squeezed(&lc->t)) ||
          kp_label_fiscal_year(&lc->t) || g_utf8_strlen(kp_text_squeezed(&lc->t), -1) > KP_DRAFT_KIND_CHARS)
        break;
      int words = 0, values = 0;
      for (int c = 1; c < t->ncols; c++) {
        KpCell *h = kp_table_at(t, hr, c), *v = kp_table_at(t, r, c);
        if (h == NULL || !kp_label_fiscal_year(&h->t) || v == NULL || v->row != r || v->col != c)
          continue;
        const char *sq = kp_text_squeezed(&v->t);
        if (*sq == '\0' || kp_cell_is_dash(v))
          continue;
        KpUnit unit = { 0 };
        if (looks_like_value(sq) || kp_unit_parse(sq, &unit) || kp_label_fiscal_year(&v->t))
          values++; /* a figure, a units row (千円 | 千円), a year */
        else
          words++;
        g_free(unit.word);
      }
      if (words == 0 || values > 0)
        break;
      g_hash_table_add(rows, lc);
      for (int c = 0; c < t->ncols; c++) {
        g_hash_table_add(cells, kp_table_at(t, r, c));
        g_hash_table_add(cells, kp_table_at(t, hr, c));
      }
      found++;
    }
    n += found;
  }
  return n;
}

/* Looks at one table of a page. */
static void look_at_table(Draft *d, const KpTable *t)
{
  if (t->nrows == 0 || t->ncols == 0)
    return;
  gboolean list = FALSE;
  g_autoptr(GHashTable) kind_cells = g_hash_table_new(NULL, NULL);
  g_autoptr(GHashTable) grid_cells = g_hash_table_new(NULL, NULL);
  /* a list: a header row of labels over rows numbered in their first cell */
  int numbered = 0, first_numbered = -1;
  for (int r = 1; r < t->nrows; r++) {
    KpCell *c = kp_table_at(t, r, 0);
    const char *sq = c ? kp_text_squeezed(&c->t) : "";
    if (*sq && strspn(sq, "0123456789.-") == strlen(sq)) {
      numbered++;
      if (first_numbered < 0)
        first_numbered = r;
    }
  }
  /* the header: the rows above the first numbered one (a two-level
   * header: 年度別計画 over R7 R8 R9), at least those extract marked */
  int hend = MAX(MAX(0, t->header_rows - 1), first_numbered - 1);
  if (numbered >= 2 && t->ncols >= 3) {
    for (int r = 0; r <= hend; r++)
      for (int c = 0; c < t->ncols; c++) {
        KpCell *cell = kp_table_at(t, r, c);
        if (cell == NULL || cell->row != r || cell->col != c)
          continue;
        const char *sq = kp_text_squeezed(&cell->t);
        if (*sq == '\0')
          continue;
        if (cell->colspan > 1 && cell->row + cell->rowspan - 1 < hend) {
          add_unique(d->groups, sq); /* over columns (年度別計画 over R7 R8 R9): labels none */
          continue;
        }
        KpCell *lc = c > 0 ? kp_table_at(t, r, c - 1) : NULL;
        if (is_role_word(sq)) {
          note_role(d, sq, lc && lc != cell ? kp_text_squeezed(&lc->t) : NULL);
          continue; /* a [measures] role rule reads it */
        }
        if (kp_label_fiscal_year(&cell->t))
          d->years_in_list = TRUE;
        else
          count_text(d->heads, d->head_order, sq);
      }
    list = TRUE;
  } else {
    /* a schedule grid (years across, 計画 / 実績 down, maybe under a
     * card's labels): its row labels are kinds of schedule, neither roles
     * nor card labels, and its header and rows no card labels */
    int kinds = grid_kind_rows(t, kind_cells, grid_cells);
    for (guint i = 0; i < t->cells->len; i++) {
      KpCell *cell = g_ptr_array_index(t->cells, i);
      if (g_hash_table_contains(kind_cells, cell))
        add_unique(d->kinds, kp_text_squeezed(&cell->t)); /* in reading order */
    }
    /* a header row naming fiscal years: a table by year (an outlook, a
     * cost or indicator table), not a card */
    int years = kinds > 0 ? 0 : year_heads(t, 0, 0);
    gboolean role_or_money = FALSE;
    for (guint i = 0; i < t->cells->len; i++) {
      const char *sq = kp_text_squeezed(&((KpCell *)g_ptr_array_index(t->cells, i))->t);
      role_or_money = role_or_money || is_role_word(sq) || is_money_word(sq);
    }
    if (years >= 2 && !role_or_money)
      d->series_tables++;
    /* cards: label cells with a value right of them */
    for (guint i = 0; i < t->cells->len && years == 0; i++) {
      KpCell *cell = g_ptr_array_index(t->cells, i);
      const char *sq = kp_text_squeezed(&cell->t);
      KpCell *right = kp_table_at(t, cell->row, cell->col + cell->colspan);
      if (looks_like_label(sq) && right && right != cell && !kp_blank(right->t.text) &&
          !is_role_word(sq) && !is_money_word(sq) && !g_hash_table_contains(grid_cells, cell))
        count_text(d->labels, d->label_order, sq);
    }
  }
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *cell = g_ptr_array_index(t->cells, i);
    const char *sq = kp_text_squeezed(&cell->t);
    if (!list && !g_hash_table_contains(kind_cells, cell))
      note_role(d, sq, NULL); /* a list's body cells are values, not roles */
    if (is_money_word(sq))
      add_unique(d->money, sq);
    if (g_regex_match(d->units_re, sq, 0, NULL))
      d->units_caption = TRUE;
  }
}

/* Looks at one normalized pages-stream object (pages up to KP_DRAFT_PAGES). */
static gboolean draft_sink(JsonObject *o, gpointer data, GError **error)
{
  Draft *d = data;
  const char *type = kk_json_string(o, "type", "");
  if (strcmp(type, "page") != 0 || d->pages >= KP_DRAFT_PAGES)
    return TRUE;
  d->pages++;
  g_autoptr(KpPage) page = kp_page_from_json(o);
  for (guint i = 0; i < page->tables->len; i++)
    look_at_table(d, g_ptr_array_index(page->tables, i));
  for (guint i = 0; i < page->lines->len && !d->units_caption; i++)
    if (g_regex_match(d->units_re, kp_text_squeezed(&((KpLine *)g_ptr_array_index(page->lines, i))->t), 0, NULL))
      d->units_caption = TRUE;
  for (guint i = 0; d->pages == 1 && i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (l->table < 0 && !kp_blank(l->t.text) && l->size > d->title_size) {
      d->title_size = l->size;
      g_free(d->title);
      d->title = g_strdup(kp_text_squeezed(&l->t));
    }
  }
  return TRUE;
}

typedef struct {
  Draft *d;
  gboolean normalize;
} Feed;

/* Normalizes a page object (extract output, or a stream not yet
 * normalized) before the drafter sees it. */
static gboolean feed_sink(JsonObject *o, gpointer data, GError **error)
{
  Feed *f = data;
  const char *type = kk_json_string(o, "type", "");
  if (strcmp(type, "document") == 0) {
    JsonNode *nz = json_object_get_member(o, "normalized");
    f->normalize = !(nz && JSON_NODE_HOLDS_VALUE(nz) && json_node_get_value_type(nz) == G_TYPE_BOOLEAN &&
                     json_node_get_boolean(nz));
    return TRUE;
  }
  if (strcmp(type, "page") == 0 && f->normalize && f->d->pages < KP_DRAFT_PAGES &&
      !kk_normalize_pages_object(o, error))
    return FALSE;
  return draft_sink(o, f->d, error);
}

/* The label escaped as a whole-cell regex. */
static char *exact(const char *text)
{
  g_autofree char *esc = g_regex_escape_string(text, -1);
  /* the pattern file's regex ends at its last '/': write '/' as \x2f */
  GString *s = g_string_new("/^");
  for (const char *q = esc; *q; q++) {
    if (*q == '/')
      g_string_append(s, "\\x2f");
    else
      g_string_append_c(s, *q);
  }
  g_string_append(s, "$/");
  return g_string_free(s, FALSE);
}

/* The as= a label suggests: number, name, department. */
static const char *guess_as(const char *label)
{
  if (strstr(label, "番号") || g_str_has_prefix(label, "No") || strcmp(label, "NO") == 0)
    return "item_no";
  if (g_str_has_suffix(label, "名") && !strstr(label, "担当"))
    return "title";
  if (strstr(label, "担当") || strstr(label, "所管") || g_str_has_suffix(label, "課"))
    return "department";
  return NULL;
}

/* Writes the pattern file. */
static void write_draft(Draft *d, const char *source, const char *id, gboolean from_file, FILE *out)
{
  fprintf(out, "# %s — drafted by `keikaku patterns draft` from %s.\n", id, source);
  fprintf(out, "# A first draft for a person to edit: every regex is one label as printed;\n"
               "# make them say the structure (see patterns/README.md), then run\n"
               "# keikaku parse --explain and keikaku patterns check on the document.\n");
  if (from_file)
    fprintf(out, "# The family id below is the file's name: rename it to say the kind of\n"
                 "# document (reform-list, kpi-table …); gold files must name the same id.\n");
  fprintf(out, "family %s\nname   %s\n\n[recognise]\n", id, d->title ? d->title : "TODO: what these documents are");
  GPtrArray *order = d->label_order->len >= d->head_order->len ? d->label_order : d->head_order;
  GHashTable *set = order == d->label_order ? d->labels : d->heads;
  int n = 0;
  for (guint i = 0; i < order->len && n < 3; i++) {
    const char *l = g_ptr_array_index(order, i);
    if (GPOINTER_TO_INT(g_hash_table_lookup(set, l)) < 1)
      continue;
    g_autofree char *re = exact(l);
    if (n == 0)
      fprintf(out, "require      where=cell %s\n", re);
    fprintf(out, "score %-6d where=cell %s\n", n == 0 ? 50 : 20, re);
    n++;
  }
  if (n == 0)
    fprintf(out, "# no label cells or list headers found: write a require rule by hand\nrequire      /TODO/\n");
  fprintf(out, "decide 70\n\n[document]\ntitle        from=largest-font pages=1\n");

  int most = 0;
  for (guint i = 0; i < d->label_order->len; i++)
    most = MAX(most, GPOINTER_TO_INT(g_hash_table_lookup(d->labels, g_ptr_array_index(d->label_order, i))));
  if (d->label_order->len > 0) {
    fprintf(out, "\n[card]\n");
    for (guint i = 0; i < d->label_order->len && i < KP_DRAFT_LABELS; i++) {
      const char *l = g_ptr_array_index(d->label_order, i);
      if (most > 1 && GPOINTER_TO_INT(g_hash_table_lookup(d->labels, l)) < 2)
        continue; /* a label of every card, not one card's word */
      g_autofree char *re = exact(l);
      const char *as = guess_as(l);
      if (i == 0)
        fprintf(out, "start                %s\n", re);
      int seen = GPOINTER_TO_INT(g_hash_table_lookup(d->labels, l));
      fprintf(out, "# on %d table%s\nlabel%s%-16s%s\n", seen, seen == 1 ? "" : "s", as ? " as=" : "", as ? as : "", re);
    }
  }
  if (d->kinds->len > 0) {
    if (d->label_order->len == 0)
      fprintf(out, "\n[card]\n");
    fprintf(out, "# tables with fiscal years across the header row and rows of words below,\n"
                 "# labelled:");
    for (guint i = 0; i < d->kinds->len; i++)
      fprintf(out, " %s", (const char *)g_ptr_array_index(d->kinds, i));
    fprintf(out, "\n# one schedule per year column and row; kind=actual for rows of results,\n"
                 "# else the header's word (令和5年度(実績)) or plan\n");
    for (guint i = 0; i < d->kinds->len; i++) {
      const char *k = g_ptr_array_index(d->kinds, i);
      g_autofree char *re = exact(k);
      gboolean actual = strstr(k, "実績") || strstr(k, "結果");
      fprintf(out, "schedule %-12s%s\n", actual ? "kind=actual" : "", re);
    }
  }
  if (d->head_order->len > 0) {
    fprintf(out, "\n[list]\n");
    /* the title column heads the list: a header ending in 名, else the
     * first that is not the number */
    const char *title = NULL;
    for (guint i = 0; i < d->head_order->len && title == NULL; i++)
      if (g_strcmp0(guess_as(g_ptr_array_index(d->head_order, i)), "title") == 0)
        title = g_ptr_array_index(d->head_order, i);
    for (guint i = 0; i < d->head_order->len && title == NULL; i++)
      if (guess_as(g_ptr_array_index(d->head_order, i)) == NULL)
        title = g_ptr_array_index(d->head_order, i);
    for (guint i = 0; i < d->head_order->len && i < KP_DRAFT_LABELS; i++) {
      const char *h = g_ptr_array_index(d->head_order, i);
      g_autofree char *re = exact(h);
      const char *as = h == title ? "title" : guess_as(h);
      if (h == title)
        fprintf(out, "header               %s\n", re);
      fprintf(out, "column%s%-15s%s\n", as ? " as=" : "", as ? as : "", re);
    }
    if (d->groups->len) {
      fprintf(out, "# headers over groups of columns:");
      for (guint i = 0; i < d->groups->len; i++)
        fprintf(out, " %s", (const char *)g_ptr_array_index(d->groups, i));
      fprintf(out, "\n# no column rule matches them (a column is labelled by its own header);\n"
                   "# a [measures] role or [budget] column rule reads one naming a role or money\n");
    }
    if (d->years_in_list)
      fprintf(out, "# header cells naming fiscal years: one schedule per year column\n"
                   "schedule actual=実績 /^(?:R|令和)\\d+(?:年度)?(?:実績|計画)?$/\n");
  }
  if (d->roles->len > 0) {
    fprintf(out, "\n[measures]\n# role cells seen: ");
    for (guint i = 0; i < d->roles->len; i++)
      fprintf(out, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(d->roles, i));
    fprintf(out, "\n# each regex is the whole header: its word, then maybe (unit) or (year)\n");
    static const char *const heads[] = { "baseline", "target default-year=end", "actual" };
    static const char *const res[] = { "/^(?:基準値?|現状値?)(?:\\(.*\\))?$/", "/^目標値?(?:\\(.*\\))?$/",
                                       "/^実績値?(?:\\(.*\\))?$/" };
    for (int k = 0; k < ROLE_NONE; k++) {
      if (!d->role_kind[k])
        continue;
      if (d->role_label[k])
        fprintf(out, "# measures labelled by the row's cell under %s (the column left of the role)\n", d->role_label[k]);
      fprintf(out, "role %s%s%s %s\n", heads[k], d->role_label[k] ? " label=" : "", d->role_label[k] ? d->role_label[k] : "",
              res[k]);
    }
  }
  if (d->money->len > 0) {
    fprintf(out, "\n[budget]\n# money cells seen: ");
    for (guint i = 0; i < d->money->len; i++)
      fprintf(out, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(d->money, i));
    fprintf(out, "\nheader               /^(?:総?事業費|総額)/\n"
                 "column total         /^(?:総?事業費|総額|予算額)/\n"
                 "column national      /^国(?:庫支出金)?$/\n"
                 "column prefectural   /^県(?:支出金)?$/\n"
                 "column bonds         /^(?:地方債|市債)$/\n"
                 "column other         /^その他$/\n"
                 "column general_fund  /^一般財源$/\n");
  }
  if (d->series_tables > 0)
    fprintf(out, "\n[series]\n# %d table%s with a header row of fiscal years\n"
                 "year /^(?:R|令和)\\d+(?:年度)?$/\ntitle from=corner\n",
            d->series_tables, d->series_tables == 1 ? "" : "s");
  if (d->units_caption)
    fprintf(out, "\n[units]\n# a 単位：千円 caption was seen\nunit         /" UNITS_RE "/\n");
}

/* The subcommand (draft.h). */
int kp_cmd_draft(int argc, char **argv)
{
  g_autofree char *id = NULL;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "family", 'f', 0, G_OPTION_ARG_STRING, &id, "the family id to write (default: from the file name)", "ID" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "FILE.pdf|PAGES.jsonl" },
    { NULL, 0, 0, 0, NULL, NULL, NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("FILE.pdf|PAGES.jsonl - draft a pattern file for a new layout");
  g_option_context_set_summary(ctx,
      "Reads the document's first pages and writes, on stdout, a first pattern file made\n"
      "from its label cells, list header rows, fiscal-year columns, role and money cells,\n"
      "for a person to edit (patterns/README.md).  A PDF is extracted and normalized first.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "keikaku: patterns draft: %s\n", error->message);
    return KK_ERROR_USAGE;
  }
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL) {
    fprintf(stderr, "keikaku: patterns draft: give one FILE.pdf or PAGES.jsonl\n");
    return KK_ERROR_USAGE;
  }
  const char *path = rest[0];
  gboolean from_file = id == NULL;
  if (id == NULL) {
    g_autofree char *base = g_path_get_basename(path);
    char *dot = strchr(base, '.');
    if (dot)
      *dot = '\0';
    GString *s = g_string_new(NULL);
    for (const char *q = base; *q; q++)
      g_string_append_c(s, g_ascii_isalnum(*q) ? g_ascii_tolower(*q) : '-');
    id = g_string_free(s, FALSE);
    if (*id == '\0')
      g_free(id), id = g_strdup("new-layout");
  }
  for (const char *q = id; *q; q++)
    if (!g_ascii_isalnum(*q) && *q != '-' && *q != '_') {
      fprintf(stderr, "keikaku: patterns draft: --family wants letters, digits, - and _\n");
      return KK_ERROR_USAGE;
    }
  Draft d = { 0 };
  d.labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  d.heads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  d.label_order = g_ptr_array_new_with_free_func(g_free);
  d.head_order = g_ptr_array_new_with_free_func(g_free);
  d.roles = g_ptr_array_new_with_free_func(g_free);
  d.money = g_ptr_array_new_with_free_func(g_free);
  d.groups = g_ptr_array_new_with_free_func(g_free);
  d.kinds = g_ptr_array_new_with_free_func(g_free);
  d.units_re = g_regex_new(UNITS_RE, G_REGEX_OPTIMIZE, 0, NULL);
  Feed feed = { &d, TRUE };
  gboolean ok;
  if (g_str_has_suffix(path, ".pdf") || g_str_has_suffix(path, ".PDF")) {
    KkExtractOptions opts = { 0 };
    opts.last_page = KP_DRAFT_PAGES;
    opts.first_page = 1;
    ok = kk_extract_file(path, &opts, feed_sink, &feed, &error);
  } else {
    ok = kk_jsonl_read_path(path, 0, feed_sink, &feed, &error);
  }
  int status = KK_OK;
  if (!ok) {
    kk_report(path, error);
    status = kk_exit_code(error);
  } else {
    write_draft(&d, path, id, from_file, stdout);
    if (from_file)
      fprintf(stderr, "keikaku: patterns draft: family id '%s' is the file's name: rename it (or give --family ID)\n", id);
  }
  g_hash_table_unref(d.labels);
  g_hash_table_unref(d.heads);
  g_ptr_array_unref(d.label_order);
  g_ptr_array_unref(d.head_order);
  g_ptr_array_unref(d.roles);
  g_ptr_array_unref(d.money);
  g_ptr_array_unref(d.groups);
  g_ptr_array_unref(d.kinds);
  g_regex_unref(d.units_re);
  g_free(d.title);
  for (int k = 0; k < ROLE_NONE; k++)
    g_free(d.role_label[k]);
  return status;
}
