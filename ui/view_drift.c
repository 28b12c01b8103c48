/*
 * view_drift: screen 3, the saved drift reports, newest first: name,
 * model, when, columns drifted / tested, verdict (DRIFT in the alert
 * colour), schema issues.  Enter opens one, p its trend.  Every drift
 * screen loads from src/db_drift.c (no SQL here) and keeps its own copy of
 * what it shows, so a reload under one never frees another's.
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

/* "4.2e-05", "0.1234": a statistic or p-value in 4 digits; "-" for NaN. */
const char *
drift_num4(char b[32], double v)
{
	if (isnan(v))
		return "-";
	return text_num_short(b, v, 4);
}

/* ================= the reports list ================= */

struct dlist {
	struct drift_row *rows;
	size_t		 n;
	struct list	 l;		/* cursor, scroll, sort, filter */
	char		 title[200];
};

/* Sort keys: newest first (the load order), name, drift share, model. */
static int
dlist_cmp(const void *pa, const void *pb, int key)
{
	const struct drift_row	*a = pa, *b = pb;
	int			 c;

	switch (key) {
	case 1:
		c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
		break;
	case 2:	/* the most drifted first */
		c = (b->drift_share > a->drift_share) -
		    (b->drift_share < a->drift_share);
		break;
	case 3:
		c = strcmp(a->model ? a->model : "", b->model ? b->model : "");
		break;
	default:
		c = 0;
		break;
	}
	return c != 0 ? c : list_cmp_newest(a->created_at, a->id,
	    b->created_at, b->id);
}

static int
dlist_match(const void *row, const char *filter)
{
	const struct drift_row	*d = row;
	const char		*f[] = { d->name, d->model, d->ref_path,
	    d->cur_path, d->dataset_drift ? "DRIFT" : "ok" };

	return list_match_any(f, sizeof f / sizeof f[0], filter);
}

static void
dlist_drop(void *row)
{
	struct drift_row	*d = row;

	free(d->name);
	free(d->model);
	free(d->ref_path);
	free(d->cur_path);
}

static const char *const dlist_sort_keys[] = { "newest", "name",
    "drift share", "model", NULL };
static const struct list_sort dlist_sort = { dlist_sort_keys, dlist_cmp,
    dlist_match, dlist_drop, "drift-filter" };

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
	n = list_order(&s->l, rows, n, sizeof *rows);
	db_drift_rows_free(s->rows, s->n);
	s->rows = rows;
	s->n = n;
	s->l.n = (int64_t)n;
	for (i = 0; i < n; i++)
		if (rows[i].id == keep)
			s->l.cursor = (int)i;
	if (s->l.cursor >= (int)n)
		s->l.cursor = n ? (int)n - 1 : 0;
	return WB_OK;
}

/* Columns, laid out by the list layer: names and models grow. */
enum { DC_ID, DC_NAME, DC_MODEL, DC_WHEN, DC_DRIFTED, DC_VERDICT,
    DC_ISSUES, DC_N };
static const struct list_col dlist_cols[DC_N] = {
	[DC_ID] = { 4, 0, 0, 0 },
	[DC_NAME] = { 18, 40, 0, 1 },
	[DC_MODEL] = { 14, 30, 0, 0 },
	[DC_WHEN] = { 16, 0, 0, 0 },
	[DC_DRIFTED] = { 7, 0, 1, 0 },
	[DC_VERDICT] = { 7, 0, 0, 0 },
	[DC_ISSUES] = { 6, 0, 0, 0 },
};
static const char *const dlist_heads[DC_N] = { "id", "name", "model",
    "when", "drifted", "verdict", "issues" };

static void
dlist_draw(struct view *v, struct draw_ctx *dc)
{
	struct dlist	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c;
	int		 wd[DC_N], x[DC_N], ln, lm;
	struct list_col	 cols[DC_N];
	size_t		 i;
	char		 t[32], b[DC_N][64];
	const char	*cell[DC_N];

	s->l.n = (int64_t)(s->n);
	list_scroll(&s->l, h - 1);
	/* Name and model no wider than the longest in hand. */
	memcpy(cols, dlist_cols, sizeof cols);
	for (i = 0, ln = lm = 0; i < s->n; i++) {
		if (s->rows[i].name && (int)text_width(s->rows[i].name) > ln)
			ln = (int)text_width(s->rows[i].name);
		if (s->rows[i].model && (int)text_width(s->rows[i].model) > lm)
			lm = (int)text_width(s->rows[i].model);
	}
	if (ln < cols[DC_NAME].max)
		cols[DC_NAME].max = ln > cols[DC_NAME].min ? ln :
		    cols[DC_NAME].min;
	if (lm < cols[DC_MODEL].max)
		cols[DC_MODEL].max = lm > cols[DC_MODEL].min ? lm :
		    cols[DC_MODEL].min;
	list_layout(cols, DC_N, w - 2, wd);
	for (c = 0; c < DC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 2, cols, wd, DC_N, dlist_heads);
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
		snprintf(b[DC_ID], sizeof b[0], "%lld", (long long)d->id);
		/* "2026-11-02 09:00" */
		snprintf(b[DC_WHEN], sizeof b[0], "%.16s",
		    text_time(t, d->created_at));
		snprintf(b[DC_DRIFTED], sizeof b[0], "%lld/%lld",
		    (long long)d->drifted, (long long)d->tested);
		snprintf(b[DC_ISSUES], sizeof b[0], "%lld",
		    (long long)d->nissues);
		cell[DC_ID] = b[DC_ID];
		cell[DC_NAME] = d->name ? d->name : "-";
		cell[DC_MODEL] = d->model ? d->model : "-";
		cell[DC_WHEN] = b[DC_WHEN];
		cell[DC_DRIFTED] = b[DC_DRIFTED];
		cell[DC_VERDICT] = d->dataset_drift ? "DRIFT" : "ok";
		cell[DC_ISSUES] = d->nissues > 0 ? b[DC_ISSUES] : NULL;
		for (c = 0; c < DC_N; c++)
			list_cell(dc, y, x[c], wd[c], r != ROLE_NORMAL ? r :
			    c == DC_VERDICT ? (d->dataset_drift ? ROLE_DRIFT :
			    ROLE_NO_DRIFT) : c == DC_ISSUES ? ROLE_DRIFT : r,
			    &cols[c], cell[c]);
	}
}

static enum action
dlist_handle(struct view *v, struct app *app, enum action a)
{
	struct dlist	*s = v->state;

	if (list_handle(&s->l, v, app, a))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (s->n > 0)
			app_push(app, view_drift_report_new(s->rows[s->l.cursor].id));
		return ACT_NONE;
	case ACT_PLOT:
		if (s->n == 0)
			return ACT_NONE;
		if (s->rows[s->l.cursor].name == NULL)
			app_error(app, "this report has no name: save reports "
			    "with --save NAME to follow them over time");
		else
			app_push(app, view_drift_trend_new(s->rows[s->l.cursor].name));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
dlist_title(struct view *v)
{
	struct dlist	*s = v->state;
	char		 f[120];

	snprintf(s->title, sizeof s->title, "drift reports  %zu%s", s->n,
	    list_filter_title(&s->l, f, sizeof f));
	return s->title;
}

static void
dlist_free(struct view *v)
{
	struct dlist *s = v->state;

	db_drift_rows_free(s->rows, s->n);
	list_free(&s->l);
	free(s);
}

static void
dlist_click(struct view *v, struct app *app, int y, int x)
{
	struct dlist *s = v->state;

	(void)app;
	(void)x;
	list_click(&s->l, y);
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

static int
dlist_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct dlist	*s = v->state;

	*cur = s->l.cursor;
	*n = s->l.n;
	return 1;
}

static const struct view_key dlist_keys[] = {
	{ ACT_ENTER, "report" }, { ACT_PLOT, "trend" },
	{ ACT_FILTER, "filter" }, { ACT_SORT_ASC, "sort" },
	{ ACT_SORT_DESC, "reverse" },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops dlist_ops = {
	.keys = dlist_keys,
	.position = dlist_position,
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
	struct dlist	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->l.so = &dlist_sort;
	return view_new(&dlist_ops, s);
}

