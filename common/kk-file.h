/*
 * kk-file.h — opening input files that must be regular files.
 *
 * A PDF or a pattern file named by a user (or found in a directory) may
 * be a FIFO, which would block open() and read() forever, or a device
 * such as /dev/zero, which never ends: both are refused before anything
 * is read, whatever a symlink makes them look like.
 */
#ifndef KK_FILE_H
#define KK_FILE_H

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* Opens `path` read-only without blocking on a FIFO; returns the
 * descriptor (close it) and its fstat in *st, or -1 with `error` set
 * (KK_ERROR_INPUT): "not a regular file", or the system's reason. */
int kk_open_regular(const char *path, struct stat *st, GError **error);

/* Reads the whole regular file `path` into *contents (NUL-terminated,
 * g_free) and *length, counting while it reads (the file may grow after
 * fstat): more than `max_bytes` fails with KK_ERROR_LIMIT.  Other
 * failures as kk_open_regular(), or a read error. */
gboolean kk_read_regular(const char *path, gsize max_bytes, char **contents, gsize *length, GError **error);

G_END_DECLS

#endif
