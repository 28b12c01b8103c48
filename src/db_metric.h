/*
 * db_metric: metric points and their per-(run, key) summaries.
 *
 * Writers go through a struct mwriter, which buffers points per series,
 * writes them as chunks of up to DB_METRIC_CHUNK points and keeps the
 * summary (first, last, min, max, count ...) up to date in memory, saving
 * it on mw_flush().  Readers get a whole series sorted by step (for plots
 * and `mlwb metrics`) or the summaries (for run lists and compare).
 */
#ifndef WB_DB_METRIC_H
#define WB_DB_METRIC_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;
struct mwriter;

#define DB_METRIC_CHUNK 1024
#define DB_METRIC_BLOCK 64	/* points per range in metric_chunks.blocks */

/* One series, sorted by step (arrival order among equal steps). */
struct series {
	size_t	 n;
	int64_t	*step;
	int64_t	*ts;		/* ms since epoch; 0 when unknown */
	double	*value;
};

struct metric_summary {
	int64_t	 key_id;
	char	*key;
	int64_t	 count;
	int64_t	 nan_count;
	double	 first;
	int64_t	 first_step;
	double	 last;
	int64_t	 last_step;
	int64_t	 last_ts;
	int	 has_minmax;	/* 0 when every value is NaN */
	double	 min;
	int64_t	 min_step;
	double	 max;
	int64_t	 max_step;
};

/*
 * Start writing points.  The writer must be flushed and closed inside
 * the same transaction that it writes in.
 */
int	 mw_open(struct db *db, struct mwriter **out, struct wb_err *err);
/* The id of metric key name, created if absent (cached per writer). */
int	 mw_key(struct mwriter *w, const char *name, int64_t *key_id,
	    struct wb_err *err);
/* Add a point; may write a full chunk. */
int	 mw_add(struct mwriter *w, int64_t run_id, int64_t key_id,
	    int64_t step, int64_t ts, double value, struct wb_err *err);
/*
 * Run run_id was made in this transaction and has no points stored: its
 * series need no lookup.  Until the next mw_flush.
 */
void	 mw_new_run(struct mwriter *w, int64_t run_id);
/* Write every pending chunk and summary, and forget the series. */
int	 mw_flush(struct mwriter *w, struct wb_err *err);
/* Points added since mw_open. */
uint64_t mw_points(const struct mwriter *w);
/* Free; pending points not flushed are dropped.  NULL is a no-op. */
void	 mw_close(struct mwriter *w);

/* The id of key name; WB_ENOTFOUND if no run ever logged it. */
int	 db_metric_key_find(struct db *db, const char *name, int64_t *id,
	    struct wb_err *err);
void	 names_free(char **names, size_t n);

/* Read a series (caller frees with series_free).  Empty if none. */
int	 db_series_load(struct db *db, int64_t run_id, int64_t key_id,
	    struct series *out, struct wb_err *err);
void	 series_free(struct series *s);
/*
 * The same points in the same order, streamed: fn(arg, step, ts, value)
 * for each until it returns non-zero, in flat memory however long the
 * series (see db_metric.c).  fn may not use db.
 */
int	 db_series_each(struct db *db, int64_t run_id, int64_t key_id,
	    int (*fn)(void *, int64_t, int64_t, double), void *arg,
	    struct wb_err *err);

/* Summaries of every metric of a run, by key name. */
int	 db_metric_summaries(struct db *db, int64_t run_id,
	    struct metric_summary **out, size_t *n, struct wb_err *err);
/* One summary; WB_ENOTFOUND if the run has no such metric. */
int	 db_metric_summary_get(struct db *db, int64_t run_id, int64_t key_id,
	    struct metric_summary *out, struct wb_err *err);
void	 metric_summaries_free(struct metric_summary *s, size_t n);

#endif
