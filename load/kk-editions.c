/* kk-editions.c — see kk-editions.h */
#include "kk-editions.h"
#include "kk-db.h"
#include "common/kk-error.h"

#include <stdlib.h>
#include <string.h>

/* ---- title similarity ---------------------------------------------------- */

static int compare_u64(const void *a, const void *b)
{
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return x < y ? -1 : x > y;
}

/* The sorted character bigrams of `s` (white space left out); *n their
 * count.  A string of one character gives that character as one "bigram". */
static guint64 *bigrams(const char *s, glong *n)
{
  glong len = 0;
  gunichar *u = g_utf8_to_ucs4_fast(s ? s : "", -1, &len);
  glong k = 0;
  for (glong i = 0; i < len; i++)
    if (!g_unichar_isspace(u[i]))
      u[k++] = u[i];
  guint64 *b = g_new(guint64, k > 1 ? k - 1 : 1);
  *n = 0;
  if (k == 1)
    b[(*n)++] = u[0];
  for (glong i = 0; i + 1 < k; i++)
    b[(*n)++] = ((guint64)u[i] << 32) | u[i + 1];
  qsort(b, (size_t)*n, sizeof *b, compare_u64);
  g_free(u);
  return b;
}

double kk_title_similarity(const char *a, const char *b)
{
  glong na, nb;
  g_autofree guint64 *ba = bigrams(a, &na);
  g_autofree guint64 *bb = bigrams(b, &nb);
  if (na + nb == 0)
    return 1.0;
  glong i = 0, j = 0, common = 0;
  while (i < na && j < nb) {
    if (ba[i] == bb[j]) { common++; i++; j++; }
    else if (ba[i] < bb[j]) i++;
    else j++;
  }
  return 2.0 * (double)common / (double)(na + nb);
}

/* ---- plan titles and edition words ---------------------------------------- */

/* Edition words inside brackets (at most 40 characters before them, which
 * also bounds the backtracking), the brackets removed with them. */
#define BRACKETED "\\s*[（(【〔［\\[]([^）)】〕］\\]]{0,40}?(?:反映版|改訂版|改定版|素案|原案|案|第[0-9]+版|版))[）)】〕］\\]]\\s*"
/* Edition words without brackets. */
#define BARE "\\s*((?:(?:令和|平成)\\s*(?:[0-9]+|元)\\s*年度?\\s*)?(?:実績)?反映版|" \
             "(?:(?:令和|平成)\\s*(?:[0-9]+|元)\\s*年度?\\s*)?(?:改訂|改定)版|素案|第[0-9]+版)\\s*"
/* 案 ending a plan's name (計画案, プラン案) */
#define TRAILING_AN "(?<=計画|プラン|大綱|方針|戦略|指針|ビジョン)(案)$"

static GRegex *regex(const char *pattern)
{
  /* compiled once; the patterns are constants, so failing is a bug */
  GRegex *re = g_regex_new(pattern, G_REGEX_OPTIMIZE, 0, NULL);
  g_assert(re != NULL);
  return re;
}

/* Year named by edition words ("令和4年度実績反映版" → 2022), or 0. */
static int label_year(const char *label)
{
  static GRegex *re;
  if (g_once_init_enter(&re))
    g_once_init_leave(&re, regex("(令和|平成)\\s*([0-9]+|元)"));
  g_autoptr(GMatchInfo) m = NULL;
  if (!g_regex_match(re, label, 0, &m))
    return 0;
  g_autofree char *era = g_match_info_fetch(m, 1), *num = g_match_info_fetch(m, 2);
  int n = strcmp(num, "元") == 0 ? 1 : atoi(num);
  return (strcmp(era, "令和") == 0 ? 2018 : 1988) + n;
}

static int label_stage(const char *label)
{
  if (label == NULL)
    return 2;
  if (strstr(label, "素案") || strstr(label, "原案"))
    return 0;
  if (strstr(label, "反映") || strstr(label, "改訂") || strstr(label, "改定") || strstr(label, "版"))
    return 3;
  return strstr(label, "案") ? 1 : 2;
}

char *kk_plan_title(const char *title, char **label, int *year, int *stage)
{
  static GRegex *res[3];
  if (g_once_init_enter(&res[0])) {
    res[1] = regex(BARE);
    res[2] = regex(TRAILING_AN);
    g_once_init_leave(&res[0], regex(BRACKETED));
  }
  if (label)
    *label = NULL;
  if (year)
    *year = 0;
  if (stage)
    *stage = 2;
  if (title == NULL)
    return NULL;
  g_autofree char *plan = g_strdup(title);
  g_autoptr(GString) words = g_string_new(NULL);
  for (int r = 0; r < 3; r++) {
    g_autoptr(GMatchInfo) m = NULL;
    for (g_regex_match(res[r], plan, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
      g_autofree char *w = g_match_info_fetch(m, 1);
      g_string_append(words, w);
    }
    char *rest = g_regex_replace_literal(res[r], plan, -1, 0, "", 0, NULL);
    if (rest != NULL) {
      g_free(plan);
      plan = rest;
    }
  }
  g_strstrip(plan);
  if (words->len > 0) {
    if (year)
      *year = label_year(words->str);
    if (stage)
      *stage = label_stage(words->str);
    if (label)
      *label = g_strdup(words->str);
  }
  return g_steal_pointer(&plan);
}

/* ---- matching items ------------------------------------------------------- */

typedef struct {
  double sim;
  guint i, j;
} Pair;

static int compare_pairs(const void *a, const void *b)
{
  const Pair *x = a, *y = b;
  if (x->sim != y->sim)
    return x->sim > y->sim ? -1 : 1;
  guint dx = x->i > x->j ? x->i - x->j : x->j - x->i, dy = y->i > y->j ? y->i - y->j : y->j - y->i;
  if (dx != dy)
    return dx < dy ? -1 : 1;
  return x->j != y->j ? (x->j < y->j ? -1 : 1) : (x->i < y->i ? -1 : x->i > y->i);
}

#define MAX_TITLE_PAIRS 4000000u

void kk_match_items(const char *const *old_nos, const char *const *old_titles, guint n_old,
                    const char *const *new_nos, const char *const *new_titles, guint n_new,
                    int *old_of_new)
{
  g_autofree gboolean *used = g_new0(gboolean, n_old ? n_old : 1);
  for (guint j = 0; j < n_new; j++)
    old_of_new[j] = -1;
  /* 1: the same number and alike titles */
  g_autoptr(GHashTable) by_no = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint j = n_new; j-- > 0;)
    if (new_nos[j] && *new_nos[j])
      g_hash_table_insert(by_no, (gpointer)new_nos[j], GUINT_TO_POINTER(j + 1));
  for (guint i = 0; i < n_old; i++) {
    if (!old_nos[i] || !*old_nos[i])
      continue;
    guint j1 = GPOINTER_TO_UINT(g_hash_table_lookup(by_no, old_nos[i]));
    if (j1 == 0 || old_of_new[j1 - 1] >= 0)
      continue;
    if (kk_title_similarity(old_titles[i], new_titles[j1 - 1]) >= KK_EDITIONS_SAME_NO_SIMILARITY) {
      old_of_new[j1 - 1] = (int)i;
      used[i] = TRUE;
    }
  }
  /* 2: the most alike titles among the rest (renumbered items) */
  guint left_old = 0, left_new = 0;
  for (guint i = 0; i < n_old; i++)
    left_old += !used[i];
  for (guint j = 0; j < n_new; j++)
    left_new += old_of_new[j] < 0;
  if (left_old == 0 || left_new == 0 || (guint64)left_old * left_new > MAX_TITLE_PAIRS)
    return;
  g_autoptr(GArray) pairs = g_array_new(FALSE, FALSE, sizeof(Pair));
  for (guint i = 0; i < n_old; i++) {
    if (used[i])
      continue;
    for (guint j = 0; j < n_new; j++) {
      if (old_of_new[j] >= 0)
        continue;
      Pair p = { kk_title_similarity(old_titles[i], new_titles[j]), i, j };
      if (p.sim >= KK_EDITIONS_RENUMBERED_SIMILARITY)
        g_array_append_val(pairs, p);
    }
  }
  g_array_sort(pairs, compare_pairs);
  for (guint k = 0; k < pairs->len; k++) {
    const Pair *p = &g_array_index(pairs, Pair, k);
    if (used[p->i] || old_of_new[p->j] >= 0)
      continue;
    used[p->i] = TRUE;
    old_of_new[p->j] = (int)p->i;
  }
}

/* ---- kk_editions and kk_item_lineage --------------------------------------- */

typedef struct {
  gint64 id;
  int year, stage;
  char *label, *plan_title;
} Doc;

static void doc_free(Doc *d)
{
  g_free(d->label);
  g_free(d->plan_title);
  g_free(d);
}

static gint compare_docs(gconstpointer a, gconstpointer b)
{
  const Doc *x = *(Doc *const *)a, *y = *(Doc *const *)b;
  if (x->year != y->year)
    return x->year < y->year ? -1 : 1;
  if (x->stage != y->stage)
    return x->stage < y->stage ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Items of document `id`: ids, numbers, titles (parallel arrays). */
typedef struct {
  GArray *ids;
  GPtrArray *nos, *titles;
} Items;

static gboolean read_items(sqlite3_stmt *st, gint64 doc, Items *it, GError **error)
{
  it->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
  it->nos = g_ptr_array_new_with_free_func(g_free);
  it->titles = g_ptr_array_new_with_free_func(g_free);
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, doc);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64(st, 0);
    g_array_append_val(it->ids, id);
    g_ptr_array_add(it->nos, g_strdup((const char *)sqlite3_column_text(st, 1)));
    g_ptr_array_add(it->titles, g_strdup((const char *)sqlite3_column_text(st, 2)));
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(sqlite3_db_handle(st), "read items", error);
  return TRUE;
}

static void items_clear(Items *it)
{
  if (it->ids) g_array_unref(it->ids);
  if (it->nos) g_ptr_array_unref(it->nos);
  if (it->titles) g_ptr_array_unref(it->titles);
  memset(it, 0, sizeof *it);
}

/* Writes one plan's editions (docs in publication order) and lineages. */
static gboolean write_plan(sqlite3 *db, GPtrArray *docs, sqlite3_stmt *items_st, sqlite3_stmt *ed_st,
                           sqlite3_stmt *lin_st, GError **error)
{
  g_ptr_array_sort(docs, compare_docs);
  gint64 plan_id = ((Doc *)g_ptr_array_index(docs, 0))->id;
  Items prev = { 0 };
  g_autoptr(GArray) prev_lineage = NULL;
  gboolean ok = TRUE;
  for (guint e = 0; ok && e < docs->len; e++) {
    Doc *d = g_ptr_array_index(docs, e);
    sqlite3_reset(ed_st);
    sqlite3_bind_int64(ed_st, 1, d->id);
    sqlite3_bind_int64(ed_st, 2, plan_id);
    kk_db_bind_text(ed_st, 3, d->plan_title);
    sqlite3_bind_int64(ed_st, 4, e + 1);
    kk_db_bind_text(ed_st, 5, d->label);
    if (sqlite3_step(ed_st) != SQLITE_DONE) {
      ok = kk_db_fail(db, "write kk_editions", error);
      break;
    }
    Items cur = { 0 };
    if (!(ok = read_items(items_st, d->id, &cur, error))) {
      items_clear(&cur);
      break;
    }
    g_autofree int *old_of_new = g_new(int, cur.ids->len ? cur.ids->len : 1);
    if (prev.ids)
      kk_match_items((const char *const *)prev.nos->pdata, (const char *const *)prev.titles->pdata, prev.ids->len,
                     (const char *const *)cur.nos->pdata, (const char *const *)cur.titles->pdata, cur.ids->len,
                     old_of_new);
    else
      for (guint j = 0; j < cur.ids->len; j++)
        old_of_new[j] = -1;
    GArray *lineage = g_array_sized_new(FALSE, FALSE, sizeof(gint64), cur.ids->len);
    for (guint j = 0; ok && j < cur.ids->len; j++) {
      gint64 l = old_of_new[j] >= 0 ? g_array_index(prev_lineage, gint64, old_of_new[j])
                                    : g_array_index(cur.ids, gint64, j);
      g_array_append_val(lineage, l);
      sqlite3_reset(lin_st);
      sqlite3_bind_int64(lin_st, 1, g_array_index(cur.ids, gint64, j));
      sqlite3_bind_int64(lin_st, 2, l);
      if (sqlite3_step(lin_st) != SQLITE_DONE)
        ok = kk_db_fail(db, "write kk_item_lineage", error);
    }
    items_clear(&prev);
    prev = cur;
    if (prev_lineage)
      g_array_unref(prev_lineage);
    prev_lineage = lineage;
  }
  items_clear(&prev);
  return ok;
}

/* Bytes of the first page looked at for edition words missing from the title. */
#define FIRST_PAGE_BYTES 4000

gboolean kk_editions_refresh(sqlite3 *db, GError **error)
{
  /* inside the caller's transaction (merge), or in one of its own */
  gboolean own = sqlite3_get_autocommit(db);
  if (own && !kk_db_begin_write(db, error))
    return FALSE;
  g_autoptr(sqlite3_stmt) docs_st = NULL, items_st = NULL, ed_st = NULL, lin_st = NULL;
  g_autoptr(GHashTable) plans = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new(); /* plan keys, first seen first */
  if (!kk_db_exec(db, "DELETE FROM kk_item_lineage; DELETE FROM kk_editions;", error) ||
      !(docs_st = kk_db_prepare(db,
          "SELECT d.id, d.municipality, d.family, d.title, d.fiscal_start,"
          " (SELECT substr(p.text, 1, " G_STRINGIFY(FIRST_PAGE_BYTES) ") FROM pages p"
          "  WHERE p.document_id = d.id ORDER BY p.page_no LIMIT 1)"
          " FROM documents d ORDER BY d.id", error)) ||
      !(items_st = kk_db_prepare(db, "SELECT id, item_no, title FROM items WHERE document_id = ?1 ORDER BY id", error)) ||
      !(ed_st = kk_db_prepare(db, "INSERT INTO kk_editions(document_id, plan_id, plan_title, edition_no, edition_label)"
                                  " VALUES (?,?,?,?,?)", error)) ||
      !(lin_st = kk_db_prepare(db, "INSERT INTO kk_item_lineage(item_id, lineage_id) VALUES (?,?)", error)))
    goto fail;
  int rc;
  while ((rc = sqlite3_step(docs_st)) == SQLITE_ROW) {
    Doc *d = g_new0(Doc, 1);
    d->id = sqlite3_column_int64(docs_st, 0);
    const char *title = (const char *)sqlite3_column_text(docs_st, 3);
    d->plan_title = kk_plan_title(title, &d->label, &d->year, &d->stage);
    if (d->label == NULL && sqlite3_column_type(docs_st, 5) == SQLITE_TEXT) {
      /* edition words on the cover rather than in the title */
      g_autofree char *cover = g_utf8_make_valid((const char *)sqlite3_column_text(docs_st, 5), -1);
      g_autofree char *rest = kk_plan_title(cover, &d->label, &d->year, &d->stage);
      if (d->label && !strstr(d->label, "反映") && !strstr(d->label, "改訂") && !strstr(d->label, "改定") &&
          !strstr(d->label, "案")) {
        g_clear_pointer(&d->label, g_free);
        d->year = 0;
        d->stage = 2;
      }
    }
    if (d->year == 0)
      d->year = sqlite3_column_int(docs_st, 4);
    char *key = d->plan_title
        ? g_strdup_printf("%s\x1f%s\x1f%s", sqlite3_column_text(docs_st, 1) ? (const char *)sqlite3_column_text(docs_st, 1) : "",
                          sqlite3_column_text(docs_st, 2) ? (const char *)sqlite3_column_text(docs_st, 2) : "", d->plan_title)
        : g_strdup_printf("#%" G_GINT64_FORMAT, d->id);
    GPtrArray *list = g_hash_table_lookup(plans, key);
    if (list == NULL) {
      list = g_ptr_array_new_with_free_func((GDestroyNotify)doc_free);
      g_hash_table_insert(plans, key, list);
      g_ptr_array_add(order, key);
    } else {
      g_free(key);
    }
    g_ptr_array_add(list, d);
  }
  if (rc != SQLITE_DONE) {
    kk_db_fail(db, "read documents", error);
    goto fail;
  }
  for (guint p = 0; p < order->len; p++)
    if (!write_plan(db, g_hash_table_lookup(plans, g_ptr_array_index(order, p)), items_st, ed_st, lin_st, error))
      goto fail;
  return own ? kk_db_commit(db, error) : TRUE;
fail:
  if (own)
    kk_db_rollback(db);
  return FALSE;
}

gboolean kk_editions_stale(sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT (SELECT count(*) FROM documents) <> (SELECT count(*) FROM kk_editions)", NULL);
  return st == NULL || sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 0;
}
