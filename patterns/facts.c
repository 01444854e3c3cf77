/* facts.c — see facts.h */
#include "patterns/facts.h"
#include "patterns/engine.h"
#include "common/kk-jsonl.h"
#include "normalize/normalize.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ the model */

/* What a body cell holds. */
typedef enum {
  CK_BLANK,  /* nothing */
  CK_NIL,    /* a dash or ellipsis: "no value", neither label nor number */
  CK_TEXT,   /* words (a label) */
  CK_VALUE,  /* one number, amount, quantity or percent */
  CK_MULTI,  /* several values and nothing else ("(12.98%)<△16.5億円>"): no label, no fact */
} CellKind;

/* A unit as a table states it. */
typedef enum { UK_NONE, UK_MONEY, UK_PERCENT, UK_OTHER } UnitKind;

typedef struct {
  UnitKind kind;
  gint64 scale;        /* UK_MONEY: yen per unit (千円 = 1000) */
  char text[40];       /* as written, squeezed (千円, 人, 千人, %) */
} Unit;

typedef struct {
  char *text;          /* normalized text of the cell */
  int row, col, rowspan, colspan; /* in the joined grid */
  int page;
  double bbox[4];
  gboolean has_bbox;
  double confidence;   /* OCR confidence 0..100, or -1 (text layer) */
  /* filled by analyse() */
  CellKind kind;
  KkSpan value;        /* CK_VALUE */
  Unit own_unit;       /* a unit word printed beside a plain number ("千円\n1,459,000") */
  /* as a label, worked out once (label_of) */
  char *label;         /* wrapped lines joined */
  gint year;           /* the fiscal year it names, 0 if none */
  gint era_base;       /* for a year named with its era (平成30年度, R4): the
                          year before the era's first (1988 for 平成), else 0 */
  gint bare_year;      /* a year written without its era (30年度, 元年度):
                          its number, until resolved (resolve_bare_years) */
  gboolean year_ambiguous;
} FCell;

typedef struct {
  int key;
  GPtrArray *cells;    /* FCell*, in row order */
  int nrows, ncols;
  int page, page_end;
  gboolean ruled;
  int header_rows_in;  /* extract's header_rows of the first part */
  char **header_sig;   /* squeezed texts of those rows (repeat detection) */
  char *title;
  Unit caption_unit;
  double bbox[4];      /* of the first part */
  gboolean has_bbox;
  gboolean truncated;
} FTable;

struct KpFacts {
  KpFactsEmit emit;
  gpointer data;
  GString *line;       /* the record being written (reused) */
  FTable *open;
  int next_key;
  guint64 n_tables, n_facts; /* records emitted */
  Unit foot_unit;      /* a unit line below every table of the last page: the next page's first table's */
  Unit layout_unit;    /* the caption unit in force, for later tables of the same header rows */
  char *layout_sig;    /* those header rows (header_signature), or NULL */
  gint doc_era_base;   /* the era of every era-named 年度 the document has
                          shown so far (an era base, see FCell), 0 if none */
  gboolean doc_era_mixed; /* it has shown 年度 of two eras */
};

static void fcell_free(gpointer data)
{
  FCell *c = data;
  g_free(c->text);
  g_free(c->label);
  g_free(c);
}

static void ftable_free(FTable *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref(t->cells);
  g_strfreev(t->header_sig);
  g_free(t->title);
  g_free(t);
}

KpFacts *kp_facts_new(KpFactsEmit emit, gpointer data)
{
  KpFacts *f = g_new0(KpFacts, 1);
  f->emit = emit;
  f->data = data;
  f->line = g_string_sized_new(4096);
  return f;
}

void kp_facts_free(KpFacts *f)
{
  if (f == NULL)
    return;
  ftable_free(f->open);
  g_free(f->layout_sig);
  g_string_free(f->line, TRUE);
  g_free(f);
}

/* ---------------------------------------------------------------- units */

/* Strips one pair of brackets around the whole of `s` (in place). */
static void strip_brackets(char *s)
{
  static const char *const pairs[][2] = {
    { "(", ")" }, { "（", "）" }, { "[", "]" }, { "［", "］" }, { "〔", "〕" }, { "<", ">" }, { "【", "】" },
  };
  gsize len = strlen(s);
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    gsize ol = strlen(pairs[i][0]), cl = strlen(pairs[i][1]);
    if (len >= ol + cl && strncmp(s, pairs[i][0], ol) == 0 && strcmp(s + len - cl, pairs[i][1]) == 0) {
      memmove(s, s + ol, len - ol - cl);
      s[len - ol - cl] = '\0';
      return;
    }
  }
}

/* Reads a unit word: "千円", "(単位：千円)", "単位:人", "%", "（千人）".  The
 * word is a unit when normalize reads "1" followed by it as one amount,
 * percent or quantity (so keikaku has one list of units, normalize's):
 * an amount is money (its value is the scale), a percent is %, anything
 * else keeps its word.  FALSE for anything else (several units, words). */
static gboolean unit_parse(const char *text, Unit *out)
{
  memset(out, 0, sizeof *out);
  if (text == NULL)
    return FALSE;
  g_autofree char *s = kp_squeeze(text);
  strip_brackets(s);
  char *u = s;
  if (g_str_has_prefix(u, "単位")) {
    u += strlen("単位");
    if (*u == ':')
      u++;
    else if (g_str_has_prefix(u, "："))
      u += strlen("：");
  }
  strip_brackets(u);
  glong n = g_utf8_strlen(u, -1);
  if (n < 1 || n > 8 || strlen(u) >= sizeof out->text)
    return FALSE;
  for (const char *q = u; *q; q++)
    if (g_ascii_isdigit(*q))
      return FALSE;
  g_autofree char *probe = g_strconcat("1", u, NULL);
  g_autoptr(GArray) spans = kk_annotate_text(probe, -1);
  if (spans->len != 1)
    return FALSE;
  const KkSpan *sp = &g_array_index(spans, KkSpan, 0);
  if (sp->start != 0 || sp->end != (guint32)(n + 1))
    return FALSE;
  switch (sp->kind) {
  case KK_SPAN_AMOUNT:
    if (sp->value.scale != 0 || sp->value.mantissa <= 0)
      return FALSE;
    out->kind = UK_MONEY;
    out->scale = sp->value.mantissa;
    break;
  case KK_SPAN_PERCENT:
    out->kind = UK_PERCENT;
    break;
  case KK_SPAN_QUANTITY:
    out->kind = UK_OTHER;
    break;
  default:
    return FALSE;
  }
  g_strlcpy(out->text, out->kind == UK_PERCENT ? "%" : u, sizeof out->text);
  return TRUE;
}

/* A unit stated in running text: what follows "単位" up to a closing
 * bracket ("図表8 … (単位：百万円)"), or a line that is only a bracketed
 * unit ("（千円）").  FALSE if none. */
static gboolean unit_in_line(const char *text, Unit *out)
{
  g_autofree char *s = kp_squeeze(text);
  const char *at = strstr(s, "単位");
  if (at == NULL)
    return g_str_has_suffix(s, ")") || g_str_has_suffix(s, "）") ? unit_parse(s, out) : FALSE;
  GString *u = g_string_new("単位");
  for (const char *q = at + strlen("単位"); *q; q = g_utf8_next_char(q)) {
    gunichar c = g_utf8_get_char(q);
    if (c == ')' || c == 0xFF09 || c == ']' || c == 0xFF3D || c == 0x3015 || c == 0x3011)
      break;
    g_string_append_unichar(u, c);
  }
  g_autofree char *w = g_string_free(u, FALSE);
  return unit_parse(w, out);
}

/* The unit in a header or label cell's trailing brackets: "効果額（千円）",
 * "旅費(円)", "人口（人）".  FALSE if none. */
static gboolean unit_in_trailing_brackets(const char *text, Unit *out)
{
  g_autofree char *s = kp_squeeze(text);
  const char *open = NULL;
  if (g_str_has_suffix(s, ")"))
    open = g_strrstr(s, "(");
  else if (g_str_has_suffix(s, "）"))
    open = g_strrstr(s, "（");
  if (open == NULL || open == s)
    return FALSE;
  return unit_parse(open, out);
}

/* ---------------------------------------------------------------- cells */

/* TRUE for a cell that says "no value": dashes, ellipses, a slash. */
static gboolean is_nil(const char *squeezed)
{
  static const char *const nil[] = { "-", "—", "―", "－", "−", "‐", "ー", "…", "・", "*", "＊", "/", "／", "--", "――", "——", "－－", "‐‐" };
  for (gsize i = 0; i < G_N_ELEMENTS(nil); i++)
    if (strcmp(squeezed, nil[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Words that may stand beside a value in a cell without making it text. */
static gboolean is_qualifier(const char *w)
{
  static const char *const q[] = { "以上", "以下", "以内", "未満", "超", "約", "程度", "前後", "増", "減", "見込", "見込み",
                                   "年", "毎年" /* a rate per year: "年111校" */ };
  for (gsize i = 0; i < G_N_ELEMENTS(q); i++)
    if (strcmp(w, q[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Removes bracketed groups that hold no digit ("(実質単年度収支)", "※");
 * brackets around a digit keep their content but lose the brackets. */
static char *drop_notes(const char *s)
{
  GString *out = g_string_new(NULL);
  const char *p = s;
  while (*p) {
    gunichar c = g_utf8_get_char(p);
    gunichar close = c == '(' ? ')' : c == 0xFF08 ? 0xFF09 : c == '<' ? '>' : c == 0xFF3B ? 0xFF3D
                   : c == '[' ? ']' : c == 0x3010 ? 0x3011 : 0;
    if (close) {
      const char *e = g_utf8_strchr(p, -1, close);
      if (e) {
        gboolean digit = FALSE;
        for (const char *q = p; q < e; q++)
          digit = digit || g_ascii_isdigit(*q);
        if (digit)
          g_string_append_len(out, g_utf8_next_char(p), e - g_utf8_next_char(p));
        p = g_utf8_next_char(e);
        continue;
      }
    }
    if (c != 0x203B) /* ※ */
      g_string_append_unichar(out, c);
    p = g_utf8_next_char(p);
  }
  return g_string_free(out, FALSE);
}

/* TRUE if nothing but values, brackets and separators is left of `text`
 * once its value spans are taken out.  A range ("0～4歳") is a label, not
 * several values. */
static gboolean only_values(const char *text, GArray *spans)
{
  if (strstr(text, "～") || strstr(text, "~") || strstr(text, "〜"))
    return FALSE;
  guint32 i = 0, k = 0;
  for (const char *q = text; *q; q = g_utf8_next_char(q), i++) {
    while (k < spans->len && g_array_index(spans, KkSpan, k).end <= i)
      k++;
    if (k < spans->len && g_array_index(spans, KkSpan, k).start <= i)
      continue;
    gunichar c = g_utf8_get_char(q);
    GUnicodeType ty = g_unichar_type(c);
    if (!g_unichar_isspace(c) && !g_unichar_ispunct(c) && ty != G_UNICODE_MATH_SYMBOL &&
        ty != G_UNICODE_OTHER_SYMBOL && ty != G_UNICODE_MODIFIER_SYMBOL)
      return FALSE;
  }
  return TRUE;
}

static void classify_text(FCell *c, const char *text);

/* `text` without its bracketed groups (any of the pairs drop_notes knows),
 * their content included.  Newly allocated. */
static char *without_brackets(const char *text)
{
  GString *out = g_string_new(NULL);
  for (const char *p = text; *p;) {
    gunichar c = g_utf8_get_char(p);
    gunichar close = c == '(' ? ')' : c == 0xFF08 ? 0xFF09 : c == '<' ? '>' : c == 0xFF3B ? 0xFF3D
                   : c == '[' ? ']' : c == 0x3010 ? 0x3011 : 0;
    const char *e = close ? g_utf8_strchr(p, -1, close) : NULL;
    if (e) {
      p = g_utf8_next_char(e);
      continue;
    }
    g_string_append_unichar(out, c);
    p = g_utf8_next_char(p);
  }
  return g_string_free(out, FALSE);
}

/* Classifies a cell's text: blank, nil, a value (one number, amount,
 * quantity or percent, with at most a unit word, a qualifier or a note in
 * brackets beside it) or text.  Any date or year makes it text (a header
 * such as "R6" or "2024年度" is never a value). */
static void classify(FCell *c)
{
  classify_text(c, c->text);
  if (c->kind != CK_TEXT && c->kind != CK_MULTI)
    return;
  /* "年3人（5年間で15人）": a figure with a second one in brackets gives
   * the first, the one the header describes */
  g_autoptr(GArray) spans = kk_annotate_text(c->text, -1);
  guint figures = 0;
  for (guint i = 0; i < spans->len; i++) {
    KkSpanKind k = g_array_index(spans, KkSpan, i).kind;
    if (k != KK_SPAN_NUMBER && k != KK_SPAN_AMOUNT && k != KK_SPAN_QUANTITY && k != KK_SPAN_PERCENT)
      return; /* a date or a year: a label (第1期(2015～2019)) */
    figures++;
  }
  g_autofree char *outside = without_brackets(c->text);
  if (figures < 2 || strcmp(outside, c->text) == 0)
    return;
  CellKind was = c->kind;
  classify_text(c, outside);
  if (c->kind != CK_VALUE)
    c->kind = was;
}

/* Classifies `text` (the cell's, or the cell's without its brackets) into
 * c->kind, c->value and c->own_unit: see classify(). */
static void classify_text(FCell *c, const char *text)
{
  c->kind = CK_BLANK;
  memset(&c->own_unit, 0, sizeof c->own_unit);
  g_autofree char *sq = kp_squeeze(text);
  if (*sq == '\0')
    return;
  if (is_nil(sq)) {
    c->kind = CK_NIL;
    return;
  }
  c->kind = CK_TEXT;
  g_autoptr(GArray) spans = kk_annotate_text(text, -1);
  const KkSpan *val = NULL;
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    switch (sp->kind) {
    case KK_SPAN_NUMBER:
    case KK_SPAN_AMOUNT:
    case KK_SPAN_QUANTITY:
    case KK_SPAN_PERCENT:
      if (val != NULL) {
        c->kind = only_values(text, spans) ? CK_MULTI : CK_TEXT;
        return; /* two values: a note or a sentence, not one value */
      }
      val = sp;
      break;
    default:
      return; /* a date or a year */
    }
  }
  if (val == NULL)
    return;
  /* the rest of the cell, outside the value */
  glong n = g_utf8_strlen(text, -1);
  g_autofree char *before = g_utf8_substring(text, 0, val->start);
  g_autofree char *after = g_utf8_substring(text, val->end, n);
  g_autofree char *rest_raw = g_strconcat(before, after, NULL);
  g_autofree char *rest_sq = kp_squeeze(rest_raw);
  g_autofree char *rest = drop_notes(rest_sq);
  if (*rest != '\0') {
    Unit u;
    g_autofree char *b = kp_squeeze(before);
    g_autofree char *a = kp_squeeze(after);
    g_autofree char *a_notes = drop_notes(a);
    g_autofree char *b_notes = drop_notes(b);
    if (val->kind == KK_SPAN_NUMBER && *a_notes == '\0' && unit_parse(b, &u))
      c->own_unit = u;          /* "千円\n1,459,000": the unit heads the value */
    else if (val->kind == KK_SPAN_NUMBER && *b_notes == '\0' && unit_parse(a, &u))
      c->own_unit = u;          /* "46,460,600 千円": set apart, the unit follows it */
    else if (!is_qualifier(rest))
      return;
  }
  c->kind = CK_VALUE;
  c->value = *val;
}

/* TRUE if the value cell is a plain integer written with digits only,
 * perhaps in brackets ("12", "(3)": a number or a list mark). */
static gboolean plain_integer(const FCell *c)
{
  if (c->kind != CK_VALUE || c->value.kind != KK_SPAN_NUMBER || c->value.value.scale != 0 || c->value.value.mantissa < 0)
    return FALSE;
  g_autofree char *sq = kp_squeeze(c->text);
  char *digits = sq;
  gsize len = strlen(sq);
  if (len >= 3 && sq[0] == '(' && sq[len - 1] == ')') {
    sq[len - 1] = '\0';
    digits++;
  }
  for (const char *q = digits; *q; q++)
    if (!g_ascii_isdigit(*q))
      return FALSE;
  return *digits != '\0';
}

/* The unit word a value cell is written with: the one heading its
 * number ("千円\n1,459,000") or the word after its last digit
 * ("46,460,600 千円", "3人", "8.43％").  FALSE for a plain number, a
 * number written with 億/万 (its unit is no column's) or no unit word. */
static gboolean value_unit(const FCell *x, Unit *out)
{
  memset(out, 0, sizeof *out);
  if (x->kind != CK_VALUE)
    return FALSE;
  if (x->own_unit.kind != UK_NONE) {
    *out = x->own_unit;
    return TRUE;
  }
  if (x->value.kind == KK_SPAN_NUMBER)
    return FALSE;
  g_autofree char *sq = kp_squeeze(x->text);
  g_autofree char *bare = drop_notes(sq);
  const char *last = NULL;
  for (const char *q = bare; *q; q++)
    if (g_ascii_isdigit(*q))
      last = q;
  if (last == NULL)
    return FALSE;
  g_autofree char *head = g_strndup(bare, last - bare);
  if (strstr(head, "億") || strstr(head, "万") || strstr(head, "兆"))
    return FALSE;
  return unit_parse(last + 1, out);
}

/* TRUE if a words cell reads as running text (a sentence beside a table
 * that whitespace alignment took in), not as a label. */
static gboolean prose_like(const FCell *c)
{
  return strstr(c->text, "。") != NULL || strstr(c->text, "、") != NULL || g_utf8_strlen(c->text, -1) > 40;
}

/* The text of a label for a record: wrapped lines joined. */
static char *label_text(const char *text)
{
  return kp_attr_text(text);
}

/* ------------------------------------------------------ table analysis */

typedef struct {
  FTable *t;
  FCell **grid;        /* nrows * ncols -> covering cell */
  int header;          /* header rows */
  gboolean *label_col, *index_col, *unit_col, *value_col;
  int *label_from;     /* per column: first column of the labels its values use */
  Unit *col_unit;
  Unit table_unit;
  gboolean table_unit_shared; /* table_unit is the value columns' common one */
} Analysis;

/* The cell covering slot (r, c) of the analysed table, or NULL. */
static FCell *at(const Analysis *a, int r, int c)
{
  if (r < 0 || c < 0 || r >= a->t->nrows || c >= a->t->ncols)
    return NULL;
  return a->grid[(gsize)r * a->t->ncols + c];
}

static void analysis_clear(Analysis *a)
{
  g_free(a->grid);
  g_free(a->label_col);
  g_free(a->index_col);
  g_free(a->unit_col);
  g_free(a->value_col);
  g_free(a->label_from);
  g_free(a->col_unit);
}

/* TRUE if every non-blank cell starting in row r is a unit word (a units
 * row: "千円 千円 千円"), and there is at least one. */
static gboolean units_row(const Analysis *a, int r)
{
  int n = 0;
  for (int c = 0; c < a->t->ncols; c++) {
    FCell *x = at(a, r, c);
    if (x == NULL || x->row != r || x->col != c || x->kind == CK_BLANK)
      continue;
    Unit u;
    if (!unit_parse(x->text, &u))
      return FALSE;
    n++;
  }
  return n > 0;
}

/* TRUE if row r holds a value cell. */
static gboolean row_has_value(const Analysis *a, int r)
{
  for (int c = 0; c < a->t->ncols; c++) {
    FCell *x = at(a, r, c);
    if (x && x->row == r && x->col == c && (x->kind == CK_VALUE || x->kind == CK_MULTI))
      return TRUE;
  }
  return FALSE;
}

/* TRUE if row r is one words cell across the whole table (a section
 * heading such as 歳入 over its rows, or a title). */
static gboolean full_width_row(const Analysis *a, int r)
{
  FCell *x = at(a, r, 0);
  return x != NULL && x->row == r && x->rowspan == 1 && x->colspan >= a->t->ncols && a->t->ncols > 1 &&
         x->kind == CK_TEXT;
}

/* Header rows: extract's count, else the leading rows without a value
 * (when values follow); extended over header cells that span further
 * down and over units rows right below.  A last header row that is one
 * cell across the table, when the body holds rows like it (歳入 ... 歳出
 * over their rows), is the first section heading, not a header. */
static int header_rows(const Analysis *a)
{
  const FTable *t = a->t;
  int h = MIN(t->header_rows_in, t->nrows);
  if (h > 1 && full_width_row(a, h - 1)) {
    gboolean another = FALSE;
    for (int r = h; r < t->nrows && !another; r++)
      another = full_width_row(a, r);
    if (another)
      return h - 1;
  }
  if (h == 0) {
    int r = 0;
    while (r < t->nrows && r < 4 && !row_has_value(a, r))
      r++;
    gboolean values_below = FALSE;
    for (int k = r; k < t->nrows && !values_below; k++)
      values_below = row_has_value(a, k);
    h = values_below && r < t->nrows ? r : 0;
  }
  for (gboolean grew = TRUE; grew && h < t->nrows;) {
    grew = FALSE;
    for (guint i = 0; i < t->cells->len; i++) {
      FCell *x = g_ptr_array_index(t->cells, i);
      if (x->row < h && x->row + x->rowspan > h && x->row + x->rowspan <= t->nrows) {
        h = x->row + x->rowspan;
        grew = TRUE;
      }
    }
    if (h < t->nrows && units_row(a, h)) {
      h++;
      grew = TRUE;
    }
  }
  return h;
}

/* Squeezed text of the header cells over column c (for comparing columns). */
static char *column_head(const Analysis *a, int c)
{
  GString *s = g_string_new(NULL);
  for (int r = 0; r < a->header; r++) {
    FCell *x = at(a, r, c);
    if (x) {
      g_autofree char *sq = kp_squeeze(x->text);
      g_string_append(s, sq);
    }
    g_string_append_c(s, '\t');
  }
  return g_string_free(s, FALSE);
}

/* Label/value pairs side by side ("小郡小学校区 1,435,141円 | のぞみが丘小学校区
 * 900,949円"): after the first block (labels, then values) a run of word
 * columns as wide as the first labels, under the same headers, labels the
 * values that follow it. */
static void paired_blocks(Analysis *a, int first_value, const int *texts, const int *values)
{
  int nc = a->t->ncols, n_labels = 0;
  for (int c = 0; c < first_value && c < nc; c++)
    n_labels += a->label_col[c];
  if (n_labels == 0)
    return;
  int c = first_value;
  int from = 0;
  while (c < nc) {
    while (c < nc && (a->value_col[c] || a->unit_col[c])) /* the values of the block */
      a->label_from[c++] = from;
    int run = c;
    while (run < nc && !a->value_col[run] && texts[run] > values[run] && !a->unit_col[run])
      run++;
    gboolean same = run - c == n_labels && run < nc && a->value_col[run];
    for (int k = 0; same && k < n_labels; k++) {
      g_autofree char *h1 = column_head(a, first_value - n_labels + k), *h2 = column_head(a, c + k);
      same = strcmp(h1, h2) == 0;
    }
    if (!same)
      break;
    for (int k = c; k < run; k++) {
      a->label_col[k] = TRUE;
      a->label_from[k] = c;
    }
    from = c;
    c = run;
  }
  for (; c < nc; c++)
    a->label_from[c] = from;
}

/* Fills the column roles: value columns (more values than words among
 * their body cells), index columns (番号: 1, 2, 3 …), unit columns (単位,
 * or every body cell a unit word), label columns (left of the first value
 * column), and each column's unit from its header cells. */
static void column_roles(Analysis *a)
{
  FTable *t = a->t;
  int nc = t->ncols;
  a->label_col = g_new0(gboolean, nc);
  a->index_col = g_new0(gboolean, nc);
  a->unit_col = g_new0(gboolean, nc);
  a->value_col = g_new0(gboolean, nc);
  a->col_unit = g_new0(Unit, nc);
  g_autofree int *values = g_new0(int, nc), *texts = g_new0(int, nc), *units = g_new0(int, nc),
                  *prose = g_new0(int, nc);
  g_autofree gboolean *small_int = g_new0(gboolean, nc); /* every value a plain integer below 1000 */
  g_autofree gboolean *consecutive = g_new0(gboolean, nc), *index_head = g_new0(gboolean, nc),
                      *unit_head = g_new0(gboolean, nc);
  for (int c = 0; c < nc; c++) {
    gint64 prev = -1;
    consecutive[c] = TRUE;
    small_int[c] = TRUE;
    for (int r = a->header; r < t->nrows; r++) {
      FCell *x = at(a, r, c);
      if (x == NULL || x->row != r || x->col != c)
        continue;
      Unit u;
      if (x->kind == CK_TEXT && unit_parse(x->text, &u))
        units[c]++;
      if (x->kind == CK_MULTI) {
        values[c]++;
        consecutive[c] = small_int[c] = FALSE;
      } else if (x->kind == CK_VALUE) {
        values[c]++;
        if (!plain_integer(x) || x->value.value.mantissa >= 1000)
          small_int[c] = FALSE;
        if (!plain_integer(x) || (prev >= 0 && x->value.value.mantissa != prev + 1))
          consecutive[c] = FALSE;
        prev = x->value.value.mantissa;
      } else if (x->kind == CK_TEXT) {
        texts[c]++;
        prose[c] += prose_like(x);
      }
    }
    /* the header text over the column */
    for (int r = 0; r < a->header; r++) {
      FCell *x = at(a, r, c);
      if (x == NULL || x->row != r)
        continue;
      g_autofree char *sq = kp_squeeze(x->text);
      g_autofree char *low = g_ascii_strdown(sq, -1);
      if (strcmp(low, "no") == 0 || strcmp(low, "no.") == 0 || strcmp(sq, "番号") == 0 || strcmp(sq, "項番") == 0)
        index_head[c] = TRUE;
      if (strcmp(sq, "単位") == 0)
        unit_head[c] = TRUE;
      Unit u;
      const char *last_line = strrchr(x->text, '\n');
      if (a->col_unit[c].kind == UK_NONE && x->colspan < nc &&
          (unit_parse(x->text, &u) || unit_in_trailing_brackets(x->text, &u) || unit_in_line(x->text, &u) ||
           (last_line && unit_parse(last_line + 1, &u)))) /* "職員数\n人": a units row run into the header */
        a->col_unit[c] = u;
    }
  }
  int first_value = nc;
  for (int c = 0; c < nc; c++) {
    if ((unit_head[c] || (units[c] >= 1 && units[c] == texts[c])) && values[c] == 0) {
      a->unit_col[c] = TRUE;
      continue;
    }
    /* 1, 2, 3 … left of the words they number */
    gboolean words_right = FALSE;
    for (int k = c + 1; k < nc && !words_right; k++)
      words_right = texts[k] > values[k];
    if (values[c] > 0 && consecutive[c] && first_value == nc && (index_head[c] || words_right)) {
      a->index_col[c] = TRUE;
      continue;
    }
    if (values[c] > 0 && values[c] >= texts[c]) {
      a->value_col[c] = TRUE;
      first_value = MIN(first_value, c);
    }
  }
  /* codes (款 2, 項 1, 目 10: small integers) left of the words that name
   * the row, with the amounts further right, are no values */
  int words = -1;
  for (int c = nc - 1; c >= 0 && words < 0; c--)
    if (!a->value_col[c] && !a->unit_col[c] && !a->index_col[c] && texts[c] > values[c]) {
      gboolean amounts_right = FALSE;
      for (int k = c + 1; k < nc; k++)
        amounts_right = amounts_right || (a->value_col[k] && !small_int[k]);
      if (amounts_right)
        words = c;
    }
  for (int c = 0; c < words; c++)
    if (a->value_col[c] && small_int[c]) {
      a->value_col[c] = FALSE;
      a->index_col[c] = TRUE;
    }
  first_value = nc;
  for (int c = 0; c < nc && first_value == nc; c++)
    if (a->value_col[c])
      first_value = c;
  /* in a table aligned by white space, a column of sentences is text
   * beside the table, no label; an index column headed 番号 or No. is
   * part of the row's label (番号 1 names the row), a bare counter is not */
  for (int c = 0; c < first_value && c < nc; c++)
    if (!a->unit_col[c] && (!a->index_col[c] || index_head[c]) && (t->ruled || prose[c] * 2 < texts[c]))
      a->label_col[c] = TRUE;
  a->label_from = g_new0(int, nc);
  paired_blocks(a, first_value, texts, values);
  /* a column's unit printed at its top, in its first body cell, however
   * extract carries it: on a line above the number ("千円\n46,460,600"),
   * before it or after it ("46,460,600 千円") */
  for (int c = 0; c < nc; c++) {
    if (a->col_unit[c].kind != UK_NONE)
      continue;
    for (int r = a->header; r < t->nrows; r++) {
      FCell *x = at(a, r, c);
      if (x == NULL || x->row != r || x->col != c || x->kind == CK_BLANK)
        continue;
      const char *nl = strchr(x->text, '\n');
      g_autofree char *first = nl ? g_strndup(x->text, nl - x->text) : NULL;
      Unit u;
      if (first && unit_parse(first, &u))
        a->col_unit[c] = u;
      else if (value_unit(x, &u))
        a->col_unit[c] = u;
      break;
    }
  }
}

/* TRUE if the header over column c names a ratio (構成比, 前年度比,
 * 執行率, 割合): its unit-less numbers are no amounts of the columns
 * beside it.  (比較, a difference, is no ratio.) */
static gboolean ratio_column(const Analysis *a, int c)
{
  g_autofree char *head = column_head(a, c);
  g_autofree char *sq = kp_squeeze(head);
  return g_str_has_suffix(sq, "比") || g_str_has_suffix(sq, "率") || strstr(sq, "割合") != NULL;
}

/* The table's own unit: a caption above it, else a unit declared in a
 * header cell over a column without values (the corner "(単位：%)"), else
 * the unit every value column that states one states, when at least two
 * do ("R3予算額（千円）| R4予算額（千円）| 増減 | 財源内訳": the 増減 and
 * 財源 columns are in 千円 too; a ratio column takes no part). */
static void table_unit(Analysis *a)
{
  a->table_unit = a->t->caption_unit;
  if (a->table_unit.kind != UK_NONE)
    return;
  for (int c = 0; c < a->t->ncols; c++) {
    if (a->value_col[c] || a->col_unit[c].kind == UK_NONE)
      continue;
    /* declared, not a bare word: the corner 項目 reads as a counter (1項目)
     * but names the label column */
    g_autofree char *head = column_head(a, c);
    g_autofree char *sq = kp_squeeze(head);
    if (strstr(sq, "単位") == NULL && !g_str_has_prefix(sq, "(") && !g_str_has_prefix(sq, "（"))
      continue;
    a->table_unit = a->col_unit[c];
    return;
  }
  int stated = 0, shared = -1;
  for (int c = 0; c < a->t->ncols; c++) {
    if (!a->value_col[c] || a->col_unit[c].kind == UK_NONE)
      continue;
    if (shared >= 0 && strcmp(a->col_unit[c].text, a->col_unit[shared].text) != 0)
      return; /* columns in different units: none is the table's */
    shared = c;
    stated++;
  }
  if (stated >= 2 && a->col_unit[shared].kind != UK_PERCENT) {
    a->table_unit = a->col_unit[shared];
    a->table_unit_shared = TRUE;
  }
}

/* The era base of the year span [start, end) (code points) of `text`
 * whose Gregorian year is `year`: `year` less the era year written in it
 * when it is written with its era (平成30年度 -> 1988, R4 -> 2018, 令和元年度
 * -> 2018), else 0 (2024年度, a span past the text's end). */
static gint era_base_of(const char *text, int start, int end, gint64 year)
{
  glong len = g_utf8_strlen(text, -1);
  if (start < 0 || end > len || start >= end)
    return 0;
  const char *p = g_utf8_offset_to_pointer(text, start);
  const char *stop = g_utf8_offset_to_pointer(p, end - start);
  if (g_ascii_isdigit(*p))
    return 0; /* a Gregorian year */
  for (; p < stop; p = g_utf8_next_char(p)) {
    if (g_ascii_isdigit(*p)) {
      gint n = 0;
      for (int d = 0; p < stop && g_ascii_isdigit(*p) && d < 3; p++, d++)
        n = n * 10 + (*p - '0');
      return n >= 1 && n <= 99 && year > n ? (gint)(year - n) : 0;
    }
    if (g_str_has_prefix(p, "元"))
      return year > 1 ? (gint)(year - 1) : 0;
  }
  return 0;
}

/* The number of a fiscal year written without its era in `text` ("30年度",
 * "元年度"): 1..99 when the text names one such year (perhaps twice),
 * else 0.  Not a plan's own count (第2年度, 2年度目) nor a decimal.  Only
 * asked of texts in which normalize found no year (an era-named one is a
 * fiscal-year span). */
static gint bare_year(const char *text)
{
  static const char nendo[] = "年度";
  gint found = 0;
  for (const char *q = strstr(text, nendo); q != NULL; q = strstr(q + 1, nendo)) {
    if (g_str_has_prefix(q + strlen(nendo), "目"))
      continue;
    const char *b = q;
    gint n = 0, mul = 1, digits = 0;
    while (b > text && g_ascii_isdigit(b[-1]) && digits < 3) {
      b--;
      n += (*b - '0') * mul;
      mul *= 10;
      digits++;
    }
    if (digits == 0 && b - text >= 3 && strncmp(b - 3, "元", 3) == 0) {
      b -= 3;
      n = 1;
      digits = 1;
    }
    if (digits == 0 || digits > 2 || n < 1)
      continue;
    if (b > text) {
      gunichar pc = g_utf8_get_char(g_utf8_find_prev_char(text, b));
      if (pc == 0x7B2C /* 第 */ || pc == '.' || pc == ',' || (pc < 0x80 && g_ascii_isalnum((char)pc)))
        continue;
    }
    if (found != 0 && found != n)
      return 0; /* two years (30年度～31年度): no one year */
    found = n;
  }
  return found;
}

/* Works out once what cell c says as a label: its text with wrapped
 * lines joined, and the fiscal year it names (a fiscal-year span, else an
 * era year such as "R3"; a range or two different years: ambiguous). */
static const FCell *label_of(FCell *c, gboolean header)
{
  if (c->label != NULL)
    return c;
  /* a unit on a line of its own closing a header ("職員数\n人") is the
   * column's unit, not part of its name; a row label keeps all its lines
   * ("子育て支援\n課": 課 reads as a counter word, but names the office) */
  const char *nl = strrchr(c->text, '\n');
  Unit u;
  if (header && nl != NULL && nl > c->text && unit_parse(nl + 1, &u)) {
    g_autofree char *name = g_strndup(c->text, nl - c->text);
    c->label = kp_attr_text(name);
  } else {
    c->label = kp_attr_text(c->text);
  }
  g_autoptr(GArray) spans = kk_annotate_text(c->text, -1);
  int fy = 0, eras = 0;
  gint first_fy = 0, first_year = 0;
  gboolean dated = FALSE;
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    dated = dated || sp->kind == KK_SPAN_DATE || sp->kind == KK_SPAN_YEAR || sp->kind == KK_SPAN_FISCAL_YEAR ||
            sp->kind == KK_SPAN_FISCAL_YEAR_RANGE;
    if (sp->kind == KK_SPAN_FISCAL_YEAR_RANGE) {
      c->year_ambiguous = TRUE;
    } else if (sp->kind == KK_SPAN_FISCAL_YEAR) {
      if (fy++ == 0) {
        first_fy = sp->year;
        c->era_base = era_base_of(c->text, (int)sp->start, (int)sp->end, sp->year);
      } else if (sp->year != first_fy)
        c->year_ambiguous = TRUE;
    } else if (sp->kind == KK_SPAN_YEAR && sp->year > 1800 && sp->year < 2200) {
      if (eras++ == 0)
        first_year = sp->year;
      else if (sp->year != first_year)
        eras = 99;
    }
  }
  if (!fy && eras > 1)
    c->year_ambiguous = TRUE;
  c->year = fy ? first_fy : (eras == 1 ? first_year : 0);
  if (!dated)
    c->bare_year = bare_year(c->text);
  return c;
}

/* Appends label cell c (a header cell when `header`) to a " / "-joined
 * label and its fiscal year to `years` (distinct values); an ambiguous
 * cell sets *ambiguous. */
static void join_label(GString *s, FCell *c, gboolean header, GArray *years, gboolean *ambiguous)
{
  const FCell *l = label_of(c, header);
  if (*l->label != '\0') {
    if (s->len)
      g_string_append(s, " / ");
    g_string_append(s, l->label);
  }
  *ambiguous = *ambiguous || l->year_ambiguous;
  if (l->year == 0)
    return;
  for (guint i = 0; i < years->len; i++)
    if (g_array_index(years, gint, i) == l->year)
      return;
  g_array_append_val(years, l->year);
}

/* d × k exactly (k > 0), trailing zeros of the fraction dropped.  FALSE
 * when the result does not fit 64 bits. */
static gboolean decimal_scale(KkDecimal *d, gint64 k)
{
  gint64 m;
  if (__builtin_mul_overflow(d->mantissa, k, &m))
    return FALSE;
  int s = d->scale;
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    s--;
  }
  d->mantissa = m;
  d->scale = s;
  return TRUE;
}

/* A number written with 億 or 万 in a column of a money unit ("22億6,220"
 * under 万円) reads as one amount with its unit ("22億6,220万円"), not as
 * a number to scale.  TRUE with *v in yen when it does. */
static gboolean big_units_amount(const FCell *x, const Unit *u, KkDecimal *v)
{
  if (strstr(x->text, "億") == NULL && strstr(x->text, "万") == NULL && strstr(x->text, "兆") == NULL)
    return FALSE;
  g_autofree char *sq = kp_squeeze(x->text);
  glong n = g_utf8_strlen(sq, -1);
  g_autofree char *num = g_utf8_substring(sq, 0, n);
  g_autofree char *joined = g_strconcat(num, u->text, NULL);
  g_autoptr(GArray) spans = kk_annotate_text(joined, -1);
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    if (sp->kind == KK_SPAN_AMOUNT && sp->end == (guint32)g_utf8_strlen(joined, -1)) {
      *v = sp->value;
      return TRUE;
    }
  }
  return FALSE;
}

/* ------------------------------------------------------ writing records
 * A record is written as JSON text with kk-jsonl's pieces: the same text a
 * tree of the same members would serialize to. */

/* A decimal member: an integer when it is one, else a number whose
 * shortest form is the decimal's text. */
static void put_decimal(GString *s, const char *name, KkDecimal d)
{
  kk_json_put_key(s, name);
  if (d.scale == 0)
    kk_json_append_int(s, d.mantissa);
  else
    kk_json_append_double(s, kk_decimal_to_double(d));
}

/* The group a row belongs to when its outer label cell is left blank
 * (a heading written once above its rows, without a merged cell): the
 * nearest words cell above in label column lc, if the row has its own
 * label in a later label column (left of value column c) and the heading's
 * row holds no value.  A heading row with values of its own (款 1 市税
 * with its total above its 項 rows) is a row like the others: the rows
 * below keep their own labels only.  NULL otherwise. */
static FCell *group_label(const Analysis *a, int r, int lc, int c)
{
  gboolean inner = FALSE;
  for (int k = lc + 1; k < c && !inner; k++) {
    FCell *x = at(a, r, k);
    inner = a->label_col[k] && x != NULL && x->kind == CK_TEXT;
  }
  if (!inner)
    return NULL;
  for (int up = r - 1; up >= a->header && up >= r - KP_FACTS_MAX_GROUP_ROWS; up--) {
    FCell *x = at(a, up, lc);
    if (x != NULL && x->kind != CK_BLANK)
      return x->kind == CK_TEXT && !row_has_value(a, x->row) ? x : NULL;
  }
  return NULL;
}

/* TRUE when code points [start, end) of `text` say 年度 (平成29年度, not
 * 昭和31 cut out of a date, which the annotator also reads as a year). */
static gboolean says_nendo(const char *text, int start, int end)
{
  glong len = g_utf8_strlen(text, -1);
  if (start < 0 || end > len || start >= end)
    return FALSE;
  const char *p = g_utf8_offset_to_pointer(text, start);
  const char *stop = g_utf8_offset_to_pointer(p, end - start);
  return g_strstr_len(p, stop - p, "年度") != NULL;
}

/* The era base of the first era-named 年度 in `text`, or 0. */
static gint text_era_base(const char *text)
{
  if (text == NULL)
    return 0;
  g_autoptr(GArray) spans = kk_annotate_text(text, -1);
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    if ((sp->kind == KK_SPAN_FISCAL_YEAR || sp->kind == KK_SPAN_FISCAL_YEAR_RANGE) &&
        says_nendo(text, (int)sp->start, (int)sp->end))
      return era_base_of(text, (int)sp->start, (int)sp->end, sp->year);
  }
  return 0;
}

/* Gives each label cell naming a year without its era (30年度, 元年度) the
 * year the document makes certain, in this order: the nearest cell naming
 * a year before it (to its left in a header row, above it in its column)
 * when that one names its era and the year follows it (平成30年度 | 元年度
 * is a new era: no year); else the era of a year in the table's title;
 * else the one era of every 年度 the document has named so far.  Cells are
 * taken in row order, so a row of bare years follows its first one.  A
 * year nothing makes certain stays 0 (null). */
static void resolve_bare_years(const Analysis *a, const KpFacts *f)
{
  FTable *t = a->t;
  gint title_base = -1; /* worked out on first need */
  for (guint i = 0; i < t->cells->len; i++) {
    FCell *x = g_ptr_array_index(t->cells, i);
    if (x->kind != CK_TEXT || strstr(x->text, "年度") == NULL)
      continue;
    gboolean header = x->row < a->header;
    label_of(x, header);
    gint n = x->bare_year;
    if (n == 0)
      continue;
    x->bare_year = 0;
    gint base = 0;
    gboolean seen = FALSE;
    int limit = header ? x->col : MIN(x->row, KP_FACTS_MAX_GROUP_ROWS);
    for (int k = 1; k <= limit && !seen; k++) {
      FCell *y = header ? at(a, x->row, x->col - k) : at(a, x->row - k, x->col);
      if (y == NULL || y == x || y->kind != CK_TEXT)
        continue;
      label_of(y, y->row < a->header);
      if (y->year == 0 && !y->year_ambiguous)
        continue;
      seen = TRUE;
      if (!y->year_ambiguous && y->era_base > 0 && y->era_base + n > y->year)
        base = y->era_base;
    }
    if (!seen) {
      if (title_base < 0)
        title_base = text_era_base(t->title);
      base = title_base > 0 ? title_base : f->doc_era_mixed ? 0 : f->doc_era_base;
    }
    if (base > 0) {
      x->year = base + n;
      x->era_base = base;
    }
  }
}

/* Notes the era of every era-named 年度 on the page's lines (for
 * resolve_bare_years): the document's era, until a second one shows. */
static void note_eras(KpFacts *f, const KpPage *page)
{
  for (guint i = 0; i < page->lines->len && !f->doc_era_mixed; i++) {
    const KpLine *l = g_ptr_array_index(page->lines, i);
    for (guint k = 0; l->t.spans != NULL && k < l->t.spans->len; k++) {
      const KpSpan *sp = &g_array_index(l->t.spans, KpSpan, k);
      gint64 year = sp->type == KK_SPAN_FISCAL_YEAR ? (gint64)sp->num
                    : sp->type == KK_SPAN_FISCAL_YEAR_RANGE ? sp->from : 0;
      gint base = year > 0 && says_nendo(l->t.text, sp->start, sp->end)
                    ? era_base_of(l->t.text, sp->start, sp->end, year) : 0;
      if (base == 0)
        continue;
      if (f->doc_era_base != 0 && f->doc_era_base != base)
        f->doc_era_mixed = TRUE;
      f->doc_era_base = base;
    }
  }
}

/* One fact record for the value cell x (row r, column c). */
/* Writes the fact record of value cell x (at row r, column c) of table
 * `key` into `o` (emptied first). */
static void make_fact(GString *o, const Analysis *a, const FCell *x, int r, int c, const char *key)
{
  FTable *t = a->t;
  g_autoptr(GString) row_label = g_string_new(NULL);
  g_autoptr(GString) col_label = g_string_new(NULL);
  g_autoptr(GArray) years = g_array_new(FALSE, FALSE, sizeof(gint));
  gboolean ambiguous = FALSE;
  Unit row_unit = { 0 };
  FCell *last = NULL;
  for (int lc = 0; lc < t->ncols; lc++) {
    FCell *l = at(a, r, lc);
    if ((l == NULL || l->kind == CK_BLANK) && a->label_col[lc] && lc >= a->label_from[c] && lc < c)
      l = group_label(a, r, lc, c);
    if (l == NULL || l->kind == CK_BLANK || l->kind == CK_NIL || l->kind == CK_MULTI)
      continue;
    Unit u;
    if (a->unit_col[lc] && unit_parse(l->text, &u))
      row_unit = u;
    if (l == last || !a->label_col[lc] || l->col + l->colspan > c || lc < a->label_from[c])
      continue;
    last = l;
    join_label(row_label, l, FALSE, years, &ambiguous);
    if (unit_in_trailing_brackets(l->text, &u))
      row_unit = u;
  }
  last = NULL;
  for (int h = 0; h < a->header; h++) {
    FCell *hc = at(a, h, c);
    if (hc == NULL || hc == last || hc->kind == CK_BLANK)
      continue;
    last = hc;
    Unit u;
    if (unit_parse(hc->text, &u))
      continue; /* a units row cell: the unit, not a label */
    join_label(col_label, hc, TRUE, years, &ambiguous);
  }

  KkDecimal v = x->value.value;
  const char *unit = NULL;
  gboolean exact = TRUE;
  switch (x->value.kind) {
  case KK_SPAN_AMOUNT:
    unit = "円";
    break;
  case KK_SPAN_PERCENT:
    unit = "%";
    break;
  case KK_SPAN_QUANTITY:
    unit = x->value.unit;
    break;
  default: {
    const Unit *u = x->own_unit.kind ? &x->own_unit : a->col_unit[c].kind ? &a->col_unit[c]
                  : row_unit.kind ? &row_unit
                  : a->table_unit.kind && !(a->table_unit_shared && ratio_column(a, c)) ? &a->table_unit : NULL;
    if (u && u->kind == UK_MONEY) {
      exact = big_units_amount(x, u, &v) || decimal_scale(&v, u->scale);
      unit = "円";
    } else if (u) {
      unit = u->text;
    }
    break;
  }
  }
  g_string_assign(o, "{");
  kk_json_put_string(o, "type", "fact");
  kk_json_put_string(o, "table", key);
  kk_json_put_string(o, "row_label", row_label->len ? row_label->str : NULL);
  kk_json_put_string(o, "column_label", col_label->len ? col_label->str : NULL);
  if (exact)
    put_decimal(o, "value", v);
  else
    kk_json_put_literal(o, "value", "null");
  kk_json_put_string(o, "unit", unit);
  gint64 fy = !ambiguous && years->len == 1 ? g_array_index(years, gint, 0) : 0;
  if (fy > 0)
    kk_json_put_int(o, "fiscal_year", fy);
  else
    kk_json_put_literal(o, "fiscal_year", "null");
  g_autofree char *raw = kp_value_text(x->text);
  kk_json_put_string(o, "raw", raw);
  kk_json_put_int(o, "row", r);
  kk_json_put_int(o, "col", c);
  kk_json_put_int(o, "page", x->page);
  if (x->has_bbox) {
    kk_json_put_key(o, "bbox");
    kk_json_append_bbox(o, x->bbox);
  }
  if (x->confidence >= 0)
    kk_json_put_double(o, "confidence", round(x->confidence * 10.0) / 10.0);
  g_string_append_c(o, '}');
}

/* TRUE when the body is mostly empty: the words of a chart or a diagram
 * laid out on a grid, whose numbers (axis ticks, labels) are no facts. */
static gboolean sparse_body(const Analysis *a)
{
  int body = 0, blank = 0;
  for (int r = a->header; r < a->t->nrows; r++)
    for (int c = 0; c < a->t->ncols; c++) {
      FCell *x = at(a, r, c);
      body++;
      if (x == NULL || x->kind == CK_BLANK)
        blank++;
    }
  return body >= 12 && blank * 4 >= body * 3;
}

/* ------------------------------------------------------------- emitting */

/* Writes the table record with its cells into `o` (emptied first). */
static void make_table(GString *o, const Analysis *a, const char *key)
{
  FTable *t = a->t;
  g_string_assign(o, "{");
  kk_json_put_string(o, "type", "table");
  kk_json_put_string(o, "key", key);
  kk_json_put_int(o, "page", t->page);
  kk_json_put_int(o, "page_end", t->page_end);
  kk_json_put_string(o, "title", t->title);
  /* the table's unit: its caption's, else the one all columns share */
  const Unit *u = a->table_unit.kind ? &a->table_unit : NULL;
  for (int c = 0; u == NULL && c < t->ncols; c++) {
    if (!a->value_col[c] || a->col_unit[c].kind == UK_NONE)
      continue;
    gboolean same = TRUE;
    for (int k = 0; k < t->ncols; k++)
      if (a->value_col[k] && strcmp(a->col_unit[k].text, a->col_unit[c].text) != 0)
        same = FALSE;
    if (same)
      u = &a->col_unit[c];
    break;
  }
  kk_json_put_string(o, "unit", u ? u->text : NULL);
  kk_json_put_int(o, "n_rows", t->nrows);
  kk_json_put_int(o, "n_cols", t->ncols);
  kk_json_put_int(o, "header_rows", a->header);
  kk_json_put_literal(o, "ruled", t->ruled ? "true" : "false");
  if (t->has_bbox) {
    kk_json_put_key(o, "bbox");
    kk_json_append_bbox(o, t->bbox);
  }
  /* one array per cell, not an object: a budget book has a million cells
   * and an object (a hash table) each cost a third of parse */
  kk_json_put_key(o, "cells");
  g_string_append_c(o, '[');
  for (guint i = 0; i < t->cells->len; i++) {
    FCell *x = g_ptr_array_index(t->cells, i);
    if (i)
      g_string_append_c(o, ',');
    g_string_append_c(o, '[');
    kk_json_append_int(o, x->row);
    g_string_append_c(o, ',');
    kk_json_append_int(o, x->col);
    g_string_append_c(o, ',');
    kk_json_append_int(o, x->rowspan);
    g_string_append_c(o, ',');
    kk_json_append_int(o, x->colspan);
    g_string_append(o, x->row < a->header ? ",true," : ",false,");
    kk_json_append_string(o, x->text);
    g_string_append_c(o, ',');
    kk_json_append_int(o, x->page);
    g_string_append_c(o, ',');
    if (x->has_bbox)
      kk_json_append_bbox(o, x->bbox);
    else
      g_string_append(o, "null");
    if (x->confidence >= 0) { /* only cells read by OCR have it */
      g_string_append_c(o, ',');
      kk_json_append_double(o, round(x->confidence * 10.0) / 10.0);
    }
    g_string_append_c(o, ']');
  }
  g_string_append(o, "]}");
}

/* Analyses a finished table and emits its table record and facts. */
static gboolean emit_table(KpFacts *f, FTable *t, GError **error)
{
  if (t->nrows == 0 || t->ncols == 0 || t->cells->len == 0 || (gint64)t->nrows * t->ncols > KP_FACTS_MAX_GRID)
    return TRUE; /* (a single page's table is far below the grid bound) */
  Analysis a = { .t = t };
  a.grid = g_new0(FCell *, (gsize)t->nrows * t->ncols);
  for (guint i = 0; i < t->cells->len; i++) {
    FCell *x = g_ptr_array_index(t->cells, i);
    classify(x);
    for (int r = x->row; r < x->row + x->rowspan && r < t->nrows; r++)
      for (int c = x->col; c < x->col + x->colspan && c < t->ncols; c++)
        if (a.grid[(gsize)r * t->ncols + c] == NULL)
          a.grid[(gsize)r * t->ncols + c] = x;
  }
  a.header = header_rows(&a);
  column_roles(&a);
  table_unit(&a);
  resolve_bare_years(&a, f);
  char key[24];
  g_snprintf(key, sizeof key, "t%d", t->key);
  make_table(f->line, &a, key);
  if (!f->emit(f->line->str, f->line->len, f->data, error)) {
    analysis_clear(&a);
    return FALSE;
  }
  f->n_tables++;
  gboolean ok = TRUE;
  if (!sparse_body(&a)) {
    for (guint i = 0; ok && i < t->cells->len; i++) {
      FCell *x = g_ptr_array_index(t->cells, i);
      /* values in columns of values: a lone number among words is a mark */
      if (x->kind != CK_VALUE || x->row < a.header || !a.value_col[x->col])
        continue;
      make_fact(f->line, &a, x, x->row, x->col, key);
      ok = f->emit(f->line->str, f->line->len, f->data, error);
      f->n_facts += ok;
    }
  }
  analysis_clear(&a);
  return ok;
}

/* ------------------------------------------------------ building tables */

/* Squeezed texts of the cells starting in row r of a page table, joined by
 * tabs (to recognise a header row repeated on the next page). */
static char *row_signature(const KpTable *t, int r)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < t->cells->len; i++) {
    KpCell *c = g_ptr_array_index(t->cells, i);
    if (c->row == r) {
      g_string_append(s, kp_text_squeezed(&c->t));
      g_string_append_c(s, '\t');
    }
  }
  return g_string_free(s, FALSE);
}

/* Appends the cells of page table `pt` from its row `from` on, shifted to
 * start at row `base` of the joined table. */
static void add_cells(FTable *t, const KpPage *page, const KpTable *pt, int from, int base)
{
  for (guint i = 0; i < pt->cells->len; i++) {
    KpCell *c = g_ptr_array_index(pt->cells, i);
    if (c->row < from)
      continue;
    if (t->cells->len >= KP_FACTS_MAX_CELLS) {
      t->truncated = TRUE;
      return;
    }
    FCell *x = g_new0(FCell, 1);
    x->text = g_strdup(c->t.text);
    x->row = base + c->row - from;
    x->col = c->col;
    x->rowspan = c->rowspan;
    x->colspan = c->colspan;
    x->page = page->no;
    x->has_bbox = c->t.has_bbox;
    memcpy(x->bbox, c->t.bbox, sizeof x->bbox);
    x->confidence = c->confidence;
    t->nrows = MAX(t->nrows, x->row + x->rowspan);
    t->ncols = MAX(t->ncols, x->col + x->colspan);
    g_ptr_array_add(t->cells, x);
  }
  t->page_end = page->no;
}

/* TRUE if a line reads as a title: words, not only a number or a unit. */
static gboolean title_like(const KpLine *l)
{
  g_autofree char *sq = kp_squeeze(l->t.text);
  if (g_utf8_strlen(sq, -1) < 2)
    return FALSE;
  gboolean letters = FALSE;
  for (const char *q = sq; *q && !letters; q = g_utf8_next_char(q)) {
    gunichar c = g_utf8_get_char(q);
    letters = g_unichar_isalpha(c); /* a letter, kana or kanji */
  }
  if (!letters)
    return FALSE;
  FCell probe = { .text = l->t.text };
  classify(&probe);
  return probe.kind == CK_TEXT;
}

/* g_ptr_array_sort comparator: lines by their left edge. */
static gint compare_line_x(gconstpointer a, gconstpointer b)
{
  const KpLine *x = *(const KpLine *const *)a, *y = *(const KpLine *const *)b;
  return (x->t.bbox[0] > y->t.bbox[0]) - (x->t.bbox[0] < y->t.bbox[0]);
}

/* The caption of page table `pt`: its title (the nearest words line just
 * above it) and a unit stated there.  Only lines between the table and
 * whatever is above it on the page (another table) count, so a caption
 * never leaks into another table. */
static void caption(FTable *t, const KpPage *page, const KpTable *pt)
{
  if (!pt->has_bbox)
    return;
  double top = pt->bbox[1], floor_y = -1;
  for (guint k = 0; k < page->tables->len; k++) {
    KpTable *o = g_ptr_array_index(page->tables, k);
    if (o != pt && o->has_bbox && o->bbox[3] <= top + 1 && o->bbox[3] > floor_y &&
        o->bbox[0] < pt->bbox[2] && pt->bbox[0] < o->bbox[2])
      floor_y = o->bbox[3];
  }
  double best_title = -1, best_unit = -1;
  const KpLine *best = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new(); /* title-like lines above the table */
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (l->table >= 0 || !l->t.has_bbox)
      continue;
    double bottom = l->t.bbox[3];
    if (bottom > top + 2 || l->t.bbox[1] < floor_y - 1 || bottom < top - 72)
      continue;
    if (l->t.bbox[2] < pt->bbox[0] - 5 || l->t.bbox[0] > pt->bbox[2] + 100)
      continue; /* beside, not above (a unit may stand right of a narrow table) */
    Unit u;
    if (unit_in_line(l->t.text, &u) && bottom > best_unit) {
      best_unit = bottom;
      t->caption_unit = u;
    }
    g_autofree char *sq = kp_squeeze(l->t.text);
    gboolean only_unit = unit_parse(sq, &u) || (g_str_has_prefix(sq, "(単位") || g_str_has_prefix(sq, "（単位") ||
                                                 g_str_has_prefix(sq, "単位"));
    if (!only_unit && title_like(l)) {
      g_ptr_array_add(words, l);
      if (bottom > best_title) {
        best_title = bottom;
        best = l;
      }
    }
  }
  if (best == NULL)
    return;
  /* the title is the row of words nearest the table, left to right (a
   * letter-spaced heading comes as several lines on one row) */
  g_ptr_array_sort(words, compare_line_x);
  double centre = (best->t.bbox[1] + best->t.bbox[3]) / 2, half = (best->t.bbox[3] - best->t.bbox[1]) / 2;
  GString *title = g_string_new(NULL);
  for (guint i = 0; i < words->len; i++) {
    const KpLine *l = g_ptr_array_index(words, i);
    if (fabs((l->t.bbox[1] + l->t.bbox[3]) / 2 - centre) > half)
      continue;
    g_autofree char *w = label_text(l->t.text);
    if (title->len)
      g_string_append_c(title, ' ');
    g_string_append(title, w);
  }
  g_free(t->title);
  t->title = g_string_free(title, FALSE);
}

/* Starts a joined table from page table `pt`. */
static FTable *table_start(KpFacts *f, const KpPage *page, const KpTable *pt)
{
  FTable *t = g_new0(FTable, 1);
  t->key = ++f->next_key;
  t->cells = g_ptr_array_new_with_free_func(fcell_free);
  t->page = page->no;
  t->ruled = pt->ruled;
  t->has_bbox = pt->has_bbox;
  memcpy(t->bbox, pt->bbox, sizeof t->bbox);
  t->header_rows_in = MIN(pt->header_rows, pt->nrows);
  /* extract's header rows, or the first row when it saw none (a header
   * row printed again on the next page is a header all the same) */
  int sig_rows = MAX(t->header_rows_in, 1);
  t->header_sig = g_new0(char *, sig_rows + 1);
  for (int r = 0; r < sig_rows; r++)
    t->header_sig[r] = row_signature(pt, r);
  caption(t, page, pt);
  add_cells(t, page, pt, 0, 0);
  return t;
}

/* Appends page table `pt` (continued from the previous page) to t,
 * without the header rows it repeats. */
static void table_continue(FTable *t, const KpPage *page, const KpTable *pt)
{
  int drop = 0;
  while (t->header_sig[drop] != NULL && drop < pt->nrows) {
    g_autofree char *sig = row_signature(pt, drop);
    if (strcmp(sig, t->header_sig[drop]) != 0 || kp_blank(sig))
      break;
    drop++;
  }
  add_cells(t, page, pt, drop, t->nrows);
}

/* A table's "kind" member when extract gave one ("chart", "figure"). */
static const char *table_kind(JsonObject *page_obj, int index)
{
  JsonArray *tables = page_obj ? kk_json_array(page_obj, "tables") : NULL;
  if (tables == NULL || index < 0 || (guint)index >= json_array_get_length(tables))
    return NULL;
  JsonNode *n = json_array_get_element(tables, index);
  return JSON_NODE_HOLDS_OBJECT(n) ? kk_json_string(json_node_get_object(n), "kind", NULL) : NULL;
}

void kp_facts_counts(const KpFacts *f, guint64 *tables, guint64 *facts_out)
{
  *tables = f->n_tables;
  *facts_out = f->n_facts;
}

gboolean kp_facts_finish(KpFacts *f, GError **error)
{
  FTable *t = g_steal_pointer(&f->open);
  if (t == NULL)
    return TRUE;
  gboolean ok = emit_table(f, t, error);
  ftable_free(t);
  return ok;
}

/* A unit line below every table of the page (a caption printed at the
 * foot for the table that starts the next page), or UK_NONE. */
static Unit foot_unit(const KpPage *page)
{
  Unit found = { 0 };
  double lowest = -1;
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    Unit u;
    if (l->table >= 0 || !l->t.has_bbox || l->t.bbox[1] < lowest || !unit_in_line(l->t.text, &u))
      continue;
    gboolean below_all = TRUE;
    for (guint k = 0; k < page->tables->len && below_all; k++) {
      KpTable *t = g_ptr_array_index(page->tables, k);
      below_all = !t->has_bbox || t->bbox[3] <= l->t.bbox[1] + 2;
    }
    if (below_all) {
      lowest = l->t.bbox[1];
      found = u;
    }
  }
  return found;
}

/* The header rows of `t` as one string (their row signatures), or NULL
 * when extract saw none: the layout a caption unit carries over to. */
static char *header_signature(const FTable *t)
{
  if (t->header_rows_in <= 0)
    return NULL;
  return g_strjoinv("\n", t->header_sig);
}

/* A caption's unit holds for the document's later tables of the same
 * layout (the same header rows: one list cut into sections under headings,
 * 単位：千円 printed once at the top) until another caption states one.
 * Remembers `t`'s caption, or gives `t` the one in force. */
static void layout_unit(KpFacts *f, FTable *t)
{
  g_autofree char *sig = header_signature(t);
  if (t->caption_unit.kind != UK_NONE) {
    f->layout_unit = t->caption_unit;
    g_free(f->layout_sig);
    f->layout_sig = g_steal_pointer(&sig);
  } else if (sig && f->layout_sig && f->layout_unit.kind != UK_NONE && strcmp(sig, f->layout_sig) == 0) {
    t->caption_unit = f->layout_unit;
  }
}

gboolean kp_facts_page(KpFacts *f, const KpPage *page, JsonObject *page_obj, GError **error)
{
  gboolean first = TRUE;
  note_eras(f, page);
  for (guint k = 0; k < page->tables->len; k++) {
    const KpTable *pt = g_ptr_array_index(page->tables, k);
    if (pt->nrows == 0 || pt->ncols == 0)
      continue;
    const char *kind = table_kind(page_obj, pt->index);
    if (kind != NULL && strcmp(kind, "table") != 0)
      continue; /* a chart or a figure: no table, no facts */
    if (pt->continued && f->open != NULL && !f->open->truncated && f->open->page_end == page->no - 1 &&
        (gint64)(f->open->nrows + pt->nrows) * MAX(f->open->ncols, pt->ncols) <= KP_FACTS_MAX_GRID) {
      table_continue(f->open, page, pt);
      first = FALSE;
      continue;
    }
    if (!kp_facts_finish(f, error))
      return FALSE;
    f->open = table_start(f, page, pt);
    if (first && f->open->caption_unit.kind == UK_NONE && f->open->title == NULL)
      f->open->caption_unit = f->foot_unit;
    layout_unit(f, f->open);
    first = FALSE;
  }
  f->foot_unit = foot_unit(page);
  return TRUE;
}
