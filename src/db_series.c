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
	struct db_stmt *st;
	size_t			 cnt = 0, cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = wb_reallocarray(v, cap, sizeof *v)) == NULL) {
				db_reset(st);
				wb_free(v);
				return wb_err_set(err, WB_ENOMEM,
				    "out of memory");
			}
			v = nv;
		}
		c = &v[cnt++];
		c->id = db_column_int64(st, 0);
		c->n = db_column_int64(st, 1);
		c->step_min = db_column_int64(st, 2);
		c->step_max = db_column_int64(st, 3);
		c->has_ts = db_column_type(st, 4) != DB_NULL &&
		    db_column_type(st, 5) != DB_NULL;
		c->ts_min = db_column_int64(st, 4);
		c->ts_max = db_column_int64(st, 5);
		c->has_v = db_column_type(st, 6) != DB_NULL &&
		    db_column_type(st, 7) != DB_NULL;
		c->v_min = db_column_double(st, 6);
		c->v_max = db_column_double(st, 7);
	}
	db_reset(st);
	if (rc != DB_DONE) {
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
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, c->id);
	if ((rc = db_step(st)) != DB_ROW) {
		db_reset(st);
		if (rc == DB_DONE)
			return wb_err_set(err, WB_EDB, "%s: metric chunk %lld"
			    " vanished", db_path(db), (long long)c->id);
		return db_sqlerr(db, err);
	}
	b = db_column_blob(st, 0);
	if (c->n < 0 || cc_decode(b, (size_t)db_column_bytes(st, 0),
	    (size_t)c->n, step, ts, value) != 0) {
		db_reset(st);
		return chunk_damaged(db, c, err);
	}
	db_reset(st);
	return WB_OK;
}

int
db_chunk_blocks(struct db *db, const struct chunk_meta *c,
    struct chunk_block *out, size_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT blocks FROM metric_chunks"
	    " WHERE id = ?1";
	const unsigned char	*b;
	struct db_stmt *st;
	uint64_t		 bits;
	size_t			 i, len, want;

	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, c->id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	b = db_column_blob(st, 0);
	len = (size_t)db_column_bytes(st, 0);
	want = ((size_t)c->n + DB_METRIC_BLOCK - 1) / DB_METRIC_BLOCK;
	/* Missing or not the expected size: the caller decodes instead. */
	if (b == NULL || c->n <= 0 || len != want * 48 ||
	    want > DB_METRIC_CHUNK / DB_METRIC_BLOCK) {
		db_reset(st);
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
	db_reset(st);
	return WB_OK;
}

/* Points [from, from + count) of a format-0 blob: 24 bytes each. */
static int
range_raw(struct db *db, void *blob, size_t from, size_t count,
    int64_t *step, int64_t *ts, double *value, struct wb_err *err)
{
	unsigned char	buf[DB_METRIC_BLOCK * 24];
	size_t		k, len;

	for (k = 0; k < count; k += len / 24) {
		len = (count - k) * 24 < sizeof buf ? (count - k) * 24 :
		    sizeof buf;
		if (db_blob_read(db, blob, buf, len, (from + k) * 24, err) !=
		    WB_OK)
			return WB_EDB;
		cc_decode(buf, len, len / 24, step ? step + k : NULL,
		    ts ? ts + k : NULL, value ? value + k : NULL);
	}
	return WB_OK;
}

/* The same of a compressed blob: its header, then each block needed. */
static int
range_blocks(struct db *db, const struct chunk_meta *c, void *blob,
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
	if (db_blob_read(db, blob, hdr, hl, 0, err) != WB_OK)
		return WB_EDB;
	for (k = from / CC_BLOCK; k * CC_BLOCK < from + count; k++) {
		m = n - k * CC_BLOCK < CC_BLOCK ? n - k * CC_BLOCK : CC_BLOCK;
		if (cc_block_span(hdr, len, n, k, &off, &blen) != 0 ||
		    blen > sizeof buf)
			return chunk_damaged(db, c, err);
		if (db_blob_read(db, blob, buf, blen, off, err) != WB_OK)
			return WB_EDB;
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
	void		*blob;
	size_t		 len;
	int		 rc;

	if (c->n < 0 || from + count > (size_t)c->n)
		return wb_err_set(err, WB_EINVAL, "points %zu..%zu of a chunk "
		    "of %lld", from, from + count, (long long)c->n);
	if (count == 0)
		return WB_OK;
	if ((rc = db_blob_open(db, "metric_chunks", "points", c->id, &blob,
	    &len, err)) != WB_OK)
		return rc;
	if (cc_is_raw(len, (size_t)c->n))
		rc = range_raw(db, blob, from, count, step, ts, value, err);
	else
		rc = range_blocks(db, c, blob, len, from, count, step, ts,
		    value, err);
	db_blob_close(db, blob);
	return rc;
}

/*
 * A chart reads many chunk blobs: the store may map them (SQLite's
 * mmap, see db_sqlite.c), which halves a large chart's time.
 */
int
db_series_read_begin(struct db *db, int *began, struct wb_err *err)
{
	db_hint(db, DB_HINT_CHART_READS);
	return db_read_begin(db, began, err);
}
