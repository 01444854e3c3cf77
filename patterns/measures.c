/*
 * measures.c — measures: values, roles and fiscal years, from KPI tables
 * and from the text of fields.
 * Part of the parse engine (engine.c, engine.h).
 */
#include "patterns/engine.h"
#include "patterns/match-limits.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- measure values */

/* TRUE if a quantity's unit is a period (年間, か月, 日間 …): how long,
 * not how much.  時間 is not one: hours are counted (残業▲600時間). */
gboolean kp_is_duration(const char *unit)
{
  static const char *const units[] = { "年間", "か月", "ヶ月", "カ月", "か月間", "ヶ月間", "カ月間", "日間", "週間" };
  for (gsize i = 0; unit && i < G_N_ELEMENTS(units); i++)
    if (strcmp(unit, units[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Fills value/unit of a measure from annotated text: money in yen, else a
 * percent, a quantity with its unit, or a number scaled by the table's
 * money unit.  FALSE if the text holds no value. */
gboolean kp_measure_value(const KpText *t, int from, int to, double scale,
                              double *value, const char **unit, char **unit_owned)
{
  const KpSpan *s;
  *unit_owned = NULL;
  if ((s = kp_text_find_span(t, KK_SPAN_AMOUNT, from, to))) {
    *value = s->num;
    *unit = "円";
    return TRUE;
  }
  if ((s = kp_text_find_span(t, KK_SPAN_PERCENT, from, to))) {
    *value = s->num;
    *unit = "%";
    return TRUE;
  }
  if ((s = kp_text_find_span(t, KK_SPAN_QUANTITY, from, to))) {
    /* a period ("5年間で2人") says over what time, not how much: the
     * quantity after it is the value */
    const KpSpan *after = kp_is_duration(s->unit) ? kp_text_find_span(t, KK_SPAN_QUANTITY, s->end, to) : NULL;
    if (after && !kp_is_duration(after->unit))
      s = after;
    *value = s->num;
    *unit = s->unit;
    return TRUE;
  }
  if ((s = kp_text_find_span(t, KK_SPAN_NUMBER, from, to))) {
    if (scale > 0) {
      *value = s->num * scale;
      *unit = "円";
    } else {
      *value = s->num;
      *unit = NULL;
    }
    return TRUE;
  }
  return FALSE;
}

/* A field's or cell's text with the line breaks of wrapping removed: a
 * break stays only where a new item (bullet, bracket) begins, a sentence
 * ended, or it parts two numbers ("1,000\n2,000" are two values). */
static char *join_wrapped(const char *text)
{
  GString *s = g_string_new(NULL);
  for (const char *q = text; *q; q = g_utf8_next_char(q)) {
    gunichar c = g_utf8_get_char(q);
    if (c == '\n') {
      gunichar next = g_utf8_get_char(q + 1);
      const char *prev_p = s->len ? g_utf8_find_prev_char(s->str, s->str + s->len) : NULL;
      gunichar prev = prev_p ? g_utf8_get_char(prev_p) : 0;
      if (next && g_utf8_strchr("○〇・●◆■□※【「<＜", -1, next) == NULL &&
          g_utf8_strchr("。)】>＞", -1, prev) == NULL && !(g_unichar_isdigit(prev) && g_unichar_isdigit(next)))
        continue;
    }
    g_string_append_unichar(s, c);
  }
  return g_string_free(s, FALSE);
}

/* kp_measure_value() of a whole cell, read with the line breaks of
 * wrapping removed: a narrow column breaks a value inside its unit
 * ("3,000時\n間"), and normalize annotates the text as printed, so its spans
 * end at the break.  A unit read from the joined text is newly allocated
 * in *unit_owned. */
gboolean kp_cell_measure_value(const KpText *t, double scale, double *value, const char **unit,
                               char **unit_owned)
{
  if (strchr(t->text, '\n') == NULL)
    return kp_measure_value(t, 0, -1, scale, value, unit, unit_owned);
  KpText joined = { 0 };
  joined.text = join_wrapped(t->text);
  joined.spans = kp_annotate(joined.text);
  gboolean has = kp_measure_value(&joined, 0, -1, scale, value, unit, unit_owned);
  if (has && *unit && *unit_owned == NULL)
    *unit = *unit_owned = g_strdup(*unit); /* it points into joined's spans */
  kp_text_clear(&joined);
  return has;
}

void kp_set_number(JsonObject *o, const char *member, double v)
{
  if (!isfinite(v) || fabs(v) > 1e18) {
    json_object_set_null_member(o, member); /* no JSON number for it */
    return;
  }
  if (fabs(v - round(v)) < 1e-6 && fabs(v) < 9e15)
    json_object_set_int_member(o, member, (gint64)llround(v));
  else
    json_object_set_double_member(o, member, v);
}

/* Role of a measure whose value text matches a value-role rule, else dflt. */
const char *kp_value_role(KpFamily *fam, const char *text, const char *dflt, const KpRule **by)
{
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir == KP_DIR_VALUE_ROLE && kp_rule_match(r, text, NULL)) {
      if (by)
        *by = r;
      return r->arg;
    }
  }
  return dflt;
}

JsonObject *kp_measure_new(const char *label, const char *role, gboolean has_value, double value,
                               const char *unit, gint64 fy, const char *raw, int page,
                               const double *bbox)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "measure");
  json_object_set_null_member(o, "item");
  kp_set_string_or_null(o, "label", label);
  json_object_set_string_member(o, "role", role);
  if (has_value)
    kp_set_number(o, "value", value);
  else
    json_object_set_null_member(o, "value");
  kp_set_string_or_null(o, "unit", unit);
  kp_set_fy(o, fy);
  json_object_set_string_member(o, "raw", raw);
  json_object_set_int_member(o, "page", page);
  if (bbox)
    kk_json_set_bbox(o, "bbox", bbox);
  return o;
}

/* TRUE if `label` contains one of the '|'-separated words of `list`. */
static gboolean label_selected(const char *label, const char *list)
{
  if (list == NULL)
    return TRUE;
  g_auto(GStrv) words = g_strsplit(list, "|", -1);
  for (int i = 0; words[i]; i++)
    if (*words[i] && strstr(label, words[i]))
      return TRUE;
  return FALSE;
}

/* The field-role rule for a field label, or NULL. */
static const KpRule *field_role(KpFamily *fam, const char *label)
{
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir == KP_DIR_FIELD_ROLE && kp_rule_match(r, label, NULL))
      return r;
  }
  return NULL;
}

/* Removes every match of the label-strip rules from a label. */
static char *strip_label(KpFamily *fam, const char *label)
{
  char *cur = g_strdup(label);
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir != KP_DIR_LABEL_STRIP)
      continue;
    for (int guard = 0; guard < 8 && *cur; guard++) {
      gsize a, b;
      if (!kp_rule_match(r, cur, NULL) || !kp_rule_group_span(r, 0, &a, &b) || b <= a)
        break;
      GString *next = g_string_new_len(cur, (gssize)a);
      g_string_append(next, cur + b);
      g_free(cur);
      cur = g_string_free(next, FALSE);
    }
  }
  g_strstrip(cur);
  return cur;
}

/* Measures written in the text of an item's fields ("普通建設事業費15億円以内"):
 * the [measures] text rules find label, value and role word; field-role
 * gives the role of a field; year rules the fiscal year. */
void kp_text_measures(KkParser *p, Item *it)
{
  KpFamily *fam = p->st->family;
  GPtrArray *rules = fam->section[KP_SEC_MEASURES];
  static const char *const names[] = { "label", "value", "role" };
  gboolean any = FALSE;
  for (guint i = 0; i < rules->len; i++)
    if (((KpRule *)g_ptr_array_index(rules, i))->dir == KP_DIR_TEXT)
      any = TRUE;
  if (!any)
    return;
  for (guint k = 0; k < it->fields->len; k++) {
    Field *f = g_ptr_array_index(it->fields, k);
    const KpRule *fr = field_role(fam, f->label);
    g_autofree char *joined = join_wrapped(f->value->str);
    g_autoptr(GArray) spans = kp_annotate(joined);
    g_autoptr(GArray) label_spans = kp_annotate(f->label);
    KpText t = { .text = joined, .spans = spans };
    KpText lt = { .text = f->label, .spans = label_spans };
    gsize len = strlen(joined);
    g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(gsize) * 2);
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (r->dir != KP_DIR_TEXT)
        continue;
      const char *in = kp_rule_opt(r, KP_OPT_IN);
      if (in ? !label_selected(f->label, in) : fr == NULL)
        continue;
      gsize offset = 0;
      int guard = 0;
      while (offset < len && guard++ < 500) {
        int rc = kp_rule_exec(r, joined, len, offset, 0);
        if (rc < 0)
          break;
        ((KpRule *)r)->hits++; /* a statistic for patterns check */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        gsize ms = ov[0], me = ov[1];
        gsize grp[3][2] = { { 0, 0 }, { ms, me }, { 0, 0 } };
        gboolean have[3] = { FALSE, FALSE, FALSE };
        for (int n = 0; n < 3; n++) {
          int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)names[n]);
          if (g > 0 && kp_rule_group_span(r, g, &grp[n][0], &grp[n][1]))
            have[n] = TRUE;
        }
        offset = me > ms ? me : ms + 1;
        while (offset < len && ((guchar)joined[offset] & 0xC0) == 0x80)
          offset++;
        gsize vs = grp[1][0], ve = grp[1][1];
        /* each value once per field; never a date or a year */
        gboolean clash = FALSE;
        for (guint u = 0; u < used->len; u++) {
          gsize *ur = &g_array_index(used, gsize, 2 * u);
          if (vs < ur[1] && ur[0] < ve)
            clash = TRUE;
        }
        int cvs = kp_cp_offset(joined, vs), cve = kp_cp_offset(joined, ve);
        for (guint s = 0; s < spans->len; s++) {
          const KpSpan *sp = &g_array_index(spans, KpSpan, s);
          if ((sp->type == KK_SPAN_DATE || sp->type == KK_SPAN_YEAR ||
               sp->type == KK_SPAN_FISCAL_YEAR || sp->type == KK_SPAN_FISCAL_YEAR_RANGE) &&
              sp->start < cve && cvs < sp->end)
            clash = TRUE;
        }
        double value = 0;
        const char *unit = NULL;
        g_autofree char *uo = NULL;
        if (clash || !kp_measure_value(&t, cvs, cve, 0, &value, &unit, &uo))
          continue;
        const KpSpan *num = kp_text_find_span(&t, KK_SPAN_NUMBER, cvs, cve);
        g_autofree char *num_unit = NULL;
        if (unit == NULL && num && num->end < cve) {
          /* "5業務": a count whose word normalize does not know */
          g_autofree char *rest = g_utf8_substring(joined, num->end, cve);
          num_unit = kp_value_text(rest);
          if (*num_unit)
            unit = num_unit;
        }
        /* the label, cleaned; else the subject of the line */
        g_autofree char *raw_label = have[0] ? g_strndup(joined + grp[0][0], grp[0][1] - grp[0][0]) : g_strdup("");
        g_autofree char *label = strip_label(fam, raw_label);
        gsize line_start = ms;
        while (line_start > 0 && joined[line_start - 1] != '\n')
          line_start--;
        if (*label == '\0') {
          g_autofree char *line = g_strndup(joined + line_start, ms - line_start);
          for (guint s2 = 0; s2 < rules->len && *label == '\0'; s2++) {
            const KpRule *sr = g_ptr_array_index(rules, s2);
            g_autofree char *v = NULL;
            if (sr->dir == KP_DIR_SUBJECT && kp_rule_match(sr, line, &v)) {
              g_free(label);
              label = strip_label(fam, v);
            }
          }
        }
        if (*label == '\0')
          continue;
        gsize raw_end = have[2] && grp[2][1] > ve ? grp[2][1] : ve;
        g_autofree char *raw = g_strndup(joined + vs, raw_end - vs);
        g_autofree char *role_word = have[2] ? g_strndup(joined + grp[2][0], grp[2][1] - grp[2][0]) : NULL;
        const char *dflt = fr ? fr->arg : (kp_rule_opt(r, KP_OPT_ROLE) ? kp_rule_opt(r, KP_OPT_ROLE) : "target");
        const char *role = kp_value_role(fam, role_word ? role_word : raw, dflt, NULL);
        /* the fiscal year: a year rule on the line up to the value, else
         * the field-role's default */
        gint64 fy = 0;
        g_autofree char *upto = g_strndup(joined + line_start, ve - line_start);
        g_autoptr(GArray) upto_spans = kp_annotate(upto);
        KpText ut = { .text = upto, .spans = upto_spans };
        for (guint s2 = 0; s2 < rules->len && fy == 0; s2++) {
          const KpRule *yr = g_ptr_array_index(rules, s2);
          gsize a, b;
          if (yr->dir == KP_DIR_YEAR && kp_rule_match(yr, upto, NULL) &&
              kp_rule_group_span(yr, yr->value_group, &a, &b))
            fy = kp_label_fiscal_year_in(&ut, kp_cp_offset(upto, a), kp_cp_offset(upto, b));
        }
        const char *dy = fr ? kp_rule_opt(fr, KP_OPT_DEFAULT_YEAR) : NULL;
        if (fy == 0 && dy) {
          if (strcmp(dy, "label") == 0)
            fy = kp_label_fiscal_year(&lt);
          else
            fy = strcmp(dy, "end") == 0 ? p->st->fy_end : p->st->fy_start;
        }
        gsize pair[2] = { vs, ve };
        g_array_append_vals(used, pair, 1);
        JsonObject *o = kp_measure_new(label, role, TRUE, value, unit, fy, raw, f->page,
                                    f->has_bbox ? f->bbox : NULL);
        kp_item_add_after(it, o, r);
        if (fr)
          ((KpRule *)fr)->made++;
      }
    }
  }
}
