/*
 * engine.c — the parse engine: takes the pages stream, chooses a family by
 * its pattern file's [recognise] rules, and turns cards, list tables,
 * achievement, budget, KPI and outlook tables and meeting headers into
 * records, as the family's rules say.  Nothing here knows a city's labels:
 * all text knowledge is in the pattern files.
 *
 * Streaming: pages are held only until the family is chosen (at most
 * KP_RECOGNISE_PAGES); after that each page is turned into records as it
 * comes.  Records are spooled (memory, then a temporary file) because the
 * document record, which must come first, is complete only at the end (the
 * prefecture may be printed on the colophon).  Open state is one item, one
 * list header and a few strings.
 */
#include "patterns/engine.h"
#include "patterns/match-limits.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- page: lines */

/* A [category] rule matched (a heading line, or a row of one cell across a
 * list): `reset` clears the category; `heading` sets its level to `v` (the
 * rule's value), clears the levels below and joins the levels into the
 * category of the items that follow. */
void kp_set_heading(KkParser *p, int page_no, const KpRule *r, const char *v)
{
  Stream *st = p->st;
  if (r->dir == KP_DIR_RESET) {
    g_clear_pointer(&st->category, g_free);
    for (int k = 0; k < 4; k++)
      g_clear_pointer(&st->levels[k], g_free);
    kp_explain(p, "  category  p%-3d %-28s (reset)\n", page_no, "");
    return;
  }
  /* level N replaces itself and clears the levels below it */
  const char *lv = kp_rule_opt(r, KP_OPT_LEVEL);
  int level = CLAMP(lv ? atoi(lv) : 1, 1, 4) - 1;
  g_free(st->levels[level]);
  st->levels[level] = kp_value_text(v);
  for (int k = level + 1; k < 4; k++)
    g_clear_pointer(&st->levels[k], g_free);
  GString *cat = g_string_new(NULL);
  for (int k = 0; k < 4; k++)
    if (st->levels[k]) {
      if (cat->len)
        g_string_append(cat, "  ");
      g_string_append(cat, st->levels[k]);
    }
  g_free(st->category);
  st->category = g_string_free(cat, FALSE);
  g_autofree char *w = kp_where(r);
  kp_explain(p, "  category  p%-3d %-28s %s\n", page_no, w, st->category);
}

/* How far below a heading its table may begin, in the heading's line
 * heights: a caption line and some space, not a paragraph. */
#define KP_HEADING_REACH 3.0

/* TRUE if line `l` (outside tables) heads a table: the nearest table below
 * it, overlapping it across, begins within KP_HEADING_REACH of its line
 * heights, and no line outside tables stands between them but a units
 * caption (`(単位：千円)`).  `[category] heading above=table`. */
static gboolean line_heads_table(KpFamily *fam, const KpPage *page, const KpLine *l)
{
  if (!l->t.has_bbox)
    return FALSE;
  const KpTable *below = NULL;
  for (guint k = 0; k < page->tables->len; k++) {
    const KpTable *t = g_ptr_array_index(page->tables, k);
    if (!t->has_bbox || t->nrows == 0 || t->bbox[1] < l->t.bbox[3] - 1)
      continue;
    if (t->bbox[2] <= l->t.bbox[0] || t->bbox[0] >= l->t.bbox[2])
      continue; /* beside it, not under it */
    if (below == NULL || t->bbox[1] < below->bbox[1])
      below = t;
  }
  double h = l->t.bbox[3] - l->t.bbox[1];
  if (below == NULL || below->bbox[1] - l->t.bbox[3] > KP_HEADING_REACH * MAX(h, 1.0))
    return FALSE;
  for (guint i = 0; i < page->lines->len; i++) {
    const KpLine *x = g_ptr_array_index(page->lines, i);
    if (x == l || x->table >= 0 || !x->t.has_bbox || kp_blank(x->t.text))
      continue;
    double mid = (x->t.bbox[1] + x->t.bbox[3]) / 2;
    if (mid <= l->t.bbox[3] || mid >= below->bbox[1])
      continue;
    if (!kp_rule_for_text(fam, KP_SEC_UNITS, KP_DIR_UNIT, &x->t, NULL))
      return FALSE;
  }
  return TRUE;
}

static gboolean do_line(KkParser *p, const KpPage *page, const KpLine *l, GError **error)
{
  Stream *st = p->st;
  KpFamily *fam = st->family;
  if (kp_blank(l->t.text))
    return TRUE;
  if (kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_SKIP_LINE, &l->t, NULL))
    return TRUE;
  /* category headings */
  GPtrArray *cats = fam->section[KP_SEC_CATEGORY];
  for (guint i = 0; i < cats->len; i++) {
    const KpRule *r = g_ptr_array_index(cats, i);
    const char *ms = kp_rule_opt(r, KP_OPT_MIN_SIZE);
    if (ms && l->size + 0.01 < g_ascii_strtod(ms, NULL))
      continue;
    if (g_strcmp0(kp_rule_opt(r, KP_OPT_WHERE), "cell") == 0)
      continue; /* a row across a list only (table-list.c) */
    if (kp_rule_opt(r, KP_OPT_ABOVE) && !line_heads_table(fam, page, l))
      continue;
    g_autofree char *v = NULL;
    if (!kp_rule_match_valid(r, l->t.text, &v))
      continue;
    kp_set_heading(p, page->no, r, v);
    st->collecting = NULL;
    return TRUE;
  }
  /* a unit header belongs to the table below it, not to a paragraph */
  if (kp_rule_for_text(fam, KP_SEC_UNITS, KP_DIR_UNIT, &l->t, NULL)) {
    st->collecting = NULL;
    return TRUE;
  }
  /* an item's end */
  if (st->item && kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_END, &l->t, NULL))
    return kp_flush_item(p, error);
  /* text cards: item lines and labelled paragraphs */
  GPtrArray *card = fam->section[KP_SEC_CARD];
  for (guint i = 0; i < card->len; i++) {
    const KpRule *r = g_ptr_array_index(card, i);
    if (r->dir == KP_DIR_ITEM_LINE) {
      if (g_strcmp0(kp_rule_opt(r, KP_OPT_WHERE), "cell") == 0)
        continue; /* a group cell of a KPI table (table-kpi.c), not a line */
      const char *ms = kp_rule_opt(r, KP_OPT_MIN_SIZE);
      if (ms && l->size + 0.01 < g_ascii_strtod(ms, NULL))
        continue;
      static const char *const names[] = { "item_no", "title", "department", "category" };
      char *vals[4] = { NULL, NULL, NULL, NULL };
      if (!kp_rule_match_named_valid(r, l->t.text, names, vals, 4))
        continue;
      Item *it = kp_start_item(p, page->no, r, error);
      if (it == NULL) {
        for (int k = 0; k < 4; k++)
          g_free(vals[k]);
        return FALSE;
      }
      for (int k = 0; k < 4; k++) {
        kp_item_set_attr(it, names[k], vals[k]);
        g_free(vals[k]);
      }
      if (l->t.has_bbox)
        kp_bbox_union(it->bbox, &it->has_bbox, l->t.bbox);
      return TRUE;
    }
    if (r->dir == KP_DIR_TEXT_LABEL && st->item) {
      const char *ms = kp_rule_opt(r, KP_OPT_MIN_SIZE);
      if (ms && l->size + 0.01 < g_ascii_strtod(ms, NULL))
        continue; /* body text in brackets, not a label */
      g_autofree char *v = NULL;
      if (!kp_rule_match_valid(r, l->t.text, &v))
        continue;
      g_autofree char *label = kp_label_text(*v ? v : l->t.text);
      /* text after the label on the same line starts the value */
      gsize s = 0, e = 0;
      kp_rule_group_span(r, 0, &s, &e);
      KpText rest = { .text = (char *)l->t.text + e, .spans = NULL };
      Field *f = kp_field_new(label, NULL, page->no, r);
      if (!kp_blank(rest.text))
        kp_field_append(f, &rest);
      kp_item_add_field(st->item, f);
      st->collecting = f;
      st->last_field = f;
      return TRUE;
    }
  }
  if (st->collecting) {
    kp_field_append_sep(st->collecting, &l->t, l->same_row ? " " : "\n");
    if (l->t.has_bbox)
      kp_bbox_union(st->collecting->bbox, &st->collecting->has_bbox, l->t.bbox);
  }
  return TRUE;
}

/* `[document] lines by-position`: the family's pages are one column, read
 * top to bottom and, within a row, left to right, whatever order the
 * extractor gave. */
static gboolean wants_position_order(KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_DOCUMENT];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir == KP_DIR_LINES)
      return strcmp(r->arg, "by-position") == 0;
  }
  return FALSE;
}

/* `[document] tables ruled-only`: whitespace-aligned "tables" are text. */
static const char *tables_mode(KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_DOCUMENT];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir == KP_DIR_TABLES)
      return r->arg;
  }
  return "all";
}

/* TRUE if a line of the table is a labelled paragraph's label or an item
 * line: a table does not hold those, so the "table" is text. */
static gboolean table_holds_labels(KpFamily *fam, const KpPage *page, int k)
{
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (l->table != k)
      continue;
    if (kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_TEXT_LABEL, &l->t, NULL) ||
        kp_rule_for_text(fam, KP_SEC_CARD, KP_DIR_ITEM_LINE, &l->t, NULL))
      return TRUE;
  }
  return FALSE;
}

/* TRUE if the table's first column holds nothing but bullet marks (○, ・):
 * a bulleted list that lines up, not a table. */
static gboolean table_is_bullets(const KpTable *t)
{
  int n = 0;
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *c = g_ptr_array_index(t->cells, i);
    if (c->col != 0)
      continue;
    g_autofree char *sq = kp_squeeze(c->t.text);
    if (g_utf8_strlen(sq, -1) != 1 || g_unichar_isalnum(g_utf8_get_char(sq)))
      return FALSE;
    n++;
  }
  return n > 0;
}

/* Turns unruled tables (all, or those holding labels) back into lines:
 * their lines lose the table mark, the tables are emptied (indexes of the
 * others stay valid). */
static void drop_unruled_tables(KpFamily *fam, KpPage *page)
{
  const char *mode = tables_mode(fam);
  if (strcmp(mode, "all") == 0)
    return;
  for (guint k = 0; k < page->tables->len; k++) {
    KpTable *t = g_ptr_array_index(page->tables, k);
    if (t->ruled)
      continue;
    if (strcmp(mode, "ruled-only") != 0 && !table_holds_labels(fam, page, (int)k) && !table_is_bullets(t))
      continue;
    for (guint i = 0; i < page->lines->len; i++) {
      KpLine *l = g_ptr_array_index(page->lines, i);
      if (l->table == (int)k)
        l->table = -1;
    }
    g_ptr_array_set_size(t->cells, 0);
    t->nrows = t->ncols = 0;
  }
}

static gint compare_line_y(gconstpointer a, gconstpointer b)
{
  const KpLine *x = *(KpLine *const *)a, *y = *(KpLine *const *)b;
  double cx = (x->t.bbox[1] + x->t.bbox[3]) / 2, cy = (y->t.bbox[1] + y->t.bbox[3]) / 2;
  return cx < cy ? -1 : cx > cy ? 1 : 0;
}

static gint compare_line_x(gconstpointer a, gconstpointer b)
{
  const KpLine *x = *(KpLine *const *)a, *y = *(KpLine *const *)b;
  return x->t.bbox[0] < y->t.bbox[0] ? -1 : x->t.bbox[0] > y->t.bbox[0] ? 1 : 0;
}

/* Sorts the lines into rows (vertical centres within half a line height)
 * top to bottom, each row left to right; marks lines that continue a row. */
static void sort_lines_by_position(KpPage *page)
{
  GPtrArray *lines = page->lines;
  for (guint i = 0; i < lines->len; i++)
    if (!((KpLine *)g_ptr_array_index(lines, i))->t.has_bbox)
      return; /* without boxes there is nothing better than the given order */
  g_ptr_array_sort(lines, compare_line_y);
  guint i = 0;
  while (i < lines->len) {
    KpLine *first = g_ptr_array_index(lines, i);
    double c0 = (first->t.bbox[1] + first->t.bbox[3]) / 2;
    double h0 = first->t.bbox[3] - first->t.bbox[1];
    guint j = i + 1;
    while (j < lines->len) {
      KpLine *l = g_ptr_array_index(lines, j);
      double c = (l->t.bbox[1] + l->t.bbox[3]) / 2, h = l->t.bbox[3] - l->t.bbox[1];
      if (fabs(c - c0) > 0.5 * MIN(h0, h))
        break;
      j++;
    }
    if (j - i > 1)
      qsort(lines->pdata + i, j - i, sizeof(gpointer), compare_line_x);
    for (guint k = i; k < j; k++)
      ((KpLine *)g_ptr_array_index(lines, k))->same_row = k > i;
    i = j;
  }
}

/* The page model of the page object `obj`: normalized on the way when
 * the stream's pages are not yet (no normalized copy of the tree is made).
 * NULL (with `error`) when normalizing failed. */
static KpPage *page_model(const Stream *st, JsonObject *obj, GError **error)
{
  return st->normalize ? kp_page_from_json_normalizing(obj, error) : kp_page_from_json(obj);
}

/* Turns one page into records (family chosen).  `built` is the page model
 * of `page_obj` when the caller already made it (taken over), else NULL. */
static gboolean process_page(KkParser *p, JsonObject *page_obj, KpPage *built, GError **error)
{
  Stream *st = p->st;
  g_autoptr(KpPage) page = built ? built : page_model(st, page_obj, error);
  if (page == NULL)
    return FALSE;
  if (page->no <= 0)
    page->no = st->pages_seen;
  if (page->truncated)
    kk_warn(kk_json_string(st->doc_in, "file", NULL), "page %d: more content than the parser's limits, cut", page->no);

  g_autofree char *text = kp_page_text(page);
  JsonObject *po = json_object_new();
  json_object_set_string_member(po, "type", "page");
  json_object_set_int_member(po, "page", page->no);
  json_object_set_string_member(po, "text", text);
  if (!kp_emit(p, po, NULL, error))
    return FALSE;
  /* every document's tables become table and fact records, family or not
   * (before any family rule rewrites the page) */
  if (!kp_facts_page(st->facts, page, page_obj, error))
    return FALSE;
  kp_docmeta_page(p, page);
  if (st->family == NULL)
    return TRUE;
  kp_document_rules(p, page);

  drop_unruled_tables(st->family, page);
  if (wants_position_order(st->family))
    sort_lines_by_position(page);

  /* lines and tables in reading order: a table at its first line */
  guint nt = page->tables->len;
  g_autofree gboolean *done = g_new0(gboolean, MAX(1, nt));
  gboolean seen_content = FALSE;
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (l->table >= 0 && (guint)l->table < nt) {
      if (!done[l->table]) {
        done[l->table] = TRUE;
        if (!kp_do_table(p, page, g_ptr_array_index(page->tables, l->table), !seen_content, error))
          return FALSE;
        seen_content = TRUE;
      }
      continue;
    }
    /* a table without lines of its own comes before the first line below it */
    for (guint k = 0; k < nt; k++) {
      KpTable *t = g_ptr_array_index(page->tables, k);
      if (!done[k] && t->has_bbox && l->t.has_bbox && t->bbox[1] < l->t.bbox[1]) {
        gboolean has_lines = FALSE;
        for (guint j = 0; j < page->lines->len && !has_lines; j++)
          has_lines = ((KpLine *)g_ptr_array_index(page->lines, j))->table == (int)k;
        if (!has_lines) {
          done[k] = TRUE;
          if (!kp_do_table(p, page, t, !seen_content, error))
            return FALSE;
          seen_content = TRUE;
        }
      }
    }
    if (!do_line(p, page, l, error))
      return FALSE;
    if (!kp_blank(l->t.text) && !kp_rule_for_text(st->family, KP_SEC_CARD, KP_DIR_SKIP_LINE, &l->t, NULL))
      seen_content = TRUE;
  }
  for (guint k = 0; k < nt; k++) {
    if (!done[k] && !kp_do_table(p, page, g_ptr_array_index(page->tables, k), !seen_content, error))
      return FALSE;
    seen_content = TRUE;
  }
  /* a unit header below every table of the page heads the next page's */
  g_clear_pointer(&st->pending_unit, g_free);
  GPtrArray *units = st->family->section[KP_SEC_UNITS];
  for (guint i = 0; i < page->lines->len && units->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (l->table >= 0 || !l->t.has_bbox)
      continue;
    g_autofree char *v = NULL;
    for (guint k = 0; k < units->len && v == NULL; k++)
      kp_rule_match_valid(g_ptr_array_index(units, k), l->t.text, &v);
    if (v == NULL)
      continue;
    gboolean below_all = TRUE;
    for (guint k = 0; k < nt; k++) {
      KpTable *t = g_ptr_array_index(page->tables, k);
      if (t->has_bbox && t->bbox[1] >= l->t.bbox[1] - 2)
        below_all = FALSE;
    }
    if (below_all) {
      g_free(st->pending_unit);
      st->pending_unit = kp_squeeze(v);
    }
  }
  return TRUE;
}

/* ------------------------------------------------------------- stream */

static void stream_free(Stream *st)
{
  if (st == NULL)
    return;
  if (st->doc_in)
    json_object_unref(st->doc_in);
  g_ptr_array_unref(st->buffered);
  g_free(st->scores);
  g_hash_table_unref(st->hit);
  g_hash_table_unref(st->recognised);
  if (st->pending)
    g_array_unref(st->pending);
  g_free(st->title.value);
  g_free(st->municipality.value);
  g_free(st->prefecture.value);
  g_free(st->period.value);
  kp_docmeta_free(st->meta);
  g_ptr_array_unref(st->kept);
  if (st->spill && !st->spill_borrowed)
    fclose(st->spill);
  kp_item_free(st->item);
  g_hash_table_unref(st->key_by_no);
  g_free(st->category);
  for (int k = 0; k < 4; k++)
    g_free(st->levels[k]);
  kp_list_clear(&st->list);
  g_free(st->unit);
  g_free(st->pending_unit);
  g_free(st->layout_unit);
  g_free(st->layout_sig);
  g_free(st->series_title);
  g_hash_table_unref(st->unused);
  kp_facts_free(st->facts);
  g_free(st);
}

/* KpFactsEmit: the facts' records go through the engine's spool; no rule
 * made them, so --explain counts them at the end instead of listing them. */
static gboolean emit_fact_record(const char *line, gsize len, gpointer data, GError **error)
{
  return kp_emit_line(data, line, len, error);
}

/* Frees a Held page (patterns/engine.h). */
static void held_free(gpointer data)
{
  Held *h = data;
  if (h->obj)
    json_object_unref(h->obj);
  kp_page_free(h->page);
  g_free(h);
}

static Stream *stream_new(KkParser *p, JsonObject *doc)
{
  Stream *st = g_new0(Stream, 1);
  st->state = 1;
  st->doc_in = json_object_ref(doc);
  st->buffered = g_ptr_array_new_with_free_func(held_free);
  st->scores = g_new0(int, MAX(1, p->families->len));
  st->hit = g_hash_table_new(NULL, NULL);
  st->recognised = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  st->kept = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  st->key_by_no = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  st->unused = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  st->list.key_col = -1;
  st->facts = kp_facts_new(emit_fact_record, p);
  return st;
}

/* qsort comparator for the "pN: …" notes: by page, then text. */
static int compare_strings(const void *a, const void *b)
{
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  long px = x[0] == 'p' ? strtol(x + 1, NULL, 10) : 0, py = y[0] == 'p' ? strtol(y + 1, NULL, 10) : 0;
  if (px != py)
    return px < py ? -1 : 1;
  return strcmp(x, y);
}

const char *kp_rule_made_nothing(const KpRule *r)
{
  if (r->re == NULL || r->hits == 0 || r->made > 0)
    return NULL;
  if (r->section == KP_SEC_LIST && r->dir == KP_DIR_SCHEDULE)
    return "matched header cells but made no schedule: a schedule column's header must name a fiscal "
           "year (R7, 令和7年度), and its cells must not be blank";
  if (r->section == KP_SEC_CARD && r->dir == KP_DIR_SCHEDULE)
    return "matched cells but made no schedule: a schedule label must name a fiscal year (R6実績), or "
           "be a kind row (計画, 実績) under a header row of years with text in the year columns";
  if (r->section != KP_SEC_MEASURES)
    return NULL;
  switch (r->dir) {
  case KP_DIR_ROLE:
    if (kp_rule_opt(r, KP_OPT_BESIDE))
      return NULL; /* its regex matched, but it counts only beside ROLE2: not a use */
    return "matched cells but made no measure: no value (a number) in the cells it heads, no label "
           "cell left of it in its row, or the table went to a section that does not read measures";
  case KP_DIR_FIELD_ROLE:
    return "matched field labels but made no measure: field-role only sets the role of measures "
           "that [measures] text rules find in those fields (in a [list], use role ... label=HEADER)";
  case KP_DIR_TEXT:
    return "matched field text but made no measure: each match needs a label (a (?<label>...) "
           "group, or a subject rule matching the line before the value) and a value with a number";
  default:
    return NULL;
  }
}

/* --explain: the rules of `fam` with a regular expression that never
 * matched, and the record-making rules that matched but made nothing (in
 * this parser's life: one document for parse --explain). */
static void explain_unmatched(KkParser *p, KpFamily *fam)
{
  guint n = 0;
  for (guint i = 0; i < fam->rules->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->rules, i);
    n += r->re && r->hits == 0;
  }
  kp_explain(p, "rules that never matched: %u\n", n);
  for (guint i = 0; i < fam->rules->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->rules, i);
    if (r->re == NULL || r->hits > 0)
      continue;
    g_autofree char *w = kp_where(r);
    kp_explain(p, "  %s [%s] %s /%s/\n", w, kp_section_name(r->section), r->directive, r->re_src);
  }
  n = 0;
  for (guint i = 0; i < fam->rules->len; i++)
    n += kp_rule_made_nothing(g_ptr_array_index(fam->rules, i)) != NULL;
  kp_explain(p, "rules that matched but made no record: %u\n", n);
  for (guint i = 0; i < fam->rules->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->rules, i);
    const char *why = kp_rule_made_nothing(r);
    if (why == NULL)
      continue;
    g_autofree char *w = kp_where(r);
    kp_explain(p, "  %s [%s] %s /%s/: %s\n", w, kp_section_name(r->section), r->directive, r->re_src, why);
  }
}

/* Processes the pages held before the family was chosen, in order. */
static gboolean process_held(KkParser *p, GError **error)
{
  Stream *st = p->st;
  while (st->buffered->len > 0) {
    Held *h = g_ptr_array_steal_index(st->buffered, 0);
    gboolean ok = process_page(p, h->obj, g_steal_pointer(&h->page), error);
    held_free(h);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

/* Emits the document record, the spooled records and the end record. */
static gboolean finish_stream(KkParser *p, KkSink sink, gpointer user_data, GError **error)
{
  Stream *st = p->st;
  if (!st->decided)
    kp_choose_family(p, TRUE);
  if (!process_held(p, error))
    return FALSE;
  if (!kp_flush_item(p, error) || !kp_facts_finish(st->facts, error) || !kp_match_check(error))
    return FALSE;
  if (st->family == NULL)
    kk_warn(kk_json_string(st->doc_in, "file", "<stdin>"),
            "no pattern family matched: document, page text, tables and facts only (no items)");
  kp_docmeta_finish(p);
  if (p->explain) {
    kp_docmeta_explain(p);
    if (st->family)
      explain_unmatched(p, st->family);
    guint n = g_hash_table_size(st->unused);
    guint64 n_tables = 0, n_facts = 0;
    kp_facts_counts(st->facts, &n_tables, &n_facts);
    kp_explain(p, "tables of the document (every document, patterns/facts.c): %" G_GUINT64_FORMAT
               " tables, %" G_GUINT64_FORMAT " facts\n", n_tables, n_facts);
    kp_explain(p, "labelled cells and tables no rule used: %u\n", n);
    if (n) {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array(st->unused, NULL);
      qsort(keys, n, sizeof(gpointer), compare_strings);
      for (guint i = 0; i < n; i++)
        kp_explain(p, "  %s\n", (const char *)keys[i]);
    }
    fflush(p->explain);
  }
  if (st->spill_borrowed) {
    /* the records went out as they were made (kk_parser_set_records_out) */
    if (!kp_spill_kept(p, error) || !kp_emit_document(p, sink, user_data, error))
      return FALSE;
  } else if (!kp_emit_document(p, sink, user_data, error)) {
    return FALSE;
  } else if (st->spill) {
    if (!kp_spill_kept(p, error))
      return FALSE;
    if (fflush(st->spill) != 0) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot spool records to a temporary file");
      return FALSE;
    }
    rewind(st->spill);
    /* the spill holds the records' lines: a file sink gets them as they are */
    if (!kk_jsonl_replay(st->spill, "<spool>", sink, user_data, error))
      return FALSE;
  } else {
    for (guint i = 0; i < st->kept->len; i++)
      if (!sink(g_ptr_array_index(st->kept, i), user_data, error))
        return FALSE;
    g_ptr_array_set_size(st->kept, 0);
  }
  JsonObject *e = json_object_new();
  json_object_set_string_member(e, "type", "end");
  json_object_set_int_member(e, "records", (gint64)st->n_records + 1);
  gboolean ok = sink(e, user_data, error);
  json_object_unref(e);
  return ok;
}

/* Lines and table cells of a page object (kp_page_from_layout() counts
 * the same as KpPage.weight).  Held pages are what parse's memory grows
 * with (a 300 x 300 table on each of 11 pages took 1.7 GB while 16 pages
 * were held), so past KP_RECOGNISE_WEIGHT the family is chosen from the
 * pages seen so far. */
static gsize page_weight(JsonObject *page)
{
  gsize weight = 0;
  JsonArray *lines = kk_json_array(page, "lines");
  JsonArray *tables = kk_json_array(page, "tables");
  weight += lines ? json_array_get_length(lines) : 0;
  for (guint t = 0; tables && t < json_array_get_length(tables); t++) {
    JsonNode *tn = json_array_get_element(tables, t);
    JsonArray *rows = JSON_NODE_HOLDS_OBJECT(tn) ? kk_json_array(json_node_get_object(tn), "rows") : NULL;
    for (guint r = 0; rows && r < json_array_get_length(rows); r++) {
      JsonNode *rn = json_array_get_element(rows, r);
      weight += JSON_NODE_HOLDS_ARRAY(rn) ? json_array_get_length(json_node_get_array(rn)) : 1;
    }
  }
  return weight;
}

/* What the held pages weigh together. */
static gsize buffered_weight(GPtrArray *held)
{
  gsize weight = 0;
  for (guint i = 0; i < held->len; i++)
    weight += ((const Held *)g_ptr_array_index(held, i))->weight;
  return weight;
}

/* Takes one page: its object `obj` (borrowed), or its page model `built`
 * (taken over; `obj` NULL).  Before the family is chosen the page is
 * held: as its object, or as its page model when it came as one. */
static gboolean feed_page(KkParser *p, JsonObject *obj, KpPage *built, GError **error)
{
  Stream *st = p->st;
  st->pages_seen++;
  if (!st->decided) {
    g_autoptr(KpPage) page = built ? built : page_model(st, obj, error);
    if (page == NULL)
      return FALSE;
    int no = page->no;
    if (page->no <= 0)
      page->no = st->pages_seen;
    kp_recognise_page(p, page);
    Held *h = g_new0(Held, 1);
    if (built) {
      page->no = no; /* process_page numbers it as an object's page */
      h->weight = page->weight;
      h->page = g_steal_pointer(&page);
    } else {
      h->obj = json_object_ref(obj);
      h->weight = page_weight(obj);
    }
    g_ptr_array_add(st->buffered, h);
    if (!kp_choose_family(p, st->buffered->len >= KP_RECOGNISE_PAGES ||
                             buffered_weight(st->buffered) > KP_RECOGNISE_WEIGHT))
      return TRUE;
    return process_held(p, error);
  }
  KpPage *page = built;
  if (st->family == NULL && st->late_pages < KP_LATE_RECOGNISE_PAGES) {
    /* no family in the first pages: keep looking further in (the list
     * of a plan may come after many pages of minutes); the pages read
     * so far keep their page records only */
    st->late_pages++;
    page = page ? page : page_model(st, obj, error);
    if (page == NULL)
      return FALSE;
    if (page->no <= 0)
      page->no = st->pages_seen;
    kp_recognise_page(p, page);
    if (kp_family_ready(p) && kp_choose_family(p, TRUE) && st->family)
      kk_warn(kk_json_string(st->doc_in, "file", NULL),
              "family %s recognised only on page %d: earlier pages give page records only",
              st->family ? st->family->id : "?", page->no);
  }
  /* the page just read for recognition is the one processed (recognition
   * only reads it) */
  return process_page(p, obj, page, error);
}

gboolean kk_parser_feed_page(KkParser *p, KpPage *page, GError **error)
{
  if (!kp_match_check(error)) {
    kp_page_free(page);
    return FALSE;
  }
  if (p->st == NULL || p->st->state != 1) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "pages stream: \"page\" object before the document object");
    kp_page_free(page);
    return FALSE;
  }
  return feed_page(p, NULL, page, error);
}

gboolean kk_parser_feed(KkParser *p, JsonObject *obj, KkSink sink, gpointer user_data, GError **error)
{
  const char *type = kk_json_string(obj, "type", NULL);
  if (type == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "pages stream: object without a \"type\"");
    return FALSE;
  }
  /* a regex of the pattern files hit its PCRE2 limit on the last object */
  if (strcmp(type, "document") == 0)
    kp_match_reset();
  else if (!kp_match_check(error))
    return FALSE;
  if (strcmp(type, "document") == 0) {
    const char *format = kk_json_string(obj, "format", "keikaku-pages");
    if (strcmp(format, "keikaku-pages") != 0) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "not a pages stream (format \"%s\")", format);
      return FALSE;
    }
    stream_free(p->st);
    p->st = stream_new(p, obj);
    p->st->pages_declared = kk_json_int(obj, "pages", 0);
    JsonNode *nz = json_object_get_member(obj, "normalized");
    /* pages straight from extract: parse normalizes them itself */
    p->st->normalize = nz && JSON_NODE_HOLDS_VALUE(nz) && json_node_get_value_type(nz) == G_TYPE_BOOLEAN &&
                       !json_node_get_boolean(nz);
    if (p->records_out && p->st->pages_declared > 0) {
      p->st->spill = p->records_out;
      p->st->spill_borrowed = TRUE;
      return kp_emit_provisional_document(p, sink, user_data, error);
    }
    return TRUE;
  }
  if (p->st == NULL || p->st->state != 1) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "pages stream: \"%s\" object before the document object", type);
    return FALSE;
  }
  Stream *st = p->st;
  if (strcmp(type, "page") == 0)
    return feed_page(p, obj, NULL, error);
  if (strcmp(type, "end") == 0) {
    gint64 n = kk_json_int(obj, "pages", -1);
    if (n >= 0 && st->pages_declared <= 0)
      st->pages_declared = n;
    gboolean ok = finish_stream(p, sink, user_data, error);
    st->state = 2;
    return ok;
  }
  return TRUE; /* unknown types are ignored (format rule) */
}

/* ------------------------------------------------------------- parser */

static char *default_dir(void)
{
  const char *env = g_getenv("KEIKAKU_PATTERNS");
  if (env && *env)
    return g_strdup(env);
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  if (exe) {
    g_autofree char *bindir = g_path_get_dirname(exe);
    const char *ups[] = { "..", "../..", "../../.." };
    for (gsize i = 0; i < G_N_ELEMENTS(ups); i++) {
      g_autofree char *d = g_build_filename(bindir, ups[i], "patterns", "families", NULL);
      if (g_file_test(d, G_FILE_TEST_IS_DIR))
        return g_canonicalize_filename(d, NULL);
    }
  }
  return g_strdup("patterns/families");
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

KkParser *kk_parser_new(const char *patterns_dir, GError **error)
{
  g_autofree char *dir = patterns_dir ? g_strdup(patterns_dir) : default_dir();
  g_autoptr(GError) local = NULL;
  g_autoptr(GDir) d = g_dir_open(dir, 0, &local);
  if (d == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: cannot open the pattern directory: %s", dir, local->message);
    return NULL;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(d)) != NULL) {
    if (!g_str_has_suffix(name, ".kpat") || name[0] == '.')
      continue;
    if (names->len >= KP_MAX_FILES) {
      g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: more than %u pattern files", dir, KP_MAX_FILES);
      return NULL;
    }
    g_ptr_array_add(names, g_strdup(name));
  }
  g_ptr_array_sort(names, compare_names);
  KkParser *p = g_new0(KkParser, 1);
  p->dir = g_steal_pointer(&dir);
  p->families = g_ptr_array_new_with_free_func((GDestroyNotify)kp_family_free);
  p->diagnostics = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *path = g_build_filename(p->dir, g_ptr_array_index(names, i), NULL);
    KpFamily *fam = kp_family_load(path, error);
    if (fam == NULL) {
      kk_parser_free(p);
      return NULL;
    }
    for (guint k = 0; k < p->families->len; k++) {
      KpFamily *other = g_ptr_array_index(p->families, k);
      if (strcmp(other->id, fam->id) == 0) {
        g_set_error(error, KK_ERROR, KK_ERROR_PATTERN, "%s: family '%s' is already defined by %s",
                    path, fam->id, other->path);
        kp_family_free(fam);
        kk_parser_free(p);
        return NULL;
      }
    }
    g_ptr_array_add(p->families, fam);
  }
  if (p->families->len == 0)
    kk_warn(p->dir, "no *.kpat pattern files: documents will get page records only");
  return p;
}

void kk_parser_free(KkParser *p)
{
  if (p == NULL)
    return;
  stream_free(p->st);
  g_ptr_array_unref(p->families);
  g_ptr_array_unref(p->diagnostics);
  g_free(p->dir);
  g_free(p);
}

void kk_parser_set_explain(KkParser *p, FILE *out)
{
  p->explain = out;
}

void kk_parser_set_records_out(KkParser *p, FILE *out)
{
  p->records_out = out;
}

void kk_parser_set_given_place(KkParser *p, const KkLgCode *place)
{
  p->given_place = place;
}

guint kk_parser_family_count(const KkParser *p)
{
  return p ? p->families->len : 0;
}
