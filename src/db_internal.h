/*
 * db_internal: what the db_*.c store modules share and nobody else sees:
 * the store-neutral statement API (prepare with ? placeholders, bind,
 * step, column getters, reset), the per-connection statement cache and
 * helpers that turn store errors into struct wb_err.
 *
 * A connection is backed by one store (struct db_ops): SQLite
 * (db_sqlite.c, the only user of <sqlite3.h> apart from the foreign-file
 * reader mlflow_db.c) or, when built with libpq, PostgreSQL.  SQL given to
 * db_prepare is written once, in the dialect both stores speak (ON
 * CONFLICT, RETURNING, CTEs, window functions); what truly differs sits
 * behind the db_store_* functions below.
 */
#ifndef WB_DB_INTERNAL_H
#define WB_DB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db.h"

struct wb_err;
struct db;

/* db_step results (SQLite's values, so traces read the same). */
#define DB_ROW		100
#define DB_DONE		101
/* db_column_type results. */
#define DB_INTEGER	1
#define DB_FLOAT	2
#define DB_TEXT		3
#define DB_BLOB		4
#define DB_NULL		5

/*
 * A prepared statement.  Cached ones (db_prepare) belong to the
 * connection; one-off ones (db_prepare_once) are the caller's to
 * db_finalize.
 */
struct db_stmt {
	const struct db_ops	*ops;
	struct db		*db;
	void			*h;	/* the store's own handle */
	const char		*sql;	/* cache key: the static string */
	struct db_stmt		*next;
};

/*
 * One store.  Statement calls mirror SQLite's C API; the PostgreSQL store
 * emulates it (parameters collected at bind, the query run at the first
 * step, rows walked by later steps).
 */
struct db_ops {
	const char	*name;		/* "SQLite", "PostgreSQL" */
	/* Case-insensitive LIKE (ASCII case): SQLite's LIKE, PG's ILIKE. */
	const char	*ilike;
	/*
	 * Whether per-experiment run counts are kept in exp_run_counts by
	 * triggers (PostgreSQL, data/schema-pg.sql); SQLite counts its
	 * covering index runs_exp_status, which is as fast.
	 */
	int		 kept_run_counts;
	int	 (*prepare)(struct db *, const char *sql, int persistent,
		    void **h, struct wb_err *);
	void	 (*finalize)(void *h);
	void	 (*reset)(void *h);	/* also clears the bindings */
	int	 (*bind_int64)(void *h, int i, int64_t v);
	int	 (*bind_double)(void *h, int i, double v);
	int	 (*bind_text)(void *h, int i, const char *s, int len);
	int	 (*bind_blob)(void *h, int i, const void *p, size_t len);
	int	 (*bind_null)(void *h, int i);
	int	 (*step)(void *h);
	int64_t	 (*column_int64)(void *h, int i);
	double	 (*column_double)(void *h, int i);
	const char *(*column_text)(void *h, int i);
	const void *(*column_blob)(void *h, int i);
	int	 (*column_bytes)(void *h, int i);
	int	 (*column_type)(void *h, int i);
	int	 (*exec)(struct db *, const char *sql, struct wb_err *);
	const char *(*errmsg)(struct db *);
	int	 (*err_is_unique)(struct db *);
	int64_t	 (*changes)(struct db *);
	int64_t	 (*total_changes)(struct db *);
	int	 (*in_transaction)(struct db *);
	const char *(*begin_sql)(void);	/* the outermost write BEGIN */
	int	 (*data_version)(struct db *, int64_t *, struct wb_err *);
	int	 (*blob_open)(struct db *, const char *table,
		    const char *column, int64_t rowid, void **h,
		    size_t *size, struct wb_err *);
	int	 (*blob_read)(struct db *, void *h, void *buf, size_t len,
		    size_t off, struct wb_err *);
	void	 (*blob_close)(void *h);
	void	 (*hint)(struct db *, int what);
	/*
	 * The server's own integrity checks, one line per finding; NULL for
	 * SQLite, whose checks db_doctor.c runs itself (in a thread, on a
	 * second connection).
	 */
	int	 (*doctor)(struct db *, void (*)(void *, const char *),
		    void *, int *, struct wb_err *);
	/*
	 * A server-side advisory lock (take: name; release: NULL, 0), or
	 * NULL when the store locks a file beside it (db_lock in db.c).
	 */
	int	 (*lock)(struct db *, const char *name, int take,
		    struct wb_err *);
	/*
	 * Create metric key name at once, committed outside the current
	 * transaction (NULL: insert it in the transaction).  On PostgreSQL
	 * a key inserted by a long import would make every other writer of
	 * that key wait for the import's commit.
	 */
	int	 (*key_insert)(struct db *, const char *name, int64_t *id,
		    struct wb_err *);
	/*
	 * Run sql, a COPY ... FROM STDIN (FORMAT binary), with the len bytes
	 * of buf as its data (db_copy.c); NULL when the store has no COPY.
	 */
	int	 (*copy_in)(struct db *, const char *sql, const void *buf,
		    size_t len, struct wb_err *);
	void	 (*close)(struct db *);
};

#define DB_STMT_BUCKETS 64
#define DB_STMT_POOL 256	/* cache nodes allocated at open */

/*
 * Whether run r (a runs row named r in the statement) is live: neither
 * it nor its experiment is soft-deleted (db_life.h).  Every list, count,
 * search and completion of runs tests this; one definition for all.
 */
#define RUN_LIVE_SQL							\
	"(r.deleted_at IS NULL AND r.experiment_id NOT IN (SELECT x.id"	\
	" FROM experiments x WHERE x.deleted_at IS NOT NULL))"
#define RUN_DELETED_SQL	"(NOT " RUN_LIVE_SQL ")"

/* The first SQLite schema with experiment_tags and logged_models. */
#define DB_SCHEMA_LMODELS	6
/* The first SQLite schema with run_repro (issue 15, repro). */
#define DB_SCHEMA_REPRO		11

struct db {
	const struct db_ops *ops;
	void		*conn;		/* the store's connection */
	char		*path;		/* for messages: db_url_label */
	char		*url;		/* as given to db_open */
	char		*ro_uri;	/* SQLite: the immutable URI it was opened by */
	int		 flags;
	/*
	 * The schema version its tables are at: the latest, except for an
	 * older SQLite file opened read-only (not migrated).  0 until known.
	 * Readers of tables a later schema added check it
	 * (DB_SCHEMA_LMODELS).
	 */
	int64_t		 schema;
	int		 tx_depth;
	int		 text_index;	/* db_textidx.c's cache; 0: not known */
	/* db_textidx_defer is in force since this tx_depth; 0: not */
	int		 text_deferred;
	/* ... and the highest run_text and runs ids when it began */
	int64_t		 text_lo, text_runs_lo;
	struct db_stmt	*stmts[DB_STMT_BUCKETS];
	/*
	 * Cache nodes come from a pool made at open, so that preparing a
	 * statement later fails only if the store itself does.
	 */
	struct db_stmt	*pool;
	size_t		 npool_used;
	const struct wb_progress *progress;	/* db_set_progress_hook */
	/* SQLite: how long a write waits for a lock (db_set_lock_wait), */
	int64_t		 lock_wait_ms;
	/* when this wait began, and how long the last one that failed was */
	int64_t		 busy_since, busy_waited;
	char		 busy_msg[200];	/* the message of a failed wait */
};

/*
 * A prepared statement for sql, which must be a string with static
 * storage: it is cached by address for the life of the connection.  The
 * statement comes back reset with its bindings cleared.  NULL on error.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql,
	    struct wb_err *err);
/* A statement for built SQL, the caller's to db_finalize.  NULL on error. */
struct db_stmt *db_prepare_once(struct db *db, const char *sql,
	    struct wb_err *err);
/* Free a db_prepare_once statement.  NULL is a no-op. */
void	 db_finalize(struct db_stmt *st);

/*
 * Parameters are numbered from 1 (?, or ?N to reuse one).  Text is
 * copied; a blob is borrowed until the statement is stepped.
 */
static inline int
db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	return st->ops->bind_int64(st->h, i, v);
}

static inline int
db_bind_int(struct db_stmt *st, int i, int v)
{
	return st->ops->bind_int64(st->h, i, v);
}

static inline int
db_bind_double(struct db_stmt *st, int i, double v)
{
	return st->ops->bind_double(st->h, i, v);
}

static inline int
db_bind_null(struct db_stmt *st, int i)
{
	return st->ops->bind_null(st->h, i);
}

static inline int
db_bind_blob(struct db_stmt *st, int i, const void *p, size_t len)
{
	return st->ops->bind_blob(st->h, i, p, len);
}

/*
 * Bind a LIMIT; a negative one means none (SQLite reads -1 so, PostgreSQL
 * refuses it: both take the largest int64).
 */
static inline int
db_bind_limit(struct db_stmt *st, int i, int64_t v)
{
	return st->ops->bind_int64(st->h, i, v < 0 ? INT64_MAX : v);
}

/* Bind text or NULL when s is NULL. */
int	 db_bind_text(struct db_stmt *st, int i, const char *s);
/* Bind an int64, or NULL when is_null. */
int	 db_bind_int64_or_null(struct db_stmt *st, int i, int64_t v,
	    int is_null);

/* DB_ROW, DB_DONE, or another value on error (see db_sqlerr). */
static inline int
db_step(struct db_stmt *st)
{
	return st->ops->step(st->h);
}

/* Back to the start, bindings cleared. */
static inline void
db_reset(struct db_stmt *st)
{
	st->ops->reset(st->h);
}

static inline int64_t
db_column_int64(struct db_stmt *st, int i)
{
	return st->ops->column_int64(st->h, i);
}

static inline int
db_column_int(struct db_stmt *st, int i)
{
	return (int)st->ops->column_int64(st->h, i);
}

static inline double
db_column_double(struct db_stmt *st, int i)
{
	return st->ops->column_double(st->h, i);
}

/* Borrowed until the next step or reset; NULL for NULL. */
static inline const char *
db_column_text(struct db_stmt *st, int i)
{
	return st->ops->column_text(st->h, i);
}

/* Borrowed until the next step or reset. */
static inline const void *
db_column_blob(struct db_stmt *st, int i)
{
	return st->ops->column_blob(st->h, i);
}

static inline int
db_column_bytes(struct db_stmt *st, int i)
{
	return st->ops->column_bytes(st->h, i);
}

/* DB_INTEGER, DB_FLOAT, DB_TEXT, DB_BLOB or DB_NULL. */
static inline int
db_column_type(struct db_stmt *st, int i)
{
	return st->ops->column_type(st->h, i);
}

/*
 * Rows (key, value) of sql with ?1 bound to id, as a struct kv array
 * (db_run.h; free with kv_free).
 */
struct kv;
int	 db_kv_get(struct db *db, const char *sql, int64_t id,
	    struct kv **out, size_t *n, struct wb_err *err);

/* A column's text as a new string (NULL stays NULL). */
char	*db_column_strdup(struct db_stmt *st, int i);

/* Run SQL with no results (may hold several statements). */
int	 db_exec(struct db *db, const char *sql, struct wb_err *err);

/* Fill err from the connection's last error; returns WB_EDB. */
int	 db_sqlerr(struct db *db, struct wb_err *err);

/* db_step expecting DB_DONE (or a first row); resets the statement. */
int	 db_step_done(struct db *db, struct db_stmt *st, struct wb_err *err);

/*
 * Step a statement whose first row carries an id (INSERT ... RETURNING
 * id, or a SELECT): *id is that value; resets the statement.  WB_EDB on
 * error or when there is no row.
 */
int	 db_step_id(struct db *db, struct db_stmt *st, int64_t *id,
	    struct wb_err *err);

/*
 * Run a one-row lookup "SELECT id FROM ... WHERE col = ?1" with key bound
 * to ?1: *id is the first column.  WB_ENOTFOUND when there is no row,
 * with err left for the caller to word (it knows what was looked for).
 */
int	 db_find_id(struct db *db, const char *sql, const char *key,
	    int64_t *id, struct wb_err *err);

/* Rows changed by the last statement / by this connection so far. */
static inline int64_t
db_changes(struct db *db)
{
	return db->ops->changes(db);
}

static inline int64_t
db_total_changes(struct db *db)
{
	return db->ops->total_changes(db);
}

/* Whether the last error was a UNIQUE constraint violation. */
static inline int
db_err_is_unique(struct db *db)
{
	return db->ops->err_is_unique(db);
}

/* Whether a transaction (ours or a statement's) is open. */
static inline int
db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

/*
 * Incremental reads of one blob: column of the row of table whose integer
 * key "id" is rowid.  *size is the blob's whole size.  The handle is
 * closed with db_blob_close (NULL is a no-op).
 */
static inline int
db_blob_open(struct db *db, const char *table, const char *column,
    int64_t rowid, void **h, size_t *size, struct wb_err *err)
{
	return db->ops->blob_open(db, table, column, rowid, h, size, err);
}

/* len bytes at off of the blob into buf. */
static inline int
db_blob_read(struct db *db, void *h, void *buf, size_t len, size_t off,
    struct wb_err *err)
{
	return db->ops->blob_read(db, h, buf, len, off, err);
}

static inline void
db_blob_close(struct db *db, void *h)
{
	if (h != NULL)
		db->ops->blob_close(h);
}

/* Tuning hints a store may ignore; never fail. */
#define DB_HINT_BULK_BEGIN	1	/* a large write transaction starts */
#define DB_HINT_BULK_END	2
#define DB_HINT_CHART_READS	3	/* this connection reads chunk blobs */
#define DB_HINT_NO_CHECKPOINT	4	/* do not checkpoint on close */
#define DB_HINT_READ_ALL	5	/* this connection reads the whole file */
static inline void
db_hint(struct db *db, int what)
{
	db->ops->hint(db, what);
}

/*
 * Bulk rows into one table (db_copy.c): binary COPY in batches on
 * PostgreSQL, one prepared INSERT per row on SQLite.  cols names the
 * ncols columns ("a, b, c"); table and cols are trusted SQL.  Give each
 * row's fields in order (integers go to bigint columns, doubles to
 * double precision, text, blobs to bytea), then db_copy_row.  Rows sit
 * in memory until db_copy_flush or a full batch (a few MB): flush
 * before reading them back, and before the transaction commits.  A
 * blob is borrowed until db_copy_row.  NULL on error.
 */
struct db_copy;
struct db_copy *db_copy_new(struct db *db, const char *table,
	    const char *cols, int ncols, struct wb_err *err);
int	 db_copy_int64(struct db_copy *c, int64_t v);
int	 db_copy_double(struct db_copy *c, double v);
int	 db_copy_text(struct db_copy *c, const char *s);	/* NULL: NULL */
int	 db_copy_blob(struct db_copy *c, const void *p, size_t len);
int	 db_copy_null(struct db_copy *c);
/* End a row: the INSERT runs (SQLite), or the row joins the batch. */
int	 db_copy_row(struct db_copy *c, struct wb_err *err);
/* Send the rows gathered so far (a no-op on SQLite). */
int	 db_copy_flush(struct db_copy *c, struct wb_err *err);
/*
 * c's batches go after first's: db_copy_flush(c) flushes first before
 * (rows that name first's rows by a foreign key).  first is borrowed.
 */
void	 db_copy_after(struct db_copy *c, struct db_copy *first);
/* Free; rows not flushed are dropped.  NULL is a no-op. */
void	 db_copy_free(struct db_copy *c);

/* The SQLite store (db_sqlite.c): open path into db->conn. */
extern const struct db_ops db_sqlite_ops;
int	 db_sqlite_open(struct db *db, const char *path, int flags,
	    struct wb_err *err);

#ifdef HAVE_LIBPQ
/* The PostgreSQL store (db_pg.c): connect to url into db->conn. */
extern const struct db_ops db_pg_ops;
int	 db_pg_open(struct db *db, const char *url, int flags,
	    struct wb_err *err);
#endif

/*
 * Migration 1 -> 2 (db_recompress.c): rewrite format-0 metric chunks
 * compressed.  Call inside the migration's transaction.
 */
int	 db_recompress_chunks(struct db *db, struct wb_err *err);


/*
 * doctor's check of every metric summary against its chunks (and chunks
 * without a summary) in schema: "" for the workspace, "other." for a
 * file attached as other.  One call of line per problem.
 */
int	 db_doctor_summaries(struct db *db, const char *schema,
	    void (*line)(void *, const char *), void *arg,
	    struct wb_err *err);
/*
 * SQLite: 1 when chunk id of schema ("" or "other.") is one an import is
 * publishing, or a killed one left (import_pending): checks skip it.
 */
int	 db_doctor_pending_chunk(struct db *db, const char *schema,
	    int64_t id);

/*
 * The little-endian 64-bit fields of metric_chunks.points and .blocks
 * (data/schema.sql): one definition for the writer and the readers.
 */
static inline int
db_host_is_le(void)
{
	const uint16_t	one = 1;

	return *(const unsigned char *)&one == 1;
}

static inline void
db_put64(unsigned char *p, uint64_t v)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint64_t
db_get64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	/* One load on little-endian hosts. */
	if (db_host_is_le()) {
		memcpy(&v, p, 8);
		return v;
	}
	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

#endif
