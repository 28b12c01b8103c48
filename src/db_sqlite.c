/*
 * db_sqlite: the SQLite store, the embedded default.  Opens a workspace
 * file, recognises it by PRAGMA application_id ('mlwb'), applies
 * data/schema.sql or the numbered migrations (PRAGMA user_version), sets
 * WAL, foreign keys and a busy timeout, and registers what the shared SQL
 * calls and SQLite lacks: the NATSORT collation and the filter functions
 * wb_like, wb_regexp and wb_num.  The statement calls of struct db_ops
 * are SQLite's own.
 *
 * A file with tables but another id is refused rather than written to,
 * and so is a workspace whose user_version is newer than
 * DB_SCHEMA_VERSION: an old binary must never silently rewrite a newer
 * file.
 */
#include "config.h"

#include "db_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "err.h"
#include "strbuf.h"
#include "rx.h"
#include "db_textidx.h"
#include "text.h"

#define MLWB_APPLICATION_ID 1835824994	/* 'mlwb' */

extern const char schema_sql[];		/* generated from data/schema.sql */

/*
 * Numbered migrations: migrations[i] brings user_version i+1 to i+2.
 * A new workspace gets schema.sql (always the latest) in one go instead.
 */
static const char *const migrations[] = {
	/* 1 -> 2: metric chunks compressed, in code (db_recompress.c). */
	"",
	/* 2 -> 3: registry events refuse INSERT OR REPLACE (issue 11). */
	"CREATE TRIGGER IF NOT EXISTS registry_events_no_replace BEFORE INSERT ON"
	" registry_events WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM"
	" registry_events WHERE id = NEW.id)"
	" BEGIN SELECT RAISE(ABORT, 'registry_events is append-only'); END;",
	/* 3 -> 4: the count of registry events ever written (issue 11). */
	"CREATE TABLE IF NOT EXISTS registry_events_written (n INTEGER NOT"
	" NULL, last_id INTEGER NOT NULL);"
	"INSERT INTO registry_events_written SELECT count(*),"
	" coalesce(max(id), 0) FROM registry_events WHERE NOT EXISTS"
	" (SELECT 1 FROM registry_events_written);"
	"CREATE TRIGGER IF NOT EXISTS registry_events_count AFTER INSERT ON registry_events"
	" BEGIN UPDATE registry_events_written SET n = n + 1,"
	" last_id = max(last_id, NEW.id); END;"
	"CREATE TRIGGER IF NOT EXISTS registry_events_written_no_delete BEFORE DELETE ON"
	" registry_events_written BEGIN SELECT RAISE(ABORT,"
	" 'registry_events_written only grows'); END;"
	"CREATE TRIGGER IF NOT EXISTS registry_events_written_no_lower BEFORE UPDATE ON"
	" registry_events_written WHEN NEW.n < OLD.n OR NEW.last_id <"
	" OLD.last_id BEGIN SELECT RAISE(ABORT,"
	" 'registry_events_written only grows'); END;",
	/* 4 -> 5: run ids reserved by imports being published (issue 11). */
	"CREATE TABLE IF NOT EXISTS import_pending (id INTEGER PRIMARY KEY,"
	" run_lo INTEGER NOT NULL, run_hi INTEGER NOT NULL, host TEXT,"
	" pid INTEGER, started_at INTEGER NOT NULL);",
	/*
	 * 5 -> 6: experiment tags and MLflow 3 logged models (issue 16);
	 * model_versions.logged_model_id is added in code (sq_migrate), as
	 * SQLite has no ADD COLUMN IF NOT EXISTS.
	 */
	"CREATE TABLE IF NOT EXISTS experiment_tags (experiment_id INTEGER NOT NULL"
	" REFERENCES experiments(id) ON DELETE CASCADE, key TEXT NOT NULL,"
	" value TEXT NOT NULL, PRIMARY KEY (experiment_id, key))"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS logged_models (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL"
	" UNIQUE, experiment_id INTEGER REFERENCES experiments(id) ON DELETE"
	" SET NULL, run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,"
	" name TEXT NOT NULL, artifact_path TEXT, status TEXT, model_type TEXT,"
	" created_at INTEGER NOT NULL, updated_at INTEGER);"
	"CREATE TABLE IF NOT EXISTS logged_model_params (logged_model_id INTEGER NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key TEXT NOT NULL,"
	" value TEXT NOT NULL, PRIMARY KEY (logged_model_id, key))"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS logged_model_tags (logged_model_id INTEGER NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key TEXT NOT NULL,"
	" value TEXT NOT NULL, PRIMARY KEY (logged_model_id, key))"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS logged_model_metrics (logged_model_id INTEGER NOT NULL"
	" REFERENCES logged_models(id) ON DELETE CASCADE, key TEXT NOT NULL,"
	" ts INTEGER NOT NULL, step INTEGER NOT NULL, run_uuid TEXT NOT NULL"
	" DEFAULT '', value REAL, dataset_name TEXT, dataset_digest TEXT,"
	" PRIMARY KEY (logged_model_id, key, ts, step, run_uuid))"
	" WITHOUT ROWID;",
	/* 6 -> 7: the record of syncs (push, pull, merge). */
	"CREATE TABLE IF NOT EXISTS sync_peers (peer TEXT NOT NULL, direction"
	" TEXT NOT NULL CHECK (direction IN ('from', 'to')), url TEXT,"
	" at INTEGER NOT NULL, runs INTEGER NOT NULL DEFAULT 0, points"
	" INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (peer, direction)) WITHOUT ROWID",
	/*
	 * 7 -> 8: jobs across hosts: the supervisor's heartbeat
	 * (jobs.heartbeat_at), added in code (sq_migrate).
	 */
	"",
	/*
	 * 8 -> 9: run lifecycle and nested runs (issue 15): the tombstones
	 * here; runs.deleted_at, runs.parent_id, experiments.deleted_at and
	 * experiments.updated_at in code (sq_migrate).
	 */
	"CREATE TABLE IF NOT EXISTS runs_purged (uuid TEXT PRIMARY KEY,"
	" purged_at INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 9 -> 10: artifacts and lineage (issue 15): settings,
	 * run_artifacts, run_outputs; datasets.size in code (sq_migrate).
	 */
	"CREATE TABLE IF NOT EXISTS workspace_settings (key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS run_artifacts (run_id INTEGER NOT NULL"
	" REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL, kind"
	" TEXT NOT NULL CHECK (kind IN ('file', 'dir')), sha256 TEXT NOT"
	" NULL, size INTEGER NOT NULL, n_files INTEGER NOT NULL DEFAULT 1,"
	" created_at INTEGER NOT NULL, PRIMARY KEY (run_id, name))"
	" WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS run_artifacts_sha ON"
	" run_artifacts(sha256);"
	"CREATE TABLE IF NOT EXISTS run_outputs (run_id INTEGER NOT NULL"
	" REFERENCES runs(id) ON DELETE CASCADE, dataset_id INTEGER NOT NULL"
	" REFERENCES datasets(id) ON DELETE CASCADE, role TEXT NOT NULL"
	" DEFAULT '', PRIMARY KEY (run_id, dataset_id, role)) WITHOUT ROWID;",
	/* 10 -> 11: what a run keeps to be run again (issue 15, repro). */
	"CREATE TABLE IF NOT EXISTS run_repro (run_id INTEGER NOT NULL"
	" REFERENCES runs(id) ON DELETE CASCADE, section TEXT NOT NULL,"
	" key TEXT NOT NULL, value BLOB NOT NULL,"
	" PRIMARY KEY (run_id, section, key)) WITHOUT ROWID;",
	/*
	 * 11 -> 12: the text filter's FTS5 trigram index (issue 14), in
	 * code (db_textidx_create), as SQLite may lack FTS5.
	 */
	"",
	NULL
};

#define SQ(db)	((sqlite3 *)(db)->conn)

/*
 * Waiting for another connection's lock: up to db->lock_wait_ms (5 s,
 * db_set_lock_wait), as sqlite3_busy_timeout does, but polling every 2 ms
 * rather than backing off to 100 ms.  A long import publishes in short
 * transactions with a pause between them (db_import.c); a waiter that
 * slept 100 ms at a time would miss those pauses and wait for the whole
 * import.  The wait is timed on the clock, not counted in polls: a
 * loaded machine sleeps longer than asked.
 */
#define BUSY_POLL_MS	2

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
sq_busy(void *arg, int count)
{
	struct db	*db = arg;
	int64_t		 now = mono_ms();

	if (count == 0)
		db->busy_since = now;
	if (now - db->busy_since >= db->lock_wait_ms) {
		db->busy_waited = now - db->busy_since;
		return 0;
	}
	sqlite3_sleep(BUSY_POLL_MS);
	return 1;
}

/*
 * The message for the last error: msg (or SQLite's own, if NULL), but for
 * a lock waited for in vain, which says how long it waited and what to do
 * ("database is locked" alone reads like damage).  The transaction it
 * ended wrote nothing: the caller rolls it back.
 */
static const char *
sq_message(struct db *db, const char *msg)
{
	int	code = sqlite3_extended_errcode(SQ(db));

	if ((code & 0xff) != SQLITE_BUSY || code == SQLITE_BUSY_SNAPSHOT)
		return msg != NULL ? msg : sqlite3_errmsg(SQ(db));
	if (db->busy_waited <= 0)
		return "database is locked (by another connection)";
	snprintf(db->busy_msg, sizeof db->busy_msg, "database is locked: "
	    "waited %.1f s for another writer; nothing of this was written "
	    "(MLWB_LOCK_WAIT=SECONDS waits longer)",
	    (double)db->busy_waited / 1000);
	db->busy_waited = 0;
	return db->busy_msg;
}

/*
 * A statement handle.  SQLite's INSERT ... RETURNING builds and drops an
 * ephemeral table at every execution (sqlite3BtreeCreateTable, a pager,
 * mallocs): 3-5 us a row, 134 ms against 80 ms for 10,000 run inserts.
 * Every single-row insert that wants its id is written once for both
 * stores as INSERT INTO t (...) VALUES (...) RETURNING id, so for exactly
 * that shape (id_return_shape) on a table whose id is its rowid
 * (id_is_rowid), the statement is prepared without the RETURNING clause
 * and its first step answers sqlite3_last_insert_rowid() as the one row
 * (id_row).  Triggers do not disturb that value: a trigger's own inserts
 * set it only while the trigger runs.  An upsert, INSERT OR ..., INSERT
 * ... SELECT or several VALUES rows keep the real RETURNING: their id is
 * not (always) the last rowid.  Errors are the plain insert's, so
 * sqlite3_extended_errcode (db_err_is_unique) reads the same.
 */
struct sq_stmt {
	sqlite3_stmt	*st;
	int		 id_ret;	/* RETURNING id answered by us */
	int		 id_row;	/* the id row is current */
	int64_t		 id;
	char		 idtext[24];	/* id as text, for column_text */
};

#define ST(h)	(((struct sq_stmt *)(h))->st)

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Keyword kw (upper case) at p, not followed by an identifier byte. */
static const char *
keyword(const char *p, const char *kw)
{
	size_t	n = strlen(kw), i;

	for (i = 0; i < n; i++)
		if (p[i] == '\0' || (p[i] & ~0x20) != kw[i])
			return NULL;
	if (p[n] == '_' || (p[n] >= '0' && p[n] <= '9') ||
	    ((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z'))
		return NULL;
	return p + n;
}

/*
 * The parenthesised group at p, up to its matching ')', skipping string
 * literals; NULL if it holds a SELECT (a subquery: keep to the simplest
 * shape) or does not close.
 */
static const char *
paren_group(const char *p)
{
	int	depth = 0;

	if (*p != '(')
		return NULL;
	for (; *p != '\0'; p++) {
		if (*p == '\'' || *p == '"') {
			char	q = *p;

			while (*++p != '\0' && *p != q)
				;
			if (*p == '\0')
				return NULL;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		else if ((*p | 0x20) == 's' && keyword(p, "SELECT") != NULL)
			return NULL;
	}
	return NULL;
}

/*
 * Whether sql is exactly INSERT INTO t (cols) VALUES (vals) RETURNING id
 * (any case and spacing, an optional ';'): then *cut is where RETURNING
 * starts and table[] holds t.
 */
static int
id_return_shape(const char *sql, size_t *cut, char *table, size_t tlen)
{
	const char	*p = skip_ws(sql), *t, *end;

	if ((p = keyword(p, "INSERT")) == NULL ||
	    (p = keyword(skip_ws(p), "INTO")) == NULL)
		return 0;
	t = p = skip_ws(p);
	while (*p == '_' || (*p >= '0' && *p <= '9') ||
	    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
		p++;
	if (p == t || (size_t)(p - t) >= tlen)
		return 0;
	memcpy(table, t, (size_t)(p - t));
	table[p - t] = '\0';
	if ((p = paren_group(skip_ws(p))) == NULL ||
	    (p = keyword(skip_ws(p), "VALUES")) == NULL ||
	    (p = paren_group(skip_ws(p))) == NULL)
		return 0;
	end = p;
	p = skip_ws(p);
	if ((p = keyword(p, "RETURNING")) == NULL ||
	    (p = keyword(skip_ws(p), "ID")) == NULL)
		return 0;
	p = skip_ws(p);
	if (*p == ';')
		p = skip_ws(p + 1);
	if (*p != '\0')
		return 0;
	*cut = (size_t)(end - sql);
	return 1;
}

/*
 * Whether t.id is t's rowid: a rowid table whose only primary key
 * column is id INTEGER.  Anything else (WITHOUT ROWID, a composite key,
 * a view, an unknown table) keeps the real RETURNING.
 */
static int
id_is_rowid(sqlite3 *sq, const char *table)
{
	static const char sql[] = "SELECT sum(pk > 0), sum(pk = 1 AND"
	    " name = 'id' COLLATE NOCASE AND upper(type) = 'INTEGER')"
	    " FROM pragma_table_info(?1)";
	sqlite3_stmt	*st;
	int		 ok = 0;

	/* Fails for a WITHOUT ROWID table, which has no rowid column. */
	if (sqlite3_table_column_metadata(sq, NULL, table, "rowid", NULL,
	    NULL, NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0) == 1 &&
		    sqlite3_column_int(st, 1) == 1;
	sqlite3_finalize(st);
	return ok;
}

/*
 * The handle is allocated with sqlite3_malloc, as the statement itself
 * is: preparing fails only as SQLite's own prepare does (test_fault
 * counts on which allocations can fail).
 */
static int
sq_prepare(struct db *db, const char *sql, int persistent, void **h,
    struct wb_err *err)
{
	struct sq_stmt	*s;
	char		 table[128];
	size_t		 cut;
	int		 len = -1;

	if ((s = sqlite3_malloc64(sizeof *s)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	memset(s, 0, sizeof *s);
	if (id_return_shape(sql, &cut, table, sizeof table) &&
	    id_is_rowid(SQ(db), table)) {
		s->id_ret = 1;
		len = (int)cut;		/* the SQL up to RETURNING */
	}
	if (sqlite3_prepare_v3(SQ(db), sql, len, persistent ?
	    SQLITE_PREPARE_PERSISTENT : 0, &s->st, NULL) != SQLITE_OK) {
		sqlite3_finalize(s->st);
		sqlite3_free(s);
		return db_sqlerr(db, err);
	}
	*h = s;
	return WB_OK;
}

static void
sq_finalize(void *h)
{
	sqlite3_finalize(ST(h));
	sqlite3_free(h);
}

static void
sq_reset(void *h)
{
	((struct sq_stmt *)h)->id_row = 0;
	sqlite3_reset(ST(h));
	sqlite3_clear_bindings(ST(h));
}

static int
sq_bind_int64(void *h, int i, int64_t v)
{
	return sqlite3_bind_int64(ST(h), i, v);
}

static int
sq_bind_double(void *h, int i, double v)
{
	return sqlite3_bind_double(ST(h), i, v);
}

static int
sq_bind_text(void *h, int i, const char *s, int len)
{
	return sqlite3_bind_text(ST(h), i, s, len, SQLITE_TRANSIENT);
}

static int
sq_bind_blob(void *h, int i, const void *p, size_t len)
{
	/* Borrowed: the caller keeps p until the step. */
	return sqlite3_bind_blob64(ST(h), i, p, len, SQLITE_STATIC);
}

static int
sq_bind_null(void *h, int i)
{
	return sqlite3_bind_null(ST(h), i);
}

/*
 * For an id_ret statement: the insert's DONE becomes the id row if a row
 * went in (a trigger's RAISE(IGNORE) puts none, and RETURNING would then
 * give none), and the next step is DONE.  A step after that runs the
 * insert again, as SQLite's auto-reset does.
 */
static int
sq_step(void *h)
{
	struct sq_stmt	*s = h;
	int		 rc;

	if (!s->id_ret)
		return sqlite3_step(s->st);
	if (s->id_row) {
		s->id_row = 0;
		return SQLITE_DONE;
	}
	rc = sqlite3_step(s->st);
	if (rc == SQLITE_DONE && sqlite3_changes64(sqlite3_db_handle(s->st))
	    > 0) {
		s->id = sqlite3_last_insert_rowid(sqlite3_db_handle(s->st));
		snprintf(s->idtext, sizeof s->idtext, "%lld",
		    (long long)s->id);
		s->id_row = 1;
		return SQLITE_ROW;
	}
	return rc;
}

/* The id row's one column, for an id_ret statement (sq_step). */
#define ID_ROW(h)	(((struct sq_stmt *)(h))->id_row)

static int64_t
sq_column_int64(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? ((struct sq_stmt *)h)->id : 0;
	return sqlite3_column_int64(ST(h), i);
}

static double
sq_column_double(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? (double)((struct sq_stmt *)h)->id : 0;
	return sqlite3_column_double(ST(h), i);
}

static const char *
sq_column_text(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? ((struct sq_stmt *)h)->idtext : NULL;
	return (const char *)sqlite3_column_text(ST(h), i);
}

static const void *
sq_column_blob(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? ((struct sq_stmt *)h)->idtext : NULL;
	return sqlite3_column_blob(ST(h), i);
}

static int
sq_column_bytes(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? (int)strlen(((struct sq_stmt *)h)->idtext) : 0;
	return sqlite3_column_bytes(ST(h), i);
}

static int
sq_column_type(void *h, int i)
{
	if (ID_ROW(h))
		return i == 0 ? SQLITE_INTEGER : SQLITE_NULL;
	/* SQLITE_INTEGER..SQLITE_NULL are DB_INTEGER..DB_NULL. */
	return sqlite3_column_type(ST(h), i);
}

static int
sq_exec(struct db *db, const char *sql, struct wb_err *err)
{
	char	*msg = NULL;

	if (sqlite3_exec(SQ(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
		wb_err_set(err, WB_EDB, "%s: %s", db->path,
		    sq_message(db, msg));
		sqlite3_free(msg);
		return WB_EDB;
	}
	return WB_OK;
}

static const char *
sq_errmsg(struct db *db)
{
	return db->conn ? sq_message(db, NULL) : "cannot open";
}

static int
sq_err_is_unique(struct db *db)
{
	return sqlite3_extended_errcode(SQ(db)) == SQLITE_CONSTRAINT_UNIQUE;
}

static int64_t
sq_changes(struct db *db)
{
	return sqlite3_changes64(SQ(db));
}

static int64_t
sq_total_changes(struct db *db)
{
	return sqlite3_total_changes64(SQ(db));
}

static int
sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(SQ(db));
}

static const char *
sq_begin_sql(void)
{
	/* Take the write lock now: a later upgrade could fail busy. */
	return "BEGIN IMMEDIATE";
}

/*
 * PRAGMA data_version: changes when another connection commits, so a
 * viewer can poll it cheaply and reload only then.
 */
static int
sq_data_version(struct db *db, int64_t *version, struct wb_err *err)
{
	static const char	 sql[] = "PRAGMA data_version";
	struct db_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if (db_step(st) != DB_ROW)
		return db_sqlerr(db, err);
	*version = db_column_int64(st, 0);
	db_reset(st);
	return WB_OK;
}

static int
sq_blob_open(struct db *db, const char *table, const char *column,
    int64_t rowid, void **h, size_t *size, struct wb_err *err)
{
	sqlite3_blob	*b;

	*h = NULL;
	if (sqlite3_blob_open(SQ(db), "main", table, column, rowid, 0, &b) !=
	    SQLITE_OK)
		return db_sqlerr(db, err);
	*size = (size_t)sqlite3_blob_bytes(b);
	*h = b;
	return WB_OK;
}

static int
sq_blob_read(struct db *db, void *h, void *buf, size_t len, size_t off,
    struct wb_err *err)
{
	if (sqlite3_blob_read(h, buf, (int)len, (int)off) != SQLITE_OK)
		return db_sqlerr(db, err);
	return WB_OK;
}

static void
sq_blob_close(void *h)
{
	sqlite3_blob_close(h);
}

/*
 * Once a connection has drawn a chart, or is to read a whole file (the
 * other file of a merge: its check and its rows), its reads go through
 * a memory map: a 1,000,000-point chart reads ~1,300 pages (chunk rows,
 * overflow chains to the blocks it needs), and copying each with pread
 * took half its time (12 ms against 6).  The map stays (setting the
 * same size again is a no-op), so moving the cursor does not fault the
 * pages in anew; it holds only the pages read.  Other connections keep
 * SQLite's default of no map.
 *
 * A large import touches more index pages than the default 2 MB cache
 * holds, which then spills to the WAL mid-transaction: bulk writes get
 * 64 MB while they last.
 */
static void
sq_hint(struct db *db, int what)
{
	switch (what) {
	case DB_HINT_BULK_BEGIN:
		sq_exec(db, "PRAGMA cache_size = -65536", NULL);
		/* Outside a transaction only, or the journals stay files. */
		if (db->tx_depth == 0 && sqlite3_get_autocommit(SQ(db)))
			sq_exec(db, "PRAGMA temp_store = MEMORY", NULL);
		break;
	case DB_HINT_BULK_END:
		sq_exec(db, "PRAGMA cache_size = -2000", NULL);	/* default */
		if (db->tx_depth == 0 && sqlite3_get_autocommit(SQ(db)))
			sq_exec(db, "PRAGMA temp_store = DEFAULT", NULL);
		break;
	case DB_HINT_CHART_READS:
	case DB_HINT_READ_ALL:
		/* Not inside a transaction: SQLite would refuse the size. */
		if (db->tx_depth == 0 && sqlite3_get_autocommit(SQ(db)))
			sq_exec(db, "PRAGMA mmap_size = 268435456", NULL);
		break;
	case DB_HINT_NO_CHECKPOINT:
		(void)sqlite3_db_config(SQ(db),
		    SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		break;
	}
}

static void
sq_close(struct db *db)
{
	if (db->conn != NULL)
		sqlite3_close(SQ(db));
	db->conn = NULL;
}

const struct db_ops db_sqlite_ops = {
	.name = "SQLite",
	.ilike = "LIKE",
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_bytes = sq_column_bytes,
	.column_type = sq_column_type,
	.exec = sq_exec,
	.errmsg = sq_errmsg,
	.err_is_unique = sq_err_is_unique,
	.changes = sq_changes,
	.total_changes = sq_total_changes,
	.in_transaction = sq_in_transaction,
	.begin_sql = sq_begin_sql,
	.data_version = sq_data_version,
	.blob_open = sq_blob_open,
	.blob_read = sq_blob_read,
	.blob_close = sq_blob_close,
	.hint = sq_hint,
	.doctor = NULL,		/* db_doctor.c: integrity_check on a 2nd connection */
	.lock = NULL,		/* a file beside it: db_lock */
	.key_insert = NULL,	/* one writer at a time anyway */
	.close = sq_close,
};

/* Case-sensitive LIKE: % any run, _ one byte; no escape, as in MLflow. */
static int
like_match(const unsigned char *s, const unsigned char *p)
{
	for (; *p; p++, s++) {
		if (*p == '%') {
			while (p[1] == '%')
				p++;
			if (p[1] == '\0')
				return 1;
			for (; *s; s++)
				if (like_match(s, p + 1))
					return 1;
			return 0;
		}
		if (*s == '\0' || (*p != '_' && *p != *s))
			return 0;
	}
	return *s == '\0';
}

static void
fn_like(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*v, *pat;

	(void)argc;
	v = sqlite3_value_text(argv[0]);
	pat = sqlite3_value_text(argv[1]);
	if (v == NULL || pat == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, like_match(v, pat));
}

static void
rx_destroy(void *p)
{
	rx_free(p);
}

/* pcre2 through rx, the pattern compiled once per statement. */
static void
fn_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct rx	*rx;
	const char	*pat, *v;
	struct wb_err	 e;
	int		 m;

	(void)argc;
	if ((rx = sqlite3_get_auxdata(ctx, 0)) == NULL) {
		if ((pat = (const char *)sqlite3_value_text(argv[0])) == NULL) {
			sqlite3_result_null(ctx);
			return;
		}
		if (rx_compile(pat, &rx, NULL, &e) != WB_OK) {
			sqlite3_result_error(ctx, e.msg, -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 0, rx, rx_destroy);
		if ((rx = sqlite3_get_auxdata(ctx, 0)) == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	if ((v = (const char *)sqlite3_value_text(argv[1])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	m = rx_match(rx, v, (size_t)sqlite3_value_bytes(argv[1]));
	sqlite3_result_int(ctx, m == 1);
}

/* A text as a number, or NULL when it is not one. */
static void
fn_num(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*s;
	double		 d;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_INTEGER ||
	    sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
		sqlite3_result_double(ctx, sqlite3_value_double(argv[0]));
		return;
	}
	s = (const char *)sqlite3_value_text(argv[0]);
	if (s == NULL || text_parse_num(s, strlen(s), &d) != 0 || isnan(d))
		sqlite3_result_null(ctx);
	else
		sqlite3_result_double(ctx, d);
}

static int
natural_collate(void *arg, int alen, const void *a, int blen, const void *b)
{
	(void)arg;
	return text_natural_cmp(a, (size_t)alen, b, (size_t)blen);
}

static int
register_functions(struct db *db, struct wb_err *err)
{
	int	f = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	/* Names sort like people read them: run-2 before run-10. */
	if (sqlite3_create_collation(SQ(db), "NATSORT", SQLITE_UTF8, NULL,
	    natural_collate) != SQLITE_OK ||
	    sqlite3_create_function(SQ(db), "wb_like", 2, f, NULL, fn_like,
	    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(SQ(db), "wb_regexp", 2, f, NULL,
	    fn_regexp, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(SQ(db), "wb_num", 1, f, NULL, fn_num,
	    NULL, NULL) != SQLITE_OK)
		return db_sqlerr(db, err);
	return WB_OK;
}

static int
pragma_int(struct db *db, const char *sql, int64_t *out, struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_column_int64(st, 0);
	else if (rc == DB_DONE)
		*out = 0;
	else {
		db_sqlerr(db, err);
		db_finalize(st);
		return WB_EDB;
	}
	db_finalize(st);
	return WB_OK;
}

/*
 * Is this file a workspace this binary may write?  Reads only: nothing may
 * touch a file (not even the journal mode in its header) before this says
 * yes.  *version gets its user_version.
 */
static int
sq_identify(struct db *db, int64_t *version, struct wb_err *err)
{
	int64_t	 appid, ntables;
	int	 rc;

	if ((rc = pragma_int(db, "PRAGMA application_id", &appid, err)) ||
	    (rc = pragma_int(db, "PRAGMA user_version", version, err)) ||
	    (rc = pragma_int(db, "SELECT count(*) FROM sqlite_master",
	    &ntables, err)))
		return rc;
	if (appid != MLWB_APPLICATION_ID && ntables > 0)
		return wb_err_set(err, WB_EVERSION,
		    "%s: not an mlwb workspace (a SQLite file of another "
		    "program; for an MLflow database use import-mlflow)",
		    db->path);
	if (*version > DB_SCHEMA_VERSION)
		return wb_err_set(err, WB_EVERSION,
		    "%s: workspace schema version %lld is newer than this "
		    "mlwb supports (%d); upgrade mlwb", db->path,
		    (long long)*version, DB_SCHEMA_VERSION);
	return WB_OK;
}

/* ALTER TABLE table ADD COLUMN column decl, unless it has it already. */
static int
add_column_once(struct db *db, const char *table, const char *column,
    const char *decl, struct wb_err *err)
{
	sqlite3_stmt	*st;
	char		 sql[256];
	int		 rc, has = 0;

	if (sqlite3_prepare_v2(SQ(db), "SELECT 1 FROM pragma_table_info(?1)"
	    " WHERE name = ?2", -1, &st, NULL) != SQLITE_OK)
		return db_sqlerr(db, err);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	has = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, err);
	if (has)
		return WB_OK;
	snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", table,
	    column, decl);
	return db_exec(db, sql, err);
}

/* Migration 8 -> 9: the lifecycle and nesting columns (issue 15). */
static int
life_columns(struct db *db, struct wb_err *err)
{
	int	rc;

	if ((rc = add_column_once(db, "runs", "deleted_at", "INTEGER",
	    err)) != WB_OK ||
	    (rc = add_column_once(db, "runs", "parent_id", "INTEGER"
	    " REFERENCES runs(id) ON DELETE SET NULL", err)) != WB_OK ||
	    (rc = add_column_once(db, "experiments", "deleted_at", "INTEGER",
	    err)) != WB_OK ||
	    (rc = add_column_once(db, "experiments", "updated_at", "INTEGER",
	    err)) != WB_OK)
		return rc;
	/* The experiments screen counts live runs from the index alone. */
	return db_exec(db, "CREATE INDEX IF NOT EXISTS runs_parent ON"
	    " runs(parent_id) WHERE parent_id IS NOT NULL;"
	    "CREATE INDEX IF NOT EXISTS runs_deleted ON runs(deleted_at)"
	    " WHERE deleted_at IS NOT NULL;"
	    "DROP INDEX IF EXISTS runs_exp_status;"
	    "CREATE INDEX runs_exp_status ON runs(experiment_id, status,"
	    " deleted_at)", err);
}

/*
 * An older file opened read-only (not migrated) lacks the lifecycle
 * columns that every run list reads (runs.deleted_at ...).  Temporary
 * views of the same names shadow its tables for this connection only
 * (the temp schema is searched first), adding them as NULL: no run of
 * such a file is deleted or nested.  Nothing is written to the file.
 */
static int
life_shim(struct db *db, struct wb_err *err)
{
	sqlite3_stmt	*st;
	int		 has;

	if (sqlite3_prepare_v2(SQ(db), "SELECT 1 FROM pragma_table_info("
	    "'runs') WHERE name = 'deleted_at'", -1, &st, NULL) != SQLITE_OK)
		return db_sqlerr(db, err);
	has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (has)
		return WB_OK;
	return db_exec(db, "CREATE TEMP VIEW runs AS SELECT *, NULL AS"
	    " deleted_at, NULL AS parent_id FROM main.runs;"
	    "CREATE TEMP VIEW experiments AS SELECT *, NULL AS deleted_at,"
	    " NULL AS updated_at FROM main.experiments;"
	    "CREATE TEMP TABLE runs_purged (uuid TEXT PRIMARY KEY,"
	    " purged_at INTEGER NOT NULL);", err);
}

/* Bring an identified workspace at version to DB_SCHEMA_VERSION. */
static int
sq_migrate(struct db *db, int64_t version, struct wb_err *err)
{
	int	 rc;
	size_t	 i;

	if (version == DB_SCHEMA_VERSION)
		return WB_OK;
	if ((db->flags & DB_READONLY) && version >= DB_READABLE_FROM)
		return WB_OK;
	if (db->flags & DB_READONLY)
		return wb_err_set(err, WB_EREADONLY,
		    "%s: workspace needs a schema upgrade (version %lld to "
		    "%d) and is opened read-only", db->path,
		    (long long)version, DB_SCHEMA_VERSION);

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	/* Another process may have migrated it since sq_identify read it. */
	if ((rc = pragma_int(db, "PRAGMA user_version", &version, err)) !=
	    WB_OK || version == DB_SCHEMA_VERSION) {
		if (rc == WB_OK)
			return db_commit(db, err);
		db_rollback(db);
		return rc;
	}
	if (version == 0) {
		rc = db_exec(db, schema_sql, err);
		/*
		 * SQLite's private temporary database is the CSV importer's
		 * stage (db_import.c), copied set-based into a workspace
		 * whose triggers index what arrives: an index of its own
		 * was a fifth of the time of a small file's import.
		 */
		if (rc == WB_OK && db->url[0] != '\0')
			rc = db_textidx_create(db, err);
	} else {
		for (i = (size_t)version - 1; rc == WB_OK &&
		    i < sizeof migrations / sizeof migrations[0] &&
		    migrations[i] != NULL; i++)
			rc = db_exec(db, migrations[i], err);
		if (rc == WB_OK && version < 2)
			rc = db_recompress_chunks(db, err);
		if (rc == WB_OK && version < DB_SCHEMA_LMODELS)
			rc = add_column_once(db, "model_versions",
			    "logged_model_id", "INTEGER REFERENCES"
			    " logged_models(id) ON DELETE SET NULL", err);
		if (rc == WB_OK && version < 8)
			rc = add_column_once(db, "jobs", "heartbeat_at",
			    "INTEGER", err);
		if (rc == WB_OK && version < 9)
			rc = life_columns(db, err);
		if (rc == WB_OK && version < 10)
			rc = add_column_once(db, "datasets", "size",
			    "INTEGER", err);
		if (rc == WB_OK && version < 12)
			rc = db_textidx_create(db, err);
	}
	if (rc == WB_OK) {
		char	sql[64];

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    DB_SCHEMA_VERSION);
		rc = db_exec(db, sql, err);
	}
	if (rc == WB_OK)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

/*
 * A read-only open of a WAL workspace needs its -shm file, which SQLite
 * creates beside it: on read-only media or in a directory we cannot write
 * that fails ("unable to open database file").  Then, if there is no -shm
 * to share and no -wal holding changes, the file is opened immutable (no
 * locks, no -shm; nobody can be writing it where no file can be made).
 * A -wal with changes cannot be read that way: refused with the reason.
 * *uri is NULL when the plain path will do, else a "file:" URI to free.
 */
static int
ro_uri(const char *path, char **uri, struct wb_err *err)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct strbuf		 sb = STRBUF_INIT;
	struct stat		 st;
	const char		*slash, *p;

	*uri = NULL;
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return WB_OK;
	strbuf_addf(&sb, "%s-shm", path);
	if (sb.oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (access(strbuf_str(&sb), R_OK) == 0) {
		strbuf_free(&sb);
		return WB_OK;
	}
	strbuf_reset(&sb);
	if ((slash = strrchr(path, '/')) == NULL)
		strbuf_adds(&sb, ".");
	else
		strbuf_add(&sb, path, slash == path ? 1 : (size_t)(slash - path));
	if (sb.oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (access(strbuf_str(&sb), W_OK) == 0) {
		strbuf_free(&sb);
		return WB_OK;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s-wal", path);
	if (!sb.oom && stat(strbuf_str(&sb), &st) == 0 && st.st_size > 0) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_EREADONLY, "%s: its directory cannot "
		    "be written and %s-wal holds changes not yet in the file: "
		    "open it once where it can be written", path, path);
	}
	strbuf_reset(&sb);
	strbuf_adds(&sb, "file:");
	for (p = path; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
			strbuf_addc(&sb, '%');
			strbuf_addc(&sb, hex[c >> 4]);
			strbuf_addc(&sb, hex[c & 15]);
		} else
			strbuf_addc(&sb, (char)c);
	}
	strbuf_adds(&sb, "?immutable=1");
	if (sb.oom) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	*uri = strbuf_detach(&sb);
	return *uri != NULL ? WB_OK : wb_err_set(err, WB_ENOMEM,
	    "out of memory");
}

/*
 * Once per process, before SQLite's first use: no allocation counters.
 * Nothing here reads them, and keeping them takes a process-wide mutex
 * at every sqlite3_malloc and sqlite3_free, which the threads that use
 * SQLite at once (an MLflow import's reader, doctor's and merge's
 * checks) would take turns on.  Too late (SQLite in use) is harmless.
 */
static void
sq_global_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int
db_sqlite_open(struct db *db, const char *path, int flags,
    struct wb_err *err)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;
	sqlite3			*sq = NULL;
	int64_t			 version;
	int			 oflags, rc;

	pthread_once(&once, sq_global_config);
	db->ops = &db_sqlite_ops;
	oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if ((flags & DB_READONLY) && (rc = ro_uri(path, &db->ro_uri, err)) !=
	    WB_OK)
		return rc;
	/* ro_uri is kept: a second connection (doctor's) opens it alike. */
	rc = sqlite3_open_v2(db->ro_uri ? db->ro_uri : path, &sq, oflags |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
	db->conn = sq;
	if (rc != SQLITE_OK)
		return wb_err_set(err, WB_EDB, "%s: %s", path,
		    sq ? sqlite3_errmsg(sq) : "cannot open");
	sqlite3_busy_handler(sq, sq_busy, db);
	sqlite3_extended_result_codes(sq, 1);
	if ((rc = register_functions(db, err)) != WB_OK)
		return rc;
	if ((rc = db_exec(db, "PRAGMA foreign_keys = ON", err)) != WB_OK)
		return rc;
	if ((rc = sq_identify(db, &version, err)) != WB_OK)
		return rc;
	if (!(flags & DB_READONLY) &&
	    (rc = db_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL", err)) != WB_OK) {
		wb_err_prefix(err, "cannot use this file as a workspace");
		return rc;
	}
	if ((rc = sq_migrate(db, version, err)) != WB_OK)
		return rc;
	/* Read as it is: an older file lacks what later schemas added. */
	db->schema = (flags & DB_READONLY) ? version : DB_SCHEMA_VERSION;
	if (db->schema > 0 && db->schema < 9)
		return life_shim(db, err);
	return WB_OK;
}
