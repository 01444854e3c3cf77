/* kk-load-check.c — see kk-load-check.h */
#include "kk-load-check.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

struct KkLoadCheck {
  gint64 pages;      /* the document's page count */
  guint8 *seen;      /* per page number 1 … pages: a page record came */
  gint64 n_seen;     /* distinct page records */
  guint index;       /* records checked, for messages (the document is 0) */
  gboolean ended;    /* the end object came */
};

static gboolean bad(KkLoadCheck *c, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean bad(KkLoadCheck *c, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "record %u: %s", c->index + 1, msg);
  return FALSE;
}

/* Reads member `name` of `o` as an integer.  Returns 0 when it is absent or
 * null, 1 with *out set for a JSON integer (or a float with an integral
 * value that a double holds exactly), -1 for anything else. */
static int integer_member(JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = json_object_get_member(o, name);
  if (n == NULL || JSON_NODE_HOLDS_NULL(n))
    return 0;
  if (!JSON_NODE_HOLDS_VALUE(n))
    return -1;
  GType t = json_node_get_value_type(n);
  if (t == G_TYPE_INT64) {
    *out = json_node_get_int(n);
    return 1;
  }
  if (t == G_TYPE_DOUBLE) {
    double d = json_node_get_double(n);
    /* 2^53: beyond it a double skips integers, so the value is not exact */
    if (isfinite(d) && d == floor(d) && fabs(d) <= 9007199254740992.0) {
      *out = (gint64)d;
      return 1;
    }
  }
  return -1;
}

KkLoadCheck *kk_load_check_new(JsonObject *doc, GError **error)
{
  gint64 pages = 0;
  if (integer_member(doc, "pages", &pages) != 1 || pages < 1 || pages > KK_LOAD_MAX_PAGES) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "document object: \"pages\" must be a page count from 1 to %d",
                KK_LOAD_MAX_PAGES);
    return NULL;
  }
  KkLoadCheck *c = g_new0(KkLoadCheck, 1);
  c->pages = pages;
  c->seen = g_malloc0((gsize)pages + 1);
  return c;
}

void kk_load_check_free(KkLoadCheck *c)
{
  if (c == NULL)
    return;
  g_free(c->seen);
  g_free(c);
}

/* The end object: the stream's last; its page count, when given, agrees. */
static gboolean check_end(KkLoadCheck *c, JsonObject *o, GError **error)
{
  gint64 pages = 0;
  int has = integer_member(o, "pages", &pages);
  if (has < 0 || (has == 1 && pages != c->pages))
    return bad(c, error, "the end object's \"pages\" is not the document's %" G_GINT64_FORMAT, c->pages);
  c->ended = TRUE;
  return TRUE;
}

gboolean kk_load_check_record(KkLoadCheck *c, JsonObject *o, GError **error)
{
  c->index++;
  const char *type = kk_json_string(o, "type", "");
  if (c->ended)
    return bad(c, error, "\"%s\" after the end object", type);
  if (strcmp(type, "end") == 0)
    return check_end(c, o, error);

  gint64 page = 0;
  int has_page = integer_member(o, "page", &page);
  if (has_page < 0 || (has_page == 1 && (page < 1 || page > c->pages)))
    return bad(c, error, "\"page\" is not a page number of the document (1 to %" G_GINT64_FORMAT ")", c->pages);
  /* a table continued over pages ends on a page of the document, not
   * before it starts */
  gint64 page_end = 0;
  int has_end = integer_member(o, "page_end", &page_end);
  if (has_end < 0 || (has_end == 1 && (page_end < (has_page == 1 ? page : 1) || page_end > c->pages)))
    return bad(c, error, "\"page_end\" is not a page of the document at or after \"page\"");
  if (strcmp(type, "page") == 0) {
    if (has_page != 1)
      return bad(c, error, "page record without a \"page\" number");
    if (c->seen[page])
      return bad(c, error, "page %" G_GINT64_FORMAT " given twice", page);
    c->seen[page] = 1;
    c->n_seen++;
  }

  static const char *const integers[] = { "fiscal_year", "total", "national", "prefectural", "bonds", "other",
                                          "general_fund" };
  gint64 v;
  for (gsize i = 0; i < G_N_ELEMENTS(integers); i++)
    if ((strcmp(type, "budget") == 0 || i == 0) && integer_member(o, integers[i], &v) < 0)
      return bad(c, error, "\"%s\" is not an integer that fits", integers[i]);

  JsonNode *item = json_object_get_member(o, "item");
  if (item != NULL && !JSON_NODE_HOLDS_NULL(item) && kk_json_string(o, "item", NULL) == NULL)
    return bad(c, error, "\"item\" must be an item key or null");
  return TRUE;
}

gboolean kk_load_check_finish(KkLoadCheck *c, GError **error)
{
  if (!c->ended) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "records stream cut: no end object");
    return FALSE;
  }
  if (c->n_seen != c->pages) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT,
                "the document has %" G_GINT64_FORMAT " pages but %" G_GINT64_FORMAT " page records", c->pages, c->n_seen);
    return FALSE;
  }
  return TRUE;
}
