/* test_docmeta.c — the metadata parse gives every document, no family
 * needed (patterns/docmeta.c): the cover's title or a meaningful PDF title,
 * fiscal years from the cover, title or a plan-period line, the local
 * government with lg_code and ward.  Made-up pages streams; parse
 * normalizes and annotates them itself ("normalized":false). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>

#include "common/kk-jsonl.h"
#include "patterns/parse.h"
#include "common/kk-error.h"
#include "common/kk-gazetteer.h"

static char *dir;

/* A pattern directory whose one family matches nothing. */
static int setup(void **state)
{
  dir = g_dir_make_tmp("kkdocmeta-XXXXXX", NULL);
  g_autofree char *p = g_build_filename(dir, "none.kpat", NULL);
  return dir && g_file_set_contents(p, "family none\n[recognise]\nrequire /^NEVER MATCHES$/\n", -1, NULL) ? 0 : -1;
}

static int teardown(void **state)
{
  g_autofree char *p = g_build_filename(dir, "none.kpat", NULL);
  g_unlink(p);
  g_rmdir(dir);
  g_free(dir);
  return 0;
}

static gboolean keep_document(JsonObject *o, gpointer data, GError **error)
{
  JsonObject **doc = data;
  if (g_strcmp0(kk_json_string(o, "type", ""), "document") == 0 && *doc == NULL)
    *doc = json_object_ref(o);
  return TRUE;
}

/* Parses a stream of `pages` (JSON page objects, one a line) of a PDF whose
 * metadata title is `meta_title` (JSON, e.g. "null" or "\"…\""); returns the
 * records' document object. */
static JsonObject *document_given(const char *meta_title, const char *pages, const KkLgCode *given)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KkParser) parser = kk_parser_new(dir, &e);
  assert_non_null(parser);
  kk_parser_set_given_place(parser, given);
  g_autofree char *stream = g_strdup_printf(
      "{\"type\":\"document\",\"format\":\"keikaku-pages\",\"version\":1,\"file\":\"x.pdf\",\"sha256\":\"ab\","
      "\"metadata\":{\"title\":%s,\"author\":null},\"normalized\":false}\n%s\n{\"type\":\"end\"}\n",
      meta_title, pages);
  g_auto(GStrv) lines = g_strsplit(stream, "\n", -1);
  g_autoptr(JsonParser) jp = json_parser_new();
  JsonObject *doc = NULL;
  for (int i = 0; lines[i]; i++) {
    if (*g_strstrip(lines[i]) == '\0')
      continue;
    if (!json_parser_load_from_data(jp, lines[i], -1, &e))
      fail_msg("bad test JSON line %d: %s", i, e->message);
    if (!kk_parser_feed(parser, json_node_get_object(json_parser_get_root(jp)), keep_document, &doc, &e))
      fail_msg("feed failed: %s", e->message);
  }
  assert_non_null(doc);
  assert_null(kk_json_string(doc, "family", NULL));
  return doc;
}

static JsonObject *document_of(const char *meta_title, const char *pages)
{
  return document_given(meta_title, pages, NULL);
}

#define PAGE(n, lines) "{\"type\":\"page\",\"page\":" #n ",\"width\":595,\"height\":842,\"lines\":[" lines "],\"tables\":[]}"
#define LINE(text, size, x0, y0, x1, y1) \
  "{\"text\":\"" text "\",\"size\":" #size ",\"bbox\":[" #x0 "," #y0 "," #x1 "," #y1 "]}"

static void expect_str(JsonObject *doc, const char *member, const char *want)
{
  const char *got = kk_json_string(doc, member, NULL);
  if (want == NULL && got != NULL)
    fail_msg("%s: got \"%s\", want null", member, got);
  if (want != NULL && g_strcmp0(got, want) != 0)
    fail_msg("%s: got \"%s\", want \"%s\"", member, got ? got : "(null)", want);
}

static void expect_years(JsonObject *doc, gint64 from, gint64 to)
{
  assert_int_equal(kk_json_int(doc, "fiscal_start", 0), from);
  assert_int_equal(kk_json_int(doc, "fiscal_end", 0), to);
}

/* A budget book's cover: year, title in the largest type, city at the foot. */
static void test_cover(void **state)
{
  g_autoptr(JsonObject) doc = document_of("\"\"",
      PAGE(1, LINE("令和6年度", 26, 232, 132, 363, 158) "," LINE("一般会計予算書", 36, 150, 249, 445, 285) ","
              LINE("(附予算説明書)", 26, 193, 339, 402, 365) "," LINE("富 士 市", 30, 236, 713, 359, 743)));
  expect_str(doc, "title", "一般会計予算書");
  expect_str(doc, "municipality", "富士市");
  expect_str(doc, "prefecture", "静岡県");
  expect_str(doc, "lg_code", "222101");
  expect_str(doc, "ward", NULL);
  expect_years(doc, 2024, 2024);
}

/* A title over two lines, and the plan period on the cover. */
static void test_title_lines_and_period(void **state)
{
  g_autoptr(JsonObject) doc = document_of("\"Microsoft Word - 計画.docx\"",
      PAGE(1, LINE("総合計画", 30, 100, 140, 300, 170) "," LINE("第2次 小郡市", 30, 100, 100, 300, 130) ","
              LINE("計画期間 令和3年度～令和7年度", 12, 100, 400, 300, 412) ","
              LINE("令和3年3月 福岡県小郡市", 12, 100, 700, 300, 712)));
  expect_str(doc, "title", "第2次小郡市総合計画");
  expect_str(doc, "municipality", "小郡市");
  expect_str(doc, "lg_code", "402168");
  expect_years(doc, 2021, 2025);
}

/* A cover whose title is a picture: only a slogan low on the page, so a
 * meaningful PDF title is the title; the plan period on page 3. */
static void test_metadata_title_and_later_period(void **state)
{
  g_autoptr(JsonObject) doc = document_of("\"北海道音威子府村人口ビジョン\"",
      PAGE(1, LINE("森と水と人が織りなす匠の里・おといねっぷ", 14, 157, 671, 438, 685)) "\n"
      PAGE(2, LINE("目次", 16, 100, 100, 140, 116)) "\n"
      PAGE(3, LINE("対象期間は、国と同じく2015年度から2019年度までとします。", 11, 60, 500, 500, 511)));
  expect_str(doc, "title", "北海道音威子府村人口ビジョン");
  expect_str(doc, "municipality", "音威子府村");
  expect_str(doc, "lg_code", "014702");
  expect_years(doc, 2015, 2019);
}

/* A file name is no title; a newsletter's issue date (令和2 / 3) is no
 * fiscal year; a line of several baselines' glyphs is not read. */
static void test_no_meaningless_title_or_year(void **state)
{
  g_autoptr(JsonObject) doc = document_of("\"2003 グラフ.indd\"",
      PAGE(1, LINE("当令初和予2算年成度立", 35, 346, 511, 558, 648) "," LINE("広報", 32, 493, 692, 558, 738) ","
              LINE("令和2 3", 27, 37, 718, 184, 760)));
  expect_str(doc, "title", "広報");
  expect_str(doc, "municipality", NULL);
  expect_str(doc, "lg_code", NULL);
  expect_years(doc, 0, 0);
  /* nothing on the cover, no meaningful PDF title: no title */
  g_autoptr(JsonObject) none = document_of("\"無題\"", PAGE(1, ""));
  expect_str(none, "title", NULL);
  /* a paragraph in one type is no title */
  g_autoptr(JsonObject) para = document_of("null",
      PAGE(1, LINE("電線接続端子部が次のいずれにも該当しないとき。", 12, 66, 45, 342, 57) ","
              LINE("ねじ止め端子であること。", 12, 66, 60, 225, 72) ","
              LINE("ねじなし端子であって、工具を用いずに電線の接続を行うことができる", 12, 66, 74, 441, 86) ","
              LINE("速結端子又はスプリング式ねじなし端子と称されるもの", 12, 66, 89, 426, 101) ","
              LINE("であること。", 12, 66, 103, 438, 115)));
  expect_str(para, "title", NULL);
}

/* A ward of a designated city; places in a data table are not the author. */
static void test_ward_and_data(void **state)
{
  g_autoptr(JsonObject) doc = document_of("null",
      PAGE(1, LINE("札幌市中央区 まちづくりビジョン", 28, 100, 100, 500, 128) ","
              LINE("令和6年度～令和10年度", 14, 100, 200, 300, 214)));
  expect_str(doc, "municipality", "札幌市");
  expect_str(doc, "ward", "中央区");
  expect_str(doc, "prefecture", "北海道");
  expect_str(doc, "lg_code", "011002");
  expect_years(doc, 2024, 2028);
  g_autoptr(JsonObject) data = document_of("null",
      "{\"type\":\"page\",\"page\":1,\"width\":595,\"height\":842,\"lines\":["
      LINE("発生事例一覧", 12, 100, 50, 300, 62) ","
      "{\"text\":\"名古屋市\",\"size\":9,\"bbox\":[100,100,140,109],\"table\":0},"
      "{\"text\":\"名古屋市\",\"size\":9,\"bbox\":[100,110,140,119],\"table\":0},"
      "{\"text\":\"名古屋市\",\"size\":9,\"bbox\":[100,120,140,129],\"table\":0}],"
      "\"tables\":[{\"bbox\":[90,90,300,130],\"rows\":["
      "[{\"text\":\"1\",\"row\":0,\"col\":0},{\"text\":\"名古屋市\",\"row\":0,\"col\":1}],"
      "[{\"text\":\"2\",\"row\":1,\"col\":0},{\"text\":\"名古屋市\",\"row\":1,\"col\":1}],"
      "[{\"text\":\"3\",\"row\":2,\"col\":0},{\"text\":\"名古屋市\",\"row\":2,\"col\":1}]]}]}");
  expect_str(data, "title", "発生事例一覧");
  expect_str(data, "municipality", NULL);
  expect_str(data, "lg_code", NULL);
}

/* --municipality: the municipality of a document that names none; one that
 * names its own, or its prefecture as its author, keeps what it says. */
static void test_given_municipality(void **state)
{
  g_autoptr(GError) e = NULL;
  const KkLgCode *nankoku = kk_gazetteer_given_place("南国市", &e);
  assert_non_null(nankoku);
  assert_ptr_equal(kk_gazetteer_given_place("392049", NULL), nankoku);
  assert_ptr_equal(kk_gazetteer_given_place("高知県南国市", NULL), nankoku);
  g_autoptr(GError) amb = NULL, pref = NULL, none = NULL;
  assert_null(kk_gazetteer_given_place("池田町", &amb));
  assert_true(g_error_matches(amb, KK_ERROR, KK_ERROR_USAGE));
  assert_null(kk_gazetteer_given_place("高知県", &pref));
  assert_null(kk_gazetteer_given_place("999999", &none));
  assert_non_null(kk_gazetteer_given_place("大阪府池田市", NULL));

  const char *list = PAGE(1, LINE("繰 越 事 業 一 覧 表", 14, 200, 40, 400, 54) ","
                             LINE("南国駅前線沿道広場実施設計等委託料", 9, 100, 100, 300, 109));
  g_autoptr(JsonObject) bare = document_of("null", list);
  expect_str(bare, "municipality", NULL);
  g_autoptr(JsonObject) given = document_given("null", list, nankoku);
  expect_str(given, "municipality", "南国市");
  expect_str(given, "prefecture", "高知県");
  expect_str(given, "lg_code", "392049");
  /* a document naming its own city keeps it */
  g_autoptr(JsonObject) own = document_given("null",
      PAGE(1, LINE("一般会計予算書", 36, 150, 249, 445, 285) "," LINE("富 士 市", 30, 236, 713, 359, 743)), nankoku);
  expect_str(own, "municipality", "富士市");
  expect_str(own, "lg_code", "222101");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cover),
    cmocka_unit_test(test_title_lines_and_period),
    cmocka_unit_test(test_metadata_title_and_later_period),
    cmocka_unit_test(test_no_meaningless_title_or_year),
    cmocka_unit_test(test_ward_and_data),
    cmocka_unit_test(test_given_municipality),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
