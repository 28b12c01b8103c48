/*
 * db_series: reads metric_chunks for charts.  The chunk list query reads
 * only the columns before the points blob, so a 1,000,000-point series
 * (977 chunks) is listed without touching the blobs' overflow pages; a
 * chunk's points are fetched by rowid only when series.c needs them, and
 * of a compressed chunk only the blocks asked for (chunk_codec.h).
 */
#include "config.h"

#include "db_series.h"

#include <string.h>

#include "chunk_codec.h"
#include "db_internal.h"
#include "db_metric.h"
#include "err.h"
#include "mem.h"

int
db_chunk_metas(struct db *db, int64_t run_id, int64_t key_id,
    struct chunk_meta **out, size_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT id, n, step_min, step_max,"
	    " ts_min, ts_max, v_min, v_max FROM metric_chunks"
	    " WHERE run_id = ?1 AND key_id = ?2 ORDER BY step_min, seq";
	struct chunk_meta	*v = NULL, *nv, *c;
	sqlite3_stmt		*st;
	size_t			 cnt = 0, cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, key_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = wb_reallocarray(v, cap, sizeof *v)) == NULL) {
				sqlite3_reset(st);
				wb_free(v);
				return wb_err_set(err, WB_ENOMEM,
				    "out of memory");
			}
			v = nv;
		}
		c = &v[cnt++];
		c->id = sqlite3_column_int64(st, 0);
		c->n = sqlite3_column_int64(st, 1);
		c->step_min = sqlite3_column_int64(st, 2);
		c->step_max = sqlite3_column_int64(st, 3);
		c->has_ts = sqlite3_column_type(st, 4) != SQLITE_NULL &&
		    sqlite3_column_type(st, 5) != SQLITE_NULL;
		c->ts_min = sqlite3_column_int64(st, 4);
		c->ts_max = sqlite3_column_int64(st, 5);
		c->has_v = sqlite3_column_type(st, 6) != SQLITE_NULL &&
		    sqlite3_column_type(st, 7) != SQLITE_NULL;
		c->v_min = sqlite3_column_double(st, 6);
		c->v_max = sqlite3_column_double(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		wb_free(v);
		return db_sqlerr(db, err);
	}
	*out = v;
	*n = cnt;
	return WB_OK;
}

static int
chunk_damaged(struct db *db, const struct chunk_meta *c, struct wb_err *err)
{
	return wb_err_set(err, WB_EDB, "%s: metric chunk %lld is damaged"
	    " (run mlwb doctor)", db_path(db), (long long)c->id);
}

int
db_chunk_points(struct db *db, const struct chunk_meta *c, int64_t *step,
    int64_t *ts, double *value, struct wb_err *err)
{
	static const char	 sql[] = "SELECT points FROM metric_chunks"
	    " WHERE id = ?1";
	const unsigned char	*b;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return wb_err_set(err, WB_EDB, "%s: metric chunk %lld"
			    " vanished", db_path(db), (long long)c->id);
		return db_sqlerr(db, err);
	}
	b = sqlite3_column_blob(st, 0);
	if (c->n < 0 || cc_decode(b, (size_t)sqlite3_column_bytes(st, 0),
	    (size_t)c->n, step, ts, value) != 0) {
		sqlite3_reset(st);
		return chunk_damaged(db, c, err);
	}
	sqlite3_reset(st);
	return WB_OK;
}

int
db_chunk_blocks(struct db *db, const struct chunk_meta *c,
    struct chunk_block *out, size_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT blocks FROM metric_chunks"
	    " WHERE id = ?1";
	const unsigned char	*b;
	sqlite3_stmt		*st;
	uint64_t		 bits;
	size_t			 i, len, want;

	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	sqlite3_bind_int64(st, 1, c->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_sqlerr(db, err);
	}
	b = sqlite3_column_blob(st, 0);
	len = (size_t)sqlite3_column_bytes(st, 0);
	want = ((size_t)c->n + DB_METRIC_BLOCK - 1) / DB_METRIC_BLOCK;
	/* Missing or not the expected size: the caller decodes instead. */
	if (b == NULL || c->n <= 0 || len != want * 48 ||
	    want > DB_METRIC_CHUNK / DB_METRIC_BLOCK) {
		sqlite3_reset(st);
		return WB_OK;
	}
	for (i = 0; i < want; i++, b += 48) {
		out[i].step_min = (int64_t)db_get64(b);
		out[i].step_max = (int64_t)db_get64(b + 8);
		out[i].ts_min = (int64_t)db_get64(b + 16);
		out[i].ts_max = (int64_t)db_get64(b + 24);
		bits = db_get64(b + 32);
		memcpy(&out[i].v_min, &bits, 8);
		bits = db_get64(b + 40);
		memcpy(&out[i].v_max, &bits, 8);
	}
	*n = want;
	sqlite3_reset(st);
	return WB_OK;
}

/* Points [from, from + count) of a format-0 blob: 24 bytes each. */
static int
range_raw(struct db *db, sqlite3_blob *blob, size_t from, size_t count,
    int64_t *step, int64_t *ts, double *value, struct wb_err *err)
{
	unsigned char	buf[DB_METRIC_BLOCK * 24];
	size_t		k, len;

	for (k = 0; k < count; k += len / 24) {
		len = (count - k) * 24 < sizeof buf ? (count - k) * 24 :
		    sizeof buf;
		if (sqlite3_blob_read(blob, buf, (int)len,
		    (int)((from + k) * 24)) != SQLITE_OK)
			return db_sqlerr(db, err);
		cc_decode(buf, len, len / 24, step ? step + k : NULL,
		    ts ? ts + k : NULL, value ? value + k : NULL);
	}
	return WB_OK;
}

/* The same of a compressed blob: its header, then each block needed. */
static int
range_blocks(struct db *db, const struct chunk_meta *c, sqlite3_blob *blob,
    size_t len, size_t from, size_t count, int64_t *step, int64_t *ts,
    double *value, struct wb_err *err)
{
	unsigned char	hdr[1 + 2 * CC_MAX_BLOCKS], buf[CC_BLOCK * 29 + 64];
	int64_t		bs[CC_BLOCK], bt[CC_BLOCK];
	double		bv[CC_BLOCK];
	size_t		n = (size_t)c->n, hl = cc_header_len(n), k, m, off;
	size_t		blen, lo, hi, at;

	if (n > CC_MAX_POINTS || len < hl)
		return chunk_damaged(db, c, err);
	if (sqlite3_blob_read(blob, hdr, (int)hl, 0) != SQLITE_OK)
		return db_sqlerr(db, err);
	for (k = from / CC_BLOCK; k * CC_BLOCK < from + count; k++) {
		m = n - k * CC_BLOCK < CC_BLOCK ? n - k * CC_BLOCK : CC_BLOCK;
		if (cc_block_span(hdr, len, n, k, &off, &blen) != 0 ||
		    blen > sizeof buf)
			return chunk_damaged(db, c, err);
		if (sqlite3_blob_read(blob, buf, (int)blen, (int)off) !=
		    SQLITE_OK)
			return db_sqlerr(db, err);
		if (cc_decode_block(buf, blen, m, bs, bt, bv) != 0)
			return chunk_damaged(db, c, err);
		/* The part of this block inside [from, from + count). */
		lo = from > k * CC_BLOCK ? from - k * CC_BLOCK : 0;
		hi = from + count - k * CC_BLOCK < m ? from + count -
		    k * CC_BLOCK : m;
		at = k * CC_BLOCK + lo - from;
		if (step != NULL)
			memcpy(step + at, bs + lo, (hi - lo) * sizeof *step);
		if (ts != NULL)
			memcpy(ts + at, bt + lo, (hi - lo) * sizeof *ts);
		if (value != NULL)
			memcpy(value + at, bv + lo, (hi - lo) * sizeof *value);
	}
	return WB_OK;
}

int
db_chunk_points_range(struct db *db, const struct chunk_meta *c,
    size_t from, size_t count, int64_t *step, int64_t *ts, double *value,
    struct wb_err *err)
{
	sqlite3_blob	*blob;
	size_t		 len;
	int		 rc;

	if (c->n < 0 || from + count > (size_t)c->n)
		return wb_err_set(err, WB_EINVAL, "points %zu..%zu of a chunk "
		    "of %lld", from, from + count, (long long)c->n);
	if (count == 0)
		return WB_OK;
	if ((rc = sqlite3_blob_open(db->sq, "main", "metric_chunks", "points",
	    c->id, 0, &blob)) != SQLITE_OK)
		return db_sqlerr(db, err);
	len = (size_t)sqlite3_blob_bytes(blob);
	if (cc_is_raw(len, (size_t)c->n))
		rc = range_raw(db, blob, from, count, step, ts, value, err);
	else
		rc = range_blocks(db, c, blob, len, from, count, step, ts,
		    value, err);
	sqlite3_blob_close(blob);
	return rc;
}

/*
 * Once a connection has drawn a chart, its reads go through a memory
 * map: a 1,000,000-point chart reads ~1,300 pages (chunk rows, overflow
 * chains to the blocks it needs), and copying each with pread took half
 * its time (12 ms against 6).  The map stays (setting the same size again
 * is a no-op), so moving the cursor does not fault the pages in anew; it
 * holds only the pages read.  Connections that never chart keep SQLite's
 * default of no map.
 */
#define READ_MMAP "PRAGMA mmap_size = 268435456"

int
db_series_read_begin(struct db *db, int *began, struct wb_err *err)
{
	/* Not fatal: without the map the reads are only slower. */
	if (db->tx_depth == 0 && sqlite3_get_autocommit(db->sq))
		sqlite3_exec(db->sq, READ_MMAP, NULL, NULL, NULL);
	return db_read_begin(db, began, err);
}
