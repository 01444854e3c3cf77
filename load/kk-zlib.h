/*
 * kk-zlib.h — zlib compression of stored text (the extract output ingest
 * keeps per page), with GIO's GZlibCompressor.
 */
#ifndef KK_ZLIB_H
#define KK_ZLIB_H

#include <glib.h>

G_BEGIN_DECLS

/* Compresses `len` bytes of `data` (zlib format). */
GBytes *kk_zlib_compress(const void *data, gsize len, GError **error);

/* Decompresses `data` into a NUL-terminated string of at most `max_len`
 * bytes; fails with KK_ERROR_INPUT for damaged data and KK_ERROR_LIMIT
 * beyond `max_len`. */
char *kk_zlib_decompress(const void *data, gsize len, gsize max_len, GError **error);

G_END_DECLS

#endif
