/* test_parse_facts.c — patterns/facts.c on pages built by hand: units from
 * a caption, a header cell, a units row, a unit column and the cell itself
 * (and never from another table), exact scaling to yen, △/▲, fiscal years
 * from row and column headers, multi-level headers, row labels outermost
 * first, tables joined over a page break without their repeated header,
 * index columns, label/value pairs, charts and sparse grids. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-jsonl.h"
#include "patterns/facts.h"

/* ---- a page builder: captions and tables drawn from "a|b|c" rows ---- */

typedef struct {
  GString *lines, *tables;
} Page;

static void page_init(Page *p)
{
  p->lines = g_string_new(NULL);
  p->tables = g_string_new(NULL);
}

static void json_text(GString *s, const char *text)
{
  g_string_append_c(s, '"');
  for (const char *q = text; *q; q++) {
    if (*q == '"' || *q == '\\')
      g_string_append_c(s, '\\');
    if (*q == '\n')
      g_string_append(s, "\\n");
    else
      g_string_append_c(s, *q);
  }
  g_string_append_c(s, '"');
}

/* A line outside any table, its top at y. */
static void page_line(Page *p, const char *text, double y)
{
  if (p->lines->len)
    g_string_append_c(p->lines, ',');
  g_string_append(p->lines, "{\"text\":");
  json_text(p->lines, text);
  g_string_append_printf(p->lines, ",\"bbox\":[50,%.1f,300,%.1f],\"size\":10}", y, y + 10);
}

/* A table whose top is at `top`, 15 pt a row, 80 pt a column.  In a row
 * string cells are separated by '|'; "^" is a slot covered by the cell
 * above, "<" one covered by the cell to the left. */
static void page_table(Page *p, double top, int header_rows, gboolean continued, const char *extra,
                       const char *const *rows)
{
  int nrows = 0;
  while (rows[nrows])
    nrows++;
  GStrv *grid = g_new0(GStrv, nrows + 1);
  int ncols = 0;
  for (int r = 0; r < nrows; r++) {
    grid[r] = g_strsplit(rows[r], "|", -1);
    ncols = MAX(ncols, (int)g_strv_length(grid[r]));
  }
  if (p->tables->len)
    g_string_append_c(p->tables, ',');
  g_string_append_printf(p->tables,
                         "{\"bbox\":[50,%.1f,%d,%.1f],\"ruled\":true,\"header_rows\":%d,"
                         "\"continued_from_previous\":%s%s,\"rows\":[",
                         top, 50 + 80 * ncols, top + 15 * nrows, header_rows, continued ? "true" : "false",
                         extra ? extra : "");
  for (int r = 0; r < nrows; r++) {
    g_string_append(p->tables, r ? ",[" : "[");
    gboolean first = TRUE;
    for (int c = 0; grid[r][c]; c++) {
      const char *t = grid[r][c];
      if (strcmp(t, "^") == 0 || strcmp(t, "<") == 0)
        continue;
      int rs = 1, cs = 1;
      while (r + rs < nrows && c < (int)g_strv_length(grid[r + rs]) && strcmp(grid[r + rs][c], "^") == 0)
        rs++;
      while (grid[r][c + cs] && strcmp(grid[r][c + cs], "<") == 0)
        cs++;
      g_string_append(p->tables, first ? "{\"text\":" : ",{\"text\":");
      first = FALSE;
      json_text(p->tables, t);
      g_string_append_printf(p->tables,
                             ",\"bbox\":[%d,%.1f,%d,%.1f],\"row\":%d,\"col\":%d,\"rowspan\":%d,\"colspan\":%d}",
                             50 + 80 * c, top + 15 * r, 50 + 80 * (c + cs), top + 15 * (r + rs), r, c, rs, cs);
    }
    g_string_append_c(p->tables, ']');
  }
  g_string_append(p->tables, "]}");
  for (int r = 0; r < nrows; r++)
    g_strfreev(grid[r]);
  g_free(grid);
}

/* The page object (its builder is emptied). */
static JsonObject *page_take(Page *p, int no)
{
  g_autofree char *json = g_strdup_printf("{\"type\":\"page\",\"page\":%d,\"width\":595,\"height\":842,"
                                          "\"lines\":[%s],\"tables\":[%s]}",
                                          no, p->lines->str, p->tables->str);
  g_string_free(p->lines, TRUE);
  g_string_free(p->tables, TRUE);
  g_autoptr(JsonParser) jp = json_parser_new();
  assert_true(json_parser_load_from_data(jp, json, -1, NULL));
  return json_object_ref(json_node_get_object(json_parser_get_root(jp)));
}

/* KpFactsEmit: each record's line must read back as one JSON object. */
static gboolean collect(const char *line, gsize len, gpointer data, GError **error)
{
  g_autoptr(JsonParser) jp = json_parser_new();
  assert_true(json_parser_load_from_data(jp, line, (gssize)len, NULL));
  assert_non_null(memchr(line, '\n', len) == NULL ? line : NULL); /* one line */
  g_ptr_array_add(data, json_object_ref(json_node_get_object(json_parser_get_root(jp))));
  return TRUE;
}

/* Runs facts over the pages (NULL-terminated), returns the records. */
static GPtrArray *run_pages(JsonObject *first, ...)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  KpFacts *f = kp_facts_new(collect, out);
  va_list ap;
  va_start(ap, first);
  for (JsonObject *o = first; o; o = va_arg(ap, JsonObject *)) {
    KpPage *page = kp_page_from_json(o);
    g_autoptr(GError) e = NULL;
    assert_true(kp_facts_page(f, page, o, &e));
    kp_page_free(page);
    json_object_unref(o);
  }
  va_end(ap);
  g_autoptr(GError) e = NULL;
  assert_true(kp_facts_finish(f, &e));
  kp_facts_free(f);
  return out;
}

static guint count_type(GPtrArray *recs, const char *type)
{
  guint n = 0;
  for (guint i = 0; i < recs->len; i++)
    n += g_strcmp0(kk_json_string(g_ptr_array_index(recs, i), "type", ""), type) == 0;
  return n;
}

/* The fact with this row and column label (NULL matches a null label). */
static JsonObject *fact(GPtrArray *recs, const char *row, const char *col)
{
  for (guint i = 0; i < recs->len; i++) {
    JsonObject *o = g_ptr_array_index(recs, i);
    if (g_strcmp0(kk_json_string(o, "type", ""), "fact") == 0 &&
        g_strcmp0(kk_json_string(o, "row_label", NULL), row) == 0 &&
        g_strcmp0(kk_json_string(o, "column_label", NULL), col) == 0)
      return o;
  }
  fail_msg("no fact row=%s column=%s", row ? row : "(null)", col ? col : "(null)");
  return NULL;
}

static gboolean is_null(JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member(o, member);
  return n != NULL && JSON_NODE_HOLDS_NULL(n);
}

static void assert_fact(GPtrArray *recs, const char *row, const char *col, gint64 value, const char *unit, gint64 fy)
{
  JsonObject *o = fact(recs, row, col);
  assert_int_equal(kk_json_int(o, "value", -999), value);
  assert_string_equal(kk_json_string(o, "unit", "(null)"), unit ? unit : "(null)");
  if (fy)
    assert_int_equal(kk_json_int(o, "fiscal_year", 0), fy);
  else
    assert_true(is_null(o, "fiscal_year"));
}

/* ---- tests ---- */

/* A caption above the table scales plain numbers to yen; △ and ▲ are
 * negative; fiscal years come from column headers of every spelling. */
static void test_caption_unit_and_year_columns(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "図表1 歳入の推移", 60);
  page_line(&p, "(単位：千円)", 75);
  static const char *const rows[] = {
    "区分|R3|令和4年度|H30|2024年度",
    "地方税|1,234|△500|▲7|0",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, rows);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "table"), 1);
  assert_int_equal(count_type(r, "fact"), 4);
  assert_fact(r, "地方税", "R3", 1234000, "円", 2021);
  assert_fact(r, "地方税", "令和4年度", -500000, "円", 2022);
  assert_fact(r, "地方税", "H30", -7000, "円", 2018);
  assert_fact(r, "地方税", "2024年度", 0, "円", 2024);
  JsonObject *t = g_ptr_array_index(r, 0);
  assert_string_equal(kk_json_string(t, "title", ""), "図表1 歳入の推移");
  assert_string_equal(kk_json_string(t, "unit", ""), "千円");
  assert_int_equal(kk_json_int(t, "header_rows", -1), 1);
}

/* A caption belongs to the table right below it only: the second table,
 * under the first, gets no unit from it. */
static void test_caption_scoped_to_its_table(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位：百万円)", 75);
  static const char *const a[] = { "歳入|R7", "地方税|5,471", NULL };
  static const char *const b[] = { "歳出|R7", "人件費|3,440", NULL };
  page_table(&p, 90, 1, FALSE, NULL, a);
  page_table(&p, 130, 1, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "地方税", "R7", 5471000000, "円", 2025);
  assert_fact(r, "人件費", "R7", 3440, NULL, 2025);
}

/* Units from header cells (効果額（千円）, （単位：人） in a second header
 * row), from a units row, and from the cell itself (円, %, 件, 億円). */
static void test_units_from_headers_rows_and_cells(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "取組|効果額（千円）|参加者|件数|達成率",
    "^|<|（単位：人）|^|^",
    "窓口改善|1,500|43|81件|87.5%",
    "DX|1億5,000万円|7|3件|100%",
    NULL,
  };
  page_table(&p, 90, 2, FALSE, NULL, a);
  static const char *const b[] = {
    "目|本年度予算額|前年度予算額",
    "|千円|千円",
    "1 市民税|16,739,000|16,500,000",
    NULL,
  };
  page_table(&p, 300, 1, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "窓口改善", "効果額（千円）", 1500000, "円", 0);
  assert_fact(r, "DX", "効果額（千円）", 150000000, "円", 0);
  assert_fact(r, "窓口改善", "参加者", 43, "人", 0);
  assert_fact(r, "窓口改善", "件数", 81, "件", 0);
  JsonObject *pct = fact(r, "窓口改善", "達成率");
  assert_true(kk_json_double(pct, "value", 0) == 87.5);
  assert_string_equal(kk_json_string(pct, "unit", ""), "%");
  /* the units row is a header row and no label */
  assert_fact(r, "1 市民税", "本年度予算額", 16739000000, "円", 0);
  assert_fact(r, "1 市民税", "前年度予算額", 16500000000, "円", 0);
}

/* A 単位 column gives each row its unit; an index column (1, 2, 3) is no
 * fact, and part of the row's label only when a header names it (No.,
 * 番号); the year of a row label counts. */
static void test_unit_column_index_and_row_years(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "No.|指標|単位|基準値(令和6年度)|目標値(令和11年度)",
    "1|転入者数|人|1,200|1,500",
    "2|相談件数|件|81|100",
    "3|満足度|%|80.0|85.0",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  static const char *const b[] = {
    "指標|<|<|<",
    "1|実質収支|基準値(令和6年度決算)|△12.8億円 (実質単年度収支)",
    "^|^|目標値(令和11年度)|5億円以上",
    NULL,
  };
  page_table(&p, 300, 1, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "fact"), 8);
  assert_fact(r, "1 / 転入者数", "基準値(令和6年度)", 1200, "人", 2024);
  assert_fact(r, "2 / 相談件数", "目標値(令和11年度)", 100, "件", 2029);
  assert_fact(r, "3 / 満足度", "目標値(令和11年度)", 85, "%", 2029);
  assert_fact(r, "実質収支 / 基準値(令和6年度決算)", "指標", -1280000000, "円", 2024);
  JsonObject *o = fact(r, "実質収支 / 目標値(令和11年度)", "指標");
  assert_int_equal(kk_json_int(o, "value", 0), 500000000);
  assert_string_equal(kk_json_string(o, "raw", ""), "5億円以上");
}

/* Multi-level column headers join top to bottom; row labels spanning
 * rows join outermost first; two years or a range name no year. */
static void test_multilevel_headers_and_labels(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位：千円)", 75);
  static const char *const a[] = {
    "款|項|財源内訳|<|R6-R3|R4~R6",
    "^|^|国庫支出金|一般財源|^|^",
    "民生費|児童福祉費|1,000|2,000|3|4",
    "^|老人福祉費|5|6|7|8",
    NULL,
  };
  page_table(&p, 90, 2, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "民生費 / 児童福祉費", "財源内訳 / 国庫支出金", 1000000, "円", 0);
  assert_fact(r, "民生費 / 児童福祉費", "財源内訳 / 一般財源", 2000000, "円", 0);
  assert_fact(r, "民生費 / 老人福祉費", "財源内訳 / 一般財源", 6000, "円", 0);
  assert_fact(r, "民生費 / 老人福祉費", "R6-R3", 7000, "円", 0);
  assert_fact(r, "民生費 / 老人福祉費", "R4~R6", 8000, "円", 0);
}

/* An outer label written once above its rows (no merged cell) labels the
 * rows below it that have their own inner label when it is a heading (its
 * row holds no value); a 款 row with its own total (富士市's 歳入 list: 1
 * 市税 46,460,600 above 1 市民税 …) is a row like the others. */
static void test_group_label_written_once(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位：千円)", 75);
  static const char *const a[] = {
    "款|項|金額",
    "民生費||3,000",
    "|児童福祉費|1,000",
    "|老人福祉費|2,000",
    "衛生費||",
    "|保健衛生費|4,000",
    "合計||7,000",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "民生費", "金額", 3000000, "円", 0);
  assert_fact(r, "児童福祉費", "金額", 1000000, "円", 0);
  assert_fact(r, "老人福祉費", "金額", 2000000, "円", 0);
  assert_fact(r, "衛生費 / 保健衛生費", "金額", 4000000, "円", 0);
  assert_fact(r, "合計", "金額", 7000000, "円", 0);
}

/* 千円 printed at the top of an amount column, in its first cell after
 * the number (as extract writes "46,460,600 千円"), before it or on a
 * line above: the plain numbers below are in 千円 too. */
static void test_unit_in_first_cell(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "款|本年度予算額|前年度予算額|比較",
    "1 市税|46,460,600 千円|千円 47,449,800|千円\n△989,200",
    "11 地方交付税|100,000|100,000|0",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "1 市税", "本年度予算額", 46460600000, "円", 0);
  assert_fact(r, "11 地方交付税", "本年度予算額", 100000000, "円", 0);
  assert_fact(r, "11 地方交付税", "前年度予算額", 100000000, "円", 0);
  assert_fact(r, "11 地方交付税", "比較", 0, "円", 0);
}

/* Value columns without a unit of their own in a table whose other value
 * columns all state the same one (R3予算額(千円) | R4予算額(千円) | 増減)
 * share it; a ratio column does not.  A row label keeps a last line that
 * reads as a counter word (子育て支援\n課). */
static void test_shared_column_unit(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "主管課|R3年度予算額(千円)|R4年度予算額(千円)|増減|構成比",
    "子育て支援\n課|185,358|222,006|36,648|12.5",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "子育て支援課", "R4年度予算額(千円)", 222006000, "円", 2022);
  assert_fact(r, "子育て支援課", "増減", 36648000, "円", 0);
  JsonObject *o = fact(r, "子育て支援課", "構成比");
  assert_true(is_null(o, "unit"));
}

/* A cell holding a figure and a second one in brackets gives the first
 * (年3人（5年間で15人）); a label with a period in brackets stays a label. */
static void test_second_figure_in_brackets(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "指標|現状値(2014年度)|目標値(2019年度)",
    "留学生の受入数|2人|年3人（5年間で15人）",
    "第1期(2015～2019)|年111校|5",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "留学生の受入数", "目標値(2019年度)", 3, "人", 2019);
  assert_fact(r, "第1期(2015～2019)", "現状値(2014年度)", 111, "校", 2014);
}

/* A table continued on the next page is one table; its repeated header
 * row is dropped; the caption of the first page still scales its rows. */
static void test_joined_over_page_break(void **state)
{
  Page p1, p2;
  page_init(&p1);
  page_line(&p1, "第1表 歳入", 60);
  page_line(&p1, "(単位：千円)", 75);
  static const char *const a[] = { "款|金額", "市税|46,460,600", "地方譲与税|678,000", NULL };
  page_table(&p1, 90, 1, FALSE, NULL, a);
  page_init(&p2);
  static const char *const b[] = { "款|金額", "地方交付税|100,000", NULL };
  page_table(&p2, 40, 1, TRUE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p1, 4), page_take(&p2, 5), NULL);
  assert_int_equal(count_type(r, "table"), 1);
  JsonObject *t = g_ptr_array_index(r, 0);
  assert_int_equal(kk_json_int(t, "page", 0), 4);
  assert_int_equal(kk_json_int(t, "page_end", 0), 5);
  assert_int_equal(kk_json_int(t, "n_rows", 0), 4);
  assert_int_equal(json_array_get_length(kk_json_array(t, "cells")), 8);
  JsonObject *o = fact(r, "地方交付税", "金額");
  assert_int_equal(kk_json_int(o, "value", 0), 100000000);
  assert_int_equal(kk_json_int(o, "page", 0), 5);
  assert_int_equal(kk_json_int(o, "row", 0), 3);
  assert_int_equal(count_type(r, "fact"), 3);
}

/* A header row printed again on the next page is dropped even when
 * extract saw no header rows. */
static void test_repeated_first_row_without_header_rows(void **state)
{
  Page p1, p2;
  page_init(&p1);
  static const char *const a[] = { "区分|R6", "市税|100", NULL };
  page_table(&p1, 90, 0, FALSE, NULL, a);
  page_init(&p2);
  static const char *const b[] = { "区分|R6", "地方交付税|7", NULL };
  page_table(&p2, 40, 0, TRUE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p1, 1), page_take(&p2, 2), NULL);
  JsonObject *t = g_ptr_array_index(r, 0);
  assert_int_equal(kk_json_int(t, "n_rows", 0), 3);
  assert_int_equal(count_type(r, "fact"), 2);
  assert_fact(r, "地方交付税", "R6", 7, NULL, 2024);
}

/* A unit line at the foot of a page heads the next page's first table. */
static void test_unit_at_foot_of_previous_page(void **state)
{
  Page p1, p2;
  page_init(&p1);
  static const char *const a[] = { "内訳|金額", "報酬|100", NULL };
  page_line(&p1, "(単位：円)", 75);
  page_table(&p1, 90, 1, FALSE, NULL, a);
  page_line(&p1, "(単位：千円)", 800);
  page_init(&p2);
  static const char *const b[] = { "総額|一般財源", "13,552|10,914", NULL };
  page_table(&p2, 40, 1, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p1, 6), page_take(&p2, 7), NULL);
  assert_fact(r, "報酬", "金額", 100, "円", 0);
  assert_fact(r, NULL, "総額", 13552000, "円", 0);
  assert_fact(r, NULL, "一般財源", 10914000, "円", 0);
}

/* Exact decimals: 1.5 百万円 is 1500000 yen, 0.5 千円 500; a value that
 * would overflow 64 bits is null with its raw text, never wrapped. */
static void test_exact_scaling_and_overflow(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "単位：百万円", 75);
  static const char *const a[] = { "区分|額", "A|1.5", "B|0.0005", "C|90,000,000,000,000", NULL };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "A", "額", 1500000, "円", 0);
  assert_fact(r, "B", "額", 500, "円", 0);
  JsonObject *o = fact(r, "C", "額");
  assert_true(is_null(o, "value"));
  assert_string_equal(kk_json_string(o, "raw", ""), "90,000,000,000,000");
}

/* Label/value pairs side by side label their own values; dashes and
 * cells of several values give no fact. */
static void test_pairs_and_non_values(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "小郡小学校区|1,435,141円|のぞみが丘小学校区|900,949円",
    "大原小学校区|—|立石小学校区|(12.98%)<△16.5億円>",
    NULL,
  };
  page_table(&p, 90, 0, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "fact"), 2);
  assert_fact(r, "小郡小学校区", NULL, 1435141, "円", 0);
  assert_fact(r, "のぞみが丘小学校区", NULL, 900949, "円", 0);
}

/* A table aligned by white space beside running text: the sentences are
 * no labels, list marks (1) (2) are no facts, and "22億6,220" beside a
 * 万円 unit column reads as 22億6,220万円. */
static void test_prose_marks_and_big_units(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "日まで開催された村議会において成立しました。予算総額は|(1)|予算総額|22億6,220|万円",
    "円となり、前年度比1億5,770万円の減となっ|(2)|一般会計|19億8,300|万円",
    "ています。|(3)|特別会計|7,920|万円",
    NULL,
  };
  page_table(&p, 90, 0, FALSE, ",\"ruled\":false", a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "fact"), 3);
  assert_fact(r, "予算総額", NULL, 2262200000, "円", 0);
  assert_fact(r, "一般会計", NULL, 1983000000, "円", 0);
  assert_fact(r, "特別会計", NULL, 79200000, "円", 0);
}

/* A units row run into the header cells ("職員数\n人") and a unit on the
 * first line of a column's first cell ("千円\n500\n500") beat the caption. */
static void test_units_run_into_cells(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位 円)", 75);
  static const char *const a[] = {
    "区分|職員数\n人|給料|節金額",
    "市長等|5|46,512|千円\n500\n500",
    "議員|32|0|1,000",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "市長等", "職員数", 5, "人", 0);
  assert_fact(r, "議員", "職員数", 32, "人", 0);
  assert_fact(r, "市長等", "給料", 46512, "円", 0);
  assert_fact(r, "議員", "節金額", 1000000, "円", 0);
}

/* Codes (款 項 目: small integers) between the words that name a row and
 * its amount are no facts and leave the words a label; an age band
 * ("0～4歳") is a label, not two values. */
static void test_codes_and_ranges(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位：千円)", 75);
  static const char *const a[] = {
    "担当課|款|項|目|事業名|金額",
    "情報政策課|2|1|1|電子自治体推進事業費|80,764",
    "地籍調査課|2|1|10|国土調査事業費|139,039",
    NULL,
  };
  page_table(&p, 90, 1, FALSE, NULL, a);
  static const char *const b[] = {
    "|<|昭和55年(1980)|平成22年(2010)",
    "年少人口|0～4歳|115|16",
    "^|5～9歳|168|15",
    NULL,
  };
  page_table(&p, 300, 1, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "fact"), 6);
  assert_fact(r, "情報政策課 / 電子自治体推進事業費", "金額", 80764000, "円", 0);
  assert_fact(r, "地籍調査課 / 国土調査事業費", "金額", 139039000, "円", 0);
  assert_fact(r, "年少人口 / 0～4歳", "昭和55年(1980)", 115, NULL, 1980);
  assert_fact(r, "年少人口 / 5～9歳", "平成22年(2010)", 15, NULL, 2010);
}

/* A grid that is mostly empty (a chart's words) gives no facts; a table
 * extract marks as a chart gives no table at all. */
static void test_charts_give_no_facts(void **state)
{
  Page p;
  page_init(&p);
  static const char *const a[] = {
    "1,000||||", "|||", "500|||", "|||", "0|R1|R2|R3", NULL,
  };
  page_table(&p, 90, 0, FALSE, NULL, a);
  static const char *const b[] = { "区分|額", "A|100", NULL };
  page_table(&p, 400, 1, FALSE, ",\"kind\":\"chart\"", b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_int_equal(count_type(r, "table"), 1);
  assert_int_equal(count_type(r, "fact"), 0);
}

/* A line outside any table carrying one normalize span (a fiscal year, or
 * a range when `to` > 0) over code points [start, end). */
static void page_line_span(Page *p, const char *text, double y, int start, int end, int from, int to)
{
  page_line(p, text, y);
  g_string_truncate(p->lines, p->lines->len - 1); /* the closing brace */
  if (to > 0)
    g_string_append_printf(p->lines, ",\"spans\":[{\"start\":%d,\"end\":%d,\"kind\":\"fiscal_year_range\",\"value\":[%d,%d]}]}",
                           start, end, from, to);
  else
    g_string_append_printf(p->lines, ",\"spans\":[{\"start\":%d,\"end\":%d,\"kind\":\"fiscal_year\",\"value\":%d}]}",
                           start, end, from);
}

/* Years written without their era (30年度, 元年度) take the era the
 * document makes certain: the era-named year before them in the header
 * row (a 元年度 after 平成30年度 is a new era: none), the table's title, or
 * the one era of every 年度 the document names; two eras, and nothing in
 * the table to settle it: null.  第2年度 counts a plan's years. */
static void test_years_without_era(void **state)
{
  Page p;
  page_init(&p);
  /* "計画期間 平成29年度～平成38年度": the range at code points 5..18;
   * "昭和31" cut out of a date says no 年度 and is no era of the document */
  page_line_span(&p, "計画期間 平成29年度～平成38年度", 40, 5, 18, 2017, 2026);
  page_line_span(&p, "昭和31", 52, 0, 4, 1956, 0);
  static const char *const a[] = { "区分|本年度|30年度|31年度", "繰入金|1|2|3", NULL };
  page_table(&p, 90, 1, FALSE, NULL, a);
  static const char *const b[] = { "区分|令和2年度|3年度|平成30年度|元年度", "人口|10|11|12|13", NULL };
  page_table(&p, 200, 1, FALSE, NULL, b);
  static const char *const c[] = { "区分|第2年度|2年度目", "件数|5|6", NULL };
  page_table(&p, 300, 1, FALSE, NULL, c);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "繰入金", "本年度", 1, NULL, 0);
  assert_fact(r, "繰入金", "30年度", 2, NULL, 2018);
  assert_fact(r, "繰入金", "31年度", 3, NULL, 2019);
  assert_fact(r, "人口", "3年度", 11, NULL, 2021);
  assert_fact(r, "人口", "元年度", 13, NULL, 0);
  assert_fact(r, "件数", "第2年度", 5, NULL, 0);
  assert_fact(r, "件数", "2年度目", 6, NULL, 0);

  /* a document naming 年度 of two eras: a bare year in a table with no
   * era of its own stays null; the table's title settles it */
  page_init(&p);
  page_line_span(&p, "平成30年度", 40, 0, 6, 2018, 0);
  page_line_span(&p, "令和2年度", 52, 0, 5, 2020, 0);
  static const char *const d[] = { "区分|4年度", "件数|7", NULL };
  page_table(&p, 200, 1, FALSE, NULL, d); /* the year lines are no caption: over 72 pt above */
  page_line(&p, "令和3年度からの推移", 380);
  static const char *const e[] = { "区分|4年度", "人数|8", NULL };
  page_table(&p, 400, 1, FALSE, NULL, e);
  g_autoptr(GPtrArray) r2 = run_pages(page_take(&p, 1), NULL);
  assert_fact(r2, "件数", "4年度", 7, NULL, 0);
  assert_fact(r2, "人数", "4年度", 8, NULL, 2022);
}

/* Section rows across the table (歳入 … 歳出 over their rows) are no
 * header rows even when extract counted the first as one: the columns
 * keep their year labels alone.  A full-width title row over a header,
 * with no row like it below, stays a header. */
static void test_section_rows_are_no_header(void **state)
{
  Page p;
  page_init(&p);
  page_line(&p, "(単位：百万円)", 75);
  static const char *const a[] = {
    "区分|令和6年度|令和7年度", "歳入|<|<", "地方税|13,250|13,390", "歳入合計|13,250|13,390",
    "歳出|<|<", "人件費|6,980|7,040", NULL,
  };
  page_table(&p, 90, 2, FALSE, NULL, a);
  static const char *const b[] = { "財政指標|<", "区分|R5", "比率|91", NULL };
  page_table(&p, 300, 2, FALSE, NULL, b);
  g_autoptr(GPtrArray) r = run_pages(page_take(&p, 1), NULL);
  assert_fact(r, "地方税", "令和6年度", 13250000000, "円", 2024);
  assert_fact(r, "人件費", "令和7年度", 7040000000, "円", 2025);
  assert_fact(r, "比率", "財政指標 / R5", 91, NULL, 2023);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_caption_unit_and_year_columns),
    cmocka_unit_test(test_caption_scoped_to_its_table),
    cmocka_unit_test(test_units_from_headers_rows_and_cells),
    cmocka_unit_test(test_unit_column_index_and_row_years),
    cmocka_unit_test(test_multilevel_headers_and_labels),
    cmocka_unit_test(test_group_label_written_once),
    cmocka_unit_test(test_unit_in_first_cell),
    cmocka_unit_test(test_shared_column_unit),
    cmocka_unit_test(test_second_figure_in_brackets),
    cmocka_unit_test(test_joined_over_page_break),
    cmocka_unit_test(test_repeated_first_row_without_header_rows),
    cmocka_unit_test(test_unit_at_foot_of_previous_page),
    cmocka_unit_test(test_exact_scaling_and_overflow),
    cmocka_unit_test(test_pairs_and_non_values),
    cmocka_unit_test(test_prose_marks_and_big_units),
    cmocka_unit_test(test_codes_and_ranges),
    cmocka_unit_test(test_units_run_into_cells),
    cmocka_unit_test(test_charts_give_no_facts),
    cmocka_unit_test(test_years_without_era),
    cmocka_unit_test(test_section_rows_are_no_header),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
