/*
 * db_internal: what the db_*.c store modules share and nobody else sees:
 * the sqlite3 handle, the per-connection statement cache and helpers that
 * turn sqlite errors into struct wb_err.  Only db*.c include this (and so
 * <sqlite3.h>).
 */
#ifndef WB_DB_INTERNAL_H
#define WB_DB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"

struct wb_err;

struct db_stmt {
	const char	*sql;		/* key: the static string's address */
	sqlite3_stmt	*stmt;
	struct db_stmt	*next;
};

#define DB_STMT_BUCKETS 64
#define DB_STMT_POOL 256	/* cache nodes allocated at open */

struct doctor_check;

struct db {
	sqlite3		*sq;
	char		*path;
	char		*ro_uri;	/* the immutable URI it was opened by, or NULL */
	int		 flags;
	int		 tx_depth;
	struct db_stmt	*stmts[DB_STMT_BUCKETS];
	/*
	 * Cache nodes come from a pool made at open, so that preparing a
	 * statement later fails only if SQLite itself does.
	 */
	struct db_stmt	*pool;
	size_t		 npool_used;
};

/*
 * A prepared statement for sql, which must be a string with static
 * storage: it is cached by address for the life of the connection.  The
 * statement comes back reset with its bindings cleared.  NULL on error.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, struct wb_err *err);

/* Run SQL with no results (may hold several statements). */
int	 db_exec(struct db *db, const char *sql, struct wb_err *err);

/* Fill err from the connection's last error; returns WB_EDB. */
int	 db_sqlerr(struct db *db, struct wb_err *err);

/* sqlite3_step expecting SQLITE_DONE; resets the statement. */
int	 db_step_done(struct db *db, sqlite3_stmt *st, struct wb_err *err);

/*
 * Migration 1 -> 2 (db_recompress.c): rewrite format-0 metric chunks
 * compressed.  Call inside the migration's transaction.
 */
int	 db_recompress_chunks(struct db *db, struct wb_err *err);

/* Bind text or NULL when s is NULL. */
int	 db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Bind an int64, or NULL when is_null. */
int	 db_bind_int64_or_null(sqlite3_stmt *st, int i, int64_t v,
	    int is_null);

/* A column's text as a new string (NULL stays NULL); "" on OOM-free NULL. */
char	*db_column_strdup(sqlite3_stmt *st, int i);

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
