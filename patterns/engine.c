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
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- types */

typedef struct {
  char *label;
  GString *value;
  GArray *spans;          /* KpSpan of value, offsets in code points */
  int page;
  double bbox[4];
  gboolean has_bbox;
  const KpRule *rule;
  JsonObject *schedule;   /* the schedule record made from this field (borrowed) */
} Field;

typedef struct {
  char key[24];
  char *item_no, *title, *department, *category;
  int page;
  double bbox[4];
  gboolean has_bbox;
  GPtrArray *fields;      /* Field* */
  GPtrArray *overflow;    /* Field* past the limit: filled, never emitted */
  GPtrArray *after;       /* JsonObject* records naming this item */
  GPtrArray *after_rules; /* const KpRule* for explain, parallel to after */
  GPtrArray *col_field;   /* list mode: column -> Field* (borrowed) */
  const KpRule *rule;     /* what started it */
  gboolean from_list;
} Item;

/* Column mapping of the list table being read (kept across page breaks). */
typedef struct {
  gboolean active;
  int ncols;
  char **label;           /* ncols header texts (NULL: no header) */
  const KpRule **rule;    /* column rule per column, or NULL */
  int key_col;            /* column of as=item_no, or -1 */
} ListState;

typedef struct {
  char *value;
  int prio;               /* index of the rule that set it (lower wins) */
  int page;
  const KpRule *rule;
} DocAttr;

typedef struct {
  int state;              /* 0 before document, 1 in pages, 2 after end */
  JsonObject *doc_in;
  GPtrArray *buffered;    /* JsonObject* pages before the family is chosen */
  KpFamily *family;
  gboolean decided;
  int *scores;
  GHashTable *hit;        /* KpRule* -> first page it matched */
  int pages_seen;
  gint64 pages_declared;
  gboolean normalize;     /* the stream's pages are not normalized yet */

  DocAttr title, municipality, prefecture, period;
  gint64 fy_start, fy_end;

  GString *spool;
  FILE *spill;
  guint64 n_records;

  Item *item;
  int next_key;
  GHashTable *key_by_no;  /* squeezed item_no -> key */
  char *category;
  char *levels[4];        /* heading levels that make up the category */
  ListState list;
  Field *last_field;      /* card mode: for rows split over pages */
  Field *collecting;      /* text cards: label whose lines are being read */
  char *unit;             /* unit of the previous table (continuations) */
  char *pending_unit;     /* a unit header at a page's foot, for the next page's first table */
  double unit_scale;
  char *series_title;
  GHashTable *unused;     /* "p N: text" -> TRUE, labelled cells no rule used */
} Stream;

struct KkParser {
  char *dir;
  GPtrArray *families;    /* KpFamily* */
  FILE *explain;
  Stream *st;
};

/* ------------------------------------------------------------ helpers */

double kp_money_scale(const char *unit)
{
  static const struct { const char *u; double s; } units[] = {
    { "円", 1 }, { "千円", 1e3 }, { "万円", 1e4 }, { "百万円", 1e6 }, { "千万円", 1e7 }, { "億円", 1e8 },
  };
  if (unit == NULL)
    return 0;
  g_autofree char *u = kp_squeeze(unit);
  for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
    if (strcmp(u, units[i].u) == 0)
      return units[i].s;
  return 0;
}

static void explain(KkParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void explain(KkParser *p, const char *fmt, ...)
{
  if (p->explain == NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(p->explain, fmt, ap);
  va_end(ap);
}

/* "file:line" of a rule, short form (basename) for explain output. */
static char *where(const KpRule *r)
{
  if (r == NULL)
    return g_strdup("-");
  g_autofree char *base = g_path_get_basename(r->family ? r->family->path : "?");
  return g_strdup_printf("%s:%d", base, r->line);
}

/* Shortened text for explain output (first 40 characters, one line). */
static char *shorten(const char *text)
{
  GString *s = g_string_new(NULL);
  int n = 0;
  for (const char *q = text ? text : ""; *q && n < 40; q = g_utf8_next_char(q), n++) {
    gunichar c = g_utf8_get_char(q);
    if (c == '\n')
      g_string_append(s, "⏎");
    else
      g_string_append_unichar(s, c);
  }
  if (text && g_utf8_strlen(text, -1) > 40)
    g_string_append(s, "…");
  return g_string_free(s, FALSE);
}

static void field_free(gpointer data)
{
  Field *f = data;
  g_free(f->label);
  g_string_free(f->value, TRUE);
  g_array_unref(f->spans);
  g_free(f);
}

static void span_copy_clear(gpointer data)
{
  KpSpan *s = data;
  g_free(s->str);
  g_free(s->unit);
}

static GArray *span_array_new(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(KpSpan));
  g_array_set_clear_func(a, span_copy_clear);
  return a;
}

/* Appends `t`'s text (and spans, shifted) to a field, `sep` between. */
static void field_append_sep(Field *f, const KpText *t, const char *sep)
{
  if (kp_blank(t->text) || f->value->len > KP_MAX_FIELD_BYTES)
    return; /* a runaway field (no label ever ends it) stops growing */
  int base = (int)g_utf8_strlen(f->value->str, -1);
  if (f->value->len > 0) {
    g_string_append(f->value, sep);
    base += (int)g_utf8_strlen(sep, -1);
  }
  g_string_append(f->value, t->text);
  for (guint i = 0; t->spans && i < t->spans->len && f->spans->len < KP_MAX_SPANS; i++) {
    KpSpan s = g_array_index(t->spans, KpSpan, i);
    s.start += base;
    s.end += base;
    s.str = g_strdup(s.str);
    s.unit = g_strdup(s.unit);
    g_array_append_val(f->spans, s);
  }
}

/* Appends `t`'s text to a field on a new line. */
static void field_append(Field *f, const KpText *t)
{
  field_append_sep(f, t, "\n");
}

static Field *field_new(const char *label, const KpText *value, int page, const KpRule *rule)
{
  Field *f = g_new0(Field, 1);
  f->label = g_strdup(label);
  f->value = g_string_new(NULL);
  f->spans = span_array_new();
  f->page = page;
  f->rule = rule;
  if (value) {
    field_append(f, value);
    f->has_bbox = value->has_bbox;
    memcpy(f->bbox, value->bbox, sizeof f->bbox);
  }
  return f;
}

static void object_unref0(gpointer o)
{
  if (o)
    json_object_unref(o);
}

static void item_free(Item *it)
{
  if (it == NULL)
    return;
  g_free(it->item_no);
  g_free(it->title);
  g_free(it->department);
  g_free(it->category);
  g_ptr_array_unref(it->fields);
  g_ptr_array_unref(it->overflow);
  g_ptr_array_unref(it->after);
  g_ptr_array_unref(it->after_rules);
  g_ptr_array_unref(it->col_field);
  g_free(it);
}

static void list_clear(ListState *l)
{
  for (int i = 0; l->label && i < l->ncols; i++)
    g_free(l->label[i]);
  g_free(l->label);
  g_free(l->rule);
  memset(l, 0, sizeof *l);
  l->key_col = -1;
}

static void bbox_union(double acc[4], gboolean *has, const double b[4])
{
  if (!*has) {
    memcpy(acc, b, 4 * sizeof(double));
    *has = TRUE;
    return;
  }
  acc[0] = MIN(acc[0], b[0]);
  acc[1] = MIN(acc[1], b[1]);
  acc[2] = MAX(acc[2], b[2]);
  acc[3] = MAX(acc[3], b[3]);
}

/* Text of a label or value as it goes into a record: trimmed; a label's
 * inner line breaks and spaces dropped ("現状\n(令和3年度\n時点)" reads as one
 * label), a value's line breaks kept. */
static char *label_text(const char *text)
{
  return kp_squeeze(text);
}

static char *value_text(const char *text)
{
  g_autofree char *copy = g_strdup(text ? text : "");
  return g_strdup(g_strstrip(copy));
}

static void set_string_or_null(JsonObject *o, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member(o, member, value);
  else
    json_object_set_null_member(o, member);
}

static void set_fy(JsonObject *o, gint64 fy)
{
  if (fy > 0)
    json_object_set_int_member(o, "fiscal_year", fy);
  else
    json_object_set_null_member(o, "fiscal_year");
}

/* First fiscal year named in `t` within code points [from,to) (to<0: end):
 * a fiscal_year span, or the start of a fiscal_year_range; 0 if none. */
static gint64 text_fiscal_year(const KpText *t, int from, int to)
{
  const KpSpan *s = kp_text_find_span(t, "fiscal_year", from, to);
  const KpSpan *r = kp_text_find_span(t, "fiscal_year_range", from, to);
  if (s && (!r || s->start <= r->start))
    return (gint64)s->num;
  if (r)
    return r->from;
  return 0;
}

/* The fiscal year a header or schedule label names, where the context says
 * it is a fiscal year: a fiscal-year span, else an era year ("R3実績",
 * whose "R3" normalize annotates as a year). */
static gint64 label_fiscal_year(const KpText *t)
{
  gint64 fy = text_fiscal_year(t, 0, -1);
  if (fy == 0) {
    const KpSpan *y = kp_text_find_span(t, "year", 0, -1);
    if (y && y->num > 1800 && y->num < 2200)
      fy = (gint64)y->num;
  }
  return fy;
}

/* Like label_fiscal_year() within code points [from, to). */
static gint64 label_fiscal_year_in(const KpText *t, int from, int to)
{
  gint64 fy = text_fiscal_year(t, from, to);
  if (fy == 0) {
    const KpSpan *y = kp_text_find_span(t, "year", from, to);
    if (y && y->num > 1800 && y->num < 2200)
      fy = (gint64)y->num;
  }
  return fy;
}

/* ------------------------------------------------------------ spooling */

static gboolean spool_record(KkParser *p, JsonObject *o, GError **error)
{
  Stream *st = p->st;
  g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(node, o);
  g_autofree char *text = json_to_string(node, FALSE);
  g_string_append(st->spool, text);
  g_string_append_c(st->spool, '\n');
  st->n_records++;
  if (st->spool->len > KP_SPOOL_MEMORY) {
    if (st->spill == NULL)
      st->spill = tmpfile();
    if (st->spill == NULL || fwrite(st->spool->str, 1, st->spool->len, st->spill) != st->spool->len) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot spool records to a temporary file");
      return FALSE;
    }
    g_string_truncate(st->spool, 0);
  }
  return TRUE;
}

/* Emits a record (takes ownership of `o`), noting its rule for --explain. */
static gboolean emit(KkParser *p, JsonObject *o, const KpRule *rule, GError **error)
{
  if (p->explain) {
    g_autofree char *w = where(rule);
    const char *type = kk_json_string(o, "type", "?");
    if (strcmp(type, "page") != 0) {
      g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
      json_node_set_object(node, o);
      g_autofree char *js = json_to_string(node, FALSE);
      g_autofree char *sh = g_utf8_substring(js, 0, MIN(g_utf8_strlen(js, -1), 160));
      explain(p, "  %-9s p%-3d %-28s %s%s\n", type, (int)kk_json_int(o, "page", 0), w, sh,
              g_utf8_strlen(js, -1) > 160 ? "…" : "");
    }
  }
  gboolean ok = spool_record(p, o, error);
  json_object_unref(o);
  return ok;
}

/* --------------------------------------------------------------- items */

/* Runs the [measures] text rules over the item's fields. */
static void text_measures(KkParser *p, Item *it);

/* Applies the `clean as=ATTR /re/` rules: an attribute that matches is
 * replaced by the rule's value group ("No.1" -> "1"). */
static void clean_attrs(KpFamily *fam, Item *it)
{
  KpSection secs[] = { KP_SEC_CARD, KP_SEC_LIST };
  for (int k = 0; k < 2; k++) {
    GPtrArray *rules = fam->section[secs[k]];
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (strcmp(r->directive, "clean") != 0)
        continue;
      const char *as = kp_rule_opt(r, "as");
      char **slot = NULL;
      if (g_strcmp0(as, "item_no") == 0)
        slot = &it->item_no;
      else if (g_strcmp0(as, "title") == 0)
        slot = &it->title;
      else if (g_strcmp0(as, "department") == 0)
        slot = &it->department;
      else if (g_strcmp0(as, "category") == 0)
        slot = &it->category;
      char *v = NULL;
      if (slot && *slot && kp_rule_match(r, *slot, &v)) {
        g_free(*slot);
        *slot = v;
      }
    }
  }
}

/* Emits the open item, its fields, and the records naming it. */
static gboolean flush_item(KkParser *p, GError **error)
{
  Stream *st = p->st;
  Item *it = st->item;
  if (it == NULL)
    return TRUE;
  st->item = NULL;
  st->last_field = NULL;
  st->collecting = NULL;
  clean_attrs(st->family, it);
  text_measures(p, it);

  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "item");
  json_object_set_string_member(o, "key", it->key);
  set_string_or_null(o, "item_no", it->item_no);
  set_string_or_null(o, "title", it->title);
  set_string_or_null(o, "department", it->department);
  set_string_or_null(o, "category", it->category);
  json_object_set_int_member(o, "page", it->page);
  if (it->has_bbox)
    kk_json_set_bbox(o, "bbox", it->bbox);
  JsonArray *fields = json_array_new();
  for (guint i = 0; i < it->fields->len; i++) {
    Field *f = g_ptr_array_index(it->fields, i);
    JsonObject *fo = json_object_new();
    json_object_set_string_member(fo, "label", f->label);
    g_autofree char *v = value_text(f->value->str);
    json_object_set_string_member(fo, "value", v);
    json_object_set_int_member(fo, "page", f->page);
    if (f->has_bbox)
      kk_json_set_bbox(fo, "bbox", f->bbox);
    json_array_add_object_element(fields, fo);
  }
  json_object_set_array_member(o, "fields", fields);
  if (it->item_no) {
    g_autofree char *k = kp_squeeze(it->item_no);
    if (g_hash_table_size(st->key_by_no) < 100000)
      g_hash_table_replace(st->key_by_no, g_steal_pointer(&k), g_strdup(it->key));
  }
  gboolean ok = emit(p, o, it->rule, error);
  if (ok && p->explain) {
    for (guint i = 0; i < it->fields->len; i++) {
      Field *f = g_ptr_array_index(it->fields, i);
      g_autofree char *w = where(f->rule);
      g_autofree char *sv = shorten(f->value->str);
      explain(p, "            field %-24s %-28s = %s\n", f->label, w, sv);
    }
  }
  for (guint i = 0; ok && i < it->after->len; i++) {
    JsonObject *r = g_ptr_array_index(it->after, i);
    it->after->pdata[i] = NULL;
    ok = emit(p, r, g_ptr_array_index(it->after_rules, i), error);
  }
  item_free(it);
  return ok;
}

static Item *start_item(KkParser *p, int page, const KpRule *rule, GError **error)
{
  Stream *st = p->st;
  if (!flush_item(p, error))
    return NULL;
  Item *it = g_new0(Item, 1);
  g_snprintf(it->key, sizeof it->key, "i%d", ++st->next_key);
  it->page = page;
  it->rule = rule;
  it->fields = g_ptr_array_new_with_free_func(field_free);
  it->overflow = g_ptr_array_new_with_free_func(field_free);
  it->after = g_ptr_array_new_with_free_func(object_unref0);
  it->after_rules = g_ptr_array_new();
  it->col_field = g_ptr_array_new();
  it->category = g_strdup(st->category);
  st->item = it;
  return it;
}

/* Adds a field to an item; past KP_MAX_ITEM_FIELDS the field is still
 * filled (the caller holds it) but kept in a bin that is dropped. */
static void item_add_field(Item *it, Field *f)
{
  if (it->fields->len < KP_MAX_ITEM_FIELDS)
    g_ptr_array_add(it->fields, f);
  else
    g_ptr_array_add(it->overflow, f);
}

/* Adds a record that names the open item (emitted after it). */
static void item_add_after(Item *it, JsonObject *o, const KpRule *rule)
{
  if (it->after->len >= KP_MAX_ITEM_RECORDS) {
    json_object_unref(o);
    return;
  }
  json_object_set_string_member(o, "item", it->key);
  g_ptr_array_add(it->after, o);
  g_ptr_array_add(it->after_rules, (gpointer)rule);
}

/* An attribute's text: a cell's wrapped lines joined (a space kept only
 * between two Latin letters or digits). */
static char *attr_text(const char *value)
{
  g_autofree char *v = value_text(value);
  GString *s = g_string_new(NULL);
  for (const char *q = v; *q; q++) {
    if (*q != '\n') {
      g_string_append_c(s, *q);
      continue;
    }
    char prev = s->len ? s->str[s->len - 1] : ' ';
    if (g_ascii_isalnum(prev) && g_ascii_isalnum(q[1]))
      g_string_append_c(s, ' ');
  }
  return g_string_free(s, FALSE);
}

/* Sets an item attribute named by a rule's as= option. */
static void item_set_attr(Item *it, const char *as, const char *value)
{
  if (as == NULL || value == NULL)
    return;
  char **slot = NULL;
  if (strcmp(as, "item_no") == 0)
    slot = &it->item_no;
  else if (strcmp(as, "title") == 0)
    slot = &it->title;
  else if (strcmp(as, "department") == 0)
    slot = &it->department;
  else if (strcmp(as, "category") == 0)
    slot = &it->category;
  if (slot == NULL)
    return;
  g_autofree char *v = attr_text(value);
  if (*v == '\0')
    return;
  if (*slot && strcmp(as, "category") != 0) {
    if (strlen(*slot) > 64 * 1024)
      return; /* a runaway attribute stops growing */
    /* a value continued over a page break */
    char *joined = g_strconcat(*slot, v, NULL);
    g_free(*slot);
    *slot = joined;
  } else {
    g_free(*slot);
    *slot = g_steal_pointer(&v);
  }
}

/* ------------------------------------------------------- measure values */

/* Fills value/unit of a measure from annotated text: money in yen, else a
 * percent, a quantity with its unit, or a number scaled by the table's
 * money unit.  FALSE if the text holds no value. */
static gboolean measure_value(const KpText *t, int from, int to, double scale,
                              double *value, const char **unit, char **unit_owned)
{
  const KpSpan *s;
  *unit_owned = NULL;
  if ((s = kp_text_find_span(t, "amount", from, to))) {
    *value = s->num;
    *unit = "円";
    return TRUE;
  }
  if ((s = kp_text_find_span(t, "percent", from, to))) {
    *value = s->num;
    *unit = "%";
    return TRUE;
  }
  if ((s = kp_text_find_span(t, "quantity", from, to))) {
    *value = s->num;
    *unit = s->unit;
    return TRUE;
  }
  if ((s = kp_text_find_span(t, "number", from, to))) {
    if (scale > 0) {
      *value = s->num * scale;
      *unit = "円";
    } else {
      *value = s->num;
      *unit = NULL;
    }
    return TRUE;
  }
  return FALSE;
}

static void set_number(JsonObject *o, const char *member, double v)
{
  if (!isfinite(v) || fabs(v) > 1e18) {
    json_object_set_null_member(o, member); /* no JSON number for it */
    return;
  }
  if (fabs(v - round(v)) < 1e-6 && fabs(v) < 9e15)
    json_object_set_int_member(o, member, (gint64)llround(v));
  else
    json_object_set_double_member(o, member, v);
}

/* Role of a measure whose value text matches a value-role rule, else dflt. */
static const char *value_role(KpFamily *fam, const char *text, const char *dflt, const KpRule **by)
{
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (strcmp(r->directive, "value-role") == 0 && kp_rule_match(r, text, NULL)) {
      if (by)
        *by = r;
      return r->arg;
    }
  }
  return dflt;
}

static JsonObject *measure_new(const char *label, const char *role, gboolean has_value, double value,
                               const char *unit, gint64 fy, const char *raw, int page,
                               const double *bbox)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "measure");
  json_object_set_null_member(o, "item");
  set_string_or_null(o, "label", label);
  json_object_set_string_member(o, "role", role);
  if (has_value)
    set_number(o, "value", value);
  else
    json_object_set_null_member(o, "value");
  set_string_or_null(o, "unit", unit);
  set_fy(o, fy);
  json_object_set_string_member(o, "raw", raw);
  json_object_set_int_member(o, "page", page);
  if (bbox)
    kk_json_set_bbox(o, "bbox", bbox);
  return o;
}

/* TRUE if `label` contains one of the '|'-separated words of `list`. */
static gboolean label_selected(const char *label, const char *list)
{
  if (list == NULL)
    return TRUE;
  g_auto(GStrv) words = g_strsplit(list, "|", -1);
  for (int i = 0; words[i]; i++)
    if (*words[i] && strstr(label, words[i]))
      return TRUE;
  return FALSE;
}

/* Spans of `text` from normalize's annotator (for text parse composes
 * itself: joined lines, labels). */
static GArray *annotate(const char *text)
{
  GArray *out = span_array_new();
  g_autoptr(GArray) ks = kk_annotate_text(text, -1);
  for (guint i = 0; ks && i < ks->len && out->len < KP_MAX_SPANS; i++) {
    const KkSpan *k = &g_array_index(ks, KkSpan, i);
    KpSpan s = { 0 };
    s.start = (int)k->start;
    s.end = (int)k->end;
    g_strlcpy(s.kind, kk_span_kind_name(k->kind), sizeof s.kind);
    switch (k->kind) {
    case KK_SPAN_DATE:
      s.str = k->day ? g_strdup_printf("%04d-%02d-%02d", k->year, k->month, k->day)
                     : g_strdup_printf("%04d-%02d", k->year, k->month);
      break;
    case KK_SPAN_YEAR:
    case KK_SPAN_FISCAL_YEAR:
      s.num = k->year;
      break;
    case KK_SPAN_FISCAL_YEAR_RANGE:
      s.from = k->year;
      s.to = k->year_to;
      break;
    default:
      s.num = kk_decimal_to_double(k->value);
      s.unit = k->unit ? g_strdup(k->unit) : NULL;
      break;
    }
    g_array_append_val(out, s);
  }
  return out;
}

/* A field's text with the line breaks of wrapping removed: a break stays
 * only where a new item (bullet, bracket) begins or a sentence ended. */
static char *join_wrapped(const char *text)
{
  GString *s = g_string_new(NULL);
  for (const char *q = text; *q; q = g_utf8_next_char(q)) {
    gunichar c = g_utf8_get_char(q);
    if (c == '\n') {
      gunichar next = g_utf8_get_char(q + 1);
      const char *prev_p = s->len ? g_utf8_find_prev_char(s->str, s->str + s->len) : NULL;
      gunichar prev = prev_p ? g_utf8_get_char(prev_p) : 0;
      if (next && g_utf8_strchr("○〇・●◆■□※【「<＜", -1, next) == NULL &&
          g_utf8_strchr("。)】>＞", -1, prev) == NULL)
        continue;
    }
    g_string_append_unichar(s, c);
  }
  return g_string_free(s, FALSE);
}

/* The field-role rule for a field label, or NULL. */
static const KpRule *field_role(KpFamily *fam, const char *label)
{
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (strcmp(r->directive, "field-role") == 0 && kp_rule_match(r, label, NULL))
      return r;
  }
  return NULL;
}

/* Removes every match of the label-strip rules from a label. */
static char *strip_label(KpFamily *fam, const char *label)
{
  char *cur = g_strdup(label);
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (strcmp(r->directive, "label-strip") != 0)
      continue;
    for (int guard = 0; guard < 8 && *cur; guard++) {
      gsize a, b;
      if (!kp_rule_match(r, cur, NULL) || !kp_rule_group_span(r, 0, &a, &b) || b <= a)
        break;
      GString *next = g_string_new_len(cur, (gssize)a);
      g_string_append(next, cur + b);
      g_free(cur);
      cur = g_string_free(next, FALSE);
    }
  }
  g_strstrip(cur);
  return cur;
}

/* Measures written in the text of an item's fields ("普通建設事業費15億円以内"):
 * the [measures] text rules find label, value and role word; field-role
 * gives the role of a field; year rules the fiscal year. */
static void text_measures(KkParser *p, Item *it)
{
  KpFamily *fam = p->st->family;
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  static const char *const names[] = { "label", "value", "role" };
  gboolean any = FALSE;
  for (guint i = 0; i < rules->len; i++)
    if (strcmp(((KpRule *)g_ptr_array_index(rules, i))->directive, "text") == 0)
      any = TRUE;
  if (!any)
    return;
  for (guint k = 0; k < it->fields->len; k++) {
    Field *f = g_ptr_array_index(it->fields, k);
    const KpRule *fr = field_role(fam, f->label);
    g_autofree char *joined = join_wrapped(f->value->str);
    g_autoptr(GArray) spans = annotate(joined);
    g_autoptr(GArray) label_spans = annotate(f->label);
    KpText t = { .text = joined, .spans = spans };
    KpText lt = { .text = f->label, .spans = label_spans };
    gsize len = strlen(joined);
    g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(gsize) * 2);
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (strcmp(r->directive, "text") != 0)
        continue;
      const char *in = kp_rule_opt(r, "in");
      if (in ? !label_selected(f->label, in) : fr == NULL)
        continue;
      gsize offset = 0;
      int guard = 0;
      while (offset < len && guard++ < 500) {
        int rc = pcre2_match(r->re, (PCRE2_SPTR)joined, len, offset, 0, r->md, NULL);
        if (rc < 0)
          break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        gsize ms = ov[0], me = ov[1];
        gsize grp[3][2] = { { 0, 0 }, { ms, me }, { 0, 0 } };
        gboolean have[3] = { FALSE, FALSE, FALSE };
        for (int n = 0; n < 3; n++) {
          int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)names[n]);
          if (g > 0 && kp_rule_group_span(r, g, &grp[n][0], &grp[n][1]))
            have[n] = TRUE;
        }
        offset = me > ms ? me : ms + 1;
        while (offset < len && ((guchar)joined[offset] & 0xC0) == 0x80)
          offset++;
        gsize vs = grp[1][0], ve = grp[1][1];
        /* each value once per field; never a date or a year */
        gboolean clash = FALSE;
        for (guint u = 0; u < used->len; u++) {
          gsize *ur = &g_array_index(used, gsize, 2 * u);
          if (vs < ur[1] && ur[0] < ve)
            clash = TRUE;
        }
        int cvs = kp_cp_offset(joined, vs), cve = kp_cp_offset(joined, ve);
        for (guint s = 0; s < spans->len; s++) {
          const KpSpan *sp = &g_array_index(spans, KpSpan, s);
          if ((strcmp(sp->kind, "date") == 0 || strcmp(sp->kind, "year") == 0 ||
               strcmp(sp->kind, "fiscal_year") == 0 || strcmp(sp->kind, "fiscal_year_range") == 0) &&
              sp->start < cve && cvs < sp->end)
            clash = TRUE;
        }
        double value = 0;
        const char *unit = NULL;
        g_autofree char *uo = NULL;
        if (clash || !measure_value(&t, cvs, cve, 0, &value, &unit, &uo))
          continue;
        const KpSpan *num = kp_text_find_span(&t, "number", cvs, cve);
        g_autofree char *num_unit = NULL;
        if (unit == NULL && num && num->end < cve) {
          /* "5業務": a count whose word normalize does not know */
          g_autofree char *rest = g_utf8_substring(joined, num->end, cve);
          num_unit = value_text(rest);
          if (*num_unit)
            unit = num_unit;
        }
        /* the label, cleaned; else the subject of the line */
        g_autofree char *raw_label = have[0] ? g_strndup(joined + grp[0][0], grp[0][1] - grp[0][0]) : g_strdup("");
        g_autofree char *label = strip_label(fam, raw_label);
        gsize line_start = ms;
        while (line_start > 0 && joined[line_start - 1] != '\n')
          line_start--;
        if (*label == '\0') {
          g_autofree char *line = g_strndup(joined + line_start, ms - line_start);
          for (guint s2 = 0; s2 < rules->len && *label == '\0'; s2++) {
            const KpRule *sr = g_ptr_array_index(rules, s2);
            g_autofree char *v = NULL;
            if (strcmp(sr->directive, "subject") == 0 && kp_rule_match(sr, line, &v)) {
              g_free(label);
              label = strip_label(fam, v);
            }
          }
        }
        if (*label == '\0')
          continue;
        gsize raw_end = have[2] && grp[2][1] > ve ? grp[2][1] : ve;
        g_autofree char *raw = g_strndup(joined + vs, raw_end - vs);
        g_autofree char *role_word = have[2] ? g_strndup(joined + grp[2][0], grp[2][1] - grp[2][0]) : NULL;
        const char *dflt = fr ? fr->arg : (kp_rule_opt(r, "role") ? kp_rule_opt(r, "role") : "target");
        const char *role = value_role(fam, role_word ? role_word : raw, dflt, NULL);
        /* the fiscal year: a year rule on the line up to the value, else
         * the field-role's default */
        gint64 fy = 0;
        g_autofree char *upto = g_strndup(joined + line_start, ve - line_start);
        g_autoptr(GArray) upto_spans = annotate(upto);
        KpText ut = { .text = upto, .spans = upto_spans };
        for (guint s2 = 0; s2 < rules->len && fy == 0; s2++) {
          const KpRule *yr = g_ptr_array_index(rules, s2);
          gsize a, b;
          if (strcmp(yr->directive, "year") == 0 && kp_rule_match(yr, upto, NULL) &&
              kp_rule_group_span(yr, yr->value_group, &a, &b))
            fy = label_fiscal_year_in(&ut, kp_cp_offset(upto, a), kp_cp_offset(upto, b));
        }
        const char *dy = fr ? kp_rule_opt(fr, "default-year") : NULL;
        if (fy == 0 && dy) {
          if (strcmp(dy, "label") == 0)
            fy = label_fiscal_year(&lt);
          else
            fy = strcmp(dy, "end") == 0 ? p->st->fy_end : p->st->fy_start;
        }
        gsize pair[2] = { vs, ve };
        g_array_append_vals(used, pair, 1);
        JsonObject *o = measure_new(label, role, TRUE, value, unit, fy, raw, f->page,
                                    f->has_bbox ? f->bbox : NULL);
        item_add_after(it, o, r);
      }
    }
  }
}

/* ----------------------------------------------------- document record */

/* Sets a document attribute if `rule` outranks the rule that set it. */
static void doc_offer(KkParser *p, DocAttr *a, const KpRule *rule, int prio, const char *value, int page)
{
  if (value == NULL || *value == '\0')
    return;
  if (a->value != NULL && a->prio <= prio)
    return;
  g_free(a->value);
  a->value = value_text(value);
  a->prio = prio;
  a->page = page;
  a->rule = rule;
  (void)p;
}

/* A page number limit of a rule's pages= option (0 = all pages). */
static int rule_pages(const KpRule *r)
{
  const char *v = kp_rule_opt(r, "pages");
  return v ? atoi(v) : 0;
}

/* Runs the [document] rules over one page's lines (and cells where asked). */
static void document_rules(KkParser *p, const KpPage *page)
{
  Stream *st = p->st;
  GPtrArray *rules = st->family->section[KP_SEC_DOCUMENT];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    int limit = rule_pages(r);
    if (limit > 0 && page->no > limit)
      continue;
    const char *wh = kp_rule_opt(r, "where");
    gboolean lines_ok = wh == NULL || strcmp(wh, "cell") != 0;
    gboolean cells_ok = wh != NULL && strcmp(wh, "line") != 0;
    DocAttr *attr = NULL;
    if (strcmp(r->directive, "title") == 0)
      attr = &st->title;
    else if (strcmp(r->directive, "municipality") == 0)
      attr = &st->municipality;
    else if (strcmp(r->directive, "prefecture") == 0)
      attr = &st->prefecture;
    else
      attr = &st->period;
    if (attr->value && attr->prio <= (int)i)
      continue;

    if (strcmp(r->directive, "title") == 0 && kp_rule_opt(r, "from")) {
      /* the lines in the page's largest type, outside tables */
      double max = 0;
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0 && !kp_blank(l->t.text))
          max = MAX(max, l->size);
      }
      if (max <= 0)
        continue;
      GString *s = g_string_new(NULL);
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0 && l->size >= max * 0.9)
          g_string_append(s, l->t.text);
      }
      g_autofree char *joined = g_string_free(s, FALSE);
      g_autofree char *value = NULL;
      if (r->re == NULL)
        value = g_strdup(joined);
      else if (!kp_rule_match(r, joined, &value))
        continue;
      doc_offer(p, attr, r, (int)i, value, page->no);
      continue;
    }
    if (strcmp(r->directive, "title") == 0 && g_strcmp0(kp_rule_opt(r, "join"), "yes") == 0) {
      GString *s = g_string_new(NULL);
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0)
          g_string_append(s, l->t.text);
      }
      g_autofree char *joined = g_string_free(s, FALSE);
      g_autofree char *value = NULL;
      if (kp_rule_match(r, joined, &value))
        doc_offer(p, attr, r, (int)i, value, page->no);
      continue;
    }

    /* line by line (then cells): the first match on the page wins */
    guint nl = lines_ok ? page->lines->len : 0;
    gboolean done = FALSE;
    for (guint k = 0; k < nl && !done; k++) {
      KpLine *l = g_ptr_array_index(page->lines, k);
      const KpText *t = &l->t;
      g_autofree char *value = NULL;
      if (!kp_rule_match(r, t->text, &value))
        continue;
      if (attr == &st->period) {
        gsize ms = 0, me = 0;
        kp_rule_group_span(r, 0, &ms, &me);
        int a = kp_cp_offset(t->text, ms), b = kp_cp_offset(t->text, me);
        gint64 y0 = 0, y1 = 0;
        const KpSpan *rg = NULL;
        for (guint s = 0; t->spans && s < t->spans->len && rg == NULL; s++) {
          const KpSpan *sp = &g_array_index(t->spans, KpSpan, s);
          if (strcmp(sp->kind, "fiscal_year_range") == 0 && sp->start >= a && sp->start < b)
            rg = sp;
        }
        if (rg) {
          y0 = rg->from;
          y1 = rg->to;
        } else {
          for (guint s = 0; t->spans && s < t->spans->len; s++) {
            const KpSpan *sp = &g_array_index(t->spans, KpSpan, s);
            if (strcmp(sp->kind, "fiscal_year") == 0 && sp->start >= a && sp->start < b) {
              if (y0 == 0)
                y0 = (gint64)sp->num;
              y1 = (gint64)sp->num;
            }
          }
        }
        if (y0 == 0)
          continue;
        if (strcmp(r->directive, "fiscal-year") == 0)
          y1 = y0;
        st->fy_start = y0;
        st->fy_end = y1;
        g_autofree char *txt = g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, y0, y1);
        doc_offer(p, attr, r, (int)i, txt, page->no);
      } else {
        doc_offer(p, attr, r, (int)i, value, page->no);
      }
      done = TRUE;
    }
    for (guint k = 0; cells_ok && !done && k < page->tables->len; k++) {
      KpTable *tb = g_ptr_array_index(page->tables, k);
      for (guint c = 0; c < tb->cells->len && !done; c++) {
        KpCell *cell = g_ptr_array_index(tb->cells, c);
        g_autofree char *value = NULL;
        if (attr != &st->period && kp_rule_match(r, cell->t.text, &value)) {
          doc_offer(p, attr, r, (int)i, value, page->no);
          done = TRUE;
        }
      }
    }
  }
}

static gboolean emit_document(KkParser *p, KkSink sink, gpointer user_data, GError **error)
{
  Stream *st = p->st;
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "document");
  json_object_set_string_member(o, "format", "keikaku-records");
  json_object_set_int_member(o, "version", 1);
  set_string_or_null(o, "sha256", kk_json_string(st->doc_in, "sha256", NULL));
  set_string_or_null(o, "file", kk_json_string(st->doc_in, "file", NULL));
  json_object_set_int_member(o, "pages", st->pages_declared > 0 ? st->pages_declared : st->pages_seen);
  set_string_or_null(o, "title", st->title.value);
  set_string_or_null(o, "municipality", st->municipality.value);
  set_string_or_null(o, "prefecture", st->prefecture.value);
  set_string_or_null(o, "family", st->family ? st->family->id : NULL);
  /* the pattern file as the project names it, not as this machine does */
  const char *pf = st->family ? st->family->path : NULL;
  const char *rel = pf ? strstr(pf, "/patterns/families/") : NULL;
  set_string_or_null(o, "pattern_file", rel ? rel + 1 : pf);
  set_string_or_null(o, "pattern_sha256", st->family ? st->family->sha256 : NULL);
  if (st->fy_start > 0) {
    json_object_set_int_member(o, "fiscal_start", st->fy_start);
    json_object_set_int_member(o, "fiscal_end", st->fy_end);
  } else {
    json_object_set_null_member(o, "fiscal_start");
    json_object_set_null_member(o, "fiscal_end");
  }
  json_object_set_string_member(o, "pipeline", "keikaku " KK_VERSION);
  gboolean ok = sink(o, user_data, error);
  json_object_unref(o);
  return ok;
}

/* ---------------------------------------------------------- recognition */

/* Tests every not-yet-hit [recognise] rule of every family on one page. */
static void recognise_page(KkParser *p, const KpPage *page)
{
  Stream *st = p->st;
  for (guint f = 0; f < p->families->len; f++) {
    KpFamily *fam = g_ptr_array_index(p->families, f);
    GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (r->re == NULL || g_hash_table_contains(st->hit, r))
        continue;
      int limit = rule_pages(r);
      if (limit > 0 && page->no > limit)
        continue;
      const char *wh = kp_rule_opt(r, "where");
      gboolean lines_ok = wh == NULL || strcmp(wh, "cell") != 0;
      gboolean cells_ok = wh == NULL || strcmp(wh, "line") != 0;
      gboolean hit = FALSE;
      for (guint k = 0; lines_ok && !hit && k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        hit = kp_rule_match(r, l->t.text, NULL);
      }
      for (guint k = 0; cells_ok && !hit && k < page->tables->len; k++) {
        KpTable *tb = g_ptr_array_index(page->tables, k);
        for (guint c = 0; !hit && c < tb->cells->len; c++) {
          KpCell *cell = g_ptr_array_index(tb->cells, c);
          g_autofree char *sq = kp_squeeze(cell->t.text);
          hit = kp_rule_match(r, cell->t.text, NULL) || kp_rule_match(r, sq, NULL);
        }
      }
      if (hit) {
        g_hash_table_insert(st->hit, (gpointer)r, GINT_TO_POINTER(page->no));
        if (strcmp(r->directive, "score") == 0)
          st->scores[f] += atoi(r->arg);
      }
    }
  }
}

/* A family's standing: FALSE if a require is unmet or a reject hit. */
static gboolean family_eligible(Stream *st, KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    gboolean hit = g_hash_table_contains(st->hit, r);
    if (strcmp(r->directive, "require") == 0 && !hit)
      return FALSE;
    if (strcmp(r->directive, "reject") == 0 && hit)
      return FALSE;
  }
  return TRUE;
}

static int family_decide_at(KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (strcmp(r->directive, "decide") == 0)
      return atoi(r->arg);
  }
  return -1;
}

/* Chooses a family: `final` when no more pages will help.  Returns TRUE
 * when a decision (possibly "none") was made. */
static gboolean choose_family(KkParser *p, gboolean final)
{
  Stream *st = p->st;
  int best = -1;
  for (guint f = 0; f < p->families->len; f++) {
    KpFamily *fam = g_ptr_array_index(p->families, f);
    if (!family_eligible(st, fam) || st->scores[f] <= 0)
      continue;
    int at = family_decide_at(fam);
    if (!final && (at < 0 || st->scores[f] < at))
      continue;
    if (best < 0 || st->scores[f] > st->scores[best])
      best = (int)f;
  }
  if (best < 0 && !final)
    return FALSE;
  st->decided = TRUE;
  st->family = best >= 0 ? g_ptr_array_index(p->families, best) : NULL;
  if (p->explain) {
    const char *file = kk_json_string(st->doc_in, "file", "<stream>");
    explain(p, "document %s\n", file);
    for (guint f = 0; f < p->families->len; f++) {
      KpFamily *fam = g_ptr_array_index(p->families, f);
      explain(p, "  family %-20s score %3d%s%s\n", fam->id, st->scores[f],
              family_eligible(st, fam) ? "" : " (not eligible: a require unmet or a reject matched)",
              (int)f == best ? "  <- chosen" : "");
      GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
      for (guint i = 0; i < rules->len; i++) {
        const KpRule *r = g_ptr_array_index(rules, i);
        if (r->re == NULL)
          continue;
        gpointer pg = g_hash_table_lookup(st->hit, r);
        g_autofree char *w = where(r);
        explain(p, "      %-7s %-4s /%s/ %s\n", r->directive, r->arg ? r->arg : "", r->re_src,
                pg ? "" : "(no match)");
        (void)w;
      }
    }
    if (best < 0)
      explain(p, "  no family matched: only the document and page records\n");
    explain(p, "records:\n");
  }
  return TRUE;
}

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
                               const char *directive, int *row_out)
{
  GPtrArray *rules = fam->section[section];
  for (guint c = 0; c < t->cells->len; c++) {
    KpCell *cell = g_ptr_array_index(t->cells, c);
    if (kp_blank(cell->t.text))
      continue;
    g_autofree char *sq = kp_squeeze(cell->t.text);
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (directive && strcmp(r->directive, directive) != 0)
        continue;
      if (kp_rule_match(r, sq, NULL)) {
        if (row_out)
          *row_out = cell->row;
        return r;
      }
    }
  }
  return NULL;
}

/* First rule of `section`/`directive` matching the squeezed text. */
static const KpRule *rule_for(KpFamily *fam, KpSection section, const char *directive,
                              const char *text, char **value)
{
  GPtrArray *rules = fam->section[section];
  g_autofree char *sq = kp_squeeze(text);
  if (*sq == '\0')
    return NULL;
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (directive && strcmp(r->directive, directive) != 0)
      continue;
    if (kp_rule_match(r, sq, value))
      return r;
  }
  return NULL;
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
      kp_rule_match(g_ptr_array_index(rules, i), cell->t.text, &found);
  }
  if (!found && t->has_bbox) {
    double best = -1;
    for (guint k = 0; k < page->lines->len; k++) {
      KpLine *l = g_ptr_array_index(page->lines, k);
      if (l->table >= 0 || !l->t.has_bbox || l->t.bbox[1] > t->bbox[1] + 2)
        continue;
      for (guint i = 0; i < rules->len; i++) {
        g_autofree char *v = NULL;
        if (kp_rule_match(g_ptr_array_index(rules, i), l->t.text, &v) && l->t.bbox[3] > best) {
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
  g_autofree char *sq = shorten(text);
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
      const KpRule *rule = rule_for(fam, KP_SEC_MEETING, "label", cell->t.text, NULL);
      if (rule == NULL)
        continue;
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      if (v == NULL)
        continue;
      any = rule;
      const char *as = kp_rule_opt(rule, "as");
      if (as == NULL)
        continue;
      if (strcmp(as, "held_on") == 0) {
        const KpSpan *d = kp_text_find_span(&v->t, "date", 0, -1);
        if (d && d->str)
          json_object_set_string_member(o, "held_on", d->str);
      } else {
        g_autofree char *val = value_text(v->t.text);
        json_object_set_string_member(o, as, val);
      }
    }
  json_object_set_int_member(o, "page", ctx->page->no);
  if (t->has_bbox)
    kk_json_set_bbox(o, "bbox", t->bbox);
  return emit(p, o, any, error);
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
      if (key_col < 0 && rule_for(fam, KP_SEC_ACHIEVEMENTS, "key", cell->t.text, NULL)) {
        key_col = c;
        last_header = MAX(last_header, cell->row + cell->rowspan - 1);
      }
      const KpRule *yr = rule_for(fam, KP_SEC_ACHIEVEMENTS, "year", cell->t.text, NULL);
      if (yr && years[c] == 0) {
        years[c] = label_fiscal_year(&cell->t);
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
    const KpRule *cr = cell ? rule_for(fam, KP_SEC_ACHIEVEMENTS, "column", cell->t.text, NULL) : NULL;
    const char *as = cr ? kp_rule_opt(cr, "as") : NULL;
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
      Item *it = start_item(p, ctx->page->no, col_rule, error);
      if (it == NULL)
        return FALSE;
      g_clear_pointer(&it->category, g_free);
      item_set_attr(it, "item_no", kc->t.text);
      if (tc)
        item_set_attr(it, "title", tc->t.text);
      if (dc)
        item_set_attr(it, "department", dc->t.text);
      if (kc->t.has_bbox)
        bbox_union(it->bbox, &it->has_bbox, kc->t.bbox);
      explain(p, "  (item '%s' known only from the achievement table, p%d)\n", no, ctx->page->no);
      if (!flush_item(p, error))
        return FALSE;
      key = g_hash_table_lookup(st->key_by_no, no);
    }
    for (int c = 0; c < t->ncols; c++) {
      if (years[c] == 0)
        continue;
      KpCell *vc = kp_table_at(t, r, c);
      if (vc == NULL || vc->row != r || vc->col != c || kp_blank(vc->t.text))
        continue;
      const KpSpan *s = kp_text_find_span(&vc->t, "percent", 0, -1);
      if (s == NULL)
        s = kp_text_find_span(&vc->t, "number", 0, -1);
      if (s == NULL)
        continue;
      if (key == NULL) {
        explain(p, "  (achievement for unknown item '%s' on p%d skipped)\n", no, ctx->page->no);
        continue;
      }
      JsonObject *o = json_object_new();
      json_object_set_string_member(o, "type", "achievement");
      json_object_set_string_member(o, "item", key);
      json_object_set_int_member(o, "fiscal_year", years[c]);
      set_number(o, "rate", s->num);
      json_object_set_int_member(o, "page", ctx->page->no);
      if (vc->t.has_bbox)
        kk_json_set_bbox(o, "bbox", vc->t.bbox);
      if (!emit(p, o, year_rule, error))
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
    const KpRule *r = rule_for(fam, KP_SEC_BUDGET, "column", cell->t.text, NULL);
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
    set_fy(o, st->fy_start);
    double bbox[4] = { 0 };
    gboolean hb = FALSE;
    for (int n = 0; n < 6; n++) {
      KpCell *c = col[n] >= 0 ? kp_table_at(t, r, col[n]) : NULL;
      const KpSpan *s = c ? kp_text_find_span(&c->t, "amount", 0, -1) : NULL;
      if (c && s) {
        set_number(o, names[n], s->num);
        has = TRUE;
      } else if (c && (s = kp_text_find_span(&c->t, "number", 0, -1))) {
        set_number(o, names[n], round(s->num * scale));
        has = TRUE;
      } else {
        json_object_set_null_member(o, names[n]);
      }
      if (c && c->t.has_bbox)
        bbox_union(bbox, &hb, c->t.bbox);
    }
    json_object_set_int_member(o, "page", ctx->page->no);
    if (hb)
      kk_json_set_bbox(o, "bbox", bbox);
    if (!has) {
      json_object_unref(o);
      continue;
    }
    if (st->item) {
      item_add_after(st->item, o, any);
      explain(p, "  budget    p%-3d (after item %s)\n", ctx->page->no, st->item->key);
    } else {
      json_object_set_null_member(o, "item");
      if (!emit(p, o, any, error))
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
    const KpRule *yr = rule_for(fam, KP_SEC_SERIES, "year", cell->t.text, NULL);
    if (yr) {
      years[c] = label_fiscal_year(&cell->t);
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
    if (strcmp(r->directive, "title") == 0 && g_strcmp0(kp_rule_opt(r, "from"), "corner") == 0) {
      KpCell *cc = kp_table_at(t, header_row, 0);
      if (cc && (r->re == NULL || kp_rule_match(r, cc->t.text, NULL)) && !kp_blank(cc->t.text)) {
        g_free(st->series_title);
        st->series_title = attr_text(cc->t.text);
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
      const KpRule *tr = rule_for(fam, KP_SEC_SERIES, "title", l->t.text, &v);
      if (tr && tr->re && l->t.bbox[3] > best) {
        best = l->t.bbox[3];
        g_free(st->series_title);
        /* without a capture group the whole line is the title */
        st->series_title = value_text(tr->value_group > 0 ? v : l->t.text);
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
    if (*row_label == '\0' || rule_for(fam, KP_SEC_SERIES, "skip-row", row_label, NULL))
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
      if (!measure_value(&vc->t, 0, -1, ctx->scale, &value, &unit, &uo))
        continue;
      if (unit == NULL && ctx->unit)
        unit = ctx->unit;
      JsonObject *o = json_object_new();
      json_object_set_string_member(o, "type", "series");
      set_string_or_null(o, "table_title", st->series_title);
      json_object_set_string_member(o, "row_label", row_label);
      json_object_set_int_member(o, "fiscal_year", years[c]);
      set_number(o, "value", value);
      set_string_or_null(o, "unit", unit);
      json_object_set_int_member(o, "page", ctx->page->no);
      if (vc->t.has_bbox)
        kk_json_set_bbox(o, "bbox", vc->t.bbox);
      if (!emit(p, o, yr_rule, error))
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
      const KpRule *role_rule = rule_for(fam, KP_SEC_MEASURES, "role", rc->t.text, NULL);
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
          label = value_text(x->t.text);
      }
      double value = 0;
      const char *unit = NULL;
      g_autofree char *uo = NULL;
      gboolean has = measure_value(&vc->t, 0, -1, ctx->scale, &value, &unit, &uo);
      g_autofree char *raw = value_text(vc->t.text);
      const char *role = value_role(fam, raw, role_rule->arg, NULL);
      gint64 fy = text_fiscal_year(&rc->t, 0, -1);
      const char *dy = kp_rule_opt(role_rule, "default-year");
      if (fy == 0 && dy)
        fy = strcmp(dy, "end") == 0 ? st->fy_end : st->fy_start;
      JsonObject *o = measure_new(label, role, has, value, unit, fy, raw, ctx->page->no,
                                  vc->t.has_bbox ? vc->t.bbox : NULL);
      g_free(label);
      if (in_card && st->item)
        item_add_after(st->item, o, role_rule);
      else if (!emit(p, o, role_rule, error))
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
    list_clear(ls);
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
      ls->label[c] = label_text(cell->t.text);
      ls->rule[c] = rule_for(fam, KP_SEC_LIST, "column", cell->t.text, NULL);
      if (ls->rule[c] && g_strcmp0(kp_rule_opt(ls->rule[c], "as"), "item_no") == 0 && ls->key_col < 0)
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
      if (rule_for(fam, KP_SEC_LIST, "skip-row", cell->t.text, NULL))
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
      it = start_item(p, ctx->page->no, ls->rule[ls->key_col >= 0 ? ls->key_col : 0], error);
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
      const char *as = cr ? kp_rule_opt(cr, "as") : NULL;
      if (!join && cell->t.has_bbox && cell->row == r)
        bbox_union(it->bbox, &it->has_bbox, cell->t.bbox);
      if (as && strcmp(as, "skip") == 0)
        continue;
      if (join && kp_blank(cell->t.text))
        continue;
      if (join && as && g_strcmp0(as, "category") == 0 && it->category) {
        /* a category cell split by the page break: the rest of its text */
        g_autofree char *more = attr_text(cell->t.text);
        char *joined = g_strconcat(it->category, more, NULL);
        g_free(it->category);
        it->category = joined;
      } else {
        item_set_attr(it, as, cell->t.text);
      }
      if (cr && g_strcmp0(kp_rule_opt(cr, "field"), "no") == 0)
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
        f = field_new(ls->label[c], &cell->t, ctx->page->no, cr);
        item_add_field(it, f);
      } else {
        field_append(f, &cell->t);
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
  g_autofree gboolean *used = g_new0(gboolean, (gsize)MAX(1, t->cells->len));
  GHashTable *is_value = g_hash_table_new(NULL, NULL);

  for (int r = 0; r < t->nrows; r++) {
    /* a row split by the page break: its label cell is empty */
    if (r == 0 && (t->continued || ctx->first_on_page) && st->last_field && st->item) {
      KpCell *first = kp_table_at(t, 0, 0);
      if (first == NULL || kp_blank(first->t.text)) {
        for (int c = 0; c < t->ncols; c++) {
          KpCell *x = kp_table_at(t, 0, c);
          if (x && x->col == c && x->row == 0 && !kp_blank(x->t.text)) {
            field_append(st->last_field, &x->t);
            g_hash_table_add(is_value, x);
            if (st->last_field->schedule) {
              g_autofree char *txt = value_text(st->last_field->value->str);
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
      const KpRule *start = rule_for(fam, KP_SEC_CARD, "start", cell->t.text, NULL);
      if (start) {
        if (!start_item(p, ctx->page->no, start, error)) {
          g_hash_table_destroy(is_value);
          return FALSE;
        }
      }
      char *lab_value = NULL;
      const KpRule *lab = rule_for(fam, KP_SEC_CARD, "label", cell->t.text, &lab_value);
      const KpRule *sched = lab ? NULL : rule_for(fam, KP_SEC_CARD, "schedule", cell->t.text, NULL);
      g_free(lab_value);
      if ((lab || sched) && st->item == NULL) {
        explain(p, "  (label '%s' on p%d outside any item: ignored)\n", cell->t.text, ctx->page->no);
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
        bbox_union(it->bbox, &it->has_bbox, cell->t.bbox);
      KpCell *v = kp_table_at(t, r, c + cell->colspan);
      if ((v == NULL || v == cell) && g_strcmp0(kp_rule_opt(rule, "below"), "yes") == 0)
        v = kp_table_at(t, r + cell->rowspan, c);
      if (v == cell)
        v = NULL;
      if (v)
        g_hash_table_add(is_value, v);
      KpText empty = { .text = (char *)"", .spans = NULL };
      const KpText *vt = v ? &v->t : &empty;
      if (v && v->t.has_bbox)
        bbox_union(it->bbox, &it->has_bbox, v->t.bbox);
      g_autofree char *label = label_text(cell->t.text);
      const char *as = kp_rule_opt(rule, "as");
      gboolean want_field = g_strcmp0(kp_rule_opt(rule, "field"), "no") != 0 &&
                            g_strcmp0(as, "skip") != 0;
      JsonObject *schedule = NULL;
      if (sched) {
        want_field = g_strcmp0(kp_rule_opt(rule, "field"), "yes") == 0;
        gint64 fy = label_fiscal_year(&cell->t);
        const char *actual = kp_rule_opt(rule, "actual");
        gboolean is_actual = strstr(label, actual ? actual : "実績") != NULL;
        if (fy > 0) {
          JsonObject *o = json_object_new();
          json_object_set_string_member(o, "type", "schedule");
          json_object_set_int_member(o, "fiscal_year", fy);
          json_object_set_string_member(o, "kind", is_actual ? "actual" : "plan");
          g_autofree char *txt = value_text(vt->text);
          json_object_set_string_member(o, "text", txt);
          json_object_set_int_member(o, "page", ctx->page->no);
          if (v && v->t.has_bbox)
            kk_json_set_bbox(o, "bbox", v->t.bbox);
          item_add_after(it, o, rule);
          schedule = o;
        } else {
          explain(p, "  (schedule label '%s' on p%d names no fiscal year)\n", label, ctx->page->no);
        }
      }
      item_set_attr(it, as, vt->text);
      if (want_field) {
        Field *f = field_new(label, vt, ctx->page->no, rule);
        f->schedule = schedule;
        item_add_field(it, f);
        st->last_field = f;
      }
    }
  }
  (void)used;
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
    if (strcmp(r->directive, "year") == 0 && kp_rule_opt(r, "within"))
      need = TRUE;
  }
  if (!need)
    return TRUE;
  if (st->fy_start <= 0)
    return FALSE;
  for (int c = 0; c < t->ncols; c++) {
    KpCell *cell = kp_table_at(t, header_row, c);
    gint64 fy = cell ? label_fiscal_year(&cell->t) : 0;
    if (fy >= st->fy_start && fy <= st->fy_end)
      return TRUE;
  }
  return FALSE;
}

/* Routes one table to the mode its rules claim. */
static gboolean do_table(KkParser *p, const KpPage *page, const KpTable *t, gboolean first,
                         GError **error)
{
  Stream *st = p->st;
  KpFamily *fam = st->family;
  TableCtx ctx = { .p = p, .page = page, .table = t, .first_on_page = first };
  table_unit(p, page, t, &ctx);
  /* a row that is an item's heading (title and department cells) */
  for (guint i = 0; i < fam->section[KP_SEC_CARD]->len; i++) {
    const KpRule *r = g_ptr_array_index(fam->section[KP_SEC_CARD], i);
    if (strcmp(r->directive, "item-row") != 0)
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
        g_autofree char *at = attr_text(cell->t.text);
        g_string_append(joined, at);
        if (cell->t.has_bbox)
          bbox_union(bbox, &hb, cell->t.bbox);
      }
      g_autofree char *text = g_string_free(joined, FALSE);
      static const char *const names[] = { "item_no", "title", "department", "category" };
      char *vals[4] = { NULL, NULL, NULL, NULL };
      if (!kp_rule_match_named(r, text, names, vals, 4))
        continue;
      Item *it = start_item(p, page->no, r, error);
      for (int k = 0; k < 4; k++) {
        if (it)
          item_set_attr(it, names[k], vals[k]);
        g_free(vals[k]);
      }
      if (it == NULL)
        return FALSE;
      if (hb)
        bbox_union(it->bbox, &it->has_bbox, bbox);
      return TRUE;
    }
  }
  int row = -1;
  if (table_has(t, fam, KP_SEC_MEETING, "label", NULL))
    return do_meeting(&ctx, error);
  if (table_has(t, fam, KP_SEC_ACHIEVEMENTS, "header", &row)) {
    /* the items it names must be out before it */
    if (!flush_item(p, error))
      return FALSE;
    return do_achievements(&ctx, row, error);
  }
  if (table_has(t, fam, KP_SEC_BUDGET, "header", NULL))
    return do_budget(&ctx, error);
  /* a series table: a row with two or more fiscal-year header cells */
  if (fam->section[KP_SEC_SERIES]->len > 0) {
    for (int r = 0; r < t->nrows && r < 4; r++) {
      int n = 0;
      for (int c = 0; c < t->ncols; c++) {
        KpCell *cell = kp_table_at(t, r, c);
        if (cell && cell->col == c && cell->row == r &&
            rule_for(fam, KP_SEC_SERIES, "year", cell->t.text, NULL) && label_fiscal_year(&cell->t))
          n++;
      }
      if (n >= 2 && series_in_plan(st, fam, t, r))
        return do_series(&ctx, r, error);
    }
  }
  row = -1;
  if (table_has(t, fam, KP_SEC_LIST, "header", &row))
    return do_list(&ctx, row, error);
  if (t->continued && st->list.active && st->list.ncols == t->ncols && st->item && st->item->from_list)
    return do_list(&ctx, -1, error);
  gboolean card = table_has(t, fam, KP_SEC_CARD, "start", NULL) ||
                  (st->item && !st->item->from_list &&
                   (table_has(t, fam, KP_SEC_CARD, "label", NULL) ||
                    table_has(t, fam, KP_SEC_CARD, "schedule", NULL) || t->continued ||
                    (first && st->last_field && kp_blank(kp_table_at(t, 0, 0) ? kp_table_at(t, 0, 0)->t.text : NULL))));
  if (table_has(t, fam, KP_SEC_MEASURES, "role", NULL))
    if (!do_measures(&ctx, card, error))
      return FALSE;
  if (card)
    return do_card(&ctx, error);
  if (p->explain && t->cells->len > 0) {
    /* a table no rule claimed: say so, with its first cell */
    KpCell *c0 = g_ptr_array_index(t->cells, 0);
    g_autofree char *head = shorten(c0->t.text);
    if (g_hash_table_size(st->unused) < 2000)
      g_hash_table_add(st->unused, g_strdup_printf("p%d: table %dx%d starting '%s' (no rule)",
                                                   page->no, t->nrows, t->ncols, head));
  }
  return TRUE;
}

/* ---------------------------------------------------------- page: lines */

static gboolean do_line(KkParser *p, const KpPage *page, const KpLine *l, GError **error)
{
  Stream *st = p->st;
  KpFamily *fam = st->family;
  if (kp_blank(l->t.text))
    return TRUE;
  if (rule_for(fam, KP_SEC_CARD, "skip-line", l->t.text, NULL))
    return TRUE;
  /* category headings */
  GPtrArray *cats = fam->section[KP_SEC_CATEGORY];
  for (guint i = 0; i < cats->len; i++) {
    const KpRule *r = g_ptr_array_index(cats, i);
    const char *ms = kp_rule_opt(r, "min-size");
    if (ms && l->size + 0.01 < g_ascii_strtod(ms, NULL))
      continue;
    g_autofree char *v = NULL;
    if (!kp_rule_match(r, l->t.text, &v))
      continue;
    if (strcmp(r->directive, "reset") == 0) {
      g_clear_pointer(&st->category, g_free);
      for (int k = 0; k < 4; k++)
        g_clear_pointer(&st->levels[k], g_free);
      explain(p, "  category  p%-3d %-28s (reset)\n", page->no, "");
    } else {
      /* level N replaces itself and clears the levels below it */
      const char *lv = kp_rule_opt(r, "level");
      int level = CLAMP(lv ? atoi(lv) : 1, 1, 4) - 1;
      g_free(st->levels[level]);
      st->levels[level] = value_text(v);
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
      g_autofree char *w = where(r);
      explain(p, "  category  p%-3d %-28s %s\n", page->no, w, st->category);
    }
    st->collecting = NULL;
    return TRUE;
  }
  /* a unit header belongs to the table below it, not to a paragraph */
  if (rule_for(fam, KP_SEC_UNITS, "unit", l->t.text, NULL)) {
    st->collecting = NULL;
    return TRUE;
  }
  /* an item's end */
  if (st->item && rule_for(fam, KP_SEC_CARD, "end", l->t.text, NULL))
    return flush_item(p, error);
  /* text cards: item lines and labelled paragraphs */
  GPtrArray *card = fam->section[KP_SEC_CARD];
  for (guint i = 0; i < card->len; i++) {
    const KpRule *r = g_ptr_array_index(card, i);
    if (strcmp(r->directive, "item-line") == 0) {
      const char *ms = kp_rule_opt(r, "min-size");
      if (ms && l->size + 0.01 < g_ascii_strtod(ms, NULL))
        continue;
      static const char *const names[] = { "item_no", "title", "department", "category" };
      char *vals[4] = { NULL, NULL, NULL, NULL };
      if (!kp_rule_match_named(r, l->t.text, names, vals, 4))
        continue;
      Item *it = start_item(p, page->no, r, error);
      if (it == NULL) {
        for (int k = 0; k < 4; k++)
          g_free(vals[k]);
        return FALSE;
      }
      for (int k = 0; k < 4; k++) {
        item_set_attr(it, names[k], vals[k]);
        g_free(vals[k]);
      }
      if (l->t.has_bbox)
        bbox_union(it->bbox, &it->has_bbox, l->t.bbox);
      return TRUE;
    }
    if (strcmp(r->directive, "text-label") == 0 && st->item) {
      g_autofree char *v = NULL;
      if (!kp_rule_match(r, l->t.text, &v))
        continue;
      g_autofree char *label = label_text(*v ? v : l->t.text);
      /* text after the label on the same line starts the value */
      gsize s = 0, e = 0;
      kp_rule_group_span(r, 0, &s, &e);
      KpText rest = { .text = (char *)l->t.text + e, .spans = NULL };
      Field *f = field_new(label, NULL, page->no, r);
      if (!kp_blank(rest.text))
        field_append(f, &rest);
      item_add_field(st->item, f);
      st->collecting = f;
      st->last_field = f;
      return TRUE;
    }
  }
  if (st->collecting) {
    field_append_sep(st->collecting, &l->t, l->same_row ? " " : "\n");
    if (l->t.has_bbox)
      bbox_union(st->collecting->bbox, &st->collecting->has_bbox, l->t.bbox);
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
    if (strcmp(r->directive, "lines") == 0)
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
    if (strcmp(r->directive, "tables") == 0)
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
    if (rule_for(fam, KP_SEC_CARD, "text-label", l->t.text, NULL) ||
        rule_for(fam, KP_SEC_CARD, "item-line", l->t.text, NULL))
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

/* Turns one page into records (family chosen). */
static gboolean process_page(KkParser *p, JsonObject *page_obj, GError **error)
{
  Stream *st = p->st;
  g_autoptr(KpPage) page = kp_page_from_json(page_obj);
  if (page->no <= 0)
    page->no = st->pages_seen;
  if (page->truncated)
    kk_warn(kk_json_string(st->doc_in, "file", NULL), "page %d: more content than the parser's limits, cut", page->no);

  g_autofree char *text = kp_page_text(page);
  JsonObject *po = json_object_new();
  json_object_set_string_member(po, "type", "page");
  json_object_set_int_member(po, "page", page->no);
  json_object_set_string_member(po, "text", text);
  if (!emit(p, po, NULL, error))
    return FALSE;
  if (st->family == NULL)
    return TRUE;
  document_rules(p, page);

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
        if (!do_table(p, page, g_ptr_array_index(page->tables, l->table), !seen_content, error))
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
          if (!do_table(p, page, t, !seen_content, error))
            return FALSE;
          seen_content = TRUE;
        }
      }
    }
    if (!do_line(p, page, l, error))
      return FALSE;
    if (!kp_blank(l->t.text) && !rule_for(st->family, KP_SEC_CARD, "skip-line", l->t.text, NULL))
      seen_content = TRUE;
  }
  for (guint k = 0; k < nt; k++) {
    if (!done[k] && !do_table(p, page, g_ptr_array_index(page->tables, k), !seen_content, error))
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
      kp_rule_match(g_ptr_array_index(units, k), l->t.text, &v);
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
  g_free(st->title.value);
  g_free(st->municipality.value);
  g_free(st->prefecture.value);
  g_free(st->period.value);
  g_string_free(st->spool, TRUE);
  if (st->spill)
    fclose(st->spill);
  item_free(st->item);
  g_hash_table_unref(st->key_by_no);
  g_free(st->category);
  for (int k = 0; k < 4; k++)
    g_free(st->levels[k]);
  list_clear(&st->list);
  g_free(st->unit);
  g_free(st->pending_unit);
  g_free(st->series_title);
  g_hash_table_unref(st->unused);
  g_free(st);
}

static Stream *stream_new(KkParser *p, JsonObject *doc)
{
  Stream *st = g_new0(Stream, 1);
  st->state = 1;
  st->doc_in = json_object_ref(doc);
  st->buffered = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  st->scores = g_new0(int, MAX(1, p->families->len));
  st->hit = g_hash_table_new(NULL, NULL);
  st->spool = g_string_new(NULL);
  st->key_by_no = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  st->unused = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  st->list.key_col = -1;
  return st;
}

typedef struct {
  KkSink sink;
  gpointer user_data;
} Replay;

static gboolean replay_line(JsonObject *o, gpointer data, GError **error)
{
  Replay *r = data;
  return r->sink(o, r->user_data, error);
}

/* Emits the document record, the spooled records and the end record. */
static gboolean finish_stream(KkParser *p, KkSink sink, gpointer user_data, GError **error)
{
  Stream *st = p->st;
  if (!st->decided)
    choose_family(p, TRUE);
  while (st->buffered->len > 0) {
    JsonObject *o = json_object_ref(g_ptr_array_index(st->buffered, 0));
    g_ptr_array_remove_index(st->buffered, 0);
    gboolean ok = process_page(p, o, error);
    json_object_unref(o);
    if (!ok)
      return FALSE;
  }
  if (!flush_item(p, error))
    return FALSE;
  if (st->family == NULL)
    kk_warn(kk_json_string(st->doc_in, "file", "<stdin>"),
            "no pattern family matched: only document and page records (searchable, no items)");
  if (p->explain) {
    explain(p, "document: title=%s municipality=%s prefecture=%s fiscal=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\n",
            st->title.value ? st->title.value : "(none)",
            st->municipality.value ? st->municipality.value : "(none)",
            st->prefecture.value ? st->prefecture.value : "(none)", st->fy_start, st->fy_end);
    DocAttr *attrs[] = { &st->title, &st->municipality, &st->prefecture, &st->period };
    const char *names[] = { "title", "municipality", "prefecture", "period" };
    for (int i = 0; i < 4; i++)
      if (attrs[i]->rule) {
        g_autofree char *w = where(attrs[i]->rule);
        explain(p, "  %-12s from p%d by %s\n", names[i], attrs[i]->page, w);
      }
    guint n = g_hash_table_size(st->unused);
    explain(p, "labelled cells and tables no rule used: %u\n", n);
    if (n) {
      g_autofree gpointer *keys = g_hash_table_get_keys_as_array(st->unused, NULL);
      g_qsort_with_data(keys, (gint)n, sizeof(gpointer), (GCompareDataFunc)(void (*)(void))g_strcmp0, NULL);
      for (guint i = 0; i < n; i++)
        explain(p, "  %s\n", (const char *)keys[i]);
    }
    fflush(p->explain);
  }
  if (!emit_document(p, sink, user_data, error))
    return FALSE;
  Replay rp = { sink, user_data };
  if (st->spill) {
    if (st->spool->len && fwrite(st->spool->str, 1, st->spool->len, st->spill) != st->spool->len) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot spool records to a temporary file");
      return FALSE;
    }
    rewind(st->spill);
    if (!kk_jsonl_read(st->spill, "<spool>", 0, replay_line, &rp, error))
      return FALSE;
  } else {
    g_autoptr(JsonParser) jp = json_parser_new_immutable();
    const char *q = st->spool->str, *end = q + st->spool->len;
    while (q < end) {
      const char *nl = memchr(q, '\n', (gsize)(end - q));
      if (nl == NULL)
        nl = end;
      if (!json_parser_load_from_data(jp, q, nl - q, error))
        return FALSE;
      if (!sink(json_node_get_object(json_parser_get_root(jp)), user_data, error))
        return FALSE;
      q = nl + 1;
    }
  }
  JsonObject *e = json_object_new();
  json_object_set_string_member(e, "type", "end");
  json_object_set_int_member(e, "records", (gint64)st->n_records + 1);
  gboolean ok = sink(e, user_data, error);
  json_object_unref(e);
  return ok;
}

gboolean kk_parser_feed(KkParser *p, JsonObject *obj, KkSink sink, gpointer user_data, GError **error)
{
  const char *type = kk_json_string(obj, "type", NULL);
  if (type == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "pages stream: object without a \"type\"");
    return FALSE;
  }
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
    return TRUE;
  }
  if (p->st == NULL || p->st->state != 1) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "pages stream: \"%s\" object before the document object", type);
    return FALSE;
  }
  Stream *st = p->st;
  if (strcmp(type, "page") == 0 && st->normalize) {
    /* the caller's object is borrowed: normalize a copy */
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
    json_node_set_object(node, obj);
    g_autofree char *text = json_to_string(node, FALSE);
    g_autoptr(JsonNode) copy = json_from_string(text, NULL);
    if (copy == NULL || !JSON_NODE_HOLDS_OBJECT(copy)) {
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "cannot copy a page object");
      return FALSE;
    }
    JsonObject *co = json_node_get_object(copy);
    if (!kk_normalize_pages_object(co, error))
      return FALSE;
    st->normalize = FALSE;
    gboolean ok = kk_parser_feed(p, co, sink, user_data, error);
    st->normalize = TRUE;
    return ok;
  }
  if (strcmp(type, "page") == 0) {
    st->pages_seen++;
    if (!st->decided) {
      g_autoptr(KpPage) page = kp_page_from_json(obj);
      if (page->no <= 0)
        page->no = st->pages_seen;
      recognise_page(p, page);
      g_ptr_array_add(st->buffered, json_object_ref(obj));
      if (!choose_family(p, st->buffered->len >= KP_RECOGNISE_PAGES))
        return TRUE;
      while (st->buffered->len > 0) {
        JsonObject *o = json_object_ref(g_ptr_array_index(st->buffered, 0));
        g_ptr_array_remove_index(st->buffered, 0);
        gboolean ok = process_page(p, o, error);
        json_object_unref(o);
        if (!ok)
          return FALSE;
      }
      return TRUE;
    }
    return process_page(p, obj, error);
  }
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
  g_free(p->dir);
  g_free(p);
}

void kk_parser_set_explain(KkParser *p, FILE *out)
{
  p->explain = out;
}

guint kk_parser_family_count(const KkParser *p)
{
  return p ? p->families->len : 0;
}
