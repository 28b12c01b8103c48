/*
 * series: downsampling of a metric series for charts, min/max per dot
 * column.  Owns the decision of which stored chunks must be decoded (those
 * that straddle a column edge, or all of them when smoothing) and the
 * column statistics; knows nothing of glyphs (plot.c) or SQL (db_series.c).
 */
#include "config.h"

#include "series.h"

#include <math.h>
#include <string.h>

#include "db_metric.h"
#include "db.h"
#include "db_series.h"
#include "err.h"
#include "mem.h"

struct series_src {
	struct db		*db;
	int64_t			 run_id, key_id;
	enum series_x		 xmode;
	struct chunk_meta	*chunks;
	size_t			 nchunks;
	int64_t			 npoints;
	int			 has_x;
	int64_t			 x_lo, x_hi;
	int64_t			 t0;
	/* Decode buffers of DB_METRIC_CHUNK-ish points, grown on demand. */
	int64_t			*bstep, *bts;
	double			*bval;
	size_t			 bcap;
	size_t			 decoded;	/* whole chunks read */
	size_t			 dblocks;	/* blocks read on their own */
};

static const char *const xnames[] = { "step", "time", "relative" };

const char *
series_x_name(enum series_x x)
{
	return (unsigned)x < 3 ? xnames[x] : "?";
}

int
series_x_parse(const char *s, enum series_x *x)
{
	int	i;

	for (i = 0; i < 3; i++)
		if (strcmp(s, xnames[i]) == 0) {
			*x = (enum series_x)i;
			return 0;
		}
	if (strcmp(s, "wall") == 0) {
		*x = SERIES_X_TIME;
		return 0;
	}
	return -1;
}

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
buf_fit(struct series_src *s, size_t n, struct wb_err *err)
{
	int64_t	*a, *b;
	double	*c;

	if (n <= s->bcap)
		return WB_OK;
	a = wb_reallocarray(s->bstep, n, sizeof *a);
	if (a != NULL)
		s->bstep = a;
	b = wb_reallocarray(s->bts, n, sizeof *b);
	if (b != NULL)
		s->bts = b;
	c = wb_reallocarray(s->bval, n, sizeof *c);
	if (c != NULL)
		s->bval = c;
	if (a == NULL || b == NULL || c == NULL)
		return oom(err);
	s->bcap = n;
	return WB_OK;
}

/* Decode chunk i into the buffers. */
static int
decode(struct series_src *s, size_t i, struct wb_err *err)
{
	int	rc;

	if ((rc = buf_fit(s, (size_t)s->chunks[i].n, err)) != WB_OK)
		return rc;
	s->decoded++;
	return db_chunk_points(s->db, &s->chunks[i], s->bstep, s->bts,
	    s->bval, err);
}

/* The x of a point in the series' mode; 0 and *ok = 0 if it has none. */
static int64_t
point_x(const struct series_src *s, int64_t step, int64_t ts, int *ok)
{
	*ok = 1;
	if (s->xmode == SERIES_X_STEP)
		return step;
	if (ts <= 0) {
		*ok = 0;
		return 0;
	}
	return s->xmode == SERIES_X_TIME ? ts : ts - s->t0;
}

/* Whether chunk c's x range is known without decoding it, and what it is. */
static int
chunk_x(const struct series_src *s, const struct chunk_meta *c, int64_t *lo,
    int64_t *hi)
{
	if (s->xmode == SERIES_X_STEP) {
		*lo = c->step_min;
		*hi = c->step_max;
		return 1;
	}
	if (!c->has_ts || c->ts_min <= 0)
		return 0;
	*lo = c->ts_min;
	*hi = c->ts_max;
	if (s->xmode == SERIES_X_RELATIVE) {
		*lo -= s->t0;
		*hi -= s->t0;
	}
	return 1;
}

static int
open_tx(struct db *db, int64_t run_id, int64_t key_id,
    enum series_x xmode, struct series_src **out, struct wb_err *err)
{
	struct series_src	*s;
	int64_t			 lo, hi, x;
	size_t			 i, j;
	int			 rc, ok, first = 1;

	*out = NULL;
	if ((s = wb_calloc(1, sizeof *s)) == NULL)
		return oom(err);
	s->db = db;
	s->run_id = run_id;
	s->key_id = key_id;
	s->xmode = xmode;
	if ((rc = db_chunk_metas(db, run_id, key_id, &s->chunks, &s->nchunks,
	    err)) != WB_OK) {
		series_close(s);
		return rc;
	}
	/* t0 first (relative x needs it), then the x range. */
	s->t0 = INT64_MAX;
	for (i = 0; i < s->nchunks; i++) {
		s->npoints += s->chunks[i].n;
		if (xmode == SERIES_X_STEP)
			continue;	/* t0 is for time axes only */
		if (s->chunks[i].has_ts && s->chunks[i].ts_min > 0) {
			if (s->chunks[i].ts_min < s->t0)
				s->t0 = s->chunks[i].ts_min;
			continue;
		}
		if ((rc = decode(s, i, err)) != WB_OK) {
			series_close(s);
			return rc;
		}
		for (j = 0; j < (size_t)s->chunks[i].n; j++)
			if (s->bts[j] > 0 && s->bts[j] < s->t0)
				s->t0 = s->bts[j];
	}
	if (s->t0 == INT64_MAX)
		s->t0 = 0;
	for (i = 0; i < s->nchunks; i++) {
		if (chunk_x(s, &s->chunks[i], &lo, &hi)) {
			if (first || lo < s->x_lo)
				s->x_lo = lo;
			if (first || hi > s->x_hi)
				s->x_hi = hi;
			first = 0;
			continue;
		}
		if ((rc = decode(s, i, err)) != WB_OK) {
			series_close(s);
			return rc;
		}
		for (j = 0; j < (size_t)s->chunks[i].n; j++) {
			x = point_x(s, s->bstep[j], s->bts[j], &ok);
			if (!ok)
				continue;
			if (first || x < s->x_lo)
				s->x_lo = x;
			if (first || x > s->x_hi)
				s->x_hi = x;
			first = 0;
		}
	}
	s->has_x = !first;
	s->decoded = 0;
	*out = s;
	return WB_OK;
}

void
series_close(struct series_src *s)
{
	if (s == NULL)
		return;
	wb_free(s->chunks);
	wb_free(s->bstep);
	wb_free(s->bts);
	wb_free(s->bval);
	wb_free(s);
}

int
series_has_x(const struct series_src *s)
{
	return s->has_x;
}

void
series_x_range(const struct series_src *s, int64_t *lo, int64_t *hi)
{
	*lo = s->x_lo;
	*hi = s->x_hi;
}

int64_t
series_npoints(const struct series_src *s)
{
	return s->npoints;
}

size_t
series_decoded(const struct series_src *s)
{
	return s->decoded;
}

size_t
series_decoded_blocks(const struct series_src *s)
{
	return s->dblocks;
}

size_t
series_col_of(int64_t x0, int64_t x1, size_t ncol, int64_t x)
{
	double	d;
	size_t	c;

	if (x <= x0 || x1 <= x0)
		return 0;
	/* Monotone in x, so a chunk's ends decide whether it fits a column. */
	d = (double)(x - x0) * (double)ncol / ((double)(x1 - x0) + 1.0);
	c = (size_t)d;
	return c >= ncol ? ncol - 1 : c;
}

int64_t
series_col_x(int64_t x0, int64_t x1, size_t ncol, size_t col)
{
	int64_t	lo = x0, hi = x1, mid;

	/* The smallest x with series_col_of(x) >= col, by bisection. */
	if (col == 0 || x1 <= x0)
		return x0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (series_col_of(x0, x1, ncol, mid) >= col)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void
cols_reset(struct series_col *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		c[i].n = 0;
		c[i].min = c[i].max = c[i].first = c[i].last = NAN;
		c[i].first_x = c[i].last_x = 0;
	}
}

/* Add a point (x, v) to column c. */
static void
col_point(struct series_col *c, int64_t x, double v)
{
	if (c->n == 0) {
		c->min = c->max = c->first = c->last = v;
		c->first_x = c->last_x = x;
		c->n = 1;
		return;
	}
	if (v < c->min)
		c->min = v;
	if (v > c->max)
		c->max = v;
	if (x < c->first_x) {
		c->first_x = x;
		c->first = v;
	}
	if (x >= c->last_x) {
		c->last_x = x;
		c->last = v;
	}
	c->n++;
}

/* Add a whole chunk known only by its ranges. */
static void
col_range(struct series_col *c, int64_t xlo, int64_t xhi, double lo,
    double hi, int64_t n)
{
	if (c->n == 0) {
		c->min = lo;
		c->max = hi;
		c->first = c->last = NAN;
		c->first_x = xlo;
		c->last_x = xhi;
		c->n = n;
		return;
	}
	if (lo < c->min)
		c->min = lo;
	if (hi > c->max)
		c->max = hi;
	if (xlo <= c->first_x) {
		c->first_x = xlo;
		c->first = NAN;
	}
	if (xhi >= c->last_x) {
		c->last_x = xhi;
		c->last = NAN;
	}
	c->n += n;
}

struct binner {
	const struct series_bin_opts	*o;
	struct series_col		*raw, *smooth;
	double				 ema;
	int64_t				 k;
	double				 wk;	/* w^k */
	int64_t				 last_step;
	int				 sorted;
};

static int
drawable(const struct series_bin_opts *o, double v)
{
	return isfinite(v) && (!o->logy || v > 0);
}

/* Feed one point (in step order when smoothing). */
static void
bin_point(struct series_src *s, struct binner *b, int64_t step, int64_t ts,
    double v)
{
	const struct series_bin_opts	*o = b->o;
	double				 sm = v;
	int64_t				 x;
	size_t				 c;
	int				 ok;

	if (b->smooth != NULL && isfinite(v)) {
		b->ema = b->ema * o->smooth + (1 - o->smooth) * v;
		b->k++;
		/* Once w^k < 2^-60, 1 - w^k is 1.0: skip the division. */
		if (b->wk > 0x1p-60) {
			b->wk *= o->smooth;
			sm = b->ema / (1 - b->wk);
		} else
			sm = b->ema;
	}
	x = point_x(s, step, ts, &ok);
	if (!ok || x < o->x0 || x > o->x1)
		return;
	c = series_col_of(o->x0, o->x1, o->ncol, x);
	if (drawable(o, v))
		col_point(&b->raw[c], x, v);
	if (b->smooth != NULL && drawable(o, sm))
		col_point(&b->smooth[c], x, sm);
}

/* Smoothing over the whole series in step order, from the sorted copy. */
static int
bin_sorted(struct series_src *s, struct binner *b, struct wb_err *err)
{
	struct series	se;
	size_t		i;
	int		rc;

	if ((rc = db_series_load(s->db, s->run_id, s->key_id, &se, err)) !=
	    WB_OK)
		return rc;
	s->decoded = s->nchunks;
	for (i = 0; i < se.n; i++)
		bin_point(s, b, se.step[i], se.ts[i], se.value[i]);
	series_free(&se);
	return WB_OK;
}

/*
 * A chunk that straddles column edges, by its blocks of DB_METRIC_BLOCK
 * points: blocks inside one column use their ranges, the others are read
 * alone.  *done = 0 when the chunk has no blocks recorded.
 */
static int
bin_blocks(struct series_src *s, struct binner *b, size_t ci, int *done,
    struct wb_err *err)
{
	const struct series_bin_opts	*o = b->o;
	const struct chunk_meta		*c = &s->chunks[ci];
	struct chunk_block		 bl[DB_METRIC_CHUNK / DB_METRIC_BLOCK];
	int64_t				 lo, hi;
	size_t				 nb, k, j, cnt, c0;
	int				 rc, known;

	*done = 0;
	if ((rc = db_chunk_blocks(s->db, c, bl, &nb, err)) != WB_OK ||
	    nb == 0)
		return rc;
	if ((rc = buf_fit(s, DB_METRIC_BLOCK, err)) != WB_OK)
		return rc;
	for (k = 0; k < nb; k++) {
		cnt = (size_t)c->n - k * DB_METRIC_BLOCK;
		if (cnt > DB_METRIC_BLOCK)
			cnt = DB_METRIC_BLOCK;
		known = 1;
		if (s->xmode == SERIES_X_STEP) {
			lo = bl[k].step_min;
			hi = bl[k].step_max;
		} else if (bl[k].ts_min > 0) {
			lo = bl[k].ts_min - (s->xmode == SERIES_X_RELATIVE ?
			    s->t0 : 0);
			hi = bl[k].ts_max - (s->xmode == SERIES_X_RELATIVE ?
			    s->t0 : 0);
		} else
			known = 0;
		if (known && (hi < o->x0 || lo > o->x1 || isnan(bl[k].v_min)))
			continue;	/* outside, or nothing drawable */
		if (known && lo >= o->x0 && hi <= o->x1 &&
		    (!o->logy || bl[k].v_min > 0) &&
		    (c0 = series_col_of(o->x0, o->x1, o->ncol, lo)) ==
		    series_col_of(o->x0, o->x1, o->ncol, hi)) {
			col_range(&b->raw[c0], lo, hi, bl[k].v_min,
			    bl[k].v_max, (int64_t)cnt);
			continue;
		}
		if ((rc = db_chunk_points_range(s->db, c, k * DB_METRIC_BLOCK,
		    cnt, s->bstep, s->bts, s->bval, err)) != WB_OK)
			return rc;
		s->dblocks++;
		for (j = 0; j < cnt; j++)
			bin_point(s, b, s->bstep[j], s->bts[j], s->bval[j]);
	}
	*done = 1;
	return WB_OK;
}

static int
bin_tx(struct series_src *s, const struct series_bin_opts *o,
    struct series_col *raw, struct series_col *smooth, struct wb_err *err)
{
	struct binner		 b;
	const struct chunk_meta	*c;
	int64_t			 lo, hi;
	size_t			 i, j, c0;
	int			 rc, done;

	memset(&b, 0, sizeof b);
	b.o = o;
	b.raw = raw;
	b.smooth = o->smooth > 0 && o->smooth < 1 ? smooth : NULL;
	b.wk = 1;
	b.sorted = 1;
	s->decoded = s->dblocks = 0;
	cols_reset(raw, o->ncol);
	if (b.smooth != NULL)
		cols_reset(b.smooth, o->ncol);
	if (o->ncol == 0)
		return WB_OK;
	for (i = 0; i < s->nchunks; i++) {
		c = &s->chunks[i];
		if (b.smooth == NULL && chunk_x(s, c, &lo, &hi)) {
			if (hi < o->x0 || lo > o->x1)
				continue;
			/* Inside one column: its stored range is enough. */
			if (lo >= o->x0 && hi <= o->x1 && c->has_v &&
			    (!o->logy || c->v_min > 0) &&
			    (c0 = series_col_of(o->x0, o->x1, o->ncol, lo)) ==
			    series_col_of(o->x0, o->x1, o->ncol, hi)) {
				col_range(&raw[c0], lo, hi, c->v_min, c->v_max,
				    c->n);
				continue;
			}
			if ((rc = bin_blocks(s, &b, i, &done, err)) != WB_OK)
				return rc;
			if (done)
				continue;
		}
		if ((rc = decode(s, i, err)) != WB_OK)
			return rc;
		for (j = 0; j < (size_t)c->n; j++) {
			if (s->bstep[j] < b.last_step && (i || j))
				b.sorted = 0;
			b.last_step = s->bstep[j];
			if (b.smooth != NULL && !b.sorted)
				break;
			bin_point(s, &b, s->bstep[j], s->bts[j], s->bval[j]);
		}
		if (b.smooth != NULL && !b.sorted) {
			/* Out-of-order steps: smooth the merged series. */
			memset(&b, 0, sizeof b);
			b.o = o;
			b.raw = raw;
			b.smooth = smooth;
			b.wk = 1;
			cols_reset(raw, o->ncol);
			cols_reset(smooth, o->ncol);
			return bin_sorted(s, &b, err);
		}
	}
	return WB_OK;
}

static int
value_at_tx(struct series_src *s, int64_t x, int64_t *px, double *v,
    struct wb_err *err)
{
	const struct chunk_meta	*c;
	int64_t			 lo, hi, bx = 0, px_;
	double			 bv = NAN;
	size_t			 i, j;
	int			 rc, found = 0, ok;

	if (!s->has_x)
		return wb_err_set(err, WB_ENOTFOUND, "no points");
	if (x < s->x_lo)
		x = s->x_lo;
	for (i = s->nchunks; i-- > 0;) {
		c = &s->chunks[i];
		/* Skip chunks that cannot hold a better point. */
		if (chunk_x(s, c, &lo, &hi) && (lo > x || (found && hi < bx)))
			continue;
		if ((rc = decode(s, i, err)) != WB_OK)
			return rc;
		for (j = 0; j < (size_t)c->n; j++) {
			px_ = point_x(s, s->bstep[j], s->bts[j], &ok);
			if (ok && px_ <= x && (!found || px_ >= bx)) {
				bx = px_;
				bv = s->bval[j];
				found = 1;
			}
		}
	}
	if (!found)
		return wb_err_set(err, WB_ENOTFOUND, "no points");
	*px = bx;
	*v = bv;
	return WB_OK;
}

/* The public calls: each in one read transaction (db_read_begin). */
int
series_open(struct db *db, int64_t run_id, int64_t key_id,
    enum series_x xmode, struct series_src **out, struct wb_err *err)
{
	int	rc, began;

	*out = NULL;
	if ((rc = db_series_read_begin(db, &began, err)) != WB_OK)
		return rc;
	rc = open_tx(db, run_id, key_id, xmode, out, err);
	db_read_end(db, began);
	return rc;
}

int
series_bin(struct series_src *s, const struct series_bin_opts *o,
    struct series_col *raw, struct series_col *smooth, struct wb_err *err)
{
	int	rc, began;

	if ((rc = db_series_read_begin(s->db, &began, err)) != WB_OK)
		return rc;
	rc = bin_tx(s, o, raw, smooth, err);
	db_read_end(s->db, began);
	return rc;
}

int
series_value_at(struct series_src *s, int64_t x, int64_t *px, double *v,
    struct wb_err *err)
{
	int	rc, began;

	if ((rc = db_series_read_begin(s->db, &began, err)) != WB_OK)
		return rc;
	rc = value_at_tx(s, x, px, v, err);
	db_read_end(s->db, began);
	return rc;
}

void
series_ema(const double *v, size_t n, double w, double *out)
{
	double	last = 0, wk = 1;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			out[i] = v[i];
			continue;
		}
		last = last * w + (1 - w) * v[i];
		wk *= w;
		out[i] = last / (1 - wk);
	}
}
