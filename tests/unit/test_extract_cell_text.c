/* test_extract_cell_text.c — extract/layout.c's cell text on synthetic
 * ruled cells: an item number set level with the middle of a two-line name
 * ("2" beside 新型…/交付金, fuji budget book p5) comes first, not between
 * the lines; a number in a row of its own, or right of the text, stays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"
#include "extract/layout.h"

/* Glyphs of `text` from (x, y): CJK glyphs `size` wide, others half. */
static void put(GArray *glyphs, const char *text, double x, double y, double size)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    double w = kk_is_cjk(c) ? size : size / 2;
    KkGlyph g = { { x, y, x + w, y + size * 1.3 }, c, (float)size, 0, 0, 0 };
    g_array_append_val(glyphs, g);
    x += w;
  }
}

/* The text of the first cell of a one-row grid (x 50..300..400, y 95..140)
 * holding the given lines: text, x, y each. */
static char *first_cell(const char *const *texts, const double *xs, const double *ys, guint n)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  for (guint i = 0; i < n; i++)
    put(l->glyphs, texts[i], xs[i], ys[i], 10);
  put(l->glyphs, "43,000", 340, 110, 10);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg hs[] = { { 95, 50, 400, 1 }, { 140, 50, 400, 1 } };
  KkSeg vs[] = { { 50, 95, 140, 1 }, { 300, 95, 140, 1 }, { 400, 95, 140, 1 } };
  g_array_append_vals(h, hs, 2);
  g_array_append_vals(v, vs, 3);
  kk_layout_build(l, h, v, FALSE);
  assert_int_equal(l->tables->len, 1);
  return g_strdup(kk_page_table_cell_text(g_ptr_array_index(l->tables, 0), 0, 0));
}

static void test_hanging_item_number_first(void **state)
{
  const char *const t[] = { "新型コロナ対策", "2", "交付金" };
  const double x[] = { 70, 56, 70 }, y[] = { 100, 107, 114 };
  g_autofree char *got = first_cell(t, x, y, 3);
  assert_string_equal(got, "2 新型コロナ対策\n交付金");
}

static void test_numbers_in_place(void **state)
{
  /* the number on a row of its own, below the name */
  const char *const a[] = { "新型コロナ対策", "交付金", "2" };
  const double ax[] = { 70, 70, 56 }, ay[] = { 100, 114, 126 };
  g_autofree char *got_a = first_cell(a, ax, ay, 3);
  assert_string_equal(got_a, "新型コロナ対策\n交付金\n2");
  /* right of the text: not a hanging item number */
  const char *const b[] = { "新型コロナ対策", "2", "交付金" };
  const double bx[] = { 70, 250, 70 }, by[] = { 100, 107, 114 };
  g_autofree char *got_b = first_cell(b, bx, by, 3);
  assert_string_equal(got_b, "新型コロナ対策\n2\n交付金");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hanging_item_number_first),
    cmocka_unit_test(test_numbers_in_place),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
