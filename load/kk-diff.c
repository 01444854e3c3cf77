/* kk-diff.c — see kk-diff.h */
#include "kk-diff.h"
#include "kk-db.h"
#include "kk-editions.h"
#include "common/kk-error.h"

#include <string.h>

const char *kk_change_name(KkChangeKind kind)
{
  switch (kind) {
  case KK_CHANGE_ADDED: return "added";
  case KK_CHANGE_REMOVED: return "removed";
  case KK_CHANGE_RENUMBERED: return "renumbered";
  case KK_CHANGE_CHANGED: return "changed";
  }
  return "?";
}

void kk_change_free(KkChange *c)
{
  if (c == NULL)
    return;
  g_free(c->item_no);
  g_free(c->old_item_no);
  g_free(c->title);
  g_free(c->field);
  g_free(c->old_value);
  g_free(c->new_value);
  g_free(c);
}

/* One fact of an item (or of a table): its value and page; `table` the
 * table's title for a table fact, else NULL. */
typedef struct {
  char *value, *table;
  gint64 page;
} Fact;

static void fact_free(Fact *f)
{
  g_free(f->value);
  g_free(f->table);
  g_free(f);
}

/* An item of one edition with its facts (key → Fact, keys in order). */
typedef struct {
  gint64 id, page;
  char *item_no, *title, *department;
  GHashTable *facts;
  GPtrArray *keys;
} Item;

static void item_free(Item *it)
{
  g_free(it->item_no);
  g_free(it->title);
  g_free(it->department);
  g_hash_table_unref(it->facts);
  g_ptr_array_unref(it->keys);
  g_free(it);
}

/* Adds a fact; a second value under one key is appended on a new line. */
static void add_fact(Item *it, char *key, const char *value, gint64 page)
{
  Fact *f = g_hash_table_lookup(it->facts, key);
  if (f != NULL) {
    char *joined = g_strconcat(f->value ? f->value : "", "\n", value ? value : "", NULL);
    g_free(f->value);
    f->value = joined;
    g_free(key);
    return;
  }
  f = g_new0(Fact, 1);
  f->value = g_strdup(value);
  f->page = page;
  g_hash_table_insert(it->facts, key, f);
  g_ptr_array_add(it->keys, key);
}

/* The facts of every item of a document: each query gives item_id, key
 * parts, value, page; `make_key` turns a row into the key. */
typedef char *(*MakeKey)(sqlite3_stmt *st);

static char *key_field(sqlite3_stmt *st)
{
  return g_strdup_printf("field:%s", sqlite3_column_text(st, 1));
}
static char *key_schedule(sqlite3_stmt *st)
{
  return g_strdup_printf("schedule:%s:%s", sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
}
static char *key_measure(sqlite3_stmt *st)
{
  return g_strdup_printf("measure:%s:%s:%s", sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                         sqlite3_column_text(st, 3));
}
static char *key_achievement(sqlite3_stmt *st)
{
  return g_strdup_printf("achievement:%s", sqlite3_column_text(st, 1));
}
static char *key_budget(sqlite3_stmt *st)
{
  return g_strdup_printf("budget:%s", sqlite3_column_text(st, 1));
}

static const struct {
  const char *sql; /* ?1 the document; columns: item_id, key parts…, value, page */
  int parts;
  MakeKey key;
} fact_queries[] = {
  { "SELECT f.item_id, f.label, f.value, b.page FROM item_fields f JOIN items i ON i.id = f.item_id"
    " LEFT JOIN kk_boxes b ON b.tbl = 'item_fields' AND b.row_id = f.rowid"
    " WHERE i.document_id = ?1 ORDER BY f.rowid", 1, key_field },
  { "SELECT s.item_id, s.fiscal_year, s.kind, s.text, b.page FROM schedules s JOIN items i ON i.id = s.item_id"
    " LEFT JOIN kk_boxes b ON b.tbl = 'schedules' AND b.row_id = s.rowid"
    " WHERE i.document_id = ?1 ORDER BY s.fiscal_year, s.kind, s.rowid", 2, key_schedule },
  { "SELECT m.item_id, m.role, m.label, m.fiscal_year, coalesce(m.raw, m.value || coalesce(m.unit, '')), m.page"
    " FROM measures m WHERE m.document_id = ?1 AND m.item_id IS NOT NULL ORDER BY m.id", 3, key_measure },
  { "SELECT a.item_id, a.fiscal_year, printf('%g', a.rate), b.page FROM achievements a JOIN items i ON i.id = a.item_id"
    " LEFT JOIN kk_boxes b ON b.tbl = 'achievements' AND b.row_id = a.rowid"
    " WHERE i.document_id = ?1 ORDER BY a.fiscal_year, a.rowid", 1, key_achievement },
  { "SELECT u.item_id, u.fiscal_year, u.total, b.page FROM budgets u JOIN items i ON i.id = u.item_id"
    " LEFT JOIN kk_boxes b ON b.tbl = 'budgets' AND b.row_id = u.rowid"
    " WHERE i.document_id = ?1 ORDER BY u.fiscal_year, u.rowid", 1, key_budget },
};

/* The items of document `doc` in order, with their facts. */
static GPtrArray *read_edition(sqlite3 *db, gint64 doc, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT id, item_no, title, department, category, page FROM items WHERE document_id = ?1 ORDER BY id", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64(st, 1, doc);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    Item *it = g_new0(Item, 1);
    it->id = sqlite3_column_int64(st, 0);
    it->item_no = g_strdup((const char *)sqlite3_column_text(st, 1));
    it->title = g_strdup((const char *)sqlite3_column_text(st, 2));
    it->page = sqlite3_column_int64(st, 5);
    it->department = g_strdup((const char *)sqlite3_column_text(st, 3));
    it->facts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)fact_free);
    it->keys = g_ptr_array_new();
    add_fact(it, g_strdup("title"), it->title, it->page);
    add_fact(it, g_strdup("department"), (const char *)sqlite3_column_text(st, 3), it->page);
    add_fact(it, g_strdup("category"), (const char *)sqlite3_column_text(st, 4), it->page);
    g_ptr_array_add(items, it);
    g_hash_table_insert(by_id, &it->id, it);
  }
  if (rc != SQLITE_DONE) {
    kk_db_fail(db, "read items", error);
    return NULL;
  }
  for (gsize q = 0; q < G_N_ELEMENTS(fact_queries); q++) {
    g_autoptr(sqlite3_stmt) fq = kk_db_prepare(db, fact_queries[q].sql, error);
    if (fq == NULL)
      return NULL;
    sqlite3_bind_int64(fq, 1, doc);
    int value_col = 1 + fact_queries[q].parts;
    while ((rc = sqlite3_step(fq)) == SQLITE_ROW) {
      gint64 item_id = sqlite3_column_int64(fq, 0);
      Item *it = g_hash_table_lookup(by_id, &item_id);
      if (it == NULL)
        continue;
      gint64 page = sqlite3_column_type(fq, value_col + 1) == SQLITE_NULL ? it->page
                                                                         : sqlite3_column_int64(fq, value_col + 1);
      add_fact(it, fact_queries[q].key(fq), (const char *)sqlite3_column_text(fq, value_col), page);
    }
    if (rc != SQLITE_DONE) {
      kk_db_fail(db, "read item facts", error);
      return NULL;
    }
  }
  return g_steal_pointer(&items);
}

static KkChange *change_new(KkChangeKind kind, const Item *old, const Item *new)
{
  KkChange *c = g_new0(KkChange, 1);
  c->kind = kind;
  const Item *named = new ? new : old;
  c->item_no = g_strdup(named->item_no);
  c->old_item_no = old ? g_strdup(old->item_no) : NULL;
  c->title = g_strdup(named->title);
  c->old_page = old ? old->page : 0;
  c->new_page = new ? new->page : 0;
  return c;
}

/* A field whose value is just the item's number, title or department
 * (APNo., 取組名, 担当課) changes with them: reported once, as those. */
static gboolean echoes_item(const char *key, const Fact *o, const Fact *n, const Item *old, const Item *new)
{
  if (!g_str_has_prefix(key, "field:") || o == NULL || n == NULL)
    return FALSE;
  return (g_strcmp0(o->value, old->item_no) == 0 && g_strcmp0(n->value, new->item_no) == 0) ||
         (g_strcmp0(o->value, old->title) == 0 && g_strcmp0(n->value, new->title) == 0) ||
         (g_strcmp0(o->value, old->department) == 0 && g_strcmp0(n->value, new->department) == 0);
}

/* The changes of one kept item, in the new edition's key order, then the
 * old edition's keys that are gone. */
static void diff_item(const Item *old, const Item *new, GPtrArray *out)
{
  if (g_strcmp0(old->item_no, new->item_no) != 0) {
    KkChange *c = change_new(KK_CHANGE_RENUMBERED, old, new);
    c->field = g_strdup("item_no");
    c->old_value = g_strdup(old->item_no);
    c->new_value = g_strdup(new->item_no);
    g_ptr_array_add(out, c);
  }
  for (guint pass = 0; pass < 2; pass++) {
    const Item *side = pass == 0 ? new : old;
    for (guint k = 0; k < side->keys->len; k++) {
      const char *key = g_ptr_array_index(side->keys, k);
      const Fact *o = g_hash_table_lookup(old->facts, key), *n = g_hash_table_lookup(new->facts, key);
      if (pass == 1 && n != NULL)
        continue; /* seen in pass 0 */
      if ((o ? o->value : NULL) == NULL && (n ? n->value : NULL) == NULL)
        continue;
      if (o && n && g_strcmp0(o->value, n->value) == 0)
        continue;
      if (echoes_item(key, o, n, old, new))
        continue;
      KkChange *c = change_new(KK_CHANGE_CHANGED, old, new);
      c->field = g_strdup(key);
      c->old_value = o ? g_strdup(o->value) : NULL;
      c->new_value = n ? g_strdup(n->value) : NULL;
      c->old_page = o ? o->page : old->page;
      c->new_page = n ? n->page : new->page;
      g_ptr_array_add(out, c);
    }
  }
}

/* The table facts of document `doc` under keys "fact:TABLE:ROW:COLUMN:YEAR"
 * (TABLE the table's title, else "#N", its position among the document's
 * tables by page; missing parts empty), in document order, each worth its
 * value and unit (the text as written when the value is NULL), in the
 * facts of a holder Item; two facts under one key are joined (add_fact).
 * NULL with `error` set on a database error. */
static Item *read_table_facts(sqlite3 *db, gint64 doc, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT coalesce(t.title, '#' || t.pos), coalesce(f.row_label, ''), coalesce(f.column_label, ''),"
      " coalesce(f.fiscal_year, ''), coalesce(f.value || coalesce(f.unit, ''), f.raw), f.page, t.title"
      " FROM (SELECT id, title, page, row_number() OVER (ORDER BY page, id) AS pos"
      "       FROM tables WHERE document_id = ?1) t JOIN table_facts f ON f.table_id = t.id"
      " ORDER BY t.pos, f.id", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64(st, 1, doc);
  Item *holder = g_new0(Item, 1);
  holder->facts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)fact_free);
  holder->keys = g_ptr_array_new();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char *key = g_strdup_printf("fact:%s:%s:%s:%s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                                sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
    add_fact(holder, key, (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5));
    Fact *f = g_hash_table_lookup(holder->facts, key);
    if (f->table == NULL)
      f->table = g_strdup((const char *)sqlite3_column_text(st, 6));
  }
  if (rc != SQLITE_DONE) {
    item_free(holder);
    kk_db_fail(db, "read table facts", error);
    return NULL;
  }
  return holder;
}

/* The table facts added, removed and changed from `old` to `new`
 * (read_table_facts): new keys in order, then old keys gone.  item_no is
 * NULL; title is the table's title (NULL for an untitled table). */
static void diff_table_facts(const Item *old, const Item *new, GPtrArray *out)
{
  for (guint pass = 0; pass < 2; pass++) {
    const Item *side = pass == 0 ? new : old;
    for (guint k = 0; k < side->keys->len; k++) {
      const char *key = g_ptr_array_index(side->keys, k);
      const Fact *o = g_hash_table_lookup(old->facts, key), *n = g_hash_table_lookup(new->facts, key);
      if ((pass == 1 && n != NULL) || (o && n && g_strcmp0(o->value, n->value) == 0))
        continue;
      KkChange *c = g_new0(KkChange, 1);
      c->kind = o == NULL ? KK_CHANGE_ADDED : n == NULL ? KK_CHANGE_REMOVED : KK_CHANGE_CHANGED;
      c->title = g_strdup(n ? n->table : o->table);
      c->field = g_strdup(key);
      c->old_value = o ? g_strdup(o->value) : NULL;
      c->new_value = n ? g_strdup(n->value) : NULL;
      c->old_page = o ? o->page : 0;
      c->new_page = n ? n->page : 0;
      g_ptr_array_add(out, c);
    }
  }
}

GPtrArray *kk_diff_documents(sqlite3 *db, gint64 old_doc, gint64 new_doc, GError **error)
{
  g_autoptr(GPtrArray) old = read_edition(db, old_doc, error);
  if (old == NULL)
    return NULL;
  g_autoptr(GPtrArray) new = read_edition(db, new_doc, error);
  if (new == NULL)
    return NULL;
  g_autofree const char **on = g_new0(const char *, old->len + 1), **ot = g_new0(const char *, old->len + 1);
  g_autofree const char **nn = g_new0(const char *, new->len + 1), **nt = g_new0(const char *, new->len + 1);
  for (guint i = 0; i < old->len; i++) {
    on[i] = ((Item *)g_ptr_array_index(old, i))->item_no;
    ot[i] = ((Item *)g_ptr_array_index(old, i))->title;
  }
  for (guint j = 0; j < new->len; j++) {
    nn[j] = ((Item *)g_ptr_array_index(new, j))->item_no;
    nt[j] = ((Item *)g_ptr_array_index(new, j))->title;
  }
  g_autofree int *old_of_new = g_new(int, new->len + 1);
  kk_match_items(on, ot, old->len, nn, nt, new->len, old_of_new);
  g_autofree gboolean *kept = g_new0(gboolean, old->len + 1);
  for (guint j = 0; j < new->len; j++)
    if (old_of_new[j] >= 0)
      kept[old_of_new[j]] = TRUE;
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)kk_change_free);
  for (guint i = 0; i < old->len; i++)
    if (!kept[i])
      g_ptr_array_add(out, change_new(KK_CHANGE_REMOVED, g_ptr_array_index(old, i), NULL));
  for (guint j = 0; j < new->len; j++) {
    if (old_of_new[j] < 0)
      g_ptr_array_add(out, change_new(KK_CHANGE_ADDED, NULL, g_ptr_array_index(new, j)));
    else
      diff_item(g_ptr_array_index(old, (guint)old_of_new[j]), g_ptr_array_index(new, j), out);
  }
  Item *old_facts = read_table_facts(db, old_doc, error);
  Item *new_facts = old_facts ? read_table_facts(db, new_doc, error) : NULL;
  if (new_facts == NULL) {
    if (old_facts)
      item_free(old_facts);
    g_ptr_array_unref(out);
    return NULL;
  }
  diff_table_facts(old_facts, new_facts, out);
  item_free(old_facts);
  item_free(new_facts);
  return out;
}
