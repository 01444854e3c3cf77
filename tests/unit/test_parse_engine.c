/* test_parse_engine.c — the parse engine on synthetic pages streams built by
 * hand: family choice, cards, lists joined over page breaks, schedules,
 * achievements, measures, budgets with unit headers, series, meetings,
 * documents no family matches, cut streams, broken pattern files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <glib/gstdio.h>

#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "patterns/parse.h"

/* ---- helpers: a temporary pattern directory and a stream runner ---- */

static char *make_dir(const char *name1, const char *text1, const char *name2, const char *text2)
{
  g_autoptr(GError) e = NULL;
  char *dir = g_dir_make_tmp("kkparse-XXXXXX", &e);
  assert_non_null(dir);
  g_autofree char *p1 = g_build_filename(dir, name1, NULL);
  assert_true(g_file_set_contents(p1, text1, -1, NULL));
  if (name2) {
    g_autofree char *p2 = g_build_filename(dir, name2, NULL);
    assert_true(g_file_set_contents(p2, text2, -1, NULL));
  }
  return dir;
}

static void remove_dir(char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(dir, n, NULL);
    g_unlink(p);
  }
  if (d)
    g_dir_close(d);
  g_rmdir(dir);
  g_free(dir);
}

static gboolean collect(JsonObject *o, gpointer data, GError **error)
{
  g_ptr_array_add(data, json_object_ref(o));
  return TRUE;
}

/* Feeds newline-separated JSON objects; returns the records emitted. */
static GPtrArray *run(KkParser *parser, const char *stream)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  g_auto(GStrv) lines = g_strsplit(stream, "\n", -1);
  g_autoptr(JsonParser) jp = json_parser_new();
  for (int i = 0; lines[i]; i++) {
    if (*g_strstrip(lines[i]) == '\0')
      continue;
    g_autoptr(GError) e = NULL;
    if (!json_parser_load_from_data(jp, lines[i], -1, &e))
      fail_msg("bad test JSON line %d: %s", i, e->message);
    g_autoptr(GError) fe = NULL;
    if (!kk_parser_feed(parser, json_node_get_object(json_parser_get_root(jp)), collect, out, &fe))
      fail_msg("feed failed: %s", fe->message);
  }
  return out;
}

/* A parser of the pattern files in `dir`; the test fails when it cannot
 * be made. */
static KkParser *parser_in(const char *dir)
{
  g_autoptr(GError) e = NULL;
  KkParser *p = kk_parser_new(dir, &e);
  if (p == NULL)
    fail_msg("%s", e->message);
  return p;
}

/* run() with --explain on: its text in *explain (free() it; shown on
 * stderr when KK_DEBUG is set). */
static GPtrArray *run_explained(KkParser *parser, const char *stream, char **explain)
{
  size_t len = 0;
  FILE *mem = open_memstream(explain, &len);
  kk_parser_set_explain(parser, mem);
  GPtrArray *recs = run(parser, stream);
  fclose(mem);
  if (g_getenv("KK_DEBUG"))
    fprintf(stderr, "%s", *explain);
  return recs;
}

/* The n-th record of `type` (0-based), or NULL. */
static JsonObject *nth(GPtrArray *recs, const char *type, int n)
{
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), type) == 0 && n-- == 0)
      return o;
  }
  return NULL;
}

static int count(GPtrArray *recs, const char *type)
{
  int n = 0;
  while (nth(recs, type, n))
    n++;
  return n;
}

/* Value of the field labelled `label` of an item, or NULL. */
static const char *field(JsonObject *item, const char *label)
{
  JsonArray *a = kk_json_array(item, "fields");
  for (guint i = 0; a && i < json_array_get_length(a); i++) {
    JsonObject *f = json_array_get_object_element(a, i);
    if (g_strcmp0(kk_json_string(f, "label", NULL), label) == 0)
      return kk_json_string(f, "value", NULL);
  }
  return NULL;
}

#define DOC "{\"type\":\"document\",\"format\":\"keikaku-pages\",\"version\":1,\"file\":\"x.pdf\",\"sha256\":\"ab\",\"pages\":2,\"normalized\":true}\n"
#define END "{\"type\":\"end\",\"pages\":2}\n"
#define FY(s, e, y) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"fiscal_year\",\"value\":" #y "}"
#define C(r, c, text) "{\"text\":\"" text "\",\"row\":" #r ",\"col\":" #c "}"
#define CS(r, c, text, spans) "{\"text\":\"" text "\",\"row\":" #r ",\"col\":" #c ",\"spans\":[" spans "]}"

/* ---- a card family ---- */

static const char *cards_kpat =
  "family cards\n[recognise]\nrequire where=cell /^No\\.$/\nscore 10 where=cell /^No\\.$/\ndecide 10\n"
  "[document]\ntitle from=largest-font pages=1\n"
  "prefecture /(福岡県|佐賀県)\\S+市/\nmunicipality /(?:福岡県|佐賀県)(\\S+?市)/\n"
  "period /(令和\\d+年度から令和\\d+年度)/\n"
  "[category]\nheading min-size=12 /^\\d+\\s+(\\S.*)$/\n"
  "[card]\nstart /^No\\.$/\nlabel as=item_no /^No\\.$/\nlabel as=title /^取組名$/\n"
  "label as=department /^担当課$/\nlabel /^現状/\nlabel field=no /^工程表/\n"
  "schedule field=yes actual=実績 /^R\\d+(実績|計画)$/\n"
  "[achievements]\nheader /^取組名称$/\nkey /^No\\.$/\nyear /年度$/\n";

static const char *cards_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"みらい\",\"size\":30},{\"text\":\"行動計画\",\"size\":30},"
  "{\"text\":\"計画期間は令和4年度から令和6年度まで\",\"size\":10,\"spans\":[" FY(5, 10, 2022) "," FY(12, 17, 2024) "]},"
  "{\"text\":\"1 情報発信の強化\",\"size\":14}],"
  "\"tables\":[{\"ruled\":true,\"rows\":["
  "[" C(0, 0, "No.") "," C(0, 1, "1-1") "," C(0, 2, "担当課") "," C(0, 3, "広報課") "],"
  "[" C(1, 0, "取組名") ",{\"text\":\"SNSの活用\",\"row\":1,\"col\":1,\"colspan\":3}],"
  "[" CS(2, 0, "現状\\n(令和3年度\\n時点)", FY(3, 8, 2021)) ",{\"text\":\"・一行目\\n・二行目\",\"row\":2,\"col\":1,\"colspan\":3}],"
  "[{\"text\":\"工程表\",\"row\":3,\"col\":0,\"colspan\":4}],"
  "[" CS(4, 0, "R3実績", FY(0, 2, 2021)) ",{\"text\":\"開設\",\"row\":4,\"col\":1,\"colspan\":3}],"
  "[" CS(5, 0, "R5計画", FY(0, 2, 2023)) ",{\"text\":\"運用\",\"row\":5,\"col\":1,\"colspan\":3}],"
  "[" C(6, 0, "備考") ",{\"text\":\"特になし\",\"row\":6,\"col\":1,\"colspan\":3}]]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":[{\"text\":\"発行・福岡県みらい市\",\"size\":10}],"
  "\"tables\":[{\"ruled\":true,\"continued_from_previous\":true,\"rows\":["
  "[" C(0, 0, "") ",{\"text\":\"(続き)\",\"row\":0,\"col\":1,\"colspan\":3}]]},"
  "{\"ruled\":true,\"rows\":[[" C(0, 0, "No.") "," C(0, 1, "取組名称") "," CS(0, 2, "令和4年度", FY(0, 5, 2022)) "],"
  "[" C(1, 0, "1-1") "," C(1, 1, "SNSの活用") "," CS(1, 2, "85.0%", "{\"start\":0,\"end\":5,\"kind\":\"percent\",\"value\":85.0}") "]]}]}\n"
  END;

static void test_cards(void **state)
{
  char *dir = make_dir("cards.kpat", cards_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, cards_stream);
  JsonObject *doc = g_ptr_array_index(recs, 0);
  assert_string_equal(kk_json_string(doc, "type", ""), "document");
  assert_string_equal(kk_json_string(doc, "family", ""), "cards");
  assert_string_equal(kk_json_string(doc, "title", ""), "みらい行動計画");
  assert_string_equal(kk_json_string(doc, "prefecture", ""), "福岡県");
  assert_string_equal(kk_json_string(doc, "municipality", ""), "みらい市");
  assert_int_equal(kk_json_int(doc, "fiscal_start", 0), 2022);
  assert_int_equal(kk_json_int(doc, "fiscal_end", 0), 2024);
  assert_int_equal(count(recs, "page"), 2);
  assert_int_equal(count(recs, "item"), 1);
  JsonObject *it = nth(recs, "item", 0);
  assert_string_equal(kk_json_string(it, "item_no", ""), "1-1");
  assert_string_equal(kk_json_string(it, "title", ""), "SNSの活用");
  assert_string_equal(kk_json_string(it, "department", ""), "広報課");
  assert_string_equal(kk_json_string(it, "category", ""), "情報発信の強化");
  assert_int_equal(kk_json_int(it, "page", 0), 1);
  /* label squeezed, multi-line value kept, continuation joined */
  assert_string_equal(field(it, "現状(令和3年度時点)"), "・一行目\n・二行目");
  assert_string_equal(field(it, "R3実績"), "開設");
  assert_string_equal(field(it, "R5計画"), "運用\n(続き)");
  assert_null(field(it, "工程表"));
  assert_null(field(it, "備考"));
  assert_int_equal(count(recs, "schedule"), 2);
  JsonObject *s0 = nth(recs, "schedule", 0);
  assert_int_equal(kk_json_int(s0, "fiscal_year", 0), 2021);
  assert_string_equal(kk_json_string(s0, "kind", ""), "actual");
  assert_string_equal(kk_json_string(s0, "item", ""), "i1");
  assert_string_equal(kk_json_string(nth(recs, "schedule", 1), "kind", ""), "plan");
  JsonObject *a = nth(recs, "achievement", 0);
  assert_non_null(a);
  assert_string_equal(kk_json_string(a, "item", ""), "i1");
  assert_int_equal(kk_json_int(a, "fiscal_year", 0), 2022);
  assert_true(kk_json_double(a, "rate", 0) == 85.0);
  JsonObject *end = g_ptr_array_index(recs, recs->len - 1);
  assert_string_equal(kk_json_string(end, "type", ""), "end");
  assert_int_equal(kk_json_int(end, "records", 0), (gint64)recs->len - 1);

  /* --explain: family, rules and the unused label */
  char *buf = NULL;
  g_autoptr(GPtrArray) again = run_explained(p, cards_stream, &buf);
  assert_non_null(strstr(buf, "<- chosen"));
  assert_non_null(strstr(buf, "cards.kpat:"));
  assert_non_null(strstr(buf, "labelled cells and tables no rule used: 1"));
  assert_non_null(strstr(buf, "備考"));
  free(buf);
  assert_int_equal(again->len, recs->len);
  remove_dir(dir);
}

/* ---- a list family: rows over a page break, repeated header ---- */

static const char *list_kpat =
  "family lists\n[recognise]\nscore 10 where=cell /^番号$/\n"
  "[list]\nheader /^番号$/\ncolumn as=item_no /^番号$/\ncolumn as=title /^取組項目名$/\n"
  "column as=department /^所管$/\nskip-row /^合計$/\n";

#define HDR "[" C(0, 0, "番号") "," C(0, 1, "取組項目名") "," C(0, 2, "所管") "," C(0, 3, "内容") "]"
static const char *list_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"tables\":[{\"rows\":[" HDR ","
  "[" C(1, 0, "1") "," C(1, 1, "窓口改善") "," C(1, 2, "市民課") "," C(1, 3, "待ち時間を短縮") "],"
  "[" C(2, 0, "2") "," C(2, 1, "施設の") "," C(2, 2, "財政課") "," C(2, 3, "統廃合を") "]]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"tables\":[{\"continued_from_previous\":true,\"header_rows\":1,\"rows\":[" HDR ","
  "[" C(1, 0, "") "," C(1, 1, "見直し") "," C(1, 2, "") "," C(1, 3, "進める") "],"
  "[" C(2, 0, "3") "," C(2, 1, "電子申請") "," C(2, 2, "DX課") "," C(2, 3, "") "],"
  "[" C(3, 0, "合計") "," C(3, 1, "") "," C(3, 2, "") "," C(3, 3, "") "]]}]}\n"
  END;

static void test_list_over_pages(void **state)
{
  char *dir = make_dir("lists.kpat", list_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, list_stream);
  assert_int_equal(count(recs, "item"), 3);
  JsonObject *i2 = nth(recs, "item", 1);
  assert_string_equal(kk_json_string(i2, "item_no", ""), "2");
  assert_string_equal(kk_json_string(i2, "title", ""), "施設の見直し"); /* a wrapped attribute reads as one line */
  assert_string_equal(field(i2, "内容"), "統廃合を\n進める");
  assert_string_equal(field(i2, "番号"), "2");
  assert_int_equal(kk_json_int(i2, "page", 0), 1);
  JsonObject *i3 = nth(recs, "item", 2);
  assert_string_equal(kk_json_string(i3, "department", ""), "DX課");
  assert_string_equal(field(i3, "内容"), "");
  remove_dir(dir);
}

/* ---- measures, budgets with a unit header, series, meetings ---- */

static const char *misc_kpat =
  "family misc\n[recognise]\nscore 10 /会議の名称/\n"
  "[document]\nfiscal-year /(令和\\d+年度)/\n"
  "[card]\nitem-line /^(?<title>\\S+)\\s+(?<department>\\S+課)$/\ntext-label /^【(施策の目的)】$/\n"
  "[measures]\nrole baseline /^基準値/\nrole target /^目標値/\nvalue-role limit /以下$/\n"
  "text in=目標 role=target /(?<label>[^、。0-9]+?)(?<value>[0-9.]+億円)(?<role>以内|以上)/\n"
  "value-role limit /以内/\n"
  "[budget]\nheader /^総額$/\ncolumn total /^総額$/\ncolumn national /^国庫支出金$/\ncolumn general_fund /^一般財源$/\n"
  "[series]\nyear /^R\\d+$/\ntitle /見込み/\n"
  "[meeting]\nlabel as=title /^会議の名称$/\nlabel as=held_on /^開催日時$/\nlabel as=place /^開催場所$/\n"
  "[units]\nunit /単位[:：](千円|百万円|億円)/\n";

#define AMT(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"amount\",\"value\":" #v "}"
#define NUM(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"number\",\"value\":" #v "}"
#define PCT(s, e, v) "{\"start\":" #s ",\"end\":" #e ",\"kind\":\"percent\",\"value\":" #v "}"
static const char *misc_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":["
  "{\"text\":\"令和2年度 会議録\",\"bbox\":[10,5,100,15],\"spans\":[" FY(0, 5, 2020) "]},"
  "{\"text\":\"職員研修 人事課\",\"bbox\":[10,20,100,30]},"
  "{\"text\":\"【施策の目的】\",\"bbox\":[10,40,100,50]},"
  "{\"text\":\"職員の資質向上\",\"bbox\":[10,60,100,70]},"
  "{\"text\":\"(単位:千円)\",\"bbox\":[10,80,100,90]}],"
  "\"tables\":[{\"bbox\":[10,100,300,140],\"rows\":["
  "[{\"text\":\"総額\",\"row\":0,\"col\":0,\"rowspan\":2},{\"text\":\"財源内訳\",\"row\":0,\"col\":1,\"colspan\":2}],"
  "[" C(1, 1, "国庫支出金") "," C(1, 2, "一般財源") "],"
  "[" CS(2, 0, "1,523", NUM(0, 5, 1523)) "," C(2, 1, "") "," CS(2, 2, "1,223", NUM(0, 5, 1223)) "]]},"
  "{\"bbox\":[10,150,300,200],\"rows\":["
  "[" C(0, 0, "会議の名称") "," C(0, 1, "第5回 審議会") "],"
  "[" C(1, 0, "開催日時") "," CS(1, 1, "令和5年10月18日(水)", "{\"start\":0,\"end\":13,\"kind\":\"date\",\"value\":\"2023-10-18\"}") "],"
  "[" C(2, 0, "開催場所") "," C(2, 1, "市役所") "]]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":[{\"text\":\"歳入歳出の見込み\",\"bbox\":[10,10,100,20]},"
  "{\"text\":\"(単位:百万円)\",\"bbox\":[10,25,100,35]}],"
  "\"tables\":[{\"bbox\":[10,40,300,80],\"rows\":["
  "[" C(0, 0, "区分") "," CS(0, 1, "R7", FY(0, 2, 2025)) "," CS(0, 2, "R8", FY(0, 2, 2026)) "],"
  "[" C(1, 0, "市税") "," CS(1, 1, "5,432", NUM(0, 5, 5432)) "," CS(1, 2, "5,500", NUM(0, 5, 5500)) "]]},"
  "{\"bbox\":[10,100,300,140],\"rows\":["
  "[{\"text\":\"1\",\"row\":0,\"col\":0,\"rowspan\":2},{\"text\":\"経常収支比率\",\"row\":0,\"col\":1,\"rowspan\":2},"
  "" CS(0, 2, "基準値(令和6年度)", FY(4, 9, 2024)) "," CS(0, 3, "99.6%", PCT(0, 5, 99.6)) "],"
  "[" C(1, 2, "目標値") "," CS(1, 3, "95.6%以下", PCT(0, 5, 95.6)) "]]}]}\n"
  END;

static void test_measures_budgets_series_meetings(void **state)
{
  char *dir = make_dir("misc.kpat", misc_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, misc_stream);
  JsonObject *doc = g_ptr_array_index(recs, 0);
  assert_int_equal(kk_json_int(doc, "fiscal_start", 0), 2020);
  assert_int_equal(kk_json_int(doc, "fiscal_end", 0), 2020);
  JsonObject *it = nth(recs, "item", 0);
  assert_string_equal(kk_json_string(it, "title", ""), "職員研修");
  assert_string_equal(kk_json_string(it, "department", ""), "人事課");
  assert_string_equal(field(it, "施策の目的"), "職員の資質向上");
  JsonObject *b = nth(recs, "budget", 0);
  assert_non_null(b);
  assert_string_equal(kk_json_string(b, "item", ""), "i1");
  assert_int_equal(kk_json_int(b, "total", 0), 1523000);
  assert_int_equal(kk_json_int(b, "general_fund", 0), 1223000);
  assert_int_equal(kk_json_int(b, "fiscal_year", 0), 2020);
  assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(b, "national")));
  assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(b, "bonds")));
  JsonObject *m = nth(recs, "meeting", 0);
  assert_string_equal(kk_json_string(m, "title", ""), "第5回 審議会");
  assert_string_equal(kk_json_string(m, "held_on", ""), "2023-10-18");
  assert_string_equal(kk_json_string(m, "place", ""), "市役所");
  JsonObject *s = nth(recs, "series", 0);
  assert_string_equal(kk_json_string(s, "table_title", ""), "歳入歳出の見込み");
  assert_string_equal(kk_json_string(s, "row_label", ""), "市税");
  assert_int_equal(kk_json_int(s, "fiscal_year", 0), 2025);
  assert_int_equal(kk_json_int(s, "value", 0), 5432000000);
  assert_string_equal(kk_json_string(s, "unit", ""), "円");
  assert_int_equal(count(recs, "series"), 2);
  JsonObject *m0 = nth(recs, "measure", 0), *m1 = nth(recs, "measure", 1);
  assert_string_equal(kk_json_string(m0, "label", ""), "経常収支比率");
  assert_string_equal(kk_json_string(m0, "role", ""), "baseline");
  assert_int_equal(kk_json_int(m0, "fiscal_year", 0), 2024);
  assert_string_equal(kk_json_string(m0, "unit", ""), "%");
  assert_string_equal(kk_json_string(m1, "label", ""), "経常収支比率");
  assert_string_equal(kk_json_string(m1, "role", ""), "limit");
  assert_true(kk_json_double(m1, "value", 0) == 95.6);
  remove_dir(dir);
}

static void test_text_measures(void **state)
{
  const char *kpat = "family tm\n[recognise]\nscore 10 where=cell /^No$/\n[card]\nstart /^No$/\n"
                     "label as=item_no /^No$/\nlabel /^目標$/\n"
                     "[measures]\ntext in=目標 role=target /(?<label>[^、。\\s\\d]+?)(?<value>[\\d.]+億円)(?<role>以内|以上)/\n"
                     "value-role limit /以内/\n";
  const char *stream = DOC
    "{\"type\":\"page\",\"page\":1,\"tables\":[{\"rows\":[[" C(0, 0, "No") "," C(0, 1, "1") "],"
    "[" C(1, 0, "目標") "," CS(1, 1, "建設事業費15億円以内、基金20億円以上", AMT(5, 9, 1500000000) "," AMT(14, 18, 2000000000)) "]]}]}\n" END;
  char *dir = make_dir("tm.kpat", kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, stream);
  assert_int_equal(count(recs, "measure"), 2);
  JsonObject *m0 = nth(recs, "measure", 0), *m1 = nth(recs, "measure", 1);
  assert_string_equal(kk_json_string(m0, "label", ""), "建設事業費");
  assert_string_equal(kk_json_string(m0, "role", ""), "limit");
  assert_int_equal(kk_json_int(m0, "value", 0), 1500000000);
  assert_string_equal(kk_json_string(m0, "unit", ""), "円");
  assert_string_equal(kk_json_string(m0, "raw", ""), "15億円以内");
  assert_string_equal(kk_json_string(m0, "item", ""), "i1");
  assert_string_equal(kk_json_string(m1, "label", ""), "基金");
  assert_string_equal(kk_json_string(m1, "role", ""), "target");
  assert_int_equal(kk_json_int(m1, "value", 0), 2000000000);
  remove_dir(dir);
}

/* Field roles, label cleaning, the subject fallback and year rules; the
 * values come from normalize's annotator on the joined field text. */
static void test_text_measures_roles_and_years(void **state)
{
  const char *kpat = "family tm\n[recognise]\nscore 10 where=cell /^No$/\n[card]\nstart /^No$/\n"
                     "label as=item_no /^No$/\nlabel /^現状$/\nlabel /^目標$/\nlabel /^R\\d+年度計画$/\n"
                     "[measures]\nfield-role baseline /^現状$/\nfield-role target default-year=end /^目標$/\n"
                     "field-role plan default-year=label /計画$/\nvalue-role limit /以内/\n"
                     "text /(?<label>[^\\s、。()〇を]+?)\\s*(?<value>約?\\d[\\d,.]*(?:億円|%))(?<role>以内|以上)?(?=を|。|、|\\)|\\s|$)/\n"
                     "label-strip /^(?:R\\d+)?年度(?:末|決算)の?/\nlabel-strip /^.*までに/\n"
                     "subject /^〇(?<value>[^の、(]+)/\n"
                     "year /(R\\d+年度)(?:までに|末|決算(?!比))/\n";
  const char *stream = DOC
    "{\"type\":\"page\",\"page\":1,\"tables\":[{\"rows\":[[" C(0, 0, "No") "," C(0, 1, "1") "],"
    "[" C(1, 0, "現状") "," C(1, 1, "〇事業費の増加が続く。(R2年度決算 約19億円)\\n(R2年度末基金残高 約21億円)") "],"
    "[" C(2, 0, "目標") "," C(2, 1, "〇R6年度までに基金残高25億円を目指す。\\n〇毎年の事業費15億円以内。") "],"
    "[" C(3, 0, "R4年度計画") "," C(3, 1, "〇普及率80%。") "]]}]}\n" END;
  char *dir = make_dir("tm.kpat", kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, stream);
  assert_int_equal(count(recs, "measure"), 5);
  JsonObject *m;
  m = nth(recs, "measure", 0); /* no label beside it: the line's subject */
  assert_string_equal(kk_json_string(m, "label", ""), "事業費");
  assert_string_equal(kk_json_string(m, "role", ""), "baseline");
  assert_int_equal(kk_json_int(m, "fiscal_year", 0), 2020);
  assert_int_equal(kk_json_int(m, "value", 0), 1900000000);
  assert_string_equal(kk_json_string(m, "raw", ""), "約19億円");
  m = nth(recs, "measure", 1); /* "R2年度末" stripped from the label */
  assert_string_equal(kk_json_string(m, "label", ""), "基金残高");
  assert_int_equal(kk_json_int(m, "fiscal_year", 0), 2020);
  m = nth(recs, "measure", 2); /* a year named: "R6年度までに" */
  assert_string_equal(kk_json_string(m, "label", ""), "基金残高");
  assert_string_equal(kk_json_string(m, "role", ""), "target");
  assert_int_equal(kk_json_int(m, "fiscal_year", 0), 2024);
  m = nth(recs, "measure", 3); /* 以内: a limit; no year: none known */
  assert_string_equal(kk_json_string(m, "label", ""), "毎年の事業費");
  assert_string_equal(kk_json_string(m, "role", ""), "limit");
  m = nth(recs, "measure", 4); /* the plan row: its label's year */
  assert_string_equal(kk_json_string(m, "label", ""), "普及率");
  assert_string_equal(kk_json_string(m, "role", ""), "plan");
  assert_int_equal(kk_json_int(m, "fiscal_year", 0), 2022);
  assert_string_equal(kk_json_string(m, "unit", ""), "%");
  remove_dir(dir);
}


/* ---- year columns: list schedules and effect amounts, budgets and KPI
 * rows per fiscal year, units scoped to their own table, below=yes, two
 * departments in one cell, --explain grids and warnings ---- */

static const char *years_kpat =
  "family years\n[recognise]\nscore 10 where=cell /^取組項目$|^事業費$/\n"
  "[document]\nperiod /(令和\\d+年度から令和\\d+年度)/\n"
  "[card]\nstart /^事業名$/\nlabel as=title /^事業名$/\nlabel below=yes /^事業の目的$/\nlabel as=department /^担当課$/\n"
  "[list]\nheader /^取組項目$/\ncolumn as=item_no /^No$/\ncolumn as=title /^取組項目$/\n"
  "column as=department /^担当課$/\nschedule /^(?:R|令和)\\d+(?:年度)?(?:実績|計画)?$/\n"
  "[measures]\nrole target /^効果額|^目標値$/\nrole actual /^実績値$/\nrole baseline /^基準値$/\n"
  "[budget]\nheader /^事業費$/\ncolumn total /^事業費$/\ncolumn national /^国県支出金$/\ncolumn general_fund /^一般財源$/\n"
  "[units]\nunit /単位[:：](千円|百万円)/\n";

#define RS(r, c, text, rs) "{\"text\":\"" text "\",\"row\":" #r ",\"col\":" #c ",\"rowspan\":" #rs "}"
#define CSP(r, c, text, cs) "{\"text\":\"" text "\",\"row\":" #r ",\"col\":" #c ",\"colspan\":" #cs "}"
static const char *years_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"計画期間は令和6年度から令和8年度まで\",\"bbox\":[10,5,300,15]}],"
  "\"tables\":[{\"bbox\":[10,20,500,100],\"rows\":["
  "[" RS(0, 0, "No", 2) "," RS(0, 1, "取組項目", 2) "," RS(0, 2, "担当課", 2) "," CSP(0, 3, "実施計画", 3) "," CSP(0, 6, "効果額(千円)", 2) "],"
  "[" C(1, 3, "R6") "," C(1, 4, "R7") "," C(1, 5, "R8") "," C(1, 6, "R6") "," C(1, 7, "R7") "],"
  "[" C(2, 0, "1") "," C(2, 1, "窓口の改善") "," C(2, 2, "市民課\\n情報政策課") "," C(2, 3, "検討") "," C(2, 4, "実施") ","
      C(2, 5, "") "," C(2, 6, "-") "," C(2, 7, "1,200") "],"
  "[" C(3, 0, "2") "," C(3, 1, "施設の\\n見直し") "," C(3, 2, "財政課") "," C(3, 3, "調査") "," C(3, 4, "方針決定") ","
      C(3, 5, "実施") "," C(3, 6, "500") "," C(3, 7, "800") "]]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":["
  "{\"text\":\"(単位:千円)\",\"bbox\":[400,5,500,15]},"
  "{\"text\":\"2 成果指標の推移と目標\",\"bbox\":[10,110,300,120]}],"
  "\"tables\":[{\"bbox\":[10,20,500,40],\"rows\":["
  "[" C(0, 0, "事業名") "," C(0, 1, "職員研修") "," C(0, 2, "担当課") "," C(0, 3, "人事課") "],"
  "[" C(1, 0, "事業の目的") "," CSP(1, 1, "能力の向上", 3) "],"
  "[" CSP(2, 0, "職員の資質を高める", 4) "]]},"
  "{\"bbox\":[10,45,500,100],\"rows\":["
  "[" C(0, 0, "区分") "," C(0, 1, "R4決算") "," C(0, 2, "R5予算") "," C(0, 3, "R6予算") "],"
  "[" C(1, 0, "事業費") "," C(1, 1, "1,523") "," C(1, 2, "1,600") "," C(1, 3, "1,700") "],"
  "[" C(2, 0, "国県支出金") "," C(2, 1, "300") "," C(2, 2, "300") "," C(2, 3, "-") "],"
  "[" C(3, 0, "一般財源") "," C(3, 1, "1,223") "," C(3, 2, "1,300") "," C(3, 3, "1,700") "]]},"
  "{\"bbox\":[10,130,500,200],\"rows\":["
  "[" C(0, 0, "指標名") "," C(0, 1, "単位") "," C(0, 2, "区分") "," C(0, 3, "R4") "," C(0, 4, "R5") "," C(0, 5, "R6") "],"
  "[" RS(1, 0, "研修参加者数", 2) "," RS(1, 1, "人", 2) "," C(1, 2, "目標値") "," C(1, 3, "100") "," C(1, 4, "120") "," C(1, 5, "150") "],"
  "[" C(2, 2, "実績値") "," C(2, 3, "95") "," C(2, 4, "130") "," C(2, 5, "-") "]]},"
  "{\"bbox\":[10,210,500,260],\"rows\":["
  "[" C(0, 0, "指標") "," C(0, 1, "基準値") "," C(0, 2, "基準年度") "," C(0, 3, "目標値") "],"
  "[" C(1, 0, "満足度") "," C(1, 1, "60%") "," C(1, 2, "令和5年度") "," C(1, 3, "80%") "]]}]}\n"
  END;

/* The measure of `item` (or any, NULL) with this role and year, or NULL. */
static JsonObject *measure(GPtrArray *recs, const char *item, const char *role, gint64 fy)
{
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "measure") == 0 &&
        (item == NULL || g_strcmp0(kk_json_string(o, "item", ""), item) == 0) &&
        g_strcmp0(kk_json_string(o, "role", ""), role) == 0 && kk_json_int(o, "fiscal_year", 0) == fy)
      return o;
  }
  return NULL;
}

static void test_year_columns(void **state)
{
  char *dir = make_dir("years.kpat", years_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, years_stream);
  /* the list: two items, two departments kept apart, a wrapped title joined */
  JsonObject *i1 = nth(recs, "item", 0), *i2 = nth(recs, "item", 1);
  assert_string_equal(kk_json_string(i1, "department", ""), "市民課、情報政策課");
  assert_string_equal(kk_json_string(i2, "title", ""), "施設の見直し");
  /* one field per column; the two R6 columns named by their header path */
  assert_string_equal(field(i1, "実施計画R6"), "検討");
  assert_string_equal(field(i1, "効果額(千円)R7"), "1,200");
  /* schedules from the year columns: the year from the header cell */
  int n_sched = 0;
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "schedule") != 0)
      continue;
    n_sched++;
    assert_string_equal(kk_json_string(o, "kind", ""), "plan");
    if (g_strcmp0(kk_json_string(o, "item", ""), "i2") == 0 && kk_json_int(o, "fiscal_year", 0) == 2025)
      assert_string_equal(kk_json_string(o, "text", ""), "方針決定");
  }
  assert_int_equal(n_sched, 5); /* i1: R6, R7 (R8 blank); i2: R6, R7, R8 */
  /* effect amounts: one measure per year column, in yen from 千円 */
  JsonObject *m = measure(recs, "i1", "target", 2025);
  assert_non_null(m);
  assert_string_equal(kk_json_string(m, "label", ""), "効果額");
  assert_int_equal(kk_json_int(m, "value", 0), 1200000);
  assert_string_equal(kk_json_string(m, "unit", ""), "円");
  assert_null(measure(recs, "i1", "target", 2024)); /* "-": nothing */
  assert_int_equal(kk_json_int(measure(recs, "i2", "target", 2024), "value", 0), 500000);

  /* the card: below=yes takes the cell below, not the one to the right */
  JsonObject *i3 = nth(recs, "item", 2);
  assert_string_equal(kk_json_string(i3, "title", ""), "職員研修");
  assert_string_equal(field(i3, "事業の目的"), "職員の資質を高める");
  /* budgets per year column, the year from the header, 千円 from the caption */
  int n_budget = 0;
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "budget") != 0)
      continue;
    n_budget++;
    gint64 fy = kk_json_int(o, "fiscal_year", 0);
    assert_true(fy >= 2022 && fy <= 2024);
    assert_string_equal(kk_json_string(o, "item", ""), "i3");
    if (fy == 2022) {
      assert_int_equal(kk_json_int(o, "total", 0), 1523000);
      assert_int_equal(kk_json_int(o, "national", 0), 300000);
      assert_int_equal(kk_json_int(o, "general_fund", 0), 1223000);
    }
    if (fy == 2024)
      assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(o, "national")));
  }
  assert_int_equal(n_budget, 3);
  /* KPI rows per year: label from the label cell, unit 人 from the unit
   * column, never the cost table's 千円 */
  m = measure(recs, NULL, "target", 2023);
  assert_non_null(m);
  assert_string_equal(kk_json_string(m, "label", ""), "研修参加者数");
  assert_int_equal(kk_json_int(m, "value", 0), 120);
  assert_string_equal(kk_json_string(m, "unit", ""), "人");
  m = measure(recs, NULL, "actual", 2022);
  assert_non_null(m);
  assert_int_equal(kk_json_int(m, "value", 0), 95);
  assert_null(measure(recs, NULL, "actual", 2024));
  /* KPI columns: 基準値 with its 基準年度 column, 目標値 for the plan's end */
  for (guint i = 0; g_getenv("KK_DEBUG") && i < recs->len; i++) {
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
    json_node_set_object(n, g_ptr_array_index(recs, i));
    g_autofree char *js = json_to_string(n, FALSE);
    fprintf(stderr, "%s\n", js);
  }
  m = measure(recs, NULL, "baseline", 2023);
  assert_non_null(m);
  assert_string_equal(kk_json_string(m, "label", ""), "満足度");
  assert_true(kk_json_double(m, "value", 0) == 60.0);
  assert_string_equal(kk_json_string(m, "unit", ""), "%");
  remove_dir(dir);
}

/* ---- a list cut into sections: a numbered heading right above each
 * table gives its rows' category (heading above=table); the units caption
 * printed once holds for the later tables of the same header rows, on the
 * next page too, until another caption says otherwise, and never for a
 * table of other header rows ---- */

static const char *sections_kpat =
  "family sections\n[recognise]\nscore 10 where=cell /^事業名$/\n"
  "[category]\nheading above=table /^\\d+\\s*(\\D\\S*)$/\n"
  "[list]\nheader /^事業名$/\ncolumn as=item_no /^番号$/\ncolumn as=title /^事業名$/\n"
  "[budget]\ncolumn total /^予算額$/\ncolumn general_fund /^一般財源$/\n"
  "[units]\nunit /単位[:：](千円|円)/\n";

#define SEC_HEAD(r) "[" C(r, 0, "番号") "," C(r, 1, "事業名") "," C(r, 2, "予算額") "," C(r, 3, "一般財源") "]"
#define SEC_ROW(r, no, name, a, b) "[" C(r, 0, no) "," C(r, 1, name) "," C(r, 2, a) "," C(r, 3, b) "]"
static const char *sections_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":["
  "{\"text\":\"(単位:千円)\",\"bbox\":[400,5,500,15]},"
  "{\"text\":\"1 子育て\",\"bbox\":[10,20,100,30]},"
  /* a numbered line over a paragraph, not over a table: no heading (the
   * next table, headed by nothing, stays in 子育て) */
  "{\"text\":\"2 説明\",\"bbox\":[10,150,100,160]},"
  "{\"text\":\"この表は主な事業の一覧です。\",\"bbox\":[10,165,300,175]}],"
  "\"tables\":[{\"bbox\":[10,35,500,80],\"header_rows\":1,\"rows\":["
  SEC_HEAD(0) "," SEC_ROW(1, "1", "保育事業", "1,000", "400") "]},"
  "{\"bbox\":[10,190,500,240],\"header_rows\":1,\"rows\":["
  SEC_HEAD(0) "," SEC_ROW(1, "2", "介護事業", "2,000", "500") "]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":["
  "{\"text\":\"4 行政\",\"bbox\":[10,20,100,30]},"
  "{\"text\":\"参考\",\"bbox\":[10,100,100,110]}],"
  "\"tables\":[{\"bbox\":[10,35,500,80],\"header_rows\":1,\"rows\":["
  SEC_HEAD(0) "," SEC_ROW(1, "3", "窓口事業", "3,000", "600") "]},"
  /* other header rows: the caption does not reach it */
  "{\"bbox\":[10,115,500,160],\"header_rows\":1,\"rows\":["
  "[" C(0, 0, "区分") "," C(0, 1, "金額") "],[" C(1, 0, "歳入") "," C(1, 1, "700") "]]}]}\n"
  "{\"type\":\"page\",\"page\":3,\"lines\":["
  "{\"text\":\"(単位:円)\",\"bbox\":[400,5,500,15]},"
  "{\"text\":\"5 産業\",\"bbox\":[10,20,100,30]}],"
  "\"tables\":[{\"bbox\":[10,35,500,80],\"header_rows\":1,\"rows\":["
  SEC_HEAD(0) "," SEC_ROW(1, "4", "観光事業", "4,000", "800") "]}]}\n"
  "{\"type\":\"page\",\"page\":4,\"lines\":[],"
  "\"tables\":[{\"bbox\":[10,35,500,80],\"header_rows\":1,\"rows\":["
  SEC_HEAD(0) "," SEC_ROW(1, "5", "創業事業", "5,000", "900") "]}]}\n"
  END;

/* The budget of item `key`, or NULL. */
static JsonObject *budget_of(GPtrArray *recs, const char *key)
{
  for (int n = 0; nth(recs, "budget", n); n++)
    if (g_strcmp0(kk_json_string(nth(recs, "budget", n), "item", ""), key) == 0)
      return nth(recs, "budget", n);
  return NULL;
}

/* The unit of the fact of table `table` at (row, col), or "none". */
static const char *fact_unit(GPtrArray *recs, int table, int row, int col)
{
  g_autofree char *key = g_strdup_printf("t%d", table);
  for (int n = 0; nth(recs, "fact", n); n++) {
    JsonObject *o = nth(recs, "fact", n);
    if (g_strcmp0(kk_json_string(o, "table", ""), key) == 0 && kk_json_int(o, "row", -1) == row &&
        kk_json_int(o, "col", -1) == col)
      return kk_json_string(o, "unit", "none");
  }
  return "none";
}

static void test_sections_and_caption_units(void **state)
{
  char *dir = make_dir("sections.kpat", sections_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, sections_stream);
  assert_int_equal(count(recs, "item"), 5);
  static const char *const cats[] = { "子育て", "子育て", "行政", "産業", "産業" };
  for (int i = 0; i < 5; i++)
    assert_string_equal(kk_json_string(nth(recs, "item", i), "category", ""), cats[i]);
  /* 千円 from page 1's caption, on page 1 and on page 2 (same header rows) */
  assert_int_equal(kk_json_int(budget_of(recs, "i1"), "total", 0), 1000000);
  assert_int_equal(kk_json_int(budget_of(recs, "i2"), "total", 0), 2000000);
  assert_int_equal(kk_json_int(budget_of(recs, "i3"), "general_fund", 0), 600000);
  /* page 3's caption says 円: it and the tables after it */
  assert_int_equal(kk_json_int(budget_of(recs, "i4"), "total", 0), 4000);
  assert_int_equal(kk_json_int(budget_of(recs, "i5"), "total", 0), 5000);
  /* the table facts the same way; the table of other header rows has none */
  assert_string_equal(fact_unit(recs, 3, 1, 2), "円");
  assert_string_equal(fact_unit(recs, 4, 1, 1), "none");
  remove_dir(dir);
}

/* ---- other producers' layouts of the same facts: 現状値 beside 基準値
 * (role beside=), items from 基本目標 heading lines and from group cells
 * (item-line where=cell), a category row across a list (heading
 * where=cell), an outlook table turned round and one with section rows,
 * a card whose start cell is not its first label with a schedule table
 * whose columns are fiscal years ---- */

static const char *layouts_kpat =
  "family layouts\n[recognise]\nscore 10 where=cell /^指標$/\n"
  "[category]\nheading where=cell /^\\d+\\s*(\\D.*)$/\n"
  "[card]\nitem-line /^基本目標(?<item_no>\\d+)\\s*(?<title>\\D\\S*)$/\n"
  "item-line where=cell /^(?<item_no>\\d+)(?<title>\\D\\S*)$/\n"
  "start /^取組番号$/\nlabel as=item_no /^取組番号$/\nlabel as=department /^所管部署$/\n"
  "schedule /^令和\\d+年度\\((?:実績|計画)\\)$/\n"
  "[list]\nheader /^取組項目$/\ncolumn as=item_no /^No$/\ncolumn as=title /^取組項目$/\n"
  "[measures]\nrole actual beside=baseline /^現状値/\nrole baseline /^(?:現状値|基準値)/\nrole target /^目標値/\n"
  "[series]\nyear /^令和\\d+年度$/\ntitle /^([^\\s(:]{1,6})$/\n";

static const char *layouts_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"基本目標1 しごとをつくる\",\"bbox\":[10,5,300,15]},"
  "{\"text\":\"歳入\",\"bbox\":[10,105,60,115]}],"
  "\"tables\":[{\"bbox\":[10,20,500,60],\"rows\":["
  "[" C(0, 0, "指標") "," C(0, 1, "基準値") "," C(0, 2, "基準年度") "," C(0, 3, "現状値(令和4年度)") "," C(0, 4, "目標値(令和6年度)") "],"
  "[" C(1, 0, "従業者数") "," C(1, 1, "100人") "," C(1, 2, "令和元年度") "," C(1, 3, "110人") "," C(1, 4, "120人") "]]},"
  "{\"bbox\":[10,120,500,160],\"rows\":["
  "[" C(0, 0, "年度") "," C(0, 1, "地方税") "," C(0, 2, "歳入合計") "],"
  "[" C(1, 0, "令和6年度") "," C(1, 1, "10") "," C(1, 2, "20") "],"
  "[" C(2, 0, "令和7年度") "," C(2, 1, "11") "," C(2, 2, "21") "]]},"
  "{\"bbox\":[10,170,500,200],\"rows\":["
  "[" C(0, 0, "区分") "," C(0, 1, "令和6年度") "," C(0, 2, "令和7年度") "],"
  "[" CSP(1, 0, "歳出", 3) "],"
  "[" C(2, 0, "人件費") "," C(2, 1, "5") "," C(2, 2, "6") "]]}]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":[],\"tables\":[{\"bbox\":[10,20,500,60],\"rows\":["
  "[" C(0, 0, "基本目標") "," C(0, 1, "指標") "," C(0, 2, "基準値") "," C(0, 3, "目標値") "],"
  "[" RS(1, 0, "2ひとの流れ", 2) "," C(1, 1, "転入者数") "," C(1, 2, "50人") "," C(1, 3, "60人") "],"
  "[" C(2, 1, "転出者数") "," C(2, 2, "40人") "," C(2, 3, "30人") "]]},"
  "{\"bbox\":[10,70,500,120],\"rows\":["
  "[" C(0, 0, "No") "," C(0, 1, "取組項目") "],"
  "[" CSP(1, 0, "1 財政の改革", 2) "],"
  "[" C(2, 0, "1") "," C(2, 1, "補助金の見直し") "]]},"
  "{\"bbox\":[10,130,500,160],\"rows\":["
  "[" C(0, 0, "所管部署") "," C(0, 1, "広報課") "," C(0, 2, "取組番号") "," C(0, 3, "A-01") "]]},"
  "{\"bbox\":[10,170,500,200],\"rows\":["
  "[" C(0, 0, "年度") "," C(0, 1, "令和5年度(実績)") "," C(0, 2, "令和6年度(計画)") "],"
  "[" C(1, 0, "取組内容") "," C(1, 1, "検討") "," C(1, 2, "実施") "]]}]}\n"
  END;

/* The series record of `title`/`label`/`fy`, or NULL. */
static JsonObject *series(GPtrArray *recs, const char *title, const char *label, gint64 fy)
{
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "series") == 0 &&
        g_strcmp0(kk_json_string(o, "table_title", ""), title) == 0 &&
        g_strcmp0(kk_json_string(o, "row_label", ""), label) == 0 && kk_json_int(o, "fiscal_year", 0) == fy)
      return o;
  }
  return NULL;
}

static void test_other_layouts(void **state)
{
  char *dir = make_dir("layouts.kpat", layouts_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, layouts_stream);
  /* a heading line begins an item; 現状値 beside 基準値 is the actual value */
  JsonObject *i1 = nth(recs, "item", 0);
  assert_string_equal(kk_json_string(i1, "item_no", ""), "1");
  assert_string_equal(kk_json_string(i1, "title", ""), "しごとをつくる");
  JsonObject *m = measure(recs, "i1", "actual", 2022);
  assert_non_null(m);
  assert_int_equal(kk_json_int(m, "value", 0), 110);
  assert_int_equal(kk_json_int(measure(recs, "i1", "baseline", 2019), "value", 0), 100);
  assert_null(measure(recs, "i1", "baseline", 2022));
  /* turned round: years down the first column, the heading above as title */
  assert_non_null(series(recs, "歳入", "地方税", 2025));
  assert_int_equal(kk_json_int(series(recs, "歳入", "歳入合計", 2024), "value", 0), 20);
  /* a row across an outlook table titles the rows below it */
  assert_int_equal(kk_json_int(series(recs, "歳出", "人件費", 2025), "value", 0), 6);
  /* a group cell begins an item holding its rows' measures; 現状値 is not
   * there, so nothing is actual */
  JsonObject *i2 = nth(recs, "item", 1);
  assert_string_equal(kk_json_string(i2, "title", ""), "ひとの流れ");
  const char *k2 = kk_json_string(i2, "key", "");
  int n2 = 0;
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "measure") == 0 && g_strcmp0(kk_json_string(o, "item", ""), k2) == 0)
      n2++;
  }
  assert_int_equal(n2, 4);
  /* a category row across a list: no item, the category of the row below */
  JsonObject *i3 = nth(recs, "item", 2);
  assert_string_equal(kk_json_string(i3, "title", ""), "補助金の見直し");
  assert_string_equal(kk_json_string(i3, "category", ""), "財政の改革");
  /* a card starting with 所管部署: one item, its schedule columns */
  JsonObject *i4 = nth(recs, "item", 3);
  assert_string_equal(kk_json_string(i4, "item_no", ""), "A-01");
  assert_string_equal(kk_json_string(i4, "department", ""), "広報課");
  assert_null(nth(recs, "item", 4));
  int n_sched = 0;
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "schedule") != 0)
      continue;
    n_sched++;
    if (kk_json_int(o, "fiscal_year", 0) == 2023) {
      assert_string_equal(kk_json_string(o, "kind", ""), "actual");
      assert_string_equal(kk_json_string(o, "text", ""), "検討");
    }
  }
  assert_int_equal(n_sched, 2);
  remove_dir(dir);
}

static void test_explain_grids_and_warnings(void **state)
{
  /* a list header with no rows under it: taken, nothing made */
  const char *kpat = "family w\n[recognise]\nscore 10 where=cell /^取組項目$/\n"
                     "[list]\nheader /^取組項目$/\ncolumn as=title /^取組項目$/\n[meeting]\nlabel as=place /^場所$/\n";
  const char *stream = DOC
    "{\"type\":\"page\",\"page\":1,\"tables\":[{\"rows\":[[" C(0, 0, "取組項目") "," C(0, 1, "内容") "]]},"
    "{\"rows\":[[" C(0, 0, "備考") "," C(0, 1, "なし") "]]}]}\n" END;
  char *dir = make_dir("w.kpat", kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  char *buf = NULL;
  g_autoptr(GPtrArray) recs = run_explained(p, stream, &buf);
  assert_non_null(strstr(buf, "table     p1   #0 1x2 ruled -> [list]"));
  assert_non_null(strstr(buf, "| 取組項目 | 内容 |"));
  assert_non_null(strstr(buf, "warning: p1: table 1x2 starting '取組項目' was taken by [list] but gave no records"));
  assert_non_null(strstr(buf, "-> no section"));
  assert_non_null(strstr(buf, "rules that never matched: 1"));
  assert_non_null(strstr(buf, "w.kpat:8 [meeting] label /^場所$/"));
  free(buf);
  remove_dir(dir);
}

/* ---- schedule grids: fiscal years across a header row, kind rows down
 * (計画 / 実績, 予定 / 結果) in a card; a kind column (区分) in a list; a
 * role heading a row with no label cell makes no measure ---- */

static const char *grid_kpat =
  "family grid\n[recognise]\nscore 10 where=cell /^取組番号$/\n"
  "[card]\nstart /^取組番号$/\nlabel as=item_no /^取組番号$/\nlabel as=title /^取組名$/\n"
  "schedule /^(?:計画|実績)$/\nschedule kind=actual /^結果$/\nschedule /^予定$/\n"
  "[list]\nheader /^取組項目$/\ncolumn as=item_no /^No$/\ncolumn as=title /^取組項目$/\n"
  "schedule /^R\\d+$/\nschedule /^(?:計画|実績)$/\n"
  "[measures]\nrole actual /^実績値$/\n";

static const char *grid_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":[],\"tables\":["
  /* card 1: label table, then a grid table (years across, 計画 / 実績 down) */
  "{\"bbox\":[10,20,500,40],\"rows\":["
  "[" C(0, 0, "取組番号") "," C(0, 1, "1-1") "],[" C(1, 0, "取組名") "," C(1, 1, "窓口の改善") "],"
  "[" C(2, 0, "実績") "," C(2, 1, "年度の表の外") "]]},"
  "{\"bbox\":[10,45,500,80],\"rows\":["
  "[" C(0, 0, "年度") "," C(0, 1, "令和6年度") "," C(0, 2, "令和7年度") "," C(0, 3, "令和8年度") "],"
  "[" C(1, 0, "計画") "," C(1, 1, "対象の選定") "," C(1, 2, "20件で開始") "," C(1, 3, "全件へ拡大") "],"
  "[" C(2, 0, "実績") "," C(2, 1, "30件を選定") "," C(2, 2, "―") "," C(2, 3, "ー") "]]},"
  /* card 2: one table, the grid under the labels, other words, R-years */
  "{\"bbox\":[10,90,500,140],\"rows\":["
  "[" C(0, 0, "取組番号") "," CSP(0, 1, "1-2", 2) "],[" C(1, 0, "取組名") "," CSP(1, 1, "施設の見直し", 2) "],"
  "[" C(2, 0, "区分") "," C(2, 1, "R6") "," C(2, 2, "R7") "],"
  "[" C(3, 0, "予定") "," C(3, 1, "調査") "," C(3, 2, "方針決定") "],"
  "[" C(4, 0, "結果") "," C(4, 1, "調査済") "," C(4, 2, "-") "]]},"
  /* a year table whose 実績値 row has no label cell: no measure */
  "{\"bbox\":[10,150,500,170],\"rows\":["
  "[" C(0, 0, "年度") "," C(0, 1, "R6") "," C(0, 2, "R7") "],"
  "[" C(1, 0, "実績値") "," C(1, 1, "5件") "," C(1, 2, "6件") "]]}]}\n"
  /* a list with a 区分 column: each item a 計画 row and a 実績 row */
  "{\"type\":\"page\",\"page\":2,\"lines\":[],\"tables\":[{\"bbox\":[10,20,500,100],\"rows\":["
  "[" C(0, 0, "No") "," C(0, 1, "取組項目") "," C(0, 2, "区分") "," C(0, 3, "R6") "," C(0, 4, "R7") "],"
  "[" RS(1, 0, "1", 2) "," RS(1, 1, "補助金の見直し", 2) "," C(1, 2, "計画") "," C(1, 3, "検討") "," C(1, 4, "実施") "],"
  "[" C(2, 2, "実績") "," C(2, 3, "検討済") "," C(2, 4, "―") "],"
  "[" C(3, 0, "2") "," C(3, 1, "公共施設") "," C(3, 2, "計画") "," C(3, 3, "調査") "," C(3, 4, "方針") "]]}]}\n"
  END;

/* The schedule of `item` for (fy, kind), or NULL. */
static JsonObject *schedule(GPtrArray *recs, const char *item, gint64 fy, const char *kind)
{
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "schedule") == 0 &&
        g_strcmp0(kk_json_string(o, "item", ""), item) == 0 && kk_json_int(o, "fiscal_year", 0) == fy &&
        g_strcmp0(kk_json_string(o, "kind", ""), kind) == 0)
      return o;
  }
  return NULL;
}

static void test_schedule_grids(void **state)
{
  char *dir = make_dir("g.kpat", grid_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  char *buf = NULL;
  g_autoptr(GPtrArray) recs = run_explained(p, grid_stream, &buf);
  assert_int_equal(count(recs, "item"), 4);
  /* card 1: three plans, one result; the dashes (―, ー) give none */
  assert_string_equal(kk_json_string(schedule(recs, "i1", 2024, "plan"), "text", ""), "対象の選定");
  assert_string_equal(kk_json_string(schedule(recs, "i1", 2025, "plan"), "text", ""), "20件で開始");
  assert_string_equal(kk_json_string(schedule(recs, "i1", 2026, "plan"), "text", ""), "全件へ拡大");
  assert_string_equal(kk_json_string(schedule(recs, "i1", 2024, "actual"), "text", ""), "30件を選定");
  assert_null(schedule(recs, "i1", 2025, "actual"));
  assert_null(schedule(recs, "i1", 2026, "actual"));
  /* card 2: 予定 is a plan, 結果 (kind=actual) a result, the years R6 / R7 */
  assert_string_equal(kk_json_string(schedule(recs, "i2", 2024, "plan"), "text", ""), "調査");
  assert_string_equal(kk_json_string(schedule(recs, "i2", 2025, "plan"), "text", ""), "方針決定");
  assert_string_equal(kk_json_string(schedule(recs, "i2", 2024, "actual"), "text", ""), "調査済");
  assert_null(schedule(recs, "i2", 2025, "actual"));
  /* the list: item 1's 実績 row is its results, not more plan text */
  assert_string_equal(kk_json_string(schedule(recs, "i3", 2024, "plan"), "text", ""), "検討");
  assert_string_equal(kk_json_string(schedule(recs, "i3", 2025, "plan"), "text", ""), "実施");
  assert_string_equal(kk_json_string(schedule(recs, "i3", 2024, "actual"), "text", ""), "検討済");
  assert_null(schedule(recs, "i3", 2025, "actual"));
  assert_string_equal(kk_json_string(schedule(recs, "i4", 2025, "plan"), "text", ""), "方針");
  assert_int_equal(count(recs, "schedule"), 12);
  /* the grid's header and kind labels are no card fields */
  JsonObject *i1 = nth(recs, "item", 0);
  assert_null(field(i1, "年度"));
  assert_null(field(i1, "計画"));
  /* a role row without a label cell: no measure (never one labelled null) */
  assert_int_equal(count(recs, "measure"), 0);
  assert_non_null(strstr(buf, "no label cell left of it in its row: no measure"));
  /* 実績 outside a year table: said, and listed as a labelled cell no rule used */
  assert_non_null(strstr(buf, "schedule label '実績' on p1 names no fiscal year and stands under no header row"));
  assert_non_null(strstr(buf, "p1: 実績"));
  assert_null(strstr(buf, "p1: 30件を選定")); /* a grid's values are not labels */
  /* --explain shows a schedule's item before the line is cut */
  assert_non_null(strstr(buf, "{\"type\":\"schedule\",\"item\":\"i1\""));
  free(buf);
  remove_dir(dir);
}

/* ---- no family, cut stream, broken and duplicate pattern files ---- */

/* ---- structure, not content: a title box of its own starts an item,
 * whatever its department is called; a name with 市 inside is read whole ---- */

static const char *titlebox_kpat =
  "family titlebox\n[recognise]\nrequire /主要施策/\nscore 10 /主要施策/\ndecide 10\n"
  "[document]\n"
  "municipality /(?:三重県|福岡県)(?|([^\\s、。]+?[市町村])(?=$|[\\s、。]|の|は)|([^\\s、。]+?[市町村]))/\n"
  "[card]\nitem-row rows=1 /^(?<title>[^\\t]+)\\t(?<department>[^\\t]+)$/\n"
  "text-label /^【([^】]+)】$/\n";

static const char *titlebox_stream =
  DOC
  "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"主要施策の成果\",\"size\":20},"
  "{\"text\":\"三重県四日市市\",\"size\":12}],\"tables\":[]}\n"
  "{\"type\":\"page\",\"page\":2,\"lines\":[],\"tables\":["
  "{\"ruled\":true,\"rows\":[[" C(0, 0, "防犯灯設置補助金") "," C(0, 1, "危機管理センター") "]]},"
  "{\"ruled\":true,\"rows\":[[" C(0, 0, "報酬") "," C(0, 1, "5,748円") "],"
  "[" C(1, 0, "期末手当") "," C(1, 1, "130円") "]]}]}\n"
  END;

static void test_title_box_and_municipality(void **state)
{
  char *dir = make_dir("titlebox.kpat", titlebox_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, titlebox_stream);
  JsonObject *doc = g_ptr_array_index(recs, 0);
  assert_string_equal(kk_json_string(doc, "municipality", ""), "四日市市");
  assert_int_equal(count(recs, "item"), 1);
  JsonObject *it = nth(recs, "item", 0);
  assert_string_equal(kk_json_string(it, "title", ""), "防犯灯設置補助金");
  assert_string_equal(kk_json_string(it, "department", ""), "危機管理センター");
  remove_dir(dir);
  /* rows= takes a number */
  dir = make_dir("bad.kpat", "family bad\n[card]\nitem-row rows=x /a/\n", NULL, NULL);
  g_autoptr(GError) e2 = NULL;
  g_autoptr(KkParser) bad = kk_parser_new(dir, &e2);
  assert_null(bad);
  assert_non_null(e2);
  assert_non_null(strstr(e2->message, "rows=x"));
  remove_dir(dir);
}

static void test_no_family_still_searchable(void **state)
{
  char *dir = make_dir("lists.kpat", list_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, DOC "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"ただの文章\"}]}\n" END);
  assert_int_equal(recs->len, 3);
  JsonObject *doc = g_ptr_array_index(recs, 0);
  assert_true(JSON_NODE_HOLDS_NULL(json_object_get_member(doc, "family")));
  assert_string_equal(kk_json_string(nth(recs, "page", 0), "text", ""), "ただの文章");
  remove_dir(dir);
}

/* A family whose marks come only after the first pages is still found;
 * the pages before keep their page records. */
static void test_late_recognition(void **state)
{
  char *dir = make_dir("lists.kpat", list_kpat, NULL, NULL);
  g_autoptr(GError) e = NULL;
  g_autoptr(KkParser) p = kk_parser_new(dir, &e);
  GString *stream = g_string_new(DOC);
  for (int i = 1; i <= 20; i++)
    g_string_append_printf(stream, "{\"type\":\"page\",\"page\":%d,\"lines\":[{\"text\":\"議事 %d\"}]}\n", i, i);
  g_string_append(stream, "{\"type\":\"page\",\"page\":21,\"tables\":[{\"rows\":[" HDR ","
                  "[" C(1, 0, "1") "," C(1, 1, "窓口改善") "," C(1, 2, "市民課") "," C(1, 3, "短縮") "]]}]}\n" END);
  g_autoptr(GPtrArray) recs = run(p, stream->str);
  g_string_free(stream, TRUE);
  assert_int_equal(count(recs, "page"), 21);
  assert_int_equal(count(recs, "item"), 1);
  assert_string_equal(kk_json_string(nth(recs, "item", 0), "title", ""), "窓口改善");
  assert_string_equal(kk_json_string(g_ptr_array_index(recs, 0), "family", ""), "lists");
  remove_dir(dir);
}

/* Recognition tests a text the document showed before only once per kind:
 * a label printed as a line on twenty pages (tested there by the line
 * rule) still counts when it comes as a table cell, and in the next
 * document as in the first. */
static void test_recognition_remembers_texts_by_kind(void **state)
{
  char *dir = make_dir("marks.kpat",
                       "family marks\n[recognise]\nrequire where=cell /^番号$/\nscore 10 where=cell /^番号$/\n"
                       "score 1 where=line /^目次$/\ndecide 10\n",
                       NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  GString *stream = g_string_new(DOC);
  for (int i = 1; i <= 20; i++)
    g_string_append_printf(stream, "{\"type\":\"page\",\"page\":%d,\"lines\":[{\"text\":\"番号\"}]}\n", i);
  g_string_append(stream, "{\"type\":\"page\",\"page\":21,\"tables\":[{\"rows\":[[" C(0, 0, "番号") "]]}]}\n" END);
  for (int run_no = 0; run_no < 2; run_no++) {
    g_autoptr(GPtrArray) recs = run(p, stream->str);
    assert_int_equal(count(recs, "page"), 21);
    assert_string_equal(kk_json_string(g_ptr_array_index(recs, 0), "family", ""), "marks");
  }
  g_string_free(stream, TRUE);
  remove_dir(dir);
}

static void test_cut_stream_emits_nothing(void **state)
{
  char *dir = make_dir("lists.kpat", list_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, DOC "{\"type\":\"page\",\"page\":1,\"lines\":[{\"text\":\"x\"}]}\n");
  assert_int_equal(recs->len, 0);
  /* the parser is reusable for the next stream */
  g_autoptr(GPtrArray) next = run(p, list_stream);
  assert_int_equal(count(next, "item"), 3);
  remove_dir(dir);
}

static void test_stream_errors(void **state)
{
  char *dir = make_dir("lists.kpat", list_kpat, NULL, NULL);
  g_autoptr(GError) e = NULL;
  g_autoptr(KkParser) p = kk_parser_new(dir, &e);
  g_autoptr(JsonParser) jp = json_parser_new();
  assert_true(json_parser_load_from_data(jp, "{\"type\":\"page\",\"page\":1}", -1, NULL));
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  assert_false(kk_parser_feed(p, json_node_get_object(json_parser_get_root(jp)), collect, out, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  g_clear_error(&e);
  assert_true(json_parser_load_from_data(jp, "{\"type\":\"document\",\"format\":\"keikaku-records\"}", -1, NULL));
  assert_false(kk_parser_feed(p, json_node_get_object(json_parser_get_root(jp)), collect, out, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  remove_dir(dir);
}

static void test_broken_pattern_dir(void **state)
{
  char *dir = make_dir("a.kpat", list_kpat, "b.kpat", "family b\n[recognise]\nscore 1 /(unclosed/\n");
  g_autoptr(GError) e = NULL;
  KkParser *p = kk_parser_new(dir, &e);
  assert_null(p);
  assert_int_equal(e->code, KK_ERROR_PATTERN);
  assert_non_null(strstr(e->message, "b.kpat:3:"));
  assert_non_null(strstr(e->message, "offset"));
  remove_dir(dir);

  dir = make_dir("a.kpat", list_kpat, "b.kpat", list_kpat);
  g_clear_error(&e);
  assert_null(kk_parser_new(dir, &e));
  assert_non_null(strstr(e->message, "already defined"));
  remove_dir(dir);

  g_clear_error(&e);
  assert_null(kk_parser_new("/nonexistent-dir", &e));
  assert_int_equal(e->code, KK_ERROR_PATTERN);
}

/* Hostile pages: wrong types, absurd spans and indexes must not crash. */
static void test_hostile_pages(void **state)
{
  char *dir = make_dir("cards.kpat", cards_kpat, NULL, NULL);
  g_autoptr(KkParser) p = parser_in(dir);
  g_autoptr(GPtrArray) recs = run(p, DOC
    "{\"type\":\"page\",\"page\":\"x\",\"lines\":[{\"text\":5,\"table\":99},{\"text\":\"a\",\"spans\":[{\"start\":-1,\"end\":99,\"kind\":\"amount\",\"value\":1}]}],"
    "\"tables\":[{\"rows\":[[{\"text\":\"No.\",\"row\":-5,\"col\":1},{\"text\":\"No.\",\"row\":0,\"col\":100000,\"rowspan\":1000000}],7,[null]]},3]}\n"
    "{\"type\":\"page\",\"page\":2,\"tables\":[{\"rows\":[[" C(0, 0, "No.") ",{\"text\":\"1\",\"row\":0,\"col\":1,\"rowspan\":1000000000}]]}]}\n"
    /* numbers that have no JSON form once scaled or rounded */
    "{\"type\":\"page\",\"page\":3,\"tables\":[{\"bbox\":[1e308,0,1e308,1],\"rows\":[[" C(0, 0, "No.") ","
    "{\"text\":\"R3実績\",\"row\":0,\"col\":1,\"bbox\":[-1e308,1e308,0,0],"
    "\"spans\":[{\"start\":0,\"end\":2,\"kind\":\"fiscal_year\",\"value\":1e308},"
    "{\"start\":0,\"end\":2,\"kind\":\"fiscal_year_range\",\"value\":[1e308,-1e308]}]}]]}]}\n"
    END);
  assert_string_equal(kk_json_string(g_ptr_array_index(recs, recs->len - 1), "type", ""), "end");
  for (guint i = 0; i < recs->len; i++) {
    /* every record still prints as JSON that reads back */
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);
    json_node_set_object(n, g_ptr_array_index(recs, i));
    g_autofree char *js = json_to_string(n, FALSE);
    g_autoptr(JsonNode) back = json_from_string(js, NULL);
    assert_non_null(back);
  }
  remove_dir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cards),
    cmocka_unit_test(test_list_over_pages),
    cmocka_unit_test(test_measures_budgets_series_meetings),
    cmocka_unit_test(test_text_measures),
    cmocka_unit_test(test_text_measures_roles_and_years),
    cmocka_unit_test(test_title_box_and_municipality),
    cmocka_unit_test(test_year_columns),
    cmocka_unit_test(test_sections_and_caption_units),
    cmocka_unit_test(test_other_layouts),
    cmocka_unit_test(test_explain_grids_and_warnings),
    cmocka_unit_test(test_schedule_grids),
    cmocka_unit_test(test_no_family_still_searchable),
    cmocka_unit_test(test_late_recognition),
    cmocka_unit_test(test_recognition_remembers_texts_by_kind),
    cmocka_unit_test(test_cut_stream_emits_nothing),
    cmocka_unit_test(test_stream_errors),
    cmocka_unit_test(test_broken_pattern_dir),
    cmocka_unit_test(test_hostile_pages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
