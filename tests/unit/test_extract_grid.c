/* test_extract_grid.c — ruled grids from synthetic segments (grid.c):
 * tables stacked on shared rules, merged cells that are not rectangles;
 * header rows of ruled tables (continuation.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"

static const KkGridParams gp = { .tol = 2.5, .min_cell = 4.0, .max_cells = 200000 };

/* Appends a horizontal segment at y from x0 to x1. */
static void hseg(GArray *h, double y, double x0, double x1)
{
  KkSeg s = { y, x0, x1, 1 };
  g_array_append_val(h, s);
}

/* Appends a vertical segment at x from y0 to y1. */
static void vseg(GArray *v, double x, double y0, double y1)
{
  KkSeg s = { x, y0, y1, 1 };
  g_array_append_val(v, s);
}

/* The cell starting at (row, col), or NULL. */
static const KkCell *cell_at(const KkPageTable *t, guint row, guint col)
{
  for (guint i = 0; i < t->cells->len; i++) {
    const KkCell *c = &g_array_index(t->cells, KkCell, i);
    if (c->row == row && c->col == col)
      return c;
  }
  return NULL;
}

/* Three tables stacked on shared rules, sharing their side borders, each
 * with its own columns (a results page: individual, relay, school): a
 * 5-column table with a two-column-span header; a 4-column one whose first
 * column spans its rows and its total row's first two slots (an L: no
 * rule under the label, no wall beside the total); a 3-column one under a
 * full-width title row. */
static void test_grid_three_tables_touching(void **state)
{
  (void)state;
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  vseg(v, 100, 100, 340); /* shared side borders */
  vseg(v, 400, 100, 340);
  /* A: rows 100-120 (header), 120-180 body in three rows */
  for (double y = 100; y <= 180; y += 20)
    hseg(h, y, 100, 400);
  vseg(v, 180, 100, 180);
  vseg(v, 290, 100, 180);
  vseg(v, 240, 120, 180);
  vseg(v, 350, 120, 180);
  /* B: header 180-200 (one wall), runners 200-260, total 260-280 */
  hseg(h, 200, 100, 400);
  for (double y = 220; y <= 260; y += 20)
    hseg(h, y, 150, 400);
  hseg(h, 280, 100, 400);
  vseg(v, 260, 180, 280);
  vseg(v, 150, 200, 260);
  vseg(v, 320, 200, 280);
  /* C: title 280-292, names 292-310, two rows to 340 */
  hseg(h, 292, 100, 400);
  hseg(h, 310, 100, 400);
  hseg(h, 325, 100, 400);
  hseg(h, 340, 100, 400);
  vseg(v, 150, 292, 340);
  vseg(v, 350, 292, 340);

  g_autoptr(GPtrArray) t = kk_grid_build(h, v, &gp);
  assert_int_equal(t->len, 3);
  const KkPageTable *a = g_ptr_array_index(t, 0), *b = g_ptr_array_index(t, 1), *c = g_ptr_array_index(t, 2);
  assert_int_equal(a->n_rows, 4);
  assert_int_equal(a->n_cols, 5);
  assert_int_equal(cell_at(a, 0, 1)->colspan, 2);
  assert_int_equal(b->n_rows, 5);
  assert_int_equal(b->n_cols, 4);
  /* the L: the label spans the runners and the total row, the total
   * row's second slot is a cell of its own */
  const KkCell *label = cell_at(b, 1, 0);
  assert_non_null(label);
  assert_int_equal(label->rowspan, 4);
  assert_int_equal(label->colspan, 1);
  assert_non_null(cell_at(b, 4, 1));
  assert_int_equal(cell_at(b, 0, 0)->colspan, 2);
  assert_int_equal(c->n_rows, 4);
  assert_int_equal(c->n_cols, 3);
  assert_int_equal(cell_at(c, 0, 0)->colspan, 3); /* the title stays with its table */
  assert_true(c->box.y0 > 279 && c->box.y0 < 281);
}

/* A budget list: a 款 row spanning 款 and 項, then its 項 rows with the 款
 * column spanning down beside them, no rule between: a cell spanning two
 * columns and one spanning two rows. */
static void test_grid_heading_over_label_column(void **state)
{
  (void)state;
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  hseg(h, 100, 100, 400);
  hseg(h, 120, 100, 400);
  hseg(h, 140, 150, 400); /* under the 款 row only beside the label */
  hseg(h, 160, 150, 400);
  hseg(h, 180, 100, 400);
  vseg(v, 100, 100, 180);
  vseg(v, 400, 100, 180);
  vseg(v, 300, 100, 180);
  vseg(v, 150, 100, 120); /* header row */
  vseg(v, 150, 140, 180); /* beside the 項 rows */
  g_autoptr(GPtrArray) t = kk_grid_build(h, v, &gp);
  assert_int_equal(t->len, 1);
  const KkPageTable *a = g_ptr_array_index(t, 0);
  assert_int_equal(a->n_rows, 4);
  assert_int_equal(a->n_cols, 3);
  assert_int_equal(cell_at(a, 1, 0)->colspan, 2);
  assert_int_equal(cell_at(a, 1, 0)->rowspan, 1);
  assert_int_equal(cell_at(a, 2, 0)->rowspan, 2);
  assert_int_equal(cell_at(a, 2, 0)->colspan, 1);
  assert_non_null(cell_at(a, 2, 1));
  assert_non_null(cell_at(a, 3, 1));
}

/* A region of three pieces (a staircase: a chart's shape) is no cell: its
 * grid cells stay apart.  And a card whose rows all divide differently
 * (label | value, label | value | label | value, ...) is one table. */
static void test_grid_shapes_and_cards_stay(void **state)
{
  (void)state;
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  hseg(h, 100, 100, 250);
  hseg(h, 160, 100, 250);
  hseg(h, 120, 100, 150);
  hseg(h, 120, 200, 250);
  hseg(h, 140, 100, 200);
  vseg(v, 100, 100, 160);
  vseg(v, 250, 100, 160);
  vseg(v, 150, 120, 160);
  vseg(v, 200, 100, 120);
  vseg(v, 200, 140, 160);
  g_autoptr(GPtrArray) t = kk_grid_build(h, v, &gp);
  assert_int_equal(t->len, 1);
  const KkPageTable *a = g_ptr_array_index(t, 0);
  assert_int_equal(a->n_rows, 3);
  assert_int_equal(a->n_cols, 3);
  assert_int_equal(a->cells->len, 9);

  g_autoptr(GArray) h2 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v2 = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  for (double y = 100; y <= 180; y += 20)
    hseg(h2, y, 100, 400);
  vseg(v2, 100, 100, 180);
  vseg(v2, 400, 100, 180);
  vseg(v2, 200, 100, 180); /* the label column */
  vseg(v2, 250, 120, 140);
  vseg(v2, 300, 120, 140);
  vseg(v2, 350, 140, 160);
  vseg(v2, 280, 160, 180);
  g_autoptr(GPtrArray) t2 = kk_grid_build(h2, v2, &gp);
  assert_int_equal(t2->len, 1);
  assert_int_equal(((KkPageTable *)g_ptr_array_index(t2, 0))->n_rows, 4);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_grid_three_tables_touching),
    cmocka_unit_test(test_grid_heading_over_label_column),
    cmocka_unit_test(test_grid_shapes_and_cards_stay),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
