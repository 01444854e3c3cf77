/*
 * kk-forkserver.h — workers forked from a small idle process, not from the
 * writer.
 *
 * Why: a fork write-protects every private page of the process that forks.
 * When ingest's writer forked a worker per document, its next writes to
 * SQLite's page cache and its heap each took a copy-on-write fault — about
 * a thousand per document, on some virtual machines as costly as the
 * worker's whole extraction.  A fork server is forked once, when the
 * writer's tables are built and its heap is small; it then waits idle and
 * forks each worker on request, so the writer's pages are never shared
 * again.
 *
 * The worker must still be the writer's own child: the writer reaps it with
 * wait4() (exit status and resource use judge limits), kills it, and the
 * worker dies with the writer (PR_SET_PDEATHSIG).  So the writer becomes a
 * child subreaper, and the server forks each worker through a short-lived
 * intermediate process that exits at once: the orphaned worker is adopted
 * by the writer before the server answers with its pid.  Linux only, as
 * the rest of ingest's process handling.
 */
#ifndef KK_FORKSERVER_H
#define KK_FORKSERVER_H

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct KkForkServer KkForkServer;

/* Most descriptors and bytes one request may carry. */
#define KK_FORKSERVER_MAX_FDS 4
#define KK_FORKSERVER_MAX_REQUEST 8192

/* What a worker runs, in the worker: `request` (len bytes) and the `fds`
 * the writer sent (the worker's own descriptors), `parent` the writer's
 * pid (the worker's parent by then).  It must end the process (_exit). */
typedef void (*KkForkServe)(const void *request, gsize len, const int *fds, guint n_fds, pid_t parent,
                            gpointer serve_data);

/* Forks the server process, which keeps the caller's memory as it is now
 * (`serve` and `serve_data` are used in the server's copy) and dies with
 * the caller.  Makes the caller a child subreaper (undone by
 * kk_fork_server_free).  NULL with KK_ERROR_INTERNAL when it cannot be
 * started; callers then fork workers themselves. */
KkForkServer *kk_fork_server_start(KkForkServe serve, gpointer serve_data, GError **error);

/* Asks the server for a worker running serve(request, fds…): returns its
 * pid, a child of the caller that dies with it (PR_SET_PDEATHSIG), or -1
 * with KK_ERROR_INTERNAL (the server is gone or could not fork; the
 * caller's descriptors stay its own).  Blocks only while the server
 * forks. */
pid_t kk_fork_server_spawn(KkForkServer *server, const void *request, gsize len, const int *fds, guint n_fds,
                           GError **error);

/* The server's pid (for tests). */
pid_t kk_fork_server_pid(const KkForkServer *server);

/* Stops the server (its running workers are not affected), reaps it and
 * ends the caller's subreaping.  NULL is allowed. */
void kk_fork_server_free(KkForkServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkForkServer, kk_fork_server_free)

G_END_DECLS

#endif
