/* test_load_sha256.c — common/kk-sha256.c gives GChecksum's SHA-256 digest,
 * with the SHA extensions (when this CPU has them) and with the plain C
 * compression function, for every length around the block and padding
 * boundaries, for data fed in pieces of any size, and for the standard
 * test vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common/kk-sha256.h"

static void digest(const guint8 *data, gsize len, gsize piece, char out[65])
{
  KkSha256 s;
  kk_sha256_init(&s);
  for (gsize at = 0; at < len;) {
    gsize n = MIN(piece, len - at);
    kk_sha256_update(&s, data + at, n);
    at += n;
  }
  kk_sha256_hex(&s, out);
}

static void compare_with_gchecksum(void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(65);
  gsize max = 3 * 65536 + 77;
  g_autofree guint8 *data = g_malloc(max);
  for (gsize i = 0; i < max; i++)
    data[i] = (guint8)g_rand_int(rand);
  gsize lengths[300];
  gsize n = 0;
  for (gsize l = 0; l <= 200; l++)
    lengths[n++] = l;
  const gsize more[] = { 255, 256, 511, 512, 1000, 4095, 4096, 65535, 65536, 65537, 3 * 65536 + 77 };
  for (gsize i = 0; i < G_N_ELEMENTS(more); i++)
    lengths[n++] = more[i];
  const gsize pieces[] = { 1, 3, 63, 64, 65, 1000, G_MAXSIZE };
  for (gsize i = 0; i < n; i++) {
    g_autoptr(GChecksum) ref = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(ref, data, (gssize)lengths[i]);
    for (gsize p = 0; p < G_N_ELEMENTS(pieces); p++) {
      if (lengths[i] > 5000 && pieces[p] < 63)
        continue; /* slow and adds nothing */
      char out[65];
      digest(data, lengths[i], pieces[p], out);
      if (strcmp(out, g_checksum_get_string(ref)) != 0)
        fail_msg("length %zu in pieces of %zu: %s, GChecksum %s", lengths[i], pieces[p], out,
                 g_checksum_get_string(ref));
    }
  }
  char out[65];
  digest((const guint8 *)"abc", 3, 64, out);
  assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  digest((const guint8 *)"", 0, 64, out);
  assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  digest((const guint8 *)two, strlen(two), 7, out);
  assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_plain_c(void **state)
{
  kk_sha256_use_extensions(FALSE);
  assert_false(kk_sha256_accelerated());
  compare_with_gchecksum();
  kk_sha256_use_extensions(TRUE);
}

static void test_sha_extensions(void **state)
{
  kk_sha256_use_extensions(TRUE);
  if (!kk_sha256_accelerated())
    skip(); /* this CPU has no SHA extensions: the plain test covers it */
  compare_with_gchecksum();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plain_c),
    cmocka_unit_test(test_sha_extensions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
