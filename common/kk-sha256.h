/*
 * kk-sha256.h — SHA-256 (FIPS 180-4) of a document's bytes, its identity in
 * the database.
 *
 * GChecksum's SHA-256 is plain C (~53 instructions per byte): for a 50 MB
 * scanned plan that is a sixth of a second, spent before the stages can
 * start.  This one uses the x86 SHA extensions when the CPU has them (a
 * few cycles per byte) and a plain C compression function otherwise; both
 * give the digest of GChecksum (tests/unit/test_load_sha256.c).
 */
#ifndef KK_SHA256_H
#define KK_SHA256_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint32 state[8];
  guint64 length;      /* bytes so far */
  guint8 block[64];    /* a partial block */
  guint fill;          /* bytes in `block` */
} KkSha256;

/* Starts a digest. */
void kk_sha256_init(KkSha256 *sha);

/* Adds `len` bytes. */
void kk_sha256_update(KkSha256 *sha, const void *data, gsize len);

/* Ends the digest: 64 lowercase hex digits and a terminator into `out`.
 * `sha` must be initialized again before it is used again. */
void kk_sha256_hex(KkSha256 *sha, char out[65]);

/* TRUE when the SHA extensions are used (the CPU has them and they are
 * not switched off). */
gboolean kk_sha256_accelerated(void);

/* For tests: FALSE makes every digest use the plain C compression
 * function, TRUE (the default) the SHA extensions when the CPU has them. */
void kk_sha256_use_extensions(gboolean use);

G_END_DECLS

#endif
