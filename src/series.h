/*
 * series: a run's metric prepared for a chart.  The x axis is the step,
 * the wall time or the time since the series' first point; the chart's
 * width in dot columns splits the x range, and each column gets the min
 * and max of the points that fall in it (exact for a line raster: every
 * spike stays visible, however many points share a column).
 *
 * Speed: a chunk of stored points (db_series.h) whose x range lies inside
 * one column is drawn from its stored min/max without being decoded; a
 * chunk that straddles column edges is taken by its blocks of 64 points
 * the same way, and only the blocks that straddle an edge are read.  Smoothing
 * (an exponential moving average, TensorBoard's debiased formula) needs
 * every point in order, so it decodes all chunks.
 */
#ifndef WB_SERIES_H
#define WB_SERIES_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;
struct series_src;

enum series_x { SERIES_X_STEP, SERIES_X_TIME, SERIES_X_RELATIVE };

/* "step", "time", "relative" and back; -1 if unknown. */
const char *series_x_name(enum series_x x);
int	 series_x_parse(const char *s, enum series_x *x);

/*
 * One dot column.  n is the number of points drawn in it (0: empty);
 * min/max their value range.  first/last are the values at the column's
 * smallest and largest x, or NaN when that end came from a whole chunk
 * (known only as a range); the plot then joins columns by their ranges.
 */
struct series_col {
	int64_t	 n;
	double	 min, max;
	double	 first, last;
	int64_t	 first_x, last_x;
};

struct series_bin_opts {
	int64_t	 x0, x1;	/* inclusive x range to draw */
	size_t	 ncol;		/* dot columns */
	int	 logy;		/* leave out values <= 0 */
	double	 smooth;	/* EMA weight in [0, 1); 0: none */
};

/*
 * Open metric key_id of run_id for charting with x as xmode.  Reads the
 * chunk list only.  *out is the caller's (series_close).  A series with
 * no points, or no timestamps in a time mode, opens with has_x = 0.
 */
int	 series_open(struct db *db, int64_t run_id, int64_t key_id,
	    enum series_x xmode, struct series_src **out, struct wb_err *err);
void	 series_close(struct series_src *s);

/* Whether the series has points to draw, and their x range. */
int	 series_has_x(const struct series_src *s);
void	 series_x_range(const struct series_src *s, int64_t *lo, int64_t *hi);
/* Points in the series (all of them, NaN included). */
int64_t	 series_npoints(const struct series_src *s);
/*
 * Whole chunks, and blocks of DB_METRIC_BLOCK points, read by the last
 * series_bin (for benchmarks and tests).
 */
size_t	 series_decoded(const struct series_src *s);
size_t	 series_decoded_blocks(const struct series_src *s);

/*
 * Fill raw[0..ncol) with the points of [x0, x1], and smooth[0..ncol)
 * with the smoothed curve when o->smooth > 0 (smooth may be NULL
 * otherwise).  Non-finite values are not drawn.
 */
int	 series_bin(struct series_src *s, const struct series_bin_opts *o,
	    struct series_col *raw, struct series_col *smooth,
	    struct wb_err *err);

/* The column of x for a range and width (the mapping series_bin uses). */
size_t	 series_col_of(int64_t x0, int64_t x1, size_t ncol, int64_t x);
/* The smallest x that falls in column col. */
int64_t	 series_col_x(int64_t x0, int64_t x1, size_t ncol, size_t col);

/*
 * The point at x: the one with the largest x' <= x (the first point if
 * x is before it).  *px is its x.  WB_ENOTFOUND when the series is empty.
 */
int	 series_value_at(struct series_src *s, int64_t x, int64_t *px,
	    double *v, struct wb_err *err);

/*
 * TensorBoard's smoothing: last = last * w + (1 - w) * v, divided by
 * 1 - w^k (k finite points so far) to remove the bias towards 0 at the
 * start.  Non-finite values pass through unsmoothed.  out may be v.
 */
void	 series_ema(const double *v, size_t n, double w, double *out);

#endif
