/* test_extract_text.c — extract's text side on synthetic glyphs: letter-
 * spaced (均等割付) words, rows that a tall glyph glues together, upright
 * vertical columns found from geometry, vertical cell text, reading order
 * beside a tall heading, and the order of a number and its unit in a cell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "extract/geom.h"
#include "extract/layout.h"
#include "extract/page.h"

/* Lays `text` out left to right from (x, y): glyphs `size` wide (half for
 * ASCII), `gap` apart, boxes `size` tall; returns the x after the last. */
static double put(GArray *glyphs, const char *text, double x, double y, double size, double gap)
{
  for (const char *p = text; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    double w = c < 0x80 ? size / 2 : size;
    if (c != ' ') {
      KkGlyph g = { { x, y, x + w, y + size }, c, (float)size, 0, 0, 0 };
      g_array_append_val(glyphs, g);
    }
    x += w + gap;
  }
  return x;
}

/* The lines kk_lines_build() makes of all `glyphs` (as cell `cell` of
 * table 0 when cell >= 0), as a NULL-terminated vector; `vertical` gets
 * each line's flag when not NULL. */
static char **lines_of(GArray *glyphs, gint cell, gboolean **vertical)
{
  g_autoptr(GArray) lines = g_array_new(FALSE, FALSE, sizeof(KkLine));
  g_autoptr(GString) pool = g_string_new(NULL);
  g_autofree guint *idx = g_new(guint, glyphs->len + 1);
  for (guint i = 0; i < glyphs->len; i++)
    idx[i] = glyphs->len - 1 - i; /* any input order */
  kk_lines_build((KkGlyph *)glyphs->data, idx, glyphs->len, NULL, cell >= 0 ? 0 : -1, cell, lines, pool);
  char **texts = g_new0(char *, lines->len + 1);
  if (vertical)
    *vertical = g_new0(gboolean, lines->len + 1);
  for (guint i = 0; i < lines->len; i++) {
    KkLine *l = &g_array_index(lines, KkLine, i);
    texts[i] = g_strndup(pool->str + l->text_off, l->text_len);
    if (vertical)
      (*vertical)[i] = l->vertical;
  }
  return texts;
}

/* ---- letter-spaced words ---- */

/* Headings spread over a cell's width (gaps of 3 to 4 em) are one word. */
static void test_spread_words_in_cells(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "特定財源", 300, 110, 10, 40);
  g_auto(GStrv) t = lines_of(g, 0, NULL);
  assert_int_equal(g_strv_length(t), 1);
  assert_string_equal(t[0], "特定財源");

  g_autoptr(GArray) g2 = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g2, "料金", 120, 500, 14, 180); /* two letters 13 em apart */
  g_auto(GStrv) t2 = lines_of(g2, 0, NULL);
  assert_int_equal(g_strv_length(t2), 1);
  assert_string_equal(t2[0], "料金");
}

/* Outside cells: an evenly spread heading is one word; lone glyphs with
 * unequal gaps, digits, or two glyphs far apart are not. */
static void test_spread_words_free_text(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "その他の取組", 100, 100, 14, 25);   /* 1.8 em apart */
  double x = put(g, "甲", 100, 140, 10, 0);
  x = put(g, "乙", x + 20, 140, 10, 0);          /* 2 em */
  put(g, "丙", x + 60, 140, 10, 0);              /* 6 em: unequal */
  put(g, "1234", 100, 180, 10, 30);              /* digits are no word */
  x = put(g, "左", 100, 220, 10, 0);
  put(g, "右", x + 100, 220, 10, 0);             /* 10 em: two labels */
  g_auto(GStrv) t = lines_of(g, -1, NULL);
  const char *want[] = { "その他の取組", "甲乙", "丙", "1", "2", "3", "4", "左", "右", NULL };
  assert_int_equal(g_strv_length(t), g_strv_length((char **)want));
  for (guint i = 0; want[i]; i++)
    assert_string_equal(t[i], want[i]);
}

/* ---- rows glued by a tall glyph ---- */

/* A big glyph at the left spans two rows of text at the right that stand
 * over one another: they must not interleave ("おといねっno.5ぷ46"). */
static void test_rows_glued_by_tall_glyph(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  KkGlyph big = { { 20, 95, 45, 158 }, '3', 45, 0, 0, 0 };
  g_array_append_val(g, big);
  put(g, "おといねっぷ", 200, 100, 32, 0);      /* boxes 100..132 */
  double x = 300;
  for (const char *p = "no.546"; *p; p++, x += 7) {
    KkGlyph s = { { x, 128, x + 7, 153 }, (gunichar)*p, 14, 0, 0, 0 };
    g_array_append_val(g, s);
  }
  g_auto(GStrv) t = lines_of(g, -1, NULL);
  assert_int_equal(g_strv_length(t), 3);
  assert_string_equal(t[0], "3");
  assert_string_equal(t[1], "おといねっぷ");
  assert_string_equal(t[2], "no.546");
}

/* ---- vertical writing found from geometry ---- */

/* Upright glyphs set one by one down three columns (boxes taller than the
 * 1 em pitch, as a horizontal font's ascent and descent make them), each
 * row of glyphs across the columns one Poppler line, a 縦中横 "18" in the
 * middle column: marked vertical, one line per column, columns right to
 * left, the digits in place. */
static void test_vertical_columns_from_geometry(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *cols[] = { "村議会において予算が", "成立し年度の", "減となっています" };
  g_autofree gunichar *c0 = NULL, *c1 = NULL, *c2 = NULL;
  glong len[3];
  c0 = g_utf8_to_ucs4_fast(cols[0], -1, &len[0]);
  c1 = g_utf8_to_ucs4_fast(cols[1], -1, &len[1]);
  c2 = g_utf8_to_ucs4_fast(cols[2], -1, &len[2]);
  const gunichar *c[] = { c0, c1, c2 };
  for (guint row = 0; row < 10; row++)
    for (guint k = 0; k < 3; k++) {
      double x = 300 - 17 * k, y = 85 + 9.5 * row;
      guint i = row;
      if (k == 1 && row == 3) { /* "18" across the column, in one cell */
        KkGlyph d1 = { { x + 0.5, y, x + 5, y + 13.8 }, '1', 9.6, 0, 0, row };
        KkGlyph d2 = { { x + 5, y, x + 9.5, y + 13.8 }, '8', 9.6, 0, 0, row };
        g_array_append_val(g, d1);
        g_array_append_val(g, d2);
        continue;
      }
      if (k == 1 && row > 3)
        i = row - 1;
      if ((glong)i >= len[k])
        continue;
      KkGlyph gl = { { x, y, x + 9.6, y + 13.8 }, c[k][i], 9.6, 0, 0, row };
      g_array_append_val(g, gl);
    }
  kk_glyphs_mark_vertical((KkGlyph *)g->data, g->len);
  for (guint i = 0; i < g->len; i++)
    assert_true(g_array_index(g, KkGlyph, i).flags & KK_GLYPH_VERTICAL);
  g_autofree gboolean *vert = NULL;
  g_auto(GStrv) t = lines_of(g, -1, &vert);
  assert_int_equal(g_strv_length(t), 3);
  assert_string_equal(t[0], "村議会において予算が");
  assert_string_equal(t[1], "成立し18年度の");
  assert_string_equal(t[2], "減となっています");
  assert_true(vert[0] && vert[1] && vert[2]);
}

/* A vertical-mode font (Poppler's vertical lines, one per pline) with
 * 縦中横 digits set by a horizontal font: Poppler breaks the column at the
 * digits ("日～" | "7" | "日に") and reads them as horizontal words, their
 * boxes level with the glyph that follows.  One Poppler line also holds
 * two neighbouring columns.  The column comes out whole, digits in place,
 * the two columns apart. */
static void test_vertical_across_digits_and_split_columns(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *a = "月", *b = "日～", *c = "日に開催";
  double x = 487, y = 158;
  KkGlyph two = { { 484, 158, 489.6, 165.8 }, '2', 7.4, 0, 0, 1 };   /* horizontal word */
  g_array_append_val(g, two);
  KkGlyph m = { { x, y, x + 7.4, y + 7.4 }, g_utf8_get_char(a), 7.4, 0, KK_GLYPH_VERTICAL, 2 };
  g_array_append_val(g, m);
  /* 日～ then 7 then 日に開催, each a Poppler line of its own */
  y = 174;
  for (const char *p = b; *p; p = g_utf8_next_char(p), y += 7.5) {
    KkGlyph v = { { x, y, x + 7.4, y + 7.4 }, g_utf8_get_char(p), 7.4, 0, KK_GLYPH_VERTICAL, 3 };
    g_array_append_val(g, v);
  }
  KkGlyph seven = { { 484, 189.5, 489.6, 196.9 }, '7', 7.4, 0, 0, 4 };
  g_array_append_val(g, seven);
  y = 189.5;
  for (const char *p = c; *p; p = g_utf8_next_char(p), y += 7.5) {
    KkGlyph v = { { x, y, x + 7.4, y + 7.4 }, g_utf8_get_char(p), 7.4, 0, KK_GLYPH_VERTICAL, 5 };
    g_array_append_val(g, v);
  }
  /* one Poppler line holding two columns, 16 pt to the left */
  y = 158;
  for (const char *p = "左の列です"; *p; p = g_utf8_next_char(p), y += 7.5) {
    KkGlyph v = { { 455, y, 462.4, y + 7.4 }, g_utf8_get_char(p), 7.4, 0, KK_GLYPH_VERTICAL, 6 };
    g_array_append_val(g, v);
  }
  y = 158;
  for (const char *p = "右の列"; *p; p = g_utf8_next_char(p), y += 7.5) {
    KkGlyph v = { { 471, y, 478.4, y + 7.4 }, g_utf8_get_char(p), 7.4, 0, KK_GLYPH_VERTICAL, 6 };
    g_array_append_val(g, v);
  }
  kk_glyphs_mark_vertical((KkGlyph *)g->data, g->len);
  g_autofree gboolean *vert = NULL;
  g_auto(GStrv) t = lines_of(g, -1, &vert);
  assert_int_equal(g_strv_length(t), 3);
  assert_string_equal(t[0], "2月日～7日に開催");
  assert_string_equal(t[1], "右の列");
  assert_string_equal(t[2], "左の列です");
}

/* Horizontal text is left alone: a paragraph on a character grid (glyphs
 * aligned in x from line to line, 1.5 em apart), and two letter-spaced
 * rows stacked tight in a cell. */
static void test_horizontal_text_not_vertical(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  for (guint r = 0; r < 5; r++)
    put(g, "行政改革の推進について定める", 50, 100 + 15 * r, 10, 0);
  put(g, "施設・設備の廃止・統合", 50, 300, 14, 5);
  put(g, "（ダウンサイジング）", 50, 315.4, 14, 7);
  /* a column of one-glyph rows 1.5 em apart: a list, not a column */
  for (guint r = 0; r < 4; r++)
    put(g, r % 2 ? "有" : "無", 400, 100 + 15 * r, 10, 0);
  kk_glyphs_mark_vertical((KkGlyph *)g->data, g->len);
  for (guint i = 0; i < g->len; i++)
    assert_false(g_array_index(g, KkGlyph, i).flags & KK_GLYPH_VERTICAL);
}

/* A cell holding one letter a row in one column (本⏎年⏎度, a spread 比⏎較)
 * is one vertical line; a number under a label is not. */
static void test_vertical_cell_text(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g, "本", 60, 150, 10, 0);
  put(g, "年", 60, 165, 10, 0);
  put(g, "度", 60, 180, 10, 0);
  g_autofree gboolean *vert = NULL;
  g_auto(GStrv) t = lines_of(g, 0, &vert);
  assert_int_equal(g_strv_length(t), 1);
  assert_string_equal(t[0], "本年度");
  assert_true(vert[0]);

  g_autoptr(GArray) g2 = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  put(g2, "計", 60, 150, 10, 0);
  put(g2, "5", 62, 165, 10, 0);
  g_auto(GStrv) t2 = lines_of(g2, 0, NULL);
  assert_int_equal(g_strv_length(t2), 2);
  /* outside cells a stack of single glyphs stays as it is */
  g_auto(GStrv) t3 = lines_of(g, -1, NULL);
  assert_int_equal(g_strv_length(t3), 3);
}

/* Put column `text` down the axis at x (glyph boxes `em` wide and 1.3 em
 * tall, as a horizontal font's ascent and descent make them, one em
 * apart from y0); glyph k gets Poppler line `row0 + k` (Poppler reads rows
 * across the columns).  "NN" (two ASCII digits) is one 縦中横 cell: two
 * half-width glyphs across the column, a little lower.  Returns the
 * number of cells used. */
static guint put_column(GArray *g, const char *text, double x, double y0, double em, guint row0)
{
  guint k = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p), k++) {
    double y = y0 + em * k;
    gunichar c = g_utf8_get_char(p);
    if (c < 0x80) {
      gunichar d = g_utf8_get_char(g_utf8_next_char(p));
      KkGlyph a = { { x, y + 0.2 * em, x + em / 2, y + 1.5 * em }, c, (float)em, 0, 0, row0 + k };
      KkGlyph b = { { x + em / 2, y + 0.2 * em, x + em, y + 1.5 * em }, d, (float)em, 0, 0, row0 + k };
      g_array_append_val(g, a);
      g_array_append_val(g, b);
      p = g_utf8_next_char(p);
      continue;
    }
    KkGlyph gl = { { x, y, x + em, y + 1.3 * em }, c, (float)em, 0, 0, row0 + k };
    g_array_append_val(g, gl);
  }
  return k;
}

/* Upright columns set as close as letters (LibreOffice Writer 縦書き at
 * single spacing): glyphs one em apart down, columns 1.0 or 1.12 em apart
 * (boxes touching across), Poppler's lines rows across the columns, a
 * 縦中横 "18" in one column: read down, one line per column, right to
 * left.  Horizontal text set solid (lines one em apart, letters touching
 * along them) stays horizontal. */
static void test_vertical_dense_grid(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  const char *cols[] = { "行政経営審議会は市長の", "諮問を受けて次のとおり", "審議を行いました", "令和五年十月18日",
                         "第一回審議会で諮問" };
  const double xs[] = { 496.1, 484.1, 470.7, 458.7, 445.3 };
  for (guint c = 0; c < G_N_ELEMENTS(cols); c++)
    put_column(g, cols[c], xs[c], 70.2, 12, 0);
  kk_glyphs_mark_vertical((KkGlyph *)g->data, g->len);
  for (guint i = 0; i < g->len; i++)
    assert_true(g_array_index(g, KkGlyph, i).flags & KK_GLYPH_VERTICAL);
  g_autofree gboolean *vert = NULL;
  g_auto(GStrv) t = lines_of(g, -1, &vert);
  assert_int_equal(g_strv_length(t), G_N_ELEMENTS(cols));
  for (guint c = 0; c < G_N_ELEMENTS(cols); c++) {
    assert_string_equal(t[c], cols[c]);
    assert_true(vert[c]);
  }

  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  for (guint r = 0; r < 6; r++) {
    guint before = h->len;
    put(h, "行政改革の推進について定める", 50, 100 + 12 * r, 12, 0);
    for (guint i = before; i < h->len; i++) {
      g_array_index(h, KkGlyph, i).box.y1 += 0.3 * 12; /* ascent and descent */
      g_array_index(h, KkGlyph, i).pline = r;
    }
  }
  kk_glyphs_mark_vertical((KkGlyph *)h->data, h->len);
  for (guint i = 0; i < h->len; i++)
    assert_false(g_array_index(h, KkGlyph, i).flags & KK_GLYPH_VERTICAL);
}

/* Upright glyphs of a horizontal font set down one column (LuaLaTeX 縦組):
 * a date with 縦中横 digits (their box from the font's ascent to its
 * descent, taller than the pitch) and items after ideographic spaces are
 * one line. */
static void test_vertical_column_across_spaces(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  double em = 11.5, y = 95.6;
  const char *cells[] = { "令", "和", "５", "年", "10", "月", "18", "日", "　", "第", "１", "回", "審", "議",
                          "会", "　", "答", "申" };
  guint row = 0;
  for (guint k = 0; k < G_N_ELEMENTS(cells); k++, y += em, row++) {
    if (strcmp(cells[k], "　") == 0)
      continue;
    if ((guchar)cells[k][0] < 0x80) { /* digits across, box 1.45 em tall */
      KkGlyph a = { { 465.4, y - 0.3 * em, 471.3, y + 1.15 * em }, (gunichar)cells[k][0], 12, 0, 0, row };
      KkGlyph b = { { 471.3, y - 0.3 * em, 477.2, y + 1.15 * em }, (gunichar)cells[k][1], 12, 0, 0, row };
      g_array_append_val(g, a);
      g_array_append_val(g, b);
      continue;
    }
    KkGlyph gl = { { 465.5, y, 477.0, y + 0.92 * em }, g_utf8_get_char(cells[k]), (float)em, 0, 0, row };
    g_array_append_val(g, gl);
  }
  kk_glyphs_mark_vertical((KkGlyph *)g->data, g->len);
  g_auto(GStrv) t = lines_of(g, -1, NULL);
  assert_int_equal(g_strv_length(t), 1);
  assert_string_equal(t[0], "令和５年10月18日第１回審議会答申");
}

/* A vertical line that runs across a horizontal rule (Poppler joined the
 * last glyph of a tier's column to the first of the tier below, an em
 * apart) is two lines; without the rule it stays one. */
static void test_vertical_split_at_rule(void **state)
{
  g_autoptr(GArray) g = g_array_new(FALSE, FALSE, sizeof(KkGlyph));
  double y = 100;
  for (const char *p = "上の段の終わり下の段"; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == 0x4E0B) /* 下: the next tier, 1.2 em lower */
      y += 9;
    KkGlyph gl = { { 400, y, 407.4, y + 7.4 }, c, 7.4, 0, KK_GLYPH_VERTICAL, 3 };
    g_array_append_val(g, gl);
    y += 7.4;
  }
  g_autoptr(GArray) none = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  kk_glyphs_split_at_rules((KkGlyph *)g->data, g->len, none);
  g_auto(GStrv) one = lines_of(g, -1, NULL);
  assert_int_equal(g_strv_length(one), 1);
  g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  KkSeg rule = { 100 + 7 * 7.4 + 4.5, 300, 450, 1 };
  g_array_append_val(rules, rule);
  kk_glyphs_split_at_rules((KkGlyph *)g->data, g->len, rules);
  g_auto(GStrv) two = lines_of(g, -1, NULL);
  assert_int_equal(g_strv_length(two), 2);
  assert_string_equal(two[0], "上の段の終わり");
  assert_string_equal(two[1], "下の段");
}

/* ---- reading order ---- */

/* A vertical section heading at the left, tall enough to span a full-width
 * paragraph and the two columns below it (body text | side box): the body
 * is read down its column before the box, not line by line across. */
static void test_reading_order_beside_tall_heading(void **state)
{
  KkBox b[] = {
    { 75, 214, 91, 323 },                                        /* 0 vertical heading */
    { 105, 226, 549, 236 }, { 96, 242, 540, 252 },               /* 1, 2 full width */
    { 96, 259, 296, 268 }, { 96, 275, 292, 284 }, { 96, 291, 292, 300 }, /* 3-5 body */
    { 306, 267, 348, 276 }, { 306, 282, 332, 290 }, { 306, 297, 371, 304 }, /* 6-8 box */
    { 96, 307, 292, 316 },                                       /* 9 body */
  };
  gboolean vert[G_N_ELEMENTS(b)] = { TRUE };
  guint order[G_N_ELEMENTS(b)];
  kk_reading_order(b, vert, G_N_ELEMENTS(b), 9.4, order);
  guint want[] = { 0, 1, 2, 3, 4, 5, 9, 6, 7, 8 };
  assert_memory_equal(order, want, sizeof want);
}

/* Vertical columns of different lengths are one band: right to left. */
static void test_reading_order_vertical_columns(void **state)
{
  KkBox b[] = { { 242, 85, 252, 137 }, { 310, 95, 320, 447 }, { 293, 85, 303, 447 },
                { 276, 85, 286, 447 } };
  gboolean vert[] = { TRUE, TRUE, TRUE, TRUE };
  guint order[4];
  kk_reading_order(b, vert, 4, 11.5, order);
  guint want[] = { 1, 2, 3, 0 };
  assert_memory_equal(order, want, sizeof want);
}

/* Lone glyphs spread down a column (広 … 報) beside vertical lines do not
 * make the set horizontal: 広報 then おとい, ねっぷ, right to left. */
static void test_reading_order_lone_glyphs_with_vertical(void **state)
{
  KkBox b[] = { { 543, 6, 551, 38 }, { 554, 6, 562, 38 }, { 565, 6, 573, 14 }, { 565, 30, 573, 38 } };
  gboolean vert[] = { TRUE, TRUE, FALSE, FALSE };
  guint order[4];
  kk_reading_order(b, vert, 4, 9.4, order);
  guint want[] = { 2, 3, 1, 0 };
  assert_memory_equal(order, want, sizeof want);
}

/* Vertical tiers (段) that a heading, a lead paragraph, a photo's caption
 * and a results table break up (a newsletter's 縦組 page): the columns
 * are read tier by tier, right to left, the sentence running from the
 * foot of one tier to the head of the next; the caption and the table
 * after them. */
static void test_reading_order_vertical_tiers_around_blocks(void **state)
{
  /* tier 1 and 2: columns 15.5 pt apart beside the lead, the photo
   * (not an item) and its caption at the left; tier 3 across the page;
   * tier 4 left of the table */
  KkBox b[128];
  gboolean vert[128];
  guint want[128], n = 0, w = 0;
  guint caption = 0, table = 0;
#define ITEM(x0, y0, x1, y1, v) (b[n] = (KkBox){ x0, y0, x1, y1 }, vert[n] = v, n++)
  want[w++] = ITEM(523, 146, 539, 353, TRUE); /* heading */
  want[w++] = ITEM(481, 158, 494, 375, TRUE); /* lead */
  want[w++] = ITEM(471, 143, 478, 375, TRUE);
  for (double x = 429; x > 240; x -= 15.5)
    want[w++] = ITEM(x, 137, x + 7.4, 255, TRUE);
  for (double x = 429; x > 240; x -= 15.5)
    want[w++] = ITEM(x, 263, x + 7.4, 381, TRUE);
  caption = ITEM(51, 367, 211, 375, FALSE);
  ITEM(51, 380, 164, 388, FALSE);
  for (double x = 523; x > 50; x -= 15.5)
    want[w++] = ITEM(x, 390, x + 7.4, 513, TRUE);
  table = ITEM(354, 534, 524, 778, FALSE);
  for (double x = 336; x > 50; x -= 15.5)
    want[w++] = ITEM(x, 521, x + 7.4, 644, TRUE);
#undef ITEM
  want[w++] = caption;
  want[w++] = caption + 1;
  want[w++] = table;
  assert_int_equal(w, n);
  guint order[128];
  kk_reading_order(b, vert, n, 8.9, order);
  assert_memory_equal(order, want, n * sizeof *want);
}

/* Prose beside a tall table whose first row is level with the prose's
 * first line (less than a column gap apart, so no cut divides them): the
 * prose is read through in one run, not its first lines, the table, then
 * the rest (as when the table's band started a fifth of its height lower,
 * beside the fourth line). */
static void test_reading_order_prose_beside_table(void **state)
{
  KkBox b[] = {
    { 76, 506, 91, 615 },                                                  /* 0 vertical label */
    { 106, 519, 298, 528 }, { 96, 535, 253, 544 }, { 106, 551, 298, 560 }, /* 1-3 */
    { 96, 567, 298, 576 }, { 96, 583, 298, 592 }, { 96, 599, 298, 609 },   /* 4-6 */
    { 96, 616, 302, 625 }, { 96, 632, 298, 641 }, { 96, 648, 153, 657 },   /* 7-9 */
    { 306, 517, 545, 756 },                                                /* 10 table */
  };
  gboolean vert[G_N_ELEMENTS(b)] = { TRUE };
  guint order[G_N_ELEMENTS(b)];
  kk_reading_order(b, vert, G_N_ELEMENTS(b), 9.4, order);
  assert_int_equal(order[0], 0);
  guint first = order[1] == 10 ? 2 : 1; /* the table before or after the prose */
  for (guint k = 0; k < 9; k++)
    assert_int_equal(order[first + k], 1 + k);
}

/* A block of vertical lines set wide apart (a title 音威子府村 | 令和二年度
 * | 主要事業, columns 30 pt apart) beside horizontal text: the columns are
 * read right to left although a column gap parts each from the next,
 * then the text to their right. */
static void test_reading_order_vertical_block_in_horizontal_page(void **state)
{
  KkBox b[] = {
    { 66, 649, 86, 762 }, { 116, 649, 135, 762 }, { 166, 649, 185, 762 }, /* 0-2 columns */
    { 336, 642, 524, 652 }, { 336, 659, 432, 669 },                       /* 3, 4 text */
    { 336, 693, 485, 703 }, { 400, 710, 470, 720 },                       /* 5, 6 */
  };
  gboolean vert[] = { TRUE, TRUE, TRUE, FALSE, FALSE, FALSE, FALSE };
  guint order[G_N_ELEMENTS(b)];
  kk_reading_order(b, vert, G_N_ELEMENTS(b), 9.4, order);
  guint want[] = { 2, 1, 0, 3, 4, 5, 6 };
  assert_memory_equal(order, want, sizeof want);
}

/* ---- numbers and units in cells ---- */

static void hseg(GArray *a, double pos, double a0, double a1)
{
  KkSeg s = { pos, a0, a1, 1 };
  g_array_append_val(a, s);
}

/* A ruled row of five cells: a small 千円 over its figure, 人 over ３ in
 * the same size, ％ before 10.4 on its row, a label over a figure, and a
 * figure over its unit. */
static void test_cell_unit_after_number(void **state)
{
  g_autoptr(KkLayout) l = kk_layout_new(595, 842);
  g_autoptr(GArray) h = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  g_autoptr(GArray) v = g_array_new(FALSE, FALSE, sizeof(KkSeg));
  hseg(h, 100, 50, 550);
  hseg(h, 140, 50, 550);
  for (guint k = 0; k <= 5; k++)
    hseg(v, 50 + 100 * k, 100, 140);
  put(l->glyphs, "千円", 130, 102, 8, 0);
  put(l->glyphs, "46,460,600", 95, 116, 10, 0);
  put(l->glyphs, "人", 230, 104, 10, 0);
  put(l->glyphs, "３", 230, 120, 10, 0);
  put(l->glyphs, "％", 260, 112, 10, 0);
  put(l->glyphs, "10.4", 320, 112, 10, 0);
  put(l->glyphs, "均等割", 360, 104, 10, 0);
  put(l->glyphs, "397,000", 400, 120, 10, 0);
  put(l->glyphs, "72.5", 470, 104, 10, 0);
  put(l->glyphs, "％", 520, 120, 10, 0);
  kk_layout_build(l, h, v, FALSE);
  assert_int_equal(l->tables->len, 1);
  KkPageTable *t = g_ptr_array_index(l->tables, 0);
  assert_int_equal(t->cells->len, 5);
  assert_string_equal(kk_page_table_cell_text(t, 0, 0), "46,460,600 千円");
  assert_string_equal(kk_page_table_cell_text(t, 0, 1), "３ 人");
  assert_string_equal(kk_page_table_cell_text(t, 0, 2), "10.4 ％");
  assert_string_equal(kk_page_table_cell_text(t, 0, 3), "均等割\n397,000");
  assert_string_equal(kk_page_table_cell_text(t, 0, 4), "72.5 ％");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_spread_words_in_cells),
    cmocka_unit_test(test_spread_words_free_text),
    cmocka_unit_test(test_rows_glued_by_tall_glyph),
    cmocka_unit_test(test_vertical_columns_from_geometry),
    cmocka_unit_test(test_vertical_across_digits_and_split_columns),
    cmocka_unit_test(test_horizontal_text_not_vertical),
    cmocka_unit_test(test_vertical_dense_grid),
    cmocka_unit_test(test_vertical_column_across_spaces),
    cmocka_unit_test(test_vertical_split_at_rule),
    cmocka_unit_test(test_vertical_cell_text),
    cmocka_unit_test(test_reading_order_beside_tall_heading),
    cmocka_unit_test(test_reading_order_vertical_columns),
    cmocka_unit_test(test_reading_order_lone_glyphs_with_vertical),
    cmocka_unit_test(test_reading_order_vertical_tiers_around_blocks),
    cmocka_unit_test(test_reading_order_prose_beside_table),
    cmocka_unit_test(test_reading_order_vertical_block_in_horizontal_page),
    cmocka_unit_test(test_cell_unit_after_number),
  };
  return cmocka_run_group_tests_name("extract text", tests, NULL, NULL);
}
