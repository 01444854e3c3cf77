/* test_gazetteer.c — which local government a document is about
 * (common/kk-gazetteer.h), on made-up texts: names several municipalities
 * share, wards of designated cities, readings, data tables, prefectures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-gazetteer.h"

typedef struct {
  KkGzWhere where;
  const char *text;
} Text;

/* Scans `texts` (ended by a NULL text) and resolves into `r`. */
static void resolve(const Text *texts, KkGzResult *r)
{
  g_autoptr(KkGazetteerScan) s = kk_gazetteer_scan_new();
  for (const Text *t = texts; t->text != NULL; t++)
    kk_gazetteer_scan_text(s, t->text, t->where);
  kk_gazetteer_resolve(s, r);
  assert_non_null(r->why);
}

/* Asserts a municipality verdict with this lg_code (and ward, or NULL). */
static void expect_municipality(const Text *texts, const char *lg_code, const char *ward)
{
  KkGzResult r;
  resolve(texts, &r);
  if (r.verdict != KK_GZ_MUNICIPALITY)
    fail_msg("expected %s, got verdict %d: %s", lg_code, r.verdict, r.why);
  assert_string_equal(r.place->lg_code, lg_code);
  assert_non_null(r.prefecture);
  assert_string_equal(r.prefecture->name, r.place->prefecture);
  if (ward == NULL)
    assert_null(r.ward);
  else {
    assert_non_null(r.ward);
    assert_string_equal(r.ward->name, ward);
    assert_string_equal(r.ward->city_code, lg_code);
  }
  kk_gz_result_clear(&r);
}

static void expect_verdict(const Text *texts, KkGzVerdict verdict, const char *prefecture)
{
  KkGzResult r;
  resolve(texts, &r);
  if (r.verdict != verdict)
    fail_msg("expected verdict %d, got %d: %s", verdict, r.verdict, r.why);
  if (verdict != KK_GZ_MUNICIPALITY && verdict != KK_GZ_PREFECTURE)
    assert_null(r.place);
  if (prefecture == NULL)
    assert_null(r.prefecture);
  else {
    assert_non_null(r.prefecture);
    assert_string_equal(r.prefecture->name, prefecture);
  }
  kk_gz_result_clear(&r);
}

/* 府中市 is a city of 東京都 and of 広島県 (and 府中町 a town of 広島県). */
static void test_fuchu(void **state)
{
  const Text tokyo[] = {
    { KK_GZ_TITLE, "府中市 第7次総合計画" },
    { KK_GZ_BODY, "府中市は東京都の多摩地域の中央に位置し、調布市、国立市、小金井市に接しています。" },
    { KK_GZ_BODY, "府中市の人口は約26万人です。" },
    { 0, NULL },
  };
  expect_municipality(tokyo, "132063", NULL);
  const Text hiroshima[] = {
    { KK_GZ_TITLE, "府中市行政改革大綱" },
    { KK_GZ_BODY, "本市は広島県の東南部に位置し、福山市、三次市、世羅町と接しています。" },
    { KK_GZ_BODY, "府中市の家具産業は" },
    { 0, NULL },
  };
  expect_municipality(hiroshima, "342084", NULL);
  /* the neighbours alone decide: no prefecture named */
  const Text neighbours[] = {
    { KK_GZ_TITLE, "府中市 地域福祉計画" },
    { KK_GZ_BODY, "府中市と福山市、尾道市との連携" },
    { 0, NULL },
  };
  expect_municipality(neighbours, "342084", NULL);
  /* a prefecture right before the name says which */
  const Text qualified[] = {
    { KK_GZ_COVER, "東京都府中市" },
    { KK_GZ_BODY, "府中市の計画" },
    { 0, NULL },
  };
  expect_municipality(qualified, "132063", NULL);
  /* nothing to choose by: no guess */
  const Text alone[] = {
    { KK_GZ_TITLE, "府中市総合計画" },
    { KK_GZ_BODY, "府中市のまちづくり" },
    { 0, NULL },
  };
  KkGzResult r;
  resolve(alone, &r);
  assert_int_equal(r.verdict, KK_GZ_AMBIGUOUS);
  assert_null(r.place);
  assert_null(r.prefecture);
  assert_non_null(strstr(r.why, "府中市"));
  assert_non_null(strstr(r.why, "東京都府中市"));
  assert_non_null(strstr(r.why, "広島県府中市"));
  kk_gz_result_clear(&r);
  /* 府中町 is another name: not confused with 府中市 */
  const Text town[] = {
    { KK_GZ_TITLE, "府中町 長期総合計画" },
    { 0, NULL },
  };
  expect_municipality(town, "343021", NULL);
}

/* 池田町: 北海道, 福井県, 長野県 (いけだまち), 岐阜県 (いけだちょう). */
static void test_ikeda(void **state)
{
  const Text nagano[] = {
    { KK_GZ_TITLE, "池田町第6次総合計画" },
    { KK_GZ_BODY, "池田町は安曇野市と大町市に接し、北アルプスを望む町です。" },
    { 0, NULL },
  };
  expect_municipality(nagano, "204811", NULL);
  const Text gifu[] = {
    { KK_GZ_TITLE, "池田町 公共施設等総合管理計画" },
    { KK_GZ_BODY, "岐阜県の西濃地域にあり、揖斐川町、大野町と接する。" },
    { 0, NULL },
  };
  expect_municipality(gifu, "214043", NULL);
  const Text hokkaido[] = {
    { KK_GZ_TITLE, "池田町 まち・ひと・しごと創生総合戦略" },
    { KK_GZ_BODY, "十勝の中央、帯広市と本別町の間にあるワインの町" },
    { 0, NULL },
  };
  expect_municipality(hokkaido, "016446", NULL);
  /* readings: 長野県の池田町 alone reads いけだまち */
  const Text reading[] = {
    { KK_GZ_TITLE, "池田町 子ども・子育て支援事業計画" },
    { KK_GZ_COVER, "いけだまち" },
    { 0, NULL },
  };
  expect_municipality(reading, "204811", NULL);
  /* いけだちょう is three towns: with 福井県 named, Fukui's */
  const Text choo[] = {
    { KK_GZ_TITLE, "池田町過疎地域持続的発展計画" },
    { KK_GZ_COVER, "いけだちょう" },
    { KK_GZ_BODY, "福井県の南東部に位置し" },
    { 0, NULL },
  };
  expect_municipality(choo, "183822", NULL);
  /* four candidates, no context */
  const Text none[] = {
    { KK_GZ_TITLE, "池田町総合計画" },
    { 0, NULL },
  };
  expect_verdict(none, KK_GZ_AMBIGUOUS, NULL);
}

/* 伊達市: 北海道 and 福島県. */
static void test_date(void **state)
{
  const Text hokkaido[] = {
    { KK_GZ_TITLE, "伊達市総合計画" },
    { KK_GZ_BODY, "伊達市は北海道の南西部、室蘭市と洞爺湖町に接する。" },
    { 0, NULL },
  };
  expect_municipality(hokkaido, "012335", NULL);
  const Text fukushima[] = {
    { KK_GZ_TITLE, "伊達市総合計画" },
    { KK_GZ_BODY, "伊達市は福島市、桑折町、国見町に接し" },
    { 0, NULL },
  };
  expect_municipality(fukushima, "072133", NULL);
  /* the sister city, named with its prefecture once in the body, does
   * not outweigh the title's own 北海道伊達市 */
  const Text sister[] = {
    { KK_GZ_TITLE, "北海道伊達市 総合戦略" },
    { KK_GZ_BODY, "姉妹都市である福島県伊達市との交流" },
    { KK_GZ_BODY, "伊達市の人口" },
    { 0, NULL },
  };
  expect_municipality(sister, "012335", NULL);
}

/* Wards of designated cities come under their city; Tokyo's special wards
 * are municipalities of their own. */
static void test_wards(void **state)
{
  const Text sapporo[] = {
    { KK_GZ_TITLE, "札幌市中央区 まちづくりビジョン" },
    { KK_GZ_BODY, "中央区は札幌市の中心部に位置し、中央区役所では" },
    { KK_GZ_BODY, "中央区の人口" },
    { 0, NULL },
  };
  expect_municipality(sapporo, "011002", "中央区");
  /* the bare ward name with the city named elsewhere */
  const Text osaka[] = {
    { KK_GZ_TITLE, "北区 地域福祉計画" },
    { KK_GZ_COVER, "大阪市" },
    { KK_GZ_BODY, "北区は大阪市の北部に位置する" },
    { 0, NULL },
  };
  expect_municipality(osaka, "271004", "北区");
  /* a city document that lists its wards is the city's, without a ward */
  const Text city[] = {
    { KK_GZ_TITLE, "札幌市 第2次まちづくり戦略ビジョン" },
    { KK_GZ_BODY, "札幌市の10区: 中央区、北区、東区、白石区、厚別区、豊平区、清田区、南区、西区、手稲区" },
    { KK_GZ_BODY, "札幌市は北海道の道央に位置する" },
    { 0, NULL },
  };
  expect_municipality(city, "011002", NULL);
  /* the city hall's address on a city's cover names no ward of it */
  const Text address[] = {
    { KK_GZ_TITLE, "札幌市 行政改革プラン" },
    { KK_GZ_COVER, "札幌市中央区北1条西2丁目" },
    { 0, NULL },
  };
  expect_municipality(address, "011002", NULL);
  /* 中央区 with 東京都 named: Tokyo's special ward */
  const Text tokyo[] = {
    { KK_GZ_TITLE, "中央区基本計画" },
    { KK_GZ_BODY, "中央区は東京都の区部の中心に位置し、千代田区、港区、江東区に接する" },
    { 0, NULL },
  };
  expect_municipality(tokyo, "131024", NULL);
}

/* Where a name stands: data tables are context, not the author. */
static void test_where(void **state)
{
  /* a prefecture's table of cases by 住居地 */
  const Text cases[] = {
    { KK_GZ_TITLE, "新型コロナウイルス感染症 県内発生事例" },
    { KK_GZ_DATA, "名古屋市" }, { KK_GZ_DATA, "名古屋市" }, { KK_GZ_DATA, "名古屋市" },
    { KK_GZ_DATA, "名古屋市" }, { KK_GZ_DATA, "岡崎市" }, { KK_GZ_DATA, "豊田市" },
    { KK_GZ_DATA, "一宮市" }, { KK_GZ_DATA, "岐阜県" },
    { 0, NULL },
  };
  expect_verdict(cases, KK_GZ_PREFECTURE, "愛知県");
  /* the same table in a document that does not speak as a prefecture */
  const Text list[] = {
    { KK_GZ_TITLE, "発生事例一覧" },
    { KK_GZ_DATA, "名古屋市" }, { KK_GZ_DATA, "名古屋市" }, { KK_GZ_DATA, "名古屋市" },
    { 0, NULL },
  };
  expect_verdict(list, KK_GZ_NONE, NULL);
  /* a prefecture's own document */
  const Text pref[] = {
    { KK_GZ_TITLE, "愛知県行政改革大綱" },
    { KK_GZ_BODY, "名古屋市との連携" },
    { 0, NULL },
  };
  expect_verdict(pref, KK_GZ_PREFECTURE, "愛知県");
  /* a town naming itself twice and its prefecture thrice in the body is
   * not the prefecture's document */
  const Text town[] = {
    { KK_GZ_BODY, "芦北町の" }, { KK_GZ_BODY, "芦北町と" },
    { KK_GZ_BODY, "熊本県の" }, { KK_GZ_BODY, "熊本県と" }, { KK_GZ_BODY, "熊本県が" },
    { 0, NULL },
  };
  expect_verdict(town, KK_GZ_NONE, NULL);
  /* a prefecture written before the village only says where it lies */
  const Text village[] = {
    { KK_GZ_META, "北海道音威子府村" },
    { KK_GZ_BODY, "北海道音威子府村の人口" },
    { KK_GZ_BODY, "北海道音威子府村の財政" },
    { 0, NULL },
  };
  expect_municipality(village, "014702", NULL);
  /* named once in the body: too little */
  const Text once[] = {
    { KK_GZ_BODY, "旭川市から来た" },
    { 0, NULL },
  };
  expect_verdict(once, KK_GZ_NONE, NULL);
  /* a newsletter naming its village in the body, two others once */
  const Text news[] = {
    { KK_GZ_BODY, "音威子府村の予算" }, { KK_GZ_BODY, "音威子府村では" }, { KK_GZ_BODY, "音威子府村に" },
    { KK_GZ_BODY, "新潟県妙高市から" }, { KK_GZ_BODY, "三重県松阪市の" },
    { 0, NULL },
  };
  expect_municipality(news, "014702", NULL);
  /* two towns named alike: no guess, but their prefecture */
  const Text joint[] = {
    { KK_GZ_TITLE, "小郡市・大刀洗町 定住自立圏共生ビジョン" },
    { 0, NULL },
  };
  expect_verdict(joint, KK_GZ_AMBIGUOUS, "福岡県");
  /* a pattern file's rule outweighs everything */
  const Text rule[] = {
    { KK_GZ_RULE, "飯塚市" },
    { KK_GZ_TITLE, "嘉麻市との連携協定" },
    { 0, NULL },
  };
  expect_municipality(rule, "402052", NULL);
}

/* Names inside names, whitespace, readings, bad input. */
static void test_text(void **state)
{
  const Text kita[] = { { KK_GZ_TITLE, "北広島市の計画" }, { 0, NULL } };
  expect_municipality(kita, "012343", NULL);
  const Text hiro[] = { { KK_GZ_TITLE, "東広島市の計画" }, { 0, NULL } };
  expect_municipality(hiro, "342122", NULL);
  const Text yokkaichi[] = { { KK_GZ_TITLE, "第六次四日市市行政改革大綱" }, { 0, NULL } };
  expect_municipality(yokkaichi, "242021", NULL);
  const Text spaced[] = { { KK_GZ_COVER, "富 士 市" }, { 0, NULL } };
  expect_municipality(spaced, "222101", NULL);
  /* 広報おといねっぷ: the village by its reading, on the cover */
  const Text kana[] = { { KK_GZ_TITLE, "広報おといねっぷ" }, { 0, NULL } };
  expect_municipality(kana, "014702", NULL);
  /* a reading inside a longer word is not a mention */
  const Text word[] = { { KK_GZ_TITLE, "おといねっぷらざ" }, { 0, NULL } };
  expect_verdict(word, KK_GZ_NONE, NULL);
  /* readings are not read in the body (common words there) */
  const Text body[] = { { KK_GZ_BODY, "おといねっぷ おといねっぷ おといねっぷ" }, { 0, NULL } };
  expect_verdict(body, KK_GZ_NONE, NULL);
  const Text bad[] = { { KK_GZ_TITLE, "小郡市\xff\xfe飯塚市" }, { KK_GZ_N_WHERE, "小郡市" }, { 0, NULL } };
  expect_municipality(bad, "402168", NULL); /* stops at the invalid byte; a bad `where` is ignored */
  kk_gazetteer_scan_text(NULL, "小郡市", KK_GZ_TITLE);
  kk_gazetteer_scan_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fuchu),
    cmocka_unit_test(test_ikeda),
    cmocka_unit_test(test_date),
    cmocka_unit_test(test_wards),
    cmocka_unit_test(test_where),
    cmocka_unit_test(test_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
