/* kk-error.c — see kk-error.h */
#include "kk-error.h"

#include <stdio.h>

G_DEFINE_QUARK(keikaku-error-quark, kk_error)

int kk_exit_code(const GError *error)
{
  if (error == NULL)
    return KK_OK;
  if (error->domain != KK_ERROR || error->code <= 0 || error->code > KK_ERROR_UNKNOWN_LAYOUT)
    return KK_ERROR_INTERNAL;
  return error->code;
}

void kk_report(const char *what, const GError *error)
{
  const char *msg = error ? error->message : "unknown error";
  if (what != NULL)
    fprintf(stderr, "keikaku: %s: %s\n", what, msg);
  else
    fprintf(stderr, "keikaku: %s\n", msg);
  fflush(stderr);
}

void kk_warn(const char *what, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (what != NULL)
    fprintf(stderr, "keikaku: warning: %s: %s\n", what, msg);
  else
    fprintf(stderr, "keikaku: warning: %s\n", msg);
  fflush(stderr);
}
