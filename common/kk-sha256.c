/* kk-sha256.c — see kk-sha256.h */
#include "kk-sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KK_SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const guint32 K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline guint32 ror(guint32 x, int n)
{
  return (x >> n) | (x << (32 - n));
}

/* One round of the plain C compression function, the eight working
 * variables renamed instead of moved (ROUND8 rotates the names). */
#define ROUND(a, b, c, d, e, f, g, h, t)                                                     \
  do {                                                                                      \
    guint32 t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) + K[t] + w[t]; \
    guint32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));            \
    d += t1;                                                                                \
    h = t1 + t2;                                                                            \
  } while (0)
#define ROUND8(t)                          \
  do {                                     \
    ROUND(a, b, c, d, e, f, g, h, (t));     \
    ROUND(h, a, b, c, d, e, f, g, (t) + 1); \
    ROUND(g, h, a, b, c, d, e, f, (t) + 2); \
    ROUND(f, g, h, a, b, c, d, e, (t) + 3); \
    ROUND(e, f, g, h, a, b, c, d, (t) + 4); \
    ROUND(d, e, f, g, h, a, b, c, (t) + 5); \
    ROUND(c, d, e, f, g, h, a, b, (t) + 6); \
    ROUND(b, c, d, e, f, g, h, a, (t) + 7); \
  } while (0)

/* The compression function over `blocks` 64-byte blocks, in plain C. */
static void blocks_c(guint32 state[8], const guint8 *data, gsize blocks)
{
  for (; blocks > 0; blocks--, data += 64) {
    guint32 w[64];
    for (int t = 0; t < 16; t++)
      w[t] = (guint32)data[4 * t] << 24 | (guint32)data[4 * t + 1] << 16 |
             (guint32)data[4 * t + 2] << 8 | (guint32)data[4 * t + 3];
    for (int t = 16; t < 64; t++) {
      guint32 s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
      guint32 s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    guint32 a = state[0], b = state[1], c = state[2], d = state[3];
    guint32 e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t += 8)
      ROUND8(t);
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
}

#ifdef KK_SHA_X86
/* The compression function with the SHA extensions: each
 * _mm_sha256rnds2_epu32 does two rounds on the state held as ABEF/CDGH;
 * the message schedule advances four words at a time with msg1/msg2. */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_sha_ni(guint32 state[8], const guint8 *data, gsize blocks)
{
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);    /* ABCD */
  __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]); /* EFGH */
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                            /* CDAB */
  state1 = _mm_shuffle_epi32(state1, 0x1B);                      /* EFGH reversed */
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);              /* ABEF */
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);                   /* CDGH */
  for (; blocks > 0; blocks--, data += 64) {
    __m128i abef = state0, cdgh = state1;
    __m128i m[4];
    for (int g = 0; g < 16; g++) {
      if (g < 4) {
        m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * g)), swap);
      } else {
        /* W[t..t+3] from W[t-16..t-1]: m[g%4] still holds W[t-16..t-13] */
        __m128i x = _mm_sha256msg1_epu32(m[g & 3], m[(g - 3) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(m[(g - 1) & 3], m[(g - 2) & 3], 4));
        m[g & 3] = _mm_sha256msg2_epu32(x, m[(g - 1) & 3]);
      }
      __m128i msg = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
    }
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
  }
  tmp = _mm_shuffle_epi32(state0, 0x1B);       /* FEBA */
  state1 = _mm_shuffle_epi32(state1, 0xB1);    /* DCHG */
  state0 = _mm_blend_epi16(tmp, state1, 0xF0); /* DCBA */
  state1 = _mm_alignr_epi8(state1, tmp, 8);    /* HGFE */
  _mm_storeu_si128((__m128i *)&state[0], state0);
  _mm_storeu_si128((__m128i *)&state[4], state1);
}

/* CPUID: SHA (leaf 7 EBX bit 29), SSE4.1 and SSSE3 (leaf 1 ECX bits 19, 9). */
static gboolean cpu_has_sha(void)
{
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 19)) || !(c & (1u << 9)))
    return FALSE;
  if (__get_cpuid_max(0, NULL) < 7)
    return FALSE;
  __cpuid_count(7, 0, a, b, c, d);
  return (b & (1u << 29)) != 0;
}
#endif

static gint extensions_off = 0;

void kk_sha256_use_extensions(gboolean use)
{
  g_atomic_int_set(&extensions_off, !use);
}

gboolean kk_sha256_accelerated(void)
{
#ifdef KK_SHA_X86
  static gsize once = 0;
  static gboolean has = FALSE;
  if (g_once_init_enter(&once)) {
    has = cpu_has_sha();
    g_once_init_leave(&once, 1);
  }
  return has && !g_atomic_int_get(&extensions_off);
#else
  return FALSE;
#endif
}

static void blocks(guint32 state[8], const guint8 *data, gsize n)
{
#ifdef KK_SHA_X86
  if (kk_sha256_accelerated()) {
    blocks_sha_ni(state, data, n);
    return;
  }
#endif
  blocks_c(state, data, n);
}

void kk_sha256_init(KkSha256 *sha)
{
  static const guint32 h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy(sha->state, h0, sizeof h0);
  sha->length = 0;
  sha->fill = 0;
}

void kk_sha256_update(KkSha256 *sha, const void *data, gsize len)
{
  const guint8 *p = data;
  sha->length += len;
  if (sha->fill > 0) {
    gsize take = MIN(len, 64 - (gsize)sha->fill);
    memcpy(sha->block + sha->fill, p, take);
    sha->fill += (guint)take;
    p += take;
    len -= take;
    if (sha->fill < 64)
      return;
    blocks(sha->state, sha->block, 1);
    sha->fill = 0;
  }
  if (len >= 64) {
    blocks(sha->state, p, len / 64);
    p += len - len % 64;
    len %= 64;
  }
  memcpy(sha->block, p, len);
  sha->fill = (guint)len;
}

void kk_sha256_hex(KkSha256 *sha, char out[65])
{
  guint64 bits = sha->length * 8;
  guint8 pad[72] = { 0x80 };
  gsize padlen = (sha->fill < 56 ? 56 : 120) - sha->fill;
  for (int i = 0; i < 8; i++)
    pad[padlen + (gsize)i] = (guint8)(bits >> (56 - 8 * i));
  kk_sha256_update(sha, pad, padlen + 8);
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) {
    guint8 byte = (guint8)(sha->state[i / 4] >> (24 - 8 * (i % 4)));
    out[2 * i] = hex[byte >> 4];
    out[2 * i + 1] = hex[byte & 15];
  }
  out[64] = '\0';
}
