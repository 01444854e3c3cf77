/* test_extract_fonts.c — a document's pages share its fonts
 * (extract/pdf-fonts.cc): Poppler makes each font object once per document,
 * not once for every page that uses it.  The sharing works by replacing a
 * libpoppler constructor at link time; if a change to the build or to
 * Poppler undid it, extract would still be right but a fifth slower, and
 * only this test would say so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "extract/extract.h"
#include "extract/pdf-fonts.h"
#include "common/kk-jsonl.h"

static gboolean count_pages(JsonObject *o, gpointer user_data, GError **error)
{
  guint *pages = user_data;
  if (g_strcmp0(kk_json_string(o, "type", NULL), "page") == 0)
    (*pages)++;
  return TRUE;
}

/* otoineppu_jinkou_vision.pdf: 49 pages set in 15 font objects (pdffonts
 * lists them; most pages use 3 to 6 of them).  Made per page, that would
 * be well over 49 fonts. */
static void test_fonts_made_once_per_document(void **state)
{
  const char *root = g_getenv("KK_ROOT") ? g_getenv("KK_ROOT") : ".";
  g_autofree char *path = g_build_filename(root, "corpus", "real", "otoineppu_jinkou_vision.pdf", NULL);
  unsigned long before = kk_pdf_fonts_made();
  guint pages = 0;
  g_autoptr(GError) error = NULL;
  KkExtractOptions o = { .no_tables = TRUE };
  assert_true(kk_extract_file(path, &o, count_pages, &pages, &error));
  assert_int_equal(pages, 49);
  unsigned long made = kk_pdf_fonts_made() - before;
  print_message("fonts made for 49 pages: %lu\n", made);
  assert_true(made >= 15);
  assert_true(made <= 20); /* 15 objects; a few may be named twice */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fonts_made_once_per_document),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
