/* kk-db.c — see kk-db.h */
#include "kk-db.h"
#include "common/kk-lgcode.h"
#include "common/kk-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kk-schema.sql.h"

/* The bytes of a new database of this build's schema, made at build time
 * by load/schema-image/mkimage.c, which runs kk_db_open() compiled with
 * KK_DB_NO_IMAGE (the SQL way: kk_schema_current and fill_lg_codes). */
#ifdef KK_DB_NO_IMAGE
static const guint8 kk_schema_image[1];
static const gsize kk_schema_image_size = 0;
#else
extern const guint8 kk_schema_image[];
extern const gsize kk_schema_image_size;
#endif

/* How long one SQLite call waits for a lock before reporting SQLITE_BUSY. */
#define BUSY_TIMEOUT_MS 15000
/* Extra attempts at BEGIN IMMEDIATE / COMMIT after a busy timeout. */
#define BUSY_RETRIES 6

gboolean kk_db_fail(sqlite3 *db, const char *what, GError **error)
{
  g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: %s", what,
              db ? sqlite3_errmsg(db) : "out of memory");
  return FALSE;
}

gboolean kk_db_exec(sqlite3 *db, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

sqlite3_stmt *kk_db_prepare(sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    kk_db_fail(db, "prepare", error);
    sqlite3_finalize(st);
    return NULL;
  }
  return st;
}

void kk_db_bind_text(sqlite3_stmt *st, int index, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null(st, index);
  else
    sqlite3_bind_text(st, index, text, -1, SQLITE_TRANSIENT);
}

/* Runs a statement without parameters or rows, retrying SQLITE_BUSY
 * (the busy handler already waited BUSY_TIMEOUT_MS each time). */
static gboolean exec_retrying(sqlite3 *db, const char *sql, GError **error)
{
  for (int attempt = 0;; attempt++) {
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
      return TRUE;
    if ((rc & 0xff) != SQLITE_BUSY || attempt >= BUSY_RETRIES)
      return kk_db_fail(db, sql, error);
    g_usleep((gulong)g_random_int_range(50, 250) * 1000);
  }
}

gboolean kk_db_begin_write(sqlite3 *db, GError **error)
{
  return exec_retrying(db, "BEGIN IMMEDIATE", error);
}

gboolean kk_db_commit(sqlite3 *db, GError **error)
{
  if (exec_retrying(db, "COMMIT", error))
    return TRUE;
  kk_db_rollback(db);
  return FALSE;
}

void kk_db_rollback(sqlite3 *db)
{
  if (db != NULL && !sqlite3_get_autocommit(db))
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

void kk_db_close(sqlite3 *db)
{
  if (db != NULL)
    sqlite3_close_v2(db);
}

/* Reads PRAGMA user_version. */
static gboolean read_user_version(sqlite3 *db, int *version, GError **error)
{
  g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, "PRAGMA user_version", error);
  if (st == NULL)
    return FALSE;
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW)
    return kk_db_fail(db, "read schema version", error);
  *version = sqlite3_column_int(st, 0);
  return TRUE;
}

/* Rows per INSERT of fill_lg_codes: one statement per row spent more on
 * starting and ending statements than on the rows. */
#define LG_ROWS_PER_INSERT 64

/* Prepares an INSERT INTO lg_codes of `rows` rows of parameters. */
static sqlite3_stmt *prepare_lg_insert(sqlite3 *db, guint rows, GError **error)
{
  g_autoptr(GString) sql = g_string_new("INSERT INTO lg_codes(lg_code, kind, prefecture, name, reading) VALUES ");
  for (guint r = 0; r < rows; r++)
    g_string_append(sql, r ? ",(?,?,?,?,?)" : "(?,?,?,?,?)");
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql->str, (int)sql->len, &st, NULL) != SQLITE_OK) {
    sqlite3_finalize(st);
    kk_db_fail(db, "prepare lg_codes", error);
    return NULL;
  }
  return st;
}

/* Fills lg_codes from the compiled-in list (inside the migration). */
static gboolean fill_lg_codes(sqlite3 *db, GError **error)
{
  if (!kk_db_exec(db, "DELETE FROM lg_codes", error))
    return FALSE;
  gsize n = 0;
  const KkLgCode *codes = kk_lgcode_all(&n);
  g_autoptr(sqlite3_stmt) full = NULL;
  for (gsize i = 0; i < n;) {
    guint rows = (guint)MIN(n - i, LG_ROWS_PER_INSERT);
    g_autoptr(sqlite3_stmt) part = NULL;
    if (rows == LG_ROWS_PER_INSERT && full == NULL && (full = prepare_lg_insert(db, rows, error)) == NULL)
      return FALSE;
    if (rows < LG_ROWS_PER_INSERT && (part = prepare_lg_insert(db, rows, error)) == NULL)
      return FALSE;
    sqlite3_stmt *st = part ? part : full;
    for (guint r = 0; r < rows; r++, i++) {
      /* the strings are compiled in: bound without a copy */
      const char *v[] = { codes[i].lg_code, codes[i].kind, codes[i].prefecture, codes[i].name,
                          codes[i].reading };
      for (int k = 0; k < 5; k++) {
        int index = (int)r * 5 + k + 1;
        if (v[k] == NULL)
          sqlite3_bind_null(st, index);
        else
          sqlite3_bind_text(st, index, v[k], (int)strlen(v[k]), SQLITE_STATIC);
      }
    }
    if (sqlite3_step(st) != SQLITE_DONE)
      return kk_db_fail(db, "fill lg_codes", error);
    sqlite3_reset(st);
  }
  return TRUE;
}

/* Brings the schema to KK_DB_SCHEMA_VERSION inside one write transaction;
 * the version is re-read under the lock, so two processes opening a new
 * file at once migrate it once. */
static gboolean migrate(sqlite3 *db, GError **error)
{
  int version = 0;
  if (!read_user_version(db, &version, error))
    return FALSE;
  if (version == KK_DB_SCHEMA_VERSION)
    return TRUE;
  if (!kk_db_begin_write(db, error))
    return FALSE;
  if (!read_user_version(db, &version, error))
    goto fail;
  if (version < 0) {
    /* no keikaku writes a negative version: the migrations are indexed by
     * it, so it is refused before it is used */
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE,
                "schema version %d is not one keikaku writes: not a keikaku database", version);
    goto fail;
  }
  if (version > KK_DB_SCHEMA_VERSION) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE,
                "schema version %d is newer than this keikaku understands (%d)",
                version, KK_DB_SCHEMA_VERSION);
    goto fail;
  }
  if (version == 0) {
    /* a new database: the current schema in one script (the chain gives
     * the same, test_load_migrate.c; it cost ~9 ms of CPU per new file) */
    if (!kk_db_exec(db, kk_schema_current, error))
      goto fail;
  } else {
    for (; version < KK_DB_SCHEMA_VERSION; version++)
      if (!kk_db_exec(db, kk_migrations[version], error))
        goto fail;
  }
  /* every migration refreshes the reference data compiled into this build */
  if (!fill_lg_codes(db, error))
    goto fail;
  char set[64];
  g_snprintf(set, sizeof set, "PRAGMA user_version = %d", KK_DB_SCHEMA_VERSION);
  if (!kk_db_exec(db, set, error))
    goto fail;
  return kk_db_commit(db, error);
fail:
  kk_db_rollback(db);
  return FALSE;
}

/* Switches to WAL (persistent in the file), retrying while busy. */
static gboolean use_wal(sqlite3 *db, GError **error)
{
  for (int attempt = 0;; attempt++) {
    g_autoptr(sqlite3_stmt) st = kk_db_prepare(db, "PRAGMA journal_mode = WAL", error);
    if (st == NULL)
      return FALSE;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const char *mode = (const char *)sqlite3_column_text(st, 0);
      if (mode != NULL && g_ascii_strcasecmp(mode, "wal") == 0)
        return TRUE;
      g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "cannot use WAL journal mode (got %s)",
                  mode ? mode : "nothing");
      return FALSE;
    }
    if ((rc & 0xff) != SQLITE_BUSY || attempt >= BUSY_RETRIES)
      return kk_db_fail(db, "set WAL journal mode", error);
    g_usleep((gulong)g_random_int_range(50, 250) * 1000);
  }
}

/* TRUE when `term` (ASCII already lower-case) occurs in `text` of `len`
 * bytes, ASCII letters of the text folded.  Bytewise on UTF-8: a match can
 * only start on a character boundary, and folding never touches bytes of
 * multi-byte characters.  A term without ASCII letters (most: Japanese)
 * is a plain memmem(). */
static gboolean contains_folded(const char *text, gsize len, const char *term, gsize term_len)
{
  if (term_len == 0 || term_len > len)
    return term_len == 0;
  gboolean letters = FALSE;
  for (gsize k = 0; k < term_len && !letters; k++)
    letters = g_ascii_islower(term[k]);
  if (!letters) {
    /* candidates by the term's last byte (a UTF-8 continuation byte for
     * Japanese: more selective than the lead byte), then the rest */
    const char *end = text + len;
    for (const char *p = text + term_len - 1; p < end; p++) {
      p = memchr(p, term[term_len - 1], (gsize)(end - p));
      if (p == NULL)
        return FALSE;
      if (memcmp(p - (term_len - 1), term, term_len - 1) == 0)
        return TRUE;
    }
    return FALSE;
  }
  for (gsize i = 0; i + term_len <= len; i++) {
    gsize k = 0;
    while (k < term_len) {
      char c = text[i + k];
      if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
      if (c != term[k])
        break;
      k++;
    }
    if (k == term_len)
      return TRUE;
  }
  return FALSE;
}

/* SQL kk_has_term(TERMS, TEXT...): 1 when one of TERMS (lower-case terms
 * joined by char(31)) occurs in one of the TEXT arguments (NULLs skipped),
 * ASCII case folded; NULL when TERMS is NULL.  One call per row instead of
 * one instr(lower()) per row, term and column: compare --topic over every
 * item of a 700-document database went from 400 to ~10 ms of SQL. */
static void sql_has_term(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  /* sqlite3_value_blob: the UTF-8 bytes without the copy that
   * sqlite3_value_text makes to add a terminator */
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const char *terms = (const char *)sqlite3_value_blob(argv[0]);
  gsize terms_len = (gsize)sqlite3_value_bytes(argv[0]);
  if (terms_len == 0 || terms == NULL) { /* an empty topic: every row, as instr(x, '') did */
    sqlite3_result_int(ctx, 1);
    return;
  }
  for (int a = 1; a < argc; a++) {
    if (sqlite3_value_type(argv[a]) == SQLITE_NULL)
      continue;
    const char *text = (const char *)sqlite3_value_blob(argv[a]);
    gsize len = (gsize)sqlite3_value_bytes(argv[a]);
    for (gsize start = 0; start < terms_len;) {
      const char *end = memchr(terms + start, 31, terms_len - start);
      gsize term_len = end ? (gsize)(end - (terms + start)) : terms_len - start;
      if (term_len > 0 && contains_folded(text, len, terms + start, term_len)) {
        sqlite3_result_int(ctx, 1);
        return;
      }
      start += term_len + 1;
    }
  }
  sqlite3_result_int(ctx, 0);
}

/* Writes all of `data` to `fd`; FALSE on a write error. */
static gboolean write_all(int fd, const guint8 *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* When nothing is at `path`, puts a copy of kk_schema_image there: a new
 * database that needs no migration.  Running the schema script and filling
 * lg_codes cost ~6.5 ms of CPU per new database, the copy ~0.3 ms.  The
 * copy is written to a private file first (mode 0644 less the umask, as
 * SQLite makes its files), synced, then hard-linked to `path`: link()
 * never replaces a file, so a database another process made meanwhile is
 * kept and readers never see a half-written one.  Does nothing on any
 * failure (a directory that cannot be written, a file system without hard
 * links): kk_db_open() then makes the database the SQL way, which reports
 * the errors. */
static void create_from_image(const char *path)
{
  struct stat st;
  if (kk_schema_image_size == 0 || path[0] == '\0' || strcmp(path, ":memory:") == 0 ||
      g_str_has_prefix(path, "file:") || lstat(path, &st) == 0 || errno != ENOENT)
    return;
  static guint serial;
  g_autofree char *tmp = g_strdup_printf("%s.new-%ld-%u", path, (long)getpid(), serial++);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  gboolean ok = write_all(fd, kk_schema_image, kk_schema_image_size) && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (ok)
    (void)link(tmp, path); /* EEXIST: another process's new database */
  unlink(tmp);
}

/* Configures SQLite once, before its first use in the process: no
 * memory statistics (keikaku reads none; keeping them takes a global
 * mutex on every allocation SQLite makes). */
static void configure_sqlite(void)
{
  static gsize done;
  if (g_once_init_enter(&done)) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE once initialized: harmless */
    g_once_init_leave(&done, 1);
  }
}

sqlite3 *kk_db_open(const char *path, KkDbMode mode, GError **error)
{
  sqlite3 *db = NULL;
  configure_sqlite();
  if (mode == KK_DB_READ_WRITE)
    create_from_image(path);
  /* NOMUTEX: a connection is used by the thread that opened it only */
  int flags = SQLITE_OPEN_NOMUTEX | (mode == KK_DB_READ_ONLY ? SQLITE_OPEN_READONLY
                                                             : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: cannot open database: %s", path,
                db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close_v2(db);
    return NULL;
  }
  if (mode == KK_DB_READ_WRITE && sqlite3_db_readonly(db, "main") == 1) {
    /* SQLite opens a file it may not write read-only, silently: every
     * write would fail later, one document at a time */
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: the database is read-only (no permission to write it)", path);
    sqlite3_close_v2(db);
    return NULL;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
  sqlite3_create_function_v2(db, "kk_has_term", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                             NULL, sql_has_term, NULL, NULL, NULL);
  g_autoptr(GError) local = NULL;
  gboolean ok = kk_db_exec(db, "PRAGMA foreign_keys = ON", &local);
  if (ok && mode == KK_DB_READ_WRITE)
    ok = use_wal(db, &local) && kk_db_exec(db, "PRAGMA synchronous = NORMAL", &local) &&
         migrate(db, &local);
  if (ok && mode == KK_DB_READ_ONLY) {
    int version = 0;
    ok = read_user_version(db, &version, &local);
    if (ok && version != KK_DB_SCHEMA_VERSION) {
      if (version == 0)
        g_set_error(&local, KK_ERROR, KK_ERROR_DATABASE, "not a keikaku database (no schema)");
      else
        g_set_error(&local, KK_ERROR, KK_ERROR_DATABASE,
                    "schema version %d, this keikaku reads version %d",
                    version, KK_DB_SCHEMA_VERSION);
      ok = FALSE;
    }
  }
  if (!ok) {
    g_set_error(error, KK_ERROR, KK_ERROR_DATABASE, "%s: %s", path, local->message);
    sqlite3_close_v2(db);
    return NULL;
  }
  return db;
}
