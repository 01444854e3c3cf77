/* test_editions.c — plan titles without edition words, title similarity
 * and matching items across editions (load/kk-editions.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "load/kk-editions.h"

static void check_plan(const char *title, const char *plan, const char *label, int year, int stage)
{
  char *got_label = NULL;
  int got_year = -1, got_stage = -1;
  char *got = kk_plan_title(title, &got_label, &got_year, &got_stage);
  assert_string_equal(got, plan);
  if (label)
    assert_string_equal(got_label, label);
  else
    assert_null(got_label);
  assert_int_equal(got_year, year);
  assert_int_equal(got_stage, stage);
  g_free(got);
  g_free(got_label);
}

static void test_plan_title(void **state)
{
  (void)state;
  check_plan("もっとつながるまち小郡アクションプラン(令和5年度実績反映版)",
             "もっとつながるまち小郡アクションプラン", "令和5年度実績反映版", 2023, 3);
  check_plan("もっとつながるまち小郡アクションプラン 令和4年度実績反映版",
             "もっとつながるまち小郡アクションプラン", "令和4年度実績反映版", 2022, 3);
  check_plan("飯塚市行政経営戦略推進プラン(素案)一覧", "飯塚市行政経営戦略推進プラン一覧", "素案", 0, 0);
  check_plan("第六次荒尾市行政改革大綱(案)", "第六次荒尾市行政改革大綱", "案", 0, 1);
  check_plan("第六次荒尾市行政改革大綱案", "第六次荒尾市行政改革大綱", "案", 0, 1);
  check_plan("行政改革大綱【改訂版】", "行政改革大綱", "改訂版", 0, 3);
  check_plan("行政経営行動計画 第2版", "行政経営行動計画", "第2版", 0, 3);
  /* words that only look like edition words stay */
  check_plan("市民提案制度の手引き", "市民提案制度の手引き", NULL, 0, 2);
  check_plan("令和3年度主要施策の成果", "令和3年度主要施策の成果", NULL, 0, 2);
  assert_null(kk_plan_title(NULL, NULL, NULL, NULL));
}

static void test_similarity(void **state)
{
  (void)state;
  assert_true(kk_title_similarity("市SNSの情報発信力強化", "市SNSの情報発信力強化") == 1.0);
  assert_true(kk_title_similarity("市長発信SNS開設", "市長発信用SNS開設") > 0.6);
  assert_true(kk_title_similarity("市長発信用SNS開設", "窓口手続のオンライン化") < 0.1);
  assert_true(kk_title_similarity("", "") == 1.0);
  assert_true(kk_title_similarity("A", "A") == 1.0);
  assert_true(kk_title_similarity("A", "B") == 0.0);
  assert_true(kk_title_similarity(NULL, "abc") == 0.0);
}

static void test_match(void **state)
{
  (void)state;
  /* 1-2 dropped, 1-3 renumbered 1-2, a new 1-3, 2-1 kept, 2-2 retitled a little */
  const char *old_nos[] = { "1-1", "1-2", "1-3", "2-1", "2-2" };
  const char *old_titles[] = { "車座トークの利用者アップ", "市長発信用SNS開設", "市SNSの情報発信力強化",
                               "ワクチン接種の速やかな実施", "公共施設の再配置計画の策定" };
  const char *new_nos[] = { "1-1", "1-2", "1-3", "2-1", "2-2" };
  const char *new_titles[] = { "車座トークの利用者アップ", "市SNSの情報発信力強化", "窓口手続のオンライン化",
                               "ワクチン接種の速やかな実施", "公共施設の再配置計画の策定と推進" };
  int old_of_new[5];
  kk_match_items(old_nos, old_titles, 5, new_nos, new_titles, 5, old_of_new);
  assert_int_equal(old_of_new[0], 0);
  assert_int_equal(old_of_new[1], 2); /* renumbered, not the dropped 1-2 */
  assert_int_equal(old_of_new[2], -1); /* added */
  assert_int_equal(old_of_new[3], 3);
  assert_int_equal(old_of_new[4], 4); /* same number, alike title */
  /* items without numbers match by title alone; nothing to match */
  const char *none[] = { NULL, NULL };
  const char *t1[] = { "職員数の適正化", "窓口の一元化" }, *t2[] = { "窓口の一元化", "新しい取組" };
  int m[2];
  kk_match_items(none, t1, 2, none, t2, 2, m);
  assert_int_equal(m[0], 1);
  assert_int_equal(m[1], -1);
  kk_match_items(NULL, NULL, 0, none, t2, 2, m);
  assert_int_equal(m[0], -1);
  assert_int_equal(m[1], -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plan_title),
    cmocka_unit_test(test_similarity),
    cmocka_unit_test(test_match),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
