/*
 * kk-sha256.h — SHA-256 of what keikaku reads (documents are known by the
 * SHA-256 of their bytes: documents.sha256).
 *
 * Nettle's, not GLib's GChecksum: ingest hashes every file before its
 * stages run, and GChecksum's portable C took 11 ms per MB here, as much as
 * a third of pdftotext's whole run on the same file; Nettle picks the CPU's
 * SHA extensions at run time (1.9 ms per MB) and falls back to its own C.
 */
#ifndef KK_SHA256_H
#define KK_SHA256_H

#include <glib.h>
#include <nettle/sha2.h>

G_BEGIN_DECLS

/* Hex digits of a digest and the NUL after them. */
#define KK_SHA256_HEX_SIZE 65

typedef struct {
  struct sha256_ctx ctx;
} KkSha256;

/* Starts a digest. */
void kk_sha256_init(KkSha256 *sha);

/* Adds `len` bytes at `data` (any length, any number of calls). */
void kk_sha256_update(KkSha256 *sha, const void *data, gsize len);

/* Ends the digest: its 64 lower-case hex digits and a NUL in `hex` (the
 * form g_checksum_get_string() gave).  `sha` must be started again before
 * it is used for another digest. */
void kk_sha256_finish_hex(KkSha256 *sha, char hex[KK_SHA256_HEX_SIZE]);

G_END_DECLS

#endif
