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

G_END_DECLS

#endif
