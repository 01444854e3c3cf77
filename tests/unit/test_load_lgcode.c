/* test_load_lgcode.c — the compiled-in list of local-government codes
 * (common/kk-lgcode.h; finding the names in text: test_gazetteer.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-lgcode.h"

static void test_counts_and_check_digits(void **state)
{
  gsize n = 0;
  const KkLgCode *all = kk_lgcode_all(&n);
  gsize prefectures = 0, municipalities = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize i = 0; i < n; i++) {
    assert_true(kk_lgcode_check_digit_ok(all[i].lg_code));
    assert_false(g_hash_table_contains(seen, all[i].lg_code));
    g_hash_table_add(seen, (gpointer)all[i].lg_code);
    /* in code order: kk_lgcode_by_code() searches by halves */
    if (i > 0)
      assert_true(strcmp(all[i - 1].lg_code, all[i].lg_code) < 0);
    assert_ptr_equal(kk_lgcode_by_code(all[i].lg_code), &all[i]);
    if (strcmp(all[i].kind, "prefecture") == 0)
      prefectures++;
    else
      municipalities++;
  }
  assert_int_equal(prefectures, 47);
  assert_int_equal(municipalities, 1741);
}

static void test_check_digit_rule(void **state)
{
  assert_true(kk_lgcode_check_digit_ok("402168"));  /* 小郡市 */
  assert_true(kk_lgcode_check_digit_ok("012131"));  /* 苫小牧市: remainder 0 gives 1 */
  assert_false(kk_lgcode_check_digit_ok("402169"));
  assert_false(kk_lgcode_check_digit_ok("40216"));
  assert_false(kk_lgcode_check_digit_ok("4021a8"));
  assert_false(kk_lgcode_check_digit_ok(NULL));
}

static void test_lookup(void **state)
{
  gboolean ambiguous = TRUE;
  const KkLgCode *c = kk_lgcode_lookup("小郡市", "福岡県", &ambiguous);
  assert_non_null(c);
  assert_string_equal(c->lg_code, "402168");
  assert_false(ambiguous);
  /* prefecture inferred when the name is unique */
  c = kk_lgcode_lookup("荒尾市", NULL, NULL);
  assert_non_null(c);
  assert_string_equal(c->lg_code, "432041");
  assert_string_equal(c->prefecture, "熊本県");
  c = kk_lgcode_lookup("福岡県飯塚市", NULL, NULL);
  assert_non_null(c);
  assert_string_equal(c->lg_code, "402052");
  /* 府中市 is in Tokyo and in Hiroshima */
  assert_null(kk_lgcode_lookup("府中市", NULL, &ambiguous));
  assert_true(ambiguous);
  c = kk_lgcode_lookup("府中市", "広島県", &ambiguous);
  assert_non_null(c);
  assert_string_equal(c->lg_code, "342084");
  assert_null(kk_lgcode_lookup("小郡市", "熊本県", &ambiguous));
  assert_false(ambiguous);
  assert_null(kk_lgcode_lookup("存在しない市", NULL, NULL));
  assert_null(kk_lgcode_lookup(NULL, NULL, NULL));
  c = kk_lgcode_lookup("東京都", NULL, NULL);
  assert_non_null(c);
  assert_string_equal(c->kind, "prefecture");
  c = kk_lgcode_lookup("千代田区", NULL, NULL);
  assert_non_null(c);
  assert_string_equal(c->kind, "special-ward");
}

/* The wards of the 20 designated cities: their own codes, under a city of
 * the municipality list; kk_lgcode_by_code finds the city. */
static void test_wards(void **state)
{
  gsize n = 0;
  const KkLgWard *w = kk_lgcode_wards(&n);
  assert_int_equal(n, 175);
  g_autoptr(GHashTable) cities = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize i = 0; i < n; i++) {
    assert_true(kk_lgcode_check_digit_ok(w[i].lg_code));
    const KkLgCode *city = kk_lgcode_by_code(w[i].city_code);
    assert_non_null(city);
    assert_string_equal(city->name, w[i].city);
    assert_string_equal(city->prefecture, w[i].prefecture);
    assert_null(kk_lgcode_by_code(w[i].lg_code)); /* not a municipality */
    g_hash_table_add(cities, (gpointer)w[i].city_code);
  }
  assert_int_equal(g_hash_table_size(cities), 20);
  assert_string_equal(w[0].city, "札幌市");
  assert_string_equal(w[0].name, "中央区");
  assert_null(kk_lgcode_by_code("999999"));
  assert_null(kk_lgcode_by_code(NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_counts_and_check_digits),
    cmocka_unit_test(test_check_digit_rule),
    cmocka_unit_test(test_lookup),
    cmocka_unit_test(test_wards),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
