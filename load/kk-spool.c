/* kk-spool.c — see kk-spool.h */
#define _GNU_SOURCE /* pipe2 */
#include "kk-spool.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* Longest error line looked for at the end of a failed child's spool. */
#define ERROR_TAIL 65536

static gssize read_line(FILE *in, char **line, gsize *cap, gsize max_line, gboolean *whole, GError **error);

struct KkSpool {
  pid_t pid;          /* 0 once reaped */
  int fd;             /* the spool file (unlinked), the child's to write */
  int rfd;            /* the same file opened for reading (until `in` owns it) */
  FILE *in;           /* reading side, made on first rewind */
  int progress;       /* read end of the child's progress pipe, or -1 */
  KkLimits limits;
  gboolean ended;
  int wstatus;
  struct rusage usage;
};

/* Opens a new unlinked spool file (*fd for the child to write, *rfd, an
 * open file of its own, for reading) and the progress pipe (progress[0]
 * to read, progress[1] for the child; both -1 when no pipe could be
 * made: the spool is then read once the child ended).  FALSE with
 * KK_ERROR_INTERNAL when the file cannot be made. */
static gboolean open_spool(int *fd, int *rfd, int progress[2], GError **error)
{
  g_autofree char *name = NULL;
  GError *local = NULL;
  *fd = g_file_open_tmp("keikaku-spool-XXXXXX", &name, &local);
  if (*fd < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool file: %s", local->message);
    g_error_free(local);
    return FALSE;
  }
  /* the reading side has an open file of its own: a descriptor dup()ed
   * from `fd` would share the child's file offset, so reading while the
   * child writes would move where it writes */
  *rfd = open(name, O_RDONLY | O_CLOEXEC);
  unlink(name);
  if (*rfd < 0) {
    close(*fd);
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool file: %s", g_strerror(errno));
    return FALSE;
  }
  /* FD_CLOEXEC keeps it from a program exec'd by a child (none today).
   * Workers forked by this process later do inherit it and the other
   * spools' read ends (fork has no flag against that); they never use
   * them, and a file so held lives on only until that worker ends.  The
   * progress pipe's write end is the exception that matters, so it is
   * closed right after the child is made (kk_spool_new). */
  fcntl(*fd, F_SETFD, FD_CLOEXEC);
  if (pipe2(progress, O_CLOEXEC | O_NONBLOCK) != 0)
    progress[0] = progress[1] = -1;
  return TRUE;
}

/* Closes what open_spool() opened. */
static void close_spool(int fd, int rfd, const int progress[2])
{
  close(fd);
  close(rfd);
  if (progress[0] >= 0) {
    close(progress[0]);
    close(progress[1]);
  }
}

/* The parent's record of child `pid` writing to `fd`. */
static KkSpool *kk_spool_new(pid_t pid, int fd, int rfd, const int progress[2], const KkLimits *limits)
{
  KkSpool *s = g_new0(KkSpool, 1);
  s->pid = pid;
  s->fd = fd;
  s->rfd = rfd;
  s->progress = progress[0];
  if (progress[1] >= 0)
    close(progress[1]); /* before the next fork: the child alone holds it */
  if (limits)
    s->limits = *limits;
  return s;
}

KkSpool *kk_spool_start(const char *input, const KkLimits *limits, KkChildWork work,
                        gpointer work_data, GError **error)
{
  int fd, rfd, progress[2];
  if (!open_spool(&fd, &rfd, progress, error))
    return NULL;
  fflush(stdout);
  fflush(stderr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close_spool(fd, rfd, progress);
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork: %s", g_strerror(errno));
    return NULL;
  }
  if (pid == 0) {
    close(rfd);
    if (progress[0] >= 0)
      close(progress[0]);
    int fds[2] = { fd, progress[1] };
    kk_spool_serve(fds, progress[1] >= 0 ? 2 : 1, parent, input, limits, work, work_data);
  }
  return kk_spool_new(pid, fd, rfd, progress, limits);
}

KkSpool *kk_spool_start_served(KkForkServer *server, const void *request, gsize len, const KkLimits *limits,
                               GError **error)
{
  int fd, rfd, progress[2];
  if (!open_spool(&fd, &rfd, progress, error))
    return NULL;
  int fds[2] = { fd, progress[1] };
  pid_t pid = kk_fork_server_spawn(server, request, len, fds, progress[1] >= 0 ? 2 : 1, error);
  if (pid < 0) {
    close_spool(fd, rfd, progress);
    return NULL;
  }
  return kk_spool_new(pid, fd, rfd, progress, limits);
}

G_NORETURN void kk_spool_serve(const int *fds, guint n_fds, pid_t parent, const char *input,
                               const KkLimits *limits, KkChildWork work, gpointer work_data)
{
  if (n_fds < 1)
    _exit(KK_ERROR_INTERNAL);
  if (n_fds > 1)
    kk_child_set_progress_fd(fds[1]);
  kk_child_serve(input, limits ? limits : &(KkLimits){0}, work, work_data, fds[0], parent);
}

pid_t kk_spool_pid(const KkSpool *spool)
{
  return spool->pid;
}

/* Closes the descriptors used to follow the child. */
static void close_follow(KkSpool *s)
{
  if (s->progress >= 0)
    close(s->progress);
  s->progress = -1;
}

void kk_spool_set_exit(KkSpool *spool, int wstatus, const struct rusage *usage)
{
  close_follow(spool);
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

gboolean kk_spool_followable(const KkSpool *spool)
{
  return !spool->ended && spool->progress >= 0;
}

int kk_spool_progress_fd(const KkSpool *spool)
{
  return spool->ended ? -1 : spool->progress;
}

gboolean kk_spool_drain(KkSpool *spool)
{
  char buf[256];
  ssize_t n = -1;
  while (spool->progress >= 0 && ((n = read(spool->progress, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
    ;
  return spool->progress >= 0 && n == 0;
}

void kk_spool_await(KkSpool *spool)
{
  if (!kk_spool_followable(spool)) {
    kk_spool_wait(spool);
    return;
  }
  struct pollfd fd = { .fd = spool->progress, .events = POLLIN };
  int n;
  while ((n = poll(&fd, 1, -1)) < 0 && errno == EINTR)
    ;
  /* the end of the pipe is the child's end (or poll failed: wait as
   * without a pipe) */
  if (n < 0 || kk_spool_drain(spool))
    kk_spool_wait(spool);
}

gssize kk_spool_follow_line(KkSpool *spool, FILE *in, char **line, gsize *cap, gsize max_line, GError **error)
{
  /* what was written before the end was recorded is all there is */
  gboolean ended = spool->ended;
  gboolean whole = FALSE;
  clearerr(in); /* an earlier end of file may have been the writer's pause */
  gssize n = read_line(in, line, cap, max_line, &whole, error);
  if (ended || n == -2 || whole)
    return n;
  if (n >= 0 && fseeko(in, -(off_t)n, SEEK_CUR) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: %s", g_strerror(errno));
    return -2;
  }
  return KK_SPOOL_AGAIN; /* at the end, or a line not yet whole: read it again later */
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
  int line_code = 0;
  g_autofree char *message = NULL;
  /* the error line matters only for a child that exited with a failure */
  if (WIFEXITED(s->wstatus) && WEXITSTATUS(s->wstatus) != 0 && !read_error_line(s, &line_code, &message))
    line_code = 0;
  return kk_child_judge(s->wstatus, &s->usage, &s->limits, line_code, message, error);
}

FILE *kk_spool_rewind(KkSpool *s, GError **error)
{
  if (s->in == NULL) {
    s->in = s->rfd >= 0 ? fdopen(s->rfd, "r") : NULL;
    if (s->in == NULL) {
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: %s", g_strerror(errno));
      return NULL;
    }
    s->rfd = -1; /* s->in owns it */
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
  if (spool->rfd >= 0)
    close(spool->rfd);
  close_follow(spool);
  close(spool->fd);
  g_free(spool);
}

gssize kk_spool_read_line(FILE *in, char **line, gsize *cap, gsize max_line, GError **error)
{
  gboolean whole;
  return read_line(in, line, cap, max_line, &whole, error);
}

static gssize read_line(FILE *in, char **line, gsize *cap, gsize max_line, gboolean *whole, GError **error)
{
  size_t c = *cap;
  ssize_t n = getline(line, &c, in);
  *cap = c;
  *whole = FALSE;
  if (n < 0) {
    if (ferror(in)) {
      g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "spool: read error");
      return -2;
    }
    return -1;
  }
  *whole = n > 0 && (*line)[n - 1] == '\n';
  if (*whole)
    (*line)[--n] = '\0';
  if (max_line > 0 && (gsize)n > max_line) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "a line of the stages' output is longer than %" G_GSIZE_FORMAT " bytes",
                max_line);
    return -2;
  }
  return n;
}
