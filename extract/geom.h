/*
 * geom.h — the page model of `keikaku extract` and its pure geometry.
 *
 * Nothing here knows about Poppler: extract/pdf-core.cc turns a PDF page
 * into glyphs and ruling segments, and everything after that (ruled grids,
 * text lines, reading order, unruled tables, page-break continuation)
 * works on the plain structs below, so unit tests can feed synthetic
 * input.  Coordinates are PDF points from the page's top-left
 * corner, y growing downwards.
 */
#ifndef KK_EXTRACT_GEOM_H
#define KK_EXTRACT_GEOM_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double x0, y0, x1, y1;
} KkBox;

#define KK_GLYPH_VERTICAL 0x1u   /* part of a top-to-bottom (縦書き) line */
#define KK_GLYPH_ACROSS   0x2u   /* set across a vertical line (縦中横) */

/* One character as placed on the page. */
typedef struct {
  KkBox box;
  gunichar ch;
  float size;      /* font size in points (0 = unknown: use the box height) */
  guint16 font;    /* index into the page's font-name table */
  guint16 flags;   /* KK_GLYPH_* */
  guint32 pline;   /* Poppler's line number (groups vertical lines) */
} KkGlyph;

/* A text line: a run of glyphs on one baseline within one column or cell. */
typedef struct {
  KkBox box;
  float size;
  guint16 font;
  gboolean vertical;
  gint table;      /* index of the page's table holding it, or -1 */
  gint cell;       /* index of the cell in that table, or -1 */
  guint text_off;  /* text in the page's text pool (UTF-8, no NUL inside) */
  guint text_len;
} KkLine;

/* One table cell: the rectangle of its grid cells and its text. */
typedef struct {
  KkBox box;
  guint row, col, rowspan, colspan;
  GString *text;   /* lines joined by \n */
} KkCell;

/* A table found on a page, ruled (from ruling lines) or not (from text). */
typedef struct {
  KkBox box;
  gboolean ruled;
  guint n_rows, n_cols;
  double *xs;          /* n_cols + 1 column boundaries */
  double *ys;          /* n_rows + 1 row boundaries */
  GArray *cells;       /* KkCell, by start row then column */
  gint *cell_of;       /* n_rows * n_cols: grid position -> cell index */
  guint64 *cell_fonts; /* per cell: bit (font index % 64) of each font in
                          it, or NULL when unknown */
  guint header_rows;
  gboolean continued_from_previous;
} KkPageTable;

KkPageTable *kk_page_table_new(guint n_rows, guint n_cols);
void kk_page_table_free(KkPageTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(KkPageTable, kk_page_table_free)

/* The cell index holding point (x, y), or -1 when outside the grid. */
gint kk_page_table_locate(const KkPageTable *table, double x, double y);

/* Text of the cell that starts at (row, col), or NULL. */
const char *kk_page_table_cell_text(const KkPageTable *table, guint row, guint col);

/* ---- segments.c: ruling segments ---- */

/* A straight ruling: horizontal (y = pos, from a0 to a1 in x) or vertical
 * (x = pos, from a0 to a1 in y). */
typedef struct {
  double pos, a0, a1;
  double weight;       /* how many raw pieces were merged (for averaging) */
} KkSeg;

/* Merges collinear segments of `segs` in place: those whose positions differ
 * by at most `tol` and whose extents overlap or are at most `gap` apart.
 * Then drops segments shorter than `min_len`. */
void kk_segments_merge(GArray *segs, double tol, double gap, double min_len);

/* ---- grid.c: segments -> ruled tables ---- */

typedef struct {
  double tol;          /* pt: positions this close are one boundary */
  double min_cell;     /* pt: rows/columns thinner than this are merged */
  guint max_cells;     /* bound on rows × columns of one grid */
} KkGridParams;

/* Builds the ruled tables that the horizontal and vertical segments (in
 * points) draw, one per connected group of crossing segments with at least
 * two cells.  Merged cells become rowspan/colspan.  Returns a GPtrArray of
 * KkPageTable (owned, free function set), top to bottom. */
GPtrArray *kk_grid_build(const GArray *hsegs, const GArray *vsegs,
                         const KkGridParams *params);

/* ---- textlines.c: glyphs -> lines ---- */

typedef struct {
  double split_gap;   /* em: a wider gap inside a row starts a new line */
  double latin_space; /* em: gap between Latin glyphs read as a space */
  double cjk_space;   /* em: gap beyond the line's usual spacing read as a
                         space when a CJK glyph is involved */
} KkLineParams;

void kk_line_params_default(KkLineParams *params);

/* Builds the lines of the glyphs `idx[0..n)` of `glyphs` and appends them
 * to `lines` (KkLine, table/cell set to the given values), their text to
 * `pool`.  Lines come out top to bottom, left to right within a row (for
 * vertical lines: right to left).  Duplicate glyphs drawn twice at almost
 * the same place (fake bold) are read once.  `idx` is reordered. */
void kk_lines_build(const KkGlyph *glyphs, guint *idx, guint n,
                    const KkLineParams *params, gint table, gint cell,
                    GArray *lines, GString *pool);

/* ---- reading-order.c: the order lines and tables are read in ---- */

/* Orders boxes for reading: columns left to right (right to left when they
 * hold vertical text), top to bottom inside a column, by recursive
 * projection cuts; a run of rows sharing a column gap is read column by
 * column; vertical text tier by tier, horizontal boxes among its columns
 * after the columns' flow.  `vertical[i]` may be NULL.  Writes the
 * permutation to `order`.  `min_gap` is the narrowest gap (pt) that
 * separates columns. */
void kk_reading_order(const KkBox *boxes, const gboolean *vertical, guint n,
                      double min_gap, guint *order);

/* ---- unruled.c: whitespace-aligned tables from glyphs ---- */

typedef struct {
  double min_gap;      /* em: narrowest column gap */
  double join_gap;     /* em: glyphs closer than this are one inked span */
  guint min_rows;      /* rows with ink in two or more columns needed */
  double max_row_gap;  /* em: a wider vertical gap ends a table */
} KkUnruledParams;

/* Finds tables aligned by whitespace among the horizontal glyphs
 * `idx[0..n)` of `glyphs` and appends them to `tables` (ruled = FALSE,
 * cells with empty text: the caller puts glyphs into them). */
void kk_unruled_detect(const KkGlyph *glyphs, const guint *idx, guint n,
                       const KkUnruledParams *params, GPtrArray *tables);

/* ---- figures.c: grids that are charts or diagrams ---- */

/* Why a grid found on the page is a figure rather than a table. */
typedef enum {
  KK_FIGURE_NONE = 0,     /* a table */
  KK_FIGURE_CUT_WORDS,    /* its walls cut through words */
  KK_FIGURE_SPARSE,       /* a grid mostly empty, its few cells numbers */
  KK_FIGURE_NUMBERS,      /* gridlines or columns of numbers only: a chart's
                             plot area or axis ticks */
  KK_FIGURE_LABELS,       /* a whitespace table at a figure: its labels */
  KK_FIGURE_SCATTERED,    /* numbers far apart on one line of a cell */
  KK_FIGURE_PANELS        /* whitespace columns set in separate boxes side
                             by side: a diagram of boxes, not one table */
} KkFigureKind;

/* A chart or diagram refused as a table: where it is and why. */
typedef struct {
  KkBox box;
  KkFigureKind kind;
} KkFigure;

/* Judges table `t` from the glyphs in it: `members[0..n)` are their indices
 * into `glyphs` (reordered), `cell_of_glyph[i]` the cell of glyph i.
 * Returns KK_FIGURE_NONE for a table. */
KkFigureKind kk_table_figure_kind(const KkPageTable *t, const KkGlyph *glyphs,
                                  guint *members, guint n, const gint *cell_of_glyph);

/* A short English phrase for `kind` (the `why` of the pages format). */
const char *kk_figure_kind_name(KkFigureKind kind);

/* Whether whitespace table t (its n glyphs `members`, cell_of_glyph by
 * glyph index) is text set in separate tinted boxes side by side (the
 * category boxes of a newsletter), which whitespace alignment read as the
 * columns of one table: KK_FIGURE_PANELS, else KK_FIGURE_NONE.  `panels`
 * are the page's tinted boxes (layout.h). */
KkFigureKind kk_table_panels_kind(const KkPageTable *t, const KkGlyph *glyphs, const guint *members, guint n,
                                  const gint *cell_of_glyph, const KkBox *panels, guint n_panels);

/* ---- continuation.c: tables over page breaks ---- */

/* What a page remembers of its last table for the next page. */
typedef struct {
  gboolean valid;
  gboolean ruled;
  gboolean at_bottom;      /* nothing but page furniture below it */
  guint n_cols;
  double *xs;              /* n_cols + 1 */
  guint n_first;           /* rows kept in first_rows */
  char **first_rows;       /* its first rows' texts, whitespace removed */
  guint header_rows;
  char **head;             /* texts above the page's first table (no
                              whitespace or digits), NULL when unknown */
  char *page_first_row;    /* first row of the page's first table when that
                              table started there and is not its last */
} KkPageTableSig;

void kk_page_table_sig_clear(KkPageTableSig *sig);
/* Remembers `table` (which ends at the bottom of its page if `at_bottom`). */
void kk_page_table_sig_set(KkPageTableSig *sig, const KkPageTable *table, gboolean at_bottom);
/* The same for a page whose first table is `first` and last `last`, with
 * the texts of the free lines above `first` (`head`, NULL-terminated). */
void kk_page_table_sig_set_page(KkPageTableSig *sig, const KkPageTable *first, const KkPageTable *last,
                                gboolean at_bottom, const char *const *head);

/* Guesses how many leading rows of a table that starts on this page are a
 * header.  Documents set headers in another font (ゴシック over 明朝): the
 * largest k <= 3 whose first k rows share no font with the rows below wins.
 * Else from structure: the leading rows that name columns (short cells,
 * no value digit; years, grades and units are names) over values, units
 * or as the two levels of one header; a year axis over text; a cross
 * table's empty corner over spanning columns; else 0 (extract/README.md,
 * "Page breaks"). */
guint kk_guess_header_rows(const KkPageTable *table);

/* Decides whether `table` (the first table on its page, `at_top` when
 * only page furniture is above it) continues `prev`, and sets its
 * continued_from_previous and header_rows (repeated header rows). */
void kk_page_table_link(KkPageTable *table, gboolean at_top, const KkPageTableSig *prev);
/* The same, knowing the texts of the free lines above `table` (`head`,
 * NULL-terminated): a line there that was not above the previous page's
 * first table (a new heading, not a running head) starts a new table. */
void kk_page_table_link_page(KkPageTable *table, gboolean at_top, const char *const *head,
                             const KkPageTableSig *prev);

/* The row's text signature: cell texts without whitespace, joined by \t. */
char *kk_page_table_row_signature(const KkPageTable *table, guint row);

/* True for CJK ideographs, kana and full-width forms. */
gboolean kk_is_cjk(gunichar c);

/* Font size of a glyph in points, falling back to its box height. */
double kk_glyph_size(const KkGlyph *g);

/* Called with each row of glyph indices that kk_glyph_rows() finds. */
typedef void (*KkRowFunc)(guint *row, guint n, gpointer user_data);

/* Sorts `idx` (n indices into `glyphs`) top to bottom by box centre, then
 * left to right, and calls each(row, count, user_data) for every run of
 * glyphs sharing a row: a glyph joins the row when its box overlaps the
 * row's band (that of its tallest glyph) by half the smaller height.  The
 * one row banding of text lines and unruled tables (textlines.c). */
void kk_glyph_rows(const KkGlyph *glyphs, guint *idx, guint n, KkRowFunc each, gpointer user_data);

G_END_DECLS

#endif
