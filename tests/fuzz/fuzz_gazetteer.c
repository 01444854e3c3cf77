/* fuzz_gazetteer.c — the gazetteer (common/kk-gazetteer.h) on any bytes:
 * each line is one text, its first byte chooses where it stands; then the
 * document is resolved.  Nothing may crash, leak or read out of bounds, and
 * a verdict must be consistent with what it fills in. */
#include "tests/fuzz/fuzz.h"
#include "common/kk-gazetteer.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  KkGazetteerScan *s = kk_gazetteer_scan_new();
  const char *p = (const char *)data, *end = p + size;
  while (p < end) {
    const char *nl = memchr(p, '\n', end - p);
    const char *stop = nl ? nl : end;
    if (stop > p) {
      KkGzWhere where = (KkGzWhere)((unsigned char)*p % (KK_GZ_N_WHERE + 1)); /* one past: ignored */
      char *text = g_strndup(p + 1, stop - p - 1);
      kk_gazetteer_scan_text(s, text, where);
      g_free(text);
    }
    p = stop + 1;
  }
  KkGzResult r;
  kk_gazetteer_resolve(s, &r);
  if (r.why == NULL || ((r.verdict == KK_GZ_MUNICIPALITY || r.verdict == KK_GZ_PREFECTURE) && r.place == NULL) ||
      (r.verdict == KK_GZ_MUNICIPALITY && r.prefecture == NULL) ||
      (r.ward != NULL && strcmp(r.ward->city_code, r.place->lg_code) != 0))
    __builtin_trap();
  kk_gz_result_clear(&r);
  kk_gazetteer_scan_free(s);
  return 0;
}
