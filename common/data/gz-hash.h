/*
 * gz-hash.h — the string hash of the gazetteer's compiled-in name index,
 * shared by its generator (common/data/mkgazetteer.c, at build time) and
 * its reader (common/kk-gazetteer.c): both must hash alike.
 */
#ifndef KK_GZ_HASH_H
#define KK_GZ_HASH_H

#include <stdint.h>

/* FNV-1a (32 bits) of the NUL-terminated bytes of `s`. */
static inline uint32_t kk_gz_hash(const char *s)
{
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h;
}

#endif
