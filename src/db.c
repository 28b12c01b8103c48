/*
 * db: opening, migrating and closing a workspace; transactions; the
 * statement cache (doctor is db_doctor.c).
 *
 * A workspace is recognised by PRAGMA application_id ('mlwb').  A file
 * with tables but another id is refused rather than written to, and so is
 * a workspace whose user_version is newer than DB_SCHEMA_VERSION: an old
 * binary must never silently rewrite a newer file.
 */
#include "config.h"

#include "db_internal.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"

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
	NULL
};

int64_t
db_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
db_new_uuid(char buf[33])
{
	static const char	 hex[] = "0123456789abcdef";
	static unsigned int	 counter;
	unsigned char		 raw[16];
	size_t			 i;
	int			 fd, ok = 0;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		ok = read(fd, raw, sizeof raw) == (ssize_t)sizeof raw;
		close(fd);
	}
	if (!ok) {
		/* No urandom (chroot): time, pid and a counter are unique enough. */
		uint64_t a = (uint64_t)db_now_ms(), b = (uint64_t)getpid();

		b = (b << 32) | counter++;
		memcpy(raw, &a, 8);
		memcpy(raw + 8, &b, 8);
	}
	raw[6] = (unsigned char)((raw[6] & 0x0f) | 0x40);	/* version 4 */
	raw[8] = (unsigned char)((raw[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 15];
	}
	buf[32] = '\0';
}

int
db_sqlerr(struct db *db, struct wb_err *err)
{
	return wb_err_set(err, WB_EDB, "%s: %s", db->path,
	    sqlite3_errmsg(db->sq));
}

int
db_exec(struct db *db, const char *sql, struct wb_err *err)
{
	char	*msg = NULL;

	if (sqlite3_exec(db->sq, sql, NULL, NULL, &msg) != SQLITE_OK) {
		wb_err_set(err, WB_EDB, "%s: %s", db->path,
		    msg ? msg : sqlite3_errmsg(db->sq));
		sqlite3_free(msg);
		return WB_EDB;
	}
	return WB_OK;
}

static unsigned
stmt_bucket(const char *sql)
{
	uintptr_t	p = (uintptr_t)sql;

	return (unsigned)((p >> 4) ^ (p >> 12)) % DB_STMT_BUCKETS;
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, struct wb_err *err)
{
	struct db_stmt	*s;
	unsigned	 b = stmt_bucket(sql);

	for (s = db->stmts[b]; s != NULL; s = s->next) {
		if (s->sql == sql) {
			sqlite3_reset(s->stmt);
			sqlite3_clear_bindings(s->stmt);
			return s->stmt;
		}
	}
	if (db->npool_used < DB_STMT_POOL)
		s = &db->pool[db->npool_used];
	else if ((s = wb_calloc(1, sizeof *s)) == NULL) {
		wb_err_set(err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	if (sqlite3_prepare_v3(db->sq, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->stmt, NULL) != SQLITE_OK) {
		db_sqlerr(db, err);
		if (s < db->pool || s >= db->pool + DB_STMT_POOL)
			wb_free(s);
		return NULL;
	}
	if (s == &db->pool[db->npool_used])
		db->npool_used++;
	s->sql = sql;
	s->next = db->stmts[b];
	db->stmts[b] = s;
	return s->stmt;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct wb_err *err)
{
	int	rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_sqlerr(db, err);
		sqlite3_reset(st);
		return WB_EDB;
	}
	sqlite3_reset(st);
	return WB_OK;
}

int
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int
db_bind_int64_or_null(sqlite3_stmt *st, int i, int64_t v, int is_null)
{
	if (is_null)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_int64(st, i, v);
}

char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char	*t;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	t = sqlite3_column_text(st, i);
	return wb_strdup(t ? (const char *)t : "");
}

static int
pragma_int(struct db *db, const char *sql, int64_t *out, struct wb_err *err)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK)
		return db_sqlerr(db, err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else {
		db_sqlerr(db, err);
		sqlite3_finalize(st);
		return WB_EDB;
	}
	sqlite3_finalize(st);
	return WB_OK;
}

/*
 * Is this file a workspace this binary may write?  Reads only: nothing may
 * touch a file (not even the journal mode in its header) before this says
 * yes.  *version gets its user_version.
 */
static int
db_identify(struct db *db, int64_t *version, struct wb_err *err)
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

/* Bring an identified workspace at version to DB_SCHEMA_VERSION. */
static int
db_migrate(struct db *db, int64_t version, struct wb_err *err)
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
	/* Another process may have migrated it since db_identify read it. */
	if ((rc = pragma_int(db, "PRAGMA user_version", &version, err)) !=
	    WB_OK || version == DB_SCHEMA_VERSION) {
		if (rc == WB_OK)
			return db_commit(db, err);
		db_rollback(db);
		return rc;
	}
	if (version == 0)
		rc = db_exec(db, schema_sql, err);
	else {
		for (i = (size_t)version - 1; rc == WB_OK &&
		    i < sizeof migrations / sizeof migrations[0] &&
		    migrations[i] != NULL; i++)
			rc = db_exec(db, migrations[i], err);
		if (rc == WB_OK && version < 2)
			rc = db_recompress_chunks(db, err);
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

static int
natural_collate(void *arg, int alen, const void *a, int blen, const void *b)
{
	(void)arg;
	return text_natural_cmp(a, (size_t)alen, b, (size_t)blen);
}

int
db_open(const char *path, int flags, struct db **out, struct wb_err *err)
{
	struct db	*db;
	struct stat	 sb;
	int64_t		 version;
	int		 oflags, rc;

	*out = NULL;
	if ((flags & (DB_NOCREATE | DB_READONLY)) && strcmp(path, ":memory:")
	    != 0 && stat(path, &sb) == -1)
		return wb_err_set(err, WB_ENOTFOUND,
		    "%s: no workspace here (create one with 'mlwb init' or "
		    "'mlwb demo')", path);
	if ((db = wb_calloc(1, sizeof *db)) == NULL ||
	    (db->path = wb_strdup(path)) == NULL ||
	    (db->pool = wb_calloc(DB_STMT_POOL, sizeof *db->pool)) == NULL) {
		if (db != NULL)
			wb_free(db->path);
		wb_free(db);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	db->flags = flags;
	oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->sq, oflags | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_URI,
	    NULL) != SQLITE_OK) {
		rc = wb_err_set(err, WB_EDB, "%s: %s", path,
		    db->sq ? sqlite3_errmsg(db->sq) : "cannot open");
		db_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db->sq, 5000);
	/* Names sort like people read them: run-2 before run-10. */
	(void)sqlite3_create_collation(db->sq, "NATSORT", SQLITE_UTF8, NULL,
	    natural_collate);
	sqlite3_extended_result_codes(db->sq, 1);
	if ((rc = db_exec(db, "PRAGMA foreign_keys = ON", err)) != WB_OK) {
		db_close(db);
		return rc;
	}
	if ((rc = db_identify(db, &version, err)) != WB_OK) {
		db_close(db);
		return rc;
	}
	if (!(flags & DB_READONLY) &&
	    (rc = db_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL", err)) != WB_OK) {
		wb_err_prefix(err, "cannot use this file as a workspace");
		db_close(db);
		return rc;
	}
	if ((rc = db_migrate(db, version, err)) != WB_OK) {
		db_close(db);
		return rc;
	}
	*out = db;
	return WB_OK;
}

void
db_close(struct db *db)
{
	struct db_stmt	*s, *next;
	size_t		 i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_STMT_BUCKETS; i++) {
		for (s = db->stmts[i]; s != NULL; s = next) {
			next = s->next;
			sqlite3_finalize(s->stmt);
			if (s < db->pool || s >= db->pool + DB_STMT_POOL)
				wb_free(s);
		}
	}
	if (db->sq != NULL)
		sqlite3_close(db->sq);
	wb_free(db->pool);
	wb_free(db->path);
	wb_free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

int
db_is_readonly(const struct db *db)
{
	return (db->flags & DB_READONLY) != 0;
}

int
db_begin(struct db *db, struct wb_err *err)
{
	char	sql[48];
	int	rc;

	if (db->flags & DB_READONLY)
		return wb_err_set(err, WB_EREADONLY,
		    "%s: opened read-only", db->path);
	if (db->tx_depth == 0)
		rc = db_exec(db, "BEGIN IMMEDIATE", err);
	else {
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", db->tx_depth);
		rc = db_exec(db, sql, err);
	}
	if (rc == WB_OK)
		db->tx_depth++;
	return rc;
}

int
db_read_begin(struct db *db, int *began, struct wb_err *err)
{
	static const char	 sql[] = "BEGIN";
	sqlite3_stmt		*st;

	*began = 0;
	if (db->tx_depth > 0 || !sqlite3_get_autocommit(db->sq))
		return WB_OK;
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    db_step_done(db, st, err) != WB_OK)
		return WB_EDB;
	*began = 1;
	return WB_OK;
}

void
db_read_end(struct db *db, int began)
{
	static const char	 sql[] = "COMMIT";
	sqlite3_stmt		*st;

	if (!began)
		return;
	if ((st = db_prepare(db, sql, NULL)) == NULL ||
	    sqlite3_step(st) != SQLITE_DONE)
		sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL);
	if (st != NULL)
		sqlite3_reset(st);
}

int
db_commit(struct db *db, struct wb_err *err)
{
	char	sql[48];
	int	rc;

	if (db->tx_depth <= 0)
		return wb_err_set(err, WB_EDB, "commit without begin");
	if (db->tx_depth == 1)
		rc = db_exec(db, "COMMIT", err);
	else {
		snprintf(sql, sizeof sql, "RELEASE sp%d", db->tx_depth - 1);
		rc = db_exec(db, sql, err);
	}
	if (rc == WB_OK)
		db->tx_depth--;
	else
		db_rollback(db);
	return rc;
}

void
db_rollback(struct db *db)
{
	char	sql[64];

	if (db->tx_depth <= 0)
		return;
	db->tx_depth--;
	if (db->tx_depth == 0) {
		sqlite3_exec(db->sq, "ROLLBACK", NULL, NULL, NULL);
		return;
	}
	snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d",
	    db->tx_depth, db->tx_depth);
	sqlite3_exec(db->sq, sql, NULL, NULL, NULL);
}

int
db_data_version(struct db *db, int64_t *version, struct wb_err *err)
{
	static const char	 sql[] = "PRAGMA data_version";
	sqlite3_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_sqlerr(db, err);
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return WB_OK;
}
