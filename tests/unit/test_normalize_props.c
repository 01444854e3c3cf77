/* test_normalize_props.c — properties of the normalize library over many
 * generated inputs (a deterministic seed, so a failure reproduces):
 *  - any bytes: never a crash; invalid UTF-8 is an error or replaced; the
 *    output is valid UTF-8;
 *  - normalizing twice changes nothing (for text without U+3000);
 *  - spans are in bounds, ordered, non-overlapping, with sane values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-error.h"
#include "normalize/normalize.h"

#define SEED 20251121u

/* Pieces that exercise every scanner and every space rule. */
static const char *const pieces[] = {
  "0", "1", "2", "3", "5", "9", "12", "2022", "2024", "1,000", ",", ".", "-", "~", "〜", "～", "/", ":",
  "(", ")", "（", "）", "一", "二", "三", "五", "十", "百", "千", "万", "億", "兆", "〇", "壱", "拾",
  "元", "年", "年度", "月", "日", "円", "千円", "百万円", "億円", "%", "％", "件", "人", "時間", "か月",
  "令和", "平成", "昭和", "大正", "明治", "R", "H", "S", "T", "M", "から", "まで", "約", "△", "▲",
  "マイナス", "+", "−", " ", " ", " ", "  ", "\t", "\n", "\r\n", "Ａ", "１", "２", "ｶﾞ", "⽇", "⺟",
  "①", "㈱", "㍻", "SNS", "Web", "の", "計画", "実績", "・", "。", "■", "※", "\xE2\x80\x8B",
};

static GString *random_text(GRand *r, gboolean allow_ideographic_space, gboolean allow_bad_bytes)
{
  GString *s = g_string_new(NULL);
  gint n = g_rand_int_range(r, 0, 40);
  for (gint i = 0; i < n; i++) {
    gint k = g_rand_int_range(r, 0, 100);
    if (k < 3 && allow_ideographic_space)
      g_string_append(s, "　");
    else if (k < 6 && allow_bad_bytes)
      g_string_append_c(s, (char)g_rand_int_range(r, 0x80, 0x100));
    else
      g_string_append(s, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
  }
  return s;
}

static void check_spans(const char *text, GArray *spans)
{
  glong n = g_utf8_strlen(text, -1);
  guint32 prev_end = 0;
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    if (!(sp->start < sp->end && sp->end <= (guint32)n && sp->start >= prev_end))
      fail_msg("span %u [%u,%u) out of order or bounds (len %ld) in [%s]", i, sp->start, sp->end, n, text);
    prev_end = sp->end;
    switch (sp->kind) {
    case KK_SPAN_DATE:
      assert_true(sp->month >= 1 && sp->month <= 12);
      assert_true(sp->day >= 0 && sp->day <= 31);
      /* fall through */
    case KK_SPAN_YEAR:
    case KK_SPAN_FISCAL_YEAR:
      assert_true(sp->year >= 1000 && sp->year <= 9999);
      break;
    case KK_SPAN_FISCAL_YEAR_RANGE:
      assert_true(sp->year >= 1000 && sp->year <= sp->year_to && sp->year_to <= 9999);
      break;
    case KK_SPAN_QUANTITY:
      assert_non_null(sp->unit);
      /* fall through */
    default:
      assert_true(sp->value.scale >= 0 && sp->value.scale <= 18);
      break;
    }
    g_autoptr(GString) js = g_string_new(NULL);
    kk_span_append_json(js, sp);
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, js->str, -1, NULL))
      fail_msg("span JSON does not parse: %s", js->str);
  }
}

static void test_idempotent_and_spans_sane(void **state)
{
  GRand *r = g_rand_new_with_seed(SEED);
  for (int iter = 0; iter < 20000; iter++) {
    g_autoptr(GString) in = random_text(r, FALSE, FALSE);
    g_autoptr(GError) e = NULL;
    g_autofree char *once = kk_normalize_text(in->str, (gssize)in->len, 0, &e);
    if (once == NULL)
      fail_msg("normalize failed on [%s]: %s", in->str, e->message);
    assert_true(g_utf8_validate(once, -1, NULL));
    g_autofree char *twice = kk_normalize_text(once, -1, 0, &e);
    if (twice == NULL || strcmp(once, twice) != 0)
      fail_msg("not idempotent: [%s] -> [%s] -> [%s]", in->str, once, twice ? twice : "(null)");
    g_autoptr(GArray) spans = kk_annotate_text(once, -1);
    check_spans(once, spans);
  }
  g_rand_free(r);
}

static void test_any_bytes(void **state)
{
  GRand *r = g_rand_new_with_seed(SEED + 1);
  g_autoptr(GError) e = NULL;
  g_autoptr(KkNormalizer) n = kk_normalizer_new(&e);
  assert_non_null(n);
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  for (int iter = 0; iter < 20000; iter++) {
    g_autoptr(GString) in = NULL;
    if (iter % 2) {
      in = g_string_new(NULL);
      gint len = g_rand_int_range(r, 0, 64);
      for (gint i = 0; i < len; i++)
        g_string_append_c(in, (char)g_rand_int_range(r, 0, 256));
    } else {
      in = random_text(r, TRUE, TRUE);
    }
    for (int replace = 0; replace < 2; replace++) {
      gsize out_len = 0;
      guint replaced = 0;
      g_clear_error(&e);
      const char *out = kk_normalizer_run(n, in->str, in->len, replace ? KK_NORMALIZE_REPLACE_INVALID : 0,
                                          &out_len, &replaced, &e);
      gboolean valid = g_utf8_validate_len(in->str, in->len, NULL) || memchr(in->str, 0, in->len) != NULL;
      if (out == NULL) {
        assert_false(replace);
        assert_int_equal(e->code, KK_ERROR_INPUT);
        continue;
      }
      assert_int_equal(strlen(out), out_len);
      assert_true(g_utf8_validate(out, (gssize)out_len, NULL));
      if (!replace && !valid)
        fail_msg("invalid UTF-8 accepted without --replace-invalid");
      kk_normalizer_annotate(n, spans);
      check_spans(out, spans);
    }
  }
  g_rand_free(r);
}

static void test_pages_object_random(void **state)
{
  GRand *r = g_rand_new_with_seed(SEED + 2);
  for (int iter = 0; iter < 2000; iter++) {
    g_autoptr(GString) in = random_text(r, TRUE, FALSE);
    g_autoptr(JsonObject) page = json_object_new();
    json_object_set_string_member(page, "type", "page");
    JsonArray *lines = json_array_new();
    JsonObject *line = json_object_new();
    json_object_set_string_member(line, "text", in->str);
    json_array_add_object_element(lines, line);
    json_object_set_array_member(page, "lines", lines);
    assert_true(kk_normalize_pages_object(page, NULL));
    g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
    json_node_set_object(node, page);
    g_autofree char *first = json_to_string(node, FALSE);
    assert_true(kk_normalize_pages_object(page, NULL));
    g_autofree char *second = json_to_string(node, FALSE);
    if (strcmp(first, second) != 0)
      fail_msg("pages object not idempotent:\n%s\n%s", first, second);
  }
  g_rand_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_idempotent_and_spans_sane),
    cmocka_unit_test(test_any_bytes),
    cmocka_unit_test(test_pages_object_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
