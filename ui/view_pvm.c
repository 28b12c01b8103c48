/*
 * view_pvm: params against a metric, for the runs of the runs list (its
 * experiment and filter): v on the runs list opens it, v again cycles
 *   ranking   which params move the metric most: |Spearman's rho| for
 *             numeric params, eta on ranks for categorical ones (src/pvm.c
 *             says why), with a bar and the runs counted; Enter scatters
 *             the param under the cursor;
 *   scatter   the metric (y) against a param or another metric (x, cycled
 *             with x); h/l walk the runs in x order and the status line
 *             names the run under the cursor, Enter opens it;
 *   parallel  parallel coordinates: an axis per param (the ranking's top
 *             ones) ending in the metric, a line per run; the best runs'
 *             lines are drawn last (on top).
 * m picks the metric.  Braille dots in UTF-8, '*' in ASCII.  :svg FILE
 * writes the picture as SVG; :export FILE.csv the ranking.  The
 * computation is src/pvm.c; this file only loads (through db_runlist) and
 * draws.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "compare.h"
#include "db_metric.h"
#include "db_runlist.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "pvm.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"

#define PVM_MAX_RUNS	5000	/* runs read (newest first) */
#define PVM_AXES	6	/* params on the parallel coordinates */

enum pvm_mode { M_RANK, M_SCATTER, M_PARALLEL };

struct pvm {
	struct app		*app;
	int64_t			 exp_id;
	char			*filter;
	enum pvm_mode		 mode;
	/* The data: nrun runs, np params, nm metrics. */
	char			**pcols, **mcols;
	size_t			 np, nm, nrun;
	int64_t			*ids;
	char			**names;
	char			**pvals;	/* nrun * np */
	double			*mvals;		/* nrun * nm, NaN unset */
	int			 truncated;
	size_t			 metric;	/* y */
	int			 picked;	/* metric chosen once */
	size_t			 xcol;		/* x: params, then metrics */
	struct pvm_score	*scores;	/* np, for the metric */
	struct list		 l;		/* ranking cursor */
	size_t			 run_cur;	/* scatter cursor: a run */
	/* Scatter: x and y of each run (NaN: left out). */
	double			*xs, *ys;
	struct pvm_canvas	 canvas;
	char			 title[200], status[200];
};

static void
data_free(struct pvm *s)
{
	size_t	i;

	if (s->pvals != NULL)
		for (i = 0; i < s->nrun * s->np; i++)
			free(s->pvals[i]);
	for (i = 0; i < s->nrun && s->names != NULL; i++)
		free(s->names[i]);
	free(s->pvals);
	free(s->names);
	free(s->mvals);
	free(s->ids);
	free(s->scores);
	free(s->xs);
	free(s->ys);
	names_free(s->pcols, s->np);
	names_free(s->mcols, s->nm);
	s->pvals = NULL;
	s->names = NULL;
	s->mvals = NULL;
	s->ids = NULL;
	s->scores = NULL;
	s->xs = s->ys = NULL;
	s->pcols = s->mcols = NULL;
	s->np = s->nm = s->nrun = 0;
}

/* The metric's values, NaN where unset. */
static double
mval(const struct pvm *s, size_t r, size_t m)
{
	return s->mvals[r * s->nm + m];
}

/* x of run r: a numeric param or metric; a category's index otherwise. */
static void
compute_xy(struct pvm *s)
{
	size_t	r, c, ncat = 0;
	char	*end;
	int	numeric = 1;
	const char *cats[64];

	for (r = 0; r < s->nrun; r++) {
		s->ys[r] = mval(s, r, s->metric);
		s->xs[r] = NAN;
		if (s->xcol >= s->np) {
			s->xs[r] = mval(s, r, s->xcol - s->np);
			continue;
		}
		if (s->pvals[r * s->np + s->xcol] != NULL) {
			s->xs[r] = strtod(s->pvals[r * s->np + s->xcol], &end);
			if (*end != '\0')
				numeric = 0;
		}
	}
	if (numeric || s->xcol >= s->np)
		return;
	for (r = 0; r < s->nrun; r++) {
		const char *v = s->pvals[r * s->np + s->xcol];

		s->xs[r] = NAN;
		if (v == NULL)
			continue;
		for (c = 0; c < ncat; c++)
			if (strcmp(cats[c], v) == 0)
				break;
		if (c == ncat && ncat < 64)
			cats[ncat++] = v;
		if (c < 64)
			s->xs[r] = (double)c;
	}
}

static void
rescore(struct pvm *s)
{
	double	*m = xcalloc(s->nrun + 1, sizeof *m);
	size_t	 r;

	for (r = 0; r < s->nrun; r++)
		m[r] = mval(s, r, s->metric);
	free(s->scores);
	s->scores = xcalloc(s->np + 1, sizeof *s->scores);
	if (pvm_rank_params((const char *const *)s->pvals, s->np, m,
	    s->nrun, s->scores) != 0)
		ui_fatal("out of memory");
	free(m);
	s->l.n = (int64_t)s->np;
	list_set(&s->l, s->l.cursor);
	compute_xy(s);
}

static int
pvm_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct pvm		*s = v->state;
	struct runlist_query	 q;
	struct runlist_row	*rows;
	unsigned char		*has = NULL;
	size_t			 n, i, k;
	int64_t			 off = 0;
	int			 rc;

	data_free(s);
	if ((rc = db_runlist_columns(db, s->exp_id, 64, &s->pcols, &s->np,
	    &s->mcols, &s->nm, err)) != WB_OK)
		return rc;
	memset(&q, 0, sizeof q);
	q.exp_id = s->exp_id;
	q.filter = s->filter;
	q.sort = RL_SORT_STARTED;
	q.desc = 1;
	while (s->nrun < PVM_MAX_RUNS) {
		if ((rc = db_runlist_page(db, &q, off, 1000, &rows, &n, err)) !=
		    WB_OK)
			return rc;
		if (n == 0) {
			free(rows);
			break;
		}
		for (i = 0; i < n && s->nrun < PVM_MAX_RUNS; i++) {
			s->ids = xreallocarray(s->ids, s->nrun + 1,
			    sizeof *s->ids);
			s->names = xreallocarray(s->names, s->nrun + 1,
			    sizeof *s->names);
			s->ids[s->nrun] = rows[i].id;
			s->names[s->nrun] = xstrdup(rows[i].name);
			s->nrun++;
		}
		s->truncated = i < n;
		runlist_rows_free(rows, n);
		off += (int64_t)n;
	}
	if (s->nrun > 0 && (rc = db_runlist_values(db, s->ids, s->nrun,
	    s->pcols, s->np, s->mcols, s->nm, &s->pvals, &s->mvals, &has,
	    err)) != WB_OK)
		return rc;
	for (k = 0; k < s->nrun * s->nm; k++)
		if (!has[k])
			s->mvals[k] = NAN;
	free(has);
	if (s->metric >= s->nm)
		s->metric = 0;
	/* Start on a validation metric (what a sweep is judged by); a
	 * reload (live refresh) keeps the one picked with m. */
	for (k = 0; k < s->nm && !s->picked; k++)
		if (strncmp(s->mcols[k], "val", 3) == 0 ||
		    strncmp(s->mcols[k], "eval", 4) == 0) {
			s->metric = k;
			break;
		}
	s->picked = 1;
	if (s->xcol >= s->np + s->nm)
		s->xcol = 0;
	s->xs = xcalloc(s->nrun + 1, sizeof *s->xs);
	s->ys = xcalloc(s->nrun + 1, sizeof *s->ys);
	if (s->nm > 0)
		rescore(s);
	return WB_OK;
}

static const char *
xname(const struct pvm *s)
{
	return s->xcol < s->np ? s->pcols[s->xcol] : s->mcols[s->xcol -
	    s->np];
}

static void
range(const double *v, size_t n, double *lo, double *hi)
{
	size_t	i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			*lo = v[i] < *lo ? v[i] : *lo;
			*hi = v[i] > *hi ? v[i] : *hi;
		}
	if (!(*hi > *lo)) {
		*lo = isfinite(*lo) ? *lo - 0.5 : 0;
		*hi = *lo + 1;
	}
}

/* A wide positive range (a learning rate) reads better in log10. */
static int
want_log(const double *v, size_t n)
{
	double	lo, hi;

	range(v, n, &lo, &hi);
	return lo > 0 && hi / lo >= 100;
}

static double
scaled(double v, double lo, double hi, int logx)
{
	if (!isfinite(v))
		return NAN;
	if (logx)
		return (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
	return (v - lo) / (hi - lo);
}

/* Canvas of w x h cells, kept between frames (allocated on a resize). */
static int
canvas(struct pvm *s, int w, int h, int utf8)
{
	if (s->canvas.dots != NULL && s->canvas.w == w && s->canvas.h == h &&
	    s->canvas.utf8 == utf8) {
		memset(s->canvas.dots, 0, (size_t)w * (size_t)h);
		return 0;
	}
	pvm_canvas_free(&s->canvas);
	return pvm_canvas_init(&s->canvas, w, h, utf8);
}

static void
blit(struct pvm *s, struct draw_ctx *dc, int y0, int x0)
{
	char	g[8];
	int	x, y;

	for (y = 0; y < s->canvas.h; y++)
		for (x = 0; x < s->canvas.w; x++)
			if (s->canvas.dots[y * s->canvas.w + x])
				draw_glyph(dc, y0 + y, x0 + x, ROLE_SERIES0,
				    pvm_canvas_glyph(&s->canvas, x, y, g),
				    '*');
}

static void
draw_rank(struct pvm *s, struct draw_ctx *dc, int w, int h)
{
	char	b[32];
	int	y, bw = w - 46, k;
	int64_t	i;

	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	draw_printf(dc, 0, 1, -1, ROLE_HEADER, "%-22s %-5s %6s %5s  "
	    "how much it moves %s", "param", "kind", "score", "runs",
	    s->mcols[s->metric]);
	list_scroll(&s->l, h - 1);
	for (y = 1, i = s->l.top; y < h && i < (int64_t)s->np; y++, i++) {
		const struct pvm_score *c = &s->scores[i];
		enum role r = i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		draw_text(dc, y, 1, 22, r, s->pcols[c->param]);
		draw_text(dc, y, 24, 5, r, c->numeric ? "rho" : "eta");
		if (isnan(c->score)) {
			draw_text_right(dc, y, 30, 6, r, "-");
		} else if (c->numeric)
			draw_text_right(dc, y, 30, 6, r, draw_num_fit(b,
			    c->rho, 6));
		else
			draw_text_right(dc, y, 30, 6, r, draw_num_fit(b,
			    c->score, 6));
		snprintf(b, sizeof b, "%zu", c->n);
		draw_text_right(dc, y, 37, 5, r, b);
		if (!isnan(c->score) && bw > 4)
			for (k = 0; k < (int)lround(c->score * bw); k++)
				draw_glyph(dc, y, 44 + k, r == ROLE_SELECTED ?
				    r : ROLE_SERIES0, "\xe2\x96\x88", '#');
	}
}

static void
axes_labels(struct draw_ctx *dc, int y, int x, int w, double lo, double hi,
    int logx, const char *name)
{
	char	a[32], b[32], t[96];

	snprintf(t, sizeof t, "%s%s", name, logx ? " (log)" : "");
	draw_text(dc, y, x, 10, ROLE_AXIS, draw_num_fit(a, lo, 9));
	draw_text_right(dc, y, x + w - 10, 10, ROLE_AXIS, draw_num_fit(b, hi,
	    9));
	draw_text(dc, y, x + 11 + (w - 22 - (int)text_width(t)) / 2,
	    w - 22, ROLE_BOLD, t);
}

static void
draw_scatter(struct pvm *s, struct draw_ctx *dc, int w, int h)
{
	double	xl, xh, yl, yh, fx, fy;
	char	a[32], b[32];
	int	cw = w - 11, ch = h - 3, lx, y, cx, cy;
	size_t	r;

	if (cw < 10 || ch < 3 || canvas(s, cw, ch, draw_utf8(dc)) != 0)
		return;
	range(s->xs, s->nrun, &xl, &xh);
	range(s->ys, s->nrun, &yl, &yh);
	lx = want_log(s->xs, s->nrun);
	for (r = 0; r < s->nrun; r++)
		pvm_canvas_dot(&s->canvas, scaled(s->xs[r], xl, xh, lx),
		    scaled(s->ys[r], yl, yh, 0));
	draw_printf(dc, 0, 1, -1, ROLE_BOLD, "%s", s->mcols[s->metric]);
	draw_text_right(dc, 1, 0, 9, ROLE_AXIS, draw_num_fit(a, yh, 9));
	draw_text_right(dc, ch, 0, 9, ROLE_AXIS, draw_num_fit(b, yl, 9));
	for (y = 1; y <= ch; y++)
		draw_glyph(dc, y, 10, ROLE_AXIS, "\xe2\x94\x82", '|');
	blit(s, dc, 1, 11);
	/* The run under the cursor, marked over its dot. */
	if (s->run_cur < s->nrun) {
		fx = scaled(s->xs[s->run_cur], xl, xh, lx);
		fy = scaled(s->ys[s->run_cur], yl, yh, 0);
		if (!isnan(fx) && !isnan(fy)) {
			cx = 11 + (int)lround(fx * (cw - 1));
			cy = 1 + (int)lround((1 - fy) * (ch - 1));
			draw_glyph(dc, cy, cx, ROLE_CURSOR, "\xe2\x97\x8f", '@');
		}
	}
	axes_labels(dc, h - 2, 11, cw, xl, xh, lx, xname(s));
}

/*
 * The parallel coordinates' axes: the ranking's top params, then the
 * metric (columns as compute_xy numbers them); vals[r * naxes + a] gets
 * each run's value scaled to [0, 1] on that axis (log when it spans 100x
 * or more).  Returns naxes.
 */
static size_t
parallel_values(struct pvm *s, size_t *ax, double **vals)
{
	size_t	naxes = 0, a, r, k, save = s->xcol;
	double	lo, hi;
	int	lg;

	for (k = 0; k < s->np && naxes < PVM_AXES; k++)
		if (!isnan(s->scores[k].score))
			ax[naxes++] = s->scores[k].param;
	ax[naxes++] = s->np + s->metric;
	*vals = xcalloc(s->nrun * naxes + 1, sizeof **vals);
	for (a = 0; a < naxes; a++) {
		s->xcol = ax[a];
		compute_xy(s);
		range(s->xs, s->nrun, &lo, &hi);
		lg = want_log(s->xs, s->nrun);
		for (r = 0; r < s->nrun; r++)
			(*vals)[r * naxes + a] = scaled(s->xs[r], lo, hi, lg);
	}
	s->xcol = save;
	compute_xy(s);
	return naxes;
}

static void
draw_parallel(struct pvm *s, struct draw_ctx *dc, int w, int h)
{
	size_t	naxes, a, r, ax[PVM_AXES + 1];
	double	*vals, prev, cur;
	int	cw = w - 2, ch = h - 3, x;

	if (cw < 10 || ch < 3 || canvas(s, cw, ch, draw_utf8(dc)) != 0)
		return;
	naxes = parallel_values(s, ax, &vals);
	for (r = 0; r < s->nrun; r++)
		for (prev = NAN, a = 0; a < naxes; a++) {
			cur = vals[r * naxes + a];
			if (a > 0 && !isnan(prev) && !isnan(cur))
				pvm_canvas_line(&s->canvas, (double)(a - 1) /
				    (double)(naxes - 1), prev, (double)a /
				    (double)(naxes - 1), cur);
			prev = cur;
		}
	free(vals);
	blit(s, dc, 1, 1);
	for (a = 0; a < naxes; a++) {
		const char *name = ax[a] >= s->np ? s->mcols[s->metric] :
		    s->pcols[ax[a]];
		int nw = (int)text_width(name), room = cw / (int)naxes;

		if (nw > room)
			nw = room;
		x = 1 + (naxes > 1 ? (int)lround((double)a * (cw - 1) /
		    (double)(naxes - 1)) : 0);
		x -= a + 1 == naxes ? nw - 1 : a > 0 ? nw / 2 : 0;
		draw_text(dc, 0, x < 0 ? 0 : x, room, a + 1 == naxes ?
		    ROLE_BOLD : ROLE_HEADER, name);
		draw_glyph(dc, ch + 1, 1 + (naxes > 1 ? (int)lround((double)a *
		    (cw - 1) / (double)(naxes - 1)) : 0), ROLE_AXIS,
		    "\xe2\x94\xb4", '+');
	}
	draw_text(dc, h - 1, 1, -1, ROLE_DIM, "each axis low (bottom) to "
	    "high, log where the values span 100x or more");
}

static void
pvm_draw(struct view *v, struct draw_ctx *dc)
{
	struct pvm	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc);

	if (s->nm == 0 || s->nrun == 0) {
		draw_text(dc, 1, 2, -1, ROLE_DIM, s->nrun == 0 ?
		    "no runs here" : "these runs have no metrics");
		return;
	}
	if (s->mode == M_RANK)
		draw_rank(s, dc, w, h);
	else if (s->mode == M_SCATTER)
		draw_scatter(s, dc, w, h);
	else
		draw_parallel(s, dc, w, h);
}

/* The runs in x order, for walking the scatter with h/l. */
static void
walk(struct pvm *s, int dir)
{
	size_t	r, best = s->run_cur;
	double	cx = s->run_cur < s->nrun ? s->xs[s->run_cur] : -INFINITY;
	double	cy = s->run_cur < s->nrun ? s->ys[s->run_cur] : -INFINITY;
	double	bx = dir > 0 ? INFINITY : -INFINITY, by = bx;

	for (r = 0; r < s->nrun; r++) {
		double x = s->xs[r], y = s->ys[r];

		if (r == s->run_cur || isnan(x) || isnan(y))
			continue;
		/* Next by (x, y, index) in the direction asked. */
		if (dir > 0 ? (x > cx || (x == cx && (y > cy || (y == cy &&
		    r > s->run_cur)))) && (x < bx || (x == bx && y < by)) :
		    (x < cx || (x == cx && (y < cy || (y == cy &&
		    r < s->run_cur)))) && (x > bx || (x == bx && y > by))) {
			bx = x;
			by = y;
			best = r;
		}
	}
	s->run_cur = best;
}

static void
svg_done(struct view *v, struct app *app, const char *file);

static enum action
pvm_handle(struct view *v, struct app *app, enum action a)
{
	struct pvm	*s = v->state;

	if (s->nm == 0)
		return a == ACT_PVM ? ACT_NONE : a;
	switch (a) {
	case ACT_PVM:
		s->mode = (enum pvm_mode)((s->mode + 1) % 3);
		return ACT_NONE;
	case ACT_NEXT_METRIC:
		s->metric = (s->metric + 1) % s->nm;
		rescore(s);
		app_message(app, "metric %s", s->mcols[s->metric]);
		return ACT_NONE;
	case ACT_X_AXIS:
		s->xcol = (s->xcol + 1) % (s->np + s->nm);
		if (s->xcol == s->np + s->metric)
			s->xcol = (s->xcol + 1) % (s->np + s->nm);
		compute_xy(s);
		s->mode = M_SCATTER;
		app_message(app, "x: %s", xname(s));
		return ACT_NONE;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (s->mode != M_SCATTER)
			return ACT_NONE;
		walk(s, a == ACT_RIGHT ? 1 : -1);
		return ACT_NONE;
	case ACT_ENTER:
		if (s->mode == M_RANK && s->np > 0) {
			s->xcol = s->scores[s->l.cursor].param;
			compute_xy(s);
			s->mode = M_SCATTER;
		} else if (s->mode == M_SCATTER && s->run_cur < s->nrun)
			app_push(app, view_run_new(app, s->ids[s->run_cur]));
		return ACT_NONE;
	default:
		if (s->mode == M_RANK && list_move(&s->l, a,
		    list_page(v->rows)))
			return ACT_NONE;
		return a;
	}
}

static int
pvm_command(struct view *v, struct app *app, const char *cmd,
    const char *args)
{
	if (strcmp(cmd, "svg") != 0)
		return 0;
	svg_done(v, app, args);
	return 1;
}

/* :svg FILE: the scatter or the parallel coordinates as SVG. */
static void
svg_done(struct view *v, struct app *app, const char *file)
{
	struct pvm	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*fp;
	size_t		 a, naxes, ax[PVM_AXES + 1];
	const char	*labels[PVM_AXES + 1];
	double		*vals;

	if (*file == '\0' || s->nm == 0) {
		app_error(app, ":svg FILE (the scatter, or the parallel "
		    "coordinates)");
		return;
	}
	if (s->mode == M_PARALLEL) {
		naxes = parallel_values(s, ax, &vals);
		for (a = 0; a < naxes; a++)
			labels[a] = ax[a] >= s->np ? s->mcols[ax[a] - s->np] :
			    s->pcols[ax[a]];
		pvm_svg_parallel(&sb, vals, s->nrun, naxes, labels, 900, 500);
		free(vals);
	} else
		pvm_svg_scatter(&sb, s->xs, s->ys, s->nrun, xname(s),
		    s->mcols[s->metric], 800, 500);
	if ((fp = fopen(file, "w")) == NULL || fputs(strbuf_str(&sb), fp) ==
	    EOF || fclose(fp) != 0)
		app_error(app, "%s: cannot write", file);
	else
		app_message(app, "wrote %s", file);
	strbuf_free(&sb);
}

/* :export FILE: the ranking as CSV. */
static int
pvm_export(struct view *v, FILE *fp)
{
	struct pvm	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	char		 b[32];
	size_t		 i;

	fprintf(fp, "param,measure,score,rho,runs,metric\n");
	for (i = 0; i < s->np && s->scores != NULL; i++) {
		const struct pvm_score *c = &s->scores[i];

		strbuf_reset(&sb);
		text_csv_field(&sb, s->pcols[c->param]);
		fprintf(fp, "%s,%s,%s,", strbuf_str(&sb), c->numeric ?
		    "spearman" : "eta", isnan(c->score) ? "" : text_num(b,
		    c->score));
		fprintf(fp, "%s,%zu,", isnan(c->rho) ? "" : text_num(b, c->rho),
		    c->n);
		strbuf_reset(&sb);
		text_csv_field(&sb, s->mcols[s->metric]);
		fprintf(fp, "%s\n", strbuf_str(&sb));
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const char *
pvm_title(struct view *v)
{
	struct pvm	*s = v->state;
	static const char *const modes[] = { "which params move",
	    "scatter of", "parallel coordinates:" };

	snprintf(s->title, sizeof s->title, "%s %s  %zu runs%s%s%s",
	    modes[s->mode], s->nm ? s->mcols[s->metric] : "-", s->nrun,
	    s->truncated ? " (newest)" : "", s->filter ? "  filter: " : "",
	    s->filter ? s->filter : "");
	return s->title;
}

static const char *
pvm_crumb(struct view *v)
{
	(void)v;
	return "params";
}

static const char *
pvm_status(struct view *v)
{
	struct pvm	*s = v->state;
	char		 a[32], b[32];

	s->status[0] = '\0';
	if (s->mode == M_SCATTER && s->run_cur < s->nrun && s->nm > 0)
		snprintf(s->status, sizeof s->status, "%.80s  %s=%s  %s=%s",
		    s->names[s->run_cur], xname(s), draw_num_fit(a,
		    s->xs[s->run_cur], 10), s->mcols[s->metric],
		    draw_num_fit(b, s->ys[s->run_cur], 10));
	return s->status;
}

static void
pvm_free(struct view *v)
{
	struct pvm	*s = v->state;

	data_free(s);
	pvm_canvas_free(&s->canvas);
	free(s->filter);
	free(s);
}

static int
pvm_avail(struct view *v, enum action a)
{
	struct pvm	*s = v->state;

	if (a == ACT_LEFT || a == ACT_RIGHT)
		return s->mode == M_SCATTER;
	if (a == ACT_UP || a == ACT_DOWN || a == ACT_PAGE_UP ||
	    a == ACT_PAGE_DOWN || a == ACT_FIRST || a == ACT_LAST)
		return s->mode == M_RANK;
	return 1;
}

static const struct view_key pvm_keys[] = {
	{ ACT_PVM, "view" }, { ACT_NEXT_METRIC, "metric" },
	{ ACT_X_AXIS, "x-axis" }, { ACT_ENTER, "open" }, { ACT_LEFT, NULL },
	{ ACT_RIGHT, "run" }, LIST_NAV_KEYS, { ACT_NONE, NULL }
};

static const struct view_ops pvm_ops = {
	.name = "params",
	.keys = pvm_keys,
	.avail = pvm_avail,
	.load = pvm_load,
	.draw = pvm_draw,
	.handle = pvm_handle,
	.free = pvm_free,
	.title = pvm_title,
	.crumb = pvm_crumb,
	.status = pvm_status,
	.command = pvm_command,
	.export_csv = pvm_export,
};

struct view *
view_pvm_new(struct app *app, int64_t exp_id, const char *filter)
{
	struct pvm	*s = xcalloc(1, sizeof *s);

	s->app = app;
	s->exp_id = exp_id;
	s->filter = filter ? xstrdup(filter) : NULL;
	return view_new(&pvm_ops, s);
}
