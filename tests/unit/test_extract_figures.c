/* test_extract_figures.c — extract/figures.c on synthetic pages: text set
 * in separate tinted boxes side by side is a figure, not the columns of one
 * whitespace table; the same text without boxes, or a table with one
 * shaded column, stays a table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"
#include "extract/layout.h"
#include "tests/unit/test-glyphs.h"

/* A page of two aligned columns, five rows: names at x 100, amounts at
 * x 330; `panels` tinted boxes behind them. */
static KkLayout *two_columns(const KkBox *panels, guint n_panels)
{
  KkLayout *l = kk_layout_new(595, 842);
  static const char *const rows[][2] = {
    { "◇保健体育振興事業", "◇生きがい事業" }, { "大会参加補助", "［2,142万円］" },
    { "各種スキー大会", "◇ヘルプサービス" }, { "［702万円］", "［3,338万円］" },
    { "◇除雪事業", "◇水道メーター" },
  };
  for (guint r = 0; r < G_N_ELEMENTS(rows); r++) {
    put(l->glyphs, rows[r][0], 100, 400 + 17 * r, 10);
    put(l->glyphs, rows[r][1], 330, 400 + 17 * r, 10);
  }
  g_array_append_vals(l->panels, panels, n_panels);
  kk_layout_build(l, NULL, NULL, TRUE);
  return l;
}

static void test_boxes_side_by_side_are_a_figure(void **state)
{
  /* no boxes: one whitespace table (what a newsletter's boxes gave) */
  g_autoptr(KkLayout) plain = two_columns(NULL, 0);
  assert_int_equal(plain->tables->len, 1);
  assert_int_equal(plain->figures->len, 0);

  /* each column in a grey box of its own, white between: a figure, its
   * text free lines */
  KkBox boxes[] = { { 90, 390, 300, 500 }, { 320, 380, 520, 500 }, { 320, 380, 330, 500 } };
  g_autoptr(KkLayout) l = two_columns(boxes, G_N_ELEMENTS(boxes));
  assert_int_equal(l->tables->len, 0);
  assert_int_equal(l->figures->len, 1);
  const KkFigure *f = &g_array_index(l->figures, KkFigure, 0);
  assert_int_equal(f->kind, KK_FIGURE_PANELS);
  assert_string_equal(kk_figure_kind_name(f->kind), "text set in separate boxes side by side");
  for (guint i = 0; i < l->lines->len; i++)
    assert_int_equal(g_array_index(l->lines, KkLine, i).table, -1);
}

static void test_shaded_parts_of_a_table_are_no_boxes(void **state)
{
  /* one column shaded: the other column's text lies outside any box */
  KkBox column[] = { { 320, 390, 520, 500 }, { 600, 390, 700, 500 } };
  g_autoptr(KkLayout) a = two_columns(column, G_N_ELEMENTS(column));
  assert_int_equal(a->tables->len, 1);
  /* two shaded columns that touch: no white between them */
  KkBox touching[] = { { 90, 390, 320, 500 }, { 320, 390, 520, 500 } };
  g_autoptr(KkLayout) b = two_columns(touching, G_N_ELEMENTS(touching));
  assert_int_equal(b->tables->len, 1);
  /* every cell its own fill: each box holds one row */
  KkBox cells[10];
  for (guint r = 0; r < 5; r++) {
    cells[2 * r] = (KkBox){ 95, 398 + 17 * r, 300, 414 + 17 * r };
    cells[2 * r + 1] = (KkBox){ 325, 398 + 17 * r, 520, 414 + 17 * r };
  }
  g_autoptr(KkLayout) c = two_columns(cells, G_N_ELEMENTS(cells));
  assert_int_equal(c->tables->len, 1);
  /* the whole table in one box */
  KkBox one[] = { { 80, 380, 540, 500 }, { 0, 0, 595, 300 } };
  g_autoptr(KkLayout) d = two_columns(one, G_N_ELEMENTS(one));
  assert_int_equal(d->tables->len, 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_boxes_side_by_side_are_a_figure),
    cmocka_unit_test(test_shaded_parts_of_a_table_are_no_boxes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
