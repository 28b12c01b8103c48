/*
 * view_drift_report: a report's columns sorted by drift score, drifted
 * ones in the alert colour, schema issues above.  Enter opens a column,
 * p the trend of the report's name.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
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
#include "view_drift.h"

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
		draw_text_right(dc, y, 42, 10, ro, drift_num4(b, c->statistic));
		draw_text_right(dc, y, 53, 10, ro, drift_num4(b, c->p_value));
		draw_text_right(dc, y, 64, 9, ro, drift_num4(b, c->threshold));
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
			app_push(app, view_drift_column_new(s->id,
			    s->r->cols[s->order[s->l.cursor]].name));
		return ACT_NONE;
	case ACT_PLOT:
		if (s->r == NULL)
			return ACT_NONE;
		if (s->r->name == NULL)
			app_error(app, "this report has no name: save reports "
			    "with --save NAME to follow them over time");
		else
			app_push(app, view_drift_trend_new(s->r->name));
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

struct view *
view_drift_report_new(int64_t id)
{
	struct dreport *s = xcalloc(1, sizeof *s);

	s->id = id;
	return view_new(&report_ops, s);
}

