/*
 * cards.c — label/value cards without rules (contract in cards.h).
 *
 * Glyphs are banded into lines (kk_glyph_rows(), as text lines are) and
 * each line cut into pieces at white wider than a word space.  A card is a
 * block of lines at most 1.5 em apart, in one type size, that starts with a
 * label line: a short first piece (a label: at most 12 glyphs, two letters
 * or more, no list number) with a value starting at least 1.5 em to its
 * right.  Then come more label lines, their labels lined up (left, centre
 * or right) in one column that ends before any value, and value lines
 * with no ink in the label column: the further lines of a value.
 *
 * Rows.  Cells are padded, so the white between two rows is wider than
 * between the lines of one value: where the whites show that, each row is
 * the lines between row whites, with its one label.  Else a value line
 * belongs to the label above it, or, in a card whose labels are set
 * vertically centred on their values (a label off its value's baseline, or
 * alone between value lines), to the nearer label.
 *
 * Columns.  The label column; then the value region is cut where a label
 * line leaves white between its pieces: at least 1.5 em (a second label
 * and its value on the row: 取組番号 | A-01), or narrower white that two
 * lines share (one a label line), their cells starting or ending at one
 * x (the year columns of a schedule).  A value runs over the columns its
 * row does not use (it "spans", as the merged cell of a ruled card)
 * unless the cut is one that rows share, and over any cut its text
 * crosses.
 *
 * Which blocks are cards.  Three label lines or more of which most hold
 * one value (a row or two may hold a second label and value); two label
 * lines when a row holds a second label and value (評価 A 今後の方向性 継続)
 * or when shared cuts give two value columns or more under a first line
 * that names them (a schedule of one row under its years).  A card is set
 * off from the lines around it by white or type size.  Label lines whose
 * rows mostly hold several values are a plain table: unruled.c finds it,
 * header and all.
 */
#include "extract/cards.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* em: white that cuts a line into pieces (wider than a word space or the
 * automatic spacing between Japanese and Latin; a dense schedule's columns
 * are an em apart) */
#define PIECE_GAP 0.6
/* em: white between a label and its value, or two cells of one row (wider
 * than a full-width space inside a value) */
#define CELL_GAP 1.5
/* em: white between a label column and the values, within a card (its
 * longest label may nearly fill its column) */
#define LABEL_GAP 0.6
/* em: the widest white between two lines of one card (LaTeX's tables
 * with \arraystretch leave 1.4 em between rows) */
#define LINE_WHITE 1.5
/* em: labels of one column line up this closely */
#define ALIGN 0.5
/* share of a size: lines whose sizes differ more are set apart (a heading,
 * a note) */
#define SIZE_TOL 0.04
#define LABEL_MAX_GLYPHS 12
/* bound on the value cuts of one card */
#define MAX_CUTS 30

typedef struct {
  double x0, x1;
  double yc;        /* middle of its glyph boxes */
  guint n;          /* glyphs */
  guint letters;    /* glyphs that are letters (not digits, signs, bullets) */
  gboolean value;   /* starts with a digit or sign: a number */
} Piece;

typedef struct {
  guint gfirst, gcount; /* its glyphs in the member array */
  guint pfirst, pcount; /* its pieces */
  double y0, y1, em;
} Line;

typedef struct {
  const KkGlyph *g;
  GArray *members, *lines, *pieces;
} LineSink;

/* A character that starts a number: a digit, a sign, a triangle for minus. */
static gboolean number_start(gunichar c)
{
  return g_unichar_isdigit(c) || c == '+' || c == '-' || c == '.' || c == 0x2212 || c == 0x25B3 || c == 0x25B2;
}

/* g_qsort_with_data() comparator of glyph indices by left edge. */
static int cmp_left(gconstpointer a, gconstpointer b, gpointer data)
{
  const KkGlyph *g = data;
  double p = g[*(const guint *)a].box.x0, q = g[*(const guint *)b].box.x0;
  return p < q ? -1 : p > q;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* KkRowFunc: one banded row of glyphs becomes a Line and its pieces. */
static void add_line(guint *r, guint m, gpointer data)
{
  LineSink *k = data;
  const KkGlyph *g = k->g;
  g_qsort_with_data(r, (gint)m, sizeof r[0], cmp_left, (gpointer)g);
  Line ln = { k->members->len, m, k->pieces->len, 0, 1e300, -1e300, 0 };
  g_array_append_vals(k->members, r, m);
  double sizes[33];
  guint ns = 0;
  Piece cur = { 0 };
  double ysum = 0;
  for (guint i = 0; i < m; i++) {
    const KkGlyph *gl = &g[r[i]];
    double em = kk_glyph_size(gl);
    if (ns < G_N_ELEMENTS(sizes))
      sizes[ns++] = em;
    ln.y0 = MIN(ln.y0, gl->box.y0);
    ln.y1 = MAX(ln.y1, gl->box.y1);
    if (i > 0 && gl->box.x0 - cur.x1 >= PIECE_GAP * MAX(em, kk_glyph_size(&g[r[i - 1]]))) {
      cur.yc = ysum / cur.n;
      g_array_append_val(k->pieces, cur);
      cur.n = 0;
    }
    if (cur.n == 0) {
      cur = (Piece){ gl->box.x0, gl->box.x1, 0, 0, 0, number_start(gl->ch) };
      ysum = 0;
    }
    cur.x1 = MAX(cur.x1, gl->box.x1);
    cur.n++;
    cur.letters += g_unichar_isalpha(gl->ch) ? 1 : 0;
    ysum += (gl->box.y0 + gl->box.y1) / 2;
  }
  cur.yc = ysum / cur.n;
  g_array_append_val(k->pieces, cur);
  qsort(sizes, ns, sizeof sizes[0], cmp_double);
  ln.em = sizes[ns / 2];
  ln.pcount = k->pieces->len - ln.pfirst;
  g_array_append_val(k->lines, ln);
}

/* A piece that can be a label: short, with two letters or more (not a
 * list number or bullet). */
static gboolean label_piece(const Piece *p, double em)
{
  return p->n <= LABEL_MAX_GLYPHS && p->letters >= 2 && p->x1 - p->x0 <= LABEL_MAX_GLYPHS * em;
}

/* A line that starts with a label and its value. */
static gboolean label_line(const Line *ln, const Piece *pc)
{
  const Piece *p0 = &pc[ln->pfirst];
  return ln->pcount >= 2 && label_piece(p0, ln->em) && pc[ln->pfirst + 1].x0 - p0->x1 >= CELL_GAP * ln->em;
}

/* One line of a block: a label line (its first piece the label) or a
 * value line; `owner` is the block line of its label. */
typedef struct {
  guint line;
  gboolean label;
  guint owner;
} BlockLine;

/* The label column of a block as it grows: the extent of its labels and
 * which alignments all of them share. */
typedef struct {
  double lx0, lx1;        /* extent of the labels */
  double left, centre, right; /* of the first label */
  gboolean by_left, by_centre, by_right;
  double vmin;            /* leftmost value ink */
} LabelColumn;

/* True when label piece p lines up with the column (updating it);
 * `value_x0` is where its value starts (1e300: none). */
static gboolean column_takes(LabelColumn *c, const Piece *p, double value_x0, double em)
{
  gboolean l = c->by_left && fabs(p->x0 - c->left) <= ALIGN * em;
  gboolean m = c->by_centre && fabs((p->x0 + p->x1) / 2 - c->centre) <= ALIGN * em;
  gboolean r = c->by_right && fabs(p->x1 - c->right) <= ALIGN * em;
  double lx1 = MAX(c->lx1, p->x1), vmin = MIN(c->vmin, value_x0);
  if (!(l || m || r) || vmin < lx1 + LABEL_GAP * em)
    return FALSE;
  c->by_left = l;
  c->by_centre = m;
  c->by_right = r;
  c->lx0 = MIN(c->lx0, p->x0);
  c->lx1 = lx1;
  c->vmin = vmin;
  return TRUE;
}

/* A cut of the value region: the white that label lines leave there
 * (intersected over the lines that leave it), how many do, and whether
 * one leaves a cell's white (CELL_GAP). */
typedef struct {
  double x0, x1;
  double start, end;  /* where the first white's cells end and start */
  guint support;
  gboolean wide;
} Cut;

static int cmp_cut(const void *a, const void *b)
{
  const Cut *p = a, *q = b;
  double x = p->x0 + p->x1, y = q->x0 + q->x1;
  return x < y ? -1 : x > y;
}

/* The cuts of the value region from the white between value pieces of the
 * block's lines (value lines only add to cuts label lines make).  Whites of two lines are one cut when they overlap
 * and the cells beside them line up on one side (columns start, or end,
 * at one x): a space inside a value that happens to lie within another
 * row's white is no column.  A cut stays when two lines share it or one
 * leaves a cell's white; of cuts that overlap, the one more lines share.
 * Returns how many (at most MAX_CUTS), left to right. */
static guint value_cuts(const Line *lines, const Piece *pc, const BlockLine *bl, guint nb,
                        const LabelColumn *col, Cut *out)
{
  g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Cut));
  double em = lines[bl[0].line].em;
  for (guint b = 0; b < nb && all->len < 8 * MAX_CUTS; b++) {
    const Line *ln = &lines[bl[b].line];
    guint k0 = ln->pfirst + (bl[b].label ? 1 : 0);
    /* a value line's white before its first piece, from the labels, when
     * it starts a column right of the values' start (a cell vertically
     * centred beside a label that its own line leaves white there) */
    if (!bl[b].label && pc[k0].x0 > col->vmin + ALIGN * em) {
      Cut c = { col->lx1, pc[k0].x0, col->lx1, pc[k0].x0, 1, FALSE };
      g_array_append_val(all, c);
    }
    for (guint k = k0 + 1; k < ln->pfirst + ln->pcount; k++) {
      /* only a label line's own cells make a cut alone */
      gboolean wide = bl[b].label && pc[k].x0 - pc[k - 1].x1 >= CELL_GAP * ln->em;
      Cut c = { pc[k - 1].x1, pc[k].x0, pc[k - 1].x1, pc[k].x0, 1, wide };
      g_array_append_val(all, c);
    }
  }
  guint n = 0;
  Cut *w = (Cut *)all->data;
  g_autofree gboolean *merged = g_new0(gboolean, all->len + 1);
  for (guint i = 0; i < all->len; i++) {
    if (merged[i])
      continue;
    Cut cur = w[i];
    for (guint j = i + 1; j < all->len; j++) {
      gboolean aligned = fabs(w[j].end - cur.end) <= ALIGN * em || fabs(w[j].start - cur.start) <= ALIGN * em;
      if (merged[j] || !aligned || w[j].x0 >= cur.x1 || w[j].x1 <= cur.x0)
        continue;
      /* a white wider than this one (a row leaving two columns empty)
       * may line up with the next column's white too */
      merged[j] = w[j].x1 - w[j].x0 <= w[i].x1 - w[i].x0 + ALIGN * em;
      cur.x0 = MAX(cur.x0, w[j].x0);
      cur.x1 = MIN(cur.x1, w[j].x1);
      cur.support++;
      cur.wide = cur.wide || w[j].wide;
    }
    if (!(cur.support >= 2 || cur.wide))
      continue;
    /* of overlapping cuts keep the one more lines share */
    gboolean keep = TRUE;
    for (guint o = 0; o < n && keep; o++) {
      if (cur.x0 >= out[o].x1 || cur.x1 <= out[o].x0)
        continue;
      if (cur.support > out[o].support)
        out[o] = out[--n];
      else
        keep = FALSE;
    }
    if (keep && n < MAX_CUTS)
      out[n++] = cur;
  }
  /* ink of other lines that reaches into a cut from one side moves its
   * edge (a heading centred over its column starts later than the values
   * under it); ink right across it is a value spanning the cut */
  for (guint c = 0; c < n; c++)
    for (guint b = 0; b < nb; b++) {
      const Line *ln = &lines[bl[b].line];
      for (guint k = ln->pfirst + (bl[b].label ? 1 : 0); k < ln->pfirst + ln->pcount; k++) {
        if (pc[k].x1 <= out[c].x0 || pc[k].x0 >= out[c].x1 || (pc[k].x0 <= out[c].x0 && pc[k].x1 >= out[c].x1))
          continue;
        if (pc[k].x0 <= out[c].x0)
          out[c].x0 = pc[k].x1;
        else if (pc[k].x1 >= out[c].x1)
          out[c].x1 = pc[k].x0;
      }
    }
  qsort(out, n, sizeof(Cut), cmp_cut);
  return n;
}

/* Column (0 = labels) of x among the boundaries xs[0..nc]. */
static guint column_at(const double *xs, guint nc, double x)
{
  guint c = 0;
  while (c + 1 < nc && x >= xs[c + 1])
    c++;
  return c;
}

/* For one line: marks in starts[] the value columns where one of its
 * cells starts and in crossed[] the cuts (boundary b of xs, b >= 2, is cut
 * b - 2) a cell runs across.  Cells are its value pieces joined over white
 * narrower than CELL_GAP unless a cut that lines share lies in it. */
static void line_cells(const Line *ln, const Piece *pc, gboolean skip_label, const double *xs, guint nc,
                       const Cut *cuts, gboolean *starts, gboolean *crossed)
{
  guint k = ln->pfirst + (skip_label ? 1 : 0), end = ln->pfirst + ln->pcount;
  while (k < end) {
    double x0 = pc[k].x0, x1 = pc[k].x1;
    guint j = k + 1;
    for (; j < end; j++) {
      double white = pc[j].x0 - x1;
      gboolean cut_inside = FALSE;
      for (guint b = 2; b < nc && !cut_inside; b++)
        cut_inside = cuts[b - 2].support >= 2 && xs[b] > x1 && xs[b] < pc[j].x0;
      if (white >= CELL_GAP * ln->em || cut_inside)
        break;
      x1 = pc[j].x1;
    }
    starts[column_at(xs, nc, x0)] = TRUE;
    for (guint b = 2; b < nc; b++)
      if (xs[b] > x0 && xs[b] < x1)
        crossed[b] = TRUE;
    k = j;
  }
}

/* True when the values of label line ln hold no number (they name
 * columns: 令和5年度（実績）, not 90.0％). */
static gboolean names_columns(const Line *ln, const Piece *pc)
{
  for (guint k = ln->pfirst + 1; k < ln->pfirst + ln->pcount; k++)
    if (pc[k].value)
      return FALSE;
  return TRUE;
}

/* Rows by spacing: a card's cells are padded alike, so the white between
 * two rows is the widest white of the block (within 0.1 em) and wider
 * than the white between the lines of one value (by 0.25 em; glyph boxes
 * taller than the line pitch make that white negative).  Then the lines
 * between row whites are one row, if each such row holds exactly one
 * label line: its owner.  FALSE (owners untouched) when not. */
static gboolean owners_by_spacing(const Line *lines, BlockLine *bl, guint nb)
{
  if (nb < 2)
    return FALSE;
  double em = lines[bl[0].line].em;
  g_autofree double *w = g_new(double, nb);
  double widest = -1e300;
  for (guint b = 1; b < nb; b++) {
    w[b] = lines[bl[b].line].y0 - lines[bl[b - 1].line].y1;
    widest = MAX(widest, w[b]);
  }
  double cut = widest - 0.1 * em;
  for (guint b = 1; b < nb; b++)
    if (w[b] < cut && w[b] > widest - 0.25 * em)
      return FALSE;
  for (guint b0 = 0; b0 < nb;) {
    guint b1 = b0 + 1, label = nb, n = bl[b0].label;
    while (b1 < nb && w[b1] <= cut)
      n += bl[b1++].label;
    if (n != 1)
      return FALSE;
    b1 = b0 + 1;
    while (b1 < nb && w[b1] <= cut)
      b1++;
    for (guint b = b0; b < b1; b++)
      if (bl[b].label)
        label = b;
    for (guint b = b0; b < b1; b++)
      bl[b].owner = label;
    b0 = b1;
  }
  return TRUE;
}

/* Sets each block line's owner: its label line.  By spacing when that
 * shows the rows (owners_by_spacing()); else a value line belongs to the
 * label above it, or, in a card whose labels are vertically centred (a
 * label off its value's baseline, or alone between value lines), to the
 * nearest label. */
static void assign_owners(const Line *lines, const Piece *pc, BlockLine *bl, guint nb)
{
  for (guint b = 0; b < nb; b++)
    bl[b].owner = b;
  if (owners_by_spacing(lines, bl, nb))
    return;
  gboolean centred = FALSE;
  for (guint b = 0; b < nb; b++) {
    if (!bl[b].label)
      continue;
    const Line *ln = &lines[bl[b].line];
    const Piece *lab = &pc[ln->pfirst];
    if (ln->pcount > 1 && fabs(lab->yc - pc[ln->pfirst + 1].yc) > 0.25 * ln->em)
      centred = TRUE;
    if (ln->pcount == 1 && b > 0 && b + 1 < nb && !bl[b - 1].label && !bl[b + 1].label)
      centred = TRUE;
  }
  guint owner = 0, next = 0; /* the label lines above and below */
  for (guint b = 0; b < nb; b++) {
    if (bl[b].label) {
      owner = b;
      continue;
    }
    bl[b].owner = owner;
    if (!centred)
      continue;
    if (next <= b)
      for (next = b + 1; next < nb && !bl[next].label; next++)
        ;
    if (next == nb)
      continue;
    const Line *ln = &lines[bl[b].line];
    double yc = (ln->y0 + ln->y1) / 2;
    double above = fabs(pc[lines[bl[owner].line].pfirst].yc - yc);
    double below = fabs(pc[lines[bl[next].line].pfirst].yc - yc);
    if (below < above - 0.01)
      bl[b].owner = next;
  }
}

/* True when line b, below line a, is no further line of a card in type
 * of `em`: white or another type size between them. */
static gboolean apart(const Line *a, const Line *b, double em)
{
  return b->y0 - a->y1 > LINE_WHITE * em || fabs(b->em - em) > SIZE_TOL * em || fabs(a->em - em) > SIZE_TOL * em;
}

/* Builds the card of block lines bl[0..nb) if it is one (see the head of
 * this file); NULL otherwise.  `alone`: the block is set off from the
 * lines above and below it by white (2) or at least by type size (1), or
 * not (0): label lines inside a bigger table are no card, and two rows of
 * values under a header in another size are no schedule.  Sets *n_labels
 * to its label lines. */
static KkPageTable *make_card(const Line *lines, const Piece *pc, BlockLine *bl, guint nb,
                              const LabelColumn *col, guint alone, guint *n_labels_out)
{
  guint n_labels = 0;
  for (guint b = 0; b < nb; b++)
    n_labels += bl[b].label;
  *n_labels_out = n_labels;
  if (n_labels < 2 || !alone)
    return NULL;
  Cut cuts[MAX_CUTS];
  guint n_cuts = value_cuts(lines, pc, bl, nb, col, cuts);
  guint nc = n_cuts + 2; /* labels, values cut n_cuts times */
  double xs[MAX_CUTS + 3];
  double x_min = 1e300, x_max = -1e300;
  for (guint b = 0; b < nb; b++) {
    const Line *ln = &lines[bl[b].line];
    x_min = MIN(x_min, pc[ln->pfirst].x0);
    x_max = MAX(x_max, pc[ln->pfirst + ln->pcount - 1].x1);
  }
  xs[0] = x_min - 0.5;
  xs[1] = (col->lx1 + col->vmin) / 2;
  for (guint c = 0; c < n_cuts; c++)
    xs[c + 2] = (cuts[c].x0 + cuts[c].x1) / 2;
  xs[nc] = x_max + 0.5;

  assign_owners(lines, pc, bl, nb);
  /* logical rows: one per label, in order down the page */
  g_autofree guint *row_of_line = g_new(guint, nb);
  guint n_rows = 0;
  for (guint b = 0; b < nb; b++)
    if (bl[b].label)
      row_of_line[b] = n_rows++;
  for (guint b = 0; b < nb; b++)
    row_of_line[b] = row_of_line[bl[b].owner];
  /* what each row does with the value columns */
  g_autofree gboolean *starts = g_new0(gboolean, (gsize)n_rows * nc);
  g_autofree gboolean *crossed = g_new0(gboolean, (gsize)n_rows * nc);
  g_autofree double *ry0 = g_new(double, n_rows), *ry1 = g_new(double, n_rows);
  for (guint r = 0; r < n_rows; r++) {
    ry0[r] = 1e300;
    ry1[r] = -1e300;
  }
  g_autofree gboolean *line_starts = g_new(gboolean, nc), *line_crossed = g_new(gboolean, nc);
  guint multi = 0; /* label lines with two values or more */
  gboolean any_crossed = FALSE, row_of_pairs = FALSE;
  for (guint b = 0; b < nb; b++) {
    const Line *ln = &lines[bl[b].line];
    guint r = row_of_line[b];
    ry0[r] = MIN(ry0[r], ln->y0);
    ry1[r] = MAX(ry1[r], ln->y1);
    memset(line_starts, 0, nc * sizeof(gboolean));
    memset(line_crossed, 0, nc * sizeof(gboolean));
    line_cells(ln, pc, bl[b].label, xs, nc, cuts, line_starts, line_crossed);
    guint cells = 0;
    for (guint c = 1; c < nc; c++) {
      starts[(gsize)r * nc + c] |= line_starts[c];
      crossed[(gsize)r * nc + c] |= line_crossed[c];
      any_crossed = any_crossed || line_crossed[c];
      cells += line_starts[c];
    }
    multi += bl[b].label && cells >= 2;
    row_of_pairs = row_of_pairs || (bl[b].label && cells >= 3);
  }
  /* which blocks are cards: most labels have one value (a row or two
   * may hold a second label and value); else a plain table, which
   * unruled.c finds when it has three rows.  Two label lines make a card
   * with a second pair on one of them, or a schedule's two rows under
   * value columns they share. */
  guint shared = 0;
  for (guint c = 0; c < n_cuts; c++)
    shared += cuts[c].support >= 2;
  if (n_labels >= 3 && 2 * multi >= n_labels)
    return NULL;
  if (n_labels == 2 && !(any_crossed ? row_of_pairs : shared >= 2 && alone == 2 && names_columns(&lines[bl[0].line], pc)))
    return NULL;

  KkPageTable *t = kk_page_table_new(n_rows, nc);
  t->ruled = FALSE;
  memcpy(t->xs, xs, (nc + 1) * sizeof(double));
  t->ys[0] = ry0[0] - 0.5;
  for (guint r = 1; r < n_rows; r++)
    t->ys[r] = MAX((ry1[r - 1] + ry0[r]) / 2, t->ys[r - 1]);
  t->ys[n_rows] = MAX(ry1[n_rows - 1] + 0.5, t->ys[n_rows - 1]);
  t->box = (KkBox){ t->xs[0], t->ys[0], t->xs[nc], t->ys[n_rows] };
  for (guint r = 0; r < n_rows; r++) {
    const gboolean *st = starts + (gsize)r * nc, *cr = crossed + (gsize)r * nc;
    for (guint c = 0; c < nc;) {
      /* a value runs on over columns its row leaves empty (unless a cut
       * rows share) and over cuts its text crosses */
      guint e = c + 1;
      if (c > 0)
        while (e < nc && (cr[e] || (!st[e] && cuts[e - 2].support < 2)))
          e++;
      KkCell cell = { .row = r, .col = c, .rowspan = 1, .colspan = e - c };
      cell.box = (KkBox){ t->xs[c], t->ys[r], t->xs[e], t->ys[r + 1] };
      cell.text = g_string_new(NULL);
      for (guint cc = c; cc < e; cc++)
        t->cell_of[(gsize)r * nc + cc] = (gint)t->cells->len;
      g_array_append_val(t->cells, cell);
      c = e;
    }
  }
  return t;
}

guint kk_cards_detect(const KkGlyph *glyphs, guint *idx, guint n, GPtrArray *tables)
{
  if (n == 0)
    return 0;
  g_autofree guint *work = g_memdup2(idx, n * sizeof(guint));
  g_autoptr(GArray) members = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) lines_a = g_array_new(FALSE, FALSE, sizeof(Line));
  g_autoptr(GArray) pieces_a = g_array_new(FALSE, FALSE, sizeof(Piece));
  LineSink sink = { glyphs, members, lines_a, pieces_a };
  kk_glyph_rows(glyphs, work, n, add_line, &sink);
  const Line *lines = (const Line *)lines_a->data;
  const Piece *pc = (const Piece *)pieces_a->data;
  const guint *mem = (const guint *)members->data;
  guint nl = lines_a->len;
  g_autofree gboolean *taken_line = g_new0(gboolean, nl + 1);
  g_autofree BlockLine *bl = g_new(BlockLine, nl + 1);
  gboolean found = FALSE;

  for (guint i = 0; i < nl;) {
    const Line *ln = &lines[i];
    const Piece *p0 = &pc[ln->pfirst];
    /* a block starts at a label with its value on its line */
    if (!label_line(ln, pc)) {
      i++;
      continue;
    }
    LabelColumn col = { p0->x0, p0->x1, p0->x0, (p0->x0 + p0->x1) / 2, p0->x1, TRUE, TRUE, TRUE,
                        pc[ln->pfirst + 1].x0 };
    guint nb = 0;
    bl[nb++] = (BlockLine){ i, TRUE, 0 };
    double em = ln->em;
    guint j = i + 1;
    for (; j < nl; j++) {
      const Line *lj = &lines[j];
      const Piece *q = &pc[lj->pfirst];
      if (apart(&lines[j - 1], lj, em))
        break;
      if (q->x0 >= col.lx1 + LABEL_GAP * em) { /* a further line of a value */
        col.vmin = MIN(col.vmin, q->x0);
        bl[nb++] = (BlockLine){ j, FALSE, 0 };
        continue;
      }
      double value_x0 = lj->pcount > 1 ? pc[lj->pfirst + 1].x0 : 1e300;
      if (!label_piece(q, em) || !column_takes(&col, q, value_x0, em))
        break;
      bl[nb++] = (BlockLine){ j, TRUE, 0 };
    }
    /* set off from the lines above and below by type size or white, or
     * by white alone */
    gboolean white_above = i == 0 || ln->y0 - lines[i - 1].y1 > LINE_WHITE * em;
    gboolean white_below = j == nl || lines[j].y0 - lines[j - 1].y1 > LINE_WHITE * em;
    guint alone = white_above && white_below ? 2 : 0;
    if (alone == 0 && (white_above || (apart(&lines[i - 1], ln, em) && !label_line(&lines[i - 1], pc))) &&
        (white_below || (apart(&lines[j - 1], &lines[j], em) && !label_line(&lines[j], pc))))
      alone = 1;
    guint n_labels = 0;
    KkPageTable *t = make_card(lines, pc, bl, nb, &col, alone, &n_labels);
    if (t == NULL) {
      /* a plain table is left whole to unruled.c, not cut into cards */
      i = n_labels >= 3 ? j : i + 1;
      continue;
    }
    g_ptr_array_add(tables, t);
    for (guint b = 0; b < nb; b++)
      taken_line[bl[b].line] = TRUE;
    found = TRUE;
    i = j;
  }
  if (!found)
    return n;
  /* the glyphs of the cards' lines out of idx, the others kept in order */
  guint max_g = 0;
  for (guint i = 0; i < n; i++)
    max_g = MAX(max_g, idx[i]);
  g_autofree gboolean *taken = g_new0(gboolean, (gsize)max_g + 1);
  for (guint l = 0; l < nl; l++)
    if (taken_line[l])
      for (guint k = lines[l].gfirst; k < lines[l].gfirst + lines[l].gcount; k++)
        taken[mem[k]] = TRUE;
  guint kept = 0;
  for (guint i = 0; i < n; i++)
    if (!taken[idx[i]])
      idx[kept++] = idx[i];
  return kept;
}
