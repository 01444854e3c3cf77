/* test_child.c — one document's work in a child process under limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/kk-child.h"
#include "common/kk-error.h"

/* emits `n` objects {"type":"x","i":k} where n = atoi(input) */
static gboolean emit_n(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  int n = atoi(input);
  for (int i = 0; i < n; i++) {
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_string_member(o, "type", "x");
    json_object_set_int_member(o, "i", i);
    json_object_set_string_member(o, "text", "令和4年度\n");
    if (!sink(o, sd, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean fail_encrypted(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  emit_n("2", wd, sink, sd, NULL);
  g_set_error(error, KK_ERROR, KK_ERROR_ENCRYPTED, "%s: encrypted PDF", input);
  return FALSE;
}

static gboolean crash(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  emit_n("3", wd, sink, sd, NULL);
  abort(); /* not SIGSEGV: ASan would turn that into exit(1) with a report */
  return TRUE;
}

static gboolean spin(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  volatile unsigned long x = 0;
  for (;;)
    x++;
  return TRUE;
}

static gboolean sleep_forever(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  for (;;)
    pause();
  return TRUE;
}

/* writes a line that is not JSON straight to the pipe, then keeps going */
static gboolean garble(const char *input, gpointer wd, KkSink sink, gpointer sd, GError **error)
{
  FILE *out = sd; /* the child's sink data is the pipe's FILE* */
  fputs("not json\n", out);
  fflush(out); /* the parent sees this line while we still run */
  for (;;)
    pause();
  return TRUE;
}

typedef struct { int count; gint64 last; int refuse_at; } Got;

static gboolean collect(JsonObject *o, gpointer user, GError **error)
{
  Got *g = user;
  if (g->refuse_at > 0 && g->count + 1 == g->refuse_at) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "consumer refused");
    return FALSE;
  }
  g->count++;
  g->last = kk_json_int(o, "i", -1);
  return TRUE;
}

static void test_streams_all_objects(void **state)
{
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_true(kk_child_run("5000", NULL, emit_n, NULL, collect, &got, &e));
  assert_null(e);
  assert_int_equal(got.count, 5000);
  assert_int_equal(got.last, 4999);
}

static void test_child_error_keeps_code_and_message(void **state)
{
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("x.pdf", NULL, fail_encrypted, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_ENCRYPTED);
  assert_string_equal(e->message, "x.pdf: encrypted PDF");
  assert_int_equal(got.count, 2);
}

static void test_crash_is_reported_not_fatal(void **state)
{
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("x", NULL, crash, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e->message, "crashed"));
}

static void test_cpu_limit(void **state)
{
  KkLimits l = { .cpu_seconds = 1 };
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("x", &l, spin, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_LIMIT);
  assert_non_null(strstr(e->message, "CPU"));
}

static void test_wall_limit(void **state)
{
  KkLimits l = { .wall_seconds = 1 };
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("x", &l, sleep_forever, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_LIMIT);
  assert_non_null(strstr(e->message, "time limit"));
}

static void test_consumer_error_wins(void **state)
{
  Got got = { .refuse_at = 10 };
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("100000", NULL, emit_n, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_DATABASE);
  assert_int_equal(got.count, 9);
}

static void test_garbled_stream_is_named_not_a_limit(void **state)
{
  KkLimits l = { .cpu_seconds = 30, .wall_seconds = 30 };
  Got got = {0};
  g_autoptr(GError) e = NULL;
  assert_false(kk_child_run("x", &l, garble, NULL, collect, &got, &e));
  assert_int_equal(e->code, KK_ERROR_INPUT);
  assert_non_null(strstr(e->message, "not JSON"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_streams_all_objects),
    cmocka_unit_test(test_child_error_keeps_code_and_message),
    cmocka_unit_test(test_crash_is_reported_not_fatal),
    cmocka_unit_test(test_cpu_limit),
    cmocka_unit_test(test_wall_limit),
    cmocka_unit_test(test_consumer_error_wins),
    cmocka_unit_test(test_garbled_stream_is_named_not_a_limit),
  };
  return cmocka_run_group_tests_name("child", tests, NULL, NULL);
}
