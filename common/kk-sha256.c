/* kk-sha256.c — see kk-sha256.h */
#include "kk-sha256.h"

void kk_sha256_init(KkSha256 *sha)
{
  sha256_init(&sha->ctx);
}

void kk_sha256_update(KkSha256 *sha, const void *data, gsize len)
{
  /* Nettle takes a size_t length: gsize is the same type */
  sha256_update(&sha->ctx, len, data);
}

void kk_sha256_finish_hex(KkSha256 *sha, char hex[KK_SHA256_HEX_SIZE])
{
  static const char digits[] = "0123456789abcdef";
  guint8 digest[SHA256_DIGEST_SIZE];
  sha256_digest(&sha->ctx, sizeof digest, digest);
  for (guint i = 0; i < SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[2 * SHA256_DIGEST_SIZE] = '\0';
}
