/* kk-child.c — see kk-child.h */
#include "common/kk-child.h"
#include "common/kk-error.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KK_UNDER_ASAN 1
#endif
#endif

void kk_limits_default(KkLimits *limits)
{
  limits->cpu_seconds = 120;
  limits->wall_seconds = 300;
  limits->memory_bytes = G_GUINT64_CONSTANT(2) << 30;
}

void kk_limits_apply(const KkLimits *limits)
{
  struct rlimit rl;
  if (limits->cpu_seconds > 0) {
    /* soft limit raises SIGXCPU; the hard one a second later is a backstop */
    rl.rlim_cur = limits->cpu_seconds;
    rl.rlim_max = limits->cpu_seconds + 1;
    setrlimit(RLIMIT_CPU, &rl);
  }
#ifndef KK_UNDER_ASAN
  if (limits->memory_bytes > 0) {
    rl.rlim_cur = rl.rlim_max = (rlim_t)limits->memory_bytes;
    setrlimit(RLIMIT_AS, &rl);
  }
#endif
  if (limits->wall_seconds > 0)
    alarm(limits->wall_seconds);
}

/* Output between two wake-ups of the parent.  A wake-up per page (612 on
 * the budget book) made twice the context switches and was no faster on
 * the loaded test machine (the scheduler tends to run a woken task on its
 * waker's core); in pieces of this size the parent still has little left
 * to read when the child ends. */
#ifndef KK_CHILD_PROGRESS_BYTES
#define KK_CHILD_PROGRESS_BYTES (256 * 1024)
#endif

/* The write end of this child's progress pipe, or -1 (not a spool's child). */
static int progress_fd = -1;

void kk_child_set_progress_fd(int fd)
{
  progress_fd = fd;
}

void kk_child_progress(FILE *out)
{
  static off_t told = -KK_CHILD_PROGRESS_BYTES; /* the first call wakes the parent */
  if (progress_fd < 0)
    return;
  off_t at = ftello(out);
  if (at >= 0 && at < told + KK_CHILD_PROGRESS_BYTES)
    return;
  told = at;
  if (fflush(out) != 0)
    return; /* the error stays on `out`: the child's last fflush reports it */
  ssize_t n;
  do
    n = write(progress_fd, "", 1);
  while (n < 0 && errno == EINTR);
  /* EAGAIN: the pipe is full of wake-ups the parent has not read yet */
}

G_NORETURN void kk_child_serve(const char *input, const KkLimits *limits,
                               KkChildWork work, gpointer work_data, int fd, pid_t parent)
{
  /* die with the parent: a killed batch must not leave workers running */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(KK_ERROR_INTERNAL);
  signal(SIGPIPE, SIG_DFL);
  kk_limits_apply(limits);
  FILE *out = fdopen(fd, "w");
  if (out == NULL)
    _exit(KK_ERROR_INTERNAL);
  setvbuf(out, NULL, _IOFBF, 1 << 16);
  g_autoptr(GError) error = NULL;
  gboolean ok = work(input, work_data, kk_jsonl_sink_file, out, &error);
  int status = KK_OK;
  if (!ok) {
    status = kk_exit_code(error);
    if (status == KK_OK)
      status = KK_ERROR_INTERNAL;
    g_autoptr(JsonObject) e = json_object_new();
    json_object_set_string_member(e, "type", "error");
    json_object_set_int_member(e, "code", status);
    json_object_set_string_member(e, "message", error ? error->message : "failed");
    kk_jsonl_write(out, e, NULL);
  }
  if (fflush(out) != 0 && status == KK_OK)
    status = KK_ERROR_INTERNAL; /* e.g. a full disk: never a silent cut */
  _exit(status);
}

gboolean kk_child_judge(int wstatus, const struct rusage *usage, const KkLimits *limits,
                        int line_code, const char *line_message, GError **error)
{
  if (WIFSIGNALED(wstatus)) {
    int sig = WTERMSIG(wstatus);
    if (sig == SIGXCPU || (sig == SIGKILL && limits->cpu_seconds > 0))
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "exceeded the CPU time limit of %u s", limits->cpu_seconds);
    else if (sig == SIGALRM)
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "exceeded the time limit of %u s", limits->wall_seconds);
    else if (sig == SIGABRT && limits->memory_bytes > 0 && usage != NULL &&
             (guint64)usage->ru_maxrss * 1024 * 4 >= limits->memory_bytes)
      /* g_malloc aborts when RLIMIT_AS refuses memory; the address space
       * runs out well before RSS reaches the limit, hence the quarter */
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "aborted near the memory limit of %" G_GUINT64_FORMAT " MB (peak RSS %ld MB)",
                  limits->memory_bytes >> 20, usage->ru_maxrss / 1024);
    else
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the reader crashed on this file (signal %d, %s)", sig, g_strsignal(sig));
    return FALSE;
  }
  if (line_code != 0) {
    int c = line_code > 0 && line_code <= KK_ERROR_UNKNOWN_LAYOUT ? line_code : KK_ERROR_INTERNAL;
    g_set_error_literal(error, KK_ERROR, c, line_message ? line_message : "failed");
    return FALSE;
  }
  int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  if (code != 0) {
    /* no error line: it died abnormally (a sanitizer report, exit() deep in a library) */
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the reader failed abnormally on this file (exit status %d)", code);
    return FALSE;
  }
  return TRUE;
}

typedef struct {
  KkSink sink;
  gpointer sink_data;
  gboolean sink_failed;    /* the consumer refused an object */
  gboolean child_failed;   /* an {"type":"error"} line arrived */
  int child_code;
  char *child_message;
} Relay;

/* Parent-side sink: forwards objects, keeps the child's error line. */
static gboolean relay_object(JsonObject *object, gpointer user_data, GError **error)
{
  Relay *relay = user_data;
  if (g_strcmp0(kk_json_string(object, "type", NULL), "error") == 0) {
    relay->child_failed = TRUE;
    relay->child_code = (int)kk_json_int(object, "code", KK_ERROR_INTERNAL);
    g_free(relay->child_message);
    relay->child_message = g_strdup(kk_json_string(object, "message", "failed"));
    return TRUE;
  }
  if (relay->child_failed) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "worker wrote after its error line");
    return FALSE;
  }
  if (!relay->sink(object, relay->sink_data, error)) {
    relay->sink_failed = TRUE;
    return FALSE;
  }
  return TRUE;
}

gboolean kk_child_run(const char *input, const KkLimits *limits,
                      KkChildWork work, gpointer work_data,
                      KkSink sink, gpointer sink_data, GError **error)
{
  KkLimits none = {0};
  if (limits == NULL)
    limits = &none;
  int fds[2];
  if (pipe(fds) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "pipe: %s", g_strerror(errno));
    return FALSE;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork: %s", g_strerror(errno));
    return FALSE;
  }
  if (pid == 0) {
    close(fds[0]);
    kk_child_serve(input, limits, work, work_data, fds[1], parent);
  }
  close(fds[1]);

  Relay relay = { .sink = sink, .sink_data = sink_data };
  gboolean killed = FALSE;
  g_autoptr(GError) read_error = NULL;
  FILE *in = fdopen(fds[0], "r");
  gboolean read_ok;
  if (in == NULL) {
    close(fds[0]);
    read_ok = FALSE;
    g_set_error(&read_error, KK_ERROR, KK_ERROR_INTERNAL, "fdopen: %s", g_strerror(errno));
  } else {
    read_ok = kk_jsonl_read(in, "worker", 0, relay_object, &relay, &read_error);
    if (!read_ok)
      killed = kill(pid, SIGKILL) == 0; /* stop a child we no longer listen to */
    fclose(in);
  }

  int wstatus = 0;
  struct rusage usage = {0};
  while (wait4(pid, &wstatus, 0, &usage) < 0 && errno == EINTR)
    ;
  gboolean ok;
  if (relay.sink_failed || (killed && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)) {
    /* we stopped it (our consumer refused, or its stream was garbled):
     * that error is the story, not the kill */
    g_propagate_error(error, g_steal_pointer(&read_error));
    ok = FALSE;
  } else {
    /* a cut or garbled stream is explained by how the child ended */
    ok = kk_child_judge(wstatus, &usage, limits, relay.child_failed ? relay.child_code : 0,
                        relay.child_message, error);
    if (ok && !read_ok) {
      g_propagate_error(error, g_steal_pointer(&read_error));
      ok = FALSE;
    }
  }
  g_free(relay.child_message);
  return ok;
}
