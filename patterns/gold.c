/* gold.c — see gold.h */
#include "patterns/gold.h"
#include "patterns/pagemodel.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

/* A member as comparable text: strings without whitespace, numbers in a
 * canonical form, null/absent as "-". */
static char *member_text(JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL(n))
    return g_strdup("-");
  if (JSON_NODE_HOLDS_VALUE(n)) {
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_STRING) {
      /* gold text is NFKC by contract; normalize keeps ①, NFKC makes it 1 */
      g_autofree char *nfkc = g_utf8_normalize(json_node_get_string(n), -1, G_NORMALIZE_ALL);
      char *sq = kp_squeeze(nfkc ? nfkc : json_node_get_string(n));
      if (*sq == '\0') {
        g_free(sq);
        return g_strdup("-");
      }
      return sq;
    }
    if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE) {
      double d = json_node_get_double(n);
      if (fabs(d - round(d)) < 1e-6)
        return g_strdup_printf("%.0f", d);
      return g_strdup_printf("%.2f", d);
    }
    if (t == G_TYPE_BOOLEAN)
      return g_strdup(json_node_get_boolean(n) ? "true" : "false");
  }
  return g_strdup("?");
}

static void add(GPtrArray *facts, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void add(GPtrArray *facts, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(facts, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *kp_gold_facts(GPtrArray *records)
{
  GPtrArray *facts = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < records->len; i++) {
    JsonObject *o = g_ptr_array_index(records, i);
    const char *type = kk_json_string(o, "type", "");
    if (strcmp(type, "document") == 0) {
      const char *m[] = { "title", "municipality", "prefecture", "family", "fiscal_start", "fiscal_end" };
      for (gsize k = 0; k < G_N_ELEMENTS(m); k++) {
        g_autofree char *v = member_text(o, m[k]);
        add(facts, "document|%s=%s", m[k], v);
      }
    } else if (strcmp(type, "item") == 0) {
      g_autofree char *no = member_text(o, "item_no");
      g_autofree char *title = member_text(o, "title");
      char *id = g_strdup(strcmp(no, "-") != 0 ? no : title);
      const char *key = kk_json_string(o, "key", NULL);
      if (key)
        g_hash_table_replace(ids, g_strdup(key), g_strdup(id));
      const char *m[] = { "item_no", "title", "department", "category", "page" };
      for (gsize k = 0; k < G_N_ELEMENTS(m); k++) {
        g_autofree char *v = member_text(o, m[k]);
        add(facts, "item[%s]|%s=%s", id, m[k], v);
      }
      JsonArray *fields = kk_json_array(o, "fields");
      for (guint f = 0; fields && f < json_array_get_length(fields); f++) {
        JsonNode *fn = json_array_get_element(fields, f);
        if (!JSON_NODE_HOLDS_OBJECT(fn))
          continue;
        JsonObject *fo = json_node_get_object(fn);
        g_autofree char *label = member_text(fo, "label");
        g_autofree char *value = member_text(fo, "value");
        add(facts, "item[%s]|field[%s]=%s", id, label, value);
      }
      g_free(id);
    } else if (strcmp(type, "page") == 0 || strcmp(type, "end") == 0 || strcmp(type, "table") == 0 ||
               strcmp(type, "fact") == 0) {
      continue; /* tables and facts are scored against their own gold (tests/e2e/facts_corpus.sh) */
    } else {
      const char *key = kk_json_string(o, "item", NULL);
      const char *id = key ? g_hash_table_lookup(ids, key) : NULL;
      g_autofree char *idc = g_strdup(id ? id : (key ? "?" : "-"));
      if (strcmp(type, "schedule") == 0) {
        g_autofree char *fy = member_text(o, "fiscal_year");
        g_autofree char *kind = member_text(o, "kind");
        g_autofree char *text = member_text(o, "text");
        add(facts, "schedule[%s]|%s|%s=%s", idc, fy, kind, text);
      } else if (strcmp(type, "achievement") == 0) {
        g_autofree char *fy = member_text(o, "fiscal_year");
        double rate = kk_json_double(o, "rate", NAN);
        add(facts, "achievement[%s]|%s=%.1f", idc, fy, rate);
      } else if (strcmp(type, "measure") == 0) {
        const char *m[] = { "label", "role", "value", "unit", "fiscal_year", "raw" };
        GString *s = g_string_new(NULL);
        g_string_append_printf(s, "measure[%s]", idc);
        for (gsize k = 0; k < G_N_ELEMENTS(m); k++) {
          g_autofree char *v = member_text(o, m[k]);
          g_string_append_printf(s, "|%s=%s", m[k], v);
        }
        g_ptr_array_add(facts, g_string_free(s, FALSE));
      } else if (strcmp(type, "series") == 0) {
        g_autofree char *t = member_text(o, "table_title");
        g_autofree char *r = member_text(o, "row_label");
        g_autofree char *fy = member_text(o, "fiscal_year");
        g_autofree char *v = member_text(o, "value");
        g_autofree char *u = member_text(o, "unit");
        add(facts, "series|%s|%s|%s=%s%s", t, r, fy, v, u);
      } else if (strcmp(type, "budget") == 0) {
        g_autofree char *fy = member_text(o, "fiscal_year");
        const char *m[] = { "total", "national", "prefectural", "bonds", "other", "general_fund" };
        for (gsize k = 0; k < G_N_ELEMENTS(m); k++) {
          g_autofree char *v = member_text(o, m[k]);
          add(facts, "budget[%s]|%s|%s=%s", idc, fy, m[k], v);
        }
      } else if (strcmp(type, "meeting") == 0) {
        g_autofree char *t = member_text(o, "title");
        const char *m[] = { "held_on", "place", "attendees" };
        add(facts, "meeting[%s]", t);
        for (gsize k = 0; k < G_N_ELEMENTS(m); k++) {
          g_autofree char *v = member_text(o, m[k]);
          add(facts, "meeting[%s]|%s=%s", t, m[k], v);
        }
      } else {
        add(facts, "%s[%s]", type, idc);
      }
    }
  }
  g_ptr_array_sort(facts, cmp_str);
  return facts;
}

/* TRUE if `fact` is of one of the comma-separated kinds of `only` (or
 * `only` is NULL): a record type ("measure", "budget", "item" for an
 * item's attributes) or "field" for the fields of items. */
static gboolean fact_selected(const char *fact, const char *only)
{
  if (only == NULL)
    return TRUE;
  const char *bar = strchr(fact, '|');
  const char *bracket = strchr(fact, '[');
  const char *end = bracket && (bar == NULL || bracket < bar) ? bracket : bar;
  gsize n = end ? (gsize)(end - fact) : strlen(fact);
  g_autofree char *type = g_strndup(fact, n);
  if (strcmp(type, "item") == 0 && bar && g_str_has_prefix(bar + 1, "field["))
    g_free(type), type = g_strdup("field");
  g_auto(GStrv) kinds = g_strsplit(only, ",", -1);
  for (int i = 0; kinds[i]; i++)
    if (strcmp(g_strstrip(kinds[i]), type) == 0)
      return TRUE;
  return FALSE;
}

/* Drops the facts not of type `only`. */
static void select_facts(GPtrArray *facts, const char *only)
{
  for (guint i = facts->len; only && i > 0; i--)
    if (!fact_selected(g_ptr_array_index(facts, i - 1), only))
      g_ptr_array_remove_index(facts, i - 1);
}

void kp_gold_compare(GPtrArray *records, GPtrArray *gold, const char *only, KpScore *score, FILE *report)
{
  memset(score, 0, sizeof *score);
  for (guint i = 0; i < gold->len; i++) {
    JsonObject *o = g_ptr_array_index(gold, i);
    if (g_strcmp0(kk_json_string(o, "type", NULL), "document") == 0)
      g_strlcpy(score->family, kk_json_string(o, "family", ""), sizeof score->family);
  }
  g_autoptr(GPtrArray) a = kp_gold_facts(records);
  g_autoptr(GPtrArray) b = kp_gold_facts(gold);
  select_facts(a, only);
  select_facts(b, only);
  guint i = 0, k = 0, n_missing = 0, n_extra = 0;
  while (i < a->len || k < b->len) {
    int c = i >= a->len ? 1 : k >= b->len ? -1
            : strcmp(g_ptr_array_index(a, i), g_ptr_array_index(b, k));
    if (c == 0) {
      score->tp++;
      i++;
      k++;
    } else if (c < 0) {
      score->fp++;
      if (report && n_extra++ < 200)
        fprintf(report, "  extra:   %s\n", (const char *)g_ptr_array_index(a, i));
      i++;
    } else {
      score->fn++;
      if (report && n_missing++ < 200)
        fprintf(report, "  missing: %s\n", (const char *)g_ptr_array_index(b, k));
      k++;
    }
  }
}

static gboolean collect(JsonObject *o, gpointer data, GError **error)
{
  g_ptr_array_add(data, json_object_ref(o));
  return TRUE;
}

gboolean kp_gold_compare_file(GPtrArray *records, const char *gold_path, const char *only, KpScore *score,
                              FILE *report, GError **error)
{
  g_autoptr(GPtrArray) gold = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  if (!kk_jsonl_read_path(gold_path, 0, collect, gold, error))
    return FALSE;
  kp_gold_compare(records, gold, only, score, report);
  return TRUE;
}

double kp_score_precision(const KpScore *s)
{
  return s->tp + s->fp ? (double)s->tp / (s->tp + s->fp) : (s->fn ? 0.0 : 1.0);
}

double kp_score_recall(const KpScore *s)
{
  return s->tp + s->fn ? (double)s->tp / (s->tp + s->fn) : 1.0;
}

double kp_score_f1(const KpScore *s)
{
  double p = kp_score_precision(s), r = kp_score_recall(s);
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}
