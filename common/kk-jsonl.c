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
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
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

/* Appends `text` as a JSON string literal.  UTF-8 passes through as is;
 * quotes, backslashes and control characters are escaped. */
static void append_json_string(GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  /* JSON text must be UTF-8: a raw file name or a broken PDF string could
   * hold anything, so invalid bytes become U+FFFD rather than break the line */
  g_autofree char *valid = NULL;
  if (!g_utf8_validate(text, -1, NULL))
    text = valid = g_utf8_make_valid(text, -1);
  g_string_append_c(out, '"');
  const char *run = text;
  for (const char *p = text; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    g_string_append_len(out, run, p - run);
    run = p + 1;
    switch (c) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\t': g_string_append(out, "\\t"); break;
    case '\r': g_string_append(out, "\\r"); break;
    default:
      g_string_append(out, "\\u00");
      g_string_append_c(out, hex[c >> 4]);
      g_string_append_c(out, hex[c & 15]);
    }
  }
  g_string_append(out, run);
  g_string_append_c(out, '"');
}

/* Appends a double in the shortest form that reads back as the same value
 * (json-glib prints 17 digits: -12.8 would become -12.800000000000001).
 * JSON has no NaN/Infinity: they are written as null. */
static void append_json_double(GString *out, double d)
{
  if (!isfinite(d)) {
    g_string_append(out, "null");
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
      g_string_append_printf(out, "%" G_GINT64_FORMAT ".%d", t / 10, (int)(t % 10));
      return;
    }
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int precision = 15; precision <= 17; precision++) {
    g_ascii_formatd(buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", d);
    if (g_ascii_strtod(buf, NULL) == d)
      break;
  }
  g_string_append(out, buf);
  /* keep it a JSON number that reads back as a double, not an integer */
  if (strpbrk(buf, ".eEn") == NULL)
    g_string_append(out, ".0");
}

static void append_json_node(GString *out, JsonNode *node);

static void append_member(JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  GString *out = user_data;
  if (out->str[out->len - 1] != '{')
    g_string_append_c(out, ',');
  append_json_string(out, name);
  g_string_append_c(out, ':');
  append_json_node(out, node);
}

static void append_element(JsonArray *array, guint index, JsonNode *node, gpointer user_data)
{
  GString *out = user_data;
  if (index > 0)
    g_string_append_c(out, ',');
  append_json_node(out, node);
}

/* Appends any node compactly, members in insertion order. */
static void append_json_node(GString *out, JsonNode *node)
{
  switch (node ? JSON_NODE_TYPE(node) : JSON_NODE_NULL) {
  case JSON_NODE_OBJECT:
    g_string_append_c(out, '{');
    json_object_foreach_member(json_node_get_object(node), append_member, out);
    g_string_append_c(out, '}');
    break;
  case JSON_NODE_ARRAY:
    g_string_append_c(out, '[');
    json_array_foreach_element(json_node_get_array(node), append_element, out);
    g_string_append_c(out, ']');
    break;
  case JSON_NODE_VALUE:
    switch (json_node_get_value_type(node)) {
    case G_TYPE_INT64:
      g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
      break;
    case G_TYPE_DOUBLE:
      append_json_double(out, json_node_get_double(node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_json_string(out, json_node_get_string(node));
      break;
    default:
      g_string_append(out, "null");
    }
    break;
  case JSON_NODE_NULL:
  default:
    g_string_append(out, "null");
  }
}

char *kk_json_object_to_line(JsonObject *object, gsize *length)
{
  GString *out = g_string_sized_new(1024);
  g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(node, object);
  append_json_node(out, node);
  if (length != NULL)
    *length = out->len;
  return g_string_free(out, FALSE);
}

gboolean kk_jsonl_write(FILE *out, JsonObject *object, GError **error)
{
  gsize len = 0;
  g_autofree char *text = kk_json_object_to_line(object, &len);
  if (fwrite(text, 1, len, out) != len || fputc('\n', out) == EOF) {
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
