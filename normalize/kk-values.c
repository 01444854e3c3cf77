/*
 * kk-values.c — spans as JSON, and the one-call cell parsers the parse stage
 * uses (kk_parse_number, kk_parse_amount_yen, kk_parse_fiscal_year).
 */
#include "kk-normalize-private.h"

#include <string.h>

static const char *const kind_names[] = {
  [KK_SPAN_NUMBER] = "number",
  [KK_SPAN_AMOUNT] = "amount",
  [KK_SPAN_QUANTITY] = "quantity",
  [KK_SPAN_PERCENT] = "percent",
  [KK_SPAN_DATE] = "date",
  [KK_SPAN_YEAR] = "year",
  [KK_SPAN_FISCAL_YEAR] = "fiscal_year",
  [KK_SPAN_FISCAL_YEAR_RANGE] = "fiscal_year_range",
};

const char *kk_span_kind_name(KkSpanKind kind)
{
  if ((guint)kind >= G_N_ELEMENTS(kind_names))
    return "unknown";
  return kind_names[kind];
}

/* Appends the decimal digits of `m`. */
static void append_digits(GString *out, guint64 m)
{
  char digits[24];
  int i = (int)sizeof digits;
  do {
    digits[--i] = (char)('0' + m % 10);
    m /= 10;
  } while (m != 0);
  g_string_append_len(out, digits + i, (gssize)sizeof digits - i);
}

/* Appends `v` as printf's %d / %lld would. */
static void append_signed(GString *out, gint64 v)
{
  if (v < 0) {
    g_string_append_c(out, '-');
    append_digits(out, (guint64)0 - (guint64)v);
  } else {
    append_digits(out, (guint64)v);
  }
}

/* Appends the decimal exactly: {870,1} -> "87.0", {-128,1} -> "-12.8". */
static void append_decimal(GString *out, KkDecimal d)
{
  guint64 m = d.mantissa < 0 ? (guint64)0 - (guint64)d.mantissa : (guint64)d.mantissa;
  char digits[24];
  gint nd = g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, m);
  gint scale = CLAMP(d.scale, 0, 18);
  if (d.mantissa < 0)
    g_string_append_c(out, '-');
  if (scale == 0) {
    g_string_append_len(out, digits, nd);
    return;
  }
  if (nd <= scale) {
    g_string_append(out, "0.");
    for (gint k = nd; k < scale; k++)
      g_string_append_c(out, '0');
    g_string_append_len(out, digits, nd);
    return;
  }
  g_string_append_len(out, digits, nd - scale);
  g_string_append_c(out, '.');
  g_string_append_len(out, digits + nd - scale, scale);
}

/* "YYYY-MM-DD", or "YYYY-MM" when the day is unknown. */
static void format_date(char buf[32], const KkSpan *sp)
{
  if (sp->day > 0)
    g_snprintf(buf, 32, "%04d-%02d-%02d", sp->year, sp->month, sp->day);
  else
    g_snprintf(buf, 32, "%04d-%02d", sp->year, sp->month);
}

void kk_span_append_json(GString *out, const KkSpan *sp)
{
  /* by hand, not printf: a page of text has thousands of spans */
  g_string_append(out, "{\"start\":");
  append_digits(out, sp->start);
  g_string_append(out, ",\"end\":");
  append_digits(out, sp->end);
  g_string_append(out, ",\"kind\":\"");
  g_string_append(out, kk_span_kind_name(sp->kind));
  g_string_append(out, "\",\"value\":");
  switch (sp->kind) {
  case KK_SPAN_DATE: {
    char buf[32];
    format_date(buf, sp);
    g_string_append_c(out, '"');
    g_string_append(out, buf);
    g_string_append_c(out, '"');
    break;
  }
  case KK_SPAN_YEAR:
  case KK_SPAN_FISCAL_YEAR:
    append_signed(out, sp->year);
    break;
  case KK_SPAN_FISCAL_YEAR_RANGE:
    g_string_append_c(out, '[');
    append_signed(out, sp->year);
    g_string_append_c(out, ',');
    append_signed(out, sp->year_to);
    g_string_append_c(out, ']');
    break;
  default:
    append_decimal(out, sp->value);
    break;
  }
  if (sp->kind == KK_SPAN_QUANTITY && sp->unit != NULL) {
    /* Units are static ASCII/Japanese strings without quotes or controls. */
    g_string_append(out, ",\"unit\":\"");
    g_string_append(out, sp->unit);
    g_string_append_c(out, '"');
  }
  g_string_append_c(out, '}');
}

JsonObject *kk_span_to_json(const KkSpan *sp)
{
  JsonObject *o = json_object_new();
  json_object_set_int_member(o, "start", sp->start);
  json_object_set_int_member(o, "end", sp->end);
  json_object_set_string_member(o, "kind", kk_span_kind_name(sp->kind));
  switch (sp->kind) {
  case KK_SPAN_DATE: {
    char buf[32];
    format_date(buf, sp);
    json_object_set_string_member(o, "value", buf);
    break;
  }
  case KK_SPAN_YEAR:
  case KK_SPAN_FISCAL_YEAR:
    json_object_set_int_member(o, "value", sp->year);
    break;
  case KK_SPAN_FISCAL_YEAR_RANGE: {
    JsonArray *a = json_array_sized_new(2);
    json_array_add_int_element(a, sp->year);
    json_array_add_int_element(a, sp->year_to);
    json_object_set_array_member(o, "value", a);
    break;
  }
  default:
    if (sp->value.scale == 0)
      json_object_set_int_member(o, "value", sp->value.mantissa);
    else
      json_object_set_double_member(o, "value", kk_decimal_to_double(sp->value));
    break;
  }
  if (sp->kind == KK_SPAN_QUANTITY && sp->unit != NULL)
    json_object_set_string_member(o, "unit", sp->unit);
  return o;
}

/* Normalizes and annotates `text` with the thread's normalizer; calls `pick`
 * on each span until it returns TRUE.  FALSE if none picked. */
static gboolean find_span(const char *text, gssize len, gboolean (*pick)(const KkSpan *, gpointer), gpointer data)
{
  if (text == NULL)
    return FALSE;
  KkNormalizer *n = kk_normalizer_default(NULL);
  if (n == NULL)
    return FALSE;
  gsize ulen = len < 0 ? strlen(text) : (gsize)len, out_len;
  if (kk_normalizer_run(n, text, ulen, KK_NORMALIZE_REPLACE_INVALID, &out_len, NULL, NULL) == NULL)
    return FALSE;
  /* Spans live only for this call: keep one small array per thread. */
  static GPrivate spans_key = G_PRIVATE_INIT((GDestroyNotify)g_array_unref);
  GArray *spans = g_private_get(&spans_key);
  if (spans == NULL) {
    spans = g_array_new(FALSE, FALSE, sizeof(KkSpan));
    g_private_set(&spans_key, spans);
  }
  kk_normalizer_annotate(n, spans);
  for (guint i = 0; i < spans->len; i++)
    if (pick(&g_array_index(spans, KkSpan, i), data))
      return TRUE;
  return FALSE;
}

static gboolean pick_value(const KkSpan *sp, gpointer data)
{
  KkValue *out = data;
  switch (sp->kind) {
  case KK_SPAN_NUMBER:
  case KK_SPAN_AMOUNT:
  case KK_SPAN_QUANTITY:
  case KK_SPAN_PERCENT:
    out->kind = sp->kind;
    out->value = sp->value;
    out->unit = sp->kind == KK_SPAN_AMOUNT ? "円" : sp->kind == KK_SPAN_PERCENT ? "%" : sp->unit;
    return TRUE;
  default:
    return FALSE;
  }
}

gboolean kk_parse_number(const char *text, gssize len, KkValue *out)
{
  KkValue v = { 0 };
  if (!find_span(text, len, pick_value, &v))
    return FALSE;
  if (out)
    *out = v;
  return TRUE;
}

static gboolean pick_amount(const KkSpan *sp, gpointer data)
{
  if (sp->kind != KK_SPAN_AMOUNT)
    return FALSE;
  *(gint64 *)data = sp->value.mantissa;
  return TRUE;
}

gboolean kk_parse_amount_yen(const char *text, gssize len, gint64 *yen)
{
  gint64 v = 0;
  if (!find_span(text, len, pick_amount, &v))
    return FALSE;
  if (yen)
    *yen = v;
  return TRUE;
}

static gboolean pick_fiscal_year(const KkSpan *sp, gpointer data)
{
  if (sp->kind != KK_SPAN_FISCAL_YEAR && sp->kind != KK_SPAN_FISCAL_YEAR_RANGE && sp->kind != KK_SPAN_YEAR)
    return FALSE;
  *(gint *)data = sp->year;
  return TRUE;
}

gboolean kk_parse_fiscal_year(const char *text, gssize len, gint *year)
{
  gint y = 0;
  if (!find_span(text, len, pick_fiscal_year, &y))
    return FALSE;
  if (year)
    *year = y;
  return TRUE;
}
