/*
 * db_series: a metric series as the chart reader sees it: the per-chunk
 * summaries of metric_chunks (step, time and finite value ranges) without
 * the points, and the points of one chunk on demand.  series.c decides
 * which chunks it must decode; this module only reads.
 */
#ifndef WB_DB_SERIES_H
#define WB_DB_SERIES_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

struct chunk_meta {
	int64_t	 id;		/* rowid, for db_chunk_points */
	int64_t	 n;
	int64_t	 step_min, step_max;
	int	 has_ts;	/* ts_min/ts_max known */
	int64_t	 ts_min, ts_max;
	int	 has_v;		/* v_min/v_max known (finite values) */
	double	 v_min, v_max;
};

/*
 * The chunks of (run_id, key_id) ordered by step_min, seq.  *out is the
 * caller's (wb_free); empty when the run never logged the key.
 */
int	 db_chunk_metas(struct db *db, int64_t run_id, int64_t key_id,
	    struct chunk_meta **out, size_t *n, struct wb_err *err);

/*
 * Decode chunk c into step/ts/value (each with room for c->n entries;
 * any may be NULL when not wanted), in arrival order.  WB_EDB if the
 * chunk is damaged.
 */
int	 db_chunk_points(struct db *db, const struct chunk_meta *c,
	    int64_t *step, int64_t *ts, double *value, struct wb_err *err);

/* The ranges of DB_METRIC_BLOCK consecutive points of a chunk. */
struct chunk_block {
	int64_t	 step_min, step_max, ts_min, ts_max;
	double	 v_min, v_max;		/* finite values; NaN: none */
};

/*
 * The block ranges of chunk c into out (room for DB_METRIC_CHUNK /
 * DB_METRIC_BLOCK); *n = 0 when the chunk has none recorded.
 */
int	 db_chunk_blocks(struct db *db, const struct chunk_meta *c,
	    struct chunk_block *out, size_t *n, struct wb_err *err);

/*
 * Points [from, from + count) of chunk c, reading only those bytes of the
 * blob (incremental blob I/O), into step/ts/value as db_chunk_points.
 */
int	 db_chunk_points_range(struct db *db, const struct chunk_meta *c,
	    size_t from, size_t count, int64_t *step, int64_t *ts,
	    double *value, struct wb_err *err);

/*
 * db_read_begin (db.h) for chart reads: also maps the file into memory
 * (see READ_MMAP in db_series.c).  End it with db_read_end.
 */
int	 db_series_read_begin(struct db *db, int *began, struct wb_err *err);

#endif
