/* kk-file.c — see kk-file.h */
#include "kk-file.h"
#include "kk-error.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int kk_open_regular(const char *path, struct stat *st, GError **error)
{
  /* O_NONBLOCK: opening a FIFO does not wait for a writer; for a regular
   * file the flag changes nothing */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s", g_strerror(errno));
    return -1;
  }
  const char *problem = fstat(fd, st) != 0 ? g_strerror(errno) : !S_ISREG(st->st_mode) ? "not a regular file" : NULL;
  if (problem != NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s", problem);
    close(fd);
    return -1;
  }
  return fd;
}

gboolean kk_read_regular(const char *path, gsize max_bytes, char **contents, gsize *length, GError **error)
{
  struct stat st;
  int fd = kk_open_regular(path, &st, error);
  if (fd < 0)
    return FALSE;
  g_autoptr(GByteArray) buf = g_byte_array_new();
  guint8 chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "read error: %s", g_strerror(errno));
      close(fd);
      return FALSE;
    }
    if (n == 0)
      break;
    if (buf->len + (gsize)n > max_bytes) {
      g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "larger than %" G_GSIZE_FORMAT " bytes", max_bytes);
      close(fd);
      return FALSE;
    }
    g_byte_array_append(buf, chunk, (guint)n);
  }
  close(fd);
  *length = buf->len;
  g_byte_array_append(buf, (const guint8 *)"", 1);
  *contents = (char *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
  return TRUE;
}
