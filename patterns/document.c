/*
 * document.c — the document record (title, municipality, prefecture, plan
 * period) and the choice of a family.
 * Part of the parse engine (engine.c, engine.h).
 */
#include "patterns/engine.h"
#include "common/kk-commands.h"
#include "common/kk-error.h"
#include "normalize/normalize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------- document record */

/* Sets a document attribute if `rule` outranks the rule that set it. */
static void doc_offer(KkParser *p, DocAttr *a, const KpRule *rule, int prio, const char *value, int page)
{
  if (value == NULL || *value == '\0')
    return;
  if (a->value != NULL && a->prio <= prio)
    return;
  g_free(a->value);
  a->value = kp_value_text(value);
  a->prio = prio;
  a->page = page;
  a->rule = rule;
}

/* A page number limit of a rule's pages= option (0 = all pages). */
static int rule_pages(const KpRule *r)
{
  const char *v = kp_rule_opt(r, KP_OPT_PAGES);
  return v ? atoi(v) : 0;
}

/* Runs the [document] rules over one page's lines (and cells where asked). */
void kp_document_rules(KkParser *p, const KpPage *page)
{
  Stream *st = p->st;
  GPtrArray *rules = st->family->section[KP_SEC_DOCUMENT];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    int limit = rule_pages(r);
    if (limit > 0 && page->no > limit)
      continue;
    const char *wh = kp_rule_opt(r, KP_OPT_WHERE);
    gboolean lines_ok = wh == NULL || strcmp(wh, "cell") != 0;
    gboolean cells_ok = wh != NULL && strcmp(wh, "line") != 0;
    DocAttr *attr = NULL;
    if (r->dir == KP_DIR_TITLE)
      attr = &st->title;
    else if (r->dir == KP_DIR_MUNICIPALITY)
      attr = &st->municipality;
    else if (r->dir == KP_DIR_PREFECTURE)
      attr = &st->prefecture;
    else
      attr = &st->period;
    if (attr->value && attr->prio <= (int)i)
      continue;

    if (r->dir == KP_DIR_TITLE && kp_rule_opt(r, KP_OPT_FROM)) {
      /* the lines in the page's largest type, outside tables */
      double max = 0;
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0 && !kp_blank(l->t.text))
          max = MAX(max, l->size);
      }
      if (max <= 0)
        continue;
      GString *s = g_string_new(NULL);
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0 && l->size >= max * 0.9)
          g_string_append(s, l->t.text);
      }
      g_autofree char *joined = g_string_free(s, FALSE);
      g_autofree char *value = NULL;
      if (r->re == NULL)
        value = g_strdup(joined);
      else if (!kp_rule_match(r, joined, &value))
        continue;
      doc_offer(p, attr, r, (int)i, value, page->no);
      continue;
    }
    if (r->dir == KP_DIR_TITLE && g_strcmp0(kp_rule_opt(r, KP_OPT_JOIN), "yes") == 0) {
      GString *s = g_string_new(NULL);
      for (guint k = 0; k < page->lines->len; k++) {
        KpLine *l = g_ptr_array_index(page->lines, k);
        if (l->table < 0)
          g_string_append(s, l->t.text);
      }
      g_autofree char *joined = g_string_free(s, FALSE);
      g_autofree char *value = NULL;
      if (kp_rule_match(r, joined, &value))
        doc_offer(p, attr, r, (int)i, value, page->no);
      continue;
    }

    /* line by line (then cells): the first match on the page wins */
    guint nl = lines_ok ? page->lines->len : 0;
    gboolean done = FALSE;
    for (guint k = 0; k < nl && !done; k++) {
      KpLine *l = g_ptr_array_index(page->lines, k);
      const KpText *t = &l->t;
      g_autofree char *value = NULL;
      if (!kp_rule_match_valid(r, t->text, &value))
        continue;
      if (attr == &st->period) {
        gsize ms = 0, me = 0;
        kp_rule_group_span(r, 0, &ms, &me);
        int a = kp_cp_offset(t->text, ms), b = kp_cp_offset(t->text, me);
        gint64 y0 = 0, y1 = 0;
        const KpSpan *rg = NULL;
        for (guint s = 0; t->spans && s < t->spans->len && rg == NULL; s++) {
          const KpSpan *sp = &g_array_index(t->spans, KpSpan, s);
          if (sp->type == KK_SPAN_FISCAL_YEAR_RANGE && sp->start >= a && sp->start < b)
            rg = sp;
        }
        if (rg) {
          y0 = rg->from;
          y1 = rg->to;
        } else {
          for (guint s = 0; t->spans && s < t->spans->len; s++) {
            const KpSpan *sp = &g_array_index(t->spans, KpSpan, s);
            if (sp->type == KK_SPAN_FISCAL_YEAR && sp->start >= a && sp->start < b) {
              if (y0 == 0)
                y0 = (gint64)sp->num;
              y1 = (gint64)sp->num;
            }
          }
        }
        if (y0 == 0)
          continue;
        if (r->dir == KP_DIR_FISCAL_YEAR)
          y1 = y0;
        st->fy_start = y0;
        st->fy_end = y1;
        g_autofree char *txt = g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, y0, y1);
        doc_offer(p, attr, r, (int)i, txt, page->no);
      } else {
        doc_offer(p, attr, r, (int)i, value, page->no);
      }
      done = TRUE;
    }
    for (guint k = 0; cells_ok && !done && k < page->tables->len; k++) {
      KpTable *tb = g_ptr_array_index(page->tables, k);
      for (guint c = 0; c < tb->cells->len && !done; c++) {
        KpCell *cell = g_ptr_array_index(tb->cells, c);
        g_autofree char *value = NULL;
        if (attr != &st->period && kp_rule_match_valid(r, cell->t.text, &value)) {
          doc_offer(p, attr, r, (int)i, value, page->no);
          done = TRUE;
        }
      }
    }
  }
}

/* The pipeline that made the records (documents' derivation). */
#define PIPELINE "keikaku " KK_VERSION

/* The members a document object has before anything is read from its
 * pages: type, format, version, sha256, file, pages. */
static JsonObject *document_head(KkParser *p)
{
  Stream *st = p->st;
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "type", "document");
  json_object_set_string_member(o, "format", "keikaku-records");
  json_object_set_int_member(o, "version", 1);
  kp_set_string_or_null(o, "sha256", kk_json_string(st->doc_in, "sha256", NULL));
  kp_set_string_or_null(o, "file", kk_json_string(st->doc_in, "file", NULL));
  json_object_set_int_member(o, "pages", st->pages_declared > 0 ? st->pages_declared : st->pages_seen);
  return o;
}

gboolean kp_emit_provisional_document(KkParser *p, KkSink sink, gpointer user_data, GError **error)
{
  g_autoptr(JsonObject) o = document_head(p);
  json_object_set_boolean_member(o, "provisional", TRUE);
  json_object_set_string_member(o, "pipeline", PIPELINE);
  return sink(o, user_data, error);
}

gboolean kp_emit_document(KkParser *p, KkSink sink, gpointer user_data, GError **error)
{
  Stream *st = p->st;
  JsonObject *o = document_head(p);
  kp_set_string_or_null(o, "title", st->title.value);
  kp_set_string_or_null(o, "municipality", st->municipality.value);
  kp_set_string_or_null(o, "prefecture", st->prefecture.value);
  kp_docmeta_set_members(p, o);
  kp_set_string_or_null(o, "family", st->family ? st->family->id : NULL);
  /* the pattern file as the project names it, not as this machine does */
  const char *pf = st->family ? st->family->path : NULL;
  const char *rel = pf ? strstr(pf, "/patterns/families/") : NULL;
  kp_set_string_or_null(o, "pattern_file", rel ? rel + 1 : pf);
  kp_set_string_or_null(o, "pattern_sha256", st->family ? st->family->sha256 : NULL);
  if (st->fy_start > 0) {
    json_object_set_int_member(o, "fiscal_start", st->fy_start);
    json_object_set_int_member(o, "fiscal_end", st->fy_end);
  } else {
    json_object_set_null_member(o, "fiscal_start");
    json_object_set_null_member(o, "fiscal_end");
  }
  json_object_set_string_member(o, "pipeline", PIPELINE);
  gboolean ok = sink(o, user_data, error);
  json_object_unref(o);
  return ok;
}

/* ---------------------------------------------------------- recognition */

/* A [recognise] rule still to be tested on the page being read. */
typedef struct {
  const KpRule *rule;
  guint family;
  guint kinds;            /* RECOGNISE_LINE | RECOGNISE_CELL: what it reads */
  gboolean limited;       /* it has pages=: texts seen before still go through it */
  gboolean hit;           /* it matched on this page */
} Pending;

enum { RECOGNISE_LINE = 1, RECOGNISE_CELL = 2 };

/* Records that `pd`'s rule matched on page `no`. */
static void recognise_hit(Stream *st, Pending *pd, int no)
{
  pd->hit = TRUE;
  g_hash_table_insert(st->hit, (gpointer)pd->rule, GINT_TO_POINTER(no));
  if (pd->rule->dir == KP_DIR_SCORE)
    st->scores[pd->family] += atoi(pd->rule->arg);
}

/* Tests one line's (`kind` RECOGNISE_LINE) or cell's text `text` (its
 * squeezed form `sq` too when squeezing changed it) against the pending
 * rules that read that kind.  A text tested before in this document as
 * the same kind is tested by the rules with pages= only: the others were
 * all pending then, and a rule that did not match a text never will (the
 * hits only grow).  Up to KP_RECOGNISED_BYTES of texts are remembered,
 * each counted with its share of the hash table. */
static void recognise_text(Stream *st, GArray *pending, const char *text, const char *sq, guint kind, int no)
{
  gsize len = strlen(text);
  gsize sq_len = sq ? strlen(sq) : len;
  gpointer key = NULL, val = NULL;
  guint seen = g_hash_table_lookup_extended(st->recognised, text, &key, &val) ? GPOINTER_TO_UINT(val) : 0;
  for (guint i = 0; i < pending->len; i++) {
    Pending *pd = &g_array_index(pending, Pending, i);
    if (pd->hit || !(pd->kinds & kind) || ((seen & kind) && !pd->limited))
      continue;
    /* the squeezed text only when squeezing changed it: the same text
     * cannot match the second time if it did not the first */
    if (kp_rule_test_valid(pd->rule, text, len) || (sq_len != len && kp_rule_test_valid(pd->rule, sq, sq_len)))
      recognise_hit(st, pd, no);
  }
  if (seen & kind)
    return;
  if (key != NULL) {
    /* the kept key stays: inserting it again would free it */
    g_hash_table_steal(st->recognised, key);
    g_hash_table_insert(st->recognised, key, GUINT_TO_POINTER(seen | kind));
  }
  else if (st->recognised_bytes + len + KP_RECOGNISED_ENTRY < KP_RECOGNISED_BYTES) {
    st->recognised_bytes += len + KP_RECOGNISED_ENTRY;
    g_hash_table_insert(st->recognised, g_memdup2(text, len + 1), GUINT_TO_POINTER(kind));
  }
}

/* Tests every not-yet-hit [recognise] rule of every family on one page:
 * the rules still pending are listed once, then each text goes through
 * them (the same hits as rule by rule: a rule stops at its first match
 * on the page, and every hit of a page carries that page's number). */
void kp_recognise_page(KkParser *p, const KpPage *page)
{
  Stream *st = p->st;
  if (st->pending == NULL)
    st->pending = g_array_new(FALSE, FALSE, sizeof(Pending));
  GArray *pending = st->pending;
  g_array_set_size(pending, 0);
  guint kinds = 0;
  for (guint f = 0; f < p->families->len; f++) {
    KpFamily *fam = g_ptr_array_index(p->families, f);
    GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
    for (guint i = 0; i < rules->len; i++) {
      const KpRule *r = g_ptr_array_index(rules, i);
      if (r->re == NULL || g_hash_table_contains(st->hit, r))
        continue;
      int limit = rule_pages(r);
      if (limit > 0 && page->no > limit)
        continue;
      const char *wh = kp_rule_opt(r, KP_OPT_WHERE);
      Pending pd = { r, f, 0, limit > 0, FALSE };
      if (wh == NULL || strcmp(wh, "cell") != 0)
        pd.kinds |= RECOGNISE_LINE;
      if (wh == NULL || strcmp(wh, "line") != 0)
        pd.kinds |= RECOGNISE_CELL;
      kinds |= pd.kinds;
      g_array_append_val(pending, pd);
    }
  }
  for (guint k = 0; (kinds & RECOGNISE_LINE) && k < page->lines->len; k++) {
    KpLine *l = g_ptr_array_index(page->lines, k);
    recognise_text(st, pending, l->t.text, NULL, RECOGNISE_LINE, page->no);
  }
  for (guint k = 0; (kinds & RECOGNISE_CELL) && k < page->tables->len; k++) {
    KpTable *tb = g_ptr_array_index(page->tables, k);
    for (guint c = 0; c < tb->cells->len; c++) {
      KpCell *cell = g_ptr_array_index(tb->cells, c);
      recognise_text(st, pending, cell->t.text, kp_text_squeezed(&cell->t), RECOGNISE_CELL, page->no);
    }
  }
}

/* A family's standing: FALSE if a require is unmet or a reject hit. */
static gboolean family_eligible(Stream *st, KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    gboolean hit = g_hash_table_contains(st->hit, r);
    if (r->dir == KP_DIR_REQUIRE && !hit)
      return FALSE;
    if (r->dir == KP_DIR_REJECT && hit)
      return FALSE;
  }
  return TRUE;
}

static int family_decide_at(KpFamily *fam)
{
  GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
  for (guint i = 0; i < rules->len; i++) {
    const KpRule *r = g_ptr_array_index(rules, i);
    if (r->dir == KP_DIR_DECIDE)
      return atoi(r->arg);
  }
  return -1;
}

/* Chooses a family: `final` when no more pages will help.  Returns TRUE
 * when a decision (possibly "none") was made. */
/* TRUE if some family is eligible and has scored (late recognition). */
gboolean kp_family_ready(KkParser *p)
{
  for (guint f = 0; f < p->families->len; f++)
    if (family_eligible(p->st, g_ptr_array_index(p->families, f)) && p->st->scores[f] > 0)
      return TRUE;
  return FALSE;
}

gboolean kp_choose_family(KkParser *p, gboolean final)
{
  Stream *st = p->st;
  int best = -1;
  for (guint f = 0; f < p->families->len; f++) {
    KpFamily *fam = g_ptr_array_index(p->families, f);
    if (!family_eligible(st, fam) || st->scores[f] <= 0)
      continue;
    int at = family_decide_at(fam);
    if (!final && (at < 0 || st->scores[f] < at))
      continue;
    if (best < 0 || st->scores[f] > st->scores[best])
      best = (int)f;
  }
  if (best < 0 && !final)
    return FALSE;
  st->decided = TRUE;
  st->family = best >= 0 ? g_ptr_array_index(p->families, best) : NULL;
  if (p->explain) {
    const char *file = kk_json_string(st->doc_in, "file", "<stream>");
    kp_explain(p, "document %s\n", file);
    for (guint f = 0; f < p->families->len; f++) {
      KpFamily *fam = g_ptr_array_index(p->families, f);
      kp_explain(p, "  family %-20s score %3d%s%s\n", fam->id, st->scores[f],
              family_eligible(st, fam) ? "" : " (not eligible: a require unmet or a reject matched)",
              (int)f == best ? "  <- chosen" : "");
      GPtrArray *rules = fam->section[KP_SEC_RECOGNISE];
      for (guint i = 0; i < rules->len; i++) {
        const KpRule *r = g_ptr_array_index(rules, i);
        if (r->re == NULL)
          continue;
        gpointer pg = g_hash_table_lookup(st->hit, r);
        g_autofree char *w = kp_where(r);
        if (pg)
          kp_explain(p, "      %-7s %-4s %-28s /%s/ matched on p%d\n", r->directive, r->arg ? r->arg : "",
                     w, r->re_src, GPOINTER_TO_INT(pg));
        else
          kp_explain(p, "      %-7s %-4s %-28s /%s/ (no match)\n", r->directive, r->arg ? r->arg : "",
                     w, r->re_src);
      }
    }
    if (best < 0)
      kp_explain(p, "  no family matched: only the document and page records\n");
    kp_explain(p, "records:\n");
  }
  return TRUE;
}
