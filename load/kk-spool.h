/*
 * kk-spool.h — one document's stages in a child process that writes its
 * output objects to a spool file, started without waiting for it.
 *
 * The asynchronous sibling of common/kk-child.h, for `ingest -j N`: the
 * parent starts up to N children, each under the same limits as
 * kk_child_run() and each writing JSON Lines to its own unlinked temporary
 * file, and reaps them as they end.  The parent (the only SQLite writer)
 * reads each spool from disk, one line at a time — the spool of the
 * document it writes next while its child still writes it (below,
 * "Following"), the others once their child has ended — so neither a slow
 * writer stalls the children nor a long document's records pile up in the
 * parent's memory.  A child dies with the parent
 * (PR_SET_PDEATHSIG), and the spool file, already unlinked, vanishes with
 * its last descriptor: a kill -9 leaves nothing behind.
 */
#ifndef KK_SPOOL_H
#define KK_SPOOL_H

#include <stdio.h>
#include <sys/types.h>
#include <sys/resource.h>
#include <glib.h>
#include "common/kk-child.h"
#include "kk-forkserver.h"

G_BEGIN_DECLS

typedef struct KkSpool KkSpool;

/* Forks a child that applies `limits` (NULL: none) and runs
 * work(input, work_data, …) writing every object as one line to a new
 * unlinked spool file in g_get_tmp_dir(); on failure the child writes a
 * last {"type":"error","code":N,"message":…} line and exits with N.
 * Returns NULL (KK_ERROR_INTERNAL) when the file or the fork fails. */
KkSpool *kk_spool_start(const char *input, const KkLimits *limits, KkChildWork work,
                        gpointer work_data, GError **error);

/* As kk_spool_start(), but the child is forked by `server`
 * (kk-forkserver.h): `request` (len bytes) and the spool's descriptors
 * go to the server, whose serve function calls kk_spool_serve() in the
 * worker.  NULL (KK_ERROR_INTERNAL) when the file cannot be made or the
 * server cannot fork; the caller may then use kk_spool_start(). */
KkSpool *kk_spool_start_served(KkForkServer *server, const void *request, gsize len, const KkLimits *limits,
                               GError **error);

/* In a worker of kk_spool_start_served(), with the descriptors it was
 * sent and its parent (the writer): runs work(input, work_data, …) as
 * kk_spool_start()'s child does, and exits. */
G_NORETURN void kk_spool_serve(const int *fds, guint n_fds, pid_t parent, const char *input,
                               const KkLimits *limits, KkChildWork work, gpointer work_data);

/* The child's process id (for matching what wait4(-1, …) returns). */
pid_t kk_spool_pid(const KkSpool *spool);

/* Records how the child ended, as returned by wait4() for its pid. */
void kk_spool_set_exit(KkSpool *spool, int wstatus, const struct rusage *usage);

/* Waits for this child (blocking) and records how it ended. */
void kk_spool_wait(KkSpool *spool);

/* TRUE once the child's end has been recorded. */
gboolean kk_spool_ended(const KkSpool *spool);

/* After the end is recorded: TRUE when the child succeeded; else FALSE
 * with `error` set the way kk_child_run() sets it (the child's own
 * KK_ERROR code and message, KK_ERROR_LIMIT for a limit, KK_ERROR_INPUT
 * for a crash). */
gboolean kk_spool_succeeded(KkSpool *spool, GError **error);

/* The spool for reading from its start (owned by the spool; NULL with
 * `error` set when it cannot be rewound). */
FILE *kk_spool_rewind(KkSpool *spool, GError **error);

/* Following a spool while its child writes it (ingest loads the document
 * written next as its worker runs): kk_spool_start() gives the child a
 * progress pipe, on which kk_child_progress() writes a byte once per page;
 * the child alone holds its write end (close-on-exec), so the pipe's end
 * is the child's end.  A spool without the pipe (pipe2 failed) can be
 * read only once its child has ended. */
gboolean kk_spool_followable(const KkSpool *spool);

/* The read end of the progress pipe for poll(): POLLIN when the child
 * wrote more, POLLHUP once it has ended (asked with events 0, only the
 * end wakes).  -1 when there is none or the child's end is recorded. */
int kk_spool_progress_fd(const KkSpool *spool);

/* Reads the wake-ups waiting on the progress pipe; TRUE when the pipe
 * has ended (the child is gone: kk_spool_wait() does not block long). */
gboolean kk_spool_drain(KkSpool *spool);

/* Blocks until the child of a followable spool writes more or ends; when
 * it has ended, reaps it (kk_spool_wait()).  For a spool not followable,
 * kk_spool_wait(). */
void kk_spool_await(KkSpool *spool);

/* The spool as kk_spool_read_line() reads it, for a child that may still
 * be writing: the next whole line, or KK_SPOOL_AGAIN when there is none
 * yet and the child's end was not recorded before the read (then wait
 * with kk_spool_await() or poll, and call again: the file position is at
 * the start of the line not yet whole).  After the end is recorded, -1 at
 * the end of the file (a last line without its newline is a line, as
 * kk_spool_read_line() reads it). */
#define KK_SPOOL_AGAIN (-3)
gssize kk_spool_follow_line(KkSpool *spool, FILE *in, char **line, gsize *cap, gsize max_line, GError **error);

/* Kills the child if it is still running (and reaps it), closes and so
 * deletes the spool file.  NULL is a no-op. */
void kk_spool_free(KkSpool *spool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkSpool, kk_spool_free)

/* Reads the next line of `in` into *line (without its newline; the buffer
 * is reused, *cap its size, as getline()).  Returns the length, or -1 at
 * EOF; a line longer than `max_line` fails (-2, error KK_ERROR_LIMIT). */
gssize kk_spool_read_line(FILE *in, char **line, gsize *cap, gsize max_line, GError **error);

G_END_DECLS

#endif
