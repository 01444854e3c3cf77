/*
 * engine.h — internals shared by the parse engine's files (not an API for
 * other stages: that is parse.h).
 */
#ifndef KK_ENGINE_H
#define KK_ENGINE_H

#include "patterns/parse.h"
#include "patterns/kpat.h"
#include "patterns/pagemodel.h"
#include "patterns/facts.h"

G_BEGIN_DECLS

/* How many pages the parser keeps before it must choose a family, and how
 * many more it looks at (without keeping them) when none was found. */
#define KP_RECOGNISE_PAGES 16
#define KP_LATE_RECOGNISE_PAGES 2000
/* Bytes of distinct page texts recognition remembers as tested, so that
 * a text repeated over the pages (a budget book's column heads, "0", "-")
 * goes through the rules once (document.c). */
#define KP_RECOGNISED_BYTES (4u * 1024u * 1024u)
/* What one remembered text costs beside its bytes: its hash table slot
 * and its allocation's overhead (so many short texts stay bounded too). */
#define KP_RECOGNISED_ENTRY 64u
/* Lines and table cells the pages kept before the choice may hold at most
 * (a plan's 16 pages hold a few thousand): memory stays bounded whatever
 * the tables' sizes. */
#define KP_RECOGNISE_WEIGHT 50000
/* Bounds of one item: a document whose cards never end must not grow an
 * item without limit. */
#define KP_MAX_ITEM_FIELDS 2000
#define KP_MAX_ITEM_RECORDS 20000
#define KP_MAX_FIELD_BYTES (1024u * 1024u)
/* Bytes of records (JSON Lines) the spill holds in memory before it moves
 * to a temporary file (records.c). */
#define KP_SPOOL_MEMORY (8u * 1024u * 1024u)

/* Scale of a money unit written in a table header (単位：千円 ...), or 0 if
 * `unit` is not a money unit. */
double kp_money_scale(const char *unit);

/* ---- the engine's state (engine.c owns the stream; the other files of
 * the engine fill it) ---- */

typedef struct {
  char *label;
  GString *value;
  GArray *spans;          /* KpSpan of value, offsets in code points */
  int page;
  double bbox[4];
  gboolean has_bbox;
  const KpRule *rule;
  JsonObject *schedule;   /* the schedule record made from this field (borrowed) */
} Field;

typedef struct {
  char key[24];
  char *item_no, *title, *department, *category;
  int page;
  double bbox[4];
  gboolean has_bbox;
  GPtrArray *fields;      /* Field* */
  GPtrArray *overflow;    /* Field* past the limit: filled, never emitted */
  GPtrArray *after;       /* JsonObject* records naming this item */
  GPtrArray *after_rules; /* const KpRule* for explain, parallel to after */
  GPtrArray *col_field;   /* list mode: column -> Field* (borrowed) */
  const KpRule *rule;     /* what started it */
  gboolean from_list;
  guint64 produced;       /* fields and records added (a table's share) */
} Item;

/* A page held before the family is chosen: its object (a pages stream),
 * or its page model (kk_parser_feed_page); `weight` its lines and table
 * cells. */
typedef struct {
  JsonObject *obj;
  KpPage *page;
  gsize weight;
} Held;

/* Column mapping of the list table being read (kept across page breaks). */
typedef struct {
  gboolean active;
  int ncols;
  char **label;           /* ncols field labels (NULL: no header) */
  char **head;            /* ncols header texts as printed (repeated headers) */
  const KpRule **rule;    /* column rule per column, or NULL */
  int key_col;            /* column of as=item_no, or -1 */
  const KpRule **sched_rule; /* [list] schedule rule of a year column, or NULL */
  gint64 *sched_fy;       /* its fiscal year */
  gboolean *sched_actual; /* its header says results, not plans */
  const KpRule **role_rule;  /* [measures] role heading the column, or NULL */
  gint64 *role_fy;        /* the year in its header, or 0 */
  char **role_label;      /* the role header without its unit or year (効果額) */
  int *role_label_col;    /* column of the role rule's label= header: each row's
                             cell there labels the measure; -1 = the header */
  double *unit_scale;     /* the column's money scale (header 効果額(千円)) */
  char **unit_word;       /* the column's unit, or NULL */
  int *budget_kind;       /* [budget] column NAME heading the column (kp_budget_kind), or -1 */
  gint64 *budget_fy;      /* the budget's year: its header's, else the nearest such column's left of it */
  const KpRule **budget_rule;
} ListState;

typedef struct {
  char *value;
  int prio;               /* index of the rule that set it (lower wins) */
  int page;
  const KpRule *rule;
} DocAttr;

/* docmeta.c: the metadata every document gets (title, place, years) */
typedef struct KpDocMeta KpDocMeta;

typedef struct {
  int state;              /* 0 before document, 1 in pages, 2 after end */
  JsonObject *doc_in;
  GPtrArray *buffered;    /* Held* pages before the family is chosen */
  KpFamily *family;
  gboolean decided;
  int *scores;
  GHashTable *hit;        /* KpRule* -> first page it matched */
  GHashTable *recognised; /* text -> RECOGNISE_LINE|CELL kinds it was
                             tested as by the [recognise] rules (document.c) */
  gsize recognised_bytes;
  GArray *pending;        /* the rules recognition tests on a page, or NULL
                             before the first (document.c, reused) */
  int pages_seen;
  gint64 pages_declared;
  gboolean normalize;     /* the stream's pages are not normalized yet */
  int late_pages;         /* pages looked at after the first choice found none */

  DocAttr title, municipality, prefecture, period;
  gint64 fy_start, fy_end;
  KpDocMeta *meta;        /* built-in metadata (docmeta.c), or NULL */

  GPtrArray *kept;        /* JsonObject* records held as trees (none: records.c writes each to the spill) */
  gsize kept_bytes;       /* their estimated size */
  FILE *spill;            /* the records, as JSON Lines (in memory, then a temporary file) */
  gboolean spill_borrowed; /* spill is the parser's records_out: written live, not replayed */
  guint64 n_records;

  Item *item;
  int next_key;
  GHashTable *key_by_no;  /* squeezed item_no -> key */
  char *category;
  char *levels[4];        /* heading levels that make up the category */
  ListState list;
  Field *last_field;      /* card mode: for rows split over pages */
  Field *collecting;      /* text cards: label whose lines are being read */
  char *unit;             /* unit of the previous table (continuations) */
  char *pending_unit;     /* a unit header at a page's foot, for the next page's first table */
  double unit_scale;
  char *layout_unit;      /* the last caption unit, for later tables of its layout */
  double layout_unit_scale;
  char *layout_sig;       /* the header rows of the table that caption was over */
  char *series_title;
  GHashTable *unused;     /* "p N: text" -> TRUE, labelled cells no rule used */
  guint64 produced;       /* records, items and fields made so far (a table's share) */
  KpFacts *facts;         /* tables and facts of every document (facts.c) */
} Stream;

struct KkParser {
  char *dir;
  GPtrArray *families;    /* KpFamily* */
  FILE *explain;
  Stream *st;
  GPtrArray *diagnostics; /* char*: warnings of every document read (patterns check) */
  const KkLgCode *given_place; /* kk_parser_set_given_place(), or NULL */
  FILE *records_out;      /* kk_parser_set_records_out(), or NULL */
};


/* ---- functions shared by the engine's files (contracts above their
 * definitions) ---- */

/* docmeta.c */
void kp_docmeta_page(KkParser *p, const KpPage *page);
void kp_docmeta_finish(KkParser *p);
void kp_docmeta_set_members(KkParser *p, JsonObject *document);
void kp_docmeta_explain(KkParser *p);
void kp_docmeta_free(KpDocMeta *meta);

/* document.c */
gboolean kp_choose_family(KkParser *p, gboolean final);
gboolean kp_family_ready(KkParser *p);
void kp_document_rules(KkParser *p, const KpPage *page);
gboolean kp_emit_document(KkParser *p, KkSink sink, gpointer user_data, GError **error);
/* The provisional document object of kk_parser_set_records_out(), written
 * before the first page: the members known then (the final object, at the
 * end, has the same sha256, file, pages and pipeline) and
 * "provisional": true. */
gboolean kp_emit_provisional_document(KkParser *p, KkSink sink, gpointer user_data, GError **error);
void kp_recognise_page(KkParser *p, const KpPage *page);

/* engine.c: why a record-making rule ([measures] role, field-role, text;
 * [list] and [card] schedule) that matched made no record, or NULL if it made one,
 * never matched or makes no records itself. */
const char *kp_rule_made_nothing(const KpRule *r);

/* measures.c */
gboolean kp_is_duration(const char *unit);
JsonObject *kp_measure_new(const char *label, const char *role, gboolean has_value,
                           double value, const char *unit, gint64 fy, const char *raw,
                           int page, const double *bbox);
gboolean kp_measure_value(const KpText *t, int from, int to, double scale, double *value,
                          const char **unit, char **unit_owned);
gboolean kp_cell_measure_value(const KpText *t, double scale, double *value, const char **unit,
                               char **unit_owned);
void kp_set_number(JsonObject *o, const char *member, double v);
void kp_text_measures(KkParser *p, Item *it);
const char *kp_value_role(KpFamily *fam, const char *text, const char *dflt, const KpRule **by);

/* engine.c */
void kp_set_heading(KkParser *p, int page_no, const KpRule *r, const char *v);

/* records.c */
gboolean kp_spill_kept(KkParser *p, GError **error);
char *kp_attr_text(const char *value);
void kp_bbox_union(double acc[4], gboolean *has, const double b[4]);
gboolean kp_emit(KkParser *p, JsonObject *o, const KpRule *rule, GError **error);
/* Emits a record written as JSON text (line[0..len), one line, as
 * kk_jsonl_write() would write its object, without the newline): after
 * the records before it, at the end of the spill. */
gboolean kp_emit_line(KkParser *p, const char *line, gsize len, GError **error);
void kp_explain(KkParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void kp_field_append(Field *f, const KpText *t);
void kp_field_append_sep(Field *f, const KpText *t, const char *sep);
Field *kp_field_new(const char *label, const KpText *value, int page, const KpRule *rule);
gboolean kp_flush_item(KkParser *p, GError **error);
void kp_item_add_after(Item *it, JsonObject *o, const KpRule *rule);
void kp_item_add_field(Item *it, Field *f);
void kp_item_free(Item *it);
void kp_item_set_attr(Item *it, const char *as, const char *value);
gint64 kp_label_fiscal_year(const KpText *t);
gint64 kp_label_fiscal_year_in(const KpText *t, int from, int to);
char *kp_label_text(const char *text);
void kp_list_clear(ListState *l);
void kp_set_fy(JsonObject *o, gint64 fy);
void kp_set_string_or_null(JsonObject *o, const char *member, const char *value);
char *kp_shorten(const char *text);
GArray *kp_span_array_new(void);
Item *kp_start_item(KkParser *p, int page, const KpRule *rule, GError **error);
gint64 kp_text_fiscal_year(const KpText *t, int from, int to);
char *kp_value_text(const char *text);
char *kp_where(const KpRule *r);

/* tables.c */
gboolean kp_do_table(KkParser *p, const KpPage *page, const KpTable *t, gboolean first,
                     GError **error);
void kp_diagnose(KkParser *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

const KpRule *kp_rule_for(KpFamily *fam, KpSection section, KpDirective directive,
                          const char *text, char **value);
const KpRule *kp_rule_for_text(KpFamily *fam, KpSection section, KpDirective directive,
                               const KpText *text, char **value);

G_END_DECLS

#endif
