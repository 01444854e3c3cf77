/* test_jsonl.c — the JSON Lines reader/writer shared by every stage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "common/kk-error.h"
#include "common/kk-jsonl.h"

typedef struct { int count; gint64 last_n; } Seen;

static gboolean count_sink(JsonObject *o, gpointer user, GError **error)
{
  Seen *s = user;
  s->count++;
  s->last_n = kk_json_int(o, "n", -1);
  return TRUE;
}

static gboolean read_string(const char *text, gsize max, Seen *seen, GError **error)
{
  FILE *f = fmemopen((void *)text, strlen(text), "r");
  gboolean ok = kk_jsonl_read(f, "mem", max, count_sink, seen, error);
  fclose(f);
  return ok;
}

static void test_reads_lines_skips_blank(void **state)
{
  Seen s = {0};
  g_autoptr(GError) e = NULL;
  assert_true(read_string("{\"n\":1}\n\n  \n{\"n\":2}\n{\"n\":3}", 0, &s, &e));
  assert_int_equal(s.count, 3);
  assert_int_equal(s.last_n, 3);
}

static void test_rejects_non_object_with_line(void **state)
{
  Seen s = {0};
  g_autoptr(GError) e = NULL;
  assert_false(read_string("{\"n\":1}\n[1,2]\n", 0, &s, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e->message, "mem:2"));
}

static void test_rejects_garbage_and_bad_utf8(void **state)
{
  Seen s = {0};
  g_autoptr(GError) e = NULL;
  assert_false(read_string("{\"n\":", 0, &s, &e));
  g_clear_error(&e);
  assert_false(read_string("{\"t\":\"\xff\xfe\"}\n", 0, &s, &e));
  assert_non_null(strstr(e->message, "UTF-8"));
}

static void test_refuses_overlong_line(void **state)
{
  Seen s = {0};
  g_autoptr(GError) e = NULL;
  assert_false(read_string("{\"t\":\"0123456789012345678901234567890\"}\n", 16, &s, &e));
  assert_non_null(strstr(e->message, "longer than 16"));
  assert_int_equal(s.count, 0);
}

static void test_typed_getters_never_trust_types(void **state)
{
  g_autoptr(JsonParser) p = json_parser_new();
  assert_true(json_parser_load_from_data(p, "{\"s\":1,\"i\":\"x\",\"d\":2,\"b\":[1,2,3],\"ok\":[0,1.5,2,3]}", -1, NULL));
  JsonObject *o = json_node_get_object(json_parser_get_root(p));
  assert_string_equal(kk_json_string(o, "s", "dflt"), "dflt");
  assert_int_equal(kk_json_int(o, "i", 7), 7);
  assert_true(kk_json_double(o, "d", 0) == 2.0);
  double bb[4];
  assert_false(kk_json_bbox(o, "b", bb));
  assert_true(kk_json_bbox(o, "ok", bb));
  assert_true(bb[1] == 1.5);
  assert_null(kk_json_array(o, "missing"));
}

static void test_write_roundtrip(void **state)
{
  char *buf = NULL; size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "text", "令和4年度\n改行");
  double bb[4] = {1.04, 2, 3, 4};
  kk_json_set_bbox(o, "bbox", bb);
  assert_true(kk_jsonl_write(f, o, NULL));
  fclose(f);
  assert_non_null(strstr(buf, "\\n"));
  assert_int_equal(buf[len - 1], '\n');
  assert_null(strchr(buf, '\n') != buf + len - 1 ? buf : NULL);
  Seen s = {0};
  assert_true(read_string(buf, 0, &s, NULL));
  assert_int_equal(s.count, 1);
  free(buf);
}

static void test_doubles_shortest_and_escapes(void **state)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_double_member(o, "a", -12.8);
  json_object_set_double_member(o, "b", 0.1);
  json_object_set_double_member(o, "c", 100.0);
  json_object_set_double_member(o, "d", 1.0 / 3.0);
  json_object_set_int_member(o, "i", -9007199254740993);
  json_object_set_string_member(o, "s", "q\"b\\c\x01\t令");
  json_object_set_null_member(o, "n");
  json_object_set_boolean_member(o, "t", TRUE);
  g_autofree char *line = kk_json_object_to_line(o, NULL);
  assert_string_equal(line, "{\"a\":-12.8,\"b\":0.1,\"c\":100.0,\"d\":0.3333333333333333,"
                      "\"i\":-9007199254740993,\"s\":\"q\\\"b\\\\c\\u0001\\t令\",\"n\":null,\"t\":true}");
  /* and it reads back to the same values */
  g_autoptr(JsonParser) p = json_parser_new();
  assert_true(json_parser_load_from_data(p, line, -1, NULL));
  JsonObject *back = json_node_get_object(json_parser_get_root(p));
  assert_true(kk_json_double(back, "d", 0) == 1.0 / 3.0);
  assert_string_equal(kk_json_string(back, "s", ""), "q\"b\\c\x01\t令");
}

static void test_tenths_fast_path_round_trips(void **state)
{
  /* every tenth in a page's range reads back as the same double */
  for (int i = -20000; i <= 20000; i += 7) {
    double d = round(i) / 10.0;
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_double_member(o, "v", d);
    g_autofree char *line = kk_json_object_to_line(o, NULL);
    g_autoptr(JsonParser) p = json_parser_new();
    assert_true(json_parser_load_from_data(p, line, -1, NULL));
    assert_true(kk_json_double(json_node_get_object(json_parser_get_root(p)), "v", 1e300) == d);
  }
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_double_member(o, "a", -0.5);
  json_object_set_double_member(o, "b", 538.8);
  json_object_set_double_member(o, "c", 0.05);
  g_autofree char *line = kk_json_object_to_line(o, NULL);
  assert_string_equal(line, "{\"a\":-0.5,\"b\":538.8,\"c\":0.05}");
}

static void test_invalid_utf8_string_is_repaired(void **state)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "file", "caf\xe9.pdf");
  g_autofree char *line = kk_json_object_to_line(o, NULL);
  assert_true(g_utf8_validate(line, -1, NULL));
  assert_string_equal(line, "{\"file\":\"caf\xef\xbf\xbd.pdf\"}");
}

/* kk_json_append_string() repairs as g_utf8_make_valid() does, then
 * escapes as it escapes valid text: truncated, overlong, surrogate, out-of-range and stray bytes,
 * at the start, the end and between escapes. */
static void test_append_string_repairs_as_make_valid(void **state)
{
  static const char *const texts[] = {
    "", "a", "\xff", "\xff\xfe", "a\xff", "\xff" "a", "HG\x8a\xdb\xba\xde\xbc\xaf\xb8" "M-PRO-WinCharSetFFFF-H",
    "\xe3\x81", "\xe3\x81\"", "x\xe3\x81\x82\xe3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
    "\x80\\\n\x01\xbf", "\"\xf0\x9f\x98\x80\t\xf0\x9f\x98", "ok \xe8\xa8\x88\xe7\x94\xbb \x1f end",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(GString) got = g_string_new("");
    kk_json_append_string(got, texts[i]);
    g_autofree char *valid = g_utf8_make_valid(texts[i], -1);
    g_autoptr(GString) want = g_string_new("");
    kk_json_append_string(want, valid); /* valid text: escapes only */
    assert_true(g_utf8_validate(got->str, -1, NULL));
    assert_string_equal(got->str, want->str);
  }
}

/* The reader takes and refuses what json-glib does (json-glib is lenient:
 * it takes 01, .5, 'a' and "\x", refuses a trailing comma), its checks of
 * shape aside: every line is parsed both ways, accepted or refused alike,
 * and printed back. */
static void test_reader_agrees_with_json_glib(void **state)
{
  static const char *const lines[] = {
    "{}",
    "{\"a\":{},\"b\":[],\"c\":[[],{}]}",
    "  {\"ws\" : [ 1 , 2 ] ,\"t\":true,\"f\":false,\"n\":null}  ",
    "{\"i\":0,\"neg\":-0,\"big\":123456789012345678,\"max\":9223372036854775807}",
    "{\"d\":0.1,\"e\":1e5,\"E\":1E-5,\"p\":1e+2,\"m\":-12.8,\"tiny\":4.9e-324,\"huge\":1.7976931348623157e308}",
    "{\"inf\":1e400}",
    "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"u\":\"\\u00e9\\u3042\",\"pair\":\"\\ud83d\\ude00\",\"j\":\"令和6年度\"}",
    "{\"dup\":1,\"dup\":2}",
    "{\"deep\":[[[[{\"x\":[1,{\"y\":\"z\"}]}]]]]}",
    "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":tru}", "{\"a\":1}x",
    "{'a':1}", "[1]", "\"s\"", "{\"a\":\"\\x\"}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":+1}",
    /* where the fast path gives up (json-glib decides) or must agree exactly */
    "{\"nul\":\"a\\u0000b\"}", "{\"lone\":\"\\ud800x\"}", "{\"ctl\":\"a\tb\"}",
    "\xef\xbb\xbf{\"bom\":1}", "{\"vt\":1\v}", "{\"ff\":\f1}", "{\"\":1}", "{\"a\":1 \"b\":2}",
    "{\"min\":-9223372036854775807,\"m1\":-1,\"z\":-0.0,\"e0\":0e5,\"n\":-1.5E-3}",
    "{\"a\":[1,2,[3,[4,{\"b\":[true,false,null,\"x\\ny\"]}]]],\"c\":{\"d\":{}}}",
    "{\"a\":truex}", "{\"a\":nul}", "{\"a\":1}}", "{\"a\":[1}", "{\"a\":\"unterminated}",
    "{\"a\":0x10}", "{\"a\":1e}", "{\"a\":--1}", "{\"a\":\"\\u00\"}", "{\"a\":1}\n",
  };
  g_autoptr(JsonParser) ours = json_parser_new();
  g_autoptr(JsonParser) theirs = json_parser_new();
  for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
    JsonObject *o = NULL;
    g_autoptr(GError) e = NULL;
    gboolean ok = kk_jsonl_parse_line(ours, lines[i], strlen(lines[i]), "t", i + 1, &o, &e);
    gboolean ok2 = json_parser_load_from_data(theirs, lines[i], -1, NULL) &&
                   JSON_NODE_HOLDS_OBJECT(json_parser_get_root(theirs));
    assert_int_equal(ok, ok2);
    if (!ok) {
      assert_int_equal(e->code, KK_ERROR_INPUT);
      continue;
    }
    g_autofree char *a = kk_json_object_to_line(o, NULL);
    g_autofree char *b = kk_json_object_to_line(json_node_get_object(json_parser_get_root(theirs)), NULL);
    assert_string_equal(a, b);
  }
}

/* The reader converts short decimals itself (digits / 10^k) and short
 * integers without strtoll: every literal must give the bits that
 * g_ascii_strtod/strtoll give, around the limits of that path too. */
static void test_reader_numbers_match_strtod(void **state)
{
  static const char *const fixed[] = {
    "0.1", "-0.0", "0.0", "538.7", "999999999999999", "99999999999999.9", "9999999999999999.9",
    "0.000000000000001", "0.0000000000000000000001", "0.00000000000000000000001",
    "123456789012345.6", "1234567890123456.7", "0.30000000000000004", "-12.8", "1e5", "2.5e-3",
    "123456789012345678", "-123456789012345678", "1234567890123456789", "-9223372036854775807",
  };
  GRand *r = g_rand_new_with_seed(11);
  g_autoptr(JsonParser) p = json_parser_new();
  for (int i = 0; i < 20000 + (int)G_N_ELEMENTS(fixed); i++) {
    char lit[64];
    if (i < (int)G_N_ELEMENTS(fixed)) {
      g_strlcpy(lit, fixed[i], sizeof lit);
    } else {
      /* n digits, f of them after the point, an optional sign */
      int n = g_rand_int_range(r, 1, 18), f = g_rand_int_range(r, 0, n + 1);
      char digits[32];
      for (int k = 0; k < n; k++)
        digits[k] = (char)('0' + g_rand_int_range(r, k == 0 && n - f > 1 ? 1 : 0, 10));
      digits[n] = '\0';
      const char *sign = g_rand_boolean(r) ? "-" : "";
      if (f == 0)
        g_snprintf(lit, sizeof lit, "%s%s", sign, digits);
      else if (f == n)
        g_snprintf(lit, sizeof lit, "%s0.%s", sign, digits);
      else
        g_snprintf(lit, sizeof lit, "%s%.*s.%s", sign, n - f, digits, digits + (n - f));
    }
    g_autofree char *line = g_strdup_printf("{\"v\":%s}", lit);
    JsonObject *o = NULL;
    g_autoptr(GError) e = NULL;
    assert_true(kk_jsonl_parse_line(p, line, strlen(line), "t", 1, &o, &e));
    JsonNode *v = json_object_get_member(o, "v");
    if (strpbrk(lit, ".eE") == NULL) {
      assert_int_equal(json_node_get_value_type(v), G_TYPE_INT64);
      assert_true(json_node_get_int(v) == g_ascii_strtoll(lit, NULL, 10));
    } else {
      assert_int_equal(json_node_get_value_type(v), G_TYPE_DOUBLE);
      double want = g_ascii_strtod(lit, NULL), got = json_node_get_double(v);
      assert_memory_equal(&got, &want, sizeof got);
    }
  }
  g_rand_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_reads_lines_skips_blank),
    cmocka_unit_test(test_rejects_non_object_with_line),
    cmocka_unit_test(test_rejects_garbage_and_bad_utf8),
    cmocka_unit_test(test_refuses_overlong_line),
    cmocka_unit_test(test_typed_getters_never_trust_types),
    cmocka_unit_test(test_write_roundtrip),
    cmocka_unit_test(test_doubles_shortest_and_escapes),
    cmocka_unit_test(test_invalid_utf8_string_is_repaired),
    cmocka_unit_test(test_append_string_repairs_as_make_valid),
    cmocka_unit_test(test_tenths_fast_path_round_trips),
    cmocka_unit_test(test_reader_numbers_match_strtod),
    cmocka_unit_test(test_reader_agrees_with_json_glib),
  };
  return cmocka_run_group_tests_name("jsonl", tests, NULL, NULL);
}
