/* kk-jsonl.c — see kk-jsonl.h */
#include "kk-jsonl.h"
#include "kk-error.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* Whether the integer literal digits[0..n) (no sign, no fraction or
 * exponent) is above what a gint64 holds: json-glib would store such a
 * number as a wrong value (123456789012345678901234567890 became -1). */
static gboolean integer_too_big(const char *digits, gsize n)
{
  static const char max[] = "9223372036854775807"; /* G_MAXINT64 (-G_MININT64 - 1) */
  while (n > 1 && digits[0] == '0') {
    digits++;
    n--;
  }
  return n > sizeof max - 1 || (n == sizeof max - 1 && memcmp(digits, max, n) > 0);
}

/* Checks what json-glib cannot be trusted with, in one pass over the JSON
 * text line[0..len) that skips string contents (a bracket inside a
 * string, or after an escaped quote, does not count):
 *  - nesting deeper than KK_JSONL_MAX_DEPTH: json-glib's parser recurses
 *    once per level, and a line of 100,000 '[' overflows the stack in it;
 *  - integers that do not fit in 64 bits (a number is stored exactly or
 *    refused; -G_MAXINT64 - 1 itself is refused too, harmlessly).
 * Returns FALSE with `error` set (KK_ERROR_INPUT). */
static gboolean check_line_shape(const char *line, gsize len, const char *source, guint64 lineno,
                                 GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = line[i];
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > KK_JSONL_MAX_DEPTH) {
        g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": JSON nested deeper than %u levels",
                    source, lineno, KK_JSONL_MAX_DEPTH);
        return FALSE;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    } else if (g_ascii_isdigit(c)) {
      gsize start = i;
      while (i + 1 < len && g_ascii_isdigit(line[i + 1]))
        i++;
      gboolean integer = i + 1 >= len || (line[i + 1] != '.' && line[i + 1] != 'e' && line[i + 1] != 'E');
      gboolean in_number = start > 0 && (line[start - 1] == '.' || line[start - 1] == 'e' || line[start - 1] == 'E' ||
                                         line[start - 1] == '+' ||
                                         (line[start - 1] == '-' && start > 1 && (line[start - 2] == 'e' || line[start - 2] == 'E')));
      if (integer && !in_number && integer_too_big(line + start, i + 1 - start)) {
        g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": integer %.*s%s does not fit in 64 bits",
                    source, lineno, (int)MIN(i + 1 - start, 40), line + start, i + 1 - start > 40 ? "…" : "");
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* ---- the reader's fast path ----------------------------------------------
 * json-glib's parser (a GScanner underneath) spends about 400 instructions
 * per byte.  A line in plain JSON, as kk_jsonl_write() and parse's writer
 * write it, is built here into the same json-glib tree in one pass;
 * whatever else a line holds (a syntax error, a duplicate member, \u0000 or
 * a lone surrogate, a number that is not in JSON's grammar or does not fit
 * a double, whitespace other than JSON's, a BOM) makes fast_line() give up,
 * and json-glib parses the line as before, so errors and corner cases stay
 * json-glib's.  Numbers are read as json-glib's scanner reads them
 * (g_ascii_strtoll/strtod of the literal), strings unescaped alike.
 * Ingest's writer, callgrind, fuji (612 pages, 2.7 MB of records): parsing
 * 1,108 M -> 687 M instructions (of them json-glib's tree, made and freed,
 * ~600 M), the writer 2,530 M -> 2,125 M.  (Taken out once, f98c86a,
 * when a best-of-3 of the whole ingest's CPU time showed no difference.) */

typedef struct {
  const char *p, *end;
  GString *scratch; /* a string's or number's text, NUL-terminated */
} Cursor;

static void skip_space(Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

/* The four hex digits at c->p (advanced past them); -1 if not hex. */
static int hex4(Cursor *c)
{
  if (c->end - c->p < 4)
    return -1;
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int d = g_ascii_xdigit_value(c->p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  c->p += 4;
  return v;
}

/* A string literal at c->p (the opening quote) into c->scratch. */
static gboolean fast_string(Cursor *c)
{
  g_string_truncate(c->scratch, 0);
  c->p++;
  for (;;) {
    const char *run = c->p;
    while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char)*c->p >= 0x20)
      c->p++;
    g_string_append_len(c->scratch, run, c->p - run);
    if (c->p >= c->end || (unsigned char)*c->p < 0x20)
      return FALSE;
    if (*c->p++ == '"')
      return TRUE;
    if (c->p >= c->end)
      return FALSE;
    char e = *c->p++;
    switch (e) {
    case '"': case '\\': case '/': g_string_append_c(c->scratch, e); break;
    case 'n': g_string_append_c(c->scratch, '\n'); break;
    case 't': g_string_append_c(c->scratch, '\t'); break;
    case 'r': g_string_append_c(c->scratch, '\r'); break;
    case 'b': g_string_append_c(c->scratch, '\b'); break;
    case 'f': g_string_append_c(c->scratch, '\f'); break;
    case 'u': {
      int u = hex4(c);
      if (u <= 0 || (u >= 0xD800 && u <= 0xDFFF))
        return FALSE; /* NUL and surrogates: json-glib's business */
      g_string_append_unichar(c->scratch, (gunichar)u);
      break;
    }
    default:
      return FALSE;
    }
  }
}

/* Powers of ten that a double holds exactly (10^22 is the last). */
static const double exact_pow10[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* A number in JSON's grammar at c->p: an integer without fraction or
 * exponent (check_line_shape() saw that it fits) or a finite double.
 * The common short literals are converted here without a copy: an
 * integer of at most 18 digits exactly; a decimal of at most 15
 * significant digits without exponent as digits / 10^k, one correctly
 * rounded IEEE division of two exact doubles, hence the double that
 * g_ascii_strtod() (correctly rounded too) gives (Clinger's fast path).
 * Other literals go to g_ascii_strtoll/strtod as before.  Saves about a
 * tenth of the reader's instructions (callgrind, ingest's writer). */
static JsonNode *fast_number(Cursor *c)
{
  const char *start = c->p;
  gboolean integer = TRUE, negative = FALSE;
  guint64 digits = 0;  /* the literal's digits, '.' left out, while n_digits <= 18 */
  guint n_digits = 0, n_fraction = 0;
  if (c->p < c->end && *c->p == '-') {
    negative = TRUE;
    c->p++;
  }
  if (c->p >= c->end || !g_ascii_isdigit(*c->p))
    return NULL;
  if (*c->p == '0') {
    c->p++;
    n_digits = 1;
  } else
    while (c->p < c->end && g_ascii_isdigit(*c->p)) {
      if (++n_digits <= 18)
        digits = digits * 10 + (guint64)(*c->p - '0');
      c->p++;
    }
  if (c->p < c->end && *c->p == '.') {
    integer = FALSE;
    c->p++;
    if (c->p >= c->end || !g_ascii_isdigit(*c->p))
      return NULL;
    while (c->p < c->end && g_ascii_isdigit(*c->p)) {
      if (++n_digits <= 18)
        digits = digits * 10 + (guint64)(*c->p - '0');
      n_fraction++;
      c->p++;
    }
  }
  gboolean exponent = FALSE;
  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
    integer = FALSE;
    exponent = TRUE;
    c->p++;
    if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
      c->p++;
    if (c->p >= c->end || !g_ascii_isdigit(*c->p))
      return NULL;
    while (c->p < c->end && g_ascii_isdigit(*c->p))
      c->p++;
  }
  if (integer && n_digits <= 18)
    return json_node_init_int(json_node_alloc(), negative ? -(gint64)digits : (gint64)digits);
  if (!integer && !exponent && n_digits <= 15 && n_fraction < G_N_ELEMENTS(exact_pow10)) {
    double d = (double)digits / exact_pow10[n_fraction]; /* digits < 10^15 < 2^53: exact */
    return json_node_init_double(json_node_alloc(), negative ? -d : d);
  }
  g_string_truncate(c->scratch, 0);
  g_string_append_len(c->scratch, start, c->p - start);
  if (integer) {
    gint64 v = g_ascii_strtoll(c->scratch->str, NULL, 10);
    if (v == G_MININT64 || v == G_MAXINT64)
      return NULL; /* at the edge: json-glib decides */
    return json_node_init_int(json_node_alloc(), v);
  }
  double d = g_ascii_strtod(c->scratch->str, NULL);
  if (!isfinite(d))
    return NULL;
  return json_node_init_double(json_node_alloc(), d);
}

static JsonNode *fast_value(Cursor *c, guint depth);

/* An object at c->p (the opening brace). */
static JsonNode *fast_object(Cursor *c, guint depth)
{
  JsonObject *o = json_object_new();
  c->p++;
  skip_space(c);
  if (c->p < c->end && *c->p == '}') {
    c->p++;
    JsonNode *n = json_node_init_object(json_node_alloc(), o);
    json_object_unref(o);
    return n;
  }
  for (;;) {
    skip_space(c);
    if (c->p >= c->end || *c->p != '"' || !fast_string(c))
      break;
    g_autofree char *name = g_strndup(c->scratch->str, c->scratch->len);
    skip_space(c);
    if (c->p >= c->end || *c->p != ':')
      break;
    c->p++;
    JsonNode *v = fast_value(c, depth);
    if (v == NULL)
      break;
    guint before = json_object_get_size(o);
    json_object_set_member(o, name, v);
    if (json_object_get_size(o) == before)
      break; /* a duplicate member */
    skip_space(c);
    if (c->p < c->end && *c->p == ',') {
      c->p++;
      continue;
    }
    if (c->p < c->end && *c->p == '}') {
      c->p++;
      JsonNode *n = json_node_init_object(json_node_alloc(), o);
      json_object_unref(o);
      return n;
    }
    break;
  }
  json_object_unref(o);
  return NULL;
}
/* An array at c->p (the opening bracket). */
static JsonNode *fast_array(Cursor *c, guint depth)
{
  JsonArray *a = json_array_new();
  c->p++;
  skip_space(c);
  if (c->p < c->end && *c->p == ']') {
    c->p++;
    JsonNode *n = json_node_init_array(json_node_alloc(), a);
    json_array_unref(a);
    return n;
  }
  for (;;) {
    JsonNode *v = fast_value(c, depth);
    if (v == NULL)
      break;
    json_array_add_element(a, v);
    skip_space(c);
    if (c->p < c->end && *c->p == ',') {
      c->p++;
      continue;
    }
    if (c->p < c->end && *c->p == ']') {
      c->p++;
      JsonNode *n = json_node_init_array(json_node_alloc(), a);
      json_array_unref(a);
      return n;
    }
    break;
  }
  json_array_unref(a);
  return NULL;
}

/* Any value at c->p (after optional space); NULL to give up. */
static JsonNode *fast_value(Cursor *c, guint depth)
{
  skip_space(c);
  if (c->p >= c->end)
    return NULL;
  gsize left = (gsize)(c->end - c->p);
  switch (*c->p) {
  case '{':
    return depth < KK_JSONL_MAX_DEPTH ? fast_object(c, depth + 1) : NULL;
  case '[':
    return depth < KK_JSONL_MAX_DEPTH ? fast_array(c, depth + 1) : NULL;
  case '"':
    return fast_string(c) ? json_node_init_string(json_node_alloc(), c->scratch->str) : NULL;
  case 't':
    if (left >= 4 && memcmp(c->p, "true", 4) == 0) {
      c->p += 4;
      return json_node_init_boolean(json_node_alloc(), TRUE);
    }
    return NULL;
  case 'f':
    if (left >= 5 && memcmp(c->p, "false", 5) == 0) {
      c->p += 5;
      return json_node_init_boolean(json_node_alloc(), FALSE);
    }
    return NULL;
  case 'n':
    if (left >= 4 && memcmp(c->p, "null", 4) == 0) {
      c->p += 4;
      return json_node_init_null(json_node_alloc());
    }
    return NULL;
  default:
    return fast_number(c);
  }
}

/* The tree of line[0..len) when it is one object in plain JSON (see
 * above), else NULL. */
static JsonNode *fast_line(const char *line, gsize len)
{
  g_autoptr(GString) scratch = g_string_sized_new(256);
  Cursor c = { line, line + len, scratch };
  skip_space(&c);
  if (c.p >= c.end || *c.p != '{')
    return NULL;
  JsonNode *root = fast_value(&c, 0);
  if (root == NULL)
    return NULL;
  skip_space(&c);
  if (c.p != c.end) {
    json_node_unref(root);
    return NULL;
  }
  return root;
}

/* Where a JsonParser keeps the tree fast_line() made for it, so the tree
 * lives, like json-glib's own, until the parser's next use. */
#define FAST_ROOT "kk-jsonl-fast-root"

gboolean kk_jsonl_parse_line(JsonParser *parser, const char *line, gsize len, const char *source,
                             guint64 lineno, JsonObject **object, GError **error)
{
  g_autoptr(GError) local = NULL;
  /* the fast path only for valid UTF-8; it makes the checks of
   * check_line_shape() itself (it gives up deeper than KK_JSONL_MAX_DEPTH
   * and at an integer that g_ascii_strtoll() clamps), so a line it takes
   * is not scanned again */
  JsonNode *fast = g_utf8_validate_len(line, len, NULL) ? fast_line(line, len) : NULL;
  g_object_set_data_full(G_OBJECT(parser), FAST_ROOT, fast, fast ? (GDestroyNotify)json_node_unref : NULL);
  if (fast != NULL) {
    *object = json_node_get_object(fast);
    return TRUE;
  }
  gboolean shaped = check_line_shape(line, len, source, lineno, &local);
  /* json-glib refuses invalid UTF-8 itself, so the line is validated
   * again only when it failed, for the message */
  if (!shaped || !json_parser_load_from_data(parser, line, (gssize)len, &local)) {
    if (!g_utf8_validate(line, (gssize)len, NULL))
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": invalid UTF-8", source, lineno);
    else if (!shaped)
      g_propagate_error(error, g_steal_pointer(&local));
    else
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": not JSON: %s", source, lineno,
                  local->message);
    return FALSE;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": not a JSON object", source, lineno);
    return FALSE;
  }
  *object = json_node_get_object(root);
  return TRUE;
}

/* Parses one line into an object and passes it on. */
static gboolean handle_line(JsonParser *parser, const char *line, gsize len,
                            const char *source, guint64 lineno,
                            KkSink sink, gpointer user_data, GError **error)
{
  gsize i = 0;
  while (i < len && g_ascii_isspace(line[i]))
    i++;
  if (i == len)
    return TRUE; /* blank line */
  JsonObject *object;
  if (!kk_jsonl_parse_line(parser, line, len, source, lineno, &object, error))
    return FALSE;
  return sink(object, user_data, error);
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
        g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "%s:%" G_GUINT64_FORMAT ": line longer than %" G_GSIZE_FORMAT " bytes", source, lineno, max_line);
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

void kk_stream_shape_init(KkStreamShape *shape, const char *format, const char *source)
{
  memset(shape, 0, sizeof *shape);
  shape->format = format;
  shape->source = source ? source : "<stdin>";
}

gboolean kk_stream_shape_step(KkStreamShape *shape, JsonObject *o, GError **error)
{
  const char *type = kk_json_string(o, "type", "");
  shape->objects++;
  if (strcmp(type, "document") == 0) {
    if (shape->open) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: object %" G_GUINT64_FORMAT
                  ": a new document before the previous one's end (cut stream)", shape->source, shape->objects);
      return FALSE;
    }
    const char *format = kk_json_string(o, "format", "");
    /* only the JSON integer 1: not "1", 1e308 or a missing member */
    JsonNode *v = json_object_get_member(o, "version");
    gboolean v1 = v != NULL && JSON_NODE_HOLDS_VALUE(v) && json_node_get_value_type(v) == G_TYPE_INT64 &&
                  json_node_get_int(v) == 1;
    if (strcmp(format, shape->format) != 0 || !v1) {
      g_autofree char *version = v ? json_to_string(v, FALSE) : g_strdup("none");
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: object %" G_GUINT64_FORMAT
                  ": not a %s version 1 stream (format \"%s\", version %.40s)",
                  shape->source, shape->objects, shape->format, format, version);
      return FALSE;
    }
    shape->open = TRUE;
    shape->documents++;
  } else if (!shape->open) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: object %" G_GUINT64_FORMAT
                ": \"%s\" outside a document (a stream starts with a document object)",
                shape->source, shape->objects, type);
    return FALSE;
  } else if (strcmp(type, "end") == 0) {
    shape->open = FALSE;
  }
  return TRUE;
}

gboolean kk_stream_shape_finish(KkStreamShape *shape, GError **error)
{
  if (shape->documents == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: empty stream: no document object (did the stage before fail?)",
                shape->source);
    return FALSE;
  }
  if (shape->open) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: stream ends without an end object (cut)", shape->source);
    return FALSE;
  }
  return TRUE;
}

/* ---- the writer ---------------------------------------------------------
 * One pass over the json-glib tree into a GString without printf;
 * kk_jsonl_write() reuses one GString per thread, so a warmed-up writer
 * allocates nothing per line. */

/* g_string_append_len() for the writer's short pieces (`s` not inside
 * `out`): GLib before 2.76 has no inline form, and its call into
 * g_string_insert_len() cost more than most pieces' copy. */
static inline void put_len(GString *out, const char *s, gsize n)
{
  if (out->len + n < out->allocated_len) {
    memcpy(out->str + out->len, s, n);
    out->len += n;
    out->str[out->len] = '\0';
  } else {
    g_string_append_len(out, s, (gssize)n);
  }
}

/* Appends the bytes [s, e) of valid UTF-8 with JSON's escapes. */
static void append_escaped(GString *out, const char *s, const char *e)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = s;
  for (const char *p = s; p < e; p++) {
    unsigned char c = (unsigned char)*p;
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    put_len(out, run, (gsize)(p - run));
    run = p + 1;
    switch (c) {
    case '"': put_len(out, "\\\"", 2); break;
    case '\\': put_len(out, "\\\\", 2); break;
    case '\n': put_len(out, "\\n", 2); break;
    case '\t': put_len(out, "\\t", 2); break;
    case '\r': put_len(out, "\\r", 2); break;
    default: {
      char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
      put_len(out, esc, 6);
    }
    }
  }
  put_len(out, run, (gsize)(e - run));
}

/* See kk-jsonl.h: a string literal, invalid UTF-8 made valid as
 * g_utf8_make_valid() makes it (each byte that does not begin a valid
 * character becomes U+FFFD), without building that copy: font names in
 * Shift_JIS are common. */
void kk_json_append_string(GString *out, const char *text)
{
  if (text == NULL) {
    put_len(out, "null", 4);
    return;
  }
  g_string_append_c(out, '"');
  const char *end = NULL;
  if (g_utf8_validate(text, -1, &end)) {
    append_escaped(out, text, end);
  } else {
    const char *p = text;
    gsize left = strlen(text);
    for (;;) {
      gboolean valid = g_utf8_validate(p, (gssize)left, &end);
      append_escaped(out, p, end);
      if (valid)
        break;
      put_len(out, "\357\277\275", 3);
      left -= (gsize)(end - p) + 1;
      p = end + 1;
      if (left == 0)
        break;
    }
  }
  g_string_append_c(out, '"');
}

/* Appends the decimal digits of `v`. */
static void append_uint(GString *out, guint64 v)
{
  char tmp[24];
  int i = (int)sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  put_len(out, tmp + i, sizeof tmp - (gsize)i);
}

/* See kk-jsonl.h. */
void kk_json_append_int(GString *out, gint64 v)
{
  if (v < 0) {
    g_string_append_c(out, '-');
    append_uint(out, (guint64)0 - (guint64)v); /* G_MININT64 too */
  } else {
    append_uint(out, (guint64)v);
  }
}

/* See kk-jsonl.h: the shortest form that reads back as `d`. */
void kk_json_append_double(GString *out, double d)
{
  if (!isfinite(d)) {
    put_len(out, "null", 4);
    return;
  }
  /* fast path: coordinates and sizes are rounded to 0.1, and formatting
   * them through printf dominated the writer's cost */
  double tenths = d * 10.0;
  if (fabs(tenths) < 1e15) {
    gint64 t = (gint64)tenths;
    if ((double)t == tenths && (double)t / 10.0 == d) {
      if (t < 0) {
        g_string_append_c(out, '-');
        t = -t;
      }
      append_uint(out, (guint64)(t / 10));
      g_string_append_c(out, '.');
      g_string_append_c(out, (char)('0' + t % 10));
      return;
    }
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int precision = 15; precision <= 17; precision++) {
    g_ascii_formatd(buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", d);
    if (g_ascii_strtod(buf, NULL) == d)
      break;
  }
  put_len(out, buf, strlen(buf));
  /* keep it a JSON number that reads back as a double, not an integer */
  if (strpbrk(buf, ".eEn") == NULL)
    put_len(out, ".0", 2);
}

/* See kk-jsonl.h: what kk_json_set_bbox() sets, as text. */
void kk_json_append_bbox(GString *out, const double bbox[4])
{
  g_string_append_c(out, '[');
  for (int i = 0; i < 4; i++) {
    if (i)
      g_string_append_c(out, ',');
    kk_json_append_double(out, round(bbox[i] * 10.0) / 10.0);
  }
  g_string_append_c(out, ']');
}

/* See kk-jsonl.h: a comma unless the object was just opened. */
void kk_json_put_key(GString *out, const char *name)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c(out, ',');
  g_string_append_c(out, '"');
  put_len(out, name, strlen(name));
  put_len(out, "\":", 2);
}

/* See kk-jsonl.h. */
void kk_json_put_string(GString *out, const char *name, const char *value)
{
  kk_json_put_key(out, name);
  kk_json_append_string(out, value);
}

/* See kk-jsonl.h. */
void kk_json_put_int(GString *out, const char *name, gint64 value)
{
  kk_json_put_key(out, name);
  kk_json_append_int(out, value);
}

/* See kk-jsonl.h. */
void kk_json_put_double(GString *out, const char *name, double value)
{
  kk_json_put_key(out, name);
  kk_json_append_double(out, value);
}

/* See kk-jsonl.h. */
void kk_json_put_literal(GString *out, const char *name, const char *literal)
{
  kk_json_put_key(out, name);
  put_len(out, literal, strlen(literal));
}

static void append_json_node(GString *out, JsonNode *node);

/* Appends an object's members in insertion order. */
static void append_json_object(GString *out, JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;
  g_string_append_c(out, '{');
  json_object_iter_init_ordered(&iter, object);
  while (json_object_iter_next_ordered(&iter, &name, &member)) {
    if (!first)
      g_string_append_c(out, ',');
    first = FALSE;
    kk_json_append_string(out, name);
    g_string_append_c(out, ':');
    append_json_node(out, member);
  }
  g_string_append_c(out, '}');
}

/* Appends any node compactly, members in insertion order. */
static void append_json_node(GString *out, JsonNode *node)
{
  switch (node ? JSON_NODE_TYPE(node) : JSON_NODE_NULL) {
  case JSON_NODE_OBJECT:
    append_json_object(out, json_node_get_object(node));
    break;
  case JSON_NODE_ARRAY: {
    JsonArray *array = json_node_get_array(node);
    guint n = json_array_get_length(array);
    g_string_append_c(out, '[');
    for (guint i = 0; i < n; i++) {
      if (i > 0)
        g_string_append_c(out, ',');
      append_json_node(out, json_array_get_element(array, i));
    }
    g_string_append_c(out, ']');
    break;
  }
  case JSON_NODE_VALUE:
    switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      kk_json_append_int(out, json_node_get_int(node));
      break;
    case G_TYPE_DOUBLE:
      kk_json_append_double(out, json_node_get_double(node));
      break;
    case G_TYPE_BOOLEAN:
      if (json_node_get_boolean(node))
        put_len(out, "true", 4);
      else
        put_len(out, "false", 5);
      break;
    case G_TYPE_STRING:
      kk_json_append_string(out, json_node_get_string(node));
      break;
    default:
      put_len(out, "null", 4);
    }
    break;
  case JSON_NODE_NULL:
  default:
    put_len(out, "null", 4);
  }
}

char *kk_json_object_to_line(JsonObject *object, gsize *length)
{
  GString *out = g_string_sized_new(1024);
  append_json_object(out, object);
  if (length != NULL)
    *length = out->len;
  return g_string_free(out, FALSE);
}

/* The per-thread line buffer of kk_jsonl_write(); one that grew past this
 * is given back after the line, so a huge page does not pin its memory. */
#define KEEP_LINE_BUFFER (1u << 20)

static void line_buffer_free(gpointer data)
{
  g_string_free(data, TRUE);
}

static GPrivate line_buffer = G_PRIVATE_INIT(line_buffer_free);

gboolean kk_jsonl_write(FILE *out, JsonObject *object, GError **error)
{
  GString *b = g_private_get(&line_buffer);
  if (b == NULL) {
    b = g_string_sized_new(1024);
    g_private_set(&line_buffer, b);
  }
  g_string_truncate(b, 0);
  append_json_object(b, object);
  g_string_append_c(b, '\n');
  gboolean ok = fwrite(b->str, 1, b->len, out) == b->len;
  if (b->allocated_len > KEEP_LINE_BUFFER) {
    g_private_replace(&line_buffer, g_string_sized_new(1024));
  }
  if (!ok) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

gboolean kk_jsonl_write_line(FILE *out, const char *line, gsize len, GError **error)
{
  if (fwrite(line, 1, len, out) != len || putc('\n', out) == EOF) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

gboolean kk_jsonl_sink_file_line(const char *line, gsize len, gpointer user_data, GError **error)
{
  return kk_jsonl_write_line((FILE *)user_data, line, len, error);
}

gboolean kk_jsonl_sink_file(JsonObject *object, gpointer user_data, GError **error)
{
  return kk_jsonl_write((FILE *)user_data, object, error);
}

gboolean kk_jsonl_sink_null(JsonObject *object, gpointer user_data, GError **error)
{
  return TRUE;
}

gboolean kk_jsonl_replay(FILE *lines, const char *source, KkSink sink, gpointer user_data, GError **error)
{
  if (sink == kk_jsonl_sink_null)
    return TRUE; /* dropped unread */
  if (sink != kk_jsonl_sink_file)
    return kk_jsonl_read(lines, source, 0, sink, user_data, error);
  FILE *out = user_data;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, lines)) > 0)
    if (fwrite(buf, 1, n, out) != n) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "write error: %s", g_strerror(errno));
      return FALSE;
    }
  if (ferror(lines)) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "%s: read error: %s", source ? source : "<spool>", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
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
