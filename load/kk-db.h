/*
 * kk-db.h — opening a keikaku SQLite database: WAL, foreign keys, busy
 * timeout, the schema (public tables of SPEC.md + keikaku's own tables and
 * views) created and migrated by PRAGMA user_version, and write
 * transactions that wait for a concurrent writer instead of failing.
 */
#ifndef KK_DB_H
#define KK_DB_H

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Schema version this build writes (PRAGMA user_version). */
#define KK_DB_SCHEMA_VERSION 7

/* Default database file of ingest/compare/search/export. */
#define KK_DB_DEFAULT "keikaku.db"

typedef enum {
  KK_DB_READ_WRITE = 0, /* create if missing, migrate the schema */
  KK_DB_READ_ONLY = 1   /* the file must exist and have a known schema */
} KkDbMode;

/* Opens (creating if needed, in read-write mode) the database at `path` and
 * brings its schema to KK_DB_SCHEMA_VERSION.  A new database is a copy of
 * the image of the current schema made at build time (kk-db.c), or where
 * that cannot be put in place, made by the same SQL.  A database written by a newer
 * keikaku, or a file that is not a database, fails with KK_ERROR_DATABASE.
 * Returns a handle for sqlite3_close() (or kk_db_close()). */
sqlite3 *kk_db_open(const char *path, KkDbMode mode, GError **error);

/* Closes `db` (NULL is fine); finalizes nothing: callers finalize their
 * statements first. */
void kk_db_close(sqlite3 *db);

/* Sets `error` (KK_ERROR_DATABASE) to "WHAT: sqlite message" and returns
 * FALSE, for `return kk_db_fail(db, "insert item", error);`. */
gboolean kk_db_fail(sqlite3 *db, const char *what, GError **error);

/* Runs SQL without parameters (schema statements, BEGIN/COMMIT). */
gboolean kk_db_exec(sqlite3 *db, const char *sql, GError **error);

/* BEGIN IMMEDIATE, retried while another process holds the write lock (on
 * top of the busy timeout), for up to about a minute and a half. */
gboolean kk_db_begin_write(sqlite3 *db, GError **error);

/* COMMIT (retried like BEGIN on SQLITE_BUSY); on failure rolls back. */
gboolean kk_db_commit(sqlite3 *db, GError **error);

/* ROLLBACK if a transaction is open; never fails. */
void kk_db_rollback(sqlite3 *db);

/* Prepares `sql` (a static string) or fails with KK_ERROR_DATABASE. */
sqlite3_stmt *kk_db_prepare(sqlite3 *db, const char *sql, GError **error);

/* Binds a UTF-8 string, or NULL when `text` is NULL. */
void kk_db_bind_text(sqlite3_stmt *st, int index, const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

G_END_DECLS

#endif
