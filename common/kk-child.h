/*
 * kk-child.h — run one document's work in a child process under limits.
 *
 * A hostile PDF can make Poppler loop, allocate without end, or crash.  The
 * batch must go on, so `keikaku ingest` runs the per-document stages
 * (extract → normalize → parse) in a forked child with CPU, wall-clock and
 * memory limits; the child streams its output objects back as JSON Lines
 * through a pipe and the parent — the only process that touches the
 * database — consumes them.  A child that dies or overruns fails that one
 * document with a clear error.
 */
#ifndef KK_CHILD_H
#define KK_CHILD_H

#include <glib.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "common/kk-jsonl.h"

G_BEGIN_DECLS

typedef struct {
  guint cpu_seconds;        /* RLIMIT_CPU; 0 = none */
  guint wall_seconds;       /* alarm() in the child; 0 = none */
  guint64 memory_bytes;     /* RLIMIT_AS; 0 = none (ignored under ASan,
                               whose shadow memory needs the address space) */
} KkLimits;

/* Defaults used by ingest: 120 s CPU, 300 s wall, 2 GiB address space. */
void kk_limits_default(KkLimits *limits);

/* Applies `limits` to the calling process (meant for a fresh child):
 * RLIMIT_CPU, RLIMIT_AS (skipped under ASan) and an alarm() for wall time. */
void kk_limits_apply(const KkLimits *limits);

/* The work a child does: produce objects for `input` through `sink`. */
typedef gboolean (*KkChildWork)(const char *input, gpointer work_data,
                                KkSink sink, gpointer sink_data, GError **error);

/* Forks; the child applies `limits`, runs work(input, work_data, …) with a
 * sink that writes each object to the pipe, and exits.  The parent passes
 * every object read from the pipe to `sink` (with `sink_data`) as it comes.
 * Returns TRUE when the child succeeded and every object was consumed.  On
 * failure `error` carries the child's own error (domain KK_ERROR, its code
 * and message, sent back as a final {"type":"error"} line), or
 * KK_ERROR_LIMIT when a limit killed it, or KK_ERROR_INPUT when it crashed
 * on the input (signal named in the message).  If `sink` fails, the child is
 * killed and the sink's error returned.  Objects already passed to `sink`
 * before a failure are the caller's to discard (ingest discards them by
 * rolling back the document's transaction). */
gboolean kk_child_run(const char *input, const KkLimits *limits,
                      KkChildWork work, gpointer work_data,
                      KkSink sink, gpointer sink_data, GError **error);

/* The child's side, for callers that fork themselves (ingest -j spools
 * each worker's output to a file): dies with `parent` (PR_SET_PDEATHSIG),
 * applies `limits`, runs work() writing every object as a JSON line to
 * `fd`, then on failure a last {"type":"error","code":…,"message":…}
 * line, and _exit()s with the error's code (0 on success). */
G_NORETURN void kk_child_serve(const char *input, const KkLimits *limits,
                               KkChildWork work, gpointer work_data, int fd, pid_t parent);

/* In a child of kk_spool_start(), called at points where whole lines have
 * been written (ingest: after each page): at the first call and then once
 * at least KK_CHILD_PROGRESS_BYTES (256 KB) more were written, flushes
 * `out` (the spool) and tells the parent, which may be loading the spool
 * while the child writes it, that more output is on disk (a byte on a
 * non-blocking pipe: when the pipe is full the parent has yet to read the
 * earlier bytes, which say as much).  Elsewhere (no such pipe) it does
 * nothing, not even the flush. */
void kk_child_progress(FILE *out);

/* For kk_spool_start(), in its child: the pipe kk_child_progress() writes
 * to (the write end, non-blocking). */
void kk_child_set_progress_fd(int fd);

/* Judges how a served child ended: TRUE for a clean exit.  `wstatus` and
 * `usage` come from wait4(); `line_code`/`line_message` are those of the
 * child's error line (line_code 0 = there was none).  The error says which
 * limit killed it (KK_ERROR_LIMIT), that it crashed (KK_ERROR_INPUT), or
 * carries the child's own error. */
gboolean kk_child_judge(int wstatus, const struct rusage *usage, const KkLimits *limits,
                        int line_code, const char *line_message, GError **error);

G_END_DECLS

#endif
