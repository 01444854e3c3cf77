/*
 * records.c — building items and fields, spooling and emitting records.
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

void kp_explain(KkParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void kp_explain(KkParser *p, const char *fmt, ...)
{
  if (p->explain == NULL)
    return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(p->explain, fmt, ap);
  va_end(ap);
}

/* "file:line" of a rule, short form (basename) for explain output. */
char *kp_where(const KpRule *r)
{
  if (r == NULL)
    return g_strdup("-");
  g_autofree char *base = g_path_get_basename(r->family ? r->family->path : "?");
  return g_strdup_printf("%s:%d", base, r->line);
}

/* Shortened text for explain output (first 40 characters, one line). */
char *kp_shorten(const char *text)
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

GArray *kp_span_array_new(void)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(KpSpan));
  g_array_set_clear_func(a, span_copy_clear);
  return a;
}

/* Appends `t`'s text (and spans, shifted) to a field, `sep` between. */
void kp_field_append_sep(Field *f, const KpText *t, const char *sep)
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
void kp_field_append(Field *f, const KpText *t)
{
  kp_field_append_sep(f, t, "\n");
}

Field *kp_field_new(const char *label, const KpText *value, int page, const KpRule *rule)
{
  Field *f = g_new0(Field, 1);
  f->label = g_strdup(label);
  f->value = g_string_new(NULL);
  f->spans = kp_span_array_new();
  f->page = page;
  f->rule = rule;
  if (value) {
    kp_field_append(f, value);
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

void kp_item_free(Item *it)
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

void kp_list_clear(ListState *l)
{
  for (int i = 0; l->label && i < l->ncols; i++) {
    g_free(l->label[i]);
    g_free(l->head[i]);
    g_free(l->role_label[i]);
    g_free(l->unit_word[i]);
  }
  g_free(l->label);
  g_free(l->head);
  g_free(l->rule);
  g_free(l->sched_rule);
  g_free(l->sched_fy);
  g_free(l->sched_actual);
  g_free(l->role_rule);
  g_free(l->role_fy);
  g_free(l->role_label);
  g_free(l->role_label_col);
  g_free(l->unit_scale);
  g_free(l->unit_word);
  g_free(l->budget_kind);
  g_free(l->budget_fy);
  g_free(l->budget_rule);
  memset(l, 0, sizeof *l);
  l->key_col = -1;
}

void kp_bbox_union(double acc[4], gboolean *has, const double b[4])
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
char *kp_label_text(const char *text)
{
  return kp_squeeze(text);
}

char *kp_value_text(const char *text)
{
  g_autofree char *copy = g_strdup(text ? text : "");
  return g_strdup(g_strstrip(copy));
}

void kp_set_string_or_null(JsonObject *o, const char *member, const char *value)
{
  if (value != NULL)
    json_object_set_string_member(o, member, value);
  else
    json_object_set_null_member(o, member);
}

void kp_set_fy(JsonObject *o, gint64 fy)
{
  if (fy > 0)
    json_object_set_int_member(o, "fiscal_year", fy);
  else
    json_object_set_null_member(o, "fiscal_year");
}

/* First fiscal year named in `t` within code points [from,to) (to<0: end):
 * a fiscal_year span, or the start of a fiscal_year_range; 0 if none. */
gint64 kp_text_fiscal_year(const KpText *t, int from, int to)
{
  const KpSpan *s = kp_text_find_span(t, KK_SPAN_FISCAL_YEAR, from, to);
  const KpSpan *r = kp_text_find_span(t, KK_SPAN_FISCAL_YEAR_RANGE, from, to);
  if (s && (!r || s->start <= r->start))
    return (gint64)s->num;
  if (r)
    return r->from;
  return 0;
}

/* The fiscal year a header or schedule label names, where the context says
 * it is a fiscal year: a fiscal-year span, else an era year ("R3実績",
 * whose "R3" normalize annotates as a year). */
gint64 kp_label_fiscal_year(const KpText *t)
{
  gint64 fy = kp_text_fiscal_year(t, 0, -1);
  if (fy == 0) {
    const KpSpan *y = kp_text_find_span(t, KK_SPAN_YEAR, 0, -1);
    if (y && y->num > 1800 && y->num < 2200)
      fy = (gint64)y->num;
  }
  return fy;
}

/* Like kp_label_fiscal_year() within code points [from, to). */
gint64 kp_label_fiscal_year_in(const KpText *t, int from, int to)
{
  gint64 fy = kp_text_fiscal_year(t, from, to);
  if (fy == 0) {
    const KpSpan *y = kp_text_find_span(t, KK_SPAN_YEAR, from, to);
    if (y && y->num > 1800 && y->num < 2200)
      fy = (gint64)y->num;
  }
  return fy;
}

/* ------------------------------------------------------------ spooling */

/* The spill holds the records emitted so far as JSON Lines, in order:
 * in memory (a stream on a buffer of KP_SPOOL_MEMORY bytes) until the next
 * line would not fit, then in a temporary file, to which what was in
 * memory moves.  A record is written when it is emitted (records are not
 * changed once emitted): no tree is held, and table and fact records
 * (facts.c) come as text, never built as trees. */

/* Sets the error of a spill that cannot be made or written; FALSE. */
static gboolean spill_failed(GError **error)
{
  g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "cannot spool records to a temporary file");
  return FALSE;
}

/* Moves the in-memory spill to a new temporary file (the spill stays the
 * file even when the copy fails: FALSE then). */
static gboolean spill_to_disk(Stream *st)
{
  FILE *disk = tmpfile();
  if (disk == NULL)
    return FALSE;
  setvbuf(disk, NULL, _IOFBF, 1 << 16); /* a budget book spills megabytes */
  long used = ftell(st->spill);
  gboolean ok = used >= 0 && fflush(st->spill) == 0 && fseek(st->spill, 0, SEEK_SET) == 0;
  char buf[65536];
  for (long left = used; ok && left > 0;) {
    size_t n = fread(buf, 1, (size_t)MIN(left, (long)sizeof buf), st->spill);
    ok = n > 0 && fwrite(buf, 1, n, disk) == n;
    left -= (long)n;
  }
  fclose(st->spill);
  st->spill = disk;
  return ok;
}

/* Appends one record's line (line[0..len), no newline) to the spill, made
 * on first use; FALSE with `error` set when it cannot be written. */
static gboolean spill_line(Stream *st, const char *line, gsize len, GError **error)
{
  if (st->spill == NULL && (st->spill = fmemopen(NULL, KP_SPOOL_MEMORY, "w+")) == NULL)
    return spill_failed(error);
  /* a stream on memory has no file descriptor */
  if (fileno(st->spill) < 0 && (gsize)MAX(ftell(st->spill), 0) + len + 1 > KP_SPOOL_MEMORY &&
      !spill_to_disk(st))
    return spill_failed(error);
  return kk_jsonl_write_line(st->spill, line, len, NULL) ? TRUE : spill_failed(error);
}

/* Writes the records still held as trees (none: every record is written
 * when emitted; kept for the engine's end of stream) to the spill. */
gboolean kp_spill_kept(KkParser *p, GError **error)
{
  Stream *st = p->st;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < st->kept->len; i++) {
    gsize len;
    g_autofree char *line = kk_json_object_to_line(g_ptr_array_index(st->kept, i), &len);
    ok = spill_line(st, line, len, error);
  }
  g_ptr_array_set_size(st->kept, 0);
  st->kept_bytes = 0;
  return ok;
}

gboolean kp_emit_line(KkParser *p, const char *line, gsize len, GError **error)
{
  p->st->produced++;
  p->st->n_records++;
  return spill_line(p->st, line, len, error);
}

/* Writes a record to the spill at once. */
static gboolean spool_record(KkParser *p, JsonObject *o, GError **error)
{
  gsize len;
  g_autofree char *line = kk_json_object_to_line(o, &len);
  p->st->n_records++;
  return spill_line(p->st, line, len, error);
}

/* Emits a record (takes ownership of `o`), noting its rule for --explain. */
gboolean kp_emit(KkParser *p, JsonObject *o, const KpRule *rule, GError **error)
{
  if (rule)
    ((KpRule *)rule)->made++; /* a statistic for patterns check */
  if (p->explain) {
    g_autofree char *w = kp_where(rule);
    const char *type = kk_json_string(o, "type", "?");
    if (strcmp(type, "page") != 0) {
      g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
      json_node_set_object(node, o);
      g_autofree char *js = json_to_string(node, FALSE);
      g_autofree char *sh = g_utf8_substring(js, 0, MIN(g_utf8_strlen(js, -1), 160));
      kp_explain(p, "  %-9s p%-3d %-28s %s%s\n", type, (int)kk_json_int(o, "page", 0), w, sh,
              g_utf8_strlen(js, -1) > 160 ? "…" : "");
    }
  }
  p->st->produced++;
  gboolean ok = spool_record(p, o, error);
  json_object_unref(o);
  return ok;
}

/* --------------------------------------------------------------- items */

/* Runs the [measures] text rules over the item's fields. */
void kp_text_measures(KkParser *p, Item *it);

/* Applies the `clean as=ATTR /re/` rules: an attribute that matches is
 * replaced by the rule's value group ("No.1" -> "1"). */
static void clean_attrs(KpFamily *fam, Item *it)
{
  KpSection secs[] = { KP_SEC_CARD, KP_SEC_LIST };
  for (int k = 0; k < 2; k++) {
    GPtrArray *rules = fam->section[secs[k]];
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (r->dir != KP_DIR_CLEAN)
        continue;
      const char *as = kp_rule_opt(r, KP_OPT_AS);
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
gboolean kp_flush_item(KkParser *p, GError **error)
{
  Stream *st = p->st;
  Item *it = st->item;
  if (it == NULL)
    return TRUE;
  st->item = NULL;
  st->last_field = NULL;
  st->collecting = NULL;
  clean_attrs(st->family, it);
  kp_text_measures(p, it);

  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "item");
  json_object_set_string_member(o, "key", it->key);
  kp_set_string_or_null(o, "item_no", it->item_no);
  kp_set_string_or_null(o, "title", it->title);
  kp_set_string_or_null(o, "department", it->department);
  kp_set_string_or_null(o, "category", it->category);
  json_object_set_int_member(o, "page", it->page);
  if (it->has_bbox)
    kk_json_set_bbox(o, "bbox", it->bbox);
  JsonArray *fields = json_array_new();
  for (guint i = 0; i < it->fields->len; i++) {
    Field *f = g_ptr_array_index(it->fields, i);
    JsonObject *fo = json_object_new();
    json_object_set_string_member(fo, "label", f->label);
    g_autofree char *v = kp_value_text(f->value->str);
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
  gboolean ok = kp_emit(p, o, it->rule, error);
  if (ok && p->explain) {
    for (guint i = 0; i < it->fields->len; i++) {
      Field *f = g_ptr_array_index(it->fields, i);
      g_autofree char *w = kp_where(f->rule);
      g_autofree char *sv = kp_shorten(f->value->str);
      kp_explain(p, "            field %-24s %-28s = %s\n", f->label, w, sv);
    }
  }
  for (guint i = 0; ok && i < it->after->len; i++) {
    JsonObject *r = g_ptr_array_index(it->after, i);
    it->after->pdata[i] = NULL;
    ok = kp_emit(p, r, g_ptr_array_index(it->after_rules, i), error);
  }
  kp_item_free(it);
  return ok;
}

Item *kp_start_item(KkParser *p, int page, const KpRule *rule, GError **error)
{
  Stream *st = p->st;
  if (!kp_flush_item(p, error))
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
void kp_item_add_field(Item *it, Field *f)
{
  it->produced++;
  if (it->fields->len < KP_MAX_ITEM_FIELDS)
    g_ptr_array_add(it->fields, f);
  else
    g_ptr_array_add(it->overflow, f);
}

/* Adds a record that names the open item (emitted after it). */
void kp_item_add_after(Item *it, JsonObject *o, const KpRule *rule)
{
  if (it->after->len >= KP_MAX_ITEM_RECORDS) {
    json_object_unref(o);
    return;
  }
  it->produced++;
  if (rule)
    ((KpRule *)rule)->made++; /* a statistic for patterns check */
  json_object_set_string_member(o, "item", it->key);
  g_ptr_array_add(it->after, o);
  g_ptr_array_add(it->after_rules, (gpointer)rule);
}

/* An attribute's text: a cell's wrapped lines joined (a space kept only
 * between two Latin letters or digits). */
char *kp_attr_text(const char *value)
{
  g_autofree char *v = kp_value_text(value);
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

/* TRUE if `line` ends like the name of an administrative unit (課, 室,
 * 局, 部, 係, 所, 館, 班, センター, 委員会 …): a line of its own, not a
 * name wrapped in the middle. */
static gboolean ends_like_office(const char *line)
{
  static const char *const ends[] = { "課", "室", "局", "部", "係", "所", "館", "班", "センター", "委員会",
                                      "事務局", "グループ", "チーム", "本部", "庁" };
  if (g_utf8_strlen(line, -1) < 2)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS(ends); i++)
    if (g_str_has_suffix(line, ends[i]))
      return TRUE;
  return FALSE;
}

/* A department cell's text: several offices on lines of their own
 * ("市民課\n情報政策課") are kept apart with "、"; a name wrapped by the
 * cell's width is joined as kp_attr_text() joins it. */
static char *departments_text(const char *value)
{
  g_autofree char *v = kp_value_text(value);
  g_auto(GStrv) lines = g_strsplit(v, "\n", -1);
  guint n = 0;
  gboolean all_offices = TRUE;
  for (int i = 0; lines[i]; i++) {
    g_strstrip(lines[i]);
    if (*lines[i] == '\0')
      continue;
    n++;
    all_offices = all_offices && ends_like_office(lines[i]);
  }
  if (n < 2 || !all_offices)
    return kp_attr_text(value);
  GString *s = g_string_new(NULL);
  for (int i = 0; lines[i]; i++) {
    if (*lines[i] == '\0')
      continue;
    if (s->len)
      g_string_append(s, "、");
    g_string_append(s, lines[i]);
  }
  return g_string_free(s, FALSE);
}

/* Sets an item attribute named by a rule's as= option. */
void kp_item_set_attr(Item *it, const char *as, const char *value)
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
  g_autofree char *v = strcmp(as, "department") == 0 ? departments_text(value) : kp_attr_text(value);
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
