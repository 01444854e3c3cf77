/* kk-load.c — see kk-load.h */
#include "kk-load.h"
#include "kk-load-check.h"
#include "kk-db.h"
#include "common/kk-lgcode.h"
#include "kk-load-tables.h"
#include "kk-zlib.h"
#include "common/kk-error.h"
#include "common/kk-jsonl.h"

#include <math.h>
#include <string.h>

/* Most records one document may have (a 1,000-page plan is far below). */
#define MAX_RECORDS 4000000u

const char *kk_load_outcome_name(KkLoadOutcome outcome)
{
  switch (outcome) {
  case KK_LOAD_LOADED: return "loaded";
  case KK_LOAD_UNCHANGED: return "unchanged";
  case KK_LOAD_REPROCESSED: return "reprocessed";
  }
  return "?";
}

/* The prepared statements of one document write, finalized together. */
enum {
  ST_ITEM, ST_FIELD, ST_SCHEDULE, ST_ACHIEVEMENT, ST_MEASURE, ST_SERIES, ST_BUDGET,
  ST_MEETING, ST_PAGE, ST_UNIT, ST_INDEX, ST_BOX, ST_EXTRACTED, N_ST
};
static const char *const statement_sql[N_ST] = {
  [ST_ITEM] = "INSERT INTO items(document_id, item_no, title, department, category, page) VALUES (?,?,?,?,?,?)",
  [ST_FIELD] = "INSERT INTO item_fields(item_id, label, value) VALUES (?,?,?)",
  [ST_SCHEDULE] = "INSERT INTO schedules(item_id, fiscal_year, kind, text) VALUES (?,?,?,?)",
  [ST_ACHIEVEMENT] = "INSERT INTO achievements(item_id, fiscal_year, rate) VALUES (?,?,?)",
  [ST_MEASURE] = "INSERT INTO measures(document_id, item_id, label, role, value, unit, fiscal_year, raw, page) VALUES (?,?,?,?,?,?,?,?,?)",
  [ST_SERIES] = "INSERT INTO series(document_id, table_title, row_label, fiscal_year, value, unit, page) VALUES (?,?,?,?,?,?,?)",
  [ST_BUDGET] = "INSERT INTO budgets(item_id, fiscal_year, total, national, prefectural, bonds, other, general_fund) VALUES (?,?,?,?,?,?,?,?)",
  [ST_MEETING] = "INSERT INTO meetings(document_id, title, held_on, place, attendees) VALUES (?,?,?,?,?)",
  [ST_PAGE] = "INSERT INTO pages(document_id, page_no, text) VALUES (?,?,?)",
  [ST_UNIT] = "INSERT INTO kk_search_units(document_id, kind, item_id, page_no, text, table_id) VALUES (?,?,?,?,?,?)",
  /* the FTS index of the units ?1…?2, in one statement (see index_units) */
  [ST_INDEX] = "INSERT INTO kk_search_fts(rowid, text) SELECT id, text FROM kk_search_content"
               " WHERE id BETWEEN ?1 AND ?2",
  [ST_BOX] = "INSERT OR REPLACE INTO kk_boxes(tbl, row_id, document_id, page, x0, y0, x1, y1) VALUES (?,?,?,?,?,?,?,?)",
  [ST_EXTRACTED] = "INSERT INTO kk_extracted_pages(document_id, seq, json) VALUES (?,?,?)",
};

typedef struct {
  sqlite3 *db;
  gint64 doc_id;
  sqlite3_stmt *st[N_ST];
  GHashTable *items; /* key (owned) -> gint64 * items.id */
  gint64 unindexed_first, unindexed_last; /* search units not yet in the FTS index (0: none) */
  guint index;       /* of the record being written, for messages */
  guint orphans;     /* schedules/achievements/budgets without an item, skipped */
  KkTableWriter *tables; /* table and fact records (kk-load-tables.c), made on first use */
} Writer;

static void writer_clear(Writer *w)
{
  for (int i = 0; i < N_ST; i++)
    sqlite3_finalize(w->st[i]);
  if (w->items)
    g_hash_table_unref(w->items);
  kk_table_writer_free(w->tables);
}

/* Returns the prepared statement `which`, resetting it for reuse. */
static sqlite3_stmt *stmt(Writer *w, int which, GError **error)
{
  if (w->st[which] == NULL) {
    w->st[which] = kk_db_prepare(w->db, statement_sql[which], error);
    return w->st[which];
  }
  sqlite3_reset(w->st[which]);
  sqlite3_clear_bindings(w->st[which]);
  return w->st[which];
}

/* Steps an INSERT; returns its rowid (> 0) or 0 with `error` set. */
static gint64 insert(Writer *w, sqlite3_stmt *st, const char *what, GError **error)
{
  if (sqlite3_step(st) != SQLITE_DONE) {
    kk_db_fail(w->db, what, error);
    return 0;
  }
  return sqlite3_last_insert_rowid(w->db);
}

static gboolean bad_record(Writer *w, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean bad_record(Writer *w, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "record %u: %s", w->index + 1, msg);
  return FALSE;
}

/* Binds a JSON number member as an integer when it is one, else a real;
 * absent, null, non-numeric or non-finite values bind NULL. */
static void bind_number(sqlite3_stmt *st, int index, JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member(o, member);
  if (n != NULL && JSON_NODE_HOLDS_VALUE(n)) {
    GType t = json_node_get_value_type(n);
    if (t == G_TYPE_INT64) {
      sqlite3_bind_int64(st, index, json_node_get_int(n));
      return;
    }
    if (t == G_TYPE_DOUBLE && isfinite(json_node_get_double(n))) {
      sqlite3_bind_double(st, index, json_node_get_double(n));
      return;
    }
  }
  sqlite3_bind_null(st, index);
}

/* Binds an integer member (money in yen, page numbers); NULL when absent. */
static void bind_int(sqlite3_stmt *st, int index, JsonObject *o, const char *member)
{
  gint64 v = kk_json_int(o, member, G_MININT64);
  if (v == G_MININT64)
    sqlite3_bind_null(st, index);
  else
    sqlite3_bind_int64(st, index, v);
}

/* Binds fiscal_year: a Gregorian year in a plausible range, else NULL. */
static void bind_fiscal_year(sqlite3_stmt *st, int index, JsonObject *o)
{
  gint64 y = kk_json_int(o, "fiscal_year", 0);
  if (y >= 1868 && y <= 2200)
    sqlite3_bind_int64(st, index, y);
  else
    sqlite3_bind_null(st, index);
}

/* The page of a record: a positive integer or NULL. */
static void bind_page(sqlite3_stmt *st, int index, JsonObject *o)
{
  gint64 p = kk_json_int(o, "page", 0);
  if (p > 0)
    sqlite3_bind_int64(st, index, p);
  else
    sqlite3_bind_null(st, index);
}

/* Records where on its page the row `row_id` of `tbl` came from. */
static gboolean add_box(Writer *w, const char *tbl, gint64 row_id, JsonObject *o, GError **error)
{
  double bb[4];
  if (!kk_json_bbox(o, "bbox", bb))
    return TRUE;
  sqlite3_stmt *st = stmt(w, ST_BOX, error);
  if (st == NULL)
    return FALSE;
  kk_db_bind_text(st, 1, tbl);
  sqlite3_bind_int64(st, 2, row_id);
  sqlite3_bind_int64(st, 3, w->doc_id);
  bind_page(st, 4, o);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_double(st, 5 + i, bb[i]);
  return insert(w, st, "insert box", error) > 0;
}

/* Puts the search units written since the last call into the FTS index.
 *
 * Why not a trigger per unit (schema version 2 had one): FTS5 flushes its
 * pending terms to a new index segment at every statement savepoint, and
 * nearly every INSERT of a document opens one, so a unit indexed by its
 * own statement became a segment of its own, merged again and again — a
 * third of the writer's instructions.  The units of one transaction have
 * consecutive rowids (rowid = max + 1, and this connection holds the write
 * lock), so one INSERT … SELECT indexes them all (add_unit keeps the range
 * to rowids it made): called before the commit. */
static gboolean index_units(Writer *w, GError **error)
{
  if (w->unindexed_first <= 0)
    return TRUE;
  sqlite3_stmt *st = stmt(w, ST_INDEX, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->unindexed_first);
  sqlite3_bind_int64(st, 2, w->unindexed_last);
  if (sqlite3_step(st) != SQLITE_DONE)
    return kk_db_fail(w->db, "index search text", error);
  w->unindexed_first = w->unindexed_last = 0;
  return TRUE;
}

/* Adds one search unit: an item or a table with its text, or a page
 * (whose text, not empty, is read from the pages table through
 * kk_search_content).  `owner_id` is the items.id of an item, the
 * tables.id of a table.  index_units() puts it into the FTS index later. */
static gboolean add_unit(Writer *w, const char *kind, gint64 owner_id, gint64 page, const char *text,
                         GError **error)
{
  if (text == NULL || *text == '\0')
    return TRUE;
  if (strcmp(kind, "page") == 0)
    text = "";
  sqlite3_stmt *st = stmt(w, ST_UNIT, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->doc_id);
  kk_db_bind_text(st, 2, kind);
  gboolean table = strcmp(kind, "table") == 0;
  if (owner_id > 0)
    sqlite3_bind_int64(st, table ? 6 : 3, owner_id);
  if (page > 0)
    sqlite3_bind_int64(st, 4, page);
  else
    sqlite3_bind_null(st, 4);
  kk_db_bind_text(st, 5, text);
  gint64 id = insert(w, st, "insert search text", error);
  if (id <= 0)
    return FALSE;
  /* the range holds only rowids this writer made, one after the other
   * (SQLite takes random free rowids once the largest is used: then
   * each unit is indexed on its own) */
  if (w->unindexed_first > 0 && id != w->unindexed_last + 1 && !index_units(w, error))
    return FALSE;
  if (w->unindexed_first <= 0)
    w->unindexed_first = id;
  w->unindexed_last = id;
  return TRUE;
}

/* The items.id named by a record's "item" member: 0 for a null/absent item
 * (counted in w->orphans when the record needs one: the caller skips it,
 * as the public tables cannot place it), -1 (error set) for a key no item
 * of this document has. */
static gint64 item_ref(Writer *w, JsonObject *o, gboolean required, GError **error)
{
  const char *key = kk_json_string(o, "item", NULL);
  if (key == NULL) {
    if (required)
      w->orphans++;
    return 0;
  }
  gint64 *id = g_hash_table_lookup(w->items, key);
  if (id == NULL) {
    bad_record(w, error, "names item \"%s\", which no earlier item record has", key);
    return -1;
  }
  return *id;
}

static gboolean write_item(Writer *w, JsonObject *o, GError **error)
{
  const char *key = kk_json_string(o, "key", NULL);
  if (key == NULL)
    return bad_record(w, error, "item without \"key\"");
  if (g_hash_table_contains(w->items, key))
    return bad_record(w, error, "duplicate item key \"%s\"", key);
  sqlite3_stmt *st = stmt(w, ST_ITEM, error);
  if (st == NULL)
    return FALSE;
  const char *title = kk_json_string(o, "title", NULL);
  const char *department = kk_json_string(o, "department", NULL);
  const char *category = kk_json_string(o, "category", NULL);
  sqlite3_bind_int64(st, 1, w->doc_id);
  kk_db_bind_text(st, 2, kk_json_string(o, "item_no", NULL));
  kk_db_bind_text(st, 3, title);
  kk_db_bind_text(st, 4, department);
  kk_db_bind_text(st, 5, category);
  bind_page(st, 6, o);
  gint64 id = insert(w, st, "insert item", error);
  if (id == 0 || !add_box(w, "items", id, o, error))
    return FALSE;
  gint64 *stored = g_new(gint64, 1);
  *stored = id;
  g_hash_table_insert(w->items, g_strdup(key), stored);

  /* The item's search text: its headings and every labelled field. */
  g_autoptr(GString) text = g_string_new(NULL);
  const char *heads[] = { kk_json_string(o, "item_no", NULL), title, department, category };
  for (gsize i = 0; i < G_N_ELEMENTS(heads); i++)
    if (heads[i] && *heads[i])
      g_string_append_printf(text, "%s%s", text->len ? "\n" : "", heads[i]);
  JsonArray *fields = kk_json_array(o, "fields");
  guint n = fields ? json_array_get_length(fields) : 0;
  for (guint i = 0; i < n; i++) {
    JsonNode *fn = json_array_get_element(fields, i);
    if (!JSON_NODE_HOLDS_OBJECT(fn))
      return bad_record(w, error, "item \"%s\": field %u is not an object", key, i + 1);
    JsonObject *f = json_node_get_object(fn);
    const char *label = kk_json_string(f, "label", NULL);
    if (label == NULL)
      return bad_record(w, error, "item \"%s\": field %u has no label", key, i + 1);
    const char *value = kk_json_string(f, "value", NULL);
    sqlite3_stmt *fs = stmt(w, ST_FIELD, error);
    if (fs == NULL)
      return FALSE;
    sqlite3_bind_int64(fs, 1, id);
    kk_db_bind_text(fs, 2, label);
    kk_db_bind_text(fs, 3, value);
    gint64 fid = insert(w, fs, "insert item field", error);
    if (fid == 0 || !add_box(w, "item_fields", fid, f, error))
      return FALSE;
    g_string_append_printf(text, "\n%s: %s", label, value ? value : "");
  }
  return add_unit(w, "item", id, kk_json_int(o, "page", 0), text->str, error);
}

static gboolean write_schedule(Writer *w, JsonObject *o, GError **error)
{
  gint64 item = item_ref(w, o, TRUE, error);
  if (item <= 0)
    return item == 0;
  const char *kind = kk_json_string(o, "kind", NULL);
  if (kind == NULL || (strcmp(kind, "plan") != 0 && strcmp(kind, "actual") != 0))
    return bad_record(w, error, "schedule kind must be \"plan\" or \"actual\"");
  sqlite3_stmt *st = stmt(w, ST_SCHEDULE, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, item);
  bind_fiscal_year(st, 2, o);
  kk_db_bind_text(st, 3, kind);
  kk_db_bind_text(st, 4, kk_json_string(o, "text", NULL));
  gint64 id = insert(w, st, "insert schedule", error);
  return id > 0 && add_box(w, "schedules", id, o, error);
}

static gboolean write_achievement(Writer *w, JsonObject *o, GError **error)
{
  gint64 item = item_ref(w, o, TRUE, error);
  if (item <= 0)
    return item == 0;
  sqlite3_stmt *st = stmt(w, ST_ACHIEVEMENT, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, item);
  bind_fiscal_year(st, 2, o);
  bind_number(st, 3, o, "rate");
  gint64 id = insert(w, st, "insert achievement", error);
  return id > 0 && add_box(w, "achievements", id, o, error);
}

static gboolean write_measure(Writer *w, JsonObject *o, GError **error)
{
  static const char *const roles[] = { "target", "baseline", "actual", "limit", "plan" };
  gint64 item = item_ref(w, o, FALSE, error);
  if (item < 0)
    return FALSE;
  const char *role = kk_json_string(o, "role", NULL);
  gboolean role_ok = FALSE;
  for (gsize i = 0; role && i < G_N_ELEMENTS(roles); i++)
    role_ok = role_ok || strcmp(role, roles[i]) == 0;
  if (!role_ok)
    return bad_record(w, error, "measure role must be target, baseline, actual, limit or plan");
  sqlite3_stmt *st = stmt(w, ST_MEASURE, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->doc_id);
  if (item > 0)
    sqlite3_bind_int64(st, 2, item);
  else
    sqlite3_bind_null(st, 2);
  kk_db_bind_text(st, 3, kk_json_string(o, "label", NULL));
  kk_db_bind_text(st, 4, role);
  bind_number(st, 5, o, "value");
  kk_db_bind_text(st, 6, kk_json_string(o, "unit", NULL));
  bind_fiscal_year(st, 7, o);
  kk_db_bind_text(st, 8, kk_json_string(o, "raw", NULL));
  bind_page(st, 9, o);
  gint64 id = insert(w, st, "insert measure", error);
  return id > 0 && add_box(w, "measures", id, o, error);
}

static gboolean write_series(Writer *w, JsonObject *o, GError **error)
{
  sqlite3_stmt *st = stmt(w, ST_SERIES, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->doc_id);
  kk_db_bind_text(st, 2, kk_json_string(o, "table_title", NULL));
  kk_db_bind_text(st, 3, kk_json_string(o, "row_label", NULL));
  bind_fiscal_year(st, 4, o);
  bind_number(st, 5, o, "value");
  kk_db_bind_text(st, 6, kk_json_string(o, "unit", NULL));
  bind_page(st, 7, o);
  gint64 id = insert(w, st, "insert series", error);
  return id > 0 && add_box(w, "series", id, o, error);
}

static gboolean write_budget(Writer *w, JsonObject *o, GError **error)
{
  static const char *const money[] = { "total", "national", "prefectural", "bonds", "other", "general_fund" };
  gint64 item = item_ref(w, o, TRUE, error);
  if (item <= 0)
    return item == 0;
  sqlite3_stmt *st = stmt(w, ST_BUDGET, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, item);
  bind_fiscal_year(st, 2, o);
  for (gsize i = 0; i < G_N_ELEMENTS(money); i++)
    bind_int(st, 3 + (int)i, o, money[i]);
  gint64 id = insert(w, st, "insert budget", error);
  return id > 0 && add_box(w, "budgets", id, o, error);
}

static gboolean write_meeting(Writer *w, JsonObject *o, GError **error)
{
  sqlite3_stmt *st = stmt(w, ST_MEETING, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->doc_id);
  kk_db_bind_text(st, 2, kk_json_string(o, "title", NULL));
  kk_db_bind_text(st, 3, kk_json_string(o, "held_on", NULL));
  kk_db_bind_text(st, 4, kk_json_string(o, "place", NULL));
  kk_db_bind_text(st, 5, kk_json_string(o, "attendees", NULL));
  gint64 id = insert(w, st, "insert meeting", error);
  return id > 0 && add_box(w, "meetings", id, o, error);
}

/* Writes a page record (kk-load-check.c has made sure that its number is
 * one of the document's pages and that no page comes twice). */
static gboolean write_page(Writer *w, JsonObject *o, GError **error)
{
  gint64 page = kk_json_int(o, "page", 0);
  const char *text = kk_json_string(o, "text", "");
  sqlite3_stmt *st = stmt(w, ST_PAGE, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, w->doc_id);
  sqlite3_bind_int64(st, 2, page);
  kk_db_bind_text(st, 3, text);
  if (insert(w, st, "insert page", error) == 0)
    return FALSE;
  return add_unit(w, "page", 0, page, text, error);
}

/* A table (its cells searchable as one unit) or a fact. */
static gboolean write_table_record(Writer *w, JsonObject *o, GError **error)
{
  if (w->tables == NULL)
    w->tables = kk_table_writer_new(w->db, w->doc_id);
  if (strcmp(kk_json_string(o, "type", ""), "fact") == 0)
    return kk_table_writer_fact(w->tables, o, error);
  gint64 id = 0;
  g_autofree char *text = NULL;
  if (!kk_table_writer_table(w->tables, o, &id, &text, error))
    return FALSE;
  return add_unit(w, "table", id, kk_json_int(o, "page", 0), text, error);
}

/* Writes one record other than document/end; unknown types are skipped
 * (a newer parse may emit kinds this load does not know). */
static gboolean write_record(Writer *w, JsonObject *o, GError **error)
{
  const char *type = kk_json_string(o, "type", NULL);
  if (type == NULL)
    return bad_record(w, error, "no \"type\"");
  if (strcmp(type, "page") == 0) return write_page(w, o, error);
  if (strcmp(type, "item") == 0) return write_item(w, o, error);
  if (strcmp(type, "schedule") == 0) return write_schedule(w, o, error);
  if (strcmp(type, "achievement") == 0) return write_achievement(w, o, error);
  if (strcmp(type, "measure") == 0) return write_measure(w, o, error);
  if (strcmp(type, "series") == 0) return write_series(w, o, error);
  if (strcmp(type, "budget") == 0) return write_budget(w, o, error);
  if (strcmp(type, "meeting") == 0) return write_meeting(w, o, error);
  if (strcmp(type, "table") == 0 || strcmp(type, "fact") == 0) return write_table_record(w, o, error);
  if (strcmp(type, "document") == 0 || strcmp(type, "end") == 0)
    return bad_record(w, error, "\"%s\" object inside a document", type);
  return TRUE;
}

/* Checks the document object: format, version, sha256. */
static gboolean check_header(JsonObject *doc, GError **error)
{
  const char *format = kk_json_string(doc, "format", NULL);
  if (g_strcmp0(kk_json_string(doc, "type", NULL), "document") != 0 ||
      g_strcmp0(format, "keikaku-records") != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT,
                "not a records stream (first object must be a keikaku-records document)");
    return FALSE;
  }
  gint64 version = kk_json_int(doc, "version", 0);
  if (version != 1) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "records format version %" G_GINT64_FORMAT
                " is not supported (this keikaku reads version 1)", version);
    return FALSE;
  }
  const char *sha = kk_json_string(doc, "sha256", NULL);
  gboolean sha_ok = sha != NULL && strlen(sha) == 64;
  for (int i = 0; sha_ok && i < 64; i++)
    sha_ok = g_ascii_isxdigit(sha[i]);
  if (!sha_ok) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "document has no valid \"sha256\"");
    return FALSE;
  }
  return TRUE;
}

/* Current time as ISO 8601 UTC. */
static char *now_iso(void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  return g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Inserts or (reprocess) updates the documents row; fills w->doc_id. */
static gboolean write_document_row(Writer *w, JsonObject *doc, const char *sha, const char *file,
                                   gint64 existing_id, GError **error)
{
  const char *municipality = kk_json_string(doc, "municipality", NULL);
  const char *prefecture = kk_json_string(doc, "prefecture", NULL);
  const char *lg_code = NULL;
  gboolean ambiguous = FALSE;
  /* parse's gazetteer decided from the whole document (a prefecture's own
   * document has its prefecture's code); else the names it gave */
  const KkLgCode *code = kk_lgcode_by_code(kk_json_string(doc, "lg_code", NULL));
  if (code == NULL)
    code = kk_lgcode_lookup(municipality, prefecture, &ambiguous);
  if (code != NULL) {
    lg_code = code->lg_code;
    prefecture = code->prefecture;
    if (strcmp(code->kind, "prefecture") != 0)
      municipality = code->name; /* 福岡県小郡市 -> 小郡市 */
  } else if (municipality != NULL) {
    kk_warn(file, "municipality \"%s\"%s%s %s; no lg_code", municipality,
            prefecture ? " in " : "", prefecture ? prefecture : "",
            ambiguous ? "names several local governments (give the prefecture)"
                      : "is not in the list of local governments");
  }
  g_autofree char *now = now_iso();
  const char *sql = existing_id > 0
      ? "UPDATE documents SET file=?2, title=?3, municipality=?4, prefecture=?5, lg_code=?6,"
        " family=?7, fiscal_start=?8, fiscal_end=?9, pages=?10 WHERE id=?12"
      : "INSERT INTO documents(sha256, file, title, municipality, prefecture, lg_code, family,"
        " fiscal_start, fiscal_end, pages, ingested_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(w->db, sql, error);
  if (st == NULL)
    return FALSE;
  if (existing_id <= 0) {
    kk_db_bind_text(st, 1, sha);
    kk_db_bind_text(st, 11, now);
  } else {
    sqlite3_bind_int64(st, 12, existing_id);
  }
  kk_db_bind_text(st, 2, file);
  kk_db_bind_text(st, 3, kk_json_string(doc, "title", NULL));
  kk_db_bind_text(st, 4, municipality);
  kk_db_bind_text(st, 5, prefecture);
  kk_db_bind_text(st, 6, lg_code);
  kk_db_bind_text(st, 7, kk_json_string(doc, "family", NULL));
  bind_int(st, 8, doc, "fiscal_start");
  bind_int(st, 9, doc, "fiscal_end");
  bind_int(st, 10, doc, "pages");
  if (sqlite3_step(st) != SQLITE_DONE)
    return kk_db_fail(w->db, "write document", error);
  w->doc_id = existing_id > 0 ? existing_id : sqlite3_last_insert_rowid(w->db);

  g_autoptr(sqlite3_stmt) dv = kk_db_prepare(w->db,
      "INSERT OR REPLACE INTO kk_derivations(document_id, pipeline, pattern_file, pattern_sha256,"
      " format_version, derived_at) VALUES (?,?,?,?,?,?)", error);
  if (dv == NULL)
    return FALSE;
  sqlite3_bind_int64(dv, 1, w->doc_id);
  kk_db_bind_text(dv, 2, kk_json_string(doc, "pipeline", NULL));
  kk_db_bind_text(dv, 3, kk_json_string(doc, "pattern_file", NULL));
  kk_db_bind_text(dv, 4, kk_json_string(doc, "pattern_sha256", NULL));
  bind_int(dv, 5, doc, "version");
  kk_db_bind_text(dv, 6, now);
  if (sqlite3_step(dv) != SQLITE_DONE)
    return kk_db_fail(w->db, "write derivation", error);
  return TRUE;
}

/* Deletes everything derived from document `id` (not the documents row). */
static gboolean delete_derived(sqlite3 *db, gint64 id, gboolean extracted_too, GError **error)
{
  static const char *const sql[] = {
    "DELETE FROM measures WHERE document_id = ?",
    "DELETE FROM items WHERE document_id = ?", /* cascades to fields, schedules, … */
    "DELETE FROM series WHERE document_id = ?",
    "DELETE FROM meetings WHERE document_id = ?",
    "DELETE FROM tables WHERE document_id = ?", /* cascades to cells and facts */
    "DELETE FROM pages WHERE document_id = ?",
    "DELETE FROM kk_search_units WHERE document_id = ?",
    "DELETE FROM kk_boxes WHERE document_id = ?",
    "DELETE FROM kk_extracted_pages WHERE document_id = ?",
  };
  gsize n = G_N_ELEMENTS(sql) - (extracted_too ? 0 : 1);
  for (gsize i = 0; i < n; i++) {
    g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, sql[i], error);
    if (st == NULL)
      return FALSE;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
      return kk_db_fail(db, "delete old derivation", error);
  }
  return TRUE;
}

/* Looks the document up by sha256 inside the transaction: its id (0 when
 * absent) and whether its stored derivation equals `doc`'s. */
static gboolean find_existing(sqlite3 *db, const char *sha, JsonObject *doc, gint64 *id,
                              gboolean *same_derivation, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db,
      "SELECT d.id, k.pipeline, k.pattern_sha256 FROM documents d"
      " LEFT JOIN kk_derivations k ON k.document_id = d.id WHERE d.sha256 = ?", error);
  if (st == NULL)
    return FALSE;
  kk_db_bind_text(st, 1, sha);
  int rc = sqlite3_step(st);
  *id = 0;
  *same_derivation = FALSE;
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    *same_derivation =
        g_strcmp0((const char *)sqlite3_column_text(st, 1), kk_json_string(doc, "pipeline", NULL)) == 0 &&
        g_strcmp0((const char *)sqlite3_column_text(st, 2), kk_json_string(doc, "pattern_sha256", NULL)) == 0;
    return TRUE;
  }
  return rc == SQLITE_DONE ? TRUE : kk_db_fail(db, "look up document", error);
}

/* Foreign keys of the connection off (on = FALSE) or on again.  A new
 * document's rows name only rows its writer made in the same transaction
 * (documents.id, items.id and tables.id it got back from its INSERTs), so
 * checking every reference against its parent table is work that cannot
 * find anything (4% of the writer's instructions on the 612-page budget
 * book); re-deriving a stored document needs them (delete_derived relies
 * on ON DELETE CASCADE).  Only outside a transaction.  Returns whether the
 * setting changed. */
static gboolean foreign_keys(sqlite3 *db, gboolean on)
{
  int now = -1;
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &now) != SQLITE_OK || now == on)
    return FALSE;
  return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, on ? 1 : 0, &now) == SQLITE_OK && now == on;
}

struct KkLoadWriter {
  Writer w;
  gboolean fk_off;       /* foreign keys turned off by kk_load_begin, on again at the end */
  KkLoadCheck *check;    /* the invariants of the records (kk-load-check.c) */
  char *file;            /* for warnings */
  KkLoadOutcome outcome; /* UNCHANGED: nothing is written, records are ignored */
  gint64 existing;       /* documents.id being re-derived, or 0 */
  guint extracted_seq;   /* next kk_extracted_pages.seq */
};

/* Frees the writer, rolling its transaction back. */
static void writer_abort(KkLoadWriter *lw)
{
  writer_clear(&lw->w);
  kk_load_check_free(lw->check);
  kk_db_rollback(lw->w.db);
  if (lw->fk_off)
    foreign_keys(lw->w.db, TRUE);
  g_free(lw->file);
  g_free(lw);
}

void kk_load_abort(KkLoadWriter *writer)
{
  if (writer != NULL)
    writer_abort(writer);
}

KkLoadWriter *kk_load_begin(sqlite3 *db, JsonObject *doc,
                            const KkLoadOptions *options, GError **error)
{
  if (!check_header(doc, error))
    return NULL;
  g_autoptr(KkLoadCheck) check = kk_load_check_new(doc, error);
  if (check == NULL)
    return NULL;
  g_autofree char *sha = g_ascii_strdown((options && options->sha256) ? options->sha256
                                         : kk_json_string(doc, "sha256", ""), -1);
  const char *file = (options && options->file) ? options->file : kk_json_string(doc, "file", NULL);
  /* without --reprocess a stored document is left as it is and only a new
   * one is written: no foreign key needs checking (see foreign_keys) */
  gboolean fk_off = !(options && options->reprocess) && sqlite3_get_autocommit(db) && foreign_keys(db, FALSE);
  if (!kk_db_begin_write(db, error)) {
    if (fk_off)
      foreign_keys(db, TRUE);
    return NULL;
  }
  KkLoadWriter *lw = g_new0(KkLoadWriter, 1);
  lw->w.db = db;
  lw->fk_off = fk_off;
  lw->w.items = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  lw->check = g_steal_pointer(&check);
  lw->file = g_strdup(file);
  gboolean same = FALSE;
  if (!find_existing(db, sha, doc, &lw->existing, &same, error)) {
    writer_abort(lw);
    return NULL;
  }
  if (lw->existing > 0 && (!options || !options->reprocess || same)) {
    lw->w.doc_id = lw->existing;
    lw->outcome = KK_LOAD_UNCHANGED;
    return lw;
  }
  /* the stored extract output is replaced only when new output comes
   * (kk_load_extracted), so re-deriving from it keeps it */
  if ((lw->existing > 0 && !delete_derived(db, lw->existing, FALSE, error)) ||
      !write_document_row(&lw->w, doc, sha, file, lw->existing, error)) {
    writer_abort(lw);
    return NULL;
  }
  lw->outcome = lw->existing > 0 ? KK_LOAD_REPROCESSED : KK_LOAD_LOADED;
  return lw;
}

gboolean kk_load_record(KkLoadWriter *lw, JsonObject *record, GError **error)
{
  lw->w.index++;
  if (!kk_load_check_record(lw->check, record, error))
    return FALSE;
  if (lw->outcome == KK_LOAD_UNCHANGED || g_strcmp0(kk_json_string(record, "type", NULL), "end") == 0)
    return TRUE;
  if (lw->w.index >= MAX_RECORDS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "more than %u records in one document", MAX_RECORDS);
    return FALSE;
  }
  return write_record(&lw->w, record, error);
}

gboolean kk_load_update_document(KkLoadWriter *lw, JsonObject *doc, GError **error)
{
  if (!check_header(doc, error))
    return FALSE;
  if (lw->outcome == KK_LOAD_UNCHANGED)
    return TRUE;
  return write_document_row(&lw->w, doc, NULL, lw->file, lw->w.doc_id, error);
}

gboolean kk_load_extracted(KkLoadWriter *lw, const char *json, gsize length, GError **error)
{
  if (lw->outcome == KK_LOAD_UNCHANGED)
    return TRUE;
  Writer *w = &lw->w;
  if (lw->extracted_seq == 0 && lw->existing > 0) {
    g_autoptr(sqlite3_stmt) del = kk_db_prepare(w->db, "DELETE FROM kk_extracted_pages WHERE document_id = ?", error);
    if (del == NULL)
      return FALSE;
    sqlite3_bind_int64(del, 1, w->doc_id);
    if (sqlite3_step(del) != SQLITE_DONE)
      return kk_db_fail(w->db, "delete old extract output", error);
  }
  if (lw->extracted_seq >= MAX_RECORDS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "more than %u extracted objects in one document", MAX_RECORDS);
    return FALSE;
  }
  sqlite3_stmt *st = stmt(w, ST_EXTRACTED, error);
  if (st == NULL)
    return FALSE;
  g_autoptr(GBytes) packed = kk_zlib_compress(json, length, error);
  if (packed == NULL)
    return FALSE;
  gsize packed_len = 0;
  const void *bytes = g_bytes_get_data(packed, &packed_len);
  sqlite3_bind_int64(st, 1, w->doc_id);
  sqlite3_bind_int64(st, 2, lw->extracted_seq++);
  sqlite3_bind_blob64(st, 3, bytes ? bytes : "", packed_len, SQLITE_STATIC);
  return insert(w, st, "store extracted pages", error) > 0;
}

gboolean kk_load_commit(KkLoadWriter *lw, KkLoadOutcome *outcome, gint64 *db_id_out, GError **error)
{
  KkLoadOutcome result = lw->outcome;
  gint64 id = lw->w.doc_id;
  if (!kk_load_check_finish(lw->check, error) || (result != KK_LOAD_UNCHANGED && !index_units(&lw->w, error))) {
    writer_abort(lw);
    return FALSE;
  }
  if (lw->w.orphans > 0)
    kk_warn(lw->file, "%u schedule/achievement/budget records name no item; skipped", lw->w.orphans);
  sqlite3 *db = lw->w.db;
  gboolean fk_off = lw->fk_off;
  writer_clear(&lw->w);
  kk_load_check_free(lw->check);
  g_free(lw->file);
  g_free(lw);
  gboolean committed = TRUE;
  if (result == KK_LOAD_UNCHANGED)
    kk_db_rollback(db); /* nothing was written */
  else
    committed = kk_db_commit(db, error);
  if (fk_off)
    foreign_keys(db, TRUE);
  if (!committed)
    return FALSE;
  if (outcome)
    *outcome = result;
  if (db_id_out)
    *db_id_out = id;
  return TRUE;
}

gboolean kk_load_document(sqlite3 *db, GPtrArray *records, const KkLoadOptions *options,
                          KkLoadOutcome *outcome, gint64 *db_id_out, GError **error)
{
  if (records == NULL || records->len < 2) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "empty records stream");
    return FALSE;
  }
  if (!check_header(g_ptr_array_index(records, 0), error))
    return FALSE;
  if (g_strcmp0(kk_json_string(g_ptr_array_index(records, records->len - 1), "type", NULL), "end") != 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "records stream cut: no end object");
    return FALSE;
  }
  KkLoadWriter *lw = kk_load_begin(db, g_ptr_array_index(records, 0), options, error);
  if (lw == NULL)
    return FALSE;
  for (guint i = 1; i < records->len; i++) { /* the end object too */
    if (!kk_load_record(lw, g_ptr_array_index(records, i), error)) {
      kk_load_abort(lw);
      return FALSE;
    }
  }
  for (guint i = 0; options && options->extracted && i < options->extracted->len; i++) {
    const char *json = g_ptr_array_index(options->extracted, i);
    if (!kk_load_extracted(lw, json, strlen(json), error)) {
      kk_load_abort(lw);
      return FALSE;
    }
  }
  return kk_load_commit(lw, outcome, db_id_out, error);
}

/* ---- streaming loader ---- */

struct KkLoader {
  sqlite3 *db;
  gboolean reprocess;
  KkLoadNotify notify;
  gpointer user_data;
  GPtrArray *records; /* of the document being read, NULL between documents */
  guint64 documents;  /* document objects read */
};

KkLoader *kk_loader_new(sqlite3 *db, gboolean reprocess, KkLoadNotify notify, gpointer user_data)
{
  KkLoader *l = g_new0(KkLoader, 1);
  l->db = db;
  l->reprocess = reprocess;
  l->notify = notify;
  l->user_data = user_data;
  return l;
}

void kk_loader_free(KkLoader *loader)
{
  if (loader == NULL)
    return;
  if (loader->records)
    g_ptr_array_unref(loader->records);
  g_free(loader);
}

gboolean kk_loader_sink(JsonObject *object, gpointer user_data, GError **error)
{
  KkLoader *l = user_data;
  const char *type = kk_json_string(object, "type", "");
  if (strcmp(type, "document") == 0) {
    if (l->records != NULL) {
      g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "records stream cut: a new document began before the end object");
      return FALSE;
    }
    if (!check_header(object, error))
      return FALSE;
    l->documents++;
    l->records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
  } else if (l->records == NULL) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "\"%s\" object outside a document", type);
    return FALSE;
  }
  if (l->records->len >= MAX_RECORDS) {
    g_set_error(error, KK_ERROR, KK_ERROR_LIMIT, "more than %u records in one document", MAX_RECORDS);
    return FALSE;
  }
  g_ptr_array_add(l->records, json_object_ref(object));
  if (strcmp(type, "end") != 0)
    return TRUE;

  g_autoptr(GPtrArray) records = g_steal_pointer(&l->records);
  KkLoadOptions options = { .reprocess = l->reprocess };
  KkLoadOutcome outcome;
  if (!kk_load_document(l->db, records, &options, &outcome, NULL, error))
    return FALSE;
  if (l->notify) {
    JsonObject *doc = g_ptr_array_index(records, 0);
    l->notify(kk_json_string(doc, "file", NULL), kk_json_string(doc, "sha256", NULL), outcome,
              records->len, l->user_data);
  }
  return TRUE;
}

gboolean kk_loader_finish(KkLoader *loader, GError **error)
{
  if (loader->records != NULL) {
    g_clear_pointer(&loader->records, g_ptr_array_unref);
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "records stream cut: no end object");
    return FALSE;
  }
  if (loader->documents == 0) {
    g_set_error(error, KK_ERROR, KK_ERROR_INPUT, "empty stream: no document object (did the stage before fail?)");
    return FALSE;
  }
  return TRUE;
}
