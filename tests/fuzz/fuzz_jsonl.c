/* fuzz_jsonl.c — the shared JSON Lines reader and typed getters on any bytes. */
#include "tests/fuzz/fuzz.h"
#include "common/kk-jsonl.h"

#include <stdio.h>

/* touches every getter on every object, as stage code does */
static gboolean poke(JsonObject *o, gpointer user_data, GError **error)
{
  double bb[4];
  (void)kk_json_string(o, "type", NULL);
  (void)kk_json_int(o, "page", 0);
  (void)kk_json_double(o, "size", 0);
  (void)kk_json_bbox(o, "bbox", bb);
  JsonArray *rows = kk_json_array(o, "rows");
  if (rows != NULL)
    (void)json_array_get_length(rows);
  (void)kk_json_object(o, "metadata");
  return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  FILE *f = fmemopen((void *)data, size, "r");
  if (f == NULL)
    return 0;
  GError *error = NULL;
  kk_jsonl_read(f, "fuzz", 1 << 20, poke, NULL, &error);
  g_clear_error(&error);
  fclose(f);
  return 0;
}
