/* test_extract_digest.c — KkExtractOptions.sha256: a digest handed in by
 * the caller (ingest hashed the file already) is used only while the file
 * still has the size and modification time it was hashed at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "extract/extract.h"
#include "common/kk-jsonl.h"

#define FAKE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static gboolean keep_sha(JsonObject *o, gpointer user_data, GError **error)
{
  char **sha = user_data;
  const char *s = kk_json_string(o, "sha256", NULL);
  if (s && *sha == NULL)
    *sha = g_strdup(s);
  return TRUE;
}

/* The document's sha256 member when extracted with `opts`. */
static char *extracted_sha(const char *path, const KkExtractOptions *opts)
{
  char *sha = NULL;
  g_autoptr(GError) error = NULL;
  assert_true(kk_extract_file(path, opts, keep_sha, &sha, &error));
  return sha;
}

static void test_digest_trusted_only_for_the_same_file(void **state)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const char *root = g_getenv("KK_ROOT") ? g_getenv("KK_ROOT") : ".";
  g_autofree char *src = g_build_filename(root, "corpus", "003-arao-reform-outline.pdf", NULL);
  assert_true(g_file_get_contents(src, &data, &len, NULL));
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("kk-digest-XXXXXX.pdf", &path, NULL);
  assert_true(fd >= 0);
  close(fd);
  assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
  g_autofree char *real = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);

  struct stat st;
  assert_int_equal(g_stat(path, &st), 0);
  KkExtractOptions o = { .no_tables = TRUE, .sha256 = FAKE, .sha256_size = (guint64)st.st_size,
                         .sha256_mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec };
  g_autofree char *trusted = extracted_sha(path, &o);
  assert_string_equal(trusted, FAKE); /* same file: not hashed again */

  o.sha256_mtime_ns += 1; /* the file was touched since */
  g_autofree char *rehashed = extracted_sha(path, &o);
  assert_string_equal(rehashed, real);

  o.sha256_mtime_ns -= 1;
  o.sha256 = "not a digest";
  g_autofree char *computed = extracted_sha(path, &o);
  assert_string_equal(computed, real);
  g_unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_digest_trusted_only_for_the_same_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
