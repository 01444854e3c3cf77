/* kk-json-read.c — see kk-json-read.h */
#include "kk-json-read.h"

#include <errno.h>
#include <math.h>
#include <string.h>

typedef struct {
  const char *p, *end;
  GString *buf; /* the string being read (reused) */
  guint depth;
} Reader;

static JsonNode *read_value(Reader *r);

static void skip_space(Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

/* Four hex digits at r->p into *out. */
static gboolean read_hex4(Reader *r, guint32 *out)
{
  if (r->end - r->p < 4)
    return FALSE;
  guint32 v = 0;
  for (int i = 0; i < 4; i++) {
    int d = g_ascii_xdigit_value(r->p[i]);
    if (d < 0)
      return FALSE;
    v = v << 4 | (guint32)d;
  }
  r->p += 4;
  *out = v;
  return TRUE;
}

/* Reads a string whose opening quote is behind r->p into r->buf (UTF-8,
 * escapes decoded); r->p ends after the closing quote.  Strings that
 * would hold NUL or lone surrogates are left to json-glib. */
static gboolean read_string(Reader *r)
{
  g_string_truncate(r->buf, 0);
  for (;;) {
    const char *s = r->p;
    while (s < r->end && *s != '"' && *s != '\\' && (guchar)*s >= 0x20)
      s++;
    g_string_append_len(r->buf, r->p, s - r->p);
    if (s >= r->end || (guchar)*s < 0x20)
      return FALSE;
    if (*s == '"') {
      r->p = s + 1;
      break;
    }
    if (s + 1 >= r->end)
      return FALSE;
    r->p = s + 2;
    switch (s[1]) {
    case '"': g_string_append_c(r->buf, '"'); break;
    case '\\': g_string_append_c(r->buf, '\\'); break;
    case '/': g_string_append_c(r->buf, '/'); break;
    case 'b': g_string_append_c(r->buf, '\b'); break;
    case 'f': g_string_append_c(r->buf, '\f'); break;
    case 'n': g_string_append_c(r->buf, '\n'); break;
    case 'r': g_string_append_c(r->buf, '\r'); break;
    case 't': g_string_append_c(r->buf, '\t'); break;
    case 'u': {
      guint32 cp, lo;
      if (!read_hex4(r, &cp) || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
        return FALSE;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
          return FALSE;
        r->p += 2;
        if (!read_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
          return FALSE;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      g_string_append_unichar(r->buf, cp);
      break;
    }
    default:
      return FALSE;
    }
  }
  return g_utf8_validate_len(r->buf->str, r->buf->len, NULL);
}

static gboolean is_digit(Reader *r, const char *s)
{
  return s < r->end && *s >= '0' && *s <= '9';
}

/* A number: an integer within gint64 as G_TYPE_INT64, else a finite
 * double. */
static JsonNode *read_number(Reader *r)
{
  const char *s = r->p;
  gboolean integer = TRUE;
  if (s < r->end && *s == '-')
    s++;
  if (!is_digit(r, s))
    return NULL;
  if (*s == '0')
    s++;
  else
    while (is_digit(r, s))
      s++;
  if (s < r->end && *s == '.') {
    integer = FALSE;
    if (!is_digit(r, ++s))
      return NULL;
    while (is_digit(r, s))
      s++;
  }
  if (s < r->end && (*s == 'e' || *s == 'E')) {
    integer = FALSE;
    s++;
    if (s < r->end && (*s == '+' || *s == '-'))
      s++;
    if (!is_digit(r, s))
      return NULL;
    while (is_digit(r, s))
      s++;
  }
  char tmp[64];
  gsize n = (gsize)(s - r->p);
  if (n >= sizeof tmp)
    return NULL;
  memcpy(tmp, r->p, n);
  tmp[n] = '\0';
  char *stop = NULL;
  JsonNode *node = NULL;
  errno = 0;
  if (integer) {
    gint64 v = g_ascii_strtoll(tmp, &stop, 10);
    if (errno == 0 && *stop == '\0')
      node = json_node_init_int(json_node_alloc(), v);
  } else {
    double d = g_ascii_strtod(tmp, &stop);
    if (errno == 0 && *stop == '\0' && isfinite(d))
      node = json_node_init_double(json_node_alloc(), d);
  }
  if (node != NULL)
    r->p = s;
  return node;
}

/* The members of an object whose '{' is behind r->p. */
static JsonObject *read_object(Reader *r)
{
  JsonObject *o = json_object_new();
  skip_space(r);
  if (r->p < r->end && *r->p == '}') {
    r->p++;
    return o;
  }
  for (;;) {
    skip_space(r);
    if (r->p >= r->end || *r->p != '"')
      break;
    r->p++;
    if (!read_string(r))
      break;
    g_autofree char *name = g_strndup(r->buf->str, r->buf->len);
    skip_space(r);
    if (r->p >= r->end || *r->p != ':')
      break;
    r->p++;
    JsonNode *value = read_value(r);
    if (value == NULL)
      break;
    json_object_set_member(o, name, value);
    skip_space(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == '}') {
      r->p++;
      return o;
    }
    break;
  }
  json_object_unref(o);
  return NULL;
}

/* The elements of an array whose '[' is behind r->p. */
static JsonArray *read_array(Reader *r)
{
  JsonArray *a = json_array_new();
  skip_space(r);
  if (r->p < r->end && *r->p == ']') {
    r->p++;
    return a;
  }
  for (;;) {
    JsonNode *value = read_value(r);
    if (value == NULL)
      break;
    json_array_add_element(a, value);
    skip_space(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == ']') {
      r->p++;
      return a;
    }
    break;
  }
  json_array_unref(a);
  return NULL;
}

/* `word` (true, false, null) at r->p. */
static gboolean read_word(Reader *r, const char *word)
{
  gsize n = strlen(word);
  if ((gsize)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
    return FALSE;
  r->p += n;
  return TRUE;
}

static JsonNode *read_value(Reader *r)
{
  skip_space(r);
  if (r->p >= r->end)
    return NULL;
  switch (*r->p) {
  case '{': {
    if (r->depth >= KK_JSON_READ_MAX_DEPTH)
      return NULL;
    r->p++;
    r->depth++;
    JsonObject *o = read_object(r);
    r->depth--;
    if (o == NULL)
      return NULL;
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, o);
    return node;
  }
  case '[': {
    if (r->depth >= KK_JSON_READ_MAX_DEPTH)
      return NULL;
    r->p++;
    r->depth++;
    JsonArray *a = read_array(r);
    r->depth--;
    if (a == NULL)
      return NULL;
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(node, a);
    return node;
  }
  case '"':
    r->p++;
    return read_string(r) ? json_node_init_string(json_node_alloc(), r->buf->str) : NULL;
  case 't':
    return read_word(r, "true") ? json_node_init_boolean(json_node_alloc(), TRUE) : NULL;
  case 'f':
    return read_word(r, "false") ? json_node_init_boolean(json_node_alloc(), FALSE) : NULL;
  case 'n':
    return read_word(r, "null") ? json_node_init_null(json_node_alloc()) : NULL;
  default:
    return read_number(r);
  }
}

JsonObject *kk_json_read_object(const char *text, gsize len)
{
  if (text == NULL)
    return NULL;
  g_autoptr(GString) buf = g_string_sized_new(256);
  Reader r = { .p = text, .end = text + len, .buf = buf };
  skip_space(&r);
  if (r.p >= r.end || *r.p != '{')
    return NULL;
  r.p++;
  r.depth = 1;
  JsonObject *o = read_object(&r);
  if (o == NULL)
    return NULL;
  skip_space(&r);
  if (r.p != r.end) {
    json_object_unref(o);
    return NULL;
  }
  return o;
}
