/*
 * pagemodel.h — one page of the normalized pages stream, read from its JSON
 * object into plain structs the engine can walk: lines, tables as grids
 * (every slot knows the cell covering it, so spans are easy), and the value
 * annotations (spans) that normalize put beside every text.
 *
 * Everything read from the input is bounded: a page with more lines,
 * tables, rows or columns than the limits below is cut, with `truncated`
 * set, never trusted.
 */
#ifndef KK_PAGEMODEL_H
#define KK_PAGEMODEL_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "extract/layout.h"
#include "normalize/normalize.h"

G_BEGIN_DECLS

#define KP_MAX_LINES 20000
#define KP_MAX_TABLES 500
#define KP_MAX_ROWS 5000
#define KP_MAX_COLS 200
#define KP_MAX_GRID 200000
#define KP_MAX_SPANS 4096

/* One value annotation: code points [start,end) of the text. */
typedef struct {
  int start, end;
  KkSpanKind type;     /* number amount quantity percent date year fiscal_year fiscal_year_range */
  double num;          /* number/amount/quantity/percent/year/fiscal_year */
  gint64 from, to;     /* fiscal_year_range */
  char *str;           /* date "YYYY-MM-DD" or "YYYY-MM" */
  char *unit;          /* quantity */
} KpSpan;

typedef struct {
  char *text;          /* normalized text ("" if absent) */
  double bbox[4];
  gboolean has_bbox;
  GArray *spans;       /* KpSpan; NULL when there are none */
  char *squeezed;      /* kp_text_squeezed() cache, or NULL */
} KpText;

typedef struct {
  KpText t;
  double size;
  char *font;
  int table;           /* index of the table the line lies in, or -1 */
  gboolean same_row;   /* (by-position order) continues the row of the line before */
} KpLine;

typedef struct {
  KpText t;
  int row, col, rowspan, colspan;
  double confidence;   /* OCR confidence 0..100, or -1 (text layer) */
} KpCell;

typedef struct {
  int index;
  double bbox[4];
  gboolean has_bbox;
  gboolean ruled, continued;
  int header_rows;
  int nrows, ncols;
  GPtrArray *cells;    /* KpCell*, in row order */
  KpCell **grid;       /* nrows*ncols slots -> covering cell (or NULL) */
} KpTable;

typedef struct {
  int no;
  double width, height;
  GPtrArray *lines;    /* KpLine* */
  GPtrArray *tables;   /* KpTable* */
  gboolean truncated;
  gsize weight;        /* kp_page_from_layout(): lines and table cells of
                          the layout (what the page object would have) */
} KpPage;

/* Reads a pages-stream `page` object.  Never fails on odd content: missing
 * members become empty, out-of-range spans are dropped. */
KpPage *kp_page_from_json(JsonObject *page);

/* The page model of a page that is not normalized yet: what
 * kp_page_from_json() reads after kk_normalize_pages_object() rewrote
 * `page` (each text normalized, its spans annotated), without writing
 * anything into `page` or building JSON spans.  NULL (with `error`) when a
 * text could not be normalized. */
KpPage *kp_page_from_json_normalizing(JsonObject *page, GError **error);

/* The page model of extract's laid-out page `layout` (page number
 * `page_no`): what kp_page_from_json_normalizing() reads from the page
 * object extract would build of it (numbers rounded as that object has
 * them), without building it.  NULL (with `error`) when a text could not
 * be normalized. */
KpPage *kp_page_from_layout(const KkLayout *layout, guint page_no, GError **error);
void kp_page_free(KpPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KpPage, kp_page_free)

/* Fills `t` from a JSON object holding text/bbox/spans (a line or cell). */
void kp_text_init(KpText *t, JsonObject *o);
void kp_text_clear(KpText *t);

/* The cell covering slot (row, col), or NULL. */
KpCell *kp_table_at(const KpTable *table, int row, int col);

/* The page's text: its lines joined by "\n". */
char *kp_page_text(const KpPage *page);

/* First span of `kind` lying within code points [from, to) of `t` (to < 0:
 * to the end); NULL if none. */
const KpSpan *kp_text_find_span(const KpText *t, KkSpanKind kind, int from, int to);

/* Spans of `text` from normalize's annotator, for text the parser composes
 * itself (joined lines, labels) or that came without annotations.  Always
 * an array (maybe empty), freed with g_array_unref. */
GArray *kp_annotate(const char *text);

/* Code-point offset of byte offset `byte` in `text`. */
int kp_cp_offset(const char *text, gsize byte);

/* TRUE if the text is empty or only whitespace. */
gboolean kp_blank(const char *text);

/* A copy of `text` without any whitespace (for comparisons). */
char *kp_squeeze(const char *text);

/* kp_squeeze() of t->text, made once and kept in `t` (freed by
 * kp_text_clear(); a KpText that is never cleared must not ask). */
const char *kp_text_squeezed(const KpText *t);

G_END_DECLS

#endif
