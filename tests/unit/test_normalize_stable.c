/* test_normalize_stable.c — the characters that let text skip ICU in the
 * normalizer (kk_nfkc_stable) really are left alone by NFKC in any context,
 * as the installed ICU sees them: quick check Yes and combining class 0,
 * or kept out of NFKC by keikaku's filter.  If an ICU update ever changes
 * one of them, this fails instead of the output drifting silently. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <unicode/unorm2.h>

#include "normalize/kk-normalize-private.h"

/* Characters keikaku's filtered NFKC leaves alone on purpose (see
 * open_filtered_nfkc in normalize/kk-normalize-text.c). */
static gboolean kept_by_filter(gunichar c)
{
  return (c >= 0x2460 && c <= 0x2473) || (c >= 0x24EA && c <= 0x24FF) || c == 0x3000 ||
         (c >= 0x3251 && c <= 0x325F) || (c >= 0x3280 && c <= 0x32BF) || (c >= 0x32D0 && c <= 0x32FE);
}

static void test_stable_characters_are_nfkc_in_any_context(void **state)
{
  (void)state;
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
  assert_true(U_SUCCESS(status));
  guint n = 0;
  for (gunichar c = 0; c < 0x10000; c++) {
    if (!kk_nfkc_stable(c))
      continue;
    n++;
    if (kept_by_filter(c))
      continue;
    UChar u = (UChar)c;
    status = U_ZERO_ERROR;
    if (unorm2_quickCheck(nfkc, &u, 1, &status) != UNORM_YES || U_FAILURE(status))
      fail_msg("U+%04X is not NFKC quick-check Yes", c);
    if (unorm2_getCombiningClass(nfkc, c) != 0)
      fail_msg("U+%04X has a combining class", c);
  }
  /* the set is what makes the fast path pay: ASCII, kana, kanji at least */
  assert_true(n > 128 + 20000);
  assert_true(kk_nfkc_stable('A') && kk_nfkc_stable(0x3042) && kk_nfkc_stable(0x6F22));
  /* what must go through ICU */
  assert_false(kk_nfkc_stable(0xFF11));  /* full-width digit */
  assert_false(kk_nfkc_stable(0xFF76));  /* half-width katakana */
  assert_false(kk_nfkc_stable(0x3099));  /* combining voiced mark */
  assert_false(kk_nfkc_stable(0x2F00));  /* Kangxi radical */
  assert_false(kk_nfkc_stable(0x2E9F));  /* CJK radical supplement */
  assert_false(kk_nfkc_stable(0xF900));  /* compatibility ideograph */
  assert_false(kk_nfkc_stable(0xD800));  /* surrogate */
}

/* Text made of stable characters comes out as NFKC would leave it: the
 * same characters, apart from what space repair does (none here). */
static void test_stable_text_normalizes_like_icu(void **state)
{
  (void)state;
  static const char *const samples[] = {
    "令和4年度の計画", "行政改革大綱(素案)", "「窓口」の電子化・オンライン化",
    "①実施 ②検討", "※達成率は87.0%", "→○△□■", "ありがとう、カタカナ。",
    "AIとRPAの活用", "—“引用”—",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
    g_autoptr(GError) e = NULL;
    g_autofree char *out = kk_normalize_text(samples[i], -1, KK_NORMALIZE_DEFAULT, &e);
    assert_non_null(out);
    assert_string_equal(out, samples[i]);
  }
  /* one unstable character sends the whole text through ICU */
  g_autofree char *mixed = kk_normalize_text("令和４年度", -1, KK_NORMALIZE_DEFAULT, NULL);
  assert_string_equal(mixed, "令和4年度");
  g_autofree char *radical = kk_normalize_text("⽇本", -1, KK_NORMALIZE_DEFAULT, NULL);
  assert_string_equal(radical, "日本");
  /* invalid UTF-8 is still refused or replaced, not widened */
  g_autoptr(GError) e = NULL;
  assert_null(kk_normalize_text("令\xE3\x81", -1, KK_NORMALIZE_DEFAULT, &e));
  g_autofree char *fixed = kk_normalize_text("令\xE3\x81", -1, KK_NORMALIZE_REPLACE_INVALID, NULL);
  assert_string_equal(fixed, "令\xEF\xBF\xBD");
  g_clear_error(&e);
  /* an overlong "A" is not ASCII, and a surrogate is not a character */
  assert_null(kk_normalize_text("\xE0\x81\x81", -1, KK_NORMALIZE_DEFAULT, &e));
  g_clear_error(&e);
  assert_null(kk_normalize_text("\xED\xA0\x80", -1, KK_NORMALIZE_DEFAULT, &e));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stable_characters_are_nfkc_in_any_context),
    cmocka_unit_test(test_stable_text_normalizes_like_icu),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
