/* test_jsonl_parse.c — kk_json_parse (the JSON Lines reader's own parser)
 * against json-glib's: for every text, both accept or both refuse with the
 * same message, and accepted texts give the same tree (node kinds, value
 * types, exact numbers, strings, member order).  The texts are tricky
 * hand-written ones and many mutations of them (a deterministic seed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "common/kk-jsonl.h"

#define SEED 20261121u

/* "" when equal, else where they differ. */
static char *tree_diff(JsonNode *a, JsonNode *b, const char *path)
{
  if (JSON_NODE_TYPE(a) != JSON_NODE_TYPE(b))
    return g_strdup_printf("%s: node kind", path);
  switch (JSON_NODE_TYPE(a)) {
  case JSON_NODE_OBJECT: {
    JsonObject *oa = json_node_get_object(a), *ob = json_node_get_object(b);
    if (json_object_get_size(oa) != json_object_get_size(ob))
      return g_strdup_printf("%s: member count", path);
    JsonObjectIter ia, ib;
    const char *na, *nb;
    JsonNode *ma, *mb;
    json_object_iter_init_ordered(&ia, oa);
    json_object_iter_init_ordered(&ib, ob);
    while (json_object_iter_next_ordered(&ia, &na, &ma)) {
      if (!json_object_iter_next_ordered(&ib, &nb, &mb) || strcmp(na, nb) != 0)
        return g_strdup_printf("%s: member order/name at %s", path, na);
      g_autofree char *sub = g_strdup_printf("%s.%s", path, na);
      char *d = tree_diff(ma, mb, sub);
      if (*d)
        return d;
      g_free(d);
    }
    break;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *xa = json_node_get_array(a), *xb = json_node_get_array(b);
    if (json_array_get_length(xa) != json_array_get_length(xb))
      return g_strdup_printf("%s: length", path);
    for (guint i = 0; i < json_array_get_length(xa); i++) {
      g_autofree char *sub = g_strdup_printf("%s[%u]", path, i);
      char *d = tree_diff(json_array_get_element(xa, i), json_array_get_element(xb, i), sub);
      if (*d)
        return d;
      g_free(d);
    }
    break;
  }
  case JSON_NODE_VALUE: {
    GType t = json_node_get_value_type(a);
    if (t != json_node_get_value_type(b))
      return g_strdup_printf("%s: value type", path);
    if (t == G_TYPE_INT64 && json_node_get_int(a) != json_node_get_int(b))
      return g_strdup_printf("%s: integer", path);
    if (t == G_TYPE_DOUBLE) {
      double x = json_node_get_double(a), y = json_node_get_double(b);
      if (memcmp(&x, &y, sizeof x) != 0)
        return g_strdup_printf("%s: double %.17g vs %.17g", path, x, y);
    }
    if (t == G_TYPE_BOOLEAN && json_node_get_boolean(a) != json_node_get_boolean(b))
      return g_strdup_printf("%s: boolean", path);
    if (t == G_TYPE_STRING && strcmp(json_node_get_string(a), json_node_get_string(b)) != 0)
      return g_strdup_printf("%s: string", path);
    break;
  }
  default:
    break;
  }
  return g_strdup("");
}

/* Fails the test if kk_json_parse and json-glib disagree on `text`;
 * returns TRUE if the text was accepted. */
static gboolean agree(const char *text, gsize len)
{
  if (!g_utf8_validate(text, (gssize)len, NULL))
    return FALSE; /* the reader refuses such lines before parsing */
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) ge = NULL, ke = NULL;
  gboolean gok = json_parser_load_from_data(parser, text, (gssize)len, &ge);
  JsonNode *groot = gok ? json_parser_get_root(parser) : NULL;
  g_autoptr(JsonNode) kroot = kk_json_parse(text, len, &ke);
  if (gok && groot == NULL) {
    /* json-glib takes a blank text as an empty document: no tree */
    if (kroot != NULL || ke == NULL)
      fail_msg("blank text %.*s not refused", (int)len, text);
    return FALSE;
  }
  if (groot == NULL && kroot == NULL) {
    if ((ge == NULL) != (ke == NULL) || (ge && strcmp(ge->message, ke->message) != 0))
      fail_msg("errors differ on %.*s: %s / %s", (int)len, text, ge ? ge->message : "-", ke ? ke->message : "-");
    return FALSE;
  }
  if (groot == NULL || kroot == NULL)
    fail_msg("only %s accepts %.*s", groot ? "json-glib" : "kk_json_parse", (int)len, text);
  g_autofree char *d = tree_diff(groot, kroot, "$");
  if (*d)
    fail_msg("trees differ on %.*s: %s", (int)len, text, d);
  return TRUE;
}

static const char *const texts[] = {
  "{}", "[]", "{\"a\":1}", " { \"a\" : [ 1 , 2.5 , -3 , -0 , -0.0 , 0.1e-2 , 1E+2 ] } ",
  "{\"a\":\"\\u00e9\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\u0000x\"}",
  "{\"a\":\"\\uD83D\"}", "{\"a\":\"\\uDE00\"}", "{\"a\":\"x\\qy\"}", "{\"a\":\"\\U0041\"}", "{\"a\":\"\\u12\"}",
  "{\"a\":01}", "{\"a\":0x10}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":- 1}",
  "{\"a\":9223372036854775807}", "{\"a\":-9223372036854775808}", "{\"a\":12345678901234567890}",
  "{\"a\":999999999999999999}", "{\"a\":1e400}", "{\"a\":-1e-400}", "{\"a\":4.9e-324}",
  "{\"a\":0.30000000000000004}", "{\"a\":-12.8}", "{\"a\":685903000.0}",
  "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":tru}", "{\"a\":nulll}", "{\"a\":NULL}", "{\"a\":True}",
  "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":1} x", "{\"a\":1}}",
  "{\"a\":\"x\ty\"}", "{a:1}", "{'a':1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1,2", "{\"a\":[[[[]]]]}",
  "{\"a\":\"\xe6\x97\xa5\xe6\x9c\xac\"}", "{\"\":\"\"}", "{\"a\":\"\\u3042\\u3044\"}", "\"x\"", "1", "null",
  "{\"a\":/* c */1}", "{\"a\":1}\n", "\n{\"a\":1}", "{\"a\":1}\f", "{\"bbox\":[10.5,20.25,30,40.1]}",
  "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"令和4年度\",\"bbox\":[1.0,2.5,3,4],\"size\":10.5}]}",
  "{\"a\":1e5x}", "{\"a\":1_0}", "{\"a\":-01}", "{\"a\":0e0}", "{\"a\":[true false]}", "{\"a\":\"\\ud83d\\u0041\"}",
};

static void test_hand_written(void **state)
{
  (void)state;
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    agree(texts[i], strlen(texts[i]));
}

/* Mutations: bytes dropped, duplicated, replaced by JSON-ish characters. */
static void test_mutations(void **state)
{
  (void)state;
  static const char alphabet[] = "{}[]\":,.-+eE0123456789 \\untrfalse/x\t";
  GRand *r = g_rand_new_with_seed(SEED);
  guint accepted = 0;
  for (int round = 0; round < 20000; round++) {
    const char *base = texts[g_rand_int_range(r, 0, G_N_ELEMENTS(texts))];
    GString *s = g_string_new(base);
    int edits = g_rand_int_range(r, 1, 4);
    for (int k = 0; k < edits && s->len > 0; k++) {
      gsize at = (gsize)g_rand_int_range(r, 0, (gint32)s->len);
      switch (g_rand_int_range(r, 0, 3)) {
      case 0: g_string_erase(s, (gssize)at, 1); break;
      case 1: g_string_insert_c(s, (gssize)at, s->str[at]); break;
      default: s->str[at] = alphabet[g_rand_int_range(r, 0, (gint32)sizeof alphabet - 1)]; break;
      }
    }
    accepted += agree(s->str, s->len);
    g_string_free(s, TRUE);
  }
  g_rand_free(r);
  assert_true(accepted > 1000); /* the mutations must not all be garbage */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hand_written),
    cmocka_unit_test(test_mutations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
