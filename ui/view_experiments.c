/*
 * view_experiments: the first screen: every experiment with its runs,
 * running and failed counts, last activity and, after `:best METRIC
 * [min|max]`, the best value of that metric among its runs.  The
 * lifecycle (doc/runs.md): d deletes the experiment under the cursor
 * after a y/n question (its runs are hidden with it), u undoes that, D
 * shows deleted experiments (dimmed), e renames.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmem.h"
#include "db.h"
#include "db_life.h"
#include "db_metric.h"
#include "db_run.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"

struct exps {
	struct exp_row	*rows;
	size_t		 n;
	double		*best;		/* per row; NaN when none */
	char		*best_key;
	int		 best_max;
	struct list	 l;		/* cursor, scroll, sort, filter */
	char		 title[160];
	struct app	*app;
	int		 show_deleted;	/* D */
	int64_t		 pending;	/* d's question is about it */
	int64_t		 undo;		/* u restores it */
	int64_t		 edit;		/* e's prompt is about it */
};

static int
cmp_rows(const void *pa, const void *pb, int sort)
{
	const struct exp_row	*a = pa, *b = pb;

	switch (sort) {
	case 1:
		return (a->n_runs > b->n_runs) - (a->n_runs < b->n_runs);
	case 2:
		return (a->last_activity > b->last_activity) -
		    (a->last_activity < b->last_activity);
	default:
		return strcmp(a->name, b->name);
	}
}

/* The filter is a substring of the name, in any case. */
static int
match_row(const void *row, const char *filter)
{
	return strcasestr(((const struct exp_row *)row)->name, filter) !=
	    NULL;
}

static void
drop_row(void *row)
{
	struct exp_row	*e = row;

	free(e->name);
	free(e->description);
}

static const char *const sort_keys[] = { "name", "runs", "last activity",
    NULL };
static const struct list_sort exps_sort = { sort_keys, cmp_rows, match_row,
    drop_row, "exp-filter" };

static int
exps_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct exps	*s = v->state;
	struct exp_row	*rows;
	size_t		 n, i;
	int		 rc;
	int64_t		 keep = s->rows && s->l.cursor < (int)s->n ?
	    s->rows[s->l.cursor].id : 0;

	if ((rc = db_exp_list_scope(db, s->show_deleted ? QS_ALL : QS_LIVE,
	    &rows, &n, err)) != WB_OK)
		return rc;
	n = list_order(&s->l, rows, n, sizeof *rows);
	db_exp_rows_free(s->rows, s->n);
	free(s->best);
	s->rows = rows;
	s->n = n;
	s->best = xcalloc(n + 1, sizeof *s->best);
	for (i = 0; i < n; i++) {
		s->best[i] = NAN;
		if (rows[i].id == keep)
			s->l.cursor = (int)i;
	}
	s->l.n = (int64_t)n;
	list_set(&s->l, s->l.cursor);
	if (s->best_key != NULL) {
		int64_t key;

		if (db_metric_key_find(db, s->best_key, &key, NULL) == WB_OK)
			for (i = 0; i < n; i++)
				if (db_exp_best(db, rows[i].id, key,
				    s->best_max, &s->best[i], err) != WB_OK)
					break;
	}
	return WB_OK;
}

/* Columns, laid out by the list layer; best only after :best. */
enum { EC_NAME, EC_RUNS, EC_RUNNING, EC_FAILED, EC_ACTIVITY, EC_BEST, EC_N };
static const struct list_col exps_cols[EC_N] = {
	[EC_NAME] = { 16, 48, 0, 0 },
	[EC_RUNS] = { 6, 0, 1, 0 },
	[EC_RUNNING] = { 8, 0, 1, 0 },
	[EC_FAILED] = { 7, 0, 1, 0 },
	[EC_ACTIVITY] = { 19, 0, 0, 0 },
	[EC_BEST] = { 12, 24, 0, 0 },
};

static void
exps_draw(struct view *v, struct draw_ctx *dc)
{
	struct exps	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c;
	int		 wd[EC_N], x[EC_N];
	struct list_col	 cols[EC_N];
	size_t		 i;
	char		 t[32], b[EC_N][32], hdr[64];
	const char	*heads[EC_N] = { "experiment", "runs", "running",
	    "failed", "last activity", hdr }, *cell[EC_N];

	list_scroll(&s->l, h - 1);
	/* The name grows no wider than the longest one. */
	memcpy(cols, exps_cols, sizeof cols);
	for (i = 0, c = cols[EC_NAME].min; i < s->n; i++)
		if ((int)text_width(s->rows[i].name) > c)
			c = (int)text_width(s->rows[i].name);
	if (c < cols[EC_NAME].max)
		cols[EC_NAME].max = c;
	if (s->best_key == NULL)
		cols[EC_BEST].min = 0;
	else
		snprintf(hdr, sizeof hdr, "%s %s", s->best_max ? "max" : "min",
		    s->best_key);
	list_layout(cols, EC_N, w - 2, wd);
	for (c = 0; c < EC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 2, cols, wd, EC_N, heads);
	if (s->n == 0 && s->l.filter != NULL)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no experiment matches the "
		    "filter (Esc clears it)");
	else if (s->n == 0)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no experiments yet: "
		    "mlwb import LOGS, mlwb demo, or mlwb log --new");
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct exp_row *e = &s->rows[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 1, 1, r, ">");
		}
		snprintf(b[EC_RUNS], sizeof b[0], "%lld", (long long)e->n_runs);
		snprintf(b[EC_RUNNING], sizeof b[0], "%lld",
		    (long long)e->n_running);
		snprintf(b[EC_FAILED], sizeof b[0], "%lld",
		    (long long)e->n_failed);
		cell[EC_NAME] = e->name;
		cell[EC_RUNS] = b[EC_RUNS];
		cell[EC_RUNNING] = b[EC_RUNNING];
		cell[EC_FAILED] = b[EC_FAILED];
		cell[EC_ACTIVITY] = text_time(t, e->last_activity);
		cell[EC_BEST] = s->best_key != NULL && !isnan(s->best[i]) ?
		    text_num_short(b[EC_BEST], s->best[i], 6) : NULL;
		/* Deleted (D shows them): dimmed. */
		if (e->deleted_at != 0 && r == ROLE_NORMAL)
			r = ROLE_DIM;
		for (c = 0; c < EC_N; c++)
			list_cell(dc, y, x[c], wd[c], r == ROLE_NORMAL &&
			    c == EC_RUNNING && e->n_running ? ROLE_RUNNING :
			    r == ROLE_NORMAL && c == EC_FAILED && e->n_failed ?
			    ROLE_FAILED : r, &cols[c], cell[c]);
	}
}

/* Delete (del) or restore experiment id; 0, or -1 with the error shown. */
static int
exp_apply(struct app *app, int64_t id, int del)
{
	struct wb_err	err;
	int		changed;

	if (db_exp_set_deleted(app_db(app), id, del, &changed, &err) !=
	    WB_OK) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app_changed(app);
	return 0;
}

static void
exp_delete_yes(struct view *v, struct app *app)
{
	struct exps	*s = v->state;

	if (exp_apply(app, s->pending, 1) != 0)
		return;
	s->undo = s->pending;
	v->stale = 1;
	app_message(app, "experiment deleted, its runs hidden  (u: undo, "
	    "D: show deleted)");
}

static void
exp_rename_done(struct view *v, struct app *app, const char *text)
{
	struct exps	*s = v->state;
	struct wb_err	 err;

	if (text == NULL || s->edit == 0)
		return;
	if (db_exp_rename(app_db(app), s->edit, text, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	app_changed(app);
	v->stale = 1;
	app_message(app, "renamed to %s", text);
}

static enum action
exps_handle(struct view *v, struct app *app, enum action a)
{
	struct exps	*s = v->state;
	char		 q[200];

	if (list_handle(&s->l, v, app, a))
		return ACT_NONE;
	switch (a) {
	case ACT_DELETE:
		if (s->n == 0)
			return ACT_NONE;
		if (s->rows[s->l.cursor].deleted_at != 0) {
			app_message(app, "already deleted (u restores the "
			    "last one deleted here)");
			return ACT_NONE;
		}
		s->pending = s->rows[s->l.cursor].id;
		snprintf(q, sizeof q, "Delete experiment %s and hide its %lld "
		    "runs?", s->rows[s->l.cursor].name,
		    (long long)s->rows[s->l.cursor].n_runs);
		app_confirm(app, q, exp_delete_yes, NULL);
		return ACT_NONE;
	case ACT_UNDO:
		if (s->undo == 0) {
			app_message(app, "nothing to undo");
			return ACT_NONE;
		}
		if (exp_apply(app, s->undo, 0) == 0) {
			s->undo = 0;
			v->stale = 1;
			app_message(app, "experiment restored");
		}
		return ACT_NONE;
	case ACT_SHOW_DELETED:
		s->show_deleted = !s->show_deleted;
		v->stale = 1;
		app_message(app, s->show_deleted ? "showing deleted "
		    "experiments (dimmed)" : "deleted experiments hidden");
		return ACT_NONE;
	case ACT_RENAME:
		if (s->n == 0)
			return ACT_NONE;
		s->edit = s->rows[s->l.cursor].id;
		app_prompt(app, "rename to: ", s->rows[s->l.cursor].name,
		    "rename", exp_rename_done);
		return ACT_NONE;
	case ACT_ENTER:
		if (s->n > 0)
			app_push(app, view_runs_new(app,
			    s->rows[s->l.cursor].id));
		return ACT_NONE;
	case ACT_YANK:
		if (s->n > 0)
			app_yank(app, "experiment UUID",
			    s->rows[s->l.cursor].uuid);
		return ACT_NONE;
	default:
		return a;
	}
}

static int
exps_command(struct view *v, struct app *app, const char *cmd,
    const char *args)
{
	struct exps	*s = v->state;
	const char	*key;

	if (strcmp(cmd, "best") != 0)
		return 0;
	if (*args == '\0') {
		app_error(app, ":best METRIC [min|max]");
		return 1;
	}
	/* The whole first word: a metric's name is never cut. */
	free(s->best_key);
	s->best_key = xmalloc(strcspn(args, " ") + 1);
	memcpy(s->best_key, args, strcspn(args, " "));
	s->best_key[strcspn(args, " ")] = '\0';
	key = s->best_key;
	s->best_max = strstr(args, " max") != NULL ||
	    (strstr(args, " min") == NULL && (strstr(key, "acc") ||
	    strstr(key, "f1") || strstr(key, "auc") || strstr(key, "score") ||
	    strstr(key, "mAP") || strstr(key, "precision") ||
	    strstr(key, "recall")));
	v->stale = 1;
	return 1;
}

static int
exps_export(struct view *v, FILE *fp)
{
	struct exps	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;
	char		 t[32];

	fprintf(fp, "name,runs,running,failed,last_activity\n");
	for (i = 0; i < s->n; i++) {
		strbuf_reset(&sb);
		text_csv_field(&sb, s->rows[i].name);
		fprintf(fp, "%s,%lld,%lld,%lld,%s\n", strbuf_str(&sb),
		    (long long)s->rows[i].n_runs,
		    (long long)s->rows[i].n_running,
		    (long long)s->rows[i].n_failed,
		    text_time(t, s->rows[i].last_activity));
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const char *
exps_title(struct view *v)
{
	struct exps	*s = v->state;
	char		 f[120];

	snprintf(s->title, sizeof s->title, "experiments  %zu%s", s->n,
	    list_filter_title(&s->l, f, sizeof f));
	return s->title;
}

static int
exps_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct exps	*s = v->state;

	*cur = s->l.cursor;
	*n = (int64_t)s->n;
	return 1;
}

static void
exps_free(struct view *v)
{
	struct exps	*s = v->state;

	db_exp_rows_free(s->rows, s->n);
	free(s->best);
	free(s->best_key);
	list_free(&s->l);
	free(s);
}

static void
exps_click(struct view *v, struct app *app, int y, int x)
{
	struct exps	*s = v->state;

	(void)app;
	(void)x;
	list_click(&s->l, y);
}

static const struct view_key exps_keys[] = {
	{ ACT_ENTER, "runs" }, { ACT_FILTER, "filter" },
	{ ACT_SORT_ASC, "sort" }, { ACT_SORT_DESC, "reverse" },
	{ ACT_YANK, "uuid" }, { ACT_DELETE, "delete" },
	{ ACT_SHOW_DELETED, "deleted" }, { ACT_UNDO, NULL },
	{ ACT_RENAME, NULL }, { ACT_UP, NULL },
	{ ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL }, { ACT_PAGE_DOWN, NULL },
	{ ACT_FIRST, NULL }, { ACT_LAST, NULL }, { ACT_NONE, NULL }
};

/* A read-only workspace offers no lifecycle key. */
static int
exps_avail(struct view *v, enum action a)
{
	struct exps	*s = v->state;

	if (a == ACT_DELETE || a == ACT_UNDO || a == ACT_RENAME)
		return !app_readonly(s->app);
	return 1;
}

static const struct view_ops exps_ops = {
	.name = "experiments",
	.keys = exps_keys,
	.avail = exps_avail,
	.position = exps_position,
	.load = exps_load,
	.draw = exps_draw,
	.handle = exps_handle,
	.free = exps_free,
	.title = exps_title,
	.command = exps_command,
	.export_csv = exps_export,
	.click = exps_click,
};

struct view *
view_experiments_new(struct app *app)
{
	struct exps	*s = xcalloc(1, sizeof *s);

	s->app = app;
	s->l.so = &exps_sort;
	return view_new(&exps_ops, s);
}
