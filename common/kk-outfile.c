/* kk-outfile.c — see kk-outfile.h. */
#include "kk-outfile.h"
#include "kk-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void clear(KkOutFile *of)
{
  g_free(of->path);
  g_free(of->tmp);
  of->fp = NULL;
  of->path = of->tmp = NULL;
}

gboolean kk_outfile_open(KkOutFile *of, const char *path, GError **error)
{
  of->fp = NULL;
  of->path = of->tmp = NULL;
  if (path == NULL) {
    of->fp = stdout;
    return TRUE;
  }
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp(tmpl);
  if (fd < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: cannot write: %s", path, g_strerror(errno));
    return FALSE;
  }
  /* mkstemp makes 0600; a file written with -o should look like one from '>' */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || (of->fp = fdopen(fd, "w")) == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: cannot write: %s", path, g_strerror(errno));
    close(fd);
    g_unlink(tmpl);
    return FALSE;
  }
  of->path = g_strdup(path);
  of->tmp = g_steal_pointer(&tmpl);
  return TRUE;
}

gboolean kk_outfile_commit(KkOutFile *of, GError **error)
{
  if (of->fp == NULL)
    return TRUE;
  if (of->path == NULL) {
    gboolean ok = fflush(of->fp) == 0;
    if (!ok)
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    clear(of);
    return ok;
  }
  int err = 0;
  if (fflush(of->fp) != 0 || fsync(fileno(of->fp)) != 0)
    err = errno;
  if (fclose(of->fp) != 0 && err == 0)
    err = errno;
  of->fp = NULL;
  if (err == 0 && g_rename(of->tmp, of->path) != 0)
    err = errno;
  if (err != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: cannot write: %s", of->path, g_strerror(err));
    g_unlink(of->tmp);
  }
  clear(of);
  return err == 0;
}

void kk_outfile_abort(KkOutFile *of)
{
  if (of->fp != NULL && of->path == NULL)
    fflush(of->fp);
  else if (of->fp != NULL) {
    fclose(of->fp);
    g_unlink(of->tmp);
  }
  clear(of);
}
