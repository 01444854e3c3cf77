/* kk-spool.c — see kk-spool.h */
#include "kk-spool.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KK_UNDER_ASAN 1
#endif
#endif

/* Longest error line looked for at the end of a failed child's spool. */
#define ERROR_TAIL 65536

struct KkSpool {
  pid_t pid;          /* 0 once reaped */
  int fd;             /* the spool file (unlinked) */
  FILE *in;           /* reading side, made on first rewind */
  KkLimits limits;
  gboolean ended;
  int wstatus;
  struct rusage usage;
};

/* Applies the limits in the child (as common/kk-child.c does). */
static void apply_limits(const KkLimits *limits)
{
  struct rlimit rl;
  if (limits->cpu_seconds > 0) {
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

/* The child: runs the work into the spool; never returns. */
static G_NORETURN void child_main(const char *input, const KkLimits *limits, KkChildWork work,
                                  gpointer work_data, int fd, pid_t parent)
{
  /* die with the parent: a killed batch must not leave workers running */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(KK_ERROR_INTERNAL);
  signal(SIGPIPE, SIG_DFL);
  apply_limits(limits);
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
    status = KK_ERROR_INTERNAL; /* e.g. the disk is full: never a silent cut */
  _exit(status);
}

KkSpool *kk_spool_start(const char *input, const KkLimits *limits, KkChildWork work,
                        gpointer work_data, GError **error)
{
  g_autofree char *name = NULL;
  GError *local = NULL;
  int fd = g_file_open_tmp("keikaku-spool-XXXXXX", &name, &local);
  if (fd < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool file: %s", local->message);
    g_error_free(local);
    return NULL;
  }
  unlink(name);
  fcntl(fd, F_SETFD, FD_CLOEXEC); /* other workers must not inherit it */
  fflush(stdout);
  fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork: %s", g_strerror(errno));
    return NULL;
  }
  if (pid == 0)
    child_main(input, limits ? limits : &(KkLimits){0}, work, work_data, fd, parent);
  KkSpool *s = g_new0(KkSpool, 1);
  s->pid = pid;
  s->fd = fd;
  if (limits)
    s->limits = *limits;
  return s;
}

pid_t kk_spool_pid(const KkSpool *spool)
{
  return spool->pid;
}

void kk_spool_set_exit(KkSpool *spool, int wstatus, const struct rusage *usage)
{
  spool->ended = TRUE;
  spool->pid = 0;
  spool->wstatus = wstatus;
  if (usage)
    spool->usage = *usage;
}

void kk_spool_wait(KkSpool *spool)
{
  if (spool->ended)
    return;
  int wstatus = 0;
  struct rusage usage = {0};
  while (wait4(spool->pid, &wstatus, 0, &usage) < 0 && errno == EINTR)
    ;
  kk_spool_set_exit(spool, wstatus, &usage);
}

gboolean kk_spool_ended(const KkSpool *spool)
{
  return spool->ended;
}

/* Finds the child's {"type":"error"} line at the end of the spool: TRUE
 * with its code and message. */
static gboolean read_error_line(KkSpool *s, int *code, char **message)
{
  struct stat st;
  if (fstat(s->fd, &st) != 0 || st.st_size <= 0)
    return FALSE;
  gsize n = (gsize)MIN(st.st_size, (off_t)ERROR_TAIL);
  g_autofree char *tail = g_malloc(n + 1);
  ssize_t got = pread(s->fd, tail, n, st.st_size - (off_t)n);
  if (got <= 0)
    return FALSE;
  tail[got] = '\0';
  while (got > 0 && tail[got - 1] == '\n')
    tail[--got] = '\0';
  char *line = strrchr(tail, '\n');
  line = line ? line + 1 : tail;
  g_autoptr(JsonParser) p = json_parser_new_immutable();
  if (!json_parser_load_from_data(p, line, -1, NULL))
    return FALSE;
  JsonNode *root = json_parser_get_root(p);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
    return FALSE;
  JsonObject *o = json_node_get_object(root);
  if (g_strcmp0(kk_json_string(o, "type", NULL), "error") != 0)
    return FALSE;
  *code = (int)kk_json_int(o, "code", KK_ERROR_INTERNAL);
  *message = g_strdup(kk_json_string(o, "message", "failed"));
  return TRUE;
}

gboolean kk_spool_succeeded(KkSpool *s, GError **error)
{
  g_return_val_if_fail(s->ended, FALSE);
  int ws = s->wstatus;
  const KkLimits *limits = &s->limits;
  if (WIFSIGNALED(ws)) {
    int sig = WTERMSIG(ws);
    if (sig == SIGXCPU || (sig == SIGKILL && limits->cpu_seconds > 0))
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "exceeded the CPU time limit of %u s", limits->cpu_seconds);
    else if (sig == SIGALRM)
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "exceeded the time limit of %u s", limits->wall_seconds);
    else if (sig == SIGABRT && limits->memory_bytes > 0 &&
             (guint64)s->usage.ru_maxrss * 1024 * 4 >= limits->memory_bytes)
      /* g_malloc aborts when RLIMIT_AS refuses memory (see kk-child.c) */
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT,
                  "aborted near the memory limit of %" G_GUINT64_FORMAT " MB (peak RSS %ld MB)",
                  limits->memory_bytes >> 20, s->usage.ru_maxrss / 1024);
    else
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the reader crashed on this file (signal %d, %s)", sig,
                  g_strsignal(sig));
    return FALSE;
  }
  int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  if (code == 0)
    return TRUE;
  int line_code = 0;
  g_autofree char *message = NULL;
  if (read_error_line(s, &line_code, &message)) {
    int c = line_code > 0 && line_code <= KK_ERROR_UNKNOWN_LAYOUT ? line_code : KK_ERROR_INTERNAL;
    g_set_error_literal(error, KK_ERROR, c, message);
  } else {
    /* no error line: it died abnormally (a sanitizer report, exit() deep in a library) */
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "the reader failed abnormally on this file (exit status %d)", code);
  }
  return FALSE;
}

FILE *kk_spool_rewind(KkSpool *s, GError **error)
{
  if (s->in == NULL) {
    int fd = dup(s->fd);
    s->in = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (s->in == NULL) {
      if (fd >= 0)
        close(fd);
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: %s", g_strerror(errno));
      return NULL;
    }
    setvbuf(s->in, NULL, _IOFBF, 1 << 16);
  }
  if (fseeko(s->in, 0, SEEK_SET) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: %s", g_strerror(errno));
    return NULL;
  }
  return s->in;
}

void kk_spool_free(KkSpool *spool)
{
  if (spool == NULL)
    return;
  if (!spool->ended && spool->pid > 0) {
    kill(spool->pid, SIGKILL);
    kk_spool_wait(spool);
  }
  if (spool->in)
    fclose(spool->in);
  close(spool->fd);
  g_free(spool);
}

gssize kk_spool_read_line(FILE *in, char **line, gsize *cap, gsize max_line, GError **error)
{
  size_t c = *cap;
  ssize_t n = getline(line, &c, in);
  *cap = c;
  if (n < 0) {
    if (ferror(in)) {
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: read error");
      return -2;
    }
    return -1;
  }
  if (n > 0 && (*line)[n - 1] == '\n')
    (*line)[--n] = '\0';
  if (max_line > 0 && (gsize)n > max_line) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "a line of the stages' output is longer than %" G_GSIZE_FORMAT " bytes",
                max_line);
    return -2;
  }
  return n;
}
