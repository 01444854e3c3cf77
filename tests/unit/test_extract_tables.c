/* test_extract_tables.c — extract's table logic on synthetic pages:
 * unruled column detection, whole-page layout with a ruled grid, header
 * rows and continuation over page breaks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"
#include "extract/layout.h"
#include "tests/unit/test-glyphs.h"

static const KkUnruledParams unruled = { .min_gap = 0.3, .join_gap = 0.35, .min_rows = 3, .max_row_gap = 2.0 };

static GPtrArray *detect(GArray *glyphs)
{
  GPtrArray *tables = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
  g_autofree guint *idx = g_new(guint, glyphs->len);
  for (guint i = 0; i < glyphs->len; i++)
    idx[i] = i;
  kk_unruled_detect((KkGlyph *)glyphs->data, idx, glyphs->len, &unruled, tables);
  return tables;
}

/* A dense list: columns only 4 pt apart, one cell wrapped over two lines,
 * a caption above and a paragraph below. */
static void test_unruled_narrow_gaps_and_wrapped_cell(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "一覧表の説明 です", 50, 50, 10);                    /* caption with a space */
  const char *rows[][3] = { { "番号", "部局名", "取組項目名" },
                            { "1", "総務部", "人材育成の推進" },
                            { "2", "財政部", "基金の管理" },
                            { "3", "市民部", "窓口の改善" } };
  double y = 80;
  for (guint r = 0; r < 4; r++, y += 16) {
    put(g, rows[r][0], 50, y, 10);
    put(g, rows[r][1], 84, y, 10);   /* column 0 ends at most at 80 */
    put(g, rows[r][2], 134, y, 10);  /* column 1 ends at most at 114... */
    if (r == 2) {
      put(g, "と運用", 134, y + 11, 10); /* wrapped: next line of the cell */
      y += 11;
    }
  }
  put(g, "以上のとおり、行政改革を着実に推進していくものとする。", 50, y + 30, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_false(table->ruled);
  assert_int_equal(table->n_cols, 3);
  assert_int_equal(table->n_rows, 4);
  /* the caption and the paragraph stay outside */
  assert_true(table->box.y0 > 70);
  assert_true(table->box.y1 < y + 30);
  /* the wrapped line belongs to row 2 */
  assert_int_equal(kk_page_table_locate(table, 150, 80 + 2 * 16 + 11 + 5), table->cell_of[2 * 3 + 2]);
  assert_int_equal(kk_page_table_locate(table, 60, 85), 0);
}

/* Two columns of running text leave a gap free on every row: not a table. */
static void test_unruled_rejects_two_column_prose(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *line = "行政経営の基本的な考え方について述べる文章";
  for (guint r = 0; r < 8; r++) {
    put(g, line, 50, 100 + 14 * r, 10);
    put(g, line, 300, 100 + 14 * r, 10);
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 0);
}

/* A numbered list with hanging indent is not a table. */
static void test_unruled_rejects_numbered_list(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *items[] = { "（１）", "職員の育成", "（２）", "財政の健全化", "（３）", "市民サービス", "（４）", "施設の適正化" };
  for (guint r = 0; r < 4; r++) {
    put(g, items[2 * r], 50, 100 + 16 * r, 10);
    put(g, items[2 * r + 1], 90, 100 + 16 * r, 10);
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 0);
}

/* Word spaces do not make columns. */
static void test_unruled_ignores_word_spaces(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *text[] = { "Action plan for the year 2024 and beyond", "with targets that the city sets for",
                         "each of its departments and reviews in", "public every year at the council",
                         "meeting held in the autumn of the year", "so that residents can follow it" };
  for (guint r = 0; r < G_N_ELEMENTS(text); r++)
    put(g, text[r], 50, 100 + 14 * r, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 0);
}

/* A whole page: a ruled 2×2 table whose cells hold two lines, text above. */
static void test_layout_ruled_page(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  put(l->glyphs, "表題", 50, 40, 10);
  put(l->glyphs, "項目", 105, 105, 10);
  put(l->glyphs, "内容の一行目", 205, 105, 10);
  put(l->glyphs, "二行目", 205, 119, 10);
  put(l->glyphs, "現状", 105, 145, 10);
  put(l->glyphs, "課題", 205, 145, 10);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs[] = { { 100, 100, 400, 1 }, { 140, 100, 400, 1 }, { 170, 100, 400, 1 } };
  KkSeg vs[] = { { 100, 100, 170, 1 }, { 200, 100, 170, 1 }, { 400, 100, 170, 1 } };
  g_array_append_vals(h, hs, 3);
  g_array_append_vals(v, vs, 3);
  kk_layout_build(l, h, v, TRUE);
  assert_int_equal(l->tables->len, 1);
  KkPageTable *t = g_ptr_array_index(l->tables, 0);
  assert_true(t->ruled);
  assert_string_equal(kk_page_table_cell_text(t, 0, 1), "内容の一行目\n二行目");
  assert_string_equal(kk_page_table_cell_text(t, 1, 0), "現状");
  /* lines: title first, then the table's lines cell by cell */
  assert_int_equal(l->lines->len, 6);
  KkLine *first = &g_array_index(l->lines, KkLine, 0);
  assert_int_equal(first->table, -1);
  assert_memory_equal(l->pool->str + first->text_off, "表題", first->text_len);
  for (guint i = 1; i < l->lines->len; i++)
    assert_int_equal(g_array_index(l->lines, KkLine, i).table, 0);
  KkLine *third = &g_array_index(l->lines, KkLine, 2);
  assert_memory_equal(l->pool->str + third->text_off, "内容の一行目", third->text_len);
}

/* ---- header rows and continuation ---- */

static KkPageTable *grid(guint rows, guint cols, const char *const *texts, double x_shift)
{
  KkPageTable *t = kk_page_table_new(rows, cols);
  t->ruled = TRUE;
  for (guint c = 0; c <= cols; c++)
    t->xs[c] = 50 + 100 * c + x_shift;
  for (guint r = 0; r <= rows; r++)
    t->ys[r] = 100 + 20 * r;
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++) {
      KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = 1 };
      cell.text = g_string_new(texts[r * cols + c]);
      t->cell_of[r * cols + c] = (gint)t->cells->len;
      g_array_append_val(t->cells, cell);
    }
  t->box = (KkBox){ t->xs[0], t->ys[0], t->xs[cols], t->ys[rows] };
  return t;
}

static void test_header_guess(void **state)
{
  const char *list[] = { "番号", "部局名", "1", "総務部", "2", "財政部" };
  g_autoptr(KkPageTable) t = grid(3, 2, list, 0);
  assert_int_equal(kk_guess_header_rows(t), 1);
  const char *card[] = { "項目番号", "No.5", "現状", "説明", "目標", "10億円" };
  g_autoptr(KkPageTable) c = grid(3, 2, card, 0);
  assert_int_equal(kk_guess_header_rows(c), 0);
}

/* Headers in another font: a two-level header over body rows. */
static void test_header_by_font(void **state)
{
  const char *t3[] = { "総額", "財源内訳", "国", "県", "100", "50", "10", "5" };
  g_autoptr(KkPageTable) t = grid(4, 2, t3, 0);
  t->cell_fonts = g_new0(guint64, t->cells->len);
  for (guint i = 0; i < t->cells->len; i++)
    t->cell_fonts[i] = i < 4 ? 0x2 : 0x1; /* rows 0-1 Gothic, rows 2-3 Mincho */
  assert_int_equal(kk_guess_header_rows(t), 2);
  /* cards mix label and value fonts in every row: no header by font */
  const char *card[] = { "項目番号", "No.5", "現状", "説明", "目標", "10億円" };
  g_autoptr(KkPageTable) k = grid(3, 2, card, 0);
  k->cell_fonts = g_new0(guint64, k->cells->len);
  for (guint i = 0; i < k->cells->len; i++)
    k->cell_fonts[i] = i % 2 ? 0x1 : 0x2;
  assert_int_equal(kk_guess_header_rows(k), 0);
  /* a rating chart: a full first row over rows with only a label */
  const char *chart[] = { "達成率", "10%", "20%", "R4", "", "", "R5", "", "" };
  g_autoptr(KkPageTable) c = grid(3, 3, chart, 0);
  assert_int_equal(kk_guess_header_rows(c), 1);
}

static void test_continuation_repeated_header_and_split_row(void **state)
{
  const char *p1[] = { "番号", "部局名", "1", "総務部", "2", "財政部" };
  const char *p2[] = { "番号", "部局名", "", "（続き）", "3", "市民部" };
  g_autoptr(KkPageTable) a = grid(3, 2, p1, 0);
  g_autoptr(KkPageTable) b = grid(3, 2, p2, 1.0);
  KkPageTableSig sig = { 0 };
  kk_page_table_link(a, TRUE, &sig);
  assert_false(a->continued_from_previous);
  assert_int_equal(a->header_rows, 1);
  kk_page_table_sig_set(&sig, a, TRUE);
  kk_page_table_link(b, TRUE, &sig);
  assert_true(b->continued_from_previous);
  assert_int_equal(b->header_rows, 1);
  /* a third page without the header still continues the table */
  kk_page_table_sig_set(&sig, b, TRUE);
  const char *p3[] = { "4", "福祉部", "5", "教育部", "6", "建設部" };
  g_autoptr(KkPageTable) c = grid(3, 2, p3, 0);
  kk_page_table_link(c, TRUE, &sig);
  assert_true(c->continued_from_previous);
  assert_int_equal(c->header_rows, 0);
  /* not at the bottom / not at the top / other columns: a new table */
  kk_page_table_sig_set(&sig, c, FALSE);
  g_autoptr(KkPageTable) d = grid(3, 2, p3, 0);
  kk_page_table_link(d, TRUE, &sig);
  assert_false(d->continued_from_previous);
  kk_page_table_sig_set(&sig, c, TRUE);
  kk_page_table_link(d, FALSE, &sig);
  assert_false(d->continued_from_previous);
  g_autoptr(KkPageTable) e = grid(3, 2, p3, 30);
  kk_page_table_link(e, TRUE, &sig);
  assert_false(e->continued_from_previous);
  kk_page_table_sig_clear(&sig);
}

/* A card that starts at the top of a page after a card that ended at the
 * bottom of the previous one is a new record, not a continuation. */
static void test_new_card_is_not_a_continuation(void **state)
{
  const char *c5[] = { "項目番号", "No.5", "現状", "説明", "目標", "10億円" };
  const char *c6[] = { "項目番号", "No.6", "現状", "別の説明", "目標", "5件" };
  const char *c5_rest[] = { "計画", "実施", "評価", "A", "備考", "なし" };
  g_autoptr(KkPageTable) a = grid(3, 2, c5, 0);
  g_autoptr(KkPageTable) b = grid(3, 2, c6, 0);
  g_autoptr(KkPageTable) rest = grid(3, 2, c5_rest, 0);
  KkPageTableSig sig = { 0 };
  kk_page_table_link(a, TRUE, &sig);
  kk_page_table_sig_set(&sig, a, TRUE);
  kk_page_table_link(b, TRUE, &sig);
  assert_false(b->continued_from_previous);
  kk_page_table_link(rest, TRUE, &sig);
  assert_true(rest->continued_from_previous);
  assert_int_equal(rest->header_rows, 0);
  kk_page_table_sig_clear(&sig);
}


/* ---- header rows from structure ---- */

/* A table from texts where "<" marks a slot covered by the cell to its
 * left and "^" one covered by the cell above. */
static KkPageTable *spanned(guint rows, guint cols, const char *const *texts)
{
  KkPageTable *t = kk_page_table_new(rows, cols);
  t->ruled = TRUE;
  for (guint c = 0; c <= cols; c++)
    t->xs[c] = 50 + 60 * c;
  for (guint r = 0; r <= rows; r++)
    t->ys[r] = 100 + 20 * r;
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++) {
      const char *x = texts[r * cols + c];
      if (strcmp(x, "<") == 0 || strcmp(x, "^") == 0)
        continue;
      KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = 1 };
      while (c + cell.colspan < cols && strcmp(texts[r * cols + c + cell.colspan], "<") == 0)
        cell.colspan++;
      while (r + cell.rowspan < rows && strcmp(texts[(r + cell.rowspan) * cols + c], "^") == 0)
        cell.rowspan++;
      cell.text = g_string_new(x);
      for (guint rr = r; rr < r + cell.rowspan; rr++)
        for (guint cc = c; cc < c + cell.colspan; cc++)
          t->cell_of[rr * cols + cc] = (gint)t->cells->len;
      cell.box = (KkBox){ t->xs[c], t->ys[r], t->xs[c + cell.colspan], t->ys[r + cell.rowspan] };
      g_array_append_val(t->cells, cell);
    }
  t->box = (KkBox){ t->xs[0], t->ys[0], t->xs[cols], t->ys[rows] };
  return t;
}

/* Years over two levels, a units row, a row of years, a timeline. */
static void test_header_years_levels_units(void **state)
{
  const char *two[] = { "区分", "平成21年度", "<", "平成22年度", "<",
                        "^", "金額", "対前年比", "金額", "対前年比",
                        "^", "千円", "％", "千円", "％",
                        "市税", "1,000", "101.2", "1,050", "105.0",
                        "使用料", "200", "99.0", "210", "105.0" };
  g_autoptr(KkPageTable) a = spanned(5, 5, two);
  assert_int_equal(kk_guess_header_rows(a), 3);
  const char *years[] = { "", "2010年", "2015年", "2020年",
                          "人口", "995", "900", "850",
                          "世帯", "400", "390", "380" };
  g_autoptr(KkPageTable) b = spanned(3, 4, years);
  assert_int_equal(kk_guess_header_rows(b), 1);
  /* a units note alone in a spanning row, then the names */
  const char *units[] = { "（単位：千円）", "<", "<",
                          "款", "本年度", "前年度",
                          "1 市税", "46,460", "45,000",
                          "2 譲与税", "600", "580" };
  g_autoptr(KkPageTable) u = spanned(4, 3, units);
  assert_int_equal(kk_guess_header_rows(u), 2);
  /* a timeline: a year beside an event in every row is no header */
  const char *timeline[] = { "平成9年", "有線テレビ導入",
                             "平成10年", "開村100周年記念式典",
                             "平成16年", "新庁舎完成" };
  g_autoptr(KkPageTable) c = spanned(3, 2, timeline);
  assert_int_equal(kk_guess_header_rows(c), 0);
  /* a card: a label beside a sentence is no header */
  const char *card[] = { "料金", "料金の見直しについては、経営の状況を見ながら検討していく。",
                         "企業債", "なし",
                         "職員給与費", "係員1名分の給与を計上する。" };
  g_autoptr(KkPageTable) k = spanned(3, 2, card);
  assert_int_equal(kk_guess_header_rows(k), 0);
}

/* Header rows from structure, on tables nobody tuned the rules on:
 * a cross table's empty corner over events spanning rank and time; a
 * label/value card whose values are sentences with numbers in them; a
 * section row across the table under the years; years over what is done
 * in each; grades over rows of titles; a vote table's two levels. */
static void test_header_corner_card_section_axis(void **state)
{
  const char *corner[] = { "", "2/4（火）フリー 男子10km", "<", "2/5（水）クラシカル 男子10km", "<",
                           "栃谷和（3年）", "2位", "15:38.5", "5位", "16:04.4",
                           "馬場健輔（2年）", "40位", "25:35.0", "30位", "32:54.5" };
  g_autoptr(KkPageTable) a = spanned(3, 5, corner);
  assert_int_equal(kk_guess_header_rows(a), 1);
  const char *card[] = { "委託料", "なし",
                         "修繕費", "修繕計画により効率的な修繕に努め、機器の維持延命を図る。",
                         "職員給与費", "係員1名分の給与は２つの会計から支出している。" };
  g_autoptr(KkPageTable) b = spanned(3, 2, card);
  assert_int_equal(kk_guess_header_rows(b), 0);
  const char *section[] = { "区分", "令和６年度", "令和７年度",
                            "歳入", "<", "<",
                            "地方税", "13,250", "13,390",
                            "地方交付税", "6,420", "6,380" };
  g_autoptr(KkPageTable) c = spanned(4, 3, section);
  assert_int_equal(kk_guess_header_rows(c), 1);
  const char *schedule[] = { "年度", "令和５年度（実績）", "令和６年度（計画）",
                             "取組内容", "配信機材の検討", "配信の開始" };
  g_autoptr(KkPageTable) d = spanned(2, 3, schedule);
  assert_int_equal(kk_guess_header_rows(d), 1);
  const char *grades[] = { "区分", "１級", "２級",
                           "行政職", "主事補", "主事",
                           "税務職", "主事補", "主事" };
  g_autoptr(KkPageTable) e = spanned(3, 3, grades);
  assert_int_equal(kk_guess_header_rows(e), 1);
  /* two levels over marks, no number in the body: a vote table */
  const char *vote[] = { "議案番号", "委員の賛否", "<", "結果",
                         "^", "井上", "田中", "^",
                         "第１号", "○", "×", "可決",
                         "第２号", "○", "○", "可決" };
  g_autoptr(KkPageTable) f = spanned(4, 4, vote);
  assert_int_equal(kk_guess_header_rows(f), 2);
}

/* Page breaks seen with the page around the tables: a heading above the
 * next page's table that was not above the previous page's first table
 * starts a new table (歳出 after 歳入, same columns and header); a running
 * head does not; nor does a header of its own that differs from the one
 * the table would continue.  A page per record: the next page's first table starts
 * like the previous page's first table, not like the last one it would
 * continue. */
static void test_continuation_heading_and_sheet_per_page(void **state)
{
  const char *p1[] = { "款", "金額", "1 市税", "46,460", "2 譲与税", "678" };
  const char *p2[] = { "款", "金額", "1 議会費", "481", "2 総務費", "9,013" };
  g_autoptr(KkPageTable) a = grid(3, 2, p1, 0);
  g_autoptr(KkPageTable) b = grid(3, 2, p2, 0);
  const char *head1[] = { "一般会計予算書 - 3 -", NULL };
  const char *head2[] = { "一般会計予算書 - 4 -", "歳出", NULL };
  const char *head3[] = { "一般会計予算書 - 4 -", NULL };
  KkPageTableSig sig = { 0 };
  kk_page_table_link_page(a, TRUE, head1, &sig);
  kk_page_table_sig_set_page(&sig, a, a, TRUE, head1);
  kk_page_table_link_page(b, TRUE, head2, &sig);
  assert_false(b->continued_from_previous);
  kk_page_table_link_page(b, TRUE, head3, &sig);
  assert_true(b->continued_from_previous);
  /* under a header of its own (not the repeated one): another table */
  const char *p3[] = { "款", "変更後金額", "3 県支出金", "7,269", "4 財産収入", "286" };
  g_autoptr(KkPageTable) c = grid(3, 2, p3, 0);
  kk_page_table_link_page(c, TRUE, head3, &sig);
  assert_false(c->continued_from_previous);
  assert_int_equal(c->header_rows, 1);
  kk_page_table_sig_clear(&sig);

  const char *basic1[] = { "事業番号", "01-01-003", "担当課", "生涯学習課" };
  const char *eval1[] = { "評価", "Ａ", "方向性", "継続" };
  const char *basic2[] = { "事業番号", "02-03-011", "担当課", "こども未来課" };
  g_autoptr(KkPageTable) s1 = grid(1, 4, basic1, 0);
  g_autoptr(KkPageTable) e1 = grid(1, 4, eval1, 0);
  g_autoptr(KkPageTable) s2 = grid(1, 4, basic2, 0);
  kk_page_table_link_page(s1, TRUE, NULL, &sig);
  kk_page_table_link(e1, FALSE, NULL);
  kk_page_table_sig_set_page(&sig, s1, e1, TRUE, NULL);
  kk_page_table_link_page(s2, TRUE, NULL, &sig);
  assert_false(s2->continued_from_previous);
  /* one table a page: its next fragment is no new record of itself */
  kk_page_table_sig_set_page(&sig, e1, e1, TRUE, NULL);
  const char *eval_rest[] = { "評価", "Ａ", "方向性", "継続" };
  g_autoptr(KkPageTable) e2 = grid(1, 4, eval_rest, 0);
  kk_page_table_link_page(e2, TRUE, NULL, &sig);
  assert_true(e2->continued_from_previous);
  kk_page_table_sig_clear(&sig);
}

/* ---- figures ---- */

/* A bar chart: gridlines every 20 pt, bars 30 pt wide drawn with thin
 * edges, a few value labels, a legend whose words the bars cut. */
static void test_chart_is_a_figure(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  for (guint k = 0; k <= 8; k++) { /* gridlines */
    KkSeg sg = { 100 + 20 * k, 100, 500, 1 };
    g_array_append_val(h, sg);
  }
  for (guint b = 0; b < 8; b++) { /* bars of different heights */
    double x = 110 + 48 * b, top = 140 + 10 * b;
    KkSeg left = { x, top, 260, 1 }, right = { x + 30, top, 260, 1 };
    g_array_append_val(v, left);
    g_array_append_val(v, right);
    char label[8];
    g_snprintf(label, sizeof label, "%u", 90 - 10 * b);
    put(l->glyphs, label, x + 8, top - 12, 8);
  }
  KkSeg frame[] = { { 100, 100, 260, 1 }, { 500, 100, 260, 1 } };
  g_array_append_vals(v, frame, 2);
  put(l->glyphs, "総就業者数：492人", 300, 104, 9); /* across the bar edges */
  put(l->glyphs, "本文の段落です。", 100, 300, 10);
  kk_layout_build(l, h, v, TRUE);
  assert_int_equal(l->tables->len, 0);
  assert_int_equal(l->figures->len, 1);
  /* its text is still read, as free lines */
  gboolean seen = FALSE;
  for (guint i = 0; i < l->lines->len; i++) {
    const KkLine *line = &g_array_index(l->lines, KkLine, i);
    assert_int_equal(line->table, -1);
    seen = seen || (line->text_len == strlen("90") && memcmp(l->pool->str + line->text_off, "90", 2) == 0);
  }
  assert_true(seen);
}

/* A line chart in a frame: a title row over one cell whose lines hold
 * data labels far apart, no word among them. */
static void test_framed_line_chart_is_a_figure(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs[] = { { 100, 100, 500, 1 }, { 120, 100, 500, 1 }, { 300, 100, 500, 1 } };
  KkSeg vs[] = { { 100, 100, 300, 1 }, { 500, 100, 300, 1 } };
  g_array_append_vals(h, hs, 3);
  g_array_append_vals(v, vs, 2);
  put(l->glyphs, "人口の推移（指数）", 110, 104, 10);
  const char *labels[][5] = { { "100.0", "100.6", "101.8", "100.1", "91.1" },
                              { "89.2", "86.6", "60.4", "52.5", "48.2" } };
  for (guint r = 0; r < 2; r++)
    for (guint k = 0; k < 5; k++)
      put(l->glyphs, labels[r][k], 120 + 75 * k, 160 + 60 * r, 8);
  kk_layout_build(l, h, v, TRUE);
  assert_int_equal(l->tables->len, 0);
  assert_int_equal(l->figures->len, 1);
  assert_int_equal(g_array_index(l->figures, KkFigure, 0).kind, KK_FIGURE_SCATTERED);
}

/* A table of words and numbers with some empty cells stays a table. */
static void test_sparse_table_is_no_figure(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  for (guint r = 0; r <= 4; r++) {
    KkSeg sg = { 100 + 20 * r, 100, 400, 1 };
    g_array_append_val(h, sg);
  }
  for (guint c = 0; c <= 3; c++) {
    KkSeg sg = { 100 + 100 * c, 100, 180, 1 };
    g_array_append_val(v, sg);
  }
  const char *texts[] = { "区分", "第１回", "第２回", "当初予算", "", "", "補正", "", "", "合計", "", "" };
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 3; c++)
      put(l->glyphs, texts[r * 3 + c], 105 + 100 * c, 104 + 20 * r, 10);
  kk_layout_build(l, h, v, TRUE);
  assert_int_equal(l->figures->len, 0);
  assert_int_equal(l->tables->len, 1);
}

/* ---- grids ---- */

/* A 6-column table and a 4-column one 7 pt below it, joined by side
 * borders that run through the white between them: two tables. */
static void test_grid_splits_tables_close_together(void **state)
{
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs[] = { { 100, 100, 400, 1 }, { 120, 100, 400, 1 }, { 140, 100, 400, 1 },
                 { 147, 100, 400, 1 }, { 167, 100, 400, 1 } };
  g_array_append_vals(h, hs, G_N_ELEMENTS(hs));
  for (guint c = 0; c <= 6; c++) { /* the upper table's walls; outer ones run on */
    KkSeg sg = { 100 + 50 * c, 100, c == 0 || c == 6 ? 167 : 140, 1 };
    g_array_append_val(v, sg);
  }
  for (guint c = 1; c < 4; c++) {
    KkSeg sg = { 100 + 75 * c, 147, 167, 1 };
    g_array_append_val(v, sg);
  }
  KkGridParams gp = { .tol = 2.5, .min_cell = 4.0, .max_cells = 200000 };
  g_autoptr(GPtrArray) t = kk_grid_build(h, v, &gp);
  assert_int_equal(t->len, 2);
  KkPageTable *a = g_ptr_array_index(t, 0), *b = g_ptr_array_index(t, 1);
  assert_int_equal(a->n_cols, 6);
  assert_int_equal(a->n_rows, 2);
  assert_int_equal(b->n_cols, 4);
  assert_int_equal(b->n_rows, 1);
  /* a full-width title row inside one card is no white between tables */
  g_autoptr(GArray) h2 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v2 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs2[] = { { 100, 100, 400, 1 }, { 120, 100, 400, 1 }, { 140, 100, 400, 1 }, { 160, 100, 400, 1 } };
  g_array_append_vals(h2, hs2, G_N_ELEMENTS(hs2));
  KkSeg vs2[] = { { 100, 100, 160, 1 }, { 400, 100, 160, 1 }, { 200, 100, 120, 1 }, { 300, 140, 160, 1 } };
  g_array_append_vals(v2, vs2, G_N_ELEMENTS(vs2));
  g_autoptr(GPtrArray) t2 = kk_grid_build(h2, v2, &gp);
  assert_int_equal(t2->len, 1);
  /* the same two tables touching: the 4-column row hangs on the rule
   * under the 6-column table */
  g_autoptr(GArray) h3 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v3 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs3[] = { { 100, 100, 400, 1 }, { 120, 100, 400, 1 }, { 140, 100, 400, 1 }, { 160, 100, 400, 1 } };
  g_array_append_vals(h3, hs3, G_N_ELEMENTS(hs3));
  for (guint c = 0; c <= 6; c++) {
    KkSeg sg = { 100 + 50 * c, 100, c == 0 || c == 6 ? 160 : 140, 1 };
    g_array_append_val(v3, sg);
  }
  for (guint c = 1; c < 4; c++) {
    KkSeg sg = { 100 + 75 * c, 140, 160, 1 };
    g_array_append_val(v3, sg);
  }
  g_autoptr(GPtrArray) t3 = kk_grid_build(h3, v3, &gp);
  assert_int_equal(t3->len, 2);
  assert_int_equal(((KkPageTable *)g_ptr_array_index(t3, 0))->n_cols, 6);
  assert_int_equal(((KkPageTable *)g_ptr_array_index(t3, 1))->n_cols, 4);
}

/* ---- unruled beside prose ---- */

/* A paragraph at the left (10.5 pt, its own line pitch) beside a table
 * with a header (8 pt): the table alone, with its header, the paragraph
 * outside; a total row without a number in the first column is a row. */
static void test_unruled_table_beside_paragraph(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  for (guint k = 0; k < 9; k++)
    put(l->glyphs, "予算の総額は前年度より減となりました", 50, 100 + 17 * k, 10.5);
  const char *head[] = { "項目", "予算額", "割合" };
  double x[] = { 320, 400, 470 };
  for (guint c = 0; c < 3; c++)
    put(l->glyphs, head[c], x[c], 96, 8);
  const char *rows[][3] = { { "村税", "8,759万円", "4.42％" }, { "繰越金", "800万円", "0.40％" },
                            { "諸収入", "3,440万円", "1.73％" }, { "地方交付税", "2,088万円", "1.05％" },
                            { "村債", "1,041万円", "5.25％" }, { "", "19,830万円", "100％" } };
  for (guint r = 0; r < G_N_ELEMENTS(rows); r++)
    for (guint c = 0; c < 3; c++)
      put(l->glyphs, rows[r][c], x[c], 110 + 13 * r, 8);
  kk_layout_build(l, NULL, NULL, TRUE);
  assert_int_equal(l->tables->len, 1);
  KkPageTable *t = g_ptr_array_index(l->tables, 0);
  assert_int_equal(t->n_cols, 3);
  assert_int_equal(t->n_rows, 7);
  assert_true(t->box.x0 > 300);
  assert_string_equal(kk_page_table_cell_text(t, 0, 0), "項目");
  assert_string_equal(kk_page_table_cell_text(t, 6, 1), "19,830万円");
}

/* Vertically centred cells: a one-line name and amount centred against a
 * three-line description; the description's first line belongs to its own
 * row, not to the row above. */
static void test_unruled_vertically_centred_cells(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "事業名", 50, 80, 10);
  put(g, "内容", 150, 80, 10);
  put(g, "金額", 350, 80, 10);
  const char *names[] = { "道路維持", "除雪対策", "公園整備" };
  const char *amounts[] = { "1,200", "800", "350" };
  for (guint k = 0; k < 3; k++) {
    double top = 104 + 54 * k; /* three lines at a 14 pt pitch, 12 pt of white between rows */
    put(g, "路面の補修と", 150, top, 10);
    put(g, "側溝の清掃を", 150, top + 14, 10);
    put(g, "行う", 150, top + 28, 10);
    put(g, names[k], 50, top + 14, 10);   /* centred */
    put(g, amounts[k], 350, top + 14, 10);
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_cols, 3);
  assert_int_equal(table->n_rows, 4);
  /* each row holds its whole description: the top line of row 1 and the
   * bottom line of row 1 are in one cell */
  for (guint k = 0; k < 3; k++) {
    double top = 104 + 54 * k;
    gint a = kk_page_table_locate(table, 155, top + 6), b = kk_page_table_locate(table, 155, top + 34);
    gint name = kk_page_table_locate(table, 55, top + 20);
    assert_int_equal(a, b);
    assert_int_equal(g_array_index(table->cells, KkCell, a).row, g_array_index(table->cells, KkCell, name).row);
  }
}

/* The top of a page: the last line of a row the page break split, then
 * rows of the table: the line is the table's first row, its first cell
 * empty (so the joiner can put it back), not a free line. */
static void test_unruled_keeps_split_row_tail(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "行う。", 150, 60, 10);
  const char *rows[][3] = { { "3", "市民部", "窓口の改善を" }, { "4", "福祉部", "相談体制を" }, { "5", "教育部", "学校の再編" } };
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 3; c++)
      put(g, rows[r][c], c == 0 ? 50 : c == 1 ? 80 : 150, 74 + 14 * r, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_rows, 4);
  assert_true(table->box.y0 < 61);
  assert_int_equal(kk_page_table_locate(table, 155, 66), table->cell_of[2]);
}

/* A card without rules: short labels beside running text are a
 * label/value table; the same text without labels is no table, nor are
 * two columns of item lists. */
static void test_unruled_card(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *labels[] = { "目的", "内容", "効果", "担当課" };
  double y = 100;
  for (guint k = 0; k < 4; k++) {
    put(g, labels[k], 50, y, 10);
    for (guint line = 0; line < 3; line++, y += 14)
      put(g, "市民サービスの向上と行政運営の効率化を図るため取り組む", 120, y, 10);
    y += 6;
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_cols, 2);
  assert_int_equal(table->n_rows, 4);
  assert_int_equal(kk_page_table_locate(table, 55, 105 + 3 * 48), table->cell_of[3 * 2]);
  assert_int_equal(kk_page_table_locate(table, 130, 105 + 3 * 48 + 28), table->cell_of[3 * 2 + 1]);
  /* the same lines without the labels: a paragraph */
  g_autoptr(GArray) p = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  for (guint line = 0; line < 12; line++)
    put(p, "市民サービスの向上と行政運営の効率化を図るため取り組む", 120, 100 + 14 * line, 10);
  g_autoptr(GPtrArray) none = detect(p);
  assert_int_equal(none->len, 0);
  /* two columns of a page, lists of items of uneven length: no table */
  g_autoptr(GArray) two = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *left[] = { "◆村営アパートガス配管更新事業", "…老朽化した配管を更新します", "◇定住化対策事業［250万円］",
                         "…持家住宅建設奨励補助金", "◇住宅改築及び廃屋解体撤去補助事業" };
  const char *right[] = { "◆雪寒機械増強事業［5,007万円］", "…ロータリー除雪車を購入します", "◇水道メーター交換事業",
                          "◇社会福祉協議会運営補助事業", "◇生きがいデイサービス事業" };
  for (guint k = 0; k < 5; k++) {
    put(two, left[k], 50, 100 + 16 * k, 10);
    put(two, right[k], 320, 100 + 16 * k, 10);
  }
  g_autoptr(GPtrArray) lists = detect(two);
  assert_int_equal(lists->len, 0);
}

/* Two sections of an evaluation sheet without rules: a units note above
 * the first table at its right edge, then a section heading in a larger
 * type and a second table with other columns.  The units note is a
 * caption (not a split row's tail), the heading ends the first table. */
static void test_unruled_section_heading_ends_table(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "（単位：千円）", 420, 86, 9);
  const char *cost[][4] = { { "区分", "令和４年度", "令和５年度", "令和６年度" }, { "事業費", "1,250", "1,480", "1,600" },
                            { "地方債", "－", "－", "－" }, { "一般財源", "1,250", "1,360", "1,450" } };
  double cx[] = { 90, 220, 340, 460 };
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      put(g, cost[r][c], cx[c], 100 + 15 * r, 10);
  put(g, "■ 成果指標", 56, 168, 10.5);
  const char *ind[][6] = { { "指標名", "単位", "区分", "令和４年度", "令和５年度", "令和６年度" },
                           { "講座の回数", "回", "目標値", "40", "45", "50" },
                           { "受講者数", "人", "目標値", "1,200", "1,400", "1,600" } };
  double ix[] = { 110, 205, 250, 305, 385, 470 };
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 6; c++)
      put(g, ind[r][c], ix[c], 184 + 15 * r, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 2);
  KkPageTable *a = g_ptr_array_index(t, 0), *b = g_ptr_array_index(t, 1);
  assert_int_equal(a->n_cols, 4);
  assert_int_equal(a->n_rows, 4);
  assert_true(a->box.y0 > 95);  /* the units note stays out */
  assert_true(a->box.y1 < 168); /* so does the heading */
  assert_int_equal(b->n_cols, 6);
  assert_true(b->box.y0 > 178);
}

/* A table's last column of values with a note in brackets ("32,450人
 * （令和元年度）"): lines as full as a paragraph's, but values, so a
 * column of the table, not a paragraph beside it. */
static void test_unruled_value_column_is_no_paragraph(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *rows[][4] = { { "指標", "目標値", "現状値", "基準値（基準年度）" },
                            { "従業者数", "34,000人", "33,120人", "32,450人（令和元年度）" },
                            { "創業件数", "90件", "52件", "18,200件（令和元年度）" },
                            { "寄附額", "200,000円", "142,600円", "85,300円（令和元年度）" } };
  double x[] = { 56, 200, 300, 400 };
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      put(g, rows[r][c], x[c], 100 + 16 * r, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_cols, 4);
  assert_int_equal(table->n_rows, 4);
}

/* A heading set just above a table, its two parts split by a space
 * ("基本目標１ しごとを…"): the second part starts under the first
 * column and runs on across two column boundaries, so no cut of the
 * table's columns falls in white there.  It is a line above the table
 * (its title), not a header row cut mid-word; the real header row below
 * it stays.  A group heading over columns of its own (令和５年度 over
 * 金額 | 対前年比) lines up with the columns and stays a header row. */
static void test_unruled_heading_across_columns_is_no_row(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "基本目標１ しごとをつくり、安心して働けるようにする", 56, 80, 10);
  const char *rows[][4] = { { "指標", "目標値", "現状値", "基準値" },
                            { "従業者数", "34,000人", "33,120人", "32,450人" },
                            { "創業支援件数（累計）", "90件", "52件", "18件" },
                            { "寄附額", "200,000円", "142,600円", "85,300円" } };
  double x[] = { 56, 200, 300, 400 };
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      put(g, rows[r][c], x[c], 100 + 16 * r, 10);
  put(g, "区分", 56, 300, 10);
  put(g, "令和５年度", 235, 300, 10); /* centred over the last two columns */
  const char *grp[][3] = { { "", "金額", "対前年比" }, { "歳入", "1,250", "102.5%" },
                           { "歳出", "1,180", "98.4%" }, { "基金", "320", "110.0%" } };
  double gx[] = { 56, 200, 300 };
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 3; c++)
      put(g, grp[r][c], gx[c], 316 + 16 * r, 10);
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 2);
  KkPageTable *a = g_ptr_array_index(t, 0), *b = g_ptr_array_index(t, 1);
  assert_int_equal(a->n_cols, 4);
  assert_int_equal(a->n_rows, 4);
  assert_true(a->box.y0 > 95); /* the heading stays out, 指標 is the first row */
  assert_int_equal(b->n_cols, 3);
  assert_true(b->box.y0 < 305); /* the group heading is a header row */
}

/* The cell at slot (row, col) of `t`. */
static const KkCell *slot(const KkPageTable *t, guint row, guint col)
{
  return &g_array_index(t->cells, KkCell, t->cell_of[(gsize)row * t->n_cols + col]);
}

/* A list without rules whose cells are centred vertically: a heading of
 * two lines (効果額 over （千円）) beside one-line headings centred on it,
 * a group row ("１ 財政の改革") that runs over the first column gap, and
 * items whose descriptions take one to four lines at a 9 pt pitch while
 * the number, name and amount sit on the middle of the row, 5 pt of
 * white between rows.  The header and the group row are rows of the table
 * (the group row one cell over all columns), every line sits in its own
 * item's row. */
static void test_unruled_centred_rows_group_row_and_header(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  double x[] = { 50, 70, 180, 400, 470 };
  const char *head[] = { "番号", "取組事項", "取組内容", "所管課" };
  for (guint c = 0; c < 4; c++)
    put(g, head[c], x[c], 72, 9);
  put(g, "効果額", 470, 67, 9);
  put(g, "（千円）", 466, 77, 9);
  put(g, "１", 46, 92, 9);
  put(g, "財政の改革", 60, 92, 9);
  const guint lines[] = { 3, 1, 4, 2, 1 };
  const char *amount[] = { "45,000", "12,000", "8,400", "6,000", "15,300" };
  double top = 108;
  g_autofree double *mid = g_new(double, G_N_ELEMENTS(lines));
  for (guint k = 0; k < G_N_ELEMENTS(lines); k++) {
    for (guint i = 0; i < lines[k]; i++)
      put(g, "事業の内容を説明する文章の一行", x[2], top + 9 * i, 9);
    mid[k] = top + 9 * (lines[k] - 1) / 2.0; /* where a one-line cell sits */
    char num[4];
    g_snprintf(num, sizeof num, "%u", k + 1);
    put(g, num, x[0] + 2, mid[k], 9);
    put(g, "事業名", x[1], mid[k], 9);
    put(g, "財政課", x[3], mid[k], 9);
    put(g, amount[k], x[4], mid[k], 9);
    top += 9 * lines[k] + 2.7 + 5; /* boxes 11.7 tall: 5 pt of white */
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_cols, 5);
  assert_int_equal(table->n_rows, 2 + G_N_ELEMENTS(lines));
  assert_true(table->box.y0 < 68); /* the header is in */
  assert_int_equal(kk_page_table_locate(table, 480, 83), kk_page_table_locate(table, 475, 72)); /* （千円） */
  assert_int_equal(slot(table, 1, 0)->colspan, 5);                                           /* the group */
  top = 108;
  for (guint k = 0; k < G_N_ELEMENTS(lines); k++) {
    gint first = kk_page_table_locate(table, x[2] + 5, top + 5);
    gint last = kk_page_table_locate(table, x[2] + 5, top + 9 * (lines[k] - 1) + 5);
    gint name = kk_page_table_locate(table, x[1] + 5, mid[k] + 5);
    assert_int_equal(first, last);
    assert_int_equal(g_array_index(table->cells, KkCell, first).row, 2 + k);
    assert_int_equal(g_array_index(table->cells, KkCell, name).row, 2 + k);
    top += 9 * lines[k] + 7.7;
  }
}

/* Tables of one template under section headings set larger: a header of
 * two levels (特定財源 centred over the four columns that 国庫支出金 …
 * その他 name below it), figures right-aligned, the last section only two
 * rows long.  Each section is a table of its own, its header two rows:
 * 特定財源 spans its four columns, the headings beside it span both
 * rows, and no column boundary cuts 国庫支出金. */
static void test_unruled_two_level_header_sections(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *head[] = { "番号", "事業名", "担当課", "予算額", "一般財源" };
  double hx[] = { 51, 81, 224, 296, 336 };
  const char *sub[] = { "国庫支出金", "県支出金", "地方債", "その他" };
  double sx[] = { 384, 442, 496, 541 };          /* left edges of the sub-headings */
  double right[] = { 324, 372, 431, 479, 524, 569 }; /* right edges of the figures */
  double y = 80;
  for (guint sec = 0; sec < 2; sec++) {
    put(g, sec == 0 ? "１ 子育て・教育" : "２ 健康・福祉", 51, y, 11);
    y += 26;
    for (guint c = 0; c < 5; c++)
      put(g, head[c], hx[c], y, 9.2);
    put(g, "特定財源", 455, y, 9.2);
    y += 21;
    for (guint c = 0; c < 4; c++)
      put(g, sub[c], sx[c], y, 9.2);
    y += 22;
    guint n = sec == 0 ? 4 : 2;
    for (guint r = 0; r < n; r++, y += 21) {
      char num[4];
      g_snprintf(num, sizeof num, "%u", r + 1);
      put(g, num, 64, y, 9.2);
      put(g, "放課後児童クラブ運営事業", 81, y, 9.2);
      put(g, "こども未来課", 224, y, 9.2);
      for (guint c = 0; c < 6; c++) {
        const char *v = (r + c) % 3 == 0 ? "－" : "70,100";
        double w = (r + c) % 3 == 0 ? 9.2 : 6 * 4.6;
        put(g, v, right[c] - w, y, 9.2);
      }
    }
    y += 20;
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 2);
  for (guint k = 0; k < 2; k++) {
    KkPageTable *table = g_ptr_array_index(t, k);
    assert_int_equal(table->n_cols, 9);
    assert_int_equal(table->n_rows, k == 0 ? 6 : 4);
    const KkCell *group = slot(table, 0, 5);
    assert_int_equal(group->col, 5);
    assert_int_equal(group->colspan, 4);
    assert_int_equal(slot(table, 1, 0)->row, 0); /* 番号 spans down */
    assert_int_equal(slot(table, 1, 0)->rowspan, 2);
    assert_int_equal(slot(table, 1, 5)->row, 1); /* 国庫支出金 has its own cell */
    /* 国庫支出金 lies within one column */
    assert_true(table->xs[5] < 384 && table->xs[6] > 384 + 5 * 9.2);
  }
}

/* A card without rules under its sheet's title (larger type, with the
 * city set smaller at its right): its first row holds two label/value
 * pairs (事業番号 01-01-003 … 担当課 生涯学習課), the others one.  The
 * title is no row of the table; the value column is divided where the
 * first row has its pairs, and the other rows' values span the parts. */
static void test_unruled_card_row_of_two_pairs(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "令和６年度", 193, 56, 14);
  put(g, "事務事業評価シート", 277, 56, 14);
  put(g, "福岡県", 467, 73, 9);
  put(g, "大野城市", 503, 73, 9);
  put(g, "事業番号", 76, 88, 10);
  put(g, "01-01-003", 140, 88, 10);
  put(g, "担当課", 303, 88, 10);
  put(g, "生涯学習課", 355, 88, 10);
  const char *rows[][2] = { { "事業名", "出前講座事業" }, { "施策", "生涯学習の推進" },
                            { "事業の目的", "市民の学習意欲に応え、市の施策への理解を深める。" } };
  for (guint r = 0; r < G_N_ELEMENTS(rows); r++) {
    put(g, rows[r][0], 76, 103 + 15 * r, 10);
    put(g, rows[r][1], 140, 103 + 15 * r, 10);
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_true(table->box.y0 > 80); /* the title stays out */
  assert_int_equal(table->n_rows, 4);
  assert_int_equal(table->n_cols, 4);
  for (guint c = 1; c < 4; c++)
    assert_int_equal(slot(table, 0, c)->colspan, 1);
  assert_int_equal(kk_page_table_locate(table, 145, 93), table->cell_of[1]);
  assert_int_equal(kk_page_table_locate(table, 310, 93), table->cell_of[2]);
  assert_int_equal(kk_page_table_locate(table, 360, 93), table->cell_of[3]);
  for (guint r = 1; r < 4; r++) {
    assert_int_equal(slot(table, r, 1)->colspan, 3);
    assert_int_equal(slot(table, r, 3)->col, 1);
  }
}

/* An indicator table: each name and its unit is one line set halfway
 * between its 目標値 and 実績値 rows (their boxes overlap it).  The unit
 * column's gap is white in every row but has ink on both sides only
 * across two rows; the name and unit span both rows (rowspan 2), the
 * rows come from the 区分 and value columns, and the bare 単位 heading is
 * a header, not a units note. */
static void test_unruled_cell_centred_on_two_rows(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *head[] = { "指標名", "単位", "区分", "令和４年度", "令和５年度", "令和６年度" };
  const double hx[] = { 112.7, 208.4, 253.8, 305.4, 387.6, 471.2 };
  for (guint c = 0; c < G_N_ELEMENTS(head); c++)
    put(g, head[c], hx[c], 343.7, 10);
  const char *names[][2] = { { "講座の開催回数", "回" }, { "受講者数", "人" } };
  const char *vals[][3] = { { "40", "45", "50" }, { "36", "47", "－" }, { "1,200", "1,400", "1,600" },
                            { "1,085", "1,512", "－" } };
  const double vx[] = { 368.1, 450.3, 535.4 }; /* right-aligned */
  for (guint n = 0; n < 2; n++) {
    double y = 358.5 + 29.6 * n;
    put(g, names[n][0], 60.2, y + 7.4, 10);
    put(g, names[n][1], 213.4, y + 7.4, 10);
    for (guint r = 0; r < 2; r++) {
      put(g, r == 0 ? "目標値" : "実績値", 248.8, y + 14.8 * r, 10);
      for (guint c = 0; c < 3; c++) {
        const char *v = vals[2 * n + r][c];
        double w = 0; /* its width, as put() sets it */
        for (const char *q = v; *q; q = g_utf8_next_char(q))
          w += kk_is_cjk(g_utf8_get_char(q)) ? 10 : 5;
        put(g, v, vx[c] - w, y + 14.8 * r, 10);
      }
    }
  }
  g_autoptr(GPtrArray) t = detect(g);
  assert_int_equal(t->len, 1);
  KkPageTable *table = g_ptr_array_index(t, 0);
  assert_int_equal(table->n_cols, 6);
  assert_int_equal(table->n_rows, 5);
  for (guint n = 0; n < 2; n++) {
    guint r = 1 + 2 * n;
    for (guint c = 0; c < 2; c++) {
      assert_int_equal(slot(table, r, c)->rowspan, 2);
      assert_ptr_equal(slot(table, r + 1, c), slot(table, r, c));
    }
    assert_int_equal(slot(table, r, 2)->rowspan, 1);
    assert_int_equal(kk_page_table_locate(table, 255, 358.5 + 29.6 * n + 6), table->cell_of[r * 6 + 2]);
    assert_int_equal(kk_page_table_locate(table, 255, 373.3 + 29.6 * n + 6), table->cell_of[(r + 1) * 6 + 2]);
    assert_int_equal(kk_page_table_locate(table, 215, 365.9 + 29.6 * n + 6), table->cell_of[r * 6 + 1]);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_unruled_narrow_gaps_and_wrapped_cell),
    cmocka_unit_test(test_unruled_rejects_two_column_prose),
    cmocka_unit_test(test_unruled_ignores_word_spaces),
    cmocka_unit_test(test_unruled_rejects_numbered_list),
    cmocka_unit_test(test_layout_ruled_page),
    cmocka_unit_test(test_header_guess),
    cmocka_unit_test(test_header_by_font),
    cmocka_unit_test(test_continuation_repeated_header_and_split_row),
    cmocka_unit_test(test_new_card_is_not_a_continuation),
    cmocka_unit_test(test_header_years_levels_units),
    cmocka_unit_test(test_header_corner_card_section_axis),
    cmocka_unit_test(test_continuation_heading_and_sheet_per_page),
    cmocka_unit_test(test_chart_is_a_figure),
    cmocka_unit_test(test_framed_line_chart_is_a_figure),
    cmocka_unit_test(test_sparse_table_is_no_figure),
    cmocka_unit_test(test_grid_splits_tables_close_together),
    cmocka_unit_test(test_unruled_table_beside_paragraph),
    cmocka_unit_test(test_unruled_vertically_centred_cells),
    cmocka_unit_test(test_unruled_keeps_split_row_tail),
    cmocka_unit_test(test_unruled_card),
    cmocka_unit_test(test_unruled_section_heading_ends_table),
    cmocka_unit_test(test_unruled_value_column_is_no_paragraph),
    cmocka_unit_test(test_unruled_heading_across_columns_is_no_row),
    cmocka_unit_test(test_unruled_centred_rows_group_row_and_header),
    cmocka_unit_test(test_unruled_cell_centred_on_two_rows),
    cmocka_unit_test(test_unruled_two_level_header_sections),
    cmocka_unit_test(test_unruled_card_row_of_two_pairs),
  };
  return cmocka_run_group_tests_name("extract tables", tests, NULL, NULL);
}
