/*
 * kk-schema.sql.h — the SQL of each schema version, as migrations from the
 * previous one, and the current schema in one script (included by kk-db.c
 * and tests/unit/test_load_migrate.c only).
 *
 * The public tables (documents … pages, tables …) are the contract of
 * docs/SCHEMA.md: their names and columns never change meaning.  Tables and
 * views prefixed kk_ are keikaku's own; the v_* views join documents to the
 * other public tables for comparisons across municipalities; lg_codes and
 * topic_terms are reference data.
 *
 * A new database is made by kk_schema_current in one go; an older one is
 * brought up by kk_migrations[v] from its version v on.  Both must give
 * the same schema, statement text included (sqlite_master, which later
 * ALTER TABLEs rewrite): tests/unit/test_load_migrate.c compares them.
 * The statements that the chain and the one-shot script share are the
 * KK_SQL_* macros below, written once.  A new version adds its migration
 * AND changes kk_schema_current.
 */

/* Version 1 parts that are still current as written. */
#define KK_SQL_V1_PUBLIC \
  /* ---- public tables (SPEC.md) ---- */ \
  "CREATE TABLE documents(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  sha256 TEXT NOT NULL UNIQUE,\n" \
  "  file TEXT, title TEXT, municipality TEXT, prefecture TEXT, lg_code TEXT,\n" \
  "  family TEXT, fiscal_start INTEGER, fiscal_end INTEGER, pages INTEGER,\n" \
  "  ingested_at TEXT NOT NULL);\n" \
  "CREATE INDEX documents_lg_code ON documents(lg_code);\n" \
  "CREATE INDEX documents_municipality ON documents(municipality);\n" \
  "CREATE INDEX documents_family ON documents(family);\n" \
  "CREATE TABLE items(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  item_no TEXT, title TEXT, department TEXT, category TEXT, page INTEGER);\n" \
  "CREATE INDEX items_document ON items(document_id);\n" \
  "CREATE INDEX items_item_no ON items(item_no);\n" \
  "CREATE TABLE item_fields(\n" \
  "  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  label TEXT NOT NULL, value TEXT);\n" \
  "CREATE INDEX item_fields_item ON item_fields(item_id);\n" \
  "CREATE INDEX item_fields_label ON item_fields(label);\n" \
  "CREATE TABLE schedules(\n" \
  "  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  fiscal_year INTEGER, kind TEXT CHECK (kind IN ('plan','actual')), text TEXT);\n" \
  "CREATE INDEX schedules_item ON schedules(item_id);\n" \
  "CREATE TABLE achievements(\n" \
  "  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  fiscal_year INTEGER, rate REAL);\n" \
  "CREATE INDEX achievements_item ON achievements(item_id);\n" \
  "CREATE TABLE measures(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  label TEXT,\n" \
  "  role TEXT CHECK (role IN ('target','baseline','actual','limit','plan')),\n" \
  "  value NUMERIC, unit TEXT, fiscal_year INTEGER, raw TEXT, page INTEGER);\n" \
  "CREATE INDEX measures_document ON measures(document_id);\n" \
  "CREATE INDEX measures_item ON measures(item_id);\n" \
  "CREATE INDEX measures_role_year ON measures(role, fiscal_year);\n" \
  "CREATE TABLE series(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  table_title TEXT, row_label TEXT, fiscal_year INTEGER, value NUMERIC,\n" \
  "  unit TEXT, page INTEGER);\n" \
  "CREATE INDEX series_document ON series(document_id);\n" \
  "CREATE INDEX series_row ON series(row_label, fiscal_year);\n" \
  "CREATE TABLE budgets(\n" \
  "  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  fiscal_year INTEGER, total INTEGER, national INTEGER, prefectural INTEGER,\n" \
  "  bonds INTEGER, other INTEGER, general_fund INTEGER);\n" \
  "CREATE INDEX budgets_item ON budgets(item_id);\n" \
  "CREATE TABLE meetings(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  title TEXT, held_on TEXT, place TEXT, attendees TEXT);\n" \
  "CREATE INDEX meetings_document ON meetings(document_id);\n" \
  "CREATE INDEX meetings_held_on ON meetings(held_on);\n" \
  "CREATE TABLE pages(\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  page_no INTEGER NOT NULL, text TEXT,\n" \
  "  PRIMARY KEY (document_id, page_no));\n"

#define KK_SQL_REFERENCE \
  /* ---- reference data ---- */ \
  "CREATE TABLE lg_codes(\n" \
  "  lg_code TEXT PRIMARY KEY, kind TEXT NOT NULL, prefecture TEXT NOT NULL,\n" \
  "  name TEXT NOT NULL, reading TEXT);\n" \
  "CREATE INDEX lg_codes_name ON lg_codes(name);\n" \
  /* compare --topic T matches any of T's terms (and T itself). */ \
  "CREATE TABLE topic_terms(topic TEXT NOT NULL, term TEXT NOT NULL,\n" \
  "  PRIMARY KEY (topic, term));\n" \
  "INSERT INTO topic_terms VALUES\n" \
  "  ('DX','DX'),('DX','デジタル'),('DX','ICT'),('DX','オンライン'),('DX','電子'),\n" \
  "  ('DX','キャッシュレス'),('DX','RPA'),('DX','AI'),\n" \
  "  ('人件費','人件費'),('人件費','職員数'),('人件費','定員'),('人件費','給与'),\n" \
  "  ('人件費','時間外勤務'),\n" \
  "  ('公共施設','公共施設'),('公共施設','公共建築'),('公共施設','ファシリティ'),\n" \
  "  ('公共施設','施設の'),('公共施設','施設使用料'),('公共施設','指定管理'),\n" \
  "  ('ふるさと納税','ふるさと納税'),('ふるさと納税','寄附'),\n" \
  "  ('財政','財政'),('財政','基金'),('財政','市債'),('財政','経常収支比率');\n"

#define KK_SQL_V1_OWN \
  /* ---- keikaku's own tables ---- */ \
  /* How each document was derived, for ingest --reprocess. */ \
  "CREATE TABLE kk_derivations(\n" \
  "  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  pipeline TEXT, pattern_file TEXT, pattern_sha256 TEXT,\n" \
  "  format_version INTEGER, derived_at TEXT NOT NULL);\n" \
  /* The extract output (one pages-stream object per row: document, pages, \
   * end), kept by ingest so a document can be re-derived without its PDF; \
   * json holds the JSON text zlib-compressed as a BLOB (plain TEXT is read \
   * too). */ \
  "CREATE TABLE kk_extracted_pages(\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  seq INTEGER NOT NULL, json TEXT NOT NULL,\n" \
  "  PRIMARY KEY (document_id, seq));\n" \
  /* Where on its page each record came from (rowid of its table). */ \
  "CREATE TABLE kk_boxes(\n" \
  "  tbl TEXT NOT NULL, row_id INTEGER NOT NULL,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  page INTEGER, x0 REAL, y0 REAL, x1 REAL, y1 REAL,\n" \
  "  PRIMARY KEY (tbl, row_id));\n" \
  "CREATE INDEX kk_boxes_document ON kk_boxes(document_id);\n"

#define KK_SQL_V1_VIEWS \
  /* ---- views for comparisons across municipalities ---- */ \
  "CREATE VIEW v_items AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         d.family, i.id AS item_id, i.item_no, i.title, i.department, i.category, i.page\n" \
  "  FROM items i JOIN documents d ON d.id = i.document_id;\n" \
  "CREATE VIEW v_measures AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         m.id AS measure_id, m.item_id, i.item_no, i.title AS item_title,\n" \
  "         m.label, m.role, m.value, m.unit, m.fiscal_year, m.raw, m.page\n" \
  "  FROM measures m JOIN documents d ON d.id = m.document_id\n" \
  "  LEFT JOIN items i ON i.id = m.item_id;\n" \
  "CREATE VIEW v_achievements AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         i.id AS item_id, i.item_no, i.title AS item_title, a.fiscal_year, a.rate\n" \
  "  FROM achievements a JOIN items i ON i.id = a.item_id\n" \
  "  JOIN documents d ON d.id = i.document_id;\n" \
  "CREATE VIEW v_schedules AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         i.id AS item_id, i.item_no, i.title AS item_title, s.fiscal_year, s.kind, s.text\n" \
  "  FROM schedules s JOIN items i ON i.id = s.item_id\n" \
  "  JOIN documents d ON d.id = i.document_id;\n" \
  "CREATE VIEW v_budgets AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         i.id AS item_id, i.item_no, i.title AS item_title, b.fiscal_year, b.total,\n" \
  "         b.national, b.prefectural, b.bonds, b.other, b.general_fund\n" \
  "  FROM budgets b JOIN items i ON i.id = b.item_id\n" \
  "  JOIN documents d ON d.id = i.document_id;\n" \
  "CREATE VIEW v_series AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         s.table_title, s.row_label, s.fiscal_year, s.value, s.unit, s.page\n" \
  "  FROM series s JOIN documents d ON d.id = s.document_id;\n" \
  "CREATE VIEW v_meetings AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         m.id AS meeting_id, m.title, m.held_on, m.place, m.attendees\n" \
  "  FROM meetings m JOIN documents d ON d.id = m.document_id;\n"

static const char kk_schema_v1[] =
  KK_SQL_V1_PUBLIC
  KK_SQL_REFERENCE
  KK_SQL_V1_OWN
  /* Text units of search (a page, or an item with its fields), and the FTS5
   * trigram index over them (for queries of 3+ characters; shorter ones
   * scan kk_search_units with instr(), see cmd-search.c). */
  "CREATE TABLE kk_search_units(\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('page','item')),\n"
  "  item_id INTEGER, page_no INTEGER, text TEXT NOT NULL);\n"
  "CREATE INDEX kk_search_units_document ON kk_search_units(document_id);\n"
  "CREATE VIRTUAL TABLE kk_search_fts USING fts5(text, content='kk_search_units',\n"
  "  content_rowid='id', tokenize='trigram');\n"
  "CREATE TRIGGER kk_search_units_ai AFTER INSERT ON kk_search_units BEGIN\n"
  "  INSERT INTO kk_search_fts(rowid, text) VALUES (new.id, new.text);\n"
  "END;\n"
  "CREATE TRIGGER kk_search_units_ad AFTER DELETE ON kk_search_units BEGIN\n"
  "  INSERT INTO kk_search_fts(kk_search_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
  "END;\n"
  KK_SQL_V1_VIEWS;

/* Statements of later versions that are still current as written;
 * table_cells and table_facts without their last columns (version 6 added
 * confidence, where SQLite's ALTER TABLE wrote it). */
#define KK_SQL_SEARCH_CONTENT \
  "CREATE VIEW kk_search_content AS\n" \
  "  SELECT u.id AS id, CASE WHEN u.kind = 'page' THEN p.text ELSE u.text END AS text\n" \
  "  FROM kk_search_units u LEFT JOIN pages p\n" \
  "    ON u.kind = 'page' AND p.document_id = u.document_id AND p.page_no = u.page_no;\n"

#define KK_SQL_SEARCH_FTS \
  "CREATE VIRTUAL TABLE kk_search_fts USING fts5(text, content='kk_search_content',\n" \
  "  content_rowid='id', tokenize='trigram');\n"

#define KK_SQL_SEARCH_TRIGGERS \
  "CREATE TRIGGER kk_search_units_ad AFTER DELETE ON kk_search_units BEGIN\n" \
  "  INSERT INTO kk_search_fts(kk_search_fts, rowid, text) VALUES ('delete', old.id,\n" \
  "    CASE WHEN old.kind = 'page' THEN (SELECT text FROM pages\n" \
  "      WHERE document_id = old.document_id AND page_no = old.page_no) ELSE old.text END);\n" \
  "END;\n" \
  "CREATE TRIGGER kk_search_pages_bd BEFORE DELETE ON pages BEGIN\n" \
  "  DELETE FROM kk_search_units\n" \
  "  WHERE kind = 'page' AND document_id = old.document_id AND page_no = old.page_no;\n" \
  "END;\n" \
  "CREATE TRIGGER kk_search_pages_au AFTER UPDATE OF text ON pages BEGIN\n" \
  "  INSERT INTO kk_search_fts(kk_search_fts, rowid, text) SELECT 'delete', id, old.text\n" \
  "  FROM kk_search_units WHERE kind = 'page' AND document_id = old.document_id AND page_no = old.page_no;\n" \
  "  INSERT INTO kk_search_fts(rowid, text) SELECT id, new.text\n" \
  "  FROM kk_search_units WHERE kind = 'page' AND document_id = new.document_id AND page_no = new.page_no;\n" \
  "END;\n"

#define KK_SQL_SEARCH_ORDER \
  "CREATE INDEX kk_search_units_order ON kk_search_units(document_id, page_no, kind);\n"

#define KK_SQL_SEARCH_UNITS_COLUMNS \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  kind TEXT NOT NULL CHECK (kind IN ('page','item','table')),\n" \
  "  item_id INTEGER, page_no INTEGER, text TEXT NOT NULL, table_id INTEGER);\n"

#define KK_SQL_TABLES \
  "CREATE TABLE tables(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  page INTEGER, page_end INTEGER, title TEXT, unit TEXT,\n" \
  "  n_rows INTEGER, n_cols INTEGER, header_rows INTEGER, ruled INTEGER);\n" \
  "CREATE INDEX tables_document ON tables(document_id);\n"

#define KK_SQL_TABLE_CELLS_HEAD \
  "CREATE TABLE table_cells(\n" \
  "  table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,\n" \
  "  row INTEGER NOT NULL, col INTEGER NOT NULL, rowspan INTEGER, colspan INTEGER,\n" \
  "  header INTEGER, text TEXT, page INTEGER, x0 REAL, y0 REAL, x1 REAL, y1 REAL"

#define KK_SQL_TABLE_FACTS_HEAD \
  "CREATE TABLE table_facts(\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,\n" \
  "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  row_label TEXT, column_label TEXT, value NUMERIC, unit TEXT, fiscal_year INTEGER,\n" \
  "  raw TEXT, page INTEGER"

#define KK_SQL_TABLE_FACTS_INDEXES \
  "CREATE INDEX table_facts_table ON table_facts(table_id);\n" \
  "CREATE INDEX table_facts_document ON table_facts(document_id);\n" \
  "CREATE INDEX table_facts_row ON table_facts(row_label, fiscal_year);\n"

#define KK_SQL_V_TABLE_FACTS \
  "CREATE VIEW v_table_facts AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, d.id AS document_id, d.file,\n" \
  "         d.title AS document_title, t.id AS table_id, t.title AS table_title,\n" \
  "         f.id AS fact_id, f.row_label, f.column_label, f.value, f.unit, f.fiscal_year,\n" \
  "         f.raw, f.page\n" \
  "  FROM table_facts f JOIN tables t ON t.id = f.table_id\n" \
  "  JOIN documents d ON d.id = f.document_id;\n"

#define KK_SQL_TABLE_FACTS_CONFIDENCE \
  "CREATE INDEX table_facts_confidence ON table_facts(confidence) WHERE confidence IS NOT NULL;\n"

#define KK_SQL_V5_EDITIONS \
  "CREATE TABLE kk_editions(\n" \
  "  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,\n" \
  "  plan_id INTEGER NOT NULL, plan_title TEXT, edition_no INTEGER NOT NULL,\n" \
  "  edition_label TEXT);\n" \
  "CREATE INDEX kk_editions_plan ON kk_editions(plan_id, edition_no);\n" \
  "CREATE TABLE kk_item_lineage(\n" \
  "  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,\n" \
  "  lineage_id INTEGER NOT NULL);\n" \
  "CREATE INDEX kk_item_lineage_lineage ON kk_item_lineage(lineage_id);\n" \
  "CREATE VIEW v_item_history AS\n" \
  "  SELECT d.prefecture, d.municipality, d.lg_code, e.plan_id AS plan, e.plan_title,\n" \
  "         l.lineage_id AS item, e.edition_no AS edition, e.edition_label,\n" \
  "         d.id AS document_id, d.file, i.id AS item_id, i.item_no, i.title, i.department, i.page,\n" \
  "         (SELECT json_group_array(json_object('label', f.label, 'value', f.value))\n" \
  "            FROM item_fields f WHERE f.item_id = i.id) AS fields,\n" \
  "         (SELECT json_group_array(json_object('fiscal_year', s.fiscal_year, 'kind', s.kind, 'text', s.text))\n" \
  "            FROM schedules s WHERE s.item_id = i.id) AS schedules,\n" \
  "         (SELECT json_group_array(json_object('label', m.label, 'role', m.role, 'value', m.value,\n" \
  "                 'unit', m.unit, 'fiscal_year', m.fiscal_year, 'raw', m.raw))\n" \
  "            FROM measures m WHERE m.item_id = i.id) AS targets,\n" \
  "         (SELECT json_group_array(json_object('fiscal_year', a.fiscal_year, 'rate', a.rate))\n" \
  "            FROM achievements a WHERE a.item_id = i.id) AS achievements\n" \
  "  FROM kk_item_lineage l JOIN items i ON i.id = l.item_id\n" \
  "  JOIN kk_editions e ON e.document_id = i.document_id\n" \
  "  JOIN documents d ON d.id = i.document_id\n" \
  "  ORDER BY e.plan_id, l.lineage_id, e.edition_no;\n"

/* Version 2, for scale (tests/bench/scale.sh):
 * - page text is stored once, in the public pages table: a page's search
 *   unit keeps text '' and the FTS index reads its content through the
 *   view kk_search_content (the unit's own text, or its page's), which
 *   saved 12% of the corpus database.  The triggers give the FTS index
 *   the text it was built from: a page unit goes before its page
 *   (kk_search_pages_bd), whichever row a cascade deletes first, and an
 *   edited page text is re-indexed (kk_search_pages_au);
 * - search with short terms lists units in (document, page, kind) order and
 *   stops at its LIMIT, walking kk_search_units_order instead of sorting
 *   every unit; that index also serves the look-ups by document. */
static const char kk_schema_v2[] =
  "DROP TRIGGER kk_search_units_ai;\n"
  "DROP TRIGGER kk_search_units_ad;\n"
  "DROP TABLE kk_search_fts;\n"
  "UPDATE kk_search_units SET text = '' WHERE kind = 'page';\n"
  KK_SQL_SEARCH_CONTENT
  KK_SQL_SEARCH_FTS
  "INSERT INTO kk_search_fts(kk_search_fts) VALUES ('rebuild');\n"
  "CREATE TRIGGER kk_search_units_ai AFTER INSERT ON kk_search_units BEGIN\n"
  "  INSERT INTO kk_search_fts(rowid, text) SELECT id, text FROM kk_search_content WHERE id = new.id;\n"
  "END;\n"
  KK_SQL_SEARCH_TRIGGERS
  KK_SQL_SEARCH_ORDER
  "DROP INDEX kk_search_units_document;\n";

/* Version 3, for speed: the search units are indexed by their writer,
 * all units of a document in one INSERT INTO kk_search_fts … SELECT (see
 * index_units in kk-load.c), not by a trigger per unit, which made FTS5
 * write an index segment per unit (it flushes its pending terms at every
 * statement savepoint) and cost a third of ingest's writer.  Whoever adds
 * rows to kk_search_units must index them the same way; deleting units
 * and editing or deleting pages still go through the triggers. */
static const char kk_schema_v3[] =
  "DROP TRIGGER kk_search_units_ai;\n";

/* Version 4: every table of every document as data (docs/SCHEMA.md).
 * - tables: one row per table, a table continued over page breaks is one
 *   (page..page_end); table_cells its cells (header repeats dropped);
 *   table_facts one row per numeric body cell, value in base units (yen);
 *   v_table_facts joins them to the document's municipality.
 * - the search units gain kind 'table' (the cells of one table, for
 *   `search`) and a table_id: kk_search_units is rebuilt (SQLite cannot
 *   change a CHECK), keeping every id, so the FTS index stays valid; the
 *   view and triggers naming it are dropped first and made again. */
static const char kk_schema_v4[] =
  KK_SQL_TABLES
  KK_SQL_TABLE_CELLS_HEAD ",\n"
  "  PRIMARY KEY (table_id, row, col));\n"
  KK_SQL_TABLE_FACTS_HEAD ");\n"
  KK_SQL_TABLE_FACTS_INDEXES
  KK_SQL_V_TABLE_FACTS
  /* the search units, rebuilt with kind 'table' */
  "DROP VIEW kk_search_content;\n"
  "DROP TRIGGER kk_search_units_ad;\n"
  "DROP TRIGGER kk_search_pages_bd;\n"
  "DROP TRIGGER kk_search_pages_au;\n"
  "CREATE TABLE kk_search_units_v4(\n"
  KK_SQL_SEARCH_UNITS_COLUMNS
  "INSERT INTO kk_search_units_v4(id, document_id, kind, item_id, page_no, text)\n"
  "  SELECT id, document_id, kind, item_id, page_no, text FROM kk_search_units;\n"
  "DROP TABLE kk_search_units;\n"
  "ALTER TABLE kk_search_units_v4 RENAME TO kk_search_units;\n"
  KK_SQL_SEARCH_ORDER
  KK_SQL_SEARCH_CONTENT
  KK_SQL_SEARCH_TRIGGERS;

/* Version 5 (editions, kk-editions.h): documents of one plan as editions
 * in publication order, and each item's lineage (the id of the item in the
 * plan's first edition that has it), recomputed by kk_editions_refresh()
 * after ingest, load and merge; v_item_history reads them with each
 * item's fields, schedules, targets and achievements as JSON. */
static const char kk_schema_v5[] =
  KK_SQL_V5_EDITIONS;

/* Version 6 (review, kk-review.h): the OCR confidence (0..100) of table
 * cells and facts read by Tesseract, NULL for text-layer values, so
 * `keikaku review` can list the doubtful ones beside their page region. */
static const char kk_schema_v6[] =
  "ALTER TABLE table_cells ADD COLUMN confidence REAL;\n"
  "ALTER TABLE table_facts ADD COLUMN confidence REAL;\n"
  KK_SQL_TABLE_FACTS_CONFIDENCE;

/* Version 7: FTS5 keeps up to 8 MB of pending terms (its 'hashsize',
 * 1 MB by default) before it writes them as an index segment.  The writer
 * indexes a whole document in one statement (index_units in kk-load.c);
 * with 1 MB a large document was written as several segments and merged
 * again: on the 612-page budget book the index statement took 19% fewer
 * instructions with 8 MB (452 M -> 370 M, sqlite3 shell), for 5% fewer
 * index bytes.  Memory: at most 8 MB more in the writer, for a document
 * with that much text. */
#define KK_SQL_FTS_HASHSIZE \
  "INSERT INTO kk_search_fts(kk_search_fts, rank) VALUES ('hashsize', 8388608);\n"

static const char kk_schema_v7[] =
  KK_SQL_FTS_HASHSIZE;

/* migrations[v] brings a database from user_version v to v + 1. */
static const char *const kk_migrations[] = {
  kk_schema_v1,
  kk_schema_v2,
  kk_schema_v3,
  kk_schema_v4,
  kk_schema_v5,
  kk_schema_v6,
  kk_schema_v7,
};

/* The schema of KK_DB_SCHEMA_VERSION in one script, for a new database:
 * what kk_migrations[] give one after the other, without making the
 * tables, triggers and FTS index that later versions drop again, and
 * without SQLite rereading the schema after each DROP, RENAME and ALTER.
 * kk_search_units keeps the quotes that version 4's RENAME left in its
 * statement. */
static const char kk_schema_current[] =
  KK_SQL_V1_PUBLIC
  KK_SQL_TABLES
  KK_SQL_TABLE_CELLS_HEAD ", confidence REAL,\n"
  "  PRIMARY KEY (table_id, row, col));\n"
  KK_SQL_TABLE_FACTS_HEAD ", confidence REAL);\n"
  KK_SQL_TABLE_FACTS_INDEXES
  KK_SQL_TABLE_FACTS_CONFIDENCE
  KK_SQL_REFERENCE
  KK_SQL_V1_OWN
  "CREATE TABLE \"kk_search_units\"(\n"
  KK_SQL_SEARCH_UNITS_COLUMNS
  KK_SQL_SEARCH_ORDER
  KK_SQL_SEARCH_CONTENT
  KK_SQL_SEARCH_FTS
  /* writes the FTS averages record as version 2's rebuild did */
  "INSERT INTO kk_search_fts(kk_search_fts) VALUES ('rebuild');\n"
  KK_SQL_FTS_HASHSIZE
  KK_SQL_SEARCH_TRIGGERS
  KK_SQL_V5_EDITIONS
  KK_SQL_V1_VIEWS
  KK_SQL_V_TABLE_FACTS;
