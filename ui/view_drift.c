/*
 * view_drift: the drift screens (screen 3).
 *
 *   drift          saved reports, newest first: name, model, when,
 *                  columns drifted / tested, verdict (DRIFT in the alert
 *                  colour), schema issues.  Enter opens one, p its trend.
 *   drift-report   a report's columns sorted by drift score, drifted ones
 *                  in the alert colour, schema issues above.  Enter opens
 *                  a column, p the trend of the report's name.
 *   drift-column   summary statistics of both sides and the two
 *                  histograms side by side on shared bins (eighth-block
 *                  bars, reference and current in their own colours, ASCII
 *                  '#' without UTF-8); categories get a bar each, new and
 *                  vanished ones marked.
 *   drift-trend    the reports saved under one name, oldest first: the
 *                  verdict history, the drift share and every column's
 *                  drift score as sparklines.
 * Every screen loads from src/db_drift.c (no SQL here) and keeps its own
 * copy of what it shows, so a reload under one never frees another's.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "db_drift.h"
#include "draw.h"
#include "drift.h"
#include "drift_report.h"
#include "err.h"
#include "list.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"

static struct view *report_new(int64_t id);
static struct view *column_new(int64_t id, const char *column);
static struct view *trend_new(const char *name);

/* "4.2e-05", "0.1234": a statistic or p-value in 4 digits; "-" for NaN. */
static const char *
num4(char b[32], double v)
{
	if (isnan(v))
		return "-";
	return text_num_short(b, v, 4);
}

/* ================= the reports list ================= */

struct dlist {
	struct drift_row *rows;
	size_t		 n;
	struct list	 l;		/* cursor, scroll */
	char		 title[64];
};

static int
dlist_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dlist	 *s = v->state;
	struct drift_row *rows;
	size_t		  n, i;
	int64_t		  keep = s->rows && s->l.cursor < (int)s->n ?
	    s->rows[s->l.cursor].id : 0;
	int		  rc;

	if ((rc = db_drift_list(db, NULL, &rows, &n, err)) != WB_OK)
		return rc;
	db_drift_rows_free(s->rows, s->n);
	s->rows = rows;
	s->n = n;
	for (i = 0; i < n; i++)
		if (rows[i].id == keep)
			s->l.cursor = (int)i;
	if (s->l.cursor >= (int)n)
		s->l.cursor = n ? (int)n - 1 : 0;
	return WB_OK;
}

static void
dlist_draw(struct view *v, struct draw_ctx *dc)
{
	struct dlist	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y;
	size_t		 i;
	char		 t[32], b[64];

	s->l.n = (int64_t)(s->n);
	list_scroll(&s->l, h - 1);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	draw_text(dc, 0, 2, 4, ROLE_HEADER, "id");
	draw_text(dc, 0, 7, 18, ROLE_HEADER, "name");
	draw_text(dc, 0, 26, 14, ROLE_HEADER, "model");
	draw_text(dc, 0, 41, 16, ROLE_HEADER, "when");
	draw_text_right(dc, 0, 57, 7, ROLE_HEADER, "drifted");
	draw_text(dc, 0, 66, 7, ROLE_HEADER, "verdict");
	draw_text(dc, 0, 74, w - 74, ROLE_HEADER, "issues");
	if (s->n == 0)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no drift reports yet: mlwb "
		    "drift REF.csv CUR.csv --save NAME");
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct drift_row *d = &s->rows[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 1, 1, r, ">");
		}
		snprintf(b, sizeof b, "%lld", (long long)d->id);
		draw_text(dc, y, 2, 4, r, b);
		draw_text(dc, y, 7, 18, r, d->name ? d->name : "-");
		draw_text(dc, y, 26, 14, r, d->model ? d->model : "-");
		/* "2026-11-02 09:00" */
		snprintf(b, sizeof b, "%.16s", text_time(t, d->created_at));
		draw_text(dc, y, 41, 16, r, b);
		snprintf(b, sizeof b, "%lld/%lld", (long long)d->drifted,
		    (long long)d->tested);
		draw_text_right(dc, y, 57, 7, r, b);
		draw_text(dc, y, 66, 7, r == ROLE_NORMAL ? (d->dataset_drift ?
		    ROLE_DRIFT : ROLE_NO_DRIFT) : r, d->dataset_drift ?
		    "DRIFT" : "ok");
		if (d->nissues > 0) {
			snprintf(b, sizeof b, "%lld", (long long)d->nissues);
			draw_text(dc, y, 74, w - 74, r == ROLE_NORMAL ?
			    ROLE_DRIFT : r, b);
		}
	}
}

static enum action
dlist_handle(struct view *v, struct app *app, enum action a)
{
	struct dlist	*s = v->state;

	if ((s->l.n = (int64_t)(s->n), list_move(&s->l, a, list_page(v->rows))))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (s->n > 0)
			app_push(app, report_new(s->rows[s->l.cursor].id));
		return ACT_NONE;
	case ACT_PLOT:
		if (s->n == 0)
			return ACT_NONE;
		if (s->rows[s->l.cursor].name == NULL)
			app_error(app, "this report has no name: save reports "
			    "with --save NAME to follow them over time");
		else
			app_push(app, trend_new(s->rows[s->l.cursor].name));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
dlist_title(struct view *v)
{
	struct dlist *s = v->state;

	snprintf(s->title, sizeof s->title, "drift reports  %zu", s->n);
	return s->title;
}

static void
dlist_free(struct view *v)
{
	struct dlist *s = v->state;

	db_drift_rows_free(s->rows, s->n);
	free(s);
}

static void
dlist_click(struct view *v, struct app *app, int y, int x)
{
	struct dlist *s = v->state;

	(void)app;
	(void)x;
	if (y >= 1 && s->l.top + y - 1 < (int)s->n)
		s->l.cursor = s->l.top + y - 1;
}

static int
list_export(struct view *v, FILE *fp)
{
	struct dlist	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	char		 t[32];

	fprintf(fp, "id,name,model,created,drifted,tested,drift_share,"
	    "dataset_drift,issues\n");
	for (i = 0; i < s->n; i++) {
		const struct drift_row *d = &s->rows[i];

		strbuf_reset(&sb);
		text_csv_field(&sb, d->name ? d->name : "");
		strbuf_addc(&sb, ',');
		text_csv_field(&sb, d->model ? d->model : "");
		fprintf(fp, "%lld,%s,%s,%lld,%lld,%.17g,%s,%lld\n",
		    (long long)d->id, strbuf_str(&sb),
		    text_time(t, d->created_at), (long long)d->drifted,
		    (long long)d->tested, d->drift_share,
		    d->dataset_drift ? "true" : "false", (long long)d->nissues);
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const struct view_key dlist_keys[] = {
	{ ACT_ENTER, "report" }, { ACT_PLOT, "trend" },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops dlist_ops = {
	.keys = dlist_keys,
	.name = "drift",
	.load = dlist_load,
	.draw = dlist_draw,
	.handle = dlist_handle,
	.free = dlist_free,
	.title = dlist_title,
	.export_csv = list_export,
	.click = dlist_click,
};

struct view *
view_drift_new(struct app *app)
{
	(void)app;
	return view_new(&dlist_ops, xcalloc(1, sizeof(struct dlist)));
}

/* ================= one report ================= */

struct dreport {
	int64_t		 id;
	struct drift_report *r;
	size_t		*order;
	struct list	 l;		/* cursor, scroll */
	char		 title[128];
};

static int
report_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dreport		*s = v->state;
	struct drift_report	*r;
	int			 rc;

	if ((rc = db_drift_load_id(db, s->id, &r, err)) != WB_OK)
		return rc;
	drift_report_free(s->r);
	free(s->order);
	s->r = r;
	if ((s->order = drift_report_order(r)) == NULL)
		ui_fatal("out of memory");
	if (s->l.cursor >= (int)r->ncols)
		s->l.cursor = r->ncols ? (int)r->ncols - 1 : 0;
	return WB_OK;
}

static const char *
base(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

static void
report_draw(struct view *v, struct draw_ctx *dc)
{
	struct dreport		*s = v->state;
	const struct drift_report *r = s->r;
	int			 w = draw_width(dc), h = draw_height(dc), y, x;
	size_t			 i;
	char			 t[32], b[32];

	if (r == NULL)
		return;
	x = draw_text(dc, 0, 1, -1, ROLE_BOLD, r->name ? r->name : "report");
	x += 1 + draw_printf(dc, 0, x + 2, -1, ROLE_NORMAL, "%.16s",
	    text_time(t, r->created_at));
	if (r->model)
		draw_printf(dc, 0, x + 3, -1, ROLE_DIM, "model %s", r->model);
	draw_printf(dc, 1, 1, -1, ROLE_NORMAL, "reference %s (%zu rows)  "
	    "current %s (%zu rows)", base(r->ref_path), r->ref_rows,
	    base(r->cur_path), r->cur_rows);
	x = draw_text(dc, 2, 1, -1, r->dataset_drift ? ROLE_DRIFT :
	    ROLE_NO_DRIFT, r->dataset_drift ? "DATA SET DRIFT" :
	    "no data set drift");
	draw_printf(dc, 2, x + 2, -1, ROLE_NORMAL, "%zu of %zu columns "
	    "drifted (share %.3g, threshold %.3g)", r->drifted, r->tested,
	    r->drift_share, r->share_threshold);
	y = 3;
	for (i = 0; i < r->nissues && y < h - 2; i++, y++)
		draw_printf(dc, y, 1, -1, ROLE_DRIFT, "schema: %s: %s",
		    r->issues[i].column, r->issues[i].what);
	y++;
	draw_fill(dc, y, 0, w, ROLE_HEADER);
	draw_text(dc, y, 2, 20, ROLE_HEADER, "column");
	draw_text(dc, y, 23, 4, ROLE_HEADER, "type");
	draw_text(dc, y, 28, 13, ROLE_HEADER, "method");
	draw_text_right(dc, y, 42, 10, ROLE_HEADER, "statistic");
	draw_text_right(dc, y, 53, 10, ROLE_HEADER, "p-value");
	draw_text_right(dc, y, 64, 9, ROLE_HEADER, "threshold");
	draw_text(dc, y, 75, w - 75, ROLE_HEADER, "drift");
	y++;
	s->l.n = (int64_t)(s->r ? s->r->ncols : 0);
	list_scroll(&s->l, h - y);
	for (i = (size_t)s->l.top; y < h && i < r->ncols; y++, i++) {
		const struct drift_rcol *c = &r->cols[s->order[i]];
		enum role ro = (int)i == s->l.cursor ? ROLE_SELECTED :
		    c->drifted ? ROLE_DRIFT : ROLE_NORMAL;

		if ((int)i == s->l.cursor) {
			draw_fill(dc, y, 0, w, ro);
			draw_text(dc, y, 1, 1, ro, ">");
		}
		draw_text(dc, y, 2, 20, ro, c->name);
		draw_text(dc, y, 23, 4, ro, c->numeric ? "num" : "cat");
		draw_text(dc, y, 28, 13, ro, drift_method_name(c->method));
		draw_text_right(dc, y, 42, 10, ro, num4(b, c->statistic));
		draw_text_right(dc, y, 53, 10, ro, num4(b, c->p_value));
		draw_text_right(dc, y, 64, 9, ro, num4(b, c->threshold));
		draw_text(dc, y, 75, w - 75, ro, c->drifted ? "DRIFT" : "ok");
	}
}

static enum action
report_handle(struct view *v, struct app *app, enum action a)
{
	struct dreport *s = v->state;
	int		n = s->r ? (int)s->r->ncols : 0;

	if ((s->l.n = (int64_t)(n), list_move(&s->l, a, list_page(v->rows - 5))))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (n > 0)
			app_push(app, column_new(s->id,
			    s->r->cols[s->order[s->l.cursor]].name));
		return ACT_NONE;
	case ACT_PLOT:
		if (s->r == NULL)
			return ACT_NONE;
		if (s->r->name == NULL)
			app_error(app, "this report has no name: save reports "
			    "with --save NAME to follow them over time");
		else
			app_push(app, trend_new(s->r->name));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
report_title(struct view *v)
{
	struct dreport *s = v->state;

	snprintf(s->title, sizeof s->title, "drift report %lld",
	    (long long)s->id);
	return s->title;
}

static void
report_free(struct view *v)
{
	struct dreport *s = v->state;

	drift_report_free(s->r);
	free(s->order);
	free(s);
}

static int
report_export(struct view *v, FILE *fp)
{
	struct dreport	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (s->r == NULL)
		return 0;
	fprintf(fp, "column,type,method,statistic,p_value,threshold,drifted\n");
	for (i = 0; i < s->r->ncols; i++) {
		const struct drift_rcol *c = &s->r->cols[s->order[i]];

		strbuf_reset(&sb);
		text_csv_field(&sb, c->name);
		fprintf(fp, "%s,%s,%s,%.17g,%.17g,%.17g,%s\n", strbuf_str(&sb),
		    c->numeric ? "num" : "cat", drift_method_name(c->method),
		    c->statistic, c->p_value, c->threshold,
		    c->drifted ? "true" : "false");
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const struct view_key dreport_keys[] = {
	{ ACT_ENTER, "histograms" }, { ACT_PLOT, "trend" },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops report_ops = {
	.keys = dreport_keys,
	.name = "drift-report",
	.load = report_load,
	.draw = report_draw,
	.handle = report_handle,
	.free = report_free,
	.title = report_title,
	.export_csv = report_export,
};

static struct view *
report_new(int64_t id)
{
	struct dreport *s = xcalloc(1, sizeof *s);

	s->id = id;
	return view_new(&report_ops, s);
}

/* ================= one column: statistics and histograms ================= */

struct dcolumn {
	int64_t		 id;
	char		*name;
	struct drift_report *r;
	const struct drift_rcol *c;	/* into r */
	int		 btop;		/* first bin shown */
	int		 nshown;
	char		 title[160];
};

static int
column_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dcolumn		*s = v->state;
	struct drift_report	*r;
	size_t			 i;
	int			 rc;

	if ((rc = db_drift_load_id(db, s->id, &r, err)) != WB_OK)
		return rc;
	drift_report_free(s->r);
	s->r = r;
	s->c = NULL;
	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, s->name) == 0)
			s->c = &r->cols[i];
	if (s->c == NULL)
		return wb_err_set(err, WB_ENOTFOUND, "no column '%s' in report "
		    "%lld", s->name, (long long)s->id);
	return WB_OK;
}

/* A horizontal bar of value/max over width cells in eighth blocks. */
static void
bar(struct draw_ctx *dc, int y, int x, int width, double frac, enum role r)
{
	static const char *const eighth[] = { "", "\u258f", "\u258e",
	    "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
	long	units = lround(frac * width * 8), i;

	if (frac > 0 && units == 0)
		units = 1;	/* a non-empty bin never looks empty */
	for (i = 0; i < units / 8 && i < width; i++)
		draw_glyph(dc, y, x + (int)i, r, "\u2588", '#');
	if (units % 8 && i < width) {
		if (draw_utf8(dc))
			draw_glyph(dc, y, x + (int)i, r, eighth[units % 8], '#');
		else	/* ASCII: '#' for a half cell or more, '.' below */
			draw_glyph(dc, y, x + (int)i, r, units % 8 >= 4 ?
			    "#" : ".", units % 8 >= 4 ? '#' : '.');
	}
}

static void
stats_row(struct draw_ctx *dc, int y, const char *who, enum role r,
    const struct drift_rstats *st, int numeric)
{
	char	b[32];
	double	miss = st->count + st->missing ? (double)st->missing /
	    (double)(st->count + st->missing) : 0;
	int	x = 5, i;

	draw_text(dc, y, 1, 3, r, who);
	snprintf(b, sizeof b, "%zu", st->count);
	draw_text_right(dc, y, x, 7, ROLE_NORMAL, b);
	snprintf(b, sizeof b, "%.1f%%", miss * 100);
	draw_text_right(dc, y, x + 8, 7, ROLE_NORMAL, b);
	if (numeric) {
		const double v[] = { st->mean, st->std, st->min, st->q25,
		    st->q50, st->q75, st->max };

		for (i = 0; i < 7; i++)
			draw_text_right(dc, y, x + 16 + 8 * i, 7, ROLE_NORMAL,
			    num4(b, v[i]));
	} else {
		int	 tx = x + 26, k;

		snprintf(b, sizeof b, "%zu", st->unique);
		draw_text_right(dc, y, x + 16, 7, ROLE_NORMAL, b);
		if (st->ntop > 0)
			tx += draw_text(dc, y, tx, 4, ROLE_DIM, "top") + 1;
		/* The most frequent categories with their shares, as fit. */
		for (k = 0; k < (int)st->ntop && k < 4; k++) {
			char	item[96];
			int	len;

			len = snprintf(item, sizeof item, "%s%s %.1f%%", k ? ", " :
			    "", st->top[k], st->count ? 100.0 *
			    (double)st->top_count[k] / (double)st->count : 0);
			if (tx + len >= draw_width(dc))
				break;
			tx += draw_text(dc, y, tx, -1, ROLE_NORMAL, item);
		}
	}
}

static void
column_draw(struct view *v, struct draw_ctx *dc)
{
	struct dcolumn		*s = v->state;
	const struct drift_rcol	*c = s->c;
	int			 w = draw_width(dc), h = draw_height(dc), y, x;
	int			 lw, bw, nb, i;
	double			 nr, nc, mx = 0;
	char			 b[32], b2[32], lab[96];

	if (c == NULL)
		return;
	x = draw_text(dc, 0, 1, 30, ROLE_BOLD, c->name);
	x += draw_printf(dc, 0, x + 2, -1, ROLE_NORMAL, "%s  %s  statistic %s",
	    c->numeric ? "numeric" : "categorical",
	    drift_method_name(c->method), num4(b, c->statistic)) + 2;
	if (!isnan(c->p_value))
		x += draw_printf(dc, 0, x + 1, -1, ROLE_NORMAL, " p-value %s",
		    num4(b, c->p_value)) + 1;
	x += draw_printf(dc, 0, x + 1, -1, ROLE_NORMAL, " threshold %s",
	    num4(b2, c->threshold)) + 1;
	draw_text(dc, 0, x + 2, -1, c->drifted ? ROLE_DRIFT : ROLE_NO_DRIFT,
	    c->drifted ? "DRIFT" : "no drift");

	/* Summary statistics: one row per side. */
	draw_fill(dc, 1, 0, w, ROLE_HEADER);
	draw_text_right(dc, 1, 5, 7, ROLE_HEADER, "count");
	draw_text_right(dc, 1, 13, 7, ROLE_HEADER, "missing");
	if (c->numeric) {
		static const char *const k[] = { "mean", "std", "min", "25%",
		    "50%", "75%", "max" };

		for (i = 0; i < 7; i++)
			draw_text_right(dc, 1, 21 + 8 * i, 7, ROLE_HEADER, k[i]);
	} else
		draw_text_right(dc, 1, 21, 7, ROLE_HEADER, "unique");
	stats_row(dc, 2, "ref", ROLE_REF, &c->sref, c->numeric);
	stats_row(dc, 3, "cur", ROLE_CUR, &c->scur, c->numeric);

	/* Histograms on the shared bins, side by side. */
	nr = nc = 0;
	for (i = 0; i < (int)c->nbins; i++) {
		nr += c->href[i];
		nc += c->hcur[i];
	}
	for (i = 0; i < (int)c->nbins; i++) {
		double a = nr > 0 ? c->href[i] / nr : 0;
		double d = nc > 0 ? c->hcur[i] / nc : 0;

		mx = fmax(mx, fmax(a, d));
	}
	lw = c->edges ? 21 : 18;
	if (lw > w / 4)
		lw = w / 4;
	/* label | bar ref + "count share" | bar cur + "count share" */
	bw = (w - lw - 2 - 2 * 14) / 2;
	if (bw < 4)
		bw = 4;
	y = 5;
	draw_fill(dc, y, 0, w, ROLE_HEADER);
	draw_text(dc, y, 1, lw, ROLE_HEADER, c->edges ? "bin" : "value");
	draw_text(dc, y, lw + 2, bw + 13, ROLE_HEADER, "reference");
	draw_text(dc, y, lw + 2 + bw + 14, bw + 13, ROLE_HEADER, "current");
	y++;
	nb = (int)c->nbins;
	s->nshown = h - y;
	if (s->btop > nb - s->nshown)
		s->btop = nb - s->nshown;
	if (s->btop < 0)
		s->btop = 0;
	for (i = s->btop; i < nb && y < h; i++, y++) {
		double	a = nr > 0 ? c->href[i] / nr : 0;
		double	d = nc > 0 ? c->hcur[i] / nc : 0;
		int	bx = lw + 2;

		if (c->edges != NULL) {
			snprintf(lab, sizeof lab, "[%s, %s%c",
			    text_num_short(b, c->edges[i], 4),
			    text_num_short(b2, c->edges[i + 1], 4),
			    i + 1 == nb ? ']' : ')');
			draw_text(dc, y, 1, lw, ROLE_NORMAL, lab);
		} else {
			int used = draw_text(dc, y, 1, lw, ROLE_NORMAL,
			    c->labels[i]);

			/* Categories that appeared or vanished. */
			if (c->href[i] == 0 && used + 5 <= lw)
				draw_text(dc, y, 1 + used + 1, 4, ROLE_ADDED, "new");
			else if (c->hcur[i] == 0 && used + 6 <= lw)
				draw_text(dc, y, 1 + used + 1, 5, ROLE_REMOVED,
				    "gone");
		}
		bar(dc, y, bx, bw, mx > 0 ? a / mx : 0, ROLE_REF);
		snprintf(lab, sizeof lab, "%.0f %4.1f%%", c->href[i], a * 100);
		draw_text_right(dc, y, bx + bw, 12, ROLE_DIM, lab);
		bx += bw + 14;
		bar(dc, y, bx, bw, mx > 0 ? d / mx : 0, ROLE_CUR);
		snprintf(lab, sizeof lab, "%.0f %4.1f%%", c->hcur[i], d * 100);
		draw_text_right(dc, y, bx + bw, 12, ROLE_DIM, lab);
	}
}

static enum action
column_handle(struct view *v, struct app *app, enum action a)
{
	struct dcolumn	*s = v->state;
	int		 nb = s->c ? (int)s->c->nbins : 0;
	int		 page = s->nshown > 1 ? s->nshown - 1 : 1;

	(void)app;
	switch (a) {
	case ACT_DOWN:
		if (s->btop + s->nshown < nb)
			s->btop++;
		return ACT_NONE;
	case ACT_UP:
		if (s->btop > 0)
			s->btop--;
		return ACT_NONE;
	case ACT_PAGE_DOWN:
		s->btop += page;
		return ACT_NONE;
	case ACT_PAGE_UP:
		s->btop = s->btop > page ? s->btop - page : 0;
		return ACT_NONE;
	case ACT_FIRST:
		s->btop = 0;
		return ACT_NONE;
	case ACT_LAST:
		s->btop = nb;
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
column_title(struct view *v)
{
	struct dcolumn *s = v->state;

	snprintf(s->title, sizeof s->title, "drift report %lld: %.100s",
	    (long long)s->id, s->name);
	return s->title;
}

static void
column_free(struct view *v)
{
	struct dcolumn *s = v->state;

	drift_report_free(s->r);
	free(s->name);
	free(s);
}

static int
column_export(struct view *v, FILE *fp)
{
	struct dcolumn	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (s->c == NULL)
		return 0;
	fprintf(fp, "bin,ref,cur\n");
	for (i = 0; i < s->c->nbins; i++) {
		strbuf_reset(&sb);
		if (s->c->edges)
			strbuf_addf(&sb, "%.17g..%.17g", s->c->edges[i],
			    s->c->edges[i + 1]);
		else
			text_csv_field(&sb, s->c->labels[i]);
		fprintf(fp, "%s,%.0f,%.0f\n", strbuf_str(&sb), s->c->href[i],
		    s->c->hcur[i]);
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const struct view_key dcolumn_keys[] = {
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops column_ops = {
	.keys = dcolumn_keys,
	.name = "drift-column",
	.load = column_load,
	.draw = column_draw,
	.handle = column_handle,
	.free = column_free,
	.title = column_title,
	.export_csv = column_export,
};

static struct view *
column_new(int64_t id, const char *column)
{
	struct dcolumn *s = xcalloc(1, sizeof *s);

	s->id = id;
	s->name = xstrdup(column);
	return view_new(&column_ops, s);
}

/* ================= a name's history ================= */

#define TREND_MAX 200	/* the latest reports of a name */

struct tcol {
	char	*name;
	double	*score;		/* per report; NaN when not tested */
	double	 last;		/* last statistic (p-value for tests) */
	int	 has_p;
	int	 ndrift, ntested;
};

struct dtrend {
	char		*name;
	size_t		 nrep;
	int64_t		*when;
	double		*share;
	int		*verdict;
	struct tcol	*cols;
	size_t		 ncols;
	struct list	 l;		/* cursor, scroll */
	char		 title[160];
};

static void
trend_clear(struct dtrend *s)
{
	size_t	i;

	for (i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].score);
	}
	free(s->cols);
	free(s->when);
	free(s->share);
	free(s->verdict);
	s->cols = NULL;
	s->ncols = 0;
	s->when = NULL;
	s->share = NULL;
	s->verdict = NULL;
	s->nrep = 0;
}

static int
trend_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dtrend	 *s = v->state, t;
	struct drift_row *rows;
	size_t		  n, i, j, k, first;
	int		  rc;

	if ((rc = db_drift_history(db, s->name, &rows, &n, err)) != WB_OK)
		return rc;
	/* Build a new state and swap it in only when all of it loaded. */
	memset(&t, 0, sizeof t);
	first = n > TREND_MAX ? n - TREND_MAX : 0;
	t.nrep = n - first;
	t.when = xcalloc(t.nrep + 1, sizeof *t.when);
	t.share = xcalloc(t.nrep + 1, sizeof *t.share);
	t.verdict = xcalloc(t.nrep + 1, sizeof *t.verdict);
	for (i = first; i < n; i++) {
		struct drift_report *r;
		size_t r_ = i - first;

		t.when[r_] = rows[i].created_at;
		t.share[r_] = rows[i].drift_share;
		t.verdict[r_] = rows[i].dataset_drift;
		if ((rc = db_drift_load_id(db, rows[i].id, &r, err)) != WB_OK) {
			db_drift_rows_free(rows, n);
			trend_clear(&t);
			return rc;
		}
		for (j = 0; j < r->ncols; j++) {
			const struct drift_rcol *c = &r->cols[j];
			struct tcol *tc = NULL;

			for (k = 0; k < t.ncols; k++)
				if (strcmp(t.cols[k].name, c->name) == 0)
					tc = &t.cols[k];
			if (tc == NULL) {
				t.cols = xreallocarray(t.cols, t.ncols + 1,
				    sizeof *t.cols);
				tc = &t.cols[t.ncols++];
				memset(tc, 0, sizeof *tc);
				tc->name = xstrdup(c->name);
				tc->score = xcalloc(t.nrep, sizeof *tc->score);
				for (k = 0; k < t.nrep; k++)
					tc->score[k] = NAN;
			}
			/* Drift score: the distance, or -log10 p for tests. */
			tc->has_p = !isnan(c->p_value);
			tc->score[r_] = tc->has_p ? -log10(fmax(c->p_value,
			    1e-300)) : c->statistic;
			tc->last = tc->has_p ? c->p_value : c->statistic;
			tc->ntested++;
			tc->ndrift += c->drifted != 0;
		}
		drift_report_free(r);
	}
	db_drift_rows_free(rows, n);
	trend_clear(s);
	s->nrep = t.nrep;
	s->when = t.when;
	s->share = t.share;
	s->verdict = t.verdict;
	s->cols = t.cols;
	s->ncols = t.ncols;
	if (s->l.cursor >= (int)s->ncols)
		s->l.cursor = s->ncols ? (int)s->ncols - 1 : 0;
	return WB_OK;
}

/* A sparkline of v[0..n) (NaN gaps) in width cells, the latest at the right. */
static void
spark(struct draw_ctx *dc, int y, int x, int width, const double *v,
    size_t n, enum role r)
{
	static const char *const lv[] = { "\u2581", "\u2582", "\u2583",
	    "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = "_.-:=+*#";
	double	lo = 0, hi = 0;
	size_t	i, from = n > (size_t)width ? n - (size_t)width : 0;

	for (i = from; i < n; i++)
		if (!isnan(v[i]) && isfinite(v[i]))
			hi = fmax(hi, v[i]);
	for (i = from; i < n; i++) {
		int l;

		if (isnan(v[i])) {
			draw_glyph(dc, y, x + (int)(i - from), ROLE_DIM, " ", ' ');
			continue;
		}
		l = hi > lo ? (int)lround((fmin(v[i], hi) - lo) / (hi - lo) *
		    7) : 0;
		draw_glyph(dc, y, x + (int)(i - from), r, lv[l], ascii[l]);
	}
}

static void
trend_draw(struct view *v, struct draw_ctx *dc)
{
	struct dtrend	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, sw;
	size_t		 i, from;
	char		 t[32], t2[32], b[32];

	if (s->nrep == 0) {
		draw_text(dc, 1, 2, -1, ROLE_DIM, "no reports of this name");
		return;
	}
	draw_printf(dc, 0, 1, -1, ROLE_NORMAL, "%zu report%s from %.10s to "
	    "%.10s", s->nrep, s->nrep == 1 ? "" : "s",
	    text_time(t, s->when[0]), text_time(t2, s->when[s->nrep - 1]));
	sw = w - 22 - 24;
	if (sw > 60)
		sw = 60;
	if (sw < 8)
		sw = 8;
	from = s->nrep > (size_t)sw ? s->nrep - (size_t)sw : 0;
	draw_text(dc, 2, 1, 20, ROLE_BOLD, "verdict");
	for (i = from; i < s->nrep; i++)
		draw_glyph(dc, 2, 22 + (int)(i - from), s->verdict[i] ?
		    ROLE_DRIFT : ROLE_NO_DRIFT, s->verdict[i] ? "\u2717" :
		    "\u2713", s->verdict[i] ? 'x' : 'o');
	draw_text(dc, 2, 23 + sw, -1, s->verdict[s->nrep - 1] ? ROLE_DRIFT :
	    ROLE_NO_DRIFT, s->verdict[s->nrep - 1] ? "DRIFT" : "ok");
	draw_text(dc, 3, 1, 20, ROLE_BOLD, "drift share");
	spark(dc, 3, 22, sw, s->share, s->nrep, ROLE_BOLD);
	draw_text(dc, 3, 23 + sw, -1, ROLE_NORMAL,
	    text_num_short(b, s->share[s->nrep - 1], 3));
	y = 5;
	draw_fill(dc, y, 0, w, ROLE_HEADER);
	draw_text(dc, y, 2, 19, ROLE_HEADER, "column");
	draw_text(dc, y, 22, sw, ROLE_HEADER, "drift score");
	draw_text(dc, y, 23 + sw, 12, ROLE_HEADER, "last");
	draw_text(dc, y, 36 + sw, -1, ROLE_HEADER, "drifted");
	y++;
	s->l.n = (int64_t)(s->ncols);
	list_scroll(&s->l, h - y);
	for (i = (size_t)s->l.top; y < h && i < s->ncols; y++, i++) {
		const struct tcol *c = &s->cols[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 1, 1, r, ">");
		}
		draw_text(dc, y, 2, 19, r, c->name);
		spark(dc, y, 22, sw, c->score, s->nrep, r == ROLE_SELECTED ? r :
		    ROLE_SERIES0);
		snprintf(t, sizeof t, "%s%s", c->has_p ? "p " : "",
		    num4(b, c->last));
		draw_text(dc, y, 23 + sw, 12, r, t);
		snprintf(t, sizeof t, "%d/%d", c->ndrift, c->ntested);
		draw_text(dc, y, 36 + sw, -1, r == ROLE_NORMAL && c->ndrift ?
		    ROLE_DRIFT : r, t);
	}
}

static enum action
trend_handle(struct view *v, struct app *app, enum action a)
{
	struct dtrend *s = v->state;

	(void)app;
	if ((s->l.n = (int64_t)(s->ncols), list_move(&s->l, a, list_page(v->rows - 6))))
		return ACT_NONE;
	return a;
}

static const char *
trend_title(struct view *v)
{
	struct dtrend *s = v->state;

	snprintf(s->title, sizeof s->title, "drift trend: %.120s", s->name);
	return s->title;
}

static void
trend_free(struct view *v)
{
	struct dtrend *s = v->state;

	trend_clear(s);
	free(s->name);
	free(s);
}

static const struct view_key dtrend_keys[] = {
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops trend_ops = {
	.keys = dtrend_keys,
	.name = "drift-trend",
	.load = trend_load,
	.draw = trend_draw,
	.handle = trend_handle,
	.free = trend_free,
	.title = trend_title,
};

static struct view *
trend_new(const char *name)
{
	struct dtrend *s = xcalloc(1, sizeof *s);

	s->name = xstrdup(name);
	return view_new(&trend_ops, s);
}
