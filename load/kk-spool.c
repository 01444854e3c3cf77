/* kk-spool.c — see kk-spool.h */
#include "kk-spool.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

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
    kk_child_serve(input, limits ? limits : &(KkLimits){0}, work, work_data, fd, parent);
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
