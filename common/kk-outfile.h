/*
 * kk-outfile.h — an output file that appears whole or not at all.
 *
 * `-o FILE` of export, review and tables: the data are written to a
 * temporary file beside FILE and renamed over it only when everything was
 * written and flushed, so a failure (a database error half-way, a full
 * disk, a signal) leaves FILE as it was, never cut short.  With no path
 * the output is stdout, which cannot be taken back.
 */
#ifndef KK_OUTFILE_H
#define KK_OUTFILE_H

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct {
  FILE *fp;    /* write here */
  char *path;  /* the final name (NULL for stdout) */
  char *tmp;   /* the temporary file beside it */
} KkOutFile;

/* Opens `path` for writing (NULL: stdout) through a temporary file in the
 * same directory, made with the permissions a new file would get.  FALSE
 * with `error` (KK_ERROR_INPUT, naming the file) when it cannot be made;
 * *of is then empty and needs no abort. */
gboolean kk_outfile_open(KkOutFile *of, const char *path, GError **error);

/* Flushes and closes the output and renames the temporary file to its
 * final name.  FALSE with `error` (KK_ERROR_INPUT) on a write, sync or
 * rename error, the temporary file then removed.  *of is emptied either way. */
gboolean kk_outfile_commit(KkOutFile *of, GError **error);

/* Closes and removes the temporary file, leaving the final name as it was
 * (stdout is only flushed).  *of is emptied.  Safe on an emptied *of. */
void kk_outfile_abort(KkOutFile *of);

G_END_DECLS

#endif
