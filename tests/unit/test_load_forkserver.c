/* test_load_forkserver.c — ingest's workers forked by a fork server: they
 * are the writer's own children, get what the writer sent, die with it,
 * and the writer's pages are not shared with them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/kk-error.h"
#include "load/kk-forkserver.h"

/* The worker: writes "REQUEST PPID" to fds[0], exits with status 7; a
 * request "sleep" sleeps instead (until killed). */
static void serve_echo(const void *request, gsize len, const int *fds, guint n_fds, pid_t parent, gpointer data)
{
  if (len == 6 && memcmp(request, "sleep", 6) == 0)
    for (;;)
      pause();
  char line[256];
  int n = g_snprintf(line, sizeof line, "%.*s %d %d %u", (int)len, (const char *)request, (int)getppid(),
                     (int)parent, n_fds);
  if (n_fds < 1 || write(fds[0], line, (size_t)n) != n)
    _exit(1);
  _exit(7);
}

static void test_worker_is_our_child_and_gets_what_was_sent(void **state)
{
  g_autoptr(GError) e = NULL;
  g_autoptr(KkForkServer) server = kk_fork_server_start(serve_echo, NULL, &e);
  assert_non_null(server);
  for (int round = 0; round < 3; round++) {
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = kk_fork_server_spawn(server, "hello", 5, &p[1], 1, &e);
    close(p[1]);
    assert_true(pid > 0);
    char buf[256] = {0};
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    assert_true(n > 0);
    g_autofree char *want = g_strdup_printf("hello %d %d 1", (int)getpid(), (int)getpid());
    assert_string_equal(buf, want);
    int st = 0;
    struct rusage ru;
    assert_int_equal(wait4(pid, &st, 0, &ru), pid); /* ours to reap, with its resource use */
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 7);
  }
}

/* Minor page faults of this process so far. */
static long minor_faults(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

static void quit_now(const void *request, gsize len, const int *fds, guint n_fds, pid_t parent, gpointer data)
{
  _exit(0);
}

/* The point of the server: after workers are made, writing this process's
 * memory takes no copy-on-write faults; after a fork of our own it does
 * (the control, which shows the count can tell). */
static void test_writer_pages_are_not_shared(void **state)
{
  const gsize size = 8 << 20;
  const long pages = (long)(size / (gsize)sysconf(_SC_PAGESIZE));
  char *buf = g_malloc(size);
  memset(buf, 1, size);
  g_autoptr(GError) e = NULL;
  g_autoptr(KkForkServer) server = kk_fork_server_start(quit_now, NULL, &e);
  assert_non_null(server);
  memset(buf, 2, size); /* the server shares them once: copied now */
  long before = minor_faults();
  for (int i = 0; i < 4; i++) {
    pid_t pid = kk_fork_server_spawn(server, "x", 1, NULL, 0, &e);
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    memset(buf, 3 + i, size);
  }
  long served = minor_faults() - before;
  before = minor_faults();
  pid_t own = fork();
  if (own == 0)
    _exit(0);
  assert_int_equal(waitpid(own, NULL, 0), own);
  memset(buf, 9, size);
  long forked = minor_faults() - before;
  g_free(buf);
  print_message("faults writing %ld pages: %ld after 4 served workers, %ld after one fork\n", pages, served, forked);
  assert_true(forked >= pages / 2);
  assert_true(served < pages / 8);
}

/* A dead server: spawn fails with an error (ingest then forks itself). */
static void test_dead_server_is_an_error(void **state)
{
  g_autoptr(GError) e = NULL;
  KkForkServer *server = kk_fork_server_start(quit_now, NULL, &e);
  assert_non_null(server);
  pid_t sp = kk_fork_server_pid(server);
  kill(sp, SIGKILL);
  assert_int_equal(waitpid(sp, NULL, 0), sp);
  assert_int_equal(kk_fork_server_spawn(server, "x", 1, NULL, 0, &e), -1);
  assert_non_null(e);
  assert_int_equal(e->code, KK_ERROR_INTERNAL);
  kk_fork_server_free(server); /* already reaped: no hang */
}

/* True when process `pid` is gone or a zombie. */
static gboolean ended(pid_t pid)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
  g_autofree char *stat = NULL;
  if (!g_file_get_contents(path, &stat, NULL, NULL))
    return TRUE;
  const char *close_paren = strrchr(stat, ')');
  return close_paren && close_paren[1] == ' ' && (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

/* A worker dies with its writer (as one forked by the writer does). */
static void test_worker_dies_with_writer(void **state)
{
  int p[2];
  assert_int_equal(pipe(p), 0);
  pid_t writer = fork();
  if (writer == 0) {
    close(p[0]);
    KkForkServer *server = kk_fork_server_start(serve_echo, NULL, NULL);
    pid_t pid = server ? kk_fork_server_spawn(server, "sleep", 6, NULL, 0, NULL) : -1;
    if (write(p[1], &pid, sizeof pid) != sizeof pid)
      _exit(1);
    _exit(0); /* without reaping or stopping anything */
  }
  close(p[1]);
  pid_t worker = -1;
  assert_int_equal(read(p[0], &worker, sizeof worker), (ssize_t)sizeof worker);
  close(p[0]);
  assert_true(worker > 0);
  assert_int_equal(waitpid(writer, NULL, 0), writer);
  /* a bounded wait for the kernel's SIGKILL, not a timing assertion */
  for (int i = 0; i < 1000 && !ended(worker); i++)
    g_usleep(10000);
  gboolean gone = ended(worker);
  if (!gone)
    kill(worker, SIGKILL);
  assert_true(gone);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_worker_is_our_child_and_gets_what_was_sent),
    cmocka_unit_test(test_writer_pages_are_not_shared),
    cmocka_unit_test(test_dead_server_is_an_error),
    cmocka_unit_test(test_worker_dies_with_writer),
  };
  return cmocka_run_group_tests_name("forkserver", tests, NULL, NULL);
}
