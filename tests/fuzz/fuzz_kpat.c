/* fuzz_kpat.c — the pattern-file parser and compiler on any bytes: a broken
 * pattern file must fail with an error, never crash. */
#include "tests/fuzz/fuzz.h"
#include "patterns/kpat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GError *error = NULL;
  KpFamily *family = kp_family_parse("fuzz.kpat", (const char *)data, size, &error);
  if (family != NULL)
    kp_family_free(family);
  g_clear_error(&error);
  return 0;
}
