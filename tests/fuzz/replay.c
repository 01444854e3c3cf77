/*
 * replay.c — runs a fuzz harness over saved inputs without libFuzzer.
 * Usage: fuzz_NAME FILE|DIR...   (every regular file in a DIR is an input)
 * Exits 0 when every input ran; a crash or sanitizer report ends the process.
 */
#include "tests/fuzz/fuzz.h"

#include <glib.h>
#include <stdio.h>

static int replay_file(const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &data, &len, &error)) {
    fprintf(stderr, "replay: %s\n", error->message);
    return 1;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  return 0;
}

int main(int argc, char **argv)
{
  int failures = 0, count = 0;
  for (int i = 1; i < argc; i++) {
    if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
      g_autoptr(GDir) dir = g_dir_open(argv[i], 0, NULL);
      const char *name;
      while (dir && (name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = g_build_filename(argv[i], name, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
          failures += replay_file(path);
          count++;
        }
      }
    } else {
      failures += replay_file(argv[i]);
      count++;
    }
  }
  printf("replayed %d inputs\n", count);
  return failures ? 1 : 0;
}
