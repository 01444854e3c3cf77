/* test_extract_classify.c — page classification (extract/classify.c):
 * the decision on synthetic ink, and whole pages made with cairo at run
 * time (text, text turned to outlines, a picture, text over a picture, a
 * blank page) read through kk_extract_file(), so the hooks in pdf-core.cc
 * that see images and filled contours are tested too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <cairo.h>
#include <cairo-pdf.h>

#include "common/kk-error.h"
#include "extract/classify.h"
#include "extract/extract.h"

/* ---- the decision ------------------------------------------------------ */

static void test_decision(void **state)
{
  KkPageInk ink;
  kk_page_ink_init(&ink, 600, 800);
  assert_int_equal(kk_page_classify(0, &ink), KK_PAGE_EMPTY);
  assert_int_equal(kk_page_classify(12, &ink), KK_PAGE_TEXT);

  /* a logo: a tenth of the page */
  double lx[4] = { 0, 200, 200, 0 }, ly[4] = { 0, 0, 240, 240 };
  kk_page_ink_add_image(&ink, lx, ly, 400, 480);
  assert_int_equal(kk_page_classify(12, &ink), KK_PAGE_TEXT);
  assert_int_equal(kk_page_classify(0, &ink), KK_PAGE_EMPTY);

  /* a scan over the whole page, partly off it: clipped */
  double sx[4] = { -10, 610, 610, -10 }, sy[4] = { -10, -10, 810, 810 };
  kk_page_ink_add_image(&ink, sx, sy, 2480, 3508);
  assert_int_equal(ink.n_images, 2);
  assert_true(ink.image_area >= 600.0 * 800.0);
  assert_int_equal(ink.image_px[0], 2480);
  assert_true(ink.image_box[0] == 0 && ink.image_box[2] == 600);
  assert_int_equal(kk_page_classify(0, &ink), KK_PAGE_IMAGE);
  assert_int_equal(kk_page_classify(3, &ink), KK_PAGE_MIXED);

  /* contours: rectangles and page-wide shapes are no glyphs */
  kk_page_ink_init(&ink, 600, 800);
  for (int i = 0; i < 500; i++) {
    kk_page_ink_add_contour(&ink, 10, 10, 50, 30, 5, FALSE);   /* cell shading */
    kk_page_ink_add_contour(&ink, 0, 0, 500, 700, 40, TRUE);   /* a big shape */
    kk_page_ink_add_contour(&ink, 0, 0, 0.2, 0.2, 9, TRUE);    /* a dot */
  }
  assert_int_equal(ink.outline_contours, 0);
  for (int i = 0; i < 199; i++)
    kk_page_ink_add_contour(&ink, 10, 10, 20, 21, 14, TRUE);
  assert_int_equal(kk_page_classify(0, &ink), KK_PAGE_EMPTY); /* a few icons */
  kk_page_ink_add_contour(&ink, 10, 10, 20, 21, 12, FALSE);    /* a straight gothic outline */
  assert_int_equal(kk_page_classify(0, &ink), KK_PAGE_OUTLINED);
  assert_int_equal(kk_page_classify(40, &ink), KK_PAGE_MIXED);

  /* non-finite corners are ignored */
  double nx[4] = { 0, NAN, 1, 0 }, ny[4] = { 0, 0, 1, 1 };
  kk_page_ink_add_image(&ink, nx, ny, 1, 1);
  assert_int_equal(ink.n_images, 0);
}

static void test_names(void **state)
{
  assert_string_equal(kk_page_content_name(KK_PAGE_TEXT), "text");
  assert_string_equal(kk_page_content_name(KK_PAGE_IMAGE), "image");
  assert_string_equal(kk_page_content_name(KK_PAGE_OUTLINED), "outlined");
  assert_string_equal(kk_page_content_name(KK_PAGE_MIXED), "mixed");
  assert_string_equal(kk_page_content_name(KK_PAGE_EMPTY), "empty");
  assert_true(kk_page_content_needs_ocr(KK_PAGE_IMAGE));
  assert_true(kk_page_content_needs_ocr(KK_PAGE_OUTLINED));
  assert_false(kk_page_content_needs_ocr(KK_PAGE_TEXT));
  assert_false(kk_page_content_needs_ocr(KK_PAGE_MIXED));
  assert_false(kk_page_content_needs_ocr(KK_PAGE_EMPTY));
}

/* ---- whole pages made with cairo ---------------------------------------- */

static const char *const SENTENCE = "令和4年度の目標は1億5,000万円とする。";

static void draw_text(cairo_t *cr, gboolean outlines)
{
  cairo_select_font_face(cr, "IPAexGothic", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 14);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int line = 0; line < 12; line++) {
    cairo_move_to(cr, 40, 80 + 24 * line);
    if (outlines) {
      cairo_text_path(cr, SENTENCE);
      cairo_fill(cr);
    } else {
      cairo_show_text(cr, SENTENCE);
    }
  }
}

static void draw_picture(cairo_t *cr, double w, double h)
{
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 280);
  cairo_t *ic = cairo_create(img);
  cairo_set_source_rgb(ic, 0.8, 0.8, 0.7);
  cairo_paint(ic);
  cairo_set_source_rgb(ic, 0.2, 0.3, 0.2);
  cairo_arc(ic, 100, 140, 60, 0, 6.28);
  cairo_fill(ic);
  cairo_destroy(ic);
  cairo_save(cr);
  cairo_scale(cr, w / 200.0, h / 280.0);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);
}

static gboolean collect(JsonObject *o, gpointer user_data, GError **error)
{
  GPtrArray *contents = user_data;
  if (g_strcmp0(json_object_get_string_member_with_default(o, "type", ""), "page") == 0)
    g_ptr_array_add(contents, g_strdup(json_object_get_string_member_with_default(o, "content", "?")));
  return TRUE;
}

static gboolean keep_pages(JsonObject *o, gpointer user_data, GError **error)
{
  if (g_strcmp0(json_object_get_string_member_with_default(o, "type", ""), "page") == 0)
    g_ptr_array_add(user_data, json_object_ref(o));
  return TRUE;
}

static void test_pages_made_with_cairo(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("kk-classify-XXXXXX", NULL);
  assert_non_null(dir);
  g_autofree char *path = g_build_filename(dir, "kinds.pdf", NULL);
  const double w = 420, h = 595;
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, w, h);
  cairo_t *cr = cairo_create(pdf);
  draw_text(cr, FALSE);                 /* 1: text */
  cairo_show_page(cr);
  draw_text(cr, TRUE);                  /* 2: the same text as outlines */
  cairo_show_page(cr);
  draw_picture(cr, w, h);               /* 3: a picture over the page */
  cairo_show_page(cr);
  draw_picture(cr, w, h);               /* 4: text over a picture */
  draw_text(cr, FALSE);
  cairo_show_page(cr);
  cairo_show_page(cr);                  /* 5: blank */
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  assert_int_equal(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(pdf);

  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) e = NULL;
  KkExtractOptions o = { 0 };
  o.ocr = KK_OCR_NEVER;
  gboolean ok = kk_extract_file(path, &o, collect, contents, &e);
  if (!ok)
    fail_msg("extract: %s", e->message);
  assert_int_equal(contents->len, 5);
  const char *want[] = { "text", "outlined", "image", "mixed", "empty" };
  for (guint i = 0; i < 5; i++)
    if (strcmp(g_ptr_array_index(contents, i), want[i]) != 0)
      fail_msg("page %u: %s, wanted %s", i + 1, (char *)g_ptr_array_index(contents, i), want[i]);

  /* auto: the outlined and the image page are read by OCR, the others not */
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  o.ocr = KK_OCR_AUTO;
  if (!g_file_test("/usr/share/tesseract-ocr/5/tessdata/jpn.traineddata", G_FILE_TEST_EXISTS)) {
    print_message("skipped: OCR of the outlined page (Tesseract's jpn data not installed)\n");
  } else {
    ok = kk_extract_file(path, &o, keep_pages, pages, &e);
    if (!ok)
      fail_msg("extract --ocr auto: %s", e->message);
    assert_int_equal(pages->len, 5);
    for (guint i = 0; i < 5; i++)
      assert_int_equal(json_object_has_member(g_ptr_array_index(pages, i), "ocr"), i == 1 || i == 2);
    JsonArray *lines = json_object_get_array_member(g_ptr_array_index(pages, 1), "lines");
    guint read = 0;
    for (guint i = 0; i < json_array_get_length(lines); i++) {
      JsonObject *l = json_array_get_object_element(lines, i);
      g_autofree char *squeezed = g_strdup(json_object_get_string_member(l, "text"));
      g_strdelimit(squeezed, " ", '\x01');
      GString *t = g_string_new(NULL);
      for (const char *q = squeezed; *q; q++)
        if (*q != '\x01')
          g_string_append_c(t, *q);
      if (strstr(t->str, "令和4年度の目標は1億5") != NULL) /* Tesseract reads "," as "." here */
        read++;
      assert_true(json_object_has_member(l, "confidence"));
      g_string_free(t, TRUE);
    }
    if (read < 10)
      fail_msg("OCR found the sentence on %u of 12 outlined lines", read);
  }
  g_unlink(path);
  g_rmdir(dir);
}

/* A scanned ruled table: a 3 x 3 grid with Japanese text drawn into a
 * 300 dpi picture, the picture as the only content of the page.  OCR reads
 * the text and the rulings found in the picture make a ruled table. */
static void test_scanned_ruled_table(void **state)
{
  if (!g_file_test("/usr/share/tesseract-ocr/5/tessdata/jpn.traineddata", G_FILE_TEST_EXISTS)) {
    print_message("skipped: Tesseract's jpn data not installed\n");
    return;
  }
  const char *cells[3][3] = {
    { "区分", "令和4年度", "令和5年度" },
    { "目標", "120件", "150件" },
    { "実績", "98件", "131件" },
  };
  const double w = 420, h = 300, scale = 300.0 / 72.0;
  cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale), (int)(h * scale));
  cairo_t *ic = cairo_create(img);
  cairo_set_source_rgb(ic, 1, 1, 1);
  cairo_paint(ic);
  cairo_scale(ic, scale, scale);
  cairo_set_source_rgb(ic, 0, 0, 0);
  cairo_set_line_width(ic, 1.0);
  const double x0 = 40, y0 = 60, cw = 110, ch = 40;
  for (int i = 0; i <= 3; i++) {
    cairo_move_to(ic, x0, y0 + i * ch);
    cairo_line_to(ic, x0 + 3 * cw, y0 + i * ch);
    cairo_move_to(ic, x0 + i * cw, y0);
    cairo_line_to(ic, x0 + i * cw, y0 + 3 * ch);
  }
  cairo_stroke(ic);
  cairo_select_font_face(ic, "IPAexGothic", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(ic, 14);
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++) {
      cairo_move_to(ic, x0 + c * cw + 12, y0 + r * ch + 26);
      cairo_show_text(ic, cells[r][c]);
    }
  cairo_destroy(ic);

  g_autofree char *dir = g_dir_make_tmp("kk-ocr-table-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "table.pdf", NULL);
  cairo_surface_t *pdf = cairo_pdf_surface_create(path, w, h);
  cairo_t *cr = cairo_create(pdf);
  cairo_scale(cr, 1 / scale, 1 / scale);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_finish(pdf);
  cairo_surface_destroy(pdf);
  cairo_surface_destroy(img);

  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  g_autoptr(GError) e = NULL;
  KkExtractOptions o = { 0 };
  if (!kk_extract_file(path, &o, keep_pages, pages, &e))
    fail_msg("extract: %s", e->message);
  assert_int_equal(pages->len, 1);
  JsonObject *page = g_ptr_array_index(pages, 0);
  assert_string_equal(json_object_get_string_member(page, "content"), "image");
  JsonArray *tables = json_object_get_array_member(page, "tables");
  assert_int_equal(json_array_get_length(tables), 1);
  JsonObject *t = json_array_get_object_element(tables, 0);
  assert_true(json_object_get_boolean_member(t, "ruled"));
  assert_int_equal(json_object_get_int_member(t, "n_rows"), 3);
  assert_int_equal(json_object_get_int_member(t, "n_cols"), 3);
  JsonArray *rows = json_object_get_array_member(t, "rows");
  guint right = 0;
  for (guint r = 0; r < 3; r++) {
    JsonArray *row = json_array_get_array_element(rows, r);
    assert_int_equal(json_array_get_length(row), 3);
    for (guint c = 0; c < 3; c++) {
      JsonObject *cell = json_array_get_object_element(row, c);
      if (g_strcmp0(json_object_get_string_member(cell, "text"), cells[r][c]) == 0)
        right++;
      assert_true(json_object_has_member(cell, "ocr_words"));
    }
  }
  if (right < 8)
    fail_msg("%u of 9 cells read exactly", right);
  g_unlink(path);
  g_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decision),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_pages_made_with_cairo),
    cmocka_unit_test(test_scanned_ruled_table),
  };
  return cmocka_run_group_tests_name("extract_classify", tests, NULL, NULL);
}
