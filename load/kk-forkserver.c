/* kk-forkserver.c — see kk-forkserver.h */
#define _GNU_SOURCE /* pipe2 */
#include "kk-forkserver.h"
#include "common/kk-error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct KkForkServer {
  pid_t pid;  /* the server */
  int sock;   /* the writer's end of the request socket */
};

/* Sends `len` bytes and `fds` as one message on `sock`: TRUE when sent. */
static gboolean send_message(int sock, const void *data, gsize len, const int *fds, guint n_fds)
{
  struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
  union {
    char buf[CMSG_SPACE(sizeof(int) * KK_FORKSERVER_MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  if (n_fds > 0) {
    memset(&control, 0, sizeof control);
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
  }
  ssize_t n;
  while ((n = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
    ;
  return n == (ssize_t)len;
}

/* Receives one message of at most `cap` bytes into `data` and up to
 * KK_FORKSERVER_MAX_FDS descriptors into `fds` (*n_fds of them, made
 * close-on-exec): its length, 0 at the end of the stream, -1 on error.
 * A message cut short (longer than `cap`, or with more descriptors than
 * fit) is an error, its descriptors closed. */
static gssize receive_message(int sock, void *data, gsize cap, int *fds, guint *n_fds)
{
  struct iovec iov = { .iov_base = data, .iov_len = cap };
  union {
    char buf[CMSG_SPACE(sizeof(int) * KK_FORKSERVER_MAX_FDS)];
    struct cmsghdr align;
  } control;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                        .msg_controllen = sizeof control.buf };
  ssize_t n;
  while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
    ;
  *n_fds = 0;
  if (n < 0)
    return -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    guint k = (guint)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    for (guint i = 0; i < k; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (*n_fds < KK_FORKSERVER_MAX_FDS)
        fds[(*n_fds)++] = fd;
      else
        close(fd);
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
    for (guint i = 0; i < *n_fds; i++)
      close(fds[i]);
    *n_fds = 0;
    return -1;
  }
  return n;
}

/* Reads exactly `len` bytes from `fd`: TRUE when they came. */
static gboolean read_all(int fd, void *buf, gsize len)
{
  gsize got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    got += (gsize)n;
  }
  return TRUE;
}

/* In the server (whose end of the request socket is `sock`): forks the
 * worker for one request through an intermediate process, so that the
 * worker is orphaned and adopted by the writer (the subreaper).  Returns
 * the worker's pid or -errno. */
static pid_t spawn_worker(int sock, const void *request, gsize len, const int *fds, guint n_fds, pid_t writer,
                          KkForkServe serve, gpointer serve_data)
{
  int told[2], go[2];
  if (pipe2(told, O_CLOEXEC) != 0)
    return -errno;
  if (pipe2(go, O_CLOEXEC) != 0) {
    int e = errno;
    close(told[0]);
    close(told[1]);
    return -e;
  }
  pid_t middle = fork();
  if (middle == 0) {
    /* a worker holding the server's socket would keep a dead server's
     * end open: the writer would wait for an answer for ever */
    close(sock);
    pid_t worker = fork();
    if (worker == 0) {
      close(told[0]);
      close(told[1]);
      close(go[1]);
      /* wait until the writer has adopted us (the server writes once the
       * intermediate is reaped): only then can we die with the writer */
      char c;
      ssize_t n;
      while ((n = read(go[0], &c, 1)) < 0 && errno == EINTR)
        ;
      close(go[0]);
      if (n != 1)
        _exit(KK_ERROR_INTERNAL);
      /* a worker forked by the writer dies with it: so does this one */
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != writer)
        _exit(KK_ERROR_INTERNAL);
      serve(request, len, fds, n_fds, writer, serve_data);
      _exit(KK_ERROR_INTERNAL); /* serve() must not return */
    }
    pid_t said = worker < 0 ? -errno : worker;
    ssize_t w;
    while ((w = write(told[1], &said, sizeof said)) < 0 && errno == EINTR)
      ;
    _exit(0);
  }
  int e = errno;
  close(told[1]);
  close(go[0]);
  pid_t worker = -EAGAIN;
  if (middle < 0) {
    worker = -e;
  } else {
    if (!read_all(told[0], &worker, sizeof worker))
      worker = -EAGAIN;
    while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
      ;
    /* the worker's parent is now the writer: let it go on */
    if (worker > 0) {
      ssize_t w;
      while ((w = write(go[1], "", 1)) < 0 && errno == EINTR)
        ;
      if (w != 1) {
        kill(worker, SIGKILL); /* it would wait for ever; the writer reaps it */
        worker = -EPIPE;
      }
    }
  }
  close(told[0]);
  close(go[1]);
  return worker;
}

/* The server's loop: one request, one worker, one answer (its pid or
 * -errno), until the writer closes the socket or dies. */
G_NORETURN static void serve_requests(int sock, pid_t writer, KkForkServe serve, gpointer serve_data)
{
  static char request[KK_FORKSERVER_MAX_REQUEST];
  for (;;) {
    int fds[KK_FORKSERVER_MAX_FDS];
    guint n_fds = 0;
    gssize n = receive_message(sock, request, sizeof request, fds, &n_fds);
    if (n == 0)
      _exit(0);
    pid_t worker = n < 0 ? -EPROTO : spawn_worker(sock, request, (gsize)n, fds, n_fds, writer, serve, serve_data);
    for (guint i = 0; i < n_fds; i++)
      close(fds[i]);
    if (!send_message(sock, &worker, sizeof worker, NULL, 0))
      _exit(0);
  }
}

KkForkServer *kk_fork_server_start(KkForkServe serve, gpointer serve_data, GError **error)
{
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork server: socketpair: %s", g_strerror(errno));
    return NULL;
  }
  /* orphans among our descendants (each worker, once its intermediate
   * exits) become our children */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork server: subreaper: %s", g_strerror(errno));
    close(sv[0]);
    close(sv[1]);
    return NULL;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t writer = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork server: fork: %s", g_strerror(errno));
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    close(sv[0]);
    close(sv[1]);
    return NULL;
  }
  if (pid == 0) {
    close(sv[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != writer)
      _exit(0);
    serve_requests(sv[1], writer, serve, serve_data);
  }
  close(sv[1]);
  KkForkServer *s = g_new0(KkForkServer, 1);
  s->pid = pid;
  s->sock = sv[0];
  return s;
}

pid_t kk_fork_server_spawn(KkForkServer *server, const void *request, gsize len, const int *fds, guint n_fds,
                           GError **error)
{
  g_return_val_if_fail(len > 0 && len <= KK_FORKSERVER_MAX_REQUEST && n_fds <= KK_FORKSERVER_MAX_FDS, -1);
  pid_t worker = -EPIPE;
  int none[KK_FORKSERVER_MAX_FDS];
  guint n_none;
  if (server->sock < 0 || !send_message(server->sock, request, len, fds, n_fds) ||
      receive_message(server->sock, &worker, sizeof worker, none, &n_none) != (gssize)sizeof worker) {
    /* the server is gone: no more requests to it */
    if (server->sock >= 0)
      close(server->sock);
    server->sock = -1;
    worker = -EPIPE;
  }
  if (worker <= 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INTERNAL, "fork server: %s", g_strerror(worker < 0 ? -worker : EPROTO));
    return -1;
  }
  return worker;
}

pid_t kk_fork_server_pid(const KkForkServer *server)
{
  return server->pid;
}

void kk_fork_server_free(KkForkServer *server)
{
  if (server == NULL)
    return;
  if (server->sock >= 0)
    close(server->sock); /* the server's end of the stream: it exits */
  /* ECHILD: the writer's wait4(-1) reaped it already (it died early) */
  while (waitpid(server->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  g_free(server);
}
