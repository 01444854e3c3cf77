/* test_load_json_read.c — the writer's fast JSON reader (load/kk-json-read.c)
 * against json-glib: on every line of the records fixtures, on hand-made
 * edge cases and on thousands of mutated lines, it either gives up (NULL:
 * the writer then asks json-glib) or builds exactly what json-glib builds
 * (same node, value types and values, members in the same order); and
 * whatever json-glib refuses, it refuses too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "load/kk-json-read.h"

#define FIXTURES "tests/fixtures/records/"

static gboolean same_node(JsonNode *a, JsonNode *b);

static gboolean same_object(JsonObject *a, JsonObject *b)
{
  if (json_object_get_size(a) != json_object_get_size(b))
    return FALSE;
  g_autoptr(GList) ma = json_object_get_members(a);
  g_autoptr(GList) mb = json_object_get_members(b);
  for (GList *x = ma, *y = mb; x && y; x = x->next, y = y->next) {
    if (strcmp(x->data, y->data) != 0 ||
        !same_node(json_object_get_member(a, x->data), json_object_get_member(b, y->data)))
      return FALSE;
  }
  return TRUE;
}

static gboolean same_node(JsonNode *a, JsonNode *b)
{
  if (json_node_get_node_type(a) != json_node_get_node_type(b))
    return FALSE;
  switch (json_node_get_node_type(a)) {
  case JSON_NODE_OBJECT:
    return same_object(json_node_get_object(a), json_node_get_object(b));
  case JSON_NODE_ARRAY: {
    JsonArray *x = json_node_get_array(a), *y = json_node_get_array(b);
    if (json_array_get_length(x) != json_array_get_length(y))
      return FALSE;
    for (guint i = 0; i < json_array_get_length(x); i++)
      if (!same_node(json_array_get_element(x, i), json_array_get_element(y, i)))
        return FALSE;
    return TRUE;
  }
  case JSON_NODE_NULL:
    return TRUE;
  case JSON_NODE_VALUE:
    if (json_node_get_value_type(a) != json_node_get_value_type(b))
      return FALSE;
    switch (json_node_get_value_type(a)) {
    case G_TYPE_INT64: return json_node_get_int(a) == json_node_get_int(b);
    case G_TYPE_DOUBLE: return memcmp(&(double){ json_node_get_double(a) },
                                      &(double){ json_node_get_double(b) }, sizeof(double)) == 0;
    case G_TYPE_BOOLEAN: return json_node_get_boolean(a) == json_node_get_boolean(b);
    case G_TYPE_STRING: return g_strcmp0(json_node_get_string(a), json_node_get_string(b)) == 0;
    default: return FALSE;
    }
  }
  return FALSE;
}

/* Checks the reader on `text`; returns TRUE when it took the text. */
static gboolean check(const char *text, gsize len)
{
  g_autoptr(JsonObject) fast = kk_json_read_object(text, len);
  g_autoptr(JsonParser) p = json_parser_new();
  gboolean glib_ok = json_parser_load_from_data(p, text, (gssize)len, NULL) &&
                     json_parser_get_root(p) != NULL && JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p));
  if (!glib_ok) {
    if (fast != NULL)
      fail_msg("took what json-glib refuses: %.*s", (int)MIN(len, 300), text);
    return FALSE;
  }
  if (fast == NULL)
    return FALSE;
  if (!same_object(fast, json_node_get_object(json_parser_get_root(p))))
    fail_msg("differs from json-glib: %.*s", (int)MIN(len, 300), text);
  return TRUE;
}

/* Every line of the records fixtures is taken, and equals json-glib's. */
static void test_fixture_lines(void **state)
{
  const char *files[] = { "ogori.jsonl", "arao.jsonl", "iizuka.jsonl", "bad-item-ref.jsonl" };
  guint taken = 0;
  for (gsize f = 0; f < G_N_ELEMENTS(files); f++) {
    g_autofree char *path = g_strconcat(FIXTURES, files[f], NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
      if (*lines[i] == '\0')
        continue;
      assert_true(check(lines[i], strlen(lines[i])));
      taken++;
    }
  }
  assert_true(taken > 20);
}

/* Values of every kind, escapes and numbers. */
static void test_edge_cases_taken(void **state)
{
  const char *good[] = {
    "{}",
    " { } ",
    "{\"a\":1}",
    "{\"a\":-0,\"b\":0,\"c\":-12,\"d\":9223372036854775807,\"e\":-9223372036854775808}",
    "{\"a\":1.5,\"b\":-0.25,\"c\":1e3,\"d\":1E-3,\"e\":2.5e+10,\"f\":0.1,\"g\":123456.789012345}",
    "{\"t\":true,\"f\":false,\"n\":null}",
    "{\"s\":\"\",\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"u\":\"\\u00e9\\u6f22\\uD83D\\uDE00\"}",
    "{\"j\":\"小郡市 アクションプラン\\n令和4年度\",\"x\":\"é😀\"}",
    "{\"a\":[],\"b\":[1,2.5,\"x\",null,true,[{}],{\"c\":[[]]}]}",
    "{\"a\" : [ 1 , 2 ] ,\n\t\"b\"\r: {\"c\" :\"d\"} }",
    "{\"dup\":1,\"dup\":2}",
    "{\"bbox\":[12.34,56.78,90.12,34.56],\"page\":3}",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++)
    if (!check(good[i], strlen(good[i])))
      fail_msg("not taken: %s", good[i]);
}

/* Broken texts are refused (json-glib refuses them too, or the reader
 * leaves them to it). */
static void test_broken_refused(void **state)
{
  const char *bad[] = {
    "", " ", "[]", "1", "\"s\"", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}",
    "{\"a\":1 \"b\":2}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":-}",
    "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}", "{\"a\":\"\\x\"}",
    "{\"a\":\"\\u12\"}", "{\"a\":\"\\uDC00\"}", "{\"a\":\"\\uD800\"}", "{\"a\":\"\\u0000\"}",
    "{\"a\":\"tab\there\"}", "{\"a\":1} x", "{\"a\":1}{}", "{a:1}", "{'a':1}",
    "{\"a\":[1,2}", "{\"a\":[1,]}", "{\"a\":1e999}", "{\"a\":99999999999999999999}",
    "{\"a\":\"\xff\xfe\"}", "{\"a\":\"\xe6\xbc\"}", "{\"\xc3\":1}",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(JsonObject) o = kk_json_read_object(bad[i], strlen(bad[i]));
    if (o != NULL)
      fail_msg("took: %s", bad[i]);
  }
  assert_null(kk_json_read_object(NULL, 0));
  /* nesting: 64 levels are taken, 65 are not */
  g_autoptr(GString) deep = g_string_new("{\"a\":");
  for (int i = 1; i < KK_JSON_READ_MAX_DEPTH; i++)
    g_string_append_c(deep, '[');
  g_string_append_c(deep, '1');
  for (int i = 1; i < KK_JSON_READ_MAX_DEPTH; i++)
    g_string_append_c(deep, ']');
  g_string_append_c(deep, '}');
  g_autoptr(JsonObject) ok = kk_json_read_object(deep->str, deep->len);
  assert_non_null(ok);
  g_string_insert(deep, 5, "[");
  g_string_insert(deep, deep->len - 1, "]");
  g_autoptr(JsonObject) too_deep = kk_json_read_object(deep->str, deep->len);
  assert_null(too_deep);
  /* the length counts, not a terminator */
  g_autoptr(JsonObject) cut = kk_json_read_object("{\"a\":1}", 6);
  assert_null(cut);
}

/* Mutated fixture lines (bytes replaced, dropped, doubled; cut short):
 * whatever the reader takes equals json-glib's reading. */
static void test_mutations(void **state)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(FIXTURES "ogori.jsonl", &data, &len, NULL));
  g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
  guint n = g_strv_length(lines);
  g_autoptr(GRand) rand = g_rand_new_with_seed(20261121);
  const char alphabet[] = "{}[]\":,\\ -.0123456789eEtfnu\xe3\x81\x82\x80\xff";
  guint taken = 0, total = 0;
  for (guint k = 0; k < 4000; k++) {
    const char *line = lines[g_rand_int_range(rand, 0, (gint32)n)];
    gsize l = strlen(line);
    if (l == 0)
      continue;
    g_autoptr(GString) m = g_string_new_len(line, (gssize)l);
    guint edits = (guint)g_rand_int_range(rand, 1, 4);
    for (guint e = 0; e < edits && m->len > 0; e++) {
      gsize at = (gsize)g_rand_int_range(rand, 0, (gint32)m->len);
      switch (g_rand_int_range(rand, 0, 4)) {
      case 0: m->str[at] = alphabet[g_rand_int_range(rand, 0, (gint32)sizeof alphabet - 1)]; break;
      case 1: g_string_erase(m, (gssize)at, 1); break;
      case 2: g_string_insert_c(m, (gssize)at, m->str[at]); break;
      default: g_string_truncate(m, at); break;
      }
    }
    total++;
    taken += check(m->str, m->len);
  }
  /* some mutations keep valid JSON (a digit for a digit): both took those */
  assert_true(taken > 0 && taken < total);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fixture_lines),
    cmocka_unit_test(test_edge_cases_taken),
    cmocka_unit_test(test_broken_refused),
    cmocka_unit_test(test_mutations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
