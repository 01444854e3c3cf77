/* kk-merge.c — see kk-merge.h */
#include "kk-merge.h"
#include "kk-db.h"
#include "kk-editions.h"
#include "common/kk-error.h"

#include <string.h>
#include <sys/stat.h>

/* One table whose rows belong to a document, as OUT's schema has it. */
typedef struct {
  char *name;
  GPtrArray *columns;  /* char *, in table order */
  GArray *ref;         /* int per column: index of the table its foreign key
                          names (its rowid), -1 when not a reference */
  int pk;              /* column that is the rowid (INTEGER PRIMARY KEY), -1 */
  int tbl_col, row_col;/* a (tbl, row_id) pair naming a row of any table
                          (kk_boxes), -1 when absent */
  gint64 offset;       /* OUT's largest rowid before the current shard */
  GHashTable *skipped; /* shard rowids of rows left out (their document was in OUT) */
  sqlite3_stmt *insert;
} Table;

static void table_free(Table *t)
{
  g_free(t->name);
  g_ptr_array_unref(t->columns);
  g_array_unref(t->ref);
  if (t->skipped)
    g_hash_table_unref(t->skipped);
  sqlite3_finalize(t->insert);
  g_free(t);
}

static int find_table(GPtrArray *tables, const char *name)
{
  for (guint i = 0; i < tables->len; i++)
    if (g_strcmp0(((Table *)g_ptr_array_index(tables, i))->name, name) == 0)
      return (int)i;
  return -1;
}

/* A foreign key of a table under discovery: column → parent table. */
typedef struct {
  char *from, *parent, *to;
} Fk;

static void fk_free(Fk *fk)
{
  g_free(fk->from);
  g_free(fk->parent);
  g_free(fk->to);
  g_free(fk);
}

/* Reads the column names of `table` in database `db` (schema "main"). */
static GPtrArray *read_columns(sqlite3 *db, const char *table, int *pk, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
  GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
  int pks = 0, pk_col = -1;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (sqlite3_column_int(st, 2) > 0) {
      pks++;
      if (g_ascii_strcasecmp((const char *)sqlite3_column_text(st, 1), "INTEGER") == 0)
        pk_col = (int)cols->len;
    }
    g_ptr_array_add(cols, g_strdup((const char *)sqlite3_column_text(st, 0)));
  }
  if (rc != SQLITE_DONE) {
    g_ptr_array_unref(cols);
    kk_db_fail(db, "read table columns", error);
    return NULL;
  }
  if (pk)
    *pk = pks == 1 ? pk_col : -1;
  return cols;
}

/* Finds the tables of OUT whose rows belong to a document: `documents` and
 * every table with a foreign key to one of them, parents before children
 * (the order rows can be inserted in with foreign keys on). */
static GPtrArray *discover(sqlite3 *db, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT l.name, f.\"from\", f.\"table\", f.\"to\", l.wr FROM pragma_table_list l"
      " LEFT JOIN pragma_foreign_key_list(l.name) f"
      " WHERE l.schema = 'main' AND l.type = 'table' AND l.name NOT LIKE 'sqlite_%'"
      " ORDER BY l.name", error);
  if (st == NULL)
    return NULL;
  g_autoptr(GHashTable) fks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GHashTable) without_rowid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    GPtrArray *list = g_hash_table_lookup(fks, name);
    if (list == NULL) {
      list = g_ptr_array_new_with_free_func((GDestroyNotify)fk_free);
      g_hash_table_insert(fks, g_strdup(name), list);
    }
    if (sqlite3_column_int(st, 4))
      g_hash_table_add(without_rowid, g_strdup(name));
    if (sqlite3_column_type(st, 1) == SQLITE_NULL)
      continue;
    Fk *fk = g_new0(Fk, 1);
    fk->from = g_strdup((const char *)sqlite3_column_text(st, 1));
    fk->parent = g_strdup((const char *)sqlite3_column_text(st, 2));
    fk->to = g_strdup((const char *)sqlite3_column_text(st, 3));
    g_ptr_array_add(list, fk);
  }
  if (rc != SQLITE_DONE) {
    kk_db_fail(db, "read schema", error);
    return NULL;
  }
  GPtrArray *tables = g_ptr_array_new_with_free_func((GDestroyNotify)table_free);
  /* repeatedly place the tables all of whose parents are placed (and at
   * least one of them belongs to a document) */
  for (gboolean added = TRUE; added;) {
    added = FALSE;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, fks);
    while (g_hash_table_iter_next(&it, &key, &value)) {
      const char *name = key;
      GPtrArray *list = value;
      if (find_table(tables, name) >= 0)
        continue;
      gboolean belongs = strcmp(name, "documents") == 0, ready = TRUE;
      for (guint i = 0; i < list->len; i++) {
        const Fk *fk = g_ptr_array_index(list, i);
        if (strcmp(fk->parent, name) == 0)
          continue;
        if (find_table(tables, fk->parent) >= 0)
          belongs = TRUE;
        else
          ready = FALSE;
      }
      if (!belongs || !ready)
        continue;
      if (g_hash_table_contains(without_rowid, name)) {
        g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "table %s has no rowid: cannot merge it", name);
        g_ptr_array_unref(tables);
        return NULL;
      }
      Table *t = g_new0(Table, 1);
      t->name = g_strdup(name);
      t->tbl_col = t->row_col = -1;
      g_ptr_array_add(tables, t);
      if ((t->columns = read_columns(db, name, &t->pk, error)) == NULL) {
        t->ref = g_array_new(FALSE, TRUE, sizeof(int));
        g_ptr_array_unref(tables);
        return NULL;
      }
      t->ref = g_array_sized_new(FALSE, FALSE, sizeof(int), t->columns->len);
      for (guint c = 0; c < t->columns->len; c++) {
        const char *col = g_ptr_array_index(t->columns, c);
        int ref = (int)c == t->pk ? (int)tables->len - 1 : -1;
        for (guint i = 0; i < list->len; i++) {
          const Fk *fk = g_ptr_array_index(list, i);
          if (strcmp(fk->from, col) == 0)
            ref = find_table(tables, fk->parent);
        }
        g_array_append_val(t->ref, ref);
        if (strcmp(col, "tbl") == 0)
          t->tbl_col = (int)c;
        if (strcmp(col, "row_id") == 0)
          t->row_col = (int)c;
      }
      if (t->tbl_col < 0 || t->row_col < 0)
        t->tbl_col = t->row_col = -1;
      added = TRUE;
    }
  }
  /* a foreign key must name its parent's rowid, the only key remapped */
  for (guint i = 0; i < tables->len; i++) {
    Table *t = g_ptr_array_index(tables, i);
    GPtrArray *list = g_hash_table_lookup(fks, t->name);
    for (guint k = 0; k < list->len; k++) {
      const Fk *fk = g_ptr_array_index(list, k);
      int p = find_table(tables, fk->parent);
      Table *parent = p >= 0 ? g_ptr_array_index(tables, p) : NULL;
      if (parent == NULL || (fk->to != NULL && (parent->pk < 0 ||
          strcmp(fk->to, g_ptr_array_index(parent->columns, (guint)parent->pk)) != 0))) {
        g_set_error(error, KK_ERROR, KK_ERROR_DATABASE,
                    "foreign key %s.%s does not name the rowid of %s: cannot merge it",
                    t->name, fk->from, fk->parent);
        g_ptr_array_unref(tables);
        return NULL;
      }
    }
  }
  if (find_table(tables, "documents") != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "no documents table");
    g_ptr_array_unref(tables);
    return NULL;
  }
  return tables;
}

/* Reads one integer (or 0 for NULL) from `sql`. */
static gboolean query_int(sqlite3 *db, const char *sql, gint64 *value, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, sql, error);
  if (st == NULL)
    return FALSE;
  if (sqlite3_step(st) != SQLITE_ROW)
    return kk_db_fail(db, sql, error);
  *value = sqlite3_column_int64(st, 0);
  return TRUE;
}

/* TRUE when the shard's table has the same columns as OUT's. */
static gboolean same_columns(sqlite3 *shard, const Table *t, GError **error)
{
  g_autoptr(GPtrArray) cols = read_columns(shard, t->name, NULL, error);
  if (cols == NULL)
    return FALSE;
  gboolean same = cols->len == t->columns->len;
  for (guint c = 0; same && c < cols->len; c++)
    same = strcmp(g_ptr_array_index(cols, c), g_ptr_array_index(t->columns, c)) == 0;
  if (!same)
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "table %s has other columns than in the output", t->name);
  return same;
}

/* Prepares "INSERT INTO t(rowid?, cols…) VALUES (…)" on OUT. */
static gboolean prepare_insert(sqlite3 *out, Table *t, GError **error)
{
  if (t->insert)
    return TRUE;
  g_autoptr(GString) sql = g_string_new(NULL);
  char *q = sqlite3_mprintf("INSERT INTO \"%w\"(", t->name);
  g_string_append(sql, q);
  sqlite3_free(q);
  guint n = t->columns->len;
  if (t->pk < 0) {
    g_string_append(sql, "rowid,");
    n++;
  }
  for (guint c = 0; c < t->columns->len; c++) {
    q = sqlite3_mprintf("%s\"%w\"", c ? "," : "", (const char *)g_ptr_array_index(t->columns, c));
    g_string_append(sql, q);
    sqlite3_free(q);
  }
  g_string_append(sql, ") VALUES (");
  for (guint c = 0; c < n; c++)
    g_string_append(sql, c ? ",?" : "?");
  g_string_append(sql, ")");
  t->insert = kk_db_prepare(out, sql->str, error);
  return t->insert != NULL;
}

/* Whether the shard row `row` (columns from 1; 0 is its rowid) is left out:
 * a document already in OUT, or a row of one. */
static gboolean row_skipped(GPtrArray *tables, const Table *t, sqlite3_stmt *row, sqlite3_stmt *known)
{
  if (t == g_ptr_array_index(tables, 0)) {
    int sha = -1;
    for (guint c = 0; c < t->columns->len; c++)
      if (strcmp(g_ptr_array_index(t->columns, c), "sha256") == 0)
        sha = (int)c;
    sqlite3_reset(known);
    sqlite3_bind_value(known, 1, sqlite3_column_value(row, sha + 1));
    return sqlite3_step(known) == SQLITE_ROW;
  }
  for (guint c = 0; c < t->columns->len; c++) {
    int r = g_array_index(t->ref, int, c);
    if (r < 0 || sqlite3_column_type(row, (int)c + 1) != SQLITE_INTEGER)
      continue;
    const Table *parent = g_ptr_array_index(tables, (guint)r);
    if (parent == t)
      continue;
    gint64 v = sqlite3_column_int64(row, (int)c + 1);
    if (parent->skipped && g_hash_table_contains(parent->skipped, &v))
      return TRUE;
  }
  return FALSE;
}

/* Copies every row of table `t` from the shard into OUT, shifted. */
static gboolean copy_table(sqlite3 *out, sqlite3 *shard, GPtrArray *tables, Table *t,
                           KkMergeStats *stats, GError **error)
{
  char *sql = sqlite3_mprintf("SELECT rowid, * FROM \"%w\" ORDER BY rowid", t->name);
  g_autoptr(sqlite3_stmt) rows = kk_db_prepare(shard, sql, error);
  sqlite3_free(sql);
  g_autoptr(sqlite3_stmt) known = NULL;
  if (rows == NULL || !prepare_insert(out, t, error))
    return FALSE;
  if (t == g_ptr_array_index(tables, 0) &&
      (known = kk_db_prepare(out, "SELECT 1 FROM documents WHERE sha256 = ?1", error)) == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
    gint64 rowid = sqlite3_column_int64(rows, 0);
    if (row_skipped(tables, t, rows, known)) {
      if (t->skipped == NULL)
        t->skipped = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_add(t->skipped, g_memdup2(&rowid, sizeof rowid));
      if (t == g_ptr_array_index(tables, 0))
        stats->documents_skipped++;
      continue;
    }
    sqlite3_stmt *ins = t->insert;
    sqlite3_reset(ins);
    int p = 1;
    if (t->pk < 0)
      sqlite3_bind_int64(ins, p++, rowid + t->offset);
    for (guint c = 0; c < t->columns->len; c++, p++) {
      int col = (int)c + 1;
      int r = g_array_index(t->ref, int, c);
      if ((int)c == t->row_col && sqlite3_column_type(rows, col) == SQLITE_INTEGER) {
        int target = find_table(tables, (const char *)sqlite3_column_text(rows, t->tbl_col + 1));
        if (target < 0) {
          g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s row %" G_GINT64_FORMAT " names unknown table %s",
                      t->name, rowid, sqlite3_column_text(rows, t->tbl_col + 1));
          return FALSE;
        }
        r = target;
      }
      if (r >= 0 && sqlite3_column_type(rows, col) == SQLITE_INTEGER)
        sqlite3_bind_int64(ins, p, sqlite3_column_int64(rows, col) +
                                   ((Table *)g_ptr_array_index(tables, (guint)r))->offset);
      else
        sqlite3_bind_value(ins, p, sqlite3_column_value(rows, col));
    }
    if (sqlite3_step(ins) != SQLITE_DONE) {
      g_autofree char *what = g_strdup_printf("insert into %s", t->name);
      return kk_db_fail(out, what, error);
    }
    stats->rows++;
    if (t == g_ptr_array_index(tables, 0))
      stats->documents_added++;
  }
  if (rc != SQLITE_DONE)
    return kk_db_fail(shard, "read shard", error);
  return TRUE;
}

/* TRUE when the two paths are one file. */
static gboolean same_file(const char *a, const char *b)
{
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Merges one opened shard (inside OUT's transaction). */
static gboolean merge_shard(sqlite3 *out, sqlite3 *shard, GPtrArray *tables, KkMergeStats *stats,
                            GError **error)
{
  for (guint i = 0; i < tables->len; i++) {
    Table *t = g_ptr_array_index(tables, i);
    if (!same_columns(shard, t, error))
      return FALSE;
    char *sql = sqlite3_mprintf("SELECT coalesce(max(rowid), 0) FROM \"%w\"", t->name);
    gboolean ok = query_int(out, sql, &t->offset, error);
    sqlite3_free(sql);
    if (!ok)
      return FALSE;
    if (t->skipped)
      g_hash_table_remove_all(t->skipped);
  }
  if (!kk_db_exec(shard, "BEGIN", error))
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < tables->len; i++)
    ok = copy_table(out, shard, tables, g_ptr_array_index(tables, i), stats, error);
  kk_db_rollback(shard);
  return ok;
}

gboolean kk_merge(sqlite3 *out, const char *out_path, const char *const *shards,
                  KkMergeStats *stats, GError **error)
{
  memset(stats, 0, sizeof *stats);
  g_autoptr(GPtrArray) tables = discover(out, error);
  if (tables == NULL)
    return FALSE;
  gint64 units_before = 0;
  if (!query_int(out, "SELECT coalesce(max(id), 0) FROM kk_search_units", &units_before, error))
    return FALSE;
  g_autoptr(sqlite3_stmt) index = NULL;
  if (!kk_db_begin_write(out, error))
    return FALSE;
  for (const char *const *s = shards; *s != NULL; s++) {
    g_autoptr(GError) local = NULL;
    if (same_file(*s, out_path)) {
      g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: is the output database", *s);
      goto fail;
    }
    /* read-only: refuses a file without keikaku's schema or of another version */
    sqlite3 *shard = kk_db_open(*s, KK_DB_READ_ONLY, &local);
    gboolean ok = shard != NULL && merge_shard(out, shard, tables, stats, &local);
    kk_db_close(shard);
    if (!ok) {
      if (shard == NULL)
        g_propagate_error(error, g_steal_pointer(&local));
      else
        g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: %s", *s, local->message);
      goto fail;
    }
  }
  /* the new units into the FTS index, all in one statement (see index_units in kk-load.c) */
  index = kk_db_prepare(out,
      "INSERT INTO kk_search_fts(rowid, text) SELECT id, text FROM kk_search_content WHERE id > ?1", error);
  if (index == NULL)
    goto fail;
  sqlite3_bind_int64(index, 1, units_before);
  if (sqlite3_step(index) != SQLITE_DONE) {
    kk_db_fail(out, "index search text", error);
    goto fail;
  }
  /* editions of one plan may come from different shards */
  if (!kk_editions_refresh(out, error))
    goto fail;
  return kk_db_commit(out, error);
fail:
  kk_db_rollback(out);
  return FALSE;
}
