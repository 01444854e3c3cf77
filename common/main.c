/*
 * main.c — `keikaku COMMAND [ARGS]`: dispatches to the stage commands.
 */
#include "kk-commands.h"
#include "kk-error.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} KkCommand;

static const KkCommand commands[] = {
  { "extract",   kk_cmd_extract,   "PDF -> pages JSON Lines (text lines, tables)" },
  { "tables",    kk_cmd_tables,    "show the tables extract finds: text grids, --csv DIR or --json" },
  { "normalize", kk_cmd_normalize, "pages JSON Lines -> normalized, annotated pages; --annotate for plain text" },
  { "parse",     kk_cmd_parse,     "normalized pages -> records JSON Lines, by the pattern files" },
  { "patterns",  kk_cmd_patterns,  "pattern files: check a family against documents, score parse against gold" },
  { "load",      kk_cmd_load,      "records JSON Lines -> SQLite database" },
  { "ingest",    kk_cmd_ingest,    "PDF files/directories -> SQLite (all four stages)" },
  { "compare",   kk_cmd_compare,   "compare items, targets and series across municipalities" },
  { "search",    kk_cmd_search,    "full-text search over pages and items" },
  { "export",    kk_cmd_export,    "write a public table as CSV or JSON Lines" },
  { "merge",     kk_cmd_merge,     "merge databases built on separate machines" },
  { "diff",      kk_cmd_diff,      "what changed between two editions of a plan" },
  { "review",    kk_cmd_review,    "HTML page of low-confidence OCR values beside crops of their pages" },
};

static void usage(FILE *out)
{
  fprintf(out,
          "usage: keikaku COMMAND [OPTIONS] [ARGS]\n"
          "       keikaku --help | --version\n\n"
          "Turns Japanese municipal plan PDFs into one comparable SQLite database.\n\n"
          "Commands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n'keikaku COMMAND --help' describes a command; README.md lists exit statuses.\n");
}

/* Whether stdout was closed when keikaku started (`keikaku x >&-`). */
static gboolean stdout_was_closed;
/* Set once main() has checked stdout itself. */
static gboolean stdout_checked;

/* Opens /dev/null (or, for a closed stdout, /dev/full: anything written
 * then fails and is reported) on standard descriptors the caller closed:
 * otherwise the next file keikaku opens (the database) would become fd 0,
 * 1 or 2 and be read as the input or written over by messages. */
static void guard_standard_fds(void)
{
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
      continue;
    if (fd == 1)
      stdout_was_closed = TRUE;
    int nfd = open(fd == 0 ? "/dev/null" : fd == 1 ? "/dev/full" : "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (nfd >= 0 && nfd != fd) {
      dup2(nfd, fd);
      close(nfd);
    }
  }
}

/* Flushes stdout; on a write error (disk full, /dev/full, stdout closed)
 * prints one message and turns a successful `status` into
 * KK_ERROR_INPUT, so output that was lost never reads as success. */
static int check_stdout(int status)
{
  stdout_checked = TRUE;
  if (fflush(stdout) == 0 && !ferror(stdout))
    return status;
  int saved = errno;
  fprintf(stderr, "keikaku: write error on standard output: %s\n",
          stdout_was_closed ? "it is closed" : g_strerror(saved));
  return status == KK_OK ? KK_ERROR_INPUT : status;
}

/* At exit through a path that skips main's return (GOption's --help calls
 * exit(0) itself): the same check, ending the process with its status. */
static void check_stdout_at_exit(void)
{
  if (stdout_checked)
    return;
  int status = check_stdout(KK_OK);
  if (status != KK_OK)
    _exit(status);
}

/* Whether this build runs under AddressSanitizer, whose LeakSanitizer
 * reports at exit() and must keep seeing a normal exit. */
#if defined(__SANITIZE_ADDRESS__)
#define KK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KK_SANITIZED 1
#endif
#endif

/* Ends the process with `status` (already checked by check_stdout())
 * once a command has returned: its database is closed and its files
 * committed by then.  Outside a sanitizer build it leaves by _exit():
 * exit()'s handlers and every library's destructors (_dl_fini) would only
 * touch pages the kernel is about to drop (some 130 page faults of a
 * one-file ingest).  In a sanitizer build it returns, and main() returns
 * normally so that LeakSanitizer still runs. */
static void fast_exit(int status)
{
#ifndef KK_SANITIZED
  fflush(NULL); /* any other stream still open, as exit() would */
  _exit(status);
#else
  (void)status;
#endif
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  guard_standard_fds();
  /* past `ulimit -f` a write fails with EFBIG and is reported like any
   * write error (a database error for the database), instead of the
   * process dying of SIGXFSZ without a word */
  signal(SIGXFSZ, SIG_IGN);
  atexit(check_stdout_at_exit);
  if (argc < 2) {
    usage(stderr);
    return KK_ERROR_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    usage(stdout);
    int status = check_stdout(KK_OK);
    fast_exit(status);
    return status;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("keikaku %s\n", KK_VERSION);
    int status = check_stdout(KK_OK);
    fast_exit(status);
    return status;
  }
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(name, commands[i].name) == 0) {
      /* so GOption's usage line reads "keikaku extract [OPTION…]" */
      g_autofree char *prgname = g_strconcat("keikaku ", name, NULL);
      g_set_prgname(prgname);
      int status = check_stdout(commands[i].run(argc - 1, argv + 1));
      fast_exit(status);
      return status;
    }
  g_autofree char *safe = kk_escape_controls(name);
  fprintf(stderr, "keikaku: '%s' is not a command; see 'keikaku --help'\n", safe);
  return KK_ERROR_USAGE;
}
