/* kk-error.c — see kk-error.h */
#include "kk-error.h"

#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK(keikaku-error-quark, kk_error)

int kk_exit_code(const GError *error)
{
  if (error == NULL)
    return KK_OK;
  if (error->domain != KK_ERROR || error->code <= 0 || error->code > KK_ERROR_UNKNOWN_LAYOUT)
    return KK_ERROR_INTERNAL;
  return error->code;
}

char *kk_escape_controls(const char *text)
{
  if (text == NULL)
    return g_strdup("(null)");
  GString *out = g_string_sized_new(strlen(text));
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p >= 0x20 && *p != 0x7f)
      g_string_append_c(out, (char)*p);
    else if (*p == '\n')
      g_string_append(out, "\\n");
    else if (*p == '\r')
      g_string_append(out, "\\r");
    else if (*p == '\t')
      g_string_append(out, "\\t");
    else
      g_string_append_printf(out, "\\x%02x", *p);
  }
  /* C1 controls (U+0080..U+009F) act as escapes on some terminals too */
  for (gsize i = 0; i + 1 < out->len; i++) {
    if ((unsigned char)out->str[i] == 0xc2 && (unsigned char)out->str[i + 1] >= 0x80 &&
        (unsigned char)out->str[i + 1] <= 0x9f) {
      char esc[8];
      g_snprintf(esc, sizeof esc, "\\u%04x", (unsigned char)out->str[i + 1]);
      g_string_erase(out, (gssize)i, 2);
      g_string_insert(out, (gssize)i, esc);
      i += strlen(esc) - 1;
    }
  }
  return g_string_free(out, FALSE);
}

/* Prints "keikaku: PREFIX[WHAT: ]MESSAGE" as one line, controls escaped. */
static void print_line(const char *prefix, const char *what, const char *msg)
{
  g_autofree char *line = what != NULL ? g_strconcat(what, ": ", msg, NULL) : g_strdup(msg);
  g_autofree char *safe = kk_escape_controls(line);
  fprintf(stderr, "keikaku: %s%s\n", prefix, safe);
  fflush(stderr);
}

void kk_report(const char *what, const GError *error)
{
  print_line("", what, error ? error->message : "unknown error");
}

void kk_warn(const char *what, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  print_line("warning: ", what, msg);
}
