/*
 * kk-error.h — the one error domain of keikaku and its mapping to exit codes.
 *
 * Every fallible function takes a trailing `GError **error` and returns
 * FALSE/NULL on failure with the error set in KK_ERROR.  The error code IS
 * the process exit status, so a command reports with kk_report() and
 * returns kk_exit_code(error).  Exit statuses are a contract for cron jobs:
 * they are listed in README.md ("Exit status") — keep the two in step.
 */
#ifndef KK_ERROR_H
#define KK_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define KK_ERROR (kk_error_quark())
GQuark kk_error_quark(void);

typedef enum {
  KK_OK = 0,
  KK_ERROR_PARTIAL = 1,      /* a batch ran, some inputs failed */
  KK_ERROR_USAGE = 2,        /* bad command line */
  KK_ERROR_INPUT = 3,        /* unreadable input: missing file, not a PDF,
                                damaged/truncated PDF, malformed JSON Lines */
  KK_ERROR_ENCRYPTED = 4,    /* PDF needs a password */
  KK_ERROR_NO_TEXT = 5,      /* PDF page(s) without a text layer */
  KK_ERROR_LIMIT = 6,        /* a resource limit was hit (size, time, memory) */
  KK_ERROR_PATTERN = 7,      /* unreadable or invalid pattern file */
  KK_ERROR_DATABASE = 8,     /* SQLite failure */
  KK_ERROR_INTERNAL = 9,     /* a bug: please report */
  KK_ERROR_UNKNOWN_LAYOUT = 10 /* no pattern family matched (a warning for
                                  parse, an error only where asked) */
} KkErrorCode;

/* Exit status for a finished command: 0 for a NULL error, else its code
 * (errors of other domains map to KK_ERROR_INTERNAL). */
int kk_exit_code(const GError *error);

/* Prints "keikaku: WHAT: MESSAGE" on stderr, one line.  `what` names the
 * file or stage the error belongs to and may be NULL.  Control characters
 * (a file name may hold a newline or a terminal escape) are escaped, as
 * kk_escape_controls() does. */
void kk_report(const char *what, const GError *error);

/* Prints "keikaku: warning: WHAT: printf-message" on stderr, escaped the
 * same way. */
void kk_warn(const char *what, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A copy of `text` fit for one line of a terminal: C0 and C1 control
 * characters and DEL become \n, \r, \t, \xNN or \uNNNN.  Free with g_free(). */
char *kk_escape_controls(const char *text);

G_END_DECLS

#endif
