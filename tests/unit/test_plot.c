/*
 * test_plot: downsampling and charts.  Series are written through the
 * real writer into a :memory: workspace, so the per-chunk fast path is
 * checked against brute force: every point lies inside its column's span,
 * every column's span is exactly the min..max of its points, a single
 * spike among 100,000 points survives, chunks inside one column are not
 * decoded.  Also ticks, labels, the EMA formula, value lookup, the
 * braille and ASCII rasters and the SVG writer.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "plot.h"
#include "series.h"
#include "strbuf.h"
#include "tap.h"

static struct db *db;
static int64_t exp_id, key;

/* A run with n points of f(i) at step i*stride (ts 1000 + 10 * i ms). */
static int64_t
make_run(const char *name, size_t n, int64_t stride, double (*f)(size_t))
{
	struct wb_err	 err;
	struct mwriter	*w;
	struct run_new	 r;
	int64_t		 id;
	size_t		 i;

	memset(&r, 0, sizeof r);
	r.experiment_id = exp_id;
	r.name = name;
	r.git_dirty = -1;
	if (db_begin(db, &err) || db_run_insert(db, &r, &id, &err) ||
	    mw_open(db, &w, &err) || mw_key(w, "loss", &key, &err))
		abort();
	for (i = 0; i < n; i++)
		if (mw_add(w, id, key, (int64_t)i * stride,
		    1000 + 10 * (int64_t)i, f(i), &err))
			abort();
	if (mw_flush(w, &err) || db_commit(db, &err))
		abort();
	mw_close(w);
	return id;
}

static double
noisy(size_t i)
{
	/* Deterministic noise, one spike, a NaN and an inf. */
	if (i == 65432)
		return 1000;
	if (i == 777)
		return NAN;
	if (i == 778)
		return INFINITY;
	return 2.0 * exp(-(double)i / 20000) + (double)((i * 7919) % 101) /
	    1000;
}

static double
ramp(size_t i)
{
	return (double)i;
}

static double
span(size_t i)
{
	return 0.15 * pow(60, (double)i / 99);	/* 0.15 .. 9 */
}

static double
const1(size_t i)
{
	(void)i;
	return 1;
}

/* Brute force: every point is inside its column, every span exact. */
static void
check_exact(int64_t run, size_t ncol, int64_t x0, int64_t x1,
    const char *what)
{
	struct series_src	*s;
	struct series_col	*c = calloc(ncol, sizeof *c);
	struct series_bin_opts	 o = { x0, x1, ncol, 0, 0 };
	struct series		 se;
	struct wb_err		 err;
	double			*lo = calloc(ncol, sizeof *lo);
	double			*hi = calloc(ncol, sizeof *hi);
	size_t			 i, k, bad_in = 0, bad_span = 0;

	if (series_open(db, run, key, SERIES_X_STEP, &s, &err) ||
	    series_bin(s, &o, c, NULL, &err) ||
	    db_series_load(db, run, key, &se, &err))
		abort();
	for (k = 0; k < ncol; k++) {
		lo[k] = INFINITY;
		hi[k] = -INFINITY;
	}
	for (i = 0; i < se.n; i++) {
		if (!isfinite(se.value[i]) || se.step[i] < x0 ||
		    se.step[i] > x1)
			continue;
		k = series_col_of(x0, x1, ncol, se.step[i]);
		if (se.value[i] < lo[k])
			lo[k] = se.value[i];
		if (se.value[i] > hi[k])
			hi[k] = se.value[i];
		if (c[k].n == 0 || se.value[i] < c[k].min ||
		    se.value[i] > c[k].max)
			bad_in++;
	}
	for (k = 0; k < ncol; k++)
		if ((c[k].n == 0) != isinf(lo[k]) || (c[k].n && (c[k].min !=
		    lo[k] || c[k].max != hi[k])))
			bad_span++;
	ok(bad_in == 0, "%s: every point lies within its column's span "
	    "(%zu outside)", what, bad_in);
	ok(bad_span == 0, "%s: every column spans exactly its points' "
	    "min..max (%zu differ)", what, bad_span);
	series_free(&se);
	series_close(s);
	free(c);
	free(lo);
	free(hi);
}

static void
test_downsample(void)
{
	struct series_src	*s;
	struct series_col	 c[160], sm[160];
	struct series_bin_opts	 o;
	struct wb_err		 err;
	int64_t			 run, lo, hi, px;
	double			 v;
	size_t			 i, spike_col;

	run = make_run("noisy", 100000, 1, noisy);
	if (series_open(db, run, key, SERIES_X_STEP, &s, &err))
		abort();
	series_x_range(s, &lo, &hi);
	is_int(lo, 0, "x range starts at step 0");
	is_int(hi, 99999, "x range ends at the last step");
	is_int(series_npoints(s), 100000, "all points counted");
	memset(&o, 0, sizeof o);
	o.x0 = lo;
	o.x1 = hi;
	o.ncol = 160;
	if (series_bin(s, &o, c, NULL, &err))
		abort();
	ok(series_decoded(s) == 0, "no whole chunk is decoded (%zu)",
	    series_decoded(s));
	ok(series_decoded_blocks(s) > 0 && series_decoded_blocks(s) <= 170,
	    "only the 64-point blocks at column edges are read (%zu of 1563)",
	    series_decoded_blocks(s));
	spike_col = series_col_of(lo, hi, 160, 65432);
	is_num(c[spike_col].max, 1000, 0, 0, "the single spike survives");
	for (i = 0; i < 160; i++)
		if (c[i].n == 0)
			break;
	is_int(i, 160, "no empty column in a dense series");
	ok(series_value_at(s, 65432, &px, &v, &err) == WB_OK && px == 65432 &&
	    v == 1000, "value lookup at the spike");
	ok(series_value_at(s, -5, &px, &v, &err) == WB_OK && px == 0,
	    "value lookup before the start gives the first point");
	ok(series_value_at(s, 777, &px, &v, &err) == WB_OK && isnan(v),
	    "value lookup returns NaN as stored");
	/* Smoothing decodes everything and keeps the raw spans exact. */
	o.smooth = 0.9;
	if (series_bin(s, &o, c, sm, &err))
		abort();
	is_num(c[spike_col].max, 1000, 0, 0, "raw spike kept when smoothing");
	ok(sm[spike_col].max < 200 && sm[spike_col].max > 2,
	    "the smoothed curve damps the spike (%g)", sm[spike_col].max);
	series_close(s);

	check_exact(run, 160, 0, 99999, "160 columns");
	check_exact(run, 7, 0, 99999, "7 columns");
	check_exact(run, 333, 0, 99999, "333 columns");
	check_exact(run, 160, 60000, 70000, "zoomed 60000..70000");
	check_exact(run, 160, 65000, 65100, "zoomed to 101 steps");

	/* Sparse x: stride 1000, more columns than points. */
	run = make_run("sparse", 50, 1000, ramp);
	check_exact(run, 320, 0, 49000, "sparse series");

	/* Log scale leaves out values <= 0. */
	run = make_run("ramp", 3000, 1, ramp);
	if (series_open(db, run, key, SERIES_X_STEP, &s, &err))
		abort();
	memset(&o, 0, sizeof o);
	o.x1 = 2999;
	o.ncol = 10;
	o.logy = 1;
	if (series_bin(s, &o, c, NULL, &err))
		abort();
	is_num(c[0].min, 1, 0, 0, "log scale drops the zero");
	series_close(s);
	if (series_open(db, run, key, SERIES_X_RELATIVE, &s, &err))
		abort();
	series_x_range(s, &lo, &hi);
	ok(lo == 0 && hi == 29990, "relative time x range (%lld..%lld)",
	    (long long)lo, (long long)hi);
	series_close(s);
	if (series_open(db, run, key, SERIES_X_TIME, &s, &err))
		abort();
	series_x_range(s, &lo, &hi);
	ok(lo == 1000 && hi == 30990, "wall time x range");
	series_close(s);
}

static void
test_ticks(void)
{
	double	f, st;
	char	b[32];
	int	n;

	n = plot_ticks(0, 1, 5, &f, &st);
	ok(n == 6 && f == 0 && st == 0.2, "ticks 0..1: 0.2 steps (%d, %g)",
	    n, st);
	n = plot_ticks(0.13, 0.87, 4, &f, &st);
	ok(fabs(st - 0.2) < 1e-12 && fabs(f - 0.2) < 1e-12 && n == 4,
	    "ticks 0.13..0.87: 0.2 .. 0.8");
	n = plot_ticks(0, 3000, 6, &f, &st);
	ok(st == 500 && n == 7, "ticks 0..3000: 500 steps");
	n = plot_ticks(-7, 93, 3, &f, &st);
	ok(st == 50 && f == 0 && n == 2, "ticks -7..93: 50 steps from 0");
	is_str(plot_tick_label(b, 0.30000000000000004, 0.1), "0.3",
	    "label rounds to the step's digits");
	is_str(plot_tick_label(b, -1e-17, 0.5), "0.0", "no minus zero");
	is_str(plot_tick_label(b, 1500, 500), "1500", "integer label");
	is_str(plot_x_label(b, SERIES_X_STEP, 1500, 500), "1.5k",
	    "step label with k");
	is_str(plot_x_label(b, SERIES_X_STEP, 2000000, 500000), "2M",
	    "step label with M");
	is_str(plot_x_label(b, SERIES_X_RELATIVE, 5400000, 1800000),
	    "1h30m", "relative time label");
	is_str(plot_x_label(b, SERIES_X_RELATIVE, 0, 60000), "0s",
	    "relative zero");
}

static void
test_ema(void)
{
	double	v[4] = { 1, 2, NAN, 3 }, o[4];
	double	last;

	series_ema(v, 4, 0.6, o);
	is_num(o[0], 1, 1e-12, 0, "EMA: the first point is itself (debiased)");
	last = (0.6 * 0.4 * 1 + 0.4 * 2);
	is_num(o[1], last / (1 - 0.36), 1e-12, 0,
	    "EMA: TensorBoard's debiased second value");
	ok(isnan(o[2]), "EMA: NaN passes through");
	last = last * 0.6 + 0.4 * 3;
	is_num(o[3], last / (1 - 0.216), 1e-12, 0,
	    "EMA: NaN does not count towards the debias");
	series_ema(v, 2, 0, o);
	ok(o[0] == 1 && o[1] == 2, "EMA weight 0 is the raw curve");
}

/* Render one run's curve into a w x h canvas. */
static void
render(struct plot *p, int64_t run, int w, int h, int utf8, int logy,
    long cursor)
{
	struct series_src	*s;
	struct series_col	 c[400];
	struct series_bin_opts	 bo;
	struct plot_opts	 po;
	struct plot_line	 l;
	struct wb_err		 err;

	memset(&po, 0, sizeof po);
	po.w = w;
	po.h = h;
	po.utf8 = utf8;
	po.logy = logy;
	po.title = "loss";
	po.legend = 1;
	po.cursor = cursor;
	if (series_open(db, run, key, SERIES_X_STEP, &s, &err))
		abort();
	series_x_range(s, &po.x0, &po.x1);
	memset(&bo, 0, sizeof bo);
	bo.x0 = po.x0;
	bo.x1 = po.x1;
	bo.ncol = plot_ncol(&po);
	bo.logy = logy;
	if (bo.ncol > 400 || series_bin(s, &bo, c, NULL, &err))
		abort();
	l.label = "run\x1b[2J";
	l.raw = c;
	l.smooth = NULL;
	if (plot_render(p, &po, &l, 1, &err))
		abort();
	series_close(s);
}

static void
test_raster(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct plot	 p;
	struct wb_err	 err;
	struct plot_opts po;
	int64_t		 run;
	const char	*t;
	int		 y, x, found;

	/* A ramp 0..39 over 20 columns x 5 rows: a diagonal. */
	run = make_run("diag", 40, 1, ramp);
	render(&p, run, 30, 8, 1, 0, -1);
	plot_text(&p, &sb);
	t = strbuf_str(&sb);
	ok(strstr(t, "loss") == t, "title first");
	ok(strstr(t, "run\\e[2J") != NULL, "legend label sanitised");
	ok(strstr(t, "\x1b") == NULL, "no raw escape in the chart");
	/* Top-right and bottom-left dots: the ramp spans the whole area. */
	ok(p.cells[1 * p.w + p.w - 1].kind == PK_SERIES,
	    "ramp reaches the top right cell");
	ok(p.cells[(size_t)(p.py + p.ph - 1) * (size_t)p.w + (size_t)p.px].kind
	    == PK_SERIES, "ramp starts at the bottom left cell");
	ok(strstr(t, "\xe2\x94\x94") != NULL, "braille chart has box axes");
	plot_free(&p);
	strbuf_reset(&sb);

	render(&p, run, 30, 8, 0, 0, 5);
	plot_text(&p, &sb);
	t = strbuf_str(&sb);
	found = 0;
	for (y = 0; y < p.h; y++)
		for (x = 0; x < p.w; x++)
			if ((unsigned char)p.cells[y * p.w + x].g[0] >= 0x80)
				found = 1;
	ok(!found, "ASCII fallback has only ASCII glyphs");
	found = 0;
	for (y = p.py; y < p.py + p.ph; y++)
		if (p.cells[y * p.w + p.px + 5].kind == PK_CURSOR)
			found++;
	ok(found > 0, "cursor column drawn (%d cells)", found);
	plot_free(&p);

	/* Constant series: a flat line in the middle, labels around 1. */
	run = make_run("flat", 100, 1, const1);
	render(&p, run, 40, 10, 1, 0, -1);
	strbuf_reset(&sb);
	plot_text(&p, &sb);
	ok(strstr(strbuf_str(&sb), "1") != NULL, "constant series has ticks");
	found = 0;
	for (y = p.py; y < p.py + p.ph; y++)
		if (p.cells[y * p.w + p.px + 10].kind == PK_SERIES)
			found++;
	is_int(found, 1, "constant series is one row");
	plot_free(&p);

	/* Log scale: decades as tick labels. */
	run = make_run("decades", 1000, 1, ramp);
	render(&p, run, 40, 12, 1, 1, -1);
	strbuf_reset(&sb);
	plot_text(&p, &sb);
	ok(strstr(strbuf_str(&sb), "100") != NULL &&
	    strstr(strbuf_str(&sb), "10\xe2\x94\xa4") != NULL,
	    "log scale ticks at decades");
	plot_free(&p);

	/* Under three decades: 1-2-5 steps of the values. */
	run = make_run("span", 100, 1, span);
	render(&p, run, 50, 14, 1, 1, -1);
	strbuf_reset(&sb);
	plot_text(&p, &sb);
	ok(strstr(strbuf_str(&sb), "0.5\xe2\x94\xa4") != NULL &&
	    strstr(strbuf_str(&sb), " 2\xe2\x94\xa4") != NULL &&
	    strstr(strbuf_str(&sb), " 5\xe2\x94\xa4") != NULL,
	    "narrow log scale ticks at 0.5, 2, 5");
	plot_free(&p);

	memset(&po, 0, sizeof po);
	po.w = 10;
	po.h = 3;
	ok(plot_render(&p, &po, NULL, 0, &err) == WB_EINVAL,
	    "too small a canvas is refused");
	strbuf_free(&sb);
}

static void
test_svg(void)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct series_col	 c[1000];
	struct plot_opts	 po;
	struct plot_line	 l[2];
	struct wb_err		 err;
	const char		*t;
	size_t			 i, ncol, open = 0, close = 0;

	memset(&po, 0, sizeof po);
	po.w = 600;
	po.h = 300;
	po.title = "val<loss>&";
	po.x1 = 99;
	ncol = plot_svg_ncol(&po);
	ok(ncol > 0 && ncol <= 1000, "SVG columns (%zu)", ncol);
	for (i = 0; i < ncol; i++) {
		c[i].n = 1;
		c[i].min = c[i].max = c[i].first = c[i].last = (double)i;
		c[i].first_x = c[i].last_x = (int64_t)i;
	}
	l[0].label = "a\"b\x01";
	l[0].raw = c;
	l[0].smooth = NULL;
	l[1].label = "smooth";
	l[1].raw = c;
	l[1].smooth = c;
	ok(plot_svg(&sb, &po, l, 2, &err) == WB_OK, "SVG written");
	t = strbuf_str(&sb);
	ok(strncmp(t, "<?xml", 5) == 0 && strstr(t, "</svg>\n") != NULL,
	    "SVG starts with the XML declaration and ends with </svg>");
	ok(strstr(t, "val&lt;loss&gt;&amp;") != NULL, "title escaped");
	ok(strstr(t, "a&quot;b?") != NULL, "label escaped, control byte "
	    "replaced");
	ok(strstr(t, "stroke-opacity=\"0.3\"") != NULL, "raw curve faint "
	    "behind the smoothed one");
	for (; *t; t++) {
		if (*t == '<' && t[1] != '/' && t[1] != '?')
			open++;
		if ((*t == '<' && t[1] == '/') || (*t == '/' && t[1] == '>'))
			close++;
	}
	is_int(open, close, "every element is closed");
	/*
	 * One point per column: one vertex per column, not four.  The first
	 * path holds the first curve's ncol columns.
	 */
	{
		const char	*p = strstr(strbuf_str(&sb), " d=\"M"), *q;
		size_t		 nv = 0;

		q = p ? strchr(p + 4, '"') : NULL;
		for (; p != NULL && p < q; p++)
			if (*p == 'M' || *p == 'L')
				nv++;
		is_int(nv, ncol, "SVG: one vertex per one-point column");
	}
	/* A column spanning a range: first, max, min, last, once each. */
	strbuf_reset(&sb);
	c[0].min = -5;
	c[0].max = 5;
	c[0].first = 1;
	c[0].last = 2;
	c[0].n = 4;
	for (i = 1; i < ncol; i++)
		c[i].n = 0;
	l[0].raw = c;
	ok(plot_svg(&sb, &po, l, 1, &err) == WB_OK, "SVG of one column");
	{
		const char	*p = strstr(strbuf_str(&sb), " d=\"M"), *q;
		size_t		 nv = 0;

		q = p ? strchr(p + 4, '"') : NULL;
		for (; p != NULL && p < q; p++)
			if (*p == 'M' || *p == 'L')
				nv++;
		is_int(nv, 4, "a ranged column: 4 vertices");
	}
	strbuf_free(&sb);
}

/* Every allocation failure in open, bin, render and SVG is WB_ENOMEM. */
static void
test_faults(void)
{
	struct series_src	*s;
	struct series_col	 c[100], sm[100];
	struct series_bin_opts	 bo;
	struct plot_opts	 po;
	struct plot_line	 l;
	struct plot		 p;
	struct strbuf		 sb = STRBUF_INIT;
	struct wb_err		 err;
	int64_t			 run = make_run("faults", 3000, 1, noisy);
	long			 n;
	int			 rc, bad = 0;

	memset(&po, 0, sizeof po);
	po.w = 60;
	po.h = 12;
	po.utf8 = 1;
	po.cursor = -1;
	po.legend = 1;
	po.title = "loss";
	memset(&bo, 0, sizeof bo);
	for (n = 0; n < 10000; n++) {
		s = NULL;
		wb_mem_fail_after(n);
		rc = series_open(db, run, key, SERIES_X_STEP, &s, &err);
		if (rc == WB_OK) {
			series_x_range(s, &po.x0, &po.x1);
			bo.x0 = po.x0;
			bo.x1 = po.x1;
			bo.ncol = plot_ncol(&po);
			bo.smooth = 0.5;
			rc = series_bin(s, &bo, c, sm, &err);
		}
		if (rc == WB_OK) {
			l.label = "r";
			l.raw = c;
			l.smooth = sm;
			rc = plot_render(&p, &po, &l, 1, &err);
			if (rc == WB_OK)
				plot_free(&p);
		}
		wb_mem_fail_after(-1);
		series_close(s);
		if (rc == WB_OK)
			break;
		if (rc != WB_ENOMEM)
			bad++;
	}
	ok(bad == 0 && n > 3, "chart under %ld allocation failures: "
	    "WB_ENOMEM each time", n);
	(void)sb;
}

int
main(void)
{
	struct wb_err	err;

	if (db_open(":memory:", 0, &db, &err) != WB_OK ||
	    db_exp_ensure(db, "e", &exp_id, &err) != WB_OK)
		abort();
	test_downsample();
	test_ticks();
	test_ema();
	test_raster();
	test_svg();
	test_faults();
	db_close(db);
	return tap_done();
}
