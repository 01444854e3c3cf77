/* test_outfile.c — -o FILE appears whole or not at all (common/kk-outfile.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/kk-error.h"
#include "common/kk-outfile.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static int setup(void **state)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("kk-outfile-XXXXXX", NULL);
  f->path = g_build_filename(f->dir, "out.csv", NULL);
  g_file_set_contents(f->path, "old contents\n", -1, NULL);
  *state = f;
  return 0;
}

static guint entries(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  guint n = 0;
  while (d && g_dir_read_name(d))
    n++;
  return n;
}

static int teardown(void **state)
{
  Fixture *f = *state;
  g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(f->dir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(f->dir);
  g_free(f->dir);
  g_free(f->path);
  g_free(f);
  return 0;
}

static char *contents(const char *path)
{
  char *s = NULL;
  g_file_get_contents(path, &s, NULL, NULL);
  return s;
}

/* written and committed: the new contents, no temporary file left */
static void test_commit_replaces(void **state)
{
  Fixture *f = *state;
  KkOutFile of;
  g_autoptr(GError) error = NULL;
  assert_true(kk_outfile_open(&of, f->path, &error));
  fputs("new contents\n", of.fp);
  g_autofree char *during = contents(f->path);
  assert_string_equal(during, "old contents\n"); /* not replaced before commit */
  assert_true(kk_outfile_commit(&of, &error));
  g_autofree char *after = contents(f->path);
  assert_string_equal(after, "new contents\n");
  assert_int_equal(entries(f->dir), 1);
  assert_null(of.fp);
}

/* a failure half-way: the file as it was, no temporary file left */
static void test_abort_keeps_old(void **state)
{
  Fixture *f = *state;
  KkOutFile of;
  assert_true(kk_outfile_open(&of, f->path, NULL));
  for (int i = 0; i < 10000; i++)
    fputs("half-written row\n", of.fp);
  kk_outfile_abort(&of);
  g_autofree char *after = contents(f->path);
  assert_string_equal(after, "old contents\n");
  assert_int_equal(entries(f->dir), 1);
  kk_outfile_abort(&of); /* safe twice */
}

/* a new file gets the mode '>' would give it (umask applied, not 0600) */
static void test_new_file_mode(void **state)
{
  Fixture *f = *state;
  g_autofree char *p = g_build_filename(f->dir, "new.json", NULL);
  mode_t old = umask(022);
  KkOutFile of;
  assert_true(kk_outfile_open(&of, p, NULL));
  fputs("{}\n", of.fp);
  assert_true(kk_outfile_commit(&of, NULL));
  umask(old);
  struct stat st;
  assert_int_equal(g_stat(p, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0644);
}

/* a directory that does not exist: an error naming the file */
static void test_unwritable(void **state)
{
  Fixture *f = *state;
  g_autofree char *p = g_build_filename(f->dir, "no", "such", "dir.csv", NULL);
  KkOutFile of;
  g_autoptr(GError) error = NULL;
  assert_false(kk_outfile_open(&of, p, &error));
  assert_true(g_error_matches(error, KK_ERROR, KK_ERROR_INPUT));
  assert_non_null(strstr(error->message, "dir.csv"));
  kk_outfile_abort(&of);
}

/* no path: stdout, commit only flushes */
static void test_stdout(void **state)
{
  KkOutFile of;
  assert_true(kk_outfile_open(&of, NULL, NULL));
  assert_ptr_equal(of.fp, stdout);
  assert_true(kk_outfile_commit(&of, NULL));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_commit_replaces, setup, teardown),
    cmocka_unit_test_setup_teardown(test_abort_keeps_old, setup, teardown),
    cmocka_unit_test_setup_teardown(test_new_file_mode, setup, teardown),
    cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
    cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
