/* test_extract_geom.c — extract's pure geometry on synthetic input:
 * ruling segments -> grid with spans; glyphs -> lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"
#include "extract/layout.h"

/* ---- segments ---- */

static void test_segments_merge_dotted_and_double(void **state)
{
  g_autoptr(GArray) s = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg dots[] = { { 100.2, 0, 30, 1 }, { 100.0, 32, 60, 1 }, { 99.8, 62, 90, 1 }, /* one dotted rule */
                   { 100.5, 200, 210, 1 },                                      /* far away: separate */
                   { 300, 0, 3, 1 } };                                          /* too short */
  g_array_append_vals(s, dots, G_N_ELEMENTS(dots));
  kk_segments_merge(s, 1.5, 3.0, 6.0);
  assert_int_equal(s->len, 2);
  KkSeg *m = (KkSeg *)s->data;
  assert_float_equal(m[0].a0, 0, 0.001);
  assert_float_equal(m[0].a1, 90, 0.001);
  assert_float_equal(m[0].pos, 100.0, 0.1);
  assert_float_equal(m[1].a0, 200, 0.001);
}

/* ---- grid ---- */

static void add(GArray *a, double pos, double a0, double a1)
{
  KkSeg s = { pos, a0, a1, 1 };
  g_array_append_val(a, s);
}

static const KkGridParams grid_params = { .tol = 2.5, .min_cell = 4.0, .max_cells = 10000 };

/* A 3×3 grid whose top-left two cells are one (colspan 2) and whose right
 * column's lower two cells are one (rowspan 2):
 *   +-----+--+
 *   |  A     |B |
 *   +--+--+--+
 *   |C |D |E |
 *   +--+--+  |
 *   |F |G |  |
 *   +--+--+--+ */
static void test_grid_spans(void **state)
{
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  add(h, 100, 50, 350);
  add(h, 120, 50, 350);
  add(h, 140, 50, 250); /* stops at the rowspan cell */
  add(h, 160, 50, 350);
  add(v, 50, 100, 160);
  add(v, 150, 120, 160); /* not in the first row: colspan */
  add(v, 250, 100, 160);
  add(v, 350, 100, 160);
  g_autoptr(GPtrArray) tables = kk_grid_build(h, v, &grid_params);
  assert_int_equal(tables->len, 1);
  KkPageTable *t = g_ptr_array_index(tables, 0);
  assert_true(t->ruled);
  assert_int_equal(t->n_rows, 3);
  assert_int_equal(t->n_cols, 3);
  assert_int_equal(t->cells->len, 7);
  KkCell *a = &g_array_index(t->cells, KkCell, 0);
  assert_int_equal(a->colspan, 2);
  assert_int_equal(a->rowspan, 1);
  KkCell *e = &g_array_index(t->cells, KkCell, 4); /* C, D, E in row 1 */
  assert_int_equal(e->row, 1);
  assert_int_equal(e->col, 2);
  assert_int_equal(e->rowspan, 2);
  assert_float_equal(e->box.y1, 160, 0.01);
  assert_int_equal(kk_page_table_locate(t, 300, 155), 4); /* lower half of E */
  assert_int_equal(kk_page_table_locate(t, 100, 110), 0);
  assert_int_equal(kk_page_table_locate(t, 10, 110), -1);
}

/* Open-sided tables (no left/right border) still get their outer columns,
 * a single box is not a table, and separate tables stay separate. */
static void test_grid_open_sides_and_boxes(void **state)
{
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  add(h, 100, 50, 350);
  add(h, 120, 50, 350);
  add(h, 140, 50, 350);
  add(v, 150, 100, 140);
  add(v, 250, 100, 140);
  /* a frame elsewhere */
  add(h, 400, 50, 200);
  add(h, 500, 50, 200);
  add(v, 50, 400, 500);
  add(v, 200, 400, 500);
  g_autoptr(GPtrArray) tables = kk_grid_build(h, v, &grid_params);
  assert_int_equal(tables->len, 1);
  KkPageTable *t = g_ptr_array_index(tables, 0);
  assert_int_equal(t->n_cols, 3);
  assert_int_equal(t->n_rows, 2);
  assert_float_equal(t->xs[0], 50, 0.01);
  assert_float_equal(t->xs[3], 350, 0.01);
}

/* ---- lines ---- */

/* Lays out `text` horizontally from (x, y) with each glyph `adv` wide and
 * `gap` apart; returns the x after the last glyph. */
static double put(GArray *glyphs, const char *text, double x, double y, double size, double adv, double gap)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    double w = c < 0x80 ? adv / 2 : adv;
    if (c != ' ') {
      KkGlyph g = { { x, y, x + w, y + size * 1.2 }, c, (float)size, 0, 0, 0 };
      g_array_append_val(glyphs, g);
    }
    x += w + gap;
  }
  return x;
}

static char **build_lines(GArray *glyphs, GArray **lines_out, GString **pool_out)
{
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(KkLine));
  GString *pool = g_string_new(NULL);
  g_autofree guint *idx = g_new(guint, glyphs->len + 1);
  for (guint i = 0; i < glyphs->len; i++)
    idx[i] = glyphs->len - 1 - i; /* any input order */
  kk_lines_build((KkGlyph *)glyphs->data, idx, glyphs->len, NULL, -1, -1, lines, pool);
  char **texts = g_new0(char *, lines->len + 1);
  for (guint i = 0; i < lines->len; i++) {
    KkLine *l = &g_array_index(lines, KkLine, i);
    texts[i] = g_strndup(pool->str + l->text_off, l->text_len);
  }
  if (lines_out)
    *lines_out = lines;
  else
    g_array_free(lines, TRUE);
  if (pool_out)
    *pool_out = pool;
  else
    g_string_free(pool, TRUE);
  return texts;
}

static void test_lines_japanese_no_spurious_spaces(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "行政改革の推進について", 50, 100, 10, 10, 0);
  put(g, "均等割付された見出し", 50, 120, 10, 10, 3.5);     /* letter-spaced: no spaces */
  double x = put(g, "感染症", 50, 140, 10, 10, 0);
  put(g, "県内発生事例", x + 3.5, 140, 10, 10, 0);              /* a typed space */
  put(g, "Action Plan 2024", 50, 160, 10, 10, 0.3);
  g_auto(GStrv) t = build_lines(g, NULL, NULL);
  assert_int_equal(g_strv_length(t), 4);
  assert_string_equal(t[0], "行政改革の推進について");
  assert_string_equal(t[1], "均等割付された見出し");
  assert_string_equal(t[2], "感染症 県内発生事例");
  assert_string_equal(t[3], "Action Plan 2024");
}

static void test_lines_split_at_wide_gaps_and_dedupe(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  double x = put(g, "項目", 50, 100, 10, 10, 0);
  put(g, "担当課", x + 40, 100.5, 10, 10, 0);  /* a column gap, baseline off by 0.5 */
  put(g, "太字", 50, 130, 10, 10, 0);
  put(g, "太字", 50.4, 130.2, 10, 10, 0);     /* drawn twice: fake bold */
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GString) pool = NULL;
  GArray *l = NULL;
  GString *p = NULL;
  g_auto(GStrv) t = build_lines(g, &l, &p);
  lines = l;
  pool = p;
  assert_int_equal(g_strv_length(t), 3);
  assert_string_equal(t[0], "項目");
  assert_string_equal(t[1], "担当課");
  assert_string_equal(t[2], "太字");
  KkLine *first = &g_array_index(lines, KkLine, 0);
  assert_float_equal(first->box.x0, 50, 0.01);
  assert_float_equal(first->box.x1, 70, 0.01);
  assert_float_equal(first->size, 10, 0.01);
}

static void test_lines_vertical(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *cols[] = { "縦書き", "二行目" };
  for (guint c = 0; c < 2; c++) {
    guint k = 0;
    for (const char *p = cols[c]; *p; p = g_utf8_next_char(p), k++) {
      KkGlyph gl = { { 200 - 20.0 * c, 50 + 10.0 * k, 210 - 20.0 * c, 60 + 10.0 * k },
                     g_utf8_get_char(p), 10, 0, KK_GLYPH_VERTICAL, c };
      g_array_append_val(g, gl);
    }
  }
  g_auto(GStrv) t = build_lines(g, NULL, NULL);
  assert_int_equal(g_strv_length(t), 2);
  assert_string_equal(t[0], "縦書き");
  assert_string_equal(t[1], "二行目");
}

/* ---- reading order ---- */

static void test_reading_order_two_columns_under_a_title(void **state)
{
  /* title across both columns, then two columns with aligned baselines,
   * then a footer across the page */
  KkBox b[] = {
    { 100, 50, 500, 65 },                                   /* 0 title */
    { 50, 100, 280, 112 }, { 320, 100, 550, 112 },          /* 1 L1, 2 R1 */
    { 50, 115, 280, 127 }, { 320, 115, 550, 127 },          /* 3 L2, 4 R2 */
    { 50, 130, 200, 142 }, { 320, 130, 550, 142 },          /* 5 L3, 6 R3 */
    { 250, 800, 350, 812 },                                 /* 7 footer */
  };
  guint order[8];
  kk_reading_order(b, NULL, 8, 12, order);
  guint want[] = { 0, 1, 3, 5, 2, 4, 6, 7 };
  assert_memory_equal(order, want, sizeof want);
}

static void test_reading_order_vertical_right_to_left(void **state)
{
  KkBox b[] = { { 100, 50, 110, 200 }, { 130, 50, 140, 200 }, { 115, 50, 125, 120 } };
  gboolean vert[] = { TRUE, TRUE, TRUE };
  guint order[3];
  kk_reading_order(b, vert, 3, 12, order);
  guint want[] = { 1, 2, 0 };
  assert_memory_equal(order, want, sizeof want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_segments_merge_dotted_and_double),
    cmocka_unit_test(test_grid_spans),
    cmocka_unit_test(test_grid_open_sides_and_boxes),
    cmocka_unit_test(test_lines_japanese_no_spurious_spaces),
    cmocka_unit_test(test_lines_split_at_wide_gaps_and_dedupe),
    cmocka_unit_test(test_lines_vertical),
    cmocka_unit_test(test_reading_order_two_columns_under_a_title),
    cmocka_unit_test(test_reading_order_vertical_right_to_left),
  };
  return cmocka_run_group_tests_name("extract geometry", tests, NULL, NULL);
}
