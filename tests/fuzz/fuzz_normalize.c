/* fuzz_normalize.c — the normalize library on any bytes: text repair,
 * annotation and the cell-value parsers the parse stage calls. */
#include "tests/fuzz/fuzz.h"
#include "normalize/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  /* the first byte picks the flags, the rest is the text */
  KkNormalizeFlags flags = (KkNormalizeFlags)(data[0] & 0x03);
  const char *text = (const char *)data + 1;
  gssize len = (gssize)size - 1;
  GError *error = NULL;
  char *norm = kk_normalize_text(text, len, flags, &error);
  if (norm != NULL) {
    GArray *spans = kk_annotate_text(norm, -1);
    g_array_unref(spans);
    KkValue v;
    gint64 yen;
    gint year;
    (void)kk_parse_number(norm, -1, &v);
    (void)kk_parse_amount_yen(norm, -1, &yen);
    (void)kk_parse_fiscal_year(norm, -1, &year);
    g_free(norm);
  }
  g_clear_error(&error);
  /* the value parsers normalize by themselves: give them raw bytes too */
  if (g_utf8_validate(text, len, NULL)) {
    KkValue v;
    gint64 yen;
    gint year;
    (void)kk_parse_number(text, len, &v);
    (void)kk_parse_amount_yen(text, len, &yen);
    (void)kk_parse_fiscal_year(text, len, &year);
  }
  return 0;
}
