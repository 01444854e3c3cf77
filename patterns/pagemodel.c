/* pagemodel.c — see pagemodel.h */
#include "patterns/pagemodel.h"
#include "common/kk-jsonl.h"
#include "extract/extract.h"
#include "normalize/normalize.h"

#include <math.h>
#include <string.h>

/* Four numbers that are sane page coordinates. */
static gboolean sane_box(const double b[4])
{
  for (int i = 0; i < 4; i++)
    if (!isfinite(b[i]) || fabs(b[i]) > 1e6)
      return FALSE;
  return TRUE;
}

/* A bbox member whose four numbers are sane page coordinates. */
static gboolean sane_bbox(JsonObject *o, const char *member, double out[4])
{
  return kk_json_bbox(o, member, out) && sane_box(out);
}

/* `v` if within [lo, hi], else `dflt` (never a truncated cast). */
static int in_range(gint64 v, int dflt, gint64 lo, gint64 hi)
{
  return v >= lo && v <= hi ? (int)v : dflt;
}

/* An integer member within [lo, hi], else `dflt`. */
static int int_in(JsonObject *o, const char *member, int dflt, gint64 lo, gint64 hi)
{
  return in_range(kk_json_int(o, member, dflt), dflt, lo, hi);
}

static void span_clear(gpointer data)
{
  KpSpan *s = data;
  g_free(s->str);
  g_free(s->unit);
}

/* An empty array of KpSpan. */
static GArray *span_array_new(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(KpSpan));
  g_array_set_clear_func(a, span_clear);
  return a;
}

/* The span kind named `name` (normalize's kk_span_kind_name); FALSE if
 * the name is unknown. */
static gboolean span_kind_from_name(const char *name, KkSpanKind *out)
{
  for (int k = KK_SPAN_NUMBER; k <= KK_SPAN_FISCAL_YEAR_RANGE; k++)
    if (strcmp(kk_span_kind_name((KkSpanKind)k), name) == 0) {
      *out = (KkSpanKind)k;
      return TRUE;
    }
  return FALSE;
}

/* A span's values are what the parser may use: years are years, every
 * number prints as JSON. */
static gboolean span_sane(const KpSpan *s)
{
  gboolean yearish = s->type == KK_SPAN_YEAR || s->type == KK_SPAN_FISCAL_YEAR;
  return isfinite(s->num) && fabs(s->num) <= 1e18 && !(yearish && (s->num < 1 || s->num > 9999)) &&
         !(s->type == KK_SPAN_FISCAL_YEAR_RANGE && (s->from < 1 || s->from > 9999 || s->to < s->from || s->to > 9999));
}

/* Reads normalize's spans array; keeps only well-formed spans inside the
 * text.  NULL when there are none (most texts: no array to allocate). */
static GArray *read_spans(JsonArray *arr, const char *text)
{
  GArray *out = NULL;
  guint n = arr ? json_array_get_length(arr) : 0;
  if (n == 0)
    return NULL;
  int n_cp = (int)g_utf8_strlen(text, -1);
  if (n > KP_MAX_SPANS)
    n = KP_MAX_SPANS;
  for (guint i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element(arr, i);
    if (!JSON_NODE_HOLDS_OBJECT(node))
      continue;
    JsonObject *o = json_node_get_object(node);
    KpSpan s = { 0 };
    s.start = int_in(o, "start", -1, 0, G_MAXINT32);
    s.end = int_in(o, "end", -1, 0, G_MAXINT32);
    const char *kind = kk_json_string(o, "kind", NULL);
    if (kind == NULL || s.start < 0 || s.end <= s.start || s.end > n_cp)
      continue;
    if (!span_kind_from_name(kind, &s.type))
      continue; /* a kind this parser does not know: ignored (format rule) */
    JsonNode *v = json_object_get_member(o, "value");
    if (v && JSON_NODE_HOLDS_VALUE(v)) {
      GType t = json_node_get_value_type(v);
      if (t == G_TYPE_STRING)
        s.str = g_strdup(json_node_get_string(v));
      else if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
        s.num = json_node_get_double(v);
      else
        continue;
    } else if (v && JSON_NODE_HOLDS_ARRAY(v)) {
      JsonArray *a = json_node_get_array(v);
      if (json_array_get_length(a) != 2)
        continue;
      JsonNode *a0 = json_array_get_element(a, 0), *a1 = json_array_get_element(a, 1);
      if (!JSON_NODE_HOLDS_VALUE(a0) || !JSON_NODE_HOLDS_VALUE(a1) ||
          json_node_get_value_type(a0) == G_TYPE_STRING || json_node_get_value_type(a1) == G_TYPE_STRING)
        continue;
      double d0 = json_node_get_double(a0), d1 = json_node_get_double(a1);
      if (!(d0 >= 1 && d0 <= 9999 && d1 >= 1 && d1 <= 9999))
        continue; /* not years (and no cast of a wild double) */
      s.from = (gint64)d0;
      s.to = (gint64)d1;
    } else {
      continue;
    }
    if (!span_sane(&s)) {
      g_free(s.str);
      continue;
    }
    const char *unit = kk_json_string(o, "unit", NULL);
    s.unit = unit ? g_strdup(unit) : NULL;
    if (out == NULL)
      out = span_array_new();
    g_array_append_val(out, s);
  }
  return out;
}

void kp_text_init(KpText *t, JsonObject *o)
{
  const char *text = kk_json_string(o, "text", "");
  t->text = g_utf8_make_valid(text, -1);
  t->has_bbox = sane_bbox(o, "bbox", t->bbox);
  if (!t->has_bbox)
    memset(t->bbox, 0, sizeof t->bbox);
  JsonArray *spans = kk_json_array(o, "spans");
  if (spans != NULL || *t->text == '\0') {
    t->spans = read_spans(spans, t->text);
    return;
  }
  /* not annotated (a stream that skipped normalize, or text normalize
   * left alone): ask normalize's annotator */
  t->spans = kp_annotate(t->text);
}

/* One span of normalize's annotator as the parser holds it. */
static KpSpan span_from_kk(const KkSpan *k)
{
  KpSpan sp = { 0 };
  sp.start = (int)k->start;
  sp.end = (int)k->end;
  sp.type = k->kind;
  if (k->kind == KK_SPAN_DATE)
    sp.str = k->day ? g_strdup_printf("%04d-%02d-%02d", k->year, k->month, k->day)
                    : g_strdup_printf("%04d-%02d", k->year, k->month);
  else if (k->kind == KK_SPAN_YEAR || k->kind == KK_SPAN_FISCAL_YEAR)
    sp.num = k->year;
  else if (k->kind == KK_SPAN_FISCAL_YEAR_RANGE) {
    sp.from = k->year;
    sp.to = k->year_to;
  } else {
    sp.num = kk_decimal_to_double(k->value);
    sp.unit = k->unit ? g_strdup(k->unit) : NULL;
  }
  return sp;
}

GArray *kp_annotate(const char *text)
{
  GArray *out = span_array_new();
  g_autoptr(GArray) ks = kk_annotate_text(text, -1);
  for (guint i = 0; ks && i < ks->len && out->len < KP_MAX_SPANS; i++) {
    KpSpan sp = span_from_kk(&g_array_index(ks, KkSpan, i));
    g_array_append_val(out, sp);
  }
  return out;
}

static gboolean text_normalized(KpText *t, const char *text, gsize len, KkNormalizer *n, GArray *spans,
                                GError **error);

/* Fills `t` from `o` as kp_text_init() would once kk_normalize_pages_object()
 * had rewritten `o`: its raw text (else its text) normalized, with the
 * annotator's spans kept as read_spans() keeps those of the JSON spans
 * array (the first KP_MAX_SPANS, the sane ones inside the text); `o` is
 * not changed.  `spans` is a scratch array of KkSpan.  FALSE (with `error`)
 * when normalizing failed. */
static gboolean text_init_normalizing(KpText *t, JsonObject *o, KkNormalizer *n, GArray *spans, GError **error)
{
  const char *text = kk_json_string(o, "raw", NULL);
  if (text == NULL)
    text = kk_json_string(o, "text", NULL);
  if (text == NULL) {
    kp_text_init(t, o); /* normalize leaves such an object alone */
    return TRUE;
  }
  if (!text_normalized(t, text, strlen(text), n, spans, error))
    return FALSE;
  t->has_bbox = sane_bbox(o, "bbox", t->bbox);
  if (!t->has_bbox)
    memset(t->bbox, 0, sizeof t->bbox);
  return TRUE;
}

/* Sets the text and spans of `t` (not its bbox) from the `len` bytes of
 * `text` normalized and annotated as text_init_normalizing() says. */
static gboolean text_normalized(KpText *t, const char *text, gsize len, KkNormalizer *n, GArray *spans,
                                GError **error)
{
  gsize out_len;
  const char *norm = kk_normalizer_run(n, text, len, KK_NORMALIZE_REPLACE_INVALID, &out_len, NULL, error);
  if (norm == NULL)
    return FALSE;
  kk_normalizer_annotate(n, spans);
  t->text = g_utf8_make_valid(norm, -1); /* a JSON string member ends at a NUL */
  t->spans = NULL;
  guint count = MIN(spans->len, KP_MAX_SPANS);
  int n_cp = count ? (int)g_utf8_strlen(t->text, -1) : 0;
  for (guint i = 0; i < count; i++) {
    const KkSpan *k = &g_array_index(spans, KkSpan, i);
    if (k->start > G_MAXINT32 || k->end > G_MAXINT32 || k->end <= k->start || (int)k->end > n_cp)
      continue;
    KpSpan sp = span_from_kk(k);
    if (!span_sane(&sp)) {
      span_clear(&sp);
      continue;
    }
    if (t->spans == NULL)
      t->spans = span_array_new();
    g_array_append_val(t->spans, sp);
  }
  return TRUE;
}

void kp_text_clear(KpText *t)
{
  g_free(t->text);
  t->text = NULL;
  g_clear_pointer(&t->squeezed, g_free);
  if (t->spans)
    g_array_unref(t->spans);
  t->spans = NULL;
}

static void line_free(gpointer data)
{
  KpLine *l = data;
  kp_text_clear(&l->t);
  g_free(l->font);
  g_free(l);
}

static void cell_free(gpointer data)
{
  KpCell *c = data;
  kp_text_clear(&c->t);
  g_free(c);
}

static void table_free(gpointer data)
{
  KpTable *t = data;
  if (t->cells)
    g_ptr_array_unref(t->cells);
  g_free(t->grid);
  g_free(t);
}

void kp_page_free(KpPage *page)
{
  if (page == NULL)
    return;
  if (page->lines)
    g_ptr_array_unref(page->lines);
  if (page->tables)
    g_ptr_array_unref(page->tables);
  g_free(page);
}

KpCell *kp_table_at(const KpTable *table, int row, int col)
{
  if (table == NULL || table->grid == NULL || row < 0 || col < 0 ||
      row >= table->nrows || col >= table->ncols)
    return NULL;
  return table->grid[row * table->ncols + col];
}

/* How a page's texts are read: as they are (`n` NULL), or normalized here
 * with `n` (text_init_normalizing; `spans` its scratch array). */
typedef struct {
  KkNormalizer *n;
  GArray *spans;
} Reader;

/* Fills `t` from the line or cell `o` as `r` says; FALSE (with `error`)
 * when normalizing failed. */
static gboolean read_text(const Reader *r, KpText *t, JsonObject *o, GError **error)
{
  if (r->n)
    return text_init_normalizing(t, o, r->n, r->spans, error);
  kp_text_init(t, o);
  return TRUE;
}

/* Adds `cell` (text and position read) to `t`, or frees it when its
 * position is unusable; keeps the next column of its row and the extent
 * of the table up to date. */
static void add_cell(KpTable *t, KpCell *cell, int *next_col, int *maxrow, int *maxcol, gboolean *truncated)
{
  if (cell->row < 0 || cell->row >= KP_MAX_ROWS || cell->col < 0 || cell->col >= KP_MAX_COLS ||
      cell->rowspan < 1 || cell->colspan < 1) {
    cell_free(cell);
    *truncated = TRUE;
    return;
  }
  cell->rowspan = MIN(cell->rowspan, KP_MAX_ROWS - cell->row);
  cell->colspan = MIN(cell->colspan, KP_MAX_COLS - cell->col);
  *next_col = cell->col + cell->colspan;
  *maxrow = MAX(*maxrow, cell->row + cell->rowspan);
  *maxcol = MAX(*maxcol, cell->col + cell->colspan);
  g_ptr_array_add(t->cells, cell);
}

/* Sizes `t` to the extent of its cells (cut to KP_MAX_GRID slots) and
 * fills its grid. */
static void table_grid(KpTable *t, int maxrow, int maxcol, gboolean *truncated)
{
  if ((gint64)maxrow * maxcol > KP_MAX_GRID) {
    *truncated = TRUE;
    maxrow = KP_MAX_GRID / MAX(maxcol, 1);
  }
  t->nrows = maxrow;
  t->ncols = maxcol;
  t->grid = g_new0(KpCell *, (gsize)MAX(1, maxrow * maxcol));
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *c = g_ptr_array_index(t->cells, i);
    for (int r = c->row; r < c->row + c->rowspan && r < maxrow; r++)
      for (int k = c->col; k < c->col + c->colspan && k < maxcol; k++)
        if (t->grid[r * maxcol + k] == NULL)
          t->grid[r * maxcol + k] = c;
  }
}

/* Reads one table; cells whose position is unusable are dropped.  Cells
 * without row/col members are placed by their order in the row.  NULL
 * (with `error`) when a text could not be normalized. */
static KpTable *read_table(const Reader *reader, JsonObject *o, int index, gboolean *truncated, GError **error)
{
  KpTable *t = g_new0(KpTable, 1);
  t->index = index;
  t->cells = g_ptr_array_new_with_free_func(cell_free);
  t->has_bbox = sane_bbox(o, "bbox", t->bbox);
  JsonNode *ruled = json_object_get_member(o, "ruled");
  t->ruled = ruled && JSON_NODE_HOLDS_VALUE(ruled) && json_node_get_value_type(ruled) == G_TYPE_BOOLEAN
             ? json_node_get_boolean(ruled) : TRUE;
  JsonNode *cont = json_object_get_member(o, "continued_from_previous");
  t->continued = cont && JSON_NODE_HOLDS_VALUE(cont) && json_node_get_value_type(cont) == G_TYPE_BOOLEAN
                 && json_node_get_boolean(cont);
  t->header_rows = (int)CLAMP(kk_json_int(o, "header_rows", 0), 0, KP_MAX_ROWS);

  JsonArray *rows = kk_json_array(o, "rows");
  guint nrows = rows ? json_array_get_length(rows) : 0;
  if (nrows > KP_MAX_ROWS) {
    nrows = KP_MAX_ROWS;
    *truncated = TRUE;
  }
  int maxrow = 0, maxcol = 0;
  for (guint r = 0; r < nrows; r++) {
    JsonArray *row = NULL;
    JsonNode *rn = json_array_get_element(rows, r);
    if (JSON_NODE_HOLDS_ARRAY(rn))
      row = json_node_get_array(rn);
    guint ncells = row ? json_array_get_length(row) : 0;
    int next_col = 0;
    for (guint c = 0; c < ncells && c < KP_MAX_COLS; c++) {
      JsonNode *cn = json_array_get_element(row, c);
      if (!JSON_NODE_HOLDS_OBJECT(cn))
        continue;
      JsonObject *co = json_node_get_object(cn);
      KpCell *cell = g_new0(KpCell, 1);
      if (!read_text(reader, &cell->t, co, error)) {
        cell_free(cell);
        table_free(t);
        return NULL;
      }
      /* OCR confidence (FORMATS.md), kept for review; -1 when absent */
      JsonNode *conf = json_object_get_member(co, "confidence");
      cell->confidence = conf && JSON_NODE_HOLDS_VALUE(conf) && json_node_get_value_type(conf) != G_TYPE_STRING &&
                         json_node_get_value_type(conf) != G_TYPE_BOOLEAN && isfinite(json_node_get_double(conf))
                         ? CLAMP(json_node_get_double(conf), 0.0, 100.0) : -1;
      cell->row = int_in(co, "row", -1, 0, KP_MAX_ROWS - 1);
      cell->col = int_in(co, "col", -1, 0, KP_MAX_COLS - 1);
      if (json_object_get_member(co, "row") == NULL)
        cell->row = (int)r;
      if (json_object_get_member(co, "col") == NULL)
        cell->col = next_col;
      cell->rowspan = int_in(co, "rowspan", 1, 1, KP_MAX_ROWS);
      cell->colspan = int_in(co, "colspan", 1, 1, KP_MAX_COLS);
      add_cell(t, cell, &next_col, &maxrow, &maxcol, truncated);
    }
  }
  table_grid(t, maxrow, maxcol, truncated);
  return t;
}

/* kp_page_from_json() and kp_page_from_json_normalizing(), reading texts
 * as `r` says. */
static KpPage *read_page(const Reader *r, JsonObject *o, GError **error)
{
  KpPage *p = g_new0(KpPage, 1);
  p->no = int_in(o, "page", 0, 1, 10000000);
  p->width = kk_json_double(o, "width", 0);
  p->height = kk_json_double(o, "height", 0);
  p->lines = g_ptr_array_new_with_free_func(line_free);
  p->tables = g_ptr_array_new_with_free_func(table_free);

  JsonArray *lines = kk_json_array(o, "lines");
  guint n = lines ? json_array_get_length(lines) : 0;
  if (n > KP_MAX_LINES) {
    n = KP_MAX_LINES;
    p->truncated = TRUE;
  }
  for (guint i = 0; i < n; i++) {
    JsonNode *ln = json_array_get_element(lines, i);
    if (!JSON_NODE_HOLDS_OBJECT(ln))
      continue;
    JsonObject *lo = json_node_get_object(ln);
    KpLine *l = g_new0(KpLine, 1);
    if (!read_text(r, &l->t, lo, error)) {
      line_free(l);
      kp_page_free(p);
      return NULL;
    }
    l->size = kk_json_double(lo, "size", 0);
    const char *font = kk_json_string(lo, "font", NULL);
    l->font = font ? g_strdup(font) : NULL;
    l->table = int_in(lo, "table", -1, 0, KP_MAX_TABLES - 1);
    g_ptr_array_add(p->lines, l);
  }
  JsonArray *tables = kk_json_array(o, "tables");
  n = tables ? json_array_get_length(tables) : 0;
  if (n > KP_MAX_TABLES) {
    n = KP_MAX_TABLES;
    p->truncated = TRUE;
  }
  for (guint i = 0; i < n; i++) {
    JsonNode *tn = json_array_get_element(tables, i);
    if (!JSON_NODE_HOLDS_OBJECT(tn))
      continue;
    KpTable *t = read_table(r, json_node_get_object(tn), (int)p->tables->len, &p->truncated, error);
    if (t == NULL) {
      kp_page_free(p);
      return NULL;
    }
    g_ptr_array_add(p->tables, t);
  }
  return p;
}

KpPage *kp_page_from_json(JsonObject *o)
{
  const Reader r = { NULL, NULL };
  return read_page(&r, o, NULL);
}

KpPage *kp_page_from_json_normalizing(JsonObject *o, GError **error)
{
  KkNormalizer *n = kk_normalizer_default(error);
  if (n == NULL)
    return NULL;
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  const Reader r = { n, spans };
  return read_page(&r, o, error);
}

/* A number as extract's page object holds it (to 0.1). */
static double round1(double v)
{
  return round(v * 10.0) / 10.0;
}

/* A layout box as extract's page object holds it and sane_bbox() reads
 * it back: the rounded numbers, TRUE when they are sane. */
static gboolean layout_bbox(const KkBox *box, double out[4])
{
  const double *v = (const double *)box;
  for (int i = 0; i < 4; i++)
    out[i] = round1(v[i]);
  return sane_box(out);
}

/* Sets `t` from `len` bytes of a layout's `text` (up to a NUL, as the page
 * object's JSON string would end) and its `box`, as text_init_normalizing()
 * sets it from the page object; FALSE (with `error`) when normalizing
 * failed. */
static gboolean layout_text(KpText *t, const char *text, gsize len, const KkBox *box, const Reader *r,
                            GError **error)
{
  if (!text_normalized(t, text, strnlen(text, len), r->n, r->spans, error))
    return FALSE;
  t->has_bbox = layout_bbox(box, t->bbox);
  if (!t->has_bbox)
    memset(t->bbox, 0, sizeof t->bbox);
  return TRUE;
}

/* A table of a layout as read_table() reads it from the page object
 * (its rows as kk_extract_row_starts() gives them); NULL (with `error`)
 * when a text could not be normalized. */
static KpTable *layout_table(const KkPageTable *pt, int index, const Reader *r, GArray *starts,
                             gboolean *truncated, GError **error)
{
  KpTable *t = g_new0(KpTable, 1);
  t->index = index;
  t->cells = g_ptr_array_new_with_free_func(cell_free);
  t->has_bbox = layout_bbox(&pt->box, t->bbox);
  t->ruled = pt->ruled != FALSE;
  t->continued = pt->continued_from_previous != FALSE;
  t->header_rows = (int)MIN(pt->header_rows, KP_MAX_ROWS);
  kk_extract_row_starts(pt, starts);
  guint nrows = starts->len - 1;
  if (nrows > KP_MAX_ROWS) {
    nrows = KP_MAX_ROWS;
    *truncated = TRUE;
  }
  int maxrow = 0, maxcol = 0;
  for (guint row = 0; row < nrows; row++) {
    guint from = g_array_index(starts, guint, row), to = g_array_index(starts, guint, row + 1);
    int next_col = 0;
    for (guint c = from; c < to && c - from < KP_MAX_COLS; c++) {
      const KkCell *kc = &g_array_index(pt->cells, KkCell, c);
      KpCell *cell = g_new0(KpCell, 1);
      if (!layout_text(&cell->t, kc->text ? kc->text->str : "", kc->text ? kc->text->len : 0, &kc->box, r,
                       error)) {
        cell_free(cell);
        table_free(t);
        return NULL;
      }
      cell->confidence = -1;
      cell->row = in_range(kc->row, -1, 0, KP_MAX_ROWS - 1);
      cell->col = in_range(kc->col, -1, 0, KP_MAX_COLS - 1);
      cell->rowspan = in_range(kc->rowspan, 1, 1, KP_MAX_ROWS);
      cell->colspan = in_range(kc->colspan, 1, 1, KP_MAX_COLS);
      add_cell(t, cell, &next_col, &maxrow, &maxcol, truncated);
    }
  }
  table_grid(t, maxrow, maxcol, truncated);
  return t;
}

KpPage *kp_page_from_layout(const KkLayout *l, guint page_no, GError **error)
{
  KkNormalizer *n = kk_normalizer_default(error);
  if (n == NULL)
    return NULL;
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  const Reader r = { n, spans };
  KpPage *p = g_new0(KpPage, 1);
  p->no = in_range(page_no, 0, 1, 10000000);
  p->width = round1(l->width);
  p->height = round1(l->height);
  p->lines = g_ptr_array_new_with_free_func(line_free);
  p->tables = g_ptr_array_new_with_free_func(table_free);
  p->weight = l->lines->len;
  for (guint k = 0; k < l->tables->len; k++)
    p->weight += ((const KkPageTable *)g_ptr_array_index(l->tables, k))->cells->len;

  guint n_lines = l->lines->len;
  if (n_lines > KP_MAX_LINES) {
    n_lines = KP_MAX_LINES;
    p->truncated = TRUE;
  }
  for (guint i = 0; i < n_lines; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    KpLine *kl = g_new0(KpLine, 1);
    if (!layout_text(&kl->t, l->pool->str + line->text_off, line->text_len, &line->box, &r, error)) {
      line_free(kl);
      kp_page_free(p);
      return NULL;
    }
    kl->size = round1(line->size);
    const char *font = kk_extract_line_font(l, line);
    kl->font = font ? g_strdup(font) : NULL;
    kl->table = line->table >= 0 ? in_range(line->table, -1, 0, KP_MAX_TABLES - 1) : -1;
    g_ptr_array_add(p->lines, kl);
  }
  guint n_tables = l->tables->len;
  if (n_tables > KP_MAX_TABLES) {
    n_tables = KP_MAX_TABLES;
    p->truncated = TRUE;
  }
  g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint k = 0; k < n_tables; k++) {
    KpTable *t = layout_table(g_ptr_array_index(l->tables, k), (int)k, &r, starts, &p->truncated, error);
    if (t == NULL) {
      kp_page_free(p);
      return NULL;
    }
    g_ptr_array_add(p->tables, t);
  }
  return p;
}

char *kp_page_text(const KpPage *page)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (i)
      g_string_append_c(s, '\n');
    g_string_append(s, l->t.text);
  }
  return g_string_free(s, FALSE);
}

const KpSpan *kp_text_find_span(const KpText *t, KkSpanKind kind, int from, int to)
{
  if (t == NULL || t->spans == NULL)
    return NULL;
  for (guint i = 0; i < t->spans->len; i++) {
    const KpSpan *s = &g_array_index(t->spans, KpSpan, i);
    if (s->type != kind)
      continue;
    if (s->start >= from && (to < 0 || s->end <= to))
      return s;
  }
  return NULL;
}

int kp_cp_offset(const char *text, gsize byte)
{
  gsize len = strlen(text);
  if (byte > len)
    byte = len;
  return (int)g_utf8_strlen(text, (gssize)byte);
}

gboolean kp_blank(const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    if (!g_unichar_isspace(g_utf8_get_char(p)))
      return FALSE;
  return TRUE;
}

char *kp_squeeze(const char *text)
{
  const char *p = text ? text : "";
  char *out = g_malloc(strlen(p) + 1), *o = out;
  while (*p) {
    /* ASCII straight (most of a page's bytes); the spaces are those
     * g_unichar_isspace() knows below 0x80 */
    if ((guchar)*p < 0x80) {
      if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f')
        *o++ = *p;
      p++;
      continue;
    }
    /* bytes that are no character (never read past the NUL) are kept */
    gunichar c = g_utf8_get_char_validated(p, -1);
    gboolean invalid = c == (gunichar)-1 || c == (gunichar)-2;
    const char *next = invalid ? p + 1 : g_utf8_next_char(p);
    if (invalid || !g_unichar_isspace(c))
      for (; p < next; p++)
        *o++ = *p;
    p = next;
  }
  *o = '\0';
  return out;
}

const char *kp_text_squeezed(const KpText *t)
{
  KpText *m = (KpText *)t; /* a cache: the text itself does not change */
  if (m->squeezed == NULL)
    m->squeezed = kp_squeeze(t->text);
  return m->squeezed;
}
