/*
 * db_copy: bulk rows into one table, the store's fastest way.
 *
 * On PostgreSQL the rows are gathered in PostgreSQL's binary COPY format
 * and sent by one COPY ... FROM STDIN per batch (db_ops.copy_in): one
 * round trip per few megabytes instead of one per row, and bytea goes as
 * its bytes, not as hex text twice its size.  Binary was chosen over
 * text COPY for that reason: the rows written this way are mostly chunk
 * blobs.  On SQLite, whose statements cost no round trip, each row is a
 * prepared INSERT stepped at once, as before.
 *
 * A COPY holds its connection until it ends, and the store's writers run
 * other statements between rows (a series' summary, a new run), so rows
 * are buffered and a batch is sent whole by db_copy_flush or when the
 * buffer passes DB_COPY_BATCH.  Rows not yet flushed are not in the
 * table: a writer flushes before it reads what it wrote.  A failed batch
 * fails the statement like a failed INSERT would; the transaction
 * around it is the caller's, so all-or-nothing holds as before.
 */
#include "config.h"

#include "db_internal.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"

/* Bytes gathered before a batch is sent. */
#define DB_COPY_BATCH	(4u << 20)

struct db_copy {
	struct db	*db;
	int		 ncols;
	int		 col;		/* fields of the current row so far */
	char		*sql;		/* COPY ... or INSERT ..., owned */
	struct db_stmt	*ins;		/* SQLite: the INSERT */
	unsigned char	*buf;		/* PostgreSQL: the batch */
	size_t		 len, cap;
	int64_t		 rows;		/* in the batch */
	int		 failed;	/* out of memory while gathering */
	struct db_copy	*first;		/* flushed before this (db_copy_after) */
};

static const unsigned char copy_header[19] = {
	'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0,
	0, 0, 0, 0,		/* flags */
	0, 0, 0, 0		/* header extension length */
};

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

struct db_copy *
db_copy_new(struct db *db, const char *table, const char *cols, int ncols,
    struct wb_err *err)
{
	struct db_copy	*c;
	struct strbuf	 sb = STRBUF_INIT;
	int		 i;

	if ((c = wb_calloc(1, sizeof *c)) == NULL) {
		oom(err);
		return NULL;
	}
	c->db = db;
	c->ncols = ncols;
	if (db->ops->copy_in != NULL)
		strbuf_addf(&sb, "COPY %s (%s) FROM STDIN (FORMAT binary)",
		    table, cols);
	else {
		strbuf_addf(&sb, "INSERT INTO %s (%s) VALUES (", table, cols);
		for (i = 1; i <= ncols; i++)
			strbuf_addf(&sb, "%s?%d", i > 1 ? ", " : "", i);
		strbuf_addf(&sb, ")");
	}
	if (sb.oom || (c->sql = strbuf_detach(&sb)) == NULL) {
		strbuf_free(&sb);
		wb_free(c);
		oom(err);
		return NULL;
	}
	if (db->ops->copy_in == NULL &&
	    (c->ins = db_prepare_once(db, c->sql, err)) == NULL) {
		wb_free(c->sql);
		wb_free(c);
		return NULL;
	}
	return c;
}

void
db_copy_free(struct db_copy *c)
{
	if (c == NULL)
		return;
	db_finalize(c->ins);
	wb_free(c->buf);
	wb_free(c->sql);
	wb_free(c);
}

/* Room for n more bytes of the batch; 0 when out of memory. */
static int
reserve(struct db_copy *c, size_t n)
{
	unsigned char	*nb;
	size_t		 cap;

	if (c->failed)
		return 0;
	if (c->len + n <= c->cap)
		return 1;
	cap = c->cap ? c->cap : 64 * 1024;
	while (cap < c->len + n)
		cap *= 2;
	if ((nb = wb_realloc(c->buf, cap)) == NULL) {
		c->failed = 1;
		return 0;
	}
	c->buf = nb;
	c->cap = cap;
	return 1;
}

static void
put_be(unsigned char *p, uint64_t v, int bytes)
{
	int	i;

	for (i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

/* One field: its length (-1: NULL), then its bytes. */
static void
put_field(struct db_copy *c, const void *p, int64_t len)
{
	if (c->col == 0) {
		if (c->len == 0) {
			if (!reserve(c, sizeof copy_header))
				return;
			memcpy(c->buf, copy_header, sizeof copy_header);
			c->len = sizeof copy_header;
		}
		if (!reserve(c, 2))
			return;
		put_be(c->buf + c->len, (uint64_t)c->ncols, 2);
		c->len += 2;
	}
	c->col++;
	if (!reserve(c, 4 + (len > 0 ? (size_t)len : 0)))
		return;
	put_be(c->buf + c->len, (uint64_t)(uint32_t)(int32_t)len, 4);
	c->len += 4;
	if (len > 0) {
		memcpy(c->buf + c->len, p, (size_t)len);
		c->len += (size_t)len;
	}
}

int
db_copy_int64(struct db_copy *c, int64_t v)
{
	unsigned char	b[8];

	if (c->ins != NULL)
		return db_bind_int64(c->ins, ++c->col, v);
	put_be(b, (uint64_t)v, 8);
	put_field(c, b, 8);
	return 0;
}

int
db_copy_double(struct db_copy *c, double v)
{
	unsigned char	b[8];
	uint64_t	bits;

	if (c->ins != NULL)
		return db_bind_double(c->ins, ++c->col, v);
	memcpy(&bits, &v, 8);
	put_be(b, bits, 8);
	put_field(c, b, 8);
	return 0;
}

int
db_copy_text(struct db_copy *c, const char *s)
{
	if (s == NULL)
		return db_copy_null(c);
	if (c->ins != NULL)
		return db_bind_text(c->ins, ++c->col, s);
	put_field(c, s, (int64_t)strlen(s));
	return 0;
}

int
db_copy_blob(struct db_copy *c, const void *p, size_t len)
{
	if (c->ins != NULL)
		return db_bind_blob(c->ins, ++c->col, p, len);
	put_field(c, p, (int64_t)len);
	return 0;
}

int
db_copy_null(struct db_copy *c)
{
	if (c->ins != NULL)
		return db_bind_null(c->ins, ++c->col);
	put_field(c, NULL, -1);
	return 0;
}

int
db_copy_row(struct db_copy *c, struct wb_err *err)
{
	int	col = c->col;

	c->col = 0;
	if (col != c->ncols) {
		if (c->ins != NULL)
			db_reset(c->ins);
		return wb_err_set(err, WB_EINVAL, "%s: %d of %d columns"
		    " given", c->sql, col, c->ncols);
	}
	if (c->ins != NULL)
		return db_step_done(c->db, c->ins, err);
	if (c->failed)
		return oom(err);
	c->rows++;
	if (c->len >= DB_COPY_BATCH)
		return db_copy_flush(c, err);
	return WB_OK;
}

void
db_copy_after(struct db_copy *c, struct db_copy *first)
{
	c->first = first;
}

int
db_copy_flush(struct db_copy *c, struct wb_err *err)
{
	int	rc;

	if (c->ins != NULL || c->rows == 0)
		return WB_OK;
	if (c->failed)
		return oom(err);
	if (c->first != NULL && (rc = db_copy_flush(c->first, err)) != WB_OK)
		return rc;
	if (!reserve(c, 2))
		return oom(err);
	put_be(c->buf + c->len, 0xffff, 2);	/* the trailer: -1 */
	c->len += 2;
	rc = c->db->ops->copy_in(c->db, c->sql, c->buf, c->len, err);
	c->len = 0;
	c->rows = 0;
	return rc;
}
