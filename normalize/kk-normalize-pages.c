/*
 * kk-normalize-pages.c — normalizing one object of a pages stream in place
 * (common/FORMATS.md, "pages": normalize rewrites every text, adds spans,
 * keeps raw when different, marks the document normalized).
 */
#include "kk-normalize-private.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <string.h>

/* A reference to the one empty spans array that every text without values
 * shares (most texts have none, and an array of their own cost more than
 * the rest of normalizing them).  Sealed: no one changes a spans array. */
static JsonArray *empty_spans(void)
{
  static gsize init;
  static JsonArray *empty;
  if (g_once_init_enter(&init)) {
    empty = json_array_new();
    json_array_seal(empty);
    g_once_init_leave(&init, 1);
  }
  return json_array_ref(empty);
}

/* Rewrites o.text (if it is a string) and adds o.spans and, when the text
 * changed and no raw is there yet, o.raw.  An existing raw is the source. */
static gboolean normalize_text_member(KkNormalizer *n, GArray *spans, JsonObject *o, GError **error)
{
  /* Normalized before: start again from the original, so that the result
   * is the same however often a stream is normalized. */
  JsonNode *raw_node = json_object_get_member(o, "raw");
  /* the text member's string: setting "raw" below leaves it in place */
  const char *current = kk_json_string(o, "text", NULL);
  const char *text = kk_json_string(o, "raw", NULL);
  if (text == NULL)
    text = current;
  if (text == NULL)
    return TRUE;
  gsize len = strlen(text), out_len;
  const char *norm = kk_normalizer_run(n, text, len, KK_NORMALIZE_REPLACE_INVALID, &out_len, NULL, error);
  if (norm == NULL)
    return FALSE;
  kk_normalizer_annotate(n, spans);
  JsonArray *a = spans->len ? json_array_sized_new(spans->len) : empty_spans();
  for (guint i = 0; i < spans->len; i++)
    json_array_add_object_element(a, kk_span_to_json(&g_array_index(spans, KkSpan, i)));
  gboolean changed = out_len != len || memcmp(norm, text, len) != 0;
  if (changed && raw_node == NULL)
    json_object_set_string_member(o, "raw", text); /* copies text before it is replaced */
  if (current == NULL || strlen(current) != out_len || memcmp(current, norm, out_len) != 0)
    json_object_set_string_member(o, "text", norm);
  json_object_set_array_member(o, "spans", a);
  return TRUE;
}

/* Applies normalize_text_member to every object element of `array`. */
static gboolean normalize_objects(KkNormalizer *n, GArray *spans, JsonArray *array, GError **error)
{
  guint len = array ? json_array_get_length(array) : 0;
  for (guint i = 0; i < len; i++) {
    JsonNode *node = json_array_get_element(array, i);
    if (JSON_NODE_HOLDS_OBJECT(node) && !normalize_text_member(n, spans, json_node_get_object(node), error))
      return FALSE;
  }
  return TRUE;
}

gboolean kk_normalize_pages_object(JsonObject *object, GError **error)
{
  const char *type = kk_json_string(object, "type", NULL);
  if (type == NULL)
    return TRUE;
  if (strcmp(type, "document") == 0) {
    json_object_set_boolean_member(object, "normalized", TRUE);
    return TRUE;
  }
  if (strcmp(type, "page") != 0)
    return TRUE;
  KkNormalizer *n = kk_normalizer_default(error);
  if (n == NULL)
    return FALSE;
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  if (!normalize_objects(n, spans, kk_json_array(object, "lines"), error))
    return FALSE;
  JsonArray *tables = kk_json_array(object, "tables");
  guint nt = tables ? json_array_get_length(tables) : 0;
  for (guint t = 0; t < nt; t++) {
    JsonNode *tn = json_array_get_element(tables, t);
    if (!JSON_NODE_HOLDS_OBJECT(tn))
      continue;
    JsonArray *rows = kk_json_array(json_node_get_object(tn), "rows");
    guint nr = rows ? json_array_get_length(rows) : 0;
    for (guint r = 0; r < nr; r++) {
      JsonNode *rn = json_array_get_element(rows, r);
      if (JSON_NODE_HOLDS_ARRAY(rn) && !normalize_objects(n, spans, json_node_get_array(rn), error))
        return FALSE;
    }
  }
  return TRUE;
}
