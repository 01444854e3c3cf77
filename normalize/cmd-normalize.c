/*
 * cmd-normalize.c — `keikaku normalize`: the normalize stage as a filter.
 *
 *   keikaku normalize [FILE|-]             pages JSON Lines -> normalized pages
 *   keikaku normalize --annotate [FILE|-]  plain text lines -> {"text","spans"}
 */
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"
#include "normalize/normalize.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Longest plain-text line --annotate takes by default; longer lines are
 * refused (exit 6) rather than buffered without bound. */
#define DEFAULT_MAX_LINE (16u * 1024u * 1024u)

typedef struct {
  gboolean annotate;
  gboolean replace_invalid;
  gint64 max_line;
} Options;

/* ---- --annotate: plain text ------------------------------------------------- */

typedef struct {
  FILE *out;
  const char *source;
  KkNormalizeFlags flags;
  KkNormalizer *normalizer;
  GArray *spans;
  GString *buf;      /* output waiting to be written */
  guint64 replaced;  /* lines with U+FFFD substitutions */
} Annotator;

/* Appends `s` as a JSON string: quotes, backslashes and controls escaped,
 * everything else (valid UTF-8 by construction) as is. */
static void append_json_string(GString *out, const char *s, gsize len)
{
  static const char hex[] = "0123456789abcdef";
  g_string_append_c(out, '"');
  gsize run = 0;
  for (gsize i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    g_string_append_len(out, s + run, (gssize)(i - run));
    run = i + 1;
    switch (c) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\t': g_string_append(out, "\\t"); break;
    case '\r': g_string_append(out, "\\r"); break;
    default: {
      char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
      g_string_append_len(out, u, 6);
    }
    }
  }
  g_string_append_len(out, s + run, (gssize)(len - run));
  g_string_append_c(out, '"');
}

static gboolean flush_output(Annotator *a, GError **error)
{
  if (a->buf->len > 0 && fwrite(a->buf->str, 1, a->buf->len, a->out) != a->buf->len) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  g_string_truncate(a->buf, 0);
  return TRUE;
}

/* Normalizes and annotates one input line (without its '\n'). */
static gboolean annotate_line(Annotator *a, const char *line, gsize len, guint64 lineno, GError **error)
{
  if (len > 0 && line[len - 1] == '\r')
    len--;
  g_autoptr(GError) local = NULL;
  gsize out_len;
  guint replaced = 0;
  const char *text = kk_normalizer_run(a->normalizer, line, len, a->flags, &out_len, &replaced, &local);
  if (text == NULL) {
    g_set_error(error, KK_ERROR, local->code, "%s:%" G_GUINT64_FORMAT ": %s", a->source, lineno, local->message);
    return FALSE;
  }
  if (replaced)
    a->replaced++;
  kk_normalizer_annotate(a->normalizer, a->spans);
  g_string_append(a->buf, "{\"text\":");
  append_json_string(a->buf, text, out_len);
  g_string_append(a->buf, ",\"spans\":[");
  for (guint i = 0; i < a->spans->len; i++) {
    if (i)
      g_string_append_c(a->buf, ',');
    kk_span_append_json(a->buf, &g_array_index(a->spans, KkSpan, i));
  }
  g_string_append(a->buf, "]}\n");
  if (a->buf->len >= 1u << 16)
    return flush_output(a, error);
  return TRUE;
}

/* Reads `in` line by line (any length up to max_line bytes) and annotates. */
static gboolean annotate_stream(Annotator *a, FILE *in, gsize max_line, GError **error)
{
  g_autoptr(GString) line = g_string_sized_new(4096);
  g_autofree char *chunk = g_malloc(1u << 16);
  guint64 lineno = 1;
  for (;;) {
    size_t got = fread(chunk, 1, 1u << 16, in);
    if (got == 0) {
      if (ferror(in)) {
        g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: read error: %s", a->source, g_strerror(errno));
        return FALSE;
      }
      break;
    }
    const char *p = chunk, *end = chunk + got;
    while (p < end) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      const char *stop = nl ? nl : end;
      if (line->len + (gsize)(stop - p) > max_line) {
        g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "%s:%" G_GUINT64_FORMAT ": line longer than %" G_GSIZE_FORMAT " bytes (see --max-line)",
                    a->source, lineno, max_line);
        return FALSE;
      }
      if (nl == NULL) {
        g_string_append_len(line, p, stop - p);
        break;
      }
      const char *text = p;
      gsize len = (gsize)(stop - p);
      if (line->len > 0) { /* the line began in an earlier chunk */
        g_string_append_len(line, p, stop - p);
        text = line->str;
        len = line->len;
      }
      if (!annotate_line(a, text, len, lineno, error))
        return FALSE;
      g_string_truncate(line, 0);
      lineno++;
      p = nl + 1;
    }
  }
  if (line->len > 0 && !annotate_line(a, line->str, line->len, lineno, error))
    return FALSE;
  return TRUE;
}

static gboolean annotate_path(const char *path, const Options *opt, GError **error)
{
  Annotator a = { .out = stdout, .flags = KK_NORMALIZE_DEFAULT };
  if (opt->replace_invalid)
    a.flags |= KK_NORMALIZE_REPLACE_INVALID;
  g_autoptr(KkNormalizer) normalizer = kk_normalizer_new(error);
  if (normalizer == NULL)
    return FALSE;
  a.normalizer = normalizer;
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
  g_autoptr(GString) buf = g_string_sized_new(1u << 17);
  a.spans = spans;
  a.buf = buf;
  FILE *in = stdin;
  a.source = "<stdin>";
  if (path != NULL && strcmp(path, "-") != 0) {
    in = fopen(path, "rb");
    if (in == NULL) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: %s", path, g_strerror(errno));
      return FALSE;
    }
    a.source = path;
  }
  gboolean ok = annotate_stream(&a, in, (gsize)opt->max_line, error);
  if (in != stdin)
    fclose(in);
  /* Lines done before an error are still written: the error names the line. */
  g_autoptr(GError) werr = NULL;
  if (!flush_output(&a, ok ? error : &werr))
    ok = FALSE;
  if (ok && a.replaced > 0)
    kk_warn(a.source, "%" G_GUINT64_FORMAT " line(s) had invalid UTF-8, replaced by U+FFFD", a.replaced);
  return ok;
}

/* ---- pages JSON Lines -------------------------------------------------------- */

typedef struct {
  FILE *out;
  KkStreamShape shape;
} PagesState;

/* Checks the stream's shape (document ... end), normalizes, writes. */
static gboolean pages_sink(JsonObject *object, gpointer user_data, GError **error)
{
  PagesState *st = user_data;
  if (!kk_stream_shape_step(&st->shape, object, error) || !kk_normalize_pages_object(object, error))
    return FALSE;
  return kk_jsonl_write(st->out, object, error);
}

static gboolean pages_path(const char *path, const Options *opt, GError **error)
{
  PagesState st = { .out = stdout };
  kk_stream_shape_init(&st.shape, "keikaku-pages", (path && strcmp(path, "-") != 0) ? path : "<stdin>");
  gsize max = opt->max_line > 0 ? (gsize)opt->max_line : 0;
  if (!kk_jsonl_read_path(path, max, pages_sink, &st, error))
    return FALSE;
  /* a cut stream: downstream sees no end object either, so it fails too */
  return kk_stream_shape_finish(&st.shape, error);
}

/* ---- the command ------------------------------------------------------------- */

int kk_cmd_normalize(int argc, char **argv)
{
  Options opt = { .max_line = 0 };
  GOptionEntry entries[] = {
    { "annotate", 'a', 0, G_OPTION_ARG_NONE, &opt.annotate,
      "Read plain text lines, print {\"text\":…,\"spans\":[…]} per line", NULL },
    { "replace-invalid", 0, 0, G_OPTION_ARG_NONE, &opt.replace_invalid,
      "With --annotate: replace invalid UTF-8 by U+FFFD instead of failing (exit 3)", NULL },
    { "max-line", 0, 0, G_OPTION_ARG_INT64, &opt.max_line,
      "Longest input line in bytes (default 16 MiB for text, 64 MiB for JSON Lines)", "BYTES" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("[FILE|-]...");
  g_option_context_set_summary(ctx,
    "Normalizes text: Unicode NFKC (full-width digits and Latin, half-width kana, Kangxi and\n"
    "CJK radicals), spaces that extraction put into Japanese text, and finds values\n"
    "(number, amount, quantity, percent, date, year, fiscal_year, fiscal_year_range).\n\n"
    "Without --annotate, reads a pages JSON Lines stream (keikaku extract) and writes it\n"
    "normalized: every line and cell text rewritten, spans added, raw kept.");
  g_option_context_set_description(ctx,
    "Invalid UTF-8 in --annotate input is reported as FILE:LINE and exits 3 unless\n"
    "--replace-invalid; JSON Lines input must be valid UTF-8 (as JSON requires).\n"
    "A pages stream that ends without its end object is cut: exit 3, no end written.\n"
    "Exit status: 0 ok, 2 usage, 3 bad input, 6 line too long.\n");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!kk_options_parse(ctx, &argc, &argv, &error)) {
    kk_report("normalize", error);
    return KK_ERROR_USAGE;
  }
  if (opt.max_line < 0 || (opt.max_line > 0 && opt.max_line < 16) || opt.max_line > (gint64)KK_NORMALIZE_MAX_TEXT) {
    fprintf(stderr, "keikaku: normalize: --max-line must be between 16 and %u\n", KK_NORMALIZE_MAX_TEXT);
    return KK_ERROR_USAGE;
  }
  if (opt.annotate && opt.max_line == 0)
    opt.max_line = DEFAULT_MAX_LINE;
  setvbuf(stdout, NULL, _IOFBF, 1u << 16);
  /* No file: stdin.  Several: one after the other, stopping at the first
   * failure (its message names the file). */
  int nfiles = argc - 1;
  for (int i = 0; i < MAX(nfiles, 1); i++) {
    const char *path = nfiles == 0 ? NULL : argv[i + 1];
    gboolean ok = opt.annotate ? annotate_path(path, &opt, &error) : pages_path(path, &opt, &error);
    if (!ok)
      break;
  }
  if (error == NULL && fflush(stdout) != 0)
    g_set_error(&error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
  if (error != NULL) {
    fflush(stdout);
    kk_report("normalize", error);
    return kk_exit_code(error);
  }
  return KK_OK;
}
