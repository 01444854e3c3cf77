/* test_extract_cards.c — unruled label/value cards (extract/cards.c) on
 * synthetic glyphs, the header rows of cards and of schedules, and a table
 * that ends a third of a page above the page's end (no continuation). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/cards.h"
#include "extract/layout.h"

/* Appends the glyphs of `s` to `g`, set from x on the line whose top is y:
 * wide characters advance one em (`em` pt), others half; a space (or a
 * full-width one) leaves white only.  Returns the x after the text. */
static double set_text(GArray *g, double x, double y, double em, const char *s)
{
  while (*s) {
    gunichar ch = g_utf8_get_char(s);
    double adv = ch == ' ' ? em / 4 : (kk_is_cjk(ch) ? em : em / 2);
    if (ch != ' ' && ch != 0x3000) {
      KkGlyph gl = { .box = { x, y, x + adv, y + 1.3 * em }, .ch = ch, .size = (float)em };
      g_array_append_val(g, gl);
    }
    x += adv;
    s = g_utf8_next_char(s);
  }
  return x;
}

/* One text set on a page: where, in which size. */
typedef struct {
  double x, y, em;
  const char *text;
} Put;

/* Sets the texts p[0..n) into g. */
static void put_all(GArray *g, const Put *p, guint n)
{
  for (guint i = 0; i < n; i++)
    set_text(g, p[i].x, p[i].y, p[i].em, p[i].text);
}

/* Runs kk_cards_detect() over all glyphs of g; *left gets how many glyph
 * indices it left for the whitespace-table finder. */
static GPtrArray *cards(GArray *g, guint *left)
{
  GPtrArray *t = g_ptr_array_new_with_free_func((GDestroyNotify)kk_page_table_free);
  g_autofree guint *idx = g_new(guint, g->len + 1);
  for (guint i = 0; i < g->len; i++)
    idx[i] = i;
  *left = kk_cards_detect((const KkGlyph *)g->data, idx, g->len, t);
  return t;
}

/* The cell of table t at the centre of glyph i of g, or -1. */
static gint cell_at(const KkPageTable *t, GArray *g, guint i)
{
  const KkBox *b = &g_array_index(g, KkGlyph, i).box;
  return kk_page_table_locate(t, (b->x0 + b->x1) / 2, (b->y0 + b->y1) / 2);
}

/* A card as LibreOffice sets it without rules: a heading in larger type,
 * labels left, values at one x, a second label and value on the first row,
 * a value of two lines, a page paragraph below after white. */
static void test_card_left_labels(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  set_text(g, 57, 60, 14, "基本方針１　市民との対話");
  guint heading = g->len;
  double y = 100, pitch = 15.3;
  static const Put top[] = { { 60, 100, 10.5, "所管部署" }, { 134, 100, 10.5, "広報課" },
                             { 310, 100, 10.5, "取組番号" }, { 378, 100, 10.5, "A-01" } };
  put_all(g, top, G_N_ELEMENTS(top));
  set_text(g, 60, y += pitch, 10.5, "取組名称");
  guint title = g->len;
  set_text(g, 134, y, 10.5, "出前講座の利用促進");
  set_text(g, 60, y += pitch, 10.5, "現状と課題");
  set_text(g, 134, y, 10.5, "出前講座の申込みは年間二十件前後で少ない。");
  guint second = g->len;
  set_text(g, 134, y + 11.9, 10.5, "平日夜間の開催が整っていない。");
  set_text(g, 60, y += pitch + 11.9, 10.5, "成果指標");
  set_text(g, 134, y, 10.5, "出前講座の利用件数　令和８年度 年間４０件");
  guint para = g->len;
  set_text(g, 57, y + 40, 10.5, "以上の取組を毎年度見直しながら着実に進めていくものとする。");
  guint left = 0;
  g_autoptr(GPtrArray) t = cards(g, &left);
  assert_int_equal(t->len, 1);
  const KkPageTable *c = g_ptr_array_index(t, 0);
  assert_false(c->ruled);
  assert_int_equal(c->n_rows, 4);
  assert_int_equal(c->n_cols, 4); /* label | value | 取組番号 | A-01 */
  /* the first row has four cells, the others a label and one value over
   * the three value columns */
  assert_int_equal(c->cells->len, 4 + 3 * 2);
  const KkCell *v = &g_array_index(c->cells, KkCell, c->cell_of[1 * 4 + 1]);
  assert_int_equal(v->colspan, 3);
  assert_int_equal(cell_at(c, g, title), c->cell_of[1 * 4 + 1]);
  /* the value's second line belongs to its label's row */
  assert_int_equal(cell_at(c, g, second), c->cell_of[2 * 4 + 1]);
  /* the heading and the paragraph stay outside and are left over */
  assert_true(c->box.y0 > 60 + 14 * 1.3);
  assert_true(c->box.y1 < g_array_index(g, KkGlyph, para).box.y0);
  assert_int_equal(left, heading + (g->len - para));
}

/* Labels centred in their column and vertically centred on their values:
 * a label between the two lines of its value takes both. */
static void test_card_centred_labels(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  double y = 86.4, pitch = 14.8;
  static const Put top[] = { { 76.5, 86.4, 10, "事業番号" }, { 139.6, 86.4, 10, "01-01-003" },
                             { 302.6, 86.4, 10, "担当課" }, { 355, 86.4, 10, "生涯学習課" } };
  put_all(g, top, G_N_ELEMENTS(top));
  set_text(g, 81.5, y += pitch, 10, "事業名");
  set_text(g, 139.6, y, 10, "出前講座事業");
  set_text(g, 86.5, y += pitch, 10, "施策");
  set_text(g, 139.6, y, 10, "生涯学習の推進");
  set_text(g, 71.5, y += pitch, 10, "事業の目的");
  set_text(g, 139.6, y, 10, "市民の学習意欲に応え、施策への理解を深める。");
  y += pitch;
  guint first = g->len;
  set_text(g, 139.6, y, 10, "市職員が地域の集会等に出向き、講座を開催する。");
  set_text(g, 71.5, y + 7, 10, "事業の内容"); /* between its value's lines, banded with the second */
  set_text(g, 139.6, y + 11.4, 10, "令和５年度からオンラインでの受講を可能にした。");
  guint left = 0;
  g_autoptr(GPtrArray) t = cards(g, &left);
  assert_int_equal(t->len, 1);
  const KkPageTable *c = g_ptr_array_index(t, 0);
  assert_int_equal(c->n_rows, 5);
  assert_int_equal(left, 0);
  /* the first line of 事業の内容's value is not 事業の目的's */
  assert_int_equal(cell_at(c, g, first), c->cell_of[4 * c->n_cols + 1]);
}

/* A schedule of one row under its year header: two label lines whose
 * values share column gaps (an em wide), a value's lines under it. */
static void test_two_row_schedule(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *years[] = { "令和５年度（実績）", "令和６年度（計画）", "令和７年度（計画）" };
  const char *work[] = { "講座の見直し", "要綱改正", "休日開催の試行" };
  double xs[] = { 123, 228, 333 };
  set_text(g, 60, 211, 10.5, "年度");
  set_text(g, 60, 227, 10.5, "取組内容");
  for (guint c = 0; c < 3; c++) {
    set_text(g, xs[c], 211, 10.5, years[c]);
    set_text(g, xs[c], 227, 10.5, work[c]);
  }
  guint tail = g->len;
  set_text(g, xs[1], 239, 10.5, "広報の強化");
  guint left = 0;
  g_autoptr(GPtrArray) t = cards(g, &left);
  assert_int_equal(t->len, 1);
  const KkPageTable *c = g_ptr_array_index(t, 0);
  assert_int_equal(c->n_rows, 2);
  assert_int_equal(c->n_cols, 4);
  assert_int_equal(c->cells->len, 8);
  assert_int_equal(cell_at(c, g, tail), c->cell_of[1 * 4 + 2]);
}

/* True when kk_cards_detect() finds no card among the texts p[0..n) and
 * leaves all their glyphs. */
static gboolean no_card(const Put *p, guint n)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put_all(g, p, n);
  guint left = 0;
  g_autoptr(GPtrArray) t = cards(g, &left);
  return t->len == 0 && left == g->len;
}

/* Not cards: a plain table (most rows hold several values: unruled.c's),
 * running text and a numbered list, two label lines without a second
 * pair, a calendar's sub-list under a label line of the same list. */
static void test_not_cards(void **state)
{
  static const Put plain[] = {
    { 90, 230, 10, "事業費" }, { 260, 230, 10, "1,250" }, { 380, 230, 10, "1,480" },
    { 90, 245, 10, "国庫支出金" }, { 260, 245, 10, "62,300" }, { 380, 245, 10, "65,800" },
    { 90, 260, 10, "県支出金" }, { 260, 260, 10, "－" }, { 380, 260, 10, "－" },
    { 90, 275, 10, "その他" }, { 260, 275, 10, "98,500" }, { 380, 275, 10, "101,300" },
  };
  static const Put prose[] = {
    { 57, 100, 10.5, "行政経営の基本的な考え方について述べる文章が続いていく。" },
    { 57, 115, 10.5, "行政経営の基本的な考え方について述べる文章が続いていく。" },
    { 57, 130, 10.5, "行政経営の基本的な考え方について述べる文章が続いていく。" },
    { 57, 180, 10.5, "（１）　窓口の改善" }, { 57, 195, 10.5, "（２）　手続の電子化" },
    { 57, 210, 10.5, "（３）　職員の育成" },
  };
  static const Put two[] = {
    { 60, 100, 10, "日時" }, { 100, 100, 10, "令和６年４月１日" },
    { 60, 115, 10, "場所" }, { 100, 115, 10, "市役所本庁舎" },
  };
  static const Put calendar[] = {
    { 64, 660, 10, "★各種予防接種" }, { 400, 660, 10, "（村立診療所／木曜）" },
    { 84, 675, 10, "日本脳炎" }, { 160, 675, 10, "3/17・24" }, { 300, 675, 10, "※すべて火曜" },
    { 84, 690, 10, "四種混合" }, { 160, 690, 10, "3/19" },
    { 84, 705, 10, "ヒブ" }, { 160, 705, 10, "3/26" },
  };
  assert_true(no_card(plain, G_N_ELEMENTS(plain)));
  assert_true(no_card(prose, G_N_ELEMENTS(prose)));
  assert_true(no_card(two, G_N_ELEMENTS(two)));
  assert_true(no_card(calendar, G_N_ELEMENTS(calendar)));
}

/* A cell with its text, for the header tests. */
static void put_cell(KkPageTable *t, guint r, guint c, guint colspan, const char *text)
{
  KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = colspan };
  cell.text = g_string_new(text);
  for (guint k = c; k < c + colspan; k++)
    t->cell_of[r * t->n_cols + k] = (gint)t->cells->len;
  g_array_append_val(t->cells, cell);
}

/* Puts the texts of one row of unspanned cells into t. */
static void put_row(KkPageTable *t, guint r, const char *const *texts)
{
  for (guint c = 0; c < t->n_cols; c++)
    put_cell(t, r, c, 1, texts[c]);
}

/* A card's first row (label | value | label | value over a value running
 * across them) is no header; a schedule's year row is, whatever its row
 * below holds; grades over a single row of posts are not (a grade or round
 * axis is a header over two rows or more: test_extract_tables.c). */
static void test_card_and_schedule_headers(void **state)
{
  g_autoptr(KkPageTable) card = kk_page_table_new(3, 4);
  put_row(card, 0, (const char *const[]){ "評価", "Ａ", "今後の方向性", "継続" });
  put_cell(card, 1, 0, 1, "改善内容");
  put_cell(card, 1, 1, 3, "受講者アンケートの結果を講座の見直しに活用し、３０件を目指す。");
  put_cell(card, 2, 0, 1, "備考");
  put_cell(card, 2, 1, 3, "なし");
  assert_int_equal(kk_guess_header_rows(card), 0);

  g_autoptr(KkPageTable) sched = kk_page_table_new(2, 4);
  put_row(sched, 0, (const char *const[]){ "年度", "令和５年度（実績）", "令和６年度（計画）", "令和７年度（計画）" });
  put_row(sched, 1, (const char *const[]){ "取組内容", "配信機材の検討", "配信の開始", "配信の継続" });
  assert_int_equal(kk_guess_header_rows(sched), 1);

  g_autoptr(KkPageTable) grades = kk_page_table_new(2, 4);
  put_row(grades, 0, (const char *const[]){ "区分", "１級", "２級", "３級" });
  put_row(grades, 1, (const char *const[]){ "一般行政職", "主事補", "主事", "主査" });
  assert_int_equal(kk_guess_header_rows(grades), 0);
}

/* Lays out one page of glyphs (unruled tables on) and links its tables. */
static KkLayout *page(GArray *g, KkPageTableSig *sig)
{
  KkLayout *l = kk_layout_new(595, 842);
  g_array_append_vals(l->glyphs, g->data, g->len);
  kk_layout_build(l, NULL, NULL, TRUE);
  kk_layout_link_tables(l, sig);
  return l;
}

/* A table that ends with a third of the page empty below it has ended:
 * the table at the top of the next page, though of the same columns, is
 * a new one; one that ends near the foot goes on. */
static void test_white_below_ends_table(void **state)
{
  for (guint near_foot = 0; near_foot < 2; near_foot++) {
    KkPageTableSig sig = { 0 };
    double top = near_foot ? 600 : 300;
    g_autoptr(GArray) a = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
    for (guint r = 0; r < 4; r++) {
      set_text(a, 60, top + 15 * r, 10, r == 0 ? "区分" : "地方税");
      set_text(a, 200, top + 15 * r, 10, r == 0 ? "予算額" : "1,200");
      set_text(a, 320, top + 15 * r, 10, r == 0 ? "前年度" : "1,100");
    }
    set_text(a, 290, 800, 9, "- 1 -");
    g_autoptr(KkLayout) p1 = page(a, &sig);
    assert_int_equal(p1->tables->len, 1);
    g_autoptr(GArray) b = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
    for (guint r = 0; r < 3; r++) {
      set_text(b, 60, 60 + 15 * r, 10, "使用料");
      set_text(b, 200, 60 + 15 * r, 10, "300");
      set_text(b, 320, 60 + 15 * r, 10, "280");
    }
    g_autoptr(KkLayout) p2 = page(b, &sig);
    assert_int_equal(p2->tables->len, 1);
    const KkPageTable *t = g_ptr_array_index(p2->tables, 0);
    assert_int_equal(t->continued_from_previous, near_foot);
    kk_page_table_sig_clear(&sig);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_card_left_labels),
    cmocka_unit_test(test_card_centred_labels),
    cmocka_unit_test(test_two_row_schedule),
    cmocka_unit_test(test_not_cards),
    cmocka_unit_test(test_card_and_schedule_headers),
    cmocka_unit_test(test_white_below_ends_table),
  };
  return cmocka_run_group_tests_name("extract cards", tests, NULL, NULL);
}
