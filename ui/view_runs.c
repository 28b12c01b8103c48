/*
 * view_runs: the runs of one experiment (or of all), a window at a time.
 *
 * The view keeps only the rows around the cursor (db_runlist pages), so a
 * workspace of 100,000 runs costs the same as one of 40.  Columns: name,
 * status, started, duration (experiment when showing all), then params
 * that differ between runs and metrics' last values, or those chosen with
 * :cols.  h/l pick a column (scrolling sideways), s/S sort by it, / filters,
 * Space marks (marks are run ids, so they survive sorting and filtering),
 * n/N jump between marked runs, Enter opens the run, c compares the marked
 * runs, p plots them.  The lifecycle (doc/runs.md): d deletes the marked
 * runs or the current one after a y/n question (and asks about their
 * children), u undoes the last delete, D shows deleted runs (dimmed,
 * status "deleted"), e renames, t edits tags, E edits the note.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmem.h"
#include "compare.h"
#include "db.h"
#include "db_life.h"
#include "db_metric.h"
#include "db_run.h"
#include "db_runlist.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "mem.h"
#include "keymap.h"
#include "query.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"
#include "view_life.h"

#define FIXED_COLS	5	/* name status started duration experiment */
#define WINDOW_EXTRA	64	/* rows fetched beyond the screen */

struct runs {
	struct app		*app;
	int64_t			 exp_id;
	char			*exp_name;
	char			 title[160];
	char			*filter;
	char			*sort_key;
	enum runlist_sort	 sort;
	int			 desc;
	int			 sort_col;	/* column index sorted by */
	int64_t			 count;
	int64_t			 cursor, top;
	int64_t			 keep_run;	/* reload: stay on this run */
	int			 to_top;	/* reload: the first row */
	/* The window of rows [win_off, win_off + nrows). */
	int64_t			 win_off;
	struct runlist_row	*rows;
	size_t			 nrows;
	char			**pcols, **mcols;
	size_t			 np, nm;
	int			 user_cols;
	char			**pvals;
	double			*mvals;
	unsigned char		*mhas;
	/* Columns. */
	int			 sel;		/* selected column */
	int			 hscroll;	/* first dynamic column shown */
	int			 fit;		/* dynamic columns that fit */
	int			 narrow;	/* under 100 columns */
	int			 name_w;	/* the name column's width */
	char			 status[160];
	/* Marks (run ids) and, in time, the cursor: the list layer. */
	struct list		 l;
	/* An expression filter's matches, kept between windows. */
	struct runlist_cache	*cache;
	/* The lifecycle: D, the runs a question is about, u's runs. */
	int			 show_deleted;
	int			 unfold;	/* z: nested runs listed */
	int64_t			*pending;
	size_t			 npending;
	int64_t			 pending_kids;
	int64_t			*undo;
	size_t			 nundo;
	int			 undo_children;
	int64_t			 edit_run;	/* e and t prompts' run */
};

static int
ncols(const struct runs *s)
{
	return FIXED_COLS + (int)s->np + (int)s->nm;
}

static int
is_marked(const struct runs *s, int64_t id)
{
	return list_marked(&s->l, id);
}

static void
free_window(struct runs *s)
{
	size_t	i;

	if (s->pvals != NULL)
		for (i = 0; i < s->nrows * s->np; i++)
			free(s->pvals[i]);
	free(s->pvals);
	free(s->mvals);
	free(s->mhas);
	runlist_rows_free(s->rows, s->nrows);
	s->pvals = NULL;
	s->mvals = NULL;
	s->mhas = NULL;
	s->rows = NULL;
	s->nrows = 0;
}

static const char *
col_name(const struct runs *s, int c, char *buf, size_t len)
{
	static const char *const fixed[FIXED_COLS] = { "name", "status",
	    "started", "duration", "experiment" };

	if (c < FIXED_COLS)
		return fixed[c];
	if (c < FIXED_COLS + (int)s->np)
		return s->pcols[c - FIXED_COLS];
	snprintf(buf, len, "%s", s->mcols[c - FIXED_COLS - (int)s->np]);
	return buf;
}

/* A header label: a metric named like a param gets "m:" (and the param
 * "p:") so that `lr` the setting and `lr` the schedule stay apart. */
static const char *
col_label(const struct runs *s, int c, char *buf, size_t len)
{
	const char	*n = col_name(s, c, buf, len);
	char		 tmp[64];
	size_t		 i;

	if (c < FIXED_COLS)
		return n;
	if (c < FIXED_COLS + (int)s->np) {
		for (i = 0; i < s->nm; i++)
			if (strcmp(s->mcols[i], n) == 0) {
				snprintf(buf, len, "p:%s", n);
				return buf;
			}
		return n;
	}
	for (i = 0; i < s->np; i++)
		if (strcmp(s->pcols[i], n) == 0) {
			snprintf(tmp, sizeof tmp, "m:%s", n);
			snprintf(buf, len, "%s", tmp);
			return buf;
		}
	return n;
}

static void
query_of(const struct runs *s, struct runlist_query *q)
{
	memset(q, 0, sizeof *q);
	q->exp_id = s->exp_id;
	q->filter = s->filter;
	q->sort = s->sort;
	q->sort_key = s->sort_key;
	q->desc = s->desc;
	q->cache = s->cache;
	q->scope = s->show_deleted ? QS_ALL : QS_LIVE;
	q->fold = !s->unfold;
}

static int	runs_command(struct view *, struct app *, const char *,
		    const char *);

static int
runs_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct runs		*s = v->state;
	struct runlist_query	 q;
	int64_t			*ids, want_off;
	size_t			 i, limit;
	int			 rc, body = v->rows > 2 ? v->rows - 1 : 1;

	/* Remember the run under the cursor to come back to it (not after
	 * a new order or filter: those start at the top). */
	if (s->to_top)
		s->keep_run = 0;
	else if (s->keep_run == 0 && s->rows != NULL && s->cursor >= s->win_off &&
	    s->cursor < s->win_off + (int64_t)s->nrows)
		s->keep_run = s->rows[s->cursor - s->win_off].id;
	if (!s->user_cols && app_default_columns(s->app) != NULL) {
		/* config.yaml's columns, taken like :cols (once). */
		s->user_cols = 1;
		runs_command(v, s->app, "cols", app_default_columns(s->app));
	}
	if (!s->user_cols && s->np + s->nm == 0) {
		names_free(s->pcols, s->np);
		names_free(s->mcols, s->nm);
		if ((rc = db_runlist_columns(db, s->exp_id, 8, &s->pcols,
		    &s->np, &s->mcols, &s->nm, err)) != WB_OK)
			return rc;
		while (s->np > 3)		/* params: at most 3 */
			free(s->pcols[--s->np]);
	}
	query_of(s, &q);
	if ((rc = db_runlist_count(db, &q, &s->count, err)) != WB_OK)
		return rc;
	if (s->cursor >= s->count)
		s->cursor = s->count > 0 ? s->count - 1 : 0;
	if (s->top > s->cursor)
		s->top = s->cursor;
	if (s->cursor >= s->top + body)
		s->top = s->cursor - body + 1;
	want_off = s->top - WINDOW_EXTRA / 2 > 0 ? s->top - WINDOW_EXTRA / 2 :
	    0;
	limit = (size_t)body + WINDOW_EXTRA;
	free_window(s);
	if ((rc = db_runlist_page(db, &q, want_off, (int64_t)limit, &s->rows,
	    &s->nrows, err)) != WB_OK)
		return rc;
	s->win_off = want_off;
	/* Back on the run we were on, if it is still in the window. */
	if (s->keep_run != 0) {
		for (i = 0; i < s->nrows; i++)
			if (s->rows[i].id == s->keep_run) {
				s->cursor = s->win_off + (int64_t)i;
				break;
			}
		s->keep_run = 0;
	}
	s->to_top = 0;
	if (s->nrows == 0)
		return WB_OK;
	ids = xcalloc(s->nrows, sizeof *ids);
	for (i = 0; i < s->nrows; i++)
		ids[i] = s->rows[i].id;
	rc = db_runlist_values(db, ids, s->nrows, s->pcols, s->np, s->mcols,
	    s->nm, &s->pvals, &s->mvals, &s->mhas, err);
	free(ids);
	return rc;
}

/*
 * The fixed columns and their widths: narrow (under 100 columns) and
 * wide.  The name column takes what the others leave, between its
 * minimum and maximum; params and metrics share the rest.
 */
enum run_col { RC_NAME, RC_STATUS, RC_STARTED, RC_DURATION, RC_EXPERIMENT };

static const struct {
	int	narrow, wide;
	int	right;		/* right-aligned */
} fixed_w[FIXED_COLS] = {
	[RC_NAME] = { 18, 44, 0 },	/* min and max, not narrow/wide */
	[RC_STATUS] = { 8, 9, 0 },
	[RC_STARTED] = { 11, 16, 0 },
	[RC_DURATION] = { 8, 9, 1 },
	[RC_EXPERIMENT] = { 12, 16, 0 },
};
#define DYN_NARROW	7	/* a param or metric column */
#define DYN_WIDE	10
#define DYN_MIN_SHOWN	3	/* kept on screen before the name grows */

static int
col_width(const struct runs *s, int c)
{
	switch (c) {
	case RC_NAME:
		return s->name_w;
	case RC_EXPERIMENT:
		if (s->exp_id != 0)
			return 0;
		return s->narrow ? fixed_w[c].narrow : fixed_w[c].wide;
	case RC_STARTED:
		/* All experiments at 80 columns: the params matter more. */
		if (s->narrow && s->exp_id == 0)
			return 0;
		/* FALLTHROUGH */
	case RC_STATUS:
	case RC_DURATION:
		return s->narrow ? fixed_w[c].narrow : fixed_w[c].wide;
	default:
		return s->narrow ? DYN_NARROW : DYN_WIDE;
	}
}

static int
col_right(const struct runs *s, int c)
{
	if (c < FIXED_COLS)
		return fixed_w[c].right;
	return c >= FIXED_COLS + (int)s->np;
}

/* Widths for a screen w columns wide: the name column and how many
 * params and metrics fit. */
static void
layout(struct runs *s, int w)
{
	int	c, fixed = 2, dw, ndyn = (int)(s->np + s->nm) - s->hscroll;
	int	longest;
	size_t	i;

	s->narrow = w < 100;
	for (c = 1; c < FIXED_COLS; c++)
		if (col_width(s, c) > 0)
			fixed += col_width(s, c) + 1;
	dw = (s->narrow ? DYN_NARROW : DYN_WIDE) + 1;
	if (ndyn < 0)
		ndyn = 0;
	s->name_w = w - fixed - 1 - (ndyn < DYN_MIN_SHOWN ? ndyn :
	    DYN_MIN_SHOWN) * dw;
	if (s->name_w > fixed_w[RC_NAME].wide)
		s->name_w = fixed_w[RC_NAME].wide;
	/* No wider than the longest name in hand. */
	for (i = 0, longest = 4; i < s->nrows; i++)
		if ((int)text_width(s->rows[i].name) > longest)
			longest = (int)text_width(s->rows[i].name);
	if (s->name_w > longest)
		s->name_w = longest;
	if (s->name_w < fixed_w[RC_NAME].narrow)
		s->name_w = fixed_w[RC_NAME].narrow;
	s->fit = (w - fixed - s->name_w - 1) / dw;
	if (s->fit < 1)
		s->fit = 1;
}

static enum role
status_role(const char *st)
{
	if (strcmp(st, "finished") == 0)
		return ROLE_FINISHED;
	if (strcmp(st, "running") == 0)
		return ROLE_RUNNING;
	if (strcmp(st, "failed") == 0 || strcmp(st, "lost") == 0)
		return ROLE_FAILED;
	if (strcmp(st, "killed") == 0 || strcmp(st, "pruned") == 0)
		return ROLE_KILLED;
	return ROLE_QUEUED;
}

/* The text of cell (row i of the window, column c), fitting cw. */
static const char *
cell(const struct runs *s, size_t i, int c, int cw, char *buf, size_t len)
{
	const struct runlist_row	*r = &s->rows[i];
	char				 t[32];

	buf[0] = '\0';
	switch (c) {
	case RC_NAME:
		/* Nested runs: a folded parent counts them, a child indents. */
		if (r->nchildren > 0 && !s->unfold && s->filter == NULL) {
			snprintf(buf, len, "%s [+%lld]", r->name,
			    (long long)r->nchildren);
			return buf;
		}
		if (r->parent_id != 0 && s->unfold) {
			snprintf(buf, len, "  %s", r->name);
			return buf;
		}
		return r->name;
	case RC_STATUS:
		return r->status;
	case RC_STARTED:
		if (r->started_at) {
			text_time(t, r->started_at);
			/* "11-01 00:59" when narrow, else with the year. */
			snprintf(buf, len, "%.*s", s->narrow ? 11 : 16,
			    s->narrow ? t + 5 : t);
		}
		return buf;
	case RC_DURATION:
		if (r->started_at && r->ended_at)
			text_duration(buf, r->ended_at - r->started_at);
		else if (strcmp(r->status, "running") == 0)
			snprintf(buf, len, "...");
		return buf;
	case RC_EXPERIMENT:
		return r->experiment;
	default:
		break;
	}
	c -= FIXED_COLS;
	if (c < (int)s->np) {
		const char *p = s->pvals ? s->pvals[i * s->np + (size_t)c] : NULL;

		return p ? p : "";
	}
	c -= (int)s->np;
	if (s->mhas != NULL && s->mhas[i * s->nm + (size_t)c])
		return draw_num_fit(buf, s->mvals[i * s->nm + (size_t)c], cw);
	return "";
}

/* Columns on screen, left to right: the fixed ones, then from hscroll. */
static int
visible(const struct runs *s, int c)
{
	return col_width(s, c) > 0 && (c < FIXED_COLS ||
	    c >= FIXED_COLS + s->hscroll);
}

static void
runs_draw(struct view *v, struct draw_ctx *dc)
{
	struct runs	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), body = h - 1;
	int		 c, x, y, cw, n = ncols(s), used;
	int64_t		 row;
	char		 buf[96], name[64];
	const char	*mark;

	v->rows = h;
	layout(s, w);
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (s->cursor >= s->top + body)
		s->top = s->cursor - body + 1;
	/* Header: long names abbreviated (the status line gives the
	 * selected column's whole name); the sort mark always shows. */
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	for (c = 0, x = 2; c < n && x < w; c++) {
		enum role	hr = c == s->sel ? ROLE_SELECTED : ROLE_HEADER;

		if (!visible(s, c))
			continue;
		cw = col_width(s, c);
		if (x + cw > w && c > 0)
			break;		/* only whole columns */
		mark = c != s->sort_col ? "" : s->desc ?
		    (draw_utf8(dc) ? "\xe2\x96\xbc" : "v") :
		    (draw_utf8(dc) ? "\xe2\x96\xb2" : "^");
		snprintf(buf, sizeof buf, "%s", col_label(s, c, name,
		    sizeof name));
		if (col_right(s, c) && (int)text_width(buf) + (*mark != 0) <=
		    cw) {
			snprintf(buf, sizeof buf, "%s%s", col_label(s, c, name,
			    sizeof name), mark);
			draw_text_right(dc, 0, x, cw, hr, buf);
		} else {
			used = draw_text(dc, 0, x, cw - (*mark != 0), hr, buf);
			draw_text(dc, 0, x + used, 1, hr, mark);
		}
		x += cw + 1;
	}
	if (s->count == 0) {
		draw_text(dc, 2, 2, -1, ROLE_DIM, s->filter ?
		    "no run matches the filter (/ to change it, <Esc> to "
		    "clear)" : "no runs yet: mlwb import LOGS, mlwb log, or "
		    "mlwb launch");
		return;
	}
	for (y = 1, row = s->top; y < h && row < s->count; y++, row++) {
		size_t	i;
		int	sel = row == s->cursor, mk;
		enum role base;

		if (row < s->win_off || row >= s->win_off +
		    (int64_t)s->nrows)
			break;
		i = (size_t)(row - s->win_off);
		mk = is_marked(s, s->rows[i].id);
		base = sel ? (mk ? ROLE_SELECTED_MARKED : ROLE_SELECTED) :
		    mk ? ROLE_MARKED : ROLE_NORMAL;
		if (sel) {
			draw_fill(dc, y, 0, w, base);
			/* Also visible without colour or reverse video. */
			draw_text(dc, y, 1, 1, base, ">");
		}
		if (mk)
			draw_text(dc, y, 0, 1, base, "*");
		for (c = 0, x = 2; c < n && x < w; c++) {
			enum role	r = base;
			const char	*t;

			if (!visible(s, c))
				continue;
			cw = col_width(s, c);
			if (x + cw > w && c > 0)
				break;
			if (c == RC_STATUS && !sel)
				r = status_role(s->rows[i].status);
			t = cell(s, i, c, cw, buf, sizeof buf);
			/* Deleted (D shows them): dimmed, and said so. */
			if (s->rows[i].deleted && !sel && !mk)
				r = ROLE_DIM;
			if (s->rows[i].deleted && c == RC_STATUS)
				t = "deleted";
			if (c == RC_NAME)
				/* A sweep's names differ at the end. */
				draw_text_mid(dc, y, x, cw, r, t);
			else if (col_right(s, c))
				draw_text_right(dc, y, x, cw, r, t);
			else
				draw_text(dc, y, x, cw, r, t);
			x += cw + 1;
		}
	}
}

static void
filter_done(struct view *v, struct app *app, const char *text)
{
	struct runs	*s = v->state;
	struct query	*q;
	struct wb_err	 err;

	if (text == NULL)
		return;
	/* A search expression is checked here, so a typo keeps the list. */
	if (query_looks_like_filter(text)) {
		if (query_parse(text, &q, &err) != WB_OK) {
			err.msg[strcspn(err.msg, "\n")] = '\0';
			app_error(app, "%s", err.msg);
			return;
		}
		query_free(q);
	}
	free(s->filter);
	s->filter = text[0] ? xstrdup(text) : NULL;
	s->cursor = s->top = 0;
	s->to_top = 1;
	v->stale = 1;
}

static void
set_sort(struct runs *s, int c, int desc)
{
	char	name[64];

	free(s->sort_key);
	s->sort_key = NULL;
	s->sort_col = c;
	s->desc = desc;
	switch (c) {
	case 0:
		s->sort = RL_SORT_NAME;
		break;
	case 1:
		s->sort = RL_SORT_STATUS;
		break;
	case 2:
		s->sort = RL_SORT_STARTED;
		break;
	case 3:
		s->sort = RL_SORT_DURATION;
		break;
	case 4:
		s->sort = RL_SORT_EXPERIMENT;
		break;
	default:
		s->sort = c < FIXED_COLS + (int)s->np ? RL_SORT_PARAM :
		    RL_SORT_METRIC;
		s->sort_key = xstrdup(col_name(s, c, name, sizeof name));
		break;
	}
}

static int64_t *
marked_or_cursor(struct runs *s, size_t *n)
{
	int64_t	*ids;

	if (s->l.nmarks > 0) {
		ids = xcalloc(s->l.nmarks, sizeof *ids);
		memcpy(ids, s->l.marks, s->l.nmarks * sizeof *ids);
		*n = s->l.nmarks;
		return ids;
	}
	if (s->nrows == 0 || s->cursor < s->win_off)
		return NULL;
	ids = xcalloc(1, sizeof *ids);
	ids[0] = s->rows[s->cursor - s->win_off].id;
	*n = 1;
	return ids;
}

static void
move_to(struct view *v, int64_t to)
{
	struct runs	*s = v->state;

	if (to < 0)
		to = 0;
	if (to >= s->count)
		to = s->count > 0 ? s->count - 1 : 0;
	s->cursor = to;
	/* Outside the rows in hand: fetch another window. */
	if (to < s->win_off || to >= s->win_off + (int64_t)s->nrows ||
	    to < s->top || to >= s->top + (v->rows > 1 ? v->rows - 1 : 1)) {
		if (to < s->top)
			s->top = to;
		if (to >= s->top + (v->rows > 1 ? v->rows - 1 : 1))
			s->top = to - (v->rows > 1 ? v->rows - 2 : 0);
		if (to < s->win_off || to >= s->win_off + (int64_t)s->nrows ||
		    s->top < s->win_off || s->top + v->rows - 1 > s->win_off +
		    (int64_t)s->nrows)
			v->stale = 1;
	}
}

/*
 * a: mark every run of the list (the filter's matches); U: clear the
 * marks; *: invert them over the list.  Marks outside the list (made
 * before a filter) are kept by a and *, cleared by U.
 */
static void
mark_many(struct runs *s, struct app *app, enum action a)
{
	struct runlist_query	 q;
	struct runlist_row	*rows;
	struct wb_err		 err;
	int64_t			 off = 0;
	size_t			 n, i;

	if (a == ACT_MARK_CLEAR) {
		list_marks_clear(&s->l);
		app_message(app, "marks cleared");
		return;
	}
	query_of(s, &q);
	for (;;) {
		if (db_runlist_page(app_db(app), &q, off, 1000, &rows, &n,
		    &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return;
		}
		if (n == 0) {
			free(rows);
			break;
		}
		for (i = 0; i < n; i++)
			if (a == ACT_MARK_INVERT || !is_marked(s, rows[i].id))
				list_mark_toggle(&s->l, rows[i].id);
		runlist_rows_free(rows, n);
		off += (int64_t)n;
	}
	app_message(app, "%zu marked", s->l.nmarks);
}

/* -- lifecycle ------------------------------------------------------------- */

/* The run under the cursor (0 when the list is empty). */
static int64_t
cursor_run(const struct runs *s)
{
	if (s->nrows == 0 || s->cursor < s->win_off || s->cursor >=
	    s->win_off + (int64_t)s->nrows)
		return 0;
	return s->rows[s->cursor - s->win_off].id;
}

/*
 * Delete (del) or restore ids, in one transaction; the number of runs
 * changed, or -1 with the error shown.
 */
static int64_t
life_apply(struct app *app, const int64_t *ids, size_t n, int children,
    int del)
{
	struct db	*db = app_db(app);
	struct wb_err	 err;
	int64_t		 k, total = 0;
	size_t		 i;
	int		 rc;

	if ((rc = db_begin(db, &err)) == WB_OK) {
		for (i = 0; i < n && rc == WB_OK; i++) {
			rc = del ? db_life_delete(db, ids[i], children, &k,
			    &err) : db_life_restore(db, ids[i], children, &k,
			    &err);
			total += k;
		}
		if (rc == WB_OK)
			rc = db_commit(db, &err);
		else
			db_rollback(db);
	}
	if (rc != WB_OK) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app_changed(app);
	return total;
}

static void
do_delete(struct view *v, struct app *app, int children)
{
	struct runs	*s = v->state;
	int64_t		 n;

	if ((n = life_apply(app, s->pending, s->npending, children, 1)) < 0)
		return;
	free(s->undo);
	s->undo = s->pending;
	s->nundo = s->npending;
	s->undo_children = children;
	s->pending = NULL;
	s->npending = 0;
	list_marks_clear(&s->l);
	v->stale = 1;
	app_message(app, "deleted %lld run%s  (u: undo, D: show deleted)",
	    (long long)n, n == 1 ? "" : "s");
}

static void
delete_with_kids(struct view *v, struct app *app)
{
	do_delete(v, app, 1);
}

static void
delete_without_kids(struct view *v, struct app *app)
{
	do_delete(v, app, 0);
}

/* Confirmed: ask about the children when there are, else delete. */
static void
delete_yes(struct view *v, struct app *app)
{
	struct runs	*s = v->state;
	char		 q[128];

	if (s->pending_kids == 0) {
		do_delete(v, app, 0);
		return;
	}
	snprintf(q, sizeof q, "Also delete their %lld child run%s?",
	    (long long)s->pending_kids, s->pending_kids == 1 ? "" : "s");
	app_confirm(app, q, delete_with_kids, delete_without_kids);
}

static void
delete_no(struct view *v, struct app *app)
{
	struct runs	*s = v->state;

	(void)app;
	free(s->pending);
	s->pending = NULL;
	s->npending = 0;
}

/* d: the marked runs, else the current one, after a y/n question. */
static void
ask_delete(struct view *v, struct app *app)
{
	struct runs	*s = v->state;
	struct wb_err	 err;
	int64_t		 kids, live;
	size_t		 i;
	char		 q[200];

	free(s->pending);
	if ((s->pending = marked_or_cursor(s, &s->npending)) == NULL)
		return;
	s->pending_kids = 0;
	for (i = 0; i < s->npending; i++) {
		if (db_life_children(app_db(app), s->pending[i], &kids, &live,
		    &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return;
		}
		s->pending_kids += live;
	}
	if (s->npending == 1 && s->l.nmarks == 0)
		snprintf(q, sizeof q, "Delete run %s?",
		    s->rows[s->cursor - s->win_off].name);
	else
		snprintf(q, sizeof q, "Delete %zu marked runs?", s->npending);
	app_confirm(app, q, delete_yes, delete_no);
}

static void
undo_delete(struct view *v, struct app *app)
{
	struct runs	*s = v->state;
	int64_t		 n;

	if (s->nundo == 0) {
		app_message(app, "nothing to undo");
		return;
	}
	if ((n = life_apply(app, s->undo, s->nundo, s->undo_children, 0)) <
	    0)
		return;
	free(s->undo);
	s->undo = NULL;
	s->nundo = 0;
	v->stale = 1;
	app_message(app, "restored %lld run%s", (long long)n, n == 1 ? "" :
	    "s");
}

static void
rename_done(struct view *v, struct app *app, const char *text)
{
	struct runs	*s = v->state;
	struct wb_err	 err;

	if (text == NULL || s->edit_run == 0)
		return;
	if (db_life_rename(app_db(app), s->edit_run, text, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	app_changed(app);
	v->stale = 1;
	app_message(app, "renamed to %s", text);
}

/* "k=v -k2 k3=v3": set and remove tags of s->edit_run, all or none. */
static void
tag_done(struct view *v, struct app *app, const char *text)
{
	struct runs	*s = v->state;

	if (text == NULL || s->edit_run == 0)
		return;
	if (life_tag_line(app, s->edit_run, text) == 0)
		v->stale = 1;
}

/* E: the note in $VISUAL / $EDITOR, saved when it changed. */
static void
edit_note(struct view *v, struct app *app, int64_t run)
{
	struct wb_err	 err;
	char		*old = NULL, *text = NULL;
	int		 changed;

	if (run == 0)
		return;
	if (db_life_note_get(app_db(app), run, &old, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (app_edit_text(app, old, "note", &text, &changed) != 0) {
		wb_free(old);
		return;
	}
	wb_free(old);
	if (!changed)
		app_message(app, "note unchanged");
	else if (db_life_note_set(app_db(app), run, text, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	else {
		app_changed(app);
		v->stale = 1;
		app_message(app, "note saved");
	}
	free(text);
}

static enum action
runs_handle(struct view *v, struct app *app, enum action a)
{
	struct runs	*s = v->state;
	int64_t		*ids;
	size_t		 n, i;
	int		 page = v->rows > 2 ? v->rows - 2 : 1;

	switch (a) {
	case ACT_DOWN:
		move_to(v, s->cursor + 1);
		return ACT_NONE;
	case ACT_UP:
		move_to(v, s->cursor - 1);
		return ACT_NONE;
	case ACT_PAGE_DOWN:
		move_to(v, s->cursor + page);
		return ACT_NONE;
	case ACT_PAGE_UP:
		move_to(v, s->cursor - page);
		return ACT_NONE;
	case ACT_FIRST:
		move_to(v, 0);
		return ACT_NONE;
	case ACT_LAST:
		move_to(v, s->count - 1);
		return ACT_NONE;
	case ACT_LEFT:
		if (s->sel > 0)
			s->sel--;
		if (s->exp_id != 0 && s->sel == 4)
			s->sel--;
		if (s->sel >= FIXED_COLS && s->sel < FIXED_COLS + s->hscroll)
			s->hscroll = s->sel - FIXED_COLS;
		if (s->sel < FIXED_COLS)
			s->hscroll = 0;
		return ACT_NONE;
	case ACT_RIGHT:
		if (s->sel + 1 < ncols(s))
			s->sel++;
		if (s->exp_id != 0 && s->sel == 4)
			s->sel++;
		/* Keep the selected column on screen. */
		if (s->sel >= FIXED_COLS &&
		    s->sel - FIXED_COLS - s->hscroll >= s->fit)
			s->hscroll = s->sel - FIXED_COLS - s->fit + 1;
		return ACT_NONE;
	case ACT_SORT_ASC:
	case ACT_SORT_DESC:
		set_sort(s, s->sel, a == ACT_SORT_DESC);
		v->stale = 1;
		return ACT_NONE;
	case ACT_FILTER:
		app_prompt(app, "/", s->filter ? s->filter : "", "filter",
		    filter_done);
		return ACT_NONE;
	case ACT_BACK:
		if (s->filter != NULL) {
			free(s->filter);
			s->filter = NULL;
			s->cursor = s->top = 0;
			v->stale = 1;
			app_message(app, "filter cleared");
			return ACT_NONE;
		}
		return ACT_BACK;
	case ACT_MARK:
		if (s->nrows > 0 && s->cursor >= s->win_off) {
			list_mark_toggle(&s->l, s->rows[s->cursor - s->win_off].id);
			move_to(v, s->cursor + 1);
		}
		return ACT_NONE;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		/* Next marked run in the window in hand. */
		for (i = 1; i < s->nrows; i++) {
			int64_t r = a == ACT_SEARCH_NEXT ? s->cursor +
			    (int64_t)i : s->cursor - (int64_t)i;

			if (r < s->win_off || r >= s->win_off +
			    (int64_t)s->nrows)
				break;
			if (is_marked(s, s->rows[r - s->win_off].id)) {
				move_to(v, r);
				return ACT_NONE;
			}
		}
		app_message(app, "no marked run %s", a == ACT_SEARCH_NEXT ?
		    "below" : "above");
		return ACT_NONE;
	case ACT_ENTER:
		if (s->nrows > 0 && s->cursor >= s->win_off)
			app_push(app, view_run_new(app,
			    s->rows[s->cursor - s->win_off].id));
		return ACT_NONE;
	case ACT_YANK:
		if (s->nrows > 0 && s->cursor >= s->win_off)
			app_yank(app, "run UUID",
			    s->rows[s->cursor - s->win_off].uuid);
		return ACT_NONE;
	case ACT_MARK_ALL:
	case ACT_MARK_CLEAR:
	case ACT_MARK_INVERT:
		mark_many(s, app, a);
		return ACT_NONE;
	case ACT_PVM:
		app_push(app, view_pvm_new(app, s->exp_id, s->filter));
		return ACT_NONE;
	case ACT_DELETE:
		ask_delete(v, app);
		return ACT_NONE;
	case ACT_UNDO:
		undo_delete(v, app);
		return ACT_NONE;
	case ACT_FOLD:
		s->unfold = !s->unfold;
		v->stale = 1;
		app_message(app, s->unfold ? "nested runs unfolded" :
		    "nested runs folded under their parent");
		return ACT_NONE;
	case ACT_SHOW_DELETED:
		s->show_deleted = !s->show_deleted;
		v->stale = 1;
		app_message(app, s->show_deleted ? "showing deleted runs "
		    "(dimmed)" : "deleted runs hidden");
		return ACT_NONE;
	case ACT_RENAME:
		if ((s->edit_run = cursor_run(s)) != 0)
			app_prompt(app, "rename to: ",
			    s->rows[s->cursor - s->win_off].name, "rename",
			    rename_done);
		return ACT_NONE;
	case ACT_TAG:
		if ((s->edit_run = cursor_run(s)) != 0)
			app_prompt(app, "tags (k=v sets, -k removes): ", "",
			    "tag", tag_done);
		return ACT_NONE;
	case ACT_NOTE:
		edit_note(v, app, cursor_run(s));
		return ACT_NONE;
	case ACT_COMPARE:
	case ACT_PLOT:
		if ((ids = marked_or_cursor(s, &n)) == NULL)
			return ACT_NONE;
		if (a == ACT_COMPARE && n < 2)
			app_error(app, "mark two or more runs with <Space> to "
			    "compare them");
		else if (a == ACT_COMPARE)
			app_push(app, view_compare_new(app, ids, n));
		else
			app_push(app, view_chart_new(app, ids, n, 0));
		free(ids);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
runs_title(struct view *v)
{
	struct runs	*s = v->state;

	snprintf(s->title, sizeof s->title, "runs of %s  %lld%s%s",
	    s->exp_name ? s->exp_name : "all experiments",
	    (long long)s->count, s->filter ? "  filter: " : "",
	    s->filter ? s->filter : "");
	return s->title;
}

static const char *
runs_crumb(struct view *v)
{
	struct runs	*s = v->state;

	return s->exp_name ? s->exp_name : "all runs";
}

static int
runs_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct runs	*s = v->state;

	*cur = s->cursor;
	*n = s->count;
	return 1;
}

/* The marks, and the selected column's whole name (headers are cut). */
static const char *
runs_status(struct view *v)
{
	struct runs	*s = v->state;
	char		 name[64], label[80];

	label[0] = '\0';
	if (s->sel >= FIXED_COLS)
		snprintf(label, sizeof label, "%s %s", s->sel < FIXED_COLS +
		    (int)s->np ? "param" : "metric", col_name(s, s->sel, name,
		    sizeof name));
	snprintf(s->status, sizeof s->status, "%s", label);
	if (s->l.nmarks)
		snprintf(s->status, sizeof s->status, "%zu marked%s%s",
		    s->l.nmarks, *label ? "  " : "", label);
	return s->status;
}

/*
 * :best METRIC [min|max]: the runs by that metric's last value, best
 * first (lower is better for losses and errors, as compare decides),
 * the cursor on the best.
 */
static int
runs_best(struct view *v, struct app *app, const char *args)
{
	struct runs	*s = v->state;
	char		 key[128], name[64];
	int		 c, lower;

	if (*args == '\0') {
		app_error(app, ":best METRIC [min|max]");
		return 1;
	}
	snprintf(key, sizeof key, "%s", args);
	key[strcspn(key, " ")] = '\0';
	lower = strstr(args, " min") != NULL ? 1 : strstr(args, " max") !=
	    NULL ? 0 : compare_lower_better(key);
	free(s->sort_key);
	s->sort_key = xstrdup(key);
	s->sort = RL_SORT_METRIC;
	s->desc = !lower;
	s->sort_col = -1;
	for (c = FIXED_COLS + (int)s->np; c < ncols(s); c++)
		if (strcmp(col_name(s, c, name, sizeof name), key) == 0)
			s->sort_col = s->sel = c;
	if (s->sel >= FIXED_COLS && s->sel - FIXED_COLS - s->hscroll >= s->fit)
		s->hscroll = s->sel - FIXED_COLS - s->fit + 1;
	s->cursor = s->top = 0;
	s->to_top = 1;
	v->stale = 1;
	app_message(app, "best %s first (%s is better)", key, lower ? "lower" :
	    "higher");
	return 1;
}

/* :cols a,b  :sort COL [desc] */
static int
runs_command(struct view *v, struct app *app, const char *cmd,
    const char *args)
{
	struct runs	*s = v->state;
	struct wb_err	 err;
	char		**ap = NULL, **am = NULL, *list, *tok, *save, name[64];
	size_t		 np = 0, nm = 0, i, j, ap_n, am_n;
	int		 c;

	if (strcmp(cmd, "cols") == 0) {
		if (db_runlist_columns(app_db(app), s->exp_id, 64, &ap, &ap_n,
		    &am, &am_n, &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return 1;
		}
		if (*args == '\0') {
			char	 line[256];
			size_t	 o = 0;

			o += (size_t)snprintf(line, sizeof line, "params:");
			for (i = 0; i < ap_n && o < sizeof line; i++)
				o += (size_t)snprintf(line + o, sizeof line - o,
				    " %s", ap[i]);
			if (o < sizeof line)
				o += (size_t)snprintf(line + o, sizeof line - o,
				    "  metrics:");
			for (i = 0; i < am_n && o < sizeof line; i++)
				o += (size_t)snprintf(line + o, sizeof line - o,
				    " %s", am[i]);
			app_message(app, "%s", line);
		} else {
			char **np_v = xcalloc(ap_n + am_n + 1, sizeof *np_v);
			char **nm_v = xcalloc(ap_n + am_n + 1, sizeof *nm_v);

			list = xstrdup(args);
			for (tok = strtok_r(list, ", ", &save); tok != NULL;
			    tok = strtok_r(NULL, ", ", &save)) {
				int found = 0;

				for (j = 0; j < ap_n && !found; j++)
					if (strcmp(ap[j], tok) == 0 ||
					    (strncmp(tok, "params.", 7) == 0 &&
					    strcmp(ap[j], tok + 7) == 0))
						np_v[np++] = xstrdup(ap[j]),
						found = 1;
				for (j = 0; j < am_n && !found; j++)
					if (strcmp(am[j], tok) == 0 ||
					    (strncmp(tok, "metrics.", 8) == 0 &&
					    strcmp(am[j], tok + 8) == 0))
						nm_v[nm++] = xstrdup(am[j]),
						found = 1;
				if (!found)
					app_error(app, ":cols: no param or metric "
					    "'%s' (:cols alone lists them)", tok);
			}
			free(list);
			names_free(s->pcols, s->np);
			names_free(s->mcols, s->nm);
			free_window(s);
			s->pcols = np_v;
			s->np = np;
			s->mcols = nm_v;
			s->nm = nm;
			s->user_cols = 1;
			s->sel = 0;
			s->hscroll = 0;
			v->stale = 1;
		}
		names_free(ap, ap_n);
		names_free(am, am_n);
		return 1;
	}
	if (strcmp(cmd, "sort") == 0) {
		char	col[64];
		int	desc = strstr(args, " desc") != NULL;

		snprintf(col, sizeof col, "%s", args);
		col[strcspn(col, " ")] = '\0';
		for (c = 0; c < ncols(s); c++)
			if (strcasecmp(col_name(s, c, name, sizeof name), col) ==
			    0) {
				set_sort(s, c, desc);
				s->sel = c;
				v->stale = 1;
				return 1;
			}
		app_error(app, ":sort: no column '%s'", col);
		return 1;
	}
	if (strcmp(cmd, "filter") == 0) {
		filter_done(v, app, args);
		return 1;
	}
	if (strcmp(cmd, "best") == 0)
		return runs_best(v, app, args);
	return 0;
}

/* :export FILE: every run of the list, not only the window. */
static int
runs_export(struct view *v, FILE *fp)
{
	struct runs		*s = v->state;
	struct runlist_query	 q;
	struct runlist_row	*rows;
	struct wb_err		 err;
	struct strbuf		 line = STRBUF_INIT, tmp = STRBUF_INIT;
	char			**pv = NULL, buf[64], name[64];
	const char		*cn;
	double			*mv = NULL;
	unsigned char		*mh = NULL;
	int64_t			 off = 0, *ids;
	size_t			 n, i;
	int			 c, rc = 0;

	query_of(s, &q);
	/* MLflow's search_runs() header: run_id, then params.X and
	 * metrics.X, so a param and a metric of one name stay apart. */
	strbuf_adds(&line, "run_id");
	for (c = 0; c < ncols(s); c++) {
		if (c == RC_EXPERIMENT && s->exp_id != 0)
			continue;
		strbuf_addc(&line, ',');
		cn = col_name(s, c, name, sizeof name);
		if (c >= FIXED_COLS) {
			strbuf_adds(&tmp, c < FIXED_COLS + (int)s->np ?
			    "params." : "metrics.");
			strbuf_adds(&tmp, cn);
			text_csv_field(&line, strbuf_str(&tmp));
			strbuf_reset(&tmp);
		} else
			text_csv_field(&line, c == RC_DURATION ?
			    "duration_s" : cn);
	}
	fprintf(fp, "%s\n", strbuf_str(&line));
	for (;;) {
		if (db_runlist_page(app_db(s->app), &q, off, 500, &rows, &n,
		    &err) != WB_OK) {
			rc = -1;
			break;
		}
		if (n == 0) {
			free(rows);
			break;
		}
		ids = xcalloc(n, sizeof *ids);
		for (i = 0; i < n; i++)
			ids[i] = rows[i].id;
		if (db_runlist_values(app_db(s->app), ids, n, s->pcols, s->np,
		    s->mcols, s->nm, &pv, &mv, &mh, &err) != WB_OK) {
			free(ids);
			runlist_rows_free(rows, n);
			rc = -1;
			break;
		}
		for (i = 0; i < n; i++) {
			strbuf_reset(&line);
			strbuf_adds(&line, rows[i].uuid);
			for (c = 0; c < ncols(s); c++) {
				const char *t = buf;

				if (c == RC_EXPERIMENT && s->exp_id != 0)
					continue;
				strbuf_addc(&line, ',');
				if (c == 0)
					t = rows[i].name;
				else if (c == 1)
					t = rows[i].status;
				else if (c == 2)
					text_time(buf, rows[i].started_at);
				else if (c == 3)
					snprintf(buf, sizeof buf, "%lld",
					    rows[i].ended_at && rows[i].started_at
					    ? (long long)(rows[i].ended_at -
					    rows[i].started_at) / 1000 : 0LL);
				else if (c == 4)
					t = rows[i].experiment;
				else if (c < FIXED_COLS + (int)s->np)
					t = pv[i * s->np + (size_t)(c -
					    FIXED_COLS)] ? pv[i * s->np +
					    (size_t)(c - FIXED_COLS)] : "";
				else {
					size_t k = i * s->nm + (size_t)(c -
					    FIXED_COLS - (int)s->np);

					buf[0] = '\0';
					if (mh[k])
						text_num(buf, mv[k]);
				}
				text_csv_field(&line, t);
			}
			fprintf(fp, "%s\n", strbuf_str(&line));
		}
		for (i = 0; i < n * s->np; i++)
			free(pv[i]);
		free(pv);
		free(mv);
		free(mh);
		free(ids);
		runlist_rows_free(rows, n);
		off += (int64_t)n;
	}
	strbuf_free(&line);
	strbuf_free(&tmp);
	return rc;
}

static void
runs_free(struct view *v)
{
	struct runs	*s = v->state;

	free_window(s);
	names_free(s->pcols, s->np);
	names_free(s->mcols, s->nm);
	free(s->exp_name);
	free(s->filter);
	free(s->sort_key);
	free(s->pending);
	free(s->undo);
	list_free(&s->l);
	runlist_cache_free(s->cache);
	free(s);
}

static void
runs_click(struct view *v, struct app *app, int y, int x)
{
	struct runs	*s = v->state;

	(void)app;
	(void)x;
	if (y >= 1)
		move_to(v, s->top + y - 1);
}

static const struct view_key runs_keys[] = {
	{ ACT_ENTER, "open" }, { ACT_FILTER, "filter" },
	{ ACT_SORT_ASC, "sort" }, { ACT_MARK, "mark" },
	{ ACT_COMPARE, "compare" }, { ACT_PLOT, "plot" },
	{ ACT_PVM, "params" }, { ACT_DELETE, "delete" },
	{ ACT_SHOW_DELETED, "deleted" }, { ACT_UNDO, NULL },
	{ ACT_RENAME, NULL }, { ACT_TAG, NULL }, { ACT_NOTE, NULL },
	{ ACT_FOLD, NULL },
	{ ACT_SORT_DESC, NULL }, { ACT_MARK_ALL, NULL },
	{ ACT_MARK_CLEAR, NULL }, { ACT_MARK_INVERT, NULL },
	{ ACT_SEARCH_NEXT, NULL }, { ACT_SEARCH_PREV, NULL },
	{ ACT_YANK, NULL }, { ACT_LEFT, NULL }, { ACT_RIGHT, NULL },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

/* A read-only workspace offers no lifecycle key. */
static int
runs_avail(struct view *v, enum action a)
{
	struct runs	*s = v->state;

	switch (a) {
	case ACT_DELETE:
	case ACT_UNDO:
	case ACT_RENAME:
	case ACT_TAG:
	case ACT_NOTE:
		return !app_readonly(s->app);
	default:
		return 1;
	}
}

static const struct view_ops runs_ops = {
	.name = "runs",
	.keys = runs_keys,
	.avail = runs_avail,
	.crumb = runs_crumb,
	.position = runs_position,
	.status = runs_status,
	.load = runs_load,
	.draw = runs_draw,
	.handle = runs_handle,
	.free = runs_free,
	.title = runs_title,
	.command = runs_command,
	.export_csv = runs_export,
	.click = runs_click,
};

struct view *
view_runs_new(struct app *app, int64_t exp_id)
{
	struct runs	*s = xcalloc(1, sizeof *s);
	struct exp_row	*rows;
	struct wb_err	 err;
	size_t		 n, i;

	s->app = app;
	s->exp_id = exp_id;
	s->sort = RL_SORT_STARTED;
	s->sort_col = 2;
	if ((s->cache = runlist_cache_new()) == NULL)	/* NULL: no caching */
		ui_fatal("out of memory");
	if (exp_id != 0 && db_exp_list(app_db(app), &rows, &n, &err) == WB_OK) {
		for (i = 0; i < n; i++)
			if (rows[i].id == exp_id)
				s->exp_name = xstrdup(rows[i].name);
		db_exp_rows_free(rows, n);
	}
	return view_new(&runs_ops, s);
}
