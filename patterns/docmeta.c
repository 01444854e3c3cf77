/*
 * docmeta.c — the metadata every document gets, whether a family matched
 * or not: its title (the cover's largest type, else a meaningful PDF
 * title), the local government it is about (common/kk-gazetteer.h over all
 * of its text), and the fiscal years it is about (normalize's fiscal-year
 * annotations of its cover, title and plan-period lines).
 *
 * A family's [document] rules (document.c) come first: a title or period a
 * rule found is kept; a municipality or prefecture a rule found is the
 * strongest evidence the gazetteer weighs (a name it does not know, such
 * as a made-up city, is kept as the rule said).  Part of the parse engine.
 */
#include "patterns/engine.h"
#include "common/kk-gazetteer.h"
#include "normalize/normalize.h"

#include <stdlib.h>
#include <string.h>

/* Pages searched for a plan-period line (計画期間 令和3年度～令和6年度). */
#define FY_PAGES 5
/* A title longer than this (code points) or of more rows is a paragraph. */
#define TITLE_MAX_CHARS 80
#define TITLE_MAX_ROWS 4
/* Blocks of large type looked at on the cover, and the smallest type of a
 * later one as a fraction of the first's (a masthead, not a caption). */
#define COVER_BLOCKS 3
#define COVER_BLOCK_MIN 0.6

/* Where the fiscal years came from, best first. */
typedef enum {
  FY_COVER_PERIOD,  /* page 1: a period label with a range */
  FY_COVER_RANGE,   /* page 1: a range */
  FY_TITLE,         /* the title names one 年度 */
  FY_COVER_YEAR,    /* page 1: a short line that is a 年度 (令和6年度) */
  FY_LATER_PERIOD,  /* pages 2..FY_PAGES: a period label with a range */
  FY_NONE
} FyRank;

static const char *const fy_rank_name[] = {
  "plan period on the cover", "year range on the cover", "the title's 年度",
  "a 年度 line on the cover", "plan period line",
};

struct KpDocMeta {
  KkGazetteerScan *gz;
  char *cover_title;       /* page 1's title block, or NULL */
  double cover_size;       /* its type size */
  double cover_top;        /* its top as a fraction of the page height */
  char *title_from;        /* for --explain */
  FyRank fy_rank;
  gint64 fy0, fy1;
  int fy_page;
  char *fy_text;           /* the row the years came from */
  KkGzResult where;        /* the gazetteer's verdict */
  char *lg_code, *ward;
};

/* Frees the built-in metadata of a stream; NULL is a no-op. */
void kp_docmeta_free(KpDocMeta *m)
{
  if (m == NULL)
    return;
  kk_gazetteer_scan_free(m->gz);
  g_free(m->cover_title);
  g_free(m->title_from);
  g_free(m->fy_text);
  kk_gz_result_clear(&m->where);
  g_free(m->lg_code);
  g_free(m->ward);
  g_free(m);
}


/* TRUE when the table is data (a grid of at least 2x2), not a box around
 * a title or a paragraph. */
static gboolean is_data_table(const KpPage *page, int index)
{
  if (index < 0 || (guint)index >= page->tables->len)
    return FALSE;
  const KpTable *t = g_ptr_array_index(page->tables, index);
  return t->nrows >= 2 && t->ncols >= 2;
}

/* Number of letters (kanji, kana, Latin) in `text`. */
static int letters(const char *text)
{
  int n = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p))
    if (g_unichar_isalpha(g_utf8_get_char(p)))
      n++;
  return n;
}

/* A line whose box is both much wider and much taller than its type holds
 * glyphs of several baselines in an order that cannot be trusted. */
static gboolean line_garbled(const KpLine *l)
{
  double w = l->t.bbox[2] - l->t.bbox[0], h = l->t.bbox[3] - l->t.bbox[1];
  return l->t.has_bbox && w > 1.8 * l->size && h > 1.8 * l->size;
}

/* By vertical centre, top first (a strict order; rows are formed after). */
static int compare_line_centre(const void *a, const void *b)
{
  const KpLine *x = *(const KpLine *const *)a, *y = *(const KpLine *const *)b;
  double cx = x->t.bbox[1] + x->t.bbox[3], cy = y->t.bbox[1] + y->t.bbox[3];
  return cx < cy ? -1 : cx > cy;
}

static int compare_line_x(const void *a, const void *b)
{
  const KpLine *x = *(const KpLine *const *)a, *y = *(const KpLine *const *)b;
  return x->t.bbox[0] < y->t.bbox[0] ? -1 : x->t.bbox[0] > y->t.bbox[0];
}

/* TRUE if every line of `lines` is a column of vertical writing. */
static gboolean all_vertical(GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++) {
    const KpLine *l = g_ptr_array_index(lines, i);
    if (l->t.bbox[3] - l->t.bbox[1] <= 1.5 * (l->t.bbox[2] - l->t.bbox[0]))
      return FALSE;
  }
  return lines->len > 0;
}

/* Vertical columns: right to left, then top to bottom. */
static int compare_column_pos(const void *a, const void *b)
{
  const KpLine *x = *(const KpLine *const *)a, *y = *(const KpLine *const *)b;
  if (x->t.bbox[2] != y->t.bbox[2])
    return x->t.bbox[2] > y->t.bbox[2] ? -1 : 1;
  return x->t.bbox[1] < y->t.bbox[1] ? -1 : x->t.bbox[1] > y->t.bbox[1];
}

/* Joins `lines` into rows, top to bottom: lines whose vertical centres lie
 * within half a line of the row's first line are one row, left to right
 * (a line on its own joins without a separator; Latin words and numbers
 * with a space).  Sorts `lines`.  Returns the rows' texts. */
static GPtrArray *join_rows(GPtrArray *lines)
{
  g_ptr_array_sort(lines, compare_line_centre);
  GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
  guint i = 0;
  while (i < lines->len) {
    const KpLine *first = g_ptr_array_index(lines, i);
    double c0 = (first->t.bbox[1] + first->t.bbox[3]) / 2, h0 = first->t.bbox[3] - first->t.bbox[1];
    guint j = i + 1;
    while (j < lines->len) {
      const KpLine *l = g_ptr_array_index(lines, j);
      double c = (l->t.bbox[1] + l->t.bbox[3]) / 2, h = l->t.bbox[3] - l->t.bbox[1];
      if (c - c0 > 0.5 * MIN(h0, h))
        break;
      j++;
    }
    qsort(lines->pdata + i, j - i, sizeof(gpointer), compare_line_x);
    GString *row = g_string_new(NULL);
    for (guint k = i; k < j; k++) {
      const char *t = ((const KpLine *)g_ptr_array_index(lines, k))->t.text;
      if (row->len > 0 && g_ascii_isalnum(row->str[row->len - 1]) && g_ascii_isalnum(t[0]))
        g_string_append_c(row, ' ');
      g_string_append(row, t);
    }
    g_ptr_array_add(rows, g_string_free(row, FALSE));
    i = j;
  }
  return rows;
}

/* One block of large type on the cover: the topmost line in the largest
 * type among the lines not `used` (outside data tables; not garbled; with
 * two letters at least), with the lines of nearly that size right above
 * and below, rows joined top to bottom.  Marks its lines in `used` and
 * sets *size and *top (the anchor's top as a fraction of the page height).
 * NULL when there is no such line or the block is a paragraph rather than
 * a title (its lines are marked all the same). */
static char *cover_block(const KpPage *page, gboolean *used, double *size, double *top)
{
  GPtrArray *cand = g_ptr_array_new();
  double max = 0;
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (used[i] || is_data_table(page, l->table) || !l->t.has_bbox || l->size <= 0 || line_garbled(l) ||
        letters(l->t.text) < 2)
      continue;
    g_ptr_array_add(cand, l);
    max = MAX(max, l->size);
  }
  /* the anchor: the topmost line in the largest type */
  const KpLine *anchor = NULL;
  for (guint i = 0; i < cand->len; i++) {
    const KpLine *l = g_ptr_array_index(cand, i);
    if (l->size >= max - 0.5 && (anchor == NULL || l->t.bbox[1] < anchor->t.bbox[1]))
      anchor = l;
  }
  if (anchor == NULL) {
    g_ptr_array_unref(cand);
    return NULL;
  }
  /* grow the block by lines of nearly that size within 1.5 lines of it */
  GPtrArray *block = g_ptr_array_new();
  g_ptr_array_add(block, (gpointer)anchor);
  double y0 = anchor->t.bbox[1], y1 = anchor->t.bbox[3];
  gboolean grew = TRUE;
  while (grew && block->len <= 2 * TITLE_MAX_ROWS) {
    grew = FALSE;
    for (guint i = 0; i < cand->len; i++) {
      const KpLine *l = g_ptr_array_index(cand, i);
      if (l->size < 0.85 * max || g_ptr_array_find(block, l, NULL))
        continue;
      if (l->t.bbox[1] > y1 + 1.5 * max || l->t.bbox[3] < y0 - 1.5 * max)
        continue;
      g_ptr_array_add(block, (gpointer)l);
      y0 = MIN(y0, l->t.bbox[1]);
      y1 = MAX(y1, l->t.bbox[3]);
      grew = TRUE;
    }
  }
  for (guint i = 0; i < page->lines->len; i++)
    used[i] = used[i] || g_ptr_array_find(block, g_ptr_array_index(page->lines, i), NULL);
  GPtrArray *rows;
  if (all_vertical(block)) {
    /* 縦書き: columns from right to left */
    g_ptr_array_sort(block, compare_column_pos);
    rows = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < block->len; i++)
      g_ptr_array_add(rows, g_strdup(((const KpLine *)g_ptr_array_index(block, i))->t.text));
  } else {
    rows = join_rows(block);
  }
  GString *title = g_string_new(NULL);
  for (guint i = 0; i < rows->len; i++) {
    const char *r = g_ptr_array_index(rows, i);
    if (title->len > 0 && g_ascii_isalnum(title->str[title->len - 1]) && g_ascii_isalnum(r[0]))
      g_string_append_c(title, ' ');
    g_string_append(title, r);
  }
  char *out = NULL;
  if (rows->len <= TITLE_MAX_ROWS && g_utf8_strlen(title->str, -1) <= TITLE_MAX_CHARS) {
    out = g_strdup(title->str);
    *size = max;
    *top = page->height > 0 ? anchor->t.bbox[1] / page->height : 0;
  }
  g_string_free(title, TRUE);
  g_ptr_array_unref(rows);
  g_ptr_array_unref(block);
  g_ptr_array_unref(cand);
  return out;
}

/* TRUE when `title` names a kind of document: it ends with a document
 * word (…計画, …戦略, …予算書, …一覧表, …だより) or begins with a
 * newsletter's (広報…, 市報…), brackets and a trailing issue number
 * aside.  A headline (令和2年度当初予算成立) or a slogan (森と水と人が織りなす
 * 匠の里) names none: the masthead or the plan's name is the title. */
static gboolean title_names_kind(const char *title)
{
  static const char *const tail[] = {
    "計画", "計画書", "戦略", "ビジョン", "プラン", "構想", "方針", "指針", "大綱", "要綱", "要領", "予算", "予算書",
    "予算案", "決算", "決算書", "報告", "報告書", "白書", "一覧", "一覧表", "概要", "要覧", "統計", "事例",
    "事業", "調書", "資料", "明細書", "説明書", "評価", "便り", "だより", "通信", "広報", "条例", "規則",
    "答申", "提言", "調査", "実績", "状況", "年報", "月報", "計画案", "ガイドライン", "マニュアル", "ガイド",
  };
  static const char *const head[] = { "広報", "市報", "町報", "村報", "区報", "県報", "府報", "都報", "道報" };
  if (title == NULL)
    return FALSE;
  g_autofree char *sq = kp_squeeze(title);
  /* trailing "(案)", "no.546", "第3号": not the kind */
  gsize n = strlen(sq);
  while (n > 0 && (g_ascii_isalnum(sq[n - 1]) || sq[n - 1] == '.' || sq[n - 1] == ')' || sq[n - 1] == '('))
    sq[--n] = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS(tail); i++)
    if (g_str_has_suffix(sq, tail[i]))
      return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(head); i++)
    if (g_str_has_prefix(sq, head[i]))
      return TRUE;
  return FALSE;
}

/* The cover's title: of the blocks of large type on page 1 (largest
 * first, down to COVER_BLOCK_MIN of the largest), the first that names a
 * kind of document (a masthead under a bigger headline), else the
 * largest.  Marks the lines taken in `taken`.  NULL when there is none. */
static char *cover_title(const KpPage *page, gboolean *taken, double *size, double *top)
{
  g_autofree gboolean *used = g_new0(gboolean, MAX(1, page->lines->len));
  g_autofree gboolean *first_lines = NULL;
  char *first = NULL, *out = NULL;
  double first_size = 0, first_top = 0;
  for (int b = 0; b < COVER_BLOCKS && out == NULL; b++) {
    g_autofree gboolean *before = g_memdup2(used, sizeof(gboolean) * MAX(1, page->lines->len));
    double sz = 0, tp = 0;
    char *text = cover_block(page, used, &sz, &tp);
    gboolean any = memcmp(before, used, sizeof(gboolean) * page->lines->len) != 0;
    if (!any)
      break; /* no line left */
    if (text == NULL)
      continue;
    if (first != NULL && sz < COVER_BLOCK_MIN * first_size) {
      g_free(text);
      break;
    }
    /* the lines of this block alone */
    g_autofree gboolean *mine = g_new0(gboolean, MAX(1, page->lines->len));
    for (guint i = 0; i < page->lines->len; i++)
      mine[i] = used[i] && !before[i];
    if (title_names_kind(text)) {
      out = text;
      *size = sz;
      *top = tp;
      memcpy(taken, mine, sizeof(gboolean) * page->lines->len);
    } else if (first == NULL) {
      first = text;
      first_size = sz;
      first_top = tp;
      first_lines = g_steal_pointer(&mine);
    } else {
      g_free(text);
    }
  }
  if (out != NULL) {
    g_free(first);
    return out;
  }
  if (first != NULL) {
    *size = first_size;
    *top = first_top;
    memcpy(taken, first_lines, sizeof(gboolean) * page->lines->len);
  }
  return first;
}

/* TRUE when a PDF's title says something: not empty nor longer than two
 * cover titles, not a file name
 * ("2003 グラフ.indd", "Microsoft Word - 計画.docx"), not an application's
 * placeholder ("無題", "スライド 1", "PowerPoint プレゼンテーション"). */
static gboolean meaningful_title(const char *t)
{
  static const char *const ext[] = { "doc", "docx", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "indd",
                                     "jtd", "jtdc", "txt", "rtf", "ai", "psd", "png", "jpg", "jpeg",
                                     "tif", "tiff", "htm", "html", "odt", "ods", "odp", "csv", "dwg" };
  static const char *const placeholder[] = { "無題", "untitled", "タイトルなし", "document", "スライド",
                                             "powerpoint プレゼンテーション", "microsoft " };
  if (t == NULL || letters(t) < 2 || g_utf8_strlen(t, 4 * TITLE_MAX_CHARS * 4) > 2 * TITLE_MAX_CHARS)
    return FALSE;
  g_autofree char *low = g_utf8_strdown(t, -1);
  g_strstrip(low);
  const char *dot = strrchr(low, '.');
  for (guint i = 0; dot && i < G_N_ELEMENTS(ext); i++)
    if (strcmp(dot + 1, ext[i]) == 0)
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(placeholder); i++)
    if (g_str_has_prefix(low, placeholder[i]))
      return FALSE;
  return TRUE;
}

/* The PDF's title, NULL if absent. */
static const char *metadata_title(const Stream *st)
{
  JsonNode *n = json_object_get_member(st->doc_in, "metadata");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
    return NULL;
  return kk_json_string(json_node_get_object(n), "title", NULL);
}

/* The PDF's title, author and subject, as the gazetteer's metadata. */
static void scan_metadata(KpDocMeta *m, const Stream *st)
{
  JsonNode *n = json_object_get_member(st->doc_in, "metadata");
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n))
    return;
  static const char *const members[] = { "title", "author", "subject" };
  for (guint i = 0; i < G_N_ELEMENTS(members); i++) {
    const char *v = kk_json_string(json_node_get_object(n), members[i], NULL);
    if (v == NULL)
      continue;
    g_autofree char *norm = kk_normalize_text(v, -1, KK_NORMALIZE_REPLACE_INVALID, NULL);
    kk_gazetteer_scan_text(m->gz, norm ? norm : v, KK_GZ_META);
  }
}

/* The stream's built-in metadata, made (with the PDF's metadata read) on
 * first use. */
static KpDocMeta *docmeta(Stream *st)
{
  if (st->meta == NULL) {
    st->meta = g_new0(KpDocMeta, 1);
    st->meta->gz = kk_gazetteer_scan_new();
    st->meta->fy_rank = FY_NONE;
    scan_metadata(st->meta, st);
  }
  return st->meta;
}

/* Offers the fiscal years normalize's annotator finds in `text` (a row of
 * page `page`, or the title) as found at `rank`; kept if no better rank was
 * found before.  A period rank needs 期間 in the text and a range (or two
 * years); a single year counts only as FY_TITLE or FY_COVER_YEAR, and a
 * year only when it says 年度 (a bare 令和2 on a newsletter is its issue
 * date). */
static void offer_years(KpDocMeta *m, const char *text, FyRank rank, int page)
{
  if (rank >= m->fy_rank || text == NULL)
    return;
  gboolean period = rank == FY_COVER_PERIOD || rank == FY_LATER_PERIOD;
  if (period && strstr(text, "期間") == NULL)
    return;
  g_autoptr(GArray) spans = kk_annotate_text(text, -1);
  gint64 y0 = 0, y1 = 0;
  int years = 0;
  /* spans come in text order: walk the text once */
  const char *at = text;
  guint32 at_cp = 0;
  for (guint i = 0; i < spans->len; i++) {
    const KkSpan *sp = &g_array_index(spans, KkSpan, i);
    if (sp->kind == KK_SPAN_FISCAL_YEAR_RANGE) {
      y0 = sp->year;
      y1 = sp->year_to;
      years = 2;
      break;
    }
    if (sp->kind != KK_SPAN_FISCAL_YEAR || sp->start < at_cp)
      continue;
    at = g_utf8_offset_to_pointer(at, sp->start - at_cp);
    const char *stop = g_utf8_offset_to_pointer(at, sp->end - sp->start);
    at_cp = sp->end;
    gboolean nendo = g_strstr_len(at, stop - at, "年度") != NULL;
    at = stop;
    if (!nendo)
      continue;
    if (years++ == 0)
      y0 = sp->year;
    y1 = sp->year;
  }
  gboolean range = years >= 2 && y1 >= y0;
  if ((rank == FY_COVER_PERIOD || rank == FY_COVER_RANGE || rank == FY_LATER_PERIOD) ? !range : years != 1)
    return;
  m->fy_rank = rank;
  m->fy0 = y0;
  m->fy1 = range ? y1 : y0;
  m->fy_page = page;
  g_free(m->fy_text);
  m->fy_text = g_strdup(text);
}

/* Reads one page of the stream (every page, family or not, before the
 * family's rules see it): its lines go to the gazetteer as title, cover,
 * body or data; page 1 gives the cover's title; the first FY_PAGES pages
 * give fiscal-year candidates. */
void kp_docmeta_page(KkParser *p, const KpPage *page)
{
  Stream *st = p->st;
  KpDocMeta *m = docmeta(st);
  gboolean cover = page->no == 1;
  g_autofree gboolean *taken = g_new0(gboolean, MAX(1, page->lines->len));
  if (cover && m->cover_title == NULL)
    m->cover_title = cover_title(page, taken, &m->cover_size, &m->cover_top);
  for (guint i = 0; i < page->lines->len; i++) {
    const KpLine *l = g_ptr_array_index(page->lines, i);
    KkGzWhere where = is_data_table(page, l->table) ? KK_GZ_DATA
                      : taken[i]                    ? KK_GZ_TITLE
                      : cover                       ? KK_GZ_COVER
                                                    : KK_GZ_BODY;
    kk_gazetteer_scan_text(m->gz, l->t.text, where);
  }
  if (page->no > FY_PAGES || m->fy_rank <= FY_COVER_RANGE)
    return;
  /* rows of the text outside data tables, for the years */
  GPtrArray *lines = g_ptr_array_new();
  for (guint i = 0; i < page->lines->len; i++) {
    KpLine *l = g_ptr_array_index(page->lines, i);
    if (!is_data_table(page, l->table) && l->t.has_bbox && !kp_blank(l->t.text))
      g_ptr_array_add(lines, l);
  }
  GPtrArray *rows = join_rows(lines);
  for (guint i = 0; i < rows->len; i++) {
    const char *r = g_ptr_array_index(rows, i);
    if (cover) {
      offer_years(m, r, FY_COVER_PERIOD, page->no);
      offer_years(m, r, FY_COVER_RANGE, page->no);
      if (g_utf8_strlen(r, -1) <= 12)
        offer_years(m, r, FY_COVER_YEAR, page->no);
    } else {
      offer_years(m, r, FY_LATER_PERIOD, page->no);
    }
  }
  g_ptr_array_unref(rows);
  g_ptr_array_unref(lines);
}

/* Sets a document attribute that no [document] rule set. */
static void set_builtin(DocAttr *a, const char *value, int page)
{
  g_free(a->value);
  a->value = value ? g_strdup(value) : NULL;
  a->rule = NULL;
  a->page = page;
}

/* Decides at the end of the stream, where the [document] rules left a gap:
 * title, fiscal years, and municipality, prefecture, lg_code and ward (the
 * rules' municipality and prefecture are the gazetteer's strongest
 * evidence, or stay as read when the list does not know them). */
void kp_docmeta_finish(KkParser *p)
{
  Stream *st = p->st;
  KpDocMeta *m = docmeta(st);

  /* title: a rule's, else the cover's near the top, else a meaningful PDF
   * title, else the cover's wherever it stands; a rule's or the cover's
   * title that names no kind of document (a slogan, a headline) yields to
   * a meaningful PDF title that does */
  const char *meta = metadata_title(st);
  gboolean meta_ok = meaningful_title(meta);
  g_autofree char *meta_norm = meta_ok ? kk_normalize_text(meta, -1, KK_NORMALIZE_REPLACE_INVALID, NULL) : NULL;
  g_autofree char *meta_text = meta_ok ? kp_value_text(meta_norm ? meta_norm : meta) : NULL;
  gboolean meta_better = meta_ok && title_names_kind(meta_text);
  g_clear_pointer(&m->title_from, g_free);
  if (st->title.value != NULL && (!meta_better || title_names_kind(st->title.value))) {
    m->title_from = g_strdup("a [document] rule");
  } else if (st->title.value != NULL) {
    set_builtin(&st->title, meta_text, 0);
    m->title_from = g_strdup("the PDF's title (the rule's title names no kind of document; this one does)");
  } else if (m->cover_title != NULL && (m->cover_top <= 0.5 || !meta_ok) &&
             (!meta_better || title_names_kind(m->cover_title))) {
    set_builtin(&st->title, m->cover_title, 1);
    m->title_from = g_strdup_printf("the cover's large type (%gpt)", m->cover_size);
  } else if (meta_ok) {
    set_builtin(&st->title, meta_text, 0);
    m->title_from = g_strdup(m->cover_title == NULL ? "the PDF's title (no title on the cover)"
                             : m->cover_top > 0.5 ? "the PDF's title (the cover's large type stands low on the page)"
                                                  : "the PDF's title (the cover's names no kind of document; this one does)");
  } else {
    m->title_from = g_strdup("none: no title on the cover and no meaningful PDF title");
  }

  /* fiscal years: a rule's period, else the best of cover, title, period line */
  if (st->title.value != NULL)
    offer_years(m, st->title.value, FY_TITLE, 1);
  if (st->fy_start <= 0 && m->fy_rank != FY_NONE) {
    st->fy_start = m->fy0;
    st->fy_end = m->fy1;
  }

  /* the local government: every mention, and the rules' say; a name a
   * rule read that the list does not know (a made-up city) stays as read */
  gboolean amb = FALSE;
  if (st->municipality.value != NULL &&
      kk_lgcode_lookup(st->municipality.value, st->prefecture.value, &amb) == NULL && !amb &&
      kk_lgcode_lookup(st->municipality.value, NULL, &amb) == NULL && !amb) {
    m->where.why = g_strdup_printf("%s, as a [document] rule read it, is not in the list of local governments: "
                                   "kept, without lg_code", st->municipality.value);
    return;
  }
  if (st->municipality.value != NULL || st->prefecture.value != NULL) {
    /* 福岡県 + 小郡市 read as 福岡県小郡市: the prefecture qualifies the city */
    g_autofree char *said = g_strconcat(st->prefecture.value ? st->prefecture.value : "",
                                        st->municipality.value ? st->municipality.value : "", NULL);
    kk_gazetteer_scan_text(m->gz, said, KK_GZ_RULE);
  }
  kk_gazetteer_resolve(m->gz, &m->where);
  const KkGzResult *r = &m->where;
  if ((r->verdict == KK_GZ_NONE || r->verdict == KK_GZ_AMBIGUOUS) && st->municipality.value == NULL &&
      p->given_place != NULL) {
    /* the document names no municipality (nor its prefecture as its own
     * author): the user said which */
    const KkLgCode *g = p->given_place;
    g_autofree char *why = g_strdup_printf("%s (%s), given by --municipality: the document names no "
                                           "municipality of its own (%s)", g->name, g->lg_code,
                                           r->why ? r->why : "");
    set_builtin(&st->municipality, g->name, 0);
    set_builtin(&st->prefecture, g->prefecture, 0);
    m->lg_code = g_strdup(g->lg_code);
    kk_gz_result_clear(&m->where);
    m->where.why = g_steal_pointer(&why);
    return;
  }
  const char *muni = r->verdict == KK_GZ_MUNICIPALITY ? r->place->name : NULL;
  set_builtin(&st->municipality, muni, 0);
  set_builtin(&st->prefecture, r->prefecture ? r->prefecture->name : NULL, 0);
  if (r->verdict == KK_GZ_MUNICIPALITY || r->verdict == KK_GZ_PREFECTURE)
    m->lg_code = g_strdup(r->place->lg_code);
  if (r->ward != NULL)
    m->ward = g_strdup(r->ward->name);
}

/* Adds lg_code and ward (or nulls) to the records' document object. */
void kp_docmeta_set_members(KkParser *p, JsonObject *o)
{
  KpDocMeta *m = p->st->meta;
  kp_set_string_or_null(o, "lg_code", m ? m->lg_code : NULL);
  kp_set_string_or_null(o, "ward", m ? m->ward : NULL);
}

/* --explain: the document record and how each part of it was found. */
void kp_docmeta_explain(KkParser *p)
{
  Stream *st = p->st;
  KpDocMeta *m = st->meta;
  kp_explain(p, "document: title=%s municipality=%s%s%s prefecture=%s lg_code=%s fiscal=%" G_GINT64_FORMAT
             "-%" G_GINT64_FORMAT "\n",
             st->title.value ? st->title.value : "(none)",
             st->municipality.value ? st->municipality.value : "(none)", m && m->ward ? " ward=" : "",
             m && m->ward ? m->ward : "", st->prefecture.value ? st->prefecture.value : "(none)",
             m && m->lg_code ? m->lg_code : "(none)", st->fy_start, st->fy_end);
  DocAttr *attrs[] = { &st->title, &st->municipality, &st->prefecture, &st->period };
  const char *names[] = { "title", "municipality", "prefecture", "period" };
  for (int i = 0; i < 4; i++)
    if (attrs[i]->rule) {
      g_autofree char *w = kp_where(attrs[i]->rule);
      kp_explain(p, "  %-12s rule: p%d by %s\n", names[i], attrs[i]->page, w);
    }
  if (m == NULL)
    return;
  kp_explain(p, "  %-12s %s\n", "title", m->title_from ? m->title_from : "");
  kp_explain(p, "  %-12s %s\n", "place", m->where.why ? m->where.why : "");
  if (st->period.rule == NULL && m->fy_rank != FY_NONE && st->fy_start == m->fy0)
    kp_explain(p, "  %-12s %s, p%d: %s\n", "fiscal years", fy_rank_name[m->fy_rank], m->fy_page, m->fy_text);
  else if (st->period.rule == NULL)
    kp_explain(p, "  %-12s none on the cover, the title or a plan-period line\n", "fiscal years");
}
