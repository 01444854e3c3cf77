/* kk-zlib.c — see kk-zlib.h */
#include "kk-zlib.h"
#include "common/kk-error.h"

#include <gio/gio.h>

/* Runs `conv` over all of `data`, appending its output to `out` until it
 * reports the end; FALSE on a converter error or output beyond `max_len`. */
static gboolean run_converter(GConverter *conv, const guint8 *data, gsize len, gsize max_len,
                              GByteArray *out, GError **error)
{
  guint8 buf[65536];
  gsize in_pos = 0;
  for (;;) {
    gsize read = 0, written = 0;
    g_autoptr(GError) e = NULL;
    GConverterResult r = g_converter_convert(conv, data + in_pos, len - in_pos, buf, sizeof buf,
                                             G_CONVERTER_INPUT_AT_END, &read, &written, &e);
    if (r == G_CONVERTER_ERROR) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "zlib: %s", e->message);
      return FALSE;
    }
    in_pos += read;
    if (out->len + written > max_len) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "zlib: more than %" G_GSIZE_FORMAT " bytes", max_len);
      return FALSE;
    }
    g_byte_array_append(out, buf, (guint)written);
    if (r == G_CONVERTER_FINISHED)
      return TRUE;
    if (read == 0 && written == 0 && in_pos >= len) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "zlib: data cut short");
      return FALSE;
    }
  }
}

/* One compressor per thread, reset between uses: a new one per call
 * allocated and cleared zlib's 256 KB of state every time (deflateInit,
 * with the page faults of fresh memory), which cost as much as
 * compressing a page of extract output. */
static GPrivate compressor = G_PRIVATE_INIT(g_object_unref);

/* Level 3: 40% of level 6's time on extract output, for 16% more
 * bytes (measured on the corpus; this was a tenth of ingest's own work). */
GBytes *kk_zlib_compress(const void *data, gsize len, GError **error)
{
  GConverter *c = g_private_get(&compressor);
  if (c == NULL) {
    c = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 3));
    g_private_set(&compressor, c);
  }
  g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)MIN(len / 4 + 64, G_MAXUINT));
  gboolean ok = run_converter(c, data, len, G_MAXUINT32, out, error);
  g_converter_reset(c); /* the next call starts a new stream */
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

char *kk_zlib_decompress(const void *data, gsize len, gsize max_len, GError **error)
{
  g_autoptr(GZlibDecompressor) d = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GByteArray) out = g_byte_array_new();
  if (!run_converter(G_CONVERTER(d), data, len, max_len, out, error))
    return NULL;
  g_byte_array_append(out, (const guint8 *)"", 1);
  return (char *)g_byte_array_free(g_steal_pointer(&out), FALSE);
}
