/* kk-jsonl.c — see kk-jsonl.h */
#include "kk-jsonl.h"
#include "kk-error.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* Parses one line into an object and passes it on. */
static gboolean handle_line(JsonParser *parser, const char *line, gsize len,
                            const char *source, guint64 lineno,
                            KkSink sink, gpointer user_data, GError **error)
{
  g_autoptr(GError) local = NULL;
  gsize i = 0;
  while (i < len && g_ascii_isspace(line[i]))
    i++;
  if (i == len)
    return TRUE; /* blank line */
  if (!g_utf8_validate(line, (gssize)len, NULL)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": invalid UTF-8", source, lineno);
    return FALSE;
  }
  if (!json_parser_load_from_data(parser, line, (gssize)len, &local)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": not JSON: %s", source, lineno, local->message);
    return FALSE;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": not a JSON object", source, lineno);
    return FALSE;
  }
  return sink(json_node_get_object(root), user_data, error);
}

gboolean kk_jsonl_read(FILE *in, const char *source, gsize max_line,
                       KkSink sink, gpointer user_data, GError **error)
{
  if (max_line == 0)
    max_line = KK_JSONL_MAX_LINE;
  if (source == NULL)
    source = "<stdin>";
  /* A mutable parser: an immutable one seals every tree, a second walk
   * over all its nodes, and no stage changes a value node in place (what
   * sealing guards against). */
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autoptr(GString) line = g_string_sized_new(4096);
  char buf[65536];
  guint64 lineno = 1;
  gboolean too_long = FALSE;

  /* With a file descriptor, read(2) hands over what has arrived, so a line
   * from a pipe is processed as soon as it is complete (fread would wait
   * for a full buffer); memory streams have none and use fread. */
  int fd = fileno(in);
  for (;;) {
    ssize_t n;
    if (fd >= 0) {
      n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
    } else {
      n = (ssize_t)fread(buf, 1, sizeof buf, in);
      if (n == 0 && ferror(in))
        n = -1;
    }
    if (n < 0) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: read error: %s", source, g_strerror(errno));
      return FALSE;
    }
    if (n == 0)
      break;
    const char *p = buf, *end = buf + n;
    while (p < end) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      const char *stop = nl ? nl : end;
      if (!too_long) {
        if (line->len + (gsize)(stop - p) > max_line)
          too_long = TRUE;
        else
          g_string_append_len(line, p, stop - p);
      }
      if (too_long) {
        g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": line longer than %" G_GSIZE_FORMAT " bytes", source, lineno, max_line);
        return FALSE;
      }
      if (nl == NULL)
        break;
      if (!handle_line(parser, line->str, line->len, source, lineno, sink, user_data, error))
        return FALSE;
      g_string_truncate(line, 0);
      lineno++;
      p = nl + 1;
    }
  }
  if (line->len > 0)
    return handle_line(parser, line->str, line->len, source, lineno, sink, user_data, error);
  return TRUE;
}

gboolean kk_jsonl_read_path(const char *path, gsize max_line,
                            KkSink sink, gpointer user_data, GError **error)
{
  if (path == NULL || strcmp(path, "-") == 0)
    return kk_jsonl_read(stdin, "<stdin>", max_line, sink, user_data, error);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: %s", path, g_strerror(errno));
    return FALSE;
  }
  gboolean ok = kk_jsonl_read(f, path, max_line, sink, user_data, error);
  fclose(f);
  return ok;
}

/* ---- the writer ---------------------------------------------------------
 * One pass over the json-glib tree into a plain growing buffer: no printf,
 * no GString bookkeeping per piece, and kk_jsonl_write() reuses one buffer
 * per thread, so a warmed-up writer allocates nothing per line. */

typedef struct {
  char *p;
  gsize len, cap;
} OutBuf;

/* Makes room for `n` more bytes (plus a terminating NUL). */
static inline void buf_reserve(OutBuf *b, gsize n)
{
  if (G_LIKELY(b->cap - b->len > n))
    return;
  gsize want = b->len + n + 1, cap = b->cap ? b->cap : 256;
  while (cap < want)
    cap = cap > G_MAXSIZE / 2 ? want : cap * 2;
  b->p = g_realloc(b->p, cap);
  b->cap = cap;
}

static inline void buf_putc(OutBuf *b, char c)
{
  buf_reserve(b, 1);
  b->p[b->len++] = c;
}

static inline void buf_put(OutBuf *b, const char *s, gsize n)
{
  buf_reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

/* Length of the well-formed UTF-8 sequence at p (2..4), or 0 if the bytes
 * there are not one (what g_utf8_validate() refuses: stray continuation
 * bytes, overlong forms, surrogates, values past U+10FFFF, a cut sequence).
 * Never reads past a NUL: every continuation test fails on it first. */
static inline gsize utf8_sequence(const unsigned char *p)
{
  unsigned c = p[0];
  if (c < 0xC2)
    return 0;
  if (c < 0xE0)
    return (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c < 0xF0) {
    if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
      return 0;
    return 3;
  }
  if (c < 0xF5) {
    if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
      return 0;
    return 4;
  }
  return 0;
}

/* 1 for the bytes a JSON string holds as they are without a look at what
 * follows: printable ASCII but the quote and the backslash. */
static const guint8 plain_ascii[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Appends `text` as a JSON string literal; FALSE (with `out` as it was) if
 * `text` is not valid UTF-8.  UTF-8 passes through as is; quotes,
 * backslashes and control characters are escaped. */
static gboolean append_valid_json_string(OutBuf *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  gsize start = out->len;
  buf_putc(out, '"');
  const unsigned char *run = (const unsigned char *)text, *p = run;
  for (;;) {
    unsigned c;
    while (plain_ascii[(c = *p)])
      p++;
    if (c >= 0x80) {
      gsize n = utf8_sequence(p);
      if (n == 0) {
        out->len = start;
        return FALSE;
      }
      p += n;
      continue;
    }
    /* the end, or a character to escape: the run before it first, with
     * room for the escape or the closing quote */
    gsize n = (gsize)(p - run);
    buf_reserve(out, n + 6);
    memcpy(out->p + out->len, run, n);
    out->len += n;
    char *w = out->p + out->len;
    if (c == 0) {
      w[0] = '"';
      out->len++;
      return TRUE;
    }
    run = ++p;
    switch (c) {
    case '"': w[0] = '\\'; w[1] = '"'; out->len += 2; break;
    case '\\': w[0] = '\\'; w[1] = '\\'; out->len += 2; break;
    case '\n': w[0] = '\\'; w[1] = 'n'; out->len += 2; break;
    case '\t': w[0] = '\\'; w[1] = 't'; out->len += 2; break;
    case '\r': w[0] = '\\'; w[1] = 'r'; out->len += 2; break;
    default:
      memcpy(w, "\\u00", 4);
      w[4] = hex[c >> 4];
      w[5] = hex[c & 15];
      out->len += 6;
    }
  }
}

/* Appends `text` as a JSON string literal.  JSON text must be UTF-8: a raw
 * file name or a broken PDF string could hold anything, so invalid bytes
 * become U+FFFD rather than break the line. */
static void append_json_string(OutBuf *out, const char *text)
{
  if (text == NULL) {
    buf_put(out, "null", 4);
    return;
  }
  if (append_valid_json_string(out, text))
    return;
  g_autofree char *valid = g_utf8_make_valid(text, -1);
  append_valid_json_string(out, valid);
}

/* Appends the decimal digits of `v`, two at a time. */
static void append_uint(OutBuf *out, guint64 v)
{
  static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
  char tmp[24];
  int i = (int)sizeof tmp;
  while (v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    tmp[--i] = pairs[2 * r + 1];
    tmp[--i] = pairs[2 * r];
  }
  if (v >= 10) {
    tmp[--i] = pairs[2 * v + 1];
    tmp[--i] = pairs[2 * v];
  } else {
    tmp[--i] = (char)('0' + v);
  }
  buf_put(out, tmp + i, sizeof tmp - (gsize)i);
}

static void append_int(OutBuf *out, gint64 v)
{
  if (v < 0) {
    buf_putc(out, '-');
    append_uint(out, (guint64)0 - (guint64)v); /* G_MININT64 too */
  } else {
    append_uint(out, (guint64)v);
  }
}

/* Appends a double in the shortest form that reads back as the same value
 * (json-glib prints 17 digits: -12.8 would become -12.800000000000001).
 * JSON has no NaN/Infinity: they are written as null. */
static void append_json_double(OutBuf *out, double d)
{
  if (!isfinite(d)) {
    buf_put(out, "null", 4);
    return;
  }
  /* fast path: coordinates and sizes are rounded to 0.1, and formatting
   * them through printf dominated the writer's cost */
  double tenths = d * 10.0;
  if (fabs(tenths) < 1e15) {
    gint64 t = (gint64)tenths;
    if ((double)t == tenths && (double)t / 10.0 == d) {
      if (t < 0) {
        buf_putc(out, '-');
        t = -t;
      }
      append_uint(out, (guint64)(t / 10));
      buf_reserve(out, 2);
      out->p[out->len++] = '.';
      out->p[out->len++] = (char)('0' + t % 10);
      return;
    }
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int precision = 15; precision <= 17; precision++) {
    g_ascii_formatd(buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", d);
    if (g_ascii_strtod(buf, NULL) == d)
      break;
  }
  buf_put(out, buf, strlen(buf));
  /* keep it a JSON number that reads back as a double, not an integer */
  if (strpbrk(buf, ".eEn") == NULL)
    buf_put(out, ".0", 2);
}

static void append_json_node(OutBuf *out, JsonNode *node);

/* Appends an object's members in insertion order. */
static void append_json_object(OutBuf *out, JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;
  buf_putc(out, '{');
  json_object_iter_init_ordered(&iter, object);
  while (json_object_iter_next_ordered(&iter, &name, &member)) {
    if (!first)
      buf_putc(out, ',');
    first = FALSE;
    append_json_string(out, name);
    buf_putc(out, ':');
    append_json_node(out, member);
  }
  buf_putc(out, '}');
}

/* Appends any node compactly, members in insertion order. */
static void append_json_node(OutBuf *out, JsonNode *node)
{
  switch (node ? JSON_NODE_TYPE(node) : JSON_NODE_NULL) {
  case JSON_NODE_OBJECT:
    append_json_object(out, json_node_get_object(node));
    break;
  case JSON_NODE_ARRAY: {
    JsonArray *array = json_node_get_array(node);
    guint n = json_array_get_length(array);
    buf_putc(out, '[');
    for (guint i = 0; i < n; i++) {
      if (i > 0)
        buf_putc(out, ',');
      append_json_node(out, json_array_get_element(array, i));
    }
    buf_putc(out, ']');
    break;
  }
  case JSON_NODE_VALUE:
    switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      append_int(out, json_node_get_int(node));
      break;
    case G_TYPE_DOUBLE:
      append_json_double(out, json_node_get_double(node));
      break;
    case G_TYPE_BOOLEAN:
      if (json_node_get_boolean(node))
        buf_put(out, "true", 4);
      else
        buf_put(out, "false", 5);
      break;
    case G_TYPE_STRING:
      append_json_string(out, json_node_get_string(node));
      break;
    default:
      buf_put(out, "null", 4);
    }
    break;
  case JSON_NODE_NULL:
  default:
    buf_put(out, "null", 4);
  }
}

char *kk_json_object_to_line(JsonObject *object, gsize *length)
{
  OutBuf out = { NULL, 0, 0 };
  buf_reserve(&out, 1024);
  append_json_object(&out, object);
  out.p[out.len] = '\0';
  if (length != NULL)
    *length = out.len;
  return out.p;
}

/* The per-thread line buffer of kk_jsonl_write(); one that grew past this
 * is given back after the line, so a huge page does not pin its memory. */
#define KEEP_LINE_BUFFER (1u << 20)

static void line_buffer_free(gpointer data)
{
  OutBuf *b = data;
  g_free(b->p);
  g_free(b);
}

static GPrivate line_buffer = G_PRIVATE_INIT(line_buffer_free);

gboolean kk_jsonl_write(FILE *out, JsonObject *object, GError **error)
{
  OutBuf *b = g_private_get(&line_buffer);
  if (b == NULL) {
    b = g_new0(OutBuf, 1);
    g_private_set(&line_buffer, b);
  }
  b->len = 0;
  append_json_object(b, object);
  buf_putc(b, '\n');
  gboolean ok = fwrite(b->p, 1, b->len, out) == b->len;
  if (b->cap > KEEP_LINE_BUFFER) {
    g_clear_pointer(&b->p, g_free);
    b->cap = 0;
  }
  b->len = 0;
  if (!ok) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

gboolean kk_jsonl_sink_file(JsonObject *object, gpointer user_data, GError **error)
{
  return kk_jsonl_write((FILE *)user_data, object, error);
}

const char *kk_json_string(JsonObject *o, const char *member, const char *dflt)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
    return dflt;
  return json_node_get_string(n);
}

gint64 kk_json_int(JsonObject *o, const char *member, gint64 dflt)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
    return dflt;
  GType t = json_node_get_value_type(n);
  if (t == G_TYPE_INT64)
    return json_node_get_int(n);
  if (t == G_TYPE_DOUBLE) {
    double d = json_node_get_double(n);
    if (isfinite(d) && d > -9.2e18 && d < 9.2e18)
      return (gint64)d;
  }
  return dflt;
}

double kk_json_double(JsonObject *o, const char *member, double dflt)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
    return dflt;
  GType t = json_node_get_value_type(n);
  if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
    return json_node_get_double(n);
  return dflt;
}

JsonArray *kk_json_array(JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  return (n && JSON_NODE_HOLDS_ARRAY(n)) ? json_node_get_array(n) : NULL;
}

JsonObject *kk_json_object(JsonObject *o, const char *member)
{
  JsonNode *n = o ? json_object_get_member(o, member) : NULL;
  return (n && JSON_NODE_HOLDS_OBJECT(n)) ? json_node_get_object(n) : NULL;
}

gboolean kk_json_bbox(JsonObject *o, const char *member, double out[4])
{
  JsonArray *a = kk_json_array(o, member);
  if (a == NULL || json_array_get_length(a) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++) {
    JsonNode *n = json_array_get_element(a, i);
    if (!JSON_NODE_HOLDS_VALUE(n))
      return FALSE;
    GType t = json_node_get_value_type(n);
    if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
      return FALSE;
    out[i] = json_node_get_double(n);
  }
  return TRUE;
}

void kk_json_set_bbox(JsonObject *o, const char *member, const double bbox[4])
{
  JsonArray *a = json_array_sized_new(4);
  for (int i = 0; i < 4; i++)
    json_array_add_double_element(a, round(bbox[i] * 10.0) / 10.0);
  json_object_set_array_member(o, member, a);
}
